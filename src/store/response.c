/*
 * response.c - responses: drafts, submissions, amendments, reopening,
 * every revision kept. Must never overwrite or delete a revision, never
 * accept a submission that does not validate or arrives after the close,
 * and never report a submission before its commit is durable.
 */
#include "store/store_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "instrument/instrument.h"
#include "store/commit.h"
#include "util/banned.h"

#define STORE_MAX_RESPONSE (4u << 20)

const char *response_status_name(enum response_status s)
{
	static const char *const names[RESPONSE__MAX] = {
		[RESPONSE_NONE] = "none",
		[RESPONSE_DRAFT] = "draft",
		[RESPONSE_SUBMITTED] = "submitted",
		[RESPONSE_REOPENED] = "reopened",
	};
	return (unsigned)s < RESPONSE__MAX ? names[s] : "?";
}

const char *revision_kind_name(enum revision_kind k)
{
	static const char *const names[REV__MAX] = {
		[REV_DRAFT] = "draft",
		[REV_SUBMIT] = "submit",
		[REV_REOPEN] = "reopen",
	};
	return (unsigned)k < REV__MAX ? names[k] : "?";
}

static enum response_status status_parse(const char *s)
{
	for (int i = RESPONSE_DRAFT; i < RESPONSE__MAX; i++)
		if (s && !strcmp(s, response_status_name((enum response_status)i)))
			return (enum response_status)i;
	return RESPONSE_NONE;
}

static enum revision_kind kind_parse(const char *s)
{
	for (int i = 0; i < REV__MAX; i++)
		if (s && !strcmp(s, revision_kind_name((enum revision_kind)i)))
			return (enum revision_kind)i;
	return REV_DRAFT;
}

void store_revision_release(struct store_revision *r)
{
	free(r->body);
	free(r->normalised);
	free(r->who);
	free(r->from);
	memset(r, 0, sizeof(*r));
}

/* The state of response number instance (0: the organisation's one). */
static enum mamori_err read_state_n(struct store *st, int64_t campaign,
				    const char *org, int64_t instance,
				    struct store_response *out,
				    struct strbuf *err)
{
	sqlite3_stmt *s = store_stmt(st, STMT_RESPONSE_GET, err);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!s)
		return MAMORI_EDB;
	sqlite3_bind_int64(s, 1, campaign);
	store_bind_text(s, 2, org);
	sqlite3_bind_int64(s, 3, instance);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->status = status_parse((const char *)
					   sqlite3_column_text(s, 0));
		out->revision = sqlite3_column_int64(s, 1);
		out->submitted_revision = sqlite3_column_int64(s, 2);
		out->updated_at = sqlite3_column_int64(s, 3);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_err(st, err, "reading a response");
	return MAMORI_OK;
}

static enum mamori_err read_state(struct store *st, int64_t campaign,
				  const char *org, struct store_response *out,
				  struct strbuf *err)
{
	return read_state_n(st, campaign, org, 0, out, err);
}

static enum mamori_err read_revision(struct store *st, sqlite3_stmt *s,
				     struct store_revision *r)
{
	int oom = 0;

	memset(r, 0, sizeof(*r));
	r->revision = sqlite3_column_int64(s, 0);
	r->kind = kind_parse((const char *)sqlite3_column_text(s, 1));
	r->valid = sqlite3_column_int(s, 2) != 0;
	r->body = store_col_dup(s, 3, &oom);
	r->normalised = store_col_dup(s, 4, &oom);
	r->who = store_col_dup(s, 5, &oom);
	r->from = store_col_dup(s, 6, &oom);
	r->at = sqlite3_column_int64(s, 7);
	(void)st;
	if (oom) {
		store_revision_release(r);
		return MAMORI_ENOMEM;
	}
	return MAMORI_OK;
}

/* The organisation's fields as JSON, or ENOENT when it is not one of
 * the campaign's population. */
static enum mamori_err member_json(struct store *st, int64_t campaign,
				   const char *org, json_t **out,
				   struct strbuf *err)
{
	sqlite3_stmt *s = store_stmt(st, STMT_MEMBER_IS, err);
	int rc;

