/*
 * dtlsgw: options, signals, workers, the loops; nothing else.
 *
 * Worker 0 runs on the main thread and takes the signals; the others run
 * a loop each on a thread of their own.  Every route runs on every worker,
 * its listening sockets sharing the port (SO_REUSEPORT), so that the
 * kernel keeps each peer on one worker; a route whose peers share one
 * session runs on worker 0 alone.  What changes a worker's routes or reads
 * its counters runs on that worker's thread (worker_call).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "dtlsgw-config.h"
#include "dtlsgw/config.h"
#include "dtlsgw/dtls.h"
#include "dtlsgw/errors.h"
#include "dtlsgw/log.h"
#include "dtlsgw/notify.h"
#include "dtlsgw/priv.h"
#include "dtlsgw/metrics.h"
#include "dtlsgw/profile.h"
#include "dtlsgw/route.h"
#include "dtlsgw/transport.h"
#include "dtlsgw/worker.h"

#define MAX_WORKERS	256

/* A configuration, kept as long as a running route points into it. */
struct holder {
	struct config	cfg;
	unsigned int	refs;
};

/* A route definition and its instance on each worker. */
struct running {
	struct route_def	*def;
	struct holder		*holder;
	struct route		*routes[MAX_WORKERS];
};

static struct {
	int			 argc;
	char *const		*argv;
	struct holder		*cur;
	struct running		*run;
	size_t			 nrun;
	struct worker		*workers[MAX_WORKERS];
	unsigned int		 nworkers;
	uint8_t			 cookie_master[32];
	struct priv_plan	 priv;
	struct metrics_server	*metrics;
} g;

static struct holder *holder_new(void)
{
	return calloc(1, sizeof(struct holder));
}

static void holder_put(struct holder *h)
{
	if (h == NULL || --h->refs > 0)
		return;
	config_free(&h->cfg);
	free(h);
}

static void print_fingerprints(FILE *f, const struct running *rs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t fp[32];
		char buf[128];
		const struct route_def *def = rs[i].def;
		const struct dtls_ctx *ctx = def->lctx != NULL ? def->lctx
							       : def->fctx;

		if (ctx != NULL && dtls_ctx_fingerprint(ctx, fp))
			fprintf(f, "route %s: our certificate %s\n",
				def->cfg->name,
				dtls_fingerprint_str(fp, buf, sizeof(buf)));
	}
}

static void log_route(const struct route_def *def, const char *verb)
{
	char l[600], f[600];

	log_info("route %s: %s %s -> %s (%s)", def->cfg->name, verb,
		 uri_format(&def->cfg->listen, l, sizeof(l)),
		 uri_format(&def->cfg->forward, f, sizeof(f)),
		 def->cfg->profile != NULL ? def->cfg->profile->name : "raw");
}

/* How many workers run def: all, or worker 0 alone. */
static unsigned int workers_for(const struct route_def *def)
{
	return def->single_worker ? 1 : g.nworkers;
}

/*
 * Bind def on worker i (before the worker's thread runs, or on it).  0 or
 * a negative errno, logged by route_start().
 */
static int start_on(struct running *rn, unsigned int i)
{
	unsigned int n = workers_for(rn->def);

	if (i >= n)
		return 0;
	return route_start(g.workers[i], rn->def, n > 1, n, &rn->routes[i]);
}

/* The routes of worker i stop (on its thread). */
struct stop_arg {
	unsigned int	worker;
	bool		graceful;
	bool		and_loop;
};

static void stop_on_worker(void *arg)
{
	struct stop_arg *sa = arg;

	for (size_t r = 0; r < g.nrun; r++) {
		route_stop(g.run[r].routes[sa->worker], sa->graceful);
		g.run[r].routes[sa->worker] = NULL;
	}
	if (sa->and_loop)
		worker_stop(g.workers[sa->worker]);
}

static void stop_everything(bool graceful)
{
	for (unsigned int i = g.nworkers; i-- > 0;) {
		struct stop_arg sa = { .worker = i, .graceful = graceful,
				       .and_loop = true };

		worker_call(g.workers[i], stop_on_worker, &sa);
	}
}

static void on_terminate(void *arg)
{
	(void)arg;
	log_info("shutting down: closing every session with close_notify");
	notify_send("STOPPING=1");
	stop_everything(true);
}

struct stats_arg {
	struct running		*rn;
	unsigned int		 worker;
	struct route_stats	*sum;
};

