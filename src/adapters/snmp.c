/*
 * snmp: SNMP over DTLS with the Transport Security Model (RFC 6353,
 * RFC 5591), translated to and from SNMPv2c (RFC 1901, RFC 3584).
 *
 * Protected: 10161/udp, 10162/udp for notifications.
 * Cleartext: 161/udp, 162/udp.
 *
 * An agent drops a TSM message that did not come over a secure transport
 * (net-snmp: "tsm: improper transport data"), so relaying the bytes is no
 * use: the profile translates, as the radius profile re-signs.
 *
 * Server side (DTLS listening, cleartext forwarding): the peer's verified
 * certificate gives a security name (certToSecurityName, RFC 6353 section
 * 5.1: --cert-sec-name rows), the name a community (--snmp-community).
 * Each SNMPv3/TSM request (Get, GetNext, GetBulk, Set, InformRequest) goes
 * to the agent (or notification receiver) as SNMPv2c with that community
 * and the same PDU; the Response comes back as SNMPv3/TSM with the
 * request's msgID, msgMaxSize, security level (reportable cleared, RFC
 * 3412 section 7.1), contextEngineID and contextName.  An SNMPv2-Trap goes
 * on the same way and gets no answer.  The RFC 5343 probe that net-snmp
 * sends first (a Get of snmpEngineID.0 with the localEngineID as
 * contextEngineID) the gateway answers itself with its own snmpEngineID:
 * to the manager the gateway is the SNMPv3 engine (RFC 3584), and a
 * notification receiver such as snmptrapd answers no Get.
 *
 * Client side (cleartext listening, DTLS forwarding): a v2c manager's
 * community, one of --snmp-community, lets its message through; the
 * security name the agent gives it is the one its certSecName maps the
 * gateway's certificate to.  Requests and informs become SNMPv3/TSM
 * (authPriv, reportable, RFC 6353 section 5.2: TSM over DTLS is always
 * authPriv) with a msgID of ours.  Their contextEngineID is the remote
 * engine's snmpEngineID (an inform's too, as net-snmp's snmpinform does),
 * learned once per session with the RFC 5343 probe; a trap's is the
 * gateway's own (RFC 3584 section 5.2.1), drawn at random for the route.
 * Every manager shares one DTLS session (net-snmp 5.9.3's dtlsudp fails
 * new connections while another is open).  The answer goes back as v2c
 * with the manager's request-id and community.  A Report (wrong engine ID, a
 * context the agent does not know) sends the request again after a new
 * discovery, once; then the manager gets genErr.
 *
 * A peer whose certificate maps to no name, whose name has no community,
 * or whose community is not configured, gets no answer: a drop counted,
 * and a warning naming its address (never the community).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dtlsgw/adapter.h"
#include "dtlsgw/ber.h"
#include "dtlsgw/config.h"
#include "dtlsgw/crypto.h"
#include "dtlsgw/dgram.h"
#include "dtlsgw/dtls.h"
#include "dtlsgw/log.h"
#include "dtlsgw/session.h"
#include "dtlsgw/snmp.h"
#include "dtlsgw/snmp_tsm.h"
#include "dtlsgw/worker.h"

/* Requests waiting for the agent, per session; the oldest is reused. */
#define PENDING_MAX		32
/* The client side's, of every manager (one session upstream). */
#define CREQ_MAX		256
/* Warnings about managers: a burst of 10, then one per second. */
#define WARN_BURST		10
#define WARN_INTERVAL_MS	1000
/* vacmContextName (RFC 3415): SnmpAdminString (SIZE(0..32)) */
#define CONTEXT_NAME_MAX	32
/*
 * The msgMaxSize of the client side's requests: the most a DTLS record
 * carries (RFC 6347 section 4.1: 2^14), which the engine reads whole.
 */
#define CLIENT_MAX_SIZE		16384
/* msgID and request-id: 0..2^31-1 (RFC 3412, RFC 3416) */
#define ID_MAX			0x7fffffff
/* genErr (RFC 3416 section 3) */
#define ERR_GEN			5
/*
 * The gateway's snmpEngineID for the notifications it originates (RFC
 * 3411 SnmpEngineID): the format bit and enterprise 0, format 5 (octets,
 * administratively assigned), 8 random octets.
 */
#define OWN_ENGINE_PREFIX	"\x80\x00\x00\x00\x05"
#define OWN_ENGINE_LEN		13

enum snmp_drop {
	DROP_INVALID = 0,	/* the codec refused it */
	DROP_NOT_TSM,		/* not SNMPv3 with the Transport Security Model */
	DROP_UNMAPPED,		/* the certificate maps to no security name */
	DROP_NO_COMMUNITY,	/* the security name has no community */
	DROP_NOT_REQUEST,	/* not Get, GetNext, GetBulk or Set */
	DROP_CONTEXT_NAME,	/* a contextName no VACM table can hold */
	DROP_UNKNOWN_RESPONSE,	/* the agent answered nothing we asked */
	DROP_TOO_BIG,		/* the translation does not fit */
	DROP_NOT_V2C,		/* client side: not SNMPv2c from the manager */
	DROP_UNKNOWN_COMMUNITY,	/* client side: a community not configured */
	DROP_DISCOVERY,		/* client side: no snmpEngineID from the agent */
	DROP_REPORT,		/* client side: a Report, answered genErr */
	DROP_MAX,
};

