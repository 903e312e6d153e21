/*
 * test_validate.c - responses against the bundled 2022 hospital survey
 * (complete, no EHR, no VPN, skipped questions answered, failed
 * constraints, wrong types) and against small instruments for repeats,
 * sets, scores, organisation context, fiscal-year dates, date-times and the
 * normalised response.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "instrument/instrument.h"

#define SURVEY SOURCE_ROOT "/instruments/mhlw/hospital-backup-vpn-2022.yaml"
#define DATA SOURCE_ROOT "/tests/data/instrument/hospital-2022/"

struct fixture {
	struct instrument *ins;
	struct validator *v;
};

static int setup_survey(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct strbuf err = STRBUF_INIT;

	if (instrument_load_file(SURVEY, &f->ins, &err)) {
		fprintf(stderr, "%s", err.buf);
		return -1;
	}
	f->v = validator_new(f->ins);
	strbuf_release(&err);
	*state = f;
	return f->v ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	validator_free(f->v);
	instrument_free(f->ins);
	free(f);
	return 0;
}

static json_t *load_json(const char *path)
{
	json_error_t e;
	json_t *j = json_load_file(path, 0, &e);
	if (!j)
		fail_msg("%s: %s", path, e.text);
	return j;
}

static const struct vresult *run(struct fixture *f, json_t *resp,
				 enum lang lang)
{
	const struct vresult *res = NULL;
	struct vopts o = { .lang = lang, .today = "2022-02-01",
			   .normalise = true };
	assert_int_equal(instrument_validate(f->v, resp, &o, &res), MAMORI_OK);
	return res;
}

static const struct vresult *run_file(struct fixture *f, const char *name,
				      enum lang lang)
{
	char path[512];
	snprintf(path, sizeof(path), DATA "%s", name);
	json_t *j = load_json(path);
	const struct vresult *r = run(f, j, lang);
	json_decref(j);
	return r;
}

/* "item:code,item:code" of the errors (or warnings) for comparison. */
static void codes(const struct verror *e, size_t n, char *buf, size_t len)
{
	size_t off = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s:%s",
					i ? "," : "", e[i].item,
					verr_code_name(e[i].code));
}

static bool fired(struct fixture *f, const struct vresult *r, const char *id)
{
	for (size_t i = 0; i < f->ins->nfindings; i++)
		if (!strcmp(f->ins->findings[i].id, id))
			return r->fired[i];
	fail_msg("no finding %s", id);
	return false;
}

static int indicator(struct fixture *f, const struct vresult *r,
		     const char *id)
{
	for (size_t i = 0; i < f->ins->nindicators; i++)
		if (!strcmp(f->ins->indicators[i].id, id))
			return r->in_population[i] ? (r->met[i] ? 1 : 0) : -1;
	fail_msg("no indicator %s", id);
	return -2;
}

static const struct vresult *run_str(struct fixture *f, const char *js,
				     const struct vopts *o);

static void complete_hospital(void **state)
{
	struct fixture *f = *state;
	const struct vresult *r = run_file(f, "complete.json", LANG_EN);
	char buf[1024];

	codes(r->errors, r->nerrors, buf, sizeof(buf));
	assert_string_equal(buf, "");
	assert_true(r->valid);
	assert_int_equal(r->nwarnings, 0);
	assert_int_equal(r->answered, r->applicable);
	/* two VPN devices: the calculation sums their units */
	json_t *n = r->normalised;
	assert_int_equal(json_integer_value(json_object_get(n, "vpn_units_total")), 3);
	assert_int_equal(json_array_size(json_object_get(n, "q11_vpn_devices")), 2);
	json_t *row = json_array_get(json_object_get(n, "q11_vpn_devices"), 0);
	assert_int_equal(json_integer_value(json_object_get(row, "units")), 1);
	assert_string_equal(json_string_value(json_object_get(row, "firmware")),
			    "FortiOS 6.0.4");
	/* findings as the answers imply */
	assert_true(fired(f, r, "vpn_update_unknown"));
	assert_true(fired(f, r, "vpn_logs_unreviewed"));
	assert_true(fired(f, r, "backups_online_only"));
	assert_false(fired(f, r, "vpn_not_updated"));
	assert_false(fired(f, r, "ehr_no_backup"));
	/* indicators with their populations */
	assert_int_equal(indicator(f, r, "ehr_in_use"), 1);
	assert_int_equal(indicator(f, r, "keeps_generations"), 1);
	assert_int_equal(indicator(f, r, "backups_not_isolated"), 1);
	assert_int_equal(indicator(f, r, "vpn_log_not_reviewed"), 1);
	json_decref(r->normalised);
}

