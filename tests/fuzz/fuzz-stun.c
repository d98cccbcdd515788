/*
 * libFuzzer target for the STUN codec: stun_classify(), stun_parse(),
 * stun_channel_data_check(), stun_find_attr() and the XOR address decoder
 * on arbitrary bytes.  What parses is answered as the stun profile answers
 * a Binding request (XOR-MAPPED-ADDRESS from an address taken from the
 * input, or 420 with its unknown attributes, SOFTWARE, FINGERPRINT), and
 * that answer must parse and carry the address back.
 */
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dtlsgw/stun.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) abort(); } while (0)

static void answer(const uint8_t *p, const struct stun_msg *m)
{
	uint8_t out[256];
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6 };
	struct sockaddr_storage ss;
	struct stun_writer w;
	struct stun_msg a;
	socklen_t sslen;
	size_t n, off, vlen;

	/* an address from the transaction ID: any 12 bytes, some v4-mapped */
	memcpy(in6.sin6_addr.s6_addr + 4, p + 8, STUN_TID_LEN);
	if (p[8] & 1)
		memcpy(in6.sin6_addr.s6_addr, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12);
	in6.sin6_port = (uint16_t)(p[9] << 8 | p[10]);
	stun_writer_start(&w, out, sizeof(out),
			  stun_type(m->method, STUN_SUCCESS), p + 8);
	stun_writer_xor_address(&w, STUN_ATTR_XOR_MAPPED_ADDRESS,
				(const struct sockaddr *)&in6);
	if (m->nunknown > 0) {
		stun_writer_error_code(&w, 420, "Unknown Attribute");
		stun_writer_attr(&w, STUN_ATTR_UNKNOWN_ATTRIBUTES, m->unknown,
				 2 * m->nunknown);
	}
	stun_writer_attr(&w, STUN_ATTR_SOFTWARE, "fuzz", 4);
	n = stun_writer_finish(&w, true);
	CHECK(n > 0);
	CHECK(stun_parse(out, n, &a) == STUN_OK);
	CHECK(a.method == m->method && a.cls == STUN_SUCCESS);
	CHECK(a.fingerprint == n - 8);
	off = stun_find_attr(out, &a, STUN_ATTR_XOR_MAPPED_ADDRESS, &vlen);
	CHECK(off == STUN_HEADER_LEN);
	CHECK(stun_xor_address_decode(out, out + off + 4, vlen, &ss,
				      &sslen) == STUN_OK);
	if (ss.ss_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)&ss;

		CHECK(memcmp(&in->sin_addr, in6.sin6_addr.s6_addr + 12, 4) == 0);
		CHECK(in->sin_port == in6.sin6_port);
	} else {
		const struct sockaddr_in6 *got = (const void *)&ss;

		CHECK(memcmp(&got->sin6_addr, &in6.sin6_addr, 16) == 0);
		CHECK(got->sin6_port == in6.sin6_port);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stun_msg m;
	uint16_t ch;
	size_t n;

	if (size > STUN_MAX_LEN)
		return 0;
	switch (stun_classify(data, size)) {
	case STUN_KIND_CHANNEL_DATA:
		if (stun_channel_data_check(data, size, &ch, &n) == STUN_OK)
			CHECK(n + STUN_CHANNEL_HEADER_LEN <= size &&
			      size - n - STUN_CHANNEL_HEADER_LEN < 4);
		break;
	case STUN_KIND_MESSAGE:
	case STUN_KIND_OTHER:
		if (stun_parse(data, size, &m) != STUN_OK)
			break;
		CHECK(stun_classify(data, size) == STUN_KIND_MESSAGE);
		CHECK(m.len == size && m.nunknown <= STUN_MAX_UNKNOWN);
		for (size_t off = STUN_HEADER_LEN, vlen; off < size;
		     off += 4 + ((vlen + 3) & ~(size_t)3)) {
			struct sockaddr_storage ss;
			socklen_t sslen;
			uint16_t t = (uint16_t)(data[off] << 8 | data[off + 1]);

			vlen = (size_t)(data[off + 2] << 8 | data[off + 3]);
			CHECK(off + 4 + vlen <= size);
			if (t == STUN_ATTR_XOR_MAPPED_ADDRESS ||
			    t == STUN_ATTR_XOR_PEER_ADDRESS ||
			    t == STUN_ATTR_XOR_RELAYED_ADDRESS)
				CHECK(stun_xor_address_decode(
					      data, data + off + 4, vlen, &ss,
					      &sslen) == STUN_OK);
		}
		(void)stun_find_attr(data, &m, STUN_ATTR_FINGERPRINT, &n);
		answer(data, &m);
		break;
	}
	return 0;
}
