/*
 * UDP: IPv4 and IPv6, non-blocking, recvmmsg/sendmmsg in batches.
 *
 * A listening socket serves every peer of a route (no socket per client on
 * that side); on a wildcard address it learns which local address each
 * datagram was sent to (IP_PKTINFO, IPV6_RECVPKTINFO) and answers from that
 * address.  A connecting socket is connected to its one remote peer.
 *
 * Sending, a run of datagrams of one size to one destination leaves as one
 * message segmented by the kernel (UDP GSO, UDP_SEGMENT, Linux 4.18), the
 * last of the run possibly shorter; where the kernel refuses, the
 * transport falls back to a message per datagram for good.
 *
 * Receiving, the kernel may hand over a run of such datagrams as one
 * (UDP GRO, Linux 5.0): it lands in a datagram buffer and a per-thread
 * overflow area, and is cut back into datagrams; what does not fit the
 * caller's batch waits in a spill queue, returned first by the next call.
 * Where UDP_GRO is refused, the kernel cuts them itself.
 *
 * An unconnected flow may send from several sockets (flows, RFC 8086
 * section 3.2.1: the outer source port follows the inner flow, which an
 * adapter hashes into each dgram's flow): one per source port, bound to
 * the flow's local address, with the main socket (bound to the local port
 * the remote host sends to, if any) in one epoll set whose descriptor is
 * the one the worker watches, as tcp.c does with its connections.
 */
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <netinet/udp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dtlsgw/container.h"
#include "dtlsgw/dgram.h"
#include "dtlsgw/log.h"
#include "dtlsgw/transport.h"

#include "pktinfo.h"

/* Socket buffers of a listening socket: room for bursts from many peers. */
#define LISTEN_BUFSZ	(4 * 1024 * 1024)

/* A packet info and a GSO or GRO segment size fit one control buffer. */
#define CTRL_LEN	(CMSG_SPACE(sizeof(struct in6_pktinfo)) + \
			 CMSG_SPACE(sizeof(int)))

/* Where a GRO run longer than a datagram buffer goes on. */
#define GRO_MAX		65536
#define GRO_EXTRA	(GRO_MAX - DGRAM_CAP)

/* The kernel's limits on one GSO message (UDP_MAX_SEGMENTS is 64). */
#define GSO_MAX_SEGS	64
#define GSO_MAX_BYTES	65000

struct udp_transport {
	struct transport	 base;
	int			 fd;
	int			 family;
	bool			 connected;
	bool			 filter;	/* unconnected flow: only from remote's host */
	bool			 gso;		/* runs of equal datagrams as one message */
	bool			 gro;		/* the kernel may coalesce what we receive */
	struct dgram_queue	 spill;		/* GRO segments beyond the last batch */
	struct sockaddr_storage	 remote;		/* unconnected flow: default destination */
	socklen_t		 remotelen;
	struct sockaddr_storage	 bound;		/* listener: our address */
	socklen_t		 boundlen;
	bool			 pktinfo;	/* wildcard listener: track local addresses */
	uint16_t		 port;		/* bound port, network order */
	struct dgram_pool	*pool;
	/* flows: the sending sockets, and the epoll set of them all */
	int			*flow_fd;
	unsigned int		 nflows;
	int			 epfd;
};

/*
 * The message headers of one batch.  A transport needs them only during a
 * recv or send call, and each worker thread runs one call at a time, so
 * they are per thread rather than per transport: a session's own socket
 * costs a few bytes, not the 4.5 KiB of a batch.
 */
struct udp_batch {
	struct mmsghdr		 msgs[TRANSPORT_BATCH];
	struct iovec		 iov[2 * TRANSPORT_BATCH];	/* GRO: two a message */
	union {
		char		 buf[CTRL_LEN];
		size_t		 align;		/* cmsghdr's alignment */
	} ctrl[TRANSPORT_BATCH];
};

static _Thread_local struct udp_batch batch;

/*
 * Per thread too, allocated on a GRO socket's first read (1.5 MiB) and
 * freed as the thread ends (a key's destructor).
 */
static _Thread_local uint8_t (*gro_overflow)[GRO_EXTRA];
static pthread_key_t gro_key;
static pthread_once_t gro_once = PTHREAD_ONCE_INIT;

