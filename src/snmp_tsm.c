/*
 * certToSecurityName (RFC 6353 section 5.1, tlstmCertToTSNTable) and the
 * security name -> community map of the snmp profile.  See
 * dtlsgw/snmp_tsm.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dtlsgw/ber.h"
#include "dtlsgw/config.h"
#include "dtlsgw/snmp_tsm.h"

/* id-at-commonName 2.5.4.3, id-ce-subjectAltName 2.5.29.17 */
static const uint8_t oid_cn[] = { 0x55, 0x04, 0x03 };
static const uint8_t oid_san[] = { 0x55, 0x1d, 0x11 };

/* GeneralName tags (RFC 5280 4.2.1.6), context-specific primitive */
#define GN_RFC822	0x81
#define GN_DNS		0x82
#define GN_IP		0x87

static const struct {
	const char		*opt;
	enum snmp_tsm_map	 map;
} map_opts[] = {
	{ "--sn", SNMP_TSM_SPECIFIED },
	{ "--rfc822", SNMP_TSM_SAN_RFC822 },
	{ "--dns", SNMP_TSM_SAN_DNS },
	{ "--ip", SNMP_TSM_SAN_IP },
	{ "--any", SNMP_TSM_SAN_ANY },
	{ "--cn", SNMP_TSM_COMMON_NAME },
};

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* The next blank-separated word of *s into w (cap bytes); false if none. */
static bool word(const char **s, char *w, size_t cap)
{
	const char *p = skip_blanks(*s);
	size_t n = 0;

	while (p[n] != '\0' && p[n] != ' ' && p[n] != '\t')
		n++;
	if (n == 0 || n >= cap)
		return false;
	memcpy(w, p, n);
	w[n] = '\0';
	*s = p + n;
	return true;
}

int snmp_tsm_rule_parse(const char *s, struct snmp_tsm_rule *r, char *msg,
			size_t msglen)
{
	char w[160], fp[168];
	unsigned long prio;
	char *end;
	size_t i;

	memset(r, 0, sizeof(*r));
	if (!word(&s, w, sizeof(w)) || w[0] < '0' || w[0] > '9' ||
	    (prio = strtoul(w, &end, 10), *end != '\0') || prio > UINT32_MAX) {
		snprintf(msg, msglen, "expected \"PRIORITY FINGERPRINT --sn "
			 "NAME|--cn|--dns|--ip|--rfc822|--any\": the priority "
			 "is a number 0-4294967295");
		return -EINVAL;
	}
	r->priority = (unsigned int)prio;
	if (!word(&s, w, sizeof(w))) {
		snprintf(msg, msglen, "no fingerprint after the priority");
		return -EINVAL;
	}
	if (strncasecmp(w, "sha256:", 7) != 0)
		snprintf(fp, sizeof(fp), "sha256:%s", w);
	else
		snprintf(fp, sizeof(fp), "%s", w);
	if (fingerprint_parse(fp, r->fp) < 0) {
		snprintf(msg, msglen, "invalid fingerprint '%.80s' (expected "
			 "the SHA-256 of a certificate: sha256: and 64 hex "
			 "digits, colons allowed)", w);
		return -EINVAL;
	}
	if (!word(&s, w, sizeof(w))) {
		snprintf(msg, msglen, "no map type after the fingerprint "
			 "(--sn NAME, --cn, --dns, --ip, --rfc822 or --any)");
		return -EINVAL;
	}
	for (i = 0; i < sizeof(map_opts) / sizeof(map_opts[0]); i++) {
		if (strcmp(w, map_opts[i].opt) == 0)
			break;
	}
	if (i == sizeof(map_opts) / sizeof(map_opts[0])) {
		snprintf(msg, msglen, "unknown map type '%.40s' (expected "
			 "--sn NAME, --cn, --dns, --ip, --rfc822 or --any)", w);
		return -EINVAL;
	}
	r->map = map_opts[i].map;
	if (r->map == SNMP_TSM_SPECIFIED &&
	    !word(&s, r->name, sizeof(r->name))) {
		snprintf(msg, msglen, "--sn needs a security name of 1-%d "
			 "characters", SNMP_SEC_NAME_MAX);
		return -EINVAL;
	}
	if (*skip_blanks(s) != '\0') {
		snprintf(msg, msglen, "unexpected '%.40s' after the map type",
			 skip_blanks(s));
		return -EINVAL;
	}
	return 0;
}

