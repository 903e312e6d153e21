/*
 * server.c - the HTTP side of the web layer on libmicrohttpd: reading a
 * request (with its body limit), finding its route in the one route
 * table, the session (session.c), the role and CSRF checks, the security
 * headers, the access log, the store pool and a graceful stop. Handlers see a
 * request only after all of that passed. Must never log a secret or an
 * answer, nor let a handler run for a role its route does not allow.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <malloc.h>
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

#include "store/commit.h"
#include "store/session.h"
#include "util/num.h"
#include "util/xalloc.h"
#include "util/html.h"
#include "web/cache.h"
#include "web/rcache.h"
#include "web/web.h"
#include "web/web_int.h"
#include "util/banned.h"

#define THROTTLE_WINDOW (15 * 60)
#define THROTTLE_ACCOUNT 5		/* failures per account per window */
#define THROTTLE_ADDRESS 50		/* failures per address per window */
#define CONNECTION_TIMEOUT 30		/* seconds of silence */
#define CONNECTION_LIMIT 256
/* libmicrohttpd's memory per connection (its default: 32 KiB), for the
 * request's headers and the reply's; it clears it for every request,
 * so it is kept to what a request needs (bodies and replies live apart) */
#define CONNECTION_MEMORY (16u << 10)
#define PER_IP_LIMIT 64
#define STOP_GRACE_MS 10000
#define THREADS_MAX 64			/* MAMORI_WEB_THREADS at most */
/* Threads that run the requests that change something (a save waits
 * there for its group commit) while the polling threads go on serving
 * pages; as many saves as this can share one commit. */
#define WORKERS 64
/* glibc gives a thread's free heap back to the kernel (madvise) once
 * this much is free at its top; at its default (128 KiB) the writer of
 * the group commit did so after nearly every statement, and each time
 * every core flushed its TLB: half of the writer's time (docs/operations.md) */
#define MALLOC_TRIM (8u << 20)
/*
 * The access log is written in batches: a write when this many bytes of
 * lines are waiting, and every LOG_FLUSH_MS from the main thread, and at
 * the stop, so a line appears within a second and a crash loses at most
 * that second. Each write holds whole lines only.
 */
#define LOG_BATCH (16u << 10)
/* A request of a .polling route runs on the polling thread only up to
 * this size; a larger one on a worker, so that parsing and validating
 * it does not hold up the polling thread's other connections. */
#define INLINE_BODY_MAX (64u << 10)
#define LOG_FLUSH_MS 1000

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

/*
 * The JSON text of a string, as json_dumps(JSON_COMPACT) writes it: '"'
 * and '\\' escaped, control characters as \b \f \n \r \t or \u00XX
 * (upper-case hex), everything else as it is. -1 when s is not UTF-8
 * (json_dumps fails then too).
 */
static int json_put_string(struct strbuf *sb, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	const unsigned char *run = p;

	strbuf_addch(sb, '"');
	while (p < end) {
		unsigned c = *p;
		if (c >= 0x80) {	/* a whole UTF-8 sequence, checked */
			size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
			uint32_t cp;
			if (c < 0xC2 || c > 0xF4 || (size_t)(end - p) < n)
				return -1;
			cp = c & (0x3F >> (n - 1));
			for (size_t i = 1; i < n; i++) {
				if ((p[i] & 0xC0) != 0x80)
					return -1;
				cp = (cp << 6) | (p[i] & 0x3F);
			}
			if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
			    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
				return -1;
			p += n;
			continue;
		}
		if (c >= 0x20 && c != '"' && c != '\\') {
			p++;
			continue;
		}
		strbuf_add(sb, run, (size_t)(p - run));
		switch (c) {
		case '"': strbuf_add(sb, "\\\"", 2); break;
		case '\\': strbuf_add(sb, "\\\\", 2); break;
		case '\b': strbuf_add(sb, "\\b", 2); break;
		case '\f': strbuf_add(sb, "\\f", 2); break;
		case '\n': strbuf_add(sb, "\\n", 2); break;
		case '\r': strbuf_add(sb, "\\r", 2); break;
		case '\t': strbuf_add(sb, "\\t", 2); break;
		default: {
			char u[6] = { '\\', 'u', '0', '0', hex[c >> 4],
				      hex[c & 15] };
			strbuf_add(sb, u, sizeof(u));
		}
		}
		run = ++p;
	}
	strbuf_add(sb, run, (size_t)(p - run));
	strbuf_addch(sb, '"');
	return 0;
}

