/*
 * test_expr.c - the expression language, table-driven: every operator,
 * every function, precedence, XLSForm's string/number/empty semantics,
 * sets, and the errors of compiling and evaluating.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "instrument/expr.h"

/* The answers the expressions read. */
static const struct var {
	const char *name;
	const char *value;
} vars[] = {
	{ "yes", "yes" },	{ "no", "no" },	      { "five", "5" },
	{ "ten", "10" },	{ "nine", "9" },      { "half", "0.5" },
	{ "neg", "-3" },	{ "empty", "" },      { "multi", "a b c" },
	{ "one", "b" },		{ "date1", "2025-03-31" },
	{ "date2", "2025-04-01" },		      { "spaces", "  hello   world " },
	{ "jp", "電子カルテ" },	{ "word", "FortiGate" },
	{ "mail", "a@b.jp" },	{ "tf", "true" },     { "zero", "0" },
	{ "text10", "10 units" },
};
#define NVARS (sizeof(vars) / sizeof(vars[0]))

/* Sets: "units" (4 rows: 1, 2, '', 4) and "rows" (3 rows, no values). */
#define REF_UNITS 100
#define REF_ROWS 101
static const char *const units[] = { "1", "2", "", "4" };

static int resolve(void *ud, struct slice name, enum expr_ref_kind *kind)
{
	(void)ud;
	*kind = EXPR_REF_VALUE;
	if (slice_eq_cstr(name, "units")) {
		*kind = EXPR_REF_SET;
		return REF_UNITS;
	}
	if (slice_eq_cstr(name, "rows")) {
		*kind = EXPR_REF_SET;
		return REF_ROWS;
	}
	for (size_t i = 0; i < NVARS; i++)
		if (slice_eq_cstr(name, vars[i].name))
			return (int)i;
	return -1;
}

static void get(void *ud, int ref, struct slice *out)
{
	(void)ud;
	*out = slice_from_cstr(ref >= 0 && (size_t)ref < NVARS ? vars[ref].value
							       : "");
}

static size_t set_len(void *ud, int ref)
{
	(void)ud;
	return ref == REF_UNITS ? 4 : ref == REF_ROWS ? 3 : 0;
}

static void set_item(void *ud, int ref, size_t i, struct slice *out)
{
	(void)ud;
	*out = slice_from_cstr(ref == REF_UNITS && i < 4 ? units[i] : "");
}

struct ok_case {
	const char *src;
	const char *want;	/* string value of the result */
};

