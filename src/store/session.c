/*
 * session.c - sign-in sessions in the session table (store/session.h):
 * the token's SHA-256 as the key, the credential, the CSRF token, the
 * times. A session is found only while its credential is not revoked,
 * so every revocation ends its sessions at once. Must never store a
 * token in clear, nor find a session by anything but its hash.
 */
#include <sodium.h>
#include <sqlite3.h>
#include <string.h>

#include "store/session.h"
#include "store/store_int.h"
#include "util/banned.h"

/* The key of token (hex) into id; -1 when the token is malformed. */
static int token_id(const char *token, char id[STORE_SESSION_HEX])
{
	unsigned char raw[STORE_SESSION_TOKEN_BYTES];
	unsigned char h[crypto_hash_sha256_BYTES];
	size_t got = 0;

	_Static_assert(sizeof(h) == STORE_SESSION_TOKEN_BYTES,
		       "the id is as long as the token");
	if (!token || strlen(token) != 2 * STORE_SESSION_TOKEN_BYTES ||
	    sodium_hex2bin(raw, sizeof(raw), token, strlen(token), NULL, &got,
			   NULL) || got != sizeof(raw))
		return -1;
	crypto_hash_sha256(h, raw, sizeof(raw));
	sodium_bin2hex(id, STORE_SESSION_HEX, h, sizeof(h));
	sodium_memzero(raw, sizeof(raw));
	return 0;
}

static void copy_text(char *dst, size_t len, const unsigned char *src)
{
	size_t n = src ? strlen((const char *)src) : 0;

	if (n >= len)
		n = len - 1;
	memcpy(dst, src ? (const char *)src : "", n);
	dst[n] = '\0';
}

/* The session whose key is id, if it is live; MAMORI_ENOENT if not. */
static enum mamori_err find_by_id(struct store *st, const char *id,
				  int64_t idle, struct store_session *out,
				  struct strbuf *err)
{
	sqlite3_stmt *s = store_stmt(st, STMT_SESSION_FIND, err);
	int64_t now = store_now(st);
	enum mamori_err e = MAMORI_ENOENT;
	int rc;

	if (!s)
		return MAMORI_EDB;
	store_bind_text(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(s, 1);
		const unsigned char *subject = sqlite3_column_text(s, 2);
		int role = user_role_parse((const char *)
					   sqlite3_column_text(s, 4));
		memset(out, 0, sizeof(*out));
		memcpy(out->id, id, STORE_SESSION_HEX);
		out->credential = sqlite3_column_int64(s, 0);
		out->organisation = kind && strcmp(kind, "access_code") == 0;
		out->role = role < 0 ? USER_ROLE__MAX : (enum user_role)role;
		out->campaign = out->organisation ? sqlite3_column_int64(s, 3)
						  : 0;
		copy_text(out->csrf, sizeof(out->csrf), sqlite3_column_text(s, 5));
		out->created_at = sqlite3_column_int64(s, 6);
		out->last_seen = sqlite3_column_int64(s, 7);
		out->expires_at = sqlite3_column_int64(s, 8);
		if (subject && strlen((const char *)subject) <=
			       STORE_SESSION_SUBJECT_MAX &&
		    (out->organisation || role >= 0) &&
		    strlen(out->csrf) == STORE_SESSION_HEX - 1 &&
		    now < out->expires_at && now - out->last_seen <= idle) {
			copy_text(out->subject, sizeof(out->subject), subject);
			e = MAMORI_OK;
		}
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_err(st, err, "looking up a session");
	if (e) {
		sodium_memzero(out, sizeof(*out));
		return e;
	}
	/* inside a transaction (a read snapshot) the write would be rolled
	 * back with it: the caller touches after it, store_session_touch() */
	if (sqlite3_get_autocommit(st->db))
		store_session_touch(st, id, &out->last_seen);
	return MAMORI_OK;
}

enum mamori_err store_session_start(struct store *st, int64_t credential,
				    const char *from, int64_t life,
				    char token[STORE_SESSION_HEX],
				    struct store_session *out,
				    struct strbuf *err)
{
	unsigned char raw[STORE_SESSION_TOKEN_BYTES];
	unsigned char csrf[STORE_SESSION_TOKEN_BYTES];
	char id[STORE_SESSION_HEX], csrf_hex[STORE_SESSION_HEX];
	int64_t now = store_now(st);
	sqlite3_stmt *s;
	enum mamori_err e;
	size_t n;

