/*
 * campaign.c - campaigns (instrument by content, population, answering
 * windows, the regulator's open/close), access codes, and status counts.
 * Must never store an access code in clear, nor an instrument that does
 * not load.
 */
#include "store/store_int.h"

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "instrument/expr.h"
#include "instrument/instrument.h"
#include "store/iterate.h"
#include "util/banned.h"

/*
 * argon2id cost for access codes. A code carries 100 random bits, so no
 * offline guessing is feasible whatever the cost; the hash only keeps a
 * stolen database from being a list of codes. Measured on the project's
 * 2-core test machine (libsodium 1.0.18, a loaded VM): interactive limits
 * (crypto_pwhash_*_INTERACTIVE: 2 passes, 64 MiB) take 196 ms a hash,
 * 27 minutes for 8,252 hospitals; 1 pass over the minimum 8 KiB takes
 * 0.1-0.2 ms, 1-2 s for all of them. The time is mostly libsodium's
 * mmap/munmap of each hash's memory, which is why hashing on two threads
 * was slower than on one (the unmaps interrupt the other core), so codes
 * are hashed on the calling thread.
 */
#define CODE_OPSLIMIT crypto_pwhash_argon2id_OPSLIMIT_MIN
#define CODE_MEMLIMIT crypto_pwhash_argon2id_MEMLIMIT_MIN

#define CODE_SYMBOLS 20
#define CODE_SELECTOR 4

const char *campaign_state_name(enum campaign_state s)
{
	static const char *const names[CAMPAIGN__MAX] = {
		[CAMPAIGN_SCHEDULED] = "scheduled",
		[CAMPAIGN_OPEN] = "open",
		[CAMPAIGN_CLOSED] = "closed",
	};
	return (unsigned)s < CAMPAIGN__MAX ? names[s] : "?";
}

static const char *const override_names[OVERRIDE__MAX] = {
	[OVERRIDE_NONE] = NULL,
	[OVERRIDE_OPEN] = "open",
	[OVERRIDE_CLOSED] = "closed",
};

static enum campaign_state state_at(const struct store_campaign *c,
				    int64_t now)
{
	if (c->override == OVERRIDE_CLOSED)
		return CAMPAIGN_CLOSED;
	if (c->override == OVERRIDE_OPEN)
		return CAMPAIGN_OPEN;
	if (c->nwindows == 0 || now < c->windows[0].opens)
		return CAMPAIGN_SCHEDULED;
	if (c->always_open)
		return CAMPAIGN_OPEN;
	for (size_t i = 0; i < c->nwindows; i++)
		if (now >= c->windows[i].opens && now <= c->windows[i].closes)
			return CAMPAIGN_OPEN;
	return CAMPAIGN_CLOSED;
}

void store_campaign_release(struct store_campaign *c)
{
	free(c->title);
	free(c->instrument_id);
	free(c->instrument_version);
	free(c->instrument_sha256);
	free(c->target);
	free(c->form_instrument_id);
	free(c->form_instrument_sha256);
	memset(c, 0, sizeof(*c));
}

static enum mamori_err campaign_read(struct store *st, enum stmt which,
				     int64_t id, struct store_campaign *c,
				     struct strbuf *err)
{
	sqlite3_stmt *s = store_stmt(st, which, err);
	int rc, oom = 0;
	const char *o;

	memset(c, 0, sizeof(*c));
	if (!s)
		return MAMORI_EDB;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		store_msg(err, "no campaign %lld", (long long)id);
		return MAMORI_ENOENT;
	}
	if (rc != SQLITE_ROW)
		return store_db_err(st, err, "reading a campaign");
	c->id = sqlite3_column_int64(s, 0);
	c->title = store_col_dup(s, 1, &oom);
	c->instrument_id = store_col_dup(s, 2, &oom);
	c->instrument_version = store_col_dup(s, 3, &oom);
	c->instrument_sha256 = store_col_dup(s, 4, &oom);
	c->target = store_col_dup(s, 5, &oom);
	o = (const char *)sqlite3_column_text(s, 6);
	c->override = !o ? OVERRIDE_NONE
			 : !strcmp(o, "open") ? OVERRIDE_OPEN : OVERRIDE_CLOSED;
	c->override_at = sqlite3_column_int64(s, 7);
	c->created_at = sqlite3_column_int64(s, 8);
	c->population = (size_t)sqlite3_column_int64(s, 9);
	sqlite3_reset(s);
	if (oom) {
		store_campaign_release(c);
		return MAMORI_ENOMEM;
	}
	s = store_stmt(st, STMT_WINDOW_LIST, err);
	if (!s) {
		store_campaign_release(c);
		return MAMORI_EDB;
	}
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW &&
	       c->nwindows < STORE_MAX_WINDOWS) {
		c->windows[c->nwindows].opens = sqlite3_column_int64(s, 1);
		c->windows[c->nwindows].closes = sqlite3_column_int64(s, 2);
		c->nwindows++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_campaign_release(c);
		return store_db_err(st, err, "reading a campaign");
	}
	if (!(s = store_stmt(st, STMT_CAMPAIGN_FLAGS_GET, err))) {
		store_campaign_release(c);
		return MAMORI_EDB;
	}
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		c->always_open = sqlite3_column_int(s, 0) != 0;
		c->repeatable = sqlite3_column_int(s, 1) != 0;
		c->form_instrument_sha256 = store_col_dup(s, 2, &oom);
		c->form_instrument_id = store_col_dup(s, 3, &oom);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW || oom) {
		store_campaign_release(c);
		return oom ? MAMORI_ENOMEM
			   : store_db_err(st, err, "reading a campaign");
	}
	c->state = state_at(c, store_now(st));
	return MAMORI_OK;
}

