/*
 * store_sqlite.c - the SQLite store: opening, the numbered migrations,
 * transactions, the audit writer, backup and integrity check. Must never
 * change a database it does not recognise or one newer than itself.
 */
#include "store/store_int.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sodium.h>

#include "instrument/instrument.h"
#include "util/banned.h"

/* 'mmri': marks a file as a mamori database (PRAGMA application_id). */
#define STORE_APPLICATION_ID 0x6d6d7269

/*
 * The migrations, in order: migrations[n - 1] takes a database from
 * user_version n - 1 to n. Never edit one that has shipped; add another.
 */
static const char *const migrations[STORE_SCHEMA_VERSION] = {
	/* 1: the first schema */
	"CREATE TABLE organisation ("
	" id TEXT PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" kind TEXT NOT NULL,"
	" pref_code TEXT NOT NULL,"
	" attrs TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(attrs)),"
	" created_at INTEGER NOT NULL,"
	" updated_at INTEGER NOT NULL"
	") WITHOUT ROWID;"
	"CREATE TABLE instrument ("
	" sha256 TEXT PRIMARY KEY,"
	" id TEXT NOT NULL,"
	" version TEXT NOT NULL,"
	" name TEXT NOT NULL,"
	" body BLOB NOT NULL,"
	" stored_at INTEGER NOT NULL"
	");"
	"CREATE TABLE campaign ("
	" id INTEGER PRIMARY KEY,"
	" title TEXT NOT NULL,"
	" instrument_sha256 TEXT NOT NULL REFERENCES instrument(sha256),"
	" target TEXT NOT NULL,"
	" opens INTEGER NOT NULL,"
	" closes INTEGER NOT NULL,"
	" created_at INTEGER NOT NULL,"
	" created_by TEXT NOT NULL"
	");"
	"CREATE TABLE campaign_member ("
	" campaign_id INTEGER NOT NULL REFERENCES campaign(id),"
	" org_id TEXT NOT NULL REFERENCES organisation(id),"
	" PRIMARY KEY (campaign_id, org_id)"
	") WITHOUT ROWID;"
	"CREATE TABLE response ("
	" campaign_id INTEGER NOT NULL,"
	" org_id TEXT NOT NULL,"
	" status TEXT NOT NULL CHECK (status IN ('draft','submitted','reopened')),"
	" revision INTEGER NOT NULL,"
	" submitted_revision INTEGER,"
	" updated_at INTEGER NOT NULL,"
	" PRIMARY KEY (campaign_id, org_id),"
	" FOREIGN KEY (campaign_id, org_id)"
	"  REFERENCES campaign_member(campaign_id, org_id)"
	") WITHOUT ROWID;"
	"CREATE TABLE response_revision ("
	" campaign_id INTEGER NOT NULL,"
	" org_id TEXT NOT NULL,"
	" revision INTEGER NOT NULL,"
	" kind TEXT NOT NULL CHECK (kind IN ('draft','submit','reopen')),"
	" valid INTEGER NOT NULL,"
	" body TEXT NOT NULL,"
	" normalised TEXT,"
	" who TEXT NOT NULL,"
	" from_addr TEXT NOT NULL,"
	" at INTEGER NOT NULL,"
	" PRIMARY KEY (campaign_id, org_id, revision),"
	" FOREIGN KEY (campaign_id, org_id)"
	"  REFERENCES campaign_member(campaign_id, org_id)"
	") WITHOUT ROWID;"
	"CREATE TABLE evidence ("
	" id INTEGER PRIMARY KEY,"
	" campaign_id INTEGER NOT NULL,"
	" org_id TEXT NOT NULL,"
	" kind TEXT NOT NULL,"
	" name TEXT NOT NULL,"
	" sha256 TEXT NOT NULL,"
	" summary TEXT NOT NULL DEFAULT '{}',"
	" body BLOB,"
	" who TEXT NOT NULL,"
	" from_addr TEXT NOT NULL,"
	" at INTEGER NOT NULL,"
	" FOREIGN KEY (campaign_id, org_id)"
	"  REFERENCES campaign_member(campaign_id, org_id)"
	");"
	"CREATE TABLE credential ("
	" id INTEGER PRIMARY KEY,"
	" kind TEXT NOT NULL CHECK (kind IN ('password','access_code')),"
	" subject TEXT NOT NULL,"
	" campaign_id INTEGER REFERENCES campaign(id),"
	" selector TEXT,"
	" hash TEXT NOT NULL,"
	" created_at INTEGER NOT NULL,"
	" revoked_at INTEGER"
	");"
	"CREATE INDEX credential_selector ON credential(selector)"
	" WHERE revoked_at IS NULL;"
	"CREATE INDEX credential_subject ON credential(campaign_id, subject);"
	"CREATE TABLE session ("
	" id TEXT PRIMARY KEY,"
	" credential_id INTEGER NOT NULL REFERENCES credential(id),"
	" created_at INTEGER NOT NULL,"
	" expires_at INTEGER NOT NULL,"
	" ended_at INTEGER"
	") WITHOUT ROWID;"
	"CREATE TABLE audit_event ("
	" id INTEGER PRIMARY KEY,"
	" at INTEGER NOT NULL,"
	" who TEXT NOT NULL,"
	" from_addr TEXT NOT NULL,"
	" action TEXT NOT NULL,"
	" object TEXT NOT NULL,"
	" detail TEXT NOT NULL DEFAULT '{}'"
	");",

	/* 2: answering windows (a campaign may open twice), the regulator's
	 * explicit open/close, and append-only enforced by the database. */
	"CREATE TABLE campaign_window ("
	" campaign_id INTEGER NOT NULL REFERENCES campaign(id),"
	" seq INTEGER NOT NULL,"
	" opens INTEGER NOT NULL,"
	" closes INTEGER NOT NULL CHECK (closes > opens),"
	" PRIMARY KEY (campaign_id, seq)"
	") WITHOUT ROWID;"
	"INSERT INTO campaign_window(campaign_id, seq, opens, closes)"
	" SELECT id, 1, opens, closes FROM campaign;"
	"ALTER TABLE campaign ADD COLUMN override TEXT"
	" CHECK (override IN ('open','closed'));"
	"ALTER TABLE campaign ADD COLUMN override_at INTEGER;"
	"CREATE INDEX organisation_kind ON organisation(kind, pref_code);"
	"CREATE INDEX audit_event_at ON audit_event(at);"
	"CREATE TRIGGER response_revision_no_update BEFORE UPDATE"
	" ON response_revision BEGIN"
	" SELECT RAISE(ABORT, 'response_revision is append-only'); END;"
	"CREATE TRIGGER response_revision_no_delete BEFORE DELETE"
	" ON response_revision BEGIN"
	" SELECT RAISE(ABORT, 'response_revision is append-only'); END;"
	"CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event"
	" BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END;"
	"CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event"
	" BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END;",

	/* 3: a staff account's role in its own column (it was kept in
	 * selector as "role:..."), sessions kept in the database with their
	 * CSRF token so a restart signs nobody out, a campaign's results
	 * published to its organisations, and evidence append-only. */
	"ALTER TABLE credential ADD COLUMN role TEXT"
	" CHECK (role IN ('regulator','admin'));"
	"UPDATE credential SET role = substr(selector, 6)"
	" WHERE kind = 'password' AND selector IN"
	" ('role:regulator','role:admin');"
	"ALTER TABLE session ADD COLUMN csrf TEXT;"
	"ALTER TABLE session ADD COLUMN from_addr TEXT;"
	"ALTER TABLE session ADD COLUMN last_seen INTEGER;"
	"CREATE INDEX session_credential ON session(credential_id);"
	"ALTER TABLE campaign ADD COLUMN published_at INTEGER;"
	"ALTER TABLE campaign ADD COLUMN published_by TEXT;"
	"CREATE TRIGGER evidence_no_update BEFORE UPDATE ON evidence"
	" BEGIN SELECT RAISE(ABORT, 'evidence is append-only'); END;"
	"CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence"
	" BEGIN SELECT RAISE(ABORT, 'evidence is append-only'); END;",

	/* 4: more than one response per organisation: a response and its
	 * revisions are numbered ("instance"; 0 is the organisation's one
	 * response, every existing row), for the reports of a repeatable
	 * campaign and the additional forms of a campaign with a second
	 * instrument; campaigns that are always open. SQLite cannot change
	 * a primary key, so both tables are rebuilt (the implicit delete of
	 * DROP TABLE fires no trigger) and the append-only triggers made
	 * again. */
	"ALTER TABLE campaign ADD COLUMN always_open INTEGER NOT NULL"
	" DEFAULT 0;"
	"ALTER TABLE campaign ADD COLUMN repeatable INTEGER NOT NULL"
	" DEFAULT 0;"
	"ALTER TABLE campaign ADD COLUMN form_sha256 TEXT"
	" REFERENCES instrument(sha256);"
	"CREATE TABLE response_v4 ("
	" campaign_id INTEGER NOT NULL,"
	" org_id TEXT NOT NULL,"
	" instance INTEGER NOT NULL DEFAULT 0 CHECK (instance >= 0),"
	" status TEXT NOT NULL CHECK (status IN ('draft','submitted','reopened')),"
	" revision INTEGER NOT NULL,"
	" submitted_revision INTEGER,"
	" updated_at INTEGER NOT NULL,"
	" PRIMARY KEY (campaign_id, org_id, instance),"
	" FOREIGN KEY (campaign_id, org_id)"
	"  REFERENCES campaign_member(campaign_id, org_id)"
	") WITHOUT ROWID;"
	"INSERT INTO response_v4(campaign_id, org_id, instance, status,"
	" revision, submitted_revision, updated_at)"
	" SELECT campaign_id, org_id, 0, status, revision, submitted_revision,"
	" updated_at FROM response;"
	"DROP TABLE response;"
	"ALTER TABLE response_v4 RENAME TO response;"
	"CREATE TABLE response_revision_v4 ("
	" campaign_id INTEGER NOT NULL,"
	" org_id TEXT NOT NULL,"
	" instance INTEGER NOT NULL DEFAULT 0 CHECK (instance >= 0),"
	" revision INTEGER NOT NULL,"
	" kind TEXT NOT NULL CHECK (kind IN ('draft','submit','reopen')),"
	" valid INTEGER NOT NULL,"
	" body TEXT NOT NULL,"
	" normalised TEXT,"
	" who TEXT NOT NULL,"
	" from_addr TEXT NOT NULL,"
	" at INTEGER NOT NULL,"
	" PRIMARY KEY (campaign_id, org_id, instance, revision),"
	" FOREIGN KEY (campaign_id, org_id)"
	"  REFERENCES campaign_member(campaign_id, org_id)"
	") WITHOUT ROWID;"
	"INSERT INTO response_revision_v4(campaign_id, org_id, instance,"
	" revision, kind, valid, body, normalised, who, from_addr, at)"
	" SELECT campaign_id, org_id, 0, revision, kind, valid, body,"
	" normalised, who, from_addr, at FROM response_revision;"
	"DROP TABLE response_revision;"
	"ALTER TABLE response_revision_v4 RENAME TO response_revision;"
	"CREATE TRIGGER response_revision_no_update BEFORE UPDATE"
	" ON response_revision BEGIN"
	" SELECT RAISE(ABORT, 'response_revision is append-only'); END;"
	"CREATE TRIGGER response_revision_no_delete BEFORE DELETE"
	" ON response_revision BEGIN"
	" SELECT RAISE(ABORT, 'response_revision is append-only'); END;",
};

