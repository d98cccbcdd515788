/*
 * The tunnel codecs of the gre-udp and mpls-udp profiles: GRE (RFC 2784
 * with the key and sequence number of RFC 2890) as GRE-in-UDP carries it
 * (RFC 8086), an MPLS label stack (RFC 3032) as MPLS-in-UDP carries it
 * (RFC 7510), the IPv4 or IPv6 packet inside, the flow hash that gives the
 * outer UDP source port its entropy (RFC 8086 section 3.2.1), the MTU
 * arithmetic of a tunnel endpoint, and the ICMP "too big" messages it
 * writes back towards a sender.
 *
 * Pure functions over bytes: no allocation, no I/O.
 *
 * GRE:
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |C| |K|S| Reserved0       | Ver |         Protocol Type         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |      Checksum (optional)      |       Reserved1 (optional)    |
 *  |                         Key (optional)                        |
 *  |                 Sequence Number (optional)                    |
 *
 * MPLS label stack entry, repeated until S is set:
 *  |                Label                  | TC  |S|       TTL     |
 */
#ifndef DTLSGW_TUNNEL_H
#define DTLSGW_TUNNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dtlsgw/config.h"

#define GRE_F_CSUM	0x8000u
#define GRE_F_ROUTING	0x4000u		/* RFC 1701 only: refused */
#define GRE_F_KEY	0x2000u
#define GRE_F_SEQ	0x1000u
#define GRE_F_SSR	0x0800u		/* RFC 1701 strict source route: refused */
#define GRE_VERSION_MASK 0x0007u

#define GRE_PROTO_IPV4	0x0800u
#define GRE_PROTO_IPV6	0x86ddu
#define GRE_PROTO_MPLS	0x8847u
#define GRE_PROTO_MPLS_MC 0x8848u
#define GRE_PROTO_TEB	0x6558u		/* Ethernet (transparent bridging) */

#define GRE_BASE_LEN	4
#define GRE_MAX_LEN	16

#define MPLS_ENTRY_LEN	4
#define MPLS_LABEL_MAX	0xfffffu
#define MPLS_LABEL_IPV4_NULL	0u
#define MPLS_LABEL_IPV6_NULL	2u
#define MPLS_LABEL_IMPLICIT_NULL 3u	/* never on the wire */
/* The deepest stack we take or configure. */
#define TUNNEL_MAX_LABELS	16

/*
 * What is wrong with an encapsulated packet: the adapters count drops by
 * these numbers (tunnel_error_name() gives the counter's name).
 */
enum tunnel_error {
	TUNNEL_OK = 0,
	TUNNEL_ERR_SHORT,		/* shorter than its headers say */
	TUNNEL_ERR_GRE_VERSION,		/* version not 0 */
	TUNNEL_ERR_GRE_RESERVED,	/* RFC 1701 routing / source route bits */
	TUNNEL_ERR_GRE_CHECKSUM,	/* C set and the checksum is wrong */
	TUNNEL_ERR_GRE_PROTOCOL,	/* a protocol type we do not carry */
	TUNNEL_ERR_GRE_KEY,		/* not the configured key (endpoint) */
	TUNNEL_ERR_MPLS_NO_BOTTOM,	/* no entry with S set */
	TUNNEL_ERR_MPLS_TOO_DEEP,	/* more than TUNNEL_MAX_LABELS */
	TUNNEL_ERR_MPLS_LABEL,		/* implicit null, or null of the wrong family */
	TUNNEL_ERR_MPLS_TTL,		/* TTL 0 */
	TUNNEL_ERR_INNER_VERSION,	/* not IPv4/IPv6, or not the one announced */
	TUNNEL_ERR_INNER_HEADER,	/* IPv4 IHL below 5, or its checksum */
	TUNNEL_ERR_INNER_LENGTH,	/* its length beyond the datagram, or too short */
	TUNNEL_ERR_TOO_BIG,		/* larger than the path carries: ICMP sent */
	TUNNEL_ERR_MAX,
};

/* "short", "gre_version", ...: the name of a drop counter. */
const char *tunnel_error_name(enum tunnel_error e);

/* The drop counter names, indexed by enum tunnel_error. */
extern const char *const tunnel_error_names[TUNNEL_ERR_MAX];

/* A GRE header, parsed or to write. */
struct gre_hdr {
	bool		 csum;		/* C: checksum present */
	bool		 key_present;	/* K */
	bool		 seq_present;	/* S */
	uint16_t	 proto;		/* Protocol Type */
	uint32_t	 key;
	uint32_t	 seq;
};

/* The header's length: 4 plus 4 for each of C, K and S. */
size_t gre_header_len(const struct gre_hdr *h);

/*
 * Check the GRE packet p (len bytes, header and payload) and parse its
 * header into *h, *hlen its length.  The payload of an IPv4 or IPv6
 * protocol type must be that packet, whole (tunnel_ip_check()); MPLS and
 * Ethernet payloads are passed as they are.  TUNNEL_OK or the reason.
 */
enum tunnel_error gre_decode(const uint8_t *p, size_t len,
			     struct gre_hdr *h, size_t *hlen);

/*
 * Write h into p[0, gre_header_len(h)), in front of the payload that
 * follows it in p (len bytes in all, header included): the checksum, when
 * h->csum, covers both.
 */
void gre_encode(uint8_t *p, size_t len, const struct gre_hdr *h);

