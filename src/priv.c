/*
 * Privileges: chroot, then the user and its groups, then the capabilities
 * the routes need (see dtlsgw/priv.h).
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "dtlsgw/log.h"
#include "dtlsgw/priv.h"

#define PORT_START_SYSCTL	"/proc/sys/net/ipv4/ip_unprivileged_port_start"
#define PORT_START_DEFAULT	1024u
/* what wolfSSL reads for every random seed (no getrandom() in Debian's) */
#define URANDOM			"/dev/urandom"

static bool is_raw(const struct endpoint *ep)
{
	const char *encap = endpoint_param(ep, "encap");

	return (ep->scheme == SCHEME_SCTP || ep->scheme == SCHEME_DTLS_SCTP ||
		ep->scheme == SCHEME_DCCP || ep->scheme == SCHEME_DTLS_DCCP) &&
	       encap != NULL && strcmp(encap, "raw") == 0;
}

unsigned int priv_route_needs(const struct route_config *rc)
{
	unsigned int need = 0;

	if (is_raw(&rc->listen) || is_raw(&rc->forward))
		need |= PRIV_NET_RAW;
	if (rc->forward.scheme == SCHEME_TUN)
		need |= PRIV_NET_ADMIN;
	return need;
}

static unsigned int read_port_start(void)
{
	FILE *f = fopen(PORT_START_SYSCTL, "re");
	unsigned int v = PORT_START_DEFAULT;

	if (f == NULL)
		return v;
	if (fscanf(f, "%u", &v) != 1)
		v = PORT_START_DEFAULT;
	fclose(f);
	return v;
}

/* Name the configuration file (or the command line) and key in *err. */
static int plan_error(struct config_error *err, const struct config *cfg,
		      const char *key, int ret)
{
	snprintf(err->where, sizeof(err->where), "%s",
		 cfg->file != NULL ? cfg->file : "command line");
	snprintf(err->key, sizeof(err->key), "%s", key);
	return ret;
}

int priv_plan_init(struct priv_plan *p, const struct config *cfg,
		   struct config_error *cerr)
{
	char *err = cerr->msg;
	size_t errlen = sizeof(cerr->msg);
	struct passwd *pw;
	int n = 0;

	memset(p, 0, sizeof(*p));
	p->port_start = read_port_start();
	for (size_t i = 0; i < cfg->nroutes; i++)
		p->keep |= priv_route_needs(&cfg->routes[i]);
	if (cfg->chroot != NULL) {
		char dev[4096];

		p->root = strdup(cfg->chroot);
		if (p->root == NULL)
			goto nomem;
		snprintf(dev, sizeof(dev), "%s%s", cfg->chroot, URANDOM);
		if (access(dev, R_OK) != 0) {
			snprintf(err, errlen, "%.150s is missing (the DTLS "
				 "library reads it for every handshake): "
				 "mknod -m 444 %.150s c 1 9", dev, dev);
			return plan_error(cerr, cfg, "chroot", -ENOENT);
		}
	}
	if (cfg->user == NULL)
		return 0;
	errno = 0;
	pw = getpwnam(cfg->user);
	if (pw == NULL) {
		snprintf(err, errlen, "no such user '%s'", cfg->user);
		return plan_error(cerr, cfg, "user", -ENOENT);
	}
	p->uid = pw->pw_uid;
	p->gid = pw->pw_gid;
	p->user = strdup(cfg->user);
	if (p->user == NULL)
		goto nomem;
	getgrouplist(cfg->user, p->gid, NULL, &n);
	if (n < 1)
		n = 1;
	p->groups = calloc((size_t)n, sizeof(gid_t));
	if (p->groups == NULL)
		goto nomem;
	if (getgrouplist(cfg->user, p->gid, p->groups, &n) == -1) {
		snprintf(err, errlen, "cannot list the groups of '%s'",
			 cfg->user);
		return plan_error(cerr, cfg, "user", -EINVAL);
	}
	p->ngroups = (size_t)n;
	return 0;
nomem:
	snprintf(err, errlen, "out of memory");
	return plan_error(cerr, cfg, "", -ENOMEM);
}

void priv_plan_finish(struct priv_plan *p)
{
	free(p->user);
	free(p->root);
	free(p->groups);
	memset(p, 0, sizeof(*p));
}

static const char *keep_names(unsigned int keep)
{
	switch (keep & (PRIV_NET_RAW | PRIV_NET_ADMIN)) {
	case PRIV_NET_RAW:
		return "CAP_NET_RAW";
	case PRIV_NET_ADMIN:
		return "CAP_NET_ADMIN";
	case PRIV_NET_RAW | PRIV_NET_ADMIN:
		return "CAP_NET_RAW and CAP_NET_ADMIN";
	default:
		return "no capability";
	}
}

/* Only what keep says, in the permitted and effective sets. */
static int set_caps(unsigned int keep)
{
	cap_value_t v[2];
	int n = 0, ret = 0;
	cap_t caps = cap_init();

	if (caps == NULL)
		return -errno;
	if (keep & PRIV_NET_RAW)
		v[n++] = CAP_NET_RAW;
	if (keep & PRIV_NET_ADMIN)
		v[n++] = CAP_NET_ADMIN;
	if ((n > 0 && (cap_set_flag(caps, CAP_PERMITTED, n, v, CAP_SET) != 0 ||
		       cap_set_flag(caps, CAP_EFFECTIVE, n, v, CAP_SET) != 0)) ||
	    cap_set_proc(caps) != 0)
		ret = -errno;
	cap_free(caps);
	return ret;
}

