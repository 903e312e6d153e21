/*
 * test_feed.c - analyses fed from the store on several threads: a small
 * demo (300 hospitals, a 2022 campaign and a 2023 one with drafts, one
 * response reopened with a newer draft). (1) store_campaign_scan() gives
 * exactly the rows the one join it replaced gives, run here with sqlite3
 * on the same file; (2) analysis_feed_campaign_threads() gives the same
 * result with 1, 2, 3 and 8 threads - to the byte, key order included -
 * and the same numbers as feeding every row on one thread through
 * store_campaign_iterate().
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
#include <sqlite3.h>

#include "analysis/analysis.h"
#include "analysis/analysis_store.h"
#include "analysis/demo.h"
#include "store/iterate.h"

static const struct store_actor who = { "test:feed", "local" };

struct fx {
	char dir[64], db[96];
	struct store *st;
	struct demo_stats ds;
	const struct instrument *ins[2];
	char reopened[64];	/* the organisation reopened in 2022 */
};

static struct fx *g;

static int first_submitted(void *ud, const struct store_iter_raw *r)
{
	char *out = ud;

	if (!r->submitted)
		return 0;
	snprintf(out, 64, "%s", r->org_id.p);
	return 1;
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct store_open_opts o = { .create = true };
	struct strbuf err = STRBUF_INIT, y22 = STRBUF_INIT, y23 = STRBUF_INIT;
	int64_t rev;

	assert_non_null(fx);
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/mamori-feed-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->db, sizeof(fx->db), "%s/m.db", fx->dir);
	assert_int_equal(store_open(fx->db, &o, &fx->st, &err), MAMORI_OK);
	assert_int_equal(strbuf_read_file(&y22, SOURCE_ROOT
			 "/instruments/mhlw/hospital-backup-vpn-2022.yaml",
			 &err), MAMORI_OK);
	assert_int_equal(strbuf_read_file(&y23, SOURCE_ROOT
			 "/instruments/mhlw/hospital-backup-vpn-2023.yaml",
			 &err), MAMORI_OK);
	struct demo_opts d = {
		.hospitals = 300, .respondents = 240, .seed = 11,
		.instrument = y22.buf, .instrument_len = y22.len,
		.instrument_name = "2022.yaml",
		.instrument_2023 = y23.buf, .instrument_2023_len = y23.len,
		.instrument_2023_name = "2023.yaml",
	};
	if (demo_generate(fx->st, &who, &d, &fx->ds, &err))
		fail_msg("%s", err.buf);
	assert_true(fx->ds.campaign_2023 > 0);
	assert_true(fx->ds.drafts_2023 > 0);
	/* one submitted response reopened, with a newer draft that must
	 * not count */
	assert_int_equal(store_campaign_scan(fx->st, fx->ds.campaign, false,
					     first_submitted, fx->reopened,
					     NULL, &err), MAMORI_OK);
	assert_true(fx->reopened[0]);
	if (store_response_reopen(fx->st, &who, fx->ds.campaign, fx->reopened,
				  &rev, &err) ||
	    store_response_save(fx->st, &who, fx->ds.campaign, fx->reopened,
				"{\"q5_ehr\":\"no\"}", 15, rev, &rev, &err))
		fail_msg("%s", err.buf);
	assert_int_equal(store_campaign_instrument(fx->st, fx->ds.campaign,
						   &fx->ins[0], &err),
			 MAMORI_OK);
	assert_int_equal(store_campaign_instrument(fx->st,
						   fx->ds.campaign_2023,
						   &fx->ins[1], &err),
			 MAMORI_OK);
	strbuf_release(&y22);
	strbuf_release(&y23);
	strbuf_release(&err);
	g = fx;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	char p[160];

	static const char *const ext[] = { "", "-wal", "-shm" };

	store_free(fx->st);
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", fx->db, ext[i]);
		unlink(p);
	}
	rmdir(fx->dir);
	free(fx);
	return 0;
}

/* ---- (1) the scan against the join it replaced ---------------------- */

