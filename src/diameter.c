/*
 * The Diameter framing codec: the header and AVP framing of RFC 6733
 * sections 3 and 4.1, and a framer that cuts a TCP byte stream into
 * messages (section 2.1).
 */
#include <errno.h>
#include <string.h>

#include "dtlsgw/bytes.h"
#include "dtlsgw/diameter.h"

/* What a framer needs to see of a message before it can judge it. */
#define PREFIX_LEN	4

static size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

const char *diameter_error_name(enum diameter_error e)
{
	switch (e) {
	case DIAMETER_OK:
		return "ok";
	case DIAMETER_ERR_SHORT:
		return "short";
	case DIAMETER_ERR_TRAILING:
		return "trailing";
	case DIAMETER_ERR_BAD_VERSION:
		return "bad_version";
	case DIAMETER_ERR_BAD_LENGTH:
		return "bad_length";
	case DIAMETER_ERR_TOO_LONG:
		return "too_long";
	case DIAMETER_ERR_UNALIGNED_LENGTH:
		return "unaligned_length";
	case DIAMETER_ERR_RESERVED_FLAGS:
		return "reserved_flags";
	case DIAMETER_ERR_BAD_AVP_LENGTH:
		return "bad_avp_length";
	case DIAMETER_ERR_AVP_OVERRUN:
		return "avp_overrun";
	}
	return "?";
}

enum diameter_error diameter_header_parse(const uint8_t *p, size_t len,
					  struct diameter_header *h)
{
	memset(h, 0, sizeof(*h));
	if (len < DIAMETER_HEADER_LEN)
		return DIAMETER_ERR_SHORT;
	h->version = p[0];
	h->length = be_get24(p + 1);
	h->flags = p[4];
	h->code = be_get24(p + 5);
	h->app_id = be_get32(p + 8);
	h->hop_by_hop = be_get32(p + 12);
	h->end_to_end = be_get32(p + 16);
	return DIAMETER_OK;
}

/*
 * Judge the first n bytes of a message (n < 4: as far as they go): its
 * Version from the first byte, its Message Length from the fourth, which
 * then goes to *mlen (else 0).  What a stream cannot get past.
 */
static enum diameter_error check_prefix(const uint8_t *p, size_t n,
					size_t max_len, size_t *mlen)
{
	size_t l;

	*mlen = 0;
	if (n >= 1 && p[0] != DIAMETER_VERSION)
		return DIAMETER_ERR_BAD_VERSION;
	if (n < PREFIX_LEN)
		return DIAMETER_OK;
	l = be_get24(p + 1);
	if (l < DIAMETER_HEADER_LEN)
		return DIAMETER_ERR_BAD_LENGTH;
	if (l > max_len)
		return DIAMETER_ERR_TOO_LONG;
	if (l % 4 != 0)
		return DIAMETER_ERR_UNALIGNED_LENGTH;
	*mlen = l;
	return DIAMETER_OK;
}

enum diameter_error diameter_avp_next(const uint8_t *msg, size_t len,
				      size_t *off, struct diameter_avp *avp)
{
	size_t o = *off < DIAMETER_HEADER_LEN ? DIAMETER_HEADER_LEN : *off;
	size_t hlen = DIAMETER_AVP_HEADER_LEN;

	memset(avp, 0, sizeof(*avp));
	*off = o;
	if (o >= len)
		return DIAMETER_ERR_SHORT;
	if (len - o < DIAMETER_AVP_HEADER_LEN)
		return DIAMETER_ERR_AVP_OVERRUN;
	avp->code = be_get32(msg + o);
	avp->flags = msg[o + 4];
	avp->length = be_get24(msg + o + 5);
	if (avp->flags & DIAMETER_AVP_VENDOR)
		hlen = DIAMETER_AVP_VENDOR_HEADER_LEN;
	if (avp->length < hlen)
		return DIAMETER_ERR_BAD_AVP_LENGTH;
	if (pad4(avp->length) > len - o)
		return DIAMETER_ERR_AVP_OVERRUN;
	if (hlen == DIAMETER_AVP_VENDOR_HEADER_LEN)
		avp->vendor_id = be_get32(msg + o + DIAMETER_AVP_HEADER_LEN);
	avp->data = msg + o + hlen;
	avp->data_len = avp->length - hlen;
	*off = o + pad4(avp->length);
	return DIAMETER_OK;
}

enum diameter_error diameter_check(const uint8_t *p, size_t len,
				   size_t max_len)
{
	struct diameter_avp avp;
	enum diameter_error e;
	size_t mlen, off = 0;

	e = check_prefix(p, len, max_len, &mlen);
	if (e != DIAMETER_OK)
		return e;
	/* under 4 bytes, mlen is 0 */
	if (len < DIAMETER_HEADER_LEN || mlen > len)
		return DIAMETER_ERR_SHORT;
	if (mlen < len)
		return DIAMETER_ERR_TRAILING;
	if (p[4] & DIAMETER_FLAGS_RESERVED)
		return DIAMETER_ERR_RESERVED_FLAGS;
	while ((e = diameter_avp_next(p, len, &off, &avp)) == DIAMETER_OK)
		;
	return e == DIAMETER_ERR_SHORT ? DIAMETER_OK : e;
}

