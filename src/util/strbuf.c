/*
 * strbuf.c - growable buffer. Must never write past alloc or leave buf
 * without its terminating NUL.
 */
#include "strbuf.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

char strbuf_empty[1];

void strbuf_init(struct strbuf *sb, size_t max)
{
	sb->buf = strbuf_empty;
	sb->len = 0;
	sb->alloc = 0;
	sb->max = max;
	sb->err = MAMORI_OK;
}

void strbuf_release(struct strbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	strbuf_init(sb, sb->max);
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
	char *r;

	if (len)
		*len = sb->len;
	if (sb->alloc) {
		r = sb->buf;
	} else {
		r = malloc(1);
		if (r)
			r[0] = '\0';
	}
	strbuf_init(sb, sb->max);
	return r;
}

enum mamori_err strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t need, n;
	char *p;

	if (sb->err)
		return sb->err;
	if (extra > SIZE_MAX - sb->len - 1)
		return sb->err = MAMORI_ENOMEM;
	need = sb->len + extra + 1;
	if (sb->max && need > sb->max + 1)
		return sb->err = MAMORI_ETOOBIG;
	if (need <= sb->alloc)
		return MAMORI_OK;
	n = sb->alloc ? sb->alloc : 64;
	while (n < need)
		n = n > SIZE_MAX / 2 ? need : n * 2;
	p = realloc(sb->alloc ? sb->buf : NULL, n);
	if (!p)
		return sb->err = MAMORI_ENOMEM;
	if (!sb->alloc)
		p[0] = '\0';
	sb->buf = p;
	sb->alloc = n;
	return MAMORI_OK;
}

enum mamori_err strbuf_add_grow(struct strbuf *sb, const void *p, size_t len)
{
	enum mamori_err e = strbuf_grow(sb, len);
	if (e)
		return e;
	if (len)
		memcpy(sb->buf + sb->len, p, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
	return MAMORI_OK;
}

enum mamori_err strbuf_addslice(struct strbuf *sb, struct slice s)
{
	return strbuf_add(sb, s.p, s.len);
}

enum mamori_err strbuf_addu(struct strbuf *sb, uint64_t v)
{
	char digits[20];	/* UINT64_MAX has 20 */
	size_t i = sizeof(digits);

	do {
		digits[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return strbuf_add(sb, digits + i, sizeof(digits) - i);
}

enum mamori_err strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	enum mamori_err e;

	if (sb->err)
		return sb->err;
	va_copy(cp, ap);
	n = vsnprintf(sb->buf + sb->len, sb->alloc ? sb->alloc - sb->len : 0,
		      fmt, cp);
	va_end(cp);
	if (n < 0)
		return sb->err = MAMORI_EINVAL;
	if (sb->alloc && (size_t)n < sb->alloc - sb->len) {
		sb->len += (size_t)n;
		return MAMORI_OK;
	}
	e = strbuf_grow(sb, (size_t)n);
	if (e) {
		if (sb->alloc)
			sb->buf[sb->len] = '\0';
		return e;
	}
	vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, ap);
	sb->len += (size_t)n;
	return MAMORI_OK;
}

enum mamori_err strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	enum mamori_err e;

	va_start(ap, fmt);
	e = strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
	return e;
}

void strbuf_setlen(struct strbuf *sb, size_t len)
{
	if (len > sb->len)
		return;
	sb->len = len;
	if (sb->alloc)
		sb->buf[len] = '\0';
}

void strbuf_reset(struct strbuf *sb)
{
	strbuf_setlen(sb, 0);
	sb->err = MAMORI_OK;
}

enum mamori_err strbuf_read_file(struct strbuf *sb, const char *path,
				 struct strbuf *err)
{
	char chunk[65536];
	size_t n;
	int bad, saved;
	enum mamori_err e;
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;

	if (!f) {
		saved = errno;
		if (err)
			strbuf_addf(err, "%s: cannot open: %s\n", path,
				    strerror(saved));
		errno = saved;
		return saved == ENOENT ? MAMORI_ENOENT : MAMORI_EIO;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (strbuf_add(sb, chunk, n))
			break;
	bad = ferror(f);
	saved = errno;
	if (f != stdin)
		fclose(f);
	if (!bad && !sb->err)
		return MAMORI_OK;
	e = bad ? MAMORI_EIO : sb->err;
	if (err) {
		if (e == MAMORI_ETOOBIG)
			strbuf_addf(err, "%s: larger than %zu bytes\n", path,
				    sb->max);
		else if (e == MAMORI_EIO)
			strbuf_addf(err, "%s: read error: %s\n", path,
				    strerror(saved));
		else
			strbuf_addf(err, "%s: out of memory\n", path);
	}
	errno = e == MAMORI_ETOOBIG ? EFBIG : e == MAMORI_EIO ? saved : ENOMEM;
	return e;
}
