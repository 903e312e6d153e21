/*
 * model.c - loads and validates an operator's IoT-SSF system model
 * (overview, stakeholders, devices, data flows, incidents rated on the two
 * axes per stakeholder, decisions and measures) against a catalogue.
 * Every problem is reported as "file:line:col: message"; loading goes on
 * after a problem so that one run shows all of them. Must never assess,
 * print or allocate outside the model's arena.
 */
#include "iotssf/load.h"

#include <string.h>

#include "util/banned.h"

void iot_model_init(struct iot_model *m, const struct iot_catalog *cat)
{
	memset(m, 0, sizeof(*m));
	arena_init(&m->arena, 16384);
	m->cat = cat;
}

void iot_model_release(struct iot_model *m)
{
	arena_release(&m->arena);
	memset(m, 0, sizeof(*m));
}

/* Ids are found through a getter so one resolver serves every list. */
typedef const char *(*id_at)(const void *base, size_t i);

static const char *stake_id(const void *b, size_t i)
{
	return ((const struct iot_stakeholder *)b)[i].id;
}

static const char *device_id(const void *b, size_t i)
{
	return ((const struct iot_device *)b)[i].id;
}

static const char *incident_id(const void *b, size_t i)
{
	return ((const struct iot_incident *)b)[i].id;
}

static const char *threat_id(const void *b, size_t i)
{
	return ((const struct iot_named *)b)[i].id;
}

static const char *req_id(const void *b, size_t i)
{
	return ((const struct iot_requirement *)b)[i].id;
}

static const char *class_id(const void *b, size_t i)
{
	return ((const struct iot_devclass *)b)[i].id;
}

static const char *category_id(const void *b, size_t i)
{
	return ((const struct iot_category *)b)[i].id;
}

/*
 * The index of the id written at node n among base[0..count), or IOT_NONE
 * after reporting "CTX: unknown KIND 'x' (did you mean 'y'?)".
 */
static size_t resolve(struct ld *l, const struct ydoc_node *n, const char *ctx,
		      const char *kind, const void *base, size_t count,
		      id_at get)
{
	const char *s = ld_str(l, n, kind);
	const char *best = NULL;
	size_t bestd = 3;

	if (!s)
		return IOT_NONE;
	for (size_t i = 0; i < count; i++) {
		const char *id = get(base, i);
		if (!id)
			continue;
		if (!strcmp(id, s))
			return i;
		size_t d = ydoc_edit_distance(s, id, 2);
		if (d < bestd) {
			bestd = d;
			best = id;
		}
	}
	if (best)
		ld_error(l, n, "%s: unknown %s '%.64s' (did you mean '%s'?)", ctx,
			 kind, s, best);
	else
		ld_error(l, n, "%s: unknown %s '%.64s'", ctx, kind, s);
	return IOT_NONE;
}

/* Reads the id of entry e of a list; reports duplicates among earlier ones. */
static const char *entry_id(struct ld *l, const struct ydoc_node *e,
			    const char *kind, const void *base, size_t before,
			    id_at get)
{
	const struct ydoc_node *n = ld_need(l, e, "id", kind);

	if (!n)
		return NULL;
	const char *id = ld_id(l, n, ld_what(l, "%s id", kind));
	if (!id)
		return NULL;
	for (size_t i = 0; i < before; i++)
		if (get(base, i) && !strcmp(get(base, i), id)) {
			ld_error(l, n, "duplicate %s id '%s'", kind, id);
			break;
		}
	return id;
}

/* A list of references resolved into an arena array of indexes. */
static size_t *resolve_list(struct ld *l, const struct ydoc_node *seq,
			    const char *ctx, const char *kind, const void *base,
			    size_t count, id_at get, size_t *nout)
{
	size_t n = ld_list(l, seq, ld_what(l, "%s: %ss", ctx, kind));
	size_t *v = ld_calloc(l, n, sizeof(size_t));

	*nout = 0;
	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		size_t k = resolve(l, seq->items[i], ctx, kind, base, count, get);
		if (k == IOT_NONE)
			continue;
		bool dup = false;
		for (size_t j = 0; j < *nout; j++)
			dup |= v[j] == k;
		if (dup) {
			ld_error(l, seq->items[i], "%s: %s '%s' listed twice", ctx,
				 kind, get(base, k));
			continue;
		}
		v[(*nout)++] = k;
	}
	return v;
}

