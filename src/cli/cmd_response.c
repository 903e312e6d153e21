/*
 * cmd_response.c - "mamori response check" (validation against an
 * instrument, no database), and the dispatch of the storage verbs to
 * cmd_store.c. Must never validate anything itself: the engine does.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/response_out.h"
#include "instrument/instrument.h"
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

static const struct cli_cmd verbs[] = {
	{ .name = "check", .fn = check,
	  .summary = "validate a response file against an instrument" },
	{ .name = "save", .fn = NULL, .summary = "save a draft (database)" },
	{ .name = "submit", .fn = NULL, .summary = "submit a response (database)" },
	{ .name = "show", .fn = NULL, .summary = "show a stored response" },
	{ .name = "history", .fn = NULL, .summary = "list a response's revisions" },
	{ .name = "reopen", .fn = NULL, .summary = "let a submitted response be changed again" },
	{ .name = "export", .fn = NULL, .summary = "export a campaign's responses" },
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