/* A real as jansson writes it: %.17g, ".0" added when it would read
 * back as an integer, the exponent without '+' or leading zeros. */
static int json_put_real(struct strbuf *sb, double d)
{
	char buf[100], *e;
	int n;

	if (d != d || d - d != 0)	/* NaN, infinite: json_dumps fails */
		return -1;
	n = snprintf(buf, sizeof(buf), "%.17g", d);
	if (n < 0 || (size_t)n + 3 >= sizeof(buf))
		return -1;
	if (!strchr(buf, '.') && !strchr(buf, 'e')) {
		memcpy(buf + n, ".0", 3);
		n += 2;
	}
	if ((e = strchr(buf, 'e'))) {
		char *start = e + 1, *from = start + 1;
		if (*start == '-')
			start++;
		while (*from == '0')
			from++;
		if (from != start) {
			memmove(start, from, (size_t)(buf + n - from) + 1);
			n -= (int)(from - start);
		}
	}
	strbuf_add(sb, buf, (size_t)n);
	return 0;
}

/*
 * j as json_dumps(j, JSON_COMPACT) writes it, byte for byte (object
 * members in their order), without its check for loops: a reply is a
 * tree built for it. -1 where json_dumps would fail (not UTF-8, NaN or
 * infinite), and for nesting deeper than 4096 (none is read: jansson's
 * parser stops at 2048, the store's at 64).
 */
static int json_put(struct strbuf *sb, const json_t *j, unsigned depth)
{
	char num[32];

	if (depth > 4096)
		return -1;
	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		const char *sep = "";
		strbuf_addch(sb, '{');
		for (void *it = json_object_iter((json_t *)j); it;
		     it = json_object_iter_next((json_t *)j, it)) {
			strbuf_addstr(sb, sep);
			sep = ",";
			if (json_put_string(sb, json_object_iter_key(it),
					    json_object_iter_key_len(it)))
				return -1;
			strbuf_addch(sb, ':');
			if (json_put(sb, json_object_iter_value(it), depth + 1))
				return -1;
		}
		strbuf_addch(sb, '}');
		return 0;
	}
	case JSON_ARRAY:
		strbuf_addch(sb, '[');
		for (size_t i = 0; i < json_array_size(j); i++) {
			if (i)
				strbuf_addch(sb, ',');
			if (json_put(sb, json_array_get(j, i), depth + 1))
				return -1;
		}
		strbuf_addch(sb, ']');
		return 0;
	case JSON_STRING:
		return json_put_string(sb, json_string_value(j),
				       json_string_length(j));
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
			 json_integer_value(j));
		strbuf_addstr(sb, num);
		return 0;
	case JSON_REAL:
		return json_put_real(sb, json_real_value(j));
	case JSON_TRUE:
		strbuf_addstr(sb, "true");
		return 0;
	case JSON_FALSE:
		strbuf_addstr(sb, "false");
		return 0;
	case JSON_NULL:
		strbuf_addstr(sb, "null");
		return 0;
	}
	return -1;
}

int reply_json_value(struct strbuf *sb, const json_t *j)
{
	return j ? json_put(sb, j, 0) : -1;
}

int reply_json_string(struct strbuf *sb, const char *s, size_t len)
{
	return json_put_string(sb, s, len);
}

