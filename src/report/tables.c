/*
 * tables.c - analysis results as flat tables, CSV or XLSX (tables.h),
 * and, in the workbook, the campaign's raw responses. Reads the result
 * JSON, the instrument and (for the workbook's responses) the store's
 * interface; must never write a CSV cell that a spreadsheet would
 * evaluate, nor an XLSX formula.
 */
#include "report/tables.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef MAMORI_HAVE_XLSX
#include <xlsxwriter.h>
#endif

#include "store/iterate.h"

#include "util/num.h"
#include "util/banned.h"

enum col { C_SECTION, C_GROUP, C_ID, C_NUMBER, C_LABEL, C_KEY, C_KEY_LABEL,
	   C_COUNT, C_DENOM, C_SHARE, C_VALUE, C__MAX };

static const char *const col_names[C__MAX] = {
	"section", "group", "id", "number", "label", "key", "key_label",
	"count", "denominator", "share", "value",
};

/* One row: text cells (NULL: empty) and numbers (has_num[c]). */
struct row {
	const char *text[C__MAX];
	double num[C__MAX];
	bool has_num[C__MAX];
};

struct sink {
	void (*row)(struct sink *s, const struct row *r);
	struct strbuf *csv;
#ifdef MAMORI_HAVE_XLSX
	lxw_worksheet *sheet[3];
	unsigned line[3];
#endif
};

static void csv_cell(struct strbuf *sb, const char *p, bool first)
{
	size_t len = strlen(p);
	bool quote = false, inert = len && strchr("=+-@\t\r", p[0]) &&
				     !num_is_number(slice_make(p, len));

	if (!first)
		strbuf_addch(sb, ',');
	for (size_t i = 0; i < len; i++)
		if (p[i] == ',' || p[i] == '"' || p[i] == '\n' || p[i] == '\r')
			quote = true;
	if (!quote && !inert) {
		strbuf_add(sb, p, len);
		return;
	}
	strbuf_addch(sb, '"');
	if (inert)
		strbuf_addch(sb, '\'');
	for (size_t i = 0; i < len; i++) {
		if (p[i] == '"')
			strbuf_addch(sb, '"');
		strbuf_addch(sb, p[i]);
	}
	strbuf_addch(sb, '"');
}

static void csv_row(struct sink *s, const struct row *r)
{
	for (int c = 0; c < C__MAX; c++) {
		if (r->has_num[c]) {
			if (c)
				strbuf_addch(s->csv, ',');
			strbuf_addf(s->csv, "%.10g", r->num[c]);
		} else {
			csv_cell(s->csv, r->text[c] ? r->text[c] : "", c == 0);
		}
	}
	strbuf_addstr(s->csv, "\r\n");
}

static void set_num(struct row *r, enum col c, const json_t *v)
{
	if (json_is_number(v)) {
		r->num[c] = json_number_value(v);
		r->has_num[c] = true;
	}
}

