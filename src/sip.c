/*
 * The SIP message check: see include/dtlsgw/sip.h.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dtlsgw/sip.h"

const char *const sip_error_names[SIP_ERR_MAX] = {
	[SIP_OK] = "ok",
	[SIP_ERR_EMPTY] = "empty",
	[SIP_ERR_START_LINE] = "start_line",
	[SIP_ERR_VERSION] = "version",
	[SIP_ERR_LINE_END] = "line_end",
	[SIP_ERR_HEADER] = "header",
	[SIP_ERR_NO_END] = "no_end_of_headers",
	[SIP_ERR_CONTENT_LENGTH] = "content_length",
	[SIP_ERR_BODY_SHORT] = "body_short",
	[SIP_ERR_MISSING_HEADER] = "missing_header",
	[SIP_ERR_CSEQ] = "cseq",
};

const char *sip_error_name(enum sip_error e)
{
	return (unsigned int)e < SIP_ERR_MAX ? sip_error_names[e] : "?";
}

/* The headers every message carries (RFC 3261 section 8.1.1). */
enum hdr {
	HDR_OTHER = 0,
	HDR_VIA,
	HDR_FROM,
	HDR_TO,
	HDR_CALL_ID,
	HDR_CSEQ,
	HDR_CONTENT_LENGTH,
};
#define HDR_REQUIRED	((1u << HDR_VIA) | (1u << HDR_FROM) | (1u << HDR_TO) | \
			 (1u << HDR_CALL_ID) | (1u << HDR_CSEQ))

static const struct {
	const char	*name;
	const char	*compact;
	enum hdr	 hdr;
} known[] = {
	{ "via", "v", HDR_VIA },
	{ "from", "f", HDR_FROM },
	{ "to", "t", HDR_TO },
	{ "call-id", "i", HDR_CALL_ID },
	{ "cseq", NULL, HDR_CSEQ },
	{ "content-length", "l", HDR_CONTENT_LENGTH },
};

static bool is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

static bool is_ws(uint8_t c)
{
	return c == ' ' || c == '\t';
}

/* token (RFC 3261 section 25.1) */
static bool is_token(uint8_t c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c))
		return true;
	return c != '\0' && strchr("-.!%*_+`'~", c) != NULL;
}

static uint8_t lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

static bool eq_nocase(const uint8_t *p, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\0' || lower(p[i]) != (uint8_t)s[i])
			return false;
	}
	return s[i] == '\0';
}

/*
 * The line at buf[pos..): its length without the CRLF in *n, the start of
 * the next line in *next.  SIP_ERR_NO_END when no CRLF comes, LINE_END on
 * a bare CR or LF or a NUL.
 */
static enum sip_error line_at(const uint8_t *buf, size_t len, size_t pos,
			      size_t *n, size_t *next)
{
	for (size_t i = pos; i < len; i++) {
		if (buf[i] == '\r') {
			if (i + 1 >= len)
				return SIP_ERR_NO_END;
			if (buf[i + 1] != '\n')
				return SIP_ERR_LINE_END;
			*n = i - pos;
			*next = i + 2;
			return SIP_OK;
		}
		if (buf[i] == '\n' || buf[i] == '\0')
			return SIP_ERR_LINE_END;
	}
	return SIP_ERR_NO_END;
}

/* SIP-Version: "SIP/2.0", any case (RFC 3261 section 7.1) */
static bool is_version(const uint8_t *p, size_t n)
{
	return eq_nocase(p, n, "sip/2.0");
}

static bool looks_like_version(const uint8_t *p, size_t n)
{
	return n >= 4 && eq_nocase(p, 4, "sip/");
}

static enum sip_error start_line(const uint8_t *p, size_t n,
				 struct sip_msg *m)
{
	const uint8_t *sp1, *sp2;
	size_t i;

