/*
 * The STUN codec (RFC 8489) and ChannelData framing (RFC 8656 12.4): see
 * include/dtlsgw/stun.h.
 */
#include <netinet/in.h>
#include <string.h>

#include "dtlsgw/bytes.h"
#include "dtlsgw/stun.h"

const char *const stun_error_names[STUN_ERR_MAX] = {
	[STUN_OK] = "ok",
	[STUN_ERR_SHORT] = "short",
	[STUN_ERR_NOT_STUN] = "not_stun",
	[STUN_ERR_BAD_LENGTH] = "bad_length",
	[STUN_ERR_ATTR_OVERRUN] = "attr_overrun",
	[STUN_ERR_BAD_ATTR] = "bad_attr",
	[STUN_ERR_FINGERPRINT_NOT_LAST] = "fingerprint_not_last",
	[STUN_ERR_BAD_FINGERPRINT] = "bad_fingerprint",
	[STUN_ERR_AFTER_INTEGRITY] = "after_integrity",
	[STUN_ERR_NO_SPACE] = "no_space",
};

/* The address families of XOR-MAPPED-ADDRESS and its kin (RFC 8489 14.1). */
#define FAMILY_IPV4	0x01
#define FAMILY_IPV6	0x02
#define XOR_V4_LEN	8
#define XOR_V6_LEN	20
#define INTEGRITY_LEN	20
#define FINGERPRINT_LEN	4

static size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

const char *stun_error_name(enum stun_error e)
{
	if ((unsigned int)e >= STUN_ERR_MAX)
		return "unknown";
	return stun_error_names[e];
}

enum stun_kind stun_classify(const uint8_t *p, size_t len)
{
	if (len < 1)
		return STUN_KIND_OTHER;
	switch (p[0] >> 6) {
	case 0:
		if (len >= 8 && be_get32(p + 4) == STUN_MAGIC_COOKIE)
			return STUN_KIND_MESSAGE;
		return STUN_KIND_OTHER;
	case 1:
		return STUN_KIND_CHANNEL_DATA;
	default:
		return STUN_KIND_OTHER;
	}
}

uint16_t stun_type(uint16_t method, enum stun_class cls)
{
	unsigned int c = (unsigned int)cls;

	return (uint16_t)((method & 0x000f) | (method & 0x0070) << 1 |
			  (method & 0x0f80) << 2 | (c & 1) << 4 |
			  (c & 2) << 7);
}

bool stun_attr_known(uint16_t t)
{
	switch (t) {
	case STUN_ATTR_MAPPED_ADDRESS:
	case STUN_ATTR_USERNAME:
	case STUN_ATTR_MESSAGE_INTEGRITY:
	case STUN_ATTR_ERROR_CODE:
	case STUN_ATTR_UNKNOWN_ATTRIBUTES:
	case STUN_ATTR_CHANNEL_NUMBER:
	case STUN_ATTR_LIFETIME:
	case STUN_ATTR_XOR_PEER_ADDRESS:
	case STUN_ATTR_DATA:
	case STUN_ATTR_REALM:
	case STUN_ATTR_NONCE:
	case STUN_ATTR_XOR_RELAYED_ADDRESS:
	case STUN_ATTR_REQUESTED_ADDRESS_FAMILY:
	case STUN_ATTR_EVEN_PORT:
	case STUN_ATTR_REQUESTED_TRANSPORT:
	case STUN_ATTR_DONT_FRAGMENT:
	case STUN_ATTR_MESSAGE_INTEGRITY_SHA256:
	case STUN_ATTR_PASSWORD_ALGORITHM:
	case STUN_ATTR_USERHASH:
	case STUN_ATTR_XOR_MAPPED_ADDRESS:
	case STUN_ATTR_RESERVATION_TOKEN:
	case STUN_ATTR_PRIORITY:
	case STUN_ATTR_USE_CANDIDATE:
	case STUN_ATTR_ADDITIONAL_ADDRESS_FAMILY:
	case STUN_ATTR_ADDRESS_ERROR_CODE:
	case STUN_ATTR_PASSWORD_ALGORITHMS:
	case STUN_ATTR_ALTERNATE_DOMAIN:
	case STUN_ATTR_ICMP:
	case STUN_ATTR_SOFTWARE:
	case STUN_ATTR_ALTERNATE_SERVER:
	case STUN_ATTR_FINGERPRINT:
	case STUN_ATTR_ICE_CONTROLLED:
	case STUN_ATTR_ICE_CONTROLLING:
		return true;
	default:
		return false;
	}
}

