/*
 * The tunnel codecs (src/tunnel.c): GRE (RFC 2784, RFC 2890) and MPLS
 * label stacks (RFC 3032) both ways, every way to be malformed, the inner
 * IP checks, the flow hash (stable, spread), the MTU arithmetic of a
 * tunnel endpoint, tun:// parameters, and ICMP / ICMPv6 "too big".
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dtlsgw/config.h"
#include "dtlsgw/tunnel.h"

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint32_t sum16(const uint8_t *p, size_t len)
{
	uint32_t s = 0;

	for (size_t i = 0; i < len; i += 2)
		s += (uint32_t)(p[i] << 8 | (i + 1 < len ? p[i + 1] : 0));
	return s;
}

/* An IPv4 packet 10.9.0.1 -> 10.9.0.2 of len bytes, TCP ports 40000 -> 5201. */
static size_t ipv4(uint8_t *p, size_t len, uint8_t proto, bool df, uint8_t ttl)
{
	memset(p, 0, len);
	p[0] = 0x45;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	p[6] = df ? 0x40 : 0;
	p[8] = ttl;
	p[9] = proto;
	memcpy(p + 12, "\x0a\x09\x00\x01\x0a\x09\x00\x02", 8);
	p[20] = 0x9c;
	p[21] = 0x40;	/* 40000 */
	p[22] = 0x14;
	p[23] = 0x51;	/* 5201 */
	{
		uint16_t c = fold(sum16(p, 20));

		p[10] = (uint8_t)(c >> 8);
		p[11] = (uint8_t)c;
	}
	return len;
}

/* An IPv6 packet fd00:90::1 -> fd00:90::2, len bytes. */
static size_t ipv6(uint8_t *p, size_t len, uint8_t nh, uint8_t hops)
{
	memset(p, 0, len);
	p[0] = 0x60;
	p[4] = (uint8_t)((len - 40) >> 8);
	p[5] = (uint8_t)(len - 40);
	p[6] = nh;
	p[7] = hops;
	p[8] = 0xfd;
	p[10] = 0x00;
	p[11] = 0x90;
	p[23] = 1;
	p[24] = 0xfd;
	p[26] = 0x00;
	p[27] = 0x90;
	p[39] = 2;
	return len;
}

static void test_gre_plain(void **state)
{
	uint8_t p[4 + 60];
	struct gre_hdr h = { .proto = GRE_PROTO_IPV4 }, d;
	size_t hl;

	(void)state;
	assert_int_equal(gre_header_len(&h), 4);
	ipv4(p + 4, 60, 6, true, 64);
	gre_encode(p, sizeof(p), &h);
	assert_memory_equal(p, "\x00\x00\x08\x00", 4);
	assert_int_equal(gre_decode(p, sizeof(p), &d, &hl), TUNNEL_OK);
	assert_int_equal(hl, 4);
	assert_int_equal(d.proto, GRE_PROTO_IPV4);
	assert_false(d.csum || d.key_present || d.seq_present);
}

static void test_gre_options(void **state)
{
	uint8_t p[16 + 48];
	struct gre_hdr h = {
		.csum = true, .key_present = true, .seq_present = true,
		.proto = GRE_PROTO_IPV6, .key = 0x01020304, .seq = 7,
	}, d;
	size_t hl;

	(void)state;
	assert_int_equal(gre_header_len(&h), 16);
	ipv6(p + 16, 48, 17, 64);
	gre_encode(p, sizeof(p), &h);
	/* C, K, S; 86dd; checksum; reserved1; key; sequence */
	assert_memory_equal(p, "\xb0\x00\x86\xdd", 4);
	assert_memory_equal(p + 6, "\x00\x00\x01\x02\x03\x04\x00\x00\x00\x07",
			    10);
	assert_int_equal(fold(sum16(p, sizeof(p))), 0);
	assert_int_equal(gre_decode(p, sizeof(p), &d, &hl), TUNNEL_OK);
	assert_int_equal(hl, 16);
	assert_true(d.csum && d.key_present && d.seq_present);
	assert_int_equal(d.key, 0x01020304);
	assert_int_equal(d.seq, 7);
	/* one bit flipped in the payload: the checksum says so */
	p[40] ^= 1;
	assert_int_equal(gre_decode(p, sizeof(p), &d, &hl),
			 TUNNEL_ERR_GRE_CHECKSUM);
}

