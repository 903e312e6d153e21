/*
 * html.c - escaping writers for HTML text and attribute values (html.h).
 * Must never let a byte of data through unescaped.
 */
#include "util/html.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
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

/*
 * What html_textn does with each byte below 0x80: 0 copies it, 1 drops
 * it (control characters other than tab and newline, and DEL), 2 writes
 * its entity. Bytes from 0x80 are checked as UTF-8.
 */
static const unsigned char ascii_class[128] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['"'] = 2, ['&'] = 2, ['\''] = 2, ['<'] = 2, ['>'] = 2,
	[0x7f] = 1,
};

static const char *entity(unsigned char c)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	default:
		return "&#39;";
	}
}

/*
 * Runs of bytes that pass as they are (most of any text) are copied at
 * once; only the bytes that change end a run.
 */
void html_textn(struct strbuf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0;

	while (i < len) {
		unsigned char c = p[i];
		size_t n;

		if (c < 0x80) {
			if (!ascii_class[c]) {
				i++;
				continue;
			}
			strbuf_add(out, p + run, i - run);
			if (ascii_class[c] == 2)
				strbuf_addstr(out, entity(c));
			run = ++i;
			continue;
		}
		/* most of Japanese: three bytes, neither an overlong form
		 * (E0 80..9F) nor a surrogate (ED A0..BF), as utf8_len()
		 * checks them */
		if ((c & 0xf0) == 0xe0 && len - i >= 3 &&
		    (p[i + 1] & 0xc0) == 0x80 && (p[i + 2] & 0xc0) == 0x80 &&
		    (c != 0xe0 || p[i + 1] >= 0xa0) &&
		    (c != 0xed || p[i + 1] < 0xa0)) {
			i += 3;
			continue;
		}
		if ((n = utf8_len(p + i, len - i))) {
			i += n;
			continue;
		}
		strbuf_add(out, p + run, i - run);
		strbuf_addstr(out, "\xef\xbf\xbd");
		run = ++i;
	}
	strbuf_add(out, p + run, i - run);
}

void html_text(struct strbuf *out, const char *s)
{
	if (s)
		html_textn(out, s, strlen(s));
}

void html_textf(struct strbuf *out, const char *fmt, ...)
{
	struct strbuf tmp = STRBUF_INIT;
	char small[256];
	va_list ap;
	int n;

	/* most texts are short: formatted on the stack, no allocation */
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(small)) {
		html_textn(out, small, (size_t)n);
		return;
	}
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

/* v in decimal, as "%" PRId64 writes it. */
static void add_signed(struct strbuf *sb, int64_t v)
{
	if (v < 0) {
		strbuf_addch(sb, '-');
		strbuf_addu(sb, (uint64_t)0 - (uint64_t)v);
	} else {
		strbuf_addu(sb, (uint64_t)v);
	}
}

void html_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	const char *run = fmt;

	va_start(ap, fmt);
	/* markup up to each conversion copied at once */
	while ((fmt = strchr(run, '%'))) {
		strbuf_add(sb, run, (size_t)(fmt - run));
		fmt++;
		switch (*fmt) {
		case 's':
			html_text(sb, va_arg(ap, const char *));
			break;
		case 'd':
			add_signed(sb, va_arg(ap, int));
			break;
		case 'u':
			strbuf_addu(sb, va_arg(ap, unsigned));
			break;
		case 'z':
			strbuf_addu(sb, va_arg(ap, size_t));
			break;
		case 'L':
			add_signed(sb, va_arg(ap, int64_t));
			break;
		case '%':
			strbuf_addch(sb, '%');
			break;
		case '\0':	/* a lone % at the end */
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
	strbuf_addstr(sb, run);
	va_end(ap);
}
