/*
 * Configuration: the INI loader, the command line, config_finish(),
 * config_route_equal(), the printers, fingerprints and profiles.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dtlsgw-config.h"
#include "dtlsgw/adapter.h"
#include "dtlsgw/config.h"
#include "dtlsgw/errors.h"
#include "dtlsgw/profile.h"
#include "tmpdir.h"

#define FP_HEX	"00112233445566778899aabbccddeeff" \
		"00112233445566778899AABBCCDDEEFF"
#define FP	"sha256:" FP_HEX
#define FP_LINE	"peer-fingerprint = " FP "\n"
#define FP4	FP_LINE FP_LINE FP_LINE FP_LINE
#define ROUTE	"[r]\nlisten = dtls://0.0.0.0:2083\n" \
		"forward = udp://127.0.0.1:1812\n"
#define I10	"iiiiiiiiii"
#define N16	"nnnnnnnnnnnnnnnn"

static char dir[TMPDIR_PATH_MAX];
static int nfiles;

static int group_setup(void **state)
{
	return tmpdir_create(dir) == 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
	tmpdir_remove(dir);
	return 0;
}

/* text into a new file of dir; its path into path */
static void write_conf(const char *text, char path[TMPDIR_PATH_MAX])
{
	char name[32];

	snprintf(name, sizeof(name), "test-%d.conf", nfiles++);
	assert_int_equal(tmpdir_write(dir, name, text, path), 0);
}

/* config_build() with "dtlsgw" and the NULL-terminated arguments */
static int build(struct config *cfg, struct config_error *err, ...)
{
	char *argv[64];
	int argc = 0;
	va_list ap;

	argv[argc++] = (char *)"dtlsgw";
	va_start(ap, err);
	for (char *a; (a = va_arg(ap, char *)) != NULL;) {
		assert_true(argc < 63);
		argv[argc++] = a;
	}
	va_end(ap);
	argv[argc] = NULL;
	return config_build(cfg, argc, argv, err);
}

static void expect_error(const struct config_error *err, const char *where,
			 const char *key, const char *msg)
{
	if (strcmp(err->where, where) != 0 || strcmp(err->key, key) != 0 ||
	    strstr(err->msg, msg) == NULL)
		fail_msg("got '%s' '%s' '%s', expected '%s' '%s' '...%s...'",
			 err->where, err->key, err->msg, where, key, msg);
}

static const struct route_config *route_named(const struct config *cfg,
					      const char *name)
{
	for (size_t i = 0; i < cfg->nroutes; i++) {
		if (strcmp(cfg->routes[i].name, name) == 0)
			return &cfg->routes[i];
	}
	fail_msg("no route %s", name);
	return NULL;
}

/*
 * The INI loader: a good file.
 */

static const char good_file[] =
	"; dtlsgw, a test\n"				/* 1 */
	"cert = /etc/dtlsgw/gw.pem\n"			/* 2 */
	"key  = /etc/dtlsgw/gw.key\n"			/* 3 */
	"ca   = /etc/dtlsgw/ca.pem\n"			/* 4 */
	"idle-timeout = 60\n"				/* 5 */
	"workers = 4\n"					/* 6 */
	"log-level = debug\n"				/* 7 */
	"metrics = [::1]:9100\n"			/* 8 */
	FP_LINE						/* 9 */
	"psk-identity = gw\n"				/* 10 */
	"psk = 000102030405060708090a0b0c0d0e0f\n"	/* 11 */
	"\n"						/* 12 */
	"[radius]\n"					/* 13 */
	"proto   = radius\n"				/* 14 */
	"listen  = dtls://0.0.0.0\n"			/* 15 */
	"forward = udp://127.0.0.1\n"			/* 16 */
	"secret  = testing123   ; inline comment\n"	/* 17 */
	"\n"						/* 18 */
	"# another comment\n"				/* 19 */
	"  [dns-out]  ; indented\n"			/* 20 */
	"  listen = udp://127.0.0.1:5353\n"		/* 21 */
	"  forward = dtls://[2001:db8::53]\n"		/* 22 */
	"  proto = dns\n"				/* 23 */
	"cert = /etc/dtlsgw/client.pem\n"		/* 24 */
	"key: /etc/dtlsgw/client.key\n"			/* 25 */
	"verify = require\n"				/* 26 */
	"idle-timeout = 30\n"				/* 27 */
	"max-sessions = 100\n"				/* 28 */
	"peer-fingerprint = sha256:ff:ee:dd:cc:bb:aa:99:88:77:66:55:44:33"
	":22:11:00:ff:ee:dd:cc:bb:aa:99:88:77:66:55:44:33:22:11:00\n"
	"peer-fingerprint = " FP "\n"			/* 30 */
	"psk = ffff\n";					/* 31 */

static void test_file_good(void **state)
{
	char path[TMPDIR_PATH_MAX], where[TMPDIR_PATH_MAX + 16];
	struct config_error err;
	struct config cfg;
	const struct route_config *r;

	write_conf(good_file, path);
	memset(&cfg, 0, sizeof(cfg));
	assert_int_equal(config_load_file(&cfg, path, &err), 0);
	assert_int_equal(config_finish(&cfg, &err), 0);

	assert_string_equal(cfg.file, path);
	assert_int_equal(cfg.workers, 4);
	assert_int_equal(cfg.log_level, LOG_LEVEL_DEBUG);
	assert_string_equal(cfg.metrics, "[::1]:9100");
	assert_int_equal(cfg.engine, ENGINE_WOLFSSL);
	assert_int_equal(cfg.nroutes, 2);

	/* inherits everything, default ports from the radius profile */
	r = &cfg.routes[0];
	assert_string_equal(r->name, "radius");
	snprintf(where, sizeof(where), "%s:13", path);
	assert_string_equal(r->where, where);
	assert_ptr_equal(r->profile, profile_find("radius"));
	assert_int_equal(r->listen.scheme, SCHEME_DTLS_UDP);
	assert_string_equal(r->listen.host, "0.0.0.0");
	assert_int_equal(r->listen.port, 2083);
	assert_int_equal(r->forward.scheme, SCHEME_UDP);
	assert_int_equal(r->forward.port, 1812);
	assert_string_equal(r->secret, "testing123");
	assert_string_equal(r->tls.cert, "/etc/dtlsgw/gw.pem");
	assert_string_equal(r->tls.key, "/etc/dtlsgw/gw.key");
	assert_string_equal(r->tls.ca, "/etc/dtlsgw/ca.pem");
	assert_ptr_not_equal(r->tls.cert, cfg.tls.cert); /* its own copy */
	assert_int_equal(r->tls.verify, VERIFY_DEFAULT);
	assert_int_equal(r->tls.nfingerprints, 1);
	assert_int_equal(r->tls.fingerprints[0][0], 0x00);
	assert_int_equal(r->tls.fingerprints[0][31], 0xff);
	assert_string_equal(r->tls.psk_identity, "gw");
	assert_int_equal(r->tls.psk_len, 16);
	assert_int_equal(r->tls.psk[15], 0x0f);
	assert_null(r->tls.ciphers);
	assert_int_equal(r->idle_timeout, 60);
	assert_int_equal(r->max_sessions, CONFIG_DEFAULT_MAX_SESSIONS);
	assert_int_equal(r->max_handshakes_per_source,
			 CONFIG_DEFAULT_MAX_HS_PER_SOURCE);

	/* overrides field by field */
	r = &cfg.routes[1];
	assert_string_equal(r->name, "dns-out");
	snprintf(where, sizeof(where), "%s:20", path);
	assert_string_equal(r->where, where);
	assert_ptr_equal(r->profile, profile_find("dns"));
	assert_int_equal(r->listen.port, 5353);
	assert_string_equal(r->forward.host, "2001:db8::53");
	assert_int_equal(r->forward.port, 853);
	assert_null(r->secret);
	assert_string_equal(r->tls.cert, "/etc/dtlsgw/client.pem");
	assert_string_equal(r->tls.key, "/etc/dtlsgw/client.key");
	assert_string_equal(r->tls.ca, "/etc/dtlsgw/ca.pem");
	assert_int_equal(r->tls.verify, VERIFY_REQUIRE);
	assert_int_equal(r->tls.nfingerprints, 2);
	assert_int_equal(r->tls.fingerprints[0][0], 0xff);
	assert_int_equal(r->tls.fingerprints[1][0], 0x00);
	assert_string_equal(r->tls.psk_identity, "gw");
	assert_int_equal(r->tls.psk_len, 2);
	assert_int_equal(r->idle_timeout, 30);
	assert_int_equal(r->max_sessions, 100);

	config_free(&cfg);
	assert_null(cfg.routes);
	assert_int_equal(cfg.nroutes, 0);
	config_free(&cfg);	/* on a zeroed config: nothing */
}

