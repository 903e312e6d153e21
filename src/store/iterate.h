/*
 * iterate.h - a campaign's population, one organisation at a time, with
 * the response that counts: what analysis and feedback reports read.
 * Part of the store's interface (store.h); kept in its own header so the
 * analysis layer's one query is easy to find.
 */
#ifndef MAMORI_STORE_ITERATE_H
#define MAMORI_STORE_ITERATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"
#include "util/slice.h"

struct store_iter_row {
	const char *org_id;
	/* the organisation as expressions see it: attributes plus id,
	 * name, kind, prefecture, prefecture_name, region */
	const json_t *org;
	enum response_status status;	/* RESPONSE_NONE: no response */
	int64_t revision;		/* of answers; 0 when answers is NULL */
	bool submitted;			/* answers is the submitted revision */
	const json_t *answers;		/* NULL: nothing that counts */
	/* schema 4: in a repeatable campaign every report of an
	 * organisation is a row: number is the report's (0 elsewhere), and
	 * repeat is set on the rows after an organisation's first */
	int64_t number;
	bool repeat;
};

/*
 * Calls fn for every organisation of the campaign's population (the
 * organisations targeted, i.e. invited; in a repeatable campaign once
 * per report, see repeat above), ordered by id, with the answers
 * that count: the submitted revision (as normalised at submission), or,
 * with include_drafts, for a response never submitted its newest
 * revision. Everything handed to fn is valid only during the call; fn
 * returns non-zero to stop, and must not write to st. All rows are read
 * in one read transaction (one snapshot). *invited (may be NULL) gets
 * the number of organisations visited. MAMORI_ENOENT: no such campaign.
 */
enum mamori_err store_campaign_iterate(struct store *st, int64_t campaign,
				       bool include_drafts,
				       int (*fn)(void *ud,
						 const struct store_iter_row *r),
				       void *ud, size_t *invited,
				       struct strbuf *err);

/*
 * The same rows as stored bytes, for readers that build only what they
 * need (analysis_feed_campaign). Every slice is NUL-terminated at
 * p[len] and valid only during the call; answers.p is NULL when nothing
 * counts (the stored JSON otherwise: normalised, else the body).
 */
struct store_iter_raw {
	struct slice org_id, name, kind, pref_code, attrs;
	enum response_status status;
	int64_t revision;
	bool submitted;
	struct slice answers;
	int64_t number;
	bool repeat;
};

/*
 * store_campaign_iterate(), rows as stored bytes: the same rows in the
 * same order from the same snapshot. The rows are read by merging four
 * scans in organisation id order (members, organisations, responses,
 * revisions) rather than looking each one up, so a campaign's read costs
 * one pass over each table's campaign range; the text of a revision is
 * read only for submissions (and, with include_drafts, every revision).
 */
enum mamori_err store_campaign_scan(struct store *st, int64_t campaign,
				    bool include_drafts,
				    int (*fn)(void *ud,
					      const struct store_iter_raw *r),
				    void *ud, size_t *invited,
				    struct strbuf *err);

/*
 * store_campaign_scan() in parts, for readers on several threads: the
 * population split into ranges of organisation ids, about as many
 * organisations each, every part read on a read-only connection of its
 * own. All parts read one snapshot: their read transactions begin while
 * st holds the write lock for a moment (BEGIN IMMEDIATE). When that
 * cannot be had (an in-memory database, a read-only file, a writer busy
 * for longer than the busy timeout) or the campaign is small, there is
 * one part, read on st's connection. Together the parts give the rows of
 * store_campaign_scan(), an organisation's rows always in one part.
 *
 * store_scan_open() asks for up to parts parts (store_scan_parts() says
 * how many there are); with STORE_SCAN_ORG_ID_ONLY in flags the rows'
 * name, kind, pref_code and attrs are left NULL (not read). The caller
 * frees *out with store_scan_free(),
 * after every store_scan_part() call on it has returned.
 * store_scan_part() reads part k (0 <= k < store_scan_parts()) like
 * store_campaign_scan(); different parts may be read at once on
 * different threads, each part once. fn must not use st.
 */
struct store_scan;

enum store_scan_flags {
	STORE_SCAN_ORG_ID_ONLY = 1,	/* of the organisation only its id */
};

enum mamori_err store_scan_open(struct store *st, int64_t campaign,
				bool include_drafts, unsigned flags,
				size_t parts, struct store_scan **out,
				struct strbuf *err);
size_t store_scan_parts(const struct store_scan *sc);
enum mamori_err store_scan_part(struct store_scan *sc, size_t part,
				int (*fn)(void *ud,
					  const struct store_iter_raw *r),
				void *ud, size_t *invited, struct strbuf *err);
void store_scan_free(struct store_scan *sc);

/*
 * The organisation of a raw row as store_campaign_iterate() gives it
 * (attributes plus id, name, kind, prefecture, prefecture_name, region).
 * Caller json_decref()s; NULL when out of memory.
 */
json_t *store_iter_org_json(const struct store_iter_raw *r);

#endif
