/*
 * The SIP message check against messages as sipsak and kamailio write
 * them (an OPTIONS, a REGISTER, their 200 OK), an INVITE with an SDP body
 * in compact form, then every way to be malformed, the Content-Length
 * rules of RFC 3261 section 18.3 and the keep-alives of RFC 5626.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "dtlsgw/adapter.h"
#include "dtlsgw/sip.h"

#define S(x)	((const uint8_t *)(x)), (sizeof(x) - 1)

static const char options[] =
	"OPTIONS sip:127.0.0.1:5060 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bK.1f2a3b4c;rport;alias\r\n"
	"From: sip:sipsak@127.0.0.1:40000;tag=6f1c2b3a\r\n"
	"To: sip:127.0.0.1:5060\r\n"
	"Call-ID: 1864251194@127.0.0.1\r\n"
	"CSeq: 1 OPTIONS\r\n"
	"Contact: sip:sipsak@127.0.0.1:40000\r\n"
	"Content-Length: 0\r\n"
	"Max-Forwards: 70\r\n"
	"User-Agent: sipsak 0.9.8\r\n"
	"Accept: text/plain\r\n"
	"\r\n";

static const char ok_200[] =
	"SIP/2.0 200 OK\r\n"
	"Via: SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bK.1f2a3b4c;rport=41000;"
	"alias;received=127.0.0.1\r\n"
	"From: sip:sipsak@127.0.0.1:40000;tag=6f1c2b3a\r\n"
	"To: sip:127.0.0.1:5060;tag=a6a1c5f60faecf035a1ae5b6e96e979a-d3e8\r\n"
	"Call-ID: 1864251194@127.0.0.1\r\n"
	"CSeq: 1 OPTIONS\r\n"
	"Server: kamailio (5.6.3 (x86_64/linux))\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

/* compact headers (RFC 3261 section 7.3.3), a folded Subject, a body */
static const char invite[] =
	"INVITE sip:bob@example.com SIP/2.0\r\n"
	"v: SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776asdhds\r\n"
	"f: Alice <sip:alice@example.com>;tag=1928301774\r\n"
	"t: Bob <sip:bob@example.com>\r\n"
	"i: a84b4c76e66710@pc33.example.com\r\n"
	"CSeq : 314159 INVITE\r\n"
	"Subject: a subject\r\n"
	"  folded onto a second line\r\n"
	"c: application/sdp\r\n"
	"l: 36\r\n"
	"\r\n"
	"v=0\r\no=- 0 0 IN IP4 192.0.2.1\r\ns=-\r\n";

static void test_sipsak_and_kamailio(void **state)
{
	struct sip_msg m;

	(void)state;
	assert_int_equal(sip_parse(S(options), &m), SIP_OK);
	assert_true(m.request);
	assert_int_equal(m.method_len, 7);
	assert_memory_equal(m.method, "OPTIONS", 7);
	assert_int_equal(m.len, sizeof(options) - 1);
	assert_int_equal(m.body_len, 0);
	assert_true(m.has_content_length);

	assert_int_equal(sip_parse(S(ok_200), &m), SIP_OK);
	assert_false(m.request);
	assert_int_equal(m.status, 200);
	assert_int_equal(m.len, sizeof(ok_200) - 1);
}

static void test_compact_folded_body(void **state)
{
	struct sip_msg m;

	(void)state;
	assert_int_equal(sip_parse(S(invite), &m), SIP_OK);
	assert_int_equal(m.body_len, 36);
	assert_int_equal(m.len, sizeof(invite) - 1);
	assert_int_equal(m.head_len + 36, m.len);
}

