/*
 * Intrusive chained hash table under SipHash-2-4 (Aumasson and Bernstein,
 * "SipHash: a fast short-input PRF", 2012).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "dtlsgw/htable.h"

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND                                                              \
	do {                                                                  \
		v0 += v1;                                                     \
		v1 = ROTL(v1, 13);                                            \
		v1 ^= v0;                                                     \
		v0 = ROTL(v0, 32);                                            \
		v2 += v3;                                                     \
		v3 = ROTL(v3, 16);                                            \
		v3 ^= v2;                                                     \
		v0 += v3;                                                     \
		v3 = ROTL(v3, 21);                                            \
		v3 ^= v0;                                                     \
		v2 += v1;                                                     \
		v1 = ROTL(v1, 17);                                            \
		v1 ^= v2;                                                     \
		v2 = ROTL(v2, 32);                                            \
	} while (0)

static uint64_t load64_le(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

uint64_t siphash24(uint64_t k0, uint64_t k1, const void *data, size_t len)
{
	const uint8_t *in = data;
	uint64_t v0 = 0x736f6d6570736575ULL ^ k0;
	uint64_t v1 = 0x646f72616e646f6dULL ^ k1;
	uint64_t v2 = 0x6c7967656e657261ULL ^ k0;
	uint64_t v3 = 0x7465646279746573ULL ^ k1;
	uint64_t b = (uint64_t)len << 56, m;
	size_t left = len & 7;
	const uint8_t *end = in + len - left;

	for (; in != end; in += 8) {
		m = load64_le(in);
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	for (size_t i = 0; i < left; i++)
		b |= (uint64_t)in[i] << (8 * i);
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

int htable_init(struct htable *t, size_t hint)
{
	uint64_t k[2];
	size_t n = 16;

	memset(t, 0, sizeof(*t));
	while (n < hint && n < ((size_t)1 << 30))
		n <<= 1;
	t->buckets = calloc(n, sizeof(*t->buckets));
	if (t->buckets == NULL)
		return -ENOMEM;
	t->nbuckets = n;
	if (getrandom(k, sizeof(k), 0) != (ssize_t)sizeof(k)) {
		/* no entropy yet: fall back to an address-derived key */
		k[0] = (uint64_t)(uintptr_t)t ^ 0x9e3779b97f4a7c15ULL;
		k[1] = (uint64_t)(uintptr_t)t->buckets;
	}
	t->k0 = k[0];
	t->k1 = k[1];
	return 0;
}

void htable_finish(struct htable *t)
{
	free(t->buckets);
	memset(t, 0, sizeof(*t));
}

uint64_t htable_hash(const struct htable *t, const void *key, size_t len)
{
	return siphash24(t->k0, t->k1, key, len);
}

static void grow(struct htable *t)
{
	size_t n = t->nbuckets * 2;
	struct hnode **b = calloc(n, sizeof(*b));

	if (b == NULL)
		return;
	for (size_t i = 0; i < t->nbuckets; i++) {
		struct hnode *e = t->buckets[i], *next;

		for (; e != NULL; e = next) {
			next = e->next;
			e->next = b[e->hash & (n - 1)];
			b[e->hash & (n - 1)] = e;
		}
	}
	free(t->buckets);
	t->buckets = b;
	t->nbuckets = n;
}

void htable_insert(struct htable *t, struct hnode *n, uint64_t h)
{
	struct hnode **b;

	if (t->count >= t->nbuckets)
		grow(t);
	b = &t->buckets[h & (t->nbuckets - 1)];
	n->hash = h;
	n->next = *b;
	*b = n;
	t->count++;
}

struct hnode *htable_find(const struct htable *t, uint64_t h, htable_eq_fn eq,
			  const void *key)
{
	struct hnode *n;

	if (t->nbuckets == 0)
		return NULL;
	for (n = t->buckets[h & (t->nbuckets - 1)]; n != NULL; n = n->next)
		if (n->hash == h && eq(n, key))
			return n;
	return NULL;
}

void htable_remove(struct htable *t, struct hnode *n)
{
	struct hnode **p = &t->buckets[n->hash & (t->nbuckets - 1)];

	for (; *p != NULL; p = &(*p)->next) {
		if (*p == n) {
			*p = n->next;
			n->next = NULL;
			t->count--;
			return;
		}
	}
}

struct hnode *htable_first(const struct htable *t, size_t *iter)
{
	for (*iter = 0; *iter < t->nbuckets; (*iter)++)
		if (t->buckets[*iter] != NULL)
			return t->buckets[*iter];
	return NULL;
}

struct hnode *htable_next(const struct htable *t, const struct hnode *n,
			  size_t *iter)
{
	if (n->next != NULL)
		return n->next;
	for ((*iter)++; *iter < t->nbuckets; (*iter)++)
		if (t->buckets[*iter] != NULL)
			return t->buckets[*iter];
	return NULL;
}
