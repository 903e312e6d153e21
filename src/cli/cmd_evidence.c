/*
 * cmd_evidence.c - "mamori evidence": placeholder until the evidence layer lands.
 * PLACEHOLDER: replaced by the evidence work; must not remain at release.
 */
#include "cli/cli.h"

int cmd_evidence(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage_error("'evidence' is not built yet");
}
