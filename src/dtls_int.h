/*
 * Inside the DTLS engine: what the dispatcher (src/dtls_engine.c) and the
 * backends (src/dtls_wolfssl.c, src/dtls_openssl.c) share, as curl's
 * lib/vtls/vtls_int.h does for its TLS backends.  Only src/dtls*.c include
 * this file; it names no library type.
 *
 * A backend allocates its own context and session structures and puts the
 * common part first: struct dtls_ctx and struct dtls_session below, whose
 * first member points at the backend's ops.  The dispatcher reads the
 * common fields and forwards everything else to the ops.
 */
#ifndef DTLSGW_DTLS_INT_H
#define DTLSGW_DTLS_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "dtlsgw-config.h"
#include "dtlsgw/dtls.h"

/* How long a handshake keeps retransmitting: 1+2+4+8+16 s, then it fails. */
#define DTLS_HANDSHAKE_TIMEOUT_INIT_MS	1000
#define DTLS_HANDSHAKE_TIMEOUT_MAX_MS	16000

/*
 * The datagram size handshake flights are cut to: an Ethernet MTU less the
 * IPv6 and UDP headers, which fits IPv4 too.  Also the engine's datagram
 * size when the caller does not say (dtls_ctx_params.mtu == 0).
 */
#define DTLS_MTU_DEFAULT		1452

struct dtls_engine_ops;
struct dtls_fast;

/*
 * The record layer after the handshake (src/dtls_fast.c): AEAD suites of
 * DTLS 1.2 on libcrypto, whichever library made the keys.
 */
enum dtls_aead {
	DTLS_AEAD_NONE = 0,
	DTLS_AEAD_CHACHA20_POLY1305,
	DTLS_AEAD_AES_128_GCM,
	DTLS_AEAD_AES_256_GCM,
};

struct dtls_keys {
	uint16_t	 suite;		/* IANA number */
	bool		 client;
	bool		 resumed;
	uint8_t		 master[48];
	uint8_t		 client_random[32];
	uint8_t		 server_random[32];
	char		 desc[64];	/* as dtls_session_describe() says */
	size_t		 max_plaintext;
	/* filled by the dispatcher */
	uint16_t	 epoch;
	uint64_t	 wseq;		/* the next record's number */
	bool		 rany;		/* rtop: accepted, and all before it */
	uint64_t	 rtop;
};

enum dtls_fast_verdict {
	DTLS_FAST_OK = 0,
	DTLS_FAST_MALFORMED,
	DTLS_FAST_OTHER_EPOCH,
	DTLS_FAST_REPLAY,
	DTLS_FAST_BAD_TAG,
};

/* The AEAD of a cipher suite, DTLS_AEAD_NONE for the others. */
enum dtls_aead dtls_aead_of_suite(uint16_t suite);

/* TLS 1.2's PRF (RFC 5246 5) on SHA-256 or SHA-384.  0 or error. */
int dtls_tls12_prf(bool sha384, const uint8_t *secret, size_t secretlen,
		   const char *label, const uint8_t *seed, size_t seedlen,
		   uint8_t *out, size_t outlen);

/* 0 and *out, -ENOTSUP for a suite it lacks, or another error. */
int dtls_fast_create(struct dtls_fast **out, const struct dtls_keys *k);
void dtls_fast_free(struct dtls_fast *f);

/* Bytes a record adds to its plaintext. */
size_t dtls_fast_overhead(const struct dtls_fast *f);

/* Protect len bytes as one record of type into out.  0 or error. */
int dtls_fast_seal(struct dtls_fast *f, uint8_t type, const uint8_t *in,
		   size_t len, uint8_t *out, size_t cap, size_t *outlen);

/* Seal, and send the record as one datagram through io. */
int dtls_fast_write(struct dtls_fast *f, uint8_t type, const uint8_t *buf,
		    size_t len, const struct dtls_io *io);

/*
 * Open one record (rec, len: exactly one record) into out (cap bytes):
 * its plaintext length and type on DTLS_FAST_OK.  A record of another
 * epoch, a replay, or one whose tag fails, is refused.
 */
enum dtls_fast_verdict dtls_fast_open(struct dtls_fast *f,
				      const uint8_t *rec, size_t len,
				      uint8_t *out, size_t cap, size_t *n,
				      uint8_t *type);

/*
 * The next record of the datagram in (len bytes) from *off that opens, as
 * dtls_fast_open() does: true with it, *off past it.  Records that fail
 * are dropped one by one (RFC 6347 4.1.2.7); false when none is left.
 */
bool dtls_fast_next(struct dtls_fast *f, const uint8_t *in, size_t len,
		    size_t *off, uint8_t *out, size_t cap, size_t *n,
		    uint8_t *type);

