/*
 * cmd_firmware.c - "mamori firmware check" and "mamori firmware
 * update-catalog". Must never hold matching logic (evidence/kev.c).
 */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "evidence/firmware.h"
#include "evidence/kev.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const char check_usage[] =
"usage: mamori firmware check [--catalog FILE] [--json]\n"
"         (--vendor MAKER --product MODEL --version VERSION | --file FILE)\n"
"  --file FILE   CSV lines maker,model,version[,count] (a header line is\n"
"                allowed), or a survey response (JSON) whose q11_vpn_devices\n"
"                rows hold maker, model, units, firmware; '-' = stdin\n"
"  --catalog     the vulnerability catalogue (default: data/vpn-kev.yaml)\n"
"exit: 0 every device not affected, 1 a device affected or cannot tell,\n"
"      2 bad usage or unreadable input\n";

static const char update_usage[] =
"usage: mamori firmware update-catalog [--catalog BASE] [-o OUT] KEV.json [CVE.json...]\n"
"  Refreshes the catalogue offline: dates and ransomware use from CISA's KEV\n"
"  JSON, version ranges from CVE JSON 5 records. Products come from BASE\n"
"  (default: data/vpn-kev.yaml); the new YAML goes to OUT or stdout.\n";

static const char *catalog_path(const char *opt)
{
	return opt ? opt : kev_default_path();
}

static int load_catalog(struct kev_catalog *c, const char *path)
{
	struct strbuf err = STRBUF_INIT;
	kev_init(c);
	enum mamori_err e = kev_load(c, path, &err);
	if (e) {
		xcheck_oom(e);
		fprintf(stderr, "mamori: %s", err.buf);
		strbuf_release(&err);
		kev_release(c);
		return EXIT_USAGE;
	}
	strbuf_release(&err);
	return EXIT_OK;
}

static int firmware_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "vendor", required_argument, NULL, 'V' },
		{ "product", required_argument, NULL, 'P' },
		{ "version", required_argument, NULL, 'v' },
		{ "file", required_argument, NULL, 'f' },
		{ "catalog", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *vendor = NULL, *product = NULL, *version = NULL;
	const char *file = NULL, *cat = NULL;
	bool json = false;
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'V': vendor = optarg; break;
		case 'P': product = optarg; break;
		case 'v': version = optarg; break;
		case 'f': file = optarg; break;
		case 'c': cat = optarg; break;
		case 'j': json = true; break;
		case 'h': fputs(check_usage, stdout); return EXIT_OK;
		default: fputs(check_usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind < argc || (!file && !product && !vendor) ||
	    (file && (vendor || product || version))) {
		fputs(check_usage, stderr);
		return EXIT_USAGE;
	}
	struct kev_catalog kc;
	if ((rc = load_catalog(&kc, catalog_path(cat))))
		return rc;
	struct fw_devices devs;
	fw_devices_init(&devs);
	if (file) {
		size_t len;
		char *buf = cli_read_file(file, &len, 16u << 20);
		struct strbuf err = STRBUF_INIT;
		if (!buf) {
			rc = cli_usage_error("%s: %s", file, strerror(errno));
			goto out;
		}
		enum mamori_err e = fw_devices_parse(&devs, file, buf, len, &err);
		free(buf);
		xcheck_oom(e);
		if (e) {
			fprintf(stderr, "mamori: %s", err.buf);
			strbuf_release(&err);
			rc = EXIT_USAGE;
			goto out;
		}
		strbuf_release(&err);
	} else {
		xcheck_oom(fw_devices_add(&devs, vendor ? vendor : "",
					  product ? product : "", version, 1, 0));
	}
	size_t counts[FW__MAX];
	json_t *res = fw_check_all(&kc, &devs, counts);
	if (json) {
		json_dumpf(res, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
	} else {
		fw_write_text(res, stdout);
	}
	json_decref(res);
	rc = counts[FW_AFFECTED] || counts[FW_UNKNOWN] ? EXIT_FINDINGS : EXIT_OK;
	if (fflush(stdout))
		rc = EXIT_USAGE;
out:
	fw_devices_release(&devs);
	kev_release(&kc);
	return rc;
}

static json_t *load_json(const char *path)
{
	json_error_t je;
	json_t *j = json_load_file(path, 0, &je);
	if (!j)
		fprintf(stderr, "mamori: %s:%d:%d: %s\n", path, je.line,
			je.column, je.text);
	return j;
}

static int firmware_update(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "catalog", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cat = NULL, *outp = NULL;
	int c, rc = EXIT_USAGE;

	while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		switch (c) {
		case 'c': cat = optarg; break;
		case 'o': outp = optarg; break;
		case 'h': fputs(update_usage, stdout); return EXIT_OK;
		default: fputs(update_usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fputs(update_usage, stderr);
		return EXIT_USAGE;
	}
	struct kev_catalog kc;
	if ((rc = load_catalog(&kc, catalog_path(cat))))
		return rc;
	size_t nrec = (size_t)(argc - optind - 1);
	json_t *kev = load_json(argv[optind]);
	json_t **recs = xcalloc(nrec ? nrec : 1, sizeof(*recs));
	struct strbuf notes = STRBUF_INIT;
	rc = EXIT_USAGE;
	if (!kev)
		goto out;
	for (size_t i = 0; i < nrec; i++)
		if (!(recs[i] = load_json(argv[optind + 1 + i])))
			goto out;
	enum mamori_err e = kev_update(&kc, kev, recs, nrec, &notes);
	xcheck_oom(e);
	fputs(notes.buf, stderr);
	if (e)
		goto out;
	FILE *f = outp ? fopen(outp, "w") : stdout;
	if (!f) {
		cli_usage_error("%s: %s", outp, strerror(errno));
		goto out;
	}
	kev_write_yaml(&kc, f);
	rc = (outp ? fclose(f) : fflush(f)) ? EXIT_USAGE : EXIT_OK;
	if (rc)
		cli_usage_error("%s: write failed", outp ? outp : "stdout");
out:
	for (size_t i = 0; i < nrec; i++)
		json_decref(recs[i]);
	free(recs);
	json_decref(kev);
	strbuf_release(&notes);
	kev_release(&kc);
	return rc;
}

static const struct cli_cmd firmware_cmds[] = {
	{ .name = "check", .fn = firmware_check,
	  .summary = "check devices against known-exploited vulnerabilities" },
	{ .name = "update-catalog", .fn = firmware_update,
	  .summary = "refresh the catalogue from KEV and CVE JSON files" },
	{ .name = NULL },
};

int cmd_firmware(int argc, char **argv)
{
	return cli_dispatch(firmware_cmds, "mamori firmware", argc - 1, argv + 1);
}
