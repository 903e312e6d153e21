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

#include "instrument/instrument.h"
#include "util/err.h"
#include "util/strbuf.h"

enum mamori_err tables_csv(const struct instrument *ins, const json_t *result,
			   enum lang lang, struct strbuf *out);

/* True when this mamori was built with libxlsxwriter. */
bool tables_xlsx_available(void);
/* One sheet per section (indicators, findings, items) into path.
 * MAMORI_EINVAL without libxlsxwriter, MAMORI_EIO when it cannot write. */
enum mamori_err tables_xlsx(const struct instrument *ins, const json_t *result,
			    enum lang lang, const char *path,
			    struct strbuf *err);

#endif
