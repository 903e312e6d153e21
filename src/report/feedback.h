/*
 * feedback.h - the feedback report for one organisation: its answers,
 * the findings that fire (worst first, with advice and references), each
 * indicator beside the share of all respondents, of its prefecture and
 * of its peers (same kind and size band) that meet it, and what to do
 * first. One self-contained HTML page (inline CSS and SVG, no request
 * to anywhere), print-friendly on A4, in Japanese or English.
 */
#ifndef MAMORI_FEEDBACK_H
#define MAMORI_FEEDBACK_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "analysis/analysis.h"
#include "instrument/instrument.h"
#include "store/store.h"
#include "util/err.h"
#include "util/strbuf.h"

/* Everything one page needs; nothing in it is owned by the page. */
struct feedback_in {
	const struct instrument *ins;
	const char *campaign_title;
	int64_t campaign;
	const json_t *campaign_attrs;	/* ${campaign.*}, may be NULL */
	const json_t *org;		/* the organisation's attributes */
	const json_t *answers;		/* its submitted answers */
	/* all respondents and prefectures: by "prefecture" */
	const struct analysis *by_pref;
	/* peers: by "kind,size_band" */
	const struct analysis *by_peer;
	enum lang lang;
	const char *generated;		/* date shown, "YYYY-MM-DD" */
};

/* The page, appended to out. MAMORI_ENOMEM, MAMORI_EINVAL (answers not
 * an object). */
enum mamori_err feedback_html(const struct feedback_in *in,
			      struct strbuf *out);

/* ---- from the store ---------------------------------------------------- */

/* A campaign read once for any number of feedback pages. */
struct feedback_set;

/*
 * Read the campaign's submitted responses (one pass), build the national,
 * prefecture and peer analyses, and keep the respondents (only org_id
 * when not NULL; MAMORI_ENOENT when it has no submitted response). The
 * caller frees *out with feedback_set_free().
 */
enum mamori_err feedback_set_load(struct store *st, int64_t campaign,
				  const char *org_id,
				  struct feedback_set **out,
				  struct strbuf *err);
void feedback_set_free(struct feedback_set *s);
size_t feedback_set_count(const struct feedback_set *s);
const char *feedback_set_org(const struct feedback_set *s, size_t i);
/*
 * The same analyses with no respondent kept (feedback_set_count() is 0),
 * for pages of organisations read one at a time
 * (feedback_set_render_org). The caller frees *out with
 * feedback_set_free().
 */
enum mamori_err feedback_set_load_analyses(struct store *st,
					   int64_t campaign,
					   struct feedback_set **out,
					   struct strbuf *err);
/*
 * The page of respondent i, appended to out. The set is only read, and
 * each call keeps its own state: pages of one set may be made by several
 * threads at once.
 */
enum mamori_err feedback_set_render(const struct feedback_set *s, size_t i,
				    enum lang lang, const char *generated,
				    struct strbuf *out);
/*
 * The page of an organisation of the campaign given by its attributes
 * (as store_org_get() reads them) and its submitted answers (the
 * revision that counts, as normalised), against the set's analyses;
 * appended to out. Thread-safe as feedback_set_render().
 */
enum mamori_err feedback_set_render_org(const struct feedback_set *s,
					const json_t *org,
					const json_t *answers, enum lang lang,
					const char *generated,
					struct strbuf *out);

#endif
