/*
 * test_append.c - the appends pages are written with: strbuf_add's inline
 * path against the one that grows (room, maximum, sticky error, a buffer
 * that holds nothing yet), strbuf_addu, html_addf's conversions and
 * markup, and html_textn's short cut for three-byte UTF-8 at the edges
 * of what it lets through.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "util/html.h"
#include "util/strbuf.h"

static void test_add_room(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	size_t alloc;

	(void)state;
	/* nothing held: the first add grows, even an empty one */
	assert_int_equal(strbuf_add(&sb, "", 0), MAMORI_OK);
	assert_true(sb.alloc > 0);
	assert_string_equal(sb.buf, "");
	strbuf_release(&sb);
	assert_int_equal(strbuf_add(&sb, NULL, 0), MAMORI_OK);
	strbuf_release(&sb);
	/* filled to the last byte of the allocation, then one more */
	assert_int_equal(strbuf_addch(&sb, 'a'), MAMORI_OK);
	alloc = sb.alloc;
	while (sb.len < alloc - 1)
		assert_int_equal(strbuf_addch(&sb, 'b'), MAMORI_OK);
	assert_int_equal(sb.alloc, alloc);
	assert_int_equal(sb.buf[sb.len], '\0');
	assert_int_equal(strbuf_addstr(&sb, "cd"), MAMORI_OK);
	assert_true(sb.alloc > alloc);
	assert_int_equal(sb.len, alloc + 1);
	assert_string_equal(sb.buf + alloc - 1, "cd");
	assert_int_equal(sb.buf[0], 'a');
	strbuf_release(&sb);
}

static void test_add_max(void **state)
{
	struct strbuf sb;

	(void)state;
	/* a maximum below what the buffer has grown to still holds */
	strbuf_init(&sb, 70);
	assert_int_equal(strbuf_grow(&sb, 60), MAMORI_OK);
	for (int i = 0; i < 70; i++)
		assert_int_equal(strbuf_addch(&sb, 'x'), MAMORI_OK);
	assert_int_equal(strbuf_addch(&sb, 'y'), MAMORI_ETOOBIG);
	assert_int_equal(sb.len, 70);
	assert_int_equal(sb.buf[70], '\0');
	/* the error is sticky, whatever room there is */
	strbuf_setlen(&sb, 0);
	assert_int_equal(strbuf_addstr(&sb, "z"), MAMORI_ETOOBIG);
	assert_int_equal(sb.len, 0);
	strbuf_reset(&sb);
	assert_int_equal(strbuf_addstr(&sb, "z"), MAMORI_OK);
	assert_string_equal(sb.buf, "z");
	strbuf_release(&sb);
}

static void test_addu(void **state)
{
	static const uint64_t v[] = { 0, 1, 9, 10, 99, 100, 4294967295u,
				      4294967296u, 999999999999999999u,
				      UINT64_MAX };
	struct strbuf sb = STRBUF_INIT;
	char want[32];

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		strbuf_reset(&sb);
		snprintf(want, sizeof(want), "%llu", (unsigned long long)v[i]);
		assert_int_equal(strbuf_addu(&sb, v[i]), MAMORI_OK);
		assert_string_equal(sb.buf, want);
	}
	strbuf_release(&sb);
}

static void test_addf_numbers(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	html_addf(&sb, "%d|%d|%d|%u", INT_MIN, INT_MAX, 0, UINT_MAX);
	assert_string_equal(sb.buf, "-2147483648|2147483647|0|4294967295");
	strbuf_reset(&sb);
	html_addf(&sb, "%L|%L|%z", INT64_MIN, INT64_MAX, SIZE_MAX);
	assert_string_equal(sb.buf, "-9223372036854775808|9223372036854775807|"
			    "18446744073709551615");
	strbuf_release(&sb);
}

static void test_addf_markup(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	html_addf(&sb, "<p class=\"a\">no conversion</p>");
	assert_string_equal(sb.buf, "<p class=\"a\">no conversion</p>");
	strbuf_reset(&sb);
	html_addf(&sb, "100%%, %q and a lone %");
	assert_string_equal(sb.buf, "100%, %q and a lone %");
	strbuf_reset(&sb);
	html_addf(&sb, "%s%s%z", "<", "", (size_t)7);
	assert_string_equal(sb.buf, "&lt;7");
	strbuf_reset(&sb);
	html_addf(&sb, "");
	assert_int_equal(sb.len, 0);
	strbuf_release(&sb);
}

static void test_three_bytes(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "\xe0\xa0\x80", "\xe0\xa0\x80" },	/* U+0800, the first */
		{ "\xe0\x9f\xbf", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xed\x9f\xbf", "\xed\x9f\xbf" },	/* U+D7FF */
		{ "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xed\xbf\xbf", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xee\x80\x80", "\xee\x80\x80" },	/* U+E000 */
		{ "\xef\xbf\xbf", "\xef\xbf\xbf" },	/* U+FFFF */
		{ "a\xe3\x81", "a\xef\xbf\xbd\xef\xbf\xbd" },	/* cut short */
		{ "\xe3\x81" "a", "\xef\xbf\xbd\xef\xbf\xbd" "a" },
		{ "\xe3" "a\x81", "\xef\xbf\xbd" "a\xef\xbf\xbd" },
		{ "病院<&>", "病院&lt;&amp;&gt;" },
	};
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		strbuf_reset(&sb);
		html_text(&sb, cases[i].in);
		assert_string_equal(sb.buf, cases[i].out);
	}
	/* a sequence cut by the length given, not by a NUL */
	strbuf_reset(&sb);
	html_textn(&sb, "\xe3\x81\x82", 2);
	assert_string_equal(sb.buf, "\xef\xbf\xbd\xef\xbf\xbd");
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_room),
		cmocka_unit_test(test_add_max),
		cmocka_unit_test(test_addu),
		cmocka_unit_test(test_addf_numbers),
		cmocka_unit_test(test_addf_markup),
		cmocka_unit_test(test_three_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
