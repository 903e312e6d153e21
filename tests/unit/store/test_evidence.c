/*
 * test_evidence.c - store/evidence.h: attaching audit and firmware
 * results to a response (kept byte for byte, with the right SHA-256, who,
 * when, from where, audited), refusing documents of the wrong shape and
 * organisations outside the population, and listing in order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <sodium.h>

#include "store/evidence.h"
#include "store/store.h"
#include "util/strbuf.h"

#ifndef SOURCE_ROOT
#define SOURCE_ROOT "."
#endif

static const struct store_actor who = { "test:alice", "192.0.2.7" };

/* Written with odd spacing on purpose: it must come back exactly. */
static const char audit_json[] =
	"{\"schema\": \"mamori.vpnlog.audit/1\", \"events\": 3, "
	"\"findings\": [{\"kind\": \"outside_allowlist\", \"severity\": "
	"\"critical\", \"source\": \"203.0.113.99\", \"user\": \"sato\", "
	"\"count\": 1}]}";
/* sha256sum of audit_json's bytes. */
static const char audit_sha256[] =
	"301967fbd0df04a096f4add293f33fcc53270d3844e1c7d4efe037bf5f39e285";

static const char firmware_json[] =
	"{\"schema\":\"mamori.firmware.check/1\",\n \"devices\": [{\"vendor\":"
	"\"Fortinet\",\"product\":\"FortiGate 60E\",\"version\":\"6.0.4\","
	"\"status\":\"affected\",\"vulnerabilities\":[{\"cve\":"
	"\"CVE-2018-13379\"}]}],\n \"summary\": {\"affected\": 1, "
	"\"not_affected\": 0, \"unknown\": 0}}\n";

static const char orgs_csv[] =
	"id,name,kind,prefecture,beds\n"
	"H001,Tsurugi town hospital,hospital,36,120\n"
	"H002,Tokyo hospital,hospital,13,300\n"
	"B001,Bank one,bank,27,\n";

struct fx {
	char dir[64];
	char db[128];
	struct store *st;
	struct strbuf err;
	int64_t campaign;
};

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static int64_t T(const char *s)
{
	int64_t t;
	assert_int_equal(store_time_parse(s, false, &t), MAMORI_OK);
	return t;
}

/* A database with three organisations and a campaign of the hospitals. */
static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct store_open_opts o = { .create = true };
	struct store_import_stats s;
	size_t len;
	char *yaml;

	assert_non_null(fx);
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/mamori-evidence-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->db, sizeof(fx->db), "%s/m.db", fx->dir);
	strbuf_init(&fx->err, 0);
	assert_int_equal(store_open(fx->db, &o, &fx->st, &fx->err), MAMORI_OK);
	assert_int_equal(store_org_import_csv(fx->st, &who, orgs_csv,
					      strlen(orgs_csv), STORE_ENC_AUTO,
					      &s, &fx->err),
			 MAMORI_OK);
	yaml = slurp(SOURCE_ROOT "/tests/data/store/tiny.yaml", &len);
	struct store_campaign_new cn = {
		.title = "evidence test",
		.instrument_name = "tiny.yaml",
		.instrument = yaml,
		.instrument_len = len,
		.target = "kind = 'hospital'",
		.nwindows = 1,
		.windows = { { T("2022-01-27"), T("2022-02-14T23:59:59") } },
	};
	store_set_clock(fx->st, T("2022-02-01T10:00"));
	if (store_campaign_create(fx->st, &who, &cn, &fx->campaign, &fx->err))
		fail_msg("%s", fx->err.buf);
	free(yaml);
	strbuf_reset(&fx->err);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	char cmd[200];

	store_free(fx->st);
	strbuf_release(&fx->err);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		return -1;
	free(fx);
	return 0;
}

static void hex_of(const char *buf, size_t len, char out[65])
{
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(d, (const unsigned char *)buf, len);
	sodium_bin2hex(out, 65, d, sizeof(d));
}

/* Everything listed, one line per item, the document on its own line. */
static int collect(void *ud, const struct store_evidence *e)
{
	struct strbuf *sb = ud;
	strbuf_addf(sb, "%lld|%s|%s|%s|%s|%s|%lld|%s\n%.*s\n",
		    (long long)e->id, e->kind, e->name, e->sha256, e->who,
		    e->from, (long long)e->at, e->summary, (int)e->len,
		    e->json);
	return 0;
}

