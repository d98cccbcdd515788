/*
 * The tunnel codecs: GRE (RFC 2784, RFC 2890) and MPLS label stacks
 * (RFC 3032) as GRE-in-UDP (RFC 8086) and MPLS-in-UDP (RFC 7510) carry
 * them, the IP packet inside, flow hashes, MTU arithmetic, and ICMP
 * "too big" (RFC 792, RFC 1191, RFC 4443).  See include/dtlsgw/tunnel.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dtlsgw/bytes.h"
#include "dtlsgw/inet_csum.h"
#include "dtlsgw/dgram.h"
#include "dtlsgw/tunnel.h"

const char *const tunnel_error_names[TUNNEL_ERR_MAX] = {
	[TUNNEL_OK] = "ok",
	[TUNNEL_ERR_SHORT] = "short",
	[TUNNEL_ERR_GRE_VERSION] = "gre_version",
	[TUNNEL_ERR_GRE_RESERVED] = "gre_reserved",
	[TUNNEL_ERR_GRE_CHECKSUM] = "gre_checksum",
	[TUNNEL_ERR_GRE_PROTOCOL] = "gre_protocol",
	[TUNNEL_ERR_GRE_KEY] = "gre_key",
	[TUNNEL_ERR_MPLS_NO_BOTTOM] = "mpls_no_bottom",
	[TUNNEL_ERR_MPLS_TOO_DEEP] = "mpls_too_deep",
	[TUNNEL_ERR_MPLS_LABEL] = "mpls_label",
	[TUNNEL_ERR_MPLS_TTL] = "mpls_ttl",
	[TUNNEL_ERR_INNER_VERSION] = "inner_version",
	[TUNNEL_ERR_INNER_HEADER] = "inner_header",
	[TUNNEL_ERR_INNER_LENGTH] = "inner_length",
	[TUNNEL_ERR_TOO_BIG] = "too_big",
};

const char *tunnel_error_name(enum tunnel_error e)
{
	return (unsigned int)e < TUNNEL_ERR_MAX ? tunnel_error_names[e] : "?";
}

/* IP ------------------------------------------------------------------ */

enum tunnel_error tunnel_ip_check(const uint8_t *p, size_t len,
				  size_t *iplen, int *version)
{
	*iplen = 0;
	*version = 0;
	if (len < 1)
		return TUNNEL_ERR_INNER_LENGTH;
	switch (p[0] >> 4) {
	case 4: {
		size_t ihl = (size_t)(p[0] & 0x0f) * 4, tot;

		if (len < TUNNEL_IPV4_LEN)
			return TUNNEL_ERR_INNER_LENGTH;
		if (ihl < TUNNEL_IPV4_LEN)
			return TUNNEL_ERR_INNER_HEADER;
		tot = be_get16(p + 2);
		if (tot < ihl || tot > len)
			return TUNNEL_ERR_INNER_LENGTH;
		if (inet_csum(p, ihl) != 0)
			return TUNNEL_ERR_INNER_HEADER;
		*iplen = tot;
		*version = 4;
		return TUNNEL_OK;
	}
	case 6: {
		size_t tot;

		if (len < TUNNEL_IPV6_LEN)
			return TUNNEL_ERR_INNER_LENGTH;
		tot = TUNNEL_IPV6_LEN + be_get16(p + 4);
		if (tot > len)
			return TUNNEL_ERR_INNER_LENGTH;
		*iplen = tot;
		*version = 6;
		return TUNNEL_OK;
	}
	default:
		return TUNNEL_ERR_INNER_VERSION;
	}
}

uint8_t tunnel_ip_ttl(const uint8_t *p, size_t len)
{
	if (len >= TUNNEL_IPV4_LEN && p[0] >> 4 == 4)
		return p[8];
	if (len >= TUNNEL_IPV6_LEN && p[0] >> 4 == 6)
		return p[7];
	return 64;
}

/* GRE ----------------------------------------------------------------- */

/* Bits 1, 4 and 5 of the first word: RFC 1701's, which RFC 2784 refuses. */
#define GRE_F_REFUSED	(GRE_F_ROUTING | GRE_F_SSR | 0x0400u)

size_t gre_header_len(const struct gre_hdr *h)
{
	return GRE_BASE_LEN + (h->csum ? 4 : 0) + (h->key_present ? 4 : 0) +
	       (h->seq_present ? 4 : 0);
}

