/*
 * user.h - credentials: the people who sign in with a password
 * (regulators and administrators) - adding, checking, listing and
 * disabling them - and re-issuing one organisation's access code.
 * Passwords are kept only as argon2id hashes (libsodium
 * crypto_pwhash_str); a check takes the same time whether the name
 * exists or not. A staff account's role is the credential's role column.
 * Revoking a credential ends its sessions (store/session.h). Never logs
 * or stores a password or a code in clear.
 */
#ifndef MAMORI_STORE_USER_H
#define MAMORI_STORE_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

enum user_role { USER_REGULATOR, USER_ADMIN, USER_ROLE__MAX };

/* "regulator" / "admin". */
const char *user_role_name(enum user_role r);
/* The role named s, or -1. */
int user_role_parse(const char *s);

#define USER_NAME_MAX 64
#define USER_PASSWORD_MIN 10
#define USER_PASSWORD_MAX 1024

/* A user name: 1..USER_NAME_MAX of [A-Za-z0-9._-], starting with a letter. */
int user_name_valid(const char *name, size_t len);

/*
 * Add a user, or give an existing one a new password and role (the old
 * credential is revoked, never deleted, and its sessions end).
 * MAMORI_EINVAL for a bad name or a password shorter than
 * USER_PASSWORD_MIN or longer than USER_PASSWORD_MAX bytes. Audited as
 * user.add.
 */
enum mamori_err store_user_add(struct store *st, const struct store_actor *who,
			       const char *name, enum user_role role,
			       const char *password, size_t pwlen,
			       struct strbuf *err);
/* store_user_add() for a name without a current credential (new, or
 * disabled): MAMORI_ECONFLICT when the account exists and is enabled. */
enum mamori_err store_user_create(struct store *st,
				  const struct store_actor *who,
				  const char *name, enum user_role role,
				  const char *password, size_t pwlen,
				  struct strbuf *err);

/*
 * Check a password. MAMORI_OK with *role and *credential (the
 * credential's id; credential may be NULL) set when name has a current
 * credential whose hash the password matches; MAMORI_EDENIED otherwise
 * (unknown name, wrong or revoked password, malformed input).
 */
enum mamori_err store_user_verify(struct store *st, const char *name,
				  const char *password, size_t pwlen,
				  enum user_role *role, int64_t *credential,
				  struct strbuf *err);

/*
 * Disable an account: its password is revoked and its sessions end.
 * MAMORI_ENOENT when name has no current credential. Audited as
 * user.disable.
 */
enum mamori_err store_user_disable(struct store *st,
				   const struct store_actor *who,
				   const char *name, struct strbuf *err);

struct store_user {
	const char *name;
	enum user_role role;
	int64_t created_at;	/* of the newest password */
	int64_t disabled_at;	/* 0 when enabled */
};

/* Every account by name, with its newest password's role and state; fn
 * returns non-zero to stop. Strings live for the call. */
enum mamori_err store_user_list(struct store *st,
				int (*fn)(void *ud, const struct store_user *u),
				void *ud, struct strbuf *err);

/*
 * Issue a new access code to org for campaign: its current code is
 * revoked and that code's sessions end, in the same transaction. code
 * (STORE_CODE_LEN + 1 bytes) receives the new code: the only time it
 * exists in clear. MAMORI_ENOENT when org is not in the campaign's
 * population. Audited as code.reissue (object "campaign:N/ORG").
 */
enum mamori_err store_access_code_reissue(struct store *st,
					  const struct store_actor *who,
					  int64_t campaign, const char *org,
					  char *code, struct strbuf *err);

/*
 * Record a sign-in in the audit log: action "session.start" (ok) or
 * "session.refused", object and who from who (e.g. "org:H001" from
 * "192.0.2.7"). Secrets are never part of it.
 */
enum mamori_err store_signin_audit(struct store *st,
				   const struct store_actor *who, bool ok,
				   struct strbuf *err);

#endif
