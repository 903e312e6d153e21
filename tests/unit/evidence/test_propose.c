/*
 * test_propose.c - proposed answers to q12-q14 from audit and firmware
 * results: each answer, each reason, and "unknown" without evidence.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "evidence/propose.h"

static const char *value(json_t *res, const char *item)
{
	return json_string_value(json_object_get(json_object_get(res, "response"), item));
}

static const char *reason(json_t *res, const char *item, const char *lang)
{
	json_t *a;
	size_t i;
	json_array_foreach(json_object_get(res, "answers"), i, a)
		if (!strcmp(json_string_value(json_object_get(a, "item")), item))
			return json_string_value(json_object_get(a, lang));
	return NULL;
}

static json_t *load(const char *s)
{
	json_error_t je;
	json_t *j = json_loads(s, 0, &je);
	assert_non_null(j);
	return j;
}

static void from_attack_audit(void **state)
{
	json_t *audit = load("{\"events\": 177, \"allow_list\": true,"
		"\"first\": \"2024-03-01T07:55:00+09:00\", \"last\": \"2024-03-31T09:28:00+09:00\","
		"\"findings\": ["
		"{\"kind\": \"outside_allowlist\", \"severity\": \"critical\", \"source\": \"203.0.113.99\", \"user\": \"fj-sato\"},"
		"{\"kind\": \"outside_allowlist\", \"severity\": \"critical\", \"source\": \"203.0.113.99\", \"user\": \"other\"},"
		"{\"kind\": \"outside_allowlist\", \"severity\": \"critical\", \"source\": \"203.0.113.98\", \"user\": \"x\"},"
		"{\"kind\": \"outside_allowlist\", \"severity\": \"low\", \"source\": \"203.0.113.66\", \"user\": null}],"
		"\"sources\": []}");
	(void)state;
	json_t *r = evidence_propose(audit, NULL);
	assert_string_equal(value(r, "q13_vpn_restricted"), "no");
	assert_string_equal(reason(r, "q13_vpn_restricted", "en"),
			    "no — 2 source(s) outside the allow-list connected successfully.");
	assert_non_null(strstr(reason(r, "q13_vpn_restricted", "ja"), "2 件"));
	assert_string_equal(value(r, "q14_vpn_log_review"), "yes");
	assert_non_null(strstr(reason(r, "q14_vpn_log_review", "en"), "177 access records"));
	assert_string_equal(value(r, "q12_vpn_updated"), "unknown");
	json_decref(r);
	json_decref(audit);
}

static void clean_audit_and_firmware(void **state)
{
	json_t *audit = load("{\"events\": 136, \"allow_list\": true,"
		"\"first\": \"2024-03-01T07:55:00+09:00\", \"last\": \"2024-03-31T14:50:00+09:00\","
		"\"findings\": [], \"sources\": [{\"source\": \"198.51.100.5\", \"successes\": 21},"
		"{\"source\": \"192.0.2.50\", \"successes\": 18}, {\"source\": \"203.0.113.1\", \"successes\": 0}]}");
	json_t *fw = load("{\"devices\": [{\"status\": \"not_affected\"}, {\"status\": \"not_affected\"}]}");
	(void)state;
	json_t *r = evidence_propose(audit, fw);
	assert_string_equal(value(r, "q12_vpn_updated"), "yes");
	assert_string_equal(value(r, "q13_vpn_restricted"), "yes");
	assert_non_null(strstr(reason(r, "q13_vpn_restricted", "en"), "all 2 source(s)"));
	assert_string_equal(value(r, "q14_vpn_log_review"), "yes");
	json_decref(r);
	json_decref(fw);
	json_decref(audit);
}

static void firmware_answers(void **state)
{
	json_t *aff = load("{\"devices\": [{\"status\": \"affected\", \"vulnerabilities\": ["
		"{\"cve\": \"CVE-2018-13379\"}, {\"cve\": \"CVE-2022-42475\"}]},"
		"{\"status\": \"unknown\"}]}");
	json_t *unk = load("{\"devices\": [{\"status\": \"not_affected\"}, {\"status\": \"unknown\"}]}");
	json_t *none = load("{\"devices\": []}");
	(void)state;
	json_t *r = evidence_propose(NULL, aff);
	assert_string_equal(value(r, "q12_vpn_updated"), "no");
	assert_non_null(strstr(reason(r, "q12_vpn_updated", "en"), "CVE-2018-13379, CVE-2022-42475"));
	assert_string_equal(value(r, "q13_vpn_restricted"), "unknown");
	assert_string_equal(value(r, "q14_vpn_log_review"), "unknown");
	json_decref(r);
	r = evidence_propose(NULL, unk);
	assert_string_equal(value(r, "q12_vpn_updated"), "unknown");
	json_decref(r);
	r = evidence_propose(NULL, none);
	assert_string_equal(value(r, "q12_vpn_updated"), "unknown");
	json_decref(r);
	json_decref(aff);
	json_decref(unk);
	json_decref(none);
}

static void audit_without_allow_list_or_events(void **state)
{
	json_t *a = load("{\"events\": 0, \"allow_list\": false, \"first\": null, \"last\": null, \"findings\": []}");
	(void)state;
	json_t *r = evidence_propose(a, NULL);
	assert_string_equal(value(r, "q13_vpn_restricted"), "unknown");
	assert_string_equal(value(r, "q14_vpn_log_review"), "unknown");
	json_decref(r);
	json_decref(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(from_attack_audit),
		cmocka_unit_test(clean_audit_and_firmware),
		cmocka_unit_test(firmware_answers),
		cmocka_unit_test(audit_without_allow_list_or_events),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
