/*
 * cmd_init.c - "mamori init": placeholder until the store layer lands.
 * PLACEHOLDER: replaced by the store work; must not remain at release.
 */
#include "cli/cli.h"

int cmd_init(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage_error("'init' is not built yet");
}
