/*
 * libFuzzer target for the tunnel codecs (src/tunnel.c): the input as a
 * GRE-in-UDP payload and as an MPLS-in-UDP payload, as a bare IP packet
 * (flow hash, ICMP "too big"), and whatever decodes is encoded again and
 * must decode the same.
 *
 * The input: one byte for the ICMP's MTU, then the packet.  It is copied
 * into a heap block of its exact size: reading past it is a crash under
 * ASan.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dtlsgw/tunnel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) abort(); } while (0)

/* src/config.c's, for tunnel_conf_parse(), which this target does not run */
bool scheme_is_dtls(enum scheme s)
{
	return s == SCHEME_DTLS_UDP || s == SCHEME_DTLS_SCTP ||
	       s == SCHEME_DTLS_DCCP;
}

static void gre(const uint8_t *p, size_t len)
{
	struct gre_hdr h, h2;
	size_t hl, hl2;
	uint8_t *q;

	if (gre_decode(p, len, &h, &hl) != TUNNEL_OK)
		return;
	CHECK(hl == gre_header_len(&h) && hl <= len);
	/* the same header written again decodes the same */
	q = malloc(len);
	CHECK(q != NULL);
	memcpy(q, p, len);
	gre_encode(q, len, &h);
	CHECK(gre_decode(q, len, &h2, &hl2) == TUNNEL_OK);
	CHECK(hl2 == hl && h2.proto == h.proto && h2.key == h.key &&
	      h2.seq == h.seq && h2.csum == h.csum);
	free(q);
}

static void mpls(const uint8_t *p, size_t len)
{
	uint32_t labels[TUNNEL_MAX_LABELS];
	size_t sl, depth, sl2, depth2;
	uint8_t *q;

	if (mpls_decode(p, len, &sl, &depth) != TUNNEL_OK)
		return;
	CHECK(sl == depth * MPLS_ENTRY_LEN && sl <= len);
	CHECK(depth >= 1 && depth <= TUNNEL_MAX_LABELS);
	for (size_t i = 0; i < depth; i++)
		labels[i] = (uint32_t)p[4 * i] << 12 |
			    (uint32_t)p[4 * i + 1] << 4 | p[4 * i + 2] >> 4;
	q = malloc(len);
	CHECK(q != NULL);
	memcpy(q, p, len);
	mpls_encode(q, labels, depth, p[3] == 0 ? 1 : p[3]);
	CHECK(mpls_decode(q, len, &sl2, &depth2) == TUNNEL_OK);
	CHECK(sl2 == sl && depth2 == depth);
	free(q);
}

static void ip(const uint8_t *p, size_t len, unsigned int mtu)
{
	static uint8_t out[2048];
	size_t iplen, n;
	int v;

	(void)tunnel_flow_hash(p, len);
	(void)tunnel_ip_ttl(p, len);
	n = tunnel_icmp_too_big(p, len, mtu, out, sizeof(out));
	if (n == 0)
		return;
	CHECK(tunnel_ip_check(p, len, &iplen, &v) == TUNNEL_OK);
	/* what we write into the device is itself a valid packet */
	CHECK(tunnel_ip_check(out, n, &iplen, &v) == TUNNEL_OK && iplen == n);
	CHECK(n <= (v == 4 ? 576u : 1280u));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *p;
	size_t len;

	if (size < 1)
		return 0;
	len = size - 1;
	p = malloc(len > 0 ? len : 1);
	CHECK(p != NULL);
	memcpy(p, data + 1, len);
	gre(p, len);
	mpls(p, len);
	ip(p, len, 576u + data[0] * 4u);
	free(p);
	return 0;
}
