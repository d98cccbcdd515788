/*
 * The DCCP backend: a userspace DCCP (codec.c, conn.c, ccid2.c) carried
 * in UDP (RFC 6773, DCCP-UDP) or in raw IP protocol 33, the wire format
 * of kernel DCCP peers.
 *
 * A listener is one carrier socket: the UDP socket on the encapsulation
 * port (6511, or ?encap-port=N), or a raw socket that reads every DCCP
 * packet of the host and keeps those for the URI's port.  Each remote
 * endpoint gets a connection, created by its Request; the gateway sees
 * a peer as the address the carrier names: its IP address and UDP port in
 * encapsulation, its IP address and DCCP port in raw IP.  A connector is
 * one carrier socket (a connected UDP socket, or a raw socket bound to
 * the source address the route to the peer takes) and one connection,
 * opened at once; what the gateway sends before it is open waits.
 *
 * The DCCP port of the URI is DCCP's; in encapsulation the UDP port is
 * the carrier's (RFC 6773 section 3: any pair of UDP ports carries any
 * pair of DCCP ports).  The checksum is DCCP's own over the IP
 * pseudo-header with protocol 33 (RFC 6773 section 5 keeps it), so
 * every packet read carries its destination address (IP_PKTINFO, or the
 * IPv4 header of a raw read) and every packet sent leaves from the
 * address the peer used.
 *
 * What does not fit: a payload over the connection's maximum packet size
 * (DCCP never fragments: RFC 4340 section 14) is dropped and counted;
 * what the congestion window holds back waits in the connection's
 * backlog (BACKLOG_MAX), then is dropped and counted.
 *
 * One userspace stack per process: every DCCP transport runs on worker 0
 * (TRANSPORT_CAP_ONE_THREAD), which also keeps the counters
 * transport_dccp_log_stats() prints on SIGUSR1.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dtlsgw/container.h"
#include "dtlsgw/dgram.h"
#include "dtlsgw/htable.h"
#include "dtlsgw/log.h"
#include "dtlsgw/session.h"	/* struct addr_key, sockaddr_port() */
#include "dtlsgw/transport.h"
#include "dtlsgw/worker.h"

#include "../pktinfo.h"
#include "codec.h"
#include "conn.h"

/* Carrier datagrams read per recv call. */
#define CARRIER_BATCH		64
/* Payloads a connection keeps while it opens or its window is full. */
#define BACKLOG_MAX		256
/* Connections a listener holds (each created by a Request). */
#define CONNS_MAX		65536
/*
 * A listener's connections still in RESPOND (a Request came, no Ack yet):
 * past this many, the oldest goes, without a Reset, for each new Request.
 * A flood of Requests from forged sources holds this many at most, each
 * for as long as the flood takes to send HALF_OPEN_MAX more, while a real
 * client's Ack comes back within its round trip.
 */
#define HALF_OPEN_MAX		1024
/* Resets for packets of no connection: a burst, then this many a second. */
#define RESET_BURST		50
#define RESET_PER_S		50
/* How long a listener's connection may stay open without data. */
#define QUIET_MAX_US		(60 * 1000000ull)
/* The path MTU a listener assumes for its peers (?mtu=N changes it). */
#define MTU_DEFAULT		1500
/* A connector's TIMEWAIT is short: its socket goes with the session. */
#define TIMEWAIT_US		(10 * 1000000ull)
#define SOCK_BUFSZ		(4 * 1024 * 1024)

struct dccp_transport;

/* A DCCP connection of a transport, and the remote endpoint it talks to. */
struct dconn {
	struct hnode		 node;		/* in the listener's table */
	struct addr_key		 key;
	struct dccp_transport	*u;
	struct dccp_conn	*c;
	struct worker_timer	*timer;
	struct sockaddr_storage	 peer;		/* the peer as the gateway names it */
	socklen_t		 peerlen;
	struct sockaddr_storage	 local;		/* our address it uses */
	socklen_t		 locallen;
	uint16_t		 rport;		/* its DCCP port */
	struct dgram_queue	 backlog;
	bool			 flush;		/* the backlog may move */
	bool			 closed;	/* no more data either way */
	bool			 dead;		/* free it */
	/*
	 * A listener's connection that carries no data by then is closed:
	 * without data the gateway has no session to end it (0: it did).
	 */
	uint64_t		 quiet_until;
	/* a listener's connection in RESPOND: in the transport's list */
	bool			 half_open;
	struct dconn		*half_prev, *half_next;
};

struct dccp_transport {
	struct transport	 base;
	int			 fd;
	int			 af;
	bool			 listener;
	bool			 raw;
	uint16_t		 lport;		/* our DCCP port */
	uint32_t		 service;
	size_t			 mtu;		/* path MTU, IP header included */
	struct dgram_pool	*pool;
	struct worker		*w;
	struct htable		 conns;		/* listener: by peer */
	size_t			 nconns;
	struct dconn		*half_head;	/* in RESPOND, oldest first */
	struct dconn		*half_tail;
	size_t			 nhalf;
	struct dconn		*conn;		/* connector: its one */
	struct dgram_queue	 rxq;		/* END dgrams for the route */
	struct worker_timer	*kick;		/* deliver rxq outside a read */
	bool			 ended;		/* connector: the connection closed */
	bool			 ended_told;
	uint64_t		 reset_tokens;	/* rate limit of our Resets */
	uint64_t		 reset_refill_ms;
	struct dccp_transport	*next;		/* in all */
};

/*
 * The counters of every DCCP transport of the process, with what the
 * connections already freed counted; the live ones are added at print.
 */
