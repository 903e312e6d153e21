/*
 * test_scan_parts.c - a campaign read in parts (store_scan_open /
 * store_scan_part, src/store/iterate.h) on a small generated demo (300
 * hospitals): (1) the parts, one after the other, give exactly the rows
 * of store_campaign_scan(), with and without drafts, with every number
 * of parts, an organisation never split; (2) with only the ids of the
 * organisations the rows are the same but for the columns left out;
 * (3) all parts read one snapshot: a response reopened after the parts
 * are opened is seen so by none of them, and by the next read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "analysis/demo.h"
#include "store/iterate.h"

static const struct store_actor who = { "test:scan", "local" };

struct fx {
	char dir[64], db[96];
	struct store *st;
	struct demo_stats ds;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct store_open_opts o = { .create = true };
	struct strbuf err = STRBUF_INIT, y22 = STRBUF_INIT;

	assert_non_null(fx);
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/mamori-scan-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->db, sizeof(fx->db), "%s/m.db", fx->dir);
	assert_int_equal(store_open(fx->db, &o, &fx->st, &err), MAMORI_OK);
	assert_int_equal(strbuf_read_file(&y22, SOURCE_ROOT
			 "/instruments/mhlw/hospital-backup-vpn-2022.yaml",
			 &err), MAMORI_OK);
	struct demo_opts d = {
		.hospitals = 300, .respondents = 240, .seed = 5,
		.instrument = y22.buf, .instrument_len = y22.len,
		.instrument_name = "2022.yaml",
	};
	if (demo_generate(fx->st, &who, &d, &fx->ds, &err))
		fail_msg("%s", err.buf);
	strbuf_release(&y22);
	strbuf_release(&err);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	static const char *const ext[] = { "", "-wal", "-shm" };
	char p[160];

	store_free(fx->st);
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", fx->db, ext[i]);
		unlink(p);
	}
	rmdir(fx->dir);
	free(fx);
	return 0;
}

struct rows {
	struct strbuf all;	/* one line per row */
	size_t n;
	size_t invited;		/* the parts' counts added up */
	bool ids_only;		/* leave out name, kind, prefecture, attrs */
	char last[64];		/* the last row's organisation */
	bool split;		/* an organisation came back after another */
};

static void add_slice(struct strbuf *b, struct slice s)
{
	if (s.p)
		strbuf_add(b, s.p, s.len);
	else
		strbuf_addstr(b, "(null)");
	strbuf_addch(b, '|');
}

static int keep(void *ud, const struct store_iter_raw *r)
{
	struct rows *k = ud;

	if (!r->repeat && k->n && !strcmp(k->last, r->org_id.p))
		k->split = true;
	snprintf(k->last, sizeof(k->last), "%s", r->org_id.p);
	add_slice(&k->all, r->org_id);
	if (!k->ids_only) {
		add_slice(&k->all, r->name);
		add_slice(&k->all, r->kind);
		add_slice(&k->all, r->pref_code);
		add_slice(&k->all, r->attrs);
	}
	strbuf_addf(&k->all, "%d|%lld|%d|%lld|%d|", (int)r->status,
		    (long long)r->revision, r->submitted,
		    (long long)r->number, r->repeat);
	add_slice(&k->all, r->answers);
	strbuf_addch(&k->all, '\n');
	k->n++;
	return 0;
}

/* Every part in turn into k; the number of parts. */
static size_t read_parts(struct store *st, int64_t campaign, bool drafts,
			 unsigned flags, size_t parts, struct rows *k)
{
	struct strbuf err = STRBUF_INIT;
	struct store_scan *sc;
	size_t n, invited = 0;

	if (store_scan_open(st, campaign, drafts, flags, parts, &sc, &err))
		fail_msg("%s", err.buf);
	n = store_scan_parts(sc);
	for (size_t i = 0; i < n; i++) {
		if (store_scan_part(sc, i, keep, k, &invited, &err))
			fail_msg("%s", err.buf);
		k->invited += invited;
	}
	store_scan_free(sc);
	strbuf_release(&err);
	return n;
}

