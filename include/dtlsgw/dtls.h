/*
 * The DTLS engine: the one API through which the tree uses a TLS library.
 * Behind it, one backend per library: wolfSSL (src/dtls_wolfssl.c, the
 * default) and OpenSSL (src/dtls_openssl.c), chosen per context; only
 * src/dtls*.c include a TLS library.  It sees datagrams in and records out
 * through callbacks, never sockets, so every transport shares it.
 *
 * A dtls_ctx is built once per route side and is read-only afterwards, so
 * workers share it.  A dtls_session belongs to one worker.
 */
#ifndef DTLSGW_DTLS_H
#define DTLSGW_DTLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "dtlsgw/config.h"
#include "dtlsgw/dtls_record.h"

struct dtls_ctx;
struct dtls_session;

enum dtls_role {
	DTLS_ROLE_SERVER = 0,
	DTLS_ROLE_CLIENT,
};

/*
 * Process-wide setup: every backend's library, and the key-log file
 * (NULL: none).  Call once from the main thread before anything else here.
 * 0 or error.
 */
int dtls_global_init(const char *keylog_path);
void dtls_global_cleanup(void);

/*
 * Free what the TLS libraries keep per thread (wolfSSL's fixed-point ECC
 * cache, OpenSSL's thread-local state); each worker thread calls it as it
 * ends.
 */
void dtls_thread_cleanup(void);

struct dtls_ctx_params {
	enum dtls_role		 role;
	const struct tls_config	*tls;
	const char		*route;		/* for log lines */
	const char		*server_name;	/* client: the name to verify, or NULL */
	bool			 reliable;	/* transport is reliable: no retransmission */
	enum engine_kind	 engine;	/* the backend; 0 is wolfSSL */
	/* the largest datagram the transport carries; 0: engine's default */
	size_t			 mtu;
	/* keep the peer's verified chain (dtls_session_peer_cert()) */
	bool			 keep_peer_chain;
};

/* True when this build has the backend. */
bool dtls_engine_available(enum engine_kind engine);

/* "wolfssl" or "openssl". */
const char *dtls_engine_name(enum engine_kind engine);

/*
 * Build a context on the backend p->engine.  Returns 0 and *out, or a
 * negative error with a message in err (errlen bytes) naming the file or
 * setting at fault (or the backend, when this build lacks it).
 */
int dtls_ctx_create(const struct dtls_ctx_params *p, struct dtls_ctx **out,
		    char *err, size_t errlen);
void dtls_ctx_destroy(struct dtls_ctx *ctx);

/*
 * Certificate rotation (SIGHUP): a new context like ctx (same role, route,
 * engine) from tls, whose files are read again: certificate, key, CA and
 * CRL.  0 and *out, or a negative error with a message in err.
 */
int dtls_ctx_rebuild(const struct dtls_ctx *ctx, const struct tls_config *tls,
		     struct dtls_ctx **out, char *err, size_t errlen);

/*
 * ctx takes fresh's certificate, key, trust anchors and CRL for the
 * sessions it makes from now on; the sessions it made keep what they had.
 * fresh (from dtls_ctx_rebuild(ctx)) is consumed.  Any thread; sessions
 * may be made on other threads meanwhile.
 */
void dtls_ctx_adopt(struct dtls_ctx *ctx, struct dtls_ctx *fresh);

/* The SHA-256 of the context's own certificate, false when it has none. */
bool dtls_ctx_fingerprint(const struct dtls_ctx *ctx, uint8_t out[32]);

/* Format a SHA-256 fingerprint as "sha256:AB:CD:..."; buf >= 104 bytes. */
const char *dtls_fingerprint_str(const uint8_t fp[32], char *buf, size_t len);

/*
 * Stateless cookies (RFC 6347 4.2.1).  The secret of each epoch is derived
 * from a master key, so it rotates every period_s seconds without shared
 * mutable state; a cookie of the current or the previous epoch is valid.
 * A jar is owned by one listener on one worker.
 */
#define DTLS_COOKIE_SECRET_LEN	32
#define DTLS_COOKIE_PERIOD_S	60

struct dtls_cookie_jar {
	uint8_t		master[32];
	unsigned int	period_s;
	uint64_t	epoch[2];	/* cached: [0] newest */
	uint8_t		secret[2][DTLS_COOKIE_SECRET_LEN];
	bool		cached[2];
};

