/*
 * test_analysis.c - the analysis engine on a hand-made campaign of five
 * responses to tests/data/analysis/tiny.yaml (and one organisation that
 * never answered). Every expected number is worked out by hand in the
 * comments: skip-logic denominators, unanswered kept apart from "no",
 * answers to skipped questions ignored, multiple choice, repeat rows,
 * type-7 quartiles, cross-tabs by prefecture and size band, drafts, and
 * the trend comparison.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analysis/analysis.h"

#define TINY SOURCE_ROOT "/tests/data/analysis/tiny.yaml"

/*
 *      pref beds  q1   q2          staff q3          devices (maker units)
 * R1   13   50    yes  yes         10    edr siem    Fortinet 2, Cisco 1
 * R2   13   150   yes  no          20    edr         Fortinet 1
 * R3   27   600   yes  (none)      40    -           (no rows)
 * R4   27   30    no   yes (skip)  30    []          -
 * R5   01   -     (none)           -     -           -
 * R6   27   250   never answered
 */
static const char *const orgs[6] = {
	"{\"id\":\"R1\",\"prefecture\":\"13\",\"beds\":50,\"kind\":\"hospital\"}",
	"{\"id\":\"R2\",\"prefecture\":\"13\",\"beds\":150,\"kind\":\"hospital\"}",
	"{\"id\":\"R3\",\"prefecture\":\"27\",\"beds\":600,\"kind\":\"hospital\"}",
	"{\"id\":\"R4\",\"prefecture\":\"27\",\"beds\":30,\"kind\":\"hospital\"}",
	"{\"id\":\"R5\",\"prefecture\":\"01\",\"kind\":\"hospital\"}",
	"{\"id\":\"R6\",\"prefecture\":\"27\",\"beds\":250,\"kind\":\"hospital\"}",
};
static const char *const answers[5] = {
	("{\"q1\":\"yes\",\"q2\":\"yes\",\"staff\":10,\"q3\":[\"edr\",\"siem\"],"
	 "\"devices\":[{\"maker\":\"Fortinet\",\"units\":2},"
	 "{\"maker\":\"Cisco\",\"units\":1}]}"),
	("{\"q1\":\"yes\",\"q2\":\"no\",\"staff\":20,\"q3\":[\"edr\"],"
	 "\"devices\":[{\"maker\":\"Fortinet\",\"units\":1}]}"),
	"{\"q1\":\"yes\",\"q2\":null,\"staff\":40,\"devices\":[]}",
	"{\"q1\":\"no\",\"q2\":\"yes\",\"staff\":30,\"q3\":[]}",
	"{\"q1\":null}",
};

struct fx {
	struct instrument *ins;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct strbuf err = STRBUF_INIT;
	if (instrument_load_file(TINY, &f->ins, &err)) {
		fprintf(stderr, "%s\n", err.buf);
		return -1;
	}
	strbuf_release(&err);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	instrument_free(f->ins);
	free(f);
	return 0;
}

static json_t *parse(const char *s)
{
	json_error_t e;
	json_t *j = json_loads(s, 0, &e);
	if (!j)
		fail_msg("%s", e.text);
	return j;
}

/* Feeds the six organisations (R1..R5 answered, R6 not); nsubmit of the
 * answered ones as submitted, the rest as drafts. */
static json_t *run(struct fx *f, const struct analysis_opts *o,
		   size_t nsubmit, struct analysis **keep)
{
	struct analysis *a = NULL;
	json_t *res = NULL;

	assert_int_equal(analysis_new(f->ins, o, &a, NULL), MAMORI_OK);
	for (size_t i = 0; i < 6; i++) {
		json_t *org = parse(orgs[i]);
		assert_int_equal(analysis_add_invited(a, org), MAMORI_OK);
		if (i < 5) {
			json_t *ans = parse(answers[i]);
			assert_int_equal(i < nsubmit ? analysis_add(a, org, ans)
						     : analysis_add_draft(a, org,
									  ans),
					 MAMORI_OK);
			json_decref(ans);
		}
		json_decref(org);
	}
	assert_int_equal(analysis_result_json(a, 0, &res), MAMORI_OK);
	if (keep)
		*keep = a;
	else
		analysis_free(a);
	return res;
}

