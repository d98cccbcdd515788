/*
 * A worker: one libev loop on one thread, its buffer pool, its routes.
 * Nothing here mentions libev; src/worker.c owns every watcher.
 */
#ifndef DTLSGW_WORKER_H
#define DTLSGW_WORKER_H

#include <stdbool.h>
#include <stdint.h>

struct transport;
struct dgram_pool;

struct worker;

typedef void (*worker_timer_fn)(void *arg);

/* A one-shot timer owned by an object; embed it, then worker_timer_init(). */
struct worker_timer;

/* Create a worker with its own loop.  NULL on failure. */
struct worker *worker_create(unsigned int id);

/* Stop every watcher and free.  NULL is fine.  Transports must be closed. */
void worker_destroy(struct worker *w);

unsigned int worker_id(const struct worker *w);

struct dgram_pool *worker_pool(struct worker *w);

/* Monotonic time of the loop, in milliseconds. */
uint64_t worker_now_ms(const struct worker *w);

/* Run the loop until worker_stop(). */
void worker_run(struct worker *w);

/* Make worker_run() return (from the worker's own thread). */
void worker_stop(struct worker *w);

/*
 * Run the loop on a thread of its own (workers other than 0), calling
 * at_exit (may be NULL) on that thread when the loop has stopped.  Returns
 * 0 or a negative error.  worker_join() waits for it once it has stopped.
 */
int worker_start_thread(struct worker *w, void (*at_exit)(void));
void worker_join(struct worker *w);

/*
 * Run fn(arg) on w's thread, between two events, and wait until it has
 * returned: how another thread changes what a worker owns (its routes) or
 * reads its counters.  Called from w's own thread, fn runs at once.
 */
void worker_call(struct worker *w, worker_timer_fn fn, void *arg);

/*
 * Much memory went back to the heap: hand its free pages back to the
 * system within HEAP_TRIM_DELAY_S (one malloc_trim for many calls).
 */
#define HEAP_TRIM_DELAY_S	1.0
void worker_heap_freed(struct worker *w);

/* Start/stop watching t's descriptor (transport.c calls these). */
int worker_watch(struct worker *w, struct transport *t);
void worker_unwatch(struct worker *w, struct transport *t);
void worker_want_write(struct worker *w, struct transport *t, bool on);

/* Put t on the list flushed before the loop next sleeps. */
void worker_mark_dirty(struct worker *w, struct transport *t);
void worker_forget_dirty(struct worker *w, struct transport *t);

/*
 * Timers: worker_timer_new() returns a stopped timer that calls fn(arg);
 * start it for after_ms (restarting if running), stop it, free it (stops
 * it first).  NULL on allocation failure.
 */
struct worker_timer *worker_timer_new(struct worker *w, worker_timer_fn fn,
				      void *arg);
void worker_timer_start(struct worker_timer *t, uint64_t after_ms);
void worker_timer_stop(struct worker_timer *t);
bool worker_timer_active(const struct worker_timer *t);
void worker_timer_free(struct worker_timer *t);

/*
 * A descriptor that is not a transport's (the metrics server's sockets):
 * worker_io_new() returns a watcher that calls fn(arg, readable, writable)
 * while it is set to wait for reading and/or writing (neither at first);
 * worker_io_free() stops it (the descriptor stays open).  NULL on
 * allocation failure; worker_io_free(NULL) does nothing.
 */
struct worker_io;
typedef void (*worker_io_fn)(void *arg, bool readable, bool writable);
struct worker_io *worker_io_new(struct worker *w, int fd, worker_io_fn fn,
				void *arg);
void worker_io_set(struct worker_io *io, bool read, bool write);
void worker_io_free(struct worker_io *io);

/*
 * Signals (main thread's worker only): fn(arg) runs from the loop when
 * signum arrives.  Returns 0 or a negative error.
 */
int worker_on_signal(struct worker *w, int signum, worker_timer_fn fn,
		     void *arg);

#endif
