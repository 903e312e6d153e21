/*
 * load.c - YAML instrument → struct instrument (docs/instrument-format.md).
 *
 * Reports every problem it finds as "file:line:col: what: message", not
 * only the first; never returns a half-checked instrument. Must never
 * trust the file: every size is bounded and every reference checked.
 */
#include "instrument/internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/num.h"
#include "util/ydoc.h"
#include "util/banned.h"

struct loader {
	struct ydoc doc;
	struct instrument *ins;
	struct instrument_private *pv;
	struct arena *a;
	struct strbuf *err;
	int nerr;
	int oom;
	unsigned langs;
	struct item *items;
	size_t nitems, cap;
	const struct ydoc_node **nodes;	/* the YAML node of each item */
	struct choice_list *lists;
	size_t nlists;
	int cur_repeat;			/* while compiling: enclosing repeat */
	size_t ctx_cap;
};

static const char *const header_keys[] = {
	"id", "version", "title", "description", "issuer", "respondent",
	"languages", "score", "choices", "items", "indicators", "findings",
	NULL
};

static const char *const item_keys[] = {
	"id", "type", "number", "label", "hint", "guidance", "required",
	"relevant", "constraint", "constraint_message", "calculate", "default",
	"read_only", "references", "items", "min_rows", "max_rows", "score",
	"weight", "tier", NULL
};

static const char *const choice_keys[] = { "value", "label", "score", NULL };

static const char *const indicator_keys[] = {
	"id", "label", "description", "population", "met", "polarity", NULL
};

static const char *const polarity_names[POLARITY__MAX] = {
	[POLARITY_NEUTRAL] = "neutral",
	[POLARITY_GOOD] = "good",
	[POLARITY_BAD] = "bad",
};

const char *indicator_polarity_name(enum indicator_polarity p)
{
	return (unsigned)p < POLARITY__MAX ? polarity_names[p] : "?";
}

static const char *const finding_keys[] = {
	"id", "severity", "title", "when", "advice", "references", NULL
};

static void lerr(struct loader *l, const struct ydoc_node *n, const char *what,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void lerr(struct loader *l, const struct ydoc_node *n, const char *what,
		 const char *fmt, ...)
{
	va_list ap;

	l->nerr++;
	if (n)
		strbuf_addf(l->err, "%s:%u:%u: ", l->doc.name, n->line, n->col);
	else
		strbuf_addf(l->err, "%s: ", l->doc.name);
	if (what)
		strbuf_addf(l->err, "%s: ", what);
	va_start(ap, fmt);
	strbuf_vaddf(l->err, fmt, ap);
	va_end(ap);
	strbuf_addch(l->err, '\n');
}

static char *dup_str(struct loader *l, struct slice s)
{
	char *p = arena_strndup(l->a, s.p, s.len);
	if (!p)
		l->oom = 1;
	return p;
}

/* The value of a required scalar key, or NULL (reported). */
static const struct ydoc_node *want_scalar(struct loader *l,
					   const struct ydoc_node *map,
					   const char *key, const char *what,
					   bool required)
{
	const struct ydoc_node *n = ydoc_get(map, key);
	if (!n) {
		if (required)
			lerr(l, map, what, "missing '%s'", key);
		return NULL;
	}
	if (n->kind != YDOC_SCALAR) {
		lerr(l, n, what, "'%s' must be a single value, not %s", key,
		     ydoc_kind_name(n->kind));
		return NULL;
	}
	return n;
}

static bool valid_id(struct slice s, bool dashes)
{
	if (s.len == 0 || s.len > 64)
		return false;
	char c = s.p[0];
	if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
		return false;
	for (size_t i = 1; i < s.len; i++) {
		c = s.p[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_')
			continue;
		if (dashes && (c == '-' || c == '.'))
			continue;
		return false;
	}
	return true;
}

/* A choice value or list name: letters, digits, _ - . (no spaces). */
static bool valid_token(struct slice s)
{
	if (s.len == 0 || s.len > 128)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		      c == '.'))
			return false;
	}
	return true;
}

static void parse_text(struct loader *l, const struct ydoc_node *map,
		       const char *key, const char *what, bool required,
		       struct i18n *out)
{
	const struct ydoc_node *n = ydoc_get(map, key);

	memset(out, 0, sizeof(*out));
	if (!n) {
		if (required)
			lerr(l, map, what, "missing '%s'", key);
		return;
	}
	if (n->kind == YDOC_SCALAR) {
		char *s = dup_str(l, n->str);
		for (int i = 0; i < LANG__MAX; i++)
			out->text[i] = s;
		return;
	}
	if (n->kind != YDOC_MAP) {
		lerr(l, n, what,
		     "'%s' must be a text or a mapping of languages ({ja: …, en: …})",
		     key);
		return;
	}
	for (size_t i = 0; i < n->n; i++) {
		const struct ydoc_node *k = n->pairs[i].key;
		const struct ydoc_node *v = n->pairs[i].value;
		int lang = lang_parse(k->str.p);
		if (lang < 0) {
			lerr(l, k, what, "%s: unknown language '%s' (use ja or en)",
			     key, k->str.p);
			continue;
		}
		if (v->kind != YDOC_SCALAR) {
			lerr(l, v, what, "%s.%s must be a text", key, k->str.p);
			continue;
		}
		out->text[lang] = dup_str(l, v->str);
	}
	for (int i = 0; i < LANG__MAX; i++)
		if ((l->langs & (1u << i)) && !out->text[i])
			lerr(l, n, what, "%s has no '%s' text", key,
			     lang_name(i));
}