static void emit_block(struct sink *s, const struct instrument *ins,
		       const json_t *res, const char *group, enum lang lang)
{
	const json_t *inds = json_object_get(res, "indicators"),
		     *finds = json_object_get(res, "findings"),
		     *items = json_object_get(res, "items");
	size_t responses = (size_t)json_integer_value(
		json_object_get(res, "responses"));

	for (size_t k = 0; k < ins->nindicators; k++) {
		const struct indicator *ind = &ins->indicators[k];
		const json_t *j = json_object_get(inds, ind->id);
		struct row r = { .text = { "indicators", group, ind->id, NULL,
					   i18n_get(&ind->label, lang) } };
		set_num(&r, C_COUNT, json_object_get(j, "met"));
		set_num(&r, C_DENOM, json_object_get(j, "population"));
		set_num(&r, C_SHARE, json_object_get(j, "share"));
		s->row(s, &r);
	}
	for (size_t k = 0; k < ins->nfindings; k++) {
		const struct finding *f = &ins->findings[k];
		struct row r = { .text = { "findings", group, f->id, NULL,
					   i18n_get(&f->title, lang),
					   severity_name(f->severity) } };
		set_num(&r, C_COUNT, json_object_get(finds, f->id));
		r.num[C_DENOM] = (double)responses;
		r.has_num[C_DENOM] = true;
		if (responses) {
			r.num[C_SHARE] = r.num[C_COUNT] / (double)responses;
			r.has_num[C_SHARE] = true;
		}
		s->row(s, &r);
	}
	for (size_t i = 0; i < ins->nitems; i++) {
		const struct item *it = &ins->items[i];
		const json_t *j = json_object_get(items, it->id);
		if (!j)
			continue;
		const json_t *pop = json_object_get(j, "population");
		double p = json_is_number(pop) ? json_number_value(pop) : 0;
		struct row base = { .text = { "items", group, it->id,
					      it->number,
					      i18n_get(&it->label, lang) } };
		struct row r = base;
		r.text[C_KEY] = "(not answered)";
		set_num(&r, C_COUNT, json_object_get(j, "not_answered"));
		set_num(&r, C_DENOM, pop);
		if (p) {
			r.num[C_SHARE] = r.num[C_COUNT] / p;
			r.has_num[C_SHARE] = true;
		}
		s->row(s, &r);
		if (json_object_get(j, "not_applicable")) {
			r = base;
			r.text[C_KEY] = "(not applicable)";
			set_num(&r, C_COUNT, json_object_get(j,
							     "not_applicable"));
			r.num[C_DENOM] = (double)responses;
			r.has_num[C_DENOM] = true;
			if (responses) {
				r.num[C_SHARE] = r.num[C_COUNT] /
						 (double)responses;
				r.has_num[C_SHARE] = true;
			}
			s->row(s, &r);
		}
		const json_t *counts = json_object_get(j, "counts");
		if (it->list) {
			for (size_t c = 0; c < it->list->n; c++) {
				const struct choice *ch = &it->list->choices[c];
				r = base;
				r.text[C_KEY] = ch->value;
				r.text[C_KEY_LABEL] = i18n_get(&ch->label, lang);
				set_num(&r, C_COUNT,
					json_object_get(counts, ch->value));
				set_num(&r, C_DENOM, pop);
				if (p) {
					r.num[C_SHARE] = r.num[C_COUNT] / p;
					r.has_num[C_SHARE] = true;
				}
				s->row(s, &r);
			}
		} else if (counts) {
			const char *key;
			const json_t *v;
			json_object_foreach((json_t *)counts, key, v) {
				r = base;
				r.text[C_KEY] = key;
				set_num(&r, C_COUNT, v);
				set_num(&r, C_DENOM, pop);
				if (p) {
					r.num[C_SHARE] = r.num[C_COUNT] / p;
					r.has_num[C_SHARE] = true;
				}
				s->row(s, &r);
			}
		}
		const json_t *num = json_object_get(j, "numeric");
		static const char *const stats[] = { "n", "mean", "q1",
						     "median", "q3", "min",
						     "max", "sum" };
		for (size_t q = 0; num && q < sizeof(stats) / sizeof(*stats);
		     q++) {
			r = base;
			r.text[C_KEY] = stats[q];
			set_num(&r, C_VALUE, json_object_get(num, stats[q]));
			s->row(s, &r);
		}
	}
}

/* Sorted keys of the groups object (caller frees the array). */
static const char **group_keys(const json_t *groups, size_t *n)
{
	const char *key;
	const json_t *v;
	size_t k = 0;

	*n = json_object_size(groups);
	const char **keys = calloc(*n ? *n : 1, sizeof(*keys));
	if (!keys)
		return NULL;
	json_object_foreach((json_t *)groups, key, v)
		keys[k++] = key;
	for (size_t i = 1; i < *n; i++)
		for (size_t j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0;
		     j--) {
			const char *t = keys[j];
			keys[j] = keys[j - 1];
			keys[j - 1] = t;
		}
	return keys;
}

static enum mamori_err emit_all(struct sink *s, const struct instrument *ins,
				const json_t *result, enum lang lang)
{
	const json_t *groups = json_object_get(result, "groups");
	size_t n = 0;

	emit_block(s, ins, result, "", lang);
	if (json_is_object(groups)) {
		const char **keys = group_keys(groups, &n);
		if (!keys)
			return MAMORI_ENOMEM;
		for (size_t i = 0; i < n; i++)
			emit_block(s, ins, json_object_get(groups, keys[i]),
				   keys[i], lang);
		free(keys);
	}
	return MAMORI_OK;
}

enum mamori_err tables_csv(const struct instrument *ins, const json_t *result,
			   enum lang lang, struct strbuf *out)
{
	struct sink s = { .row = csv_row, .csv = out };
	enum mamori_err e;

	for (int c = 0; c < C__MAX; c++)
		csv_cell(out, col_names[c], c == 0);
	strbuf_addstr(out, "\r\n");
	if ((e = emit_all(&s, ins, result, lang)))
		return e;
	return out->err;
}

