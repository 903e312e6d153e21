/*
 * analysis.c - the analysis engine (analysis.h): counts responses, fed one
 * at a time, into a total and one accumulator per group. Must never read
 * storage or decide a denominator other than through the instrument
 * engine's relevance.
 */
#include "analysis/analysis.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/num.h"
#include "util/banned.h"

/* ---- a growable vector of doubles ---------------------------------- */

struct dvec {
	double *v;	/* owned */
	size_t n, alloc;
};

static int dvec_push(struct dvec *d, double x)
{
	if (d->n == d->alloc) {
		size_t na = d->alloc ? d->alloc * 2 : 16;
		double *nv = realloc(d->v, na * sizeof(*nv));
		if (!nv)
			return -1;
		d->v = nv;
		d->alloc = na;
	}
	d->v[d->n++] = x;
	return 0;
}

/* ---- a string -> pointer map (open addressing, FNV-1a) ---------------- */

struct sm_entry {
	char *key;	/* owned */
	void *val;
};

struct strmap {
	struct sm_entry *e;	/* owned */
	size_t n, cap;		/* cap: a power of two or 0 */
};

static uint64_t hash_bytes(const char *p, size_t len)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ull;
	}
	return h;
}

static struct sm_entry *sm_find(const struct strmap *m, const char *k,
				size_t len)
{
	if (!m->cap)
		return NULL;
	size_t i = hash_bytes(k, len) & (m->cap - 1);
	for (;;) {
		struct sm_entry *e = &m->e[i];
		if (!e->key)
			return NULL;
		if (strlen(e->key) == len && !memcmp(e->key, k, len))
			return e;
		i = (i + 1) & (m->cap - 1);
	}
}

static int sm_grow(struct strmap *m)
{
	size_t nc = m->cap ? m->cap * 2 : 16;
	struct sm_entry *ne = calloc(nc, sizeof(*ne));
	if (!ne)
		return -1;
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->e[i].key)
			continue;
		size_t j = hash_bytes(m->e[i].key, strlen(m->e[i].key)) &
			   (nc - 1);
		while (ne[j].key)
			j = (j + 1) & (nc - 1);
		ne[j] = m->e[i];
	}
	free(m->e);
	m->e = ne;
	m->cap = nc;
	return 0;
}

/* The entry for k, added (val NULL) when absent; NULL when out of memory. */
static struct sm_entry *sm_put(struct strmap *m, const char *k, size_t len)
{
	struct sm_entry *e = sm_find(m, k, len);
	if (e)
		return e;
	if ((m->n + 1) * 4 > m->cap * 3 && sm_grow(m))
		return NULL;
	char *key = malloc(len + 1);
	if (!key)
		return NULL;
	memcpy(key, k, len);
	key[len] = '\0';
	size_t i = hash_bytes(k, len) & (m->cap - 1);
	while (m->e[i].key)
		i = (i + 1) & (m->cap - 1);
	m->e[i].key = key;
	m->e[i].val = NULL;
	m->n++;
	return &m->e[i];
}

static void sm_release(struct strmap *m, void (*fn)(void *))
{
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->e[i].key)
			continue;
		free(m->e[i].key);
		if (fn)
			fn(m->e[i].val);
	}
	free(m->e);
	memset(m, 0, sizeof(*m));
}

/* ---- accumulators ---------------------------------------------------- */

struct item_acc {
	size_t population, answered, invalid, rows;
	/* evidence items: relevant answers of responses whose evidence
	 * proposes a value other than "unknown", and of those the answers
	 * equal to it */
	size_t ev_proposed, ev_backed;
	size_t *choices;	/* owned: select items, one per choice */
	struct strmap values;	/* text inside a repeat: value -> count */
	struct dvec nums;	/* integer, decimal, numeric calculate,
				   repeat (rows per response) */
};

struct acc {
	/* submitted and drafts count responses (in a repeatable campaign,
	 * reports); respondents the organisations with at least one
	 * submitted response, what the response rate counts */
	size_t invited, submitted, drafts, respondents;
	struct item_acc *items;	/* owned: one per item */
	size_t *ind_pop, *ind_met, *fired;	/* owned */
};

