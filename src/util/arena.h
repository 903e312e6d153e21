/*
 * arena.h - a bump allocator: many small allocations, freed in one call.
 *
 * Used for everything whose lifetime is one load, one request or one
 * evaluation. arena_alloc() returns NULL on allocation failure (the
 * library maps that to MAMORI_ENOMEM). Memory from an arena is freed only
 * by arena_reset() (keeps the first chunk for reuse) or arena_release().
 */
#ifndef MAMORI_ARENA_H
#define MAMORI_ARENA_H

#include <stddef.h>

#include "slice.h"

struct arena_chunk;

struct arena_defer;

struct arena {
	struct arena_chunk *head;	/* owned list, newest first */
	struct arena_defer *defer;	/* cleanups run by release/reset */
	size_t chunk_size;		/* default size of a new chunk */
	size_t used;			/* bytes handed out, for stats */
};

void arena_init(struct arena *a, size_t chunk_size);
/* Frees every chunk; a is ready for reuse. */
void arena_release(struct arena *a);
/* Forget all allocations but keep the newest chunk for reuse. */
void arena_reset(struct arena *a);
/*
 * Run fn(p) when the arena is released or reset, newest first: for
 * objects that live as long as the arena but hold memory of their own
 * (a JIT-compiled regular expression). Returns -1 when out of memory
 * (fn is then called at once, so nothing leaks).
 */
int arena_defer(struct arena *a, void (*fn)(void *), void *p);
/* size bytes aligned for any type; NULL on failure. */
void *arena_alloc(struct arena *a, size_t size);
void *arena_calloc(struct arena *a, size_t n, size_t size);
/* A NUL-terminated copy of len bytes of p; NULL on failure. */
char *arena_strndup(struct arena *a, const char *p, size_t len);
char *arena_strdup(struct arena *a, const char *s);
/* A NUL-terminated copy of s, as a slice (p NULL on failure). */
struct slice arena_slice_dup(struct arena *a, struct slice s);

#endif
