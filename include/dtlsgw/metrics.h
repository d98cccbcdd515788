/*
 * Metrics: the counters in the Prometheus text exposition format (0.0.4),
 * served over HTTP at /metrics by a small server on worker 0's loop.
 *
 * Three parts: the HTTP request parser (src/http_parse.c, which reads the
 * network and has a fuzz target), the exposition writer and the route
 * counters' rendering (src/metrics.c), and the server (src/metrics_server.c).
 */
#ifndef DTLSGW_METRICS_H
#define DTLSGW_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dtlsgw/log.h"

struct worker;
struct route_def;
struct route_stats;
struct transport_dccp_totals;

/* HTTP ------------------------------------------------------------------- */

enum http_parse_result {
	HTTP_PARSE_MORE = 0,	/* the head is not whole yet */
	HTTP_PARSE_METRICS,	/* GET /metrics (a query string is ignored) */
	HTTP_PARSE_NOT_FOUND,	/* GET of another path: 404 */
	HTTP_PARSE_BAD_METHOD,	/* not GET: 405 */
	HTTP_PARSE_BAD,		/* not an HTTP/1.x request line: 400 */
	HTTP_PARSE_TOO_LARGE,	/* no end of the head within max bytes: 431 */
};

/*
 * Look at the first len bytes received on a connection (at most max are
 * ever kept): is the request head (request line and headers, up to the
 * empty line) whole, and what does it ask for?  Reads only buf[0..len).
 */
enum http_parse_result http_parse_request(const char *buf, size_t len,
					  size_t max);

/* The exposition writer ---------------------------------------------------- */

/* A growing text buffer; on allocation failure it stops growing and says so. */
struct metrics_buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
	bool	 failed;
};

void metrics_buf_printf(struct metrics_buf *b, const char *fmt, ...)
	LOG_PRINTF(2, 3);
void metrics_buf_free(struct metrics_buf *b);

/* "# HELP" and "# TYPE" lines of a family (type: counter, gauge, histogram). */
void metrics_family(struct metrics_buf *b, const char *name, const char *type,
		    const char *help);

/* A label value with \, " and newline escaped, into buf; returns buf. */
const char *metrics_escape(const char *value, char *buf, size_t len);

/*
 * Every route's counters: defs[i] with sums[i] (its counters summed over
 * the workers running it, route_stats_add()), n routes.
 */
void metrics_write_routes(struct metrics_buf *b,
			  const struct route_def *const *defs,
			  const struct route_stats *sums, size_t n);

/* The DCCP stack's counters (transport_dccp_totals()). */
void metrics_write_dccp(struct metrics_buf *b,
			const struct transport_dccp_totals *t);

/* The server ---------------------------------------------------------------- */

/* Write the body of a scrape into out (runs on the server's worker). */
typedef void (*metrics_render_fn)(struct metrics_buf *out, void *arg);

struct metrics_server;

/*
 * Listen on hostport ("127.0.0.1:9464", "[::1]:9464", "localhost:9464")
 * on worker w's loop; every GET /metrics calls render.  Returns 0 and
 * *out, or a negative errno (logged with the address).
 */
int metrics_server_start(struct worker *w, const char *hostport,
			 metrics_render_fn render, void *arg,
			 struct metrics_server **out);

/* Close the listening socket and every connection; NULL is fine. */
void metrics_server_stop(struct metrics_server *m);

#endif
