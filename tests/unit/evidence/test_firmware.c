/*
 * test_firmware.c - every row of the reference table at its boundaries
 * (last affected, first fixed), unparseable versions, the version
 * grammars, catalogue errors, device lists and the offline refresh.
 * argv[2] is data/vpn-kev.yaml.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "evidence/firmware.h"
#include "evidence/kev.h"
#include "evidence/version.h"

static const char *catalog_path = "data/vpn-kev.yaml";
static struct kev_catalog cat;

struct row {
	const char *vendor, *model, *version, *cve;
	bool hit;
	const char *fixed;	/* when hit; NULL: no fix on the line;
				 * "?": a fix whose version is not known */
};

#define FG "Fortinet", "FortiGate 60E"
#define IV "Ivanti", "Connect Secure"
#define PS "Pulse Secure", "PSA3000"
#define NS "Citrix", "NetScaler ADC VPX"
#define PA "Palo Alto Networks", "PA-440"
#define SMA "SonicWall", "SMA 210"
#define SW "SonicWall", "TZ470"
#define ASA "Cisco", "ASA 5506-X"

static const struct row rows[] = {
	{ FG, "6.0.4", "CVE-2018-13379", true, "6.0.5" },
	{ FG, "6.0.5", "CVE-2018-13379", false, NULL },
	{ FG, "5.6.7", "CVE-2018-13379", true, "5.6.8" },
	{ FG, "5.6.8", "CVE-2018-13379", false, NULL },
	{ FG, "5.6.2", "CVE-2018-13379", false, NULL },
	{ FG, "5.4.12", "CVE-2018-13379", true, "5.4.13" },
	{ FG, "5.4.13", "CVE-2018-13379", false, NULL },
	{ FG, "7.2.1", "CVE-2022-40684", true, "7.2.2" },
	{ FG, "7.2.2", "CVE-2022-40684", false, NULL },
	{ FG, "7.0.6", "CVE-2022-40684", true, "7.0.7" },
	{ FG, "7.0.7", "CVE-2022-40684", false, NULL },
	{ FG, "7.2.2", "CVE-2022-42475", true, "7.2.3" },
	{ FG, "7.2.3", "CVE-2022-42475", false, NULL },
	{ FG, "7.0.8", "CVE-2022-42475", true, "7.0.9" },
	{ FG, "7.0.9", "CVE-2022-42475", false, NULL },
	{ FG, "6.4.10", "CVE-2022-42475", true, "6.4.11" },
	{ FG, "6.4.11", "CVE-2022-42475", false, NULL },
	{ FG, "6.2.11", "CVE-2022-42475", true, "6.2.12" },
	{ FG, "6.2.12", "CVE-2022-42475", false, NULL },
	{ FG, "6.0.15", "CVE-2022-42475", true, "6.0.16" },
	{ FG, "6.0.16", "CVE-2022-42475", false, NULL },
	{ FG, "7.2.4", "CVE-2023-27997", true, "7.2.5" },
	{ FG, "7.2.5", "CVE-2023-27997", false, NULL },
	{ FG, "7.0.11", "CVE-2023-27997", true, "7.0.12" },
	{ FG, "7.0.12", "CVE-2023-27997", false, NULL },
	{ FG, "6.4.12", "CVE-2023-27997", true, "6.4.13" },
	{ FG, "6.4.13", "CVE-2023-27997", false, NULL },
	{ FG, "6.2.13", "CVE-2023-27997", true, "6.2.14" },
	{ FG, "6.2.14", "CVE-2023-27997", false, NULL },
	{ FG, "6.0.16", "CVE-2023-27997", true, "6.0.17" },
	{ FG, "6.0.17", "CVE-2023-27997", false, NULL },
	{ FG, "7.4.0", "CVE-2023-27997", false, NULL },
	{ FG, "7.4.2", "CVE-2024-21762", true, "7.4.3" },
	{ FG, "7.4.3", "CVE-2024-21762", false, NULL },
	{ FG, "7.2.6", "CVE-2024-21762", true, "7.2.7" },
	{ FG, "7.2.7", "CVE-2024-21762", false, NULL },
	{ FG, "7.0.13", "CVE-2024-21762", true, "7.0.14" },
	{ FG, "7.0.14", "CVE-2024-21762", false, NULL },
	{ FG, "6.4.14", "CVE-2024-21762", true, "6.4.15" },
	{ FG, "6.4.15", "CVE-2024-21762", false, NULL },
	{ FG, "6.2.15", "CVE-2024-21762", true, "6.2.16" },
	{ FG, "6.2.16", "CVE-2024-21762", false, NULL },
	{ FG, "6.0.17", "CVE-2024-21762", true, NULL },
	{ PS, "8.2R12", "CVE-2019-11510", true, "8.2R12.1" },
	{ PS, "8.2R12.1", "CVE-2019-11510", false, NULL },
	{ PS, "8.3R7", "CVE-2019-11510", true, "8.3R7.1" },
	{ PS, "8.3R7.1", "CVE-2019-11510", false, NULL },
	{ PS, "9.0R3.3", "CVE-2019-11510", true, "9.0R3.4" },
	{ PS, "9.0R3.4", "CVE-2019-11510", false, NULL },
	{ IV, "9.1R14.3", "CVE-2023-46805", true, "9.1R14.4" },
	{ IV, "9.1R14.4", "CVE-2023-46805", false, NULL },
	{ IV, "9.1R17.1", "CVE-2023-46805", true, "9.1R17.2" },
	{ IV, "9.1R17.2", "CVE-2023-46805", false, NULL },
	{ IV, "9.1R18.2", "CVE-2023-46805", true, "9.1R18.3" },
	{ IV, "9.1R18", "CVE-2024-21887", true, "9.1R18.3" },
	{ IV, "9.1R18.3", "CVE-2024-21887", false, NULL },
	{ IV, "22.4R2.1", "CVE-2024-21887", true, "22.4R2.2" },
	{ IV, "22.4R2.2", "CVE-2024-21887", false, NULL },
	{ IV, "22.5R1", "CVE-2023-46805", true, "22.5R1.1" },
	{ IV, "22.5R1.1", "CVE-2023-46805", false, NULL },
	{ IV, "22.6R2", "CVE-2023-46805", true, "?" },
	/* "<= 22.6R2" is the whole release: its builds too, not 22.6R3 */
	{ IV, "22.6R2.1", "CVE-2023-46805", true, "?" },
	{ IV, "22.6R2.1", "CVE-2024-21887", true, "?" },
	{ IV, "22.6R2.99", "CVE-2024-21887", true, "?" },
	{ IV, "22.6R3", "CVE-2023-46805", false, NULL },
	{ IV, "22.6R3", "CVE-2024-21887", false, NULL },
	{ IV, "22.7R1", "CVE-2023-46805", false, NULL },
	{ IV, "22.5R2", "CVE-2024-21887", true, "?" },
	{ IV, "22.3R1", "CVE-2024-21887", true, "?" },
	{ IV, "9.0R6", "CVE-2023-46805", true, "?" },
	{ NS, "10.5-70.11", "CVE-2019-19781", true, "10.5-70.12" },
	{ NS, "10.5.70.12", "CVE-2019-19781", false, NULL },
	{ NS, "11.1-63.14", "CVE-2019-19781", true, "11.1-63.15" },
	{ NS, "11.1-63.15", "CVE-2019-19781", false, NULL },
	{ NS, "12.0-63.12", "CVE-2019-19781", true, "12.0-63.13" },
	{ NS, "12.0-63.13", "CVE-2019-19781", false, NULL },
	{ NS, "12.1-55.17", "CVE-2019-19781", true, "12.1-55.18" },
	{ NS, "12.1-55.18", "CVE-2019-19781", false, NULL },
	{ NS, "13.0-47.23", "CVE-2019-19781", true, "13.0-47.24" },
	{ NS, "13.0-47.24", "CVE-2019-19781", false, NULL },
	{ NS, "13.1-49.12", "CVE-2023-3519", true, "13.1-49.13" },
	{ NS, "13.1-49.13", "CVE-2023-3519", false, NULL },
	{ NS, "13.0-91.12", "CVE-2023-3519", true, "13.0-91.13" },
	{ NS, "13.0-91.13", "CVE-2023-3519", false, NULL },
	{ NS, "14.1-8.49", "CVE-2023-4966", true, "14.1-8.50" },
	{ NS, "14.1-8.50", "CVE-2023-4966", false, NULL },
	{ NS, "13.1-49.14", "CVE-2023-4966", true, "13.1-49.15" },
	{ NS, "13.1 Build 49.15", "CVE-2023-4966", false, NULL },
	{ NS, "13.0-92.18", "CVE-2023-4966", true, "13.0-92.19" },
	{ NS, "13.0-92.19", "CVE-2023-4966", false, NULL },
	{ PA, "10.2.9", "CVE-2024-3400", true, "10.2.9-h1" },
	{ PA, "10.2.9-h1", "CVE-2024-3400", false, NULL },
	{ PA, "11.0.4", "CVE-2024-3400", true, "11.0.4-h1" },
	{ PA, "11.0.4-h1", "CVE-2024-3400", false, NULL },
	{ PA, "11.1.2-h2", "CVE-2024-3400", true, "11.1.2-h3" },
	{ PA, "11.1.2-h3", "CVE-2024-3400", false, NULL },
	{ PA, "10.1.9", "CVE-2024-3400", false, NULL },
	{ SMA, "10.2.0.5-28sv", "CVE-2021-20016", true, "10.2.0.5-29sv" },
	{ SMA, "10.2.0.5-29sv", "CVE-2021-20016", false, NULL },
	{ SW, "5.9.2.14-12o", "CVE-2024-40766", true, "?" },
	{ SW, "5.9.2.14-13o", "CVE-2024-40766", false, NULL },
	{ SW, "6.5.4.14-109n", "CVE-2024-40766", true, "?" },
	{ SW, "6.5.4.15-116n", "CVE-2024-40766", false, NULL },
	{ SW, "7.0.1-5035", "CVE-2024-40766", true, "?" },
	{ SW, "7.0.1-5036", "CVE-2024-40766", false, NULL },
	{ ASA, "9.6.4.41", "CVE-2020-3452", true, "9.6.4.42" },
	{ ASA, "9.6.4.42", "CVE-2020-3452", false, NULL },
	{ ASA, "9.8.4.19", "CVE-2020-3452", true, "9.8.4.20" },
	{ ASA, "9.8(4)20", "CVE-2020-3452", false, NULL },
	{ ASA, "9.9.2.73", "CVE-2020-3452", true, "9.9.2.74" },
	{ ASA, "9.9.2.74", "CVE-2020-3452", false, NULL },
	{ ASA, "9.10.1.41", "CVE-2020-3452", true, "9.10.1.42" },
	{ ASA, "9.10.1.42", "CVE-2020-3452", false, NULL },
	{ ASA, "9.13.1.9", "CVE-2020-3452", true, "9.13.1.10" },
	{ ASA, "9.13.1.10", "CVE-2020-3452", false, NULL },
	{ ASA, "9.14.1.9", "CVE-2020-3452", true, "9.14.1.10" },
	{ ASA, "9.14.1.10", "CVE-2020-3452", false, NULL },
};

