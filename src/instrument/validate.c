/*
 * validate.c - check one response against an instrument: types, choices,
 * relevance (skip logic), calculations, required, constraints, repeats,
 * then indicators, findings and scores.
 *
 * A validator is reusable and owned by one thread; after the first few
 * responses it allocates nothing (per-response strings go to an arena
 * that is reset, not freed). Must never stop at the first problem and
 * never trust the response.
 */
#include "instrument/internal.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <math.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/jsonlex.h"
#include "util/num.h"
#include "util/banned.h"

struct cell {
	const char *p;		/* the answer's text ("" if none) */
	uint32_t len;
	uint8_t present;	/* an answer was given (non-empty) */
	uint8_t relevant;	/* computed: the item applies */
	uint8_t bad;		/* the answer had a type error */
};

struct rowset {
	struct cell *cells;	/* nrows × ncolumns */
	size_t nrows, cap;	/* cap in rows */
};

struct vlist {
	struct verror *v;
	size_t n, cap;
};

struct validator {
	const struct instrument *ins;
	const struct instrument_private *pv;
	struct cell *top;		/* one per item */
	struct rowset *rows;		/* one per item; used by repeats */
	struct slice *ctxvals;		/* one per context name */
	struct arena tmp;		/* reset for each response */
	struct vlist errors, warnings;
	bool *in_pop, *met, *fired;
	double *scores;
	struct vresult res;
	pcre2_match_data *md;
	const struct vopts *opts;
	struct slice *toks;		/* INSTRUMENT_MAX_CHOICES: an array's */
	uint32_t *seen;			/* per item: the object last seen in */
	uint32_t seen_gen;		/* the object being read */
	/* the key that came next last time: after item i (hint[i]), first
	 * in a row of repeat i (hint[nitems + i]), first in the response
	 * (hint[2 nitems]); item index + 1, 0 none */
	uint32_t *hint;
	size_t *idlen;			/* per item: strlen(id) */
	json_t *doc;			/* owned: the text's document, when the
					   text reader gave up */
	int cur_repeat;
	size_t cur_row;
	char today[11];
	time_t today_at;		/* the system's today[] was made at */
	bool oom;
	char scratch[32768];
};

static const char empty[] = "";

/* ---- messages ------------------------------------------------------- */

enum msg {
	M_UNKNOWN,
	M_UNKNOWN_IN_REPEAT,
	M_NOTE,
	M_INTEGER,
	M_DECIMAL,
	M_DATE,
	M_DATETIME,
	M_TEXT,
	M_MULTI,
	M_ROWS_TYPE,
	M_ROW_TYPE,
	M_NOT_IN_LIST,
	M_DUP_CHOICE,
	M_REQUIRED,
	M_CONSTRAINT,
	M_NOT_RELEVANT,
	M_MIN_ROWS,
	M_MAX_ROWS,
	M_EVAL,
	M__MAX
};

static const char *const messages[M__MAX][LANG__MAX] = {
	[M_UNKNOWN] = { "この調査票に「%s」という設問はありません",
			"there is no question '%s' in this instrument" },
	[M_UNKNOWN_IN_REPEAT] = { "「%s」はこの繰り返し項目の設問ではありません",
				  "'%s' is not a question of this repeat" },
	[M_NOTE] = { "「%s」は回答を受け付けない項目です（%s）",
		     "'%s' takes no answer (it is a %s)" },
	[M_INTEGER] = { "整数で回答してください", "expected a whole number" },
	[M_DECIMAL] = { "数値で回答してください", "expected a number" },
	[M_DATE] = { "日付を YYYY-MM-DD の形式で回答してください",
		     "expected a date as YYYY-MM-DD" },
	[M_DATETIME] = { "日時を YYYY-MM-DDTHH:MM の形式で回答してください（秒 :SS と時差 Z / +09:00 は省略可、実在する日時のみ）",
			 "expected a real date and time as YYYY-MM-DDTHH:MM (optional :SS, zone Z or +09:00)" },
	[M_TEXT] = { "文字列で回答してください", "expected a text" },
	[M_MULTI] = { "選択肢の値の配列で回答してください",
		      "expected a list of choice values" },
	[M_ROWS_TYPE] = { "行の配列で回答してください",
			  "expected a list of rows" },
	[M_ROW_TYPE] = { "各行は設問と回答の組（オブジェクト）にしてください",
			 "each row must be an object of answers" },
	[M_NOT_IN_LIST] = { "「%s」は選択肢にありません",
			    "'%s' is not one of the choices" },
	[M_DUP_CHOICE] = { "「%s」が二度選ばれています",
			   "'%s' is selected twice" },
	[M_REQUIRED] = { "回答が必要です", "an answer is required" },
	[M_CONSTRAINT] = { "回答が条件を満たしていません（%s）",
			   "the answer does not meet the condition %s" },
	[M_NOT_RELEVANT] = { "この設問は対象外のため、回答は記録されません",
			     "this question does not apply, so the answer was dropped" },
	[M_MIN_ROWS] = { "%u 行以上入力してください",
			 "at least %u rows are needed" },
	[M_MAX_ROWS] = { "%u 行までしか入力できません",
			 "at most %u rows are allowed" },
	[M_EVAL] = { "式「%s」を評価できません: %s",
		     "cannot evaluate '%s': %s" },
};

static void vlist_add(struct validator *v, struct vlist *l, const char *path,
		      enum verr_code code, const char *msg)
{
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 16;
		struct verror *p = realloc(l->v, nc * sizeof(*p));
		if (!p) {
			v->oom = true;
			return;
		}
		l->v = p;
		l->cap = nc;
	}
	l->v[l->n].item = path;
	l->v[l->n].code = code;
	l->v[l->n].message = msg;
	l->n++;
}

static void report(struct validator *v, bool warning, const char *path,
		   enum verr_code code, enum msg m, ...)
{
	char buf[1024];
	va_list ap;
	enum lang lang = v->opts->lang;

	va_start(ap, m);
	vsnprintf(buf, sizeof(buf), messages[m][lang], ap);
	va_end(ap);
	char *msg = arena_strdup(&v->tmp, buf);
	if (!msg) {
		v->oom = true;
		return;
	}
	vlist_add(v, warning ? &v->warnings : &v->errors, path, code, msg);
}

/* "id" or "repeat[row].id" (rows from 1), in the per-response arena. */
static const char *path_of(struct validator *v, const struct item *it,
			   int row)
{
	char buf[256];

	if (row < 0 || it->repeat < 0)
		return it->id;
	snprintf(buf, sizeof(buf), "%s[%d].%s",
		 v->ins->items[it->repeat].id, row + 1, it->id);
	char *p = arena_strdup(&v->tmp, buf);
	if (!p)
		v->oom = true;
	return p ? p : it->id;
}

/* ---- cells ---------------------------------------------------------- */

static struct cell *cell_at(struct validator *v, size_t item, size_t row)
{
	const struct item *it = &v->ins->items[item];
	if (it->repeat < 0)
		return &v->top[item];
	struct rowset *rs = &v->rows[it->repeat];
	if (row >= rs->nrows)
		return NULL;
	return &rs->cells[row * v->pv->ncolumns[it->repeat] +
			  v->pv->column[item]];
}

