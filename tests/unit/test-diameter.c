/*
 * The Diameter framing codec against messages written by hand from RFC
 * 6733's layouts (a CER, section 5.3.1; a DWR and its DWA, sections 5.5.1
 * and 5.5.2) and a Gx CCR with 3GPP vendor AVPs (3GPP TS 29.212).  Each
 * was put in a TCP segment to port 3868 and decoded by tshark 4.0.17 with
 * no expert info (no malformed field, every padding where it belongs):
 *   text2pcap -T 40000,3868 msg.txt msg.pcap
 *   tshark -r msg.pcap -O diameter; tshark -r msg.pcap -z expert -q
 * Then every way to be malformed, and the stream framer across every
 * split of the stream.
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

#include "dtlsgw/adapter.h"
#include "dtlsgw/diameter.h"
#include "dtlsgw/transport.h"
#include "hex.h"

/*
 * CER (RFC 6733 section 5.3.1) from gw.example.net: R, code 257,
 * Application-ID 0, Hop-by-Hop 0x1a2b3c4d, End-to-End 0x5e6f7081; 188
 * bytes.  One AVP a line: code, flags, length, data, padding.
 */
static const char cer_hex[] =
	"01 00 00 bc 80 00 01 01 00 00 00 00 1a 2b 3c 4d 5e 6f 70 81 "
	/* Origin-Host (264), M, 22: "gw.example.net", 2 bytes of padding */
	"00 00 01 08 40 00 00 16 67 77 2e 65 78 61 6d 70 6c 65 2e 6e "
	"65 74 00 00 "
	/* Origin-Realm (296), M, 19: "example.net", 1 */
	"00 00 01 28 40 00 00 13 65 78 61 6d 70 6c 65 2e 6e 65 74 00 "
	/* Host-IP-Address (257), M, 14: IPv4 (1) 192.0.2.1, 2 */
	"00 00 01 01 40 00 00 0e 00 01 c0 00 02 01 00 00 "
	/* Vendor-Id (266), M, 12: 0 */
	"00 00 01 0a 40 00 00 0c 00 00 00 00 "
	/* Product-Name (269), no flags (M must not be set), 14: "dtlsgw", 2 */
	"00 00 01 0d 00 00 00 0e 64 74 6c 73 67 77 00 00 "
	/* Origin-State-Id (278), M, 12: 1 */
	"00 00 01 16 40 00 00 0c 00 00 00 01 "
	/* Supported-Vendor-Id (265), M, 12: 10415 (3GPP) */
	"00 00 01 09 40 00 00 0c 00 00 28 af "
	/* Auth-Application-Id (258), M, 12: 4 (Credit Control) */
	"00 00 01 02 40 00 00 0c 00 00 00 04 "
	/* Vendor-Specific-Application-Id (260), M, 32, grouped:
	 * Vendor-Id 10415, Auth-Application-Id 16777238 (Gx) */
	"00 00 01 04 40 00 00 20 00 00 01 0a 40 00 00 0c 00 00 28 af "
	"00 00 01 02 40 00 00 0c 01 00 00 16 "
	/* Firmware-Revision (267), no flags, 12: 1 */
	"00 00 01 0b 00 00 00 0c 00 00 00 01";

/* DWR (RFC 6733 section 5.5.1): Origin-Host, Origin-Realm, Origin-State-Id. */
static const char dwr_hex[] =
	"01 00 00 4c 80 00 01 18 00 00 00 00 1a 2b 3c 4e 5e 6f 70 82 "
	"00 00 01 08 40 00 00 16 67 77 2e 65 78 61 6d 70 6c 65 2e 6e "
	"65 74 00 00 "
	"00 00 01 28 40 00 00 13 65 78 61 6d 70 6c 65 2e 6e 65 74 00 "
	"00 00 01 16 40 00 00 0c 00 00 00 01";

/*
 * DWA (RFC 6733 section 5.5.2) answering it from peer.example: Result-Code
 * 2001, Origin-Host (20 bytes, no padding), Origin-Realm.
 */
static const char dwa_hex[] =
	"01 00 00 48 00 00 01 18 00 00 00 00 1a 2b 3c 4e 5e 6f 70 82 "
	"00 00 01 0c 40 00 00 0c 00 00 07 d1 "
	"00 00 01 08 40 00 00 14 70 65 65 72 2e 65 78 61 6d 70 6c 65 "
	"00 00 01 28 40 00 00 13 65 78 61 6d 70 6c 65 2e 6e 65 74 00";

/*
 * A Gx CCR-Initial (3GPP TS 29.212): R and P, code 272, Application-ID
 * 16777238, ending with two vendor AVPs of 3GPP (10415).
 */
static const char ccr_hex[] =
	"01 00 00 b8 c0 00 01 10 01 00 00 16 1a 2b 3c 4f 5e 6f 70 83 "
	/* Session-Id (263), 26: "gw.example.net;1;1", 2 */
	"00 00 01 07 40 00 00 1a 67 77 2e 65 78 61 6d 70 6c 65 2e 6e "
	"65 74 3b 31 3b 31 00 00 "
	/* Auth-Application-Id 16777238 */
	"00 00 01 02 40 00 00 0c 01 00 00 16 "
	/* Origin-Host, Origin-Realm, Destination-Realm (283) */
	"00 00 01 08 40 00 00 16 67 77 2e 65 78 61 6d 70 6c 65 2e 6e "
	"65 74 00 00 "
	"00 00 01 28 40 00 00 13 65 78 61 6d 70 6c 65 2e 6e 65 74 00 "
	"00 00 01 1b 40 00 00 13 65 78 61 6d 70 6c 65 2e 6e 65 74 00 "
	/* CC-Request-Type (416) INITIAL_REQUEST, CC-Request-Number (415) 0 */
	"00 00 01 a0 40 00 00 0c 00 00 00 01 "
	"00 00 01 9f 40 00 00 0c 00 00 00 00 "
	/* RAT-Type (1032), V, 16, vendor 10415: EUTRAN (1004) */
	"00 00 04 08 80 00 00 10 00 00 28 af 00 00 03 ec "
	/* 3GPP-SGSN-MCC-MNC (18), V, 17, vendor 10415: "00101", 3 */
	"00 00 00 12 80 00 00 11 00 00 28 af 30 30 31 30 31 00 00 00";

