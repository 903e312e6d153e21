/*
 * test_util.c - strbuf, slice, arena, num, err: table-driven cases.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/arena.h"
#include "util/err.h"
#include "util/num.h"
#include "util/slice.h"
#include "util/strbuf.h"

static void strbuf_basics(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	(void)state;
	assert_string_equal(sb.buf, "");
	assert_int_equal(strbuf_addstr(&sb, "病院"), MAMORI_OK);
	assert_int_equal(strbuf_addf(&sb, " %d/%s", 42, "x"), MAMORI_OK);
	assert_string_equal(sb.buf, "病院 42/x");
	assert_int_equal(strbuf_add(&sb, "\0z", 2), MAMORI_OK);
	assert_int_equal(sb.len, strlen("病院 42/x") + 2);
	strbuf_setlen(&sb, 3);
	assert_int_equal(sb.len, 3);
	strbuf_reset(&sb);
	assert_string_equal(sb.buf, "");
	/* a long formatted string crosses the growth path */
	for (int i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%04d", i);
	assert_int_equal(sb.len, 4000);
	assert_memory_equal(sb.buf + 3996, "0999", 4);
	size_t len;
	char *p = strbuf_detach(&sb, &len);
	assert_int_equal(len, 4000);
	assert_string_equal(sb.buf, "");
	free(p);
	strbuf_release(&sb);
}

static void strbuf_max_is_sticky(void **state)
{
	struct strbuf sb;
	(void)state;
	strbuf_init(&sb, 8);
	assert_int_equal(strbuf_addstr(&sb, "12345678"), MAMORI_OK);
	assert_int_equal(strbuf_addch(&sb, '9'), MAMORI_ETOOBIG);
	assert_string_equal(sb.buf, "12345678");
	assert_int_equal(sb.err, MAMORI_ETOOBIG);
	/* sticky: later adds do nothing */
	assert_int_equal(strbuf_addstr(&sb, ""), MAMORI_ETOOBIG);
	assert_int_equal(strbuf_addf(&sb, "%s", "a"), MAMORI_ETOOBIG);
	strbuf_reset(&sb);
	assert_int_equal(strbuf_addstr(&sb, "ok"), MAMORI_OK);
	strbuf_release(&sb);
}

static void slice_ops(void **state)
{
	struct slice s = SLICE_LIT("  key = value  "), head, rest;
	(void)state;
	assert_true(slice_eq_cstr(slice_trim(s), "key = value"));
	rest = slice_cut(slice_trim(s), '=', &head);
	assert_true(slice_eq_cstr(slice_trim(head), "key"));
	assert_true(slice_eq_cstr(slice_trim(rest), "value"));
	rest = slice_cut(SLICE_LIT("abc"), ':', &head);
	assert_null(rest.p);
	assert_true(slice_eq_cstr(head, "abc"));
	assert_int_equal(slice_find(SLICE_LIT("ssl-login-fail"), SLICE_LIT("login")), 4);
	assert_int_equal(slice_find(SLICE_LIT("abc"), SLICE_LIT("abcd")), -1);
	assert_int_equal(slice_find(SLICE_LIT("aab"), SLICE_LIT("ab")), 1);
	assert_true(slice_starts_with(SLICE_LIT("date=x"), SLICE_LIT("date=")));
	assert_true(slice_ends_with(SLICE_LIT("log.gz"), SLICE_LIT(".gz")));
	assert_false(slice_ends_with(SLICE_LIT("gz"), SLICE_LIT(".gz")));
	assert_true(slice_cmp(SLICE_LIT("ab"), SLICE_LIT("abc")) < 0);
	assert_true(slice_cmp(SLICE_LIT("b"), SLICE_LIT("abc")) > 0);
	assert_int_equal(slice_cmp(SLICE_LIT(""), slice_from_cstr(NULL)), 0);
}

