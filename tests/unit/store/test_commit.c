/*
 * test_commit.c - store/commit.h, the group commit: many threads saving
 * at once through one writer, each on its own connection; afterwards
 * every acknowledged save is there with its revision and answers, in
 * order. Within one batch a stale save gets its conflict and the others
 * commit; the same base from many threads lets exactly one through. The
 * log is checkpointed beside the writer and starts again instead of
 * growing.
 */
#include <limits.h>
#include <pthread.h>
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

/* the module itself, to drive one batch (write_batch) directly */
#include "store/commit.c"

#ifndef SOURCE_ROOT
#define SOURCE_ROOT "."
#endif

#define NORGS 12
#define THREADS 12
#define SAVES 25

static const struct store_actor who = { "test:alice", "192.0.2.7" };

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

/* NORGS hospitals and a campaign open now (the writer's clock is the
 * system's): 2000 to 2099. */
static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct store_open_opts o = { .create = true };
	struct store_import_stats s;
	struct strbuf csv = STRBUF_INIT;
	size_t len;
	char *yaml;
	int64_t opens, closes;

	assert_non_null(fx);
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/mamori-commit-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->db, sizeof(fx->db), "%s/m.db", fx->dir);
	strbuf_init(&fx->err, 0);
	assert_int_equal(store_open(fx->db, &o, &fx->st, &fx->err), MAMORI_OK);
	strbuf_addstr(&csv, "id,name,kind,prefecture,beds\n");
	for (int i = 1; i <= NORGS; i++)
		strbuf_addf(&csv, "H%03d,Hospital %d,hospital,13,%d\n", i, i,
			    i * 10);
	assert_int_equal(store_org_import_csv(fx->st, &who, csv.buf, csv.len,
					      STORE_ENC_AUTO, &s, &fx->err),
			 MAMORI_OK);
	strbuf_release(&csv);
	yaml = slurp(SOURCE_ROOT "/tests/data/store/tiny.yaml", &len);
	assert_int_equal(store_time_parse("2000-01-01", false, &opens), 0);
	assert_int_equal(store_time_parse("2099-12-31", true, &closes), 0);
	struct store_campaign_new cn = {
		.title = "group commit test",
		.instrument_name = "tiny.yaml",
		.instrument = yaml,
		.instrument_len = len,
		.target = "kind = 'hospital'",
		.nwindows = 1,
		.windows = { { opens, closes } },
	};
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

static void org_id(char *buf, size_t len, int i)
{
	snprintf(buf, len, "H%03d", i);
}

/* ---- many threads, each its own organisation -------------------------- */

struct worker {
	struct fx *fx;
	struct store_committer *c;
	int index;			/* organisation index + 1 */
	int64_t base0;			/* the revision it starts from */
	int64_t acked[SAVES];		/* revision acknowledged per save */
	enum mamori_err failed;
	char msg[256];
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct strbuf err = STRBUF_INIT;
	struct store *st;
	char org[16], body[96];
	int64_t base = w->base0;

	org_id(org, sizeof(org), w->index);
	if ((w->failed = store_open(w->fx->db, NULL, &st, &err))) {
		snprintf(w->msg, sizeof(w->msg), "open: %s", err.buf);
		strbuf_release(&err);
		return NULL;
	}
	for (int k = 0; k < SAVES; k++) {
		int64_t rev;
		snprintf(body, sizeof(body),
			 "{\"q1\":\"yes\",\"q2\":%d}", w->index * 1000 + k);
		strbuf_reset(&err);
		w->failed = store_committer_save(w->c, st, REV_DRAFT, &who,
						 w->fx->campaign, org, body,
						 strlen(body), base, &rev, &err);
		if (w->failed) {
			snprintf(w->msg, sizeof(w->msg), "save %d: %s", k,
				 err.buf);
			break;
		}
		w->acked[k] = rev;
		base = rev;
	}
	store_free(st);
	strbuf_release(&err);
	return NULL;
}

struct seen {
	int64_t next;			/* the revision expected next */
	int index;
	int bad;
};

