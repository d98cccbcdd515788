/*
 * The TCP backend, for cleartext backends and clients that speak a message
 * protocol over a byte stream (Diameter, RFC 6733 section 2.1).  The
 * profile frames the stream: its framing function says how long the
 * message at the head of a connection's bytes is (struct transport_framing),
 * and each whole message goes up as one dgram; a stream that does not frame
 * is closed, and only that connection.
 *
 * A listener accepts any number of connections; each one is a peer, named
 * by its address.  A connector is one connection.  Both keep their sockets
 * in an epoll set of their own, whose descriptor is the one the worker
 * watches: connections come and go, and a connection with bytes waiting to
 * be written asks for EPOLLOUT itself, so send never makes the loop wait.
 * A connection that ends comes up as an empty dgram flagged DGRAM_F_END (a
 * listener's peers), or as -ECONNRESET from recv (a connector).
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dtlsgw/container.h"
#include "dtlsgw/dgram.h"
#include "dtlsgw/htable.h"
#include "dtlsgw/log.h"
#include "dtlsgw/session.h"	/* struct addr_key */
#include "dtlsgw/transport.h"

/* Bytes queued on one connection before new messages are dropped. */
#define WQ_MAX		(1024 * 1024)
/* Connections accepted per recv call. */
#define ACCEPT_BATCH	16
#define EVENTS		64

struct tcp_transport;

static void tcp_close(struct transport *t);

struct conn {
	struct hnode		 node;		/* in the listener's table */
	struct addr_key		 key;		/* peer's, as the table hashes it */
	struct tcp_transport	*u;
	int			 fd;
	bool			 connecting;
	bool			 want_out;	/* EPOLLOUT asked for */
	struct sockaddr_storage	 peer;
	socklen_t		 peerlen;
	uint8_t			*rbuf;		/* DGRAM_CAP: one message at most */
	size_t			 rlen;
	struct dgram_queue	 wq;		/* messages to write, whole */
	size_t			 woff;		/* written of the head */
	size_t			 wbytes;	/* queued, all told */
	struct conn		*next_dead;
};

struct tcp_transport {
	struct transport	 base;
	int			 epfd;
	int			 lfd;		/* listener: the listening socket */
	int			 wakefd;	/* makes epfd readable: an end to tell */
	bool			 listener;
	struct dgram_pool	*pool;
	const struct transport_framing *framing;
	struct conn		*conn;		/* connector: its one connection */
	struct htable		 conns;		/* listener: by peer */
	struct conn		*dead;		/* ended, to report and free */
	bool			 ended;		/* connector: reported once */
};

static struct tcp_transport *tcp_of(struct transport *t)
{
	return container_of(t, struct tcp_transport, base);
}

static const struct tcp_transport *tcp_of_const(const struct transport *t)
{
	return container_of_const(t, struct tcp_transport, base);
}

static struct conn *conn_of(struct hnode *n)
{
	return container_of(n, struct conn, node);
}

static bool conn_eq(const struct hnode *n, const void *key)
{
	const struct conn *c = container_of_const(n, struct conn, node);

	return memcmp(&c->key, key, sizeof(c->key)) == 0;
}

static struct conn *conn_find(struct tcp_transport *u,
			      const struct sockaddr_storage *peer)
{
	struct addr_key key;
	struct hnode *n;

	addr_key_from(&key, (const struct sockaddr *)peer, true);
	n = htable_find(&u->conns, htable_hash(&u->conns, &key, sizeof(key)),
			conn_eq, &key);

	return n != NULL ? conn_of(n) : NULL;
}

static int epoll_set(struct tcp_transport *u, struct conn *c, int op,
		     bool out)
{
	struct epoll_event ev = {
		.events = EPOLLIN | (out ? EPOLLOUT : 0u),
		.data.ptr = c,
	};

	c->want_out = out;
	return epoll_ctl(u->epfd, op, c->fd, &ev);
}

