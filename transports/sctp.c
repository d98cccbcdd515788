/*
 * The SCTP backend: usrsctp, driven from the gateway's loop with no thread
 * of its own (usrsctp_init_nothreads), in UDP encapsulation (RFC 6951).
 *
 * usrsctp sees every carrier as an AF_CONN address: a pointer of ours.
 * Here that pointer is a link, one remote UDP endpoint: what the carrier
 * socket reads from it goes to usrsctp_conninput(link, ...), and what
 * usrsctp sends to it comes to output_cb(link, ...), which writes it to
 * the carrier as the UDP payload (an RFC 6951 packet: the SCTP common
 * header right after the UDP header, CRC32c computed by usrsctp).
 *
 * A listener is one UDP socket on the encapsulation port (9899, or
 * ?encap-port=N) and one one-to-many SCTP socket on the URI's port: an
 * association per remote endpoint, each message handed up with that
 * endpoint as its peer, its stream and its PPID.  A connector is one
 * connected UDP socket to the remote's encapsulation port and one
 * one-to-one SCTP socket.  Messages up to DGRAM_CAP are reassembled from
 * partial deliveries; a larger one is dropped and counted (rx_truncated).
 *
 * usrsctp is one stack per process: its timers run from one libev timer,
 * and every SCTP transport lives on worker 0 (TRANSPORT_CAP_ONE_THREAD).
 * UDP encapsulation interoperates with usrsctp and FreeBSD peers; the
 * Linux kernel's SCTP speaks raw IP (protocol 132): ?encap=raw takes the
 * same path with a raw socket as the carrier (root, or CAP_NET_RAW).  A raw
 * socket reads every SCTP packet of the host: the ones for our SCTP port
 * are kept (a connector binds a port of its own choosing for that), and a
 * peer is its address and its SCTP port.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <usrsctp.h>

#include "dtlsgw/container.h"
#include "dtlsgw/dgram.h"
#include "dtlsgw/htable.h"
#include "dtlsgw/log.h"
#include "dtlsgw/session.h"	/* struct addr_key */
#include "dtlsgw/transport.h"
#include "dtlsgw/worker.h"

#define ENCAP_PORT_DEFAULT	9899
#define STREAMS_DEFAULT		16
#define STREAMS_MAX		1024
/* usrsctp's clock: its timers are driven every TICK_MS. */
#define TICK_MS			10
/* Carrier datagrams read per recv call. */
#define CARRIER_BATCH		64
/* Messages kept while usrsctp's send buffer is full. */
#define BACKLOG_MAX		1024
/* Socket buffers: room for bursts of large messages. */
#define SCTP_BUFSZ		(4 * 1024 * 1024)

struct sctp_transport;

/* One remote UDP endpoint: usrsctp's AF_CONN address for it. */
struct link {
	struct hnode		 live;		/* in links_live, by pointer */
	struct hnode		 by_peer;	/* in the listener's table */
	struct addr_key		 key;		/* peer's, as the table hashes it */
	struct sctp_transport	*u;
	int			 fd;		/* the carrier */
	bool			 connected;	/* fd is connected to peer */
	struct sockaddr_storage	 peer;
	socklen_t		 peerlen;
	uint16_t		 rport;		/* the remote's SCTP port, network order */
};

struct sctp_transport {
	struct transport	 base;
	int			 fd;		/* the UDP (or raw IP) carrier */
	bool			 listener;
	bool			 raw;		/* ?encap=raw: IP protocol 132 */
	uint16_t		 lport;		/* raw: our SCTP port, network order */
	struct socket		*so;
	struct dgram_pool	*pool;
	uint16_t		 nstreams;
	struct link		*link;		/* connector: its one link */
	struct htable		 links;		/* listener: by peer endpoint */
	struct dgram		*partial;	/* a message arriving in parts */
	bool			 discarding;	/* the rest of a message too large */
	bool			 more;		/* usrsctp may hold more messages */
	bool			 ended;		/* connector: the association is gone */
	bool			 ended_told;
	struct dgram_queue	 backlog;	/* waiting for usrsctp's buffer */
	struct dgram_queue	 ends;		/* listener: peers whose association ended */
	struct sctp_transport	*next;		/* in stack.all */
};