static struct {
	uint64_t		 malformed[DCCP_ERR_BAD_PSEUDO + 1];
	uint64_t		 no_conn;	/* packets for no connection */
	uint64_t		 resets_sent;	/* answers to those */
	uint64_t		 refused;	/* Requests over CONNS_MAX */
	uint64_t		 quiet_closed;	/* no data within QUIET_MAX_US */
	uint64_t		 half_open_evicted; /* over HALF_OPEN_MAX */
	uint64_t		 too_big;	/* payloads over the MPS */
	uint64_t		 conns_opened;
	struct dccp_conn_stats	 conn;		/* of freed connections */
	struct ccid2_stats	 ccid2;		/* of freed connections */
	struct dccp_transport	*all;
} dstats;

static struct dccp_transport *dccp_of(struct transport *t)
{
	return container_of(t, struct dccp_transport, base);
}

static const struct dccp_transport *dccp_of_const(const struct transport *t)
{
	return container_of_const(t, struct dccp_transport, base);
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* The IP address inside ss, for the checksum's pseudo-header. */
static const void *ip_of(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET ?
		       (const void *)&((const struct sockaddr_in *)(const void *)
					       ss)->sin_addr :
		       (const void *)&((const struct sockaddr_in6 *)(const void *)
					       ss)->sin6_addr;
}

static void add_conn_stats(struct dccp_conn_stats *to,
			   const struct dccp_conn_stats *from)
{
	const uint64_t *f = (const uint64_t *)from;
	uint64_t *t = (uint64_t *)to;

	_Static_assert(sizeof(*from) % sizeof(uint64_t) == 0,
		       "dccp_conn_stats is made of uint64_t");
	for (size_t i = 0; i < sizeof(*from) / sizeof(uint64_t); i++)
		t[i] += f[i];
}

static void add_ccid2_stats(struct ccid2_stats *to,
			    const struct ccid2_stats *from)
{
	to->acked += from->acked;
	to->lost += from->lost;
	to->halvings += from->halvings;
	to->timeouts += from->timeouts;
	to->blocked += from->blocked;
	if (from->max_cwnd > to->max_cwnd)
		to->max_cwnd = from->max_cwnd;
}

/* Sending on the carrier -------------------------------------------------- */

/* Send pkt from local to peer, local as the source (IP_PKTINFO). */
static void carrier_send(struct dccp_transport *u, const uint8_t *pkt,
			 size_t len, const struct sockaddr_storage *peer,
			 socklen_t peerlen, const struct sockaddr_storage *local)
{
	union {
		struct cmsghdr	align;
		uint8_t		buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} cbuf;
	struct sockaddr_storage to;
	struct iovec iov = { .iov_base = (void *)(uintptr_t)pkt,
			     .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (!u->listener && !u->raw) {
		n = send(u->fd, pkt, len, MSG_DONTWAIT);
		goto done;
	}
	to = *peer;
	if (u->raw)
		sockaddr_set_port(&to, 0);	/* the DCCP port is in the header */
	mh.msg_name = &to;
	mh.msg_namelen = peerlen;
	if (u->listener && local != NULL) {
		memset(&cbuf, 0, sizeof(cbuf));
		mh.msg_control = cbuf.buf;
		mh.msg_controllen = sizeof(cbuf.buf);
		mh.msg_controllen = pktinfo_put(CMSG_FIRSTHDR(&mh), u->af,
						local, 0);
		if (mh.msg_controllen == 0)
			mh.msg_control = NULL;
	}
	n = sendmsg(u->fd, &mh, MSG_DONTWAIT);
done:
	if (n < 0) {
		u->base.stats.tx_errors++;
	} else {
		u->base.stats.tx_dgrams++;
		u->base.stats.tx_bytes += len;
	}
}

/* What a connection sends: its checksum, then the carrier. */
static void conn_output(void *arg, uint8_t *pkt, size_t len)
{
	struct dconn *k = arg;

	if (dccp_checksum_fill(pkt, len, k->local.ss_family, ip_of(&k->local),
			       ip_of(&k->peer)) != DCCP_OK)
		return;
	carrier_send(k->u, pkt, len, &k->peer, k->peerlen, &k->local);
}

/* Connections ------------------------------------------------------------- */

static void kick_start(struct dccp_transport *u)
{
	if (!worker_timer_active(u->kick))
		worker_timer_start(u->kick, 0);
}

/* Tell the route the connection with k's peer ended. */
static void tell_end(struct dconn *k)
{
	struct dccp_transport *u = k->u;
	struct dgram *d;

	if (!u->listener) {
		u->ended = true;
		kick_start(u);
		return;
	}
	d = dgram_alloc(u->pool);
	if (d == NULL)
		return;
	d->len = 0;
	d->flags |= DGRAM_F_END;
	memcpy(&d->peer, &k->peer, k->peerlen);
	d->peerlen = k->peerlen;
	dgram_queue_push(&u->rxq, d);
	kick_start(u);
}

/* A listener's new connection, in RESPOND until the client's Ack. */
static void half_open_add(struct dconn *k)
{
	struct dccp_transport *u = k->u;

	k->half_open = true;
	k->half_prev = u->half_tail;
	k->half_next = NULL;
	if (u->half_tail != NULL)
		u->half_tail->half_next = k;
	else
		u->half_head = k;
	u->half_tail = k;
	u->nhalf++;
}

static void half_open_remove(struct dconn *k)
{
	struct dccp_transport *u = k->u;

	if (!k->half_open)
		return;
	if (k->half_prev != NULL)
		k->half_prev->half_next = k->half_next;
	else
		u->half_head = k->half_next;
	if (k->half_next != NULL)
		k->half_next->half_prev = k->half_prev;
	else
		u->half_tail = k->half_prev;
	k->half_open = false;
	k->half_prev = k->half_next = NULL;
	u->nhalf--;
}

static void conn_event(void *arg, enum dccp_event ev, uint8_t code)
{
	struct dconn *k = arg;
	char a[ADDR_STRLEN];

	switch (ev) {
	case DCCP_EV_OPEN:
		log_debug("dccp: connection with %s open",
			  addr_str((const struct sockaddr *)&k->peer, a));
		half_open_remove(k);
		k->flush = true;
		break;
	case DCCP_EV_WRITABLE:
		k->flush = true;
		break;
	case DCCP_EV_CLOSED:
		if (k->closed)
			break;
		log_debug("dccp: connection with %s closed (reset code %u)",
			  addr_str((const struct sockaddr *)&k->peer, a),
			  (unsigned int)code);
		k->closed = true;
		k->u->base.stats.tx_dropped += k->backlog.len;
		dgram_queue_clear(&k->backlog);
		tell_end(k);
		break;
	case DCCP_EV_DEAD:
		k->dead = true;
		break;
	}
}

static const struct dccp_conn_cb conn_cb = {
	.output = conn_output,
	.event = conn_event,
};

static void dconn_free(struct dconn *k)
{
	struct dccp_transport *u = k->u;

	add_conn_stats(&dstats.conn, dccp_conn_stats(k->c));
	add_ccid2_stats(&dstats.ccid2, &dccp_conn_ccid2(k->c)->stats);
	half_open_remove(k);
	if (u->listener) {
		htable_remove(&u->conns, &k->node);
		u->nconns--;
	} else {
		u->conn = NULL;
	}
	dccp_conn_free(k->c);
	worker_timer_free(k->timer);
	dgram_queue_clear(&k->backlog);
	free(k);
}

/* Send what waits, as far as the window lets it. */
static void flush_backlog(struct dconn *k, uint64_t now)
{
	struct dgram *d;

	while ((d = k->backlog.head) != NULL && !k->closed) {
		int ret = dccp_conn_send(k->c, d->data, d->len, now);

		if (ret == -EAGAIN || ret == -ENOTCONN)
			return;		/* the window, or not open yet */
		if (ret == -EMSGSIZE)
			dstats.too_big++;
		else if (ret != 0)
			k->u->base.stats.tx_errors++;
		dgram_free(dgram_queue_pop(&k->backlog));
	}
}

/*
 * After every call into k's connection: move the backlog, free k when
 * the connection is dead, and set its timer.  Returns false when k is
 * gone.
 */
static bool dconn_after(struct dconn *k, uint64_t now)
{
	int64_t us;

	while (k->flush && !k->dead) {
		k->flush = false;
		flush_backlog(k, now);
	}
	if (k->dead) {
		dconn_free(k);
		return false;
	}
	us = dccp_conn_next_timeout(k->c, now);
	if (k->quiet_until != 0 && !k->closed &&
	    (us < 0 || now + (uint64_t)us > k->quiet_until))
		us = k->quiet_until > now ? (int64_t)(k->quiet_until - now) : 0;
	if (us < 0)
		worker_timer_stop(k->timer);
	else
		worker_timer_start(k->timer, ((uint64_t)us + 999) / 1000);
	return true;
}

static void dconn_timer(void *arg)
{
	struct dconn *k = arg;
	uint64_t now = now_us();

	if (k->quiet_until != 0 && now >= k->quiet_until && !k->closed) {
		char a[ADDR_STRLEN];

		log_debug("dccp: connection with %s carried no data in %llu s: "
			  "closing it",
			  addr_str((const struct sockaddr *)&k->peer, a),
			  (unsigned long long)(QUIET_MAX_US / 1000000));
		k->quiet_until = 0;
		dstats.quiet_closed++;
		dccp_conn_close(k->c, now);
	}
	dccp_conn_on_timeout(k->c, now);
	dconn_after(k, now);
}

static struct dconn *dconn_new(struct dccp_transport *u,
			       const struct sockaddr_storage *peer,
			       socklen_t peerlen,
			       const struct sockaddr_storage *local,
			       socklen_t locallen, uint16_t rport, bool server)
{
	struct dconn *k = calloc(1, sizeof(*k));
	struct dccp_conn_params p = {
		.server = server,
		.sport = u->lport,
		.dport = rport,
		.service = u->service,
		.mtu = u->mtu - (u->af == AF_INET ? 20 : 40) -
		       (u->raw ? 0 : 8),
		.iss = ((uint64_t)arc4random() << 16 ^ arc4random()) &
		       DCCP_SEQ_MASK,
		.timewait_us = server ? 0 : TIMEWAIT_US,
	};

	if (k == NULL)
		return NULL;
	k->u = u;
	memcpy(&k->peer, peer, peerlen);
	k->peerlen = peerlen;
	memcpy(&k->local, local, locallen);
	k->locallen = locallen;
	k->rport = rport;
	k->c = dccp_conn_new(&p, &conn_cb, k);
	k->timer = worker_timer_new(u->w, dconn_timer, k);
	if (k->c == NULL || k->timer == NULL) {
		dccp_conn_free(k->c);
		worker_timer_free(k->timer);
		free(k);
		return NULL;
	}
	if (u->listener) {
		addr_key_from(&k->key, (const struct sockaddr *)peer, true);
		htable_insert(&u->conns, &k->node,
			      htable_hash(&u->conns, &k->key, sizeof(k->key)));
		u->nconns++;
	} else {
		u->conn = k;
	}
	dstats.conns_opened++;
	return k;
}

static bool key_eq(const struct hnode *n, const void *key)
{
	const struct dconn *k = container_of_const(n, struct dconn, node);

	return memcmp(&k->key, key, sizeof(k->key)) == 0;
}

static struct dconn *dconn_find(struct dccp_transport *u,
				const struct sockaddr_storage *peer)
{
	struct addr_key key;
	struct hnode *n;

	if (!u->listener)
		return u->conn;
	addr_key_from(&key, (const struct sockaddr *)peer, true);
	n = htable_find(&u->conns, htable_hash(&u->conns, &key, sizeof(key)),
			key_eq, &key);
	return n != NULL ? container_of(n, struct dconn, node) : NULL;
}

/* Receiving --------------------------------------------------------------- */

static bool reset_allowed(struct dccp_transport *u)
{
	uint64_t ms = worker_now_ms(u->w);

	if (ms > u->reset_refill_ms) {
		u->reset_tokens += (ms - u->reset_refill_ms) * RESET_PER_S /
				   1000;
		if (u->reset_tokens > RESET_BURST)
			u->reset_tokens = RESET_BURST;
		u->reset_refill_ms = ms;
	}
	if (u->reset_tokens == 0)
		return false;
	u->reset_tokens--;
	return true;
}

/* A packet for no connection: Reset, as 8.3.1 says, within a rate. */
static void answer_stranger(struct dccp_transport *u, const struct dccp_hdr *h,
			    const struct sockaddr_storage *from,
			    socklen_t fromlen,
			    const struct sockaddr_storage *local, uint8_t code)
{
	uint8_t buf[64];
	int n;

	dstats.no_conn++;
	if (!reset_allowed(u))
		return;
	n = dccp_reset_for(h, code, buf, sizeof(buf));
	if (n <= 0)
		return;
	/* the Reset goes back to the ports the packet came from */
	buf[0] = (uint8_t)(h->dport >> 8);
	buf[1] = (uint8_t)h->dport;
	buf[2] = (uint8_t)(h->sport >> 8);
	buf[3] = (uint8_t)h->sport;
	if (dccp_checksum_fill(buf, (size_t)n, local->ss_family, ip_of(local),
			       ip_of(from)) != DCCP_OK)
		return;
	dstats.resets_sent++;
	carrier_send(u, buf, (size_t)n, from, fromlen, local);
}

/*
 * Read one carrier datagram into d: the DCCP packet at *pkt, *len bytes,
 * from *from (the peer as the gateway names it: its UDP port, or in raw
 * IP none yet) to *local.  1 for a packet, 0 for nothing to read, -1 for
 * a datagram to drop.
 */
static int carrier_read(struct dccp_transport *u, struct dgram *d,
			uint8_t **pkt, size_t *len,
			struct sockaddr_storage *from, socklen_t *fromlen,
			struct sockaddr_storage *local)
{
	union {
		struct cmsghdr	align;
		uint8_t		buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) +
				    CMSG_SPACE(sizeof(struct in_pktinfo))];
	} cbuf;
	struct iovec iov = { .iov_base = d->data, .iov_len = DGRAM_CAP };
	struct msghdr mh = {
		.msg_name = from, .msg_namelen = sizeof(*from),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf.buf, .msg_controllen = sizeof(cbuf.buf),
	};
	ssize_t n = recvmsg(u->fd, &mh, MSG_DONTWAIT);

	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return 0;
		u->base.stats.rx_errors++;
		/* ICMP port unreachable: nobody carries DCCP there */
		if (errno == ECONNREFUSED && !u->listener && u->conn != NULL &&
		    !u->conn->closed) {
			u->conn->closed = true;
			tell_end(u->conn);
		}
		return -1;
	}
	*fromlen = mh.msg_namelen;
	if (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
		u->base.stats.rx_truncated++;
		return -1;
	}
	u->base.stats.rx_dgrams++;
	u->base.stats.rx_bytes += (uint64_t)n;
	*pkt = d->data;
	*len = (size_t)n;
	memset(local, 0, sizeof(*local));
	local->ss_family = (sa_family_t)u->af;
	if (u->raw && u->af == AF_INET) {
		/* IPv4 raw sockets read the IP header too */
		size_t ihl = n > 0 ? (size_t)(d->data[0] & 15) * 4 : 0;

		if (ihl < 20 || (size_t)n < ihl)
			return -1;
		memcpy(&((struct sockaddr_in *)(void *)local)->sin_addr,
		       d->data + 16, 4);
		*pkt += ihl;
		*len -= ihl;
		return 1;
	}
	if (!u->listener && !u->raw) {
		*local = u->conn != NULL ? u->conn->local : *local;
		return 1;
	}
	{
		socklen_t locallen;
		int ifindex;

		pktinfo_read(&mh, u->af, 0, local, &locallen, &ifindex);
	}
	return 1;
}

