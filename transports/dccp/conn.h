/*
 * A DCCP connection (RFC 4340): the state machine of section 8, the
 * sequence and acknowledgement validity windows of 7.5 with Sync and
 * SyncAck, feature negotiation (6), Reset codes (5.6), retransmission of
 * Request, Response and Close with backoff, and CCID 2 (ccid2.h) in both
 * directions.  Part of the userspace DCCP of the dccp transport.
 *
 * The connection knows nothing of sockets or carriers.  The backend
 * (dccp.c) finds the connection a received packet belongs to, checks its
 * checksum (it knows the addresses), decodes the header with codec.h and
 * calls dccp_conn_input(); the connection writes the packets it sends
 * through cb->output, the backend fills the checksum and sends them.
 * Time is the caller's, in microseconds of a monotonic clock.
 *
 * What a connection negotiates when it opens (6.4, 6.6):
 *   CCID (1) = 2 in both directions (Change L and Change R on Request);
 *   Send Ack Vector (6) = 1 for both receivers (CCID 2 requires it);
 *   Sequence Window (3) = params.seq_window, ours (Change L, NN);
 *   Ack Ratio (5) = what CCID 2 wants, at any time (Change L, NN).
 * Change options go again on every packet until the Confirm arrives.  A
 * Change for a feature it does not know is answered with an empty
 * Confirm (6.6.7); a Mandatory one it cannot accept resets the
 * connection with Mandatory Error (6.6.9).
 */
#ifndef DTLSGW_DCCP_CONN_H
#define DTLSGW_DCCP_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ccid2.h"
#include "codec.h"

enum dccp_state {
	DCCP_S_CLOSED = 0,
	DCCP_S_LISTEN,
	DCCP_S_REQUEST,
	DCCP_S_RESPOND,
	DCCP_S_PARTOPEN,
	DCCP_S_OPEN,
	DCCP_S_CLOSEREQ,
	DCCP_S_CLOSING,
	DCCP_S_TIMEWAIT,
};

/* "OPEN", "TIMEWAIT", ... */
const char *dccp_state_name(enum dccp_state s);

/* What a connection tells its backend through cb->event. */
enum dccp_event {
	DCCP_EV_OPEN,		/* data may flow (OPEN, or PARTOPEN for a client) */
	DCCP_EV_WRITABLE,	/* dccp_conn_send() said -EAGAIN; the window opened */
	DCCP_EV_CLOSED,		/* CLOSED or TIMEWAIT: no more data either way */
	DCCP_EV_DEAD,		/* CLOSED and no timer left: the backend may free it */
};
/*
 * DCCP_EV_DEAD only comes from dccp_conn_on_timeout(), as the last thing
 * it does (dccp_conn_next_timeout() says 0 once CLOSED), so the backend
 * may free the connection from the callback.  The other events come at
 * the end of the call that caused them, once the connection is
 * consistent: the callback may call dccp_conn_send() or _close().
 */

struct dccp_conn;

struct dccp_conn_cb {
	/*
	 * Send the packet pkt[0..len), complete but for its checksum (bytes
	 * 6-7 are 0).  pkt is writable and valid for the call only.
	 */
	void	(*output)(void *arg, uint8_t *pkt, size_t len);
	/*
	 * reset_code is the Reset Code received or sent, for DCCP_EV_CLOSED
	 * (DCCP_RESET_CLOSED on a clean close, DCCP_RESET_ABORTED when a
	 * retransmission was given up); 0 for the others.
	 */
	void	(*event)(void *arg, enum dccp_event ev, uint8_t reset_code);
};

struct dccp_conn_params {
	bool		 server;	/* starts in LISTEN; else in CLOSED */
	uint16_t	 sport, dport;	/* our DCCP port and the peer's */
	/*
	 * Client: the Service Code it asks for.  Server: the only one it
	 * accepts (others: Reset with Bad Service Code, 8.1.2).
	 */
	uint32_t	 service;
	/*
	 * The largest DCCP packet (header and payload) the carrier takes:
	 * the path MTU minus the IP and UDP headers below DCCP.
	 */
	size_t		 mtu;
	uint64_t	 iss;		/* initial sequence number (random, 7.2) */
	uint32_t	 seq_window;	/* our Sequence Window, 0: 100 (7.5.2) */
	/* TIMEWAIT lasts this long; 0: 2 MSL = 4 minutes (8.3) */
	uint64_t	 timewait_us;
};

