/*
 * The SNMP codec: SNMPv1/v2c and SNMPv3 messages (RFC 1157, RFC 1901,
 * RFC 3412 section 6), USM and TSM security parameters (RFC 3414 section
 * 2.4, RFC 5591), PDUs (RFC 3416 section 3).  See dtlsgw/snmp.h.
 */
#include <string.h>

#include "dtlsgw/ber.h"
#include "dtlsgw/snmp.h"

/* The largest OBJECT IDENTIFIER: 128 sub-identifiers (RFC 2578 3.5). */
#define OID_MAX_LEN		(128 * 5)
/* error-status (RFC 3416 section 3): noError(0) .. inconsistentName(18) */
#define ERROR_STATUS_MAX	18

const char *snmp_error_name(enum snmp_error e)
{
	switch (e) {
	case SNMP_OK:
		return "ok";
	case SNMP_ERR_LENGTH:
		return "length";
	case SNMP_ERR_TAG:
		return "tag";
	case SNMP_ERR_INDEFINITE:
		return "indefinite_length";
	case SNMP_ERR_INTEGER:
		return "integer";
	case SNMP_ERR_VERSION:
		return "version";
	case SNMP_ERR_PDU_TYPE:
		return "pdu_type";
	case SNMP_ERR_VARBIND:
		return "varbind";
	case SNMP_ERR_STRING:
		return "string";
	case SNMP_ERR_FLAGS:
		return "flags";
	case SNMP_ERR_SECURITY_PARAMETERS:
		return "security_parameters";
	case SNMP_ERR_TOO_BIG:
		return "too_big";
	}
	return "unknown";
}

const char *snmp_pdu_type_name(uint8_t type)
{
	switch (type) {
	case SNMP_PDU_GET:
		return "GetRequest";
	case SNMP_PDU_GETNEXT:
		return "GetNextRequest";
	case SNMP_PDU_RESPONSE:
		return "Response";
	case SNMP_PDU_SET:
		return "SetRequest";
	case SNMP_PDU_TRAP_V1:
		return "Trap";
	case SNMP_PDU_GETBULK:
		return "GetBulkRequest";
	case SNMP_PDU_INFORM:
		return "InformRequest";
	case SNMP_PDU_TRAP:
		return "SNMPv2-Trap";
	case SNMP_PDU_REPORT:
		return "Report";
	default:
		return "unknown";
	}
}

bool snmp_pdu_is_request(uint8_t type)
{
	return type == SNMP_PDU_GET || type == SNMP_PDU_GETNEXT ||
	       type == SNMP_PDU_GETBULK || type == SNMP_PDU_SET;
}

static bool pdu_type_known(uint8_t type)
{
	return type >= SNMP_PDU_GET && type <= SNMP_PDU_REPORT &&
	       type != SNMP_PDU_TRAP_V1;
}

static enum snmp_error from_ber(enum ber_status st)
{
	switch (st) {
	case BER_OK:
		return SNMP_OK;
	case BER_ERR_TAG:
		return SNMP_ERR_TAG;
	case BER_ERR_INDEFINITE:
		return SNMP_ERR_INDEFINITE;
	case BER_ERR_LENGTH:
	default:
		return SNMP_ERR_LENGTH;
	}
}

/* The next TLV of r with tag; the snmp_error of what went wrong. */
static enum snmp_error expect(struct ber_reader *r, uint8_t tag,
			      struct ber_tlv *t)
{
	return from_ber(ber_expect(r, tag, t));
}

/* An INTEGER of r in min..max. */
static enum snmp_error get_int(struct ber_reader *r, int32_t min,
			       int32_t max, int32_t *out)
{
	struct ber_tlv t;
	enum snmp_error e = expect(r, BER_INTEGER, &t);

	*out = 0;
	if (e != SNMP_OK)
		return e;
	if (!ber_int32(&t, out) || *out < min || *out > max) {
		*out = 0;
		return SNMP_ERR_INTEGER;
	}
	return SNMP_OK;
}

