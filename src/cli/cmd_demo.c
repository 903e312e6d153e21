/*
 * cmd_demo.c - "mamori demo": placeholder until the analysis layer lands.
 * PLACEHOLDER: replaced by the analysis work; must not remain at release.
 */
#include "cli/cli.h"

int cmd_demo(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage_error("'demo' is not built yet");
}