static void hospital_without_ehr(void **state)
{
	struct fixture *f = *state;
	const struct vresult *r = run_file(f, "no-ehr.json", LANG_EN);
	const struct item *q6 = instrument_find(f->ins, "q6_backup", 9);
	const struct item *q12 = instrument_find(f->ins, "q12_vpn_updated", 15);

	assert_true(r->valid);
	assert_int_equal(r->nwarnings, 0);
	assert_false(validator_relevant(f->v, q6->index, 0));
	assert_true(validator_relevant(f->v, q12->index, 0));
	/* outside the population of the backup indicators */
	assert_int_equal(indicator(f, r, "ehr_in_use"), 0);
	assert_int_equal(indicator(f, r, "keeps_generations"), -1);
	assert_int_equal(indicator(f, r, "makes_backups"), -1);
	assert_false(fired(f, r, "ehr_no_backup"));
	assert_null(json_object_get(r->normalised, "q6_backup"));
	json_decref(r->normalised);
}

static void hospital_without_vpn(void **state)
{
	struct fixture *f = *state;
	const struct vresult *r = run_file(f, "no-vpn.json", LANG_EN);
	const struct item *rep = instrument_find(f->ins, "q11_vpn_devices", 15);

	assert_true(r->valid);
	assert_int_equal(validator_rows(f->v, rep->index), 0);
	assert_int_equal(indicator(f, r, "vpn_log_not_reviewed"), -1);
	assert_int_equal(indicator(f, r, "vpn_present"), 0);
	assert_false(fired(f, r, "vpn_not_updated"));
	assert_null(json_object_get(r->normalised, "vpn_units_total"));
	json_decref(r->normalised);
}

static void skipped_questions_answered(void **state)
{
	struct fixture *f = *state;
	const struct vresult *r = run_file(f, "answers-skipped.json", LANG_EN);
	char buf[1024];

	assert_true(r->valid);	/* warnings do not invalidate */
	codes(r->warnings, r->nwarnings, buf, sizeof(buf));
	assert_string_equal(buf,
			    "q6_backup:not_relevant,q7_generations:not_relevant,"
			    "q8_isolated_storage:not_relevant,q9_leak_protection:not_relevant");
	for (const char *const *k = (const char *const[]){ "q6_backup",
			"q7_generations", "q8_isolated_storage",
			"q9_leak_protection", NULL }; *k; k++)
		assert_null(json_object_get(r->normalised, *k));
	json_decref(r->normalised);
}

static void failed_constraints(void **state)
{
	struct fixture *f = *state;
	const struct vresult *r = run_file(f, "bad-constraint.json", LANG_JA);
	char buf[1024];

	assert_false(r->valid);
	codes(r->errors, r->nerrors, buf, sizeof(buf));
	assert_string_equal(buf, "respondent_email:constraint,"
				 "q11_vpn_devices[2].units:constraint");
	/* the instrument's own message, in the language asked for */
	assert_non_null(strstr(r->errors[1].message, "台数"));
	json_decref(r->normalised);
	r = run_file(f, "bad-constraint.json", LANG_EN);
	assert_non_null(strstr(r->errors[1].message, "units"));
	json_decref(r->normalised);
}

