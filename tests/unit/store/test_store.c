/*
 * test_store.c - the SQLite store through store.h: schema and migrations,
 * refusal of newer databases, organisations import, campaigns, access
 * codes, the response lifecycle with every revision, export, backup.
 */
#include <errno.h>
#include <iconv.h>
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
#include <jansson.h>
#include <sqlite3.h>

#include "store/store.h"
#include "util/strbuf.h"

#ifndef SOURCE_ROOT
#define SOURCE_ROOT "."
#endif

#define STR_(x) #x
#define STR(x) STR_(x)

static const struct store_actor who = { "test:alice", "192.0.2.7" };
static const struct store_actor bob = { "test:bob", "192.0.2.8" };

struct fx {
	char dir[64];
	char db[128];
	struct store *st;
	struct strbuf err;
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
	if (len)
		*len = (size_t)n;
	return buf;
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct store_open_opts o = { .create = true };

	snprintf(fx->dir, sizeof(fx->dir), "/tmp/mamori-store-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->db, sizeof(fx->db), "%s/m.db", fx->dir);
	strbuf_init(&fx->err, 0);
	assert_int_equal(store_open(fx->db, &o, &fx->st, &fx->err), MAMORI_OK);
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

static void raw_exec(const char *db, const char *sql)
{
	sqlite3 *h;
	char *msg = NULL;
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(h);
}

/* ---- prefectures and times --------------------------------------- */

static void prefectures_match_data_file(void **state)
{
	char *csv = slurp(SOURCE_ROOT "/data/prefectures.csv", NULL);
	struct strbuf want = STRBUF_INIT;
	(void)state;

	strbuf_addstr(&want, "code,ja,en,region\n");
	for (size_t i = 0; i < PREFECTURE_COUNT; i++)
		strbuf_addf(&want, "%s,%s,%s,%s\n", prefectures[i].code,
			    prefectures[i].ja, prefectures[i].en,
			    prefectures[i].region);
	assert_string_equal(csv, want.buf);
	strbuf_release(&want);
	free(csv);
}

static void prefecture_names(void **state)
{
	static const struct {
		const char *in, *code;
	} cases[] = {
		{ "13", "13" },	    { "1", "01" },	  { "01", "01" },
		{ "東京都", "13" }, { "東京", "13" },	  { "tokyo", "13" },
		{ "Hokkaido", "01" }, { "北海道", "01" }, { "京都府", "26" },
		{ "京都", "26" },   { " 大阪府 ", "27" }, { "沖縄県", "47" },
		{ "48", NULL },	    { "0", NULL },	  { "Tokio", NULL },
		{ "北海", NULL },   { "", NULL },	  { "東", NULL },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct prefecture *p =
			prefecture_find(slice_from_cstr(cases[i].in));
		if (!cases[i].code) {
			if (p)
				fail_msg("'%s' matched %s", cases[i].in,
					 p->code);
			continue;
		}
		if (!p)
			fail_msg("'%s' not found", cases[i].in);
		assert_string_equal(p->code, cases[i].code);
	}
}

static void times(void **state)
{
	int64_t t;
	char buf[40];
	(void)state;

	assert_int_equal(store_time_parse("2022-02-14", true, &t), MAMORI_OK);
	assert_string_equal(store_time_format(t, buf, sizeof(buf)),
			    "2022-02-14T23:59:59+09:00");
	assert_int_equal(store_time_parse("2022-01-27", false, &t), MAMORI_OK);
	assert_int_equal(t, 1643209200);	/* 2022-01-26T15:00:00Z */
	assert_int_equal(store_time_parse("2022-01-27T09:30Z", false, &t), 0);
	assert_string_equal(store_time_format(t, buf, sizeof(buf)),
			    "2022-01-27T18:30:00+09:00");
	assert_int_equal(store_time_parse("2022-01-27T09:30:15-05:00", false,
					  &t), 0);
	assert_string_equal(store_time_format(t, buf, sizeof(buf)),
			    "2022-01-27T23:30:15+09:00");
	assert_int_equal(store_time_parse("2022-02-30", false, &t),
			 MAMORI_EPARSE);
	assert_int_equal(store_time_parse("2022-1-27", false, &t),
			 MAMORI_EPARSE);
	assert_int_equal(store_time_parse("2022-01-27x", false, &t),
			 MAMORI_EPARSE);
}

/* ---- opening, versions, migrations ------------------------------ */

static void new_database_is_latest(void **state)
{
	struct fx *fx = *state;
	struct strbuf report = STRBUF_INIT;

	assert_int_equal(store_schema_version(fx->st), STORE_SCHEMA_VERSION);
	assert_int_equal(store_check(fx->st, &report), MAMORI_OK);
	assert_string_equal(report.buf, "ok");
	strbuf_release(&report);
}

static void newer_database_refused_unchanged(void **state)
{
	struct fx *fx = *state;
	struct store *st = NULL;
	struct store_open_opts o = { .create = true };
	char *before, *after;
	size_t lb, la;

	store_free(fx->st);
	fx->st = NULL;
	raw_exec(fx->db, "PRAGMA wal_checkpoint(TRUNCATE);"
			 "PRAGMA journal_mode = DELETE;"
			 "PRAGMA user_version = 99;");
	before = slurp(fx->db, &lb);
	strbuf_reset(&fx->err);
	assert_int_equal(store_open(fx->db, &o, &st, &fx->err),
			 MAMORI_EVERSION);
	assert_null(st);
	assert_non_null(strstr(fx->err.buf, "schema version 99, written by a "
					    "newer mamori (this one knows up "
					    "to " STR(STORE_SCHEMA_VERSION)
					    "); it was not changed"));
	after = slurp(fx->db, &la);
	assert_int_equal(la, lb);
	assert_memory_equal(before, after, lb);
	free(before);
	free(after);
	/* nor does a plain open (no create) touch it */
	strbuf_reset(&fx->err);
	assert_int_equal(store_open(fx->db, NULL, &st, &fx->err),
			 MAMORI_EVERSION);
	assert_int_equal(access(fx->dir, F_OK), 0);
	fx->st = NULL;
	/* reopen something for teardown */
	raw_exec(fx->db, "PRAGMA user_version = " STR(STORE_SCHEMA_VERSION) ";");
	assert_int_equal(store_open(fx->db, NULL, &fx->st, &fx->err), 0);
}

static void foreign_database_refused(void **state)
{
	struct fx *fx = *state;
	struct store *st = NULL;
	struct store_open_opts o = { .create = true };
	char path[160];

	snprintf(path, sizeof(path), "%s/other.db", fx->dir);
	raw_exec(path, "CREATE TABLE t(x); INSERT INTO t VALUES (1);");
	strbuf_reset(&fx->err);
	assert_int_equal(store_open(path, &o, &st, &fx->err), MAMORI_ESCHEMA);
	assert_non_null(strstr(fx->err.buf, "not a mamori database"));
	snprintf(path, sizeof(path), "%s/missing.db", fx->dir);
	strbuf_reset(&fx->err);
	assert_int_equal(store_open(path, NULL, &st, &fx->err), MAMORI_ENOENT);
	assert_non_null(strstr(fx->err.buf, "mamori init"));
}

static void migration_1_to_latest(void **state)
{
	struct fx *fx = *state;
	struct store_open_opts v1 = { .create = true, .upto_version = 1 };
	struct store_open_opts latest = { .create = true };
	struct store *st = NULL;
	struct store_campaign c;
	struct store_revision r;
	char path[160];
	sqlite3 *h;

	snprintf(path, sizeof(path), "%s/old.db", fx->dir);
	assert_int_equal(store_open(path, &v1, &st, &fx->err), MAMORI_OK);
	assert_int_equal(store_schema_version(st), 1);
	store_free(st);
	/* what a mamori of schema 1 wrote */
	raw_exec(path,
		 "INSERT INTO organisation VALUES ('H1','Old hospital',"
		 " 'hospital','13','{\"beds\":50}',1,1);"
		 "INSERT INTO instrument VALUES ('abc','old','1','old.yaml',"
		 " 'id: old',1);"
		 "INSERT INTO campaign VALUES (1,'Old campaign','abc',"
		 " 'kind = ''hospital''',1643209200,1644850799,1,'cli:x');"
		 "INSERT INTO campaign_member VALUES (1,'H1');"
		 "INSERT INTO response_revision VALUES (1,'H1',1,'submit',1,"
		 " '{\"q1\":\"yes\"}',NULL,'cli:x','local',1643300000);"
		 "INSERT INTO response VALUES (1,'H1','submitted',1,1,"
		 " 1643300000);"
		 "INSERT INTO audit_event VALUES (1,1643300000,'cli:x','local',"
		 " 'response.submit','H1','{}');");
	/* a newer mamori without init refuses, with the reason */
	strbuf_reset(&fx->err);
	assert_int_equal(store_open(path, NULL, &st, &fx->err),
			 MAMORI_ESCHEMA);
	assert_non_null(strstr(fx->err.buf, "schema version 1, this mamori "
					    "needs " STR(STORE_SCHEMA_VERSION)
					    ": run 'mamori init'"));
	/* init upgrades, keeping the data */
	assert_int_equal(store_open(path, &latest, &st, &fx->err), MAMORI_OK);
	assert_int_equal(store_schema_version(st), STORE_SCHEMA_VERSION);
	assert_int_equal(store_campaign_get(st, 1, &c, &fx->err), MAMORI_OK);
	assert_int_equal(c.nwindows, 1);
	assert_int_equal(c.windows[0].opens, 1643209200);
	assert_int_equal(c.windows[0].closes, 1644850799);
	assert_int_equal(c.override, OVERRIDE_NONE);
	assert_int_equal(c.population, 1);
	store_campaign_release(&c);
	assert_int_equal(store_response_get(st, 1, "H1", 1, &r, &fx->err), 0);
	assert_string_equal(r.body, "{\"q1\":\"yes\"}");
	assert_int_equal(r.kind, REV_SUBMIT);
	store_revision_release(&r);
	store_free(st);
	/* migration 2 made revisions append-only in the database itself */
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(h, "UPDATE response_revision SET "
					     "body = '{}'", NULL, NULL, NULL),
			     SQLITE_OK);
	assert_non_null(strstr(sqlite3_errmsg(h), "append-only"));
	assert_int_not_equal(sqlite3_exec(h, "DELETE FROM audit_event", NULL,
					  NULL, NULL),
			     SQLITE_OK);
	sqlite3_close(h);
}

/* ---- organisations ------------------------------------------------ */

static const char orgs_csv[] =
	"id,name,kind,prefecture,beds,founder\n"
	"H001,\"Handa, Tsurugi town hospital\",hospital,36,120,municipal\n"
	"H002,東京病院,hospital,東京都,300,private\n"
	"H003,Sapporo clinic,hospital,Hokkaido,19.5,\n"
	"B001,\"Bank \"\"one\"\"\",bank,Osaka,,\n";

static int collect_org(void *ud, const struct store_org *o)
{
	struct strbuf *sb = ud;
	strbuf_addf(sb, "%s|%s|%s|%s|%s\n", o->id, o->name, o->kind,
		    o->pref_code, o->attrs);
	return 0;
}

static void import_orgs(struct fx *fx)
{
	struct store_import_stats s;
	strbuf_reset(&fx->err);
	assert_int_equal(store_org_import_csv(fx->st, &who, orgs_csv,
					      strlen(orgs_csv), STORE_ENC_AUTO,
					      &s, &fx->err),
			 MAMORI_OK);
	assert_int_equal(s.rows, 4);
}

static void org_import_and_list(void **state)
{
	struct fx *fx = *state;
	struct strbuf out = STRBUF_INIT;
	struct store_org_filter f = { "hospital", "13" };

	import_orgs(fx);
	assert_int_equal(store_org_list(fx->st, NULL, collect_org, &out,
					&fx->err), 0);
	assert_string_equal(out.buf,
		"B001|Bank \"one\"|bank|27|{}\n"
		"H001|Handa, Tsurugi town hospital|hospital|36|"
		"{\"beds\":120,\"founder\":\"municipal\"}\n"
		"H002|東京病院|hospital|13|{\"beds\":300,\"founder\":\"private\"}\n"
		"H003|Sapporo clinic|hospital|01|{\"beds\":19.5}\n");
	strbuf_reset(&out);
	assert_int_equal(store_org_list(fx->st, &f, collect_org, &out,
					&fx->err), 0);
	assert_string_equal(out.buf, "H002|東京病院|hospital|13|"
				     "{\"beds\":300,\"founder\":\"private\"}\n");
	strbuf_release(&out);
}

static int find_audit(void *ud, const struct store_audit_event *e)
{
	struct strbuf *sb = ud;
	if (!strcmp(e->action, "org.update"))
		strbuf_addf(sb, "%s %s %s %s\n", e->who, e->from, e->object,
			    e->detail);
	return 0;
}

static void org_reimport_updates_and_audits(void **state)
{
	struct fx *fx = *state;
	struct store_import_stats s;
	struct strbuf out = STRBUF_INIT;
	static const char again[] =
		"id,name,kind,prefecture,beds,founder\n"
		"H001,\"Handa, Tsurugi town hospital\",hospital,36,120,municipal\n"
		"H002,東京病院,hospital,13,320,private\n";

	import_orgs(fx);
	assert_int_equal(store_org_import_csv(fx->st, &bob, again,
					      strlen(again), STORE_ENC_UTF8, &s,
					      &fx->err), MAMORI_OK);
	assert_int_equal(s.created, 0);
	assert_int_equal(s.updated, 1);
	assert_int_equal(s.unchanged, 1);
	assert_int_equal(store_audit_list(fx->st, 0, find_audit, &out,
					  &fx->err), 0);
	assert_string_equal(out.buf,
		"test:bob 192.0.2.8 H002 "
		"{\"changes\":{\"attrs.beds\":[300,320]},\"line\":3}\n");
	strbuf_release(&out);
}

struct bad_case {
	const char *name, *csv, *errors;
};

static const struct bad_case bad_files[] = {
	{ "missing column", "id,name,prefecture\nH1,A,13\n",
	  "line 1: missing column 'kind'" },
	{ "every bad row, in order",
	  "id,name,kind,prefecture\n"
	  "H1,A,hospital,Tokio\n"
	  "H2,B,hospital,13\n"
	  ",C,hospital,13\n"
	  "H2,D,hospital,99\n"
	  "H5,E,hospital\n",
	  "line 2: unknown prefecture 'Tokio'\n"
	  "line 4: id is empty\n"
	  "line 5: unknown prefecture '99'\n"
	  "line 5: duplicate id 'H2' (first on line 3)\n"
	  "line 6: 3 fields, the header has 4" },
	{ "bad quoting", "id,name,kind,prefecture\nH1,\"A\"x,hospital,13\n",
	  "line 2: text after a closing quote" },
	{ "not UTF-8 when forced", "id,name,kind,prefecture\nH1,\x93\x8c,h,13\n",
	  "line 2: not valid UTF-8 (is the file CP932? try --encoding cp932)" },
	{ "empty", "", "the file is empty: a header line is needed "
		       "(id,name,kind,prefecture,...)" },
};

static void org_bad_files_change_nothing(void **state)
{
	struct fx *fx = *state;
	struct store_import_stats s;
	struct strbuf out = STRBUF_INIT;

	for (size_t i = 0; i < sizeof(bad_files) / sizeof(bad_files[0]); i++) {
		const struct bad_case *b = &bad_files[i];
		strbuf_reset(&fx->err);
		assert_int_equal(store_org_import_csv(
					 fx->st, &who, b->csv, strlen(b->csv),
					 i == 3 ? STORE_ENC_UTF8 : STORE_ENC_AUTO,
					 &s, &fx->err),
				 MAMORI_EINVALID);
		if (strcmp(fx->err.buf, b->errors))
			fail_msg("%s: got\n%s\nwanted\n%s", b->name,
				 fx->err.buf, b->errors);
	}
	assert_int_equal(store_org_list(fx->st, NULL, collect_org, &out,
					&fx->err), 0);
	assert_string_equal(out.buf, "");
	strbuf_release(&out);
}

static void org_import_cp932_and_bom(void **state)
{
	struct fx *fx = *state;
	struct store_import_stats s;
	struct strbuf out = STRBUF_INIT;
	static const char utf8[] = "id,name,kind,prefecture,設立\n"
				   "H9,徳島県つるぎ町立半田病院,hospital,徳島県,町\n";
	char sjis[256], *in = (char *)utf8, *o = sjis;
	size_t inleft = strlen(utf8), outleft = sizeof(sjis);
	iconv_t cd = iconv_open("CP932", "UTF-8");
	char bom[256];

	assert_true(cd != (iconv_t)-1);
	assert_int_not_equal(iconv(cd, &in, &inleft, &o, &outleft), (size_t)-1);
	iconv_close(cd);
	assert_int_equal(store_org_import_csv(fx->st, &who, sjis,
					      (size_t)(o - sjis),
					      STORE_ENC_AUTO, &s, &fx->err), 0);
	assert_int_equal(s.encoding, STORE_ENC_CP932);
	assert_int_equal(store_org_list(fx->st, NULL, collect_org, &out,
					&fx->err), 0);
	assert_string_equal(out.buf, "H9|徳島県つるぎ町立半田病院|hospital|36|"
				     "{\"設立\":\"町\"}\n");
	/* the same in UTF-8 with a BOM: unchanged */
	snprintf(bom, sizeof(bom), "\xef\xbb\xbf%s", utf8);
	assert_int_equal(store_org_import_csv(fx->st, &who, bom, strlen(bom),
					      STORE_ENC_AUTO, &s, &fx->err), 0);
	assert_int_equal(s.encoding, STORE_ENC_UTF8);
	assert_int_equal(s.unchanged, 1);
	strbuf_release(&out);
}

/* ---- campaigns and responses ---------------------------------- */

#define T(s) tparse(s)

static int64_t tparse(const char *s)
{
	int64_t t;
	assert_int_equal(store_time_parse(s, false, &t), MAMORI_OK);
	return t;
}

static int64_t make_campaign(struct fx *fx, const char *target)
{
	size_t len;
	char *yaml = slurp(SOURCE_ROOT "/tests/data/store/tiny.yaml", &len);
	struct store_campaign_new cn = {
		.title = "2022 test survey",
		.instrument_name = "tiny.yaml",
		.instrument = yaml,
		.instrument_len = len,
		.target = target,
		.nwindows = 2,
		.windows = { { T("2022-01-27"), T("2022-02-14T23:59:59") },
			     { T("2022-03-08"), T("2022-03-24T23:59:59") } },
	};
	int64_t id = 0;

	import_orgs(fx);
	store_set_clock(fx->st, T("2022-01-20"));
	strbuf_reset(&fx->err);
	if (store_campaign_create(fx->st, &who, &cn, &id, &fx->err))
		fail_msg("%s", fx->err.buf);
	free(yaml);
	return id;
}

static void campaign_population_and_state(void **state)
{
	struct fx *fx = *state;
	struct store_campaign c;
	int64_t id = make_campaign(fx, "kind = 'hospital' and beds >= 100");

	assert_int_equal(store_campaign_get(fx->st, id, &c, &fx->err), 0);
	assert_int_equal(c.population, 2);	/* H001, H002 */
	assert_string_equal(c.instrument_id, "store-test");
	assert_int_equal(strlen(c.instrument_sha256), 64);
	assert_int_equal(c.state, CAMPAIGN_SCHEDULED);
	store_campaign_release(&c);
	static const struct {
		const char *now;
		enum campaign_state s;
	} at[] = {
		{ "2022-01-27", CAMPAIGN_OPEN },
		{ "2022-02-14T23:59:59", CAMPAIGN_OPEN },
		{ "2022-02-15", CAMPAIGN_CLOSED },
		{ "2022-03-10", CAMPAIGN_OPEN },
		{ "2022-03-25", CAMPAIGN_CLOSED },
	};
	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		store_set_clock(fx->st, T(at[i].now));
		assert_int_equal(store_campaign_get(fx->st, id, &c, &fx->err), 0);
		if (c.state != at[i].s)
			fail_msg("%s: %s", at[i].now,
				 campaign_state_name(c.state));
		store_campaign_release(&c);
	}
	/* extension, and the regulator's own open/close */
	assert_int_equal(store_campaign_extend(fx->st, &who, id,
					       T("2022-03-31T23:59:59"),
					       &fx->err), 0);
	assert_int_equal(store_campaign_get(fx->st, id, &c, &fx->err), 0);
	assert_int_equal(c.state, CAMPAIGN_OPEN);
	store_campaign_release(&c);
	assert_int_equal(store_campaign_set_override(fx->st, &who, id,
						     OVERRIDE_CLOSED, &fx->err),
			 0);
	assert_int_equal(store_campaign_get(fx->st, id, &c, &fx->err), 0);
	assert_int_equal(c.state, CAMPAIGN_CLOSED);
	store_campaign_release(&c);
	assert_int_equal(store_campaign_set_override(fx->st, &who, id,
						     OVERRIDE_NONE, &fx->err),
			 0);
	assert_int_equal(store_campaign_get(fx->st, id, &c, &fx->err), 0);
	assert_int_equal(c.state, CAMPAIGN_OPEN);
	store_campaign_release(&c);
}

