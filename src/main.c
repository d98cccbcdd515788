/*
 * dtlsgw: options, signals, workers, the loop; nothing else.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dtlsgw-config.h"
#include "dtlsgw/config.h"
#include "dtlsgw/dtls.h"
#include "dtlsgw/errors.h"
#include "dtlsgw/log.h"
#include "dtlsgw/profile.h"
#include "dtlsgw/route.h"
#include "dtlsgw/worker.h"

struct running {
	struct route_def	*def;
	struct route		*route;
};

static struct {
	int			 argc;
	char *const		*argv;
	struct config		 cfg;
	struct running		*routes;
	size_t			 nroutes;
	struct worker		*worker;
	uint8_t			 cookie_master[32];
} g;

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

/* Prepare a definition for every route of cfg; exit-2 errors in *err. */
static int prepare_all(const struct config *cfg, struct running **out,
		       struct config_error *err)
{
	struct running *rs = calloc(cfg->nroutes, sizeof(*rs));

	*out = NULL;
	if (rs == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < cfg->nroutes; i++) {
		int ret = route_def_prepare(&cfg->routes[i], g.cookie_master,
					    &rs[i].def, err);

		if (ret != 0) {
			for (size_t j = 0; j < i; j++)
				route_def_free(rs[j].def);
			free(rs);
			return ret;
		}
	}
	*out = rs;
	return 0;
}

static void log_route(const struct route_def *def, const char *verb)
{
	char l[600], f[600];

	log_info("route %s: %s %s -> %s (%s)", def->cfg->name, verb,
		 uri_format(&def->cfg->listen, l, sizeof(l)),
		 uri_format(&def->cfg->forward, f, sizeof(f)),
		 def->cfg->profile != NULL ? def->cfg->profile->name : "raw");
}

static void on_stats(void *arg)
{
	(void)arg;
	for (size_t i = 0; i < g.nroutes; i++)
		if (g.routes[i].route != NULL)
			route_log_stats(g.routes[i].route);
}

static void on_terminate(void *arg)
{
	(void)arg;
	log_info("shutting down: closing every session with close_notify");
	for (size_t i = 0; i < g.nroutes; i++) {
		route_stop(g.routes[i].route, true);
		g.routes[i].route = NULL;
	}
	worker_stop(g.worker);
}

static const struct route_config *find_equal(const struct config *cfg,
					     const struct route_config *rc)
{
	for (size_t i = 0; i < cfg->nroutes; i++)
		if (config_route_equal(&cfg->routes[i], rc))
			return &cfg->routes[i];
	return NULL;
}

static void on_reload(void *arg)
{
	struct config ncfg = { 0 };
	struct config_error err = { 0 };
	struct running *nrs;
	size_t kept = 0, started = 0, stopped = 0;

	(void)arg;
	log_info("SIGHUP: reloading the configuration");
	if (config_build(&ncfg, g.argc, g.argv, &err) != 0) {
		log_errx("reload refused, still running the old "
			 "configuration: %s: %s%s%s",
			 err.where, err.key, err.key[0] != '\0' ? ": " : "",
			 err.msg);
		return;
	}
	nrs = calloc(ncfg.nroutes, sizeof(*nrs));
	if (nrs == NULL) {
		config_free(&ncfg);
		return;
	}
	/* first every new or changed definition, so a failure changes nothing */
	for (size_t i = 0; i < ncfg.nroutes; i++) {
		bool same = false;

		for (size_t j = 0; j < g.nroutes; j++)
			if (config_route_equal(g.routes[j].def->cfg,
					       &ncfg.routes[i]))
				same = true;
		if (same)
			continue;
		if (route_def_prepare(&ncfg.routes[i], g.cookie_master,
				      &nrs[i].def, &err) != 0) {
			log_errx("reload refused, still running the old "
				 "configuration: %s: %s%s%s",
				 err.where, err.key,
				 err.key[0] != '\0' ? ": " : "", err.msg);
			for (size_t j = 0; j < i; j++)
				route_def_free(nrs[j].def);
			free(nrs);
			config_free(&ncfg);
			return;
		}
	}
	/* stop what went away or changed; keep what is equal */
	for (size_t j = 0; j < g.nroutes; j++) {
		const struct route_config *same =
			find_equal(&ncfg, g.routes[j].def->cfg);

		if (same != NULL) {
			size_t i = (size_t)(same - ncfg.routes);

			g.routes[j].def->cfg = same;
			nrs[i] = g.routes[j];
			kept++;
			continue;
		}
		log_route(g.routes[j].def, "stopping");
		route_stop(g.routes[j].route, true);
		route_def_free(g.routes[j].def);
		stopped++;
	}
	/* then bind the new ones */
	for (size_t i = 0; i < ncfg.nroutes; i++) {
		if (nrs[i].route != NULL || nrs[i].def == NULL)
			continue;
		if (route_start(g.worker, nrs[i].def, false, &nrs[i].route) ==
		    0) {
			log_route(nrs[i].def, "listening on");
			started++;
		}
	}
	free(g.routes);
	config_free(&g.cfg);
	g.cfg = ncfg;
	g.routes = nrs;
	g.nroutes = ncfg.nroutes;
	log_set_level(g.cfg.log_level);
	log_info("reloaded: %zu routes kept, %zu started, %zu stopped", kept,
		 started, stopped);
}

