/*
 * html.h - the only way the web layer writes HTML: a printf-like
 * template whose every %s is escaped for text and attribute context.
 * Raw markup comes only from the format string, which is always a
 * literal in the source. Must never hand outside text through unescaped.
 */
#ifndef MAMORI_WEB_HTML_H
#define MAMORI_WEB_HTML_H

#include <stdint.h>

#include "util/strbuf.h"

/*
 * Append fmt to sb. Conversions: %s a string, escaped (& < > " ');
 * NULL is empty; %d an int; %u an unsigned; %z a size_t; %L an int64_t;
 * %% a percent sign. Anything else is appended as it stands.
 */
void html_addf(struct strbuf *sb, const char *fmt, ...);
/* Append s escaped. */
void html_esc(struct strbuf *sb, const char *s);

#endif