static long long num(const json_t *o, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", path);
	const json_t *cur = o;
	for (char *p = buf, *dot; cur && p; p = dot ? dot + 1 : NULL) {
		dot = strchr(p, '.');
		if (dot)
			*dot = '\0';
		cur = json_object_get(cur, p);
	}
	if (!json_is_integer(cur))
		fail_msg("%s: not an integer", path);
	return (long long)json_integer_value(cur);
}

static double real(const json_t *o, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", path);
	const json_t *cur = o;
	for (char *p = buf, *dot; cur && p; p = dot ? dot + 1 : NULL) {
		dot = strchr(p, '.');
		if (dot)
			*dot = '\0';
		cur = json_object_get(cur, p);
	}
	if (!json_is_number(cur))
		fail_msg("%s: not a number", path);
	return json_number_value(cur);
}

#define EQ(res, path, want) assert_int_equal(num(res, path), want)
#define NEAR(res, path, want) \
	assert_true(fabs(real(res, path) - (want)) < 1e-9)

static void totals_and_skip_logic(void **state)
{
	json_t *r = run(*state, NULL, 5, NULL);

	EQ(r, "invited", 6);
	EQ(r, "submitted", 5);
	EQ(r, "drafts", 0);
	NEAR(r, "response_rate", 5.0 / 6.0);
	/* q1 asked of all 5; R5 left it empty: not counted as yes or no */
	EQ(r, "items.q1.population", 5);
	EQ(r, "items.q1.answered", 4);
	EQ(r, "items.q1.not_answered", 1);
	EQ(r, "items.q1.not_applicable", 0);
	EQ(r, "items.q1.counts.yes", 3);
	EQ(r, "items.q1.counts.no", 1);
	/* q2 only where q1 = yes (R1, R2, R3); R4's "yes" was skipped */
	EQ(r, "items.q2.population", 3);
	EQ(r, "items.q2.answered", 2);
	EQ(r, "items.q2.not_answered", 1);
	EQ(r, "items.q2.not_applicable", 2);
	EQ(r, "items.q2.counts.yes", 1);
	EQ(r, "items.q2.counts.no", 1);
	/* indicators: own populations */
	EQ(r, "indicators.has_ehr.population", 5);
	EQ(r, "indicators.has_ehr.met", 3);
	NEAR(r, "indicators.has_ehr.share", 0.6);
	EQ(r, "indicators.backs_up.population", 3);
	EQ(r, "indicators.backs_up.met", 1);
	NEAR(r, "indicators.backs_up.share", 1.0 / 3.0);
	EQ(r, "findings.no_backup", 1);
	json_decref(r);
}

