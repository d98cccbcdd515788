/*
 * The SNMP codec against messages net-snmp 5.9.3 (Debian 12's snmpget,
 * snmpbulkget and snmpd) put on the wire, as `snmpget -d` prints them,
 * and messages of the Transport Security Model; then round trips through
 * the encoder, every prefix and many mutations of them, and every way to
 * be malformed.
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

#include "dtlsgw/ber.h"
#include "dtlsgw/config.h"
#include "dtlsgw/snmp.h"
#include "dtlsgw/snmp_tsm.h"
#include "hex.h"

/* snmpget -v2c -c public -d 127.0.0.1:PORT 1.3.6.1.2.1.1.5.0 */
static const char v2c_get[] =
	"30 29 02 01 01 04 06 70 75 62 6c 69 63 a0 1c 02 "
	"04 70 81 44 23 02 01 00 02 01 00 30 0e 30 0c 06 "
	"08 2b 06 01 02 01 01 05 00 05 00";
/* and snmpd's answer: sysName.0 = "vm" */
static const char v2c_response[] =
	"30 2b 02 01 01 04 06 70 75 62 6c 69 63 a2 1e 02 "
	"04 70 81 44 23 02 01 00 02 01 00 30 10 30 0e 06 "
	"08 2b 06 01 02 01 01 05 00 04 02 76 6d";

/* snmpbulkget -v2c -c public -Cn1 -Cr3 ... sysDescr.0 system */
static const char v2c_getbulk[] =
	"30 35 02 01 01 04 06 70 75 62 6c 69 63 a5 28 02 "
	"04 40 b2 54 9a 02 01 01 02 01 03 30 1a 30 0c 06 "
	"08 2b 06 01 02 01 01 01 00 05 00 30 0a 06 06 2b "
	"06 01 02 01 01 05 00";
/* snmpd's answer: lengths of two octets (0x81) */
static const char v2c_bulk_response[] =
	"30 81 a4 02 01 01 04 06 70 75 62 6c 69 63 a2 81 "
	"96 02 04 7e df 83 7f 02 01 00 02 01 00 30 81 87 "
	"30 16 06 08 2b 06 01 02 01 01 02 00 06 0a 2b 06 "
	"01 04 01 bf 08 03 02 0a 30 45 06 08 2b 06 01 02 "
	"01 01 01 00 04 39 4c 69 6e 75 78 20 76 6d 20 36 "
	"2e 31 38 2e 34 34 2d 66 63 2d 76 36 35 37 20 23 "
	"31 20 53 4d 50 20 50 52 45 45 4d 50 54 5f 44 59 "
	"4e 41 4d 49 43 20 40 30 20 78 38 36 5f 36 34 30 "
	"16 06 08 2b 06 01 02 01 01 02 00 06 0a 2b 06 01 "
	"04 01 bf 08 03 02 0a 30 0e 06 08 2b 06 01 02 01 "
	"01 03 00 43 02 02 41";

/*
 * snmpget -v3 -u bob -l noAuthNoPriv: USM's engine ID discovery (an empty
 * msgAuthoritativeEngineID, reportable, no variable bindings), snmpd's
 * Report (usmStatsUnknownEngineIDs.0), then the request itself.
 */
static const char v3_usm_discovery[] =
	"30 3e 02 01 03 30 11 02 04 2a 39 56 bd 02 03 00 "
	"ff e3 04 01 04 02 01 03 04 10 30 0e 04 00 02 01 "
	"00 02 01 00 04 00 04 00 04 00 30 14 04 00 04 00 "
	"a0 0e 02 04 43 43 6e 24 02 01 00 02 01 00 30 00";
static const char v3_usm_report[] =
	"30 71 02 01 03 30 11 02 04 2a 39 56 bd 02 03 00 "
	"ff e3 04 01 00 02 01 03 04 21 30 1f 04 11 80 00 "
	"1f 88 80 7d f6 e9 42 41 0f 09 6b 00 00 00 00 02 "
	"01 01 02 01 03 04 00 04 00 04 00 30 36 04 11 80 "
	"00 1f 88 80 7d f6 e9 42 41 0f 09 6b 00 00 00 00 "
	"04 00 a8 1f 02 04 43 43 6e 24 02 01 00 02 01 00 "
	"30 11 30 0f 06 0a 2b 06 01 06 03 0f 01 01 04 00 "
	"41 01 01";
static const char v3_usm_get[] =
	"30 71 02 01 03 30 11 02 04 2a 39 56 bc 02 03 00 "
	"ff e3 04 01 04 02 01 03 04 24 30 22 04 11 80 00 "
	"1f 88 80 7d f6 e9 42 41 0f 09 6b 00 00 00 00 02 "
	"01 01 02 01 03 04 03 62 6f 62 04 00 04 00 30 33 "
	"04 11 80 00 1f 88 80 7d f6 e9 42 41 0f 09 6b 00 "
	"00 00 00 04 00 a0 1c 02 04 43 43 6e 23 02 01 00 "
	"02 01 00 30 0e 30 0c 06 08 2b 06 01 02 01 01 06 "
	"00 05 00";

/* snmpget -v3 -u alice -l authPriv -a SHA -x AES: an encrypted scopedPDU */
static const char v3_usm_authpriv[] =
	"30 81 89 02 01 03 30 11 02 04 13 81 70 f2 02 03 "
	"00 ff e3 04 01 07 02 01 03 04 3a 30 38 04 11 80 "
	"00 1f 88 80 7d f6 e9 42 41 0f 09 6b 00 00 00 00 "
	"02 01 01 02 01 06 04 05 61 6c 69 63 65 04 0c 43 "
	"51 7a 52 2e 3c 5d 12 7c 05 62 97 04 08 06 86 7f "
	"10 fd 2e f3 56 04 35 27 92 9a 7d 7e d1 31 d1 8e "
	"fd f9 c1 7d 7d 63 21 2d b6 b4 bb ae 71 89 1c e8 "
	"f6 b5 4e e7 3c e6 19 16 ff 16 30 17 94 f9 42 ab "
	"86 4b 6a 03 92 08 db 89 8e bc e4 b2";

