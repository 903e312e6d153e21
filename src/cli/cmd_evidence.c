/*
 * cmd_evidence.c - "mamori evidence propose": survey answers from an
 * audit and/or a firmware check. Attaching evidence to a stored response
 * belongs to the store and is not here.
 */
#include "cli/cli.h"

#include <getopt.h>
#include <stdbool.h>
#include <string.h>

#include <jansson.h>

#include "evidence/propose.h"
#include "util/banned.h"

static const char propose_usage[] =
"usage: mamori evidence propose [--lang ja|en] [--json] AUDIT.json [FIRMWARE.json]\n"
"  AUDIT.json is 'mamori vpnlog audit --json' output, FIRMWARE.json\n"
"  'mamori firmware check --json' output (either may come alone; each\n"
"  file is recognised by its content). Proposes answers to q12_vpn_updated,\n"
"  q13_vpn_restricted and q14_vpn_log_review with a reason for each.\n";

static int evidence_propose_cmd(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lang", required_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *lang = "ja";
	bool json = false;
	json_t *audit = NULL, *fw = NULL;
	int c, rc = EXIT_USAGE;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'l': lang = optarg; break;
		case 'j': json = true; break;
		case 'h': fputs(propose_usage, stdout); return EXIT_OK;
		default: fputs(propose_usage, stderr); return EXIT_USAGE;
		}
	}
	if (strcmp(lang, "ja") && strcmp(lang, "en"))
		return cli_usage_error("--lang is ja or en, not '%s'", lang);
	if (optind >= argc || argc - optind > 2) {
		fputs(propose_usage, stderr);
		return EXIT_USAGE;
	}
	for (int i = optind; i < argc; i++) {
		json_error_t je;
		json_t *j = json_load_file(argv[i], 0, &je);
		if (!j) {
			cli_usage_error("%s:%d:%d: %s", argv[i], je.line,
					je.column, je.text);
			goto out;
		}
		if (json_is_array(json_object_get(j, "findings")) &&
		    json_object_get(j, "events") && !audit) {
			audit = j;
		} else if (json_is_array(json_object_get(j, "devices")) &&
			   !json_object_get(j, "findings") && !fw) {
			fw = j;
		} else {
			json_decref(j);
			cli_usage_error("%s: neither an audit's nor a firmware check's --json (or given twice)",
					argv[i]);
			goto out;
		}
	}
	json_t *res = evidence_propose(audit, fw);
	if (json) {
		json_dumpf(res, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
	} else {
		json_t *a;
		size_t i;
		json_array_foreach(json_object_get(res, "answers"), i, a)
			printf("%s: %s\n", json_string_value(json_object_get(a, "item")),
			       json_string_value(json_object_get(a, lang)));
	}
	json_decref(res);
	rc = fflush(stdout) ? EXIT_USAGE : EXIT_OK;
out:
	json_decref(audit);
	json_decref(fw);
	return rc;
}

static const struct cli_cmd evidence_cmds[] = {
	{ .name = "propose", .fn = evidence_propose_cmd,
	  .summary = "propose answers to survey q12-q14 from audit and firmware results" },
	{ .name = NULL },
};

int cmd_evidence(int argc, char **argv)
{
	return cli_dispatch(evidence_cmds, "mamori evidence", argc - 1, argv + 1);
}
