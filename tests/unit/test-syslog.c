/*
 * The octet-counting framing of syslog over DTLS (RFC 6012 section 5.3,
 * RFC 5425 section 4.3): the header written for messages of every digit
 * count, records of one and of several frames as a conforming sender
 * writes them (RFC 5424 messages as logger --rfc5424 sends them), and
 * every way a record fails to be 1*SYSLOG-FRAME.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dtlsgw/adapter.h"
#include "dtlsgw/syslog.h"

#define S(x)	((const uint8_t *)(x)), (sizeof(x) - 1)

static void test_header(void **state)
{
	static const struct {
		size_t		 len;
		const char	*want;
	} cases[] = {
		{ 1, "1 " }, { 9, "9 " }, { 10, "10 " }, { 97, "97 " },
		{ 2048, "2048 " }, { 16384, "16384 " },
		{ 999999999, "999999999 " },
	};
	uint8_t h[SYSLOG_FRAME_HEADER_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = syslog_frame_header(cases[i].len, h);

		assert_int_equal(n, strlen(cases[i].want));
		assert_memory_equal(h, cases[i].want, n);
	}
	assert_int_equal(syslog_frame_header(0, h), 0);
	assert_int_equal(syslog_frame_header(1000000000, h), 0);
}

/* RFC 5424 section 6.5, example 1, as one frame (its 107 octets, without the BOM) */
static const char example1[] =
	"107 <34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - "
	"'su root' failed for lonvick on /dev/pts/8";

static void test_one_frame(void **state)
{
	const uint8_t *msg;
	size_t off = 0, n, count;

	(void)state;
	assert_int_equal(syslog_check(S(example1), &count), SYSLOG_OK);
	assert_int_equal(count, 1);
	assert_int_equal(syslog_frame_next(S(example1), &off, &msg, &n),
			 SYSLOG_OK);
	assert_int_equal(n, 107);
	assert_int_equal(off, sizeof(example1) - 1);
	assert_memory_equal(msg, "<34>1 2003", 10);
	assert_int_equal(syslog_frame_next(S(example1), &off, &msg, &n),
			 SYSLOG_ERR_EMPTY);
}

static void test_several_frames(void **state)
{
	static const char rec[] = "5 <13>a13 <13>1 - - - -1 x";
	const uint8_t *msg;
	size_t off = 0, n, count;

	(void)state;
	assert_int_equal(syslog_check(S(rec), &count), SYSLOG_OK);
	assert_int_equal(count, 3);
	assert_int_equal(syslog_frame_next(S(rec), &off, &msg, &n), SYSLOG_OK);
	assert_int_equal(n, 5);
	assert_memory_equal(msg, "<13>a", 5);
	assert_int_equal(syslog_frame_next(S(rec), &off, &msg, &n), SYSLOG_OK);
	assert_int_equal(n, 13);
	assert_memory_equal(msg, "<13>1 - - - -", 13);
	assert_int_equal(syslog_frame_next(S(rec), &off, &msg, &n), SYSLOG_OK);
	assert_int_equal(n, 1);
	assert_memory_equal(msg, "x", 1);
}

static void test_faults(void **state)
{
	static const struct {
		const char		*rec;
		enum syslog_error	 want;
	} cases[] = {
		{ "", SYSLOG_ERR_EMPTY },
		{ "<13>bare message, no framing", SYSLOG_ERR_BAD_LENGTH },
		{ "0 ", SYSLOG_ERR_BAD_LENGTH },
		{ "05 <13>a", SYSLOG_ERR_BAD_LENGTH },
		{ " 5 <13>a", SYSLOG_ERR_BAD_LENGTH },
		{ "5<13>a", SYSLOG_ERR_BAD_LENGTH },
		{ "5\t<13>a", SYSLOG_ERR_BAD_LENGTH },
		{ "1234567890 x", SYSLOG_ERR_BAD_LENGTH },
		{ "6 <13>a", SYSLOG_ERR_SPLIT },
		{ "5 <13>a5 <13>", SYSLOG_ERR_SPLIT },
		{ "5 <13>a5", SYSLOG_ERR_SPLIT },
		{ "5 <13>a\n", SYSLOG_ERR_BAD_LENGTH },
		{ "123", SYSLOG_ERR_SPLIT },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t count = 99;
		enum syslog_error e = syslog_check(
			(const uint8_t *)cases[i].rec, strlen(cases[i].rec),
			&count);

		if (e != cases[i].want)
			fail_msg("case %zu \"%s\": %s, not %s", i,
				 cases[i].rec, syslog_error_names[e],
				 syslog_error_names[cases[i].want]);
		assert_int_equal(count, 0);
	}
}

/* What the header and the message make is read back as that message. */
static void test_round_trip(void **state)
{
	static uint8_t buf[SYSLOG_FRAME_HEADER_MAX + 20000];
	static const size_t lens[] = { 1, 9, 10, 99, 100, 1023, 2048, 16384 };

	(void)state;
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		size_t hl = syslog_frame_header(lens[i], buf), off = 0, n;
		const uint8_t *msg;

		memset(buf + hl, 'a' + (int)i, lens[i]);
		assert_int_equal(syslog_frame_next(buf, hl + lens[i], &off,
						   &msg, &n),
				 SYSLOG_OK);
		assert_int_equal(n, lens[i]);
		assert_ptr_equal(msg, buf + hl);
		assert_int_equal(off, hl + lens[i]);
	}
}

static void test_adapter(void **state)
{
	(void)state;
	assert_int_equal(adapter_syslog.ndrops, SYSLOG_ERR_MAX);
	assert_string_equal(adapter_syslog.drop_names[SYSLOG_ERR_SPLIT],
			    "split_frame");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_one_frame),
		cmocka_unit_test(test_several_frames),
		cmocka_unit_test(test_faults),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_adapter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