/* The size rules of the attributes whose size is fixed or bounded. */
static bool attr_size_ok(uint16_t t, const uint8_t *v, size_t vlen)
{
	switch (t) {
	case STUN_ATTR_MESSAGE_INTEGRITY:
		return vlen == INTEGRITY_LEN;
	case STUN_ATTR_MESSAGE_INTEGRITY_SHA256:
		return vlen >= 16 && vlen <= 32 && vlen % 4 == 0;
	case STUN_ATTR_FINGERPRINT:
		return vlen == FINGERPRINT_LEN;
	case STUN_ATTR_MAPPED_ADDRESS:
	case STUN_ATTR_XOR_MAPPED_ADDRESS:
	case STUN_ATTR_XOR_PEER_ADDRESS:
	case STUN_ATTR_XOR_RELAYED_ADDRESS:
	case STUN_ATTR_ALTERNATE_SERVER:
		return (vlen == XOR_V4_LEN && v[1] == FAMILY_IPV4) ||
		       (vlen == XOR_V6_LEN && v[1] == FAMILY_IPV6);
	case STUN_ATTR_CHANNEL_NUMBER:
	case STUN_ATTR_LIFETIME:
	case STUN_ATTR_REQUESTED_TRANSPORT:
	case STUN_ATTR_REQUESTED_ADDRESS_FAMILY:
	case STUN_ATTR_PRIORITY:
		return vlen == 4;
	case STUN_ATTR_ERROR_CODE:
		return vlen >= 4;
	default:
		return true;
	}
}

enum stun_error stun_parse(const uint8_t *p, size_t len, struct stun_msg *m)
{
	size_t off, mlen;

	memset(m, 0, sizeof(*m));
	if (len < STUN_HEADER_LEN)
		return STUN_ERR_SHORT;
	if (stun_classify(p, len) != STUN_KIND_MESSAGE)
		return STUN_ERR_NOT_STUN;
	mlen = be_get16(p + 2);
	if (mlen % 4 != 0 || STUN_HEADER_LEN + mlen != len)
		return STUN_ERR_BAD_LENGTH;
	m->type = be_get16(p);
	m->method = (uint16_t)((m->type & 0x000f) | (m->type & 0x00e0) >> 1 |
			       (m->type & 0x3e00) >> 2);
	m->cls = (uint8_t)((m->type >> 4 & 1) | (m->type >> 7 & 2));
	m->len = len;
	for (off = STUN_HEADER_LEN; off < len;) {
		uint16_t t;
		size_t vlen;

		if (len - off < 4)
			return STUN_ERR_ATTR_OVERRUN;
		t = be_get16(p + off);
		vlen = be_get16(p + off + 2);
		if (pad4(vlen) > len - off - 4)
			return STUN_ERR_ATTR_OVERRUN;
		if (m->fingerprint != 0)
			return STUN_ERR_FINGERPRINT_NOT_LAST;
		if (m->integrity_sha256 != 0 && t != STUN_ATTR_FINGERPRINT)
			return STUN_ERR_AFTER_INTEGRITY;
		if (m->integrity != 0 && t != STUN_ATTR_FINGERPRINT &&
		    t != STUN_ATTR_MESSAGE_INTEGRITY_SHA256)
			return STUN_ERR_AFTER_INTEGRITY;
		if (!attr_size_ok(t, p + off + 4, vlen))
			return STUN_ERR_BAD_ATTR;
		if (t == STUN_ATTR_MESSAGE_INTEGRITY)
			m->integrity = off;
		else if (t == STUN_ATTR_MESSAGE_INTEGRITY_SHA256)
			m->integrity_sha256 = off;
		else if (t == STUN_ATTR_FINGERPRINT)
			m->fingerprint = off;
		if (t < 0x8000 && !stun_attr_known(t) &&
		    m->nunknown < STUN_MAX_UNKNOWN)
			m->unknown[m->nunknown++] = t;
		m->nattrs++;
		off += 4 + pad4(vlen);
	}
	if (m->fingerprint != 0 &&
	    (stun_crc32(p, m->fingerprint) ^ STUN_FINGERPRINT_XOR) !=
		    be_get32(p + m->fingerprint + 4))
		return STUN_ERR_BAD_FINGERPRINT;
	return STUN_OK;
}

