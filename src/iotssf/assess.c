/*
 * assess.c - the IoT-SSF assessment of a validated model: the category of
 * every incident per stakeholder (the catalogue's grid), which exceed the
 * stakeholder's target, the position after implemented measures, the
 * device x threat matrix with principal threats, the strength and status
 * of every requirement, and the ranked gaps. Pure computation on the
 * model: must never read files or print.
 */
#include "iotssf/iotssf.h"

#include <stdlib.h>
#include <string.h>

#include "util/banned.h"

void iot_assessment_release(struct iot_assessment *a)
{
	arena_release(&a->arena);
	memset(a, 0, sizeof(*a));
}

static const struct iot_decision *decision_for(const struct iot_model *m,
					       size_t inc, size_t s)
{
	for (size_t i = 0; i < m->ndecisions; i++) {
		const struct iot_decision *d = &m->decisions[i];
		if (d->incident == inc &&
		    (d->stakeholder == IOT_NONE || d->stakeholder == s))
			return d;
	}
	return NULL;
}

static bool all_implemented(const struct iot_decision *d)
{
	for (size_t i = 0; i < d->nmeasures; i++)
		if (d->measures[i].status != IOT_STATUS_IMPLEMENTED)
			return false;
	return d->nmeasures > 0;
}

static void place(const struct iot_model *m, struct iot_position *p)
{
	const struct iot_catalog *cat = m->cat;
	const struct iot_rating *r = &m->incidents[p->incident].ratings[p->rating];
	size_t target = m->stakeholders[p->stakeholder].target;

	p->category = iot_catalog_category(cat, r->axis1, r->axis2);
	p->above = p->category > target;
	p->decision = decision_for(m, p->incident, p->stakeholder);
	p->eff_axis1 = r->axis1;
	p->eff_axis2 = r->axis2;
	p->eff_category = p->category;
	p->state = IOT_RES_NONE;
	const struct iot_decision *d = p->decision;
	if (d && d->treatment == IOT_TREAT_AVOID) {
		p->state = all_implemented(d) ? IOT_RES_ELIMINATED : IOT_RES_PENDING;
	} else if (d && d->has_residual) {
		p->state = all_implemented(d) ? IOT_RES_ACHIEVED : IOT_RES_PENDING;
	}
	if (p->state == IOT_RES_ACHIEVED) {
		p->eff_axis1 = d->res_axis1;
		p->eff_axis2 = d->res_axis2;
		p->eff_category = iot_catalog_category(cat, d->res_axis1,
						       d->res_axis2);
	}
	if (p->state == IOT_RES_ELIMINATED) {
		p->eff_axis1 = p->eff_axis2 = 0;
		p->eff_category = IOT_NONE;
		p->eff_above = false;
	} else {
		p->eff_above = p->eff_category > target;
	}
}

/* Gap order: incidents first (highest category after measures, then the
 * largest distance to the target, then model order); then requirements
 * (required before recommended, chosen against an above-target incident
 * first, missing before planned, then catalogue order). */
static long gap_key_incident(const struct iot_assessment *a, size_t i,
			     long *k2)
{
	const struct iot_position *p = &a->positions[i];
	size_t target = a->model->stakeholders[p->stakeholder].target;

	*k2 = (long)p->eff_category - (long)target;
	return (long)p->eff_category;
}

static int gap_cmp(const struct iot_assessment *a, const struct iot_gap *x,
		   const struct iot_gap *y)
{
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->kind == IOT_GAP_INCIDENT) {
		long dx, dy;
		long cx = gap_key_incident(a, x->index, &dx);
		long cy = gap_key_incident(a, y->index, &dy);
		if (cx != cy)
			return cx > cy ? -1 : 1;
		if (dx != dy)
			return dx > dy ? -1 : 1;
	} else {
		const struct iot_reqstate *rx = &a->reqs[x->index];
		const struct iot_reqstate *ry = &a->reqs[y->index];
		if (rx->strength != ry->strength)
			return rx->strength > ry->strength ? -1 : 1;
		if (rx->for_above != ry->for_above)
			return rx->for_above ? -1 : 1;
		if (rx->status != ry->status)
			return rx->status < ry->status ? -1 : 1;
	}
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Insertion sort: gap lists are short and the order must be stable. */
static void sort_gaps(struct iot_assessment *a)
{
	for (size_t i = 1; i < a->ngaps; i++) {
		struct iot_gap g = a->gaps[i];
		size_t j = i;
		while (j > 0 && gap_cmp(a, &g, &a->gaps[j - 1]) < 0) {
			a->gaps[j] = a->gaps[j - 1];
			j--;
		}
		a->gaps[j] = g;
	}
}

enum mamori_err iot_assess(struct iot_assessment *a, const struct iot_model *m)
{
	const struct iot_catalog *cat = m->cat;
	size_t np = 0;

