/* IP_PKTINFO and IPV6_PKTINFO for the backends: see pktinfo.h. */
#include <netinet/in.h>
#include <string.h>

#include "pktinfo.h"

void pktinfo_read(struct msghdr *mh, int family, uint16_t port,
		  struct sockaddr_storage *local, socklen_t *locallen,
		  int *ifindex)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c)) {
		if (family == AF_INET && c->cmsg_level == IPPROTO_IP &&
		    c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;
			struct sockaddr_in *in = (void *)local;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			memset(in, 0, sizeof(*in));
			in->sin_family = AF_INET;
			in->sin_addr = pi.ipi_addr;
			in->sin_port = port;
			*locallen = sizeof(*in);
			*ifindex = pi.ipi_ifindex;
		} else if (family == AF_INET6 &&
			   c->cmsg_level == IPPROTO_IPV6 &&
			   c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;
			struct sockaddr_in6 *in6 = (void *)local;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			memset(in6, 0, sizeof(*in6));
			in6->sin6_family = AF_INET6;
			in6->sin6_addr = pi.ipi6_addr;
			in6->sin6_port = port;
			*locallen = sizeof(*in6);
			*ifindex = (int)pi.ipi6_ifindex;
		}
	}
}

size_t pktinfo_put(struct cmsghdr *c, int family,
		   const struct sockaddr_storage *local, int ifindex)
{
	if (family == AF_INET && local->ss_family == AF_INET) {
		struct in_pktinfo pi;

		memset(&pi, 0, sizeof(pi));
		pi.ipi_spec_dst = ((const struct sockaddr_in *)(const void *)
					   local)->sin_addr;
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		return CMSG_SPACE(sizeof(pi));
	}
	if (family == AF_INET6 && local->ss_family == AF_INET6) {
		struct in6_pktinfo pi;

		memset(&pi, 0, sizeof(pi));
		pi.ipi6_addr = ((const struct sockaddr_in6 *)(const void *)
					local)->sin6_addr;
		pi.ipi6_ifindex = (unsigned int)ifindex;
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		return CMSG_SPACE(sizeof(pi));
	}
	return 0;
}