static void missing_required(void **state)
{
	struct fixture *f = *state;
	const struct vresult *r = run_file(f, "missing-required.json", LANG_EN);

	assert_false(r->valid);
	assert_int_equal(r->nerrors, 1);
	assert_string_equal(r->errors[0].item, "q7_generations");
	assert_int_equal(r->errors[0].code, VERR_REQUIRED);
	assert_string_equal(r->errors[0].message, "an answer is required");
	assert_true(r->answered + 1 == r->applicable);
	json_decref(r->normalised);
}

static void wrong_types(void **state)
{
	struct fixture *f = *state;
	const struct vresult *r = run_file(f, "wrong-types.json", LANG_EN);
	char buf[1024];

	assert_false(r->valid);
	codes(r->errors, r->nerrors, buf, sizeof(buf));
	assert_string_equal(buf, "q11_vpn_devices[1].units:wrong_type,"
				 "q12_vpn_updated:not_in_list,"
				 "q15_comments:unknown_item");
	json_decref(r->normalised);
}

static void validator_is_reusable(void **state)
{
	struct fixture *f = *state;
	/* a bad response, then a good one: nothing carries over */
	const struct vresult *r = run_file(f, "wrong-types.json", LANG_EN);
	json_decref(r->normalised);
	r = run_file(f, "complete.json", LANG_EN);
	assert_true(r->valid);
	assert_int_equal(r->nerrors, 0);
	json_decref(r->normalised);
	r = run_file(f, "no-ehr.json", LANG_EN);
	assert_true(r->valid);
	assert_false(fired(f, r, "backups_online_only"));
	json_decref(r->normalised);
}

static void not_an_object(void **state)
{
	struct fixture *f = *state;
	const struct vresult *r;
	json_t *a = json_array();
	assert_int_equal(instrument_validate(f->v, a, NULL, &r), MAMORI_EINVAL);
	json_decref(a);
}

/* ---- small instruments ---------------------------------------------- */

static struct fixture *small(const char *yaml)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct strbuf err = STRBUF_INIT;
	if (instrument_load_mem("small.yaml", yaml, strlen(yaml), &f->ins, &err))
		fail_msg("%s", err.buf);
	strbuf_release(&err);
	f->v = validator_new(f->ins);
	return f;
}

static const struct vresult *run_str(struct fixture *f, const char *js,
				     const struct vopts *o)
{
	json_error_t e;
	json_t *j = json_loads(js, 0, &e);
	const struct vresult *r;
	if (!j)
		fail_msg("%s", e.text);
	assert_int_equal(instrument_validate(f->v, j, o, &r), MAMORI_OK);
	json_decref(j);
	return r;
}

#define SMALL_HEAD "id: s\nversion: '1'\ntitle: S\nissuer: X\nrespondent: any\nlanguages: [en]\n"