size_t dtls_fast_max_plaintext(const struct dtls_fast *f);
bool dtls_fast_resumed(const struct dtls_fast *f);
const char *dtls_fast_describe(const struct dtls_fast *f);

/* The part of every backend's context that the dispatcher reads. */
struct dtls_ctx {
	const struct dtls_engine_ops *ops;
	enum dtls_role		 role;
	enum verify_mode	 verify;	/* in effect, never DEFAULT */
	bool			 has_ca;
	bool			 reliable;
	bool			 psk_only;	/* a PSK and no certificate */
	size_t			 mtu;		/* largest datagram out */
	uint8_t			 pins[CONFIG_MAX_FINGERPRINTS][32];
	size_t			 npins;
	char			*psk_identity;
	uint8_t			 psk[CONFIG_MAX_PSK];
	size_t			 psk_len;
	char			*server_name;
	char			*route;
	uint8_t			 own_fp[32];
	bool			 has_own_fp;
	bool			 keep_peer_chain;
	/*
	 * Held by a backend while it makes a session from its library
	 * context, and by dtls_ctx_adopt() while it swaps that context.
	 */
	pthread_mutex_t		 lib_lock;
};

/* The peer's verified chain (dtls_session_peer_cert()). */
struct dtls_peer_chain {
	uint8_t		*der;		/* depth 0 */
	size_t		 derlen;
	uint8_t		 fp[DTLS_PEER_CHAIN_MAX][32];
	unsigned int	 seen;		/* bit d: fp[d] is set */
};

/* The part of every backend's session that the dispatcher reads. */
struct dtls_session {
	const struct dtls_engine_ops *ops;
	struct dtls_ctx		*ctx;
	struct dtls_io		 io;		/* backends write through this */
	struct dtls_io		 user_io;	/* the caller's, behind io */
	/*
	 * Once set, the library is gone and the record layer is ours
	 * (src/dtls_fast.c); see dtls_session_read() for when.
	 */
	struct dtls_fast	*fast;
	struct dtls_keys	*keys;		/* from establishment to then */
	bool			 no_fast;	/* the suite or library cannot */
	/* the newest protected record written: its epoch and number */
	bool			 tx_seen;
	uint16_t		 tx_epoch;
	uint64_t		 tx_seq;
	/* the datagram being read, when it is a single record */
	bool			 in_single;
	uint8_t			 in_type;
	uint16_t		 in_epoch;
	uint64_t		 in_seq;
	uint64_t		 in_max_seq;	/* of its protected records */
	/* the newest protected record number of a datagram that gave data */
	bool			 rx_seen;
	uint64_t		 rx_seq;
	const uint8_t		*in;		/* the datagram being read */
	size_t			 in_len;
	size_t			 in_off;
	bool			 established;
	bool			 shutdown_sent;
	bool			 verify_failed;
	char			 verify_reason[96];
	struct dtls_peer_chain	*peer;		/* with ctx->keep_peer_chain */
	char			 err[192];
};

/*
 * A backend.  Every op is mandatory; the dispatcher checks arguments and
 * common state before it calls one, so an op may assume s->ctx->ops is its
 * own table.  The semantics are those of the public function of the same
 * name in dtlsgw/dtls.h.
 */
struct dtls_engine_ops {
	const char		*name;		/* "wolfssl", as in --engine */
	enum engine_kind	 kind;

	int	(*global_init)(void);
	void	(*global_cleanup)(void);
	/* Free what the library keeps for the calling thread. */
	void	(*thread_cleanup)(void);

	int	(*ctx_create)(const struct dtls_ctx_params *p,
			      struct dtls_ctx **out, char *err, size_t errlen);
	void	(*ctx_destroy)(struct dtls_ctx *ctx);
	/*
	 * Exchange the library contexts of a and b (same backend), under
	 * a->lib_lock.  The library counts the sessions made from each, so
	 * destroying b later leaves a's older sessions theirs.
	 */
	void	(*ctx_swap)(struct dtls_ctx *a, struct dtls_ctx *b);

	/* resume is the backend's own handle from save(), or NULL. */
	struct dtls_session *(*session_create)(struct dtls_ctx *ctx,
					       const struct sockaddr *peer,
					       socklen_t peerlen,
					       const uint8_t *cookie_secret,
					       const struct dtls_io *io,
					       void *resume);
	void	(*session_destroy)(struct dtls_session *s);

