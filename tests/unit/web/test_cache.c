/*
 * test_cache.c - the form's texts escaped once per process (web/cache.h):
 * escaped as the page writes them, one entry per instrument content and
 * language, never another instrument's texts under a wrong key, entries
 * in use never evicted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "instrument/instrument.h"
#include "util/html.h"
#include "web/cache.h"

static const char yaml_a[] =
	"id: t\n"
	"version: \"1\"\n"
	"title: {ja: T, en: T}\n"
	"issuer: T\n"
	"respondent: hospital\n"
	"languages: [ja, en]\n"
	"choices:\n"
	"  yn:\n"
	"    - {value: 'yes', label: {ja: \"はい<b>\", en: \"Yes & more\"}}\n"
	"    - {value: 'no', label: {ja: いいえ, en: \"No\"}}\n"
	"items:\n"
	"  - id: s1\n"
	"    type: group\n"
	"    label: {ja: \"第1節 <一般>\", en: \"Part 1\"}\n"
	"    items:\n"
	"      - id: q1\n"
	"        type: select_one yn\n"
	"        number: \"1\"\n"
	"        label: {ja: \"質問 \\\"一\\\"\", en: \"Question 'one'\"}\n"
	"        hint: {ja: \"ヒント&\", en: \"Hint\"}\n"
	"        guidance: {ja: \"段落一<\\n\\n段落二\", en: \"Guide\"}\n"
	"      - id: q2\n"
	"        type: text\n"
	"        label: {ja: 名前, en: Name}\n";

/* the same id and version with other items: another content */
static const char yaml_b[] =
	"id: t\n"
	"version: \"1\"\n"
	"title: {ja: T, en: T}\n"
	"issuer: T\n"
	"respondent: hospital\n"
	"languages: [ja, en]\n"
	"items:\n"
	"  - id: q9\n"
	"    type: text\n"
	"    label: {ja: 別の質問, en: Other}\n";

static struct instrument *load(const char *yaml)
{
	struct strbuf err = STRBUF_INIT;
	struct instrument *ins = NULL;

	if (instrument_load_mem("t.yaml", yaml, strlen(yaml), &ins, &err))
		fail_msg("instrument: %s", err.buf);
	strbuf_release(&err);
	return ins;
}

static size_t idx(const struct instrument *ins, const char *id)
{
	const struct item *it = instrument_find(ins, id, strlen(id));
	assert_non_null(it);
	return it->index;
}

static void test_escaped(void **state)
{
	struct instrument *ins = load(yaml_a);
	struct form_cache c;
	const struct form_text *ja, *en, *again;
	const struct form_item_text *q1, *s1, *q2;
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	form_cache_init(&c);
	ja = form_cache_get(&c, "aa", ins, LANG_JA, "手引き");
	assert_non_null(ja);
	q1 = &ja->items[idx(ins, "q1")];
	s1 = &ja->items[idx(ins, "s1")];
	q2 = &ja->items[idx(ins, "q2")];
	assert_string_equal(q1->id, "q1");
	assert_string_equal(q1->number, "1");
	assert_string_equal(q1->label, "質問 &quot;一&quot;");
	assert_string_equal(s1->label, "第1節 &lt;一般&gt;");
	assert_string_equal(q2->number, "");
	assert_int_equal(q1->nchoices, 2);
	assert_string_equal(q1->choice_value[0], "yes");
	assert_string_equal(q1->choice_label[0], "はい&lt;b&gt;");
	assert_int_equal(q2->nchoices, 0);
	/* the hint and the guide as the page writes them uncached */
	assert_string_equal(q1->parts,
			    "<p class=\"hint\" id=\"h_q1\">ヒント&amp;</p>"
			    "<details class=\"guide\"><summary>手引き</summary>"
			    "<p>段落一&lt;</p><p>段落二</p></details>");
	form_text_parts(&sb, &ins->items[idx(ins, "q1")], LANG_JA, "h_q1",
			"手引き");
	assert_string_equal(sb.buf, q1->parts);
	assert_string_equal(s1->parts, "");

	/* kept: the same entry again; another language is another one */
	again = form_cache_get(&c, "aa", ins, LANG_JA, "手引き");
	assert_ptr_equal(again, ja);
	en = form_cache_get(&c, "aa", ins, LANG_EN, "Guide");
	assert_non_null(en);
	assert_ptr_not_equal(en, ja);
	assert_string_equal(en->items[idx(ins, "q1")].choice_label[0],
			    "Yes &amp; more");
	assert_string_equal(en->items[idx(ins, "q1")].label,
			    "Question &#39;one&#39;");
	form_cache_put(&c, again);
	form_cache_put(&c, ja);
	form_cache_put(&c, en);
	assert_int_equal(c.n, 2);

	/* no key, no cache: the caller escapes itself */
	assert_null(form_cache_get(&c, NULL, ins, LANG_JA, "手引き"));
	assert_null(form_cache_get(&c, "", ins, LANG_JA, "手引き"));
	strbuf_release(&sb);
	form_cache_release(&c);
	instrument_free(ins);
}

static void test_wrong_key(void **state)
{
	struct instrument *a = load(yaml_a), *b = load(yaml_b);
	struct form_cache c;
	const struct form_text *t;

	(void)state;
	form_cache_init(&c);
	t = form_cache_get(&c, "aa", a, LANG_JA, "手引き");
	assert_non_null(t);
	form_cache_put(&c, t);
	/* b under a's key: a's texts would be wrong, so none are given */
	assert_null(form_cache_get(&c, "aa", b, LANG_JA, "手引き"));
	t = form_cache_get(&c, "bb", b, LANG_JA, "手引き");
	assert_non_null(t);
	assert_string_equal(t->items[0].label, "別の質問");
	form_cache_put(&c, t);
	form_cache_release(&c);
	instrument_free(a);
	instrument_free(b);
}

static void test_held_not_evicted(void **state)
{
	struct instrument *ins = load(yaml_a);
	struct form_cache c;
	const struct form_text *held[FORM_CACHE_MAX];
	const struct form_text *t;
	char key[16];

	(void)state;
	form_cache_init(&c);
	for (size_t i = 0; i < FORM_CACHE_MAX; i++) {
		snprintf(key, sizeof(key), "k%zu", i);
		held[i] = form_cache_get(&c, key, ins, LANG_JA, "g");
		assert_non_null(held[i]);
	}
	/* all in use: the next one is not kept (and nothing is freed) */
	assert_null(form_cache_get(&c, "new", ins, LANG_JA, "g"));
	assert_int_equal(c.n, FORM_CACHE_MAX);
	assert_string_equal(held[0]->sha256, "k0");
	/* one given back: the oldest unused one makes room */
	form_cache_put(&c, held[3]);
	t = form_cache_get(&c, "new", ins, LANG_JA, "g");
	assert_non_null(t);
	assert_string_equal(t->sha256, "new");
	assert_int_equal(c.n, FORM_CACHE_MAX);
	for (size_t i = 0; i < FORM_CACHE_MAX; i++) {
		if (i != 3)
			assert_string_equal(held[i]->sha256,
					    (snprintf(key, sizeof(key), "k%zu",
						      i), key));
	}
	form_cache_put(&c, t);
	for (size_t i = 0; i < FORM_CACHE_MAX; i++)
		if (i != 3)
			form_cache_put(&c, held[i]);
	form_cache_release(&c);
	instrument_free(ins);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escaped),
		cmocka_unit_test(test_wrong_key),
		cmocka_unit_test(test_held_not_evicted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