enum stun_error stun_channel_data_check(const uint8_t *p, size_t len,
					uint16_t *channel, size_t *datalen)
{
	uint16_t ch;
	size_t dlen;

	if (len < STUN_CHANNEL_HEADER_LEN)
		return STUN_ERR_SHORT;
	ch = be_get16(p);
	if (ch < STUN_CHANNEL_MIN || ch > STUN_CHANNEL_MAX)
		return STUN_ERR_NOT_STUN;
	dlen = be_get16(p + 2);
	/* the data, and at most its padding to four (RFC 8656 12.5) */
	if (len - STUN_CHANNEL_HEADER_LEN < dlen ||
	    len - STUN_CHANNEL_HEADER_LEN > pad4(dlen))
		return STUN_ERR_BAD_LENGTH;
	*channel = ch;
	*datalen = dlen;
	return STUN_OK;
}

size_t stun_find_attr(const uint8_t *p, const struct stun_msg *m,
		      uint16_t t, size_t *vlen)
{
	*vlen = 0;
	for (size_t off = STUN_HEADER_LEN; off + 4 <= m->len;) {
		size_t n = be_get16(p + off + 2);

		if (be_get16(p + off) == t) {
			*vlen = n;
			return off;
		}
		off += 4 + pad4(n);
	}
	return 0;
}

uint32_t stun_crc32(const uint8_t *p, size_t len)
{
	/* the reflected polynomial 0xedb88320, four bits at a time */
	static const uint32_t nibble[16] = {
		0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac,
		0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
		0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
		0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
	};
	uint32_t crc = 0xffffffffu;

	for (size_t i = 0; i < len; i++) {
		crc ^= p[i];
		crc = (crc >> 4) ^ nibble[crc & 0xf];
		crc = (crc >> 4) ^ nibble[crc & 0xf];
	}
	return crc ^ 0xffffffffu;
}

enum stun_error stun_xor_address_decode(const uint8_t *hdr, const uint8_t *v,
					size_t vlen,
					struct sockaddr_storage *sa,
					socklen_t *salen)
{
	uint16_t port;

	memset(sa, 0, sizeof(*sa));
	*salen = 0;
	if (vlen < 4)
		return STUN_ERR_BAD_ATTR;
	/* the port with the cookie's high half, the address with the
	 * cookie and (IPv6) the transaction ID: bytes 4.. of the header */
	port = (uint16_t)(be_get16(v + 2) ^ (STUN_MAGIC_COOKIE >> 16));
	if (v[1] == FAMILY_IPV4 && vlen == XOR_V4_LEN) {
		struct sockaddr_in *in = (struct sockaddr_in *)sa;
		uint8_t *a = (uint8_t *)&in->sin_addr;

		in->sin_family = AF_INET;
		in->sin_port = htons(port);
		for (int i = 0; i < 4; i++)
			a[i] = v[4 + i] ^ hdr[4 + i];
		*salen = sizeof(*in);
		return STUN_OK;
	}
	if (v[1] == FAMILY_IPV6 && vlen == XOR_V6_LEN) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)sa;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		for (int i = 0; i < 16; i++)
			in6->sin6_addr.s6_addr[i] = v[4 + i] ^ hdr[4 + i];
		*salen = sizeof(*in6);
		return STUN_OK;
	}
	return STUN_ERR_BAD_ATTR;
}