static void repeats_and_sets(void **state)
{
	struct fixture *f = small(SMALL_HEAD
		"items:\n"
		"  - {id: has, type: select_one yn, label: Has?}\n"
		"  - id: dev\n"
		"    type: repeat\n"
		"    label: Devices\n"
		"    relevant: \"${has} = 'y'\"\n"
		"    min_rows: 1\n"
		"    max_rows: 3\n"
		"    items:\n"
		"      - {id: n, type: integer, label: N, required: true, constraint: \". > 0\", constraint_message: 'positive'}\n"
		"      - {id: big, type: calculate, calculate: \"${n} * 10\"}\n"
		"      - {id: why, type: text, label: Why, relevant: \"${n} > 5\"}\n"
		"  - {id: total, type: calculate, calculate: \"sum(${n})\"}\n"
		"  - {id: rows, type: calculate, calculate: \"count(${dev})\"}\n"
		"  - {id: many, type: text, label: Many, relevant: \"count(${dev}) > 1\", required: true}\n"
		"choices:\n  yn: [{value: y, label: Y}, {value: n, label: N}]\n");
	struct vopts o = { .lang = LANG_EN, .normalise = true };
	const struct vresult *r;
	char buf[1024];
	(void)state;

	r = run_str(f, "{\"has\": \"y\", \"dev\": [{\"n\": 2}, {\"n\": \"7\", \"why\": \"spare\"}, {\"n\": 1, \"why\": \"x\"}], \"many\": \"ok\"}", &o);
	codes(r->warnings, r->nwarnings, buf, sizeof(buf));
	assert_string_equal(buf, "dev[3].why:not_relevant");
	assert_true(r->valid);
	assert_int_equal(json_integer_value(json_object_get(r->normalised, "total")), 10);
	assert_int_equal(json_integer_value(json_object_get(r->normalised, "rows")), 3);
	json_t *row2 = json_array_get(json_object_get(r->normalised, "dev"), 1);
	assert_int_equal(json_integer_value(json_object_get(row2, "big")), 70);
	assert_string_equal(json_string_value(json_object_get(row2, "why")), "spare");
	json_decref(r->normalised);

	/* too few rows; required within a row; constraint in a row */
	r = run_str(f, "{\"has\": \"y\", \"dev\": []}", &o);
	codes(r->errors, r->nerrors, buf, sizeof(buf));
	assert_string_equal(buf, "dev:rows");
	json_decref(r->normalised);
	r = run_str(f, "{\"has\": \"y\", \"dev\": [{}, {\"n\": 0}, {\"n\": 1}, {\"n\": 1}]}", &o);
	codes(r->errors, r->nerrors, buf, sizeof(buf));
	assert_string_equal(buf, "dev:rows,dev[1].n:required,dev[2].n:constraint,many:required");
	assert_string_equal(r->errors[2].message, "positive");
	json_decref(r->normalised);

	/* the repeat does not apply: its rows are one warning */
	r = run_str(f, "{\"has\": \"n\", \"dev\": [{\"n\": 3}]}", &o);
	assert_true(r->valid);
	codes(r->warnings, r->nwarnings, buf, sizeof(buf));
	assert_string_equal(buf, "dev:not_relevant");
	assert_null(json_object_get(r->normalised, "dev"));
	assert_int_equal(json_integer_value(json_object_get(r->normalised, "total")), 0);
	json_decref(r->normalised);

	/* a row that is not an object, a key from outside the repeat */
	r = run_str(f, "{\"has\": \"y\", \"dev\": [5, {\"has\": \"y\", \"n\": 1}]}", &o);
	codes(r->errors, r->nerrors, buf, sizeof(buf));
	assert_string_equal(buf, "dev[1]:wrong_type,dev[2].has:unknown_item,many:required");
	json_decref(r->normalised);
	teardown((void **)&f);
}