/* ---- the campaign's responses, for the workbook ---------------------- */

static bool answerable(const struct item *it)
{
	return it->type != ITEM_NOTE && it->type != ITEM_GROUP &&
	       it->type != ITEM_REPEAT;
}

static int keep_org(void *ud, const struct store_iter_row *r)
{
	json_t *orgs = ud;
	return json_object_set(orgs, r->org_id, (json_t *)r->org) != 0;
}

enum mamori_err tables_responses_load(struct store *st, int64_t campaign,
				      bool include_drafts, json_t **out,
				      struct strbuf *err)
{
	struct store_export_opts xo = { .format = EXPORT_JSON,
					.include_drafts = include_drafts };
	json_t *orgs = json_object(), *x = NULL, *rows;
	char *buf = NULL;
	size_t len = 0, n, i;
	FILE *f = NULL;
	enum mamori_err e;
	json_t *r;

	*out = NULL;
	if (!orgs)
		return MAMORI_ENOMEM;
	if ((e = store_campaign_iterate(st, campaign, include_drafts,
					keep_org, orgs, NULL, err)))
		goto out;
	if (!(f = open_memstream(&buf, &len))) {
		e = MAMORI_ENOMEM;
		goto out;
	}
	e = store_response_export(st, campaign, &xo, f, &n, err);
	if (fclose(f) && !e)
		e = MAMORI_ENOMEM;
	if (e)
		goto out;
	if (!(x = json_loadb(buf, len, 0, NULL))) {
		e = MAMORI_ENOMEM;
		goto out;
	}
	for (int k = 0; k < 2; k++) {
		rows = json_object_get(x, k ? "forms" : "responses");
		json_array_foreach(rows, i, r) {
			const char *id = json_string_value(json_object_get(
				r, "organisation"));
			json_t *o = id ? json_object_get(orgs, id) : NULL;
			if (o && json_object_set(r, "org", o)) {
				e = MAMORI_ENOMEM;
				goto out;
			}
		}
	}
	*out = x;
	x = NULL;
out:
	free(buf);
	json_decref(x);
	json_decref(orgs);
	return e;
}

#ifdef MAMORI_HAVE_XLSX
static void xlsx_row(struct sink *s, const struct row *r)
{
	int sh = !strcmp(r->text[C_SECTION], "indicators") ? 0
		 : !strcmp(r->text[C_SECTION], "findings") ? 1 : 2;
	lxw_worksheet *w = s->sheet[sh];
	unsigned line = ++s->line[sh];

	for (int c = 1; c < C__MAX; c++) {
		if (r->has_num[c])
			worksheet_write_number(w, line, (lxw_col_t)(c - 1),
					       r->num[c], NULL);
		else if (r->text[c] && *r->text[c])
			worksheet_write_string(w, line, (lxw_col_t)(c - 1),
					       r->text[c], NULL);
	}
}

bool tables_xlsx_available(void)
{
	return true;
}

static void put_str(lxw_worksheet *w, lxw_row_t row, lxw_col_t col,
		    const char *s)
{
	if (s && *s)
		worksheet_write_string(w, row, col, s, NULL);
}

static void put_num(lxw_worksheet *w, lxw_row_t row, lxw_col_t col,
		    const json_t *v)
{
	if (json_is_number(v))
		worksheet_write_number(w, row, col, json_number_value(v), NULL);
}

