/*
 * analysis_store.c - analyses fed from a stored campaign (analysis_store.h).
 * Reads through the store's interface only; must never write.
 */
#include "analysis/analysis_store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evidence/propose.h"
#include "store/evidence.h"
#include "store/export.h"
#include "store/iterate.h"
#include "util/banned.h"

json_t *analysis_campaign_json(const struct store_campaign *c)
{
	char cid[24], opens[40], closes[40];

	snprintf(cid, sizeof(cid), "%lld", (long long)c->id);
	store_time_format(c->windows[0].opens, opens, sizeof(opens));
	store_time_format(c->windows[c->nwindows ? c->nwindows - 1 : 0].closes,
			  closes, sizeof(closes));
	opens[10] = closes[10] = '\0';	/* the dates */
	return json_pack("{s:s,s:s,s:s,s:s}", "id", cid, "title",
			 c->title ? c->title : "", "opens", opens, "closes",
			 closes);
}

/* Keep the newest audit and the newest firmware check of each org. */
static int keep_evidence(void *ud, const char *org,
			 const struct store_evidence *ev)
{
	json_t *all = ud, *mine = json_object_get(all, org), *doc;

	if (!mine) {
		mine = json_object();
		if (!mine || json_object_set_new(all, org, mine))
			return 1;
	}
	doc = json_loadb(ev->json, ev->len, 0, NULL);
	if (!doc)
		return 0;	/* attached as JSON; a damaged one proposes
				   nothing */
	return json_object_set_new(mine, ev->kind, doc) != 0;
}

enum mamori_err analysis_campaign_proposals(struct store *st,
					    int64_t campaign, json_t **out,
					    struct strbuf *err)
{
	json_t *all = json_object(), *props = json_object(), *mine;
	enum mamori_err e;
	const char *org;

	*out = NULL;
	if (!all || !props) {
		e = MAMORI_ENOMEM;
		goto out;
	}
	if ((e = store_evidence_campaign(st, campaign, keep_evidence, all,
					 err)))
		goto out;
	json_object_foreach(all, org, mine) {
		json_t *a = json_object_get(mine, STORE_EVIDENCE_AUDIT),
		       *f = json_object_get(mine, STORE_EVIDENCE_FIRMWARE), *p;
		if (!a && !f)
			continue;
		if (!(p = evidence_propose(a, f)) ||
		    json_object_set(props, org, json_object_get(p,
								"response"))) {
			json_decref(p);
			e = MAMORI_ENOMEM;
			goto out;
		}
		json_decref(p);
	}
	*out = props;
	props = NULL;
out:
	json_decref(all);
	json_decref(props);
	return e;
}

const char *const *analysis_evidence_items(void)
{
	/* the items evidence_propose() answers */
	static const char *const items[] = {
		"q12_vpn_updated", "q13_vpn_restricted",
		"q14_vpn_log_review", NULL,
	};
	return items;
}

/*
 * Feeding on several threads. Readers (the calling thread, and one more
 * thread per further part of store_scan_open: one connection each, all
 * on one snapshot) read the rows of their range of organisations and
 * copy them into batches of their own; each worker takes whole batches,
 * validates each row's stored answers (from the text, no document) and
 * counts it into analyses of its own (analysis_new_like). A batch never
 * splits an organisation's rows. At the end the workers' analyses are
 * added up, first among themselves, then into the caller's in key order
 * (analysis_merge), so the result is the same whatever the number of
 * threads or parts or the order in which the batches came.
 */
#define FEED_BATCH_ROWS 512
#define FEED_MAX_THREADS 16

struct feed_row {
	/* org_id, name, kind, pref_code, attrs, answers */
	size_t off[6];
	size_t len[6];
	bool null[6];
	enum response_status status;
	int64_t revision, number;
	bool submitted, repeat;
};

struct batch {
	struct strbuf text;	/* every row's bytes, each NUL-terminated */
	struct feed_row *rows;	/* owned */
	size_t n, alloc;
	struct batch *next;
};

struct worker {
	struct feed_ctx *ctx;
	pthread_t tid;
	bool started;
	struct analysis **v;	/* owned: one per analysis fed */
	enum mamori_err e;
	struct strbuf err;
	struct strbuf jerr;	/* why stored answers are not JSON */
};

