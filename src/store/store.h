/*
 * store.h - mamori's storage: organisations, campaigns, access codes,
 * responses with every revision, the audit log. One interface, whatever
 * the database behind it (SQLite now, one file in WAL mode; PostgreSQL
 * later): callers never see SQL, a handle or a row of the database.
 *
 * Rules every implementation keeps:
 * - All SQL lives in the implementation, as prepared statements with
 *   bound parameters; nothing a caller passes is ever spliced into SQL.
 * - Nothing is overwritten or deleted: every save of a response is a new
 *   revision, every change an audit event (who, what, when, from where).
 * - A call that changes data either commits all of it or none of it, and
 *   returns MAMORI_OK only after the commit is durable.
 * - One struct store is one connection: use it from one thread at a time
 *   (open one per thread; several processes may share one database).
 *
 * Errors: every function returns enum mamori_err and appends a message
 * for people (one line per problem, no trailing newline on the last) to
 * the caller's err, which may be NULL. The codes a caller can act on:
 *   MAMORI_ENOENT    no such organisation, campaign, response, revision
 *   MAMORI_ECONFLICT a save based on a revision that is no longer current
 *   MAMORI_ECLOSED   the campaign is not open (message has the close time)
 *   MAMORI_EINVALID  a submission that does not pass the instrument's
 *                    validation, or an import with bad rows (all listed)
 *   MAMORI_EVERSION  the database was written by a newer mamori; it is
 *                    left untouched
 *   MAMORI_ESCHEMA   the database needs "mamori init" (older schema)
 *   MAMORI_EDB       the database reported an error (message has it)
 *
 * Ownership: strings in the structs handed out (struct store_campaign,
 * struct store_revision ...) are owned by the struct and freed by its
 * *_release(); strings handed to callbacks are valid only during the
 * call. Times are Unix seconds (UTC).
 */
#ifndef MAMORI_STORE_H
#define MAMORI_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/err.h"
#include "util/slice.h"
#include "util/strbuf.h"

struct store;
struct instrument;

/* The newest schema this mamori knows (PRAGMA user_version). */
#define STORE_SCHEMA_VERSION 4

/* ---- opening --------------------------------------------------------- */

struct store_open_opts {
	bool create;		/* create the file, migrate to the newest */
	int upto_version;	/* create: stop at this schema (0 = newest) */
	/* never checkpoint the log on commit (PRAGMA wal_autocheckpoint
	 * = 0): for the connections of a server whose group commit
	 * checkpoints in the background (store/commit.h) */
	bool no_checkpoint;
};

/*
 * Open the database at path (created with opts->create, together with
 * its directory's absence being an error). Without create, a database
 * whose schema is older than STORE_SCHEMA_VERSION is refused with
 * MAMORI_ESCHEMA ("run mamori init"); newer is always refused with
 * MAMORI_EVERSION and never changed. On success *out is a new handle the
 * caller frees with store_free().
 */
enum mamori_err store_open(const char *path, const struct store_open_opts *opts,
			   struct store **out, struct strbuf *err);
void store_free(struct store *st);

/* The schema version of the open database. */
int store_schema_version(struct store *st);

/*
 * The clock the store uses for "now" (campaign state, revision times).
 * now = 0 restores the system clock. For replays and tests.
 */
void store_set_clock(struct store *st, int64_t now);
int64_t store_now(const struct store *st);

/* Who makes a change and from where; both required, copied. */
struct store_actor {
	const char *who;	/* "cli:alice", "org:H0123", "regulator:bob" */
	const char *from;	/* "local", "192.0.2.7" */
};

/* ---- times ----------------------------------------------------------- */

/*
 * Parse "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS]" with an optional "Z" or
 * "+HH:MM"/"-HH:MM"; without a zone the time is Japan's (+09:00). A bare
 * date means the start of that day, or its last second when end_of_day.
 */
