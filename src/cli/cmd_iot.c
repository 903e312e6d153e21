/*
 * cmd_iot.c - "mamori iot": IoT-SSF risk assessment of a system model.
 *   mamori iot assess MODEL.yaml [--catalog DIR] [--lang ja|en]
 *                     [--format html|json|text] [-o FILE]
 *   mamori iot check MODEL.yaml [--catalog DIR]
 *   mamori iot template
 * Exit: 0 nothing above target after implemented measures and no required
 * requirement open; 1 gaps remain; 2 bad model, catalogue or usage.
 * Only translates between the command line and src/iotssf/; must never
 * hold assessment logic.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "iotssf/iotssf.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "util/ydoc.h"
#include "util/banned.h"

struct iot_opts {
	const char *catalog;
	const char *output;
	enum iot_lang lang;
	enum iot_format format;
	const char *model;
};

static const char *const format_names[IOT_FMT__MAX] = {
	[IOT_FMT_TEXT] = "text",
	[IOT_FMT_JSON] = "json",
	[IOT_FMT_HTML] = "html",
};

static void usage(FILE *f, const char *verb)
{
	if (!strcmp(verb, "assess"))
		fputs("usage: mamori iot assess MODEL.yaml [--catalog DIR] "
		      "[--lang ja|en] [--format html|json|text] [-o FILE]\n", f);
	else
		fputs("usage: mamori iot check MODEL.yaml [--catalog DIR]\n", f);
	fputs("The catalogue is --catalog DIR, else $MAMORI_DATA/iot-ssf, "
	      "else data/iot-ssf.\n", f);
}

/* Returns -1 to go on, else an exit status. */
static int parse_opts(int argc, char **argv, bool assess, struct iot_opts *o)
{
	static const struct option longopts[] = {
		{ "catalog", required_argument, NULL, 'c' },
		{ "lang", required_argument, NULL, 'l' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->lang = IOT_LANG_JA;
	o->format = IOT_FMT_TEXT;
	while ((c = getopt_long(argc, argv, assess ? "c:l:f:o:h" : "c:h",
				longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->catalog = optarg;
			break;
		case 'l':
			if (!assess)
				goto bad;
			if (!strcmp(optarg, "ja"))
				o->lang = IOT_LANG_JA;
			else if (!strcmp(optarg, "en"))
				o->lang = IOT_LANG_EN;
			else
				return cli_usage_error("--lang must be ja or en, not '%s'",
						       optarg);
			break;
		case 'f': {
			if (!assess)
				goto bad;
			size_t i;
			for (i = 0; i < IOT_FMT__MAX; i++)
				if (!strcmp(optarg, format_names[i]))
					break;
			if (i == IOT_FMT__MAX)
				return cli_usage_error("--format must be html, json or "
						       "text, not '%s'", optarg);
			o->format = (enum iot_format)i;
			break;
		}
		case 'o':
			if (!assess)
				goto bad;
			o->output = optarg;
			break;
		case 'h':
			usage(stdout, argv[0]);
			return EXIT_OK;
		default:
		bad:
			usage(stderr, argv[0]);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		usage(stderr, argv[0]);
		return EXIT_USAGE;
	}
	o->model = argv[optind];
	return -1;
}

/* Loads catalogue and model; returns -1 on success, else an exit status. */
static int load(const struct iot_opts *o, struct iot_catalog *cat,
		struct iot_model *m)
{
	struct strbuf err = STRBUF_INIT, dir = STRBUF_INIT;
	const char *data = getenv("MAMORI_DATA");
	int rc = -1;
	size_t len;
	char *buf;

	if (o->catalog)
		strbuf_addstr(&dir, o->catalog);
	else if (data && *data)
		strbuf_addf(&dir, "%s/iot-ssf", data);
	else
		strbuf_addstr(&dir, "data/iot-ssf");
	xcheck_oom(dir.err);
	enum mamori_err e = iot_catalog_load_dir(cat, dir.buf, &err);
	xcheck_oom(e);
	if (e) {
		fputs(err.buf, stderr);
		fprintf(stderr, "mamori: the IoT-SSF catalogue in %s is not usable\n",
			dir.buf);
		rc = EXIT_USAGE;
		goto out;
	}
	buf = cli_read_file(o->model, &len, YDOC_MAX_BYTES);
	if (!buf) {
		rc = cli_usage_error("%s: cannot read: %s", o->model,
				     strerror(errno));
		goto out;
	}
	e = iot_model_parse(m, !strcmp(o->model, "-") ? "<stdin>" : o->model,
			    buf, len, &err);
	free(buf);
	xcheck_oom(e);
	if (e) {
		fputs(err.buf, stderr);
		rc = EXIT_USAGE;
	}
out:
	strbuf_release(&dir);
	strbuf_release(&err);
	return rc;
}

static int iot_assess_cmd(int argc, char **argv)
{
	struct iot_opts o;
	struct iot_catalog cat;
	struct iot_model m;
	struct iot_assessment a;
	struct strbuf out = STRBUF_INIT;
	int rc = parse_opts(argc, argv, true, &o);

	if (rc >= 0)
		return rc;
	iot_catalog_init(&cat);
	iot_model_init(&m, &cat);
	rc = load(&o, &cat, &m);
	if (rc >= 0)
		goto out;
	xcheck_oom(iot_assess(&a, &m));
	xcheck_oom(iot_render(&a, o.format, o.lang, &out));
	rc = iot_assessment_exit(&a) ? EXIT_FINDINGS : EXIT_OK;
	iot_assessment_release(&a);
	FILE *f = o.output && strcmp(o.output, "-") ? fopen(o.output, "wb") : stdout;
	if (!f) {
		rc = cli_usage_error("%s: cannot write: %s", o.output,
				     strerror(errno));
		goto out;
	}
	if (fwrite(out.buf, 1, out.len, f) != out.len || fflush(f) != 0)
		rc = cli_usage_error("%s: write failed: %s",
				     o.output ? o.output : "stdout", strerror(errno));
	if (f != stdout && fclose(f) != 0)
		rc = cli_usage_error("%s: write failed: %s", o.output,
				     strerror(errno));
out:
	strbuf_release(&out);
	iot_model_release(&m);
	iot_catalog_release(&cat);
	return rc;
}

static int iot_check_cmd(int argc, char **argv)
{
	struct iot_opts o;
	struct iot_catalog cat;
	struct iot_model m;
	int rc = parse_opts(argc, argv, false, &o);

	if (rc >= 0)
		return rc;
	iot_catalog_init(&cat);
	iot_model_init(&m, &cat);
	rc = load(&o, &cat, &m);
	if (rc < 0) {
		printf("%s: ok (%zu stakeholders, %zu devices, %zu incidents, "
		       "%zu decisions)\n", o.model, m.nstakeholders, m.ndevices,
		       m.nincidents, m.ndecisions);
		rc = EXIT_OK;
	}
	iot_model_release(&m);
	iot_catalog_release(&cat);
	return rc;
}

static int iot_template_cmd(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		puts("usage: mamori iot template > MODEL.yaml");
		return EXIT_OK;
	}
	if (argc > 1)
		return cli_usage_error("iot template takes no arguments");
	fputs(iot_model_template, stdout);
	return EXIT_OK;
}

static const struct cli_cmd iot_cmds[] = {
	{ .name = "assess", .fn = iot_assess_cmd,
	  .summary = "place incidents on the IoT-SSF grid and report gaps" },
	{ .name = "check", .fn = iot_check_cmd,
	  .summary = "validate a system model" },
	{ .name = "template", .fn = iot_template_cmd,
	  .summary = "print a commented starting model" },
	{ .name = NULL },
};

int cmd_iot(int argc, char **argv)
{
	return cli_dispatch(iot_cmds, "mamori iot", argc - 1, argv + 1);
}