#define CER_LEN		188
#define DWR_LEN		76
#define DWA_LEN		72
#define CCR_LEN		184

#define N(a) (sizeof(a) / sizeof((a)[0]))

/*
 * A message built field by field, as RFC 6733 lays it out: what the hex
 * above says, and what the malformed cases start from.
 */
struct msgb {
	uint8_t	p[1024];
	size_t	len;
};

static void put24(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 16);
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	put24(p + 1, v);
}

static void put_header(struct msgb *m, uint8_t flags, uint32_t code,
		       uint32_t app, uint32_t hbh, uint32_t e2e)
{
	memset(m, 0, sizeof(*m));
	m->p[0] = DIAMETER_VERSION;
	m->p[4] = flags;
	put24(m->p + 5, code);
	put32(m->p + 8, app);
	put32(m->p + 12, hbh);
	put32(m->p + 16, e2e);
	m->len = DIAMETER_HEADER_LEN;
	put24(m->p + 1, (uint32_t)m->len);
}

/* Append an AVP (vendor: with the V bit when not 0) and its padding. */
static void put_avp(struct msgb *m, uint32_t code, uint8_t flags,
		    uint32_t vendor, const void *data, size_t n)
{
	size_t hlen = vendor != 0 ? 12 : 8;

	assert_true(m->len + hlen + n + 3 <= sizeof(m->p));
	put32(m->p + m->len, code);
	m->p[m->len + 4] = vendor != 0 ? flags | DIAMETER_AVP_VENDOR : flags;
	put24(m->p + m->len + 5, (uint32_t)(hlen + n));
	if (vendor != 0)
		put32(m->p + m->len + 8, vendor);
	memcpy(m->p + m->len + hlen, data, n);
	m->len += (hlen + n + 3) & ~(size_t)3;
	put24(m->p + 1, (uint32_t)m->len);
}

static void put_u32(struct msgb *m, uint32_t code, uint8_t flags,
		    uint32_t vendor, uint32_t v)
{
	uint8_t b[4];

	put32(b, v);
	put_avp(m, code, flags, vendor, b, 4);
}

#define M	DIAMETER_AVP_MANDATORY
#define STR(s)	s, strlen(s)

static void build_cer(struct msgb *m)
{
	static const uint8_t host_ip[] = { 0, 1, 192, 0, 2, 1 };
	struct msgb g;

	put_header(m, DIAMETER_FLAG_REQUEST, 257, 0, 0x1a2b3c4d, 0x5e6f7081);
	put_avp(m, 264, M, 0, STR("gw.example.net"));
	put_avp(m, 296, M, 0, STR("example.net"));
	put_avp(m, 257, M, 0, host_ip, sizeof(host_ip));
	put_u32(m, 266, M, 0, 0);
	put_avp(m, 269, 0, 0, STR("dtlsgw"));
	put_u32(m, 278, M, 0, 1);
	put_u32(m, 265, M, 0, 10415);
	put_u32(m, 258, M, 0, 4);
	/* a grouped AVP: its AVPs after a header that is thrown away */
	put_header(&g, 0, 0, 0, 0, 0);
	put_u32(&g, 266, M, 0, 10415);
	put_u32(&g, 258, M, 0, 16777238);
	put_avp(m, 260, M, 0, g.p + DIAMETER_HEADER_LEN,
		g.len - DIAMETER_HEADER_LEN);
	put_u32(m, 267, 0, 0, 1);
}

/* The CCR's header, then AVPs up to Destination-Realm. */
static void build_ccr_start(struct msgb *m)
{
	put_header(m, DIAMETER_FLAG_REQUEST | DIAMETER_FLAG_PROXIABLE, 272,
		   16777238, 0x1a2b3c4f, 0x5e6f7083);
	put_avp(m, 263, M, 0, STR("gw.example.net;1;1"));
	put_u32(m, 258, M, 0, 16777238);
	put_avp(m, 264, M, 0, STR("gw.example.net"));
	put_avp(m, 296, M, 0, STR("example.net"));
	put_avp(m, 283, M, 0, STR("example.net"));
}

static void test_error_names(void **state)
{
	(void)state;
	assert_string_equal(diameter_error_name(DIAMETER_OK), "ok");
	assert_string_equal(diameter_error_name(DIAMETER_ERR_BAD_VERSION),
			    "bad_version");
	assert_string_equal(diameter_error_name(DIAMETER_ERR_BAD_LENGTH),
			    "bad_length");
	assert_string_equal(diameter_error_name(DIAMETER_ERR_AVP_OVERRUN),
			    "avp_overrun");
	assert_string_equal(diameter_error_name((enum diameter_error)99), "?");
	/* every code has its own name */
	for (int i = DIAMETER_OK; i <= DIAMETER_ERR_AVP_OVERRUN; i++) {
		const char *a = diameter_error_name((enum diameter_error)i);

		assert_string_not_equal(a, "?");
		for (int j = DIAMETER_OK; j < i; j++)
			assert_string_not_equal(
				a, diameter_error_name((enum diameter_error)j));
	}
}

/* The hex is what the layout gives, byte for byte. */
static void test_built_by_hand(void **state)
{
	uint8_t p[256];
	struct msgb m;
	size_t len;

	(void)state;
	len = HEX(cer_hex, p);
	assert_int_equal(len, CER_LEN);
	build_cer(&m);
	assert_int_equal(m.len, CER_LEN);
	assert_memory_equal(m.p, p, CER_LEN);

	len = HEX(ccr_hex, p);
	assert_int_equal(len, CCR_LEN);
	build_ccr_start(&m);
	put_u32(&m, 416, M, 0, 1);
	put_u32(&m, 415, M, 0, 0);
	put_u32(&m, 1032, 0, 10415, 1004);
	put_avp(&m, 18, 0, 10415, STR("00101"));
	assert_int_equal(m.len, CCR_LEN);
	assert_memory_equal(m.p, p, CCR_LEN);

	assert_int_equal(HEX(dwr_hex, p), DWR_LEN);
	assert_int_equal(HEX(dwa_hex, p), DWA_LEN);
}

