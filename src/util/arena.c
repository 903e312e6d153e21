/*
 * arena.c - bump allocator. Must never hand out overlapping or
 * misaligned memory.
 */
#include "arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

struct arena_chunk {
	struct arena_chunk *next;
	size_t size;	/* usable bytes in data */
	size_t off;	/* next free byte */
	alignas(max_align_t) unsigned char data[];
};

#define ALIGN (alignof(max_align_t))

struct arena_defer {
	struct arena_defer *next;
	void (*fn)(void *);
	void *p;
};

static void run_deferred(struct arena *a)
{
	struct arena_defer *d = a->defer;

	a->defer = NULL;
	while (d) {
		d->fn(d->p);	/* d lives in a chunk: still valid here */
		d = d->next;
	}
}

int arena_defer(struct arena *a, void (*fn)(void *), void *p)
{
	struct arena_defer *d = arena_alloc(a, sizeof(*d));

	if (!d) {
		fn(p);
		return -1;
	}
	d->fn = fn;
	d->p = p;
	d->next = a->defer;
	a->defer = d;
	return 0;
}

void arena_init(struct arena *a, size_t chunk_size)
{
	a->head = NULL;
	a->defer = NULL;
	a->chunk_size = chunk_size ? chunk_size : 16384;
	a->used = 0;
}

void arena_release(struct arena *a)
{
	struct arena_chunk *c, *n;

	run_deferred(a);
	c = a->head;
	while (c) {
		n = c->next;
		free(c);
		c = n;
	}
	a->head = NULL;
	a->used = 0;
}

void arena_reset(struct arena *a)
{
	struct arena_chunk *c;

	run_deferred(a);
	if (!a->head)
		return;
	c = a->head->next;
	while (c) {
		struct arena_chunk *n = c->next;
		free(c);
		c = n;
	}
	a->head->next = NULL;
	a->head->off = 0;
	a->used = 0;
}

void *arena_alloc(struct arena *a, size_t size)
{
	struct arena_chunk *c = a->head;
	size_t need;

	if (size == 0)
		size = 1;
	if (size > SIZE_MAX - ALIGN)
		return NULL;
	need = (size + ALIGN - 1) & ~(ALIGN - 1);
	if (!c || c->size - c->off < need) {
		size_t cs = a->chunk_size > need ? a->chunk_size : need;
		if (cs > SIZE_MAX - sizeof(*c))
			return NULL;
		c = malloc(sizeof(*c) + cs);
		if (!c)
			return NULL;
		c->size = cs;
		c->off = 0;
		/*
		 * A chunk made for one oversized request goes behind the
		 * current one so that the current one keeps filling.
		 */
		if (a->head && cs == need && a->head->size - a->head->off > 0) {
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	void *p = c->data + c->off;
	c->off += need;
	a->used += need;
	return p;
}

void *arena_calloc(struct arena *a, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	void *p = arena_alloc(a, n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

char *arena_strndup(struct arena *a, const char *p, size_t len)
{
	char *r;

	if (len == SIZE_MAX)
		return NULL;
	r = arena_alloc(a, len + 1);
	if (!r)
		return NULL;
	if (len)
		memcpy(r, p, len);
	r[len] = '\0';
	return r;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

struct slice arena_slice_dup(struct arena *a, struct slice s)
{
	char *p = arena_strndup(a, s.p, s.len);
	return (struct slice){ p, p ? s.len : 0 };
}