/* An OCTET STRING of r of min..max octets. */
static enum snmp_error get_string(struct ber_reader *r, size_t min,
				  size_t max, struct snmp_bytes *out)
{
	struct ber_tlv t;
	enum snmp_error e = expect(r, BER_OCTET_STRING, &t);

	if (e != SNMP_OK)
		return e;
	if (t.len < min || t.len > max)
		return SNMP_ERR_STRING;
	out->p = t.v;
	out->len = t.len;
	return SNMP_OK;
}

/* The reader over the contents of the next TLV of r, which has tag. */
static enum snmp_error enter(struct ber_reader *r, uint8_t tag,
			     struct ber_reader *in)
{
	struct ber_tlv t;
	enum snmp_error e = expect(r, tag, &t);

	if (e == SNMP_OK)
		ber_reader_init(in, t.v, t.len);
	return e;
}

/* A container must be filled exactly. */
static enum snmp_error end(const struct ber_reader *r)
{
	return ber_done(r) ? SNMP_OK : SNMP_ERR_LENGTH;
}

static bool engine_id_ok(const struct snmp_bytes *b)
{
	/* empty in discovery; 5..32 octets otherwise (RFC 3411) */
	return b->len == 0 ||
	       (b->len >= 5 && b->len <= SNMP_ENGINE_ID_MAX);
}

enum snmp_error snmp_varbinds_check(const uint8_t *vb, size_t len)
{
	struct ber_reader r, list;
	enum snmp_error e;

	ber_reader_init(&r, vb, len);
	e = enter(&r, BER_SEQUENCE, &list);
	if (e != SNMP_OK)
		return e == SNMP_ERR_TAG ? SNMP_ERR_VARBIND : e;
	if (!ber_done(&r))
		return SNMP_ERR_LENGTH;
	while (!ber_done(&list)) {
		struct ber_reader one;
		struct ber_tlv name, value;

		e = enter(&list, BER_SEQUENCE, &one);
		if (e == SNMP_OK)
			e = expect(&one, BER_OID, &name);
		if (e == SNMP_ERR_TAG)
			return SNMP_ERR_VARBIND;
		if (e == SNMP_OK)
			e = from_ber(ber_next(&one, &value));
		if (e != SNMP_OK)
			return e;
		if (!ber_done(&one))
			return SNMP_ERR_LENGTH;
		if (name.len == 0 || name.len > OID_MAX_LEN ||
		    (value.tag & BER_CONSTRUCTED))
			return SNMP_ERR_VARBIND;
	}
	return SNMP_OK;
}

/* The reader over the bindings of the VarBindList vb. */
static bool list_reader(const uint8_t *vb, size_t len, struct ber_reader *list)
{
	struct ber_reader r;

	ber_reader_init(&r, vb, len);
	return enter(&r, BER_SEQUENCE, list) == SNMP_OK;
}

size_t snmp_varbinds_count(const uint8_t *vb, size_t len)
{
	struct ber_reader list;
	struct ber_tlv t;
	size_t n = 0;

	if (!list_reader(vb, len, &list))
		return 0;
	while (ber_next(&list, &t) == BER_OK)
		n++;
	return n;
}

size_t snmp_varbinds_cut(const uint8_t *vb, size_t len, size_t k,
			 uint8_t *out, size_t cap)
{
	struct ber_reader list;
	struct ber_writer w;
	struct ber_tlv t;
	const uint8_t *first;

	if (!list_reader(vb, len, &list))
		return 0;
	first = list.p;
	for (size_t i = 0; i < k; i++) {
		if (ber_next(&list, &t) != BER_OK)
			return 0;
	}
	ber_writer_init(&w, out, cap);
	ber_put_raw(&w, first, list.off);
	ber_put_header(&w, BER_SEQUENCE, list.off);
	if (w.overflow)
		return 0;
	memmove(out, out + w.pos, ber_written(&w));
	return ber_written(&w);
}

bool snmp_varbind_first(const uint8_t *vb, size_t len,
			struct snmp_bytes *name, uint8_t *tag,
			struct snmp_bytes *value)
{
	struct ber_reader r, list, one;
	struct ber_tlv n, v;