static void get_value(void *ud, int ref, struct slice *out)
{
	struct validator *v = ud;
	size_t n = v->ins->nitems;

	*out = (struct slice){ empty, 0 };
	if (ref < 0)
		return;
	if ((size_t)ref >= n) {
		if ((size_t)ref - n < v->pv->nctx)
			*out = v->ctxvals[(size_t)ref - n];
		return;
	}
	struct cell *c = cell_at(v, (size_t)ref, v->cur_row);
	if (c && c->relevant && c->present)
		*out = (struct slice){ c->p, c->len };
}

static size_t set_len(void *ud, int ref)
{
	struct validator *v = ud;
	const struct item *it;
	size_t r;

	if (ref < 0 || (size_t)ref >= v->ins->nitems)
		return 0;
	it = &v->ins->items[ref];
	r = it->type == ITEM_REPEAT ? (size_t)ref : (size_t)it->repeat;
	if (it->type != ITEM_REPEAT && it->repeat < 0)
		return 1;
	return v->top[r].relevant ? v->rows[r].nrows : 0;
}

static void set_item(void *ud, int ref, size_t i, struct slice *out)
{
	struct validator *v = ud;
	const struct item *it = &v->ins->items[ref];

	*out = (struct slice){ empty, 0 };
	if (it->type == ITEM_REPEAT)
		return;
	struct cell *c = it->repeat < 0 ? &v->top[ref] : cell_at(v, (size_t)ref, i);
	if (c && c->relevant && c->present)
		*out = (struct slice){ c->p, c->len };
}

static void ctx_init(struct validator *v, struct expr_ctx *ctx,
		     struct slice dot)
{
	ctx->get = get_value;
	ctx->set_len = set_len;
	ctx->set_item = set_item;
	ctx->ud = v;
	ctx->dot = dot;
	ctx->today = v->today;
	ctx->scratch = v->scratch;
	ctx->scratch_len = sizeof(v->scratch);
	ctx->scratch_used = 0;
	ctx->error = NULL;
	ctx->match_data = v->md;
}

/*
 * Evaluate e as a condition; on failure report it (as an error or a
 * warning) under the path of item/row, or under name when item is NULL.
 * The path is only made when there is something to report.
 */
static bool eval_bool(struct validator *v, const struct expr *e,
		      const char *src, const struct item *it, int row,
		      const char *name, struct slice dot, bool on_error,
		      bool warn)
{
	struct expr_ctx ctx;
	struct expr_value val;

	ctx_init(v, &ctx, dot);
	if (expr_eval(e, &ctx, &val)) {
		report(v, warn, it ? path_of(v, it, row) : name, VERR_EVAL,
		       M_EVAL, src ? src : "", ctx.error ? ctx.error : "?");
		return on_error;
	}
	return expr_to_bool(&ctx, &val);
}

/* ---- life cycle ----------------------------------------------------- */

struct validator *validator_new(const struct instrument *ins)
{
	struct validator *v = calloc(1, sizeof(*v));
	size_t n = ins->nitems ? ins->nitems : 1;

	if (!v)
		return NULL;
	v->ins = ins;
	v->pv = ins->priv;
	v->top = calloc(n, sizeof(*v->top));
	v->rows = calloc(n, sizeof(*v->rows));
	v->ctxvals = calloc(v->pv->nctx ? v->pv->nctx : 1, sizeof(*v->ctxvals));
	v->in_pop = calloc(ins->nindicators + 1, sizeof(bool));
	v->met = calloc(ins->nindicators + 1, sizeof(bool));
	v->fired = calloc(ins->nfindings + 1, sizeof(bool));
	v->scores = calloc(n, sizeof(double));
	v->md = pcre2_match_data_create(1, NULL);
	v->toks = calloc(INSTRUMENT_MAX_CHOICES, sizeof(*v->toks));
	v->seen = calloc(n, sizeof(*v->seen));
	v->hint = calloc(2 * n + 1, sizeof(*v->hint));
	v->idlen = calloc(n, sizeof(*v->idlen));
	for (size_t i = 0; v->idlen && i < ins->nitems; i++)
		v->idlen[i] = strlen(ins->items[i].id);
	arena_init(&v->tmp, 16384);
	if (!v->top || !v->rows || !v->ctxvals || !v->in_pop || !v->met ||
	    !v->fired || !v->scores || !v->md || !v->toks || !v->seen ||
	    !v->hint || !v->idlen) {
		validator_free(v);
		return NULL;
	}
	return v;
}

void validator_free(struct validator *v)
{
	if (!v)
		return;
	if (v->rows)
		for (size_t i = 0; i < v->ins->nitems; i++)
			free(v->rows[i].cells);
	free(v->rows);
	free(v->top);
	free(v->ctxvals);
	free(v->in_pop);
	free(v->met);
	free(v->fired);
	free(v->scores);
	free(v->errors.v);
	free(v->warnings.v);
	free(v->toks);
	free(v->seen);
	free(v->hint);
	free(v->idlen);
	json_decref(v->doc);
	if (v->md)
		pcre2_match_data_free(v->md);
	arena_release(&v->tmp);
	free(v);
}

/* ---- reading the response ------------------------------------------- */

static void set_cell(struct cell *c, const char *p, size_t len)
{
	c->p = p;
	c->len = (uint32_t)len;
	c->present = len > 0;
}

static const char *tmp_printf(struct validator *v, size_t *len,
			      const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static const char *tmp_printf(struct validator *v, size_t *len,
			      const char *fmt, ...)
{
	char buf[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf))
		n = 0;
	*len = (size_t)n;
	char *p = arena_strndup(&v->tmp, buf, (size_t)n);
	if (!p)
		v->oom = true;
	return p ? p : empty;
}

/* Decimal text of x in the per-response arena (no printf: it is hot). */
static const char *format_int(struct validator *v, long long x, size_t *len)
{
	char buf[24], *p = buf + sizeof(buf);
	unsigned long long u = x < 0 ? 0ULL - (unsigned long long)x
				     : (unsigned long long)x;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (x < 0)
		*--p = '-';
	*len = (size_t)(buf + sizeof(buf) - p);
	char *r = arena_strndup(&v->tmp, p, *len);
	if (!r) {
		v->oom = true;
		*len = 0;
		return empty;
	}
	return r;
}

static const char *format_double(struct validator *v, double d, size_t *len)
{
	if (d == floor(d) && fabs(d) < 1e15)
		return format_int(v, (long long)d, len);
	return tmp_printf(v, len, "%.17g", d);
}

static bool is_date(struct slice s)
{
	return expr_is_date(s);
}

/*
 * One answer as ingest() reads it: from a jansson document (jv_of) or
 * straight from the response's JSON text (the text reader below). Both
 * must give the same jv for the same JSON, so the cells are the same.
 */
enum jv_type {
	JV_NULL,
	JV_STRING,
	JV_INTEGER,
	JV_REAL,
	JV_TRUE,
	JV_FALSE,
	JV_ARRAY,
	JV_OBJECT,
};

struct jv {
	enum jv_type t;
	struct slice s;		/* JV_STRING: the decoded bytes */
	long long i;		/* JV_INTEGER */
	double d;		/* JV_REAL */
	/* JV_ARRAY: its elements, whether one is not a string, and the
	 * strings among the first INSTRUMENT_MAX_CHOICES (only where the
	 * item is a select_multiple; toks then has that many places) */
	size_t n;
	bool nonstring;
	size_t ntoks;
	struct slice *toks;
};