/* The process's one usrsctp stack. */
static struct {
	bool			 ready;
	struct htable		 links_live;	/* every link usrsctp may name */
	struct worker		*worker;	/* the one running it */
	struct worker_timer	*tick;
	uint64_t		 last_ms;
	struct sctp_transport	*all;
} stack;

static struct sctp_transport *sctp_of(struct transport *t)
{
	return container_of(t, struct sctp_transport, base);
}

static const struct sctp_transport *sctp_of_const(const struct transport *t)
{
	return container_of_const(t, struct sctp_transport, base);
}

/* Links ------------------------------------------------------------------ */

static bool live_eq(const struct hnode *n, const void *key)
{
	return container_of_const(n, struct link, live) ==
	       *(void *const *)key;
}

/* Is p a link that still exists?  p is not dereferenced to find out. */
static struct link *link_live(void *p)
{
	struct hnode *n = htable_find(&stack.links_live,
				      htable_hash(&stack.links_live, &p,
						  sizeof(p)),
				      live_eq, &p);

	return n != NULL ? container_of(n, struct link, live) : NULL;
}

static bool peer_eq(const struct hnode *n, const void *key)
{
	const struct link *l = container_of_const(n, struct link, by_peer);

	return memcmp(&l->key, key, sizeof(l->key)) == 0;
}

static struct link *link_find(struct sctp_transport *u,
			      const struct sockaddr_storage *peer)
{
	struct addr_key key;
	struct hnode *n;

	addr_key_from(&key, (const struct sockaddr *)peer, true);
	n = htable_find(&u->links, htable_hash(&u->links, &key, sizeof(key)),
			peer_eq, &key);

	return n != NULL ? container_of(n, struct link, by_peer) : NULL;
}

static struct link *link_new(struct sctp_transport *u,
			     const struct sockaddr_storage *peer,
			     socklen_t peerlen)
{
	struct link *l = calloc(1, sizeof(*l));
	void *p = l;

	if (l == NULL)
		return NULL;
	l->u = u;
	l->fd = u->fd;
	memcpy(&l->peer, peer, peerlen);
	l->peerlen = peerlen;
	addr_key_from(&l->key, (const struct sockaddr *)peer, true);
	htable_insert(&stack.links_live, &l->live,
		      htable_hash(&stack.links_live, &p, sizeof(p)));
	if (u->listener)
		htable_insert(&u->links, &l->by_peer,
			      htable_hash(&u->links, &l->key, sizeof(l->key)));
	usrsctp_register_address(l);
	return l;
}

static void link_free(struct link *l)
{
	usrsctp_deregister_address(l);
	htable_remove(&stack.links_live, &l->live);
	if (l->u->listener)
		htable_remove(&l->u->links, &l->by_peer);
	free(l);
}

static void set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = port;
	else
		((struct sockaddr_in6 *)ss)->sin6_port = port;
}

/* The AF_CONN address of l's association, as usrsctp names it. */
static struct sockaddr *link_addr(struct link *l, struct sockaddr_conn *to)
{
	memset(to, 0, sizeof(*to));
	to->sconn_family = AF_CONN;
	to->sconn_port = l->rport;
	to->sconn_addr = l;
	return (struct sockaddr *)to;
}

/* What usrsctp sends: an SCTP packet for the link, as the UDP payload. */
static int output_cb(void *addr, void *buf, size_t len, uint8_t tos,
		     uint8_t set_df)
{
	struct link *l = link_live(addr);
	ssize_t n;

	(void)tos;
	(void)set_df;
	if (l == NULL)
		return 0;	/* its transport is gone: lost on the way */
	if (l->connected) {
		n = send(l->fd, buf, len, MSG_DONTWAIT);
	} else if (l->u->raw) {
		/* the identity holds the SCTP port; IP wants none */
		struct sockaddr_storage to = l->peer;

		set_port(&to, 0);
		n = sendto(l->fd, buf, len, MSG_DONTWAIT,
			   (struct sockaddr *)&to, l->peerlen);
	} else {
		n = sendto(l->fd, buf, len, MSG_DONTWAIT,
			   (struct sockaddr *)&l->peer, l->peerlen);
	}
	if (n < 0)
		l->u->base.stats.tx_errors++;
	return 0;
}

