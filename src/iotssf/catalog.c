/*
 * catalog.c - loads the IoT-SSF catalogue (data/iot-ssf/ (four YAML files)): the two
 * axes, the perspectives and implementation targets of axis 3, the threat
 * types and device classes, the Appendix A requirements with example
 * measures, and the rule that maps a grid position to a category and a
 * category to requirement strengths. The rule is data so an authority
 * can change it without code; this file must never hard-code any of it.
 */
#include "iotssf/load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/banned.h"

const char *const iot_catalog_file[IOT_PART__MAX] = {
	[IOT_PART_FRAMEWORK] = "framework.yaml",
	[IOT_PART_THREATS] = "threats.yaml",
	[IOT_PART_REQUIREMENTS] = "requirements.yaml",
	[IOT_PART_RULE] = "rule.yaml",
};

void iot_catalog_init(struct iot_catalog *cat)
{
	memset(cat, 0, sizeof(*cat));
	arena_init(&cat->arena, 16384);
}

void iot_catalog_release(struct iot_catalog *cat)
{
	arena_release(&cat->arena);
	memset(cat, 0, sizeof(*cat));
}

static size_t find_named(const struct iot_named *v, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].id && !strcmp(v[i].id, id))
			return i;
	return IOT_NONE;
}

size_t iot_catalog_find_threat(const struct iot_catalog *cat, const char *id)
{
	return find_named(cat->threats, cat->nthreats, id);
}

size_t iot_catalog_find_requirement(const struct iot_catalog *cat,
				    const char *id)
{
	for (size_t i = 0; i < cat->nrequirements; i++)
		if (cat->requirements[i].id && !strcmp(cat->requirements[i].id, id))
			return i;
	return IOT_NONE;
}

size_t iot_catalog_find_class(const struct iot_catalog *cat, const char *id)
{
	for (size_t i = 0; i < cat->nclasses; i++)
		if (cat->classes[i].id && !strcmp(cat->classes[i].id, id))
			return i;
	return IOT_NONE;
}

size_t iot_catalog_find_category(const struct iot_catalog *cat,
				 const char *id)
{
	for (size_t i = 0; i < cat->ncategories; i++)
		if (cat->categories[i].id && !strcmp(cat->categories[i].id, id))
			return i;
	return IOT_NONE;
}

size_t iot_catalog_category(const struct iot_catalog *cat, int axis1,
			    int axis2)
{
	if (axis1 < 1 || axis1 > IOT_LEVELS || axis2 < 1 || axis2 > IOT_LEVELS)
		return IOT_NONE;
	return cat->grid[axis1 - 1][axis2 - 1];
}

enum iot_strength iot_catalog_strength(const struct iot_catalog *cat,
				       size_t c, size_t r)
{
	if (c >= cat->ncategories || r >= cat->nrequirements)
		return IOT_STRENGTH_NONE;
	const struct iot_category *k = &cat->categories[c];
	if (k->override && k->override[r] != IOT_STRENGTH_NONE)
		return k->override[r];
	return k->perspective[cat->requirements[r].perspective];
}

/* A list of {id, name, description} entries. */
static size_t load_named(struct ld *l, const struct ydoc_node *root,
			 const char *key, struct iot_named **out)
{
	static const char *const keys[] = { "id", "name", "description", NULL };
	const struct ydoc_node *seq = ld_need(l, root, key, "the catalogue");
	size_t n = seq ? ld_list(l, seq, key) : 0;

	*out = ld_calloc(l, n, sizeof(**out));
	if (!*out)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const struct ydoc_node *e = seq->items[i];
		const char *what = ld_what(l, "%s entry %zu", key, i + 1);
		if (!ld_kind(l, e, YDOC_MAP, what))
			continue;
		ld_keys(l, e, keys, what);
		const struct ydoc_node *id = ld_need(l, e, "id", what);
		if (id)
			(*out)[i].id = ld_id(l, id, ld_what(l, "%s id", key));
		const struct ydoc_node *nm = ld_need(l, e, "name", what);
		if (nm)
			ld_text(l, nm, ld_what(l, "%s name", key), &(*out)[i].name);
		ld_opt_text(l, e, "description", what, &(*out)[i].desc);
		if ((*out)[i].id && find_named(*out, i, (*out)[i].id) != IOT_NONE)
			ld_error(l, id, "duplicate %s id '%s'", key, (*out)[i].id);
	}
	return n;
}

