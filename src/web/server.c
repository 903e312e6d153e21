/*
 * server.c - the HTTP side of the web layer on libmicrohttpd: reading a
 * request (with its body limit), finding its route in the one route
 * table, the session, the role and CSRF checks, the security headers,
 * the access log, the store pool and a graceful stop. Handlers see a
 * request only after all of that passed. Must never log a secret or an
 * answer, nor let a handler run for a role its route does not allow.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "util/num.h"
#include "util/xalloc.h"
#include "util/html.h"
#include "web/web.h"
#include "web/web_int.h"
#include "util/banned.h"

#define COOKIE_NAME "mamori_session"
#define SESSION_IDLE (60 * 60)		/* signed out after an idle hour */
#define SESSION_LIFE (12 * 60 * 60)	/* and after twelve hours anyway */
#define THROTTLE_WINDOW (15 * 60)
#define THROTTLE_ACCOUNT 5		/* failures per account per window */
#define THROTTLE_ADDRESS 50		/* failures per address per window */
#define CONNECTION_TIMEOUT 30		/* seconds of silence */
#define CONNECTION_LIMIT 256
#define PER_IP_LIMIT 64
#define STOP_GRACE_MS 10000

static const char *const role_names[ROLE__MAX] = {
	[ROLE_NONE] = "nobody",
	[ROLE_RESPONDENT] = "respondent",
	[ROLE_REGULATOR] = "regulator",
	[ROLE_ADMIN] = "admin",
};

static const char *const method_names[METHOD__MAX] = {
	[METHOD_GET] = "GET",
	[METHOD_POST] = "POST",
	[METHOD_PUT] = "PUT",
};

const char *role_name(enum role r)
{
	return (unsigned)r < ROLE__MAX ? role_names[r] : "?";
}

const char *method_name(enum method m)
{
	return (unsigned)m < METHOD__MAX ? method_names[m] : "?";
}

int64_t web_now(void)
{
	return (int64_t)time(NULL);
}

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- replies ----------------------------------------------------------- */

const char *req_header(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_query(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
					   name);
}

void reply_header(struct req *r, const char *name, const char *value)
{
	if (r->reply.nheaders < REPLY_HEADERS)
		r->reply.headers[r->reply.nheaders++] =
			(struct header){ name, value };
}

void reply_json(struct req *r, unsigned status, json_t *j)
{
	char *text = j ? json_dumps(j, JSON_COMPACT)
		       : NULL;

	json_decref(j);
	strbuf_reset(&r->reply.body);
	r->reply.type = "application/json";
	if (!text) {
		r->reply.status = 500;
		strbuf_addstr(&r->reply.body,
			      "{\"error\":\"internal\",\"message\":"
			      "\"out of memory\"}");
		return;
	}
	r->reply.status = status;
	strbuf_addstr(&r->reply.body, text);
	strbuf_addch(&r->reply.body, '\n');
	free(text);
}

void reply_error(struct req *r, unsigned status, const char *code,
		 const char *msg)
{
	if (r->api) {
		reply_json(r, status, json_pack("{s:s,s:s}", "error", code,
						"message", msg));
		return;
	}
	strbuf_reset(&r->reply.body);
	r->reply.status = status;
	r->reply.type = "text/html; charset=utf-8";
	html_addf(&r->reply.body,
		  "<!doctype html>\n<html lang=\"en\"><head><meta charset="
		  "\"utf-8\"><meta name=\"viewport\" content=\"width="
		  "device-width, initial-scale=1\"><title>%u</title><link "
		  "rel=\"stylesheet\" href=\"/static/mamori.css\"></head>"
		  "<body><main><h1>%u</h1><p>%s</p><p><a href=\"/\">mamori"
		  "</a></p></main></body></html>\n", status, status, msg);
}

void reply_redirect(struct req *r, const char *location)
{
	strbuf_reset(&r->reply.body);
	r->reply.status = 303;
	r->reply.type = "text/plain; charset=utf-8";
	reply_header(r, "Location", arena_strdup(&r->arena, location));
}

