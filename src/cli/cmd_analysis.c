/*
 * cmd_analysis.c - "mamori analysis": placeholder until the analysis layer lands.
 * PLACEHOLDER: replaced by the analysis work; must not remain at release.
 */
#include "cli/cli.h"

int cmd_analysis(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage_error("'analysis' is not built yet");
}
