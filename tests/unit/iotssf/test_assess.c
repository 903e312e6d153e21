/*
 * test_assess.c - threat and requirement derivation, residual positions,
 * gap ranking and the exit rule on small models whose expected results
 * were worked out by hand from data/iot-ssf/rule.yaml and threats.yaml;
 * and the three renderings (JSON parses, HTML escapes every text).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <jansson.h>

#include "helpers.h"

static const char base[] =
	"id: small\ntitle: Small\n"
	"stakeholders:\n"
	"  - {id: op, name: Op, role: applying-party, target: c2}\n"
	"  - {id: mk, name: Maker, role: manufacturer, target: c3}\n"
	"devices:\n"
	"  - {id: plc, name: PLC, class: controller, connects: [sw]}\n"
	"  - {id: sw, name: Switch, class: network-device}\n"
	"  - {id: hmi, name: HMI, class: terminal, threats: [malware, misuse]}\n"
	"incidents:\n"
	"  - id: stop\n    what: Line stops\n    devices: [plc, sw]\n"
	"    threats: [denial-of-service, unauthorized-access]\n"
	"    ratings:\n"
	"      - {stakeholder: op, axis1: 2, axis2: 2}\n"
	"      - {stakeholder: mk, axis1: 1, axis2: 2}\n"
	"  - id: leak\n    what: Recipe leaks\n    devices: [hmi]\n"
	"    threats: [information-leak]\n"
	"    ratings: [{stakeholder: op, axis1: 1, axis2: 1}]\n";

struct fx {
	struct iot_catalog cat;
	struct iot_model m;
	struct iot_assessment a;
	struct strbuf text;
};

static void run(struct fx *f, const char *yaml)
{
	struct strbuf err = STRBUF_INIT;

	load_catalog(&f->cat);
	if (parse_model(&f->m, &f->cat, yaml, &err) != MAMORI_OK)
		fail_msg("model: %s", err.buf);
	assert_int_equal(iot_assess(&f->a, &f->m), MAMORI_OK);
	strbuf_release(&err);
	strbuf_init(&f->text, 0);
}

static void done(struct fx *f)
{
	strbuf_release(&f->text);
	iot_assessment_release(&f->a);
	iot_model_release(&f->m);
	iot_catalog_release(&f->cat);
}

static bool typical(struct fx *f, const char *dev, const char *threat)
{
	return iot_cell_at(&f->a, dev_index(&f->m, dev),
			   iot_catalog_find_threat(&f->cat, threat))->typical;
}

static bool principal(struct fx *f, const char *dev, const char *threat)
{
	return iot_cell_at(&f->a, dev_index(&f->m, dev),
			   iot_catalog_find_threat(&f->cat, threat))->principal;
}

static const struct iot_reqstate *req(struct fx *f, const char *id)
{
	size_t r = iot_catalog_find_requirement(&f->cat, id);
	assert_int_not_equal(r, IOT_NONE);
	return &f->a.reqs[r];
}

static void positions_and_threats(void **state)
{
	struct fx f;
	(void)state;
	run(&f, base);
	/* stop/op (2,2) = c3 > c2; stop/mk (1,2) = c2 <= c3; leak/op c1. */
	const struct iot_position *p = position(&f.a, "stop", "op");
	assert_string_equal(cat_name(&f.cat, p->category), "c3");
	assert_true(p->above);
	assert_true(p->eff_above);
	assert_int_equal(p->state, IOT_RES_NONE);
	p = position(&f.a, "stop", "mk");
	assert_string_equal(cat_name(&f.cat, p->category), "c2");
	assert_false(p->above);
	p = position(&f.a, "leak", "op");
	assert_string_equal(cat_name(&f.cat, p->category), "c1");
	assert_false(p->above);
	assert_string_equal(cat_name(&f.cat, f.a.system_category), "c3");
	assert_string_equal(cat_name(&f.cat, f.a.stake_category[stake_index(&f.m, "mk")]), "c2");
	assert_int_equal(f.a.above_inherent, 1);

	/* Controller class: six typical threats, no information leak. */
	static const char *const plc_typ[] = { "unauthorized-access",
		"denial-of-service", "malware", "misuse", "misconfiguration",
		"data-tampering" };
	for (size_t i = 0; i < 6; i++)
		assert_true(typical(&f, "plc", plc_typ[i]));
	assert_false(typical(&f, "plc", "information-leak"));
	/* Principal: the threats of the above-target incident on its devices. */
	assert_true(principal(&f, "plc", "denial-of-service"));
	assert_true(principal(&f, "plc", "unauthorized-access"));
	assert_false(principal(&f, "plc", "malware"));
	assert_true(principal(&f, "sw", "denial-of-service"));
	assert_false(typical(&f, "sw", "misuse"));
	/* The model's own list replaces the class's. */
	assert_true(typical(&f, "hmi", "malware"));
	assert_true(typical(&f, "hmi", "misuse"));
	assert_false(typical(&f, "hmi", "unauthorized-access"));
	/* The leak is within target: not principal. */
	assert_false(principal(&f, "hmi", "information-leak"));
	done(&f);
}