/* ---- sessions ---------------------------------------------------------- */

static void hex(char *out, const unsigned char *p, size_t n)
{
	sodium_bin2hex(out, 2 * n + 1, p, n);
}

static size_t session_bucket(const unsigned char *id)
{
	return ((size_t)id[0] | (size_t)id[1] << 8) % SESSION_BUCKETS *
	       SESSION_WAYS;
}

static struct session *session_find_locked(struct web *w,
					   const unsigned char *id)
{
	size_t b = session_bucket(id);

	for (size_t i = b; i < b + SESSION_WAYS; i++) {
		struct session *t = &w->sessions[i];
		if (t->used && sodium_memcmp(t->id, id, SESSION_ID_BYTES) == 0)
			return t;
	}
	return NULL;
}

enum mamori_err session_start(struct req *r, enum role role, const char *who,
			      int64_t campaign)
{
	struct web *w = r->w;
	struct session s = { 0 };
	int64_t now = web_now();
	size_t slot = SESSION_MAX, oldest = 0;
	char idhex[SESSION_HEX];
	char *cookie;
	unsigned char csrf[SESSION_ID_BYTES];

	if (strlen(who) > WEB_ID_MAX)
		return MAMORI_EINVAL;
	if (r->signed_in) {	/* a new sign-in replaces the old session */
		pthread_mutex_lock(&w->lock);
		struct session *old = session_find_locked(w, r->sess.id);
		if (old)
			sodium_memzero(old, sizeof(*old));
		pthread_mutex_unlock(&w->lock);
		r->signed_in = false;
	}
	randombytes_buf(s.id, sizeof(s.id));
	randombytes_buf(csrf, sizeof(csrf));
	hex(s.csrf, csrf, sizeof(csrf));
	s.role = role;
	memcpy(s.who, who, strlen(who) + 1);
	s.campaign = campaign;
	s.created = s.last_seen = now;
	s.used = true;
	pthread_mutex_lock(&w->lock);
	oldest = session_bucket(s.id);
	for (size_t i = oldest, end = oldest + SESSION_WAYS; i < end; i++) {
		struct session *t = &w->sessions[i];
		if (t->used && (now - t->last_seen > SESSION_IDLE ||
				now - t->created > SESSION_LIFE)) {
			sodium_memzero(t, sizeof(*t));
		}
		if (!t->used) {
			if (slot == SESSION_MAX)
				slot = i;
		} else if (t->last_seen < w->sessions[oldest].last_seen) {
			oldest = i;
		}
	}
	if (slot == SESSION_MAX)
		slot = oldest;	/* bucket full: its longest idle one goes */
	w->sessions[slot] = s;
	pthread_mutex_unlock(&w->lock);
	r->sess = s;
	r->signed_in = true;
	hex(idhex, s.id, sizeof(s.id));
	cookie = arena_alloc(&r->arena, 256);
	if (!cookie)
		return MAMORI_ENOMEM;
	snprintf(cookie, 256, COOKIE_NAME "=%s; Path=/; HttpOnly; "
		 "SameSite=Strict; Max-Age=%d%s", idhex, SESSION_LIFE,
		 w->secure ? "; Secure" : "");
	sodium_memzero(idhex, sizeof(idhex));
	reply_header(r, "Set-Cookie", cookie);
	return MAMORI_OK;
}

void session_end(struct req *r)
{
	struct web *w = r->w;

	if (r->signed_in) {
		pthread_mutex_lock(&w->lock);
		struct session *t = session_find_locked(w, r->sess.id);
		if (t)
			sodium_memzero(t, sizeof(*t));
		pthread_mutex_unlock(&w->lock);
		r->signed_in = false;
	}
	reply_header(r, "Set-Cookie", COOKIE_NAME "=; Path=/; HttpOnly; "
		     "SameSite=Strict; Max-Age=0");
}

