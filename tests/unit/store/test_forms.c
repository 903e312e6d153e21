/*
 * test_forms.c - schema 4 through store.h: migration 3 -> 4 keeping every
 * response as number 0 and revisions append-only; an always-open,
 * repeatable campaign taking numbered reports, each with its own
 * revisions, counted by analysis's iteration; a campaign with a form
 * instrument (a facility form and one vendor form each), its forms
 * validated against the second instrument, and the facilities whose
 * vendor forms are missing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>
#include <sqlite3.h>

#include "store/iterate.h"
#include "store/store.h"
#include "util/strbuf.h"

#ifndef SOURCE_ROOT
#define SOURCE_ROOT "."
#endif

static const struct store_actor who = { "test:alice", "192.0.2.7" };

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

	snprintf(fx->dir, sizeof(fx->dir), "/tmp/mamori-forms-XXXXXX");
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

static int64_t T(const char *s)
{
	int64_t t;
	assert_int_equal(store_time_parse(s, false, &t), MAMORI_OK);
	return t;
}

/* ---- migration ------------------------------------------------------- */

static void migration_3_to_4(void **state)
{
	struct fx *fx = *state;
	struct store_open_opts v3 = { .create = true, .upto_version = 3 };
	struct store_open_opts latest = { .create = true };
	struct store *st = NULL;
	struct store_revision r;
	struct store_response rs;
	struct store_campaign c;
	char path[160];
	sqlite3 *h;

	snprintf(path, sizeof(path), "%s/v3.db", fx->dir);
	assert_int_equal(store_open(path, &v3, &st, &fx->err), MAMORI_OK);
	assert_int_equal(store_schema_version(st), 3);
	store_free(st);
	raw_exec(path,
		 "INSERT INTO organisation VALUES ('H1','Old hospital',"
		 " 'hospital','13','{}',1,1);"
		 "INSERT INTO instrument VALUES ('abc','old','1','old.yaml',"
		 " 'id: old',1);"
		 "INSERT INTO campaign(id, title, instrument_sha256, target,"
		 " opens, closes, created_at, created_by) VALUES (1,'Old',"
		 " 'abc','kind = ''hospital''',1643209200,1644850799,1,'x');"
		 "INSERT INTO campaign_window VALUES (1,1,1643209200,"
		 " 1644850799);"
		 "INSERT INTO campaign_member VALUES (1,'H1');"
		 "INSERT INTO response_revision VALUES (1,'H1',1,'draft',0,"
		 " '{}',NULL,'cli:x','local',1643300000);"
		 "INSERT INTO response_revision VALUES (1,'H1',2,'submit',1,"
		 " '{\"q1\":\"yes\"}',NULL,'cli:x','local',1643300100);"
		 "INSERT INTO response VALUES (1,'H1','submitted',2,2,"
		 " 1643300100);");
	assert_int_equal(store_open(path, &latest, &st, &fx->err), MAMORI_OK);
	assert_int_equal(store_schema_version(st), 4);
	/* the old response is number 0, both revisions kept */
	assert_int_equal(store_response_state(st, 1, "H1", &rs, &fx->err), 0);
	assert_int_equal(rs.status, RESPONSE_SUBMITTED);
	assert_int_equal(rs.submitted_revision, 2);
	assert_int_equal(store_response_get_form(st, 1, "H1", 0, 1, &r,
						 &fx->err), 0);
	assert_string_equal(r.body, "{}");
	store_revision_release(&r);
	assert_int_equal(store_response_get(st, 1, "H1", 2, &r, &fx->err), 0);
	assert_string_equal(r.body, "{\"q1\":\"yes\"}");
	store_revision_release(&r);
	/* an old campaign is neither always open nor repeatable */
	assert_int_equal(store_campaign_get(st, 1, &c, &fx->err), 0);
	assert_false(c.always_open);
	assert_false(c.repeatable);
	assert_null(c.form_instrument_id);
	store_campaign_release(&c);
	store_free(st);
	/* the rebuilt table is still append-only */
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(h, "UPDATE response_revision SET "
					     "body = '{}'", NULL, NULL, NULL),
			     SQLITE_OK);
	assert_non_null(strstr(sqlite3_errmsg(h), "append-only"));
	assert_int_not_equal(sqlite3_exec(h, "DELETE FROM response_revision",
					  NULL, NULL, NULL),
			     SQLITE_OK);
	assert_non_null(strstr(sqlite3_errmsg(h), "append-only"));
	sqlite3_close(h);
}