	if (!s)
		return MAMORI_EDB;
	sqlite3_bind_int64(s, 1, campaign);
	store_bind_text(s, 2, org);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE) {
		store_msg(err, "organisation '%s' is not in campaign %lld", org,
			  (long long)campaign);
		return MAMORI_ENOENT;
	}
	if (rc != SQLITE_ROW)
		return store_db_err(st, err, "reading the population");
	if (!out)
		return MAMORI_OK;
	if (!(s = store_stmt(st, STMT_ORG_GET, err)))
		return MAMORI_EDB;
	store_bind_text(s, 1, org);
	rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? store_org_json(s, 0) : NULL;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return store_db_err(st, err, "reading an organisation");
	return *out ? MAMORI_OK : MAMORI_ENOMEM;
}

/* Why the campaign takes no answers now, with the times that matter. */
static enum mamori_err closed_error(const struct store_campaign *c,
				    int64_t now, struct strbuf *err)
{
	char a[40], b[40];

	if (c->override == OVERRIDE_CLOSED) {
		store_msg(err, "campaign %lld was closed by the regulator at %s",
			  (long long)c->id,
			  store_time_format(c->override_at, a, sizeof(a)));
	} else if (c->state == CAMPAIGN_SCHEDULED) {
		store_msg(err, "campaign %lld is not open yet: it opens at %s",
			  (long long)c->id,
			  store_time_format(c->windows[0].opens, a, sizeof(a)));
	} else {
		size_t i = 0;
		while (i < c->nwindows && c->windows[i].closes < now)
			i++;
		if (i < c->nwindows)
			store_msg(err, "campaign %lld closed at %s; it opens "
				       "again at %s",
				  (long long)c->id,
				  store_time_format(c->windows[i - 1].closes,
						    a, sizeof(a)),
				  store_time_format(c->windows[i].opens, b,
						    sizeof(b)));
		else
			store_msg(err, "campaign %lld closed at %s",
				  (long long)c->id,
				  store_time_format(c->windows[c->nwindows - 1]
							    .closes,
						    a, sizeof(a)));
	}
	return MAMORI_ECLOSED;
}

static enum mamori_err conflict_error(struct store *st, int64_t campaign,
				      const char *org, int64_t instance,
				      int64_t base, int64_t current,
				      struct strbuf *err)
{
	struct store_revision r;
	char t[40];
	sqlite3_stmt *s = store_stmt(st, STMT_REVISION_LATEST, err);

	if (s) {
		sqlite3_bind_int64(s, 1, campaign);
		store_bind_text(s, 2, org);
		sqlite3_bind_int64(s, 3, instance);
		if (sqlite3_step(s) == SQLITE_ROW &&
		    read_revision(st, s, &r) == MAMORI_OK) {
			store_msg(err,
				  "the response of '%s' in campaign %lld changed "
				  "since you opened it: you started from "
				  "revision %lld, revision %lld was saved by %s "
				  "at %s. Reload it and make your changes again.",
				  org, (long long)campaign, (long long)base,
				  (long long)current, r.who,
				  store_time_format(r.at, t, sizeof(t)));
			store_revision_release(&r);
			sqlite3_reset(s);
			return MAMORI_ECONFLICT;
		}
		sqlite3_reset(s);
	}
	store_msg(err, "the response of '%s' in campaign %lld changed since you "
		       "opened it (revision %lld, you started from %lld)",
		  org, (long long)campaign, (long long)current, (long long)base);
	return MAMORI_ECONFLICT;
}

static void validation_errors(const struct vresult *res, struct strbuf *err)
{
	for (size_t i = 0; i < res->nerrors; i++)
		store_msg(err, "%s: %s", res->errors[i].item,
			  res->errors[i].message);
}

struct put {
	int64_t campaign;
	const char *org;
	enum revision_kind kind;
	int64_t base;
	const char *body;	/* NULL for reopen: the submitted body */
	size_t len;
	/* schema 4: the response's number (0: the organisation's one;
	 * STORE_FORM_NEW: the next free one, written to *number_out) */
	int64_t instance;
	int64_t *number_out;
	/* the group commit's: what was written, filled on success */
	struct store_written *written;
};

/* What a save needs that can be worked out before taking the lock. */
struct prepared {
	char *body;		/* owned: compact JSON, NULL for reopen */
	char *normalised;	/* owned: submit only */
	bool valid;
};

static void prepared_release(struct prepared *pr)
{
	free(pr->body);
	free(pr->normalised);
	memset(pr, 0, sizeof(*pr));
}