/* Defaults when nothing is set; CRLF, a BOM, "key: value". */
static void test_file_defaults(void **state)
{
	static const char text[] =
		"\xef\xbb\xbf; BOM\r\n"
		"[a]\r\n"
		"listen: udp://127.0.0.1:53\r\n"
		"forward = dtls://192.0.2.1\r\n"
		"proto = dns\r\n";
	struct config_error err;
	struct config cfg = { 0 };
	const struct route_config *r;

	assert_int_equal(config_load_string(&cfg, text, "mem.conf", &err), 0);
	assert_int_equal(config_finish(&cfg, &err), 0);
	assert_int_equal(cfg.workers, CONFIG_DEFAULT_WORKERS);
	assert_int_equal(cfg.log_level, LOG_LEVEL_INFO);
	assert_null(cfg.metrics);
	assert_null(cfg.keylog);
	r = &cfg.routes[0];
	assert_string_equal(r->where, "mem.conf:2");
	assert_int_equal(r->forward.port, 853);
	assert_int_equal(r->idle_timeout, CONFIG_DEFAULT_IDLE_TIMEOUT);
	assert_int_equal(r->max_sessions, CONFIG_DEFAULT_MAX_SESSIONS);
	assert_int_equal(r->max_handshakes_per_source,
			 CONFIG_DEFAULT_MAX_HS_PER_SOURCE);
	assert_null(r->tls.cert);
	assert_int_equal(r->tls.psk_len, 0);
	config_free(&cfg);
}

/* every profile's default ports, both directions; raw needs ports */
static void test_file_profile_ports(void **state)
{
	for (size_t i = 0; profile_at(i) != NULL; i++) {
		const struct profile *p = profile_at(i);
		struct config_error err;
		struct config cfg = { 0 };
		char text[512];
		int rc;

		bool snmp = strcmp(p->name, "snmp") == 0;

		/* snmp: a server side needs its maps, a client side its
		 * communities */
		snprintf(text, sizeof(text),
			 "[in]\nproto = %s\nlisten = dtls://0.0.0.0\n"
			 "forward = udp://127.0.0.1\n%s"
			 "[out]\nproto = %s\nlisten = udp://127.0.0.1\n"
			 "forward = dtls://192.0.2.1\n%s", p->name,
			 snmp ? "cert-sec-name = 1 " FP " --cn\n"
				"snmp-community = a b\n" : "",
			 p->name, snmp ? "snmp-community = a b\n" : "");
		rc = config_load_string(&cfg, text, "ports", &err);
		assert_int_equal(rc, 0);
		rc = config_finish(&cfg, &err);
		if (p->dtls_port == 0) {
			assert_int_equal(rc, -DTLSGW_ERR_CONFIG);
			expect_error(&err, "ports:1", "listen",
				     "no port and profile raw has no default");
		} else {
			assert_int_equal(rc, 0);
			assert_int_equal(cfg.routes[0].listen.port,
					 p->dtls_port);
			assert_int_equal(cfg.routes[0].forward.port,
					 p->clear_port);
			assert_int_equal(cfg.routes[1].listen.port,
					 p->clear_port);
			assert_int_equal(cfg.routes[1].forward.port,
					 p->dtls_port);
		}
		config_free(&cfg);
	}
}

/* an indented line is a key of its own, not a continuation of the last */
static void test_file_indented(void **state)
{
	struct config_error err;
	struct config cfg = { 0 };

	assert_int_equal(config_load_string(&cfg, "[r]\nlisten = udp://h:1\n"
					    "    forward = udp://h:2\n"
					    "\tsecret = x\n", "i", &err), 0);
	assert_int_equal(config_finish(&cfg, &err), 0);
	assert_string_equal(cfg.routes[0].listen.host, "h");
	assert_int_equal(cfg.routes[0].forward.port, 2);
	assert_string_equal(cfg.routes[0].secret, "x");

	/* config_finish() twice changes nothing */
	assert_int_equal(config_finish(&cfg, &err), 0);
	assert_int_equal(cfg.routes[0].forward.port, 2);
	config_free(&cfg);
}

/* a where too long for err->where loses the path's end, not the line */
static void test_long_where(void **state)
{
	char where[1024];
	struct config_error err;
	struct config cfg = { 0 };
	size_t n;

	memset(where, 'p', sizeof(where) - 1);
	where[sizeof(where) - 1] = '\0';
	assert_int_equal(config_load_string(&cfg, "\n\nbogus = 1\n", where,
					    &err), -DTLSGW_ERR_CONFIG);
	n = strlen(err.where);
	assert_int_equal(n, sizeof(err.where) - 1);
	assert_string_equal(err.where + n - 3, "p:3");
	config_free(&cfg);
}

/* echo:// as a forward, with no port needed; no proto gives raw */
static void test_file_echo(void **state)
{
	struct config_error err;
	struct config cfg = { 0 };

	assert_int_equal(config_load_string(&cfg, "[e]\nlisten = dtls://[::]:"
					    "4433\nforward = echo://\n", "e",
					    &err), 0);
	assert_int_equal(config_finish(&cfg, &err), 0);
	assert_ptr_equal(cfg.routes[0].profile, profile_default());
	assert_int_equal(cfg.routes[0].forward.scheme, SCHEME_ECHO);
	assert_int_equal(cfg.routes[0].forward.port, 0);
	config_free(&cfg);
}

/* lines up to 199 characters; section names up to 63, not cut at 49 */
static void test_file_long_lines(void **state)
{
	char text[1024], path[TMPDIR_PATH_MAX], where[TMPDIR_PATH_MAX + 16];
	char name[64];
	struct config_error err;
	struct config cfg = { 0 };
	int rc;

	/* "cert = " and 192 characters: 199 */
	snprintf(text, sizeof(text), "workers = 1\r\ncert = %0192d\r\n", 7);
	write_conf(text, path);
	assert_int_equal(config_load_file(&cfg, path, &err), 0);
	assert_int_equal(strlen(cfg.tls.cert), 192);
	config_free(&cfg);

	/* 200: refused, naming the line */
	snprintf(text, sizeof(text), "workers = 1\n\ncert = %0193d\n", 7);
	write_conf(text, path);
	rc = config_load_file(&cfg, path, &err);
	assert_int_equal(rc, -DTLSGW_ERR_CONFIG);
	snprintf(where, sizeof(where), "%s:3", path);
	expect_error(&err, where, "", "line too long (max 199 characters)");
	config_free(&cfg);

	/* a very long last line without a newline */
	snprintf(text, sizeof(text), "workers = 1\ncert = %0900d", 7);
	write_conf(text, path);
	assert_int_equal(config_load_file(&cfg, path, &err),
			 -DTLSGW_ERR_CONFIG);
	snprintf(where, sizeof(where), "%s:2", path);
	expect_error(&err, where, "", "line too long");
	config_free(&cfg);

	memset(name, 'n', 63);
	name[63] = '\0';
	snprintf(text, sizeof(text), "[%s]\nlisten = udp://h:1\n"
		 "forward = udp://h:2\n[%.50s]\nlisten = udp://h:3\n"
		 "forward = udp://h:4\n", name, name);
	assert_int_equal(config_load_string(&cfg, text, "long", &err), 0);
	assert_int_equal(config_finish(&cfg, &err), 0);
	assert_string_equal(cfg.routes[0].name, name);
	assert_int_equal(strlen(cfg.routes[1].name), 50);
	config_free(&cfg);
}

static void test_file_nul_byte(void **state)
{
	static const char text[] = "workers = 1\nca = a\0b\n";
	char path[TMPDIR_PATH_MAX], where[TMPDIR_PATH_MAX + 16];
	struct config_error err;
	struct config cfg = { 0 };

	assert_int_equal(tmpdir_write_bytes(dir, "nul.conf", text,
					    sizeof(text) - 1, path), 0);
	assert_int_equal(config_load_file(&cfg, path, &err),
			 -DTLSGW_ERR_CONFIG);
	snprintf(where, sizeof(where), "%s:2", path);
	expect_error(&err, where, "", "NUL byte");
	config_free(&cfg);
}

static void test_file_unreadable(void **state)
{
	char path[TMPDIR_PATH_MAX + 32];
	struct config_error err;
	struct config cfg = { 0 };

	snprintf(path, sizeof(path), "%s/does-not-exist.conf", dir);
	assert_int_equal(config_load_file(&cfg, path, &err),
			 -DTLSGW_ERR_CONFIG);
	expect_error(&err, path, "", "cannot open: No such file or directory");
	config_free(&cfg);

	/* a directory opens, and fails on the first read */
	assert_int_equal(config_load_file(&cfg, dir, &err),
			 -DTLSGW_ERR_CONFIG);
	expect_error(&err, dir, "", "read error: Is a directory");
	config_free(&cfg);
}

/*
 * The INI loader: every error, with where (line; 0: the file itself), key
 * and message.
 */

struct file_bad {
	const char	*text;
	int		 line;
	const char	*key;
	const char	*msg;
	const char	*never;	/* must not appear in the message */
};

