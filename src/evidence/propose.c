/*
 * propose.c - survey answers from evidence, each with a one-sentence
 * reason in Japanese and English. Must never answer "yes" without
 * evidence for it: missing evidence gives "unknown".
 */
#include "evidence/propose.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/banned.h"

static void answer(json_t *out, const char *item, const char *value,
		   const char *ja, const char *en)
{
	json_object_set_new(json_object_get(out, "response"), item,
			    json_string(value));
	json_array_append_new(json_object_get(out, "answers"),
			      json_pack("{s:s,s:s,s:s,s:s}", "item", item,
					"value", value, "ja", ja, "en", en));
}

static json_int_t jint(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static void q12(json_t *out, json_t *fw)
{
	char ja[512], en[512], cves[160] = "";
	json_t *devs = json_object_get(fw, "devices"), *d, *v;
	size_t i, j, affected = 0, unknown = 0, ok = 0;

	if (!fw || !json_is_array(devs)) {
		answer(out, "q12_vpn_updated", "unknown",
		       "不明 — ファームウェアの照合結果がないため判断できません。",
		       "unknown — there is no firmware check to judge from.");
		return;
	}
	json_array_foreach(devs, i, d) {
		const char *st = json_string_value(json_object_get(d, "status"));
		if (st && !strcmp(st, "affected")) {
			affected++;
			json_array_foreach(json_object_get(d, "vulnerabilities"), j, v) {
				const char *c = json_string_value(json_object_get(v, "cve"));
				if (c && !strstr(cves, c) &&
				    strlen(cves) + strlen(c) + 3 < sizeof(cves)) {
					size_t n = strlen(cves);
					snprintf(cves + n, sizeof(cves) - n, "%s%s",
						 n ? ", " : "", c);
				}
			}
		} else if (st && !strcmp(st, "not_affected")) {
			ok++;
		} else {
			unknown++;
		}
	}
	if (affected) {
		snprintf(ja, sizeof(ja), "いいえ — %zu 台の装置のファームウェアに既知の悪用された脆弱性があります（%s）。",
			 affected, cves);
		snprintf(en, sizeof(en), "no — %zu device(s) run firmware with known-exploited vulnerabilities (%s).",
			 affected, cves);
		answer(out, "q12_vpn_updated", "no", ja, en);
	} else if (unknown || !ok) {
		snprintf(ja, sizeof(ja), "不明 — %zu 台の装置は製品または版を照合できませんでした。",
			 unknown);
		snprintf(en, sizeof(en), "unknown — the product or version of %zu device(s) could not be checked.",
			 unknown);
		answer(out, "q12_vpn_updated", "unknown", ja, en);
	} else {
		snprintf(ja, sizeof(ja), "はい — %zu 台すべての装置が、既知の悪用された脆弱性の修正済みの版です。",
			 ok);
		snprintf(en, sizeof(en), "yes — all %zu device(s) run firmware outside every known-exploited vulnerability range.",
			 ok);
		answer(out, "q12_vpn_updated", "yes", ja, en);
	}
}

static void q13(json_t *out, json_t *audit)
{
	char ja[512], en[512];
	json_t *f, *fs = json_object_get(audit, "findings"), *srcs;
	size_t i, n = 0, nsrc = 0;
	const char *seen[64];

	if (!audit) {
		answer(out, "q13_vpn_restricted", "unknown",
		       "不明 — アクセス記録の監査結果がないため判断できません。",
		       "unknown — there is no access-log audit to judge from.");
		return;
	}
	if (!json_is_true(json_object_get(audit, "allow_list"))) {
		answer(out, "q13_vpn_restricted", "unknown",
		       "不明 — 監査に保守事業者の接続元（許可リスト）が指定されていません。",
		       "unknown — the audit was run without the maintenance vendor's allow-list.");
		return;
	}
	json_array_foreach(fs, i, f) {
		const char *k = json_string_value(json_object_get(f, "kind"));
		const char *sev = json_string_value(json_object_get(f, "severity"));
		const char *src = json_string_value(json_object_get(f, "source"));
		if (!k || strcmp(k, "outside_allowlist") || !sev ||
		    strcmp(sev, "critical") || !src)
			continue;
		bool dup = false;
		for (size_t s = 0; s < nsrc; s++)
			dup |= !strcmp(seen[s], src);
		if (!dup && nsrc < 64)
			seen[nsrc++] = src;
		if (!dup)
			n++;
	}
	srcs = json_object_get(audit, "sources");
	if (n) {
		snprintf(ja, sizeof(ja), "いいえ — 許可リスト外の %zu 件の接続元からのログインが成功しています。", n);
		snprintf(en, sizeof(en), "no — %zu source(s) outside the allow-list connected successfully.", n);
		answer(out, "q13_vpn_restricted", "no", ja, en);
	} else {
		size_t ok = 0, k;
		json_t *s;
		json_array_foreach(srcs, k, s)
			if (jint(s, "successes") > 0)
				ok++;
		snprintf(ja, sizeof(ja), "はい — ログインに成功した %zu 件の接続元はすべて許可リスト内です。", ok);
		snprintf(en, sizeof(en), "yes — all %zu source(s) with successful logins are in the allow-list.", ok);
		answer(out, "q13_vpn_restricted", "yes", ja, en);
	}
}

static void q14(json_t *out, json_t *audit)
{
	char ja[512], en[512];
	json_int_t events = jint(audit, "events");
	const char *first = json_string_value(json_object_get(audit, "first"));
	const char *last = json_string_value(json_object_get(audit, "last"));

	if (!audit) {
		answer(out, "q14_vpn_log_review", "unknown",
		       "不明 — アクセス記録の監査結果がないため判断できません。",
		       "unknown — there is no access-log audit to judge from.");
		return;
	}
	if (events <= 0 || !first || !last) {
		answer(out, "q14_vpn_log_review", "unknown",
		       "不明 — 監査でアクセス記録を1件も読み取れませんでした。",
		       "unknown — the audit could not read a single access record.");
		return;
	}
	snprintf(ja, sizeof(ja), "はい — %s から %s までの %lld 件のアクセス記録を監査しました（この監査自体が検査です）。",
		 first, last, (long long)events);
	snprintf(en, sizeof(en), "yes — %lld access records from %s to %s were audited; the audit itself is the review.",
		 (long long)events, first, last);
	answer(out, "q14_vpn_log_review", "yes", ja, en);
}

json_t *evidence_propose(json_t *audit, json_t *firmware)
{
	json_t *out = json_object();
	json_object_set_new(out, "schema", json_string("mamori.evidence.propose/1"));
	json_object_set_new(out, "response", json_object());
	json_object_set_new(out, "answers", json_array());
	q12(out, firmware);
	q13(out, audit);
	q14(out, audit);
	return out;
}