/* The dot value for constraints in these cases is "7". */
static const struct ok_case ok_cases[] = {
	/* literals */
	{ "'text'", "text" },
	{ "\"double\"", "double" },
	{ "42", "42" },
	{ "3.25", "3.25" },
	{ ".5", "0.5" },
	{ "''", "" },
	/* references */
	{ "${yes}", "yes" },
	{ "${empty}", "" },
	{ "${jp}", "電子カルテ" },
	{ ".", "7" },
	{ ". > 5", "true" },
	{ ". = 7", "true" },
	{ ". = '7'", "true" },
	/* equality: strings, numbers, empty */
	{ "${yes} = 'yes'", "true" },
	{ "${yes} = 'no'", "false" },
	{ "${yes} != 'no'", "true" },
	{ "${empty} = ''", "true" },
	{ "${empty} != ''", "false" },
	{ "${five} = 5", "true" },
	{ "${five} = '5'", "true" },
	{ "${five} = '5.0'", "true" },
	{ "${five} = 5.0", "true" },
	{ "${five} != 5", "false" },
	{ "${empty} = 0", "false" },
	{ "${empty} != 0", "true" },
	{ "${zero} = 0", "true" },
	{ "${text10} = 10", "false" },
	{ "'abc' = 'ABC'", "false" },
	{ "1 = 1.0", "true" },
	{ "${yes} = ${yes}", "true" },
	{ "${five} = ${ten}", "false" },
	{ "true() = 1", "true" },
	{ "false() = ''", "true" },
	{ "true() = 'x'", "true" },
	/* relational: numbers, strings as numbers, NaN, dates */
	{ "${ten} > ${nine}", "true" },
	{ "${ten} < ${nine}", "false" },
	{ "'10' > '9'", "true" },
	{ "${five} >= 5", "true" },
	{ "${five} <= 4", "false" },
	{ "${five} < 5", "false" },
	{ "${five} > 4.99", "true" },
	{ "${empty} > 0", "false" },
	{ "${empty} < 0", "false" },
	{ "${empty} <= 0", "false" },
	{ "${yes} > 1", "false" },
	{ "${neg} < 0", "true" },
	{ "${half} < 1", "true" },
	{ "${date1} < ${date2}", "true" },
	{ "${date2} <= '2025-04-01'", "true" },
	{ "${date1} > '2024-12-31'", "true" },
	{ "${date1} >= ${date2}", "false" },
	/* arithmetic */
	{ "1 + 2", "3" },
	{ "${five} + ${ten}", "15" },
	{ "${ten} - 12", "-2" },
	{ "3 * 4", "12" },
	{ "7 div 2", "3.5" },
	{ "7 mod 3", "1" },
	{ "-7 mod 3", "-1" },
	{ "-${five}", "-5" },
	{ "- - 2", "2" },
	{ "${empty} + 1", "NaN" },
	{ "${yes} * 2", "NaN" },
	{ "0.1 + 0.2", "0.3" },
	{ "1 div 3", "0.333333333333333" },
	{ "1.0 + 0", "1" },
	/* precedence: or < and < = < rel < + < * < unary */
	{ "1 + 2 * 3", "7" },
	{ "(1 + 2) * 3", "9" },
	{ "10 - 4 - 3", "3" },
	{ "12 div 2 div 3", "2" },
	{ "2 * 3 mod 4", "2" },
	{ "1 + 1 = 2", "true" },
	{ "1 < 2 = true()", "true" },
	{ "true() or false() and false()", "true" },
	{ "(true() or false()) and false()", "false" },
	{ "false() and true() or true()", "true" },
	{ "${five} > 1 and ${ten} < 20", "true" },
	{ "${five} > 6 or ${ten} = 10", "true" },
	{ "not(${five} > 6) and ${yes} = 'yes'", "true" },
	{ "-2 * -3", "6" },
	{ "2 + -1", "1" },
	{ "1 - -1", "2" },
	/* boolean conversion */
	{ "boolean(${yes})", "true" },
	{ "boolean(${empty})", "false" },
	{ "boolean(0)", "false" },
	{ "boolean(0.1)", "true" },
	{ "boolean(${empty} + 1)", "false" },
	{ "not(${empty})", "true" },
	{ "not('x')", "false" },
	{ "true()", "true" },
	{ "false()", "false" },
	{ "boolean-from-string('true')", "true" },
	{ "boolean-from-string('1')", "true" },
	{ "boolean-from-string('yes')", "false" },
	{ "boolean-from-string(${tf})", "true" },
	/* if, coalesce */
	{ "if(${yes} = 'yes', 'A', 'B')", "A" },
	{ "if(${empty}, 'A', 'B')", "B" },
	{ "if(1 > 2, 1, 2)", "2" },
	{ "coalesce(${empty}, 'fallback')", "fallback" },
	{ "coalesce(${yes}, 'fallback')", "yes" },
	{ "coalesce(${empty}, ${empty})", "" },
	{ "coalesce(3, 4)", "3" },
	/* select_multiple */
	{ "selected(${multi}, 'b')", "true" },
	{ "selected(${multi}, 'd')", "false" },
	{ "selected(${multi}, ' c ')", "true" },
	{ "selected(${one}, 'b')", "true" },
	{ "selected(${empty}, 'b')", "false" },
	{ "selected(${multi}, 'a b')", "false" },
	{ "count-selected(${multi})", "3" },
	{ "count-selected(${empty})", "0" },
	{ "count-selected(${one})", "1" },
	{ "selected-at(${multi}, 0)", "a" },
	{ "selected-at(${multi}, 2)", "c" },
	{ "selected-at(${multi}, 3)", "" },
	{ "selected-at(${multi}, -1)", "" },
	{ "not(selected(${multi}, 'a'))", "false" },
	/* regex */
	{ "regex(${mail}, '^[^@]+@[^@]+$')", "true" },
	{ "regex(${word}, '^[0-9]+$')", "false" },
	{ "regex(${jp}, 'カルテ')", "true" },
	{ "regex(${empty}, '^$')", "true" },
	{ "regex(${word}, concat('^', 'Forti'))", "true" },
	{ "regex(${five}, '^[0-9]{1,3}$')", "true" },
	/* strings */
	{ "contains(${word}, 'Gate')", "true" },
	{ "contains(${word}, 'gate')", "false" },
	{ "contains(${word}, '')", "true" },
	{ "starts-with(${word}, 'Forti')", "true" },
	{ "starts-with(${word}, 'Gate')", "false" },
	{ "ends-with(${word}, 'Gate')", "true" },
	{ "ends-with(${empty}, 'x')", "false" },
	{ "substr(${word}, 0, 5)", "Forti" },
	{ "substr(${word}, 5)", "Gate" },
	{ "substr(${word}, 5, 100)", "Gate" },
	{ "substr(${word}, 7, 3)", "" },
	{ "substr(${jp}, 2, 5)", "カルテ" },
	{ "substr(${jp}, -1, 2)", "電子" },
	{ "substring-before(${mail}, '@')", "a" },
	{ "substring-after(${mail}, '@')", "b.jp" },
	{ "substring-before(${mail}, '#')", "" },
	{ "string-length(${word})", "9" },
	{ "string-length(${jp})", "5" },
	{ "string-length(${empty})", "0" },
	{ "string-length(12345)", "5" },
	{ "concat('a', 'b', 'c')", "abc" },
	{ "concat(${five}, ' x ', 2 + 2)", "5 x 4" },
	{ "concat(${empty})", "" },
	{ "concat(${jp}, 'システム')", "電子カルテシステム" },
	{ "concat(true(), '/', false())", "true/false" },
	{ "normalize-space(${spaces})", "hello world" },
	{ "normalize-space('')", "" },
	{ "string(1 + 1)", "2" },
	{ "string(0.5)", "0.5" },
	{ "string(${empty} + 1)", "NaN" },
	{ "string-length(concat(${word}, ${jp}))", "14" },
	/* numbers */
	{ "number('12')", "12" },
	{ "number(' 12 ')", "12" },
	{ "number('12a')", "NaN" },
	{ "number(${empty})", "NaN" },
	{ "number(true())", "1" },
	{ "int(3.7)", "3" },
	{ "int(-3.7)", "-3" },
	{ "round(2.5)", "3" },
	{ "round(2.4)", "2" },
	{ "round(-2.5)", "-2" },
	{ "round(3.14159, 2)", "3.14" },
	{ "round(1234, -2)", "1200" },
	{ "floor(2.9)", "2" },
	{ "floor(-2.1)", "-3" },
	{ "ceiling(2.1)", "3" },
	{ "abs(${neg})", "3" },
	{ "abs(4)", "4" },
	/* sets */
	{ "count(${units})", "4" },
	{ "count(${rows})", "3" },
	{ "count-non-empty(${units})", "3" },
	{ "sum(${units})", "7" },
	{ "min(${units})", "1" },
	{ "max(${units})", "4" },
	{ "max(${units}, 10)", "10" },
	{ "min(3, 1, 2)", "1" },
	{ "max(${five}, ${ten}, ${nine})", "10" },
	{ "min(${empty})", "NaN" },
	{ "sum(${units}) div count-non-empty(${units})", "2.33333333333333" },
	{ "${units} = 4", "true" },
	{ "${units} = 3", "false" },
	{ "${units}", "1" },
	{ "count(${five})", "1" },
	{ "sum(${five})", "5" },
	/* dates */
	{ "today()", "2025-06-15" },
	{ "today() > ${date1}", "true" },
	{ "date('2024-02-29')", "2024-02-29" },
	{ "date('2023-02-29')", "" },
	{ "date('2025-13-01')", "" },
	{ "date(${yes})", "" },
	{ "fiscal-year-start('2025-03-31')", "2024-04-01" },
	{ "fiscal-year-start('2025-04-01')", "2025-04-01" },
	{ "fiscal-year-end('2025-04-01')", "2026-03-31" },
	{ "fiscal-year-end('2026-03-31')", "2026-03-31" },
	{ "fiscal-year-end(today())", "2026-03-31" },
	{ "fiscal-year-end('x')", "" },
	{ "${date2} <= fiscal-year-end(today())", "true" },
	{ "'2026-04-01' <= fiscal-year-end(today())", "false" },
	/* white space and layout */
	{ "  ${five}\t =\t5 ", "true" },
	{ "((((1))))", "1" },
	{ "if(${five} > 3, concat('big:', ${five}), 'small')", "big:5" },
};