static void cleanup(void)
{
	for (size_t i = 0; i < g.nroutes; i++) {
		route_stop(g.routes[i].route, false);
		route_def_free(g.routes[i].def);
	}
	free(g.routes);
	g.routes = NULL;
	g.nroutes = 0;
	worker_destroy(g.worker);
	g.worker = NULL;
	config_free(&g.cfg);
	dtls_global_cleanup();
}

int main(int argc, char *argv[])
{
	struct config_error err = { 0 };
	const char *keylog;
	int ret;

	g.argc = argc;
	g.argv = argv;
	if (config_build(&g.cfg, argc, argv, &err) != 0) {
		config_error_print(&err, stderr);
		return 2;
	}
	switch (g.cfg.action) {
	case CONFIG_ACTION_HELP:
		config_usage(stdout);
		config_free(&g.cfg);
		return 0;
	case CONFIG_ACTION_VERSION:
		printf("dtlsgw %s\n", DTLSGW_VERSION);
		config_free(&g.cfg);
		return 0;
	case CONFIG_ACTION_LIST_PROTOCOLS:
		profile_print_table(stdout);
		config_free(&g.cfg);
		return 0;
	default:
		break;
	}
	log_set_level(g.cfg.log_level);
	keylog = g.cfg.keylog != NULL ? g.cfg.keylog : getenv("SSLKEYLOGFILE");
	if (g.cfg.action == CONFIG_ACTION_CHECK)
		keylog = NULL;
	ret = dtls_global_init(keylog);
	if (ret != 0) {
		fprintf(stderr, "dtlsgw: keylog: %s: %s\n",
			keylog != NULL ? keylog : "", dtlsgw_strerror(ret));
		config_free(&g.cfg);
		return 2;
	}
	if (dtls_cookie_master_new(g.cookie_master) != 0)
		fatalx("cannot draw the cookie secret");
	ret = prepare_all(&g.cfg, &g.routes, &err);
	if (ret != 0) {
		config_error_print(&err, stderr);
		config_free(&g.cfg);
		dtls_global_cleanup();
		return 2;
	}
	g.nroutes = g.cfg.nroutes;
	if (g.cfg.action == CONFIG_ACTION_CHECK) {
		config_print(&g.cfg, stdout);
		print_fingerprints(stdout, g.routes, g.nroutes);
		printf("configuration OK\n");
		cleanup();
		return 0;
	}
	if (g.cfg.metrics != NULL)
		log_warnx("metrics = %s: not served by this build yet",
			  g.cfg.metrics);
	if (g.cfg.workers > 1)
		log_warnx("workers = %u: this build runs one worker; "
			  "more come with the performance work",
			  g.cfg.workers);

	signal(SIGPIPE, SIG_IGN);
	g.worker = worker_create(0);
	if (g.worker == NULL)
		fatalx("cannot create the event loop");
	for (size_t i = 0; i < g.nroutes; i++) {
		ret = route_start(g.worker, g.routes[i].def, false,
				  &g.routes[i].route);
		if (ret != 0) {
			cleanup();
			return 1;
		}
		log_route(g.routes[i].def, "listening on");
	}
	worker_on_signal(g.worker, SIGTERM, on_terminate, NULL);
	worker_on_signal(g.worker, SIGINT, on_terminate, NULL);
	worker_on_signal(g.worker, SIGHUP, on_reload, NULL);
	worker_on_signal(g.worker, SIGUSR1, on_stats, NULL);
	log_info("ready: %zu route%s, pid %ld", g.nroutes,
		 g.nroutes == 1 ? "" : "s", (long)getpid());
	worker_run(g.worker);
	cleanup();
	log_info("stopped");
	return 0;
}