void stun_writer_start(struct stun_writer *w, uint8_t *buf, size_t cap,
		       uint16_t type, const uint8_t *tid)
{
	w->p = buf;
	w->cap = cap;
	w->len = 0;
	w->failed = cap < STUN_HEADER_LEN;
	if (w->failed)
		return;
	be_put16(buf, type & 0x3fff);
	be_put16(buf + 2, 0);
	be_put32(buf + 4, STUN_MAGIC_COOKIE);
	memcpy(buf + 8, tid, STUN_TID_LEN);
	w->len = STUN_HEADER_LEN;
}

/* Room for an attribute of vlen bytes: its header, or NULL (failed). */
static uint8_t *reserve(struct stun_writer *w, uint16_t type, size_t vlen)
{
	uint8_t *a;

	if (w->failed || vlen > 0xffff || w->cap - w->len < 4 + pad4(vlen) ||
	    w->len + 4 + pad4(vlen) - STUN_HEADER_LEN > 0xffff) {
		w->failed = true;
		return NULL;
	}
	a = w->p + w->len;
	be_put16(a, type);
	be_put16(a + 2, (uint16_t)vlen);
	memset(a + 4 + vlen, 0, pad4(vlen) - vlen);
	w->len += 4 + pad4(vlen);
	return a;
}

void stun_writer_attr(struct stun_writer *w, uint16_t type, const void *v,
		      size_t vlen)
{
	uint8_t *a = reserve(w, type, vlen);

	if (a != NULL && vlen > 0)
		memcpy(a + 4, v, vlen);
}

void stun_writer_xor_address(struct stun_writer *w, uint16_t type,
			     const struct sockaddr *sa)
{
	static const uint8_t v4mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
	};
	const uint8_t *addr;
	uint16_t port;
	size_t alen;
	uint8_t *a;

	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;

		addr = (const uint8_t *)&in->sin_addr;
		alen = 4;
		port = ntohs(in->sin_port);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;

		addr = in6->sin6_addr.s6_addr;
		alen = 16;
		if (memcmp(addr, v4mapped, sizeof(v4mapped)) == 0) {
			addr += 12;
			alen = 4;
		}
		port = ntohs(in6->sin6_port);
	} else {
		w->failed = true;
		return;
	}
	a = reserve(w, type, 4 + alen);
	if (a == NULL)
		return;
	a[4] = 0;
	a[5] = alen == 4 ? FAMILY_IPV4 : FAMILY_IPV6;
	be_put16(a + 6, (uint16_t)(port ^ (STUN_MAGIC_COOKIE >> 16)));
	/* the cookie, then the transaction ID: header bytes 4..19 */
	for (size_t i = 0; i < alen; i++)
		a[8 + i] = addr[i] ^ w->p[4 + i];
}

void stun_writer_error_code(struct stun_writer *w, unsigned int code,
			    const char *reason)
{
	size_t rlen = strlen(reason);
	uint8_t *a;

	if (code < 300 || code > 699) {
		w->failed = true;
		return;
	}
	a = reserve(w, STUN_ATTR_ERROR_CODE, 4 + rlen);
	if (a == NULL)
		return;
	a[4] = 0;
	a[5] = 0;
	a[6] = (uint8_t)(code / 100);
	a[7] = (uint8_t)(code % 100);
	memcpy(a + 8, reason, rlen);
}

size_t stun_writer_finish(struct stun_writer *w, bool fingerprint)
{
	uint8_t *a;

	if (fingerprint) {
		a = reserve(w, STUN_ATTR_FINGERPRINT, FINGERPRINT_LEN);
		if (a == NULL)
			return 0;
		/* the length covers FINGERPRINT before the CRC is taken */
		be_put16(w->p + 2, (uint16_t)(w->len - STUN_HEADER_LEN));
		be_put32(a + 4, stun_crc32(w->p, (size_t)(a - w->p)) ^
				     STUN_FINGERPRINT_XOR);
	}
	if (w->failed)
		return 0;
	be_put16(w->p + 2, (uint16_t)(w->len - STUN_HEADER_LEN));
	return w->len;
}
