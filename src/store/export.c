/*
 * export.c - a campaign's responses as JSON or as one CSV table (one row
 * per organisation, one column per answer), and the evidence of a whole
 * campaign (export.h). Must never write a cell that a spreadsheet would
 * run as a formula, nor assemble SQL at run time.
 */
#include "store/store_int.h"
#include "store/export.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "instrument/instrument.h"
#include "util/num.h"
#include "util/banned.h"

struct xrow {
	char *org, *pref, *status;	/* owned */
	int64_t revision, at;
	int64_t number;			/* 0: the organisation's one response */
	json_t *answers;		/* owned */
};

/*
 * The responses that count (the submitted revision, or with ?2 the
 * newest of the others), with their numbers: in a repeatable campaign
 * every report (numbered 1, 2, ...), otherwise number 0 only; ?3 = 1
 * reads instead the additional forms (numbers 1, 2, ...) of a campaign
 * with a form instrument.
 */
static const char sql_export_rows[] =
	"SELECT r.org_id, o.pref_code, r.status, rv.revision, rv.kind,"
	" coalesce(rv.normalised, rv.body), rv.at, r.instance"
	" FROM response r JOIN organisation o ON o.id = r.org_id"
	" JOIN response_revision rv ON rv.campaign_id = r.campaign_id"
	" AND rv.org_id = r.org_id AND rv.instance = r.instance"
	" AND rv.revision = coalesce(r.submitted_revision, r.revision)"
	" WHERE r.campaign_id = ?1 AND (?2 OR r.submitted_revision IS NOT NULL)"
	" AND (r.instance = 0) = NOT (?3 OR (SELECT repeatable FROM campaign"
	"  WHERE id = ?1))"
	" ORDER BY r.org_id, r.instance";

struct col {
	const struct item *it;
	const struct item *rep;		/* enclosing repeat, or NULL */
	size_t row;			/* in rep, 0-based */
	const struct choice *choice;	/* select_multiple: one column each */
};

static void rows_free(struct xrow *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].org);
		free(v[i].pref);
		free(v[i].status);
		json_decref(v[i].answers);
	}
	free(v);
}

/* The value of item it inside obj: by id, or nested in its groups' objects
 * (up to, not including, stop). */
static json_t *lookup(const struct instrument *ins, json_t *obj,
		      const struct item *it, int stop)
{
	json_t *v = json_object_get(obj, it->id);
	if (v || it->parent < 0 || it->parent == stop)
		return v;
	const struct item *g = &ins->items[it->parent];
	if (g->type != ITEM_GROUP)
		return NULL;
	json_t *inner = lookup(ins, obj, g, stop);
	return json_is_object(inner) ? json_object_get(inner, it->id) : NULL;
}

static bool answerable(const struct item *it)
{
	return it->type != ITEM_NOTE && it->type != ITEM_GROUP &&
	       it->type != ITEM_REPEAT;
}

static int cols_add(struct col **v, size_t *n, size_t *alloc, struct col c)
{
	if (*n == *alloc) {
		size_t na = *alloc ? *alloc * 2 : 64;
		struct col *nv = realloc(*v, na * sizeof(*nv));
		if (!nv)
			return -1;
		*v = nv;
		*alloc = na;
	}
	(*v)[(*n)++] = c;
	return 0;
}

static int cols_item(struct col **v, size_t *n, size_t *alloc,
		     const struct item *it, const struct item *rep, size_t row)
{
	if (it->type == ITEM_SELECT_MULTIPLE && it->list) {
		for (size_t k = 0; k < it->list->n; k++)
			if (cols_add(v, n, alloc, (struct col){
					     it, rep, row,
					     &it->list->choices[k] }))
				return -1;
		return 0;
	}
	return cols_add(v, n, alloc, (struct col){ it, rep, row, NULL });
}

