/*
 * diamtool: the Diameter peers of the integration tests (RFC 6733 over
 * TCP, section 2.1), built on the tree's framing codec (dtlsgw/diameter.h).
 *
 *   diamtool freeport
 *	print a TCP port free on loopback now
 *   diamtool server ADDR PORT [ORIGIN_HOST]
 *	accept any number of connections; answer CER with CEA, DWR with DWA,
 *	DPR with DPA (then close), any other request with an answer of the
 *	same command and identifiers carrying Result-Code 2001 and the
 *	request's AVPs; a framing error closes that connection only
 *   diamtool client ADDR PORT COUNT MAXSIZE [WINDOW] [TIMEOUT_S]
 *	CER, then COUNT Credit-Control requests (command 272, application 4)
 *	of sizes up to MAXSIZE bytes, at most WINDOW (16) unanswered, a DWR
 *	after every 100, then DPR; check every answer (identifiers, order,
 *	echoed content); print one summary line and exit 0 only when all
 *	came back intact and in order within TIMEOUT_S (60) seconds
 *   diamtool garbage ADDR PORT [KIND]
 *	send bytes the server cannot frame (KIND: version, length,
 *	unaligned, toolong, flags, avp, cut) and exit 0 when the server
 *	closes the connection within 5 s
 *
 * Every mode but server stops by itself; server runs until killed (tests
 * stop it by its PID).  With DIAMTOOL_FAULT set to reorder, duplicate,
 * corrupt or drop, the server misanswers the 10th application request of
 * each connection that way (the self-test shows the client notices).
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dtlsgw/diameter.h"

#define CHUNK		65536
/* the largest message either side takes (answers are 12 bytes longer) */
#define MAX_MSG		DIAMETER_MAX_LEN
#define MAX_REQUEST	(MAX_MSG - 15)
/* stop reading a peer that leaves this much of its answers unread */
#define OUT_HIGH	(1024 * 1024)
#define DWR_EVERY	100
#define FAULT_AT	10

#define APP_CREDIT_CONTROL	4	/* RFC 4006 */
#define CMD_CREDIT_CONTROL	272
#define RESULT_SUCCESS		2001
/*
 * The padding AVP: Access-Network-Charging-Identifier-Value (3GPP TS
 * 29.214, vendor 3GPP), an OctetString that tshark's dictionary knows, so
 * that a capture shows no undecoded AVP.  Its data is the request number,
 * then a pattern drawn from it.
 */
#define PAD_VENDOR		10415
#define PAD_CODE		503
#define PAD_MIN			4
#define PEER_REALM		"example.net"

/* Base protocol and Credit-Control AVPs beyond those diameter.h names. */
enum avp_code {
	AVP_HOST_IP_ADDRESS = 257,
	AVP_AUTH_APPLICATION_ID = 258,
	AVP_ACCT_APPLICATION_ID = 259,
	AVP_VENDOR_SPECIFIC_APPLICATION_ID = 260,
	AVP_VENDOR_ID = 266,
	AVP_PRODUCT_NAME = 269,
	AVP_DISCONNECT_CAUSE = 273,
	AVP_ORIGIN_STATE_ID = 278,
	AVP_CC_REQUEST_NUMBER = 415,
	AVP_CC_REQUEST_TYPE = 416,
	AVP_SERVICE_CONTEXT_ID = 461,
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint32_t rng_next(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static uint32_t rng_seed(void)
{
	struct timespec ts;
	uint32_t s;

	clock_gettime(CLOCK_REALTIME, &ts);
	s = (uint32_t)ts.tv_nsec ^ (uint32_t)ts.tv_sec ^
	    (uint32_t)getpid() << 16;
	return s != 0 ? s : 1;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (p == NULL) {
		fputs("diamtool: out of memory\n", stderr);
		exit(2);
	}
	return p;
}

/* A line on stdout, flushed: tests wait for them in the log. */
__attribute__((format(printf, 1, 2))) static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

static int resolve(const char *host, const char *port, int flags,
		   struct sockaddr_storage *ss, socklen_t *len)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = flags | AI_NUMERICHOST |
					      AI_NUMERICSERV };
	struct addrinfo *res;
	int ret = getaddrinfo(host, port, &hints, &res);

	if (ret != 0) {
		fprintf(stderr, "diamtool: %s port %s: %s\n", host, port,
			gai_strerror(ret));
		return -1;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

/* "192.0.2.1:3868" or "[2001:db8::1]:3868" */
static void addr_str(const struct sockaddr_storage *ss, socklen_t len,
		     char *buf, size_t size)
{
	char h[NI_MAXHOST], p[NI_MAXSERV];

	if (getnameinfo((const struct sockaddr *)ss, len, h, sizeof(h), p,
			sizeof(p), NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		snprintf(buf, size, "?");
		return;
	}
	snprintf(buf, size, ss->ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s",
		 h, p);
}

/*
 * A non-blocking TCP connection to host:port, given up at deadline (a
 * now_s() time).  Returns the socket, or -1 with a line on stderr.
 */
static int tcp_connect(const char *host, const char *port, double deadline)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, err = 0;
	socklen_t elen = sizeof(err);

	if (resolve(host, port, 0, &ss, &len) != 0)
		return -1;
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd == -1) {
		perror("diamtool: socket");
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&ss, len) == -1) {
		struct pollfd pfd = { .fd = fd, .events = POLLOUT };
		double left = deadline - now_s();

		if (errno != EINPROGRESS) {
			err = errno;
			goto bad;
		}
		if (poll(&pfd, 1, left > 0 ? (int)(left * 1000) : 0) != 1) {
			err = ETIMEDOUT;
			goto bad;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) == -1)
			err = errno;
		if (err != 0)
			goto bad;
	}
	return fd;
bad:
	fprintf(stderr, "diamtool: connect to %s port %s: %s\n", host, port,
		strerror(err));
	close(fd);
	return -1;
}

