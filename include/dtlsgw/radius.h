/*
 * The RADIUS codec of the radius profile (RFC 7360: RADIUS/DTLS, whose
 * shared secret is "radius/dtls"): checking packets from a peer (RFC 2865
 * section 3 and the attributes whose format we must trust), and re-signing
 * requests and replies from one shared secret to another, as a proxy does.
 *
 * Pure functions over bytes: no allocation, no I/O; MD5 and HMAC-MD5 come
 * from dtlsgw/crypto.h.  Secrets are (pointer, length) pairs and may hold
 * any bytes.
 *
 * Which Request Authenticator each computation uses:
 *
 *   packet                    Response Auth.   Message-Auth.     hiding
 *   Access-Request (1)        -                its own           its own
 *   Status-Server (12)        -                its own           its own
 *   Accounting-Request (4),   -                16 zeros          16 zeros
 *   CoA-Request (43),
 *   Disconnect-Request (40)
 *   any reply                 the request's    the request's     the request's
 *
 * The Request Authenticator of Accounting-, CoA- and Disconnect-Request is
 * an MD5 over the whole packet (RFC 2866 section 3, RFC 5176 section 2.3),
 * so nothing inside the packet can depend on it: their Message-Authenticator
 * is computed over 16 zero octets (RFC 5176 section 3.4), and so are their
 * salted attributes (Tunnel-Password in a CoA-Request, RFC 5176 section 3.6,
 * and vendor attributes such as MS-MPPE keys), as FreeRADIUS encodes and
 * decodes them.
 */
#ifndef DTLSGW_RADIUS_H
#define DTLSGW_RADIUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RADIUS_HEADER_LEN	20
#define RADIUS_MAX_LEN		4096
#define RADIUS_AUTH_LEN		16
/* A Message-Authenticator attribute: type, length, 16 octets. */
#define RADIUS_MA_ATTR_LEN	18
/* The shared secret of RADIUS/DTLS (RFC 7360). */
#define RADIUS_DTLS_SECRET	"radius/dtls"

enum radius_code {
	RADIUS_ACCESS_REQUEST = 1,
	RADIUS_ACCESS_ACCEPT = 2,
	RADIUS_ACCESS_REJECT = 3,
	RADIUS_ACCOUNTING_REQUEST = 4,
	RADIUS_ACCOUNTING_RESPONSE = 5,
	RADIUS_ACCESS_CHALLENGE = 11,
	RADIUS_STATUS_SERVER = 12,		/* RFC 5997 */
	RADIUS_STATUS_CLIENT = 13,		/* reserved, never used */
	RADIUS_DISCONNECT_REQUEST = 40,		/* RFC 5176 */
	RADIUS_DISCONNECT_ACK = 41,
	RADIUS_DISCONNECT_NAK = 42,
	RADIUS_COA_REQUEST = 43,
	RADIUS_COA_ACK = 44,
	RADIUS_COA_NAK = 45,
	RADIUS_PROTOCOL_ERROR = 52,		/* RFC 7930 */
};

enum radius_attr_type {
	RADIUS_ATTR_USER_PASSWORD = 2,		/* RFC 2865 5.2 */
	RADIUS_ATTR_CHAP_PASSWORD = 3,
	RADIUS_ATTR_REPLY_MESSAGE = 18,
	RADIUS_ATTR_VENDOR_SPECIFIC = 26,
	RADIUS_ATTR_TUNNEL_PASSWORD = 69,	/* RFC 2868 3.5 */
	RADIUS_ATTR_EAP_MESSAGE = 79,		/* RFC 3579 3.1 */
	RADIUS_ATTR_MESSAGE_AUTHENTICATOR = 80,	/* RFC 3579 3.2 */
};

/* Microsoft's vendor attributes (RFC 2548) */
#define RADIUS_VENDOR_MICROSOFT	311
enum radius_ms_attr_type {
	RADIUS_MS_MPPE_SEND_KEY = 16,		/* RFC 2548 2.4.2 */
	RADIUS_MS_MPPE_RECV_KEY = 17,		/* RFC 2548 2.4.3 */
};

