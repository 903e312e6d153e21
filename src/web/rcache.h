/*
 * rcache.h - the analyses behind a campaign's results pages, kept by the
 * server between requests: the analysis by prefecture that the national
 * summary and the prefecture pages show, and the national, prefecture
 * and peer analyses that every organisation's feedback page is set
 * against. Without it each of those pages reads the whole campaign again
 * (a second or so for 8,252 hospitals).
 *
 * An entry is never shown after anything it was computed from changed.
 * Every change to organisations, campaigns, responses and evidence is
 * written with its audit event in one transaction (store.h), so an entry
 * remembers the newest audit event it has seen; before each use the
 * events since are read, and any of them that may change the analysis
 * (a submission, a reopening, evidence, an organisation or campaign
 * changed, ...) makes the page compute it afresh. Sign-ins, draft saves
 * and publication leave it as it is. A database changed by anything but
 * mamori calls for a restart of the server.
 *
 * Bounded: RCACHE_MAX entries, the least recently used one leaving
 * first. Thread-safe: entries are read by many requests at once and
 * never changed once made; a campaign whose entry is being computed
 * makes other requests for it wait instead of computing it again.
 */
#ifndef MAMORI_WEB_RCACHE_H
#define MAMORI_WEB_RCACHE_H

#include <jansson.h>
#include <stdint.h>

#include "report/feedback.h"
#include "store/store.h"
#include "util/err.h"
#include "util/strbuf.h"

#define RCACHE_MAX 8

struct rcache;
struct rcache_entry;

/* An empty cache for the database at db (a feedback entry opens its own
 * connection there: it owns the instrument its analyses point into).
 * Free with rcache_free(), after the last request. */
struct rcache *rcache_new(const char *db);
void rcache_free(struct rcache *c);

/*
 * Campaign's analysis by prefecture (analysis_campaign_result(), submitted
 * responses only, without its instrument: store_campaign_instrument()
 * gives that), read only; valid until rcache_put(*ref). st is the
 * request's connection. Errors as analysis_campaign_result() (nothing to
 * put then).
 */
enum mamori_err rcache_result(struct rcache *c, struct store *st,
			      int64_t campaign, const json_t **result,
			      struct rcache_entry **ref, struct strbuf *err);

/*
 * Campaign's feedback set without respondents
 * (feedback_set_load_analyses()), for feedback_set_render_org(); valid
 * until rcache_put(*ref). Errors as feedback_set_load_analyses().
 */
enum mamori_err rcache_feedback(struct rcache *c, struct store *st,
				int64_t campaign,
				const struct feedback_set **set,
				struct rcache_entry **ref,
				struct strbuf *err);

/* Done with an entry (NULL: nothing). */
void rcache_put(struct rcache *c, struct rcache_entry *ref);

#endif
