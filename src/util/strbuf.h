/*
 * strbuf.h - a growable byte buffer (after git's strbuf and curl's dynbuf).
 *
 * Invariants: buf is never NULL and always NUL-terminated at buf[len];
 * the content may itself hold NUL bytes. A strbuf set up with
 * strbuf_init() holds no memory until something is added.
 *
 * Allocation failure or exceeding max (when max > 0) leaves the content
 * as it was, returns MAMORI_ENOMEM / MAMORI_ETOOBIG and sets the sticky
 * err field, so a caller may add many pieces and check err once at the
 * end. Every later add is a no-op while err is set.
 *
 * Ownership: buf is owned by the strbuf; strbuf_release() frees it,
 * strbuf_detach() hands it to the caller (who frees it with free()).
 */
#ifndef MAMORI_STRBUF_H
#define MAMORI_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "err.h"
#include "slice.h"

struct strbuf {
	char *buf;		/* owned unless it is strbuf_empty */
	size_t len;
	size_t alloc;		/* 0: buf points at a shared empty string */
	size_t max;		/* 0 = unlimited, else refuse to grow past it */
	enum mamori_err err;	/* sticky: first failure */
};

extern char strbuf_empty[];
#define STRBUF_INIT { strbuf_empty, 0, 0, 0, MAMORI_OK }

void strbuf_init(struct strbuf *sb, size_t max);
void strbuf_release(struct strbuf *sb);
/* Returns the buffer (malloc'd, caller frees) and re-inits sb. */
char *strbuf_detach(struct strbuf *sb, size_t *len);
/* Make room for extra more bytes (plus the NUL). */
enum mamori_err strbuf_grow(struct strbuf *sb, size_t extra);
/* strbuf_add() when len bytes do not fit as it stands: grows, then adds. */
enum mamori_err strbuf_add_grow(struct strbuf *sb, const void *p, size_t len);

/*
 * The appends are inline: pages are written in many small pieces, and a
 * piece that fits (the buffer has room, no error, no maximum) is only
 * a copy; every other case goes through strbuf_add_grow().
 */
static inline enum mamori_err strbuf_add(struct strbuf *sb, const void *p,
					 size_t len)
{
	/* alloc 0 (nothing held yet) never fits: len >= 0 - 0; a buffer
	 * with a maximum is checked against it there */
	if (len >= sb->alloc - sb->len || sb->err || sb->max)
		return strbuf_add_grow(sb, p, len);
	if (len)
		memcpy(sb->buf + sb->len, p, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
	return MAMORI_OK;
}

/* With s a string literal, its length is known when compiling. */
static inline enum mamori_err strbuf_addstr(struct strbuf *sb, const char *s)
{
	return strbuf_add(sb, s, strlen(s));
}

static inline enum mamori_err strbuf_addch(struct strbuf *sb, char c)
{
	return strbuf_add(sb, &c, 1);
}

enum mamori_err strbuf_addslice(struct strbuf *sb, struct slice s);
/* v in decimal, as "%" PRIu64 writes it (without printf's cost). */
enum mamori_err strbuf_addu(struct strbuf *sb, uint64_t v);
enum mamori_err strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
enum mamori_err strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/*
 * Append the whole file at path ("-" = standard input) to sb, within
 * sb->max. On failure appends "path: reason" and a newline to err (when
 * err is not NULL), leaves errno set and returns MAMORI_ENOENT (no such
 * file), MAMORI_EIO (cannot open or read), MAMORI_ETOOBIG (larger than
 * sb->max) or MAMORI_ENOMEM. The one way mamori reads a file whole.
 */
enum mamori_err strbuf_read_file(struct strbuf *sb, const char *path,
				 struct strbuf *err);
/* Shrink to len bytes (len <= sb->len); clears nothing else. */
void strbuf_setlen(struct strbuf *sb, size_t len);
/* Empty the content and clear err; keeps the allocation. */
void strbuf_reset(struct strbuf *sb);

static inline struct slice strbuf_slice(const struct strbuf *sb)
{
	return (struct slice){ sb->buf, sb->len };
}

#endif
