/*
 * The framing of the syslog profile: syslog over DTLS (RFC 6012 section
 * 5.3) carries syslog messages in DTLS application data with the
 * octet-counting framing of syslog over TLS (RFC 5425 section 4.3):
 *
 *   APPLICATION-DATA = 1*SYSLOG-FRAME
 *   SYSLOG-FRAME     = MSG-LEN SP SYSLOG-MSG
 *   MSG-LEN          = NONZERO-DIGIT *DIGIT    ; octets of SYSLOG-MSG
 *
 * while syslog over UDP (RFC 5426) carries one message per datagram, bare.
 * Pure functions over bytes: no allocation, no I/O.
 */
#ifndef DTLSGW_SYSLOG_H
#define DTLSGW_SYSLOG_H

#include <stddef.h>
#include <stdint.h>

/* "MSG-LEN SP" for any message a record holds: up to 9 digits and SP. */
#define SYSLOG_FRAME_HEADER_MAX	10
/* The longest MSG-LEN taken: 9 digits (a record holds 2^14 bytes). */
#define SYSLOG_LEN_DIGITS_MAX	9

/*
 * Why a record was refused; syslog_error_names[] are the drop-counter
 * names (the route prefixes them: "syslog_bad_length").
 */
enum syslog_error {
	SYSLOG_OK = 0,
	SYSLOG_ERR_EMPTY,	/* no message at all (an empty datagram or record) */
	SYSLOG_ERR_BAD_LENGTH,	/* no NONZERO-DIGIT *DIGIT SP where a frame begins */
	SYSLOG_ERR_SPLIT,	/* MSG-LEN runs past the end of the record */
	SYSLOG_ERR_TOO_BIG,	/* the framed message does not fit the buffer */
	SYSLOG_ERR_MAX,
};

extern const char *const syslog_error_names[SYSLOG_ERR_MAX];

/*
 * Write "MSG-LEN SP" for a message of msg_len (1 or more) octets into out;
 * returns its length (at most SYSLOG_FRAME_HEADER_MAX), or 0 when msg_len
 * is 0 or has more than SYSLOG_LEN_DIGITS_MAX digits.
 */
size_t syslog_frame_header(size_t msg_len,
			   uint8_t out[SYSLOG_FRAME_HEADER_MAX]);

/*
 * The frame at buf[*off..len): SYSLOG_OK with its SYSLOG-MSG in *msg and
 * *msg_len and *off moved past it; SYSLOG_ERR_EMPTY when *off == len (no
 * frame left); else the fault (*off unchanged).  Safe on any bytes.
 */
enum syslog_error syslog_frame_next(const uint8_t *buf, size_t len,
				    size_t *off, const uint8_t **msg,
				    size_t *msg_len);

/*
 * Check that buf[0..len) is 1*SYSLOG-FRAME: SYSLOG_OK with the number of
 * frames in *count, or the first fault (EMPTY when len is 0).
 */
enum syslog_error syslog_check(const uint8_t *buf, size_t len, size_t *count);

#endif
