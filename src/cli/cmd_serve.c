/*
 * cmd_serve.c - "mamori serve": run the web server (src/web) on the
 * database until SIGTERM or SIGINT. Listens on 127.0.0.1 unless told
 * otherwise; must never choose another interface by itself.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/cmd_store.h"
#include "web/web.h"
#include "util/banned.h"

int cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "listen", required_argument, NULL, 'l' },
		{ "secure-cookies", no_argument, NULL, 's' },
		{ "tls-cert", required_argument, NULL, 'c' },
		{ "tls-key", required_argument, NULL, 'k' },
		{ "routes", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct web_opts wo = { .listen = WEB_DEFAULT_LISTEN };
	struct strbuf err = STRBUF_INIT;
	const char *db = NULL;
	struct store *st;
	enum mamori_err e;
	int c, rc;

	while ((c = getopt_long(argc, argv, "d:l:sc:k:rh", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db = optarg;
			break;
		case 'l':
			wo.listen = optarg;
			break;
		case 's':
			wo.secure = true;
			break;
		case 'c':
			wo.tls_cert = optarg;
			break;
		case 'k':
			wo.tls_key = optarg;
			break;
		case 'r':
			web_print_routes(stdout);
			return EXIT_OK;
		case 'h':
			printf("usage: mamori serve [--db PATH] "
			       "[--listen ADDRESS:PORT] [--secure-cookies]\n"
			       "             [--tls-cert CERT.pem --tls-key "
			       "KEY.pem]\n"
			       "       mamori serve --routes\n\n"
			       "Runs the web server (default %s) until SIGTERM "
			       "or SIGINT.\n"
			       "--secure-cookies marks the session cookie Secure: "
			       "use it behind a TLS proxy.\n"
			       "--tls-cert/--tls-key serve HTTPS directly "
			       "(PEM files; cookies are then Secure).\n"
			       "--routes prints the route table: method, path, "
			       "the roles allowed, csrf when the route changes "
			       "state.\n", WEB_DEFAULT_LISTEN);
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return cli_usage_error("serve: unexpected argument '%s'",
				       argv[optind]);
	/* the database must exist and have the newest schema */
	if ((rc = store_cli_open(db, false, &st)))
		return rc;
	store_free(st);
	wo.db = store_cli_path(db);
	e = web_serve(&wo, &err);
	if (e) {
		fprintf(stderr, "mamori: %s\n", err.len ? err.buf
						       : mamori_strerror(e));
		strbuf_release(&err);
		return e == MAMORI_EINVAL ? EXIT_USAGE : EXIT_FINDINGS;
	}
	strbuf_release(&err);
	return EXIT_OK;
}