/*
 * A TSM request as net-snmp's snmpget -v3 sends it over dtlsudp (RFC 5343
 * discovery of the context engine): securityModel 4, empty security
 * parameters, authPriv and reportable, contextEngineID the localEngineID
 * 0x8000000006, a Get of snmpEngineID.0.
 */
static const char v3_tsm_probe[] =
	"30 3b 02 01 03 30 11 02 04 1b 0e 1d 5a 02 03 00 "
	"ff e3 04 01 07 02 01 04 04 00 30 21 04 05 80 00 "
	"00 00 06 04 00 a0 16 02 04 0a 0b 0c 0d 02 01 00 "
	"02 01 00 30 08 30 06 06 02 2b 06 05 00";

/*
 * What net-snmp 5.9.3's snmpget -v3 sends over dtlsudp to snmpd and what
 * snmpd answers (snmpget -d, the plaintext of the DTLS records): the RFC
 * 5343 probe, noAuthNoPriv and reportable, a Get of snmpEngineID.0 with
 * the localEngineID as contextEngineID, answered with flags 0 and that
 * contextEngineID; then the request under the agent's engine ID, authPriv,
 * answered with flags 3.
 */
static const char tsm_probe[] =
	"30 43 02 01 03 30 11 02 04 49 46 7b d2 02 03 00 "
	"ff e3 04 01 04 02 01 04 04 00 30 29 04 05 80 00 "
	"00 00 06 04 00 a0 1e 02 04 65 ed 28 43 02 01 00 "
	"02 01 00 30 10 30 0e 06 0a 2b 06 01 06 03 0a 02 "
	"01 01 00 05 00";
static const char tsm_probe_response[] =
	"30 54 02 01 03 30 11 02 04 49 46 7b d2 02 03 00 "
	"ff e3 04 01 00 02 01 04 04 00 30 3a 04 05 80 00 "
	"00 00 06 04 00 a2 2f 02 04 65 ed 28 43 02 01 00 "
	"02 01 00 30 21 30 1f 06 0a 2b 06 01 06 03 0a 02 "
	"01 01 00 04 11 80 00 1f 88 80 70 64 a1 57 1a 10 "
	"09 6b 00 00 00 00";
static const char tsm_get[] =
	"30 4d 02 01 03 30 11 02 04 49 46 7b d1 02 03 00 "
	"ff e3 04 01 07 02 01 04 04 00 30 33 04 11 80 00 "
	"1f 88 80 70 64 a1 57 1a 10 09 6b 00 00 00 00 04 "
	"00 a0 1c 02 04 65 ed 28 42 02 01 00 02 01 00 30 "
	"0e 30 0c 06 08 2b 06 01 02 01 01 05 00 05 00";
static const char tsm_response[] =
	"30 4f 02 01 03 30 11 02 04 49 46 7b d1 02 03 00 "
	"ff e3 04 01 03 02 01 04 04 00 30 35 04 11 80 00 "
	"1f 88 80 70 64 a1 57 1a 10 09 6b 00 00 00 00 04 "
	"00 a2 1e 02 04 65 ed 28 42 02 01 00 02 01 00 30 "
	"10 30 0e 06 08 2b 06 01 02 01 01 05 00 04 02 76 "
	"6d";

/* decode, encode again: the same bytes; the fields survive */
static void roundtrip(const uint8_t *p, size_t len, struct snmp_msg *m)
{
	uint8_t out[SNMP_MAX_LEN];
	struct snmp_msg again;
	size_t n;

	assert_int_equal(snmp_decode(p, len, m), SNMP_OK);
	assert_int_equal(snmp_encode(m, out, sizeof(out), &n), SNMP_OK);
	assert_int_equal(n, len);
	assert_memory_equal(out, p, len);
	assert_int_equal(snmp_decode(out, n, &again), SNMP_OK);
	assert_int_equal(again.version, m->version);
	assert_int_equal(again.pdu.request_id, m->pdu.request_id);
	/* every shorter buffer is refused, and nothing is claimed written */
	for (size_t cap = 0; cap < len; cap++) {
		n = 99;
		assert_int_equal(snmp_encode(m, out, cap, &n),
				 SNMP_ERR_TOO_BIG);
		assert_int_equal(n, 0);
	}
}

static bool bytes_eq(const struct snmp_bytes *b, const char *s, size_t n)
{
	return b->len == n && memcmp(b->p, s, n) == 0;
}

static void test_v2c(void **state)
{
	uint8_t buf[512];
	struct snmp_msg m;
	size_t n;

	(void)state;
	n = HEX(v2c_get, buf);
	roundtrip(buf, n, &m);
	assert_int_equal(m.version, SNMP_V2C);
	assert_true(bytes_eq(&m.community, "public", 6));
	assert_int_equal(m.pdu.type, SNMP_PDU_GET);
	assert_int_equal(m.pdu.request_id, 0x70814423);
	assert_int_equal(m.pdu.error_status, 0);
	assert_int_equal(m.pdu.varbinds.len, 16);
	assert_ptr_equal(m.pdu.varbinds.p, buf + n - 16);

	n = HEX(v2c_response, buf);
	roundtrip(buf, n, &m);
	assert_int_equal(m.pdu.type, SNMP_PDU_RESPONSE);
	assert_int_equal(m.pdu.request_id, 0x70814423);

	n = HEX(v2c_getbulk, buf);
	roundtrip(buf, n, &m);
	assert_int_equal(m.pdu.type, SNMP_PDU_GETBULK);
	assert_int_equal(m.pdu.error_status, 1);	/* non-repeaters */
	assert_int_equal(m.pdu.error_index, 3);		/* max-repetitions */

	n = HEX(v2c_bulk_response, buf);
	roundtrip(buf, n, &m);
	assert_int_equal(m.pdu.varbinds.len, 0x87 + 3);
}