static const char *const drop_names[DROP_MAX] = {
	[DROP_INVALID] = "invalid",
	[DROP_NOT_TSM] = "not_tsm",
	[DROP_UNMAPPED] = "unmapped_certificate",
	[DROP_NO_COMMUNITY] = "no_community",
	[DROP_NOT_REQUEST] = "not_request",
	[DROP_CONTEXT_NAME] = "context_name",
	[DROP_UNKNOWN_RESPONSE] = "unknown_response",
	[DROP_TOO_BIG] = "too_big",
	[DROP_NOT_V2C] = "not_v2c",
	[DROP_UNKNOWN_COMMUNITY] = "unknown_community",
	[DROP_DISCOVERY] = "discovery_failed",
	[DROP_REPORT] = "report",
};

/* The per-route settings, read-only once the route is set up. */
struct snmp_route {
	bool				 server_side;
	struct snmp_tsm_rule		*rules;
	size_t				 nrules;
	struct snmp_community_map	*maps;	/* communities are copies */
	size_t				 nmaps;
	uint8_t				 own_engine[OWN_ENGINE_LEN];
};

/* A request sent on as v2c: what its answer needs of it. */
struct pending {
	bool		in_use;
	int32_t		request_id;
	int32_t		msg_id;
	int32_t		max_size;
	uint8_t		flags;
	uint8_t		type;
	uint8_t		engine_len;
	uint8_t		name_len;
	uint8_t		engine[SNMP_ENGINE_ID_MAX];
	uint8_t		name[CONTEXT_NAME_MAX];
};

enum map_state {
	MAP_UNKNOWN = 0,
	MAP_OK,
	MAP_NONE,
};

/*
 * Client side: a manager's request or inform sent on as TSM, kept until
 * its answer (to send it again after a Report, or to answer genErr).
 */
struct creq {
	bool			 in_use;
	bool			 waiting;	/* for the agent's snmpEngineID */
	bool			 retried;	/* sent again after a Report */
	int32_t			 msg_id;
	int32_t			 request_id;
	uint8_t			*msg;	/* the manager's v2c message, a copy */
	size_t			 len;
	/* the manager, and our address it sent to */
	struct sockaddr_storage	 peer, local;
	socklen_t		 peerlen, locallen;
};

struct snmp_session {
	struct session			*s;
	const struct snmp_route		*sr;
	enum map_state			 state;
	enum snmp_drop			 why;	/* MAP_NONE: the reason */
	const struct snmp_community_map	*map;
	struct pending			*pending;	/* PENDING_MAX, when used */
	unsigned int			 next;
	/* client side: one session, every manager's */
	struct creq			*creqs;		/* CREQ_MAX, when used */
	unsigned int			 cnext;
	int32_t				 next_msg_id;
	int32_t				 probe_id;
	bool				 probing;
	struct log_ratelimit		 rl;
	uint8_t				 engine_len;	/* 0: not learned */
	uint8_t				 engine[SNMP_ENGINE_ID_MAX];
};

static enum adapter_verdict drop(struct session *s, enum snmp_drop why)
{
	session_adapter_drop(s, why);
	return ADAPTER_DROP;
}

static void drop_debug(struct session *s, const char *what,
		       enum snmp_error e)
{
	char n[160];

	if (log_enabled(LOG_LEVEL_DEBUG))
		log_debug("%s: %s: %s dropped: %s", __func__,
			  session_name(s, n, sizeof(n)), what,
			  snmp_error_name(e));
}

/*
 * The peer's security name and community, worked out once per session:
 * true, or false with ss->why.
 */
static bool map_peer(struct snmp_session *ss)
{
	uint8_t chain[DTLS_PEER_CHAIN_MAX][32];
	char name[SNMP_SEC_NAME_MAX + 1], n[160], fp[104];
	const uint8_t *der;
	size_t derlen, nchain;

	if (ss->state != MAP_UNKNOWN)
		return ss->state == MAP_OK;
	ss->state = MAP_NONE;
	ss->why = DROP_UNMAPPED;
	der = session_peer_cert(ss->s, &derlen);
	nchain = session_peer_chain(ss->s, chain, DTLS_PEER_CHAIN_MAX);
	if (!snmp_tsm_sec_name(ss->sr->rules, ss->sr->nrules, der, derlen,
			       (const uint8_t (*)[32])chain, nchain, name)) {
		log_warnx("%s: the peer's certificate (%s) maps to no "
			  "security name: no answer",
			  session_name(ss->s, n, sizeof(n)),
			  nchain > 0 ? dtls_fingerprint_str(chain[0], fp,
							    sizeof(fp))
				     : "none verified");
		return false;
	}
	ss->map = snmp_community_find(ss->sr->maps, ss->sr->nmaps, name);
	if (ss->map == NULL) {
		ss->why = DROP_NO_COMMUNITY;
		log_warnx("%s: security name '%s' has no snmp-community: no "
			  "answer", session_name(ss->s, n, sizeof(n)), name);
		return false;
	}
	log_info("%s: security name '%s'", session_name(ss->s, n, sizeof(n)),
		 name);
	ss->state = MAP_OK;
	return true;
}