static void numbers_choices_repeats(void **state)
{
	json_t *r = run(*state, NULL, 5, NULL);

	/* staff 10, 20, 40, 30 -> sorted 10 20 30 40; R5 none.
	 * type 7: q1 h = 0.75 -> 17.5; median h = 1.5 -> 25; q3 h = 2.25 ->
	 * 32.5; mean 25 */
	EQ(r, "items.staff.population", 5);
	EQ(r, "items.staff.answered", 4);
	EQ(r, "items.staff.numeric.n", 4);
	NEAR(r, "items.staff.numeric.mean", 25.0);
	NEAR(r, "items.staff.numeric.q1", 17.5);
	NEAR(r, "items.staff.numeric.median", 25.0);
	NEAR(r, "items.staff.numeric.q3", 32.5);
	/* q3: R1 edr+siem, R2 edr; R4's empty list is no answer */
	EQ(r, "items.q3.answered", 2);
	EQ(r, "items.q3.not_answered", 3);
	EQ(r, "items.q3.counts.edr", 2);
	EQ(r, "items.q3.counts.siem", 1);
	EQ(r, "items.q3.counts.waf", 0);
	/* devices applies to R1, R2, R3 (rows 2, 1, 0) */
	EQ(r, "items.devices.population", 3);
	EQ(r, "items.devices.answered", 2);
	EQ(r, "items.devices.rows", 3);
	NEAR(r, "items.devices.numeric.mean", 1.0);
	NEAR(r, "items.devices.numeric.median", 1.0);
	/* rows by maker */
	EQ(r, "items.maker.population", 3);
	EQ(r, "items.maker.counts.Fortinet", 2);
	EQ(r, "items.maker.counts.Cisco", 1);
	/* units 2, 1, 1 -> 1 1 2: median 1, q3 h = 1.5 -> 1.5 */
	EQ(r, "items.units.numeric.n", 3);
	NEAR(r, "items.units.numeric.mean", 4.0 / 3.0);
	NEAR(r, "items.units.numeric.median", 1.0);
	NEAR(r, "items.units.numeric.q1", 1.0);
	NEAR(r, "items.units.numeric.q3", 1.5);
	/* top-level free text is never listed by value: none here, and
	 * no "counts" for integer items */
	assert_null(json_object_get(json_object_get(json_object_get(r,
						"items"), "staff"), "counts"));
	json_decref(r);
}

static void cross_tab_prefecture(void **state)
{
	struct analysis_opts o = { .by = "prefecture" };
	json_t *r = run(*state, &o, 5, NULL);
	json_t *g = json_object_get(r, "groups");

	assert_int_equal(json_object_size(g), 3);
	assert_string_equal(json_string_value(json_object_get(r, "by")),
			    "prefecture");
	/* 13: R1, R2 */
	EQ(g, "13.invited", 2);
	EQ(g, "13.submitted", 2);
	EQ(g, "13.items.q2.population", 2);
	EQ(g, "13.indicators.backs_up.met", 1);
	/* 27: R3, R4 and R6 who never answered */
	EQ(g, "27.invited", 3);
	EQ(g, "27.submitted", 2);
	NEAR(g, "27.response_rate", 2.0 / 3.0);
	EQ(g, "27.items.q2.population", 1);
	EQ(g, "27.items.q2.answered", 0);
	EQ(g, "27.items.q2.not_applicable", 1);
	EQ(g, "27.indicators.backs_up.population", 1);
	EQ(g, "27.indicators.backs_up.met", 0);
	/* 01: R5 */
	EQ(g, "01.items.q1.not_answered", 1);
	/* the groups add up to the total */
	EQ(r, "items.q2.population", 3);
	json_decref(r);
}

static void cross_tab_size_bands(void **state)
{
	struct analysis_opts o = { .by = "size_band" };
	json_t *r = run(*state, &o, 5, NULL);
	json_t *g = json_object_get(r, "groups");

	/* default bands 20 100 200 400 500: 50 and 30 -> 20-99, 150 ->
	 * 100-199, 600 -> 500+, 250 -> 200-399, R5 -> unknown */
	EQ(g, "20-99.submitted", 2);
	EQ(g, "100-199.submitted", 1);
	EQ(g, "500+.submitted", 1);
	EQ(g, "200-399.invited", 1);
	EQ(g, "200-399.submitted", 0);
	EQ(g, "unknown.submitted", 1);
	json_decref(r);

	double bands[] = { 100, 500 };
	struct analysis_opts o2 = { .by = "size_band,prefecture",
				    .bands = bands, .nbands = 2 };
	r = run(*state, &o2, 5, NULL);
	g = json_object_get(r, "groups");
	EQ(g, "<100/13.submitted", 1);
	EQ(g, "<100/27.submitted", 1);
	EQ(g, "100-499/13.submitted", 1);
	EQ(g, "100-499/27.invited", 1);
	EQ(g, "500+/27.submitted", 1);
	json_decref(r);

	double bad[] = { 100, 50 };
	struct analysis_opts o3 = { .by = "size_band", .bands = bad,
				    .nbands = 2 };
	struct analysis *a = NULL;
	struct instrument *ins = ((struct fx *)*state)->ins;
	assert_int_equal(analysis_new(ins, &o3, &a, NULL), MAMORI_EINVAL);
	assert_null(a);
}

