/*
 * test_load.c - the instrument loader: broken instruments give exactly the
 * messages expected (file:line:col: what: message), every error at once;
 * the bundled hospital survey loads with the structure it should have.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "instrument/instrument.h"

/* 11 lines; items start at line 12. */
#define HEAD                                                            \
	"id: t\n"                                                       \
	"version: '1'\n"                                                \
	"title: T\n"                                                    \
	"issuer: X\n"                                                   \
	"respondent: hospital\n"                                        \
	"languages: [ja, en]\n"                                         \
	"choices:\n"                                                    \
	"  yn:\n"                                                       \
	"    - {value: 'yes', label: {ja: はい, en: 'Yes'}}\n"          \
	"    - {value: 'no', label: {ja: いいえ, en: 'No'}}\n"          \
	"items:\n"

#define Q(id, extra) "  - {id: " id ", type: select_one yn, label: L" extra "}\n"

struct bad {
	const char *name;
	const char *yaml;
	const char *want;
};

static const struct bad cases[] = {
	{ "yaml syntax", HEAD "  - {id: a, type: text, label: [x}\n",
	  "t.yaml:12:34: YAML syntax: did not find expected ',' or ']' while parsing a flow sequence\n" },
	{ "not a mapping", "- a\n- b\n",
	  "t.yaml:1:1: instrument: the file must be a mapping with id, version, title, items …\n" },
	{ "unknown key", HEAD Q("a", ", relevent: \"1 = 1\""),
	  "t.yaml:12:44: item a: unknown key 'relevent' (did you mean 'relevant'?)\n" },
	{ "unknown header key", "titel: x\n" HEAD "  - {id: a, type: text, label: L}\n",
	  "t.yaml:1:1: instrument: unknown key 'titel' (did you mean 'title'?)\n" },
	{ "duplicate id", HEAD Q("a", "") Q("a", ""),
	  "t.yaml:13:10: item a: duplicate id 'a' (first at line 12)\n" },
	{ "unknown reference", HEAD Q("a", "") Q("b", ", relevant: \"${a} = 'yes' and ${c} = 1\""),
	  "t.yaml:13:54: item b: relevant: unknown item 'c' (col 18)\n" },
	{ "bad expression", HEAD Q("a", ", constraint: \". = \""),
	  "t.yaml:12:56: item a: constraint: the expression ends too early (col 5)\n" },
	{ "cycle", HEAD
	  "  - {id: x, type: calculate, calculate: \"${y} + 1\"}\n"
	  "  - {id: y, type: calculate, calculate: \"${z} + 1\"}\n"
	  "  - {id: z, type: calculate, calculate: \"${x} + 1\"}\n",
	  "t.yaml:12:5: item x: relevance and calculations form a cycle: x -> y -> z -> x\n" },
	{ "self reference", HEAD Q("a", ", relevant: \"${a} = 'yes'\""),
	  "t.yaml:12:5: item a: relevance and calculations form a cycle: a -> a\n" },
	{ "unknown list", HEAD "  - {id: a, type: select_one yesno, label: L}\n",
	  "t.yaml:12:19: item a: unknown choice list 'yesno'\n" },
	{ "unknown type", HEAD "  - {id: a, type: string, label: L}\n",
	  "t.yaml:12:19: item a: unknown type 'string' (note, text, integer, decimal, date, datetime, select_one LIST, select_multiple LIST, calculate, group, repeat)\n" },
	{ "missing language", HEAD "  - {id: a, type: text, label: {ja: 氏名}}\n",
	  "t.yaml:12:32: item a: label has no 'en' text\n" },
	{ "unknown language", HEAD "  - {id: a, type: text, label: {ja: x, en: y, fr: z}}\n",
	  "t.yaml:12:47: item a: label: unknown language 'fr' (use ja or en)\n" },
	{ "missing label and type", HEAD "  - {id: a}\n",
	  "t.yaml:12:5: item a: missing 'type'\nt.yaml:12:5: item a: missing 'label'\n" },
	{ "bad id", HEAD "  - {id: 1a, type: text, label: L}\n",
	  "t.yaml:12:10: item: id '1a' must start with a letter and hold only letters, digits and '_' (at most 64)\n" },
	{ "key for another type", HEAD "  - {id: a, type: text, label: L, calculate: \"1\"}\n",
	  "t.yaml:12:35: item a: 'calculate' applies only to a calculate item, not to a text\n" },
	{ "calculate without calculate", HEAD "  - {id: a, type: calculate}\n",
	  "t.yaml:12:5: item a: a calculate item needs 'calculate'\n" },
	{ "nested repeat", HEAD
	  "  - id: r\n"
	  "    type: repeat\n"
	  "    label: R\n"
	  "    items:\n"
	  "      - id: r2\n"
	  "        type: repeat\n"
	  "        label: R2\n"
	  "        items:\n"
	  "          - {id: x, type: text, label: X}\n",
	  "t.yaml:16:9: item r2: a repeat cannot hold another repeat\n" },
	{ "rows out of order", HEAD
	  "  - {id: r, type: repeat, label: R, min_rows: 3, max_rows: 2, items: [{id: x, type: text, label: X}]}\n",
	  "t.yaml:12:60: item r: 'max_rows' is smaller than 'min_rows'\n" },
	{ "empty group", HEAD "  - {id: g, type: group, label: G, items: []}\n",
	  "t.yaml:12:43: item g: a group needs a non-empty list of 'items'\n" },
	{ "duplicate choice", "id: t\nversion: '1'\ntitle: T\nissuer: X\nrespondent: r\nlanguages: [en]\n"
	  "choices:\n  l:\n    - {value: a, label: A}\n    - {value: a, label: B}\n"
	  "items:\n  - {id: q, type: select_one l, label: Q}\n",
	  "t.yaml:10:15: choices l: duplicate choice value 'a'\n" },
	{ "choice value with a space", "id: t\nversion: '1'\ntitle: T\nissuer: X\nrespondent: r\nlanguages: [en]\n"
	  "choices:\n  l:\n    - {value: 'a b', label: A}\n"
	  "items:\n  - {id: q, type: select_one l, label: Q}\n",
	  "t.yaml:9:15: choices l: choice value 'a b' may hold only letters, digits, '_', '-' and '.'\n" },
	{ "indicator errors", HEAD Q("a", "")
	  "indicators:\n"
	  "  - {id: i1, label: I, population: \"${nope} = 1\", met: \"${a} = 'yes'\"}\n"
	  "  - {id: i1, label: I, met: \"${a} = 'yes'\"}\n",
	  "t.yaml:14:36: indicator i1: population: unknown item 'nope' (col 1)\n"
	  "t.yaml:15:10: indicator: duplicate indicator id 'i1'\n" },
	{ "finding errors", HEAD Q("a", "")
	  "findings:\n"
	  "  - {id: f, severity: severe, title: T, when: \"${a} = 'no'\", advice: A}\n"
	  "  - {id: g, severity: low, title: T, advice: A}\n",
	  "t.yaml:14:23: finding f: severity must be info, low, medium, high or critical, not 'severe'\n"
	  "t.yaml:15:5: finding g: missing 'when'\n" },
	{ "every error at once", HEAD
	  "  - {id: a, type: text, lable: L}\n"
	  "  - {id: b, type: integer, label: L, constraint: \". >\"}\n"
	  "  - {id: a, type: note, label: N}\n",
	  "t.yaml:12:25: item a: unknown key 'lable' (did you mean 'label'?)\n"
	  "t.yaml:12:5: item a: missing 'label'\n"
	  "t.yaml:14:10: item a: duplicate id 'a' (first at line 12)\n"
	  "t.yaml:13:50: item b: constraint: the expression ends too early (col 4)\n" },
	{ "missing header", "items:\n  - {id: a, type: text, label: L}\n",
	  "t.yaml:1:1: instrument: missing 'languages' (e.g. [ja, en])\n"
	  "t.yaml:1:1: instrument: missing 'id'\n"
	  "t.yaml:1:1: instrument: missing 'version'\n"
	  "t.yaml:1:1: instrument: missing 'issuer'\n"
	  "t.yaml:1:1: instrument: missing 'respondent'\n"
	  "t.yaml:1:1: instrument: missing 'title'\n" },
	{ "bad polarity", HEAD Q("a", "")
	  "indicators:\n"
	  "  - {id: i1, label: I, met: \"${a} = 'yes'\", polarity: positive}\n"
	  "  - {id: i2, label: I, met: \"${a} = 'no'\", polarity: [good]}\n"
	  "  - {id: i3, label: I, met: \"${a} = 'no'\", polarity: Bad}\n",
	  "t.yaml:14:55: indicator i1: 'polarity' must be 'good', 'bad' or 'neutral', not 'positive'\n"
	  "t.yaml:15:54: indicator i2: 'polarity' must be a single value, not a list\n"
	  "t.yaml:16:54: indicator i3: 'polarity' must be 'good', 'bad' or 'neutral', not 'Bad'\n" },
	{ "polarity on an item", HEAD Q("a", ", polarity: good"),
	  "t.yaml:12:44: item a: unknown key 'polarity'\n" },
	{ "bad tier", HEAD Q("a", ", tier: basik"),
	  "t.yaml:12:50: item a: 'tier' must be 'basic' or 'desirable', not 'basik'\n" },
	{ "alias refused", HEAD "  - &x {id: a, type: text, label: L}\n  - *x\n",
	  "t.yaml:12:5: anchors (&name) are not supported\n" },
};