static void gro_key_make(void)
{
	pthread_key_create(&gro_key, free);
}

static bool gro_area(void)
{
	if (gro_overflow != NULL)
		return true;
	pthread_once(&gro_once, gro_key_make);
	gro_overflow = malloc(TRANSPORT_BATCH * sizeof(*gro_overflow));
	if (gro_overflow == NULL)
		return false;
	pthread_setspecific(gro_key, gro_overflow);
	return true;
}

static struct udp_transport *udp_of(struct transport *t)
{
	return container_of(t, struct udp_transport, base);
}

static const struct udp_transport *udp_of_const(const struct transport *t)
{
	return container_of_const(t, struct udp_transport, base);
}

static int setint(int fd, int level, int opt, int val)
{
	return setsockopt(fd, level, opt, &val, sizeof(val));
}

/* Does sa come from the host of the unconnected flow's remote? */
static bool from_remote_host(const struct udp_transport *u,
			     const struct sockaddr_storage *sa)
{
	if (sa->ss_family != u->remote.ss_family)
		return false;
	if (sa->ss_family == AF_INET)
		return ((const struct sockaddr_in *)sa)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)&u->remote)->sin_addr.s_addr;
	return memcmp(&((const struct sockaddr_in6 *)sa)->sin6_addr,
		      &((const struct sockaddr_in6 *)&u->remote)->sin6_addr,
		      16) == 0;
}

static bool is_wildcard(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;

		return in->sin_addr.s_addr == htonl(INADDR_ANY);
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;

		return IN6_IS_ADDR_UNSPECIFIED(&in6->sin6_addr);
	}
	return false;
}

/* Is addr free, for a socket that does not share ports?  0 or -errno. */
static int probe_free(const struct transport_params *p)
{
	int fd = socket(p->addr->sa_family,
			SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int ret = 0;

	if (fd == -1)
		return -errno;
	if (p->addr->sa_family == AF_INET6)
		setint(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1);
	if (bind(fd, p->addr, p->addrlen) == -1)
		ret = -errno;
	close(fd);
	return ret;
}

static void flows_close(struct udp_transport *u)
{
	for (unsigned int i = 0; i < u->nflows; i++)
		close(u->flow_fd[i]);
	if (u->nflows > 0)
		close(u->epfd);
	free(u->flow_fd);
	u->flow_fd = NULL;
	u->nflows = 0;
}

static int epoll_add(int epfd, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) == -1 ? -errno : 0;
}

/*
 * The sending sockets of an unconnected flow, p->flows of them, each on a
 * port of its own at p->local's address, and the epoll set that holds
 * them with u->fd.  0 or -errno (u->nflows says what to close).
 */