static void test_gre_malformed(void **state)
{
	static const struct {
		const char	*hdr;
		enum tunnel_error e;
	} cases[] = {
		{ "\x00\x01\x08\x00", TUNNEL_ERR_GRE_VERSION },
		{ "\x00\x07\x08\x00", TUNNEL_ERR_GRE_VERSION },
		{ "\x40\x00\x08\x00", TUNNEL_ERR_GRE_RESERVED },	/* routing */
		{ "\x08\x00\x08\x00", TUNNEL_ERR_GRE_RESERVED },	/* strict SR */
		{ "\x04\x00\x08\x00", TUNNEL_ERR_GRE_RESERVED },	/* recursion */
		{ "\x00\x00\x12\x34", TUNNEL_ERR_GRE_PROTOCOL },
		{ "\x00\x00\x86\xdd", TUNNEL_ERR_INNER_VERSION },	/* v4 inside */
		/* bits 6-12 are ignored on receipt (RFC 2784 2.3) */
		{ "\x03\xf8\x08\x00", TUNNEL_OK },
	};
	uint8_t p[4 + 40];
	struct gre_hdr d;
	size_t hl;

	(void)state;
	ipv4(p + 4, 40, 17, false, 64);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memcpy(p, cases[i].hdr, 4);
		assert_int_equal(gre_decode(p, sizeof(p), &d, &hl), cases[i].e);
	}
	memcpy(p, "\x00\x00\x08\x00", 4);
	assert_int_equal(gre_decode(p, 3, &d, &hl), TUNNEL_ERR_SHORT);
	/* K and S announced, the packet ends first */
	memcpy(p, "\x30\x00\x08\x00", 4);
	assert_int_equal(gre_decode(p, 8, &d, &hl), TUNNEL_ERR_SHORT);
	/* the inner packet cut short */
	memcpy(p, "\x00\x00\x08\x00", 4);
	assert_int_equal(gre_decode(p, 30, &d, &hl), TUNNEL_ERR_INNER_LENGTH);
	/* MPLS inside GRE is checked as MPLS */
	memcpy(p, "\x00\x00\x88\x47\x00\x06\x40\x40", 8);
	assert_int_equal(gre_decode(p, 8, &d, &hl), TUNNEL_ERR_MPLS_NO_BOTTOM);
}

static void test_mpls_stack(void **state)
{
	static const uint32_t labels[] = { 100, 200 };
	uint8_t p[8 + 60];
	size_t sl, depth;

	(void)state;
	ipv4(p + 8, 60, 6, true, 63);
	mpls_encode(p, labels, 2, tunnel_ip_ttl(p + 8, 60));
	/* 100: 0x00064, TC 0, S 0, TTL 63; 200, S 1 */
	assert_memory_equal(p, "\x00\x06\x40\x3f\x00\x0c\x81\x3f", 8);
	assert_int_equal(mpls_decode(p, sizeof(p), &sl, &depth), TUNNEL_OK);
	assert_int_equal(sl, 8);
	assert_int_equal(depth, 2);
	ipv6(p + 8, 60, 58, 9);
	mpls_encode(p, labels, 2, tunnel_ip_ttl(p + 8, 60));
	assert_int_equal(p[7], 9);
	assert_int_equal(mpls_decode(p, sizeof(p), &sl, &depth), TUNNEL_OK);
}

