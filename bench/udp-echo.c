/*
 * dtlsgw-bench-echo: the UDP echo behind every benchmark path.  One
 * thread, one socket, recvmmsg() and sendmmsg() in batches of 64, so the
 * echo costs as little as a UDP service can and is never what a path is
 * measuring.
 *
 *   dtlsgw-bench-echo ADDR PORT
 *
 * Prints "echo ready" once bound, then runs until killed.
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BATCH	64
#define DG_MAX	2048
#define BUFSZ	(4 * 1024 * 1024)	/* as dtlsgw's listening sockets */

static void setbuf_force(int fd, int opt, int force)
{
	int v = BUFSZ;

	/* root may go past net.core.rmem_max; others get what they get */
	if (setsockopt(fd, SOL_SOCKET, force, &v, sizeof(v)) == -1)
		setsockopt(fd, SOL_SOCKET, opt, &v, sizeof(v));
}

int main(int argc, char **argv)
{
	static uint8_t bufs[BATCH][DG_MAX];
	struct sockaddr_storage names[BATCH];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM,
				  .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
	struct addrinfo *res;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: dtlsgw-bench-echo ADDR PORT\n");
		return 2;
	}
	if (getaddrinfo(argv[1], argv[2], &hints, &res) != 0) {
		fprintf(stderr, "echo: cannot resolve %s\n", argv[1]);
		return 2;
	}
	fd = socket(res->ai_family, SOCK_DGRAM, 0);
	if (fd == -1 || bind(fd, res->ai_addr, res->ai_addrlen) == -1) {
		perror("echo: bind");
		return 2;
	}
	freeaddrinfo(res);
	setbuf_force(fd, SO_RCVBUF, SO_RCVBUFFORCE);
	setbuf_force(fd, SO_SNDBUF, SO_SNDBUFFORCE);
	printf("echo ready\n");
	fflush(stdout);
	for (;;) {
		int n, done = 0;

		for (int i = 0; i < BATCH; i++) {
			iov[i].iov_base = bufs[i];
			iov[i].iov_len = DG_MAX;
			msgs[i].msg_hdr = (struct msghdr){
				.msg_name = &names[i],
				.msg_namelen = sizeof(names[i]),
				.msg_iov = &iov[i],
				.msg_iovlen = 1,
			};
		}
		n = recvmmsg(fd, msgs, BATCH, MSG_WAITFORONE, NULL);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			perror("echo: recvmmsg");
			return 1;
		}
		/* send back what came, each to its sender, as long as it was */
		for (int i = 0; i < n; i++)
			iov[i].iov_len = msgs[i].msg_len;
		while (done < n) {
			int k = sendmmsg(fd, msgs + done, (unsigned)(n - done),
					 0);

			if (k == -1) {
				if (errno == EINTR)
					continue;
				done++;		/* skip the one that failed */
				continue;
			}
			done += k;
		}
	}
}