static int flows_open(struct udp_transport *u,
		      const struct transport_params *p)
{
	struct sockaddr_storage ss;
	int ret;

	u->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (u->epfd == -1)
		return -errno;
	u->flow_fd = calloc(p->flows, sizeof(*u->flow_fd));
	if (u->flow_fd == NULL) {
		close(u->epfd);
		return -ENOMEM;
	}
	ret = epoll_add(u->epfd, u->fd);
	for (unsigned int i = 0; ret == 0 && i < p->flows; i++) {
		int fd = socket(u->family,
				SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

		if (fd == -1) {
			ret = -errno;
			break;
		}
		u->flow_fd[u->nflows++] = fd;
		if (p->local != NULL) {
			/* its address, a port of its own */
			memcpy(&ss, p->local, p->locallen);
			if (ss.ss_family == AF_INET)
				((struct sockaddr_in *)&ss)->sin_port = 0;
			else
				((struct sockaddr_in6 *)&ss)->sin6_port = 0;
			if (bind(fd, (struct sockaddr *)&ss, p->locallen) == -1) {
				ret = -errno;
				break;
			}
		}
		ret = epoll_add(u->epfd, fd);
	}
	if (u->nflows == 0)	/* nothing to tell flows_close() of the set */
		close(u->epfd);
	return ret;
}

static int udp_open(struct transport **out, const struct transport_params *p)
{
	struct udp_transport *u;
	int fd, ret;

	*out = NULL;
	if (p->role == TRANSPORT_LISTEN && p->reuseport && p->exclusive) {
		ret = probe_free(p);
		if (ret != 0)
			return ret;
	}
	fd = socket(p->addr->sa_family,
		    SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -errno;
	u = calloc(1, sizeof(*u));
	if (u == NULL) {
		close(fd);
		return -ENOMEM;
	}
	u->fd = fd;
	u->family = p->addr->sa_family;
	u->pool = p->pool;
	u->gso = true;
	u->gro = setint(fd, SOL_UDP, UDP_GRO, 1) == 0;
	if (p->role == TRANSPORT_LISTEN) {
		setint(fd, SOL_SOCKET, SO_REUSEADDR, 1);
		if (p->reuseport && setint(fd, SOL_SOCKET, SO_REUSEPORT, 1) == -1)
			goto fail_errno;
		if (u->family == AF_INET6 &&
		    setint(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1) == -1)
			goto fail_errno;
		/*
		 * Best effort: as root, beyond rmem_max/wmem_max; otherwise
		 * the kernel caps them there.
		 */
		if (setint(fd, SOL_SOCKET, SO_RCVBUFFORCE, LISTEN_BUFSZ) == -1)
			setint(fd, SOL_SOCKET, SO_RCVBUF, LISTEN_BUFSZ);
		if (setint(fd, SOL_SOCKET, SO_SNDBUFFORCE, LISTEN_BUFSZ) == -1)
			setint(fd, SOL_SOCKET, SO_SNDBUF, LISTEN_BUFSZ);
		if (is_wildcard(p->addr)) {
			u->pktinfo = true;
			if (u->family == AF_INET)
				ret = setint(fd, IPPROTO_IP, IP_PKTINFO, 1);
			else
				ret = setint(fd, IPPROTO_IPV6,
					     IPV6_RECVPKTINFO, 1);
			if (ret == -1)
				goto fail_errno;
		}
		if (bind(fd, p->addr, p->addrlen) == -1)
			goto fail_errno;
		u->port = u->family == AF_INET ?
				  ((const struct sockaddr_in *)(const void *)
					   p->addr)->sin_port :
				  ((const struct sockaddr_in6 *)(const void *)
					   p->addr)->sin6_port;
		memcpy(&u->bound, p->addr, p->addrlen);
		u->boundlen = p->addrlen;
	} else if (p->unconnected) {
		/* an ephemeral port of our own, replies from any port of remote */
		memcpy(&u->remote, p->addr, p->addrlen);
		u->remotelen = p->addrlen;
		u->filter = true;
		if (p->local != NULL && bind(fd, p->local, p->locallen) == -1)
			goto fail_errno;
		if (p->flows > 1) {
			ret = flows_open(u, p);
			if (ret != 0)
				goto fail;
		}
	} else {
		if (connect(fd, p->addr, p->addrlen) == -1)
			goto fail_errno;
		u->connected = true;
	}
	u->base.ops = &transport_udp;
	*out = &u->base;
	return 0;
fail_errno:
	ret = -errno;
fail:
	flows_close(u);
	close(fd);
	free(u);
	return ret;
}

static void udp_close(struct transport *t)
{
	struct udp_transport *u = udp_of(t);

	dgram_queue_clear(&u->spill);
	flows_close(u);
	close(u->fd);
	free(u);
}

/* Read and discard one datagram when there is no buffer to read it into. */
static void discard_one(struct udp_transport *u)
{
	uint8_t scratch[64];

	if (recv(u->fd, scratch, sizeof(scratch), MSG_DONTWAIT) != -1)
		u->base.stats.rx_nobufs++;
}

/* The GRO segment size of a message, 0 when it holds one datagram. */
static int gro_size(struct msghdr *mh)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO) {
			int size;

			memcpy(&size, CMSG_DATA(c), sizeof(size));
			return size;
		}
	}
	return 0;
}

/*
 * Cut the GRO run that arrived in d (its first DGRAM_CAP bytes) and extra
 * (the rest), total bytes long, into datagrams of seg bytes: d keeps the
 * first, the others go to out while there is room and to the spill queue
 * after.  Copies: the run came in one buffer and leaves as many.
 */
