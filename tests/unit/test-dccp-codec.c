/*
 * The DCCP codec (transports/dccp/codec.c) against RFC 4340: every packet
 * type through encode and decode, with X=1 and the short forms 5.1
 * allows; every option; Ack Vector cells; checksums against vectors
 * computed independently; each refusal; 48-bit sequence arithmetic.
 *
 * The checksum vectors were computed with python3 (stdlib only), apart
 * from the codec, as RFC 4340 section 9 and RFC 1071 say:
 *
 *   import struct, ipaddress
 *   def fold(b):
 *       b += b'\0' * (len(b) % 2)
 *       s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
 *       while s >> 16: s = (s & 0xffff) + (s >> 16)
 *       return ~s & 0xffff
 *   def ck(src, dst, pkt, cscov):
 *       a, b = ipaddress.ip_address(src), ipaddress.ip_address(dst)
 *       if a.version == 4:
 *           ph = a.packed + b.packed + bytes([0, 33]) \
 *                + struct.pack('!H', len(pkt))
 *       else:
 *           ph = a.packed + b.packed + struct.pack('!I', len(pkt)) \
 *                + bytes([0, 0, 0, 33])
 *       doff = pkt[4] * 4
 *       cov = len(pkt) if cscov == 0 else doff + (cscov - 1) * 4
 *       pkt = pkt[:6] + b'\0\0' + pkt[8:]
 *       return fold(ph + pkt[:cov])
 *
 * giving 0x0e74 for req_hex from 192.0.2.1 to 198.51.100.2, and for
 * dataack_hex from 2001:db8::1 to 2001:db8::2 0x5854 with CsCov 2 and
 * 0x84d3 with CsCov 0 (the same bytes with byte 5 = 0x50).  tshark 4.0.17
 * also finds both packets' checksums correct (IP protocol 33):
 *   text2pcap -i 33 -4 192.0.2.1,198.51.100.2 req.txt req.pcap
 *   text2pcap -i 33 -6 2001:db8::1,2001:db8::2 dataack.txt dataack.pcap
 *   tshark -r req.pcap -O dccp -o dccp.check_checksum:TRUE
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "../../transports/dccp/codec.h"
#include "dtlsgw/inet_csum.h"
#include "hex.h"

#define N(a)	(sizeof(a) / sizeof((a)[0]))

static const uint8_t v4_src[4] = {192, 0, 2, 1};
static const uint8_t v4_dst[4] = {198, 51, 100, 2};
static const uint8_t v6_src[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
static const uint8_t v6_dst[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};

/*
 * Request, X=1, 40000 -> 5061, Data Offset 5 (20 bytes), seq
 * 0x000012345678, Service Code "RTPA"; payload "hello".
 */
static const char req_hex[] =
	"9c 40 13 c5 05 00 0e 74 01 00 00 00 12 34 56 78 "
	"52 54 50 41 "
	"68 65 6c 6c 6f";

/*
 * DataAck, X=1, 5001 -> 5001, Data Offset 8 (32), CCVal 5, CsCov 2, seq
 * 100, ack 80; options Timestamp 1 and two Padding; payload "payload!".
 */
static const char dataack_hex[] =
	"13 89 13 89 08 52 58 54 09 00 00 00 00 00 00 64 "
	"00 00 00 00 00 00 00 50 "
	"29 06 00 00 00 01 00 00 "
	"70 61 79 6c 6f 61 64 21";

static void hdr_eq(const struct dccp_hdr *a, const struct dccp_hdr *b)
{
	assert_int_equal(a->sport, b->sport);
	assert_int_equal(a->dport, b->dport);
	assert_int_equal(a->type, b->type);
	assert_int_equal(a->x, b->x);
	assert_int_equal(a->ccval, b->ccval);
	assert_int_equal(a->cscov, b->cscov);
	assert_int_equal(a->seq, b->seq);
	if (dccp_type_has_ack(a->type))
		assert_int_equal(a->ack, b->ack);
	if (a->type == DCCP_REQUEST || a->type == DCCP_RESPONSE)
		assert_int_equal(a->service, b->service);
	if (a->type == DCCP_RESET) {
		assert_int_equal(a->reset_code, b->reset_code);
		assert_memory_equal(a->reset_data, b->reset_data, 3);
	}
}

