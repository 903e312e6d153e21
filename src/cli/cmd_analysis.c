/*
 * cmd_analysis.c - "mamori analysis CAMPAIGN [--by ATTR] [--bands LIST]
 * [--include-drafts] [--compare OTHER] [--json] [--lang ja|en]
 * [--db PATH]". Only translates between people and analysis.h; must
 * never count anything itself.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "analysis/analysis_store.h"
#include "cli/cli.h"
#include "cli/cmd_store.h"
#include "util/num.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const char usage[] =
	"usage: mamori analysis CAMPAIGN [--by ATTRIBUTE[,ATTRIBUTE]] "
	"[--bands 20,100,200,400,500] [--include-drafts] [--compare CAMPAIGN] "
	"[--json] [--lang ja|en] [--db PATH]\n"
	"\n"
	"National tables of a campaign: every item over the organisations it "
	"applied to,\nevery indicator over its population, every finding, the "
	"response rate.\n"
	"  --by ATTR        cross-tabulate by an organisation attribute "
	"(prefecture, kind,\n"
	"                   founder, size_band ...; several joined by commas)\n"
	"  --bands LIST     size_band lower bounds of beds (default "
	"20,100,200,400,500)\n"
	"  --include-drafts count the newest revision of responses never "
	"submitted\n"
	"  --compare OTHER  trend table against an earlier campaign of the "
	"same instrument\n"
	"                   ('previous': the one before, of the same "
	"instrument id)\n"
	"  --json           machine output (sorted keys)\n";

/* "20,100,200" into bands; -1 when not ascending numbers. */
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

struct run {
	struct store *st;
	int64_t id;
	bool drafts;
	const struct analysis_opts *ao;
	const struct instrument *ins;
	json_t *result;
};

/* Analyse one campaign into r->result; an exit status. */
static int analyse(struct run *r)
{
	struct strbuf err = STRBUF_INIT;
	enum mamori_err e = analysis_campaign_result(r->st, r->id, r->ao,
						     r->drafts, &r->ins,
						     &r->result, &err);
	int rc = e ? store_cli_fail(e, &err) : EXIT_OK;
	strbuf_release(&err);
	return rc;
}

int cmd_analysis(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "by", required_argument, NULL, 'b' },
		{ "bands", required_argument, NULL, 'B' },
		{ "include-drafts", no_argument, NULL, 'D' },
		{ "compare", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "lang", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	double bands[ANALYSIS_MAX_BANDS];
	struct analysis_opts ao = { 0 };
	const char *db = NULL, *compare = NULL;
	struct run now = { 0 }, before = { 0 };
	bool json = false, drafts = false;
	int lang = LANG_EN, c, rc;
	struct store *st = NULL;

	optind = 0;
	while ((c = getopt_long(argc, argv, "d:b:B:Dc:jl:h", opts, NULL)) !=
	       -1) {
		switch (c) {
		case 'd':
			db = optarg;
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
		case 'c':
			compare = optarg;
			break;
		case 'j':
			json = true;
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
	if (argc - optind != 1) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	if ((rc = store_cli_campaign_id(argv[optind], &now.id)))
		return rc;
	if (compare && strcmp(compare, "previous") &&
	    (rc = store_cli_campaign_id(compare, &before.id)))
		return rc;
	if ((rc = store_cli_open(db, false, &st)))
		return rc;
	now.st = before.st = st;
	now.drafts = before.drafts = drafts;
	now.ao = before.ao = &ao;
	if ((rc = analyse(&now)))
		goto out;
	if (compare) {
		struct strbuf err = STRBUF_INIT;
		enum mamori_err e = analysis_campaign_trend(
			st, now.id, before.id, &ao, drafts, now.ins, now.result,
			&before.id, &err);
		if (!e && !before.id) {
			rc = cli_usage_error("campaign %lld: no earlier "
					     "campaign of the same instrument",
					     (long long)now.id);
			strbuf_release(&err);
			goto out;
		}
		if (!e)
			e = store_campaign_instrument(st, before.id, &before.ins,
						      &err);
		if (e) {
			rc = store_cli_fail(e, &err);
			strbuf_release(&err);
			goto out;
		}
		strbuf_release(&err);
	}
	if (json) {
		if (json_dumpf(now.result, stdout, JSON_SORT_KEYS | JSON_INDENT(1) |
			       JSON_REAL_PRECISION(10)) ||
		    fputc('\n', stdout) == EOF)
			rc = EXIT_USAGE;
	} else {
		struct strbuf out = STRBUF_INIT;
		fprintf(stdout, "campaign %lld: %s\n", (long long)now.id,
			json_string_value(json_object_get(now.result, "title")));
		xcheck_oom(analysis_result_text(now.ins, now.result,
						(enum lang)lang, &out));
		const json_t *trend = json_object_get(now.result, "trend");
		if (trend)
			xcheck_oom(analysis_trend_text(before.ins, now.ins,
						       trend, (enum lang)lang,
						       &out));
		fwrite(out.buf, 1, out.len, stdout);
		strbuf_release(&out);
	}
out:
	json_decref(now.result);
	json_decref(before.result);
	store_free(st);
	return rc;
}