/* The population, counted once per connection and campaign: every
 * campaign keeps its own, more campaigns than the connection keeps. */
static void campaign_population_each_its_own(void **state)
{
	struct fx *fx = *state;
	static const struct { const char *target; size_t n; } t[] = {
		{ "kind = 'hospital' and beds >= 100", 2 },
		{ "kind = 'hospital'", 3 },
		{ "beds >= 100000", 0 },
	};
	enum { N = 3, ROUNDS = 12 };
	int64_t id[ROUNDS];
	struct store_campaign c;

	for (int i = 0; i < ROUNDS; i++) {
		id[i] = make_campaign(fx, t[i % N].target);
		assert_int_equal(store_campaign_get(fx->st, id[i], &c,
						    &fx->err), 0);
		assert_int_equal(c.population, t[i % N].n);
		store_campaign_release(&c);
	}
	for (int k = 0; k < 2; k++) {
		for (int i = ROUNDS - 1; i >= 0; i--) {
			assert_int_equal(store_campaign_get(fx->st, id[i], &c,
							    &fx->err), 0);
			assert_int_equal(c.population, t[i % N].n);
			store_campaign_release(&c);
			/* the light read leaves it uncounted */
			assert_int_equal(store_campaign_state(fx->st, id[i],
							      &c, &fx->err),
					 0);
			assert_int_equal(c.population, 0);
			store_campaign_release(&c);
		}
	}
}

