/*
 * user.c - password users (regulators, administrators) in the credential
 * table: kind 'password', subject = the user name, selector = "role:" +
 * the role (the schema has no role column; see user.h). Every statement
 * is prepared with bound parameters. Must never keep or log a password
 * in clear, nor compare secrets with anything but libsodium.
 */
#include <sodium.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "store/user.h"
#include "util/banned.h"

static const char *const role_names[USER_ROLE__MAX] = {
	[USER_REGULATOR] = "regulator",
	[USER_ADMIN] = "admin",
};

static const char *const role_selectors[USER_ROLE__MAX] = {
	[USER_REGULATOR] = "role:regulator",
	[USER_ADMIN] = "role:admin",
};

static const char sql_revoke[] =
	"UPDATE credential SET revoked_at = ?2 WHERE kind = 'password'"
	" AND subject = ?1 AND revoked_at IS NULL";
static const char sql_insert[] =
	"INSERT INTO credential(kind, subject, campaign_id, selector, hash,"
	" created_at) VALUES ('password', ?1, NULL, ?2, ?3, ?4)";
static const char sql_find[] =
	"SELECT selector, hash FROM credential WHERE kind = 'password'"
	" AND subject = ?1 AND revoked_at IS NULL ORDER BY id DESC LIMIT 1";

const char *user_role_name(enum user_role r)
{
	return (unsigned)r < USER_ROLE__MAX ? role_names[r] : "?";
}

int user_role_parse(const char *s)
{
	for (int i = 0; i < USER_ROLE__MAX; i++)
		if (s && strcmp(s, role_names[i]) == 0)
			return i;
	return -1;
}

int user_name_valid(const char *name, size_t len)
{
	if (!name || len == 0 || len > USER_NAME_MAX)
		return 0;
	if (!((name[0] >= 'a' && name[0] <= 'z') ||
	      (name[0] >= 'A' && name[0] <= 'Z')))
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-'))
			return 0;
	}
	return 1;
}

static enum mamori_err prepare(struct store *st, const char *sql,
			       sqlite3_stmt **s, struct strbuf *err)
{
	if (sqlite3_prepare_v2(st->db, sql, -1, s, NULL) != SQLITE_OK) {
		*s = NULL;
		return store_db_err(st, err, "preparing a statement");
	}
	return MAMORI_OK;
}

enum mamori_err store_user_add(struct store *st, const struct store_actor *who,
			       const char *name, enum user_role role,
			       const char *password, size_t pwlen,
			       struct strbuf *err)
{
	char hash[crypto_pwhash_STRBYTES];
	char object[USER_NAME_MAX + 8];
	sqlite3_stmt *s = NULL;
	enum mamori_err e;
	int64_t now = store_now(st);
	json_t *detail = NULL;
	char *dtext = NULL;

