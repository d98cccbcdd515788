/*
 * diameter: Diameter (RFC 6733) between DTLS over SCTP (RFC 6083, port
 * 5868) and a cleartext peer over TCP or SCTP (3868).  The gateway is a
 * transport, not a Diameter agent: CER/CEA, DWR/DWA and every application
 * message pass unchanged, in order, one backend connection or association
 * per peer association (the route's flow per session).
 *
 * On TCP, messages are cut out of the stream by the header's 24-bit length
 * (the framing below): version 1 and a length from 20 bytes to what a
 * message buffer holds; a stream that breaks these is closed, that
 * connection only.  Every message, whichever way it goes, must be whole
 * and well formed (src/diameter.c: its length, the AVPs walking exactly to
 * its end; reserved flags are the receiver's to ignore); one that is not is
 * dropped and counted by reason.
 */
#include <sys/types.h>

#include "dtlsgw/adapter.h"
#include "dtlsgw/dgram.h"
#include "dtlsgw/diameter.h"
#include "dtlsgw/session.h"
#include "dtlsgw/transport.h"

/* The drop reasons: diameter_error's, by its number. */
static const char *const drop_names[] = {
	"ok",
	"short",
	"trailing",
	"bad_version",
	"bad_length",
	"too_long",
	"unaligned_length",
	"reserved_flags",
	"bad_avp_length",
	"avp_overrun",
};

static ssize_t message_len(const uint8_t *buf, size_t avail, size_t max)
{
	uint32_t len;

	if (avail >= 1 && buf[0] != DIAMETER_VERSION)
		return -1;
	if (avail < 4)
		return 0;
	len = (uint32_t)buf[1] << 16 | (uint32_t)buf[2] << 8 | buf[3];
	if (len < DIAMETER_HEADER_LEN || len % 4 != 0 || len > max)
		return -1;
	return (ssize_t)len;
}

static const struct transport_framing framing = {
	.message_len = message_len,
};

static enum adapter_verdict check(struct session *s, struct dgram *d)
{
	enum diameter_error e = diameter_check(d->data, d->len, DGRAM_CAP);

	/* reserved flags: "set to 0 and ignored by the receiver" (RFC 6733
	 * 3): a transport passes them on */
	if (e == DIAMETER_OK || e == DIAMETER_ERR_RESERVED_FLAGS)
		return ADAPTER_PASS;
	session_adapter_drop(s, (unsigned int)e);
	return ADAPTER_DROP;
}

static enum adapter_verdict from_dtls(struct adapter *a, struct session *s,
				      void *state, struct dgram *d)
{
	(void)a;
	(void)state;
	return check(s, d);
}

static enum adapter_verdict to_dtls(struct adapter *a, struct session *s,
				    void *state, struct dgram *d)
{
	(void)a;
	(void)state;
	return check(s, d);
}

const struct adapter_ops adapter_diameter = {
	.name = "diameter",
	.drop_names = drop_names,
	.ndrops = sizeof(drop_names) / sizeof(drop_names[0]),
	.framing = &framing,
	/* IANA: 46 Diameter, 47 Diameter in DTLS (RFC 6733 section 2.1) */
	.sctp_ppid = 46,
	.sctp_ppid_dtls = 47,
	.from_dtls = from_dtls,
	.to_dtls = to_dtls,
};