/* From st's cache (struct pop_cache) or counted. */
enum mamori_err store_campaign_population(struct store *st, int64_t id,
					  int64_t created_at, size_t *out,
					  struct strbuf *err)
{
	size_t n = st->npop < STORE_POP_CACHE ? st->npop : STORE_POP_CACHE;
	sqlite3_stmt *s;
	struct pop_cache *p;

	for (size_t i = 0; i < n; i++) {
		if (st->pop[i].campaign == id &&
		    st->pop[i].created_at == created_at) {
			*out = st->pop[i].population;
			return MAMORI_OK;
		}
	}
	if (!(s = store_stmt(st, STMT_MEMBER_COUNT, err)))
		return MAMORI_EDB;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return store_db_err(st, err, "counting a campaign's members");
	}
	*out = (size_t)sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	/* not inside a write: it may be the creating one, rolled back */
	if (sqlite3_txn_state(st->db, NULL) == SQLITE_TXN_WRITE)
		return MAMORI_OK;
	p = &st->pop[st->npop++ % STORE_POP_CACHE];
	*p = (struct pop_cache){ id, created_at, *out };
	return MAMORI_OK;
}

enum mamori_err store_campaign_get(struct store *st, int64_t id,
				   struct store_campaign *c,
				   struct strbuf *err)
{
	enum mamori_err e = campaign_read(st, STMT_CAMPAIGN_GET_LIGHT, id, c,
					  err);

	if (!e && (e = store_campaign_population(st, id, c->created_at,
						 &c->population, err)))
		store_campaign_release(c);
	return e;
}

enum mamori_err store_campaign_state(struct store *st, int64_t id,
				     struct store_campaign *c,
				     struct strbuf *err)
{
	return campaign_read(st, STMT_CAMPAIGN_GET_LIGHT, id, c, err);
}

enum mamori_err store_campaign_list(struct store *st,
				    int (*fn)(void *ud,
					      const struct store_campaign *c),
				    void *ud, struct strbuf *err)
{
	sqlite3_stmt *s = store_stmt(st, STMT_CAMPAIGN_LIST, err);
	int64_t *ids = NULL;
	size_t n = 0, alloc = 0;
	enum mamori_err e = MAMORI_OK;
	int rc;

	if (!s)
		return MAMORI_EDB;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == alloc) {
			size_t na = alloc ? alloc * 2 : 16;
			int64_t *ni = realloc(ids, na * sizeof(*ni));
			if (!ni) {
				free(ids);
				sqlite3_reset(s);
				return MAMORI_ENOMEM;
			}
			ids = ni;
			alloc = na;
		}
		ids[n++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		free(ids);
		return store_db_err(st, err, "listing campaigns");
	}
	for (size_t i = 0; i < n && !e; i++) {
		struct store_campaign c;
		if ((e = store_campaign_get(st, ids[i], &c, err)))
			break;
		int stop = fn(ud, &c);
		store_campaign_release(&c);
		if (stop)
			break;
	}
	free(ids);
	return e;
}

json_t *store_org_json(sqlite3_stmt *s, int first)
{
	/* the columns, in the order a campaign scan reads them */
	struct store_iter_raw raw = { 0 };
	struct slice *col[5] = { &raw.org_id, &raw.name, &raw.kind,
				 &raw.pref_code, &raw.attrs };

	for (int k = 0; k < 5; k++) {
		const char *t = (const char *)sqlite3_column_text(s, first + k);
		*col[k] = slice_make(t, t ? (size_t)sqlite3_column_bytes(
						    s, first + k) : 0);
	}
	return store_iter_org_json(&raw);
}

static int windows_ok(const struct store_window *w, size_t n,
		      struct strbuf *err)
{
	char a[40], b[40];

