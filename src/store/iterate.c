/*
 * iterate.c - store_campaign_iterate() and store_campaign_scan(): a
 * campaign's population with the response that counts, for analysis.
 * Constant statements with bound parameters, merged in organisation id
 * order; must never assemble SQL at run time or write anything.
 */
#include "store/iterate.h"

#include <stdlib.h>
#include <string.h>

#include "store/jsonread.h"
#include "store/store_int.h"
#include "util/banned.h"

/*
 * Four scans in one order, organisation ids as SQLite's BINARY collation
 * orders them (bytes, then length), merged below: what a join with one
 * lookup per member did, in one pass over each table's range. A
 * revision's text is read (the CASE) only when it may count. ?4 and ?5
 * bound a part's range of organisation ids: from ?4 (text; '' for the
 * first part) up to, not including, ?5 (text; for the last part a
 * zero-length blob, which sorts after every text).
 */
enum { Q_MEMBER, Q_ORG, Q_RESPONSE, Q_REVISION, Q__MAX };

static const char *const scan_sql[Q__MAX] = {
	[Q_MEMBER] = "SELECT org_id FROM campaign_member WHERE campaign_id = ?1"
		     " AND org_id >= ?4 AND org_id < ?5 ORDER BY org_id",
	[Q_ORG] = "SELECT id, name, kind, pref_code, attrs FROM organisation"
		  " WHERE id >= ?4 AND id < ?5 ORDER BY id",
	/* in a repeatable campaign the numbered reports, else instance 0 */
	[Q_RESPONSE] = "SELECT org_id, instance, status, revision,"
		       " submitted_revision FROM response"
		       " WHERE campaign_id = ?1 AND (instance = 0) = NOT ?3"
		       " AND org_id >= ?4 AND org_id < ?5"
		       " ORDER BY org_id, instance",
	[Q_REVISION] = "SELECT org_id, instance, revision,"
		       " CASE WHEN ?2 OR kind = 'submit'"
		       " THEN coalesce(normalised, body) END"
		       " FROM response_revision WHERE campaign_id = ?1"
		       " AND org_id >= ?4 AND org_id < ?5"
		       " ORDER BY org_id, instance, revision",
};

/* Q_ORG for STORE_SCAN_ORG_ID_ONLY: the id, no other column read. */
static const char org_id_sql[] =
	"SELECT id, NULL, NULL, NULL, NULL FROM organisation"
	" WHERE id >= ?4 AND id < ?5 ORDER BY id";

/* The counted revision's text when the scan skipped it (a counted
 * revision that is not a submission: never written so, but read right). */
static const char lookup_sql[] =
	"SELECT coalesce(normalised, body) FROM response_revision"
	" WHERE campaign_id = ?1 AND org_id = ?2 AND instance = ?3"
	" AND revision = ?4";

/* The members and the one at a given position, for the parts' bounds. */
static const char count_sql[] =
	"SELECT count(*) FROM campaign_member WHERE campaign_id = ?1";
static const char nth_sql[] =
	"SELECT org_id FROM campaign_member WHERE campaign_id = ?1"
	" ORDER BY org_id LIMIT 1 OFFSET ?2";

static enum response_status status_of(const char *s)
{
	if (!s)
		return RESPONSE_NONE;
	if (!strcmp(s, "draft"))
		return RESPONSE_DRAFT;
	if (!strcmp(s, "submitted"))
		return RESPONSE_SUBMITTED;
	if (!strcmp(s, "reopened"))
		return RESPONSE_REOPENED;
	return RESPONSE_NONE;
}

static struct slice col(sqlite3_stmt *s, int i)
{
	const char *p = (const char *)sqlite3_column_text(s, i);

	return slice_make(p, p ? (size_t)sqlite3_column_bytes(s, i) : 0);
}

/* SQLite's BINARY collation. */
static int idcmp(struct slice a, struct slice b)
{
	int c = memcmp(a.p, b.p, a.len < b.len ? a.len : b.len);

	if (c)
		return c;
	return (a.len > b.len) - (a.len < b.len);
}

