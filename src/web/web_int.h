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

struct store_written;	/* store/commit.h */

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

/* A signed-in request's session, as read from the database (session.c). */
struct session {
	char id[SESSION_HEX];		/* hex SHA-256 of the cookie's token */
	char csrf[SESSION_HEX];		/* hex of 32 random bytes */
	enum role role;
	char who[WEB_ID_MAX + 1];	/* organisation id or user name */
	int64_t campaign;		/* respondent: the campaign admitted */
	int64_t credential;		/* the credential it belongs to */
	int64_t created, last_seen;
};

struct throttle_entry {
	char key[WEB_ID_MAX + 16];
	unsigned fails;
	int64_t since;
};

#define THROTTLE_MAX 1024
#define STORE_POOL 8

struct form_cache;
struct web_workers;

/* The server's state; passed to every handler through the request. */
struct web {
	const char *db;
	bool secure;
	pthread_mutex_t lock;		/* throttle, inflight, rcache */
	struct throttle_entry *throttle;	/* owned, THROTTLE_MAX */
	pthread_mutex_t pool_lock;
	pthread_cond_t pool_cond;
	struct store *pool[STORE_POOL];	/* owned */
	bool pool_busy[STORE_POOL];
	struct store_committer *committer;	/* owned: the saves' group commit */
	unsigned inflight;		/* under lock */
	/* the access log's lines not yet written (server.c), under lock;
	 * log_each: a line written at once (stderr is a terminal) */
	struct strbuf log;
	bool log_each;
	uint64_t js_version;		/* web_js_version(), once */
	struct form_cache *forms;	/* owned: the form's texts (cache.h) */
	struct web_workers *workers;	/* owned (server.c); NULL: none */
	/* owned: the results' analyses (rcache.h); made by results.c on
	 * first use, under lock; web_release() is to rcache_free() it */
	struct rcache *rcache;
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
	const char *cache;		/* Cache-Control; NULL: the default */
	size_t sent;			/* server.c: body bytes handed over */
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
	/* the report or additional form (?number=N, reports.c); 0: the
	 * organisation's one response */
	int64_t number;
	enum lang lang;
	struct store *st;		/* borrowed from the pool */
	struct reply reply;
	bool api;
	unsigned char job;		/* server.c: handed to a worker */
	/* server.c, req_save_then(): on a polling thread (a .polling
	 * route), where the connection may wait suspended; the save's
	 * continuation, and its result once the writer answered */
	bool can_wait;
	struct save_then *then;
	bool to_worker;			/* server.c: req_to_worker() */
	/* server.c: r's route, when the access handler has looked it up
	 * (its {campaign} and {org} bound); NULL: dispatch() looks */
	const struct route *route;
};

typedef void (*handler_fn)(struct req *r);

