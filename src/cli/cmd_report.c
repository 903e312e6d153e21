/*
 * cmd_report.c - "mamori report": placeholder until the report layer lands.
 * PLACEHOLDER: replaced by the report work; must not remain at release.
 */
#include "cli/cli.h"

int cmd_report(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage_error("'report' is not built yet");
}
