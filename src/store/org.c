/*
 * org.c - organisations: CSV import (UTF-8 or CP932, all rows or none),
 * listing, one organisation as expressions read it (${org.*}, with the
 * campaign's ${campaign.*}), and the audit events recording decisions
 * about an organisation's response. Must never store a row from a file
 * that has a bad row.
 */
#include "store/store_int.h"

#include <errno.h>
#include <iconv.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/csv.h"
#include "util/num.h"
#include "util/banned.h"

int store_encoding_parse(const char *s)
{
	static const struct {
		const char *name;
		enum store_encoding enc;
	} names[] = {
		{ "auto", STORE_ENC_AUTO },	{ "utf-8", STORE_ENC_UTF8 },
		{ "utf8", STORE_ENC_UTF8 },	{ "cp932", STORE_ENC_CP932 },
		{ "sjis", STORE_ENC_CP932 },	{ "shift_jis", STORE_ENC_CP932 },
		{ "windows-31j", STORE_ENC_CP932 },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcasecmp(s, names[i].name))
			return (int)names[i].enc;
	return -1;
}

/* Offset of the first byte that is not valid UTF-8, or len. */
static size_t utf8_invalid_at(const unsigned char *p, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = p[i];
		size_t n;
		unsigned cp;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return i;
		}
		if (i + n >= len)
			return i;
		for (size_t k = 1; k <= n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return i;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += n + 1;
	}
	return len;
}

static unsigned long line_at(const char *p, size_t off)
{
	unsigned long line = 1;
	for (size_t i = 0; i < off; i++)
		if (p[i] == '\n')
			line++;
	return line;
}

/* CP932 to UTF-8 into out. */
static enum mamori_err from_cp932(const char *buf, size_t len,
				  struct strbuf *out, struct strbuf *err)
{
	iconv_t cd = iconv_open("UTF-8", "CP932");
	char *in = (char *)buf, *o;
	size_t inleft = len, outleft;
	enum mamori_err e = MAMORI_OK;

	if (cd == (iconv_t)-1) {
		store_msg(err, "CP932 conversion is not available: %s",
			  strerror(errno));
		return MAMORI_EIO;
	}
	if (len > (SIZE_MAX - 1) / 3 || strbuf_grow(out, len * 3)) {
		iconv_close(cd);
		return MAMORI_ENOMEM;
	}
	o = out->buf;
	outleft = len * 3;
	if (iconv(cd, &in, &inleft, &o, &outleft) == (size_t)-1) {
		store_msg(err, "line %lu: not valid CP932 (Shift_JIS) text",
			  line_at(buf, (size_t)(in - buf)));
		e = MAMORI_EINVALID;
	} else {
		/* iconv wrote into the room strbuf_grow made */
		out->len = (size_t)(o - out->buf);
		out->buf[out->len] = '\0';
	}
	iconv_close(cd);
	return e;
}

/* The text as UTF-8 (BOM removed) in out; *used says what it was. */
static enum mamori_err decode(const char *buf, size_t len,
			      enum store_encoding enc, struct strbuf *out,
			      enum store_encoding *used, struct strbuf *err)
{
	size_t bad;

	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3) &&
	    enc != STORE_ENC_CP932) {
		buf += 3;
		len -= 3;
		enc = STORE_ENC_UTF8;
	}
	bad = utf8_invalid_at((const unsigned char *)buf, len);
	if (enc == STORE_ENC_AUTO)
		enc = bad == len ? STORE_ENC_UTF8 : STORE_ENC_CP932;
	*used = enc;
	if (enc == STORE_ENC_CP932)
		return from_cp932(buf, len, out, err);
	if (bad != len) {
		store_msg(err,
			  "line %lu: not valid UTF-8 (is the file CP932? try "
			  "--encoding cp932)",
			  line_at(buf, bad));
		return MAMORI_EINVALID;
	}
	return strbuf_add(out, buf, len);
}

