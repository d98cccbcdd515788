/*
 * The HTTP/1.x request head, as little of it as the metrics server needs:
 * the request line (method, target, version) and where the head ends.
 * Headers are skipped, not interpreted; bodies are not read.
 */
#include <stdbool.h>
#include <string.h>

#include "dtlsgw/metrics.h"

/* Where the head ends (after "\r\n\r\n" or "\n\n"), or 0: not yet. */
static size_t head_end(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (buf[i] != '\n')
			continue;
		if (i + 1 < len && buf[i + 1] == '\n')
			return i + 2;
		if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

static bool is_token_char(char c)
{
	return c > ' ' && c < 0x7f;
}

enum http_parse_result http_parse_request(const char *buf, size_t len,
					  size_t max)
{
	const char *p, *end, *target, *version;
	size_t mlen, tlen, vlen, line;

	if (len > max)
		len = max;
	if (head_end(buf, len) == 0)
		return len >= max ? HTTP_PARSE_TOO_LARGE : HTTP_PARSE_MORE;
	end = memchr(buf, '\n', len);	/* there is one: the head ended */
	line = (size_t)(end - buf);
	if (line > 0 && buf[line - 1] == '\r')
		line--;
	/* METHOD SP TARGET SP HTTP/1.x */
	p = buf;
	for (mlen = 0; mlen < line && is_token_char(p[mlen]); mlen++)
		;
	if (mlen == 0 || mlen == line || p[mlen] != ' ')
		return HTTP_PARSE_BAD;
	target = p + mlen + 1;
	for (tlen = 0; mlen + 1 + tlen < line && is_token_char(target[tlen]);
	     tlen++)
		;
	if (tlen == 0 || mlen + 1 + tlen == line || target[tlen] != ' ')
		return HTTP_PARSE_BAD;
	version = target + tlen + 1;
	vlen = line - mlen - tlen - 2;
	if (vlen != 8 || memcmp(version, "HTTP/1.", 7) != 0 ||
	    (version[7] != '0' && version[7] != '1'))
		return HTTP_PARSE_BAD;
	if (mlen != 3 || memcmp(p, "GET", 3) != 0)
		return HTTP_PARSE_BAD_METHOD;
	if ((tlen == 8 || (tlen > 8 && target[8] == '?')) &&
	    memcmp(target, "/metrics", 8) == 0)
		return HTTP_PARSE_METRICS;
	return HTTP_PARSE_NOT_FOUND;
}
