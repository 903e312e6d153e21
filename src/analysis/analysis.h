/*
 * analysis.h - national tables from responses: per item the distribution
 * over the organisations to which the item applied, numeric summaries,
 * repeat rows, every indicator with its population, every finding with
 * its count, the response rate; cross-tabulated by an organisation
 * attribute; two campaigns of one instrument compared for trend tables;
 * for the items evidence answers, how many answers the evidence attached
 * to the response backs (analysis_add_proposed).
 *
 * The engine is fed record by record (analysis_add) and never reads
 * storage itself, so the same code serves the store, files and tests.
 * Each answer goes through the instrument engine's validation, so skip
 * logic decides the denominators exactly as it decides them for the
 * respondent. Nothing here prints, exits or allocates through aborting
 * wrappers.
 *
 * Denominators: an item's "population" is the number of responses in
 * which the item was relevant (asked); "answered" those of them with an
 * answer; "not_answered" = population - answered is kept apart from every
 * choice; "not_applicable" = responses - population. Items inside a
 * repeat count rows, not organisations.
 *
 * Quartiles: linear interpolation between order statistics (Hyndman and
 * Fan's type 7, the default of R and Excel's QUARTILE.INC): for sorted
 * x[0..n-1] and p in {0.25, 0.5, 0.75}, h = (n - 1) p and
 * q = x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]).
 */
#ifndef MAMORI_ANALYSIS_H
#define MAMORI_ANALYSIS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "instrument/instrument.h"
#include "util/err.h"
#include "util/strbuf.h"

/* The default size bands: lower bounds of beds. */
#define ANALYSIS_DEFAULT_BANDS { 20, 100, 200, 400, 500 }
#define ANALYSIS_MAX_BANDS 16
#define ANALYSIS_MAX_BY 4

struct analysis_opts {
	/*
	 * The attribute to cross-tabulate by ("prefecture", "kind",
	 * "founder", "size_band" ...), or several joined by commas
	 * ("kind,size_band": the group key joins their values with "/").
	 * NULL or "": no groups. "size_band" is computed from size_attr
	 * with the bands below; a missing attribute gives "unknown".
	 */
	const char *by;
	const double *bands;	/* ascending lower bounds; NULL: default */
	size_t nbands;
	const char *size_attr;	/* what the bands read; NULL: "beds" */
	const json_t *campaign;	/* ${campaign.NAME}, may be NULL */
	const char *today;	/* today() in expressions; NULL: system */
	/*
	 * Ids of the items for which evidence proposes answers (NULL
	 * ends; NULL: none). Each of them that is a top-level item of the
	 * instrument gets "evidence_proposed" and "evidence_backed"
	 * (analysis_add_proposed).
	 */
	const char *const *evidence_items;
};

struct analysis;

/*
 * A new, empty analysis of responses to ins (which must outlive it).
 * opts may be NULL. MAMORI_EINVAL for bad options (too many bands or
 * attributes, bands not ascending), MAMORI_ENOMEM. The caller frees
 * *out with analysis_free().
 */
enum mamori_err analysis_new(const struct instrument *ins,
			     const struct analysis_opts *opts,
			     struct analysis **out, struct strbuf *err);
void analysis_free(struct analysis *a);

/*
 * Count one organisation of the campaign's population (invited). Call it
 * before the organisation's responses: the responses added after it, up
 * to the next call, are that organisation's, and it counts once among
 * the respondents ("submitted") however many of them (reports of a
 * repeatable campaign) are submitted. A submitted response added with
 * no organisation announced counts as one respondent.
 */
enum mamori_err analysis_add_invited(struct analysis *a,
				     const json_t *org_attrs);
/*
 * Count one response: answers (a JSON object) is validated against the
 * instrument with org_attrs as ${org.*}, and every item, indicator and
 * finding counted. analysis_add counts a submitted response,
 * analysis_add_draft one that is not (yet) submitted. MAMORI_EINVAL when
 * answers is not an object, MAMORI_ENOMEM.
 */
enum mamori_err analysis_add(struct analysis *a, const json_t *org_attrs,
			     const json_t *answers);
enum mamori_err analysis_add_draft(struct analysis *a,
				   const json_t *org_attrs,
				   const json_t *answers);
/*
 * analysis_add, for a response with evidence attached: proposed is the
 * evidence's proposed answers, {item id: value} (evidence_propose()'s
 * "response"; NULL: none). For every evidence item (opts->evidence_items)
 * that applied to the response and for which the evidence proposes a
 * value other than "unknown", the answer counts towards
 * "evidence_proposed", and when it equals the proposal also towards
 * "evidence_backed".
 */
