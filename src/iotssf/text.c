/*
 * text.c - the assessment as plain text for a terminal, and iot_render()
 * which picks the format. Must never decide anything: it prints what
 * assess.c computed.
 */
#include "iotssf/iotssf.h"

#include <string.h>

#include "util/banned.h"

static const char *cat_id(const struct iot_catalog *cat, size_t c)
{
	return c == IOT_NONE || c >= cat->ncategories ? "-" : cat->categories[c].id;
}

static const char *const res_words[IOT_RES__MAX][IOT_LANG__MAX] = {
	[IOT_RES_NONE] = { "効果の記載なし", "no effect stated" },
	[IOT_RES_PENDING] = { "対策未完了", "measures not all implemented" },
	[IOT_RES_ACHIEVED] = { "対策完了", "measures implemented" },
	[IOT_RES_ELIMINATED] = { "回避済", "avoided" },
};

enum mamori_err iot_render_text(const struct iot_assessment *a,
				enum iot_lang lang, struct strbuf *out)
{
	const struct iot_model *m = a->model;
	const struct iot_catalog *cat = m->cat;
	bool ja = lang == IOT_LANG_JA;

	strbuf_addf(out, "%s (%s)\n", iot_text_get(&m->title, lang), m->id);
	strbuf_addf(out, "%s: %s\n\n", ja ? "システムのカテゴリ" : "System category",
		    a->system_category == IOT_NONE ? "-"
		    : iot_text_get(&cat->categories[a->system_category].name, lang));

	strbuf_addf(out, "%s\n", ja ? "[ステークホルダー]" : "[Stakeholders]");
	for (size_t s = 0; s < m->nstakeholders; s++) {
		const struct iot_stakeholder *st = &m->stakeholders[s];
		strbuf_addf(out, "  %-16s %s (%s) %s=%s %s=%s %s=%s\n", st->id,
			    iot_text_get(&st->name, lang),
			    iot_role_label(st->role, lang),
			    ja ? "目標" : "target", cat_id(cat, st->target),
			    ja ? "現状" : "inherent",
			    cat_id(cat, a->stake_category[s]),
			    ja ? "対策後" : "after", cat_id(cat, a->stake_eff_category[s]));
	}

	strbuf_addf(out, "\n%s\n", ja ? "[インシデントの位置]" : "[Incident positions]");
	for (size_t k = 0; k < a->npositions; k++) {
		const struct iot_position *p = &a->positions[k];
		const struct iot_incident *inc = &m->incidents[p->incident];
		const struct iot_rating *r = &inc->ratings[p->rating];
		strbuf_addf(out, "  %-24s %-16s (%d,%d) %s%s", inc->id,
			    m->stakeholders[p->stakeholder].id, r->axis1, r->axis2,
			    cat_id(cat, p->category),
			    p->above ? (ja ? " 目標超過" : " ABOVE TARGET") : "");
		if (p->state == IOT_RES_ELIMINATED)
			strbuf_addf(out, " -> %s", res_words[p->state][lang]);
		else if (p->state != IOT_RES_NONE)
			strbuf_addf(out, " -> (%d,%d) %s [%s]",
				    p->decision->res_axis1, p->decision->res_axis2,
				    cat_id(cat, iot_catalog_category(cat,
					p->decision->res_axis1, p->decision->res_axis2)),
				    res_words[p->state][lang]);
		strbuf_addf(out, "; %s %s%s", ja ? "対策後" : "after measures",
			    cat_id(cat, p->eff_category),
			    p->eff_above ? (ja ? " 目標超過" : " ABOVE TARGET") : "");
		strbuf_addf(out, "\n      %s\n", iot_text_get(&inc->what, lang));
	}

	strbuf_addf(out, "\n%s\n", ja ? "[機器ごとの脅威] (* = 主要な脅威)"
		    : "[Threats per device] (* = principal)");
	for (size_t d = 0; d < m->ndevices; d++) {
		const struct iot_device *dv = &m->devices[d];
		strbuf_addf(out, "  %-16s", dv->id);
		for (size_t t = 0; t < cat->nthreats; t++) {
			const struct iot_cell *c = iot_cell_at(a, d, t);
			if (c->typical || c->principal)
				strbuf_addf(out, " %s%s", c->principal ? "*" : "",
					    cat->threats[t].id);
		}
		strbuf_addch(out, '\n');
	}

	strbuf_addf(out, "\n%s\n", ja ? "[対策要件]" : "[Requirements]");
	for (size_t r = 0; r < cat->nrequirements; r++) {
		const struct iot_requirement *q = &cat->requirements[r];
		const struct iot_reqstate *rs = &a->reqs[r];
		strbuf_addf(out, "  %-10s %-11s %-11s %s\n", q->id,
			    iot_strength_name(rs->strength),
			    iot_status_name(rs->status),
			    iot_text_get(&q->title, lang));
	}

	strbuf_addf(out, "\n%s\n", ja ? "[ギャップ（優先順）]" : "[Gaps, most urgent first]");
	for (size_t g = 0; g < a->ngaps; g++) {
		const struct iot_gap *gp = &a->gaps[g];
		if (gp->kind == IOT_GAP_INCIDENT) {
			const struct iot_position *p = &a->positions[gp->index];
			strbuf_addf(out, "  %2zu. %s %s / %s: %s > %s\n", g + 1,
				    ja ? "インシデント" : "incident",
				    m->incidents[p->incident].id,
				    m->stakeholders[p->stakeholder].id,
				    cat_id(cat, p->eff_category),
				    cat_id(cat, m->stakeholders[p->stakeholder].target));
		} else {
			const struct iot_requirement *q = &cat->requirements[gp->index];
			strbuf_addf(out, "  %2zu. %s %s (%s, %s)\n", g + 1,
				    ja ? "対策要件" : "requirement", q->id,
				    iot_strength_name(a->reqs[gp->index].strength),
				    iot_status_name(a->reqs[gp->index].status));
		}
	}
	if (!a->ngaps)
		strbuf_addf(out, "  %s\n", ja ? "なし" : "none");
	strbuf_addf(out, "\n%s: %zu/%zu, %s: %zu\n",
		    ja ? "目標超過（対策前/対策後）" : "Above target (inherent/after measures)",
		    a->above_inherent, a->above_after,
		    ja ? "未実装の必須要件" : "Required requirements not implemented",
		    a->required_open);
	return out->err;
}

enum mamori_err iot_render(const struct iot_assessment *a, enum iot_format fmt,
			   enum iot_lang lang, struct strbuf *out)
{
	switch (fmt) {
	case IOT_FMT_TEXT:
		return iot_render_text(a, lang, out);
	case IOT_FMT_JSON:
		return iot_render_json(a, lang, out);
	case IOT_FMT_HTML:
		return iot_render_html(a, lang, out);
	case IOT_FMT__MAX:
		break;
	}
	return MAMORI_EINVAL;
}
