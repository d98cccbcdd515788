/*
 * gre-udp: GRE-in-UDP (RFC 8086), DTLS on 4755/udp, cleartext on 4754/udp.
 * mpls-udp: MPLS-in-UDP (RFC 7510), DTLS on 6636/udp, cleartext on 6635/udp.
 *
 * Two modes, chosen by the route:
 *
 * - Bridge (neither side is tun://): a router's GRE-in-UDP or MPLS-in-UDP
 *   payloads pass between the cleartext port and DTLS.  Each one, both
 *   ways, must be well formed (src/tunnel.c: GRE's C, K and S bits,
 *   version 0, a protocol type we know; a label stack down to its S bit
 *   and an IPv4 or IPv6 packet below it); what is not is dropped and
 *   counted by reason.
 *
 * Towards a router the gateway behaves as an RFC 8086 / RFC 7510
 * encapsulator (ADAPTER_F_PEER_HOST, ADAPTER_F_FLOW_PORTS, honoured by
 * src/route.c on a udp:// side, bridge and endpoint alike): a router is
 * its IP address, whatever source port it sends from (one session, one
 * DTLS session to the peer gateway); what the gateway sends it goes to
 * the profile's cleartext port (4754, 6635; reply-port= on the listen
 * URI) from one of flows= (16) source ports chosen by the hash of the
 * inner flow (section 3.2.1: each dgram's flow); a udp:// forward side
 * takes what the router sends on that same port of ours (local-port=).
 *
 * - Endpoint (one side is tun://): the gateway is the tunnel endpoint.  An
 *   IP packet read from the device gets a GRE header (protocol type
 *   0x0800 or 0x86DD; key, sequence number and checksum as the tun://
 *   URI's gre-key, gre-seq and gre-csum say) or the label stack of
 *   labels= (S on the last, the TTL of the inner packet), and goes out;
 *   what comes in is checked, stripped and written to the device (a GRE
 *   key must be the configured one, or absent when none is).  A packet
 *   larger than the path carries (tunnel_inner_mtu()) is answered with an
 *   ICMP "fragmentation needed" or ICMPv6 "packet too big" written back
 *   into the device, towards its sender.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dtlsgw/adapter.h"
#include "dtlsgw/config.h"
#include "dtlsgw/dgram.h"
#include "dtlsgw/log.h"
#include "dtlsgw/profile.h"
#include "dtlsgw/session.h"
#include "dtlsgw/tunnel.h"
#include "dtlsgw/worker.h"

struct tunnel_adapter {
	bool			 mpls;
	bool			 endpoint;	/* one side is tun:// */
	bool			 tun_listen;	/* the device is the listening side */
	bool			 listen_dtls;
	unsigned int		 inner_mtu;	/* the largest packet that crosses whole */
	struct tunnel_conf	 tc;
};

/* Per session. */
struct tunnel_state {
	uint32_t		 seq;		/* the next GRE sequence number */
};

static enum adapter_verdict refuse(struct session *s, enum tunnel_error e)
{
	session_adapter_drop(s, (unsigned int)e);
	return ADAPTER_DROP;
}

/* An IP packet from the device: encapsulate it, or answer "too big". */
static enum adapter_verdict encapsulate(const struct tunnel_adapter *t,
					struct session *s,
					struct tunnel_state *st,
					struct dgram *d, bool up)
{
	enum tunnel_error e;
	size_t iplen, hl;
	int version;

	e = tunnel_ip_check(d->data, d->len, &iplen, &version);
	if (e != TUNNEL_OK)
		return refuse(s, e);
	d->len = iplen;
	d->flow = tunnel_flow_hash(d->data, d->len);
	if (iplen > t->inner_mtu) {
		struct dgram *icmp = dgram_alloc(worker_pool(session_worker(s)));

		if (icmp != NULL) {
			icmp->len = tunnel_icmp_too_big(d->data, d->len,
							t->inner_mtu,
							icmp->data, DGRAM_CAP);
			if (icmp->len == 0)
				dgram_free(icmp);
			else if (up)	/* the device listens: back down */
				session_send_down(s, icmp);
			else
				session_send_up(s, icmp);
		}
		return refuse(s, TUNNEL_ERR_TOO_BIG);
	}
	hl = tunnel_encap_len(&t->tc);
	if ((size_t)(d->data - d->buf) < hl)
		return refuse(s, TUNNEL_ERR_SHORT);	/* no headroom: never */
	d->data -= hl;
	d->len += hl;
	if (t->mpls) {
		mpls_encode(d->data, t->tc.labels, t->tc.nlabels,
			    tunnel_ip_ttl(d->data + hl, d->len - hl));
	} else {
		struct gre_hdr h = t->tc.gre;

		h.proto = version == 4 ? GRE_PROTO_IPV4 : GRE_PROTO_IPV6;
		if (h.seq_present)
			h.seq = st->seq++;
		gre_encode(d->data, d->len, &h);
	}
	return ADAPTER_PASS;
}

/* An encapsulated packet for the device: check it and strip it to IP. */
static enum adapter_verdict decapsulate(const struct tunnel_adapter *t,
					struct session *s, struct dgram *d)
{
	enum tunnel_error e;
	size_t hl, iplen, depth;
	int version;