/* The stack ------------------------------------------------------------- */

static void flush_backlog(struct sctp_transport *u);

static void tick_cb(void *arg)
{
	uint64_t now = worker_now_ms(stack.worker);

	(void)arg;
	usrsctp_handle_timers((uint32_t)(now - stack.last_ms));
	stack.last_ms = now;
	for (struct sctp_transport *u = stack.all; u != NULL; u = u->next)
		flush_backlog(u);
	if (stack.all != NULL)
		worker_timer_start(stack.tick, TICK_MS);
}

static void debug_printf(const char *fmt, ...)
{
	(void)fmt;
}

static int stack_join(struct sctp_transport *u, struct worker *w)
{
	if (!stack.ready) {
		if (htable_init(&stack.links_live, 64) != 0)
			return -ENOMEM;
		usrsctp_init_nothreads(0, output_cb, debug_printf);
		/* no ABORT answers to strangers' packets: a quiet port */
		usrsctp_sysctl_set_sctp_blackhole(2);
		stack.worker = w;
		stack.tick = worker_timer_new(w, tick_cb, NULL);
		if (stack.tick == NULL)
			return -ENOMEM;
		stack.ready = true;
	}
	if (w != stack.worker)
		return -EXDEV;	/* one stack, one thread */
	if (stack.all == NULL) {
		stack.last_ms = worker_now_ms(w);
		worker_timer_start(stack.tick, TICK_MS);
	}
	u->next = stack.all;
	stack.all = u;
	return 0;
}

static void stack_leave(struct sctp_transport *u)
{
	for (struct sctp_transport **p = &stack.all; *p != NULL;
	     p = &(*p)->next) {
		if (*p == u) {
			*p = u->next;
			break;
		}
	}
	if (stack.all == NULL && stack.tick != NULL)
		worker_timer_stop(stack.tick);
}

/* Opening --------------------------------------------------------------- */

static int so_setint(struct socket *so, int level, int opt, int v)
{
	return usrsctp_setsockopt(so, level, opt, &v, sizeof(v));
}

/* The options every SCTP socket of ours gets. */
static int so_setup(struct sctp_transport *u)
{
	static const uint16_t events[] = {
		SCTP_ASSOC_CHANGE, SCTP_SHUTDOWN_EVENT,
	};
	struct sctp_initmsg init = {
		.sinit_num_ostreams = u->nstreams,
		.sinit_max_instreams = u->nstreams,
	};

	if (usrsctp_set_non_blocking(u->so, 1) != 0 ||
	    so_setint(u->so, IPPROTO_SCTP, SCTP_NODELAY, 1) != 0 ||
	    so_setint(u->so, IPPROTO_SCTP, SCTP_RECVRCVINFO, 1) != 0 ||
	    usrsctp_setsockopt(u->so, IPPROTO_SCTP, SCTP_INITMSG, &init,
			       sizeof(init)) != 0)
		return -errno;
	so_setint(u->so, SOL_SOCKET, SO_RCVBUF, SCTP_BUFSZ);
	so_setint(u->so, SOL_SOCKET, SO_SNDBUF, SCTP_BUFSZ);
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		struct sctp_event ev = {
			.se_assoc_id = SCTP_ALL_ASSOC,
			.se_type = events[i],
			.se_on = 1,
		};

		if (usrsctp_setsockopt(u->so, IPPROTO_SCTP, SCTP_EVENT, &ev,
				       sizeof(ev)) != 0)
			return -errno;
	}
	return 0;
}

static void sctp_close(struct transport *t);

/*
 * What the carrier interoperates with, in the log: for every listener, and
 * once a process for connectors (one opens per session).
 */
static void say_mode(const struct sctp_transport *u,
		     const struct transport_params *p, uint16_t encap_port)
{
	static bool said[2];
	char a[ADDR_STRLEN];

	if (!u->listener && said[u->raw])
		return;
	if (!u->listener)
		said[u->raw] = true;
	if (u->raw)
		log_info("sctp: %s %s in raw IP (protocol 132): the wire "
			 "format of Linux kernel SCTP peers",
			 u->listener ? "listening on" : "connecting to",
			 addr_str(p->addr, a));
	else
		log_info("sctp: %s %s in UDP encapsulation on port %u "
			 "(RFC 6951): usrsctp and FreeBSD peers speak it, "
			 "Linux kernel SCTP does not",
			 u->listener ? "listening on" : "connecting to",
			 addr_str(p->addr, a), (unsigned int)encap_port);
}

