/*
 * cmd_campaign.c - "mamori campaign create|list|status|invite|open|close|
 * schedule|extend|publish|unpublish". Only translates between people and
 * store.h; access codes pass through here once, on their way to the
 * invitation file.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/cmd_store.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define INSTRUMENT_FILE_MAX (16u << 20)

static int parse_window(const char *arg, struct store_window *w)
{
	const char *dots = strstr(arg, "..");
	char from[64];

	if (!dots || (size_t)(dots - arg) >= sizeof(from))
		return cli_usage_error("--also-open: FROM..TO, not '%s'", arg);
	memcpy(from, arg, (size_t)(dots - arg));
	from[dots - arg] = '\0';
	if (store_time_parse(from, false, &w->opens) ||
	    store_time_parse(dots + 2, true, &w->closes))
		return cli_usage_error("--also-open: not two times: '%s' "
				       "(YYYY-MM-DD[THH:MM]..YYYY-MM-DD)", arg);
	return EXIT_OK;
}

static int create(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "instrument", required_argument, NULL, 'i' },
		{ "title", required_argument, NULL, 't' },
		{ "opens", required_argument, NULL, 'o' },
		{ "closes", required_argument, NULL, 'c' },
		{ "also-open", required_argument, NULL, 'a' },
		{ "target", required_argument, NULL, 'T' },
		{ "always-open", no_argument, NULL, 'A' },
		{ "repeatable", no_argument, NULL, 'R' },
		{ "forms", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char usage[] =
		"usage: mamori campaign create --instrument FILE --title TITLE "
		"--opens TIME --closes TIME [--also-open FROM..TO] "
		"--target EXPR [--always-open] [--repeatable] "
		"[--forms FILE] [--db PATH]";
	struct store_campaign_new cn = { .nwindows = 1 };
	const char *db = NULL, *opens = NULL, *closes = NULL, *file = NULL;
	const char *forms = NULL;
	char *ftext = NULL;
	struct strbuf err = STRBUF_INIT;
	struct store_actor who;
	struct store_campaign camp;
	char whobuf[128];
	struct store *st;
	enum mamori_err e;
	int64_t id;
	char *text;
	size_t len;
	int c, rc;

	while ((c = getopt_long(argc, argv, "d:i:t:o:c:a:T:h", opts, NULL)) !=
	       -1) {
		switch (c) {
		case 'd':
			db = optarg;
			break;
		case 'i':
			file = optarg;
			break;
		case 't':
			cn.title = optarg;
			break;
		case 'o':
			opens = optarg;
			break;
		case 'c':
			closes = optarg;
			break;
		case 'a':
			if (cn.nwindows == STORE_MAX_WINDOWS)
				return cli_usage_error("at most %d windows",
						       STORE_MAX_WINDOWS);
			if ((rc = parse_window(optarg,
					       &cn.windows[cn.nwindows])))
				return rc;
			cn.nwindows++;
			break;
		case 'T':
			cn.target = optarg;
			break;
		case 'A':
			cn.always_open = true;
			break;
		case 'R':
			cn.repeatable = true;
			break;
		case 'F':
			forms = optarg;
			break;
		case 'h':
			puts(usage);
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (cn.always_open && !closes)
		closes = "9999-12-31";	/* no close: kept for the windows */
	if (optind != argc || !file || !cn.title || !opens || !closes ||
	    !cn.target)
		return cli_usage_error("%s", usage);
	if (store_time_parse(opens, false, &cn.windows[0].opens))
		return cli_usage_error("--opens: not a time: '%s'", opens);
	if (store_time_parse(closes, true, &cn.windows[0].closes))
		return cli_usage_error("--closes: not a time: '%s'", closes);
	text = cli_read_file(file, &len, INSTRUMENT_FILE_MAX);
	if (!text)
		return cli_usage_error("%s: %s", file, strerror(errno));
	cn.instrument = text;
	cn.instrument_len = len;
	cn.instrument_name = file;
	if (forms) {
		if (!(ftext = cli_read_file(forms, &len, INSTRUMENT_FILE_MAX))) {
			free(text);
			return cli_usage_error("%s: %s", forms,
					       strerror(errno));
		}
		cn.form_instrument = ftext;
		cn.form_instrument_len = len;
		cn.form_instrument_name = forms;
	}
	if ((rc = store_cli_open(db, false, &st))) {
		free(text);
		free(ftext);
		return rc;
	}
	store_cli_actor(&who, whobuf, sizeof(whobuf));
	e = store_campaign_create(st, &who, &cn, &id, &err);
	free(text);
	free(ftext);
	if (e) {
		rc = store_cli_fail(e, &err);
	} else if (!(e = store_campaign_get(st, id, &camp, &err))) {
		printf("%zu organisations targeted, %s; campaign %lld\n",
		       camp.population, campaign_state_name(camp.state),
		       (long long)id);
		store_campaign_release(&camp);
	} else {
		rc = store_cli_fail(e, &err);
	}
	strbuf_release(&err);
	store_free(st);
	return rc;
}