enum mamori_err analysis_add_proposed(struct analysis *a,
				      const json_t *org_attrs,
				      const json_t *answers,
				      const json_t *proposed);

/*
 * analysis_add_proposed() (submitted) or analysis_add_draft() for answers
 * given as their stored JSON text answers[0..len) instead of a document:
 * validated by instrument_validate_text(), so plain stored text is never
 * built as jansson; the counts are the same as from json_loadb()'s
 * document. MAMORI_EPARSE (jansson's message appended to err, which may
 * be NULL) when the text is not JSON, MAMORI_EINVAL when it is not an
 * object, MAMORI_ENOMEM.
 */
enum mamori_err analysis_add_text(struct analysis *a,
				  const json_t *org_attrs, const char *answers,
				  size_t len, bool submitted,
				  const json_t *proposed, struct strbuf *err);
/*
 * Whether the organisation's attributes change what a counts: grouping
 * by them, or an instrument that reads ${org.*}. When false, org_attrs
 * may be NULL in every call above (a feeder then need not build them).
 */
bool analysis_reads_org(const struct analysis *a);

/*
 * Feeding in parts (one part per thread): analysis_new_like() makes an
 * empty analysis with a's instrument and options (caller
 * analysis_free()s *out); analysis_merge() adds everything counted in
 * from to into. Parts must split the population between organisations
 * (an organisation's invitation and its responses in one part). The
 * result does not depend on how the population was split: counts add
 * up, numbers are summarised sorted, and counted texts and groups are
 * merged in key order. MAMORI_EINVAL when the instruments differ.
 */
enum mamori_err analysis_new_like(const struct analysis *a,
				  struct analysis **out);
enum mamori_err analysis_merge(struct analysis *into,
			       const struct analysis *from);

/* The group key of an organisation under opts->by ("" without by). */
enum mamori_err analysis_group_key(const struct analysis *a,
				   const json_t *org_attrs, struct strbuf *out);
/* The size band of an organisation ("200-399", "500+", "unknown"). */
enum mamori_err analysis_size_band(const struct analysis *a,
				   const json_t *org_attrs, struct strbuf *out);

/*
 * Counts for one group (group NULL: every response). Each returns false
 * (and zeros) when the group has no record. analysis_counts' submitted
 * is the organisations with a submitted response (the response rate's
 * numerator), drafts the draft responses.
 */
bool analysis_counts(const struct analysis *a, const char *group,
		     size_t *invited, size_t *submitted, size_t *drafts);
bool analysis_indicator(const struct analysis *a, const char *group,
			size_t indicator, size_t *population, size_t *met);
bool analysis_finding(const struct analysis *a, const char *group,
		      size_t finding, size_t *fired);

enum analysis_json_flags {
	ANALYSIS_JSON_NO_GROUPS = 1,	/* leave "groups" out */
};

/*
 * The result as a JSON object (docs/analysis.md has the schema):
 * instrument, invited, submitted (organisations), reports (submitted
 * responses), drafts, responses, response_rate,
 * items, indicators, findings and, with by, "by" and "groups". The
 * caller owns *out (json_decref). Dump it with JSON_SORT_KEYS for
 * deterministic output.
 */
enum mamori_err analysis_result_json(const struct analysis *a, unsigned flags,
				     json_t **out);

/*
 * Readable tables of a result (from analysis_result_json) in lang, each
 * with its denominator written out; appended to out.
 */
enum mamori_err analysis_result_text(const struct instrument *ins,
				     const json_t *result, enum lang lang,
				     struct strbuf *out);

/*
 * Trend table of two results of the same instrument id (older, newer,
 * each from analysis_result_json with its instrument): indicators and
 * items matched by id, each with both values and the change in
 * percentage points; items added, removed or changed (type, choices,
 * relevance or population expression) listed by id. MAMORI_EINVAL (with
 * a message) when the instrument ids differ.
 */
enum mamori_err analysis_compare(const struct instrument *older_ins,
				 const json_t *older,
				 const struct instrument *newer_ins,
				 const json_t *newer, json_t **out,
				 struct strbuf *err);

/*
 * The trend (from analysis_compare, with "campaigns" [before, after]) as
 * readable lines in lang: every indicator matched by id with both
 * shares, numerators, denominators and the change in points; indicators
 * and items added, removed or changed under the same id, each with its
 * label. Appended to out.
 */
enum mamori_err analysis_trend_text(const struct instrument *older_ins,
				    const struct instrument *newer_ins,
				    const json_t *trend, enum lang lang,
				    struct strbuf *out);

#endif
