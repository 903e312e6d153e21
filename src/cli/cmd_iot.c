/*
 * cmd_iot.c - "mamori iot": placeholder until the iotssf layer lands.
 * PLACEHOLDER: replaced by the iotssf work; must not remain at release.
 */
#include "cli/cli.h"

int cmd_iot(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage_error("'iot' is not built yet");
}