static void test_v3_usm(void **state)
{
	static const char engine[] =
		"\x80\x00\x1f\x88\x80\x7d\xf6\xe9\x42\x41\x0f\x09\x6b\x00"
		"\x00\x00\x00";
	uint8_t buf[512];
	struct snmp_msg m;
	size_t n;

	(void)state;
	n = HEX(v3_usm_discovery, buf);
	roundtrip(buf, n, &m);
	assert_int_equal(m.version, SNMP_V3);
	assert_int_equal(m.msg_id, 0x2a3956bd);
	assert_int_equal(m.max_size, 65507);
	assert_int_equal(m.flags, SNMP_FLAG_REPORTABLE);
	assert_int_equal(m.security_model, SNMP_SEC_MODEL_USM);
	assert_int_equal(m.usm.engine_id.len, 0);
	assert_int_equal(m.context_engine_id.len, 0);
	assert_int_equal(m.pdu.varbinds.len, 2);	/* 30 00 */

	n = HEX(v3_usm_report, buf);
	roundtrip(buf, n, &m);
	assert_int_equal(m.pdu.type, SNMP_PDU_REPORT);
	assert_true(bytes_eq(&m.usm.engine_id, engine, 17));
	assert_int_equal(m.usm.engine_boots, 1);
	assert_int_equal(m.usm.engine_time, 3);
	assert_true(bytes_eq(&m.context_engine_id, engine, 17));

	n = HEX(v3_usm_get, buf);
	roundtrip(buf, n, &m);
	assert_true(bytes_eq(&m.usm.user_name, "bob", 3));
	assert_int_equal(m.pdu.type, SNMP_PDU_GET);

	n = HEX(v3_usm_authpriv, buf);
	roundtrip(buf, n, &m);
	assert_int_equal(m.flags, 7);
	assert_true(bytes_eq(&m.usm.user_name, "alice", 5));
	assert_int_equal(m.usm.auth_params.len, 12);
	assert_int_equal(m.usm.priv_params.len, 8);
	assert_int_equal(m.encrypted_pdu.len, 0x35);
	assert_null(m.context_engine_id.p);
}

static void test_v3_tsm(void **state)
{
	uint8_t buf[512], out[512];
	struct snmp_msg m;
	size_t n, k;

	(void)state;
	n = HEX(v3_tsm_probe, buf);
	roundtrip(buf, n, &m);
	assert_int_equal(m.security_model, SNMP_SEC_MODEL_TSM);
	assert_int_equal(m.security_params.len, 0);
	assert_int_equal(m.flags, 7);
	assert_true(bytes_eq(&m.context_engine_id, SNMP_LOCAL_ENGINE_ID,
			     SNMP_LOCAL_ENGINE_ID_LEN));
	assert_int_equal(m.context_name.len, 0);

	/* the answer, as the profile builds it: flags 3, a context name */
	m.flags = SNMP_FLAG_AUTH | SNMP_FLAG_PRIV;
	m.pdu.type = SNMP_PDU_RESPONSE;
	m.context_name.p = (const uint8_t *)"ctx";
	m.context_name.len = 3;
	assert_int_equal(snmp_encode(&m, out, sizeof(out), &k), SNMP_OK);
	assert_int_equal(k, n + 3);
	roundtrip(out, k, &m);
	assert_int_equal(m.flags, 3);
	assert_true(bytes_eq(&m.context_name, "ctx", 3));

	/* TSM carries no security parameters */
	m.security_params.p = (const uint8_t *)"x";
	m.security_params.len = 1;
	assert_int_equal(snmp_encode(&m, out, sizeof(out), &k),
			 SNMP_ERR_SECURITY_PARAMETERS);
	buf[0x19] = 0x01;	/* 04 00 -> 04 01 ... */
	assert_int_not_equal(snmp_decode(buf, n, &m), SNMP_OK);
}

/* net-snmp's own TSM exchange: decoded, and rebuilt as the profile does */
static void test_net_snmp_tsm(void **state)
{
	uint8_t req[256], resp[256], out[256];
	struct snmp_msg q, r, built;
	size_t nq, nr, n;

	(void)state;
	nq = HEX(tsm_probe, req);
	roundtrip(req, nq, &q);
	assert_int_equal(q.flags, SNMP_FLAG_REPORTABLE);
	assert_true(bytes_eq(&q.context_engine_id, SNMP_LOCAL_ENGINE_ID,
			     SNMP_LOCAL_ENGINE_ID_LEN));
	nr = HEX(tsm_probe_response, resp);
	roundtrip(resp, nr, &r);
	assert_int_equal(r.flags, 0);

	nq = HEX(tsm_get, req);
	roundtrip(req, nq, &q);
	assert_int_equal(q.flags, 7);
	assert_int_equal(q.context_engine_id.len, 17);
	nr = HEX(tsm_response, resp);
	roundtrip(resp, nr, &r);

	/* the request's header around the answer's PDU: snmpd's bytes */
	built = q;
	built.flags = q.flags & (SNMP_FLAG_AUTH | SNMP_FLAG_PRIV);
	built.pdu = r.pdu;
	assert_int_equal(snmp_encode(&built, out, sizeof(out), &n), SNMP_OK);
	assert_int_equal(n, nr);
	assert_memory_equal(out, resp, nr);
}

/* v2c and v3 from the same PDU: what the profile does to a request */
static void test_translate(void **state)
{
	uint8_t buf[512], out[512];
	struct snmp_msg v3, v2;
	size_t n, k;

	(void)state;
	n = HEX(v3_tsm_probe, buf);
	assert_int_equal(snmp_decode(buf, n, &v3), SNMP_OK);
	memset(&v2, 0, sizeof(v2));
	v2.version = SNMP_V2C;
	v2.community.p = (const uint8_t *)"public";
	v2.community.len = 6;
	v2.pdu = v3.pdu;
	assert_int_equal(snmp_encode(&v2, out, sizeof(out), &k), SNMP_OK);
	assert_int_equal(snmp_decode(out, k, &v2), SNMP_OK);
	assert_int_equal(v2.pdu.request_id, 0x0a0b0c0d);
	assert_memory_equal(v2.pdu.varbinds.p, v3.pdu.varbinds.p,
			    v3.pdu.varbinds.len);
}

