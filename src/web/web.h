/*
 * web.h - the web server: respondents answer, regulators watch, over
 * HTTP on libmicrohttpd. Translates between people and the layers below
 * only; never holds survey logic of its own (the instrument engine
 * decides validity and skip logic, the store decides everything kept).
 */
#ifndef MAMORI_WEB_H
#define MAMORI_WEB_H

#include <stdbool.h>
#include <stdio.h>

#include "util/err.h"
#include "util/strbuf.h"

struct web_opts {
	const char *db;		/* the database file */
	const char *listen;	/* "127.0.0.1:8080", "[::1]:8080" */
	bool secure;		/* behind TLS: cookies get Secure */
	const char *tls_cert;	/* PEM files: serve HTTPS itself (both */
	const char *tls_key;	/* or neither); implies secure */
};

#define WEB_DEFAULT_LISTEN "127.0.0.1:8080"

/*
 * Serve until SIGTERM or SIGINT, then stop accepting, let the requests
 * in flight finish (at most 10 s) and return. The caller must not have
 * threads of its own. MAMORI_EINVAL for a bad listen address or only one
 * of tls_cert/tls_key, MAMORI_EIO for an unreadable or refused TLS file or
 * when the socket cannot be bound, store errors when the database cannot
 * be opened; the message is in err.
 */
enum mamori_err web_serve(const struct web_opts *o, struct strbuf *err);

/* The route table, one line per route: METHOD PATTERN ROLES... */
void web_print_routes(FILE *f);

#endif
