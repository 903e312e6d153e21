/*
 * jsonread.c - store_json_read(): stored JSON into jansson documents
 * without jansson's character-at-a-time lexer (jsonread.h). Must never
 * accept what json_loadb() refuses or build a document other than the one
 * json_loadb() builds: when unsure, it gives up and the caller falls back.
 */
#include "store/jsonread.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "util/jsonlex.h"
#include "util/num.h"
#include "util/strbuf.h"
#include "util/banned.h"

struct rd {
	const char *p, *end;
	int depth;
	struct strbuf tmp;	/* unescaped strings */
};

static json_t *value(struct rd *r);

static void ws(struct rd *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' ||
				 *r->p == '\r' || *r->p == '\t'))
		r->p++;
}

/*
 * The string whose opening quote is at r->p: its bytes in *s (into the
 * input when it has no escape, else into r->tmp), r->p past the closing
 * quote. -1 when it is not a string this reader takes.
 */
static int string(struct rd *r, const char **s, size_t *len)
{
	const char *start = r->p + 1, *q;
	bool esc;

	if (!(q = jsonlex_string_end(start, r->end, &esc)))
		return -1;
	r->p = q + 1;
	if (!esc) {
		*s = start;
		*len = (size_t)(q - start);
		return 0;
	}
	strbuf_reset(&r->tmp);
	if (strbuf_grow(&r->tmp, (size_t)(q - start)))
		return -1;
	*len = jsonlex_unescape(start, q, r->tmp.buf);
	r->tmp.buf[*len] = '\0';
	r->tmp.len = *len;
	*s = r->tmp.buf;
	return 0;
}

static bool digit(const char *p, const char *end)
{
	return p < end && *p >= '0' && *p <= '9';
}

/* A number as jansson's lexer reads it: integers as json_integer (NULL
 * when out of range), the rest as json_real. */
static json_t *number(struct rd *r)
{
	const char *p = r->p, *start = p;
	bool real = false;

	if (*p == '-')
		p++;
	if (!digit(p, r->end))
		return NULL;
	if (*p == '0') {
		p++;
		if (digit(p, r->end))
			return NULL;
	} else {
		while (digit(p, r->end))
			p++;
	}
	if (p < r->end && *p == '.') {
		p++;
		real = true;
		if (!digit(p, r->end))
			return NULL;
		while (digit(p, r->end))
			p++;
	}
	if (p < r->end && (*p == 'e' || *p == 'E')) {
		p++;
		real = true;
		if (p < r->end && (*p == '+' || *p == '-'))
			p++;
		if (!digit(p, r->end))
			return NULL;
		while (digit(p, r->end))
			p++;
	}
	r->p = p;
	if (!real) {
		int64_t i;
		if (num_parse_i64(slice_make(start, (size_t)(p - start)), &i))
			return NULL;
		return json_integer((json_int_t)i);
	}
	double d;
	if (num_parse_double(slice_make(start, (size_t)(p - start)), &d))
		return NULL;
	return json_real(d);	/* NULL when not finite */
}

static json_t *object(struct rd *r)
{
	json_t *o = json_object(), *v;
	const char *k;
	size_t klen;

	if (!o)
		return NULL;
	r->p++;
	ws(r);
	if (r->p < r->end && *r->p == '}') {
		r->p++;
		return o;
	}
	for (;;) {
		if (r->p >= r->end || *r->p != '"' || string(r, &k, &klen))
			goto fail;
		/* the key may live in r->tmp, which the value reuses */
		char kb[128], *key = klen < sizeof(kb) ? kb : NULL;
		if (!key)
			goto fail;	/* long keys: jansson's business */
		memcpy(key, k, klen);
		key[klen] = '\0';
		ws(r);
		if (r->p >= r->end || *r->p != ':')
			goto fail;
		r->p++;
		ws(r);
		if (!(v = value(r)))
			goto fail;
		if (json_object_setn_new_nocheck(o, key, klen, v))
			goto fail;
		ws(r);
		if (r->p >= r->end)
			goto fail;
		if (*r->p == '}') {
			r->p++;
			return o;
		}
		if (*r->p != ',')
			goto fail;
		r->p++;
		ws(r);
	}
fail:
	json_decref(o);
	return NULL;
}

static json_t *array(struct rd *r)
{
	json_t *a = json_array(), *v;

	if (!a)
		return NULL;
	r->p++;
	ws(r);
	if (r->p < r->end && *r->p == ']') {
		r->p++;
		return a;
	}
	for (;;) {
		if (!(v = value(r)) || json_array_append_new(a, v))
			goto fail;
		ws(r);
		if (r->p >= r->end)
			goto fail;
		if (*r->p == ']') {
			r->p++;
			return a;
		}
		if (*r->p != ',')
			goto fail;
		r->p++;
		ws(r);
	}
fail:
	json_decref(a);
	return NULL;
}

static bool word(struct rd *r, const char *w, size_t n)
{
	if ((size_t)(r->end - r->p) < n || memcmp(r->p, w, n))
		return false;
	r->p += n;
	return true;
}

static json_t *value(struct rd *r)
{
	json_t *v = NULL;
	const char *s;
	size_t len;

	if (r->p >= r->end)
		return NULL;
	switch (*r->p) {
	case '{':
	case '[':
		if (++r->depth > STORE_JSON_MAX_DEPTH)
			return NULL;
		v = *r->p == '{' ? object(r) : array(r);
		r->depth--;
		return v;
	case '"':
		if (string(r, &s, &len))
			return NULL;
		return json_stringn_nocheck(s, len);
	case 't':
		return word(r, "true", 4) ? json_true() : NULL;
	case 'f':
		return word(r, "false", 5) ? json_false() : NULL;
	case 'n':
		return word(r, "null", 4) ? json_null() : NULL;
	default:
		return number(r);
	}
}

json_t *store_json_read(const char *p, size_t len)
{
	struct rd r = { p, p + len, 0, STRBUF_INIT };
	json_t *v = NULL;

	if (!p)
		return NULL;
	ws(&r);
	if (r.p < r.end && (*r.p == '{' || *r.p == '['))
		v = value(&r);
	ws(&r);
	if (v && r.p != r.end) {
		json_decref(v);
		v = NULL;
	}
	strbuf_release(&r.tmp);
	return v;
}

json_t *store_json_load(const char *p, size_t len, json_error_t *je)
{
	json_t *v = store_json_read(p, len);

	if (v)
		return v;
	return json_loadb(p ? p : "", p ? len : 0, 0, je);
}