static void requirements_without_decisions(void **state)
{
	struct fx f;
	(void)state;
	run(&f, base);
	/* c3: p1 (24) and p2 (14) required, p3 recommended, p4 optional. */
	assert_int_equal(req(&f, "p1-org-01")->strength, IOT_STRENGTH_REQUIRED);
	assert_int_equal(req(&f, "p2-proc-04")->strength, IOT_STRENGTH_REQUIRED);
	assert_int_equal(req(&f, "p3-org-01")->strength, IOT_STRENGTH_RECOMMENDED);
	assert_int_equal(req(&f, "p4-org-01")->strength, IOT_STRENGTH_OPTIONAL);
	assert_int_equal(req(&f, "p1-sys-12")->status, IOT_STATUS_MISSING);
	assert_int_equal(f.a.required_open, 38);
	assert_int_equal(f.a.ngaps, 39);
	assert_int_equal(f.a.gaps[0].kind, IOT_GAP_INCIDENT);
	assert_int_equal(f.a.gaps[1].kind, IOT_GAP_REQUIREMENT);
	assert_string_equal(f.cat.requirements[f.a.gaps[1].index].id, "p1-org-01");
	assert_int_equal(iot_assessment_exit(&f.a), 1);
	done(&f);
}

static const char decisions_planned[] =
	"decisions:\n"
	"  - incident: stop\n    stakeholder: op\n    treatment: reduce\n"
	"    measures:\n"
	"      - {requirement: p1-sys-12, measure: Separate, status: implemented}\n"
	"      - {requirement: p1-sys-10, measure: Redundant PLC, status: planned}\n"
	"    residual: {axis1: 1, axis2: 2}\n"
	"  - incident: stop\n    stakeholder: mk\n    treatment: accept\n"
	"    rationale: Within target\n"
	"  - incident: leak\n    treatment: transfer\n"
	"    measures:\n"
	"      - {requirement: p4-org-01, measure: Insurance, status: implemented}\n"
	"    residual: {axis1: 1, axis2: 1}\n";