static void test_mpls_malformed(void **state)
{
	uint8_t p[4 * 20 + 40];
	uint32_t labels[TUNNEL_MAX_LABELS + 1];
	size_t sl, depth;

	(void)state;
	for (size_t i = 0; i < TUNNEL_MAX_LABELS + 1; i++)
		labels[i] = 16 + (uint32_t)i;
	/* no S bit anywhere */
	memcpy(p, "\x00\x06\x40\x40\x00\x0c\x80\x40", 8);
	assert_int_equal(mpls_decode(p, 8, &sl, &depth),
			 TUNNEL_ERR_MPLS_NO_BOTTOM);
	assert_int_equal(mpls_decode(p, 0, &sl, &depth),
			 TUNNEL_ERR_MPLS_NO_BOTTOM);
	/* implicit null on the wire */
	memcpy(p, "\x00\x00\x31\x40", 4);
	ipv4(p + 4, 40, 1, false, 64);
	assert_int_equal(mpls_decode(p, 44, &sl, &depth),
			 TUNNEL_ERR_MPLS_LABEL);
	/* IPv4 explicit null above an IPv4 packet: fine; above IPv6: not */
	memcpy(p, "\x00\x00\x01\x40", 4);
	assert_int_equal(mpls_decode(p, 44, &sl, &depth), TUNNEL_OK);
	ipv6(p + 4, 40, 58, 64);
	assert_int_equal(mpls_decode(p, 44, &sl, &depth),
			 TUNNEL_ERR_MPLS_LABEL);
	/* TTL 0 on top */
	memcpy(p, "\x00\x06\x41\x00", 4);
	assert_int_equal(mpls_decode(p, 44, &sl, &depth), TUNNEL_ERR_MPLS_TTL);
	/* 16 labels are fine, 17 are not */
	mpls_encode(p, labels, TUNNEL_MAX_LABELS, 64);
	ipv4(p + 4 * TUNNEL_MAX_LABELS, 40, 17, false, 64);
	assert_int_equal(mpls_decode(p, 4 * TUNNEL_MAX_LABELS + 40, &sl,
				     &depth), TUNNEL_OK);
	assert_int_equal(depth, TUNNEL_MAX_LABELS);
	mpls_encode(p, labels, TUNNEL_MAX_LABELS + 1, 64);
	ipv4(p + 4 * (TUNNEL_MAX_LABELS + 1), 40, 17, false, 64);
	assert_int_equal(mpls_decode(p, 4 * (TUNNEL_MAX_LABELS + 1) + 40, &sl,
				     &depth), TUNNEL_ERR_MPLS_TOO_DEEP);
	/* not IP below the stack */
	memcpy(p, "\x00\x06\x41\x40\x51", 5);
	assert_int_equal(mpls_decode(p, 44, &sl, &depth),
			 TUNNEL_ERR_INNER_VERSION);
}

static void test_ip_check(void **state)
{
	uint8_t p[100];
	size_t iplen;
	int v;

	(void)state;
	ipv4(p, 60, 6, true, 64);
	/* padding after the packet is allowed, and left out of iplen */
	assert_int_equal(tunnel_ip_check(p, 100, &iplen, &v), TUNNEL_OK);
	assert_int_equal(iplen, 60);
	assert_int_equal(v, 4);
	assert_int_equal(tunnel_ip_check(p, 59, &iplen, &v),
			 TUNNEL_ERR_INNER_LENGTH);
	assert_int_equal(tunnel_ip_check(p, 19, &iplen, &v),
			 TUNNEL_ERR_INNER_LENGTH);
	p[11] ^= 1;	/* header checksum */
	assert_int_equal(tunnel_ip_check(p, 60, &iplen, &v),
			 TUNNEL_ERR_INNER_HEADER);
	ipv4(p, 60, 6, true, 64);
	p[0] = 0x44;	/* IHL 4 */
	assert_int_equal(tunnel_ip_check(p, 60, &iplen, &v),
			 TUNNEL_ERR_INNER_HEADER);
	ipv6(p, 48, 17, 64);
	assert_int_equal(tunnel_ip_check(p, 48, &iplen, &v), TUNNEL_OK);
	assert_int_equal(v, 6);
	assert_int_equal(tunnel_ip_check(p, 47, &iplen, &v),
			 TUNNEL_ERR_INNER_LENGTH);
	p[0] = 0x50;
	assert_int_equal(tunnel_ip_check(p, 48, &iplen, &v),
			 TUNNEL_ERR_INNER_VERSION);
	assert_int_equal(tunnel_ip_check(p, 0, &iplen, &v),
			 TUNNEL_ERR_INNER_LENGTH);
}