enum mamori_err store_time_parse(const char *s, bool end_of_day, int64_t *out);
/* "2022-02-14T23:59:59+09:00" into buf (at least 32 bytes). */
const char *store_time_format(int64_t t, char *buf, size_t len);

/* ---- prefectures (JIS X 0401) ----------------------------------------- */

struct prefecture {
	const char *code;	/* "01" .. "47" */
	const char *ja, *en, *region;
};

#define PREFECTURE_COUNT 47
extern const struct prefecture prefectures[PREFECTURE_COUNT];

/*
 * Find by code ("13", "1" or "01"), Japanese name ("東京都", also without
 * 都/道/府/県) or English name (any case); NULL when none matches.
 */
const struct prefecture *prefecture_find(struct slice s);

/* ---- organisations ------------------------------------------------- */

struct store_org {
	const char *id;		/* the ministry's own code */
	const char *name;
	const char *kind;	/* hospital, bank, shinkin, cooperative ... */
	const char *pref_code;	/* "13" */
	const char *attrs;	/* JSON object text of typed attributes */
};

enum store_encoding { STORE_ENC_AUTO, STORE_ENC_UTF8, STORE_ENC_CP932,
		      STORE_ENC__MAX };

/* "auto" / "utf-8" / "cp932" (also "utf8", "sjis", "shift_jis"); -1 else. */
int store_encoding_parse(const char *s);

struct store_import_stats {
	size_t rows, created, updated, unchanged;
	enum store_encoding encoding;	/* what was read (auto resolved) */
};

/*
 * Import organisations from CSV text (a header line, then one row each).
 * Columns by header name: id, name, kind, prefecture (code, ja or en
 * name) are required; every other column is an attribute, a number when
 * it reads as one, else text (empty cells are left out). All rows or
 * none: with any bad row, every bad row is reported ("line N: ...") and
 * nothing changes (MAMORI_EINVALID). A row whose id exists updates it;
 * each change is audited with its old and new values.
 */
enum mamori_err store_org_import_csv(struct store *st,
				     const struct store_actor *who,
				     const char *buf, size_t len,
				     enum store_encoding enc,
				     struct store_import_stats *stats,
				     struct strbuf *err);

struct store_org_filter {
	const char *kind;	/* NULL: any */
	const char *pref_code;	/* NULL: any */
};

/* Calls fn for each organisation, ordered by id; fn returns non-zero to stop. */
enum mamori_err store_org_list(struct store *st,
			       const struct store_org_filter *f,
			       int (*fn)(void *ud, const struct store_org *org),
			       void *ud, struct strbuf *err);

struct json_t;

/*
 * One organisation as the instrument's expressions read it (${org.NAME})
 * and as the store's own validation of a save or submission passes it:
 * its attributes plus id, name, kind, prefecture (code), prefecture_name
 * and region. *out is a new JSON object; the caller json_decref()s it.
 * MAMORI_ENOENT when there is no such organisation.
 */
enum mamori_err store_org_get(struct store *st, const char *id,
			      struct json_t **out, struct strbuf *err);
/*
 * What a validation of org's response in campaign reads, as the vopts
 * org and campaign members: *org_out from store_org_get(), *campaign_out
 * {"id", "title", "opens", "closes"} (dates of the first window's opening
 * and the last one's close). Both new; the caller json_decref()s them.
 */
enum mamori_err store_validation_context(struct store *st, int64_t campaign,
					 const char *org,
					 struct json_t **org_out,
					 struct json_t **campaign_out,
					 struct strbuf *err);

/* ---- campaigns ------------------------------------------------------- */

#define STORE_MAX_WINDOWS 4

struct store_window {
	int64_t opens, closes;
};

enum campaign_state { CAMPAIGN_SCHEDULED, CAMPAIGN_OPEN, CAMPAIGN_CLOSED,
		      CAMPAIGN__MAX };
const char *campaign_state_name(enum campaign_state s);

