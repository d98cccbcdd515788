/*
 * The metrics server's request parser (http_parse_request) on a table of
 * heads, and the exposition writer: label escaping and a route's samples.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dtlsgw/metrics.h"
#include "dtlsgw/route.h"

static void test_parse_table(void **state)
{
	static const struct {
		const char			*req;
		size_t				 max;
		enum http_parse_result		 want;
	} cases[] = {
		{ "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 4096,
		  HTTP_PARSE_METRICS },
		{ "GET /metrics HTTP/1.0\n\n", 4096, HTTP_PARSE_METRICS },
		{ "GET /metrics?x=1 HTTP/1.1\r\n\r\n", 4096,
		  HTTP_PARSE_METRICS },
		{ "GET /metrics HTTP/1.1\r\nHost: x\r\n", 4096,
		  HTTP_PARSE_MORE },
		{ "GET /met", 4096, HTTP_PARSE_MORE },
		{ "", 4096, HTTP_PARSE_MORE },
		{ "GET / HTTP/1.1\r\n\r\n", 4096, HTTP_PARSE_NOT_FOUND },
		{ "GET /metricsx HTTP/1.1\r\n\r\n", 4096,
		  HTTP_PARSE_NOT_FOUND },
		{ "POST /metrics HTTP/1.1\r\n\r\n", 4096,
		  HTTP_PARSE_BAD_METHOD },
		{ "HEAD /metrics HTTP/1.1\r\n\r\n", 4096,
		  HTTP_PARSE_BAD_METHOD },
		{ "GET /metrics HTTP/2.0\r\n\r\n", 4096, HTTP_PARSE_BAD },
		{ "GET  /metrics HTTP/1.1\r\n\r\n", 4096, HTTP_PARSE_BAD },
		{ "GET /metrics\r\n\r\n", 4096, HTTP_PARSE_BAD },
		{ "GARBAGE\r\n\r\n", 4096, HTTP_PARSE_BAD },
		{ "\r\n\r\n", 4096, HTTP_PARSE_BAD },
		{ "GET /metrics HTTP/1.1\r\nX: aaaaaaaaaaaaaaaa", 16,
		  HTTP_PARSE_TOO_LARGE },
		/* the end of the head beyond max does not count */
		{ "GET /metrics HTTP/1.1\r\n\r\n", 10, HTTP_PARSE_TOO_LARGE },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		enum http_parse_result r = http_parse_request(
			cases[i].req, strlen(cases[i].req), cases[i].max);

		if (r != cases[i].want)
			fail_msg("case %zu (%s): %d, want %d", i, cases[i].req,
				 (int)r, (int)cases[i].want);
	}
}

static void test_escape(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(metrics_escape("a\"b\\c\nd", buf, sizeof(buf)),
			    "a\\\"b\\\\c\\nd");
	/* cut short, never overflowing */
	assert_true(strlen(metrics_escape("0123456789012345678901234567890123",
					  buf, sizeof(buf))) < sizeof(buf));
}

static void test_routes(void **state)
{
	struct route_config rc = { .name = (char *)"r\"1" };
	struct route_def def = { .cfg = &rc };
	const struct route_def *defs[] = { &def };
	struct route_stats st = { 0 };
	struct metrics_buf b = { 0 };

	(void)state;
	st.up_dgrams = 7;
	st.handshakes_ok = 5;
	st.handshakes_resumed = 2;
	st.hs_latency[0] = 1;
	st.hs_latency[ROUTE_HS_BUCKETS] = 1;
	metrics_write_routes(&b, defs, &st, 1);
	metrics_buf_printf(&b, "%c", '\0');
	assert_false(b.failed);
	assert_non_null(strstr(b.data, "dtlsgw_datagrams_total{route=\"r\\\"1\","
				       "direction=\"up\"} 7\n"));
	/* ok counts the full handshakes, resumed the others */
	assert_non_null(strstr(b.data, "result=\"ok\"} 3\n"));
	assert_non_null(strstr(b.data, "result=\"resumed\"} 2\n"));
	assert_non_null(strstr(b.data, "le=\"0.001\"} 1\n"));
	assert_non_null(strstr(b.data, "le=\"30\"} 1\n"));
	assert_non_null(strstr(b.data, "le=\"+Inf\"} 2\n"));
	assert_non_null(strstr(b.data,
			       "# TYPE dtlsgw_handshake_duration_seconds "
			       "histogram\n"));
	metrics_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_routes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