static void cut_run(struct udp_transport *u, struct dgram *d,
		    const uint8_t *extra, size_t total, size_t seg,
		    struct dgram **out, size_t max, size_t *k)
{
	d->len = seg;
	if (*k < max)
		out[(*k)++] = d;
	else
		dgram_queue_push(&u->spill, d);
	for (size_t off = seg; off < total; off += seg) {
		size_t len = total - off < seg ? total - off : seg;
		struct dgram *e = dgram_alloc(u->pool);

		if (e == NULL) {
			u->base.stats.rx_nobufs++;
			continue;
		}
		if (off < DGRAM_CAP) {
			size_t head = DGRAM_CAP - off < len ? DGRAM_CAP - off
							    : len;

			memcpy(e->data, d->data + off, head);
			memcpy(e->data + head, extra, len - head);
		} else {
			memcpy(e->data, extra + (off - DGRAM_CAP), len);
		}
		e->len = len;
		memcpy(&e->peer, &d->peer, d->peerlen);
		e->peerlen = d->peerlen;
		memcpy(&e->local, &d->local, d->locallen);
		e->locallen = d->locallen;
		e->ifindex = d->ifindex;
		if (*k < max)
			out[(*k)++] = e;
		else
			dgram_queue_push(&u->spill, e);
	}
}

/* Receive from fd, one of u's sockets: udp_recv() without the spill. */
static int recv_fd(struct udp_transport *u, int fd, struct dgram **out,
		   size_t max, size_t *n)
{
	struct transport *t = &u->base;
	/* the buffers read into; a GRO run may fill out faster than this */
	struct dgram *rx[TRANSPORT_BATCH];
	size_t want = 0, k = 0;
	bool gro = u->gro && fd == u->fd;
	int got;

	*n = 0;
	if (gro)
		gro = gro_area();
	for (; want < max; want++) {
		struct dgram *d = dgram_alloc(u->pool);
		struct msghdr *mh = &batch.msgs[want].msg_hdr;
		struct iovec *iov = &batch.iov[want];

		if (d == NULL)
			break;
		rx[want] = d;
		memset(mh, 0, sizeof(*mh));
		if (gro) {
			/* the datagram's buffer, then the overflow area */
			iov = &batch.iov[2 * want];
			iov[0].iov_base = d->data;
			iov[0].iov_len = DGRAM_CAP;
			iov[1].iov_base = gro_overflow[want];
			iov[1].iov_len = GRO_EXTRA;
			mh->msg_iovlen = 2;
		} else {
			iov->iov_base = d->data;
			iov->iov_len = DGRAM_CAP;
			mh->msg_iovlen = 1;
		}
		mh->msg_iov = iov;
		if (!u->connected) {
			mh->msg_name = &d->peer;
			mh->msg_namelen = sizeof(d->peer);
		}
		if (u->pktinfo || gro) {
			mh->msg_control = batch.ctrl[want].buf;
			mh->msg_controllen = CTRL_LEN;
		}
	}
	if (want == 0) {
		discard_one(u);
		return -ENOBUFS;
	}
	got = recvmmsg(fd, batch.msgs, (unsigned int)want, MSG_DONTWAIT, NULL);
	if (got == -1) {
		int err = errno;

		for (size_t i = 0; i < want; i++)
			dgram_free(rx[i]);
		if (err == EAGAIN || err == EWOULDBLOCK || err == EINTR)
			return -EAGAIN;
		/* ICMP errors surface here on connected sockets */
		t->stats.rx_errors++;
		return -err;
	}
	for (size_t i = 0; i < want; i++) {
		struct dgram *d = rx[i];
		struct msghdr *mh = &batch.msgs[i].msg_hdr;
		size_t total = batch.msgs[i].msg_len;
		int seg;

		if (i >= (size_t)got) {
			dgram_free(d);
			continue;
		}
		seg = gro ? gro_size(mh) : 0;
		if ((mh->msg_flags & MSG_TRUNC) ||
		    (seg <= 0 && total > DGRAM_CAP) || seg > DGRAM_CAP) {
			t->stats.rx_truncated++;
			dgram_free(d);
			continue;
		}
		d->len = total;
		d->peerlen = u->connected ? 0 : mh->msg_namelen;
		if (u->filter && !from_remote_host(u, &d->peer)) {
			t->stats.rx_foreign++;
			dgram_free(d);
			continue;
		}
		if (u->pktinfo) {
			pktinfo_read(mh, u->family, u->port, &d->local,
				     &d->locallen, &d->ifindex);
		} else if (u->boundlen > 0) {
			/* the address the peer wrote to: the one we are bound to */
			memcpy(&d->local, &u->bound, u->boundlen);
			d->locallen = u->boundlen;
		}
		if (seg > 0 && total > (size_t)seg) {
			t->stats.rx_runs++;
			cut_run(u, d, gro_overflow[i], total, (size_t)seg, out,
				max, &k);
		} else if (k < max)
			out[k++] = d;
		else
			dgram_queue_push(&u->spill, d);
	}
	*n = k;
	return 0;
}