/*
 * One DCCP packet pkt[0..len) in d, from `from`.  Returns true when d now
 * holds application data for the gateway (data, len and peer set).
 */
static bool input(struct dccp_transport *u, struct dgram *d, uint8_t *pkt,
		  size_t len, struct sockaddr_storage *from, socklen_t fromlen,
		  const struct sockaddr_storage *local)
{
	struct dccp_hdr h;
	enum dccp_error e = dccp_decode(pkt, len, &h);
	struct dconn *k;
	uint64_t now;
	int ret;

	if (e != DCCP_OK) {
		dstats.malformed[e]++;
		return false;
	}
	if (u->raw) {
		if (h.dport != u->lport)
			return false;	/* another endpoint's */
		/* the peer is its address and its DCCP port */
		sockaddr_set_port(from, h.sport);
	}
	e = dccp_checksum_ok(pkt, len, u->af, ip_of(from), ip_of(local));
	if (e != DCCP_OK) {
		dstats.malformed[e]++;
		return false;
	}
	k = dconn_find(u, from);
	if (k != NULL && !u->listener &&
	    memcmp(ip_of(from), ip_of(&k->peer),
		   u->af == AF_INET ? 4 : 16) != 0)
		return false;	/* raw IP: another host's */
	if (k != NULL && (h.sport != k->rport || h.dport != u->lport)) {
		if (u->listener) {
			answer_stranger(u, &h, from, fromlen, local,
					DCCP_RESET_NO_CONNECTION);
		}
		return false;
	}
	if (k != NULL && u->listener && h.type == DCCP_REQUEST &&
	    (dccp_conn_state(k->c) == DCCP_S_TIMEWAIT ||
	     dccp_conn_state(k->c) == DCCP_S_CLOSED)) {
		/* the peer starts over where an old connection lingers */
		dconn_free(k);
		k = NULL;
	}
	if (k == NULL) {
		if (!u->listener || h.type != DCCP_REQUEST ||
		    h.dport != u->lport) {
			if (h.dport == u->lport || !u->raw)
				answer_stranger(u, &h, from, fromlen, local,
						DCCP_RESET_NO_CONNECTION);
			return false;
		}
		if (u->nhalf >= HALF_OPEN_MAX) {
			/* no Reset: its Request was most likely forged */
			dstats.half_open_evicted++;
			dconn_free(u->half_head);
		}
		if (u->nconns >= CONNS_MAX) {
			dstats.refused++;
			answer_stranger(u, &h, from, fromlen, local,
					DCCP_RESET_TOO_BUSY);
			return false;
		}
		k = dconn_new(u, from, fromlen, local, sizeof(*local), h.sport,
			      true);
		if (k == NULL) {
			u->base.stats.rx_nobufs++;
			return false;
		}
		half_open_add(k);
		k->locallen = u->af == AF_INET ? sizeof(struct sockaddr_in)
					       : sizeof(struct sockaddr_in6);
		k->quiet_until = now_us() + QUIET_MAX_US;
	}
	now = now_us();
	ret = dccp_conn_input(k->c, &h, pkt, len, now);
	if (ret == 1) {
		k->quiet_until = 0;
		d->data = pkt + h.doff;
		d->len = len - h.doff;
		memcpy(&d->peer, &k->peer, k->peerlen);
		d->peerlen = u->listener ? k->peerlen : 0;
		memcpy(&d->local, &k->local, k->locallen);
		d->locallen = u->listener ? k->locallen : 0;
	}
	dconn_after(k, now);
	return ret == 1;
}