struct feed_ctx {
	int64_t campaign;
	size_t n;			/* analyses per worker */
	const json_t *proposed;		/* org id -> proposed answers */
	bool reads_org;			/* an analysis reads the attributes */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch *full, **full_tail, *free_list;
	bool done;			/* no more batches will come */
	bool failed;			/* a worker or reader stopped */
};

/* One part of the campaign being read (store_scan_part). */
struct reader {
	struct feed_ctx *ctx;
	struct store_scan *scan;
	size_t part;
	pthread_t tid;
	bool started;
	struct batch *cur;		/* the batch being filled */
	enum mamori_err e;		/* store_scan_part's */
	enum mamori_err qe;		/* queue_row's */
	struct strbuf err;
};

static void batch_free(struct batch *b)
{
	if (!b)
		return;
	strbuf_release(&b->text);
	free(b->rows);
	free(b);
}

static enum mamori_err count_row(struct worker *w, const struct batch *b,
				 const struct feed_row *fr)
{
	struct store_iter_raw raw = { 0 };
	struct slice *sl[6] = { &raw.org_id, &raw.name, &raw.kind,
				&raw.pref_code, &raw.attrs, &raw.answers };
	enum mamori_err e = MAMORI_OK;
	json_t *org = NULL;

	for (int k = 0; k < 6; k++)
		*sl[k] = fr->null[k] ? slice_make(NULL, 0)
				     : slice_make(b->text.buf + fr->off[k],
						  fr->len[k]);
	/* the organisation's document only when something reads it */
	if (w->ctx->reads_org && !(org = store_iter_org_json(&raw)))
		return MAMORI_ENOMEM;
	for (size_t i = 0; i < w->ctx->n && !e; i++) {
		/* a repeatable campaign's further reports: one invitee */
		if (!fr->repeat)
			e = analysis_add_invited(w->v[i], org);
		if (e || !raw.answers.p)
			continue;
		/* the stored text, validated without a document */
		strbuf_reset(&w->jerr);
		e = analysis_add_text(w->v[i], org, raw.answers.p,
				      raw.answers.len, fr->submitted,
				      json_object_size(w->ctx->proposed)
					      ? json_object_get(w->ctx->proposed,
								raw.org_id.p)
					      : NULL,
				      &w->jerr);
		if (e == MAMORI_EPARSE) {
			strbuf_addf(&w->err, "campaign %lld, '%s': stored "
				    "answers are not JSON: %s",
				    (long long)w->ctx->campaign, raw.org_id.p,
				    w->jerr.buf);
			json_decref(org);
			return MAMORI_EDB;
		}
	}
	json_decref(org);
	if (e)
		strbuf_addf(&w->err, "campaign %lld: analysis: %s",
			    (long long)w->ctx->campaign, mamori_strerror(e));
	return e;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct feed_ctx *c = w->ctx;

	for (;;) {
		struct batch *b;

		pthread_mutex_lock(&c->mu);
		while (!c->full && !c->done && !c->failed)
			pthread_cond_wait(&c->cv, &c->mu);
		if (!c->full || c->failed) {
			pthread_mutex_unlock(&c->mu);
			return NULL;
		}
		b = c->full;
		if (!(c->full = b->next))
			c->full_tail = &c->full;
		pthread_mutex_unlock(&c->mu);
		for (size_t i = 0; i < b->n && !w->e; i++)
			w->e = count_row(w, b, &b->rows[i]);
		b->n = 0;
		strbuf_reset(&b->text);
		pthread_mutex_lock(&c->mu);
		b->next = c->free_list;
		c->free_list = b;
		if (w->e)
			c->failed = true;
		pthread_cond_broadcast(&c->cv);
		pthread_mutex_unlock(&c->mu);
		if (w->e)
			return NULL;
	}
}

/* Hand the reader's batch (if any) to the workers and, with take, take
 * an empty one (waiting for one when all are in use); -1 when a worker
 * or another reader failed. */
static int pass_batch(struct reader *rd, bool take)
{
	struct feed_ctx *c = rd->ctx;
	int rc = 0;

	pthread_mutex_lock(&c->mu);
	if (rd->cur) {
		rd->cur->next = NULL;
		*c->full_tail = rd->cur;
		c->full_tail = &rd->cur->next;
		rd->cur = NULL;
		pthread_cond_broadcast(&c->cv);
	}
	while (take && !c->free_list && !c->failed)
		pthread_cond_wait(&c->cv, &c->mu);
	if (c->failed) {
		rc = -1;
	} else if (take) {
		rd->cur = c->free_list;
		c->free_list = rd->cur->next;
	}
	pthread_mutex_unlock(&c->mu);
	return rc;
}

