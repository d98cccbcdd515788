/*
 * The DNS codec of the dns profile: see include/dtlsgw/dns.h.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dtlsgw/bytes.h"
#include "dtlsgw/dns.h"

const char *const dns_error_names[DNS_ERR_MAX] = {
	[DNS_OK] = "ok",
	[DNS_ERR_SHORT] = "short",
	[DNS_ERR_BAD_NAME] = "bad_name",
	[DNS_ERR_OVERRUN] = "overrun",
	[DNS_ERR_TRAILING] = "trailing",
	[DNS_ERR_QUESTION] = "no_question",
	[DNS_ERR_BAD_OPT] = "bad_opt",
	[DNS_ERR_DIRECTION] = "direction",
	[DNS_ERR_TOO_BIG] = "too_big",
	[DNS_ERR_TRUNCATED] = "truncated",
};

/* A name is at most 255 octets (RFC 1035 section 2.3.4). */
#define NAME_MAX_LEN	255
/* TYPE, CLASS, TTL, RDLENGTH after a record's name */
#define RR_FIXED_LEN	10

/* Step over the name at *pos; a pointer ends it and points backwards. */
static enum dns_error skip_name(const uint8_t *buf, size_t len, size_t *pos)
{
	size_t p = *pos, total = 1;

	for (;;) {
		uint8_t l;

		if (p >= len)
			return DNS_ERR_OVERRUN;
		l = buf[p];
		if ((l & 0xc0) == 0xc0) {
			size_t target;

			if (p + 1 >= len)
				return DNS_ERR_OVERRUN;
			target = (size_t)(l & 0x3f) << 8 | buf[p + 1];
			if (target < DNS_HEADER_LEN || target >= *pos)
				return DNS_ERR_BAD_NAME;
			*pos = p + 2;
			return DNS_OK;
		}
		if (l & 0xc0)
			return DNS_ERR_BAD_NAME;
		if (l == 0) {
			*pos = p + 1;
			return DNS_OK;
		}
		total += 1u + l;
		if (total > NAME_MAX_LEN)
			return DNS_ERR_BAD_NAME;
		p += 1u + l;
	}
}

/* The options of an OPT RR's RDATA buf[p..end) tile it exactly. */
static bool options_tile(const uint8_t *buf, size_t p, size_t end)
{
	while (p < end) {
		if (end - p < DNS_OPTION_HEADER_LEN)
			return false;
		if (be_get16(buf + p + 2) > end - p - DNS_OPTION_HEADER_LEN)
			return false;
		p += DNS_OPTION_HEADER_LEN + be_get16(buf + p + 2);
	}
	return true;
}

enum dns_error dns_parse(const uint8_t *buf, size_t len, struct dns_msg *m)
{
	enum dns_error e = DNS_ERR_SHORT;
	size_t pos = DNS_HEADER_LEN, nrr, i;

	memset(m, 0, sizeof(*m));
	if (len < DNS_HEADER_LEN)
		goto bad;
	m->id = be_get16(buf);
	m->flags = be_get16(buf + 2);
	m->qdcount = be_get16(buf + 4);
	m->ancount = be_get16(buf + 6);
	m->nscount = be_get16(buf + 8);
	m->arcount = be_get16(buf + 10);
	e = DNS_ERR_QUESTION;
	if (m->qdcount == 0)
		goto bad;
	for (i = 0; i < m->qdcount; i++) {
		if ((e = skip_name(buf, len, &pos)) != DNS_OK)
			goto bad;
		e = DNS_ERR_OVERRUN;
		if (len - pos < 4)
			goto bad;
		pos += 4;
	}
	m->question_end = pos;
	nrr = (size_t)m->ancount + m->nscount + m->arcount;
	for (i = 0; i < nrr; i++) {
		size_t start = pos, rdlen;

		if ((e = skip_name(buf, len, &pos)) != DNS_OK)
			goto bad;
		e = DNS_ERR_OVERRUN;
		if (len - pos < RR_FIXED_LEN)
			goto bad;
		rdlen = be_get16(buf + pos + 8);
		if (len - pos - RR_FIXED_LEN < rdlen)
			goto bad;
		if (be_get16(buf + pos) == DNS_TYPE_OPT) {
			/* root-named, once, in the additional section */
			e = DNS_ERR_BAD_OPT;
			if (pos != start + 1 || m->opt_off != 0 ||
			    i < (size_t)m->ancount + m->nscount ||
			    !options_tile(buf, pos + RR_FIXED_LEN,
					  pos + RR_FIXED_LEN + rdlen))
				goto bad;
			m->opt_off = start;
		}
		pos += RR_FIXED_LEN + rdlen;
	}
	e = DNS_ERR_TRAILING;
	if (pos != len)
		goto bad;
	m->len = len;
	return DNS_OK;
bad:
	memset(m, 0, sizeof(*m));
	return e;
}

