/*
 * json.c - the assessment as JSON for programs (schema in docs/iot-ssf.md,
 * "mamori.iotssf.assessment/1"). Built with jansson; keys are stable,
 * texts are in the requested language. Must never decide anything.
 */
#include "iotssf/iotssf.h"

#include <jansson.h>
#include <stdlib.h>

#include "util/banned.h"

static json_t *js(const char *s)
{
	json_t *v = s ? json_string(s) : json_null();
	return v ? v : json_null();
}

static json_t *jcat(const struct iot_catalog *cat, size_t c)
{
	return c == IOT_NONE || c >= cat->ncategories ? json_null()
						     : js(cat->categories[c].id);
}

static json_t *jstake(const struct iot_model *m, size_t s)
{
	return s == IOT_NONE ? json_null() : js(m->stakeholders[s].id);
}

static void set(json_t *o, const char *k, json_t *v)
{
	json_object_set_new(o, k, v ? v : json_null());
}

static json_t *measure_json(const struct iot_model *m,
			    const struct iot_measure *ms, enum iot_lang lang)
{
	json_t *o = json_object();
	set(o, "requirement", js(m->cat->requirements[ms->requirement].id));
	set(o, "text", js(iot_text_get(&ms->text, lang)));
	set(o, "status", js(iot_status_name(ms->status)));
	set(o, "owner", jstake(m, ms->owner));
	return o;
}

