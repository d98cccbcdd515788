/*
 * The generic side of transports: the scheme registry, transmit queues
 * flushed in batches, and delivery of what a backend receives.
 */
#include <errno.h>
#include <stddef.h>

#include "dtlsgw-config.h"

#include "dtlsgw/log.h"
#include "dtlsgw/transport.h"
#include "dtlsgw/worker.h"

/* Batches read per readable event before other watchers get their turn. */
#define RX_ROUNDS	8

const struct transport_ops *transport_lookup(enum scheme scheme)
{
	switch (scheme) {
	case SCHEME_UDP:
	case SCHEME_DTLS_UDP:
		return &transport_udp;
	case SCHEME_TCP:
		return &transport_tcp;
#if HAVE_DCCP
	case SCHEME_DCCP:
	case SCHEME_DTLS_DCCP:
		return &transport_dccp;
#endif
#if HAVE_TUN
	case SCHEME_TUN:
		return &transport_tun;
#endif
#if HAVE_SCTP
	case SCHEME_SCTP:
	case SCHEME_DTLS_SCTP:
		return &transport_sctp;
#endif
	default:
		return NULL;
	}
}

int transport_open(const struct transport_ops *ops, struct worker *w,
		   const struct transport_params *p, transport_rx_fn on_rx,
		   void *arg, struct transport **out)
{
	struct transport *t;
	int ret;

	struct transport_params params = *p;

	*out = NULL;
	params.worker = w;
	ret = ops->open(&t, &params);
	if (ret != 0)
		return ret;
	t->worker = w;
	t->on_rx = on_rx;
	t->rx_arg = arg;
	ret = worker_watch(w, t);
	if (ret != 0) {
		ops->close(t);
		return ret;
	}
	*out = t;
	return 0;
}

void transport_close(struct transport *t)
{
	if (t == NULL)
		return;
	worker_forget_dirty(t->worker, t);
	t->stats.tx_dropped += t->txq.len;
	dgram_queue_clear(&t->txq);
	worker_unwatch(t->worker, t);
	if (t->closed_flag != NULL)
		*t->closed_flag = true;
	t->ops->close(t);
}

void transport_queue(struct transport *t, struct dgram *d)
{
	if (t->txq.len >= TRANSPORT_TXQ_MAX) {
		t->stats.tx_dropped++;
		dgram_free(d);
		return;
	}
	dgram_queue_push(&t->txq, d);
	if (t->blocked)
		return;
	if (t->txq.len >= TRANSPORT_BATCH)
		transport_flush(t);
	else
		worker_mark_dirty(t->worker, t);
}

void transport_flush(struct transport *t)
{
	struct dgram *batch[TRANSPORT_BATCH];

	while (t->txq.len > 0 && !t->blocked) {
		struct dgram *d = t->txq.head;
		size_t n = 0, sent = 0;
		int ret;

		for (; d != NULL && n < TRANSPORT_BATCH; d = d->next)
			batch[n++] = d;
		ret = t->ops->send(t, batch, n, &sent);
		for (size_t i = 0; i < sent; i++) {
			t->stats.tx_dgrams++;
			t->stats.tx_bytes += batch[i]->len;
			dgram_free(dgram_queue_pop(&t->txq));
		}
		if (ret == -EAGAIN) {
			t->blocked = true;
			worker_want_write(t->worker, t, true);
			break;
		}
		if (ret < 0) {
			/* batch[sent] failed: lost, like a datagram on the wire */
			t->stats.tx_errors++;
			dgram_free(dgram_queue_pop(&t->txq));
		}
	}
}

void transport_writable(struct transport *t)
{
	t->blocked = false;
	transport_flush(t);
}

void transport_readable(struct transport *t)
{
	struct dgram *batch[TRANSPORT_BATCH];
	bool closed = false;

	t->closed_flag = &closed;
	for (int round = 0; round < RX_ROUNDS; round++) {
		size_t n = 0;
		int ret = t->ops->recv(t, batch, TRANSPORT_BATCH, &n);

		for (size_t i = 0; i < n; i++) {
			if (closed) {
				dgram_free(batch[i]);
				continue;
			}
			t->stats.rx_dgrams++;
			t->stats.rx_bytes += batch[i]->len;
			t->on_rx(t, batch[i], t->rx_arg);
		}
		if (closed)
			return;
		if (ret != 0 && ret != -EAGAIN && t->on_error != NULL) {
			t->on_error(t, ret, t->rx_arg);
			if (closed)
				return;
		}
		if (t->ops->rx_pending != NULL && t->ops->rx_pending(t)) {
			/* what the backend holds goes now: the socket may
			 * not wake us for it (bounded: no socket read) */
			round--;
			continue;
		}
		if (ret != 0 || n < TRANSPORT_BATCH)
			break;
	}
	t->closed_flag = NULL;
}

int transport_fd(const struct transport *t)
{
	return t->ops->fd != NULL ? t->ops->fd(t) : -1;
}

int64_t transport_next_timeout(const struct transport *t)
{
	return t->ops->next_timeout != NULL ? t->ops->next_timeout(t) : -1;
}

int transport_local_addr(const struct transport *t,
			 struct sockaddr_storage *ss, socklen_t *len)
{
	if (t->ops->local_addr == NULL)
		return -EOPNOTSUPP;
	return t->ops->local_addr(t, ss, len);
}
