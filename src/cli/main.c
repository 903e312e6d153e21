/*
 * main.c - "mamori <noun> <verb>": the top-level dispatch table. Must
 * never hold logic of its own beyond dispatch.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "util/banned.h"

#ifndef MAMORI_VERSION
#define MAMORI_VERSION "unknown"
#endif

static const struct cli_cmd nouns[] = {
	{ .name = "instrument", .fn = cmd_instrument,
	  .summary = "check and show instruments (questionnaires)" },
	{ .name = "response", .fn = cmd_response,
	  .summary = "check, save, submit and export responses" },
	{ .name = "fill", .fn = cmd_fill,
	  .summary = "answer an instrument in the terminal" },
	{ .name = "vpnlog", .fn = cmd_vpnlog,
	  .summary = "audit VPN-gateway access logs" },
	{ .name = "firmware", .fn = cmd_firmware,
	  .summary = "check appliance firmware against known-exploited vulnerabilities" },
	{ .name = "evidence", .fn = cmd_evidence,
	  .summary = "propose survey answers from log and firmware evidence" },
	{ .name = "iot", .fn = cmd_iot,
	  .summary = "IoT-SSF risk assessment of an IoT system model" },
	{ .name = "init", .fn = cmd_init,
	  .summary = "create or upgrade the database" },
	{ .name = "org", .fn = cmd_org,
	  .summary = "import and list organisations" },
	{ .name = "campaign", .fn = cmd_campaign,
	  .summary = "create, invite, open, close and watch campaigns" },
	{ .name = "db", .fn = cmd_db,
	  .summary = "back up and check the database" },
	{ .name = "audit", .fn = cmd_audit,
	  .summary = "show the audit log" },
	{ .name = "analysis", .fn = cmd_analysis,
	  .summary = "national tables of a campaign" },
	{ .name = "report", .fn = cmd_report,
	  .summary = "feedback and summary reports" },
	{ .name = "export", .fn = cmd_export,
	  .summary = "export a campaign (xlsx, csv, json)" },
	{ .name = "demo", .fn = cmd_demo,
	  .summary = "generate demonstration data" },
	{ .name = "serve", .fn = cmd_serve,
	  .summary = "run the web server" },
	{ .name = "user", .fn = cmd_user,
	  .summary = "manage regulator and admin accounts" },
	{ .name = NULL },
};

int main(int argc, char **argv)
{
	if (argc >= 2 && (!strcmp(argv[1], "--version") ||
			  !strcmp(argv[1], "version"))) {
		printf("mamori %s\n", MAMORI_VERSION);
		return EXIT_OK;
	}
	return cli_dispatch(nouns, "mamori", argc - 1, argv + 1);
}