/* The jv of a jansson value; toks (may be NULL) gets an array's strings. */
static void jv_of(const json_t *x, struct jv *out, struct slice *toks)
{
	size_t i;
	json_t *e;

	memset(out, 0, sizeof(*out));
	out->toks = toks;
	switch (json_typeof(x)) {
	case JSON_STRING:
		out->t = JV_STRING;
		out->s = slice_make(json_string_value(x),
				    json_string_length(x));
		break;
	case JSON_INTEGER:
		out->t = JV_INTEGER;
		out->i = (long long)json_integer_value(x);
		break;
	case JSON_REAL:
		out->t = JV_REAL;
		out->d = json_real_value(x);
		break;
	case JSON_TRUE:
		out->t = JV_TRUE;
		break;
	case JSON_FALSE:
		out->t = JV_FALSE;
		break;
	case JSON_ARRAY:
		out->t = JV_ARRAY;
		out->n = json_array_size(x);
		json_array_foreach(x, i, e) {
			if (!json_is_string(e))
				out->nonstring = true;
			else if (toks && out->ntoks < INSTRUMENT_MAX_CHOICES)
				toks[out->ntoks++] = slice_make(
					json_string_value(e),
					json_string_length(e));
		}
		break;
	case JSON_OBJECT:
		out->t = JV_OBJECT;
		break;
	default:
		out->t = JV_NULL;
		break;
	}
}

static void ingest(struct validator *v, const struct item *it, int row,
		   const struct jv *val, struct cell *c)
{
	enum msg bad = M__MAX;
	struct slice s;
	size_t len;

	if (val->t == JV_NULL)
		return;
	switch (it->type) {
	case ITEM_TEXT:
		if (val->t != JV_STRING) {
			bad = M_TEXT;
			break;
		}
		set_cell(c, val->s.p, val->s.len);
		break;
	case ITEM_INTEGER:
		if (val->t == JV_INTEGER) {
			const char *p = format_int(v, val->i, &len);
			set_cell(c, p, len);
		} else if (val->t == JV_REAL && val->d == floor(val->d) &&
			   fabs(val->d) < 1e15) {
			const char *p = format_double(v, val->d, &len);
			set_cell(c, p, len);
		} else if (val->t == JV_STRING) {
			int64_t x;
			s = slice_trim(val->s);
			if (s.len == 0)
				break;
			if (num_parse_i64(s, &x)) {
				bad = M_INTEGER;
				break;
			}
			const char *p = format_int(v, (long long)x, &len);
			set_cell(c, p, len);
		} else {
			bad = M_INTEGER;
		}
		break;
	case ITEM_DECIMAL:
		if (val->t == JV_INTEGER || val->t == JV_REAL) {
			double d = val->t == JV_INTEGER ? (double)val->i
							: val->d;
			const char *p = format_double(v, d, &len);
			set_cell(c, p, len);
		} else if (val->t == JV_STRING) {
			double d;
			s = slice_trim(val->s);
			if (s.len == 0)
				break;
			if (num_parse_double(s, &d)) {
				bad = M_DECIMAL;
				break;
			}
			const char *p = format_double(v, d, &len);
			set_cell(c, p, len);
		} else {
			bad = M_DECIMAL;
		}
		break;
	case ITEM_DATE:
		if (val->t != JV_STRING) {
			bad = M_DATE;
			break;
		}
		s = slice_trim(val->s);
		if (s.len == 0)
			break;
		if (!is_date(s)) {
			bad = M_DATE;
			break;
		}
		set_cell(c, s.p, s.len);
		break;
	case ITEM_DATETIME:
		if (val->t != JV_STRING) {
			bad = M_DATETIME;
			break;
		}
		s = slice_trim(val->s);
		if (s.len == 0)
			break;
		if (!expr_is_datetime(s)) {
			bad = M_DATETIME;
			break;
		}
		set_cell(c, s.p, s.len);
		break;
	case ITEM_SELECT_ONE: {
		char nb[32];
		if (val->t == JV_STRING) {
			s = val->s;
		} else if (val->t == JV_INTEGER) {
			int k = snprintf(nb, sizeof(nb), "%lld", val->i);
			s = slice_make(nb, (size_t)k);
		} else {
			bad = M_TEXT;
			break;
		}
		if (s.len == 0)
			break;
		const struct choice *ch = item_find_choice(it, s.p, s.len);
		if (!ch) {
			char shown[128];
			snprintf(shown, sizeof(shown), "%.*s",
				 (int)(s.len > 100 ? 100 : s.len), s.p);
			report(v, false, path_of(v, it, row), VERR_NOT_IN_LIST,
			       M_NOT_IN_LIST, shown);
			c->bad = 1;
			break;
		}
		set_cell(c, ch->value, strlen(ch->value));
		break;
	}
	case ITEM_SELECT_MULTIPLE: {
		/* Canonical text: the values, space-separated, list order. */
		struct slice own[INSTRUMENT_MAX_CHOICES], *toks = own;
		size_t nt = 0, total = 0;
		bool err = false;
		if (val->t == JV_ARRAY) {
			/* a string that is not one, or too many */
			if (val->nonstring || val->n > INSTRUMENT_MAX_CHOICES ||
			    !val->toks) {
				bad = M_MULTI;
				break;
			}
			toks = val->toks;
			nt = val->ntoks;
		} else if (val->t == JV_STRING) {
			s = val->s;
			size_t i = 0;
			while (i < s.len && nt < INSTRUMENT_MAX_CHOICES) {
				while (i < s.len && s.p[i] == ' ')
					i++;
				size_t st = i;
				while (i < s.len && s.p[i] != ' ')
					i++;
				if (i > st)
					toks[nt++] = slice_make(s.p + st, i - st);
			}
		} else {
			bad = M_MULTI;
		}
		if (bad != M__MAX)
			break;
		for (size_t i = 0; i < nt; i++) {
			char shown[128];
			snprintf(shown, sizeof(shown), "%.*s",
				 (int)(toks[i].len > 100 ? 100 : toks[i].len),
				 toks[i].p);
			if (!item_find_choice(it, toks[i].p, toks[i].len)) {
				report(v, false, path_of(v, it, row),
				       VERR_NOT_IN_LIST, M_NOT_IN_LIST, shown);
				err = true;
				continue;
			}
			for (size_t j = 0; j < i; j++)
				if (slice_eq(toks[i], toks[j])) {
					report(v, false, path_of(v, it, row),
					       VERR_NOT_IN_LIST, M_DUP_CHOICE,
					       shown);
					err = true;
				}
			total += toks[i].len + 1;
		}
		if (err) {
			c->bad = 1;
			break;
		}
		if (!nt)
			break;
		char *p = arena_alloc(&v->tmp, total);
		if (!p) {
			v->oom = true;
			break;
		}
		size_t off = 0;
		for (size_t i = 0; i < nt; i++) {
			if (off)
				p[off++] = ' ';
			memcpy(p + off, toks[i].p, toks[i].len);
			off += toks[i].len;
		}
		set_cell(c, p, off);
		break;
	}
	default:
		break;
	}
	if (bad != M__MAX) {
		report(v, false, path_of(v, it, row), VERR_WRONG_TYPE, bad);
		c->bad = 1;
	}
}