	sp1 = memchr(p, ' ', n);
	if (sp1 == NULL)
		return SIP_ERR_START_LINE;
	if (looks_like_version(p, (size_t)(sp1 - p))) {
		size_t rest = n - (size_t)(sp1 - p) - 1;
		const uint8_t *c = sp1 + 1;

		if (!is_version(p, (size_t)(sp1 - p)))
			return SIP_ERR_VERSION;
		/* 3DIGIT SP Reason-Phrase (which may be empty) */
		if (rest < 4 || !is_digit(c[0]) || !is_digit(c[1]) ||
		    !is_digit(c[2]) || c[3] != ' ' || c[0] < '1' || c[0] > '6')
			return SIP_ERR_START_LINE;
		m->status = (unsigned int)(c[0] - '0') * 100 +
			    (unsigned int)(c[1] - '0') * 10 +
			    (unsigned int)(c[2] - '0');
		m->request = false;
		return SIP_OK;
	}
	/* Method SP Request-URI SP SIP-Version */
	for (i = 0; p + i < sp1; i++) {
		if (!is_token(p[i]))
			return SIP_ERR_START_LINE;
	}
	if (i == 0)
		return SIP_ERR_START_LINE;
	sp2 = memchr(sp1 + 1, ' ', n - (size_t)(sp1 - p) - 1);
	if (sp2 == NULL || sp2 == sp1 + 1)
		return SIP_ERR_START_LINE;
	/* the Request-URI: an absolute URI, a scheme and a colon, no spaces
	 * or controls */
	if (memchr(sp1 + 1, ':', (size_t)(sp2 - sp1 - 1)) == NULL)
		return SIP_ERR_START_LINE;
	for (const uint8_t *c = sp1 + 1; c < sp2; c++) {
		if (*c < 0x21 || *c == 0x7f)
			return SIP_ERR_START_LINE;
	}
	if (!is_version(sp2 + 1, n - (size_t)(sp2 - p) - 1))
		return looks_like_version(sp2 + 1, n - (size_t)(sp2 - p) - 1) ?
			       SIP_ERR_VERSION :
			       SIP_ERR_START_LINE;
	m->request = true;
	m->method = p;
	m->method_len = i;
	return SIP_OK;
}

static enum hdr header_kind(const uint8_t *name, size_t n)
{
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (eq_nocase(name, n, known[i].name) ||
		    (known[i].compact != NULL &&
		     eq_nocase(name, n, known[i].compact)))
			return known[i].hdr;
	}
	return HDR_OTHER;
}

/* 1*DIGIT, below 2^31 (CSeq, RFC 3261 section 8.1.1.5) or at most 9 digits */
static bool number(const uint8_t *p, size_t n, size_t *used, uint32_t *v)
{
	uint64_t x = 0;
	size_t i;

	for (i = 0; i < n && is_digit(p[i]); i++) {
		x = x * 10 + (uint64_t)(p[i] - '0');
		if (x >= (1ull << 31))
			return false;
	}
	*used = i;
	*v = (uint32_t)x;
	return i > 0;
}

static void trim(const uint8_t **p, size_t *n)
{
	while (*n > 0 && is_ws(**p)) {
		(*p)++;
		(*n)--;
	}
	while (*n > 0 && is_ws((*p)[*n - 1]))
		(*n)--;
}

/* Content-Length: 1*DIGIT */
static enum sip_error content_length(const uint8_t *v, size_t n,
				     struct sip_msg *m, uint32_t *cl)
{
	uint32_t x;
	size_t used;

	trim(&v, &n);
	if (!number(v, n, &used, &x) || used != n)
		return SIP_ERR_CONTENT_LENGTH;
	if (m->has_content_length && x != *cl)
		return SIP_ERR_CONTENT_LENGTH;
	m->has_content_length = true;
	*cl = x;
	return SIP_OK;
}

/* CSeq: 1*DIGIT LWS Method, the request's own */
static enum sip_error cseq(const uint8_t *v, size_t n, const struct sip_msg *m)
{
	uint32_t x;
	size_t used, i;