static const char *const role_ids[IOT_ROLE__MAX] = {
	[IOT_ROLE_APPLYING_PARTY] = "applying-party",
	[IOT_ROLE_INTEGRATOR] = "integrator",
	[IOT_ROLE_MANUFACTURER] = "manufacturer",
	[IOT_ROLE_SERVICE_PROVIDER] = "service-provider",
	[IOT_ROLE_OPERATOR] = "operator",
	[IOT_ROLE_USER] = "user",
	[IOT_ROLE_OTHER] = "other",
};

static void load_stakeholders(struct ld *l, const struct ydoc_node *seq,
			      struct iot_model *m)
{
	static const char *const keys[] = { "id", "name", "role", "description",
					    "criteria", "target", NULL };
	const struct iot_catalog *cat = m->cat;
	size_t n = ld_list(l, seq, "stakeholders");

	m->stakeholders = ld_calloc(l, n, sizeof(*m->stakeholders));
	if (!m->stakeholders)
		return;
	if (n == 0)
		ld_error(l, seq, "stakeholders: list at least one stakeholder");
	m->nstakeholders = n;
	for (size_t i = 0; i < n; i++) {
		const struct ydoc_node *e = seq->items[i];
		struct iot_stakeholder *s = &m->stakeholders[i];
		s->target = IOT_NONE;
		if (!ld_kind(l, e, YDOC_MAP, "a stakeholder"))
			continue;
		s->id = entry_id(l, e, "stakeholder", m->stakeholders, i, stake_id);
		const char *what = ld_what(l, "stakeholder '%s'", s->id ? s->id : "?");
		ld_keys(l, e, keys, what);
		const struct ydoc_node *nm = ld_need(l, e, "name", what);
		if (nm)
			ld_text(l, nm, ld_what(l, "%s: name", what), &s->name);
		const struct ydoc_node *r = ld_need(l, e, "role", what);
		if (r) {
			int k = ld_enum(l, r, role_ids, IOT_ROLE__MAX,
					ld_what(l, "%s: role", what));
			s->role = k >= 0 ? (enum iot_role)k : IOT_ROLE_OTHER;
		}
		ld_opt_text(l, e, "description", what, &s->desc);
		ld_opt_text(l, e, "criteria", what, &s->criteria);
		const struct ydoc_node *t = ld_need(l, e, "target", what);
		if (t)
			s->target = resolve(l, t, what, "category", cat->categories,
					    cat->ncategories, category_id);
	}
}

static void load_devices(struct ld *l, const struct ydoc_node *seq,
			 struct iot_model *m)
{
	static const char *const keys[] = { "id", "name", "class", "location",
					    "owner", "connects", "threats", NULL };
	const struct iot_catalog *cat = m->cat;
	size_t n = ld_list(l, seq, "devices");

	m->devices = ld_calloc(l, n, sizeof(*m->devices));
	if (!m->devices)
		return;
	if (n == 0)
		ld_error(l, seq, "devices: list at least one device");
	m->ndevices = n;
	for (size_t i = 0; i < n; i++) {
		const struct ydoc_node *e = seq->items[i];
		struct iot_device *d = &m->devices[i];
		d->cls = d->owner = IOT_NONE;
		if (!ld_kind(l, e, YDOC_MAP, "a device"))
			continue;
		d->id = entry_id(l, e, "device", m->devices, i, device_id);
		const char *what = ld_what(l, "device '%s'", d->id ? d->id : "?");
		ld_keys(l, e, keys, what);
		const struct ydoc_node *nm = ld_need(l, e, "name", what);
		if (nm)
			ld_text(l, nm, ld_what(l, "%s: name", what), &d->name);
		const struct ydoc_node *c = ld_need(l, e, "class", what);
		if (c)
			d->cls = resolve(l, c, what, "device class", cat->classes,
					 cat->nclasses, class_id);
		ld_opt_text(l, e, "location", what, &d->location);
		const struct ydoc_node *o = ydoc_get(e, "owner");
		if (o)
			d->owner = resolve(l, o, what, "stakeholder",
					   m->stakeholders, m->nstakeholders,
					   stake_id);
		const struct ydoc_node *th = ydoc_get(e, "threats");
		if (th) {
			d->threats_given = true;
			d->threats = resolve_list(l, th, what, "threat",
						  cat->threats, cat->nthreats,
						  threat_id, &d->nthreats);
		} else if (d->cls != IOT_NONE) {
			d->nthreats = cat->classes[d->cls].nthreats;
			d->threats = cat->classes[d->cls].threats;
		}
	}
	/* Connections may name devices listed later: second pass. */
	for (size_t i = 0; i < n; i++) {
		const struct ydoc_node *e = seq->items[i];
		struct iot_device *d = &m->devices[i];
		const struct ydoc_node *cn = ydoc_get(e, "connects");
		if (!cn || e->kind != YDOC_MAP)
			continue;
		const char *what = ld_what(l, "device '%s'", d->id ? d->id : "?");
		d->connects = resolve_list(l, cn, what, "device", m->devices,
					   m->ndevices, device_id, &d->nconnects);
		for (size_t j = 0; d->connects && j < d->nconnects; j++)
			if (d->connects[j] == i)
				ld_error(l, cn, "%s: a device cannot connect to itself",
					 what);
	}
}

