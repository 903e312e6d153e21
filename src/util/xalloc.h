/*
 * xalloc.h - allocation that aborts the process on failure.
 *
 * Only cli/ and web/ may include this (CONVENTIONS: the library returns
 * MAMORI_ENOMEM). Each wrapper prints a message and exits with status 2.
 */
#ifndef MAMORI_XALLOC_H
#define MAMORI_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* Exits with status 2 when e is MAMORI_ENOMEM. */
void xcheck_oom(int e);

#endif
