/*
 * The DCCP codec: RFC 4340 sections 5 (packets and options), 7.1 and 7.6
 * (sequence numbers), 9 (checksum) and 11.4 (Ack Vector).  See codec.h.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "dtlsgw/bytes.h"
#include "dtlsgw/inet_csum.h"
#include "codec.h"

#define SEQ_HALF	(UINT64_C(1) << 47)
#define SHORT_MASK	UINT32_C(0xffffff)

const char *dccp_error_name(enum dccp_error e)
{
	switch (e) {
	case DCCP_OK:
		return "ok";
	case DCCP_ERR_SHORT:
		return "short";
	case DCCP_ERR_BAD_TYPE:
		return "bad_type";
	case DCCP_ERR_SHORT_SEQ:
		return "short_seq";
	case DCCP_ERR_BAD_DOFF:
		return "bad_doff";
	case DCCP_ERR_DOFF_OVERRUN:
		return "doff_overrun";
	case DCCP_ERR_BAD_CSCOV:
		return "bad_cscov";
	case DCCP_ERR_BAD_SERVICE:
		return "bad_service";
	case DCCP_ERR_BAD_CHECKSUM:
		return "bad_checksum";
	case DCCP_ERR_OPT_BAD_LEN:
		return "opt_bad_len";
	case DCCP_ERR_OPT_OVERRUN:
		return "opt_overrun";
	case DCCP_ERR_OPT_VALUE_LEN:
		return "opt_value_len";
	case DCCP_ERR_MANDATORY:
		return "mandatory";
	case DCCP_ERR_ACKVEC_STATE:
		return "ackvec_state";
	case DCCP_ERR_BAD_PSEUDO:
		return "bad_pseudo";
	}
	return "?";
}

bool dccp_type_has_ack(enum dccp_type t)
{
	return t != DCCP_REQUEST && t != DCCP_DATA && t < DCCP_TYPE_COUNT;
}

bool dccp_type_allows_short(enum dccp_type t)
{
	return t == DCCP_DATA || t == DCCP_ACK || t == DCCP_DATAACK;
}

size_t dccp_header_len(enum dccp_type t, bool x)
{
	size_t n;

	if ((unsigned int)t >= DCCP_TYPE_COUNT)
		return 0;
	n = x ? DCCP_GENERIC_LEN : DCCP_GENERIC_SHORT_LEN;
	if (dccp_type_has_ack(t))
		n += x ? DCCP_ACK_LEN : DCCP_ACK_SHORT_LEN;
	/* Service Code, or Reset Code and Data 1-3 */
	if (t == DCCP_REQUEST || t == DCCP_RESPONSE || t == DCCP_RESET)
		n += 4;
	return n;
}

/* The coverage CsCov gives a packet of len bytes with doff of header. */
static enum dccp_error coverage(unsigned int cscov, size_t doff, size_t len,
				size_t *cov)
{
	*cov = len;
	if (cscov == 0)
		return DCCP_OK;
	if ((cscov - 1) * 4 > len - doff)
		return DCCP_ERR_BAD_CSCOV;
	*cov = doff + (cscov - 1) * 4;
	return DCCP_OK;
}

enum dccp_error dccp_decode(const uint8_t *p, size_t len, struct dccp_hdr *h)
{
	size_t hlen, off, cov;

