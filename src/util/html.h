/*
 * html.h - the one way mamori writes HTML (reports, IoT-SSF, pages): markup comes only
 * from string literals in the code (html_raw), every other text goes
 * through the escaping writers, so no answer, name or instrument text can
 * become markup.
 */
#ifndef MAMORI_HTML_H
#define MAMORI_HTML_H

#include <stddef.h>

#include "util/strbuf.h"

/* Markup: a string literal of the code, never data. */
#define html_raw(out, literal) strbuf_addstr((out), "" literal "")

/*
 * Text or an attribute value, escaped: & < > " ' become entities; other
 * control characters than tab and newline are dropped, and so are bytes
 * that are not valid UTF-8 (each replaced by U+FFFD).
 */
void html_text(struct strbuf *out, const char *s);
void html_textn(struct strbuf *out, const char *s, size_t len);
/* printf-style text, escaped as a whole (format and arguments). */
void html_textf(struct strbuf *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * A template: markup from fmt (always a literal in the code), every
 * argument escaped. Conversions: %s a string, escaped as html_text()
 * (NULL is empty); %d an int; %u an unsigned; %z a size_t; %L an int64_t;
 * %% a percent sign. Anything else is appended as it stands.
 */
void html_addf(struct strbuf *out, const char *fmt, ...);
/* Text with each newline turned into <br>. */
void html_lines(struct strbuf *out, const char *s);

#endif