/* ---- header -------------------------------------------------------- */

enum col { COL_ID, COL_NAME, COL_KIND, COL_PREF, COL__MAX };

static const struct {
	const char *names[4];
} col_names[COL__MAX] = {
	[COL_ID] = { { "id", "org_id", "code", NULL } },
	[COL_NAME] = { { "name", "名称", "医療機関名", NULL } },
	[COL_KIND] = { { "kind", "種別", NULL } },
	[COL_PREF] = { { "prefecture", "pref", "都道府県", NULL } },
};

static int col_of(struct slice name)
{
	for (int c = 0; c < COL__MAX; c++)
		for (size_t k = 0; col_names[c].names[k]; k++) {
			const char *n = col_names[c].names[k];
			if (name.len == strlen(n) &&
			    !strncasecmp(name.p, n, name.len))
				return c;
		}
	return -1;
}

/* ---- the id set (duplicate ids in one file) ----------------------- */

struct idset {
	struct {
		char *id;	/* owned */
		unsigned long line;
	} *slot;
	size_t cap;
};

static uint64_t fnv(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

/* 0: added; else the line of the earlier row; ULONG_MAX: no memory. */
static unsigned long idset_add(struct idset *s, const char *id,
			       unsigned long line)
{
	size_t i = (size_t)fnv(id) & (s->cap - 1);

	while (s->slot[i].id) {
		if (!strcmp(s->slot[i].id, id))
			return s->slot[i].line;
		i = (i + 1) & (s->cap - 1);
	}
	s->slot[i].id = strdup(id);
	if (!s->slot[i].id)
		return (unsigned long)-1;
	s->slot[i].line = line;
	return 0;
}

static void idset_release(struct idset *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->slot[i].id);
	free(s->slot);
}

/* ---- rows ---------------------------------------------------------- */

struct row {
	char *id, *name, *kind;		/* owned */
	const char *pref;		/* static */
	json_t *attrs;			/* owned */
	unsigned long line;
};

struct rows {
	struct row *v;
	size_t n, alloc;
};

static void rows_release(struct rows *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].id);
		free(r->v[i].name);
		free(r->v[i].kind);
		json_decref(r->v[i].attrs);
	}
	free(r->v);
}

static char *slice_strdup(struct slice s)
{
	char *p = malloc(s.len + 1);
	if (p) {
		memcpy(p, s.p, s.len);
		p[s.len] = '\0';
	}
	return p;
}

static json_t *typed_value(struct slice v)
{
	int64_t i;
	double d;

	if (num_parse_i64(v, &i) == MAMORI_OK)
		return json_integer(i);
	if (num_parse_double(v, &d) == MAMORI_OK)
		return json_real(d);
	return json_stringn(v.p, v.len);
}

static bool id_ok(struct slice s)
{
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (c <= ' ' || c == 0x7f)
			return false;
	}
	return true;
}

/*
 * Parse and check every row; all problems go to err, in line order.
 */
static enum mamori_err read_rows(const char *text, size_t len,
				 struct rows *rows, struct strbuf *err)
{
	struct csv c;
	struct csv_record rec;
	char **names = NULL;
	int colmap[CSV_DEFAULT_MAX_FIELDS];
	int where[COL__MAX];
	size_t ncols = 0;
	struct idset ids = { NULL, 0 };
	size_t bad = 0;
	enum mamori_err e;