/* Finds the request's session from its cookie; copies it into r->sess. */
static void session_load(struct req *r)
{
	const char *c = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND,
						    COOKIE_NAME);
	unsigned char id[SESSION_ID_BYTES];
	size_t got = 0;
	int64_t now = web_now();
	struct session *t;

	if (!c || strlen(c) != 2 * SESSION_ID_BYTES ||
	    sodium_hex2bin(id, sizeof(id), c, strlen(c), NULL, &got, NULL) ||
	    got != sizeof(id))
		return;
	pthread_mutex_lock(&r->w->lock);
	t = session_find_locked(r->w, id);
	if (t && (now - t->last_seen > SESSION_IDLE ||
		  now - t->created > SESSION_LIFE)) {
		sodium_memzero(t, sizeof(*t));
		t = NULL;
	}
	if (t) {
		t->last_seen = now;
		r->sess = *t;
		r->signed_in = true;
	}
	pthread_mutex_unlock(&r->w->lock);
}

/* ---- throttling -------------------------------------------------------- */

static struct throttle_entry *throttle_slot(struct web *w, const char *key,
					    bool create, int64_t now)
{
	size_t oldest = 0;

	for (size_t i = 0; i < THROTTLE_MAX; i++) {
		struct throttle_entry *t = &w->throttle[i];
		if (t->key[0] && now - t->since > THROTTLE_WINDOW)
			memset(t, 0, sizeof(*t));
		if (t->key[0] && strcmp(t->key, key) == 0)
			return t;
		if (w->throttle[oldest].key[0] &&
		    (!t->key[0] || t->since < w->throttle[oldest].since))
			oldest = i;
	}
	if (!create)
		return NULL;
	memset(&w->throttle[oldest], 0, sizeof(w->throttle[oldest]));
	snprintf(w->throttle[oldest].key, sizeof(w->throttle[oldest].key),
		 "%s", key);
	w->throttle[oldest].since = now;
	return &w->throttle[oldest];
}

static void throttle_key(char *buf, size_t len, const char *kind,
			 const char *key)
{
	snprintf(buf, len, "%s:%.*s", kind, WEB_ID_MAX, key ? key : "");
}

bool throttle_locked(struct web *w, const char *kind, const char *key)
{
	char k[WEB_ID_MAX + 16];
	struct throttle_entry *t;
	bool locked;
	unsigned limit = strcmp(kind, "addr") == 0 ? THROTTLE_ADDRESS
						   : THROTTLE_ACCOUNT;

	throttle_key(k, sizeof(k), kind, key);
	pthread_mutex_lock(&w->lock);
	t = throttle_slot(w, k, false, web_now());
	locked = t && t->fails >= limit;
	pthread_mutex_unlock(&w->lock);
	return locked;
}

void throttle_fail(struct web *w, const char *kind, const char *key)
{
	char k[WEB_ID_MAX + 16];
	struct throttle_entry *t;

	throttle_key(k, sizeof(k), kind, key);
	pthread_mutex_lock(&w->lock);
	t = throttle_slot(w, k, true, web_now());
	if (t)
		t->fails++;
	pthread_mutex_unlock(&w->lock);
}

void throttle_clear(struct web *w, const char *kind, const char *key)
{
	char k[WEB_ID_MAX + 16];
	struct throttle_entry *t;

	throttle_key(k, sizeof(k), kind, key);
	pthread_mutex_lock(&w->lock);
	t = throttle_slot(w, k, false, web_now());
	if (t)
		memset(t, 0, sizeof(*t));
	pthread_mutex_unlock(&w->lock);
}

/* ---- the store pool ---------------------------------------------------- */

static struct store *pool_borrow(struct web *w, size_t *slot)
{
	pthread_mutex_lock(&w->pool_lock);
	for (;;) {
		for (size_t i = 0; i < STORE_POOL; i++) {
			if (!w->pool_busy[i]) {
				w->pool_busy[i] = true;
				*slot = i;
				pthread_mutex_unlock(&w->pool_lock);
				return w->pool[i];
			}
		}
		pthread_cond_wait(&w->pool_cond, &w->pool_lock);
	}
}