struct route {
	enum method method;
	const char *pattern;	/* segments; {campaign} and {org} bind */
	unsigned roles;		/* ROLE_BIT()s allowed */
	bool api;		/* JSON answers (else HTML) */
	bool changes;		/* state-changing: needs the CSRF token */
	bool read_only;		/* its handler never writes: the session
				 * found in the page's read snapshot */
	/* a POST or PUT whose handler never blocks (no password hash, no
	 * commit waited for: a save is left with req_save_then()): run on
	 * the polling thread, not handed to a worker, so that a connection
	 * waiting for its commit holds no thread at all */
	bool polling;
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
/* What reply_json() writes of a value (object or not) and of a string,
 * appended to sb; -1 where json_dumps() would fail (server.c). */
int reply_json_value(struct strbuf *sb, const json_t *j);
int reply_json_string(struct strbuf *sb, const char *s, size_t len);
/* {"error": code, "message": msg}. */
void reply_error(struct req *r, unsigned status, const char *code,
		 const char *msg);
void reply_redirect(struct req *r, const char *location);

/* A connection of the store pool, waiting for a free one; give it back
 * with pool_return(). */
struct store *pool_borrow(struct web *w, size_t *slot);
void pool_return(struct web *w, struct store *st);

/* Login throttling: true when key (an account or an address) is locked. */
bool throttle_locked(struct web *w, const char *kind, const char *key);
void throttle_fail(struct web *w, const char *kind, const char *key);
void throttle_clear(struct web *w, const char *kind, const char *key);

int64_t web_now(void);

/*
 * What a handler does once its save is durable or refused: e, revision
 * and err as store_response_save() would give them; written, when not
 * NULL, what the group commit wrote (store/commit.h: the response right
 * after the save, the campaign as its transaction saw it); r->st is a
 * connection of the pool. Replies as the handler would have.
 */
typedef void (*save_then_fn)(struct req *r, void *ctx, enum mamori_err e,
			     int64_t revision,
			     const struct store_written *written,
			     struct strbuf *err);

/*
 * A respondent's save (REV_DRAFT) or submission (REV_SUBMIT) through the
 * group commit (store/commit.h), written with the saves of other requests
 * in one transaction. It is prepared on r->st now: a refusal there (a
 * stale revision, a closed campaign, bad answers) is returned at once,
 * with its message in err, and then is not called. Otherwise MAMORI_OK,
 * and then(r, ctx, ...) is called once the save is durable or refused:
 * - on a polling thread (r->can_wait: a .polling route), after the
 *   handler returned, the connection suspended meanwhile and holding no
 *   thread; the handler must return at once and leave r->reply alone,
 *   and ctx must live in r->arena (its clean-up registered with
 *   arena_defer(), which runs whether then ran or not);
 * - elsewhere before req_save_then() returns, r->st given back to the
 *   pool while waiting.
 * Either way r->st may be another connection afterwards: the caller must
 * hold nothing read through it (an instrument, a resp_view); one that
 * does calls store_committer_save(r->w->committer, r->st, ...) instead.
 * seen (may be NULL) is told what the store's validation found, as for
 * store_pending_prepare_seen().
 */
/*
 * For the handler of a .polling route that finds, before it replied or
 * changed anything, that this request would block after all (a write of
 * its own, a save it must wait for): the request is run again from the
 * start by a worker (r->can_wait false there). The handler returns at
 * once. Without a polling thread (r->can_wait false) it must not be
 * called.
 */
void req_to_worker(struct req *r);

enum mamori_err req_save_then(struct req *r, enum revision_kind kind,
			      const struct store_actor *who, int64_t campaign,
			      const char *org, const char *json, size_t len,
			      int64_t base, const struct store_seen *seen,
			      save_then_fn then, void *ctx,
			      struct strbuf *err);

/* ---- session.c: sessions in the database (store/session.h) ---------- */

/* A new session for credential (the sign-in just checked; any earlier
 * session of the request ends); sets the cookie and r->sess. */
enum mamori_err session_start(struct req *r, int64_t credential);
/* Ends the request's session (audited) and clears the cookie. */
void session_end(struct req *r);
/* The request's session from its cookie, when live: sets r->signed_in
 * and r->sess. Called by the server before the role check, on r->st,
 * the connection the request has borrowed for its handler too. */
void session_load(struct req *r);
void session_touch(struct req *r);

/* ---- api.c, pages.c, iot.c, admin.c: the handlers ----------------- */

void api_login(struct req *r);
void api_logout(struct req *r);
void api_campaigns(struct req *r);
void api_response_get(struct req *r);
void api_response_put(struct req *r);
void api_response_submit(struct req *r);
void api_responses_org(struct req *r);
void api_campaign_status(struct req *r);
void api_response_check(struct req *r);

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
void page_missing_forms_csv(struct req *r);
/*
 * The body of a page a report renderer made (summary, feedback, IoT-SSF
 * report), without its head and inline stylesheet, which the site's CSP
 * would refuse. Texts inside it are escaped by the renderer, so the first
 * "<body>" and the last "</body>" are its own markup. *p points into
 * html. False when there is no body.
 */
bool web_report_body(const struct strbuf *html, const char **p,
		     size_t *len);
void page_response_view(struct req *r);
/* pages.c, for reports.c: a response's status in the page's language;
 * time t as a <time> element in Japan time */
const char *status_word(const struct req *r, enum response_status s);
void time_element(const struct req *r, struct strbuf *sb, int64_t t);
void page_static_css(struct req *r);
void page_static_js(struct req *r);
void page_form_check(struct req *r);
void page_iot(struct req *r);
void page_iot_post(struct req *r);

/* results.c: a campaign's results for staff (summary, by prefecture,
 * publishing) and, once published, a respondent's own feedback report */
void page_results(struct req *r);
void page_results_prefecture(struct req *r);
void page_results_publish(struct req *r);
void page_results_unpublish(struct req *r);
void page_feedback(struct req *r);
/* The dashboard's results section: links, publication, the tile map. */
void results_dashboard(struct req *r, struct strbuf *sb,
		       const struct store_campaign_status *cs);
/* The campaigns page: a respondent's link to its report, once published. */
void results_link(struct req *r, struct strbuf *sb, int64_t campaign);

struct resp_view;

/*
 * reports.c: more than one response per organisation (docs/api.md,
 * "Reports and vendor forms"). The numbered pages and API calls set
 * r->number from ?number=N (404 when it is missing or not a number) and
 * hand over to the handlers above, which read and write response
 * r->number of the signed-in organisation.
 */
void report_new(struct req *r);
void report_form(struct req *r);
void report_form_post(struct req *r);
void report_form_check(struct req *r);
void report_review(struct req *r);
void report_submit(struct req *r);
void report_receipt(struct req *r);
void report_view(struct req *r);
void api_reports_get(struct req *r);
void api_reports_put(struct req *r);
void api_reports_create(struct req *r);
void api_reports_submit(struct req *r);
void api_reports_check(struct req *r);
void api_reports_org(struct req *r);
/* The regulator returns a submitted response (?number=N: that one) to
 * its organisation: the page redirects back to the view, the API
 * answers {"state": "reopened", "revision", ...}. */
void report_reopen(struct req *r);
void api_reopen(struct req *r);
/* The URL of page ("form", "review", ...) of the request's response:
 * /campaigns/C/PAGE, or /campaigns/C/reports/PAGE?number=N, then
 * lang=en and extra (e.g. "saved=1", which may end in a #fragment) in
 * the query. In the request's arena. */
const char *resp_url(struct req *r, const char *page, const char *extra);
/* "number=N&" for a numbered response's links, else "". */
const char *resp_numq(struct req *r);
/* The campaigns page: a respondent's reports or additional forms, with
 * "new"; nothing for a campaign of one response per organisation. */
void reports_section(struct req *r, struct strbuf *sb,
		     const struct store_campaign *c);
/* "Report 3" / "報告 3" (or vendor form) under a numbered response's
 * title (c NULL: the campaign is read); nothing for number 0. */
void report_meta(struct req *r, struct strbuf *sb,
		 const struct store_campaign *c);
/* Save (submit false) or submit response r->number (>= 1) of the
 * signed-in organisation, as the organisation, on r->st. */
enum mamori_err resp_put_form(struct req *r, bool submit, const char *json,
			      size_t len, int64_t base, int64_t *revision,
			      struct strbuf *err);
/* The regulator's view: true when the campaign takes reports and the
 * page (the organisation's list) was written; after a response's
 * answers, its revisions and the organisation's other responses. */
bool reports_staff_only(struct req *r);
void reports_staff_after(struct req *r, struct strbuf *sb,
			 const struct resp_view *v);

/* admin.c: staff accounts, a campaign's window, access codes, audit */
void admin_users(struct req *r);
void admin_user_create(struct req *r);
void admin_user_disable(struct req *r);
void admin_manage(struct req *r);
void admin_window(struct req *r);
void admin_code(struct req *r);
void admin_audit(struct req *r);

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
	int64_t number;			/* 0, or the report's or form's */
	struct store_response state;
	json_t *answers;		/* owned: the newest revision's, or {} */
	int64_t saved_at;		/* of the newest revision */
	const struct instrument *ins;	/* owned by the store */
	struct validator *v;		/* owned: validator_free, unless */
	bool store_v;			/* v is r->st's own (not freed) */
	const struct vresult *res;	/* of the answers, owned by v */
	json_t *ctx_org, *ctx_campaign;	/* owned: ${org.*}, ${campaign.*} */
};