static const struct file_bad file_cases[] = {
	/* syntax */
	{ "workers = 1\nnokey\n", 2, "", "syntax error", NULL },
	{ "[radius\nlisten = udp://h:1\n", 1, "", "syntax error", NULL },
	{ "nokey\nbogus = 1\n", 1, "", "syntax error", NULL },
	{ "bogus = 1\nnokey\n", 1, "bogus", "unknown key", NULL },
	{ ROUTE "[s]\n\n  = 5\n", 6, "", "syntax error", NULL },
	/* keys in the wrong place */
	{ "; c\n\nbogus = 1\n", 3, "bogus", "unknown key", NULL },
	{ ROUTE "Listen = udp://h:1\n", 4, "Listen", "unknown key", NULL },
	{ "listen = udp://h:1\n", 1, "listen", "only inside a [section]",
	  NULL },
	{ "forward = udp://h:1\n", 1, "forward", "only inside a [section]",
	  NULL },
	{ "workers = 2\nproto = radius\n", 2, "proto",
	  "only inside a [section]", NULL },
	{ "secret = s3cr3t\n", 1, "secret", "only inside a [section]",
	  "s3cr3t" },
	{ "[r]\nworkers = 2\n", 2, "workers", "not inside a [section]", NULL },
	{ ROUTE "keylog = /tmp/k\n", 4, "keylog", "not inside a [section]",
	  NULL },
	{ ROUTE "engine = wolfssl\n", 4, "engine", "not inside a [section]",
	  NULL },
	{ ROUTE "metrics = 127.0.0.1:9100\n", 4, "metrics",
	  "not inside a [section]", NULL },
	{ ROUTE "log-level = info\n", 4, "log-level",
	  "not inside a [section]", NULL },
	{ "check = yes\n", 1, "check", "only on the command line", NULL },
	{ "config = /etc/x\n", 1, "config", "only on the command line", NULL },
	{ ROUTE "cert-sec-name = 1 00aa --cn\n", 4, "cert-sec-name",
	  "invalid fingerprint '00aa'", NULL },
	{ ROUTE "cert-sec-name = 1 " FP " --cn extra\n", 4, "cert-sec-name",
	  "unexpected 'extra' after the map type", NULL },
	{ ROUTE "cert-sec-name = 1 " FP " --sn\n", 4, "cert-sec-name",
	  "--sn needs a security name", NULL },
	{ ROUTE "cert-sec-name = x " FP " --cn\n", 4, "cert-sec-name",
	  "the priority is a number", NULL },
	{ ROUTE "snmp-community = \"a public\n", 4, "snmp-community",
	  "no closing", "public" },
	{ ROUTE "snmp-community = a public\nsnmp-community = a s3cr3t\n", 5,
	  "snmp-community", "security name 'a' given a community twice",
	  "s3cr3t" },
	/* twice */
	{ "cert = a\nkey = b\ncert = c\n", 3, "cert",
	  "given twice (first on line 1)", NULL },
	{ "[r]\nlisten = udp://h:1\nforward = udp://h:2\nlisten = udp://h:3\n",
	  4, "listen", "given twice (first on line 2)", NULL },
	{ "[r]\nsecret = a\n\nsecret = bbbbbb\n", 4, "secret",
	  "given twice (first on line 2)", "bbbbbb" },
	{ "psk = 00\n[r]\npsk = 01\npsk = 02\n", 4, "psk",
	  "given twice (first on line 3)", NULL },
	{ "workers = 1\nworkers = 1\n", 2, "workers",
	  "given twice (first on line 1)", NULL },
	{ ROUTE "[s]\n[r]\n", 5, "",
	  "section [r] given twice (first on line 1)", NULL },
	/* section names */
	{ "[bad name]\n", 1, "", "invalid section name 'bad name'", NULL },
	{ "[]\n", 1, "", "invalid section name ''", NULL },
	{ "[a/b]\n", 1, "", "invalid section name 'a/b'", NULL },
	{ "[" N16 N16 N16 N16 "]\n",
	  1, "", "invalid section name", NULL },
	{ "[r] x\n", 1, "", "unexpected text after ']'", NULL },
	/* values */
	{ "cert =\n", 1, "cert", "empty value", NULL },
	{ "verify = maybe\n", 1, "verify",
	  "invalid value 'maybe' (expected none, optional or require)", NULL },
	{ "verify = Require\n", 1, "verify", "invalid value 'Require'", NULL },
	{ "log-level = loud\n", 1, "log-level",
	  "invalid value 'loud' (expected error, warn, info or debug)", NULL },
	{ "engine = gnutls\n", 1, "engine",
	  "invalid value 'gnutls' (expected wolfssl or openssl)", NULL },
	{ "peer-fingerprint = sha1:0011\n", 1, "peer-fingerprint",
	  "invalid fingerprint 'sha1:0011'", NULL },
	{ "peer-fingerprint = sha256:0011\n", 1, "peer-fingerprint",
	  "invalid fingerprint", NULL },
	{ "peer-fingerprint = " FP "00\n", 1, "peer-fingerprint",
	  "invalid fingerprint", NULL },
	{ FP4 FP4 FP4 FP4 FP_LINE, 17, "peer-fingerprint",
	  "too many fingerprints (max 16)", NULL },
	{ "psk = 12345g\n", 1, "psk", "invalid hex", "12345g" },
	{ "psk = abc\n", 1, "psk", "invalid hex (odd number of digits)",
	  "abc" },
	{ "psk = " FP_HEX FP_HEX "00\n", 1, "psk", "too long (max 64 bytes",
	  FP_HEX },
	{ "psk-identity = " I10 I10 I10 I10 I10 I10 I10 I10 I10 I10 I10 I10
	  I10 "i\n", 1, "psk-identity", "too long (max 128 characters)", NULL },
	{ "idle-timeout = abc\n", 1, "idle-timeout", "'abc' is not a number",
	  NULL },
	{ "workers = -1\n", 1, "workers", "'-1' is not a number", NULL },
	{ "workers = 1.5\n", 1, "workers", "'1.5' is not a number", NULL },
	{ "workers = 0x10\n", 1, "workers", "'0x10' is not a number", NULL },
	{ "idle-timeout = 0\n", 1, "idle-timeout",
	  "'0' is out of range (1-604800)", NULL },
	{ "idle-timeout = 604801\n", 1, "idle-timeout", "out of range", NULL },
	{ "max-sessions = 10000001\n", 1, "max-sessions",
	  "out of range (1-10000000)", NULL },
	{ "max-handshakes-per-source = 0\n", 1, "max-handshakes-per-source",
	  "out of range (1-100000)", NULL },
	{ "max-handshakes-per-source = 100001\n", 1,
	  "max-handshakes-per-source", "out of range", NULL },
	{ "workers = 257\n", 1, "workers", "'257' is out of range (1-256)",
	  NULL },
	{ "workers = 99999999999999999999999999\n", 1, "workers",
	  "out of range", NULL },
	{ "metrics = localhost\n", 1, "metrics",
	  "invalid address 'localhost': no port", NULL },
	{ "metrics = ::1:9100\n", 1, "metrics", "must be in brackets", NULL },
	{ "metrics = [::1]\n", 1, "metrics", "expected ':PORT'", NULL },
	{ "metrics = [::1:9100\n", 1, "metrics", "missing ']'", NULL },
	{ "metrics = 127.0.0.1:0\n", 1, "metrics", "out of range", NULL },
	{ "metrics = :9100\n", 1, "metrics", "empty host", NULL },
	{ "[r]\nlisten = udp://[::1\n", 2, "listen",
	  "invalid URI 'udp://[::1': missing ']'", NULL },
	{ "[r]\nforward = udp://h:0\n", 2, "forward", "invalid URI", NULL },
	{ "[r]\nproto = radiuss\n", 2, "proto", "unknown profile 'radiuss' "
	  "(radius, snmp, diameter, stun, sip, mpls-udp, gre-udp, syslog, "
	  "dns, raw)", NULL },
	{ "[r]\nsecret =\n", 2, "secret", "empty value", NULL },
	{ "[r]\n = x\n", 2, "", "syntax error", NULL },
	/* schemes this build does not run */
#if HAVE_SCTP
	/* sctp's parameters */
	{ "[r]\nlisten = sctp://0.0.0.0:1?encap=ip\n", 2, "listen",
	  "encap=ip: udp (RFC 6951) or raw (IP protocol 132)", NULL },
	{ "[r]\nlisten = sctp://0.0.0.0:1?encap-port=0\n", 2, "listen",
	  "encap-port=0: a number from 1 to 65535", NULL },
	{ "[r]\nlisten = sctp://0.0.0.0:1?streams=2000\n", 2, "listen",
	  "streams=2000: a number from 1 to 1024", NULL },
	{ "[r]\nlisten = sctp://0.0.0.0:1?ttl=3\n", 2, "listen",
	  "unknown sctp parameter 'ttl'", NULL },
	{ "[r]\nlisten = dtls+sctp://0.0.0.0:1?encap=tcp\n", 2, "listen",
	  "encap=tcp: udp (RFC 6951) or raw", NULL },
#else
	{ "[r]\nlisten = sctp://0.0.0.0:1\n", 2, "listen",
	  "scheme 'sctp' is not supported by this build yet", NULL },
#endif
#if HAVE_DCCP
	/* dccp's parameters */
	{ "[r]\nlisten = dtls://0.0.0.0:1\nforward = dtls+dccp://h:1?encap=ip\n",
	  3, "forward", "encap=ip: udp (RFC 6773), raw (IP protocol 33) or "
	  "kernel (SOCK_DCCP)", NULL },
	{ "[r]\nlisten = dccp://0.0.0.0:1?service=4294967295\n", 2, "listen",
	  "service=4294967295: a number from 0 to 4294967294", NULL },
	{ "[r]\nlisten = dccp://0.0.0.0:1?service=ABCDE\n", 2, "listen",
	  "service=ABCDE: a number from 0 to 4294967294", NULL },
	{ "[r]\nlisten = dccp://0.0.0.0:1?mtu=100\n", 2, "listen",
	  "mtu=100: a number from 576 to 65535", NULL },
	{ "[r]\nlisten = dccp://0.0.0.0:1?encap-port=70000\n", 2, "listen",
	  "encap-port=70000: a number from 1 to 65535", NULL },
	{ "[r]\nlisten = dccp://0.0.0.0:1?streams=2\n", 2, "listen",
	  "unknown dccp parameter 'streams' (encap, encap-port, service, mtu)",
	  NULL },
#else
	{ "[r]\nlisten = dtls://0.0.0.0:1\nforward = dtls+dccp://h:1\n", 3,
	  "forward", "scheme 'dtls+dccp' is not supported by this build yet",
	  NULL },
#endif
	{ "[r]\nforward = tun://tun0?mtu=10\n", 2, "forward",
	  "mtu=10: a number from 576", NULL },
	{ "[r]\nforward = tun://tun0?color=blue\n", 2, "forward",
	  "unknown tun parameter 'color'", NULL },
	{ "[r]\nlisten = echo://\n", 2, "listen",
	  "echo:// can only be a forward", NULL },
	{ "[r]\nlisten = udp://0.0.0.0:4754?reply-port=0\n", 2, "listen",
	  "reply-port=0: a number from 1 to 65535", NULL },
	{ "[r]\nforward = udp://h:4754?flows=2000\n", 2, "forward",
	  "flows=2000: a number from 1 to 1024", NULL },
	{ "[r]\nforward = udp://h:4754?reply-port=1\n", 2, "forward",
	  "unknown udp parameter 'reply-port' on a forward side "
	  "(local-port, flows)", NULL },
	/* config_finish() */
	{ "\n[r]\nlisten = dtls://0.0.0.0:1\n", 2, "forward",
	  "route r: no forward", NULL },
	{ "[r]\nforward = udp://h:1\n", 1, "listen", "route r: no listen",
	  NULL },
	{ "[r]\nlisten = udp://0.0.0.0:1?flows=2\nforward = dtls://h:2\n", 1,
	  "listen", "route r: udp:// parameters only with proto gre-udp or "
	  "mpls-udp", NULL },
	{ "[r]\nlisten = dtls://0.0.0.0\nforward = udp://127.0.0.1:1812\n", 1,
	  "listen", "dtls://0.0.0.0: no port and profile raw has no default",
	  NULL },
	{ "[r]\nlisten = dtls://0.0.0.0:1\nforward = udp://127.0.0.1\n", 1,
	  "forward", "udp://127.0.0.1: no port and profile raw has no default",
	  NULL },
#if !HAVE_OPENSSL
	{ "engine = openssl\n" ROUTE, 0, "engine",
	  "engine openssl is not built into this dtlsgw", NULL },
#endif
	{ "key = k.pem\n" ROUTE, 0, "key", "key without cert", NULL },
	{ "cert = c.pem\n" ROUTE, 0, "cert", "cert without key", NULL },
	{ "psk-identity = me\n" ROUTE, 0, "psk-identity",
	  "psk-identity without psk", NULL },
	{ "psk = 0011\n" ROUTE, 0, "psk", "psk without psk-identity", "0011" },
	{ "\n" ROUTE "psk = 0011\n", 2, "psk",
	  "route r: psk without psk-identity", "0011" },
	{ "\n\n" ROUTE "cert = c.pem\n", 3, "cert", "route r: cert without key",
	  NULL },
	{ ROUTE "key = k.pem\n", 1, "key", "route r: key without cert", NULL },
	{ ROUTE "psk-identity = me\n", 1, "psk-identity",
	  "psk-identity without psk", NULL },
	{ ROUTE "acct-port = 1813\n", 1, "acct-port",
	  "route r: only with proto radius", NULL },
	{ ROUTE "watchdog = 5\n", 1, "watchdog",
	  "route r: only with proto radius", NULL },
	{ ROUTE "proto = radius\nsecret = s\nacct-port = 70000\n", 6,
	  "acct-port", "out of range (0-65535)", NULL },
	{ ROUTE "proto = radius\nsecret = s\nstatus-server = maybe\n", 6,
	  "status-server", "expected forward or local", NULL },
	{ ROUTE "proto = radius\nsecret = s\nwatchdog = 9999\n", 6,
	  "watchdog", "out of range (0-3600)", NULL },
	{ "user = no-such-user-dtlsgw\n" ROUTE, 1, "user",
	  "no such user 'no-such-user-dtlsgw'", NULL },
	{ "chroot = var/empty\n" ROUTE, 1, "chroot",
	  "'var/empty' is not an absolute path", NULL },
	{ ROUTE "user = root\n", 4, "user", "a global key", NULL },
	{ ROUTE "crl = \n", 4, "crl", "empty value", NULL },
	{ ROUTE "crl = r.crl\n", 1, "crl", "route r: crl without ca", NULL },
	{ "workers = 2\n", 0, "", "no routes", NULL },
	{ "", 0, "", "no routes: give --listen/--forward or a config file",
	  NULL },
	{ "; only a comment\n", 0, "", "no routes", NULL },
};

