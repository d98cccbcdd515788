/*
 * Logging to stderr, after relayd's log.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>

#include "dtlsgw/errors.h"
#include "dtlsgw/log.h"

enum log_level log_current_level = LOG_LEVEL_INFO;

static const char *const level_names[] = {
	[LOG_LEVEL_ERROR] = "error",
	[LOG_LEVEL_WARN] = "warn",
	[LOG_LEVEL_INFO] = "info",
	[LOG_LEVEL_DEBUG] = "debug",
};

void log_set_level(enum log_level level)
{
	log_current_level = level;
}

int log_level_parse(const char *s, enum log_level *out)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]);
	     i++) {
		if (strcmp(s, level_names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *log_level_name(enum log_level level)
{
	if ((size_t)level < sizeof(level_names) / sizeof(level_names[0]))
		return level_names[level];
	return "?";
}

static void vlog(enum log_level level, int errnum, const char *fmt,
		 va_list ap) __attribute__((format(printf, 3, 0)));

static void vlog(enum log_level level, int errnum, const char *fmt,
		 va_list ap)
{
	char line[2048];
	struct timespec ts;
	struct tm tm;
	size_t n;
	int r;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%S", &tm);
	r = snprintf(line + n, sizeof(line) - n, ".%03ldZ dtlsgw[%s]: ",
		     ts.tv_nsec / 1000000, level_names[level]);
	if (r > 0)
		n += (size_t)r;
	if (n < sizeof(line)) {
		r = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
		if (r > 0)
			n += (size_t)r;
	}
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	if (errnum != 0 && n < sizeof(line)) {
		r = snprintf(line + n, sizeof(line) - n, ": %s",
			     strerror(errnum));
		if (r > 0)
			n += (size_t)r;
		if (n >= sizeof(line))
			n = sizeof(line) - 1;
	}
	line[n] = '\0';
	/* one fprintf per line, so lines from worker threads do not mix */
	fprintf(stderr, "%s\n", line);
}

#define LOG_FN(name, level, with_errno)                                       \
	void name(const char *fmt, ...)                                       \
	{                                                                     \
		int saved = errno;                                            \
		va_list ap;                                                   \
		if (!log_enabled(level))                                      \
			return;                                               \
		va_start(ap, fmt);                                            \
		vlog(level, with_errno ? saved : 0, fmt, ap);                 \
		va_end(ap);                                                   \
		errno = saved;                                                \
	}

LOG_FN(log_err, LOG_LEVEL_ERROR, 1)
LOG_FN(log_errx, LOG_LEVEL_ERROR, 0)
LOG_FN(log_warn, LOG_LEVEL_WARN, 1)
LOG_FN(log_warnx, LOG_LEVEL_WARN, 0)
LOG_FN(log_info, LOG_LEVEL_INFO, 0)
LOG_FN(log_debug, LOG_LEVEL_DEBUG, 0)

void fatal(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_LEVEL_ERROR, saved, fmt, ap);
	va_end(ap);
	exit(1);
}

void fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_LEVEL_ERROR, 0, fmt, ap);
	va_end(ap);
	exit(1);
}

bool log_ratelimit_ok(struct log_ratelimit *rl, uint64_t now_ms,
		      uint32_t burst, uint32_t interval_ms)
{
	if (rl->last_ms == 0 || now_ms < rl->last_ms) {
		rl->last_ms = now_ms;
		rl->tokens = burst;
	} else if (interval_ms > 0) {
		uint64_t add = (now_ms - rl->last_ms) / interval_ms;

		if (add > 0) {
			rl->tokens = (uint32_t)((rl->tokens + add > burst) ?
							burst : rl->tokens + add);
			rl->last_ms += add * interval_ms;
		}
	}
	if (rl->tokens > 0) {
		rl->tokens--;
		return true;
	}
	rl->suppressed++;
	return false;
}

const char *addr_str(const struct sockaddr *sa, char *buf)
{
	char host[INET6_ADDRSTRLEN];

	if (sa == NULL) {
		snprintf(buf, ADDR_STRLEN, "-");
		return buf;
	}
	switch (sa->sa_family) {
	case AF_INET: {
		const struct sockaddr_in *sin = (const void *)sa;

		inet_ntop(AF_INET, &sin->sin_addr, host, sizeof(host));
		snprintf(buf, ADDR_STRLEN, "%s:%u", host, ntohs(sin->sin_port));
		break;
	}
	case AF_INET6: {
		const struct sockaddr_in6 *sin6 = (const void *)sa;

		inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof(host));
		snprintf(buf, ADDR_STRLEN, "[%s]:%u", host,
			 ntohs(sin6->sin6_port));
		break;
	}
	default:
		snprintf(buf, ADDR_STRLEN, "?");
		break;
	}
	return buf;
}

const char *dtlsgw_strerror(int err)
{
	switch (-err) {
	case DTLSGW_ERR_CONFIG:
		return "invalid configuration";
	case DTLSGW_ERR_TLS:
		return "TLS library failure";
	case DTLSGW_ERR_HANDSHAKE:
		return "handshake failed";
	case DTLSGW_ERR_CLOSED:
		return "closed by peer";
	case DTLSGW_ERR_FATAL_ALERT:
		return "fatal alert from peer";
	case DTLSGW_ERR_VERIFY:
		return "peer certificate refused";
	case DTLSGW_ERR_MALFORMED:
		return "malformed message";
	case DTLSGW_ERR_TOO_BIG:
		return "message too big";
	case DTLSGW_ERR_LIMIT:
		return "limit reached";
	case DTLSGW_ERR_NOBUFS:
		return "buffer pool exhausted";
	default:
		if (err < 0 && -err < DTLSGW_ERR_BASE)
			return strerror(-err);
		return "unknown error";
	}
}