static void broken_case(void **state)
{
	const struct bad *c = *state;
	struct instrument *ins = NULL;
	struct strbuf err = STRBUF_INIT;
	enum mamori_err rc;

	rc = instrument_load_mem("t.yaml", c->yaml, strlen(c->yaml), &ins, &err);
	if (rc == MAMORI_OK)
		fail_msg("%s: loaded, but should not", c->name);
	if (strcmp(err.buf, c->want))
		fail_msg("%s:\ngot:\n%swanted:\n%s", c->name, err.buf, c->want);
	assert_null(ins);
	strbuf_release(&err);
}

static struct instrument *load_survey(void)
{
	struct instrument *ins = NULL;
	struct strbuf err = STRBUF_INIT;
	const char *path = SOURCE_ROOT "/instruments/mhlw/hospital-backup-vpn-2022.yaml";

	if (instrument_load_file(path, &ins, &err))
		fail_msg("%s", err.buf);
	strbuf_release(&err);
	return ins;
}

static void hospital_survey_structure(void **state)
{
	struct instrument *ins = load_survey();
	(void)state;

	assert_string_equal(ins->id, "mhlw-hospital-backup-vpn");
	assert_string_equal(ins->respondent, "hospital");
	assert_true(ins->languages == 3);
	/* the 14 questions, numbered as in the questionnaire, in order */
	const char *ids[] = { "q2_security_officer", "q3_guideline",
			      "q4_emergency_procedure", "q5_ehr", "q6_backup",
			      "q7_generations", "q8_isolated_storage",
			      "q9_leak_protection", "q10_vpn",
			      "q11_vpn_devices", "q12_vpn_updated",
			      "q13_vpn_restricted", "q14_vpn_log_review" };
	size_t last = 0;
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		const struct item *it = instrument_find(ins, ids[i], strlen(ids[i]));
		assert_non_null(it);
		char num[8];
		snprintf(num, sizeof(num), "%zu", i + 2);
		assert_string_equal(it->number, num);
		assert_true(it->index > last);
		last = it->index;
	}
	/* skip logic: Q6-9 only with an EHR, Q11-14 only with a VPN device */
	for (int q = 6; q <= 14; q++) {
		if (q == 10)
			continue;
		const struct item *it = NULL;
		for (size_t i = 0; i < ins->nitems; i++) {
			char num[8];
			snprintf(num, sizeof(num), "%d", q);
			if (ins->items[i].number && !strcmp(ins->items[i].number, num))
				it = &ins->items[i];
		}
		assert_non_null(it);
		assert_non_null(it->relevant_src);
		assert_non_null(strstr(it->relevant_src, q < 10 ? "q5_ehr" : "q10_vpn"));
	}
	const struct item *rep = instrument_find(ins, "q11_vpn_devices", 15);
	assert_int_equal(rep->type, ITEM_REPEAT);
	assert_int_equal(rep->min_rows, 1);
	const char *kids[] = { "maker", "model", "units", "firmware" };
	for (size_t i = 0; i < 4; i++) {
		const struct item *k = instrument_find(ins, kids[i], strlen(kids[i]));
		assert_non_null(k);
		assert_int_equal(k->repeat, (int)rep->index);
	}
	assert_non_null(instrument_find(ins, "vpn_units_total", 15));
	/* every item, choice, indicator and finding has both languages */
	for (size_t i = 0; i < ins->nitems; i++)
		if (ins->items[i].type != ITEM_CALCULATE) {
			assert_non_null(ins->items[i].label.text[LANG_JA]);
			assert_non_null(ins->items[i].label.text[LANG_EN]);
		}
	assert_true(ins->nindicators >= 6);
	assert_true(ins->nfindings >= 10);
	instrument_free(ins);
}