/*
 * Print a TCP port that is free on 127.0.0.1 and ::1 now, drawn below the
 * kernel's ephemeral range so that no connecting socket takes it meanwhile.
 */
static int do_freeport(void)
{
	uint32_t seed = rng_seed();

	for (int tries = 0; tries < 1000; tries++) {
		uint16_t port = (uint16_t)(20000 + rng_next(&seed) % 12000);
		struct sockaddr_in in = { .sin_family = AF_INET,
					  .sin_port = htons(port),
					  .sin_addr.s_addr =
						  htonl(INADDR_LOOPBACK) };
		struct sockaddr_in6 in6 = { .sin6_family = AF_INET6,
					    .sin6_port = htons(port),
					    .sin6_addr = in6addr_loopback };
		int fds[2] = { socket(AF_INET, SOCK_STREAM, 0),
			       socket(AF_INET6, SOCK_STREAM, 0) };
		bool free_now =
			bind(fds[0], (struct sockaddr *)&in, sizeof(in)) == 0 &&
			bind(fds[1], (struct sockaddr *)&in6, sizeof(in6)) == 0;

		close(fds[0]);
		close(fds[1]);
		if (free_now) {
			say("%u\n", port);
			return 0;
		}
	}
	return 2;
}

/*
 * Output: bytes waiting for the socket, messages built in place.  A
 * message is begun only at a boundary (where the buffer may be compacted)
 * and its offsets hold until it ends.
 */
struct obuf {
	uint8_t	*p;
	size_t	 off;	/* written to the socket up to here */
	size_t	 len;	/* filled up to here */
	size_t	 cap;
};

static size_t ob_pending(const struct obuf *b)
{
	return b->len - b->off;
}

static uint8_t *ob_grow(struct obuf *b, size_t n)
{
	uint8_t *at;

	if (b->cap - b->len < n) {
		size_t cap = b->cap * 2;

		if (cap < b->len + n)
			cap = b->len + n;
		if (cap < 4096)
			cap = 4096;
		b->p = xrealloc(b->p, cap);
		b->cap = cap;
	}
	at = b->p + b->len;
	b->len += n;
	return at;
}

static void ob_append(struct obuf *b, const void *p, size_t n)
{
	if (n > 0)
		memcpy(ob_grow(b, n), p, n);
}

static void ob_free(struct obuf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/*
 * Write what is pending.  Returns 0 (all written, or the socket is full),
 * or -errno.
 */
static int ob_flush(struct obuf *b, int fd)
{
	while (ob_pending(b) > 0) {
		ssize_t n = send(fd, b->p + b->off, ob_pending(b),
				 MSG_NOSIGNAL);

		if (n == -1) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN ? 0 : -errno;
		}
		b->off += (size_t)n;
	}
	b->off = b->len = 0;
	return 0;
}

/*
 * Read what the socket has into a chunk that stays until the next call
 * and give it to the framer.  Returns the bytes read, 0 at the end of the
 * stream, -EAGAIN when there is nothing now, or -errno.
 */
static ssize_t read_frames(int fd, struct diameter_framer *f)
{
	static uint8_t chunk[CHUNK];
	ssize_t n = recv(fd, chunk, sizeof(chunk), 0);

	if (n == -1)
		return errno == EINTR ? -EAGAIN : -errno;
	if (n > 0)
		diameter_framer_feed(f, chunk, (size_t)n);
	return n;
}

static void put24(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 16);
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	put24(p + 1, v);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Begin a message; returns where it starts, for msg_end(). */
static size_t msg_begin(struct obuf *b, uint8_t flags, uint32_t code,
			uint32_t app_id, uint32_t hbh, uint32_t e2e)
{
	uint8_t *h;

	if (b->off > 0) {
		memmove(b->p, b->p + b->off, ob_pending(b));
		b->len -= b->off;
		b->off = 0;
	}
	h = ob_grow(b, DIAMETER_HEADER_LEN);
	h[0] = DIAMETER_VERSION;
	h[4] = flags;
	put24(h + 5, code);
	put32(h + 8, app_id);
	put32(h + 12, hbh);
	put32(h + 16, e2e);
	return (size_t)(h - b->p);
}

/* Set the Message Length of the message begun at start. */
static void msg_end(struct obuf *b, size_t start)
{
	put24(b->p + start + 1, (uint32_t)(b->len - start));
}

/*
 * One AVP, with a Vendor-ID when vendor is not 0, padded to 4; data NULL
 * leaves len bytes of zeros for the caller to fill.
 */
static void avp(struct obuf *b, uint32_t code, uint8_t flags, uint32_t vendor,
		const void *data, size_t len)
{
	size_t hlen = vendor != 0 ? DIAMETER_AVP_VENDOR_HEADER_LEN :
				    DIAMETER_AVP_HEADER_LEN;
	size_t padded = (hlen + len + 3) & ~(size_t)3;
	uint8_t *a = ob_grow(b, padded);

	put32(a, code);
	a[4] = (uint8_t)(flags | (vendor != 0 ? DIAMETER_AVP_VENDOR : 0));
	put24(a + 5, (uint32_t)(hlen + len));
	if (vendor != 0)
		put32(a + 8, vendor);
	if (data != NULL)
		memcpy(a + hlen, data, len);
	else
		memset(a + hlen, 0, len);
	memset(a + hlen + len, 0, padded - hlen - len);
}

static void avp_u32(struct obuf *b, uint32_t code, uint32_t v)
{
	uint8_t d[4];

	put32(d, v);
	avp(b, code, DIAMETER_AVP_MANDATORY, 0, d, sizeof(d));
}

static void avp_str(struct obuf *b, uint32_t code, uint8_t flags,
		    const char *s)
{
	avp(b, code, flags, 0, s, strlen(s));
}