static const struct i18n *parse_refs(struct loader *l,
				     const struct ydoc_node *map,
				     const char *what, size_t *count)
{
	const struct ydoc_node *n = ydoc_get(map, "references");
	struct i18n *r;

	*count = 0;
	if (!n)
		return NULL;
	if (n->kind != YDOC_SEQ) {
		lerr(l, n, what,
		     "'references' must be a list of texts (each a text or {ja: …, en: …})");
		return NULL;
	}
	r = arena_calloc(l->a, n->n ? n->n : 1, sizeof(*r));
	if (!r) {
		l->oom = 1;
		return NULL;
	}
	for (size_t i = 0; i < n->n; i++) {
		const struct ydoc_node *x = n->items[i];
		if (x->kind == YDOC_SCALAR) {
			char *s = dup_str(l, x->str);
			for (int k = 0; k < LANG__MAX; k++)
				r[i].text[k] = s;
		} else if (x->kind == YDOC_MAP) {
			/* parse_text reads map[key]: wrap the entry */
			struct ydoc_pair pair = { NULL, (struct ydoc_node *)x };
			struct ydoc_node key = { .kind = YDOC_SCALAR,
						 .line = x->line, .col = x->col,
						 .str = SLICE_LIT("reference") };
			struct ydoc_node wrap = { .kind = YDOC_MAP, .line = x->line,
						  .col = x->col, .n = 1,
						  .pairs = &pair };
			pair.key = &key;
			parse_text(l, &wrap, "reference", what, true, &r[i]);
		} else {
			lerr(l, x, what,
			     "each reference must be a text or {ja: …, en: …}");
		}
	}
	*count = n->n;
	return r;
}

static bool parse_number(struct loader *l, const struct ydoc_node *map,
			 const char *key, const char *what, double *out)
{
	const struct ydoc_node *n = want_scalar(l, map, key, what, false);
	if (!n)
		return false;
	if (num_parse_double(slice_trim(n->str), out)) {
		lerr(l, n, what, "'%s' must be a number, not '%s'", key,
		     n->str.p);
		return false;
	}
	return true;
}

static enum score_method parse_score(struct loader *l,
				     const struct ydoc_node *map,
				     const char *what)
{
	const struct ydoc_node *n = want_scalar(l, map, "score", what, false);
	if (!n)
		return SCORE_NONE;
	if (slice_eq_cstr(n->str, "sum"))
		return SCORE_SUM;
	if (slice_eq_cstr(n->str, "mean"))
		return SCORE_MEAN;
	lerr(l, n, what, "'score' must be 'sum' or 'mean', not '%s'", n->str.p);
	return SCORE_NONE;
}

static void parse_header(struct loader *l, const struct ydoc_node *root)
{
	static const char *const what = "instrument";
	struct instrument *ins = l->ins;
	const struct ydoc_node *n;

	ydoc_check_keys(&l->doc, root, header_keys, what, l->err) > 0 ?
		(void)(l->nerr++) : (void)0;
	n = ydoc_get(root, "languages");
	if (!n) {
		lerr(l, root, what, "missing 'languages' (e.g. [ja, en])");
	} else if (n->kind != YDOC_SEQ || n->n == 0) {
		lerr(l, n, what, "'languages' must be a list such as [ja, en]");
	} else {
		for (size_t i = 0; i < n->n; i++) {
			int lang = n->items[i]->kind == YDOC_SCALAR
					   ? lang_parse(n->items[i]->str.p)
					   : -1;
			if (lang < 0)
				lerr(l, n->items[i], what,
				     "unknown language (use ja or en)");
			else
				l->langs |= 1u << lang;
		}
	}
	ins->languages = l->langs;
	if ((n = want_scalar(l, root, "id", what, true))) {
		if (!valid_id(n->str, true))
			lerr(l, n, what,
			     "id '%s' must start with a letter and hold only letters, digits, '-', '_' and '.'",
			     n->str.p);
		ins->id = dup_str(l, n->str);
	}
	if ((n = want_scalar(l, root, "version", what, true)))
		ins->version = dup_str(l, n->str);
	if ((n = want_scalar(l, root, "issuer", what, true)))
		ins->issuer = dup_str(l, n->str);
	if ((n = want_scalar(l, root, "respondent", what, true)))
		ins->respondent = dup_str(l, n->str);
	parse_text(l, root, "title", what, true, &ins->title);
	parse_text(l, root, "description", what, false, &ins->description);
	ins->score = parse_score(l, root, what);
}

