/*
 * html.c - the escaping template writer (html.h).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include "web/html.h"
#include "util/banned.h"

void html_esc(struct strbuf *sb, const char *s)
{
	const char *run;

	if (!s)
		return;
	run = s;
	for (; *s; s++) {
		const char *rep;
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		strbuf_add(sb, run, (size_t)(s - run));
		strbuf_addstr(sb, rep);
		run = s + 1;
	}
	strbuf_add(sb, run, (size_t)(s - run));
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
			html_esc(sb, va_arg(ap, const char *));
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