static void stats_on_worker(void *arg)
{
	struct stats_arg *sa = arg;

	if (sa->rn->routes[sa->worker] != NULL)
		route_stats_add(sa->sum, sa->rn->routes[sa->worker]);
}

/* Route r's counters summed over its workers (each read on its thread). */
static void sum_route(size_t r, struct route_stats *sum, uint64_t *per_worker)
{
	unsigned int n = workers_for(g.run[r].def);

	memset(sum, 0, sizeof(*sum));
	for (unsigned int i = 0; i < n; i++) {
		struct stats_arg sa = { .rn = &g.run[r], .worker = i,
					.sum = sum };
		uint64_t before = sum->sessions_active;

		worker_call(g.workers[i], stats_on_worker, &sa);
		per_worker[i] = sum->sessions_active - before;
	}
}

static void on_stats(void *arg)
{
	(void)arg;
	for (size_t r = 0; r < g.nrun; r++) {
		uint64_t per_worker[MAX_WORKERS];
		struct route_stats sum;

		sum_route(r, &sum, per_worker);
		route_log_stats(g.run[r].def, &sum, per_worker,
				workers_for(g.run[r].def));
	}
#if HAVE_DCCP
	/* the DCCP stack runs on this worker (TRANSPORT_CAP_ONE_THREAD) */
	transport_dccp_log_stats();
#endif
}

/* A kept route's contexts, built again from the files (SIGHUP). */
struct fresh_tls {
	struct dtls_ctx	*l, *f;
};

/* A scrape of /metrics, on worker 0 (where the DCCP stack runs too). */
static void render_metrics(struct metrics_buf *out, void *arg)
{
	const struct route_def **defs = calloc(g.nrun + 1, sizeof(*defs));
	struct route_stats *sums = calloc(g.nrun + 1, sizeof(*sums));
	uint64_t per_worker[MAX_WORKERS];

	(void)arg;
	if (defs == NULL || sums == NULL) {
		out->failed = true;
		goto out;
	}
	for (size_t r = 0; r < g.nrun; r++) {
		defs[r] = g.run[r].def;
		sum_route(r, &sums[r], per_worker);
	}
	metrics_write_routes(out, defs, sums, g.nrun);
#if HAVE_DCCP
	{
		struct transport_dccp_totals t;

		if (transport_dccp_totals(&t))
			metrics_write_dccp(out, &t);
	}
#endif
out:
	free(defs);
	free(sums);
}

/* What a reload changes, applied by each worker to its own routes. */
struct reload_plan {
	struct running	*old;
	size_t		 nold;
	bool		*keep;		/* per old route */
	struct running	*new;
	size_t		 nnew;
	bool		*start;		/* per new route */
	struct fresh_tls *fresh;	/* per new route that is kept */
	unsigned int	 worker;
	size_t		 started;
};

static void reload_on_worker(void *arg)
{
	struct reload_plan *p = arg;
	unsigned int i = p->worker;

	for (size_t r = 0; r < p->nold; r++) {
		if (p->keep[r] || p->old[r].routes[i] == NULL)
			continue;
		route_stop(p->old[r].routes[i], true);
		p->old[r].routes[i] = NULL;
	}
	for (size_t r = 0; r < p->nnew; r++)
		if (p->start[r] && start_on(&p->new[r], i) == 0 &&
		    p->new[r].routes[i] != NULL)
			p->started++;
}

static void reload_refused(const struct config_error *err)
{
	log_errx("reload refused, still running the old configuration: "
		 "%s: %s%s%s",
		 err->where, err->key, err->key[0] != '\0' ? ": " : "",
		 err->msg);
}

/*
 * Certificate rotation: kept route i of p reads its certificate, key, CA
 * and CRL files again into p->fresh[i], adopted once nothing can fail.
 */
static int rebuild_tls(struct reload_plan *p, size_t i,
		       const struct route_config *rc, struct config_error *err)
{
	const struct route_def *def = p->new[i].def;
	struct fresh_tls *f = &p->fresh[i];

	if ((def->lctx != NULL &&
	     dtls_ctx_rebuild(def->lctx, &rc->tls, &f->l, err->msg,
			      sizeof(err->msg)) != 0) ||
	    (def->fctx != NULL &&
	     dtls_ctx_rebuild(def->fctx, &rc->tls, &f->f, err->msg,
			      sizeof(err->msg)) != 0)) {
		snprintf(err->where, sizeof(err->where), "%s", rc->where);
		snprintf(err->key, sizeof(err->key), "cert");
		return -1;
	}
	return 0;
}