static struct pending *pending_find(struct snmp_session *ss, int32_t id)
{
	if (ss->pending == NULL)
		return NULL;
	for (unsigned int i = 0; i < PENDING_MAX; i++) {
		if (ss->pending[i].in_use && ss->pending[i].request_id == id)
			return &ss->pending[i];
	}
	return NULL;
}

/* The slot for a request: its own when retransmitted, else the next. */
static struct pending *pending_slot(struct snmp_session *ss, int32_t id)
{
	struct pending *p = pending_find(ss, id);

	return p != NULL ? p : &ss->pending[ss->next++ % PENDING_MAX];
}

/* Decode d into *m; false when the codec refuses it (counted). */
static bool decode(struct session *s, const struct dgram *d,
		   const char *what, struct snmp_msg *m)
{
	enum snmp_error e = snmp_decode(d->data, d->len, m);

	if (e == SNMP_OK)
		return true;
	drop_debug(s, what, e);
	session_adapter_drop(s, DROP_INVALID);
	return false;
}

/*
 * Encode m into a new datagram; the caller sends it.  NULL when the pool
 * is empty or it does not fit (counted).
 */
static struct dgram *encode(struct session *s, const struct snmp_msg *m)
{
	struct dgram *out = dgram_alloc(worker_pool(session_worker(s)));
	enum snmp_error e;

	if (out == NULL)
		return NULL;
	e = snmp_encode(m, out->data, dgram_tailroom(out), &out->len);
	if (e != SNMP_OK) {
		drop_debug(s, "translation", e);
		session_adapter_drop(s, DROP_TOO_BIG);
		dgram_free(out);
		return NULL;
	}
	return out;
}

/* snmpEngineID.0 (SNMP-FRAMEWORK-MIB, RFC 3411): 1.3.6.1.6.3.10.2.1.1.0 */
static const uint8_t oid_engine_id[] = {
	0x2b, 0x06, 0x01, 0x06, 0x03, 0x0a, 0x02, 0x01, 0x01, 0x00,
};

/* A Get of snmpEngineID.0: the RFC 5343 probe's one binding, value NULL */
static const uint8_t probe_varbinds[] = {
	0x30, 0x10, 0x30, 0x0e, 0x06, 0x0a,
	0x2b, 0x06, 0x01, 0x06, 0x03, 0x0a, 0x02, 0x01, 0x01, 0x00,
	0x05, 0x00,
};

/* Whether the PDU's first binding is snmpEngineID.0: its value then. */
static bool engine_id_binding(const struct snmp_pdu *pdu, uint8_t *tag,
			      struct snmp_bytes *value)
{
	struct snmp_bytes name;

	return snmp_varbind_first(pdu->varbinds.p, pdu->varbinds.len, &name,
				  tag, value) &&
	       name.len == sizeof(oid_engine_id) &&
	       memcmp(name.p, oid_engine_id, name.len) == 0;
}

/*
 * The RFC 5343 probe, answered here with the gateway's own snmpEngineID:
 * the manager's SNMPv3 engine is the gateway (RFC 3584: a v2c agent or
 * notification receiver has none to give; snmptrapd answers no Get).
 * True when m was the probe and d is consumed.
 */
static bool answer_probe(struct snmp_session *ss, struct dgram *d,
			 const struct snmp_msg *m)
{
	uint8_t vb[64], tag;
	struct snmp_bytes value;
	struct ber_writer w;
	struct snmp_msg v3;
	struct dgram *out;

	if (m->pdu.type != SNMP_PDU_GET ||
	    m->context_engine_id.len != SNMP_LOCAL_ENGINE_ID_LEN ||
	    memcmp(m->context_engine_id.p, SNMP_LOCAL_ENGINE_ID,
		   SNMP_LOCAL_ENGINE_ID_LEN) != 0 ||
	    snmp_varbinds_count(m->pdu.varbinds.p, m->pdu.varbinds.len) != 1 ||
	    !engine_id_binding(&m->pdu, &tag, &value))
		return false;
	ber_writer_init(&w, vb, sizeof(vb));
	ber_put_tlv(&w, BER_OCTET_STRING, ss->sr->own_engine, OWN_ENGINE_LEN);
	ber_put_tlv(&w, BER_OID, oid_engine_id, sizeof(oid_engine_id));
	ber_put_container(&w, BER_SEQUENCE, 0);
	ber_put_container(&w, BER_SEQUENCE, 0);
	v3 = *m;
	v3.flags = m->flags & (SNMP_FLAG_AUTH | SNMP_FLAG_PRIV);
	v3.pdu.type = SNMP_PDU_RESPONSE;
	v3.pdu.varbinds.p = vb + w.pos;
	v3.pdu.varbinds.len = ber_written(&w);
	out = encode(ss->s, &v3);
	dgram_free(d);
	if (out != NULL)
		session_send_down(ss->s, out);
	return true;
}

