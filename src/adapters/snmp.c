/*
 * snmp: SNMP over DTLS with the Transport Security Model (RFC 6353,
 * RFC 5591), in front of an agent that speaks SNMPv2c.
 *
 * Protected: 10161/udp (10162/udp for notifications: not yet).
 * Cleartext: 161/udp (162/udp).
 *
 * An agent drops a TSM message that did not come over a secure transport
 * (net-snmp: "tsm: improper transport data"), so relaying the bytes is no
 * use: the profile translates, as the radius profile re-signs.
 *
 * Server side (DTLS listening, cleartext forwarding): the peer's verified
 * certificate gives a security name (certToSecurityName, RFC 6353 section
 * 5.1: --cert-sec-name rows), the name a community (--snmp-community).
 * Each SNMPv3/TSM request (Get, GetNext, GetBulk, Set) goes to the agent
 * as SNMPv2c with that community and the same PDU; the agent's Response
 * comes back as SNMPv3/TSM with the request's msgID, msgMaxSize, security
 * level (reportable cleared, RFC 3412 section 7.1), contextEngineID and
 * contextName.  The RFC 5343 probe that net-snmp sends first (a Get of
 * snmpEngineID.0 with the localEngineID as contextEngineID) is a request
 * like the others: the agent's answer carries its engine ID.
 *
 * A peer whose certificate maps to no name, or whose name has no
 * community, gets no answer: a drop counted, and a warning naming it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dtlsgw/adapter.h"
#include "dtlsgw/config.h"
#include "dtlsgw/dgram.h"
#include "dtlsgw/dtls.h"
#include "dtlsgw/log.h"
#include "dtlsgw/session.h"
#include "dtlsgw/snmp.h"
#include "dtlsgw/snmp_tsm.h"
#include "dtlsgw/worker.h"

/* Requests waiting for the agent, per session; the oldest is reused. */
#define PENDING_MAX		32
/* vacmContextName (RFC 3415): SnmpAdminString (SIZE(0..32)) */
#define CONTEXT_NAME_MAX	32

enum snmp_drop {
	DROP_INVALID = 0,	/* the codec refused it */
	DROP_NOT_TSM,		/* not SNMPv3 with the Transport Security Model */
	DROP_UNMAPPED,		/* the certificate maps to no security name */
	DROP_NO_COMMUNITY,	/* the security name has no community */
	DROP_NOT_REQUEST,	/* not Get, GetNext, GetBulk or Set */
	DROP_CONTEXT_NAME,	/* a contextName no VACM table can hold */
	DROP_UNKNOWN_RESPONSE,	/* the agent answered nothing we asked */
	DROP_TOO_BIG,		/* the translation does not fit */
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
};

/* The per-route settings, read-only once the route is set up. */
struct snmp_route {
	bool				 server_side;
	struct snmp_tsm_rule		*rules;
	size_t				 nrules;
	struct snmp_community_map	*maps;	/* communities are copies */
	size_t				 nmaps;
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

struct snmp_session {
	struct session			*s;
	const struct snmp_route		*sr;
	enum map_state			 state;
	enum snmp_drop			 why;	/* MAP_NONE: the reason */
	const struct snmp_community_map	*map;
	struct pending			*pending;	/* PENDING_MAX, when used */
	unsigned int			 next;
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
	if (!snmp_pdu_is_request(m.pdu.type))
		return drop(s, DROP_NOT_REQUEST);
	if (m.context_name.len > CONTEXT_NAME_MAX)
		return drop(s, DROP_CONTEXT_NAME);
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

/* The hooks ------------------------------------------------------------- */

static enum adapter_verdict snmp_from_dtls(struct adapter *a,
					   struct session *s, void *state,
					   struct dgram *d)
{
	struct snmp_session *ss = state;

	(void)a;
	(void)s;
	if (!ss->sr->server_side)
		return ADAPTER_PASS;
	return server_request(ss, d);
}

static enum adapter_verdict snmp_to_dtls(struct adapter *a,
					 struct session *s, void *state,
					 struct dgram *d)
{
	struct snmp_session *ss = state;

	(void)a;
	(void)s;
	if (!ss->sr->server_side)
		return ADAPTER_PASS;
	return server_response(ss, d);
}

static void snmp_opened(struct adapter *a, struct session *s, void *state)
{
	struct snmp_session *ss = state;

	ss->s = s;
	ss->sr = a->priv;
}

static void snmp_closed(struct adapter *a, struct session *s, void *state)
{
	struct snmp_session *ss = state;

	(void)a;
	(void)s;
	free(ss->pending);
	ss->pending = NULL;
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
	.flags = ADAPTER_F_PEER_CERT,
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
