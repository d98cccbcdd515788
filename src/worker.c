/*
 * A worker: one libev loop, its watchers, its buffer pool, and the list of
 * transports to flush before the loop next sleeps.  The only file besides
 * main.c that includes ev.h.
 */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <ev.h>

#include "dtlsgw/dgram.h"
#include "dtlsgw/log.h"
#include "dtlsgw/transport.h"
#include "dtlsgw/worker.h"

/* Blocks allocated at start, and the most a worker keeps alive. */
#define POOL_PREALLOC	256
#define POOL_MAX	4096

#define MAX_SIGNALS	8

struct watch {
	ev_io			 rio;
	ev_io			 wio;
	struct transport	*t;
};

struct worker_timer {
	ev_timer		 timer;
	struct worker		*w;
	worker_timer_fn		 fn;
	void			*arg;
};

struct worker_io {
	ev_io			 io;
	struct worker		*w;
	worker_io_fn		 fn;
	void			*arg;
};

struct signal_watch {
	ev_signal		 sig;
	worker_timer_fn		 fn;
	void			*arg;
};

struct worker {
	unsigned int		 id;
	struct ev_loop		*loop;
	pthread_t		 thread;
	bool			 has_thread;
	void			(*at_exit)(void);
	/* worker_call(): one call at a time, run by the async watcher */
	ev_async		 async;
	pthread_mutex_t		 call_lock;	/* one caller at a time */
	pthread_mutex_t		 lock;		/* the fields below */
	pthread_cond_t		 done_cond;
	worker_timer_fn		 call_fn;
	void			*call_arg;
	bool			 call_done;
	struct dgram_pool	*pool;
	ev_prepare		 prepare;
	struct transport	*dirty;
	struct signal_watch	 signals[MAX_SIGNALS];
	size_t			 nsignals;
	ev_timer		 heap_trim;	/* see worker_heap_freed() */
};

static void prepare_cb(struct ev_loop *loop, ev_prepare *p, int revents)
{
	struct worker *w = p->data;
	struct transport *t;

	(void)loop;
	(void)revents;
	while ((t = w->dirty) != NULL) {
		w->dirty = t->dirty_next;
		t->dirty_next = NULL;
		t->dirty = false;
		transport_flush(t);
	}
}

static void async_cb(struct ev_loop *loop, ev_async *a, int revents)
{
	struct worker *w = a->data;
	worker_timer_fn fn;
	void *arg;

	(void)loop;
	(void)revents;
	pthread_mutex_lock(&w->lock);
	fn = w->call_fn;
	arg = w->call_arg;
	w->call_fn = NULL;
	pthread_mutex_unlock(&w->lock);
	if (fn == NULL)
		return;
	fn(arg);
	pthread_mutex_lock(&w->lock);
	w->call_done = true;
	pthread_cond_signal(&w->done_cond);
	pthread_mutex_unlock(&w->lock);
}

/*
 * What sessions free in bulk (the TLS library's objects, once their records
 * are ours) lies between the small objects that stay, where glibc's malloc
 * keeps it; malloc_trim() hands the whole free pages back to the system.
 */
static void heap_trim_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	(void)loop;
	(void)t;
	(void)revents;
	malloc_trim(0);
}

struct worker *worker_create(unsigned int id)
{
	struct worker *w = calloc(1, sizeof(*w));

	if (w == NULL)
		return NULL;
	w->id = id;
	pthread_mutex_init(&w->call_lock, NULL);
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->done_cond, NULL);
	w->loop = id == 0 ? ev_default_loop(EVFLAG_AUTO)
			  : ev_loop_new(EVFLAG_AUTO);
	w->pool = dgram_pool_create(POOL_PREALLOC, POOL_MAX);
	if (w->loop == NULL || w->pool == NULL) {
		worker_destroy(w);
		return NULL;
	}
	ev_prepare_init(&w->prepare, prepare_cb);
	w->prepare.data = w;
	ev_prepare_start(w->loop, &w->prepare);
	ev_async_init(&w->async, async_cb);
	w->async.data = w;
	ev_async_start(w->loop, &w->async);
	ev_timer_init(&w->heap_trim, heap_trim_cb, HEAP_TRIM_DELAY_S, 0.);
	return w;
}