static void csv_cell(struct strbuf *sb, const char *p, size_t len, bool text)
{
	bool quote = false;

	if (sb->len && sb->buf[sb->len - 1] != '\n')
		strbuf_addch(sb, ',');
	for (size_t i = 0; i < len; i++)
		if (p[i] == ',' || p[i] == '"' || p[i] == '\n' || p[i] == '\r')
			quote = true;
	/* =cmd(), +1+cmd ... in a text answer: make it inert for Excel */
	if (text && len && strchr("=+-@\t", p[0]) &&
	    !num_is_number(slice_make(p, len))) {
		quote = true;
	}
	if (!quote) {
		strbuf_add(sb, p, len);
		return;
	}
	strbuf_addch(sb, '"');
	if (text && len && strchr("=+-@\t", p[0]) &&
	    !num_is_number(slice_make(p, len)))
		strbuf_addch(sb, '\'');
	for (size_t i = 0; i < len; i++) {
		if (p[i] == '"')
			strbuf_addch(sb, '"');
		strbuf_addch(sb, p[i]);
	}
	strbuf_addch(sb, '"');
}

static void csv_value(struct strbuf *sb, json_t *v)
{
	char num[64];

	switch (json_typeof(v)) {
	case JSON_STRING:
		csv_cell(sb, json_string_value(v), json_string_length(v), true);
		return;
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%lld",
			 (long long)json_integer_value(v));
		break;
	case JSON_REAL:
		snprintf(num, sizeof(num), "%.15g", json_real_value(v));
		break;
	case JSON_TRUE:
		snprintf(num, sizeof(num), "true");
		break;
	case JSON_FALSE:
		snprintf(num, sizeof(num), "false");
		break;
	case JSON_OBJECT:
	case JSON_ARRAY: {
		char *t = json_dumps(v, JSON_COMPACT);
		csv_cell(sb, t ? t : "", t ? strlen(t) : 0, true);
		free(t);
		return;
	}
	default:
		num[0] = '\0';
		break;
	}
	csv_cell(sb, num, strlen(num), false);
}

/* select_multiple: is choice among the values (array or "a b c")? */
static bool has_choice(json_t *v, const char *choice)
{
	size_t cl = strlen(choice);

	if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x)
			if (json_is_string(x) &&
			    !strcmp(json_string_value(x), choice))
				return true;
		return false;
	}
	if (json_is_string(v)) {
		struct slice s = slice_from_cstr(json_string_value(v)), w;
		while (s.len) {
			s = slice_trim(s);
			struct slice rest = slice_cut(s, ' ', &w);
			if (w.len == cl && !memcmp(w.p, choice, cl))
				return true;
			if (!rest.p)
				break;
			s = rest;
		}
	}
	return false;
}

static void csv_col(struct strbuf *sb, const struct instrument *ins,
		    const struct col *c, json_t *answers)
{
	json_t *scope = answers, *v;

	if (c->rep) {
		json_t *rows = lookup(ins, answers, c->rep, -1);
		scope = json_array_get(rows, c->row);
		if (!json_is_object(scope)) {
			csv_cell(sb, "", 0, false);
			return;
		}
	}
	v = lookup(ins, scope, c->it, c->rep ? (int)c->rep->index : -1);
	if (!v || json_is_null(v)) {
		csv_cell(sb, "", 0, false);
		return;
	}
	if (c->choice) {
		csv_cell(sb, has_choice(v, c->choice->value) ? "1" : "0", 1,
			 false);
		return;
	}
	csv_value(sb, v);
}

static void col_name(struct strbuf *sb, const struct col *c)
{
	struct strbuf name = STRBUF_INIT;

	if (c->rep)
		strbuf_addf(&name, "%s.%zu.", c->rep->id, c->row + 1);
	strbuf_addstr(&name, c->it->id);
	if (c->choice)
		strbuf_addf(&name, ".%s", c->choice->value);
	csv_cell(sb, name.buf, name.len, true);
	strbuf_release(&name);
}