enum tunnel_error gre_decode(const uint8_t *p, size_t len,
			     struct gre_hdr *h, size_t *hlen)
{
	size_t off = GRE_BASE_LEN, iplen, depth;
	uint16_t flags;
	int version;
	enum tunnel_error e;

	memset(h, 0, sizeof(*h));
	*hlen = 0;
	if (len < GRE_BASE_LEN)
		return TUNNEL_ERR_SHORT;
	flags = be_get16(p);
	if ((flags & GRE_VERSION_MASK) != 0)
		return TUNNEL_ERR_GRE_VERSION;
	if (flags & GRE_F_REFUSED)
		return TUNNEL_ERR_GRE_RESERVED;
	h->csum = (flags & GRE_F_CSUM) != 0;
	h->key_present = (flags & GRE_F_KEY) != 0;
	h->seq_present = (flags & GRE_F_SEQ) != 0;
	h->proto = be_get16(p + 2);
	if (len < gre_header_len(h))
		return TUNNEL_ERR_SHORT;
	if (h->csum) {
		if (inet_csum(p, len) != 0)
			return TUNNEL_ERR_GRE_CHECKSUM;
		off += 4;
	}
	if (h->key_present) {
		h->key = be_get32(p + off);
		off += 4;
	}
	if (h->seq_present) {
		h->seq = be_get32(p + off);
		off += 4;
	}
	*hlen = off;
	switch (h->proto) {
	case GRE_PROTO_IPV4:
	case GRE_PROTO_IPV6:
		e = tunnel_ip_check(p + off, len - off, &iplen, &version);
		if (e != TUNNEL_OK)
			return e;
		if (version != (h->proto == GRE_PROTO_IPV4 ? 4 : 6))
			return TUNNEL_ERR_INNER_VERSION;
		return TUNNEL_OK;
	case GRE_PROTO_MPLS:
	case GRE_PROTO_MPLS_MC:
		return mpls_decode(p + off, len - off, &iplen, &depth);
	case GRE_PROTO_TEB:
		/* an Ethernet frame: its header at least */
		return len - off >= 14 ? TUNNEL_OK : TUNNEL_ERR_SHORT;
	default:
		return TUNNEL_ERR_GRE_PROTOCOL;
	}
}

void gre_encode(uint8_t *p, size_t len, const struct gre_hdr *h)
{
	uint16_t flags = (h->csum ? GRE_F_CSUM : 0) |
			 (h->key_present ? GRE_F_KEY : 0) |
			 (h->seq_present ? GRE_F_SEQ : 0);
	size_t off = GRE_BASE_LEN;

	be_put16(p, flags);
	be_put16(p + 2, h->proto);
	if (h->csum) {
		be_put32(p + off, 0);
		off += 4;
	}
	if (h->key_present) {
		be_put32(p + off, h->key);
		off += 4;
	}
	if (h->seq_present)
		be_put32(p + off, h->seq);
	if (h->csum)
		be_put16(p + GRE_BASE_LEN, inet_csum(p, len));
}

/* MPLS ---------------------------------------------------------------- */

enum tunnel_error mpls_decode(const uint8_t *p, size_t len,
			      size_t *stack_len, size_t *depth)
{
	size_t off = 0, iplen;
	uint32_t label = 0;
	int version;
	enum tunnel_error e;

	*stack_len = 0;
	*depth = 0;
	for (;;) {
		uint32_t entry;

		if (off + MPLS_ENTRY_LEN > len)
			return TUNNEL_ERR_MPLS_NO_BOTTOM;
		if (*depth == TUNNEL_MAX_LABELS)
			return TUNNEL_ERR_MPLS_TOO_DEEP;
		entry = be_get32(p + off);
		label = entry >> 12;
		if (label == MPLS_LABEL_IMPLICIT_NULL)
			return TUNNEL_ERR_MPLS_LABEL;
		if (off == 0 && (entry & 0xff) == 0)
			return TUNNEL_ERR_MPLS_TTL;
		off += MPLS_ENTRY_LEN;
		(*depth)++;
		if (entry & 0x100)
			break;
	}
	*stack_len = off;
	e = tunnel_ip_check(p + off, len - off, &iplen, &version);
	if (e != TUNNEL_OK)
		return e;
	if ((label == MPLS_LABEL_IPV4_NULL && version != 4) ||
	    (label == MPLS_LABEL_IPV6_NULL && version != 6))
		return TUNNEL_ERR_MPLS_LABEL;
	return TUNNEL_OK;
}