static void reference_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		struct fw_result res;
		const struct fw_hit *hit = NULL;
		kev_check(&cat, r->vendor, r->model, r->version, &res);
		if (res.status == FW_UNKNOWN)
			fail_msg("%s %s: unknown (%s)", r->model, r->version, res.reason);
		for (size_t h = 0; h < res.nhits; h++)
			if (!strcmp(res.hits[h].vuln->cve, r->cve))
				hit = &res.hits[h];
		if (r->hit != (hit != NULL))
			fail_msg("%s %s: %s %s", r->model, r->version, r->cve,
				 r->hit ? "not found" : "found");
		if (!hit)
			continue;
		assert_int_equal(res.status, FW_AFFECTED);
		if (!r->fixed || !strcmp(r->fixed, "?")) {
			if (hit->range->fixed)
				fail_msg("%s %s: fixed_in %s, wanted none", r->model,
					 r->version, hit->range->fixed);
			if (hit->range->fixed_unknown != (r->fixed != NULL))
				fail_msg("%s %s: the fix is %s, wanted %s", r->model,
					 r->version, hit->range->fixed_unknown ?
					 "unknown" : "none", r->fixed ? "unknown" : "none");
		} else if (!hit->range->fixed || strcmp(hit->range->fixed, r->fixed)) {
			fail_msg("%s %s: fixed_in %s, wanted %s", r->model, r->version,
				 hit->range->fixed ? hit->range->fixed : "none", r->fixed);
		}
	}
}