/* Parse, check the campaign takes answers, validate: no lock held.
 * seen, when not NULL, is told what the validation found. */
static enum mamori_err prepare(struct store *st, const struct put *p,
			       const struct store_seen *seen,
			       struct prepared *pr, struct strbuf *err)
{
	struct store_campaign c = { 0 };
	struct store_response cur;
	const struct instrument *ins;
	struct validator *v;
	const struct vresult *res = NULL;
	json_t *answers = NULL, *org = NULL;
	enum mamori_err e;

	memset(pr, 0, sizeof(*pr));
	if (p->kind != REV_REOPEN) {
		json_error_t je;
		if (p->len > STORE_MAX_RESPONSE) {
			store_msg(err, "the answers are larger than %u bytes",
				  STORE_MAX_RESPONSE);
			return MAMORI_ETOOBIG;
		}
		answers = json_loadb(p->body, p->len, JSON_REJECT_DUPLICATES,
				     &je);
		if (!answers) {
			store_msg(err, "line %d, column %d: %s", je.line,
				  je.column, je.text);
			return MAMORI_EPARSE;
		}
		if (!json_is_object(answers)) {
			store_msg(err, "the answers must be a JSON object "
				       "(item id: value)");
			e = MAMORI_EINVALID;
			goto out;
		}
	}
	if ((e = store_campaign_state(st, p->campaign, &c, err)))
		goto out;
	if ((e = member_json(st, p->campaign, p->org, &org, err)))
		goto out;
	if (!p->instance && c.repeatable && p->kind != REV_REOPEN) {
		store_msg(err, "campaign %lld takes reports: each is saved "
			       "as a new report", (long long)c.id);
		e = MAMORI_EINVAL;
		goto out;
	}
	if (p->instance && !c.repeatable && !c.form_instrument_sha256) {
		store_msg(err, "campaign %lld takes one response per "
			       "organisation: it is neither repeatable nor has "
			       "a form instrument", (long long)c.id);
		e = MAMORI_EINVAL;
		goto out;
	}
	/* Refuse a closed campaign before spending time on validation. */
	if ((e = read_state_n(st, p->campaign, p->org, p->instance, &cur,
			      err)))
		goto out;
	if (p->instance > 0 && cur.status == RESPONSE_NONE) {
		store_msg(err, "'%s' has no %s %lld in campaign %lld", p->org,
			  c.repeatable ? "report" : "form",
			  (long long)p->instance, (long long)c.id);
		e = MAMORI_ENOENT;
		goto out;
	}
	if (p->kind != REV_REOPEN && c.state != CAMPAIGN_OPEN &&
	    cur.status != RESPONSE_REOPENED) {
		store_msg(err, "the response of '%s' was not %s", p->org,
			  p->kind == REV_SUBMIT ? "submitted" : "saved");
		e = closed_error(&c, store_now(st), err);
		goto out;
	}
	if (answers) {
		json_t *camp = store_campaign_context(&c);
		struct vopts vo = { .lang = seen ? seen->lang : LANG_EN,
				    .org = org, .campaign = camp,
				    .normalise = p->kind == REV_SUBMIT };
		if (!camp) {
			e = MAMORI_ENOMEM;
			goto out;
		}
		e = store_campaign_validator_of(st, &c, p->instance &&
						c.form_instrument_sha256,
						&ins, &v, err);
		if (!e && (e = instrument_validate(v, answers, &vo, &res)))
			store_msg(err, "the answers could not be validated");
		json_decref(camp);
		if (e)
			goto out;
		(void)ins;
		if (seen)
			seen->fn(seen->ud, answers, res);
		pr->valid = res->valid;
		if (p->kind == REV_SUBMIT && !res->valid) {
			json_decref(res->normalised);
			store_msg(err, "the response of '%s' was not submitted: "
				       "%zu problem%s",
				  p->org, res->nerrors,
				  res->nerrors == 1 ? "" : "s");
			validation_errors(res, err);
			e = MAMORI_EINVALID;
			goto out;
		}
		if (res->normalised) {
			pr->normalised = json_dumps(res->normalised,
						    JSON_COMPACT);
			json_decref(res->normalised);
			if (!pr->normalised) {
				e = MAMORI_ENOMEM;
				goto out;
			}
		}
		pr->body = json_dumps(answers, JSON_COMPACT);
		if (!pr->body)
			e = MAMORI_ENOMEM;
	}
out:
	if (e)
		prepared_release(pr);
	store_campaign_release(&c);
	json_decref(answers);
	json_decref(org);
	return e;
}