static void test_cer_header(void **state)
{
	struct diameter_header h;
	uint8_t p[256];
	size_t len = HEX(cer_hex, p);

	(void)state;
	assert_int_equal(diameter_check(p, len, DIAMETER_MAX_LEN),
			 DIAMETER_OK);
	assert_int_equal(diameter_header_parse(p, len, &h), DIAMETER_OK);
	assert_int_equal(h.version, 1);
	assert_int_equal(h.length, CER_LEN);
	assert_int_equal(h.flags, DIAMETER_FLAG_REQUEST);
	assert_int_equal(h.code, DIAMETER_CMD_CAPABILITIES_EXCHANGE);
	assert_int_equal(h.app_id, 0);
	assert_int_equal(h.hop_by_hop, 0x1a2b3c4d);
	assert_int_equal(h.end_to_end, 0x5e6f7081);
	assert_int_equal(diameter_msg_length(p), CER_LEN);
	assert_int_equal(diameter_command_code(p), 257);
	assert_int_equal(diameter_app_id(p), 0);
	assert_int_equal(diameter_hop_by_hop(p), 0x1a2b3c4d);
	assert_int_equal(diameter_end_to_end(p), 0x5e6f7081);
	assert_true(diameter_is_request(p));

	/* 24-bit fields take all their bytes, 32-bit ones too */
	memcpy(p, "\x01\xab\xcd\xef\x7f\x12\x34\x56\xfe\xdc\xba\x98"
		  "\x89\xab\xcd\xef\xff\xff\xff\xff", 20);
	assert_int_equal(diameter_header_parse(p, 20, &h), DIAMETER_OK);
	assert_int_equal(h.length, 0xabcdef);
	assert_int_equal(h.flags, 0x7f);
	assert_int_equal(h.code, 0x123456);
	assert_int_equal(h.app_id, 0xfedcba98);
	assert_int_equal(h.hop_by_hop, 0x89abcdef);
	assert_int_equal(h.end_to_end, 0xffffffff);
	assert_false(diameter_is_request(p));
	/* under 20 bytes: nothing */
	assert_int_equal(diameter_header_parse(p, 19, &h), DIAMETER_ERR_SHORT);
	assert_int_equal(h.length, 0);
	assert_int_equal(h.hop_by_hop, 0);
}

/* What diameter_avp_next() must see in the CER, AVP by AVP. */
static const struct {
	uint32_t	code;
	uint8_t		flags;
	uint32_t	length;
	size_t		data_off;
	size_t		next;		/* the next AVP's offset */
} cer_avps[] = {
	{ 264, 0x40, 22, 28, 44 },
	{ 296, 0x40, 19, 52, 64 },
	{ 257, 0x40, 14, 72, 80 },
	{ 266, 0x40, 12, 88, 92 },
	{ 269, 0x00, 14, 100, 108 },
	{ 278, 0x40, 12, 116, 120 },
	{ 265, 0x40, 12, 128, 132 },
	{ 258, 0x40, 12, 140, 144 },
	{ 260, 0x40, 32, 152, 176 },
	{ 267, 0x00, 12, 184, 188 },
};

static void test_cer_avps(void **state)
{
	struct diameter_avp a;
	uint8_t p[256];
	size_t len = HEX(cer_hex, p), off = 0;

	(void)state;
	for (size_t i = 0; i < N(cer_avps); i++) {
		assert_int_equal(diameter_avp_next(p, len, &off, &a),
				 DIAMETER_OK);
		assert_int_equal(a.code, cer_avps[i].code);
		assert_int_equal(a.flags, cer_avps[i].flags);
		assert_int_equal(a.length, cer_avps[i].length);
		assert_int_equal(a.vendor_id, 0);
		assert_ptr_equal(a.data, p + cer_avps[i].data_off);
		assert_int_equal(a.data_len, cer_avps[i].length - 8);
		assert_int_equal(off, cer_avps[i].next);
	}
	assert_int_equal(diameter_avp_next(p, len, &off, &a),
			 DIAMETER_ERR_SHORT);
	assert_int_equal(off, len);
	assert_null(a.data);
	/* and again: the end stays the end */
	assert_int_equal(diameter_avp_next(p, len, &off, &a),
			 DIAMETER_ERR_SHORT);
}

static void test_find_avp(void **state)
{
	struct diameter_avp a;
	uint8_t p[256];
	size_t len = HEX(cer_hex, p);

	(void)state;
	assert_true(diameter_find_avp(p, len, DIAMETER_AVP_ORIGIN_HOST, 0,
				      &a));
	assert_ptr_equal(a.data, p + 28);
	assert_int_equal(a.data_len, 14);
	assert_memory_equal(a.data, "gw.example.net", 14);
	assert_true(diameter_find_avp(p, len, DIAMETER_AVP_ORIGIN_REALM, 0,
				      &a));
	assert_int_equal(a.data_len, 11);
	assert_memory_equal(a.data, "example.net", 11);
	/* the last AVP */
	assert_true(diameter_find_avp(p, len, 267, 0, &a));
	assert_ptr_equal(a.data, p + 184);
	/* top level only: Vendor-Id 266 is the CER's own (0), and
	 * Auth-Application-Id the one before the grouped AVP (4) */
	assert_true(diameter_find_avp(p, len, 266, 0, &a));
	assert_memory_equal(a.data, "\0\0\0\0", 4);
	assert_true(diameter_find_avp(p, len, 258, 0, &a));
	assert_memory_equal(a.data, "\0\0\0\4", 4);
	/* absent */
	assert_false(diameter_find_avp(p, len, DIAMETER_AVP_DESTINATION_HOST,
				       0, &a));
	assert_null(a.data);
	assert_int_equal(a.data_len, 0);
	/* the right code of another vendor is another AVP */
	assert_false(diameter_find_avp(p, len, DIAMETER_AVP_ORIGIN_HOST, 10415,
				       &a));
	/* a header alone has none */
	assert_false(diameter_find_avp(p, 20, DIAMETER_AVP_ORIGIN_HOST, 0, &a));
}