static void evaluate(const char *src, struct expr_value *v, char *buf,
		     size_t blen, struct slice *out, enum mamori_err *rc,
		     const char **why)
{
	struct arena a;
	struct strbuf err = STRBUF_INIT;
	struct expr *e = NULL;
	struct expr_env env = { .resolve = resolve, .allow_dot = true };
	static char scratch[4096];
	struct expr_ctx ctx = { .get = get, .set_len = set_len,
				.set_item = set_item, .dot = SLICE_LIT("7"),
				.today = "2025-06-15", .scratch = scratch,
				.scratch_len = sizeof(scratch) };

	arena_init(&a, 1024);
	enum mamori_err ce = expr_compile(&a, src, &env, &e, &err);
	if (ce)
		fail_msg("'%s' did not compile: %s", src, err.buf);
	*rc = expr_eval(e, &ctx, v);
	*why = ctx.error;
	if (!*rc) {
		struct slice s = expr_to_str(&ctx, v, buf, blen);
		/* copy: scratch and the arena go away */
		static char keep[4096];
		memcpy(keep, s.p, s.len);
		keep[s.len] = '\0';
		*out = slice_make(keep, s.len);
	}
	arena_release(&a);
	strbuf_release(&err);
}

static void value_case(void **state)
{
	const struct ok_case *c = *state;
	struct expr_value v;
	char buf[40];
	struct slice s;
	enum mamori_err rc;
	const char *why;

	evaluate(c->src, &v, buf, sizeof(buf), &s, &rc, &why);
	if (rc)
		fail_msg("'%s': evaluation failed: %s", c->src, why ? why : "?");
	if (!slice_eq_cstr(s, c->want))
		fail_msg("'%s': got '%.*s', wanted '%s'", c->src, (int)s.len,
			 s.p, c->want);
}