/*
 * Inside the caller's transaction: check again (the truth now: state,
 * staleness, the close) and append the revision. A refusal writes
 * nothing; MAMORI_EDB means the transaction must be rolled back.
 */
static enum mamori_err write_revision(struct store *st,
				      const struct store_actor *who,
				      const struct put *p,
				      struct prepared *pr, int64_t *revision,
				      struct strbuf *err)
{
	struct store_campaign c = { 0 };
	struct store_response cur;
	sqlite3_stmt *s;
	enum mamori_err e;
	int64_t now = store_now(st), rev, inst = p->instance;
	enum response_status status;

	if ((e = store_campaign_state(st, p->campaign, &c, err)))
		goto out;
	if (inst == STORE_FORM_NEW) {
		/* the next number, taken inside the transaction */
		if (!(s = store_stmt(st, STMT_FORM_NEXT, err)))
			goto dberr;
		sqlite3_bind_int64(s, 1, p->campaign);
		store_bind_text(s, 2, p->org);
		if (sqlite3_step(s) != SQLITE_ROW)
			goto dberr_msg;
		inst = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
	}
	if ((e = read_state_n(st, p->campaign, p->org, inst, &cur, err)))
		goto out;
	if (inst > 0 && p->instance != STORE_FORM_NEW &&
	    cur.status == RESPONSE_NONE) {
		store_msg(err, "'%s' has no %s %lld in campaign %lld", p->org,
			  c.repeatable ? "report" : "form", (long long)inst,
			  (long long)p->campaign);
		e = MAMORI_ENOENT;
		goto out;
	}
	if (p->base != STORE_REV_ANY && p->base != cur.revision) {
		e = conflict_error(st, p->campaign, p->org, inst, p->base,
				   cur.revision, err);
		goto out;
	}
	if (p->kind == REV_REOPEN) {
		int oom = 0;
		if (cur.status != RESPONSE_SUBMITTED) {
			store_msg(err, "the response of '%s' in campaign %lld is "
				       "%s: only a submitted response can be "
				       "reopened",
				  p->org, (long long)p->campaign,
				  response_status_name(cur.status));
			e = MAMORI_EINVAL;
			goto out;
		}
		if (!(s = store_stmt(st, STMT_REVISION_GET, err)))
			goto dberr;
		sqlite3_bind_int64(s, 1, p->campaign);
		store_bind_text(s, 2, p->org);
		sqlite3_bind_int64(s, 3, cur.submitted_revision);
		sqlite3_bind_int64(s, 4, inst);
		if (sqlite3_step(s) != SQLITE_ROW)
			goto dberr_msg;
		free(pr->body);
		pr->body = store_col_dup(s, 3, &oom);
		pr->valid = true;
		sqlite3_reset(s);
		if (!pr->body) {
			e = MAMORI_ENOMEM;
			goto out;
		}
	} else if (c.state != CAMPAIGN_OPEN &&
		   cur.status != RESPONSE_REOPENED) {
		store_msg(err, "the response of '%s' was not %s", p->org,
			  p->kind == REV_SUBMIT ? "submitted" : "saved");
		e = closed_error(&c, now, err);
		goto out;
	}
	rev = cur.revision + 1;
	if (!(s = store_stmt(st, STMT_REVISION_INSERT, err)))
		goto dberr;
	sqlite3_bind_int64(s, 1, p->campaign);
	store_bind_text(s, 2, p->org);
	sqlite3_bind_int64(s, 3, rev);
	store_bind_text(s, 4, revision_kind_name(p->kind));
	sqlite3_bind_int(s, 5, pr->valid);
	store_bind_text(s, 6, pr->body);
	store_bind_text(s, 7, pr->normalised);
	store_bind_text(s, 8, who->who);
	store_bind_text(s, 9, who->from);
	sqlite3_bind_int64(s, 10, now);
	sqlite3_bind_int64(s, 11, inst);
	if (sqlite3_step(s) != SQLITE_DONE)
		goto dberr_msg;

