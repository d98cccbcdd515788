/*
 * A small BER/DER reader and writer (X.690): see dtlsgw/ber.h.
 */
#include <string.h>

#include "dtlsgw/ber.h"

enum ber_status ber_next(struct ber_reader *r, struct ber_tlv *t)
{
	size_t rest = r->len - r->off, hdr = 2, len;
	const uint8_t *p = r->p + r->off;

	memset(t, 0, sizeof(*t));
	if (rest < 2)
		return BER_ERR_LENGTH;
	if ((p[0] & 0x1f) == 0x1f)
		return BER_ERR_TAG;
	len = p[1];
	if (len & 0x80) {
		size_t n = len & 0x7f;

		/* 0x80: indefinite; 0xff is reserved (X.690 8.1.3.5) */
		if (n == 0 || n > 4)
			return BER_ERR_INDEFINITE;
		if (rest < 2 + n)
			return BER_ERR_LENGTH;
		len = 0;
		for (size_t i = 0; i < n; i++)
			len = len << 8 | p[2 + i];
		hdr += n;
	}
	if (len > rest - hdr)
		return BER_ERR_LENGTH;
	t->tag = p[0];
	t->v = p + hdr;
	t->len = len;
	t->start = p;
	t->total = hdr + len;
	r->off += hdr + len;
	return BER_OK;
}

enum ber_status ber_expect(struct ber_reader *r, uint8_t tag,
			   struct ber_tlv *t)
{
	size_t off = r->off;
	enum ber_status st = ber_next(r, t);

	if (st == BER_OK && t->tag != tag) {
		r->off = off;
		return BER_ERR_TAG;
	}
	return st;
}

bool ber_int32(const struct ber_tlv *t, int32_t *out)
{
	uint32_t u;

	*out = 0;
	if (t->len == 0 || t->len > 4)
		return false;
	/* the first 9 bits are not all equal (X.690 8.3.2) */
	if (t->len > 1 && ((t->v[0] == 0x00 && !(t->v[1] & 0x80)) ||
			   (t->v[0] == 0xff && (t->v[1] & 0x80))))
		return false;
	u = (t->v[0] & 0x80) ? UINT32_MAX : 0;
	for (size_t i = 0; i < t->len; i++)
		u = u << 8 | t->v[i];
	memcpy(out, &u, sizeof(*out));
	return true;
}

void ber_put_raw(struct ber_writer *w, const void *p, size_t n)
{
	if (w->overflow || n > w->pos) {
		w->overflow = true;
		return;
	}
	w->pos -= n;
	if (n > 0)
		memcpy(w->buf + w->pos, p, n);
}

void ber_put_header(struct ber_writer *w, uint8_t tag, size_t len)
{
	uint8_t h[6];
	size_t n = 0;

	h[n++] = tag;
	if (len < 0x80) {
		h[n++] = (uint8_t)len;
	} else {
		size_t k = len > 0xffffff ? 4 : len > 0xffff ? 3 :
			   len > 0xff ? 2 : 1;

		h[n++] = (uint8_t)(0x80 | k);
		for (size_t i = k; i > 0; i--)
			h[n++] = (uint8_t)(len >> (8 * (i - 1)));
	}
	ber_put_raw(w, h, n);
}

void ber_put_tlv(struct ber_writer *w, uint8_t tag, const void *p, size_t n)
{
	ber_put_raw(w, p, n);
	ber_put_header(w, tag, n);
}

void ber_put_int32(struct ber_writer *w, uint8_t tag, int32_t v)
{
	uint8_t b[4];
	uint32_t u;
	size_t i = 0;

	memcpy(&u, &v, sizeof(u));
	for (int k = 3; k >= 0; k--)
		b[3 - k] = (uint8_t)(u >> (8 * k));
	/* drop leading octets that only repeat the sign */
	while (i < 3 && ((b[i] == 0x00 && !(b[i + 1] & 0x80)) ||
			 (b[i] == 0xff && (b[i + 1] & 0x80))))
		i++;
	ber_put_tlv(w, tag, b + i, 4 - i);
}
