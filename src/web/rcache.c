/*
 * rcache.c - the server's cache of results analyses (rcache.h). Reads
 * the store only; must never hand out an entry older than an audited
 * change that may alter it, nor change an entry another request reads.
 */
#include "web/rcache.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis_store.h"
#include "store/audit.h"
#include "util/num.h"
#include "util/xalloc.h"
#include "util/banned.h"

enum rkind { RK_RESULT, RK_FEEDBACK, RK__MAX };

struct rcache_entry {
	int64_t campaign;
	enum rkind kind;
	int64_t stamp;		/* newest audit event seen; under the lock */
	uint64_t used;		/* when last handed out; under the lock */
	unsigned refs;		/* the table's and each request's; lock */
	json_t *result;		/* owned: RK_RESULT */
	struct store *st;	/* owned: RK_FEEDBACK's own connection */
	struct feedback_set *set;	/* owned: RK_FEEDBACK, reads st's
					   instrument */
};

struct rcache {
	char *db;			/* owned */
	pthread_mutex_t lock;
	pthread_cond_t done;		/* a computation ended */
	struct rcache_entry *v[RCACHE_MAX];	/* the table's references */
	size_t n;
	/* (campaign, kind) being computed, at most one request each */
	struct { int64_t campaign; enum rkind kind; } busy[RCACHE_MAX];
	size_t nbusy;
	uint64_t clock;
};

/* Audit events read per page, and pages at most, before an entry is
 * taken as changed without looking further. */
#define WALK_PAGE 200
#define WALK_PAGES 5

struct rcache *rcache_new(const char *db)
{
	struct rcache *c = xcalloc(1, sizeof(*c));

	c->db = xstrdup(db);
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->done, NULL);
	return c;
}

static void entry_free(struct rcache_entry *e)
{
	json_decref(e->result);
	feedback_set_free(e->set);
	store_free(e->st);
	free(e);
}

/* Under the lock. */
static void unref(struct rcache_entry *e)
{
	if (--e->refs == 0)
		entry_free(e);
}

void rcache_free(struct rcache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		unref(c->v[i]);
	pthread_cond_destroy(&c->done);
	pthread_mutex_destroy(&c->lock);
	free(c->db);
	free(c);
}

void rcache_put(struct rcache *c, struct rcache_entry *ref)
{
	if (!ref)
		return;
	pthread_mutex_lock(&c->lock);
	unref(ref);
	pthread_mutex_unlock(&c->lock);
}

/* ---- what may change an analysis ------------------------------------ */

/*
 * Whether an audited action may change the analyses of campaign: all but
 * those that touch neither organisations, campaigns, submitted responses
 * nor evidence, and those of another campaign ("campaign:N...").
 */
static bool relevant(const struct store_audit_event *ev, int64_t campaign)
{
	static const char *const unrelated[] = {
		"session.start", "session.refused", "session.end",
		"user.add", "user.disable", "code.reissue", "db.backup",
		/* a draft: only the submitted revision counts */
		"response.save",
		"campaign.publish", "campaign.unpublish",
	};
	static const char prefix[] = "campaign:";
	const char *obj = ev->object ? ev->object : "";
	uint64_t n;

	for (size_t i = 0; i < sizeof(unrelated) / sizeof(unrelated[0]); i++)
		if (ev->action && !strcmp(ev->action, unrelated[i]))
			return false;
	if (!strncmp(obj, prefix, sizeof(prefix) - 1)) {
		const char *p = obj + sizeof(prefix) - 1;
		size_t len = strcspn(p, "/");
		if (!num_parse_u64(slice_make(p, len), &n) &&
		    n != (uint64_t)campaign)
			return false;
	}
	return true;
}

struct walk {
	int64_t campaign, stamp;
	int64_t newest;		/* the newest event read */
	int64_t last;		/* the oldest event read */
	bool reached;		/* read down to stamp */
	bool changed;		/* a relevant event after stamp */
};

static int walk_event(void *ud, const struct store_audit_event *ev)
{
	struct walk *w = ud;

	if (ev->id <= w->stamp) {
		w->reached = true;
		return 1;
	}
	if (ev->id > w->newest)
		w->newest = ev->id;
	w->last = ev->id;
	if (relevant(ev, w->campaign)) {
		w->changed = true;
		return 1;
	}
	return 0;
}

/*
 * Whether an event after stamp may have changed campaign's analyses
 * (*changed); *newest: the newest event read (stamp when none is newer).
 */
static enum mamori_err changes_since(struct store *st, int64_t campaign,
				     int64_t stamp, bool *changed,
				     int64_t *newest, struct strbuf *err)
{
	struct walk w = { campaign, stamp, stamp, 0, false, false };
	int64_t before = 0;
	bool more = false;
	enum mamori_err e;

	for (int page = 0; page < WALK_PAGES; page++) {
		if ((e = store_audit_page(st, NULL, before, WALK_PAGE,
					  walk_event, &w, &more, err)))
			return e;
		if (w.changed || w.reached || !more)
			break;
		before = w.last;
	}
	*newest = w.newest;
	/* every page read and stamp not reached: too much to look through */
	*changed = w.changed || (!w.reached && more);
	return MAMORI_OK;
}

