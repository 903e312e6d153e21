/*
 * iterate.c - store_campaign_iterate(): a campaign's population with the
 * response that counts, for analysis. One constant statement with bound
 * parameters; must never assemble SQL at run time or write anything.
 */
#include "store/iterate.h"

#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "util/banned.h"

/*
 * Every member of the campaign; for those with a response, the revision
 * that counts: the submitted one, else (?2 = include drafts) the newest.
 */
static const char iterate_sql[] =
	"SELECT o.id, o.name, o.kind, o.pref_code, o.attrs,"
	" r.status, rv.revision, r.submitted_revision IS NOT NULL"
	"  AND rv.revision = r.submitted_revision,"
	" coalesce(rv.normalised, rv.body), r.instance"
	" FROM campaign_member m JOIN organisation o ON o.id = m.org_id"
	" LEFT JOIN response r ON r.campaign_id = m.campaign_id"
	"  AND r.org_id = m.org_id AND (r.instance = 0) = NOT ?3"
	" LEFT JOIN response_revision rv ON rv.campaign_id = r.campaign_id"
	"  AND rv.org_id = r.org_id AND rv.instance = r.instance"
	"  AND rv.revision = CASE"
	"   WHEN r.submitted_revision IS NOT NULL THEN r.submitted_revision"
	"   WHEN ?2 THEN r.revision END"
	" WHERE m.campaign_id = ?1 ORDER BY m.org_id, r.instance";

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

enum mamori_err store_campaign_iterate(struct store *st, int64_t campaign,
				       bool include_drafts,
				       int (*fn)(void *ud,
						 const struct store_iter_row *r),
				       void *ud, size_t *invited,
				       struct strbuf *err)
{
	struct store_campaign c = { 0 };
	sqlite3_stmt *s = NULL, *b;
	enum mamori_err e;
	size_t n = 0;
	bool repeatable;
	char *prev = NULL;
	int rc;

	if (invited)
		*invited = 0;
	if ((e = store_campaign_state(st, campaign, &c, err)))
		return e;
	repeatable = c.repeatable;
	store_campaign_release(&c);
	if (!(b = store_stmt(st, STMT_BEGIN_READ, err)) ||
	    sqlite3_step(b) != SQLITE_DONE)
		return store_db_err(st, err, "reading the campaign");
	if (sqlite3_prepare_v3(st->db, iterate_sql, -1, 0, &s, NULL) !=
	    SQLITE_OK) {
		e = store_db_err(st, err, "reading the campaign");
		goto out;
	}
	sqlite3_bind_int64(s, 1, campaign);
	sqlite3_bind_int(s, 2, include_drafts);
	sqlite3_bind_int(s, 3, repeatable);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_iter_row r = { 0 };
		json_t *org = store_org_json(s, 0), *answers = NULL;
		int stop;

		if (!org) {
			e = MAMORI_ENOMEM;
			goto out;
		}
		r.org_id = (const char *)sqlite3_column_text(s, 0);
		r.org = org;
		r.number = sqlite3_column_int64(s, 9);
		r.repeat = prev && r.org_id && !strcmp(prev, r.org_id);
		free(prev);
		if (!(prev = r.org_id ? strdup(r.org_id) : NULL)) {
			json_decref(org);
			e = MAMORI_ENOMEM;
			goto out;
		}
		r.status = status_of((const char *)sqlite3_column_text(s, 5));
		if (sqlite3_column_type(s, 8) != SQLITE_NULL) {
			json_error_t je;
			answers = json_loadb((const char *)
					     sqlite3_column_text(s, 8),
					     (size_t)sqlite3_column_bytes(s, 8),
					     0, &je);
			if (!answers) {
				store_msg(err, "campaign %lld, '%s': stored "
					  "answers are not JSON: %s",
					  (long long)campaign, r.org_id,
					  je.text);
				json_decref(org);
				e = MAMORI_EDB;
				goto out;
			}
			r.revision = sqlite3_column_int64(s, 6);
			r.submitted = sqlite3_column_int(s, 7) != 0;
			r.answers = answers;
		}
		n += !r.repeat;
		stop = fn(ud, &r);
		json_decref(answers);
		json_decref(org);
		if (stop)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		e = store_db_err(st, err, "reading the campaign");
out:
	free(prev);
	sqlite3_finalize(s);
	store_rollback(st);	/* read only: ends the snapshot */
	if (invited)
		*invited = n;
	return e;
}
