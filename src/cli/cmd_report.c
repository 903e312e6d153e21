/*
 * cmd_report.c - "mamori report feedback CAMPAIGN ORG [--lang ja|en]
 * [-o FILE.html]", "mamori report feedback CAMPAIGN --all DIR" and
 * "mamori report summary CAMPAIGN [--lang] [-o FILE.html]". Only
 * translates between people and feedback.h / summary.h; must never build
 * HTML itself.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/cmd_store.h"
#include "analysis/analysis_store.h"
#include "report/feedback.h"
#include "report/summary.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const char feedback_usage[] =
	"usage: mamori report feedback CAMPAIGN ORG [--lang ja|en] "
	"[-o FILE.html] [--db PATH]\n"
	"       mamori report feedback CAMPAIGN --all DIR [--lang ja|en] "
	"[--db PATH]\n"
	"\n"
	"A self-contained HTML feedback report (A4, inline CSS and SVG) for "
	"one organisation,\nor one file per respondent (DIR/ORG.html): its "
	"answers, the findings that fire\nworst first with advice, each "
	"indicator against all respondents, its prefecture\nand its peers "
	"(same kind and size band), and what to do first.\n";

static int write_file(const char *path, const struct strbuf *sb)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return cli_usage_error("%s: cannot create: %s", path,
				       strerror(errno));
	if (fwrite(sb->buf, 1, sb->len, f) != sb->len) {
		fclose(f);
		return cli_usage_error("%s: cannot write: %s", path,
				       strerror(errno));
	}
	if (fclose(f))
		return cli_usage_error("%s: cannot write: %s", path,
				       strerror(errno));
	return EXIT_OK;
}

/* ORG ids become file names: only letters, digits, '-', '_', '.'. */
static int safe_name(const char *s)
{
	if (!*s || s[0] == '.')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' ||
		      *s == '.'))
			return 0;
	return 1;
}