void reply_json(struct req *r, unsigned status, json_t *j)
{
	/* written straight into the reply: json_dumps costs about ten
	 * times as much, most of it checking the tree for loops */
	int bad;

	strbuf_reset(&r->reply.body);
	/* json_dumps writes only an object or an array */
	bad = !json_is_object(j) && !json_is_array(j);
	if (!bad)
		bad = json_put(&r->reply.body, j, 0);
	json_decref(j);
	r->reply.type = "application/json";
	if (bad || r->reply.body.err) {
		strbuf_release(&r->reply.body);
		strbuf_init(&r->reply.body, 0);
		r->reply.status = 500;
		strbuf_addstr(&r->reply.body,
			      "{\"error\":\"internal\",\"message\":"
			      "\"out of memory\"}");
		return;
	}
	r->reply.status = status;
	strbuf_addch(&r->reply.body, '\n');
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

struct store *pool_borrow(struct web *w, size_t *slot)
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

void pool_return(struct web *w, struct store *st)
{
	pthread_mutex_lock(&w->pool_lock);
	for (size_t i = 0; i < STORE_POOL; i++)
		if (w->pool[i] == st)
			w->pool_busy[i] = false;
	pthread_cond_signal(&w->pool_cond);
	pthread_mutex_unlock(&w->pool_lock);
}

enum { JOB_NONE, JOB_QUEUED, JOB_DONE };

/* A save left by req_save_then() on a polling thread: in r->arena. */
struct save_then {
	save_then_fn fn;
	void *ctx;
	enum mamori_err e;	/* the writer's answer */
	struct store_written written;	/* when e is MAMORI_OK */
	struct strbuf msg;	/* released with the arena */
};

static void save_then_release(void *p)
{
	strbuf_release(&((struct save_then *)p)->msg);
}

/*
 * The writer's answer to a save of a suspended connection (on the
 * writer's thread): kept in r, and the connection resumed, whose polling
 * thread then runs the continuation (on_request). r may be gone once the
 * connection resumes: not touched after it.
 */
static void save_committed(void *arg, enum mamori_err e,
			   const struct store_written *written,
			   const char *msg)
{
	struct req *r = arg;

	r->then->e = e;
	if (written)
		r->then->written = *written;
	strbuf_addstr(&r->then->msg, msg);
	r->job = JOB_DONE;
	MHD_resume_connection(r->conn);
}

enum mamori_err req_save_then(struct req *r, enum revision_kind kind,
			      const struct store_actor *who, int64_t campaign,
			      const char *org, const char *json, size_t len,
			      int64_t base, const struct store_seen *seen,
			      save_then_fn then, void *ctx,
			      struct strbuf *err)
{
	struct store_pending *p;
	struct save_then *t = NULL;
	enum mamori_err e;
	int64_t revision = 0;
	size_t slot;
	bool snap;

	/* the checks' reads in one snapshot: the file locks taken once */
	snap = store_session_read_begin(r->st, NULL) == MAMORI_OK;
	e = store_pending_prepare_seen(r->st, kind, who, campaign, org, json,
				       len, base, seen, &p, err);
	if (snap)
		store_session_read_end(r->st);
	if (e)
		return e;
	if (r->can_wait && (t = arena_calloc(&r->arena, 1, sizeof(*t))))
		strbuf_init(&t->msg, 0);
	if (r->can_wait && t && !arena_defer(&r->arena, save_then_release, t)) {
		/* the connection waits without a thread: suspended first,
		 * so that the writer's resume always finds it suspended */
		t->fn = then;
		t->ctx = ctx;
		r->then = t;	/* it waits for the writer's answer */
		MHD_suspend_connection(r->conn);
		store_committer_submit(r->w->committer, p, save_committed, r);
		return MAMORI_OK;
	}
	/* other requests may read while this one waits for its commit */
	pool_return(r->w, r->st);
	r->st = NULL;
	e = store_committer_put(r->w->committer, p, &revision, err);
	r->st = pool_borrow(r->w, &slot);
	then(r, ctx, e, revision, NULL, err);
	return MAMORI_OK;
}

void req_to_worker(struct req *r)
{
	r->to_worker = true;
}

/* ---- workers: the requests that write ------------------------------------ */

/*
 * With a thread pool, a request that changes something (a POST or PUT: a
 * sign-in's password hash, a save waiting for its group commit) would
 * hold its polling thread and every connection that thread serves. Its
 * connection is therefore suspended and the request run by a worker,
 * which resumes the connection when the reply is ready.
 */
struct web_workers {
	pthread_mutex_t lock;
	pthread_cond_t work;		/* a job was queued, or stopping */
	struct req *queue[CONNECTION_LIMIT];	/* a ring, under lock */
	size_t head, n;			/* under lock */
	bool stopping;			/* under lock */
	size_t nthreads;
	pthread_t threads[WORKERS];
};

static void dispatch(struct req *r, const char *path);

static void *worker_main(void *arg)
{
	struct web *w = arg;
	struct web_workers *k = w->workers;

	pthread_setname_np(pthread_self(), "mamori-worker");
	pthread_mutex_lock(&k->lock);
	for (;;) {
		struct req *r;
		while (!k->n && !k->stopping)
			pthread_cond_wait(&k->work, &k->lock);
		if (!k->n)
			break;	/* stopping, and nothing is waiting */
		r = k->queue[k->head];
		k->head = (k->head + 1) % CONNECTION_LIMIT;
		k->n--;
		pthread_mutex_unlock(&k->lock);
		dispatch(r, r->path ? r->path : "/");
		r->job = JOB_DONE;
		/* r belongs to its connection again: it may be gone once
		 * the connection resumes, so it is not touched after this */
		MHD_resume_connection(r->conn);
		pthread_mutex_lock(&k->lock);
	}
	pthread_mutex_unlock(&k->lock);
	return NULL;
}

/* Hand r to a worker (its connection suspended until it is done); false
 * when the queue is full or stopping: the caller runs r itself. Called
 * only from the access handler, the one place a connection may be
 * suspended. */
static bool workers_put(struct web_workers *k, struct req *r)
{
	pthread_mutex_lock(&k->lock);
	if (k->stopping || k->n == CONNECTION_LIMIT) {
		pthread_mutex_unlock(&k->lock);
		return false;
	}
	r->job = JOB_QUEUED;
	MHD_suspend_connection(r->conn);
	k->queue[(k->head + k->n) % CONNECTION_LIMIT] = r;
	k->n++;
	pthread_cond_signal(&k->work);
	pthread_mutex_unlock(&k->lock);
	return true;
}

static void workers_stop(struct web *w)
{
	struct web_workers *k = w->workers;

	if (!k)
		return;
	pthread_mutex_lock(&k->lock);
	k->stopping = true;
	pthread_cond_broadcast(&k->work);
	pthread_mutex_unlock(&k->lock);
	/* the jobs queued are run first: their connections are resumed */
	for (size_t i = 0; i < k->nthreads; i++)
		pthread_join(k->threads[i], NULL);
	pthread_cond_destroy(&k->work);
	pthread_mutex_destroy(&k->lock);
	free(k);
	w->workers = NULL;
}

static enum mamori_err workers_start(struct web *w, struct strbuf *err)
{
	struct web_workers *k = xcalloc(1, sizeof(*k));
	int rc;

	pthread_mutex_init(&k->lock, NULL);
	pthread_cond_init(&k->work, NULL);
	w->workers = k;
	for (size_t i = 0; i < WORKERS; i++) {
		if ((rc = pthread_create(&k->threads[i], NULL, worker_main,
					 w))) {
			strbuf_addf(err, "cannot start a worker: %s",
				    strerror(rc));
			workers_stop(w);
			return MAMORI_EIO;
		}
		k->nthreads++;
	}
	return MAMORI_OK;
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

/* The route of r's method and path, binding its {campaign} and {org};
 * NULL with *path_known when only the method differs. */
static const struct route *route_find(struct req *r, const char *path,
				      bool *path_known)
{
	*path_known = false;
	for (size_t i = 0; i < web_nroutes; i++) {
		if (!route_match(r, web_routes[i].pattern, path))
			continue;
		*path_known = true;
		if (web_routes[i].method == r->method)
			return &web_routes[i];
	}
	return NULL;
}

static void dispatch(struct req *r, const char *path)
{
	const struct route *rt;
	bool path_known = false;
	enum role role;
	const char *lang = req_query(r, "lang");
	size_t slot;
	bool snap;

	r->path = path;
	r->api = strncmp(path, "/api/", 5) == 0;
	r->lang = lang && strcmp(lang, "en") == 0 ? LANG_EN : LANG_JA;
	/* found already when the access handler chose where to run it */
	rt = r->route ? r->route : route_find(r, path, &path_known);
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
	/* one connection for the session and the handler */
	r->st = pool_borrow(r->w, &slot);
	/* a route that only reads: its session and its page in one read
	 * snapshot, the file locks taken once; last_seen written after it */
	snap = rt->read_only &&
	       store_session_read_begin(r->st, NULL) == MAMORI_OK;
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
		goto out;
	}
	if (r->method != METHOD_GET) {
		if (!same_origin(r)) {
			reply_error(r, 403, "origin", "cross-site request");
			goto out;
		}
		if (rt->api && r->body.len &&
		    !content_type_is(r, "application/json")) {
			reply_error(r, 415, "media_type",
				    "send application/json");
			goto out;
		}
		if (!rt->api) {
			enum mamori_err e;
			if (r->body.len &&
			    !content_type_is(r, "application/x-www-form-urlencoded")) {
				reply_error(r, 415, "media_type",
					    "send a form");
				goto out;
			}
			e = form_parse(&r->arena, r->body.buf, r->body.len,
				       &form_default_limits, &r->form);
			if (e == MAMORI_ETOOBIG) {
				reply_error(r, 413, "too_big",
					    "the form is too large");
				goto out;
			}
			if (e) {
				reply_error(r, 400, "bad_form",
					    "the form could not be read");
				goto out;
			}
		}
		if (rt->changes && !csrf_ok(r)) {
			reply_error(r, 403, "csrf",
				    "missing or wrong CSRF token");
			goto out;
		}
	}
	rt->fn(r);
out:
	if (snap) {
		store_session_read_end(r->st);
		session_touch(r);
	}
	pool_return(r->w, r->st);	/* req_save may have changed it */
	r->st = NULL;
}

/* ---- libmicrohttpd ----------------------------------------------------- */

static const char csp[] =
	"default-src 'none'; style-src 'self'; img-src 'self'; "
	"script-src 'self'; connect-src 'self'; "
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

static enum MHD_Result send_reply(struct req *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	char *body;

	if (r->reply.body.err)
		reply_error(r, 500, "internal", "out of memory");
	/* the body is handed over, not copied: freed by libmicrohttpd */
	r->reply.sent = r->reply.body.len;
	body = strbuf_detach(&r->reply.body, NULL);
	resp = body ? MHD_create_response_from_buffer_with_free_callback(
			      r->reply.sent, body, free) : NULL;
	if (!resp) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", r->reply.type
				? r->reply.type : "text/plain; charset=utf-8");
	MHD_add_response_header(resp, "Content-Security-Policy", csp);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	/* same-origin, not no-referrer: under no-referrer a browser sends
	 * "Origin: null" with its form posts, which same_origin() refuses */
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Cache-Control", r->reply.cache
				? r->reply.cache
				: strncmp(r->path ? r->path : "", "/static/", 8)
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
	if (r->job == JOB_DONE && r->then) {
		/* its save was answered (resumed): the continuation */
		struct save_then *t = r->then;
		size_t slot;
		r->then = NULL;
		r->st = pool_borrow(w, &slot);
		t->fn(r, t->ctx, t->e, t->e ? 0 : t->written.revision,
		      t->e ? NULL : &t->written, &t->msg);
		pool_return(w, r->st);
		r->st = NULL;
		return send_reply(r);
	}
	if (r->job == JOB_DONE)
		return send_reply(r);	/* a worker answered it (resumed) */
	if (r->reply.status)
		return MHD_YES;	/* answered already (413 before the body) */
	if (r->too_big) {
		r->api = strncmp(url, "/api/", 5) == 0;
		reply_error(r, 413, "too_big", "the request body is too large");
		return send_reply(r);
	}
	if (w->workers && r->method != METHOD_GET) {
		/* a change runs on a worker, unless its handler never
		 * blocks (.polling: a check, or a save left to
		 * req_save_then) */
		bool known;
		const struct route *rt = route_find(r, r->path ? r->path : "/",
						    &known);
		r->route = rt;	/* dispatch() takes it: looked up once */
		r->can_wait = rt && rt->polling &&
			      r->body.len <= INLINE_BODY_MAX;
		if (!r->can_wait && workers_put(w->workers, r))
			return MHD_YES;
	}
	dispatch(r, r->path ? r->path : "/");
	if (r->then)	/* not r->job: the writer may have answered already */
		return MHD_YES;	/* suspended until its save is answered */
	if (r->to_worker) {
		/* it would block: from the start again, on a worker (or
		 * here, waiting, when their queue is full) */
		r->to_worker = false;
		r->can_wait = false;
		if (workers_put(w->workers, r))
			return MHD_YES;
		dispatch(r, r->path ? r->path : "/");
	}
	return send_reply(r);
}

