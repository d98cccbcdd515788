/*
 * TUN: a Linux TUN device (/dev/net/tun, IFF_TUN | IFF_NO_PI) as one side
 * of a route, for tunnel endpoints (the gre-udp and mpls-udp profiles).
 *
 *   tun://NAME?addr=10.9.0.1/30&addr6=fd00::1/64&mtu=N&...
 *
 * Opening creates the device, sets its MTU (mtu=, else what the path
 * leaves after the outer headers, DTLS and the encapsulation:
 * tunnel_inner_mtu()), brings it up and gives it its addresses (netlink
 * RTM_NEWADDR; IPv6 without duplicate address detection, so the address
 * is usable at once).  Closing the descriptor removes the device, its
 * addresses and routes with it.  The device carries one peer: a second
 * open of the same name fails (EBUSY).
 *
 * Each read is one IP packet; its peer address, which keys the route's
 * one session, is the device's own address.  Where the other side is
 * cleartext UDP, the adapter hashes each packet's flow and the forward
 * flow sends it from one of flows= (16) source ports by that hash (udp.c,
 * RFC 8086 section 3.2.1).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dtlsgw/container.h"
#include "dtlsgw/dgram.h"
#include "dtlsgw/errors.h"
#include "dtlsgw/log.h"
#include "dtlsgw/transport.h"
#include "dtlsgw/tunnel.h"

struct tun_transport {
	struct transport	 base;
	int			 fd;
	struct sockaddr_storage	 self;		/* the device's address, for peers */
	socklen_t		 selflen;
	struct dgram_pool	*pool;
};

static struct tun_transport *tun_of(struct transport *t)
{
	return container_of(t, struct tun_transport, base);
}

static const struct tun_transport *tun_of_const(const struct transport *t)
{
	return container_of_const(t, struct tun_transport, base);
}

/* ifr's interface: SIOCSIFMTU, then up (SIOCGIFFLAGS/SIOCSIFFLAGS). */
static int link_setup(struct ifreq *ifr, unsigned int mtu)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int ret = 0;

	if (s == -1)
		return -errno;
	ifr->ifr_mtu = (int)mtu;
	if (ioctl(s, SIOCSIFMTU, ifr) == -1 ||
	    ioctl(s, SIOCGIFFLAGS, ifr) == -1)
		ret = -errno;
	if (ret == 0) {
		ifr->ifr_flags |= IFF_UP;
		if (ioctl(s, SIOCSIFFLAGS, ifr) == -1)
			ret = -errno;
	}
	close(s);
	return ret;
}