static void test_dwr_dwa(void **state)
{
	struct diameter_avp a;
	uint8_t r[128], d[128];
	size_t rlen = HEX(dwr_hex, r), dlen = HEX(dwa_hex, d);

	(void)state;
	assert_int_equal(diameter_check(r, rlen, DIAMETER_MAX_LEN),
			 DIAMETER_OK);
	assert_int_equal(diameter_check(d, dlen, DIAMETER_MAX_LEN),
			 DIAMETER_OK);
	assert_true(diameter_is_request(r));
	assert_false(diameter_is_request(d));
	assert_int_equal(diameter_command_code(r),
			 DIAMETER_CMD_DEVICE_WATCHDOG);
	assert_int_equal(diameter_command_code(d),
			 DIAMETER_CMD_DEVICE_WATCHDOG);
	/* an answer keeps the request's identifiers */
	assert_int_equal(diameter_hop_by_hop(d), diameter_hop_by_hop(r));
	assert_int_equal(diameter_end_to_end(d), diameter_end_to_end(r));
	assert_true(diameter_find_avp(d, dlen, DIAMETER_AVP_RESULT_CODE, 0,
				      &a));
	assert_memory_equal(a.data, "\0\0\x07\xd1", 4);	/* 2001 */
	/* Origin-Host of 20 bytes: no padding, the next AVP right after */
	assert_true(diameter_find_avp(d, dlen, DIAMETER_AVP_ORIGIN_HOST, 0,
				      &a));
	assert_int_equal(a.data_len, 12);
	assert_memory_equal(a.data, "peer.example", 12);
	assert_true(diameter_find_avp(d, dlen, DIAMETER_AVP_ORIGIN_REALM, 0,
				      &a));
	assert_ptr_equal(a.data, d + 52 + 8);
}

static void test_vendor_avps(void **state)
{
	struct diameter_avp a;
	uint8_t p[256];
	size_t len = HEX(ccr_hex, p), off = 148;

	(void)state;
	assert_int_equal(diameter_check(p, len, DIAMETER_MAX_LEN),
			 DIAMETER_OK);
	assert_int_equal(diameter_app_id(p), 16777238);
	assert_int_equal(diameter_avp_next(p, len, &off, &a), DIAMETER_OK);
	assert_int_equal(a.code, 1032);
	assert_int_equal(a.flags, DIAMETER_AVP_VENDOR);
	assert_int_equal(a.vendor_id, 10415);
	assert_int_equal(a.length, 16);
	assert_ptr_equal(a.data, p + 160);
	assert_int_equal(a.data_len, 4);
	assert_int_equal(off, 164);
	/* 17 bytes long: 3 bytes of padding to the end */
	assert_int_equal(diameter_avp_next(p, len, &off, &a), DIAMETER_OK);
	assert_int_equal(a.code, 18);
	assert_int_equal(a.length, 17);
	assert_int_equal(a.data_len, 5);
	assert_memory_equal(a.data, "00101", 5);
	assert_int_equal(off, len);

	assert_true(diameter_find_avp(p, len, 1032, 10415, &a));
	assert_ptr_equal(a.data, p + 160);
	assert_false(diameter_find_avp(p, len, 1032, 0, &a));
	assert_false(diameter_find_avp(p, len, 18, 0, &a));
	assert_false(diameter_find_avp(p, len, 1032, 10416, &a));
	/* the V bit with Vendor-ID 0 is still vendor 0 */
	memset(p + 164 + 8, 0, 4);
	assert_true(diameter_find_avp(p, len, 18, 0, &a));
	assert_int_equal(a.data_len, 5);
}

/* A message with one AVP, and its length fixed up afterwards. */
static void one_avp(struct msgb *m, uint8_t flags, uint32_t vendor,
		    size_t data_len)
{
	static const uint8_t data[64];

	put_header(m, DIAMETER_FLAG_REQUEST, 280, 0, 1, 2);
	put_avp(m, 264, flags, vendor, data, data_len);
}

static void test_check_header(void **state)
{
	static const uint8_t bad_versions[] = { 0, 2, 0x10, 0xff };
	struct msgb m;
	uint8_t p[256];
	size_t len = HEX(dwr_hex, p);

	(void)state;
	for (size_t i = 0; i < N(bad_versions); i++) {
		p[0] = bad_versions[i];
		assert_int_equal(diameter_check(p, len, DIAMETER_MAX_LEN),
				 DIAMETER_ERR_BAD_VERSION);
		/* shown by the first byte already */
		assert_int_equal(diameter_check(p, 1, DIAMETER_MAX_LEN),
				 DIAMETER_ERR_BAD_VERSION);
	}
	p[0] = 1;
	/* Message Length 0, 19, 1..3 past a multiple of 4 */
	for (uint32_t l = 0; l < 20; l++) {
		put24(p + 1, l);
		assert_int_equal(diameter_check(p, len, DIAMETER_MAX_LEN),
				 DIAMETER_ERR_BAD_LENGTH);
	}
	for (uint32_t l = 73; l < 76; l++) {
		put24(p + 1, l);
		assert_int_equal(diameter_check(p, len, DIAMETER_MAX_LEN),
				 DIAMETER_ERR_UNALIGNED_LENGTH);
	}
	put24(p + 1, 0xffffff);
	assert_int_equal(diameter_check(p, len, DIAMETER_LEN_LIMIT),
			 DIAMETER_ERR_UNALIGNED_LENGTH);
	put24(p + 1, DWR_LEN);
	/* over the maximum, exactly at it */
	assert_int_equal(diameter_check(p, len, DWR_LEN - 1),
			 DIAMETER_ERR_TOO_LONG);
	assert_int_equal(diameter_check(p, len, DWR_LEN - 4),
			 DIAMETER_ERR_TOO_LONG);
	assert_int_equal(diameter_check(p, len, DWR_LEN), DIAMETER_OK);
	put24(p + 1, 65536);
	assert_int_equal(diameter_check(p, len, DIAMETER_MAX_LEN),
			 DIAMETER_ERR_TOO_LONG);
	put24(p + 1, DWR_LEN);
	/* truncated, or more than one message */
	for (size_t l = 0; l < len; l++)
		assert_int_equal(diameter_check(p, l, DIAMETER_MAX_LEN),
				 DIAMETER_ERR_SHORT);
	assert_int_equal(diameter_check(NULL, 0, DIAMETER_MAX_LEN),
			 DIAMETER_ERR_SHORT);
	assert_int_equal(diameter_check(p, len + 4, DIAMETER_MAX_LEN),
			 DIAMETER_ERR_TRAILING);
	/* a header alone is a message */
	put_header(&m, 0, 280, 0, 0, 0);
	assert_int_equal(diameter_check(m.p, m.len, 20), DIAMETER_OK);
}