/* The statement store_campaign_iterate() ran before the scan. */
static const char join_sql[] =
	"SELECT o.id, r.status, rv.revision, r.submitted_revision IS NOT NULL"
	"  AND rv.revision = r.submitted_revision,"
	" coalesce(rv.normalised, rv.body), coalesce(r.instance, 0)"
	" FROM campaign_member m JOIN organisation o ON o.id = m.org_id"
	" LEFT JOIN response r ON r.campaign_id = m.campaign_id"
	"  AND r.org_id = m.org_id AND (r.instance = 0) = NOT ?3"
	" LEFT JOIN response_revision rv ON rv.campaign_id = r.campaign_id"
	"  AND rv.org_id = r.org_id AND rv.instance = r.instance"
	"  AND rv.revision = CASE"
	"   WHEN r.submitted_revision IS NOT NULL THEN r.submitted_revision"
	"   WHEN ?2 THEN r.revision END"
	" WHERE m.campaign_id = ?1 ORDER BY m.org_id, r.instance";

struct cmp {
	sqlite3_stmt *s;
	size_t rows, answered, submitted, reopened;
	char prev[64];
};

static int compare_row(void *ud, const struct store_iter_raw *r)
{
	struct cmp *c = ud;
	const char *status;

	assert_int_equal(sqlite3_step(c->s), SQLITE_ROW);
	assert_string_equal(r->org_id.p, sqlite3_column_text(c->s, 0));
	status = (const char *)sqlite3_column_text(c->s, 1);
	if (status)
		assert_string_equal(response_status_name(r->status), status);
	else
		assert_int_equal(r->status, RESPONSE_NONE);
	assert_int_equal(r->number, sqlite3_column_int64(c->s, 5));
	assert_int_equal(r->repeat, !strcmp(c->prev, r->org_id.p));
	snprintf(c->prev, sizeof(c->prev), "%s", r->org_id.p);
	if (sqlite3_column_type(c->s, 4) == SQLITE_NULL) {
		assert_null(r->answers.p);
	} else {
		assert_non_null(r->answers.p);
		assert_int_equal(r->answers.len,
				 sqlite3_column_bytes(c->s, 4));
		assert_memory_equal(r->answers.p,
				    sqlite3_column_text(c->s, 4),
				    r->answers.len);
		assert_int_equal(r->revision, sqlite3_column_int64(c->s, 2));
		assert_int_equal(r->submitted, sqlite3_column_int(c->s, 3));
		c->answered++;
		c->submitted += r->submitted;
	}
	c->reopened += r->status == RESPONSE_REOPENED;
	c->rows++;
	return 0;
}

static void scan_matches_join(void **state)
{
	struct fx *fx = *state;
	struct strbuf err = STRBUF_INIT;
	sqlite3 *db;

	assert_int_equal(sqlite3_open_v2(fx->db, &db, SQLITE_OPEN_READONLY,
					 NULL), SQLITE_OK);
	for (int k = 0; k < 4; k++) {
		int64_t id = k < 2 ? fx->ds.campaign : fx->ds.campaign_2023;
		bool drafts = k & 1;
		struct cmp c = { 0 };
		size_t invited;

		assert_int_equal(sqlite3_prepare_v2(db, join_sql, -1, &c.s,
						    NULL), SQLITE_OK);
		sqlite3_bind_int64(c.s, 1, id);
		sqlite3_bind_int(c.s, 2, drafts);
		sqlite3_bind_int(c.s, 3, 0);
		if (store_campaign_scan(fx->st, id, drafts, compare_row, &c,
					&invited, &err))
			fail_msg("%s", err.buf);
		assert_int_equal(sqlite3_step(c.s), SQLITE_DONE);
		sqlite3_finalize(c.s);
		assert_int_equal(c.rows, 300);
		assert_int_equal(invited, 300);
		if (id == fx->ds.campaign) {
			/* 240 submitted, one of them reopened with a draft
			 * newer than the submission it keeps */
			assert_int_equal(fx->ds.respondents, 240);
			assert_int_equal(c.submitted, 240);
			assert_int_equal(c.answered,
					 240 + (drafts ? fx->ds.drafts : 0));
			assert_int_equal(c.reopened, 1);
		} else {
			assert_int_equal(c.submitted,
					 fx->ds.respondents_2023);
			assert_int_equal(c.answered,
					 fx->ds.respondents_2023 +
						 (drafts ? fx->ds.drafts_2023
							 : 0));
		}
	}
	sqlite3_close(db);
	strbuf_release(&err);
}