	csv_init_mem(&c, text, len, NULL);
	e = csv_next(&c, &rec, err);
	if (e == MAMORI_ENOENT) {
		store_msg(err, "the file is empty: a header line is needed "
			       "(id,name,kind,prefecture,...)");
		e = MAMORI_EINVALID;
		goto out;
	}
	if (e == MAMORI_EPARSE || e == MAMORI_ETOOBIG)
		e = MAMORI_EINVALID;	/* the reader said where */
	if (e)
		goto out;
	/* the header */
	ncols = rec.nfields;
	for (int k = 0; k < COL__MAX; k++)
		where[k] = -1;
	names = calloc(ncols, sizeof(*names));
	if (!names)
		goto oom;
	for (size_t i = 0; i < ncols; i++) {
		struct slice h = slice_trim(rec.fields[i]);
		int k = col_of(h);
		names[i] = slice_strdup(h);
		if (!names[i])
			goto oom;
		colmap[i] = k;
		if (h.len == 0) {
			store_msg(err, "line %lu: column %zu has no name",
				  rec.line, i + 1);
			bad++;
		}
		if (k >= 0) {
			if (where[k] >= 0) {
				store_msg(err,
					  "line %lu: column '%.*s' appears twice",
					  rec.line, (int)h.len, h.p);
				bad++;
			}
			where[k] = (int)i;
		} else {
			for (size_t j = 0; j < i; j++)
				if (colmap[j] < 0 && h.len &&
				    slice_eq_cstr(h, names[j])) {
					store_msg(err,
						  "line %lu: column '%.*s' "
						  "appears twice",
						  rec.line, (int)h.len, h.p);
					bad++;
				}
		}
	}
	for (int k = 0; k < COL__MAX; k++)
		if (where[k] < 0) {
			store_msg(err, "line %lu: missing column '%s'", rec.line,
				  col_names[k].names[0]);
			bad++;
		}
	if (bad) {
		e = MAMORI_EINVALID;
		goto out;
	}
	ids.cap = 1024;
	ids.slot = calloc(ids.cap, sizeof(*ids.slot));
	if (!ids.slot)
		goto oom;
	/* the rows */
	while ((e = csv_next(&c, &rec, err)) == MAMORI_OK) {
		struct row r = { .line = rec.line };
		struct slice f[COL__MAX];
		size_t before = bad;
		unsigned long first;

		if (rec.nfields != ncols) {
			store_msg(err, "line %lu: %zu fields, the header has %zu",
				  rec.line, rec.nfields, ncols);
			bad++;
			continue;
		}
		for (int k = 0; k < COL__MAX; k++)
			f[k] = slice_trim(rec.fields[where[k]]);
		if (f[COL_ID].len == 0) {
			store_msg(err, "line %lu: id is empty", rec.line);
			bad++;
		} else if (!id_ok(f[COL_ID])) {
			store_msg(err,
				  "line %lu: id '%.*s' has spaces or control "
				  "characters",
				  rec.line, (int)f[COL_ID].len, f[COL_ID].p);
			bad++;
		}
		if (f[COL_NAME].len == 0) {
			store_msg(err, "line %lu: name is empty", rec.line);
			bad++;
		}
		if (f[COL_KIND].len == 0) {
			store_msg(err, "line %lu: kind is empty", rec.line);
			bad++;
		}
		const struct prefecture *p = prefecture_find(f[COL_PREF]);
		if (!p) {
			store_msg(err, "line %lu: unknown prefecture '%.*s'",
				  rec.line, (int)f[COL_PREF].len, f[COL_PREF].p);
			bad++;
		}
		if (f[COL_ID].len) {
			char *id = slice_strdup(f[COL_ID]);
			if (!id)
				goto oom;
			if (ids.cap < 2 * (rows->n + bad + 1)) {
				/* grow: rehash */
				struct idset n2 = { NULL, ids.cap * 2 };
				n2.slot = calloc(n2.cap, sizeof(*n2.slot));
				if (!n2.slot) {
					free(id);
					goto oom;
				}
				for (size_t i = 0; i < ids.cap; i++)
					if (ids.slot[i].id) {
						size_t j = (size_t)fnv(ids.slot[i].id) &
							   (n2.cap - 1);
						while (n2.slot[j].id)
							j = (j + 1) & (n2.cap - 1);
						n2.slot[j] = ids.slot[i];
					}
				free(ids.slot);
				ids = n2;
			}
			first = idset_add(&ids, id, rec.line);
			if (first == (unsigned long)-1) {
				free(id);
				goto oom;
			}
			if (first) {
				store_msg(err,
					  "line %lu: duplicate id '%s' (first on "
					  "line %lu)",
					  rec.line, id, first);
				bad++;
			}
			free(id);
		}
		if (bad != before)
			continue;
		r.id = slice_strdup(f[COL_ID]);
		r.name = slice_strdup(f[COL_NAME]);
		r.kind = slice_strdup(f[COL_KIND]);
		r.pref = p->code;
		r.attrs = json_object();
		if (!r.id || !r.name || !r.kind || !r.attrs)
			goto oom_row;
		for (size_t i = 0; i < ncols; i++) {
			struct slice v = slice_trim(rec.fields[i]);
			json_t *jv;
			if (colmap[i] >= 0 || v.len == 0)
				continue;
			jv = typed_value(v);
			if (!jv || json_object_set_new_nocheck(r.attrs,
							       names[i], jv))
				goto oom_row;
		}
		if (rows->n == rows->alloc) {
			size_t na = rows->alloc ? rows->alloc * 2 : 256;
			struct row *nv = realloc(rows->v, na * sizeof(*nv));
			if (!nv)
				goto oom_row;
			rows->v = nv;
			rows->alloc = na;
		}
		rows->v[rows->n++] = r;
		continue;
oom_row:
		free(r.id);
		free(r.name);
		free(r.kind);
		json_decref(r.attrs);
		goto oom;
	}
	if (e == MAMORI_ENOENT)
		e = bad ? MAMORI_EINVALID : MAMORI_OK;
	else if (e == MAMORI_EPARSE || e == MAMORI_ETOOBIG)
		e = MAMORI_EINVALID;	/* the reader said where */
	goto out;
oom:
	e = MAMORI_ENOMEM;
out:
	if (ids.slot)
		idset_release(&ids);
	for (size_t i = 0; names && i < ncols; i++)
		free(names[i]);
	free(names);
	csv_release(&c);
	return e;
}