	if (n < 1 || n > STORE_MAX_WINDOWS) {
		store_msg(err, "a campaign has 1 to %d answering windows",
			  STORE_MAX_WINDOWS);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (w[i].closes <= w[i].opens) {
			store_msg(err, "window %zu closes (%s) before it opens "
				       "(%s)", i + 1,
				  store_time_format(w[i].closes, a, sizeof(a)),
				  store_time_format(w[i].opens, b, sizeof(b)));
			return 0;
		}
		if (i && w[i].opens <= w[i - 1].closes) {
			store_msg(err, "window %zu opens (%s) before window %zu "
				       "closes (%s)", i + 1,
				  store_time_format(w[i].opens, a, sizeof(a)),
				  i, store_time_format(w[i - 1].closes, b,
						       sizeof(b)));
			return 0;
		}
	}
	return 1;
}

enum mamori_err store_campaign_create(struct store *st,
				      const struct store_actor *who,
				      const struct store_campaign_new *c,
				      int64_t *id, struct strbuf *err)
{
	struct instrument *ins = NULL, *fins = NULL;
	struct attr_expr *target = NULL;
	unsigned char hash[crypto_hash_sha256_BYTES];
	char hex[crypto_hash_sha256_BYTES * 2 + 1];
	char fhex[crypto_hash_sha256_BYTES * 2 + 1];
	sqlite3_stmt *s, *m;
	enum mamori_err e;
	int64_t now = store_now(st), cid;
	size_t members = 0;
	int rc;

	if (!c->title || !*c->title) {
		store_msg(err, "a campaign needs a title");
		return MAMORI_EINVAL;
	}
	if (!windows_ok(c->windows, c->nwindows, err))
		return MAMORI_EINVAL;
	if (c->repeatable && c->form_instrument) {
		store_msg(err, "a campaign with a form instrument takes one "
			       "main response per organisation: it cannot be "
			       "repeatable too");
		return MAMORI_EINVAL;
	}
	e = instrument_load_mem(c->instrument_name, c->instrument,
				c->instrument_len, &ins, err);
	if (e)
		return e;
	if (c->form_instrument) {
		if ((e = instrument_load_mem(c->form_instrument_name,
					     c->form_instrument,
					     c->form_instrument_len, &fins,
					     err)))
			goto out;
		crypto_hash_sha256(hash, (const unsigned char *)
				   c->form_instrument, c->form_instrument_len);
		sodium_bin2hex(fhex, sizeof(fhex), hash, sizeof(hash));
	}
	if ((e = attr_expr_compile(c->target, &target, err))) {
		store_msg(err, "in the target '%s'", c->target);
		goto out;
	}
	crypto_hash_sha256(hash, (const unsigned char *)c->instrument,
			   c->instrument_len);
	sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));

	if ((e = store_begin(st, err)))
		goto out;
	if (!(s = store_stmt(st, STMT_INSTRUMENT_PUT, err)))
		goto dberr;
	store_bind_text(s, 1, hex);
	store_bind_text(s, 2, ins->id);
	store_bind_text(s, 3, ins->version);
	store_bind_text(s, 4, c->instrument_name);
	sqlite3_bind_blob(s, 5, c->instrument, (int)c->instrument_len,
			  SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, now);
	if (sqlite3_step(s) != SQLITE_DONE)
		goto dberr_msg;
	if (!(s = store_stmt(st, STMT_CAMPAIGN_INSERT, err)))
		goto dberr;
	store_bind_text(s, 1, c->title);
	store_bind_text(s, 2, hex);
	store_bind_text(s, 3, c->target);
	sqlite3_bind_int64(s, 4, c->windows[0].opens);
	sqlite3_bind_int64(s, 5, c->windows[c->nwindows - 1].closes);
	sqlite3_bind_int64(s, 6, now);
	store_bind_text(s, 7, who->who);
	if (sqlite3_step(s) != SQLITE_DONE)
		goto dberr_msg;
	cid = sqlite3_last_insert_rowid(st->db);
	if (fins) {
		if (!(s = store_stmt(st, STMT_INSTRUMENT_PUT, err)))
			goto dberr;
		store_bind_text(s, 1, fhex);
		store_bind_text(s, 2, fins->id);
		store_bind_text(s, 3, fins->version);
		store_bind_text(s, 4, c->form_instrument_name);
		sqlite3_bind_blob(s, 5, c->form_instrument,
				  (int)c->form_instrument_len, SQLITE_STATIC);
		sqlite3_bind_int64(s, 6, now);
		if (sqlite3_step(s) != SQLITE_DONE)
			goto dberr_msg;
	}
	if (!(s = store_stmt(st, STMT_CAMPAIGN_FLAGS_SET, err)))
		goto dberr;
	sqlite3_bind_int64(s, 1, cid);
	sqlite3_bind_int(s, 2, c->always_open);
	sqlite3_bind_int(s, 3, c->repeatable);
	store_bind_text(s, 4, fins ? fhex : NULL);
	if (sqlite3_step(s) != SQLITE_DONE)
		goto dberr_msg;
	for (size_t i = 0; i < c->nwindows; i++) {
		if (!(s = store_stmt(st, STMT_WINDOW_INSERT, err)))
			goto dberr;
		sqlite3_bind_int64(s, 1, cid);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)i + 1);
		sqlite3_bind_int64(s, 3, c->windows[i].opens);
		sqlite3_bind_int64(s, 4, c->windows[i].closes);
		if (sqlite3_step(s) != SQLITE_DONE)
			goto dberr_msg;
	}
	/* the population, fixed now */
	if (!(s = store_stmt(st, STMT_ORG_LIST, err)))
		goto dberr;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		json_t *o = store_org_json(s, 0);
		bool in = false;
		if (!o) {
			e = MAMORI_ENOMEM;
			goto fail;
		}
		e = attr_expr_eval(target, o, &in, err);
		json_decref(o);
		if (e) {
			store_msg(err, "evaluating the target for '%s'",
				  (const char *)sqlite3_column_text(s, 0));
			goto fail;
		}
		if (!in)
			continue;
		if (!(m = store_stmt(st, STMT_MEMBER_INSERT, err)))
			goto dberr;
		sqlite3_bind_int64(m, 1, cid);
		sqlite3_bind_text(m, 2, (const char *)sqlite3_column_text(s, 0),
				  -1, SQLITE_TRANSIENT);
		if (sqlite3_step(m) != SQLITE_DONE)
			goto dberr_msg;
		members++;
	}
	if (rc != SQLITE_DONE)
		goto dberr_msg;
	sqlite3_reset(s);
	{
		json_t *d = json_pack("{s:s,s:s,s:s,s:s,s:s,s:I}", "title",
				      c->title, "instrument", ins->id,
				      "version", ins->version, "sha256", hex,
				      "target", c->target, "population",
				      (json_int_t)members);
		if (d && c->always_open)
			json_object_set_new(d, "always_open", json_true());
		if (d && c->repeatable)
			json_object_set_new(d, "repeatable", json_true());
		if (d && fins)
			json_object_set_new(d, "form_instrument",
					    json_string(fins->id));
		char *detail = d ? json_dumps(d, JSON_COMPACT) : NULL;
		char obj[32];
		json_decref(d);
		if (!detail) {
			e = MAMORI_ENOMEM;
			goto fail;
		}
		snprintf(obj, sizeof(obj), "campaign:%lld", (long long)cid);
		e = store_audit(st, who, "campaign.create", obj, detail, err);
		free(detail);
		if (e)
			goto fail;
	}
	if ((e = store_commit(st, err)))
		goto out;
	*id = cid;
	goto out;
