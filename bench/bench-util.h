/*
 * What the benchmark programs share: a monotonic clock and percentiles of
 * sorted samples.
 */
#ifndef DTLSGW_BENCH_UTIL_H
#define DTLSGW_BENCH_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

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

#endif