struct err_case {
	const char *src;
	enum mamori_err code;
	const char *msg;
};

static const struct err_case compile_errors[] = {
	{ "", MAMORI_EPARSE, "the expression ends too early (col 1)" },
	{ "${nosuch} = 1", MAMORI_ENOENT, "unknown item 'nosuch' (col 1)" },
	{ "${five} = ${nosuch}", MAMORI_ENOENT, "unknown item 'nosuch' (col 11)" },
	{ "${five", MAMORI_EPARSE, "'${' without its closing '}' (col 1)" },
	{ "${}", MAMORI_EPARSE, "empty reference '${}' (col 1)" },
	{ "'open", MAMORI_EPARSE, "a string that is never closed (missing ') (col 1)" },
	{ "1 +", MAMORI_EPARSE, "the expression ends too early (col 4)" },
	{ "(1 + 2", MAMORI_EPARSE, "missing ')' (col 7)" },
	{ "1 2", MAMORI_EPARSE, "unexpected '2' after the end of the expression (col 3)" },
	{ "nosuch(1)", MAMORI_EPARSE, "unknown function 'nosuch' (col 1)" },
	{ "if(1, 2)", MAMORI_EPARSE, "if() takes 3 arguments, not 2 (col 1)" },
	{ "not()", MAMORI_EPARSE, "not() takes 1 argument, not 0 (col 1)" },
	{ "substr('x')", MAMORI_EPARSE, "substr() takes 2 to 3 arguments, not 1 (col 1)" },
	{ "today(1)", MAMORI_EPARSE, "today() takes 0 arguments, not 1 (col 1)" },
	{ "regex(${word}, '[')", MAMORI_EPARSE, "bad regular expression '[': missing terminating ] for character class at offset 1 (col 16)" },
	{ "five = 5", MAMORI_EPARSE, "'five' is not a function call or a ${reference}; write ${five} for an item, or quote a text (col 1)" },
	{ "1 # 2", MAMORI_EPARSE, "unexpected character '#' (col 3)" },
	{ "1 ! 2", MAMORI_EPARSE, "unexpected character '!' (col 3)" },
	{ "concat(1 2)", MAMORI_EPARSE, "expected ',' or ')' in the arguments of concat() (col 10)" },
	{ ")", MAMORI_EPARSE, "unexpected ')' (col 1)" },
	{ "1 = = 2", MAMORI_EPARSE, "unexpected '=' (col 5)" },
};