/* ---- writing ------------------------------------------------------- */

static int add_change(json_t *changes, const char *field, json_t *old,
		      json_t *new)
{
	json_t *pair = json_array();
	if (!pair)
		return -1;
	json_array_append(pair, old ? old : json_null());
	json_array_append(pair, new ? new : json_null());
	return json_object_set_new(changes, field, pair);
}

/* The changes from the stored row to r, as {"field": [old, new]}. */
static json_t *diff(sqlite3_stmt *s, const struct row *r)
{
	static const char *const fields[] = { "name", "kind", "prefecture" };
	const char *now[3] = { r->name, r->kind, r->pref };
	json_t *changes = json_object(), *old;
	const char *key;
	json_t *v;

	if (!changes)
		return NULL;
	for (int i = 0; i < 3; i++) {
		const char *was = (const char *)sqlite3_column_text(s, i + 1);
		if (strcmp(was ? was : "", now[i])) {
			json_t *a = json_string(was ? was : "");
			json_t *b = json_string(now[i]);
			add_change(changes, fields[i], a, b);
			json_decref(a);
			json_decref(b);
		}
	}
	old = json_loads((const char *)sqlite3_column_text(s, 4), 0, NULL);
	if (!old)
		old = json_object();
	json_object_foreach(old, key, v) {
		json_t *n = json_object_get(r->attrs, key);
		if (!n || !json_equal(n, v)) {
			char name[300];
			snprintf(name, sizeof(name), "attrs.%s", key);
			add_change(changes, name, v, n);
		}
	}
	json_object_foreach(r->attrs, key, v) {
		if (!json_object_get(old, key)) {
			char name[300];
			snprintf(name, sizeof(name), "attrs.%s", key);
			add_change(changes, name, NULL, v);
		}
	}
	json_decref(old);
	return changes;
}