/* ---- list ------------------------------------------------------------ */

static json_t *campaign_json(const struct store_campaign *c)
{
	char t1[40], t2[40];
	json_t *w = json_array();

	for (size_t i = 0; i < c->nwindows; i++)
		json_array_append_new(w, json_pack(
			"{s:s,s:s}", "opens",
			store_time_format(c->windows[i].opens, t1, sizeof(t1)),
			"closes",
			store_time_format(c->windows[i].closes, t2, sizeof(t2))));
	return json_pack("{s:I,s:s,s:s,s:{s:s,s:s,s:s},s:s,s:o,s:I,s:b,s:b,"
			 "s:s?}", "id",
			 (json_int_t)c->id, "title", c->title, "state",
			 campaign_state_name(c->state), "instrument", "id",
			 c->instrument_id, "version", c->instrument_version,
			 "sha256", c->instrument_sha256, "target", c->target,
			 "windows", w, "population", (json_int_t)c->population,
			 "always_open", c->always_open, "repeatable",
			 c->repeatable, "form_instrument",
			 c->form_instrument_id);
}

static int list_one(void *ud, const struct store_campaign *c)
{
	char t1[40], t2[40];

	if (ud) {
		json_array_append_new(ud, campaign_json(c));
		return 0;
	}
	printf("%lld\t%s\t%s %s\t%zu organisations\t%s .. %s"
	       "%s%s%s%s\t%s\n",
	       (long long)c->id, campaign_state_name(c->state),
	       c->instrument_id, c->instrument_version, c->population,
	       store_time_format(c->windows[0].opens, t1, sizeof(t1)),
	       store_time_format(c->windows[c->nwindows - 1].closes, t2,
				 sizeof(t2)),
	       c->nwindows > 1 ? " (2 windows)" : "",
	       c->always_open ? " (always open)" : "",
	       c->repeatable ? " (reports)" : "",
	       c->form_instrument_id ? " (with forms)" : "", c->title);
	return 0;
}

struct simple {
	const char *db;
	bool json;
	const char *closes;
	const char *out;
};

/* Options shared by the small verbs; returns -1 after --help. */
static int parse_simple(int argc, char **argv, const char *usage,
			struct simple *s, int npos)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "closes", required_argument, NULL, 'c' },
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(s, 0, sizeof(*s));
	while ((c = getopt_long(argc, argv, "d:jc:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			s->db = optarg;
			break;
		case 'j':
			s->json = true;
			break;
		case 'c':
			s->closes = optarg;
			break;
		case 'o':
			s->out = optarg;
			break;
		case 'h':
			printf("usage: mamori campaign %s %s\n", argv[0], usage);
			return -1;
		default:
			return EXIT_USAGE;
		}
	}
	if (argc - optind != npos)
		return cli_usage_error("usage: mamori campaign %s %s", argv[0],
				       usage);
	return EXIT_OK;
}

static int list(int argc, char **argv)
{
	struct simple o;
	struct strbuf err = STRBUF_INIT;
	struct store *st;
	enum mamori_err e;
	json_t *arr = NULL;
	int rc = parse_simple(argc, argv, "[--json] [--db PATH]", &o, 0);

	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if ((rc = store_cli_open(o.db, false, &st)))
		return rc;
	if (o.json)
		arr = json_array();
	e = store_campaign_list(st, list_one, arr, &err);
	if (e) {
		rc = store_cli_fail(e, &err);
	} else if (arr) {
		json_dumpf(arr, stdout, JSON_INDENT(2));
		putchar('\n');
	}
	json_decref(arr);
	strbuf_release(&err);
	store_free(st);
	return rc;
}

