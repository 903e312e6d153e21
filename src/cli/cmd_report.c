/*
 * cmd_report.c - "mamori report feedback CAMPAIGN ORG [--lang ja|en]
 * [-o FILE.html]", "mamori report feedback CAMPAIGN --all DIR" and
 * "mamori report summary CAMPAIGN [--lang] [-o FILE.html]". Only
 * translates between people and feedback.h / summary.h; must never build
 * HTML itself.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmd_store.h"
#include "analysis/analysis_store.h"
#include "report/feedback.h"
#include "report/summary.h"
#include "util/num.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const char feedback_usage[] =
	"usage: mamori report feedback CAMPAIGN ORG [--lang ja|en] "
	"[-o FILE.html] [--db PATH]\n"
	"       mamori report feedback CAMPAIGN --all DIR [--lang ja|en] "
	"[--jobs N] [--db PATH]\n"
	"\n"
	"A self-contained HTML feedback report (A4, inline CSS and SVG) for "
	"one organisation,\nor one file per respondent (DIR/ORG.html): its "
	"answers, the findings that fire\nworst first with advice, each "
	"indicator against all respondents, its prefecture\nand its peers "
	"(same kind and size band), and what to do first.\n"
	"With --all the pages are written by N threads (default: one per "
	"processor, at\nmost 8); the files are the same whatever N is.\n";

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

/* --jobs at most; by default one per processor, at most JOBS_DEFAULT */
#define JOBS_MAX 16
#define JOBS_DEFAULT 8

/*
 * The pages of --all. Job k of n renders respondents k, k + n, k + 2n ...
 * into its own buffer and writes each to DIR/ORG.html. The set is only
 * read (feedback_set_render keeps its state per call), so the files are
 * the same whatever the number of jobs.
 */
struct page_job {
	const struct feedback_set *set;
	const bool *skip;		/* ids that are no file name */
	const char *dir, *today;
	enum lang lang;
	size_t first, step;
	atomic_bool *stop;		/* shared: a job failed */
	/* the first failure: respondent (SIZE_MAX: none), what, errno */
	size_t failed;
	const char *what;
	int errnum;
};

/* sb into path (created or truncated); 0, or errno and *what. */
static int write_page(const char *path, const struct strbuf *sb,
		      const char **what)
{
	FILE *f = fopen(path, "wb");
	int saved;

	*what = "cannot create";
	if (!f)
		return errno;
	*what = "cannot write";
	if (fwrite(sb->buf, 1, sb->len, f) != sb->len) {
		saved = errno;
		fclose(f);
		return saved ? saved : EIO;
	}
	if (fclose(f))
		return errno;
	return 0;
}

static int write_file(const char *path, const struct strbuf *sb)
{
	const char *what;
	int e = write_page(path, sb, &what);

	return e ? cli_usage_error("%s: %s: %s", path, what, strerror(e))
		 : EXIT_OK;
}

static void *page_worker(void *arg)
{
	struct page_job *j = arg;
	struct strbuf page = STRBUF_INIT, path = STRBUF_INIT;
	size_t n = feedback_set_count(j->set);

	for (size_t i = j->first; i < n && !atomic_load(j->stop);
	     i += j->step) {
		if (j->skip[i])
			continue;
		strbuf_reset(&page);
		xcheck_oom(feedback_set_render(j->set, i, j->lang, j->today,
					       &page));
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s.html", j->dir,
			    feedback_set_org(j->set, i));
		xcheck_oom(path.err);
		if ((j->errnum = write_page(path.buf, &page, &j->what))) {
			j->failed = i;
			atomic_store(j->stop, true);
			break;
		}
	}
	strbuf_release(&path);
	strbuf_release(&page);
	return NULL;
}

/* Every page of set into dir with jobs threads; EXIT_OK, or the message
 * and status of the failure met first in respondent order (the others
 * stop at their next page). */
static int write_all(const struct feedback_set *set, const char *dir,
		     enum lang lang, const char *today, unsigned jobs)
{
	size_t n = feedback_set_count(set), bad = SIZE_MAX;
	bool *skip = xcalloc(n ? n : 1, sizeof(*skip));
	bool started[JOBS_MAX] = { false };
	struct page_job job[JOBS_MAX];
	pthread_t tid[JOBS_MAX];
	atomic_bool stop = false;
	int rc = EXIT_OK;

	for (size_t i = 0; i < n; i++) {
		const char *org = feedback_set_org(set, i);
		if (!safe_name(org)) {
			fprintf(stderr, "mamori: '%s': not usable as a file "
				"name; skipped\n", org);
			skip[i] = true;
		}
	}
	if (jobs > n)
		jobs = n ? (unsigned)n : 1;
	for (unsigned k = 0; k < jobs; k++) {
		job[k] = (struct page_job){
			.set = set, .skip = skip, .dir = dir, .today = today,
			.lang = lang, .first = k, .step = jobs, .stop = &stop,
			.failed = SIZE_MAX,
		};
		/* job 0 is this thread's; one that cannot start runs here */
		started[k] = k && !pthread_create(&tid[k], NULL, page_worker,
						   &job[k]);
	}
	for (unsigned k = 0; k < jobs; k++)
		if (!started[k])
			page_worker(&job[k]);
	for (unsigned k = 0; k < jobs; k++) {
		if (started[k])
			pthread_join(tid[k], NULL);
		if (job[k].failed < n && (bad == SIZE_MAX ||
					  job[k].failed < job[bad].failed))
			bad = k;
	}
	if (bad != SIZE_MAX)
		rc = cli_usage_error("%s/%s.html: %s: %s", dir,
				     feedback_set_org(set, job[bad].failed),
				     job[bad].what, strerror(job[bad].errnum));
	free(skip);
	return rc;
}

/* One per processor online, at most JOBS_DEFAULT. */
static unsigned default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > JOBS_DEFAULT ? JOBS_DEFAULT : (unsigned)n;
}

static int feedback(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "lang", required_argument, NULL, 'l' },
		{ "out", required_argument, NULL, 'o' },
		{ "all", required_argument, NULL, 'a' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL, *outpath = NULL, *all = NULL;
	unsigned jobs = 0;
	uint64_t u;
	struct strbuf err = STRBUF_INIT, page = STRBUF_INIT;
	struct feedback_set *set = NULL;
	struct store *st = NULL;
	int lang = LANG_JA, c, rc;
	char today[16];
	time_t now = time(NULL);
	struct tm tm;
	int64_t id;
	enum mamori_err e;

	while ((c = getopt_long(argc, argv, "d:l:o:a:j:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db = optarg;
			break;
		case 'j':
			if (num_parse_u64(slice_from_cstr(optarg), &u) || !u ||
			    u > JOBS_MAX)
				return cli_usage_error("--jobs: 1 to %d",
						       JOBS_MAX);
			jobs = (unsigned)u;
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
	if (argc - optind != (all ? 1 : 2) || (all && outpath) ||
	    (jobs && !all)) {
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
	if (all) {
		rc = write_all(set, all, (enum lang)lang, today,
			       jobs ? jobs : default_jobs());
		if (rc)
			goto out;
	}
	for (size_t i = 0; !all && i < feedback_set_count(set); i++) {
		strbuf_reset(&page);
		xcheck_oom(feedback_set_render(set, i, (enum lang)lang, today,
					       &page));
		if (outpath && strcmp(outpath, "-")) {
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