struct analysis {
	const struct instrument *ins;
	struct validator *v;		/* owned */
	struct vopts vopts;
	char *by[ANALYSIS_MAX_BY];	/* owned */
	size_t nby;
	double bands[ANALYSIS_MAX_BANDS];
	size_t nbands;
	char *size_attr;		/* owned */
	char *today;			/* owned */
	json_t *campaign;		/* owned reference */
	bool *evidence;			/* owned: per item, proposals count */
	struct acc total;
	struct strmap groups;		/* key -> struct acc * (owned) */
	struct strbuf key;		/* scratch */
	/* the organisation of the last analysis_add_invited, whose
	 * responses follow it: has one of them been counted among the
	 * respondents yet? */
	bool invitee, invitee_counted;
};

static bool counted(const struct item *it)
{
	return it->type != ITEM_NOTE && it->type != ITEM_GROUP;
}

static bool numeric(const struct item *it)
{
	return it->type == ITEM_INTEGER || it->type == ITEM_DECIMAL ||
	       it->type == ITEM_CALCULATE || it->type == ITEM_REPEAT;
}

static void acc_release(const struct instrument *ins, struct acc *c)
{
	if (c->items) {
		for (size_t i = 0; i < ins->nitems; i++) {
			free(c->items[i].choices);
			free(c->items[i].nums.v);
			sm_release(&c->items[i].values, NULL);
		}
	}
	free(c->items);
	free(c->ind_pop);
	free(c->ind_met);
	free(c->fired);
	memset(c, 0, sizeof(*c));
}

static void acc_free_cb(void *p);

static int acc_init(const struct instrument *ins, struct acc *c)
{
	memset(c, 0, sizeof(*c));
	c->items = calloc(ins->nitems ? ins->nitems : 1, sizeof(*c->items));
	c->ind_pop = calloc(ins->nindicators + 1, sizeof(size_t));
	c->ind_met = calloc(ins->nindicators + 1, sizeof(size_t));
	c->fired = calloc(ins->nfindings + 1, sizeof(size_t));
	if (!c->items || !c->ind_pop || !c->ind_met || !c->fired)
		goto fail;
	for (size_t i = 0; i < ins->nitems; i++) {
		const struct item *it = &ins->items[i];
		if ((it->type == ITEM_SELECT_ONE ||
		     it->type == ITEM_SELECT_MULTIPLE) && it->list) {
			c->items[i].choices = calloc(it->list->n + 1,
						     sizeof(size_t));
			if (!c->items[i].choices)
				goto fail;
		}
	}
	return 0;
fail:
	acc_release(ins, c);
	return -1;
}

struct acc_box {
	const struct instrument *ins;
	struct acc acc;
};

static void acc_free_cb(void *p)
{
	struct acc_box *b = p;
	if (!b)
		return;
	acc_release(b->ins, &b->acc);
	free(b);
}

/* ---- options ----------------------------------------------------------- */