/* Host-IP-Address (Address: family 1 IPv4 or 2 IPv6, then the address). */
static void avp_host_ip(struct obuf *b, const struct sockaddr_storage *ss)
{
	uint8_t d[18];
	size_t n = 6;

	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)ss;

		if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
			d[1] = 1;
			memcpy(d + 2, s6->sin6_addr.s6_addr + 12, 4);
		} else {
			d[1] = 2;
			memcpy(d + 2, s6->sin6_addr.s6_addr, 16);
			n = 18;
		}
	} else {
		const struct sockaddr_in *s4 = (const void *)ss;

		d[1] = 1;
		memcpy(d + 2, &s4->sin_addr, 4);
	}
	d[0] = 0;
	avp(b, AVP_HOST_IP_ADDRESS, DIAMETER_AVP_MANDATORY, 0, d, n);
}

/* Who we are: Origin-Host, Origin-Realm and Origin-State-Id. */
struct ident {
	const char	*host;
	char		 realm[256];
	uint32_t	 state_id;
};

static void ident_init(struct ident *id, const char *host)
{
	const char *dot = strchr(host, '.');

	id->host = host;
	snprintf(id->realm, sizeof(id->realm), "%s",
		 dot != NULL && dot[1] != '\0' ? dot + 1 : host);
	id->state_id = (uint32_t)time(NULL);
}

static void avp_origin(struct obuf *b, const struct ident *id)
{
	avp_str(b, DIAMETER_AVP_ORIGIN_HOST, DIAMETER_AVP_MANDATORY, id->host);
	avp_str(b, DIAMETER_AVP_ORIGIN_REALM, DIAMETER_AVP_MANDATORY,
		id->realm);
}

/*
 * CER (section 5.3.1) or CEA (5.3.2, with Result-Code first): the
 * capabilities both sides send.
 */
static void avp_capabilities(struct obuf *b, const struct ident *id,
			     const struct sockaddr_storage *local)
{
	avp_origin(b, id);
	avp_host_ip(b, local);
	avp_u32(b, AVP_VENDOR_ID, 0);
	/* Product-Name: the M bit must not be set (section 5.3.7) */
	avp_str(b, AVP_PRODUCT_NAME, 0, "diamtool");
	avp_u32(b, AVP_ORIGIN_STATE_ID, id->state_id);
}

/* The Result-Code of msg; 0 without one. */
static uint32_t result_code(const uint8_t *msg, size_t len)
{
	struct diameter_avp a;

	if (!diameter_find_avp(msg, len, DIAMETER_AVP_RESULT_CODE, 0, &a) ||
	    a.data_len != 4)
		return 0;
	return get32(a.data);
}

/*
 * Server
 */

enum fault {
	FAULT_NONE = 0,
	FAULT_REORDER,
	FAULT_DUPLICATE,
	FAULT_CORRUPT,
	FAULT_DROP,
};

struct conn {
	int			 fd;
	char			 peer[NI_MAXHOST + 16];
	struct sockaddr_storage	 local;
	struct diameter_framer	 framer;
	uint8_t			*fbuf;		/* the framer's, MAX_MSG */
	struct obuf		 out;
	struct obuf		 held;		/* FAULT_REORDER's answer */
	uint64_t		 app_requests;
	bool			 closing;	/* close once written */
	bool			 dead;
};

/* SIGTERM or SIGINT: the server frees what it holds and exits 0 */
static volatile sig_atomic_t server_stop;

static void server_on_signal(int sig)
{
	server_stop = sig;
}

struct server {
	struct ident	 id;
	enum fault	 fault;
	struct conn	**conns;
	size_t		 nconns;
};

/*
 * The answer to an application request: its header with R and T cleared,
 * Result-Code 2001, and every AVP of the request as it came (Session-Id
 * kept first, where answers have it).
 */
static void answer_echo(struct obuf *b, const uint8_t *msg, size_t len)
{
	struct diameter_avp a;
	size_t off = DIAMETER_HEADER_LEN, at = off;
	size_t start = msg_begin(b, msg[4] & DIAMETER_FLAG_PROXIABLE,
				 diameter_command_code(msg),
				 diameter_app_id(msg),
				 diameter_hop_by_hop(msg),
				 diameter_end_to_end(msg));
	bool result = false;

	while (diameter_avp_next(msg, len, &off, &a) == DIAMETER_OK) {
		if (!result && a.code != DIAMETER_AVP_SESSION_ID) {
			avp_u32(b, DIAMETER_AVP_RESULT_CODE, RESULT_SUCCESS);
			result = true;
		}
		ob_append(b, msg + at, off - at);
		at = off;
	}
	if (!result)
		avp_u32(b, DIAMETER_AVP_RESULT_CODE, RESULT_SUCCESS);
	msg_end(b, start);
}

/* The applications of a CER, said again in the CEA. */
static void echo_applications(struct obuf *b, const uint8_t *msg, size_t len)
{
	struct diameter_avp a;
	size_t off = DIAMETER_HEADER_LEN, at = off;

	while (diameter_avp_next(msg, len, &off, &a) == DIAMETER_OK) {
		if (a.vendor_id == 0 &&
		    (a.code == AVP_AUTH_APPLICATION_ID ||
		     a.code == AVP_ACCT_APPLICATION_ID ||
		     a.code == AVP_VENDOR_SPECIFIC_APPLICATION_ID))
			ob_append(b, msg + at, off - at);
		at = off;
	}
}