static int check_revision(void *ud, const struct store_revision *r)
{
	struct seen *s = ud;
	json_t *b = json_loads(r->body, 0, NULL);
	int64_t q2 = json_integer_value(json_object_get(b, "q2"));

	/* revision k + 1 holds the thread's k-th save */
	if (r->revision != s->next || r->kind != REV_DRAFT ||
	    q2 != s->index * 1000 + (s->next - 1) ||
	    strcmp(r->who, who.who) != 0)
		s->bad++;
	s->next++;
	json_decref(b);
	return 0;
}

static void many_threads_every_ack_kept(void **state)
{
	struct fx *fx = *state;
	struct store_committer *c;
	struct worker w[THREADS];
	pthread_t t[THREADS];
	uint64_t batches, saves;

	assert_int_equal(store_committer_start(fx->db, 0, &c, &fx->err),
			 MAMORI_OK);
	for (int i = 0; i < THREADS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].fx = fx;
		w[i].c = c;
		w[i].index = i + 1;
		assert_int_equal(pthread_create(&t[i], NULL, worker_main,
						&w[i]), 0);
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	store_committer_counts(c, &batches, &saves);
	store_committer_free(c);
	for (int i = 0; i < THREADS; i++) {
		if (w[i].failed)
			fail_msg("thread %d: %s", i, w[i].msg);
		for (int k = 0; k < SAVES; k++)
			assert_int_equal(w[i].acked[k], k + 1);
	}
	assert_int_equal(saves, (uint64_t)THREADS * SAVES);
	assert_true(batches >= 1 && batches <= saves);
	printf("# %llu saves in %llu transactions\n",
	       (unsigned long long)saves, (unsigned long long)batches);

	/* read back through another connection: every save, in order */
	for (int i = 0; i < THREADS; i++) {
		struct store_response r;
		struct seen s = { .next = 1, .index = i + 1 };
		char org[16];
		org_id(org, sizeof(org), i + 1);
		assert_int_equal(store_response_state(fx->st, fx->campaign, org,
						      &r, &fx->err),
				 MAMORI_OK);
		assert_int_equal(r.status, RESPONSE_DRAFT);
		assert_int_equal(r.revision, SAVES);
		assert_int_equal(store_response_history(fx->st, fx->campaign,
							org, check_revision,
							&s, &fx->err),
				 MAMORI_OK);
		assert_int_equal(s.bad, 0);
		assert_int_equal(s.next, SAVES + 1);
	}
	assert_int_equal(store_check(fx->st, &fx->err), MAMORI_OK);
}

/* ---- the log checkpointed beside the writer ---------------------------- */

/* THREADS workers saving SAVES times each from base0; the log's pages
 * after the last commit and the whole checkpoints so far. */
static void save_round(struct fx *fx, struct store_committer *c,
		       int64_t base0, int *log_pages, uint64_t *checkpoints)
{
	struct worker w[THREADS];
	pthread_t t[THREADS];

	for (int i = 0; i < THREADS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].fx = fx;
		w[i].c = c;
		w[i].index = i + 1;
		w[i].base0 = base0;
		assert_int_equal(pthread_create(&t[i], NULL, worker_main,
						&w[i]), 0);
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < THREADS; i++) {
		if (w[i].failed)
			fail_msg("thread %d: %s", i, w[i].msg);
		for (int k = 0; k < SAVES; k++)
			assert_int_equal(w[i].acked[k], base0 + k + 1);
	}
	store_committer_log(c, checkpoints, log_pages);
}

/*
 * The writer never checkpoints (its connection has no automatic
 * checkpoint): without the checkpointer (asked for from INT_MAX pages)
 * the log keeps every page of a round of saves; with it (from 8 pages)
 * the log is copied and starts again from its beginning, so that after
 * a second round it holds less than the first round alone wrote (it is
 * started again by force from 4 x 8 pages on). No save is lost either
 * way.
 */
