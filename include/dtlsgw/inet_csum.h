/*
 * The Internet checksum (RFC 1071), for DCCP, GRE, IPv4 and ICMP.
 *
 * inet_csum_add() adds the big-endian 16-bit words of p (an odd last byte
 * padded with a zero) to a running sum; pieces after the first must start
 * at an even offset of the whole, so every piece but the last has an even
 * length.  inet_csum_fold() folds the sum to 16 bits, end-around carries
 * included: a packet with a good checksum folds to 0xffff.  The checksum
 * field is the folded sum's complement: inet_csum_finish(), or inet_csum()
 * for one buffer (0 over a buffer whose checksum is good).
 *
 * Words are added 32 bits at a time into 64 bits and folded once at the
 * end: 2^16 is 1 modulo 0xffff, so a 32-bit word counts as its two
 * halves, and the carries are all kept until the fold.
 */
#ifndef DTLSGW_INET_CSUM_H
#define DTLSGW_INET_CSUM_H

#include <stddef.h>
#include <stdint.h>

#include "dtlsgw/bytes.h"

static inline uint64_t inet_csum_add(uint64_t sum, const uint8_t *p,
				     size_t len)
{
	size_t i = 0;

	for (; i + 4 <= len; i += 4)
		sum += be_get32(p + i);
	if (i + 2 <= len) {
		sum += be_get16(p + i);
		i += 2;
	}
	if (i < len)
		sum += (uint64_t)p[i] << 8;
	return sum;
}

static inline uint16_t inet_csum_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* The checksum field for a running sum, and for one buffer. */
static inline uint16_t inet_csum_finish(uint64_t sum)
{
	return (uint16_t)~inet_csum_fold(sum);
}

static inline uint16_t inet_csum(const uint8_t *p, size_t len)
{
	return inet_csum_finish(inet_csum_add(0, p, len));
}

#endif