static void test_file_errors(void **state)
{
	for (size_t i = 0; i < sizeof(file_cases) / sizeof(file_cases[0]);
	     i++) {
		const struct file_bad *c = &file_cases[i];
		char path[TMPDIR_PATH_MAX], where[TMPDIR_PATH_MAX + 16];
		struct config_error err;
		struct config cfg = { 0 };
		int rc;

		write_conf(c->text, path);
		rc = config_load_file(&cfg, path, &err);
		if (rc == 0)
			rc = config_finish(&cfg, &err);
		if (rc != -DTLSGW_ERR_CONFIG)
			fail_msg("case %zu (%s): rc %d", i, c->msg, rc);
		if (c->line > 0)
			snprintf(where, sizeof(where), "%s:%d", path, c->line);
		else
			snprintf(where, sizeof(where), "%s", path);
		if (strcmp(err.where, where) != 0 ||
		    strcmp(err.key, c->key) != 0 ||
		    strstr(err.msg, c->msg) == NULL)
			fail_msg("case %zu: got '%s' '%s' '%s', expected "
				 "'%s' '%s' '...%s...'", i, err.where, err.key,
				 err.msg, where, c->key, c->msg);
		if (c->never != NULL && strstr(err.msg, c->never) != NULL)
			fail_msg("case %zu: '%s' in '%s'", i, c->never,
				 err.msg);
		config_free(&cfg);
	}
}

/* user, chroot (global) and crl (global, merged into routes) */
static void test_file_operator_keys(void **state)
{
	static const char text[] =
		"user = root\nchroot = /var/empty\nca = /etc/ca.pem\ncrl = /etc/g.crl\n"
		"[a]\nlisten = dtls://0.0.0.0:1\nforward = udp://127.0.0.1:2\n"
		"[b]\nlisten = dtls://0.0.0.0:3\nforward = udp://127.0.0.1:4\n"
		"crl = /etc/b.crl\n";
	struct config_error err;
	struct config cfg = { 0 }, other = { 0 };

	(void)state;
	assert_int_equal(config_load_string(&cfg, text, "ops", &err), 0);
	assert_int_equal(config_finish(&cfg, &err), 0);
	assert_string_equal(cfg.user, "root");
	assert_string_equal(cfg.chroot, "/var/empty");
	assert_string_equal(route_named(&cfg, "a")->tls.crl, "/etc/g.crl");
	assert_string_equal(route_named(&cfg, "b")->tls.crl, "/etc/b.crl");
	/* a route whose CRL changed is not the same route */
	assert_int_equal(config_load_string(&other, text, "ops", &err), 0);
	assert_int_equal(config_finish(&other, &err), 0);
	assert_true(config_route_equal(route_named(&cfg, "b"),
				       route_named(&other, "b")));
	free(other.routes[1].tls.crl);
	other.routes[1].tls.crl = strdup("/etc/c.crl");
	assert_false(config_route_equal(route_named(&cfg, "b"),
					route_named(&other, "b")));
	config_free(&cfg);
	config_free(&other);
}

