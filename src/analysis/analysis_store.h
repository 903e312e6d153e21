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
 * One pass over the campaign's population: every organisation counted as
 * invited in each of the n analyses, every response that counts (the
 * submitted revision; with include_drafts also the newest revision of a
 * response never submitted) added to each. The analyses must be of the
 * campaign's instrument.
 */
enum mamori_err analysis_feed_campaign(struct store *st, int64_t campaign,
				       bool include_drafts,
				       struct analysis *const *v, size_t n,
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

#endif
