/*
 * The Diameter framing codec of the diameter profile (RFC 6733 section 3,
 * the header, and section 4.1, the AVP header): checking a whole message,
 * as one arrives in an SCTP user message (RFC 6733 section 2.1, RFC 6083),
 * and cutting a TCP byte stream into messages with a framer.
 *
 * Pure functions over bytes: no allocation, no I/O.  The framer's buffer
 * is the caller's.
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |    Version    |                 Message Length                |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  | Command Flags |                  Command Code                 |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                         Application-ID                        |
 *  |                      Hop-by-Hop Identifier                    |
 *  |                      End-to-End Identifier                    |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  AVPs ...       each: Code (32), Flags (8), Length (24),
 *  |                 [Vendor-ID (32) when V], Data, zeros to a multiple of 4
 *
 * Message Length counts the header and every AVP with its padding; an AVP
 * Length counts the AVP header and its data, not the padding.
 */
#ifndef DTLSGW_DIAMETER_H
#define DTLSGW_DIAMETER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DIAMETER_VERSION		1
#define DIAMETER_HEADER_LEN		20
#define DIAMETER_AVP_HEADER_LEN		8
#define DIAMETER_AVP_VENDOR_HEADER_LEN	12
/* The default largest message a framer takes. */
#define DIAMETER_MAX_LEN		65535
/* What Message Length can say at all: 16 MiB - 1 (16 MiB - 4 aligned). */
#define DIAMETER_LEN_LIMIT		0xffffff
/* The default Diameter port, TCP and SCTP (RFC 6733 section 2.1). */
#define DIAMETER_PORT			3868

/* Command Flags (RFC 6733 section 3). */
enum diameter_cmd_flag {
	DIAMETER_FLAG_REQUEST = 0x80,		/* R: else an answer */
	DIAMETER_FLAG_PROXIABLE = 0x40,		/* P */
	DIAMETER_FLAG_ERROR = 0x20,		/* E: a protocol error */
	DIAMETER_FLAG_RETRANSMIT = 0x10,	/* T: maybe a retransmission */
};
/* The four reserved bits, which must be 0. */
#define DIAMETER_FLAGS_RESERVED		0x0f

/* AVP Flags (RFC 6733 section 4.1); the five others are reserved. */
enum diameter_avp_flag {
	DIAMETER_AVP_VENDOR = 0x80,		/* V: a Vendor-ID follows */
	DIAMETER_AVP_MANDATORY = 0x40,		/* M */
	DIAMETER_AVP_PROTECTED = 0x20,		/* P */
};

/* The commands of the base protocol (RFC 6733 section 3.1). */
enum diameter_command {
	DIAMETER_CMD_CAPABILITIES_EXCHANGE = 257,	/* CER/CEA */
	DIAMETER_CMD_RE_AUTH = 258,			/* RAR/RAA */
	DIAMETER_CMD_ACCOUNTING = 271,			/* ACR/ACA */
	DIAMETER_CMD_ABORT_SESSION = 274,		/* ASR/ASA */
	DIAMETER_CMD_SESSION_TERMINATION = 275,		/* STR/STA */
	DIAMETER_CMD_DEVICE_WATCHDOG = 280,		/* DWR/DWA */
	DIAMETER_CMD_DISCONNECT_PEER = 282,		/* DPR/DPA */
};

/* A few base protocol AVP codes (RFC 6733 section 4.5). */
enum diameter_avp_code {
	DIAMETER_AVP_SESSION_ID = 263,
	DIAMETER_AVP_ORIGIN_HOST = 264,
	DIAMETER_AVP_RESULT_CODE = 268,
	DIAMETER_AVP_DESTINATION_REALM = 283,
	DIAMETER_AVP_DESTINATION_HOST = 293,
	DIAMETER_AVP_ORIGIN_REALM = 296,
};