static struct conn *conn_new(struct tcp_transport *u, int fd,
			     const struct sockaddr_storage *peer,
			     socklen_t peerlen, bool connecting)
{
	struct conn *c = calloc(1, sizeof(*c));
	int one = 1;

	if (c == NULL || (c->rbuf = malloc(DGRAM_CAP)) == NULL) {
		free(c);
		return NULL;
	}
	c->u = u;
	c->fd = fd;
	c->connecting = connecting;
	memcpy(&c->peer, peer, peerlen);
	c->peerlen = peerlen;
	addr_key_from(&c->key, (const struct sockaddr *)peer, true);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (epoll_set(u, c, EPOLL_CTL_ADD, connecting) != 0) {
		free(c->rbuf);
		free(c);
		return NULL;
	}
	if (u->listener)
		htable_insert(&u->conns, &c->node,
			      htable_hash(&u->conns, &c->key, sizeof(c->key)));
	return c;
}

static void conn_free(struct conn *c)
{
	if (c->fd != -1)
		close(c->fd);
	dgram_queue_clear(&c->wq);
	free(c->rbuf);
	free(c);
}

/*
 * The connection is over: out of the epoll set and the table now, told to
 * the route by the next recv (which frees it).
 */
static void conn_end(struct conn *c)
{
	struct tcp_transport *u = c->u;

	if (c->fd == -1)
		return;		/* already ended */
	epoll_ctl(u->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
	if (u->listener) {
		htable_remove(&u->conns, &c->node);
		c->next_dead = u->dead;
		u->dead = c;
	} else {
		u->ended = true;
	}
	/* ended while writing, maybe: the next recv must run to say so */
	{
		uint64_t one = 1;

		if (write(u->wakefd, &one, sizeof(one)) < 0)
			u->base.stats.rx_errors++;
	}
}

static int tcp_open(struct transport **out, const struct transport_params *p)
{
	struct tcp_transport *u;
	int fd = -1, one = 1;

	*out = NULL;
	if (p->framing == NULL)
		return -EPROTONOSUPPORT;	/* a stream needs a framing profile */
	u = calloc(1, sizeof(*u));
	if (u == NULL)
		return -ENOMEM;
	u->base.ops = &transport_tcp;
	u->pool = p->pool;
	u->framing = p->framing;
	u->lfd = -1;
	u->wakefd = -1;
	u->listener = p->role == TRANSPORT_LISTEN;
	u->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (u->epfd == -1)
		goto fail;
	u->wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (u->wakefd == -1)
		goto fail;
	{
		struct epoll_event ev = { .events = EPOLLIN, .data.ptr = u };

		if (epoll_ctl(u->epfd, EPOLL_CTL_ADD, u->wakefd, &ev) != 0)
			goto fail;
	}
	fd = socket(p->addr->sa_family,
		    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		goto fail;
	if (u->listener) {
		struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };

		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (p->addr->sa_family == AF_INET6)
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
				   sizeof(one));
		if (htable_init(&u->conns, 16) != 0)
			goto fail;
		if (bind(fd, p->addr, p->addrlen) == -1 ||
		    listen(fd, SOMAXCONN) == -1)
			goto fail;
		u->lfd = fd;
		fd = -1;
		if (epoll_ctl(u->epfd, EPOLL_CTL_ADD, u->lfd, &ev) != 0)
			goto fail;
	} else {
		struct sockaddr_storage peer;

		if (connect(fd, p->addr, p->addrlen) == -1 &&
		    errno != EINPROGRESS)
			goto fail;
		memcpy(&peer, p->addr, p->addrlen);
		u->conn = conn_new(u, fd, &peer, p->addrlen, true);
		if (u->conn == NULL)
			goto fail;
		fd = -1;
	}
	*out = &u->base;
	return 0;
fail:
	{
		int err = errno != 0 ? errno : ENOMEM;

		if (fd != -1)
			close(fd);
		tcp_close(&u->base);
		return -err;
	}
}

static void tcp_close(struct transport *t)
{
	struct tcp_transport *u = tcp_of(t);
	struct hnode *n;
	size_t iter;

	if (u->conn != NULL)
		conn_free(u->conn);
	if (u->listener) {
		while ((n = htable_first(&u->conns, &iter)) != NULL) {
			htable_remove(&u->conns, n);
			conn_free(conn_of(n));
		}
		htable_finish(&u->conns);
	}
	while (u->dead != NULL) {
		struct conn *c = u->dead;

		u->dead = c->next_dead;
		conn_free(c);
	}
	if (u->lfd != -1)
		close(u->lfd);
	if (u->wakefd != -1)
		close(u->wakefd);
	if (u->epfd != -1)
		close(u->epfd);
	free(u);
}

/* Writing --------------------------------------------------------------- */