/* config_load_string() names its errors after its where argument */
static void test_string_errors(void **state)
{
	struct config_error err;
	struct config cfg = { 0 };

	assert_int_equal(config_load_string(&cfg, "[r]\nbogus = 1\n",
					    "inline", &err),
			 -DTLSGW_ERR_CONFIG);
	expect_error(&err, "inline:2", "bogus", "unknown key");
	config_free(&cfg);
}

/*
 * The command line.
 */

static void test_args_routes(void **state)
{
	struct config_error err;
	struct config cfg;
	const struct route_config *r;
	int rc;

	rc = build(&cfg, &err,
		   "--cert", "/g.pem", "--key=/g.key", "--idle-timeout", "77",
		   "-l", "dtls://0.0.0.0", "-f", "udp://127.0.0.1",
		   "-p", "radius", "--secret", "s", "--workers", "3",
		   "--listen=udp://127.0.0.1:5353", "--forward=dtls://[::1]",
		   "--proto=dns", "--cert", "/r.pem", "--key", "/r.key",
		   "--idle-timeout=5", "--peer-fingerprint", FP,
		   "--log-level=warn", NULL);
	if (rc != 0)
		fail_msg("%s: %s: %s", err.where, err.key, err.msg);
	assert_int_equal(cfg.action, CONFIG_ACTION_RUN);
	assert_null(cfg.file);
	assert_int_equal(cfg.workers, 3);
	assert_int_equal(cfg.log_level, LOG_LEVEL_WARN);
	assert_int_equal(cfg.nroutes, 2);

	r = &cfg.routes[0];
	assert_string_equal(r->name, "route-1");
	assert_string_equal(r->where, "command line");
	assert_ptr_equal(r->profile, profile_find("radius"));
	assert_int_equal(r->listen.port, 2083);
	assert_int_equal(r->forward.port, 1812);
	assert_string_equal(r->secret, "s");
	assert_string_equal(r->tls.cert, "/g.pem");
	assert_string_equal(r->tls.key, "/g.key");
	assert_int_equal(r->idle_timeout, 77);
	assert_int_equal(r->tls.nfingerprints, 0);

	r = &cfg.routes[1];
	assert_string_equal(r->name, "route-2");
	assert_int_equal(r->listen.port, 5353);
	assert_string_equal(r->forward.host, "::1");
	assert_int_equal(r->forward.port, 853);
	assert_string_equal(r->tls.cert, "/r.pem");
	assert_string_equal(r->tls.key, "/r.key");
	assert_int_equal(r->idle_timeout, 5);
	assert_int_equal(r->tls.nfingerprints, 1);
	assert_null(r->secret);
	config_free(&cfg);
}

/* short options with the value attached */
static void test_args_short(void **state)
{
	struct config_error err;
	struct config cfg;

	assert_int_equal(build(&cfg, &err, "-ludp://127.0.0.1:5",
			       "-fdtls://192.0.2.1", "-pstun", NULL), 0);
	assert_int_equal(cfg.routes[0].forward.port, 5349);
	config_free(&cfg);
}

/* the command line's globals override the file's; its routes come after */
static void test_args_override_file(void **state)
{
	static const char text[] =
		"workers = 2\n"
		"log-level = error\n"
		"cert = /f.pem\n"
		"key = /f.key\n"
		"idle-timeout = 10\n"
		FP_LINE FP_LINE
		"[file-route]\n"
		"listen = dtls://0.0.0.0:1\n"
		"forward = udp://127.0.0.1:2\n";
	char path[TMPDIR_PATH_MAX];
	struct config_error err;
	struct config cfg;
	const struct route_config *r;
	int rc;

	write_conf(text, path);
	rc = build(&cfg, &err, "--workers", "8", "-c", path, "--cert",
		   "/c.pem", "--key", "/c.key", "--peer-fingerprint",
		   "sha256:" FP_HEX, "-l", "udp://127.0.0.1:3", "-f",
		   "dtls://192.0.2.1:4", NULL);
	if (rc != 0)
		fail_msg("%s: %s: %s", err.where, err.key, err.msg);
	assert_string_equal(cfg.file, path);
	assert_int_equal(cfg.workers, 8);
	assert_int_equal(cfg.log_level, LOG_LEVEL_ERROR);
	assert_int_equal(cfg.nroutes, 2);
	r = route_named(&cfg, "file-route");
	assert_ptr_equal(r, &cfg.routes[0]);
	assert_string_equal(r->tls.cert, "/c.pem");
	assert_string_equal(r->tls.key, "/c.key");
	assert_int_equal(r->tls.nfingerprints, 1); /* replaced, not added */
	assert_int_equal(r->idle_timeout, 10);
	r = route_named(&cfg, "route-1");
	assert_string_equal(r->tls.cert, "/c.pem");
	config_free(&cfg);
}

/* the file's route names and the command line's must differ */
static void test_args_name_clash(void **state)
{
	char path[TMPDIR_PATH_MAX], where[TMPDIR_PATH_MAX + 32];
	struct config_error err;
	struct config cfg;

	write_conf("[route-1]\nlisten = udp://h:1\nforward = udp://h:2\n",
		   path);
	assert_int_equal(build(&cfg, &err, "-c", path, "-l", "udp://h:3",
			       "-f", "udp://h:4", NULL), -DTLSGW_ERR_CONFIG);
	snprintf(where, sizeof(where), "used twice (first at %s:1)", path);
	expect_error(&err, "command line", "", where);
	assert_null(cfg.routes);	/* freed */
}

/* a global check names whichever source set the key */
static void test_args_where_of_globals(void **state)
{
	char path[TMPDIR_PATH_MAX];
	struct config_error err;
	struct config cfg;

	write_conf("cert = c.pem\nkey = k.pem\npsk-identity = me\n" ROUTE,
		   path);
	assert_int_equal(build(&cfg, &err, "-c", path, NULL),
			 -DTLSGW_ERR_CONFIG);
	expect_error(&err, path, "psk-identity", "psk-identity without psk");

	/* the command line completes the file's pair */
	assert_int_equal(build(&cfg, &err, "-c", path, "--psk", "00", NULL),
			 0);
	assert_int_equal(cfg.routes[0].tls.psk_len, 1);
	assert_string_equal(cfg.routes[0].tls.psk_identity, "me");
	config_free(&cfg);

	write_conf("cert = c.pem\nkey = k.pem\n" ROUTE, path);
	assert_int_equal(build(&cfg, &err, "-c", path, "--psk", "00", NULL),
			 -DTLSGW_ERR_CONFIG);
	expect_error(&err, "command line", "psk", "psk without psk-identity");
#if HAVE_OPENSSL
	/* the engine is global, and every route runs on it */
	write_conf("engine = openssl\n" ROUTE, path);
	assert_int_equal(build(&cfg, &err, "-c", path, NULL), 0);
	assert_int_equal(cfg.engine, ENGINE_OPENSSL);
	assert_int_equal(cfg.routes[0].engine, ENGINE_OPENSSL);
	config_free(&cfg);
	assert_int_equal(build(&cfg, &err, "-c", path, "--engine", "wolfssl",
			       NULL), 0);
	assert_int_equal(cfg.routes[0].engine, ENGINE_WOLFSSL);
	config_free(&cfg);
	write_conf(ROUTE, path);
	assert_int_equal(build(&cfg, &err, "-c", path, "--engine", "openssl",
			       NULL), 0);
	assert_int_equal(cfg.engine, ENGINE_OPENSSL);
	assert_int_equal(cfg.routes[0].engine, ENGINE_OPENSSL);
	config_free(&cfg);
#else
	assert_int_equal(build(&cfg, &err, "-c", path, "--engine", "openssl",
			       NULL), -DTLSGW_ERR_CONFIG);
	expect_error(&err, "command line", "engine", "engine openssl");
#endif
}

static void test_args_actions(void **state)
{
	static const struct {
		const char		*arg;
		enum config_action	 action;
	} t[] = {
		{ "--help", CONFIG_ACTION_HELP },
		{ "-h", CONFIG_ACTION_HELP },
		{ "--version", CONFIG_ACTION_VERSION },
		{ "--list-protocols", CONFIG_ACTION_LIST_PROTOCOLS },
	};
	struct config_error err;
	struct config cfg;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		/* no routes needed; the file is not even read */
		assert_int_equal(build(&cfg, &err, "-c", "/nonexistent/x.conf",
				       (char *)t[i].arg, NULL), 0);
		assert_int_equal(cfg.action, t[i].action);
		assert_int_equal(cfg.nroutes, 0);
		config_free(&cfg);
	}
	/* --help wins */
	assert_int_equal(build(&cfg, &err, "--check", "--version", "--help",
			       "--list-protocols", NULL), 0);
	assert_int_equal(cfg.action, CONFIG_ACTION_HELP);
	config_free(&cfg);

	assert_int_equal(build(&cfg, &err, "--check", "-l", "udp://h:1", "-f",
			       "echo://", NULL), 0);
	assert_int_equal(cfg.action, CONFIG_ACTION_CHECK);
	config_free(&cfg);

	assert_int_equal(build(&cfg, &err, "--check", NULL),
			 -DTLSGW_ERR_CONFIG);
	expect_error(&err, "command line", "",
		     "no routes: give --listen/--forward or a config file");
	assert_int_equal(build(&cfg, &err, NULL), -DTLSGW_ERR_CONFIG);
	expect_error(&err, "command line", "", "no routes");
}

