/*
 * user.c - credentials other than a campaign's first codes: password
 * users (regulators, administrators) in the credential table (kind
 * 'password', subject = the user name, role = the staff role; before
 * schema 3 the role was kept in selector as "role:...", which the
 * migration copied into role), and re-issuing one organisation's access
 * code. Revoking a credential also ends its sessions. Every statement is
 * in store_sql.c. Must never keep or log a password or a code in clear,
 * nor compare secrets with anything but libsodium.
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

/* Run a prepared statement that returns no row; its changes in *n. */
static enum mamori_err step_done(struct store *st, sqlite3_stmt *s,
				 const char *what, size_t *n,
				 struct strbuf *err)
{
	if (sqlite3_step(s) != SQLITE_DONE)
		return store_db_err(st, err, what);
	if (n)
		*n = (size_t)sqlite3_changes(st->db);
	return MAMORI_OK;
}

/* Ends the sessions of name's current password, then revokes it; inside
 * the caller's transaction. *n: passwords revoked. */
static enum mamori_err revoke_user(struct store *st, const char *name,
				   int64_t now, size_t *n, struct strbuf *err)
{
	sqlite3_stmt *s;
	enum mamori_err e;

	if (!(s = store_stmt(st, STMT_SESSION_END_USER, err)))
		return MAMORI_EDB;
	store_bind_text(s, 1, name);
	sqlite3_bind_int64(s, 2, now);
	if ((e = step_done(st, s, "ending the user's sessions", NULL, err)))
		return e;
	if (!(s = store_stmt(st, STMT_USER_REVOKE, err)))
		return MAMORI_EDB;
	store_bind_text(s, 1, name);
	sqlite3_bind_int64(s, 2, now);
	return step_done(st, s, "revoking the old password", n, err);
}

/* Is there a current password for name? */
static enum mamori_err user_exists(struct store *st, const char *name,
				   bool *exists, struct strbuf *err)
{
	sqlite3_stmt *s = store_stmt(st, STMT_USER_FIND, err);
	int rc;

	if (!s)
		return MAMORI_EDB;
	store_bind_text(s, 1, name);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_err(st, err, "looking up the user");
	*exists = rc == SQLITE_ROW;
	return MAMORI_OK;
}

