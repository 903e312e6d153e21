/*
 * form.c - the urlencoded parser (form.h). Every byte of the input is
 * untrusted: no read past len, no write past what was counted, no
 * recursion. Must never accept a value it cannot hand on as UTF-8 text.
 */
#include <string.h>

#include "web/form.h"
#include "util/banned.h"

const struct form_limits form_default_limits = {
	.max_fields = 2000,
	.max_name = 128,
	.max_value = 64 * 1024,
};

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	unsigned cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

/* Decode s[0..len) into a new arena string; checks the result. */
static enum mamori_err decode(struct arena *a, const char *s, size_t len,
			      size_t max, bool is_value, const char **out,
			      size_t *outlen)
{
	char *d;
	size_t n = 0;

	d = arena_alloc(a, len + 1);
	if (!d)
		return MAMORI_ENOMEM;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			int hi, lo;
			if (i + 2 >= len)
				return MAMORI_EPARSE;
			hi = hexval((unsigned char)s[i + 1]);
			lo = hexval((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0)
				return MAMORI_EPARSE;
			c = (unsigned char)(hi * 16 + lo);
			i += 2;
		}
		d[n++] = (char)c;
		if (n > max)
			return MAMORI_ETOOBIG;
	}
	d[n] = '\0';
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)d[i];
		size_t k;
		if (c < 0x20 || c == 0x7F) {
			if (!is_value || !(c == '\t' || c == '\r' || c == '\n'))
				return MAMORI_EPARSE;
		}
		k = utf8_seq((const unsigned char *)d + i, n - i);
		if (k == 0)
			return MAMORI_EPARSE;
		i += k;
	}
	*out = d;
	*outlen = n;
	return MAMORI_OK;
}

enum mamori_err form_parse(struct arena *a, const char *body, size_t len,
			   const struct form_limits *lim, struct form *out)
{
	size_t count = 0, i = 0;
	enum mamori_err e;

	out->n = 0;
	out->fields = NULL;
	if (!lim)
		lim = &form_default_limits;
	if (len == 0)
		return MAMORI_OK;
	if (memchr(body, '\0', len))
		return MAMORI_EPARSE;
	/* count the pairs first, so the array is allocated once */
	for (size_t j = 0; j < len; j++)
		if (body[j] == '&')
			count++;
	count++;
	if (count > lim->max_fields)
		return MAMORI_ETOOBIG;
	out->fields = arena_calloc(a, count, sizeof(*out->fields));
	if (!out->fields)
		return MAMORI_ENOMEM;
	while (i <= len) {
		const char *p = body + i;
		const char *amp = memchr(p, '&', len - i);
		size_t plen = amp ? (size_t)(amp - p) : len - i;
		const char *eq = memchr(p, '=', plen);
		size_t nlen = eq ? (size_t)(eq - p) : plen;
		struct form_field *f;

		i += plen + 1;
		if (plen == 0)
			continue;	/* "a=1&&b=2": an empty pair is skipped */
		if (nlen == 0) {
			e = MAMORI_EPARSE;
			goto fail;
		}
		f = &out->fields[out->n];
		if ((e = decode(a, p, nlen, lim->max_name, false, &f->name,
				&f->name_len)))
			goto fail;
		if (f->name_len == 0) {
			e = MAMORI_EPARSE;
			goto fail;
		}
		if (eq) {
			if ((e = decode(a, eq + 1, plen - nlen - 1,
					lim->max_value, true, &f->value,
					&f->value_len)))
				goto fail;
		} else {
			f->value = "";
			f->value_len = 0;
		}
		out->n++;
	}
	return MAMORI_OK;
fail:
	out->n = 0;
	out->fields = NULL;
	return e;
}

const char *form_get(const struct form *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->fields[i].name, name) == 0)
			return f->fields[i].value;
	return NULL;
}

size_t form_count(const struct form *f, const char *name)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->fields[i].name, name) == 0)
			n++;
	return n;
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

bool field_valid(enum field_kind kind, const char *v, size_t len)
{
	switch (kind) {
	case FIELD_TEXT:
		return true;
	case FIELD_ID:
		if (len == 0)
			return false;
		for (size_t i = 0; i < len; i++)
			if (!is_alnum(v[i]) && v[i] != '.' && v[i] != '_' &&
			    v[i] != '-')
				return false;
		return true;
	case FIELD_INT:
		if (len == 0 || len > 18)
			return false;
		for (size_t i = 0; i < len; i++)
			if (v[i] < '0' || v[i] > '9')
				return false;
		return true;
	case FIELD_CODE:
		if (len == 0)
			return false;
		for (size_t i = 0; i < len; i++)
			if (!is_alnum(v[i]) && v[i] != '-' && v[i] != ' ')
				return false;
		return true;
	case FIELD__MAX:
		break;
	}
	return false;
}

enum mamori_err form_fetch(const struct form *f, const struct field_spec *specs,
			   size_t n, const char **out, const char **bad)
{
	for (size_t i = 0; i < n; i++) {
		const struct field_spec *s = &specs[i];
		const char *v = form_get(f, s->name);
		out[i] = NULL;
		if (!v || !*v) {
			if (s->required) {
				*bad = s->name;
				return MAMORI_EINVAL;
			}
			continue;
		}
		if (form_count(f, s->name) > 1 || strlen(v) > s->max ||
		    !field_valid(s->kind, v, strlen(v))) {
			*bad = s->name;
			return MAMORI_EINVAL;
		}
		out[i] = v;
	}
	return MAMORI_OK;
}