static int dccp_recv(struct transport *t, struct dgram **out, size_t max,
		     size_t *n)
{
	struct dccp_transport *u = dccp_of(t);

	*n = 0;
	while (*n < max && u->rxq.len > 0)
		out[(*n)++] = dgram_queue_pop(&u->rxq);
	for (int i = 0; i < CARRIER_BATCH && *n < max; i++) {
		struct sockaddr_storage from, local;
		socklen_t fromlen;
		struct dgram *d = dgram_alloc(u->pool);
		uint8_t *pkt;
		size_t len;
		int r;

		if (d == NULL) {
			t->stats.rx_nobufs++;
			break;
		}
		r = carrier_read(u, d, &pkt, &len, &from, &fromlen, &local);
		if (r == 0) {
			dgram_free(d);
			break;
		}
		if (r == 1 && input(u, d, pkt, len, &from, fromlen, &local))
			out[(*n)++] = d;
		else
			dgram_free(d);
		while (*n < max && u->rxq.len > 0)
			out[(*n)++] = dgram_queue_pop(&u->rxq);
	}
	if (u->ended && !u->ended_told && u->rxq.len == 0) {
		/* once, after what arrived before the end */
		u->ended_told = true;
		return -ECONNRESET;
	}
	return *n > 0 ? 0 : -EAGAIN;
}

