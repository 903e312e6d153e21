/*
 * trend.h - the trend section of the national summary (summary.h): the
 * result's "trend" (analysis_campaign_trend) as a paired bar chart (the
 * earlier and the later share of every indicator matched by id) with its
 * table, and the indicators and items that were added, removed or
 * changed between the two versions of the instrument.
 */
#ifndef MAMORI_TREND_H
#define MAMORI_TREND_H

#include <jansson.h>

#include "instrument/instrument.h"
#include "util/err.h"
#include "util/strbuf.h"

/*
 * Appends the section (an <h2> and what follows) to out; nothing when
 * result has no "trend". ins is the later campaign's instrument (labels
 * of what was removed are its ids). Returns out->err.
 */
enum mamori_err trend_html(const struct instrument *ins, const json_t *result,
			   enum lang lang, struct strbuf *out);

#endif