/* Campaign facts, then every indicator and finding, all respondents. */
static void summary_sheet(lxw_worksheet *w, const struct instrument *ins,
			  const json_t *res, enum lang lang)
{
	static const char *const facts[] = { "campaign", "title", "invited",
					     "submitted", "reports", "drafts",
					     "responses", "response_rate" };
	const json_t *inds = json_object_get(res, "indicators"),
		     *finds = json_object_get(res, "findings");
	lxw_row_t r = 0;

	for (size_t k = 0; k < sizeof(facts) / sizeof(*facts); k++, r++) {
		const json_t *v = json_object_get(res, facts[k]);
		put_str(w, r, 0, facts[k]);
		if (json_is_string(v))
			put_str(w, r, 1, json_string_value(v));
		else
			put_num(w, r, 1, v);
	}
	put_str(w, r, 0, "instrument");
	put_str(w, r, 1, ins->id);
	put_str(w, r++, 2, ins->version);
	r++;
	put_str(w, r, 0, "indicator");
	put_str(w, r, 1, "label");
	put_str(w, r, 2, "met");
	put_str(w, r, 3, "population");
	put_str(w, r, 4, "share");
	put_str(w, r++, 5, "polarity");
	for (size_t k = 0; k < ins->nindicators; k++, r++) {
		const json_t *j = json_object_get(inds, ins->indicators[k].id);
		put_str(w, r, 0, ins->indicators[k].id);
		put_str(w, r, 1, i18n_get(&ins->indicators[k].label, lang));
		put_num(w, r, 2, json_object_get(j, "met"));
		put_num(w, r, 3, json_object_get(j, "population"));
		put_num(w, r, 4, json_object_get(j, "share"));
		put_str(w, r, 5, indicator_polarity_name(
					 ins->indicators[k].polarity));
	}
	r++;
	put_str(w, r, 0, "finding");
	put_str(w, r, 1, "title");
	put_str(w, r, 2, "count");
	put_str(w, r, 3, "responses");
	put_str(w, r++, 4, "severity");
	for (size_t k = 0; k < ins->nfindings; k++, r++) {
		const struct finding *f = &ins->findings[k];
		put_str(w, r, 0, f->id);
		put_str(w, r, 1, i18n_get(&f->title, lang));
		put_num(w, r, 2, json_object_get(finds, f->id));
		put_num(w, r, 3, json_object_get(res, "responses"));
		put_str(w, r, 4, severity_name(f->severity));
	}
}

/* One row per prefecture: counts, rate, and met, population, share of
 * every indicator. byp: a result with groups by prefecture. */
static void prefecture_sheet(lxw_worksheet *w, const struct instrument *ins,
			     const json_t *byp, enum lang lang)
{
	const json_t *groups = json_object_get(byp, "groups");
	struct strbuf h = STRBUF_INIT;
	lxw_col_t c = 5;

	put_str(w, 0, 0, "prefecture");
	put_str(w, 0, 1, "name");
	put_str(w, 0, 2, "invited");
	put_str(w, 0, 3, "submitted");
	put_str(w, 0, 4, "response_rate");
	for (size_t k = 0; k < ins->nindicators; k++) {
		static const char *const what[3] = { "met", "population",
						     "share" };
		for (int q = 0; q < 3; q++) {
			strbuf_reset(&h);
			strbuf_addf(&h, "%s.%s", ins->indicators[k].id,
				    what[q]);
			put_str(w, 0, c++, h.buf);
		}
	}
	strbuf_release(&h);
	for (size_t p = 0; p < PREFECTURE_COUNT; p++) {
		const json_t *g = json_object_get(groups, prefectures[p].code);
		lxw_row_t r = (lxw_row_t)p + 1;
		put_str(w, r, 0, prefectures[p].code);
		put_str(w, r, 1, lang == LANG_JA ? prefectures[p].ja
						 : prefectures[p].en);
		if (!g)
			continue;
		put_num(w, r, 2, json_object_get(g, "invited"));
		put_num(w, r, 3, json_object_get(g, "submitted"));
		put_num(w, r, 4, json_object_get(g, "response_rate"));
		c = 5;
		for (size_t k = 0; k < ins->nindicators; k++) {
			const json_t *j = json_object_get(
				json_object_get(g, "indicators"),
				ins->indicators[k].id);
			put_num(w, r, c++, json_object_get(j, "met"));
			put_num(w, r, c++, json_object_get(j, "population"));
			put_num(w, r, c++, json_object_get(j, "share"));
		}
	}
}

/* One answer: numbers as numbers, choices as their values, several
 * values joined by ", ". */
static void put_answer(lxw_worksheet *w, lxw_row_t row, lxw_col_t col,
		       const struct item *it, const json_t *v,
		       struct strbuf *tmp)
{
	double x;
	size_t i;
	const json_t *e;

	if (!v)
		return;
	switch (json_typeof(v)) {
	case JSON_STRING:
		if ((it->type == ITEM_INTEGER || it->type == ITEM_DECIMAL ||
		     it->type == ITEM_CALCULATE) &&
		    !num_parse_double(slice_make(json_string_value(v),
						 json_string_length(v)), &x))
			worksheet_write_number(w, row, col, x, NULL);
		else
			put_str(w, row, col, json_string_value(v));
		break;
	case JSON_INTEGER:
	case JSON_REAL:
		put_num(w, row, col, v);
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		put_str(w, row, col, json_is_true(v) ? "true" : "false");
		break;
	case JSON_ARRAY:
		strbuf_reset(tmp);
		json_array_foreach((json_t *)v, i, e) {
			if (i)
				strbuf_addstr(tmp, ", ");
			if (json_is_string(e))
				strbuf_addstr(tmp, json_string_value(e));
		}
		put_str(w, row, col, tmp->buf);
		break;
	default:
		break;
	}
}

