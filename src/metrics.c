/*
 * The Prometheus text exposition format (version 0.0.4): each family's
 * HELP and TYPE once, then its samples, one per route (label route="NAME")
 * and per reason, direction or result where a counter is split.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dtlsgw/adapter.h"
#include "dtlsgw/metrics.h"
#include "dtlsgw/route.h"
#include "dtlsgw/transport.h"

#define LABEL_MAX	256

void metrics_buf_printf(struct metrics_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->failed)
		return;
	for (;;) {
		size_t room = b->cap - b->len;

		va_start(ap, fmt);
		n = vsnprintf(b->data != NULL ? b->data + b->len : NULL, room,
			      fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->failed = true;
			return;
		}
		if ((size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		{
			size_t cap = b->cap > 0 ? b->cap * 2 : 16384;
			char *p;

			while (cap - b->len <= (size_t)n)
				cap *= 2;
			p = realloc(b->data, cap);
			if (p == NULL) {
				b->failed = true;
				return;
			}
			b->data = p;
			b->cap = cap;
		}
	}
}

void metrics_buf_free(struct metrics_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

void metrics_family(struct metrics_buf *b, const char *name, const char *type,
		    const char *help)
{
	metrics_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name,
			   type);
}

const char *metrics_escape(const char *value, char *buf, size_t len)
{
	size_t o = 0;

	for (; *value != '\0' && o + 3 < len; value++) {
		char c = *value;

		if (c == '\\' || c == '"' || c == '\n') {
			buf[o++] = '\\';
			c = c == '\n' ? 'n' : c;
		}
		buf[o++] = c;
	}
	buf[o] = '\0';
	return buf;
}

/* One counter or gauge of the route_stats, per route. */
struct route_metric {
	const char	*name;
	const char	*type;
	const char	*help;
	size_t		 offset;	/* into struct route_stats */
	const char	*label;		/* extra label, e.g. direction="up" */
};

#define RS(field) offsetof(struct route_stats, field)

/* Families of one sample per route, or several sharing one name in a row. */
static const struct route_metric route_metrics[] = {
	{ "dtlsgw_sessions", "gauge", "Sessions open now.",
	  RS(sessions_active), NULL },
	{ "dtlsgw_sessions_own_records", "gauge",
	  "Open sessions whose records the gateway protects itself.",
	  RS(sessions_own_records), NULL },
	{ "dtlsgw_sessions_total", "counter", "Sessions created.",
	  RS(sessions_total), NULL },
	{ "dtlsgw_hello_verify_sent_total", "counter",
	  "HelloVerifyRequests sent (stateless cookies).",
	  RS(hello_verify_sent), NULL },
	{ "dtlsgw_datagrams_total", "counter",
	  "Datagrams carried: up from the listening side to the forwarding "
	  "side, down back.",
	  RS(up_dgrams), "direction=\"up\"" },
	{ "dtlsgw_datagrams_total", NULL, NULL, RS(down_dgrams),
	  "direction=\"down\"" },
	{ "dtlsgw_bytes_total", "counter",
	  "Cleartext bytes carried, by direction.",
	  RS(up_bytes), "direction=\"up\"" },
	{ "dtlsgw_bytes_total", NULL, NULL, RS(down_bytes),
	  "direction=\"down\"" },
	{ "dtlsgw_forward_errors_total", "counter",
	  "Errors on forwarding flows (e.g. ICMP port unreachable).",
	  RS(forward_errors), NULL },
	{ "dtlsgw_tx_dropped_total", "counter",
	  "Datagrams dropped because a transmit queue was full.",
	  RS(tx_dropped), NULL },
	{ "dtlsgw_rx_truncated_total", "counter",
	  "Datagrams larger than a buffer, dropped.", RS(rx_truncated), NULL },
	{ "dtlsgw_gro_runs_total", "counter",
	  "Runs of datagrams received coalesced by the kernel (UDP GRO).",
	  RS(gro_runs), NULL },
	{ "dtlsgw_gso_runs_total", "counter",
	  "Runs of datagrams sent as one message (UDP GSO).", RS(gso_runs),
	  NULL },
};