static enum mamori_err user_put(struct store *st, const struct store_actor *who,
				const char *name, enum user_role role,
				const char *password, size_t pwlen,
				bool replace, struct strbuf *err)
{
	char hash[crypto_pwhash_STRBYTES];
	char object[USER_NAME_MAX + 8];
	sqlite3_stmt *s;
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
	if (!password || pwlen < USER_PASSWORD_MIN ||
	    pwlen > USER_PASSWORD_MAX) {
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
	if (!replace) {
		bool exists = false;
		if ((e = user_exists(st, name, &exists, err)))
			goto fail;
		if (exists) {
			store_msg(err, "the account '%s' exists already", name);
			e = MAMORI_ECONFLICT;
			goto fail;
		}
	}
	if ((e = revoke_user(st, name, now, NULL, err)))
		goto fail;
	if (!(s = store_stmt(st, STMT_USER_INSERT, err))) {
		e = MAMORI_EDB;
		goto fail;
	}
	store_bind_text(s, 1, name);
	store_bind_text(s, 2, role_names[role]);
	store_bind_text(s, 3, hash);
	sqlite3_bind_int64(s, 4, now);
	if ((e = step_done(st, s, "adding the user", NULL, err)))
		goto fail;
	if ((e = store_audit(st, who, "user.add", object, dtext, err)))
		goto fail;
	e = store_commit(st, err);
	goto out;
fail:
	store_rollback(st);
out:
	sodium_memzero(hash, sizeof(hash));
	free(dtext);
	json_decref(detail);
	return e;
}

enum mamori_err store_user_add(struct store *st, const struct store_actor *who,
			       const char *name, enum user_role role,
			       const char *password, size_t pwlen,
			       struct strbuf *err)
{
	return user_put(st, who, name, role, password, pwlen, true, err);
}

enum mamori_err store_user_create(struct store *st,
				  const struct store_actor *who,
				  const char *name, enum user_role role,
				  const char *password, size_t pwlen,
				  struct strbuf *err)
{
	return user_put(st, who, name, role, password, pwlen, false, err);
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
				  enum user_role *role, int64_t *credential,
				  struct strbuf *err)
{
	sqlite3_stmt *s;
	char hash[crypto_pwhash_STRBYTES];
	int rc, found = 0, r = -1;
	int64_t id = 0;

	if (!name || !password || !user_name_valid(name, strlen(name)) ||
	    pwlen == 0 || pwlen > USER_PASSWORD_MAX) {
		if (password && pwlen <= USER_PASSWORD_MAX)
			dummy_verify(password, pwlen);
		return MAMORI_EDENIED;
	}
	if (!(s = store_stmt(st, STMT_USER_FIND, err)))
		return MAMORI_EDB;
	store_bind_text(s, 1, name);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const char *ro = (const char *)sqlite3_column_text(s, 1);
		const char *h = (const char *)sqlite3_column_text(s, 2);
		id = sqlite3_column_int64(s, 0);
		r = user_role_parse(ro);
		if (h && strlen(h) < sizeof(hash)) {
			memcpy(hash, h, strlen(h) + 1);
			found = 1;
		}
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_err(st, err, "looking up the user");
	if (!found) {
		dummy_verify(password, pwlen);
		return MAMORI_EDENIED;
	}
	rc = crypto_pwhash_str_verify(hash, password, pwlen);
	sodium_memzero(hash, sizeof(hash));
	if (rc != 0 || r < 0)
		return MAMORI_EDENIED;
	*role = (enum user_role)r;
	if (credential)
		*credential = id;
	return MAMORI_OK;
}

enum mamori_err store_user_disable(struct store *st,
				   const struct store_actor *who,
				   const char *name, struct strbuf *err)
{
	char object[USER_NAME_MAX + 8];
	enum mamori_err e;
	size_t n = 0;

	if (!name || !user_name_valid(name, strlen(name))) {
		store_msg(err, "no account '%s'", name ? name : "");
		return MAMORI_ENOENT;
	}
	snprintf(object, sizeof(object), "user:%s", name);
	if ((e = store_begin(st, err)))
		return e;
	if ((e = revoke_user(st, name, store_now(st), &n, err)))
		goto fail;
	if (n == 0) {
		store_msg(err, "no enabled account '%s'", name);
		e = MAMORI_ENOENT;
		goto fail;
	}
	if ((e = store_audit(st, who, "user.disable", object, "{}", err)))
		goto fail;
	return store_commit(st, err);
fail:
	store_rollback(st);
	return e;
}

enum mamori_err store_user_list(struct store *st,
				int (*fn)(void *ud, const struct store_user *u),
				void *ud, struct strbuf *err)
{
	sqlite3_stmt *s = store_stmt(st, STMT_USER_LIST, err);
	int rc;

	if (!s)
		return MAMORI_EDB;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int role = user_role_parse((const char *)
					   sqlite3_column_text(s, 1));
		struct store_user u = {
			.name = (const char *)sqlite3_column_text(s, 0),
			.role = role < 0 ? USER_ROLE__MAX : (enum user_role)role,
			.created_at = sqlite3_column_int64(s, 2),
			.disabled_at = sqlite3_column_int64(s, 3),
		};
		if (!u.name || role < 0)
			continue;	/* not a staff account */
		if (fn(ud, &u))
			break;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_err(st, err, "listing the users");
	return MAMORI_OK;
}

/* ---- access codes ------------------------------------------------- */

enum mamori_err store_access_code_reissue(struct store *st,
					  const struct store_actor *who,
					  int64_t campaign, const char *org,
					  char *code, struct strbuf *err)
{
	char sel[STORE_CODE_SELECTOR + 1];
	char hash[crypto_pwhash_STRBYTES];
	char object[96];
	char detail[64];
	sqlite3_stmt *s;
	enum mamori_err e;
	int64_t now = store_now(st);
	size_t revoked = 0;
	int rc;

	code[0] = '\0';
	if (!org || !*org || strlen(org) > 64) {
		store_msg(err, "no organisation '%s' in campaign %lld",
			  org ? org : "", (long long)campaign);
		return MAMORI_ENOENT;
	}
	if (store_code_new(code, sel, hash)) {
		store_msg(err, "hashing the access code: out of memory");
		e = MAMORI_ENOMEM;
		goto out;
	}
	if ((e = store_begin(st, err)))
		goto out;
	if (!(s = store_stmt(st, STMT_MEMBER_IS, err)))
		goto dberr;
	sqlite3_bind_int64(s, 1, campaign);
	store_bind_text(s, 2, org);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE) {
		store_msg(err, "no organisation '%s' in campaign %lld", org,
			  (long long)campaign);
		e = MAMORI_ENOENT;
		goto fail;
	}
	if (rc != SQLITE_ROW) {
		e = store_db_err(st, err, "re-issuing an access code");
		goto fail;
	}
	if (!(s = store_stmt(st, STMT_SESSION_END_CODE, err)))
		goto dberr;
	sqlite3_bind_int64(s, 1, campaign);
	store_bind_text(s, 2, org);
	sqlite3_bind_int64(s, 3, now);
	if ((e = step_done(st, s, "ending the old code's sessions", NULL,
			   err)))
		goto fail;
	if (!(s = store_stmt(st, STMT_CODE_REVOKE_ORG, err)))
		goto dberr;
	sqlite3_bind_int64(s, 1, campaign);
	store_bind_text(s, 2, org);
	sqlite3_bind_int64(s, 3, now);
	if ((e = step_done(st, s, "revoking the old code", &revoked, err)))
		goto fail;
	if (!(s = store_stmt(st, STMT_CODE_INSERT, err)))
		goto dberr;
	store_bind_text(s, 1, org);
	sqlite3_bind_int64(s, 2, campaign);
	store_bind_text(s, 3, sel);
	store_bind_text(s, 4, hash);
	sqlite3_bind_int64(s, 5, now);
	if ((e = step_done(st, s, "issuing the access code", NULL, err)))
		goto fail;
	snprintf(object, sizeof(object), "campaign:%lld/%s",
		 (long long)campaign, org);
	snprintf(detail, sizeof(detail), "{\"revoked\":%zu}", revoked);
	if ((e = store_audit(st, who, "code.reissue", object, detail, err)))
		goto fail;
	e = store_commit(st, err);
	goto out;
dberr:
	e = MAMORI_EDB;
fail:
	store_rollback(st);
out:
	if (e)
		sodium_memzero(code, STORE_CODE_LEN + 1);
	sodium_memzero(hash, sizeof(hash));
	return e;
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