static void indicators_have_published_populations(void **state)
{
	struct instrument *ins = load_survey();
	int ehr_pop = 0, vpn_pop = 0, all_pop = 0;
	(void)state;
	for (size_t i = 0; i < ins->nindicators; i++) {
		const struct indicator *d = &ins->indicators[i];
		if (!d->population)
			all_pop++;
		else if (strstr(d->population_src, "q5_ehr"))
			ehr_pop++;
		else if (strstr(d->population_src, "q10_vpn"))
			vpn_pop++;
	}
	assert_true(all_pop >= 1);	/* EHR in use: all respondents */
	assert_true(ehr_pop >= 4);	/* backups: among EHR users */
	assert_true(vpn_pop >= 1);	/* access records: among VPN holders */
	instrument_free(ins);
}

static void messages_not_wanted(void **state)
{
	struct instrument *ins = NULL;
	(void)state;
	assert_int_equal(instrument_load_file("/nonexistent/x.yaml", &ins, NULL),
			 MAMORI_ENOENT);
	assert_int_equal(instrument_load_mem("x", "a: [", 4, &ins, NULL),
			 MAMORI_EPARSE);
	assert_null(ins);
}

static void unreadable_file(void **state)
{
	struct instrument *ins = NULL;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	assert_int_equal(instrument_load_file("/nonexistent/x.yaml", &ins, &err),
			 MAMORI_ENOENT);
	assert_string_equal(err.buf,
			    "/nonexistent/x.yaml: cannot open: No such file or directory\n");
	strbuf_release(&err);
}