/* ---- (2) the same result on any number of threads ------------------- */

struct seq {
	struct analysis *a;
	const json_t *proposed;
};

/* What analysis_feed_campaign() did before it had threads. */
static int seq_row(void *ud, const struct store_iter_row *r)
{
	struct seq *s = ud;

	if (!r->repeat)
		assert_int_equal(analysis_add_invited(s->a, r->org), MAMORI_OK);
	if (!r->answers)
		return 0;
	assert_int_equal(r->submitted
				 ? analysis_add_proposed(
					   s->a, r->org, r->answers,
					   json_object_get(s->proposed,
							   r->org_id))
				 : analysis_add_draft(s->a, r->org, r->answers),
			 MAMORI_OK);
	return 0;
}

static json_t *feed(int64_t id, const struct instrument *ins,
		    const char *by, bool drafts, unsigned threads)
{
	struct analysis_opts o = { .by = by,
				   .evidence_items = analysis_evidence_items(),
				   .today = "2023-01-31" };
	struct strbuf err = STRBUF_INIT;
	struct analysis *a;
	json_t *res;

	assert_int_equal(analysis_new(ins, &o, &a, &err), MAMORI_OK);
	if (threads) {
		if (analysis_feed_campaign_threads(g->st, id, drafts, &a, 1,
						   threads, &err))
			fail_msg("%s", err.buf);
	} else {
		struct seq s = { a, NULL };
		json_t *proposed;
		assert_int_equal(analysis_campaign_proposals(g->st, id,
							     &proposed, &err),
				 MAMORI_OK);
		s.proposed = proposed;
		assert_int_equal(store_campaign_iterate(g->st, id, drafts,
							seq_row, &s, NULL,
							&err),
				 MAMORI_OK);
		json_decref(proposed);
	}
	assert_int_equal(analysis_result_json(a, 0, &res), MAMORI_OK);
	analysis_free(a);
	strbuf_release(&err);
	return res;
}

static void same_whatever_the_threads(void **state)
{
	static const char *const bys[] = { NULL, "prefecture",
					   "kind,size_band" };
	static const unsigned threads[] = { 1, 2, 3, 8 };
	struct fx *fx = *state;

	for (int k = 0; k < 4; k++) {
		int64_t id = k < 2 ? fx->ds.campaign : fx->ds.campaign_2023;
		const struct instrument *ins = fx->ins[k < 2 ? 0 : 1];
		bool drafts = k & 1;
		for (size_t b = 0; b < sizeof(bys) / sizeof(bys[0]); b++) {
			json_t *ref = feed(id, ins, bys[b], drafts, 0);
			char *first = NULL;
			assert_true(json_integer_value(json_object_get(
					    ref, "invited")) == 300);
			for (size_t t = 0;
			     t < sizeof(threads) / sizeof(threads[0]); t++) {
				json_t *res = feed(id, ins, bys[b], drafts,
						   threads[t]);
				char *dump = json_dumps(res, JSON_COMPACT);
				assert_non_null(dump);
				if (!json_equal(res, ref))
					fail_msg("campaign %lld by %s drafts %d"
						 ", %u threads: not the "
						 "result of one pass",
						 (long long)id,
						 bys[b] ? bys[b] : "-",
						 drafts, threads[t]);
				if (!first)
					first = dump;
				else {
					assert_string_equal(dump, first);
					free(dump);
				}
				json_decref(res);
			}
			free(first);
			json_decref(ref);
		}
	}
}

/* The reopened response's newer draft does not count, its submission
 * does: 240 submitted, and only the never-submitted drafts as drafts. */
static void counts_the_submission(void **state)
{
	struct fx *fx = *state;
	json_t *res = feed(fx->ds.campaign, fx->ins[0], NULL, true, 2);

	assert_int_equal(json_integer_value(json_object_get(res, "submitted")),
			 240);
	assert_int_equal(json_integer_value(json_object_get(res, "drafts")),
			 fx->ds.drafts);
	assert_int_equal(json_integer_value(json_object_get(res,
							    "responses")),
			 240 + fx->ds.drafts);
	json_decref(res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scan_matches_join),
		cmocka_unit_test(same_whatever_the_threads),
		cmocka_unit_test(counts_the_submission),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
