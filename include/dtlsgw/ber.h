/*
 * A small BER/DER reader and writer (X.690) for the SNMP codec and the
 * certificate fields of SNMP's Transport Security Model: one-octet tags,
 * definite lengths in at most 4 octets, every TLV inside its container.
 *
 * The writer fills a buffer from its end backwards, so that a container's
 * length is known when its header is written: write the contents last
 * first, then ber_put_header() with ber_written() - mark.
 */
#ifndef DTLSGW_BER_H
#define DTLSGW_BER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BER_SEQUENCE		0x30
#define BER_INTEGER		0x02
#define BER_OCTET_STRING	0x04
#define BER_NULL		0x05
#define BER_OID			0x06
#define BER_CONSTRUCTED		0x20

struct ber_reader {
	const uint8_t	*p;
	size_t		 len;
	size_t		 off;
};

struct ber_tlv {
	uint8_t		 tag;
	const uint8_t	*v;		/* contents */
	size_t		 len;
	const uint8_t	*start;		/* the tag octet */
	size_t		 total;		/* header and contents */
};

enum ber_status {
	BER_OK = 0,
	BER_ERR_LENGTH,		/* past the container, or truncated */
	BER_ERR_TAG,		/* high tag number form, or an unexpected tag */
	BER_ERR_INDEFINITE,	/* indefinite, or more than 4 length octets */
};

static inline void ber_reader_init(struct ber_reader *r, const uint8_t *p,
				   size_t len)
{
	r->p = p;
	r->len = len;
	r->off = 0;
}

static inline bool ber_done(const struct ber_reader *r)
{
	return r->off == r->len;
}

/* The next TLV of r, r moving past it. */
enum ber_status ber_next(struct ber_reader *r, struct ber_tlv *t);

/* The next TLV of r, which must have the tag (else BER_ERR_TAG). */
enum ber_status ber_expect(struct ber_reader *r, uint8_t tag,
			   struct ber_tlv *t);

/*
 * The INTEGER contents of t as int32: 1..4 octets in their shortest form
 * (X.690 8.3.2).  False otherwise.
 */
bool ber_int32(const struct ber_tlv *t, int32_t *out);

struct ber_writer {
	uint8_t		*buf;
	size_t		 cap;
	size_t		 pos;		/* the first written octet */
	bool		 overflow;
};

static inline void ber_writer_init(struct ber_writer *w, uint8_t *buf,
				   size_t cap)
{
	w->buf = buf;
	w->cap = cap;
	w->pos = cap;
	w->overflow = false;
}

/* Octets written so far (the end of the buffer back to pos). */
static inline size_t ber_written(const struct ber_writer *w)
{
	return w->cap - w->pos;
}

/* Prepend n raw octets. */
void ber_put_raw(struct ber_writer *w, const void *p, size_t n);

/* Prepend a header: tag and the length in its shortest form. */
void ber_put_header(struct ber_writer *w, uint8_t tag, size_t len);

/* Prepend a primitive TLV. */
void ber_put_tlv(struct ber_writer *w, uint8_t tag, const void *p, size_t n);

/* Prepend an INTEGER (or another tag carrying one) in its shortest form. */
void ber_put_int32(struct ber_writer *w, uint8_t tag, int32_t v);

/* Prepend the header of a container of what was written since mark. */
static inline void ber_put_container(struct ber_writer *w, uint8_t tag,
				     size_t mark)
{
	ber_put_header(w, tag, ber_written(w) - mark);
}

#endif