/*
 * What the reference (shared/reference/vpn-vulns.md) says of each entry
 * beyond its ranges: it gives no KEV date and no ransomware flag, so the
 * catalogue must not claim one.
 */
static const struct {
	const char *cve, *date;		/* NULL: unknown */
	enum kev_ransomware rw;
} facts[] = {
	{ "CVE-2018-13379", NULL, KEV_RW_UNKNOWN },
	{ "CVE-2022-40684", NULL, KEV_RW_UNKNOWN },
	{ "CVE-2022-42475", NULL, KEV_RW_UNKNOWN },
	{ "CVE-2023-27997", NULL, KEV_RW_UNKNOWN },
	{ "CVE-2024-21762", NULL, KEV_RW_UNKNOWN },
	{ "CVE-2019-11510", NULL, KEV_RW_UNKNOWN },
	{ "CVE-2023-46805", NULL, KEV_RW_UNKNOWN },
	{ "CVE-2024-21887", NULL, KEV_RW_UNKNOWN },
	{ "CVE-2019-19781", NULL, KEV_RW_UNKNOWN },
	{ "CVE-2023-3519", NULL, KEV_RW_UNKNOWN },
	{ "CVE-2023-4966", NULL, KEV_RW_UNKNOWN },
	{ "CVE-2024-3400", NULL, KEV_RW_UNKNOWN },
	{ "CVE-2021-20016", NULL, KEV_RW_UNKNOWN },
	{ "CVE-2024-40766", NULL, KEV_RW_UNKNOWN },
	{ "CVE-2020-3452", NULL, KEV_RW_UNKNOWN },
};

