/*
 * Datagram buffers: fixed-size blocks from a per-worker pool, never a
 * malloc() per packet on the steady path.  Addressing and per-packet
 * metadata travel with the bytes.
 *
 * Ownership: a function that receives a struct dgram * owns it and releases
 * it on every path (dgram_free); a const struct dgram * is borrowed for the
 * call.  A pool belongs to one worker thread and takes no locks.
 */
#ifndef DTLSGW_DGRAM_H
#define DTLSGW_DGRAM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/*
 * The largest payload a block carries: a whole DTLS record (2^14 bytes of
 * plaintext plus expansion) or a cleartext datagram that still fits one.
 */
#define DGRAM_CAP	(16384 + 1024)
/* Bytes kept free in front of data so an adapter can prepend a header. */
#define DGRAM_HEADROOM	128

struct dgram_pool;

/* An SCTP message that may be delivered out of order. */
#define DGRAM_F_UNORDERED	(1u << 0)
/* Empty: the peer's connection or association ended (listeners). */
#define DGRAM_F_END		(1u << 1)

struct dgram {
	uint8_t			*data;		/* payload, inside buf */
	size_t			 len;
	struct sockaddr_storage	 peer;		/* source on receive, destination on send */
	socklen_t		 peerlen;
	struct sockaddr_storage	 local;		/* our address the peer used (IP_PKTINFO) */
	socklen_t		 locallen;	/* 0: unknown / let the kernel choose */
	int			 ifindex;	/* interface of local, 0: unknown */
	uint16_t		 stream;	/* SCTP stream, else 0 */
	uint32_t		 ppid;		/* SCTP payload protocol identifier, else 0 */
	uint16_t		 port_hint;	/* forward: destination port an adapter chose, 0: the route's */
	uint32_t		 flow;		/* the inner flow's hash an adapter gave: picks a flows socket */
	uint8_t			 ecn;
	uint8_t			 flags;		/* DGRAM_F_* */
	struct dgram		*next;		/* queue link, owned by whoever queues */
	struct dgram_pool	*pool;
	uint8_t			 buf[DGRAM_HEADROOM + DGRAM_CAP];
};

/* The room left after data, for writing into a fresh dgram. */
static inline size_t dgram_tailroom(const struct dgram *d)
{
	return (size_t)(d->buf + sizeof(d->buf) - d->data) - d->len;
}

struct dgram_pool_stats {
	uint64_t	allocated;	/* blocks ever malloc'ed */
	uint64_t	in_use;
	uint64_t	exhausted;	/* dgram_alloc() that found the pool at its cap */
};

/*
 * Create a pool that keeps up to `max` blocks alive; `prealloc` are
 * allocated now.  Returns NULL on allocation failure.
 */
struct dgram_pool *dgram_pool_create(size_t prealloc, size_t max);

/* Free the pool; every dgram must have come back.  NULL is fine. */
void dgram_pool_destroy(struct dgram_pool *pool);

/*
 * A block with data at the headroom mark, len 0, no addresses.  NULL when
 * the pool is at its cap (counted in stats.exhausted) or memory is short.
 */
struct dgram *dgram_alloc(struct dgram_pool *pool);

/* Give d back to its pool.  NULL is fine. */
void dgram_free(struct dgram *d);

/* Reset d to the empty state of a fresh dgram_alloc(). */
void dgram_reset(struct dgram *d);

const struct dgram_pool_stats *dgram_pool_stats(const struct dgram_pool *pool);

/* A FIFO of dgrams linked through ->next, with a bound on its length. */
struct dgram_queue {
	struct dgram	*head;
	struct dgram	*tail;
	size_t		 len;
};

/* Append d (takes ownership).  Never fails: callers check len first. */
void dgram_queue_push(struct dgram_queue *q, struct dgram *d);

/* Remove and return the head, or NULL. */
struct dgram *dgram_queue_pop(struct dgram_queue *q);

/* Free every dgram in q. */
void dgram_queue_clear(struct dgram_queue *q);

#endif