	memset(h, 0, sizeof(*h));
	if (len < DCCP_GENERIC_SHORT_LEN)
		return DCCP_ERR_SHORT;
	h->type = (p[8] >> 1) & 0x0f;
	h->x = p[8] & 1;
	if (h->type >= DCCP_TYPE_COUNT)
		return DCCP_ERR_BAD_TYPE;
	if (!h->x && !dccp_type_allows_short(h->type))
		return DCCP_ERR_SHORT_SEQ;
	hlen = dccp_header_len(h->type, h->x);
	if (len < hlen)
		return DCCP_ERR_SHORT;
	h->doff = (size_t)p[4] * 4;
	if (h->doff < hlen)
		return DCCP_ERR_BAD_DOFF;
	if (h->doff > len)
		return DCCP_ERR_DOFF_OVERRUN;
	h->sport = be_get16(p);
	h->dport = be_get16(p + 2);
	h->ccval = p[5] >> 4;
	h->cscov = p[5] & 0x0f;
	h->checksum = be_get16(p + 6);
	if (coverage(h->cscov, h->doff, len, &cov) != DCCP_OK)
		return DCCP_ERR_BAD_CSCOV;
	if (h->x) {
		h->seq = be_get48(p + 10);
		off = DCCP_GENERIC_LEN;
	} else {
		h->seq = be_get24(p + 9);
		off = DCCP_GENERIC_SHORT_LEN;
	}
	if (dccp_type_has_ack(h->type)) {
		if (h->x) {
			h->ack = be_get48(p + off + 2);
			off += DCCP_ACK_LEN;
		} else {
			h->ack = be_get24(p + off + 1);
			off += DCCP_ACK_SHORT_LEN;
		}
	}
	if (h->type == DCCP_REQUEST || h->type == DCCP_RESPONSE) {
		h->service = be_get32(p + off);
		if (!dccp_service_code_valid(h->service))
			return DCCP_ERR_BAD_SERVICE;
	} else if (h->type == DCCP_RESET) {
		h->reset_code = p[off];
		memcpy(h->reset_data, p + off + 1, 3);
	}
	h->opts = p + hlen;
	h->optlen = h->doff - hlen;
	return DCCP_OK;
}

int dccp_encode(const struct dccp_hdr *h, const uint8_t *opts, size_t optlen,
		uint8_t *buf, size_t cap)
{
	size_t hlen, doff, off;

	if (h->type >= DCCP_TYPE_COUNT ||
	    (!h->x && !dccp_type_allows_short(h->type)) ||
	    h->ccval > 15 || h->cscov > 15 || optlen % 4 != 0)
		return -EINVAL;
	if (h->x ? h->seq > DCCP_SEQ_MASK || h->ack > DCCP_SEQ_MASK
		 : h->seq > SHORT_MASK || h->ack > SHORT_MASK)
		return -EINVAL;
	if ((h->type == DCCP_REQUEST || h->type == DCCP_RESPONSE) &&
	    !dccp_service_code_valid(h->service))
		return -EINVAL;
	hlen = dccp_header_len(h->type, h->x);
	if (optlen > DCCP_MAX_HEADER_LEN - hlen)
		return -EINVAL;
	doff = hlen + optlen;
	if (doff > cap)
		return -ENOSPC;
	memset(buf, 0, hlen);
	be_put16(buf, h->sport);
	be_put16(buf + 2, h->dport);
	buf[4] = (uint8_t)(doff / 4);
	buf[5] = (uint8_t)(h->ccval << 4 | h->cscov);
	buf[8] = (uint8_t)(h->type << 1 | h->x);
	if (h->x) {
		be_put48(buf + 10, h->seq);
		off = DCCP_GENERIC_LEN;
	} else {
		be_put24(buf + 9, (uint32_t)h->seq);
		off = DCCP_GENERIC_SHORT_LEN;
	}
	if (dccp_type_has_ack(h->type)) {
		if (h->x) {
			be_put48(buf + off + 2, h->ack);
			off += DCCP_ACK_LEN;
		} else {
			be_put24(buf + off + 1, (uint32_t)h->ack);
			off += DCCP_ACK_SHORT_LEN;
		}
	}
	if (h->type == DCCP_REQUEST || h->type == DCCP_RESPONSE) {
		be_put32(buf + off, h->service);
	} else if (h->type == DCCP_RESET) {
		buf[off] = h->reset_code;
		memcpy(buf + off + 1, h->reset_data, 3);
	}
	if (optlen > 0)
		memcpy(buf + hlen, opts, optlen);
	return (int)doff;
}

/* Add p[0..n) as 16-bit big-endian words, an odd byte padded with 0. */
/*
 * The ones'-complement sum (not yet complemented) over the pseudo-header
 * and the covered part of pkt.
 */
