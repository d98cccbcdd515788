/*
 * Routes: a listening side and a forwarding side, each cleartext or DTLS.
 *
 * route_def is what a route needs before anything is bound: resolved
 * addresses, the DTLS contexts, the adapter.  It is built from the
 * configuration by the main thread and then only read, so workers share it.
 * A route is one worker's running instance of a definition: its listening
 * socket, session table, cookie jar and counters.
 */
#ifndef DTLSGW_ROUTE_H
#define DTLSGW_ROUTE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "dtlsgw/adapter.h"
#include "dtlsgw/config.h"

struct worker;
struct route;
struct dtls_ctx;
struct transport_ops;

/* Why datagrams were dropped; the counters printed on SIGUSR1. */
enum route_drop {
	ROUTE_DROP_EMPTY = 0,
	ROUTE_DROP_NOT_DTLS,
	ROUTE_DROP_TRUNCATED,
	ROUTE_DROP_TOO_LONG,
	ROUTE_DROP_NO_SESSION,		/* DTLS but not a ClientHello, from a stranger */
	ROUTE_DROP_MALFORMED_HELLO,
	ROUTE_DROP_FRAGMENTED_HELLO,
	ROUTE_DROP_SMALL_HELLO,
	ROUTE_DROP_MAX_SESSIONS,
	ROUTE_DROP_SOURCE_LIMIT,
	ROUTE_DROP_QUEUE_FULL,		/* waiting for a handshake, queue full */
	ROUTE_DROP_TOO_BIG,		/* larger than one DTLS record carries */
	ROUTE_DROP_NOBUFS,
	ROUTE_DROP_ADAPTER,		/* refused by the profile's adapter */
	ROUTE_DROP_FORWARD_DOWN,	/* no forwarding flow could be opened */
	ROUTE_DROP_MAX,
};

const char *route_drop_name(enum route_drop why);

/*
 * The handshake latency histogram's upper bounds, in milliseconds: from
 * the session's start (a listening side's: its ClientHello with a valid
 * cookie; a forwarding side's: its first ClientHello) to established.
 */
#define ROUTE_HS_BUCKETS	14
extern const uint32_t route_hs_bucket_ms[ROUTE_HS_BUCKETS];

struct route_stats {
	uint64_t	sessions_active;
	uint64_t	sessions_own_records;	/* of those: records ours, library freed */
	uint64_t	sessions_total;
	uint64_t	handshakes_ok;
	uint64_t	handshakes_failed;
	uint64_t	handshakes_resumed;
	uint64_t	hello_verify_sent;
	uint64_t	up_dgrams;	/* listening side -> forwarding side */
	uint64_t	up_bytes;
	uint64_t	down_dgrams;	/* forwarding side -> listening side */
	uint64_t	down_bytes;
	uint64_t	forward_errors;	/* e.g. ICMP port unreachable from the backend */
	uint64_t	tx_dropped;	/* transmit queues full */
	uint64_t	rx_truncated;	/* larger than a datagram buffer: dropped */
	uint64_t	gro_runs;	/* received coalesced by the kernel (GRO) */
	uint64_t	gso_runs;	/* sent as one message segmented by the kernel */
	uint64_t	drops[ROUTE_DROP_MAX];
	uint64_t	adapter_drops[ADAPTER_MAX_DROPS];	/* by the adapter's reasons */
	/* handshakes done, per latency bucket (the last: above every bound) */
	uint64_t	hs_latency[ROUTE_HS_BUCKETS + 1];
	uint64_t	hs_latency_us;	/* their sum, in microseconds */
};

struct route_def {
	const struct route_config	*cfg;	/* updated on reload when equal */
	struct sockaddr_storage		 listen_addr;
	socklen_t			 listen_len;
	struct sockaddr_storage		 fwd_addr;
	socklen_t			 fwd_len;
	const struct transport_ops	*lops;
	const struct transport_ops	*fops;	/* NULL for echo:// */
	struct dtls_ctx			*lctx;	/* listening side is DTLS: server */
	struct dtls_ctx			*fctx;	/* forwarding side is DTLS: client */
	struct adapter			 adapter;
	uint8_t				 cookie_master[32];
	/*
	 * Run on one worker only: a route whose peers share one session
	 * (ADAPTER_F_SHARED_UPSTREAM) must see them all.
	 */
	bool				 single_worker;
	/*
	 * Client side: the last session to the forward peer, which every
	 * worker's new session offers to resume (dtls_session_save()).
	 */
	pthread_mutex_t			 resume_lock;
	void				*resume;
};

/*
 * Resolve, load certificates and keys, build the DTLS contexts: everything
 * that can fail on a bad configuration, before anything is bound.  Returns
 * 0 and *out, or a negative error with *err naming the route and key.
 */
int route_def_prepare(const struct route_config *cfg,
		      const uint8_t cookie_master[32], struct route_def **out,
		      struct config_error *err);

void route_def_free(struct route_def *def);

/*
 * Bind def's listening side on worker w, one of nworkers running def (with
 * reuseport, their sockets share the port; each takes an equal share of
 * max-sessions).  Returns 0 and *out, or a negative errno (e.g.
 * -EADDRINUSE), logged with the address.
 */
int route_start(struct worker *w, struct route_def *def, bool reuseport,
		unsigned int nworkers, struct route **out);

/*
 * Stop: every session gets close_notify (graceful) or is dropped, the
 * listening socket closes, everything is freed.  NULL is fine.
 */
void route_stop(struct route *r, bool graceful);

const struct route_def *route_get_def(const struct route *r);

/*
 * Add r's counters (its live sessions' too) to *sum: called on r's worker,
 * for the sum over every worker running the definition.
 */
void route_stats_add(struct route_stats *sum, const struct route *r);

/*
 * Log a definition's summed counters at info level (SIGUSR1), with the
 * sessions of each of its nworkers workers (per_worker may be NULL).
 */
void route_log_stats(const struct route_def *def,
		     const struct route_stats *st,
		     const uint64_t *per_worker, unsigned int nworkers);

#endif