static int queue_row(void *ud, const struct store_iter_raw *r)
{
	struct reader *rd = ud;
	const struct slice *sl[6] = { &r->org_id, &r->name, &r->kind,
				      &r->pref_code, &r->attrs, &r->answers };
	/* the organisation's columns only when something reads them */
	int ncopy = rd->ctx->reads_org ? 6 : 1;
	struct batch *b = rd->cur;
	struct feed_row *fr;

	/* a full batch goes when the next organisation begins */
	if ((!b || (b->n >= FEED_BATCH_ROWS && !r->repeat)) &&
	    pass_batch(rd, true))
		return 1;
	b = rd->cur;
	if (b->n == b->alloc) {
		size_t na = b->alloc ? b->alloc * 2 : FEED_BATCH_ROWS;
		struct feed_row *nr = realloc(b->rows, na * sizeof(*nr));
		if (!nr) {
			rd->qe = MAMORI_ENOMEM;
			return 1;
		}
		b->rows = nr;
		b->alloc = na;
	}
	fr = &b->rows[b->n];
	for (int k = 0; k < 6; k++) {
		bool copy = k < ncopy || k == 5;	/* 5: the answers */
		fr->null[k] = !copy || !sl[k]->p;
		fr->off[k] = b->text.len;
		fr->len[k] = copy ? sl[k]->len : 0;
		if (copy && sl[k]->p)
			strbuf_add(&b->text, sl[k]->p, sl[k]->len);
		if (copy)
			strbuf_addch(&b->text, '\0');
	}
	if (b->text.err) {
		rd->qe = MAMORI_ENOMEM;
		return 1;
	}
	fr->status = r->status;
	fr->revision = r->revision;
	fr->number = r->number;
	fr->submitted = r->submitted;
	fr->repeat = r->repeat;
	b->n++;
	return 0;
}

/* A reader: its part of the campaign into batches. */
static void *read_part(void *arg)
{
	struct reader *rd = arg;
	struct feed_ctx *c = rd->ctx;

	rd->e = store_scan_part(rd->scan, rd->part, queue_row, rd, NULL,
				&rd->err);
	if (!rd->e && !rd->qe && rd->cur && rd->cur->n)
		pass_batch(rd, false);	/* the last; failures below */
	if (rd->e || rd->qe) {
		pthread_mutex_lock(&c->mu);
		c->failed = true;
		pthread_cond_broadcast(&c->cv);
		pthread_mutex_unlock(&c->mu);
	}
	return NULL;
}

static unsigned feed_threads(unsigned threads)
{
	long n = threads ? (long)threads : sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		n = 1;
	return n > FEED_MAX_THREADS ? FEED_MAX_THREADS : (unsigned)n;
}

enum mamori_err analysis_feed_campaign_threads(struct store *st,
					       int64_t campaign,
					       bool include_drafts,
					       struct analysis *const *v,
					       size_t n, unsigned threads,
					       struct strbuf *err)
{
	struct feed_ctx c = { .campaign = campaign, .n = n };
	struct worker w[FEED_MAX_THREADS];
	struct reader rd[FEED_MAX_THREADS];
	size_t nw = feed_threads(threads), nr = 0, started = 0;
	struct store_scan *scan = NULL;
	json_t *proposed = NULL;
	enum mamori_err e;

