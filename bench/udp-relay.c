/*
 * dtlsgw-bench-relay: the plain UDP relay the benchmarks hold dtlsgw
 * against: the ceiling for any relay on this machine.  It does what a
 * cleartext dtlsgw route does and nothing more: one thread, one epoll
 * loop, recvmmsg() and sendmmsg() in batches of 64, and per client one
 * backend socket connected to the backend (so the backend sees one source
 * port per client, as behind dtlsgw).  No DTLS, no timers, no limits.
 *
 *   dtlsgw-bench-relay LISTEN_ADDR LISTEN_PORT BACKEND_ADDR BACKEND_PORT
 *
 * Prints "relay ready" once bound, then runs until killed.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench-util.h"

#define BATCH		64
#define DG_MAX		2048
/* socket buffers: as dtlsgw's listening sockets */
#define BUFSZ		(4 * 1024 * 1024)
#define HASH_BUCKETS	65536u

struct flow {
	struct sockaddr_storage	 peer;
	socklen_t		 peerlen;
	int			 fd;
	struct flow		*next;		/* hash chain */
};

/* One direction's batch: buffers, names, headers. */
struct batch {
	uint8_t			 buf[BATCH][DG_MAX];
	struct sockaddr_storage	 name[BATCH];
	struct iovec		 iov[BATCH];
	struct mmsghdr		 msg[BATCH];
	struct flow		*flow[BATCH];
	unsigned int		 n;
};

static struct {
	int			 lfd, ep;
	struct sockaddr_storage	 backend;
	socklen_t		 backendlen;
	struct flow		*table[HASH_BUCKETS];
	struct batch		 in, out;	/* from clients, to clients */
	unsigned long		 flows;
} g;

static void setbufs(int fd)
{
	int v = BUFSZ;

	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v));
}

/* FNV-1a over the address and port of sa. */
static uint32_t addr_hash(const struct sockaddr_storage *sa)
{
	const uint8_t *p;
	size_t n;
	uint32_t h = 2166136261u;

	if (sa->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;

		p = (const uint8_t *)&in->sin_port;
		n = 2 + 4;	/* sin_port, then sin_addr */
	} else {
		const struct sockaddr_in6 *in6 = (const void *)sa;

		h ^= in6->sin6_port;
		p = in6->sin6_addr.s6_addr;
		n = 16;
	}
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static int addr_eq(const struct sockaddr_storage *a,
		   const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return 0;
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)a,
					 *y = (const void *)b;

		return x->sin_port == y->sin_port &&
		       x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	{
		const struct sockaddr_in6 *x = (const void *)a,
					  *y = (const void *)b;

		return x->sin6_port == y->sin6_port &&
		       memcmp(&x->sin6_addr, &y->sin6_addr, 16) == 0;
	}
}

