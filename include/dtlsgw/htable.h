/*
 * An intrusive hash table with chained buckets and a keyed hash (SipHash-2-4
 * under a random key per table), so a peer cannot aim collisions at it.
 * Embed struct hnode in the element; the table allocates only its bucket
 * array, when it grows.
 */
#ifndef DTLSGW_HTABLE_H
#define DTLSGW_HTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hnode {
	struct hnode	*next;
	uint64_t	 hash;
};

struct htable {
	struct hnode	**buckets;
	size_t		  nbuckets;	/* a power of two */
	size_t		  count;
	uint64_t	  k0, k1;	/* SipHash key */
};

typedef bool (*htable_eq_fn)(const struct hnode *n, const void *key);

/* SipHash-2-4 of data under (k0, k1). */
uint64_t siphash24(uint64_t k0, uint64_t k1, const void *data, size_t len);

/* Initialise with a random key and room for about `hint` elements. 0/-ENOMEM. */
int htable_init(struct htable *t, size_t hint);

/* Free the buckets (not the elements).  A zeroed table is fine. */
void htable_finish(struct htable *t);

/* The hash of key under this table's key. */
uint64_t htable_hash(const struct htable *t, const void *key, size_t len);

/* Insert n with hash h.  Growing may fail silently: the table still works. */
void htable_insert(struct htable *t, struct hnode *n, uint64_t h);

/* The first element with hash h for which eq(n, key) holds, or NULL. */
struct hnode *htable_find(const struct htable *t, uint64_t h, htable_eq_fn eq,
			  const void *key);

/* Remove n, which must be in t. */
void htable_remove(struct htable *t, struct hnode *n);

/* Iterate: for (n = htable_first(t, &i); n; n = htable_next(t, n, &i)) */
struct hnode *htable_first(const struct htable *t, size_t *iter);
struct hnode *htable_next(const struct htable *t, const struct hnode *n,
			  size_t *iter);

#endif
