/*
 * Configuration: the INI file and the command line, with the same keys
 * (DESIGN.md, "Command line"), into a struct config.  Nothing is resolved,
 * opened (but the file itself) or bound here.
 *
 * The file is read with inih through our own line reader: Debian's libinih
 * neither passes line numbers to the handler nor refuses an over-long line
 * (it splits it), and it truncates section names to 49 characters.  The
 * reader counts lines (its count is the line the handler sees), refuses long
 * lines, strips leading white space (so inih never takes an indented line
 * for a continuation) and parses the [section] headers itself.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <pwd.h>
#include <sys/types.h>

#include <ini.h>

#include "dtlsgw-config.h"
#include "dtlsgw/config.h"
#include "dtlsgw/dtls.h"
#include "dtlsgw/errors.h"
#include "dtlsgw/log.h"
#include "dtlsgw/profile.h"
#include "dtlsgw/snmp_tsm.h"
#include "dtlsgw/tunnel.h"

#define CMDLINE		"command line"
#define ERR_CONFIG	(-DTLSGW_ERR_CONFIG)

#define IDLE_TIMEOUT_MAX	(86400u * 7)
#define MAX_SESSIONS_MAX	10000000u
#define MAX_HS_MAX		100000u
#define WORKERS_MAX		256u
#define PSK_IDENTITY_MAX	128
#define HOSTNAME_MAX		253
#define LABEL_MAX		63
#define IFNAME_MAX		15	/* IFNAMSIZ - 1 */
#define SECTION_MAX		63
#define QUOTE_MAX		80	/* bytes of a bad value echoed back */

/* Character classes, independent of the locale. */
static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_alnum(int c)
{
	return is_alpha(c) || is_digit(c);
}

static bool is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_print(int c)
{
	return c >= 0x20 && c < 0x7f;
}

/* [A-Za-z0-9_.-]: section names, interface names, zones, URI keys */
static bool is_name_char(int c)
{
	return is_alnum(c) || c == '_' || c == '.' || c == '-';
}

static int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Copy the value v for an error message: at most QUOTE_MAX bytes, anything
 * unprintable as '?', "..." when cut.  Returns buf.
 */
static const char *quote(const char *v, char *buf, size_t len)
{
	size_t n = 0;

	for (; *v != '\0' && n + 4 < len && n < QUOTE_MAX; v++)
		buf[n++] = is_print((unsigned char)*v) ? *v : '?';
	if (*v != '\0' && n + 3 < len) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	return buf;
}

#define QBUF	(QUOTE_MAX + 8)

static void vfmt(char *buf, size_t len, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static void vfmt(char *buf, size_t len, const char *fmt, va_list ap)
{
	if (len == 0)
		return;
	if (vsnprintf(buf, len, fmt, ap) < 0)
		buf[0] = '\0';
}

static void fmt(char *buf, size_t len, const char *fmt, ...)
	LOG_PRINTF(3, 4);

static void fmt(char *buf, size_t len, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	vfmt(buf, len, format, ap);
	va_end(ap);
}

static void copy_str(char *dst, size_t len, const char *src)
{
	size_t n = strlen(src);

	if (n >= len)
		n = len - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* "PATH:LINE", cutting PATH rather than LINE when it does not fit. */
static void where_line(char *buf, size_t len, const char *path, int line)
{
	char num[16];
	size_t n;

	fmt(num, sizeof(num), ":%d", line);
	n = strlen(path);
	if (n + strlen(num) >= len)
		n = len - strlen(num) - 1;
	memcpy(buf, path, n);
	memcpy(buf + n, num, strlen(num) + 1);
}

static int set_error(struct config_error *err, const char *where,
		     const char *key, const char *format, ...) LOG_PRINTF(4, 5);

/* Fill *err; returns -DTLSGW_ERR_CONFIG. */
static int set_error(struct config_error *err, const char *where,
		     const char *key, const char *format, ...)
{
	va_list ap;

	copy_str(err->where, sizeof(err->where), where);
	copy_str(err->key, sizeof(err->key), key != NULL ? key : "");
	va_start(ap, format);
	vfmt(err->msg, sizeof(err->msg), format, ap);
	va_end(ap);
	return ERR_CONFIG;
}

static int set_nomem(struct config_error *err, const char *where)
{
	set_error(err, where, "", "out of memory");
	return -ENOMEM;
}

/* free() for strings that may hold a secret */
static void free_secret(char *s)
{
	if (s != NULL) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

/*
 * Schemes.
 */

static const struct {
	const char	*name;
	enum scheme	 scheme;
} scheme_table[] = {
	{ "udp", SCHEME_UDP },
	{ "dtls", SCHEME_DTLS_UDP },
	{ "dtls+udp", SCHEME_DTLS_UDP },
	{ "sctp", SCHEME_SCTP },
	{ "dtls+sctp", SCHEME_DTLS_SCTP },
	{ "dccp", SCHEME_DCCP },
	{ "dtls+dccp", SCHEME_DTLS_DCCP },
	{ "tcp", SCHEME_TCP },
	{ "tun", SCHEME_TUN },
	{ "echo", SCHEME_ECHO },
};

bool scheme_is_dtls(enum scheme s)
{
	return s == SCHEME_DTLS_UDP || s == SCHEME_DTLS_SCTP ||
	       s == SCHEME_DTLS_DCCP;
}

const char *scheme_name(enum scheme s)
{
	switch (s) {
	case SCHEME_UDP:
		return "udp";
	case SCHEME_DTLS_UDP:
		return "dtls";
	case SCHEME_SCTP:
		return "sctp";
	case SCHEME_DTLS_SCTP:
		return "dtls+sctp";
	case SCHEME_DCCP:
		return "dccp";
	case SCHEME_DTLS_DCCP:
		return "dtls+dccp";
	case SCHEME_TCP:
		return "tcp";
	case SCHEME_TUN:
		return "tun";
	case SCHEME_ECHO:
		return "echo";
	}
	return "?";
}

/* The schemes this build can run; the others parse but config_finish
 * refuses them. */
static bool scheme_supported(enum scheme s)
{
	return s == SCHEME_UDP || s == SCHEME_DTLS_UDP || s == SCHEME_ECHO ||
	       s == SCHEME_TCP || (HAVE_TUN && s == SCHEME_TUN) ||
	       (HAVE_SCTP && (s == SCHEME_SCTP || s == SCHEME_DTLS_SCTP)) ||
	       (HAVE_DCCP && (s == SCHEME_DCCP || s == SCHEME_DTLS_DCCP));
}

/* A URI parameter's value v of key k: a number from lo to hi. */
static int check_number(const char *k, const char *v, unsigned long lo,
			unsigned long hi, char *msg, size_t msglen)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno != 0 || *end != '\0' || end == v || n < lo || n > hi) {
		fmt(msg, msglen, "%s=%s: a number from %lu to %lu", k, v, lo,
		    hi);
		return -EINVAL;
	}
	return 0;
}

/* The query parameters of an sctp:// URI (see transports/sctp.c). */
static int check_sctp_params(const struct endpoint *ep, char *msg,
			     size_t msglen)
{
	for (size_t i = 0; i < ep->nparams; i++) {
		const char *k = ep->params[i].key, *v = ep->params[i].value;
		unsigned long hi = 65535;

		if (strcmp(k, "encap") == 0) {
			if (strcmp(v, "udp") == 0 || strcmp(v, "raw") == 0)
				continue;
			fmt(msg, msglen, "encap=%s: udp (RFC 6951) or raw (IP "
			    "protocol 132)", v);
			return -EINVAL;
		}
		if (strcmp(k, "streams") == 0)
			hi = 1024;
		else if (strcmp(k, "encap-port") != 0) {
			fmt(msg, msglen, "unknown sctp parameter '%s' "
			    "(encap, encap-port, streams)", k);
			return -EINVAL;
		}
		if (check_number(k, v, 1, hi, msg, msglen) != 0)
			return -EINVAL;
	}
	return 0;
}

/*
 * The query parameters of a dccp:// URI (see transports/dccp/dccp.c):
 * encap, encap-port, service (a number or four characters), mtu.
 */
static int check_dccp_params(const struct endpoint *ep, char *msg,
			     size_t msglen)
{
	for (size_t i = 0; i < ep->nparams; i++) {
		const char *k = ep->params[i].key, *v = ep->params[i].value;

		if (strcmp(k, "encap") == 0) {
			if (strcmp(v, "udp") == 0 || strcmp(v, "raw") == 0 ||
			    strcmp(v, "kernel") == 0)
				continue;
			fmt(msg, msglen, "encap=%s: udp (RFC 6773), raw (IP "
			    "protocol 33) or kernel (SOCK_DCCP)", v);
			return -EINVAL;
		}
		if (strcmp(k, "service") == 0) {
			/* four characters, or 0 to 4294967294 (8.1.2) */
			if (strlen(v) == 4 && !(v[0] >= '0' && v[0] <= '9'))
				continue;
			if (check_number(k, v, 0, 4294967294ul, msg,
					 msglen) != 0)
				return -EINVAL;
			continue;
		}
		if (strcmp(k, "encap-port") == 0) {
			if (check_number(k, v, 1, 65535, msg, msglen) != 0)
				return -EINVAL;
			continue;
		}
		if (strcmp(k, "mtu") == 0) {
			if (check_number(k, v, 576, 65535, msg, msglen) != 0)
				return -EINVAL;
			continue;
		}
		fmt(msg, msglen, "unknown dccp parameter '%s' (encap, "
		    "encap-port, service, mtu)", k);
		return -EINVAL;
	}
	return 0;
}

/*
 * The query parameters of a tun:// URI (src/tunnel.c): their syntax here;
 * what the path leaves for the MTU, once the route's other side is known.
 */
static int check_tun_params(const struct endpoint *ep, char *msg,
			    size_t msglen)
{
	struct endpoint lenient = { .scheme = SCHEME_UDP, .host = "0.0.0.0" };
	struct tunnel_conf tc;

	return tunnel_conf_parse(ep, &lenient, &tc, msg, msglen);
}

/*
 * The query parameters of a udp:// URI towards a router (the gre-udp and
 * mpls-udp profiles, src/adapters/tunnel.c): reply-port on a listen
 * side, local-port on a forward side, flows on either.
 */
static int check_udp_params(const struct endpoint *ep, bool listen,
			    char *msg, size_t msglen)
{
	const char *port = listen ? "reply-port" : "local-port";

	for (size_t i = 0; i < ep->nparams; i++) {
		const char *k = ep->params[i].key, *v = ep->params[i].value;

		if (strcmp(k, "flows") == 0) {
			if (check_number(k, v, 1, 1024, msg, msglen) != 0)
				return -EINVAL;
		} else if (strcmp(k, port) == 0) {
			if (check_number(k, v, 1, 65535, msg, msglen) != 0)
				return -EINVAL;
		} else {
			fmt(msg, msglen, "unknown udp parameter '%s' on a %s "
			    "side (%s, flows)", k, listen ? "listen" :
			    "forward", port);
			return -EINVAL;
		}
	}
	return 0;
}

/* Whether an endpoint of this scheme has a port. */
static bool scheme_has_port(enum scheme s)
{
	return s != SCHEME_TUN && s != SCHEME_ECHO;
}

/*
 * URIs.
 */

/* s[0..n): 1-65535, digits only. */
static int parse_port(const char *s, size_t n, uint16_t *port, char *err,
		      size_t errlen)
{
	unsigned long v = 0;

	*port = 0;
	if (n == 0) {
		fmt(err, errlen, "empty port");
		return -EINVAL;
	}
	for (size_t i = 0; i < n; i++) {
		if (!is_digit((unsigned char)s[i])) {
			if (i > 0)
				fmt(err, errlen, "unexpected '%.*s' after the "
				    "port", (int)(n - i > 32 ? 32 : n - i),
				    s + i);
			else
				fmt(err, errlen, "invalid port '%.*s'",
				    (int)(n > 32 ? 32 : n), s);
			return -EINVAL;
		}
		if (v <= 65535)
			v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v < 1 || v > 65535) {
		fmt(err, errlen, "port '%.*s' out of range (1-65535)",
		    (int)(n > 32 ? 32 : n), s);
		return -EINVAL;
	}
	*port = (uint16_t)v;
	return 0;
}

static void bad_char(char *err, size_t errlen, const char *what, int c)
{
	if (is_print(c))
		fmt(err, errlen, "invalid character '%c' in %s", c, what);
	else
		fmt(err, errlen, "invalid character 0x%02x in %s", c, what);
}

/*
 * A host name or an IPv4 address, s[0..n): letters, digits, '-' and '.',
 * labels of 1-63 characters not starting or ending with '-', at most 253
 * characters plus an optional final dot.  Dotted digits must be an IPv4
 * address.
 */
static int check_hostname(const char *s, size_t n, char *err, size_t errlen)
{
	bool numeric = true;
	size_t label = 0;

	if (n == 0) {
		fmt(err, errlen, "empty host");
		return -EINVAL;
	}
	if (n > HOSTNAME_MAX + 1 ||
	    (n == HOSTNAME_MAX + 1 && s[n - 1] != '.')) {
		fmt(err, errlen, "host too long (max %d characters)",
		    HOSTNAME_MAX);
		return -EINVAL;
	}
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i];

		if (c == ':') {
			fmt(err, errlen, "an IPv6 address must be in brackets");
			return -EINVAL;
		}
		if (c == '.') {
			if (label == 0) {
				fmt(err, errlen, "empty label in host name");
				return -EINVAL;
			}
			if (s[i - 1] == '-') {
				fmt(err, errlen, "a host name label cannot "
				    "end with '-'");
				return -EINVAL;
			}
			label = 0;
			continue;
		}
		if (!is_alnum(c) && c != '-') {
			bad_char(err, errlen, "host", c);
			return -EINVAL;
		}
		if (c == '-' && label == 0) {
			fmt(err, errlen, "a host name label cannot start "
			    "with '-'");
			return -EINVAL;
		}
		if (!is_digit(c))
			numeric = false;
		if (++label > LABEL_MAX) {
			fmt(err, errlen, "host name label too long (max %d)",
			    LABEL_MAX);
			return -EINVAL;
		}
	}
	if (label > 0 && s[n - 1] == '-') {
		fmt(err, errlen, "a host name label cannot end with '-'");
		return -EINVAL;
	}
	if (numeric) {
		char tmp[HOSTNAME_MAX + 2];
		struct in_addr a;

		memcpy(tmp, s, n);
		tmp[n] = '\0';
		if (inet_pton(AF_INET, tmp, &a) != 1) {
			fmt(err, errlen, "invalid IPv4 address '%.*s'",
			    (int)(n > 32 ? 32 : n), s);
			return -EINVAL;
		}
	}
	return 0;
}