/* Write what c has queued; ends c on an error. */
static void conn_write(struct conn *c)
{
	struct dgram *d;

	while ((d = c->wq.head) != NULL) {
		ssize_t n = send(c->fd, d->data + c->woff, d->len - c->woff,
				 MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				if (!c->want_out)
					epoll_set(c->u, c, EPOLL_CTL_MOD, true);
				return;
			}
			if (errno == EINTR)
				continue;
			c->u->base.stats.tx_errors++;
			conn_end(c);
			return;
		}
		c->woff += (size_t)n;
		if (c->woff < d->len)
			continue;
		c->wbytes -= d->len;
		c->woff = 0;
		dgram_free(dgram_queue_pop(&c->wq));
	}
	if (c->want_out)
		epoll_set(c->u, c, EPOLL_CTL_MOD, false);
}

/* Queue a copy of d on c, in order, and write what can go now. */
static void conn_queue(struct conn *c, const struct dgram *d)
{
	struct dgram *q;

	if (c->wbytes + d->len > WQ_MAX ||
	    (q = dgram_alloc(c->u->pool)) == NULL) {
		c->u->base.stats.tx_dropped++;
		return;
	}
	memcpy(q->data, d->data, d->len);
	q->len = d->len;
	dgram_queue_push(&c->wq, q);
	c->wbytes += d->len;
	if (!c->connecting && !c->want_out)
		conn_write(c);
}

static int tcp_send(struct transport *t, struct dgram *const *in, size_t n,
		    size_t *nsent)
{
	struct tcp_transport *u = tcp_of(t);

	for (*nsent = 0; *nsent < n; (*nsent)++) {
		const struct dgram *d = in[*nsent];
		struct conn *c = u->listener ? conn_find(u, &d->peer) : u->conn;

		if (c == NULL || c->fd == -1)
			return -ENOTCONN;	/* that peer is gone: lost */
		conn_queue(c, d);
	}
	return 0;
}

/* Reading --------------------------------------------------------------- */

/*
 * Cut c's bytes into messages: the whole ones go to out while there is
 * room (the rest stay for the next call).  False when the stream does not
 * frame: the connection must go.
 */
static bool cut_messages(struct conn *c, struct dgram **out, size_t max,
			 size_t *n)
{
	struct tcp_transport *u = c->u;
	size_t off = 0;
	bool ok = true;

	while (*n < max && off < c->rlen) {
		ssize_t mlen = u->framing->message_len(c->rbuf + off,
							c->rlen - off,
							DGRAM_CAP);
		struct dgram *d;

		if (mlen < 0) {
			ok = false;
			break;
		}
		if (mlen == 0 || (size_t)mlen > c->rlen - off)
			break;	/* more bytes needed */
		d = dgram_alloc(u->pool);
		if (d == NULL) {
			u->base.stats.rx_nobufs++;
			break;
		}
		memcpy(d->data, c->rbuf + off, (size_t)mlen);
		d->len = (size_t)mlen;
		if (u->listener) {
			memcpy(&d->peer, &c->peer, c->peerlen);
			d->peerlen = c->peerlen;
		}
		out[(*n)++] = d;
		off += (size_t)mlen;
	}
	memmove(c->rbuf, c->rbuf + off, c->rlen - off);
	c->rlen -= off;
	return ok;
}

/* Read what c has; messages to out.  Ends c at EOF, an error, bad framing. */
static void conn_read(struct conn *c, struct dgram **out, size_t max,
		      size_t *n)
{
	char a[ADDR_STRLEN];

	while (*n < max) {
		ssize_t r;

		/* what the last call left: out first, and room to read */
		if (!cut_messages(c, out, max, n)) {
			log_warnx("tcp: %s: a message that does not frame: "
				  "closing the connection",
				  addr_str((struct sockaddr *)&c->peer, a));
			c->u->base.stats.rx_truncated++;
			conn_end(c);
			return;
		}
		if (*n >= max || c->rlen == DGRAM_CAP)
			return;
		r = recv(c->fd, c->rbuf + c->rlen, DGRAM_CAP - c->rlen,
			 MSG_DONTWAIT);

		if (r == 0 || (r < 0 && errno != EAGAIN &&
			       errno != EWOULDBLOCK && errno != EINTR)) {
			cut_messages(c, out, max, n);
			conn_end(c);
			return;
		}
		if (r < 0)
			return;		/* drained */
		c->rlen += (size_t)r;
	}
}