/* Fill master with fresh random bytes (once per process).  0 or error. */
int dtls_cookie_master_new(uint8_t master[32]);

void dtls_cookie_jar_init(struct dtls_cookie_jar *jar,
			  const uint8_t master[32], unsigned int period_s);

/* The secret for the epoch containing now_s (written to out). */
void dtls_cookie_secret(struct dtls_cookie_jar *jar, uint64_t epoch,
			uint8_t out[DTLS_COOKIE_SECRET_LEN]);

/*
 * The cookie for ch from peer under secret: HMAC-SHA256 over the peer's
 * address and the ClientHello fields, as wolfSSL computes it, so that the
 * session object wolfSSL creates later accepts the same ClientHello.  The
 * same for every backend (the OpenSSL one does not check cookies again).
 */
void dtls_cookie_compute(const uint8_t secret[DTLS_COOKIE_SECRET_LEN],
			 const struct sockaddr *peer, socklen_t peerlen,
			 const struct dtls_client_hello *ch,
			 uint8_t out[DTLS_HVR_COOKIE_LEN]);

enum dtls_hello_verdict {
	DTLS_HELLO_ACCEPT = 0,	/* valid cookie: create the session with secret */
	DTLS_HELLO_VERIFY,	/* send the HelloVerifyRequest written to out */
	DTLS_HELLO_DROP,	/* not an acceptable ClientHello: drop */
};

/*
 * Decide what to do with datagram dg from a peer that has no session.
 * On ACCEPT, secret receives the epoch secret that validated the cookie.
 * On VERIFY, out (cap >= 64) holds *outlen bytes to send back; the reply is
 * never larger than dg.  *why names the reason of a DROP for counters.
 */
enum dtls_hello_verdict dtls_hello_check(struct dtls_cookie_jar *jar,
					 uint64_t now_s,
					 const struct sockaddr *peer,
					 socklen_t peerlen,
					 const uint8_t *dg, size_t len,
					 uint8_t *out, size_t cap,
					 size_t *outlen,
					 uint8_t secret[DTLS_COOKIE_SECRET_LEN],
					 const char **why);

/* How the session hands ciphertext to its transport. */
struct dtls_io {
	/* Send one datagram; 0 or a negative error.  buf is borrowed. */
	int	(*send)(void *arg, const uint8_t *buf, size_t len);
	void	*arg;
};

/*
 * A session for peer.  Server role: cookie_secret is the secret that
 * validated the peer's ClientHello (from dtls_hello_check).  Client role:
 * cookie_secret is NULL; resume, when not NULL, is a session to resume
 * (see dtls_session_save).  Returns NULL on failure.
 */
struct dtls_session *dtls_session_create(struct dtls_ctx *ctx,
					 const struct sockaddr *peer,
					 socklen_t peerlen,
					 const uint8_t *cookie_secret,
					 const struct dtls_io *io,
					 const void *resume);

/* Free without sending anything.  NULL is fine. */
void dtls_session_destroy(struct dtls_session *s);

/*
 * Drive the handshake (a client starts it here).  0 when established,
 * -EAGAIN while in progress, or a negative error (the reason is in
 * dtls_session_error()).
 */
int dtls_session_handshake(struct dtls_session *s);

/*
 * Hand one received datagram (borrowed until the next call on s) to the
 * engine.  While handshaking this drives the handshake: the return is as
 * for dtls_session_handshake().  Once established it returns 0; read the
 * plaintext with dtls_session_read().
 */
int dtls_session_input(struct dtls_session *s, const uint8_t *dg,
		       size_t len);

/*
 * Read one record's plaintext into buf.  0 with *n set, -EAGAIN when the
 * datagram is used up, -DTLSGW_ERR_CLOSED on close_notify, or another
 * negative error (fatal for the session).
 */
int dtls_session_read(struct dtls_session *s, uint8_t *buf, size_t cap,
		      size_t *n);

/*
 * Protect len bytes as one record and send it.  0, -DTLSGW_ERR_TOO_BIG when
 * len exceeds dtls_session_max_plaintext(), or a negative error.
 */
int dtls_session_write(struct dtls_session *s, const uint8_t *buf,
		       size_t len);

/* Send close_notify (once).  0 or a negative error. */
int dtls_session_shutdown(struct dtls_session *s);