/* ---- campaigns --------------------------------------------------------- */

static const char orgs_csv[] =
	"id,name,kind,prefecture,beds\n"
	"H001,Hospital one,hospital,13,120\n"
	"H002,Hospital two,hospital,13,300\n"
	"H003,Hospital three,hospital,27,50\n";

static int64_t make(struct fx *fx, const char *main_file,
		    const char *form_file, bool always_open, bool repeatable,
		    enum mamori_err want)
{
	struct store_import_stats is;
	size_t len, flen = 0;
	char *yaml = slurp(main_file, &len);
	char *form = form_file ? slurp(form_file, &flen) : NULL;
	struct store_campaign_new cn = {
		.title = "forms test",
		.instrument_name = main_file,
		.instrument = yaml,
		.instrument_len = len,
		.target = "kind = 'hospital'",
		.nwindows = 1,
		.windows = { { T("2024-04-01"), T("2024-04-30") } },
		.always_open = always_open,
		.repeatable = repeatable,
		.form_instrument_name = form_file,
		.form_instrument = form,
		.form_instrument_len = flen,
	};
	int64_t id = 0;

	store_set_clock(fx->st, T("2024-03-01"));
	assert_int_equal(store_org_import_csv(fx->st, &who, orgs_csv,
					      strlen(orgs_csv), STORE_ENC_UTF8,
					      &is, &fx->err),
			 MAMORI_OK);
	strbuf_reset(&fx->err);
	assert_int_equal(store_campaign_create(fx->st, &who, &cn, &id,
					       &fx->err), want);
	free(yaml);
	free(form);
	return id;
}

#define TINY SOURCE_ROOT "/tests/data/store/tiny.yaml"
#define FACILITY SOURCE_ROOT "/tests/data/store/tiny-facility.yaml"
#define VENDOR SOURCE_ROOT "/tests/data/store/tiny-form.yaml"

static enum mamori_err put(struct fx *fx, int64_t c, const char *org,
			   int64_t *number, bool submit, const char *json,
			   int64_t *rev)
{
	strbuf_reset(&fx->err);
	return store_response_put_form(fx->st, &who, c, org, number, submit,
				       json, strlen(json), STORE_REV_ANY, rev,
				       &fx->err);
}

struct count {
	size_t rows, repeats, answered, numbers[8];
};

static int count_row(void *ud, const struct store_iter_row *r)
{
	struct count *n = ud;
	if (n->rows < 8)
		n->numbers[n->rows] = (size_t)r->number;
	n->rows++;
	n->repeats += r->repeat;
	n->answered += r->answers != NULL;
	return 0;
}

static int list_forms(void *ud, int64_t number, const struct store_response *r)
{
	struct strbuf *sb = ud;
	strbuf_addf(sb, "%lld:%s:%lld ", (long long)number,
		    response_status_name(r->status), (long long)r->revision);
	return 0;
}