static void test_check_flags(void **state)
{
	uint8_t p[256];
	size_t len = HEX(dwr_hex, p);

	(void)state;
	for (unsigned int f = 0; f < 256; f++) {
		p[4] = (uint8_t)f;
		assert_int_equal(diameter_check(p, len, DIAMETER_MAX_LEN),
				 f & 0x0f ? DIAMETER_ERR_RESERVED_FLAGS :
					    DIAMETER_OK);
		assert_int_equal(diameter_is_request(p), (f & 0x80) != 0);
	}
}

static void test_check_avp_lengths(void **state)
{
	struct msgb m;

	(void)state;
	/* without V: 8 at least; with V: 12 */
	for (uint32_t l = 0; l < 12; l++) {
		one_avp(&m, M, 0, 8);
		put24(m.p + 25, l);
		if (l < 8)
			assert_int_equal(diameter_check(m.p, m.len,
							DIAMETER_MAX_LEN),
					 DIAMETER_ERR_BAD_AVP_LENGTH);
		one_avp(&m, M, 10415, 4);
		put24(m.p + 25, l);
		assert_int_equal(diameter_check(m.p, m.len, DIAMETER_MAX_LEN),
				 DIAMETER_ERR_BAD_AVP_LENGTH);
	}
	/* the shortest of each */
	one_avp(&m, M, 0, 0);
	assert_int_equal(m.len, 28);
	assert_int_equal(diameter_check(m.p, m.len, DIAMETER_MAX_LEN),
			 DIAMETER_OK);
	one_avp(&m, M, 10415, 0);
	assert_int_equal(m.len, 32);
	assert_int_equal(diameter_check(m.p, m.len, DIAMETER_MAX_LEN),
			 DIAMETER_OK);
	/* a V bit turned on makes an 8-byte AVP short */
	one_avp(&m, M, 0, 0);
	assert_int_equal(diameter_check(m.p, m.len, DIAMETER_MAX_LEN),
			 DIAMETER_OK);
	m.p[24] |= DIAMETER_AVP_VENDOR;
	assert_int_equal(diameter_check(m.p, m.len, DIAMETER_MAX_LEN),
			 DIAMETER_ERR_BAD_AVP_LENGTH);
	/* the other flags are not looked at */
	one_avp(&m, 0xff & ~DIAMETER_AVP_VENDOR, 0, 4);
	assert_int_equal(diameter_check(m.p, m.len, DIAMETER_MAX_LEN),
			 DIAMETER_OK);
}

static void test_check_avp_overrun(void **state)
{
	struct diameter_avp a;
	struct msgb m;
	uint8_t p[256];
	size_t len, off;

	(void)state;
	/* one AVP in a 16-byte slot: lengths 13..16 fit with their padding */
	for (uint32_t l = 13; l < 24; l++) {
		one_avp(&m, M, 0, 8);
		put24(m.p + 25, l);
		assert_int_equal(diameter_check(m.p, m.len, DIAMETER_MAX_LEN),
				 l <= 16 ? DIAMETER_OK :
					   DIAMETER_ERR_AVP_OVERRUN);
	}
	/* the largest AVP Length */
	put24(m.p + 25, 0xffffff);
	assert_int_equal(diameter_check(m.p, m.len, DIAMETER_MAX_LEN),
			 DIAMETER_ERR_AVP_OVERRUN);
	/* the last AVP of the CER one byte too long, then its padding */
	len = HEX(cer_hex, p);
	put24(p + 176 + 5, 13);
	assert_int_equal(diameter_check(p, len, DIAMETER_MAX_LEN),
			 DIAMETER_ERR_AVP_OVERRUN);
	/* a message 4 bytes longer than its AVPs: an AVP header cut short */
	len = HEX(cer_hex, p);
	memset(p + len, 0, 4);
	put24(p + 1, (uint32_t)len + 4);
	assert_int_equal(diameter_check(p, len + 4, DIAMETER_MAX_LEN),
			 DIAMETER_ERR_AVP_OVERRUN);
	/* the walk stops on the faulty AVP, after the good ones */
	off = 0;
	for (size_t i = 0; i < N(cer_avps); i++)
		assert_int_equal(diameter_avp_next(p, len + 4, &off, &a),
				 DIAMETER_OK);
	assert_int_equal(diameter_avp_next(p, len + 4, &off, &a),
			 DIAMETER_ERR_AVP_OVERRUN);
	assert_int_equal(off, len);
	assert_null(a.data);
	/* a Message Length that cuts an AVP: the walk is bounded by it */
	len = HEX(cer_hex, p);
	put24(p + 1, 176);
	assert_int_equal(diameter_check(p, 176, DIAMETER_MAX_LEN), DIAMETER_OK);
	put24(p + 1, 180);
	assert_int_equal(diameter_check(p, 180, DIAMETER_MAX_LEN),
			 DIAMETER_ERR_AVP_OVERRUN);
	/* find stops where the walk breaks, and finds what was before */
	assert_true(diameter_find_avp(p, 180, 264, 0, &a));
	assert_false(diameter_find_avp(p, 180, 267, 0, &a));
}

static void test_check_padding(void **state)
{
	struct msgb m;

	(void)state;
	/* every data length from 0 to 16, with and without a vendor */
	for (size_t n = 0; n <= 16; n++) {
		one_avp(&m, M, 0, n);
		put_u32(&m, 268, M, 0, 2001);
		assert_int_equal(m.len % 4, 0);
		assert_int_equal(diameter_check(m.p, m.len, DIAMETER_MAX_LEN),
				 DIAMETER_OK);
		one_avp(&m, 0, 10415, n);
		put_u32(&m, 268, M, 0, 2001);
		assert_int_equal(diameter_check(m.p, m.len, DIAMETER_MAX_LEN),
				 DIAMETER_OK);
	}
	/* 5 bytes of data and 3 of padding, or 8 of data: the same frame */
	one_avp(&m, M, 0, 5);
	put_u32(&m, 268, M, 0, 2001);
	put24(m.p + 25, 16);
	assert_int_equal(diameter_check(m.p, m.len, DIAMETER_MAX_LEN),
			 DIAMETER_OK);
	/* 4 bytes of data: the walk goes on inside this AVP's data, here
	 * to an AVP Length of 268 made of the next AVP's bytes */
	put24(m.p + 25, 12);
	assert_int_equal(diameter_check(m.p, m.len, DIAMETER_MAX_LEN),
			 DIAMETER_ERR_AVP_OVERRUN);
}

/*
 * The framer.  A stream of messages (cer, dwr, dwa, ccr), what a run
 * handed out, and a helper that drains a framer into it.
 */
