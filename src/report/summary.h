/*
 * summary.h - the national summary of a campaign as one self-contained
 * HTML page (inline CSS and SVG, no request to anywhere, A4): response
 * rate, every indicator with its denominator, a tile map of the
 * prefectures for the response rate and for each indicator, every
 * finding, and the distribution of every select item over the
 * organisations to which it applied.
 */
#ifndef MAMORI_SUMMARY_H
#define MAMORI_SUMMARY_H

#include <jansson.h>

#include "instrument/instrument.h"
#include "util/err.h"
#include "util/strbuf.h"

/*
 * result: analysis_result_json of the campaign with by = "prefecture"
 * (without groups, the maps are left out; the maps are tilemap.h's).
 * One prefecture's page: result is that group of the analysis with
 * "prefecture" set to its code, which names it in the heading. Appends
 * the page to out.
 */
enum mamori_err summary_html(const struct instrument *ins,
			     const json_t *result, const char *title,
			     enum lang lang, const char *generated,
			     struct strbuf *out);

#endif