static size_t count_items(struct fx *fx)
{
	struct strbuf out = STRBUF_INIT;
	size_t n = 0;

	assert_int_equal(store_evidence_list(fx->st, fx->campaign, "H001",
					     collect, &out, &fx->err),
			 MAMORI_OK);
	for (size_t i = 0; i < out.len; i++)
		n += out.buf[i] == '\n';
	strbuf_release(&out);
	return n / 2;
}

static void attach_both_kinds_and_list(void **state)
{
	struct fx *fx = *state;
	struct strbuf out = STRBUF_INIT, want = STRBUF_INIT;
	char hex[65], fw_hex[65], got[65];
	int64_t id1 = 0, id2 = 0, id3 = 0;
	const struct store_actor bob = { "test:bob", "198.51.100.1" };

	assert_int_equal(store_evidence_attach(fx->st, &who, fx->campaign,
					       "H001", STORE_EVIDENCE_AUDIT,
					       audit_json, strlen(audit_json),
					       &id1, got, &fx->err),
			 MAMORI_OK);
	hex_of(audit_json, strlen(audit_json), hex);
	assert_string_equal(got, hex);
	assert_string_equal(got, audit_sha256);

	store_set_clock(fx->st, T("2022-02-02T09:00"));
	assert_int_equal(store_evidence_attach(fx->st, &bob, fx->campaign,
					       "H001", STORE_EVIDENCE_FIRMWARE,
					       firmware_json,
					       strlen(firmware_json), &id2,
					       got, &fx->err),
			 MAMORI_OK);
	hex_of(firmware_json, strlen(firmware_json), fw_hex);
	assert_string_equal(got, fw_hex);
	/* the same document again: a new item, the first one untouched */
	assert_int_equal(store_evidence_attach(fx->st, &who, fx->campaign,
					       "H001", STORE_EVIDENCE_AUDIT,
					       audit_json, strlen(audit_json),
					       &id3, NULL, &fx->err),
			 MAMORI_OK);
	assert_true(id1 < id2 && id2 < id3);

	/* another organisation's evidence is not H001's */
	assert_int_equal(store_evidence_attach(fx->st, &who, fx->campaign,
					       "H002", STORE_EVIDENCE_FIRMWARE,
					       firmware_json,
					       strlen(firmware_json), NULL,
					       NULL, &fx->err),
			 MAMORI_OK);

	assert_int_equal(store_evidence_list(fx->st, fx->campaign, "H001",
					     collect, &out, &fx->err),
			 MAMORI_OK);
	strbuf_addf(&want,
		    "%lld|vpnlog_audit|vpnlog_audit|%s|test:alice|192.0.2.7|%lld|"
		    "{\"events\":3,\"findings\":1}\n%s\n",
		    (long long)id1, hex, (long long)T("2022-02-01T10:00"),
		    audit_json);
	strbuf_addf(&want,
		    "%lld|firmware_check|firmware_check|%s|test:bob|198.51.100.1|%lld|"
		    "{\"devices\":1,\"summary\":{\"affected\":1,"
		    "\"not_affected\":0,\"unknown\":0}}\n%s\n",
		    (long long)id2, fw_hex, (long long)T("2022-02-02T09:00"),
		    firmware_json);
	strbuf_addf(&want,
		    "%lld|vpnlog_audit|vpnlog_audit|%s|test:alice|192.0.2.7|%lld|"
		    "{\"events\":3,\"findings\":1}\n%s\n",
		    (long long)id3, hex, (long long)T("2022-02-02T09:00"),
		    audit_json);
	assert_string_equal(out.buf, want.buf);
	strbuf_release(&out);
	strbuf_release(&want);
}

static int first_only(void *ud, const struct store_evidence *e)
{
	(*(int *)ud)++;
	(void)e;
	return 1;
}

static void list_stops_when_asked(void **state)
{
	struct fx *fx = *state;
	int calls = 0;

	for (int i = 0; i < 3; i++)
		assert_int_equal(store_evidence_attach(
					 fx->st, &who, fx->campaign, "H001",
					 STORE_EVIDENCE_AUDIT, audit_json,
					 strlen(audit_json), NULL, NULL,
					 &fx->err),
				 MAMORI_OK);
	assert_int_equal(store_evidence_list(fx->st, fx->campaign, "H001",
					     first_only, &calls, &fx->err),
			 MAMORI_OK);
	assert_int_equal(calls, 1);
	assert_int_equal(count_items(fx), 3);
}

struct bad_doc {
	const char *name, *kind, *json;
	enum mamori_err want;
	const char *msg;
};

