/*
 * slice.c - helpers over borrowed byte ranges. Never allocates.
 */
#include "slice.h"

#include "banned.h"

bool slice_starts_with(struct slice s, struct slice prefix)
{
	return s.len >= prefix.len &&
	       (prefix.len == 0 || memcmp(s.p, prefix.p, prefix.len) == 0);
}

bool slice_ends_with(struct slice s, struct slice suffix)
{
	return s.len >= suffix.len &&
	       (suffix.len == 0 ||
		memcmp(s.p + s.len - suffix.len, suffix.p, suffix.len) == 0);
}

long slice_find(struct slice s, struct slice needle)
{
	if (needle.len == 0)
		return 0;
	if (needle.len > s.len)
		return -1;
	const char *end = s.p + s.len - needle.len + 1;
	for (const char *q = s.p; q < end; q++) {
		q = memchr(q, needle.p[0], (size_t)(end - q));
		if (!q)
			return -1;
		if (memcmp(q, needle.p, needle.len) == 0)
			return q - s.p;
	}
	return -1;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

struct slice slice_trim(struct slice s)
{
	while (s.len && is_space(s.p[0])) {
		s.p++;
		s.len--;
	}
	while (s.len && is_space(s.p[s.len - 1]))
		s.len--;
	return s;
}

int slice_cmp(struct slice a, struct slice b)
{
	size_t n = a.len < b.len ? a.len : b.len;
	int c = n ? memcmp(a.p, b.p, n) : 0;
	if (c)
		return c;
	return a.len < b.len ? -1 : a.len > b.len;
}

struct slice slice_cut(struct slice s, char c, struct slice *head)
{
	const char *q = s.len ? memchr(s.p, c, s.len) : NULL;
	if (!q) {
		*head = s;
		return (struct slice){ NULL, 0 };
	}
	*head = (struct slice){ s.p, (size_t)(q - s.p) };
	return (struct slice){ q + 1, s.len - (size_t)(q - s.p) - 1 };
}
