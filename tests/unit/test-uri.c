/*
 * uri_parse() and uri_format(): SCHEME://HOST[:PORT][?key=value&...].
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dtlsgw/config.h"

struct uri_ok {
	const char	*in;
	enum scheme	 scheme;
	const char	*host;
	uint16_t	 port;
	size_t		 nparams;
	const char	*key0, *value0;	/* the first parameter, if any */
	const char	*out;		/* uri_format(); NULL: same as in */
};

static const struct uri_ok ok_cases[] = {
	{ "udp://127.0.0.1:1812", SCHEME_UDP, "127.0.0.1", 1812, 0, NULL,
	  NULL, NULL },
	{ "dtls://0.0.0.0", SCHEME_DTLS_UDP, "0.0.0.0", 0, 0, NULL, NULL,
	  NULL },
	{ "dtls+udp://0.0.0.0:2083", SCHEME_DTLS_UDP, "0.0.0.0", 2083, 0,
	  NULL, NULL, "dtls://0.0.0.0:2083" },
	{ "dtls://[::1]:2083", SCHEME_DTLS_UDP, "::1", 2083, 0, NULL, NULL,
	  NULL },
	{ "udp://[::]", SCHEME_UDP, "::", 0, 0, NULL, NULL, NULL },
	{ "udp://[2001:db8::1]:53", SCHEME_UDP, "2001:db8::1", 53, 0, NULL,
	  NULL, NULL },
	{ "udp://[2001:DB8:0:0::1]:53", SCHEME_UDP, "2001:db8::1", 53, 0,
	  NULL, NULL, "udp://[2001:db8::1]:53" },
	{ "udp://[::ffff:192.0.2.1]:53", SCHEME_UDP, "::ffff:192.0.2.1", 53,
	  0, NULL, NULL, NULL },
	{ "udp://[fe80::1%eth0]", SCHEME_UDP, "fe80::1%eth0", 0, 0, NULL,
	  NULL, NULL },
	{ "udp://[fe80::1%eth0]:1812", SCHEME_UDP, "fe80::1%eth0", 1812, 0,
	  NULL, NULL, NULL },
	{ "udp://[fe80::1%25eth0]:1812", SCHEME_UDP, "fe80::1%eth0", 1812, 0,
	  NULL, NULL, "udp://[fe80::1%eth0]:1812" },
	/* a zone that starts "25" (found by fuzz-uri): encoded to read back */
	{ "udp://[fe80::1%2525x]", SCHEME_UDP, "fe80::1%25x", 0, 0, NULL,
	  NULL, NULL },
	{ "dtls://radius.example.net:2083", SCHEME_DTLS_UDP,
	  "radius.example.net", 2083, 0, NULL, NULL, NULL },
	{ "udp://localhost", SCHEME_UDP, "localhost", 0, 0, NULL, NULL, NULL },
	{ "udp://Host-1.Example.:5", SCHEME_UDP, "Host-1.Example.", 5, 0,
	  NULL, NULL, NULL },
	{ "udp://h:1", SCHEME_UDP, "h", 1, 0, NULL, NULL, NULL },
	{ "udp://h:65535", SCHEME_UDP, "h", 65535, 0, NULL, NULL, NULL },
	{ "udp://h:00053", SCHEME_UDP, "h", 53, 0, NULL, NULL, "udp://h:53" },
	{ "UDP://h:53", SCHEME_UDP, "h", 53, 0, NULL, NULL, "udp://h:53" },
	{ "sctp://10.0.0.1:3868", SCHEME_SCTP, "10.0.0.1", 3868, 0, NULL,
	  NULL, NULL },
	{ "dtls+sctp://10.0.0.1:5868", SCHEME_DTLS_SCTP, "10.0.0.1", 5868, 0,
	  NULL, NULL, NULL },
	{ "dccp://10.0.0.1:5000", SCHEME_DCCP, "10.0.0.1", 5000, 0, NULL,
	  NULL, NULL },
	{ "dtls+dccp://10.0.0.1:5001", SCHEME_DTLS_DCCP, "10.0.0.1", 5001, 0,
	  NULL, NULL, NULL },
	{ "tcp://127.0.0.1:3868", SCHEME_TCP, "127.0.0.1", 3868, 0, NULL,
	  NULL, NULL },
	{ "tun://tun0", SCHEME_TUN, "tun0", 0, 0, NULL, NULL, NULL },
	{ "tun://gre_1.x-y?mtu=1400", SCHEME_TUN, "gre_1.x-y", 0, 1, "mtu",
	  "1400", NULL },
	{ "echo://", SCHEME_ECHO, "", 0, 0, NULL, NULL, NULL },
	{ "echo://?delay=5", SCHEME_ECHO, "", 0, 1, "delay", "5", NULL },
	{ "udp://h:1?a=1&b=two&c", SCHEME_UDP, "h", 1, 3, "a", "1", NULL },
	{ "udp://h?a=", SCHEME_UDP, "h", 0, 1, "a", "", "udp://h?a" },
	{ "udp://[::1]:9?x=%41%2f", SCHEME_UDP, "::1", 9, 1, "x", "A/",
	  "udp://[::1]:9?x=A/" },
	{ "udp://h?x=a%26b%20c", SCHEME_UDP, "h", 0, 1, "x", "a&b c", NULL },
	{ "udp://h?x=a=b:c@d/e?f", SCHEME_UDP, "h", 0, 1, "x", "a=b:c@d/e?f",
	  NULL },
	{ "udp://h?a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8", SCHEME_UDP, "h", 0, 8,
	  "a", "1", NULL },
};