static void test_round_trip_every_type(void **state)
{
	uint8_t opts[8], buf[64];
	struct dccp_hdr h, d;
	unsigned int t;
	int n, olen;

	(void)state;
	olen = dccp_opt_put_timestamp(opts, sizeof(opts), 0xdeadbeef);
	olen = dccp_opt_pad(opts, (size_t)olen, sizeof(opts));
	assert_int_equal(olen, 8);
	for (t = 0; t < DCCP_TYPE_COUNT; t++) {
		memset(&h, 0, sizeof(h));
		h.sport = 40000;
		h.dport = 5061;
		h.type = (uint8_t)t;
		h.x = true;
		h.ccval = 7;
		h.cscov = 1;
		h.seq = UINT64_C(0xfedcba987654);
		h.ack = UINT64_C(0x0123456789ab);
		h.service = dccp_service_code("RTPA");
		h.reset_code = DCCP_RESET_OPTION_ERROR;
		memcpy(h.reset_data, "\x20\x21\x22", 3);
		n = dccp_encode(&h, opts, (size_t)olen, buf, sizeof(buf));
		assert_int_equal(n, dccp_header_len(h.type, true) + 8);
		assert_int_equal(dccp_decode(buf, (size_t)n, &d), DCCP_OK);
		hdr_eq(&h, &d);
		assert_int_equal(d.doff, n);
		assert_int_equal(d.optlen, 8);
		assert_ptr_equal(d.opts, buf + n - 8);
		assert_int_equal(dccp_opts_check(d.opts, d.optlen), DCCP_OK);
		/* the buffer too small by one */
		assert_int_equal(dccp_encode(&h, opts, (size_t)olen, buf,
					     (size_t)n - 1), -ENOSPC);
	}
	assert_int_equal(dccp_header_len(DCCP_REQUEST, true), 20);
	assert_int_equal(dccp_header_len(DCCP_RESPONSE, true), 28);
	assert_int_equal(dccp_header_len(DCCP_DATA, true), 16);
	assert_int_equal(dccp_header_len(DCCP_ACK, true), 24);
	assert_int_equal(dccp_header_len(DCCP_RESET, true), 28);
	assert_int_equal(dccp_header_len(DCCP_SYNC, true), 24);
	assert_int_equal(dccp_header_len(10, true), 0);
}

static void test_short_forms(void **state)
{
	static const uint8_t types[] = {DCCP_DATA, DCCP_ACK, DCCP_DATAACK};
	static const size_t lens[] = {12, 16, 16};
	uint8_t buf[32];
	struct dccp_hdr h, d;
	unsigned int t;
	size_t i;
	int n;

	(void)state;
	for (i = 0; i < N(types); i++) {
		memset(&h, 0, sizeof(h));
		h.sport = 1;
		h.dport = 2;
		h.type = types[i];
		h.seq = 0xabcdef;
		h.ack = 0x123456;
		n = dccp_encode(&h, NULL, 0, buf, sizeof(buf));
		assert_int_equal(n, lens[i]);
		assert_int_equal(buf[8], types[i] << 1);
		assert_int_equal(buf[9], 0xab);
		assert_int_equal(dccp_decode(buf, (size_t)n, &d), DCCP_OK);
		hdr_eq(&h, &d);
		/* 24 bits only */
		h.seq = 0x1000000;
		assert_int_equal(dccp_encode(&h, NULL, 0, buf, sizeof(buf)),
				 -EINVAL);
	}
	for (t = 0; t < DCCP_TYPE_COUNT; t++) {
		memset(&h, 0, sizeof(h));
		h.type = (uint8_t)t;
		assert_int_equal(dccp_type_allows_short(t),
				 dccp_encode(&h, NULL, 0, buf, sizeof(buf)) > 0);
	}
}

