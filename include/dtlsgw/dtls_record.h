/*
 * The DTLS record layer ahead of the TLS library (RFC 6347 section 4.1):
 * checking that a datagram is made of whole DTLS records, and reading a
 * ClientHello far enough to find its cookie (section 4.2.1), so that a
 * HelloVerifyRequest can be sent before any per-peer state exists.
 *
 * Pure functions over peer bytes: no allocation, no library calls.
 */
#ifndef DTLSGW_DTLS_RECORD_H
#define DTLSGW_DTLS_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DTLS_RECORD_HEADER_LEN		13
#define DTLS_HANDSHAKE_HEADER_LEN	12
/* 2^14 plus the largest expansion RFC 6347 allows (2048) */
#define DTLS_RECORD_MAX_PAYLOAD		(16384 + 2048)
#define DTLS_COOKIE_MAX			255
#define DTLS_HVR_COOKIE_LEN		32

enum dtls_content_type {
	DTLS_CT_CHANGE_CIPHER_SPEC = 20,
	DTLS_CT_ALERT = 21,
	DTLS_CT_HANDSHAKE = 22,
	DTLS_CT_APPLICATION_DATA = 23,
	DTLS_CT_HEARTBEAT = 24,
};

enum dtls_handshake_type {
	DTLS_HT_CLIENT_HELLO = 1,
	DTLS_HT_HELLO_VERIFY_REQUEST = 3,
};

/* Why a datagram was refused; also the names of drop counters. */
enum dtls_scan_result {
	DTLS_SCAN_OK = 0,
	DTLS_SCAN_EMPTY,		/* zero bytes */
	DTLS_SCAN_NOT_DTLS,		/* unknown content type or version */
	DTLS_SCAN_TRUNCATED,		/* a record runs past the datagram */
	DTLS_SCAN_TOO_LONG,		/* a record longer than allowed */
};

struct dtls_record {
	uint8_t		 type;
	uint8_t		 version[2];
	uint16_t	 epoch;
	uint64_t	 seq;		/* 48 bits */
	uint16_t	 length;
	const uint8_t	*payload;
};

/*
 * The record at dg[*off..len): true with its header in *r and *off past
 * it, false (and *off unchanged) when what is left is not a whole record.
 * Checks nothing more (type, version): for walking datagrams that
 * dtls_record_scan() passed, or that a TLS library wrote.
 */
bool dtls_record_next(const uint8_t *dg, size_t len, size_t *off,
		      struct dtls_record *r);

/*
 * Check that dg[0..len) is a sequence of whole DTLS 1.0/1.2 records;
 * returns DTLS_SCAN_OK and the first record in *first (may be NULL), and
 * the number of records in *count (may be NULL).
 */
enum dtls_scan_result dtls_record_scan(const uint8_t *dg, size_t len,
				       struct dtls_record *first,
				       size_t *count);

/* A static name for r ("ok", "not_dtls", ...). */
const char *dtls_scan_result_name(enum dtls_scan_result r);

/* The parts of a ClientHello that the cookie covers (all point into dg). */
struct dtls_client_hello {
	uint64_t	 record_seq;
	uint16_t	 message_seq;
	uint32_t	 message_len;		/* the whole ClientHello's body */
	bool		 fragment;		/* dg holds only its first fragment */
	const uint8_t	*version;		/* 2 bytes: client_version */
	const uint8_t	*random;		/* 32 bytes */
	const uint8_t	*session_id;
	size_t		 session_id_len;
	const uint8_t	*cookie;
	size_t		 cookie_len;
	const uint8_t	*cipher_suites;		/* without the length prefix */
	size_t		 cipher_suites_len;
	const uint8_t	*compression;		/* without the length prefix */
	size_t		 compression_len;
	size_t		 datagram_len;
};

enum dtls_hello_parse {
	DTLS_HELLO_OK = 0,
	DTLS_HELLO_NOT_HELLO,		/* a valid datagram, but not an initial ClientHello */
	DTLS_HELLO_FRAGMENTED,		/* a later fragment, or a first one too short */
	DTLS_HELLO_MALFORMED,
};

/*
 * Parse the first record of dg as a ClientHello in epoch 0: whole, or the
 * first fragment of one (fragment_offset 0) when that fragment holds every
 * field up to the compression methods, which is all the cookie covers.
 * Returns DTLS_HELLO_OK with *ch filled, or why not.
 */
enum dtls_hello_parse dtls_parse_client_hello(const uint8_t *dg, size_t len,
					      struct dtls_client_hello *ch);

/*
 * Write a HelloVerifyRequest answering ch with cookie (cookie_len bytes)
 * into out (cap bytes).  Record sequence number: the ClientHello's (RFC
 * 6347 4.2.1); versions DTLS 1.0 as the RFC asks.  Returns its length, or
 * 0 when cap is too small.
 */
size_t dtls_build_hello_verify(uint8_t *out, size_t cap,
			       const struct dtls_client_hello *ch,
			       const uint8_t *cookie, size_t cookie_len);

/*
 * Reassembly of a fragmented ClientHello, once its first fragment carried a
 * valid cookie (before that nothing is kept).  wolfSSL 5.5.4 ignores a
 * ClientHello in fragments, and clients with a small MTU (socat's DTLS
 * client uses 256 bytes) send one; the gateway reassembles it and hands
 * wolfSSL the same message in one record, which hashes the same in the
 * handshake transcript (RFC 6347 4.2.6).
 */
#define DTLS_HELLO_MAX_LEN	16384

struct dtls_hello_reasm {
	uint8_t		*msg;		/* record header + handshake header + body */
	uint8_t		*have;		/* one bit per body byte received */
	uint32_t	 len;		/* body length */
	uint32_t	 missing;	/* body bytes still missing */
	uint16_t	 message_seq;
	uint64_t	 record_seq;	/* the highest seen */
	uint8_t		 version[2];	/* record version */
};

/*
 * Start reassembling the ClientHello whose first fragment begins dg (as
 * parsed into ch) and add every fragment dg holds.  0, -ENOMEM, or -EINVAL
 * when it is longer than DTLS_HELLO_MAX_LEN.
 */
int dtls_hello_reasm_start(struct dtls_hello_reasm *r,
			   const struct dtls_client_hello *ch,
			   const uint8_t *dg, size_t len);

/*
 * Add the ClientHello fragments of a datagram (other records are ignored;
 * a fragment that contradicts what is held is refused).  Returns 1 when
 * the message is complete, 0 when more is needed, -EINVAL for a datagram
 * that does not fit.
 */
int dtls_hello_reasm_add(struct dtls_hello_reasm *r, const uint8_t *dg,
			 size_t len);

/* The whole ClientHello as one DTLS record, once complete. */
const uint8_t *dtls_hello_reasm_record(struct dtls_hello_reasm *r,
				       size_t *len);

/* Free what r holds.  A zeroed r is fine. */
void dtls_hello_reasm_free(struct dtls_hello_reasm *r);

#endif
