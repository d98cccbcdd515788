/*
 * The Transport Security Model's side of the snmp profile: from the DTLS
 * peer's certificate to a security name, as RFC 6353 section 5.1 and its
 * tlstmCertToTSNTable do (certToSecurityName), configured as net-snmp's
 * certSecName, and from a security name to the SNMPv2c community that
 * stands for it on the cleartext side.
 *
 * Pure functions: the certificate is DER, read with dtlsgw/ber.h; nothing
 * here verifies it (the DTLS engine did).
 */
#ifndef DTLSGW_SNMP_TSM_H
#define DTLSGW_SNMP_TSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* SnmpAdminString (SIZE(0..32)) of a tmSecurityName */
#define SNMP_SEC_NAME_MAX	32

/* tlstmCertToTSNMapType (RFC 6353 section 7) */
enum snmp_tsm_map {
	SNMP_TSM_SPECIFIED = 0,	/* --sn NAME */
	SNMP_TSM_SAN_RFC822,	/* --rfc822 */
	SNMP_TSM_SAN_DNS,	/* --dns */
	SNMP_TSM_SAN_IP,	/* --ip */
	SNMP_TSM_SAN_ANY,	/* --any: the first rfc822Name, dNSName, iPAddress */
	SNMP_TSM_COMMON_NAME,	/* --cn */
};

/* One row: "PRIORITY FINGERPRINT --sn NAME|--cn|--dns|--ip|--rfc822|--any" */
struct snmp_tsm_rule {
	unsigned int		priority;	/* lower first */
	uint8_t			fp[32];		/* SHA-256 of a certificate of the chain */
	enum snmp_tsm_map	map;
	char			name[SNMP_SEC_NAME_MAX + 1];	/* SPECIFIED */
};

/* "SECNAME COMMUNITY": the v2c community that stands for SECNAME. */
struct snmp_community_map {
	char	 sec_name[SNMP_SEC_NAME_MAX + 1];
	char	*community;			/* a secret */
};

/*
 * Parse a --cert-sec-name value into *r: PRIORITY 0..2^32-1, the
 * fingerprint as sha256:HEX or bare hex (colons allowed, net-snmp's form),
 * then the map type.  0, or -EINVAL with a message in msg.
 */
int snmp_tsm_rule_parse(const char *s, struct snmp_tsm_rule *r, char *msg,
			size_t msglen);

/*
 * Parse a --snmp-community value: the security name (in double quotes
 * when it holds spaces), blanks, the community (the rest, any bytes but
 * NUL).  0 with m->community allocated, -EINVAL with a message in msg (it
 * never quotes the community), or -ENOMEM.
 */
int snmp_community_parse(const char *s, struct snmp_community_map *m,
			 char *msg, size_t msglen);

/*
 * Parse an snmp-map value, the spelling of the same map: the
 * security name (quoted as above), blanks, "community=" and the community
 * (the rest).  "usm-user=..." is refused: no USM on the cleartext side.
 * 0 with m->community allocated, -EINVAL with a message in msg (never
 * quoting the community), or -ENOMEM.
 */
int snmp_map_parse(const char *s, struct snmp_community_map *m, char *msg,
		   size_t msglen);

/*
 * certToSecurityName: the rules in priority order (ties in their order
 * here); the first whose fingerprint is one of chain's (the peer's own
 * certificate first, then its issuers) and whose map gives a name of 1..32
 * octets wins.  der is the peer's certificate.  True with name set.
 */
bool snmp_tsm_sec_name(const struct snmp_tsm_rule *rules, size_t nrules,
		       const uint8_t *der, size_t derlen,
		       const uint8_t (*chain)[32], size_t nchain,
		       char name[SNMP_SEC_NAME_MAX + 1]);

/* The community for name, or NULL. */
const struct snmp_community_map *
snmp_community_find(const struct snmp_community_map *maps, size_t n,
		    const char *name);

/*
 * The certificate's fields the map types read, for tests: the first
 * value of the type (SNMP_TSM_COMMON_NAME, _SAN_RFC822, _SAN_DNS, _SAN_IP,
 * _SAN_ANY) converted as RFC 6353 says, into out (cap bytes, terminated).
 * False when the certificate has none or it does not fit.
 */
bool snmp_tsm_cert_field(const uint8_t *der, size_t derlen,
			 enum snmp_tsm_map map, char *out, size_t cap);

#endif