static void repeatable_reports(void **state)
{
	struct fx *fx = *state;
	struct store_campaign c;
	struct store_campaign_status cs;
	struct store_revision r;
	struct strbuf sb = STRBUF_INIT;
	struct count n = { 0 };
	int64_t id = make(fx, TINY, NULL, true, true, MAMORI_OK), num, rev;
	size_t invited;

	/* a year after the window: still open */
	store_set_clock(fx->st, T("2025-06-01"));
	assert_int_equal(store_campaign_get(fx->st, id, &c, &fx->err), 0);
	assert_true(c.always_open);
	assert_true(c.repeatable);
	assert_int_equal(c.state, CAMPAIGN_OPEN);
	store_campaign_release(&c);

	/* two reports from H001, one from H002, numbered per organisation */
	num = STORE_FORM_NEW;
	assert_int_equal(put(fx, id, "H001", &num, true, "{\"q1\":\"no\"}",
			     &rev), MAMORI_OK);
	assert_int_equal(num, 1);
	assert_int_equal(rev, 1);
	num = STORE_FORM_NEW;
	assert_int_equal(put(fx, id, "H001", &num, false, "{\"q1\":\"yes\"}",
			     &rev), MAMORI_OK);
	assert_int_equal(num, 2);
	assert_int_equal(rev, 1);
	num = STORE_FORM_NEW;
	assert_int_equal(put(fx, id, "H002", &num, true,
			     "{\"q1\":\"yes\",\"q2\":3}", &rev), MAMORI_OK);
	assert_int_equal(num, 1);
	/* report 2 gets its own revisions; an invalid submission stores
	 * nothing */
	num = 2;
	assert_int_equal(put(fx, id, "H001", &num, true, "{\"q1\":\"yes\"}",
			     &rev), MAMORI_EINVALID);
	assert_int_equal(put(fx, id, "H001", &num, true,
			     "{\"q1\":\"yes\",\"q2\":1}", &rev), MAMORI_OK);
	assert_int_equal(rev, 2);
	/* report 1 is untouched */
	assert_int_equal(store_response_get_form(fx->st, id, "H001", 1, 0, &r,
						 &fx->err), 0);
	assert_int_equal(r.revision, 1);
	assert_string_equal(r.body, "{\"q1\":\"no\"}");
	store_revision_release(&r);
	assert_int_equal(store_response_forms(fx->st, id, "H001", list_forms,
					      &sb, &fx->err), 0);
	assert_string_equal(sb.buf, "1:submitted:1 2:submitted:2 ");
	/* reopening one report leaves the other as it was */
	assert_int_equal(store_response_reopen_form(fx->st, &who, id, "H001",
						    1, &rev, &fx->err), 0);
	strbuf_reset(&sb);
	store_response_forms(fx->st, id, "H001", list_forms, &sb, &fx->err);
	assert_string_equal(sb.buf, "1:reopened:2 2:submitted:2 ");

	/* no such report; number 0 is not a report */
	num = 7;
	assert_int_equal(put(fx, id, "H001", &num, true, "{\"q1\":\"no\"}",
			     &rev), MAMORI_ENOENT);
	assert_non_null(strstr(fx->err.buf, "no report 7"));
	strbuf_reset(&fx->err);
	assert_int_equal(store_response_submit(fx->st, &who, id, "H003",
					       "{\"q1\":\"no\"}", 11,
					       STORE_REV_ANY, &rev, &fx->err),
			 MAMORI_EINVAL);
	assert_non_null(strstr(fx->err.buf, "takes reports"));

	/* analysis reads every report, each organisation invited once */
	assert_int_equal(store_campaign_iterate(fx->st, id, false, count_row,
						&n, &invited, &fx->err), 0);
	assert_int_equal(invited, 3);
	assert_int_equal(n.rows, 4);
	assert_int_equal(n.repeats, 1);
	/* a reopened report's submitted revision still counts */
	assert_int_equal(n.answered, 3);
	assert_int_equal(n.numbers[0], 1);
	assert_int_equal(n.numbers[1], 2);
	/* status: organisations with a submitted report */
	assert_int_equal(store_campaign_status(fx->st, id, &cs, &fx->err), 0);
	assert_int_equal(cs.population, 3);
	assert_int_equal(cs.submitted, 2);
	assert_int_equal(cs.reopened, 1);
	strbuf_release(&sb);
}

static void ordinary_campaign_has_one_response(void **state)
{
	struct fx *fx = *state;
	struct store_campaign c;
	int64_t id = make(fx, TINY, NULL, false, false, MAMORI_OK);
	int64_t num = STORE_FORM_NEW, rev;

	store_set_clock(fx->st, T("2024-04-10"));
	assert_int_equal(put(fx, id, "H001", &num, true, "{\"q1\":\"no\"}",
			     &rev), MAMORI_EINVAL);
	assert_non_null(strstr(fx->err.buf, "one response per organisation"));
	num = 0;
	assert_int_equal(put(fx, id, "H001", &num, true, "{\"q1\":\"no\"}",
			     &rev), MAMORI_OK);
	/* closes with its window, unlike an always-open one */
	store_set_clock(fx->st, T("2025-06-01"));
	assert_int_equal(store_campaign_get(fx->st, id, &c, &fx->err), 0);
	assert_int_equal(c.state, CAMPAIGN_CLOSED);
	store_campaign_release(&c);
	/* a form instrument and repeatable reports do not mix */
	make(fx, FACILITY, VENDOR, false, true, MAMORI_EINVAL);
}