static int newest_cb(void *ud, const struct store_audit_event *ev)
{
	*(int64_t *)ud = ev->id;
	return 1;
}

/* The newest audit event's id (0: none yet). */
static enum mamori_err newest_event(struct store *st, int64_t *id,
				    struct strbuf *err)
{
	bool more;

	*id = 0;
	return store_audit_page(st, NULL, 0, 1, newest_cb, id, &more, err);
}

/* ---- the table ---------------------------------------------------------- */

/* Under the lock. */
static struct rcache_entry *find(struct rcache *c, int64_t campaign,
				 enum rkind kind)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i]->campaign == campaign && c->v[i]->kind == kind)
			return c->v[i];
	return NULL;
}

/* Under the lock. */
static bool is_busy(struct rcache *c, int64_t campaign, enum rkind kind,
		    bool clear)
{
	for (size_t i = 0; i < c->nbusy; i++)
		if (c->busy[i].campaign == campaign && c->busy[i].kind == kind) {
			if (clear)
				c->busy[i] = c->busy[--c->nbusy];
			return true;
		}
	return false;
}

/* Under the lock: e (one reference for the table) in place of the entry
 * of its campaign and kind, or of the least recently used one. */
static void insert(struct rcache *c, struct rcache_entry *e)
{
	size_t at = c->n;

	for (size_t i = 0; i < c->n; i++)
		if (c->v[i]->campaign == e->campaign &&
		    c->v[i]->kind == e->kind)
			at = i;
	if (at == c->n && c->n == RCACHE_MAX) {
		at = 0;
		for (size_t i = 1; i < c->n; i++)
			if (c->v[i]->used < c->v[at]->used)
				at = i;
	}
	if (at < c->n)
		unref(c->v[at]);
	else
		c->n++;
	c->v[at] = e;
}

static enum mamori_err compute(struct rcache *c, struct store *st,
			       struct rcache_entry *e, struct strbuf *err)
{
	struct store_open_opts so = { 0 };
	struct analysis_opts ao = { .by = "prefecture" };
	const struct instrument *ins;

	if (e->kind == RK_RESULT)
		return analysis_campaign_result(st, e->campaign, &ao, false,
						&ins, &e->result, err);
	/* its own connection: the instrument the analyses point into lives
	 * as long as the entry, whatever the pool's connections load */
	enum mamori_err r = store_open(c->db, &so, &e->st, err);
	if (!r)
		r = feedback_set_load_analyses(e->st, e->campaign, &e->set,
					       err);
	return r;
}

static enum mamori_err get(struct rcache *c, struct store *st,
			   int64_t campaign, enum rkind kind,
			   struct rcache_entry **ref, struct strbuf *err)
{
	struct rcache_entry *e;
	enum mamori_err r;
	int64_t stamp, newest;
	bool changed;

	*ref = NULL;
	pthread_mutex_lock(&c->lock);
	for (;;) {
		if ((e = find(c, campaign, kind))) {
			e->refs++;
			stamp = e->stamp;
			pthread_mutex_unlock(&c->lock);
			r = changes_since(st, campaign, stamp, &changed,
					  &newest, err);
			pthread_mutex_lock(&c->lock);
			if (!r && !changed) {
				if (newest > e->stamp)
					e->stamp = newest;
				e->used = ++c->clock;
				pthread_mutex_unlock(&c->lock);
				*ref = e;
				return MAMORI_OK;
			}
			unref(e);
			if (r) {
				pthread_mutex_unlock(&c->lock);
				return r;
			}
		}
		if (!is_busy(c, campaign, kind, false))
			break;
		/* then its entry, or, when it failed, a try here */
		pthread_cond_wait(&c->done, &c->lock);
	}
	if (c->nbusy < RCACHE_MAX) {
		c->busy[c->nbusy].campaign = campaign;
		c->busy[c->nbusy].kind = kind;
		c->nbusy++;
	}
	pthread_mutex_unlock(&c->lock);

	/* the stamp before the reading: a change after it is seen next time */
	e = xcalloc(1, sizeof(*e));
	e->campaign = campaign;
	e->kind = kind;
	r = newest_event(st, &e->stamp, err);
	if (!r)
		r = compute(c, st, e, err);

	pthread_mutex_lock(&c->lock);
	is_busy(c, campaign, kind, true);
	if (!r) {
		e->refs = 2;	/* the table's and the caller's */
		e->used = ++c->clock;
		insert(c, e);
		*ref = e;
	} else {
		entry_free(e);
	}
	pthread_cond_broadcast(&c->done);
	pthread_mutex_unlock(&c->lock);
	return r;
}

enum mamori_err rcache_result(struct rcache *c, struct store *st,
			      int64_t campaign, const json_t **result,
			      struct rcache_entry **ref, struct strbuf *err)
{
	enum mamori_err e = get(c, st, campaign, RK_RESULT, ref, err);

	*result = e ? NULL : (*ref)->result;
	return e;
}

enum mamori_err rcache_feedback(struct rcache *c, struct store *st,
				int64_t campaign,
				const struct feedback_set **set,
				struct rcache_entry **ref,
				struct strbuf *err)
{
	enum mamori_err e = get(c, st, campaign, RK_FEEDBACK, ref, err);

	*set = e ? NULL : (*ref)->set;
	return e;
}