static void compile_case(void **state)
{
	const struct err_case *c = *state;
	struct arena a;
	struct strbuf err = STRBUF_INIT;
	struct expr *e = NULL;
	struct expr_env env = { .resolve = resolve };

	arena_init(&a, 1024);
	enum mamori_err rc = expr_compile(&a, c->src, &env, &e, &err);
	if (rc != c->code)
		fail_msg("'%s': code %d, wanted %d (%s)", c->src, rc, c->code,
			 err.buf);
	if (strcmp(err.buf, c->msg))
		fail_msg("'%s': message '%s', wanted '%s'", c->src, err.buf,
			 c->msg);
	arena_release(&a);
	strbuf_release(&err);
}

static void dot_only_in_constraints(void **state)
{
	struct arena a;
	struct strbuf err = STRBUF_INIT;
	struct expr *e;
	struct expr_env env = { .resolve = resolve, .allow_dot = false };
	(void)state;
	arena_init(&a, 1024);
	assert_int_equal(expr_compile(&a, ". > 1", &env, &e, &err),
			 MAMORI_EPARSE);
	assert_string_equal(err.buf,
			    "'.' (the current answer) is only allowed in a constraint (col 1)");
	arena_release(&a);
	strbuf_release(&err);
}

static void limits(void **state)
{
	struct arena a;
	struct strbuf err = STRBUF_INIT, src = STRBUF_INIT;
	struct expr *e;
	struct expr_env env = { .resolve = resolve };
	(void)state;
	arena_init(&a, 1024);
	for (int i = 0; i < 100; i++)
		strbuf_addch(&src, '(');
	strbuf_addch(&src, '1');
	for (int i = 0; i < 100; i++)
		strbuf_addch(&src, ')');
	assert_int_equal(expr_compile(&a, src.buf, &env, &e, &err), MAMORI_EPARSE);
	assert_non_null(strstr(err.buf, "nested too deeply"));
	strbuf_reset(&src);
	strbuf_reset(&err);
	for (int i = 0; i < 5000; i++)
		strbuf_addch(&src, '1');
	assert_int_equal(expr_compile(&a, src.buf, &env, &e, &err),
			 MAMORI_ETOOBIG);
	arena_release(&a);
	strbuf_release(&err);
	strbuf_release(&src);
}

static const struct err_case eval_errors[] = {
	{ "1 div 0", MAMORI_EEVAL, "division by zero" },
	{ "${five} div ${zero}", MAMORI_EEVAL, "division by zero" },
	{ "5 mod 0", MAMORI_EEVAL, "division by zero (mod)" },
	{ "regex('x', concat('(', ''))", MAMORI_EEVAL, "bad regular expression" },
	{ "if(1 div 0 > 1, 1, 2)", MAMORI_EEVAL, "division by zero" },
};

static void eval_case(void **state)
{
	const struct err_case *c = *state;
	struct expr_value v;
	char buf[40];
	struct slice s;
	enum mamori_err rc;
	const char *why;

	evaluate(c->src, &v, buf, sizeof(buf), &s, &rc, &why);
	if (rc != c->code)
		fail_msg("'%s': rc %d", c->src, rc);
	if (!why || strcmp(why, c->msg))
		fail_msg("'%s': error '%s', wanted '%s'", c->src,
			 why ? why : "(none)", c->msg);
}