enum dns_error dns_pad(uint8_t *buf, size_t *len, size_t cap,
		       struct dns_msg *m, size_t block, size_t max)
{
	size_t rdata = m->opt_off + DNS_OPT_FIXED_LEN;
	size_t end = rdata + be_get16(buf + m->opt_off + DNS_OPT_FIXED_LEN - 2);
	size_t r, w, base, target, pad;

	if (max > cap)
		max = cap;
	if (block == 0)
		block = 1;
	/* the message without its Padding options */
	base = *len;
	for (r = rdata; r < end; r += DNS_OPTION_HEADER_LEN + be_get16(buf + r + 2)) {
		if (be_get16(buf + r) == DNS_OPT_PADDING)
			base -= DNS_OPTION_HEADER_LEN + be_get16(buf + r + 2);
	}
	if (base > max)
		return DNS_ERR_TOO_BIG;
	for (r = w = rdata; r < end;) {
		size_t n = DNS_OPTION_HEADER_LEN + be_get16(buf + r + 2);

		if (be_get16(buf + r) != DNS_OPT_PADDING) {
			memmove(buf + w, buf + r, n);
			w += n;
		}
		r += n;
	}
	memmove(buf + w, buf + end, *len - end);
	*len = base;
	target = base + DNS_OPTION_HEADER_LEN;
	if (target <= max) {
		target = (target + block - 1) / block * block;
		if (target > max)
			target = max;
		pad = target - base - DNS_OPTION_HEADER_LEN;
		memmove(buf + w + DNS_OPTION_HEADER_LEN + pad, buf + w,
			*len - w);
		be_put16(buf + w, DNS_OPT_PADDING);
		be_put16(buf + w + 2, pad);
		memset(buf + w + DNS_OPTION_HEADER_LEN, 0, pad);
		w += DNS_OPTION_HEADER_LEN + pad;
		*len = target;
	}
	be_put16(buf + m->opt_off + DNS_OPT_FIXED_LEN - 2, w - rdata);
	m->len = *len;
	return DNS_OK;
}

enum dns_error dns_truncate(uint8_t *buf, size_t *len, struct dns_msg *m)
{
	size_t n = m->question_end;

	m->flags |= DNS_FLAG_TC;
	be_put16(buf + 2, m->flags);
	m->ancount = m->nscount = 0;
	m->arcount = m->opt_off != 0 ? 1 : 0;
	be_put16(buf + 6, 0);
	be_put16(buf + 8, 0);
	be_put16(buf + 10, m->arcount);
	if (m->opt_off != 0) {
		/* the OPT RR's fixed part, RDLENGTH 0 */
		memmove(buf + n, buf + m->opt_off, DNS_OPT_FIXED_LEN);
		be_put16(buf + n + DNS_OPT_FIXED_LEN - 2, 0);
		m->opt_off = n;
		n += DNS_OPT_FIXED_LEN;
	}
	*len = m->len = n;
	return DNS_OK;
}