static int feedback(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "lang", required_argument, NULL, 'l' },
		{ "out", required_argument, NULL, 'o' },
		{ "all", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL, *outpath = NULL, *all = NULL;
	struct strbuf err = STRBUF_INIT, page = STRBUF_INIT;
	struct feedback_set *set = NULL;
	struct store *st = NULL;
	int lang = LANG_JA, c, rc;
	char today[16];
	time_t now = time(NULL);
	struct tm tm;
	int64_t id;
	enum mamori_err e;

	while ((c = getopt_long(argc, argv, "d:l:o:a:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db = optarg;
			break;
		case 'l':
			if ((lang = lang_parse(optarg)) < 0)
				return cli_usage_error("--lang: ja or en");
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'a':
			all = optarg;
			break;
		case 'h':
			fputs(feedback_usage, stdout);
			return EXIT_OK;
		default:
			fputs(feedback_usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != (all ? 1 : 2) || (all && outpath)) {
		fputs(feedback_usage, stderr);
		return EXIT_USAGE;
	}
	if ((rc = store_cli_campaign_id(argv[optind], &id)))
		return rc;
	if ((rc = store_cli_open(db, false, &st)))
		return rc;
	localtime_r(&now, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	e = feedback_set_load(st, id, all ? NULL : argv[optind + 1], &set,
			      &err);
	if (e) {
		rc = store_cli_fail(e, &err);
		goto out;
	}
	if (all && mkdir(all, 0750) && errno != EEXIST) {
		rc = cli_usage_error("%s: cannot create: %s", all,
				     strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < feedback_set_count(set); i++) {
		const char *org = feedback_set_org(set, i);
		strbuf_reset(&page);
		xcheck_oom(feedback_set_render(set, i, (enum lang)lang, today,
					       &page));
		if (all) {
			struct strbuf path = STRBUF_INIT;
			if (!safe_name(org)) {
				fprintf(stderr, "mamori: '%s': not usable as a "
					"file name; skipped\n", org);
				continue;
			}
			strbuf_addf(&path, "%s/%s.html", all, org);
			xcheck_oom(path.err);
			rc = write_file(path.buf, &page);
			strbuf_release(&path);
			if (rc)
				goto out;
		} else if (outpath && strcmp(outpath, "-")) {
			if ((rc = write_file(outpath, &page)))
				goto out;
		} else if (fwrite(page.buf, 1, page.len, stdout) != page.len) {
			rc = EXIT_USAGE;
			goto out;
		}
	}
	if (all)
		printf("%zu feedback reports in %s\n", feedback_set_count(set),
		       all);
	rc = EXIT_OK;
out:
	feedback_set_free(set);
	strbuf_release(&page);
	strbuf_release(&err);
	store_free(st);
	return rc;
}

static const char summary_usage[] =
	"usage: mamori report summary CAMPAIGN [--lang ja|en] [-o FILE.html] "
	"[--include-drafts] [--compare CAMPAIGN|none] [--db PATH]\n"
	"\n"
	"The national summary of a campaign as one self-contained HTML page: "
	"response\nrate, indicators with their denominators, tile maps by "
	"prefecture, findings\nand the distribution of every question over "
	"the organisations it applied to.\n";

static int summary(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "lang", required_argument, NULL, 'l' },
		{ "out", required_argument, NULL, 'o' },
		{ "include-drafts", no_argument, NULL, 'D' },
		{ "compare", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	/* the trend: against the previous campaign of the same instrument
	 * id (0), the one given, or none (-1) */
	int64_t compare = 0, compared;
	struct analysis_opts ao = { .by = "prefecture" };
	const char *db = NULL, *outpath = NULL;
	struct strbuf err = STRBUF_INIT, page = STRBUF_INIT;
	const struct instrument *ins = NULL;
	struct store *st = NULL;
	json_t *res = NULL;
	bool drafts = false;
	int lang = LANG_JA, c, rc;
	char today[16];
	time_t now = time(NULL);
	struct tm tm;
	int64_t id;
	enum mamori_err e;

	while ((c = getopt_long(argc, argv, "d:l:o:Dc:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			if (!strcmp(optarg, "none"))
				compare = -1;
			else if ((rc = store_cli_campaign_id(optarg, &compare)))
				return rc;
			break;
		case 'd':
			db = optarg;
			break;
		case 'l':
			if ((lang = lang_parse(optarg)) < 0)
				return cli_usage_error("--lang: ja or en");
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'D':
			drafts = true;
			break;
		case 'h':
			fputs(summary_usage, stdout);
			return EXIT_OK;
		default:
			fputs(summary_usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		fputs(summary_usage, stderr);
		return EXIT_USAGE;
	}
	if ((rc = store_cli_campaign_id(argv[optind], &id)))
		return rc;
	if ((rc = store_cli_open(db, false, &st)))
		return rc;
	localtime_r(&now, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	e = analysis_campaign_result(st, id, &ao, drafts, &ins, &res, &err);
	if (!e && compare >= 0)
		e = analysis_campaign_trend(st, id, compare, &ao, drafts, ins,
					    res, &compared, &err);
	if (!e)
		e = summary_html(ins, res, json_string_value(json_object_get(
						   res, "title")),
				 (enum lang)lang, today, &page);
	if (e) {
		rc = store_cli_fail(e, &err);
	} else if (outpath && strcmp(outpath, "-")) {
		rc = write_file(outpath, &page);
	} else if (fwrite(page.buf, 1, page.len, stdout) != page.len) {
		rc = EXIT_USAGE;
	}
	json_decref(res);
	strbuf_release(&page);
	strbuf_release(&err);
	store_free(st);
	return rc;
}

static const struct cli_cmd report_cmds[] = {
	{ .name = "feedback", .fn = feedback,
	  .summary = "the feedback report of one organisation (HTML)" },
	{ .name = "summary", .fn = summary,
	  .summary = "the national summary of a campaign (HTML)" },
	{ .name = NULL },
};

int cmd_report(int argc, char **argv)
{
	return cli_dispatch(report_cmds, "mamori report", argc - 1, argv + 1);
}
