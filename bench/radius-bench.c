/*
 * dtlsgw-radius-bench: PAP Access-Requests against a RADIUS server (or a
 * proxy in front of one), WINDOW of them in flight, COUNT in all; prints
 * requests per second and the round-trip percentiles in microseconds.
 *
 *   dtlsgw-radius-bench ADDR PORT SECRET USER PASSWORD COUNT WINDOW
 *
 * Every request carries a Message-Authenticator and a hidden User-Password;
 * every reply must be an Access-Accept whose Response Authenticator checks
 * with SECRET, or it counts as bad.  A request unanswered for 2 s counts as
 * lost and its Identifier is reused; the run stops after COUNT answers or
 * losses, or after 120 s.
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

#include "bench-util.h"
#include "dtlsgw/radius.h"

#define LOSS_NS		2000000000ull
#define RUN_MAX_NS	120000000000ull

struct slot {
	bool		busy;
	uint64_t	sent_ns;
	uint8_t		auth[RADIUS_AUTH_LEN];
};

/* Authenticators need not be unpredictable in a benchmark: xorshift. */
static void fill_random(uint8_t *p, size_t len)
{
	static uint64_t x = 0x9e3779b97f4a7c15ULL;

	if (x == 0x9e3779b97f4a7c15ULL)
		x ^= now_ns();
	for (size_t i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = (uint8_t)x;
	}
}

static size_t put_attr(uint8_t *p, uint8_t type, const void *v, size_t len)
{
	p[0] = type;
	p[1] = (uint8_t)(2 + len);
	memcpy(p + 2, v, len);
	return 2 + len;
}

/* An Access-Request with id, a fresh authenticator, PAP and a MA. */
static size_t build(uint8_t *pkt, uint8_t id, const char *secret,
		    const char *user, const char *pass, uint8_t auth[16])
{
	uint8_t pw[128] = { 0 }, ma[16] = { 0 }, nas[4] = { 127, 0, 0, 1 };
	size_t n = RADIUS_HEADER_LEN, plen = strlen(pass), ma_off, pwlen;

	pwlen = (plen + 15) / 16 * 16;
	if (pwlen == 0)
		pwlen = 16;
	memcpy(pw, pass, plen);
	fill_random(auth, 16);
	pkt[0] = RADIUS_ACCESS_REQUEST;
	pkt[1] = id;
	memcpy(pkt + 4, auth, 16);
	ma_off = n;
	n += put_attr(pkt + n, RADIUS_ATTR_MESSAGE_AUTHENTICATOR, ma, 16);
	n += put_attr(pkt + n, 1 /* User-Name */, user, strlen(user));
	radius_hide(pw, pwlen, secret, strlen(secret), auth, NULL);
	n += put_attr(pkt + n, RADIUS_ATTR_USER_PASSWORD, pw, pwlen);
	n += put_attr(pkt + n, 4 /* NAS-IP-Address */, nas, 4);
	pkt[2] = (uint8_t)(n >> 8);
	pkt[3] = (uint8_t)n;
	radius_message_authenticator(pkt, n, ma_off, auth, secret,
				     strlen(secret), ma);
	memcpy(pkt + ma_off + 2, ma, 16);
	return n;
}

int main(int argc, char **argv)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM,
				  .ai_flags = AI_NUMERICSERV }, *res;
	const char *secret, *user, *pass;
	unsigned long count, window;
	struct slot slots[256] = { { 0 } };
	uint64_t *rtt, start, last;
	size_t answered = 0, lost = 0, bad = 0, sent = 0;
	unsigned int next_id = 0, busy = 0;
	int fd;

	if (argc != 8) {
		fprintf(stderr, "usage: dtlsgw-radius-bench ADDR PORT SECRET "
				"USER PASSWORD COUNT WINDOW\n");
		return 2;
	}
	secret = argv[3];
	user = argv[4];
	pass = argv[5];
	count = strtoul(argv[6], NULL, 10);
	window = strtoul(argv[7], NULL, 10);
	if (count == 0 || window == 0 || window > 255 || strlen(pass) > 112 ||
	    strlen(user) > 200 ||
	    getaddrinfo(argv[1], argv[2], &hints, &res) != 0)
		return 2;
	fd = socket(res->ai_family, SOCK_DGRAM, 0);
	if (fd == -1 || connect(fd, res->ai_addr, res->ai_addrlen) == -1) {
		perror("connect");
		return 2;
	}
	freeaddrinfo(res);
	rtt = calloc(count, sizeof(*rtt));
	start = last = now_ns();
	while (answered + lost < count && now_ns() - start < RUN_MAX_NS) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		uint8_t buf[RADIUS_MAX_LEN];
		uint64_t now = now_ns();
		ssize_t n;

		/* what has waited too long is lost; its Identifier is free */
		for (unsigned int i = 0; i < 256; i++) {
			if (slots[i].busy &&
			    now - slots[i].sent_ns > LOSS_NS) {
				slots[i].busy = false;
				busy--;
				lost++;
			}
		}
		while (busy < window && sent < count) {
			uint8_t pkt[RADIUS_MAX_LEN];
			struct slot *s;
			size_t len;

			while (slots[next_id & 0xff].busy)
				next_id++;
			s = &slots[next_id & 0xff];
			len = build(pkt, (uint8_t)next_id, secret, user, pass,
				    s->auth);
			s->sent_ns = now_ns();
			s->busy = true;
			busy++;
			sent++;
			next_id++;
			if (send(fd, pkt, len, 0) == -1 && errno != ECONNREFUSED)
				perror("send");
		}
		if (poll(&pfd, 1, 100) != 1)
			continue;
		while ((n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
			struct slot *s = &slots[buf[1]];
			uint8_t want[16];
			size_t plen;

			if (!s->busy ||
			    radius_validate(buf, (size_t)n, &plen) != RADIUS_OK) {
				bad++;
				continue;
			}
			radius_response_authenticator(buf, plen, s->auth,
						      secret, strlen(secret),
						      want);
			s->busy = false;
			busy--;
			if (buf[0] != RADIUS_ACCESS_ACCEPT ||
			    memcmp(want, buf + 4, 16) != 0) {
				bad++;
				lost++;
				continue;
			}
			rtt[answered++] = now_ns() - s->sent_ns;
			last = now_ns();
		}
	}
	if (answered == 0) {
		fprintf(stderr, "no answer\n");
		return 1;
	}
	sort_samples(rtt, answered);
	printf("window=%lu answered=%zu lost=%zu bad=%zu req/s=%.0f "
	       "p50=%.1f p90=%.1f p99=%.1f p99.9=%.1f us\n",
	       window, answered, lost, bad,
	       (double)answered / ((double)(last - start) / 1e9),
	       pct(rtt, answered, 50), pct(rtt, answered, 90),
	       pct(rtt, answered, 99), pct(rtt, answered, 99.9));
	free(rtt);
	close(fd);
	return lost == 0 && bad == 0 ? 0 : 1;
}