static bool grow_rows(struct validator *v, struct rowset *rs, size_t ncols,
		      size_t rows)
{
	if (rows <= rs->cap)
		return true;
	size_t nc = rs->cap ? rs->cap : 4;
	while (nc < rows)
		nc *= 2;
	struct cell *p = realloc(rs->cells, nc * (ncols ? ncols : 1) *
						    sizeof(*p));
	if (!p) {
		v->oom = true;
		return false;
	}
	rs->cells = p;
	rs->cap = nc;
	return true;
}

static void ingest_repeat(struct validator *v, const struct item *r,
			  const json_t *val)
{
	struct rowset *rs = &v->rows[r->index];
	size_t ncols = v->pv->ncolumns[r->index];
	size_t n, i;
	json_t *row;

	if (json_is_null(val))
		return;
	if (!json_is_array(val)) {
		report(v, false, r->id, VERR_WRONG_TYPE, M_ROWS_TYPE);
		v->top[r->index].bad = 1;
		return;
	}
	n = json_array_size(val);
	if (n > INSTRUMENT_MAX_ROWS) {
		report(v, false, r->id, VERR_ROWS, M_MAX_ROWS,
		       r->max_rows ? r->max_rows : INSTRUMENT_MAX_ROWS);
		n = INSTRUMENT_MAX_ROWS;
	}
	if (!grow_rows(v, rs, ncols, n))
		return;
	rs->nrows = n;
	if (n && ncols)	/* cells is NULL until the first row ever */
		memset(rs->cells, 0, n * ncols * sizeof(*rs->cells));
	v->top[r->index].present = n > 0;
	json_array_foreach(val, i, row) {
		const char *key;
		json_t *x;
		if (i >= n)
			break;
		if (!json_is_object(row)) {
			char buf[256];
			snprintf(buf, sizeof(buf), "%s[%zu]", r->id, i + 1);
			const char *p = arena_strdup(&v->tmp, buf);
			report(v, false, p ? p : r->id, VERR_WRONG_TYPE,
			       M_ROW_TYPE);
			/* one error for the row, not one per question */
			for (size_t k = 0; k < ncols; k++)
				rs->cells[i * ncols + k].bad = 1;
			continue;
		}
		json_object_foreach((json_t *)row, key, x) {
			const struct item *it =
				instrument_find(v->ins, key, strlen(key));
			if (!it || it->repeat != (int)r->index) {
				char buf[256];
				snprintf(buf, sizeof(buf), "%s[%zu].%.100s",
					 r->id, i + 1, key);
				const char *p = arena_strdup(&v->tmp, buf);
				report(v, false, p ? p : r->id,
				       VERR_UNKNOWN_ITEM, M_UNKNOWN_IN_REPEAT,
				       key);
				continue;
			}
			if (it->type == ITEM_CALCULATE)
				continue;
			if (!item_is_answerable(it)) {
				report(v, false, path_of(v, it, (int)i),
				       VERR_READ_ONLY, M_NOTE, it->id,
				       item_type_name(it->type));
				continue;
			}
			struct jv jv;
			jv_of(x, &jv, it->type == ITEM_SELECT_MULTIPLE
					      ? v->toks : NULL);
			ingest(v, it, (int)i, &jv, cell_at(v, it->index, i));
		}
	}
}

static void ingest_response(struct validator *v, const json_t *resp)
{
	const char *key;
	json_t *val;

	json_object_foreach((json_t *)resp, key, val) {
		size_t klen = strlen(key);
		const struct item *it = instrument_find(v->ins, key, klen);
		if (!it || it->repeat >= 0) {
			char shown[128];
			snprintf(shown, sizeof(shown), "%.100s", key);
			const char *p = arena_strdup(&v->tmp, shown);
			report(v, false, p ? p : "?", VERR_UNKNOWN_ITEM,
			       it ? M_UNKNOWN_IN_REPEAT : M_UNKNOWN, shown);
			continue;
		}
		switch (it->type) {
		case ITEM_CALCULATE:
			break;	/* recomputed */
		case ITEM_NOTE:
		case ITEM_GROUP:
			report(v, false, it->id, VERR_READ_ONLY, M_NOTE, it->id,
			       item_type_name(it->type));
			break;
		case ITEM_REPEAT:
			ingest_repeat(v, it, val);
			break;
		default: {
			struct jv jv;
			jv_of(val, &jv, it->type == ITEM_SELECT_MULTIPLE
						? v->toks : NULL);
			ingest(v, it, -1, &jv, &v->top[it->index]);
			break;
		}
		}
	}
}

/* ---- reading the response from its JSON text ----------------------- */

/*
 * The store wrote the answers itself, so the text is nearly always
 * plain: the reader below fills the cells from it straight away, with no
 * jansson document. It takes a subset of what json_loadb() takes and
 * must give ingest() the same jv for every answer as jv_of() gives from
 * json_loadb()'s document. On anything else (an unknown or duplicate
 * key, an escape in a key, an odd number, invalid UTF-8, nesting deeper
 * than TEXT_MAX_DEPTH, a repeat that is not a list of objects, a note
 * with an answer) it gives up (-1) and the caller validates jansson's
 * document instead, so the outcome never differs
 * (tests/fuzz/instrument/fuzz_validate_text.c).
 */
#define TEXT_MAX_DEPTH 32

struct text {
	struct validator *v;
	const char *p, *end;
	int depth;
};

static void text_ws(struct text *t)
{
	while (t->p < t->end && (*t->p == ' ' || *t->p == '\n' ||
				 *t->p == '\r' || *t->p == '\t'))
		t->p++;
}

static bool text_word(struct text *t, const char *w, size_t n)
{
	if ((size_t)(t->end - t->p) < n || memcmp(t->p, w, n))
		return false;
	t->p += n;
	return true;
}

/*
 * The string whose opening quote is at t->p, checked as jansson checks
 * it; t->p past its closing quote. With out, its bytes: in the text
 * when it has no escape, else decoded into the per-response arena.
 */
static int text_string(struct text *t, struct slice *out)
{
	const char *start = t->p + 1, *q;
	bool esc;
	char *o;

	if (!(q = jsonlex_string_end(start, t->end, &esc)))
		return -1;
	t->p = q + 1;
	if (!out)
		return 0;
	if (!esc) {
		*out = slice_make(start, (size_t)(q - start));
		return 0;
	}
	if (!(o = arena_alloc(&t->v->tmp, (size_t)(q - start) + 1)))
		return -1;
	size_t n = jsonlex_unescape(start, q, o);
	o[n] = '\0';
	*out = slice_make(o, n);
	return 0;
}

static bool is_digit(const char *p, const char *end)
{
	return p < end && *p >= '0' && *p <= '9';
}

/* A number as jansson's lexer reads it: without '.', 'e' or 'E' an
 * integer (out of range: -1, jansson refuses it), else a real (not
 * finite: -1). */