struct args_bad {
	const char	*argv[12];
	const char	*where;	/* NULL: "command line" */
	const char	*key;
	const char	*msg;
	const char	*never;
};

#define L	"-l", "dtls://0.0.0.0:1"
#define F	"-f", "udp://127.0.0.1:2"

static const struct args_bad args_cases[] = {
	{ { "--bogus", NULL }, NULL, "bogus", "unknown option '--bogus'",
	  NULL },
	{ { "--bogus=x", NULL }, NULL, "bogus", "unknown option '--bogus'",
	  NULL },
	{ { "-x", NULL }, NULL, "", "unknown option '-x'", NULL },
	{ { "-hx", NULL }, NULL, "", "unknown option '-hx'", NULL },
	{ { "stray", NULL }, NULL, "", "unexpected argument 'stray'", NULL },
	{ { "-", NULL }, NULL, "", "unexpected argument '-'", NULL },
	{ { L, F, "--secret", "open", "sesame", NULL }, NULL, "",
	  "unexpected argument 7 (after a secret", "sesame" },
	{ { "--listen", NULL }, NULL, "listen", "--listen needs a value",
	  NULL },
	{ { L, "-f", NULL }, NULL, "forward", "--forward needs a value",
	  NULL },
	{ { "--listen", "--forward", "udp://h:1", NULL }, NULL, "listen",
	  "needs a value", NULL },
	{ { "--check=yes", NULL }, NULL, "check", "--check takes no value",
	  NULL },
	{ { "-c", NULL }, NULL, "config", "needs a value", NULL },
	{ { "-c", "a", "-c", "b", NULL }, NULL, "config", "given twice",
	  NULL },
	{ { "-c", "/nonexistent/dtlsgw.conf", NULL },
	  "/nonexistent/dtlsgw.conf", "",
	  "cannot open: No such file or directory", NULL },
	{ { F, L, NULL }, NULL, "forward", "--forward before --listen", NULL },
	{ { "-p", "radius", L, F, NULL }, NULL, "proto",
	  "--proto before --listen", NULL },
	{ { "--secret", "xyzzy", L, F, NULL }, NULL, "secret",
	  "--secret before --listen", "xyzzy" },
	{ { L, F, "-f", "udp://h:3", NULL }, NULL, "forward",
	  "given twice for route route-1", NULL },
	{ { L, F, "--cert", "a", "--cert", "b", NULL }, NULL, "cert",
	  "given twice for route route-1", NULL },
	{ { "--workers", "1", L, F, "--workers", "2", NULL }, NULL, "workers",
	  "given twice", NULL },
	{ { "--cert", "a", "--cert=b", L, F, NULL }, NULL, "cert",
	  "given twice", NULL },
	{ { L, F, "--psk", "zz11", NULL }, NULL, "psk", "invalid hex", "zz11" },
	{ { L, F, "--psk", "0011", NULL }, NULL, "psk",
	  "route route-1: psk without psk-identity", "0011" },
	{ { L, F, "--verify", "sometimes", NULL }, NULL, "verify",
	  "invalid value 'sometimes'", NULL },
	{ { L, F, "--cert-sec-name", "1 x --cn", NULL }, NULL,
	  "cert-sec-name", "invalid fingerprint 'x'", NULL },
	{ { L, F, "--cert-sec-name", "1 " FP " --cn", NULL }, NULL,
	  "cert-sec-name", "route route-1: only with proto snmp", NULL },
	{ { L, F, "--snmp-community", "n public", NULL }, NULL,
	  "snmp-community", "route route-1: only with proto snmp", "public" },
	{ { L, F, "-p", "snmp", "--snmp-community", "n public", NULL }, NULL,
	  "cert-sec-name", "the snmp server side needs cert-sec-name",
	  "public" },
	{ { L, F, "-p", "snmp", "--cert-sec-name", "1 " FP " --cn", NULL },
	  NULL, "snmp-community", "the snmp server side needs "
	  "snmp-community", NULL },
	{ { "-l", "udp://127.0.0.1:1", "-f", "dtls://127.0.0.1:2", "-p",
	    "snmp", NULL }, NULL, "snmp-community", "the snmp client side "
	  "needs snmp-community", NULL },
	{ { "-l", "udp://127.0.0.1:1", "-f", "dtls://127.0.0.1:2", "-p",
	    "snmp", "--snmp-map", "n public", NULL }, NULL, "snmp-map",
	  "expected \"NAME community=COMMUNITY\"", "public" },
	{ { "-l", "udp://127.0.0.1:1", "-f", "dtls://127.0.0.1:2", "-p",
	    "snmp", "--snmp-map", "n community=public", "--snmp-community",
	    "n other", NULL }, NULL, "snmp-community",
	  "security name 'n' given a community twice", "public" },
	{ { "-l", "udp://127.0.0.1:1", "-f", "dtls://127.0.0.1:2", "-p",
	    "snmp", "--snmp-community", "n public", "--cert-sec-name",
	    "1 " FP " --cn", NULL }, NULL, "cert-sec-name", "only on the snmp "
	  "server side", "public" },
	{ { "-l", "udp//h", F, NULL }, NULL, "listen", "invalid URI 'udp//h'",
	  NULL },
	{ { "-l", "tun://tun0?labels=1", F, NULL }, NULL, "listen",
	  "labels=1: 1 to 16 MPLS labels", NULL },
	{ { L, "-p", "ftp", F, NULL }, NULL, "proto", "unknown profile 'ftp'",
	  NULL },
	{ { L, NULL }, NULL, "forward", "route route-1: no forward", NULL },
	{ { L, F, "-l", "udp://h", "-f", "udp://h:1", NULL }, NULL, "listen",
	  "route route-2: udp://h: no port and profile raw has no default",
	  NULL },
#if !HAVE_OPENSSL
	{ { "--engine", "openssl", L, F, NULL }, NULL, "engine",
	  "engine openssl is not built into this dtlsgw", NULL },
#endif
	{ { "--key", "k", L, F, NULL }, NULL, "key", "key without cert",
	  NULL },
	{ { L, F, "--cert", "c", NULL }, NULL, "cert",
	  "route route-1: cert without key", NULL },
	{ { "--metrics", "9100", L, F, NULL }, NULL, "metrics",
	  "invalid address '9100'", NULL },
	{ { "--workers", "", L, F, NULL }, NULL, "workers", "empty value",
	  NULL },
	{ { "--idle-timeout=0", L, F, NULL }, NULL, "idle-timeout",
	  "out of range", NULL },
};

static void test_args_errors(void **state)
{
	for (size_t i = 0; i < sizeof(args_cases) / sizeof(args_cases[0]);
	     i++) {
		const struct args_bad *c = &args_cases[i];
		char *argv[16] = { (char *)"dtlsgw" };
		struct config_error err;
		struct config cfg;
		int argc = 1;
		int rc;

		while (c->argv[argc - 1] != NULL) {
			argv[argc] = (char *)c->argv[argc - 1];
			argc++;
		}
		rc = config_build(&cfg, argc, argv, &err);
		if (rc != -DTLSGW_ERR_CONFIG)
			fail_msg("case %zu (%s): rc %d", i, c->msg, rc);
		expect_error(&err, c->where != NULL ? c->where : "command line",
			     c->key, c->msg);
		if (c->never != NULL && strstr(err.msg, c->never) != NULL)
			fail_msg("case %zu: '%s' in '%s'", i, c->never,
				 err.msg);
		/* config_build() freed everything */
		assert_null(cfg.routes);
		assert_null(cfg.file);
	}
}

/* config_parse_args() on its own: no -c loading, route numbering goes on */
static void test_parse_args_alone(void **state)
{
	char *argv[] = { (char *)"x", (char *)"-l", (char *)"udp://h:1",
			 (char *)"-f", (char *)"udp://h:2", NULL };
	struct config_error err;
	struct config cfg = { 0 };

	assert_int_equal(config_parse_args(&cfg, 5, argv, &err), 0);
	assert_int_equal(config_parse_args(&cfg, 5, argv, &err), 0);
	assert_int_equal(cfg.nroutes, 2);
	assert_string_equal(cfg.routes[1].name, "route-2");
	assert_int_equal(config_finish(&cfg, &err), 0);
	config_free(&cfg);
}