static void test_varbind_first(void **state)
{
	uint8_t buf[512];
	struct snmp_bytes name, value;
	struct snmp_msg m;
	uint8_t tag;
	size_t n;

	(void)state;
	n = HEX(v2c_response, buf);
	assert_int_equal(snmp_decode(buf, n, &m), SNMP_OK);
	assert_true(snmp_varbind_first(m.pdu.varbinds.p, m.pdu.varbinds.len,
				       &name, &tag, &value));
	assert_int_equal(name.len, 8);
	assert_int_equal(tag, BER_OCTET_STRING);
	assert_true(bytes_eq(&value, "vm", 2));
	assert_false(snmp_varbind_first((const uint8_t *)"\x30\x00", 2, &name,
					&tag, &value));
}

static void test_varbinds_cut(void **state)
{
	uint8_t buf[512], out[512];
	struct snmp_msg m;
	size_t n, k;

	(void)state;
	n = HEX(v2c_bulk_response, buf);
	assert_int_equal(snmp_decode(buf, n, &m), SNMP_OK);
	assert_int_equal(snmp_varbinds_count(m.pdu.varbinds.p,
					     m.pdu.varbinds.len), 4);
	for (size_t i = 0; i <= 4; i++) {
		k = snmp_varbinds_cut(m.pdu.varbinds.p, m.pdu.varbinds.len, i,
				      out, sizeof(out));
		assert_int_not_equal(k, 0);
		assert_int_equal(snmp_varbinds_check(out, k), SNMP_OK);
		assert_int_equal(snmp_varbinds_count(out, k), i);
	}
	/* all four: the same bytes */
	assert_int_equal(k, m.pdu.varbinds.len);
	assert_memory_equal(out, m.pdu.varbinds.p, k);
	assert_int_equal(snmp_varbinds_cut(m.pdu.varbinds.p,
					   m.pdu.varbinds.len, 5, out,
					   sizeof(out)), 0);
	assert_int_equal(snmp_varbinds_cut(m.pdu.varbinds.p,
					   m.pdu.varbinds.len, 4, out, 10), 0);
}

static void test_ber_int(void **state)
{
	static const int32_t values[] = {
		0, 1, -1, 127, 128, -128, -129, 255, 256, 32767, 32768,
		-32768, -32769, 0x7fffff, 0x800000, INT32_MAX, INT32_MIN,
	};
	static const size_t sizes[] = {
		1, 1, 1, 1, 2, 1, 2, 2, 2, 2, 3, 2, 3, 3, 4, 4, 4,
	};
	uint8_t buf[16];

	(void)state;
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		struct ber_writer w;
		struct ber_reader r;
		struct ber_tlv t;
		int32_t v;

		ber_writer_init(&w, buf, sizeof(buf));
		ber_put_int32(&w, BER_INTEGER, values[i]);
		assert_false(w.overflow);
		assert_int_equal(ber_written(&w), 2 + sizes[i]);
		ber_reader_init(&r, buf + w.pos, ber_written(&w));
		assert_int_equal(ber_next(&r, &t), BER_OK);
		assert_true(ber_int32(&t, &v));
		assert_int_equal(v, values[i]);
	}
}

