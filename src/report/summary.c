/*
 * summary.c - the national summary page (summary.h). Writes HTML only
 * through html.h; must never emit a URL the page would fetch.
 */
#include "report/summary.h"

#include <string.h>

#include "util/html.h"
#include "store/store.h"
#include "util/banned.h"

const struct tile summary_tiles[47] = {
	{ "01", 12, 0 }, { "02", 12, 1 }, { "03", 12, 2 }, { "04", 12, 3 },
	{ "05", 11, 2 }, { "06", 11, 3 }, { "07", 12, 4 }, { "08", 11, 5 },
	{ "09", 11, 4 }, { "10", 10, 4 }, { "11", 10, 5 }, { "12", 11, 6 },
	{ "13", 10, 6 }, { "14", 9, 6 }, { "15", 10, 3 }, { "16", 9, 3 },
	{ "17", 8, 3 }, { "18", 7, 4 }, { "19", 9, 5 }, { "20", 9, 4 },
	{ "21", 8, 4 }, { "22", 8, 5 }, { "23", 7, 5 }, { "24", 6, 5 },
	{ "25", 6, 4 }, { "26", 5, 4 }, { "27", 4, 5 }, { "28", 4, 4 },
	{ "29", 5, 5 }, { "30", 5, 6 }, { "31", 3, 4 }, { "32", 2, 4 },
	{ "33", 3, 5 }, { "34", 2, 5 }, { "35", 1, 5 }, { "36", 4, 6 },
	{ "37", 3, 6 }, { "38", 2, 6 }, { "39", 3, 7 }, { "40", 0, 5 },
	{ "41", 0, 6 }, { "42", 0, 7 }, { "43", 1, 7 }, { "44", 1, 6 },
	{ "45", 2, 7 }, { "46", 1, 8 }, { "47", 0, 9 },
};

static const char css[] =
	"@page{size:A4;margin:14mm}*{box-sizing:border-box}"
	"body{font-family:'Noto Sans CJK JP','Noto Sans JP','Hiragino Sans',"
	"'Yu Gothic',Meiryo,sans-serif;color:#1a1a1c;margin:0 auto;"
	"max-width:190mm;padding:8mm;font-size:10pt;line-height:1.55}"
	"h1{font-size:16pt;margin:0 0 2mm;color:#00118f}"
	"h2{font-size:12.5pt;border-bottom:2px solid #00118f;margin:7mm 0 3mm;"
	"break-after:avoid}h3{font-size:10.5pt;margin:3mm 0 1mm}"
	"table{border-collapse:collapse;width:100%;font-size:9.5pt}"
	"th,td{border-bottom:1px solid #ddd;padding:1mm 1.5mm;text-align:left;"
	"vertical-align:top}th{background:#f3f3f5}tr{break-inside:avoid}"
	".num{text-align:right;white-space:nowrap}"
	".maps{display:grid;grid-template-columns:1fr 1fr;gap:4mm}"
	".map{break-inside:avoid}.note{font-size:9pt;color:#555}"
	".dist{break-inside:avoid;margin-bottom:3mm}"
	"@media print{body{padding:0;max-width:none}}";

static size_t jsz(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);
	return json_is_integer(v) ? (size_t)json_integer_value(v) : 0;
}

static void count_text(struct strbuf *out, size_t n)
{
	char d[32], g[48];
	size_t len, j = 0;
	snprintf(d, sizeof(d), "%zu", n);
	len = strlen(d);
	for (size_t i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			g[j++] = ',';
		g[j++] = d[i];
	}
	g[j] = '\0';
	html_text(out, g);
}

/* Blue scale for a share 0..1 (light to dark). */
static void fill_for(struct strbuf *out, double s)
{
	int r = (int)(236 - s * (236 - 0)), g = (int)(240 - s * (240 - 17)),
	    b = (int)(250 - s * (250 - 143));
	strbuf_addf(out, "#%02x%02x%02x", r, g, b);
}

/*
 * A tile map: for each prefecture group, share = num / den read by get().
 */
