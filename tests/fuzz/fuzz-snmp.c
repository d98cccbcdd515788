/*
 * libFuzzer target for the SNMP codec: whatever snmp_decode() accepts
 * must lie inside the input, encode again (within the input's size: the
 * encoder's lengths are the shortest), and decode from the new bytes to
 * the same fields; encoding into every smaller buffer fails cleanly.  The
 * input is a heap block of its exact size, so a read past a length is a
 * crash under ASan.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dtlsgw/snmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) abort(); } while (0)

static void inside(const struct snmp_bytes *b, const uint8_t *p, size_t len)
{
	if (b->p == NULL) {
		CHECK(b->len == 0);
		return;
	}
	CHECK(b->p >= p && b->len <= len && (size_t)(b->p - p) <= len - b->len);
}

static void same(const struct snmp_bytes *a, const struct snmp_bytes *b)
{
	CHECK(a->len == b->len);
	CHECK(a->len == 0 || memcmp(a->p, b->p, a->len) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[SNMP_MAX_LEN], out2[SNMP_MAX_LEN];
	struct snmp_msg m, again;
	struct snmp_bytes name, value;
	uint8_t *p, tag;
	size_t n, n2;

	p = malloc(size > 0 ? size : 1);
	CHECK(p != NULL);
	memcpy(p, data, size);
	if (snmp_decode(p, size, &m) != SNMP_OK) {
		(void)snmp_varbinds_check(p, size);
		free(p);
		return 0;
	}
	inside(&m.community, p, size);
	inside(&m.security_params, p, size);
	inside(&m.usm.engine_id, p, size);
	inside(&m.usm.user_name, p, size);
	inside(&m.encrypted_pdu, p, size);
	inside(&m.context_engine_id, p, size);
	inside(&m.context_name, p, size);
	inside(&m.pdu.varbinds, p, size);
	if (m.pdu.varbinds.p != NULL &&
	    snmp_varbind_first(m.pdu.varbinds.p, m.pdu.varbinds.len, &name,
			       &tag, &value)) {
		inside(&name, p, size);
		inside(&value, p, size);
	}

	if (m.pdu.varbinds.p != NULL) {
		size_t k = snmp_varbinds_count(m.pdu.varbinds.p,
					       m.pdu.varbinds.len);
		size_t c = snmp_varbinds_cut(m.pdu.varbinds.p,
					     m.pdu.varbinds.len, k / 2, out,
					     sizeof(out));

		CHECK(c > 0 && c <= m.pdu.varbinds.len);
		CHECK(snmp_varbinds_check(out, c) == SNMP_OK);
		CHECK(snmp_varbinds_count(out, c) == k / 2);
	}
	CHECK(snmp_encode(&m, out, sizeof(out), &n) == SNMP_OK);
	CHECK(n <= size);
	CHECK(snmp_decode(out, n, &again) == SNMP_OK);
	CHECK(again.version == m.version && again.msg_id == m.msg_id &&
	      again.max_size == m.max_size && again.flags == m.flags &&
	      again.security_model == m.security_model);
	CHECK(again.pdu.type == m.pdu.type &&
	      again.pdu.request_id == m.pdu.request_id &&
	      again.pdu.error_status == m.pdu.error_status &&
	      again.pdu.error_index == m.pdu.error_index);
	same(&again.community, &m.community);
	same(&again.usm.engine_id, &m.usm.engine_id);
	same(&again.context_engine_id, &m.context_engine_id);
	same(&again.context_name, &m.context_name);
	same(&again.encrypted_pdu, &m.encrypted_pdu);
	same(&again.pdu.varbinds, &m.pdu.varbinds);
	/* the shortest form is a fixed point */
	CHECK(snmp_encode(&again, out2, sizeof(out2), &n2) == SNMP_OK &&
	      n2 == n);
	CHECK(memcmp(out2, out, n) == 0);
	CHECK(snmp_encode(&m, out2, n - 1, &n2) == SNMP_ERR_TOO_BIG &&
	      n2 == 0);
	free(p);
	return 0;
}