static void adopt_tls(struct running *rn, struct fresh_tls *f)
{
	uint8_t before[32], after[32];
	char fp[128];
	bool had = rn->def->lctx != NULL &&
		   dtls_ctx_fingerprint(rn->def->lctx, before);

	if (f->l != NULL)
		dtls_ctx_adopt(rn->def->lctx, f->l);
	if (f->f != NULL)
		dtls_ctx_adopt(rn->def->fctx, f->f);
	f->l = f->f = NULL;
	if (rn->def->lctx != NULL &&
	    dtls_ctx_fingerprint(rn->def->lctx, after) &&
	    (!had || memcmp(before, after, sizeof(after)) != 0))
		log_info("route %s: new certificate %s for new handshakes",
			 rn->def->cfg->name,
			 dtls_fingerprint_str(after, fp, sizeof(fp)));
}

static void free_fresh(struct reload_plan *p)
{
	for (size_t i = 0; i < p->nnew && p->fresh != NULL; i++) {
		dtls_ctx_destroy(p->fresh[i].l);
		dtls_ctx_destroy(p->fresh[i].f);
	}
	free(p->fresh);
}

static bool str_same(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

/* RELOADING=1 with the monotonic clock, as Type=notify-reload wants it. */
static void notify_reloading(void)
{
	struct timespec ts;
	char msg[64];

	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(msg, sizeof(msg), "RELOADING=1\nMONOTONIC_USEC=%llu",
		 (unsigned long long)ts.tv_sec * 1000000ull +
			 (unsigned long long)ts.tv_nsec / 1000);
	notify_send(msg);
}

/* SIGHUP: the new configuration, or the old one when it is refused. */
static void reload(void)
{
	struct config_error err = { 0 };
	struct holder *nh;
	struct reload_plan plan = { 0 };
	struct metrics_server *metrics = NULL;
	bool move_metrics;
	size_t kept = 0, stopped = 0;

	nh = holder_new();
	if (nh == NULL)
		return;
	if (config_build(&nh->cfg, g.argc, g.argv, &err) != 0) {
		reload_refused(&err);
		free(nh);
		return;
	}
	nh->refs = 1;	/* held as the current configuration */
	plan.old = g.run;
	plan.nold = g.nrun;
	plan.nnew = nh->cfg.nroutes;
	plan.keep = calloc(g.nrun + 1, sizeof(bool));
	plan.new = calloc(nh->cfg.nroutes, sizeof(*plan.new));
	plan.start = calloc(nh->cfg.nroutes, sizeof(bool));
	plan.fresh = calloc(nh->cfg.nroutes, sizeof(*plan.fresh));
	if (plan.keep == NULL || plan.new == NULL || plan.start == NULL ||
	    plan.fresh == NULL)
		goto fail;
	/* every new or changed definition first, so a failure changes nothing */
	for (size_t i = 0; i < plan.nnew; i++) {
		const struct route_config *rc = &nh->cfg.routes[i];
		bool same = false;

		for (size_t j = 0; j < g.nrun && !same; j++) {
			if (!plan.keep[j] &&
			    config_route_equal(g.run[j].def->cfg, rc)) {
				plan.keep[j] = true;
				plan.new[i] = g.run[j];
				same = true;
			}
		}
		if (same) {
			if (rebuild_tls(&plan, i, rc, &err) != 0) {
				reload_refused(&err);
				goto fail;
			}
			continue;
		}
		if (route_def_prepare(rc, g.cookie_master, &plan.new[i].def,
				      &err) != 0) {
			reload_refused(&err);
			goto fail;
		}
		plan.new[i].holder = nh;
		nh->refs++;
		plan.start[i] = true;
		if (priv_route_check(&g.priv, rc, err.msg,
				     sizeof(err.msg)) != 0) {
			snprintf(err.where, sizeof(err.where), "%s", rc->where);
			snprintf(err.key, sizeof(err.key), "listen");
			reload_refused(&err);
			goto fail;
		}
	}
	/* a new metrics address is bound before anything changes (worker 0
	 * runs this, and serves the metrics) */
	move_metrics = !str_same(nh->cfg.metrics, g.cur->cfg.metrics);
	if (move_metrics && nh->cfg.metrics != NULL &&
	    metrics_server_start(g.workers[0], nh->cfg.metrics,
				 render_metrics, NULL, &metrics) != 0) {
		snprintf(err.where, sizeof(err.where), "%s",
			 nh->cfg.file != NULL ? nh->cfg.file : "command line");
		snprintf(err.key, sizeof(err.key), "metrics");
		snprintf(err.msg, sizeof(err.msg), "cannot listen on %s",
			 nh->cfg.metrics);
		reload_refused(&err);
		goto fail;
	}
	if (!str_same(nh->cfg.user, g.cur->cfg.user) ||
	    !str_same(nh->cfg.chroot, g.cur->cfg.chroot))
		log_warnx("reload: user and chroot change on a restart only");
	/* each worker stops what went away or changed, binds what is new */
	for (unsigned int w = 0; w < g.nworkers; w++) {
		plan.worker = w;
		worker_call(g.workers[w], reload_on_worker, &plan);
	}
	for (size_t i = 0; i < plan.nnew; i++)
		if (!plan.start[i])
			adopt_tls(&plan.new[i], &plan.fresh[i]);
	for (size_t j = 0; j < g.nrun; j++) {
		if (plan.keep[j]) {
			kept++;
			continue;
		}
		log_route(g.run[j].def, "stopped");
		route_def_free(g.run[j].def);
		holder_put(g.run[j].holder);
		stopped++;
	}
	for (size_t i = 0; i < plan.nnew; i++)
		if (plan.start[i] && plan.new[i].routes[0] != NULL)
			log_route(plan.new[i].def, "listening on");
	free(g.run);
	g.run = plan.new;
	g.nrun = plan.nnew;
	holder_put(g.cur);
	g.cur = nh;
	log_set_level(nh->cfg.log_level);
	if (move_metrics) {
		metrics_server_stop(g.metrics);
		g.metrics = metrics;
		if (metrics == NULL)
			log_info("metrics: no longer served");
	}
	log_info("reloaded: %zu routes kept, %zu started, %zu stopped", kept,
		 plan.nnew - kept, stopped);
	free(plan.keep);
	free(plan.start);
	free_fresh(&plan);
	return;
fail:
	for (size_t i = 0; i < plan.nnew && plan.new != NULL; i++) {
		if (plan.start != NULL && plan.start[i]) {
			route_def_free(plan.new[i].def);
			nh->refs--;
		}
	}
	free(plan.keep);
	free(plan.new);
	free(plan.start);
	free_fresh(&plan);
	holder_put(nh);
}

static void on_reload(void *arg)
{
	(void)arg;
	log_info("SIGHUP: reloading the configuration");
	notify_reloading();
	reload();
	notify_send("READY=1");
}

static void cleanup(void)
{
	metrics_server_stop(g.metrics);
	g.metrics = NULL;
	for (size_t r = 0; r < g.nrun; r++) {
		for (unsigned int i = 0; i < g.nworkers; i++)
			route_stop(g.run[r].routes[i], false);
		route_def_free(g.run[r].def);
		holder_put(g.run[r].holder);
	}
	free(g.run);
	g.run = NULL;
	g.nrun = 0;
	for (unsigned int i = 0; i < g.nworkers; i++) {
		worker_destroy(g.workers[i]);
		g.workers[i] = NULL;
	}
	holder_put(g.cur);
	g.cur = NULL;
	priv_plan_finish(&g.priv);
	notify_finish();
	dtls_global_cleanup();
}

/* One definition per route of cfg; an exit-2 error in *err. */
static int prepare_all(struct holder *h, struct config_error *err)
{
	const struct config *cfg = &h->cfg;

	g.run = calloc(cfg->nroutes, sizeof(*g.run));
	if (g.run == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < cfg->nroutes; i++) {
		int ret = route_def_prepare(&cfg->routes[i], g.cookie_master,
					    &g.run[i].def, err);

		if (ret != 0)
			return ret;
		g.run[i].holder = h;
		h->refs++;
		g.nrun++;
	}
	return 0;
}

/*
 * Every session on the forwarding side has a socket of its own: raise the
 * descriptor limit to what the system allows, and say what max-sessions
 * it leaves room for.
 */
static void raise_fd_limit(const struct config *cfg)
{
	struct rlimit rl;
	unsigned long long want = 64;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	for (size_t i = 0; i < cfg->nroutes; i++)
		want += cfg->routes[i].max_sessions;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want)
		log_warnx("open files limit %llu is below the %llu that "
			  "max-sessions may need: raise it (ulimit -n, "
			  "LimitNOFILE=) or lower max-sessions",
			  (unsigned long long)rl.rlim_cur, want);
}