/* Which service a code belongs to: the cleartext port it goes to. */
enum radius_class {
	/* Status-Client, Protocol-Error, unknown codes */
	RADIUS_CLASS_NONE = 0,
	/* 1, 12 and the replies 2, 3, 11: port 1812 */
	RADIUS_CLASS_AUTH,
	/* 4, 5: port 1813 */
	RADIUS_CLASS_ACCT,
	/* 43, 44, 45: port 3799 */
	RADIUS_CLASS_COA,
	/* 40, 41, 42: port 3799 */
	RADIUS_CLASS_DISCONNECT,
};

/* Why a packet was refused; radius_error_name() gives drop-counter names. */
enum radius_error {
	RADIUS_OK = 0,
	/* under 20 bytes, or under its Length */
	RADIUS_ERR_SHORT,
	/* Length field under 20 */
	RADIUS_ERR_BAD_LENGTH,
	/* Length field over 4096 */
	RADIUS_ERR_TOO_LONG,
	RADIUS_ERR_UNKNOWN_CODE,
	/* attributes that do not tile the packet, a malformed
	 * Vendor-Specific, a Message-Authenticator not 18 bytes long or
	 * there twice */
	RADIUS_ERR_BAD_ATTRIBUTE,
	/* a Request or Response Authenticator that does not verify */
	RADIUS_ERR_BAD_AUTHENTICATOR,
	/* a Message-Authenticator that does not verify */
	RADIUS_ERR_BAD_MESSAGE_AUTHENTICATOR,
	/* no Message-Authenticator where one is required */
	RADIUS_ERR_NO_MESSAGE_AUTHENTICATOR,
	/* a hidden attribute of impossible size */
	RADIUS_ERR_BAD_HIDDEN,
	/* no room to add a Message-Authenticator */
	RADIUS_ERR_NO_SPACE,
	/* a reply that does not answer that request code */
	RADIUS_ERR_UNEXPECTED_REPLY,
	/* radius_resign_request() given something else than a request */
	RADIUS_ERR_NOT_REQUEST,
	/* wolfCrypt failed: not the peer's doing */
	RADIUS_ERR_CRYPTO,
};

/* A static snake_case name for e ("ok", "bad_authenticator", ...). */
const char *radius_error_name(enum radius_error e);

/* A static name for a packet code ("Access-Request", ...; "unknown"). */
const char *radius_code_name(uint8_t code);

/* Whether code is one this codec knows (the codes of enum radius_code). */
bool radius_code_known(uint8_t code);

/* Whether code is a request: 1, 4, 12, 40 or 43. */
bool radius_is_request(uint8_t code);

/* Whether code is a reply: 2, 3, 5, 11, 41, 42, 44, 45 or 52. */
bool radius_is_reply(uint8_t code);

/* The service a code belongs to (see enum radius_class). */
enum radius_class radius_code_class(uint8_t code);

/*
 * Whether reply_code may answer request_code: Access-Request by
 * Access-Accept, -Reject or -Challenge; Status-Server by Access-Accept or
 * Accounting-Response (RFC 5997 section 3); Accounting-Request by
 * Accounting-Response; CoA-Request by CoA-ACK/NAK; Disconnect-Request by
 * Disconnect-ACK/NAK; any request by Protocol-Error (RFC 7930).
 */
bool radius_reply_matches(uint8_t request_code, uint8_t reply_code);

/*
 * Check the framing of the packet at p, a datagram of len bytes, as RFC
 * 2865 section 3 asks: Length 20..4096 and not beyond the datagram (bytes
 * after Length are padding: *plen gets Length), a known code, attributes
 * that tile the packet exactly with lengths >= 2, at most one
 * Message-Authenticator of 18 bytes, and hidden attributes whose size their
 * decryption can rely on: User-Password 16..128 octets in steps of 16
 * (RFC 2865 5.2); Tunnel-Password a tag, a 2-octet salt and 16k octets,
 * k >= 1 (RFC 2868 3.5); Vendor-Specific at least 6 octets, and Microsoft's
 * made of whole sub-attributes, MS-MPPE-Send/Recv-Key a salt and 16k
 * octets (RFC 2548 2.4.2, 2.4.3).  *plen (may be NULL) is 0 on error.
 * Verifies no signature: that needs the secret (see radius_resign_*).
 */
enum radius_error radius_validate(const uint8_t *p, size_t len, size_t *plen);

/*
 * Find the first attribute of type in the packet p of Length len (already
 * validated).  Returns its offset (its type octet) or 0 when absent.
 */
