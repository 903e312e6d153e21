/*
 * cli.c - dispatch and small helpers shared by every command.
 */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/xalloc.h"
#include "util/banned.h"

void cli_print_table(FILE *f, const struct cli_cmd *table, const char *prog)
{
	fprintf(f, "usage: %s <command> [options]\n\ncommands:\n", prog);
	for (const struct cli_cmd *c = table; c->name; c++)
		fprintf(f, "  %-12s %s\n", c->name, c->summary);
	fprintf(f, "\nRun '%s <command> --help' for a command's options.\n",
		prog);
}

int cli_dispatch(const struct cli_cmd *table, const char *prog, int argc,
		 char **argv)
{
	if (argc < 1 || !strcmp(argv[0], "--help") || !strcmp(argv[0], "-h") ||
	    !strcmp(argv[0], "help")) {
		cli_print_table(argc < 1 ? stderr : stdout, table, prog);
		return argc < 1 ? EXIT_USAGE : EXIT_OK;
	}
	for (const struct cli_cmd *c = table; c->name; c++) {
		if (!strcmp(c->name, argv[0])) {
			optind = 0;	/* glibc: full re-initialisation */
			return c->fn(argc, argv);
		}
	}
	fprintf(stderr, "%s: unknown command '%s'\n", prog, argv[0]);
	cli_print_table(stderr, table, prog);
	return EXIT_USAGE;
}

int cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("mamori: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_USAGE;
}

char *cli_read_file(const char *path, size_t *len, size_t max)
{
	struct strbuf sb;
	enum mamori_err e;

	strbuf_init(&sb, max);
	e = strbuf_read_file(&sb, path, NULL);
	xcheck_oom(e);
	if (e) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, len);
}
