/*
 * The DNS codec of the dns profile, DNS over DTLS (RFC 8094): enough of
 * RFC 1035 section 4.1 to walk a message (header, question, resource
 * records, names with compression pointers), the OPT pseudo-RR of EDNS(0)
 * (RFC 6891 section 6.1) and its Padding option (RFC 7830), the block
 * padding of RFC 8467 section 4.1, and the truncated answer (TC, RFC 1035
 * section 4.1.1) RFC 8094 section 6 asks for when an answer does not fit.
 *
 * Pure functions over bytes: no allocation, no I/O.
 */
#ifndef DTLSGW_DNS_H
#define DTLSGW_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DNS_HEADER_LEN		12
#define DNS_FLAG_QR		0x8000
#define DNS_FLAG_TC		0x0200
#define DNS_TYPE_OPT		41
#define DNS_OPT_PADDING		12
/* The OPT RR's fixed part: root name, TYPE, CLASS, TTL, RDLENGTH. */
#define DNS_OPT_FIXED_LEN	11
/* An option's header: OPTION-CODE, OPTION-LENGTH. */
#define DNS_OPTION_HEADER_LEN	4
/* RFC 8467 section 4.1: the Block-Length Padding recommended. */
#define DNS_PAD_QUERY		128
#define DNS_PAD_RESPONSE	468

/*
 * Why a message was refused; dns_error_names[] are the drop-counter
 * names (the route prefixes them: "dns_bad_name").
 */
enum dns_error {
	DNS_OK = 0,
	DNS_ERR_SHORT,		/* shorter than the header */
	DNS_ERR_BAD_NAME,	/* a label type, pointer or name length that is wrong */
	DNS_ERR_OVERRUN,	/* a question or record past the end */
	DNS_ERR_TRAILING,	/* bytes after the last record */
	DNS_ERR_QUESTION,	/* a message with no question */
	DNS_ERR_BAD_OPT,	/* OPT not root-named, twice, or its options do not tile */
	DNS_ERR_DIRECTION,	/* a response where a query belongs, or the reverse */
	DNS_ERR_TOO_BIG,	/* does not fit, even truncated */
	DNS_ERR_TRUNCATED,	/* not an error: an answer replaced by a TC answer */
	DNS_ERR_MAX,
};

extern const char *const dns_error_names[DNS_ERR_MAX];

/* What dns_parse() found: offsets into the message. */
struct dns_msg {
	uint16_t	id;
	uint16_t	flags;
	uint16_t	qdcount, ancount, nscount, arcount;
	size_t		question_end;	/* the end of the question section */
	size_t		opt_off;	/* the OPT RR, 0: none */
	size_t		len;
};

/*
 * Walk buf[0..len): the header, every question and record, each name's
 * labels (a compression pointer must point backwards, inside the message),
 * an OPT RR only in the additional section, root-named, once, its options
 * tiling its RDATA.  At least one question.  Returns DNS_OK and fills *m,
 * or the first fault (*m zeroed).  Safe on any bytes.
 */
enum dns_error dns_parse(const uint8_t *buf, size_t len, struct dns_msg *m);

/*
 * Pad the message buf[0..*len) that dns_parse() described in m (which
 * must have an OPT RR) with the Padding option: any Padding options it
 * has are removed, and one is added to make the message a multiple of
 * block bytes, at most max bytes (less padding when a whole block would
 * pass max, none when even that does not fit).  The bytes after the OPT
 * RR move; cap is what buf holds.  Returns DNS_OK with *len and m
 * updated, or DNS_ERR_TOO_BIG (buf unchanged) when the message without
 * padding is over max or cap.
 */
enum dns_error dns_pad(uint8_t *buf, size_t *len, size_t cap,
		       struct dns_msg *m, size_t block, size_t max);

/*
 * Rewrite the response buf[0..*len) that dns_parse() described in m as
 * its truncated form, in place: the header with TC set and only the
 * question (and the OPT RR without its options, when it had one: RFC 6891
 * section 7), the answer, authority and additional records gone.
 * Returns DNS_OK with *len and m updated.
 */
enum dns_error dns_truncate(uint8_t *buf, size_t *len, struct dns_msg *m);

#endif
