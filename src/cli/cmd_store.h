/*
 * cmd_store.h - what the store's commands share: finding and opening the
 * database, who is acting, and turning store errors into messages and
 * exit statuses. For every command that opens the database
 * (cmd_{init,org,campaign,db,audit,store,analysis,report,demo,export}.c).
 */
#ifndef MAMORI_CLI_CMD_STORE_H
#define MAMORI_CLI_CMD_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"
#include "util/strbuf.h"

#define STORE_CLI_DEFAULT_DB "./var/mamori.db"

/* --db, else $MAMORI_DB, else ./var/mamori.db. */
const char *store_cli_path(const char *opt);
/*
 * Open the database (create: make it, and its directory, and migrate).
 * $MAMORI_NOW (a time as store_time_parse reads it), when set, is the
 * store's clock: for replays and tests. Prints the problem and returns
 * the exit status on failure, EXIT_OK with *st set on success.
 */
int store_cli_open(const char *opt, bool create, struct store **st);
/* who = "cli:<login name>", from = "local"; buf holds who. */
void store_cli_actor(struct store_actor *a, char *buf, size_t len);
/* Prints err (or e's message) as "mamori: ..." lines; the exit status. */
int store_cli_fail(enum mamori_err e, const struct strbuf *err);
/* A campaign id argument; EXIT_USAGE (printed) when it is not one. */
int store_cli_campaign_id(const char *s, int64_t *id);

#endif