static void accept_some(struct tcp_transport *u)
{
	for (int i = 0; i < ACCEPT_BATCH; i++) {
		struct sockaddr_storage peer;
		socklen_t len = sizeof(peer);
		int fd = accept4(u->lfd, (struct sockaddr *)&peer, &len,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd == -1)
			return;
		if (conn_new(u, fd, &peer, len, false) == NULL) {
			u->base.stats.rx_nobufs++;
			close(fd);
		}
	}
}

/* The connection's connect finished: 0 or its error. */
static int connect_done(struct conn *c)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
		return errno;
	return err;
}

static int tcp_recv(struct transport *t, struct dgram **out, size_t max,
		    size_t *n)
{
	struct tcp_transport *u = tcp_of(t);
	struct epoll_event ev[EVENTS];
	int k;

	*n = 0;
	/* peers that ended: an empty dgram each, flagged */
	while (u->dead != NULL && *n < max) {
		struct conn *c = u->dead;
		struct dgram *d = dgram_alloc(u->pool);

		if (d == NULL)
			break;
		d->len = 0;
		d->flags |= DGRAM_F_END;
		memcpy(&d->peer, &c->peer, c->peerlen);
		d->peerlen = c->peerlen;
		out[(*n)++] = d;
		u->dead = c->next_dead;
		conn_free(c);
	}
	k = epoll_wait(u->epfd, ev, EVENTS, 0);
	for (int i = 0; i < k && *n < max; i++) {
		struct conn *c = ev[i].data.ptr;

		if (c == NULL) {
			accept_some(u);
			continue;
		}
		if ((void *)c == (void *)u) {
			uint64_t v;

			if (read(u->wakefd, &v, sizeof(v)) < 0)
				v = 0;	/* nothing was waiting */
			continue;
		}
		if (c->fd == -1)
			continue;
		if (c->connecting && (ev[i].events & (EPOLLOUT | EPOLLERR |
						      EPOLLHUP))) {
			if (connect_done(c) != 0) {
				conn_end(c);
				continue;
			}
			c->connecting = false;
			conn_write(c);
		} else if (ev[i].events & EPOLLOUT) {
			conn_write(c);
		}
		if (c->fd != -1 && (ev[i].events & (EPOLLIN | EPOLLERR |
						    EPOLLHUP)))
			conn_read(c, out, max, n);
	}
	if (!u->listener && u->ended) {
		u->ended = false;
		return -ECONNRESET;
	}
	return *n > 0 ? 0 : -EAGAIN;
}

static bool tcp_rx_pending(const struct transport *t)
{
	return tcp_of_const(t)->dead != NULL;
}

static void tcp_end_peer(struct transport *t,
			 const struct sockaddr_storage *peer)
{
	struct tcp_transport *u = tcp_of(t);
	struct conn *c = u->listener ? conn_find(u, peer) : u->conn;

	if (c == NULL || c->fd == -1)
		return;
	/* what is queued goes first: a short blocking flush is not taken */
	conn_write(c);
	shutdown(c->fd, SHUT_WR);
	conn_end(c);
	if (u->listener) {
		/* the route asked: nothing to tell it */
		u->dead = c->next_dead;
		conn_free(c);
	}
}

static int tcp_fd(const struct transport *t)
{
	return tcp_of_const(t)->epfd;
}

static int tcp_local_addr(const struct transport *t,
			  struct sockaddr_storage *ss, socklen_t *len)
{
	const struct tcp_transport *u = tcp_of_const(t);
	int fd = u->listener ? u->lfd : (u->conn != NULL ? u->conn->fd : -1);

	*len = sizeof(*ss);
	if (fd == -1 || getsockname(fd, (struct sockaddr *)ss, len) == -1)
		return -ENOTCONN;
	return 0;
}

const struct transport_ops transport_tcp = {
	.name = "tcp",
	.caps = TRANSPORT_CAP_RELIABLE | TRANSPORT_CAP_ORDERED |
		TRANSPORT_CAP_STREAM,
	.max_msg = DGRAM_CAP,
	.open = tcp_open,
	.close = tcp_close,
	.recv = tcp_recv,
	.rx_pending = tcp_rx_pending,
	.send = tcp_send,
	.end_peer = tcp_end_peer,
	.fd = tcp_fd,
	.local_addr = tcp_local_addr,
};
