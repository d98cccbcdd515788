/*
 * Sessions and the session table.
 *
 * A session pairs a peer on a route's listening side (its address) with the
 * flow that carries its traffic on the forwarding side: a DTLS session on
 * either side or both, and on the forwarding side a connected transport of
 * its own, so that replies find their way back to the right peer.
 *
 * The table maps a peer address to its session, and counts the handshakes
 * in progress per source address (without the port) to cap them.
 */
#ifndef DTLSGW_SESSION_H
#define DTLSGW_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "dtlsgw/dgram.h"
#include "dtlsgw/htable.h"

struct dtls_hello_reasm;
struct route;
struct transport;
struct dtls_session;
struct worker_timer;

/* An address as a hash key: family, address bytes, port (0 for a source). */
struct addr_key {
	uint8_t		family;
	uint8_t		pad;
	uint16_t	port;
	uint32_t	scope;
	uint8_t		addr[16];
};

/* Fill key from sa; with_port false keys the source address alone. */
void addr_key_from(struct addr_key *key, const struct sockaddr *sa,
		   bool with_port);

/* The port of an IPv4 or IPv6 address, in host order; 0 for another family. */
static inline uint16_t sockaddr_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)(const void *)ss)
				     ->sin_port);
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)(const void *)ss)
				     ->sin6_port);
	return 0;
}

/* Set the port (host order) of an IPv4 or IPv6 address; others stay. */
static inline void sockaddr_set_port(struct sockaddr_storage *ss,
				     uint16_t port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)(void *)ss)->sin_port = htons(port);
	else if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)(void *)ss)->sin6_port = htons(port);
}

struct session {
	struct hnode		 node;		/* in the table, by peer */
	struct addr_key		 key;
	bool			 in_table;
	bool			 hs_counted;	/* counted as a handshake in progress */

	struct route		*route;
	struct sockaddr_storage	 peer;		/* listening side peer */
	bool			 peer_ended;	/* its connection is over */
	socklen_t		 peerlen;
	struct sockaddr_storage	 local;		/* our address it used */
	socklen_t		 locallen;
	int			 ifindex;

	struct dtls_session	*ldtls;		/* listening side, server role */
	struct dtls_hello_reasm	*reasm;		/* a ClientHello in fragments */
	struct transport	*fwd;		/* forwarding side flow */
	struct transport	*reply;		/* ADAPTER_F_PEER_HOST: to the peer, by flow */
	struct dtls_session	*fdtls;		/* forwarding side, client role */
	struct dgram_queue	 pending;	/* waiting for the forward handshake */

	struct worker_timer	*ltimer;	/* listening side retransmission */
	struct worker_timer	*ftimer;	/* forwarding side retransmission */
	struct worker_timer	*idle;		/* idle timeout */
	struct worker_timer	*retry;		/* forward handshake retry */
	uint64_t		 created_ms;
	uint64_t		 last_active_ms;
	unsigned int		 retries;
	bool			 closing;

	uint64_t		 up_dgrams, down_dgrams;
	uint64_t		 up_bytes, down_bytes;
	uint64_t		 hs_start_us;	/* a handshake began (monotonic) */
	void			*adapter_state;
};

enum session_admit {
	SESSION_ADMIT_OK = 0,
	SESSION_ADMIT_FULL,		/* max-sessions reached */
	SESSION_ADMIT_SOURCE_LIMIT,	/* too many handshakes from this source */
};

struct session_table {
	struct htable	by_peer;
	struct htable	by_source;	/* struct source_count */
	size_t		max_sessions;
	unsigned int	max_hs_per_source;
	size_t		handshaking;
};

/* 0 or -ENOMEM. */
int session_table_init(struct session_table *t, size_t max_sessions,
		       unsigned int max_hs_per_source);

/* Free the table's own memory; the sessions must be gone. */
void session_table_finish(struct session_table *t);

size_t session_table_count(const struct session_table *t);

/* The session of peer, or NULL. */
struct session *session_table_find(const struct session_table *t,
				   const struct sockaddr *peer);

/* May a new session for peer start a handshake now? */
enum session_admit session_table_admit(const struct session_table *t,
				       const struct sockaddr *peer);

/* Insert s, keyed by s->peer (which must not be in the table). */
void session_table_insert(struct session_table *t, struct session *s);

/* Remove s (and its handshake count, if any).  Fine if not in the table. */
void session_table_remove(struct session_table *t, struct session *s);

/* Count s as a handshake in progress from its source; 0 or -ENOMEM. */
int session_table_handshake_begin(struct session_table *t, struct session *s);

/* The handshake of s is over (done or failed). */
void session_table_handshake_end(struct session_table *t, struct session *s);

/* Handshakes in progress from the source address of sa. */
unsigned int session_table_source_handshakes(const struct session_table *t,
					     const struct sockaddr *sa);

/*
 * For adapters (implemented with the routes, src/route.c).
 *
 * session_send_down: d (owned) goes to the listening side's peer, through
 * DTLS when that side is DTLS, without passing the adapter again; d->peer
 * and d->local, when set, choose the peer and the listening socket (shared
 * sessions), else the session's own peer.
 * session_send_up: d (owned) goes out on the forwarding side, as if it had
 * come from the listening side's peer and passed the adapter.
 */
void session_send_down(struct session *s, struct dgram *d);
void session_send_up(struct session *s, struct dgram *d);

/* Count a drop for the adapter's reason (an index into its drop_names). */
void session_adapter_drop(struct session *s, unsigned int reason);

/* The worker the session runs on (for its timers and buffers). */
struct worker *session_worker(const struct session *s);

/* Is the forwarding side ready to carry a message now (DTLS established)? */
bool session_forward_ready(const struct session *s);

/*
 * Close the session (close_notify where DTLS is up) for the reason given;
 * the memory goes once the current event is handled.
 */
void session_end(struct session *s, const char *why);

/*
 * The listening side's DTLS peer certificate and the SHA-256 of its
 * verified chain, for an adapter with ADAPTER_F_PEER_CERT: as
 * dtls_session_peer_cert() and dtls_session_peer_chain() (none when the
 * listening side is not DTLS).
 */
const uint8_t *session_peer_cert(const struct session *s, size_t *len);
size_t session_peer_chain(const struct session *s, uint8_t (*fps)[32],
			  size_t max);

/*
 * The largest message session_send_down() carries to the peer in one DTLS
 * record; 0 when the listening side is not DTLS (no such limit).
 */
size_t session_max_down(const struct session *s);

/* "route NAME: PEER" for an adapter's log lines, into buf (>= 160 bytes). */
const char *session_name(const struct session *s, char *buf, size_t len);

/* Iterate: for (s = session_table_first(t, &i); s; s = next) ... */
struct session *session_table_first(const struct session_table *t,
				    size_t *iter);
struct session *session_table_next(const struct session_table *t,
				   const struct session *s, size_t *iter);

#endif
