/*
 * test_rule.c - the catalogue as data: Appendix A complete and grouped as
 * the framework lists it, the grid-to-category rule and the strength of
 * every perspective per category (worked out by hand from rule.yaml), and
 * that a different rule file changes the result without code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "helpers.h"

static void catalogue_shape(void **state)
{
	struct iot_catalog cat;
	/* perspective, target, count: Appendix A's groups. */
	static const struct { const char *p, *t; size_t n; } groups[] = {
		{ "p1", "org-people", 4 }, { "p1", "system", 20 },
		{ "p2", "org-people", 4 }, { "p2", "procedure", 4 },
		{ "p2", "system", 6 }, { "p3", "org-people", 2 },
		{ "p4", "org-people", 1 },
	};
	(void)state;
	load_catalog(&cat);
	assert_int_equal(cat.nrequirements, 41);
	assert_int_equal(cat.nperspectives, 4);
	assert_int_equal(cat.ntargets, 3);
	assert_int_equal(cat.nthreats, 7);
	assert_int_equal(cat.nclasses, 7);
	assert_string_equal(cat.axis[0].level[0].label.ja, "限定的なダメージ");
	assert_string_equal(cat.axis[0].level[2].label.ja, "致命的なダメージ");
	assert_string_equal(cat.axis[1].level[2].label.ja, "壊滅的な経済影響");
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		size_t n = 0;
		for (size_t r = 0; r < cat.nrequirements; r++) {
			const struct iot_requirement *q = &cat.requirements[r];
			n += !strcmp(cat.perspectives[q->perspective].id, groups[g].p) &&
			     !strcmp(cat.targets[q->target].id, groups[g].t);
		}
		assert_int_equal(n, groups[g].n);
	}
	/* The one Appendix B row of the framework, mapped as printed. */
	size_t r = iot_catalog_find_requirement(&cat, "p1-org-01");
	assert_string_equal(cat.requirements[r].title.ja,
			    "IoT機器・システムにおけるセキュリティポリシーの策定");
	assert_int_equal(cat.requirements[r].ncpsf, 3);
	assert_string_equal(cat.requirements[r].cpsf[0], "CPS.BE-2");
	assert_string_equal(cat.requirements[r].cpsf_basis, "seed");
	r = iot_catalog_find_requirement(&cat, "p4-org-01");
	assert_string_equal(cat.requirements[r].title.ja,
			    "賠償等の対処を実施することが容易ではないケース等における"
			    "社会的なセーフティネットの構築");
	/* Every requirement has an English title and an example measure. */
	for (r = 0; r < cat.nrequirements; r++) {
		assert_non_null(cat.requirements[r].title.en);
		assert_true(cat.requirements[r].nmeasures >= 1);
	}
	iot_catalog_release(&cat);
}

static void grid_mapping(void **state)
{
	struct iot_catalog cat;
	/* [axis1-1][axis2-1], from rule.yaml. */
	static const char *const want[3][3] = {
		{ "c1", "c2", "c3" },
		{ "c2", "c3", "c4" },
		{ "c4", "c4", "c5" },
	};
	(void)state;
	load_catalog(&cat);
	for (int a1 = 1; a1 <= 3; a1++)
		for (int a2 = 1; a2 <= 3; a2++)
			assert_string_equal(cat_name(&cat, iot_catalog_category(&cat, a1, a2)),
					    want[a1 - 1][a2 - 1]);
	assert_int_equal(iot_catalog_category(&cat, 0, 1), IOT_NONE);
	assert_int_equal(iot_catalog_category(&cat, 1, 4), IOT_NONE);
	iot_catalog_release(&cat);
}

