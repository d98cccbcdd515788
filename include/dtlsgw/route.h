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

struct route_stats {
	uint64_t	sessions_active;
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
	uint64_t	drops[ROUTE_DROP_MAX];
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
 * Bind def's listening side on worker w.  Returns 0 and *out, or a negative
 * errno (e.g. -EADDRINUSE), logged with the address.
 */
int route_start(struct worker *w, struct route_def *def, bool reuseport,
		struct route **out);

/*
 * Stop: every session gets close_notify (graceful) or is dropped, the
 * listening socket closes, everything is freed.  NULL is fine.
 */
void route_stop(struct route *r, bool graceful);

const struct route_def *route_get_def(const struct route *r);

/* Counters, summed over the live sessions too. */
void route_get_stats(const struct route *r, struct route_stats *out);

/* Log the counters at info level (SIGUSR1). */
void route_log_stats(const struct route *r);

#endif
