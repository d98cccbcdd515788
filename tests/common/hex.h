/*
 * Packets written in hex in unit tests, as tshark and RFCs print them:
 * HEX("01 00 00 14 ...", buf) fills buf and returns the byte count.  Any
 * character but a lower-case hex digit is a separator.  Include after
 * <cmocka.h>: a string with an odd digit or too long for buf fails the
 * test.
 */
#ifndef DTLSGW_TEST_HEX_H
#define DTLSGW_TEST_HEX_H

#include <stddef.h>
#include <stdint.h>

static inline size_t hex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *s != '\0'; s++) {
		int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else
			continue;
		if (hi < 0) {
			hi = d;
			continue;
		}
		assert_true(n < cap);
		out[n++] = (uint8_t)(hi << 4 | d);
		hi = -1;
	}
	assert_int_equal(hi, -1);
	return n;
}

#define HEX(s, buf) hex((s), (buf), sizeof(buf))

#endif
