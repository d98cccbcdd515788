/*
 * The DCCP codec (RFC 4340): the generic header and the subheaders of
 * every packet type (section 5), the options (5.8 and the sections that
 * define each), the checksum (9) and 48-bit sequence number arithmetic
 * (7.1, 7.6).  The first part of the userspace DCCP of the dccp
 * transport; the connection state machine and CCID 2 come later.
 *
 * Pure functions over bytes: no allocation, no I/O.
 *
 * Generic header with X=1 (16 bytes); with X=0 the sequence number is
 * 24 bits and takes bytes 9-11 (12 bytes):
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+-------------------------------+
 *  |          Source Port          |           Dest Port           |
 *  +---------------+-------+-------+-------------------------------+
 *  |  Data Offset  | CCVal | CsCov |           Checksum            |
 *  +-----+-------+-+---------------+-------------------------------+
 *  | Res | Type  |X|   Reserved    |  Sequence Number (high bits)  |
 *  +-----+-------+-+---------------+-------------------------------+
 *  |                  Sequence Number (low bits)                   |
 *  +---------------------------------------------------------------+
 *
 * Then, by type: the acknowledgement subheader (8 bytes, 48 bits after
 * 16 reserved; 4 bytes with X=0, 24 bits after 8 reserved) on every type
 * but Request and Data; a Service Code (4 bytes) on Request and Response
 * after it; Reset Code and Data 1-3 (4 bytes) on Reset.  Options follow,
 * up to Data Offset (in 4-byte words), then the application data.
 *
 * Reserved bits are written 0 and ignored on receive, as 5.1 says.
 */
#ifndef DTLSGW_DCCP_CODEC_H
#define DTLSGW_DCCP_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DCCP_GENERIC_LEN	16	/* X=1 */
#define DCCP_GENERIC_SHORT_LEN	12	/* X=0 */
#define DCCP_ACK_LEN		8	/* X=1 */
#define DCCP_ACK_SHORT_LEN	4	/* X=0 */
/* Data Offset is 8 bits of 4-byte words. */
#define DCCP_MAX_HEADER_LEN	1020
/* The IP protocol number of DCCP, also in RFC 6773's pseudo-header. */
#define DCCP_IPPROTO		33
/* The UDP port of RFC 6773 encapsulation (IANA "dccp-udp"). */
#define DCCP_UDP_PORT		6511

#define DCCP_SEQ_MASK		((UINT64_C(1) << 48) - 1)

/* Packet types (5.1); 10-15 are reserved. */
enum dccp_type {
	DCCP_REQUEST = 0,
	DCCP_RESPONSE = 1,
	DCCP_DATA = 2,
	DCCP_ACK = 3,
	DCCP_DATAACK = 4,
	DCCP_CLOSEREQ = 5,
	DCCP_CLOSE = 6,
	DCCP_RESET = 7,
	DCCP_SYNC = 8,
	DCCP_SYNCACK = 9,
};
#define DCCP_TYPE_COUNT		10

/* Reset Codes (5.6); 12-127 reserved, 128-255 CCID-specific. */
enum dccp_reset_code {
	DCCP_RESET_UNSPECIFIED = 0,
	DCCP_RESET_CLOSED = 1,
	DCCP_RESET_ABORTED = 2,
	DCCP_RESET_NO_CONNECTION = 3,
	DCCP_RESET_PACKET_ERROR = 4,
	DCCP_RESET_OPTION_ERROR = 5,
	DCCP_RESET_MANDATORY_ERROR = 6,
	DCCP_RESET_CONNECTION_REFUSED = 7,
	DCCP_RESET_BAD_SERVICE_CODE = 8,
	DCCP_RESET_TOO_BUSY = 9,
	DCCP_RESET_BAD_INIT_COOKIE = 10,
	DCCP_RESET_AGGRESSION_PENALTY = 11,
};