void mpls_encode(uint8_t *p, const uint32_t *labels, size_t n, uint8_t ttl)
{
	for (size_t i = 0; i < n; i++)
		be_put32(p + MPLS_ENTRY_LEN * i,
		      (labels[i] & MPLS_LABEL_MAX) << 12 |
			      (i + 1 == n ? 0x100u : 0) | ttl);
}

/* Flows --------------------------------------------------------------- */

#define FNV_OFFSET	2166136261u
#define FNV_PRIME	16777619u

static uint32_t fnv(uint32_t h, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * FNV_PRIME;
	return h;
}

static bool has_ports(uint8_t proto)
{
	/* TCP, UDP, DCCP, SCTP, UDP-Lite: ports in the first four bytes */
	return proto == 6 || proto == 17 || proto == 33 || proto == 132 ||
	       proto == 136;
}

uint32_t tunnel_flow_hash(const uint8_t *p, size_t len)
{
	uint32_t h = FNV_OFFSET;

	if (len >= TUNNEL_IPV4_LEN && p[0] >> 4 == 4) {
		size_t ihl = (size_t)(p[0] & 0x0f) * 4;
		bool frag = (be_get16(p + 6) & 0x3fff) != 0;

		h = fnv(h, p + 12, 8);
		h = fnv(h, p + 9, 1);
		if (!frag && has_ports(p[9]) && ihl >= TUNNEL_IPV4_LEN &&
		    len >= ihl + 4)
			h = fnv(h, p + ihl, 4);
	} else if (len >= TUNNEL_IPV6_LEN && p[0] >> 4 == 6) {
		h = fnv(h, p + 8, 32);
		h = fnv(h, p + 6, 1);
		/* the flow label, when the sender set one */
		h = fnv(h, p + 1, 3);
		if (has_ports(p[6]) && len >= TUNNEL_IPV6_LEN + 4)
			h = fnv(h, p + TUNNEL_IPV6_LEN, 4);
	}
	/* a finaliser so that every bit of the result depends on the flow */
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

uint16_t tunnel_entropy_port(uint32_t hash)
{
	return (uint16_t)(49152u + hash % 16384u);
}

/* Configuration --------------------------------------------------------- */

static int bad(char *msg, size_t msglen, const char *k, const char *v,
	       const char *what)
{
	snprintf(msg, msglen, "%s=%s: %s", k, v, what);
	return -EINVAL;
}

static int number(const char *v, unsigned long lo, unsigned long hi,
		  unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || v[0] == '-' ||
	    *out < lo || *out > hi)
		return -EINVAL;
	return 0;
}

/* "ADDR/LEN" of family af into addr and *plen. */
static int prefix(const char *v, int af, uint8_t *addr, uint8_t *plen)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(v, '/');
	unsigned long n;

	if (slash == NULL || (size_t)(slash - v) >= INET6_ADDRSTRLEN)
		return -EINVAL;
	memcpy(buf, v, (size_t)(slash - v));
	buf[slash - v] = '\0';
	if (inet_pton(af, buf, addr) != 1)
		return -EINVAL;
	if (number(slash + 1, 1, af == AF_INET ? 32 : 128, &n) != 0)
		return -EINVAL;
	*plen = (uint8_t)n;
	return 0;
}

static int parse_labels(const char *v, struct tunnel_conf *tc)
{
	const char *s = v;

	tc->nlabels = 0;
	while (*s != '\0') {
		char num[16];
		size_t n = strcspn(s, ",");
		unsigned long label;

		if (n == 0 || n >= sizeof(num) ||
		    tc->nlabels == TUNNEL_MAX_LABELS)
			return -EINVAL;
		memcpy(num, s, n);
		num[n] = '\0';
		/* 0-15 are reserved (RFC 3032 2.1) */
		if (number(num, 16, MPLS_LABEL_MAX, &label) != 0)
			return -EINVAL;
		tc->labels[tc->nlabels++] = (uint32_t)label;
		s += n;
		if (*s == ',' && *++s == '\0')
			return -EINVAL;
	}
	return tc->nlabels > 0 ? 0 : -EINVAL;
}

static int flag(const char *v, bool *out)
{
	if (strcmp(v, "0") == 0 || strcmp(v, "1") == 0) {
		*out = v[0] == '1';
		return 0;
	}
	return -EINVAL;
}

int tunnel_conf_parse(const struct endpoint *tun, const struct endpoint *outer,
		      struct tunnel_conf *tc, char *msg, size_t msglen)
{
	unsigned long n;
	uint8_t a4[4];