	if (!name || !user_name_valid(name, strlen(name))) {
		store_msg(err, "a user name is 1 to %d letters, digits, '.', "
			  "'_' or '-', starting with a letter", USER_NAME_MAX);
		return MAMORI_EINVAL;
	}
	if ((unsigned)role >= USER_ROLE__MAX) {
		store_msg(err, "unknown role");
		return MAMORI_EINVAL;
	}
	if (pwlen < USER_PASSWORD_MIN || pwlen > USER_PASSWORD_MAX) {
		store_msg(err, "a password has %d to %d bytes",
			  USER_PASSWORD_MIN, USER_PASSWORD_MAX);
		return MAMORI_EINVAL;
	}
	if (crypto_pwhash_str(hash, password, pwlen,
			      crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		store_msg(err, "hashing the password: out of memory");
		return MAMORI_ENOMEM;
	}
	snprintf(object, sizeof(object), "user:%s", name);
	detail = json_pack("{s:s}", "role", role_names[role]);
	dtext = detail ? json_dumps(detail, JSON_COMPACT) : NULL;
	if (!dtext) {
		e = MAMORI_ENOMEM;
		goto out;
	}
	if ((e = store_begin(st, err)))
		goto out;
	if ((e = prepare(st, sql_revoke, &s, err)))
		goto fail;
	store_bind_text(s, 1, name);
	sqlite3_bind_int64(s, 2, now);
	if (sqlite3_step(s) != SQLITE_DONE) {
		e = store_db_err(st, err, "revoking the old password");
		goto fail;
	}
	sqlite3_finalize(s);
	if ((e = prepare(st, sql_insert, &s, err)))
		goto fail;
	store_bind_text(s, 1, name);
	store_bind_text(s, 2, role_selectors[role]);
	store_bind_text(s, 3, hash);
	sqlite3_bind_int64(s, 4, now);
	if (sqlite3_step(s) != SQLITE_DONE) {
		e = store_db_err(st, err, "adding the user");
		goto fail;
	}
	sqlite3_finalize(s);
	s = NULL;
	if ((e = store_audit(st, who, "user.add", object, dtext, err)))
		goto fail;
	e = store_commit(st, err);
	goto out;
fail:
	sqlite3_finalize(s);
	s = NULL;
	store_rollback(st);
out:
	sqlite3_finalize(s);
	sodium_memzero(hash, sizeof(hash));
	free(dtext);
	json_decref(detail);
	return e;
}

/* A hash of a password nobody has, so that an unknown name costs as much
 * as a known one. Computed once per call: cheap next to the verify. */
static void dummy_verify(const char *password, size_t pwlen)
{
	static const char dummy[crypto_pwhash_STRBYTES] =
		"$argon2id$v=19$m=65536,t=2,p=1$"
		"c29tZXNhbHRzb21lc2FsdA$"
		"mQ7yC5C2bHYtVFWCAZz0X3lZpDfUQl6V3ZC8a2y0q6U";
	int rc = crypto_pwhash_str_verify(dummy, password, pwlen);
	(void)rc;	/* it never matches: only its cost counts */
}

enum mamori_err store_user_verify(struct store *st, const char *name,
				  const char *password, size_t pwlen,
				  enum user_role *role, struct strbuf *err)
{
	sqlite3_stmt *s = NULL;
	enum mamori_err e;
	char hash[crypto_pwhash_STRBYTES];
	char selector[32];
	int rc, found = 0;

	if (!name || !password || !user_name_valid(name, strlen(name)) ||
	    pwlen == 0 || pwlen > USER_PASSWORD_MAX) {
		if (password && pwlen <= USER_PASSWORD_MAX)
			dummy_verify(password, pwlen);
		return MAMORI_EDENIED;
	}
	if ((e = prepare(st, sql_find, &s, err)))
		return e;
	store_bind_text(s, 1, name);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const char *sel = (const char *)sqlite3_column_text(s, 0);
		const char *h = (const char *)sqlite3_column_text(s, 1);
		if (sel && h && strlen(h) < sizeof(hash) &&
		    strlen(sel) < sizeof(selector)) {
			memcpy(hash, h, strlen(h) + 1);
			memcpy(selector, sel, strlen(sel) + 1);
			found = 1;
		}
	} else if (rc != SQLITE_DONE) {
		e = store_db_err(st, err, "looking up the user");
		sqlite3_finalize(s);
		return e;
	}
	sqlite3_finalize(s);
	if (!found) {
		dummy_verify(password, pwlen);
		return MAMORI_EDENIED;
	}
	if (crypto_pwhash_str_verify(hash, password, pwlen) != 0)
		return MAMORI_EDENIED;
	for (int i = 0; i < USER_ROLE__MAX; i++) {
		if (strcmp(selector, role_selectors[i]) == 0) {
			*role = (enum user_role)i;
			return MAMORI_OK;
		}
	}
	return MAMORI_EDENIED;
}

enum mamori_err store_signin_audit(struct store *st,
				   const struct store_actor *who, bool ok,
				   struct strbuf *err)
{
	enum mamori_err e;

	if ((e = store_begin(st, err)))
		return e;
	if ((e = store_audit(st, who, ok ? "session.start" : "session.refused",
			     who->who, "{}", err))) {
		store_rollback(st);
		return e;
	}
	return store_commit(st, err);
}
