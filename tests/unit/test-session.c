/*
 * The session table: lookup by peer, limits, handshakes per source; and
 * the hash table under it.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dtlsgw/htable.h"
#include "dtlsgw/session.h"

static void test_siphash_vectors(void **state)
{
	/* the reference vectors of the SipHash paper (key 00..0f) */
	uint64_t k0 = 0x0706050403020100ULL, k1 = 0x0f0e0d0c0b0a0908ULL;
	uint8_t msg[15];

	(void)state;
	for (int i = 0; i < 15; i++)
		msg[i] = (uint8_t)i;
	assert_true(siphash24(k0, k1, msg, 0) == 0x726fdb47dd0e0e31ULL);
	assert_true(siphash24(k0, k1, msg, 15) == 0xa129ca6149be45e5ULL);
	assert_true(siphash24(k0, k1, msg, 8) == 0x93f5f5799a932462ULL);
}

static struct session *mk(const char *ip, uint16_t port)
{
	struct session *s = calloc(1, sizeof(*s));

	if (strchr(ip, ':') != NULL) {
		struct sockaddr_in6 *in6 = (void *)&s->peer;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		inet_pton(AF_INET6, ip, &in6->sin6_addr);
		s->peerlen = sizeof(*in6);
	} else {
		struct sockaddr_in *in = (void *)&s->peer;

		in->sin_family = AF_INET;
		in->sin_port = htons(port);
		inet_pton(AF_INET, ip, &in->sin_addr);
		s->peerlen = sizeof(*in);
	}
	return s;
}

#define SA(s) ((const struct sockaddr *)&(s)->peer)

static void test_find_insert_remove(void **state)
{
	struct session_table t;
	struct session *a = mk("192.0.2.1", 1000), *b = mk("192.0.2.1", 1001);
	struct session *c = mk("2001:db8::1", 1000), *probe;

	(void)state;
	assert_int_equal(session_table_init(&t, 100, 4), 0);
	session_table_insert(&t, a);
	session_table_insert(&t, b);
	session_table_insert(&t, c);
	assert_int_equal(session_table_count(&t), 3);
	assert_ptr_equal(session_table_find(&t, SA(a)), a);
	assert_ptr_equal(session_table_find(&t, SA(b)), b);
	assert_ptr_equal(session_table_find(&t, SA(c)), c);
	probe = mk("192.0.2.2", 1000);
	assert_null(session_table_find(&t, SA(probe)));
	session_table_remove(&t, b);
	assert_null(session_table_find(&t, SA(b)));
	assert_int_equal(session_table_count(&t), 2);
	/* removing twice is harmless */
	session_table_remove(&t, b);
	assert_int_equal(session_table_count(&t), 2);
	session_table_remove(&t, a);
	session_table_remove(&t, c);
	session_table_finish(&t);
	free(a);
	free(b);
	free(c);
	free(probe);
}

static void test_many_and_iterate(void **state)
{
	enum { N = 5000 };
	struct session_table t;
	struct session **all = calloc(N, sizeof(*all)), *s;
	size_t i, seen = 0;

	(void)state;
	assert_int_equal(session_table_init(&t, N, 4), 0);
	for (i = 0; i < N; i++) {
		char ip[32];

		snprintf(ip, sizeof(ip), "10.%zu.%zu.1", i / 250, i % 250);
		all[i] = mk(ip, (uint16_t)(1024 + i));
		session_table_insert(&t, all[i]);
	}
	for (i = 0; i < N; i++)
		assert_ptr_equal(session_table_find(&t, SA(all[i])), all[i]);
	for (s = session_table_first(&t, &i); s != NULL;
	     s = session_table_next(&t, s, &i))
		seen++;
	assert_int_equal(seen, N);
	for (i = 0; i < N; i++) {
		session_table_remove(&t, all[i]);
		free(all[i]);
	}
	assert_int_equal(session_table_count(&t), 0);
	session_table_finish(&t);
	free(all);
}

static void test_max_sessions(void **state)
{
	struct session_table t;
	struct session *a = mk("192.0.2.1", 1), *b = mk("192.0.2.2", 2);

	(void)state;
	assert_int_equal(session_table_init(&t, 1, 4), 0);
	assert_int_equal(session_table_admit(&t, SA(a)), SESSION_ADMIT_OK);
	session_table_insert(&t, a);
	assert_int_equal(session_table_admit(&t, SA(b)), SESSION_ADMIT_FULL);
	session_table_remove(&t, a);
	assert_int_equal(session_table_admit(&t, SA(b)), SESSION_ADMIT_OK);
	session_table_finish(&t);
	free(a);
	free(b);
}

static void test_handshakes_per_source(void **state)
{
	struct session_table t;
	struct session *s[4], *other = mk("192.0.2.9", 5);

	(void)state;
	assert_int_equal(session_table_init(&t, 100, 3), 0);
	for (int i = 0; i < 4; i++)
		s[i] = mk("192.0.2.1", (uint16_t)(100 + i));
	for (int i = 0; i < 3; i++) {
		assert_int_equal(session_table_admit(&t, SA(s[i])),
				 SESSION_ADMIT_OK);
		session_table_insert(&t, s[i]);
		assert_int_equal(session_table_handshake_begin(&t, s[i]), 0);
		/* counted once however often begun */
		assert_int_equal(session_table_handshake_begin(&t, s[i]), 0);
	}
	assert_int_equal(session_table_source_handshakes(&t, SA(s[3])), 3);
	/* the same address on another port is the same source */
	assert_int_equal(session_table_admit(&t, SA(s[3])),
			 SESSION_ADMIT_SOURCE_LIMIT);
	/* another source is not affected */
	assert_int_equal(session_table_admit(&t, SA(other)), SESSION_ADMIT_OK);
	/* a finished handshake frees a slot */
	session_table_handshake_end(&t, s[0]);
	session_table_handshake_end(&t, s[0]);
	assert_int_equal(session_table_source_handshakes(&t, SA(s[3])), 2);
	assert_int_equal(session_table_admit(&t, SA(s[3])), SESSION_ADMIT_OK);
	/* removal ends the count too */
	session_table_remove(&t, s[1]);
	assert_int_equal(session_table_source_handshakes(&t, SA(s[3])), 1);
	session_table_remove(&t, s[2]);
	session_table_remove(&t, s[0]);
	assert_int_equal(session_table_source_handshakes(&t, SA(s[3])), 0);
	assert_int_equal(t.handshaking, 0);
	session_table_finish(&t);
	for (int i = 0; i < 4; i++)
		free(s[i]);
	free(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_siphash_vectors),
		cmocka_unit_test(test_find_insert_remove),
		cmocka_unit_test(test_many_and_iterate),
		cmocka_unit_test(test_max_sessions),
		cmocka_unit_test(test_handshakes_per_source),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