static void campaign_bad_input(void **state)
{
	struct fx *fx = *state;
	struct store_campaign_new cn = {
		.title = "x", .instrument_name = "bad.yaml",
		.instrument = "id: [", .instrument_len = 5,
		.target = "kind = 'hospital'", .nwindows = 1,
		.windows = { { 100, 200 } },
	};
	int64_t id;

	assert_int_not_equal(store_campaign_create(fx->st, &who, &cn, &id,
						   &fx->err), MAMORI_OK);
	cn.windows[0].closes = 50;
	strbuf_reset(&fx->err);
	assert_int_equal(store_campaign_create(fx->st, &who, &cn, &id,
					       &fx->err), MAMORI_EINVAL);
	assert_non_null(strstr(fx->err.buf, "closes"));
}

static const char valid[] = "{\"q1\":\"yes\",\"q2\":3,\"q3\":[\"edr\",\"waf\"],"
	"\"devices\":[{\"maker\":\"Fortinet, Inc.\",\"units\":2},"
	"{\"maker\":\"=HYPERLINK(\\\"x\\\")\"}]}";
static const char invalid[] = "{\"q1\":\"yes\"}";
static const char valid_no[] = "{\"q1\":\"no\"}";

static void lifecycle(void **state)
{
	struct fx *fx = *state;
	struct store_response rs;
	struct store_revision r;
	int64_t id = make_campaign(fx, "kind = 'hospital'"), rev = 0;

	/* before the window: refused, with the opening time */
	assert_int_equal(store_response_save(fx->st, &who, id, "H001", invalid,
					     strlen(invalid), 0, &rev,
					     &fx->err), MAMORI_ECLOSED);
	assert_non_null(strstr(fx->err.buf, "opens at 2022-01-27T00:00:00+09:00"));
	store_set_clock(fx->st, T("2022-02-01T10:00"));
	/* a draft may be invalid */
	strbuf_reset(&fx->err);
	assert_int_equal(store_response_save(fx->st, &who, id, "H001", invalid,
					     strlen(invalid), 0, &rev,
					     &fx->err), MAMORI_OK);
	assert_int_equal(rev, 1);
	/* a submission may not; nothing is stored */
	assert_int_equal(store_response_submit(fx->st, &who, id, "H001",
					       invalid, strlen(invalid), 1,
					       &rev, &fx->err),
			 MAMORI_EINVALID);
	assert_non_null(strstr(fx->err.buf, "was not submitted: 1 problem\nq2: "));
	assert_int_equal(store_response_state(fx->st, id, "H001", &rs,
					      &fx->err), 0);
	assert_int_equal(rs.status, RESPONSE_DRAFT);
	assert_int_equal(rs.revision, 1);
	/* submit, based on revision 1 */
	assert_int_equal(store_response_submit(fx->st, &bob, id, "H001", valid,
					       strlen(valid), 1, &rev,
					       &fx->err), MAMORI_OK);
	assert_int_equal(rev, 2);
	/* a save based on revision 1 is stale now */
	strbuf_reset(&fx->err);
	assert_int_equal(store_response_save(fx->st, &who, id, "H001", valid_no,
					     strlen(valid_no), 1, &rev,
					     &fx->err), MAMORI_ECONFLICT);
	assert_string_equal(fx->err.buf,
		"the response of 'H001' in campaign 1 changed since you opened "
		"it: you started from revision 1, revision 2 was saved by "
		"test:bob at 2022-02-01T10:00:00+09:00. Reload it and make "
		"your changes again.");
	/* amend: a draft after submission keeps the submission counting */
	assert_int_equal(store_response_save(fx->st, &who, id, "H001", invalid,
					     strlen(invalid), 2, &rev,
					     &fx->err), MAMORI_OK);
	assert_int_equal(rev, 3);
	assert_int_equal(store_response_state(fx->st, id, "H001", &rs,
					      &fx->err), 0);
	assert_int_equal(rs.status, RESPONSE_SUBMITTED);
	assert_int_equal(rs.submitted_revision, 2);
	assert_int_equal(rs.revision, 3);
	/* the amended submission replaces it */
	assert_int_equal(store_response_submit(fx->st, &who, id, "H001",
					       valid_no, strlen(valid_no), 3,
					       &rev, &fx->err), MAMORI_OK);
	assert_int_equal(rev, 4);
	/* after the close: refused with the close time */
	store_set_clock(fx->st, T("2022-03-25T09:00"));
	strbuf_reset(&fx->err);
	assert_int_equal(store_response_submit(fx->st, &who, id, "H001", valid,
					       strlen(valid), 4, &rev,
					       &fx->err), MAMORI_ECLOSED);
	assert_string_equal(fx->err.buf,
		"the response of 'H001' was not submitted\n"
		"campaign 1 closed at 2022-03-24T23:59:59+09:00");
	/* the regulator reopens; the respondent amends and submits again */
	assert_int_equal(store_response_reopen(fx->st, &bob, id, "H001", &rev,
					       &fx->err), MAMORI_OK);
	assert_int_equal(rev, 5);
	assert_int_equal(store_response_submit(fx->st, &who, id, "H001", valid,
					       strlen(valid), 5, &rev,
					       &fx->err), MAMORI_OK);
	assert_int_equal(rev, 6);
	/* and it is closed for it again */
	assert_int_equal(store_response_save(fx->st, &who, id, "H001", valid,
					     strlen(valid), 6, &rev, &fx->err),
			 MAMORI_ECLOSED);
	/* reopening a draft-only response is refused */
	store_set_clock(fx->st, T("2022-03-10"));
	assert_int_equal(store_response_save(fx->st, &who, id, "H002", invalid,
					     strlen(invalid), 0, &rev,
					     &fx->err), MAMORI_OK);
	assert_int_equal(store_response_reopen(fx->st, &bob, id, "H002", &rev,
					       &fx->err), MAMORI_EINVAL);
	/* not in the population */
	strbuf_reset(&fx->err);
	assert_int_equal(store_response_save(fx->st, &who, id, "B001", invalid,
					     strlen(invalid), 0, &rev,
					     &fx->err), MAMORI_ENOENT);
	assert_string_equal(fx->err.buf,
			    "organisation 'B001' is not in campaign 1");
	/* every revision is there, as saved */
	static const struct {
		enum revision_kind kind;
		const char *body;
		bool valid;
		const char *who;
	} want[] = {
		{ REV_DRAFT, invalid, false, "test:alice" },
		{ REV_SUBMIT, valid, true, "test:bob" },
		{ REV_DRAFT, invalid, false, "test:alice" },
		{ REV_SUBMIT, valid_no, true, "test:alice" },
		{ REV_REOPEN, valid_no, true, "test:bob" },
		{ REV_SUBMIT, valid, true, "test:alice" },
	};
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(store_response_get(fx->st, id, "H001",
						    (int64_t)i + 1, &r,
						    &fx->err), 0);
		assert_int_equal(r.kind, want[i].kind);
		assert_int_equal(r.valid, want[i].valid);
		assert_string_equal(r.who, want[i].who);
		assert_string_equal(r.from, !strcmp(want[i].who, "test:bob")
						    ? "192.0.2.8" : "192.0.2.7");
		assert_int_equal(r.revision, (int64_t)i + 1);
		/* the body as saved (compact JSON of the same object) */
		{
			json_t *a = json_loads(r.body, 0, NULL);
			json_t *b = json_loads(want[i].body, 0, NULL);
			assert_true(json_equal(a, b));
			json_decref(a);
			json_decref(b);
		}
		if (want[i].kind == REV_SUBMIT)
			assert_non_null(r.normalised);
		store_revision_release(&r);
	}
	assert_int_equal(store_response_get(fx->st, id, "H001", 7, &r,
					    &fx->err), MAMORI_ENOENT);
	assert_int_equal(store_response_get(fx->st, id, "H001", 0, &r,
					    &fx->err), MAMORI_OK);
	assert_int_equal(r.revision, 6);
	store_revision_release(&r);
}