	if (t->mpls) {
		e = mpls_decode(d->data, d->len, &hl, &depth);
	} else {
		struct gre_hdr h;

		e = gre_decode(d->data, d->len, &h, &hl);
		if (e == TUNNEL_OK && h.proto != GRE_PROTO_IPV4 &&
		    h.proto != GRE_PROTO_IPV6)
			e = TUNNEL_ERR_GRE_PROTOCOL;	/* a TUN carries IP */
		if (e == TUNNEL_OK &&
		    (h.key_present != t->tc.gre.key_present ||
		     h.key != t->tc.gre.key))
			e = TUNNEL_ERR_GRE_KEY;
	}
	if (e != TUNNEL_OK)
		return refuse(s, e);
	d->data += hl;
	d->len -= hl;
	/* checked by the decoder: this gives its length, without padding */
	tunnel_ip_check(d->data, d->len, &iplen, &version);
	d->len = iplen;
	return ADAPTER_PASS;
}

/*
 * Bridge mode: the payload must be well formed, whichever way it goes;
 * the flow of what it carries gives the source port towards a router.
 */
static enum adapter_verdict check(const struct tunnel_adapter *t,
				  struct session *s, struct dgram *d)
{
	struct gre_hdr h;
	size_t hl, depth;
	enum tunnel_error e = t->mpls ? mpls_decode(d->data, d->len, &hl,
						    &depth)
				      : gre_decode(d->data, d->len, &h, &hl);

	if (e != TUNNEL_OK)
		return refuse(s, e);
	d->flow = tunnel_flow_hash(d->data + hl, d->len - hl);
	return ADAPTER_PASS;
}

static enum adapter_verdict hook(struct adapter *a, struct session *s,
				 void *state, struct dgram *d, bool into_dtls)
{
	const struct tunnel_adapter *t = a->priv;
	struct tunnel_state *st = state;
	/* listening side to forwarding side (src/route.c's adapt()) */
	bool up = into_dtls != t->listen_dtls;

	if (t->endpoint) {
		if (up == t->tun_listen)
			return encapsulate(t, s, st, d, up);
		return decapsulate(t, s, d);
	}
	return check(t, s, d);
}

static enum adapter_verdict to_dtls(struct adapter *a, struct session *s,
				    void *state, struct dgram *d)
{
	return hook(a, s, state, d, true);
}

static enum adapter_verdict from_dtls(struct adapter *a, struct session *s,
				      void *state, struct dgram *d)
{
	return hook(a, s, state, d, false);
}

/*
 * The ports of a udp:// side towards a router: reply-port= (listen),
 * local-port= (forward), flows= (either, else the tun:// URI's flows),
 * the profile's cleartext port by default.  config.c checked them.
 */
static void router_ports(struct adapter *a, const struct route_config *cfg,
			 unsigned int flows)
{
	uint16_t port = cfg->profile != NULL ? cfg->profile->clear_port : 0;
	unsigned long n;

	endpoint_param_uint(&cfg->listen, "reply-port", 1, 65535, port, &n);
	a->reply_port = (uint16_t)n;
	endpoint_param_uint(&cfg->forward, "local-port", 1, 65535, port, &n);
	a->flow_port = (uint16_t)n;
	endpoint_param_uint(&cfg->listen, "flows", 1, 1024, flows, &n);
	a->listen_flows = (unsigned int)n;
	endpoint_param_uint(&cfg->forward, "flows", 1, 1024, flows, &n);
	a->fwd_flows = (unsigned int)n;
}

static int init(struct adapter *a, const struct route_config *cfg)
{
	struct tunnel_adapter *t;
	const struct endpoint *tun = NULL, *outer = NULL;
	char msg[256];

	if (cfg->listen.scheme == SCHEME_TUN &&
	    cfg->forward.scheme == SCHEME_TUN) {
		log_errx("route %s: tun:// on both sides: one side carries the "
			 "tunnel", cfg->name);
		return -EINVAL;
	}
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return -ENOMEM;
	t->mpls = a->ops == &adapter_mpls_udp;
	t->listen_dtls = scheme_is_dtls(cfg->listen.scheme);
	if (cfg->listen.scheme == SCHEME_TUN) {
		tun = &cfg->listen;
		outer = &cfg->forward;
		t->tun_listen = true;
	} else if (cfg->forward.scheme == SCHEME_TUN) {
		tun = &cfg->forward;
		outer = &cfg->listen;
	}
	if (tun != NULL) {
		t->endpoint = true;
		if (tunnel_conf_parse(tun, outer, &t->tc, msg,
				      sizeof(msg)) != 0) {
			log_errx("route %s: %s", cfg->name, msg);
			goto fail;
		}
		if (t->mpls != (t->tc.nlabels > 0)) {
			log_errx("route %s: %s", cfg->name,
				 t->mpls ? "mpls-udp needs the label stack: "
					   "tun://...?labels=100,200" :
					   "labels= is for mpls-udp");
			goto fail;
		}
		t->inner_mtu = tunnel_inner_mtu(&t->tc);
	}
	router_ports(a, cfg, tun != NULL ? t->tc.flows : TUNNEL_DEFAULT_FLOWS);
	a->priv = t;
	return 0;
fail:
	free(t);
	return -EINVAL;
}

static void finish(struct adapter *a)
{
	free(a->priv);
	a->priv = NULL;
}

/* The two profiles differ by name only: init() tells them apart. */
#define TUNNEL_ADAPTER(profile)                                               \
	{                                                                     \
		.name = profile,                                              \
		.flags = ADAPTER_F_PEER_HOST | ADAPTER_F_FLOW_PORTS,           \
		.drop_names = tunnel_error_names,                             \
		.ndrops = TUNNEL_ERR_MAX,                                     \
		.state_size = sizeof(struct tunnel_state),                    \
		.init = init,                                                 \
		.finish = finish,                                             \
		.from_dtls = from_dtls,                                       \
		.to_dtls = to_dtls,                                           \
	}

const struct adapter_ops adapter_gre_udp = TUNNEL_ADAPTER("gre-udp");
const struct adapter_ops adapter_mpls_udp = TUNNEL_ADAPTER("mpls-udp");
