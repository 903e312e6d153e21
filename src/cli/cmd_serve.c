/*
 * cmd_serve.c - "mamori serve": placeholder until the web layer lands.
 * PLACEHOLDER: replaced by the web work; must not remain at release.
 */
#include "cli/cli.h"

int cmd_serve(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage_error("'serve' is not built yet");
}