	memset(tc, 0, sizeof(*tc));
	tc->path_mtu = TUNNEL_DEFAULT_PATH_MTU;
	tc->flows = TUNNEL_DEFAULT_FLOWS;
	tc->outer_dtls = outer == NULL || scheme_is_dtls(outer->scheme);
	tc->outer_v6 = outer == NULL || inet_pton(AF_INET, outer->host, a4) != 1;
	for (size_t i = 0; i < tun->nparams; i++) {
		const char *k = tun->params[i].key, *v = tun->params[i].value;

		if (strcmp(k, "addr") == 0) {
			if (prefix(v, AF_INET, tc->addr4, &tc->plen4) != 0)
				return bad(msg, msglen, k, v, "an IPv4 address "
					   "and prefix length, 10.9.0.1/30");
			tc->has4 = true;
		} else if (strcmp(k, "addr6") == 0) {
			if (prefix(v, AF_INET6, tc->addr6, &tc->plen6) != 0)
				return bad(msg, msglen, k, v, "an IPv6 address "
					   "and prefix length, fd00::1/64");
			tc->has6 = true;
		} else if (strcmp(k, "mtu") == 0 || strcmp(k, "path-mtu") == 0) {
			if (number(v, TUNNEL_MIN_MTU, DGRAM_CAP - 1024, &n) != 0)
				return bad(msg, msglen, k, v, "a number from "
					   "576 to 16360");
			if (k[0] == 'm') {
				tc->mtu = (unsigned int)n;
				tc->mtu_set = true;
			} else {
				tc->path_mtu = (unsigned int)n;
			}
		} else if (strcmp(k, "gre-key") == 0) {
			if (number(v, 0, 0xffffffffu, &n) != 0)
				return bad(msg, msglen, k, v, "a number from "
					   "0 to 4294967295");
			tc->gre.key_present = true;
			tc->gre.key = (uint32_t)n;
		} else if (strcmp(k, "gre-seq") == 0) {
			if (flag(v, &tc->gre.seq_present) != 0)
				return bad(msg, msglen, k, v, "0 or 1");
		} else if (strcmp(k, "gre-csum") == 0) {
			if (flag(v, &tc->gre.csum) != 0)
				return bad(msg, msglen, k, v, "0 or 1");
		} else if (strcmp(k, "labels") == 0) {
			if (parse_labels(v, tc) != 0)
				return bad(msg, msglen, k, v, "1 to 16 MPLS "
					   "labels from 16 to 1048575, "
					   "comma-separated, the top first");
		} else if (strcmp(k, "flows") == 0) {
			if (number(v, 1, 1024, &n) != 0)
				return bad(msg, msglen, k, v, "a number from "
					   "1 to 1024");
			tc->flows = (unsigned int)n;
		} else {
			snprintf(msg, msglen, "unknown tun parameter '%s' "
				 "(addr, addr6, mtu, path-mtu, gre-key, "
				 "gre-seq, gre-csum, labels, flows)", k);
			return -EINVAL;
		}
	}
	if (!tc->mtu_set) {
		tc->mtu = tunnel_inner_mtu(tc);
		if (tc->mtu < TUNNEL_MIN_MTU) {
			snprintf(msg, msglen, "path-mtu=%u leaves %u bytes for "
				 "the inner packets: less than 576",
				 tc->path_mtu, tc->mtu);
			return -EINVAL;
		}
	}
	if (tc->has6 && tc->mtu < 1280) {
		snprintf(msg, msglen, "IPv6 needs an MTU of 1280 or more, the "
			 "tunnel's is %u (raise path-mtu or mtu)", tc->mtu);
		return -EINVAL;
	}
	return 0;
}

size_t tunnel_encap_len(const struct tunnel_conf *tc)
{
	if (tc->nlabels > 0)
		return MPLS_ENTRY_LEN * tc->nlabels;
	return gre_header_len(&tc->gre);
}

unsigned int tunnel_inner_mtu(const struct tunnel_conf *tc)
{
	size_t outer = (tc->outer_v6 ? TUNNEL_IPV6_LEN : TUNNEL_IPV4_LEN) +
		       TUNNEL_UDP_LEN;
	size_t room = tc->path_mtu > outer ? tc->path_mtu - outer : 0;
	size_t over = tunnel_encap_len(tc);

	if (tc->outer_dtls) {
		if (room > TUNNEL_DTLS_DATAGRAM)
			room = TUNNEL_DTLS_DATAGRAM;
		over += TUNNEL_DTLS_OVERHEAD;
	}
	return room > over ? (unsigned int)(room - over) : 0;
}

