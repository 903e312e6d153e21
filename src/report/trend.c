/*
 * trend.c - the summary's trend section (trend.h). Reads only the
 * result JSON and the instrument; writes HTML only through html.h and
 * must never emit a URL the page would fetch.
 */
#include "report/trend.h"

#include <math.h>
#include <string.h>

#include "util/html.h"
#include "util/banned.h"

static size_t jsz(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);
	return json_is_integer(v) ? (size_t)json_integer_value(v) : 0;
}

static double share(const json_t *v, const char *k)
{
	const json_t *s = json_object_get(v, k);
	return json_is_number(s) ? json_number_value(s) : -1;
}

/* One indicator: two bars, earlier (grey) above later (blue). */
static void pair_svg(struct strbuf *out, const char *label, double before,
		     double after, int y)
{
	static const char *const fill[2] = { "#9aa3b5", "#00118f" };
	double s[2] = { before, after };

	html_raw(out, "<g><title>");
	html_text(out, label);
	for (int i = 0; i < 2; i++) {
		if (s[i] >= 0)
			html_textf(out, "%s%.1f %%", i ? " → " : ": ",
				   100 * s[i]);
		else
			html_text(out, i ? " → –" : ": –");
	}
	html_raw(out, "</title>");
	strbuf_addf(out, "<text x=\"0\" y=\"%d\" font-size=\"9\" "
		    "fill=\"#222\">", y + 10);
	html_text(out, label);
	html_raw(out, "</text>");
	for (int i = 0; i < 2; i++) {
		int by = y + 14 + i * 11;
		strbuf_addf(out, "<rect x=\"0\" y=\"%d\" width=\"400\" "
			    "height=\"9\" fill=\"#eceef3\"/>", by);
		strbuf_addf(out, "<rect x=\"0\" y=\"%d\" width=\"%.1f\" "
			    "height=\"9\" fill=\"%s\"/>", by,
			    s[i] >= 0 ? 400 * s[i] : 0, fill[i]);
		strbuf_addf(out, "<text x=\"406\" y=\"%d\" font-size=\"9\" "
			    "fill=\"#333\">", by + 8);
		if (s[i] >= 0)
			html_textf(out, "%.1f %%", 100 * s[i]);
		else
			html_text(out, "–");
		html_raw(out, "</text>");
	}
	html_raw(out, "</g>");
}

static const char *ind_label(const struct instrument *ins, const char *id,
			     enum lang lang)
{
	for (size_t k = 0; k < ins->nindicators; k++)
		if (!strcmp(ins->indicators[k].id, id))
			return i18n_get(&ins->indicators[k].label, lang);
	return id;
}

static void id_list(struct strbuf *out, const struct instrument *ins,
		    const json_t *arr, bool indicators, const char *heading,
		    enum lang lang)
{
	size_t i;
	const json_t *v;

	if (!json_array_size(arr))
		return;
	html_raw(out, "<h3>");
	html_text(out, heading);
	html_raw(out, "</h3><ul>");
	json_array_foreach((json_t *)arr, i, v) {
		const char *id = json_string_value(v);
		const struct item *it;
		if (!id)
			continue;
		html_raw(out, "<li><code>");
		html_text(out, id);
		html_raw(out, "</code> ");
		if (indicators)
			html_text(out, ind_label(ins, id, lang));
		else if ((it = instrument_find(ins, id, strlen(id))))
			html_text(out, i18n_get(&it->label, lang));
		html_raw(out, "</li>");
	}
	html_raw(out, "</ul>");
}

enum mamori_err trend_html(const struct instrument *ins, const json_t *result,
			   enum lang lang, struct strbuf *out)
{
	const json_t *t = json_object_get(result, "trend");
	const json_t *inds = json_object_get(t, "indicators");
	const json_t *camps = json_object_get(t, "campaigns");
	const json_t *vers = json_object_get(t, "versions");
	const json_t *changed = json_object_get(t, "changed");
	const char *vb = json_string_value(json_array_get(vers, 0)),
		   *va = json_string_value(json_array_get(vers, 1));
	bool ja = lang == LANG_JA;
	size_t n = 0;