/* What the regulator forced, over the windows. */
enum campaign_override { OVERRIDE_NONE, OVERRIDE_OPEN, OVERRIDE_CLOSED,
			 OVERRIDE__MAX };

struct store_campaign_new {
	const char *title;
	const char *instrument_name;	/* for messages: the file name */
	const char *instrument;		/* the instrument's bytes (YAML) */
	size_t instrument_len;
	const char *target;		/* attribute expression */
	size_t nwindows;		/* 1 .. STORE_MAX_WINDOWS */
	struct store_window windows[STORE_MAX_WINDOWS];
	/* schema 4: open from the first window's opening, with no close
	 * (the regulator may still close it) */
	bool always_open;
	/* schema 4: an organisation may submit any number of responses
	 * ("reports", numbered 1, 2, ...; see store_response_put_form) */
	bool repeatable;
	/* schema 4: the instrument of the campaign's additional forms
	 * (numbered 1, 2, ... beside the organisation's main response,
	 * e.g. one per contracted vendor); NULL for none */
	const char *form_instrument_name;
	const char *form_instrument;
	size_t form_instrument_len;
};

struct store_campaign {
	int64_t id;
	char *title;			/* owned */
	char *instrument_id;		/* owned */
	char *instrument_version;	/* owned */
	char *instrument_sha256;	/* owned: hex */
	char *target;			/* owned */
	size_t nwindows;
	struct store_window windows[STORE_MAX_WINDOWS];
	enum campaign_override override;
	int64_t override_at;
	enum campaign_state state;	/* now, per the store's clock */
	size_t population;		/* organisations targeted */
	int64_t created_at;
	bool always_open, repeatable;	/* schema 4, as created */
	char *form_instrument_id;	/* owned; NULL: no additional forms */
	char *form_instrument_sha256;	/* owned; NULL with it */
};

void store_campaign_release(struct store_campaign *c);

/*
 * Create a campaign. The instrument is validated (instrument_load_mem)
 * and stored by content (sha256), so later changes to its file do not
 * touch the campaign. The target expression is compiled and evaluated
 * over every organisation now (id, name, kind, prefecture and its
 * attributes); the population is stored with the campaign. Windows must
 * not overlap and each must close after it opens.
 */
enum mamori_err store_campaign_create(struct store *st,
				      const struct store_actor *who,
				      const struct store_campaign_new *c,
				      int64_t *id, struct strbuf *err);
/* *out is filled; the caller calls store_campaign_release(). */
enum mamori_err store_campaign_get(struct store *st, int64_t id,
				   struct store_campaign *out,
				   struct strbuf *err);
/* store_campaign_get() without counting the population (0, which grows
 * with the organisations): for the checks on every save and the pages
 * that do not show it. */
enum mamori_err store_campaign_state(struct store *st, int64_t id,
				     struct store_campaign *out,
				     struct strbuf *err);
/* The population of campaign id, created at created_at (as read with it):
 * what store_campaign_get() gives, counted once per connection. */
enum mamori_err store_campaign_population(struct store *st, int64_t id,
					  int64_t created_at, size_t *out,
					  struct strbuf *err);
/* fn gets each campaign, newest first; the struct is valid during the call. */
enum mamori_err store_campaign_list(struct store *st,
				    int (*fn)(void *ud,
					      const struct store_campaign *c),
				    void *ud, struct strbuf *err);
/* The regulator opens or closes now, whatever the windows say. */
enum mamori_err store_campaign_set_override(struct store *st,
					    const struct store_actor *who,
					    int64_t id,
					    enum campaign_override o,
					    struct strbuf *err);
/* Move the close of the last window to closes (later than its opening). */
enum mamori_err store_campaign_extend(struct store *st,
				      const struct store_actor *who,
				      int64_t id, int64_t closes,
				      struct strbuf *err);
/*
 * The campaign's instrument, loaded from the stored bytes. Owned by st
 * (cached by content hash): valid until store_free(); do not free.
 */
enum mamori_err store_campaign_instrument(struct store *st, int64_t id,
					  const struct instrument **out,
					  struct strbuf *err);