static void parse_choices(struct loader *l, const struct ydoc_node *root)
{
	const struct ydoc_node *n = ydoc_get(root, "choices");
	char what[200];

	if (!n)
		return;
	if (n->kind != YDOC_MAP) {
		lerr(l, n, "instrument",
		     "'choices' must map list names to lists of choices");
		return;
	}
	l->lists = arena_calloc(l->a, n->n ? n->n : 1, sizeof(*l->lists));
	if (!l->lists) {
		l->oom = 1;
		return;
	}
	for (size_t i = 0; i < n->n; i++) {
		const struct ydoc_node *k = n->pairs[i].key, *v = n->pairs[i].value;
		struct choice_list *cl = &l->lists[l->nlists++];
		struct choice *cs;

		snprintf(what, sizeof(what), "choices %s", k->str.p);
		cl->name = dup_str(l, k->str);
		if (!valid_token(k->str))
			lerr(l, k, what,
			     "a list name holds only letters, digits, '_', '-' and '.'");
		if (v->kind != YDOC_SEQ || v->n == 0) {
			lerr(l, v, what, "must be a non-empty list of choices");
			continue;
		}
		if (v->n > INSTRUMENT_MAX_CHOICES) {
			lerr(l, v, what, "more than %d choices",
			     INSTRUMENT_MAX_CHOICES);
			continue;
		}
		cs = arena_calloc(l->a, v->n, sizeof(*cs));
		if (!cs) {
			l->oom = 1;
			return;
		}
		for (size_t j = 0; j < v->n; j++) {
			const struct ydoc_node *c = v->items[j], *val;
			if (c->kind != YDOC_MAP) {
				lerr(l, c, what,
				     "each choice must be a mapping with value and label");
				continue;
			}
			if (ydoc_check_keys(&l->doc, c, choice_keys, what, l->err))
				l->nerr++;
			if ((val = want_scalar(l, c, "value", what, true))) {
				if (!valid_token(val->str))
					lerr(l, val, what,
					     "choice value '%s' may hold only letters, digits, '_', '-' and '.'",
					     val->str.p);
				for (size_t k2 = 0; k2 < j; k2++)
					if (cs[k2].value &&
					    slice_eq_cstr(val->str, cs[k2].value))
						lerr(l, val, what,
						     "duplicate choice value '%s'",
						     val->str.p);
				cs[j].value = dup_str(l, val->str);
			}
			parse_text(l, c, "label", what, true, &cs[j].label);
			cs[j].has_score = parse_number(l, c, "score", what,
						       &cs[j].score);
		}
		cl->choices = cs;
		cl->n = v->n;
	}
}

static const struct choice_list *find_list(struct loader *l, struct slice name)
{
	for (size_t i = 0; i < l->nlists; i++)
		if (l->lists[i].name && slice_eq_cstr(name, l->lists[i].name))
			return &l->lists[i];
	return NULL;
}

static size_t count_items(const struct ydoc_node *seq, int depth)
{
	size_t n = 0;

	if (!seq || seq->kind != YDOC_SEQ || depth > INSTRUMENT_MAX_GROUP_DEPTH + 2)
		return 0;
	for (size_t i = 0; i < seq->n; i++) {
		n++;
		n += count_items(ydoc_get(seq->items[i], "items"), depth + 1);
	}
	return n;
}

static const struct {
	const char *name;
	enum item_type type;
} type_table[] = {
	{ "note", ITEM_NOTE },
	{ "text", ITEM_TEXT },
	{ "integer", ITEM_INTEGER },
	{ "decimal", ITEM_DECIMAL },
	{ "date", ITEM_DATE },
	{ "datetime", ITEM_DATETIME },
	{ "select_one", ITEM_SELECT_ONE },
	{ "select_multiple", ITEM_SELECT_MULTIPLE },
	{ "calculate", ITEM_CALCULATE },
	{ "group", ITEM_GROUP },
	{ "repeat", ITEM_REPEAT },
};

static void parse_items(struct loader *l, const struct ydoc_node *seq,
			int parent, int repeat, unsigned depth);

/* Keys that only some types may carry. */
static void check_type_keys(struct loader *l, const struct ydoc_node *n,
			    const struct item *it, const char *what)
{
	static const struct {
		const char *key;
		unsigned types;	/* bit per enum item_type */
		const char *which;
	} rules[] = {
#define ANSWERABLE ((1u << ITEM_TEXT) | (1u << ITEM_INTEGER) | \
		    (1u << ITEM_DECIMAL) | (1u << ITEM_DATE) |     \
		    (1u << ITEM_DATETIME) | (1u << ITEM_SELECT_ONE) | \
		    (1u << ITEM_SELECT_MULTIPLE))
		{ "required", ANSWERABLE, "a question" },
		{ "constraint", ANSWERABLE, "a question" },
		{ "constraint_message", ANSWERABLE, "a question" },
		{ "default", ANSWERABLE, "a question" },
		{ "read_only", ANSWERABLE, "a question" },
		{ "calculate", 1u << ITEM_CALCULATE, "a calculate item" },
		{ "items", (1u << ITEM_GROUP) | (1u << ITEM_REPEAT),
		  "a group or repeat" },
		{ "min_rows", 1u << ITEM_REPEAT, "a repeat" },
		{ "max_rows", 1u << ITEM_REPEAT, "a repeat" },
		{ "score", 1u << ITEM_GROUP, "a group" },
		{ "weight",
		  (1u << ITEM_GROUP) | (1u << ITEM_SELECT_ONE) |
			  (1u << ITEM_SELECT_MULTIPLE),
		  "a group or a select question" },
#undef ANSWERABLE
	};
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		const struct ydoc_node *k = ydoc_get_key(n, rules[i].key);
		if (k && !(rules[i].types & (1u << it->type)))
			lerr(l, k, what, "'%s' applies only to %s, not to a %s",
			     rules[i].key, rules[i].which,
			     item_type_name(it->type));
	}
}