static uint64_t field(const struct route_stats *st, size_t offset)
{
	uint64_t v;

	memcpy(&v, (const char *)st + offset, sizeof(v));
	return v;
}

static void write_handshakes(struct metrics_buf *b,
			     const struct route_def *const *defs,
			     const struct route_stats *sums, size_t n)
{
	char esc[LABEL_MAX];

	metrics_family(b, "dtlsgw_handshakes_total", "counter",
		       "DTLS handshakes by result: ok (full), resumed, "
		       "failed.");
	for (size_t i = 0; i < n; i++) {
		const struct route_stats *st = &sums[i];
		const char *r = metrics_escape(defs[i]->cfg->name, esc,
					       sizeof(esc));

		metrics_buf_printf(b,
			"dtlsgw_handshakes_total{route=\"%s\",result=\"ok\"} "
			"%llu\n", r, (unsigned long long)(st->handshakes_ok -
							 st->handshakes_resumed));
		metrics_buf_printf(b,
			"dtlsgw_handshakes_total{route=\"%s\","
			"result=\"resumed\"} %llu\n", r,
			(unsigned long long)st->handshakes_resumed);
		metrics_buf_printf(b,
			"dtlsgw_handshakes_total{route=\"%s\","
			"result=\"failed\"} %llu\n", r,
			(unsigned long long)st->handshakes_failed);
	}
}

static void write_drops(struct metrics_buf *b,
			const struct route_def *const *defs,
			const struct route_stats *sums, size_t n)
{
	char esc[LABEL_MAX];

	metrics_family(b, "dtlsgw_drops_total", "counter",
		       "Datagrams dropped, by reason.");
	for (size_t i = 0; i < n; i++) {
		metrics_escape(defs[i]->cfg->name, esc, sizeof(esc));
		for (int k = 0; k < ROUTE_DROP_MAX; k++)
			metrics_buf_printf(b,
				"dtlsgw_drops_total{route=\"%s\","
				"reason=\"%s\"} %llu\n", esc,
				route_drop_name((enum route_drop)k),
				(unsigned long long)sums[i].drops[k]);
	}
	metrics_family(b, "dtlsgw_adapter_drops_total", "counter",
		       "Messages dropped by the route's profile, by reason.");
	for (size_t i = 0; i < n; i++) {
		const struct adapter_ops *ops = defs[i]->adapter.ops;

		if (ops == NULL)
			continue;
		metrics_escape(defs[i]->cfg->name, esc, sizeof(esc));
		for (unsigned int k = 0; k < ops->ndrops &&
					 k < ADAPTER_MAX_DROPS; k++)
			metrics_buf_printf(b,
				"dtlsgw_adapter_drops_total{route=\"%s\","
				"profile=\"%s\",reason=\"%s\"} %llu\n", esc,
				ops->name, ops->drop_names[k],
				(unsigned long long)sums[i].adapter_drops[k]);
	}
}

static void write_latency(struct metrics_buf *b,
			  const struct route_def *const *defs,
			  const struct route_stats *sums, size_t n)
{
	static const char name[] = "dtlsgw_handshake_duration_seconds";
	char esc[LABEL_MAX];

	metrics_family(b, name, "histogram",
		       "DTLS handshake time, from the session's start to "
		       "established.");
	for (size_t i = 0; i < n; i++) {
		uint64_t cum = 0;

		metrics_escape(defs[i]->cfg->name, esc, sizeof(esc));
		for (int k = 0; k < ROUTE_HS_BUCKETS; k++) {
			cum += sums[i].hs_latency[k];
			metrics_buf_printf(b,
				"%s_bucket{route=\"%s\",le=\"%g\"} %llu\n",
				name, esc, route_hs_bucket_ms[k] / 1000.0,
				(unsigned long long)cum);
		}
		cum += sums[i].hs_latency[ROUTE_HS_BUCKETS];
		metrics_buf_printf(b,
			"%s_bucket{route=\"%s\",le=\"+Inf\"} %llu\n"
			"%s_sum{route=\"%s\"} %.6f\n"
			"%s_count{route=\"%s\"} %llu\n",
			name, esc, (unsigned long long)cum, name, esc,
			(double)sums[i].hs_latency_us / 1e6, name, esc,
			(unsigned long long)cum);
	}
}