/*
 * The instrument (form: the form instrument) of campaign c, as read by
 * store_campaign_get() or store_campaign_state(), and st's validator for
 * it. Found by c's SHA-256 among st's cached instruments without reading
 * the database; read (as store_campaign_instrument()) when not kept.
 * Both are st's own: the validator and the results it hands out are
 * valid while the caller holds st and only until the next validation on
 * st, a save through st included. Do not free.
 */
struct validator;
enum mamori_err store_campaign_validator_of(struct store *st,
					    const struct store_campaign *c,
					    bool form,
					    const struct instrument **out,
					    struct validator **v,
					    struct strbuf *err);
/*
 * ${campaign.*} for the validator: {"id", "title", "opens", "closes"},
 * the dates of the first window's opening and the last one's close.
 * The one place a stored submission, store_validation_context() and
 * the web's pages (from the campaign they read) build it. NULL when out
 * of memory; the caller json_decref()s it.
 */
struct json_t *store_campaign_context(const struct store_campaign *c);

struct store_pref_count {
	char code[3];
	size_t invited, drafts, submitted, population;
};

struct store_campaign_status {
	size_t population, invited, drafts, submitted, reopened;
	struct store_pref_count by_pref[PREFECTURE_COUNT];
};

enum mamori_err store_campaign_status(struct store *st, int64_t id,
				      struct store_campaign_status *out,
				      struct strbuf *err);

/*
 * Publish the campaign's results to its organisations (publish true: each
 * may then read its own feedback report) or withdraw them (false), now,
 * as who; audited as campaign.publish / campaign.unpublish. Publishing
 * again moves the time. MAMORI_ENOENT when there is no such campaign.
 */
enum mamori_err store_campaign_publish(struct store *st,
				       const struct store_actor *who,
				       int64_t id, bool publish,
				       struct strbuf *err);
/*
 * Whether the results are published: *at is the time (0 when they are
 * not) and, when by is not NULL, the actor is appended to it.
 */
enum mamori_err store_campaign_published(struct store *st, int64_t id,
					 int64_t *at, struct strbuf *by,
					 struct strbuf *err);

/* ---- access codes ------------------------------------------------- */

/* "ABCD-EFGH-JKLM-NPQR-STUV": 20 symbols of STORE_CODE_ALPHABET. */
#define STORE_CODE_LEN 24
#define STORE_CODE_ALPHABET "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

/*
 * Issue one access code per organisation of the campaign's population,
 * revoking any earlier code. Codes are stored only as argon2id hashes;
 * after the commit, fn receives each (organisation, code) once, in id
 * order: the only time the code exists in clear.
 */
enum mamori_err store_campaign_invite(struct store *st,
				      const struct store_actor *who,
				      int64_t campaign,
				      int (*fn)(void *ud,
						const struct store_org *org,
						const char *code),
				      void *ud, size_t *issued,
				      struct strbuf *err);

/*
 * Check a code a respondent typed (case, spaces and dashes ignored).
 * On success *campaign and org_id (appended) say whom it admits, and
 * *credential (when not NULL) is the code's credential id, which a
 * session started with it belongs to (store/session.h).
 * MAMORI_EDENIED for a wrong, revoked or malformed code; the time taken
 * does not depend on which part was wrong.
 */
enum mamori_err store_verify_access_code(struct store *st, const char *code,
					 int64_t *campaign,
					 struct strbuf *org_id,
					 int64_t *credential,
					 struct strbuf *err);

/* ---- responses ----------------------------------------------------- */

enum response_status { RESPONSE_NONE, RESPONSE_DRAFT, RESPONSE_SUBMITTED,
		       RESPONSE_REOPENED, RESPONSE__MAX };
const char *response_status_name(enum response_status s);

enum revision_kind { REV_DRAFT, REV_SUBMIT, REV_REOPEN, REV__MAX };
const char *revision_kind_name(enum revision_kind k);