static enum mamori_err write_rows(struct store *st,
				  const struct store_actor *who,
				  const struct rows *rows,
				  struct store_import_stats *stats,
				  struct strbuf *err)
{
	enum mamori_err e;
	int64_t now = store_now(st);

	if ((e = store_begin(st, err)))
		return e;
	for (size_t i = 0; i < rows->n; i++) {
		const struct row *r = &rows->v[i];
		sqlite3_stmt *s = store_stmt(st, STMT_ORG_GET, err);
		char *attrs = NULL, *detail = NULL;
		json_t *changes = NULL;
		int rc;

		if (!s)
			goto dberr;
		store_bind_text(s, 1, r->id);
		rc = sqlite3_step(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			goto dberr_msg;
		attrs = json_dumps(r->attrs, JSON_COMPACT);
		if (!attrs)
			goto oom;
		if (rc == SQLITE_ROW) {
			changes = diff(s, r);
			if (!changes) {
				free(attrs);
				goto oom;
			}
			if (json_object_size(changes) == 0) {
				stats->unchanged++;
				json_decref(changes);
				free(attrs);
				continue;
			}
		}
		sqlite3_reset(s);
		s = store_stmt(st, rc == SQLITE_ROW ? STMT_ORG_UPDATE
						    : STMT_ORG_INSERT, err);
		if (!s) {
			free(attrs);
			json_decref(changes);
			goto dberr;
		}
		store_bind_text(s, 1, r->id);
		store_bind_text(s, 2, r->name);
		store_bind_text(s, 3, r->kind);
		store_bind_text(s, 4, r->pref);
		store_bind_text(s, 5, attrs);
		sqlite3_bind_int64(s, 6, now);
		if (sqlite3_step(s) != SQLITE_DONE) {
			free(attrs);
			json_decref(changes);
			goto dberr_msg;
		}
		if (changes) {
			json_t *d = json_pack("{s:O,s:I}", "changes", changes,
					      "line", (json_int_t)r->line);
			detail = d ? json_dumps(d, JSON_COMPACT) : NULL;
			json_decref(d);
			stats->updated++;
		} else {
			json_t *d = json_pack("{s:s,s:s,s:s,s:o,s:I}", "name",
					      r->name, "kind", r->kind,
					      "prefecture", r->pref, "attrs",
					      json_loads(attrs, 0, NULL), "line",
					      (json_int_t)r->line);
			detail = d ? json_dumps(d, JSON_COMPACT) : NULL;
			json_decref(d);
			stats->created++;
		}
		free(attrs);
		json_decref(changes);
		if (!detail)
			goto oom;
		e = store_audit(st, who, changes ? "org.update" : "org.create",
				r->id, detail, err);
		free(detail);
		if (e)
			goto fail;
	}
	{
		char detail[160];
		snprintf(detail, sizeof(detail),
			 "{\"rows\":%zu,\"created\":%zu,\"updated\":%zu,"
			 "\"unchanged\":%zu,\"encoding\":\"%s\"}",
			 rows->n, stats->created, stats->updated,
			 stats->unchanged,
			 stats->encoding == STORE_ENC_CP932 ? "cp932" : "utf-8");
		if ((e = store_audit(st, who, "org.import", "organisation",
				     detail, err)))
			goto fail;
	}
	return store_commit(st, err);
dberr_msg:
	e = store_db_err(st, err, "storing organisations");
	goto fail;
dberr:
	e = MAMORI_EDB;
	goto fail;
oom:
	e = MAMORI_ENOMEM;
fail:
	store_rollback(st);
	stats->created = stats->updated = stats->unchanged = 0;
	return e;
}

enum mamori_err store_org_import_csv(struct store *st,
				     const struct store_actor *who,
				     const char *buf, size_t len,
				     enum store_encoding enc,
				     struct store_import_stats *stats,
				     struct strbuf *err)
{
	struct strbuf text = STRBUF_INIT;
	struct rows rows = { NULL, 0, 0 };
	enum mamori_err e;