static void load_framework(struct ld *l, const struct ydoc_node *root,
			   struct iot_catalog *cat)
{
	static const char *const top[] = { "version", "axes", "perspectives",
					   "targets", NULL };
	static const char *const axkeys[] = { "id", "name", "description",
					      "levels", NULL };
	static const char *const lvkeys[] = { "id", "label", "description",
					      NULL };

	if (!ld_kind(l, root, YDOC_MAP, "the framework file"))
		return;
	ld_keys(l, root, top, "the framework file");
	const struct ydoc_node *v = ld_need(l, root, "version", "the framework file");
	if (v) {
		const char *s = ld_str(l, v, "version");
		cat->version = s ? ld_strdup(l, s) : NULL;
	}
	const struct ydoc_node *axes = ld_need(l, root, "axes", "the framework file");
	if (axes && ld_list(l, axes, "axes") != 2) {
		if (axes->kind == YDOC_SEQ)
			ld_error(l, axes, "axes must list exactly 2 axes, not %zu",
				 axes->n);
		axes = NULL;
	}
	for (size_t a = 0; axes && a < 2; a++) {
		const struct ydoc_node *e = axes->items[a];
		struct iot_axis *ax = &cat->axis[a];
		if (!ld_kind(l, e, YDOC_MAP, "an axis"))
			continue;
		ld_keys(l, e, axkeys, "an axis");
		const struct ydoc_node *id = ld_need(l, e, "id", "an axis");
		if (id)
			ax->id = ld_id(l, id, "axis id");
		const struct ydoc_node *nm = ld_need(l, e, "name", "an axis");
		if (nm)
			ld_text(l, nm, "axis name", &ax->name);
		ld_opt_text(l, e, "description", "axis description", &ax->desc);
		const struct ydoc_node *lv = ld_need(l, e, "levels", "an axis");
		if (!lv || !ld_list(l, lv, "levels"))
			continue;
		if (lv->n != IOT_LEVELS) {
			ld_error(l, lv, "an axis must have exactly %d levels, not %zu",
				 IOT_LEVELS, lv->n);
			continue;
		}
		for (size_t i = 0; i < IOT_LEVELS; i++) {
			const struct ydoc_node *le = lv->items[i];
			if (!ld_kind(l, le, YDOC_MAP, "a level"))
				continue;
			ld_keys(l, le, lvkeys, "a level");
			const struct ydoc_node *lid = ld_need(l, le, "id", "a level");
			if (lid)
				ax->level[i].id = ld_id(l, lid, "level id");
			const struct ydoc_node *lb = ld_need(l, le, "label", "a level");
			if (lb)
				ld_text(l, lb, "level label", &ax->level[i].label);
			ld_opt_text(l, le, "description", "level description",
				    &ax->level[i].desc);
		}
	}
	cat->nperspectives = load_named(l, root, "perspectives", &cat->perspectives);
	if (cat->nperspectives > IOT_MAX_PERSPECTIVES) {
		ld_error(l, ydoc_get(root, "perspectives"),
			 "at most %d perspectives", IOT_MAX_PERSPECTIVES);
		cat->nperspectives = 0;
	}
	cat->ntargets = load_named(l, root, "targets", &cat->targets);
}

static void load_threats(struct ld *l, const struct ydoc_node *root,
			 struct iot_catalog *cat)
{
	static const char *const top[] = { "threats", "device_classes", NULL };
	static const char *const ckeys[] = { "id", "name", "threats", NULL };

	if (!ld_kind(l, root, YDOC_MAP, "the threats file"))
		return;
	ld_keys(l, root, top, "the threats file");
	cat->nthreats = load_named(l, root, "threats", &cat->threats);
	const struct ydoc_node *seq = ld_need(l, root, "device_classes",
					      "the threats file");
	size_t n = seq ? ld_list(l, seq, "device_classes") : 0;
	cat->classes = ld_calloc(l, n, sizeof(*cat->classes));
	if (!cat->classes)
		return;
	cat->nclasses = n;
	for (size_t i = 0; i < n; i++) {
		const struct ydoc_node *e = seq->items[i];
		struct iot_devclass *c = &cat->classes[i];
		if (!ld_kind(l, e, YDOC_MAP, "a device class"))
			continue;
		ld_keys(l, e, ckeys, "a device class");
		const struct ydoc_node *id = ld_need(l, e, "id", "a device class");
		if (id)
			c->id = ld_id(l, id, "device class id");
		if (c->id && iot_catalog_find_class(cat, c->id) != i)
			ld_error(l, id, "duplicate device class id '%s'", c->id);
		const struct ydoc_node *nm = ld_need(l, e, "name", "a device class");
		if (nm)
			ld_text(l, nm, "device class name", &c->name);
		const struct ydoc_node *th = ld_need(l, e, "threats", "a device class");
		size_t nt = th ? ld_list(l, th, "device class threats") : 0;
		c->threats = ld_calloc(l, nt, sizeof(size_t));
		if (!c->threats)
			continue;
		for (size_t j = 0; j < nt; j++) {
			const char *s = ld_str(l, th->items[j], "a threat");
			if (!s)
				continue;
			size_t t = iot_catalog_find_threat(cat, s);
			if (t == IOT_NONE) {
				ld_error(l, th->items[j], "unknown threat '%.64s'", s);
				continue;
			}
			c->threats[c->nthreats++] = t;
		}
	}
}