/* The sockets of a flows transport the epoll set says are readable. */
static int recv_flows(struct udp_transport *u, struct dgram **out,
		      size_t max, size_t *n)
{
	struct epoll_event ev[8];
	int ready = epoll_wait(u->epfd, ev, 8, 0), err = 0;

	*n = 0;
	if (ready == -1)
		return errno == EINTR ? -EAGAIN : -errno;
	for (int i = 0; i < ready && *n < max; i++) {
		size_t got = 0;
		int ret = recv_fd(u, ev[i].data.fd, out + *n, max - *n, &got);

		*n += got;
		if (ret != 0 && ret != -EAGAIN && err == 0)
			err = ret;
	}
	if (*n > 0)
		return 0;
	return err != 0 ? err : -EAGAIN;
}

static int udp_recv(struct transport *t, struct dgram **out, size_t max,
		    size_t *n)
{
	struct udp_transport *u = udp_of(t);
	size_t k = 0;

	*n = 0;
	if (max > TRANSPORT_BATCH)
		max = TRANSPORT_BATCH;
	/* what the last run left over comes first, and alone */
	if (u->spill.len > 0) {
		while (k < max && u->spill.len > 0)
			out[k++] = dgram_queue_pop(&u->spill);
		*n = k;
		return 0;
	}
	if (u->nflows > 0)
		return recv_flows(u, out, max, n);
	return recv_fd(u, u->fd, out, max, n);
}

static bool udp_rx_pending(const struct transport *t)
{
	return udp_of_const(t)->spill.len > 0;
}

static size_t put_segment(uint16_t size, struct cmsghdr *c)
{
	c->cmsg_level = SOL_UDP;
	c->cmsg_type = UDP_SEGMENT;
	c->cmsg_len = CMSG_LEN(sizeof(size));
	memcpy(CMSG_DATA(c), &size, sizeof(size));
	return CMSG_SPACE(sizeof(size));
}

static bool same_destination(const struct dgram *a, const struct dgram *b)
{
	return a->peerlen == b->peerlen &&
	       memcmp(&a->peer, &b->peer, a->peerlen) == 0 &&
	       a->locallen == b->locallen &&
	       memcmp(&a->local, &b->local, a->locallen) == 0;
}

/*
 * How many of in[i..n) go in one message: a run to one destination of
 * datagrams of in[i]'s size, the last possibly shorter.
 */
static size_t run_length(const struct udp_transport *u,
			 struct dgram *const *in, size_t i, size_t n)
{
	size_t j = i + 1, seg = in[i]->len, bytes = seg;

	if (!u->gso || seg == 0)
		return 1;
	while (j < n && j - i < GSO_MAX_SEGS && in[j]->len <= seg &&
	       in[j]->len > 0 && bytes + in[j]->len <= GSO_MAX_BYTES &&
	       same_destination(in[i], in[j])) {
		bytes += in[j]->len;
		j++;
		if (in[j - 1]->len < seg)
			break;	/* a shorter one ends the run */
	}
	return j - i;
}