static bool dccp_rx_pending(const struct transport *t)
{
	const struct dccp_transport *u = dccp_of_const(t);

	return u->rxq.len > 0 || (u->ended && !u->ended_told);
}

/* What a connection's event queued, delivered outside a carrier read. */
static void kick_cb(void *arg)
{
	struct dccp_transport *u = arg;

	/* last: the route may close u from inside */
	transport_readable(&u->base);
}

/* Sending ----------------------------------------------------------------- */

/* Keep a copy of d until the connection may send it. */
static void keep(struct dconn *k, const struct dgram *d)
{
	struct dgram *c;

	if (k->backlog.len >= BACKLOG_MAX ||
	    (c = dgram_alloc(k->u->pool)) == NULL) {
		k->u->base.stats.tx_dropped++;
		return;
	}
	memcpy(c->data, d->data, d->len);
	c->len = d->len;
	dgram_queue_push(&k->backlog, c);
}

static int dccp_send(struct transport *t, struct dgram *const *in, size_t n,
		     size_t *nsent)
{
	struct dccp_transport *u = dccp_of(t);
	uint64_t now = now_us();

	for (*nsent = 0; *nsent < n; (*nsent)++) {
		const struct dgram *d = in[*nsent];
		struct dconn *k = dconn_find(u, &d->peer);
		int ret;

		if (k == NULL || k->closed) {
			t->stats.tx_errors++;
			continue;	/* no connection with it (any more) */
		}
		if (k->backlog.len > 0) {
			keep(k, d);
			continue;
		}
		ret = dccp_conn_send(k->c, d->data, d->len, now);
		if (ret == -EAGAIN || ret == -ENOTCONN) {
			keep(k, d);	/* the window, or still opening */
		} else if (ret == -EMSGSIZE) {
			dstats.too_big++;
			t->stats.tx_errors++;
		} else if (ret != 0) {
			t->stats.tx_errors++;
		}
		if (!dconn_after(k, now) && !u->listener)
			break;
	}
	*nsent = n;
	return 0;
}

/* Close the connection with peer (a listener's; NULL: the connector's). */
static void dccp_end_peer(struct transport *t,
			  const struct sockaddr_storage *peer)
{
	struct dccp_transport *u = dccp_of(t);
	struct dconn *k = peer != NULL ? dconn_find(u, peer) : u->conn;
	uint64_t now = now_us();

	if (k == NULL || k->closed)
		return;
	flush_backlog(k, now);
	dccp_conn_close(k->c, now);
	dconn_after(k, now);
}

