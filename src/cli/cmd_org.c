/*
 * cmd_org.c - "mamori org import|list": the organisations a ministry
 * supervises. Only translates between people and store.h.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_store.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define ORG_FILE_MAX (256u << 20)

static int import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "encoding", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char usage[] =
		"usage: mamori org import FILE.csv [--encoding auto|utf-8|cp932]"
		" [--db PATH]";
	const char *db = NULL, *path;
	enum store_encoding enc = STORE_ENC_AUTO;
	struct store_import_stats stats;
	struct strbuf err = STRBUF_INIT;
	struct store_actor who;
	char whobuf[128];
	struct store *st;
	enum mamori_err e;
	char *text;
	size_t len;
	int c, rc;

	while ((c = getopt_long(argc, argv, "d:e:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db = optarg;
			break;
		case 'e':
			if (store_encoding_parse(optarg) < 0)
				return cli_usage_error("--encoding is auto, utf-8 "
						       "or cp932, not '%s'",
						       optarg);
			enc = (enum store_encoding)store_encoding_parse(optarg);
			break;
		case 'h':
			puts(usage);
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("%s", usage);
	path = argv[optind];
	text = cli_read_file(path, &len, ORG_FILE_MAX);
	if (!text)
		return cli_usage_error("%s: %s", path, strerror(errno));
	if ((rc = store_cli_open(db, false, &st))) {
		free(text);
		return rc;
	}
	store_cli_actor(&who, whobuf, sizeof(whobuf));
	e = store_org_import_csv(st, &who, text, len, enc, &stats, &err);
	free(text);
	if (e) {
		struct slice rest = strbuf_slice(&err), l;
		size_t n = 0;
		xcheck_oom(e);
		while (rest.p && rest.len) {
			rest = slice_cut(rest, '\n', &l);
			fprintf(stderr, "%s: %.*s\n", path, (int)l.len, l.p);
			n++;
		}
		if (e == MAMORI_EINVALID)
			fprintf(stderr, "mamori: %s: nothing imported (%zu "
					"problem%s)\n", path, n,
				n == 1 ? "" : "s");
		else if (!n)
			fprintf(stderr, "mamori: %s: %s\n", path,
				mamori_strerror(e));
		rc = e == MAMORI_EINVALID ? EXIT_FINDINGS : EXIT_USAGE;
	} else {
		printf("%s: %zu organisations (%s): %zu created, %zu updated, "
		       "%zu unchanged\n", path, stats.rows,
		       stats.encoding == STORE_ENC_CP932 ? "cp932" : "utf-8",
		       stats.created, stats.updated, stats.unchanged);
	}
	strbuf_release(&err);
	store_free(st);
	return rc;
}

struct list_ctx {
	bool json;
	json_t *arr;
};

static int list_one(void *ud, const struct store_org *o)
{
	struct list_ctx *lc = ud;
	const struct prefecture *p = prefecture_find(slice_from_cstr(
		o->pref_code));

	if (lc->json) {
		json_t *attrs = json_loads(o->attrs, 0, NULL);
		json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:o}", "id", o->id,
				      "name", o->name, "kind", o->kind,
				      "prefecture", o->pref_code,
				      "prefecture_name", p ? p->ja : "",
				      "attributes",
				      attrs ? attrs : json_object());
		json_array_append_new(lc->arr, j);
		return 0;
	}
	printf("%s\t%s\t%s %s\t%s\t%s\n", o->id, o->kind, o->pref_code,
	       p ? p->ja : "?", o->name, o->attrs);
	return 0;
}

static int list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "kind", required_argument, NULL, 'k' },
		{ "prefecture", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char usage[] =
		"usage: mamori org list [--kind KIND] [--prefecture PREF] "
		"[--json] [--db PATH]";
	struct store_org_filter f = { NULL, NULL };
	struct list_ctx lc = { false, NULL };
	struct strbuf err = STRBUF_INIT;
	const char *db = NULL;
	struct store *st;
	enum mamori_err e;
	int c, rc;

	while ((c = getopt_long(argc, argv, "d:k:p:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db = optarg;
			break;
		case 'k':
			f.kind = optarg;
			break;
		case 'p': {
			const struct prefecture *p =
				prefecture_find(slice_from_cstr(optarg));
			if (!p)
				return cli_usage_error("--prefecture: unknown "
						       "prefecture '%s'", optarg);
			f.pref_code = p->code;
			break;
		}
		case 'j':
			lc.json = true;
			break;
		case 'h':
			puts(usage);
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return cli_usage_error("%s", usage);
	if ((rc = store_cli_open(db, false, &st)))
		return rc;
	if (lc.json) {
		lc.arr = json_array();
		xcheck_oom(lc.arr ? MAMORI_OK : MAMORI_ENOMEM);
	}
	e = store_org_list(st, &f, list_one, &lc, &err);
	if (e) {
		rc = store_cli_fail(e, &err);
	} else if (lc.json) {
		json_dumpf(lc.arr, stdout, JSON_INDENT(2));
		putchar('\n');
	}
	json_decref(lc.arr);
	strbuf_release(&err);
	store_free(st);
	return rc;
}

static const struct cli_cmd verbs[] = {
	{ .name = "import", .fn = import,
	  .summary = "import organisations from CSV (UTF-8 or CP932)" },
	{ .name = "list", .fn = list, .summary = "list organisations" },
	{ .name = NULL },
};

int cmd_org(int argc, char **argv)
{
	return cli_dispatch(verbs, "mamori org", argc - 1, argv + 1);
}
