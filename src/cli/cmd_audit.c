/*
 * cmd_audit.c - "mamori audit": the audit log (who did what, when, from
 * where), oldest first. Read only.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_store.h"
#include "util/banned.h"

static int line(void *ud, const struct store_audit_event *e)
{
	char t[40];
	bool json = *(bool *)ud;

	store_time_format(e->at, t, sizeof(t));
	if (json) {
		json_t *d = json_loads(e->detail, 0, NULL);
		json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:o}", "id",
				      (json_int_t)e->id, "at", t, "who", e->who,
				      "from", e->from, "action", e->action,
				      "object", e->object, "detail",
				      d ? d : json_object());
		json_dumpf(o, stdout, JSON_COMPACT);
		putchar('\n');
		json_decref(o);
		return 0;
	}
	printf("%s\t%s\t%s\t%s\t%s\t%s\n", t, e->who, e->from, e->action,
	       e->object, e->detail);
	return 0;
}

int cmd_audit(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "since", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL;
	struct strbuf err = STRBUF_INIT;
	struct store *st;
	enum mamori_err e;
	int64_t since = 0;
	bool json = false;
	int c, rc;

	while ((c = getopt_long(argc, argv, "d:s:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db = optarg;
			break;
		case 's':
			if (store_time_parse(optarg, false, &since))
				return cli_usage_error("--since: not a time: "
						       "'%s' (YYYY-MM-DD[THH:MM])",
						       optarg);
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			puts("usage: mamori audit [--since TIME] [--json] "
			     "[--db PATH]");
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return cli_usage_error("usage: mamori audit [--since TIME] "
				       "[--json]");
	if ((rc = store_cli_open(db, false, &st)))
		return rc;
	e = store_audit_list(st, since, line, &json, &err);
	if (e)
		rc = store_cli_fail(e, &err);
	strbuf_release(&err);
	store_free(st);
	return rc;
}