void metrics_write_routes(struct metrics_buf *b,
			  const struct route_def *const *defs,
			  const struct route_stats *sums, size_t n)
{
	char esc[LABEL_MAX];

	for (size_t m = 0; m < sizeof(route_metrics) / sizeof(*route_metrics);
	     m++) {
		const struct route_metric *rm = &route_metrics[m];

		if (rm->type != NULL)
			metrics_family(b, rm->name, rm->type, rm->help);
		for (size_t i = 0; i < n; i++)
			metrics_buf_printf(b, "%s{route=\"%s\"%s%s} %llu\n",
				rm->name,
				metrics_escape(defs[i]->cfg->name, esc,
					       sizeof(esc)),
				rm->label != NULL ? "," : "",
				rm->label != NULL ? rm->label : "",
				(unsigned long long)field(&sums[i],
							  rm->offset));
	}
	write_handshakes(b, defs, sums, n);
	write_drops(b, defs, sums, n);
	write_latency(b, defs, sums, n);
}

/* The DCCP stack's ------------------------------------------------------- */

struct dccp_metric {
	const char	*name;
	const char	*type;
	const char	*help;
	size_t		 offset;
	bool		 u32;
};

#define DT(field) offsetof(struct transport_dccp_totals, field)

static const struct dccp_metric dccp_metrics[] = {
	{ "dtlsgw_dccp_connections", "gauge", "DCCP connections now.",
	  DT(conns), false },
	{ "dtlsgw_dccp_connections_open", "gauge",
	  "DCCP connections in OPEN now.", DT(open), false },
	{ "dtlsgw_dccp_connections_opened_total", "counter",
	  "DCCP connections opened.", DT(conns_opened), false },
	{ "dtlsgw_dccp_cwnd_min", "gauge",
	  "Smallest CCID 2 window of the open connections, packets.",
	  DT(cwnd_min), true },
	{ "dtlsgw_dccp_cwnd_max", "gauge",
	  "Largest CCID 2 window of the open connections, packets.",
	  DT(cwnd_max), true },
	{ "dtlsgw_dccp_cwnd_avg", "gauge",
	  "Mean CCID 2 window of the open connections, packets.",
	  DT(cwnd_avg), false },
	{ "dtlsgw_dccp_ssthresh_min", "gauge",
	  "Smallest CCID 2 slow start threshold, packets.",
	  DT(ssthresh_min), true },
	{ "dtlsgw_dccp_max_cwnd_seen", "gauge",
	  "Largest CCID 2 window any connection reached, packets.",
	  DT(max_cwnd_seen), true },
	{ "dtlsgw_dccp_acked_total", "counter", "Data packets acknowledged.",
	  DT(acked), false },
	{ "dtlsgw_dccp_lost_total", "counter", "Data packets declared lost.",
	  DT(lost), false },
	{ "dtlsgw_dccp_halvings_total", "counter",
	  "CCID 2 window halvings on loss.", DT(halvings), false },
	{ "dtlsgw_dccp_rto_timeouts_total", "counter",
	  "CCID 2 retransmission timeouts.", DT(rto_timeouts), false },
	{ "dtlsgw_dccp_cwnd_blocked_total", "counter",
	  "Sends held back by the CCID 2 window.", DT(cwnd_blocked), false },
	{ "dtlsgw_dccp_rx_packets_total", "counter", "DCCP packets received.",
	  DT(rx_packets), false },
	{ "dtlsgw_dccp_tx_packets_total", "counter", "DCCP packets sent.",
	  DT(tx_packets), false },
	{ "dtlsgw_dccp_rx_data_total", "counter",
	  "DCCP packets received with data.", DT(rx_data), false },
	{ "dtlsgw_dccp_tx_data_total", "counter",
	  "DCCP packets sent with data.", DT(tx_data), false },
	{ "dtlsgw_dccp_rx_duplicate_total", "counter",
	  "Data packets received twice.", DT(rx_dup), false },
	{ "dtlsgw_dccp_out_of_window_total", "counter",
	  "Packets outside the sequence window (dropped, Sync sent).",
	  DT(out_of_window), false },
	{ "dtlsgw_dccp_invalid_total", "counter",
	  "Packets invalid in the connection's state.", DT(invalid), false },
	{ "dtlsgw_dccp_syncs_sent_total", "counter", "Syncs sent.",
	  DT(syncs_tx), false },
	{ "dtlsgw_dccp_syncs_received_total", "counter", "Syncs received.",
	  DT(syncs_rx), false },
	{ "dtlsgw_dccp_retransmits_total", "counter",
	  "Request, Response, Close and PARTOPEN retransmissions.",
	  DT(retransmits), false },
	{ "dtlsgw_dccp_resets_received_total", "counter", "Resets received.",
	  DT(resets_rx), false },
	{ "dtlsgw_dccp_resets_sent_total", "counter",
	  "Resets sent on connections.", DT(resets_tx), false },
	{ "dtlsgw_dccp_too_big_total", "counter",
	  "Messages larger than a DCCP packet carries.", DT(too_big), false },
	{ "dtlsgw_dccp_no_connection_total", "counter",
	  "Packets for no connection.", DT(no_conn), false },
	{ "dtlsgw_dccp_resets_to_strangers_total", "counter",
	  "Resets answered to packets of no connection.",
	  DT(resets_to_strangers), false },
	{ "dtlsgw_dccp_refused_total", "counter",
	  "Connection requests refused.", DT(refused), false },
	{ "dtlsgw_dccp_quiet_closed_total", "counter",
	  "Connections closed for carrying no data in 60 s.", DT(quiet_closed),
	  false },
	{ "dtlsgw_dccp_half_open", "gauge",
	  "Listeners' connections waiting for the client's Ack.",
	  DT(half_open), false },
	{ "dtlsgw_dccp_half_open_evicted_total", "counter",
	  "Connections in RESPOND dropped for a newer Request.",
	  DT(half_open_evicted), false },
};

void metrics_write_dccp(struct metrics_buf *b,
			const struct transport_dccp_totals *t)
{
	for (size_t m = 0; m < sizeof(dccp_metrics) / sizeof(*dccp_metrics);
	     m++) {
		const struct dccp_metric *dm = &dccp_metrics[m];
		unsigned long long v;

		if (dm->u32) {
			uint32_t x;

			memcpy(&x, (const char *)t + dm->offset, sizeof(x));
			v = x;
		} else {
			uint64_t x;

			memcpy(&x, (const char *)t + dm->offset, sizeof(x));
			v = x;
		}
		metrics_family(b, dm->name, dm->type, dm->help);
		metrics_buf_printf(b, "%s %llu\n", dm->name, v);
	}
	metrics_family(b, "dtlsgw_dccp_malformed_total", "counter",
		       "DCCP packets that do not decode, by reason.");
	for (int e = 1; e < TRANSPORT_DCCP_MALFORMED_MAX; e++)
		if (t->malformed_names[e] != NULL)
			metrics_buf_printf(b,
				"dtlsgw_dccp_malformed_total{reason=\"%s\"} "
				"%llu\n", t->malformed_names[e],
				(unsigned long long)t->malformed[e]);
}