struct uri_bad {
	const char	*in;
	const char	*msg;	/* a part of the error message */
};

#define ALPHA	"abcdefghijklmnopqrstuvwxyz"
#define LONG61	ALPHA ALPHA "abcdefghi"
#define LONG63	ALPHA ALPHA "abcdefghijk"

static const struct uri_bad bad_cases[] = {
	{ "", "expected SCHEME://HOST" },
	{ "127.0.0.1:53", "expected SCHEME://HOST" },
	{ "udp:/h:53", "expected SCHEME://HOST" },
	{ "foo://h:53", "unknown scheme 'foo'" },
	{ "://h:53", "unknown scheme ''" },
	{ "dtls+tcp://h:53", "unknown scheme 'dtls+tcp'" },
	{ "udp://", "empty host" },
	{ "udp://:53", "empty host" },
	{ "udp://?a=1", "empty host" },
	{ "udp://::1", "must be in brackets" },
	{ "udp://fe80::1:53", "must be in brackets" },
	{ "udp://[::1", "missing ']'" },
	{ "udp://[::1]x", "unexpected 'x' after ']'" },
	{ "udp://[::1]:", "empty port" },
	{ "udp://[]:53", "empty IPv6 address" },
	{ "udp://[::g]", "invalid character 'g' in IPv6 address" },
	{ "udp://[1::2::3]", "invalid IPv6 address" },
	{ "udp://[127.0.0.1]", "invalid IPv6 address" },
	{ "udp://[fe80::1%]", "empty zone" },
	{ "udp://[fe80::1%e/0]", "invalid character '/' in zone" },
	{ "udp://[fe80::1%abcdefghijklmnop]", "zone too long" },
	{ "udp://h:0", "out of range" },
	{ "udp://h:65536", "out of range" },
	{ "udp://h:99999999999", "out of range" },
	{ "udp://h:", "empty port" },
	{ "udp://h:x", "invalid port 'x'" },
	{ "udp://h:+53", "invalid port '+53'" },
	{ "udp://h:-1", "invalid port '-1'" },
	{ "udp://h:53/", "unexpected '/' after the port" },
	{ "udp://h:53x", "unexpected 'x' after the port" },
	{ "udp://h:53 ", "unexpected ' ' after the port" },
	{ "udp://h:53#f", "unexpected '#f' after the port" },
	{ "udp://h/path", "invalid character '/' in host" },
	{ "udp://h_1:53", "invalid character '_' in host" },
	{ "udp://user@h:53", "invalid character '@' in host" },
	{ "udp://h%41:53", "invalid character '%' in host" },
	{ "udp://h\x01:53", "invalid character 0x01 in host" },
	{ "udp://a..b", "empty label" },
	{ "udp://.a", "empty label" },
	{ "udp://-a", "cannot start with '-'" },
	{ "udp://a-", "cannot end with '-'" },
	{ "udp://a-.b", "cannot end with '-'" },
	{ "udp://" LONG63 "x.example", "label too long" },
	{ "udp://" LONG63 "." LONG63 "." LONG63 "." LONG63 ".abc",
	  "host too long" },
	{ "udp://1.2.3", "invalid IPv4 address" },
	{ "udp://256.1.1.1", "invalid IPv4 address" },
	{ "udp://1.2.3.4.5", "invalid IPv4 address" },
	{ "echo://h", "echo:// takes no host" },
	{ "echo://:5", "echo:// takes no host" },
	{ "tun://", "empty interface name" },
	{ "tun://tun0:5", "tun:// takes no port" },
	{ "tun://a/b", "invalid character '/' in interface name" },
	{ "tun://abcdefghijklmnop", "interface name too long" },
	{ "tun://[::1]", "tun:// takes an interface name" },
	{ "udp://h?", "empty query" },
	{ "udp://h?=v", "empty parameter name" },
	{ "udp://h?a=1&", "empty parameter name" },
	{ "udp://h?a=1&&b=2", "empty parameter name" },
	{ "udp://h?a b=1", "invalid character ' ' in parameter name" },
	{ "udp://h?a%41=1", "invalid character '%' in parameter name" },
	{ "udp://h?a=%4", "bad percent encoding" },
	{ "udp://h?a=%zz", "bad percent encoding" },
	{ "udp://h?a=%", "bad percent encoding" },
	{ "udp://h?a=%00", "control character %00" },
	{ "udp://h?a=%0a", "control character %0A" },
	{ "udp://h?a=x y", "invalid character ' ' in parameter value" },
	{ "udp://h?a=1#frag", "invalid character '#' in parameter value" },
	{ "udp://h?a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9",
	  "too many parameters (max 8)" },
	{ "udp://h?abcdefghijklmnopqrstuvwxyz0123456=1",
	  "parameter name too long" },
};