/* Each case: a message that must be refused, and why. */
static const struct {
	const char		*hex;
	enum snmp_error		 e;
	const char		*what;
} bad[] = {
	{ "30 29 02 01 01 04 06 70 75 62 6c 69 63 a0 1c 02 04 70 81 44 23 "
	  "02 01 00 02 01 00 30 0e 30 0c 06 08 2b 06 01 02 01 01 05 00 05 00 "
	  "00", SNMP_ERR_LENGTH, "a byte after the message" },
	{ "30 2a 02 01 01 04 06 70 75 62 6c 69 63 a0 1c 02 04 70 81 44 23 "
	  "02 01 00 02 01 00 30 0e 30 0c 06 08 2b 06 01 02 01 01 05 00 05 00 "
	  "00", SNMP_ERR_LENGTH, "a byte after the PDU" },
	{ "30 80 02 01 01 04 06 70 75 62 6c 69 63 a0 1c 02 04 70 81 44 23 "
	  "02 01 00 02 01 00 30 0e 30 0c 06 08 2b 06 01 02 01 01 05 00 05 00 "
	  "00 00", SNMP_ERR_INDEFINITE, "indefinite length" },
	{ "30 85 00 00 00 00 29 02 01 01 04 06 70 75 62 6c 69 63 a0 1c 02 04 "
	  "70 81 44 23 02 01 00 02 01 00 30 0e 30 0c 06 08 2b 06 01 02 01 01 "
	  "05 00 05 00", SNMP_ERR_INDEFINITE, "five length octets" },
	{ "30 84 ff ff ff ff 02 01 01", SNMP_ERR_LENGTH, "4 GB" },
	{ "30 29 02 01 01 04 06 70 75 62 6c 69 63 a0 1c 02 04 70 81 44 23 "
	  "02 01 00 02 01 00 30 0e 30 0c 06 08 2b 06 01 02 01 01 05 00 05 01",
	  SNMP_ERR_LENGTH, "a value past its varbind" },
	{ "30 29 02 01 01 04 06 70 75 62 6c 69 63 a0 1c 02 04 70 81 44 23 "
	  "02 01 00 02 01 00 30 0e 30 0c 06 08 2b 06 01 02 01 01 05 00 25 00",
	  SNMP_ERR_VARBIND, "a constructed value" },
	{ "30 29 02 01 01 04 06 70 75 62 6c 69 63 a0 1c 02 04 70 81 44 23 "
	  "02 01 00 02 01 00 30 0e 30 0c 04 08 2b 06 01 02 01 01 05 00 05 00",
	  SNMP_ERR_VARBIND, "a name that is no OID" },
	{ "30 29 02 01 01 04 06 70 75 62 6c 69 63 a0 1c 02 04 70 81 44 23 "
	  "02 01 00 02 01 00 30 0e 30 0c 06 08 2b 06 01 02 01 01 05 00 1f 00",
	  SNMP_ERR_TAG, "a high tag number" },
	{ "30 29 02 01 02 04 06 70 75 62 6c 69 63 a0 1c 02 04 70 81 44 23 "
	  "02 01 00 02 01 00 30 0e 30 0c 06 08 2b 06 01 02 01 01 05 00 05 00",
	  SNMP_ERR_VERSION, "version 2" },
	{ "30 2a 02 02 00 01 04 06 70 75 62 6c 69 63 a0 1c 02 04 70 81 44 23 "
	  "02 01 00 02 01 00 30 0e 30 0c 06 08 2b 06 01 02 01 01 05 00 05 00",
	  SNMP_ERR_INTEGER, "a version not in its shortest form" },
	{ "30 2c 02 01 01 04 06 70 75 62 6c 69 63 a0 1f 02 07 00 00 00 70 81 "
	  "44 23 02 01 00 02 01 00 30 0e 30 0c 06 08 2b 06 01 02 01 01 05 00 "
	  "05 00", SNMP_ERR_INTEGER, "a request-id of 7 octets" },
	{ "30 29 02 01 01 04 06 70 75 62 6c 69 63 a2 1c 02 04 70 81 44 23 "
	  "02 01 13 02 01 00 30 0e 30 0c 06 08 2b 06 01 02 01 01 05 00 05 00",
	  SNMP_ERR_INTEGER, "error-status 19" },
	{ "30 29 02 01 01 04 06 70 75 62 6c 69 63 a2 1c 02 04 70 81 44 23 "
	  "02 01 00 02 01 ff 30 0e 30 0c 06 08 2b 06 01 02 01 01 05 00 05 00",
	  SNMP_ERR_INTEGER, "a negative error-index" },
	{ "30 29 02 01 01 04 06 70 75 62 6c 69 63 a4 1c 02 04 70 81 44 23 "
	  "02 01 00 02 01 00 30 0e 30 0c 06 08 2b 06 01 02 01 01 05 00 05 00",
	  SNMP_ERR_PDU_TYPE, "SNMPv1's Trap-PDU" },
	{ "30 29 02 01 01 04 06 70 75 62 6c 69 63 a9 1c 02 04 70 81 44 23 "
	  "02 01 00 02 01 00 30 0e 30 0c 06 08 2b 06 01 02 01 01 05 00 05 00",
	  SNMP_ERR_PDU_TYPE, "an unknown PDU" },
	{ "30 29 02 01 01 04 06 70 75 62 6c 69 63 a0 1c 02 04 70 81 44 23 "
	  "02 01 00 02 01 00 31 0e 30 0c 06 08 2b 06 01 02 01 01 05 00 05 00",
	  SNMP_ERR_VARBIND, "a SET for the VarBindList" },
	{ "30 3b 02 01 03 30 11 02 04 1b 0e 1d 5a 02 03 00 ff e3 04 01 02 02 "
	  "01 04 04 00 30 21 04 05 80 00 00 00 06 04 00 a0 16 02 04 0a 0b 0c "
	  "0d 02 01 00 02 01 00 30 08 30 06 06 02 2b 06 05 00",
	  SNMP_ERR_FLAGS, "privacy without authentication" },
	{ "30 3b 02 01 03 30 11 02 04 1b 0e 1d 5a 02 03 00 01 e3 04 01 07 02 "
	  "01 04 04 00 30 21 04 05 80 00 00 00 06 04 00 a0 16 02 04 0a 0b 0c "
	  "0d 02 01 00 02 01 00 30 08 30 06 06 02 2b 06 05 00",
	  SNMP_ERR_INTEGER, "msgMaxSize 483" },
	{ "30 3b 02 01 03 30 11 02 04 9b 0e 1d 5a 02 03 00 ff e3 04 01 07 02 "
	  "01 04 04 00 30 21 04 05 80 00 00 00 06 04 00 a0 16 02 04 0a 0b 0c "
	  "0d 02 01 00 02 01 00 30 08 30 06 06 02 2b 06 05 00",
	  SNMP_ERR_INTEGER, "a negative msgID" },
	{ "30 3b 02 01 03 30 11 02 04 1b 0e 1d 5a 02 03 00 ff e3 04 01 07 02 "
	  "01 00 04 00 30 21 04 05 80 00 00 00 06 04 00 a0 16 02 04 0a 0b 0c "
	  "0d 02 01 00 02 01 00 30 08 30 06 06 02 2b 06 05 00",
	  SNMP_ERR_INTEGER, "security model 0" },
	{ "30 3c 02 01 03 30 12 02 04 1b 0e 1d 5a 02 03 00 ff e3 04 02 07 00 "
	  "02 01 04 04 00 30 21 04 05 80 00 00 00 06 04 00 a0 16 02 04 0a 0b "
	  "0c 0d 02 01 00 02 01 00 30 08 30 06 06 02 2b 06 05 00",
	  SNMP_ERR_STRING, "msgFlags of two octets" },
	{ "30 3b 02 01 03 30 11 02 04 1b 0e 1d 5a 02 03 00 ff e3 04 01 07 02 "
	  "01 04 04 00 30 21 04 05 80 00 00 00 06 04 00 a0 16 02 04 0a 0b 0c "
	  "0d 02 01 00 02 01 00 30 08 30 06 06 02 2b 06 05 00 00",
	  SNMP_ERR_LENGTH, "a byte after the v3 message" },
	{ "30 3f 02 01 03 30 11 02 04 2a 39 56 bd 02 03 00 ff e3 04 01 04 02 "
	  "01 03 04 11 30 0f 04 01 00 02 01 00 02 01 00 04 00 04 00 04 00 30 "
	  "14 04 00 04 00 a0 0e 02 04 43 43 6e 24 02 01 00 02 01 00 30 00",
	  SNMP_ERR_SECURITY_PARAMETERS, "a USM engine ID of one octet" },
	{ "30 3e 02 01 03 30 11 02 04 2a 39 56 bd 02 03 00 ff e3 04 01 04 02 "
	  "01 03 04 10 30 0e 04 00 02 01 ff 02 01 00 04 00 04 00 04 00 30 "
	  "14 04 00 04 00 a0 0e 02 04 43 43 6e 24 02 01 00 02 01 00 30 00",
	  SNMP_ERR_SECURITY_PARAMETERS, "negative engine boots" },
	{ "30 3e 02 01 03 30 11 02 04 2a 39 56 bd 02 03 00 ff e3 04 01 04 02 "
	  "01 03 04 10 30 0e 04 00 02 01 00 02 01 00 04 00 04 00 04 00 04 "
	  "14 04 00 04 00 a0 0e 02 04 43 43 6e 24 02 01 00 02 01 00 30 00",
	  SNMP_ERR_FLAGS, "an encrypted PDU without privacy" },
	{ "30 3e 02 01 03 30 11 02 04 2a 39 56 bd 02 03 00 ff e3 04 01 04 02 "
	  "01 03 04 10 30 0f 04 00 02 01 00 02 01 00 04 00 04 00 04 00 30 "
	  "14 04 00 04 00 a0 0e 02 04 43 43 6e 24 02 01 00 02 01 00 30 00",
	  SNMP_ERR_LENGTH, "a USM sequence past its octet string" },
	{ "", SNMP_ERR_LENGTH, "nothing" },
	{ "30 00", SNMP_ERR_LENGTH, "an empty message" },
	{ "04 00", SNMP_ERR_TAG, "no SEQUENCE" },
};