static void test_encode_refusals(void **state)
{
	uint8_t buf[1100], opts[1020] = {0};
	struct dccp_hdr h;

	(void)state;
	memset(&h, 0, sizeof(h));
	h.type = DCCP_DATA;
	h.x = true;
	assert_int_equal(dccp_encode(&h, opts, 3, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(dccp_encode(&h, opts, 1004, buf, sizeof(buf)),
			 1020);
	assert_int_equal(dccp_encode(&h, opts, 1008, buf, sizeof(buf)),
			 -EINVAL);
	h.seq = UINT64_C(1) << 48;
	assert_int_equal(dccp_encode(&h, NULL, 0, buf, sizeof(buf)), -EINVAL);
	h.seq = 0;
	h.ccval = 16;
	assert_int_equal(dccp_encode(&h, NULL, 0, buf, sizeof(buf)), -EINVAL);
	h.ccval = 0;
	h.cscov = 16;
	assert_int_equal(dccp_encode(&h, NULL, 0, buf, sizeof(buf)), -EINVAL);
	h.cscov = 0;
	h.type = 10;
	assert_int_equal(dccp_encode(&h, NULL, 0, buf, sizeof(buf)), -EINVAL);
	h.type = DCCP_REQUEST;
	h.service = DCCP_SERVICE_INVALID;
	assert_int_equal(dccp_encode(&h, NULL, 0, buf, sizeof(buf)), -EINVAL);
}

static void test_checksum_ipv4_request(void **state)
{
	uint8_t want[64], pkt[64];
	struct dccp_hdr h, d;
	size_t len = HEX(req_hex, want);
	int n;

	(void)state;
	memset(&h, 0, sizeof(h));
	h.sport = 40000;
	h.dport = 5061;
	h.type = DCCP_REQUEST;
	h.x = true;
	h.seq = 0x12345678;
	h.service = dccp_service_code("RTPA");
	n = dccp_encode(&h, NULL, 0, pkt, sizeof(pkt));
	assert_int_equal(n, 20);
	memcpy(pkt + n, "hello", 5);
	assert_int_equal(dccp_checksum_fill(pkt, len, AF_INET, v4_src,
					    v4_dst), DCCP_OK);
	assert_memory_equal(pkt, want, len);
	assert_int_equal(dccp_checksum_ok(want, len, AF_INET, v4_src, v4_dst),
			 DCCP_OK);
	assert_int_equal(dccp_decode(want, len, &d), DCCP_OK);
	hdr_eq(&h, &d);
	assert_int_equal(d.checksum, 0x0e74);
	/* any byte changed, or other addresses: refused */
	want[len - 1] ^= 1;
	assert_int_equal(dccp_checksum_ok(want, len, AF_INET, v4_src, v4_dst),
			 DCCP_ERR_BAD_CHECKSUM);
	want[len - 1] ^= 1;
	assert_int_equal(dccp_checksum_ok(want, len, AF_INET, v4_dst, v4_src),
			 DCCP_OK); /* the sum does not see the order */
	assert_int_equal(dccp_checksum_ok(want, len, AF_INET, v4_src, v4_src),
			 DCCP_ERR_BAD_CHECKSUM);
	/* the pseudo-header's length is the DCCP length */
	assert_int_equal(dccp_checksum_ok(want, len - 1, AF_INET, v4_src,
					  v4_dst), DCCP_ERR_BAD_CHECKSUM);
	assert_int_equal(dccp_checksum_ok(want, len, AF_UNIX, v4_src, v4_dst),
			 DCCP_ERR_BAD_PSEUDO);
	assert_int_equal(dccp_checksum_fill(want, len, AF_UNIX, v4_src,
					    v4_dst), DCCP_ERR_BAD_PSEUDO);
	assert_int_equal(want[6] << 8 | want[7], 0x0e74); /* left alone */
	/* fewer bytes than a header */
	assert_int_equal(dccp_checksum_ok(want, 11, AF_INET, v4_src, v4_dst),
			 DCCP_ERR_SHORT);
}

static void test_checksum_ipv6_partial(void **state)
{
	uint8_t want[64], pkt[64];
	size_t len = HEX(dataack_hex, want);

	(void)state;
	memcpy(pkt, want, len);
	pkt[6] = pkt[7] = 0xff;
	assert_int_equal(dccp_checksum_fill(pkt, len, AF_INET6, v6_src,
					    v6_dst), DCCP_OK);
	assert_memory_equal(pkt, want, len);
	assert_int_equal(dccp_checksum_ok(pkt, len, AF_INET6, v6_src, v6_dst),
			 DCCP_OK);
	/* CsCov 2: header and the first 4 payload bytes only */
	pkt[len - 1] ^= 0x55;
	assert_int_equal(dccp_checksum_ok(pkt, len, AF_INET6, v6_src, v6_dst),
			 DCCP_OK);
	pkt[32 + 3] ^= 0x55;
	assert_int_equal(dccp_checksum_ok(pkt, len, AF_INET6, v6_src, v6_dst),
			 DCCP_ERR_BAD_CHECKSUM);
	/* CsCov 0: everything */
	memcpy(pkt, want, len);
	pkt[5] = 0x50;
	assert_int_equal(dccp_checksum_fill(pkt, len, AF_INET6, v6_src,
					    v6_dst), DCCP_OK);
	assert_int_equal(pkt[6] << 8 | pkt[7], 0x84d3);
	pkt[len - 1] ^= 0x55;
	assert_int_equal(dccp_checksum_ok(pkt, len, AF_INET6, v6_src, v6_dst),
			 DCCP_ERR_BAD_CHECKSUM);
	/* CsCov past the packet */
	pkt[5] = 0x5f;
	assert_int_equal(dccp_checksum_ok(pkt, len, AF_INET6, v6_src, v6_dst),
			 DCCP_ERR_BAD_CSCOV);
	/* CsCov 3 covers exactly the 8 payload bytes */
	pkt[5] = 0x53;
	assert_int_equal(dccp_checksum_fill(pkt, len, AF_INET6, v6_src,
					    v6_dst), DCCP_OK);
}

static void test_options_every_type(void **state)
{
	static const uint8_t cookie[] = {1, 2, 3, 4, 5, 6, 7};
	static const uint8_t dropped[] = {0x00, 0x85};
	static const uint8_t cells[] = {0x05, 0xc3, 0x40};
	static const uint8_t ccid = 2;
	static const uint8_t cksum[] = {0xca, 0xfe, 0xba, 0xbe};
	static const uint8_t want_types[] = {
		0, 1, 2, 32, 33, 34, 35, 36, 37, 37, 38, 39, 40, 41, 42, 42,
		42, 43, 43, 44, 200,
	};
	uint8_t buf[256];
	size_t len = 0, i = 0;
	struct dccp_opt_iter it;
	struct dccp_opt o;
	uint32_t u, el;
	uint64_t ndp;
	bool has;

	(void)state;
#define PUT(call) do { int r_ = (call); assert_true(r_ > 0); \
			len += (size_t)r_; } while (0)
	PUT(dccp_opt_put(buf + len, sizeof(buf) - len, 0, NULL, 0));
	PUT(dccp_opt_put(buf + len, sizeof(buf) - len, 1, NULL, 0));
	PUT(dccp_opt_put(buf + len, sizeof(buf) - len, 2, NULL, 0));
	PUT(dccp_opt_put_feature(buf + len, sizeof(buf) - len, 32, 1,
				 &ccid, 1));
	PUT(dccp_opt_put_feature(buf + len, sizeof(buf) - len, 33, 1,
				 &ccid, 1));
	PUT(dccp_opt_put_feature(buf + len, sizeof(buf) - len, 34, 2,
				 NULL, 0));
	PUT(dccp_opt_put_feature(buf + len, sizeof(buf) - len, 35, 2,
				 &ccid, 1));
	PUT(dccp_opt_put(buf + len, sizeof(buf) - len, 36, cookie,
			 sizeof(cookie)));
	PUT(dccp_opt_put_ndp_count(buf + len, sizeof(buf) - len, 5));
	PUT(dccp_opt_put_ndp_count(buf + len, sizeof(buf) - len,
				   UINT64_C(0x123456789abc)));
	PUT(dccp_opt_put_ackvec(buf + len, sizeof(buf) - len, 0, cells, 3));
	PUT(dccp_opt_put_ackvec(buf + len, sizeof(buf) - len, 1, cells, 1));
	PUT(dccp_opt_put(buf + len, sizeof(buf) - len, 40, dropped, 2));
	PUT(dccp_opt_put_timestamp(buf + len, sizeof(buf) - len, 0x01020304));
	PUT(dccp_opt_put_timestamp_echo(buf + len, sizeof(buf) - len, 7,
					false, 0));
	PUT(dccp_opt_put_timestamp_echo(buf + len, sizeof(buf) - len, 8,
					true, 300));
	PUT(dccp_opt_put_timestamp_echo(buf + len, sizeof(buf) - len, 9,
					true, 70000));
	PUT(dccp_opt_put_elapsed(buf + len, sizeof(buf) - len, 65535));
	PUT(dccp_opt_put_elapsed(buf + len, sizeof(buf) - len, 65536));
	PUT(dccp_opt_put(buf + len, sizeof(buf) - len, 44, cksum, 4));
	PUT(dccp_opt_put(buf + len, sizeof(buf) - len, 200, NULL, 0));
#undef PUT
	assert_int_equal(dccp_opt_pad(buf, len, sizeof(buf)) % 4, 0);
	len = (size_t)dccp_opt_pad(buf, len, sizeof(buf));

	/* a few by their bytes */
	assert_memory_equal(buf + 3, "\x20\x04\x01\x02", 4);
	assert_memory_equal(buf + 14, "\x23\x04\x02\x02", 4);

	dccp_opt_iter_init(&it, buf, len);
	while (i < N(want_types) && dccp_opt_next(&it, &o)) {
		assert_int_equal(o.type, want_types[i]);
		assert_int_equal(o.mandatory, i == 2);
		switch (i) {
		case 3:
			assert_int_equal(o.len, 2);
			assert_int_equal(o.val[0], 1);
			assert_int_equal(o.val[1], 2);
			break;
		case 7:
			assert_int_equal(o.len, sizeof(cookie));
			assert_memory_equal(o.val, cookie, sizeof(cookie));
			break;
		case 8:
			assert_int_equal(dccp_opt_ndp_count(&o, &ndp), 0);
			assert_int_equal(o.len, 1);
			assert_int_equal(ndp, 5);
			break;
		case 9:
			assert_int_equal(dccp_opt_ndp_count(&o, &ndp), 0);
			assert_int_equal(o.len, 6);
			assert_int_equal(ndp, UINT64_C(0x123456789abc));
			break;
		case 10:
			assert_int_equal(o.len, 3);
			assert_memory_equal(o.val, cells, 3);
			break;
		case 13:
			assert_int_equal(dccp_opt_u32(&o, &u), 0);
			assert_int_equal(u, 0x01020304);
			break;
		case 14:
		case 15:
		case 16:
			assert_int_equal(dccp_opt_timestamp_echo(&o, &u, &has,
								 &el), 0);
			assert_int_equal(u, i - 7);
			assert_int_equal(has, i > 14);
			assert_int_equal(el, i == 14 ? 0 :
					     i == 15 ? 300 : 70000);
			assert_int_equal(o.len, i == 14 ? 4 :
					       i == 15 ? 6 : 8);
			break;
		case 17:
		case 18:
			assert_int_equal(dccp_opt_elapsed(&o, &el), 0);
			assert_int_equal(el, 65535 + (i - 17));
			assert_int_equal(o.len, i == 17 ? 2 : 4);
			assert_int_equal(dccp_opt_u32(&o, &u), -EINVAL);
			break;
		case 19:
			assert_int_equal(dccp_opt_u32(&o, &u), 0);
			assert_int_equal(u, 0xcafebabe);
			break;
		}
		i++;
	}
	assert_int_equal(i, N(want_types));
	while (dccp_opt_next(&it, &o))
		assert_int_equal(o.type, DCCP_OPT_PADDING);
	assert_int_equal(it.err, DCCP_OK);
	assert_int_equal(dccp_opts_check(buf, len), DCCP_OK);
}

static void test_option_encode_refusals(void **state)
{
	uint8_t buf[300], cells[254];

	(void)state;
	memset(cells, 0, sizeof(cells));
	assert_int_equal(dccp_opt_put(buf, sizeof(buf), 5, cells, 1), -EINVAL);
	assert_int_equal(dccp_opt_put(buf, sizeof(buf), 36, cells, 254),
			 -EINVAL);
	assert_int_equal(dccp_opt_put(buf, sizeof(buf), 36, cells, 253), 255);
	assert_int_equal(dccp_opt_put(buf, 0, 0, NULL, 0), -ENOSPC);
	assert_int_equal(dccp_opt_put_timestamp(buf, 5, 1), -ENOSPC);
	assert_int_equal(dccp_opt_put_feature(buf, sizeof(buf), 36, 1, NULL,
					      0), -EINVAL);
	assert_int_equal(dccp_opt_put_ackvec(buf, sizeof(buf), 2, cells, 1),
			 -EINVAL);
	assert_int_equal(dccp_opt_put_ackvec(buf, sizeof(buf), 0, cells, 0),
			 -EINVAL);
	cells[1] = dccp_ackvec_cell(2, 0);
	assert_int_equal(dccp_opt_put_ackvec(buf, sizeof(buf), 0, cells, 2),
			 -EINVAL);
	assert_int_equal(dccp_opt_put_ndp_count(buf, sizeof(buf),
						UINT64_C(1) << 48), -EINVAL);
	assert_int_equal(dccp_opt_pad(buf, 5, 7), -ENOSPC);
	assert_int_equal(dccp_opt_pad(buf, 5, 8), 8);
	assert_int_equal(dccp_opt_pad(buf, 8, 8), 8);
}

static void test_ackvec_cells(void **state)
{
	static const uint8_t want[] = {0x27, 0x05, 0x0f, 0xc3, 0x7f};
	uint8_t cells[3], buf[8];

	(void)state;
	cells[0] = dccp_ackvec_cell(DCCP_ACKVEC_RECEIVED, 15);
	cells[1] = dccp_ackvec_cell(DCCP_ACKVEC_NOT_RECEIVED, 3);
	cells[2] = dccp_ackvec_cell(DCCP_ACKVEC_ECN_MARKED, 63);
	assert_int_equal(dccp_opt_put_ackvec(buf, sizeof(buf), 1, cells, 3),
			 5);
	assert_memory_equal(buf, want, 5);
	assert_int_equal(dccp_ackvec_state(0xc3), DCCP_ACKVEC_NOT_RECEIVED);
	assert_int_equal(dccp_ackvec_run(0xc3), 3);
	assert_int_equal(dccp_ackvec_state(0x7f), DCCP_ACKVEC_ECN_MARKED);
	assert_int_equal(dccp_ackvec_run(0x7f), 63);
	assert_int_equal(dccp_ackvec_cell(7, 64), 0xc0);
}

/* Bytes of a packet; each gives exactly one error from dccp_decode(). */
static const struct {
	const char		*hex;
	enum dccp_error		 err;
} decode_bad[] = {
	{"00 01 00 02 03 00 00 00 04 00 00", DCCP_ERR_SHORT},
	/* type 10, 15 */
	{"00 01 00 02 04 00 00 00 15 00 00 00 00 00 00 01", DCCP_ERR_BAD_TYPE},
	{"00 01 00 02 04 00 00 00 1f 00 00 00 00 00 00 01", DCCP_ERR_BAD_TYPE},
	/* Request, Response, Reset, Sync with X=0 */
	{"00 01 00 02 05 00 00 00 00 00 00 01 00 00 00 00 00 00 00 00",
	 DCCP_ERR_SHORT_SEQ},
	{"00 01 00 02 04 00 00 00 02 00 00 01 00 00 00 00", DCCP_ERR_SHORT_SEQ},
	{"00 01 00 02 04 00 00 00 0e 00 00 01 00 00 00 00", DCCP_ERR_SHORT_SEQ},
	{"00 01 00 02 04 00 00 00 10 00 00 01 00 00 00 00", DCCP_ERR_SHORT_SEQ},
	/* X=1 with 12 bytes; an Ack missing its subheader */
	{"00 01 00 02 03 00 00 00 05 00 00 00", DCCP_ERR_SHORT},
	{"00 01 00 02 06 00 00 00 07 00 00 00 00 00 00 01 00 00 00 00",
	 DCCP_ERR_SHORT},
	/* Data Offset under the header: Data X=1 at 3, Request at 4 */
	{"00 01 00 02 03 00 00 00 05 00 00 00 00 00 00 01", DCCP_ERR_BAD_DOFF},
	{"00 01 00 02 04 00 00 00 01 00 00 00 00 00 00 01 52 54 50 41",
	 DCCP_ERR_BAD_DOFF},
	/* Data Offset past the packet */
	{"00 01 00 02 05 00 00 00 05 00 00 00 00 00 00 01", DCCP_ERR_DOFF_OVERRUN},
	{"00 01 00 02 ff 00 00 00 04 00 00 01", DCCP_ERR_DOFF_OVERRUN},
	/* CsCov 2 with 3 payload bytes */
	{"00 01 00 02 03 02 00 00 04 00 00 01 aa bb cc", DCCP_ERR_BAD_CSCOV},
	/* Service Code 4294967295 */
	{"00 01 00 02 05 00 00 00 01 00 00 00 00 00 00 01 ff ff ff ff",
	 DCCP_ERR_BAD_SERVICE},
};

static void test_decode_refusals(void **state)
{
	uint8_t buf[64];
	struct dccp_hdr h;
	size_t i, len;

	(void)state;
	for (i = 0; i < N(decode_bad); i++) {
		len = HEX(decode_bad[i].hex, buf);
		assert_int_equal(dccp_decode(buf, len, &h), decode_bad[i].err);
	}
	/* reserved bits pass, as 5.1 says: Res, Reserved, ack's reserved */
	len = HEX("00 01 00 02 06 00 00 00 e7 ff 00 00 00 00 00 01 "
		  "ff ff 00 00 00 00 00 02", buf);
	assert_int_equal(dccp_decode(buf, len, &h), DCCP_OK);
	assert_int_equal(h.type, DCCP_ACK);
	assert_int_equal(h.seq, 1);
	assert_int_equal(h.ack, 2);
	/* CsCov 2 with 4 payload bytes is fine */
	len = HEX("00 01 00 02 03 02 00 00 04 00 00 01 aa bb cc dd", buf);
	assert_int_equal(dccp_decode(buf, len, &h), DCCP_OK);
}

static const struct {
	const char		*hex;
	enum dccp_error		 err;
} opts_bad[] = {
	{"20 01", DCCP_ERR_OPT_BAD_LEN},
	{"00 24 00", DCCP_ERR_OPT_BAD_LEN},
	{"29", DCCP_ERR_OPT_OVERRUN},
	{"29 06 00 00 00", DCCP_ERR_OPT_OVERRUN},
	{"29 05 00 00 00", DCCP_ERR_OPT_VALUE_LEN},
	{"2a 07 00 00 00 00 00", DCCP_ERR_OPT_VALUE_LEN},
	{"2b 05 00 00 00", DCCP_ERR_OPT_VALUE_LEN},
	{"2c 02", DCCP_ERR_OPT_VALUE_LEN},
	{"25 02", DCCP_ERR_OPT_VALUE_LEN},
	{"25 09 00 00 00 00 00 00 00", DCCP_ERR_OPT_VALUE_LEN},
	{"20 02", DCCP_ERR_OPT_VALUE_LEN},
	{"00 01", DCCP_ERR_MANDATORY},
	{"01 01 02", DCCP_ERR_MANDATORY},
	{"26 04 00 80", DCCP_ERR_ACKVEC_STATE},
	{"27 03 bf", DCCP_ERR_ACKVEC_STATE},
};

static void test_option_refusals(void **state)
{
	uint8_t buf[32];
	size_t i, len;

	(void)state;
	for (i = 0; i < N(opts_bad); i++) {
		len = HEX(opts_bad[i].hex, buf);
		assert_int_equal(dccp_opts_check(buf, len), opts_bad[i].err);
	}
	/* reserved and CCID-specific types pass; Mandatory before one too */
	len = HEX("03 1f 01 2d 02 01 80 03 00", buf);
	assert_int_equal(dccp_opts_check(buf, len), DCCP_OK);
}

static void test_error_names(void **state)
{
	static const char *const names[] = {
		"ok", "short", "bad_type", "short_seq", "bad_doff",
		"doff_overrun", "bad_cscov", "bad_service", "bad_checksum",
		"opt_bad_len", "opt_overrun", "opt_value_len", "mandatory",
		"ackvec_state", "bad_pseudo",
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(names); i++)
		assert_string_equal(dccp_error_name((enum dccp_error)i),
				    names[i]);
	assert_string_equal(dccp_error_name((enum dccp_error)99), "?");
}

static void test_seq_extend(void **state)
{
	const uint64_t top = DCCP_SEQ_MASK;

	(void)state;
	/* the same high part */
	assert_int_equal(dccp_seq_extend(UINT64_C(0x123456789abc), 0x789abd),
			 UINT64_C(0x123456789abd));
	assert_int_equal(dccp_seq_extend(UINT64_C(0x123456789abc), 0x700000),
			 UINT64_C(0x123456700000));
	/* wrapped forward into the next high part */
	assert_int_equal(dccp_seq_extend(UINT64_C(0x000001fffff0), 0x000005),
			 UINT64_C(0x000002000005));
	/* a late one from the previous high part */
	assert_int_equal(dccp_seq_extend(UINT64_C(0x000002000005), 0xfffff0),
			 UINT64_C(0x000001fffff0));
	/* exactly 2^23 away: the figure keeps the high part */
	assert_int_equal(dccp_seq_extend(UINT64_C(0x000005000000), 0x800000),
			 UINT64_C(0x000005800000));
	assert_int_equal(dccp_seq_extend(UINT64_C(0x000005800000), 0x000000),
			 UINT64_C(0x000005000000));
	/* around 2^48 both ways */
	assert_int_equal(dccp_seq_extend(top - 5, 0x000003), 3);
	assert_int_equal(dccp_seq_extend(3, 0xfffffa), top - 5);
	assert_int_equal(dccp_seq_extend(0, 0), 0);
	/* only the low 24 bits of s count */
	assert_int_equal(dccp_seq_extend(0x1000000, 0xff000001), 0x1000001);
}

static void test_seq_circular(void **state)
{
	const uint64_t top = DCCP_SEQ_MASK, half = UINT64_C(1) << 47;

	(void)state;
	assert_int_equal(dccp_seq_add(top, 1), 0);
	assert_int_equal(dccp_seq_add(top, top), top - 1);
	assert_int_equal(dccp_seq_sub(0, 1), top);
	assert_int_equal(dccp_seq_sub(5, 10), top - 4);
	assert_int_equal(dccp_seq_delta(0, top), 1);
	assert_int_equal(dccp_seq_delta(top, 0), -1);
	assert_int_equal(dccp_seq_delta(10, 3), 7);
	assert_true(dccp_seq_before(top, 0));
	assert_true(dccp_seq_after(0, top));
	assert_true(dccp_seq_before(top - 100, 50));
	assert_false(dccp_seq_before(5, 5));
	assert_false(dccp_seq_after(5, 5));
	assert_true(dccp_seq_before(1, 2));
	assert_false(dccp_seq_before(2, 1));
	/* 2^47 - 1 ahead is after; exactly 2^47 apart, each is before */
	assert_true(dccp_seq_before(0, half - 1));
	assert_true(dccp_seq_after(half - 1, 0));
	assert_true(dccp_seq_before(0, half));
	assert_true(dccp_seq_before(half, 0));
	assert_int_equal(dccp_seq_delta(0, half), -(int64_t)half);
}

static void test_service_codes(void **state)
{
	(void)state;
	assert_int_equal(dccp_service_code("RTPA"), 0x52545041);
	assert_true(dccp_service_code_valid(DCCP_SERVICE_NONE));
	assert_true(dccp_service_code_valid(0x52545041));
	assert_false(dccp_service_code_valid(0xffffffff));
}

/*
 * inet_csum.h, which the checksums above use: RFC 1071 section 3's
 * example, and for every length up to 300 and every even split, the sum
 * in pieces equals a word-at-a-time reference with a fold after each add.
 */
static uint16_t csum_reference(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i < len; i += 2) {
		sum += (uint32_t)p[i] << 8 | (i + 1 < len ? p[i + 1] : 0);
		sum = (sum & 0xffff) + (sum >> 16);
	}
	return (uint16_t)sum;
}

