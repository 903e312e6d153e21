/*
 * cmd_user.c - "mamori user add": the people who sign in to the web with
 * a password (regulators, administrators). The password is read from
 * stdin (twice, without echo, on a terminal); never from the command
 * line, where other users could see it.
 */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmd_store.h"
#include "store/user.h"
#include "util/banned.h"

/* One line of stdin into buf (without its newline); -1 at EOF or when
 * longer than the buffer. */
static int read_line(char *buf, size_t len, size_t *n)
{
	size_t i = 0;
	int c;

	while ((c = getchar()) != EOF && c != '\n') {
		if (i + 1 >= len)
			return -1;
		buf[i++] = (char)c;
	}
	if (c == EOF && i == 0)
		return -1;
	if (i && buf[i - 1] == '\r')
		i--;
	buf[i] = '\0';
	*n = i;
	return 0;
}

static int read_password(char *buf, size_t len, size_t *n)
{
	struct termios old, quiet;
	char again[USER_PASSWORD_MAX + 2];
	size_t n2 = 0;
	int tty = isatty(STDIN_FILENO), rc;

	if (!tty)
		return read_line(buf, len, n);
	tcgetattr(STDIN_FILENO, &old);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	fputs("password: ", stderr);
	rc = read_line(buf, len, n);
	fputs("\nagain: ", stderr);
	if (!rc)
		rc = read_line(again, sizeof(again), &n2);
	fputc('\n', stderr);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	if (!rc && (n2 != *n || sodium_memcmp(again, buf, *n) != 0)) {
		fputs("mamori: the two passwords differ\n", stderr);
		rc = -2;
	}
	sodium_memzero(again, sizeof(again));
	return rc;
}

static int add(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "role", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char pw[USER_PASSWORD_MAX + 2];
	struct strbuf err = STRBUF_INIT;
	struct store_actor who;
	char whobuf[128];
	const char *db = NULL;
	struct store *st;
	size_t n = 0;
	int c, rc, role = -1;
	enum mamori_err e;

	while ((c = getopt_long(argc, argv, "d:r:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db = optarg;
			break;
		case 'r':
			role = user_role_parse(optarg);
			if (role < 0)
				return cli_usage_error("--role is regulator or "
						       "admin, not '%s'", optarg);
			break;
		case 'h':
			printf("usage: mamori user add NAME --role "
			       "regulator|admin [--db PATH]\n\n"
			       "Adds a user who signs in to the web with a "
			       "password, or gives an existing one a new\n"
			       "password and role. The password (%d to %d "
			       "bytes) is read from stdin: one line, or\n"
			       "typed twice on a terminal.\n",
			       USER_PASSWORD_MIN, USER_PASSWORD_MAX);
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("usage: mamori user add NAME --role "
				       "regulator|admin");
	if (role < 0)
		return cli_usage_error("user add: give --role regulator or "
				       "--role admin");
	if (!user_name_valid(argv[optind], strlen(argv[optind])))
		return cli_usage_error("user add: a name is 1 to %d letters, "
				       "digits, '.', '_' or '-', starting "
				       "with a letter", USER_NAME_MAX);
	if (sodium_init() < 0)
		return cli_usage_error("libsodium could not start");
	rc = read_password(pw, sizeof(pw), &n);
	if (rc) {
		sodium_memzero(pw, sizeof(pw));
		return rc == -2 ? EXIT_USAGE
				: cli_usage_error("user add: no password on "
						  "stdin (or longer than %d "
						  "bytes)", USER_PASSWORD_MAX);
	}
	if ((rc = store_cli_open(db, false, &st))) {
		sodium_memzero(pw, sizeof(pw));
		return rc;
	}
	store_cli_actor(&who, whobuf, sizeof(whobuf));
	e = store_user_add(st, &who, argv[optind], (enum user_role)role, pw,
			   n, &err);
	sodium_memzero(pw, sizeof(pw));
	if (e)
		rc = store_cli_fail(e, &err);
	else
		printf("user %s: %s\n", argv[optind],
		       user_role_name((enum user_role)role));
	strbuf_release(&err);
	store_free(st);
	return rc;
}

int cmd_user(int argc, char **argv)
{
	static const struct cli_cmd verbs[] = {
		{ .name = "add", .fn = add,
		  .summary = "add a regulator or administrator (password "
			     "on stdin)" },
		{ .name = NULL },
	};
	return cli_dispatch(verbs, "mamori user", argc - 1, argv + 1);
}