	ber_reader_init(&r, vb, len);
	if (enter(&r, BER_SEQUENCE, &list) != SNMP_OK ||
	    enter(&list, BER_SEQUENCE, &one) != SNMP_OK ||
	    expect(&one, BER_OID, &n) != SNMP_OK ||
	    ber_next(&one, &v) != BER_OK)
		return false;
	name->p = n.v;
	name->len = n.len;
	*tag = v.tag;
	value->p = v.v;
	value->len = v.len;
	return true;
}

static enum snmp_error decode_pdu(struct ber_reader *r, struct snmp_pdu *pdu)
{
	struct ber_reader in;
	struct ber_tlv t;
	enum snmp_error e;
	size_t off = r->off;
	bool bulk;

	e = from_ber(ber_next(r, &t));
	if (e != SNMP_OK)
		return e;
	if (!pdu_type_known(t.tag))
		return SNMP_ERR_PDU_TYPE;
	r->off = off;
	e = enter(r, t.tag, &in);
	if (e != SNMP_OK)
		return e;
	pdu->type = t.tag;
	bulk = t.tag == SNMP_PDU_GETBULK;
	e = get_int(&in, INT32_MIN, INT32_MAX, &pdu->request_id);
	if (e == SNMP_OK)
		e = get_int(&in, 0, bulk ? INT32_MAX : ERROR_STATUS_MAX,
			    &pdu->error_status);
	if (e == SNMP_OK)
		e = get_int(&in, 0, INT32_MAX, &pdu->error_index);
	if (e != SNMP_OK)
		return e;
	pdu->varbinds.p = in.p + in.off;
	pdu->varbinds.len = in.len - in.off;
	return snmp_varbinds_check(pdu->varbinds.p, pdu->varbinds.len);
}

static enum snmp_error decode_usm(const struct snmp_bytes *sp,
				  struct snmp_usm *u)
{
	struct ber_reader r, in;
	enum snmp_error e;

	ber_reader_init(&r, sp->p, sp->len);
	e = enter(&r, BER_SEQUENCE, &in);
	if (e == SNMP_OK)
		e = end(&r);
	if (e == SNMP_OK)
		e = get_string(&in, 0, SNMP_ENGINE_ID_MAX, &u->engine_id);
	if (e == SNMP_OK && !engine_id_ok(&u->engine_id))
		e = SNMP_ERR_STRING;
	if (e == SNMP_OK)
		e = get_int(&in, 0, INT32_MAX, &u->engine_boots);
	if (e == SNMP_OK)
		e = get_int(&in, 0, INT32_MAX, &u->engine_time);
	if (e == SNMP_OK)
		e = get_string(&in, 0, 32, &u->user_name);
	if (e == SNMP_OK)
		e = get_string(&in, 0, SNMP_ADMIN_STRING_MAX,
			       &u->auth_params);
	if (e == SNMP_OK)
		e = get_string(&in, 0, SNMP_ADMIN_STRING_MAX,
			       &u->priv_params);
	if (e == SNMP_OK)
		e = end(&in);
	return e;
}

static enum snmp_error decode_v3(struct ber_reader *r, struct snmp_msg *m)
{
	struct ber_reader g, sp;
	struct snmp_bytes flags;
	struct ber_tlv t;
	enum snmp_error e;