static const struct bad_doc bad_docs[] = {
	{ "firmware as audit", STORE_EVIDENCE_AUDIT, firmware_json,
	  MAMORI_EINVAL, "it looks like a firmware check" },
	{ "audit as firmware", STORE_EVIDENCE_FIRMWARE, audit_json,
	  MAMORI_EINVAL, "it looks like an audit" },
	{ "not JSON", STORE_EVIDENCE_AUDIT, "{\"events\": 3, \"findings\": [",
	  MAMORI_EPARSE, "not JSON" },
	{ "an array", STORE_EVIDENCE_FIRMWARE, "[{\"devices\": []}]",
	  MAMORI_EINVAL, "neither kind" },
	{ "findings not an array", STORE_EVIDENCE_AUDIT,
	  "{\"events\": 3, \"findings\": {}}", MAMORI_EINVAL, "neither kind" },
	{ "audit without events", STORE_EVIDENCE_AUDIT,
	  "{\"findings\": []}", MAMORI_EINVAL, "neither kind" },
	{ "another schema", STORE_EVIDENCE_FIRMWARE,
	  "{\"schema\": \"mamori.iot.check/1\", \"devices\": []}",
	  MAMORI_EINVAL, "neither kind" },
	{ "a response's answers with devices", STORE_EVIDENCE_FIRMWARE,
	  "{\"q1\": \"yes\", \"devices\": [{\"maker\": \"Fortinet\"}]}",
	  MAMORI_EINVAL, "neither kind" },
	{ "events not a number", STORE_EVIDENCE_AUDIT,
	  "{\"events\": \"3\", \"findings\": []}", MAMORI_EINVAL,
	  "neither kind" },
	{ "a finding without a kind", STORE_EVIDENCE_AUDIT,
	  "{\"events\": 3, \"findings\": [{\"severity\": \"high\"}]}",
	  MAMORI_EINVAL, "neither kind" },
	{ "unknown kind", "iot_check", firmware_json, MAMORI_EINVAL,
	  "not 'iot_check'" },
	{ "no kind", NULL, firmware_json, MAMORI_EINVAL, "not ''" },
};

static int count_attach_events(void *ud, const struct store_audit_event *e)
{
	if (!strcmp(e->action, "evidence.attach"))
		(*(size_t *)ud)++;
	return 0;
}

static void wrong_shape_refused(void **state)
{
	struct fx *fx = *state;
	size_t events = 0;

	for (size_t i = 0; i < sizeof(bad_docs) / sizeof(bad_docs[0]); i++) {
		const struct bad_doc *b = &bad_docs[i];
		int64_t id = -7;
		enum mamori_err e;

		strbuf_reset(&fx->err);
		e = store_evidence_attach(fx->st, &who, fx->campaign, "H001",
					  b->kind, b->json, strlen(b->json),
					  &id, NULL, &fx->err);
		if (e != b->want)
			fail_msg("%s: got %d, wanted %d (%s)", b->name, e,
				 b->want, fx->err.buf);
		if (!strstr(fx->err.buf, b->msg))
			fail_msg("%s: message '%s' lacks '%s'", b->name,
				 fx->err.buf, b->msg);
		assert_int_equal(id, -7);
	}
	strbuf_reset(&fx->err);
	assert_int_equal(count_items(fx), 0);
	assert_int_equal(store_audit_list(fx->st, 0, count_attach_events,
					  &events, &fx->err),
			 MAMORI_OK);
	assert_int_equal(events, 0);
}

static void detect(void **state)
{
	assert_string_equal(store_evidence_detect(audit_json,
						  strlen(audit_json)),
			    STORE_EVIDENCE_AUDIT);
	assert_string_equal(store_evidence_detect(firmware_json,
						  strlen(firmware_json)),
			    STORE_EVIDENCE_FIRMWARE);
	/* an audit lists devices too: it is still an audit */
	static const char both[] =
		"{\"events\":1,\"findings\":[],\"devices\":[]}";

	assert_string_equal(store_evidence_detect(both, strlen(both)),
			    STORE_EVIDENCE_AUDIT);
	(void)state;
	assert_null(store_evidence_detect("{\"devices\": 1}", 14));
	assert_null(store_evidence_detect("{\"devices\": []}", 15));
	assert_string_equal(store_evidence_detect(
				    "{\"schema\": \"mamori.firmware.check/1\","
				    " \"devices\": []}", 52),
			    STORE_EVIDENCE_FIRMWARE);
	assert_null(store_evidence_detect("not json", 8));
	assert_null(store_evidence_detect("", 0));
}