	switch (p->kind) {
	case REV_SUBMIT:
		status = RESPONSE_SUBMITTED;
		cur.submitted_revision = rev;
		break;
	case REV_REOPEN:
		status = RESPONSE_REOPENED;
		break;
	default:
		status = cur.status == RESPONSE_NONE ? RESPONSE_DRAFT
						     : cur.status;
		break;
	}
	if (!(s = store_stmt(st, STMT_RESPONSE_PUT, err)))
		goto dberr;
	sqlite3_bind_int64(s, 1, p->campaign);
	store_bind_text(s, 2, p->org);
	store_bind_text(s, 3, response_status_name(status));
	sqlite3_bind_int64(s, 4, rev);
	if (cur.submitted_revision)
		sqlite3_bind_int64(s, 5, cur.submitted_revision);
	else
		sqlite3_bind_null(s, 5);
	sqlite3_bind_int64(s, 6, now);
	sqlite3_bind_int64(s, 7, inst);
	if (sqlite3_step(s) != SQLITE_DONE)
		goto dberr_msg;
	{
		static const char *const actions[REV__MAX] = {
			[REV_DRAFT] = "response.save",
			[REV_SUBMIT] = "response.submit",
			[REV_REOPEN] = "response.reopen",
		};
		struct strbuf obj = STRBUF_INIT;
		char detail[96];
		strbuf_addf(&obj, "campaign:%lld/%s", (long long)p->campaign,
			    p->org);
		if (inst)
			strbuf_addf(&obj, "/%lld", (long long)inst);
		snprintf(detail, sizeof(detail),
			 "{\"revision\":%lld,\"valid\":%s}", (long long)rev,
			 pr->valid ? "true" : "false");
		e = obj.err ? obj.err
			    : store_audit(st, who, actions[p->kind], obj.buf,
					  detail, err);
		strbuf_release(&obj);
		if (e)
			goto out;
	}
	*revision = rev;
	if (p->number_out)
		*p->number_out = inst;
	if (p->written)
		*p->written = (struct store_written){
			.revision = rev,
			.status = status,
			.submitted_revision = cur.submitted_revision,
			.updated_at = now,
			.campaign_state = c.state,
			.repeatable = c.repeatable,
			.campaign_created_at = c.created_at,
		};
	goto out;
dberr_msg:
	e = store_db_err(st, err, "storing the response");
	goto out;
dberr:
	e = MAMORI_EDB;
out:
	store_campaign_release(&c);
	return e;
}

static enum mamori_err put_revision(struct store *st,
				    const struct store_actor *who,
				    const struct put *p, int64_t *revision,
				    struct strbuf *err)
{
	struct prepared pr;
	enum mamori_err e;

	if ((e = prepare(st, p, NULL, &pr, err)))
		return e;
	if ((e = store_begin(st, err)))
		goto out;
	if ((e = write_revision(st, who, p, &pr, revision, err))) {
		store_rollback(st);
		goto out;
	}
	e = store_commit(st, err);
out:
	prepared_release(&pr);
	return e;
}

enum mamori_err store_response_submit_batch(struct store *st,
					    const struct store_actor *who,
					    struct store_submission *v,
					    size_t n, size_t *accepted,
					    struct strbuf *err)
{
	struct prepared *pr = calloc(n ? n : 1, sizeof(*pr));
	enum mamori_err e = MAMORI_OK;
	size_t ok = 0;

	*accepted = 0;
	if (!pr)
		return MAMORI_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct put p = { v[i].campaign, v[i].org, REV_SUBMIT, v[i].base,
				 v[i].json, v[i].len, v[i].number,
				 &v[i].number, NULL };
		v[i].revision = 0;
		strbuf_reset(&v[i].err);
		v[i].result = prepare(st, &p, NULL, &pr[i], &v[i].err);
		if (v[i].result == MAMORI_ENOMEM) {
			e = MAMORI_ENOMEM;
			goto out;
		}
	}
	if ((e = store_begin(st, err)))
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct put p = { v[i].campaign, v[i].org, REV_SUBMIT, v[i].base,
				 v[i].json, v[i].len, v[i].number,
				 &v[i].number, NULL };
		if (v[i].result)
			continue;
		v[i].result = write_revision(st, who, &p, &pr[i],
					     &v[i].revision, &v[i].err);
		if (v[i].result == MAMORI_EDB || v[i].result == MAMORI_ENOMEM) {
			e = v[i].result;
			store_msg(err, "%s", v[i].err.buf);
			store_rollback(st);
			goto undo;
		}
		if (!v[i].result)
			ok++;
	}
	if (!(e = store_commit(st, err))) {
		*accepted = ok;
		goto out;
	}