/* The bounding set down to keep: what an exec could regain (best effort). */
static void drop_bounding(unsigned int keep)
{
	for (cap_value_t c = 0; c <= CAP_LAST_CAP; c++) {
		if ((c == CAP_NET_RAW && (keep & PRIV_NET_RAW)) ||
		    (c == CAP_NET_ADMIN && (keep & PRIV_NET_ADMIN)))
			continue;
		if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) == 1)
			prctl(PR_CAPBSET_DROP, c, 0, 0, 0);
	}
}

/* Root is gone for good: no id of ours is 0, and setuid(0) fails. */
static int check_dropped(const struct priv_plan *p, char *err, size_t errlen)
{
	uid_t r, e, s;
	gid_t rg, eg, sg;

	if (getresuid(&r, &e, &s) != 0 || getresgid(&rg, &eg, &sg) != 0 ||
	    r != p->uid || e != p->uid || s != p->uid || rg != p->gid ||
	    eg != p->gid || sg != p->gid) {
		snprintf(err, errlen, "user %s: the ids did not change",
			 p->user);
		return -EPERM;
	}
	if (p->uid != 0 && (setuid(0) != -1 || seteuid(0) != -1)) {
		snprintf(err, errlen, "user %s: root could be regained",
			 p->user);
		return -EPERM;
	}
	return 0;
}

int priv_drop(struct priv_plan *p, char *err, size_t errlen)
{
	int ret;

	if (p->root != NULL) {
		if (chroot(p->root) != 0 || chdir("/") != 0) {
			ret = -errno;
			snprintf(err, errlen, "chroot %s: %s", p->root,
				 strerror(errno));
			return ret;
		}
		log_info("chroot %s: files named in a reload are read inside "
			 "it", p->root);
	}
	if (p->user == NULL)
		return 0;
	if (geteuid() != 0) {
		if (getuid() == p->uid && geteuid() == p->uid)
			return 0;	/* already that user */
		snprintf(err, errlen, "user %s: not running as root, cannot "
			 "switch", p->user);
		return -EPERM;
	}
	drop_bounding(p->keep);
	if (p->keep != 0 && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0)
		goto fail;
	if (setgroups(p->ngroups, p->groups) != 0 ||
	    setresgid(p->gid, p->gid, p->gid) != 0 ||
	    setresuid(p->uid, p->uid, p->uid) != 0)
		goto fail;
	ret = set_caps(p->keep);
	if (ret != 0) {
		snprintf(err, errlen, "user %s: cannot keep %s: %s", p->user,
			 keep_names(p->keep), strerror(-ret));
		return ret;
	}
	prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	ret = check_dropped(p, err, errlen);
	if (ret != 0)
		return ret;
	p->dropped = true;
	log_info("running as user %s (uid %lu, gid %lu), keeping %s",
		 p->user, (unsigned long)p->uid, (unsigned long)p->gid,
		 keep_names(p->keep));
	return 0;
fail:
	ret = -errno;
	snprintf(err, errlen, "user %s: %s", p->user, strerror(errno));
	return ret;
}

/* The port the route's listening side binds in the kernel; 0: none. */
static unsigned int bound_port(const struct endpoint *ep)
{
	unsigned long port;

	switch (ep->scheme) {
	case SCHEME_UDP:
	case SCHEME_DTLS_UDP:
	case SCHEME_TCP:
		return ep->port;
	case SCHEME_SCTP:
	case SCHEME_DTLS_SCTP:
	case SCHEME_DCCP:
	case SCHEME_DTLS_DCCP:
		/* a UDP encapsulation port; raw carriers bind none */
		if (is_raw(ep) || endpoint_param_uint(ep, "encap-port", 1,
						      65535, 0, &port) != 0)
			return 0;
		return (unsigned int)port;
	default:
		return 0;
	}
}

int priv_route_check(const struct priv_plan *p, const struct route_config *rc,
		     char *err, size_t errlen)
{
	unsigned int port = bound_port(&rc->listen);
	unsigned int missing;

	if (!p->dropped)
		return 0;
	if (port != 0 && port < p->port_start) {
		snprintf(err, errlen, "route %s: listen port %u is privileged "
			 "(below %u) and dtlsgw runs as user %s: restart it "
			 "to bind that port", rc->name, port, p->port_start,
			 p->user);
		return -EPERM;
	}
	missing = priv_route_needs(rc) & ~p->keep;
	if (rc->listen.scheme == SCHEME_TUN && !(p->keep & PRIV_NET_ADMIN))
		missing |= PRIV_NET_ADMIN;	/* created as it starts */
	if (missing != 0) {
		snprintf(err, errlen, "route %s: needs %s, which user %s "
			 "does not have: restart dtlsgw to start it", rc->name,
			 keep_names(missing), p->user);
		return -EPERM;
	}
	return 0;
}
