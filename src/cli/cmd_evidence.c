/*
 * cmd_evidence.c - "mamori evidence": propose survey answers from an
 * audit and/or a firmware check; attach such a result to an
 * organisation's response in the database and list what is attached,
 * with the answers each item supports. Only translates between people,
 * store/evidence.h and evidence/propose.h; must never hold storage logic.
 */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cmd_store.h"
#include "evidence/propose.h"
#include "store/evidence.h"
#include "util/banned.h"

static const char propose_usage[] =
"usage: mamori evidence propose [--lang ja|en] [--json] AUDIT.json [FIRMWARE.json]\n"
"  AUDIT.json is 'mamori vpnlog audit --json' output, FIRMWARE.json\n"
"  'mamori firmware check --json' output (either may come alone; each\n"
"  file is recognised by its content). Proposes answers to q12_vpn_updated,\n"
"  q13_vpn_restricted and q14_vpn_log_review with a reason for each.\n";

static int evidence_propose_cmd(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lang", required_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *lang = "ja";
	bool json = false;
	json_t *audit = NULL, *fw = NULL;
	int c, rc = EXIT_USAGE;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'l': lang = optarg; break;
		case 'j': json = true; break;
		case 'h': fputs(propose_usage, stdout); return EXIT_OK;
		default: fputs(propose_usage, stderr); return EXIT_USAGE;
		}
	}
	if (strcmp(lang, "ja") && strcmp(lang, "en"))
		return cli_usage_error("--lang is ja or en, not '%s'", lang);
	if (optind >= argc || argc - optind > 2) {
		fputs(propose_usage, stderr);
		return EXIT_USAGE;
	}
	for (int i = optind; i < argc; i++) {
		json_error_t je;
		json_t *j = json_load_file(argv[i], 0, &je);
		if (!j) {
			cli_usage_error("%s:%d:%d: %s", argv[i], je.line,
					je.column, je.text);
			goto out;
		}
		if (json_is_array(json_object_get(j, "findings")) &&
		    json_object_get(j, "events") && !audit) {
			audit = j;
		} else if (json_is_array(json_object_get(j, "devices")) &&
			   !json_object_get(j, "findings") && !fw) {
			fw = j;
		} else {
			json_decref(j);
			cli_usage_error("%s: neither an audit's nor a firmware check's --json (or given twice)",
					argv[i]);
			goto out;
		}
	}
	json_t *res = evidence_propose(audit, fw);
	if (json) {
		json_dumpf(res, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
	} else {
		json_t *a;
		size_t i;
		json_array_foreach(json_object_get(res, "answers"), i, a)
			printf("%s: %s\n", json_string_value(json_object_get(a, "item")),
			       json_string_value(json_object_get(a, lang)));
	}
	json_decref(res);
	rc = fflush(stdout) ? EXIT_USAGE : EXIT_OK;
out:
	json_decref(audit);
	json_decref(fw);
	return rc;
}

/* ---- attach ------------------------------------------------------ */

static const char attach_usage[] =
"usage: mamori evidence attach CAMPAIGN ORG FILE.json [--kind vpnlog_audit|firmware_check] [--db PATH]\n"
"  FILE.json is 'mamori vpnlog audit --json' or 'mamori firmware check\n"
"  --json' output (the kind is recognised from the content when --kind\n"
"  is not given). It is stored as it is, with its SHA-256, on ORG's\n"
"  response in CAMPAIGN, whether the campaign is open or not.\n";

