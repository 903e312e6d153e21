/*
 * cmd_org.c - "mamori org": placeholder until the store layer lands.
 * PLACEHOLDER: replaced by the store work; must not remain at release.
 */
#include "cli/cli.h"

int cmd_org(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage_error("'org' is not built yet");
}
