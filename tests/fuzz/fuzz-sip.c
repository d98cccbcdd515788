/*
 * libFuzzer target for the SIP message check: sip_parse() on any bytes,
 * held in a heap block of their exact size (a read past the end is a
 * crash under ASan), and what an accepted message promises: a head that
 * ends with the empty line, a body inside the datagram, and the message
 * cut at Content-Length accepted again as the same message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dtlsgw/sip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size > 0 ? size : 1);
	struct sip_msg m, again;
	enum sip_error e;

	CHECK(buf != NULL);
	memcpy(buf, data, size);
	(void)sip_is_keepalive(buf, size);
	e = sip_parse(buf, size, &m);
	CHECK((unsigned int)e < SIP_ERR_MAX);
	CHECK(sip_error_name(e)[0] != '?');
	if (e != SIP_OK) {
		CHECK(m.len == 0 && m.head_len == 0);
		free(buf);
		return 0;
	}
	CHECK(m.head_len >= 4 && m.head_len <= size);
	CHECK(memcmp(buf + m.head_len - 4, "\r\n\r\n", 4) == 0);
	CHECK(m.len == m.head_len + m.body_len && m.len <= size);
	CHECK(!m.request || (m.method_len > 0 && m.method == buf));
	CHECK(m.request || (m.status >= 100 && m.status <= 699));
	if (!m.has_content_length)
		CHECK(m.len == size);
	CHECK(sip_parse(buf, m.len, &again) == SIP_OK);
	CHECK(again.len == m.len && again.head_len == m.head_len);
	free(buf);
	return 0;
}
