/*
 * Datagram pool: a free list of fixed-size blocks, per worker, no locks.
 */
#include <stdlib.h>
#include <string.h>

#include "dtlsgw/dgram.h"

struct dgram_pool {
	struct dgram		*free;
	size_t			 nfree;
	size_t			 max;
	struct dgram_pool_stats	 stats;
};

static struct dgram *block_new(struct dgram_pool *pool)
{
	struct dgram *d = malloc(sizeof(*d));

	if (d == NULL)
		return NULL;
	d->pool = pool;
	pool->stats.allocated++;
	return d;
}

struct dgram_pool *dgram_pool_create(size_t prealloc, size_t max)
{
	struct dgram_pool *pool = calloc(1, sizeof(*pool));

	if (pool == NULL)
		return NULL;
	pool->max = max;
	for (size_t i = 0; i < prealloc && i < max; i++) {
		struct dgram *d = block_new(pool);

		if (d == NULL)
			break;
		d->next = pool->free;
		pool->free = d;
		pool->nfree++;
	}
	return pool;
}

void dgram_pool_destroy(struct dgram_pool *pool)
{
	struct dgram *d;

	if (pool == NULL)
		return;
	while ((d = pool->free) != NULL) {
		pool->free = d->next;
		free(d);
	}
	free(pool);
}

void dgram_reset(struct dgram *d)
{
	d->data = d->buf + DGRAM_HEADROOM;
	d->len = 0;
	d->peerlen = 0;
	d->locallen = 0;
	d->ifindex = 0;
	d->stream = 0;
	d->port_hint = 0;
	d->flow = 0;
	d->ecn = 0;
	d->flags = 0;
	d->ppid = 0;
	d->next = NULL;
}

struct dgram *dgram_alloc(struct dgram_pool *pool)
{
	struct dgram *d = pool->free;

	if (d != NULL) {
		pool->free = d->next;
		pool->nfree--;
	} else {
		if (pool->stats.in_use >= pool->max) {
			pool->stats.exhausted++;
			return NULL;
		}
		d = block_new(pool);
		if (d == NULL) {
			pool->stats.exhausted++;
			return NULL;
		}
	}
	pool->stats.in_use++;
	dgram_reset(d);
	return d;
}

void dgram_free(struct dgram *d)
{
	struct dgram_pool *pool;

	if (d == NULL)
		return;
	pool = d->pool;
	pool->stats.in_use--;
	d->next = pool->free;
	pool->free = d;
	pool->nfree++;
}

const struct dgram_pool_stats *dgram_pool_stats(const struct dgram_pool *pool)
{
	return &pool->stats;
}

void dgram_queue_push(struct dgram_queue *q, struct dgram *d)
{
	d->next = NULL;
	if (q->tail != NULL)
		q->tail->next = d;
	else
		q->head = d;
	q->tail = d;
	q->len++;
}

struct dgram *dgram_queue_pop(struct dgram_queue *q)
{
	struct dgram *d = q->head;

	if (d == NULL)
		return NULL;
	q->head = d->next;
	if (q->head == NULL)
		q->tail = NULL;
	q->len--;
	d->next = NULL;
	return d;
}

void dgram_queue_clear(struct dgram_queue *q)
{
	struct dgram *d;

	while ((d = dgram_queue_pop(q)) != NULL)
		dgram_free(d);
}