static void check_endpoint(const struct endpoint *ep, const struct uri_ok *c)
{
	assert_int_equal(ep->scheme, c->scheme);
	assert_string_equal(ep->host, c->host);
	assert_int_equal(ep->port, c->port);
	assert_int_equal(ep->nparams, c->nparams);
	if (c->key0 != NULL) {
		assert_string_equal(ep->params[0].key, c->key0);
		assert_string_equal(ep->params[0].value, c->value0);
	}
}

static bool endpoint_same(const struct endpoint *a, const struct endpoint *b)
{
	if (a->scheme != b->scheme || strcmp(a->host, b->host) != 0 ||
	    a->port != b->port || a->nparams != b->nparams)
		return false;
	for (size_t i = 0; i < a->nparams; i++) {
		if (strcmp(a->params[i].key, b->params[i].key) != 0 ||
		    strcmp(a->params[i].value, b->params[i].value) != 0)
			return false;
	}
	return true;
}

static void test_valid(void **state)
{
	for (size_t i = 0; i < sizeof(ok_cases) / sizeof(ok_cases[0]); i++) {
		const struct uri_ok *c = &ok_cases[i];
		struct endpoint ep;
		char err[256];
		int rc;

		rc = uri_parse(c->in, &ep, err, sizeof(err));
		if (rc != 0)
			fail_msg("%s: %s", c->in, err);
		check_endpoint(&ep, c);
		assert_string_equal(err, "");
	}
}

/* format, parse again: the same endpoint, the same text */
static void test_round_trip(void **state)
{
	for (size_t i = 0; i < sizeof(ok_cases) / sizeof(ok_cases[0]); i++) {
		const struct uri_ok *c = &ok_cases[i];
		struct endpoint ep, ep2;
		char buf[1024], buf2[1024], err[256];

		assert_int_equal(uri_parse(c->in, &ep, err, sizeof(err)), 0);
		assert_ptr_equal(uri_format(&ep, buf, sizeof(buf)), buf);
		assert_string_equal(buf, c->out != NULL ? c->out : c->in);
		if (uri_parse(buf, &ep2, err, sizeof(err)) != 0)
			fail_msg("%s -> %s: %s", c->in, buf, err);
		assert_true(endpoint_same(&ep, &ep2));
		uri_format(&ep2, buf2, sizeof(buf2));
		assert_string_equal(buf, buf2);
	}
}

