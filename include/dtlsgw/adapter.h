/*
 * Adapters: protocol awareness, one file per profile in src/adapters/.
 * Hooks see each cleartext message on its way between the DTLS side and
 * the cleartext side.  raw.c is the reference adapter: every hook NULL.
 */
#ifndef DTLSGW_ADAPTER_H
#define DTLSGW_ADAPTER_H

#include <stddef.h>

struct dgram;
struct route_config;
struct session;

struct adapter {
	const struct adapter_ops	*ops;
	void				*priv;	/* the adapter's per-route state */
};

enum adapter_verdict {
	ADAPTER_PASS = 0,	/* send the (possibly rewritten) message on */
	ADAPTER_CONSUMED,	/* the hook took the dgram (answered it, queued it) */
	ADAPTER_DROP,		/* drop it; the caller frees and counts */
};

struct adapter_ops {
	const char	*name;		/* "radius" */
	size_t		 state_size;	/* per-session state, allocated by the session table */
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
};

extern const struct adapter_ops adapter_raw;

#endif