void store_msg(struct strbuf *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	if (err->len)
		strbuf_addch(err, '\n');
	va_start(ap, fmt);
	strbuf_vaddf(err, fmt, ap);
	va_end(ap);
}

enum mamori_err store_db_err(struct store *st, struct strbuf *err,
			     const char *what)
{
	store_msg(err, "%s: %s", what, st->db ? sqlite3_errmsg(st->db)
					       : "no database");
	if (st->db && sqlite3_errcode(st->db) == SQLITE_NOMEM)
		return MAMORI_ENOMEM;
	return MAMORI_EDB;
}

sqlite3_stmt *store_stmt(struct store *st, enum stmt id, struct strbuf *err)
{
	sqlite3_stmt *s = st->stmt[id];

	if (!s) {
		if (sqlite3_prepare_v3(st->db, store_sql[id], -1,
				       SQLITE_PREPARE_PERSISTENT, &s,
				       NULL) != SQLITE_OK) {
			store_db_err(st, err, "preparing a statement");
			return NULL;
		}
		st->stmt[id] = s;
		return s;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

static enum mamori_err run_simple(struct store *st, enum stmt id,
				  struct strbuf *err, const char *what)
{
	sqlite3_stmt *s = store_stmt(st, id, err);
	int rc;

	if (!s)
		return MAMORI_EDB;
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_db_err(st, err, what);
	return MAMORI_OK;
}

enum mamori_err store_begin(struct store *st, struct strbuf *err)
{
	return run_simple(st, STMT_BEGIN, err, "starting a transaction");
}

enum mamori_err store_commit(struct store *st, struct strbuf *err)
{
	enum mamori_err e = run_simple(st, STMT_COMMIT, err, "committing");
	if (e)
		store_rollback(st);
	return e;
}

void store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		run_simple(st, STMT_ROLLBACK, NULL, "rolling back");
}

int store_bind_text(sqlite3_stmt *s, int i, const char *t)
{
	if (!t)
		return sqlite3_bind_null(s, i);
	return sqlite3_bind_text(s, i, t, -1, SQLITE_STATIC);
}

char *store_col_dup(sqlite3_stmt *s, int i, int *oom)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	size_t n;
	char *r;

	if (!t)
		return NULL;
	n = (size_t)sqlite3_column_bytes(s, i);
	r = malloc(n + 1);
	if (!r) {
		*oom = 1;
		return NULL;
	}
	memcpy(r, t, n);
	r[n] = '\0';
	return r;
}