static void test_invalid(void **state)
{
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]);
	     i++) {
		const struct uri_bad *c = &bad_cases[i];
		struct endpoint ep;
		char err[256];
		int rc;

		rc = uri_parse(c->in, &ep, err, sizeof(err));
		if (rc != -EINVAL)
			fail_msg("'%s' parsed (rc %d)", c->in, rc);
		if (strstr(err, c->msg) == NULL)
			fail_msg("'%s': error '%s', expected '%s'", c->in, err,
				 c->msg);
	}
}

/* limits that need built strings */
static void test_limits(void **state)
{
	char uri[600], err[256];
	struct endpoint ep;
	int n;

	/* a value of 127 bytes fits, 128 does not */
	n = snprintf(uri, sizeof(uri), "udp://h?k=%0127d", 0);
	assert_true(n > 0);
	assert_int_equal(uri_parse(uri, &ep, err, sizeof(err)), 0);
	assert_int_equal(strlen(ep.params[0].value), 127);
	snprintf(uri, sizeof(uri), "udp://h?k=%0128d", 0);
	assert_int_equal(uri_parse(uri, &ep, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "too long"));

	/* a key of 31 bytes fits */
	assert_int_equal(uri_parse("udp://h?abcdefghijklmnopqrstuvwxyz01234=1",
				   &ep, err, sizeof(err)), 0);

	/* a 253-character host name fits, with or without the final dot */
	n = snprintf(uri, sizeof(uri), "udp://%s.%s.%s.%s:1", LONG63, LONG63,
		     LONG63, LONG61);
	assert_int_equal(uri_parse(uri, &ep, err, sizeof(err)), 0);
	assert_int_equal(strlen(ep.host), 253);
	uri[n - 2] = '.';
	uri[n - 1] = '\0';
	assert_int_equal(uri_parse(uri, &ep, err, sizeof(err)), 0);
	assert_int_equal(strlen(ep.host), 254);

	/* a 15-character interface name fits */
	assert_int_equal(uri_parse("tun://abcdefghijklmno", &ep, err,
				   sizeof(err)), 0);
}

/* a small error buffer is always terminated; a NULL-sized one is left alone */
static void test_small_buffers(void **state)
{
	struct endpoint ep;
	char err[8], buf[12];

	memset(err, 'x', sizeof(err));
	assert_int_equal(uri_parse("foo://h", &ep, err, sizeof(err)), -EINVAL);
	assert_int_equal(strlen(err), sizeof(err) - 1);
	assert_int_equal(uri_parse("foo://h", &ep, err, 0), -EINVAL);

	assert_int_equal(uri_parse("dtls://[::1]:2083?a=b", &ep, NULL, 0), 0);
	memset(buf, 'x', sizeof(buf));
	uri_format(&ep, buf, sizeof(buf));
	assert_string_equal(buf, "dtls://[::1");
}

static void test_scheme_names(void **state)
{
	static const struct {
		enum scheme	 s;
		const char	*name;
		bool		 dtls;
	} t[] = {
		{ SCHEME_UDP, "udp", false },
		{ SCHEME_DTLS_UDP, "dtls", true },
		{ SCHEME_SCTP, "sctp", false },
		{ SCHEME_DTLS_SCTP, "dtls+sctp", true },
		{ SCHEME_DCCP, "dccp", false },
		{ SCHEME_DTLS_DCCP, "dtls+dccp", true },
		{ SCHEME_TCP, "tcp", false },
		{ SCHEME_TUN, "tun", false },
		{ SCHEME_ECHO, "echo", false },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_string_equal(scheme_name(t[i].s), t[i].name);
		assert_int_equal(scheme_is_dtls(t[i].s), t[i].dtls);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_small_buffers),
		cmocka_unit_test(test_scheme_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
