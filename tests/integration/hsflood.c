/*
 * hsflood: many real DTLS 1.2 clients (OpenSSL's) at once, for the
 * handshake flood tests.
 *
 *   hsflood ADDR PORT COUNT full|stall [SRCADDR] [HOLD_S]
 *	full: COUNT clients each run a whole handshake; print how many
 *	completed and how many failed (no answer for 5 s, or an alert).
 *	stall: COUNT clients each go as far as the ClientHello with the
 *	server's cookie (sent after its HelloVerifyRequest) and then read and
 *	answer nothing, so the server holds a handshake in progress for each
 *	it admitted; print "stalled N of COUNT" and wait HOLD_S seconds
 *	(default 5) before exiting.
 *	SRCADDR: the local address (default any).  Exit 0 when every client
 *	got as far as its mode asks.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#define MAX_CLIENTS	1024
#define GIVE_UP_S	5.0

struct client {
	SSL	*ssl;
	int	 fd;
	bool	 verify_req;	/* got the server's HelloVerifyRequest */
	bool	 cookie_sent;	/* sent a ClientHello after it */
	bool	 stall;
	bool	 done, failed;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void msg_cb(int write_p, int version, int content_type,
		   const void *buf, size_t len, SSL *ssl, void *arg)
{
	struct client *c = arg;

	(void)version;
	(void)ssl;
	if (content_type != SSL3_RT_HANDSHAKE || len == 0)
		return;
	if (!write_p &&
	    ((const unsigned char *)buf)[0] == DTLS1_MT_HELLO_VERIFY_REQUEST)
		c->verify_req = true;
	else if (write_p && c->verify_req &&
		 ((const unsigned char *)buf)[0] == SSL3_MT_CLIENT_HELLO)
		c->cookie_sent = true;
}

/*
 * Once a stalling client has written the ClientHello with the cookie, the
 * library reads nothing more: every read is refused before it reaches the
 * socket (as if nothing had come), so the server's flight never reaches
 * the library, however soon it comes (even within the SSL_do_handshake
 * call that wrote the ClientHello).  Redirecting the socket after the
 * send instead would race: the flight can be queued before the redirect,
 * and a UDP connect() keeps what is queued.
 */
static long bio_cb(BIO *b, int oper, const char *argp, size_t len, int argi,
		   long argl, int ret, size_t *processed)
{
	struct client *c = (struct client *)BIO_get_callback_arg(b);

	(void)argp;
	(void)len;
	(void)argi;
	(void)argl;
	(void)processed;
	if (oper == BIO_CB_READ && c->stall && c->cookie_sent) {
		BIO_set_retry_read(b);
		return -1;
	}
	return ret;
}

static int open_client(struct client *c, SSL_CTX *ctx,
		       const struct addrinfo *dst, const char *src)
{
	BIO *bio;

	c->fd = socket(dst->ai_family, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (c->fd == -1)
		return -1;
	if (src != NULL) {
		struct sockaddr_in sin = { .sin_family = AF_INET };

		if (inet_pton(AF_INET, src, &sin.sin_addr) != 1 ||
		    bind(c->fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
			return -1;
	}
	if (connect(c->fd, dst->ai_addr, dst->ai_addrlen) == -1)
		return -1;
	bio = BIO_new_dgram(c->fd, BIO_NOCLOSE);
	c->ssl = SSL_new(ctx);
	if (bio == NULL || c->ssl == NULL)
		return -1;
	BIO_ctrl(bio, BIO_CTRL_DGRAM_SET_CONNECTED, 0, (void *)dst->ai_addr);
	BIO_set_nbio(bio, 1);
	BIO_set_callback_ex(bio, bio_cb);
	BIO_set_callback_arg(bio, (char *)c);
	SSL_set_bio(c->ssl, bio, bio);
	SSL_set_msg_callback(c->ssl, msg_cb);
	SSL_set_msg_callback_arg(c->ssl, c);
	SSL_set_connect_state(c->ssl);
	return 0;
}

/* Drive c's handshake one step; true while it goes on. */
static bool step(struct client *c, bool stall)
{
	int ret, err;

	if (c->done || c->failed)
		return false;
	if (stall && c->cookie_sent) {
		c->done = true;
		return false;
	}
	ret = SSL_do_handshake(c->ssl);
	if (ret == 1) {
		c->done = true;
		return false;
	}
	err = SSL_get_error(c->ssl, ret);
	if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) {
		c->failed = true;
		return false;
	}
	if (stall && c->cookie_sent) {
		c->done = true;
		return false;
	}
	return true;
}

int main(int argc, char **argv)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *dst = NULL;
	static struct client cl[MAX_CLIENTS];
	static struct pollfd pfd[MAX_CLIENTS];
	unsigned int n, done = 0, failed = 0;
	const char *src;
	double start, hold;
	bool stall;
	SSL_CTX *ctx;

	if (argc < 5) {
		fprintf(stderr, "usage: hsflood ADDR PORT COUNT full|stall "
				"[SRCADDR] [HOLD_S]\n");
		return 2;
	}
	n = (unsigned int)strtoul(argv[3], NULL, 10);
	stall = strcmp(argv[4], "stall") == 0;
	src = argc > 5 ? argv[5] : NULL;
	hold = argc > 6 ? strtod(argv[6], NULL) : 5;
	if (n == 0 || n > MAX_CLIENTS ||
	    getaddrinfo(argv[1], argv[2], &hints, &dst) != 0)
		return 2;
	ctx = SSL_CTX_new(DTLS_client_method());
	if (ctx == NULL)
		return 2;
	SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION);
	SSL_CTX_set_max_proto_version(ctx, DTLS1_2_VERSION);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	for (unsigned int i = 0; i < n; i++) {
		cl[i].stall = stall;
		if (open_client(&cl[i], ctx, dst, src) != 0) {
			perror("hsflood: client");
			return 2;
		}
		step(&cl[i], stall);
	}
	start = now_s();
	while (now_s() - start < GIVE_UP_S) {
		unsigned int active = 0;

		for (unsigned int i = 0; i < n; i++) {
			bool on = !cl[i].done && !cl[i].failed;

			pfd[i].fd = on ? cl[i].fd : -1;
			pfd[i].events = POLLIN;
			pfd[i].revents = 0;
			active += on;
		}
		if (active == 0)
			break;
		poll(pfd, n, 50);
		for (unsigned int i = 0; i < n; i++) {
			if (pfd[i].revents & POLLIN)
				step(&cl[i], stall);
			else if (!cl[i].done && !cl[i].failed &&
				 DTLSv1_handle_timeout(cl[i].ssl) < 0)
				cl[i].failed = true;
		}
	}
	for (unsigned int i = 0; i < n; i++) {
		done += cl[i].done;
		failed += !cl[i].done;
	}
	if (stall) {
		printf("stalled %u of %u\n", done, n);
		fflush(stdout);
		for (start = now_s(); now_s() - start < hold;)
			usleep(100000);
	} else {
		printf("completed %u failed %u\n", done, failed);
	}
	for (unsigned int i = 0; i < n; i++) {
		SSL_free(cl[i].ssl);
		close(cl[i].fd);
	}
	SSL_CTX_free(ctx);
	freeaddrinfo(dst);
	return failed == 0 ? 0 : 1;
}