static int text_number(struct text *t, struct jv *out)
{
	const char *p = t->p, *start = p;
	bool real = false;

	if (*p == '-')
		p++;
	if (!is_digit(p, t->end))
		return -1;
	if (*p == '0') {
		p++;
		if (is_digit(p, t->end))
			return -1;
	} else {
		while (is_digit(p, t->end))
			p++;
	}
	if (p < t->end && *p == '.') {
		p++;
		real = true;
		if (!is_digit(p, t->end))
			return -1;
		while (is_digit(p, t->end))
			p++;
	}
	if (p < t->end && (*p == 'e' || *p == 'E')) {
		p++;
		real = true;
		if (p < t->end && (*p == '+' || *p == '-'))
			p++;
		if (!is_digit(p, t->end))
			return -1;
		while (is_digit(p, t->end))
			p++;
	}
	t->p = p;
	struct slice s = slice_make(start, (size_t)(p - start));
	if (!real) {
		int64_t i;
		if (num_parse_i64(s, &i))
			return -1;
		out->t = JV_INTEGER;
		out->i = (long long)i;
		return 0;
	}
	if (num_parse_double(s, &out->d) || !isfinite(out->d))
		return -1;
	out->t = JV_REAL;
	return 0;
}

static int text_skip(struct text *t);

/* The elements of the array or the members of the object at t->p, each
 * checked and passed over. */
static int text_skip_container(struct text *t)
{
	char close = *t->p == '{' ? '}' : ']';
	bool obj = close == '}';

	if (++t->depth > TEXT_MAX_DEPTH)
		return -1;
	t->p++;
	text_ws(t);
	if (t->p < t->end && *t->p == close) {
		t->p++;
		t->depth--;
		return 0;
	}
	for (;;) {
		if (obj) {
			if (t->p >= t->end || *t->p != '"' ||
			    text_string(t, NULL))
				return -1;
			text_ws(t);
			if (t->p >= t->end || *t->p != ':')
				return -1;
			t->p++;
			text_ws(t);
		}
		if (text_skip(t))
			return -1;
		text_ws(t);
		if (t->p >= t->end)
			return -1;
		if (*t->p == close)
			break;
		if (*t->p != ',')
			return -1;
		t->p++;
		text_ws(t);
	}
	t->p++;
	t->depth--;
	return 0;
}

/* Pass over one value, checking it as jansson would. */
static int text_skip(struct text *t)
{
	struct jv num;

	if (t->p >= t->end)
		return -1;
	switch (*t->p) {
	case '{':
	case '[':
		return text_skip_container(t);
	case '"':
		return text_string(t, NULL);
	case 't':
		return text_word(t, "true", 4) ? 0 : -1;
	case 'f':
		return text_word(t, "false", 5) ? 0 : -1;
	case 'n':
		return text_word(t, "null", 4) ? 0 : -1;
	default:
		return text_number(t, &num);
	}
}

/* The answer at t->p for item it, as jv_of() makes it from jansson's. */
static int text_value(struct text *t, const struct item *it, struct jv *out)
{
	memset(out, 0, sizeof(*out));
	if (t->p >= t->end)
		return -1;
	switch (*t->p) {
	case '"':
		out->t = JV_STRING;
		return text_string(t, &out->s);
	case 't':
		out->t = JV_TRUE;
		return text_word(t, "true", 4) ? 0 : -1;
	case 'f':
		out->t = JV_FALSE;
		return text_word(t, "false", 5) ? 0 : -1;
	case 'n':
		out->t = JV_NULL;
		return text_word(t, "null", 4) ? 0 : -1;
	case '{':
		out->t = JV_OBJECT;
		return text_skip(t);
	case '[':
		break;
	default:
		return text_number(t, out);
	}
	out->t = JV_ARRAY;
	if (it->type != ITEM_SELECT_MULTIPLE)
		return text_skip(t);
	/* a select_multiple's list: its strings */
	out->toks = t->v->toks;
	if (++t->depth > TEXT_MAX_DEPTH)
		return -1;
	t->p++;
	text_ws(t);
	if (t->p < t->end && *t->p == ']') {
		t->p++;
		t->depth--;
		return 0;
	}
	for (;;) {
		struct slice s;
		if (t->p >= t->end)
			return -1;
		if (*t->p == '"') {
			if (text_string(t, &s))
				return -1;
			if (out->ntoks < INSTRUMENT_MAX_CHOICES)
				out->toks[out->ntoks++] = s;
		} else {
			if (text_skip(t))
				return -1;
			out->nonstring = true;
		}
		out->n++;
		text_ws(t);
		if (t->p >= t->end)
			return -1;
		if (*t->p == ']')
			break;
		if (*t->p != ',')
			return -1;
		t->p++;
		text_ws(t);
	}
	t->p++;
	t->depth--;
	return 0;
}

/*
 * A new object (the response or a row): the stamp its keys get in
 * v->seen. The response's items and a repeat's are apart, so a row does
 * not disturb the response's stamps. 0 when the stamps run out (they are
 * cleared; this response is left to jansson).
 */
static uint32_t text_new_object(struct validator *v)
{
	if (v->seen_gen == UINT32_MAX) {
		memset(v->seen, 0, v->ins->nitems * sizeof(*v->seen));
		v->seen_gen = 0;
		return 0;
	}
	return ++v->seen_gen;
}

/*
 * The key at t->p, up to its ':' and the value after it: an item not
 * yet seen in the object stamped gen, else NULL (the reader gives up).
 * *slot is the hint for this key (v->hint): stored responses list their
 * keys in the same order, so the item that followed last time is tried
 * before the hash table; *slot is then moved to this item's.
 */
static const struct item *text_key(struct text *t, uint32_t gen,
				   size_t *slot)
{
	const struct instrument *ins = t->v->ins;
	const struct item *it = NULL;
	const char *k;
	size_t len;

	if (t->p >= t->end || *t->p != '"')
		return NULL;
	k = ++t->p;
	/* the hinted id followed by the closing quote: that key (ids hold
	 * only letters, digits and '_', load.c, so the text is the id) */
	uint32_t h = t->v->hint[*slot];
	if (h) {
		len = t->v->idlen[h - 1];
		if ((size_t)(t->end - k) > len && k[len] == '"' &&
		    !memcmp(k, ins->items[h - 1].id, len)) {
			it = &ins->items[h - 1];
			t->p = k + len;
		}
	}
	if (!it) {
		/* item ids are plain ASCII: anything else is jansson's */
		while (t->p < t->end && *t->p != '"') {
			unsigned char c = (unsigned char)*t->p;
			if (c < 0x20 || c >= 0x80 || c == '\\')
				return NULL;
			t->p++;
		}
		if (t->p >= t->end)
			return NULL;
		len = (size_t)(t->p - k);
		if ((it = instrument_find(ins, k, len)))
			t->v->hint[*slot] = (uint32_t)it->index + 1;
	}
	if (it)
		*slot = it->index;
	t->p++;
	text_ws(t);
	if (!it || t->p >= t->end || *t->p != ':' ||
	    t->v->seen[it->index] == gen)
		return NULL;
	t->v->seen[it->index] = gen;
	t->p++;
	text_ws(t);
	return it;
}

