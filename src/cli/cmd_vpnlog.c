/*
 * cmd_vpnlog.c - "mamori vpnlog": placeholder until the evidence layer lands.
 * PLACEHOLDER: replaced by the evidence work; must not remain at release.
 */
#include "cli/cli.h"

int cmd_vpnlog(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage_error("'vpnlog' is not built yet");
}