/* An application answer, misanswered as the fault says. */
static void answer_app(const struct server *srv, struct conn *c,
		       const uint8_t *msg, size_t len)
{
	struct obuf *b = &c->out;

	c->app_requests++;
	if (c->app_requests != FAULT_AT || srv->fault == FAULT_NONE) {
		answer_echo(b, msg, len);
		if (ob_pending(&c->held) > 0) {
			ob_append(b, c->held.p, c->held.len);
			c->held.off = c->held.len = 0;
		}
		return;
	}
	switch (srv->fault) {
	case FAULT_REORDER:
		/* after the next answer */
		answer_echo(&c->held, msg, len);
		break;
	case FAULT_DUPLICATE:
		answer_echo(b, msg, len);
		answer_echo(b, msg, len);
		break;
	case FAULT_CORRUPT:
		answer_echo(b, msg, len);
		/* the last byte of the last AVP */
		b->p[b->len - 1] ^= 0x5a;
		break;
	case FAULT_DROP:
	case FAULT_NONE:
		break;
	}
}

static void handle_request(const struct server *srv, struct conn *c,
			   const uint8_t *msg, size_t len)
{
	struct obuf *b = &c->out;
	uint32_t code = diameter_command_code(msg);
	size_t start;

	if (code != DIAMETER_CMD_CAPABILITIES_EXCHANGE &&
	    code != DIAMETER_CMD_DEVICE_WATCHDOG &&
	    code != DIAMETER_CMD_DISCONNECT_PEER) {
		answer_app(srv, c, msg, len);
		return;
	}
	start = msg_begin(b, msg[4] & DIAMETER_FLAG_PROXIABLE, code,
			  diameter_app_id(msg), diameter_hop_by_hop(msg),
			  diameter_end_to_end(msg));
	avp_u32(b, DIAMETER_AVP_RESULT_CODE, RESULT_SUCCESS);
	if (code == DIAMETER_CMD_CAPABILITIES_EXCHANGE) {
		avp_capabilities(b, &srv->id, &c->local);
		echo_applications(b, msg, len);
	} else {
		avp_origin(b, &srv->id);
		if (code == DIAMETER_CMD_DEVICE_WATCHDOG)
			avp_u32(b, AVP_ORIGIN_STATE_ID, srv->id.state_id);
		else
			c->closing = true;
	}
	msg_end(b, start);
}

static void conn_read(const struct server *srv, struct conn *c)
{
	enum diameter_frame r;
	enum diameter_error err;
	const uint8_t *msg;
	size_t len;
	ssize_t n = read_frames(c->fd, &c->framer);

	if (n == -EAGAIN)
		return;
	if (n < 0) {
		fprintf(stderr, "diamtool server: %s: %s\n", c->peer,
			strerror((int)-n));
		c->dead = true;
		return;
	}
	if (n == 0) {
		if (diameter_framer_pending(&c->framer) != 0)
			fprintf(stderr,
				"diamtool server: %s: framing error: the "
				"stream ended inside a message (%zu bytes)\n",
				c->peer, diameter_framer_pending(&c->framer));
		c->closing = true;
		return;
	}
	while (!c->closing && (r = diameter_framer_next(&c->framer, &msg, &len,
							&err)) !=
				      DIAMETER_FRAME_MORE) {
		if (r != DIAMETER_FRAME_MESSAGE) {
			fprintf(stderr,
				"diamtool server: %s: framing error %s, "
				"closing the connection\n",
				c->peer, diameter_error_name(err));
			c->closing = true;
		} else if (diameter_is_request(msg)) {
			handle_request(srv, c, msg, len);
		}
	}
}

static void conn_free(struct conn *c)
{
	say("diamtool server: %s: closed after %llu application requests\n",
	    c->peer, (unsigned long long)c->app_requests);
	close(c->fd);
	ob_free(&c->out);
	ob_free(&c->held);
	free(c->fbuf);
	free(c);
}

static void server_accept(struct server *srv, int lfd)
{
	for (;;) {
		struct sockaddr_storage peer;
		socklen_t plen = sizeof(peer), llen;
		struct conn *c;
		int fd = accept4(lfd, (struct sockaddr *)&peer, &plen,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd == -1) {
			if (errno != EAGAIN && errno != EINTR &&
			    errno != ECONNABORTED)
				perror("diamtool server: accept");
			return;
		}
		c = xrealloc(NULL, sizeof(*c));
		memset(c, 0, sizeof(*c));
		c->fd = fd;
		c->fbuf = xrealloc(NULL, MAX_MSG);
		diameter_framer_init(&c->framer, c->fbuf, MAX_MSG);
		addr_str(&peer, plen, c->peer, sizeof(c->peer));
		llen = sizeof(c->local);
		getsockname(fd, (struct sockaddr *)&c->local, &llen);
		srv->conns = xrealloc(srv->conns, (srv->nconns + 1) *
							  sizeof(*srv->conns));
		srv->conns[srv->nconns++] = c;
		say("diamtool server: connection from %s\n", c->peer);
	}
}