/* A TSM request from the manager, on its way to the agent as v2c. */
static enum adapter_verdict server_request(struct snmp_session *ss,
					   struct dgram *d)
{
	struct session *s = ss->s;
	struct snmp_msg m, v2;
	struct pending *p;
	struct dgram *out;

	if (!decode(s, d, "request", &m))
		return ADAPTER_DROP;
	if (m.version != SNMP_V3 || m.security_model != SNMP_SEC_MODEL_TSM ||
	    m.encrypted_pdu.p != NULL)
		return drop(s, DROP_NOT_TSM);
	if (!map_peer(ss))
		return drop(s, ss->why);
	if (!snmp_pdu_is_request(m.pdu.type) &&
	    m.pdu.type != SNMP_PDU_INFORM && m.pdu.type != SNMP_PDU_TRAP)
		return drop(s, DROP_NOT_REQUEST);
	if (m.context_name.len > CONTEXT_NAME_MAX)
		return drop(s, DROP_CONTEXT_NAME);
	if (answer_probe(ss, d, &m))
		return ADAPTER_CONSUMED;
	if (ss->pending == NULL) {
		ss->pending = calloc(PENDING_MAX, sizeof(*ss->pending));
		if (ss->pending == NULL)
			return ADAPTER_DROP;
	}
	memset(&v2, 0, sizeof(v2));
	v2.version = SNMP_V2C;
	v2.community.p = (const uint8_t *)ss->map->community;
	v2.community.len = strlen(ss->map->community);
	v2.pdu = m.pdu;
	out = encode(s, &v2);
	if (out == NULL)
		return ADAPTER_DROP;
	if (m.pdu.type == SNMP_PDU_TRAP) {
		/* nothing answers a trap: nothing to remember */
		dgram_free(d);
		session_send_up(s, out);
		return ADAPTER_CONSUMED;
	}
	p = pending_slot(ss, m.pdu.request_id);
	p->in_use = true;
	p->request_id = m.pdu.request_id;
	p->msg_id = m.msg_id;
	p->max_size = m.max_size;
	p->flags = m.flags;
	p->type = m.pdu.type;
	p->engine_len = (uint8_t)m.context_engine_id.len;
	memcpy(p->engine, m.context_engine_id.p, m.context_engine_id.len);
	p->name_len = (uint8_t)m.context_name.len;
	if (m.context_name.len > 0)
		memcpy(p->name, m.context_name.p, m.context_name.len);
	dgram_free(d);
	session_send_up(s, out);
	return ADAPTER_CONSUMED;
}

/*
 * An answer that does not fit the manager's msgMaxSize or one DTLS record
 * (RFC 3416 section 4.2.3): to GetBulk, as many whole bindings as fit;
 * otherwise, or when none fits, tooBig with no bindings.  m is changed,
 * its bindings written to scratch.  NULL when even that does not fit.
 */
static struct dgram *encode_fitting(struct session *s, struct snmp_msg *m,
				    const struct pending *p, uint8_t *scratch,
				    size_t cap)
{
	size_t limit = (size_t)p->max_size, dtls = session_max_down(s);
	struct snmp_bytes all = m->pdu.varbinds;
	struct dgram *out = encode(s, m);
	size_t k;

	if (dtls > 0 && dtls < limit)
		limit = dtls;
	if (out == NULL || out->len <= limit)
		return out;
	k = p->type == SNMP_PDU_GETBULK ?
		    snmp_varbinds_count(m->pdu.varbinds.p,
					m->pdu.varbinds.len) : 0;
	while (out != NULL && out->len > limit && k > 0) {
		dgram_free(out);
		k--;
		m->pdu.varbinds.len = snmp_varbinds_cut(all.p, all.len, k,
							scratch, cap);
		m->pdu.varbinds.p = scratch;
		out = k > 0 ? encode(s, m) : NULL;
	}
	if (out != NULL && out->len <= limit)
		return out;
	dgram_free(out);
	m->pdu.error_status = 1;	/* tooBig */
	m->pdu.error_index = 0;
	m->pdu.varbinds.p = (const uint8_t *)"\x30\x00";
	m->pdu.varbinds.len = 2;
	out = encode(s, m);
	if (out != NULL && out->len > limit) {
		session_adapter_drop(s, DROP_TOO_BIG);
		dgram_free(out);
		out = NULL;
	}
	return out;
}