struct run {
	const uint8_t		*msg[16];
	size_t			 len[16];
	uint8_t			 copy[16][256];
	enum diameter_frame	 kind[16];
	enum diameter_error	 err[16];
	size_t			 n;
};

/* Feed one chunk and take everything out; returns the last result. */
static enum diameter_frame feed(struct diameter_framer *f, struct run *r,
				const uint8_t *chunk, size_t len)
{
	enum diameter_frame k;
	enum diameter_error e;
	const uint8_t *msg;
	size_t mlen;

	diameter_framer_feed(f, chunk, len);
	while ((k = diameter_framer_next(f, &msg, &mlen, &e)) !=
	       DIAMETER_FRAME_MORE) {
		assert_true(r->n < N(r->msg));
		r->kind[r->n] = k;
		r->err[r->n] = e;
		r->msg[r->n] = msg;
		r->len[r->n] = mlen;
		if (msg != NULL) {
			assert_true(mlen <= sizeof(r->copy[0]));
			memcpy(r->copy[r->n], msg, mlen);
		}
		r->n++;
		if (k == DIAMETER_FRAME_FATAL)
			break;
	}
	return k;
}

static size_t stream(uint8_t *s, size_t cap, const char *const *hexes,
		     size_t n, size_t *lens)
{
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		lens[i] = hex(hexes[i], s + len, cap - len);
		len += lens[i];
	}
	return len;
}

/* The i-th thing r got was a kind, for err, of len bytes. */
static void expect(const struct run *r, size_t i, enum diameter_frame kind,
		   enum diameter_error err, size_t len)
{
	assert_true(i < r->n);
	assert_int_equal(r->kind[i], kind);
	assert_int_equal(r->err[i], err);
	assert_int_equal(r->len[i], len);
}

/* r holds exactly the n messages of s, in order, all good. */
static void expect_messages(const struct run *r, const uint8_t *s,
			    const size_t *lens, size_t n)
{
	size_t off = 0;

	assert_int_equal(r->n, n);
	for (size_t i = 0; i < n; i++) {
		expect(r, i, DIAMETER_FRAME_MESSAGE, DIAMETER_OK, lens[i]);
		assert_memory_equal(r->copy[i], s + off, lens[i]);
		off += lens[i];
	}
}

static void test_framer_init(void **state)
{
	static uint8_t buf[DIAMETER_MAX_LEN];
	struct diameter_framer f;

	(void)state;
	assert_int_equal(diameter_framer_init(&f, buf, 19), -EINVAL);
	assert_int_equal(diameter_framer_init(&f, buf, 0), -EINVAL);
	assert_int_equal(diameter_framer_init(&f, buf, DIAMETER_LEN_LIMIT + 1),
			 -EINVAL);
	assert_int_equal(diameter_framer_init(&f, buf, 20), 0);
	assert_int_equal(diameter_framer_init(&f, buf, DIAMETER_MAX_LEN), 0);
	assert_int_equal(diameter_framer_pending(&f), 0);
}

/* Whole messages in one chunk go out where they are: no copy. */
static void test_framer_three_in_one(void **state)
{
	static const char *const hexes[] = { cer_hex, dwr_hex, dwa_hex };
	static uint8_t buf[DIAMETER_MAX_LEN];
	struct diameter_framer f;
	uint8_t s[1024];
	size_t lens[3], len = stream(s, sizeof(s), hexes, 3, lens);
	struct run r = { 0 };

	(void)state;
	assert_int_equal(diameter_framer_init(&f, buf, sizeof(buf)), 0);
	assert_int_equal(feed(&f, &r, s, len), DIAMETER_FRAME_MORE);
	expect_messages(&r, s, lens, 3);
	assert_ptr_equal(r.msg[0], s);
	assert_ptr_equal(r.msg[1], s + CER_LEN);
	assert_ptr_equal(r.msg[2], s + CER_LEN + DWR_LEN);
	assert_int_equal(diameter_framer_pending(&f), 0);
	/* nothing more to give; an empty chunk changes nothing */
	assert_int_equal(feed(&f, &r, s, 0), DIAMETER_FRAME_MORE);
	assert_int_equal(r.n, 3);
}

/* Two messages, the stream cut at every point (and at every two). */
static void test_framer_every_split(void **state)
{
	static const char *const hexes[] = { cer_hex, dwr_hex };
	static uint8_t buf[DIAMETER_MAX_LEN];
	struct diameter_framer f;
	uint8_t s[512];
	size_t lens[2], len = stream(s, sizeof(s), hexes, 2, lens);

	(void)state;
	for (size_t i = 0; i <= len; i++) {
		struct run r = { 0 };

		assert_int_equal(diameter_framer_init(&f, buf, sizeof(buf)), 0);
		feed(&f, &r, s, i);
		assert_int_equal(diameter_framer_pending(&f),
				 i < CER_LEN ? i : i - CER_LEN == DWR_LEN ?
					       0 : i - CER_LEN);
		feed(&f, &r, s + i, len - i);
		expect_messages(&r, s, lens, 2);
		assert_int_equal(diameter_framer_pending(&f), 0);
		/* the first goes out of the chunk when it lies whole in it */
		assert_true(r.msg[0] == (i == 0 || i >= CER_LEN ? s : buf));
	}
	for (size_t i = 0; i <= len; i++) {
		for (size_t j = i; j <= len; j++) {
			struct run r = { 0 };

			diameter_framer_init(&f, buf, sizeof(buf));
			feed(&f, &r, s, i);
			feed(&f, &r, s + i, j - i);
			feed(&f, &r, s + j, len - j);
			expect_messages(&r, s, lens, 2);
		}
	}
}

/* Four messages, one byte at a time. */
static void test_framer_bytewise(void **state)
{
	static const char *const hexes[] = { cer_hex, dwr_hex, dwa_hex,
					     ccr_hex };
	static uint8_t buf[DIAMETER_MAX_LEN];
	struct diameter_framer f;
	uint8_t s[1024];
	size_t lens[4], len = stream(s, sizeof(s), hexes, 4, lens);
	struct run r = { 0 };
	size_t done = 0;

	(void)state;
	assert_int_equal(diameter_framer_init(&f, buf, sizeof(buf)), 0);
	for (size_t i = 0; i < len; i++) {
		size_t before = r.n;

		/* a copy of the byte: the framer may not keep the chunk */
		uint8_t b = s[i];

		feed(&f, &r, &b, 1);
		if (r.n > before) {
			done += r.len[before];
			assert_int_equal(done, i + 1);
			assert_ptr_equal(r.msg[before], buf);
		}
		assert_int_equal(diameter_framer_pending(&f), i + 1 - done);
	}
	expect_messages(&r, s, lens, 4);
}

