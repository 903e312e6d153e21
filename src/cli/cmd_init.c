/*
 * cmd_init.c - "mamori init": create the database, or bring an older one
 * up to this mamori's schema. Must never touch a newer database.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/cmd_store.h"
#include "util/banned.h"

int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL;
	struct store *st;
	int c, rc;

	while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db = optarg;
			break;
		case 'h':
			printf("usage: mamori init [--db PATH]\n"
			       "Creates the database (default %s, or $MAMORI_DB)"
			       " or upgrades it to schema version %d.\n",
			       STORE_CLI_DEFAULT_DB, STORE_SCHEMA_VERSION);
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return cli_usage_error("usage: mamori init [--db PATH]");
	if ((rc = store_cli_open(db, true, &st)))
		return rc;
	printf("%s: schema version %d\n", store_cli_path(db),
	       store_schema_version(st));
	store_free(st);
	return EXIT_OK;
}