static void log_checkpointed_beside_writer(void **state)
{
	struct fx *fx = *state;
	struct store_committer *c;
	uint64_t checkpoints;
	int kept, after;

	assert_int_equal(store_committer_start(fx->db, 0, &c, &fx->err),
			 MAMORI_OK);
	pthread_mutex_lock(&c->lock);
	c->ck_pages = INT_MAX;
	pthread_mutex_unlock(&c->lock);
	save_round(fx, c, 0, &kept, &checkpoints);
	assert_int_equal(checkpoints, 0);
	pthread_mutex_lock(&c->lock);
	c->ck_pages = 8;
	pthread_mutex_unlock(&c->lock);
	save_round(fx, c, SAVES, &after, &checkpoints);
	store_committer_free(c);
	printf("# the log: %d pages after a round without checkpoints, %d "
	       "after one more with them (%llu whole checkpoints)\n", kept,
	       after, (unsigned long long)checkpoints);
	assert_true(kept > 2 * 8 * CHECKPOINT_RESTART);
	assert_true(checkpoints >= 1);
	assert_true(after < kept);
	for (int i = 0; i < THREADS; i++) {
		struct store_response r;
		char org[16];
		org_id(org, sizeof(org), i + 1);
		assert_int_equal(store_response_state(fx->st, fx->campaign, org,
						      &r, &fx->err),
				 MAMORI_OK);
		assert_int_equal(r.revision, 2 * SAVES);
	}
	assert_int_equal(store_check(fx->st, &fx->err), MAMORI_OK);
}

/* ---- one batch with stale saves in it --------------------------------- */

static void stale_in_batch_only_that_one(void **state)
{
	struct fx *fx = *state;
	static const struct { int org; int64_t base; enum mamori_err want;
			      int64_t rev; } cases[] = {
		{ 1, 0, MAMORI_OK, 1 },
		{ 2, 5, MAMORI_ECONFLICT, 0 },	/* no revision 5 */
		{ 3, 0, MAMORI_OK, 1 },
		{ 1, 0, MAMORI_ECONFLICT, 0 },	/* the first one came between */
		{ 1, 1, MAMORI_OK, 2 },		/* based on it: fine */
		{ 4, STORE_REV_ANY, MAMORI_OK, 1 },
	};
	enum { N = sizeof(cases) / sizeof(cases[0]) };
	struct waiter w[N];
	struct store_response r;
	char org[16];

	memset(w, 0, sizeof(w));
	for (size_t i = 0; i < N; i++) {
		char body[64];
		org_id(org, sizeof(org), cases[i].org);
		snprintf(body, sizeof(body), "{\"q1\":\"no\",\"q2\":%zu}", i);
		strbuf_init(&w[i].msg, 0);
		if (store_pending_prepare(fx->st, REV_DRAFT, &who,
					  fx->campaign, org, body,
					  strlen(body), cases[i].base,
					  &w[i].p, &fx->err))
			fail_msg("prepare %zu: %s", i, fx->err.buf);
		w[i].next = i + 1 < N ? &w[i + 1] : NULL;
	}
	assert_int_equal(write_batch(fx->st, w, N), 4);
	for (size_t i = 0; i < N; i++) {
		assert_int_equal(w[i].result, cases[i].want);
		assert_int_equal(w[i].revision, cases[i].rev);
		if (cases[i].want == MAMORI_ECONFLICT)
			assert_non_null(strstr(w[i].msg.buf,
					       "changed since you opened it"));
		store_pending_free(w[i].p);
		strbuf_release(&w[i].msg);
	}
	/* what is stored is what was acknowledged, nothing of the stale */
	for (int i = 1; i <= 4; i++) {
		static const int64_t want[] = { 0, 2, 0, 1, 1 };
		org_id(org, sizeof(org), i);
		assert_int_equal(store_response_state(fx->st, fx->campaign, org,
						      &r, &fx->err),
				 MAMORI_OK);
		assert_int_equal(r.revision, want[i]);
	}
}

/* ---- the same base from many threads: one wins ------------------------ */

struct racer {
	struct fx *fx;
	struct store_committer *c;
	pthread_barrier_t *go;
	enum mamori_err result;
	int64_t rev;
};

static void *racer_main(void *arg)
{
	struct racer *x = arg;
	struct strbuf err = STRBUF_INIT;
	struct store *st;
	static const char body[] = "{\"q1\":\"yes\",\"q2\":1}";

	x->result = store_open(x->fx->db, NULL, &st, &err);
	pthread_barrier_wait(x->go);
	if (!x->result) {
		x->result = store_committer_save(x->c, st, REV_DRAFT, &who,
						 x->fx->campaign, "H005", body,
						 strlen(body), 0, &x->rev,
						 &err);
		store_free(st);
	}
	strbuf_release(&err);
	return NULL;
}