	/* Called only while not established; sets s->established. */
	int	(*handshake)(struct dtls_session *s);
	int	(*read)(struct dtls_session *s, uint8_t *buf, size_t cap,
			size_t *n);
	/* Called only when established and len fits max_plaintext. */
	int	(*write)(struct dtls_session *s, const uint8_t *buf,
			 size_t len);
	/* Called once, when established. */
	int	(*shutdown)(struct dtls_session *s);
	/* Called only while not established on an unreliable transport. */
	int64_t	(*timeout_ms)(const struct dtls_session *s);
	int	(*on_timeout)(struct dtls_session *s);
	bool	(*resumed)(const struct dtls_session *s);
	/* Called only when established: free what the handshake kept. */
	void	(*trim)(struct dtls_session *s);
	size_t	(*max_plaintext)(const struct dtls_session *s);
	const char *(*describe)(const struct dtls_session *s, char *buf,
				size_t len);
	/* Called only when established; the handle goes to saved_free. */
	void	*(*save)(struct dtls_session *s);
	void	(*saved_free)(void *handle);
	/*
	 * Called once, as the handshake completes: what the record layer
	 * needs to go on without the library (k->suite, the secrets, the
	 * role); 0, or -ENOTSUP.  May be NULL: the library stays.
	 */
	int	(*export_keys)(struct dtls_session *s, struct dtls_keys *k);
	/*
	 * Free the library's session, keeping the backend's structure for
	 * session_destroy; no other op is called after it.
	 */
	void	(*release)(struct dtls_session *s);
};

extern const struct dtls_engine_ops dtls_engine_wolfssl;
#if HAVE_OPENSSL
extern const struct dtls_engine_ops dtls_engine_openssl;
#endif

/*
 * Fill the common part of a backend's context from p: the verify mode in
 * effect, pins, PSK, names.  0, or -ENOMEM with nothing to free but what
 * dtls_ctx_base_finish() frees.
 */
int dtls_ctx_base_init(struct dtls_ctx *c, const struct dtls_engine_ops *ops,
		       const struct dtls_ctx_params *p);

/* Free what dtls_ctx_base_init() allocated and wipe the PSK. */
void dtls_ctx_base_finish(struct dtls_ctx *c);

/* What becomes of the peer's certificate, for an engine's verify mode. */
enum dtls_peer_check {
	DTLS_CHECK_NONE = 0,	/* not asked for, not verified */
	DTLS_CHECK_IF_SENT,	/* verified when the peer sends one */
	DTLS_CHECK_REQUIRED,	/* a server's: the client must send one */
};

/*
 * The check a context's verify mode, role and PSK call for; warns (once,
 * for the route) when a client verifies nothing.
 */
enum dtls_peer_check dtls_ctx_peer_check(const struct dtls_ctx *c);

/* True when a backend must hand dtls_verify_decide() the DER at depth. */
bool dtls_verify_wants_der(const struct dtls_session *s, int depth);

/* Fill the common part of a new session. */
void dtls_session_base_init(struct dtls_session *s, struct dtls_ctx *ctx,
			    const struct dtls_io *io);

/*
 * The verdict on one certificate of the peer's chain, the same for every
 * backend.  depth and preverify are the library's; der is the certificate
 * (needed at depth 0 when pinning or keeping the chain, may be NULL
 * otherwise); liberr the library's words for a chain error.  Returns true
 * to accept, and then keeps what the context asks for of the chain; on
 * refusal sets s->verify_failed and s->verify_reason.
 *
 * Without pins the library's verdict stands.  With pins the leaf must be
 * one of them, and with a CA the chain must verify as well.
 */
bool dtls_verify_decide(struct dtls_session *s, int depth, bool preverify,
			const uint8_t *der, size_t derlen, const char *liberr);

/* SHA-256 of len bytes. */
void dtls_sha256(const uint8_t *data, size_t len, uint8_t out[32]);

/* Constant-time comparison of n bytes. */
bool dtls_ct_equal(const uint8_t *a, const uint8_t *b, size_t n);

/*
 * A copy of sa with everything that is not address and port zeroed; its
 * length, or 0 for a family other than IPv4 and IPv6.
 */
socklen_t dtls_normalize_peer(const struct sockaddr *sa, socklen_t len,
			      struct sockaddr_storage *out);

/*
 * The process's ephemeral ECDSA P-256 certificate and key (DER; the key in
 * SEC 1 form), made at the first call and logged with its fingerprint, so
 * every backend presents the same one.  0, or a negative error.  The
 * pointers stay valid until dtls_global_cleanup().
 */
int dtls_ephemeral(const uint8_t **cert, size_t *certlen, const uint8_t **key,
		   size_t *keylen, uint8_t fp[32]);
void dtls_ephemeral_free(void);

/* True when a key log file is open. */
bool dtls_keylog_enabled(void);

/*
 * Append one NSS key log line (given without its newline) to the key log,
 * in a single write so that lines from several threads stay whole.
 */
void dtls_keylog_write(const char *line, size_t len);

#endif