/* Pass as base to skip the staleness check (a save that reads the
 * current revision itself, e.g. from a file on the command line). */
#define STORE_REV_ANY INT64_C(-1)

struct store_revision {
	int64_t revision;	/* 1, 2, ... per (campaign, organisation) */
	enum revision_kind kind;
	bool valid;		/* passed validation when saved */
	char *body;		/* owned: the answers as saved (JSON) */
	char *normalised;	/* owned: as validated (submit), else NULL */
	char *who, *from;	/* owned */
	int64_t at;
};

void store_revision_release(struct store_revision *r);

struct store_response {
	enum response_status status;
	int64_t revision;		/* the newest, 0 when none */
	int64_t submitted_revision;	/* the one that counts, 0 if none */
	int64_t updated_at;
};

/*
 * Save a draft: any answers (a JSON object), valid or not, while the
 * campaign is open or the response is reopened. base is the revision
 * the answers were edited from (0 when there was none); when it is no
 * longer the newest the save is refused (MAMORI_ECONFLICT). A submitted
 * response stays submitted (its submitted revision counts) until a new
 * submission passes. *revision gets the new revision number.
 */
enum mamori_err store_response_save(struct store *st,
				    const struct store_actor *who,
				    int64_t campaign, const char *org,
				    const char *json, size_t len, int64_t base,
				    int64_t *revision, struct strbuf *err);
/*
 * What a save's own validation found, for a caller that answers with it
 * (the web's reply to a draft save) instead of validating again: fn is
 * called once, on the saving connection, before anything is written,
 * with the answers as parsed (the revision's body is their compact
 * JSON) and the engine's result of them with its messages in lang (an
 * enum lang of instrument/instrument.h); both are valid only during the
 * call (json_incref the answers to keep them). Not called when the save
 * is refused before its validation.
 */
struct vresult;
struct store_seen {
	int lang;
	void (*fn)(void *ud, struct json_t *answers,
		   const struct vresult *res);
	void *ud;
};
/*
 * store_pending_prepare() (store/commit.h), telling seen (when not NULL)
 * what the validation found; with seen a refused submission's message
 * in err is in seen's language.
 */
struct store_pending;
enum mamori_err store_pending_prepare_seen(struct store *st,
					   enum revision_kind kind,
					   const struct store_actor *who,
					   int64_t campaign, const char *org,
					   const char *json, size_t len,
					   int64_t base,
					   const struct store_seen *seen,
					   struct store_pending **out,
					   struct strbuf *err);
/*
 * Submit: like save, but only when the answers pass instrument_validate()
 * (else MAMORI_EINVALID with one "item: message" line per problem and
 * nothing stored) and only while open (else MAMORI_ECLOSED with the close
 * time). Returns after the commit is durable.
 */
enum mamori_err store_response_submit(struct store *st,
				      const struct store_actor *who,
				      int64_t campaign, const char *org,
				      const char *json, size_t len,
				      int64_t base, int64_t *revision,
				      struct strbuf *err);
/*
 * Group commit: several submissions (from many respondents at once, e.g.
 * the web server's queue) in one durable transaction, so they share one
 * sync of the log. Each is checked exactly as store_response_submit()
 * checks it and gets its own result, revision and message; the ones
 * refused (invalid, stale, closed) are not stored and do not stop the
 * others. Returns MAMORI_OK when the transaction committed (then every
 * submission whose result is MAMORI_OK is durable; *accepted counts
 * them); any other code means nothing was stored and every result that
 * would have been MAMORI_OK is that code.
 */
struct store_submission {
	int64_t campaign;
	const char *org;
	const char *json;
	size_t len;
	int64_t base;			/* as for store_response_submit */
	/* schema 4: the response's number, as for store_response_put_form
	 * (0: the organisation's one; STORE_FORM_NEW: a new one, whose
	 * number is written back when result is MAMORI_OK) */
	int64_t number;
	/* out */
	enum mamori_err result;
	int64_t revision;
	struct strbuf err;		/* owned by the caller: init/release */
};

