/*
 * cmd_user.c - "mamori user": placeholder until the web layer lands.
 * PLACEHOLDER: replaced by the web work; must not remain at release.
 */
#include "cli/cli.h"

int cmd_user(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage_error("'user' is not built yet");
}