void worker_heap_freed(struct worker *w)
{
	if (!ev_is_active(&w->heap_trim))
		ev_timer_start(w->loop, &w->heap_trim);
}

void worker_destroy(struct worker *w)
{
	if (w == NULL)
		return;
	if (w->loop != NULL) {
		ev_async_stop(w->loop, &w->async);
		ev_timer_stop(w->loop, &w->heap_trim);
		ev_prepare_stop(w->loop, &w->prepare);
		for (size_t i = 0; i < w->nsignals; i++)
			ev_signal_stop(w->loop, &w->signals[i].sig);
		if (w->id != 0)
			ev_loop_destroy(w->loop);
	}
	dgram_pool_destroy(w->pool);
	pthread_cond_destroy(&w->done_cond);
	pthread_mutex_destroy(&w->lock);
	pthread_mutex_destroy(&w->call_lock);
	free(w);
}

unsigned int worker_id(const struct worker *w)
{
	return w->id;
}

struct dgram_pool *worker_pool(struct worker *w)
{
	return w->pool;
}

uint64_t worker_now_ms(const struct worker *w)
{
	return (uint64_t)(ev_now(w->loop) * 1000.0);
}

void worker_run(struct worker *w)
{
	ev_run(w->loop, 0);
}

void worker_stop(struct worker *w)
{
	ev_break(w->loop, EVBREAK_ALL);
}

static void *thread_main(void *arg)
{
	struct worker *w = arg;

	ev_run(w->loop, 0);
	if (w->at_exit != NULL)
		w->at_exit();
	return NULL;
}

int worker_start_thread(struct worker *w, void (*at_exit)(void))
{
	sigset_t all, old;
	int ret;

	/* signals are the main thread's (worker 0's): the thread starts
	 * with every one blocked */
	w->at_exit = at_exit;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	ret = pthread_create(&w->thread, NULL, thread_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret != 0)
		return -ret;
	w->has_thread = true;
	return 0;
}

void worker_join(struct worker *w)
{
	if (w == NULL || !w->has_thread)
		return;
	pthread_join(w->thread, NULL);
	w->has_thread = false;
}

void worker_call(struct worker *w, worker_timer_fn fn, void *arg)
{
	if (!w->has_thread || pthread_equal(w->thread, pthread_self())) {
		fn(arg);
		return;
	}
	pthread_mutex_lock(&w->call_lock);
	pthread_mutex_lock(&w->lock);
	w->call_fn = fn;
	w->call_arg = arg;
	w->call_done = false;
	pthread_mutex_unlock(&w->lock);
	ev_async_send(w->loop, &w->async);
	pthread_mutex_lock(&w->lock);
	while (!w->call_done)
		pthread_cond_wait(&w->done_cond, &w->lock);
	pthread_mutex_unlock(&w->lock);
	pthread_mutex_unlock(&w->call_lock);
}

static void read_cb(struct ev_loop *loop, ev_io *io, int revents)
{
	struct watch *wa = io->data;

	(void)loop;
	(void)revents;
	transport_readable(wa->t);
}

static void write_cb(struct ev_loop *loop, ev_io *io, int revents)
{
	struct watch *wa = io->data;

	(void)revents;
	ev_io_stop(loop, &wa->wio);
	transport_writable(wa->t);
}

int worker_watch(struct worker *w, struct transport *t)
{
	int fd = transport_fd(t);
	struct watch *wa;

	if (fd < 0)
		return 0;
	wa = calloc(1, sizeof(*wa));
	if (wa == NULL)
		return -ENOMEM;
	wa->t = t;
	ev_io_init(&wa->rio, read_cb, fd, EV_READ);
	ev_io_init(&wa->wio, write_cb, fd, EV_WRITE);
	wa->rio.data = wa;
	wa->wio.data = wa;
	ev_io_start(w->loop, &wa->rio);
	t->watch = wa;
	return 0;
}