/*
 * Check the MPLS packet p: a label stack down to the entry with S set
 * (*stack_len bytes, *depth entries; a null label must announce the
 * family of what follows), then an IPv4 or IPv6 packet, whole.
 */
enum tunnel_error mpls_decode(const uint8_t *p, size_t len,
			      size_t *stack_len, size_t *depth);

/*
 * Write the stack labels[0..n) into p (4 n bytes): traffic class 0, S on
 * the last, each TTL ttl.
 */
void mpls_encode(uint8_t *p, const uint32_t *labels, size_t n, uint8_t ttl);

/*
 * Check that p is one whole IPv4 or IPv6 packet (trailing bytes allowed,
 * *iplen says how long the packet is) and give its version (4 or 6).
 */
enum tunnel_error tunnel_ip_check(const uint8_t *p, size_t len,
				  size_t *iplen, int *version);

/* The TTL or hop limit of the IP packet p (checked), 64 when absent. */
uint8_t tunnel_ip_ttl(const uint8_t *p, size_t len);

/*
 * The flow hash of the IP packet p: its addresses, its protocol (the
 * first next header of IPv6) and, for TCP, UDP, SCTP, DCCP and UDP-Lite
 * of an unfragmented packet, its ports.  The same flow always gives the
 * same value, in every process (no random seed).
 */
uint32_t tunnel_flow_hash(const uint8_t *p, size_t len);

/* RFC 8086 3.2.1: a source port in the ephemeral range, from a flow hash. */
uint16_t tunnel_entropy_port(uint32_t hash);

/*
 * The configuration of a tunnel endpoint, from the tun:// URI and the URI
 * of the route's other side (the outer packets).
 */
struct tunnel_conf {
	bool		 has4;
	uint8_t		 addr4[4];
	uint8_t		 plen4;
	bool		 has6;
	uint8_t		 addr6[16];
	uint8_t		 plen6;
	unsigned int	 mtu;		/* the device's, as configured or computed */
	bool		 mtu_set;	/* given with mtu= */
	unsigned int	 path_mtu;	/* of the outer path, path-mtu= (1500) */
	bool		 outer_dtls;	/* the other side is dtls:// */
	bool		 outer_v6;	/* the outer packets may be IPv6 */
	struct gre_hdr	 gre;		/* GRE: key and sequence, gre-key/gre-seq/gre-csum */
	uint32_t	 labels[TUNNEL_MAX_LABELS];	/* MPLS: labels= */
	size_t		 nlabels;
	unsigned int	 flows;		/* cleartext outer: source ports used, flows= (16) */
};

/* Defaults and limits. */
#define TUNNEL_DEFAULT_PATH_MTU	1500
#define TUNNEL_DEFAULT_FLOWS	16
#define TUNNEL_MIN_MTU		576
/*
 * What DTLS adds to a record at most with the suites our engines offer:
 * the 13-byte record header, then for a CBC suite an explicit IV (16), a
 * SHA-384 MAC (48) and up to 16 bytes of padding (AEAD suites add 24 to
 * 29, DTLS 1.3 fewer than 30).
 */
#define TUNNEL_DTLS_OVERHEAD	(13 + 16 + 48 + 16)
/*
 * The largest datagram the DTLS engines write, whatever the path allows
 * (DTLS_MTU_DEFAULT of src/dtls_int.h: the records they seal carry at
 * most this less TUNNEL_DTLS_OVERHEAD, 1359 bytes of plaintext).
 */
#define TUNNEL_DTLS_DATAGRAM	1452
#define TUNNEL_UDP_LEN		8
#define TUNNEL_IPV4_LEN		20
#define TUNNEL_IPV6_LEN		40

/*
 * Parse tun's parameters (addr, addr6, mtu, path-mtu, gre-key, gre-seq,
 * gre-csum, labels, flows) and learn from outer (may be NULL: DTLS over
 * IPv6 is assumed, the worst case) what the outer packets carry.  The
 * device's MTU, unless mtu= sets it, is tunnel_inner_mtu().  0, or
 * -EINVAL with a message in msg.
 */
int tunnel_conf_parse(const struct endpoint *tun, const struct endpoint *outer,
		      struct tunnel_conf *tc, char *msg, size_t msglen);

/* The encapsulation's bytes: the label stack with labels=, else GRE. */
size_t tunnel_encap_len(const struct tunnel_conf *tc);

/*
 * The largest inner packet that crosses the path unfragmented: path-mtu
 * less the outer IP header (IPv6's when it may be IPv6) and UDP, at most
 * TUNNEL_DTLS_DATAGRAM when the outer side is DTLS; less DTLS's worst
 * expansion then, and the encapsulation.  0 when nothing fits.
 */
unsigned int tunnel_inner_mtu(const struct tunnel_conf *tc);

/*
 * Build into out (cap bytes) the ICMP that tells the sender of the IP
 * packet pkt (len bytes) that it exceeds mtu: IPv4 "fragmentation needed"
 * (type 3 code 4) when it has DF set, IPv6 "packet too big" (type 2); from
 * pkt's destination to its source, quoting as much of pkt as RFC 792 /
 * RFC 4443 allow.  Returns the length written, or 0 when no ICMP is due
 * (an IPv4 packet without DF, an ICMP error itself, a malformed packet).
 */
size_t tunnel_icmp_too_big(const uint8_t *pkt, size_t len, unsigned int mtu,
			   uint8_t *out, size_t cap);

#endif