/* Append an rtattr to the netlink message n (room checked by the caller). */
static void nl_attr(struct nlmsghdr *n, unsigned short type, const void *data,
		    size_t len)
{
	struct rtattr *rta = (struct rtattr *)(void *)((char *)n +
						       NLMSG_ALIGN(n->nlmsg_len));

	rta->rta_type = type;
	rta->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(rta), data, len);
	n->nlmsg_len = NLMSG_ALIGN(n->nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

/* RTM_NEWADDR: addr/plen on ifindex, and wait for the kernel's answer. */
static int addr_add(int ifindex, int family, const uint8_t *addr,
		    uint8_t plen)
{
	union {
		struct nlmsghdr	n;
		char		buf[256];
	} req, ack;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct ifaddrmsg *ifa;
	size_t alen = family == AF_INET ? 4 : 16;
	uint32_t flags = IFA_F_NODAD;
	int s, ret = 0;
	ssize_t n;

	memset(&req, 0, sizeof(req));
	req.n.nlmsg_len = NLMSG_LENGTH(sizeof(*ifa));
	req.n.nlmsg_type = RTM_NEWADDR;
	req.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE |
			    NLM_F_REPLACE;
	req.n.nlmsg_seq = 1;
	ifa = NLMSG_DATA(&req.n);
	ifa->ifa_family = (unsigned char)family;
	ifa->ifa_prefixlen = plen;
	ifa->ifa_index = (unsigned int)ifindex;
	nl_attr(&req.n, IFA_LOCAL, addr, alen);
	nl_attr(&req.n, IFA_ADDRESS, addr, alen);
	if (family == AF_INET6)
		nl_attr(&req.n, IFA_FLAGS, &flags, sizeof(flags));
	s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (s == -1)
		return -errno;
	if (sendto(s, &req, req.n.nlmsg_len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) == -1) {
		ret = -errno;
		goto out;
	}
	n = recv(s, &ack, sizeof(ack), 0);
	if (n == -1) {
		ret = -errno;
		goto out;
	}
	if ((size_t)n >= NLMSG_LENGTH(sizeof(struct nlmsgerr)) &&
	    ack.n.nlmsg_type == NLMSG_ERROR)
		ret = ((struct nlmsgerr *)NLMSG_DATA(&ack.n))->error;
	else
		ret = -EPROTO;
out:
	close(s);
	return ret;
}

static int tun_open(struct transport **out, const struct transport_params *p)
{
	struct tunnel_conf tc;
	struct tun_transport *u;
	struct ifreq ifr;
	const char *step = "open /dev/net/tun";
	char msg[256];
	int fd, ifindex, ret;

	*out = NULL;
	if (p->ep == NULL)
		return -EINVAL;
	if (tunnel_conf_parse(p->ep, p->peer_ep, &tc, msg, sizeof(msg)) != 0) {
		log_errx("tun %s: %s", p->ep->host, msg);
		return -EINVAL;
	}
	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1) {
		ret = -errno;
		goto fail_log;
	}
	memset(&ifr, 0, sizeof(ifr));
	/* config.c checked the name: at most IFNAMSIZ - 1 characters */
	if (strlen(p->ep->host) >= sizeof(ifr.ifr_name)) {
		ret = -ENAMETOOLONG;
		close(fd);
		goto fail_log;
	}
	memcpy(ifr.ifr_name, p->ep->host, strlen(p->ep->host));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	step = "create the device (TUNSETIFF)";
	if (ioctl(fd, TUNSETIFF, &ifr) == -1)
		goto fail_errno;
	step = "set its MTU and bring it up";
	ret = link_setup(&ifr, tc.mtu);
	if (ret != 0)
		goto fail;
	ifindex = (int)if_nametoindex(ifr.ifr_name);
	step = "give it its addresses (RTM_NEWADDR)";
	if (ifindex == 0)
		goto fail_errno;
	if (tc.has4 && (ret = addr_add(ifindex, AF_INET, tc.addr4,
				       tc.plen4)) != 0)
		goto fail;
	if (tc.has6 && (ret = addr_add(ifindex, AF_INET6, tc.addr6,
				       tc.plen6)) != 0)
		goto fail;
	u = calloc(1, sizeof(*u));
	if (u == NULL) {
		ret = -ENOMEM;
		step = "allocate";
		goto fail;
	}
	u->fd = fd;
	u->pool = p->pool;
	if (tc.has4) {
		struct sockaddr_in *in = (struct sockaddr_in *)&u->self;

		in->sin_family = AF_INET;
		memcpy(&in->sin_addr, tc.addr4, 4);
		u->selflen = sizeof(*in);
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&u->self;

		in6->sin6_family = AF_INET6;
		memcpy(&in6->sin6_addr, tc.addr6, 16);	/* :: without addr6 */
		u->selflen = sizeof(*in6);
	}
	u->base.ops = &transport_tun;
	log_info("tun %s: up, mtu %u%s", ifr.ifr_name, tc.mtu,
		 tc.mtu_set ? "" : " (from the path and the encapsulation)");
	*out = &u->base;
	return 0;
fail_errno:
	ret = -errno;
fail:
	close(fd);
fail_log:
	log_errx("tun %s: cannot %s: %s", p->ep->host, step,
		 dtlsgw_strerror(ret));
	return ret;
}

static void tun_close(struct transport *t)
{
	struct tun_transport *u = tun_of(t);

	close(u->fd);
	free(u);
}

static int tun_recv(struct transport *t, struct dgram **out, size_t max,
		    size_t *n)
{
	struct tun_transport *u = tun_of(t);

	*n = 0;
	while (*n < max) {
		struct dgram *d = dgram_alloc(u->pool);
		ssize_t r;

		if (d == NULL) {
			uint8_t scratch[64];

			if (read(u->fd, scratch, sizeof(scratch)) != -1)
				t->stats.rx_nobufs++;
			return *n > 0 ? 0 : -ENOBUFS;
		}
		r = read(u->fd, d->data, DGRAM_CAP);
		if (r == -1) {
			int err = errno;

			dgram_free(d);
			if (err == EAGAIN || err == EWOULDBLOCK || err == EINTR)
				return *n > 0 ? 0 : -EAGAIN;
			t->stats.rx_errors++;
			return -err;
		}
		d->len = (size_t)r;
		memcpy(&d->peer, &u->self, u->selflen);
		d->peerlen = u->selflen;
		out[(*n)++] = d;
	}
	return 0;
}

static int tun_send(struct transport *t, struct dgram *const *in, size_t n,
		    size_t *nsent)
{
	struct tun_transport *u = tun_of(t);

	*nsent = 0;
	for (size_t i = 0; i < n; i++) {
		if (write(u->fd, in[i]->data, in[i]->len) == -1) {
			int err = errno;

			if (err == EAGAIN || err == EWOULDBLOCK)
				return -EAGAIN;
			if (err == EINTR) {
				i--;
				continue;
			}
			return -err;
		}
		(*nsent)++;
	}
	return 0;
}

static int tun_fd(const struct transport *t)
{
	return tun_of_const(t)->fd;
}

const struct transport_ops transport_tun = {
	.name = "tun",
	/* one device, one reader: the route runs on one worker */
	.caps = TRANSPORT_CAP_ONE_THREAD,
	.max_msg = 65535,
	.open = tun_open,
	.close = tun_close,
	.recv = tun_recv,
	.send = tun_send,
	.fd = tun_fd,
};