static void decisions_and_residuals(void **state)
{
	struct fx f;
	struct strbuf y = STRBUF_INIT;
	(void)state;
	strbuf_addstr(&y, base);
	strbuf_addstr(&y, decisions_planned);
	run(&f, y.buf);
	const struct iot_position *p = position(&f.a, "stop", "op");
	/* One measure still planned: the stated residual is not reached. */
	assert_int_equal(p->state, IOT_RES_PENDING);
	assert_string_equal(cat_name(&f.cat, p->eff_category), "c3");
	assert_true(p->eff_above);
	p = position(&f.a, "leak", "op");
	assert_int_equal(p->state, IOT_RES_ACHIEVED);
	assert_int_equal(position(&f.a, "stop", "mk")->decision->treatment,
			 IOT_TREAT_ACCEPT);
	assert_int_equal(req(&f, "p1-sys-12")->status, IOT_STATUS_IMPLEMENTED);
	assert_int_equal(req(&f, "p1-sys-10")->status, IOT_STATUS_PLANNED);
	assert_true(req(&f, "p1-sys-10")->for_above);
	assert_int_equal(req(&f, "p4-org-01")->status, IOT_STATUS_IMPLEMENTED);
	/* 38 required, p1-sys-12 implemented: 37 open; plus the incident. */
	assert_int_equal(f.a.required_open, 37);
	assert_int_equal(f.a.ngaps, 38);
	assert_int_equal(f.a.gaps[0].kind, IOT_GAP_INCIDENT);
	/* Chosen against an above-target incident ranks first. */
	assert_string_equal(f.cat.requirements[f.a.gaps[1].index].id, "p1-sys-10");
	assert_string_equal(f.cat.requirements[f.a.gaps[2].index].id, "p1-org-01");
	done(&f);

	/* Once the redundant PLC is in place, (1,2) = c2 is within c2. */
	strbuf_reset(&y);
	strbuf_addstr(&y, base);
	strbuf_addstr(&y, decisions_planned);
	char *pl = strstr(y.buf, "status: planned");
	assert_non_null(pl);
	memcpy(pl, "status: missing", 15);	/* same length first */
	run(&f, y.buf);
	assert_int_equal(req(&f, "p1-sys-10")->status, IOT_STATUS_MISSING);
	done(&f);
	strbuf_reset(&y);
	strbuf_addstr(&y, base);
	strbuf_addstr(&y, "decisions:\n"
		"  - incident: stop\n    stakeholder: op\n    treatment: reduce\n"
		"    measures:\n"
		"      - {requirement: p1-sys-12, measure: Separate, status: implemented}\n"
		"      - {requirement: p1-sys-10, measure: Redundant PLC, status: implemented}\n"
		"    residual: {axis1: 1, axis2: 2}\n");
	run(&f, y.buf);
	p = position(&f.a, "stop", "op");
	assert_int_equal(p->state, IOT_RES_ACHIEVED);
	assert_string_equal(cat_name(&f.cat, p->eff_category), "c2");
	assert_false(p->eff_above);
	assert_int_equal(f.a.above_after, 0);
	assert_int_equal(f.a.required_open, 36);
	assert_int_equal(f.a.gaps[0].kind, IOT_GAP_REQUIREMENT);
	assert_int_equal(iot_assessment_exit(&f.a), 1);
	done(&f);
	strbuf_release(&y);
}

static const char tiny[] =
	"id: tiny\ntitle: Tiny\n"
	"stakeholders:\n  - {id: op, name: Op, role: user, target: c1}\n"
	"devices:\n  - {id: s, name: Sensor, class: field-device}\n"
	"incidents:\n  - id: i\n    what: Wrong reading\n    devices: [s]\n"
	"    threats: [data-tampering]\n"
	"    ratings: [{stakeholder: op, axis1: 1, axis2: 1}]\n";

static void exit_rule(void **state)
{
	struct fx f;
	struct strbuf y = STRBUF_INIT;
	(void)state;
	/* c1 within c1, but p1-sys-19 is required at c1 and missing. */
	run(&f, tiny);
	assert_int_equal(f.a.above_after, 0);
	assert_int_equal(f.a.required_open, 1);
	assert_string_equal(f.cat.requirements[f.a.gaps[0].index].id, "p1-sys-19");
	assert_int_equal(iot_assessment_exit(&f.a), 1);
	done(&f);
	strbuf_addstr(&y, tiny);
	strbuf_addstr(&y, "decisions:\n  - incident: i\n    treatment: reduce\n"
		      "    measures: [{requirement: p1-sys-19, measure: No default "
		      "password, status: implemented}]\n");
	run(&f, y.buf);
	assert_int_equal(f.a.ngaps, 0);
	assert_int_equal(iot_assessment_exit(&f.a), 0);
	done(&f);
	strbuf_release(&y);
}