/* Milliseconds until dtls_session_on_timeout() is due, -1 for no timer. */
int64_t dtls_session_timeout_ms(const struct dtls_session *s);

/*
 * Retransmit the last flight.  0, or a negative error when it gave up.
 * The OpenSSL backend keeps its deadline on the wall clock: called before
 * it, this does nothing and returns 0, and dtls_session_timeout_ms() says
 * how long is left.
 */
int dtls_session_on_timeout(struct dtls_session *s);

bool dtls_session_established(const struct dtls_session *s);

/*
 * Free what the handshake left behind, once no flight of it can be asked
 * for again: call it a while after the handshake (see DTLS_TRIM_AFTER_MS).
 * The session's records become the gateway's own and the library's session
 * goes (see dtls_session_own_records()); where that cannot be, the library
 * frees its hashes, keys, last flight and idle buffers.  An established
 * session that has never carried data keeps all of it otherwise.  Nothing
 * happens before establishment.
 */
#define DTLS_TRIM_AFTER_MS	15000	/* four lost final flights in a row */
void dtls_session_trim(struct dtls_session *s);
bool dtls_session_resumed(const struct dtls_session *s);

/*
 * True once the session's records are the gateway's own work and the TLS
 * library's session is freed.  That happens at the first datagram of data
 * from the peer (which has then finished its handshake: nothing of it can
 * be asked for again), or at dtls_session_trim(), for the AEAD suites of
 * DTLS 1.2 (ChaCha20-Poly1305, AES-GCM) in a build with libcrypto.  The
 * records are the same on the wire; an idle session then costs a few
 * hundred bytes instead of the library's tens of kilobytes, and each record
 * is opened straight into the caller's buffer.
 */
bool dtls_session_own_records(const struct dtls_session *s);

/*
 * Keying material (RFC 5705, no context) of an established session, such
 * as the SCTP-AUTH key of RFC 6083 (label "EXPORTER_DTLS_OVER_SCTP", 64
 * bytes): call it as the handshake completes, before the session's first
 * read or write.  0, or -ENOTSUP (a suite the own record layer does not
 * carry, or a build without libcrypto).
 */
int dtls_session_export(struct dtls_session *s, const char *label,
			uint8_t *out, size_t len);

/*
 * Largest plaintext one record can carry on this session: with wolfSSL
 * 5.5.4 what fits its 1400-byte datagrams; with OpenSSL what fits the
 * context's mtu, at most 16384 (known once established).
 */
size_t dtls_session_max_plaintext(const struct dtls_session *s);

/*
 * "DTLSv1.2 ECDHE-ECDSA-CHACHA20-POLY1305 X25519" (version, suite, key
 * exchange group when there is one), for the handshake log line.
 */
const char *dtls_session_describe(const struct dtls_session *s, char *buf,
				  size_t len);

/* What went wrong last, in words (alert received/sent, library error). */
const char *dtls_session_error(const struct dtls_session *s);

/*
 * The peer's certificate chain as the handshake verified it, on a context
 * made with keep_peer_chain (else, and when the peer sent no certificate
 * or nothing verified it, there is none).  Depth 0 is the peer's own
 * certificate, then each issuer up to the trust anchor, as far as the
 * library verified it.
 *
 * dtls_session_peer_cert: the DER of the certificate at depth 0, borrowed
 * from s until it is destroyed; NULL when there is none.
 * dtls_session_peer_chain: the SHA-256 of each certificate of the chain,
 * depth 0 first, into fps; how many of max it wrote.
 */
#define DTLS_PEER_CHAIN_MAX	8
const uint8_t *dtls_session_peer_cert(const struct dtls_session *s,
				      size_t *len);
size_t dtls_session_peer_chain(const struct dtls_session *s,
			       uint8_t (*fps)[32], size_t max);

/* True when the last failure was the peer's certificate being refused. */
bool dtls_session_verify_failed(const struct dtls_session *s);

/*
 * Client role: keep the established session for resumption.  Returns an
 * opaque handle to pass as `resume` (free with dtls_session_saved_free),
 * or NULL.  A handle only resumes on a context of the same backend; on
 * another it is ignored and a full handshake runs.
 */
void *dtls_session_save(struct dtls_session *s);
void dtls_session_saved_free(void *saved);

#endif