static void test_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint8_t buf[512];
		struct snmp_msg m;
		size_t n = HEX(bad[i].hex, buf);
		enum snmp_error e = snmp_decode(buf, n, &m);

		if (e != bad[i].e)
			fail_msg("%s: %s, expected %s", bad[i].what,
				 snmp_error_name(e), snmp_error_name(bad[i].e));
		assert_int_equal(m.version, 0);
		assert_null(m.pdu.varbinds.p);
	}
}

static const char *const good[] = {
	v2c_get, v2c_response, v2c_getbulk, v2c_bulk_response,
	v3_usm_discovery, v3_usm_report, v3_usm_get, v3_usm_authpriv,
	v3_tsm_probe, tsm_probe, tsm_probe_response, tsm_get, tsm_response,
};

/* Every proper prefix of a good message is refused, from a heap block of
 * its exact size (a read past it is a crash under ASan). */
static void test_prefixes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		uint8_t buf[512];
		size_t n = HEX(good[i], buf);

		for (size_t k = 0; k < n; k++) {
			uint8_t *p = malloc(k + 1);
			struct snmp_msg m;

			assert_non_null(p);
			memcpy(p, buf, k);
			assert_int_not_equal(snmp_decode(p, k, &m), SNMP_OK);
			free(p);
		}
	}
}

/*
 * Every byte of every good message set to a few values: whatever decodes
 * encodes again, and decodes to the same fields.
 */
static void test_mutations(void **state)
{
	static const uint8_t values[] = { 0x00, 0x01, 0x7f, 0x80, 0x81, 0x84,
					  0xff };

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		uint8_t buf[512];
		size_t n = HEX(good[i], buf);

		for (size_t k = 0; k < n; k++) {
			for (size_t v = 0; v < sizeof(values); v++) {
				uint8_t *p = malloc(n), out[600];
				struct snmp_msg m, again;
				size_t outlen;

				assert_non_null(p);
				memcpy(p, buf, n);
				p[k] = values[v];
				if (snmp_decode(p, n, &m) == SNMP_OK) {
					assert_int_equal(
						snmp_encode(&m, out,
							    sizeof(out),
							    &outlen),
						SNMP_OK);
					assert_int_equal(snmp_decode(out,
								     outlen,
								     &again),
							 SNMP_OK);
					assert_int_equal(again.msg_id,
							 m.msg_id);
					assert_int_equal(again.pdu.request_id,
							 m.pdu.request_id);
					assert_int_equal(again.pdu.varbinds.len,
							 m.pdu.varbinds.len);
				}
				free(p);
			}
		}
	}
}

static void test_encode_checks(void **state)
{
	uint8_t buf[512], out[512];
	struct snmp_msg m;
	size_t n, k;

	(void)state;
	n = HEX(v3_tsm_probe, buf);
	assert_int_equal(snmp_decode(buf, n, &m), SNMP_OK);
	m.version = 2;
	assert_int_equal(snmp_encode(&m, out, sizeof(out), &k),
			 SNMP_ERR_VERSION);
	m.version = SNMP_V3;
	m.max_size = 100;
	assert_int_equal(snmp_encode(&m, out, sizeof(out), &k),
			 SNMP_ERR_INTEGER);
	m.max_size = 1500;
	m.flags = SNMP_FLAG_PRIV;
	assert_int_equal(snmp_encode(&m, out, sizeof(out), &k),
			 SNMP_ERR_FLAGS);
	m.flags = 0;
	m.pdu.type = SNMP_PDU_TRAP_V1;
	assert_int_equal(snmp_encode(&m, out, sizeof(out), &k),
			 SNMP_ERR_PDU_TYPE);
	m.pdu.type = SNMP_PDU_GET;
	m.pdu.varbinds.p = (const uint8_t *)"\x30\x01\x00";
	m.pdu.varbinds.len = 3;
	assert_int_equal(snmp_encode(&m, out, sizeof(out), &k),
			 SNMP_ERR_LENGTH);
	m.pdu.varbinds.p = (const uint8_t *)"\x30\x00";
	m.pdu.varbinds.len = 2;
	m.context_engine_id.len = 33;
	assert_int_equal(snmp_encode(&m, out, sizeof(out), &k),
			 SNMP_ERR_STRING);
}

/* The Transport Security Model's maps ----------------------------------- */