/* The agent's v2c Response, on its way back as TSM. */
static enum adapter_verdict server_response(struct snmp_session *ss,
					    struct dgram *d)
{
	struct session *s = ss->s;
	struct snmp_msg m, v3;
	struct pending *p;
	struct dgram *out;

	if (!decode(s, d, "response", &m))
		return ADAPTER_DROP;
	if (m.version != SNMP_V2C || m.pdu.type != SNMP_PDU_RESPONSE)
		return drop(s, DROP_UNKNOWN_RESPONSE);
	p = pending_find(ss, m.pdu.request_id);
	if (p == NULL || ss->map == NULL ||
	    m.community.len != strlen(ss->map->community) ||
	    memcmp(m.community.p, ss->map->community, m.community.len) != 0)
		return drop(s, DROP_UNKNOWN_RESPONSE);
	memset(&v3, 0, sizeof(v3));
	v3.version = SNMP_V3;
	v3.msg_id = p->msg_id;
	v3.max_size = p->max_size;
	v3.flags = p->flags & (SNMP_FLAG_AUTH | SNMP_FLAG_PRIV);
	v3.security_model = SNMP_SEC_MODEL_TSM;
	v3.context_engine_id.p = p->engine;
	v3.context_engine_id.len = p->engine_len;
	v3.context_name.p = p->name;
	v3.context_name.len = p->name_len;
	v3.pdu = m.pdu;
	/* bindings cut to fit go to d's tailroom: they come from d itself */
	out = encode_fitting(s, &v3, p, d->data + d->len, dgram_tailroom(d));
	if (out == NULL)
		return ADAPTER_DROP;
	p->in_use = false;
	dgram_free(d);
	session_send_down(s, out);
	return ADAPTER_CONSUMED;
}

/* The client side ------------------------------------------------------- */

/* Whether b holds the community s (a secret: compared in constant time). */
static bool community_is(const struct snmp_bytes *b, const char *s)
{
	return b->len == strlen(s) && crypto_equal(b->p, s, b->len);
}

/* An OID's contents in dotted form into buf, for log lines. */
static const char *oid_str(const struct snmp_bytes *oid, char *buf,
			   size_t cap)
{
	size_t n = 0;
	uint32_t v = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < oid->len && n + 24 < cap; i++) {
		v = (v << 7) | (oid->p[i] & 0x7f);
		if (oid->p[i] & 0x80)
			continue;
		if (n == 0)
			n += (size_t)snprintf(buf, cap, "%u.%u",
					      v < 80 ? v / 40 : 2,
					      v < 80 ? v % 40 : v - 80);
		else
			n += (size_t)snprintf(buf + n, cap - n, ".%u", v);
		v = 0;
	}
	return buf;
}

/*
 * The map of the community of a message from the manager d came from, or
 * NULL (counted, and a warning naming the manager, rate limited).
 */
static const struct snmp_community_map *
community_map(struct snmp_session *ss, const struct snmp_bytes *community,
	      const struct dgram *d)
{
	const struct snmp_route *sr = ss->sr;
	char n[160], a[ADDR_STRLEN];

	for (size_t i = 0; i < sr->nmaps; i++) {
		if (community_is(community, sr->maps[i].community))
			return &sr->maps[i];
	}
	session_adapter_drop(ss->s, DROP_UNKNOWN_COMMUNITY);
	if (log_ratelimit_ok(&ss->rl, worker_now_ms(session_worker(ss->s)),
			     WARN_BURST, WARN_INTERVAL_MS))
		log_warnx("%s: manager %s: a community that is no "
			  "snmp-community: no answer",
			  session_name(ss->s, n, sizeof(n)),
			  addr_str((const struct sockaddr *)&d->peer, a));
	return NULL;
}

static int32_t new_msg_id(struct snmp_session *ss)
{
	int32_t id = ss->next_msg_id;

	ss->next_msg_id = id == ID_MAX ? 1 : id + 1;
	return id;
}

/* The v3/TSM message of a client request: authPriv, reportable. */
static void client_v3(const struct snmp_session *ss, struct snmp_msg *v3,
		      int32_t msg_id, const struct snmp_pdu *pdu)
{
	memset(v3, 0, sizeof(*v3));
	v3->version = SNMP_V3;
	v3->msg_id = msg_id;
	v3->max_size = CLIENT_MAX_SIZE;
	v3->flags = SNMP_FLAG_AUTH | SNMP_FLAG_PRIV;
	if (pdu->type != SNMP_PDU_TRAP)
		v3->flags |= SNMP_FLAG_REPORTABLE;
	v3->security_model = SNMP_SEC_MODEL_TSM;
	if (pdu->type == SNMP_PDU_TRAP) {
		v3->context_engine_id.p = ss->sr->own_engine;
		v3->context_engine_id.len = OWN_ENGINE_LEN;
	} else {
		v3->context_engine_id.p = ss->engine;
		v3->context_engine_id.len = ss->engine_len;
	}
	v3->pdu = *pdu;
}