static int do_server(int argc, char **argv)
{
	struct server srv = { .fault = FAULT_NONE };
	struct sigaction sa = { .sa_handler = server_on_signal };
	const char *fault = getenv("DIAMTOOL_FAULT");
	struct sockaddr_storage ss;
	struct pollfd *pfds = NULL;
	socklen_t len;
	int lfd, one = 1;

	ident_init(&srv.id, argc > 2 ? argv[2] : "server.example.net");
	if (fault != NULL && *fault != '\0') {
		static const char *const names[] = {
			[FAULT_REORDER] = "reorder",
			[FAULT_DUPLICATE] = "duplicate",
			[FAULT_CORRUPT] = "corrupt",
			[FAULT_DROP] = "drop",
		};

		for (size_t i = FAULT_REORDER; i <= FAULT_DROP; i++)
			if (strcmp(fault, names[i]) == 0)
				srv.fault = (enum fault)i;
		if (srv.fault == FAULT_NONE) {
			fprintf(stderr, "diamtool: unknown DIAMTOOL_FAULT %s\n",
				fault);
			return 2;
		}
	}
	if (resolve(argv[0], argv[1], AI_PASSIVE, &ss, &len) != 0)
		return 2;
	lfd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		     0);
	if (lfd == -1) {
		perror("diamtool server: socket");
		return 2;
	}
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&ss, len) == -1 ||
	    listen(lfd, 128) == -1) {
		perror("diamtool server: bind");
		return 2;
	}
	/* no SA_RESTART: the signal ends poll() */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	say("diamtool server ready\n");
	while (!server_stop) {
		size_t n = srv.nconns, live = 0;

		pfds = xrealloc(pfds, (n + 1) * sizeof(*pfds));
		pfds[0] = (struct pollfd){ .fd = lfd, .events = POLLIN };
		for (size_t i = 0; i < n; i++) {
			const struct conn *c = srv.conns[i];

			pfds[i + 1] = (struct pollfd){ .fd = c->fd };
			if (!c->closing && ob_pending(&c->out) < OUT_HIGH)
				pfds[i + 1].events |= POLLIN;
			if (ob_pending(&c->out) > 0)
				pfds[i + 1].events |= POLLOUT;
		}
		if (poll(pfds, n + 1, -1) == -1) {
			if (errno == EINTR)
				continue;
			perror("diamtool server: poll");
			break;
		}
		for (size_t i = 0; i < n; i++) {
			struct conn *c = srv.conns[i];
			short ev = pfds[i + 1].revents;
			int ret;

			if (ev & (POLLIN | POLLHUP | POLLERR) && !c->closing)
				conn_read(&srv, c);
			if (!c->dead && (ret = ob_flush(&c->out, c->fd)) != 0) {
				fprintf(stderr, "diamtool server: %s: %s\n",
					c->peer, strerror(-ret));
				c->dead = true;
			}
			if (c->closing && ob_pending(&c->out) == 0)
				c->dead = true;
			/* a socket error: nothing more will come or go */
			if (ev & (POLLERR | POLLNVAL))
				c->dead = true;
		}
		if (pfds[0].revents & POLLIN)
			server_accept(&srv, lfd);
		for (size_t i = 0; i < srv.nconns; i++) {
			if (srv.conns[i]->dead)
				conn_free(srv.conns[i]);
			else
				srv.conns[live++] = srv.conns[i];
		}
		srv.nconns = live;
	}
	for (size_t i = 0; i < srv.nconns; i++)
		conn_free(srv.conns[i]);
	free(srv.conns);
	free(pfds);
	close(lfd);
	return server_stop ? 0 : 1;
}

/*
 * Client
 */

enum slot_kind {
	SLOT_APP = 0,
	SLOT_DWR,
};

enum slot_state {
	SLOT_OUTSTANDING = 0,
	SLOT_ANSWERED,
	SLOT_CORRUPT,
};

/* One request after the CER: what its answer must be. */
struct slot {
	uint64_t	sum;	/* FNV-1a of its AVPs */
	uint32_t	len;
	uint8_t		kind;	/* enum slot_kind */
	uint8_t		state;	/* enum slot_state */
};

enum client_state {
	CLIENT_CER = 0,
	CLIENT_RUN,
	CLIENT_DPR,
	CLIENT_DONE,
	CLIENT_FAILED,
};

struct client {
	int			 fd;
	struct ident		 id;
	struct sockaddr_storage	 local;
	struct obuf		 out;
	struct diameter_framer	 framer;
	uint8_t			*fbuf;
	enum client_state	 state;
	uint32_t		 count;
	uint32_t		 window;
	size_t			 minsz, maxsz;
	uint32_t		 run;		/* Session-Id's high part */
	uint32_t		 hbh0, e2e0;
	struct slot		*slots;
	uint32_t		 nslots;	/* count and the DWRs */
	uint32_t		 nsent;		/* slots sent */
	uint32_t		 outstanding;
	int64_t			 highest;	/* the latest slot answered */
	uint32_t		 sent, answered, corrupt, corrupt_app;
	uint32_t		 reordered, duplicate, dwr, dwa;
};

/*
 * The identifiers of the client's k-th message: 0 the CER, 1 + slot, and
 * nslots + 1 the DPR.  End-to-End per section 3: the low 12 bits of the
 * time in the high bits, then a counter from a random start.
 */
static uint32_t client_hbh(const struct client *c, uint32_t k)
{
	return c->hbh0 + k;
}

static uint32_t client_e2e(const struct client *c, uint32_t k)
{
	return (c->e2e0 & 0xfff00000u) | ((c->e2e0 + k) & 0xfffffu);
}

static uint64_t fnv1a(uint64_t h, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3u;
	}
	return h;
}

#define FNV_OFFSET	0xcbf29ce484222325u

/*
 * Credit-Control request i (RFC 4006 section 3.1, an EVENT_REQUEST) with
 * identifiers k and data bytes (PAD_MIN at least) in the padding AVP.
 * Returns where it starts in b.
 */
static size_t build_ccr(const struct client *c, struct obuf *b, uint32_t i,
			size_t data, uint32_t k)
{
	size_t start = msg_begin(b, DIAMETER_FLAG_REQUEST |
					    DIAMETER_FLAG_PROXIABLE,
				 CMD_CREDIT_CONTROL, APP_CREDIT_CONTROL,
				 client_hbh(c, k), client_e2e(c, k));
	uint32_t s = i * 2654435761u + 1;
	char sid[320];
	uint8_t *pad;

	snprintf(sid, sizeof(sid), "%s;%08x;%08x", c->id.host, c->run, i);
	avp_str(b, DIAMETER_AVP_SESSION_ID, DIAMETER_AVP_MANDATORY, sid);
	avp_origin(b, &c->id);
	avp_str(b, DIAMETER_AVP_DESTINATION_REALM, DIAMETER_AVP_MANDATORY,
		PEER_REALM);
	avp_u32(b, AVP_AUTH_APPLICATION_ID, APP_CREDIT_CONTROL);
	avp_str(b, AVP_SERVICE_CONTEXT_ID, DIAMETER_AVP_MANDATORY,
		"diamtool@example.org");
	avp_u32(b, AVP_CC_REQUEST_TYPE, 4);	/* EVENT_REQUEST */
	avp_u32(b, AVP_CC_REQUEST_NUMBER, 0);
	/* built in place: the AVP, then its data */
	avp(b, PAD_CODE, DIAMETER_AVP_MANDATORY, PAD_VENDOR, NULL, data);
	pad = b->p + b->len - ((data + 3) & ~(size_t)3);
	put32(pad, i);
	for (size_t n = PAD_MIN; n < data; n++)
		pad[n] = (uint8_t)rng_next(&s);
	msg_end(b, start);
	return start;
}

