/*
 * The metrics server: HTTP/1.1 on one worker's loop, GET /metrics only.
 *
 * Every response closes its connection (Connection: close).  A request
 * head may be REQ_MAX bytes and must arrive within CONN_TIMEOUT_S, at most
 * MAX_CONNS connections are served at once (the listening socket is not
 * watched while they are), and every socket is non-blocking: a slow or
 * hostile client costs a slot for a few seconds, never the loop.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dtlsgw/log.h"
#include "dtlsgw/metrics.h"
#include "dtlsgw/worker.h"

#define MAX_CONNS	8
#define REQ_MAX		4096
#define CONN_TIMEOUT_S	5

enum { CODE_200 = 0, CODE_400, CODE_404, CODE_405, CODE_431, CODE_503,
       CODE_MAX, };

static const struct {
	const char	*status;
	const char	*code;
} codes[CODE_MAX] = {
	[CODE_200] = { "200 OK", "200" },
	[CODE_400] = { "400 Bad Request", "400" },
	[CODE_404] = { "404 Not Found", "404" },
	[CODE_405] = { "405 Method Not Allowed", "405" },
	[CODE_431] = { "431 Request Header Fields Too Large", "431" },
	[CODE_503] = { "503 Service Unavailable", "503" },
};

struct conn {
	struct metrics_server	*m;
	int			 fd;
	struct worker_io	*io;
	struct worker_timer	*timer;
	char			 req[REQ_MAX];
	size_t			 reqlen;
	struct metrics_buf	 out;	/* the response, once there is one */
	size_t			 sent;
	bool			 responding;
};

struct metrics_server {
	struct worker		*w;
	int			 fd;
	struct worker_io	*io;
	metrics_render_fn	 render;
	void			*arg;
	struct conn		*conns[MAX_CONNS];
	size_t			 nconns;
	uint64_t		 responses[CODE_MAX];
	uint64_t		 timeouts;
};

static void conn_close(struct conn *c)
{
	struct metrics_server *m = c->m;

	for (size_t i = 0; i < m->nconns; i++) {
		if (m->conns[i] == c) {
			m->conns[i] = m->conns[--m->nconns];
			break;
		}
	}
	worker_io_free(c->io);
	worker_timer_free(c->timer);
	close(c->fd);
	metrics_buf_free(&c->out);
	free(c);
	/* a slot is free: accept again */
	worker_io_set(m->io, true, false);
}

/* The server's own counters, after the render function's. */
static void write_own(struct metrics_server *m, struct metrics_buf *b)
{
	metrics_family(b, "dtlsgw_metrics_responses_total", "counter",
		       "Responses of the metrics server, by status code "
		       "(this one not yet counted).");
	for (int i = 0; i < CODE_MAX; i++)
		metrics_buf_printf(b,
			"dtlsgw_metrics_responses_total{code=\"%s\"} %llu\n",
			codes[i].code, (unsigned long long)m->responses[i]);
	metrics_family(b, "dtlsgw_metrics_timeouts_total", "counter",
		       "Connections closed for taking too long.");
	metrics_buf_printf(b, "dtlsgw_metrics_timeouts_total %llu\n",
			   (unsigned long long)m->timeouts);
}

static void conn_write(struct conn *c)
{
	while (c->sent < c->out.len) {
		ssize_t n = send(c->fd, c->out.data + c->sent,
				 c->out.len - c->sent, MSG_NOSIGNAL);

		if (n == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				worker_io_set(c->io, false, true);
				return;
			}
			if (errno == EINTR)
				continue;
			break;
		}
		c->sent += (size_t)n;
	}
	shutdown(c->fd, SHUT_WR);
	conn_close(c);
}

static void respond(struct conn *c, int code)
{
	struct metrics_server *m = c->m;
	struct metrics_buf body = { 0 };
	const char *type = "text/plain; charset=utf-8";

	if (code == CODE_200) {
		m->render(&body, m->arg);
		write_own(m, &body);
		type = "text/plain; version=0.0.4; charset=utf-8";
		if (body.failed) {
			metrics_buf_free(&body);
			code = CODE_503;
			type = "text/plain; charset=utf-8";
		}
	}
	if (code != CODE_200)
		metrics_buf_printf(&body, "%s\n", codes[code].status);
	m->responses[code]++;
	metrics_buf_printf(&c->out,
			   "HTTP/1.1 %s\r\nContent-Type: %s\r\n"
			   "Content-Length: %zu\r\nConnection: close\r\n\r\n",
			   codes[code].status, type, body.len);
	if (body.len > 0)
		metrics_buf_printf(&c->out, "%.*s", (int)body.len, body.data);
	metrics_buf_free(&body);
	if (c->out.failed) {
		conn_close(c);
		return;
	}
	c->responding = true;
	conn_write(c);
}