static enum dccp_error checksum_sum(const uint8_t *pkt, size_t len, int af,
				    const void *src, const void *dst,
				    uint32_t *sum)
{
	uint8_t tail[4];
	size_t doff, cov;
	uint64_t acc = 0;
	enum dccp_error e;

	*sum = 0;
	if (len < DCCP_GENERIC_SHORT_LEN)
		return DCCP_ERR_SHORT;
	doff = (size_t)pkt[4] * 4;
	if (doff < DCCP_GENERIC_SHORT_LEN)
		return DCCP_ERR_BAD_DOFF;
	if (doff > len)
		return DCCP_ERR_DOFF_OVERRUN;
	e = coverage(pkt[5] & 0x0f, doff, len, &cov);
	if (e != DCCP_OK)
		return e;
	if (af == AF_INET) {
		/* source, destination, zero, protocol, DCCP length (16) */
		acc = inet_csum_add(acc, src, 4);
		acc = inet_csum_add(acc, dst, 4);
		if (len > 0xffff)
			return DCCP_ERR_BAD_PSEUDO;
		be_put16(tail, DCCP_IPPROTO);
		acc = inet_csum_add(acc, tail, 2);
		be_put16(tail, (uint32_t)len);
		acc = inet_csum_add(acc, tail, 2);
	} else if (af == AF_INET6) {
		/* source, destination, DCCP length (32), zero, next header */
		acc = inet_csum_add(acc, src, 16);
		acc = inet_csum_add(acc, dst, 16);
		be_put32(tail, (uint32_t)len);
		acc = inet_csum_add(acc, tail, 4);
		be_put32(tail, DCCP_IPPROTO);
		acc = inet_csum_add(acc, tail, 4);
	} else {
		return DCCP_ERR_BAD_PSEUDO;
	}
	*sum = inet_csum_fold(inet_csum_add(acc, pkt, cov));
	return DCCP_OK;
}

enum dccp_error dccp_checksum_fill(uint8_t *pkt, size_t len, int af,
				   const void *src, const void *dst)
{
	uint16_t old = 0;
	uint32_t sum;
	enum dccp_error e;

	if (len >= 8) {
		old = be_get16(pkt + 6);
		be_put16(pkt + 6, 0);
	}
	e = checksum_sum(pkt, len, af, src, dst, &sum);
	if (e != DCCP_OK) {
		/* the packet as it was */
		if (len >= 8)
			be_put16(pkt + 6, old);
		return e;
	}
	be_put16(pkt + 6, ~sum & 0xffff);
	return DCCP_OK;
}

enum dccp_error dccp_checksum_ok(const uint8_t *pkt, size_t len, int af,
				 const void *src, const void *dst)
{
	uint32_t sum;
	enum dccp_error e;

	e = checksum_sum(pkt, len, af, src, dst, &sum);
	if (e != DCCP_OK)
		return e;
	return sum == 0xffff ? DCCP_OK : DCCP_ERR_BAD_CHECKSUM;
}

uint64_t dccp_seq_add(uint64_t a, uint64_t b)
{
	return (a + b) & DCCP_SEQ_MASK;
}

uint64_t dccp_seq_sub(uint64_t a, uint64_t b)
{
	return (a - b) & DCCP_SEQ_MASK;
}

int64_t dccp_seq_delta(uint64_t a, uint64_t b)
{
	uint64_t d = dccp_seq_sub(a, b);

	return d >= SEQ_HALF ? (int64_t)d - (int64_t)(SEQ_HALF << 1)
			     : (int64_t)d;
}

bool dccp_seq_before(uint64_t a, uint64_t b)
{
	return dccp_seq_delta(a, b) < 0;
}

bool dccp_seq_after(uint64_t a, uint64_t b)
{
	return dccp_seq_delta(a, b) > 0;
}

/*
 * RFC 4340 7.6: with GSR's low 24 bits as low, a short s well below low
 * (by more than 2^23) has wrapped forward into the next high part; one
 * well above it lies in the previous high part.
 */
uint64_t dccp_seq_extend(uint64_t greatest, uint32_t s)
{
	uint64_t high = greatest & DCCP_SEQ_MASK & ~(uint64_t)SHORT_MASK;
	uint32_t low = (uint32_t)greatest & SHORT_MASK;
	const uint32_t half = UINT32_C(1) << 23;

	s &= SHORT_MASK;
	if (s < low && low - s > half)
		high += UINT64_C(1) << 24;
	else if (s > low && s - low > half)
		high -= UINT64_C(1) << 24;
	return (high | s) & DCCP_SEQ_MASK;
}

uint32_t dccp_service_code(const char four[4])
{
	return be_get32((const uint8_t *)four);
}

bool dccp_service_code_valid(uint32_t code)
{
	return code != DCCP_SERVICE_INVALID;
}