/*
 * The padding data of request i: sizes from c->minsz (request 0) to the
 * largest multiple of 4 up to c->maxsz (request 1), spread between for
 * the others, and 0 to 3 bytes short of the AVP's padding as i goes.
 */
static size_t ccr_data(const struct client *c, uint32_t i)
{
	uint32_t s = i * 2246822519u + 7;
	size_t steps = (c->maxsz - c->minsz) / 4 + 1;
	size_t data = 4 * (i == 1 ? steps - 1 : rng_next(&s) % steps);

	if (i == 0 || data == 0)
		return PAD_MIN;
	return PAD_MIN + data - i % 4;
}

/* Stop the run, saying why on stderr (once). */
__attribute__((format(printf, 2, 3))) static void
client_fail(struct client *c, const char *fmt, ...)
{
	va_list ap;

	if (c->state != CLIENT_FAILED) {
		va_start(ap, fmt);
		fputs("diamtool client: ", stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		va_end(ap);
	}
	c->state = CLIENT_FAILED;
}

static void client_send_cer(struct client *c)
{
	size_t start = msg_begin(&c->out, DIAMETER_FLAG_REQUEST,
				 DIAMETER_CMD_CAPABILITIES_EXCHANGE, 0,
				 client_hbh(c, 0), client_e2e(c, 0));

	avp_capabilities(&c->out, &c->id, &c->local);
	avp_u32(&c->out, AVP_AUTH_APPLICATION_ID, APP_CREDIT_CONTROL);
	msg_end(&c->out, start);
}

/* DWR (section 5.5.1) or DPR (5.4.1) with identifiers k. */
static void client_send_base(struct client *c, uint32_t code, uint32_t k)
{
	size_t start = msg_begin(&c->out, DIAMETER_FLAG_REQUEST, code, 0,
				 client_hbh(c, k), client_e2e(c, k));

	avp_origin(&c->out, &c->id);
	if (code == DIAMETER_CMD_DEVICE_WATCHDOG)
		avp_u32(&c->out, AVP_ORIGIN_STATE_ID, c->id.state_id);
	else
		/* DO_NOT_WANT_TO_TALK_TO_YOU: the test is over */
		avp_u32(&c->out, AVP_DISCONNECT_CAUSE, 2);
	msg_end(&c->out, start);
}

/* Fill the window: the next requests, a DWR after every 100. */
static void client_send(struct client *c)
{
	while (c->state == CLIENT_RUN && c->nsent < c->nslots &&
	       c->outstanding < c->window) {
		struct slot *sl = &c->slots[c->nsent];
		uint32_t k = c->nsent + 1;
		size_t start;

		if (c->dwr < c->sent / DWR_EVERY) {
			client_send_base(c, DIAMETER_CMD_DEVICE_WATCHDOG, k);
			sl->kind = SLOT_DWR;
			c->dwr++;
		} else {
			start = build_ccr(c, &c->out, c->sent,
					  ccr_data(c, c->sent), k);
			sl->kind = SLOT_APP;
			sl->len = (uint32_t)(c->out.len - start);
			sl->sum = fnv1a(FNV_OFFSET,
					c->out.p + start + DIAMETER_HEADER_LEN,
					sl->len - DIAMETER_HEADER_LEN);
			c->sent++;
		}
		c->nsent++;
		c->outstanding++;
	}
}

/*
 * Whether the answer msg (len bytes; valid: the framer found its AVPs
 * sound) is the one slot sl asks for: the command, application and P bit
 * of the request, R and E clear, Result-Code 2001, and for an application
 * request every AVP of it back as sent.
 */
static bool answer_intact(const struct slot *sl, const uint8_t *msg,
			  size_t len, bool valid)
{
	bool app = sl->kind == SLOT_APP;
	uint8_t flags = app ? DIAMETER_FLAG_PROXIABLE : 0;
	uint32_t code = app ? CMD_CREDIT_CONTROL : DIAMETER_CMD_DEVICE_WATCHDOG;
	struct diameter_avp a;
	size_t off = DIAMETER_HEADER_LEN, at = off;
	uint64_t h = FNV_OFFSET;
	bool result = false;

	if (!valid || msg[4] != flags || diameter_command_code(msg) != code ||
	    diameter_app_id(msg) != (app ? APP_CREDIT_CONTROL : 0) ||
	    result_code(msg, len) != RESULT_SUCCESS)
		return false;
	if (!app)
		return diameter_find_avp(msg, len, DIAMETER_AVP_ORIGIN_HOST, 0,
					 &a);
	if (len != (size_t)sl->len + 12)
		return false;
	while (diameter_avp_next(msg, len, &off, &a) == DIAMETER_OK) {
		if (!result && a.code == DIAMETER_AVP_RESULT_CODE &&
		    a.vendor_id == 0)
			result = true;
		else
			h = fnv1a(h, msg + at, off - at);
		at = off;
	}
	return h == sl->sum;
}

/* A DWR from the peer gets its DWA. */
static void client_request(struct client *c, const uint8_t *msg)
{
	size_t start;

	if (diameter_command_code(msg) != DIAMETER_CMD_DEVICE_WATCHDOG) {
		fprintf(stderr, "diamtool client: unexpected request %u\n",
			diameter_command_code(msg));
		c->corrupt++;
		return;
	}
	start = msg_begin(&c->out, 0, DIAMETER_CMD_DEVICE_WATCHDOG, 0,
			  diameter_hop_by_hop(msg), diameter_end_to_end(msg));
	avp_u32(&c->out, DIAMETER_AVP_RESULT_CODE, RESULT_SUCCESS);
	avp_origin(&c->out, &c->id);
	msg_end(&c->out, start);
}

/* An answer to a slot: matched by both identifiers, then checked. */
static void client_slot_answer(struct client *c, uint32_t slot,
			       const uint8_t *msg, size_t len, bool valid)
{
	struct slot *sl = &c->slots[slot];

	if (sl->state != SLOT_OUTSTANDING) {
		c->duplicate++;
		return;
	}
	c->outstanding--;
	if ((int64_t)slot < c->highest)
		c->reordered++;
	else
		c->highest = slot;
	if (answer_intact(sl, msg, len, valid)) {
		sl->state = SLOT_ANSWERED;
		if (sl->kind == SLOT_APP)
			c->answered++;
		else
			c->dwa++;
		return;
	}
	sl->state = SLOT_CORRUPT;
	c->corrupt++;
	if (sl->kind == SLOT_APP)
		c->corrupt_app++;
}

static void client_message(struct client *c, const uint8_t *msg, size_t len,
			   bool valid)
{
	uint32_t k = diameter_hop_by_hop(msg) - c->hbh0;
	uint32_t code = diameter_command_code(msg);
	bool ids = diameter_end_to_end(msg) == client_e2e(c, k);

	if (diameter_is_request(msg)) {
		client_request(c, msg);
		return;
	}
	if (c->state == CLIENT_CER) {
		if (k != 0 || !ids || !valid ||
		    code != DIAMETER_CMD_CAPABILITIES_EXCHANGE ||
		    result_code(msg, len) != RESULT_SUCCESS) {
			client_fail(c, "the CER was not answered with a CEA "
				       "of Result-Code 2001");
			return;
		}
		c->state = CLIENT_RUN;
		return;
	}
	if (k >= 1 && k <= c->nsent && ids) {
		client_slot_answer(c, k - 1, msg, len, valid);
	} else if (k == c->nslots + 1 && ids && c->state == CLIENT_DPR &&
		   code == DIAMETER_CMD_DISCONNECT_PEER) {
		if (valid && result_code(msg, len) == RESULT_SUCCESS)
			c->state = CLIENT_DONE;
		else
			client_fail(c, "the DPA is not a success");
		return;
	} else {
		/* neither identifier pair is one we sent and await */
		c->corrupt++;
	}
	if (c->state == CLIENT_RUN && c->nsent == c->nslots &&
	    c->outstanding == 0) {
		client_send_base(c, DIAMETER_CMD_DISCONNECT_PEER,
				 c->nslots + 1);
		c->state = CLIENT_DPR;
	}
}

static void client_read(struct client *c)
{
	enum diameter_frame r;
	enum diameter_error err;
	const uint8_t *msg;
	size_t len;
	ssize_t n = read_frames(c->fd, &c->framer);

	if (n == -EAGAIN)
		return;
	if (n <= 0) {
		client_fail(c, "recv: %s", n == 0 ?
			    "the connection was closed by the peer" :
			    strerror((int)-n));
		return;
	}
	while (c->state != CLIENT_FAILED &&
	       (r = diameter_framer_next(&c->framer, &msg, &len, &err)) !=
		       DIAMETER_FRAME_MORE) {
		if (r == DIAMETER_FRAME_FATAL) {
			fprintf(stderr, "diamtool client: framing error %s\n",
				diameter_error_name(err));
			c->corrupt++;
			client_fail(c, "the stream cannot be framed");
			return;
		}
		client_message(c, msg, len, r == DIAMETER_FRAME_MESSAGE);
	}
}

static int client_run(struct client *c, const char *host, const char *port,
		      double start, double deadline)
{
	socklen_t llen = sizeof(c->local);
	int ret;

	c->fd = tcp_connect(host, port, deadline);
	if (c->fd == -1)
		return -1;
	getsockname(c->fd, (struct sockaddr *)&c->local, &llen);
	client_send_cer(c);
	while (c->state != CLIENT_DONE && c->state != CLIENT_FAILED) {
		struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
		double left = deadline - now_s();

		if (left <= 0) {
			client_fail(c, "timeout after %.0f s, outstanding %u",
				    deadline - start, c->outstanding);
			break;
		}
		client_send(c);
		if (ob_pending(&c->out) > 0)
			pfd.events |= POLLOUT;
		if (poll(&pfd, 1, left < 0.2 ? (int)(left * 1000) + 1 : 200) ==
		    -1) {
			if (errno == EINTR)
				continue;
			client_fail(c, "poll: %s", strerror(errno));
			break;
		}
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR))
			client_read(c);
		if ((ret = ob_flush(&c->out, c->fd)) != 0)
			client_fail(c, "send: %s", strerror(-ret));
	}
	close(c->fd);
	return c->state == CLIENT_DONE ? 0 : -1;
}

