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
 * revision's text is read (the CASE) only when it may count.
 */
enum { Q_MEMBER, Q_ORG, Q_RESPONSE, Q_REVISION, Q__MAX };

static const char *const scan_sql[Q__MAX] = {
	[Q_MEMBER] = "SELECT org_id FROM campaign_member WHERE campaign_id = ?1"
		     " ORDER BY org_id",
	[Q_ORG] = "SELECT id, name, kind, pref_code, attrs FROM organisation"
		  " ORDER BY id",
	/* in a repeatable campaign the numbered reports, else instance 0 */
	[Q_RESPONSE] = "SELECT org_id, instance, status, revision,"
		       " submitted_revision FROM response"
		       " WHERE campaign_id = ?1 AND (instance = 0) = NOT ?3"
		       " ORDER BY org_id, instance",
	[Q_REVISION] = "SELECT org_id, instance, revision,"
		       " CASE WHEN ?2 OR kind = 'submit'"
		       " THEN coalesce(normalised, body) END"
		       " FROM response_revision WHERE campaign_id = ?1"
		       " ORDER BY org_id, instance, revision",
};

/* The counted revision's text when the scan skipped it (a counted
 * revision that is not a submission: never written so, but read right). */
static const char lookup_sql[] =
	"SELECT coalesce(normalised, body) FROM response_revision"
	" WHERE campaign_id = ?1 AND org_id = ?2 AND instance = ?3"
	" AND revision = ?4";

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
};

static int step(struct cursor *c)
{
	int rc = sqlite3_step(c->s);

	c->row = rc == SQLITE_ROW;
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

enum mamori_err store_campaign_scan(struct store *st, int64_t campaign,
				    bool include_drafts,
				    int (*fn)(void *ud,
					      const struct store_iter_raw *r),
				    void *ud, size_t *invited,
				    struct strbuf *err)
{
	struct store_campaign c = { 0 };
	struct cursor q[Q__MAX] = { 0 };
	sqlite3_stmt *b, *look = NULL;
	enum mamori_err e = MAMORI_OK;
	size_t n = 0;
	bool repeatable;

	if (invited)
		*invited = 0;
	if ((e = store_campaign_state(st, campaign, &c, err)))
		return e;
	repeatable = c.repeatable;
	store_campaign_release(&c);
	if (!(b = store_stmt(st, STMT_BEGIN_READ, err)) ||
	    sqlite3_step(b) != SQLITE_DONE)
		return store_db_err(st, err, "reading the campaign");
	for (int i = 0; i < Q__MAX; i++) {
		if (sqlite3_prepare_v3(st->db, scan_sql[i], -1, 0, &q[i].s,
				       NULL) != SQLITE_OK)
			goto dberr;
		/* each statement binds only the parameters it names */
		if (sqlite3_bind_parameter_count(q[i].s) >= 1)
			sqlite3_bind_int64(q[i].s, 1, campaign);
		if (sqlite3_bind_parameter_count(q[i].s) >= 2)
			sqlite3_bind_int(q[i].s, 2, include_drafts);
		if (sqlite3_bind_parameter_count(q[i].s) >= 3)
			sqlite3_bind_int(q[i].s, 3, repeatable);
		if (step(&q[i]))
			goto dberr;
	}
	for (; q[Q_MEMBER].row; ) {
		struct slice id = col(q[Q_MEMBER].s, 0);
		struct store_iter_raw r = { 0 };
		bool any = false;
		int stop = 0;

		while (q[Q_ORG].row && idcmp(col(q[Q_ORG].s, 0), id) < 0)
			if (step(&q[Q_ORG]))
				goto dberr;
		if (!q[Q_ORG].row || idcmp(col(q[Q_ORG].s, 0), id)) {
			/* no such organisation: not in the population, as
			 * the join left it out */
			if (step(&q[Q_MEMBER]))
				goto dberr;
			continue;
		}
		r.org_id = col(q[Q_ORG].s, 0);
		r.name = col(q[Q_ORG].s, 1);
		r.kind = col(q[Q_ORG].s, 2);
		r.pref_code = col(q[Q_ORG].s, 3);
		r.attrs = col(q[Q_ORG].s, 4);
		while (q[Q_RESPONSE].row &&
		       idcmp(col(q[Q_RESPONSE].s, 0), id) < 0)
			if (step(&q[Q_RESPONSE]))
				goto dberr;
		n++;
		/* one row per response (report) of the organisation, or one
		 * without a response */
		while (!stop) {
			sqlite3_stmt *rs = q[Q_RESPONSE].s;
			bool has = q[Q_RESPONSE].row &&
				   !idcmp(col(rs, 0), id);
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
					int c2 = idcmp(col(v->s, 0), id);
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
					if (!look &&
					    sqlite3_prepare_v3(st->db,
							       lookup_sql, -1,
							       0, &look,
							       NULL) !=
						    SQLITE_OK)
						goto dberr;
					sqlite3_reset(look);
					sqlite3_bind_int64(look, 1, campaign);
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
	goto out;
dberr:
	e = store_db_err(st, err, "reading the campaign");
out:
	for (int i = 0; i < Q__MAX; i++)
		sqlite3_finalize(q[i].s);
	sqlite3_finalize(look);
	store_rollback(st);	/* read only: ends the snapshot */
	if (invited)
		*invited = n;
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