static void conn_read(struct conn *c)
{
	for (;;) {
		ssize_t n = recv(c->fd, c->req + c->reqlen,
				 sizeof(c->req) - c->reqlen, 0);

		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			conn_close(c);	/* gone before asking anything whole */
			return;
		}
		c->reqlen += (size_t)n;
		/* a full buffer without the head's end is TOO_LARGE */
		switch (http_parse_request(c->req, c->reqlen, sizeof(c->req))) {
		case HTTP_PARSE_MORE:
			continue;
		case HTTP_PARSE_METRICS:
			respond(c, CODE_200);
			return;
		case HTTP_PARSE_NOT_FOUND:
			respond(c, CODE_404);
			return;
		case HTTP_PARSE_BAD_METHOD:
			respond(c, CODE_405);
			return;
		case HTTP_PARSE_TOO_LARGE:
			respond(c, CODE_431);
			return;
		case HTTP_PARSE_BAD:
		default:
			respond(c, CODE_400);
			return;
		}
	}
}

static void conn_cb(void *arg, bool readable, bool writable)
{
	struct conn *c = arg;

	if (c->responding) {
		if (writable)
			conn_write(c);
		return;
	}
	if (readable)
		conn_read(c);
}

static void conn_timeout(void *arg)
{
	struct conn *c = arg;

	c->m->timeouts++;
	conn_close(c);
}

static void accept_cb(void *arg, bool readable, bool writable)
{
	struct metrics_server *m = arg;

	(void)readable;
	(void)writable;
	while (m->nconns < MAX_CONNS) {
		int fd = accept4(m->fd, NULL, NULL,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct conn *c;

		if (fd == -1) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_warn("metrics: accept");
			return;
		}
		c = calloc(1, sizeof(*c));
		if (c != NULL) {
			c->m = m;
			c->fd = fd;
			c->io = worker_io_new(m->w, fd, conn_cb, c);
			c->timer = worker_timer_new(m->w, conn_timeout, c);
		}
		if (c == NULL || c->io == NULL || c->timer == NULL) {
			if (c != NULL) {
				worker_io_free(c->io);
				worker_timer_free(c->timer);
				free(c);
			}
			close(fd);
			continue;
		}
		m->conns[m->nconns++] = c;
		worker_timer_start(c->timer, CONN_TIMEOUT_S * 1000);
		worker_io_set(c->io, true, false);
		conn_read(c);
	}
	/* every slot taken: the kernel's backlog holds the rest */
	worker_io_set(m->io, false, false);
}

/* Split "HOST:PORT" or "[V6]:PORT" and resolve it for listening. */
static int resolve(const char *hostport, struct addrinfo **res)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
	char host[256];
	const char *port, *colon = strrchr(hostport, ':');
	size_t hlen;

	if (colon == NULL)
		return -EINVAL;
	port = colon + 1;
	hlen = (size_t)(colon - hostport);
	if (hlen >= 2 && hostport[0] == '[' && hostport[hlen - 1] == ']') {
		hostport++;
		hlen -= 2;
	}
	if (hlen >= sizeof(host))
		return -EINVAL;
	memcpy(host, hostport, hlen);
	host[hlen] = '\0';
	if (getaddrinfo(hlen > 0 ? host : NULL, port, &hints, res) != 0)
		return -EINVAL;
	return 0;
}

int metrics_server_start(struct worker *w, const char *hostport,
			 metrics_render_fn render, void *arg,
			 struct metrics_server **out)
{
	struct metrics_server *m;
	struct addrinfo *res = NULL;
	int one = 1, ret;

	*out = NULL;
	m = calloc(1, sizeof(*m));
	if (m == NULL)
		return -ENOMEM;
	m->w = w;
	m->fd = -1;
	m->render = render;
	m->arg = arg;
	ret = resolve(hostport, &res);
	if (ret != 0) {
		log_errx("metrics: cannot resolve %s", hostport);
		goto fail;
	}
	m->fd = socket(res->ai_family,
		       SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (m->fd == -1) {
		ret = -errno;
		log_err("metrics: %s: socket", hostport);
		goto fail;
	}
	setsockopt(m->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(m->fd, res->ai_addr, res->ai_addrlen) == -1 ||
	    listen(m->fd, 16) == -1) {
		ret = -errno;
		log_err("metrics: cannot listen on %s", hostport);
		goto fail;
	}
	m->io = worker_io_new(w, m->fd, accept_cb, m);
	if (m->io == NULL) {
		ret = -ENOMEM;
		goto fail;
	}
	worker_io_set(m->io, true, false);
	freeaddrinfo(res);
	log_info("metrics: serving http://%s/metrics", hostport);
	*out = m;
	return 0;
fail:
	if (res != NULL)
		freeaddrinfo(res);
	if (m->fd != -1)
		close(m->fd);
	free(m);
	return ret;
}

void metrics_server_stop(struct metrics_server *m)
{
	if (m == NULL)
		return;
	while (m->nconns > 0)
		conn_close(m->conns[m->nconns - 1]);
	worker_io_free(m->io);
	close(m->fd);
	free(m);
}
