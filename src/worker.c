/*
 * A worker: one libev loop, its watchers, its buffer pool, and the list of
 * transports to flush before the loop next sleeps.  The only file besides
 * main.c that includes ev.h.
 */
#include <errno.h>
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

struct signal_watch {
	ev_signal		 sig;
	worker_timer_fn		 fn;
	void			*arg;
};

struct worker {
	unsigned int		 id;
	struct ev_loop		*loop;
	struct dgram_pool	*pool;
	ev_prepare		 prepare;
	struct transport	*dirty;
	struct signal_watch	 signals[MAX_SIGNALS];
	size_t			 nsignals;
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

struct worker *worker_create(unsigned int id)
{
	struct worker *w = calloc(1, sizeof(*w));

	if (w == NULL)
		return NULL;
	w->id = id;
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
	return w;
}

void worker_destroy(struct worker *w)
{
	if (w == NULL)
		return;
	if (w->loop != NULL) {
		ev_prepare_stop(w->loop, &w->prepare);
		for (size_t i = 0; i < w->nsignals; i++)
			ev_signal_stop(w->loop, &w->signals[i].sig);
		if (w->id != 0)
			ev_loop_destroy(w->loop);
	}
	dgram_pool_destroy(w->pool);
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