static void reference_facts(void **state)
{
	(void)state;
	assert_int_equal(cat.nvulns, sizeof(facts) / sizeof(facts[0]));
	for (size_t i = 0; i < sizeof(facts) / sizeof(facts[0]); i++) {
		const struct kev_vuln *v = NULL;
		for (size_t k = 0; k < cat.nvulns; k++)
			if (!strcmp(cat.vulns[k].cve, facts[i].cve))
				v = &cat.vulns[k];
		if (!v)
			fail_msg("%s: not in the catalogue", facts[i].cve);
		if (v->date_added)
			fail_msg("%s: kev_date_added %s, the reference gives none",
				 v->cve, v->date_added);
		if (v->ransomware != facts[i].rw)
			fail_msg("%s: ransomware %d, wanted %d", v->cve,
				 (int)v->ransomware, (int)facts[i].rw);
	}
}

/* Each range of the catalogue, at both ends. */
static void every_range_boundary(void **state)
{
	(void)state;
	for (size_t i = 0; i < cat.nvulns; i++) {
		const struct kev_vuln *v = &cat.vulns[i];
		const struct kev_product *p = &cat.products[v->product];
		for (size_t j = 0; j < v->nranges; j++) {
			const struct kev_range *r = &v->ranges[j];
			struct fw_result res;
			const char *last = r->to ? r->to : NULL;
			if (last) {
				kev_check(&cat, p->id, p->id, last, &res);
				kev_check(&cat, "", p->id, last, &res);
				assert_int_equal(res.status, FW_AFFECTED);
			}
			if (r->before) {
				kev_check(&cat, "", p->id, r->before, &res);
				assert_int_not_equal(res.status, FW_UNKNOWN);
				for (size_t h = 0; h < res.nhits; h++)
					assert_ptr_not_equal(res.hits[h].range, r);
			}
			if (r->fixed) {
				kev_check(&cat, "", p->id, r->fixed, &res);
				for (size_t h = 0; h < res.nhits; h++)
					assert_ptr_not_equal(res.hits[h].range, r);
			}
		}
	}
}

