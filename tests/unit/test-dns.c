/*
 * The DNS codec against a query as dig 9.18 sends it (EDNS(0) with a
 * COOKIE option) and dnsmasq 2.90's answer to it (a compression pointer,
 * an OPT RR), both captured on loopback; the padding of RFC 7830 with the
 * block lengths of RFC 8467 (and less when a limit says so), the
 * truncated answer, and every way a message fails to walk.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dtlsgw/adapter.h"
#include "dtlsgw/dns.h"
#include "hex.h"

/* dig +tries=1 www.test.example A: id 0x837d, RD AD, OPT 1232, COOKIE */
static const char query_hex[] =
	"83 7d 01 20 00 01 00 00 00 00 00 01 "
	"03 77 77 77 04 74 65 73 74 07 65 78 61 6d 70 6c 65 00 00 01 00 01 "
	"00 00 29 04 d0 00 00 00 00 00 0c "
	"00 0a 00 08 92 04 60 68 0c 27 9d e8";

/* dnsmasq's answer: www.test.example A 10.1.2.3 (name by pointer), OPT */
static const char answer_hex[] =
	"83 7d 85 80 00 01 00 01 00 00 00 01 "
	"03 77 77 77 04 74 65 73 74 07 65 78 61 6d 70 6c 65 00 00 01 00 01 "
	"c0 0c 00 01 00 01 00 00 00 00 00 04 0a 01 02 03 "
	"00 00 29 10 00 00 00 00 00 00 00";

#define QUESTION_END	34

static uint8_t buf[2048];

static void test_parse(void **state)
{
	struct dns_msg m;
	size_t n = hex(query_hex, buf, sizeof(buf));

	(void)state;
	assert_int_equal(dns_parse(buf, n, &m), DNS_OK);
	assert_int_equal(m.id, 0x837d);
	assert_false(m.flags & DNS_FLAG_QR);
	assert_int_equal(m.question_end, QUESTION_END);
	assert_int_equal(m.opt_off, QUESTION_END);
	assert_int_equal(m.len, n);

	n = hex(answer_hex, buf, sizeof(buf));
	assert_int_equal(dns_parse(buf, n, &m), DNS_OK);
	assert_true(m.flags & DNS_FLAG_QR);
	assert_int_equal(m.ancount, 1);
	assert_int_equal(m.opt_off, QUESTION_END + 16);
}

/* the offset of the first option with code in the OPT RR, or 0 */
static size_t find_option(const struct dns_msg *m, uint16_t code)
{
	size_t p = m->opt_off + DNS_OPT_FIXED_LEN;
	size_t end = p + (size_t)(buf[p - 2] << 8 | buf[p - 1]);

	while (p < end) {
		if ((buf[p] << 8 | buf[p + 1]) == code)
			return p;
		p += DNS_OPTION_HEADER_LEN + (size_t)(buf[p + 2] << 8 |
						      buf[p + 3]);
	}
	return 0;
}

static void test_pad_query(void **state)
{
	struct dns_msg m;
	size_t n = hex(query_hex, buf, sizeof(buf)), p;

	(void)state;
	assert_int_equal(dns_parse(buf, n, &m), DNS_OK);
	assert_int_equal(dns_pad(buf, &n, sizeof(buf), &m, DNS_PAD_QUERY,
				 1336), DNS_OK);
	assert_int_equal(n, 128);
	assert_int_equal(dns_parse(buf, n, &m), DNS_OK);
	assert_int_equal(m.len, 128);
	/* the cookie kept, one Padding option of zeros */
	assert_int_not_equal(find_option(&m, 10), 0);
	p = find_option(&m, DNS_OPT_PADDING);
	assert_int_not_equal(p, 0);
	assert_int_equal(p + 4 + (buf[p + 2] << 8 | buf[p + 3]), 128);
	for (size_t i = p + 4; i < 128; i++)
		assert_int_equal(buf[i], 0);
	/* padded again: the old Padding replaced, not added to */
	assert_int_equal(dns_pad(buf, &n, sizeof(buf), &m, DNS_PAD_RESPONSE,
				 1336), DNS_OK);
	assert_int_equal(n, 468);
	assert_int_equal(dns_parse(buf, n, &m), DNS_OK);
}

static void test_pad_limits(void **state)
{
	struct dns_msg m;
	size_t n = hex(answer_hex, buf, sizeof(buf)), orig = n;

	(void)state;
	assert_int_equal(dns_parse(buf, n, &m), DNS_OK);
	/* a limit below the block: padded up to the limit */
	assert_int_equal(dns_pad(buf, &n, sizeof(buf), &m, DNS_PAD_RESPONSE,
				 100), DNS_OK);
	assert_int_equal(n, 100);
	assert_int_equal(dns_parse(buf, n, &m), DNS_OK);
	/* room for the message but not an option: no padding */
	assert_int_equal(dns_pad(buf, &n, sizeof(buf), &m, DNS_PAD_RESPONSE,
				 orig + 3), DNS_OK);
	assert_int_equal(n, orig);
	assert_int_equal(find_option(&m, DNS_OPT_PADDING), 0);
	/* the message itself over the limit: untouched */
	assert_int_equal(dns_pad(buf, &n, sizeof(buf), &m, DNS_PAD_RESPONSE,
				 orig - 1), DNS_ERR_TOO_BIG);
	assert_int_equal(n, orig);
	assert_int_equal(dns_parse(buf, n, &m), DNS_OK);
}

