/*
 * libFuzzer target for the Diameter framing codec: a TCP byte stream
 * through the framer, in chunks whose sizes come from the input, and the
 * same stream in one chunk; diameter_check() and the AVP walk on whatever
 * comes out, and on the input as one SCTP message.
 *
 * The input: one byte choosing the framer's maximum, one choosing how
 * large chunks may be, then the stream.  Chunk sizes are read from the
 * input backwards, so a mutation anywhere can move a cut.  Every chunk is
 * a heap block of its exact size, freed once the framer is done with it:
 * reading past a chunk or keeping it too long is a crash under ASan.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dtlsgw/diameter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) abort(); } while (0)

static const size_t max_lens[] = {
	20, 24, 72, 76, 188, 1024, DIAMETER_MAX_LEN,
};
static const size_t chunk_caps[] = {
	1, 2, 3, 4, 5, 8, 13, 20, 21, 64, 200, 1000, 8192,
};

#define N(a)		(sizeof(a) / sizeof((a)[0]))
#define MAX_OUT		512

/* What one run handed out, in order. */
struct outcome {
	enum diameter_frame	kind[MAX_OUT];
	enum diameter_error	err[MAX_OUT];
	size_t			len[MAX_OUT];
	size_t			n;
	size_t			pending;
};

/* The stream being framed, and where the framer stands in it. */
struct run {
	const uint8_t		*s;
	size_t			 len;
	size_t			 pos;	/* bytes handed out */
	size_t			 max_len;
	const uint8_t		*buf;
	const uint8_t		*chunk;
	size_t			 chunk_len;
	struct outcome		*out;
};

static bool inside(const uint8_t *p, size_t n, const uint8_t *a, size_t alen)
{
	uintptr_t x = (uintptr_t)p, lo = (uintptr_t)a;

	return x >= lo && x - lo <= alen && n <= alen - (x - lo);
}

/* The AVP walk over a message that diameter_check() accepted. */
static void walk(const uint8_t *msg, size_t len)
{
	struct diameter_avp a, b, first = { 0 };
	size_t off = 0, n = 0;
	enum diameter_error e;

	while ((e = diameter_avp_next(msg, len, &off, &a)) == DIAMETER_OK) {
		CHECK(a.length >= DIAMETER_AVP_HEADER_LEN);
		CHECK(inside(a.data, a.data_len, msg, len));
		CHECK(off % 4 == 0 && off <= len);
		if (n++ == 0)
			first = a;
	}
	CHECK(e == DIAMETER_ERR_SHORT && off == len);
	if (n > 0) {
		CHECK(diameter_find_avp(msg, len, first.code, first.vendor_id,
					&b));
		CHECK(b.data == first.data && b.data_len == first.data_len);
	}
}

/* Judge what diameter_framer_next() gave. */
static void judge(struct run *r, enum diameter_frame k,
		  enum diameter_error e, const uint8_t *msg, size_t len)
{
	struct outcome *o = r->out;
	struct diameter_header h;