/*
 * The security name at the start of s (in double quotes when it holds
 * spaces) into m->sec_name, and then blanks: *rest is what follows them.
 */
static int parse_sec_name(const char *s, struct snmp_community_map *m,
			  const char *form, const char **rest, char *msg,
			  size_t msglen)
{
	const char *name = skip_blanks(s), *after;
	size_t n;

	if (*name == '"') {
		const char *q = strchr(name + 1, '"');

		if (q == NULL) {
			snprintf(msg, msglen, "no closing '\"' after the "
				 "security name");
			return -EINVAL;
		}
		n = (size_t)(q - name - 1);
		name++;
		after = q + 1;
	} else {
		n = strcspn(name, " \t");
		after = name + n;
	}
	if (n == 0 || n > SNMP_SEC_NAME_MAX) {
		snprintf(msg, msglen, "expected \"%s\", the security name "
			 "1-%d characters", form, SNMP_SEC_NAME_MAX);
		return -EINVAL;
	}
	if (*after != ' ' && *after != '\t') {
		snprintf(msg, msglen, "expected blanks and the %s after the "
			 "security name", strchr(form, ' ') + 1);
		return -EINVAL;
	}
	memcpy(m->sec_name, name, n);
	m->sec_name[n] = '\0';
	*rest = skip_blanks(after);
	return 0;
}

int snmp_community_parse(const char *s, struct snmp_community_map *m,
			 char *msg, size_t msglen)
{
	const char *rest;

	memset(m, 0, sizeof(*m));
	if (parse_sec_name(s, m, "SECNAME COMMUNITY", &rest, msg, msglen) < 0)
		return -EINVAL;
	if (*rest == '\0') {
		snprintf(msg, msglen, "no community after the security name");
		return -EINVAL;
	}
	m->community = strdup(rest);
	return m->community != NULL ? 0 : -ENOMEM;
}

int snmp_map_parse(const char *s, struct snmp_community_map *m, char *msg,
		   size_t msglen)
{
	static const char key[] = "community=";
	const char *rest;

	memset(m, 0, sizeof(*m));
	if (parse_sec_name(s, m, "NAME community=COMMUNITY", &rest, msg,
			   msglen) < 0)
		return -EINVAL;
	if (strncmp(rest, "usm-user=", 9) == 0) {
		snprintf(msg, msglen, "usm-user: SNMPv3 USM on the cleartext "
			 "side is not supported (map to a community=)");
		return -EINVAL;
	}
	if (strncmp(rest, key, sizeof(key) - 1) != 0 ||
	    rest[sizeof(key) - 1] == '\0') {
		snprintf(msg, msglen, "expected \"NAME community=COMMUNITY\" "
			 "after the security name");
		return -EINVAL;
	}
	m->community = strdup(rest + sizeof(key) - 1);
	return m->community != NULL ? 0 : -ENOMEM;
}

const struct snmp_community_map *
snmp_community_find(const struct snmp_community_map *maps, size_t n,
		    const char *name)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(maps[i].sec_name, name) == 0)
			return &maps[i];
	}
	return NULL;
}

/* The certificate ------------------------------------------------------- */

struct cert_fields {
	struct ber_tlv	subject;	/* the Name's contents */
	struct ber_tlv	san;		/* GeneralNames' contents; len 0: none */
	bool		has_san;
};

static bool oid_is(const struct ber_tlv *t, const uint8_t *oid, size_t n)
{
	return t->tag == BER_OID && t->len == n && memcmp(t->v, oid, n) == 0;
}