static void test_inet_csum(void **state)
{
	static const uint8_t rfc1071[] = { 0x00, 0x01, 0xf2, 0x03,
					   0xf4, 0xf5, 0xf6, 0xf7 };
	uint8_t buf[300];
	uint32_t x = 1;

	(void)state;
	assert_int_equal(inet_csum_fold(inet_csum_add(0, rfc1071, 8)),
			 0xddf2);
	assert_int_equal(inet_csum(rfc1071, 8), (uint16_t)~0xddf2);
	for (size_t i = 0; i < sizeof(buf); i++) {
		x = x * 1103515245u + 12345u;
		/* mostly 0xff: the carries are what a fold can get wrong */
		buf[i] = (x >> 16) % 4 ? 0xff : (uint8_t)(x >> 8);
	}
	for (size_t len = 0; len <= sizeof(buf); len++) {
		uint16_t want = csum_reference(buf, len);

		assert_int_equal(inet_csum_fold(inet_csum_add(0, buf, len)),
				 want);
		for (size_t cut = 0; cut <= len; cut += 2) {
			uint64_t sum = inet_csum_add(0, buf, cut);

			sum = inet_csum_add(sum, buf + cut, len - cut);
			assert_int_equal(inet_csum_fold(sum), want);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_every_type),
		cmocka_unit_test(test_short_forms),
		cmocka_unit_test(test_encode_refusals),
		cmocka_unit_test(test_checksum_ipv4_request),
		cmocka_unit_test(test_checksum_ipv6_partial),
		cmocka_unit_test(test_inet_csum),
		cmocka_unit_test(test_options_every_type),
		cmocka_unit_test(test_option_encode_refusals),
		cmocka_unit_test(test_ackvec_cells),
		cmocka_unit_test(test_decode_refusals),
		cmocka_unit_test(test_option_refusals),
		cmocka_unit_test(test_error_names),
		cmocka_unit_test(test_seq_extend),
		cmocka_unit_test(test_seq_circular),
		cmocka_unit_test(test_service_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
