/*
 * libFuzzer target for the metrics server's request parser:
 * http_parse_request() on arbitrary bytes, with every limit up to the
 * input's length.  It must read nothing past len (ASan watches: the input
 * is copied to a buffer of exactly len bytes), say MORE only when no head
 * has ended, and agree with itself when the limit only grows past the
 * head's end.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dtlsgw/metrics.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size > 0 ? size : 1);
	enum http_parse_result whole, r;

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	whole = http_parse_request(buf, size, 4096);
	CHECK(whole >= HTTP_PARSE_MORE && whole <= HTTP_PARSE_TOO_LARGE);
	if (size < 4096)
		CHECK(whole != HTTP_PARSE_TOO_LARGE);
	/* the same bytes behind a larger limit: the same answer */
	if (size < 4096) {
		r = http_parse_request(buf, size, 8192);
		CHECK(r == whole);
	}
	/* a prefix never holds a head the whole lacks */
	for (size_t n = 0; n < size && n < 64; n++) {
		r = http_parse_request(buf, n, 4096);
		if (whole == HTTP_PARSE_MORE)
			CHECK(r == HTTP_PARSE_MORE);
	}
	free(buf);
	return 0;
}