/* The flow of peer, made (backend socket and all) on first sight. */
static struct flow *flow_get(const struct sockaddr_storage *peer,
			     socklen_t peerlen)
{
	uint32_t b = addr_hash(peer) % HASH_BUCKETS;
	struct epoll_event ev = { .events = EPOLLIN };
	struct flow *f;

	for (f = g.table[b]; f != NULL; f = f->next)
		if (addr_eq(&f->peer, peer))
			return f;
	f = calloc(1, sizeof(*f));
	if (f == NULL)
		return NULL;
	memcpy(&f->peer, peer, peerlen);
	f->peerlen = peerlen;
	f->fd = socket(g.backend.ss_family, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (f->fd == -1)
		goto bad;
	setbufs(f->fd);
	if (connect(f->fd, (struct sockaddr *)&g.backend, g.backendlen) == -1)
		goto bad;
	ev.data.ptr = f;
	if (epoll_ctl(g.ep, EPOLL_CTL_ADD, f->fd, &ev) == -1)
		goto bad;
	f->next = g.table[b];
	g.table[b] = f;
	g.flows++;
	return f;
bad:
	if (f->fd != -1)
		close(f->fd);
	free(f);
	return NULL;
}

static void batch_reset(struct batch *bt, unsigned int from)
{
	for (unsigned int i = from; i < BATCH; i++) {
		bt->iov[i].iov_base = bt->buf[i];
		bt->iov[i].iov_len = DG_MAX;
		bt->msg[i].msg_hdr = (struct msghdr){
			.msg_name = &bt->name[i],
			.msg_namelen = sizeof(bt->name[i]),
			.msg_iov = &bt->iov[i],
			.msg_iovlen = 1,
		};
	}
}

/* Send the n messages of msg on fd, skipping any that fails. */
static void send_all(int fd, struct mmsghdr *msg, unsigned int n)
{
	unsigned int done = 0;

	while (done < n) {
		int k = sendmmsg(fd, msg + done, n - done, 0);

		if (k == -1) {
			if (errno == EINTR)
				continue;
			done++;		/* dropped, as a full socket drops */
			continue;
		}
		done += (unsigned int)k;
	}
}

/* Datagrams from clients: each to its flow's backend socket. */
static void client_rx(void)
{
	struct batch *bt = &g.in;

	for (int round = 0; round < 16; round++) {
		int n;
		unsigned int i, j;

		batch_reset(bt, 0);
		n = recvmmsg(g.lfd, bt->msg, BATCH, MSG_DONTWAIT, NULL);
		if (n <= 0)
			return;
		for (i = 0; i < (unsigned int)n; i++) {
			bt->flow[i] = flow_get(&bt->name[i],
					       bt->msg[i].msg_hdr.msg_namelen);
			bt->iov[i].iov_len = bt->msg[i].msg_len;
			/* connected socket: no destination address */
			bt->msg[i].msg_hdr.msg_name = NULL;
			bt->msg[i].msg_hdr.msg_namelen = 0;
		}
		/* one sendmmsg per run of datagrams of the same flow */
		for (i = 0; i < (unsigned int)n; i = j) {
			for (j = i + 1; j < (unsigned int)n &&
					bt->flow[j] == bt->flow[i]; j++)
				;
			if (bt->flow[i] != NULL)
				send_all(bt->flow[i]->fd, bt->msg + i, j - i);
		}
		if (n < BATCH)
			return;
	}
}

static void flush_out(void)
{
	send_all(g.lfd, g.out.msg, g.out.n);
	g.out.n = 0;
}

/* Replies on a backend socket: to its client, from the listening socket. */
static void backend_rx(struct flow *f)
{
	struct batch *bt = &g.out;

	for (int round = 0; round < 16; round++) {
		unsigned int room, before;
		int n;

		if (bt->n == BATCH)
			flush_out();
		before = bt->n;
		room = BATCH - before;
		batch_reset(bt, before);
		n = recvmmsg(f->fd, bt->msg + before, room, MSG_DONTWAIT,
			     NULL);
		if (n <= 0)
			return;
		for (unsigned int i = before; i < before + (unsigned int)n;
		     i++) {
			bt->iov[i].iov_len = bt->msg[i].msg_len;
			memcpy(&bt->name[i], &f->peer, f->peerlen);
			bt->msg[i].msg_hdr.msg_namelen = f->peerlen;
		}
		bt->n += (unsigned int)n;
		if ((unsigned int)n < room)
			return;
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_storage ls;
	socklen_t llen;
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
	struct epoll_event evs[256];
	struct rlimit rl;

	if (argc != 5) {
		fprintf(stderr, "usage: dtlsgw-bench-relay LISTEN_ADDR "
				"LISTEN_PORT BACKEND_ADDR BACKEND_PORT\n");
		return 2;
	}
	if (bench_resolve(argv[1], argv[2], AI_PASSIVE, &ls, &llen) != 0 ||
	    bench_resolve(argv[3], argv[4], 0, &g.backend, &g.backendlen) != 0) {
		fprintf(stderr, "relay: cannot resolve\n");
		return 2;
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	g.lfd = socket(ls.ss_family, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (g.lfd == -1 || bind(g.lfd, (struct sockaddr *)&ls, llen) == -1) {
		perror("relay: bind");
		return 2;
	}
	setbufs(g.lfd);
	g.ep = epoll_create1(0);
	if (g.ep == -1 || epoll_ctl(g.ep, EPOLL_CTL_ADD, g.lfd, &ev) == -1) {
		perror("relay: epoll");
		return 2;
	}
	printf("relay ready\n");
	fflush(stdout);
	for (;;) {
		int n = epoll_wait(g.ep, evs, 256, -1);

		if (n == -1) {
			if (errno == EINTR)
				continue;
			perror("relay: epoll_wait");
			return 1;
		}
		for (int i = 0; i < n; i++) {
			if (evs[i].data.ptr == NULL)
				client_rx();
			else
				backend_rx(evs[i].data.ptr);
		}
		/* replies of this round leave together, before sleeping */
		flush_out();
	}
}