static void unknowns(void **state)
{
	static const char *const bad[][3] = {
		{ "Fortinet", "FortiGate 60E", "6.0" },
		{ "Fortinet", "FortiGate 60E", "latest" },
		{ "Fortinet", "FortiGate 60E", "6.0.4a" },
		{ "Fortinet", "FortiGate 60E", "" },
		{ "Fortinet", "FortiGate 60E", NULL },
		{ "Ivanti", "Connect Secure", "9.1 R18" },
		{ "Palo Alto Networks", "PA-440", "10.2.9-x1" },
		{ "Citrix", "NetScaler ADC", "13.1" },
		{ "SonicWall", "TZ470", "7.0.1" },
		{ "Cisco", "ASA 5506-X", "9.8" },
		{ "Cisco", "ISR 1100", "17.3.4" },
		{ "Yamaha", "RTX1210", "14.01.42" },
		{ "", "", "1.2.3" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct fw_result res;
		kev_check(&cat, bad[i][0], bad[i][1], bad[i][2], &res);
		if (res.status != FW_UNKNOWN)
			fail_msg("%s %s '%s': %s, wanted unknown", bad[i][0], bad[i][1],
				 bad[i][2] ? bad[i][2] : "(null)", fw_status_name(res.status));
		assert_non_null(res.reason);
	}
	struct fw_result res;
	kev_check(&cat, "Fortinet", "FortiGate 60F", "7.4.3", &res);
	assert_int_equal(res.status, FW_NOT_AFFECTED);
	kev_check(&cat, "Fortinet", "FortiGate 60F", "v7.4.3 build2573 (GA)", &res);
	assert_int_equal(res.status, FW_NOT_AFFECTED);
}

static void grammars(void **state)
{
	struct version a, b;
	(void)state;
#define LT(s, x, y) do { assert_true(version_parse(s, SLICE_LIT(x), &a)); \
		assert_true(version_parse(s, SLICE_LIT(y), &b)); \
		assert_true(version_cmp(&a, &b) < 0); \
		assert_true(version_cmp(&b, &a) > 0); } while (0)
#define EQ(s, x, y) do { assert_true(version_parse(s, SLICE_LIT(x), &a)); \
		assert_true(version_parse(s, SLICE_LIT(y), &b)); \
		assert_int_equal(version_cmp(&a, &b), 0); } while (0)
	LT(VS_FORTIOS, "6.0.4", "6.0.10");
	LT(VS_FORTIOS, "6.4.15", "7.0.0");
	EQ(VS_FORTIOS, "v7.2.3", "7.2.3,build1262");
	LT(VS_IVANTI, "9.1R18", "9.1R18.3");
	LT(VS_IVANTI, "9.1R9.1", "9.1R18");
	LT(VS_IVANTI, "9.1R18.3", "22.5R1.1");
	LT(VS_PANOS, "10.2.9", "10.2.9-h1");
	LT(VS_PANOS, "10.2.9-h1", "10.2.10");
	LT(VS_PANOS, "10.2.9-h1", "10.2.9-h10");
	LT(VS_NETSCALER, "13.1-49.13", "13.1-49.15");
	LT(VS_NETSCALER, "13.1-9.60", "13.1-49.13");
	EQ(VS_NETSCALER, "13.0.47.24", "13.0-47.24");
	EQ(VS_NETSCALER, "NS13.1: Build 49.13.nc", "13.1-49.13");
	LT(VS_SONICOS, "7.0.1-5035", "7.0.1-5036");
	LT(VS_SONICOS, "6.5.4.14-109n", "6.5.4.15-116n");
	LT(VS_SONICOS, "6.5.4.14-109n", "7.0.0-0");
	LT(VS_ASA, "9.8.4.19", "9.8(4)20");
	LT(VS_ASA, "9.9.2.74", "9.10.1.1");
	EQ(VS_ASA, "9.8(4)20", "9.8.4.20");
	static const struct { enum version_scheme s; const char *t; } no[] = {
		{ VS_FORTIOS, "7.2" }, { VS_FORTIOS, "7.2.3.4" }, { VS_FORTIOS, "7..2" },
		{ VS_FORTIOS, "-1.0.0" }, { VS_FORTIOS, "99999999999.0.0" },
		{ VS_IVANTI, "9.1" }, { VS_IVANTI, "9.1R" }, { VS_IVANTI, "R18" },
		{ VS_PANOS, "10.2" }, { VS_PANOS, "10.2.9-" }, { VS_PANOS, "10.2.9-h" },
		{ VS_NETSCALER, "13.1-49" }, { VS_NETSCALER, "13.1" },
		{ VS_SONICOS, "7.0.1" }, { VS_SONICOS, "7.0.1-" }, { VS_SONICOS, "7.0.1-12abcd" },
		{ VS_ASA, "9.8(4" }, { VS_ASA, "9" }, { VS_ASA, "n/a" },
	};
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (version_parse(no[i].s, slice_from_cstr(no[i].t), &a))
			fail_msg("%s accepted '%s'", version_scheme_name(no[i].s), no[i].t);
}

