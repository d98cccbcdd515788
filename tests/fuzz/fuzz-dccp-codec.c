/*
 * libFuzzer target for the DCCP codec (transports/dccp/codec.c): the
 * input is one DCCP packet.  Decode it; when the header decodes, encode
 * it again and compare with the input where the encoding is determined
 * (all but the checksum and the reserved bits, which are written 0),
 * walk its options and write each again with the encoders, and fill and
 * verify the checksum over an IPv4 and an IPv6 pseudo-header.  The
 * checks that need no successful decode (options over the whole input,
 * checksum on any bytes) run on everything.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../../transports/dccp/codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) abort(); } while (0)
#define MAX_PKT	4096

static const uint8_t v4_src[4] = {192, 0, 2, 1};
static const uint8_t v4_dst[4] = {198, 51, 100, 2};
static const uint8_t v6_src[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
static const uint8_t v6_dst[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};

/* The one option an encoder wrote at buf[0..n), read back. */
static struct dccp_opt reread(const uint8_t *buf, int n)
{
	struct dccp_opt_iter it;
	struct dccp_opt o, rest;

	CHECK(n > 0);
	dccp_opt_iter_init(&it, buf, (size_t)n);
	CHECK(dccp_opt_next(&it, &o));
	CHECK(!dccp_opt_next(&it, &rest) && it.err == DCCP_OK);
	return o;
}

/* Walk opts; each option written again must give the same bytes. */
static void check_options(const uint8_t *opts, size_t len)
{
	uint8_t out[260], cells[256];
	struct dccp_opt_iter it;
	struct dccp_opt o;
	size_t pos = 0;
	uint32_t u, el;
	uint64_t ndp;
	bool has;
	int n;

	dccp_opt_iter_init(&it, opts, len);
	while (dccp_opt_next(&it, &o)) {
		n = dccp_opt_put(out, sizeof(out), o.type, o.val, o.len);
		CHECK(n > 0 && (size_t)n <= len - pos);
		CHECK(memcmp(out, opts + pos, (size_t)n) == 0);
		pos += (size_t)n;
		switch (o.type) {
		case DCCP_OPT_CHANGE_L:
		case DCCP_OPT_CONFIRM_L:
		case DCCP_OPT_CHANGE_R:
		case DCCP_OPT_CONFIRM_R:
			n = dccp_opt_put_feature(out, sizeof(out), o.type,
						 o.val[0], o.val + 1,
						 o.len - 1);
			CHECK(n == (int)o.len + 2);
			CHECK(memcmp(out + 2, o.val, o.len) == 0);
			break;
		case DCCP_OPT_ACK_VECTOR_0:
		case DCCP_OPT_ACK_VECTOR_1:
			if (o.len == 0)
				break;
			memcpy(cells, o.val, o.len);
			n = dccp_opt_put_ackvec(out, sizeof(out),
						o.type - DCCP_OPT_ACK_VECTOR_0,
						cells, o.len);
			CHECK(n == (int)o.len + 2);
			CHECK(memcmp(out, opts + pos - (size_t)n,
				     (size_t)n) == 0);
			break;
		case DCCP_OPT_TIMESTAMP:
			CHECK(dccp_opt_u32(&o, &u) == 0);
			n = dccp_opt_put_timestamp(out, sizeof(out), u);
			CHECK(n == 6 && memcmp(out + 2, o.val, 4) == 0);
			break;
		case DCCP_OPT_DATA_CHECKSUM:
			CHECK(dccp_opt_u32(&o, &u) == 0);
			break;
		case DCCP_OPT_ELAPSED_TIME: {
			struct dccp_opt o2;
			uint32_t el2;

			CHECK(dccp_opt_elapsed(&o, &el) == 0);
			n = dccp_opt_put_elapsed(out, sizeof(out), el);
			CHECK(n == 4 || n == 6);
			o2 = reread(out, n);
			CHECK(dccp_opt_elapsed(&o2, &el2) == 0 && el2 == el);
			break;
		}
		case DCCP_OPT_TIMESTAMP_ECHO: {
			struct dccp_opt o2;
			uint32_t u2, el2;
			bool has2;

			CHECK(dccp_opt_timestamp_echo(&o, &u, &has, &el) == 0);
			n = dccp_opt_put_timestamp_echo(out, sizeof(out), u,
							has, el);
			CHECK(n == 6 || n == 8 || n == 10);
			o2 = reread(out, n);
			CHECK(dccp_opt_timestamp_echo(&o2, &u2, &has2,
						      &el2) == 0);
			CHECK(u2 == u && has2 == has && el2 == el);
			break;
		}
		case DCCP_OPT_NDP_COUNT: {
			struct dccp_opt o2;
			uint64_t ndp2;

			CHECK(dccp_opt_ndp_count(&o, &ndp) == 0);
			n = dccp_opt_put_ndp_count(out, sizeof(out), ndp);
			CHECK(n >= 3 && n <= 8 && (size_t)n - 2 <= o.len);
			o2 = reread(out, n);
			CHECK(dccp_opt_ndp_count(&o2, &ndp2) == 0 &&
			      ndp2 == ndp);
			break;
		}
		default:
			break;
		}
	}
	CHECK(it.err != DCCP_OK || pos == len);
	CHECK(dccp_opts_check(opts, len) == it.err);
	n = dccp_opt_pad(out, pos % 4, sizeof(out));
	CHECK(n >= 0 && n % 4 == 0);
}