/*
 * openssl req -x509 -newkey ec ... -subj "/O=dtlsgw/CN=Wes Hardaker"
 *   -addext "subjectAltName=email:Wes@EXAMPLE.Net,DNS:Agent.Example.NET,
 *            IP:192.0.2.7,IP:2001:db8::1"
 */
static const char wes_cert[] =
	"30 82 01 ef 30 82 01 94 a0 03 02 01 02 02 14 5f "
	"9a 90 33 de 81 eb bb eb 3e 21 d7 a7 1f 09 57 43 "
	"bf e9 f0 30 0a 06 08 2a 86 48 ce 3d 04 03 02 30 "
	"28 31 0f 30 0d 06 03 55 04 0a 0c 06 64 74 6c 73 "
	"67 77 31 15 30 13 06 03 55 04 03 0c 0c 57 65 73 "
	"20 48 61 72 64 61 6b 65 72 30 1e 17 0d 32 36 31 "
	"31 32 37 30 35 31 31 35 34 5a 17 0d 33 36 31 31 "
	"32 34 30 35 31 31 35 34 5a 30 28 31 0f 30 0d 06 "
	"03 55 04 0a 0c 06 64 74 6c 73 67 77 31 15 30 13 "
	"06 03 55 04 03 0c 0c 57 65 73 20 48 61 72 64 61 "
	"6b 65 72 30 59 30 13 06 07 2a 86 48 ce 3d 02 01 "
	"06 08 2a 86 48 ce 3d 03 01 07 03 42 00 04 73 9e "
	"35 25 45 35 bc fa d8 6f 68 96 e7 bd 82 fd 5d 54 "
	"57 6f fa 02 26 ed 44 a9 23 29 4c a5 df 64 86 75 "
	"62 1f 30 52 31 36 c7 2b a5 90 64 ee 00 7f 91 86 "
	"6d 2b 24 d6 15 d5 a5 c0 73 ae 0b 92 ab 8a a3 81 "
	"9b 30 81 98 30 1d 06 03 55 1d 0e 04 16 04 14 d4 "
	"8b c9 9e 12 c0 82 76 50 e1 36 f2 c2 a1 b1 98 35 "
	"ce da 28 30 1f 06 03 55 1d 23 04 18 30 16 80 14 "
	"d4 8b c9 9e 12 c0 82 76 50 e1 36 f2 c2 a1 b1 98 "
	"35 ce da 28 30 0f 06 03 55 1d 13 01 01 ff 04 05 "
	"30 03 01 01 ff 30 45 06 03 55 1d 11 04 3e 30 3c "
	"81 0f 57 65 73 40 45 58 41 4d 50 4c 45 2e 4e 65 "
	"74 82 11 41 67 65 6e 74 2e 45 78 61 6d 70 6c 65 "
	"2e 4e 45 54 87 04 c0 00 02 07 87 10 20 01 0d b8 "
	"00 00 00 00 00 00 00 00 00 00 00 01 30 0a 06 08 "
	"2a 86 48 ce 3d 04 03 02 03 49 00 30 46 02 21 00 "
	"cb 18 3d bd de d9 08 eb 79 07 e2 ca 7c 26 a4 d1 "
	"94 29 24 54 a4 53 78 86 dc a1 0a 67 17 bc ba 52 "
	"02 21 00 c0 57 62 c1 e8 82 f7 21 ab 6b 7f b0 30 "
	"9a 92 d1 fa 84 ca ec 53 af b6 31 0c 6e ac f8 cc "
	"32 08 6d ";
#define WES_FP	"BA:B8:D4:EA:8F:83:43:56:46:BD:73:85:CF:1E:A0:0E:" \
		"0B:1A:AA:B4:AF:56:9C:F4:4B:F7:1C:AF:BB:DC:C4:55"

static void test_tsm_fields(void **state)
{
	static const struct {
		enum snmp_tsm_map	map;
		const char		*want;
	} t[] = {
		{ SNMP_TSM_COMMON_NAME, "Wes Hardaker" },
		/* the host part in lower case, the local part as it is */
		{ SNMP_TSM_SAN_RFC822, "Wes@example.net" },
		{ SNMP_TSM_SAN_DNS, "agent.example.net" },
		{ SNMP_TSM_SAN_IP, "192.0.2.7" },
		{ SNMP_TSM_SAN_ANY, "Wes@example.net" },
	};
	uint8_t der[600];
	size_t n = HEX(wes_cert, der);
	char out[64];

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_true(snmp_tsm_cert_field(der, n, t[i].map, out,
						sizeof(out)));
		assert_string_equal(out, t[i].want);
	}
	/* too small a buffer: no field rather than a cut one */
	assert_false(snmp_tsm_cert_field(der, n, SNMP_TSM_COMMON_NAME, out,
					 12));
	/* every prefix: nothing read past it */
	for (size_t k = 0; k < n; k++) {
		uint8_t *p = malloc(k + 1);

		assert_non_null(p);
		memcpy(p, der, k);
		(void)snmp_tsm_cert_field(p, k, SNMP_TSM_SAN_ANY, out,
					  sizeof(out));
		(void)snmp_tsm_cert_field(p, k, SNMP_TSM_COMMON_NAME, out,
					  sizeof(out));
		free(p);
	}
}

static void rule(const char *text, struct snmp_tsm_rule *r)
{
	char msg[256];

	if (snmp_tsm_rule_parse(text, r, msg, sizeof(msg)) != 0)
		fail_msg("%s: %s", text, msg);
}