/* An interface name for tun://: [A-Za-z0-9_.-]{1,15} */
static int check_ifname(const char *s, size_t n, char *err, size_t errlen)
{
	if (n == 0) {
		fmt(err, errlen, "empty interface name");
		return -EINVAL;
	}
	if (n > IFNAME_MAX) {
		fmt(err, errlen, "interface name too long (max %d characters)",
		    IFNAME_MAX);
		return -EINVAL;
	}
	for (size_t i = 0; i < n; i++) {
		if (!is_name_char((unsigned char)s[i])) {
			bad_char(err, errlen, "interface name",
				 (unsigned char)s[i]);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * The inside of [...], s[0..n): an IPv6 address, with a zone ("%eth0", or
 * RFC 6874's "%25eth0") when zone_ok.  Writes "ADDR" or "ADDR%ZONE" to
 * host (hostlen bytes), the address in its canonical form (RFC 5952).
 */
static int parse_ipv6(const char *s, size_t n, bool zone_ok, char *host,
		      size_t hostlen, char *err, size_t errlen)
{
	char addr[INET6_ADDRSTRLEN];
	struct in6_addr a;
	const char *pct = memchr(s, '%', n);
	size_t alen = pct != NULL ? (size_t)(pct - s) : n;
	const char *zone = NULL;
	size_t zlen = 0;

	if (n == 0) {
		fmt(err, errlen, "empty IPv6 address");
		return -EINVAL;
	}
	if (alen >= sizeof(addr)) {
		fmt(err, errlen, "invalid IPv6 address");
		return -EINVAL;
	}
	memcpy(addr, s, alen);
	addr[alen] = '\0';
	for (size_t i = 0; i < alen; i++) {
		int c = (unsigned char)addr[i];

		if (hex_value(c) < 0 && c != ':' && c != '.') {
			bad_char(err, errlen, "IPv6 address", c);
			return -EINVAL;
		}
	}
	if (inet_pton(AF_INET6, addr, &a) != 1) {
		fmt(err, errlen, "invalid IPv6 address '%s'", addr);
		return -EINVAL;
	}
	/* one spelling per address, so that equal routes compare equal */
	if (inet_ntop(AF_INET6, &a, addr, sizeof(addr)) == NULL) {
		fmt(err, errlen, "invalid IPv6 address");
		return -EINVAL;
	}
	if (pct != NULL) {
		if (!zone_ok) {
			fmt(err, errlen, "no zone allowed here");
			return -EINVAL;
		}
		zone = pct + 1;
		zlen = n - alen - 1;
		if (zlen > 2 && zone[0] == '2' && zone[1] == '5') {
			zone += 2;	/* RFC 6874: "%25" is an encoded '%' */
			zlen -= 2;
		}
		if (zlen == 0) {
			fmt(err, errlen, "empty zone after '%%'");
			return -EINVAL;
		}
		if (zlen > IFNAME_MAX) {
			fmt(err, errlen, "zone too long (max %d characters)",
			    IFNAME_MAX);
			return -EINVAL;
		}
		for (size_t i = 0; i < zlen; i++) {
			if (!is_name_char((unsigned char)zone[i])) {
				bad_char(err, errlen, "zone",
					 (unsigned char)zone[i]);
				return -EINVAL;
			}
		}
	}
	if (zone != NULL)
		fmt(host, hostlen, "%s%%%.*s", addr, (int)zlen, zone);
	else
		fmt(host, hostlen, "%s", addr);
	return 0;
}

/* Safe in a query value without encoding (RFC 3986 pchar minus '&'). */
static bool is_query_char(int c)
{
	return is_alnum(c) ||
	       (c != '\0' && strchr("-._~!$'()*+,;=:@/?", c) != NULL);
}

/* k=v&k=v, s[0..n) */
static int parse_query(const char *s, size_t n, struct endpoint *ep,
		       char *err, size_t errlen)
{
	const char *end = s + n;

	if (n == 0) {
		fmt(err, errlen, "empty query after '?'");
		return -EINVAL;
	}
	while (s <= end) {
		const char *amp = memchr(s, '&', (size_t)(end - s));
		const char *pend = amp != NULL ? amp : end;
		const char *eq = memchr(s, '=', (size_t)(pend - s));
		const char *kend = eq != NULL ? eq : pend;
		struct uri_param *p;
		size_t klen = (size_t)(kend - s);
		size_t vlen = 0;

		if (klen == 0) {
			fmt(err, errlen, "empty parameter name");
			return -EINVAL;
		}
		if (ep->nparams == URI_MAX_PARAMS) {
			fmt(err, errlen, "too many parameters (max %d)",
			    URI_MAX_PARAMS);
			return -EINVAL;
		}
		if (klen >= sizeof(p->key)) {
			fmt(err, errlen, "parameter name too long (max %zu)",
			    sizeof(p->key) - 1);
			return -EINVAL;
		}
		for (const char *k = s; k < kend; k++) {
			if (!is_name_char((unsigned char)*k)) {
				bad_char(err, errlen, "parameter name",
					 (unsigned char)*k);
				return -EINVAL;
			}
		}
		p = &ep->params[ep->nparams];
		memcpy(p->key, s, klen);
		p->key[klen] = '\0';
		for (const char *v = eq != NULL ? eq + 1 : pend; v < pend;
		     v++) {
			int c = (unsigned char)*v;

			if (c == '%') {
				int hi = v + 1 < pend ? hex_value(v[1]) : -1;
				int lo = v + 2 < pend ? hex_value(v[2]) : -1;

				if (hi < 0 || lo < 0) {
					fmt(err, errlen, "bad percent "
					    "encoding in parameter '%s'",
					    p->key);
					return -EINVAL;
				}
				c = hi * 16 + lo;
				if (c < 0x20 || c == 0x7f) {
					fmt(err, errlen, "control character "
					    "%%%02X in parameter '%s'", c,
					    p->key);
					return -EINVAL;
				}
				v += 2;
			} else if (!is_query_char(c)) {
				bad_char(err, errlen, "parameter value", c);
				return -EINVAL;
			}
			if (vlen + 1 >= sizeof(p->value)) {
				fmt(err, errlen, "value of parameter '%s' too "
				    "long (max %zu)", p->key,
				    sizeof(p->value) - 1);
				return -EINVAL;
			}
			p->value[vlen++] = (char)c;
		}
		p->value[vlen] = '\0';
		ep->nparams++;
		if (amp == NULL)
			break;
		s = amp + 1;
		if (s == end) {
			fmt(err, errlen, "empty parameter name");
			return -EINVAL;
		}
	}
	return 0;
}

int uri_parse(const char *s, struct endpoint *ep, char *err, size_t errlen)
{
	char tmp[32];
	const char *sep, *auth, *q, *colon;
	size_t slen, alen;
	bool found = false;
	int rc;

	memset(ep, 0, sizeof(*ep));
	if (errlen > 0)
		err[0] = '\0';
	sep = strstr(s, "://");
	if (sep == NULL) {
		fmt(err, errlen, "expected SCHEME://HOST[:PORT]");
		return -EINVAL;
	}
	slen = (size_t)(sep - s);
	for (size_t i = 0; i < sizeof(scheme_table) / sizeof(scheme_table[0]);
	     i++) {
		if (strlen(scheme_table[i].name) == slen &&
		    strncasecmp(s, scheme_table[i].name, slen) == 0) {
			ep->scheme = scheme_table[i].scheme;
			found = true;
			break;
		}
	}
	if (!found) {
		char name[24];

		fmt(name, sizeof(name), "%.*s", (int)(slen > 20 ? 20 : slen),
		    s);
		fmt(err, errlen, "unknown scheme '%s' (udp, dtls, dtls+udp, "
		    "sctp, dtls+sctp, dccp, dtls+dccp, tcp, tun, echo)",
		    quote(name, tmp, sizeof(tmp)));
		return -EINVAL;
	}
	auth = sep + 3;
	q = strchr(auth, '?');
	alen = q != NULL ? (size_t)(q - auth) : strlen(auth);

	if (ep->scheme == SCHEME_ECHO) {
		if (alen > 0) {
			fmt(err, errlen, "echo:// takes no host or port");
			return -EINVAL;
		}
	} else if (alen > 0 && auth[0] == '[') {
		const char *close = memchr(auth, ']', alen);
		const char *rest;

		if (ep->scheme == SCHEME_TUN) {
			fmt(err, errlen, "tun:// takes an interface name");
			return -EINVAL;
		}
		if (close == NULL) {
			fmt(err, errlen, "missing ']' after the IPv6 address");
			return -EINVAL;
		}
		rc = parse_ipv6(auth + 1, (size_t)(close - auth - 1), true,
				ep->host, sizeof(ep->host), err, errlen);
		if (rc < 0)
			return rc;
		rest = close + 1;
		if (rest < auth + alen) {
			if (*rest != ':') {
				fmt(err, errlen, "unexpected '%c' after ']'",
				    is_print((unsigned char)*rest) ? *rest :
				    '?');
				return -EINVAL;
			}
			rc = parse_port(rest + 1,
					(size_t)(auth + alen - rest - 1),
					&ep->port, err, errlen);
			if (rc < 0)
				return rc;
		}
	} else {
		size_t hlen;

		colon = memchr(auth, ':', alen);
		hlen = colon != NULL ? (size_t)(colon - auth) : alen;
		if (colon != NULL &&
		    memchr(colon + 1, ':', alen - hlen - 1) != NULL) {
			fmt(err, errlen, "an IPv6 address must be in brackets");
			return -EINVAL;
		}
		if (hlen >= sizeof(ep->host)) {
			fmt(err, errlen, "host too long (max %d characters)",
			    HOSTNAME_MAX);
			return -EINVAL;
		}
		if (ep->scheme == SCHEME_TUN) {
			rc = check_ifname(auth, hlen, err, errlen);
			if (rc == 0 && colon != NULL) {
				fmt(err, errlen, "tun:// takes no port");
				rc = -EINVAL;
			}
		} else {
			rc = check_hostname(auth, hlen, err, errlen);
		}
		if (rc < 0)
			return rc;
		memcpy(ep->host, auth, hlen);
		ep->host[hlen] = '\0';
		if (colon != NULL) {
			rc = parse_port(colon + 1, alen - hlen - 1, &ep->port,
					err, errlen);
			if (rc < 0)
				return rc;
		}
	}
	if (q != NULL) {
		rc = parse_query(q + 1, strlen(q + 1), ep, err, errlen);
		if (rc < 0)
			return rc;
	}
	return 0;
}

struct strbuf {
	char	*buf;
	size_t	 len;
	size_t	 n;
};

static void sb_add(struct strbuf *sb, const char *s, size_t n)
{
	for (size_t i = 0; i < n && sb->n + 1 < sb->len; i++)
		sb->buf[sb->n++] = s[i];
	if (sb->len > 0)
		sb->buf[sb->n] = '\0';
}

static void sb_str(struct strbuf *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

const char *endpoint_param(const struct endpoint *ep, const char *key)
{
	const char *v = NULL;

	for (size_t i = 0; i < ep->nparams; i++)
		if (strcmp(ep->params[i].key, key) == 0)
			v = ep->params[i].value;
	return v;
}

int endpoint_param_uint(const struct endpoint *ep, const char *key,
			unsigned long lo, unsigned long hi, unsigned long dflt,
			unsigned long *out)
{
	const char *v = endpoint_param(ep, key);
	unsigned long n;
	char *end;

	*out = dflt;
	if (v == NULL)
		return 0;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno != 0 || *end != '\0' || end == v || n < lo || n > hi)
		return -EINVAL;
	*out = n;
	return 0;
}

const char *uri_format(const struct endpoint *ep, char *buf, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	struct strbuf sb = { buf, len, 0 };
	char port[8];

	if (len > 0)
		buf[0] = '\0';
	sb_str(&sb, scheme_name(ep->scheme));
	sb_str(&sb, "://");
	if (strchr(ep->host, ':') != NULL) {
		const char *pct = strchr(ep->host, '%');

		sb_str(&sb, "[");
		if (pct != NULL && pct[1] == '2' && pct[2] == '5' &&
		    pct[3] != '\0') {
			/* a zone starting "25" reads back only encoded (RFC 6874) */
			sb_add(&sb, ep->host, (size_t)(pct - ep->host));
			sb_str(&sb, "%25");
			sb_str(&sb, pct + 1);
		} else {
			sb_str(&sb, ep->host);
		}
		sb_str(&sb, "]");
	} else {
		sb_str(&sb, ep->host);
	}
	if (ep->port != 0) {
		fmt(port, sizeof(port), ":%u", (unsigned int)ep->port);
		sb_str(&sb, port);
	}
	for (size_t i = 0; i < ep->nparams && i < URI_MAX_PARAMS; i++) {
		const struct uri_param *p = &ep->params[i];

		sb_str(&sb, i == 0 ? "?" : "&");
		sb_str(&sb, p->key);
		if (p->value[0] == '\0')
			continue;
		sb_str(&sb, "=");
		for (const char *v = p->value; *v != '\0'; v++) {
			int c = (unsigned char)*v;
			char enc[3] = { '%', hex[c >> 4], hex[c & 15] };

			if (is_query_char(c))
				sb_add(&sb, v, 1);
			else
				sb_add(&sb, enc, 3);
		}
	}
	return buf;
}

int fingerprint_parse(const char *s, uint8_t out[32])
{
	uint8_t tmp[32];
	size_t n = 0;	/* hex digits */

	memset(out, 0, 32);
	if (strncasecmp(s, "sha256:", 7) != 0)
		return -EINVAL;
	for (s += 7; *s != '\0'; s++) {
		int v;

		if (*s == ':') {
			/* only between two bytes */
			if (n == 0 || n % 2 != 0 || s[1] == '\0' ||
			    s[1] == ':')
				return -EINVAL;
			continue;
		}
		v = hex_value((unsigned char)*s);
		if (v < 0 || n >= 64)
			return -EINVAL;
		if (n % 2 == 0)
			tmp[n / 2] = (uint8_t)(v << 4);
		else
			tmp[n / 2] |= (uint8_t)v;
		n++;
	}
	if (n != 64)
		return -EINVAL;
	memcpy(out, tmp, 32);
	return 0;
}

/*
 * Keys.  Those that may be global come first: each has a bit in set_mask
 * (SET_BIT: set at all; CLI_BIT: set on the command line, which overrides
 * the file).
 */

enum key_id {
	K_CERT = 0,
	K_KEY,
	K_CA,
	K_VERIFY,
	K_PEER_FINGERPRINT,
	K_PSK_IDENTITY,
	K_PSK,
	K_CIPHERS,
	K_IDLE_TIMEOUT,
	K_MAX_SESSIONS,
	K_MAX_HS,
	K_KEYLOG,
	K_ENGINE,
	K_WORKERS,
	K_METRICS,
	K_LOG_LEVEL,
	K_CRL,
	K_USER,
	K_CHROOT,
	K_NGLOBAL,
	K_LISTEN = K_NGLOBAL,
	K_FORWARD,
	K_PROTO,
	K_SECRET,
	K_ACCT_PORT,
	K_COA_PORT,
	K_STATUS_SERVER,
	K_WATCHDOG,
	K_CERT_SEC_NAME,
	K_SNMP_COMMUNITY,
	K_SNMP_MAP,
	K_CONFIG,
	K_CHECK,
	K_LIST_PROTOCOLS,
	K_VERSION,
	K_HELP,
	K_COUNT,
};

_Static_assert(K_NGLOBAL <= 32, "set_mask holds two bits per global key");
_Static_assert(K_COUNT <= 64, "route masks are 64 bits");

#define SET_BIT(id)	(UINT64_C(1) << (id))
#define CLI_BIT(id)	(UINT64_C(1) << (32 + (id)))
#define KEY_BIT(id)	(UINT64_C(1) << (id))

#define KF_ROUTE	0x01u	/* allowed in a route */
#define KF_GLOBAL	0x02u	/* allowed before the first route */
#define KF_CLI		0x04u	/* command line only */
#define KF_FLAG		0x08u	/* takes no value */
#define KF_REPEAT	0x10u	/* may be given more than once */
#define KF_SECRET	0x20u	/* its value never appears in a message */

static const struct key_def {
	const char	*name;
	char		 short_name;
	unsigned int	 flags;
} keys[K_COUNT] = {
	[K_CERT] = { "cert", 0, KF_ROUTE | KF_GLOBAL },
	[K_KEY] = { "key", 0, KF_ROUTE | KF_GLOBAL },
	[K_CA] = { "ca", 0, KF_ROUTE | KF_GLOBAL },
	[K_VERIFY] = { "verify", 0, KF_ROUTE | KF_GLOBAL },
	[K_PEER_FINGERPRINT] = { "peer-fingerprint", 0,
				 KF_ROUTE | KF_GLOBAL | KF_REPEAT },
	[K_PSK_IDENTITY] = { "psk-identity", 0, KF_ROUTE | KF_GLOBAL },
	[K_PSK] = { "psk", 0, KF_ROUTE | KF_GLOBAL | KF_SECRET },
	[K_CIPHERS] = { "ciphers", 0, KF_ROUTE | KF_GLOBAL },
	[K_IDLE_TIMEOUT] = { "idle-timeout", 0, KF_ROUTE | KF_GLOBAL },
	[K_MAX_SESSIONS] = { "max-sessions", 0, KF_ROUTE | KF_GLOBAL },
	[K_MAX_HS] = { "max-handshakes-per-source", 0,
		       KF_ROUTE | KF_GLOBAL },
	[K_KEYLOG] = { "keylog", 0, KF_GLOBAL },
	[K_ENGINE] = { "engine", 0, KF_GLOBAL },
	[K_WORKERS] = { "workers", 0, KF_GLOBAL },
	[K_METRICS] = { "metrics", 0, KF_GLOBAL },
	[K_LOG_LEVEL] = { "log-level", 0, KF_GLOBAL },
	[K_CRL] = { "crl", 0, KF_ROUTE | KF_GLOBAL },
	[K_USER] = { "user", 0, KF_GLOBAL },
	[K_CHROOT] = { "chroot", 0, KF_GLOBAL },
	[K_LISTEN] = { "listen", 'l', KF_ROUTE },
	[K_FORWARD] = { "forward", 'f', KF_ROUTE },
	[K_PROTO] = { "proto", 'p', KF_ROUTE },
	[K_SECRET] = { "secret", 0, KF_ROUTE | KF_SECRET },
	[K_ACCT_PORT] = { "acct-port", 0, KF_ROUTE },
	[K_COA_PORT] = { "coa-port", 0, KF_ROUTE },
	[K_STATUS_SERVER] = { "status-server", 0, KF_ROUTE },
	[K_WATCHDOG] = { "watchdog", 0, KF_ROUTE },
	[K_CERT_SEC_NAME] = { "cert-sec-name", 0, KF_ROUTE | KF_REPEAT },
	[K_SNMP_COMMUNITY] = { "snmp-community", 0,
			       KF_ROUTE | KF_REPEAT | KF_SECRET },
	[K_SNMP_MAP] = { "snmp-map", 0, KF_ROUTE | KF_REPEAT | KF_SECRET },
	[K_CONFIG] = { "config", 'c', KF_CLI },
	[K_CHECK] = { "check", 0, KF_CLI | KF_FLAG },
	[K_LIST_PROTOCOLS] = { "list-protocols", 0, KF_CLI | KF_FLAG },
	[K_VERSION] = { "version", 0, KF_CLI | KF_FLAG },
	[K_HELP] = { "help", 'h', KF_CLI | KF_FLAG },
};

/* The key called name[0..n), or -1. */
static int key_lookup(const char *name, size_t n)
{
	for (int i = 0; i < K_COUNT; i++) {
		if (strlen(keys[i].name) == n &&
		    memcmp(keys[i].name, name, n) == 0)
			return i;
	}
	return -1;
}

static int key_lookup_short(char c)
{
	for (int i = 0; i < K_COUNT; i++) {
		if (keys[i].short_name != 0 && keys[i].short_name == c)
			return i;
	}
	return -1;
}

static int set_string(char **dst, const char *value, bool secret)
{
	char *s = strdup(value);

	if (s == NULL)
		return -ENOMEM;
	if (secret)
		free_secret(*dst);
	else
		free(*dst);
	*dst = s;
	return 0;
}

/* A decimal number min..max, digits only. */
static int parse_number(const char *s, unsigned int min, unsigned int max,
			unsigned int *out, char *msg, size_t msglen)
{
	char q[QBUF];
	unsigned long v = 0;

	for (const char *p = s; *p != '\0'; p++) {
		if (!is_digit((unsigned char)*p)) {
			fmt(msg, msglen, "'%s' is not a number",
			    quote(s, q, sizeof(q)));
			return -EINVAL;
		}
		if (v <= max)
			v = v * 10 + (unsigned long)(*p - '0');
	}
	if (v < min || v > max) {
		fmt(msg, msglen, "'%s' is out of range (%u-%u)",
		    quote(s, q, sizeof(q)), min, max);
		return -EINVAL;
	}
	*out = (unsigned int)v;
	return 0;
}

/* The PSK, as hex; the value never appears in msg. */
static int parse_psk(const char *s, struct tls_config *tls, char *msg,
		     size_t msglen)
{
	size_t n = strlen(s);

	if (n % 2 != 0) {
		fmt(msg, msglen, "invalid hex (odd number of digits)");
		return -EINVAL;
	}
	if (n / 2 > CONFIG_MAX_PSK) {
		fmt(msg, msglen, "too long (max %d bytes, %d hex digits)",
		    CONFIG_MAX_PSK, 2 * CONFIG_MAX_PSK);
		return -EINVAL;
	}
	for (size_t i = 0; i < n; i++) {
		if (hex_value((unsigned char)s[i]) < 0) {
			fmt(msg, msglen, "invalid hex (expected 2 to %d hex "
			    "digits)", 2 * CONFIG_MAX_PSK);
			return -EINVAL;
		}
	}
	explicit_bzero(tls->psk, sizeof(tls->psk));
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hex_value((unsigned char)s[2 * i]);
		int lo = hex_value((unsigned char)s[2 * i + 1]);

		tls->psk[i] = (uint8_t)(hi << 4 | lo);
	}
	tls->psk_len = n / 2;
	return 0;
}

/* HOST:PORT, the IPv6 address in brackets. */
static int check_metrics(const char *s, char *msg, size_t msglen)
{
	char q[QBUF], e[128], host[INET6_ADDRSTRLEN + 2];
	const char *colon;
	uint16_t port;
	int rc;

	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (close == NULL) {
			fmt(e, sizeof(e), "missing ']' after the IPv6 address");
			rc = -EINVAL;
			goto out;
		}
		rc = parse_ipv6(s + 1, (size_t)(close - s - 1), false, host,
				sizeof(host), e, sizeof(e));
		if (rc < 0)
			goto out;
		colon = close + 1;
		if (*colon != ':') {
			fmt(e, sizeof(e), "expected ':PORT' after ']'");
			rc = -EINVAL;
			goto out;
		}
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL) {
			fmt(e, sizeof(e), "no port");
			rc = -EINVAL;
			goto out;
		}
		rc = check_hostname(s, (size_t)(colon - s), e, sizeof(e));
		if (rc < 0)
			goto out;
	}
	rc = parse_port(colon + 1, strlen(colon + 1), &port, e, sizeof(e));
out:
	if (rc < 0)
		fmt(msg, msglen, "invalid address '%s': %s (expected "
		    "HOST:PORT, an IPv6 address in brackets)",
		    quote(s, q, sizeof(q)), e);
	return rc;
}

/* Whether this build can run ep as a listen (or forward) endpoint. */
static int check_endpoint(const struct endpoint *ep, bool listen, char *msg,
			  size_t msglen)
{
	if (!scheme_supported(ep->scheme)) {
		fmt(msg, msglen, "scheme '%s' is not supported by this build "
		    "yet", scheme_name(ep->scheme));
		return -EINVAL;
	}
	if (listen && ep->scheme == SCHEME_ECHO) {
		fmt(msg, msglen, "echo:// can only be a forward");
		return -EINVAL;
	}
	if (ep->scheme == SCHEME_SCTP || ep->scheme == SCHEME_DTLS_SCTP)
		return check_sctp_params(ep, msg, msglen);
	if (ep->scheme == SCHEME_DCCP || ep->scheme == SCHEME_DTLS_DCCP)
		return check_dccp_params(ep, msg, msglen);
	if (ep->scheme == SCHEME_TUN)
		return check_tun_params(ep, msg, msglen);
	if (ep->scheme == SCHEME_UDP)
		return check_udp_params(ep, listen, msg, msglen);
	return 0;
}

static int parse_endpoint(const char *value, struct endpoint *dst,
			  bool *has, bool listen, char *msg, size_t msglen)
{
	struct endpoint ep;
	char q[QBUF], e[160];

	if (uri_parse(value, &ep, e, sizeof(e)) < 0) {
		fmt(msg, msglen, "invalid URI '%s': %s",
		    quote(value, q, sizeof(q)), e);
		return -EINVAL;
	}
	if (check_endpoint(&ep, listen, msg, msglen) < 0)
		return -EINVAL;
	*dst = ep;
	*has = true;
	return 0;
}

static int parse_proto(const char *value, const struct profile **out,
		       char *msg, size_t msglen)
{
	struct strbuf sb = { msg, msglen, 0 };
	const struct profile *p = profile_find(value);
	char q[QBUF];

	if (p != NULL) {
		*out = p;
		return 0;
	}
	fmt(msg, msglen, "unknown profile '%s' (", quote(value, q, sizeof(q)));
	sb.n = strlen(msg);
	for (size_t i = 0; (p = profile_at(i)) != NULL; i++) {
		if (i > 0)
			sb_str(&sb, ", ");
		sb_str(&sb, p->name);
	}
	sb_str(&sb, ")");
	return -EINVAL;
}

/* One more --cert-sec-name row. */
static int add_snmp_rule(struct route_config *r, const char *value, char *msg,
			 size_t msglen)
{
	struct snmp_tsm_rule rule, *rules;

	if (r->nsnmp_rules == CONFIG_MAX_SNMP_RULES) {
		fmt(msg, msglen, "too many rows (max %d)",
		    CONFIG_MAX_SNMP_RULES);
		return -EINVAL;
	}
	if (snmp_tsm_rule_parse(value, &rule, msg, msglen) < 0)
		return -EINVAL;
	rules = realloc(r->snmp_rules, (r->nsnmp_rules + 1) * sizeof(*rules));
	if (rules == NULL)
		return -ENOMEM;
	rules[r->nsnmp_rules++] = rule;
	r->snmp_rules = rules;
	return 0;
}

/*
 * One more --snmp-community, or snmp-map (map: its spelling); the
 * community never reaches msg.
 */
static int add_snmp_community(struct route_config *r, const char *value,
			      bool map, char *msg, size_t msglen)
{
	struct snmp_community_map m, *maps;
	int rc = map ? snmp_map_parse(value, &m, msg, msglen)
		     : snmp_community_parse(value, &m, msg, msglen);

	if (rc < 0)
		return rc;
	if (snmp_community_find(r->snmp_communities, r->nsnmp_communities,
				m.sec_name) != NULL) {
		fmt(msg, msglen, "security name '%s' given a community twice",
		    m.sec_name);
		free_secret(m.community);
		return -EINVAL;
	}
	maps = realloc(r->snmp_communities,
		       (r->nsnmp_communities + 1) * sizeof(*maps));
	if (maps == NULL) {
		free_secret(m.community);
		return -ENOMEM;
	}
	maps[r->nsnmp_communities++] = m;
	r->snmp_communities = maps;
	return 0;
}

/*
 * Whether the user exists, looked up here so that a wrong name is a
 * configuration error.  The last name found is remembered: after a chroot
 * /etc/passwd is gone, and a reload names the same user again.
 */
static bool user_exists(const char *name)
{
	static char known[64];

	if (known[0] != '\0' && strcmp(known, name) == 0)
		return true;
	if (getpwnam(name) == NULL)
		return false;
	copy_str(known, sizeof(known), name);
	return true;
}

/*
 * Apply key id = value to route r, or to the globals when r is NULL.
 * Returns 0, -EINVAL with msg filled, or -ENOMEM.
 */
static int apply_key(struct config *cfg, struct route_config *r,
		     enum key_id id, const char *value, char *msg,
		     size_t msglen)
{
	struct tls_config *tls = r != NULL ? &r->tls : &cfg->tls;
	char q[QBUF];
	uint8_t *fp;
	int rc;

	if (value[0] == '\0') {
		fmt(msg, msglen, "empty value");
		return -EINVAL;
	}
	switch (id) {
	case K_CERT:
		return set_string(&tls->cert, value, false);
	case K_KEY:
		return set_string(&tls->key, value, false);
	case K_CA:
		return set_string(&tls->ca, value, false);
	case K_CRL:
		return set_string(&tls->crl, value, false);
	case K_USER:
		if (!user_exists(value)) {
			fmt(msg, msglen, "no such user '%s'",
			    quote(value, q, sizeof(q)));
			return -EINVAL;
		}
		return set_string(&cfg->user, value, false);
	case K_CHROOT:
		if (value[0] != '/') {
			fmt(msg, msglen, "'%s' is not an absolute path",
			    quote(value, q, sizeof(q)));
			return -EINVAL;
		}
		return set_string(&cfg->chroot, value, false);
	case K_CIPHERS:
		return set_string(&tls->ciphers, value, false);
	case K_KEYLOG:
		return set_string(&cfg->keylog, value, false);
	case K_VERIFY:
		if (strcmp(value, "none") == 0)
			tls->verify = VERIFY_NONE;
		else if (strcmp(value, "optional") == 0)
			tls->verify = VERIFY_OPTIONAL;
		else if (strcmp(value, "require") == 0)
			tls->verify = VERIFY_REQUIRE;
		else
			break;
		return 0;
	case K_PEER_FINGERPRINT:
		if (tls->nfingerprints == CONFIG_MAX_FINGERPRINTS) {
			fmt(msg, msglen, "too many fingerprints (max %d)",
			    CONFIG_MAX_FINGERPRINTS);
			return -EINVAL;
		}
		fp = tls->fingerprints[tls->nfingerprints];
		if (fingerprint_parse(value, fp) < 0) {
			fmt(msg, msglen, "invalid fingerprint '%s' (expected "
			    "sha256: and 64 hex digits, colons allowed)",
			    quote(value, q, sizeof(q)));
			return -EINVAL;
		}
		tls->nfingerprints++;
		return 0;
	case K_PSK_IDENTITY:
		if (strlen(value) > PSK_IDENTITY_MAX) {
			fmt(msg, msglen, "too long (max %d characters)",
			    PSK_IDENTITY_MAX);
			return -EINVAL;
		}
		return set_string(&tls->psk_identity, value, false);
	case K_PSK:
		return parse_psk(value, tls, msg, msglen);
	case K_IDLE_TIMEOUT:
		return parse_number(value, 1, IDLE_TIMEOUT_MAX,
				    r != NULL ? &r->idle_timeout :
				    &cfg->idle_timeout, msg, msglen);
	case K_MAX_SESSIONS:
		return parse_number(value, 1, MAX_SESSIONS_MAX,
				    r != NULL ? &r->max_sessions :
				    &cfg->max_sessions, msg, msglen);
	case K_MAX_HS:
		return parse_number(value, 1, MAX_HS_MAX,
				    r != NULL ? &r->max_handshakes_per_source :
				    &cfg->max_handshakes_per_source, msg,
				    msglen);
	case K_WORKERS:
		return parse_number(value, 1, WORKERS_MAX, &cfg->workers, msg,
				    msglen);
	case K_ENGINE:
		if (strcmp(value, "wolfssl") == 0)
			cfg->engine = ENGINE_WOLFSSL;
		else if (strcmp(value, "openssl") == 0)
			cfg->engine = ENGINE_OPENSSL;
		else
			break;
		return 0;
	case K_METRICS:
		rc = check_metrics(value, msg, msglen);
		if (rc < 0)
			return rc;
		return set_string(&cfg->metrics, value, false);
	case K_LOG_LEVEL:
		if (log_level_parse(value, &cfg->log_level) < 0)
			break;
		return 0;
	case K_LISTEN:
		return parse_endpoint(value, &r->listen, &r->has_listen, true,
				      msg, msglen);
	case K_FORWARD:
		return parse_endpoint(value, &r->forward, &r->has_forward,
				      false, msg, msglen);
	case K_PROTO:
		return parse_proto(value, &r->profile, msg, msglen);
	case K_SECRET:
		return set_string(&r->secret, value, true);
	case K_ACCT_PORT:
		r->radius_set |= RADIUS_SET_ACCT_PORT;
		return parse_number(value, 0, 65535, &r->acct_port, msg,
				    msglen);
	case K_COA_PORT:
		r->radius_set |= RADIUS_SET_COA_PORT;
		return parse_number(value, 0, 65535, &r->coa_port, msg,
				    msglen);
	case K_WATCHDOG:
		r->radius_set |= RADIUS_SET_WATCHDOG;
		return parse_number(value, 0, 3600, &r->watchdog, msg,
				    msglen);
	case K_CERT_SEC_NAME:
		return add_snmp_rule(r, value, msg, msglen);
	case K_SNMP_COMMUNITY:
	case K_SNMP_MAP:
		return add_snmp_community(r, value, id == K_SNMP_MAP, msg,
					  msglen);
	case K_STATUS_SERVER:
		r->radius_set |= RADIUS_SET_STATUS;
		if (strcmp(value, "forward") == 0)
			r->status_local = false;
		else if (strcmp(value, "local") == 0)
			r->status_local = true;
		else
			break;
		return 0;
	default:
		fmt(msg, msglen, "not supported yet");
		return -EINVAL;
	}
	/* one of a fixed set of words */
	fmt(msg, msglen, "invalid value '%s' (expected %s)",
	    quote(value, q, sizeof(q)),
	    id == K_VERIFY ? "none, optional or require" :
	    id == K_ENGINE ? "wolfssl or openssl" :
	    id == K_STATUS_SERVER ? "forward or local" :
	    "error, warn, info or debug");
	return -EINVAL;
}

/* A new zeroed route at the end of cfg->routes; returns its index. */
static long add_route(struct config *cfg, const char *name, size_t namelen,
		      const char *where)
{
	struct route_config *routes, *r;

	routes = realloc(cfg->routes, (cfg->nroutes + 1) * sizeof(*routes));
	if (routes == NULL)
		return -ENOMEM;
	cfg->routes = routes;
	r = &routes[cfg->nroutes];
	memset(r, 0, sizeof(*r));
	r->name = strndup(name, namelen);
	r->where = strdup(where);
	if (r->name == NULL || r->where == NULL) {
		free(r->name);
		free(r->where);
		memset(r, 0, sizeof(*r));
		return -ENOMEM;
	}
	return (long)cfg->nroutes++;
}

/*
 * The INI file.
 */

struct ini_state {
	struct config		*cfg;
	struct config_error	*err;
	const char		*path;
	FILE			*fp;		/* the file, or NULL: */
	const char		*text;		/* the string */
	char			*line;		/* the current line */
	size_t			 cap;
	int			 lineno;	/* lines handed to inih */
	int			 err_line;	/* line of *err; 0: none */
	int			 rc;		/* the first error */
	long			 route;		/* in cfg->routes; -1: global */
	int			 global_line[K_COUNT];	/* first line of each */
	int			 route_line[K_COUNT];
};

static int ini_fail(struct ini_state *st, const char *key,
		    const char *format, ...) LOG_PRINTF(3, 4);

/* Record an error at the current line; returns 0 (an inih failure). */
static int ini_fail(struct ini_state *st, const char *key,
		    const char *format, ...)
{
	char where[sizeof(st->err->where)];
	va_list ap;

	where_line(where, sizeof(where), st->path, st->lineno);
	copy_str(st->err->where, sizeof(st->err->where), where);
	copy_str(st->err->key, sizeof(st->err->key), key);
	va_start(ap, format);
	vfmt(st->err->msg, sizeof(st->err->msg), format, ap);
	va_end(ap);
	st->rc = ERR_CONFIG;
	st->err_line = st->lineno;
	return 0;
}

static int ini_nomem(struct ini_state *st)
{
	set_nomem(st->err, st->path);
	st->rc = -ENOMEM;
	st->err_line = st->lineno;
	return 0;
}

/*
 * The next line, without its end of line, into st->line.  Returns its
 * length, or -1 at the end or on an error (then st->rc is set).
 */
static ssize_t ini_next_line(struct ini_state *st)
{
	ssize_t n;

	if (st->fp != NULL) {
		errno = 0;
		n = getline(&st->line, &st->cap, st->fp);
		if (n == -1) {
			int e = errno;

			if (ferror(st->fp)) {
				set_error(st->err, st->path, "",
					  "read error: %s", strerror(e));
				st->rc = ERR_CONFIG;
				st->err_line = st->lineno + 1;
			}
			return -1;
		}
	} else {
		const char *nl = strchr(st->text, '\n');
		size_t len = nl != NULL ? (size_t)(nl - st->text) + 1 :
			     strlen(st->text);

		if (len == 0)
			return -1;
		if (len + 1 > st->cap) {
			char *p = realloc(st->line, len + 1);

			if (p == NULL) {
				ini_nomem(st);
				return -1;
			}
			st->line = p;
			st->cap = len + 1;
		}
		memcpy(st->line, st->text, len);
		st->line[len] = '\0';
		st->text += len;
		n = (ssize_t)len;
	}
	if (n > 0 && st->line[n - 1] == '\n')
		n--;
	if (n > 0 && st->line[n - 1] == '\r')
		n--;
	st->line[n] = '\0';
	return n;
}

/* A "[name]" line: the start of a route.  Returns 0, or -1 on an error. */
static int ini_section(struct ini_state *st, const char *s)
{
	struct config *cfg = st->cfg;
	const char *name = s + 1;
	const char *close = strchr(name, ']');
	char where[sizeof(st->err->where)];
	char q[QBUF], n[SECTION_MAX + 1];
	bool valid = true;
	size_t len;
	long idx;

	if (close == NULL)
		return 0;	/* inih reports the syntax error */
	len = (size_t)(close - name);
	for (size_t i = 0; i < len; i++) {
		if (!is_name_char((unsigned char)name[i]))
			valid = false;
	}
	if (!valid || len == 0 || len > SECTION_MAX) {
		fmt(n, sizeof(n), "%.*s",
		    (int)(len > SECTION_MAX ? SECTION_MAX : len), name);
		ini_fail(st, "", "invalid section name '%s' (1 to %d letters, "
			 "digits, '_', '.' or '-')", quote(n, q, sizeof(q)),
			 SECTION_MAX);
		return -1;
	}
	for (s = close + 1; is_space((unsigned char)*s); s++)
		;
	if (*s != '\0' && *s != ';' && *s != '#') {
		ini_fail(st, "", "unexpected text after ']'");
		return -1;
	}
	memcpy(n, name, len);
	n[len] = '\0';
	for (size_t i = 0; i < cfg->nroutes; i++) {
		const char *w = cfg->routes[i].where;
		size_t plen = strlen(st->path);

		if (strcmp(cfg->routes[i].name, n) != 0)
			continue;
		if (strncmp(w, st->path, plen) == 0 && w[plen] == ':')
			ini_fail(st, "", "section [%s] given twice (first on "
				 "line %s)", n, w + plen + 1);
		else
			ini_fail(st, "", "section [%s] given twice (first at "
				 "%s)", n, w);
		return -1;
	}
	where_line(where, sizeof(where), st->path, st->lineno);
	idx = add_route(cfg, n, len, where);
	if (idx < 0) {
		ini_nomem(st);
		return -1;
	}
	st->route = idx;
	memset(st->route_line, 0, sizeof(st->route_line));
	return 0;
}

/* inih's fgets(): one line per call, so inih's line count is ours. */
static char *cfg_ini_read(char *str, int num, void *stream)
{
	struct ini_state *st = stream;
	ssize_t n;
	char *s;

	if (st->rc != 0)
		return NULL;	/* stop at the first error */
	n = ini_next_line(st);
	if (n < 0)
		return NULL;
	st->lineno++;
	if (strlen(st->line) != (size_t)n) {
		ini_fail(st, "", "NUL byte in line");
		return NULL;
	}
	if (num < 1 || n > num - 1) {
		ini_fail(st, "", "line too long (max %d characters)", num - 1);
		return NULL;
	}
	s = st->line;
	if (st->lineno == 1 && n >= 3 &&
	    memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;		/* UTF-8 BOM */
	while (is_space((unsigned char)*s))
		s++;
	if (*s == '[' && ini_section(st, s) < 0)
		return NULL;
	memcpy(str, s, strlen(s) + 1);
	return str;
}

static int cfg_ini_key(void *user, const char *section, const char *name,
		       const char *value)
{
	struct ini_state *st = user;
	struct config *cfg = st->cfg;
	struct route_config *r;
	const struct key_def *kd;
	char msg[sizeof(st->err->msg)];
	int *lines;
	int id, rc;

	(void)section;	/* ours, from ini_section(): inih truncates it */
	if (st->rc != 0)
		return 0;
	r = st->route >= 0 ? &cfg->routes[st->route] : NULL;
	lines = r != NULL ? st->route_line : st->global_line;
	if (name[0] == '\0')
		return ini_fail(st, "", "syntax error (no key before '=')");
	id = key_lookup(name, strlen(name));
	if (id < 0)
		return ini_fail(st, name, "unknown key");
	kd = &keys[id];
	if (kd->flags & KF_CLI)
		return ini_fail(st, name, "only on the command line");
	if (r == NULL && !(kd->flags & KF_GLOBAL))
		return ini_fail(st, name, "a route key: only inside a "
				"[section]");
	if (r != NULL && !(kd->flags & KF_ROUTE))
		return ini_fail(st, name, "a global key: not inside a "
				"[section] (put it before the first one)");
	if (!(kd->flags & KF_REPEAT) && lines[id] != 0)
		return ini_fail(st, name, "given twice (first on line %d)",
				lines[id]);
	if (lines[id] == 0)
		lines[id] = st->lineno;
	rc = apply_key(cfg, r, (enum key_id)id, value, msg, sizeof(msg));
	if (rc == -ENOMEM)
		return ini_nomem(st);
	if (rc < 0)
		return ini_fail(st, kd->name, "%s", msg);
	if (r == NULL)
		cfg->set_mask |= SET_BIT(id);
	return 1;
}

static int ini_load(struct config *cfg, const char *path, FILE *fp,
		    const char *text, struct config_error *err)
{
	struct ini_state st;
	char where[sizeof(err->where)];
	int r;

	memset(err, 0, sizeof(*err));
	memset(&st, 0, sizeof(st));
	st.cfg = cfg;
	st.err = err;
	st.path = path;
	st.fp = fp;
	st.text = text;
	st.route = -1;
	if (cfg->file == NULL) {
		cfg->file = strdup(path);
		if (cfg->file == NULL)
			return set_nomem(err, path);
	}
	r = ini_parse_stream(cfg_ini_read, &st, cfg_ini_key, &st);
	if (r > 0 && (st.rc == 0 || r < st.err_line)) {
		/* inih's own error: no '=' on a line, or no ']' */
		where_line(where, sizeof(where), path, r);
		st.rc = set_error(err, where, "", "syntax error (expected "
				  "key = value or [section])");
	} else if (r < 0 && st.rc == 0) {
		st.rc = set_nomem(err, path);
	}
	if (st.line != NULL) {
		explicit_bzero(st.line, st.cap);
		free(st.line);
	}
	return st.rc;
}

/*
 * Load the INI file path into cfg.  cfg->file becomes path when it was
 * unset.  On an error the routes read so far stay in cfg: the caller frees
 * it with config_free().  Returns 0, -DTLSGW_ERR_CONFIG (including a file
 * that cannot be opened or read) or -ENOMEM, with *err filled.
 */
int config_load_file(struct config *cfg, const char *path,
		     struct config_error *err)
{
	FILE *fp;
	int rc;

	memset(err, 0, sizeof(*err));
	fp = fopen(path, "re");
	if (fp == NULL)
		return set_error(err, path, "", "cannot open: %s",
				 strerror(errno));
	rc = ini_load(cfg, path, fp, NULL, err);
	fclose(fp);
	return rc;
}

/* config_load_file() on a string; where stands for the file name. */
int config_load_string(struct config *cfg, const char *text, const char *where,
		       struct config_error *err)
{
	return ini_load(cfg, where, NULL, text, err);
}

/*
 * The command line.
 */

struct args {
	int		 argc;
	char *const	*argv;
	int		 i;		/* the next argument */
	bool		 after_secret;	/* the previous option was a secret */
};

/*
 * The next option: its key in *id and its value in *value (NULL for a
 * flag).  Returns 0 or -DTLSGW_ERR_CONFIG with *err filled.
 */
static int args_next(struct args *a, enum key_id *id, const char **value,
		     struct config_error *err)
{
	const char *arg = a->argv[a->i++];
	const char *inline_value = NULL;
	const struct key_def *kd;
	char q[QBUF], name[64];
	bool after_secret = a->after_secret;
	int k;

	*value = NULL;
	a->after_secret = false;
	if (arg[0] == '-' && arg[1] == '-' && arg[2] != '\0') {
		const char *eq = strchr(arg + 2, '=');
		size_t n = eq != NULL ? (size_t)(eq - arg - 2) :
			   strlen(arg + 2);

		k = key_lookup(arg + 2, n);
		if (k < 0) {
			fmt(name, sizeof(name), "%.*s",
			    (int)(n >= sizeof(name) ? sizeof(name) - 1 : n),
			    arg + 2);
			quote(name, q, sizeof(q));
			return set_error(err, CMDLINE, q,
					 "unknown option '--%s'", q);
		}
		if (eq != NULL)
			inline_value = eq + 1;
	} else if (arg[0] == '-' && arg[1] != '\0' && arg[1] != '-') {
		k = key_lookup_short(arg[1]);
		if (k >= 0 && arg[2] != '\0') {
			if (keys[k].flags & KF_FLAG)
				k = -1;		/* "-hx" */
			else
				inline_value = arg + 2;
		}
		if (k < 0)
			return set_error(err, CMDLINE, "",
					 "unknown option '%s'",
					 quote(arg, q, sizeof(q)));
	} else if (after_secret) {
		/* most likely the rest of a secret with a space in it */
		return set_error(err, CMDLINE, "", "unexpected argument %d "
				 "(after a secret: quote a value with spaces)",
				 a->i - 1);
	} else {
		return set_error(err, CMDLINE, "", "unexpected argument '%s'",
				 quote(arg, q, sizeof(q)));
	}
	*id = (enum key_id)k;
	kd = &keys[k];
	if (kd->flags & KF_FLAG) {
		if (inline_value != NULL)
			return set_error(err, CMDLINE, kd->name,
					 "--%s takes no value", kd->name);
		return 0;
	}
	a->after_secret = (kd->flags & KF_SECRET) != 0;
	if (inline_value != NULL) {
		*value = inline_value;
		return 0;
	}
	if (a->i >= a->argc || (a->argv[a->i][0] == '-' &&
				a->argv[a->i][1] == '-' &&
				a->argv[a->i][2] != '\0'))
		return set_error(err, CMDLINE, kd->name, "--%s needs a value",
				 kd->name);
	*value = a->argv[a->i++];
	return 0;
}

static enum config_action action_of(enum key_id id)
{
	switch (id) {
	case K_CHECK:
		return CONFIG_ACTION_CHECK;
	case K_LIST_PROTOCOLS:
		return CONFIG_ACTION_LIST_PROTOCOLS;
	case K_VERSION:
		return CONFIG_ACTION_VERSION;
	case K_HELP:
		return CONFIG_ACTION_HELP;
	default:
		return CONFIG_ACTION_RUN;
	}
}

/* --help wins over --version over --list-protocols over --check. */
static void set_action(struct config *cfg, enum config_action action)
{
	if (action > cfg->action)
		cfg->action = action;
}

/*
 * Apply argv[1..argc) to cfg.  -c/--config is skipped (config_build() loads
 * the file first); the actions only set cfg->action.  Global keys given
 * here replace the file's (the first --peer-fingerprint here drops the
 * file's pins); routes are named route-N, counting on from the command-line
 * routes cfg already has.  Returns 0, -DTLSGW_ERR_CONFIG or -ENOMEM with
 * *err filled; cfg keeps what was applied before the error.
 */
int config_parse_args(struct config *cfg, int argc, char *const argv[],
		      struct config_error *err)
{
	struct args a = { argc, argv, 1, false };
	char msg[sizeof(err->msg)], name[32];
	unsigned int nroute = 0;
	uint64_t route_mask = 0;
	long route = -1;
	int rc;

	memset(err, 0, sizeof(*err));
	for (size_t i = 0; i < cfg->nroutes; i++) {
		if (strcmp(cfg->routes[i].where, CMDLINE) == 0)
			nroute++;
	}
	while (a.i < argc) {
		const struct key_def *kd;
		const char *value;
		enum key_id id;

		rc = args_next(&a, &id, &value, err);
		if (rc < 0)
			return rc;
		kd = &keys[id];
		if (id == K_CONFIG)
			continue;	/* config_build() loaded it */
		if (kd->flags & KF_FLAG) {
			set_action(cfg, action_of(id));
			continue;
		}
		if (id == K_LISTEN) {
			fmt(name, sizeof(name), "route-%u", ++nroute);
			route = add_route(cfg, name, strlen(name), CMDLINE);
			if (route < 0)
				return set_nomem(err, CMDLINE);
			route_mask = 0;
		}
		if (route < 0 && !(kd->flags & KF_GLOBAL))
			return set_error(err, CMDLINE, kd->name, "--%s before "
					 "--listen (each route starts with "
					 "--listen)", kd->name);
		if (route >= 0 && (kd->flags & KF_ROUTE)) {
			struct route_config *r = &cfg->routes[route];

			if (!(kd->flags & KF_REPEAT) &&
			    (route_mask & KEY_BIT(id)))
				return set_error(err, CMDLINE, kd->name,
						 "given twice for route %s",
						 r->name);
			route_mask |= KEY_BIT(id);
			rc = apply_key(cfg, r, id, value, msg, sizeof(msg));
		} else {
			if (!(kd->flags & KF_REPEAT) &&
			    (cfg->set_mask & CLI_BIT(id)))
				return set_error(err, CMDLINE, kd->name,
						 "given twice");
			/* the command line's pins replace the file's */
			if (id == K_PEER_FINGERPRINT &&
			    !(cfg->set_mask & CLI_BIT(id)))
				cfg->tls.nfingerprints = 0;
			rc = apply_key(cfg, NULL, id, value, msg, sizeof(msg));
			cfg->set_mask |= SET_BIT(id) | CLI_BIT(id);
		}
		if (rc == -ENOMEM)
			return set_nomem(err, CMDLINE);
		if (rc < 0)
			return set_error(err, CMDLINE, kd->name, "%s", msg);
	}
	return 0;
}

/*
 * The whole configuration from main()'s argv: a first pass finds -c and the
 * actions (and any malformed option); --help, --version and
 * --list-protocols return at once, without reading the file.  Otherwise:
 * the file, the command line, config_finish().  cfg is zeroed on entry and
 * freed on an error.
 */
int config_build(struct config *cfg, int argc, char *const argv[],
		 struct config_error *err)
{
	struct args a = { argc, argv, 1, false };
	enum config_action action = CONFIG_ACTION_RUN;
	const char *file = NULL;
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	memset(err, 0, sizeof(*err));
	/* first pass: -c and the actions, and any malformed option */
	while (a.i < argc) {
		const char *value;
		enum key_id id;

		rc = args_next(&a, &id, &value, err);
		if (rc < 0)
			goto fail;
		if (id == K_CONFIG) {
			if (file != NULL) {
				rc = set_error(err, CMDLINE, "config",
					       "given twice");
				goto fail;
			}
			file = value;
		} else if (action_of(id) > action) {
			action = action_of(id);
		}
	}
	cfg->action = action;
	if (action == CONFIG_ACTION_HELP || action == CONFIG_ACTION_VERSION ||
	    action == CONFIG_ACTION_LIST_PROTOCOLS)
		return 0;
	if (file != NULL) {
		cfg->file = strdup(file);
		if (cfg->file == NULL) {
			rc = set_nomem(err, CMDLINE);
			goto fail;
		}
		rc = config_load_file(cfg, file, err);
		if (rc < 0)
			goto fail;
	}
	rc = config_parse_args(cfg, argc, argv, err);
	if (rc < 0)
		goto fail;
	rc = config_finish(cfg, err);
	if (rc < 0)
		goto fail;
	return 0;
fail:
	config_free(cfg);
	return rc;
}

/*
 * Finishing: defaults, merging, checks.
 */

/* Where a global key was set, for config_finish()'s messages. */
static const char *global_where(const struct config *cfg, enum key_id id)
{
	if (cfg->set_mask & CLI_BIT(id))
		return CMDLINE;
	return cfg->file != NULL ? cfg->file : CMDLINE;
}

static int merge_str(char **dst, const char *src)
{
	if (*dst != NULL || src == NULL)
		return 0;
	*dst = strdup(src);
	return *dst != NULL ? 0 : -ENOMEM;
}

static unsigned int merge_limit(unsigned int route, unsigned int global,
				unsigned int def)
{
	if (route != 0)
		return route;
	return global != 0 ? global : def;
}

/* Fill what r leaves unset from the globals, then from the defaults. */
static int merge_route(struct route_config *r, const struct config *cfg)
{
	const struct tls_config *g = &cfg->tls;
	struct tls_config *t = &r->tls;

	if (merge_str(&t->cert, g->cert) < 0 ||
	    merge_str(&t->key, g->key) < 0 ||
	    merge_str(&t->ca, g->ca) < 0 ||
	    merge_str(&t->crl, g->crl) < 0 ||
	    merge_str(&t->psk_identity, g->psk_identity) < 0 ||
	    merge_str(&t->ciphers, g->ciphers) < 0)
		return -ENOMEM;
	if (t->verify == VERIFY_DEFAULT)
		t->verify = g->verify;
	if (t->nfingerprints == 0 && g->nfingerprints > 0) {
		memcpy(t->fingerprints, g->fingerprints,
		       sizeof(t->fingerprints));
		t->nfingerprints = g->nfingerprints;
	}
	if (t->psk_len == 0 && g->psk_len > 0) {
		memcpy(t->psk, g->psk, sizeof(t->psk));
		t->psk_len = g->psk_len;
	}
	r->engine = cfg->engine;
	r->idle_timeout = merge_limit(r->idle_timeout, cfg->idle_timeout,
				      CONFIG_DEFAULT_IDLE_TIMEOUT);
	r->max_sessions = merge_limit(r->max_sessions, cfg->max_sessions,
				      CONFIG_DEFAULT_MAX_SESSIONS);
	r->max_handshakes_per_source =
		merge_limit(r->max_handshakes_per_source,
			    cfg->max_handshakes_per_source,
			    CONFIG_DEFAULT_MAX_HS_PER_SOURCE);
	return 0;
}

static int pair_error(const struct config *cfg, const struct route_config *r,
		      enum key_id id, const char *msg,
		      struct config_error *err)
{
	if (r != NULL)
		return set_error(err, r->where, keys[id].name, "route %s: %s",
				 r->name, msg);
	return set_error(err, global_where(cfg, id), keys[id].name, "%s", msg);
}

/*
 * cert and key, psk and psk-identity: both or neither, in route r once
 * merged, or in the globals when r is NULL.
 */
static int check_pairs(const struct config *cfg, const struct route_config *r,
		       struct config_error *err)
{
	const struct tls_config *t = r != NULL ? &r->tls : &cfg->tls;

	if (t->key != NULL && t->cert == NULL)
		return pair_error(cfg, r, K_KEY, "key without cert", err);
	if (t->cert != NULL && t->key == NULL)
		return pair_error(cfg, r, K_CERT, "cert without key", err);
	if (t->psk_len > 0 && t->psk_identity == NULL)
		return pair_error(cfg, r, K_PSK, "psk without psk-identity",
				  err);
	if (t->psk_identity != NULL && t->psk_len == 0)
		return pair_error(cfg, r, K_PSK_IDENTITY,
				  "psk-identity without psk", err);
	/* a CRL is checked against the CA that signed it (once merged) */
	if (r != NULL && t->crl != NULL && t->ca == NULL)
		return pair_error(cfg, r, K_CRL, "crl without ca", err);
	return 0;
}

/* A missing port takes the profile's default for that side. */
static int default_port(struct endpoint *ep, const struct profile *p,
			const char *key, const struct route_config *r,
			struct config_error *err)
{
	char uri[512];

	if (!scheme_has_port(ep->scheme) || ep->port != 0)
		return 0;
	ep->port = scheme_is_dtls(ep->scheme) ? p->dtls_port : p->clear_port;
	if (ep->port != 0)
		return 0;
	return set_error(err, r->where, key, "route %s: %s: no port and "
			 "profile %s has no default", r->name,
			 uri_format(ep, uri, sizeof(uri)), p->name);
}

/*
 * The snmp keys only with proto snmp; its server side (DTLS in, cleartext
 * out) needs both; its client side (cleartext in, DTLS out) the
 * communities it accepts, and no cert-sec-name (the agent maps the
 * gateway's certificate).
 */
static int check_snmp(const struct route_config *r, struct config_error *err)
{
	bool ldtls = scheme_is_dtls(r->listen.scheme);
	bool fdtls = scheme_is_dtls(r->forward.scheme);

	if (strcmp(r->profile->name, "snmp") != 0) {
		if (r->nsnmp_rules > 0 || r->nsnmp_communities > 0)
			return set_error(err, r->where,
					 r->nsnmp_rules > 0 ? "cert-sec-name" :
							      "snmp-community",
					 "route %s: only with proto snmp",
					 r->name);
		return 0;
	}
	if (!ldtls && fdtls && r->nsnmp_rules > 0)
		return set_error(err, r->where, "cert-sec-name", "route %s: "
				 "only on the snmp server side (DTLS in): on "
				 "the client side the agent maps the gateway's "
				 "certificate", r->name);
	if (!ldtls && fdtls && r->nsnmp_communities == 0)
		return set_error(err, r->where, "snmp-community", "route %s: "
				 "the snmp client side needs snmp-community "
				 "(the communities it accepts)", r->name);
	if (!ldtls || fdtls)
		return 0;
	if (r->nsnmp_rules == 0)
		return set_error(err, r->where, "cert-sec-name", "route %s: "
				 "the snmp server side needs cert-sec-name "
				 "(certificate -> security name)", r->name);
	if (r->nsnmp_communities == 0)
		return set_error(err, r->where, "snmp-community", "route %s: "
				 "the snmp server side needs snmp-community "
				 "(security name -> community)", r->name);
	return 0;
}

static int finish_route(struct config *cfg, struct route_config *r,
			struct config_error *err)
{
	char msg[sizeof(err->msg)];
	int rc;

	if (!r->has_listen)
		return set_error(err, r->where, "listen", "route %s: no listen",
				 r->name);
	if (!r->has_forward)
		return set_error(err, r->where, "forward", "route %s: no "
				 "forward", r->name);
	if (check_endpoint(&r->listen, true, msg, sizeof(msg)) < 0)
		return set_error(err, r->where, "listen", "%s", msg);
	if (check_endpoint(&r->forward, false, msg, sizeof(msg)) < 0)
		return set_error(err, r->where, "forward", "%s", msg);
	if (r->profile == NULL)
		r->profile = profile_default();
	rc = default_port(&r->listen, r->profile, "listen", r, err);
	if (rc < 0)
		return rc;
	rc = default_port(&r->forward, r->profile, "forward", r, err);
	if (rc < 0)
		return rc;
	if (r->radius_set != 0 && strcmp(r->profile->name, "radius") != 0)
		return set_error(err, r->where,
				 (r->radius_set & RADIUS_SET_ACCT_PORT) ?
					 "acct-port" :
				 (r->radius_set & RADIUS_SET_COA_PORT) ?
					 "coa-port" :
				 (r->radius_set & RADIUS_SET_STATUS) ?
					 "status-server" : "watchdog",
				 "route %s: only with proto radius", r->name);
	rc = check_snmp(r, err);
	if (rc < 0)
		return rc;
	if (((r->listen.scheme == SCHEME_UDP && r->listen.nparams > 0) ||
	     (r->forward.scheme == SCHEME_UDP && r->forward.nparams > 0)) &&
	    strcmp(r->profile->name, "gre-udp") != 0 &&
	    strcmp(r->profile->name, "mpls-udp") != 0)
		return set_error(err, r->where, r->listen.nparams > 0 ?
				 "listen" : "forward", "route %s: udp:// "
				 "parameters only with proto gre-udp or "
				 "mpls-udp", r->name);
	if (!(r->radius_set & RADIUS_SET_ACCT_PORT))
		r->acct_port = CONFIG_DEFAULT_ACCT_PORT;
	if (!(r->radius_set & RADIUS_SET_COA_PORT))
		r->coa_port = CONFIG_DEFAULT_COA_PORT;
	if (!(r->radius_set & RADIUS_SET_WATCHDOG))
		r->watchdog = CONFIG_DEFAULT_WATCHDOG;
	if (merge_route(r, cfg) < 0)
		return set_nomem(err, r->where);
	return check_pairs(cfg, r, err);
}

/*
 * Defaults, merging and the checks that need the whole configuration.  The
 * messages of global keys name the file (without a line: cfg does not keep
 * it) or "command line", whichever set the key; those of a route name its
 * where.  Calling it again on a finished cfg changes nothing.  Returns 0,
 * -DTLSGW_ERR_CONFIG or -ENOMEM with *err filled.
 */
int config_finish(struct config *cfg, struct config_error *err)
{
	int rc;

	memset(err, 0, sizeof(*err));
	if (cfg->action == CONFIG_ACTION_HELP ||
	    cfg->action == CONFIG_ACTION_VERSION ||
	    cfg->action == CONFIG_ACTION_LIST_PROTOCOLS)
		return 0;
	if (!(cfg->set_mask & SET_BIT(K_LOG_LEVEL)))
		cfg->log_level = LOG_LEVEL_INFO;
	if (cfg->workers == 0)
		cfg->workers = CONFIG_DEFAULT_WORKERS;
	if (!dtls_engine_available(cfg->engine))
		return set_error(err, global_where(cfg, K_ENGINE), "engine",
				 "engine %s is not built into this dtlsgw",
				 dtls_engine_name(cfg->engine));
	rc = check_pairs(cfg, NULL, err);
	if (rc < 0)
		return rc;
	if (cfg->nroutes == 0)
		return set_error(err, cfg->file != NULL ? cfg->file : CMDLINE,
				 "", "no routes: give --listen/--forward or a "
				 "config file");
	for (size_t i = 0; i < cfg->nroutes; i++) {
		rc = finish_route(cfg, &cfg->routes[i], err);
		if (rc < 0)
			return rc;
	}
	for (size_t i = 1; i < cfg->nroutes; i++) {
		for (size_t j = 0; j < i; j++) {
			if (strcmp(cfg->routes[i].name,
				   cfg->routes[j].name) != 0)
				continue;
			return set_error(err, cfg->routes[i].where, "",
					 "route name %s used twice (first at "
					 "%s)", cfg->routes[i].name,
					 cfg->routes[j].where);
		}
	}
	return 0;
}

static void tls_free(struct tls_config *t)
{
	free(t->cert);
	free(t->key);
	free(t->ca);
	free(t->crl);
	free(t->psk_identity);
	free(t->ciphers);
	explicit_bzero(t, sizeof(*t));
}

void config_free(struct config *cfg)
{
	if (cfg == NULL)
		return;
	for (size_t i = 0; i < cfg->nroutes; i++) {
		struct route_config *r = &cfg->routes[i];

		free(r->name);
		free(r->where);
		tls_free(&r->tls);
		free_secret(r->secret);
		for (size_t k = 0; k < r->nsnmp_communities; k++)
			free_secret(r->snmp_communities[k].community);
		free(r->snmp_communities);
		free(r->snmp_rules);
	}
	free(cfg->routes);
	free(cfg->file);
	free(cfg->keylog);
	free(cfg->metrics);
	free(cfg->user);
	free(cfg->chroot);
	tls_free(&cfg->tls);
	explicit_bzero(cfg, sizeof(*cfg));
}

static bool str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool endpoint_equal(const struct endpoint *a, const struct endpoint *b)
{
	if (a->scheme != b->scheme || strcmp(a->host, b->host) != 0 ||
	    a->port != b->port || a->nparams != b->nparams)
		return false;
	for (size_t i = 0; i < a->nparams && i < URI_MAX_PARAMS; i++) {
		if (strcmp(a->params[i].key, b->params[i].key) != 0 ||
		    strcmp(a->params[i].value, b->params[i].value) != 0)
			return false;
	}
	return true;
}

static bool tls_equal(const struct tls_config *a, const struct tls_config *b)
{
	return str_eq(a->cert, b->cert) && str_eq(a->key, b->key) &&
	       str_eq(a->ca, b->ca) && str_eq(a->crl, b->crl) &&
	       a->verify == b->verify &&
	       a->nfingerprints == b->nfingerprints &&
	       a->nfingerprints <= CONFIG_MAX_FINGERPRINTS &&
	       memcmp(a->fingerprints, b->fingerprints,
		      a->nfingerprints * sizeof(a->fingerprints[0])) == 0 &&
	       str_eq(a->psk_identity, b->psk_identity) &&
	       a->psk_len == b->psk_len && a->psk_len <= CONFIG_MAX_PSK &&
	       memcmp(a->psk, b->psk, a->psk_len) == 0 &&
	       str_eq(a->ciphers, b->ciphers);
}

static bool snmp_equal(const struct route_config *a,
		       const struct route_config *b)
{
	if (a->nsnmp_rules != b->nsnmp_rules ||
	    a->nsnmp_communities != b->nsnmp_communities ||
	    (a->nsnmp_rules > 0 &&
	     memcmp(a->snmp_rules, b->snmp_rules,
		    a->nsnmp_rules * sizeof(*a->snmp_rules)) != 0))
		return false;
	for (size_t i = 0; i < a->nsnmp_communities; i++) {
		if (strcmp(a->snmp_communities[i].sec_name,
			   b->snmp_communities[i].sec_name) != 0 ||
		    strcmp(a->snmp_communities[i].community,
			   b->snmp_communities[i].community) != 0)
			return false;
	}
	return true;
}

bool config_route_equal(const struct route_config *a,
			const struct route_config *b)
{
	return str_eq(a->name, b->name) && a->profile == b->profile &&
	       a->has_listen == b->has_listen &&
	       a->has_forward == b->has_forward &&
	       endpoint_equal(&a->listen, &b->listen) &&
	       endpoint_equal(&a->forward, &b->forward) &&
	       tls_equal(&a->tls, &b->tls) && a->engine == b->engine &&
	       str_eq(a->secret, b->secret) &&
	       a->acct_port == b->acct_port && a->coa_port == b->coa_port &&
	       a->status_local == b->status_local &&
	       a->watchdog == b->watchdog && snmp_equal(a, b) &&
	       a->idle_timeout == b->idle_timeout &&
	       a->max_sessions == b->max_sessions &&
	       a->max_handshakes_per_source == b->max_handshakes_per_source;
}

/*
 * Output.
 */

static const char *verify_in_effect(const struct tls_config *t)
{
	switch (t->verify) {
	case VERIFY_NONE:
		return "none";
	case VERIFY_OPTIONAL:
		return "optional";
	case VERIFY_REQUIRE:
		return "require";
	case VERIFY_DEFAULT:
		break;
	}
	if (t->ca != NULL || t->nfingerprints > 0)
		return "require (the default with a CA or a pin)";
	return "none (the default without a CA or a pin)";
}

static const char *direction(const struct route_config *r)
{
	bool in = scheme_is_dtls(r->listen.scheme);
	bool out = scheme_is_dtls(r->forward.scheme);

	if (in && !out)
		return "server side: terminates DTLS";
	if (!in && out)
		return "client side: originates DTLS";
	if (in && out)
		return "DTLS to DTLS";
	return "cleartext relay";
}

static const char *or_none(const char *s)
{
	return s != NULL ? s : "none";
}

/* --check: the globals, then each route as it would run.  Secrets and
 * PSKs print as "(set)" or not at all. */
void config_print(const struct config *cfg, FILE *f)
{
	char a[512], b[512];

	fprintf(f, "config file: %s\n",
		cfg->file != NULL ? cfg->file : "none");
	fprintf(f, "engine: %s\n",
		cfg->engine == ENGINE_OPENSSL ? "openssl" : "wolfssl");
	if (cfg->workers == 0)
		fprintf(f, "workers: one per core\n");
	else
		fprintf(f, "workers: %u\n", cfg->workers);
	fprintf(f, "log-level: %s\n", log_level_name(cfg->log_level));
	fprintf(f, "metrics: %s\n", or_none(cfg->metrics));
	fprintf(f, "keylog: %s\n", or_none(cfg->keylog));
	fprintf(f, "user: %s\n", or_none(cfg->user));
	fprintf(f, "chroot: %s\n", or_none(cfg->chroot));
	fprintf(f, "routes: %zu\n", cfg->nroutes);
	for (size_t i = 0; i < cfg->nroutes; i++) {
		const struct route_config *r = &cfg->routes[i];
		const struct tls_config *t = &r->tls;

		fprintf(f, "\nroute %s (%s)\n", r->name, r->where);
		fprintf(f, "  profile: %s\n",
			r->profile != NULL ? r->profile->name : "raw");
		fprintf(f, "  %s -> %s\n", uri_format(&r->listen, a, sizeof(a)),
			uri_format(&r->forward, b, sizeof(b)));
		fprintf(f, "  %s\n", direction(r));
		if (scheme_is_dtls(r->listen.scheme) ||
		    scheme_is_dtls(r->forward.scheme)) {
			fprintf(f, "  verify: %s\n", verify_in_effect(t));
			if (t->cert != NULL)
				fprintf(f, "  cert: %s\n  key: %s\n", t->cert,
					or_none(t->key));
			else
				fprintf(f, "  cert: ephemeral certificate\n");
			fprintf(f, "  ca: %s\n", or_none(t->ca));
			fprintf(f, "  crl: %s\n", or_none(t->crl));
			fprintf(f, "  peer fingerprints: %zu\n",
				t->nfingerprints);
			if (t->psk_len > 0)
				fprintf(f, "  psk: identity %s\n",
					or_none(t->psk_identity));
			else
				fprintf(f, "  psk: none\n");
			fprintf(f, "  ciphers: %s\n",
				t->ciphers != NULL ? t->ciphers : "default");
		}
		if (r->secret != NULL)
			fprintf(f, "  secret: (set)\n");
		if (strcmp(r->profile->name, "radius") == 0)
			fprintf(f, "  radius: acct-port %u, coa-port %u, "
				"status-server %s, watchdog %u s\n",
				r->acct_port, r->coa_port,
				r->status_local ? "local" : "forward",
				r->watchdog);
		if (strcmp(r->profile->name, "snmp") == 0)
			fprintf(f, "  snmp: %zu cert-sec-name rows, %zu "
				"communities (not shown)\n", r->nsnmp_rules,
				r->nsnmp_communities);
		fprintf(f, "  idle-timeout: %u s\n", r->idle_timeout);
		fprintf(f, "  max-sessions: %u\n", r->max_sessions);
		fprintf(f, "  max-handshakes-per-source: %u\n",
			r->max_handshakes_per_source);
	}
}

void config_error_print(const struct config_error *err, FILE *f)
{
	if (err->key[0] != '\0')
		fprintf(f, "dtlsgw: %s: %s: %s\n", err->where, err->key,
			err->msg);
	else
		fprintf(f, "dtlsgw: %s: %s\n", err->where, err->msg);
}

void config_usage(FILE *f)
{
	fprintf(f,
"usage: dtlsgw [-c FILE] [ROUTE...] [OPTIONS]\n"
"\n"
"ROUTE:  -l, --listen URI  -f, --forward URI  [-p, --proto PROFILE]\n"
"        (each --listen starts a new route; options after it apply to\n"
"        that route)\n"
"URI:    SCHEME://HOST[:PORT][?key=value&...]     HOST may be [IPv6]\n"
"SCHEME: udp  dtls (= dtls+udp)  sctp  dtls+sctp  dccp  dtls+dccp  tcp  tun\n"
"        echo; the port defaults to the profile's standard port for that\n"
"        side; echo is a forward only\n"
#if HAVE_TUN
"        tun://NAME: ?addr=A.B.C.D/N ?addr6=X::Y/N ?mtu=N (from path-mtu)\n"
"        ?path-mtu=N (1500) ?gre-key=N ?gre-seq=0|1 ?gre-csum=0|1\n"
"        ?labels=L1,L2 (mpls-udp) ?flows=N (16 outer source ports)\n"
#endif
#if HAVE_SCTP
"        sctp: ?encap=udp|raw ?encap-port=N (UDP encapsulation, RFC 6951,\n"
"        9899) ?streams=N (16)\n"
#endif
#if HAVE_DCCP
"        dccp: ?encap=udp|raw|kernel ?encap-port=N (UDP encapsulation,\n"
"        RFC 6773, 6511) ?service=N|ABCD (Service Code, 0) ?mtu=N (1500)\n"
#endif
"OPTIONS:\n"
"  -c, --config FILE           INI file: the same keys without dashes,\n"
"                              global keys first, one [section] per route\n"
"  --cert FILE --key FILE      PEM certificate chain and key (none: an\n"
"                              ephemeral ECDSA P-256 certificate, its\n"
"                              SHA-256 fingerprint logged)\n"
"  --ca FILE                   trust anchors for the peer's certificate\n"
"  --crl FILE                  PEM CRL: a revoked peer certificate is\n"
"                              refused (reloaded on SIGHUP)\n"
"  --verify none|optional|require\n"
"                              (default: require with --ca or a pin,\n"
"                              else none)\n"
"  --peer-fingerprint sha256:HEX   pin the peer's certificate (repeatable)\n"
"  --psk-identity ID --psk HEX\n"
"  --ciphers LIST\n"
"  --keylog FILE               NSS key log (also $SSLKEYLOGFILE), for tshark\n"
"  --engine wolfssl|openssl    DTLS library behind src/dtls (default:\n"
"                              wolfssl)\n"
"  --idle-timeout SECONDS      (default %d)\n"
"  --max-sessions N            (default %d)\n"
"  --max-handshakes-per-source N\n"
"                              handshakes in progress per source address\n"
"                              (default %d)\n"
"  --workers N                 event loops, one thread each (default: one\n"
"                              per core)\n"
"  --metrics HOST:PORT         Prometheus text format at /metrics\n"
"  --log-level error|warn|info|debug   (default info)\n"
"  --user NAME                 once every listener is bound, drop to this\n"
"                              user and its groups\n"
"  --chroot DIR                once bound, chroot to DIR (before --user)\n"
"  --check                     validate the configuration, print what\n"
"                              would run, exit\n"
"  --list-protocols            print the profile table\n"
"  --version  -h, --help\n"
"PROFILE OPTIONS:\n"
"  --secret S                  radius: the shared secret of the cleartext\n"
"                              side\n"
"  --acct-port N --coa-port N  radius: the cleartext side's accounting and\n"
"                              CoA/Disconnect ports (1813, 3799; 0: none)\n"
"  --status-server forward|local\n"
"                              radius: answer Status-Server on the DTLS\n"
"                              side (local) or pass it on (forward)\n"
"  --watchdog SECONDS          radius client side: Status-Server on an\n"
"                              idle DTLS session (30; 0: off)\n"
"  --cert-sec-name \"PRIORITY FINGERPRINT "
"--sn NAME|--cn|--dns|--ip|--rfc822|--any\"\n"
"                              snmp: certificate -> security name, as\n"
"                              net-snmp's certSecName (FINGERPRINT: of the\n"
"                              peer's certificate or a CA of its chain;\n"
"                              repeatable; server side)\n"
"  --snmp-community \"SECNAME COMMUNITY\"\n"
"                              snmp: the v2c community that stands for\n"
"                              SECNAME on the cleartext side (repeatable)\n"
"  --snmp-map \"SECNAME community=COMMUNITY\"\n"
"                              snmp: the same map, another spelling\n"
"\n"
"A fingerprint is sha256: followed by 64 hex digits, with or without\n"
"colons.  Options also take the form --key=value.\n",
		CONFIG_DEFAULT_IDLE_TIMEOUT, CONFIG_DEFAULT_MAX_SESSIONS,
		CONFIG_DEFAULT_MAX_HS_PER_SOURCE);
}