/*
 * Why a message or a stream was refused; diameter_error_name() gives the
 * drop-counter names (the route prefixes them: "diameter_bad_version").
 * On a stream, BAD_VERSION, BAD_LENGTH, TOO_LONG and UNALIGNED_LENGTH
 * leave no way to find the next message: the connection must be closed.
 */
enum diameter_error {
	DIAMETER_OK = 0,
	/* fewer bytes than the header or than its Message Length */
	DIAMETER_ERR_SHORT,
	/* bytes after Message Length (a whole message was expected) */
	DIAMETER_ERR_TRAILING,
	/* Version is not 1 */
	DIAMETER_ERR_BAD_VERSION,
	/* Message Length under 20 */
	DIAMETER_ERR_BAD_LENGTH,
	/* Message Length over the maximum the caller allows */
	DIAMETER_ERR_TOO_LONG,
	/* Message Length not a multiple of 4 */
	DIAMETER_ERR_UNALIGNED_LENGTH,
	/* one of the four reserved Command Flags set */
	DIAMETER_ERR_RESERVED_FLAGS,
	/* an AVP Length under 8, or under 12 with the V bit */
	DIAMETER_ERR_BAD_AVP_LENGTH,
	/* an AVP (its header, or its data and padding) past the message */
	DIAMETER_ERR_AVP_OVERRUN,
};

/* A static snake_case name for e ("ok", "bad_version", ...). */
const char *diameter_error_name(enum diameter_error e);

/* The fixed header, in host order. */
struct diameter_header {
	uint8_t		version;
	uint32_t	length;		/* 24 bits */
	uint8_t		flags;		/* DIAMETER_FLAG_* */
	uint32_t	code;		/* 24 bits */
	uint32_t	app_id;
	uint32_t	hop_by_hop;
	uint32_t	end_to_end;
};

/*
 * Fill h from the first 20 bytes of p (len bytes).  Returns DIAMETER_OK,
 * or DIAMETER_ERR_SHORT (h zeroed) when len < 20.  Nothing else is
 * checked: see diameter_check().
 */
enum diameter_error diameter_header_parse(const uint8_t *p, size_t len,
					  struct diameter_header *h);

/*
 * Check that p[0..len) is exactly one message, as RFC 6733 sections 3 and
 * 4.1 frame it: Version 1, Message Length from 20 to max_len, a multiple
 * of 4 and equal to len, the reserved Command Flags 0, and top-level AVPs
 * that tile the rest exactly (each at least 8 bytes long, 12 with the V
 * bit, padded to 4, none past the end).  Grouped AVPs are not looked
 * into, nor AVP flags but V.  Returns DIAMETER_OK or the first fault.
 */
enum diameter_error diameter_check(const uint8_t *p, size_t len,
				   size_t max_len);

/*
 * Readers of the header fields.  msg holds at least 20 bytes (a message
 * that diameter_check() or a framer accepted).
 */
uint32_t diameter_msg_length(const uint8_t *msg);
uint32_t diameter_command_code(const uint8_t *msg);
uint32_t diameter_app_id(const uint8_t *msg);
uint32_t diameter_hop_by_hop(const uint8_t *msg);
uint32_t diameter_end_to_end(const uint8_t *msg);
bool diameter_is_request(const uint8_t *msg);

/* One AVP, pointing into the message. */
struct diameter_avp {
	uint32_t	 code;
	uint8_t		 flags;		/* DIAMETER_AVP_* */
	uint32_t	 length;	/* AVP Length: header and data */
	uint32_t	 vendor_id;	/* 0 without the V bit */
	const uint8_t	*data;
	size_t		 data_len;	/* without the padding */
};

/*
 * Walk the top-level AVPs of the message msg of len bytes: *off is 0 to
 * start (the first AVP, at byte 20), and is moved past each AVP returned.
 * Returns DIAMETER_OK with the AVP at *off in *avp, DIAMETER_ERR_SHORT
 * when there is none left (*off == len), or the fault that stops the walk
 * (BAD_AVP_LENGTH, AVP_OVERRUN; *off stays on the faulty AVP).  Safe on
 * any bytes: len bounds every read.
 */