static void test_flow_hash(void **state)
{
	uint8_t a[60], b[60];
	unsigned int ports[16] = { 0 }, used = 0;

	(void)state;
	ipv4(a, 60, 6, true, 64);
	ipv4(b, 60, 6, true, 3);
	/* the same flow: the same hash, whatever the TTL or payload */
	b[40] = 0x55;
	assert_int_equal(tunnel_flow_hash(a, 60), tunnel_flow_hash(b, 60));
	/* stable across processes and builds: pinned */
	assert_int_equal(tunnel_flow_hash(a, 60), 0x88f80be7u);
	/* another source port: another flow */
	b[21] = 0x41;
	assert_int_not_equal(tunnel_flow_hash(a, 60), tunnel_flow_hash(b, 60));
	/* 256 source ports spread over the 16 buckets */
	for (unsigned int i = 0; i < 256; i++) {
		b[20] = (uint8_t)(i >> 4);
		b[21] = (uint8_t)i;
		ports[tunnel_flow_hash(b, 60) % 16]++;
	}
	for (unsigned int i = 0; i < 16; i++)
		used += ports[i] > 0;
	assert_int_equal(used, 16);
	/* ICMP has no ports: the addresses and protocol decide */
	ipv4(a, 60, 1, true, 64);
	ipv4(b, 60, 1, true, 64);
	b[21] = 0x99;
	assert_int_equal(tunnel_flow_hash(a, 60), tunnel_flow_hash(b, 60));
	ipv6(a, 60, 17, 64);
	ipv6(b, 60, 17, 64);
	a[41] = 1;
	assert_int_not_equal(tunnel_flow_hash(a, 60), tunnel_flow_hash(b, 60));
	for (uint32_t h = 0; h < 100000; h += 7)
		assert_true(tunnel_entropy_port(h) >= 49152);
}

static struct endpoint uri(const char *s)
{
	struct endpoint ep;
	char err[160];

	assert_int_equal(uri_parse(s, &ep, err, sizeof(err)), 0);
	return ep;
}

static void test_mtu(void **state)
{
	static const struct {
		const char	*tun;
		const char	*outer;
		unsigned int	 mtu;
	} cases[] = {
		/* 1500 - 20 - 8 = 1472, capped at 1452 for DTLS, - 93 - 4 */
		{ "tun://g0", "dtls://10.0.0.2:4755", 1355 },
		/* IPv6 outside: 1500 - 40 - 8 = 1452 */
		{ "tun://g0", "dtls://[fd00::2]:4755", 1355 },
		/* a name: may be IPv6 */
		{ "tun://g0", "dtls://gw.example.net:4755", 1355 },
		/* key and sequence: 12 bytes of GRE */
		{ "tun://g0?gre-key=1&gre-seq=1", "dtls://10.0.0.2", 1347 },
		{ "tun://g0?gre-key=1&gre-seq=1&gre-csum=1", "dtls://10.0.0.2",
		  1343 },
		/* two labels */
		{ "tun://m0?labels=100,200", "dtls://10.0.0.2", 1351 },
		/* cleartext: no DTLS, no cap */
		{ "tun://g0", "udp://10.0.0.2:4754", 1468 },
		{ "tun://g0", "udp://[fd00::2]:4754", 1448 },
		{ "tun://m0?labels=16", "udp://10.0.0.2:6635", 1468 },
		/* behind a DTLS bridge: its records carry 1359 */
		{ "tun://g0?path-mtu=1387", "udp://127.0.0.1:4754", 1355 },
		/* a smaller path */
		{ "tun://g0?path-mtu=1280", "dtls://10.0.0.2", 1155 },
		/* jumbo frames: DTLS still writes 1452 at most */
		{ "tun://g0?path-mtu=9000", "dtls://10.0.0.2", 1355 },
		{ "tun://g0?path-mtu=9000", "udp://10.0.0.2", 8968 },
		/* mtu= wins */
		{ "tun://g0?mtu=1400", "dtls://10.0.0.2", 1400 },
	};
	char msg[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct endpoint t = uri(cases[i].tun), o = uri(cases[i].outer);
		struct tunnel_conf tc;

		assert_int_equal(tunnel_conf_parse(&t, &o, &tc, msg,
						   sizeof(msg)), 0);
		assert_int_equal(tc.mtu, cases[i].mtu);
		if (!tc.mtu_set) {
			/* what the adapter checks against: the same */
			assert_int_equal(tunnel_inner_mtu(&tc), tc.mtu);
			/* and it fits: inner + encap + DTLS + UDP + IP */
			assert_true(tc.mtu + tunnel_encap_len(&tc) +
					    (tc.outer_dtls ? 93 : 0) + 8 +
					    (tc.outer_v6 ? 40 : 20) <=
				    tc.path_mtu);
		}
	}
}