/* Load campaign, state, answers and validate them. The status to send
 * on failure (404, 500), 0 on success; release with resp_view_release. */
/* A respondent's request for its own campaign (r->campaign); anything
 * else is answered 404 (JSON) and false returned. */
bool own_campaign(struct req *r);
unsigned resp_load(struct req *r, const char *org, struct resp_view *v);
/* The same for response number (>= 1: a report, validated against the
 * campaign's instrument, or an additional form, against its form
 * instrument); 404 for a number not created yet, and for number 0 of a
 * campaign that takes reports. */
unsigned resp_load_form(struct req *r, const char *org, int64_t number,
			struct resp_view *v);
/* The same for a page that shows v and saves nothing: the campaign's
 * population is not counted (0), and v->v is r->st's own validator,
 * valid only while r->st is held and nothing else validates on it. */
unsigned resp_load_page(struct req *r, const char *org, int64_t number,
			struct resp_view *v);
void resp_view_release(struct resp_view *v);
/* Validate answers instead (takes the reference; a NULL is a failure):
 * 0, or 500 with v->res NULL. */
unsigned resp_revalidate(struct req *r, struct resp_view *v, json_t *answers);
/* The engine's path of item it (in row, inside a repeat):
 * "q6_backup", "q11_vpn_devices[2].maker". */
void web_item_path(char *buf, size_t len, const struct instrument *ins,
		   const struct item *it, size_t row);
/* The live check's answer (pages.c; docs/api.md): relevance and messages
 * of every item, progress. A new object, NULL without memory. */
json_t *form_check_json(struct req *r, const struct resp_view *v);
/* api.c, for reports.c: the response's JSON as GET gives it; the body
 * as a JSON object (or a 400 reply and NULL); the save body's members
 * checked (or a 400 reply and false); a store refusal as its reply. */
json_t *view_json(struct req *r, const struct resp_view *v,
		  const char *org);
json_t *body_object(struct req *r, bool empty_ok);
bool read_save_body(struct req *r, json_t *j, bool answers_required,
		    int64_t *base, json_t **answers);
void store_refusal(struct req *r, enum mamori_err e,
		   const struct strbuf *err);
/* [{"item", "code", "message"}] of the validation's errors. */
json_t *errors_json(const struct vresult *res);
/* "org:ID" or "regulator:NAME" for the audit, from the request's address. */
void req_actor(struct req *r, struct store_actor *a);

/* The embedded stylesheet (static_css.c, generated from web/static). */
extern const char web_css[];
extern const unsigned long web_css_len;
/* The form's script (static_js.c, generated from web/static/mamori.js). */
extern const char web_js[];
extern const unsigned long web_js_len;
/* A hash of web_js for its URL, so that it may be cached for long
 * (pages.c; the server computes it once, struct web). */
uint64_t web_js_version(void);

#endif