dberr_msg:
	e = store_db_err(st, err, "creating the campaign");
	goto fail;
dberr:
	e = MAMORI_EDB;
fail:
	store_rollback(st);
out:
	attr_expr_free(target);
	instrument_free(ins);
	instrument_free(fins);
	return e;
}

static enum mamori_err audit_campaign(struct store *st,
				      const struct store_actor *who,
				      const char *action, int64_t id,
				      const char *detail, struct strbuf *err)
{
	char obj[32];
	snprintf(obj, sizeof(obj), "campaign:%lld", (long long)id);
	return store_audit(st, who, action, obj, detail, err);
}

enum mamori_err store_campaign_set_override(struct store *st,
					    const struct store_actor *who,
					    int64_t id,
					    enum campaign_override o,
					    struct strbuf *err)
{
	static const char *const actions[OVERRIDE__MAX] = {
		[OVERRIDE_NONE] = "campaign.schedule",
		[OVERRIDE_OPEN] = "campaign.open",
		[OVERRIDE_CLOSED] = "campaign.close",
	};
	struct store_campaign c;
	sqlite3_stmt *s;
	enum mamori_err e;

	if ((unsigned)o >= OVERRIDE__MAX)
		return MAMORI_EINVAL;
	if ((e = store_begin(st, err)))
		return e;
	if ((e = store_campaign_state(st, id, &c, err)))
		goto fail;
	store_campaign_release(&c);
	if (!(s = store_stmt(st, STMT_CAMPAIGN_SET_OVERRIDE, err))) {
		e = MAMORI_EDB;
		goto fail;
	}
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, override_names[o]);
	if (o == OVERRIDE_NONE)
		sqlite3_bind_null(s, 3);
	else
		sqlite3_bind_int64(s, 3, store_now(st));
	if (sqlite3_step(s) != SQLITE_DONE) {
		e = store_db_err(st, err, "changing the campaign");
		goto fail;
	}
	if ((e = audit_campaign(st, who, actions[o], id, "{}", err)))
		goto fail;
	return store_commit(st, err);