size_t radius_find_attr(const uint8_t *p, size_t len, uint8_t type);

/*
 * Low-level computations.  p is a validated packet of Length len; nothing
 * is written to it.  Each writes 16 octets to out.
 */

/*
 * The Request Authenticator of an Accounting-Request (RFC 2866 section 3),
 * CoA-Request or Disconnect-Request (RFC 5176 section 2.3):
 * MD5(Code + Identifier + Length + 16 zero octets + Attributes + Secret).
 */
void radius_request_authenticator(const uint8_t *p, size_t len,
				  const void *secret, size_t slen,
				  uint8_t out[RADIUS_AUTH_LEN]);

/*
 * The Response Authenticator of a reply (RFC 2865 section 3, RFC 2866
 * section 3, RFC 5176 section 2.3): MD5(Code + Identifier + Length +
 * RequestAuth + Attributes + Secret), RequestAuth being the Authenticator
 * of the request it answers.
 */
void radius_response_authenticator(const uint8_t *p, size_t len,
				   const uint8_t req_auth[RADIUS_AUTH_LEN],
				   const void *secret, size_t slen,
				   uint8_t out[RADIUS_AUTH_LEN]);

/*
 * The value of the Message-Authenticator at offset ma_off (RFC 3579 section
 * 3.2, RFC 5176 section 3.4, RFC 5997 section 3): HMAC-MD5 keyed with the
 * secret over the packet with that attribute's value zeroed and auth in
 * the Authenticator field: the packet's own for Access-Request and
 * Status-Server, 16 zeros for Accounting-, CoA- and Disconnect-Request, the
 * request's for a reply (see radius_ma_auth()).  RADIUS_OK, or
 * RADIUS_ERR_CRYPTO (out zeroed).
 */
enum radius_error
radius_message_authenticator(const uint8_t *p, size_t len, size_t ma_off,
			     const uint8_t auth[RADIUS_AUTH_LEN],
			     const void *secret, size_t slen,
			     uint8_t out[RADIUS_AUTH_LEN]);

/*
 * The Authenticator that radius_message_authenticator() and the hiding of
 * attributes take for the packet p: its own (Access-Request, Status-Server),
 * 16 zeros (Accounting-, CoA-, Disconnect-Request), or req_auth (replies;
 * may be NULL for a request).
 */
const uint8_t *radius_ma_auth(const uint8_t *p,
			      const uint8_t req_auth[RADIUS_AUTH_LEN]);

/*
 * Hide (encrypt) len octets in place, len a multiple of 16: User-Password
 * when salt is NULL (RFC 2865 section 5.2: b1 = MD5(S + RA), b(i) =
 * MD5(S + c(i-1))), else the salted form of Tunnel-Password (RFC 2868
 * section 3.5) and MS-MPPE-Send/Recv-Key (RFC 2548 2.4.2), whose first
 * block is MD5(S + R + A) with A the 2-octet salt.  buf holds the plaintext
 * already padded (for Tunnel-Password and MS-MPPE keys, starting with its
 * length octet).
 */
void radius_hide(uint8_t *buf, size_t len, const void *secret, size_t slen,
		 const uint8_t auth[RADIUS_AUTH_LEN], const uint8_t *salt);

/* The inverse of radius_hide(), in place. */
void radius_unhide(uint8_t *buf, size_t len, const void *secret, size_t slen,
		   const uint8_t auth[RADIUS_AUTH_LEN], const uint8_t *salt);

