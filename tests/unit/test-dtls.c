/*
 * The DTLS engine, in memory: two sessions wired back to back through
 * their I/O callbacks, with the stateless cookie exchange in front of the
 * server as the route does it.  No sockets, no clock but the one we give.
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

#include <cmocka.h>

#include "dtlsgw/dtls.h"
#include "dtlsgw/errors.h"

#define QMAX 64

struct link {
	uint8_t	 buf[QMAX][2048];
	size_t	 len[QMAX];
	size_t	 n;
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
	return 0;
}

struct pair {
	struct dtls_ctx		*sctx, *cctx;
	struct dtls_session	*server, *client;
	struct link		 to_server, to_client;
	struct sockaddr_in	 caddr, saddr;
	struct dtls_cookie_jar	 jar;
	uint64_t		 now_s;
	int			 server_err, client_err;
	unsigned int		 hvr_sent;
};

static void pair_init(struct pair *p, const struct tls_config *stls,
		      const struct tls_config *ctls)
{
	struct dtls_ctx_params sp = { .role = DTLS_ROLE_SERVER, .tls = stls,
				      .route = "test-server" };
	struct dtls_ctx_params cp = { .role = DTLS_ROLE_CLIENT, .tls = ctls,
				      .route = "test-client" };
	uint8_t master[32];
	char err[256];

	memset(p, 0, sizeof(*p));
	p->caddr.sin_family = AF_INET;
	p->caddr.sin_port = htons(40000);
	inet_pton(AF_INET, "192.0.2.10", &p->caddr.sin_addr);
	p->saddr.sin_family = AF_INET;
	p->saddr.sin_port = htons(2083);
	inet_pton(AF_INET, "192.0.2.1", &p->saddr.sin_addr);
	assert_int_equal(dtls_cookie_master_new(master), 0);
	dtls_cookie_jar_init(&p->jar, master, 60);
	p->now_s = 1000000;
	assert_int_equal(dtls_ctx_create(&sp, &p->sctx, err, sizeof(err)), 0);
	assert_int_equal(dtls_ctx_create(&cp, &p->cctx, err, sizeof(err)), 0);
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

static void pair_finish(struct pair *p)
{
	dtls_session_destroy(p->client);
	dtls_session_destroy(p->server);
	dtls_ctx_destroy(p->sctx);
	dtls_ctx_destroy(p->cctx);
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
	for (int round = 0; round < 50; round++) {
		size_t n1 = p->to_server.n, n2 = p->to_client.n;
		struct link a, b;

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

static void roundtrip(struct pair *p, size_t size)
{
	uint8_t msg[1400], got[2048];
	size_t n;

	for (size_t i = 0; i < size; i++)
		msg[i] = (uint8_t)(i * 7 + size);
	assert_int_equal(dtls_session_write(p->client, msg, size), 0);
	assert_int_equal(p->to_server.n, 1);
	assert_int_equal(dtls_session_input(p->server, p->to_server.buf[0],
					    p->to_server.len[0]),
			 0);
	p->to_server.n = 0;
	assert_int_equal(dtls_session_read(p->server, got, sizeof(got), &n), 0);
	assert_int_equal(n, size);
	assert_memory_equal(got, msg, size);
	assert_int_equal(dtls_session_read(p->server, got, sizeof(got), &n),
			 -EAGAIN);
	/* and back */
	assert_int_equal(dtls_session_write(p->server, got, size), 0);
	assert_int_equal(p->to_client.n, 1);
	assert_int_equal(dtls_session_input(p->client, p->to_client.buf[0],
					    p->to_client.len[0]),
			 0);
	p->to_client.n = 0;
	assert_int_equal(dtls_session_read(p->client, got, sizeof(got), &n), 0);
	assert_memory_equal(got, msg, size);
}

static const struct tls_config no_tls;

static void test_handshake_with_cookie(void **state)
{
	struct pair p;
	uint8_t big[2048] = { 0 };
	char desc[128];

	(void)state;
	pair_init(&p, &no_tls, &no_tls);
	pair_client(&p, NULL);
	pump(&p);
	assert_int_equal(p.server_err, 0);
	assert_int_equal(p.client_err, 0);
	assert_int_equal(p.hvr_sent, 1);
	assert_true(dtls_session_established(p.client));
	assert_true(dtls_session_established(p.server));
	assert_false(dtls_session_resumed(p.client));
	dtls_session_describe(p.client, desc, sizeof(desc));
	assert_non_null(strstr(desc, "DTLS"));
	/* ChaCha20-Poly1305 first: this wolfSSL has no AES-NI */
	assert_non_null(strstr(desc, "CHACHA20"));
	roundtrip(&p, 1);
	roundtrip(&p, 1200);
	assert_true(dtls_session_max_plaintext(p.client) >= 1200);
	assert_int_equal(dtls_session_write(p.client, big,
					    dtls_session_max_plaintext(
						    p.client) + 1),
			 -DTLSGW_ERR_TOO_BIG);
	/* close_notify reaches the other side */
	assert_int_equal(dtls_session_shutdown(p.client), 0);
	assert_int_equal(p.to_server.n, 1);
	assert_int_equal(dtls_session_input(p.server, p.to_server.buf[0],
					    p.to_server.len[0]),
			 0);
	{
		uint8_t got[64];
		size_t n;

		assert_int_equal(dtls_session_read(p.server, got, sizeof(got),
						   &n),
				 -DTLSGW_ERR_CLOSED);
	}
	pair_finish(&p);
}