fail:
	store_rollback(st);
	return e;
}

enum mamori_err store_campaign_extend(struct store *st,
				      const struct store_actor *who,
				      int64_t id, int64_t closes,
				      struct strbuf *err)
{
	struct store_campaign c;
	struct store_window w;
	sqlite3_stmt *s;
	enum mamori_err e;
	char detail[96];

	if ((e = store_begin(st, err)))
		return e;
	if ((e = store_campaign_state(st, id, &c, err)))
		goto fail;
	w = c.windows[c.nwindows - 1];
	size_t seq = c.nwindows;
	store_campaign_release(&c);
	if (closes <= w.opens) {
		store_msg(err, "the new close is not after the window opens");
		e = MAMORI_EINVAL;
		goto fail;
	}
	if (!(s = store_stmt(st, STMT_WINDOW_SET_CLOSES, err)))
		goto dberr;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)seq);
	sqlite3_bind_int64(s, 3, closes);
	if (sqlite3_step(s) != SQLITE_DONE)
		goto dberr_msg;
	if (!(s = store_stmt(st, STMT_CAMPAIGN_SET_CLOSES, err)))
		goto dberr;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, closes);
	if (sqlite3_step(s) != SQLITE_DONE)
		goto dberr_msg;
	snprintf(detail, sizeof(detail), "{\"window\":%zu,\"from\":%lld,"
		 "\"to\":%lld}", seq, (long long)w.closes, (long long)closes);
	if ((e = audit_campaign(st, who, "campaign.extend", id, detail, err)))
		goto fail;
	return store_commit(st, err);
dberr_msg:
	e = store_db_err(st, err, "extending the campaign");
	goto fail;
dberr:
	e = MAMORI_EDB;
fail:
	store_rollback(st);
	return e;
}

/* ---- the instrument cache --------------------------------------- */

/* The instrument which (STMT_INSTRUMENT_GET or STMT_FORM_INSTRUMENT_GET)
 * reads for campaign id, from the cache or loaded into it. */
static enum mamori_err cached_validator(struct store *st, enum stmt which,
					int64_t id,
					const struct instrument **out,
					struct validator **vout,
					struct strbuf *err)
{
	sqlite3_stmt *s = store_stmt(st, which, err);
	struct instrument *ins = NULL;
	struct validator *v;
	const char *sha;
	enum mamori_err e;
	int rc;

	if (!s)
		return MAMORI_EDB;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		if (which == STMT_FORM_INSTRUMENT_GET)
			store_msg(err, "campaign %lld has no form instrument",
				  (long long)id);
		else
			store_msg(err, "no campaign %lld", (long long)id);
		return MAMORI_ENOENT;
	}
	if (rc != SQLITE_ROW)
		return store_db_err(st, err, "reading the instrument");
	sha = (const char *)sqlite3_column_text(s, 0);
	for (size_t i = 0; i < st->ncache; i++)
		if (!strcmp(st->cache[i].sha256, sha)) {
			*out = st->cache[i].ins;
			if (vout)
				*vout = st->cache[i].v;
			sqlite3_reset(s);
			return MAMORI_OK;
		}
	e = instrument_load_mem((const char *)sqlite3_column_text(s, 2),
				sqlite3_column_blob(s, 1),
				(size_t)sqlite3_column_bytes(s, 1), &ins, err);
	if (e) {
		sqlite3_reset(s);
		return e;
	}
	v = validator_new(ins);
	if (!v) {
		instrument_free(ins);
		sqlite3_reset(s);
		return MAMORI_ENOMEM;
	}
	if (st->ncache == STORE_INS_CACHE) {
		validator_free(st->cache[0].v);
		instrument_free(st->cache[0].ins);
		memmove(&st->cache[0], &st->cache[1],
			sizeof(st->cache[0]) * (STORE_INS_CACHE - 1));
		st->ncache--;
	}
	snprintf(st->cache[st->ncache].sha256, sizeof(st->cache[0].sha256),
		 "%s", sha);
	st->cache[st->ncache].ins = ins;
	st->cache[st->ncache].v = v;
	st->ncache++;
	sqlite3_reset(s);
	*out = ins;
	if (vout)
		*vout = v;
	return MAMORI_OK;
}

enum mamori_err store_campaign_validator(struct store *st, int64_t id,
					 const struct instrument **out,
					 struct validator **vout,
					 struct strbuf *err)
{
	return cached_validator(st, STMT_INSTRUMENT_GET, id, out, vout, err);
}