static enum mamori_err write_csv(const struct instrument *ins,
				 struct xrow *rows, size_t n, bool bom,
				 bool numbered, FILE *out)
{
	size_t *maxrows = calloc(ins->nitems ? ins->nitems : 1,
				 sizeof(*maxrows));
	struct col *cols = NULL;
	size_t ncols = 0, acols = 0;
	struct strbuf sb = STRBUF_INIT;
	enum mamori_err e = MAMORI_OK;
	char t[40];

	if (!maxrows)
		return MAMORI_ENOMEM;
	for (size_t i = 0; i < ins->nitems; i++) {
		const struct item *it = &ins->items[i];
		if (it->type != ITEM_REPEAT || it->repeat >= 0)
			continue;
		for (size_t r = 0; r < n; r++) {
			json_t *a = lookup(ins, rows[r].answers, it, -1);
			if (json_is_array(a) && json_array_size(a) > maxrows[i])
				maxrows[i] = json_array_size(a);
		}
	}
	for (size_t i = 0; i < ins->nitems; i++) {
		const struct item *it = &ins->items[i];
		if (it->repeat >= 0)
			continue;
		if (it->type == ITEM_REPEAT) {
			for (size_t row = 0; row < maxrows[i]; row++)
				for (size_t j = i + 1; j < ins->nitems; j++) {
					const struct item *ch = &ins->items[j];
					if (ch->repeat != (int)i ||
					    !answerable(ch))
						continue;
					if (cols_item(&cols, &ncols, &acols, ch,
						      it, row))
						goto oom;
				}
			continue;
		}
		if (answerable(it) &&
		    cols_item(&cols, &ncols, &acols, it, NULL, 0))
			goto oom;
	}
	if (bom)
		strbuf_addstr(&sb, "\xef\xbb\xbf");
	strbuf_addstr(&sb, numbered ? "organisation,number,prefecture,status,"
				      "revision,saved_at"
				    : "organisation,prefecture,status,revision,"
				      "saved_at");
	for (size_t k = 0; k < ncols; k++)
		col_name(&sb, &cols[k]);
	strbuf_addstr(&sb, "\r\n");
	for (size_t r = 0; r < n; r++) {
		csv_cell(&sb, rows[r].org, strlen(rows[r].org), true);
		if (numbered)
			strbuf_addf(&sb, ",%lld", (long long)rows[r].number);
		csv_cell(&sb, rows[r].pref, strlen(rows[r].pref), false);
		csv_cell(&sb, rows[r].status, strlen(rows[r].status), false);
		strbuf_addf(&sb, ",%lld,", (long long)rows[r].revision);
		strbuf_addstr(&sb, store_time_format(rows[r].at, t, sizeof(t)));
		for (size_t k = 0; k < ncols; k++)
			csv_col(&sb, ins, &cols[k], rows[r].answers);
		strbuf_addstr(&sb, "\r\n");
		if (sb.len > (1u << 16)) {
			if (sb.err)
				goto oom;
			if (fwrite(sb.buf, 1, sb.len, out) != sb.len) {
				e = MAMORI_EIO;
				goto out;
			}
			strbuf_reset(&sb);
		}
	}
	if (sb.err)
		goto oom;
	if (fwrite(sb.buf, 1, sb.len, out) != sb.len)
		e = MAMORI_EIO;
	goto out;
oom:
	e = MAMORI_ENOMEM;
out:
	strbuf_release(&sb);
	free(cols);
	free(maxrows);
	return e;
}

/* One response of the JSON export, after sep. */
static enum mamori_err json_row(const struct xrow *r, const char *sep,
				FILE *out)
{
	char t[40];
	json_t *o = json_pack("{s:s,s:I,s:s,s:s,s:I,s:s,s:O}",
			      "organisation", r->org, "number",
			      (json_int_t)r->number, "prefecture", r->pref,
			      "status", r->status, "revision",
			      (json_int_t)r->revision, "saved_at",
			      store_time_format(r->at, t, sizeof(t)),
			      "answers", r->answers);
	int rc;

	if (!o)
		return MAMORI_ENOMEM;
	fputs(sep, out);
	rc = json_dumpf(o, out, JSON_COMPACT);
	json_decref(o);
	return rc ? MAMORI_EIO : MAMORI_OK;
}