static void outside_population_refused(void **state)
{
	struct fx *fx = *state;
	static const struct {
		int64_t campaign_delta;
		const char *org, *msg;
	} cases[] = {
		{ 0, "X999", "no organisation 'X999'" },
		{ 0, "B001", "organisation 'B001' is not in campaign" },
		{ 0, "h001", "no organisation 'h001'" },
		{ 5, "H001", "no campaign" },
	};
	size_t events = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf out = STRBUF_INIT;
		int64_t c = fx->campaign + cases[i].campaign_delta;

		strbuf_reset(&fx->err);
		assert_int_equal(store_evidence_attach(fx->st, &who, c,
						       cases[i].org,
						       STORE_EVIDENCE_AUDIT,
						       audit_json,
						       strlen(audit_json),
						       NULL, NULL, &fx->err),
				 MAMORI_ENOENT);
		if (!strstr(fx->err.buf, cases[i].msg))
			fail_msg("%s: '%s' lacks '%s'", cases[i].org,
				 fx->err.buf, cases[i].msg);
		strbuf_reset(&fx->err);
		assert_int_equal(store_evidence_list(fx->st, c, cases[i].org,
						     collect, &out, &fx->err),
				 MAMORI_ENOENT);
		assert_int_equal(out.len, 0);
		strbuf_release(&out);
	}
	strbuf_reset(&fx->err);
	assert_int_equal(store_audit_list(fx->st, 0, count_attach_events,
					  &events, &fx->err),
			 MAMORI_OK);
	assert_int_equal(events, 0);
}

static void closed_campaign_takes_evidence(void **state)
{
	struct fx *fx = *state;
	struct store_campaign c;
	int64_t id = 0;

	store_set_clock(fx->st, T("2022-06-01"));
	assert_int_equal(store_campaign_get(fx->st, fx->campaign, &c, &fx->err),
			 MAMORI_OK);
	assert_int_equal(c.state, CAMPAIGN_CLOSED);
	store_campaign_release(&c);
	assert_int_equal(store_evidence_attach(fx->st, &who, fx->campaign,
					       "H002", STORE_EVIDENCE_FIRMWARE,
					       firmware_json,
					       strlen(firmware_json), &id,
					       NULL, &fx->err),
			 MAMORI_OK);
	assert_true(id > 0);
}

static int find_attach(void *ud, const struct store_audit_event *e)
{
	struct strbuf *sb = ud;
	if (!strcmp(e->action, "evidence.attach"))
		strbuf_addf(sb, "%lld %s %s %s %s\n", (long long)e->at, e->who,
			    e->from, e->object, e->detail);
	return 0;
}

static void audit_event_written(void **state)
{
	struct fx *fx = *state;
	struct strbuf out = STRBUF_INIT, want = STRBUF_INIT;
	int64_t id = 0;

	assert_int_equal(store_evidence_attach(fx->st, &who, fx->campaign,
					       "H002", STORE_EVIDENCE_AUDIT,
					       audit_json, strlen(audit_json),
					       &id, NULL, &fx->err),
			 MAMORI_OK);
	assert_int_equal(store_audit_list(fx->st, 0, find_attach, &out,
					  &fx->err),
			 MAMORI_OK);
	strbuf_addf(&want,
		    "%lld test:alice 192.0.2.7 campaign:%lld/H002 "
		    "{\"evidence\":%lld,\"kind\":\"vpnlog_audit\","
		    "\"sha256\":\"%s\",\"bytes\":%zu}\n",
		    (long long)T("2022-02-01T10:00"), (long long)fx->campaign,
		    (long long)id, audit_sha256, strlen(audit_json));
	assert_string_equal(out.buf, want.buf);
	strbuf_release(&out);
	strbuf_release(&want);
}

static void too_big_refused(void **state)
{
	struct fx *fx = *state;
	size_t n = STORE_EVIDENCE_MAX + 1;
	char *big = malloc(n);

	assert_non_null(big);
	memset(big, ' ', n);
	assert_int_equal(store_evidence_attach(fx->st, &who, fx->campaign,
					       "H001", STORE_EVIDENCE_AUDIT,
					       big, n, NULL, NULL, &fx->err),
			 MAMORI_ETOOBIG);
	free(big);
	strbuf_reset(&fx->err);
	assert_int_equal(count_items(fx), 0);
}

int main(void)
{
#define T_(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(detect),
		T_(attach_both_kinds_and_list),
		T_(list_stops_when_asked),
		T_(wrong_shape_refused),
		T_(outside_population_refused),
		T_(closed_campaign_takes_evidence),
		T_(audit_event_written),
		T_(too_big_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