/* After a member: 1 at the object's end (passed), 0 after a ',', -1. */
static int text_next(struct text *t, char close)
{
	text_ws(t);
	if (t->p >= t->end)
		return -1;
	if (*t->p == close) {
		t->p++;
		return 1;
	}
	if (*t->p != ',')
		return -1;
	t->p++;
	text_ws(t);
	return 0;
}

/* ingest_repeat() for the value at t->p: null, or a list of objects. */
static int text_repeat(struct text *t, const struct item *r)
{
	struct validator *v = t->v;
	struct rowset *rs = &v->rows[r->index];
	size_t ncols = v->pv->ncolumns[r->index], n = 0, slot;
	uint32_t gen;
	int k;

	if (t->p < t->end && *t->p == 'n')
		return text_word(t, "null", 4) ? 0 : -1;
	if (t->p >= t->end || *t->p != '[')
		return -1;
	t->p++;
	text_ws(t);
	if (t->p < t->end && *t->p == ']') {
		t->p++;
		return 0;
	}
	do {
		if (t->p >= t->end || *t->p != '{' ||
		    n == INSTRUMENT_MAX_ROWS || !grow_rows(v, rs, ncols, n + 1))
			return -1;
		if (ncols)
			memset(rs->cells + n * ncols, 0,
			       ncols * sizeof(*rs->cells));
		rs->nrows = ++n;
		v->top[r->index].present = 1;
		if (!(gen = text_new_object(v)))
			return -1;
		slot = v->ins->nitems + r->index;
		t->p++;
		text_ws(t);
		if (t->p < t->end && *t->p == '}') {
			t->p++;
		} else {
			do {
				const struct item *it = text_key(t, gen, &slot);
				if (!it || it->repeat != (int)r->index)
					return -1;
				if (it->type == ITEM_CALCULATE) {
					if (text_skip(t))
						return -1;
				} else {
					struct jv jv;
					if (!item_is_answerable(it) ||
					    text_value(t, it, &jv))
						return -1;
					ingest(v, it, (int)n - 1, &jv,
					       cell_at(v, it->index, n - 1));
				}
			} while (!(k = text_next(t, '}')));
			if (k < 0)
				return -1;
		}
	} while (!(k = text_next(t, ']')));
	return k < 0 ? -1 : 0;
}

/* ingest_response() from the text; -1: give up (see above). */
static int text_response(struct validator *v, const char *json, size_t len)
{
	struct text t = { v, json, json + len, 0 };
	size_t slot = 2 * v->ins->nitems;
	uint32_t gen;
	int k;

	text_ws(&t);
	if (t.p >= t.end || *t.p != '{')
		return -1;
	t.p++;
	text_ws(&t);
	if (!(gen = text_new_object(v)))
		return -1;
	if (t.p < t.end && *t.p == '}') {
		t.p++;
	} else {
		do {
			const struct item *it = text_key(&t, gen, &slot);
			if (!it || it->repeat >= 0)
				return -1;
			switch (it->type) {
			case ITEM_CALCULATE:
				if (text_skip(&t))
					return -1;
				break;
			case ITEM_NOTE:
			case ITEM_GROUP:
				return -1;
			case ITEM_REPEAT:
				if (text_repeat(&t, it))
					return -1;
				break;
			default: {
				struct jv jv;
				if (text_value(&t, it, &jv))
					return -1;
				ingest(v, it, -1, &jv, &v->top[it->index]);
				break;
			}
			}
		} while (!(k = text_next(&t, '}')));
		if (k < 0)
			return -1;
	}
	text_ws(&t);
	return t.p == t.end && !v->oom ? 0 : -1;
}

/* ---- relevance and calculations ------------------------------------- */

static bool parent_relevant(struct validator *v, const struct item *it,
			    size_t row)
{
	if (it->parent < 0)
		return true;
	const struct item *p = &v->ins->items[it->parent];
	if (p->repeat < 0)
		return v->top[p->index].relevant;
	struct cell *c = cell_at(v, p->index, row);
	return c && c->relevant;
}

static void eval_state(struct validator *v, const struct item *it, int row,
		       struct cell *c)
{
	bool rel = parent_relevant(v, it, row < 0 ? 0 : (size_t)row);

	if (rel && it->relevant)
		rel = eval_bool(v, it->relevant, it->relevant_src, it, row,
				NULL, (struct slice){ empty, 0 }, true, false);
	c->relevant = rel;
	if (it->type == ITEM_CALCULATE) {
		c->p = empty;
		c->len = 0;
		c->present = 0;
		if (!rel || !it->calculate)
			return;
		struct expr_ctx ctx;
		struct expr_value val;
		char nb[40];
		ctx_init(v, &ctx, (struct slice){ empty, 0 });
		if (expr_eval(it->calculate, &ctx, &val)) {
			report(v, false, path_of(v, it, row), VERR_EVAL, M_EVAL,
			       it->calculate_src,
			       ctx.error ? ctx.error : "?");
			return;
		}
		struct slice s = expr_to_str(&ctx, &val, nb, sizeof(nb));
		if (val.kind == EXPR_NUM && isnan(val.num))
			s = (struct slice){ empty, 0 };
		char *p = arena_strndup(&v->tmp, s.p, s.len);
		if (!p) {
			v->oom = true;
			return;
		}
		set_cell(c, p, s.len);
	}
}

static void eval_states(struct validator *v)
{
	const struct item *items = v->ins->items;

	for (size_t k = 0; k < v->pv->norder; k++) {
		const struct item *it = &items[v->pv->order[k]];
		if (it->repeat < 0) {
			v->cur_repeat = -1;
			v->cur_row = 0;
			eval_state(v, it, -1, &v->top[it->index]);
			continue;
		}
		struct rowset *rs = &v->rows[it->repeat];
		v->cur_repeat = it->repeat;
		for (size_t r = 0; r < rs->nrows; r++) {
			v->cur_row = r;
			eval_state(v, it, (int)r, cell_at(v, it->index, r));
		}
	}
	v->cur_repeat = -1;
	v->cur_row = 0;
}

/* ---- checks --------------------------------------------------------- */

static void check_cell(struct validator *v, const struct item *it, int row,
		       struct cell *c, bool warn_irrelevant)
{
	if (c->present && !c->relevant) {
		if (warn_irrelevant)
			report(v, true, path_of(v, it, row), VERR_NOT_RELEVANT,
			       M_NOT_RELEVANT);
		return;
	}
	if (!c->relevant || c->bad)
		return;
	if (!c->present) {
		bool req = it->required;
		if (!req && it->required_if)
			req = eval_bool(v, it->required_if, NULL, it, row,
					NULL, (struct slice){ empty, 0 }, false,
					false);
		if (req)
			report(v, false, path_of(v, it, row), VERR_REQUIRED,
			       M_REQUIRED);
		return;
	}
	if (it->constraint &&
	    !eval_bool(v, it->constraint, it->constraint_src, it, row, NULL,
		       (struct slice){ c->p, c->len }, true, false)) {
		const char *m = it->constraint_message.text[v->opts->lang];
		if (!m)
			m = i18n_get(&it->constraint_message, v->opts->lang);
		if (m && *m) {
			vlist_add(v, &v->errors, path_of(v, it, row),
				  VERR_CONSTRAINT, m);
		} else {
			char src[300];
			snprintf(src, sizeof(src), "%.280s", it->constraint_src);
			report(v, false, path_of(v, it, row), VERR_CONSTRAINT,
			       M_CONSTRAINT, src);
		}
	}
}

