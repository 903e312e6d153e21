/*
 * cmd_db.c - "mamori db backup|check": an online copy of the database
 * and its integrity check. Must never write to the database it checks.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/cmd_store.h"
#include "util/banned.h"

static int parse(int argc, char **argv, const char **db, const char *usage)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			*db = optarg;
			break;
		case 'h':
			printf("usage: mamori db %s\n", usage);
			return -1;
		default:
			return EXIT_USAGE;
		}
	}
	return EXIT_OK;
}

static int backup(int argc, char **argv)
{
	const char *db = NULL;
	struct strbuf err = STRBUF_INIT;
	struct store_actor who;
	char whobuf[128];
	struct store *st;
	enum mamori_err e;
	int rc = parse(argc, argv, &db, "backup FILE [--db PATH]");

	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if (argc - optind != 1)
		return cli_usage_error("usage: mamori db backup FILE");
	if ((rc = store_cli_open(db, false, &st)))
		return rc;
	store_cli_actor(&who, whobuf, sizeof(whobuf));
	e = store_backup(st, &who, argv[optind], &err);
	if (e)
		rc = store_cli_fail(e, &err);
	else
		printf("backed up %s to %s\n", store_cli_path(db), argv[optind]);
	strbuf_release(&err);
	store_free(st);
	return rc;
}

static int check(int argc, char **argv)
{
	const char *db = NULL;
	struct strbuf report = STRBUF_INIT;
	struct store *st;
	enum mamori_err e;
	int rc = parse(argc, argv, &db, "check [--db PATH]");

	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if (argc != optind)
		return cli_usage_error("usage: mamori db check [--db PATH]");
	if ((rc = store_cli_open(db, false, &st)))
		return rc;
	e = store_check(st, &report);
	if (e == MAMORI_OK) {
		printf("%s: %s\n", store_cli_path(db), report.buf);
	} else {
		fprintf(stderr, "%s: integrity check failed\n",
			store_cli_path(db));
		rc = store_cli_fail(e, &report);
		rc = EXIT_FINDINGS;
	}
	strbuf_release(&report);
	store_free(st);
	return rc;
}

static const struct cli_cmd verbs[] = {
	{ .name = "backup", .fn = backup,
	  .summary = "copy the database while it is in use" },
	{ .name = "check", .fn = check,
	  .summary = "check the database's integrity" },
	{ .name = NULL },
};

int cmd_db(int argc, char **argv)
{
	return cli_dispatch(verbs, "mamori db", argc - 1, argv + 1);
}
