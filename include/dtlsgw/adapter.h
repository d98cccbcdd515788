/*
 * Adapters: protocol awareness, one file per profile in src/adapters/.
 * Hooks see each cleartext message on its way between the DTLS side and
 * the cleartext side.  raw.c is the reference adapter: every hook NULL.
 */
#ifndef DTLSGW_ADAPTER_H
#define DTLSGW_ADAPTER_H

#include <stddef.h>
#include <stdint.h>

struct dgram;
struct transport_framing;
struct route_config;
struct session;

struct adapter {
	const struct adapter_ops	*ops;
	void				*priv;	/* the adapter's per-route state */
	/* What init() sets for ADAPTER_F_PEER_HOST and _FLOW_PORTS. */
	uint16_t			 reply_port;	/* the peer's, replies go to */
	uint16_t			 flow_port;	/* ours, the forward host sends to */
	unsigned int			 listen_flows;	/* source ports towards a peer */
	unsigned int			 fwd_flows;	/* source ports towards the forward host */
};

enum adapter_verdict {
	ADAPTER_PASS = 0,	/* send the (possibly rewritten) message on */
	ADAPTER_CONSUMED,	/* the hook took the dgram (answered it, queued it) */
	ADAPTER_DROP,		/* drop it; the caller frees and counts */
};

/*
 * On a route from a cleartext listening side to a DTLS forwarding side,
 * every cleartext peer shares one session (one DTLS session upstream); the
 * adapter addresses each message going back (d->peer, and d->local for the
 * listening socket to send from).
 */
#define ADAPTER_F_SHARED_UPSTREAM	(1u << 0)
/*
 * The forwarding flow reaches several ports of the forward host: the
 * adapter sets d->port_hint on what it sends forward, and replies are taken
 * from any port of that host.
 */
#define ADAPTER_F_FORWARD_PORTS		(1u << 1)

/*
 * The adapter reads the DTLS peer's certificate (session_peer_cert()):
 * the listening side's engine keeps the verified chain of each session.
 */
#define ADAPTER_F_PEER_CERT		(1u << 2)

/*
 * A cleartext udp:// listening side talks to hosts that send from many
 * source ports and listen on one (RFC 8086 routers): a peer is its IP
 * address (one session whatever the source port), and what goes back to
 * it goes to a->reply_port on that address, from a->listen_flows source
 * ports (a dgram's flow picks one).  The route runs on one worker.
 */
#define ADAPTER_F_PEER_HOST		(1u << 3)
/*
 * A cleartext udp:// forwarding side sends from a->fwd_flows source ports
 * (a dgram's flow picks one) and takes what the forward host sends, from
 * any of its ports, on our port a->flow_port.
 */
#define ADAPTER_F_FLOW_PORTS		(1u << 4)

/* Drop reasons an adapter may count (session_adapter_drop()). */
#define ADAPTER_MAX_DROPS		24

struct adapter_ops {
	const char	*name;		/* "radius" */
	unsigned int	 flags;		/* ADAPTER_F_* */
	const char *const *drop_names;	/* its drop reasons, for the counters */
	unsigned int	 ndrops;	/* at most ADAPTER_MAX_DROPS */
	size_t		 state_size;	/* per-session state, allocated by the session table */
	/* Its SCTP payload protocol identifiers, cleartext and in DTLS. */
	uint32_t	 sctp_ppid;
	uint32_t	 sctp_ppid_dtls;
	/* How its messages are cut out of a TCP stream; NULL: no TCP. */
	const struct transport_framing *framing;
	/* Per-route setup; 0 or a negative error (the route does not start). */
	int	(*init)(struct adapter *a, const struct route_config *cfg);
	void	(*finish)(struct adapter *a);
	/* A message that came off the DTLS side, heading for the cleartext side. */
	enum adapter_verdict (*from_dtls)(struct adapter *a, struct session *s,
					  void *state, struct dgram *d);
	/* A message from the cleartext side, heading into DTLS. */
	enum adapter_verdict (*to_dtls)(struct adapter *a, struct session *s,
					void *state, struct dgram *d);
	/* The session is going away. */
	void	(*closed)(struct adapter *a, struct session *s, void *state);
	/* A new session: start what it needs (timers). */
	void	(*opened)(struct adapter *a, struct session *s, void *state);
	/*
	 * More ports to listen on, when the listening side is cleartext
	 * (e.g. accounting next to authentication); returns how many of max
	 * it wrote.  May be NULL.
	 */
	size_t	(*listen_ports)(const struct adapter *a,
				const struct route_config *cfg,
				uint16_t *ports, size_t max);
};

extern const struct adapter_ops adapter_raw;
extern const struct adapter_ops adapter_radius;
extern const struct adapter_ops adapter_diameter;
extern const struct adapter_ops adapter_snmp;
extern const struct adapter_ops adapter_stun;
extern const struct adapter_ops adapter_gre_udp;
extern const struct adapter_ops adapter_mpls_udp;
extern const struct adapter_ops adapter_sip;
extern const struct adapter_ops adapter_syslog;
extern const struct adapter_ops adapter_dns;

#endif
