/*
 * analysis_store.h - feeding analyses from a stored campaign: the one
 * place where the analysis layer reads the store (store_campaign_iterate).
 */
#ifndef MAMORI_ANALYSIS_STORE_H
#define MAMORI_ANALYSIS_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "analysis/analysis.h"
#include "store/store.h"

/*
 * The campaign as ${campaign.NAME} reads it: id, title, opens, closes
 * (dates), as the store's validation sees it. Caller owns (json_decref);
 * NULL on allocation failure.
 */
json_t *analysis_campaign_json(const struct store_campaign *c);

/*
 * The answers proposed by the evidence attached in campaign: *out
 * (caller json_decref) maps each organisation with evidence to
 * evidence_propose()'s "response" ({item: value}) for its newest audit
 * and its newest firmware check together.
 */
enum mamori_err analysis_campaign_proposals(struct store *st,
					    int64_t campaign, json_t **out,
					    struct strbuf *err);

/* The ids of the items evidence proposes answers for (NULL ends):
 * evidence_propose()'s, for analysis_opts.evidence_items. */
const char *const *analysis_evidence_items(void);

/*
 * One pass over the campaign's population: every organisation counted as
 * invited in each of the n analyses, every response that counts (the
 * submitted revision; with include_drafts also the newest revision of a
 * response never submitted) added to each, a submitted one with the
 * answers its evidence proposes (analysis_add_proposed). The analyses
 * must be of the campaign's instrument.
 */
enum mamori_err analysis_feed_campaign(struct store *st, int64_t campaign,
				       bool include_drafts,
				       struct analysis *const *v, size_t n,
				       struct strbuf *err);
/*
 * analysis_feed_campaign() on threads workers (0: one per processor
 * online, at most 16) while the calling thread reads: the same result
 * whatever the number (analysis_merge). The caller's analyses are only
 * touched by the calling thread, after the workers are done.
 */
enum mamori_err analysis_feed_campaign_threads(struct store *st,
					       int64_t campaign,
					       bool include_drafts,
					       struct analysis *const *v,
					       size_t n, unsigned threads,
					       struct strbuf *err);

/*
 * The whole analysis of a stored campaign in one call: its instrument
 * (*ins, owned by st), and *result (caller json_decref) as
 * analysis_result_json gives it plus "campaign", "title", "population"
 * and "include_drafts". opts->campaign and opts->today are filled in
 * from the campaign (today: its last closing date).
 */
enum mamori_err analysis_campaign_result(struct store *st, int64_t campaign,
					 const struct analysis_opts *opts,
					 bool include_drafts,
					 const struct instrument **ins,
					 json_t **result, struct strbuf *err);

/*
 * The campaign before this one of the same instrument id: of the other
 * campaigns whose instrument id is the same, the one whose first window
 * opens last, but not after this one's (at the same time: the higher id
 * below this one's). *previous = 0 when there is none.
 */
enum mamori_err analysis_previous_campaign(struct store *st, int64_t campaign,
					   int64_t *previous,
					   struct strbuf *err);

/*
 * Put under result's "trend" (result: analysis_campaign_result of
 * campaign, ins its instrument) the comparison with campaign before
 * (analysis_compare, national figures, the same opts without "by"), plus
 * "campaigns": [before, campaign] and "title_before". before = 0: the
 * previous campaign (analysis_previous_campaign); when there is none,
 * nothing is added and *before_out = 0. MAMORI_EINVAL (with a message)
 * when the instrument ids differ or before is campaign itself.
 * (*before_out is the campaign compared with.)
 */
enum mamori_err analysis_campaign_trend(struct store *st, int64_t campaign,
					int64_t before,
					const struct analysis_opts *opts,
					bool include_drafts,
					const struct instrument *ins,
					json_t *result, int64_t *before_out,
					struct strbuf *err);

#endif