/*
 * A connector's local SCTP port: any in UDP encapsulation (the carrier's
 * own port tells peers apart); in raw IP one we know, to pick our packets
 * out of all the host's.
 */
static int bind_local(struct sctp_transport *u, struct sockaddr_conn *sconn)
{
	for (int i = 0; i < 32; i++) {
		uint16_t port = 0;

		if (u->raw) {
			port = htons((uint16_t)(49152 +
						arc4random_uniform(16384)));
		}
		sconn->sconn_port = port;
		if (usrsctp_bind(u->so, (struct sockaddr *)sconn,
				 sizeof(*sconn)) == 0) {
			u->lport = port;
			return 0;
		}
		if (!u->raw || errno != EADDRINUSE)
			return -errno;
	}
	return -EADDRINUSE;
}

static int carrier_open(struct sctp_transport *u,
			const struct transport_params *p, uint16_t encap_port)
{
	struct sockaddr_storage ss;
	socklen_t len = p->addrlen;
	int fd = u->raw ? socket(p->addr->sa_family,
				 SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
				 IPPROTO_SCTP)
			: socket(p->addr->sa_family,
				 SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd == -1)
		return -errno;
	u->fd = fd;
	memcpy(&ss, p->addr, p->addrlen);
	/*
	 * The URI's port is SCTP's; the carrier's is the encapsulation's
	 * (UDP), or none (raw IP: every SCTP packet of the host arrives, and
	 * read_carrier keeps those for our port).
	 */
	set_port(&ss, u->raw ? 0 : htons(encap_port));
	if (p->role == TRANSPORT_LISTEN) {
		int one = 1;

		if (ss.ss_family == AF_INET6)
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
				   sizeof(one));
		if (bind(fd, (struct sockaddr *)&ss, len) == -1)
			return -errno;
	} else if (connect(fd, (struct sockaddr *)&ss, len) == -1) {
		return -errno;
	}
	return 0;
}

static int sctp_open(struct transport **out, const struct transport_params *p)
{
	struct sctp_transport *u;
	unsigned long encap_port, streams;
	const char *encap = endpoint_param(p->ep, "encap");
	struct sockaddr_conn sconn;
	uint16_t port;
	int ret;

	*out = NULL;
	if (encap != NULL && strcmp(encap, "udp") != 0 &&
	    strcmp(encap, "raw") != 0)
		return -ENOTSUP;
	if (endpoint_param_uint(p->ep, "encap-port", 1, 65535, ENCAP_PORT_DEFAULT,
		       &encap_port) != 0 ||
	    endpoint_param_uint(p->ep, "streams", 1, STREAMS_MAX, STREAMS_DEFAULT,
		       &streams) != 0)
		return -EINVAL;
	if (p->worker == NULL)
		return -EINVAL;
	u = calloc(1, sizeof(*u));
	if (u == NULL)
		return -ENOMEM;
	u->fd = -1;
	u->base.ops = &transport_sctp;
	u->pool = p->pool;
	u->nstreams = (uint16_t)streams;
	u->listener = p->role == TRANSPORT_LISTEN;
	u->raw = encap != NULL && strcmp(encap, "raw") == 0;
	port = p->addr->sa_family == AF_INET ?
		       ((const struct sockaddr_in *)(const void *)p->addr)
			       ->sin_port :
		       ((const struct sockaddr_in6 *)(const void *)p->addr)
			       ->sin6_port;
	ret = stack_join(u, p->worker);
	if (ret != 0) {
		free(u);
		return ret;
	}
	ret = carrier_open(u, p, (uint16_t)encap_port);
	if (ret != 0)
		goto fail;
	if (u->listener && htable_init(&u->links, 16) != 0) {
		ret = -ENOMEM;
		goto fail;
	}
	u->so = usrsctp_socket(AF_CONN,
			       u->listener ? SOCK_SEQPACKET : SOCK_STREAM,
			       IPPROTO_SCTP, NULL, NULL, 0, NULL);
	if (u->so == NULL) {
		ret = -errno;
		goto fail;
	}
	ret = so_setup(u);
	if (ret != 0)
		goto fail;
	if (p->ep->scheme == SCHEME_DTLS_SCTP) {
		/* RFC 6083 section 4.1: DATA chunks go authenticated */
		struct sctp_authchunk ac = { .sauth_chunk = 0 /* DATA */ };

		if (usrsctp_setsockopt(u->so, IPPROTO_SCTP, SCTP_AUTH_CHUNK,
				       &ac, sizeof(ac)) != 0) {
			ret = -errno;
			goto fail;
		}
	}
	memset(&sconn, 0, sizeof(sconn));
	sconn.sconn_family = AF_CONN;
	if (u->listener) {
		sconn.sconn_port = port;
		u->lport = port;
		if (usrsctp_bind(u->so, (struct sockaddr *)&sconn,
				 sizeof(sconn)) != 0 ||
		    usrsctp_listen(u->so, 1) != 0) {
			ret = -errno;
			goto fail;
		}
	} else {
		struct sockaddr_storage peer;

		memcpy(&peer, p->addr, p->addrlen);
		u->link = link_new(u, &peer, p->addrlen);
		if (u->link == NULL) {
			ret = -ENOMEM;
			goto fail;
		}
		u->link->connected = true;
		u->link->rport = port;
		sconn.sconn_addr = u->link;
		ret = bind_local(u, &sconn);
		if (ret != 0)
			goto fail;
		sconn.sconn_port = port;
		if (usrsctp_connect(u->so, (struct sockaddr *)&sconn,
				    sizeof(sconn)) != 0 &&
		    errno != EINPROGRESS) {
			ret = -errno;
			goto fail;
		}
	}
	say_mode(u, p, (uint16_t)encap_port);
	*out = &u->base;
	return 0;
fail:
	sctp_close(&u->base);
	return ret;
}

