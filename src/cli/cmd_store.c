/*
 * cmd_store.c - the storage verbs of "mamori response".
 * PLACEHOLDER: replaced by the store work; must not remain at release.
 */
#include "cli/cli.h"

int cmd_response_store(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return -1;
}