static void types_and_choices(void **state)
{
	struct fixture *f = small(SMALL_HEAD
		"choices:\n  c: [{value: a, label: A}, {value: b, label: B}, {value: '3', label: Three}]\n"
		"items:\n"
		"  - {id: i, type: integer, label: I}\n"
		"  - {id: d, type: decimal, label: D}\n"
		"  - {id: t, type: date, label: T}\n"
		"  - {id: s, type: select_one c, label: S}\n"
		"  - {id: m, type: select_multiple c, label: M}\n"
		"  - {id: x, type: text, label: X}\n"
		"  - {id: note1, type: note, label: Note}\n");
	struct vopts o = { .lang = LANG_EN, .normalise = true };
	const struct vresult *r;
	char buf[1024];
	(void)state;

	r = run_str(f, "{\"i\": \"-12\", \"d\": \"2.50\", \"t\": \"2024-02-29\", \"s\": 3, "
		       "\"m\": [\"b\", \"a\"], \"x\": \"free\"}", &o);
	assert_true(r->valid);
	assert_int_equal(json_integer_value(json_object_get(r->normalised, "i")), -12);
	assert_true(json_real_value(json_object_get(r->normalised, "d")) == 2.5);
	assert_string_equal(json_string_value(json_object_get(r->normalised, "s")), "3");
	assert_int_equal(json_array_size(json_object_get(r->normalised, "m")), 2);
	json_decref(r->normalised);

	r = run_str(f, "{\"i\": 1.5, \"d\": \"x\", \"t\": \"2023-02-29\", \"s\": \"z\", "
		       "\"m\": [\"a\", \"a\"], \"x\": 5, \"note1\": \"hi\"}", &o);
	codes(r->errors, r->nerrors, buf, sizeof(buf));
	assert_string_equal(buf, "i:wrong_type,d:wrong_type,t:wrong_type,s:not_in_list,"
				 "m:not_in_list,x:wrong_type,note1:read_only");
	json_decref(r->normalised);

	/* space-separated select_multiple, null and empty as unanswered */
	r = run_str(f, "{\"m\": \"a  b\", \"i\": null, \"x\": \"\", \"s\": \"\"}", &o);
	assert_true(r->valid);
	assert_null(json_object_get(r->normalised, "i"));
	assert_null(json_object_get(r->normalised, "x"));
	assert_string_equal(json_string_value(json_array_get(
		json_object_get(r->normalised, "m"), 1)), "b");
	json_decref(r->normalised);
	teardown((void **)&f);
}

static void datetimes(void **state)
{
	struct fixture *f = small(SMALL_HEAD
		"items:\n"
		"  - {id: a, type: datetime, label: A}\n"
		"  - {id: b, type: datetime, label: B,\n"
		"     constraint: \". >= ${a}\", constraint_message: 'not before a'}\n");
	struct vopts o = { .lang = LANG_EN, .normalise = true };
	const struct vresult *r;
	char buf[512];
	static const char *const good[] = {
		"2024-02-29T23:59", "2026-04-01T09:30:15", "2026-04-01T00:00Z",
		"2026-04-01T09:30+09:00", "2026-04-01T09:30:00-05:30",
	};
	static const char *const bad[] = {
		"2026-13-01T09:30",	/* month 13 */
		"2023-02-29T09:30",	/* no 29 February in 2023 */
		"2026-04-01T24:00",	/* hour 24 */
		"2026-04-01T09:60",	/* minute 60 */
		"2026-04-01T09:30:61", "2026-04-01 09:30", "2026-04-01",
		"2026-04-01T09:30+9:00", "2026-04-01T09:30+24:00",
		"2026-04-01T09:30Z1", "2026-04-01T9:30",
	};
	char js[128];
	(void)state;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(js, sizeof(js), "{\"a\": \"%s\"}", good[i]);
		r = run_str(f, js, &o);
		if (!r->valid)
			fail_msg("%s refused", good[i]);
		assert_string_equal(json_string_value(
			json_object_get(r->normalised, "a")), good[i]);
		json_decref(r->normalised);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(js, sizeof(js), "{\"a\": \"%s\"}", bad[i]);
		r = run_str(f, js, &o);
		codes(r->errors, r->nerrors, buf, sizeof(buf));
		if (strcmp(buf, "a:wrong_type"))
			fail_msg("%s: got '%s'", bad[i], buf);
		assert_non_null(strstr(r->errors[0].message, "YYYY-MM-DDTHH:MM"));
		json_decref(r->normalised);
	}
	/* not a string */
	r = run_str(f, "{\"a\": 202604010930}", &o);
	codes(r->errors, r->nerrors, buf, sizeof(buf));
	assert_string_equal(buf, "a:wrong_type");
	json_decref(r->normalised);

	/* date-times in one zone compare in time order */
	r = run_str(f, "{\"a\": \"2026-04-01T09:30\", \"b\": \"2026-04-01T10:05\"}", &o);
	assert_true(r->valid);
	json_decref(r->normalised);
	r = run_str(f, "{\"a\": \"2026-04-01T09:30\", \"b\": \"2026-04-01T09:29:59\"}", &o);
	codes(r->errors, r->nerrors, buf, sizeof(buf));
	assert_string_equal(buf, "b:constraint");
	json_decref(r->normalised);
	teardown((void **)&f);
}