static void load_requirements(struct ld *l, const struct ydoc_node *root,
			      struct iot_catalog *cat)
{
	static const char *const top[] = { "requirements", NULL };
	static const char *const rkeys[] = { "id", "perspective", "target",
					     "title", "measures", "cpsf",
					     "cpsf_basis", NULL };
	static const char *const bases[] = { "seed", "mamori" };

	if (!ld_kind(l, root, YDOC_MAP, "the requirements file"))
		return;
	ld_keys(l, root, top, "the requirements file");
	const struct ydoc_node *seq = ld_need(l, root, "requirements",
					      "the requirements file");
	size_t n = seq ? ld_list(l, seq, "requirements") : 0;
	cat->requirements = ld_calloc(l, n, sizeof(*cat->requirements));
	if (!cat->requirements)
		return;
	cat->nrequirements = n;
	for (size_t i = 0; i < n; i++) {
		const struct ydoc_node *e = seq->items[i];
		struct iot_requirement *r = &cat->requirements[i];
		r->perspective = r->target = IOT_NONE;
		if (!ld_kind(l, e, YDOC_MAP, "a requirement"))
			continue;
		ld_keys(l, e, rkeys, "a requirement");
		const struct ydoc_node *id = ld_need(l, e, "id", "a requirement");
		if (id)
			r->id = ld_id(l, id, "requirement id");
		if (r->id && iot_catalog_find_requirement(cat, r->id) != i)
			ld_error(l, id, "duplicate requirement id '%s'", r->id);
		const char *what = ld_what(l, "requirement %s", r->id ? r->id : "?");
		const struct ydoc_node *p = ld_need(l, e, "perspective", what);
		const char *ps = p ? ld_str(l, p, "perspective") : NULL;
		if (ps) {
			r->perspective = find_named(cat->perspectives,
						    cat->nperspectives, ps);
			if (r->perspective == IOT_NONE)
				ld_error(l, p, "unknown perspective '%.64s'", ps);
		}
		const struct ydoc_node *t = ld_need(l, e, "target", what);
		const char *ts = t ? ld_str(l, t, "target") : NULL;
		if (ts) {
			r->target = find_named(cat->targets, cat->ntargets, ts);
			if (r->target == IOT_NONE)
				ld_error(l, t, "unknown implementation target '%.64s'",
					 ts);
		}
		const struct ydoc_node *ti = ld_need(l, e, "title", what);
		if (ti)
			ld_text(l, ti, "requirement title", &r->title);
		const struct ydoc_node *ms = ydoc_get(e, "measures");
		size_t nm = ms ? ld_list(l, ms, "measures") : 0;
		r->measures = ld_calloc(l, nm, sizeof(*r->measures));
		for (size_t j = 0; r->measures && j < nm; j++)
			if (ld_text(l, ms->items[j], "a measure",
				    &r->measures[r->nmeasures]))
				r->nmeasures++;
		const struct ydoc_node *cp = ydoc_get(e, "cpsf");
		size_t nc = cp ? ld_list(l, cp, "cpsf") : 0;
		r->cpsf = ld_calloc(l, nc, sizeof(*r->cpsf));
		for (size_t j = 0; r->cpsf && j < nc; j++) {
			const char *s = ld_str(l, cp->items[j], "a CPSF id");
			if (!s)
				continue;
			if (strncmp(s, "CPS.", 4) != 0) {
				ld_error(l, cp->items[j],
					 "CPSF id '%.64s' must start with 'CPS.'", s);
				continue;
			}
			r->cpsf[r->ncpsf++] = ld_strdup(l, s);
		}
		const struct ydoc_node *cb = ydoc_get(e, "cpsf_basis");
		if (cb) {
			int b = ld_enum(l, cb, bases, 2, "cpsf_basis");
			if (b >= 0)
				r->cpsf_basis = bases[b];
		}
		if (r->ncpsf && !r->cpsf_basis)
			ld_error(l, e, "%s: a CPSF mapping needs 'cpsf_basis' "
				 "(seed or mamori)", what);
	}
}