	if (!json_is_object(t))
		return out->err;
	html_raw(out, "<h2>");
	html_text(out, ja ? "経年比較" : "Trend");
	html_raw(out, "</h2><p>");
	html_textf(out, ja ? "キャンペーン %lld（版 %s）→ キャンペーン %lld（版 %s）"
			   : "Campaign %lld (version %s) → campaign %lld "
			     "(version %s)",
		   (long long)json_integer_value(json_array_get(camps, 0)),
		   vb ? vb : "",
		   (long long)json_integer_value(json_array_get(camps, 1)),
		   va ? va : "");
	if (json_is_string(json_object_get(t, "title_before"))) {
		html_raw(out, "<br><span class=\"note\">");
		html_text(out, ja ? "比較対象：" : "Compared with: ");
		html_text(out, json_string_value(json_object_get(
				       t, "title_before")));
		html_raw(out, "</span>");
	}
	html_raw(out, "</p><p class=\"note\">");
	html_text(out, ja ? "同じIDの指標を比較します（灰：前回、青：今回）。"
			    "分母は各回の対象です。"
			  : "Indicators matched by id (grey: before, blue: "
			    "after), each over its own population in each "
			    "campaign.");
	html_raw(out, "</p>");

	for (size_t k = 0; k < ins->nindicators; k++)
		if (json_object_get(inds, ins->indicators[k].id))
			n++;
	if (n) {
		strbuf_addf(out, "<svg class=\"trend\" width=\"460\" "
			    "height=\"%zu\" viewBox=\"0 0 460 %zu\" "
			    "role=\"img\"><title>", n * 40, n * 40);
		html_text(out, ja ? "経年比較" : "Trend");
		html_raw(out, "</title>");
		n = 0;
		for (size_t k = 0; k < ins->nindicators; k++) {
			const struct indicator *ind = &ins->indicators[k];
			const json_t *v = json_object_get(inds, ind->id);
			if (!v)
				continue;
			pair_svg(out, i18n_get(&ind->label, lang),
				 share(v, "before"), share(v, "after"),
				 (int)(n++ * 40));
		}
		html_raw(out, "</svg>");
	}

	html_raw(out, "<table><tr><th>");
	html_text(out, ja ? "指標" : "Indicator");
	html_raw(out, "</th><th class=\"num\">");
	html_text(out, ja ? "前回" : "Before");
	html_raw(out, "</th><th class=\"num\">");
	html_text(out, ja ? "今回" : "After");
	html_raw(out, "</th><th class=\"num\">");
	html_text(out, ja ? "変化（ポイント）" : "Change (points)");
	html_raw(out, "</th></tr>");
	for (size_t k = 0; k < ins->nindicators; k++) {
		const struct indicator *ind = &ins->indicators[k];
		const json_t *v = json_object_get(inds, ind->id);
		const json_t *cp;
		if (!v)
			continue;
		html_raw(out, "<tr><td>");
		html_text(out, i18n_get(&ind->label, lang));
		if (json_is_true(json_object_get(v, "changed")))
			html_text(out, ja ? "（定義が変更）"
					  : " (definition changed)");
		for (int i = 0; i < 2; i++) {
			double s = share(v, i ? "after" : "before");
			html_raw(out, "</td><td class=\"num\">");
			if (s >= 0)
				html_textf(out, "%.1f %% (%zu / %zu)", 100 * s,
					   jsz(v, i ? "met_after"
						    : "met_before"),
					   jsz(v, i ? "population_after"
						    : "population_before"));
			else
				html_text(out, "–");
		}
		html_raw(out, "</td><td class=\"num\">");
		cp = json_object_get(v, "change_points");
		if (json_is_number(cp))
			html_textf(out, "%+.1f",
				   fabs(json_number_value(cp)) < 0.05
					   ? 0.0 : json_number_value(cp));
		else
			html_text(out, "–");
		html_raw(out, "</td></tr>");
	}
	html_raw(out, "</table>");

	id_list(out, ins, json_object_get(t, "indicators_added"), true,
		ja ? "新しい指標（前回との比較なし）"
		   : "Indicators new in this version (no comparison)", lang);
	id_list(out, ins, json_object_get(t, "indicators_removed"), true,
		ja ? "今回は測っていない指標" : "Indicators no longer measured",
		lang);
	if (json_object_size(changed)) {
		const char *k;
		const json_t *v;
		html_raw(out, "<h3>");
		html_text(out, ja ? "同じIDで内容が変わった設問（比較しない）"
				  : "Items changed under the same id (not "
				    "compared)");
		html_raw(out, "</h3><ul>");
		json_object_foreach((json_t *)changed, k, v) {
			html_raw(out, "<li><code>");
			html_text(out, k);
			html_raw(out, "</code> ");
			html_textf(out, ja ? "（%s が異なる）" : "(%s differs)",
				   json_string_value(v));
			html_raw(out, "</li>");
		}
		html_raw(out, "</ul>");
	}
	id_list(out, ins, json_object_get(t, "added"), false,
		ja ? "新しい設問（新しいID）" : "Items new in this version "
						 "(new ids)", lang);
	id_list(out, ins, json_object_get(t, "removed"), false,
		ja ? "前回にあり今回はない設問" : "Items no longer asked",
		lang);
	return out->err;
}
