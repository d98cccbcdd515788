/*
 * The DTLS engine, in memory: two sessions wired back to back through
 * their I/O callbacks, with the stateless cookie exchange in front of the
 * server as the route does it.  No sockets, no clock but the one we give.
 *
 * One suite, every backend (as picotls runs test_picotls() over each
 * crypto backend): each group below runs the tests with a server engine
 * and a client engine, wolfSSL and OpenSSL on both sides, then the cross
 * pairs for what must interoperate.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include <cmocka.h>

#include "dtlsgw-config.h"
#include "dtlsgw/dtls.h"
#include "dtlsgw/errors.h"
#include "dtlsgw/log.h"
#if HAVE_OPENSSL
#include "../../src/dtls_int.h"	/* the PRF of the own record layer */
#endif

/*
 * The clock.  OpenSSL 3.0 keeps its DTLS retransmission deadline on
 * gettimeofday(); this definition comes first in the program's symbol
 * lookup, so libssl's calls bind to it and the tests move time on by hand
 * (clock_advance), as quicly's tests own quic_now.  wolfSSL needs no clock.
 */
static int64_t clock_offset_us;

int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
	struct timespec ts;
	int64_t us;

	(void)tz;
	clock_gettime(CLOCK_REALTIME, &ts);
	us = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000 +
	     clock_offset_us;
	tv->tv_sec = (time_t)(us / 1000000);
	tv->tv_usec = (suseconds_t)(us % 1000000);
	return 0;
}

static void clock_advance(int64_t ms)
{
	if (ms > 0)
		clock_offset_us += ms * 1000;
}

/* The engines of one group: who serves, who connects. */
struct engines {
	enum engine_kind	server, client;
};

#define QMAX	32
#define DGMAX	(16384 + 1024)

struct link {
	uint8_t	 buf[QMAX][DGMAX];
	size_t	 len[QMAX];
	size_t	 n;
	size_t	 maxlen;	/* the largest datagram seen */
	bool	 drop_all;
};

static int link_send(void *arg, const uint8_t *buf, size_t len)
{
	struct link *l = arg;

	if (l->drop_all)
		return 0;
	assert_true(l->n < QMAX);
	assert_true(len <= sizeof(l->buf[0]));
	memcpy(l->buf[l->n], buf, len);
	l->len[l->n++] = len;
	if (len > l->maxlen)
		l->maxlen = len;
	return 0;
}

struct pair {
	const struct engines	*e;
	struct dtls_ctx		*sctx, *cctx;
	struct dtls_session	*server, *client;
	struct link		 to_server, to_client;
	struct sockaddr_in	 caddr, saddr;
	struct dtls_cookie_jar	 jar;
	uint64_t		 now_s;
	int			 server_err, client_err;
	unsigned int		 hvr_sent;
};

static struct dtls_ctx *ctx_new(enum dtls_role role, enum engine_kind engine,
				const struct tls_config *tls, size_t mtu)
{
	struct dtls_ctx_params p = {
		.role = role,
		.tls = tls,
		.route = role == DTLS_ROLE_SERVER ? "test-server"
						  : "test-client",
		.engine = engine,
		.mtu = mtu,
	};
	struct dtls_ctx *ctx = NULL;
	char err[256] = "";

	if (dtls_ctx_create(&p, &ctx, err, sizeof(err)) != 0)
		fail_msg("dtls_ctx_create: %s", err);
	return ctx;
}

/* Both contexts, with the datagram size mtu (0: the engine's default). */
static struct pair *pair_new_mtu(void **state, const struct tls_config *stls,
				 const struct tls_config *ctls, size_t mtu)
{
	struct pair *p = calloc(1, sizeof(*p));
	uint8_t master[32];

	assert_non_null(p);
	p->e = *state;
	p->caddr.sin_family = AF_INET;
	p->caddr.sin_port = htons(40000);
	inet_pton(AF_INET, "192.0.2.10", &p->caddr.sin_addr);
	p->saddr.sin_family = AF_INET;
	p->saddr.sin_port = htons(2083);
	inet_pton(AF_INET, "192.0.2.1", &p->saddr.sin_addr);
	assert_int_equal(dtls_cookie_master_new(master), 0);
	dtls_cookie_jar_init(&p->jar, master, 60);
	p->now_s = 1000000;
	p->sctx = ctx_new(DTLS_ROLE_SERVER, p->e->server, stls, mtu);
	p->cctx = ctx_new(DTLS_ROLE_CLIENT, p->e->client, ctls, mtu);
	return p;
}

static struct pair *pair_new(void **state, const struct tls_config *stls,
			     const struct tls_config *ctls)
{
	return pair_new_mtu(state, stls, ctls, 0);
}

/* Replace the client's context. */
static void pair_client_ctx(struct pair *p, const struct tls_config *ctls)
{
	dtls_ctx_destroy(p->cctx);
	p->cctx = ctx_new(DTLS_ROLE_CLIENT, p->e->client, ctls, 0);
}

static void pair_client(struct pair *p, const void *resume)
{
	struct dtls_io io = { .send = link_send, .arg = &p->to_server };

	p->client = dtls_session_create(p->cctx,
					(struct sockaddr *)&p->saddr,
					sizeof(p->saddr), NULL, &io, resume);
	assert_non_null(p->client);
	assert_int_equal(dtls_session_handshake(p->client), -EAGAIN);
}