static void catalogue_errors(void **state)
{
	static const char bad[] =
		"schema: mamori.vpn-kev/1\n"
		"products:\n"
		"  - {id: p, name: P, vendor: V, scheme: fortios, match: [v]}\n"
		"vulnerabilities:\n"
		"  - cve: CVE-1\n"
		"    product: p\n"
		"    affected:\n"
		"      - {from: 6.0.x, to: 6.0.4, fixed: 6.0.5}\n"
		"      - {from: 6.0.0, fixed: none}\n"
		"  - {cve: CVE-2, product: q, affected: []}\n"
		"  - {cve: CVE-3, product: p, kev_date_added: 2021-11-3, affected: []}\n"
		"  - {cve: CVE-4, product: p, ransomware: maybe, affected: []}\n";
	struct kev_catalog c;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	kev_init(&c);
	assert_int_equal(kev_parse(&c, "t.yaml", bad, sizeof(bad) - 1, &err),
			 MAMORI_ESCHEMA);
	assert_non_null(strstr(err.buf, "t.yaml:8:"));
	assert_non_null(strstr(err.buf, "'6.0.x' is not a fortios version"));
	assert_non_null(strstr(err.buf, "t.yaml:9:"));
	assert_non_null(strstr(err.buf, "unknown product 'q'"));
	assert_non_null(strstr(err.buf, "t.yaml:11:"));
	assert_non_null(strstr(err.buf, "'kev_date_added' must be YYYY-MM-DD or unknown"));
	assert_non_null(strstr(err.buf, "t.yaml:12:"));
	assert_non_null(strstr(err.buf, "'ransomware' must be true, false or unknown"));
	kev_release(&c);
	strbuf_release(&err);
}

/*
 * An Ivanti "to:" without a build covers the builds of that release and
 * says so; with a build, or in another scheme, it is the version itself.
 */
static void release_bounds(void **state)
{
	static const char yaml[] =
		"schema: mamori.vpn-kev/1\n"
		"products:\n"
		"  - {id: iv, name: I, vendor: V, scheme: ivanti, match: [iv]}\n"
		"  - {id: fo, name: F, vendor: W, scheme: fortios, match: [fo]}\n"
		"vulnerabilities:\n"
		"  - cve: CVE-1\n"
		"    product: iv\n"
		"    affected:\n"
		"      - {from: 22.5R2, to: 22.6R2, fixed: unknown}\n"
		"      - {from: 9.1R1, to: 9.1R18.3, fixed: unknown}\n"
		"  - cve: CVE-2\n"
		"    product: fo\n"
		"    affected:\n"
		"      - {from: 7.0.0, to: 7.0.6, fixed: 7.0.7}\n";
	static const struct {
		const char *product, *version;
		enum fw_status status;
		bool why;	/* the release reading is explained */
	} cases[] = {
		{ "iv", "22.5R1.9", FW_NOT_AFFECTED, false },
		{ "iv", "22.5R2", FW_AFFECTED, false },
		{ "iv", "22.6R2", FW_AFFECTED, false },
		{ "iv", "22.6R2.0", FW_AFFECTED, false },
		{ "iv", "22.6R2.1", FW_AFFECTED, true },
		{ "iv", "22.6r2.12", FW_AFFECTED, true },
		{ "iv", "22.6R3", FW_NOT_AFFECTED, false },
		{ "iv", "22.6R3.1", FW_NOT_AFFECTED, false },
		{ "iv", "23.1R1", FW_NOT_AFFECTED, false },
		{ "iv", "9.1R18.3", FW_AFFECTED, false },
		{ "iv", "9.1R18.4", FW_NOT_AFFECTED, false },
		{ "fo", "7.0.6", FW_AFFECTED, false },
		{ "fo", "7.0.7", FW_NOT_AFFECTED, false },
	};
	struct kev_catalog c;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	kev_init(&c);
	assert_int_equal(kev_parse(&c, "t.yaml", yaml, sizeof(yaml) - 1, &err),
			 MAMORI_OK);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fw_result res;
		kev_check(&c, "", cases[i].product, cases[i].version, &res);
		if (res.status != cases[i].status)
			fail_msg("%s: %s, wanted %s", cases[i].version,
				 fw_status_name(res.status),
				 fw_status_name(cases[i].status));
		if (cases[i].why != (res.reason && strstr(res.reason, "22.6R2.x")))
			fail_msg("%s: reason %s", cases[i].version,
				 res.reason ? res.reason : "(none)");
	}
	kev_release(&c);
	strbuf_release(&err);
}