static void group_commit(void **state)
{
	struct fx *fx = *state;
	int64_t id = make_campaign(fx, "kind = 'hospital'"), rev;
	struct store_submission v[4] = {
		{ .campaign = id, .org = "H001", .json = valid,
		  .len = sizeof(valid) - 1, .base = 0 },
		{ .campaign = id, .org = "H002", .json = invalid,
		  .len = sizeof(invalid) - 1, .base = STORE_REV_ANY },
		{ .campaign = id, .org = "H003", .json = valid_no,
		  .len = sizeof(valid_no) - 1, .base = 5 },
		{ .campaign = id, .org = "H001", .json = valid_no,
		  .len = sizeof(valid_no) - 1, .base = STORE_REV_ANY },
	};
	struct store_revision r;
	size_t ok;

	store_set_clock(fx->st, T("2022-02-01"));
	for (size_t i = 0; i < 4; i++)
		strbuf_init(&v[i].err, 0);
	assert_int_equal(store_response_submit_batch(fx->st, &who, v, 4, &ok,
						     &fx->err), MAMORI_OK);
	assert_int_equal(ok, 2);
	assert_int_equal(v[0].result, MAMORI_OK);
	assert_int_equal(v[0].revision, 1);
	assert_int_equal(v[1].result, MAMORI_EINVALID);
	assert_int_equal(v[2].result, MAMORI_ECONFLICT);
	assert_non_null(strstr(v[2].err.buf, "changed since you opened it"));
	assert_int_equal(v[3].result, MAMORI_OK);
	assert_int_equal(v[3].revision, 2);	/* after the first, same batch */
	assert_int_equal(store_response_get(fx->st, id, "H001", 2, &r,
					    &fx->err), 0);
	assert_int_equal(r.kind, REV_SUBMIT);
	store_revision_release(&r);
	assert_int_equal(store_response_get(fx->st, id, "H002", 0, &r,
					    &fx->err), MAMORI_ENOENT);
	/* after the close every one is refused, nothing stored */
	store_set_clock(fx->st, T("2022-04-01"));
	assert_int_equal(store_response_submit_batch(fx->st, &who, v, 1, &ok,
						     &fx->err), MAMORI_OK);
	assert_int_equal(ok, 0);
	assert_int_equal(v[0].result, MAMORI_ECLOSED);
	for (size_t i = 0; i < 4; i++)
		strbuf_release(&v[i].err);
	(void)rev;
}

