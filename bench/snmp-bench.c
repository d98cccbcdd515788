/*
 * dtlsgw-snmp-bench: the round trip of an SNMP Get, one in flight, many
 * over one session, as percentiles.
 *
 *   dtlsgw-snmp-bench tsm ADDR PORT COUNT CERT KEY [ENGINE]
 *	SNMPv3 with the Transport Security Model over DTLS 1.2 (RFC 6353),
 *	the gateway's own engine as the client with CERT and KEY (verify
 *	none): the RFC 5343 probe for the contextEngineID, then COUNT Gets
 *	of sysName.0, authPriv, against an agent on dtlsudp: or a dtlsgw
 *	snmp server side
 *   dtlsgw-snmp-bench v2c ADDR PORT COUNT COMMUNITY
 *	the same Gets as SNMPv2c over plain UDP
 *
 * COUNT round trips are measured after COUNT/10 of warm-up; one line out:
 * mode, count, lost, the percentiles in microseconds.  An answer that
 * takes more than a second counts as lost.  Bounded: COUNT * 1 s at worst.
 */
#include <errno.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench-dtls.h"
#include "dtlsgw/log.h"
#include "dtlsgw/snmp.h"

/* Get sysName.0 (1.3.6.1.2.1.1.5.0) */
static const uint8_t get_varbinds[] = {
	0x30, 0x0e, 0x30, 0x0c, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01,
	0x01, 0x05, 0x00, 0x05, 0x00,
};

/* Get snmpEngineID.0 (1.3.6.1.6.3.10.2.1.1.0): the RFC 5343 probe */
static const uint8_t probe_varbinds[] = {
	0x30, 0x10, 0x30, 0x0e, 0x06, 0x0a, 0x2b, 0x06, 0x01, 0x06, 0x03,
	0x0a, 0x02, 0x01, 0x01, 0x00, 0x05, 0x00,
};

struct bench {
	struct conn	 c;
	bool		 tsm;
	const char	*community;
	uint8_t		 engine[SNMP_ENGINE_ID_MAX];
	size_t		 engine_len;
};

/* Send Get id (msgID and request-id) of vb; 0 or -1. */
static int send_get(struct bench *b, int32_t id, const uint8_t *vb,
		    size_t vblen)
{
	struct snmp_msg m = { 0 };
	uint8_t out[MAXDG];
	size_t len;

	m.pdu.type = SNMP_PDU_GET;
	m.pdu.request_id = id;
	m.pdu.varbinds.p = vb;
	m.pdu.varbinds.len = vblen;
	if (b->tsm) {
		m.version = SNMP_V3;
		m.msg_id = id;
		m.max_size = 16384;
		m.flags = SNMP_FLAG_AUTH | SNMP_FLAG_PRIV |
			  SNMP_FLAG_REPORTABLE;
		m.security_model = SNMP_SEC_MODEL_TSM;
		m.context_engine_id.p = b->engine;
		m.context_engine_id.len = b->engine_len;
	} else {
		m.version = SNMP_V2C;
		m.community.p = (const uint8_t *)b->community;
		m.community.len = strlen(b->community);
	}
	if (snmp_encode(&m, out, sizeof(out), &len) != SNMP_OK)
		return -1;
	if (b->c.ds != NULL)
		return dtls_session_write(b->c.ds, out, len) == 0 ? 0 : -1;
	return send(b->c.fd, out, len, 0) == (ssize_t)len ? 0 : -1;
}

/* Wait for the Response to id; true with *m (pointing into buf). */
static bool wait_response(struct bench *b, int32_t id, uint8_t *buf,
			  size_t cap, struct snmp_msg *m)
{
	for (;;) {
		ssize_t n = conn_recv(&b->c, buf, cap, 1000);

		if (n < 0)
			return false;
		if (snmp_decode(buf, (size_t)n, m) == SNMP_OK &&
		    m->pdu.type == SNMP_PDU_RESPONSE &&
		    m->pdu.request_id == id)
			return m->pdu.error_status == 0;
	}
}

