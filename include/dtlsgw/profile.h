/*
 * The profiles of DESIGN.md: the standard ports of each protocol on its
 * protected (DTLS) and cleartext sides, and the adapter that gives it
 * protocol awareness.
 */
#ifndef DTLSGW_PROFILE_H
#define DTLSGW_PROFILE_H

#include <stdint.h>
#include <stdio.h>

struct adapter_ops;

struct profile {
	const char	*name;		/* "radius" */
	const char	*protected_ports; /* for the table: "2083/udp" */
	const char	*clear_ports;	/* for the table: "1812/udp auth, ..." */
	const char	*standard;	/* "RFC 7360 (secret radius/dtls)" */
	uint16_t	 dtls_port;	/* default port of the protected side, 0: none */
	uint16_t	 clear_port;	/* default port of the cleartext side, 0: none */
	const struct adapter_ops *adapter; /* NULL: datagrams pass unchanged */
};

/* The profile called name, or NULL. */
const struct profile *profile_find(const char *name);

/* The "raw" profile: no protocol awareness, no default ports. */
const struct profile *profile_default(void);

/* The i-th profile in table order, or NULL past the last one. */
const struct profile *profile_at(size_t i);

/* Print the table of DESIGN.md (--list-protocols) to f. */
void profile_print_table(FILE *f);

#endif
