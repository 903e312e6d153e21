/*
 * slice.h - a borrowed, length-delimited view of bytes, for parsing.
 *
 * A slice never owns memory: whoever owns p must outlive the slice.
 * p need not be NUL-terminated; len may be 0 (p may then be NULL).
 */
#ifndef MAMORI_SLICE_H
#define MAMORI_SLICE_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct slice {
	const char *p;
	size_t len;
};

#define SLICE_LIT(s) ((struct slice){ (s), sizeof(s) - 1 })

static inline struct slice slice_make(const char *p, size_t len)
{
	return (struct slice){ p, len };
}

/* s may be NULL: gives the empty slice. */
static inline struct slice slice_from_cstr(const char *s)
{
	return (struct slice){ s, s ? strlen(s) : 0 };
}

static inline bool slice_eq(struct slice a, struct slice b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

static inline bool slice_eq_cstr(struct slice a, const char *s)
{
	return slice_eq(a, slice_from_cstr(s));
}

bool slice_starts_with(struct slice s, struct slice prefix);
bool slice_ends_with(struct slice s, struct slice suffix);
/* Offset of the first occurrence of needle in s, or -1. */
long slice_find(struct slice s, struct slice needle);
/* s without leading and trailing ASCII white space. */
struct slice slice_trim(struct slice s);
/* Byte-wise comparison like memcmp, shorter first on a common prefix. */
int slice_cmp(struct slice a, struct slice b);
/*
 * Split s at the first byte c: *head gets what is before, the return value
 * what is after. When c is absent, *head = s and the result is empty with
 * p == NULL (so callers can tell "no separator").
 */
struct slice slice_cut(struct slice s, char c, struct slice *head);

#endif