/*
 * Each fatal fault, fed byte by byte: nothing until the byte that shows
 * it, FATAL then and on every call after.
 */
static void test_framer_fatal(void **state)
{
	static const struct {
		const char		*prefix;
		size_t			 at;	/* the byte showing it */
		enum diameter_error	 err;
	} cases[] = {
		{ "00 00 00 4c", 1, DIAMETER_ERR_BAD_VERSION },
		{ "02 00 00 4c", 1, DIAMETER_ERR_BAD_VERSION },
		{ "ff ff ff ff", 1, DIAMETER_ERR_BAD_VERSION },
		{ "01 00 00 00", 4, DIAMETER_ERR_BAD_LENGTH },
		{ "01 00 00 13", 4, DIAMETER_ERR_BAD_LENGTH },
		{ "01 00 00 45", 4, DIAMETER_ERR_UNALIGNED_LENGTH },
		{ "01 00 00 46", 4, DIAMETER_ERR_UNALIGNED_LENGTH },
		{ "01 00 00 47", 4, DIAMETER_ERR_UNALIGNED_LENGTH },
		{ "01 00 00 4d", 4, DIAMETER_ERR_TOO_LONG },
		{ "01 00 00 4c", 4, DIAMETER_ERR_TOO_LONG },	/* max 72 */
		{ "01 ff ff fc", 4, DIAMETER_ERR_TOO_LONG },
		{ "01 ff ff ff", 4, DIAMETER_ERR_TOO_LONG },
	};
	static uint8_t buf[DWA_LEN];
	struct diameter_framer f;
	uint8_t s[256];

	(void)state;
	for (size_t c = 0; c < N(cases); c++) {
		struct run r = { 0 };
		size_t len = HEX(dwr_hex, s);

		hex(cases[c].prefix, s, 4);
		/* a framer of 72 bytes: the DWR (76) is too long for it */
		assert_int_equal(diameter_framer_init(&f, buf, DWA_LEN), 0);
		for (size_t i = 0; i < len && r.n == 0; i++) {
			uint8_t b = s[i];

			feed(&f, &r, &b, 1);
			assert_int_equal(r.n, i + 1 < cases[c].at ? 0 : 1);
		}
		assert_int_equal(r.n, 1);
		expect(&r, 0, DIAMETER_FRAME_FATAL, cases[c].err, 0);
		assert_null(r.msg[0]);
		assert_int_equal(diameter_framer_pending(&f), 0);
		/* the same from one chunk, and for good */
		diameter_framer_init(&f, buf, DWA_LEN);
		r.n = 0;
		assert_int_equal(feed(&f, &r, s, len), DIAMETER_FRAME_FATAL);
		assert_int_equal(feed(&f, &r, s, len), DIAMETER_FRAME_FATAL);
		assert_int_equal(r.n, 2);
		assert_int_equal(r.err[1], cases[c].err);
	}
}

/* A good message, then garbage in the same chunk: the message first. */
static void test_framer_fatal_after_good(void **state)
{
	static uint8_t buf[DIAMETER_MAX_LEN];
	struct diameter_framer f;
	uint8_t s[512];
	size_t len = HEX(cer_hex, s);
	struct run r = { 0 };

	(void)state;
	memcpy(s + len, "GET / HTTP/1.1\r\n", 16);
	diameter_framer_init(&f, buf, sizeof(buf));
	assert_int_equal(feed(&f, &r, s, len + 16), DIAMETER_FRAME_FATAL);
	assert_int_equal(r.n, 2);
	expect(&r, 0, DIAMETER_FRAME_MESSAGE, DIAMETER_OK, CER_LEN);
	expect(&r, 1, DIAMETER_FRAME_FATAL, DIAMETER_ERR_BAD_VERSION, 0);
}

/*
 * A message whose length frames but whose inside is wrong is handed out
 * as INVALID, and the stream goes on after it.
 */
static void test_framer_invalid(void **state)
{
	static uint8_t buf[DIAMETER_MAX_LEN];
	struct diameter_framer f;
	uint8_t s[1024];
	size_t len;

	(void)state;
	for (int split = 0; split < 2; split++) {
		struct run r = { 0 };

		len = HEX(dwr_hex, s);
		s[4] |= 0x01;			/* a reserved flag */
		len += hex(cer_hex, s + len, sizeof(s) - len);
		put24(s + len - 12 + 5, 13);	/* AVP overrun */
		len += hex(dwa_hex, s + len, sizeof(s) - len);
		diameter_framer_init(&f, buf, sizeof(buf));
		if (split) {
			for (size_t i = 0; i < len; i++)
				feed(&f, &r, s + i, 1);
		} else {
			feed(&f, &r, s, len);
		}
		assert_int_equal(r.n, 3);
		expect(&r, 0, DIAMETER_FRAME_INVALID,
		       DIAMETER_ERR_RESERVED_FLAGS, DWR_LEN);
		assert_memory_equal(r.copy[0], s, DWR_LEN);
		expect(&r, 1, DIAMETER_FRAME_INVALID, DIAMETER_ERR_AVP_OVERRUN,
		       CER_LEN);
		expect(&r, 2, DIAMETER_FRAME_MESSAGE, DIAMETER_OK, DWA_LEN);
	}
}

/* The stream ends inside a message: pending says so. */
static void test_framer_truncated(void **state)
{
	static uint8_t buf[DIAMETER_MAX_LEN];
	struct diameter_framer f;
	uint8_t s[512];
	size_t len = HEX(cer_hex, s);
	struct run r = { 0 };

	(void)state;
	len += hex(dwr_hex, s + len, sizeof(s) - len);
	diameter_framer_init(&f, buf, sizeof(buf));
	assert_int_equal(feed(&f, &r, s, len - 1), DIAMETER_FRAME_MORE);
	assert_int_equal(r.n, 1);
	assert_int_equal(diameter_framer_pending(&f), DWR_LEN - 1);
	/* init again for the next connection: all forgotten */
	diameter_framer_init(&f, buf, sizeof(buf));
	assert_int_equal(diameter_framer_pending(&f), 0);
	r.n = 0;
	assert_int_equal(feed(&f, &r, s, CER_LEN), DIAMETER_FRAME_MORE);
	assert_int_equal(r.n, 1);
	assert_ptr_equal(r.msg[0], s);
}

