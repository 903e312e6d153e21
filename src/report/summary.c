/*
 * summary.c - the national summary page (summary.h). Writes HTML only
 * through html.h; must never emit a URL the page would fetch.
 */
#include "report/summary.h"

#include <stdlib.h>
#include <string.h>

#include "util/html.h"
#include "report/tilemap.h"
#include "report/trend.h"
#include "store/store.h"
#include "util/banned.h"

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
	".maps{display:grid;grid-template-columns:repeat(auto-fill,"
	"minmax(120mm,1fr));gap:4mm}.tilemap{max-width:100%;height:auto}"
	".map{break-inside:avoid}.note{font-size:9pt;color:#555}"
	"@media print{details{display:none}}"
	".dist{break-inside:avoid;margin-bottom:3mm}"
	"td.sev{white-space:nowrap}h2,h3,thead{break-inside:avoid}"
	"thead{break-after:avoid}"
	"@media print{body{padding:0;max-width:none}}";

static const char *const sev_words[SEV__MAX][LANG__MAX] = {
	[SEV_INFO] = { "情報", "info" },
	[SEV_LOW] = { "低", "low" },
	[SEV_MEDIUM] = { "中", "medium" },
	[SEV_HIGH] = { "高", "high" },
	[SEV_CRITICAL] = { "重大", "critical" },
};

/* A finding's row: worst severity first, then the most fired, then the
 * instrument's order. */
struct frow {
	size_t k, n;
	enum severity sev;
};

static int cmp_frow(const void *a, const void *b)
{
	const struct frow *x = a, *y = b;
	if (x->sev != y->sev)
		return x->sev > y->sev ? -1 : 1;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return (x->k > y->k) - (x->k < y->k);
}

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

/*
 * A tile map of the prefectures (tilemap.h) with its table: for each
 * prefecture group, share = num / den read by get().
 */
