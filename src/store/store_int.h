/*
 * store_int.h - what the SQLite implementation's files share: the handle,
 * the prepared-statement table, transactions and the audit writer.
 * Never included outside src/store/.
 */
#ifndef MAMORI_STORE_INT_H
#define MAMORI_STORE_INT_H

#include <jansson.h>
#include <sqlite3.h>

#include "store/store.h"

struct instrument;
struct validator;

/* Every statement the implementation runs; the SQL is in store_sql.c. */
enum stmt {
	STMT_BEGIN,
	STMT_BEGIN_READ,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_AUDIT_ADD,
	STMT_AUDIT_LIST,
	STMT_ORG_GET,
	STMT_ORG_INSERT,
	STMT_ORG_UPDATE,
	STMT_ORG_LIST,
	STMT_INSTRUMENT_PUT,
	STMT_INSTRUMENT_GET,
	STMT_CAMPAIGN_INSERT,
	STMT_MEMBER_COUNT,
	STMT_CAMPAIGN_GET_LIGHT,
	STMT_CAMPAIGN_LIST,
	STMT_CAMPAIGN_SET_OVERRIDE,
	STMT_CAMPAIGN_SET_CLOSES,
	STMT_WINDOW_INSERT,
	STMT_WINDOW_LIST,
	STMT_WINDOW_SET_CLOSES,
	STMT_MEMBER_INSERT,
	STMT_MEMBER_IS,
	STMT_MEMBER_LIST,
	STMT_CODE_REVOKE,
	STMT_CODE_INSERT,
	STMT_CODE_FIND,
	STMT_RESPONSE_GET,
	STMT_RESPONSE_PUT,
	STMT_REVISION_INSERT,
	STMT_REVISION_GET,
	STMT_REVISION_LATEST,
	STMT_REVISION_LIST,
	STMT_EXPORT_ROWS,
	STMT_STATUS_BY_PREF,
	STMT_CAMPAIGN_PUBLISHED,
	STMT_CAMPAIGN_SET_PUBLISHED,
	/* sessions, staff accounts, one organisation's code, audit pages */
	STMT_SESSION_INSERT,
	STMT_SESSION_FIND,
	STMT_SESSION_TOUCH,
	STMT_SESSION_END,
	STMT_SESSION_END_USER,
	STMT_SESSION_END_CODE,
	STMT_USER_REVOKE,
	STMT_USER_INSERT,
	STMT_USER_FIND,
	STMT_USER_LIST,
	STMT_CODE_REVOKE_ORG,
	STMT_AUDIT_PAGE,
	/* schema 4: numbered responses, campaign flags, form instruments */
	STMT_CAMPAIGN_FLAGS_SET,
	STMT_CAMPAIGN_FLAGS_GET,
	STMT_FORM_INSTRUMENT_GET,
	STMT_FORM_NEXT,
	STMT_FORM_LIST,
	STMT_STATUS_REPORTS,
	STMT_FORMS_MISSING,
	STMT_EVIDENCE_LIST,
	STMT__MAX
};

struct ins_cache {
	char sha256[65];
	struct instrument *ins;		/* owned */
	struct validator *v;		/* owned */
};

#define STORE_INS_CACHE 4

/*
 * A campaign's population, counted once per connection: its members are
 * written with the campaign, in the transaction that creates it, and
 * never change (store_campaign_create), so the count holds for as long
 * as the campaign of that id and creation time exists. Counting the
 * members of a national campaign (8,000) took 0.2 ms, on every save.
 */
struct pop_cache {
	int64_t campaign, created_at;
	size_t population;
};

#define STORE_POP_CACHE 8

struct store {
	sqlite3 *db;			/* owned */
	char *path;			/* owned */
	int64_t clock;			/* 0: the system clock */
	int version;
	sqlite3_stmt *stmt[STMT__MAX];	/* owned, prepared on first use */
	struct ins_cache cache[STORE_INS_CACHE];
	size_t ncache;
	struct pop_cache pop[STORE_POP_CACHE];
	size_t npop;			/* entries used; the next one replaced */
};

extern const char *const store_sql[STMT__MAX];

/* The statement, prepared, reset and with bindings cleared; NULL on error
 * (message appended to err). */
sqlite3_stmt *store_stmt(struct store *st, enum stmt id, struct strbuf *err);
/* Appends "what: <sqlite message>" to err; returns MAMORI_EDB. */
enum mamori_err store_db_err(struct store *st, struct strbuf *err,
			     const char *what);
/* Appends a line to err (with a newline before when err is not empty). */
void store_msg(struct strbuf *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK (rollback never fails loudly). */
enum mamori_err store_begin(struct store *st, struct strbuf *err);
enum mamori_err store_commit(struct store *st, struct strbuf *err);
void store_rollback(struct store *st);

/* Append an audit event inside the current transaction. detail: JSON. */
enum mamori_err store_audit(struct store *st, const struct store_actor *who,
			    const char *action, const char *object,
			    const char *detail, struct strbuf *err);

/* Bind text (NULL binds NULL). */
int store_bind_text(sqlite3_stmt *s, int i, const char *t);
/* A malloc'd copy of column i's text, or NULL when NULL. *oom is set
 * when the copy failed. */
char *store_col_dup(sqlite3_stmt *s, int i, int *oom);

/*
 * The organisation as target expressions and validation see it: its
 * attributes plus id, name, kind, prefecture (code), prefecture_name,
 * region, from columns first .. first + 4 of s (id, name, kind,
 * pref_code, attrs). The caller owns the result (json_decref).
 */
json_t *store_org_json(sqlite3_stmt *s, int first);

/*
 * campaign.c: a new access code into code (STORE_CODE_LEN + 1 bytes),
 * its selector (STORE_CODE_SELECTOR + 1) and its argon2id hash
 * (crypto_pwhash_STRBYTES), as store_campaign_invite() makes them.
 * -1 when hashing failed (out of memory).
 */
#define STORE_CODE_SELECTOR 4
int store_code_new(char *code, char *selector, char *hash);


/* The campaign's cached instrument and a validator for it. */
enum mamori_err store_campaign_validator(struct store *st, int64_t id,
					 const struct instrument **ins,
					 struct validator **v,
					 struct strbuf *err);
/* The same for the campaign's form instrument (schema 4); MAMORI_ENOENT
 * when it has none. */
enum mamori_err store_campaign_form_validator(struct store *st, int64_t id,
					      const struct instrument **ins,
					      struct validator **v,
					      struct strbuf *err);

#endif