enum mamori_err store_audit(struct store *st, const struct store_actor *who,
			    const char *action, const char *object,
			    const char *detail, struct strbuf *err)
{
	sqlite3_stmt *s = store_stmt(st, STMT_AUDIT_ADD, err);

	if (!s)
		return MAMORI_EDB;
	sqlite3_bind_int64(s, 1, store_now(st));
	store_bind_text(s, 2, who->who);
	store_bind_text(s, 3, who->from);
	store_bind_text(s, 4, action);
	store_bind_text(s, 5, object);
	store_bind_text(s, 6, detail ? detail : "{}");
	if (sqlite3_step(s) != SQLITE_DONE)
		return store_db_err(st, err, "writing the audit log");
	return MAMORI_OK;
}

void store_set_clock(struct store *st, int64_t now)
{
	st->clock = now;
}

int64_t store_now(const struct store *st)
{
	return st->clock ? st->clock : (int64_t)time(NULL);
}

int store_schema_version(struct store *st)
{
	return st->version;
}

static int pragma_int(struct store *st, const char *sql, int *out)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

static enum mamori_err exec(struct store *st, const char *sql,
			    struct strbuf *err, const char *what)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		store_msg(err, "%s: %s", what, msg ? msg : "error");
		sqlite3_free(msg);
		return MAMORI_EDB;
	}
	return MAMORI_OK;
}

