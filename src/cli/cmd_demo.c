/*
 * cmd_demo.c - "mamori demo generate [--db PATH] [--hospitals N]
 * [--respondents N] [--seed N] [--instrument FILE]". Only translates
 * between people and demo.h; must never generate anything itself.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/demo.h"
#include "analysis/demo_other.h"
#include "cli/cli.h"
#include "cli/cmd_store.h"
#include "util/num.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define INSTRUMENT_FILE_MAX (16u << 20)

static const char usage[] =
	"usage: mamori demo generate [--db PATH] [--hospitals 8252] "
	"[--respondents 6216] [--seed N] [--instrument FILE] [--no-others]\n"
	"\n"
	"A synthetic national registry of hospitals (47 prefectures, beds, "
	"founders) and a\nclosed 2022 campaign of the bundled MHLW survey "
	"whose submitted responses\nreproduce the published national figures "
	"(docs/analysis.md), and a closed 2023\ncampaign of its 2023 round "
	"reproducing the published 2023 figures.\n"
	"With them, the 498 regional financial institutions, a closed 2022 "
	"round of the\nFSA self-assessment reproducing its published "
	"figures, and small campaigns of\nthe other bundled instruments "
	"(docs/instruments.md); --no-others leaves them out.\n";

static int parse_size(const char *opt, const char *s, size_t *out)
{
	int64_t v;
	if (num_parse_range(slice_from_cstr(s), 1, 1000000, &v))
		return cli_usage_error("%s: a number from 1 to 1000000, not "
				       "'%s'", opt, s);
	*out = (size_t)v;
	return EXIT_OK;
}

static int generate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "hospitals", required_argument, NULL, 'H' },
		{ "respondents", required_argument, NULL, 'r' },
		{ "seed", required_argument, NULL, 's' },
		{ "instrument", required_argument, NULL, 'i' },
		{ "no-others", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct demo_opts o = { .hospitals = 8252, .respondents = 6216,
			       .seed = 2022 };
	struct strbuf err = STRBUF_INIT;
	struct demo_stats stats;
	struct store_actor who;
	const char *db = NULL, *file = NULL, *file23 = NULL;
	struct store *st = NULL;
	char whobuf[128], *buf = NULL, *buf23 = NULL;
	uint64_t seed;
	enum mamori_err e;
	bool others = true;
	int c, rc;

	while ((c = getopt_long(argc, argv, "d:H:r:s:i:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db = optarg;
			break;
		case 'H':
			if ((rc = parse_size("--hospitals", optarg,
					     &o.hospitals)))
				return rc;
			break;
		case 'r':
			if ((rc = parse_size("--respondents", optarg,
					     &o.respondents)))
				return rc;
			break;
		case 's':
			if (num_parse_u64(slice_from_cstr(optarg), &seed) ||
			    !seed)
				return cli_usage_error("--seed: a positive "
						       "number, not '%s'",
						       optarg);
			o.seed = seed;
			break;
		case 'i':
			file = optarg;
			break;
		case 'n':
			others = false;
			break;
		case 'h':
			fputs(usage, stdout);
			return EXIT_OK;
		default:
			fputs(usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	if (o.respondents > o.hospitals)
		return cli_usage_error("--respondents (%zu) is more than "
				       "--hospitals (%zu)", o.respondents,
				       o.hospitals);
	for (size_t i = 0; !file && demo_instrument_paths[i]; i++)
		if (!access(demo_instrument_paths[i], R_OK))
			file = demo_instrument_paths[i];
	if (!file)
		return cli_usage_error("the bundled 2022 survey was not found; "
				       "give it with --instrument FILE");
	if (!(buf = cli_read_file(file, &o.instrument_len,
				  INSTRUMENT_FILE_MAX)))
		return cli_usage_error("%s: cannot read: %s", file,
				       strerror(errno));
	o.instrument = buf;
	o.instrument_name = file;
	for (size_t i = 0; !file23 && demo_instrument_2023_paths[i]; i++)
		if (!access(demo_instrument_2023_paths[i], R_OK))
			file23 = demo_instrument_2023_paths[i];
	if (!file23 || !(buf23 = cli_read_file(file23,
						&o.instrument_2023_len,
						INSTRUMENT_FILE_MAX))) {
		free(buf);
		return cli_usage_error("the bundled 2023 survey "
				       "(hospital-backup-vpn-2023.yaml) "
				       "cannot be read");
	}
	o.instrument_2023 = buf23;
	o.instrument_2023_name = file23;
	if ((rc = store_cli_open(db, true, &st))) {
		free(buf);
		free(buf23);
		return rc;
	}
	store_cli_actor(&who, whobuf, sizeof(whobuf));
	e = demo_generate(st, &who, &o, &stats, &err);
	if (!e && others) {
		struct demo_other_opts oo = { .seed = o.seed };
		struct demo_other_stats os;
		e = demo_other_generate(st, &who, &oo, &os, &err);
	}
	if (e) {
		rc = store_cli_fail(e, &err);
	} else {
		printf("%zu hospitals, %zu invited, %zu submitted, %zu drafts; "
		       "campaign %lld (closed)\n",
		       stats.hospitals, stats.invited, stats.respondents,
		       stats.drafts, (long long)stats.campaign);
		printf("2023: %zu invited, %zu submitted, %zu drafts; "
		       "campaign %lld (closed)\n",
		       stats.invited_2023, stats.respondents_2023,
		       stats.drafts_2023, (long long)stats.campaign_2023);
		rc = EXIT_OK;
	}
	strbuf_release(&err);
	store_free(st);
	free(buf);
	free(buf23);
	return rc;
}

static const struct cli_cmd demo_cmds[] = {
	{ .name = "generate", .fn = generate,
	  .summary = "a synthetic registry, closed 2022 and 2023 campaigns" },
	{ .name = NULL },
};

int cmd_demo(int argc, char **argv)
{
	return cli_dispatch(demo_cmds, "mamori demo", argc - 1, argv + 1);
}