static bool parse_bool(struct slice s, bool *out)
{
	if (slice_eq_cstr(s, "true") || slice_eq_cstr(s, "yes") ||
	    slice_eq_cstr(s, "True") || slice_eq_cstr(s, "TRUE")) {
		*out = true;
		return true;
	}
	if (slice_eq_cstr(s, "false") || slice_eq_cstr(s, "no") ||
	    slice_eq_cstr(s, "False") || slice_eq_cstr(s, "FALSE")) {
		*out = false;
		return true;
	}
	return false;
}

static void parse_item(struct loader *l, const struct ydoc_node *n, int parent,
		       int repeat, unsigned depth)
{
	struct item *it;
	const struct ydoc_node *v;
	char what[200];
	size_t idx;

	if (l->nitems >= l->cap) {
		lerr(l, n, "instrument", "more than %d items",
		     INSTRUMENT_MAX_ITEMS);
		return;
	}
	idx = l->nitems++;
	it = &l->items[idx];
	l->nodes[idx] = n;
	it->index = idx;
	it->parent = parent;
	it->repeat = repeat;
	it->depth = depth;
	it->line = n->line;
	it->col = n->col;
	it->weight = 1;
	it->type = ITEM_NOTE;
	if (n->kind != YDOC_MAP) {
		lerr(l, n, "item", "each item must be a mapping (id: …, type: …)");
		it->id = "";
		return;
	}
	v = want_scalar(l, n, "id", "item", true);
	if (v) {
		it->id = dup_str(l, v->str);
		if (!valid_id(v->str, false))
			lerr(l, v, "item",
			     "id '%s' must start with a letter and hold only letters, digits and '_' (at most 64)",
			     v->str.p);
	} else {
		it->id = "";
	}
	snprintf(what, sizeof(what), "item %s", it->id);
	if (ydoc_check_keys(&l->doc, n, item_keys, what, l->err))
		l->nerr++;

	v = want_scalar(l, n, "type", what, true);
	if (v) {
		struct slice rest, head;
		rest = slice_cut(slice_trim(v->str), ' ', &head);
		size_t t;
		for (t = 0; t < sizeof(type_table) / sizeof(type_table[0]); t++)
			if (slice_eq_cstr(head, type_table[t].name))
				break;
		if (t == sizeof(type_table) / sizeof(type_table[0])) {
			lerr(l, v, what,
			     "unknown type '%s' (note, text, integer, decimal, date, datetime, select_one LIST, select_multiple LIST, calculate, group, repeat)",
			     v->str.p);
		} else {
			it->type = type_table[t].type;
			rest = slice_trim(rest);
			if (it->type == ITEM_SELECT_ONE ||
			    it->type == ITEM_SELECT_MULTIPLE) {
				if (!rest.len) {
					lerr(l, v, what,
					     "'%s' needs a choice list name: '%s LIST'",
					     type_table[t].name,
					     type_table[t].name);
				} else if (!(it->list = find_list(l, rest))) {
					lerr(l, v, what,
					     "unknown choice list '%.*s'",
					     (int)rest.len, rest.p);
				}
			} else if (rest.len) {
				lerr(l, v, what,
				     "type '%s' takes no list name",
				     type_table[t].name);
			}
		}
	}
	check_type_keys(l, n, it, what);
	if ((v = want_scalar(l, n, "number", what, false)))
		it->number = dup_str(l, v->str);
	parse_text(l, n, "label", what,
		   it->type != ITEM_CALCULATE, &it->label);
	parse_text(l, n, "hint", what, false, &it->hint);
	parse_text(l, n, "guidance", what, false, &it->guidance);
	parse_text(l, n, "constraint_message", what, false,
		   &it->constraint_message);
	it->references = parse_refs(l, n, what, &it->nreferences);
	if ((v = want_scalar(l, n, "read_only", what, false)) &&
	    !parse_bool(v->str, &it->read_only))
		lerr(l, v, what, "'read_only' must be true or false");
	if ((v = want_scalar(l, n, "required", what, false))) {
		bool b;
		if (v->plain && parse_bool(v->str, &b))
			it->required = b;
		/* else an expression, compiled later */
	}
	if (it->type == ITEM_CALCULATE && !ydoc_get(n, "calculate"))
		lerr(l, n, what, "a calculate item needs 'calculate'");
	parse_number(l, n, "weight", what, &it->weight);
	if (!(it->weight >= 0) || !isfinite(it->weight)) {
		lerr(l, ydoc_get(n, "weight"), what,
		     "'weight' must not be negative");
		it->weight = 1;
	}
	it->score = parse_score(l, n, what);
	if ((v = want_scalar(l, n, "tier", what, false))) {
		if (slice_eq_cstr(v->str, "basic"))
			it->tier = TIER_BASIC;
		else if (slice_eq_cstr(v->str, "desirable"))
			it->tier = TIER_DESIRABLE;
		else
			lerr(l, v, what,
			     "'tier' must be 'basic' or 'desirable', not '%s'",
			     v->str.p);
	}
	if (it->type == ITEM_REPEAT) {
		double d;
		if (parse_number(l, n, "min_rows", what, &d)) {
			if (d < 0 || d > INSTRUMENT_MAX_ROWS || d != floor(d))
				lerr(l, ydoc_get(n, "min_rows"), what,
				     "'min_rows' must be a whole number from 0 to %d",
				     INSTRUMENT_MAX_ROWS);
			else
				it->min_rows = (unsigned)d;
		}
		if (parse_number(l, n, "max_rows", what, &d)) {
			if (d < 1 || d > INSTRUMENT_MAX_ROWS || d != floor(d))
				lerr(l, ydoc_get(n, "max_rows"), what,
				     "'max_rows' must be a whole number from 1 to %d",
				     INSTRUMENT_MAX_ROWS);
			else
				it->max_rows = (unsigned)d;
		}
		if (it->max_rows && it->min_rows > it->max_rows)
			lerr(l, ydoc_get(n, "max_rows"), what,
			     "'max_rows' is smaller than 'min_rows'");
		if (repeat >= 0)
			lerr(l, n, what, "a repeat cannot hold another repeat");
	}
	if (it->type == ITEM_GROUP || it->type == ITEM_REPEAT) {
		const struct ydoc_node *kids = ydoc_get(n, "items");
		if (!kids || kids->kind != YDOC_SEQ || kids->n == 0) {
			lerr(l, kids ? kids : n, what,
			     "a %s needs a non-empty list of 'items'",
			     item_type_name(it->type));
			return;
		}
		if (depth + 1 > INSTRUMENT_MAX_GROUP_DEPTH) {
			lerr(l, kids, what, "groups nested deeper than %d levels",
			     INSTRUMENT_MAX_GROUP_DEPTH);
			return;
		}
		size_t *kidx = arena_alloc(l->a, kids->n * sizeof(size_t));
		if (!kidx) {
			l->oom = 1;
			return;
		}
		size_t first = l->nitems;
		parse_items(l, kids, (int)idx,
			    it->type == ITEM_REPEAT ? (int)idx : repeat,
			    depth + 1);
		/* direct children: walk the subtree just added */
		size_t k = 0;
		for (size_t j = first; j < l->nitems; j++)
			if (l->items[j].parent == (int)idx)
				kidx[k++] = j;
		/* it may have moved? no: items is a fixed array */
		l->items[idx].children = kidx;
		l->items[idx].nchildren = k;
	}
}