/* RFC 3261 18.3: the extra is cut, a short body is an error */
static void test_content_length_rules(void **state)
{
	char buf[2048];
	struct sip_msg m;
	size_t n;

	(void)state;
	n = (size_t)snprintf(buf, sizeof(buf), "%sEXTRA BYTES", invite);
	assert_int_equal(sip_parse((const uint8_t *)buf, n, &m), SIP_OK);
	assert_int_equal(m.len, sizeof(invite) - 1);

	/* the body one byte short of its Content-Length */
	assert_int_equal(sip_parse((const uint8_t *)invite,
				   sizeof(invite) - 2, &m),
			 SIP_ERR_BODY_SHORT);
	assert_int_equal(m.len, 0);

	/* no Content-Length: the body is the rest of the datagram */
	n = (size_t)snprintf(buf, sizeof(buf),
			     "MESSAGE sip:b@example.com SIP/2.0\r\n"
			     "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
			     "From: <sip:a@example.com>;tag=1\r\n"
			     "To: <sip:b@example.com>\r\n"
			     "Call-ID: x\r\nCSeq: 2 MESSAGE\r\n\r\nhello");
	assert_int_equal(sip_parse((const uint8_t *)buf, n, &m), SIP_OK);
	assert_false(m.has_content_length);
	assert_int_equal(m.body_len, 5);
	assert_int_equal(m.len, n);
}

/* Each case: the OPTIONS with one substitution, and the fault expected. */
static const struct {
	const char	*from;
	const char	*to;
	enum sip_error	 want;
} faults[] = {
	{ "OPTIONS sip:127.0.0.1:5060 SIP/2.0", "OPTIONS  SIP/2.0",
	  SIP_ERR_START_LINE },
	{ "OPTIONS sip:127.0.0.1:5060 SIP/2.0", "OPTIONS 127.0.0.1 SIP/2.0",
	  SIP_ERR_START_LINE },
	{ "OPTIONS sip:127.0.0.1:5060 SIP/2.0", "OPT@ONS sip:a@b SIP/2.0",
	  SIP_ERR_START_LINE },
	{ "OPTIONS sip:127.0.0.1:5060 SIP/2.0", "OPTIONS sip:a@b SIP/3.0",
	  SIP_ERR_VERSION },
	{ "OPTIONS sip:127.0.0.1:5060 SIP/2.0", "OPTIONS sip:a@b HTTP/1.1",
	  SIP_ERR_START_LINE },
	{ "OPTIONS sip:127.0.0.1:5060 SIP/2.0", "GET / HTTP/1.1",
	  SIP_ERR_START_LINE },
	{ "Call-ID: 1864251194@127.0.0.1\r\n", "Call-ID: 1\n",
	  SIP_ERR_LINE_END },
	{ "Call-ID: 1864251194@127.0.0.1\r\n", "Call-ID: 1\r\r\n",
	  SIP_ERR_LINE_END },
	{ "Call-ID: 1864251194@127.0.0.1\r\n", "Call-ID 1\r\n",
	  SIP_ERR_HEADER },
	{ "Call-ID: 1864251194@127.0.0.1\r\n", ": 1\r\n", SIP_ERR_HEADER },
	{ "Call-ID: 1864251194@127.0.0.1\r\n", "Call ID: 1\r\n",
	  SIP_ERR_HEADER },
	{ "Call-ID: 1864251194@127.0.0.1\r\n", "", SIP_ERR_MISSING_HEADER },
	{ "Via: ", "X-Via: ", SIP_ERR_MISSING_HEADER },
	{ "Content-Length: 0", "Content-Length: zero",
	  SIP_ERR_CONTENT_LENGTH },
	{ "Content-Length: 0", "Content-Length: ", SIP_ERR_CONTENT_LENGTH },
	{ "Content-Length: 0", "Content-Length: 0\r\nl: 3",
	  SIP_ERR_CONTENT_LENGTH },
	{ "Content-Length: 0", "Content-Length: 99999999999",
	  SIP_ERR_CONTENT_LENGTH },
	{ "Content-Length: 0", "Content-Length: 0\r\n 5",
	  SIP_ERR_HEADER },
	{ "Content-Length: 0", "Content-Length: 1", SIP_ERR_BODY_SHORT },
	{ "CSeq: 1 OPTIONS", "CSeq: 1 INVITE", SIP_ERR_CSEQ },
	{ "CSeq: 1 OPTIONS", "CSeq: OPTIONS", SIP_ERR_CSEQ },
	{ "CSeq: 1 OPTIONS", "CSeq: 2147483648 OPTIONS", SIP_ERR_CSEQ },
	{ "CSeq: 1 OPTIONS", "CSeq: 1 OPTIONS\r\nCSeq: 2 OPTIONS",
	  SIP_ERR_CSEQ },
	{ "\r\n\r\n", "\r\n", SIP_ERR_NO_END },
	{ "\r\n\r\n", "\r\n\r", SIP_ERR_NO_END },
};