static void drafts_apart(void **state)
{
	/* R1..R3 submitted, R4 and R5 drafts */
	struct analysis *a = NULL;
	json_t *r = run(*state, NULL, 3, &a);
	size_t inv, sub, dr, pop, met;

	EQ(r, "submitted", 3);
	EQ(r, "drafts", 2);
	EQ(r, "responses", 5);
	NEAR(r, "response_rate", 3.0 / 6.0);
	assert_true(analysis_counts(a, NULL, &inv, &sub, &dr));
	assert_int_equal(inv, 6);
	assert_int_equal(sub, 3);
	assert_int_equal(dr, 2);
	assert_true(analysis_indicator(a, NULL, 1, &pop, &met));
	assert_int_equal(pop, 3);
	assert_int_equal(met, 1);
	assert_false(analysis_indicator(a, "no such group", 1, &pop, &met));
	assert_int_equal(pop, 0);
	/* not an object */
	json_t *arr = json_array();
	assert_int_equal(analysis_add(a, NULL, arr), MAMORI_EINVAL);
	json_decref(arr);
	analysis_free(a);
	json_decref(r);
}

/*
 * A repeatable campaign: an organisation may submit many reports. Fed as
 * the store feeds it (each organisation announced, then its reports):
 *   R1 (13): three submitted reports (answers 1, 2, 3: q1 yes, yes, yes)
 *   R2 (13): a draft (answers 4: q1 no), then a submitted one (5: q1 empty)
 *   R3 (27): nothing
 *   R4 (27): a draft only (answers 4: q1 no)
 * invited 4; organisations with a submitted report 2 (R1, R2), so the
 * rate is 2 / 4 = 0.5, not reports / invited = 4 / 4; reports 4; drafts
 * 2; responses 6. q1 is asked in all 6: yes 3, no 2, not answered 1.
 * By prefecture: 13 has 2 of 2 (rate 1, 4 reports), 27 has 0 of 2 (one
 * draft).
 */
