/* cmd_fill.c - being written. */
#include "cli/cli.h"

int cmd_fill(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage_error("'fill' is not built yet");
}
