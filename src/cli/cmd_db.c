/*
 * cmd_db.c - "mamori db": placeholder until the store layer lands.
 * PLACEHOLDER: replaced by the store work; must not remain at release.
 */
#include "cli/cli.h"

int cmd_db(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage_error("'db' is not built yet");
}
