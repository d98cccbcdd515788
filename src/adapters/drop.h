/*
 * For the adapters of src/adapters/: count a drop for an adapter's reason
 * and say so at debug, naming the session (route and peer address).
 */
#ifndef DTLSGW_ADAPTERS_DROP_H
#define DTLSGW_ADAPTERS_DROP_H

#include "dtlsgw/adapter.h"
#include "dtlsgw/dgram.h"
#include "dtlsgw/log.h"
#include "dtlsgw/session.h"

/* Count reason (an index into names) for d, what the adapter calls it. */
static inline enum adapter_verdict adapter_drop(struct session *s,
						const struct dgram *d,
						unsigned int reason,
						const char *const *names,
						const char *what)
{
	char n[160];

	session_adapter_drop(s, reason);
	if (log_enabled(LOG_LEVEL_DEBUG))
		log_debug("adapter_drop: %s: %zu-byte %s dropped: %s",
			  session_name(s, n, sizeof(n)), d->len, what,
			  names[reason]);
	return ADAPTER_DROP;
}

#endif