	memset(stats, 0, sizeof(*stats));
	if ((e = decode(buf, len, enc, &text, &stats->encoding, err)))
		goto out;
	if ((e = read_rows(text.buf, text.len, &rows, err)))
		goto out;
	stats->rows = rows.n;
	e = write_rows(st, who, &rows, stats, err);
out:
	rows_release(&rows);
	strbuf_release(&text);
	return e;
}

enum mamori_err store_org_list(struct store *st,
			       const struct store_org_filter *f,
			       int (*fn)(void *ud, const struct store_org *org),
			       void *ud, struct strbuf *err)
{
	sqlite3_stmt *s = store_stmt(st, STMT_ORG_LIST, err);
	int rc;

	if (!s)
		return MAMORI_EDB;
	store_bind_text(s, 1, f ? f->kind : NULL);
	store_bind_text(s, 2, f ? f->pref_code : NULL);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_org o = {
			.id = (const char *)sqlite3_column_text(s, 0),
			.name = (const char *)sqlite3_column_text(s, 1),
			.kind = (const char *)sqlite3_column_text(s, 2),
			.pref_code = (const char *)sqlite3_column_text(s, 3),
			.attrs = (const char *)sqlite3_column_text(s, 4),
		};
		if (fn(ud, &o))
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_err(st, err, "listing organisations");
	sqlite3_reset(s);
	return MAMORI_OK;
}

/* ---- one organisation, and what expressions read about it --------------- */

enum mamori_err store_org_get(struct store *st, const char *id, json_t **out,
			      struct strbuf *err)
{
	sqlite3_stmt *s = store_stmt(st, STMT_ORG_GET, err);
	int rc;

	*out = NULL;
	if (!s)
		return MAMORI_EDB;
	store_bind_text(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = store_org_json(s, 0);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE) {
		store_msg(err, "no organisation '%s'", id ? id : "");
		return MAMORI_ENOENT;
	}
	if (rc != SQLITE_ROW)
		return store_db_err(st, err, "reading an organisation");
	return *out ? MAMORI_OK : MAMORI_ENOMEM;
}

/* See store_int.h. */
json_t *store_campaign_context(const struct store_campaign *c)
{
	char cid[24], opens[40], closes[40];

	snprintf(cid, sizeof(cid), "%lld", (long long)c->id);
	store_time_format(c->windows[0].opens, opens, sizeof(opens));
	store_time_format(c->windows[c->nwindows - 1].closes, closes,
			  sizeof(closes));
	opens[10] = closes[10] = '\0';	/* the dates */
	return json_pack("{s:s,s:s,s:s,s:s}", "id", cid, "title", c->title,
			 "opens", opens, "closes", closes);
}

enum mamori_err store_validation_context(struct store *st, int64_t campaign,
					 const char *org, json_t **org_out,
					 json_t **campaign_out,
					 struct strbuf *err)
{
	struct store_campaign c = { 0 };
	enum mamori_err e;

