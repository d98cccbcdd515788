/*
 * Error codes.  Functions that can fail return 0 or a negative value:
 * -errno for system errors (-EAGAIN: would block), and the codes below,
 * which lie above the errno range, for our own failures.
 */
#ifndef DTLSGW_ERRORS_H
#define DTLSGW_ERRORS_H

enum dtlsgw_error {
	DTLSGW_ERR_BASE = 10000,
	DTLSGW_ERR_CONFIG,		/* invalid configuration */
	DTLSGW_ERR_TLS,			/* TLS library failure (setup) */
	DTLSGW_ERR_HANDSHAKE,		/* the handshake failed */
	DTLSGW_ERR_CLOSED,		/* the peer sent close_notify */
	DTLSGW_ERR_FATAL_ALERT,		/* the peer sent a fatal alert */
	DTLSGW_ERR_VERIFY,		/* the peer's certificate was refused */
	DTLSGW_ERR_MALFORMED,		/* bytes that do not parse */
	DTLSGW_ERR_TOO_BIG,		/* message larger than the path allows */
	DTLSGW_ERR_LIMIT,		/* a configured limit was reached */
	DTLSGW_ERR_NOBUFS,		/* the buffer pool is exhausted */
};

/* A static string describing err (negative errno or DTLSGW_ERR_*). */
const char *dtlsgw_strerror(int err);

#endif
