/*
 * The profiles of DESIGN.md, "The ports it bridges": the standard ports of
 * each protocol on its protected (DTLS) and cleartext sides, and the
 * adapter that gives it protocol awareness (none: datagrams pass unchanged).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "dtlsgw/adapter.h"
#include "dtlsgw/profile.h"

static const struct profile profiles[] = {
	{
		.name = "radius",
		.protected_ports = "2083/udp",
		.clear_ports = "1812/udp auth, 1813/udp acct, "
			       "3799/udp dynamic authorization",
		.standard = "RFC 7360 (secret radius/dtls)",
		.dtls_port = 2083,
		.clear_port = 1812,
		.adapter = &adapter_radius,
	},
	{
		.name = "snmp",
		.protected_ports = "10161/udp, 10162/udp (trap)",
		.clear_ports = "161/udp, 162/udp",
		.standard = "RFC 6353, RFC 5953",
		.dtls_port = 10161,
		.clear_port = 161,
		.adapter = &adapter_snmp,
	},
	{
		.name = "diameter",
		.adapter = &adapter_diameter,
		.protected_ports = "5868/sctp (DTLS/SCTP), 5868/tcp is TLS",
		.clear_ports = "3868/sctp, 3868/tcp",
		.standard = "RFC 6733, RFC 6083",
		.dtls_port = 5868,
		.clear_port = 3868,
	},
	{
		.name = "stun",
		.protected_ports = "5349/udp",
		.clear_ports = "3478/udp",
		.standard = "RFC 7350, RFC 8489, RFC 8656",
		.dtls_port = 5349,
		.clear_port = 3478,
		.adapter = &adapter_stun,
	},
	{
		.name = "sip",
		.protected_ports = "5061/udp, 5061/sctp",
		.clear_ports = "5060/udp, 5060/sctp",
		.standard = "RFC 3261 transport rules",
		.dtls_port = 5061,
		.clear_port = 5060,
		.adapter = &adapter_sip,
	},
	{
		.name = "mpls-udp",
		.protected_ports = "6636/udp",
		.clear_ports = "6635/udp",
		.standard = "RFC 7510",
		.dtls_port = 6636,
		.clear_port = 6635,
		.adapter = &adapter_mpls_udp,
	},
	{
		.name = "gre-udp",
		.protected_ports = "4755/udp",
		.clear_ports = "4754/udp",
		.standard = "RFC 8086",
		.dtls_port = 4755,
		.clear_port = 4754,
		.adapter = &adapter_gre_udp,
	},
	{
		.name = "syslog",
		.protected_ports = "6514/udp",
		.clear_ports = "514/udp",
		.standard = "RFC 6012",
		.dtls_port = 6514,
		.clear_port = 514,
		.adapter = &adapter_syslog,
	},
	{
		.name = "dns",
		.protected_ports = "853/udp",
		.clear_ports = "53/udp",
		.standard = "RFC 8094",
		.dtls_port = 853,
		.clear_port = 53,
		.adapter = &adapter_dns,
	},
	{
		.name = "raw",
		.protected_ports = "any",
		.clear_ports = "any",
		.standard = "no protocol awareness: datagrams pass as they are",
		.dtls_port = 0,
		.clear_port = 0,
	},
};

#define NPROFILES	(sizeof(profiles) / sizeof(profiles[0]))

const struct profile *profile_find(const char *name)
{
	for (size_t i = 0; i < NPROFILES; i++) {
		if (strcmp(profiles[i].name, name) == 0)
			return &profiles[i];
	}
	return NULL;
}

const struct profile *profile_default(void)
{
	/* raw is the last row of the table */
	return &profiles[NPROFILES - 1];
}

const struct profile *profile_at(size_t i)
{
	return i < NPROFILES ? &profiles[i] : NULL;
}

static size_t max_size(size_t a, size_t b)
{
	return a > b ? a : b;
}

void profile_print_table(FILE *f)
{
	static const char *const head[] = {
		"profile", "protected (DTLS)", "cleartext", "standard",
	};
	size_t w0 = strlen(head[0]);
	size_t w1 = strlen(head[1]);
	size_t w2 = strlen(head[2]);

	for (size_t i = 0; i < NPROFILES; i++) {
		w0 = max_size(w0, strlen(profiles[i].name));
		w1 = max_size(w1, strlen(profiles[i].protected_ports));
		w2 = max_size(w2, strlen(profiles[i].clear_ports));
	}
	fprintf(f, "%-*s  %-*s  %-*s  %s\n", (int)w0, head[0], (int)w1,
		head[1], (int)w2, head[2], head[3]);
	for (size_t i = 0; i < NPROFILES; i++) {
		const struct profile *p = &profiles[i];

		fprintf(f, "%-*s  %-*s  %-*s  %s\n", (int)w0, p->name,
			(int)w1, p->protected_ports, (int)w2, p->clear_ports,
			p->standard);
	}
}
