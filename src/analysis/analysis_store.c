/*
 * analysis_store.c - analyses fed from a stored campaign (analysis_store.h).
 * Reads through the store's interface only; must never write.
 */
#include "analysis/analysis_store.h"

#include <stdio.h>

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
};

static int feed_row(void *ud, const struct store_iter_row *r)
{
	struct feed *f = ud;

	for (size_t i = 0; i < f->n && !f->e; i++) {
		f->e = analysis_add_invited(f->v[i], r->org);
		if (f->e || !r->answers)
			continue;
		f->e = r->submitted ? analysis_add(f->v[i], r->org, r->answers)
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
	struct feed f = { v, n, MAMORI_OK };
	enum mamori_err e = store_campaign_iterate(st, campaign, include_drafts,
						   feed_row, &f, NULL, err);
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