static void avoid_eliminates(void **state)
{
	struct fx f;
	struct strbuf y = STRBUF_INIT;
	(void)state;
	strbuf_addstr(&y, base);
	strbuf_addstr(&y, "decisions:\n  - incident: stop\n    treatment: avoid\n"
		      "    measures: [{requirement: p1-sys-12, measure: No remote "
		      "link, status: implemented}]\n");
	run(&f, y.buf);
	const struct iot_position *p = position(&f.a, "stop", "op");
	assert_int_equal(p->state, IOT_RES_ELIMINATED);
	assert_int_equal(p->eff_category, IOT_NONE);
	assert_false(p->eff_above);
	assert_true(p->above);
	assert_int_equal(f.a.above_after, 0);
	/* mk's only incident is avoided: nothing left after measures. */
	assert_int_equal(f.a.stake_eff_category[stake_index(&f.m, "mk")], IOT_NONE);
	/* Principal threats are judged before treatment. */
	assert_true(principal(&f, "plc", "denial-of-service"));
	done(&f);
	strbuf_release(&y);
}

static void renderings(void **state)
{
	struct fx f;
	struct strbuf y = STRBUF_INIT;
	json_error_t jerr;
	(void)state;
	strbuf_addstr(&y, base);
	strbuf_addstr(&y, decisions_planned);
	/* A hostile title must come out escaped. */
	char *t = strstr(y.buf, "title: Small");
	assert_non_null(t);
	struct strbuf z = STRBUF_INIT;
	strbuf_add(&z, y.buf, (size_t)(t - y.buf));
	strbuf_addstr(&z, "title: \"<script>alert('x')</script> & \\\"q\\\"\"");
	strbuf_addstr(&z, t + strlen("title: Small"));
	run(&f, z.buf);

	assert_int_equal(iot_render(&f.a, IOT_FMT_HTML, IOT_LANG_EN, &f.text), MAMORI_OK);
	assert_null(strstr(f.text.buf, "<script>"));
	assert_non_null(strstr(f.text.buf, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"));
	/* Self-contained: nothing is fetched from anywhere. */
	assert_null(strstr(f.text.buf, "src="));
	assert_null(strstr(f.text.buf, "href="));
	assert_null(strstr(f.text.buf, "url(http"));
	assert_null(strstr(f.text.buf, "@import"));
	assert_non_null(strstr(f.text.buf, "<svg"));
	assert_non_null(strstr(f.text.buf, "Target risk level"));
	/* The target lines follow the cell borders between accepted and
	 * refused cells (cells are 170 x 130 from (130, 16), axis 2 upwards):
	 * for c2 a staircase under (1,3), (2,2), (3,1); for c3 one step up. */
	assert_non_null(strstr(f.text.buf, "d=\"M300 146V276M130 146H300"
			       "M470 276V406M300 276H470\""));
	assert_non_null(strstr(f.text.buf, "d=\"M300 16V146M470 276V406"
			       "M470 146V276M300 146H470\""));

	strbuf_reset(&f.text);
	assert_int_equal(iot_render(&f.a, IOT_FMT_JSON, IOT_LANG_EN, &f.text), MAMORI_OK);
	json_t *j = json_loads(f.text.buf, 0, &jerr);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "schema")),
			    "mamori.iotssf.assessment/1");
	json_t *pos = json_array_get(json_object_get(j, "positions"), 0);
	assert_string_equal(json_string_value(json_object_get(pos, "category")), "c3");
	assert_true(json_is_true(json_object_get(pos, "above_target")));
	json_t *after = json_object_get(pos, "after_measures");
	assert_string_equal(json_string_value(json_object_get(after, "state")), "pending");
	json_t *sum = json_object_get(j, "summary");
	assert_int_equal(json_integer_value(json_object_get(sum, "exit")), 1);
	assert_int_equal(json_integer_value(json_object_get(sum, "required_open")), 37);
	assert_int_equal(json_array_size(json_object_get(j, "requirements")), 41);
	json_decref(j);

	strbuf_reset(&f.text);
	assert_int_equal(iot_render(&f.a, IOT_FMT_TEXT, IOT_LANG_JA, &f.text), MAMORI_OK);
	assert_non_null(strstr(f.text.buf, "stop"));
	assert_non_null(strstr(f.text.buf, "目標超過"));
	done(&f);
	strbuf_release(&y);
	strbuf_release(&z);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(positions_and_threats),
		cmocka_unit_test(requirements_without_decisions),
		cmocka_unit_test(decisions_and_residuals),
		cmocka_unit_test(exit_rule),
		cmocka_unit_test(avoid_eliminates),
		cmocka_unit_test(renderings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