	memset(w, 0, sizeof(w));
	memset(rd, 0, sizeof(rd));
	if ((e = analysis_campaign_proposals(st, campaign, &proposed, err)))
		return e;
	c.proposed = proposed;
	for (size_t k = 0; k < n; k++)
		c.reads_org = c.reads_org || analysis_reads_org(v[k]);
	c.full_tail = &c.full;
	pthread_mutex_init(&c.mu, NULL);
	pthread_cond_init(&c.cv, NULL);
	/* as many parts as workers: on two processors the reading takes
	 * about as long as the counting */
	if ((e = store_scan_open(st, campaign, include_drafts,
				 c.reads_org ? 0 : STORE_SCAN_ORG_ID_ONLY, nw,
				 &scan, err)))
		goto out;
	nr = store_scan_parts(scan);
	for (size_t i = 0; i < nr; i++) {
		rd[i].ctx = &c;
		rd[i].scan = scan;
		rd[i].part = i;
		strbuf_init(&rd[i].err, 0);
	}
	/* two batches per worker (one being counted, one waiting) and one
	 * per reader being filled */
	for (size_t i = 0; i < 2 * nw + nr; i++) {
		struct batch *b = calloc(1, sizeof(*b));
		if (!b) {
			e = MAMORI_ENOMEM;
			goto out;
		}
		strbuf_init(&b->text, 0);
		b->next = c.free_list;
		c.free_list = b;
	}
	for (size_t i = 0; i < nw; i++) {
		w[i].ctx = &c;
		strbuf_init(&w[i].err, 0);
		strbuf_init(&w[i].jerr, 0);
		if (!(w[i].v = calloc(n ? n : 1, sizeof(*w[i].v)))) {
			e = MAMORI_ENOMEM;
			goto out;
		}
		for (size_t k = 0; k < n; k++)
			if ((e = analysis_new_like(v[k], &w[i].v[k])))
				goto out;
	}
	for (size_t i = 0; i < nw; i++) {
		if (pthread_create(&w[i].tid, NULL, work, &w[i])) {
			if (!started) {
				e = MAMORI_ENOMEM;
				goto out;
			}
			break;	/* fewer threads: the same result */
		}
		w[i].started = true;
		started++;
	}
	/* the further parts on threads of their own, the first here; a
	 * part whose thread cannot start is read here afterwards */
	for (size_t i = 1; i < nr; i++)
		rd[i].started = !pthread_create(&rd[i].tid, NULL, read_part,
						&rd[i]);
	read_part(&rd[0]);
	for (size_t i = 1; i < nr; i++) {
		if (rd[i].started)
			pthread_join(rd[i].tid, NULL);
		else
			read_part(&rd[i]);
	}
out:
	pthread_mutex_lock(&c.mu);
	c.done = true;
	if (e)
		c.failed = true;
	pthread_cond_broadcast(&c.cv);
	pthread_mutex_unlock(&c.mu);
	for (size_t i = 0; i < nw; i++)
		if (w[i].started)
			pthread_join(w[i].tid, NULL);
	for (size_t i = 0; i < nr && !e; i++) {
		if ((e = rd[i].e ? rd[i].e : rd[i].qe) && err)
			strbuf_add(err, rd[i].err.buf, rd[i].err.len);
	}
	for (size_t i = 0; i < nw && !e; i++) {
		if (w[i].e) {
			e = w[i].e;
			if (err)
				strbuf_add(err, w[i].err.buf, w[i].err.len);
		}
	}
	/* the parts added up: first into worker 0's, then in key order
	 * into the caller's */
	for (size_t k = 0; k < n && !e; k++) {
		for (size_t i = 1; i < nw && !e; i++)
			e = analysis_merge(w[0].v[k], w[i].v[k]);
		if (!e)
			e = analysis_merge(v[k], w[0].v[k]);
	}
	if (e == MAMORI_ENOMEM && err && !err->len)
		strbuf_addf(err, "campaign %lld: analysis: %s",
			    (long long)campaign, mamori_strerror(e));
	for (size_t i = 0; i < nw; i++) {
		for (size_t k = 0; w[i].v && k < n; k++)
			analysis_free(w[i].v[k]);
		free(w[i].v);
		strbuf_release(&w[i].err);
		strbuf_release(&w[i].jerr);
	}
	for (size_t i = 0; i < nr; i++) {
		batch_free(rd[i].cur);
		strbuf_release(&rd[i].err);
	}
	store_scan_free(scan);
	while (c.full) {
		struct batch *b = c.full;
		c.full = b->next;
		batch_free(b);
	}
	while (c.free_list) {
		struct batch *b = c.free_list;
		c.free_list = b->next;
		batch_free(b);
	}
	pthread_cond_destroy(&c.cv);
	pthread_mutex_destroy(&c.mu);
	json_decref(proposed);
	return e;
}

enum mamori_err analysis_feed_campaign(struct store *st, int64_t campaign,
				       bool include_drafts,
				       struct analysis *const *v, size_t n,
				       struct strbuf *err)
{
	return analysis_feed_campaign_threads(st, campaign, include_drafts, v,
					      n, 0, err);
}