static void repeatable_reports(void **state)
{
	struct fx *f = *state;
	static const struct {
		int org;	/* index into orgs, -1: none */
		int ans;	/* index into answers */
		bool submit;
	} feed[] = {
		{ 0, -1, false }, { -1, 0, true }, { -1, 1, true },
		{ -1, 2, true },
		{ 1, -1, false }, { -1, 3, false }, { -1, 4, true },
		{ 2, -1, false },
		{ 3, -1, false }, { -1, 3, false },
	};
	struct analysis_opts o = { .by = "prefecture" };
	struct analysis *a = NULL;
	json_t *org = NULL, *r = NULL;
	size_t inv, sub, dr;

	assert_int_equal(analysis_new(f->ins, &o, &a, NULL), MAMORI_OK);
	for (size_t i = 0; i < sizeof(feed) / sizeof(feed[0]); i++) {
		if (feed[i].org >= 0) {
			json_decref(org);
			org = parse(orgs[feed[i].org]);
			assert_int_equal(analysis_add_invited(a, org),
					 MAMORI_OK);
			continue;
		}
		json_t *ans = parse(answers[feed[i].ans]);
		assert_int_equal(feed[i].submit ? analysis_add(a, org, ans)
						: analysis_add_draft(a, org, ans),
				 MAMORI_OK);
		json_decref(ans);
	}
	json_decref(org);
	assert_int_equal(analysis_result_json(a, 0, &r), MAMORI_OK);
	EQ(r, "invited", 4);
	EQ(r, "submitted", 2);
	EQ(r, "reports", 4);
	EQ(r, "drafts", 2);
	EQ(r, "responses", 6);
	NEAR(r, "response_rate", 0.5);
	EQ(r, "items.q1.population", 6);
	EQ(r, "items.q1.counts.yes", 3);
	EQ(r, "items.q1.counts.no", 2);
	EQ(r, "items.q1.not_answered", 1);
	EQ(r, "groups.13.invited", 2);
	EQ(r, "groups.13.submitted", 2);
	EQ(r, "groups.13.reports", 4);
	NEAR(r, "groups.13.response_rate", 1.0);
	EQ(r, "groups.27.invited", 2);
	EQ(r, "groups.27.submitted", 0);
	EQ(r, "groups.27.reports", 0);
	EQ(r, "groups.27.drafts", 1);
	NEAR(r, "groups.27.response_rate", 0.0);
	assert_true(analysis_counts(a, NULL, &inv, &sub, &dr));
	assert_int_equal(inv, 4);
	assert_int_equal(sub, 2);
	assert_int_equal(dr, 2);
	json_decref(r);
	analysis_free(a);

	/* submitted responses with no organisation announced: one
	 * respondent each, as before */
	assert_int_equal(analysis_new(f->ins, NULL, &a, NULL), MAMORI_OK);
	for (int i = 0; i < 2; i++) {
		json_t *ans = parse(answers[i]);
		assert_int_equal(analysis_add(a, NULL, ans), MAMORI_OK);
		json_decref(ans);
	}
	assert_int_equal(analysis_result_json(a, 0, &r), MAMORI_OK);
	EQ(r, "submitted", 2);
	EQ(r, "reports", 2);
	json_decref(r);
	analysis_free(a);
}

/* Each indicator carries its polarity (default neutral) beside its
 * counts: one response, q = yes. */
static void indicator_polarity_in_json(void **state)
{
	static const char y[] =
		"id: p\nversion: '1'\ntitle: P\nissuer: X\n"
		"respondent: hospital\nlanguages: [en]\nchoices:\n  yn:\n"
		"    - {value: 'yes', label: 'Yes'}\n"
		"    - {value: 'no', label: 'No'}\n"
		"items:\n  - {id: q, type: select_one yn, label: Q}\n"
		"indicators:\n"
		"  - {id: g, label: G, met: \"${q} = 'yes'\", polarity: good}\n"
		"  - {id: b, label: B, met: \"${q} = 'no'\", polarity: bad}\n"
		"  - {id: n, label: N, met: \"${q} = 'no'\"}\n";
	struct instrument *ins = NULL;
	struct analysis *a = NULL;
	json_t *ans = parse("{\"q\":\"yes\"}"), *r = NULL;
	(void)state;

	assert_int_equal(instrument_load_mem("p.yaml", y, sizeof(y) - 1, &ins,
					     NULL), MAMORI_OK);
	assert_int_equal(analysis_new(ins, NULL, &a, NULL), MAMORI_OK);
	assert_int_equal(analysis_add(a, NULL, ans), MAMORI_OK);
	assert_int_equal(analysis_result_json(a, 0, &r), MAMORI_OK);
	EQ(r, "indicators.g.met", 1);
	EQ(r, "indicators.b.met", 0);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
		json_object_get(r, "indicators"), "g"), "polarity")), "good");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
		json_object_get(r, "indicators"), "b"), "polarity")), "bad");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
		json_object_get(r, "indicators"), "n"), "polarity")),
			    "neutral");
	json_decref(r);
	json_decref(ans);
	analysis_free(a);
	instrument_free(ins);
}

static void deterministic_output(void **state)
{
	struct analysis_opts o = { .by = "prefecture" };
	json_t *a = run(*state, &o, 5, NULL), *b = run(*state, &o, 5, NULL);
	char *sa = json_dumps(a, JSON_SORT_KEYS), *sb = json_dumps(b,
								  JSON_SORT_KEYS);
	assert_string_equal(sa, sb);
	free(sa);
	free(sb);
	json_decref(a);
	json_decref(b);
}