static void tile_map(struct strbuf *out, const json_t *groups, enum lang lang,
		     const char *caption,
		     void (*get)(const json_t *g, const void *ud, size_t *num,
				 size_t *den),
		     const void *ud)
{
	const int w = 24, h = 20;

	html_raw(out, "<div class=\"map\"><h3>");
	html_text(out, caption);
	html_raw(out, "</h3>");
	strbuf_addf(out, "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		    "role=\"img\"><title>", 13 * w + 2, 10 * h + 2,
		    13 * w + 2, 10 * h + 2);
	html_text(out, caption);
	html_raw(out, "</title>");
	for (size_t i = 0; i < 47; i++) {
		const struct tile *t = &summary_tiles[i];
		const struct prefecture *p =
			prefecture_find(slice_from_cstr(t->code));
		const json_t *g = json_object_get(groups, t->code);
		size_t num = 0, den = 0;
		if (g)
			get(g, ud, &num, &den);
		double s = den ? (double)num / (double)den : -1;
		html_raw(out, "<g><title>");
		html_text(out, p ? (lang == LANG_JA ? p->ja : p->en) : t->code);
		if (den)
			html_textf(out, ": %.1f %% (%zu / %zu)", 100 * s, num,
				   den);
		else
			html_text(out, lang == LANG_JA ? ": データなし"
						       : ": no data");
		strbuf_addf(out, "</title><rect x=\"%d\" y=\"%d\" width=\"%d\" "
			    "height=\"%d\" fill=\"", 1 + t->x * w, 1 + t->y * h,
			    w - 2, h - 2);
		if (den)
			fill_for(out, s);
		else
			html_raw(out, "#dddddd");
		strbuf_addf(out, "\"/><text x=\"%d\" y=\"%d\" font-size=\"7.5\" "
			    "text-anchor=\"middle\" fill=\"%s\">",
			    1 + t->x * w + (w - 2) / 2, 1 + t->y * h + 13,
			    den && s > 0.55 ? "#fff" : "#222");
		if (den)
			html_textf(out, "%.0f", 100 * s);
		html_raw(out, "</text></g>");
	}
	html_raw(out, "</svg></div>");
}

static void get_rate(const json_t *g, const void *ud, size_t *num,
		     size_t *den)
{
	(void)ud;
	*num = jsz(g, "submitted");
	*den = jsz(g, "invited");
}

static void get_indicator(const json_t *g, const void *ud, size_t *num,
			  size_t *den)
{
	const json_t *i = json_object_get(json_object_get(g, "indicators"),
					  (const char *)ud);
	*num = jsz(i, "met");
	*den = jsz(i, "population");
}

static void bar(struct strbuf *out, double share)
{
	html_raw(out, "<svg width=\"120\" height=\"12\" role=\"img\">"
		      "<rect width=\"120\" height=\"12\" fill=\"#eceef3\"/>");
	strbuf_addf(out, "<rect width=\"%.1f\" height=\"12\" "
		    "fill=\"#00118f\"/>", share >= 0 ? 120 * share : 0);
	html_raw(out, "</svg>");
}

enum mamori_err summary_html(const struct instrument *ins,
			     const json_t *result, const char *title,
			     enum lang lang, const char *generated,
			     struct strbuf *out)
{
	bool ja = lang == LANG_JA;
	const json_t *groups = json_object_get(result, "groups");
	const json_t *inds = json_object_get(result, "indicators");
	const json_t *items = json_object_get(result, "items");
	size_t inv = jsz(result, "invited"), sub = jsz(result, "submitted"),
	       resp = jsz(result, "responses");

	html_raw(out, "<!DOCTYPE html>\n<html lang=\"");
	html_text(out, lang_name(lang));
	html_raw(out, "\"><head><meta charset=\"utf-8\"><title>");
	html_text(out, ja ? "全国集計" : "National summary");
	html_raw(out, "</title><style>");
	strbuf_add(out, css, sizeof(css) - 1);	/* the code's own markup */
	html_raw(out, "</style></head><body><h1>");
	html_text(out, ja ? "全国集計" : "National summary");
	html_raw(out, "</h1><p>");
	html_text(out, title ? title : i18n_get(&ins->title, lang));
	html_raw(out, "<br><span class=\"note\">");
	html_textf(out, "%s %s · %s %s", ins->id,
		   ins->version ? ins->version : "",
		   ja ? "作成日" : "generated", generated ? generated : "");
	html_raw(out, "</span></p><p>");
	html_text(out, ja ? "対象 " : "Invited ");
	count_text(out, inv);
	html_text(out, ja ? "、回答 " : ", submitted ");
	count_text(out, sub);
	if (inv)
		html_textf(out, ja ? "（回答率 %.1f %%）"
				   : " (response rate %.1f %%)",
			   100.0 * (double)sub / (double)inv);
	if (resp > sub) {
		html_text(out, ja ? "、下書き " : ", drafts counted ");
		count_text(out, resp - sub);
	}
	html_raw(out, "</p>");