static void strengths(void **state)
{
	struct iot_catalog cat;
	static const struct {
		const char *cat, *req;
		enum iot_strength want;
	} cases[] = {
		{ "c1", "p1-org-01", IOT_STRENGTH_RECOMMENDED },
		{ "c1", "p1-sys-19", IOT_STRENGTH_REQUIRED },	/* override */
		{ "c1", "p2-sys-05", IOT_STRENGTH_OPTIONAL },
		{ "c1", "p4-org-01", IOT_STRENGTH_OPTIONAL },
		{ "c2", "p1-sys-12", IOT_STRENGTH_REQUIRED },
		{ "c2", "p2-org-01", IOT_STRENGTH_RECOMMENDED },
		{ "c2", "p2-sys-05", IOT_STRENGTH_REQUIRED },	/* override */
		{ "c2", "p3-org-01", IOT_STRENGTH_OPTIONAL },
		{ "c3", "p2-proc-02", IOT_STRENGTH_REQUIRED },
		{ "c3", "p3-org-02", IOT_STRENGTH_RECOMMENDED },
		{ "c3", "p4-org-01", IOT_STRENGTH_OPTIONAL },
		{ "c4", "p3-org-01", IOT_STRENGTH_REQUIRED },
		{ "c4", "p4-org-01", IOT_STRENGTH_RECOMMENDED },
		{ "c5", "p4-org-01", IOT_STRENGTH_REQUIRED },
	};
	(void)state;
	load_catalog(&cat);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t c = iot_catalog_find_category(&cat, cases[i].cat);
		size_t r = iot_catalog_find_requirement(&cat, cases[i].req);
		assert_int_not_equal(c, IOT_NONE);
		assert_int_not_equal(r, IOT_NONE);
		if (iot_catalog_strength(&cat, c, r) != cases[i].want)
			fail_msg("%s %s: got %s", cases[i].cat, cases[i].req,
				 iot_strength_name(iot_catalog_strength(&cat, c, r)));
	}
	iot_catalog_release(&cat);
}

/* Reads the other parts from the source tree, part `which` from text. */
static enum mamori_err parse_with(struct iot_catalog *cat,
				  enum iot_catalog_part which,
				  const char *text, struct strbuf *err)
{
	struct iot_source src[IOT_PART__MAX];
	struct strbuf body[IOT_PART__MAX];
	enum mamori_err e;

	for (size_t p = 0; p < IOT_PART__MAX; p++) {
		strbuf_init(&body[p], 0);
		if (p == which) {
			src[p] = (struct iot_source){ iot_catalog_file[p], text,
						      strlen(text) };
			continue;
		}
		char path[512], chunk[4096];
		size_t n;
		snprintf(path, sizeof(path), "%s/%s", CATALOG_DIR, iot_catalog_file[p]);
		FILE *f = fopen(path, "rb");
		assert_non_null(f);
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			strbuf_add(&body[p], chunk, n);
		fclose(f);
		src[p] = (struct iot_source){ iot_catalog_file[p], body[p].buf,
					      body[p].len };
	}
	iot_catalog_init(cat);
	e = iot_catalog_parse(cat, src, err);
	for (size_t p = 0; p < IOT_PART__MAX; p++)
		strbuf_release(&body[p]);
	return e;
}

static enum mamori_err parse_with_rule(struct iot_catalog *cat,
				       const char *rule, struct strbuf *err)
{
	return parse_with(cat, IOT_PART_RULE, rule, err);
}

static const char model_one[] =
	"id: one\ntitle: One\n"
	"stakeholders:\n  - {id: op, name: Op, role: applying-party, target: low}\n"
	"devices:\n  - {id: gw, name: GW, class: gateway}\n"
	"incidents:\n  - id: i1\n    what: x\n    devices: [gw]\n"
	"    threats: [malware]\n"
	"    ratings: [{stakeholder: op, axis1: 1, axis2: 3}]\n";

static void rule_is_data(void **state)
{
	/* The highest level of either axis decides: three categories. */
	static const char rule[] =
		"categories:\n"
		"  - {id: low, name: Low, strength: {p1: optional, p2: optional, p3: optional, p4: optional}}\n"
		"  - {id: mid, name: Mid, strength: {p1: required, p2: optional, p3: optional, p4: optional}}\n"
		"  - {id: high, name: High, strength: {p1: required, p2: required, p3: required, p4: required}}\n"
		"grid:\n  - [low, mid, high]\n  - [mid, mid, high]\n  - [high, high, high]\n";
	struct iot_catalog cat;
	struct iot_model m;
	struct iot_assessment a;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	assert_int_equal(parse_with_rule(&cat, rule, &err), MAMORI_OK);
	assert_string_equal(cat_name(&cat, iot_catalog_category(&cat, 2, 2)), "mid");
	assert_string_equal(cat_name(&cat, iot_catalog_category(&cat, 1, 3)), "high");
	assert_int_equal(parse_model(&m, &cat, model_one, &err), MAMORI_OK);
	assert_int_equal(iot_assess(&a, &m), MAMORI_OK);
	assert_string_equal(cat_name(&cat, a.system_category), "high");
	assert_true(a.positions[0].above);
	/* With "high", all 41 are required and none is implemented. */
	assert_int_equal(a.required_open, 41);
	assert_int_equal(a.ngaps, 42);
	assert_int_equal(a.gaps[0].kind, IOT_GAP_INCIDENT);
	iot_assessment_release(&a);
	iot_model_release(&m);
	iot_catalog_release(&cat);
	strbuf_release(&err);
}

