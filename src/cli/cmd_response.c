/*
 * cmd_response.c - "mamori response check" (validation against an
 * instrument, no database), "mamori response report|reports" (numbered
 * reports and additional forms in the database), and the dispatch of the
 * other storage verbs to cmd_store.c. Must never validate anything
 * itself: the engine does.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_store.h"
#include "cli/response_out.h"
#include "instrument/instrument.h"
#include "util/num.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define MAX_RESPONSE_BYTES (8u << 20)

static int usage_check(FILE *f)
{
	fprintf(f,
		"usage: mamori response check INSTRUMENT RESPONSE.json [options]\n\n"
		"Validates a response (a JSON object: item id -> answer) against an\n"
		"instrument and prints every problem, the findings that fire and the\n"
		"indicators. RESPONSE may be '-' for standard input.\n\n"
		"  --lang ja|en       language of the messages (default ja)\n"
		"  --json             machine output (see docs/cli.md)\n"
		"  --today YYYY-MM-DD the date today() gives (default: the system's)\n"
		"  --org JSON         organisation attributes, e.g. '{\"kind\":\"hospital\"}'\n"
		"  --campaign JSON    campaign attributes for ${campaign.NAME}\n\n"
		"Exit status: 0 valid, 1 invalid, 2 unreadable input or bad usage.\n");
	return f == stdout ? EXIT_OK : EXIT_USAGE;
}

static int parse_object_opt(const char *what, const char *arg, json_t **out)
{
	json_error_t jerr;
	json_t *j = json_loads(arg, 0, &jerr);

	if (!json_is_object(j)) {
		json_decref(j);
		return cli_usage_error("%s must be a JSON object: %s", what,
				       jerr.text[0] ? jerr.text : "not an object");
	}
	json_decref(*out);
	*out = j;
	return EXIT_OK;
}

static int check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lang", required_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'j' },
		{ "today", required_argument, NULL, 't' },
		{ "org", required_argument, NULL, 'o' },
		{ "campaign", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vopts vo = { .lang = LANG_JA, .normalise = true };
	json_t *org = NULL, *camp = NULL, *resp = NULL;
	struct instrument *ins = NULL;
	struct validator *v = NULL;
	const struct vresult *res;
	struct strbuf err = STRBUF_INIT;
	int c, as_json = 0, rc = EXIT_USAGE, l;
	char *text = NULL;
	size_t len;
	json_error_t jerr;

	while ((c = getopt_long(argc, argv, "l:jt:o:c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if ((l = lang_parse(optarg)) < 0) {
				rc = cli_usage_error("--lang must be ja or en");
				goto out;
			}
			vo.lang = (enum lang)l;
			break;
		case 'j':
			as_json = 1;
			break;
		case 't':
			vo.today = optarg;
			break;
		case 'o':
			if (parse_object_opt("--org", optarg, &org))
				goto out;
			break;
		case 'c':
			if (parse_object_opt("--campaign", optarg, &camp))
				goto out;
			break;
		case 'h':
			rc = usage_check(stdout);
			goto out;
		default:
			goto out;
		}
	}
	if (optind + 2 != argc) {
		rc = usage_check(stderr);
		goto out;
	}
	vo.org = org;
	vo.campaign = camp;
	if (instrument_load_file(argv[optind], &ins, &err)) {
		fputs(err.buf, stderr);
		fprintf(stderr, "mamori: %s: not a valid instrument\n",
			argv[optind]);
		goto out;
	}
	text = cli_read_file(argv[optind + 1], &len, MAX_RESPONSE_BYTES);
	if (!text) {
		fprintf(stderr, "mamori: %s: cannot read (missing, unreadable or larger than 8 MiB)\n",
			argv[optind + 1]);
		goto out;
	}
	resp = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!resp) {
		fprintf(stderr, "%s:%d:%d: not valid JSON: %s\n",
			argv[optind + 1], jerr.line, jerr.column, jerr.text);
		goto out;
	}
	if (!json_is_object(resp)) {
		fprintf(stderr, "%s: a response must be a JSON object (item id: answer)\n",
			argv[optind + 1]);
		goto out;
	}
	v = validator_new(ins);
	if (!v || instrument_validate(v, resp, &vo, &res)) {
		fputs("mamori: out of memory\n", stderr);
		exit(EXIT_USAGE);
	}
	if (as_json) {
		json_t *o = response_result_json(ins, res);
		char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		if (!s)
			xcheck_oom(MAMORI_ENOMEM);
		puts(s);
		free(s);
		json_decref(o);
	} else {
		response_result_print(stdout, ins, res, vo.lang);
	}
	rc = res->valid ? EXIT_OK : EXIT_FINDINGS;
	json_decref(res->normalised);
out:
	validator_free(v);
	instrument_free(ins);
	json_decref(resp);
	json_decref(org);
	json_decref(camp);
	free(text);
	strbuf_release(&err);
	return rc;
}

/* ---- numbered responses: reports and additional forms ------------ */