static void test_truncate(void **state)
{
	struct dns_msg m;
	size_t n = hex(answer_hex, buf, sizeof(buf));

	(void)state;
	assert_int_equal(dns_parse(buf, n, &m), DNS_OK);
	assert_int_equal(dns_truncate(buf, &n, &m), DNS_OK);
	assert_int_equal(n, QUESTION_END + DNS_OPT_FIXED_LEN);
	assert_int_equal(dns_parse(buf, n, &m), DNS_OK);
	assert_true(m.flags & DNS_FLAG_TC);
	assert_true(m.flags & DNS_FLAG_QR);
	assert_int_equal(m.id, 0x837d);
	assert_int_equal(m.ancount + m.nscount, 0);
	assert_int_equal(m.arcount, 1);
	assert_int_equal(m.opt_off, QUESTION_END);
	/* its OPT still says 4096 */
	assert_int_equal(buf[QUESTION_END + 3] << 8 | buf[QUESTION_END + 4],
			 4096);
	assert_int_equal(dns_pad(buf, &n, sizeof(buf), &m, DNS_PAD_RESPONSE,
				 1336), DNS_OK);
	assert_int_equal(n, 468);
}

static void test_faults(void **state)
{
	static const struct {
		const char	*hex;
		enum dns_error	 want;
	} cases[] = {
		{ "83 7d 01 20 00 01 00 00 00 00 00", DNS_ERR_SHORT },
		{ "83 7d 01 20 00 00 00 00 00 00 00 00", DNS_ERR_QUESTION },
		/* a label running past the end */
		{ "83 7d 01 20 00 01 00 00 00 00 00 00 05 77 77", DNS_ERR_OVERRUN },
		/* no QTYPE, QCLASS */
		{ "83 7d 01 20 00 01 00 00 00 00 00 00 00 00 01", DNS_ERR_OVERRUN },
		/* label type 01 */
		{ "83 7d 01 20 00 01 00 00 00 00 00 00 41 00 00 01 00 01",
		  DNS_ERR_BAD_NAME },
		/* a pointer to itself, and one forwards */
		{ "83 7d 01 20 00 01 00 00 00 00 00 00 c0 0c 00 01 00 01",
		  DNS_ERR_BAD_NAME },
		{ "83 7d 01 20 00 01 00 00 00 00 00 00 c0 20 00 01 00 01",
		  DNS_ERR_BAD_NAME },
		/* a pointer into the header */
		{ "83 7d 01 20 00 01 00 00 00 00 00 00 c0 02 00 01 00 01",
		  DNS_ERR_BAD_NAME },
		/* a byte after the question */
		{ "83 7d 01 20 00 01 00 00 00 00 00 00 00 00 01 00 01 ff",
		  DNS_ERR_TRAILING },
		/* an answer promised, none there */
		{ "83 7d 81 20 00 01 00 01 00 00 00 00 00 00 01 00 01",
		  DNS_ERR_OVERRUN },
		/* RDLENGTH past the end */
		{ "83 7d 81 20 00 01 00 01 00 00 00 00 00 00 01 00 01 "
		  "00 00 01 00 01 00 00 00 00 00 05 0a 01 02 03", DNS_ERR_OVERRUN },
		/* OPT in the answer section */
		{ "83 7d 81 20 00 01 00 01 00 00 00 00 00 00 01 00 01 "
		  "00 00 29 10 00 00 00 00 00 00 00", DNS_ERR_BAD_OPT },
		/* OPT not root-named */
		{ "83 7d 01 20 00 01 00 00 00 00 00 01 00 00 01 00 01 "
		  "01 61 00 00 29 10 00 00 00 00 00 00 00", DNS_ERR_BAD_OPT },
		/* two OPT RRs */
		{ "83 7d 01 20 00 01 00 00 00 00 00 02 00 00 01 00 01 "
		  "00 00 29 10 00 00 00 00 00 00 00 "
		  "00 00 29 10 00 00 00 00 00 00 00", DNS_ERR_BAD_OPT },
		/* an option longer than the RDATA */
		{ "83 7d 01 20 00 01 00 00 00 00 00 01 00 00 01 00 01 "
		  "00 00 29 10 00 00 00 00 00 00 05 00 0c 00 02 00", DNS_ERR_BAD_OPT },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = hex(cases[i].hex, buf, sizeof(buf));
		struct dns_msg m;
		enum dns_error e = dns_parse(buf, n, &m);

		if (e != cases[i].want)
			fail_msg("case %zu: %s, not %s", i, dns_error_names[e],
				 dns_error_names[cases[i].want]);
		assert_int_equal(m.len, 0);
	}
}

static void test_adapter(void **state)
{
	(void)state;
	assert_int_equal(adapter_dns.ndrops, DNS_ERR_MAX);
	assert_string_equal(adapter_dns.drop_names[DNS_ERR_TRUNCATED],
			    "truncated");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_pad_query),
		cmocka_unit_test(test_pad_limits),
		cmocka_unit_test(test_truncate),
		cmocka_unit_test(test_faults),
		cmocka_unit_test(test_adapter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