static void check_all(struct validator *v)
{
	const struct item *items = v->ins->items;
	size_t n = v->ins->nitems;

	for (size_t i = 0; i < n; i++) {
		const struct item *it = &items[i];
		if (it->type == ITEM_REPEAT) {
			struct cell *c = &v->top[i];
			size_t rows = v->rows[i].nrows;
			if (!c->relevant) {
				if (rows)
					report(v, true, it->id,
					       VERR_NOT_RELEVANT,
					       M_NOT_RELEVANT);
				continue;
			}
			if (c->bad)
				continue;
			if (rows < it->min_rows)
				report(v, false, it->id, VERR_ROWS, M_MIN_ROWS,
				       it->min_rows);
			else if (it->max_rows && rows > it->max_rows)
				report(v, false, it->id, VERR_ROWS, M_MAX_ROWS,
				       it->max_rows);
			continue;
		}
		if (!item_is_answerable(it))
			continue;
		if (it->repeat < 0) {
			check_cell(v, it, -1, &v->top[i], true);
			continue;
		}
		/* rows of a repeat that does not apply: one warning above */
		if (!v->top[it->repeat].relevant)
			continue;
		v->cur_repeat = it->repeat;
		for (size_t r = 0; r < v->rows[it->repeat].nrows; r++) {
			v->cur_row = r;
			check_cell(v, it, (int)r, cell_at(v, i, r), true);
		}
	}
	v->cur_repeat = -1;
	v->cur_row = 0;
}

static void eval_measures(struct validator *v)
{
	const struct instrument *ins = v->ins;
	struct slice none = { empty, 0 };

	for (size_t i = 0; i < ins->nindicators; i++) {
		const struct indicator *d = &ins->indicators[i];
		bool in = !d->population ||
			  eval_bool(v, d->population, d->population_src, NULL,
				    -1, d->id, none, false, true);
		v->in_pop[i] = in;
		v->met[i] = in && d->met &&
			    eval_bool(v, d->met, d->met_src, NULL, -1, d->id,
				      none, false, true);
	}
	for (size_t i = 0; i < ins->nfindings; i++) {
		const struct finding *f = &ins->findings[i];
		v->fired[i] = f->when && eval_bool(v, f->when, f->when_src,
						   NULL, -1, f->id, none, false,
						   true);
	}
}

/* ---- scores ---------------------------------------------------------- */

static bool scored_choice_value(const struct item *it, const struct cell *c,
				double *out)
{
	double s = 0;
	bool any = false;
	struct slice text = { c->p, c->len };

	if (!it->list || !c->relevant || !c->present)
		return false;
	size_t i = 0;
	while (i < text.len) {
		while (i < text.len && text.p[i] == ' ')
			i++;
		size_t st = i;
		while (i < text.len && text.p[i] != ' ')
			i++;
		if (i == st)
			break;
		const struct choice *ch =
			item_find_choice(it, text.p + st, i - st);
		if (ch && ch->has_score) {
			s += ch->score;
			any = true;
		}
	}
	*out = s;
	return any;
}

/* The nearest ancestor group of item i that has a score, or -1. */
static int scored_ancestor(const struct instrument *ins, size_t i)
{
	int p = ins->items[i].parent;
	while (p >= 0) {
		if (ins->items[p].score != SCORE_NONE)
			return p;
		p = ins->items[p].parent;
	}
	return -1;
}

static void eval_scores(struct validator *v)
{
	const struct instrument *ins = v->ins;
	size_t n = ins->nitems;
	double tot = 0, wsum = 0;
	bool any_group = false, any_score = false;

	for (size_t g = 0; g < n; g++) {
		v->scores[g] = NAN;
		if (ins->items[g].score == SCORE_NONE)
			continue;
		any_group = true;
		double sum = 0, w = 0;
		bool any = false;
		for (size_t j = g + 1; j < n; j++) {
			const struct item *it = &ins->items[j];
			if (it->depth <= ins->items[g].depth)
				break;	/* left g's subtree */
			if (it->repeat >= 0 || scored_ancestor(ins, j) != (int)g)
				continue;
			if (it->type != ITEM_SELECT_ONE &&
			    it->type != ITEM_SELECT_MULTIPLE)
				continue;
			double s;
			if (!scored_choice_value(it, &v->top[j], &s))
				continue;
			sum += it->weight * s;
			w += it->weight;
			any = true;
		}
		if (!any || !v->top[g].relevant)
			continue;
		v->scores[g] = ins->items[g].score == SCORE_SUM
				       ? sum
				       : (w > 0 ? sum / w : NAN);
	}
	v->res.overall_score = NAN;
	if (ins->score == SCORE_NONE || !any_group)
		return;
	for (size_t g = 0; g < n; g++) {
		if (ins->items[g].score == SCORE_NONE ||
		    scored_ancestor(ins, g) >= 0 || isnan(v->scores[g]))
			continue;
		tot += ins->items[g].weight * v->scores[g];
		wsum += ins->items[g].weight;
		any_score = true;
	}
	if (any_score)
		v->res.overall_score = ins->score == SCORE_SUM
					       ? tot
					       : (wsum > 0 ? tot / wsum : NAN);
}

/* ---- normalised response -------------------------------------------- */

static json_t *cell_json(const struct item *it, const struct cell *c)
{
	struct slice s = { c->p, c->len };
	double d;
	int64_t x;

	switch (it->type) {
	case ITEM_INTEGER:
		if (!num_parse_i64(s, &x))
			return json_integer(x);
		break;
	case ITEM_DECIMAL:
		if (!num_parse_double(s, &d))
			return json_real(d);
		break;
	case ITEM_SELECT_MULTIPLE: {
		json_t *a = json_array();
		size_t i = 0;
		if (!a)
			return NULL;
		while (i < s.len) {
			size_t st = i;
			while (i < s.len && s.p[i] != ' ')
				i++;
			if (json_array_append_new(a, json_stringn(s.p + st,
								  i - st))) {
				json_decref(a);
				return NULL;
			}
			i++;
		}
		return a;
	}
	case ITEM_CALCULATE:
		if (!num_parse_i64(s, &x))
			return json_integer(x);
		if (num_is_number(s) && !num_parse_double(s, &d))
			return json_real(d);
		break;
	default:
		break;
	}
	return json_stringn(s.p, s.len);
}

