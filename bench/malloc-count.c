/*
 * LD_PRELOAD shim for bench/run-alloc: counts every call of malloc,
 * calloc, realloc and aligned allocations in the process, and writes the
 * count to stderr as "malloc-count N" on SIGUSR2, so that a benchmark can
 * read how many allocations a stretch of traffic made.  glibc's own
 * __libc_* entry points do the work.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void *__libc_memalign(size_t align, size_t size);

void *malloc(size_t size);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);
int posix_memalign(void **out, size_t align, size_t size);
void *aligned_alloc(size_t align, size_t size);

static atomic_ulong count;

void *malloc(size_t size)
{
	atomic_fetch_add_explicit(&count, 1, memory_order_relaxed);
	return __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
	atomic_fetch_add_explicit(&count, 1, memory_order_relaxed);
	return __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
	atomic_fetch_add_explicit(&count, 1, memory_order_relaxed);
	return __libc_realloc(p, size);
}

int posix_memalign(void **out, size_t align, size_t size)
{
	atomic_fetch_add_explicit(&count, 1, memory_order_relaxed);
	*out = __libc_memalign(align, size);
	return *out != NULL ? 0 : 12;	/* ENOMEM */
}

void *aligned_alloc(size_t align, size_t size)
{
	atomic_fetch_add_explicit(&count, 1, memory_order_relaxed);
	return __libc_memalign(align, size);
}

static void report(int sig)
{
	char buf[48] = "malloc-count ";
	char digits[24];
	unsigned long v = atomic_load(&count);
	size_t o = strlen(buf), n = 0;

	(void)sig;
	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	while (n > 0)
		buf[o++] = digits[--n];
	buf[o++] = '\n';
	if (write(STDERR_FILENO, buf, o) < 0)
		return;
}

__attribute__((constructor)) static void setup(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = report;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR2, &sa, NULL);
}
