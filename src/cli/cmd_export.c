/*
 * cmd_export.c - "mamori export": placeholder until the analysis layer lands.
 * PLACEHOLDER: replaced by the analysis work; must not remain at release.
 */
#include "cli/cli.h"

int cmd_export(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage_error("'export' is not built yet");
}