/* The RFC 5343 probe: the agent's snmpEngineID as contextEngineID. */
static int discover(struct bench *b)
{
	struct snmp_bytes name, value;
	struct snmp_msg m;
	uint8_t buf[MAXDG], tag;

	memcpy(b->engine, SNMP_LOCAL_ENGINE_ID, SNMP_LOCAL_ENGINE_ID_LEN);
	b->engine_len = SNMP_LOCAL_ENGINE_ID_LEN;
	if (send_get(b, 1, probe_varbinds, sizeof(probe_varbinds)) != 0 ||
	    !wait_response(b, 1, buf, sizeof(buf), &m) ||
	    !snmp_varbind_first(m.pdu.varbinds.p, m.pdu.varbinds.len, &name,
				&tag, &value) ||
	    tag != 0x04 || value.len < 5 || value.len > SNMP_ENGINE_ID_MAX) {
		fprintf(stderr, "no snmpEngineID from the agent\n");
		return -1;
	}
	memcpy(b->engine, value.p, value.len);
	b->engine_len = value.len;
	return 0;
}

static int run(struct bench *b, const char *mode, size_t count)
{
	size_t warm = count / 10, n = 0, lost = 0;
	uint64_t *rtt = calloc(count, sizeof(*rtt));
	uint8_t buf[MAXDG];
	struct snmp_msg m;
	int ret;

	if (rtt == NULL)
		return 1;
	for (size_t i = 0; i < warm + count; i++) {
		int32_t id = (int32_t)(i + 2);
		uint64_t t0 = now_ns();

		if (send_get(b, id, get_varbinds, sizeof(get_varbinds)) != 0 ||
		    !wait_response(b, id, buf, sizeof(buf), &m)) {
			lost += i >= warm;
			continue;
		}
		if (i >= warm)
			rtt[n++] = now_ns() - t0;
	}
	ret = print_rtt(mode, rtt, n, lost);
	free(rtt);
	return ret;
}

int main(int argc, char **argv)
{
	struct bench b = { .c = { .fd = -1 } };
	enum engine_kind engine = ENGINE_WOLFSSL;
	struct tls_config tls = { .verify = VERIFY_NONE };
	struct sockaddr_storage ss;
	struct dtls_ctx *ctx = NULL;
	socklen_t len;
	int ret;

	b.tsm = argc >= 7 && argc <= 8 && strcmp(argv[1], "tsm") == 0;
	if (!b.tsm && !(argc == 6 && strcmp(argv[1], "v2c") == 0)) {
		fprintf(stderr, "usage: dtlsgw-snmp-bench tsm ADDR PORT COUNT "
				"CERT KEY [wolfssl|openssl]\n"
				"       dtlsgw-snmp-bench v2c ADDR PORT COUNT "
				"COMMUNITY\n");
		return 2;
	}
	if (argc == 8 && strcmp(argv[7], "openssl") == 0)
		engine = ENGINE_OPENSSL;
	if (bench_resolve(argv[2], argv[3], 0, &ss, &len) != 0)
		return 2;
	b.c.fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (b.c.fd == -1 || connect(b.c.fd, (struct sockaddr *)&ss, len) == -1) {
		perror("connect");
		return 2;
	}
	if (b.tsm) {
		tls.cert = argv[5];
		tls.key = argv[6];
		log_set_level(LOG_LEVEL_ERROR);
		if (dtls_global_init(NULL) != 0 ||
		    handshake(&b.c, &ctx, engine, (struct sockaddr *)&ss, len,
			      &tls) != 0 ||
		    discover(&b) != 0)
			return 1;
	} else {
		b.community = argv[5];
	}
	ret = run(&b, argv[1], strtoul(argv[4], NULL, 10));
	if (b.tsm) {
		dtls_session_shutdown(b.c.ds);
		dtls_session_destroy(b.c.ds);
		dtls_ctx_destroy(ctx);
		dtls_global_cleanup();
	}
	close(b.c.fd);
	return ret;
}