/* Excel's sheet names: at most 31 characters, none of []:*?/\ */
static void sheet_name(const char *id, char *out, size_t len)
{
	size_t j = 0;
	for (size_t i = 0; id[i] && j + 1 < len && j < 31; i++)
		out[j++] = strchr("[]:*?/\\", id[i]) ? '_' : id[i];
	out[j] = '\0';
}

/*
 * A sheet of rows (responses or forms) of ins: organisation, [number,]
 * name, prefecture, kind, status, submitted time, then one column per
 * item outside repeats.
 */
static enum mamori_err rows_sheet(lxw_workbook *wb, const char *name,
				  const struct instrument *ins,
				  const json_t *rows, bool numbered,
				  struct strbuf *tmp, struct strbuf *err)
{
	lxw_worksheet *w = workbook_add_worksheet(wb, name);
	static const char *const head[] = { "organisation", "number", "name",
					    "prefecture", "kind", "status",
					    "submitted_at" };
	const json_t *r;
	size_t i, nh = sizeof(head) / sizeof(*head);
	lxw_col_t c = 0;

	if (!w) {
		if (err)
			strbuf_addf(err, "%s: cannot name a sheet so", name);
		return MAMORI_EINVAL;
	}
	if (json_array_size(rows) >= LXW_ROW_MAX) {
		if (err)
			strbuf_addf(err, "%zu responses: more than a sheet "
				    "holds (%u rows); use --format csv",
				    json_array_size(rows),
				    (unsigned)LXW_ROW_MAX - 1);
		return MAMORI_ETOOBIG;
	}
	for (size_t h = 0; h < nh; h++)
		if (h != 1 || numbered)
			put_str(w, 0, c++, head[h]);
	for (size_t k = 0; k < ins->nitems; k++)
		if (ins->items[k].repeat < 0 && answerable(&ins->items[k]))
			put_str(w, 0, c++, ins->items[k].id);
	json_array_foreach((json_t *)rows, i, r) {
		const json_t *org = json_object_get(r, "org"),
			     *ans = json_object_get(r, "answers");
		const char *status = json_string_value(json_object_get(
			r, "status"));
		lxw_row_t row = (lxw_row_t)i + 1;
		c = 0;
		put_str(w, row, c++, json_string_value(json_object_get(
					     r, "organisation")));
		if (numbered)
			put_num(w, row, c++, json_object_get(r, "number"));
		put_str(w, row, c++, json_string_value(json_object_get(org,
								       "name")));
		put_str(w, row, c++, json_string_value(json_object_get(
					     r, "prefecture")));
		put_str(w, row, c++, json_string_value(json_object_get(org,
								       "kind")));
		put_str(w, row, c++, status);
		if (status && !strcmp(status, "submitted"))
			put_str(w, row, c, json_string_value(json_object_get(
						   r, "saved_at")));
		c++;
		for (size_t k = 0; k < ins->nitems; k++) {
			const struct item *it = &ins->items[k];
			if (it->repeat >= 0 || !answerable(it))
				continue;
			put_answer(w, row, c++, it,
				   json_object_get(ans, it->id), tmp);
		}
	}
	return MAMORI_OK;
}

static enum mamori_err responses_sheets(lxw_workbook *wb,
					const struct instrument *ins,
					const struct instrument *form_ins,
					const json_t *data,
					struct strbuf *err)
{
	const json_t *rows = json_object_get(data, "responses"), *r;
	/* a repeatable campaign: an organisation's reports by number */
	bool numbered = json_is_true(json_object_get(data, "repeatable"));
	struct strbuf tmp = STRBUF_INIT;
	enum mamori_err e;
	size_t i;
	lxw_col_t c;
	lxw_worksheet *w;