static void sctp_close(struct transport *t)
{
	struct sctp_transport *u = sctp_of(t);

	if (u->so != NULL) {
		/* ABORT now: no association outlives its links */
		struct linger lg = { .l_onoff = 1, .l_linger = 0 };

		usrsctp_setsockopt(u->so, SOL_SOCKET, SO_LINGER, &lg,
				   sizeof(lg));
		usrsctp_close(u->so);
	}
	if (u->link != NULL)
		link_free(u->link);
	if (u->listener) {
		struct hnode *n;
		size_t iter;

		while ((n = htable_first(&u->links, &iter)) != NULL)
			link_free(container_of(n, struct link, by_peer));
		htable_finish(&u->links);
	}
	if (u->partial != NULL)
		dgram_free(u->partial);
	dgram_queue_clear(&u->backlog);
	dgram_queue_clear(&u->ends);
	stack_leave(u);
	if (u->fd != -1)
		close(u->fd);
	free(u);
}

/* Receiving ------------------------------------------------------------- */

/* Hand what the carrier holds to usrsctp. */
static void read_carrier(struct sctp_transport *u)
{
	static _Thread_local uint8_t buf[65536];

	for (int i = 0; i < CARRIER_BATCH; i++) {
		struct sockaddr_storage from;
		socklen_t fromlen = sizeof(from);
		const uint8_t *pkt;
		struct link *l;
		ssize_t n = recvfrom(u->fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &fromlen);

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR)
				return;
			u->base.stats.rx_errors++;
			/* ICMP port unreachable: nobody carries SCTP there */
			if (errno == ECONNREFUSED && !u->listener)
				u->ended = true;
			return;
		}
		pkt = buf;
		if (u->raw && from.ss_family == AF_INET) {
			/* IPv4 raw sockets read the IP header too */
			size_t ihl = n > 0 ? (size_t)(buf[0] & 15) * 4 : 0;

			if (ihl < 20 || (size_t)n < ihl) {
				u->base.stats.rx_truncated++;
				continue;
			}
			pkt = buf + ihl;
			n -= (ssize_t)ihl;
		}
		if (n < 12) {		/* not even an SCTP common header */
			u->base.stats.rx_truncated++;
			continue;
		}
		if (u->raw) {
			uint16_t sport, dport;

			memcpy(&sport, pkt, 2);
			memcpy(&dport, pkt + 2, 2);
			if (dport != u->lport)
				continue;	/* another endpoint's */
			/* the peer is its address and its SCTP port */
			set_port(&from, sport);
		}
		if (u->listener) {
			l = link_find(u, &from);
			if (l == NULL)
				l = link_new(u, &from, fromlen);
			if (l == NULL) {
				u->base.stats.rx_nobufs++;
				continue;
			}
		} else {
			l = u->link;
		}
		usrsctp_conninput(l, pkt, (size_t)n, 0);
		u->more = true;
	}
}