/* Fill the checksum of a copy; it must verify, and agree with the input. */
static void check_checksum(const uint8_t *p, size_t len, int af,
			   const void *src, const void *dst)
{
	static uint8_t buf[MAX_PKT];
	enum dccp_error fill, ok;
	uint16_t a, b;

	memcpy(buf, p, len);
	fill = dccp_checksum_fill(buf, len, af, src, dst);
	ok = dccp_checksum_ok(p, len, af, src, dst);
	if (fill != DCCP_OK) {
		CHECK(ok == fill && memcmp(buf, p, len) == 0);
		return;
	}
	CHECK(dccp_checksum_ok(buf, len, af, src, dst) == DCCP_OK);
	a = (uint16_t)(buf[6] << 8 | buf[7]);
	b = (uint16_t)(p[6] << 8 | p[7]);
	if (a == b)
		CHECK(ok == DCCP_OK);
	/* ones' complement has two zeros: 0x0000 and 0xffff verify alike */
	else if (ok == DCCP_OK)
		CHECK((a == 0 && b == 0xffff) || (a == 0xffff && b == 0));
	else
		CHECK(ok == DCCP_ERR_BAD_CHECKSUM);
	CHECK(memcmp(buf, p, 6) == 0 && memcmp(buf + 8, p + 8, len - 8) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t want[MAX_PKT], out[MAX_PKT];
	struct dccp_hdr h, d;
	size_t hlen, off;
	int n;

	if (size > MAX_PKT)
		return 0;
	check_options(data, size);
	check_checksum(data, size, AF_INET, v4_src, v4_dst);
	check_checksum(data, size, AF_INET6, v6_src, v6_dst);
	if (dccp_decode(data, size, &h) != DCCP_OK)
		return 0;

	CHECK(h.type < DCCP_TYPE_COUNT && h.doff <= size && h.doff % 4 == 0);
	hlen = dccp_header_len(h.type, h.x);
	CHECK(h.opts == data + hlen && hlen + h.optlen == h.doff);
	check_options(h.opts, h.optlen);

	n = dccp_encode(&h, h.opts, h.optlen, out, sizeof(out));
	CHECK(n >= 0 && (size_t)n == h.doff);
	/* the input with what encode writes 0: checksum, reserved bits */
	memcpy(want, data, h.doff);
	want[6] = want[7] = 0;
	want[8] &= 0x1f;
	off = h.x ? DCCP_GENERIC_LEN : DCCP_GENERIC_SHORT_LEN;
	if (h.x)
		want[9] = 0;
	if (dccp_type_has_ack(h.type)) {
		want[off] = 0;
		if (h.x)
			want[off + 1] = 0;
	}
	CHECK(memcmp(out, want, h.doff) == 0);

	/* with the payload after it, since CsCov may cover some */
	memcpy(out + n, data + n, size - (size_t)n);
	CHECK(dccp_decode(out, size, &d) == DCCP_OK);
	CHECK(d.sport == h.sport && d.dport == h.dport && d.type == h.type &&
	      d.x == h.x && d.ccval == h.ccval && d.cscov <= 15 &&
	      d.seq == h.seq && d.ack == h.ack && d.service == h.service &&
	      d.reset_code == h.reset_code &&
	      memcmp(d.reset_data, h.reset_data, 3) == 0 &&
	      d.doff == h.doff && d.optlen == h.optlen);

	/* 24-bit numbers extend to themselves against any greatest */
	if (!h.x)
		CHECK((dccp_seq_extend(h.ack << 24 | h.seq, (uint32_t)h.seq) &
		       0xffffff) == h.seq);
	else
		CHECK(dccp_seq_delta(dccp_seq_add(h.seq, h.ack), h.seq) ==
		      dccp_seq_delta(h.ack, 0));
	return 0;
}
