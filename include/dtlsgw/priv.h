/*
 * Privileges: once every listener is bound, chroot (chroot = DIR) and drop
 * to an unprivileged user and its groups (user = NAME), keeping only the
 * capabilities the routes need at run time:
 *
 *   CAP_NET_RAW    a route with a raw carrier (sctp or dccp ?encap=raw):
 *                  the forwarding side opens its raw socket per session
 *   CAP_NET_ADMIN  a route forwarding to tun://: the device is created per
 *                  session (TUNSETIFF and netlink addresses)
 *
 * Nothing else is kept, not even CAP_NET_BIND_SERVICE: a reload that needs
 * a new privileged bind is refused (priv_route_check()).  The drop runs
 * before any worker thread exists, since capabilities are per thread.
 */
#ifndef DTLSGW_PRIV_H
#define DTLSGW_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "dtlsgw/config.h"

#define PRIV_NET_RAW	0x1u
#define PRIV_NET_ADMIN	0x2u

struct priv_plan {
	char		*user;		/* NULL: stay who we are */
	char		*root;		/* NULL: no chroot */
	uid_t		 uid;
	gid_t		 gid;
	gid_t		*groups;	/* the user's supplementary groups */
	size_t		 ngroups;
	unsigned int	 keep;		/* PRIV_NET_* */
	unsigned int	 port_start;	/* ip_unprivileged_port_start */
	bool		 dropped;	/* priv_drop() switched the user */
};

/* The PRIV_NET_* capabilities route rc needs at run time. */
unsigned int priv_route_needs(const struct route_config *rc);

/*
 * Everything the drop needs from files that the chroot hides: the user's
 * ids and groups (/etc/passwd, /etc/group) and the sysctl of privileged
 * ports.  Returns 0, or a negative error with *err naming the file (or
 * the command line) and key: a configuration error (exit 2).
 */
int priv_plan_init(struct priv_plan *p, const struct config *cfg,
		   struct config_error *err);
void priv_plan_finish(struct priv_plan *p);

/*
 * chroot (when set), then setgroups/setgid/setuid (when a user is set),
 * keep p->keep, and check that root cannot be regained.  Call from the
 * only thread.  Returns 0, or a negative errno with a message in err (the
 * caller exits: half dropped is not a state to run in).
 */
int priv_drop(struct priv_plan *p, char *err, size_t errlen);

/*
 * After priv_drop(): whether route rc could start now (its listening port
 * and its capabilities).  0, or -EPERM with a message in err naming the
 * route, the port or capability, and the user.
 */
int priv_route_check(const struct priv_plan *p, const struct route_config *rc,
		     char *err, size_t errlen);

#endif
