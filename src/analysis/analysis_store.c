/*
 * analysis_store.c - analyses fed from a stored campaign (analysis_store.h).
 * Reads through the store's interface only; must never write.
 */
#include "analysis/analysis_store.h"

#include <stdio.h>
#include <string.h>

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

struct feed {
	struct analysis *const *v;
	size_t n;
	enum mamori_err e;
	const json_t *proposed;	/* org id -> proposed answers */
};

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

static int feed_row(void *ud, const struct store_iter_row *r)
{
	struct feed *f = ud;

	for (size_t i = 0; i < f->n && !f->e; i++) {
		/* a repeatable campaign's further reports: one invitee */
		if (!r->repeat)
			f->e = analysis_add_invited(f->v[i], r->org);
		if (f->e || !r->answers)
			continue;
		f->e = r->submitted
			       ? analysis_add_proposed(
					 f->v[i], r->org, r->answers,
					 json_object_get(f->proposed,
							 r->org_id))
			       : analysis_add_draft(f->v[i], r->org,
						    r->answers);
	}
	return f->e != MAMORI_OK;
}

enum mamori_err analysis_feed_campaign(struct store *st, int64_t campaign,
				       bool include_drafts,
				       struct analysis *const *v, size_t n,
				       struct strbuf *err)
{
	struct feed f = { v, n, MAMORI_OK, NULL };
	json_t *proposed = NULL;
	enum mamori_err e = analysis_campaign_proposals(st, campaign,
							&proposed, err);

	if (e)
		return e;
	f.proposed = proposed;
	e = store_campaign_iterate(st, campaign, include_drafts, feed_row, &f,
				   NULL, err);
	json_decref(proposed);
	if (!e && f.e) {
		if (err)
			strbuf_addf(err, "campaign %lld: analysis: %s",
				    (long long)campaign,
				    mamori_strerror(f.e));
		e = f.e;
	}
	return e;
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
