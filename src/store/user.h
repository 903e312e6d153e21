/*
 * user.h - the people who sign in with a password (regulators and
 * administrators): adding them and checking a password. Passwords are
 * kept only as argon2id hashes (libsodium crypto_pwhash_str); a check
 * takes the same time whether the name exists or not. Never logs or
 * stores a password in clear.
 */
#ifndef MAMORI_STORE_USER_H
#define MAMORI_STORE_USER_H

#include <stdbool.h>
#include <stddef.h>

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
 * credential is revoked, never deleted). MAMORI_EINVAL for a bad name or
 * a password shorter than USER_PASSWORD_MIN or longer than
 * USER_PASSWORD_MAX bytes. Audited as user.add.
 */
enum mamori_err store_user_add(struct store *st, const struct store_actor *who,
			       const char *name, enum user_role role,
			       const char *password, size_t pwlen,
			       struct strbuf *err);

/*
 * Check a password. MAMORI_OK with *role set when name has a current
 * credential whose hash the password matches; MAMORI_EDENIED otherwise
 * (unknown name, wrong or revoked password, malformed input).
 */
enum mamori_err store_user_verify(struct store *st, const char *name,
				  const char *password, size_t pwlen,
				  enum user_role *role, struct strbuf *err);

/*
 * Record a sign-in in the audit log: action "session.start" (ok) or
 * "session.refused", object and who from who (e.g. "org:H001" from
 * "192.0.2.7"). Secrets are never part of it.
 */
enum mamori_err store_signin_audit(struct store *st,
				   const struct store_actor *who, bool ok,
				   struct strbuf *err);

#endif