static void load_flows(struct ld *l, const struct ydoc_node *seq,
		       struct iot_model *m)
{
	static const char *const keys[] = { "id", "from", "to", "data", NULL };
	size_t n = ld_list(l, seq, "flows");

	m->flows = ld_calloc(l, n, sizeof(*m->flows));
	if (!m->flows)
		return;
	m->nflows = n;
	for (size_t i = 0; i < n; i++) {
		const struct ydoc_node *e = seq->items[i];
		struct iot_flow *f = &m->flows[i];
		f->from = f->to = IOT_NONE;
		if (!ld_kind(l, e, YDOC_MAP, "a data flow"))
			continue;
		const char *what = ld_what(l, "data flow %zu", i + 1);
		ld_keys(l, e, keys, what);
		const struct ydoc_node *id = ydoc_get(e, "id");
		if (id)
			f->id = ld_id(l, id, "data flow id");
		const struct ydoc_node *fr = ld_need(l, e, "from", what);
		if (fr)
			f->from = resolve(l, fr, what, "device", m->devices,
					  m->ndevices, device_id);
		const struct ydoc_node *to = ld_need(l, e, "to", what);
		if (to)
			f->to = resolve(l, to, what, "device", m->devices,
					m->ndevices, device_id);
		const struct ydoc_node *da = ld_need(l, e, "data", what);
		if (da)
			ld_text(l, da, ld_what(l, "%s: data", what), &f->data);
	}
}

static void load_ratings(struct ld *l, const struct ydoc_node *seq,
			 const char *what, struct iot_model *m,
			 struct iot_incident *inc)
{
	static const char *const keys[] = { "stakeholder", "axis1", "axis2",
					    NULL };
	size_t n = ld_list(l, seq, ld_what(l, "%s: ratings", what));

	inc->ratings = ld_calloc(l, n, sizeof(*inc->ratings));
	if (!inc->ratings)
		return;
	if (n == 0)
		ld_error(l, seq, "%s: rate the incident for at least one "
			 "stakeholder", what);
	for (size_t i = 0; i < n; i++) {
		const struct ydoc_node *e = seq->items[i];
		struct iot_rating r = { .stakeholder = IOT_NONE };
		if (!ld_kind(l, e, YDOC_MAP, ld_what(l, "%s: a rating", what)))
			continue;
		ld_keys(l, e, keys, ld_what(l, "%s: rating", what));
		r.line = e->line;
		r.col = e->col;
		const struct ydoc_node *s = ld_need(l, e, "stakeholder", what);
		if (s)
			r.stakeholder = resolve(l, s, what, "stakeholder",
						m->stakeholders, m->nstakeholders,
						stake_id);
		const struct ydoc_node *a1 = ld_need(l, e, "axis1", what);
		const struct ydoc_node *a2 = ld_need(l, e, "axis2", what);
		bool ok = r.stakeholder != IOT_NONE;
		ok &= a1 && ld_int(l, a1, 1, IOT_LEVELS,
				   ld_what(l, "%s: axis1", what), &r.axis1);
		ok &= a2 && ld_int(l, a2, 1, IOT_LEVELS,
				   ld_what(l, "%s: axis2", what), &r.axis2);
		if (!ok)
			continue;
		for (size_t j = 0; j < inc->nratings; j++)
			if (inc->ratings[j].stakeholder == r.stakeholder) {
				ld_error(l, s, "%s: stakeholder '%s' is rated twice",
					 what, m->stakeholders[r.stakeholder].id);
				ok = false;
			}
		if (ok)
			inc->ratings[inc->nratings++] = r;
	}
}

