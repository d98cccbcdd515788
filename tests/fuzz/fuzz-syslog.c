/*
 * libFuzzer target for the syslog octet-counting framing: syslog_check()
 * on any record (a heap block of its exact size), the frames walked one by
 * one agreeing with it, and every frame re-framed with
 * syslog_frame_header() giving back the bytes it came from.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dtlsgw/syslog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size > 0 ? size : 1);
	uint8_t h[SYSLOG_FRAME_HEADER_MAX];
	enum syslog_error e, last;
	const uint8_t *msg;
	size_t count, n, off = 0, walked = 0;

	CHECK(buf != NULL);
	memcpy(buf, data, size);
	e = syslog_check(buf, size, &count);
	CHECK((unsigned int)e < SYSLOG_ERR_MAX);
	while ((last = syslog_frame_next(buf, size, &off, &msg, &n)) ==
	       SYSLOG_OK) {
		size_t hl = syslog_frame_header(n, h);

		CHECK(n > 0 && hl > 0 && msg >= buf + hl);
		CHECK(memcmp(msg - hl, h, hl) == 0);
		CHECK(msg + n == buf + off && off <= size);
		walked++;
	}
	if (e == SYSLOG_OK)
		CHECK(last == SYSLOG_ERR_EMPTY && count == walked &&
		      off == size);
	else
		CHECK(count == 0 && (size == 0 || last == e));
	free(buf);
	return 0;
}