static const char report_usage[] =
	"usage: mamori response report CAMPAIGN ORG FILE.json [--number N] "
	"[--draft] [--base REVISION] [--db PATH]\n"
	"       mamori response report CAMPAIGN ORG --number N --reopen "
	"[--db PATH]\n"
	"\n"
	"A report of a repeatable campaign, or an additional form (e.g. a "
	"vendor form)\nof a campaign with a form instrument. Without "
	"--number, a new one is made and\nits number printed; with it, "
	"that one gets a new revision. --draft saves\nwithout submitting; "
	"--reopen lets a submitted one be changed again.\n";

/* "report" in a repeatable campaign, "form" elsewhere. */
static const char *form_word(struct store *st, int64_t campaign)
{
	struct store_campaign c;
	bool rep = false;

	if (!store_campaign_get(st, campaign, &c, NULL)) {
		rep = c.repeatable;
		store_campaign_release(&c);
	}
	return rep ? "report" : "form";
}

static int report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "number", required_argument, NULL, 'n' },
		{ "draft", no_argument, NULL, 'D' },
		{ "reopen", no_argument, NULL, 'r' },
		{ "base", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL;
	int64_t base = STORE_REV_ANY, number = STORE_FORM_NEW, campaign,
		rev = 0;
	bool draft = false, reopen = false;
	struct strbuf err = STRBUF_INIT;
	struct store_actor who;
	char whobuf[128], *text = NULL;
	struct store *st;
	enum mamori_err e;
	size_t len = 0;
	int c, rc;

	while ((c = getopt_long(argc, argv, "d:n:Drb:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db = optarg;
			break;
		case 'n':
			if (num_parse_range(slice_from_cstr(optarg), 1,
					    INT64_MAX, &number))
				return cli_usage_error("--number: a number "
						       "from 1, not '%s'",
						       optarg);
			break;
		case 'D':
			draft = true;
			break;
		case 'r':
			reopen = true;
			break;
		case 'b':
			if (num_parse_range(slice_from_cstr(optarg), 0,
					    INT64_MAX, &base))
				return cli_usage_error("--base: not a revision "
						       "number: '%s'", optarg);
			break;
		case 'h':
			fputs(report_usage, stdout);
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (argc - optind != (reopen ? 2 : 3) ||
	    (reopen && (draft || number == STORE_FORM_NEW))) {
		fputs(report_usage, stderr);
		return EXIT_USAGE;
	}
	if ((rc = store_cli_campaign_id(argv[optind], &campaign)))
		return rc;
	if (!reopen &&
	    !(text = cli_read_file(argv[optind + 2], &len,
				   MAX_RESPONSE_BYTES)))
		return cli_usage_error("%s: %s", argv[optind + 2],
				       strerror(errno));
	if ((rc = store_cli_open(db, false, &st))) {
		free(text);
		return rc;
	}
	store_cli_actor(&who, whobuf, sizeof(whobuf));
	if (reopen)
		e = store_response_reopen_form(st, &who, campaign,
					       argv[optind + 1], number, &rev,
					       &err);
	else
		e = store_response_put_form(st, &who, campaign,
					    argv[optind + 1], &number, !draft,
					    text, len, base, &rev, &err);
	free(text);
	if (e) {
		rc = store_cli_fail(e, &err);
	} else {
		printf("%s: campaign %lld, %s, %s %lld, revision %lld\n",
		       reopen ? "reopened" : draft ? "saved" : "submitted",
		       (long long)campaign, argv[optind + 1],
		       form_word(st, campaign), (long long)number,
		       (long long)rev);
		rc = EXIT_OK;
	}
	strbuf_release(&err);
	store_free(st);
	return rc;
}

struct listing {
	json_t *arr;	/* --json; NULL: lines */
};

static int report_line(void *ud, int64_t number,
		       const struct store_response *r)
{
	struct listing *l = ud;
	char t[40];

	store_time_format(r->updated_at, t, sizeof(t));
	if (l->arr) {
		json_array_append_new(l->arr, json_pack(
			"{s:I,s:s,s:I,s:I,s:s}", "number", (json_int_t)number,
			"status", response_status_name(r->status), "revision",
			(json_int_t)r->revision, "submitted_revision",
			(json_int_t)r->submitted_revision, "updated_at", t));
		return 0;
	}
	printf("%lld\t%s\trevision %lld\t%s\n", (long long)number,
	       response_status_name(r->status), (long long)r->revision, t);
	return 0;
}

static int reports(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char usage[] =
		"usage: mamori response reports CAMPAIGN ORG [--json] "
		"[--db PATH]\n"
		"\n"
		"Every response of the organisation in the campaign by number "
		"(0: its main\nresponse; 1, 2, ...: its reports or additional "
		"forms), with status, newest\nrevision and when it changed.\n";
	struct strbuf err = STRBUF_INIT;
	struct listing l = { NULL };
	const char *db = NULL;
	bool json = false;
	struct store *st;
	enum mamori_err e;
	int64_t campaign;
	int c, rc;

	while ((c = getopt_long(argc, argv, "d:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 2) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	if ((rc = store_cli_campaign_id(argv[optind], &campaign)))
		return rc;
	if ((rc = store_cli_open(db, false, &st)))
		return rc;
	if (json)
		l.arr = json_array();
	e = store_response_forms(st, campaign, argv[optind + 1], report_line,
				 &l, &err);
	if (e) {
		rc = store_cli_fail(e, &err);
	} else {
		if (l.arr) {
			json_dumpf(l.arr, stdout, JSON_INDENT(2));
			putchar('\n');
		}
		rc = EXIT_OK;
	}
	json_decref(l.arr);
	strbuf_release(&err);
	store_free(st);
	return rc;
}

static const struct cli_cmd verbs[] = {
	{ .name = "check", .fn = check,
	  .summary = "validate a response file against an instrument" },
	{ .name = "save", .fn = NULL, .summary = "save a draft (database)" },
	{ .name = "submit", .fn = NULL, .summary = "submit a response (database)" },
	{ .name = "show", .fn = NULL, .summary = "show a stored response" },
	{ .name = "history", .fn = NULL, .summary = "list a response's revisions" },
	{ .name = "reopen", .fn = NULL, .summary = "let a submitted response be changed again" },
	{ .name = "export", .fn = NULL, .summary = "export a campaign's responses" },
	{ .name = "report", .fn = report,
	  .summary = "submit a new report or additional form (database)" },
	{ .name = "reports", .fn = reports,
	  .summary = "list an organisation's reports and forms" },
	{ .name = NULL },
};

static int fallback(int argc, char **argv)
{
	int rc = cmd_response_store(argc, argv);
	if (rc >= 0)
		return rc;
	fprintf(stderr, "mamori response: unknown command '%s'\n", argv[0]);
	cli_print_table(stderr, verbs, "mamori response");
	return EXIT_USAGE;
}

int cmd_response(int argc, char **argv)
{
	if (argc >= 2) {
		for (const struct cli_cmd *c = verbs; c->name; c++)
			if (!strcmp(c->name, argv[1]) && c->fn)
				return cli_dispatch(verbs, "mamori response",
						    argc - 1, argv + 1);
		if (argv[1][0] != '-' && strcmp(argv[1], "help")) {
			optind = 0;
			return fallback(argc - 1, argv + 1);
		}
	}
	cli_print_table(argc >= 2 ? stdout : stderr, verbs, "mamori response");
	return argc >= 2 ? EXIT_OK : EXIT_USAGE;
}