static void pair_free(struct pair *p)
{
	dtls_session_destroy(p->client);
	dtls_session_destroy(p->server);
	dtls_ctx_destroy(p->sctx);
	dtls_ctx_destroy(p->cctx);
	free(p);
}

/* What the route does with a datagram for the server side. */
static void server_rx(struct pair *p, const uint8_t *dg, size_t len)
{
	uint8_t out[256], secret[DTLS_COOKIE_SECRET_LEN];
	size_t outlen;
	const char *why;
	int ret;

	if (p->server == NULL) {
		enum dtls_hello_verdict v = dtls_hello_check(
			&p->jar, p->now_s, (struct sockaddr *)&p->caddr,
			sizeof(p->caddr), dg, len, out, sizeof(out), &outlen,
			secret, &why);
		struct dtls_io io = { .send = link_send, .arg = &p->to_client };

		if (v == DTLS_HELLO_VERIFY) {
			assert_true(outlen <= len);
			link_send(&p->to_client, out, outlen);
			p->hvr_sent++;
			return;
		}
		if (v == DTLS_HELLO_DROP)
			return;
		p->server = dtls_session_create(p->sctx,
						(struct sockaddr *)&p->caddr,
						sizeof(p->caddr), secret, &io,
						NULL);
		assert_non_null(p->server);
	}
	ret = dtls_session_input(p->server, dg, len);
	if (ret != 0 && ret != -EAGAIN)
		p->server_err = ret;
}

static void client_rx(struct pair *p, const uint8_t *dg, size_t len)
{
	int ret = dtls_session_input(p->client, dg, len);

	if (ret != 0 && ret != -EAGAIN)
		p->client_err = ret;
}

/* Move datagrams both ways until nothing moves or an error happens. */
static void pump(struct pair *p)
{
	static struct link a, b;

	for (int round = 0; round < 50; round++) {
		size_t n1 = p->to_server.n, n2 = p->to_client.n;

		if (n1 == 0 && n2 == 0)
			return;
		a = p->to_server;
		b = p->to_client;
		p->to_server.n = 0;
		p->to_client.n = 0;
		for (size_t i = 0; i < n1 && p->server_err == 0; i++)
			server_rx(p, a.buf[i], a.len[i]);
		for (size_t i = 0; i < n2 && p->client_err == 0; i++)
			client_rx(p, b.buf[i], b.len[i]);
		if (p->server_err != 0 || p->client_err != 0)
			return;
	}
}

/* Pump to the end; both sides established. */
static void pair_connect_pumped(struct pair *p)
{
	pump(p);
	assert_int_equal(p->server_err, 0);
	assert_int_equal(p->client_err, 0);
	assert_true(dtls_session_established(p->client));
	assert_true(dtls_session_established(p->server));
}

/* Handshake to the end; both sides established. */
static void pair_connect(struct pair *p, const void *resume)
{
	pair_client(p, resume);
	pair_connect_pumped(p);
}

/* One record of size bytes from one side to the other, read back whole. */
static void send_one(struct dtls_session *from, struct dtls_session *to,
		     struct link *l, size_t size)
{
	static uint8_t msg[16384], got[DGMAX];
	size_t n;

	assert_true(size <= sizeof(msg));
	for (size_t i = 0; i < size; i++)
		msg[i] = (uint8_t)(i * 7 + size);
	assert_int_equal(dtls_session_write(from, msg, size), 0);
	assert_int_equal(l->n, 1);
	assert_int_equal(dtls_session_input(to, l->buf[0], l->len[0]), 0);
	l->n = 0;
	assert_int_equal(dtls_session_read(to, got, sizeof(got), &n), 0);
	assert_int_equal(n, size);
	assert_memory_equal(got, msg, size);
	assert_int_equal(dtls_session_read(to, got, sizeof(got), &n), -EAGAIN);
}

/* from sends close_notify; to reads it as such. */
static void close_one(struct dtls_session *from, struct dtls_session *to,
		      struct link *l)
{
	uint8_t got[64];
	size_t n;

	assert_int_equal(dtls_session_shutdown(from), 0);
	assert_int_equal(l->n, 1);
	assert_int_equal(dtls_session_input(to, l->buf[0], l->len[0]), 0);
	l->n = 0;
	assert_int_equal(dtls_session_read(to, got, sizeof(got), &n),
			 -DTLSGW_ERR_CLOSED);
}

static void roundtrip(struct pair *p, size_t size)
{
	send_one(p->client, p->server, &p->to_server, size);
	send_one(p->server, p->client, &p->to_client, size);
}

/* Time on and on_timeout until the session gives up. */
static int run_out_of_time(struct dtls_session *s)
{
	int ret = 0;

	for (int i = 0; i < 20 && ret == 0; i++) {
		clock_advance(dtls_session_timeout_ms(s));
		ret = dtls_session_on_timeout(s);
	}
	return ret;
}

static bool same_engine(const struct pair *p, enum engine_kind e)
{
	return p->e->server == e && p->e->client == e;
}

static const struct tls_config no_tls;

