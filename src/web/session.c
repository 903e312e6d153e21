/*
 * session.c - the web's sign-in sessions, kept in the database
 * (store/session.h) so that a restart signs nobody out and several
 * server processes may share one database: the cookie, the idle and
 * absolute limits, the role a session's credential gives. Must never
 * log or keep a token beyond the request, nor trust a role that the
 * credential in the database does not give now.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include <microhttpd.h>

#include "store/session.h"
#include "web/web_int.h"
#include "util/banned.h"

#define COOKIE_NAME "mamori_session"
#define SESSION_IDLE (60 * 60)		/* signed out after an idle hour */
#define SESSION_LIFE (12 * 60 * 60)	/* and after twelve hours anyway */

_Static_assert(SESSION_HEX == STORE_SESSION_HEX, "one token size");

/* r->sess from a stored session; false when it gives no role. */
static bool sess_from(struct req *r, const struct store_session *s)
{
	struct session *t = &r->sess;

	memset(t, 0, sizeof(*t));
	if (s->organisation)
		t->role = ROLE_RESPONDENT;
	else if (s->role == USER_ADMIN)
		t->role = ROLE_ADMIN;
	else if (s->role == USER_REGULATOR)
		t->role = ROLE_REGULATOR;
	else
		return false;
	if (strlen(s->subject) > WEB_ID_MAX)
		return false;
	memcpy(t->id, s->id, sizeof(t->id));
	memcpy(t->csrf, s->csrf, sizeof(t->csrf));
	memcpy(t->who, s->subject, strlen(s->subject) + 1);
	t->campaign = s->campaign;
	t->credential = s->credential;
	t->created = s->created_at;
	t->last_seen = s->last_seen;
	return true;
}

static void log_failure(struct req *r, const char *what,
			const struct strbuf *err)
{
	fprintf(stderr, "mamori: %s %s: %s: %s\n", method_name(r->method),
		r->path, what, err->len ? err->buf : "failed");
}

enum mamori_err session_start(struct req *r, int64_t credential)
{
	struct strbuf err = STRBUF_INIT;
	struct store_session s;
	char token[STORE_SESSION_HEX];
	enum mamori_err e;
	char *cookie;

	if (r->signed_in) {	/* a new sign-in replaces the old session */
		if (store_session_end(r->st, NULL, r->sess.id, &err))
			log_failure(r, "ending the old session", &err);
		strbuf_reset(&err);
		r->signed_in = false;
	}
	e = store_session_start(r->st, credential, r->ip, SESSION_LIFE, token,
				&s, &err);
	if (e) {
		log_failure(r, "starting a session", &err);
		strbuf_release(&err);
		return e;
	}
	strbuf_release(&err);
	if (!sess_from(r, &s)) {
		sodium_memzero(token, sizeof(token));
		return MAMORI_EINVAL;
	}
	r->signed_in = true;
	cookie = arena_alloc(&r->arena, 256);
	if (!cookie) {
		sodium_memzero(token, sizeof(token));
		return MAMORI_ENOMEM;
	}
	snprintf(cookie, 256, COOKIE_NAME "=%s; Path=/; HttpOnly; "
		 "SameSite=Strict; Max-Age=%d%s", token, SESSION_LIFE,
		 r->w->secure ? "; Secure" : "");
	sodium_memzero(token, sizeof(token));
	reply_header(r, "Set-Cookie", cookie);
	return MAMORI_OK;
}

void session_end(struct req *r)
{
	struct strbuf err = STRBUF_INIT;
	struct store_actor a;

	if (r->signed_in) {
		req_actor(r, &a);
		if (store_session_end(r->st, &a, r->sess.id, &err))
			log_failure(r, "ending a session", &err);
		r->signed_in = false;
	}
	strbuf_release(&err);
	reply_header(r, "Set-Cookie", COOKIE_NAME "=; Path=/; HttpOnly; "
		     "SameSite=Strict; Max-Age=0");
}

void session_load(struct req *r)
{
	const char *c = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND,
						    COOKIE_NAME);
	struct strbuf err = STRBUF_INIT;
	struct store_session s;
	enum mamori_err e;

	if (!c || strlen(c) != SESSION_HEX - 1)
		return;
	/* on the connection the handler then uses: one borrow a request;
	 * inside a read-only route's snapshot last_seen is left to
	 * session_touch() */
	e = store_session_find(r->st, c, SESSION_IDLE, &s, &err);
	if (e == MAMORI_OK)
		r->signed_in = sess_from(r, &s);
	else if (e != MAMORI_ENOENT)
		log_failure(r, "looking up a session", &err);
	strbuf_release(&err);
}

/* After a read-only route's snapshot ended: last_seen written as
 * store_session_find() would have, best effort. */
void session_touch(struct req *r)
{
	if (r->signed_in)
		store_session_touch(r->st, r->sess.id, &r->sess.last_seen);
}