/* ICMP ---------------------------------------------------------------- */

#define ICMP4_QUOTE_MAX	(576 - TUNNEL_IPV4_LEN - 8)	/* RFC 1812 4.3.2.3 */
#define ICMP6_QUOTE_MAX	(1280 - TUNNEL_IPV6_LEN - 8)	/* RFC 4443 2.4 (c) */

static size_t icmp4_too_big(const uint8_t *pkt, size_t len, unsigned int mtu,
			    uint8_t *out, size_t cap)
{
	size_t ihl = (size_t)(pkt[0] & 0x0f) * 4;
	size_t quote = len < ICMP4_QUOTE_MAX ? len : ICMP4_QUOTE_MAX;
	size_t total = TUNNEL_IPV4_LEN + 8 + quote;
	uint8_t *icmp = out + TUNNEL_IPV4_LEN;

	if (!(pkt[6] & 0x40) || (be_get16(pkt + 6) & 0x1fff) != 0)
		return 0;	/* DF clear, or not the first fragment */
	/* no error about an ICMP error (RFC 1122 3.2.2) */
	if (pkt[9] == 1 && len >= ihl + 1 && pkt[ihl] != 0 && pkt[ihl] != 8 &&
	    pkt[ihl] != 13 && pkt[ihl] != 15 && pkt[ihl] != 17)
		return 0;
	if (cap < total)
		return 0;
	memset(out, 0, TUNNEL_IPV4_LEN + 8);
	out[0] = 0x45;
	out[1] = 0xc0;		/* internetwork control */
	be_put16(out + 2, (uint16_t)total);
	out[8] = 64;
	out[9] = 1;
	memcpy(out + 12, pkt + 16, 4);	/* from the destination */
	memcpy(out + 16, pkt + 12, 4);	/* to the source */
	be_put16(out + 10, inet_csum(out, TUNNEL_IPV4_LEN));
	icmp[0] = 3;
	icmp[1] = 4;
	be_put16(icmp + 6, (uint16_t)(mtu > 0xffff ? 0xffff : mtu));
	memcpy(icmp + 8, pkt, quote);
	be_put16(icmp + 2, inet_csum(icmp, 8 + quote));
	return total;
}

static size_t icmp6_too_big(const uint8_t *pkt, size_t len, unsigned int mtu,
			    uint8_t *out, size_t cap)
{
	size_t quote = len < ICMP6_QUOTE_MAX ? len : ICMP6_QUOTE_MAX;
	size_t plen = 8 + quote;
	uint8_t *icmp = out + TUNNEL_IPV6_LEN;
	uint64_t sum;

	/* no error about an ICMPv6 error (RFC 4443 2.4 (e)) */
	if (pkt[6] == 58 && len > TUNNEL_IPV6_LEN && pkt[TUNNEL_IPV6_LEN] < 128)
		return 0;
	/* nor to a multicast or unspecified source */
	if (pkt[8] == 0xff || (be_get32(pkt + 8) == 0 && be_get32(pkt + 12) == 0 &&
			       be_get32(pkt + 16) == 0 && be_get32(pkt + 20) == 0))
		return 0;
	if (cap < TUNNEL_IPV6_LEN + plen)
		return 0;
	memset(out, 0, TUNNEL_IPV6_LEN + 8);
	out[0] = 0x60;
	be_put16(out + 4, (uint16_t)plen);
	out[6] = 58;
	out[7] = 64;
	memcpy(out + 8, pkt + 24, 16);	/* from the destination */
	memcpy(out + 24, pkt + 8, 16);	/* to the source */
	icmp[0] = 2;
	be_put32(icmp + 4, mtu < 1280 ? 1280 : mtu);
	memcpy(icmp + 8, pkt, quote);
	/* the pseudo-header: addresses, length, next header */
	sum = inet_csum_add(0, out + 8, 32);
	sum += (uint32_t)plen + 58;
	be_put16(icmp + 2, inet_csum_finish(inet_csum_add(sum, icmp, plen)));
	return TUNNEL_IPV6_LEN + plen;
}

size_t tunnel_icmp_too_big(const uint8_t *pkt, size_t len, unsigned int mtu,
			   uint8_t *out, size_t cap)
{
	size_t iplen;
	int version;

	if (tunnel_ip_check(pkt, len, &iplen, &version) != TUNNEL_OK)
		return 0;
	if (version == 4)
		return icmp4_too_big(pkt, iplen, mtu, out, cap);
	return icmp6_too_big(pkt, iplen, mtu, out, cap);
}