static void test_handshake_with_cookie(void **state)
{
	struct pair *p = pair_new(state, &no_tls, &no_tls);
	uint8_t big[2048] = { 0 };
	char desc[128];

	pair_connect(p, NULL);
	assert_int_equal(p->hvr_sent, 1);
	assert_false(dtls_session_resumed(p->client));
	assert_false(dtls_session_resumed(p->server));
	dtls_session_describe(p->client, desc, sizeof(desc));
	assert_non_null(strstr(desc, "DTLSv1.2"));
	/* the engine's own preferences: X25519, and its fastest AEAD */
	if (same_engine(p, ENGINE_WOLFSSL))
		/* ChaCha20-Poly1305 first: this wolfSSL has no AES-NI */
		assert_non_null(strstr(desc, "CHACHA20"));
	if (same_engine(p, ENGINE_OPENSSL))
		assert_non_null(strstr(desc, "AES128-GCM"));
	assert_non_null(strcasestr(desc, "X25519"));
	dtls_session_describe(p->server, desc, sizeof(desc));
	assert_non_null(strcasestr(desc, "X25519"));
	roundtrip(p, 1);
	roundtrip(p, 1200);
	/* what the handshake kept can go; the session goes on */
	dtls_session_trim(p->client);
	dtls_session_trim(p->server);
	roundtrip(p, 700);
	/* established, no timer runs: long pauses send nothing on their own */
	for (int i = 0; i < 15; i++) {
		clock_advance(70000);
		roundtrip(p, 100);
	}
	assert_true(dtls_session_max_plaintext(p->client) >= 1200);
	assert_true(dtls_session_max_plaintext(p->server) >= 1200);
	assert_int_equal(dtls_session_write(p->client, big,
					    dtls_session_max_plaintext(
						    p->client) + 1),
			 -DTLSGW_ERR_TOO_BIG);
	/* no datagram of the handshake was larger than the default MTU */
	assert_true(p->to_server.maxlen <= 1452);
	assert_true(p->to_client.maxlen <= 1452);
	/* close_notify reaches the other side */
	close_one(p->client, p->server, &p->to_server);
	pair_free(p);
}

/*
 * An idle session trimmed before any data (the gateway trims 15 s after
 * the handshake): wolfSSL frees its handshake resources again at the first
 * application data, which must be harmless.
 */
static void test_trim_before_data(void **state)
{
	struct pair *p = pair_new(state, &no_tls, &no_tls);

	pair_connect(p, NULL);
	dtls_session_trim(p->server);
	dtls_session_trim(p->client);
	dtls_session_trim(p->server);
	roundtrip(p, 100);
	roundtrip(p, 1200);
	dtls_session_trim(p->server);
	roundtrip(p, 10);
	pair_free(p);
}

/* A record written by from, taken off the link rather than delivered. */
static size_t take_record(struct dtls_session *from, struct link *l,
			  uint8_t tag, uint8_t *rec, size_t cap)
{
	uint8_t msg[64];
	size_t len;

	memset(msg, tag, sizeof(msg));
	assert_int_equal(dtls_session_write(from, msg, sizeof(msg)), 0);
	assert_int_equal(l->n, 1);
	len = l->len[0];
	assert_true(len <= cap);
	memcpy(rec, l->buf[0], len);
	l->n = 0;
	return len;
}

/* Deliver rec to s: the tag of the data read, or -1 for none. */
static int deliver_record(struct dtls_session *s, const uint8_t *rec,
			  size_t len)
{
	uint8_t got[DGMAX];
	size_t n;
	int ret;

	assert_int_equal(dtls_session_input(s, rec, len), 0);
	ret = dtls_session_read(s, got, sizeof(got), &n);
	if (ret == -EAGAIN)
		return -1;
	assert_int_equal(ret, 0);
	assert_int_equal(n, 64);
	assert_int_equal(dtls_session_read(s, got, sizeof(got), &n), -EAGAIN);
	return got[0];
}

/*
 * The first data from the peer hands the records over from the library to
 * the gateway's own record layer, both ends, whatever engine made the keys;
 * then replays, forgeries, reordering and the replay window.
 */