static void same_base_exactly_one_commits(void **state)
{
	struct fx *fx = *state;
	struct store_committer *c;
	struct racer x[8];
	pthread_t t[8];
	pthread_barrier_t go;
	int ok = 0, conflict = 0;
	struct store_response r;

	assert_int_equal(store_committer_start(fx->db, 4, &c, &fx->err),
			 MAMORI_OK);
	pthread_barrier_init(&go, NULL, 8);
	for (int i = 0; i < 8; i++) {
		x[i] = (struct racer){ .fx = fx, .c = c, .go = &go };
		assert_int_equal(pthread_create(&t[i], NULL, racer_main, &x[i]),
				 0);
	}
	for (int i = 0; i < 8; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&go);
	store_committer_free(c);
	for (int i = 0; i < 8; i++) {
		if (x[i].result == MAMORI_OK) {
			ok++;
			assert_int_equal(x[i].rev, 1);
		} else if (x[i].result == MAMORI_ECONFLICT) {
			conflict++;
		}
	}
	assert_int_equal(ok, 1);
	assert_int_equal(conflict, 7);
	assert_int_equal(store_response_state(fx->st, fx->campaign, "H005", &r,
					      &fx->err),
			 MAMORI_OK);
	assert_int_equal(r.revision, 1);
}

/* ---- without waiting: submit and its callback ------------------------- */

struct answers {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int calls[NORGS + 1];		/* per save: callbacks so far */
	enum mamori_err result[NORGS + 1];
	int64_t revision[NORGS + 1];
	struct store_written written[NORGS + 1];
	bool had_written[NORGS + 1];
	char msg[NORGS + 1][160];
	int n;				/* callbacks in all */
	pthread_t writer;		/* the thread they came on */
	bool same_thread;
};

struct answer_slot {
	struct answers *a;
	int i;
};

static void on_committed(void *arg, enum mamori_err result,
			 const struct store_written *written, const char *msg)
{
	struct answer_slot *sl = arg;
	struct answers *a = sl->a;

	pthread_mutex_lock(&a->lock);
	a->calls[sl->i]++;
	a->result[sl->i] = result;
	a->revision[sl->i] = written ? written->revision : 0;
	a->had_written[sl->i] = written != NULL;
	if (written)
		a->written[sl->i] = *written;
	snprintf(a->msg[sl->i], sizeof(a->msg[sl->i]), "%s", msg);
	if (a->n++ == 0)
		a->writer = pthread_self();
	else if (!pthread_equal(a->writer, pthread_self()))
		a->same_thread = false;
	pthread_cond_signal(&a->cond);
	pthread_mutex_unlock(&a->lock);
}

/*
 * Saves of NORGS organisations handed over without waiting, one of them
 * stale: each callback comes once, on the writer's thread, with what a
 * waiting save would have got, and only after its save is stored. Once
 * stopped, the committer answers a submit at once with MAMORI_EIO.
 */