static void tiers_and_datetime(void **state)
{
	static const char yaml[] = HEAD Q("a", ", tier: basic")
		Q("b", ", tier: desirable") Q("c", "")
		"  - {id: d, type: datetime, label: D, tier: basic}\n";
	struct instrument *ins = NULL;
	struct strbuf err = STRBUF_INIT;
	(void)state;

	if (instrument_load_mem("t.yaml", yaml, strlen(yaml), &ins, &err))
		fail_msg("%s", err.buf);
	assert_int_equal(instrument_find(ins, "a", 1)->tier, TIER_BASIC);
	assert_int_equal(instrument_find(ins, "b", 1)->tier, TIER_DESIRABLE);
	assert_int_equal(instrument_find(ins, "c", 1)->tier, TIER_NONE);
	assert_int_equal(instrument_find(ins, "d", 1)->type, ITEM_DATETIME);
	assert_string_equal(item_type_name(ITEM_DATETIME), "datetime");
	assert_string_equal(item_tier_name(TIER_DESIRABLE), "desirable");
	instrument_free(ins);
	strbuf_release(&err);
}

static void indicator_polarity(void **state)
{
	static const char yaml[] = HEAD Q("a", "")
		"indicators:\n"
		"  - {id: g, label: G, met: \"${a} = 'yes'\", polarity: good}\n"
		"  - {id: b, label: B, met: \"${a} = 'no'\", polarity: bad}\n"
		"  - {id: n, label: N, met: \"${a} = 'no'\", polarity: neutral}\n"
		"  - {id: d, label: D, met: \"${a} = 'no'\"}\n";
	struct instrument *ins = NULL;
	struct strbuf err = STRBUF_INIT;
	(void)state;

	if (instrument_load_mem("t.yaml", yaml, strlen(yaml), &ins, &err))
		fail_msg("%s", err.buf);
	assert_int_equal(ins->nindicators, 4);
	assert_int_equal(ins->indicators[0].polarity, POLARITY_GOOD);
	assert_int_equal(ins->indicators[1].polarity, POLARITY_BAD);
	assert_int_equal(ins->indicators[2].polarity, POLARITY_NEUTRAL);
	assert_int_equal(ins->indicators[3].polarity, POLARITY_NEUTRAL);
	assert_string_equal(indicator_polarity_name(POLARITY_GOOD), "good");
	assert_string_equal(indicator_polarity_name(POLARITY_BAD), "bad");
	assert_string_equal(indicator_polarity_name(POLARITY_NEUTRAL),
			    "neutral");
	instrument_free(ins);
	strbuf_release(&err);
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(hospital_survey_structure),
		cmocka_unit_test(indicators_have_published_populations),
		cmocka_unit_test(unreadable_file),
		cmocka_unit_test(messages_not_wanted),
		cmocka_unit_test(tiers_and_datetime),
		cmocka_unit_test(indicator_polarity),
	};
	size_t n = COUNT(cases) + COUNT(fixed), k = 0;
	struct CMUnitTest *tests = calloc(n, sizeof(*tests));
	int rc;

	if (!tests)
		return 1;
	for (size_t i = 0; i < COUNT(cases); i++)
		tests[k++] = (struct CMUnitTest){ .name = cases[i].name,
			.test_func = broken_case,
			.initial_state = (void *)&cases[i] };
	for (size_t i = 0; i < COUNT(fixed); i++)
		tests[k++] = fixed[i];
	rc = _cmocka_run_group_tests("load", tests, n, NULL, NULL);
	free(tests);
	return rc;
}