/* One migration in one transaction, with user_version bumped inside it. */
static enum mamori_err migrate_one(struct store *st, int to,
				   struct strbuf *err)
{
	char set[64];
	enum mamori_err e;

	if ((e = exec(st, "BEGIN IMMEDIATE", err, "migrating")))
		return e;
	if ((e = exec(st, migrations[to - 1], err, "migrating")))
		goto fail;
	snprintf(set, sizeof(set), "PRAGMA user_version = %d", to);
	if ((e = exec(st, set, err, "migrating")))
		goto fail;
	if (to == 1) {
		snprintf(set, sizeof(set), "PRAGMA application_id = %d",
			 STORE_APPLICATION_ID);
		if ((e = exec(st, set, err, "migrating")))
			goto fail;
	}
	if ((e = exec(st, "COMMIT", err, "migrating")))
		goto fail;
	st->version = to;
	return MAMORI_OK;
fail:
	exec(st, "ROLLBACK", NULL, "rolling back");
	store_msg(err, "migration %d was not applied; the database is as it was",
		  to);
	return e;
}

/*
 * Once per process, before SQLite starts: no statistics of its memory
 * (SQLITE_CONFIG_MEMSTATUS), which mamori never reads and which cost a
 * global mutex on every allocation of every connection: on a server with
 * many threads the most contended lock of a save. A program that already
 * used SQLite keeps its configuration (SQLITE_MISUSE, ignored).
 */
static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;