/* Counters, added up by the backend for SIGUSR1 and metrics. */
struct dccp_conn_stats {
	uint64_t	 rx_packets, tx_packets;
	uint64_t	 rx_data, tx_data;	/* packets with application data */
	uint64_t	 rx_dup;		/* data packets seen before */
	uint64_t	 rx_out_of_window;	/* failed 7.5.3: dropped, Sync sent */
	uint64_t	 rx_invalid;		/* dropped by 8.5 for the state */
	uint64_t	 tx_sync, rx_sync;
	uint64_t	 retransmits;		/* Request/Response/Close/PARTOPEN */
	uint64_t	 resets_rx, resets_tx;
	uint64_t	 tx_too_big;		/* dccp_conn_send(): -EMSGSIZE */
	uint64_t	 rx_slow_receiver;	/* Slow Receiver options (11.6) */
};

/*
 * A new connection in CLOSED (client) or LISTEN (server).  NULL on
 * allocation failure.  cb and arg are kept.
 */
struct dccp_conn *dccp_conn_new(const struct dccp_conn_params *p,
				const struct dccp_conn_cb *cb, void *arg);
void dccp_conn_free(struct dccp_conn *c);

/* Client: send the Request (CLOSED -> REQUEST) and arm its timer. */
void dccp_conn_connect(struct dccp_conn *c, uint64_t now);

/*
 * A packet for this connection: pkt[0..len) decoded into h by
 * dccp_decode() (options not yet checked) with a checksum that verified.
 * Runs the steps of section 8.5.  Returns 1 when the packet carries
 * application data to deliver (pkt + h->doff, len - h->doff), 0 when it
 * does not or was handled, or a negative dccp_error (as -DCCP_ERR_*)
 * when it was dropped for that reason.
 */
int dccp_conn_input(struct dccp_conn *c, const struct dccp_hdr *h,
		    const uint8_t *pkt, size_t len, uint64_t now);

/*
 * Send data[0..len) as one Data or DataAck packet.  0 when sent;
 * -ENOTCONN before the connection may carry data or after it closed;
 * -EMSGSIZE when len is over dccp_conn_mps(); -EAGAIN when CCID 2's
 * window is full (then DCCP_EV_WRITABLE follows when it opens).
 */
int dccp_conn_send(struct dccp_conn *c, const uint8_t *data, size_t len,
		   uint64_t now);

/*
 * The largest payload one packet carries now: mtu minus the header and
 * the options a data packet may need (14: a packet never fragments).
 */
size_t dccp_conn_mps(const struct dccp_conn *c);

/*
 * Close (8.3): an open client sends Close (CLOSING), an open server
 * CloseReq (CLOSEREQ); a connection still opening sends Reset Closed.
 * Retransmits with backoff until answered.
 */
void dccp_conn_close(struct dccp_conn *c, uint64_t now);

/* Send Reset with code now and go to CLOSED (TIMEWAIT is not kept). */
void dccp_conn_abort(struct dccp_conn *c, uint8_t code, uint64_t now);

/* Microseconds until dccp_conn_on_timeout() should run, -1 for never. */
int64_t dccp_conn_next_timeout(const struct dccp_conn *c, uint64_t now);
void dccp_conn_on_timeout(struct dccp_conn *c, uint64_t now);

enum dccp_state dccp_conn_state(const struct dccp_conn *c);
const struct dccp_conn_stats *dccp_conn_stats(const struct dccp_conn *c);
/* Our HC-Sender's CCID 2 (window, pipe, losses). */
const struct ccid2_tx *dccp_conn_ccid2(const struct dccp_conn *c);

/*
 * The Reset a host sends for packet h that belongs to no connection
 * (8.3.1: the Sequence and Acknowledgement Numbers as that section
 * derives them from h's), written to buf with checksum 0.  Returns its length, 0 when h must get no answer (a
 * Reset), or -ENOSPC.
 */
int dccp_reset_for(const struct dccp_hdr *h, uint8_t code, uint8_t *buf,
		   size_t cap);

#endif