/*
 * config_route_equal()
 */

#define FP2	"sha256:ffffffffffffffffffffffffffffffff" \
		"ffffffffffffffffffffffffffffffff"

static const char *const base_opts[][2] = {
	{ "-l", "dtls://0.0.0.0:2083?a=1" },
	{ "-f", "udp://127.0.0.1:1812" },
	{ "-p", "radius" },
	{ "--secret", "s1" },
	{ "--psk-identity", "id" },
	{ "--psk", "0011" },
	{ "--peer-fingerprint", FP },
	{ "--cert", "c" },
	{ "--key", "k" },
};

#define NBASE	(sizeof(base_opts) / sizeof(base_opts[0]))

enum variant_mode {
	V_REPLACE = 0,	/* the value of opt becomes value */
	V_REMOVE,	/* opt goes */
	V_ADD,		/* opt value is added at the end */
};

struct variant {
	const char		*opt, *value;
	enum variant_mode	 mode;
	bool			 equal;	/* still the same route */
};

/* base_opts changed as v says, or unchanged when v is NULL */
static void build_variant(struct config *cfg, const struct variant *v)
{
	struct config_error err;
	char *argv[2 * NBASE + 4];
	int argc = 0;

	argv[argc++] = (char *)"dtlsgw";
	for (size_t i = 0; i < NBASE; i++) {
		const char *value = base_opts[i][1];

		if (v != NULL && strcmp(v->opt, base_opts[i][0]) == 0) {
			if (v->mode == V_REMOVE)
				continue;
			if (v->mode == V_REPLACE)
				value = v->value;
		}
		argv[argc++] = (char *)base_opts[i][0];
		argv[argc++] = (char *)value;
	}
	if (v != NULL && v->mode == V_ADD) {
		argv[argc++] = (char *)v->opt;
		argv[argc++] = (char *)v->value;
	}
	argv[argc] = NULL;
	if (config_build(cfg, argc, argv, &err) != 0)
		fail_msg("%s: %s: %s", err.where, err.key, err.msg);
}

static const struct variant variants[] = {
	{ "--idle-timeout", "300", V_ADD, true },	/* the default */
	{ "--max-sessions", "10000", V_ADD, true },
	{ "-l", "dtls://0.0.0.0?a=1", V_REPLACE, true },	/* 2083 */
	{ "-l", "dtls+udp://0.0.0.0:2083?a=1", V_REPLACE, true },
	{ "-l", "dtls://0.0.0.0:2083?a=2", V_REPLACE, false },
	{ "-l", "dtls://0.0.0.0:2083?b=1", V_REPLACE, false },
	{ "-l", "dtls://0.0.0.0:2083?a=1&b=1", V_REPLACE, false },
	{ "-l", "dtls://0.0.0.0:2083", V_REPLACE, false },
	{ "-l", "dtls://0.0.0.0:2084?a=1", V_REPLACE, false },
	{ "-l", "dtls://[::]:2083?a=1", V_REPLACE, false },
	{ "-l", "udp://0.0.0.0:2083", V_REPLACE, false },
	{ "-f", "udp://127.0.0.1:1813", V_REPLACE, false },
	{ "-f", "udp://127.0.0.2:1812", V_REPLACE, false },
	{ "-p", "dns", V_REPLACE, false },
	{ "-p", NULL, V_REMOVE, false },
	{ "--secret", "s2", V_REPLACE, false },
	{ "--secret", NULL, V_REMOVE, false },
	{ "--psk", "0012", V_REPLACE, false },
	{ "--psk", "001100", V_REPLACE, false },
	{ "--psk-identity", "id2", V_REPLACE, false },
	{ "--peer-fingerprint", FP2, V_REPLACE, false },
	{ "--peer-fingerprint", FP2, V_ADD, false },
	{ "--verify", "optional", V_ADD, false },
	{ "--cert", "c2", V_REPLACE, false },
	{ "--key", "k2", V_REPLACE, false },
	{ "--ca", "ca", V_ADD, false },
	{ "--ciphers", "ECDHE-ECDSA-AES128-GCM-SHA256", V_ADD, false },
	{ "--idle-timeout", "301", V_ADD, false },
	{ "--max-sessions", "5", V_ADD, false },
	{ "--max-handshakes-per-source", "5", V_ADD, false },
	{ "--engine", "wolfssl", V_ADD, true },	/* the default */
#if HAVE_OPENSSL
	{ "--engine", "openssl", V_ADD, false },
#endif
};

static void test_route_equal(void **state)
{
	struct config a, b;

	build_variant(&a, NULL);
	build_variant(&b, NULL);
	assert_true(config_route_equal(&a.routes[0], &b.routes[0]));
	assert_true(config_route_equal(&a.routes[0], &a.routes[0]));
	config_free(&b);

	for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		const struct variant *v = &variants[i];

		build_variant(&b, v);
		if (config_route_equal(&a.routes[0], &b.routes[0]) !=
		    v->equal ||
		    config_route_equal(&b.routes[0], &a.routes[0]) != v->equal)
			fail_msg("%s %s: expected %s", v->opt,
				 v->value != NULL ? v->value : "(removed)",
				 v->equal ? "equal" : "different");
		config_free(&b);
	}

	/* the same route under another name is another route */
	b = (struct config){ 0 };
	{
		char *argv[] = { (char *)"dtlsgw", (char *)"-l",
				 (char *)"udp://h:9", (char *)"-f",
				 (char *)"udp://h:10", NULL };
		struct config_error err;

		assert_int_equal(config_build(&b, 5, argv, &err), 0);
	}
	assert_false(config_route_equal(&a.routes[0], &b.routes[0]));
	free(b.routes[0].name);
	b.routes[0].name = strdup(a.routes[0].name);
	assert_false(config_route_equal(&a.routes[0], &b.routes[0]));
	config_free(&b);

	/* where does not count: the same route from a file */
	{
		char path[TMPDIR_PATH_MAX];
		struct config_error err;

		write_conf("[route-1]\nlisten = dtls://0.0.0.0:2083?a=1\n"
			   "forward = udp://127.0.0.1\nproto = radius\n"
			   "secret = s1\npsk-identity = id\npsk = 0011\n"
			   "peer-fingerprint = " FP "\ncert = c\nkey = k\n",
			   path);
		b = (struct config){ 0 };
		assert_int_equal(config_load_file(&b, path, &err), 0);
		assert_int_equal(config_finish(&b, &err), 0);
		assert_true(config_route_equal(&a.routes[0], &b.routes[0]));
		config_free(&b);
	}
	config_free(&a);
}

/*
 * Output.
 */

/* config_build() with the NULL-terminated arguments, which must be good */
static void build_ok(struct config *cfg, ...)
{
	struct config_error err;
	char *argv[64];
	int argc = 0;
	va_list ap;

	argv[argc++] = (char *)"dtlsgw";
	va_start(ap, cfg);
	for (char *a; (a = va_arg(ap, char *)) != NULL;) {
		assert_true(argc < 63);
		argv[argc++] = a;
	}
	va_end(ap);
	argv[argc] = NULL;
	if (config_build(cfg, argc, argv, &err) != 0)
		fail_msg("%s: %s: %s", err.where, err.key, err.msg);
}