static void sqlite_setup(void)
{
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

enum mamori_err store_open(const char *path, const struct store_open_opts *opts,
			   struct store **out, struct strbuf *err)
{
	struct store_open_opts none = { 0 };
	struct store *st;
	enum mamori_err e;
	int version = 0, appid = 0, upto, flags;
	struct stat sb;

	if (!opts)
		opts = &none;
	upto = opts->upto_version > 0 ? opts->upto_version
				      : STORE_SCHEMA_VERSION;
	if (upto > STORE_SCHEMA_VERSION)
		return MAMORI_EINVAL;
	if (!opts->create && stat(path, &sb) != 0) {
		store_msg(err, "%s: %s (create it with 'mamori init')", path,
			  strerror(errno));
		return MAMORI_ENOENT;
	}
	if (sodium_init() < 0) {
		store_msg(err, "libsodium could not be initialised");
		return MAMORI_EIO;
	}
	pthread_once(&sqlite_once, sqlite_setup);
	st = calloc(1, sizeof(*st));
	if (!st)
		return MAMORI_ENOMEM;
	st->path = strdup(path);
	if (!st->path) {
		free(st);
		return MAMORI_ENOMEM;
	}
	flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
		(opts->create ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
		e = store_db_err(st, err, path);
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, 10000);
	/* Read before anything writes: a newer or foreign file stays as is. */
	if (pragma_int(st, "PRAGMA user_version", &version) ||
	    pragma_int(st, "PRAGMA application_id", &appid)) {
		e = store_db_err(st, err, path);
		goto fail;
	}
	if (version > STORE_SCHEMA_VERSION) {
		store_msg(err,
			  "%s: the database has schema version %d, written by a "
			  "newer mamori (this one knows up to %d); it was not "
			  "changed. Use a newer mamori.",
			  path, version, STORE_SCHEMA_VERSION);
		e = MAMORI_EVERSION;
		goto fail;
	}
	if (appid != 0 && appid != STORE_APPLICATION_ID) {
		store_msg(err, "%s: not a mamori database (application id %d)",
			  path, appid);
		e = MAMORI_ESCHEMA;
		goto fail;
	}
	if (version == 0 && appid == 0) {
		int ntables = 0;
		if (pragma_int(st, "SELECT count(*) FROM sqlite_schema",
			       &ntables) == 0 && ntables > 0) {
			store_msg(err, "%s: not a mamori database", path);
			e = MAMORI_ESCHEMA;
			goto fail;
		}
	}
	if (version < upto && !opts->create) {
		store_msg(err,
			  "%s: the database has schema version %d, this mamori "
			  "needs %d: run 'mamori init' to upgrade it",
			  path, version, STORE_SCHEMA_VERSION);
		e = MAMORI_ESCHEMA;
		goto fail;
	}
	/*
	 * A new file gets 8 KiB pages: a stored revision (its answers and
	 * their normalised form, a few KiB) then fits in its page instead of
	 * spilling to overflow pages, which halves the file and the reads
	 * of a whole campaign (docs/store.md). Only an empty file takes it;
	 * an existing database keeps its own (VACUUM can change it).
	 */
	if (opts->create && version == 0 && appid == 0 &&
	    (e = exec(st, "PRAGMA page_size = 8192;", err, path)))
		goto fail;
	/*
	 * WAL with synchronous=FULL: every commit syncs the log, so a
	 * transaction reported committed survives a crash or power loss.
	 */
	if ((e = exec(st, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
			  " PRAGMA foreign_keys = ON;", err, path)))
		goto fail;
	if (opts->no_checkpoint &&
	    (e = exec(st, "PRAGMA wal_autocheckpoint = 0;", err, path)))
		goto fail;
	st->version = version;
	while (st->version < upto)
		if ((e = migrate_one(st, st->version + 1, err)))
			goto fail;
	*out = st;
	return MAMORI_OK;
fail:
	store_free(st);
	return e;
}

void store_free(struct store *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < STMT__MAX; i++)
		sqlite3_finalize(st->stmt[i]);
	for (size_t i = 0; i < st->ncache; i++) {
		validator_free(st->cache[i].v);
		instrument_free(st->cache[i].ins);
	}
	sqlite3_close(st->db);
	free(st->path);
	free(st);
}

enum mamori_err store_audit_list(struct store *st, int64_t since,
				 int (*fn)(void *ud,
					   const struct store_audit_event *e),
				 void *ud, struct strbuf *err)
{
	sqlite3_stmt *s = store_stmt(st, STMT_AUDIT_LIST, err);
	int rc;

	if (!s)
		return MAMORI_EDB;
	sqlite3_bind_int64(s, 1, since);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_audit_event ev = {
			.id = sqlite3_column_int64(s, 0),
			.at = sqlite3_column_int64(s, 1),
			.who = (const char *)sqlite3_column_text(s, 2),
			.from = (const char *)sqlite3_column_text(s, 3),
			.action = (const char *)sqlite3_column_text(s, 4),
			.object = (const char *)sqlite3_column_text(s, 5),
			.detail = (const char *)sqlite3_column_text(s, 6),
		};
		if (fn(ud, &ev))
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_err(st, err, "reading the audit log");
	sqlite3_reset(s);
	return MAMORI_OK;
}