enum mamori_err analysis_campaign_result(struct store *st, int64_t campaign,
					 const struct analysis_opts *opts,
					 bool include_drafts,
					 const struct instrument **ins,
					 json_t **result, struct strbuf *err)
{
	struct analysis_opts ao = { 0 };
	struct store_campaign camp;
	struct analysis *a = NULL;
	enum mamori_err e;
	json_t *cj = NULL, *res = NULL;

	*result = NULL;
	if (opts)
		ao = *opts;
	if ((e = store_campaign_get(st, campaign, &camp, err)))
		return e;
	if (!(cj = analysis_campaign_json(&camp))) {
		e = MAMORI_ENOMEM;
		goto out;
	}
	ao.campaign = cj;
	ao.today = json_string_value(json_object_get(cj, "closes"));
	if (!ao.evidence_items)
		ao.evidence_items = analysis_evidence_items();
	if ((e = store_campaign_instrument(st, campaign, ins, err)) ||
	    (e = analysis_new(*ins, &ao, &a, err)) ||
	    (e = analysis_feed_campaign(st, campaign, include_drafts, &a, 1,
					err)) ||
	    (e = analysis_result_json(a, 0, &res)))
		goto out;
	if (json_object_set_new(res, "campaign", json_integer(campaign)) ||
	    json_object_set_new(res, "title", json_string(camp.title)) ||
	    json_object_set_new(res, "population",
				json_integer((json_int_t)camp.population)) ||
	    json_object_set_new(res, "include_drafts",
				json_boolean(include_drafts))) {
		e = MAMORI_ENOMEM;
		goto out;
	}
	*result = res;
	res = NULL;
out:
	json_decref(res);
	json_decref(cj);
	analysis_free(a);
	store_campaign_release(&camp);
	return e;
}

struct prev {
	int64_t campaign, opens, best, best_opens;
	const char *instrument;
};

static int prev_row(void *ud, const struct store_campaign *c)
{
	struct prev *p = ud;
	int64_t opens = c->nwindows ? c->windows[0].opens : 0;

	if (c->id == p->campaign || !c->instrument_id ||
	    strcmp(c->instrument_id, p->instrument))
		return 0;
	/* earlier: opens before, or opens at the same time with a lower id */
	if (opens > p->opens || (opens == p->opens && c->id > p->campaign))
		return 0;
	if (!p->best || opens > p->best_opens ||
	    (opens == p->best_opens && c->id > p->best)) {
		p->best = c->id;
		p->best_opens = opens;
	}
	return 0;
}

enum mamori_err analysis_previous_campaign(struct store *st, int64_t campaign,
					   int64_t *previous,
					   struct strbuf *err)
{
	struct store_campaign c;
	struct prev p = { 0 };
	enum mamori_err e;

	*previous = 0;
	if ((e = store_campaign_get(st, campaign, &c, err)))
		return e;
	p.campaign = campaign;
	p.opens = c.nwindows ? c.windows[0].opens : 0;
	p.instrument = c.instrument_id ? c.instrument_id : "";
	e = store_campaign_list(st, prev_row, &p, err);
	store_campaign_release(&c);
	if (!e)
		*previous = p.best;
	return e;
}

enum mamori_err analysis_campaign_trend(struct store *st, int64_t campaign,
					int64_t before,
					const struct analysis_opts *opts,
					bool include_drafts,
					const struct instrument *ins,
					json_t *result, int64_t *before_out,
					struct strbuf *err)
{
	struct analysis_opts ao = { 0 };
	const struct instrument *bins = NULL;
	json_t *bres = NULL, *trend = NULL;
	enum mamori_err e;

	*before_out = 0;
	if (!before) {
		if ((e = analysis_previous_campaign(st, campaign, &before, err)))
			return e;
		if (!before)
			return MAMORI_OK;
	}
	if (before == campaign) {
		if (err)
			strbuf_addf(err, "campaign %lld compared with itself",
				    (long long)campaign);
		return MAMORI_EINVAL;
	}
	if (opts) {
		ao = *opts;
		ao.by = NULL;	/* the national figures only */
	}
	if ((e = analysis_campaign_result(st, before, &ao, include_drafts,
					  &bins, &bres, err)) ||
	    (e = analysis_compare(bins, bres, ins, result, &trend, err)))
		goto out;
	if (json_object_set_new(trend, "campaigns",
				json_pack("[I,I]", (json_int_t)before,
					  (json_int_t)campaign)) ||
	    json_object_set(trend, "title_before",
			    json_object_get(bres, "title")) ||
	    json_object_set_new(result, "trend", trend)) {
		trend = NULL;
		e = MAMORI_ENOMEM;
		goto out;
	}
	trend = NULL;
	*before_out = before;
out:
	json_decref(trend);
	json_decref(bres);
	return e;
}