/* Whether a value of n bytes is allowed for option type t. */
static bool value_len_ok(uint8_t t, size_t n)
{
	switch (t) {
	case DCCP_OPT_CHANGE_L:
	case DCCP_OPT_CONFIRM_L:
	case DCCP_OPT_CHANGE_R:
	case DCCP_OPT_CONFIRM_R:
		return n >= 1;
	case DCCP_OPT_NDP_COUNT:
		return n >= 1 && n <= 6;
	case DCCP_OPT_TIMESTAMP:
	case DCCP_OPT_DATA_CHECKSUM:
		return n == 4;
	case DCCP_OPT_TIMESTAMP_ECHO:
		return n == 4 || n == 6 || n == 8;
	case DCCP_OPT_ELAPSED_TIME:
		return n == 2 || n == 4;
	default:
		return true;
	}
}

void dccp_opt_iter_init(struct dccp_opt_iter *it, const uint8_t *opts,
			size_t len)
{
	memset(it, 0, sizeof(*it));
	it->p = opts;
	it->len = len;
}

static bool opt_fail(struct dccp_opt_iter *it, enum dccp_error e)
{
	it->err = e;
	it->pos = it->len;
	return false;
}

bool dccp_opt_next(struct dccp_opt_iter *it, struct dccp_opt *o)
{
	const uint8_t *p = it->p + it->pos;
	size_t left = it->len - it->pos, n, i;

	memset(o, 0, sizeof(*o));
	if (left == 0) {
		if (it->mandatory)
			return opt_fail(it, DCCP_ERR_MANDATORY);
		return false;
	}
	o->type = p[0];
	o->mandatory = it->mandatory;
	if (o->type < 32) {
		if (o->type == DCCP_OPT_MANDATORY && it->mandatory)
			return opt_fail(it, DCCP_ERR_MANDATORY);
		it->mandatory = o->type == DCCP_OPT_MANDATORY;
		it->pos++;
		return true;
	}
	it->mandatory = false;
	if (left < 2)
		return opt_fail(it, DCCP_ERR_OPT_OVERRUN);
	n = p[1];
	if (n < 2)
		return opt_fail(it, DCCP_ERR_OPT_BAD_LEN);
	if (n > left)
		return opt_fail(it, DCCP_ERR_OPT_OVERRUN);
	o->val = p + 2;
	o->len = n - 2;
	if (!value_len_ok(o->type, o->len))
		return opt_fail(it, DCCP_ERR_OPT_VALUE_LEN);
	if (o->type == DCCP_OPT_ACK_VECTOR_0 ||
	    o->type == DCCP_OPT_ACK_VECTOR_1)
		for (i = 0; i < o->len; i++)
			if (dccp_ackvec_state(o->val[i]) == 2)
				return opt_fail(it, DCCP_ERR_ACKVEC_STATE);
	it->pos += n;
	return true;
}

enum dccp_error dccp_opts_check(const uint8_t *opts, size_t len)
{
	struct dccp_opt_iter it;
	struct dccp_opt o;

	dccp_opt_iter_init(&it, opts, len);
	while (dccp_opt_next(&it, &o))
		continue;
	return it.err;
}

int dccp_opt_u32(const struct dccp_opt *o, uint32_t *v)
{
	*v = 0;
	if ((o->type != DCCP_OPT_TIMESTAMP &&
	     o->type != DCCP_OPT_DATA_CHECKSUM) || o->len != 4)
		return -EINVAL;
	*v = be_get32(o->val);
	return 0;
}

int dccp_opt_elapsed(const struct dccp_opt *o, uint32_t *v)
{
	*v = 0;
	if (o->type != DCCP_OPT_ELAPSED_TIME || (o->len != 2 && o->len != 4))
		return -EINVAL;
	*v = (uint32_t)be_get(o->val, o->len);
	return 0;
}

int dccp_opt_ndp_count(const struct dccp_opt *o, uint64_t *v)
{
	*v = 0;
	if (o->type != DCCP_OPT_NDP_COUNT || o->len < 1 || o->len > 6)
		return -EINVAL;
	*v = be_get(o->val, o->len);
	return 0;
}