/* Opening ----------------------------------------------------------------- */

/* ?service=N: a number, or four characters ("RTPA"); 0 when absent. */
static int param_service(const struct endpoint *ep, uint32_t *code)
{
	const char *v = endpoint_param(ep, "service");
	unsigned long n;

	*code = DCCP_SERVICE_NONE;
	if (v == NULL)
		return 0;
	if (strlen(v) == 4 && !(v[0] >= '0' && v[0] <= '9')) {
		*code = dccp_service_code(v);
		return dccp_service_code_valid(*code) ? 0 : -EINVAL;
	}
	if (endpoint_param_uint(ep, "service", 0, 0xfffffffeul, 0, &n) != 0)
		return -EINVAL;
	*code = (uint32_t)n;
	return 0;
}

/*
 * ?encap=kernel: the kernel's own DCCP, probed at start.  Linux removed
 * it in 6.16; where a kernel still has it, its wire format is the one
 * encap=raw speaks, with the stack here.
 */
static int dccp_check(const struct endpoint *ep, int af, char *msg,
		      size_t msglen)
{
#ifndef SOCK_DCCP
#define SOCK_DCCP 6
#endif
	const char *encap = endpoint_param(ep, "encap");
	int fd;

	if (encap == NULL || strcmp(encap, "kernel") != 0)
		return 0;
	fd = socket(af, SOCK_DCCP | SOCK_CLOEXEC, DCCP_IPPROTO);
	if (fd == -1) {
		int err = errno;

		snprintf(msg, msglen, "encap=kernel: this kernel has no DCCP "
			 "socket (%s; Linux removed DCCP in 6.16): use "
			 "encap=udp (RFC 6773) or encap=raw (IP protocol 33, "
			 "the same wire format as a kernel's)", strerror(err));
		return -EPROTONOSUPPORT;
	}
	close(fd);
	snprintf(msg, msglen, "encap=kernel: this kernel has DCCP sockets, "
		 "but dtlsgw runs its own DCCP: use encap=raw, the same wire "
		 "format");
	return -ENOTSUP;
}

/* The source address the route to peer takes (raw connectors). */
static int route_source(const struct sockaddr_storage *peer, socklen_t len,
			struct sockaddr_storage *src, socklen_t *srclen)
{
	int fd = socket(peer->ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct sockaddr_storage to = *peer;
	int ret = 0;

	if (fd == -1)
		return -errno;
	sockaddr_set_port(&to, 9);	/* any: nothing is sent */
	*srclen = sizeof(*src);
	if (connect(fd, (struct sockaddr *)&to, len) == -1 ||
	    getsockname(fd, (struct sockaddr *)src, srclen) == -1)
		ret = -errno;
	close(fd);
	return ret;
}

static int carrier_open(struct dccp_transport *u,
			const struct transport_params *p, uint16_t encap_port,
			struct sockaddr_storage *local, socklen_t *locallen)
{
	struct sockaddr_storage ss;
	int one = 1, bufsz = SOCK_BUFSZ;
	int fd = u->raw ? socket(u->af, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
				 DCCP_IPPROTO)
			: socket(u->af, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
				 0);

	if (fd == -1)
		return -errno;
	u->fd = fd;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bufsz, sizeof(bufsz));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bufsz, sizeof(bufsz));
	if (u->af == AF_INET)
		setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
	else
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one,
			   sizeof(one));
	if (u->listener) {
		memcpy(&ss, p->addr, p->addrlen);
		/* raw IP: no port; UDP: the encapsulation's */
		sockaddr_set_port(&ss, u->raw ? 0 : encap_port);
		if (u->af == AF_INET6)
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
				   sizeof(one));
		if (bind(fd, (struct sockaddr *)&ss, p->addrlen) == -1)
			return -errno;
		return 0;
	}
	if (u->raw) {
		int ret = route_source((const struct sockaddr_storage *)(const void *)
					       p->addr, p->addrlen, local,
				       locallen);

		if (ret != 0)
			return ret;
		sockaddr_set_port(local, 0);
		if (bind(fd, (struct sockaddr *)local, *locallen) == -1)
			return -errno;
		return 0;
	}
	memcpy(&ss, p->addr, p->addrlen);
	sockaddr_set_port(&ss, encap_port);
	*locallen = sizeof(*local);
	if (connect(fd, (struct sockaddr *)&ss, p->addrlen) == -1 ||
	    getsockname(fd, (struct sockaddr *)local, locallen) == -1)
		return -errno;
	return 0;
}

static void dccp_close(struct transport *t);

/*
 * What the carrier interoperates with, in the log: for every listener,
 * and once a process for connectors (one opens per session).
 */
static void say_mode(const struct dccp_transport *u,
		     const struct transport_params *p, uint16_t encap_port)
{
	static bool said[2];
	char a[ADDR_STRLEN];

	if (!u->listener && said[u->raw])
		return;
	if (!u->listener)
		said[u->raw] = true;
	if (u->raw)
		log_info("dccp: %s %s in raw IP (protocol 33): the wire "
			 "format of kernel DCCP peers",
			 u->listener ? "listening on" : "connecting to",
			 addr_str(p->addr, a));
	else
		log_info("dccp: %s %s in UDP encapsulation on port %u "
			 "(RFC 6773, DCCP-UDP)",
			 u->listener ? "listening on" : "connecting to",
			 addr_str(p->addr, a), (unsigned int)encap_port);
}