/* "KEY":{"id":…,"version":…,"sha256":…}, the strings as JSON. */
static void json_instrument(const char *key, const char *id,
			    const char *version, const char *sha, FILE *out)
{
	json_t *s = json_pack("{s:s?,s:s?,s:s?}", "id", id, "version",
			      version, "sha256", sha);

	fprintf(out, "\"%s\":", key);
	if (!s || json_dumpf(s, out, JSON_COMPACT | JSON_PRESERVE_ORDER))
		fputs("null", out);	/* out of memory: still JSON */
	json_decref(s);
}

static enum mamori_err write_json(const struct store_campaign *c,
				  const struct instrument *fins,
				  struct xrow *rows, size_t n,
				  struct xrow *forms, size_t nforms, FILE *out)
{
	enum mamori_err e;

	fprintf(out, "{\"campaign\":%lld,", (long long)c->id);
	json_instrument("instrument", c->instrument_id, c->instrument_version,
			c->instrument_sha256, out);
	fprintf(out, ",\"repeatable\":%s", c->repeatable ? "true" : "false");
	if (fins) {
		fputs(",", out);
		json_instrument("form_instrument", fins->id, fins->version,
				c->form_instrument_sha256, out);
	}
	fputs(",\"responses\":[", out);
	for (size_t i = 0; i < n; i++)
		if ((e = json_row(&rows[i], i ? ",\n" : "\n", out)))
			return e;
	fputs("\n]", out);
	if (fins) {
		fputs(",\"forms\":[", out);
		for (size_t i = 0; i < nforms; i++)
			if ((e = json_row(&forms[i], i ? ",\n" : "\n", out)))
				return e;
		fputs("\n]", out);
	}
	fputs("}\n", out);
	return ferror(out) ? MAMORI_EIO : MAMORI_OK;
}

/* Every response of the query (forms: the additional forms) into *rows. */
static enum mamori_err read_rows(struct store *st, sqlite3_stmt *s,
				 int64_t campaign, bool include_drafts,
				 bool forms, struct xrow **rows, size_t *n,
				 struct strbuf *err)
{
	size_t alloc = 0;
	int rc, oom = 0;

	sqlite3_bind_int64(s, 1, campaign);
	sqlite3_bind_int(s, 2, include_drafts);
	sqlite3_bind_int(s, 3, forms);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == alloc) {
			size_t na = alloc ? alloc * 2 : 1024;
			struct xrow *nv = realloc(*rows, na * sizeof(*nv));
			if (!nv) {
				oom = 1;
				break;
			}
			*rows = nv;
			alloc = na;
		}
		struct xrow *r = &(*rows)[(*n)++];
		memset(r, 0, sizeof(*r));
		r->org = store_col_dup(s, 0, &oom);
		r->pref = store_col_dup(s, 1, &oom);
		r->status = store_col_dup(s, 2, &oom);
		r->revision = sqlite3_column_int64(s, 3);
		r->at = sqlite3_column_int64(s, 6);
		r->number = sqlite3_column_int64(s, 7);
		r->answers = json_loadb((const char *)sqlite3_column_text(s, 5),
					(size_t)sqlite3_column_bytes(s, 5), 0,
					NULL);
		if (!r->answers)
			r->answers = json_object();
		if (oom || !r->org || !r->pref || !r->status || !r->answers) {
			oom = 1;
			break;
		}
	}
	sqlite3_reset(s);
	if (oom)
		return MAMORI_ENOMEM;
	if (rc != SQLITE_DONE)
		return store_db_err(st, err, "exporting");
	return MAMORI_OK;
}

enum mamori_err store_response_export(struct store *st, int64_t campaign,
				      const struct store_export_opts *opts,
				      FILE *out, size_t *nrows,
				      struct strbuf *err)
{
	struct store_campaign c;
	const struct instrument *ins, *fins = NULL;
	struct xrow *rows = NULL, *forms = NULL;
	size_t n = 0, nforms = 0;
	sqlite3_stmt *s = NULL;
	enum mamori_err e;