/* The RFC 5343 probe: a Get of snmpEngineID.0 to the localEngineID. */
static void send_probe(struct snmp_session *ss)
{
	struct snmp_msg v3;
	struct snmp_pdu pdu;
	struct dgram *out;

	memset(&pdu, 0, sizeof(pdu));
	pdu.type = SNMP_PDU_GET;
	ss->probe_id = new_msg_id(ss);
	pdu.request_id = ss->probe_id;
	pdu.varbinds.p = probe_varbinds;
	pdu.varbinds.len = sizeof(probe_varbinds);
	client_v3(ss, &v3, ss->probe_id, &pdu);
	v3.context_engine_id.p = (const uint8_t *)SNMP_LOCAL_ENGINE_ID;
	v3.context_engine_id.len = SNMP_LOCAL_ENGINE_ID_LEN;
	out = encode(ss->s, &v3);
	if (out == NULL)
		return;
	ss->probing = true;
	session_send_up(ss->s, out);
}

static void creq_free(struct creq *c)
{
	free(c->msg);
	memset(c, 0, sizeof(*c));
}

/* The request of msgID id, or NULL. */
static struct creq *creq_by_msg_id(struct snmp_session *ss, int32_t id)
{
	for (unsigned int i = 0; ss->creqs != NULL && i < CREQ_MAX; i++) {
		if (ss->creqs[i].in_use && ss->creqs[i].msg_id == id)
			return &ss->creqs[i];
	}
	return NULL;
}

static bool same_addr(const struct sockaddr_storage *a, socklen_t alen,
		      const struct sockaddr_storage *b, socklen_t blen)
{
	return alen == blen && memcmp(a, b, alen) == 0;
}

/* The request request_id of the manager d came from (a retransmission). */
static struct creq *creq_of(struct snmp_session *ss, const struct dgram *d,
			    int32_t request_id)
{
	for (unsigned int i = 0; i < CREQ_MAX; i++) {
		struct creq *c = &ss->creqs[i];

		if (c->in_use && c->request_id == request_id &&
		    same_addr(&c->peer, c->peerlen, &d->peer, d->peerlen) &&
		    same_addr(&c->local, c->locallen, &d->local, d->locallen))
			return c;
	}
	return NULL;
}

/* The request c (its copy is known good) as TSM, to the agent. */
static void creq_send(struct snmp_session *ss, const struct creq *c)
{
	struct snmp_msg m, v3;
	struct dgram *out;

	if (snmp_decode(c->msg, c->len, &m) != SNMP_OK)
		return;
	client_v3(ss, &v3, c->msg_id, &m.pdu);
	out = encode(ss->s, &v3);
	if (out != NULL)
		session_send_up(ss->s, out);
}

/*
 * Answer the manager of c as v2c: its community and request-id, with pdu
 * (the agent's Response), or genErr and its own bindings when pdu is NULL.
 * c is done with.
 */
static void creq_answer(struct snmp_session *ss, struct creq *c,
			const struct snmp_pdu *pdu)
{
	struct snmp_msg m;
	struct dgram *out;

	if (snmp_decode(c->msg, c->len, &m) != SNMP_OK)
		goto done;
	if (pdu != NULL) {
		m.pdu = *pdu;
	} else {
		m.pdu.error_status = ERR_GEN;
		m.pdu.error_index = 0;
	}
	m.pdu.type = SNMP_PDU_RESPONSE;
	m.pdu.request_id = c->request_id;
	out = encode(ss->s, &m);
	if (out != NULL) {
		memcpy(&out->peer, &c->peer, c->peerlen);
		out->peerlen = c->peerlen;
		memcpy(&out->local, &c->local, c->locallen);
		out->locallen = c->locallen;
		session_send_down(ss->s, out);
	}
done:
	creq_free(c);
}

/*
 * The answer to the probe: the agent's snmpEngineID, and the requests
 * waiting for it go out; without one they get genErr.
 */