static void trend_comparison(void **state)
{
	struct fx *f = *state;
	json_t *older = run(f, NULL, 5, NULL), *newer = run(f, NULL, 3, NULL);
	json_t *t = NULL;
	struct strbuf err = STRBUF_INIT;

	assert_int_equal(analysis_compare(f->ins, older, f->ins, newer, &t,
					  &err), MAMORI_OK);
	/* backs_up: 1/3 in both (R1..R3 are the submitted ones) ... the
	 * drafts count in responses, so has_ehr stays 3/5 */
	NEAR(t, "indicators.backs_up.before", 1.0 / 3.0);
	NEAR(t, "indicators.has_ehr.after", 0.6);
	NEAR(t, "indicators.has_ehr.change_points", 0.0);
	assert_int_equal(json_array_size(json_object_get(t, "added")), 0);
	json_decref(t);

	/* a later version: q2 gains a choice, q3 is gone, q9 is new */
	size_t len;
	FILE *fp = fopen(TINY, "rb");
	assert_non_null(fp);
	char *buf = calloc(1, 1 << 16);
	len = fread(buf, 1, (1 << 16) - 1, fp);
	fclose(fp);
	struct strbuf y = STRBUF_INIT;
	strbuf_add(&y, buf, len);
	free(buf);
	char *p = strstr(y.buf, "  tools:");
	assert_non_null(p);
	struct strbuf z = STRBUF_INIT;
	strbuf_add(&z, y.buf, (size_t)(p - y.buf));
	strbuf_addstr(&z, "  yn2:\n    - {value: 'yes', label: 'Yes'}\n"
			  "    - {value: 'no', label: 'No'}\n"
			  "    - {value: unknown, label: '?'}\n");
	strbuf_addstr(&z, p);
	strbuf_release(&y);
	/* q2 now uses yn2; q3 renamed q9 */
	char *q2 = strstr(z.buf, "type: select_one yn, relevant");
	assert_non_null(q2);
	memcpy(q2, "type: select_one yn2,relevant", 29);
	char *q3 = strstr(z.buf, "{id: q3,");
	assert_non_null(q3);
	q3[6] = '9';
	struct instrument *ins2 = NULL;
	assert_int_equal(instrument_load_mem("v2", z.buf, z.len, &ins2, &err),
			 MAMORI_OK);
	assert_int_equal(analysis_compare(f->ins, older, ins2, older, &t, &err),
			 MAMORI_OK);
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(t, "changed"), "q2")),
			    "choices");
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(t, "added"), 0)), "q9");
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(t, "removed"), 0)), "q3");
	assert_non_null(json_object_get(json_object_get(t, "items"), "q1"));
	json_decref(t);
	instrument_free(ins2);
	strbuf_release(&z);

	/* another instrument id: no trend */
	struct instrument *other = NULL;
	static const char other_yaml[] =
		"id: other\nversion: '1'\ntitle: x\nissuer: T\n"
		"respondent: hospital\nlanguages: [en]\n"
		"items:\n  - {id: a, type: text, label: A}\n";
	assert_int_equal(instrument_load_mem("o", other_yaml,
					     sizeof(other_yaml) - 1, &other,
					     &err), MAMORI_OK);
	assert_int_equal(analysis_compare(f->ins, older, other, newer, &t,
					  &err), MAMORI_EINVAL);
	assert_non_null(strstr(err.buf, "different instruments"));
	instrument_free(other);
	strbuf_release(&err);
	json_decref(older);
	json_decref(newer);
}

static void text_output_names_denominators(void **state)
{
	struct fx *f = *state;
	json_t *r = run(f, NULL, 5, NULL);
	struct strbuf out = STRBUF_INIT;

	assert_int_equal(analysis_result_text(f->ins, r, LANG_EN, &out),
			 MAMORI_OK);
	assert_non_null(strstr(out.buf, "denominator: 3 responses to which it "
					"applied (2 not applicable), 1 not "
					"answered"));
	assert_non_null(strstr(out.buf, " 33.3 %  1 of 3  Backs up"));
	strbuf_release(&out);
	json_decref(r);
}


