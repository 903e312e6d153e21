/*
 * cmd_store.c - the storage verbs of "mamori response" (save, submit,
 * reopen, show, history, export) and the helpers every store command
 * shares. Only translates between people and store.h; must never hold
 * storage logic of its own.
 */
#include "cli/cmd_store.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "util/num.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define RESPONSE_FILE_MAX (4u << 20)

const char *store_cli_path(const char *opt)
{
	const char *env = getenv("MAMORI_DB");

	if (opt && *opt)
		return opt;
	if (env && *env)
		return env;
	return STORE_CLI_DEFAULT_DB;
}

/* mkdir -p of path's directory. */
static int make_parent(const char *path)
{
	struct strbuf dir = STRBUF_INIT;
	const char *slash = strrchr(path, '/');
	int rc = 0;

	if (!slash || slash == path)
		return 0;
	strbuf_add(&dir, path, (size_t)(slash - path));
	xcheck_oom(dir.err);
	for (size_t i = 1; i <= dir.len; i++) {
		if (i < dir.len && dir.buf[i] != '/')
			continue;
		char c = dir.buf[i];
		dir.buf[i] = '\0';
		if (mkdir(dir.buf, 0750) && errno != EEXIST)
			rc = -1;
		dir.buf[i] = c;
	}
	strbuf_release(&dir);
	return rc;
}

int store_cli_open(const char *opt, bool create, struct store **st)
{
	struct store_open_opts o = { .create = create };
	struct strbuf err = STRBUF_INIT;
	const char *path = store_cli_path(opt);
	const char *now = getenv("MAMORI_NOW");
	int64_t t = 0;
	enum mamori_err e;

	if (now && *now && store_time_parse(now, false, &t))
		return cli_usage_error("MAMORI_NOW: not a time: '%s'", now);
	if (create && make_parent(path))
		fprintf(stderr, "mamori: %s: cannot create its directory: %s\n",
			path, strerror(errno));
	e = store_open(path, &o, st, &err);
	if (e) {
		int rc = store_cli_fail(e, &err);
		strbuf_release(&err);
		return rc;
	}
	strbuf_release(&err);
	if (t)
		store_set_clock(*st, t);
	return EXIT_OK;
}

void store_cli_actor(struct store_actor *a, char *buf, size_t len)
{
	const char *user = getenv("USER");
	struct passwd *pw;

	if (!user || !*user) {
		pw = getpwuid(getuid());
		user = pw ? pw->pw_name : "unknown";
	}
	snprintf(buf, len, "cli:%s", user);
	a->who = buf;
	a->from = "local";
}

int store_cli_fail(enum mamori_err e, const struct strbuf *err)
{
	xcheck_oom(e);
	if (err && err->len) {
		struct slice rest = strbuf_slice(err), line;
		while (rest.p && rest.len) {
			rest = slice_cut(rest, '\n', &line);
			fprintf(stderr, "mamori: %.*s\n", (int)line.len, line.p);
		}
	} else {
		fprintf(stderr, "mamori: %s\n", mamori_strerror(e));
	}
	switch (e) {
	case MAMORI_EINVALID:
	case MAMORI_ECONFLICT:
	case MAMORI_ECLOSED:
	case MAMORI_EDENIED:
		return EXIT_FINDINGS;
	default:
		return EXIT_USAGE;
	}
}

int store_cli_campaign_id(const char *s, int64_t *id)
{
	if (num_parse_range(slice_from_cstr(s), 1, INT64_MAX, id))
		return cli_usage_error("not a campaign id: '%s'", s);
	return EXIT_OK;
}

/* ---- save, submit -------------------------------------------------- */