/* A listener's association ended: tell the route with an END dgram. */
static void peer_ended(struct sctp_transport *u, sctp_assoc_t assoc)
{
	struct sockaddr *addrs = NULL;
	struct link *l = NULL;
	struct dgram *d;
	int n = usrsctp_getpaddrs(u->so, assoc, &addrs);

	if (n > 0 && addrs->sa_family == AF_CONN)
		l = link_live(((struct sockaddr_conn *)(void *)addrs)->sconn_addr);
	if (n > 0)
		usrsctp_freepaddrs(addrs);
	if (l == NULL || (d = dgram_alloc(u->pool)) == NULL)
		return;
	d->len = 0;
	d->flags |= DGRAM_F_END;
	memcpy(&d->peer, &l->peer, l->peerlen);
	d->peerlen = l->peerlen;
	dgram_queue_push(&u->ends, d);
	u->more = true;
}

static void notification(struct sctp_transport *u, const uint8_t *buf,
			 size_t len)
{
	union sctp_notification sn;

	if (len < sizeof(sn.sn_header))
		return;
	memcpy(&sn, buf, len < sizeof(sn) ? len : sizeof(sn));
	if (sn.sn_header.sn_type != SCTP_ASSOC_CHANGE ||
	    len < sizeof(sn.sn_assoc_change))
		return;
	switch (sn.sn_assoc_change.sac_state) {
	case SCTP_COMM_UP:
		log_debug("sctp: association %u up",
			  (unsigned int)sn.sn_assoc_change.sac_assoc_id);
		break;
	case SCTP_COMM_LOST:
	case SCTP_SHUTDOWN_COMP:
	case SCTP_CANT_STR_ASSOC:
		log_debug("sctp: association %u ended (state %u)",
			  (unsigned int)sn.sn_assoc_change.sac_assoc_id,
			  (unsigned int)sn.sn_assoc_change.sac_state);
		if (!u->listener)
			u->ended = true;
		else
			peer_ended(u, sn.sn_assoc_change.sac_assoc_id);
		break;
	}
}

/* Fill d's peer from the AF_CONN address usrsctp named. */
static bool set_peer(struct sctp_transport *u, struct dgram *d,
		     const struct sockaddr_conn *from)
{
	struct link *l = link_live(from->sconn_addr);

	if (l == NULL || l->u != u)
		return false;
	l->rport = from->sconn_port;
	if (u->listener) {
		memcpy(&d->peer, &l->peer, l->peerlen);
		d->peerlen = l->peerlen;
	} else {
		d->peerlen = 0;
	}
	d->locallen = 0;
	return true;
}

