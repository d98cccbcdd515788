/*
 * What the benchmark programs share: a monotonic clock, percentiles of
 * sorted samples, a log-linear histogram for runs with too many samples
 * to keep, and numeric UDP addresses.
 */
#ifndef DTLSGW_BENCH_UTIL_H
#define DTLSGW_BENCH_UTIL_H

#include <netdb.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* host and port (numeric port) as a UDP address; flags: AI_PASSIVE. */
static inline int bench_resolve(const char *host, const char *port,
				int flags, struct sockaddr_storage *ss,
				socklen_t *len)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM,
				  .ai_flags = flags | AI_NUMERICSERV };
	struct addrinfo *res;

	if (getaddrinfo(host, port, &hints, &res) != 0)
		return -1;
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Sort n samples in nanoseconds, in place. */
static inline void sort_samples(uint64_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
}

/* The p-th percentile of n sorted samples, in microseconds. */
static inline double pct(const uint64_t *v, size_t n, double p)
{
	return (double)v[(size_t)(p / 100.0 * (double)(n - 1) + 0.5)] / 1000.0;
}

/*
 * Sort n round trips (ns) and print one line: label, count, lost and the
 * percentiles in microseconds.  1 with a message when n is 0, else 0.
 */
static inline int print_rtt(const char *label, uint64_t *rtt, size_t n,
			    size_t lost)
{
	if (n == 0) {
		fprintf(stderr, "nothing came back\n");
		return 1;
	}
	sort_samples(rtt, n);
	printf("%s count=%zu lost=%zu p50=%.1f p90=%.1f p99=%.1f "
	       "p99.9=%.1f max=%.1f us\n",
	       label, n, lost, pct(rtt, n, 50), pct(rtt, n, 90),
	       pct(rtt, n, 99), pct(rtt, n, 99.9),
	       (double)rtt[n - 1] / 1000.0);
	return 0;
}

/*
 * A log-linear histogram of nanoseconds, as HdrHistogram lays it out:
 * values below 128 have a bucket each; above, every power of two is cut
 * into 128 equal buckets, so a bucket is at most 1/128 of its value wide
 * and a percentile read back (the bucket's midpoint) is within 0.4% of the
 * true sample.  Covers 0 to 2^40 ns (18 minutes); larger values land in the
 * last bucket.  Fixed size, no allocation: zero it to initialise.
 */
#define HIST_SUB_BITS	7
#define HIST_SUB	(1u << HIST_SUB_BITS)
#define HIST_BUCKETS	(HIST_SUB + (40 - HIST_SUB_BITS) * HIST_SUB)

struct hist {
	uint64_t	count;
	uint64_t	max;
	uint64_t	bucket[HIST_BUCKETS];
};

static inline size_t hist_index(uint64_t v)
{
	unsigned int shift;
	size_t i;

	if (v < HIST_SUB)
		return (size_t)v;
	shift = (unsigned int)(63 - __builtin_clzll(v)) - HIST_SUB_BITS;
	i = HIST_SUB + (size_t)shift * HIST_SUB +
	    (size_t)((v >> shift) - HIST_SUB);
	return i < HIST_BUCKETS ? i : HIST_BUCKETS - 1;
}

/* The midpoint of bucket i, in nanoseconds. */
static inline uint64_t hist_value(size_t i)
{
	unsigned int shift;
	uint64_t lo;

	if (i < HIST_SUB)
		return i;
	shift = (unsigned int)((i - HIST_SUB) / HIST_SUB);
	lo = (uint64_t)(HIST_SUB + (i - HIST_SUB) % HIST_SUB) << shift;
	return lo + ((1ull << shift) >> 1);
}

static inline void hist_add(struct hist *h, uint64_t ns)
{
	h->bucket[hist_index(ns)]++;
	h->count++;
	if (ns > h->max)
		h->max = ns;
}

/* The p-th percentile, in microseconds; 0 for an empty histogram. */
static inline double hist_pct(const struct hist *h, double p)
{
	uint64_t rank = (uint64_t)(p / 100.0 * (double)h->count + 0.999999);
	uint64_t seen = 0;

	if (h->count == 0)
		return 0.0;
	if (rank == 0)
		rank = 1;
	for (size_t i = 0; i < HIST_BUCKETS; i++) {
		seen += h->bucket[i];
		if (seen >= rank)
			return (double)hist_value(i) / 1000.0;
	}
	return (double)h->max / 1000.0;
}

#endif