uint32_t diameter_msg_length(const uint8_t *msg)
{
	return be_get24(msg + 1);
}

uint32_t diameter_command_code(const uint8_t *msg)
{
	return be_get24(msg + 5);
}

uint32_t diameter_app_id(const uint8_t *msg)
{
	return be_get32(msg + 8);
}

uint32_t diameter_hop_by_hop(const uint8_t *msg)
{
	return be_get32(msg + 12);
}

uint32_t diameter_end_to_end(const uint8_t *msg)
{
	return be_get32(msg + 16);
}

bool diameter_is_request(const uint8_t *msg)
{
	return (msg[4] & DIAMETER_FLAG_REQUEST) != 0;
}

bool diameter_find_avp(const uint8_t *msg, size_t len, uint32_t code,
		       uint32_t vendor_id, struct diameter_avp *avp)
{
	size_t off = 0;

	while (diameter_avp_next(msg, len, &off, avp) == DIAMETER_OK) {
		if (avp->code == code && avp->vendor_id == vendor_id)
			return true;
	}
	memset(avp, 0, sizeof(*avp));
	return false;
}

int diameter_framer_init(struct diameter_framer *f, uint8_t *buf,
			 size_t max_len)
{
	memset(f, 0, sizeof(*f));
	if (max_len < DIAMETER_HEADER_LEN || max_len > DIAMETER_LEN_LIMIT)
		return -EINVAL;
	f->buf = buf;
	f->max_len = max_len;
	return 0;
}

void diameter_framer_feed(struct diameter_framer *f, const uint8_t *chunk,
			  size_t len)
{
	f->in = chunk;
	f->in_len = len;
}

size_t diameter_framer_pending(const struct diameter_framer *f)
{
	return f->have;
}

/*
 * Move up to n bytes of the chunk to the buffer: the framer's one copy,
 * for a message that does not lie whole in one chunk.
 */
static void gather(struct diameter_framer *f, size_t n)
{
	if (n > f->in_len)
		n = f->in_len;
	memcpy(f->buf + f->have, f->in, n);
	f->have += n;
	f->in += n;
	f->in_len -= n;
}

/* Stop framing for good: what was gathered and the chunk are dropped. */
static enum diameter_frame fatal(struct diameter_framer *f,
				 enum diameter_error e)
{
	f->fatal = e;
	f->have = 0;
	f->need = 0;
	f->in = NULL;
	f->in_len = 0;
	return DIAMETER_FRAME_FATAL;
}

/* Hand out the whole message p of len bytes, judged by diameter_check(). */
static enum diameter_frame deliver(const struct diameter_framer *f,
				   const uint8_t *p, size_t len,
				   const uint8_t **msg, size_t *mlen,
				   enum diameter_error *err)
{
	*msg = p;
	*mlen = len;
	*err = diameter_check(p, len, f->max_len);
	return *err == DIAMETER_OK ? DIAMETER_FRAME_MESSAGE :
				     DIAMETER_FRAME_INVALID;
}

/*
 * Nothing gathered: a message that lies whole in the chunk goes out from
 * there; the start of one that does not is gathered.
 */
static enum diameter_frame from_chunk(struct diameter_framer *f,
				      const uint8_t **msg, size_t *len,
				      enum diameter_error *err)
{
	const uint8_t *p = f->in;
	size_t mlen;

	*err = check_prefix(p, f->in_len, f->max_len, &mlen);
	if (*err != DIAMETER_OK)
		return fatal(f, *err);
	if (mlen == 0 || mlen > f->in_len) {
		/* the chunk goes back to the caller: keep what we saw */
		f->need = mlen;
		gather(f, f->in_len);
		return DIAMETER_FRAME_MORE;
	}
	f->in += mlen;
	f->in_len -= mlen;
	return deliver(f, p, mlen, msg, len, err);
}

/* Something gathered already: complete it from the chunk. */
static enum diameter_frame from_buffer(struct diameter_framer *f,
				       const uint8_t **msg, size_t *len,
				       enum diameter_error *err)
{
	size_t mlen;

	if (f->need == 0) {
		gather(f, PREFIX_LEN - f->have);
		*err = check_prefix(f->buf, f->have, f->max_len, &f->need);
		if (*err != DIAMETER_OK)
			return fatal(f, *err);
		if (f->need == 0)
			return DIAMETER_FRAME_MORE;
	}
	gather(f, f->need - f->have);
	if (f->have < f->need)
		return DIAMETER_FRAME_MORE;
	/* handed out from buf, which stays as it is until the next call */
	mlen = f->need;
	f->have = 0;
	f->need = 0;
	return deliver(f, f->buf, mlen, msg, len, err);
}

enum diameter_frame diameter_framer_next(struct diameter_framer *f,
					 const uint8_t **msg, size_t *len,
					 enum diameter_error *err)
{
	*msg = NULL;
	*len = 0;
	*err = f->fatal;
	if (f->fatal != DIAMETER_OK)
		return DIAMETER_FRAME_FATAL;
	if (f->in_len == 0)
		return DIAMETER_FRAME_MORE;
	if (f->have == 0)
		return from_chunk(f, msg, len, err);
	return from_buffer(f, msg, len, err);
}