/* ---- status ---------------------------------------------------------- */

static int status(int argc, char **argv)
{
	struct simple o;
	struct strbuf err = STRBUF_INIT;
	struct store_campaign_status cs;
	struct store_campaign c;
	struct store *st;
	enum mamori_err e;
	int64_t id;
	int rc = parse_simple(argc, argv, "CAMPAIGN [--json] [--db PATH]", &o,
			      1);

	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if ((rc = store_cli_campaign_id(argv[optind], &id)))
		return rc;
	if ((rc = store_cli_open(o.db, false, &st)))
		return rc;
	e = store_campaign_get(st, id, &c, &err);
	if (!e) {
		e = store_campaign_status(st, id, &cs, &err);
		if (e)
			store_campaign_release(&c);
	}
	if (e) {
		rc = store_cli_fail(e, &err);
		goto out;
	}
	if (o.json) {
		json_t *j = campaign_json(&c), *bp = json_array();
		for (size_t i = 0; i < PREFECTURE_COUNT; i++) {
			const struct store_pref_count *p = &cs.by_pref[i];
			if (!p->population)
				continue;
			json_array_append_new(bp, json_pack(
				"{s:s,s:s,s:I,s:I,s:I,s:I}", "prefecture",
				p->code, "name", prefectures[i].ja,
				"population", (json_int_t)p->population,
				"invited", (json_int_t)p->invited, "drafts",
				(json_int_t)p->drafts, "submitted",
				(json_int_t)p->submitted));
		}
		json_object_set_new(j, "invited", json_integer((json_int_t)
								cs.invited));
		json_object_set_new(j, "drafts", json_integer((json_int_t)
							       cs.drafts));
		json_object_set_new(j, "submitted", json_integer(
						 (json_int_t)cs.submitted));
		json_object_set_new(j, "reopened", json_integer(
						(json_int_t)cs.reopened));
		json_object_set_new(j, "by_prefecture", bp);
		json_dumpf(j, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(j);
	} else {
		printf("campaign %lld: %s (%s)\n", (long long)c.id, c.title,
		       campaign_state_name(c.state));
		printf("population %zu, invited %zu, drafts %zu, submitted %zu "
		       "(%.1f%%), reopened %zu\n",
		       cs.population, cs.invited, cs.drafts, cs.submitted,
		       cs.population ? 100.0 * (double)cs.submitted /
					       (double)cs.population
				     : 0.0,
		       cs.reopened);
		printf("pref\tname\tpopulation\tinvited\tdrafts\tsubmitted\n");
		for (size_t i = 0; i < PREFECTURE_COUNT; i++) {
			const struct store_pref_count *p = &cs.by_pref[i];
			if (!p->population)
				continue;
			printf("%s\t%s\t%zu\t%zu\t%zu\t%zu\n", p->code,
			       prefectures[i].ja, p->population, p->invited,
			       p->drafts, p->submitted);
		}
	}
	store_campaign_release(&c);
out:
	strbuf_release(&err);
	store_free(st);
	return rc;
}

/* ---- invite ---------------------------------------------------------- */

static void csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static int invite_row(void *ud, const struct store_org *o, const char *code)
{
	FILE *f = ud;
	const struct prefecture *p = prefecture_find(slice_from_cstr(
		o->pref_code));

	csv_field(f, o->id);
	fputc(',', f);
	csv_field(f, o->name);
	fputc(',', f);
	csv_field(f, p ? p->ja : o->pref_code);
	fputc(',', f);
	fputs(code, f);
	fputs("\r\n", f);
	return 0;
}

static int invite(int argc, char **argv)
{
	struct simple o;
	struct strbuf err = STRBUF_INIT;
	struct store_actor who;
	char whobuf[128];
	struct store *st;
	enum mamori_err e;
	FILE *out = stdout;
	size_t issued;
	int64_t id;
	int rc = parse_simple(argc, argv, "CAMPAIGN [--out FILE] [--db PATH]",
			      &o, 1);

	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if ((rc = store_cli_campaign_id(argv[optind], &id)))
		return rc;
	if ((rc = store_cli_open(o.db, false, &st)))
		return rc;
	/* the codes exist nowhere else: the file is readable by its owner */
	if (o.out && strcmp(o.out, "-")) {
		mode_t old = umask(077);
		out = fopen(o.out, "wb");
		umask(old);
		if (!out) {
			store_free(st);
			return cli_usage_error("%s: %s", o.out, strerror(errno));
		}
	}
	fputs("organisation,name,prefecture,access_code\r\n", out);
	store_cli_actor(&who, whobuf, sizeof(whobuf));
	e = store_campaign_invite(st, &who, id, invite_row, out, &issued, &err);
	int werr = out != stdout ? fclose(out) : fflush(out);
	if (e) {
		rc = store_cli_fail(e, &err);
	} else if (werr) {
		fprintf(stderr, "mamori: %s: %s: the codes were issued but not "
				"all written; run invite again to re-issue\n",
			o.out ? o.out : "stdout", strerror(errno));
		rc = EXIT_USAGE;
	} else {
		fprintf(stderr, "%zu access codes issued for campaign %lld%s%s\n",
			issued, (long long)id, o.out ? " to " : "",
			o.out ? o.out : "");
	}
	strbuf_release(&err);
	store_free(st);
	return rc;
}

/* ---- open, close, schedule, extend ------------------------------- */

static int set_override(int argc, char **argv, enum campaign_override ov)
{
	struct simple o;
	struct strbuf err = STRBUF_INIT;
	struct store_actor who;
	struct store_campaign c;
	char whobuf[128];
	struct store *st;
	enum mamori_err e;
	int64_t id;
	int rc = parse_simple(argc, argv, "CAMPAIGN [--db PATH]", &o, 1);

	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if ((rc = store_cli_campaign_id(argv[optind], &id)))
		return rc;
	if ((rc = store_cli_open(o.db, false, &st)))
		return rc;
	store_cli_actor(&who, whobuf, sizeof(whobuf));
	e = store_campaign_set_override(st, &who, id, ov, &err);
	if (!e)
		e = store_campaign_get(st, id, &c, &err);
	if (e) {
		rc = store_cli_fail(e, &err);
	} else {
		printf("campaign %lld is %s\n", (long long)id,
		       campaign_state_name(c.state));
		store_campaign_release(&c);
	}
	strbuf_release(&err);
	store_free(st);
	return rc;
}

static int open_(int argc, char **argv)
{
	return set_override(argc, argv, OVERRIDE_OPEN);
}

static int close_(int argc, char **argv)
{
	return set_override(argc, argv, OVERRIDE_CLOSED);
}

static int schedule(int argc, char **argv)
{
	return set_override(argc, argv, OVERRIDE_NONE);
}

static int extend(int argc, char **argv)
{
	struct simple o;
	struct strbuf err = STRBUF_INIT;
	struct store_actor who;
	char whobuf[128], t[40];
	struct store *st;
	enum mamori_err e;
	int64_t id, closes;
	int rc = parse_simple(argc, argv, "CAMPAIGN --closes TIME [--db PATH]",
			      &o, 1);

	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if ((rc = store_cli_campaign_id(argv[optind], &id)))
		return rc;
	if (!o.closes || store_time_parse(o.closes, true, &closes))
		return cli_usage_error("--closes TIME is needed "
				       "(YYYY-MM-DD[THH:MM])");
	if ((rc = store_cli_open(o.db, false, &st)))
		return rc;
	store_cli_actor(&who, whobuf, sizeof(whobuf));
	e = store_campaign_extend(st, &who, id, closes, &err);
	if (e)
		rc = store_cli_fail(e, &err);
	else
		printf("campaign %lld now closes at %s\n", (long long)id,
		       store_time_format(closes, t, sizeof(t)));
	strbuf_release(&err);
	store_free(st);
	return rc;
}

/* ---- publish, unpublish ------------------------------------------ */

static int set_published(int argc, char **argv, bool publish)
{
	struct simple o;
	struct strbuf err = STRBUF_INIT;
	struct store_actor who;
	char whobuf[128], t[40];
	struct store *st;
	enum mamori_err e;
	int64_t id, at = 0;
	int rc = parse_simple(argc, argv, "CAMPAIGN [--db PATH]", &o, 1);

	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if ((rc = store_cli_campaign_id(argv[optind], &id)))
		return rc;
	if ((rc = store_cli_open(o.db, false, &st)))
		return rc;
	store_cli_actor(&who, whobuf, sizeof(whobuf));
	e = store_campaign_publish(st, &who, id, publish, &err);
	if (!e)
		e = store_campaign_published(st, id, &at, NULL, &err);
	if (e)
		rc = store_cli_fail(e, &err);
	else if (at)
		printf("campaign %lld: results published at %s; each "
		       "organisation sees its own feedback report\n",
		       (long long)id, store_time_format(at, t, sizeof(t)));
	else
		printf("campaign %lld: results not published\n",
		       (long long)id);
	strbuf_release(&err);
	store_free(st);
	return rc;
}

static int publish_(int argc, char **argv)
{
	return set_published(argc, argv, true);
}

static int unpublish(int argc, char **argv)
{
	return set_published(argc, argv, false);
}

/* ---- missing-forms ------------------------------------------------- */

struct due_out {
	json_t *arr;	/* --json; NULL: lines */
	size_t n;
};

static int due_line(void *ud, const struct store_forms_due *d)
{
	struct due_out *o = ud;

	o->n++;
	if (o->arr) {
		json_array_append_new(o->arr, json_pack(
			"{s:s,s:I,s:I}", "organisation", d->org_id,
			"expected", (json_int_t)d->expected, "submitted",
			(json_int_t)d->submitted));
		return 0;
	}
	printf("%s\t%lld of %lld forms submitted\n", d->org_id,
	       (long long)d->submitted, (long long)d->expected);
	return 0;
}

static int missing_forms(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "count-item", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char usage[] =
		"usage: mamori campaign missing-forms CAMPAIGN "
		"[--count-item vendor_count] [--json] [--db PATH]\n"
		"\n"
		"The organisations whose submitted main form counts more "
		"additional forms\n(--count-item, an integer item) than they "
		"have submitted: facilities\nwaiting for vendor forms. Exit 1 "
		"when there is any.\n";
	const char *db = NULL, *item = "vendor_count";
	struct strbuf err = STRBUF_INIT;
	struct store *st;
	enum mamori_err e;
	struct due_out o = { NULL, 0 };
	bool json = false;
	int64_t id;
	int c, rc;

	while ((c = getopt_long(argc, argv, "d:jn:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'n':
			item = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	if ((rc = store_cli_campaign_id(argv[optind], &id)))
		return rc;
	if ((rc = store_cli_open(db, false, &st)))
		return rc;
	if (json)
		o.arr = json_array();
	e = store_campaign_forms_missing(st, id, item, due_line, &o, &err);
	if (e) {
		rc = store_cli_fail(e, &err);
	} else {
		if (o.arr) {
			json_dumpf(o.arr, stdout, JSON_INDENT(2));
			putchar('\n');
		}
		rc = o.n ? EXIT_FINDINGS : EXIT_OK;
	}
	json_decref(o.arr);
	strbuf_release(&err);
	store_free(st);
	return rc;
}

static const struct cli_cmd verbs[] = {
	{ .name = "create", .fn = create,
	  .summary = "create a campaign: instrument, population, period" },
	{ .name = "list", .fn = list, .summary = "list campaigns" },
	{ .name = "status", .fn = status,
	  .summary = "invited, drafts and submitted, by prefecture" },
	{ .name = "invite", .fn = invite,
	  .summary = "issue access codes (CSV for a mail merge)" },
	{ .name = "open", .fn = open_,
	  .summary = "open now, whatever the windows say" },
	{ .name = "close", .fn = close_,
	  .summary = "close now, whatever the windows say" },
	{ .name = "schedule", .fn = schedule,
	  .summary = "follow the answering windows again" },
	{ .name = "extend", .fn = extend,
	  .summary = "move the close of the last window" },
	{ .name = "publish", .fn = publish_,
	  .summary = "show each organisation its own feedback report" },
	{ .name = "unpublish", .fn = unpublish,
	  .summary = "withdraw the published results" },
	{ .name = "missing-forms", .fn = missing_forms,
	  .summary = "organisations with additional forms still due" },
	{ .name = NULL },
};

int cmd_campaign(int argc, char **argv)
{
	return cli_dispatch(verbs, "mamori campaign", argc - 1, argv + 1);
}
