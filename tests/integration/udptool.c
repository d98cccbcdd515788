/*
 * udptool: the cleartext peers of the integration tests.
 *
 *   udptool freeport
 *	print a UDP port free on loopback now
 *   udptool echo ADDR PORT
 *	answer every datagram with itself (a UDP echo service)
 *   udptool dump ADDR PORT
 *	print every datagram received, in hex, one line each, and answer
 *	nothing (a sink that shows what arrived)
 *   udptool send ADDR PORT COUNT MINSIZE MAXSIZE [WINDOW] [TIMEOUT_S] [SRCPORT]
 *		[MINPCT]
 *	send COUNT datagrams of sizes MINSIZE..MAXSIZE, each carrying its
 *	sequence number and a checksum, at most WINDOW unanswered; verify
 *	every echo; exit 0 only when all came back intact; from SRCPORT
 *	when given (0: any), so that two runs are one peer.  With MINPCT
 *	under 100, on a lossy path: a datagram unanswered for a second is
 *	lost and leaves the window, and the run passes when at least
 *	MINPCT percent came back, none corrupt or twice
 *   udptool inject SRCADDR SRCPORT DSTADDR DSTPORT KIND [COUNT] [NSRC] [PPS]
 *	send datagrams with a forged source port through a raw socket
 *	(root): KIND is garbage, truncated (a DTLS record cut short),
 *	badmac (a whole application-data record that cannot authenticate)
 *	or hello (a ClientHello without a cookie), or dccp-request/PORT/SC
 *	(a DCCP Request for DCCP port PORT, Service Code SC, checksum and
 *	all, from DCCP port 1024 + i, for a listener's UDP carrier).  With NSRC > 1 (IPv4),
 *	datagram i comes from SRCADDR + i % NSRC and SRCPORT + i % 1000:
 *	NSRC spoofed sources.  With PPS, at most that many per second
 *   udptool ping ADDR PORT COUNT SIZE INTERVAL_MS [SRCPORT]
 *	send COUNT datagrams of SIZE bytes one at a time, each after the
 *	last came back (or after a second), INTERVAL_MS apart; print the
 *	median and 90th percentile round trip in microseconds and how many
 *	were lost; exit 0 when at least 90% came back
 *
 * Every mode stops by itself: echo runs until killed (tests stop it by its
 * PID), send gives up after TIMEOUT_S seconds.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dtlsgw/bytes.h"
#include "dtlsgw/inet_csum.h"

#define MAXDG 65536

static int resolve(const char *host, const char *port, int flags,
		   struct sockaddr_storage *ss, socklen_t *len)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM,
				  .ai_flags = flags | AI_NUMERICSERV };
	struct addrinfo *res;
	int ret = getaddrinfo(host, port, &hints, &res);

	if (ret != 0) {
		fprintf(stderr, "udptool: %s: %s\n", host, gai_strerror(ret));
		return -1;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static int do_echo(const char *host, const char *port)
{
	struct sockaddr_storage ss, peer;
	socklen_t len, plen;
	static uint8_t buf[MAXDG];
	int fd, one = 1, bufsz = 4 * 1024 * 1024;

	if (resolve(host, port, AI_PASSIVE, &ss, &len) != 0)
		return 2;
	fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* room for bursts from many peers at once, beyond rmem_max as root */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bufsz,
		       sizeof(bufsz)) == -1)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bufsz, sizeof(bufsz));
	if (fd == -1 || bind(fd, (struct sockaddr *)&ss, len) == -1) {
		perror("udptool echo: bind");
		return 2;
	}
	printf("echo ready\n");
	fflush(stdout);
	for (;;) {
		ssize_t n;

		plen = sizeof(peer);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&peer,
			     &plen);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			perror("udptool echo: recvfrom");
			return 1;
		}
		sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&peer, plen);
	}
}