static void test_own_records(void **state)
{
	struct pair *p = pair_new(state, &no_tls, &no_tls);
	static uint8_t rec[80][256];
	size_t len[80];

	pair_connect(p, NULL);
	assert_false(dtls_session_own_records(p->client));
	assert_false(dtls_session_own_records(p->server));
	roundtrip(p, 100);
	assert_true(dtls_session_own_records(p->server));
	assert_true(dtls_session_own_records(p->client));
	roundtrip(p, 1);
	roundtrip(p, 1200);
	{
		size_t cmax = dtls_session_max_plaintext(p->client);
		size_t smax = dtls_session_max_plaintext(p->server);

		roundtrip(p, cmax < smax ? cmax : smax);
	}
	/* a replay is dropped, and so is a record with one bit changed */
	len[0] = take_record(p->client, &p->to_server, 1, rec[0], 256);
	assert_int_equal(deliver_record(p->server, rec[0], len[0]), 1);
	assert_int_equal(deliver_record(p->server, rec[0], len[0]), -1);
	len[1] = take_record(p->client, &p->to_server, 2, rec[1], 256);
	rec[1][len[1] - 20] ^= 0x10;
	assert_int_equal(deliver_record(p->server, rec[1], len[1]), -1);
	rec[1][len[1] - 20] ^= 0x10;
	assert_int_equal(deliver_record(p->server, rec[1], len[1]), 2);
	/* out of order within the window: each once */
	for (int i = 0; i < 3; i++)
		len[i] = take_record(p->server, &p->to_client, (uint8_t)(10 + i),
				     rec[i], 256);
	assert_int_equal(deliver_record(p->client, rec[2], len[2]), 12);
	assert_int_equal(deliver_record(p->client, rec[0], len[0]), 10);
	assert_int_equal(deliver_record(p->client, rec[1], len[1]), 11);
	assert_int_equal(deliver_record(p->client, rec[0], len[0]), -1);
	/* older than the 64 records of the window: dropped */
	for (int i = 0; i < 80; i++)
		len[i] = take_record(p->client, &p->to_server, (uint8_t)i,
				     rec[i], 256);
	assert_int_equal(deliver_record(p->server, rec[79], len[79]), 79);
	assert_int_equal(deliver_record(p->server, rec[16], len[16]), 16);
	assert_int_equal(deliver_record(p->server, rec[15], len[15]), -1);
	/* two records in one datagram: both read */
	{
		uint8_t dg[512], got[DGMAX];
		size_t n;

		len[0] = take_record(p->client, &p->to_server, 40, rec[0], 256);
		len[1] = take_record(p->client, &p->to_server, 41, rec[1], 256);
		memcpy(dg, rec[0], len[0]);
		memcpy(dg + len[0], rec[1], len[1]);
		assert_int_equal(dtls_session_input(p->server, dg,
						    len[0] + len[1]),
				 0);
		assert_int_equal(dtls_session_read(p->server, got, sizeof(got),
						   &n),
				 0);
		assert_int_equal(got[0], 40);
		assert_int_equal(dtls_session_read(p->server, got, sizeof(got),
						   &n),
				 0);
		assert_int_equal(got[0], 41);
		assert_int_equal(dtls_session_read(p->server, got, sizeof(got),
						   &n),
				 -EAGAIN);
	}
	/* a record cut short, and a datagram that is not DTLS: nothing */
	len[0] = take_record(p->client, &p->to_server, 50, rec[0], 256);
	assert_int_equal(deliver_record(p->server, rec[0], len[0] - 1), -1);
	assert_int_equal(deliver_record(p->server, (const uint8_t *)"hello",
					5),
			 -1);
	assert_int_equal(deliver_record(p->server, rec[0], len[0]), 50);
	roundtrip(p, 300);
	/* close_notify from our record layer: the peer reads it as such */
	close_one(p->server, p->client, &p->to_client);
	pair_free(p);
}

/*
 * A session that carried nothing goes to the own record layer when it is
 * trimmed; data then flows both ways, the first records included.
 */
static void test_own_records_after_trim(void **state)
{
	struct pair *p = pair_new(state, &no_tls, &no_tls);

	pair_connect(p, NULL);
	dtls_session_trim(p->server);
	assert_true(dtls_session_own_records(p->server));
	assert_false(dtls_session_own_records(p->client));
	roundtrip(p, 100);
	assert_true(dtls_session_own_records(p->client));
	dtls_session_trim(p->client);
	roundtrip(p, 1200);
	/* close_notify into the own record layer */
	close_one(p->client, p->server, &p->to_server);
	pair_free(p);
}

/*
 * Every AEAD suite goes to the own record layer, and the bytes agree with
 * the other end's library while one side still has it; a CBC suite stays
 * with the library.
 */