static void pool_return(struct web *w, size_t slot)
{
	pthread_mutex_lock(&w->pool_lock);
	w->pool_busy[slot] = false;
	pthread_cond_signal(&w->pool_cond);
	pthread_mutex_unlock(&w->pool_lock);
}

/* ---- routing ----------------------------------------------------------- */

/* Does path match pattern? Binds {campaign} and {org} into r. */
static bool route_match(struct req *r, const char *pattern, const char *path)
{
	const char *p = pattern, *u = path;

	while (*p && *u) {
		if (*p == '{') {
			const char *pe = strchr(p, '}');
			const char *ue = strchr(u, '/');
			struct slice name, seg;
			if (!pe)
				return false;
			name = slice_make(p, (size_t)(pe - p + 1));
			seg = slice_make(u, ue ? (size_t)(ue - u) : strlen(u));
			if (slice_eq_cstr(name, "{campaign}")) {
				int64_t id;
				if (!field_valid(FIELD_INT, seg.p, seg.len) ||
				    num_parse_range(seg, 1, INT64_MAX, &id))
					return false;
				r->campaign = id;
			} else if (slice_eq_cstr(name, "{org}")) {
				if (seg.len > WEB_ID_MAX ||
				    !field_valid(FIELD_ID, seg.p, seg.len))
					return false;
				r->org = arena_strndup(&r->arena, seg.p,
						       seg.len);
				if (!r->org)
					return false;
			} else {
				return false;
			}
			p = pe + 1;
			u += seg.len;
		} else if (*p == *u) {
			p++;
			u++;
		} else {
			return false;
		}
	}
	return *p == '\0' && *u == '\0';
}

static bool same_origin(struct req *r)
{
	const char *origin = req_header(r, "Origin");
	const char *host = req_header(r, "Host");
	const char *h;

	if (!origin)
		return true;	/* not a browser's cross-site request */
	if (!host)
		return false;
	if (strncmp(origin, "http://", 7) == 0)
		h = origin + 7;
	else if (strncmp(origin, "https://", 8) == 0)
		h = origin + 8;
	else
		return false;
	return strcmp(h, host) == 0;
}

static bool csrf_ok(struct req *r)
{
	const char *t = r->api ? req_header(r, "X-CSRF-Token")
			       : form_get(&r->form, "csrf");

	if (!r->signed_in || !t || strlen(t) != SESSION_HEX - 1)
		return false;
	return sodium_memcmp(t, r->sess.csrf, SESSION_HEX - 1) == 0;
}