undo:
	/* nothing was stored: no submission may look acknowledged */
	for (size_t i = 0; i < n; i++)
		if (!v[i].result) {
			v[i].result = e;
			v[i].revision = 0;
		}
out:
	for (size_t i = 0; i < n; i++)
		prepared_release(&pr[i]);
	free(pr);
	return e;
}

/* ---- the two halves of a save, for the group commit (commit.h) ---- */

struct store_pending {
	struct put p;		/* p.org points into org, p.written to
				 * written */
	struct store_written written;
	struct prepared pr;	/* owned */
	struct store_actor who;	/* strings owned */
	char *org;		/* owned */
};

void store_pending_free(struct store_pending *sp)
{
	if (!sp)
		return;
	prepared_release(&sp->pr);
	free((char *)sp->who.who);
	free((char *)sp->who.from);
	free(sp->org);
	free(sp);
}

enum mamori_err store_pending_prepare(struct store *st, enum revision_kind kind,
				      const struct store_actor *who,
				      int64_t campaign, const char *org,
				      const char *json, size_t len,
				      int64_t base, struct store_pending **out,
				      struct strbuf *err)
{
	return store_pending_prepare_seen(st, kind, who, campaign, org, json,
					  len, base, NULL, out, err);
}

enum mamori_err store_pending_prepare_seen(struct store *st,
					   enum revision_kind kind,
					   const struct store_actor *who,
					   int64_t campaign, const char *org,
					   const char *json, size_t len,
					   int64_t base,
					   const struct store_seen *seen,
					   struct store_pending **out,
					   struct strbuf *err)
{
	struct store_pending *sp;
	enum mamori_err e;

	*out = NULL;
	if (kind != REV_DRAFT && kind != REV_SUBMIT)
		return MAMORI_EINVAL;
	if (!(sp = calloc(1, sizeof(*sp))))
		return MAMORI_ENOMEM;
	sp->org = strdup(org);
	sp->who.who = strdup(who->who);
	sp->who.from = strdup(who->from);
	if (!sp->org || !sp->who.who || !sp->who.from) {
		store_pending_free(sp);
		return MAMORI_ENOMEM;
	}
	sp->p = (struct put){ campaign, sp->org, kind, base, json, len, 0,
			      NULL, &sp->written };
	if ((e = prepare(st, &sp->p, seen, &sp->pr, err))) {
		store_pending_free(sp);
		return e;
	}
	sp->p.body = NULL;	/* the caller's; pr.body has the answers */
	sp->p.len = 0;
	*out = sp;
	return MAMORI_OK;
}

enum mamori_err store_pending_write(struct store *st, struct store_pending *sp,
				    int64_t *revision, struct strbuf *err)
{
	return write_revision(st, &sp->who, &sp->p, &sp->pr, revision, err);
}

const struct store_written *store_pending_written(
	const struct store_pending *sp)
{
	return &sp->written;
}

enum mamori_err store_response_save(struct store *st,
				    const struct store_actor *who,
				    int64_t campaign, const char *org,
				    const char *json, size_t len, int64_t base,
				    int64_t *revision, struct strbuf *err)
{
	struct put p = { campaign, org, REV_DRAFT, base, json, len, 0, NULL,
			 NULL };
	return put_revision(st, who, &p, revision, err);
}

enum mamori_err store_response_submit(struct store *st,
				      const struct store_actor *who,
				      int64_t campaign, const char *org,
				      const char *json, size_t len,
				      int64_t base, int64_t *revision,
				      struct strbuf *err)
{
	struct put p = { campaign, org, REV_SUBMIT, base, json, len, 0, NULL,
			 NULL };
	return put_revision(st, who, &p, revision, err);
}

enum mamori_err store_response_reopen(struct store *st,
				      const struct store_actor *who,
				      int64_t campaign, const char *org,
				      int64_t *revision, struct strbuf *err)
{
	struct put p = { campaign, org, REV_REOPEN, STORE_REV_ANY, NULL, 0, 0,
			 NULL, NULL };
	return put_revision(st, who, &p, revision, err);
}