static const char *const strength_ids[IOT_STRENGTH__MAX] = {
	[IOT_STRENGTH_OPTIONAL] = "optional",
	[IOT_STRENGTH_RECOMMENDED] = "recommended",
	[IOT_STRENGTH_REQUIRED] = "required",
};

static void load_rule(struct ld *l, const struct ydoc_node *root,
		      struct iot_catalog *cat)
{
	static const char *const top[] = { "note", "categories", "grid", NULL };
	static const char *const ckeys[] = { "id", "name", "description",
					     "color", "strength", "overrides",
					     NULL };

	if (!ld_kind(l, root, YDOC_MAP, "the rule file"))
		return;
	ld_keys(l, root, top, "the rule file");
	ld_opt_text(l, root, "note", "note", &cat->rule_note);
	const struct ydoc_node *seq = ld_need(l, root, "categories", "the rule file");
	size_t n = seq ? ld_list(l, seq, "categories") : 0;
	cat->categories = ld_calloc(l, n, sizeof(*cat->categories));
	if (!cat->categories)
		return;
	cat->ncategories = n;
	for (size_t i = 0; i < n; i++) {
		const struct ydoc_node *e = seq->items[i];
		struct iot_category *c = &cat->categories[i];
		if (!ld_kind(l, e, YDOC_MAP, "a category"))
			continue;
		ld_keys(l, e, ckeys, "a category");
		const struct ydoc_node *id = ld_need(l, e, "id", "a category");
		if (id)
			c->id = ld_id(l, id, "category id");
		if (c->id && iot_catalog_find_category(cat, c->id) != i)
			ld_error(l, id, "duplicate category id '%s'", c->id);
		const char *what = ld_what(l, "category %s", c->id ? c->id : "?");
		const struct ydoc_node *nm = ld_need(l, e, "name", what);
		if (nm)
			ld_text(l, nm, "category name", &c->name);
		ld_opt_text(l, e, "description", what, &c->desc);
		c->color = "#eeeeee";
		const struct ydoc_node *co = ydoc_get(e, "color");
		if (co) {
			const char *s = ld_str(l, co, "color");
			bool ok = s && strlen(s) == 7 && s[0] == '#';
			for (size_t k = 1; ok && k < 7; k++)
				ok = (s[k] >= '0' && s[k] <= '9') ||
				     (s[k] >= 'a' && s[k] <= 'f');
			if (s && !ok)
				ld_error(l, co, "color must be '#rrggbb' (lower-case hex)");
			else if (s)
				c->color = ld_strdup(l, s);
		}
		const struct ydoc_node *st = ld_need(l, e, "strength", what);
		if (st && ld_kind(l, st, YDOC_MAP, "strength")) {
			for (size_t p = 0; p < cat->nperspectives; p++) {
				const struct ydoc_node *v = ydoc_get(st, cat->perspectives[p].id
								     ? cat->perspectives[p].id : "");
				if (!v) {
					ld_error(l, st, "%s: strength: missing perspective '%s'",
						 what, cat->perspectives[p].id
						 ? cat->perspectives[p].id : "?");
					continue;
				}
				int s = ld_enum(l, v, strength_ids, IOT_STRENGTH__MAX,
						"strength");
				if (s > 0)
					c->perspective[p] = (enum iot_strength)s;
			}
			for (size_t k = 0; k < st->n; k++)
				if (find_named(cat->perspectives, cat->nperspectives,
					       st->pairs[k].key->str.p) == IOT_NONE)
					ld_error(l, st->pairs[k].key,
						 "unknown perspective '%.64s'",
						 st->pairs[k].key->str.p);
		}
		const struct ydoc_node *ov = ydoc_get(e, "overrides");
		if (ov && ld_kind(l, ov, YDOC_MAP, "overrides")) {
			c->override = ld_calloc(l, cat->nrequirements,
						sizeof(*c->override));
			for (size_t k = 0; c->override && k < ov->n; k++) {
				const char *rid = ov->pairs[k].key->str.p;
				size_t r = iot_catalog_find_requirement(cat, rid);
				if (r == IOT_NONE) {
					ld_error(l, ov->pairs[k].key,
						 "unknown requirement '%.64s'", rid);
					continue;
				}
				int s = ld_enum(l, ov->pairs[k].value, strength_ids,
						IOT_STRENGTH__MAX, "strength");
				if (s > 0)
					c->override[r] = (enum iot_strength)s;
			}
		}
	}
	const struct ydoc_node *g = ld_need(l, root, "grid", "the rule file");
	if (!g || !ld_list(l, g, "grid"))
		return;
	if (g->n != IOT_LEVELS) {
		ld_error(l, g, "grid must have %d rows (axis 1 levels), not %zu",
			 IOT_LEVELS, g->n);
		return;
	}
	for (size_t a = 0; a < IOT_LEVELS; a++) {
		const struct ydoc_node *row = g->items[a];
		if (!ld_list(l, row, "a grid row"))
			continue;
		if (row->n != IOT_LEVELS) {
			ld_error(l, row, "a grid row must have %d categories "
				 "(axis 2 levels), not %zu", IOT_LEVELS, row->n);
			continue;
		}
		for (size_t b = 0; b < IOT_LEVELS; b++) {
			const char *s = ld_str(l, row->items[b], "a grid cell");
			cat->grid[a][b] = IOT_NONE;
			if (!s)
				continue;
			cat->grid[a][b] = iot_catalog_find_category(cat, s);
			if (cat->grid[a][b] == IOT_NONE)
				ld_error(l, row->items[b], "unknown category '%.64s'", s);
		}
	}
	/* A higher position must never fall in a lower category. */
	for (size_t a = 0; a < IOT_LEVELS; a++)
		for (size_t b = 0; b < IOT_LEVELS; b++) {
			size_t c = cat->grid[a][b];
			if (c == IOT_NONE)
				continue;
			if ((a + 1 < IOT_LEVELS && cat->grid[a + 1][b] != IOT_NONE &&
			     cat->grid[a + 1][b] < c) ||
			    (b + 1 < IOT_LEVELS && cat->grid[a][b + 1] != IOT_NONE &&
			     cat->grid[a][b + 1] < c)) {
				ld_error(l, g->items[a]->items[b],
					 "grid: category '%s' at axis 1 level %zu, "
					 "axis 2 level %zu is above a higher position's",
					 cat->categories[c].id ? cat->categories[c].id : "?",
					 a + 1, b + 1);
			}
		}
}