static void load_incidents(struct ld *l, const struct ydoc_node *seq,
			   struct iot_model *m)
{
	static const char *const keys[] = { "id", "what", "devices", "threats",
					    "consequence", "ratings", NULL };
	const struct iot_catalog *cat = m->cat;
	size_t n = ld_list(l, seq, "incidents");

	m->incidents = ld_calloc(l, n, sizeof(*m->incidents));
	if (!m->incidents)
		return;
	if (n == 0)
		ld_error(l, seq, "incidents: list at least one incident");
	m->nincidents = n;
	for (size_t i = 0; i < n; i++) {
		const struct ydoc_node *e = seq->items[i];
		struct iot_incident *inc = &m->incidents[i];
		if (!ld_kind(l, e, YDOC_MAP, "an incident"))
			continue;
		inc->id = entry_id(l, e, "incident", m->incidents, i, incident_id);
		const char *what = ld_what(l, "incident '%s'", inc->id ? inc->id : "?");
		ld_keys(l, e, keys, what);
		const struct ydoc_node *w = ld_need(l, e, "what", what);
		if (w)
			ld_text(l, w, ld_what(l, "%s: what", what), &inc->what);
		ld_opt_text(l, e, "consequence", what, &inc->consequence);
		const struct ydoc_node *dv = ld_need(l, e, "devices", what);
		if (dv) {
			inc->devices = resolve_list(l, dv, what, "device",
						    m->devices, m->ndevices,
						    device_id, &inc->ndevices);
			if (dv->kind == YDOC_SEQ && dv->n == 0)
				ld_error(l, dv, "%s: name at least one device", what);
		}
		const struct ydoc_node *th = ld_need(l, e, "threats", what);
		if (th) {
			inc->threats = resolve_list(l, th, what, "threat",
						    cat->threats, cat->nthreats,
						    threat_id, &inc->nthreats);
			if (th->kind == YDOC_SEQ && th->n == 0)
				ld_error(l, th, "%s: name at least one threat", what);
		}
		const struct ydoc_node *ra = ld_need(l, e, "ratings", what);
		if (ra)
			load_ratings(l, ra, what, m, inc);
	}
}

static const char *const treat_ids[IOT_TREAT__MAX] = {
	[IOT_TREAT_REDUCE] = "reduce",
	[IOT_TREAT_ACCEPT] = "accept",
	[IOT_TREAT_TRANSFER] = "transfer",
	[IOT_TREAT_AVOID] = "avoid",
};

static const char *const status_ids[IOT_STATUS__MAX] = {
	[IOT_STATUS_MISSING] = "missing",
	[IOT_STATUS_PLANNED] = "planned",
	[IOT_STATUS_IMPLEMENTED] = "implemented",
};

static void load_measures(struct ld *l, const struct ydoc_node *seq,
			  const char *what, struct iot_model *m,
			  struct iot_decision *d)
{
	static const char *const keys[] = { "requirement", "measure", "status",
					    "owner", NULL };
	const struct iot_catalog *cat = m->cat;
	size_t n = ld_list(l, seq, ld_what(l, "%s: measures", what));

	d->measures = ld_calloc(l, n, sizeof(*d->measures));
	if (!d->measures)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct ydoc_node *e = seq->items[i];
		struct iot_measure ms = { .requirement = IOT_NONE,
					  .owner = IOT_NONE };
		const char *mw = ld_what(l, "%s: measure %zu", what, i + 1);
		if (!ld_kind(l, e, YDOC_MAP, mw))
			continue;
		ld_keys(l, e, keys, mw);
		const struct ydoc_node *r = ld_need(l, e, "requirement", mw);
		if (r)
			ms.requirement = resolve(l, r, mw, "requirement",
						 cat->requirements,
						 cat->nrequirements, req_id);
		const struct ydoc_node *t = ld_need(l, e, "measure", mw);
		if (t)
			ld_text(l, t, ld_what(l, "%s: measure", mw), &ms.text);
		const struct ydoc_node *st = ld_need(l, e, "status", mw);
		int k = st ? ld_enum(l, st, status_ids, IOT_STATUS__MAX,
				     ld_what(l, "%s: status", mw)) : -1;
		ms.status = k >= 0 ? (enum iot_status)k : IOT_STATUS_MISSING;
		const struct ydoc_node *o = ydoc_get(e, "owner");
		if (o)
			ms.owner = resolve(l, o, mw, "stakeholder",
					   m->stakeholders, m->nstakeholders,
					   stake_id);
		if (ms.requirement != IOT_NONE && k >= 0)
			d->measures[d->nmeasures++] = ms;
	}
}