enum mamori_err store_response_state(struct store *st, int64_t campaign,
				     const char *org,
				     struct store_response *out,
				     struct strbuf *err)
{
	enum mamori_err e = member_json(st, campaign, org, NULL, err);
	if (e)
		return e;
	return read_state(st, campaign, org, out, err);
}

static enum mamori_err get_n(struct store *st, int64_t campaign,
			     const char *org, int64_t instance,
			     int64_t revision, struct store_revision *out,
			     struct strbuf *err)
{
	sqlite3_stmt *s;
	enum mamori_err e;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((e = member_json(st, campaign, org, NULL, err)))
		return e;
	s = store_stmt(st, revision ? STMT_REVISION_GET : STMT_REVISION_LATEST,
		       err);
	if (!s)
		return MAMORI_EDB;
	sqlite3_bind_int64(s, 1, campaign);
	store_bind_text(s, 2, org);
	if (revision) {
		sqlite3_bind_int64(s, 3, revision);
		sqlite3_bind_int64(s, 4, instance);
	} else {
		sqlite3_bind_int64(s, 3, instance);
	}
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		if (instance)
			store_msg(err, "'%s' has no form or report %lld "
				       "(revision %lld) in campaign %lld",
				  org, (long long)instance,
				  (long long)revision, (long long)campaign);
		else if (revision)
			store_msg(err, "the response of '%s' in campaign %lld "
				       "has no revision %lld",
				  org, (long long)campaign, (long long)revision);
		else
			store_msg(err, "'%s' has not answered campaign %lld yet",
				  org, (long long)campaign);
		return MAMORI_ENOENT;
	}
	if (rc != SQLITE_ROW)
		return store_db_err(st, err, "reading a response");
	e = read_revision(st, s, out);
	sqlite3_reset(s);
	return e;
}

enum mamori_err store_response_get(struct store *st, int64_t campaign,
				   const char *org, int64_t revision,
				   struct store_revision *out,
				   struct strbuf *err)
{
	return get_n(st, campaign, org, 0, revision, out, err);
}

enum mamori_err store_response_history(struct store *st, int64_t campaign,
				       const char *org,
				       int (*fn)(void *ud,
						 const struct store_revision *r),
				       void *ud, struct strbuf *err)
{
	return store_response_history_form(st, campaign, org, 0, fn, ud, err);
}

enum mamori_err store_response_history_form(struct store *st,
					    int64_t campaign, const char *org,
					    int64_t number,
					    int (*fn)(void *ud,
						      const struct
						      store_revision *r),
					    void *ud, struct strbuf *err)
{
	sqlite3_stmt *s;
	enum mamori_err e;
	int rc;

	if (number < 0)
		return MAMORI_EINVAL;
	if ((e = member_json(st, campaign, org, NULL, err)))
		return e;
	if (!(s = store_stmt(st, STMT_REVISION_LIST, err)))
		return MAMORI_EDB;
	sqlite3_bind_int64(s, 1, campaign);
	store_bind_text(s, 2, org);
	sqlite3_bind_int64(s, 3, number);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_revision r;
		if ((e = read_revision(st, s, &r))) {
			sqlite3_reset(s);
			return e;
		}
		int stop = fn(ud, &r);
		store_revision_release(&r);
		if (stop)
			break;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_err(st, err, "reading revisions");
	return MAMORI_OK;
}

/* ---- numbered responses: reports and forms (schema 4) --------------- */

enum mamori_err store_response_put_form(struct store *st,
					const struct store_actor *who,
					int64_t campaign, const char *org,
					int64_t *number, bool submit,
					const char *json, size_t len,
					int64_t base, int64_t *revision,
					struct strbuf *err)
{
	struct put p = { campaign, org, submit ? REV_SUBMIT : REV_DRAFT, base,
			 json, len, *number, number, NULL };

	if (*number < 0 && *number != STORE_FORM_NEW)
		return MAMORI_EINVAL;
	return put_revision(st, who, &p, revision, err);
}

enum mamori_err store_response_reopen_form(struct store *st,
					   const struct store_actor *who,
					   int64_t campaign, const char *org,
					   int64_t number, int64_t *revision,
					   struct strbuf *err)
{
	struct put p = { campaign, org, REV_REOPEN, STORE_REV_ANY, NULL, 0,
			 number, NULL, NULL };