typedef void (*part_loader)(struct ld *, const struct ydoc_node *,
			    struct iot_catalog *);
static const part_loader loaders[IOT_PART__MAX] = {
	[IOT_PART_FRAMEWORK] = load_framework,
	[IOT_PART_THREATS] = load_threats,
	[IOT_PART_REQUIREMENTS] = load_requirements,
	[IOT_PART_RULE] = load_rule,
};

enum mamori_err iot_catalog_parse(struct iot_catalog *cat,
				  const struct iot_source src[IOT_PART__MAX],
				  struct strbuf *err)
{
	int nerr = 0;

	for (size_t p = 0; p < IOT_PART__MAX; p++) {
		struct ydoc doc;
		enum mamori_err e = ydoc_parse(&doc, src[p].name, src[p].buf,
					       src[p].len, err);
		if (e) {
			ydoc_release(&doc);
			return e;
		}
		struct ld l = { .doc = &doc, .arena = &cat->arena, .err = err };
		if (!doc.root)
			ld_error(&l, NULL, "empty file");
		else
			loaders[p](&l, doc.root, cat);
		ydoc_release(&doc);
		if (l.oom)
			return MAMORI_ENOMEM;
		nerr += l.nerr;
		if (nerr)	/* later parts refer to earlier ones */
			return MAMORI_ESCHEMA;
	}
	return MAMORI_OK;
}

enum mamori_err iot_catalog_load_dir(struct iot_catalog *cat, const char *dir,
				     struct strbuf *err)
{
	struct iot_source src[IOT_PART__MAX];
	struct strbuf path[IOT_PART__MAX], body[IOT_PART__MAX];
	enum mamori_err e = MAMORI_OK;

	for (size_t p = 0; p < IOT_PART__MAX; p++) {
		strbuf_init(&path[p], 0);
		strbuf_init(&body[p], YDOC_MAX_BYTES);
	}
	for (size_t p = 0; p < IOT_PART__MAX; p++) {
		strbuf_addf(&path[p], "%s/%s", dir, iot_catalog_file[p]);
		if (path[p].err) {
			e = path[p].err;
			goto out;
		}
		e = strbuf_read_file(&body[p], path[p].buf, err);
		if (e)
			goto out;
		src[p] = (struct iot_source){ path[p].buf, body[p].buf, body[p].len };
	}
	e = iot_catalog_parse(cat, src, err);
out:
	for (size_t p = 0; p < IOT_PART__MAX; p++) {
		strbuf_release(&path[p]);
		strbuf_release(&body[p]);
	}
	return e;
}
