/*
 * The octet-counting framing of syslog over DTLS: see
 * include/dtlsgw/syslog.h.
 */
#include <stddef.h>
#include <stdint.h>

#include "dtlsgw/syslog.h"

const char *const syslog_error_names[SYSLOG_ERR_MAX] = {
	[SYSLOG_OK] = "ok",
	[SYSLOG_ERR_EMPTY] = "empty",
	[SYSLOG_ERR_BAD_LENGTH] = "bad_length",
	[SYSLOG_ERR_SPLIT] = "split_frame",
	[SYSLOG_ERR_TOO_BIG] = "too_big",
};

size_t syslog_frame_header(size_t msg_len,
			   uint8_t out[SYSLOG_FRAME_HEADER_MAX])
{
	uint8_t digits[SYSLOG_LEN_DIGITS_MAX];
	size_t n = 0, i;

	while (msg_len > 0) {
		if (n == SYSLOG_LEN_DIGITS_MAX)
			return 0;
		digits[n++] = (uint8_t)('0' + msg_len % 10);
		msg_len /= 10;
	}
	for (i = 0; i < n; i++)
		out[i] = digits[n - 1 - i];
	if (n > 0)
		out[n++] = ' ';
	return n;
}

enum syslog_error syslog_frame_next(const uint8_t *buf, size_t len,
				    size_t *off, const uint8_t **msg,
				    size_t *msg_len)
{
	size_t pos = *off, n = 0, i;

	if (pos >= len)
		return SYSLOG_ERR_EMPTY;
	if (buf[pos] < '1' || buf[pos] > '9')
		return SYSLOG_ERR_BAD_LENGTH;
	for (i = pos; i < len && buf[i] >= '0' && buf[i] <= '9'; i++) {
		if (i - pos == SYSLOG_LEN_DIGITS_MAX)
			return SYSLOG_ERR_BAD_LENGTH;
		n = n * 10 + (size_t)(buf[i] - '0');
	}
	if (i == len)
		return SYSLOG_ERR_SPLIT;
	if (buf[i] != ' ')
		return SYSLOG_ERR_BAD_LENGTH;
	i++;
	if (n > len - i)
		return SYSLOG_ERR_SPLIT;
	*msg = buf + i;
	*msg_len = n;
	*off = i + n;
	return SYSLOG_OK;
}

enum syslog_error syslog_check(const uint8_t *buf, size_t len, size_t *count)
{
	const uint8_t *msg;
	enum syslog_error e;
	size_t off = 0, n;

	*count = 0;
	if (len == 0)
		return SYSLOG_ERR_EMPTY;
	while ((e = syslog_frame_next(buf, len, &off, &msg, &n)) == SYSLOG_OK)
		(*count)++;
	if (e != SYSLOG_ERR_EMPTY) {
		*count = 0;
		return e;
	}
	return SYSLOG_OK;
}