	*nrows = 0;
	if ((e = store_campaign_get(st, campaign, &c, err)))
		return e;
	if (opts->forms && (opts->format != EXPORT_CSV ||
			    !c.form_instrument_sha256)) {
		store_msg(err, opts->format != EXPORT_CSV
			  ? "the JSON export lists the additional forms already"
			  : "campaign %lld has no additional forms",
			  (long long)campaign);
		e = MAMORI_EINVAL;
		goto out;
	}
	if ((e = store_campaign_instrument(st, campaign, &ins, err)))
		goto out;
	if (c.form_instrument_sha256 &&
	    (e = store_campaign_form_validator(st, campaign, &fins, NULL,
					       err)))
		goto out;
	/* one read transaction: a consistent snapshot */
	if (!(s = store_stmt(st, STMT_BEGIN_READ, err)) ||
	    sqlite3_step(s) != SQLITE_DONE) {
		e = store_db_err(st, err, "exporting");
		goto out;
	}
	if (sqlite3_prepare_v2(st->db, sql_export_rows, -1, &s, NULL) !=
	    SQLITE_OK) {
		s = NULL;
		e = store_db_err(st, err, "preparing a statement");
		goto end;
	}
	e = read_rows(st, s, campaign, opts->include_drafts, false, &rows, &n,
		      err);
	if (!e && fins)
		e = read_rows(st, s, campaign, opts->include_drafts, true,
			      &forms, &nforms, err);
end:
	sqlite3_finalize(s);
	store_rollback(st);	/* read only: ends the snapshot */
	if (e)
		goto out;
	if (opts->forms)
		e = write_csv(fins, forms, nforms, opts->bom, true, out);
	else if (opts->format == EXPORT_CSV)
		e = write_csv(ins, rows, n, opts->bom, c.repeatable, out);
	else
		e = write_json(&c, fins, rows, n, forms, nforms, out);
	if (e == MAMORI_EIO)
		store_msg(err, "writing the export failed");
	if (!e)
		*nrows = opts->forms ? nforms : n;
out:
	rows_free(rows, n);
	rows_free(forms, nforms);
	store_campaign_release(&c);
	return e;
}

static const char sql_evidence_campaign[] =
	"SELECT org_id, id, kind, name, sha256, body, at FROM evidence"
	" WHERE campaign_id = ?1 ORDER BY org_id, id";

enum mamori_err store_evidence_campaign(struct store *st, int64_t campaign,
					int (*fn)(void *ud, const char *org,
						  const struct store_evidence *e),
					void *ud, struct strbuf *err)
{
	struct store_campaign c = { 0 };
	sqlite3_stmt *s = NULL, *b;
	enum mamori_err e;
	int rc;

	if ((e = store_campaign_state(st, campaign, &c, err)))
		return e;
	store_campaign_release(&c);
	if (!(b = store_stmt(st, STMT_BEGIN_READ, err)) ||
	    sqlite3_step(b) != SQLITE_DONE)
		return store_db_err(st, err, "reading evidence");
	if (sqlite3_prepare_v2(st->db, sql_evidence_campaign, -1, &s, NULL) !=
	    SQLITE_OK) {
		s = NULL;
		e = store_db_err(st, err, "preparing a statement");
		goto out;
	}
	sqlite3_bind_int64(s, 1, campaign);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_evidence ev = {
			.id = sqlite3_column_int64(s, 1),
			.kind = (const char *)sqlite3_column_text(s, 2),
			.name = (const char *)sqlite3_column_text(s, 3),
			.sha256 = (const char *)sqlite3_column_text(s, 4),
			.json = sqlite3_column_blob(s, 5),
			.len = (size_t)sqlite3_column_bytes(s, 5),
			.at = sqlite3_column_int64(s, 6),
		};
		if (!ev.json)
			ev.json = "";
		if (fn(ud, (const char *)sqlite3_column_text(s, 0), &ev))
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		e = store_db_err(st, err, "reading evidence");
out:
	sqlite3_finalize(s);
	store_rollback(st);	/* read only: ends the snapshot */
	return e;
}
