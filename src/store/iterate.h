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

#endif
