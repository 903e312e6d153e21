/* cmd_response.c - being written. */
#include "cli/cli.h"

int cmd_response(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage_error("'response' is not built yet");
}
