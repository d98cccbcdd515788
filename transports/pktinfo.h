/*
 * IP_PKTINFO and IPV6_PKTINFO, read from a received message and written
 * into one to send: how a backend bound to a wildcard address learns the
 * address a peer wrote to, and answers from it.  Shared by the backends
 * (udp.c, dccp/dccp.c); not part of the public headers.
 */
#ifndef DTLSGW_TRANSPORTS_PKTINFO_H
#define DTLSGW_TRANSPORTS_PKTINFO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/*
 * The destination address of the message mh (of a socket of family),
 * with port (network order), into *local, *locallen and *ifindex; left as
 * they are when mh carries none.
 */
void pktinfo_read(struct msghdr *mh, int family, uint16_t port,
		  struct sockaddr_storage *local, socklen_t *locallen,
		  int *ifindex);

/*
 * Write at c the packet info that sends from local (and ifindex, IPv6)
 * on a socket of family; returns the space it takes, 0 when local is not
 * of that family (then nothing is written).
 */
size_t pktinfo_put(struct cmsghdr *c, int family,
		   const struct sockaddr_storage *local, int ifindex);

#endif