static void discovered(struct snmp_session *ss, const struct snmp_msg *m)
{
	struct snmp_bytes value;
	char n[160], hex[2 * SNMP_ENGINE_ID_MAX + 1];
	uint8_t tag;
	bool ok;

	ss->probing = false;
	ok = m->pdu.type == SNMP_PDU_RESPONSE && m->pdu.error_status == 0 &&
	     engine_id_binding(&m->pdu, &tag, &value) &&
	     tag == BER_OCTET_STRING && value.len >= 5 &&
	     value.len <= SNMP_ENGINE_ID_MAX;
	if (ok) {
		memcpy(ss->engine, value.p, value.len);
		ss->engine_len = (uint8_t)value.len;
		for (size_t i = 0; i < value.len; i++)
			snprintf(hex + 2 * i, 3, "%02x", value.p[i]);
		log_info("%s: the remote snmpEngineID is %s",
			 session_name(ss->s, n, sizeof(n)), hex);
	} else {
		session_adapter_drop(ss->s, DROP_DISCOVERY);
		log_warnx("%s: the remote engine did not tell its snmpEngineID (%s): "
			  "genErr to the waiting requests",
			  session_name(ss->s, n, sizeof(n)),
			  snmp_pdu_type_name(m->pdu.type));
	}
	for (unsigned int i = 0; ss->creqs != NULL && i < CREQ_MAX; i++) {
		struct creq *c = &ss->creqs[i];

		if (!c->in_use || !c->waiting)
			continue;
		c->waiting = false;
		if (ok)
			creq_send(ss, c);
		else
			creq_answer(ss, c, NULL);
	}
}

/* A v2c request, inform or trap from a manager, on its way as TSM. */
static enum adapter_verdict client_request(struct snmp_session *ss,
					   struct dgram *d)
{
	struct session *s = ss->s;
	struct snmp_msg m, v3;
	struct creq *c;
	struct dgram *out;
	bool again;

	if (!decode(s, d, "request", &m))
		return ADAPTER_DROP;
	if (m.version != SNMP_V2C)
		return drop(s, DROP_NOT_V2C);
	if (community_map(ss, &m.community, d) == NULL)
		return ADAPTER_DROP;
	if (m.pdu.type == SNMP_PDU_TRAP) {
		client_v3(ss, &v3, new_msg_id(ss), &m.pdu);
		out = encode(s, &v3);
		if (out == NULL)
			return ADAPTER_DROP;
		dgram_free(d);
		session_send_up(s, out);
		return ADAPTER_CONSUMED;
	}
	if (!snmp_pdu_is_request(m.pdu.type) && m.pdu.type != SNMP_PDU_INFORM)
		return drop(s, DROP_NOT_REQUEST);
	if (ss->creqs == NULL) {
		ss->creqs = calloc(CREQ_MAX, sizeof(*ss->creqs));
		if (ss->creqs == NULL)
			return ADAPTER_DROP;
	}
	/* a retransmission keeps its msgID: either answer will do */
	c = creq_of(ss, d, m.pdu.request_id);
	again = c != NULL;
	if (c == NULL) {
		c = &ss->creqs[ss->cnext++ % CREQ_MAX];
		creq_free(c);
		c->msg_id = new_msg_id(ss);
		c->request_id = m.pdu.request_id;
		memcpy(&c->peer, &d->peer, d->peerlen);
		c->peerlen = d->peerlen;
		memcpy(&c->local, &d->local, d->locallen);
		c->locallen = d->locallen;
	}
	/* a copy: sent again after discovery or a Report, or answered */
	free(c->msg);
	c->msg = malloc(d->len);
	if (c->msg == NULL) {
		creq_free(c);
		return ADAPTER_DROP;
	}
	memcpy(c->msg, d->data, d->len);
	c->len = d->len;
	c->in_use = true;
	dgram_free(d);
	if (ss->engine_len > 0) {
		c->waiting = false;
		creq_send(ss, c);
		return ADAPTER_CONSUMED;
	}
	c->waiting = true;
	/* the probe again when the manager asks again: it may be lost */
	if (!ss->probing || again)
		send_probe(ss);
	return ADAPTER_CONSUMED;
}

/* A Report from the agent: discover again and retry once, else genErr. */
static void client_report(struct snmp_session *ss, struct creq *c,
			  const struct snmp_msg *m)
{
	struct snmp_bytes name, value;
	char n[160], oid[128];
	uint8_t tag;

	if (log_enabled(LOG_LEVEL_DEBUG) &&
	    snmp_varbind_first(m->pdu.varbinds.p, m->pdu.varbinds.len, &name,
			       &tag, &value))
		log_debug("%s: %s: a Report (%s) to msgID %d%s", __func__,
			  session_name(ss->s, n, sizeof(n)),
			  oid_str(&name, oid, sizeof(oid)), (int)c->msg_id,
			  c->retried ? ": genErr" : ": discovering again");
	if (c->retried) {
		session_adapter_drop(ss->s, DROP_REPORT);
		creq_answer(ss, c, NULL);
		return;
	}
	c->retried = true;
	c->waiting = true;
	c->msg_id = new_msg_id(ss);
	ss->engine_len = 0;
	if (!ss->probing)
		send_probe(ss);
}

/* The agent's answer (TSM), on its way back to the manager as v2c. */
static enum adapter_verdict client_response(struct snmp_session *ss,
					    struct dgram *d)
{
	struct session *s = ss->s;
	struct snmp_msg m;
	struct creq *c;