static int collect_due(void *ud, const struct store_forms_due *d)
{
	struct strbuf *sb = ud;
	strbuf_addf(sb, "%s %lld/%lld\n", d->org_id, (long long)d->submitted,
		    (long long)d->expected);
	return 0;
}

static void vendor_forms(void **state)
{
	struct fx *fx = *state;
	struct store_campaign c;
	struct strbuf sb = STRBUF_INIT;
	struct count n = { 0 };
	int64_t id = make(fx, FACILITY, VENDOR, false, false, MAMORI_OK);
	int64_t num, rev;

	assert_int_equal(store_campaign_get(fx->st, id, &c, &fx->err), 0);
	assert_string_equal(c.form_instrument_id, "store-test-form");
	store_campaign_release(&c);
	store_set_clock(fx->st, T("2024-04-10"));
	/* facility forms: H001 has 2 vendors, H002 has 1, H003 none */
	num = 0;
	assert_int_equal(put(fx, id, "H001", &num, true,
			     "{\"vendor_count\":2}", &rev), MAMORI_OK);
	assert_int_equal(put(fx, id, "H002", &num, true,
			     "{\"vendor_count\":1}", &rev), MAMORI_OK);
	assert_int_equal(put(fx, id, "H003", &num, true,
			     "{\"vendor_count\":0}", &rev), MAMORI_OK);
	/* vendor forms are checked against the form instrument */
	num = STORE_FORM_NEW;
	assert_int_equal(put(fx, id, "H001", &num, true,
			     "{\"vendor_count\":2}", &rev), MAMORI_EINVALID);
	assert_non_null(strstr(fx->err.buf, "vendor_name"));
	num = STORE_FORM_NEW;
	assert_int_equal(put(fx, id, "H001", &num, true,
			     "{\"vendor_name\":\"A\",\"patched\":\"yes\"}",
			     &rev), MAMORI_OK);
	assert_int_equal(num, 1);
	num = STORE_FORM_NEW;
	assert_int_equal(put(fx, id, "H002", &num, false,
			     "{\"vendor_name\":\"B\"}", &rev), MAMORI_OK);

	/* H001 has 1 of 2, H002 0 of 1 (a draft does not count) */
	assert_int_equal(store_campaign_forms_missing(fx->st, id,
						      "vendor_count",
						      collect_due, &sb,
						      &fx->err), 0);
	assert_string_equal(sb.buf, "H001 1/2\nH002 0/1\n");
	num = STORE_FORM_NEW;
	assert_int_equal(put(fx, id, "H001", &num, true,
			     "{\"vendor_name\":\"C\",\"patched\":\"no\"}",
			     &rev), MAMORI_OK);
	assert_int_equal(num, 2);
	strbuf_reset(&sb);
	store_campaign_forms_missing(fx->st, id, "vendor_count", collect_due,
				     &sb, &fx->err);
	assert_string_equal(sb.buf, "H002 0/1\n");
	/* only an integer item counts */
	strbuf_reset(&fx->err);
	assert_int_equal(store_campaign_forms_missing(fx->st, id, "note",
						      collect_due, &sb,
						      &fx->err),
			 MAMORI_EINVAL);
	/* analysis reads the facility forms only */
	assert_int_equal(store_campaign_iterate(fx->st, id, false, count_row,
						&n, NULL, &fx->err), 0);
	assert_int_equal(n.rows, 3);
	assert_int_equal(n.answered, 3);
	assert_int_equal(n.repeats, 0);
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(migration_3_to_4, setup,
						teardown),
		cmocka_unit_test_setup_teardown(repeatable_reports, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			ordinary_campaign_has_one_response, setup, teardown),
		cmocka_unit_test_setup_teardown(vendor_forms, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