/*
 * Messages as long as the maximum, from 20 bytes to the 24-bit limit, in
 * chunks of 64 KiB + 1 byte.
 */
static void big(size_t max_len, size_t msg_len)
{
	const size_t chunk = 65537;
	uint8_t *buf = malloc(max_len), *s = malloc(2 * msg_len);
	struct diameter_framer f;
	struct diameter_avp a;
	enum diameter_frame k;
	enum diameter_error e;
	const uint8_t *msg;
	struct msgb m;
	size_t mlen, n_msg = 0;

	assert_non_null(buf);
	assert_non_null(s);
	/* an AVP that fills the message, then the same message again */
	put_header(&m, 0, 271, 3, 7, 8);
	memcpy(s, m.p, DIAMETER_HEADER_LEN);
	put24(s + 1, (uint32_t)msg_len);
	memset(s + DIAMETER_HEADER_LEN, 0, msg_len - DIAMETER_HEADER_LEN);
	if (msg_len > DIAMETER_HEADER_LEN) {
		put32(s + 20, 263);
		put24(s + 25, (uint32_t)(msg_len - DIAMETER_HEADER_LEN));
	}
	memcpy(s + msg_len, s, msg_len);
	assert_int_equal(diameter_check(s, msg_len, max_len), DIAMETER_OK);

	assert_int_equal(diameter_framer_init(&f, buf, max_len), 0);
	for (size_t off = 0; off < 2 * msg_len; off += chunk) {
		size_t n = 2 * msg_len - off < chunk ? 2 * msg_len - off :
						       chunk;

		diameter_framer_feed(&f, s + off, n);
		while ((k = diameter_framer_next(&f, &msg, &mlen, &e)) !=
		       DIAMETER_FRAME_MORE) {
			assert_int_equal(k, DIAMETER_FRAME_MESSAGE);
			assert_int_equal(mlen, msg_len);
			assert_memory_equal(msg, s, msg_len);
			if (msg_len > DIAMETER_HEADER_LEN) {
				assert_true(diameter_find_avp(msg, mlen, 263,
							      0, &a));
				assert_int_equal(a.data_len, msg_len - 28);
			}
			n_msg++;
		}
	}
	assert_int_equal(n_msg, 2);
	assert_int_equal(diameter_framer_pending(&f), 0);
	/* a framer one aligned step smaller refuses it */
	if (msg_len > DIAMETER_HEADER_LEN) {
		diameter_framer_init(&f, buf, msg_len - 1);
		diameter_framer_feed(&f, s, 4);
		assert_int_equal(diameter_framer_next(&f, &msg, &mlen, &e),
				 DIAMETER_FRAME_FATAL);
		assert_int_equal(e, DIAMETER_ERR_TOO_LONG);
	}
	free(buf);
	free(s);
}

static void test_framer_sizes(void **state)
{
	(void)state;
	big(20, 20);
	big(DIAMETER_MAX_LEN, 65532);
	big(1 << 20, 1 << 20);
	/* the largest Message Length: 16 MiB - 4 */
	big(DIAMETER_LEN_LIMIT, DIAMETER_LEN_LIMIT - 3);
}

/*
 * The framing the gateway's TCP transport runs for the diameter profile
 * (the adapter's message_len), on a CER and a DWR back to back cut at
 * every point, and on the headers that must close the connection.
 */
static void test_adapter_framing(void **state)
{
	ssize_t (*len_of)(const uint8_t *, size_t, size_t) =
		adapter_diameter.framing->message_len;
	uint8_t two[1024], p[512];
	size_t clen = HEX(cer_hex, p), dlen, total;

	(void)state;
	memcpy(two, p, clen);
	dlen = HEX(dwr_hex, p);
	memcpy(two + clen, p, dlen);
	total = clen + dlen;
	/* the bytes so far, as a stream hands them over */
	for (size_t cut = 0; cut <= total; cut++) {
		ssize_t n = len_of(two, cut, 65535);

		if (cut < 4)
			assert_int_equal(n, 0);	/* not known yet */
		else
			assert_int_equal(n, (ssize_t)clen);
		if (cut >= clen + 4)
			assert_int_equal(len_of(two + clen, cut - clen, 65535),
					 (ssize_t)dlen);
	}
	/* version 2 shows at once; a length under 20, unaligned or over the
	 * maximum at the fourth byte */
	two[0] = 2;
	assert_int_equal(len_of(two, 1, 65535), -1);
	two[0] = 1;
	memcpy(two + 1, "\x00\x00\x10", 3);
	assert_int_equal(len_of(two, 4, 65535), -1);
	memcpy(two + 1, "\x00\x00\x16", 3);
	assert_int_equal(len_of(two, 4, 65535), -1);
	memcpy(two + 1, "\x00\x10\x00", 3);
	assert_int_equal(len_of(two, 4, 4000), -1);
	assert_int_equal(len_of(two, 4, 8192), 4096);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error_names),
		cmocka_unit_test(test_built_by_hand),
		cmocka_unit_test(test_cer_header),
		cmocka_unit_test(test_cer_avps),
		cmocka_unit_test(test_find_avp),
		cmocka_unit_test(test_dwr_dwa),
		cmocka_unit_test(test_vendor_avps),
		cmocka_unit_test(test_check_header),
		cmocka_unit_test(test_check_flags),
		cmocka_unit_test(test_check_avp_lengths),
		cmocka_unit_test(test_check_avp_overrun),
		cmocka_unit_test(test_check_padding),
		cmocka_unit_test(test_framer_init),
		cmocka_unit_test(test_framer_three_in_one),
		cmocka_unit_test(test_framer_every_split),
		cmocka_unit_test(test_framer_bytewise),
		cmocka_unit_test(test_framer_fatal),
		cmocka_unit_test(test_framer_fatal_after_good),
		cmocka_unit_test(test_framer_invalid),
		cmocka_unit_test(test_framer_truncated),
		cmocka_unit_test(test_framer_sizes),
		cmocka_unit_test(test_adapter_framing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