static json_t *build_normalised(struct validator *v)
{
	const struct instrument *ins = v->ins;
	json_t *o = json_object();

	if (!o)
		return NULL;
	for (size_t i = 0; i < ins->nitems; i++) {
		const struct item *it = &ins->items[i];
		const struct cell *c = &v->top[i];
		if (it->repeat >= 0 || !c->relevant)
			continue;
		if (it->type == ITEM_REPEAT) {
			const struct rowset *rs = &v->rows[i];
			json_t *arr = json_array();
			if (!arr)
				goto oom;
			for (size_t r = 0; r < rs->nrows; r++) {
				json_t *row = json_object();
				if (!row || json_array_append_new(arr, row)) {
					json_decref(arr);
					goto oom;
				}
				for (size_t j = i + 1; j < ins->nitems &&
						       ins->items[j].repeat == (int)i;
				     j++) {
					const struct item *ch = &ins->items[j];
					struct cell *cc = cell_at(v, j, r);
					if (!item_has_data(ch) || !cc ||
					    !cc->relevant || !cc->present)
						continue;
					json_t *jv = cell_json(ch, cc);
					if (!jv || json_object_set_new(row, ch->id, jv)) {
						json_decref(arr);
						goto oom;
					}
				}
			}
			if (rs->nrows && json_object_set_new(o, it->id, arr))
				goto oom;
			if (!rs->nrows)
				json_decref(arr);
			continue;
		}
		if (!item_has_data(it) || !c->present)
			continue;
		json_t *jv = cell_json(it, c);
		if (!jv || json_object_set_new(o, it->id, jv))
			goto oom;
	}
	return o;
oom:
	json_decref(o);
	return NULL;
}

/* ---- entry point ----------------------------------------------------- */

static void fill_context(struct validator *v, const struct vopts *o)
{
	const struct instrument_private *pv = v->pv;

	for (size_t i = 0; i < pv->nctx; i++) {
		const char *name = pv->ctx_names[i];
		const json_t *obj = !strncmp(name, "org.", 4) ? o->org
								: o->campaign;
		const char *attr = strchr(name, '.') + 1;
		const json_t *x = json_is_object(obj)
					  ? json_object_get(obj, attr)
					  : NULL;
		size_t len = 0;
		const char *p = empty;
		if (json_is_string(x)) {
			p = json_string_value(x);
			len = json_string_length(x);
		} else if (json_is_integer(x)) {
			p = format_int(v, (long long)json_integer_value(x), &len);
		} else if (json_is_real(x)) {
			p = format_double(v, json_real_value(x), &len);
		} else if (json_is_boolean(x)) {
			p = json_is_true(x) ? "true" : "false";
			len = strlen(p);
		}
		v->ctxvals[i] = (struct slice){ p, len };
	}
}

/* Set v up for a new response: nothing of the last one is left. */
static void begin(struct validator *v, const struct vopts *opts)
{
	const struct instrument *ins = v->ins;

	v->opts = opts;
	v->oom = false;
	arena_reset(&v->tmp);
	v->errors.n = 0;
	v->warnings.n = 0;
	memset(v->top, 0, ins->nitems * sizeof(*v->top));
	for (size_t i = 0; i < ins->nitems; i++)
		v->rows[i].nrows = 0;
	if (opts->today && expr_is_date(slice_from_cstr(opts->today))) {
		memcpy(v->today, opts->today, 10);
		v->today_at = 0;
	} else {
		time_t now = time(NULL);
		struct tm tm;
		/* the same second: the same date, without asking again */
		if (!now || now != v->today_at) {
			if (!localtime_r(&now, &tm) ||
			    strftime(v->today, sizeof(v->today), "%Y-%m-%d",
				     &tm) != 10)
				memcpy(v->today, "1970-01-01", 10);
			v->today_at = now;
		}
	}
	v->today[10] = '\0';
	v->cur_repeat = -1;
	v->cur_row = 0;
	fill_context(v, opts);
}

/* Everything after reading the answers into the cells. */
static enum mamori_err finish(struct validator *v,
			      const struct vresult **result)
{
	const struct instrument *ins = v->ins;

	eval_states(v);
	if (!v->opts->counts_only)
		check_all(v);
	eval_measures(v);
	memset(&v->res, 0, sizeof(v->res));
	eval_scores(v);
	v->res.errors = v->errors.v;
	v->res.nerrors = v->errors.n;
	v->res.warnings = v->warnings.v;
	v->res.nwarnings = v->warnings.n;
	v->res.valid = v->errors.n == 0;
	v->res.in_population = v->in_pop;
	v->res.met = v->met;
	v->res.fired = v->fired;
	v->res.scores = v->scores;
	for (size_t i = 0; i < ins->nitems; i++) {
		const struct item *it = &ins->items[i];
		if (it->repeat >= 0)
			continue;
		if ((item_is_answerable(it) || it->type == ITEM_REPEAT) &&
		    v->top[i].relevant) {
			v->res.applicable++;
			v->res.answered += v->top[i].present;
		}
	}
	if (v->opts->normalise) {
		v->res.normalised = build_normalised(v);
		if (!v->res.normalised)
			v->oom = true;
	}
	if (v->oom) {
		json_decref(v->res.normalised);
		v->res.normalised = NULL;
		return MAMORI_ENOMEM;
	}
	*result = &v->res;
	return MAMORI_OK;
}

static const struct vopts vopts_default = { .lang = LANG_JA };

static enum mamori_err validate_doc(struct validator *v, const json_t *resp,
				    const struct vopts *opts,
				    const struct vresult **result)
{
	if (!json_is_object(resp))
		return MAMORI_EINVAL;
	if (!opts)
		opts = &vopts_default;
	if ((unsigned)opts->lang >= LANG__MAX)
		return MAMORI_EINVAL;
	begin(v, opts);
	ingest_response(v, resp);
	return finish(v, result);
}

enum mamori_err instrument_validate(struct validator *v, const json_t *resp,
				    const struct vopts *opts,
				    const struct vresult **result)
{
	json_decref(v->doc);	/* the last text's cells pointed into it */
	v->doc = NULL;
	return validate_doc(v, resp, opts, result);
}

enum mamori_err instrument_validate_text(struct validator *v,
					 const char *json, size_t len,
					 const struct vopts *opts,
					 const struct vresult **result,
					 struct strbuf *err)
{
	json_error_t je;
	json_t *doc;
	enum mamori_err e;

	json_decref(v->doc);
	v->doc = NULL;
	if (!opts)
		opts = &vopts_default;
	if ((unsigned)opts->lang >= LANG__MAX)
		return MAMORI_EINVAL;
	if (json) {
		begin(v, opts);
		if (!text_response(v, json, len))
			return finish(v, result);
	}
	/* anything the text reader does not take: jansson decides, and
	 * the validation starts again from its document */
	if (!(doc = json_loadb(json ? json : "", json ? len : 0, 0, &je))) {
		if (err)
			strbuf_addstr(err, je.text);
		return MAMORI_EPARSE;
	}
	e = validate_doc(v, doc, opts, result);
	v->doc = doc;	/* the cells may point into it */
	return e;
}

bool validator_relevant(const struct validator *v, size_t item, size_t row)
{
	if (item >= v->ins->nitems)
		return false;
	const struct cell *c = cell_at((struct validator *)v, item, row);
	return c && c->relevant;
}

const char *validator_value(const struct validator *v, size_t item,
			    size_t row, size_t *len)
{
	const struct cell *c = item < v->ins->nitems
				       ? cell_at((struct validator *)v, item, row)
				       : NULL;
	if (!c || !c->relevant || !c->present) {
		if (len)
			*len = 0;
		return empty;
	}
	if (len)
		*len = c->len;
	return c->p;
}

size_t validator_rows(const struct validator *v, size_t repeat_item)
{
	if (repeat_item >= v->ins->nitems ||
	    v->ins->items[repeat_item].type != ITEM_REPEAT)
		return 0;
	return v->top[repeat_item].relevant ? v->rows[repeat_item].nrows : 0;
}
