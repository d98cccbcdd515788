/*
 * libFuzzer target for the DNS codec: dns_parse() on any bytes (a heap
 * block of their exact size), then on what it accepts, dns_pad() with a
 * block and a limit taken from the input and dns_truncate(): each result
 * must parse again, the padded one a multiple of the block or at the
 * limit, never past it, the truncated one holding only the question.
 *
 * The input: two bytes choosing the block and the limit, then the message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dtlsgw/dns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) abort(); } while (0)

#define ROOM	(70000)

static const size_t blocks[] = { 1, 2, 128, 468, 1000 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t work[ROOM];
	struct dns_msg m, again;
	size_t block, max, n, before;
	uint8_t *buf;
	enum dns_error e;

	if (size < 2)
		return 0;
	block = blocks[data[0] % (sizeof(blocks) / sizeof(blocks[0]))];
	max = (size_t)data[1] * 16;
	data += 2;
	size -= 2;
	buf = malloc(size > 0 ? size : 1);
	CHECK(buf != NULL);
	memcpy(buf, data, size);
	e = dns_parse(buf, size, &m);
	free(buf);
	CHECK((unsigned int)e < DNS_ERR_MAX);
	if (e != DNS_OK || size > ROOM)
		return 0;
	CHECK(m.len == size && m.question_end <= size);
	CHECK(m.opt_off == 0 || (m.opt_off >= m.question_end &&
				 m.opt_off + DNS_OPT_FIXED_LEN <= size));
	if (m.opt_off != 0) {
		memcpy(work, data, size);
		n = size;
		e = dns_pad(work, &n, ROOM, &m, block, max);
		if (e == DNS_OK) {
			CHECK(n <= max && n == m.len);
			CHECK(dns_parse(work, n, &again) == DNS_OK);
			CHECK(again.opt_off == m.opt_off);
			before = n;
			/* padding again changes nothing */
			CHECK(dns_pad(work, &n, ROOM, &again, block, max) ==
			      DNS_OK && n == before);
		} else {
			CHECK(e == DNS_ERR_TOO_BIG && n == size &&
			      memcmp(work, data, size) == 0);
		}
	}
	CHECK(dns_parse(data, size, &m) == DNS_OK);
	memcpy(work, data, size);
	n = size;
	CHECK(dns_truncate(work, &n, &m) == DNS_OK);
	CHECK(n <= size && dns_parse(work, n, &again) == DNS_OK);
	CHECK((again.flags & DNS_FLAG_TC) && again.ancount == 0 &&
	      again.nscount == 0 && again.arcount <= 1);
	CHECK(again.question_end == m.question_end);
	return 0;
}