enum mamori_err store_response_submit_batch(struct store *st,
					    const struct store_actor *who,
					    struct store_submission *v,
					    size_t n, size_t *accepted,
					    struct strbuf *err);

/* The regulator lets a submitted response be changed again, even after
 * the campaign closed, until it is submitted again. */
enum mamori_err store_response_reopen(struct store *st,
				      const struct store_actor *who,
				      int64_t campaign, const char *org,
				      int64_t *revision, struct strbuf *err);

enum mamori_err store_response_state(struct store *st, int64_t campaign,
				     const char *org,
				     struct store_response *out,
				     struct strbuf *err);
/* One revision (0 = the newest); release *out with store_revision_release. */
enum mamori_err store_response_get(struct store *st, int64_t campaign,
				   const char *org, int64_t revision,
				   struct store_revision *out,
				   struct strbuf *err);
/* Every revision, oldest first. */
enum mamori_err store_response_history(struct store *st, int64_t campaign,
				       const char *org,
				       int (*fn)(void *ud,
						 const struct store_revision *r),
				       void *ud, struct strbuf *err);

/* ---- more than one response per organisation (schema 4) ------------ */

/*
 * A response is numbered within (campaign, organisation): number 0 is
 * the organisation's one response, what every function above reads and
 * writes. A repeatable campaign takes reports numbered 1, 2, ... (each
 * with its own revisions, submission and reopening), validated against
 * the campaign's instrument; a campaign with a form instrument takes
 * additional forms numbered 1, 2, ... validated against that one (e.g.
 * a facility's checklist as number 0 and one vendor form each beside
 * it). Analysis of a repeatable campaign counts every submitted report;
 * otherwise it reads number 0 only.
 */
#define STORE_FORM_NEW INT64_C(-1)

/*
 * Save (submit = false) or submit form *number of org in campaign, as
 * store_response_save()/submit() do for number 0. *number =
 * STORE_FORM_NEW takes the next free number (1 for the first) and
 * returns it; a number that does not exist yet is refused (ENOENT), as
 * is any number >= 1 in a campaign that is neither repeatable nor has a
 * form instrument (EINVAL).
 */
enum mamori_err store_response_put_form(struct store *st,
					const struct store_actor *who,
					int64_t campaign, const char *org,
					int64_t *number, bool submit,
					const char *json, size_t len,
					int64_t base, int64_t *revision,
					struct strbuf *err);
/* Reopen form number (as store_response_reopen() does for 0). */
enum mamori_err store_response_reopen_form(struct store *st,
					   const struct store_actor *who,
					   int64_t campaign, const char *org,
					   int64_t number, int64_t *revision,
					   struct strbuf *err);
/* One revision (0 = newest) of form number. */
enum mamori_err store_response_get_form(struct store *st, int64_t campaign,
					const char *org, int64_t number,
					int64_t revision,
					struct store_revision *out,
					struct strbuf *err);
/* The state of form number (as store_response_state() for 0); status
 * RESPONSE_NONE for a number that does not exist yet. */
enum mamori_err store_response_state_form(struct store *st,
					  int64_t campaign, const char *org,
					  int64_t number,
					  struct store_response *out,
					  struct strbuf *err);
/* Every revision of form number, oldest first (as
 * store_response_history() for 0). */
enum mamori_err store_response_history_form(struct store *st,
					    int64_t campaign, const char *org,
					    int64_t number,
					    int (*fn)(void *ud,
						      const struct
						      store_revision *r),
					    void *ud, struct strbuf *err);
/* The campaign's form instrument (the additional forms'), owned by st
 * as store_campaign_instrument()'s; MAMORI_ENOENT when it has none. */
enum mamori_err store_campaign_form_instrument(struct store *st,
					       int64_t campaign,
					       const struct instrument **out,
					       struct strbuf *err);
