/*
 * web_int.h - what the web layer's files share: roles, the request and
 * the reply, sessions, and the route table. Never included outside
 * src/web/ (and its tests).
 */
#ifndef MAMORI_WEB_INT_H
#define MAMORI_WEB_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "instrument/instrument.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/strbuf.h"
#include "web/form.h"

enum role { ROLE_NONE, ROLE_RESPONDENT, ROLE_REGULATOR, ROLE_ADMIN,
	    ROLE__MAX };
#define ROLE_BIT(r) (1u << (r))
#define ROLES_STAFF (ROLE_BIT(ROLE_REGULATOR) | ROLE_BIT(ROLE_ADMIN))
#define ROLES_SIGNED_IN (ROLE_BIT(ROLE_RESPONDENT) | ROLES_STAFF)
#define ROLES_ANY (ROLE_BIT(ROLE_NONE) | ROLES_SIGNED_IN)

const char *role_name(enum role r);

enum method { METHOD_GET, METHOD_POST, METHOD_PUT, METHOD__MAX };
const char *method_name(enum method m);

#define WEB_BODY_MAX (1024 * 1024)
#define WEB_ID_MAX 64
#define SESSION_ID_BYTES 32
#define SESSION_HEX (2 * SESSION_ID_BYTES + 1)

struct session {
	unsigned char id[SESSION_ID_BYTES];
	char csrf[SESSION_HEX];		/* hex of 32 random bytes */
	enum role role;
	char who[WEB_ID_MAX + 1];	/* organisation id or user name */
	int64_t campaign;		/* respondent: the campaign admitted */
	int64_t created, last_seen;
	bool used;
};

struct throttle_entry {
	char key[WEB_ID_MAX + 16];
	unsigned fails;
	int64_t since;
};

/* Sessions live in SESSION_BUCKETS buckets of SESSION_WAYS slots, the
 * bucket chosen by the id's first (random) bytes. */
#define SESSION_BUCKETS 1024
#define SESSION_WAYS 16
#define SESSION_MAX (SESSION_BUCKETS * SESSION_WAYS)
#define THROTTLE_MAX 1024
#define STORE_POOL 4

/* The server's state; passed to every handler through the request. */
struct web {
	const char *db;
	bool secure;
	pthread_mutex_t lock;		/* sessions, throttle */
	struct session *sessions;	/* owned, SESSION_MAX */
	struct throttle_entry *throttle;	/* owned, THROTTLE_MAX */
	pthread_mutex_t pool_lock;
	pthread_cond_t pool_cond;
	struct store *pool[STORE_POOL];	/* owned */
	bool pool_busy[STORE_POOL];
	unsigned inflight;		/* under lock */
};

struct header {
	const char *name, *value;	/* in the request's arena or static */
};

#define REPLY_HEADERS 6

struct reply {
	unsigned status;
	const char *type;		/* Content-Type */
	struct strbuf body;
	size_t nheaders;
	struct header headers[REPLY_HEADERS];
};

struct req {
	struct web *w;
	void *conn;			/* struct MHD_Connection */
	struct arena arena;		/* freed when the request ends */
	enum method method;
	const char *path;
	char ip[64];
	struct strbuf body;		/* at most WEB_BODY_MAX */
	bool too_big;
	struct form form;		/* a page's POST body, parsed */
	int64_t t0_ns;
	/* set by routing */
	bool signed_in;
	struct session sess;		/* a copy, when signed_in */
	int64_t campaign;		/* {campaign} */
	const char *org;		/* {org} */
	enum lang lang;
	struct store *st;		/* borrowed from the pool */
	struct reply reply;
	bool api;
};

typedef void (*handler_fn)(struct req *r);

struct route {
	enum method method;
	const char *pattern;	/* segments; {campaign} and {org} bind */
	unsigned roles;		/* ROLE_BIT()s allowed */
	bool api;		/* JSON answers (else HTML) */
	bool changes;		/* state-changing: needs the CSRF token */
	handler_fn fn;
};

