/*
 * test_form.c - the urlencoded parser and the declared fields: what is
 * decoded, what is refused and which limit says so.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "web/form.h"

struct pcase {
	const char *in;
	enum mamori_err want;
	size_t n;
	const char *name0, *value0;	/* when n > 0 */
};

static const struct pcase pcases[] = {
	{ "", MAMORI_OK, 0, NULL, NULL },
	{ "a=1", MAMORI_OK, 1, "a", "1" },
	{ "a=1&b=2", MAMORI_OK, 2, "a", "1" },
	{ "a", MAMORI_OK, 1, "a", "" },
	{ "a=", MAMORI_OK, 1, "a", "" },
	{ "a=1&&b=2&", MAMORI_OK, 2, "a", "1" },
	{ "q=a+b%20c", MAMORI_OK, 1, "q", "a b c" },
	{ "%E6%97%A5=%E6%9C%AC", MAMORI_OK, 1, "日", "本" },
	{ "x=a%3Db%26c", MAMORI_OK, 1, "x", "a=b&c" },
	{ "t=line%0D%0Anext%09tab", MAMORI_OK, 1, "t", "line\r\nnext\ttab" },
	{ "=1", MAMORI_EPARSE, 0, NULL, NULL },
	{ "a=%", MAMORI_EPARSE, 0, NULL, NULL },
	{ "a=%4", MAMORI_EPARSE, 0, NULL, NULL },
	{ "a=%zz", MAMORI_EPARSE, 0, NULL, NULL },
	{ "a=%00", MAMORI_EPARSE, 0, NULL, NULL },
	{ "a=%01", MAMORI_EPARSE, 0, NULL, NULL },
	{ "a%0A=1", MAMORI_EPARSE, 0, NULL, NULL },	/* newline in a name */
	{ "a=%FF", MAMORI_EPARSE, 0, NULL, NULL },
	{ "a=%C0%AF", MAMORI_EPARSE, 0, NULL, NULL },	/* overlong */
	{ "a=%ED%A0%80", MAMORI_EPARSE, 0, NULL, NULL },	/* surrogate */
	{ "a=%F4%90%80%80", MAMORI_EPARSE, 0, NULL, NULL },	/* > U+10FFFF */
	{ "a=%E6%97", MAMORI_EPARSE, 0, NULL, NULL },	/* truncated */
	{ "a=%7F", MAMORI_EPARSE, 0, NULL, NULL },
};

static void test_parse(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(pcases) / sizeof(pcases[0]); i++) {
		const struct pcase *c = &pcases[i];
		struct arena a;
		struct form f;
		enum mamori_err e;

		arena_init(&a, 256);
		e = form_parse(&a, c->in, strlen(c->in), NULL, &f);
		if (e != c->want)
			fail_msg("'%s': got %d, wanted %d", c->in, e, c->want);
		assert_int_equal(f.n, c->n);
		if (c->n) {
			assert_string_equal(f.fields[0].name, c->name0);
			assert_string_equal(f.fields[0].value, c->value0);
			assert_int_equal(f.fields[0].value_len,
					 strlen(c->value0));
		}
		arena_release(&a);
	}
}

static void test_nul_in_body(void **state)
{
	struct arena a;
	struct form f;

	(void)state;
	arena_init(&a, 256);
	assert_int_equal(form_parse(&a, "a=1\0b=2", 7, NULL, &f),
			 MAMORI_EPARSE);
	assert_int_equal(f.n, 0);
	arena_release(&a);
}

static void test_limits(void **state)
{
	const struct form_limits lim = { .max_fields = 2, .max_name = 3,
					 .max_value = 4 };
	struct arena a;
	struct form f;

	(void)state;
	arena_init(&a, 256);
	assert_int_equal(form_parse(&a, "a=1&b=2", 7, &lim, &f), MAMORI_OK);
	assert_int_equal(form_parse(&a, "a=1&b=2&c=3", 11, &lim, &f),
			 MAMORI_ETOOBIG);
	assert_int_equal(form_parse(&a, "abc=1", 5, &lim, &f), MAMORI_OK);
	assert_int_equal(form_parse(&a, "abcd=1", 6, &lim, &f),
			 MAMORI_ETOOBIG);
	assert_int_equal(form_parse(&a, "a=1234", 6, &lim, &f), MAMORI_OK);
	assert_int_equal(form_parse(&a, "a=12345", 7, &lim, &f),
			 MAMORI_ETOOBIG);
	/* the limit is on the decoded size: %41 is one byte */
	assert_int_equal(form_parse(&a, "a=%41%41%41%41", 14, &lim, &f),
			 MAMORI_OK);
	assert_string_equal(f.fields[0].value, "AAAA");
	arena_release(&a);
}

static void test_get_count(void **state)
{
	struct arena a;
	struct form f;
	const char *in = "m=a&x=1&m=b&m=";

	(void)state;
	arena_init(&a, 256);
	assert_int_equal(form_parse(&a, in, strlen(in), NULL, &f), MAMORI_OK);
	assert_string_equal(form_get(&f, "m"), "a");
	assert_string_equal(form_get(&f, "x"), "1");
	assert_null(form_get(&f, "y"));
	assert_int_equal(form_count(&f, "m"), 3);
	arena_release(&a);
}

static void test_fields(void **state)
{
	static const struct field_spec specs[] = {
		{ .name = "org", .kind = FIELD_ID, .max = 8, .required = true },
		{ .name = "n", .kind = FIELD_INT, .max = 4 },
		{ .name = "code", .kind = FIELD_CODE, .max = 30 },
	};
	static const struct {
		const char *in;
		enum mamori_err want;
		const char *bad;
	} cases[] = {
		{ "org=H001&n=12&code=ABCD-EF", MAMORI_OK, NULL },
		{ "org=H001", MAMORI_OK, NULL },
		{ "n=1", MAMORI_EINVAL, "org" },
		{ "org=", MAMORI_EINVAL, "org" },
		{ "org=H%20001", MAMORI_EINVAL, "org" },
		{ "org=H001&org=H002", MAMORI_EINVAL, "org" },
		{ "org=H0000000001", MAMORI_EINVAL, "org" },
		{ "org=H1&n=-1", MAMORI_EINVAL, "n" },
		{ "org=H1&n=12345", MAMORI_EINVAL, "n" },
		{ "org=H1&code=AB%3BCD", MAMORI_EINVAL, "code" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct arena a;
		struct form f;
		const char *out[3], *bad = NULL;
		enum mamori_err e;

		arena_init(&a, 256);
		assert_int_equal(form_parse(&a, cases[i].in,
					    strlen(cases[i].in), NULL, &f),
				 MAMORI_OK);
		e = form_fetch(&f, specs, 3, out, &bad);
		if (e != cases[i].want)
			fail_msg("'%s': got %d", cases[i].in, e);
		if (cases[i].bad)
			assert_string_equal(bad, cases[i].bad);
		else
			assert_string_equal(out[0], form_get(&f, "org"));
		arena_release(&a);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_nul_in_body),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_get_count),
		cmocka_unit_test(test_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