enum diameter_error diameter_avp_next(const uint8_t *msg, size_t len,
				      size_t *off, struct diameter_avp *avp);

/*
 * Find the first top-level AVP of code and vendor_id (0: without the V
 * bit, e.g. Origin-Host, 264) in the message msg of len bytes.  Returns
 * true and fills *avp (data points into msg); false when the walk ends
 * or breaks without one.
 */
bool diameter_find_avp(const uint8_t *msg, size_t len, uint32_t code,
		       uint32_t vendor_id, struct diameter_avp *avp);

/*
 * The stream framer: Diameter over TCP (RFC 6733 section 2.1) gives a
 * byte stream, cut anywhere.  The framer is fed chunks as they are read
 * and hands out whole messages one at a time.  A message that lies whole
 * inside a chunk is handed out where it is; one that spans chunks is
 * gathered in the caller's buffer (the only copy, for that reason).
 *
 *	diameter_framer_feed(&f, chunk, n);
 *	while ((r = diameter_framer_next(&f, &msg, &len, &err)) !=
 *	       DIAMETER_FRAME_MORE) {
 *		if (r == DIAMETER_FRAME_FATAL)
 *			count err, close the connection, stop;
 *		else if (r == DIAMETER_FRAME_INVALID)
 *			count err, skip msg;
 *		else
 *			forward msg;
 *	}
 *	(read the next chunk)
 */
struct diameter_framer {
	uint8_t			*buf;	/* max_len bytes */
	size_t			 max_len;
	size_t			 have;	/* bytes gathered in buf */
	size_t			 need;	/* their Message Length; 0: unknown */
	const uint8_t		*in;	/* what is left of the chunk */
	size_t			 in_len;
	enum diameter_error	 fatal;	/* DIAMETER_OK while framing */
};

enum diameter_frame {
	/* the chunk is used up: feed the next one */
	DIAMETER_FRAME_MORE = 0,
	/* a whole message that diameter_check() accepts */
	DIAMETER_FRAME_MESSAGE,
	/* a whole message that diameter_check() refuses (reserved flags,
	 * AVPs): the stream goes on after it */
	DIAMETER_FRAME_INVALID,
	/* the stream cannot be framed any more: close the connection */
	DIAMETER_FRAME_FATAL,
};

/*
 * Start a framer for messages of up to max_len bytes (20 to
 * DIAMETER_LEN_LIMIT), gathering them in buf, which holds max_len bytes
 * and stays the caller's (it must outlive the framer).  Returns 0, or
 * -EINVAL for a max_len out of range.
 */
int diameter_framer_init(struct diameter_framer *f, uint8_t *buf,
			 size_t max_len);

/*
 * Give the framer the next len bytes of the stream.  It borrows chunk
 * until diameter_framer_next() returns DIAMETER_FRAME_MORE or
 * DIAMETER_FRAME_FATAL; feed only then (or first).
 */
void diameter_framer_feed(struct diameter_framer *f, const uint8_t *chunk,
			  size_t len);

/*
 * The next message of the stream (see enum diameter_frame).  For MESSAGE
 * and INVALID, *msg and *len give it (in the chunk or in the framer's
 * buffer), valid until the next call on f or until the chunk goes; *err
 * is DIAMETER_OK for MESSAGE, the fault for INVALID and FATAL.  A FATAL
 * is reported as soon as the first 4 bytes of a message show it (Version
 * at the first byte, Message Length at the fourth), and again on every
 * later call.  *msg is NULL and *len 0 for MORE and FATAL.
 */
enum diameter_frame diameter_framer_next(struct diameter_framer *f,
					 const uint8_t **msg, size_t *len,
					 enum diameter_error *err);

/*
 * How many bytes of an incomplete message the framer holds: not 0 when
 * the stream ends means it ended inside a message.  0 after a FATAL.
 */
size_t diameter_framer_pending(const struct diameter_framer *f);

#endif