static void test_conf_errors(void **state)
{
	static const char *const bad[] = {
		"tun://g0?addr=10.9.0.1",		/* no prefix length */
		"tun://g0?addr=10.9.0.1/33",
		"tun://g0?addr=fd00::1/64",
		"tun://g0?addr6=10.9.0.1/30",
		"tun://g0?addr6=fd00::1/129",
		"tun://g0?mtu=100",
		"tun://g0?mtu=70000",
		"tun://g0?gre-key=-1",
		"tun://g0?gre-key=4294967296",
		"tun://g0?gre-seq=2",
		"tun://g0?labels=",
		"tun://g0?labels=15",			/* reserved */
		"tun://g0?labels=1048576",
		"tun://g0?labels=100,",
		"tun://g0?labels=100,,200",
		"tun://g0?labels=16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32",
		"tun://g0?flows=0",
		"tun://g0?color=blue",
		/* too small a path for IPv6's 1280 */
		"tun://g0?addr6=fd00::1/64&path-mtu=1300",
		"tun://g0?addr6=fd00::1/64&mtu=1200",
		/* nothing left for the inner packets */
		"tun://g0?path-mtu=600",
	};
	struct endpoint o = uri("dtls://10.0.0.2:4755");
	struct tunnel_conf tc;
	char msg[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct endpoint t = uri(bad[i]);

		msg[0] = '\0';
		assert_int_equal(tunnel_conf_parse(&t, &o, &tc, msg,
						   sizeof(msg)), -EINVAL);
		assert_true(msg[0] != '\0');
	}
	{
		struct endpoint t = uri("tun://g0?addr=10.9.0.1/30&"
					"addr6=fd00::1/64&labels=100,200&"
					"flows=4");

		assert_int_equal(tunnel_conf_parse(&t, NULL, &tc, msg,
						   sizeof(msg)), 0);
		assert_true(tc.has4 && tc.has6);
		assert_int_equal(tc.plen4, 30);
		assert_int_equal(tc.plen6, 64);
		assert_memory_equal(tc.addr4, "\x0a\x09\x00\x01", 4);
		assert_int_equal(tc.nlabels, 2);
		assert_int_equal(tc.labels[1], 200);
		assert_int_equal(tc.flows, 4);
		/* no other side known: DTLS over IPv6, the worst case */
		assert_true(tc.outer_dtls && tc.outer_v6);
	}
}

static void test_icmp4(void **state)
{
	uint8_t p[1400], out[1500];
	size_t n;

	(void)state;
	ipv4(p, sizeof(p), 6, true, 64);
	n = tunnel_icmp_too_big(p, sizeof(p), 1351, out, sizeof(out));
	/* 20 + 8 + as much as 576 allows */
	assert_int_equal(n, 576);
	assert_int_equal(out[0], 0x45);
	assert_int_equal(out[2] << 8 | out[3], 576);
	assert_int_equal(out[9], 1);
	assert_int_equal(fold(sum16(out, 20)), 0);
	assert_memory_equal(out + 12, p + 16, 4);	/* from the destination */
	assert_memory_equal(out + 16, p + 12, 4);	/* to the source */
	assert_int_equal(out[20], 3);
	assert_int_equal(out[21], 4);
	assert_int_equal(out[26] << 8 | out[27], 1351);
	assert_memory_equal(out + 28, p, 576 - 28);
	assert_int_equal(fold(sum16(out + 20, n - 20)), 0);
	/* DF clear: the packet may be fragmented, no ICMP */
	ipv4(p, sizeof(p), 6, false, 64);
	assert_int_equal(tunnel_icmp_too_big(p, sizeof(p), 1351, out,
					     sizeof(out)), 0);
	/* no ICMP error about an ICMP error */
	ipv4(p, sizeof(p), 1, true, 64);
	p[20] = 3;
	assert_int_equal(tunnel_icmp_too_big(p, sizeof(p), 1351, out,
					     sizeof(out)), 0);
	p[20] = 8;	/* an echo request is answered */
	assert_int_not_equal(tunnel_icmp_too_big(p, sizeof(p), 1351, out,
						 sizeof(out)), 0);
	/* no room */
	assert_int_equal(tunnel_icmp_too_big(p, sizeof(p), 1351, out, 100), 0);
	/* not a packet */
	p[0] = 0;
	assert_int_equal(tunnel_icmp_too_big(p, sizeof(p), 1351, out,
					     sizeof(out)), 0);
}