/* subjectAltName among the extensions (the contents of [3]) */
static bool find_san(const struct ber_tlv *exts, struct cert_fields *f)
{
	struct ber_reader r, seq;
	struct ber_tlv t;

	ber_reader_init(&r, exts->v, exts->len);
	if (ber_expect(&r, BER_SEQUENCE, &t) != BER_OK)
		return false;
	ber_reader_init(&seq, t.v, t.len);
	while (!ber_done(&seq)) {
		struct ber_reader ext;
		struct ber_tlv oid, v, names;

		if (ber_expect(&seq, BER_SEQUENCE, &t) != BER_OK)
			return false;
		ber_reader_init(&ext, t.v, t.len);
		if (ber_expect(&ext, BER_OID, &oid) != BER_OK ||
		    ber_next(&ext, &v) != BER_OK)
			return false;
		if (v.tag == 0x01 && ber_next(&ext, &v) != BER_OK)
			return false;	/* critical BOOLEAN, then the value */
		if (!oid_is(&oid, oid_san, sizeof(oid_san)))
			continue;
		if (v.tag != BER_OCTET_STRING)
			return false;
		ber_reader_init(&ext, v.v, v.len);
		if (ber_expect(&ext, BER_SEQUENCE, &names) != BER_OK)
			return false;
		f->san = names;
		f->has_san = true;
		return true;
	}
	return true;
}

static bool parse_cert(const uint8_t *der, size_t derlen,
		       struct cert_fields *f)
{
	struct ber_reader r, tbs;
	struct ber_tlv t;

	memset(f, 0, sizeof(*f));
	ber_reader_init(&r, der, derlen);
	if (ber_expect(&r, BER_SEQUENCE, &t) != BER_OK)
		return false;
	ber_reader_init(&r, t.v, t.len);
	if (ber_expect(&r, BER_SEQUENCE, &t) != BER_OK)
		return false;
	ber_reader_init(&tbs, t.v, t.len);
	/* [0] version, serialNumber, signature, issuer, validity, subject */
	if (ber_next(&tbs, &t) != BER_OK)
		return false;
	if (t.tag == 0xa0 && ber_next(&tbs, &t) != BER_OK)
		return false;
	if (t.tag != BER_INTEGER ||
	    ber_expect(&tbs, BER_SEQUENCE, &t) != BER_OK ||
	    ber_expect(&tbs, BER_SEQUENCE, &t) != BER_OK ||
	    ber_expect(&tbs, BER_SEQUENCE, &t) != BER_OK ||
	    ber_expect(&tbs, BER_SEQUENCE, &f->subject) != BER_OK ||
	    ber_expect(&tbs, BER_SEQUENCE, &t) != BER_OK)
		return false;
	/* [1] issuerUniqueID, [2] subjectUniqueID, [3] extensions */
	while (!ber_done(&tbs)) {
		if (ber_next(&tbs, &t) != BER_OK)
			return false;
		if (t.tag == 0xa3)
			return find_san(&t, f);
	}
	return true;
}

