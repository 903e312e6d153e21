/*
 * test_html.c - the escaping template writer, and the route table's own
 * rules: every state-changing route needs the CSRF token except the
 * sign-ins, and nobody reaches anything but the sign-in pages and assets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util/html.h"
#include "web/web_int.h"

static void test_escape(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	html_addf(&sb, "<p title=\"%s\">%s</p>", "a\"b'c",
		  "<script>&amp;</script>");
	assert_string_equal(sb.buf, "<p title=\"a&quot;b&#39;c\">&lt;script&gt;"
			    "&amp;amp;&lt;/script&gt;</p>");
	strbuf_reset(&sb);
	html_addf(&sb, "%d %u %z %L %% %s|", -3, 4u, (size_t)5,
		  (int64_t)-9000000000, (const char *)NULL);
	assert_string_equal(sb.buf, "-3 4 5 -9000000000 % |");
	strbuf_reset(&sb);
	html_addf(&sb, "日本%s語", "&");
	assert_string_equal(sb.buf, "日本&amp;語");
	strbuf_release(&sb);
}

/* The escaping rules one byte at a time, as simply as they can be
 * written: html_textn must give the same bytes for any input. */
static size_t ref_utf8(const unsigned char *p, size_t n)
{
	uint32_t c;
	size_t len;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0)
		len = 2, c = p[0] & 0x1f;
	else if ((p[0] & 0xf0) == 0xe0)
		len = 3, c = p[0] & 0x0f;
	else if ((p[0] & 0xf8) == 0xf0)
		len = 4, c = p[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) ||
	    (len == 4 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return len;
}

static void ref_textn(struct strbuf *out, const unsigned char *p, size_t len)
{
	for (size_t i = 0, n; i < len; i += n) {
		unsigned char c = p[i];
		n = 1;
		if (c == '&')
			strbuf_addstr(out, "&amp;");
		else if (c == '<')
			strbuf_addstr(out, "&lt;");
		else if (c == '>')
			strbuf_addstr(out, "&gt;");
		else if (c == '"')
			strbuf_addstr(out, "&quot;");
		else if (c == '\'')
			strbuf_addstr(out, "&#39;");
		else if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
			;
		else if (!(n = ref_utf8(p + i, len - i)))
			strbuf_addstr(out, "\xef\xbf\xbd"), n = 1;
		else
			strbuf_add(out, p + i, n);
	}
}

static void test_escape_any(void **state)
{
	/* bytes that matter more often than chance would pick them */
	static const unsigned char pick[] = {
		'a', ' ', '&', '<', '>', '"', '\'', '\t', '\n', 0, 0x1f, 0x7f,
		0x80, 0xbf, 0xc0, 0xc3, 0xa9, 0xe3, 0x81, 0x82, 0xed, 0xa0,
		0xf0, 0x9f, 0xf4, 0x90, 0xff, 0xe2, 0x82, 0xac,
	};
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	unsigned char in[24];
	uint32_t x = 2463534242u;

	(void)state;
	for (int round = 0; round < 200000; round++) {
		size_t len = round % (sizeof(in) + 1);
		for (size_t i = 0; i < len; i++) {
			x ^= x << 13, x ^= x >> 17, x ^= x << 5;
			in[i] = (x >> 8) & 1 ? pick[(x >> 9) % sizeof(pick)]
					    : (unsigned char)(x >> 16);
		}
		strbuf_reset(&a);
		strbuf_reset(&b);
		html_textn(&a, (const char *)in, len);
		ref_textn(&b, in, len);
		assert_int_equal(a.len, b.len);
		assert_memory_equal(a.buf, b.buf, a.len);
	}
	/* a text longer than html_textf's stack buffer */
	strbuf_reset(&a);
	html_textf(&a, "%0300d<", 7);
	assert_int_equal(a.len, 304);
	assert_string_equal(a.buf + 299, "7&lt;");
	strbuf_release(&a);
	strbuf_release(&b);
}

static bool is_signin(const char *p)
{
	return strcmp(p, "/api/v1/login") == 0 || strcmp(p, "/login") == 0 ||
	       strcmp(p, "/staff/login") == 0;
}

static void test_routes(void **state)
{
	(void)state;
	assert_true(web_nroutes > 0);
	for (size_t i = 0; i < web_nroutes; i++) {
		const struct route *r = &web_routes[i];
		assert_non_null(r->fn);
		assert_true(r->roles != 0);
		if (r->method != METHOD_GET && !is_signin(r->pattern))
			assert_true(r->changes);
		if (r->roles & ROLE_BIT(ROLE_NONE))
			assert_true(is_signin(r->pattern) ||
				    strcmp(r->pattern, "/") == 0 ||
				    strncmp(r->pattern, "/static/", 8) == 0);
		/* a respondent never reaches a route that names an
		 * organisation: its own is implied by its session */
		if (strstr(r->pattern, "{org}"))
			assert_false(r->roles & ROLE_BIT(ROLE_RESPONDENT));
		for (size_t j = i + 1; j < web_nroutes; j++)
			assert_false(web_routes[j].method == r->method &&
				     strcmp(web_routes[j].pattern,
					    r->pattern) == 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_escape_any),
		cmocka_unit_test(test_routes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