static int evidence_attach_cmd(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kind", required_argument, NULL, 'k' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL, *kind = NULL, *path;
	struct strbuf err = STRBUF_INIT;
	struct store_actor who;
	char whobuf[128], hex[65];
	struct store *st;
	enum mamori_err e;
	int64_t campaign, id = 0;
	char *text;
	size_t len;
	int c, rc;

	while ((c = getopt_long(argc, argv, "k:d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'k': kind = optarg; break;
		case 'd': db = optarg; break;
		case 'h': fputs(attach_usage, stdout); return EXIT_OK;
		default: fputs(attach_usage, stderr); return EXIT_USAGE;
		}
	}
	if (argc - optind != 3) {
		fputs(attach_usage, stderr);
		return EXIT_USAGE;
	}
	if (kind && strcmp(kind, STORE_EVIDENCE_AUDIT) &&
	    strcmp(kind, STORE_EVIDENCE_FIRMWARE))
		return cli_usage_error("--kind is %s or %s, not '%s'",
				       STORE_EVIDENCE_AUDIT,
				       STORE_EVIDENCE_FIRMWARE, kind);
	if ((rc = store_cli_campaign_id(argv[optind], &campaign)))
		return rc;
	path = argv[optind + 2];
	text = cli_read_file(path, &len, STORE_EVIDENCE_MAX);
	if (!text)
		return cli_usage_error("%s: %s", path, strerror(errno));
	if (!kind && !(kind = store_evidence_detect(text, len))) {
		free(text);
		return cli_usage_error("%s: neither an audit's nor a firmware "
				       "check's --json", path);
	}
	if ((rc = store_cli_open(db, false, &st))) {
		free(text);
		return rc;
	}
	store_cli_actor(&who, whobuf, sizeof(whobuf));
	e = store_evidence_attach(st, &who, campaign, argv[optind + 1], kind,
				  text, len, &id, hex, &err);
	free(text);
	if (e == MAMORI_EPARSE || e == MAMORI_EINVAL) {
		struct strbuf msg = STRBUF_INIT;	/* the file first */
		strbuf_addf(&msg, "%s: %s", path, err.buf);
		rc = store_cli_fail(msg.err ? msg.err : e, &msg);
		strbuf_release(&msg);
	} else if (e) {
		rc = store_cli_fail(e, &err);
	} else {
		printf("attached: campaign %lld, %s, evidence %lld (%s) "
		       "sha256 %s\n", (long long)campaign, argv[optind + 1],
		       (long long)id, kind, hex);
		rc = fflush(stdout) ? EXIT_USAGE : EXIT_OK;
	}
	strbuf_release(&err);
	store_free(st);
	return rc;
}

/* ---- list ---------------------------------------------------------- */

static const char list_usage[] =
"usage: mamori evidence list CAMPAIGN ORG [--lang ja|en] [--json] [--db PATH]\n"
"  Every result attached to ORG's response in CAMPAIGN, oldest first,\n"
"  with the answers to q12-q14 that each one supports (as 'mamori\n"
"  evidence propose' derives them).\n";

struct list_ctx {
	const char *lang;
	bool json;
	json_t *items;		/* --json: the array being built */
	size_t n;
	struct strbuf *err;
	enum mamori_err e;
};

static int list_item(void *ud, const struct store_evidence *ev)
{
	struct list_ctx *x = ud;
	json_error_t je;
	json_t *doc = json_loadb(ev->json, ev->len, 0, &je), *prop, *a;
	bool audit = !strcmp(ev->kind, STORE_EVIDENCE_AUDIT);
	char t[40];
	size_t i;

	if (!doc) {
		strbuf_addf(x->err, "evidence %lld: stored document is not "
				    "JSON: %s", (long long)ev->id, je.text);
		x->e = MAMORI_EDB;
		return 1;
	}
	prop = evidence_propose(audit ? doc : NULL, audit ? NULL : doc);
	x->n++;
	if (x->json) {
		json_t *sum = json_loads(ev->summary, 0, NULL);
		json_array_append_new(x->items, json_pack(
			"{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:o,s:o,s:o}",
			"id", (json_int_t)ev->id, "kind", ev->kind,
			"name", ev->name, "sha256", ev->sha256,
			"who", ev->who, "from", ev->from,
			"at", store_time_format(ev->at, t, sizeof(t)),
			"bytes", (json_int_t)ev->len,
			"summary", sum ? sum : json_object(),
			"proposed", prop, "result", doc));
		return 0;
	}
	printf("%lld\t%s\t%s\t%s\t%s\t%s\n", (long long)ev->id, ev->kind,
	       ev->sha256, store_time_format(ev->at, t, sizeof(t)), ev->who,
	       ev->from);
	json_array_foreach(json_object_get(prop, "answers"), i, a)
		printf("  %s: %s\n",
		       json_string_value(json_object_get(a, "item")),
		       json_string_value(json_object_get(a, x->lang)));
	json_decref(prop);
	json_decref(doc);
	return 0;
}

static int evidence_list_cmd(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lang", required_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'j' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct strbuf err = STRBUF_INIT;
	struct list_ctx x = { .lang = "ja", .err = &err };
	const char *db = NULL;
	struct store *st;
	enum mamori_err e;
	int64_t campaign;
	int c, rc;

	while ((c = getopt_long(argc, argv, "l:jd:h", opts, NULL)) != -1) {
		switch (c) {
		case 'l': x.lang = optarg; break;
		case 'j': x.json = true; break;
		case 'd': db = optarg; break;
		case 'h': fputs(list_usage, stdout); return EXIT_OK;
		default: fputs(list_usage, stderr); return EXIT_USAGE;
		}
	}
	if (strcmp(x.lang, "ja") && strcmp(x.lang, "en"))
		return cli_usage_error("--lang is ja or en, not '%s'", x.lang);
	if (argc - optind != 2) {
		fputs(list_usage, stderr);
		return EXIT_USAGE;
	}
	if ((rc = store_cli_campaign_id(argv[optind], &campaign)))
		return rc;
	if ((rc = store_cli_open(db, false, &st)))
		return rc;
	if (x.json)
		x.items = json_array();
	e = store_evidence_list(st, campaign, argv[optind + 1], list_item, &x,
				&err);
	if (!e)
		e = x.e;
	if (e) {
		rc = store_cli_fail(e, &err);
	} else {
		if (x.json) {
			json_t *o = json_pack("{s:I,s:s,s:O}", "campaign",
					      (json_int_t)campaign,
					      "organisation", argv[optind + 1],
					      "evidence", x.items);
			json_dumpf(o, stdout,
				   JSON_INDENT(2) | JSON_PRESERVE_ORDER);
			fputc('\n', stdout);
			json_decref(o);
		} else if (!x.n) {
			printf("# no evidence attached to %s in campaign "
			       "%lld\n", argv[optind + 1],
			       (long long)campaign);
		}
		rc = fflush(stdout) ? EXIT_USAGE : EXIT_OK;
	}
	json_decref(x.items);
	strbuf_release(&err);
	store_free(st);
	return rc;
}

static const struct cli_cmd evidence_cmds[] = {
	{ .name = "propose", .fn = evidence_propose_cmd,
	  .summary = "propose answers to survey q12-q14 from audit and firmware results" },
	{ .name = "attach", .fn = evidence_attach_cmd,
	  .summary = "store an audit or firmware result with its hash on a response" },
	{ .name = "list", .fn = evidence_list_cmd,
	  .summary = "list a response's evidence with the answers it supports" },
	{ .name = NULL },
};

int cmd_evidence(int argc, char **argv)
{
	return cli_dispatch(evidence_cmds, "mamori evidence", argc - 1, argv + 1);
}