	if (!decode(s, d, "response", &m))
		return ADAPTER_DROP;
	if (m.version != SNMP_V3 || m.security_model != SNMP_SEC_MODEL_TSM ||
	    m.encrypted_pdu.p != NULL)
		return drop(s, DROP_NOT_TSM);
	if (m.pdu.type != SNMP_PDU_RESPONSE && m.pdu.type != SNMP_PDU_REPORT)
		return drop(s, DROP_UNKNOWN_RESPONSE);
	if (ss->probing && m.msg_id == ss->probe_id) {
		discovered(ss, &m);
		dgram_free(d);
		return ADAPTER_CONSUMED;
	}
	c = creq_by_msg_id(ss, m.msg_id);
	if (c == NULL || c->waiting)
		return drop(s, DROP_UNKNOWN_RESPONSE);
	if (m.pdu.type == SNMP_PDU_REPORT)
		client_report(ss, c, &m);
	else
		creq_answer(ss, c, &m.pdu);
	dgram_free(d);
	return ADAPTER_CONSUMED;
}

/* The hooks ------------------------------------------------------------- */

static enum adapter_verdict snmp_from_dtls(struct adapter *a,
					   struct session *s, void *state,
					   struct dgram *d)
{
	struct snmp_session *ss = state;

	(void)a;
	(void)s;
	return ss->sr->server_side ? server_request(ss, d)
				   : client_response(ss, d);
}

static enum adapter_verdict snmp_to_dtls(struct adapter *a,
					 struct session *s, void *state,
					 struct dgram *d)
{
	struct snmp_session *ss = state;

	(void)a;
	(void)s;
	return ss->sr->server_side ? server_response(ss, d)
				   : client_request(ss, d);
}

static void snmp_opened(struct adapter *a, struct session *s, void *state)
{
	struct snmp_session *ss = state;

	ss->s = s;
	ss->sr = a->priv;
	ss->next_msg_id = 1;
}

static void snmp_closed(struct adapter *a, struct session *s, void *state)
{
	struct snmp_session *ss = state;

	(void)a;
	(void)s;
	free(ss->pending);
	ss->pending = NULL;
	for (unsigned int i = 0; ss->creqs != NULL && i < CREQ_MAX; i++)
		creq_free(&ss->creqs[i]);
	free(ss->creqs);
	ss->creqs = NULL;
}

static void snmp_finish(struct adapter *a)
{
	struct snmp_route *sr = a->priv;

	if (sr == NULL)
		return;
	for (size_t i = 0; i < sr->nmaps; i++) {
		if (sr->maps[i].community != NULL) {
			explicit_bzero(sr->maps[i].community,
				       strlen(sr->maps[i].community));
			free(sr->maps[i].community);
		}
	}
	free(sr->maps);
	free(sr->rules);
	free(sr);
	a->priv = NULL;
}

static int snmp_init(struct adapter *a, const struct route_config *cfg)
{
	struct snmp_route *sr = calloc(1, sizeof(*sr));

	if (sr == NULL)
		return -ENOMEM;
	a->priv = sr;
	sr->server_side = scheme_is_dtls(cfg->listen.scheme) &&
			  !scheme_is_dtls(cfg->forward.scheme);
	memcpy(sr->own_engine, OWN_ENGINE_PREFIX, 5);
	if (crypto_random(sr->own_engine + 5, OWN_ENGINE_LEN - 5) != 0) {
		snmp_finish(a);
		return -EIO;
	}
	if (cfg->nsnmp_rules > 0) {
		sr->rules = calloc(cfg->nsnmp_rules, sizeof(*sr->rules));
		if (sr->rules == NULL)
			goto nomem;
		memcpy(sr->rules, cfg->snmp_rules,
		       cfg->nsnmp_rules * sizeof(*sr->rules));
		sr->nrules = cfg->nsnmp_rules;
	}
	if (cfg->nsnmp_communities > 0) {
		sr->maps = calloc(cfg->nsnmp_communities, sizeof(*sr->maps));
		if (sr->maps == NULL)
			goto nomem;
		sr->nmaps = cfg->nsnmp_communities;
		for (size_t i = 0; i < sr->nmaps; i++) {
			sr->maps[i] = cfg->snmp_communities[i];
			sr->maps[i].community =
				strdup(cfg->snmp_communities[i].community);
			if (sr->maps[i].community == NULL)
				goto nomem;
		}
	}
	return 0;
nomem:
	snmp_finish(a);
	return -ENOMEM;
}

const struct adapter_ops adapter_snmp = {
	.name = "snmp",
	/* one DTLS session to the agent, every manager's (client side) */
	.flags = ADAPTER_F_PEER_CERT | ADAPTER_F_SHARED_UPSTREAM,
	.drop_names = drop_names,
	.ndrops = DROP_MAX,
	.state_size = sizeof(struct snmp_session),
	.init = snmp_init,
	.finish = snmp_finish,
	.from_dtls = snmp_from_dtls,
	.to_dtls = snmp_to_dtls,
	.opened = snmp_opened,
	.closed = snmp_closed,
};
