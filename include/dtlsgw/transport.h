/*
 * Transports: one vtable, one backend per file in transports/.
 *
 * A transport moves whole datagrams (or whole messages) between the network
 * and the gateway.  It knows nothing of libev: it exposes a file descriptor
 * and a timeout, and the worker (src/worker.c) owns the watchers.  Callers
 * use the transport_*() wrappers, never t->ops directly.
 *
 * Receive gives, send borrows: ops->recv hands each dgram to the caller;
 * ops->send keeps no pointer once it returns.
 */
#ifndef DTLSGW_TRANSPORT_H
#define DTLSGW_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "dtlsgw/config.h"
#include "dtlsgw/dgram.h"

struct worker;
struct transport;

#define TRANSPORT_CAP_RELIABLE	(1u << 0)	/* no loss */
#define TRANSPORT_CAP_ORDERED	(1u << 1)	/* in-order delivery */
#define TRANSPORT_CAP_BATCH	(1u << 2)	/* recv/send take batches */
#define TRANSPORT_CAP_STREAM	(1u << 3)	/* a byte stream, needs framing */
/* One stack per process: every transport of the backend on one worker. */
#define TRANSPORT_CAP_ONE_THREAD (1u << 4)
/* One DTLS record per message (RFC 6083 4.4 for SCTP, RFC 5238 for DCCP). */
#define TRANSPORT_CAP_RECORDS	(1u << 5)

enum transport_role {
	TRANSPORT_LISTEN = 0,	/* bound; many peers, each dgram names its peer */
	TRANSPORT_CONNECT,	/* one remote peer */
};

/* Datagrams received per recv call and queued before a send call. */
#define TRANSPORT_BATCH		32
/* The longest a transmit queue grows while the socket is full. */
#define TRANSPORT_TXQ_MAX	1024

struct transport_stats {
	uint64_t	rx_dgrams;
	uint64_t	rx_bytes;
	uint64_t	tx_dgrams;
	uint64_t	tx_bytes;
	uint64_t	rx_truncated;	/* larger than DGRAM_CAP: dropped */
	uint64_t	rx_nobufs;	/* pool exhausted: dropped */
	uint64_t	rx_errors;	/* e.g. ICMP unreachable reported on recv */
	uint64_t	tx_errors;
	uint64_t	tx_dropped;	/* transmit queue overflow */
	uint64_t	rx_foreign;	/* unconnected flow: from another host, dropped */
	uint64_t	rx_runs;	/* coalesced runs (GRO) cut into datagrams */
	uint64_t	tx_runs;	/* messages of several datagrams (GSO) sent */
};

/*
 * How a message protocol is cut out of a byte stream (TCP): the length of
 * the message that starts at buf (avail bytes there), 0 while more bytes
 * are needed to say, or -1 when the stream does not frame (the connection
 * goes).  A message longer than max does not frame.  A profile provides it.
 */
struct transport_framing {
	ssize_t	(*message_len)(const uint8_t *buf, size_t avail, size_t max);
};

struct transport_params {
	enum transport_role	 role;
	const struct sockaddr	*addr;		/* LISTEN: local; CONNECT: remote */
	socklen_t		 addrlen;
	const struct endpoint	*ep;		/* the URI, for its parameters */
	const struct endpoint	*peer_ep;	/* the route's other side's URI (tun) */
	struct dgram_pool	*pool;		/* where recv takes its buffers */
	bool			 reuseport;	/* several workers share the port */
	/*
	 * With reuseport: first check that nobody else holds the port (a
	 * second dtlsgw would otherwise quietly take a share of the peers).
	 */
	bool			 exclusive;
	/*
	 * CONNECT without connect(): send to each dgram's peer (or to addr
	 * when it has none), accept datagrams from addr's host on any port.
	 */
	bool			 unconnected;
	/*
	 * Unconnected only (udp): bind to local first (its port, when not 0,
	 * is where the remote host sends to); with flows > 1, send each
	 * dgram from one of that many more sockets of their own ports
	 * (dgram's flow picks it, RFC 8086 section 3.2.1), bound to local's
	 * address, and receive on all of them.
	 */
	const struct sockaddr	*local;
	socklen_t		 locallen;
	unsigned int		 flows;
	/* A stream transport's framing (the profile's), NULL for none. */
	const struct transport_framing *framing;
	/* Filled by transport_open(): the worker the transport runs on. */
	struct worker		*worker;
};

struct transport_ops {
	const char	*name;		/* "udp" */
	unsigned int	 caps;		/* TRANSPORT_CAP_* */
	size_t		 max_msg;	/* largest datagram or user message */

