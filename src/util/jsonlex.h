/*
 * jsonlex.h - the lexical pieces of strict JSON text exactly as jansson
 * accepts it, shared by the fast readers of text mamori wrote itself
 * (store/jsonread.c builds documents, instrument/validate.c fills a
 * validator's cells). Each reader gives up on anything these refuse and
 * lets jansson decide, so these only ever need to agree with jansson on
 * what they accept. Inline: they run once per byte of a whole campaign.
 *
 * Nothing here allocates or reads outside [p, end).
 */
#ifndef MAMORI_UTIL_JSONLEX_H
#define MAMORI_UTIL_JSONLEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * p past the run of plain string bytes that starts there: ASCII from
 * 0x20, neither '"' nor '\\'. Eight bytes at a time; the byte at the
 * returned position (if any) is one of those that end a run.
 */
static inline const char *jsonlex_plain(const char *p, const char *end)
{
	while (end - p >= 8) {
		uint64_t x, q, b;
		memcpy(&x, p, 8);
		q = x ^ 0x2222222222222222ull;
		b = x ^ 0x5c5c5c5c5c5c5c5cull;
		if (((x - 0x2020202020202020ull) | (q - 0x0101010101010101ull) |
		     (b - 0x0101010101010101ull) | x) & 0x8080808080808080ull)
			break;
		p += 8;
	}
	while (p < end) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\')
			break;
		p++;
	}
	return p;
}

/*
 * The length of the valid UTF-8 sequence at p (first byte >= 0x80), 0
 * when it is not one: no overlong forms, no surrogates, nothing above
 * U+10FFFF (what jansson's lexer accepts).
 */
static inline size_t jsonlex_utf8_len(const unsigned char *p,
				      const unsigned char *end)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xbf;
	size_t n;

	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if ((size_t)(end - p) < n)
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

/* Four hex digits at p into *out; -1 when they are not. */
static inline int jsonlex_hex4(const char *p, const char *end, unsigned *out)
{
	unsigned x = 0;

	if (end - p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		x <<= 4;
		if (c >= '0' && c <= '9')
			x |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			x |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			x |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = x;
	return 0;
}

/*
 * The \u escape at p (p[0] == '\\', p[1] == 'u'; a high surrogate's
 * escape must be followed by a low one's): its code point in *cp and
 * its length (6 or 12); 0 for what jansson refuses without
 * JSON_ALLOW_NUL (\u0000, a lone or reversed surrogate) or bad hex.
 */
static inline size_t jsonlex_unicode(const char *p, const char *end,
				     unsigned *cp)
{
	unsigned u, lo;

	if (jsonlex_hex4(p + 2, end, &u) || u == 0 ||
	    (u >= 0xdc00 && u <= 0xdfff))
		return 0;
	if (u < 0xd800 || u > 0xdbff) {
		*cp = u;
		return 6;
	}
	if (end - p < 12 || p[6] != '\\' || p[7] != 'u' ||
	    jsonlex_hex4(p + 8, end, &lo) || lo < 0xdc00 || lo > 0xdfff)
		return 0;
	*cp = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
	return 12;
}

/* Code point c (at most U+10FFFF) as UTF-8 into o[0..4); its length. */
static inline size_t jsonlex_put_utf8(char *o, unsigned c)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xc0 | (c >> 6));
		o[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (char)(0xe0 | (c >> 12));
		o[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		o[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (c >> 18));
	o[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	o[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/*
 * The closing quote of the string whose text starts at p (just past its
 * opening quote), every byte checked as jansson's lexer checks it (no
 * control byte, valid UTF-8, known escapes, \u as jsonlex_unicode()
 * takes it); *escaped tells whether it holds an escape. NULL for what
 * jansson refuses or a string with no end before end.
 */
static inline const char *jsonlex_string_end(const char *p, const char *end,
					     bool *escaped)
{
	*escaped = false;
	for (;;) {
		if (p >= end)
			return NULL;
		unsigned char c = (unsigned char)*p;
		if (c == '"')
			return p;
		if (c < 0x20)
			return NULL;
		if (c < 0x80 && c != '\\') {
			p = jsonlex_plain(p + 1, end);
			continue;
		}
		if (c >= 0x80) {
			size_t n = jsonlex_utf8_len((const unsigned char *)p,
						    (const unsigned char *)end);
			if (!n)
				return NULL;
			p += n;
			continue;
		}
		if (end - p < 2)
			return NULL;
		*escaped = true;
		if (p[1] == 'u') {
			unsigned cp;
			size_t n = jsonlex_unicode(p, end, &cp);
			if (!n)
				return NULL;
			p += n;
			continue;
		}
		switch (p[1]) {
		case '"': case '\\': case '/': case 'b': case 'f': case 'n':
		case 'r': case 't':
			p += 2;
			continue;
		default:
			return NULL;
		}
	}
}

/*
 * The text of [p, q), a string jsonlex_string_end() checked, with its
 * escapes decoded into o (room for q - p bytes: the decoded text is never
 * longer); its length. No NUL is written.
 */
static inline size_t jsonlex_unescape(const char *p, const char *q, char *o)
{
	size_t n = 0;

	while (p < q) {
		if (*p != '\\') {
			o[n++] = *p++;
			continue;
		}
		unsigned cp = 0;	/* checked: never refused here */
		switch (p[1]) {
		case 'u':
			p += jsonlex_unicode(p, q, &cp);
			n += jsonlex_put_utf8(o + n, cp);
			continue;
		case 'b': o[n++] = '\b'; break;
		case 'f': o[n++] = '\f'; break;
		case 'n': o[n++] = '\n'; break;
		case 'r': o[n++] = '\r'; break;
		case 't': o[n++] = '\t'; break;
		default: o[n++] = p[1]; break;	/* " \ / */
		}
		p += 2;
	}
	return n;
}

#endif