static int sctp_recv(struct transport *t, struct dgram **out, size_t max,
		     size_t *n)
{
	struct sctp_transport *u = sctp_of(t);

	*n = 0;
	read_carrier(u);
	while (*n < max && u->ends.len > 0)
		out[(*n)++] = dgram_queue_pop(&u->ends);
	while (*n < max && u->more) {
		struct dgram *d = u->partial != NULL ? u->partial
						     : dgram_alloc(u->pool);
		size_t off = u->partial != NULL && !u->discarding ? d->len : 0;
		struct sockaddr_conn from;
		socklen_t fromlen = sizeof(from);
		struct sctp_rcvinfo info;
		socklen_t infolen = sizeof(info);
		unsigned int infotype = 0;
		int flags = 0;
		ssize_t r;

		if (d == NULL) {
			t->stats.rx_nobufs++;
			break;
		}
		memset(&info, 0, sizeof(info));
		r = usrsctp_recvv(u->so, d->data + off, DGRAM_CAP - off,
				  (struct sockaddr *)&from, &fromlen, &info,
				  &infolen, &infotype, &flags);
		if (r < 0) {
			if (u->partial == NULL)
				dgram_free(d);
			u->more = false;
			break;
		}
		if (flags & MSG_NOTIFICATION) {
			notification(u, d->data + off, (size_t)r);
			if (u->partial == NULL)
				dgram_free(d);
			while (*n < max && u->ends.len > 0)
				out[(*n)++] = dgram_queue_pop(&u->ends);
			continue;
		}
		d->len = off + (size_t)r;
		if (!(flags & MSG_EOR)) {
			/* more of it to come; beyond DGRAM_CAP, none kept */
			if (d->len >= DGRAM_CAP) {
				u->discarding = true;
				d->len = 0;
			}
			u->partial = d;
			continue;
		}
		u->partial = NULL;
		if (u->discarding) {
			u->discarding = false;
			t->stats.rx_truncated++;
			dgram_free(d);
			continue;
		}
		if (!set_peer(u, d, &from)) {
			dgram_free(d);
			continue;
		}
		d->stream = infotype == SCTP_RECVV_RCVINFO ? info.rcv_sid : 0;
		d->ppid = infotype == SCTP_RECVV_RCVINFO ? ntohl(info.rcv_ppid)
							 : 0;
		out[(*n)++] = d;
	}
	flush_backlog(u);
	if (u->ended && !u->ended_told) {
		/* once, after what arrived before the end */
		u->ended_told = true;
		return -ECONNRESET;
	}
	return *n > 0 ? 0 : -EAGAIN;
}

static bool sctp_rx_pending(const struct transport *t)
{
	return sctp_of_const(t)->more || sctp_of_const(t)->ends.len > 0;
}

/* Sending --------------------------------------------------------------- */

/* 0 when usrsctp took d, -EAGAIN when its buffer is full, or an error. */
static int send_one(struct sctp_transport *u, const struct dgram *d)
{
	struct sctp_sndinfo info;
	struct sockaddr_conn to;
	struct sockaddr *dst = NULL;
	int addrcnt = 0;

	if (u->ended)
		return -ECONNRESET;
	memset(&info, 0, sizeof(info));
	info.snd_sid = (uint16_t)(d->stream % u->nstreams);
	info.snd_ppid = htonl(d->ppid);
	if (d->flags & DGRAM_F_UNORDERED)
		info.snd_flags |= SCTP_UNORDERED;
	if (u->listener) {
		struct link *l = link_find(u, &d->peer);

		if (l == NULL || l->rport == 0)
			return -ENOTCONN;	/* no association with it */
		dst = link_addr(l, &to);
		addrcnt = 1;
	}
	if (usrsctp_sendv(u->so, d->data, d->len, dst, addrcnt, &info,
			  sizeof(info), SCTP_SENDV_SNDINFO, 0) >= 0)
		return 0;
	if (errno == EWOULDBLOCK || errno == EAGAIN ||
	    errno == ENOTCONN || errno == EINPROGRESS)
		return -EAGAIN;	/* full, or the association is coming up */
	return -errno;
}

static void flush_backlog(struct sctp_transport *u)
{
	struct dgram *d;

	while ((d = u->backlog.head) != NULL) {
		int ret = send_one(u, d);

		if (ret == -EAGAIN)
			return;
		if (ret != 0)
			u->base.stats.tx_errors++;
		dgram_free(dgram_queue_pop(&u->backlog));
	}
}

/* Keep a copy of d until usrsctp takes it. */
static void keep(struct sctp_transport *u, const struct dgram *d)
{
	struct dgram *c;

	if (u->backlog.len >= BACKLOG_MAX ||
	    (c = dgram_alloc(u->pool)) == NULL) {
		u->base.stats.tx_dropped++;
		return;
	}
	memcpy(c->data, d->data, d->len);
	c->len = d->len;
	memcpy(&c->peer, &d->peer, d->peerlen);
	c->peerlen = d->peerlen;
	c->stream = d->stream;
	c->ppid = d->ppid;
	c->flags = d->flags;
	dgram_queue_push(&u->backlog, c);
}

/*
 * The loop never waits for this transport to be writable: the carrier
 * always is.  What usrsctp cannot take yet waits in the backlog, sent as
 * acknowledgements arrive (sctp_recv) and on every tick.
 */