static void device_lists(void **state)
{
	static const char csv[] =
		"maker,model,version,count\n"
		"Fortinet,\"FortiGate 60E\",6.0.4,2\n"
		"\n"
		"\"Palo Alto Networks\",\"PA-440, HA pair\",11.1.2-h3,1\n"
		"Yamaha,RTX1210,14.01.42\n";
	static const char resp[] =
		"{\"q10_vpn\": \"yes\", \"q11_vpn_devices\": ["
		"{\"maker\": \"Fortinet\", \"model\": \"FortiGate 60E\", \"units\": 1, \"firmware\": \"FortiOS 6.0.4\"},"
		"{\"maker\": \"Fortinet\", \"model\": \"FortiGate 100F\", \"units\": 3, \"firmware\": \"7.4.3\"},"
		"{\"maker\": \"Cisco\", \"model\": \"ASA 5506-X\", \"units\": \"2\"}]}";
	struct fw_devices l;
	struct strbuf err = STRBUF_INIT;
	size_t counts[FW__MAX];
	(void)state;
	fw_devices_init(&l);
	assert_int_equal(fw_devices_parse(&l, "d.csv", csv, sizeof(csv) - 1, &err), MAMORI_OK);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.d[1].product, "PA-440, HA pair");
	assert_int_equal(l.d[0].count, 2);
	json_t *j = fw_check_all(&cat, &l, counts);
	assert_int_equal(counts[FW_AFFECTED], 1);
	assert_int_equal(counts[FW_NOT_AFFECTED], 1);
	assert_int_equal(counts[FW_UNKNOWN], 1);
	json_t *d0 = json_array_get(json_object_get(j, "devices"), 0);
	assert_string_equal(json_string_value(json_object_get(d0, "status")), "affected");
	json_t *v0 = json_array_get(json_object_get(d0, "vulnerabilities"), 0);
	assert_string_equal(json_string_value(json_object_get(v0, "cve")), "CVE-2018-13379");
	assert_string_equal(json_string_value(json_object_get(v0, "fixed_in")), "6.0.5");
	assert_true(json_is_null(json_object_get(v0, "kev_date_added")));
	assert_true(json_is_null(json_object_get(v0, "ransomware")));
	assert_true(json_is_false(json_object_get(v0, "no_fix")));
	json_decref(j);
	fw_devices_release(&l);

	fw_devices_init(&l);
	assert_int_equal(fw_devices_parse(&l, "r.json", resp, sizeof(resp) - 1, &err), MAMORI_OK);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.d[2].count, 2);
	assert_null(l.d[2].version);
	j = fw_check_all(&cat, &l, counts);
	/* "FortiOS 6.0.4" is not a bare version: cannot tell, not "fine" */
	assert_int_equal(counts[FW_UNKNOWN], 2);
	assert_int_equal(counts[FW_NOT_AFFECTED], 1);
	json_decref(j);
	fw_devices_release(&l);

	fw_devices_init(&l);
	strbuf_reset(&err);
	assert_int_equal(fw_devices_parse(&l, "bad.csv", "a,b\n", 4, &err), MAMORI_EPARSE);
	assert_non_null(strstr(err.buf, "bad.csv:1:"));
	strbuf_reset(&err);
	assert_int_equal(fw_devices_parse(&l, "bad.json", "{\"x\": 1}", 8, &err), MAMORI_ESCHEMA);
	fw_devices_release(&l);
	strbuf_release(&err);
}

