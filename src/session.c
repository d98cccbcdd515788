/*
 * The session table: peers to sessions, and handshakes in progress per
 * source address.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "dtlsgw/container.h"
#include "dtlsgw/session.h"

struct source_count {
	struct hnode	node;
	struct addr_key	key;
	unsigned int	handshakes;
};

void addr_key_from(struct addr_key *key, const struct sockaddr *sa,
		   bool with_port)
{
	memset(key, 0, sizeof(*key));
	key->family = (uint8_t)sa->sa_family;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;

		memcpy(key->addr, &in->sin_addr, 4);
		key->port = with_port ? in->sin_port : 0;
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;

		memcpy(key->addr, &in6->sin6_addr, 16);
		key->port = with_port ? in6->sin6_port : 0;
		key->scope = in6->sin6_scope_id;
	}
}

static bool session_eq(const struct hnode *n, const void *key)
{
	const struct session *s = container_of(n, struct session, node);

	return memcmp(&s->key, key, sizeof(s->key)) == 0;
}

static bool source_eq(const struct hnode *n, const void *key)
{
	const struct source_count *c =
		container_of(n, struct source_count, node);

	return memcmp(&c->key, key, sizeof(c->key)) == 0;
}

int session_table_init(struct session_table *t, size_t max_sessions,
		       unsigned int max_hs_per_source)
{
	memset(t, 0, sizeof(*t));
	if (htable_init(&t->by_peer, 64) != 0)
		return -ENOMEM;
	if (htable_init(&t->by_source, 16) != 0) {
		htable_finish(&t->by_peer);
		return -ENOMEM;
	}
	t->max_sessions = max_sessions;
	t->max_hs_per_source = max_hs_per_source;
	return 0;
}

void session_table_finish(struct session_table *t)
{
	size_t i;
	struct hnode *n, *next;

	/* source counts left over (there should be none) */
	for (n = htable_first(&t->by_source, &i); n != NULL; n = next) {
		next = htable_next(&t->by_source, n, &i);
		htable_remove(&t->by_source, n);
		free(container_of(n, struct source_count, node));
	}
	htable_finish(&t->by_peer);
	htable_finish(&t->by_source);
}

size_t session_table_count(const struct session_table *t)
{
	return t->by_peer.count;
}

struct session *session_table_find(const struct session_table *t,
				   const struct sockaddr *peer)
{
	struct addr_key key;
	struct hnode *n;

	addr_key_from(&key, peer, true);
	n = htable_find(&t->by_peer, htable_hash(&t->by_peer, &key,
						 sizeof(key)),
			session_eq, &key);
	return n != NULL ? container_of(n, struct session, node) : NULL;
}

static struct source_count *source_find(const struct session_table *t,
					const struct addr_key *key)
{
	struct hnode *n = htable_find(
		&t->by_source, htable_hash(&t->by_source, key, sizeof(*key)),
		source_eq, key);

	return n != NULL ? container_of(n, struct source_count, node) : NULL;
}

unsigned int session_table_source_handshakes(const struct session_table *t,
					     const struct sockaddr *sa)
{
	struct addr_key key;
	struct source_count *c;

	addr_key_from(&key, sa, false);
	c = source_find(t, &key);
	return c != NULL ? c->handshakes : 0;
}

enum session_admit session_table_admit(const struct session_table *t,
				       const struct sockaddr *peer)
{
	if (t->by_peer.count >= t->max_sessions)
		return SESSION_ADMIT_FULL;
	if (session_table_source_handshakes(t, peer) >= t->max_hs_per_source)
		return SESSION_ADMIT_SOURCE_LIMIT;
	return SESSION_ADMIT_OK;
}

void session_table_insert(struct session_table *t, struct session *s)
{
	addr_key_from(&s->key, (const struct sockaddr *)&s->peer, true);
	htable_insert(&t->by_peer, &s->node,
		      htable_hash(&t->by_peer, &s->key, sizeof(s->key)));
	s->in_table = true;
}

void session_table_remove(struct session_table *t, struct session *s)
{
	session_table_handshake_end(t, s);
	if (!s->in_table)
		return;
	htable_remove(&t->by_peer, &s->node);
	s->in_table = false;
}

int session_table_handshake_begin(struct session_table *t, struct session *s)
{
	struct addr_key key;
	struct source_count *c;

	if (s->hs_counted)
		return 0;
	addr_key_from(&key, (const struct sockaddr *)&s->peer, false);
	c = source_find(t, &key);
	if (c == NULL) {
		c = calloc(1, sizeof(*c));
		if (c == NULL)
			return -ENOMEM;
		c->key = key;
		htable_insert(&t->by_source, &c->node,
			      htable_hash(&t->by_source, &key, sizeof(key)));
	}
	c->handshakes++;
	t->handshaking++;
	s->hs_counted = true;
	return 0;
}

void session_table_handshake_end(struct session_table *t, struct session *s)
{
	struct addr_key key;
	struct source_count *c;

	if (!s->hs_counted)
		return;
	s->hs_counted = false;
	t->handshaking--;
	addr_key_from(&key, (const struct sockaddr *)&s->peer, false);
	c = source_find(t, &key);
	if (c == NULL)
		return;
	if (--c->handshakes == 0) {
		htable_remove(&t->by_source, &c->node);
		free(c);
	}
}

struct session *session_table_first(const struct session_table *t,
				    size_t *iter)
{
	struct hnode *n = htable_first(&t->by_peer, iter);

	return n != NULL ? container_of(n, struct session, node) : NULL;
}

struct session *session_table_next(const struct session_table *t,
				   const struct session *s, size_t *iter)
{
	struct hnode *n = htable_next(&t->by_peer, &s->node, iter);

	return n != NULL ? container_of(n, struct session, node) : NULL;
}