static void test_own_records_suites(void **state)
{
	static const struct {
		const char	*ciphers;
		bool		 own;
	} cases[] = {
		{ "ECDHE-ECDSA-AES256-GCM-SHA384", true },
		{ "ECDHE-ECDSA-AES128-GCM-SHA256", true },
		{ "ECDHE-ECDSA-CHACHA20-POLY1305", true },
		{ "ECDHE-ECDSA-AES128-SHA256", false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tls_config tls = { .ciphers = (char *)cases[i].ciphers };
		struct pair *p = pair_new(state, &tls, &tls);
		char desc[128];

		pair_connect(p, NULL);
		dtls_session_describe(p->server, desc, sizeof(desc));
		assert_non_null(strstr(desc, cases[i].ciphers));
		/* the server's records are its own before the client's are */
		send_one(p->client, p->server, &p->to_server, 100);
		assert_int_equal(dtls_session_own_records(p->server),
				 cases[i].own);
		assert_false(dtls_session_own_records(p->client));
		send_one(p->server, p->client, &p->to_client, 1000);
		assert_int_equal(dtls_session_own_records(p->client),
				 cases[i].own);
		roundtrip(p, 1);
		roundtrip(p, 1200);
		dtls_session_describe(p->client, desc, sizeof(desc));
		assert_non_null(strstr(desc, cases[i].ciphers));
		pair_free(p);
	}
}

#if HAVE_OPENSSL
static void unhex(const char *h, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		assert_int_equal(sscanf(h + 2 * i, "%2hhx", &out[i]), 1);
}

/*
 * TLS 1.2's PRF, which the own record layer derives its keys with: the
 * known vectors for P_SHA256 and P_SHA384 (secret, seed and label of the
 * IETF TLS list's test vectors; P_hash recomputed with Python's hmac).
 */
static void test_tls12_prf(void **state)
{
	static const char sha256[] =
		"e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e6"
		"1edb5a6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd"
		"3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42"
		"c5a72e5a5110fff70187347b66";
	static const char sha384[] =
		"dd88775cd827187b67a3f7652b5c13f715791cc46e0274a6d3fb166511"
		"03defc544cd8afb68369a219bb918b8b21ddb1764af0a70339e6dec085"
		"e574f655851ba692513203536bdfc3675e53768210f0a2389dd324311a"
		"440c7c30ef44b391d914c3b0c7c80f1cb5e134cf4253d859fa8a46e978"
		"360d095dd2fba0c18a1f4d7b4cf9f24667b5cb0adc5ab65df3a0dc627c"
		"9b73cc";
	uint8_t secret[16], seed[16], want[148], got[148];

	(void)state;
	unhex("9bbe436ba940f017b17652849a71db35", secret, 16);
	unhex("a0ba9f936cda311827a6f796ffd5198c", seed, 16);
	unhex(sha256, want, 100);
	assert_int_equal(dtls_tls12_prf(false, secret, 16, "test label", seed,
					16, got, 100),
			 0);
	assert_memory_equal(got, want, 100);
	unhex(sha384, want, 148);
	assert_int_equal(dtls_tls12_prf(true, secret, 16, "test label", seed,
					16, got, 148),
			 0);
	assert_memory_equal(got, want, 148);
	/* the suites it carries, and one it leaves to the library */
	assert_int_equal(dtls_aead_of_suite(0xCCA9),
			 DTLS_AEAD_CHACHA20_POLY1305);
	assert_int_equal(dtls_aead_of_suite(0xC02B), DTLS_AEAD_AES_128_GCM);
	assert_int_equal(dtls_aead_of_suite(0xC02C), DTLS_AEAD_AES_256_GCM);
	assert_int_equal(dtls_aead_of_suite(0xC023), DTLS_AEAD_NONE);
}
#endif

static void test_cookie_rotation(void **state)
{
	struct pair *p = pair_new(state, &no_tls, &no_tls);
	uint8_t ch[2048], out[256], secret[DTLS_COOKIE_SECRET_LEN];
	uint8_t s1[DTLS_COOKIE_SECRET_LEN], s2[DTLS_COOKIE_SECRET_LEN];
	size_t chlen, outlen;
	const char *why;
	struct sockaddr_in other;

	/* secrets differ by epoch and are stable within one */
	dtls_cookie_secret(&p->jar, 5, s1);
	dtls_cookie_secret(&p->jar, 6, s2);
	assert_memory_not_equal(s1, s2, sizeof(s1));
	dtls_cookie_secret(&p->jar, 5, s2);
	assert_memory_equal(s1, s2, sizeof(s1));

	pair_client(p, NULL);
	/* the first ClientHello has no cookie: a HelloVerifyRequest */
	assert_int_equal(dtls_hello_check(&p->jar, p->now_s,
					  (struct sockaddr *)&p->caddr,
					  sizeof(p->caddr),
					  p->to_server.buf[0],
					  p->to_server.len[0], out,
					  sizeof(out), &outlen, secret, &why),
			 DTLS_HELLO_VERIFY);
	p->to_server.n = 0;
	client_rx(p, out, outlen);
	assert_int_equal(p->to_server.n, 1);
	memcpy(ch, p->to_server.buf[0], p->to_server.len[0]);
	chlen = p->to_server.len[0];
	/* with its cookie: accepted now and in the next period */
	assert_int_equal(dtls_hello_check(&p->jar, p->now_s,
					  (struct sockaddr *)&p->caddr,
					  sizeof(p->caddr), ch, chlen, out,
					  sizeof(out), &outlen, secret, &why),
			 DTLS_HELLO_ACCEPT);
	assert_int_equal(dtls_hello_check(&p->jar, p->now_s + 60,
					  (struct sockaddr *)&p->caddr,
					  sizeof(p->caddr), ch, chlen, out,
					  sizeof(out), &outlen, secret, &why),
			 DTLS_HELLO_ACCEPT);
	/* two periods on, the secret has rotated away */
	assert_int_equal(dtls_hello_check(&p->jar, p->now_s + 120,
					  (struct sockaddr *)&p->caddr,
					  sizeof(p->caddr), ch, chlen, out,
					  sizeof(out), &outlen, secret, &why),
			 DTLS_HELLO_VERIFY);
	assert_string_equal(why, "bad_cookie");
	/* from another port, the cookie is not valid */
	other = p->caddr;
	other.sin_port = htons(40001);
	assert_int_equal(dtls_hello_check(&p->jar, p->now_s,
					  (struct sockaddr *)&other,
					  sizeof(other), ch, chlen, out,
					  sizeof(out), &outlen, secret, &why),
			 DTLS_HELLO_VERIFY);
	/* the cookie of a jar with another master is not valid either */
	{
		struct dtls_cookie_jar j2;
		uint8_t m2[32];

		dtls_cookie_master_new(m2);
		dtls_cookie_jar_init(&j2, m2, 60);
		assert_int_equal(dtls_hello_check(&j2, p->now_s,
						  (struct sockaddr *)&p->caddr,
						  sizeof(p->caddr), ch, chlen,
						  out, sizeof(out), &outlen,
						  secret, &why),
				 DTLS_HELLO_VERIFY);
	}
	/* junk is dropped, never answered */
	assert_int_equal(dtls_hello_check(&p->jar, p->now_s,
					  (struct sockaddr *)&p->caddr,
					  sizeof(p->caddr),
					  (const uint8_t *)"x", 1, out,
					  sizeof(out), &outlen, secret, &why),
			 DTLS_HELLO_DROP);
	assert_int_equal(outlen, 0);
	pair_free(p);
}

static void test_retransmission(void **state)
{
	struct pair *p = pair_new(state, &no_tls, &no_tls);
	int64_t ms;

	pair_client(p, NULL);
	/* the first ClientHello is lost */
	p->to_server.n = 0;
	ms = dtls_session_timeout_ms(p->client);
	assert_true(ms >= 900 && ms <= 1000);
	clock_advance(ms);
	assert_int_equal(dtls_session_on_timeout(p->client), 0);
	assert_int_equal(p->to_server.n, 1);
	/* the timer backs off */
	assert_true(dtls_session_timeout_ms(p->client) >= 1900);
	pump(p);
	assert_true(dtls_session_established(p->client));
	assert_true(dtls_session_established(p->server));
	assert_int_equal(dtls_session_timeout_ms(p->client), -1);
	assert_int_equal(dtls_session_timeout_ms(p->server), -1);
	pair_free(p);
}

/*
 * The server's flight is lost, and the peer's next datagram comes after
 * the deadline: nothing leaves on the library's own timer, the flight
 * goes when ours fires.
 */
static void test_server_retransmits_on_our_timer(void **state)
{
	static const uint8_t junk[] = { 0x17, 0xfe, 0xfd, 0, 1, 0, 0, 0,
					0, 0, 9, 0, 2, 0x41, 0x42 };
	struct pair *p = pair_new(state, &no_tls, &no_tls);
	struct link l;
	int64_t ms;

	pair_client(p, NULL);
	server_rx(p, p->to_server.buf[0], p->to_server.len[0]);	/* CH */
	p->to_server.n = 0;
	client_rx(p, p->to_client.buf[0], p->to_client.len[0]);	/* HVR */
	p->to_client.n = 0;
	server_rx(p, p->to_server.buf[0], p->to_server.len[0]);	/* CH2 */
	p->to_server.n = 0;
	assert_non_null(p->server);
	assert_int_equal(p->server_err, 0);
	assert_true(p->to_client.n >= 1);
	l = p->to_client;
	p->to_client.n = 0;	/* the server's flight is lost */

	ms = dtls_session_timeout_ms(p->server);
	assert_true(ms > 0 && ms <= 1000);
	clock_advance(ms + 100);
	assert_int_equal(dtls_session_input(p->server, junk, sizeof(junk)),
			 -EAGAIN);
	assert_int_equal(p->to_client.n, 0);
	if (p->e->server == ENGINE_OPENSSL)
		/* OpenSSL retransmitted inside the read: held, due now */
		assert_int_equal(dtls_session_timeout_ms(p->server), 0);
	assert_true(dtls_session_timeout_ms(p->server) <= 1000);
	assert_int_equal(dtls_session_on_timeout(p->server), 0);
	/* the same flight, perhaps cut into more datagrams */
	assert_true(p->to_client.n >= l.n);
	pump(p);
	assert_true(dtls_session_established(p->client));
	assert_true(dtls_session_established(p->server));
	pair_free(p);
}

/*
 * A server session given a client's very first ClientHello, with no
 * cookie exchange in front: OpenSSL takes it as it is (message_seq 0),
 * wolfSSL answers with a HelloVerifyRequest of its own.
 */
static void test_hello_at_seq0(void **state)
{
	struct pair *p = pair_new(state, &no_tls, &no_tls);
	struct dtls_io io = { .send = link_send, .arg = &p->to_client };

	pair_client(p, NULL);
	p->server = dtls_session_create(p->sctx, (struct sockaddr *)&p->caddr,
					sizeof(p->caddr), NULL, &io, NULL);
	assert_non_null(p->server);
	pair_connect_pumped(p);
	roundtrip(p, 100);
	pair_free(p);
}

static void test_handshake_gives_up(void **state)
{
	struct pair *p = pair_new(state, &no_tls, &no_tls);

	pair_client(p, NULL);
	p->to_server.drop_all = true;
	assert_int_equal(run_out_of_time(p->client), -DTLSGW_ERR_HANDSHAKE);
	assert_non_null(strstr(dtls_session_error(p->client), "timed out"));
	pair_free(p);
}

static void test_pinning(void **state)
{
	struct tls_config ctls = { 0 };
	struct pair *p;
	uint8_t fp[32];

	/* the right pin */
	p = pair_new(state, &no_tls, &no_tls);
	assert_true(dtls_ctx_fingerprint(p->sctx, fp));
	memcpy(ctls.fingerprints[0], fp, 32);
	ctls.nfingerprints = 1;
	pair_client_ctx(p, &ctls);
	pair_connect(p, NULL);
	assert_false(dtls_session_verify_failed(p->client));
	pair_free(p);

	/* a wrong pin */
	fp[0] ^= 1;
	memcpy(ctls.fingerprints[0], fp, 32);
	p = pair_new(state, &no_tls, &no_tls);
	pair_client_ctx(p, &ctls);
	pair_client(p, NULL);
	pump(p);
	assert_int_equal(p->client_err, -DTLSGW_ERR_VERIFY);
	assert_true(dtls_session_verify_failed(p->client));
	assert_non_null(strstr(dtls_session_error(p->client), "not pinned"));
	assert_false(dtls_session_established(p->client));
	/* the server learns of it from the alert the client sent */
	assert_false(dtls_session_established(p->server));
	pair_free(p);
}

/* The client's certificate, pinned by the server. */
static void test_client_pinning(void **state)
{
	struct tls_config stls = { 0 };
	struct pair *p;
	uint8_t fp[32];

	/* the ephemeral certificate is the process's: both sides have it */
	p = pair_new(state, &no_tls, &no_tls);
	assert_true(dtls_ctx_fingerprint(p->cctx, fp));
	pair_free(p);
	memcpy(stls.fingerprints[0], fp, 32);
	stls.nfingerprints = 1;
	p = pair_new(state, &stls, &no_tls);
	pair_connect(p, NULL);
	roundtrip(p, 10);
	pair_free(p);

	fp[31] ^= 1;
	memcpy(stls.fingerprints[0], fp, 32);
	p = pair_new(state, &stls, &no_tls);
	pair_client(p, NULL);
	pump(p);
	assert_int_equal(p->server_err, -DTLSGW_ERR_VERIFY);
	assert_true(dtls_session_verify_failed(p->server));
	assert_non_null(strstr(dtls_session_error(p->server), "not pinned"));
	assert_false(dtls_session_established(p->server));
	pair_free(p);
}

static void test_psk(void **state)
{
	struct tls_config a = { 0 }, b = { 0 };
	struct pair *p;
	char id[] = "gw-1";
	char desc[128];

	a.psk_identity = id;
	a.psk_len = 16;
	memset(a.psk, 0x42, 16);
	b = a;
	p = pair_new(state, &a, &b);
	pair_connect(p, NULL);
	dtls_session_describe(p->client, desc, sizeof(desc));
	assert_non_null(strstr(desc, "PSK"));
	roundtrip(p, 100);
	pair_free(p);

	/* another key: refused */
	b.psk[0] = 0x43;
	p = pair_new(state, &a, &b);
	pair_client(p, NULL);
	pump(p);
	/*
	 * The server cannot decrypt the client's Finished: in DTLS a record
	 * that does not authenticate is dropped as if lost, so neither side
	 * completes, and the client's retransmissions run out.
	 */
	assert_false(dtls_session_established(p->server));
	assert_false(dtls_session_established(p->client));
	p->to_server.drop_all = true;
	assert_int_equal(run_out_of_time(p->client), -DTLSGW_ERR_HANDSHAKE);
	pair_free(p);

	/* another identity: refused */
	b = a;
	b.psk_identity = (char *)"gw-2";
	p = pair_new(state, &a, &b);
	pair_client(p, NULL);
	pump(p);
	assert_false(dtls_session_established(p->server));
	assert_false(dtls_session_established(p->client));
	pair_free(p);
}

static void test_resumption(void **state)
{
	struct pair *p = pair_new(state, &no_tls, &no_tls);
	void *saved;

	pair_connect(p, NULL);
	saved = dtls_session_save(p->client);
	assert_non_null(saved);
	dtls_session_destroy(p->client);
	dtls_session_destroy(p->server);
	p->client = p->server = NULL;
	p->hvr_sent = 0;
	/* the same contexts, a new connection from the same client */
	pair_connect(p, saved);
	assert_int_equal(p->hvr_sent, 1);
	assert_true(dtls_session_resumed(p->client));
	assert_true(dtls_session_resumed(p->server));
	roundtrip(p, 100);
	for (int i = 0; i < 15; i++) {
		clock_advance(70000);
		roundtrip(p, 100);
	}
	dtls_session_saved_free(saved);
	pair_free(p);
}

/*
 * A session saved on one backend does not resume on the other: it is
 * ignored, and a full handshake runs.
 */
static void test_resume_other_engine(void **state)
{
	struct engines other = *(const struct engines *)*state;
	void *ostate = &other;
	struct pair *p;
	void *saved;

	other.client = other.client == ENGINE_WOLFSSL ? ENGINE_OPENSSL
						      : ENGINE_WOLFSSL;
	if (!dtls_engine_available(other.client))
		skip();
	p = pair_new(&ostate, &no_tls, &no_tls);
	pair_connect(p, NULL);
	saved = dtls_session_save(p->client);
	assert_non_null(saved);
	pair_free(p);
	p = pair_new(state, &no_tls, &no_tls);
	pair_connect(p, saved);
	assert_false(dtls_session_resumed(p->client));
	dtls_session_saved_free(saved);
	pair_free(p);
}

/*
 * With a transport that carries large datagrams, the OpenSSL backend
 * writes records up to 16384 bytes once established; handshake flights
 * still fit the default MTU.  This wolfSSL stays at its 1400-byte
 * datagrams, but reads a larger record piecewise.
 */
static void test_large_records(void **state)
{
	struct pair *p = pair_new_mtu(state, &no_tls, &no_tls, 65507);
	size_t cmax, smax;

	pair_connect(p, NULL);
	assert_true(p->to_server.maxlen <= 1452);
	assert_true(p->to_client.maxlen <= 1452);
	cmax = dtls_session_max_plaintext(p->client);
	smax = dtls_session_max_plaintext(p->server);
	if (p->e->client == ENGINE_OPENSSL)
		assert_int_equal(cmax, 16384);
	else
		assert_true(cmax >= 1200 && cmax < 1400);
	if (p->e->server == ENGINE_OPENSSL)
		assert_int_equal(smax, 16384);
	else
		assert_true(smax >= 1200 && smax < 1400);
	for (size_t size = 1000; size <= 16384; size += 2345) {
		if (size <= cmax)
			send_one(p->client, p->server, &p->to_server, size);
		if (size <= smax)
			send_one(p->server, p->client, &p->to_client, size);
	}
	send_one(p->client, p->server, &p->to_server, cmax);
	send_one(p->server, p->client, &p->to_client, smax);
	pair_free(p);
}

/* A small MTU from the transport: OpenSSL cuts its records to it. */
static void test_small_mtu(void **state)
{
	struct pair *p = pair_new_mtu(state, &no_tls, &no_tls, 600);

	pair_connect(p, NULL);
	if (p->e->client == ENGINE_OPENSSL) {
		assert_true(p->to_server.maxlen <= 600);
		assert_true(dtls_session_max_plaintext(p->client) < 600);
	}
	if (p->e->server == ENGINE_OPENSSL)
		assert_true(p->to_client.maxlen <= 600);
	roundtrip(p, 500);
	pair_free(p);
}

static const struct engines wolfssl_pair = { ENGINE_WOLFSSL, ENGINE_WOLFSSL };
static const struct engines openssl_pair = { ENGINE_OPENSSL, ENGINE_OPENSSL };
/* server first: an OpenSSL server with a wolfSSL client, and the reverse */
static const struct engines openssl_wolfssl = { ENGINE_OPENSSL,
						ENGINE_WOLFSSL };
static const struct engines wolfssl_openssl = { ENGINE_WOLFSSL,
						ENGINE_OPENSSL };

static const struct engines *group_engines;

static int group_setup(void **state)
{
	*state = (void *)group_engines;
	return 0;
}

static int run(const char *name, const struct engines *e,
	       const struct CMUnitTest *tests, size_t n)
{
	if (!dtls_engine_available(e->server) ||
	    !dtls_engine_available(e->client)) {
		printf("[ SKIPPED  ] %s: engine not built\n", name);
		return 0;
	}
	group_engines = e;
	return _cmocka_run_group_tests(name, tests, n, group_setup, NULL);
}

int main(void)
{
	/* every behaviour, on one engine at both ends */
	const struct CMUnitTest suite[] = {
		cmocka_unit_test(test_handshake_with_cookie),
		cmocka_unit_test(test_trim_before_data),
		cmocka_unit_test(test_own_records),
		cmocka_unit_test(test_own_records_after_trim),
		cmocka_unit_test(test_own_records_suites),
		cmocka_unit_test(test_cookie_rotation),
		cmocka_unit_test(test_retransmission),
		cmocka_unit_test(test_server_retransmits_on_our_timer),
		cmocka_unit_test(test_hello_at_seq0),
		cmocka_unit_test(test_handshake_gives_up),
		cmocka_unit_test(test_pinning),
		cmocka_unit_test(test_client_pinning),
		cmocka_unit_test(test_psk),
		cmocka_unit_test(test_resumption),
		cmocka_unit_test(test_resume_other_engine),
		cmocka_unit_test(test_large_records),
		cmocka_unit_test(test_small_mtu),
	};
	/* what two engines must agree on */
	const struct CMUnitTest cross[] = {
		cmocka_unit_test(test_handshake_with_cookie),
		cmocka_unit_test(test_own_records),
		cmocka_unit_test(test_own_records_after_trim),
		cmocka_unit_test(test_own_records_suites),
		cmocka_unit_test(test_retransmission),
		cmocka_unit_test(test_server_retransmits_on_our_timer),
		cmocka_unit_test(test_hello_at_seq0),
		cmocka_unit_test(test_pinning),
		cmocka_unit_test(test_client_pinning),
		cmocka_unit_test(test_psk),
		cmocka_unit_test(test_resumption),
		cmocka_unit_test(test_large_records),
	};
	size_t ns = sizeof(suite) / sizeof(suite[0]);
	size_t nc = sizeof(cross) / sizeof(cross[0]);
	int failed = 0;

	log_set_level(LOG_LEVEL_ERROR);
	if (dtls_global_init(NULL) != 0)
		return 1;
	failed += run("wolfssl", &wolfssl_pair, suite, ns);
	failed += run("openssl", &openssl_pair, suite, ns);
	failed += run("openssl server, wolfssl client", &openssl_wolfssl,
		      cross, nc);
	failed += run("wolfssl server, openssl client", &wolfssl_openssl,
		      cross, nc);
#if HAVE_OPENSSL
	{
		const struct CMUnitTest once[] = {
			cmocka_unit_test(test_tls12_prf),
		};

		failed += cmocka_run_group_tests_name("own record layer", once,
						      NULL, NULL);
	}
#endif
	dtls_global_cleanup();
	return failed != 0;
}