static void test_tsm_sec_name(void **state)
{
	uint8_t der[600], chain[2][32], other[32];
	struct snmp_tsm_rule rules[4];
	char name[SNMP_SEC_NAME_MAX + 1];
	size_t n = HEX(wes_cert, der);

	(void)state;
	assert_int_equal(fingerprint_parse("sha256:" WES_FP, chain[0]), 0);
	memset(chain[1], 0xca, 32);	/* its "CA" */
	memset(other, 0x22, 32);
	/* net-snmp's form: bare hex with colons */
	rule("20 " WES_FP " --dns", &rules[0]);
	rule("5 sha256:1111111111111111111111111111111111111111111111111111"
	     "111111111111 --sn nobody", &rules[1]);
	rule("10 cacacacacacacacacacacacacacacacacacacacacacacacacacacacaca"
	     "cacaca --cn", &rules[2]);
	rule("1 " WES_FP " --ip", &rules[3]);
	/* priority 1 first: --ip */
	assert_true(snmp_tsm_sec_name(rules, 4, der, n,
				      (const uint8_t (*)[32])chain, 2, name));
	assert_string_equal(name, "192.0.2.7");
	/* without it: 5 is another certificate's, 10 the CA's --cn */
	assert_true(snmp_tsm_sec_name(rules, 3, der, n,
				      (const uint8_t (*)[32])chain, 2, name));
	assert_string_equal(name, "Wes Hardaker");
	/* the CA not in the chain: 20, --dns */
	assert_true(snmp_tsm_sec_name(rules, 3, der, n,
				      (const uint8_t (*)[32])chain, 1, name));
	assert_string_equal(name, "agent.example.net");
	/* another certificate: nothing */
	assert_false(snmp_tsm_sec_name(rules, 4, der, n,
				       (const uint8_t (*)[32])&other, 1,
				       name));
	assert_string_equal(name, "");
	/* no certificate at all */
	assert_false(snmp_tsm_sec_name(rules, 4, NULL, 0, NULL, 0, name));
	/* --sn needs no field of the certificate */
	memset(other, 0x11, 32);
	assert_true(snmp_tsm_sec_name(&rules[1], 1, der, n,
				      (const uint8_t (*)[32])&other, 1,
				      name));
	assert_string_equal(name, "nobody");
}

static void test_tsm_parse(void **state)
{
	static const char *const bad_rules[] = {
		"", "x " WES_FP " --cn", "1", "1 " WES_FP, "1 00:11 --cn",
		"1 " WES_FP " --cn more", "1 " WES_FP " --sn",
		"1 " WES_FP " --email",
		"1 " WES_FP " --sn a-name-longer-than-thirty-two-chars",
		"99999999999 " WES_FP " --cn",
	};
	struct snmp_community_map m;
	struct snmp_tsm_rule r;
	char msg[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad_rules) / sizeof(bad_rules[0]);
	     i++) {
		if (snmp_tsm_rule_parse(bad_rules[i], &r, msg, sizeof(msg)) !=
		    -EINVAL)
			fail_msg("accepted '%s'", bad_rules[i]);
	}
	rule("  7\t" WES_FP "   --sn  ops  ", &r);
	assert_int_equal(r.priority, 7);
	assert_int_equal(r.map, SNMP_TSM_SPECIFIED);
	assert_string_equal(r.name, "ops");

	assert_int_equal(snmp_community_parse("ops  pub lic", &m, msg,
					      sizeof(msg)), 0);
	assert_string_equal(m.sec_name, "ops");
	assert_string_equal(m.community, "pub lic");
	free(m.community);
	assert_int_equal(snmp_community_parse("\"Wes Hardaker\" s3cr3t", &m,
					      msg, sizeof(msg)), 0);
	assert_string_equal(m.sec_name, "Wes Hardaker");
	assert_string_equal(m.community, "s3cr3t");
	assert_non_null(snmp_community_find(&m, 1, "Wes Hardaker"));
	assert_null(snmp_community_find(&m, 1, "Wes"));
	free(m.community);
	assert_int_equal(snmp_community_parse("ops", &m, msg, sizeof(msg)),
			 -EINVAL);
	assert_int_equal(snmp_community_parse("\"ops public", &m, msg,
					      sizeof(msg)), -EINVAL);
	assert_null(strstr(msg, "public"));
	assert_int_equal(snmp_community_parse("\"\" public", &m, msg,
					      sizeof(msg)), -EINVAL);
}

/* snmp-map: the spelling of the same map; USM refused */
static void test_map_parse(void **state)
{
	static const char *const bad_maps[] = {
		"ops", "ops community=", "ops public", "ops communit=public",
		"\"ops community=public", "ops usm-user=u auth=SHA-256:00",
		"community=public",
	};
	struct snmp_community_map m;
	char msg[256];

	(void)state;
	assert_int_equal(snmp_map_parse("ops community=pub lic", &m, msg,
					sizeof(msg)), 0);
	assert_string_equal(m.sec_name, "ops");
	assert_string_equal(m.community, "pub lic");
	free(m.community);
	assert_int_equal(snmp_map_parse(" \"Wes Hardaker\"\tcommunity=s3",
					&m, msg, sizeof(msg)), 0);
	assert_string_equal(m.sec_name, "Wes Hardaker");
	assert_string_equal(m.community, "s3");
	free(m.community);
	for (size_t i = 0; i < sizeof(bad_maps) / sizeof(bad_maps[0]); i++) {
		msg[0] = '\0';
		if (snmp_map_parse(bad_maps[i], &m, msg, sizeof(msg)) != -EINVAL)
			fail_msg("accepted '%s'", bad_maps[i]);
		assert_null(m.community);
		assert_null(strstr(msg, "public"));
		assert_true(msg[0] != '\0');
	}
	assert_int_equal(snmp_map_parse("u usm-user=u", &m, msg, sizeof(msg)),
			 -EINVAL);
	assert_non_null(strstr(msg, "USM"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v2c),
		cmocka_unit_test(test_v3_usm),
		cmocka_unit_test(test_v3_tsm),
		cmocka_unit_test(test_net_snmp_tsm),
		cmocka_unit_test(test_translate),
		cmocka_unit_test(test_varbind_first),
		cmocka_unit_test(test_varbinds_cut),
		cmocka_unit_test(test_ber_int),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_encode_checks),
		cmocka_unit_test(test_tsm_fields),
		cmocka_unit_test(test_tsm_sec_name),
		cmocka_unit_test(test_tsm_parse),
		cmocka_unit_test(test_map_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