static unsigned int default_workers(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return n > MAX_WORKERS ? MAX_WORKERS : (unsigned int)n;
}

int main(int argc, char *argv[])
{
	struct config_error err = { 0 };
	struct config *cfg;
	const char *keylog;
	int ret;

	g.argc = argc;
	g.argv = argv;
	g.cur = holder_new();
	if (g.cur == NULL)
		return 1;
	g.cur->refs = 1;
	cfg = &g.cur->cfg;
	if (config_build(cfg, argc, argv, &err) != 0) {
		config_error_print(&err, stderr);
		free(g.cur);
		return 2;
	}
	switch (cfg->action) {
	case CONFIG_ACTION_HELP:
		config_usage(stdout);
		holder_put(g.cur);
		return 0;
	case CONFIG_ACTION_VERSION:
		printf("dtlsgw %s\n", DTLSGW_VERSION);
		holder_put(g.cur);
		return 0;
	case CONFIG_ACTION_LIST_PROTOCOLS:
		profile_print_table(stdout);
		holder_put(g.cur);
		return 0;
	default:
		break;
	}
	log_set_level(cfg->log_level);
	keylog = cfg->keylog != NULL ? cfg->keylog : getenv("SSLKEYLOGFILE");
	if (cfg->action == CONFIG_ACTION_CHECK)
		keylog = NULL;
	ret = dtls_global_init(keylog);
	if (ret != 0) {
		fprintf(stderr, "dtlsgw: keylog: %s: %s\n",
			keylog != NULL ? keylog : "", dtlsgw_strerror(ret));
		holder_put(g.cur);
		return 2;
	}
	if (dtls_cookie_master_new(g.cookie_master) != 0)
		fatalx("cannot draw the cookie secret");
	if (cfg->action == CONFIG_ACTION_RUN &&
	    priv_plan_init(&g.priv, cfg, &err) != 0) {
		config_error_print(&err, stderr);
		cleanup();
		return 2;
	}
	if (prepare_all(g.cur, &err) != 0) {
		config_error_print(&err, stderr);
		cleanup();
		return 2;
	}
	if (cfg->action == CONFIG_ACTION_CHECK) {
		config_print(cfg, stdout);
		print_fingerprints(stdout, g.run, g.nrun);
		printf("configuration OK\n");
		cleanup();
		return 0;
	}
	notify_init();
	signal(SIGPIPE, SIG_IGN);
	raise_fd_limit(cfg);
	g.nworkers = cfg->workers > 0 ? cfg->workers : default_workers();
	if (g.nworkers > MAX_WORKERS)
		g.nworkers = MAX_WORKERS;
	for (unsigned int i = 0; i < g.nworkers; i++) {
		g.workers[i] = worker_create(i);
		if (g.workers[i] == NULL)
			fatalx("cannot create worker %u", i);
	}
	/* bind everything before any worker thread runs */
	for (size_t r = 0; r < g.nrun; r++) {
		for (unsigned int i = 0; i < g.nworkers; i++) {
			if (start_on(&g.run[r], i) != 0) {
				cleanup();
				return 1;
			}
		}
		log_route(g.run[r].def, "listening on");
	}
	if (cfg->metrics != NULL &&
	    metrics_server_start(g.workers[0], cfg->metrics, render_metrics,
				 NULL, &g.metrics) != 0) {
		cleanup();
		return 1;
	}
	/* everything is bound: drop, before any thread (capabilities are per thread) */
	ret = priv_drop(&g.priv, err.msg, sizeof(err.msg));
	if (ret != 0) {
		log_errx("%s", err.msg);
		cleanup();
		return 1;
	}
	for (unsigned int i = 1; i < g.nworkers; i++) {
		ret = worker_start_thread(g.workers[i], dtls_thread_cleanup);
		if (ret != 0)
			fatalx("cannot start worker %u: %s", i,
			       dtlsgw_strerror(ret));
	}
	worker_on_signal(g.workers[0], SIGTERM, on_terminate, NULL);
	worker_on_signal(g.workers[0], SIGINT, on_terminate, NULL);
	worker_on_signal(g.workers[0], SIGHUP, on_reload, NULL);
	worker_on_signal(g.workers[0], SIGUSR1, on_stats, NULL);
	log_info("ready: %zu route%s, %u worker%s, pid %ld", g.nrun,
		 g.nrun == 1 ? "" : "s", g.nworkers,
		 g.nworkers == 1 ? "" : "s", (long)getpid());
	notify_send("READY=1");
	worker_run(g.workers[0]);
	for (unsigned int i = 1; i < g.nworkers; i++)
		worker_join(g.workers[i]);
	cleanup();
	log_info("stopped");
	return 0;
}
