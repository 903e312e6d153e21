/*
 * test_ydoc.c - the located YAML tree: positions, refusals, key checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "util/ydoc.h"

static void positions(void **state)
{
	struct ydoc d;
	struct strbuf err = STRBUF_INIT;
	const char *y = "id: x\nitems:\n  - id: q1\n    label: {ja: はい, en: 'Yes'}\n";
	(void)state;
	assert_int_equal(ydoc_parse(&d, "t.yaml", y, strlen(y), &err), MAMORI_OK);
	assert_non_null(d.root);
	assert_int_equal(d.root->kind, YDOC_MAP);
	const struct ydoc_node *items = ydoc_get(d.root, "items");
	assert_int_equal(items->kind, YDOC_SEQ);
	assert_int_equal(items->n, 1);
	const struct ydoc_node *q1 = items->items[0];
	assert_int_equal(q1->line, 3);
	assert_int_equal(q1->col, 5);
	const struct ydoc_node *label = ydoc_get(q1, "label");
	assert_string_equal(ydoc_get(label, "ja")->str.p, "はい");
	assert_false(ydoc_get(label, "en")->plain);
	assert_true(ydoc_get(d.root, "id")->plain);
	assert_null(ydoc_get(d.root, "nope"));
	ydoc_release(&d);
	strbuf_release(&err);
}

struct badcase {
	const char *yaml;
	const char *msg;
};

static void refusals(void **state)
{
	static const struct badcase cases[] = {
		{ "a: 1\na: 2\n", "t.yaml:2:1: duplicate key 'a' (first at line 1)\n" },
		{ "a: &x 1\nb: *x\n", "t.yaml:1:4: anchors (&name) are not supported\n" },
		{ "a: [1, 2\n", "t.yaml:2:1: YAML syntax: did not find expected ',' or ']' while parsing a flow sequence\n" },
		{ "a: 1\n---\nb: 2\n", "t.yaml:2:1: only one YAML document per file (remove this '---')\n" },
		{ "? [a]\n: 1\n", "t.yaml:1:3: a key must be a single value, not a list\n" },
		{ "a: \"\\x\"\n", NULL },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ydoc d;
		struct strbuf err = STRBUF_INIT;
		enum mamori_err e = ydoc_parse(&d, "t.yaml", cases[i].yaml,
					       strlen(cases[i].yaml), &err);
		assert_int_not_equal(e, MAMORI_OK);
		if (cases[i].msg)
			assert_string_equal(err.buf, cases[i].msg);
		else
			assert_true(err.len > 0);
		ydoc_release(&d);
		strbuf_release(&err);
	}
}

static void deep_nesting_refused(void **state)
{
	struct strbuf y = STRBUF_INIT, err = STRBUF_INIT;
	struct ydoc d;
	(void)state;
	for (int i = 0; i < 200; i++)
		strbuf_addch(&y, '[');
	assert_int_equal(ydoc_parse(&d, "deep", y.buf, y.len, &err), MAMORI_ESCHEMA);
	assert_non_null(strstr(err.buf, "nested deeper than 64 levels"));
	ydoc_release(&d);
	strbuf_release(&y);
	strbuf_release(&err);
}

static void unknown_keys(void **state)
{
	static const char *const allowed[] = { "id", "label", "relevant", NULL };
	struct ydoc d;
	struct strbuf err = STRBUF_INIT;
	const char *y = "id: q1\nlable: x\nzzz: 1\n";
	(void)state;
	assert_int_equal(ydoc_parse(&d, "t.yaml", y, strlen(y), &err), MAMORI_OK);
	assert_int_equal(ydoc_check_keys(&d, d.root, allowed, "item q1", &err), 2);
	assert_string_equal(err.buf,
		"t.yaml:2:1: item q1: unknown key 'lable' (did you mean 'label'?)\n"
		"t.yaml:3:1: item q1: unknown key 'zzz'\n");
	assert_int_equal(ydoc_edit_distance("relevant", "relevent", 3), 1);
	ydoc_release(&d);
	strbuf_release(&err);
}

static void empty_document(void **state)
{
	struct ydoc d;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	assert_int_equal(ydoc_parse(&d, "e", "", 0, &err), MAMORI_OK);
	assert_null(d.root);
	ydoc_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(positions),
		cmocka_unit_test(refusals),
		cmocka_unit_test(deep_nesting_refused),
		cmocka_unit_test(unknown_keys),
		cmocka_unit_test(empty_document),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