static char *capture_print(const struct config *cfg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	config_print(cfg, f);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void test_print(void **state)
{
	struct config cfg;
	char *out;

	build_ok(&cfg, "--metrics", "127.0.0.1:9100",
		 "-l", "dtls://0.0.0.0", "-f", "udp://127.0.0.1", "-p",
		 "radius", "--secret", "hunter2-secret", "--psk-identity",
		 "client1", "--psk", "deadbeefcafe",
		 "-l", "udp://127.0.0.1:5353", "-f", "dtls://192.0.2.53",
		 "-p", "dns", "--cert", "/c.pem", "--key", "/c.key",
		 "--ca", "/ca.pem", "--peer-fingerprint", FP,
		 "-l", "dtls://[::]:4433", "-f", "dtls://192.0.2.9:4433",
		 "--verify", "optional",
		 "-l", "udp://127.0.0.1:7", "-f", "echo://", NULL);
	out = capture_print(&cfg);

	assert_non_null(strstr(out, "workers: one per core\n"));
	assert_non_null(strstr(out, "log-level: info\n"));
	assert_non_null(strstr(out, "metrics: 127.0.0.1:9100\n"));
	assert_non_null(strstr(out, "route route-1 (command line)\n"));
	assert_non_null(strstr(out, "profile: radius\n"));
	assert_non_null(strstr(out, "dtls://0.0.0.0:2083 -> "
				    "udp://127.0.0.1:1812\n"));
	assert_non_null(strstr(out, "server side: terminates DTLS\n"));
	assert_non_null(strstr(out, "client side: originates DTLS\n"));
	assert_non_null(strstr(out, "DTLS to DTLS\n"));
	assert_non_null(strstr(out, "cleartext relay\n"));
	assert_non_null(strstr(out, "udp://127.0.0.1:7 -> echo://\n"));
	assert_non_null(strstr(out, "ephemeral certificate"));
	assert_non_null(strstr(out, "psk: identity client1\n"));
	assert_non_null(strstr(out, "secret: (set)\n"));
	assert_non_null(strstr(out, "cert: /c.pem\n"));
	assert_non_null(strstr(out, "key: /c.key\n"));
	assert_non_null(strstr(out, "ca: /ca.pem\n"));
	assert_non_null(strstr(out, "peer fingerprints: 1\n"));
	/* the defaults: require with a CA, none without */
	assert_non_null(strstr(out, "verify: require (the default"));
	assert_non_null(strstr(out, "verify: none (the default"));
	assert_non_null(strstr(out, "verify: optional\n"));
	assert_non_null(strstr(out, "idle-timeout: 300 s\n"));
	assert_non_null(strstr(out, "max-sessions: 10000\n"));
	assert_non_null(strstr(out, "max-handshakes-per-source: 16\n"));
	/* never a secret or a key */
	assert_null(strstr(out, "hunter2"));
	assert_null(strstr(out, "deadbeef"));
	assert_null(strstr(out, "DEADBEEF"));
	assert_null(strstr(out, "de:ad"));
	free(out);
	config_free(&cfg);
}

static void test_error_print(void **state)
{
	struct config_error err = {
		.where = "/etc/dtlsgw.conf:12",
		.key = "listen",
		.msg = "invalid URI 'x'",
	};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	config_error_print(&err, f);
	err.key[0] = '\0';
	config_error_print(&err, f);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(buf,
		"dtlsgw: /etc/dtlsgw.conf:12: listen: invalid URI 'x'\n"
		"dtlsgw: /etc/dtlsgw.conf:12: invalid URI 'x'\n");
	free(buf);
}

static void test_usage(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	static const char *const want[] = {
		"dtlsgw [-c FILE] [ROUTE...] [OPTIONS]", "-l, --listen URI",
		"-f, --forward URI", "-p, --proto PROFILE", "--cert FILE",
		"--ca FILE", "--verify none|optional|require",
		"--peer-fingerprint sha256:HEX", "--psk-identity ID --psk HEX",
		"--ciphers LIST", "--keylog FILE", "--engine wolfssl|openssl",
		"--idle-timeout SECONDS", "(default 300)", "--max-sessions N",
		"(default 10000)", "--max-handshakes-per-source N",
		"(default 16)", "--workers N", "(default: one",
		"--metrics HOST:PORT", "--log-level error|warn|info|debug",
		"--check", "--list-protocols", "--version", "--help",
		"--secret S", "--cert-sec-name", "--snmp-community",
	};

	assert_non_null(f);
	config_usage(f);
	assert_int_equal(fclose(f), 0);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (strstr(buf, want[i]) == NULL)
			fail_msg("no '%s' in --help", want[i]);
	}
	free(buf);
}

/*
 * fingerprint_parse()
 */

static void test_fingerprint(void **state)
{
	static const char *const bad[] = {
		"", "sha256:", "sha1:" FP_HEX, FP_HEX, "sha256:" FP_HEX "0",
		"sha256:" FP_HEX "00", "sha256:0" FP_HEX,
		"sha256:g0112233445566778899aabbccddeeff"
		"00112233445566778899aabbccddeeff",
		"sha256::00" FP_HEX, "sha256:" FP_HEX ":",
		"sha256:0:0112233445566778899aabbccddeeff"
		"00112233445566778899aabbccddeeff",
		"sha256:00::112233445566778899aabbccddeeff"
		"00112233445566778899aabbccddeeff",
		"sha256: " FP_HEX,
	};
	uint8_t fp[32], want[32];
	char mixed[128];

	for (size_t i = 0; i < 32; i++)
		want[i] = (uint8_t)((i % 16) * 0x11);
	assert_int_equal(fingerprint_parse(FP, fp), 0);
	assert_memory_equal(fp, want, 32);
	assert_int_equal(fingerprint_parse("SHA256:" FP_HEX, fp), 0);
	assert_memory_equal(fp, want, 32);
	assert_int_equal(fingerprint_parse("sha256:00:11:22:33:44:55:66:77:88"
		":99:aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99:AA:BB:CC"
		":DD:EE:FF", fp), 0);
	assert_memory_equal(fp, want, 32);
	/* colons between some bytes only */
	snprintf(mixed, sizeof(mixed), "sha256:0011:22:33%s", &FP_HEX[8]);
	assert_int_equal(fingerprint_parse(mixed, fp), 0);
	assert_memory_equal(fp, want, 32);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (fingerprint_parse(bad[i], fp) != -EINVAL)
			fail_msg("'%s' parsed", bad[i]);
	}
}

/*
 * Profiles
 */

static void test_profiles(void **state)
{
	static const struct {
		const char	*name;
		uint16_t	 dtls, clear;
	} t[] = {
		{ "radius", 2083, 1812 }, { "snmp", 10161, 161 },
		{ "diameter", 5868, 3868 }, { "stun", 5349, 3478 },
		{ "sip", 5061, 5060 }, { "mpls-udp", 6636, 6635 },
		{ "gre-udp", 4755, 4754 }, { "syslog", 6514, 514 },
		{ "dns", 853, 53 }, { "raw", 0, 0 },
	};
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const struct profile *p = profile_find(t[i].name);

		assert_non_null(p);
		assert_ptr_equal(profile_at(i), p);
		assert_string_equal(p->name, t[i].name);
		assert_int_equal(p->dtls_port, t[i].dtls);
		assert_int_equal(p->clear_port, t[i].clear);
		/* the profiles whose adapter has landed */
		if (strcmp(p->name, "radius") == 0)
			assert_ptr_equal(p->adapter, &adapter_radius);
		else if (strcmp(p->name, "diameter") == 0)
			assert_ptr_equal(p->adapter, &adapter_diameter);
		else if (strcmp(p->name, "snmp") == 0)
			assert_ptr_equal(p->adapter, &adapter_snmp);
		else if (strcmp(p->name, "stun") == 0)
			assert_ptr_equal(p->adapter, &adapter_stun);
		else if (strcmp(p->name, "gre-udp") == 0)
			assert_ptr_equal(p->adapter, &adapter_gre_udp);
		else if (strcmp(p->name, "mpls-udp") == 0)
			assert_ptr_equal(p->adapter, &adapter_mpls_udp);
		else if (strcmp(p->name, "sip") == 0)
			assert_ptr_equal(p->adapter, &adapter_sip);
		else if (strcmp(p->name, "syslog") == 0)
			assert_ptr_equal(p->adapter, &adapter_syslog);
		else if (strcmp(p->name, "dns") == 0)
			assert_ptr_equal(p->adapter, &adapter_dns);
		else
			assert_null(p->adapter);
		assert_non_null(p->protected_ports);
		assert_non_null(p->clear_ports);
		assert_non_null(p->standard);
	}
	assert_null(profile_at(sizeof(t) / sizeof(t[0])));
	assert_null(profile_find("RADIUS"));
	assert_null(profile_find(""));
	assert_ptr_equal(profile_default(), profile_find("raw"));

	f = open_memstream(&buf, &len);
	assert_non_null(f);
	profile_print_table(f);
	assert_int_equal(fclose(f), 0);
	assert_true(strncmp(buf, "profile ", 8) == 0);
	assert_non_null(strstr(buf, "protected (DTLS)"));
	assert_non_null(strstr(buf, "cleartext"));
	assert_non_null(strstr(buf, "standard\n"));
	assert_non_null(strstr(buf, "\nradius    2083/udp"));
	assert_non_null(strstr(buf, "RFC 7360 (secret radius/dtls)\n"));
	assert_non_null(strstr(buf, "3799/udp dynamic authorization"));
	assert_non_null(strstr(buf, "\nraw "));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_good),
		cmocka_unit_test(test_file_defaults),
		cmocka_unit_test(test_file_profile_ports),
		cmocka_unit_test(test_file_echo),
		cmocka_unit_test(test_file_indented),
		cmocka_unit_test(test_long_where),
		cmocka_unit_test(test_file_long_lines),
		cmocka_unit_test(test_file_nul_byte),
		cmocka_unit_test(test_file_unreadable),
		cmocka_unit_test(test_file_errors),
		cmocka_unit_test(test_string_errors),
		cmocka_unit_test(test_args_routes),
		cmocka_unit_test(test_args_short),
		cmocka_unit_test(test_args_override_file),
		cmocka_unit_test(test_args_name_clash),
		cmocka_unit_test(test_args_where_of_globals),
		cmocka_unit_test(test_args_actions),
		cmocka_unit_test(test_args_errors),
		cmocka_unit_test(test_parse_args_alone),
		cmocka_unit_test(test_route_equal),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_error_print),
		cmocka_unit_test(test_file_operator_keys),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_fingerprint),
		cmocka_unit_test(test_profiles),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