static int sctp_send(struct transport *t, struct dgram *const *in, size_t n,
		     size_t *nsent)
{
	struct sctp_transport *u = sctp_of(t);

	flush_backlog(u);
	for (*nsent = 0; *nsent < n; (*nsent)++) {
		const struct dgram *d = in[*nsent];
		int ret = u->backlog.len > 0 ? -EAGAIN : send_one(u, d);

		if (ret == -EAGAIN)
			keep(u, d);
		else if (ret != 0)
			return ret;
	}
	return 0;
}

static int sctp_set_auth_key(struct transport *t,
			     const struct sockaddr_storage *peer,
			     const uint8_t *key, size_t len)
{
	struct sctp_transport *u = sctp_of(t);
	uint8_t buf[sizeof(struct sctp_authkey) + 128];
	struct sctp_authkey *ak = (struct sctp_authkey *)(void *)buf;
	struct sctp_authkeyid id;
	sctp_assoc_t assoc = 0;	/* one-to-one: its association */
	int ret = 0;

	if (len > 128)
		return -EINVAL;
	if (u->listener) {
		struct link *l = peer != NULL ? link_find(u, peer) : NULL;
		struct sockaddr_conn sconn;

		if (l == NULL || l->rport == 0)
			return -ENOTCONN;
		assoc = usrsctp_getassocid(u->so, link_addr(l, &sconn));
		if (assoc == 0)
			return -ENOTCONN;
	}
	memset(buf, 0, sizeof(buf));
	ak->sca_assoc_id = assoc;
	ak->sca_keynumber = 1;
	ak->sca_keylength = (uint16_t)len;
	memcpy(ak->sca_key, key, len);
	memset(&id, 0, sizeof(id));
	id.scact_assoc_id = assoc;
	id.scact_keynumber = 1;
	if (usrsctp_setsockopt(u->so, IPPROTO_SCTP, SCTP_AUTH_KEY, ak,
			       (socklen_t)(sizeof(*ak) + len)) != 0 ||
	    usrsctp_setsockopt(u->so, IPPROTO_SCTP, SCTP_AUTH_ACTIVE_KEY, &id,
			       sizeof(id)) != 0)
		ret = -errno;
	explicit_bzero(buf, sizeof(buf));
	return ret;
}

/* SHUTDOWN after what is queued: an empty message flagged SCTP_EOF. */
static void sctp_end_peer(struct transport *t,
			  const struct sockaddr_storage *peer)
{
	struct sctp_transport *u = sctp_of(t);
	struct sctp_sndinfo info;
	struct sockaddr_conn to;
	struct sockaddr *dst = NULL;
	int addrcnt = 0;

	flush_backlog(u);
	memset(&info, 0, sizeof(info));
	info.snd_flags = SCTP_EOF;
	if (u->listener) {
		struct link *l = peer != NULL ? link_find(u, peer) : NULL;

		if (l == NULL || l->rport == 0)
			return;
		dst = link_addr(l, &to);
		addrcnt = 1;
	}
	usrsctp_sendv(u->so, NULL, 0, dst, addrcnt, &info, sizeof(info),
		      SCTP_SENDV_SNDINFO, 0);
}

static int sctp_fd(const struct transport *t)
{
	return sctp_of_const(t)->fd;
}

static int sctp_local_addr(const struct transport *t,
			   struct sockaddr_storage *ss, socklen_t *len)
{
	*len = sizeof(*ss);
	if (getsockname(sctp_of_const(t)->fd, (struct sockaddr *)ss, len) ==
	    -1)
		return -errno;
	return 0;
}

const struct transport_ops transport_sctp = {
	.name = "sctp",
	.caps = TRANSPORT_CAP_RELIABLE | TRANSPORT_CAP_ORDERED |
		TRANSPORT_CAP_ONE_THREAD | TRANSPORT_CAP_RECORDS,
	.max_msg = DGRAM_CAP,
	.open = sctp_open,
	.close = sctp_close,
	.recv = sctp_recv,
	.rx_pending = sctp_rx_pending,
	.send = sctp_send,
	.fd = sctp_fd,
	.set_auth_key = sctp_set_auth_key,
	.end_peer = sctp_end_peer,
	.local_addr = sctp_local_addr,
};