struct cursor {
	sqlite3_stmt *s;
	bool row;	/* s is on a row */
	struct slice id;	/* its first column, the organisation id */
};

static int step(struct cursor *c)
{
	int rc = sqlite3_step(c->s);

	c->row = rc == SQLITE_ROW;
	c->id = c->row ? col(c->s, 0) : slice_make(NULL, 0);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

struct scan_part {
	sqlite3 *db;		/* st->db for a scan in one part, else owned */
	struct cursor q[Q__MAX];	/* owned */
	sqlite3_stmt *look;	/* owned, prepared when first needed */
	char *lo, *hi;		/* owned bounds; NULL: open */
};

struct store_scan {
	struct store *st;
	int64_t campaign;
	bool include_drafts, repeatable;
	unsigned flags;
	size_t n, cap;			/* parts in use, allocated */
	struct scan_part *parts;	/* owned */
};

/* store_db_err() for the part's connection. */
static enum mamori_err part_err(sqlite3 *db, struct strbuf *err)
{
	store_msg(err, "reading the campaign: %s", sqlite3_errmsg(db));
	return sqlite3_errcode(db) == SQLITE_NOMEM ? MAMORI_ENOMEM
						   : MAMORI_EDB;
}

/* Prepare a part's statements and bind them (not yet stepped). */
static int part_prepare(struct store_scan *sc, struct scan_part *p)
{
	for (int i = 0; i < Q__MAX; i++) {
		sqlite3_stmt *s;
		const char *sql = i == Q_ORG &&
					  (sc->flags & STORE_SCAN_ORG_ID_ONLY)
					  ? org_id_sql
					  : scan_sql[i];
		if (sqlite3_prepare_v3(p->db, sql, -1, 0, &s, NULL) !=
		    SQLITE_OK)
			return -1;
		p->q[i].s = s;
		/* every statement numbers ?1 to ?5, using those it needs */
		if (sqlite3_bind_int64(s, 1, sc->campaign) ||
		    sqlite3_bind_int(s, 2, sc->include_drafts) ||
		    sqlite3_bind_int(s, 3, sc->repeatable) ||
		    sqlite3_bind_text(s, 4, p->lo ? p->lo : "", -1,
				      SQLITE_STATIC) ||
		    (p->hi ? sqlite3_bind_text(s, 5, p->hi, -1, SQLITE_STATIC)
			   : sqlite3_bind_zeroblob(s, 5, 0)))
			return -1;
	}
	return 0;
}

/* The first row of every scan: the part's read transaction begins. */
static int part_start(struct scan_part *p)
{
	if (sqlite3_exec(p->db, "BEGIN DEFERRED", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return -1;
	for (int i = 0; i < Q__MAX; i++)
		if (step(&p->q[i]))
			return -1;
	return 0;
}

/*
 * The members' ids at positions k * count / n (k = 1 .. n-1) bound the
 * parts, so each gets about as many organisations. Fewer parts (*n
 * lowered) when there are too few members.
 */
static int part_bounds(struct store_scan *sc, sqlite3 *db, size_t *n)
{
	sqlite3_stmt *s = NULL;
	int64_t count = 0;
	int rc = -1;

	if (sqlite3_prepare_v2(db, count_sql, -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 1, sc->campaign) ||
	    sqlite3_step(s) != SQLITE_ROW)
		goto out;
	count = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	s = NULL;
	if ((int64_t)*n > count / 64)	/* small campaigns: one part */
		*n = count / 64 > 1 ? (size_t)(count / 64) : 1;
	if (*n > 1 && sqlite3_prepare_v2(db, nth_sql, -1, &s, NULL) !=
			      SQLITE_OK)
		goto out;
	for (size_t k = 1; k < *n; k++) {
		sqlite3_reset(s);
		if (sqlite3_bind_int64(s, 1, sc->campaign) ||
		    sqlite3_bind_int64(s, 2, count * (int64_t)k /
						    (int64_t)*n) ||
		    sqlite3_step(s) != SQLITE_ROW)
			goto out;
		const char *id = (const char *)sqlite3_column_text(s, 0);
		char *b = id ? strdup(id) : NULL;
		if (!b)
			goto out;
		sc->parts[k - 1].hi = b;
		sc->parts[k].lo = strdup(b);
		if (!sc->parts[k].lo)
			goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(s);
	return rc;
}

static void part_release(struct store_scan *sc, struct scan_part *p)
{
	for (int i = 0; i < Q__MAX; i++)
		sqlite3_finalize(p->q[i].s);
	sqlite3_finalize(p->look);
	if (p->db && p->db != sc->st->db) {
		sqlite3_exec(p->db, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close(p->db);
	}
	free(p->lo);
	free(p->hi);
	memset(p, 0, sizeof(*p));
}

void store_scan_free(struct store_scan *sc)
{
	if (!sc)
		return;
	for (size_t k = 0; k < sc->cap; k++)
		part_release(sc, &sc->parts[k]);
	store_rollback(sc->st);	/* read only: ends the snapshot */
	free(sc->parts);
	free(sc);
}

/*
 * Several parts: a connection of their own each, read only, whose read
 * transactions all begin while st holds the write lock (BEGIN
 * IMMEDIATE), so no commit can fall between them: one snapshot. -1 when
 * that cannot be had (an in-memory database, a read-only file, a busy
 * writer): the caller reads in one part.
 */
static int open_parts(struct store_scan *sc, size_t n)
{
	struct store *st = sc->st;
	const char *path = sqlite3_db_filename(st->db, "main");
	size_t k;
	int rc;

	if (!path || !*path)
		return -1;
	/* a writer at work: read in one part rather than wait for it */
	sqlite3_busy_timeout(st->db, 100);
	rc = store_begin(st, NULL) != MAMORI_OK;
	sqlite3_busy_timeout(st->db, 10000);	/* store_open()'s */
	if (rc)
		return -1;
	if (part_bounds(sc, st->db, &n) || n < 2)
		goto fail;
	sc->n = n;
	for (k = 0; k < n; k++) {
		struct scan_part *p = &sc->parts[k];
		if (sqlite3_open_v2(path, &p->db, SQLITE_OPEN_READONLY |
						       SQLITE_OPEN_NOMUTEX,
				    NULL) != SQLITE_OK)
			goto fail;
		sqlite3_extended_result_codes(p->db, 1);
		sqlite3_busy_timeout(p->db, 10000);
		if (part_prepare(sc, p) || part_start(p))
			goto fail;
	}
	store_rollback(st);	/* the parts hold the snapshot now */
	return 0;
fail:
	for (k = 0; k < sc->cap; k++)
		part_release(sc, &sc->parts[k]);
	sc->n = 0;
	store_rollback(st);
	return -1;
}

enum mamori_err store_scan_open(struct store *st, int64_t campaign,
				bool include_drafts, unsigned flags,
				size_t parts, struct store_scan **out,
				struct strbuf *err)
{
	struct store_campaign c = { 0 };
	struct store_scan *sc;
	enum mamori_err e;
	sqlite3_stmt *b;

	*out = NULL;
	if ((e = store_campaign_state(st, campaign, &c, err)))
		return e;
	if (!(sc = calloc(1, sizeof(*sc))) ||
	    !(sc->parts = calloc(parts ? parts : 1, sizeof(*sc->parts)))) {
		free(sc);
		store_campaign_release(&c);
		return MAMORI_ENOMEM;
	}
	sc->st = st;
	sc->cap = parts ? parts : 1;
	sc->campaign = campaign;
	sc->include_drafts = include_drafts;
	sc->flags = flags;
	sc->repeatable = c.repeatable;
	store_campaign_release(&c);
	if (parts > 1 && !open_parts(sc, parts)) {
		*out = sc;
		return MAMORI_OK;
	}
	/* one part on st's own connection */
	sc->n = 1;
	sc->parts[0].db = st->db;
	if (!(b = store_stmt(st, STMT_BEGIN_READ, err)) ||
	    sqlite3_step(b) != SQLITE_DONE ||
	    part_prepare(sc, &sc->parts[0])) {
		e = store_db_err(st, err, "reading the campaign");
		goto fail;
	}
	for (int i = 0; i < Q__MAX; i++)
		if (step(&sc->parts[0].q[i])) {
			e = store_db_err(st, err, "reading the campaign");
			goto fail;
		}
	*out = sc;
	return MAMORI_OK;
fail:
	store_scan_free(sc);
	return e;
}

size_t store_scan_parts(const struct store_scan *sc)
{
	return sc->n;
}

enum mamori_err store_scan_part(struct store_scan *sc, size_t part,
				int (*fn)(void *ud,
					  const struct store_iter_raw *r),
				void *ud, size_t *invited, struct strbuf *err)
{
	struct scan_part *p = &sc->parts[part];
	struct cursor *q = p->q;
	bool include_drafts = sc->include_drafts;
	size_t n = 0;

	if (invited)
		*invited = 0;
	for (; q[Q_MEMBER].row; ) {
		struct slice id = q[Q_MEMBER].id;
		struct store_iter_raw r = { 0 };
		bool any = false;
		int stop = 0;

		while (q[Q_ORG].row && idcmp(q[Q_ORG].id, id) < 0)
			if (step(&q[Q_ORG]))
				goto dberr;
		if (!q[Q_ORG].row || idcmp(q[Q_ORG].id, id)) {
			/* no such organisation: not in the population, as
			 * the join left it out */
			if (step(&q[Q_MEMBER]))
				goto dberr;
			continue;
		}
		r.org_id = q[Q_ORG].id;
		r.name = col(q[Q_ORG].s, 1);
		r.kind = col(q[Q_ORG].s, 2);
		r.pref_code = col(q[Q_ORG].s, 3);
		r.attrs = col(q[Q_ORG].s, 4);
		while (q[Q_RESPONSE].row && idcmp(q[Q_RESPONSE].id, id) < 0)
			if (step(&q[Q_RESPONSE]))
				goto dberr;
		n++;
		/* one row per response (report) of the organisation, or one
		 * without a response */
		while (!stop) {
			sqlite3_stmt *rs = q[Q_RESPONSE].s;
			bool has = q[Q_RESPONSE].row &&
				   !idcmp(q[Q_RESPONSE].id, id);
			int64_t want = 0;

			if (!has && any)
				break;
			r.status = RESPONSE_NONE;
			r.number = 0;
			r.revision = 0;
			r.submitted = false;
			r.answers = slice_make(NULL, 0);
			r.repeat = any;
			if (has) {
				int64_t inst = sqlite3_column_int64(rs, 1);
				const char *stt = (const char *)
					sqlite3_column_text(rs, 2);
				r.status = status_of(stt);
				r.number = inst;
				if (sqlite3_column_type(rs, 4) != SQLITE_NULL) {
					want = sqlite3_column_int64(rs, 4);
					r.submitted = true;
				} else if (include_drafts) {
					want = sqlite3_column_int64(rs, 3);
				}
				/* the revisions up to the one that counts */
				struct cursor *v = &q[Q_REVISION];
				while (want && v->row) {
					int c2 = idcmp(v->id, id);
					int64_t vi = sqlite3_column_int64(v->s,
									  1),
						vr = sqlite3_column_int64(v->s,
									  2);
					if (!c2)
						c2 = vi < inst ? -1
						     : vi > inst ? 1
						     : vr < want ? -1
						     : vr > want ? 1 : 0;
					if (c2 > 0)
						break;
					if (!c2) {
						r.revision = want;
						r.answers = col(v->s, 3);
						break;
					}
					if (step(v))
						goto dberr;
				}
				if (r.revision && !r.answers.p) {
					sqlite3_stmt *look = p->look;
					if (!look &&
					    sqlite3_prepare_v3(p->db,
							       lookup_sql, -1,
							       0, &p->look,
							       NULL) !=
						    SQLITE_OK)
						goto dberr;
					look = p->look;
					sqlite3_reset(look);
					sqlite3_bind_int64(look, 1,
							   sc->campaign);
					sqlite3_bind_text(look, 2, id.p,
							  (int)id.len,
							  SQLITE_STATIC);
					sqlite3_bind_int64(look, 3, inst);
					sqlite3_bind_int64(look, 4, want);
					if (sqlite3_step(look) == SQLITE_ROW)
						r.answers = col(look, 0);
				}
				if (!r.answers.p) {
					r.revision = 0;
					r.submitted = false;
				}
			}
			any = true;
			stop = fn(ud, &r);
			if (has && step(&q[Q_RESPONSE]))
				goto dberr;
			if (!has)
				break;
		}
		if (stop)
			break;
		if (step(&q[Q_MEMBER]))
			goto dberr;
	}
	if (invited)
		*invited = n;
	return MAMORI_OK;
dberr:
	if (invited)
		*invited = n;
	return part_err(p->db, err);
}

enum mamori_err store_campaign_scan(struct store *st, int64_t campaign,
				    bool include_drafts,
				    int (*fn)(void *ud,
					      const struct store_iter_raw *r),
				    void *ud, size_t *invited,
				    struct strbuf *err)
{
	struct store_scan *sc;
	enum mamori_err e;

	if (invited)
		*invited = 0;
	if ((e = store_scan_open(st, campaign, include_drafts, 0, 1, &sc,
				 err)))
		return e;
	e = store_scan_part(sc, 0, fn, ud, invited, err);
	store_scan_free(sc);
	return e;
}

json_t *store_iter_org_json(const struct store_iter_raw *r)
{
	json_t *o = r->attrs.p ? store_json_load(r->attrs.p,
						 strlen(r->attrs.p), NULL)
			       : NULL;
	const char *pref = r->pref_code.p;
	const struct prefecture *p = prefecture_find(slice_from_cstr(pref));

	/* store_org_json() reads a statement's columns through this too */
	if (!o || !json_is_object(o)) {
		json_decref(o);
		o = json_object();
	}
	if (!o)
		return NULL;
	json_object_set_new(o, "id", json_string(r->org_id.p));
	json_object_set_new(o, "name", json_string(r->name.p));
	json_object_set_new(o, "kind", json_string(r->kind.p));
	json_object_set_new(o, "prefecture", json_string(pref ? pref : ""));
	if (p) {
		json_object_set_new(o, "prefecture_name", json_string(p->ja));
		json_object_set_new(o, "region", json_string(p->region));
	}
	return o;
}

struct wrap {
	int64_t campaign;
	int (*fn)(void *ud, const struct store_iter_row *r);
	void *ud;
	enum mamori_err e;
	struct strbuf *err;
};

static int wrap_row(void *ud, const struct store_iter_raw *raw)
{
	struct wrap *w = ud;
	struct store_iter_row r = { 0 };
	json_t *org = store_iter_org_json(raw), *answers = NULL;
	int stop;

	if (!org) {
		w->e = MAMORI_ENOMEM;
		return 1;
	}
	r.org_id = raw->org_id.p;
	r.org = org;
	r.status = raw->status;
	r.number = raw->number;
	r.repeat = raw->repeat;
	if (raw->answers.p) {
		json_error_t je;
		answers = store_json_load(raw->answers.p, raw->answers.len,
					  &je);
		if (!answers) {
			store_msg(w->err, "campaign %lld, '%s': stored "
				  "answers are not JSON: %s",
				  (long long)w->campaign, r.org_id, je.text);
			json_decref(org);
			w->e = MAMORI_EDB;
			return 1;
		}
		r.revision = raw->revision;
		r.submitted = raw->submitted;
		r.answers = answers;
	}
	stop = w->fn(w->ud, &r);
	json_decref(answers);
	json_decref(org);
	return stop;
}

enum mamori_err store_campaign_iterate(struct store *st, int64_t campaign,
				       bool include_drafts,
				       int (*fn)(void *ud,
						 const struct store_iter_row *r),
				       void *ud, size_t *invited,
				       struct strbuf *err)
{
	struct wrap w = { campaign, fn, ud, MAMORI_OK, err };
	enum mamori_err e = store_campaign_scan(st, campaign, include_drafts,
						wrap_row, &w, invited, err);

	return e ? e : w.e;
}