/* Every response of org in campaign (number 0 first), with its state. */
enum mamori_err store_response_forms(struct store *st, int64_t campaign,
				     const char *org,
				     int (*fn)(void *ud, int64_t number,
					       const struct store_response *r),
				     void *ud, struct strbuf *err);

struct store_forms_due {
	const char *org_id;
	int64_t expected;	/* what the main response's count item says */
	int64_t submitted;	/* additional forms submitted */
};

/*
 * In a campaign with a form instrument: every organisation whose
 * submitted main response (number 0) gives, in the integer item
 * count_item, more forms than it has submitted (e.g. a facility with
 * three contracted vendors and two vendor forms), by id. MAMORI_EINVAL
 * when the campaign has no form instrument or count_item is not an
 * integer item of its instrument.
 */
enum mamori_err store_campaign_forms_missing(struct store *st,
					     int64_t campaign,
					     const char *count_item,
					     int (*fn)(void *ud,
						       const struct
						       store_forms_due *d),
					     void *ud, struct strbuf *err);

enum store_export_format { EXPORT_JSON, EXPORT_CSV, EXPORT__MAX };

struct store_export_opts {
	enum store_export_format format;
	bool include_drafts;	/* newest revision of unsubmitted ones too */
	bool bom;		/* CSV: a UTF-8 byte-order mark (for Excel) */
	bool forms;		/* CSV: the additional forms instead */
};

/*
 * Write the campaign's responses to out in organisation id order: the
 * submitted revision (or, with include_drafts, the newest of the
 * others); one per organisation, or in a repeatable campaign one per
 * report with its number (a "number" column in CSV). JSON also lists a
 * campaign's additional forms ("forms"); CSV leaves them out, as their
 * columns are another instrument's, unless opts->forms asks for them
 * alone: one row per form (with its number) in the form instrument's
 * columns (MAMORI_EINVAL for a campaign without additional forms, or
 * with JSON). CSV: one column per item, repeats flattened to
 * item.N.field, select_multiple as one 0/1 column per choice. *rows
 * gets the number of rows written.
 */
enum mamori_err store_response_export(struct store *st, int64_t campaign,
				      const struct store_export_opts *opts,
				      FILE *out, size_t *rows,
				      struct strbuf *err);

/* ---- audit, backup, check ------------------------------------------ */

struct store_audit_event {
	int64_t id, at;
	const char *who, *from, *action, *object, *detail;	/* detail: JSON */
};

enum mamori_err store_audit_list(struct store *st, int64_t since,
				 int (*fn)(void *ud,
					   const struct store_audit_event *e),
				 void *ud, struct strbuf *err);

/*
 * Record a decision about org's response in campaign in the audit log
 * (append-only; object "campaign:N/ORG"), in its own transaction,
 * durable on return. action is "evidence.accept" or "evidence.override"
 * (anything else MAMORI_EINVAL), detail a JSON object's text
 * (MAMORI_EINVAL otherwise). MAMORI_ENOENT when org is not in the
 * campaign's population.
 */
enum mamori_err store_org_audit(struct store *st,
				const struct store_actor *who,
				int64_t campaign, const char *org,
				const char *action, const char *detail,
				struct strbuf *err);
/* The events store_org_audit() wrote for org in campaign at or after
 * since, oldest first; fn returns non-zero to stop. */
enum mamori_err store_org_audit_list(struct store *st, int64_t campaign,
				     const char *org, int64_t since,
				     int (*fn)(void *ud,
					       const struct store_audit_event *e),
				     void *ud, struct strbuf *err);

/* An online copy of the whole database to path (SQLite backup API). */
enum mamori_err store_backup(struct store *st, const struct store_actor *who,
			     const char *path, struct strbuf *err);
/*
 * Integrity and foreign-key check; report gets "ok" or one line per
 * problem. MAMORI_EDB when anything is wrong.
 */
enum mamori_err store_check(struct store *st, struct strbuf *report);

#endif