static bool rated(const struct iot_incident *inc, size_t s,
		  const struct iot_rating **out)
{
	for (size_t i = 0; i < inc->nratings; i++)
		if (inc->ratings[i].stakeholder == s) {
			*out = &inc->ratings[i];
			return true;
		}
	return false;
}

static bool covers(const struct iot_decision *d, size_t s)
{
	return d->stakeholder == IOT_NONE || d->stakeholder == s;
}

static void load_decisions(struct ld *l, const struct ydoc_node *seq,
			   struct iot_model *m)
{
	static const char *const keys[] = { "incident", "stakeholder",
					    "treatment", "policy", "rationale",
					    "measures", "residual", NULL };
	static const char *const rkeys[] = { "axis1", "axis2", NULL };
	size_t n = ld_list(l, seq, "decisions");

	m->decisions = ld_calloc(l, n, sizeof(*m->decisions));
	if (!m->decisions)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct ydoc_node *e = seq->items[i];
		struct iot_decision d = { .incident = IOT_NONE,
					  .stakeholder = IOT_NONE };
		const char *what = ld_what(l, "decision %zu", i + 1);
		bool ok = true;
		if (!ld_kind(l, e, YDOC_MAP, what))
			continue;
		ld_keys(l, e, keys, what);
		const struct ydoc_node *in = ld_need(l, e, "incident", what);
		if (in)
			d.incident = resolve(l, in, what, "incident", m->incidents,
					     m->nincidents, incident_id);
		if (d.incident == IOT_NONE)
			continue;
		const struct iot_incident *inc = &m->incidents[d.incident];
		what = ld_what(l, "decision on '%s'", inc->id);
		const struct ydoc_node *sn = ydoc_get(e, "stakeholder");
		const struct iot_rating *rt = NULL;
		if (sn) {
			d.stakeholder = resolve(l, sn, what, "stakeholder",
						m->stakeholders, m->nstakeholders,
						stake_id);
			if (d.stakeholder == IOT_NONE)
				continue;
			if (!rated(inc, d.stakeholder, &rt)) {
				ld_error(l, sn, "%s: the incident is not rated for "
					 "stakeholder '%s'", what,
					 m->stakeholders[d.stakeholder].id);
				continue;
			}
		}
		const struct ydoc_node *tr = ld_need(l, e, "treatment", what);
		int k = tr ? ld_enum(l, tr, treat_ids, IOT_TREAT__MAX,
				     ld_what(l, "%s: treatment", what)) : -1;
		if (k < 0)
			ok = false;
		d.treatment = k >= 0 ? (enum iot_treatment)k : IOT_TREAT_REDUCE;
		ld_opt_text(l, e, "policy", what, &d.policy);
		ld_opt_text(l, e, "rationale", what, &d.rationale);
		const struct ydoc_node *ms = ydoc_get(e, "measures");
		if (ms)
			load_measures(l, ms, what, m, &d);
		if (ok && d.treatment == IOT_TREAT_ACCEPT) {
			if (!d.rationale.ja && !d.rationale.en)
				ld_error(l, e, "%s: accepting a risk needs a "
					 "'rationale'", what);
			if (ms)
				ld_error(l, ms, "%s: an accepted risk takes no "
					 "measures", what);
		} else if (ok && (!ms || (ms->kind == YDOC_SEQ && ms->n == 0))) {
			ld_error(l, ms ? ms : e, "%s: '%s' needs at least one "
				 "measure", what, treat_ids[d.treatment]);
		}
		const struct ydoc_node *rs = ydoc_get(e, "residual");
		if (rs && ok) {
			if (d.treatment == IOT_TREAT_ACCEPT ||
			    d.treatment == IOT_TREAT_AVOID) {
				ld_error(l, rs, "%s: a residual rating applies to "
					 "'reduce' and 'transfer' only", what);
			} else if (ld_kind(l, rs, YDOC_MAP,
					   ld_what(l, "%s: residual", what))) {
				ld_keys(l, rs, rkeys, ld_what(l, "%s: residual", what));
				const struct ydoc_node *a1 = ld_need(l, rs, "axis1", what);
				const struct ydoc_node *a2 = ld_need(l, rs, "axis2", what);
				bool rok = a1 && ld_int(l, a1, 1, IOT_LEVELS,
							ld_what(l, "%s: residual axis1", what),
							&d.res_axis1);
				rok &= a2 && ld_int(l, a2, 1, IOT_LEVELS,
						    ld_what(l, "%s: residual axis2", what),
						    &d.res_axis2);
				d.has_residual = rok;
				for (size_t r = 0; rok && r < inc->nratings; r++) {
					const struct iot_rating *x = &inc->ratings[r];
					if (!covers(&d, x->stakeholder))
						continue;
					if (d.res_axis1 > x->axis1 ||
					    d.res_axis2 > x->axis2) {
						ld_error(l, rs, "%s: residual rating (%d, %d) "
							 "is above the rating (%d, %d) for "
							 "stakeholder '%s'", what,
							 d.res_axis1, d.res_axis2,
							 x->axis1, x->axis2,
							 m->stakeholders[x->stakeholder].id);
						d.has_residual = false;
					}
				}
			}
		}
		/* One decision per incident and stakeholder. */
		for (size_t j = 0; ok && j < m->ndecisions; j++) {
			const struct iot_decision *o = &m->decisions[j];
			if (o->incident != d.incident)
				continue;
			for (size_t r = 0; r < inc->nratings; r++) {
				size_t s = inc->ratings[r].stakeholder;
				if (covers(o, s) && covers(&d, s)) {
					ld_error(l, e, "%s: stakeholder '%s' already "
						 "has a decision on this incident",
						 what, m->stakeholders[s].id);
					ok = false;
					break;
				}
			}
			if (!ok)
				break;
		}
		if (ok)
			m->decisions[m->ndecisions++] = d;
	}
}