static int dccp_open(struct transport **out, const struct transport_params *p)
{
	struct dccp_transport *u;
	unsigned long encap_port, mtu;
	const char *encap = endpoint_param(p->ep, "encap");
	struct sockaddr_storage local;
	socklen_t locallen = 0;
	uint32_t service;
	int ret;

	*out = NULL;
	if (encap != NULL && strcmp(encap, "udp") != 0 &&
	    strcmp(encap, "raw") != 0)
		return -ENOTSUP;
	if (endpoint_param_uint(p->ep, "encap-port", 1, 65535, DCCP_UDP_PORT,
		       &encap_port) != 0 ||
	    endpoint_param_uint(p->ep, "mtu", 576, 65535, MTU_DEFAULT, &mtu) != 0 ||
	    param_service(p->ep, &service) != 0)
		return -EINVAL;
	if (p->worker == NULL)
		return -EINVAL;
	u = calloc(1, sizeof(*u));
	if (u == NULL)
		return -ENOMEM;
	u->fd = -1;
	u->base.ops = &transport_dccp;
	u->pool = p->pool;
	u->w = p->worker;
	u->af = p->addr->sa_family;
	u->listener = p->role == TRANSPORT_LISTEN;
	u->raw = encap != NULL && strcmp(encap, "raw") == 0;
	u->service = service;
	u->mtu = mtu;
	u->reset_tokens = RESET_BURST;
	u->reset_refill_ms = worker_now_ms(u->w);
	u->kick = worker_timer_new(u->w, kick_cb, u);
	u->next = dstats.all;
	dstats.all = u;
	if (u->kick == NULL) {
		ret = -ENOMEM;
		goto fail;
	}
	if (u->listener && htable_init(&u->conns, 16) != 0) {
		ret = -ENOMEM;
		goto fail;
	}
	ret = carrier_open(u, p, (uint16_t)encap_port, &local, &locallen);
	if (ret != 0)
		goto fail;
	if (u->listener) {
		u->lport = sockaddr_port(
			(const struct sockaddr_storage *)(const void *)p->addr);
	} else {
		struct sockaddr_storage peer;
		uint64_t now = now_us();
		struct dconn *k;

		/* the DCCP port of ours: any, as a client's (8.1.1) */
		u->lport = (uint16_t)(49152 + arc4random_uniform(16384));
		memcpy(&peer, p->addr, p->addrlen);
		k = dconn_new(u, &peer, p->addrlen, &local, locallen,
			      sockaddr_port(&peer), false);
		if (k == NULL) {
			ret = -ENOMEM;
			goto fail;
		}
		if (!u->raw) {
			/* the route addresses the peer by its UDP port */
			sockaddr_set_port(&k->peer, (uint16_t)encap_port);
		}
		dccp_conn_connect(k->c, now);
		dconn_after(k, now);
	}
	say_mode(u, p, (uint16_t)encap_port);
	*out = &u->base;
	return 0;
fail:
	dccp_close(&u->base);
	return ret;
}

static void dccp_close(struct transport *t)
{
	struct dccp_transport *u = dccp_of(t);
	uint64_t now = now_us();

	if (u->conn != NULL) {
		/* a Close the peer answers with a Reset nobody reads */
		if (!u->conn->closed)
			dccp_conn_close(u->conn->c, now);
		dconn_free(u->conn);
	}
	if (u->listener) {
		struct hnode *n;
		size_t iter;

		while ((n = htable_first(&u->conns, &iter)) != NULL) {
			struct dconn *k = container_of(n, struct dconn, node);

			if (!k->closed)
				dccp_conn_abort(k->c, DCCP_RESET_CLOSED, now);
			dconn_free(k);
		}
		htable_finish(&u->conns);
	}
	dgram_queue_clear(&u->rxq);
	worker_timer_free(u->kick);
	for (struct dccp_transport **p = &dstats.all; *p != NULL;
	     p = &(*p)->next) {
		if (*p == u) {
			*p = u->next;
			break;
		}
	}
	if (u->fd != -1)
		close(u->fd);
	free(u);
}

static int dccp_fd(const struct transport *t)
{
	return dccp_of_const(t)->fd;
}

static int dccp_local_addr(const struct transport *t,
			   struct sockaddr_storage *ss, socklen_t *len)
{
	*len = sizeof(*ss);
	if (getsockname(dccp_of_const(t)->fd, (struct sockaddr *)ss, len) ==
	    -1)
		return -errno;
	return 0;
}

/* Counters ---------------------------------------------------------------- */