enum mamori_err store_backup(struct store *st, const struct store_actor *who,
			     const char *path, struct strbuf *err)
{
	sqlite3 *dst = NULL;
	sqlite3_backup *b;
	enum mamori_err e = MAMORI_OK;
	int rc;

	if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE |
			    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		store_msg(err, "%s: %s", path,
			  dst ? sqlite3_errmsg(dst) : "cannot open");
		sqlite3_close(dst);
		return MAMORI_EIO;
	}
	b = sqlite3_backup_init(dst, "main", st->db, "main");
	if (!b) {
		store_msg(err, "%s: %s", path, sqlite3_errmsg(dst));
		sqlite3_close(dst);
		return MAMORI_EDB;
	}
	/* Copy in steps so writers are not held up for the whole copy. */
	do {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(10);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		store_msg(err, "%s: backup failed: %s", path,
			  sqlite3_errstr(rc));
		e = MAMORI_EDB;
	}
	sqlite3_close(dst);
	if (!e && !(e = store_begin(st, err))) {
		if ((e = store_audit(st, who, "db.backup", path, "{}", err)))
			store_rollback(st);
		else
			e = store_commit(st, err);
	}
	return e;
}

enum mamori_err store_check(struct store *st, struct strbuf *report)
{
	static const char *const checks[] = {
		"PRAGMA integrity_check",
		"PRAGMA foreign_key_check",
	};
	enum mamori_err e = MAMORI_OK;
	size_t problems = 0;

	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		sqlite3_stmt *s;
		int rc;
		if (sqlite3_prepare_v2(st->db, checks[i], -1, &s, NULL) !=
		    SQLITE_OK)
			return store_db_err(st, report, checks[i]);
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			const char *t = (const char *)sqlite3_column_text(s, 0);
			if (i == 0 && t && !strcmp(t, "ok"))
				continue;
			problems++;
			if (i == 0)
				store_msg(report, "%s", t ? t : "?");
			else
				store_msg(report,
					  "foreign key: table %s row %lld has "
					  "no parent in %s",
					  t ? t : "?",
					  (long long)sqlite3_column_int64(s, 1),
					  (const char *)sqlite3_column_text(s,
									    2));
		}
		if (rc != SQLITE_DONE)
			e = store_db_err(st, report, checks[i]);
		sqlite3_finalize(s);
	}
	if (problems)
		e = MAMORI_EDB;
	else if (!e)
		store_msg(report, "ok");
	return e;
}

/* ---- times ---------------------------------------------------------- */

#define JST_OFFSET (9 * 3600)

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

enum mamori_err store_time_parse(const char *s, bool end_of_day, int64_t *out)
{
	int y, mo, d, h = 0, mi = 0, se = 0, off = JST_OFFSET;
	bool has_time = false;
	size_t n = strlen(s);
	struct tm tm = { 0 };
	time_t t;

	if (n < 10 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
	    s[7] != '-' || digits(s + 8, 2, &d))
		return MAMORI_EPARSE;
	s += 10;
	if (*s == 'T' || *s == ' ') {
		if (strlen(s) < 6 || digits(s + 1, 2, &h) || s[3] != ':' ||
		    digits(s + 4, 2, &mi))
			return MAMORI_EPARSE;
		s += 6;
		if (*s == ':') {
			if (digits(s + 1, 2, &se))
				return MAMORI_EPARSE;
			s += 3;
		}
		has_time = true;
	}
	if (*s == 'Z') {
		off = 0;
		s++;
	} else if (*s == '+' || *s == '-') {
		int oh, om;
		if (strlen(s) < 6 || digits(s + 1, 2, &oh) || s[3] != ':' ||
		    digits(s + 4, 2, &om) || oh > 14 || om > 59)
			return MAMORI_EPARSE;
		off = (oh * 3600 + om * 60) * (*s == '-' ? -1 : 1);
		s += 6;
	}
	if (*s || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    se > 60)
		return MAMORI_EPARSE;
	if (!has_time && end_of_day) {
		h = 23;
		mi = 59;
		se = 59;
	}
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	t = timegm(&tm);
	if (tm.tm_mday != d)	/* 2022-02-30 */
		return MAMORI_EPARSE;
	*out = (int64_t)t - off;
	return MAMORI_OK;
}

const char *store_time_format(int64_t t, char *buf, size_t len)
{
	time_t local = (time_t)(t + JST_OFFSET);
	struct tm tm;

	if (!gmtime_r(&local, &tm) ||
	    !strftime(buf, len, "%Y-%m-%dT%H:%M:%S+09:00", &tm))
		snprintf(buf, len, "@%lld", (long long)t);
	return buf;
}