/*
 * Re-sign a request received with secret `from` for a peer sharing `to`
 * (RADIUS/DTLS to cleartext or back), in place in pkt (cap bytes of room,
 * *len the datagram's length on entry, the packet's on return: padding
 * dropped).  In order:
 *  - check the framing (radius_validate()) and that it is a request;
 *  - verify with `from`: the Request Authenticator of Accounting-, CoA- and
 *    Disconnect-Request; the Message-Authenticator when present; its
 *    presence on Status-Server (RFC 5997 section 3) and beside EAP-Message
 *    (RFC 3579 section 3);
 *  - re-hide with `to`: User-Password (Access-Request), Tunnel-Password and
 *    MS-MPPE keys (any request), each with the Authenticator of the table
 *    above; salts are kept;
 *  - set the Identifier to new_id (0..255; -1 keeps it);
 *  - when add_ma, add a Message-Authenticator as the first attribute of an
 *    Access-Request that has none (RADIUS_ERR_NO_SPACE when cap or 4096
 *    would be exceeded) (BlastRADIUS, CVE-2024-3596);
 *  - recompute the Message-Authenticator with `to`, then for Accounting-,
 *    CoA- and Disconnect-Request the Request Authenticator.
 * Access-Request and Status-Server keep their (random) Authenticator.
 * orig_auth gets the Authenticator as received, sent_auth as sent: the
 * reply's signatures use them (radius_resign_reply()); neither may point
 * into pkt.  An Access-Request without Message-Authenticator carries no
 * signature at all: a side that must refuse those (BlastRADIUS) checks
 * radius_find_attr(pkt, len, RADIUS_ATTR_MESSAGE_AUTHENTICATOR) first.
 * On error the packet may be half re-signed and must be dropped; *len is
 * then unspecified, orig_auth and sent_auth zero or as above.
 */
enum radius_error radius_resign_request(uint8_t *pkt, size_t *len, size_t cap,
					const void *from, size_t from_len,
					const void *to, size_t to_len,
					int new_id, bool add_ma,
					uint8_t orig_auth[RADIUS_AUTH_LEN],
					uint8_t sent_auth[RADIUS_AUTH_LEN]);

/*
 * Re-sign a reply received with secret `from`, to the request that
 * radius_resign_request() turned from orig_auth into sent_auth, for the
 * peer sharing `to`; in place (*len: as in radius_resign_request()).
 *  - check the framing, and that the code answers request_code
 *    (RADIUS_ERR_UNEXPECTED_REPLY);
 *  - verify with `from` and sent_auth the Response Authenticator, and the
 *    Message-Authenticator when present; require one when require_ma and
 *    the reply is Access-Accept, -Reject or -Challenge, whatever the
 *    request (BlastRADIUS), and beside EAP-Message (RFC 3579 section 3);
 *  - re-hide Tunnel-Password and MS-MPPE keys from `from` + sent_auth to
 *    `to` + orig_auth, keeping their salts;
 *  - set the Identifier to new_id (0..255; -1 keeps it);
 *  - recompute the Message-Authenticator, then the Response Authenticator,
 *    with `to` and orig_auth.
 * With from == to and orig_auth == sent_auth this only verifies (the
 * packet comes out as it went in): how a reply to our own Status-Server
 * (radius_build_status_server()) is checked.  sent_auth and orig_auth
 * may not point into pkt.
 * On error the packet may be half re-signed and must be dropped.
 */
enum radius_error radius_resign_reply(uint8_t *pkt, size_t *len,
				      const void *from, size_t from_len,
				      const void *to, size_t to_len,
				      uint8_t request_code,
				      const uint8_t sent_auth[RADIUS_AUTH_LEN],
				      const uint8_t orig_auth[RADIUS_AUTH_LEN],
				      int new_id, bool require_ma);

/* Length of what radius_build_status_server() writes. */
#define RADIUS_STATUS_SERVER_LEN	(RADIUS_HEADER_LEN + RADIUS_MA_ATTR_LEN)

/*
 * Write a Status-Server (RFC 5997 section 3) with Identifier id, a random
 * Request Authenticator (copied to auth) and a Message-Authenticator keyed
 * with the secret, for a watchdog.  Returns its length
 * (RADIUS_STATUS_SERVER_LEN), or 0 when cap is too small or no random bytes
 * could be had.
 */
size_t radius_build_status_server(uint8_t *out, size_t cap, uint8_t id,
				  const void *secret, size_t slen,
				  uint8_t auth[RADIUS_AUTH_LEN]);

/*
 * Answer the Status-Server req (req_len bytes, a datagram) received with
 * the secret: when its framing is valid and its Message-Authenticator is
 * present and verifies, write an Access-Accept with the same Identifier, a
 * Message-Authenticator and the Response Authenticator (RFC 5997 sections
 * 3 and 6) to out and return its length; else return 0 (and also when
 * cap is too small).
 */
size_t radius_answer_status_server(uint8_t *out, size_t cap,
				   const uint8_t *req, size_t req_len,
				   const void *secret, size_t slen);

#endif
