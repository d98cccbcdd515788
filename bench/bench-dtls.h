/*
 * A DTLS 1.2 client on the gateway's own engine over a connected UDP
 * socket, for the benchmark programs: one datagram at a time, blocking
 * with poll().  Static functions: include it from one file per program.
 */
#ifndef DTLSGW_BENCH_DTLS_H
#define DTLSGW_BENCH_DTLS_H

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench-util.h"
#include "dtlsgw/config.h"
#include "dtlsgw/dtls.h"

#define MAXDG 2048

struct conn {
	int			 fd;
	struct dtls_session	*ds;	/* NULL: plain UDP */
};

static int conn_send(void *arg, const uint8_t *buf, size_t len)
{
	struct conn *c = arg;

	return send(c->fd, buf, len, 0) == (ssize_t)len ? 0 : -errno;
}

/* Wait up to timeout_ms for one datagram; its plaintext into buf. */
static ssize_t conn_recv(struct conn *c, uint8_t *buf, size_t cap,
			 int timeout_ms)
{
	uint64_t deadline = now_ns() + (uint64_t)timeout_ms * 1000000u;

	for (;;) {
		struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
		int64_t left = (int64_t)(deadline - now_ns()) / 1000000;
		uint8_t raw[MAXDG];
		ssize_t n;
		size_t got;

		if (left < 0 || poll(&pfd, 1, (int)left) != 1)
			return -1;
		n = recv(c->fd, raw, sizeof(raw), 0);
		if (n < 0)
			continue;
		if (c->ds == NULL) {
			memcpy(buf, raw, (size_t)n < cap ? (size_t)n : cap);
			return n;
		}
		dtls_session_input(c->ds, raw, (size_t)n);
		if (dtls_session_read(c->ds, buf, cap, &got) == 0)
			return (ssize_t)got;
	}
}

/*
 * Handshake with the server at sa; tls NULL: no certificate, verify none.
 * 0, or -1 with a message on stderr.
 */
static int handshake(struct conn *c, struct dtls_ctx **ctx,
		     enum engine_kind engine, const struct sockaddr *sa,
		     socklen_t salen, const struct tls_config *tls)
{
	static const struct tls_config none = { .verify = VERIFY_NONE };
	struct dtls_ctx_params p = { .role = DTLS_ROLE_CLIENT,
				     .tls = tls != NULL ? tls : &none,
				     .route = "bench", .engine = engine };
	struct dtls_io io = { .send = conn_send, .arg = c };
	char err[256];
	uint64_t deadline = now_ns() + 10000000000ull;
	int ret;

	if (dtls_ctx_create(&p, ctx, err, sizeof(err)) != 0) {
		fprintf(stderr, "dtls: %s\n", err);
		return -1;
	}
	c->ds = dtls_session_create(*ctx, sa, salen, NULL, &io, NULL);
	if (c->ds == NULL)
		return -1;
	ret = dtls_session_handshake(c->ds);
	while (ret == -EAGAIN && now_ns() < deadline) {
		struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
		uint8_t raw[MAXDG];
		ssize_t n;

		if (poll(&pfd, 1, 200) != 1) {
			dtls_session_on_timeout(c->ds);
			continue;
		}
		n = recv(c->fd, raw, sizeof(raw), 0);
		if (n > 0)
			ret = dtls_session_input(c->ds, raw, (size_t)n);
	}
	if (ret != 0)
		fprintf(stderr, "handshake: %s\n", dtls_session_error(c->ds));
	return ret;
}

#endif