void worker_unwatch(struct worker *w, struct transport *t)
{
	struct watch *wa = t->watch;

	if (wa == NULL)
		return;
	ev_io_stop(w->loop, &wa->rio);
	ev_io_stop(w->loop, &wa->wio);
	free(wa);
	t->watch = NULL;
}

void worker_want_write(struct worker *w, struct transport *t, bool on)
{
	struct watch *wa = t->watch;

	if (wa == NULL)
		return;
	if (on)
		ev_io_start(w->loop, &wa->wio);
	else
		ev_io_stop(w->loop, &wa->wio);
}

void worker_mark_dirty(struct worker *w, struct transport *t)
{
	if (t->dirty)
		return;
	t->dirty = true;
	t->dirty_next = w->dirty;
	w->dirty = t;
}

void worker_forget_dirty(struct worker *w, struct transport *t)
{
	struct transport **p;

	if (!t->dirty)
		return;
	for (p = &w->dirty; *p != NULL; p = &(*p)->dirty_next) {
		if (*p == t) {
			*p = t->dirty_next;
			break;
		}
	}
	t->dirty = false;
	t->dirty_next = NULL;
}

static void timer_cb(struct ev_loop *loop, ev_timer *et, int revents)
{
	struct worker_timer *t = et->data;

	(void)loop;
	(void)revents;
	t->fn(t->arg);
}

struct worker_timer *worker_timer_new(struct worker *w, worker_timer_fn fn,
				      void *arg)
{
	struct worker_timer *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->w = w;
	t->fn = fn;
	t->arg = arg;
	ev_init(&t->timer, timer_cb);
	t->timer.data = t;
	return t;
}

void worker_timer_start(struct worker_timer *t, uint64_t after_ms)
{
	ev_timer_stop(t->w->loop, &t->timer);
	ev_timer_set(&t->timer, (ev_tstamp)after_ms / 1000.0, 0.);
	ev_timer_start(t->w->loop, &t->timer);
}

void worker_timer_stop(struct worker_timer *t)
{
	if (t != NULL)
		ev_timer_stop(t->w->loop, &t->timer);
}

bool worker_timer_active(const struct worker_timer *t)
{
	return t != NULL && ev_is_active(&t->timer);
}

void worker_timer_free(struct worker_timer *t)
{
	if (t == NULL)
		return;
	ev_timer_stop(t->w->loop, &t->timer);
	free(t);
}

static void io_cb(struct ev_loop *loop, ev_io *eio, int revents)
{
	struct worker_io *io = eio->data;

	(void)loop;
	io->fn(io->arg, (revents & EV_READ) != 0, (revents & EV_WRITE) != 0);
}

struct worker_io *worker_io_new(struct worker *w, int fd, worker_io_fn fn,
				void *arg)
{
	struct worker_io *io = calloc(1, sizeof(*io));

	if (io == NULL)
		return NULL;
	io->w = w;
	io->fn = fn;
	io->arg = arg;
	ev_io_init(&io->io, io_cb, fd, 0);
	io->io.data = io;
	return io;
}

void worker_io_set(struct worker_io *io, bool read, bool write)
{
	int events = (read ? EV_READ : 0) | (write ? EV_WRITE : 0);

	ev_io_stop(io->w->loop, &io->io);
	ev_io_set(&io->io, io->io.fd, events);
	if (events != 0)
		ev_io_start(io->w->loop, &io->io);
}

void worker_io_free(struct worker_io *io)
{
	if (io == NULL)
		return;
	ev_io_stop(io->w->loop, &io->io);
	free(io);
}

static void signal_cb(struct ev_loop *loop, ev_signal *s, int revents)
{
	struct signal_watch *sw = s->data;

	(void)loop;
	(void)revents;
	sw->fn(sw->arg);
}

int worker_on_signal(struct worker *w, int signum, worker_timer_fn fn,
		     void *arg)
{
	struct signal_watch *sw;

	if (w->nsignals == MAX_SIGNALS)
		return -ENOSPC;
	sw = &w->signals[w->nsignals++];
	sw->fn = fn;
	sw->arg = arg;
	ev_signal_init(&sw->sig, signal_cb, signum);
	sw->sig.data = sw;
	ev_signal_start(w->loop, &sw->sig);
	return 0;
}
