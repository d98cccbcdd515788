/*
 * The SIP message check of the sip profile (RFC 3261 section 7, the
 * message format, and section 18.3, framing over a message transport).
 *
 * A datagram (or an SCTP user message) must hold one whole SIP message:
 *
 *   start-line   Request-Line:  Method SP Request-URI SP SIP-Version CRLF
 *                Status-Line:   SIP-Version SP 3DIGIT SP Reason-Phrase CRLF
 *   headers      name HCOLON value CRLF, folded onto lines that begin
 *                with SP or HTAB
 *   CRLF         the empty line
 *   body         exactly Content-Length ("l") bytes when the header is
 *                there, else the rest of the datagram
 *
 * RFC 3261 18.3: a body longer than the datagram holds is an error (the
 * message is discarded); bytes past Content-Length are discarded.  Via,
 * From, To, Call-ID and CSeq (and their compact forms v, f, t, i) must be
 * present (section 8.1.1), CSeq a number below 2^31 and, in a request,
 * the request's method (section 8.1.1.5).
 *
 * Pure functions over bytes: no allocation, no I/O.
 */
#ifndef DTLSGW_SIP_H
#define DTLSGW_SIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Why a message was refused; sip_error_name() gives the drop-counter
 * names (the route prefixes them: "sip_start_line").
 */
enum sip_error {
	SIP_OK = 0,
	SIP_ERR_EMPTY,		/* no bytes at all */
	SIP_ERR_START_LINE,	/* neither a Request-Line nor a Status-Line */
	SIP_ERR_VERSION,	/* a SIP-Version other than SIP/2.0 */
	SIP_ERR_LINE_END,	/* a bare CR or LF, or a NUL, in the head */
	SIP_ERR_HEADER,		/* a line that is no "name: value" */
	SIP_ERR_NO_END,		/* the headers do not end with an empty line */
	SIP_ERR_CONTENT_LENGTH,	/* not a number, or two that differ */
	SIP_ERR_BODY_SHORT,	/* Content-Length beyond the datagram */
	SIP_ERR_MISSING_HEADER,	/* Via, From, To, Call-ID or CSeq missing */
	SIP_ERR_CSEQ,		/* CSeq not "number method" matching the request */
	SIP_ERR_MAX,
};

/* A static snake_case name for e ("ok", "start_line", ...). */
const char *sip_error_name(enum sip_error e);

/* The same names, indexed by sip_error: the adapter's drop reasons. */
extern const char *const sip_error_names[SIP_ERR_MAX];

/* What sip_parse() found, pointing into the message. */
struct sip_msg {
	bool		 request;	/* else a response */
	const uint8_t	*method;	/* a request's method */
	size_t		 method_len;
	unsigned int	 status;	/* a response's Status-Code */
	size_t		 head_len;	/* start line, headers, the empty line */
	size_t		 body_len;
	size_t		 len;		/* head_len + body_len: what goes on */
	bool		 has_content_length;
};

/*
 * Check that buf[0..len) is one whole SIP message as above.  Returns
 * SIP_OK and fills *m (m->len may be shorter than len: the bytes past
 * Content-Length, which the caller cuts off), or the first fault found
 * (*m zeroed).  Safe on any bytes: len bounds every read.
 */
enum sip_error sip_parse(const uint8_t *buf, size_t len, struct sip_msg *m);

/*
 * Is buf[0..len) a keep-alive rather than a message: CRLF or CRLFCRLF
 * (RFC 5626 section 3.5.1), or a STUN message (RFC 5626 section 4.4.2:
 * first two bits 0, the magic cookie, a length that fits)?  Those pass
 * unchanged.
 */
bool sip_is_keepalive(const uint8_t *buf, size_t len);

#endif