	trim(&v, &n);
	if (!number(v, n, &used, &x) || used == n || !is_ws(v[used]))
		return SIP_ERR_CSEQ;
	v += used;
	n -= used;
	trim(&v, &n);
	for (i = 0; i < n; i++) {
		if (!is_token(v[i]))
			return SIP_ERR_CSEQ;
	}
	if (n == 0)
		return SIP_ERR_CSEQ;
	if (m->request &&
	    (n != m->method_len || memcmp(v, m->method, n) != 0))
		return SIP_ERR_CSEQ;
	return SIP_OK;
}

enum sip_error sip_parse(const uint8_t *buf, size_t len, struct sip_msg *m)
{
	enum sip_error e;
	enum hdr last = HDR_OTHER;
	unsigned int seen = 0;
	bool any = false;
	uint32_t cl = 0;
	size_t pos = 0, n, next;

	memset(m, 0, sizeof(*m));
	if (len == 0)
		return SIP_ERR_EMPTY;
	e = line_at(buf, len, pos, &n, &next);
	if (e == SIP_OK)
		e = start_line(buf, n, m);
	else if (e == SIP_ERR_NO_END)
		e = SIP_ERR_START_LINE;
	if (e != SIP_OK)
		goto bad;
	for (pos = next;; pos = next) {
		const uint8_t *l = buf + pos, *colon, *name_end;
		enum hdr h;

		e = line_at(buf, len, pos, &n, &next);
		if (e != SIP_OK)
			goto bad;
		if (n == 0)
			break;
		if (is_ws(l[0])) {
			/* folded onto the header before it: not the numbers */
			if (!any || last == HDR_CSEQ ||
			    last == HDR_CONTENT_LENGTH) {
				e = SIP_ERR_HEADER;
				goto bad;
			}
			continue;
		}
		colon = memchr(l, ':', n);
		if (colon == NULL) {
			e = SIP_ERR_HEADER;
			goto bad;
		}
		name_end = colon;
		while (name_end > l && is_ws(name_end[-1]))
			name_end--;
		if (name_end == l) {
			e = SIP_ERR_HEADER;
			goto bad;
		}
		for (const uint8_t *c = l; c < name_end; c++) {
			if (!is_token(*c)) {
				e = SIP_ERR_HEADER;
				goto bad;
			}
		}
		h = header_kind(l, (size_t)(name_end - l));
		if (h == HDR_CONTENT_LENGTH)
			e = content_length(colon + 1, n - (size_t)(colon - l) - 1,
					   m, &cl);
		else if (h == HDR_CSEQ)
			e = (seen & (1u << HDR_CSEQ)) ? SIP_ERR_CSEQ :
				cseq(colon + 1, n - (size_t)(colon - l) - 1, m);
		if (e != SIP_OK)
			goto bad;
		seen |= 1u << h;
		last = h;
		any = true;
	}
	if ((seen & HDR_REQUIRED) != HDR_REQUIRED) {
		e = SIP_ERR_MISSING_HEADER;
		goto bad;
	}
	m->head_len = next;
	if (m->has_content_length) {
		if (cl > len - m->head_len) {
			e = SIP_ERR_BODY_SHORT;
			goto bad;
		}
		m->body_len = cl;
	} else {
		m->body_len = len - m->head_len;
	}
	m->len = m->head_len + m->body_len;
	return SIP_OK;
bad:
	memset(m, 0, sizeof(*m));
	return e;
}

#define STUN_HEADER_LEN		20
#define STUN_MAGIC_COOKIE	0x2112a442u

bool sip_is_keepalive(const uint8_t *buf, size_t len)
{
	uint32_t cookie;

	if ((len == 2 && memcmp(buf, "\r\n", 2) == 0) ||
	    (len == 4 && memcmp(buf, "\r\n\r\n", 4) == 0))
		return true;
	if (len < STUN_HEADER_LEN || (buf[0] & 0xc0) != 0)
		return false;
	cookie = (uint32_t)buf[4] << 24 | (uint32_t)buf[5] << 16 |
		 (uint32_t)buf[6] << 8 | buf[7];
	return cookie == STUN_MAGIC_COOKIE &&
	       ((size_t)buf[2] << 8 | buf[3]) == len - STUN_HEADER_LEN &&
	       (len & 3) == 0;
}