static int put(int argc, char **argv, bool submit)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "base", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL;
	int64_t base = STORE_REV_ANY, campaign, rev = 0;
	struct strbuf err = STRBUF_INIT;
	struct store_actor who;
	char whobuf[128];
	struct store *st;
	enum mamori_err e;
	char *text;
	size_t len;
	int c, rc;

	while ((c = getopt_long(argc, argv, "d:b:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db = optarg;
			break;
		case 'b':
			if (num_parse_range(slice_from_cstr(optarg), 0,
					    INT64_MAX, &base))
				return cli_usage_error("--base: not a revision "
						       "number: '%s'", optarg);
			break;
		case 'h':
			printf("usage: mamori response %s CAMPAIGN ORG FILE.json "
			       "[--base REVISION] [--db PATH]\n", argv[0]);
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 3)
		return cli_usage_error("usage: mamori response %s CAMPAIGN ORG "
				       "FILE.json [--base REVISION]", argv[0]);
	if ((rc = store_cli_campaign_id(argv[optind], &campaign)))
		return rc;
	text = cli_read_file(argv[optind + 2], &len, RESPONSE_FILE_MAX);
	if (!text)
		return cli_usage_error("%s: %s", argv[optind + 2],
				       strerror(errno));
	if ((rc = store_cli_open(db, false, &st))) {
		free(text);
		return rc;
	}
	store_cli_actor(&who, whobuf, sizeof(whobuf));
	if (submit)
		e = store_response_submit(st, &who, campaign, argv[optind + 1],
					  text, len, base, &rev, &err);
	else
		e = store_response_save(st, &who, campaign, argv[optind + 1],
					text, len, base, &rev, &err);
	free(text);
	if (e) {
		rc = store_cli_fail(e, &err);
	} else {
		printf("%s: campaign %lld, %s, revision %lld\n",
		       submit ? "submitted" : "saved", (long long)campaign,
		       argv[optind + 1], (long long)rev);
		rc = EXIT_OK;
	}
	strbuf_release(&err);
	store_free(st);
	return rc;
}

static int save(int argc, char **argv)
{
	return put(argc, argv, false);
}

static int submit(int argc, char **argv)
{
	return put(argc, argv, true);
}

/* ---- the rest: CAMPAIGN ORG with a few options --------------------- */

struct two_args {
	const char *db;
	int64_t campaign;
	const char *org;
	int64_t revision;
	bool json;
};

static int parse_two(int argc, char **argv, const char *usage,
		     struct two_args *a, bool want_revision)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "revision", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(a, 0, sizeof(*a));
	while ((c = getopt_long(argc, argv, "d:r:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			a->db = optarg;
			break;
		case 'r':
			if (!want_revision ||
			    num_parse_range(slice_from_cstr(optarg), 1,
					    INT64_MAX, &a->revision))
				return cli_usage_error("--revision: not a "
						       "revision: '%s'", optarg);
			break;
		case 'j':
			a->json = true;
			break;
		case 'h':
			printf("usage: mamori response %s %s\n", argv[0], usage);
			return -1;
		default:
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 2)
		return cli_usage_error("usage: mamori response %s %s", argv[0],
				       usage);
	a->org = argv[optind + 1];
	return store_cli_campaign_id(argv[optind], &a->campaign);
}

static int reopen(int argc, char **argv)
{
	struct two_args a;
	struct strbuf err = STRBUF_INIT;
	struct store_actor who;
	char whobuf[128];
	struct store *st;
	enum mamori_err e;
	int64_t rev;
	int rc = parse_two(argc, argv, "CAMPAIGN ORG [--db PATH]", &a, false);

	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if ((rc = store_cli_open(a.db, false, &st)))
		return rc;
	store_cli_actor(&who, whobuf, sizeof(whobuf));
	e = store_response_reopen(st, &who, a.campaign, a.org, &rev, &err);
	if (e)
		rc = store_cli_fail(e, &err);
	else
		printf("reopened: campaign %lld, %s, revision %lld\n",
		       (long long)a.campaign, a.org, (long long)rev);
	strbuf_release(&err);
	store_free(st);
	return rc;
}

static int show(int argc, char **argv)
{
	struct two_args a;
	struct strbuf err = STRBUF_INIT;
	struct store_revision r;
	struct store *st;
	enum mamori_err e;
	char t[40];
	int rc = parse_two(argc, argv,
			   "CAMPAIGN ORG [--revision N] [--json] [--db PATH]",
			   &a, true);

	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if ((rc = store_cli_open(a.db, false, &st)))
		return rc;
	e = store_response_get(st, a.campaign, a.org, a.revision, &r, &err);
	if (e) {
		rc = store_cli_fail(e, &err);
	} else {
		json_t *body = json_loads(r.body, 0, NULL);
		if (a.json) {
			json_t *o = json_pack(
				"{s:I,s:s,s:I,s:s,s:b,s:s,s:s,s:s,s:o}",
				"campaign", (json_int_t)a.campaign,
				"organisation", a.org, "revision",
				(json_int_t)r.revision, "kind",
				revision_kind_name(r.kind), "valid", r.valid,
				"who", r.who, "from", r.from, "at",
				store_time_format(r.at, t, sizeof(t)),
				"answers", body ? body : json_object());
			json_dumpf(o, stdout, JSON_INDENT(2));
			json_decref(o);
		} else {
			printf("# campaign %lld, %s, revision %lld (%s%s) by %s "
			       "from %s at %s\n",
			       (long long)a.campaign, a.org,
			       (long long)r.revision, revision_kind_name(r.kind),
			       r.valid ? "" : ", not valid", r.who, r.from,
			       store_time_format(r.at, t, sizeof(t)));
			json_dumpf(body, stdout, JSON_INDENT(2));
			json_decref(body);
		}
		putchar('\n');
		store_revision_release(&r);
	}
	strbuf_release(&err);
	store_free(st);
	return rc;
}

static int history_line(void *ud, const struct store_revision *r)
{
	char t[40];
	bool json = *(bool *)ud;

	if (json) {
		json_t *o = json_pack("{s:I,s:s,s:b,s:s,s:s,s:s}", "revision",
				      (json_int_t)r->revision, "kind",
				      revision_kind_name(r->kind), "valid",
				      r->valid, "who", r->who, "from", r->from,
				      "at", store_time_format(r->at, t,
							      sizeof(t)));
		json_dumpf(o, stdout, JSON_COMPACT);
		putchar('\n');
		json_decref(o);
		return 0;
	}
	printf("%lld\t%s\t%s\t%s\t%s\t%s\n", (long long)r->revision,
	       revision_kind_name(r->kind), r->valid ? "valid" : "invalid",
	       store_time_format(r->at, t, sizeof(t)), r->who, r->from);
	return 0;
}

static int history(int argc, char **argv)
{
	struct two_args a;
	struct strbuf err = STRBUF_INIT;
	struct store_response state;
	struct store *st;
	enum mamori_err e;
	int rc = parse_two(argc, argv, "CAMPAIGN ORG [--json] [--db PATH]", &a,
			   false);

	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if ((rc = store_cli_open(a.db, false, &st)))
		return rc;
	e = store_response_state(st, a.campaign, a.org, &state, &err);
	if (!e && !a.json)
		printf("# %s; newest revision %lld; submitted revision %lld\n",
		       response_status_name(state.status),
		       (long long)state.revision,
		       (long long)state.submitted_revision);
	if (!e)
		e = store_response_history(st, a.campaign, a.org, history_line,
					   &a.json, &err);
	if (e)
		rc = store_cli_fail(e, &err);
	strbuf_release(&err);
	store_free(st);
	return rc;
}

static int export(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "include-drafts", no_argument, NULL, 'D' },
		{ "bom", no_argument, NULL, 'B' },
		{ "forms", no_argument, NULL, 'F' },
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char usage[] =
		"usage: mamori response export CAMPAIGN --format json|csv "
		"[--include-drafts] [--bom] [--forms] [--out FILE] "
		"[--db PATH]";
	struct store_export_opts eo = { .format = EXPORT__MAX };
	const char *db = NULL, *outpath = NULL;
	struct strbuf err = STRBUF_INIT;
	struct store *st;
	enum mamori_err e;
	int64_t campaign;
	size_t n;
	FILE *out = stdout;
	int c, rc;

	while ((c = getopt_long(argc, argv, "d:f:DBFo:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db = optarg;
			break;
		case 'f':
			if (!strcmp(optarg, "json"))
				eo.format = EXPORT_JSON;
			else if (!strcmp(optarg, "csv"))
				eo.format = EXPORT_CSV;
			else
				return cli_usage_error("--format is json or csv, "
						       "not '%s'", optarg);
			break;
		case 'D':
			eo.include_drafts = true;
			break;
		case 'B':
			eo.bom = true;
			break;
		case 'F':
			eo.forms = true;
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'h':
			puts(usage);
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1 || eo.format == EXPORT__MAX)
		return cli_usage_error("%s", usage);
	if (eo.forms && eo.format != EXPORT_CSV)
		return cli_usage_error("--forms is for --format csv: the JSON "
				       "export lists the forms already");
	if ((rc = store_cli_campaign_id(argv[optind], &campaign)))
		return rc;
	if ((rc = store_cli_open(db, false, &st)))
		return rc;
	if (outpath && strcmp(outpath, "-") && !(out = fopen(outpath, "wb"))) {
		store_free(st);
		return cli_usage_error("%s: %s", outpath, strerror(errno));
	}
	e = store_response_export(st, campaign, &eo, out, &n, &err);
	int werr = 0;
	if (out != stdout ? fclose(out) != 0 : fflush(stdout) != 0)
		werr = errno;
	if (e) {
		rc = store_cli_fail(e, &err);
	} else if (werr) {
		fprintf(stderr, "mamori: %s: %s\n", outpath ? outpath : "stdout",
			strerror(werr));
		rc = EXIT_USAGE;
	} else if (outpath) {
		fprintf(stderr, "exported %zu %s to %s\n", n,
			eo.forms ? "forms" : "responses", outpath);
	}
	strbuf_release(&err);
	store_free(st);
	return rc;
}

static const struct cli_cmd verbs[] = {
	{ .name = "save", .fn = save, .summary = "save a draft" },
	{ .name = "submit", .fn = submit, .summary = "submit a response" },
	{ .name = "reopen", .fn = reopen,
	  .summary = "let a submitted response be changed again" },
	{ .name = "show", .fn = show, .summary = "show a stored response" },
	{ .name = "history", .fn = history,
	  .summary = "list a response's revisions" },
	{ .name = "export", .fn = export,
	  .summary = "export a campaign's responses" },
	{ .name = NULL },
};

int cmd_response_store(int argc, char **argv)
{
	if (argc < 1)
		return -1;
	for (const struct cli_cmd *c = verbs; c->name; c++)
		if (!strcmp(c->name, argv[0])) {
			optind = 0;
			return c->fn(argc, argv);
		}
	return -1;
}