static int do_client(int argc, char **argv)
{
	struct client c = { .fd = -1, .highest = -1 };
	struct obuf probe = { 0 };
	unsigned long count = strtoul(argv[2], NULL, 10);
	double timeout = argc > 5 ? strtod(argv[5], NULL) : 60;
	double start = now_s();
	uint32_t seed = rng_seed(), lost;
	bool ok;

	ident_init(&c.id, "client.example.org");
	c.maxsz = strtoul(argv[3], NULL, 10);
	c.window = argc > 4 ? (uint32_t)strtoul(argv[4], NULL, 10) : 16;
	c.run = rng_next(&seed);
	c.hbh0 = rng_next(&seed);
	c.e2e0 = (uint32_t)time(NULL) << 20 | (rng_next(&seed) & 0xfffffu);
	/* the smallest request */
	build_ccr(&c, &probe, 0, PAD_MIN, 0);
	c.minsz = probe.len;
	ob_free(&probe);
	if (count == 0 || count > 10000000 || c.window == 0 ||
	    c.maxsz < c.minsz || c.maxsz > MAX_REQUEST || !(timeout > 0)) {
		fprintf(stderr,
			"diamtool client: COUNT 1 to 10000000, MAXSIZE %zu "
			"to %d, WINDOW and TIMEOUT_S above 0\n",
			c.minsz, MAX_REQUEST);
		return 2;
	}
	c.count = (uint32_t)count;
	c.nslots = c.count + c.count / DWR_EVERY;
	c.slots = xrealloc(NULL, c.nslots * sizeof(*c.slots));
	memset(c.slots, 0, c.nslots * sizeof(*c.slots));
	c.fbuf = xrealloc(NULL, MAX_MSG);
	diameter_framer_init(&c.framer, c.fbuf, MAX_MSG);

	ok = client_run(&c, argv[0], argv[1], start, start + timeout) == 0;
	lost = c.count - c.answered - c.corrupt_app;
	printf("sent %u answered %u corrupt %u reordered %u duplicate %u "
	       "lost %u dwa %u in %.2f s\n",
	       c.sent, c.answered, c.corrupt, c.reordered, c.duplicate, lost,
	       c.dwa, now_s() - start);
	ok = ok && c.answered == c.count && c.corrupt == 0 &&
	     c.reordered == 0 && c.duplicate == 0 && lost == 0 &&
	     c.dwa == c.dwr && c.dwr == c.count / DWR_EVERY;
	ob_free(&c.out);
	free(c.slots);
	free(c.fbuf);
	return ok ? 0 : 1;
}

