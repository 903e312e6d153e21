/*
 * tables.c - analysis results as flat tables, CSV or XLSX (tables.h).
 * Reads only the result JSON and the instrument; must never write a CSV
 * cell that a spreadsheet would evaluate, nor an XLSX formula.
 */
#include "report/tables.h"

#include <stdlib.h>
#include <string.h>

#ifdef MAMORI_HAVE_XLSX
#include <xlsxwriter.h>
#endif

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

enum mamori_err tables_xlsx(const struct instrument *ins, const json_t *result,
			    enum lang lang, const char *path,
			    struct strbuf *err)
{
	static const char *const names[3] = { "indicators", "findings",
					      "items" };
	lxw_workbook *wb = workbook_new(path);
	struct sink s = { .row = xlsx_row };
	enum mamori_err e;

	if (!wb) {
		if (err)
			strbuf_addf(err, "%s: cannot create the workbook", path);
		return MAMORI_EIO;
	}
	for (int i = 0; i < 3; i++) {
		s.sheet[i] = workbook_add_worksheet(wb, names[i]);
		if (!s.sheet[i]) {
			workbook_close(wb);
			return MAMORI_ENOMEM;
		}
		for (int c = 1; c < C__MAX; c++)
			worksheet_write_string(s.sheet[i], 0,
					       (lxw_col_t)(c - 1),
					       col_names[c], NULL);
	}
	e = emit_all(&s, ins, result, lang);
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
			    enum lang lang, const char *path,
			    struct strbuf *err)
{
	(void)ins;
	(void)result;
	(void)lang;
	if (err)
		strbuf_addf(err, "%s: this mamori was built without "
			    "libxlsxwriter; use --format csv", path);
	return MAMORI_EINVAL;
}
#endif
