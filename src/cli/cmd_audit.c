/*
 * cmd_audit.c - "mamori audit": placeholder until the store layer lands.
 * PLACEHOLDER: replaced by the store work; must not remain at release.
 */
#include "cli/cli.h"

int cmd_audit(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage_error("'audit' is not built yet");
}