static void malformed_answers(void **state)
{
	struct fx *fx = *state;
	int64_t id = make_campaign(fx, "kind = 'hospital'"), rev;

	store_set_clock(fx->st, T("2022-02-01"));
	strbuf_reset(&fx->err);
	assert_int_equal(store_response_save(fx->st, &who, id, "H001", "{\"q1\":",
					     6, 0, &rev, &fx->err),
			 MAMORI_EPARSE);
	assert_int_equal(store_response_save(fx->st, &who, id, "H001", "[1]", 3,
					     0, &rev, &fx->err),
			 MAMORI_EINVALID);
}

struct codes {
	char code[4][STORE_CODE_LEN + 1];
	char org[4][16];
	size_t n;
};

static int keep_code(void *ud, const struct store_org *o, const char *code)
{
	struct codes *c = ud;
	assert_true(c->n < 4);
	snprintf(c->code[c->n], sizeof(c->code[0]), "%s", code);
	snprintf(c->org[c->n], sizeof(c->org[0]), "%s", o->id);
	c->n++;
	return 0;
}

static void access_codes(void **state)
{
	struct fx *fx = *state;
	struct codes first = { .n = 0 }, second = { .n = 0 };
	struct strbuf org = STRBUF_INIT;
	struct store_campaign_status cs;
	int64_t id = make_campaign(fx, "kind = 'hospital'"), camp = 0;
	size_t issued;
	char typed[64];

	assert_int_equal(store_campaign_invite(fx->st, &who, id, keep_code,
					       &first, &issued, &fx->err), 0);
	assert_int_equal(issued, 3);
	assert_string_equal(first.org[0], "H001");
	for (size_t i = 0; i < 3; i++) {
		const char *c = first.code[i];
		assert_int_equal(strlen(c), STORE_CODE_LEN);
		for (size_t k = 0; k < STORE_CODE_LEN; k++)
			assert_true(k % 5 == 4 ? c[k] == '-'
					       : strchr(STORE_CODE_ALPHABET,
							c[k]) != NULL);
	}
	assert_string_not_equal(first.code[0], first.code[1]);
	/* verify: exact, and as a person might type it */
	assert_int_equal(store_verify_access_code(fx->st, first.code[1], &camp,
						  &org, NULL, &fx->err), MAMORI_OK);
	assert_int_equal(camp, id);
	assert_string_equal(org.buf, first.org[1]);
	strbuf_reset(&org);
	size_t k = 0;
	for (const char *p = first.code[2]; *p; p++)
		if (*p != '-')
			typed[k++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	typed[k] = '\0';
	assert_int_equal(store_verify_access_code(fx->st, typed, &camp, &org,
						  NULL, &fx->err), MAMORI_OK);
	assert_string_equal(org.buf, first.org[2]);
	/* wrong and malformed codes */
	snprintf(typed, sizeof(typed), "%s", first.code[0]);
	typed[STORE_CODE_LEN - 1] = typed[STORE_CODE_LEN - 1] == 'A' ? 'B' : 'A';
	assert_int_equal(store_verify_access_code(fx->st, typed, &camp, &org,
						  NULL, &fx->err), MAMORI_EDENIED);
	assert_int_equal(store_verify_access_code(fx->st, "hello", &camp, &org,
						  NULL, &fx->err), MAMORI_EDENIED);
	/* re-issuing revokes the old codes */
	assert_int_equal(store_campaign_invite(fx->st, &who, id, keep_code,
					       &second, &issued, &fx->err), 0);
	assert_int_equal(store_verify_access_code(fx->st, first.code[0], &camp,
						  &org, NULL, &fx->err),
			 MAMORI_EDENIED);
	strbuf_reset(&org);
	assert_int_equal(store_verify_access_code(fx->st, second.code[0], &camp,
						  &org, NULL, &fx->err), MAMORI_OK);
	assert_string_equal(org.buf, "H001");
	assert_int_equal(store_campaign_status(fx->st, id, &cs, &fx->err), 0);
	assert_int_equal(cs.population, 3);
	assert_int_equal(cs.invited, 3);
	assert_int_equal(cs.by_pref[35].invited, 1);	/* 36 Tokushima */
	strbuf_release(&org);
}

static void export_csv_and_json(void **state)
{
	struct fx *fx = *state;
	int64_t id = make_campaign(fx, "kind = 'hospital'"), rev;
	struct store_export_opts o = { .format = EXPORT_CSV };
	struct store_campaign_status cs;
	char *buf = NULL;
	size_t len = 0, n;
	FILE *f;

	store_set_clock(fx->st, T("2022-02-01T10:00"));
	assert_int_equal(store_response_submit(fx->st, &who, id, "H001", valid,
					       strlen(valid), 0, &rev,
					       &fx->err), 0);
	assert_int_equal(store_response_submit(fx->st, &who, id, "H002",
					       valid_no, strlen(valid_no), 0,
					       &rev, &fx->err), 0);
	assert_int_equal(store_response_save(fx->st, &who, id, "H003", invalid,
					     strlen(invalid), 0, &rev,
					     &fx->err), 0);
	f = open_memstream(&buf, &len);
	assert_int_equal(store_response_export(fx->st, id, &o, f, &n,
					       &fx->err), 0);
	fclose(f);
	assert_int_equal(n, 2);
	assert_string_equal(buf,
		"organisation,prefecture,status,revision,saved_at,q1,q2,"
		"q3.edr,q3.siem,q3.waf,devices.1.maker,devices.1.units,"
		"devices.2.maker,devices.2.units\r\n"
		"H001,36,submitted,1,2022-02-01T10:00:00+09:00,yes,3,1,0,1,"
		"\"Fortinet, Inc.\",2,\"'=HYPERLINK(\"\"x\"\")\",\r\n"
		"H002,13,submitted,1,2022-02-01T10:00:00+09:00,no,,,,,,,,\r\n");
	free(buf);
	o.include_drafts = true;
	o.bom = true;
	f = open_memstream(&buf, &len);
	assert_int_equal(store_response_export(fx->st, id, &o, f, &n,
					       &fx->err), 0);
	fclose(f);
	assert_int_equal(n, 3);
	assert_memory_equal(buf, "\xef\xbb\xbforganisation,", 16);
	assert_non_null(strstr(buf, "\r\nH003,01,draft,1,"));
	free(buf);
	o.format = EXPORT_JSON;
	o.include_drafts = false;
	f = open_memstream(&buf, &len);
	assert_int_equal(store_response_export(fx->st, id, &o, f, &n,
					       &fx->err), 0);
	fclose(f);
	json_t *j = json_loads(buf, 0, NULL);
	assert_non_null(j);
	assert_int_equal(json_array_size(json_object_get(j, "responses")), 2);
	json_decref(j);
	free(buf);
	assert_int_equal(store_campaign_status(fx->st, id, &cs, &fx->err), 0);
	assert_int_equal(cs.submitted, 2);
	assert_int_equal(cs.drafts, 1);
}

static void backup_is_a_database(void **state)
{
	struct fx *fx = *state;
	struct store *copy;
	struct strbuf out = STRBUF_INIT, report = STRBUF_INIT;
	char path[160];

	import_orgs(fx);
	snprintf(path, sizeof(path), "%s/backup.db", fx->dir);
	assert_int_equal(store_backup(fx->st, &who, path, &fx->err), 0);
	assert_int_equal(store_open(path, NULL, &copy, &fx->err), 0);
	assert_int_equal(store_check(copy, &report), 0);
	assert_int_equal(store_org_list(copy, NULL, collect_org, &out,
					&fx->err), 0);
	assert_non_null(strstr(out.buf, "H002|東京病院"));
	store_free(copy);
	strbuf_release(&out);
	strbuf_release(&report);
}

int main(void)
{
#define T_(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(prefectures_match_data_file),
		cmocka_unit_test(prefecture_names),
		cmocka_unit_test(times),
		T_(new_database_is_latest),
		T_(newer_database_refused_unchanged),
		T_(foreign_database_refused),
		T_(migration_1_to_latest),
		T_(org_import_and_list),
		T_(org_reimport_updates_and_audits),
		T_(org_bad_files_change_nothing),
		T_(org_import_cp932_and_bom),
		T_(campaign_population_and_state),
		T_(campaign_population_each_its_own),
		T_(campaign_bad_input),
		T_(lifecycle),
		T_(group_commit),
		T_(malformed_answers),
		T_(access_codes),
		T_(export_csv_and_json),
		T_(backup_is_a_database),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