/*
 * Evidence-backed answers, q2 the evidence item ("maker" inside the
 * repeat and "nope" are named too, and ignored: only top-level items
 * count). Proposals: R1 q2 yes (answered yes: backed), R2 q2 yes
 * (answered no: not backed), R3 q2 no (not answered: proposed, not
 * backed), R4 q2 yes (q2 not relevant: nothing), R5 none; R1's proposal
 * for q1 is not counted (q1 is not an evidence item). "unknown" counts
 * nowhere (R2 in the second run).
 */
static void evidence_backed(void **state)
{
	struct fx *f = *state;
	static const char *const items[] = { "q2", "maker", "nope", NULL };
	static const char *const props[5] = {
		"{\"q2\":\"yes\",\"q1\":\"yes\"}", "{\"q2\":\"yes\"}",
		"{\"q2\":\"no\"}", "{\"q2\":\"yes\"}", NULL,
	};
	struct analysis_opts o = { .evidence_items = items, .by = "prefecture" };
	struct analysis *a;
	json_t *res;

	for (int round = 0; round < 2; round++) {
		assert_int_equal(analysis_new(f->ins, &o, &a, NULL), MAMORI_OK);
		for (size_t i = 0; i < 5; i++) {
			json_t *org = parse(orgs[i]), *ans = parse(answers[i]);
			json_t *p = props[i] ? parse(round && i == 1
						     ? "{\"q2\":\"unknown\"}"
						     : props[i])
					     : NULL;
			assert_int_equal(analysis_add_invited(a, org), MAMORI_OK);
			assert_int_equal(analysis_add_proposed(a, org, ans, p),
					 MAMORI_OK);
			json_decref(p);
			json_decref(ans);
			json_decref(org);
		}
		assert_int_equal(analysis_result_json(a, 0, &res), MAMORI_OK);
		const json_t *q2 = json_object_get(json_object_get(res, "items"),
						   "q2");
		assert_int_equal(json_integer_value(json_object_get(
					 q2, "evidence_proposed")), round ? 2 : 3);
		assert_int_equal(json_integer_value(json_object_get(
					 q2, "evidence_backed")), 1);
		/* Tokyo: R1 and R2 */
		const json_t *g = json_object_get(json_object_get(json_object_get(
			json_object_get(res, "groups"), "13"), "items"), "q2");
		assert_int_equal(json_integer_value(json_object_get(
					 g, "evidence_proposed")), round ? 1 : 2);
		/* only the evidence items carry the counts */
		assert_null(json_object_get(json_object_get(json_object_get(
			res, "items"), "q1"), "evidence_proposed"));
		assert_null(json_object_get(json_object_get(json_object_get(
			res, "items"), "maker"), "evidence_proposed"));
		json_decref(res);
		analysis_free(a);
	}
	/* without evidence items, no counts at all */
	assert_int_equal(analysis_new(f->ins, NULL, &a, NULL), MAMORI_OK);
	assert_int_equal(analysis_result_json(a, 0, &res), MAMORI_OK);
	assert_null(json_object_get(json_object_get(json_object_get(
		res, "items"), "q2"), "evidence_backed"));
	json_decref(res);
	analysis_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(totals_and_skip_logic),
		cmocka_unit_test(numbers_choices_repeats),
		cmocka_unit_test(cross_tab_prefecture),
		cmocka_unit_test(cross_tab_size_bands),
		cmocka_unit_test(drafts_apart),
		cmocka_unit_test(repeatable_reports),
		cmocka_unit_test(indicator_polarity_in_json),
		cmocka_unit_test(deterministic_output),
		cmocka_unit_test(trend_comparison),
		cmocka_unit_test(evidence_backed),
		cmocka_unit_test(text_output_names_denominators),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