static void refresh_offline(void **state)
{
	static const char kev[] = "{\"title\": \"t\", \"catalogVersion\": \"2025.01.01\","
		"\"dateReleased\": \"2025-01-02T10:00:00.000Z\", \"count\": 3, \"vulnerabilities\": ["
		"{\"cveID\": \"CVE-2018-13379\", \"vendorProject\": \"Fortinet\", \"product\": \"FortiOS\","
		" \"dateAdded\": \"2021-11-03\", \"knownRansomwareCampaignUse\": \"Known\"},"
		"{\"cveID\": \"CVE-2099-0001\", \"vendorProject\": \"Fortinet\", \"product\": \"FortiOS\","
		" \"vulnerabilityName\": \"Future bug\", \"dateAdded\": \"2099-01-01\", \"knownRansomwareCampaignUse\": \"Unknown\"},"
		"{\"cveID\": \"CVE-2099-0002\", \"vendorProject\": \"Fortinet\", \"product\": \"FortiOS\","
		" \"vulnerabilityName\": \"No data\", \"dateAdded\": \"2099-01-02\"},"
		"{\"cveID\": \"CVE-2021-44228\", \"vendorProject\": \"Apache\", \"product\": \"Log4j2\", \"dateAdded\": \"2021-12-10\"}]}";
	static const char rec[] = "{\"cveMetadata\": {\"cveId\": \"CVE-2099-0001\"},"
		"\"containers\": {\"cna\": {\"affected\": [{\"vendor\": \"Fortinet\", \"product\": \"FortiOS\","
		"\"defaultStatus\": \"unaffected\", \"versions\": ["
		"{\"version\": \"7.4.0\", \"status\": \"affected\", \"lessThanOrEqual\": \"7.4.5\", \"versionType\": \"semver\","
		" \"changes\": [{\"at\": \"7.4.6\", \"status\": \"unaffected\"}]},"
		"{\"version\": \"7.2.0\", \"status\": \"affected\", \"lessThan\": \"7.2.9\", \"versionType\": \"semver\"},"
		"{\"version\": \"n/a\", \"status\": \"affected\"}]}]}}}";
	struct kev_catalog c;
	struct strbuf err = STRBUF_INIT, notes = STRBUF_INIT;
	json_error_t je;
	json_t *k = json_loads(kev, 0, &je), *r = json_loads(rec, 0, &je);
	struct fw_result res;
	(void)state;
	assert_non_null(k);
	assert_non_null(r);
	kev_init(&c);
	assert_int_equal(kev_load(&c, catalog_path, &err), MAMORI_OK);
	size_t before = c.nvulns;
	assert_int_equal(kev_update(&c, k, &r, 1, &notes), MAMORI_OK);
	assert_int_equal(c.nvulns, before + 2);
	assert_string_equal(c.updated, "2025-01-02");
	assert_non_null(strstr(notes.buf, "'n/a'"));
	assert_non_null(strstr(notes.buf, "CVE-2099-0002"));
	kev_check(&c, "Fortinet", "FortiGate", "7.4.5", &res);
	assert_int_equal(res.status, FW_AFFECTED);
	for (size_t i = 0; i < c.nvulns; i++) {
		const struct kev_vuln *v = &c.vulns[i];
		if (!strcmp(v->cve, "CVE-2018-13379")) {
			assert_string_equal(v->date_added, "2021-11-03");
			assert_int_equal(v->ransomware, KEV_RW_KNOWN);
		} else if (!strcmp(v->cve, "CVE-2099-0001")) {
			assert_int_equal(v->ransomware, KEV_RW_NOT_KNOWN);
			assert_int_equal(v->nranges, 2);
			/* lessThanOrEqual with a change: fixed; lessThan: the
			 * bound is the fix */
			assert_string_equal(v->ranges[0].fixed, "7.4.6");
			assert_string_equal(v->ranges[1].fixed, "7.2.9");
		} else if (!strcmp(v->cve, "CVE-2099-0002")) {
			assert_int_equal(v->ransomware, KEV_RW_UNKNOWN);
		} else if (!strcmp(v->cve, "CVE-2022-40684")) {
			/* not in this KEV file: still unknown */
			assert_null(v->date_added);
			assert_int_equal(v->ransomware, KEV_RW_UNKNOWN);
		}
	}
	kev_check(&c, "Fortinet", "FortiGate", "7.2.9", &res);
	/* CVE-2099-0002 has no version data: cannot tell */
	assert_int_equal(res.status, FW_UNKNOWN);
	/* round trip through YAML */
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	kev_write_yaml(&c, f);
	fclose(f);
	struct kev_catalog c2;
	kev_init(&c2);
	strbuf_reset(&err);
	if (kev_parse(&c2, "out.yaml", buf, len, &err))
		fail_msg("%s", err.buf);
	assert_int_equal(c2.nvulns, c.nvulns);
	kev_check(&c2, "Fortinet", "FortiGate", "7.4.5", &res);
	assert_int_equal(res.status, FW_AFFECTED);
	for (size_t h = 0; h < res.nhits; h++)
		if (!strcmp(res.hits[h].vuln->cve, "CVE-2099-0001"))
			assert_string_equal(res.hits[h].range->fixed, "7.4.6");
	kev_release(&c2);
	free(buf);
	kev_release(&c);
	json_decref(k);
	json_decref(r);
	strbuf_release(&err);
	strbuf_release(&notes);
}

static int setup(void **state)
{
	struct strbuf err = STRBUF_INIT;
	(void)state;
	kev_init(&cat);
	if (kev_load(&cat, catalog_path, &err)) {
		fprintf(stderr, "%s", err.buf);
		strbuf_release(&err);
		return -1;
	}
	strbuf_release(&err);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	kev_release(&cat);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 2)
		catalog_path = argv[2];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reference_table),
		cmocka_unit_test(reference_facts),
		cmocka_unit_test(every_range_boundary),
		cmocka_unit_test(unknowns),
		cmocka_unit_test(grammars),
		cmocka_unit_test(catalogue_errors),
		cmocka_unit_test(release_bounds),
		cmocka_unit_test(device_lists),
		cmocka_unit_test(refresh_offline),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