	e = enter(r, BER_SEQUENCE, &g);
	if (e == SNMP_OK)
		e = get_int(&g, 0, INT32_MAX, &m->msg_id);
	if (e == SNMP_OK)
		e = get_int(&g, SNMP_MIN_MAX_SIZE, INT32_MAX, &m->max_size);
	if (e == SNMP_OK)
		e = get_string(&g, 1, 1, &flags);
	if (e != SNMP_OK)
		return e;
	m->flags = flags.p[0];
	if ((m->flags & SNMP_FLAG_PRIV) && !(m->flags & SNMP_FLAG_AUTH))
		return SNMP_ERR_FLAGS;
	e = get_int(&g, 1, INT32_MAX, &m->security_model);
	if (e == SNMP_OK)
		e = end(&g);
	if (e == SNMP_OK)
		e = get_string(r, 0, SNMP_MAX_LEN, &m->security_params);
	if (e != SNMP_OK)
		return e;
	if (m->security_model == SNMP_SEC_MODEL_TSM &&
	    m->security_params.len != 0)
		return SNMP_ERR_SECURITY_PARAMETERS;
	if (m->security_model == SNMP_SEC_MODEL_USM) {
		e = decode_usm(&m->security_params, &m->usm);
		if (e != SNMP_OK)
			return e == SNMP_ERR_LENGTH ?
				       e : SNMP_ERR_SECURITY_PARAMETERS;
	}
	/* ScopedPduData: plaintext, or encrypted (USM's privacy) */
	if (r->off < r->len && r->p[r->off] == BER_OCTET_STRING) {
		e = expect(r, BER_OCTET_STRING, &t);
		if (e != SNMP_OK)
			return e;
		if (!(m->flags & SNMP_FLAG_PRIV))
			return SNMP_ERR_FLAGS;
		m->encrypted_pdu.p = t.v;
		m->encrypted_pdu.len = t.len;
		return SNMP_OK;
	}
	e = enter(r, BER_SEQUENCE, &sp);
	if (e == SNMP_OK)
		e = get_string(&sp, 0, SNMP_ENGINE_ID_MAX,
			       &m->context_engine_id);
	if (e == SNMP_OK)
		e = get_string(&sp, 0, SNMP_ADMIN_STRING_MAX,
			       &m->context_name);
	if (e == SNMP_OK)
		e = decode_pdu(&sp, &m->pdu);
	if (e == SNMP_OK)
		e = end(&sp);
	return e;
}

static enum snmp_error decode(const uint8_t *p, size_t len,
			      struct snmp_msg *m)
{
	struct ber_reader r, msg;
	enum snmp_error e;

	if (len > SNMP_MAX_LEN)
		return SNMP_ERR_TOO_BIG;
	ber_reader_init(&r, p, len);
	e = enter(&r, BER_SEQUENCE, &msg);
	if (e == SNMP_OK)
		e = end(&r);
	if (e == SNMP_OK)
		e = get_int(&msg, 0, INT32_MAX, &m->version);
	if (e != SNMP_OK)
		return e;
	switch (m->version) {
	case SNMP_V1:
	case SNMP_V2C:
		e = get_string(&msg, 0, SNMP_MAX_LEN, &m->community);
		if (e == SNMP_OK)
			e = decode_pdu(&msg, &m->pdu);
		break;
	case SNMP_V3:
		e = decode_v3(&msg, m);
		break;
	default:
		return SNMP_ERR_VERSION;
	}
	if (e == SNMP_OK)
		e = end(&msg);
	return e;
}

enum snmp_error snmp_decode(const uint8_t *p, size_t len, struct snmp_msg *m)
{
	enum snmp_error e;

	memset(m, 0, sizeof(*m));
	e = decode(p, len, m);
	if (e != SNMP_OK)
		memset(m, 0, sizeof(*m));
	return e;
}

/* Encoding, from the last field to the first ------------------------------ */

static enum snmp_error check_pdu(const struct snmp_pdu *pdu)
{
	bool bulk = pdu->type == SNMP_PDU_GETBULK;

	if (!pdu_type_known(pdu->type))
		return SNMP_ERR_PDU_TYPE;
	if (pdu->error_status < 0 || pdu->error_index < 0 ||
	    (!bulk && pdu->error_status > ERROR_STATUS_MAX))
		return SNMP_ERR_INTEGER;
	return snmp_varbinds_check(pdu->varbinds.p, pdu->varbinds.len);
}

static void put_pdu(struct ber_writer *w, const struct snmp_pdu *pdu)
{
	size_t mark = ber_written(w);

	ber_put_raw(w, pdu->varbinds.p, pdu->varbinds.len);
	ber_put_int32(w, BER_INTEGER, pdu->error_index);
	ber_put_int32(w, BER_INTEGER, pdu->error_status);
	ber_put_int32(w, BER_INTEGER, pdu->request_id);
	ber_put_container(w, pdu->type, mark);
}

static void put_string(struct ber_writer *w, const struct snmp_bytes *b)
{
	ber_put_tlv(w, BER_OCTET_STRING, b->p, b->len);
}