static void test_icmp6(void **state)
{
	uint8_t p[1400], out[1500], pseudo[40];
	size_t n;
	uint32_t sum;

	(void)state;
	ipv6(p, sizeof(p), 6, 64);
	n = tunnel_icmp_too_big(p, sizeof(p), 1351, out, sizeof(out));
	/* 1280 at most (RFC 4443 2.4 (c)) */
	assert_int_equal(n, 1280);
	assert_int_equal(out[0] >> 4, 6);
	assert_int_equal(out[4] << 8 | out[5], 1240);
	assert_int_equal(out[6], 58);
	assert_memory_equal(out + 8, p + 24, 16);
	assert_memory_equal(out + 24, p + 8, 16);
	assert_int_equal(out[40], 2);
	assert_int_equal(out[41], 0);
	assert_memory_equal(out + 44, "\x00\x00\x05\x47", 4);	/* 1351 */
	assert_memory_equal(out + 48, p, 1232);
	memcpy(pseudo, out + 8, 32);
	memset(pseudo + 32, 0, 8);
	pseudo[34] = (uint8_t)(1240 >> 8);
	pseudo[35] = (uint8_t)1240;
	pseudo[39] = 58;
	sum = sum16(pseudo, 40) + sum16(out + 40, 1240);
	assert_int_equal(fold(sum), 0);
	/* an MTU below IPv6's minimum is reported as 1280 */
	n = tunnel_icmp_too_big(p, sizeof(p), 1000, out, sizeof(out));
	assert_memory_equal(out + 44, "\x00\x00\x05\x00", 4);
	/* no error about an ICMPv6 error */
	ipv6(p, sizeof(p), 58, 64);
	p[40] = 1;
	assert_int_equal(tunnel_icmp_too_big(p, sizeof(p), 1351, out,
					     sizeof(out)), 0);
	p[40] = 128;	/* echo request: answered */
	assert_int_not_equal(tunnel_icmp_too_big(p, sizeof(p), 1351, out,
						 sizeof(out)), 0);
	/* nor to a multicast source */
	p[8] = 0xff;
	assert_int_equal(tunnel_icmp_too_big(p, sizeof(p), 1351, out,
					     sizeof(out)), 0);
}

static void test_error_names(void **state)
{
	(void)state;
	for (int i = 0; i < TUNNEL_ERR_MAX; i++)
		assert_non_null(tunnel_error_names[i]);
	assert_string_equal(tunnel_error_name(TUNNEL_ERR_GRE_KEY), "gre_key");
	assert_string_equal(tunnel_error_name(TUNNEL_ERR_MAX), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gre_plain),
		cmocka_unit_test(test_gre_options),
		cmocka_unit_test(test_gre_malformed),
		cmocka_unit_test(test_mpls_stack),
		cmocka_unit_test(test_mpls_malformed),
		cmocka_unit_test(test_ip_check),
		cmocka_unit_test(test_flow_hash),
		cmocka_unit_test(test_mtu),
		cmocka_unit_test(test_conf_errors),
		cmocka_unit_test(test_icmp4),
		cmocka_unit_test(test_icmp6),
		cmocka_unit_test(test_error_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
