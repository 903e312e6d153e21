/*
 * cmd_campaign.c - "mamori campaign": placeholder until the store layer lands.
 * PLACEHOLDER: replaced by the store work; must not remain at release.
 */
#include "cli/cli.h"

int cmd_campaign(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage_error("'campaign' is not built yet");
}