enum mamori_err store_campaign_form_validator(struct store *st, int64_t id,
					      const struct instrument **out,
					      struct validator **vout,
					      struct strbuf *err)
{
	return cached_validator(st, STMT_FORM_INSTRUMENT_GET, id, out, vout,
				err);
}

enum mamori_err store_campaign_instrument(struct store *st, int64_t id,
					  const struct instrument **out,
					  struct strbuf *err)
{
	return store_campaign_validator(st, id, out, NULL, err);
}

enum mamori_err store_campaign_validator_of(struct store *st,
					    const struct store_campaign *c,
					    bool form,
					    const struct instrument **out,
					    struct validator **vout,
					    struct strbuf *err)
{
	const char *sha = form ? c->form_instrument_sha256
			       : c->instrument_sha256;

	/* the row need not be read again when its content is kept */
	for (size_t i = 0; sha && i < st->ncache; i++)
		if (!strcmp(st->cache[i].sha256, sha)) {
			*out = st->cache[i].ins;
			*vout = st->cache[i].v;
			return MAMORI_OK;
		}
	return cached_validator(st, form ? STMT_FORM_INSTRUMENT_GET
					 : STMT_INSTRUMENT_GET, c->id, out,
				vout, err);
}

/* ---- status -------------------------------------------------------- */

enum mamori_err store_campaign_status(struct store *st, int64_t id,
				      struct store_campaign_status *out,
				      struct strbuf *err)
{
	struct store_campaign c;
	sqlite3_stmt *s;
	enum mamori_err e;
	bool repeatable;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((e = store_campaign_state(st, id, &c, err)))
		return e;
	repeatable = c.repeatable;
	store_campaign_release(&c);
	for (size_t i = 0; i < PREFECTURE_COUNT; i++)
		memcpy(out->by_pref[i].code, prefectures[i].code, 3);
	if (!(s = store_stmt(st, repeatable ? STMT_STATUS_REPORTS
					      : STMT_STATUS_BY_PREF, err)))
		return MAMORI_EDB;
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const struct prefecture *p = prefecture_find(slice_from_cstr(
			(const char *)sqlite3_column_text(s, 0)));
		size_t pop = (size_t)sqlite3_column_int64(s, 1);
		size_t inv = (size_t)sqlite3_column_int64(s, 2);
		size_t dr = (size_t)sqlite3_column_int64(s, 3);
		size_t sub = (size_t)sqlite3_column_int64(s, 4);
		out->population += pop;
		out->invited += inv;
		out->drafts += dr;
		out->submitted += sub;
		out->reopened += (size_t)sqlite3_column_int64(s, 5);
		if (p) {
			struct store_pref_count *pc =
				&out->by_pref[p - prefectures];
			pc->population = pop;
			pc->invited = inv;
			pc->drafts = dr;
			pc->submitted = sub;
		}
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_db_err(st, err, "counting responses");
	return MAMORI_OK;
}

/* ---- access codes ------------------------------------------------- */

struct invitee {
	struct store_org org;	/* strings owned */
	char code[STORE_CODE_LEN + 1];
	char hash[crypto_pwhash_STRBYTES];
};

/* The 20 symbols of a code without dashes. */
static void code_plain(const char *code, char *plain)
{
	size_t k = 0;
	for (size_t i = 0; code[i] && k < CODE_SYMBOLS; i++)
		if (code[i] != '-')
			plain[k++] = code[i];
	plain[k] = '\0';
}

static int hash_all(struct invitee *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char plain[CODE_SYMBOLS + 1];
		code_plain(v[i].code, plain);
		int rc = crypto_pwhash_str_alg(v[i].hash, plain, CODE_SYMBOLS,
					       CODE_OPSLIMIT, CODE_MEMLIMIT,
					       crypto_pwhash_ALG_ARGON2ID13);
		sodium_memzero(plain, sizeof(plain));
		if (rc)
			return -1;
	}
	return 0;
}

static void make_code(char *out)
{
	static const char alphabet[] = STORE_CODE_ALPHABET;
	unsigned char r[CODE_SYMBOLS];
	size_t k = 0;

	_Static_assert(sizeof(alphabet) - 1 == 32, "32 symbols: 5 bits each");
	randombytes_buf(r, sizeof(r));
	for (size_t i = 0; i < CODE_SYMBOLS; i++) {
		if (i && i % 4 == 0)
			out[k++] = '-';
		out[k++] = alphabet[r[i] & 31];
	}
	out[k] = '\0';
	sodium_memzero(r, sizeof(r));
}