static void parts_give_the_scan(void **state)
{
	struct fx *fx = *state;
	struct strbuf err = STRBUF_INIT;

	for (int drafts = 0; drafts < 2; drafts++) {
		struct rows whole = { .all = STRBUF_INIT };
		size_t invited = 0;
		assert_int_equal(store_campaign_scan(fx->st, fx->ds.campaign,
						     drafts, keep, &whole,
						     &invited, &err),
				 MAMORI_OK);
		assert_int_equal(invited, 300);
		assert_int_equal(whole.n, 300);
		for (size_t parts = 1; parts <= 8; parts++) {
			struct rows k = { .all = STRBUF_INIT };
			size_t n = read_parts(fx->st, fx->ds.campaign, drafts,
					      0, parts, &k);
			/* 300 members: at most 300 / 64 = 4 parts */
			assert_int_equal(n, parts < 4 ? parts : 4);
			assert_false(k.split);
			assert_int_equal(k.invited, 300);
			assert_int_equal(k.n, whole.n);
			assert_string_equal(k.all.buf, whole.all.buf);
			strbuf_release(&k.all);
		}
		strbuf_release(&whole.all);
	}
	strbuf_release(&err);
}

static void ids_only(void **state)
{
	struct fx *fx = *state;
	struct rows full = { .all = STRBUF_INIT, .ids_only = true };
	struct rows ids = { .all = STRBUF_INIT, .ids_only = true };
	struct strbuf err = STRBUF_INIT;
	struct store_scan *sc;

	read_parts(fx->st, fx->ds.campaign, false, 0, 3, &full);
	read_parts(fx->st, fx->ds.campaign, false, STORE_SCAN_ORG_ID_ONLY, 3,
		   &ids);
	assert_string_equal(ids.all.buf, full.all.buf);
	/* and the columns left out are NULL */
	struct rows one = { .all = STRBUF_INIT };
	assert_int_equal(store_scan_open(fx->st, fx->ds.campaign, false,
					 STORE_SCAN_ORG_ID_ONLY, 1, &sc, &err),
			 MAMORI_OK);
	assert_int_equal(store_scan_part(sc, 0, keep, &one, NULL, &err),
			 MAMORI_OK);
	store_scan_free(sc);
	assert_non_null(strstr(one.all.buf, "|(null)|(null)|(null)|(null)|"));
	strbuf_release(&one.all);
	strbuf_release(&full.all);
	strbuf_release(&ids.all);
	strbuf_release(&err);
}

/* The last member with a submitted response: in the last part. */
static int last_submitted(void *ud, const struct store_iter_raw *r)
{
	if (r->submitted)
		snprintf(ud, 64, "%s", r->org_id.p);
	return 0;
}

static void one_snapshot(void **state)
{
	struct fx *fx = *state;
	struct strbuf err = STRBUF_INIT;
	struct rows before = { .all = STRBUF_INIT, .ids_only = true };
	struct rows during = { .all = STRBUF_INIT, .ids_only = true };
	struct rows after = { .all = STRBUF_INIT, .ids_only = true };
	struct store_scan *sc;
	char org[64] = "";
	int64_t rev;

	assert_int_equal(store_campaign_scan(fx->st, fx->ds.campaign, true,
					     last_submitted, org, NULL,
					     &err), MAMORI_OK);
	assert_true(org[0]);
	read_parts(fx->st, fx->ds.campaign, true, 0, 3, &before);
	assert_int_equal(store_scan_open(fx->st, fx->ds.campaign, true, 0, 3,
					 &sc, &err), MAMORI_OK);
	assert_int_equal(store_scan_parts(sc), 3);
	/* a response reopened once the parts hold their snapshot */
	if (store_response_reopen(fx->st, &who, fx->ds.campaign, org, &rev,
				  &err))
		fail_msg("%s", err.buf);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(store_scan_part(sc, i, keep, &during, NULL,
						 &err), MAMORI_OK);
	store_scan_free(sc);
	assert_string_equal(during.all.buf, before.all.buf);
	read_parts(fx->st, fx->ds.campaign, true, 0, 3, &after);
	assert_string_not_equal(after.all.buf, before.all.buf);
	strbuf_release(&before.all);
	strbuf_release(&during.all);
	strbuf_release(&after.all);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parts_give_the_scan),
		cmocka_unit_test(ids_only),
		cmocka_unit_test(one_snapshot),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
