/*
 * html.c - escaping writers for HTML text and attribute values (html.h).
 * Must never let a byte of data through unescaped.
 */
#include "util/html.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "util/banned.h"

/* Length of the valid UTF-8 sequence at p (1..4), or 0 when invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	uint32_t c;
	size_t len;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0) {
		len = 2;
		c = p[0] & 0x1f;
	} else if ((p[0] & 0xf0) == 0xe0) {
		len = 3;
		c = p[0] & 0x0f;
	} else if ((p[0] & 0xf8) == 0xf0) {
		len = 4;
		c = p[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) ||
	    (len == 4 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return len;
}

void html_textn(struct strbuf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned char c = p[i];
		switch (c) {
		case '&':
			strbuf_addstr(out, "&amp;");
			i++;
			continue;
		case '<':
			strbuf_addstr(out, "&lt;");
			i++;
			continue;
		case '>':
			strbuf_addstr(out, "&gt;");
			i++;
			continue;
		case '"':
			strbuf_addstr(out, "&quot;");
			i++;
			continue;
		case '\'':
			strbuf_addstr(out, "&#39;");
			i++;
			continue;
		default:
			break;
		}
		if (c < 0x20 && c != '\t' && c != '\n') {
			i++;
			continue;
		}
		if (c == 0x7f) {
			i++;
			continue;
		}
		size_t n = utf8_len(p + i, len - i);
		if (!n) {
			strbuf_addstr(out, "\xef\xbf\xbd");
			i++;
			continue;
		}
		strbuf_add(out, p + i, n);
		i += n;
	}
}

void html_text(struct strbuf *out, const char *s)
{
	if (s)
		html_textn(out, s, strlen(s));
}

void html_textf(struct strbuf *out, const char *fmt, ...)
{
	struct strbuf tmp = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&tmp, fmt, ap);
	va_end(ap);
	if (tmp.err && !out->err)
		out->err = tmp.err;
	html_textn(out, tmp.buf, tmp.len);
	strbuf_release(&tmp);
}

void html_lines(struct strbuf *out, const char *s)
{
	struct slice rest = slice_from_cstr(s), line;
	bool first = true;

	while (rest.p) {
		rest = slice_cut(rest, '\n', &line);
		if (!rest.p && !line.len)
			break;
		if (!first)
			html_raw(out, "<br>");
		first = false;
		html_textn(out, line.p, line.len);
	}
}

void html_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	const char *run = fmt;

	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		if (*fmt != '%')
			continue;
		strbuf_add(sb, run, (size_t)(fmt - run));
		fmt++;
		switch (*fmt) {
		case 's':
			html_text(sb, va_arg(ap, const char *));
			break;
		case 'd':
			strbuf_addf(sb, "%d", va_arg(ap, int));
			break;
		case 'u':
			strbuf_addf(sb, "%u", va_arg(ap, unsigned));
			break;
		case 'z':
			strbuf_addf(sb, "%zu", va_arg(ap, size_t));
			break;
		case 'L':
			strbuf_addf(sb, "%" PRId64, va_arg(ap, int64_t));
			break;
		case '%':
			strbuf_addch(sb, '%');
			break;
		case '\0':
			strbuf_addch(sb, '%');
			fmt--;
			break;
		default:
			strbuf_addch(sb, '%');
			strbuf_addch(sb, *fmt);
			break;
		}
		run = fmt + 1;
	}
	strbuf_add(sb, run, (size_t)(fmt - run));
	va_end(ap);
}
