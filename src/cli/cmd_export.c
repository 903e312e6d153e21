/*
 * cmd_export.c - "mamori export CAMPAIGN --format xlsx|csv|json [-o FILE]
 * [--by ATTR] [--bands LIST] [--include-drafts] [--lang ja|en] [--bom]
 * [--db PATH]": the national tables of a campaign for spreadsheets (the
 * workbook also holds the tables by prefecture and the raw responses).
 * Only translates between people and analysis/report.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "analysis/analysis_store.h"
#include "cli/cli.h"
#include "cli/cmd_store.h"
#include "report/tables.h"
#include "util/num.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const char usage[] =
	"usage: mamori export CAMPAIGN --format xlsx|csv|json [-o FILE] "
	"[--by ATTRIBUTE] [--bands LIST] [--include-drafts] [--lang ja|en] "
	"[--bom] [--db PATH]\n"
	"\n"
	"The campaign's national tables (as 'mamori analysis' computes them) "
	"for\nspreadsheets: one row per indicator, finding, choice and "
	"statistic, each with\nits denominator; with --by, the same for "
	"every group. xlsx needs -o FILE and\nadds a summary sheet, one row "
	"per prefecture, the raw responses (one row per\norganisation; per "
	"report, with its number, in a repeatable campaign), one\nsheet per "
	"repeat (one row per row) and one for additional forms (one row "
	"per\nform, with its number). --bom starts a CSV with a UTF-8 "
	"byte-order mark (for\nExcel).\n";

enum fmt { F_CSV, F_JSON, F_XLSX, F__MAX };
static const char *const fmt_names[F__MAX] = { "csv", "json", "xlsx" };

static int parse_bands(const char *s, double *bands, size_t *n)
{
	struct slice rest = slice_from_cstr(s), one;

	*n = 0;
	while (rest.p) {
		rest = slice_cut(rest, ',', &one);
		one = slice_trim(one);
		if (*n == ANALYSIS_MAX_BANDS ||
		    num_parse_double(one, &bands[*n]) ||
		    (*n && bands[*n] <= bands[*n - 1]))
			return -1;
		(*n)++;
	}
	return *n ? 0 : -1;
}

int cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "out", required_argument, NULL, 'o' },
		{ "by", required_argument, NULL, 'b' },
		{ "bands", required_argument, NULL, 'B' },
		{ "include-drafts", no_argument, NULL, 'D' },
		{ "lang", required_argument, NULL, 'l' },
		{ "bom", no_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	double bands[ANALYSIS_MAX_BANDS];
	struct analysis_opts ao = { 0 };
	const char *db = NULL, *outpath = NULL;
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;
	const struct instrument *ins = NULL, *fins = NULL;
	json_t *res = NULL, *byp = NULL, *rows = NULL;
	struct store *st = NULL;
	bool drafts = false, bom = false;
	int fmt = -1, lang = LANG_JA, c, rc;
	int64_t id;
	enum mamori_err e;

	optind = 0;
	while ((c = getopt_long(argc, argv, "d:f:o:b:B:Dl:mh", opts, NULL)) !=
	       -1) {
		switch (c) {
		case 'm':
			bom = true;
			break;
		case 'd':
			db = optarg;
			break;
		case 'f':
			for (int i = 0; i < F__MAX; i++)
				if (!strcmp(optarg, fmt_names[i]))
					fmt = i;
			if (fmt < 0)
				return cli_usage_error("--format: xlsx, csv or "
						       "json, not '%s'", optarg);
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'b':
			ao.by = optarg;
			break;
		case 'B':
			if (parse_bands(optarg, bands, &ao.nbands))
				return cli_usage_error("--bands: ascending "
						       "numbers separated by "
						       "commas, not '%s'",
						       optarg);
			ao.bands = bands;
			break;
		case 'D':
			drafts = true;
			break;
		case 'l':
			if ((lang = lang_parse(optarg)) < 0)
				return cli_usage_error("--lang: ja or en");
			break;
		case 'h':
			fputs(usage, stdout);
			return EXIT_OK;
		default:
			fputs(usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1 || fmt < 0) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	if (fmt == F_XLSX && (!outpath || !strcmp(outpath, "-")))
		return cli_usage_error("--format xlsx needs -o FILE.xlsx");
	if (fmt == F_XLSX && !tables_xlsx_available())
		return cli_usage_error("this mamori was built without "
				       "libxlsxwriter; use --format csv");
	if ((rc = store_cli_campaign_id(argv[optind], &id)))
		return rc;
	if ((rc = store_cli_open(db, false, &st)))
		return rc;
	e = analysis_campaign_result(st, id, &ao, drafts, &ins, &res, &err);
	if (!e) {
		switch (fmt) {
		case F_CSV:
			if (bom)
				strbuf_addstr(&out, "\xef\xbb\xbf");
			e = tables_csv(ins, res, (enum lang)lang, &out);
			break;
		case F_JSON: {
			char *s = json_dumps(res, JSON_SORT_KEYS |
						  JSON_INDENT(1) |
						  JSON_REAL_PRECISION(10));
			if (!s)
				e = MAMORI_ENOMEM;
			else
				strbuf_addstr(&out, s);
			strbuf_addch(&out, '\n');
			free(s);
			break;
		}
		default: {
			/* the prefecture sheet: the same analysis by
			 * prefecture, unless that is what was asked */
			struct analysis_opts po = ao;
			const struct instrument *pins;
			po.by = "prefecture";
			if (ao.by && !strcmp(ao.by, "prefecture"))
				byp = json_incref(res);
			else
				e = analysis_campaign_result(st, id, &po, drafts,
							     &pins, &byp, &err);
			if (!e)
				e = tables_responses_load(st, id, drafts, &rows,
							  &err);
			/* the additional forms' instrument, if any */
			if (!e && (e = store_campaign_form_instrument(
					   st, id, &fins, &err)) ==
					  MAMORI_ENOENT) {
				fins = NULL;
				strbuf_reset(&err);
				e = MAMORI_OK;
			}
			if (!e)
				e = tables_xlsx(ins, res, byp, rows, fins,
						(enum lang)lang, outpath, &err);
			break;
		}
		}
	}
	if (e) {
		rc = store_cli_fail(e, &err);
		goto done;
	}
	if (fmt != F_XLSX) {
		FILE *f = outpath && strcmp(outpath, "-") ? fopen(outpath, "wb")
							   : stdout;
		if (!f) {
			rc = cli_usage_error("%s: cannot create: %s", outpath,
					     strerror(errno));
			goto done;
		}
		if (fwrite(out.buf, 1, out.len, f) != out.len ||
		    (f != stdout && fclose(f)))
			rc = cli_usage_error("%s: cannot write: %s",
					     outpath ? outpath : "stdout",
					     strerror(errno));
	}
done:
	json_decref(res);
	json_decref(byp);
	json_decref(rows);
	strbuf_release(&out);
	strbuf_release(&err);
	store_free(st);
	return rc;
}