	memset(a, 0, sizeof(*a));
	arena_init(&a->arena, 8192);
	a->model = m;
	for (size_t i = 0; i < m->nincidents; i++)
		np += m->incidents[i].nratings;
	a->positions = arena_calloc(&a->arena, np ? np : 1, sizeof(*a->positions));
	a->stake_category = arena_calloc(&a->arena, m->nstakeholders + 1,
					 sizeof(size_t));
	a->stake_eff_category = arena_calloc(&a->arena, m->nstakeholders + 1,
					     sizeof(size_t));
	a->cells = arena_calloc(&a->arena, m->ndevices * cat->nthreats + 1,
				sizeof(*a->cells));
	a->reqs = arena_calloc(&a->arena, cat->nrequirements + 1, sizeof(*a->reqs));
	a->gaps = arena_calloc(&a->arena, np + cat->nrequirements + 1,
			       sizeof(*a->gaps));
	if (!a->positions || !a->stake_category || !a->stake_eff_category ||
	    !a->cells || !a->reqs || !a->gaps) {
		iot_assessment_release(a);
		return MAMORI_ENOMEM;
	}

	/* 1. Positions on the grid, per incident and stakeholder. */
	for (size_t s = 0; s < m->nstakeholders; s++)
		a->stake_category[s] = a->stake_eff_category[s] = IOT_NONE;
	a->system_category = IOT_NONE;
	for (size_t i = 0; i < m->nincidents; i++)
		for (size_t r = 0; r < m->incidents[i].nratings; r++) {
			struct iot_position *p = &a->positions[a->npositions++];
			p->incident = i;
			p->rating = r;
			p->stakeholder = m->incidents[i].ratings[r].stakeholder;
			place(m, p);
			size_t *sc = &a->stake_category[p->stakeholder];
			if (*sc == IOT_NONE || p->category > *sc)
				*sc = p->category;
			size_t *se = &a->stake_eff_category[p->stakeholder];
			if (p->eff_category != IOT_NONE &&
			    (*se == IOT_NONE || p->eff_category > *se))
				*se = p->eff_category;
			if (a->system_category == IOT_NONE ||
			    p->category > a->system_category)
				a->system_category = p->category;
			a->above_inherent += p->above;
			a->above_after += p->eff_above;
		}

	/* 2. Device x threat: typical (catalogue or model) and principal. */
	for (size_t d = 0; d < m->ndevices; d++)
		for (size_t t = 0; t < m->devices[d].nthreats; t++)
			a->cells[d * cat->nthreats + m->devices[d].threats[t]].typical = true;
	for (size_t k = 0; k < a->npositions; k++) {
		const struct iot_position *p = &a->positions[k];
		if (!p->above)
			continue;
		const struct iot_incident *inc = &m->incidents[p->incident];
		for (size_t d = 0; d < inc->ndevices; d++)
			for (size_t t = 0; t < inc->nthreats; t++)
				a->cells[inc->devices[d] * cat->nthreats +
					 inc->threats[t]].principal = true;
	}

	/* 3. Requirements: strength from the system's category, status from
	 * the measures chosen in the decisions. */
	for (size_t r = 0; r < cat->nrequirements; r++) {
		a->reqs[r].strength = a->system_category == IOT_NONE
			? IOT_STRENGTH_NONE
			: iot_catalog_strength(cat, a->system_category, r);
		a->reqs[r].status = IOT_STATUS_MISSING;
	}
	for (size_t i = 0; i < m->ndecisions; i++) {
		const struct iot_decision *d = &m->decisions[i];
		bool for_above = false;
		for (size_t k = 0; k < a->npositions; k++)
			if (a->positions[k].decision == d && a->positions[k].above)
				for_above = true;
		for (size_t j = 0; j < d->nmeasures; j++) {
			struct iot_reqstate *rs = &a->reqs[d->measures[j].requirement];
			rs->chosen = true;
			rs->for_above |= for_above;
			if (d->measures[j].status > rs->status)
				rs->status = d->measures[j].status;
		}
	}

	/* 4. Gaps, ranked. */
	for (size_t k = 0; k < a->npositions; k++)
		if (a->positions[k].eff_above)
			a->gaps[a->ngaps++] = (struct iot_gap){ IOT_GAP_INCIDENT, k };
	for (size_t r = 0; r < cat->nrequirements; r++)
		if (a->reqs[r].strength == IOT_STRENGTH_REQUIRED &&
		    a->reqs[r].status != IOT_STATUS_IMPLEMENTED) {
			a->gaps[a->ngaps++] = (struct iot_gap){ IOT_GAP_REQUIREMENT, r };
			a->required_open++;
		}
	sort_gaps(a);
	return MAMORI_OK;
}

int iot_assessment_exit(const struct iot_assessment *a)
{
	return a->ngaps ? 1 : 0;
}