int store_code_new(char *code, char *selector, char *hash)
{
	char plain[CODE_SYMBOLS + 1];
	int rc;

	_Static_assert(CODE_SELECTOR == STORE_CODE_SELECTOR, "one selector");
	make_code(code);
	code_plain(code, plain);
	memcpy(selector, code, CODE_SELECTOR);
	selector[CODE_SELECTOR] = '\0';
	rc = crypto_pwhash_str_alg(hash, plain, CODE_SYMBOLS, CODE_OPSLIMIT,
				   CODE_MEMLIMIT, crypto_pwhash_ALG_ARGON2ID13);
	sodium_memzero(plain, sizeof(plain));
	return rc ? -1 : 0;
}

static void invitees_free(struct invitee *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free((char *)v[i].org.id);
		free((char *)v[i].org.name);
		free((char *)v[i].org.kind);
		free((char *)v[i].org.pref_code);
		free((char *)v[i].org.attrs);
		sodium_memzero(v[i].code, sizeof(v[i].code));
	}
	free(v);
}

enum mamori_err store_campaign_invite(struct store *st,
				      const struct store_actor *who,
				      int64_t campaign,
				      int (*fn)(void *ud,
						const struct store_org *org,
						const char *code),
				      void *ud, size_t *issued,
				      struct strbuf *err)
{
	struct store_campaign c;
	struct invitee *v = NULL;
	size_t n = 0, alloc = 0, revoked = 0;
	sqlite3_stmt *s;
	enum mamori_err e;
	int64_t now = store_now(st);
	int rc, oom = 0;

	*issued = 0;
	if ((e = store_campaign_state(st, campaign, &c, err)))
		return e;
	store_campaign_release(&c);
	if ((e = store_begin(st, err)))
		return e;
	if (!(s = store_stmt(st, STMT_MEMBER_LIST, err)))
		goto dberr;
	sqlite3_bind_int64(s, 1, campaign);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == alloc) {
			size_t na = alloc ? alloc * 2 : 256;
			struct invitee *nv = realloc(v, na * sizeof(*nv));
			if (!nv)
				goto oom;
			v = nv;
			alloc = na;
		}
		memset(&v[n], 0, sizeof(v[n]));
		v[n].org.id = store_col_dup(s, 0, &oom);
		v[n].org.name = store_col_dup(s, 1, &oom);
		v[n].org.kind = store_col_dup(s, 2, &oom);
		v[n].org.pref_code = store_col_dup(s, 3, &oom);
		v[n].org.attrs = store_col_dup(s, 4, &oom);
		make_code(v[n].code);
		n++;
		if (oom)
			goto oom;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		goto dberr_msg;
	if (hash_all(v, n))
		goto oom;
	if (!(s = store_stmt(st, STMT_CODE_REVOKE, err)))
		goto dberr;
	sqlite3_bind_int64(s, 1, campaign);
	sqlite3_bind_int64(s, 2, now);
	if (sqlite3_step(s) != SQLITE_DONE)
		goto dberr_msg;
	revoked = (size_t)sqlite3_changes(st->db);
	for (size_t i = 0; i < n; i++) {
		char sel[CODE_SELECTOR + 1];
		memcpy(sel, v[i].code, CODE_SELECTOR);
		sel[CODE_SELECTOR] = '\0';
		if (!(s = store_stmt(st, STMT_CODE_INSERT, err)))
			goto dberr;
		store_bind_text(s, 1, v[i].org.id);
		sqlite3_bind_int64(s, 2, campaign);
		store_bind_text(s, 3, sel);
		store_bind_text(s, 4, v[i].hash);
		sqlite3_bind_int64(s, 5, now);
		if (sqlite3_step(s) != SQLITE_DONE)
			goto dberr_msg;
	}
	{
		char detail[96];
		snprintf(detail, sizeof(detail),
			 "{\"issued\":%zu,\"revoked\":%zu}", n, revoked);
		if ((e = audit_campaign(st, who, "campaign.invite", campaign,
					detail, err)))
			goto fail;
	}
	if ((e = store_commit(st, err)))
		goto out;
	*issued = n;
	for (size_t i = 0; i < n; i++)
		if (fn && fn(ud, &v[i].org, v[i].code))
			break;
	goto out;
oom:
	e = MAMORI_ENOMEM;
	goto fail;
dberr_msg:
	e = store_db_err(st, err, "issuing access codes");
	goto fail;
dberr:
	e = MAMORI_EDB;
fail:
	store_rollback(st);
out:
	invitees_free(v, n);
	return e;
}