static char *dupstr(const char *s, size_t len)
{
	char *p = malloc(len + 1);
	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

void analysis_free(struct analysis *a)
{
	if (!a)
		return;
	acc_release(a->ins, &a->total);
	sm_release(&a->groups, acc_free_cb);
	validator_free(a->v);
	for (size_t i = 0; i < a->nby; i++)
		free(a->by[i]);
	free(a->size_attr);
	free(a->today);
	free(a->evidence);
	json_decref(a->campaign);
	strbuf_release(&a->key);
	free(a);
}

enum mamori_err analysis_new(const struct instrument *ins,
			     const struct analysis_opts *opts,
			     struct analysis **out, struct strbuf *err)
{
	static const double defaults[] = ANALYSIS_DEFAULT_BANDS;
	struct analysis_opts none = { 0 };
	struct analysis *a;

	*out = NULL;
	if (!ins)
		return MAMORI_EINVAL;
	if (!opts)
		opts = &none;
	a = calloc(1, sizeof(*a));
	if (!a)
		return MAMORI_ENOMEM;
	a->ins = ins;
	strbuf_init(&a->key, 0);
	if (opts->bands) {
		if (opts->nbands < 1 || opts->nbands > ANALYSIS_MAX_BANDS) {
			if (err)
				strbuf_addf(err, "size bands: 1 to %d bounds",
					    ANALYSIS_MAX_BANDS);
			goto inval;
		}
		for (size_t i = 0; i < opts->nbands; i++) {
			if (!isfinite(opts->bands[i]) ||
			    (i && opts->bands[i] <= opts->bands[i - 1])) {
				if (err)
					strbuf_addstr(err, "size bands: the "
						      "bounds must ascend");
				goto inval;
			}
			a->bands[i] = opts->bands[i];
		}
		a->nbands = opts->nbands;
	} else {
		memcpy(a->bands, defaults, sizeof(defaults));
		a->nbands = sizeof(defaults) / sizeof(defaults[0]);
	}
	if (opts->by && *opts->by) {
		struct slice rest = slice_from_cstr(opts->by), one;
		while (rest.p) {
			rest = slice_cut(rest, ',', &one);
			one = slice_trim(one);
			if (!one.len || a->nby == ANALYSIS_MAX_BY) {
				if (err)
					strbuf_addf(err, "by: 1 to %d attribute "
						    "names, separated by commas",
						    ANALYSIS_MAX_BY);
				goto inval;
			}
			if (!(a->by[a->nby++] = dupstr(one.p, one.len)))
				goto nomem;
		}
	}
	a->size_attr = dupstr(opts->size_attr ? opts->size_attr : "beds",
			      strlen(opts->size_attr ? opts->size_attr
					 : "beds"));
	if (!a->size_attr)
		goto nomem;
	if (opts->today && !(a->today = dupstr(opts->today,
					       strlen(opts->today))))
		goto nomem;
	if (opts->campaign)
		a->campaign = json_incref((json_t *)opts->campaign);
	if (!(a->evidence = calloc(ins->nitems + 1, sizeof(*a->evidence))))
		goto nomem;
	for (size_t i = 0; opts->evidence_items && opts->evidence_items[i];
	     i++) {
		const struct item *it = instrument_find(
			ins, opts->evidence_items[i],
			strlen(opts->evidence_items[i]));
		if (it && it->repeat < 0 && counted(it) &&
		    it->type != ITEM_REPEAT)
			a->evidence[it->index] = true;
	}
	a->vopts = (struct vopts){ .lang = LANG_EN, .campaign = a->campaign,
				   .today = a->today, .normalise = false };
	a->v = validator_new(ins);
	if (!a->v || acc_init(ins, &a->total))
		goto nomem;
	*out = a;
	return MAMORI_OK;
inval:
	analysis_free(a);
	return MAMORI_EINVAL;
nomem:
	analysis_free(a);
	return MAMORI_ENOMEM;
}

/* ---- group keys ------------------------------------------------------ */

/* The attribute's text ("" when absent or not a scalar). */
static void attr_text(const json_t *attrs, const char *name,
		      struct strbuf *out)
{
	const json_t *v = json_is_object(attrs) ? json_object_get(attrs, name)
						: NULL;
	if (!v)
		return;
	switch (json_typeof(v)) {
	case JSON_STRING:
		strbuf_add(out, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		strbuf_addf(out, "%lld", (long long)json_integer_value(v));
		break;
	case JSON_REAL:
		strbuf_addf(out, "%.15g", json_real_value(v));
		break;
	case JSON_TRUE:
		strbuf_addstr(out, "true");
		break;
	case JSON_FALSE:
		strbuf_addstr(out, "false");
		break;
	default:
		break;
	}
}

static void band_name(const struct analysis *a, double x, struct strbuf *out)
{
	size_t k;

	if (x < a->bands[0]) {
		strbuf_addf(out, "<%.15g", a->bands[0]);
		return;
	}
	for (k = 0; k + 1 < a->nbands && x >= a->bands[k + 1]; k++)
		;
	if (k + 1 == a->nbands)
		strbuf_addf(out, "%.15g+", a->bands[k]);
	else
		strbuf_addf(out, "%.15g-%.15g", a->bands[k],
			    a->bands[k + 1] - 1);
}

enum mamori_err analysis_size_band(const struct analysis *a,
				   const json_t *org_attrs, struct strbuf *out)
{
	const json_t *v = json_is_object(org_attrs)
				  ? json_object_get(org_attrs, a->size_attr)
				  : NULL;
	double x;

	if (json_is_number(v)) {
		x = json_number_value(v);
	} else if (json_is_string(v) &&
		   !num_parse_double(slice_make(json_string_value(v),
						json_string_length(v)), &x)) {
		;
	} else {
		/* no size: an imported band attribute, else unknown */
		size_t before = out->len;
		attr_text(org_attrs, "size_band", out);
		if (out->len == before)
			strbuf_addstr(out, "unknown");
		return out->err;
	}
	if (!isfinite(x)) {
		strbuf_addstr(out, "unknown");
		return out->err;
	}
	band_name(a, x, out);
	return out->err;
}

enum mamori_err analysis_group_key(const struct analysis *a,
				   const json_t *org_attrs, struct strbuf *out)
{
	for (size_t i = 0; i < a->nby; i++) {
		if (i)
			strbuf_addch(out, '/');
		size_t before = out->len;
		if (!strcmp(a->by[i], "size_band"))
			analysis_size_band(a, org_attrs, out);
		else
			attr_text(org_attrs, a->by[i], out);
		if (out->len == before)
			strbuf_addstr(out, "unknown");
	}
	return out->err;
}

/* The accumulator of the organisation's group (created), NULL without by;
 * *e set on allocation failure. */
static struct acc *group_acc(struct analysis *a, const json_t *attrs,
			     enum mamori_err *e)
{
	*e = MAMORI_OK;
	if (!a->nby)
		return NULL;
	strbuf_reset(&a->key);
	if ((*e = analysis_group_key(a, attrs, &a->key)))
		return NULL;
	struct sm_entry *se = sm_put(&a->groups, a->key.buf, a->key.len);
	if (!se) {
		*e = MAMORI_ENOMEM;
		return NULL;
	}
	if (!se->val) {
		struct acc_box *b = calloc(1, sizeof(*b));
		if (!b || acc_init(a->ins, &b->acc)) {
			free(b);
			*e = MAMORI_ENOMEM;
			return NULL;
		}
		b->ins = a->ins;
		se->val = b;
	}
	return &((struct acc_box *)se->val)->acc;
}

static const struct acc *group_get(const struct analysis *a,
				   const char *group)
{
	if (!group)
		return &a->total;
	struct sm_entry *se = sm_find(&a->groups, group, strlen(group));
	return se ? &((struct acc_box *)se->val)->acc : NULL;
}

/* ---- counting ---------------------------------------------------------- */

enum mamori_err analysis_add_invited(struct analysis *a,
				     const json_t *org_attrs)
{
	enum mamori_err e;
	struct acc *g = group_acc(a, org_attrs, &e);
	if (e)
		return e;
	a->total.invited++;
	if (g)
		g->invited++;
	a->invitee = true;
	a->invitee_counted = false;
	return MAMORI_OK;
}

static int count_value(const struct item *it, struct item_acc *ia,
		       const char *p, size_t len)
{
	double x;

	switch (it->type) {
	case ITEM_SELECT_ONE: {
		const struct choice *c = item_find_choice(it, p, len);
		if (c)
			ia->choices[c - it->list->choices]++;
		else
			ia->invalid++;
		break;
	}
	case ITEM_SELECT_MULTIPLE: {
		struct slice rest = slice_make(p, len), one;
		while (rest.p) {
			rest = slice_cut(rest, ' ', &one);
			if (!one.len)
				continue;
			const struct choice *c = item_find_choice(it, one.p,
								  one.len);
			if (c)
				ia->choices[c - it->list->choices]++;
			else
				ia->invalid++;
		}
		break;
	}
	case ITEM_INTEGER:
	case ITEM_DECIMAL:
	case ITEM_CALCULATE:
		if (!num_parse_double(slice_make(p, len), &x) && isfinite(x)) {
			if (dvec_push(&ia->nums, x))
				return -1;
		} else if (it->type != ITEM_CALCULATE) {
			ia->invalid++;
		}
		break;
	case ITEM_TEXT:
	case ITEM_DATE:
		/* free text is counted by value only inside repeats (makers,
		 * models); at the top level it may name people */
		if (it->repeat >= 0) {
			struct sm_entry *se = sm_put(&ia->values, p, len);
			if (!se)
				return -1;
			se->val = (void *)((uintptr_t)se->val + 1);
		}
		break;
	default:
		break;
	}
	return 0;
}

/* Did the evidence propose a value for item i (not "unknown"), and is
 * the answer p[0..len) that value? */
static void count_evidence(const struct item *it, struct item_acc *ia,
			   const json_t *proposed, const char *p, size_t len)
{
	const json_t *v = json_object_get(proposed, it->id);
	const char *pv = json_string_value(v);

	if (!pv || !strcmp(pv, "unknown"))
		return;
	ia->ev_proposed++;
	if (len == json_string_length(v) && !memcmp(p, pv, len))
		ia->ev_backed++;
}

static enum mamori_err acc_apply(struct analysis *a, struct acc *c,
				 const struct vresult *r, bool submitted,
				 const json_t *proposed)
{
	const struct instrument *ins = a->ins;
	size_t len;

	if (submitted)
		c->submitted++;
	else
		c->drafts++;
	for (size_t i = 0; i < ins->nitems; i++) {
		const struct item *it = &ins->items[i];
		struct item_acc *ia = &c->items[i];
		if (!counted(it))
			continue;
		if (it->type == ITEM_REPEAT) {
			if (!validator_relevant(a->v, i, 0))
				continue;
			size_t rows = validator_rows(a->v, i);
			ia->population++;
			if (rows)
				ia->answered++;
			ia->rows += rows;
			if (dvec_push(&ia->nums, (double)rows))
				return MAMORI_ENOMEM;
			continue;
		}
		size_t nrows = it->repeat >= 0
				       ? validator_rows(a->v, (size_t)it->repeat)
				       : 1;
		for (size_t row = 0; row < nrows; row++) {
			if (!validator_relevant(a->v, i, row))
				continue;
			ia->population++;
			const char *p = validator_value(a->v, i, row, &len);
			if (proposed && a->evidence[i])
				count_evidence(it, ia, proposed, p, len);
			if (!len)
				continue;
			ia->answered++;
			if (count_value(it, ia, p, len))
				return MAMORI_ENOMEM;
		}
	}
	for (size_t k = 0; k < ins->nindicators; k++) {
		if (r->in_population[k]) {
			c->ind_pop[k]++;
			if (r->met[k])
				c->ind_met[k]++;
		}
	}
	for (size_t k = 0; k < ins->nfindings; k++)
		if (r->fired[k])
			c->fired[k]++;
	return MAMORI_OK;
}

/* The answers are the document answers, else the JSON text
 * text[0..len) (err gets why it is not JSON). */
static enum mamori_err add(struct analysis *a, const json_t *attrs,
			   const json_t *answers, const char *text,
			   size_t len, bool submitted,
			   const json_t *proposed, struct strbuf *err)
{
	const struct vresult *r = NULL;
	enum mamori_err e;
	struct acc *g;

	if (!text && !json_is_object(answers))
		return MAMORI_EINVAL;
	g = group_acc(a, attrs, &e);
	if (e)
		return e;
	a->vopts.org = attrs;
	a->vopts.counts_only = true;	/* nothing here reads the errors */
	e = text ? instrument_validate_text(a->v, text, len, &a->vopts, &r,
					    err)
		 : instrument_validate(a->v, answers, &a->vopts, &r);
	a->vopts.org = NULL;
	if (e)
		return e;
	if ((e = acc_apply(a, &a->total, r, submitted, proposed)))
		return e;
	if (g && (e = acc_apply(a, g, r, submitted, proposed)))
		return e;
	/* an organisation counts once among the respondents, however many
	 * reports it submitted */
	if (submitted && !(a->invitee && a->invitee_counted)) {
		a->total.respondents++;
		if (g)
			g->respondents++;
		a->invitee_counted = a->invitee;
	}
	return MAMORI_OK;
}

enum mamori_err analysis_add(struct analysis *a, const json_t *org_attrs,
			     const json_t *answers)
{
	return add(a, org_attrs, answers, NULL, 0, true, NULL, NULL);
}

enum mamori_err analysis_add_proposed(struct analysis *a,
				      const json_t *org_attrs,
				      const json_t *answers,
				      const json_t *proposed)
{
	return add(a, org_attrs, answers, NULL, 0, true,
		   json_is_object(proposed) ? proposed : NULL, NULL);
}

enum mamori_err analysis_add_draft(struct analysis *a,
				   const json_t *org_attrs,
				   const json_t *answers)
{
	return add(a, org_attrs, answers, NULL, 0, false, NULL, NULL);
}

enum mamori_err analysis_add_text(struct analysis *a,
				  const json_t *org_attrs, const char *answers,
				  size_t len, bool submitted,
				  const json_t *proposed, struct strbuf *err)
{
	return add(a, org_attrs, NULL, answers ? answers : "", len,
		   submitted,
		   submitted && json_is_object(proposed) ? proposed : NULL,
		   err);
}

bool analysis_reads_org(const struct analysis *a)
{
	/* context references follow the items (instrument_ref_name) */
	for (size_t k = 0;; k++) {
		const char *name = instrument_ref_name(a->ins,
						       (int)(a->ins->nitems + k));
		if (!name)
			return a->nby > 0;
		if (!strncmp(name, "org.", 4))
			return true;
	}
}

/* ---- merging analyses fed in parts ------------------------------------ */

/* Every option analysis_new() keeps in struct analysis must come across
 * here, or the parts would count differently from the whole. */
enum mamori_err analysis_new_like(const struct analysis *a,
				  struct analysis **out)
{
	struct analysis_opts o = { .bands = a->bands, .nbands = a->nbands,
				   .size_attr = a->size_attr,
				   .campaign = a->campaign, .today = a->today };
	struct strbuf by = STRBUF_INIT;
	enum mamori_err e;

	for (size_t i = 0; i < a->nby; i++) {
		if (i)
			strbuf_addch(&by, ',');
		strbuf_addstr(&by, a->by[i]);
	}
	if (by.err) {
		strbuf_release(&by);
		return MAMORI_ENOMEM;
	}
	o.by = by.buf;
	e = analysis_new(a->ins, &o, out, NULL);
	strbuf_release(&by);
	if (!e)	/* the evidence items, as a's options named them */
		memcpy((*out)->evidence, a->evidence,
		       (a->ins->nitems + 1) * sizeof(*a->evidence));
	return e;
}

static int cmp_entry_key(const void *x, const void *y)
{
	const struct sm_entry *a = *(const struct sm_entry *const *)x,
			      *b = *(const struct sm_entry *const *)y;
	return strcmp(a->key, b->key);
}

/* m's entries sorted by key (caller frees *out); -1 out of memory. */
static int sm_sorted(const struct strmap *m, struct sm_entry ***out)
{
	struct sm_entry **v = malloc((m->n ? m->n : 1) * sizeof(*v));
	size_t k = 0;

	*out = v;
	if (!v)
		return -1;
	for (size_t i = 0; i < m->cap; i++)
		if (m->e[i].key)
			v[k++] = &m->e[i];
	qsort(v, k, sizeof(*v), cmp_entry_key);
	return 0;
}

static enum mamori_err acc_merge(const struct instrument *ins, struct acc *to,
				 const struct acc *from)
{
	to->invited += from->invited;
	to->submitted += from->submitted;
	to->drafts += from->drafts;
	to->respondents += from->respondents;
	for (size_t i = 0; i < ins->nitems; i++) {
		const struct item_acc *f = &from->items[i];
		struct item_acc *t = &to->items[i];
		struct sm_entry **v;

		t->population += f->population;
		t->answered += f->answered;
		t->invalid += f->invalid;
		t->rows += f->rows;
		t->ev_proposed += f->ev_proposed;
		t->ev_backed += f->ev_backed;
		if (t->choices && f->choices)
			for (size_t k = 0; k < ins->items[i].list->n + 1; k++)
				t->choices[k] += f->choices[k];
		for (size_t k = 0; k < f->nums.n; k++)
			if (dvec_push(&t->nums, f->nums.v[k]))
				return MAMORI_ENOMEM;
		if (!f->values.n)
			continue;
		/* in key order, so the map is laid out alike however the
		 * responses were split */
		if (sm_sorted(&f->values, &v))
			return MAMORI_ENOMEM;
		for (size_t k = 0; k < f->values.n; k++) {
			struct sm_entry *se = sm_put(&t->values, v[k]->key,
						     strlen(v[k]->key));
			if (!se) {
				free(v);
				return MAMORI_ENOMEM;
			}
			se->val = (void *)((uintptr_t)se->val +
					   (uintptr_t)v[k]->val);
		}
		free(v);
	}
	for (size_t k = 0; k < ins->nindicators; k++) {
		to->ind_pop[k] += from->ind_pop[k];
		to->ind_met[k] += from->ind_met[k];
	}
	for (size_t k = 0; k < ins->nfindings; k++)
		to->fired[k] += from->fired[k];
	return MAMORI_OK;
}

enum mamori_err analysis_merge(struct analysis *into,
			       const struct analysis *from)
{
	struct sm_entry **v;
	enum mamori_err e;

	if (into->ins != from->ins)
		return MAMORI_EINVAL;
	if ((e = acc_merge(into->ins, &into->total, &from->total)))
		return e;
	if (!from->groups.n)
		return MAMORI_OK;
	if (sm_sorted(&from->groups, &v))
		return MAMORI_ENOMEM;
	for (size_t k = 0; k < from->groups.n && !e; k++) {
		struct sm_entry *se = sm_put(&into->groups, v[k]->key,
					     strlen(v[k]->key));
		if (!se) {
			e = MAMORI_ENOMEM;
			break;
		}
		if (!se->val) {
			struct acc_box *b = calloc(1, sizeof(*b));
			if (!b || acc_init(into->ins, &b->acc)) {
				free(b);
				e = MAMORI_ENOMEM;
				break;
			}
			b->ins = into->ins;
			se->val = b;
		}
		e = acc_merge(into->ins, &((struct acc_box *)se->val)->acc,
			      &((const struct acc_box *)v[k]->val)->acc);
	}
	free(v);
	return e;
}

/* ---- reading counts --------------------------------------------------- */

bool analysis_counts(const struct analysis *a, const char *group,
		     size_t *invited, size_t *submitted, size_t *drafts)
{
	const struct acc *c = group_get(a, group);
	if (invited)
		*invited = c ? c->invited : 0;
	if (submitted)
		*submitted = c ? c->respondents : 0;
	if (drafts)
		*drafts = c ? c->drafts : 0;
	return c != NULL;
}

bool analysis_indicator(const struct analysis *a, const char *group,
			size_t indicator, size_t *population, size_t *met)
{
	const struct acc *c = group_get(a, group);
	bool ok = c && indicator < a->ins->nindicators;
	*population = ok ? c->ind_pop[indicator] : 0;
	*met = ok ? c->ind_met[indicator] : 0;
	return ok;
}

bool analysis_finding(const struct analysis *a, const char *group,
		      size_t finding, size_t *fired)
{
	const struct acc *c = group_get(a, group);
	bool ok = c && finding < a->ins->nfindings;
	*fired = ok ? c->fired[finding] : 0;
	return ok;
}

/* ---- the result as JSON ---------------------------------------------- */

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

/* Type 7 quantile of sorted v[0..n-1], n > 0. */
static double quantile(const double *v, size_t n, double p)
{
	double h = (double)(n - 1) * p;
	size_t lo = (size_t)floor(h);
	if (lo + 1 >= n)
		return v[n - 1];
	return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

/* The summary of d (sorted in place); NULL when d is empty. */
static json_t *numeric_json(struct dvec *d)
{
	double sum = 0;
	json_t *o;

	if (!d->n)
		return NULL;
	qsort(d->v, d->n, sizeof(double), cmp_double);
	for (size_t i = 0; i < d->n; i++)
		sum += d->v[i];
	o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "n", json_integer((json_int_t)d->n));
	json_object_set_new(o, "mean", json_real(sum / (double)d->n));
	json_object_set_new(o, "median", json_real(quantile(d->v, d->n, 0.5)));
	json_object_set_new(o, "q1", json_real(quantile(d->v, d->n, 0.25)));
	json_object_set_new(o, "q3", json_real(quantile(d->v, d->n, 0.75)));
	json_object_set_new(o, "min", json_real(d->v[0]));
	json_object_set_new(o, "max", json_real(d->v[d->n - 1]));
	json_object_set_new(o, "sum", json_real(sum));
	return o;
}

static json_t *share(size_t met, size_t pop)
{
	return pop ? json_real((double)met / (double)pop) : json_null();
}

static json_t *acc_json(const struct analysis *a, struct acc *c)
{
	const struct instrument *ins = a->ins;
	size_t responses = c->submitted + c->drafts;
	json_t *o = json_object(), *items = json_object(),
	       *inds = json_object(), *finds = json_object();

	if (!o || !items || !inds || !finds)
		goto fail;
	json_object_set_new(o, "invited", json_integer((json_int_t)c->invited));
	json_object_set_new(o, "submitted",
			    json_integer((json_int_t)c->respondents));
	json_object_set_new(o, "reports",
			    json_integer((json_int_t)c->submitted));
	json_object_set_new(o, "drafts", json_integer((json_int_t)c->drafts));
	json_object_set_new(o, "responses", json_integer((json_int_t)responses));
	json_object_set_new(o, "response_rate",
			    share(c->respondents, c->invited));
	for (size_t i = 0; i < ins->nitems; i++) {
		const struct item *it = &ins->items[i];
		struct item_acc *ia = &c->items[i];
		json_t *j, *n;
		if (!counted(it))
			continue;
		if (!(j = json_object()))
			goto fail;
		json_object_set_new(items, it->id, j);
		json_object_set_new(j, "type", json_string(item_type_name(
						       it->type)));
		json_object_set_new(j, "population",
				    json_integer((json_int_t)ia->population));
		json_object_set_new(j, "answered",
				    json_integer((json_int_t)ia->answered));
		json_object_set_new(j, "not_answered",
				    json_integer((json_int_t)(ia->population -
							      ia->answered)));
		if (it->repeat >= 0) {
			json_object_set_new(j, "repeat", json_string(
				ins->items[it->repeat].id));
			json_object_set_new(j, "unit", json_string("rows"));
		} else {
			json_object_set_new(j, "not_applicable",
				json_integer((json_int_t)(responses -
							  ia->population)));
		}
		if (it->type == ITEM_REPEAT)
			json_object_set_new(j, "rows",
					    json_integer((json_int_t)ia->rows));
		if (ia->invalid)
			json_object_set_new(j, "invalid",
				json_integer((json_int_t)ia->invalid));
		if (a->evidence[i]) {
			json_object_set_new(j, "evidence_proposed",
				json_integer((json_int_t)ia->ev_proposed));
			json_object_set_new(j, "evidence_backed",
				json_integer((json_int_t)ia->ev_backed));
		}
		if (ia->choices) {
			json_t *counts = json_object();
			if (!counts)
				goto fail;
			for (size_t k = 0; k < it->list->n; k++)
				json_object_set_new(counts,
					it->list->choices[k].value,
					json_integer((json_int_t)ia->choices[k]));
			json_object_set_new(j, "counts", counts);
		} else if (ia->values.n) {
			json_t *counts = json_object();
			if (!counts)
				goto fail;
			for (size_t k = 0; k < ia->values.cap; k++)
				if (ia->values.e[k].key)
					json_object_set_new(counts,
						ia->values.e[k].key,
						json_integer((json_int_t)(
						uintptr_t)ia->values.e[k].val));
			json_object_set_new(j, "counts", counts);
		}
		if (numeric(it) && (n = numeric_json(&ia->nums)))
			json_object_set_new(j, "numeric", n);
	}
	for (size_t k = 0; k < ins->nindicators; k++) {
		json_t *j = json_object();
		if (!j)
			goto fail;
		json_object_set_new(j, "population",
				    json_integer((json_int_t)c->ind_pop[k]));
		json_object_set_new(j, "met",
				    json_integer((json_int_t)c->ind_met[k]));
		json_object_set_new(j, "share", share(c->ind_met[k],
						      c->ind_pop[k]));
		json_object_set_new(j, "polarity", json_string(
			indicator_polarity_name(ins->indicators[k].polarity)));
		json_object_set_new(inds, ins->indicators[k].id, j);
	}
	for (size_t k = 0; k < ins->nfindings; k++)
		json_object_set_new(finds, ins->findings[k].id,
				    json_integer((json_int_t)c->fired[k]));
	json_object_set_new(o, "items", items);
	json_object_set_new(o, "indicators", inds);
	json_object_set_new(o, "findings", finds);
	return o;
fail:
	json_decref(o);
	json_decref(items);
	json_decref(inds);
	json_decref(finds);
	return NULL;
}

enum mamori_err analysis_result_json(const struct analysis *a, unsigned flags,
				     json_t **out)
{
	/* numeric_json sorts the accumulated values: harmless to the
	 * counts, so the const of the interface holds for what it shows */
	struct analysis *m = (struct analysis *)a;
	json_t *o = acc_json(a, &m->total), *ins;

	*out = NULL;
	if (!o)
		return MAMORI_ENOMEM;
	ins = json_pack("{s:s, s:s}", "id", a->ins->id, "version",
			a->ins->version ? a->ins->version : "");
	if (!ins)
		goto nomem;
	json_object_set_new(o, "instrument", ins);
	if (a->nby && !(flags & ANALYSIS_JSON_NO_GROUPS)) {
		struct strbuf by = STRBUF_INIT;
		json_t *groups = json_object();
		for (size_t i = 0; i < a->nby; i++) {
			if (i)
				strbuf_addch(&by, ',');
			strbuf_addstr(&by, a->by[i]);
		}
		if (!groups || by.err) {
			strbuf_release(&by);
			json_decref(groups);
			goto nomem;
		}
		json_object_set_new(o, "by", json_string(by.buf));
		strbuf_release(&by);
		for (size_t k = 0; k < m->groups.cap; k++) {
			struct sm_entry *se = &m->groups.e[k];
			if (!se->key)
				continue;
			json_t *g = acc_json(a, &((struct acc_box *)se->val)->acc);
			if (!g) {
				json_decref(groups);
				goto nomem;
			}
			json_object_set_new(groups, se->key, g);
		}
		json_object_set_new(o, "groups", groups);
		if (!strcmp(a->by[0], "size_band") && a->nby == 1) {
			json_t *bands = json_array();
			for (size_t i = 0; bands && i < a->nbands; i++)
				json_array_append_new(bands,
						      json_real(a->bands[i]));
			json_object_set_new(o, "bands", bands);
		}
	}
	*out = o;
	return MAMORI_OK;
nomem:
	json_decref(o);
	return MAMORI_ENOMEM;
}
