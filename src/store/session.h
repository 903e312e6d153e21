/*
 * session.h - sign-in sessions kept in the database, so that a restart
 * of the server signs nobody out and several server processes can share
 * one database. A session belongs to the credential it was opened with
 * (a staff password or an organisation's access code) and lives only
 * while that credential is not revoked.
 *
 * The token a browser holds (the cookie) is 256 random bits; the
 * database keeps only its SHA-256, so a copy of the database file does
 * not give anyone a live session. The CSRF token of a session is kept
 * as it is (it is worth nothing without the cookie).
 */
#ifndef MAMORI_STORE_SESSION_H
#define MAMORI_STORE_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"
#include "store/user.h"

#define STORE_SESSION_TOKEN_BYTES 32
/* hex of the token, of its hash, of the CSRF token: 64 digits + NUL */
#define STORE_SESSION_HEX (2 * STORE_SESSION_TOKEN_BYTES + 1)
#define STORE_SESSION_SUBJECT_MAX 64
/* last_seen is written at most once in this many seconds per session */
#define STORE_SESSION_TOUCH 60

struct store_session {
	char id[STORE_SESSION_HEX];	/* hex SHA-256 of the token */
	int64_t credential;
	bool organisation;		/* an access code (else a password) */
	enum user_role role;		/* a password's staff role */
	char subject[STORE_SESSION_SUBJECT_MAX + 1];	/* org id or user */
	int64_t campaign;		/* an access code's campaign, else 0 */
	char csrf[STORE_SESSION_HEX];
	int64_t created_at, last_seen, expires_at;
};

/*
 * Open a session for credential (a current one) from address from,
 * expiring life seconds from now whatever happens. token receives the
 * new token in hex (the only time it exists: it goes into the cookie),
 * *out the session. MAMORI_ENOENT when the credential does not exist or
 * is revoked.
 */
enum mamori_err store_session_start(struct store *st, int64_t credential,
				    const char *from, int64_t life,
				    char token[STORE_SESSION_HEX],
				    struct store_session *out,
				    struct strbuf *err);

/*
 * The session of token (hex, as the cookie carries it). MAMORI_ENOENT
 * when the token is malformed or unknown, the session ended, its
 * absolute expiry passed, it was idle longer than idle seconds, or its
 * credential was revoked. Otherwise *out is filled and last_seen moved
 * to now (written only when STORE_SESSION_TOUCH seconds passed), unless
 * a transaction is open on st: then nothing is written and the caller
 * calls store_session_touch() once the transaction has ended.
 */
enum mamori_err store_session_find(struct store *st, const char *token,
				   int64_t idle, struct store_session *out,
				   struct strbuf *err);

/*
 * Move the last_seen of the session whose id (hash) is id to now, if
 * STORE_SESSION_TOUCH seconds passed since *last_seen (which is then
 * updated). Best effort, as store_session_find() does it: a busy
 * database only delays the next touch. Nothing is written while a
 * transaction is open on st.
 */
void store_session_touch(struct store *st, const char *id,
			 int64_t *last_seen);

/*
 * End the session whose id (hash) is id: its ended_at is set and it is
 * never found again. Audited as session.end when who is not NULL.
 */
enum mamori_err store_session_end(struct store *st,
				  const struct store_actor *who,
				  const char *id, struct strbuf *err);

/*
 * The reads a request makes after its session was found, in one read
 * transaction: every read of st between store_session_read_begin() and
 * store_session_read_end() sees one snapshot of the database, and the
 * file locks are taken once instead of once a statement. Only reads may
 * run in between, and none that opens a transaction of its own (they fail
 * with "cannot start a transaction within a transaction"). MAMORI_EINVAL
 * when st is inside a transaction already (nothing is opened then).
 */
enum mamori_err store_session_read_begin(struct store *st,
					 struct strbuf *err);
/* End the read transaction of store_session_read_begin(), if one is open. */
void store_session_read_end(struct store *st);

#endif