/* A well-formed code from what a person typed, or -1. */
static int code_normalise(const char *in, char *plain)
{
	size_t k = 0;

	for (const char *p = in; *p; p++) {
		char ch = *p;
		if (ch == '-' || ch == ' ' || ch == '\t')
			continue;
		if (ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		if (!strchr(STORE_CODE_ALPHABET, ch) || k == CODE_SYMBOLS)
			return -1;
		plain[k++] = ch;
	}
	plain[k] = '\0';
	return k == CODE_SYMBOLS ? 0 : -1;
}

enum mamori_err store_verify_access_code(struct store *st, const char *code,
					 int64_t *campaign,
					 struct strbuf *org_id,
					 int64_t *credential,
					 struct strbuf *err)
{
	/* a hash no code matches, to spend the same time on a miss */
	static const char dummy_code[] = "AAAAAAAAAAAAAAAAAAAA";
	char plain[CODE_SYMBOLS + 1], sel[CODE_SELECTOR + 1];
	char dummy[crypto_pwhash_STRBYTES];
	sqlite3_stmt *s;
	bool found = false, tried = false;
	int rc;

	if (code_normalise(code, plain)) {
		memcpy(plain, "ZZZZZZZZZZZZZZZZZZZZ", CODE_SYMBOLS + 1);
	}
	memcpy(sel, plain, CODE_SELECTOR);
	sel[CODE_SELECTOR] = '\0';
	if (!(s = store_stmt(st, STMT_CODE_FIND, err)))
		return MAMORI_EDB;
	store_bind_text(s, 1, sel);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *h = (const char *)sqlite3_column_text(s, 2);
		tried = true;
		if (!found && h &&
		    crypto_pwhash_str_verify(h, plain, CODE_SYMBOLS) == 0) {
			found = true;
			*campaign = sqlite3_column_int64(s, 1);
			if (credential)
				*credential = sqlite3_column_int64(s, 3);
			strbuf_addstr(org_id, (const char *)
				      sqlite3_column_text(s, 0));
		}
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_db_err(st, err, "checking an access code");
	if (!tried &&
	    crypto_pwhash_str_alg(dummy, dummy_code, CODE_SYMBOLS,
				  CODE_OPSLIMIT, CODE_MEMLIMIT,
				  crypto_pwhash_ALG_ARGON2ID13) == 0) {
		volatile int sink = crypto_pwhash_str_verify(dummy, plain,
							     CODE_SYMBOLS);
		(void)sink;
	}
	sodium_memzero(plain, sizeof(plain));
	if (!found) {
		store_msg(err, "access code not recognised");
		return MAMORI_EDENIED;
	}
	return org_id->err;
}

/* ---- published results ------------------------------------------ */

enum mamori_err store_campaign_publish(struct store *st,
				       const struct store_actor *who,
				       int64_t id, bool publish,
				       struct strbuf *err)
{
	struct store_campaign c;
	sqlite3_stmt *s;
	enum mamori_err e;

	if (!who || !who->who || !who->from)
		return MAMORI_EINVAL;
	if ((e = store_begin(st, err)))
		return e;
	if ((e = store_campaign_state(st, id, &c, err)))
		goto fail;
	store_campaign_release(&c);
	if (!(s = store_stmt(st, STMT_CAMPAIGN_SET_PUBLISHED, err))) {
		e = MAMORI_EDB;
		goto fail;
	}
	sqlite3_bind_int64(s, 1, id);
	if (publish) {
		sqlite3_bind_int64(s, 2, store_now(st));
		store_bind_text(s, 3, who->who);
	} else {
		sqlite3_bind_null(s, 2);
		sqlite3_bind_null(s, 3);
	}
	if (sqlite3_step(s) != SQLITE_DONE) {
		e = store_db_err(st, err, "publishing the results");
		goto fail;
	}
	if ((e = audit_campaign(st, who, publish ? "campaign.publish"
						 : "campaign.unpublish",
				id, "{}", err)))
		goto fail;
	return store_commit(st, err);
fail:
	store_rollback(st);
	return e;
}

enum mamori_err store_campaign_published(struct store *st, int64_t id,
					 int64_t *at, struct strbuf *by,
					 struct strbuf *err)
{
	sqlite3_stmt *s = store_stmt(st, STMT_CAMPAIGN_PUBLISHED, err);
	int rc;

	*at = 0;
	if (!s)
		return MAMORI_EDB;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		store_msg(err, "no campaign %lld", (long long)id);
		return MAMORI_ENOENT;
	}
	if (rc != SQLITE_ROW) {
		enum mamori_err e = store_db_err(st, err,
						 "reading the campaign");
		sqlite3_reset(s);
		return e;
	}
	if (sqlite3_column_type(s, 0) != SQLITE_NULL) {
		*at = sqlite3_column_int64(s, 0);
		if (by && sqlite3_column_type(s, 1) != SQLITE_NULL &&
		    strbuf_addstr(by, (const char *)sqlite3_column_text(s, 1))) {
			sqlite3_reset(s);
			return MAMORI_ENOMEM;
		}
	}
	sqlite3_reset(s);
	return MAMORI_OK;
}