static void submit_answers_each_once(void **state)
{
	struct fx *fx = *state;
	struct store_committer *c;
	struct answers a = { .same_thread = true };
	struct answer_slot sl[NORGS + 1];
	struct store_pending *p;
	struct store_response r;
	struct store_campaign camp;
	char org[16], body[64];

	assert_int_equal(store_campaign_state(fx->st, fx->campaign, &camp,
					      &fx->err), MAMORI_OK);
	pthread_mutex_init(&a.lock, NULL);
	pthread_cond_init(&a.cond, NULL);
	assert_int_equal(store_committer_start(fx->db, 4, &c, &fx->err),
			 MAMORI_OK);
	for (int i = 1; i <= NORGS; i++) {
		org_id(org, sizeof(org), i);
		snprintf(body, sizeof(body), "{\"q1\":\"yes\",\"q2\":%d}", i);
		sl[i] = (struct answer_slot){ &a, i };
		/* the third one names a revision that does not exist */
		if (store_pending_prepare(fx->st, REV_DRAFT, &who,
					  fx->campaign, org, body,
					  strlen(body), i == 3 ? 7 : 0, &p,
					  &fx->err))
			fail_msg("prepare %d: %s", i, fx->err.buf);
		store_committer_submit(c, p, on_committed, &sl[i]);
	}
	pthread_mutex_lock(&a.lock);
	while (a.n < NORGS)
		pthread_cond_wait(&a.cond, &a.lock);
	pthread_mutex_unlock(&a.lock);
	assert_true(a.same_thread);
	assert_false(pthread_equal(a.writer, pthread_self()));
	for (int i = 1; i <= NORGS; i++) {
		assert_int_equal(a.calls[i], 1);
		org_id(org, sizeof(org), i);
		assert_int_equal(store_response_state(fx->st, fx->campaign, org,
						      &r, &fx->err),
				 MAMORI_OK);
		if (i == 3) {
			assert_int_equal(a.result[i], MAMORI_ECONFLICT);
			assert_int_equal(a.revision[i], 0);
			assert_false(a.had_written[i]);
			assert_non_null(strstr(a.msg[i],
					       "changed since you opened it"));
			assert_int_equal(r.revision, 0);
		} else {
			const struct store_written *w = &a.written[i];
			assert_int_equal(a.result[i], MAMORI_OK);
			assert_int_equal(a.revision[i], 1);
			assert_string_equal(a.msg[i], "");
			assert_int_equal(r.revision, 1);	/* stored */
			/* what was written is what is stored */
			assert_true(a.had_written[i]);
			assert_int_equal(w->status, r.status);
			assert_int_equal(w->status, RESPONSE_DRAFT);
			assert_int_equal(w->submitted_revision, 0);
			assert_int_equal(w->updated_at, r.updated_at);
			assert_int_equal(w->campaign_state, CAMPAIGN_OPEN);
			assert_false(w->repeatable);
			assert_int_equal(w->campaign_created_at,
					 camp.created_at);
		}
	}
	/* stopped: answered before submit returns, nothing stored */
	store_committer_stop(c);
	store_committer_stop(c);	/* twice is harmless */
	org_id(org, sizeof(org), 1);
	assert_int_equal(store_pending_prepare(fx->st, REV_DRAFT, &who,
					       fx->campaign, org, body,
					       strlen(body), 1, &p, &fx->err),
			 MAMORI_OK);
	sl[0] = (struct answer_slot){ &a, 0 };
	store_committer_submit(c, p, on_committed, &sl[0]);
	assert_int_equal(a.calls[0], 1);
	assert_int_equal(a.result[0], MAMORI_EIO);
	assert_false(a.had_written[0]);
	assert_non_null(strstr(a.msg[0], "stopping"));
	store_committer_free(c);
	assert_int_equal(store_response_state(fx->st, fx->campaign, org, &r,
					      &fx->err),
			 MAMORI_OK);
	assert_int_equal(r.revision, 1);
	store_campaign_release(&camp);
	pthread_cond_destroy(&a.cond);
	pthread_mutex_destroy(&a.lock);
}

/* ---- refusals before the queue ----------------------------------------- */

static void prepare_refuses_like_a_save(void **state)
{
	struct fx *fx = *state;
	struct store_pending *p = NULL;
	static const char body[] = "{\"q1\":\"yes\"}";

	assert_int_equal(store_pending_prepare(fx->st, REV_DRAFT, &who,
					       fx->campaign, "H001", "{", 1, 0,
					       &p, &fx->err),
			 MAMORI_EPARSE);
	assert_null(p);
	assert_int_equal(store_pending_prepare(fx->st, REV_DRAFT, &who,
					       fx->campaign, "X999", body,
					       strlen(body), 0, &p, &fx->err),
			 MAMORI_ENOENT);
	assert_null(p);
	assert_int_equal(store_pending_prepare(fx->st, REV_REOPEN, &who,
					       fx->campaign, "H001", body,
					       strlen(body), 0, &p, &fx->err),
			 MAMORI_EINVAL);
	/* a submission that does not validate (q2 is required) */
	assert_int_equal(store_pending_prepare(fx->st, REV_SUBMIT, &who,
					       fx->campaign, "H001", body,
					       strlen(body), 0, &p, &fx->err),
			 MAMORI_EINVALID);
	assert_null(p);
}

int main(void)
{
#define T_(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T_(many_threads_every_ack_kept),
		T_(log_checkpointed_beside_writer),
		T_(stale_in_batch_only_that_one),
		T_(same_base_exactly_one_commits),
		T_(submit_answers_each_once),
		T_(prepare_refuses_like_a_save),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