bool transport_dccp_totals(struct transport_dccp_totals *t)
{
	struct dccp_conn_stats cs = dstats.conn;
	struct ccid2_stats cc = dstats.ccid2;
	uint64_t cwnd_sum = 0;

	memset(t, 0, sizeof(*t));
	if (dstats.all == NULL && dstats.conns_opened == 0)
		return false;		/* no DCCP route */

	for (struct dccp_transport *u = dstats.all; u != NULL; u = u->next) {
		struct dconn *only = u->conn;
		struct hnode *n = NULL;
		size_t iter = 0;

		if (u->listener)
			n = htable_first(&u->conns, &iter);
		for (;;) {
			struct dconn *k;
			const struct ccid2_tx *tx;

			if (u->listener) {
				if (n == NULL)
					break;
				k = container_of(n, struct dconn, node);
				n = htable_next(&u->conns, n, &iter);
			} else {
				if (only == NULL)
					break;
				k = only;
				only = NULL;
			}
			tx = dccp_conn_ccid2(k->c);
			add_conn_stats(&cs, dccp_conn_stats(k->c));
			add_ccid2_stats(&cc, &tx->stats);
			t->conns++;
			if (k->half_open)
				t->half_open++;
			if (dccp_conn_state(k->c) != DCCP_S_OPEN)
				continue;
			t->open++;
			cwnd_sum += tx->cwnd;
			if (t->cwnd_min == 0 || tx->cwnd < t->cwnd_min)
				t->cwnd_min = tx->cwnd;
			if (tx->cwnd > t->cwnd_max)
				t->cwnd_max = tx->cwnd;
			if (t->ssthresh_min == 0 ||
			    tx->ssthresh < t->ssthresh_min)
				t->ssthresh_min = tx->ssthresh;
		}
	}
	for (int e = 1; e <= DCCP_ERR_BAD_PSEUDO &&
			e < TRANSPORT_DCCP_MALFORMED_MAX; e++) {
		t->malformed[e] = dstats.malformed[e];
		t->malformed_names[e] = dccp_error_name((enum dccp_error)e);
	}
	t->conns_opened = dstats.conns_opened;
	t->cwnd_avg = t->open > 0 ? cwnd_sum / t->open : 0;
	t->max_cwnd_seen = cc.max_cwnd;
	t->acked = cc.acked;
	t->lost = cc.lost;
	t->halvings = cc.halvings;
	t->rto_timeouts = cc.timeouts;
	t->cwnd_blocked = cc.blocked;
	t->rx_packets = cs.rx_packets;
	t->tx_packets = cs.tx_packets;
	t->rx_data = cs.rx_data;
	t->tx_data = cs.tx_data;
	t->rx_dup = cs.rx_dup;
	t->out_of_window = cs.rx_out_of_window;
	t->invalid = cs.rx_invalid;
	t->syncs_tx = cs.tx_sync;
	t->syncs_rx = cs.rx_sync;
	t->retransmits = cs.retransmits;
	t->resets_rx = cs.resets_rx;
	t->resets_tx = cs.resets_tx;
	t->too_big = dstats.too_big + cs.tx_too_big;
	t->no_conn = dstats.no_conn;
	t->resets_to_strangers = dstats.resets_sent;
	t->refused = dstats.refused;
	t->quiet_closed = dstats.quiet_closed;
	t->half_open_evicted = dstats.half_open_evicted;
	return true;
}

void transport_dccp_log_stats(void)
{
	struct transport_dccp_totals t;
	char malformed[512] = "";
	size_t o = 0;

	if (!transport_dccp_totals(&t))
		return;
	for (int e = 1; e < TRANSPORT_DCCP_MALFORMED_MAX; e++) {
		int n;

		if (t.malformed[e] == 0)
			continue;
		n = snprintf(malformed + o, sizeof(malformed) - o, " %s=%llu",
			     t.malformed_names[e],
			     (unsigned long long)t.malformed[e]);
		if (n < 0 || (size_t)n >= sizeof(malformed) - o)
			break;
		o += (size_t)n;
	}
	log_info("stats dccp conns=%llu open=%llu conns_opened=%llu "
		 "cwnd_min=%u cwnd_max=%u cwnd_avg=%llu ssthresh_min=%u "
		 "max_cwnd_seen=%u acked=%llu lost=%llu halvings=%llu "
		 "rto_timeouts=%llu cwnd_blocked=%llu rx_packets=%llu "
		 "tx_packets=%llu rx_data=%llu tx_data=%llu rx_dup=%llu "
		 "out_of_window=%llu invalid=%llu syncs_tx=%llu "
		 "syncs_rx=%llu retransmits=%llu resets_rx=%llu "
		 "resets_tx=%llu too_big=%llu no_conn=%llu "
		 "resets_to_strangers=%llu refused=%llu quiet_closed=%llu "
		 "half_open=%llu half_open_evicted=%llu malformed:%s",
		 (unsigned long long)t.conns, (unsigned long long)t.open,
		 (unsigned long long)t.conns_opened, t.cwnd_min, t.cwnd_max,
		 (unsigned long long)t.cwnd_avg, t.ssthresh_min,
		 t.max_cwnd_seen, (unsigned long long)t.acked,
		 (unsigned long long)t.lost, (unsigned long long)t.halvings,
		 (unsigned long long)t.rto_timeouts,
		 (unsigned long long)t.cwnd_blocked,
		 (unsigned long long)t.rx_packets,
		 (unsigned long long)t.tx_packets,
		 (unsigned long long)t.rx_data, (unsigned long long)t.tx_data,
		 (unsigned long long)t.rx_dup,
		 (unsigned long long)t.out_of_window,
		 (unsigned long long)t.invalid,
		 (unsigned long long)t.syncs_tx,
		 (unsigned long long)t.syncs_rx,
		 (unsigned long long)t.retransmits,
		 (unsigned long long)t.resets_rx,
		 (unsigned long long)t.resets_tx,
		 (unsigned long long)t.too_big,
		 (unsigned long long)t.no_conn,
		 (unsigned long long)t.resets_to_strangers,
		 (unsigned long long)t.refused,
		 (unsigned long long)t.quiet_closed,
		 (unsigned long long)t.half_open,
		 (unsigned long long)t.half_open_evicted,
		 o > 0 ? malformed : " none");
}

const struct transport_ops transport_dccp = {
	.name = "dccp",
	.caps = TRANSPORT_CAP_ONE_THREAD | TRANSPORT_CAP_RECORDS,
	/*
	 * What the DTLS engine fragments its handshake to: a DCCP packet
	 * on a 1500-byte path over IPv6 in UDP, less the largest header a
	 * data packet carries.  A connection's own MPS follows its path
	 * MTU (?mtu=N); a payload over it is dropped and counted.
	 */
	.max_msg = 1360,
	.open = dccp_open,
	.close = dccp_close,
	.recv = dccp_recv,
	.rx_pending = dccp_rx_pending,
	.send = dccp_send,
	.fd = dccp_fd,
	.end_peer = dccp_end_peer,
	.check = dccp_check,
	.local_addr = dccp_local_addr,
};
