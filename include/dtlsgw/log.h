/*
 * Logging, after the OpenBSD daemon API (relayd's log.h).
 *
 * Everything goes to stderr with a level prefix.  A log line that names a
 * peer names its address; keys, PSKs and shared secrets never reach a log
 * line, at any level.
 */
#ifndef DTLSGW_LOG_H
#define DTLSGW_LOG_H

#include <stdbool.h>
#include <stdint.h>

struct sockaddr;

enum log_level {
	LOG_LEVEL_ERROR = 0,
	LOG_LEVEL_WARN,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG,
};

#define LOG_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* The level below which nothing is formatted; read it through log_enabled(). */
extern enum log_level log_current_level;

/* Set the level; returns nothing, cannot fail. */
void log_set_level(enum log_level level);

/* Parse "error", "warn", "info" or "debug"; 0, or -EINVAL. */
int log_level_parse(const char *s, enum log_level *out);

/* Name of a level, for --check output. */
const char *log_level_name(enum log_level level);

static inline bool log_enabled(enum log_level level)
{
	return level <= log_current_level;
}

void log_err(const char *, ...) LOG_PRINTF(1, 2);	/* appends strerror */
void log_errx(const char *, ...) LOG_PRINTF(1, 2);
void log_warn(const char *, ...) LOG_PRINTF(1, 2);	/* appends strerror */
void log_warnx(const char *, ...) LOG_PRINTF(1, 2);
void log_info(const char *, ...) LOG_PRINTF(1, 2);
void log_debug(const char *, ...) LOG_PRINTF(1, 2);
_Noreturn void fatal(const char *, ...) LOG_PRINTF(1, 2);
_Noreturn void fatalx(const char *, ...) LOG_PRINTF(1, 2);

/*
 * A token bucket for warnings a peer can trigger: log_ratelimit_ok()
 * returns true when a line may be printed now (at most `burst` lines, then
 * one per `interval_ms`), and counts the lines it suppressed.
 */
struct log_ratelimit {
	uint64_t	 last_ms;
	uint32_t	 tokens;
	uint32_t	 suppressed;
};

bool log_ratelimit_ok(struct log_ratelimit *rl, uint64_t now_ms,
		      uint32_t burst, uint32_t interval_ms);

/*
 * Format a socket address as "1.2.3.4:5" or "[::1]:5" into buf (at least
 * ADDR_STRLEN bytes); returns buf.  Never fails: an unknown family gives "?".
 */
#define ADDR_STRLEN 64
const char *addr_str(const struct sockaddr *sa, char *buf);

#endif