	/* Open per params; on success *out is set and owned by the caller. */
	int	(*open)(struct transport **out, const struct transport_params *p);
	/* Close and free; nothing is flushed. */
	void	(*close)(struct transport *t);
	/*
	 * Receive up to max dgrams into out (each given to the caller);
	 * *n is set on every path.  0, -EAGAIN when nothing is waiting, or a
	 * negative error (the dgrams already in out are still delivered).
	 */
	int	(*recv)(struct transport *t, struct dgram **out, size_t max,
			size_t *n);
	/*
	 * Datagrams already read but not yet returned (e.g. the rest of a
	 * GRO run): recv returns them without reading the socket.  May be
	 * NULL.
	 */
	bool	(*rx_pending)(const struct transport *t);
	/*
	 * Send n dgrams (borrowed); *nsent says how many left.  -EAGAIN when
	 * the socket is full: the caller keeps the rest.  Another negative
	 * error means in[*nsent] failed and was not sent.
	 */
	int	(*send)(struct transport *t, struct dgram *const *in, size_t n,
			size_t *nsent);
	/* The descriptor to watch for reading, -1 for none. */
	int	(*fd)(const struct transport *t);
	/* Milliseconds until on_timeout should run, -1 for never (may be NULL). */
	int64_t	(*next_timeout)(const struct transport *t);
	void	(*on_timeout)(struct transport *t);
	/*
	 * Install key as the association's SCTP-AUTH key and make it the
	 * active one (RFC 6083 section 4.7); peer names the association on a
	 * listener, NULL on a connector.  0 or error.  May be NULL.
	 */
	int	(*set_auth_key)(struct transport *t,
				const struct sockaddr_storage *peer,
				const uint8_t *key, size_t len);
	/*
	 * End the connection or association with peer (a listener's; NULL
	 * on a connector) after what is queued, cleanly (TCP FIN, SCTP
	 * SHUTDOWN).  May be NULL (datagrams: nothing to end).
	 */
	void	(*end_peer)(struct transport *t,
			    const struct sockaddr_storage *peer);
	/*
	 * Whether this machine can run ep, of address family af: a probe at
	 * start, before anything is bound.  0, or a negative error with what
	 * to do instead in msg.  May be NULL.
	 */
	int	(*check)(const struct endpoint *ep, int af, char *msg,
			 size_t msglen);
	/* The bound local address (may be NULL). */
	int	(*local_addr)(const struct transport *t,
			      struct sockaddr_storage *ss, socklen_t *len);
};

/*
 * Called for each received dgram, which the callee owns.  The callee may
 * close the transport it was called for; transport_deliver() notices.
 */
typedef void (*transport_rx_fn)(struct transport *t, struct dgram *d,
				void *arg);

/*
 * Called when a receive reports an error other than would-block, such as
 * -ECONNREFUSED from an ICMP port unreachable on a connected socket.
 */
typedef void (*transport_err_fn)(struct transport *t, int err, void *arg);

struct transport {
	const struct transport_ops	*ops;
	struct transport_stats		 stats;
	/* Below: owned by src/transport.c and the worker, not the backend. */
	struct worker			*worker;
	transport_rx_fn			 on_rx;
	transport_err_fn		 on_error;	/* may be NULL; same arg */
	void				*rx_arg;
	struct dgram_queue		 txq;
	struct transport		*dirty_next;	/* worker's flush list */
	bool				 dirty;
	bool				 blocked;	/* waiting for POLLOUT */
	bool				*closed_flag;	/* set when closed during delivery */
	void				*watch;		/* the worker's watcher */
};

/* The backend for a scheme, or NULL when this build has none. */
const struct transport_ops *transport_lookup(enum scheme scheme);

/*
 * Open a transport of the given backend on worker w; received dgrams go to
 * on_rx(t, d, arg).  Returns 0 and sets *out, or a negative error (nothing
 * stays open, on_rx is never called).
 */
int transport_open(const struct transport_ops *ops, struct worker *w,
		   const struct transport_params *p, transport_rx_fn on_rx,
		   void *arg, struct transport **out);

/* Stop watching, drop what is queued (counted), close.  NULL is fine. */
void transport_close(struct transport *t);

/*
 * Queue d for sending (takes ownership).  The queue is flushed when it
 * holds a batch, and otherwise before the worker next waits for events.
 * A full queue drops d and counts it.
 */
void transport_queue(struct transport *t, struct dgram *d);

/* Send what is queued now. */
void transport_flush(struct transport *t);

/* Read and deliver what is waiting (the worker calls this when readable). */
void transport_readable(struct transport *t);

/* The worker calls this when a blocked transport can send again. */
void transport_writable(struct transport *t);

int transport_fd(const struct transport *t);

int64_t transport_next_timeout(const struct transport *t);

int transport_local_addr(const struct transport *t,
			 struct sockaddr_storage *ss, socklen_t *len);

extern const struct transport_ops transport_udp;
extern const struct transport_ops transport_sctp;	/* where HAVE_SCTP */
extern const struct transport_ops transport_dccp;	/* where HAVE_DCCP */

/* The DCCP stack's counters, CCID 2's window among them (SIGUSR1). */
void transport_dccp_log_stats(void);

/* The same counters as values, for the metrics. */
#define TRANSPORT_DCCP_MALFORMED_MAX	32
struct transport_dccp_totals {
	uint64_t	conns, open, conns_opened;
	uint32_t	cwnd_min, cwnd_max, ssthresh_min, max_cwnd_seen;
	uint64_t	cwnd_avg;
	uint64_t	acked, lost, halvings, rto_timeouts, cwnd_blocked;
	uint64_t	rx_packets, tx_packets, rx_data, tx_data, rx_dup;
	uint64_t	out_of_window, invalid, syncs_tx, syncs_rx;
	uint64_t	retransmits, resets_rx, resets_tx, too_big, no_conn;
	uint64_t	resets_to_strangers, refused, quiet_closed;
	uint64_t	half_open, half_open_evicted;
	/* malformed packets by the codec's reason, named by malformed_names */
	uint64_t	malformed[TRANSPORT_DCCP_MALFORMED_MAX];
	const char	*malformed_names[TRANSPORT_DCCP_MALFORMED_MAX];
};

/*
 * Fill *t on the worker that runs the DCCP stack (worker 0); false when no
 * DCCP route exists or ever did.
 */
bool transport_dccp_totals(struct transport_dccp_totals *t);
extern const struct transport_ops transport_tcp;
extern const struct transport_ops transport_tun;	/* where HAVE_TUN */

#endif