static json_t *positions_json(const struct iot_assessment *a)
{
	static const char *const states[IOT_RES__MAX] = {
		[IOT_RES_NONE] = "none", [IOT_RES_PENDING] = "pending",
		[IOT_RES_ACHIEVED] = "achieved", [IOT_RES_ELIMINATED] = "eliminated",
	};
	const struct iot_model *m = a->model;
	json_t *arr = json_array();

	for (size_t k = 0; k < a->npositions; k++) {
		const struct iot_position *p = &a->positions[k];
		const struct iot_rating *r = &m->incidents[p->incident].ratings[p->rating];
		json_t *o = json_object();
		set(o, "incident", js(m->incidents[p->incident].id));
		set(o, "stakeholder", jstake(m, p->stakeholder));
		set(o, "axis1", json_integer(r->axis1));
		set(o, "axis2", json_integer(r->axis2));
		set(o, "category", jcat(m->cat, p->category));
		set(o, "target", jcat(m->cat, m->stakeholders[p->stakeholder].target));
		set(o, "above_target", json_boolean(p->above));
		set(o, "treatment", p->decision
		    ? js(iot_treatment_name(p->decision->treatment)) : json_null());
		json_t *after = json_object();
		set(after, "state", js(states[p->state]));
		if (p->state == IOT_RES_ELIMINATED) {
			set(after, "axis1", json_null());
			set(after, "axis2", json_null());
		} else {
			set(after, "axis1", json_integer(p->eff_axis1));
			set(after, "axis2", json_integer(p->eff_axis2));
		}
		set(after, "category", jcat(m->cat, p->eff_category));
		set(after, "above_target", json_boolean(p->eff_above));
		if (p->decision && p->decision->has_residual) {
			json_t *st = json_object();
			set(st, "axis1", json_integer(p->decision->res_axis1));
			set(st, "axis2", json_integer(p->decision->res_axis2));
			set(after, "stated", st);
		} else {
			set(after, "stated", json_null());
		}
		set(o, "after_measures", after);
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *devices_json(const struct iot_assessment *a, enum iot_lang lang)
{
	const struct iot_model *m = a->model;
	const struct iot_catalog *cat = m->cat;
	json_t *arr = json_array();

	for (size_t d = 0; d < m->ndevices; d++) {
		const struct iot_device *dv = &m->devices[d];
		json_t *o = json_object(), *con = json_array(), *th = json_array();
		set(o, "id", js(dv->id));
		set(o, "name", js(iot_text_get(&dv->name, lang)));
		set(o, "class", js(cat->classes[dv->cls].id));
		set(o, "location", dv->location.ja || dv->location.en
		    ? js(iot_text_get(&dv->location, lang)) : json_null());
		set(o, "owner", jstake(m, dv->owner));
		for (size_t i = 0; i < dv->nconnects; i++)
			json_array_append_new(con, js(m->devices[dv->connects[i]].id));
		set(o, "connects", con);
		for (size_t t = 0; t < cat->nthreats; t++) {
			const struct iot_cell *c = iot_cell_at(a, d, t);
			if (!c->typical && !c->principal)
				continue;
			json_t *x = json_object();
			set(x, "id", js(cat->threats[t].id));
			set(x, "source", js(!c->typical ? "incident"
					    : dv->threats_given ? "model" : "catalogue"));
			set(x, "principal", json_boolean(c->principal));
			json_array_append_new(th, x);
		}
		set(o, "threats", th);
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *requirements_json(const struct iot_assessment *a,
				 enum iot_lang lang)
{
	const struct iot_model *m = a->model;
	const struct iot_catalog *cat = m->cat;
	json_t *arr = json_array();

	for (size_t r = 0; r < cat->nrequirements; r++) {
		const struct iot_requirement *q = &cat->requirements[r];
		json_t *o = json_object(), *cp = json_array(), *ms = json_array();
		set(o, "id", js(q->id));
		set(o, "perspective", js(cat->perspectives[q->perspective].id));
		set(o, "target", js(cat->targets[q->target].id));
		set(o, "title", js(iot_text_get(&q->title, lang)));
		set(o, "strength", js(iot_strength_name(a->reqs[r].strength)));
		set(o, "status", js(iot_status_name(a->reqs[r].status)));
		for (size_t i = 0; i < q->ncpsf; i++)
			json_array_append_new(cp, js(q->cpsf[i]));
		set(o, "cpsf", cp);
		set(o, "cpsf_basis", js(q->cpsf_basis));
		for (size_t i = 0; i < m->ndecisions; i++) {
			const struct iot_decision *d = &m->decisions[i];
			for (size_t j = 0; j < d->nmeasures; j++) {
				if (d->measures[j].requirement != r)
					continue;
				json_t *x = measure_json(m, &d->measures[j], lang);
				set(x, "incident", js(m->incidents[d->incident].id));
				set(x, "stakeholder", jstake(m, d->stakeholder));
				json_array_append_new(ms, x);
			}
		}
		set(o, "measures", ms);
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *decisions_json(const struct iot_model *m, enum iot_lang lang)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < m->ndecisions; i++) {
		const struct iot_decision *d = &m->decisions[i];
		json_t *o = json_object(), *ms = json_array();
		set(o, "incident", js(m->incidents[d->incident].id));
		set(o, "stakeholder", jstake(m, d->stakeholder));
		set(o, "treatment", js(iot_treatment_name(d->treatment)));
		set(o, "policy", d->policy.ja || d->policy.en
		    ? js(iot_text_get(&d->policy, lang)) : json_null());
		set(o, "rationale", d->rationale.ja || d->rationale.en
		    ? js(iot_text_get(&d->rationale, lang)) : json_null());
		for (size_t j = 0; j < d->nmeasures; j++)
			json_array_append_new(ms, measure_json(m, &d->measures[j], lang));
		set(o, "measures", ms);
		if (d->has_residual) {
			json_t *r = json_object();
			set(r, "axis1", json_integer(d->res_axis1));
			set(r, "axis2", json_integer(d->res_axis2));
			set(o, "residual", r);
		} else {
			set(o, "residual", json_null());
		}
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *gaps_json(const struct iot_assessment *a)
{
	const struct iot_model *m = a->model;
	const struct iot_catalog *cat = m->cat;
	json_t *arr = json_array();

	for (size_t g = 0; g < a->ngaps; g++) {
		const struct iot_gap *gp = &a->gaps[g];
		json_t *o = json_object();
		set(o, "rank", json_integer((json_int_t)g + 1));
		if (gp->kind == IOT_GAP_INCIDENT) {
			const struct iot_position *p = &a->positions[gp->index];
			set(o, "kind", js("incident"));
			set(o, "incident", js(m->incidents[p->incident].id));
			set(o, "stakeholder", jstake(m, p->stakeholder));
			set(o, "category", jcat(cat, p->eff_category));
			set(o, "target", jcat(cat, m->stakeholders[p->stakeholder].target));
			set(o, "treatment", p->decision
			    ? js(iot_treatment_name(p->decision->treatment))
			    : json_null());
		} else {
			set(o, "kind", js("requirement"));
			set(o, "requirement", js(cat->requirements[gp->index].id));
			set(o, "strength", js(iot_strength_name(a->reqs[gp->index].strength)));
			set(o, "status", js(iot_status_name(a->reqs[gp->index].status)));
		}
		json_array_append_new(arr, o);
	}
	return arr;
}

enum mamori_err iot_render_json(const struct iot_assessment *a,
				enum iot_lang lang, struct strbuf *out)
{
	const struct iot_model *m = a->model;
	const struct iot_catalog *cat = m->cat;
	json_t *root = json_object(), *o;

	if (!root)
		return MAMORI_ENOMEM;
	set(root, "schema", js("mamori.iotssf.assessment/1"));
	set(root, "lang", js(lang == IOT_LANG_JA ? "ja" : "en"));
	set(root, "catalog_version", js(cat->version));
	o = json_object();
	set(o, "id", js(m->id));
	set(o, "title", js(iot_text_get(&m->title, lang)));
	set(o, "file", js(m->file));
	set(root, "model", o);
	o = json_array();
	for (size_t c = 0; c < cat->ncategories; c++) {
		json_t *x = json_object();
		set(x, "id", js(cat->categories[c].id));
		set(x, "name", js(iot_text_get(&cat->categories[c].name, lang)));
		set(x, "rank", json_integer((json_int_t)c + 1));
		json_array_append_new(o, x);
	}
	set(root, "categories", o);
	set(root, "system_category", jcat(cat, a->system_category));
	o = json_array();
	for (size_t s = 0; s < m->nstakeholders; s++) {
		const struct iot_stakeholder *st = &m->stakeholders[s];
		json_t *x = json_object();
		set(x, "id", js(st->id));
		set(x, "name", js(iot_text_get(&st->name, lang)));
		set(x, "role", js(iot_role_name(st->role)));
		set(x, "target", jcat(cat, st->target));
		set(x, "category", jcat(cat, a->stake_category[s]));
		set(x, "category_after", jcat(cat, a->stake_eff_category[s]));
		set(x, "above_target", json_boolean(a->stake_category[s] != IOT_NONE &&
						    a->stake_category[s] > st->target));
		set(x, "above_target_after", json_boolean(
			a->stake_eff_category[s] != IOT_NONE &&
			a->stake_eff_category[s] > st->target));
		json_array_append_new(o, x);
	}
	set(root, "stakeholders", o);
	o = json_array();
	for (size_t i = 0; i < m->nincidents; i++) {
		const struct iot_incident *inc = &m->incidents[i];
		json_t *x = json_object(), *dv = json_array(), *th = json_array();
		set(x, "id", js(inc->id));
		set(x, "what", js(iot_text_get(&inc->what, lang)));
		set(x, "consequence", inc->consequence.ja || inc->consequence.en
		    ? js(iot_text_get(&inc->consequence, lang)) : json_null());
		for (size_t d = 0; d < inc->ndevices; d++)
			json_array_append_new(dv, js(m->devices[inc->devices[d]].id));
		for (size_t t = 0; t < inc->nthreats; t++)
			json_array_append_new(th, js(cat->threats[inc->threats[t]].id));
		set(x, "devices", dv);
		set(x, "threats", th);
		json_array_append_new(o, x);
	}
	set(root, "incidents", o);
	set(root, "positions", positions_json(a));
	set(root, "devices", devices_json(a, lang));
	set(root, "requirements", requirements_json(a, lang));
	set(root, "decisions", decisions_json(m, lang));
	set(root, "gaps", gaps_json(a));
	o = json_object();
	set(o, "above_target", json_integer((json_int_t)a->above_inherent));
	set(o, "above_target_after", json_integer((json_int_t)a->above_after));
	set(o, "required_open", json_integer((json_int_t)a->required_open));
	set(o, "gaps", json_integer((json_int_t)a->ngaps));
	set(o, "exit", json_integer(iot_assessment_exit(a)));
	set(root, "summary", o);

	char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!s)
		return MAMORI_ENOMEM;
	strbuf_addstr(out, s);
	strbuf_addch(out, '\n');
	free(s);
	return out->err;
}