static bool content_type_is(struct req *r, const char *want)
{
	const char *ct = req_header(r, "Content-Type");
	size_t n = strlen(want);

	return ct && strncasecmp(ct, want, n) == 0 &&
	       (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static void dispatch(struct req *r, const char *path)
{
	const struct route *rt = NULL;
	bool path_known = false;
	enum role role;
	const char *lang = req_query(r, "lang");
	size_t slot;

	r->path = path;
	r->api = strncmp(path, "/api/", 5) == 0;
	r->lang = lang && strcmp(lang, "en") == 0 ? LANG_EN : LANG_JA;
	for (size_t i = 0; i < web_nroutes; i++) {
		if (!route_match(r, web_routes[i].pattern, path))
			continue;
		path_known = true;
		if (web_routes[i].method == r->method) {
			rt = &web_routes[i];
			break;
		}
	}
	if (!rt) {
		if (path_known) {
			reply_error(r, 405, "method", "method not allowed");
			reply_header(r, "Allow", "GET, POST, PUT");
		} else {
			reply_error(r, 404, "not_found", "no such page");
		}
		return;
	}
	r->api = rt->api;
	session_load(r);
	role = r->signed_in ? r->sess.role : ROLE_NONE;
	if (!(rt->roles & ROLE_BIT(role))) {
		if (role != ROLE_NONE)
			reply_error(r, 403, "forbidden",
				    "not allowed for your role");
		else if (r->api)
			reply_error(r, 401, "unauthenticated",
				    "sign in first");
		else
			reply_redirect(r, "/login");
		return;
	}
	if (r->method != METHOD_GET) {
		if (!same_origin(r)) {
			reply_error(r, 403, "origin", "cross-site request");
			return;
		}
		if (rt->api && r->body.len &&
		    !content_type_is(r, "application/json")) {
			reply_error(r, 415, "media_type",
				    "send application/json");
			return;
		}
		if (!rt->api) {
			enum mamori_err e;
			if (r->body.len &&
			    !content_type_is(r, "application/x-www-form-urlencoded")) {
				reply_error(r, 415, "media_type",
					    "send a form");
				return;
			}
			e = form_parse(&r->arena, r->body.buf, r->body.len,
				       &form_default_limits, &r->form);
			if (e == MAMORI_ETOOBIG) {
				reply_error(r, 413, "too_big",
					    "the form is too large");
				return;
			}
			if (e) {
				reply_error(r, 400, "bad_form",
					    "the form could not be read");
				return;
			}
		}
		if (rt->changes && !csrf_ok(r)) {
			reply_error(r, 403, "csrf",
				    "missing or wrong CSRF token");
			return;
		}
	}
	r->st = pool_borrow(r->w, &slot);
	rt->fn(r);
	r->st = NULL;
	pool_return(r->w, slot);
}

/* ---- libmicrohttpd ----------------------------------------------------- */

static const char csp[] =
	"default-src 'none'; style-src 'self'; img-src 'self'; "
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

static enum MHD_Result send_reply(struct req *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	if (r->reply.body.err)
		reply_error(r, 500, "internal", "out of memory");
	resp = MHD_create_response_from_buffer(r->reply.body.len,
					       r->reply.body.buf,
					       MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", r->reply.type
				? r->reply.type : "text/plain; charset=utf-8");
	MHD_add_response_header(resp, "Content-Security-Policy", csp);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Cache-Control",
				strncmp(r->path ? r->path : "", "/static/", 8)
				? "no-store" : "public, max-age=3600");
	for (size_t i = 0; i < r->reply.nheaders; i++)
		MHD_add_response_header(resp, r->reply.headers[i].name,
					r->reply.headers[i].value);
	if (r->reply.status == 0)
		r->reply.status = 500;
	ret = MHD_queue_response(r->conn, r->reply.status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct web *w = cls;
	struct req *r = *con_cls;

	(void)version;
	if (!r) {
		const union MHD_ConnectionInfo *ci;
		const char *cl;
		r = xcalloc(1, sizeof(*r));
		r->w = w;
		r->conn = conn;
		r->t0_ns = mono_ns();
		arena_init(&r->arena, 16 * 1024);
		strbuf_init(&r->body, WEB_BODY_MAX);
		strbuf_init(&r->reply.body, 0);
		r->path = arena_strdup(&r->arena, url);
		r->method = METHOD__MAX;
		for (int m = 0; m < METHOD__MAX; m++)
			if (strcmp(method, method_names[m]) == 0)
				r->method = (enum method)m;
		ci = MHD_get_connection_info(conn,
					     MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		if (ci && ci->client_addr) {
			const struct sockaddr *sa = ci->client_addr;
			if (sa->sa_family == AF_INET)
				inet_ntop(AF_INET, &((const struct sockaddr_in *)
					  (const void *)sa)->sin_addr, r->ip,
					  sizeof(r->ip));
			else if (sa->sa_family == AF_INET6)
				inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)
					  (const void *)sa)->sin6_addr, r->ip,
					  sizeof(r->ip));
		}
		if (!r->ip[0])
			snprintf(r->ip, sizeof(r->ip), "unknown");
		*con_cls = r;
		pthread_mutex_lock(&w->lock);
		w->inflight++;
		pthread_mutex_unlock(&w->lock);
		if (r->method == METHOD__MAX) {
			reply_error(r, 405, "method", "method not allowed");
			reply_header(r, "Allow", "GET, POST, PUT");
			return send_reply(r);
		}
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						 "Content-Length");
		if (cl) {
			uint64_t n;
			if (num_parse_u64(slice_from_cstr(cl), &n) ||
			    n > WEB_BODY_MAX) {
				r->api = strncmp(url, "/api/", 5) == 0;
				reply_error(r, 413, "too_big",
					    "the request body is too large");
				return send_reply(r);
			}
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (!r->too_big &&
		    strbuf_add(&r->body, upload, *upload_size) != MAMORI_OK) {
			r->too_big = true;
			strbuf_release(&r->body);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->reply.status)
		return MHD_YES;	/* answered already (413 before the body) */
	if (r->too_big) {
		r->api = strncmp(url, "/api/", 5) == 0;
		reply_error(r, 413, "too_big", "the request body is too large");
		return send_reply(r);
	}
	dispatch(r, r->path ? r->path : "/");
	return send_reply(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn,
			 void **con_cls, enum MHD_RequestTerminationCode toe)
{
	struct web *w = cls;
	struct req *r = *con_cls;
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	int64_t us;

	(void)conn;
	if (!r)
		return;
	us = (mono_ns() - r->t0_ns) / 1000;
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	/* the path only: never the query, a body, a cookie or a header */
	fprintf(stderr, "time=%s addr=%s method=%s path=\"", when, r->ip,
		r->method < METHOD__MAX ? method_names[r->method] : "OTHER");
	for (const char *p = r->path ? r->path : ""; *p; p++)
		fputc((unsigned char)*p < 0x20 || *p == '"' || *p == '\\' ||
		      (unsigned char)*p == 0x7F ? '?' : *p, stderr);
	fprintf(stderr, "\" status=%u bytes=%zu ms=%" PRId64 ".%03" PRId64
		" role=%s%s\n", r->reply.status, r->reply.body.len,
		us / 1000, us % 1000,
		r->signed_in ? role_names[r->sess.role] : "nobody",
		toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? ""
							   : " aborted=1");
	strbuf_release(&r->body);
	strbuf_release(&r->reply.body);
	arena_release(&r->arena);
	free(r);
	*con_cls = NULL;
	pthread_mutex_lock(&w->lock);
	w->inflight--;
	pthread_mutex_unlock(&w->lock);
}

static enum mamori_err parse_listen(const char *s, struct sockaddr_storage *ss,
				    socklen_t *len)
{
	char host[64];
	const char *colon;
	size_t hlen;
	uint64_t port;

	if (!s)
		return MAMORI_EINVAL;
	colon = strrchr(s, ':');
	if (!colon)
		return MAMORI_EINVAL;
	hlen = (size_t)(colon - s);
	if (hlen == 0 || hlen >= sizeof(host) ||
	    num_parse_u64(slice_from_cstr(colon + 1), &port) || port == 0 ||
	    port > 65535)
		return MAMORI_EINVAL;
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	memset(ss, 0, sizeof(*ss));
	if (host[0] == '[' && host[hlen - 1] == ']') {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)(void *)ss;
		host[hlen - 1] = '\0';
		if (inet_pton(AF_INET6, host + 1, &a->sin6_addr) != 1)
			return MAMORI_EINVAL;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		*len = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)(void *)ss;
		if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
			return MAMORI_EINVAL;
		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		*len = sizeof(*a);
	}
	return MAMORI_OK;
}