static enum snmp_error check_v3(const struct snmp_msg *m)
{
	const struct snmp_usm *u = &m->usm;
	bool encrypted = m->encrypted_pdu.p != NULL;

	if (m->msg_id < 0 || m->max_size < SNMP_MIN_MAX_SIZE ||
	    m->security_model < 1)
		return SNMP_ERR_INTEGER;
	if ((m->flags & SNMP_FLAG_PRIV) && !(m->flags & SNMP_FLAG_AUTH))
		return SNMP_ERR_FLAGS;
	if (encrypted && !(m->flags & SNMP_FLAG_PRIV))
		return SNMP_ERR_FLAGS;
	if (m->security_model == SNMP_SEC_MODEL_TSM &&
	    m->security_params.len != 0)
		return SNMP_ERR_SECURITY_PARAMETERS;
	if (m->security_model == SNMP_SEC_MODEL_USM &&
	    (!engine_id_ok(&u->engine_id) || u->engine_boots < 0 ||
	     u->engine_time < 0 || u->user_name.len > 32 ||
	     u->auth_params.len > SNMP_ADMIN_STRING_MAX ||
	     u->priv_params.len > SNMP_ADMIN_STRING_MAX))
		return SNMP_ERR_SECURITY_PARAMETERS;
	if (encrypted)
		return SNMP_OK;
	if (m->context_engine_id.len > SNMP_ENGINE_ID_MAX ||
	    m->context_name.len > SNMP_ADMIN_STRING_MAX)
		return SNMP_ERR_STRING;
	return check_pdu(&m->pdu);
}

static void put_v3(struct ber_writer *w, const struct snmp_msg *m)
{
	const struct snmp_usm *u = &m->usm;
	size_t mark = ber_written(w);

	if (m->encrypted_pdu.p != NULL) {
		put_string(w, &m->encrypted_pdu);
	} else {
		put_pdu(w, &m->pdu);
		put_string(w, &m->context_name);
		put_string(w, &m->context_engine_id);
		ber_put_container(w, BER_SEQUENCE, mark);
	}
	if (m->security_model == SNMP_SEC_MODEL_USM) {
		size_t sp = ber_written(w);

		put_string(w, &u->priv_params);
		put_string(w, &u->auth_params);
		put_string(w, &u->user_name);
		ber_put_int32(w, BER_INTEGER, u->engine_time);
		ber_put_int32(w, BER_INTEGER, u->engine_boots);
		put_string(w, &u->engine_id);
		ber_put_container(w, BER_SEQUENCE, sp);
		ber_put_container(w, BER_OCTET_STRING, sp);
	} else {
		put_string(w, &m->security_params);
	}
	mark = ber_written(w);
	ber_put_int32(w, BER_INTEGER, m->security_model);
	ber_put_tlv(w, BER_OCTET_STRING, &m->flags, 1);
	ber_put_int32(w, BER_INTEGER, m->max_size);
	ber_put_int32(w, BER_INTEGER, m->msg_id);
	ber_put_container(w, BER_SEQUENCE, mark);
}

enum snmp_error snmp_encode(const struct snmp_msg *m, uint8_t *out,
			    size_t cap, size_t *outlen)
{
	struct ber_writer w;
	enum snmp_error e;

	*outlen = 0;
	switch (m->version) {
	case SNMP_V1:
	case SNMP_V2C:
		e = check_pdu(&m->pdu);
		break;
	case SNMP_V3:
		e = check_v3(m);
		break;
	default:
		return SNMP_ERR_VERSION;
	}
	if (e != SNMP_OK)
		return e;
	ber_writer_init(&w, out, cap < SNMP_MAX_LEN ? cap : SNMP_MAX_LEN);
	if (m->version == SNMP_V3) {
		put_v3(&w, m);
	} else {
		put_pdu(&w, &m->pdu);
		put_string(&w, &m->community);
	}
	ber_put_int32(&w, BER_INTEGER, m->version);
	ber_put_container(&w, BER_SEQUENCE, 0);
	if (w.overflow)
		return SNMP_ERR_TOO_BIG;
	*outlen = ber_written(&w);
	memmove(out, out + w.pos, *outlen);
	return SNMP_OK;
}