static void rule_errors(void **state)
{
	static const struct { const char *rule, *msg; } cases[] = {
		{ "categories:\n  - {id: a, name: A, strength: {p1: optional, p2: optional, p3: optional, p4: optional}}\n"
		  "  - {id: b, name: B, strength: {p1: required, p2: optional, p3: optional, p4: optional}}\n"
		  "grid:\n  - [a, b, b]\n  - [b, a, b]\n  - [b, b, b]\n",
		  "rule.yaml:5:9: grid: category 'b' at axis 1 level 1, axis 2 level 2 "
		  "is above a higher position's\n"
		  "rule.yaml:6:6: grid: category 'b' at axis 1 level 2, axis 2 level 1 "
		  "is above a higher position's\n" },
		{ "categories:\n  - {id: a, name: A, strength: {p1: optional, p2: optional, p3: optional, p4: optional}}\n"
		  "grid:\n  - [a, a, a]\n  - [a, z, a]\n  - [a, a, a]\n",
		  "rule.yaml:5:9: unknown category 'z'\n" },
		{ "categories:\n  - {id: a, name: A, strength: {p1: optional, p2: must, p3: optional, p4: optional}}\n"
		  "grid:\n  - [a, a, a]\n  - [a, a, a]\n  - [a, a, a]\n",
		  "rule.yaml:2:51: strength 'must' is not one of: optional, recommended, required\n" },
		{ "categories:\n  - {id: a, name: A, strength: {p1: optional, p2: optional, p3: optional}}\n"
		  "grid:\n  - [a, a, a]\n  - [a, a, a]\n  - [a, a, a]\n",
		  "rule.yaml:2:32: category a: strength: missing perspective 'p4'\n" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct iot_catalog cat;
		struct strbuf err = STRBUF_INIT;
		assert_int_equal(parse_with_rule(&cat, cases[i].rule, &err),
				 MAMORI_ESCHEMA);
		assert_string_equal(err.buf, cases[i].msg);
		iot_catalog_release(&cat);
		strbuf_release(&err);
	}
}

/* The other catalogue files are checked as strictly. */
static void catalogue_errors(void **state)
{
	static const struct {
		enum iot_catalog_part part;
		const char *text, *msg;
	} cases[] = {
		{ IOT_PART_REQUIREMENTS,
		  "requirements:\n"
		  "  - {id: r1, perspective: p9, target: system, title: T}\n"
		  "  - {id: r2, perspective: p1, target: system, title: T, cpsf: [CPS.AM-1]}\n"
		  "  - {id: r3, perspective: p1, target: system, title: T, cpsf: [AM-1], cpsf_basis: seed}\n",
		  "requirements.yaml:2:27: unknown perspective 'p9'\n"
		  "requirements.yaml:3:5: requirement r2: a CPSF mapping needs 'cpsf_basis' (seed or mamori)\n"
		  "requirements.yaml:4:64: CPSF id 'AM-1' must start with 'CPS.'\n" },
		{ IOT_PART_THREATS,
		  "threats:\n  - {id: malware, name: M}\n"
		  "device_classes:\n  - {id: gateway, name: G, threats: [malware, worms]}\n"
		  "extra: 1\n",
		  "threats.yaml:5:1: the threats file: unknown key 'extra'\n"
		  "threats.yaml:4:47: unknown threat 'worms'\n" },
		{ IOT_PART_FRAMEWORK,
		  "version: x\naxes: [{id: axis1, name: A, levels: []}]\n"
		  "perspectives: []\ntargets: []\n",
		  "framework.yaml:2:7: axes must list exactly 2 axes, not 1\n" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct iot_catalog cat;
		struct strbuf err = STRBUF_INIT;
		assert_int_equal(parse_with(&cat, cases[i].part, cases[i].text, &err),
				 MAMORI_ESCHEMA);
		assert_string_equal(err.buf, cases[i].msg);
		iot_catalog_release(&cat);
		strbuf_release(&err);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(catalogue_shape),
		cmocka_unit_test(grid_mapping),
		cmocka_unit_test(strengths),
		cmocka_unit_test(rule_is_data),
		cmocka_unit_test(rule_errors),
		cmocka_unit_test(catalogue_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