static void web_release(struct web *w)
{
	for (size_t i = 0; i < STORE_POOL; i++)
		store_free(w->pool[i]);
	if (w->sessions)
		sodium_memzero(w->sessions,
			       SESSION_MAX * sizeof(*w->sessions));
	free(w->sessions);
	free(w->throttle);
	pthread_mutex_destroy(&w->lock);
	pthread_mutex_destroy(&w->pool_lock);
	pthread_cond_destroy(&w->pool_cond);
}

enum mamori_err web_serve(const struct web_opts *o, struct strbuf *err)
{
	struct web w = { 0 };
	struct sockaddr_storage ss;
	socklen_t sslen = 0;
	struct store_open_opts so = { 0 };
	struct MHD_Daemon *d;
	sigset_t sigs;
	enum mamori_err e;
	int sig = 0, waited = 0;
	unsigned left;

	if (sodium_init() < 0) {
		strbuf_addstr(err, "libsodium could not start");
		return MAMORI_EIO;
	}
	if (parse_listen(o->listen, &ss, &sslen)) {
		strbuf_addf(err, "--listen: not ADDRESS:PORT: '%s'",
			    o->listen ? o->listen : "");
		return MAMORI_EINVAL;
	}
	w.db = o->db;
	w.secure = o->secure;
	pthread_mutex_init(&w.lock, NULL);
	pthread_mutex_init(&w.pool_lock, NULL);
	pthread_cond_init(&w.pool_cond, NULL);
	w.sessions = xcalloc(SESSION_MAX, sizeof(*w.sessions));
	w.throttle = xcalloc(THROTTLE_MAX, sizeof(*w.throttle));
	for (size_t i = 0; i < STORE_POOL; i++) {
		if ((e = store_open(o->db, &so, &w.pool[i], err))) {
			web_release(&w);
			return e;
		}
	}
	/* the signals are taken by sigwait below, never by a handler, and
	 * every thread started from here on inherits the mask */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
			     MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ITC |
			     MHD_USE_ERROR_LOG |
			     (ss.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
			     0, NULL, NULL, on_request, &w,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
			     MHD_OPTION_CONNECTION_TIMEOUT,
			     (unsigned)CONNECTION_TIMEOUT,
			     MHD_OPTION_CONNECTION_LIMIT,
			     (unsigned)CONNECTION_LIMIT,
			     MHD_OPTION_PER_IP_CONNECTION_LIMIT,
			     (unsigned)PER_IP_LIMIT,
			     MHD_OPTION_NOTIFY_COMPLETED, on_completed, &w,
			     MHD_OPTION_END);
	if (!d) {
		strbuf_addf(err, "cannot listen on %s: %s", o->listen,
			    strerror(errno));
		pthread_sigmask(SIG_UNBLOCK, &sigs, NULL);
		web_release(&w);
		return MAMORI_EIO;
	}
	fprintf(stderr, "mamori: listening on http://%s/\n", o->listen);
	while (sigwait(&sigs, &sig) != 0 ||
	       (sig != SIGINT && sig != SIGTERM))
		;
	fprintf(stderr, "mamori: %s: finishing the requests in flight\n",
		sig == SIGINT ? "SIGINT" : "SIGTERM");
	{
		MHD_socket fd = MHD_quiesce_daemon(d);
		if (fd != MHD_INVALID_SOCKET)
			close(fd);
	}
	for (;;) {
		pthread_mutex_lock(&w.lock);
		left = w.inflight;
		pthread_mutex_unlock(&w.lock);
		if (left == 0 || waited >= STOP_GRACE_MS)
			break;
		usleep(20 * 1000);
		waited += 20;
	}
	MHD_stop_daemon(d);
	pthread_sigmask(SIG_UNBLOCK, &sigs, NULL);
	fprintf(stderr, "mamori: stopped\n");
	web_release(&w);
	return MAMORI_OK;
}

void web_print_routes(FILE *f)
{
	for (size_t i = 0; i < web_nroutes; i++) {
		const struct route *rt = &web_routes[i];
		fprintf(f, "%s %s", method_names[rt->method], rt->pattern);
		for (int role = 0; role < ROLE__MAX; role++)
			if (rt->roles & ROLE_BIT(role))
				fprintf(f, " %s", role_names[role]);
		fprintf(f, "%s\n", rt->changes ? " csrf" : "");
	}
}