/* Option types (5.8); 3-31 and 45-127 reserved, 128-255 CCID-specific. */
enum dccp_opt_type {
	DCCP_OPT_PADDING = 0,
	DCCP_OPT_MANDATORY = 1,
	DCCP_OPT_SLOW_RECEIVER = 2,
	DCCP_OPT_CHANGE_L = 32,
	DCCP_OPT_CONFIRM_L = 33,
	DCCP_OPT_CHANGE_R = 34,
	DCCP_OPT_CONFIRM_R = 35,
	DCCP_OPT_INIT_COOKIE = 36,
	DCCP_OPT_NDP_COUNT = 37,
	DCCP_OPT_ACK_VECTOR_0 = 38,
	DCCP_OPT_ACK_VECTOR_1 = 39,
	DCCP_OPT_DATA_DROPPED = 40,
	DCCP_OPT_TIMESTAMP = 41,
	DCCP_OPT_TIMESTAMP_ECHO = 42,
	DCCP_OPT_ELAPSED_TIME = 43,
	DCCP_OPT_DATA_CHECKSUM = 44,
};

/* Ack Vector cell states (11.4); 2 is reserved. */
enum dccp_ackvec_state {
	DCCP_ACKVEC_RECEIVED = 0,
	DCCP_ACKVEC_ECN_MARKED = 1,
	DCCP_ACKVEC_NOT_RECEIVED = 3,
};

/*
 * Why a packet or its options were refused; dccp_error_name() gives the
 * drop-counter names ("short", "bad_type", ...).
 */
enum dccp_error {
	DCCP_OK = 0,
	/* fewer bytes than the generic header or the type's header */
	DCCP_ERR_SHORT,
	/* Type 10-15 (reserved: 5.1 says ignore the packet) */
	DCCP_ERR_BAD_TYPE,
	/* X=0 on a type other than Data, Ack and DataAck */
	DCCP_ERR_SHORT_SEQ,
	/* Data Offset under the header its type and X imply */
	DCCP_ERR_BAD_DOFF,
	/* Data Offset past the packet */
	DCCP_ERR_DOFF_OVERRUN,
	/* CsCov covers more than the packet (9.2) */
	DCCP_ERR_BAD_CSCOV,
	/* Service Code 4294967295, reserved as invalid (8.1.2) */
	DCCP_ERR_BAD_SERVICE,
	/* the checksum does not verify */
	DCCP_ERR_BAD_CHECKSUM,
	/* an option Length under 2 */
	DCCP_ERR_OPT_BAD_LEN,
	/* an option past the end of the options */
	DCCP_ERR_OPT_OVERRUN,
	/* a known option with a length its definition does not allow */
	DCCP_ERR_OPT_VALUE_LEN,
	/* Mandatory last, or followed by Mandatory (5.8.2) */
	DCCP_ERR_MANDATORY,
	/* an Ack Vector cell in the reserved state 2 */
	DCCP_ERR_ACKVEC_STATE,
	/* the caller's: an address family other than AF_INET and AF_INET6,
	 * or a length over 65535 for AF_INET's pseudo-header */
	DCCP_ERR_BAD_PSEUDO,
};

/* A static snake_case name for e ("ok", "bad_doff", ...). */
const char *dccp_error_name(enum dccp_error e);

/* Whether a packet of type t carries the acknowledgement subheader. */
bool dccp_type_has_ack(enum dccp_type t);

/* Whether t may be sent with X=0 (Data, Ack, DataAck: 5.1). */
bool dccp_type_allows_short(enum dccp_type t);

/* The header length type t implies, before options; 0 for t >= 10. */
size_t dccp_header_len(enum dccp_type t, bool x);

/*
 * A packet's header, in host order.  seq and ack are 48 bits with x set
 * and 24 bits (as on the wire, not extended) without.  ack is meaningful
 * when dccp_type_has_ack(type), service on Request and Response,
 * reset_code and reset_data on Reset.
 */
struct dccp_hdr {
	uint16_t	 sport, dport;
	uint8_t		 type;		/* enum dccp_type */
	bool		 x;
	uint8_t		 ccval;		/* 4 bits */
	uint8_t		 cscov;		/* 4 bits */
	uint16_t	 checksum;	/* as received; ignored by encode */
	uint64_t	 seq;
	uint64_t	 ack;
	uint32_t	 service;
	uint8_t		 reset_code;
	uint8_t		 reset_data[3];
	/* decode only: Data Offset in bytes, and the options in between */
	size_t		 doff;
	const uint8_t	*opts;
	size_t		 optlen;
};

