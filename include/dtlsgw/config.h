/*
 * Configuration: the INI file and the command line, with the same keys
 * (DESIGN.md, "Command line").  Parsing has no side effects: nothing is
 * resolved, opened or bound here.
 *
 * Errors name where (file and line, or "command line"), the key and what is
 * wrong; the caller prints them with config_error_print() and exits 2.
 */
#ifndef DTLSGW_CONFIG_H
#define DTLSGW_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dtlsgw/log.h"

struct profile;
struct snmp_tsm_rule;
struct snmp_community_map;

enum scheme {
	SCHEME_UDP = 0,
	SCHEME_DTLS_UDP,	/* "dtls" and "dtls+udp" */
	SCHEME_SCTP,
	SCHEME_DTLS_SCTP,
	SCHEME_DCCP,
	SCHEME_DTLS_DCCP,
	SCHEME_TCP,
	SCHEME_TUN,
	SCHEME_ECHO,
};

#define URI_MAX_PARAMS	8

struct uri_param {
	char	key[32];
	char	value[128];
};

/* A parsed URI: SCHEME://HOST[:PORT][?key=value&...] */
struct endpoint {
	enum scheme	 scheme;
	char		 host[256];	/* without the [] of an IPv6 literal; "" for echo:// */
	uint16_t	 port;		/* 0: not written (a default applies) */
	struct uri_param params[URI_MAX_PARAMS];
	size_t		 nparams;
};

/* True for the dtls+* schemes. */
bool scheme_is_dtls(enum scheme s);

/* "udp", "dtls", "sctp", "dtls+sctp", ... */
const char *scheme_name(enum scheme s);

/*
 * Parse s into *ep.  Returns 0, or -EINVAL with a message in err (errlen
 * bytes, always terminated).  IPv6 literals in brackets, an optional port
 * 1-65535, and up to URI_MAX_PARAMS query parameters.
 */
int uri_parse(const char *s, struct endpoint *ep, char *err, size_t errlen);

/* Format ep as a URI into buf; returns buf. */
const char *uri_format(const struct endpoint *ep, char *buf, size_t len);

/* The value of ep's query parameter key (the last given), NULL for none. */
const char *endpoint_param(const struct endpoint *ep, const char *key);

/*
 * ep's query parameter key as a decimal number in [lo, hi] into *out,
 * dflt when it is absent.  0, or -EINVAL for a value that is not one.
 */
int endpoint_param_uint(const struct endpoint *ep, const char *key,
			unsigned long lo, unsigned long hi, unsigned long dflt,
			unsigned long *out);

enum verify_mode {
	VERIFY_DEFAULT = 0,	/* not set: require with a CA or a pin, else none */
	VERIFY_NONE,
	VERIFY_OPTIONAL,
	VERIFY_REQUIRE,
};

#define CONFIG_MAX_FINGERPRINTS	16
#define CONFIG_MAX_PSK		64

struct tls_config {
	char		*cert;		/* PEM chain; NULL: not set */
	char		*key;		/* PEM key */
	char		*ca;		/* PEM trust anchors */
	char		*crl;		/* PEM CRL checked against the peer's chain */
	enum verify_mode verify;
	uint8_t		 fingerprints[CONFIG_MAX_FINGERPRINTS][32]; /* SHA-256 */
	size_t		 nfingerprints;
	char		*psk_identity;
	uint8_t		 psk[CONFIG_MAX_PSK];
	size_t		 psk_len;	/* 0: no PSK */
	char		*ciphers;
};

enum engine_kind {
	ENGINE_WOLFSSL = 0,
	ENGINE_OPENSSL,
};

struct route_config {
	char		*name;		/* INI section, or "route-N" from argv */
	char		*where;		/* "file:line" or "command line", for messages */
	const struct profile *profile;
	struct endpoint	 listen;
	struct endpoint	 forward;
	bool		 has_listen, has_forward;
	struct tls_config tls;		/* after config_finish: merged with globals */
	enum engine_kind engine;	/* after config_finish: the global engine */
	char		*secret;	/* radius: cleartext-side shared secret */
	/* radius: the cleartext side's other ports (0: none) */
	unsigned int	 acct_port;	/* default 1813 */
	unsigned int	 coa_port;	/* default 3799 (CoA and Disconnect) */
	bool		 status_local;	/* answer Status-Server on the DTLS side */
	unsigned int	 watchdog;	/* Status-Server after this many idle seconds, 0: off */
	uint8_t		 radius_set;	/* which of the four were given (RADIUS_SET_*) */
	/* snmp: certificate -> security name -> community */
	struct snmp_tsm_rule *snmp_rules;
	size_t		 nsnmp_rules;
	struct snmp_community_map *snmp_communities;
	size_t		 nsnmp_communities;
	unsigned int	 idle_timeout;	/* seconds; 0 after finish never happens */
	unsigned int	 max_sessions;
	unsigned int	 max_handshakes_per_source;
};