static void load_criteria(struct ld *l, const struct ydoc_node *n,
			  struct iot_model *m)
{
	static const char *const keys[] = { "axis1", "axis2", NULL };

	if (!ld_kind(l, n, YDOC_MAP, "criteria"))
		return;
	ld_keys(l, n, keys, "criteria");
	for (size_t a = 0; a < 2; a++) {
		const struct ydoc_node *v = ydoc_get(n, a ? "axis2" : "axis1");
		if (!v || !ld_list(l, v, a ? "criteria: axis2" : "criteria: axis1"))
			continue;
		if (v->n != IOT_LEVELS) {
			ld_error(l, v, "criteria: axis%zu must give %d texts, one "
				 "per level, not %zu", a + 1, IOT_LEVELS, v->n);
			continue;
		}
		for (size_t i = 0; i < IOT_LEVELS; i++)
			ld_text(l, v->items[i], "a criterion", &m->axis_criteria[a][i]);
	}
}

enum mamori_err iot_model_parse(struct iot_model *m, const char *name,
				const char *buf, size_t len, struct strbuf *err)
{
	static const char *const top[] = { "id", "title", "overview", "criteria",
					   "stakeholders", "devices", "flows",
					   "incidents", "decisions", NULL };
	struct ydoc doc;
	enum mamori_err e = ydoc_parse(&doc, name, buf, len, err);

	if (e) {
		ydoc_release(&doc);
		return e;
	}
	struct ld l = { .doc = &doc, .arena = &m->arena, .err = err };
	const struct ydoc_node *root = doc.root;
	m->file = ld_strdup(&l, name);
	if (!root) {
		ld_error(&l, NULL, "empty model");
		goto out;
	}
	if (!ld_kind(&l, root, YDOC_MAP, "a model"))
		goto out;
	ld_keys(&l, root, top, "the model");
	const struct ydoc_node *id = ld_need(&l, root, "id", "the model");
	if (id)
		m->id = ld_id(&l, id, "model id");
	const struct ydoc_node *ti = ld_need(&l, root, "title", "the model");
	if (ti)
		ld_text(&l, ti, "title", &m->title);
	ld_opt_text(&l, root, "overview", "overview", &m->overview);
	const struct ydoc_node *cr = ydoc_get(root, "criteria");
	if (cr)
		load_criteria(&l, cr, m);
	const struct ydoc_node *n;
	if ((n = ld_need(&l, root, "stakeholders", "the model")))
		load_stakeholders(&l, n, m);
	if ((n = ld_need(&l, root, "devices", "the model")))
		load_devices(&l, n, m);
	if ((n = ydoc_get(root, "flows")))
		load_flows(&l, n, m);
	if ((n = ld_need(&l, root, "incidents", "the model")))
		load_incidents(&l, n, m);
	if ((n = ydoc_get(root, "decisions")))
		load_decisions(&l, n, m);
out:
	ydoc_release(&doc);
	if (l.oom)
		return MAMORI_ENOMEM;
	return l.nerr ? MAMORI_ESCHEMA : MAMORI_OK;
}