	token[0] = '\0';
	if (life <= 0)
		return MAMORI_EINVAL;
	randombytes_buf(raw, sizeof(raw));
	randombytes_buf(csrf, sizeof(csrf));
	sodium_bin2hex(token, STORE_SESSION_HEX, raw, sizeof(raw));
	sodium_bin2hex(csrf_hex, sizeof(csrf_hex), csrf, sizeof(csrf));
	sodium_memzero(raw, sizeof(raw));
	if (token_id(token, id)) {
		e = MAMORI_EINVAL;
		goto out;
	}
	if ((e = store_begin(st, err)))
		goto out;
	if (!(s = store_stmt(st, STMT_SESSION_INSERT, err))) {
		e = MAMORI_EDB;
		goto fail;
	}
	store_bind_text(s, 1, id);
	sqlite3_bind_int64(s, 2, credential);
	sqlite3_bind_int64(s, 3, now);
	sqlite3_bind_int64(s, 4, now + life);
	store_bind_text(s, 5, csrf_hex);
	store_bind_text(s, 6, from ? from : "");
	if (sqlite3_step(s) != SQLITE_DONE) {
		e = store_db_err(st, err, "starting a session");
		goto fail;
	}
	n = (size_t)sqlite3_changes(st->db);
	if (n == 0) {
		store_msg(err, "the credential was revoked");
		e = MAMORI_ENOENT;
		goto fail;
	}
	if ((e = find_by_id(st, id, life, out, err)))
		goto fail;
	e = store_commit(st, err);
	goto out;
fail:
	store_rollback(st);
out:
	if (e)
		sodium_memzero(token, STORE_SESSION_HEX);
	sodium_memzero(csrf_hex, sizeof(csrf_hex));
	sodium_memzero(csrf, sizeof(csrf));
	return e;
}

void store_session_touch(struct store *st, const char *id,
			 int64_t *last_seen)
{
	int64_t now = store_now(st);
	sqlite3_stmt *s;

	if (now - *last_seen < STORE_SESSION_TOUCH ||
	    !sqlite3_get_autocommit(st->db))
		return;
	/* best effort: a busy database only delays the next touch */
	if ((s = store_stmt(st, STMT_SESSION_TOUCH, NULL))) {
		store_bind_text(s, 1, id);
		sqlite3_bind_int64(s, 2, now);
		if (sqlite3_step(s) == SQLITE_DONE)
			*last_seen = now;
		sqlite3_reset(s);
	}
}

enum mamori_err store_session_find(struct store *st, const char *token,
				   int64_t idle, struct store_session *out,
				   struct strbuf *err)
{
	char id[STORE_SESSION_HEX];

	if (token_id(token, id))
		return MAMORI_ENOENT;
	return find_by_id(st, id, idle, out, err);
}

enum mamori_err store_session_end(struct store *st,
				  const struct store_actor *who,
				  const char *id, struct strbuf *err)
{
	sqlite3_stmt *s;
	enum mamori_err e;
	char object[24];

	if (!id || strlen(id) != STORE_SESSION_HEX - 1)
		return MAMORI_EINVAL;
	if ((e = store_begin(st, err)))
		return e;
	if (!(s = store_stmt(st, STMT_SESSION_END, err))) {
		e = MAMORI_EDB;
		goto fail;
	}
	store_bind_text(s, 1, id);
	sqlite3_bind_int64(s, 2, store_now(st));
	if (sqlite3_step(s) != SQLITE_DONE) {
		e = store_db_err(st, err, "ending a session");
		goto fail;
	}
	/* the object names the session by the start of its hash: enough
	 * to tell sessions apart in the log, useless as a key */
	snprintf(object, sizeof(object), "session:%.12s", id);
	if (who && sqlite3_changes(st->db) > 0 &&
	    (e = store_audit(st, who, "session.end", object, "{}", err)))
		goto fail;
	return store_commit(st, err);
fail:
	store_rollback(st);
	return e;
}

enum mamori_err store_session_read_begin(struct store *st,
					 struct strbuf *err)
{
	sqlite3_stmt *s;
	int rc;

	if (!sqlite3_get_autocommit(st->db)) {
		store_msg(err, "a transaction is open already");
		return MAMORI_EINVAL;
	}
	if (!(s = store_stmt(st, STMT_BEGIN_READ, err)))
		return MAMORI_EDB;
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_db_err(st, err, "starting to read");
	return MAMORI_OK;
}

void store_session_read_end(struct store *st)
{
	store_rollback(st);	/* read only: ends the snapshot */
}