static void parse_items(struct loader *l, const struct ydoc_node *seq,
			int parent, int repeat, unsigned depth)
{
	for (size_t i = 0; i < seq->n; i++)
		parse_item(l, seq->items[i], parent, repeat, depth);
}

static void build_hash(struct loader *l)
{
	struct instrument_private *pv = l->pv;
	size_t size = 16;

	while (size < l->nitems * 2)
		size *= 2;
	pv->htab = arena_calloc(l->a, size, sizeof(*pv->htab));
	if (!pv->htab) {
		l->oom = 1;
		return;
	}
	pv->hmask = size - 1;
	for (size_t i = 0; i < l->nitems; i++) {
		const struct item *it = &l->items[i];
		size_t len = strlen(it->id);
		if (!len)
			continue;
		size_t h = instrument_hash(it->id, len) & pv->hmask;
		bool dup = false;
		while (pv->htab[h]) {
			const struct item *o = &l->items[pv->htab[h] - 1];
			if (!strcmp(o->id, it->id)) {
				char what[200];
				snprintf(what, sizeof(what), "item %s", it->id);
				lerr(l, ydoc_get(l->nodes[i], "id"), what,
				     "duplicate id '%s' (first at line %u)",
				     it->id, o->line);
				dup = true;
				break;
			}
			h = (h + 1) & pv->hmask;
		}
		if (!dup)
			pv->htab[h] = (uint32_t)i + 1;
	}
}

/* ---- expressions ---------------------------------------------------- */

static int resolve(void *ud, struct slice name, enum expr_ref_kind *kind)
{
	struct loader *l = ud;
	struct instrument_private *pv = l->pv;

	*kind = EXPR_REF_VALUE;
	if (slice_starts_with(name, SLICE_LIT("org.")) ||
	    slice_starts_with(name, SLICE_LIT("campaign."))) {
		struct slice attr = name;
		(void)slice_cut(name, '.', &attr);
		if (name.len > 128 || name.len == attr.len + 1)
			return -1;
		for (size_t i = 0; i < pv->nctx; i++)
			if (slice_eq_cstr(name, pv->ctx_names[i]))
				return (int)(l->nitems + i);
		if (pv->nctx == l->ctx_cap) {
			size_t nc = l->ctx_cap ? l->ctx_cap * 2 : 8;
			const char **p = arena_alloc(l->a, nc * sizeof(*p));
			if (!p)
				return -1;
			if (pv->nctx)
				memcpy(p, pv->ctx_names,
				       pv->nctx * sizeof(*p));
			pv->ctx_names = p;
			l->ctx_cap = nc;
		}
		pv->ctx_names[pv->nctx] = arena_strndup(l->a, name.p, name.len);
		if (!pv->ctx_names[pv->nctx])
			return -1;
		return (int)(l->nitems + pv->nctx++);
	}
	if (!pv->htab)
		return -1;
	const struct item *t = instrument_find(l->ins, name.p, name.len);
	if (!t)
		return -1;
	if (t->type == ITEM_REPEAT ||
	    (t->repeat >= 0 && t->repeat != l->cur_repeat))
		*kind = EXPR_REF_SET;
	return (int)t->index;
}

