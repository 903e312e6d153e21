/*
 * tables.h - an analysis result (analysis_result_json) as flat tables for
 * spreadsheets: one row per indicator, finding, choice, numeric
 * statistic, for all respondents and for each group, each with its
 * denominator. CSV (UTF-8, RFC 4180, cells that a spreadsheet would run
 * as a formula made inert) or XLSX (libxlsxwriter, when built with it).
 *
 * Columns: section, group, id, number, label, key, key_label, count,
 * denominator, share, value.
 */
#ifndef MAMORI_TABLES_H
#define MAMORI_TABLES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "instrument/instrument.h"
#include "store/store.h"
#include "util/err.h"
#include "util/strbuf.h"

enum mamori_err tables_csv(const struct instrument *ins, const json_t *result,
			   enum lang lang, struct strbuf *out);

/*
 * The campaign's responses for the workbook: *out (caller json_decref)
 * is "mamori response export --format json"'s object, each response
 * with "org", the organisation as store_campaign_iterate() gives it
 * (id, name, kind, prefecture, attributes). The submitted revision of
 * each response; with include_drafts also the newest of the others.
 */
enum mamori_err tables_responses_load(struct store *st, int64_t campaign,
				      bool include_drafts, json_t **out,
				      struct strbuf *err);

/* True when this mamori was built with libxlsxwriter. */
bool tables_xlsx_available(void);
/*
 * A workbook into path: "summary" (campaign facts, every indicator and
 * finding), one sheet per section of the flat tables ("indicators",
 * "findings", "items", with the groups of result), "prefectures" (one
 * row per prefecture, from by_prefecture: a result with groups by
 * prefecture; NULL: left out), and, from responses
 * (tables_responses_load; NULL: left out), "responses" (one row per
 * organisation: id, name, prefecture, kind, status, submitted time, one
 * column per item: choices as their values, numbers as numbers,
 * several values joined by ", "; in a repeatable campaign one row per
 * report, with its "number" after the organisation), one sheet per
 * repeat named after it (organisation, [number,] row, one column per
 * field) and, for a campaign with additional forms, one sheet named
 * after form_ins (their instrument; NULL: none) with one row per form
 * (organisation, number, name, … one column per item of form_ins). Strings and numbers
 * only, never a formula. MAMORI_EINVAL without libxlsxwriter,
 * MAMORI_ETOOBIG beyond a sheet's 1,048,576 rows, MAMORI_EIO when it
 * cannot write.
 */
enum mamori_err tables_xlsx(const struct instrument *ins, const json_t *result,
			    const json_t *by_prefecture, const json_t *responses,
			    const struct instrument *form_ins, enum lang lang,
			    const char *path, struct strbuf *err);

#endif