static void test_cookie_rotation(void **state)
{
	struct pair p;
	uint8_t ch[2048], out[256], secret[DTLS_COOKIE_SECRET_LEN];
	uint8_t s1[DTLS_COOKIE_SECRET_LEN], s2[DTLS_COOKIE_SECRET_LEN];
	size_t chlen, outlen;
	const char *why;
	struct sockaddr_in other;

	(void)state;
	pair_init(&p, &no_tls, &no_tls);
	/* secrets differ by epoch and are stable within one */
	dtls_cookie_secret(&p.jar, 5, s1);
	dtls_cookie_secret(&p.jar, 6, s2);
	assert_memory_not_equal(s1, s2, sizeof(s1));
	dtls_cookie_secret(&p.jar, 5, s2);
	assert_memory_equal(s1, s2, sizeof(s1));

	pair_client(&p, NULL);
	/* the first ClientHello has no cookie: a HelloVerifyRequest */
	assert_int_equal(dtls_hello_check(&p.jar, p.now_s,
					  (struct sockaddr *)&p.caddr,
					  sizeof(p.caddr), p.to_server.buf[0],
					  p.to_server.len[0], out, sizeof(out),
					  &outlen, secret, &why),
			 DTLS_HELLO_VERIFY);
	p.to_server.n = 0;
	client_rx(&p, out, outlen);
	assert_int_equal(p.to_server.n, 1);
	memcpy(ch, p.to_server.buf[0], p.to_server.len[0]);
	chlen = p.to_server.len[0];
	/* with its cookie: accepted now and in the next period */
	assert_int_equal(dtls_hello_check(&p.jar, p.now_s,
					  (struct sockaddr *)&p.caddr,
					  sizeof(p.caddr), ch, chlen, out,
					  sizeof(out), &outlen, secret, &why),
			 DTLS_HELLO_ACCEPT);
	assert_int_equal(dtls_hello_check(&p.jar, p.now_s + 60,
					  (struct sockaddr *)&p.caddr,
					  sizeof(p.caddr), ch, chlen, out,
					  sizeof(out), &outlen, secret, &why),
			 DTLS_HELLO_ACCEPT);
	/* two periods on, the secret has rotated away */
	assert_int_equal(dtls_hello_check(&p.jar, p.now_s + 120,
					  (struct sockaddr *)&p.caddr,
					  sizeof(p.caddr), ch, chlen, out,
					  sizeof(out), &outlen, secret, &why),
			 DTLS_HELLO_VERIFY);
	assert_string_equal(why, "bad_cookie");
	/* from another port, the cookie is not valid */
	other = p.caddr;
	other.sin_port = htons(40001);
	assert_int_equal(dtls_hello_check(&p.jar, p.now_s,
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
		assert_int_equal(dtls_hello_check(&j2, p.now_s,
						  (struct sockaddr *)&p.caddr,
						  sizeof(p.caddr), ch, chlen,
						  out, sizeof(out), &outlen,
						  secret, &why),
				 DTLS_HELLO_VERIFY);
	}
	/* junk is dropped, never answered */
	assert_int_equal(dtls_hello_check(&p.jar, p.now_s,
					  (struct sockaddr *)&p.caddr,
					  sizeof(p.caddr), (const uint8_t *)"x",
					  1, out, sizeof(out), &outlen, secret,
					  &why),
			 DTLS_HELLO_DROP);
	assert_int_equal(outlen, 0);
	pair_finish(&p);
}

static void test_retransmission(void **state)
{
	struct pair p;

	(void)state;
	pair_init(&p, &no_tls, &no_tls);
	pair_client(&p, NULL);
	/* the first ClientHello is lost */
	p.to_server.n = 0;
	assert_true(dtls_session_timeout_ms(p.client) >= 1000);
	assert_int_equal(dtls_session_on_timeout(p.client), 0);
	assert_int_equal(p.to_server.n, 1);
	pump(&p);
	assert_true(dtls_session_established(p.client));
	assert_true(dtls_session_established(p.server));
	assert_int_equal(dtls_session_timeout_ms(p.client), -1);
	pair_finish(&p);
}

static void test_handshake_gives_up(void **state)
{
	struct pair p;
	int ret = 0;

	(void)state;
	pair_init(&p, &no_tls, &no_tls);
	pair_client(&p, NULL);
	p.to_server.drop_all = true;
	for (int i = 0; i < 20 && ret == 0; i++)
		ret = dtls_session_on_timeout(p.client);
	assert_int_equal(ret, -DTLSGW_ERR_HANDSHAKE);
	pair_finish(&p);
}

static void test_pinning(void **state)
{
	struct tls_config ctls = { 0 };
	struct pair p;
	uint8_t fp[32];

	(void)state;
	/* the right pin */
	pair_init(&p, &no_tls, &no_tls);
	assert_true(dtls_ctx_fingerprint(p.sctx, fp));
	dtls_ctx_destroy(p.cctx);
	memcpy(ctls.fingerprints[0], fp, 32);
	ctls.nfingerprints = 1;
	{
		struct dtls_ctx_params cp = { .role = DTLS_ROLE_CLIENT,
					      .tls = &ctls, .route = "t" };
		char err[256];

		assert_int_equal(dtls_ctx_create(&cp, &p.cctx, err,
						 sizeof(err)),
				 0);
	}
	pair_client(&p, NULL);
	pump(&p);
	assert_int_equal(p.client_err, 0);
	assert_true(dtls_session_established(p.client));
	pair_finish(&p);

	/* a wrong pin */
	fp[0] ^= 1;
	memcpy(ctls.fingerprints[0], fp, 32);
	pair_init(&p, &no_tls, &no_tls);
	dtls_ctx_destroy(p.cctx);
	{
		struct dtls_ctx_params cp = { .role = DTLS_ROLE_CLIENT,
					      .tls = &ctls, .route = "t" };
		char err[256];

		assert_int_equal(dtls_ctx_create(&cp, &p.cctx, err,
						 sizeof(err)),
				 0);
	}
	pair_client(&p, NULL);
	pump(&p);
	assert_int_equal(p.client_err, -DTLSGW_ERR_VERIFY);
	assert_true(dtls_session_verify_failed(p.client));
	assert_non_null(strstr(dtls_session_error(p.client), "not pinned"));
	assert_false(dtls_session_established(p.client));
	pair_finish(&p);
}

static void test_psk(void **state)
{
	struct tls_config a = { 0 }, b = { 0 };
	struct pair p;
	char id[] = "gw-1";

	(void)state;
	a.psk_identity = id;
	a.psk_len = 16;
	memset(a.psk, 0x42, 16);
	b = a;
	pair_init(&p, &a, &b);
	pair_client(&p, NULL);
	pump(&p);
	assert_int_equal(p.client_err, 0);
	assert_true(dtls_session_established(p.client));
	assert_true(dtls_session_established(p.server));
	roundtrip(&p, 100);
	pair_finish(&p);

	/* another key: refused */
	b.psk[0] = 0x43;
	pair_init(&p, &a, &b);
	pair_client(&p, NULL);
	pump(&p);
	/*
	 * The server cannot decrypt the client's Finished: in DTLS a record
	 * that does not authenticate is dropped as if lost, so neither side
	 * completes, and the client's retransmissions run out.
	 */
	assert_false(dtls_session_established(p.server));
	assert_false(dtls_session_established(p.client));
	{
		int ret = 0;

		p.to_server.drop_all = true;
		for (int i = 0; i < 20 && ret == 0; i++)
			ret = dtls_session_on_timeout(p.client);
		assert_int_equal(ret, -DTLSGW_ERR_HANDSHAKE);
	}
	pair_finish(&p);
}

static void test_resumption(void **state)
{
	struct pair p;
	void *saved;

	(void)state;
	pair_init(&p, &no_tls, &no_tls);
	pair_client(&p, NULL);
	pump(&p);
	assert_true(dtls_session_established(p.client));
	saved = dtls_session_save(p.client);
	assert_non_null(saved);
	dtls_session_destroy(p.client);
	dtls_session_destroy(p.server);
	p.client = p.server = NULL;
	p.hvr_sent = 0;
	/* the same contexts, a new connection from the same client */
	pair_client(&p, saved);
	pump(&p);
	assert_int_equal(p.client_err, 0);
	assert_true(dtls_session_established(p.client));
	assert_true(dtls_session_resumed(p.client));
	assert_true(dtls_session_resumed(p.server));
	dtls_session_saved_free(saved);
	pair_finish(&p);
}

static int setup(void **state)
{
	(void)state;
	return dtls_global_init(NULL);
}

static int teardown(void **state)
{
	(void)state;
	dtls_global_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handshake_with_cookie),
		cmocka_unit_test(test_cookie_rotation),
		cmocka_unit_test(test_retransmission),
		cmocka_unit_test(test_handshake_gives_up),
		cmocka_unit_test(test_pinning),
		cmocka_unit_test(test_psk),
		cmocka_unit_test(test_resumption),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
