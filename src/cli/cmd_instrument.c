/* cmd_instrument.c - being written. */
#include "cli/cli.h"

int cmd_instrument(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage_error("'instrument' is not built yet");
}
