/*
 * stun: STUN and TURN over DTLS (RFC 7350; STUN RFC 8489, TURN RFC 8656).
 *
 * Protected: 5349/udp.  Cleartext: 3478/udp.
 *
 * Every datagram, either way, must be one whole STUN message or one
 * ChannelData message (src/stun.c); anything else is dropped and counted.
 *
 * Server side (DTLS listening, cleartext forwarding): the TURN server
 * behind sees the gateway's address and the per-session port, never the
 * client's.  So a Binding request is answered here, with the DTLS peer's
 * own address in XOR-MAPPED-ADDRESS, SOFTWARE and FINGERPRINT (a request
 * with comprehension-required attributes we do not know gets 420 with
 * UNKNOWN-ATTRIBUTES, RFC 8489 6.3.1.1).  Everything else (Allocate,
 * Refresh, CreatePermission, ChannelBind, Send and Data indications,
 * ChannelData) passes to the TURN server and back unchanged: its
 * MESSAGE-INTEGRITY covers the bytes, so nothing can be rewritten.
 *
 * Client side (cleartext listening, DTLS forwarding): each local client
 * has a DTLS session of its own (TURN's 5-tuple is per client), and
 * everything passes, Binding included: the far gateway answers it with the
 * address it sees.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "dtlsgw-config.h"
#include "dtlsgw/adapter.h"
#include "dtlsgw/config.h"
#include "dtlsgw/dgram.h"
#include "dtlsgw/log.h"
#include "dtlsgw/session.h"
#include "dtlsgw/stun.h"
#include "dtlsgw/worker.h"

#define SOFTWARE	"dtlsgw " DTLSGW_VERSION

struct stun_route {
	bool	answer_binding;		/* server side: DTLS in, cleartext out */
};

/* Check d as STUN or ChannelData; m is filled for STUN. */
static bool check(struct session *s, const struct dgram *d,
		  struct stun_msg *m, bool *is_msg)
{
	enum stun_error e;
	uint16_t ch;
	size_t n;

	memset(m, 0, sizeof(*m));
	*is_msg = false;
	switch (stun_classify(d->data, d->len)) {
	case STUN_KIND_MESSAGE:
		e = stun_parse(d->data, d->len, m);
		*is_msg = true;
		break;
	case STUN_KIND_CHANNEL_DATA:
		e = stun_channel_data_check(d->data, d->len, &ch, &n);
		break;
	default:
		e = STUN_ERR_NOT_STUN;
		break;
	}
	if (e == STUN_OK)
		return true;
	if (log_enabled(LOG_LEVEL_DEBUG)) {
		char nm[160];

		log_debug("%s: %s: %zu bytes dropped: %s", __func__,
			  session_name(s, nm, sizeof(nm)), d->len,
			  stun_error_name(e));
	}
	session_adapter_drop(s, (unsigned int)e);
	return false;
}

/*
 * The answer to a Binding request: the peer's address as the gateway sees
 * it, or 420 for attributes it must understand and does not.
 */
static size_t binding_answer(uint8_t *out, size_t cap, const uint8_t *req,
			     const struct stun_msg *m,
			     const struct sockaddr *peer)
{
	struct stun_writer w;

	if (m->nunknown > 0) {
		uint8_t list[2 * STUN_MAX_UNKNOWN];

		for (size_t i = 0; i < m->nunknown; i++) {
			list[2 * i] = (uint8_t)(m->unknown[i] >> 8);
			list[2 * i + 1] = (uint8_t)m->unknown[i];
		}
		stun_writer_start(&w, out, cap,
				  stun_type(STUN_BINDING, STUN_ERROR),
				  req + 8);
		stun_writer_error_code(&w, 420, "Unknown Attribute");
		stun_writer_attr(&w, STUN_ATTR_UNKNOWN_ATTRIBUTES, list,
				 2 * m->nunknown);
	} else {
		stun_writer_start(&w, out, cap,
				  stun_type(STUN_BINDING, STUN_SUCCESS),
				  req + 8);
		stun_writer_xor_address(&w, STUN_ATTR_XOR_MAPPED_ADDRESS,
					peer);
	}
	stun_writer_attr(&w, STUN_ATTR_SOFTWARE, SOFTWARE,
			 sizeof(SOFTWARE) - 1);
	return stun_writer_finish(&w, true);
}

/* Answer the Binding request d (owned) from the DTLS peer of s. */
static enum adapter_verdict answer_binding(struct session *s,
					   struct dgram *d,
					   const struct stun_msg *m)
{
	const struct sockaddr *peer = (const struct sockaddr *)&s->peer;
	struct dgram *reply = dgram_alloc(worker_pool(session_worker(s)));
	size_t n;

	if (reply == NULL)
		return ADAPTER_DROP;
	n = binding_answer(reply->data, dgram_tailroom(reply), d->data, m,
			   peer);
	if (n == 0) {
		dgram_free(reply);
		session_adapter_drop(s, STUN_ERR_NO_SPACE);
		return ADAPTER_DROP;
	}
	reply->len = n;
	if (log_enabled(LOG_LEVEL_DEBUG)) {
		char nm[160], a[ADDR_STRLEN];

		log_debug("%s: %s: Binding request answered: %s", __func__,
			  session_name(s, nm, sizeof(nm)),
			  m->nunknown > 0 ? "420 Unknown Attribute" :
					    addr_str(peer, a));
	}
	dgram_free(d);
	session_send_down(s, reply);
	return ADAPTER_CONSUMED;
}

static enum adapter_verdict stun_from_dtls(struct adapter *a,
					   struct session *s, void *state,
					   struct dgram *d)
{
	const struct stun_route *sr = a->priv;
	struct stun_msg m;
	bool is_msg;

	(void)state;
	if (!check(s, d, &m, &is_msg))
		return ADAPTER_DROP;
	if (sr->answer_binding && is_msg && m.method == STUN_BINDING &&
	    m.cls == STUN_REQUEST)
		return answer_binding(s, d, &m);
	return ADAPTER_PASS;
}

static enum adapter_verdict stun_to_dtls(struct adapter *a,
					 struct session *s, void *state,
					 struct dgram *d)
{
	struct stun_msg m;
	bool is_msg;

	(void)a;
	(void)state;
	return check(s, d, &m, &is_msg) ? ADAPTER_PASS : ADAPTER_DROP;
}

static int stun_init(struct adapter *a, const struct route_config *cfg)
{
	struct stun_route *sr = calloc(1, sizeof(*sr));

	if (sr == NULL)
		return -ENOMEM;
	sr->answer_binding = scheme_is_dtls(cfg->listen.scheme) &&
			     !scheme_is_dtls(cfg->forward.scheme);
	a->priv = sr;
	return 0;
}

static void stun_finish(struct adapter *a)
{
	free(a->priv);
	a->priv = NULL;
}

const struct adapter_ops adapter_stun = {
	.name = "stun",
	.drop_names = stun_error_names,	/* by stun_error */
	.ndrops = STUN_ERR_MAX,
	.init = stun_init,
	.finish = stun_finish,
	.from_dtls = stun_from_dtls,
	.to_dtls = stun_to_dtls,
};