	CHECK(o->n < MAX_OUT);
	o->kind[o->n] = k;
	o->err[o->n] = e;
	o->len[o->n] = len;
	o->n++;
	if (k == DIAMETER_FRAME_FATAL) {
		size_t rest = r->len - r->pos;

		CHECK(msg == NULL && len == 0);
		CHECK(e == DIAMETER_ERR_BAD_VERSION ||
		      e == DIAMETER_ERR_BAD_LENGTH ||
		      e == DIAMETER_ERR_TOO_LONG ||
		      e == DIAMETER_ERR_UNALIGNED_LENGTH);
		/* what the next message's first 4 bytes say */
		CHECK(diameter_check(r->s + r->pos, rest < 4 ? rest : 4,
				     r->max_len) == e);
		return;
	}
	CHECK(len >= DIAMETER_HEADER_LEN && len <= r->max_len && len % 4 == 0);
	CHECK(inside(msg, len, r->chunk, r->chunk_len) ||
	      inside(msg, len, r->buf, r->max_len));
	CHECK(len <= r->len - r->pos && memcmp(msg, r->s + r->pos, len) == 0);
	r->pos += len;
	CHECK(diameter_msg_length(msg) == len);
	CHECK(diameter_header_parse(msg, len, &h) == DIAMETER_OK);
	CHECK(h.version == 1 && h.length == len);
	CHECK(diameter_check(msg, len, r->max_len) == e);
	if (k == DIAMETER_FRAME_MESSAGE) {
		CHECK(e == DIAMETER_OK);
		walk(msg, len);
	} else {
		CHECK(k == DIAMETER_FRAME_INVALID);
		CHECK(e == DIAMETER_ERR_RESERVED_FLAGS ||
		      e == DIAMETER_ERR_BAD_AVP_LENGTH ||
		      e == DIAMETER_ERR_AVP_OVERRUN);
	}
}

/* Feed one chunk and take out all it gives; false once fatal. */
static bool drain(struct run *r, struct diameter_framer *f)
{
	enum diameter_frame k;
	enum diameter_error e;
	const uint8_t *msg;
	size_t len;

	diameter_framer_feed(f, r->chunk, r->chunk_len);
	while ((k = diameter_framer_next(f, &msg, &len, &e)) !=
	       DIAMETER_FRAME_MORE) {
		judge(r, k, e, msg, len);
		if (k == DIAMETER_FRAME_FATAL) {
			/* and it stays so */
			CHECK(diameter_framer_next(f, &msg, &len, &e) == k);
			return false;
		}
	}
	return true;
}

/* Frame s[0..len) in chunks of 1..cap bytes (cap 0: one chunk). */
static void frame(const uint8_t *s, size_t len, size_t max_len, size_t cap,
		  const uint8_t *sizes, size_t nsizes, struct outcome *out)
{
	uint8_t *buf = malloc(max_len);
	struct diameter_framer f;
	struct run r = { s, len, 0, max_len, buf, NULL, 0, out };
	size_t off = 0, k = 0;
	bool alive = true;

	CHECK(buf != NULL);
	CHECK(diameter_framer_init(&f, buf, max_len) == 0);
	memset(out, 0, sizeof(*out));
	while (off < len && alive) {
		size_t n = len;
		uint8_t *c;

		if (cap != 0)
			n = 1 + sizes[nsizes - 1 - k++ % nsizes] % cap;
		if (n > len - off)
			n = len - off;
		c = malloc(n);
		CHECK(c != NULL);
		memcpy(c, s + off, n);
		r.chunk = c;
		r.chunk_len = n;
		alive = drain(&r, &f);
		free(c);
		off += n;
	}
	out->pending = diameter_framer_pending(&f);
	if (alive)
		CHECK(r.pos + out->pending == len);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct outcome whole, cut;
	struct diameter_avp a;
	size_t max_len, cap;

	if (size < 2)
		return 0;
	max_len = max_lens[data[0] % N(max_lens)];
	cap = chunk_caps[data[1] % N(chunk_caps)];

	/* the input as one SCTP message */
	if (diameter_check(data + 2, size - 2, max_len) == DIAMETER_OK)
		walk(data + 2, size - 2);
	(void)diameter_find_avp(data + 2, size - 2, DIAMETER_AVP_ORIGIN_HOST,
				0, &a);

	/* as a stream, whole and cut: the same messages, faults, rest */
	frame(data + 2, size - 2, max_len, 0, data, size, &whole);
	frame(data + 2, size - 2, max_len, cap, data, size, &cut);
	CHECK(whole.n == cut.n && whole.pending == cut.pending);
	for (size_t i = 0; i < whole.n; i++)
		CHECK(whole.kind[i] == cut.kind[i] &&
		      whole.err[i] == cut.err[i] && whole.len[i] == cut.len[i]);
	return 0;
}