#define RADIUS_SET_ACCT_PORT	(1u << 0)
#define RADIUS_SET_COA_PORT	(1u << 1)
#define RADIUS_SET_STATUS	(1u << 2)
#define RADIUS_SET_WATCHDOG	(1u << 3)

/* --cert-sec-name rows per route */
#define CONFIG_MAX_SNMP_RULES		64

#define CONFIG_DEFAULT_ACCT_PORT	1813
#define CONFIG_DEFAULT_COA_PORT		3799
#define CONFIG_DEFAULT_WATCHDOG		30

enum config_action {
	CONFIG_ACTION_RUN = 0,
	CONFIG_ACTION_CHECK,
	CONFIG_ACTION_LIST_PROTOCOLS,
	CONFIG_ACTION_VERSION,
	CONFIG_ACTION_HELP,
};

/* Defaults, also printed by --help. */
#define CONFIG_DEFAULT_IDLE_TIMEOUT		300
#define CONFIG_DEFAULT_MAX_SESSIONS		10000
#define CONFIG_DEFAULT_MAX_HS_PER_SOURCE	16
#define CONFIG_DEFAULT_WORKERS			0	/* one per core */

struct config {
	char		*file;		/* -c FILE, or NULL */
	enum config_action action;
	struct tls_config tls;		/* global defaults for every route */
	char		*keylog;
	enum engine_kind engine;
	unsigned int	 workers;
	char		*metrics;	/* HOST:PORT, or NULL */
	char		*user;		/* drop to this user once bound, or NULL */
	char		*chroot;	/* chroot here once bound, or NULL */
	enum log_level	 log_level;
	unsigned int	 idle_timeout;	/* 0: not set */
	unsigned int	 max_sessions;	/* 0: not set */
	unsigned int	 max_handshakes_per_source; /* 0: not set */
	struct route_config *routes;
	size_t		 nroutes;
	/* which global keys were set, so the command line can override the file */
	uint64_t	 set_mask;
};

struct config_error {
	char	where[320];	/* "/etc/dtlsgw.conf:12" or "command line" */
	char	key[64];	/* "listen", or "" when no key applies */
	char	msg[512];
};

/*
 * Build the whole configuration from argv as main() receives it: find -c,
 * load that file, apply the command line on top (its global options override
 * the file's; its routes come after the file's), then config_finish().
 * On success returns 0 and cfg owns everything (free with config_free()).
 * On failure returns -DTLSGW_ERR_CONFIG... negative, fills *err, and cfg is
 * freed.  --help, --version, --list-protocols and --check set cfg->action.
 */
int config_build(struct config *cfg, int argc, char *const argv[],
		 struct config_error *err);

/*
 * Load an INI file into cfg (global keys before the first section, one
 * section per route).  Returns 0 or a negative error with *err filled.
 */
int config_load_file(struct config *cfg, const char *path,
		     struct config_error *err);

/* Same, from a string (for tests); where is used as the file name. */
int config_load_string(struct config *cfg, const char *text, const char *where,
		       struct config_error *err);

/* Apply command-line arguments (argv[0] is skipped). */
int config_parse_args(struct config *cfg, int argc, char *const argv[],
		      struct config_error *err);

/*
 * Validate and complete: every route has listen and forward, schemes this
 * build supports, default ports from the profile, the globals merged into
 * each route, unique route names.  Returns 0 or a negative error.
 */
int config_finish(struct config *cfg, struct config_error *err);

/* Free everything cfg owns and zero it; config_free on a zeroed cfg is fine. */
void config_free(struct config *cfg);

/* True when two finished routes would run identically (SIGHUP keeps these). */
bool config_route_equal(const struct route_config *a,
			const struct route_config *b);

/* Print what would run (--check); never prints a secret or a PSK. */
void config_print(const struct config *cfg, FILE *f);

/* Print "dtlsgw: WHERE: KEY: MSG" to f. */
void config_error_print(const struct config_error *err, FILE *f);

/* Print --help to f. */
void config_usage(FILE *f);

/*
 * Parse "sha256:HEX" (hex with or without colons, any case) into 32 bytes.
 * Returns 0 or -EINVAL.
 */
int fingerprint_parse(const char *s, uint8_t out[32]);

#endif
