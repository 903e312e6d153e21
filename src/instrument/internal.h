/*
 * internal.h - what the engine's own files share and nobody else sees:
 * the private part of struct instrument and the reference numbering.
 *
 * Reference numbers (the ints that compiled expressions carry):
 *   0 .. nitems-1          the item with that index
 *   nitems + k             context name k: "org.NAME" or "campaign.NAME"
 */
#ifndef MAMORI_INSTRUMENT_INTERNAL_H
#define MAMORI_INSTRUMENT_INTERNAL_H

#include <stdint.h>

#include "instrument/expr.h"
#include "instrument/instrument.h"
#include "util/arena.h"

#define INSTRUMENT_MAX_ITEMS 10000
#define INSTRUMENT_MAX_GROUP_DEPTH 8
#define INSTRUMENT_MAX_CHOICES 1000
#define INSTRUMENT_MAX_ROWS 1000

struct instrument_private {
	struct arena arena;		/* owns the whole instrument */
	uint32_t *htab;			/* id hash: item index + 1, 0 empty */
	size_t hmask;
	size_t *order;			/* items in evaluation order */
	size_t norder;
	size_t *column;			/* per item: column within its repeat */
	size_t *ncolumns;		/* per item (repeats): columns */
	size_t nctx;			/* context names */
	const char **ctx_names;		/* "org.kind", "campaign.fiscal_year_end" */
	size_t nanswerable;		/* items that take an answer */
};

static inline bool item_is_answerable(const struct item *it)
{
	return it->type >= ITEM_TEXT && it->type <= ITEM_SELECT_MULTIPLE;
}

static inline bool item_has_data(const struct item *it)
{
	return item_is_answerable(it) || it->type == ITEM_CALCULATE;
}

uint32_t instrument_hash(const char *p, size_t len);

#endif