/* Compile map[key] if present; the expression's errors are located. */
static const struct expr *compile_key(struct loader *l,
				      const struct ydoc_node *map,
				      const char *key, const char *what,
				      bool dot, const char **src_out)
{
	const struct ydoc_node *n = ydoc_get(map, key);
	struct expr_env env = { .resolve = resolve, .ud = l, .allow_dot = dot };
	struct strbuf msg = STRBUF_INIT;
	struct expr *e = NULL;
	enum mamori_err rc;

	if (!n)
		return NULL;
	if (n->kind != YDOC_SCALAR) {
		lerr(l, n, what, "'%s' must be an expression (a text)", key);
		return NULL;
	}
	if (slice_trim(n->str).len == 0) {
		lerr(l, n, what, "'%s' is empty", key);
		return NULL;
	}
	rc = expr_compile(l->a, n->str.p, &env, &e, &msg);
	if (rc == MAMORI_ENOMEM) {
		l->oom = 1;
	} else if (rc) {
		lerr(l, n, what, "%s: %s", key, msg.buf);
		e = NULL;
	}
	strbuf_release(&msg);
	if (src_out)
		*src_out = dup_str(l, n->str);
	return e;
}

static void compile_items(struct loader *l)
{
	char what[200];

	for (size_t i = 0; i < l->nitems; i++) {
		struct item *it = &l->items[i];
		const struct ydoc_node *n = l->nodes[i];
		const struct ydoc_node *req;

		if (n->kind != YDOC_MAP)
			continue;
		snprintf(what, sizeof(what), "item %s", it->id);
		/* an item's own expressions see its repeat's rows as values;
		 * a repeat's own relevance is outside its rows */
		l->cur_repeat = it->repeat;
		it->relevant = compile_key(l, n, "relevant", what, false,
					   &it->relevant_src);
		if (it->type == ITEM_CALCULATE)
			it->calculate = compile_key(l, n, "calculate", what,
						    false, &it->calculate_src);
		if (item_is_answerable(it)) {
			it->constraint = compile_key(l, n, "constraint", what,
						     true, &it->constraint_src);
			it->default_expr = compile_key(l, n, "default", what,
						       false, NULL);
			req = ydoc_get(n, "required");
			bool b;
			if (req && req->kind == YDOC_SCALAR &&
			    !(req->plain && parse_bool(req->str, &b)))
				it->required_if = compile_key(l, n, "required",
							      what, false,
							      NULL);
		}
	}
	l->cur_repeat = -1;
}

/* ---- dependency order ---------------------------------------------- */

static size_t item_deps(const struct loader *l, size_t i, size_t *out,
			size_t cap)
{
	const struct item *it = &l->items[i];
	const struct expr *ex[3] = { it->relevant, it->calculate,
				     it->required_if };
	size_t n = 0;

	if (it->parent >= 0 && n < cap)
		out[n++] = (size_t)it->parent;
	for (int k = 0; k < 3; k++) {
		const int *refs;
		size_t nr;
		if (!ex[k])
			continue;
		nr = expr_refs(ex[k], &refs);
		for (size_t j = 0; j < nr && n < cap; j++)
			if (refs[j] >= 0 && (size_t)refs[j] < l->nitems &&
			    (size_t)refs[j] != i)
				out[n++] = (size_t)refs[j];
			else if ((size_t)refs[j] == i)
				out[n++] = i;	/* self-reference: a cycle */
	}
	return n;
}

