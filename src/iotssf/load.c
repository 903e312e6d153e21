/*
 * load.c - typed, located reads from a ydoc tree for the IoT-SSF loaders.
 * Reports problems and carries on; never aborts, never prints.
 */
#include "iotssf/load.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/num.h"
#include "util/banned.h"

void ld_error(struct ld *l, const struct ydoc_node *at, const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ydoc_errorf(l->doc, at, l->err, "%s", msg);
	l->nerr++;
}

bool ld_kind(struct ld *l, const struct ydoc_node *n, enum ydoc_kind k,
	     const char *what)
{
	if (n && n->kind == k)
		return true;
	if (n)
		ld_error(l, n, "%s must be %s, not %s", what,
			 ydoc_kind_name(k), ydoc_kind_name(n->kind));
	return false;
}

const struct ydoc_node *ld_need(struct ld *l, const struct ydoc_node *map,
				const char *key, const char *what)
{
	const struct ydoc_node *v = ydoc_get(map, key);

	if (!v)
		ld_error(l, map, "%s: missing key '%s'", what, key);
	return v;
}

const char *ld_str(struct ld *l, const struct ydoc_node *n, const char *what)
{
	if (!ld_kind(l, n, YDOC_SCALAR, what))
		return NULL;
	if (n->str.len == 0 || strlen(n->str.p) != n->str.len) {
		ld_error(l, n, "%s must not be empty", what);
		return NULL;
	}
	return n->str.p;
}

const char *ld_id(struct ld *l, const struct ydoc_node *n, const char *what)
{
	const char *s = ld_str(l, n, what);

	if (!s)
		return NULL;
	size_t len = strlen(s);
	bool ok = len <= 64 && ((s[0] >= 'a' && s[0] <= 'z') ||
				(s[0] >= '0' && s[0] <= '9'));
	for (size_t i = 0; ok && i < len; i++) {
		char c = s[i];
		ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		     c == '-' || c == '_' || c == '.';
	}
	if (!ok) {
		ld_error(l, n, "%s '%.64s' is not an identifier "
			 "(lower-case letters, digits, '-', '_', '.')", what, s);
		return NULL;
	}
	return ld_strdup(l, s);
}

bool ld_text(struct ld *l, const struct ydoc_node *n, const char *what,
	     struct iot_text *out)
{
	static const char *const keys[] = { "ja", "en", NULL };

	memset(out, 0, sizeof(*out));
	if (!n)
		return false;
	if (n->kind == YDOC_SCALAR) {
		const char *s = ld_str(l, n, what);
		if (!s)
			return false;
		out->ja = out->en = ld_strdup(l, s);
		return out->ja != NULL;
	}
	if (n->kind != YDOC_MAP) {
		ld_error(l, n, "%s must be a text or a mapping {ja: ..., en: ...}, "
			 "not %s", what, ydoc_kind_name(n->kind));
		return false;
	}
	if (ydoc_check_keys(l->doc, n, keys, what, l->err)) {
		l->nerr++;
		return false;
	}
	const struct ydoc_node *ja = ydoc_get(n, "ja"), *en = ydoc_get(n, "en");
	if (!ja && !en) {
		ld_error(l, n, "%s: needs 'ja' or 'en'", what);
		return false;
	}
	if (ja) {
		const char *s = ld_str(l, ja, what);
		out->ja = s ? ld_strdup(l, s) : NULL;
	}
	if (en) {
		const char *s = ld_str(l, en, what);
		out->en = s ? ld_strdup(l, s) : NULL;
	}
	return out->ja || out->en;
}

void ld_opt_text(struct ld *l, const struct ydoc_node *map, const char *key,
		 const char *what, struct iot_text *out)
{
	const struct ydoc_node *n = ydoc_get(map, key);

	memset(out, 0, sizeof(*out));
	if (n)
		ld_text(l, n, what, out);
}

bool ld_int(struct ld *l, const struct ydoc_node *n, long lo, long hi,
	    const char *what, int *out)
{
	int64_t v;

	if (!ld_kind(l, n, YDOC_SCALAR, what))
		return false;
	if (!n->plain || num_parse_i64(n->str, &v) != MAMORI_OK) {
		ld_error(l, n, "%s must be a whole number from %ld to %ld, "
			 "not '%.32s'", what, lo, hi, n->str.p);
		return false;
	}
	if (v < lo || v > hi) {
		ld_error(l, n, "%s must be from %ld to %ld, not %lld", what, lo,
			 hi, (long long)v);
		return false;
	}
	*out = (int)v;
	return true;
}

int ld_enum(struct ld *l, const struct ydoc_node *n,
	    const char *const *names, size_t count, const char *what)
{
	char list[256];
	size_t used = 0;
	const char *s = ld_str(l, n, what);

	if (!s)
		return -1;
	for (size_t i = 0; i < count; i++)
		if (names[i] && !strcmp(names[i], s))
			return (int)i;
	list[0] = '\0';
	for (size_t i = 0; i < count; i++) {
		if (!names[i])
			continue;
		int w = snprintf(list + used, sizeof(list) - used, "%s%s",
				 used ? ", " : "", names[i]);
		if (w < 0 || (size_t)w >= sizeof(list) - used)
			break;
		used += (size_t)w;
	}
	ld_error(l, n, "%s '%.64s' is not one of: %s", what, s, list);
	return -1;
}

void *ld_calloc(struct ld *l, size_t n, size_t size)
{
	void *p = arena_calloc(l->arena, n ? n : 1, size);

	if (!p)
		l->oom = true;
	return p;
}

const char *ld_strdup(struct ld *l, const char *s)
{
	char *p = arena_strdup(l->arena, s);

	if (!p)
		l->oom = true;
	return p;
}

void ld_keys(struct ld *l, const struct ydoc_node *map,
	     const char *const *allowed, const char *what)
{
	l->nerr += ydoc_check_keys(l->doc, map, allowed, what, l->err);
}

size_t ld_list(struct ld *l, const struct ydoc_node *n, const char *what)
{
	if (!ld_kind(l, n, YDOC_SEQ, what))
		return 0;
	return n->n;
}

const char *ld_what(struct ld *l, const char *fmt, ...)
{
	va_list ap;
	char buf[160];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	const char *p = arena_strdup(l->arena, buf);
	if (!p) {
		l->oom = true;
		return "?";
	}
	return p;
}