static void arena_ops(void **state)
{
	struct arena a;
	(void)state;
	arena_init(&a, 64);
	char *x = arena_strdup(&a, "hello");
	assert_string_equal(x, "hello");
	void *big = arena_alloc(&a, 1000);	/* larger than a chunk */
	assert_non_null(big);
	memset(big, 1, 1000);
	char *y = arena_strdup(&a, "world");
	assert_string_equal(x, "hello");
	assert_string_equal(y, "world");
	assert_true(((uintptr_t)arena_alloc(&a, 3) % sizeof(double)) == 0);
	int *z = arena_calloc(&a, 100, sizeof(int));
	for (int i = 0; i < 100; i++)
		assert_int_equal(z[i], 0);
	arena_reset(&a);
	assert_string_equal(arena_strdup(&a, "again"), "again");
	arena_release(&a);
}

struct numcase {
	const char *in;
	enum mamori_err err;
	double d;
};

static void num_double(void **state)
{
	static const struct numcase cases[] = {
		{ "0", MAMORI_OK, 0 },
		{ "42", MAMORI_OK, 42 },
		{ "-7", MAMORI_OK, -7 },
		{ "+3", MAMORI_OK, 3 },
		{ "3.25", MAMORI_OK, 3.25 },
		{ ".5", MAMORI_OK, 0.5 },
		{ "5.", MAMORI_OK, 5 },
		{ "1e3", MAMORI_OK, 1000 },
		{ "2.5E-1", MAMORI_OK, 0.25 },
		{ "", MAMORI_EPARSE, 0 },
		{ " 1", MAMORI_EPARSE, 0 },
		{ "1 ", MAMORI_EPARSE, 0 },
		{ "1a", MAMORI_EPARSE, 0 },
		{ ".", MAMORI_EPARSE, 0 },
		{ "-", MAMORI_EPARSE, 0 },
		{ "0x10", MAMORI_EPARSE, 0 },
		{ "inf", MAMORI_EPARSE, 0 },
		{ "nan", MAMORI_EPARSE, 0 },
		{ "1e", MAMORI_EPARSE, 0 },
		{ "1e999", MAMORI_ERANGE, 0 },
		{ "123456789012345678901234567890", MAMORI_OK, 1.2345678901234568e29 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double d = -1;
		enum mamori_err e = num_parse_double(slice_from_cstr(cases[i].in), &d);
		if (e != cases[i].err)
			fail_msg("'%s': got %s", cases[i].in, mamori_strerror(e));
		if (!e && fabs(d - cases[i].d) > 1e-9 * fmax(1, fabs(d)))
			fail_msg("'%s': got %g", cases[i].in, d);
	}
}

static void num_integers(void **state)
{
	int64_t v;
	uint64_t u;
	(void)state;
	assert_int_equal(num_parse_i64(SLICE_LIT("9223372036854775807"), &v), MAMORI_OK);
	assert_true(v == INT64_MAX);
	assert_int_equal(num_parse_i64(SLICE_LIT("-9223372036854775808"), &v), MAMORI_OK);
	assert_true(v == INT64_MIN);
	assert_int_equal(num_parse_i64(SLICE_LIT("9223372036854775808"), &v), MAMORI_ERANGE);
	assert_int_equal(num_parse_u64(SLICE_LIT("18446744073709551616"), &u), MAMORI_ERANGE);
	assert_int_equal(num_parse_u64(SLICE_LIT("-1"), &u), MAMORI_EPARSE);
	assert_int_equal(num_parse_range(SLICE_LIT("48"), 1, 47, &v), MAMORI_ERANGE);
	assert_int_equal(num_parse_range(SLICE_LIT("13"), 1, 47, &v), MAMORI_OK);
	assert_int_equal(v, 13);
	assert_int_equal(num_parse_i64(SLICE_LIT("1.0"), &v), MAMORI_EPARSE);
}

static void err_messages(void **state)
{
	(void)state;
	for (int i = 0; i < MAMORI_E__MAX; i++)
		assert_string_not_equal(mamori_strerror(i), "unknown error");
	assert_string_equal(mamori_strerror(MAMORI_E__MAX), "unknown error");
	assert_string_equal(mamori_strerror(-1), "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(strbuf_basics),
		cmocka_unit_test(strbuf_max_is_sticky),
		cmocka_unit_test(slice_ops),
		cmocka_unit_test(arena_ops),
		cmocka_unit_test(num_double),
		cmocka_unit_test(num_integers),
		cmocka_unit_test(err_messages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