static void scores(void **state)
{
	struct fixture *f = small(SMALL_HEAD
		"score: mean\n"
		"choices:\n  lvl: [{value: l0, label: '0', score: 0}, {value: l1, label: '1', score: 1},"
		" {value: l2, label: '2', score: 2}, {value: na, label: n/a}]\n"
		"items:\n"
		"  - id: gov\n    type: group\n    label: Governance\n    score: mean\n    items:\n"
		"      - {id: g1, type: select_one lvl, label: G1}\n"
		"      - {id: g2, type: select_one lvl, label: G2, weight: 3}\n"
		"  - id: pro\n    type: group\n    label: Protect\n    score: sum\n    weight: 2\n    items:\n"
		"      - {id: p1, type: select_one lvl, label: P1}\n"
		"      - {id: p2, type: select_multiple lvl, label: P2}\n"
		"  - id: empty\n    type: group\n    label: Unanswered\n    score: sum\n    items:\n"
		"      - {id: e1, type: select_one lvl, label: E1}\n");
	struct vopts o = { .lang = LANG_EN };
	const struct vresult *r;
	(void)state;

	r = run_str(f, "{\"g1\": \"l0\", \"g2\": \"l2\", \"p1\": \"l1\", \"p2\": [\"l1\", \"l2\"]}", &o);
	const struct item *gov = instrument_find(f->ins, "gov", 3);
	const struct item *pro = instrument_find(f->ins, "pro", 3);
	const struct item *emp = instrument_find(f->ins, "empty", 5);
	/* gov: (1*0 + 3*2) / 4 = 1.5; pro: 1 + (1+2) = 4; overall: (1*1.5 + 2*4)/3 */
	assert_true(fabs(r->scores[gov->index] - 1.5) < 1e-9);
	assert_true(fabs(r->scores[pro->index] - 4) < 1e-9);
	assert_true(isnan(r->scores[emp->index]));
	assert_true(fabs(r->overall_score - 9.5 / 3) < 1e-9);
	/* a choice without a score does not count */
	r = run_str(f, "{\"g1\": \"na\", \"g2\": \"l1\"}", &o);
	assert_true(fabs(r->scores[gov->index] - 1) < 1e-9);
	assert_true(isnan(r->scores[pro->index]));
	assert_true(fabs(r->overall_score - 1) < 1e-9);
	teardown((void **)&f);
}

static void organisation_and_fiscal_year(void **state)
{
	struct fixture *f = small(SMALL_HEAD
		"choices:\n  yn: [{value: 'yes', label: 'Yes'}, {value: 'no', label: 'No'}]\n"
		"items:\n"
		"  - {id: mfa, type: select_one yn, label: MFA, relevant: \"${org.kind} = 'shinkin' or ${org.assets} > 1000\"}\n"
		"  - {id: ok, type: select_one yn, label: OK, required: true}\n"
		"  - {id: target, type: date, label: Target, required: \"${ok} = 'no'\",\n"
		"     constraint: \". >= today() and . <= fiscal-year-end(today())\",\n"
		"     constraint_message: 'within this fiscal year'}\n"
		"  - {id: camp, type: text, label: C, relevant: \"${campaign.id} = 'c1'\"}\n");
	json_t *shinkin = json_pack("{s:s}", "kind", "shinkin");
	json_t *bank = json_pack("{s:s, s:i}", "kind", "bank", "assets", 50);
	json_t *c1 = json_pack("{s:s}", "id", "c1");
	struct vopts o = { .lang = LANG_EN, .org = shinkin, .campaign = c1,
			   .today = "2025-06-01" };
	const struct vresult *r;
	char buf[1024];
	(void)state;

	r = run_str(f, "{\"mfa\": \"yes\", \"ok\": \"no\", \"target\": \"2026-03-31\", \"camp\": \"x\"}", &o);
	assert_true(r->valid);
	r = run_str(f, "{\"mfa\": \"yes\", \"ok\": \"no\", \"target\": \"2026-04-01\"}", &o);
	codes(r->errors, r->nerrors, buf, sizeof(buf));
	assert_string_equal(buf, "target:constraint");
	assert_string_equal(r->errors[0].message, "within this fiscal year");
	r = run_str(f, "{\"ok\": \"no\"}", &o);
	codes(r->errors, r->nerrors, buf, sizeof(buf));
	assert_string_equal(buf, "target:required");
	o.org = bank;
	o.campaign = NULL;
	r = run_str(f, "{\"mfa\": \"yes\", \"ok\": \"yes\", \"camp\": \"x\"}", &o);
	codes(r->warnings, r->nwarnings, buf, sizeof(buf));
	assert_string_equal(buf, "mfa:not_relevant,camp:not_relevant");
	json_decref(shinkin);
	json_decref(bank);
	json_decref(c1);
	teardown((void **)&f);
}