static void test_faults(void **state)
{
	char buf[2048];

	(void)state;
	for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
		const char *at = strstr(options, faults[i].from);
		struct sip_msg m;
		size_t pre, n;

		assert_non_null(at);
		pre = (size_t)(at - options);
		n = (size_t)snprintf(buf, sizeof(buf), "%.*s%s%s", (int)pre,
				     options, faults[i].to,
				     at + strlen(faults[i].from));
		if (sip_parse((const uint8_t *)buf, n, &m) != faults[i].want)
			fail_msg("case %zu (%s): %s, not %s", i, faults[i].to,
				 sip_error_name(sip_parse((const uint8_t *)buf,
							  n, &m)),
				 sip_error_name(faults[i].want));
		assert_int_equal(m.len, 0);
	}
}

static void test_responses(void **state)
{
	struct sip_msg m;
	char buf[2048];
	size_t n;

	(void)state;
	/* an empty Reason-Phrase is allowed; the CSeq method is not checked */
	n = (size_t)snprintf(buf, sizeof(buf), "SIP/2.0 486 \r\n%s",
			     strchr(ok_200, '\n') + 1);
	assert_int_equal(sip_parse((const uint8_t *)buf, n, &m), SIP_OK);
	assert_int_equal(m.status, 486);
	n = (size_t)snprintf(buf, sizeof(buf), "SIP/2.0 2000 OK\r\n%s",
			     strchr(ok_200, '\n') + 1);
	assert_int_equal(sip_parse((const uint8_t *)buf, n, &m),
			 SIP_ERR_START_LINE);
	n = (size_t)snprintf(buf, sizeof(buf), "SIP/2.1 200 OK\r\n%s",
			     strchr(ok_200, '\n') + 1);
	assert_int_equal(sip_parse((const uint8_t *)buf, n, &m),
			 SIP_ERR_VERSION);
	assert_int_equal(sip_parse(S(""), &m), SIP_ERR_EMPTY);
	assert_int_equal(sip_parse(S("SIP/2.0 200 OK"), &m),
			 SIP_ERR_START_LINE);
	assert_int_equal(sip_parse(S("SIP/2.0 200 OK\r\nVia: x\r\n"), &m),
			 SIP_ERR_NO_END);
}

static void test_keepalive(void **state)
{
	/* a STUN Binding request, RFC 5769 section 2.1's header, no body */
	static const uint8_t stun[20] = {
		0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7,
		0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	};
	uint8_t bad[20];

	(void)state;
	assert_true(sip_is_keepalive(S("\r\n")));
	assert_true(sip_is_keepalive(S("\r\n\r\n")));
	assert_false(sip_is_keepalive(S("\r\n\r\n\r\n")));
	assert_false(sip_is_keepalive(S("\n")));
	assert_true(sip_is_keepalive(stun, sizeof(stun)));
	memcpy(bad, stun, sizeof(bad));
	bad[3] = 4;	/* a length the datagram does not have */
	assert_false(sip_is_keepalive(bad, sizeof(bad)));
	assert_false(sip_is_keepalive(S(options)));
}

static void test_drop_names(void **state)
{
	(void)state;
	assert_int_equal(adapter_sip.ndrops, SIP_ERR_MAX);
	for (int e = 0; e < SIP_ERR_MAX; e++)
		assert_string_equal(adapter_sip.drop_names[e],
				    sip_error_name((enum sip_error)e));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sipsak_and_kamailio),
		cmocka_unit_test(test_compact_folded_body),
		cmocka_unit_test(test_content_length_rules),
		cmocka_unit_test(test_faults),
		cmocka_unit_test(test_responses),
		cmocka_unit_test(test_keepalive),
		cmocka_unit_test(test_drop_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