	if (number < 0)
		return MAMORI_EINVAL;
	return put_revision(st, who, &p, revision, err);
}

enum mamori_err store_response_get_form(struct store *st, int64_t campaign,
					const char *org, int64_t number,
					int64_t revision,
					struct store_revision *out,
					struct strbuf *err)
{
	if (number < 0)
		return MAMORI_EINVAL;
	return get_n(st, campaign, org, number, revision, out, err);
}

enum mamori_err store_response_state_form(struct store *st,
					  int64_t campaign, const char *org,
					  int64_t number,
					  struct store_response *out,
					  struct strbuf *err)
{
	enum mamori_err e;

	memset(out, 0, sizeof(*out));
	if (number < 0)
		return MAMORI_EINVAL;
	if ((e = member_json(st, campaign, org, NULL, err)))
		return e;
	return read_state_n(st, campaign, org, number, out, err);
}

enum mamori_err store_campaign_form_instrument(struct store *st,
					       int64_t campaign,
					       const struct instrument **out,
					       struct strbuf *err)
{
	struct validator *v;

	return store_campaign_form_validator(st, campaign, out, &v, err);
}

enum mamori_err store_response_forms(struct store *st, int64_t campaign,
				     const char *org,
				     int (*fn)(void *ud, int64_t number,
					       const struct store_response *r),
				     void *ud, struct strbuf *err)
{
	sqlite3_stmt *s;
	enum mamori_err e;
	int rc;

	if ((e = member_json(st, campaign, org, NULL, err)))
		return e;
	if (!(s = store_stmt(st, STMT_FORM_LIST, err)))
		return MAMORI_EDB;
	sqlite3_bind_int64(s, 1, campaign);
	store_bind_text(s, 2, org);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_response r = {
			.status = status_parse((const char *)
					       sqlite3_column_text(s, 1)),
			.revision = sqlite3_column_int64(s, 2),
			.submitted_revision = sqlite3_column_int64(s, 3),
			.updated_at = sqlite3_column_int64(s, 4),
		};
		if (fn(ud, sqlite3_column_int64(s, 0), &r))
			break;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_err(st, err, "reading responses");
	return MAMORI_OK;
}

enum mamori_err store_campaign_forms_missing(struct store *st,
					     int64_t campaign,
					     const char *count_item,
					     int (*fn)(void *ud,
						       const struct
						       store_forms_due *d),
					     void *ud, struct strbuf *err)
{
	struct store_campaign c = { 0 };
	const struct instrument *ins;
	const struct item *it;
	struct strbuf path = STRBUF_INIT;
	sqlite3_stmt *s;
	enum mamori_err e;
	int rc;

	if ((e = store_campaign_state(st, campaign, &c, err)))
		return e;
	if (!c.form_instrument_sha256) {
		store_msg(err, "campaign %lld has no form instrument",
			  (long long)campaign);
		e = MAMORI_EINVAL;
		goto out;
	}
	if ((e = store_campaign_instrument(st, campaign, &ins, err)))
		goto out;
	it = instrument_find(ins, count_item, strlen(count_item));
	if (!it || it->type != ITEM_INTEGER || it->repeat >= 0) {
		store_msg(err, "'%s' is not an integer item of %s (outside a "
			       "repeat)", count_item, ins->id);
		e = MAMORI_EINVAL;
		goto out;
	}
	/* an item id is letters, digits and '_': a plain JSON path */
	strbuf_addf(&path, "$.\"%s\"", it->id);
	if ((e = path.err))
		goto out;
	if (!(s = store_stmt(st, STMT_FORMS_MISSING, err))) {
		e = MAMORI_EDB;
		goto out;
	}
	sqlite3_bind_int64(s, 1, campaign);
	store_bind_text(s, 2, path.buf);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_forms_due d = {
			.org_id = (const char *)sqlite3_column_text(s, 0),
			.expected = sqlite3_column_int64(s, 1),
			.submitted = sqlite3_column_int64(s, 2),
		};
		if (fn(ud, &d))
			break;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		e = store_db_err(st, err, "reading the forms");
out:
	strbuf_release(&path);
	store_campaign_release(&c);
	return e;
}