static void evaluation_errors_are_reported(void **state)
{
	struct fixture *f = small(SMALL_HEAD
		"items:\n"
		"  - {id: a, type: integer, label: A}\n"
		"  - {id: b, type: integer, label: B, constraint: \"${a} div . > 1\"}\n"
		"  - {id: c, type: calculate, calculate: \"10 div ${a}\"}\n");
	struct vopts o = { .lang = LANG_EN };
	const struct vresult *r;
	char buf[1024];
	(void)state;

	r = run_str(f, "{\"a\": 0, \"b\": 0}", &o);
	codes(r->errors, r->nerrors, buf, sizeof(buf));
	assert_string_equal(buf, "c:eval,b:eval");
	assert_string_equal(r->errors[0].message,
			    "cannot evaluate '10 div ${a}': division by zero");
	teardown((void **)&f);
}

static void empty_repeat_on_a_fresh_validator(void **state)
{
	struct fixture *f = *state;
	const struct vresult *r;
	char buf[256];
	/* the repeat's cells have never been allocated yet */
	r = run_str(f, "{\"q10_vpn\": \"yes\", \"q11_vpn_devices\": []}", NULL);
	codes(r->errors, r->nerrors, buf, sizeof(buf));
	assert_non_null(strstr(buf, "q11_vpn_devices:rows"));
}

static void japanese_messages(void **state)
{
	struct fixture *f = *state;
	const struct vresult *r = run_file(f, "missing-required.json", LANG_JA);
	assert_string_equal(r->errors[0].message, "回答が必要です");
	json_decref(r->normalised);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(complete_hospital, setup_survey, teardown),
		cmocka_unit_test_setup_teardown(hospital_without_ehr, setup_survey, teardown),
		cmocka_unit_test_setup_teardown(hospital_without_vpn, setup_survey, teardown),
		cmocka_unit_test_setup_teardown(skipped_questions_answered, setup_survey, teardown),
		cmocka_unit_test_setup_teardown(failed_constraints, setup_survey, teardown),
		cmocka_unit_test_setup_teardown(missing_required, setup_survey, teardown),
		cmocka_unit_test_setup_teardown(wrong_types, setup_survey, teardown),
		cmocka_unit_test_setup_teardown(validator_is_reusable, setup_survey, teardown),
		cmocka_unit_test_setup_teardown(not_an_object, setup_survey, teardown),
		cmocka_unit_test_setup_teardown(japanese_messages, setup_survey, teardown),
		cmocka_unit_test_setup_teardown(empty_repeat_on_a_fresh_validator, setup_survey, teardown),
		cmocka_unit_test(repeats_and_sets),
		cmocka_unit_test(types_and_choices),
		cmocka_unit_test(datetimes),
		cmocka_unit_test(scores),
		cmocka_unit_test(organisation_and_fiscal_year),
		cmocka_unit_test(evaluation_errors_are_reported),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