static void order_items(struct loader *l)
{
	size_t n = l->nitems;
	size_t *indeg = calloc(n ? n : 1, sizeof(size_t));
	size_t *start = calloc(n + 1, sizeof(size_t));
	size_t *adj = NULL, *queue = NULL, *fill = NULL;
	size_t dep[300], nd, total = 0, head = 0, tail = 0;

	if (!indeg || !start)
		goto oom;
	/* edges dep -> item, in CSR form indexed by dep */
	for (size_t i = 0; i < n; i++) {
		nd = item_deps(l, i, dep, 300);
		indeg[i] = nd;
		for (size_t j = 0; j < nd; j++)
			start[dep[j] + 1]++;
		total += nd;
	}
	for (size_t i = 0; i < n; i++)
		start[i + 1] += start[i];
	adj = malloc((total ? total : 1) * sizeof(size_t));
	fill = calloc(n ? n : 1, sizeof(size_t));
	queue = malloc((n ? n : 1) * sizeof(size_t));
	if (!adj || !fill || !queue)
		goto oom;
	for (size_t i = 0; i < n; i++) {
		nd = item_deps(l, i, dep, 300);
		for (size_t j = 0; j < nd; j++)
			adj[start[dep[j]] + fill[dep[j]]++] = i;
	}
	for (size_t i = 0; i < n; i++)
		if (!indeg[i])
			queue[tail++] = i;
	while (head < tail) {
		size_t d = queue[head++];
		for (size_t k = start[d]; k < start[d + 1]; k++)
			if (--indeg[adj[k]] == 0)
				queue[tail++] = adj[k];
	}
	if (tail < n) {
		/* Walk back along dependencies inside the remainder. */
		size_t cur = 0, path[64], plen = 0;
		while (cur < n && !indeg[cur])
			cur++;
		bool *seen = calloc(n, sizeof(bool));
		if (!seen)
			goto oom;
		while (!seen[cur] && plen < 64) {
			seen[cur] = true;
			path[plen++] = cur;
			nd = item_deps(l, cur, dep, 300);
			size_t next = cur;
			for (size_t j = 0; j < nd; j++)
				if (indeg[dep[j]]) {
					next = dep[j];
					break;
				}
			cur = next;
		}
		struct strbuf cyc = STRBUF_INIT;
		size_t from = 0;
		while (from < plen && path[from] != cur)
			from++;
		for (size_t j = from; j < plen; j++)
			strbuf_addf(&cyc, "%s -> ", l->items[path[j]].id);
		strbuf_addstr(&cyc, l->items[cur].id);
		char what[200];
		snprintf(what, sizeof(what), "item %s", l->items[cur].id);
		lerr(l, l->nodes[cur], what,
		     "relevance and calculations form a cycle: %s", cyc.buf);
		strbuf_release(&cyc);
		free(seen);
	}
	l->pv->order = arena_alloc(l->a, (tail ? tail : 1) * sizeof(size_t));
	if (!l->pv->order)
		goto oom;
	memcpy(l->pv->order, queue, tail * sizeof(size_t));
	l->pv->norder = tail;
	goto out;
oom:
	l->oom = 1;
out:
	free(indeg);
	free(start);
	free(adj);
	free(fill);
	free(queue);
}

static void assign_columns(struct loader *l)
{
	struct instrument_private *pv = l->pv;

	pv->column = arena_calloc(l->a, l->nitems ? l->nitems : 1,
				  sizeof(size_t));
	pv->ncolumns = arena_calloc(l->a, l->nitems ? l->nitems : 1,
				    sizeof(size_t));
	if (!pv->column || !pv->ncolumns) {
		l->oom = 1;
		return;
	}
	for (size_t i = 0; i < l->nitems; i++) {
		const struct item *it = &l->items[i];
		if (it->repeat >= 0)
			pv->column[i] = pv->ncolumns[it->repeat]++;
		if (item_is_answerable(it))
			pv->nanswerable++;
	}
}

/* ---- indicators and findings ---------------------------------------- */

static void parse_indicators(struct loader *l, const struct ydoc_node *root)
{
	const struct ydoc_node *seq = ydoc_get(root, "indicators");
	struct indicator *ind;
	char what[200];

	if (!seq)
		return;
	if (seq->kind != YDOC_SEQ) {
		lerr(l, seq, "instrument", "'indicators' must be a list");
		return;
	}
	ind = arena_calloc(l->a, seq->n ? seq->n : 1, sizeof(*ind));
	if (!ind) {
		l->oom = 1;
		return;
	}
	l->cur_repeat = -1;
	for (size_t i = 0; i < seq->n; i++) {
		const struct ydoc_node *n = seq->items[i], *v;
		struct indicator *d = &ind[i];
		d->index = i;
		d->id = "";
		if (n->kind != YDOC_MAP) {
			lerr(l, n, "indicator", "each indicator must be a mapping");
			continue;
		}
		if ((v = want_scalar(l, n, "id", "indicator", true))) {
			d->id = dup_str(l, v->str);
			if (!valid_id(v->str, false))
				lerr(l, v, "indicator",
				     "id '%s' must start with a letter and hold only letters, digits and '_'",
				     v->str.p);
			for (size_t j = 0; j < i; j++)
				if (!strcmp(ind[j].id, d->id))
					lerr(l, v, "indicator",
					     "duplicate indicator id '%s'",
					     d->id);
		}
		snprintf(what, sizeof(what), "indicator %s", d->id);
		if (ydoc_check_keys(&l->doc, n, indicator_keys, what, l->err))
			l->nerr++;
		parse_text(l, n, "label", what, true, &d->label);
		parse_text(l, n, "description", what, false, &d->description);
		d->population = compile_key(l, n, "population", what, false,
					    &d->population_src);
		d->met = compile_key(l, n, "met", what, false, &d->met_src);
		if (!ydoc_get(n, "met"))
			lerr(l, n, what, "missing 'met'");
		if ((v = want_scalar(l, n, "polarity", what, false))) {
			int p;
			for (p = 0; p < POLARITY__MAX; p++)
				if (slice_eq_cstr(v->str, polarity_names[p]))
					break;
			if (p == POLARITY__MAX)
				lerr(l, v, what,
				     "'polarity' must be 'good', 'bad' or 'neutral', not '%s'",
				     v->str.p);
			else
				d->polarity = p;
		}
	}
	l->ins->indicators = ind;
	l->ins->nindicators = seq->n;
}