/*
 * Decode the header of the DCCP packet p[0..len) into *h (zeroed first),
 * with h->opts pointing into p.  Checks the type, X, Data Offset, CsCov
 * against len and the Service Code; not the checksum (dccp_checksum_ok())
 * nor the options (dccp_opts_check()).  The payload is p + h->doff.
 */
enum dccp_error dccp_decode(const uint8_t *p, size_t len, struct dccp_hdr *h);

/*
 * Write the header h describes, followed by optlen bytes of options
 * (already encoded and padded to a multiple of 4), to buf[0..cap), with
 * the checksum 0 and Data Offset covering both.  h->doff, opts, optlen
 * and checksum are ignored.  Returns the length written, -EINVAL for a
 * header that cannot be written (reserved type, X=0 where not allowed, a
 * field out of range, options not a multiple of 4 or over 1020 bytes in
 * all, Service Code 4294967295) or -ENOSPC.
 */
int dccp_encode(const struct dccp_hdr *h, const uint8_t *opts, size_t optlen,
		uint8_t *buf, size_t cap);

/*
 * The checksum (section 9).  pkt[0..len) is the whole DCCP packet, header
 * and payload; src and dst are the IP addresses (4 bytes for AF_INET, 16
 * for AF_INET6) of the pseudo-header, which also holds protocol 33 and
 * len.  The coverage is the header (Data Offset) and, for CsCov > 0, the
 * first (CsCov - 1) * 4 bytes of payload; CsCov 0 covers everything.
 *
 * RFC 6773 (DCCP-UDP) keeps this checksum unchanged: its section 5 has
 * the DCCP checksum computed over the same pseudo-header, with the IP
 * addresses of the encapsulating packet and protocol 33 (not UDP's 17),
 * and the DCCP length (not the UDP length).  The UDP checksum comes on
 * top of it.  That is all we rely on from RFC 6773 here.
 *
 * dccp_checksum_fill() writes the checksum into pkt[6..8);
 * dccp_checksum_ok() says whether a received one verifies.  Both return
 * DCCP_ERR_SHORT, BAD_DOFF/DOFF_OVERRUN or BAD_CSCOV when the packet's
 * Data Offset or CsCov do not fit len, and DCCP_ERR_BAD_PSEUDO for an af
 * that is neither AF_INET nor AF_INET6 or an IPv4 length over 65535.
 */
enum dccp_error dccp_checksum_fill(uint8_t *pkt, size_t len, int af,
				   const void *src, const void *dst);
enum dccp_error dccp_checksum_ok(const uint8_t *pkt, size_t len, int af,
				 const void *src, const void *dst);

/*
 * Sequence numbers (7.1): 48 bits, compared circularly.  a is before b
 * when dccp_seq_delta(a, b) < 0, that is (b - a) mod 2^48 is in
 * (0, 2^47]; at exactly 2^47 apart each is before the other.
 */
uint64_t dccp_seq_add(uint64_t a, uint64_t b);
uint64_t dccp_seq_sub(uint64_t a, uint64_t b);
/* (a - b) as a signed distance in [-2^47, 2^47). */
int64_t dccp_seq_delta(uint64_t a, uint64_t b);
bool dccp_seq_before(uint64_t a, uint64_t b);
bool dccp_seq_after(uint64_t a, uint64_t b);

/*
 * Extend a 24-bit short sequence (or acknowledgement) number s against
 * greatest, the greatest valid one seen (GSR, or GSS for acks), by the
 * procedure in the figure of RFC 4340 section 7.6.
 */
uint64_t dccp_seq_extend(uint64_t greatest, uint32_t s);

/*
 * Service Codes (8.1.2, RFC 5595) are 32-bit numbers, usually written as
 * four ASCII characters.  RFC 5238 section 3.6 registers no Service Code
 * for DTLS: DTLS over DCCP is not a service of its own, and the Service
 * Code stays that of the application protocol carried inside DTLS, which
 * RFC 5238 expects to differ from the code of the unprotected protocol
 * (it leaves registering one to each application).  So the route chooses
 * it; there is no DTLS default here.  (The text of 5238 section 3.6 was not
 * at hand when this was written, only its title: check the wording there
 * before the transport leans on more than "no value of its own".)
 */
#define DCCP_SERVICE_NONE	0u		/* "not specified" (RFC 5595) */
#define DCCP_SERVICE_INVALID	0xffffffffu	/* never valid (8.1.2) */