int dccp_opt_timestamp_echo(const struct dccp_opt *o, uint32_t *ts,
			    bool *has_elapsed, uint32_t *elapsed)
{
	*ts = 0;
	*has_elapsed = false;
	*elapsed = 0;
	if (o->type != DCCP_OPT_TIMESTAMP_ECHO ||
	    (o->len != 4 && o->len != 6 && o->len != 8))
		return -EINVAL;
	*ts = be_get32(o->val);
	*has_elapsed = o->len > 4;
	*elapsed = (uint32_t)be_get(o->val + 4, o->len - 4);
	return 0;
}

int dccp_opt_put(uint8_t *buf, size_t cap, uint8_t type, const uint8_t *val,
		 size_t vlen)
{
	if (type < 32) {
		if (vlen != 0)
			return -EINVAL;
		if (cap < 1)
			return -ENOSPC;
		buf[0] = type;
		return 1;
	}
	if (vlen > 253)
		return -EINVAL;
	if (cap < vlen + 2)
		return -ENOSPC;
	buf[0] = type;
	buf[1] = (uint8_t)(vlen + 2);
	if (vlen > 0)
		memmove(buf + 2, val, vlen);
	return (int)vlen + 2;
}

int dccp_opt_put_feature(uint8_t *buf, size_t cap, uint8_t type,
			 uint8_t feature, const uint8_t *val, size_t vlen)
{
	if (type < DCCP_OPT_CHANGE_L || type > DCCP_OPT_CONFIRM_R ||
	    vlen > 252)
		return -EINVAL;
	if (cap < vlen + 3)
		return -ENOSPC;
	buf[0] = type;
	buf[1] = (uint8_t)(vlen + 3);
	buf[2] = feature;
	if (vlen > 0)
		memmove(buf + 3, val, vlen);
	return (int)vlen + 3;
}

int dccp_opt_put_ackvec(uint8_t *buf, size_t cap, unsigned int nonce,
			const uint8_t *cells, size_t ncells)
{
	size_t i;

	if (nonce > 1 || ncells == 0)
		return -EINVAL;
	for (i = 0; i < ncells; i++)
		if (dccp_ackvec_state(cells[i]) == 2)
			return -EINVAL;
	return dccp_opt_put(buf, cap,
			    (uint8_t)(DCCP_OPT_ACK_VECTOR_0 + nonce), cells,
			    ncells);
}

int dccp_opt_put_timestamp(uint8_t *buf, size_t cap, uint32_t ts)
{
	uint8_t v[4];

	be_put32(v, ts);
	return dccp_opt_put(buf, cap, DCCP_OPT_TIMESTAMP, v, 4);
}

/* elapsed in 2 bytes when it fits, else 4, at v; returns the count. */
static size_t put_elapsed(uint8_t *v, uint32_t elapsed)
{
	if (elapsed <= 0xffff) {
		be_put16(v, elapsed);
		return 2;
	}
	be_put32(v, elapsed);
	return 4;
}

int dccp_opt_put_timestamp_echo(uint8_t *buf, size_t cap, uint32_t ts,
				bool has_elapsed, uint32_t elapsed)
{
	uint8_t v[8];
	size_t n = 4;

	be_put32(v, ts);
	if (has_elapsed)
		n += put_elapsed(v + 4, elapsed);
	return dccp_opt_put(buf, cap, DCCP_OPT_TIMESTAMP_ECHO, v, n);
}

int dccp_opt_put_elapsed(uint8_t *buf, size_t cap, uint32_t elapsed)
{
	uint8_t v[4];

	return dccp_opt_put(buf, cap, DCCP_OPT_ELAPSED_TIME, v,
			    put_elapsed(v, elapsed));
}

int dccp_opt_put_ndp_count(uint8_t *buf, size_t cap, uint64_t count)
{
	uint8_t v[6];
	size_t n = 1, i;

	if (count > DCCP_SEQ_MASK)
		return -EINVAL;
	while (n < 6 && count >> (8 * n) != 0)
		n++;
	for (i = 0; i < n; i++)
		v[i] = (uint8_t)(count >> (8 * (n - 1 - i)));
	return dccp_opt_put(buf, cap, DCCP_OPT_NDP_COUNT, v, n);
}

int dccp_opt_pad(uint8_t *buf, size_t len, size_t cap)
{
	size_t n = (4 - len % 4) % 4;

	if (len > cap || cap - len < n)
		return -ENOSPC;
	memset(buf + len, DCCP_OPT_PADDING, n);
	return (int)(len + n);
}