static void scratch_exhaustion_is_an_error(void **state)
{
	struct arena a;
	struct strbuf err = STRBUF_INIT;
	struct expr *e;
	struct expr_env env = { .resolve = resolve };
	char small[8];
	struct expr_ctx ctx = { .get = get, .scratch = small,
				.scratch_len = sizeof(small) };
	struct expr_value v;
	(void)state;
	arena_init(&a, 1024);
	assert_int_equal(expr_compile(&a, "concat(${word}, ${word})", &env, &e,
				      &err), MAMORI_OK);
	assert_int_equal(expr_eval(e, &ctx, &v), MAMORI_EEVAL);
	assert_string_equal(ctx.error, "out of scratch space for strings");
	arena_release(&a);
}

static void refs_and_clock(void **state)
{
	struct arena a;
	struct strbuf err = STRBUF_INIT;
	struct expr *e;
	struct expr_env env = { .resolve = resolve };
	const int *refs;
	(void)state;
	arena_init(&a, 1024);
	assert_int_equal(expr_compile(&a, "${five} + ${ten} + ${five} > today()",
				      &env, &e, &err), MAMORI_OK);
	assert_int_equal(expr_refs(e, &refs), 2);
	assert_true(expr_uses_clock(e));
	arena_release(&a);
}

static void attribute_filters(void **state)
{
	static const struct {
		const char *src;
		bool want;
	} cases[] = {
		{ "kind = 'hospital'", true },
		{ "kind = 'bank'", false },
		{ "${kind} = 'hospital' and beds >= 200", true },
		{ "beds < 100 or prefecture = '13'", true },
		{ "${org.beds} > 199", true },
		{ "missing = ''", true },
		{ "public", true },
		{ "beds div 2 = 100", true },
	};
	json_t *attrs = json_pack("{s:s, s:i, s:s, s:b}", "kind", "hospital",
				  "beds", 200, "prefecture", "13", "public", 1);
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct attr_expr *ae;
		struct strbuf err = STRBUF_INIT;
		bool got;
		if (attr_expr_compile(cases[i].src, &ae, &err))
			fail_msg("'%s': %s", cases[i].src, err.buf);
		assert_int_equal(attr_expr_eval(ae, attrs, &got, &err), MAMORI_OK);
		if (got != cases[i].want)
			fail_msg("'%s': got %d", cases[i].src, got);
		attr_expr_free(ae);
		strbuf_release(&err);
	}
	struct attr_expr *ae;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(attr_expr_compile("kind = ", &ae, &err), MAMORI_EPARSE);
	assert_string_equal(err.buf, "the expression ends too early (col 8)");
	strbuf_release(&err);
	json_decref(attrs);
}


#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(dot_only_in_constraints),
		cmocka_unit_test(limits),
		cmocka_unit_test(scratch_exhaustion_is_an_error),
		cmocka_unit_test(refs_and_clock),
		cmocka_unit_test(attribute_filters),
	};
	size_t n = COUNT(ok_cases) + COUNT(compile_errors) +
		   COUNT(eval_errors) + COUNT(fixed), k = 0;
	struct CMUnitTest *tests = calloc(n, sizeof(*tests));
	int rc;

	if (!tests)
		return 1;
	/* one test per table row, named by its expression */
	for (size_t i = 0; i < COUNT(ok_cases); i++)
		tests[k++] = (struct CMUnitTest){ .name = ok_cases[i].src,
			.test_func = value_case,
			.initial_state = (void *)&ok_cases[i] };
	for (size_t i = 0; i < COUNT(compile_errors); i++)
		tests[k++] = (struct CMUnitTest){ .name = compile_errors[i].src,
			.test_func = compile_case,
			.initial_state = (void *)&compile_errors[i] };
	for (size_t i = 0; i < COUNT(eval_errors); i++)
		tests[k++] = (struct CMUnitTest){ .name = eval_errors[i].src,
			.test_func = eval_case,
			.initial_state = (void *)&eval_errors[i] };
	for (size_t i = 0; i < COUNT(fixed); i++)
		tests[k++] = fixed[i];
	rc = _cmocka_run_group_tests("expr", tests, n, NULL, NULL);
	free(tests);
	return rc;
}
