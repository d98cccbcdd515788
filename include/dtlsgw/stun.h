/*
 * The STUN codec of the stun profile: STUN messages (RFC 8489) and the
 * ChannelData messages of TURN (RFC 8656 section 12.4), checked strictly
 * before they pass, and the few answers the gateway writes itself.
 *
 * Pure functions over bytes: no allocation, no I/O.
 *
 * A STUN message: a 20-byte header (two zero bits, the 14-bit type that
 * interleaves method and class, a 16-bit length of what follows, the magic
 * cookie 0x2112A442, a 96-bit transaction ID), then attributes, each a
 * 16-bit type, a 16-bit length of its value, the value, and padding to a
 * multiple of four.  FINGERPRINT, when present, is the last attribute: the
 * CRC-32 of the message before it, xor 0x5354554e (RFC 8489 14.7).
 *
 * A ChannelData message: a channel number in 0x4000..0x7FFF, a 16-bit
 * length of the application data, the data; over UDP the padding to a
 * multiple of four may or may not be there (RFC 8656 12.5).
 */
#ifndef DTLSGW_STUN_H
#define DTLSGW_STUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define STUN_HEADER_LEN		20
#define STUN_MAGIC_COOKIE	0x2112a442u
#define STUN_TID_LEN		12
#define STUN_FINGERPRINT_XOR	0x5354554eu
/* The largest message we parse: what one UDP datagram carries. */
#define STUN_MAX_LEN		65535
#define STUN_CHANNEL_HEADER_LEN	4
/*
 * The channels of RFC 5766, which coturn still binds: RFC 8656 narrowed
 * them to 0x4000..0x4FFF to leave room for demultiplexing RTP and DTLS on
 * one port, which does not arise inside a DTLS session of STUN only.
 */
#define STUN_CHANNEL_MIN	0x4000
#define STUN_CHANNEL_MAX	0x7fff
/* Comprehension-required attributes not known, kept for a 420 answer. */
#define STUN_MAX_UNKNOWN	8

enum stun_class {
	STUN_REQUEST = 0,
	STUN_INDICATION = 1,
	STUN_SUCCESS = 2,
	STUN_ERROR = 3,
};

enum stun_method {
	STUN_BINDING = 0x001,			/* RFC 8489 */
	STUN_ALLOCATE = 0x003,			/* RFC 8656 */
	STUN_REFRESH = 0x004,
	STUN_SEND = 0x006,
	STUN_DATA = 0x007,
	STUN_CREATE_PERMISSION = 0x008,
	STUN_CHANNEL_BIND = 0x009,
};

enum stun_attr_type {
	STUN_ATTR_MAPPED_ADDRESS = 0x0001,
	STUN_ATTR_USERNAME = 0x0006,
	STUN_ATTR_MESSAGE_INTEGRITY = 0x0008,
	STUN_ATTR_ERROR_CODE = 0x0009,
	STUN_ATTR_UNKNOWN_ATTRIBUTES = 0x000a,
	STUN_ATTR_CHANNEL_NUMBER = 0x000c,	/* RFC 8656 */
	STUN_ATTR_LIFETIME = 0x000d,
	STUN_ATTR_XOR_PEER_ADDRESS = 0x0012,
	STUN_ATTR_DATA = 0x0013,
	STUN_ATTR_REALM = 0x0014,
	STUN_ATTR_NONCE = 0x0015,
	STUN_ATTR_XOR_RELAYED_ADDRESS = 0x0016,
	STUN_ATTR_REQUESTED_ADDRESS_FAMILY = 0x0017,
	STUN_ATTR_EVEN_PORT = 0x0018,
	STUN_ATTR_REQUESTED_TRANSPORT = 0x0019,
	STUN_ATTR_DONT_FRAGMENT = 0x001a,
	STUN_ATTR_MESSAGE_INTEGRITY_SHA256 = 0x001c,
	STUN_ATTR_PASSWORD_ALGORITHM = 0x001d,
	STUN_ATTR_USERHASH = 0x001e,
	STUN_ATTR_XOR_MAPPED_ADDRESS = 0x0020,
	STUN_ATTR_RESERVATION_TOKEN = 0x0022,
	STUN_ATTR_PRIORITY = 0x0024,		/* RFC 8445 (ICE) */
	STUN_ATTR_USE_CANDIDATE = 0x0025,
	STUN_ATTR_ADDITIONAL_ADDRESS_FAMILY = 0x8000,
	STUN_ATTR_ADDRESS_ERROR_CODE = 0x8001,
	STUN_ATTR_PASSWORD_ALGORITHMS = 0x8002,
	STUN_ATTR_ALTERNATE_DOMAIN = 0x8003,
	STUN_ATTR_ICMP = 0x8004,
	STUN_ATTR_SOFTWARE = 0x8022,
	STUN_ATTR_ALTERNATE_SERVER = 0x8023,
	STUN_ATTR_FINGERPRINT = 0x8028,
	STUN_ATTR_ICE_CONTROLLED = 0x8029,
	STUN_ATTR_ICE_CONTROLLING = 0x802a,
};

enum stun_error {
	STUN_OK = 0,
	STUN_ERR_SHORT,			/* shorter than a header */
	STUN_ERR_NOT_STUN,		/* neither STUN nor ChannelData */
	STUN_ERR_BAD_LENGTH,		/* length field against the datagram */
	STUN_ERR_ATTR_OVERRUN,		/* an attribute past the end */
	STUN_ERR_BAD_ATTR,		/* a known attribute of the wrong size */
	STUN_ERR_FINGERPRINT_NOT_LAST,
	STUN_ERR_BAD_FINGERPRINT,	/* the CRC does not match */
	STUN_ERR_AFTER_INTEGRITY,	/* attributes after MESSAGE-INTEGRITY */
	STUN_ERR_NO_SPACE,		/* building: the buffer is too small */
	STUN_ERR_MAX,
};