static int do_dump(const char *host, const char *port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	static uint8_t buf[MAXDG];
	int fd;

	if (resolve(host, port, AI_PASSIVE, &ss, &len) != 0)
		return 2;
	fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (fd == -1 || bind(fd, (struct sockaddr *)&ss, len) == -1) {
		perror("udptool dump: bind");
		return 2;
	}
	printf("dump ready\n");
	fflush(stdout);
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		for (ssize_t i = 0; i < n; i++)
			printf("%02x", buf[i]);
		printf("\n");
		fflush(stdout);
	}
}

static uint32_t rng_next(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Datagram i: 4-byte sequence, 4-byte length, then bytes from a PRNG. */
static size_t fill(uint8_t *buf, uint32_t i, size_t minsz, size_t maxsz)
{
	uint32_t s = i * 2654435761u + 1;
	size_t len = minsz + rng_next(&s) % (maxsz - minsz + 1);

	if (len < 8)
		len = 8;
	buf[0] = (uint8_t)(i >> 24);
	buf[1] = (uint8_t)(i >> 16);
	buf[2] = (uint8_t)(i >> 8);
	buf[3] = (uint8_t)i;
	buf[4] = (uint8_t)(len >> 24);
	buf[5] = (uint8_t)(len >> 16);
	buf[6] = (uint8_t)(len >> 8);
	buf[7] = (uint8_t)len;
	for (size_t k = 8; k < len; k++)
		buf[k] = (uint8_t)rng_next(&s);
	return len;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Bind fd to loopback's srcport (0: leave it to connect()). */
static int bind_src(int fd, int family, unsigned long srcport)
{
	struct sockaddr_storage src;
	socklen_t slen;
	char p[24];
	int one = 1;

	if (srcport == 0)
		return 0;
	snprintf(p, sizeof(p), "%lu", srcport);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (resolve(family == AF_INET ? "127.0.0.1" : "::1", p, 0, &src,
		    &slen) != 0 ||
	    bind(fd, (struct sockaddr *)&src, slen) == -1)
		return -1;
	return 0;
}

static int do_send(int argc, char **argv)
{
	const char *host = argv[0], *port = argv[1];
	uint32_t count = (uint32_t)strtoul(argv[2], NULL, 10);
	size_t minsz = strtoul(argv[3], NULL, 10);
	size_t maxsz = strtoul(argv[4], NULL, 10);
	uint32_t window = argc > 5 ? (uint32_t)strtoul(argv[5], NULL, 10) : 32;
	double timeout = argc > 6 ? strtod(argv[6], NULL) : 30;
	unsigned long srcport = argc > 7 ? strtoul(argv[7], NULL, 10) : 0;
	double minpct = argc > 8 ? strtod(argv[8], NULL) : 100;
	double *sent_at;
	uint32_t oldest = 0, expired = 0;
	struct sockaddr_storage ss;
	socklen_t len;
	static uint8_t buf[MAXDG], want[MAXDG];
	uint8_t *got;
	uint32_t next = 0, received = 0, corrupt = 0, dup = 0;
	double start, last_progress;
	int fd;

	if (resolve(host, port, 0, &ss, &len) != 0)
		return 2;
	if (minsz < 8 || maxsz < minsz || maxsz > MAXDG || count == 0) {
		fprintf(stderr, "udptool send: bad sizes or count\n");
		return 2;
	}
	got = calloc(count, 1);
	sent_at = calloc(count, sizeof(*sent_at));
	fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (fd == -1) {
		perror("udptool send: socket");
		return 2;
	}
	if (bind_src(fd, ss.ss_family, srcport) != 0) {
		perror("udptool send: bind");
		return 2;
	}
	if (connect(fd, (struct sockaddr *)&ss, len) == -1) {
		perror("udptool send: connect");
		return 2;
	}
	start = last_progress = now_s();
	while (received < count && now_s() - start < timeout) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		uint32_t outstanding;

		/* lossy: what went unanswered for a second is lost */
		while (minpct < 100 && oldest < next &&
		       (got[oldest] || now_s() - sent_at[oldest] > 1)) {
			if (!got[oldest])
				expired++;
			oldest++;
		}
		outstanding = next - received - expired;
		while (next < count && outstanding < window) {
			size_t n = fill(buf, next, minsz, maxsz);

			sent_at[next] = now_s();
			if (send(fd, buf, n, 0) == -1 && errno != ECONNREFUSED)
				perror("udptool send: send");
			next++;
			outstanding++;
		}
		if (poll(&pfd, 1, 200) == 1) {
			ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
			uint32_t seq;

			if (n < 8)
				continue;
			seq = (uint32_t)buf[0] << 24 | (uint32_t)buf[1] << 16 |
			      (uint32_t)buf[2] << 8 | buf[3];
			if (seq >= count || fill(want, seq, minsz, maxsz) !=
						    (size_t)n ||
			    memcmp(want, buf, (size_t)n) != 0) {
				corrupt++;
				continue;
			}
			if (got[seq]) {
				dup++;
				continue;
			}
			got[seq] = 1;
			received++;
			if (seq < oldest)
				expired--;	/* late, not lost */
			last_progress = now_s();
		} else if (now_s() - last_progress > 3) {
			/* nothing came back for 3 s: what is missing is lost */
			break;
		}
	}
	printf("sent %u received %u corrupt %u duplicate %u lost %u "
	       "in %.2f s\n",
	       next, received, corrupt, dup, count - received,
	       now_s() - start);
	free(got);
	free(sent_at);
	if (corrupt != 0 || dup != 0)
		return 1;
	return (double)received * 100 >= minpct * count ? 0 : 1;
}

static uint16_t csum16(const uint8_t *p, size_t len, uint32_t sum)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static size_t make_payload(const char *kind, uint8_t *p, uint32_t i)
{
	size_t n = 0;

	if (strncmp(kind, "dccp-request/", 13) == 0) {
		/* RFC 4340 5.1 and 5.2, 48-bit sequence numbers; the
		 * checksum is filled once the addresses are known */
		unsigned long port, service;
		uint32_t sport = 1024 + i % 60000;

		if (sscanf(kind + 13, "%lu/%lu", &port, &service) != 2 ||
		    port > 65535 || service > 0xffffffffu)
			return 0;
		memset(p, 0, 20);
		be_put16(p, sport);
		be_put16(p + 2, (uint32_t)port);
		p[4] = 5;		/* data offset: 20 bytes, no options */
		p[8] = 0 << 1 | 1;	/* Request, X = 1 */
		be_put32(p + 12, i);	/* low bits of the 48-bit sequence */
		be_put32(p + 16, (uint32_t)service);
		return 20;
	}
	if (strcmp(kind, "garbage") == 0) {
		n = 40 + i % 60;
		for (size_t k = 0; k < n; k++)
			p[k] = (uint8_t)(k * 31 + i);
		p[0] = 0x47;	/* not a DTLS content type */
		return n;
	}
	/* a DTLS 1.2 record header */
	p[0] = strcmp(kind, "hello") == 0 ? 22 : 23;
	p[1] = 254;
	p[2] = 253;
	p[3] = 0;
	p[4] = strcmp(kind, "hello") == 0 ? 0 : 1;	/* epoch */
	memset(p + 5, 0, 6);
	p[10] = (uint8_t)(100 + i);
	if (strcmp(kind, "truncated") == 0) {
		p[11] = 0x01;
		p[12] = 0x00;		/* claims 256 bytes ... */
		memset(p + 13, 0xaa, 40);
		return 13 + 40;		/* ... carries 40 */
	}
	if (strcmp(kind, "badmac") == 0) {
		p[11] = 0;
		p[12] = 64;
		for (size_t k = 0; k < 64; k++)
			p[13 + k] = (uint8_t)(k ^ i);
		return 13 + 64;
	}
	if (strcmp(kind, "hello") == 0) {
		/* a minimal ClientHello, no cookie */
		static const uint8_t body[] = {
			254, 253, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
			14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
			28, 29, 30, 31, 32, 0, 0, 0, 2, 0xcc, 0xa9, 1, 0,
		};
		size_t b = sizeof(body);

		p[11] = 0;
		p[12] = (uint8_t)(12 + b);
		p[13] = 1;
		p[14] = 0;
		p[15] = 0;
		p[16] = (uint8_t)b;
		p[17] = 0;
		p[18] = 0;
		p[19] = 0;
		p[20] = 0;
		p[21] = 0;
		p[22] = 0;
		p[23] = 0;
		p[24] = (uint8_t)b;
		memcpy(p + 25, body, b);
		return 25 + b;
	}
	return 0;
}

static int do_inject(int argc, char **argv)
{
	struct sockaddr_storage src, dst;
	socklen_t slen, dlen;
	uint32_t count = argc > 5 ? (uint32_t)strtoul(argv[5], NULL, 10) : 10;
	uint32_t nsrc = argc > 6 ? (uint32_t)strtoul(argv[6], NULL, 10) : 1;
	double pps = argc > 7 ? strtod(argv[7], NULL) : 0;
	uint8_t pkt[2048], payload[1500];
	uint32_t base_addr = 0;
	uint16_t base_port = 0;
	double start;
	int fd;

	if (resolve(argv[0], argv[1], 0, &src, &slen) != 0 ||
	    resolve(argv[2], argv[3], 0, &dst, &dlen) != 0)
		return 2;
	if (src.ss_family != dst.ss_family)
		return 2;
	if (make_payload(argv[4], payload, 0) == 0) {
		fprintf(stderr, "udptool inject: unknown kind %s\n", argv[4]);
		return 2;
	}
	fd = socket(dst.ss_family, SOCK_RAW, IPPROTO_RAW);
	if (fd == -1) {
		perror("udptool inject: raw socket (root?)");
		return 2;
	}
	if (nsrc == 0 || (nsrc > 1 && src.ss_family != AF_INET)) {
		fprintf(stderr, "udptool inject: NSRC > 1 is for IPv4\n");
		return 2;
	}
	if (src.ss_family == AF_INET) {
		base_addr = ntohl(((struct sockaddr_in *)&src)->sin_addr.s_addr);
		base_port = ntohs(((struct sockaddr_in *)&src)->sin_port);
	}
	start = now_s();
	for (uint32_t i = 0; i < count; i++) {
		size_t n = make_payload(argv[4], payload, i);
		struct udphdr *uh;
		size_t off;

		if (nsrc > 1) {
			struct sockaddr_in *s4 = (void *)&src;

			s4->sin_addr.s_addr = htonl(base_addr + i % nsrc);
			s4->sin_port = htons((uint16_t)(base_port + i % 1000));
		}
		/* paced: no more than pps a second, checked every 64 */
		while (pps > 0 && (i & 63) == 0 && i / pps > now_s() - start) {
			struct timespec ts = { 0, 1000000 };

			nanosleep(&ts, NULL);
		}

		if (dst.ss_family == AF_INET) {
			struct iphdr *ip = (void *)pkt;
			struct sockaddr_in *s4 = (void *)&src,
					   *d4 = (void *)&dst;
			uint8_t pseudo[12];
			uint32_t sum = 0;

			memset(ip, 0, sizeof(*ip));
			ip->version = 4;
			ip->ihl = 5;
			ip->ttl = 64;
			ip->protocol = IPPROTO_UDP;
			ip->saddr = s4->sin_addr.s_addr;
			ip->daddr = d4->sin_addr.s_addr;
			ip->tot_len = htons((uint16_t)(20 + 8 + n));
			off = 20;
			if (strncmp(argv[4], "dccp-request/", 13) == 0) {
				/* DCCP's pseudo-header: protocol 33 (RFC 6773
				 * section 5) */
				uint64_t dsum = 33 + (uint64_t)n;

				dsum = inet_csum_add(dsum,
						     (const uint8_t *)&ip->saddr, 4);
				dsum = inet_csum_add(dsum,
						     (const uint8_t *)&ip->daddr, 4);
				be_put16(payload + 6, 0);
				be_put16(payload + 6, inet_csum_finish(
					inet_csum_add(dsum, payload, n)));
			}
			uh = (void *)(pkt + off);
			uh->source = s4->sin_port;
			uh->dest = d4->sin_port;
			uh->len = htons((uint16_t)(8 + n));
			uh->check = 0;
			memcpy(pkt + off + 8, payload, n);
			memcpy(pseudo, &ip->saddr, 4);
			memcpy(pseudo + 4, &ip->daddr, 4);
			pseudo[8] = 0;
			pseudo[9] = IPPROTO_UDP;
			pseudo[10] = (uint8_t)((8 + n) >> 8);
			pseudo[11] = (uint8_t)(8 + n);
			for (int k = 0; k < 12; k += 2)
				sum += (uint32_t)(pseudo[k] << 8 |
						  pseudo[k + 1]);
			uh->check = htons(csum16(pkt + off, 8 + n, sum));
			if (sendto(fd, pkt, off + 8 + n, 0,
				   (struct sockaddr *)&dst, dlen) == -1) {
				perror("udptool inject: sendto");
				return 1;
			}
		} else {
			/* IPv6 raw with IPPROTO_RAW: we write the whole header */
			struct ip6_hdr *ip6 = (void *)pkt;
			struct sockaddr_in6 *s6 = (void *)&src,
					    *d6 = (void *)&dst;
			uint32_t sum = 0;
			uint8_t len8[4] = { 0, 0, (uint8_t)((8 + n) >> 8),
					    (uint8_t)(8 + n) };

			memset(ip6, 0, sizeof(*ip6));
			ip6->ip6_flow = htonl(6u << 28);
			ip6->ip6_plen = htons((uint16_t)(8 + n));
			ip6->ip6_nxt = IPPROTO_UDP;
			ip6->ip6_hlim = 64;
			ip6->ip6_src = s6->sin6_addr;
			ip6->ip6_dst = d6->sin6_addr;
			off = 40;
			uh = (void *)(pkt + off);
			uh->source = s6->sin6_port;
			uh->dest = d6->sin6_port;
			uh->len = htons((uint16_t)(8 + n));
			uh->check = 0;
			memcpy(pkt + off + 8, payload, n);
			for (int k = 0; k < 16; k += 2) {
				sum += (uint32_t)(((uint8_t *)&ip6->ip6_src)[k]
							  << 8 |
						  ((uint8_t *)&ip6->ip6_src)[k +
									     1]);
				sum += (uint32_t)(((uint8_t *)&ip6->ip6_dst)[k]
							  << 8 |
						  ((uint8_t *)&ip6->ip6_dst)[k +
									     1]);
			}
			sum += (uint32_t)(len8[2] << 8 | len8[3]);
			sum += IPPROTO_UDP;
			uh->check = htons(csum16(pkt + off, 8 + n, sum));
			d6->sin6_port = 0;
			if (sendto(fd, pkt, off + 8 + n, 0,
				   (struct sockaddr *)&dst, dlen) == -1) {
				perror("udptool inject: sendto");
				return 1;
			}
		}
	}
	printf("injected %u %s datagrams\n", count, argv[4]);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int do_ping(int argc, char **argv)
{
	uint32_t count = (uint32_t)strtoul(argv[2], NULL, 10);
	size_t size = strtoul(argv[3], NULL, 10);
	double interval = strtod(argv[4], NULL) / 1000.0;
	unsigned long srcport = argc > 5 ? strtoul(argv[5], NULL, 10) : 0;
	struct sockaddr_storage ss;
	socklen_t len;
	static uint8_t buf[MAXDG], in[MAXDG];
	double *rtt;
	uint32_t got = 0;
	int fd;

	if (resolve(argv[0], argv[1], 0, &ss, &len) != 0)
		return 2;
	if (count == 0 || size < 8 || size > MAXDG) {
		fprintf(stderr, "udptool ping: bad count or size\n");
		return 2;
	}
	rtt = calloc(count, sizeof(*rtt));
	fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (rtt == NULL || fd == -1 || bind_src(fd, ss.ss_family, srcport) ||
	    connect(fd, (struct sockaddr *)&ss, len) == -1) {
		perror("udptool ping");
		return 2;
	}
	for (uint32_t i = 0; i < count; i++) {
		double t0, deadline;

		fill(buf, i, size, size);
		t0 = now_s();
		deadline = t0 + 1;
		if (send(fd, buf, size, 0) == -1 && errno != ECONNREFUSED)
			perror("udptool ping: send");
		while (now_s() < deadline) {
			struct pollfd pfd = { .fd = fd, .events = POLLIN };
			int ms = (int)((deadline - now_s()) * 1000) + 1;
			ssize_t n;

			if (poll(&pfd, 1, ms) != 1)
				continue;
			n = recv(fd, in, sizeof(in), MSG_DONTWAIT);
			if (n == (ssize_t)size && memcmp(in, buf, size) == 0) {
				rtt[got++] = (now_s() - t0) * 1e6;
				break;
			}
		}
		while (now_s() - t0 < interval) {
			struct timespec ts = { 0, 200000 };

			nanosleep(&ts, NULL);
		}
	}
	qsort(rtt, got, sizeof(*rtt), cmp_double);
	printf("ping %u received %u median_us %.0f p90_us %.0f lost %u\n",
	       count, got, got > 0 ? rtt[got / 2] : 0.0,
	       got > 0 ? rtt[got * 9 / 10] : 0.0, count - got);
	free(rtt);
	close(fd);
	return got * 10 >= count * 9 ? 0 : 1;
}

/*
 * Print a UDP port that is free on 127.0.0.1 and ::1 now, drawn below the
 * kernel's ephemeral range so that no connected socket takes it meanwhile.
 */
static int do_freeport(void)
{
	uint32_t seed = (uint32_t)getpid() ^ (uint32_t)(now_s() * 1e6);

	for (int tries = 0; tries < 1000; tries++) {
		uint16_t port = (uint16_t)(20000 + rng_next(&seed) % 12000);
		struct sockaddr_in in = { .sin_family = AF_INET,
					  .sin_port = htons(port) };
		struct sockaddr_in6 in6 = { .sin6_family = AF_INET6,
					    .sin6_port = htons(port) };
		int a = socket(AF_INET, SOCK_DGRAM, 0);
		int b = socket(AF_INET6, SOCK_DGRAM, 0);
		bool ok;

		in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		in6.sin6_addr = in6addr_loopback;
		ok = bind(a, (struct sockaddr *)&in, sizeof(in)) == 0 &&
		     bind(b, (struct sockaddr *)&in6, sizeof(in6)) == 0;
		close(a);
		close(b);
		if (ok) {
			printf("%u\n", port);
			return 0;
		}
	}
	return 2;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "freeport") == 0)
		return do_freeport();
	if (argc >= 4 && strcmp(argv[1], "echo") == 0)
		return do_echo(argv[2], argv[3]);
	if (argc >= 4 && strcmp(argv[1], "dump") == 0)
		return do_dump(argv[2], argv[3]);
	if (argc >= 7 && strcmp(argv[1], "send") == 0)
		return do_send(argc - 2, argv + 2);
	if (argc >= 7 && strcmp(argv[1], "inject") == 0)
		return do_inject(argc - 2, argv + 2);
	if (argc >= 7 && strcmp(argv[1], "ping") == 0)
		return do_ping(argc - 2, argv + 2);
	fprintf(stderr,
		"usage: udptool echo|dump ADDR PORT\n"
		"       udptool send ADDR PORT COUNT MIN MAX [WINDOW] "
		"[TIMEOUT_S] [SRCPORT] [MINPCT]\n"
		"       udptool inject SRC SPORT DST DPORT "
		"garbage|truncated|badmac|hello [COUNT] [NSRC] [PPS]\n"
		"       udptool ping ADDR PORT COUNT SIZE INTERVAL_MS "
		"[SRCPORT]\n");
	return 2;
}