extern const struct route web_routes[];
extern const size_t web_nroutes;

/* ---- server.c: what handlers use ---------------------------------- */

/* A request header, or NULL. */
const char *req_header(struct req *r, const char *name);
/* A query-string argument (decoded by the server), or NULL. */
const char *req_query(struct req *r, const char *name);
void reply_header(struct req *r, const char *name, const char *value);
/* Status + JSON body (takes the reference to j). */
void reply_json(struct req *r, unsigned status, json_t *j);
/* {"error": code, "message": msg}. */
void reply_error(struct req *r, unsigned status, const char *code,
		 const char *msg);
void reply_redirect(struct req *r, const char *location);

/* New session for role/who; sets the cookie; copies it into r->sess. */
enum mamori_err session_start(struct req *r, enum role role, const char *who,
			      int64_t campaign);
void session_end(struct req *r);

/* Login throttling: true when key (an account or an address) is locked. */
bool throttle_locked(struct web *w, const char *kind, const char *key);
void throttle_fail(struct web *w, const char *kind, const char *key);
void throttle_clear(struct web *w, const char *kind, const char *key);

int64_t web_now(void);

/* ---- api.c, pages.c, iot.c: the handlers -------------------------- */

void api_login(struct req *r);
void api_logout(struct req *r);
void api_campaigns(struct req *r);
void api_response_get(struct req *r);
void api_response_put(struct req *r);
void api_response_submit(struct req *r);
void api_responses_org(struct req *r);
void api_campaign_status(struct req *r);

void page_root(struct req *r);
void page_login(struct req *r);
void page_login_post(struct req *r);
void page_staff_login(struct req *r);
void page_staff_login_post(struct req *r);
void page_logout(struct req *r);
void page_campaigns(struct req *r);
void page_form(struct req *r);
void page_form_post(struct req *r);
void page_review(struct req *r);
void page_submit(struct req *r);
void page_receipt(struct req *r);
void page_dashboard(struct req *r);
void page_missing_csv(struct req *r);
void page_response_view(struct req *r);
void page_static_css(struct req *r);
void page_iot(struct req *r);
void page_iot_post(struct req *r);

/* The frame of every page (pages.c): page_begin resets the reply to a
 * 200 HTML page, writes the head, the site header with the language
 * switch and sign-out, and opens <main>; it returns the body to write
 * into. page_end closes it. title is escaped. */
struct strbuf *page_begin(struct req *r, const char *title);
void page_end(struct req *r);

/* Shared by api.c and pages.c: the login checks (throttled). On success
 * the session is started. Returns 200, 401, 429 or 500. */
unsigned login_respondent(struct req *r, const char *org, const char *code);
unsigned login_staff(struct req *r, const char *user, const char *pw,
		     size_t pwlen);

/* A response as handlers show it: state, answers, the instrument. */
struct resp_view {
	struct store_campaign camp;	/* owned: store_campaign_release */
	struct store_response state;
	json_t *answers;		/* owned: the newest revision's, or {} */
	int64_t saved_at;		/* of the newest revision */
	const struct instrument *ins;	/* owned by the store */
	struct validator *v;		/* owned: validator_free */
	const struct vresult *res;	/* of the answers, owned by v */
};

/* Load campaign, state, answers and validate them. The status to send
 * on failure (404, 500), 0 on success; release with resp_view_release. */
unsigned resp_load(struct req *r, const char *org, struct resp_view *v);
void resp_view_release(struct resp_view *v);
/* [{"item", "code", "message"}] of the validation's errors. */
json_t *errors_json(const struct vresult *res);
/* "org:ID" or "regulator:NAME" for the audit, from the request's address. */
void req_actor(struct req *r, struct store_actor *a);

/* The embedded stylesheet (static_css.c, generated from web/static). */
extern const char web_css[];
extern const unsigned long web_css_len;

#endif