/* What the first bytes say a datagram is. */
enum stun_kind {
	STUN_KIND_OTHER = 0,		/* neither: drop it */
	STUN_KIND_MESSAGE,
	STUN_KIND_CHANNEL_DATA,
};

/* A parsed STUN message; offsets are from the start of the message. */
struct stun_msg {
	uint16_t	 type;		/* the 14-bit message type */
	uint16_t	 method;	/* enum stun_method, 12 bits */
	uint8_t		 cls;		/* enum stun_class */
	size_t		 len;		/* the whole message, header included */
	size_t		 integrity;	/* MESSAGE-INTEGRITY's header, 0: none */
	size_t		 integrity_sha256; /* MESSAGE-INTEGRITY-SHA256's, 0: none */
	size_t		 fingerprint;	/* FINGERPRINT's header, 0: none */
	size_t		 nattrs;
	/* comprehension-required types stun_attr_known() does not know */
	uint16_t	 unknown[STUN_MAX_UNKNOWN];
	size_t		 nunknown;
};

/* The names of the errors, by number ("short", "bad_fingerprint", ...). */
extern const char *const stun_error_names[STUN_ERR_MAX];

/* A readable name for e, "unknown" out of range. */
const char *stun_error_name(enum stun_error e);

/*
 * Which of the kinds p[0..len) is, from its first two bits (00: STUN, 01:
 * ChannelData) and the magic cookie; says nothing of the rest.
 */
enum stun_kind stun_classify(const uint8_t *p, size_t len);

/*
 * Check p[0..len) as one whole STUN message, and fill m (which is zeroed
 * first).  The length field must be a multiple of four and account for
 * every byte; the attributes must walk exactly to the end, each padded;
 * MESSAGE-INTEGRITY is 20 bytes, MESSAGE-INTEGRITY-SHA256 16 to 32 in
 * steps of 4, FINGERPRINT 4 and last and right, XOR-MAPPED-ADDRESS 8 or 20
 * bytes; after MESSAGE-INTEGRITY only MESSAGE-INTEGRITY-SHA256 and
 * FINGERPRINT, after MESSAGE-INTEGRITY-SHA256 only FINGERPRINT.
 */
enum stun_error stun_parse(const uint8_t *p, size_t len, struct stun_msg *m);

/*
 * Check p[0..len) as one ChannelData message: its first two bits 01 (a
 * channel in 0x4000..0x7FFF) and a length that the datagram holds, with at most the padding to four
 * after it.  *channel and *datalen are set on success.
 */
enum stun_error stun_channel_data_check(const uint8_t *p, size_t len,
					uint16_t *channel, size_t *datalen);

/* Whether the codec knows attribute type t (for the 420 answer). */
bool stun_attr_known(uint16_t t);

/*
 * The offset of the first attribute of type t in the parsed message p (its
 * header; the value follows), or 0 when there is none.  *vlen gets its
 * value length.
 */
size_t stun_find_attr(const uint8_t *p, const struct stun_msg *m,
		      uint16_t t, size_t *vlen);

/* The message type of method and class (RFC 8489 5, figure 3). */
uint16_t stun_type(uint16_t method, enum stun_class cls);

/* CRC-32 (ISO 3309, as in RFC 1952) of p[0..len). */
uint32_t stun_crc32(const uint8_t *p, size_t len);

/*
 * Decode an XOR-MAPPED-ADDRESS style value v[0..vlen) of the message whose
 * header is hdr (the cookie and transaction ID are the keys) into *sa and
 * *salen.  STUN_ERR_BAD_ATTR for a wrong family or size.
 */
enum stun_error stun_xor_address_decode(const uint8_t *hdr, const uint8_t *v,
					size_t vlen,
					struct sockaddr_storage *sa,
					socklen_t *salen);

/*
 * Building a message into a buffer the caller owns: start it, add
 * attributes, finish it.  An error sticks: every later call does nothing
 * and stun_writer_finish returns 0.
 */
struct stun_writer {
	uint8_t		*p;
	size_t		 cap;
	size_t		 len;
	bool		 failed;
};

/* A header of type with the transaction ID tid (12 bytes). */
void stun_writer_start(struct stun_writer *w, uint8_t *buf, size_t cap,
		       uint16_t type, const uint8_t *tid);

/* An attribute with value v[0..vlen), padded with zeros. */
void stun_writer_attr(struct stun_writer *w, uint16_t type, const void *v,
		      size_t vlen);

/*
 * An XOR-MAPPED-ADDRESS style attribute for sa (IPv4, IPv6; an
 * IPv4-mapped IPv6 address is written as IPv4).
 */
void stun_writer_xor_address(struct stun_writer *w, uint16_t type,
			     const struct sockaddr *sa);

/* ERROR-CODE: code (300..699) and a reason phrase. */
void stun_writer_error_code(struct stun_writer *w, unsigned int code,
			    const char *reason);

/*
 * Close the message, with FINGERPRINT when asked; its length, or 0 when
 * something did not fit.
 */
size_t stun_writer_finish(struct stun_writer *w, bool fingerprint);

#endif