/* Write the access log's waiting lines, in one write; under w->lock. */
static void log_flush_locked(struct web *w)
{
	if (w->log.len)
		fwrite(w->log.buf, 1, w->log.len, stderr); /* unbuffered */
	strbuf_reset(&w->log);
}

static void log_flush(struct web *w)
{
	pthread_mutex_lock(&w->lock);
	log_flush_locked(w);
	pthread_mutex_unlock(&w->lock);
}

/* now as "2026-11-28T02:10:00Z", formatted once a second per thread */
static const char *log_time(time_t now)
{
	static _Thread_local time_t last = -1;
	static _Thread_local char when[32];
	struct tm tm;

	if (now != last) {
		gmtime_r(&now, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		last = now;
	}
	return when;
}

static void on_completed(void *cls, struct MHD_Connection *conn,
			 void **con_cls, enum MHD_RequestTerminationCode toe)
{
	struct web *w = cls;
	struct req *r = *con_cls;
	struct strbuf line = STRBUF_INIT;
	int64_t us;

	(void)conn;
	if (!r)
		return;
	us = (mono_ns() - r->t0_ns) / 1000;
	/* the path only: never the query, a body, a cookie or a header */
	strbuf_addf(&line, "time=%s addr=%s method=%s path=\"",
		    log_time(time(NULL)), r->ip,
		    r->method < METHOD__MAX ? method_names[r->method]
					    : "OTHER");
	for (const char *p = r->path ? r->path : ""; *p; p++)
		strbuf_addch(&line, (unsigned char)*p < 0x20 || *p == '"' ||
				    *p == '\\' || (unsigned char)*p == 0x7F
				    ? '?' : *p);
	strbuf_addf(&line, "\" status=%u bytes=%zu ms=%" PRId64 ".%03" PRId64
		    " role=%s%s\n", r->reply.status,
		    r->reply.sent + r->reply.body.len,
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
	if (strbuf_add(&w->log, line.buf, line.len) != MAMORI_OK) {
		log_flush_locked(w);	/* out of memory: this line alone */
		fwrite(line.buf, 1, line.len, stderr);
	} else if (w->log_each || w->log.len >= LOG_BATCH) {
		log_flush_locked(w);
	}
	pthread_mutex_unlock(&w->lock);
	strbuf_release(&line);
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

/*
 * How libmicrohttpd runs requests: N threads each polling its share of
 * the connections with epoll, N the number of cores (at least 2) or
 * MAMORI_WEB_THREADS=N (1..THREADS_MAX), with the requests that write
 * handed to the workers; or, with MAMORI_WEB_THREADS=0, a thread per
 * connection that runs every request itself. The measurements behind the
 * default are in docs/operations.md.
 */
static unsigned web_threads(void)
{
	const char *s = getenv("MAMORI_WEB_THREADS");
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	uint64_t n;

	if (s && *s && !num_parse_u64(slice_from_cstr(s), &n) &&
	    n <= THREADS_MAX)
		return (unsigned)n;
	return cores < 2 ? 2 : cores > THREADS_MAX ? THREADS_MAX
						   : (unsigned)cores;
}

static void web_release(struct web *w)
{
	workers_stop(w);
	store_committer_free(w->committer);
	for (size_t i = 0; i < STORE_POOL; i++)
		store_free(w->pool[i]);
	if (w->forms)
		form_cache_release(w->forms);
	free(w->forms);
	rcache_free(w->rcache);	/* results.c's, made on first use */
	free(w->throttle);
	log_flush(w);
	strbuf_release(&w->log);
	pthread_mutex_destroy(&w->lock);
	pthread_mutex_destroy(&w->pool_lock);
	pthread_cond_destroy(&w->pool_cond);
}

enum mamori_err web_serve(const struct web_opts *o, struct strbuf *err)
{
	struct web w = { 0 };
	struct sockaddr_storage ss;
	socklen_t sslen = 0;
	/* the group commit's checkpointer copies the log (store/commit.h) */
	struct store_open_opts so = { .no_checkpoint = true };
	struct MHD_Daemon *d;
	sigset_t sigs;
	enum mamori_err e;
	struct strbuf cert = STRBUF_INIT, key = STRBUF_INIT;
	int sig = 0, waited = 0;
	unsigned left, threads;

	if (sodium_init() < 0) {
		strbuf_addstr(err, "libsodium could not start");
		return MAMORI_EIO;
	}
	if (parse_listen(o->listen, &ss, &sslen)) {
		strbuf_addf(err, "--listen: not ADDRESS:PORT: '%s'",
			    o->listen ? o->listen : "");
		return MAMORI_EINVAL;
	}
	if (!o->tls_cert != !o->tls_key) {
		strbuf_addstr(err, "--tls-cert and --tls-key go together");
		return MAMORI_EINVAL;
	}
	if (o->tls_cert && !MHD_is_feature_supported(MHD_FEATURE_TLS)) {
		strbuf_addstr(err, "this libmicrohttpd was built without TLS");
		return MAMORI_EIO;
	}
	if (o->tls_cert &&
	    ((e = strbuf_read_file(&cert, o->tls_cert, err)) ||
	     (e = strbuf_read_file(&key, o->tls_key, err)))) {
		strbuf_release(&cert);
		strbuf_release(&key);
		return e;
	}
	w.db = o->db;
	w.secure = o->secure || o->tls_cert;
	w.js_version = web_js_version();
	w.forms = xcalloc(1, sizeof(*w.forms));
	form_cache_init(w.forms);
	pthread_mutex_init(&w.lock, NULL);
	strbuf_init(&w.log, 0);
	w.log_each = isatty(STDERR_FILENO);
	pthread_mutex_init(&w.pool_lock, NULL);
	pthread_cond_init(&w.pool_cond, NULL);
	w.throttle = xcalloc(THROTTLE_MAX, sizeof(*w.throttle));
	for (size_t i = 0; i < STORE_POOL; i++) {
		if ((e = store_open(o->db, &so, &w.pool[i], err))) {
			web_release(&w);
			return e;
		}
	}
	if ((e = store_committer_start(o->db, 0, &w.committer, err))) {
		web_release(&w);
		return e;
	}
	/* the signals are taken by sigwait below, never by a handler, and
	 * every thread started from here on inherits the mask */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	mallopt(M_TRIM_THRESHOLD, (int)MALLOC_TRIM);
	threads = web_threads();
	/* the thread pool's option only with a pool: MHD warns of a 0 */
	struct MHD_OptionItem pool_opt[2] = {
		{ MHD_OPTION_THREAD_POOL_SIZE, (intptr_t)threads, NULL },
		{ MHD_OPTION_END, 0, NULL },
	};
	if (!threads)
		pool_opt[0].option = MHD_OPTION_END;
	/* TLS from PEM in memory, only when asked for */
	struct MHD_OptionItem tls_opt[3] = {
		{ MHD_OPTION_HTTPS_MEM_KEY, 0, key.buf },
		{ MHD_OPTION_HTTPS_MEM_CERT, 0, cert.buf },
		{ MHD_OPTION_END, 0, NULL },
	};
	if (!o->tls_cert)
		tls_opt[0].option = MHD_OPTION_END;
	if (threads && (e = workers_start(&w, err))) {
		strbuf_release(&cert);
		strbuf_release(&key);
		pthread_sigmask(SIG_UNBLOCK, &sigs, NULL);
		web_release(&w);
		return e;
	}
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC |
			     (threads ? MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME
				      : MHD_USE_THREAD_PER_CONNECTION) |
			     MHD_USE_ERROR_LOG |
			     (o->tls_cert ? MHD_USE_TLS : 0) |
			     (ss.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
			     0, NULL, NULL, on_request, &w,
			     MHD_OPTION_ARRAY, pool_opt,
			     MHD_OPTION_ARRAY, tls_opt,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT,
			     (size_t)CONNECTION_MEMORY,
			     MHD_OPTION_CONNECTION_TIMEOUT,
			     (unsigned)CONNECTION_TIMEOUT,
			     MHD_OPTION_CONNECTION_LIMIT,
			     (unsigned)CONNECTION_LIMIT,
			     MHD_OPTION_PER_IP_CONNECTION_LIMIT,
			     (unsigned)PER_IP_LIMIT,
			     MHD_OPTION_NOTIFY_COMPLETED, on_completed, &w,
			     MHD_OPTION_END);
	if (!d) {
		if (o->tls_cert)
			strbuf_addf(err, "cannot serve HTTPS on %s: the TLS "
				    "key or certificate was refused (%s, %s) "
				    "or the address is in use", o->listen,
				    o->tls_key, o->tls_cert);
		else
			strbuf_addf(err, "cannot listen on %s: %s", o->listen,
				    strerror(errno));
		strbuf_release(&cert);
		strbuf_release(&key);
		pthread_sigmask(SIG_UNBLOCK, &sigs, NULL);
		web_release(&w);
		return MAMORI_EIO;
	}
	if (threads)
		fprintf(stderr, "mamori: listening on %s://%s/ (%u threads, "
			"epoll, %d workers)\n", o->tls_cert ? "https" : "http",
			o->listen, threads, WORKERS);
	else
		fprintf(stderr, "mamori: listening on %s://%s/\n",
			o->tls_cert ? "https" : "http", o->listen);
	/* the main thread waits for the stop, writing the access log's
	 * waiting lines meanwhile */
	for (;;) {
		struct timespec ts = { LOG_FLUSH_MS / 1000,
				       (LOG_FLUSH_MS % 1000) * 1000000L };
		sig = sigtimedwait(&sigs, NULL, &ts);
		if (sig == SIGINT || sig == SIGTERM)
			break;
		log_flush(&w);
	}
	log_flush(&w);
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
		if (waited % LOG_FLUSH_MS == 0)
			log_flush(&w);
	}
	/* the workers finish what they hold, and the writer answers every
	 * save waiting: no connection stays suspended, and no answer comes
	 * for a connection the daemon has closed */
	workers_stop(&w);
	store_committer_stop(w.committer);
	MHD_stop_daemon(d);
	log_flush(&w);	/* every request's line before "stopped" */
	strbuf_release(&cert);	/* libmicrohttpd may keep pointers to them */
	strbuf_release(&key);
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