/* The first commonName of the subject, as it is written. */
static bool common_name(const struct cert_fields *f, char *out, size_t cap)
{
	struct ber_reader name;
	struct ber_tlv set;

	ber_reader_init(&name, f->subject.v, f->subject.len);
	while (ber_expect(&name, 0x31, &set) == BER_OK) {
		struct ber_reader rdn;
		struct ber_tlv atv;

		ber_reader_init(&rdn, set.v, set.len);
		while (ber_expect(&rdn, BER_SEQUENCE, &atv) == BER_OK) {
			struct ber_reader a;
			struct ber_tlv oid, v;

			ber_reader_init(&a, atv.v, atv.len);
			if (ber_expect(&a, BER_OID, &oid) != BER_OK ||
			    ber_next(&a, &v) != BER_OK ||
			    !oid_is(&oid, oid_cn, sizeof(oid_cn)))
				continue;
			if (v.len == 0 || v.len >= cap ||
			    memchr(v.v, '\0', v.len) != NULL)
				return false;
			memcpy(out, v.v, v.len);
			out[v.len] = '\0';
			return true;
		}
	}
	return false;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* One GeneralName converted as RFC 6353 section 7 says for its map type. */
static bool convert(const struct ber_tlv *gn, char *out, size_t cap)
{
	static const char hexd[] = "0123456789abcdef";
	const char *at;

	switch (gn->tag) {
	case GN_RFC822:
	case GN_DNS:
		if (gn->len == 0 || gn->len >= cap ||
		    memchr(gn->v, '\0', gn->len) != NULL)
			return false;
		memcpy(out, gn->v, gn->len);
		out[gn->len] = '\0';
		/* dNSName in lower case; of an rfc822Name, the host part */
		at = gn->tag == GN_DNS ? out : strchr(out, '@');
		if (at == NULL)
			return false;
		for (char *p = (char *)at; *p != '\0'; p++)
			*p = lower(*p);
		return true;
	case GN_IP:
		if (gn->len == 4)
			return snprintf(out, cap, "%u.%u.%u.%u", gn->v[0],
					gn->v[1], gn->v[2], gn->v[3]) <
			       (int)cap;
		/* IPv6: 32 lower-case hex digits, no colons */
		if (gn->len != 16 || cap < 33)
			return false;
		for (size_t i = 0; i < 16; i++) {
			out[2 * i] = hexd[gn->v[i] >> 4];
			out[2 * i + 1] = hexd[gn->v[i] & 15];
		}
		out[32] = '\0';
		return true;
	default:
		return false;
	}
}

static bool san_field(const struct cert_fields *f, enum snmp_tsm_map map,
		      char *out, size_t cap)
{
	struct ber_reader r;
	struct ber_tlv gn;

	if (!f->has_san)
		return false;
	ber_reader_init(&r, f->san.v, f->san.len);
	while (ber_next(&r, &gn) == BER_OK) {
		bool want = (map == SNMP_TSM_SAN_RFC822 &&
			     gn.tag == GN_RFC822) ||
			    (map == SNMP_TSM_SAN_DNS && gn.tag == GN_DNS) ||
			    (map == SNMP_TSM_SAN_IP && gn.tag == GN_IP) ||
			    (map == SNMP_TSM_SAN_ANY &&
			     (gn.tag == GN_RFC822 || gn.tag == GN_DNS ||
			      gn.tag == GN_IP));

		if (want)
			return convert(&gn, out, cap);
	}
	return false;
}

bool snmp_tsm_cert_field(const uint8_t *der, size_t derlen,
			 enum snmp_tsm_map map, char *out, size_t cap)
{
	struct cert_fields f;

	if (cap == 0)
		return false;
	out[0] = '\0';
	if (der == NULL || !parse_cert(der, derlen, &f))
		return false;
	if (map == SNMP_TSM_COMMON_NAME)
		return common_name(&f, out, cap);
	if (map == SNMP_TSM_SPECIFIED)
		return false;
	return san_field(&f, map, out, cap);
}

static bool in_chain(const uint8_t fp[32], const uint8_t (*chain)[32],
		     size_t nchain)
{
	for (size_t i = 0; i < nchain; i++) {
		if (memcmp(fp, chain[i], 32) == 0)
			return true;
	}
	return false;
}

bool snmp_tsm_sec_name(const struct snmp_tsm_rule *rules, size_t nrules,
		       const uint8_t *der, size_t derlen,
		       const uint8_t (*chain)[32], size_t nchain,
		       char name[SNMP_SEC_NAME_MAX + 1])
{
	bool done[64] = { false };
	size_t n = nrules < 64 ? nrules : 64;

	name[0] = '\0';
	/* n passes, each taking the first rule of the lowest priority left */
	for (size_t pass = 0; pass < n; pass++) {
		const struct snmp_tsm_rule *r = NULL;
		size_t k = 0;

		for (size_t i = 0; i < n; i++) {
			if (!done[i] &&
			    (r == NULL || rules[i].priority < r->priority)) {
				r = &rules[i];
				k = i;
			}
		}
		done[k] = true;
		if (!in_chain(r->fp, chain, nchain))
			continue;
		if (r->map == SNMP_TSM_SPECIFIED) {
			memcpy(name, r->name, sizeof(r->name));
			return true;
		}
		if (snmp_tsm_cert_field(der, derlen, r->map, name,
					SNMP_SEC_NAME_MAX + 1))
			return true;
	}
	name[0] = '\0';
	return false;
}
