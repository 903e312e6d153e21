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
		cmocka_unit_test(test_routes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