	*org_out = *campaign_out = NULL;
	if ((e = store_campaign_state(st, campaign, &c, err)))
		goto out;
	if ((e = store_org_get(st, org, org_out, err)))
		goto out;
	*campaign_out = store_campaign_context(&c);
	if (!*campaign_out)
		e = MAMORI_ENOMEM;
out:
	store_campaign_release(&c);
	if (e) {
		json_decref(*org_out);
		*org_out = NULL;
	}
	return e;
}

/* ---- decisions about an organisation's response, in the audit log ------ */

/* The actions store_org_audit() may write: nothing else goes this way. */
static const char *const org_audit_actions[] = {
	"evidence.accept",
	"evidence.override",
};

static const char sql_org_audit_list[] =
	"SELECT id, at, who, from_addr, action, object, detail"
	" FROM audit_event WHERE at >= ?1 AND object = ?2"
	" AND action IN ('evidence.accept', 'evidence.override')"
	" ORDER BY id";

static bool org_audit_action_ok(const char *action)
{
	for (size_t i = 0; i < sizeof(org_audit_actions) /
			       sizeof(org_audit_actions[0]); i++)
		if (action && strcmp(action, org_audit_actions[i]) == 0)
			return true;
	return false;
}

/* ENOENT (with a message) when org is not in campaign's population. */
static enum mamori_err org_member(struct store *st, int64_t campaign,
				  const char *org, struct strbuf *err)
{
	sqlite3_stmt *s = store_stmt(st, STMT_MEMBER_IS, err);
	int rc;

	if (!s)
		return MAMORI_EDB;
	sqlite3_bind_int64(s, 1, campaign);
	store_bind_text(s, 2, org);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return MAMORI_OK;
	if (rc != SQLITE_DONE)
		return store_db_err(st, err, "reading the population");
	store_msg(err, "organisation '%s' is not in campaign %lld", org,
		  (long long)campaign);
	return MAMORI_ENOENT;
}

enum mamori_err store_org_audit(struct store *st,
				const struct store_actor *who,
				int64_t campaign, const char *org,
				const char *action, const char *detail,
				struct strbuf *err)
{
	struct strbuf obj = STRBUF_INIT;
	json_t *d;
	enum mamori_err e;

	if (!org_audit_action_ok(action)) {
		store_msg(err, "'%s' is not an action recorded this way",
			  action ? action : "");
		return MAMORI_EINVAL;
	}
	d = detail ? json_loads(detail, JSON_REJECT_DUPLICATES, NULL) : NULL;
	if (!json_is_object(d)) {
		json_decref(d);
		store_msg(err, "the detail of %s is not a JSON object", action);
		return MAMORI_EINVAL;
	}
	json_decref(d);
	strbuf_addf(&obj, "campaign:%lld/%s", (long long)campaign,
		    org ? org : "");
	if (obj.err) {
		strbuf_release(&obj);
		return MAMORI_ENOMEM;
	}
	if ((e = store_begin(st, err)))
		goto out;
	if ((e = org_member(st, campaign, org, err)) ||
	    (e = store_audit(st, who, action, obj.buf, detail, err))) {
		store_rollback(st);
		goto out;
	}
	e = store_commit(st, err);
out:
	strbuf_release(&obj);
	return e;
}

enum mamori_err store_org_audit_list(struct store *st, int64_t campaign,
				     const char *org, int64_t since,
				     int (*fn)(void *ud,
					       const struct store_audit_event *e),
				     void *ud, struct strbuf *err)
{
	struct strbuf obj = STRBUF_INIT;
	sqlite3_stmt *s = NULL;
	enum mamori_err e = MAMORI_OK;
	int rc;

	strbuf_addf(&obj, "campaign:%lld/%s", (long long)campaign,
		    org ? org : "");
	if (obj.err) {
		strbuf_release(&obj);
		return MAMORI_ENOMEM;
	}
	if (sqlite3_prepare_v2(st->db, sql_org_audit_list, -1, &s, NULL) !=
	    SQLITE_OK) {
		sqlite3_finalize(s);
		strbuf_release(&obj);
		return store_db_err(st, err, "preparing a statement");
	}
	sqlite3_bind_int64(s, 1, since);
	store_bind_text(s, 2, obj.buf);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_audit_event ev = {
			.id = sqlite3_column_int64(s, 0),
			.at = sqlite3_column_int64(s, 1),
			.who = (const char *)sqlite3_column_text(s, 2),
			.from = (const char *)sqlite3_column_text(s, 3),
			.action = (const char *)sqlite3_column_text(s, 4),
			.object = (const char *)sqlite3_column_text(s, 5),
			.detail = (const char *)sqlite3_column_text(s, 6),
		};
		if (fn(ud, &ev))
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		e = store_db_err(st, err, "reading the audit log");
	sqlite3_finalize(s);
	strbuf_release(&obj);
	return e;
}
