/*
 * container.h: from a member back to the structure that holds it.
 *
 * The backends embed their struct transport as `base`, and the tables link
 * entries through an embedded struct hnode: container_of() takes the
 * member's address back to the whole, container_of_const() does the same
 * for a const pointer.
 */
#ifndef DTLSGW_CONTAINER_H
#define DTLSGW_CONTAINER_H

#include <stddef.h>

#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

#define container_of_const(ptr, type, member) \
	((const type *)(const void *)((const char *)(ptr) - \
				      offsetof(type, member)))

#endif
