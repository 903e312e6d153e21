/*
 * test_cache_pieces.c - what the form cache (web/cache.h) keeps written
 * beyond each text: the lengths of the escaped texts, a question's title,
 * the instrument's title and description, and the choices of a select
 * question outside a repeat in the three ways a form shows them, with
 * the places where " checked" goes in.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "instrument/instrument.h"
#include "web/cache.h"

static const char yaml[] =
	"id: t\n"
	"version: \"1\"\n"
	"title: {ja: \"題 <一>\", en: \"Title & more\"}\n"
	"description: {ja: \"説明\", en: \"About 'it'\"}\n"
	"issuer: T\n"
	"respondent: hospital\n"
	"languages: [ja, en]\n"
	"choices:\n"
	"  yn:\n"
	"    - {value: 'yes', label: {ja: \"はい<b>\", en: \"Yes & more\"}}\n"
	"    - {value: 'no', label: {ja: いいえ, en: \"No\"}}\n"
	"items:\n"
	"  - id: q1\n"
	"    type: select_one yn\n"
	"    number: \"1-2\"\n"
	"    required: true\n"
	"    label: {ja: \"質問 \\\"一\\\"\", en: \"Question 'one'\"}\n"
	"  - id: q2\n"
	"    type: select_multiple yn\n"
	"    label: {ja: 複数, en: Several}\n"
	"  - id: q3\n"
	"    type: text\n"
	"    label: {ja: 名前, en: Name}\n"
	"  - id: rows\n"
	"    type: repeat\n"
	"    label: {ja: 行, en: Rows}\n"
	"    items:\n"
	"      - id: r1\n"
	"        type: select_one yn\n"
	"        label: {ja: 行の質問, en: In a row}\n";

static struct instrument *load(void)
{
	struct strbuf err = STRBUF_INIT;
	struct instrument *ins = NULL;

	if (instrument_load_mem("t.yaml", yaml, strlen(yaml), &ins, &err))
		fail_msg("instrument: %s", err.buf);
	strbuf_release(&err);
	return ins;
}

static const struct form_item_text *item(const struct form_text *t,
					 const struct instrument *ins,
					 const char *id)
{
	const struct item *it = instrument_find(ins, id, strlen(id));
	assert_non_null(it);
	return &t->items[it->index];
}

static void test_lengths_and_titles(void **state)
{
	struct instrument *ins = load();
	struct form_cache c;
	const struct form_text *en;
	const struct form_item_text *q1, *q2, *q3, *rows;

	(void)state;
	form_cache_init(&c);
	en = form_cache_get(&c, "aa", ins, LANG_EN, "Guide");
	assert_non_null(en);
	assert_string_equal(en->title, "Title &amp; more");
	assert_int_equal(en->title_len, strlen(en->title));
	assert_string_equal(en->description, "About &#39;it&#39;");
	assert_int_equal(en->description_len, strlen(en->description));
	q1 = item(en, ins, "q1");
	q2 = item(en, ins, "q2");
	q3 = item(en, ins, "q3");
	rows = item(en, ins, "rows");
	assert_string_equal(q1->title, "<span class=\"num\">1-2.</span> "
			    "Question &#39;one&#39; <span class=\"req\">*</span>");
	assert_int_equal(q1->title_len, strlen(q1->title));
	assert_string_equal(q3->title, "Name");
	assert_string_equal(rows->title, "");
	for (size_t i = 0; i < en->nitems; i++) {
		const struct form_item_text *ft = &en->items[i];
		assert_int_equal(ft->id_len, strlen(ft->id));
		assert_int_equal(ft->number_len, strlen(ft->number));
		assert_int_equal(ft->label_len, strlen(ft->label));
		assert_int_equal(ft->parts_len, ft->parts ? strlen(ft->parts)
							  : 0);
		for (size_t k = 0; k < ft->nchoices; k++) {
			assert_int_equal(ft->choice_value_len[k],
					 strlen(ft->choice_value[k]));
			assert_int_equal(ft->choice_label_len[k],
					 strlen(ft->choice_label[k]));
		}
	}
	assert_int_equal(q2->choice_label_len[0], strlen("Yes &amp; more"));
	form_cache_put(&c, en);
	form_cache_release(&c);
	instrument_free(ins);
}

static void test_choices(void **state)
{
	struct instrument *ins = load();
	struct form_cache c;
	const struct form_text *ja;
	const struct form_item_text *q1, *q2, *q3, *r1;
	const struct form_choices *fc;

	(void)state;
	form_cache_init(&c);
	ja = form_cache_get(&c, "aa", ins, LANG_JA, "手引き");
	assert_non_null(ja);
	q1 = item(ja, ins, "q1");
	q2 = item(ja, ins, "q2");
	q3 = item(ja, ins, "q3");
	r1 = item(ja, ins, "r1");

	fc = &q1->choices[FORM_CHOICES_OPEN];
	assert_string_equal(fc->html,
		"<label class=\"choice\"><input type=\"radio\" name=\"q1\" "
		"value=\"yes\"> はい&lt;b&gt;</label>"
		"<label class=\"choice\"><input type=\"radio\" name=\"q1\" "
		"value=\"no\"> いいえ</label>");
	assert_int_equal(fc->len, strlen(fc->html));
	/* " checked" goes in after each value's closing quote */
	assert_memory_equal(fc->html + fc->at[0] - 5, "\"yes\"", 5);
	assert_memory_equal(fc->html + fc->at[1] - 4, "\"no\"", 4);
	assert_string_equal(q1->choices[FORM_CHOICES_CLOSED].html,
		"<label class=\"choice\"><input type=\"radio\" name=\"q1\" "
		"value=\"yes\" disabled> はい&lt;b&gt;</label>"
		"<label class=\"choice\"><input type=\"radio\" name=\"q1\" "
		"value=\"no\" disabled> いいえ</label>");
	fc = &q2->choices[FORM_CHOICES_HIDDEN];
	assert_string_equal(fc->html,
		"<label class=\"choice\"><input type=\"checkbox\" "
		"data-field=\"q2\" value=\"yes\" disabled> はい&lt;b&gt;</label>"
		"<label class=\"choice\"><input type=\"checkbox\" "
		"data-field=\"q2\" value=\"no\" disabled> いいえ</label>");
	assert_memory_equal(fc->html + fc->at[1] - 4, "\"no\"", 4);
	assert_string_equal(fc->html + fc->at[1], " disabled> いいえ</label>");
	/* none for a text, none inside a repeat (its names change by row) */
	for (int w = 0; w < FORM_CHOICES__MAX; w++) {
		assert_null(q3->choices[w].html);
		assert_null(r1->choices[w].html);
	}
	assert_int_equal(r1->nchoices, 2);
	form_cache_put(&c, ja);
	form_cache_release(&c);
	instrument_free(ins);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lengths_and_titles),
		cmocka_unit_test(test_choices),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
