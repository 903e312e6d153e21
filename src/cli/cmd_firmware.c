/*
 * cmd_firmware.c - "mamori firmware": placeholder until the evidence layer lands.
 * PLACEHOLDER: replaced by the evidence work; must not remain at release.
 */
#include "cli/cli.h"

int cmd_firmware(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage_error("'firmware' is not built yet");
}
