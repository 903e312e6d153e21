/*
 * cli.h - the command line's shared pieces: the dispatch table type and
 * the entry point of every noun. Each noun lives in its own cmd_<noun>.c
 * and owns its verbs' table.
 *
 * Exit status, everywhere: 0 ok; 1 findings or validation failure;
 * 2 usage error or unreadable input.
 */
#ifndef MAMORI_CLI_H
#define MAMORI_CLI_H

#include <stdio.h>

enum { EXIT_OK = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2 };

struct cli_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);	/* argv[0] is the name */
	const char *summary;			/* one line, for --help */
};

/*
 * Runs the entry of table named by argv[0]; prints the table as help for
 * "--help", "-h", "help" or no argument. prog is "mamori instrument" etc.
 * A table ends with an entry whose name is NULL.
 */
int cli_dispatch(const struct cli_cmd *table, const char *prog, int argc,
		 char **argv);
void cli_print_table(FILE *f, const struct cli_cmd *table, const char *prog);

/* Prints "mamori: " + message + newline to stderr; returns EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Reads a whole file ("-" = stdin) into a malloc'd buffer (NUL-added). */
char *cli_read_file(const char *path, size_t *len, size_t max);

/* The nouns (main.c's table). */
int cmd_instrument(int argc, char **argv);
int cmd_response(int argc, char **argv);
int cmd_fill(int argc, char **argv);
int cmd_vpnlog(int argc, char **argv);
int cmd_firmware(int argc, char **argv);
int cmd_evidence(int argc, char **argv);
int cmd_iot(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_org(int argc, char **argv);
int cmd_campaign(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_analysis(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_user(int argc, char **argv);

/*
 * The storage verbs of "mamori response" (save, submit, show, history,
 * export) live with the store's commands (cmd_store.c). Returns -1 when
 * argv[0] is not one of them, else the exit status.
 */
int cmd_response_store(int argc, char **argv);

#endif
