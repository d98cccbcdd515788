/*
 * dtlsgw-latency: round-trip latency, one datagram in flight, as a
 * histogram (not an average).
 *
 *   dtlsgw-latency echo ADDR PORT
 *	a UDP echo service (runs until killed)
 *   dtlsgw-latency udp ADDR PORT COUNT SIZE
 *	plain UDP ping-pong against an echo
 *   dtlsgw-latency dtls ADDR PORT COUNT SIZE [ENGINE]
 *	the same over DTLS 1.2, with the gateway's own engine as the client
 *	(verify none; ENGINE wolfssl, the default, or openssl), against a
 *	DTLS server such as a dtlsgw server side
 *
 * COUNT round trips are measured after COUNT/10 of warm-up; the program
 * prints one line: mode, size, count, lost, and the percentiles in
 * microseconds.  A round trip that takes more than a second counts as lost.
 * Every run is bounded: COUNT * 1 s at the very worst.
 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bench-dtls.h"
#include "dtlsgw/errors.h"
#include "dtlsgw/log.h"


static int do_echo(const char *host, const char *port)
{
	struct sockaddr_storage ss, peer;
	socklen_t len, plen;
	uint8_t buf[65536];
	int fd;

	if (bench_resolve(host, port, AI_PASSIVE, &ss, &len) != 0)
		return 2;
	fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (fd == -1 || bind(fd, (struct sockaddr *)&ss, len) == -1) {
		perror("bind");
		return 2;
	}
	printf("echo ready\n");
	fflush(stdout);
	for (;;) {
		ssize_t n;

		plen = sizeof(peer);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&peer,
			     &plen);
		if (n >= 0)
			sendto(fd, buf, (size_t)n, 0,
			       (struct sockaddr *)&peer, plen);
	}
}

static int do_ping(bool dtls, enum engine_kind engine, const char *host,
		   const char *port, size_t count, size_t size)
{
	struct sockaddr_storage ss;
	socklen_t len;
	struct conn c = { .fd = -1 };
	struct dtls_ctx *ctx = NULL;
	uint8_t msg[MAXDG], got[MAXDG];
	char label[64];
	uint64_t *rtt;
	size_t warm = count / 10, n = 0, lost = 0;

	if (size < 8 || size > 1300 || count == 0)
		return 2;
	if (bench_resolve(host, port, 0, &ss, &len) != 0)
		return 2;
	c.fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (c.fd == -1 || connect(c.fd, (struct sockaddr *)&ss, len) == -1) {
		perror("connect");
		return 2;
	}
	if (dtls) {
		log_set_level(LOG_LEVEL_ERROR);
		if (dtls_global_init(NULL) != 0 ||
		    handshake(&c, &ctx, engine, (struct sockaddr *)&ss, len,
			      NULL) != 0)
			return 1;
	}
	rtt = calloc(count, sizeof(*rtt));
	memset(msg, 0x5a, size);
	for (size_t i = 0; i < warm + count; i++) {
		uint64_t t0 = now_ns();
		ssize_t r;

		memcpy(msg, &i, sizeof(i));
		if (dtls)
			dtls_session_write(c.ds, msg, size);
		else
			send(c.fd, msg, size, 0);
		do
			r = conn_recv(&c, got, sizeof(got), 1000);
		while (r >= 0 && memcmp(got, &i, sizeof(i)) != 0);
		if (r < 0) {
			lost += i >= warm;
			continue;
		}
		if (i >= warm)
			rtt[n++] = now_ns() - t0;
	}
	snprintf(label, sizeof(label), "%s size=%zu", dtls ? "dtls" : "udp",
		 size);
	if (print_rtt(label, rtt, n, lost) != 0) {
		free(rtt);
		return 1;
	}
	free(rtt);
	if (dtls) {
		dtls_session_shutdown(c.ds);
		dtls_session_destroy(c.ds);
		dtls_ctx_destroy(ctx);
		dtls_global_cleanup();
	}
	close(c.fd);
	return 0;
}

int main(int argc, char **argv)
{
	enum engine_kind engine = ENGINE_WOLFSSL;

	if (argc == 4 && strcmp(argv[1], "echo") == 0)
		return do_echo(argv[2], argv[3]);
	if (argc == 7 && strcmp(argv[1], "dtls") == 0) {
		if (strcmp(argv[6], "openssl") == 0)
			engine = ENGINE_OPENSSL;
		else if (strcmp(argv[6], "wolfssl") != 0)
			argc = 0;	/* usage */
	}
	if ((argc == 6 || argc == 7) && (strcmp(argv[1], "udp") == 0 ||
					 strcmp(argv[1], "dtls") == 0))
		return do_ping(strcmp(argv[1], "dtls") == 0, engine, argv[2],
			       argv[3], strtoul(argv[4], NULL, 10),
			       strtoul(argv[5], NULL, 10));
	fprintf(stderr, "usage: dtlsgw-latency echo ADDR PORT\n"
			"       dtlsgw-latency udp ADDR PORT COUNT SIZE\n"
			"       dtlsgw-latency dtls ADDR PORT COUNT SIZE "
			"[wolfssl|openssl]\n");
	return 2;
}