	/* indicators */
	html_raw(out, "<h2>");
	html_text(out, ja ? "指標（分母は各指標の対象）"
			  : "Indicators (each over its own population)");
	html_raw(out, "</h2><table><tr><th>");
	html_text(out, ja ? "指標" : "Indicator");
	html_raw(out, "</th><th class=\"num\">");
	html_text(out, ja ? "割合" : "Share");
	html_raw(out, "</th><th class=\"num\">");
	html_text(out, ja ? "該当 / 分母" : "Met / denominator");
	html_raw(out, "</th><th></th></tr>");
	for (size_t k = 0; k < ins->nindicators; k++) {
		const struct indicator *ind = &ins->indicators[k];
		const json_t *j = json_object_get(inds, ind->id);
		size_t p = jsz(j, "population"), m = jsz(j, "met");
		html_raw(out, "<tr><td>");
		html_text(out, i18n_get(&ind->label, lang));
		html_raw(out, "</td><td class=\"num\">");
		if (p)
			html_textf(out, "%.1f %%", 100.0 * (double)m / (double)p);
		else
			html_text(out, "–");
		html_raw(out, "</td><td class=\"num\">");
		count_text(out, m);
		html_text(out, " / ");
		count_text(out, p);
		html_raw(out, "</td><td>");
		bar(out, p ? (double)m / (double)p : -1);
		html_raw(out, "</td></tr>");
	}
	html_raw(out, "</table>");

	/* maps */
	if (json_is_object(groups)) {
		html_raw(out, "<h2>");
		html_text(out, ja ? "都道府県別（タイル地図、数値は%）"
				  : "By prefecture (tile maps, figures in %)");
		html_raw(out, "</h2><div class=\"maps\">");
		tile_map(out, groups, lang, ja ? "回答率" : "Response rate",
			 get_rate, NULL);
		for (size_t k = 0; k < ins->nindicators; k++)
			tile_map(out, groups, lang,
				 i18n_get(&ins->indicators[k].label, lang),
				 get_indicator, ins->indicators[k].id);
		html_raw(out, "</div>");
	}

	/* findings */
	html_raw(out, "<h2>");
	html_text(out, ja ? "所見（全回答に対する数）"
			  : "Findings (over all responses)");
	html_raw(out, "</h2><table>");
	for (size_t k = 0; k < ins->nfindings; k++) {
		const struct finding *f = &ins->findings[k];
		size_t n = jsz(json_object_get(result, "findings"), f->id);
		html_raw(out, "<tr><td>");
		html_text(out, severity_name(f->severity));
		html_raw(out, "</td><td>");
		html_text(out, i18n_get(&f->title, lang));
		html_raw(out, "</td><td class=\"num\">");
		count_text(out, n);
		html_text(out, " / ");
		count_text(out, resp);
		html_raw(out, "</td></tr>");
	}
	html_raw(out, "</table>");

	/* distributions */
	html_raw(out, "<h2>");
	html_text(out, ja ? "設問ごとの分布" : "Distributions");
	html_raw(out, "</h2>");
	for (size_t i = 0; i < ins->nitems; i++) {
		const struct item *it = &ins->items[i];
		const json_t *j = json_object_get(items, it->id);
		if (!j || !it->list)
			continue;
		size_t p = jsz(j, "population");
		html_raw(out, "<div class=\"dist\"><h3>");
		if (it->number)
			html_textf(out, "%s%s ", ja ? "問" : "Q", it->number);
		html_text(out, i18n_get(&it->label, lang));
		html_raw(out, "</h3><p class=\"note\">");
		if (it->repeat >= 0)
			html_textf(out, ja ? "分母：この設問が該当した行 %zu"
					   : "Denominator: %zu rows to which "
					     "it applied", p);
		else
			html_textf(out, ja ? "分母：この設問が該当した回答 %zu"
					     "（非該当 %zu）"
					   : "Denominator: %zu responses to "
					     "which it applied (%zu not "
					     "applicable)",
				   p, jsz(j, "not_applicable"));
		html_raw(out, "</p><table>");
		for (size_t c = 0; c <= it->list->n; c++) {
			size_t n = c < it->list->n
					   ? jsz(json_object_get(j, "counts"),
						 it->list->choices[c].value)
					   : jsz(j, "not_answered");
			html_raw(out, "<tr><td>");
			html_text(out, c < it->list->n
					       ? i18n_get(&it->list->choices[c]
								   .label,
							  lang)
					       : (ja ? "（無回答）"
						     : "(not answered)"));
			html_raw(out, "</td><td class=\"num\">");
			count_text(out, n);
			html_raw(out, "</td><td class=\"num\">");
			if (p)
				html_textf(out, "%.1f %%",
					   100.0 * (double)n / (double)p);
			html_raw(out, "</td><td>");
			bar(out, p ? (double)n / (double)p : -1);
			html_raw(out, "</td></tr>");
		}
		html_raw(out, "</table></div>");
	}
	html_raw(out, "<footer class=\"note\"><p>mamori</p></footer>"
		      "</body></html>\n");
	return out->err;
}