/*
 * Garbage
 */

/* What the server cannot frame (KIND), in *len bytes of buf. */
static bool garbage_bytes(const char *kind, uint8_t *buf, size_t *len)
{
	static const char http[] = "GET / HTTP/1.0\r\n\r\n";
	/* a DWR header, then one AVP: Origin-Host "x" */
	static const uint8_t dwr[32] = {
		1, 0, 0, 32, 0x80, 0, 1, 24, 0, 0, 0, 0, 0, 0, 0, 1,
		0, 0, 0, 1, 0, 0, 1, 8, 0x40, 0, 0, 9, 'x', 0, 0, 0,
	};

	memcpy(buf, dwr, sizeof(dwr));
	*len = sizeof(dwr);
	if (strcmp(kind, "version") == 0) {
		memcpy(buf, http, sizeof(http) - 1);
		*len = sizeof(http) - 1;
	} else if (strcmp(kind, "length") == 0) {
		buf[3] = 8;			/* under the header */
	} else if (strcmp(kind, "unaligned") == 0) {
		buf[3] = 30;
	} else if (strcmp(kind, "toolong") == 0) {
		put24(buf + 1, 0xfffffc);
	} else if (strcmp(kind, "flags") == 0) {
		buf[4] |= 0x0f;			/* the reserved bits */
	} else if (strcmp(kind, "avp") == 0) {
		buf[27] = 200;			/* past the message */
	} else if (strcmp(kind, "cut") == 0) {
		*len = 24;			/* and the stream ends */
	} else {
		return false;
	}
	return true;
}

static int do_garbage(int argc, char **argv)
{
	const char *kind = argc > 2 ? argv[2] : "version";
	double deadline = now_s() + 5;
	struct sockaddr_storage local;
	socklen_t llen = sizeof(local);
	uint8_t buf[64];
	size_t len;
	char name[NI_MAXHOST + 16];
	int fd;

	if (!garbage_bytes(kind, buf, &len)) {
		fprintf(stderr, "diamtool garbage: unknown kind %s\n", kind);
		return 2;
	}
	fd = tcp_connect(argv[0], argv[1], deadline);
	if (fd == -1)
		return 2;
	getsockname(fd, (struct sockaddr *)&local, &llen);
	addr_str(&local, llen, name, sizeof(name));
	say("garbage %s from %s\n", kind, name);
	if (send(fd, buf, len, MSG_NOSIGNAL) != (ssize_t)len) {
		/* refused at once: closed all the same */
		say("closed by the server (%s)\n", strerror(errno));
		close(fd);
		return 0;
	}
	if (strcmp(kind, "cut") == 0)
		shutdown(fd, SHUT_WR);
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		double left = deadline - now_s();
		ssize_t n;

		if (left <= 0 || poll(&pfd, 1, (int)(left * 1000) + 1) == 0) {
			say("still open after 5 s\n");
			close(fd);
			return 1;
		}
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR)) {
			say("closed by the server%s\n",
			    n == 0 ? "" : " (reset)");
			close(fd);
			return 0;
		}
	}
}

static void usage(void)
{
	fprintf(stderr,
		"usage: diamtool freeport\n"
		"       diamtool server ADDR PORT [ORIGIN_HOST]\n"
		"       diamtool client ADDR PORT COUNT MAXSIZE [WINDOW] "
		"[TIMEOUT_S]\n"
		"       diamtool garbage ADDR PORT "
		"[version|length|unaligned|toolong|flags|avp|cut]\n");
}

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	if (argc == 2 && strcmp(argv[1], "freeport") == 0)
		return do_freeport();
	if (argc >= 4 && argc <= 5 && strcmp(argv[1], "server") == 0)
		return do_server(argc - 2, argv + 2);
	if (argc >= 6 && argc <= 8 && strcmp(argv[1], "client") == 0)
		return do_client(argc - 2, argv + 2);
	if (argc >= 4 && argc <= 5 && strcmp(argv[1], "garbage") == 0)
		return do_garbage(argc - 2, argv + 2);
	usage();
	return 2;
}