static void tile_map(struct strbuf *out, const json_t *groups, enum lang lang,
		     const char *caption,
		     void (*get)(const json_t *g, const void *ud, size_t *num,
				 size_t *den),
		     const void *ud)
{
	struct tilemap_value v[PREFECTURE_COUNT];
	struct tilemap_opts o = { .caption = caption, .lang = lang };

	for (size_t i = 0; i < PREFECTURE_COUNT; i++) {
		const json_t *g = json_object_get(groups, prefectures[i].code);
		size_t num = 0, den = 0;
		if (g)
			get(g, ud, &num, &den);
		v[i] = tilemap_ratio(num, den);
	}
	html_raw(out, "<div class=\"map\"><h3>");
	html_text(out, caption);
	html_raw(out, "</h3>");
	tilemap_svg(v, &o, out);
	html_raw(out, "<details><summary>");
	html_text(out, lang == LANG_JA ? "表で見る" : "As a table");
	html_raw(out, "</summary>");
	tilemap_table(v, &o, out);
	html_raw(out, "</details></div>");
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

/* The page's heading: national, or one prefecture's (result "prefecture"). */
static void heading(struct strbuf *out, const json_t *result, bool ja)
{
	const char *code =
		json_string_value(json_object_get(result, "prefecture"));
	const struct prefecture *p =
		code ? prefecture_find(slice_from_cstr(code)) : NULL;

	if (!p) {
		html_text(out, ja ? "全国集計" : "National summary");
		return;
	}
	html_text(out, ja ? "都道府県別集計：" : "Summary for ");
	html_text(out, ja ? p->ja : p->en);
}

/* A bar of n of p (p 0: empty), labelled with its figures for readers
 * that do not see it: "62.3 % (1,234 / 1,980)". */
static void bar(struct strbuf *out, size_t n, size_t p)
{
	double share = p ? (double)n / (double)p : -1;

	html_raw(out, "<svg width=\"120\" height=\"12\" role=\"img\" "
		      "aria-label=\"");
	if (p)	/* as the tables print it, to the last bit */
		html_textf(out, "%.1f %% (", 100.0 * (double)n / (double)p);
	count_text(out, n);
	html_text(out, " / ");
	count_text(out, p);
	if (p)
		html_text(out, ")");
	html_raw(out, "\"><title>");
	if (p)	/* as the tables print it, to the last bit */
		html_textf(out, "%.1f %% (", 100.0 * (double)n / (double)p);
	count_text(out, n);
	html_text(out, " / ");
	count_text(out, p);
	if (p)
		html_text(out, ")");
	html_raw(out, "</title>"
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
	       resp = jsz(result, "responses"), drafts = jsz(result, "drafts"),
	       reports = json_object_get(result, "reports")
				 ? jsz(result, "reports") : sub;

	html_raw(out, "<!DOCTYPE html>\n<html lang=\"");
	html_text(out, lang_name(lang));
	html_raw(out, "\"><head><meta charset=\"utf-8\"><title>");
	heading(out, result, ja);
	html_raw(out, "</title><style>");
	strbuf_add(out, css, sizeof(css) - 1);	/* the code's own markup */
	html_raw(out, "</style></head><body><h1>");
	heading(out, result, ja);
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
	/* a repeatable campaign: organisations that submitted at least
	 * one report, and the reports */
	if (reports != sub) {
		html_text(out, ja ? "、報告 " : ", reports ");
		count_text(out, reports);
		html_text(out, ja ? " 件" : "");
	}
	if (drafts) {
		html_text(out, ja ? "、下書き " : ", drafts counted ");
		count_text(out, drafts);
	}
	html_raw(out, "</p>");

	/* indicators */
	html_raw(out, "<h2>");
	html_text(out, ja ? "指標（分母は各指標の対象）"
			  : "Indicators (each over its own population)");
	html_raw(out, "</h2><table><thead><tr><th>");
	html_text(out, ja ? "指標" : "Indicator");
	html_raw(out, "</th><th class=\"num\">");
	html_text(out, ja ? "割合" : "Share");
	html_raw(out, "</th><th class=\"num\">");
	html_text(out, ja ? "該当 / 分母" : "Met / denominator");
	html_raw(out, "</th><th></th></tr></thead>");
	for (size_t k = 0; k < ins->nindicators; k++) {
		const struct indicator *ind = &ins->indicators[k];
		const json_t *j = json_object_get(inds, ind->id);
		size_t p = jsz(j, "population"), m = jsz(j, "met");
		html_raw(out, "<tr><td>");
		html_text(out, i18n_get(&ind->label, lang));
		/* which way is better, so that a share reads rightly */
		if (ind->polarity != POLARITY_NEUTRAL) {
			html_raw(out, "<br><span class=\"note\">");
			html_text(out, ind->polarity == POLARITY_GOOD
				? (ja ? "対策（高いほど良い）"
				      : "a measure (higher is better)")
				: (ja ? "リスク（低いほど良い）"
				      : "a risk (lower is better)"));
			html_raw(out, "</span>");
		}
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
		bar(out, m, p);
		html_raw(out, "</td></tr>");
	}
	html_raw(out, "</table>");

	/* findings, right after the indicators: a short table that fills
	 * the first page before the tile maps, which never break */
	html_raw(out, "<h2>");
	html_text(out, ja ? "所見（全回答に対する数）"
			  : "Findings (over all responses)");
	html_raw(out, "</h2><table>");
	struct frow *fr = calloc(ins->nfindings + 1, sizeof(*fr));
	if (!fr)
		return MAMORI_ENOMEM;
	for (size_t k = 0; k < ins->nfindings; k++)
		fr[k] = (struct frow){ k,
			jsz(json_object_get(result, "findings"),
			    ins->findings[k].id), ins->findings[k].severity };
	qsort(fr, ins->nfindings, sizeof(*fr), cmp_frow);
	for (size_t j = 0; j < ins->nfindings; j++) {
		const struct finding *f = &ins->findings[fr[j].k];
		size_t n = fr[j].n;
		html_raw(out, "<tr><td class=\"sev\">");
		html_text(out, sev_words[f->severity][lang]);
		html_raw(out, "</td><td>");
		html_text(out, i18n_get(&f->title, lang));
		html_raw(out, "</td><td class=\"num\">");
		count_text(out, n);
		html_text(out, " / ");
		count_text(out, resp);
		html_raw(out, "</td></tr>");
	}
	free(fr);
	html_raw(out, "</table>");

	/* against the previous campaign of the instrument (trend.h) */
	trend_html(ins, result, lang, out);

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
		if (json_object_get(j, "evidence_proposed"))
			html_textf(out, ja ? "。証跡の裏付け：証跡が回答を示した %zu 件"
					     "のうち %zu 件が証跡どおり"
					   : ". Evidence-backed: %zu of the %zu "
					     "answers for which attached "
					     "evidence proposes one",
				   ja ? jsz(j, "evidence_proposed")
				      : jsz(j, "evidence_backed"),
				   ja ? jsz(j, "evidence_backed")
				      : jsz(j, "evidence_proposed"));
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
			bar(out, n, p);
			html_raw(out, "</td></tr>");
		}
		html_raw(out, "</table></div>");
	}
	html_raw(out, "<footer class=\"note\"><p>mamori</p></footer>"
		      "</body></html>\n");
	return out->err;
}