/* Send in[0..n) from fd, one of u's sockets: udp_send(). */
static int send_fd(struct udp_transport *u, int fd, struct dgram *const *in,
		   size_t n, size_t *nsent)
{
	struct transport *t = &u->base;
	size_t count[TRANSPORT_BATCH];
	size_t nmsg = 0, done = 0, sent = 0;

	*nsent = 0;
	if (n > TRANSPORT_BATCH)
		n = TRANSPORT_BATCH;
	for (size_t i = 0; i < n; nmsg++) {
		struct msghdr *mh = &batch.msgs[nmsg].msg_hdr;
		const struct dgram *d = in[i];
		size_t k = run_length(u, in, i, n), clen = 0;
		struct cmsghdr *c = (struct cmsghdr *)(void *)batch.ctrl[nmsg].buf;

		memset(mh, 0, sizeof(*mh));
		memset(batch.ctrl[nmsg].buf, 0, CTRL_LEN);
		for (size_t j = 0; j < k; j++) {
			batch.iov[i + j].iov_base = in[i + j]->data;
			batch.iov[i + j].iov_len = in[i + j]->len;
		}
		mh->msg_iov = &batch.iov[i];
		mh->msg_iovlen = k;
		if (u->filter && d->peerlen == 0) {
			mh->msg_name = &u->remote;
			mh->msg_namelen = u->remotelen;
		} else if (!u->connected) {
			mh->msg_name = (void *)&d->peer;
			mh->msg_namelen = d->peerlen;
			if (u->pktinfo && d->locallen > 0)
				clen += pktinfo_put(c, u->family, &d->local,
						   d->ifindex);
		}
		if (k > 1) {
			c = (struct cmsghdr *)(void *)(batch.ctrl[nmsg].buf +
							clen);
			clen += put_segment((uint16_t)d->len, c);
		}
		if (clen > 0) {
			mh->msg_control = batch.ctrl[nmsg].buf;
			mh->msg_controllen = clen;
		}
		count[nmsg] = k;
		i += k;
	}
	while (done < nmsg) {
		int r = sendmmsg(fd, batch.msgs + done,
				 (unsigned int)(nmsg - done), MSG_DONTWAIT);

		if (r == -1) {
			int err = errno;

			*nsent = sent;
			if (err == EAGAIN || err == EWOULDBLOCK)
				return -EAGAIN;
			if (err == EINTR)
				continue;
			if (count[done] > 1) {
				/* no GSO here (or not for this path): never
				 * again; the rest goes a datagram a message */
				u->gso = false;
				return 0;
			}
			return -err;
		}
		for (int m = 0; m < r; m++) {
			sent += count[done + (size_t)m];
			if (count[done + (size_t)m] > 1)
				t->stats.tx_runs++;
		}
		done += (size_t)r;
	}
	*nsent = sent;
	return 0;
}

static int flow_fd(const struct udp_transport *u, const struct dgram *d)
{
	return u->flow_fd[d->flow % u->nflows];
}

/*
 * A flows transport: each run of in[] that leaves by one socket, a call.
 * The worker watches the epoll set, which never says "writable": a
 * socket that is full loses the datagram (-ENOBUFS, counted) rather than
 * block the flow (-EAGAIN).
 */
static int send_flows(struct udp_transport *u, struct dgram *const *in,
		      size_t n, size_t *nsent)
{
	*nsent = 0;
	while (*nsent < n) {
		int fd = flow_fd(u, in[*nsent]), ret;
		size_t k = 1, sent = 0;

		while (*nsent + k < n && flow_fd(u, in[*nsent + k]) == fd)
			k++;
		ret = send_fd(u, fd, in + *nsent, k, &sent);
		*nsent += sent;
		if (ret == -EAGAIN)
			return -ENOBUFS;
		if (ret != 0 || sent < k)
			return ret;
	}
	return 0;
}

static int udp_send(struct transport *t, struct dgram *const *in, size_t n,
		    size_t *nsent)
{
	struct udp_transport *u = udp_of(t);

	if (n > TRANSPORT_BATCH)
		n = TRANSPORT_BATCH;
	if (u->nflows > 0)
		return send_flows(u, in, n, nsent);
	return send_fd(u, u->fd, in, n, nsent);
}

static int udp_fd(const struct transport *t)
{
	const struct udp_transport *u = udp_of_const(t);

	return u->nflows > 0 ? u->epfd : u->fd;
}

static int udp_local_addr(const struct transport *t,
			  struct sockaddr_storage *ss, socklen_t *len)
{
	*len = sizeof(*ss);
	if (getsockname(udp_of_const(t)->fd, (struct sockaddr *)ss, len) == -1)
		return -errno;
	return 0;
}

const struct transport_ops transport_udp = {
	.name = "udp",
	.caps = TRANSPORT_CAP_BATCH,
	.max_msg = 65507,
	.open = udp_open,
	.close = udp_close,
	.recv = udp_recv,
	.rx_pending = udp_rx_pending,
	.send = udp_send,
	.fd = udp_fd,
	.local_addr = udp_local_addr,
};