static void parse_findings(struct loader *l, const struct ydoc_node *root)
{
	const struct ydoc_node *seq = ydoc_get(root, "findings");
	struct finding *fd;
	char what[200];

	if (!seq)
		return;
	if (seq->kind != YDOC_SEQ) {
		lerr(l, seq, "instrument", "'findings' must be a list");
		return;
	}
	fd = arena_calloc(l->a, seq->n ? seq->n : 1, sizeof(*fd));
	if (!fd) {
		l->oom = 1;
		return;
	}
	l->cur_repeat = -1;
	for (size_t i = 0; i < seq->n; i++) {
		const struct ydoc_node *n = seq->items[i], *v;
		struct finding *f = &fd[i];
		f->index = i;
		f->id = "";
		if (n->kind != YDOC_MAP) {
			lerr(l, n, "finding", "each finding must be a mapping");
			continue;
		}
		if ((v = want_scalar(l, n, "id", "finding", true))) {
			f->id = dup_str(l, v->str);
			if (!valid_id(v->str, false))
				lerr(l, v, "finding",
				     "id '%s' must start with a letter and hold only letters, digits and '_'",
				     v->str.p);
			for (size_t j = 0; j < i; j++)
				if (!strcmp(fd[j].id, f->id))
					lerr(l, v, "finding",
					     "duplicate finding id '%s'", f->id);
		}
		snprintf(what, sizeof(what), "finding %s", f->id);
		if (ydoc_check_keys(&l->doc, n, finding_keys, what, l->err))
			l->nerr++;
		if ((v = want_scalar(l, n, "severity", what, true))) {
			int s;
			for (s = 0; s < SEV__MAX; s++)
				if (slice_eq_cstr(v->str, severity_name(s)))
					break;
			if (s == SEV__MAX)
				lerr(l, v, what,
				     "severity must be info, low, medium, high or critical, not '%s'",
				     v->str.p);
			else
				f->severity = s;
		}
		parse_text(l, n, "title", what, true, &f->title);
		parse_text(l, n, "advice", what, true, &f->advice);
		f->references = parse_refs(l, n, what, &f->nreferences);
		f->when = compile_key(l, n, "when", what, false, &f->when_src);
		if (!ydoc_get(n, "when"))
			lerr(l, n, what, "missing 'when'");
	}
	l->ins->findings = fd;
	l->ins->nfindings = seq->n;
}

enum mamori_err instrument_load_mem(const char *name, const char *buf,
				    size_t len, struct instrument **out,
				    struct strbuf *err)
{
	struct loader l = { 0 };
	struct arena arena;
	enum mamori_err e;
	const struct ydoc_node *root, *items;
	struct strbuf none = STRBUF_INIT;

	if (!err) {	/* the caller does not want the messages */
		e = instrument_load_mem(name, buf, len, out, &none);
		strbuf_release(&none);
		return e;
	}
	l.err = err;
	l.cur_repeat = -1;
	e = ydoc_parse(&l.doc, name, buf, len, err);
	if (e) {
		ydoc_release(&l.doc);
		return e;
	}
	root = l.doc.root;
	if (!root || root->kind != YDOC_MAP) {
		ydoc_errorf(&l.doc, root, err,
			    "instrument: the file must be a mapping with id, version, title, items …");
		ydoc_release(&l.doc);
		return MAMORI_ESCHEMA;
	}
	arena_init(&arena, 65536);
	l.a = &arena;
	l.ins = arena_calloc(&arena, 1, sizeof(*l.ins));
	l.pv = arena_calloc(&arena, 1, sizeof(*l.pv));
	if (!l.ins || !l.pv) {
		e = MAMORI_ENOMEM;
		goto fail;
	}
	l.ins->priv = l.pv;
	l.ins->file = arena_strdup(&arena, name ? name : "-");

	parse_header(&l, root);
	parse_choices(&l, root);
	l.ins->lists = l.lists;
	l.ins->nlists = l.nlists;

	items = ydoc_get(root, "items");
	if (!items || items->kind != YDOC_SEQ || items->n == 0) {
		lerr(&l, items ? items : root, "instrument",
		     "'items' must be a non-empty list of questions");
	} else {
		size_t cnt = count_items(items, 0);
		l.cap = cnt < INSTRUMENT_MAX_ITEMS ? cnt : INSTRUMENT_MAX_ITEMS;
		l.items = arena_calloc(&arena, l.cap ? l.cap : 1,
				       sizeof(*l.items));
		l.nodes = calloc(l.cap ? l.cap : 1, sizeof(*l.nodes));
		if (!l.items || !l.nodes) {
			e = MAMORI_ENOMEM;
			goto fail;
		}
		parse_items(&l, items, -1, -1, 0);
		l.ins->items = l.items;
		l.ins->nitems = l.nitems;
		build_hash(&l);
		if (l.pv->htab) {
			compile_items(&l);
			order_items(&l);
			assign_columns(&l);
		}
	}
	if (l.pv->htab) {
		parse_indicators(&l, root);
		parse_findings(&l, root);
	}
	if (l.oom) {
		e = MAMORI_ENOMEM;
		goto fail;
	}
	if (l.nerr || err->err) {
		e = MAMORI_ESCHEMA;
		goto fail;
	}
	l.pv->arena = arena;
	free(l.nodes);
	ydoc_release(&l.doc);
	*out = l.ins;
	return MAMORI_OK;
fail:
	free(l.nodes);
	ydoc_release(&l.doc);
	arena_release(&arena);
	return e;
}