	if ((e = rows_sheet(wb, "responses", ins, rows, numbered, &tmp, err)))
		goto out;
	/* one sheet per repeat: one row per row of every response */
	for (size_t k = 0; k < ins->nitems; k++) {
		const struct item *rep = &ins->items[k];
		char name[32];
		lxw_row_t line = 0;
		if (rep->type != ITEM_REPEAT || rep->repeat >= 0)
			continue;
		sheet_name(rep->id, name, sizeof(name));
		if (!(w = workbook_add_worksheet(wb, name))) {
			if (err)
				strbuf_addf(err, "%s: cannot name a sheet so",
					    rep->id);
			e = MAMORI_EINVAL;
			goto out;
		}
		c = 0;
		put_str(w, 0, c++, "organisation");
		if (numbered)
			put_str(w, 0, c++, "number");
		put_str(w, 0, c++, "row");
		for (size_t j = k + 1; j < ins->nitems; j++)
			if (ins->items[j].repeat == (int)k &&
			    answerable(&ins->items[j]))
				put_str(w, 0, c++, ins->items[j].id);
		json_array_foreach((json_t *)rows, i, r) {
			const json_t *list = json_object_get(
				json_object_get(r, "answers"), rep->id), *one;
			size_t n;
			json_array_foreach((json_t *)list, n, one) {
				if (++line >= LXW_ROW_MAX)
					break;
				c = 0;
				put_str(w, line, c++, json_string_value(
					json_object_get(r, "organisation")));
				if (numbered)
					put_num(w, line, c++, json_object_get(
							r, "number"));
				worksheet_write_number(w, line, c++,
						       (double)(n + 1), NULL);
				for (size_t j = k + 1; j < ins->nitems; j++) {
					const struct item *ch = &ins->items[j];
					if (ch->repeat != (int)k ||
					    !answerable(ch))
						continue;
					put_answer(w, line, c++, ch,
						   json_object_get(one, ch->id),
						   &tmp);
				}
			}
		}
	}
	/* the additional forms (e.g. one per vendor): a sheet named after
	 * their instrument, one row per form with its number */
	if (form_ins && json_is_array(json_object_get(data, "forms"))) {
		char name[32];
		sheet_name(form_ins->id, name, sizeof(name));
		e = rows_sheet(wb, name, form_ins,
			       json_object_get(data, "forms"), true, &tmp,
			       err);
	}
out:
	strbuf_release(&tmp);
	return e;
}

enum mamori_err tables_xlsx(const struct instrument *ins, const json_t *result,
			    const json_t *by_prefecture, const json_t *responses,
			    const struct instrument *form_ins, enum lang lang,
			    const char *path, struct strbuf *err)
{
	static const char *const names[3] = { "indicators", "findings",
					      "items" };
	lxw_workbook *wb = workbook_new(path);
	struct sink s = { .row = xlsx_row };
	lxw_worksheet *sum;
	enum mamori_err e = MAMORI_OK;

	if (!wb) {
		if (err)
			strbuf_addf(err, "%s: cannot create the workbook", path);
		return MAMORI_EIO;
	}
	if (!(sum = workbook_add_worksheet(wb, "summary")))
		e = MAMORI_ENOMEM;
	else
		summary_sheet(sum, ins, result, lang);
	for (int i = 0; !e && i < 3; i++) {
		s.sheet[i] = workbook_add_worksheet(wb, names[i]);
		if (!s.sheet[i]) {
			e = MAMORI_ENOMEM;
			break;
		}
		for (int c = 1; c < C__MAX; c++)
			worksheet_write_string(s.sheet[i], 0,
					       (lxw_col_t)(c - 1),
					       col_names[c], NULL);
	}
	if (!e)
		e = emit_all(&s, ins, result, lang);
	if (!e && by_prefecture) {
		lxw_worksheet *w = workbook_add_worksheet(wb, "prefectures");
		if (!w)
			e = MAMORI_ENOMEM;
		else
			prefecture_sheet(w, ins, by_prefecture, lang);
	}
	if (!e && responses)
		e = responses_sheets(wb, ins, form_ins, responses, err);
	lxw_error le = workbook_close(wb);
	if (!e && le != LXW_NO_ERROR) {
		if (err)
			strbuf_addf(err, "%s: %s", path, lxw_strerror(le));
		e = MAMORI_EIO;
	}
	return e;
}
#else
bool tables_xlsx_available(void)
{
	return false;
}

enum mamori_err tables_xlsx(const struct instrument *ins, const json_t *result,
			    const json_t *by_prefecture, const json_t *responses,
			    const struct instrument *form_ins, enum lang lang,
			    const char *path, struct strbuf *err)
{
	(void)ins;
	(void)form_ins;
	(void)result;
	(void)by_prefecture;
	(void)responses;
	(void)lang;
	if (err)
		strbuf_addf(err, "%s: this mamori was built without "
			    "libxlsxwriter; use --format csv", path);
	return MAMORI_EINVAL;
}
#endif