/* The Service Code of four characters: "RTPA" -> 0x52545041. */
uint32_t dccp_service_code(const char four[4]);
bool dccp_service_code_valid(uint32_t code);

/*
 * Options.  dccp_opt_next() yields each option of opts[0..len) in turn,
 * padding and Mandatory included; mandatory is set on the option after a
 * Mandatory.  A known option's length is checked against its definition
 * (Timestamp 4 bytes of value, Timestamp Echo 4, 6 or 8, Elapsed Time 2 or
 * 4, Data Checksum 4, NDP Count 1-6, Change/Confirm at least the feature
 * number); unknown and reserved types pass, since 5.8 says to ignore them.
 * It returns false at the end and on error, it->err saying which.
 */
struct dccp_opt {
	uint8_t		 type;
	bool		 mandatory;
	const uint8_t	*val;	/* the value, after type and length */
	size_t		 len;	/* of val: 0 for single-byte options */
};

struct dccp_opt_iter {
	const uint8_t		*p;
	size_t			 len, pos;
	bool			 mandatory;
	enum dccp_error		 err;
};

void dccp_opt_iter_init(struct dccp_opt_iter *it, const uint8_t *opts,
			size_t len);
bool dccp_opt_next(struct dccp_opt_iter *it, struct dccp_opt *o);
/* Walk all of opts[0..len): DCCP_OK or the first error. */
enum dccp_error dccp_opts_check(const uint8_t *opts, size_t len);

/* Values of options dccp_opt_next() yielded; -EINVAL for another type. */
int dccp_opt_u32(const struct dccp_opt *o, uint32_t *v);	/* 41, 44 */
int dccp_opt_elapsed(const struct dccp_opt *o, uint32_t *v);	/* 43 */
int dccp_opt_ndp_count(const struct dccp_opt *o, uint64_t *v);	/* 37 */
/* 42: *has_elapsed false when the option carries no Elapsed Time. */
int dccp_opt_timestamp_echo(const struct dccp_opt *o, uint32_t *ts,
			    bool *has_elapsed, uint32_t *elapsed);

/* Ack Vector cells (11.4): state in the top two bits, run length below. */
static inline uint8_t dccp_ackvec_cell(unsigned int state, unsigned int run)
{
	return (uint8_t)((state & 3) << 6 | (run & 0x3f));
}
static inline unsigned int dccp_ackvec_state(uint8_t cell)
{
	return cell >> 6;
}
static inline unsigned int dccp_ackvec_run(uint8_t cell)
{
	return cell & 0x3f;
}

/*
 * Option encoders: each appends one option at buf[0..cap) and returns
 * its length, -EINVAL for a value that cannot be written, or -ENOSPC.
 */
/* Any option: single-byte types (< 32) take no value. */
int dccp_opt_put(uint8_t *buf, size_t cap, uint8_t type, const uint8_t *val,
		 size_t vlen);
/* Change L/R, Confirm L/R (32-35): feature number, then the value. */
int dccp_opt_put_feature(uint8_t *buf, size_t cap, uint8_t type,
			 uint8_t feature, const uint8_t *val, size_t vlen);
/* Ack Vector with ECN Nonce nonce (0 or 1) from ncells cells (1-253). */
int dccp_opt_put_ackvec(uint8_t *buf, size_t cap, unsigned int nonce,
			const uint8_t *cells, size_t ncells);
int dccp_opt_put_timestamp(uint8_t *buf, size_t cap, uint32_t ts);
/* Elapsed Time (hundredths of ms, 13.2) in 2 bytes when it fits, else 4. */
int dccp_opt_put_timestamp_echo(uint8_t *buf, size_t cap, uint32_t ts,
				bool has_elapsed, uint32_t elapsed);
int dccp_opt_put_elapsed(uint8_t *buf, size_t cap, uint32_t elapsed);
/* NDP Count in the fewest bytes (1-6); count under 2^48. */
int dccp_opt_put_ndp_count(uint8_t *buf, size_t cap, uint64_t count);
/*
 * Pad options buf[0..len) with Padding to a multiple of 4: returns the
 * new length or -ENOSPC.
 */
int dccp_opt_pad(uint8_t *buf, size_t len, size_t cap);

#endif
