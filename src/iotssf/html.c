/*
 * html.c - the assessment as one self-contained HTML page: inline CSS,
 * inline SVG (the 3 x 3 grid with every incident per stakeholder and the
 * target line), no scripts, no external requests, print-friendly on A4.
 * Every text from a model or catalogue goes through html_text() (util/html.h);
 * this file must never write such text any other way.
 */
#include "iotssf/iotssf.h"

#include <stdio.h>
#include <string.h>

#include "util/html.h"
#include "util/banned.h"

#define H(s) html_text(out, (s))
#define T(t) html_text(out, iot_text_get((t), lang))
#define L(ja, en) (lang == IOT_LANG_JA ? (ja) : (en))

static const char css[] =
	"@page{size:A4;margin:14mm}"
	"*{box-sizing:border-box}"
	"body{font-family:'Noto Sans CJK JP','Noto Sans JP','Hiragino Kaku Gothic ProN',"
	"'Yu Gothic','Meiryo',sans-serif;color:#1a1a1c;margin:0 auto;max-width:1100px;"
	"padding:16px 24px;font-size:14px;line-height:1.6}"
	"h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;border-bottom:2px solid #0017c1;"
	"padding-bottom:2px;margin:28px 0 10px;break-after:avoid}"
	"h3{font-size:15px;margin:16px 0 6px}"
	".meta{color:#555;font-size:12px}"
	".cards{display:flex;gap:12px;flex-wrap:wrap;margin:14px 0}"
	".card{border:1px solid #ccc;border-radius:6px;padding:8px 14px;min-width:150px}"
	".card b{display:block;font-size:20px}"
	".bad{color:#b3261e}.ok{color:#1d6b35}"
	"table{border-collapse:collapse;width:100%;margin:6px 0 12px;font-size:13px}"
	"th,td{border:1px solid #bbb;padding:4px 6px;text-align:left;vertical-align:top}"
	"th{background:#f1f1f4}tr{break-inside:avoid}"
	"td.c{text-align:center}td.nw,th.nw{white-space:nowrap}"
	"td.principal{background:#cfe8f7;font-weight:700}"
	".tag{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;white-space:nowrap}"
	".s-required{background:#fbe1df}.s-recommended{background:#fff1c9}"
	".s-optional{background:#e8eef7}.s-none{background:#eee}"
	".st-implemented{background:#d7efdd}.st-planned{background:#fff1c9}"
	".st-missing{background:#fbe1df}"
	".grid{display:flex;gap:18px;flex-wrap:wrap;align-items:flex-start}"
	".grid svg{max-width:100%;height:auto}"
	".legend{font-size:13px}.legend td{border:none;padding:2px 6px}"
	".dot{display:inline-block;width:12px;height:12px;border-radius:6px;vertical-align:middle}"
	"ol.gaps li{margin:2px 0}"
	"footer{margin-top:30px;font-size:12px;color:#555;border-top:1px solid #ccc;padding-top:6px}"
	"@media print{body{padding:0;font-size:11px;max-width:none}"
	"h2{margin-top:18px}.card{padding:4px 8px}}";

static const char *const palette[] = {
	"#0050b3", "#c2410c", "#6b21a8", "#0f766e", "#a16207", "#be123c",
	"#334155", "#15803d",
};
#define NPALETTE (sizeof(palette) / sizeof(palette[0]))

static const char *cat_label(const struct iot_catalog *cat, size_t c,
			     enum iot_lang lang)
{
	return c == IOT_NONE || c >= cat->ncategories ? "-"
		: iot_text_get(&cat->categories[c].name, lang);
}

/* Geometry of the grid. */
enum { GX = 130, GY = 16, CW = 170, CH = 130, R = 11 };

static int cell_x(int a1) { return GX + (a1 - 1) * CW; }
static int cell_y(int a2) { return GY + (IOT_LEVELS - a2) * CH; }

/* Writes a label, split into lines of about width characters at spaces. */
static void svg_lines(struct strbuf *out, const char *s, int x, int y,
		      size_t width, const char *anchor)
{
	size_t len = strlen(s), start = 0, lines = 0;
	const char *breaks[4];
	size_t blen[4];

	while (start < len && lines < 4) {
		size_t end = len;
		if (len - start > width) {
			size_t cut = start + width;
			while (cut > start && s[cut] != ' ')
				cut--;
			end = cut > start ? cut : len;
		}
		breaks[lines] = s + start;
		blen[lines++] = end - start;
		start = end < len ? end + 1 : len;
	}
	for (size_t i = 0; i < lines; i++) {
		strbuf_addf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\" "
			    "font-size=\"12\">", x,
			    y + (int)(i * 15) - (int)((lines - 1) * 7), anchor);
		struct strbuf tmp = STRBUF_INIT;
		strbuf_add(&tmp, breaks[i], blen[i]);
		html_text(out, tmp.buf);
		strbuf_release(&tmp);
		strbuf_addstr(out, "</text>");
	}
}

static void target_line(struct strbuf *out, const struct iot_catalog *cat,
			size_t target, const char *color, int dash,
			const char *label)
{
	strbuf_addf(out, "<path d=\"");
	for (int a1 = 1; a1 <= IOT_LEVELS; a1++)
		for (int a2 = 1; a2 <= IOT_LEVELS; a2++) {
			if (iot_catalog_category(cat, a1, a2) > target)
				continue;
			/* Only borders between an accepted and a refused cell:
			 * the grid's outer edge is not a target. */
			if (a1 < IOT_LEVELS &&
			    iot_catalog_category(cat, a1 + 1, a2) > target)
				strbuf_addf(out, "M%d %dV%d", cell_x(a1) + CW,
					    cell_y(a2), cell_y(a2) + CH);
			if (a2 < IOT_LEVELS &&
			    iot_catalog_category(cat, a1, a2 + 1) > target)
				strbuf_addf(out, "M%d %dH%d", cell_x(a1), cell_y(a2),
					    cell_x(a1) + CW);
		}
	strbuf_addf(out, "\" fill=\"none\" stroke=\"%s\" stroke-width=\"4\" "
		    "stroke-linecap=\"round\"%s/>", color,
		    dash ? " stroke-dasharray=\"10 6\"" : "");
	/* Name the line where it leaves the left edge (as the framework's
	 * figure does), just above it. */
	for (int a2 = IOT_LEVELS; a2 >= 1; a2--)
		if (iot_catalog_category(cat, 1, a2) <= target) {
			if (a2 == IOT_LEVELS)
				break;
			strbuf_addf(out, "<text x=\"%d\" y=\"%d\" font-size=\"12\" "
				    "font-weight=\"700\" fill=\"%s\">", cell_x(1) + 6,
				    cell_y(a2) - 6 - 14 * dash, color);
			html_text(out, label);
			strbuf_addstr(out, "</text>");
			break;
		}
}

struct slotmap {
	int used[IOT_LEVELS][IOT_LEVELS];
};

static void slot_xy(struct slotmap *sm, int a1, int a2, int *x, int *y)
{
	int k = sm->used[a1 - 1][a2 - 1]++;
	int col = k % 5, row = (k / 5) % 4;

	*x = cell_x(a1) + 22 + col * 31;
	*y = cell_y(a2) + 30 + row * 29;
}

static void svg_grid(const struct iot_assessment *a, enum iot_lang lang,
		     struct strbuf *out)
{
	const struct iot_model *m = a->model;
	const struct iot_catalog *cat = m->cat;
	int w = GX + IOT_LEVELS * CW + 20, h = GY + IOT_LEVELS * CH + 74;
	struct slotmap sm;
	size_t targets[16], ntargets = 0;

	memset(&sm, 0, sizeof(sm));
	strbuf_addf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		    "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
		    "font-family=\"'Noto Sans CJK JP','Noto Sans JP',sans-serif\">",
		    w, h, w, h);
	strbuf_addstr(out, "<title>");
	H(L("IoT-SSFの第1軸・第2軸へのマッピング", "Mapping on IoT-SSF axes 1 and 2"));
	strbuf_addstr(out, "</title>");
	strbuf_addstr(out, "<defs><marker id=\"arr\" viewBox=\"0 0 10 10\" refX=\"9\" "
		      "refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
		      "orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10z\" "
		      "fill=\"#444\"/></marker></defs>");
	for (int a1 = 1; a1 <= IOT_LEVELS; a1++)
		for (int a2 = 1; a2 <= IOT_LEVELS; a2++) {
			size_t c = iot_catalog_category(cat, a1, a2);
			strbuf_addf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" "
				    "height=\"%d\" fill=\"%s\" stroke=\"#999\"/>",
				    cell_x(a1), cell_y(a2), CW, CH,
				    c < cat->ncategories ? cat->categories[c].color
				    : "#eeeeee");
			strbuf_addf(out, "<text x=\"%d\" y=\"%d\" font-size=\"11\" "
				    "text-anchor=\"end\" fill=\"#555\">",
				    cell_x(a1) + CW - 5, cell_y(a2) + CH - 6);
			H(c < cat->ncategories ? cat->categories[c].id : "?");
			strbuf_addstr(out, "</text>");
		}
	/* Axis labels: axis 1 along the bottom, axis 2 up the left side. */
	for (int i = 1; i <= IOT_LEVELS; i++) {
		svg_lines(out, iot_text_get(&cat->axis[0].level[i - 1].label, lang),
			  cell_x(i) + CW / 2, GY + IOT_LEVELS * CH + 22, 22, "middle");
		svg_lines(out, iot_text_get(&cat->axis[1].level[i - 1].label, lang),
			  GX - 8, cell_y(i) + CH / 2, 14, "end");
	}
	strbuf_addf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
		    "font-size=\"13\" font-weight=\"700\">", GX + IOT_LEVELS * CW / 2,
		    GY + IOT_LEVELS * CH + 62);
	T(&cat->axis[0].name);
	strbuf_addf(out, " (%s → %s)</text>", L("低", "low"), L("高", "high"));
	strbuf_addf(out, "<text x=\"16\" y=\"%d\" font-size=\"13\" "
		    "font-weight=\"700\" text-anchor=\"middle\" "
		    "transform=\"rotate(-90 16 %d)\">", GY + IOT_LEVELS * CH / 2,
		    GY + IOT_LEVELS * CH / 2);
	T(&cat->axis[1].name);
	strbuf_addf(out, " (%s → %s)</text>", L("低", "low"), L("高", "high"));

	/* Target lines: one per distinct target. */
	for (size_t s = 0; s < m->nstakeholders; s++) {
		bool seen = false;
		for (size_t i = 0; i < ntargets; i++)
			seen |= targets[i] == m->stakeholders[s].target;
		if (!seen && ntargets < 16)
			targets[ntargets++] = m->stakeholders[s].target;
	}
	for (size_t i = 0; i < ntargets; i++)
		target_line(out, cat, targets[i], ntargets == 1 ? "#b3261e"
			    : palette[(i + 3) % NPALETTE], (int)i,
			    L("目標とするリスクの水準", "Target risk level"));

	/* Residual arrows first, so markers sit on top. */
	for (size_t k = 0; k < a->npositions; k++) {
		const struct iot_position *p = &a->positions[k];
		const struct iot_rating *r = &m->incidents[p->incident].ratings[p->rating];
		int x, y, rx, ry;
		slot_xy(&sm, r->axis1, r->axis2, &x, &y);
		if (p->state != IOT_RES_ACHIEVED && p->state != IOT_RES_PENDING)
			continue;
		if (!p->decision || !p->decision->has_residual)
			continue;
		slot_xy(&sm, p->decision->res_axis1, p->decision->res_axis2, &rx, &ry);
		const char *col = palette[p->stakeholder % NPALETTE];
		strbuf_addf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
			    "stroke=\"#444\" stroke-width=\"1.5\"%s "
			    "marker-end=\"url(#arr)\"/>", x, y, rx, ry,
			    p->state == IOT_RES_PENDING ? " stroke-dasharray=\"3 3\"" : "");
		strbuf_addf(out, "<circle cx=\"%d\" cy=\"%d\" r=\"%d\" fill=\"#fff\" "
			    "stroke=\"%s\" stroke-width=\"2\"%s/>", rx, ry, R, col,
			    p->state == IOT_RES_PENDING ? " stroke-dasharray=\"3 2\"" : "");
		strbuf_addf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
			    "font-size=\"11\" fill=\"%s\">%zu</text>", rx, ry + 4, col,
			    p->incident + 1);
	}
	memset(&sm, 0, sizeof(sm));
	for (size_t k = 0; k < a->npositions; k++) {
		const struct iot_position *p = &a->positions[k];
		const struct iot_rating *r = &m->incidents[p->incident].ratings[p->rating];
		int x, y;
		slot_xy(&sm, r->axis1, r->axis2, &x, &y);
		if (p->decision && p->decision->has_residual &&
		    (p->state == IOT_RES_ACHIEVED || p->state == IOT_RES_PENDING)) {
			int rx, ry;
			slot_xy(&sm, p->decision->res_axis1, p->decision->res_axis2,
				&rx, &ry);
		}
		strbuf_addf(out, "<g><title>");
		H(m->incidents[p->incident].id);
		strbuf_addstr(out, " / ");
		T(&m->stakeholders[p->stakeholder].name);
		strbuf_addf(out, "</title><circle cx=\"%d\" cy=\"%d\" r=\"%d\" "
			    "fill=\"%s\" stroke=\"#fff\" stroke-width=\"1.5\"/>"
			    "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
			    "font-size=\"11\" font-weight=\"700\" fill=\"#fff\">%zu"
			    "</text></g>", x, y, R,
			    palette[p->stakeholder % NPALETTE], x, y + 4,
			    p->incident + 1);
	}
	strbuf_addstr(out, "</svg>");

	/* Legend. */
	strbuf_addstr(out, "<table class=\"legend\"><tbody>");
	for (size_t s = 0; s < m->nstakeholders; s++) {
		strbuf_addf(out, "<tr><td><span class=\"dot\" style=\"background:%s\">"
			    "</span></td><td>", palette[s % NPALETTE]);
		T(&m->stakeholders[s].name);
		strbuf_addstr(out, "</td></tr>");
	}
	for (size_t i = 0; i < ntargets; i++) {
		strbuf_addf(out, "<tr><td><svg width=\"28\" height=\"8\"><line x1=\"0\" "
			    "y1=\"4\" x2=\"28\" y2=\"4\" stroke=\"%s\" stroke-width=\"4\"%s/>"
			    "</svg></td><td>", ntargets == 1 ? "#b3261e"
			    : palette[(i + 3) % NPALETTE],
			    i ? " stroke-dasharray=\"10 6\"" : "");
		H(L("目標とするリスクの水準", "Target risk level"));
		strbuf_addstr(out, " (");
		H(cat_label(cat, targets[i], lang));
		strbuf_addstr(out, ":");
		bool first = true;
		for (size_t s = 0; s < m->nstakeholders; s++)
			if (m->stakeholders[s].target == targets[i]) {
				strbuf_addstr(out, first ? " " : ", ");
				T(&m->stakeholders[s].name);
				first = false;
			}
		strbuf_addstr(out, ")</td></tr>");
	}
	strbuf_addstr(out, "<tr><td><svg width=\"28\" height=\"24\"><circle cx=\"14\" "
		      "cy=\"12\" r=\"10\" fill=\"#fff\" stroke=\"#444\" stroke-width=\"2\" "
		      "stroke-dasharray=\"3 2\"/></svg></td><td>");
	H(L("対策後の位置（点線：対策未完了、実線：実装済）",
	    "position after measures (dashed: not all implemented; solid: implemented)"));
	strbuf_addstr(out, "</td></tr>");
	for (size_t i = 0; i < m->nincidents; i++) {
		strbuf_addf(out, "<tr><td class=\"c\"><b>%zu</b></td><td>", i + 1);
		H(m->incidents[i].id);
		strbuf_addstr(out, ": ");
		T(&m->incidents[i].what);
		strbuf_addstr(out, "</td></tr>");
	}
	strbuf_addstr(out, "</tbody></table>");
}

static void tag(struct strbuf *out, const char *cls, const char *text)
{
	strbuf_addf(out, "<span class=\"tag %s\">", cls);
	html_text(out, text);
	strbuf_addstr(out, "</span>");
}

static void strength_tag(struct strbuf *out, enum iot_strength s,
			 enum iot_lang lang)
{
	char cls[32];
	snprintf(cls, sizeof(cls), "s-%s", iot_strength_name(s));
	tag(out, cls, iot_strength_label(s, lang));
}

static void status_tag(struct strbuf *out, enum iot_status s,
		       enum iot_lang lang)
{
	char cls[32];
	snprintf(cls, sizeof(cls), "st-%s", iot_status_name(s));
	tag(out, cls, iot_status_label(s, lang));
}

static void rating_text(struct strbuf *out, const struct iot_catalog *cat,
			int a1, int a2, enum iot_lang lang)
{
	T(&cat->axis[0].level[a1 - 1].label);
	strbuf_addstr(out, " × ");
	T(&cat->axis[1].level[a2 - 1].label);
}

static void section_positions(const struct iot_assessment *a,
			      enum iot_lang lang, struct strbuf *out)
{
	const struct iot_model *m = a->model;
	const struct iot_catalog *cat = m->cat;

	strbuf_addstr(out, "<h2>");
	H(L("インシデントと評価", "Incidents and their rating"));
	strbuf_addstr(out, "</h2><table><thead><tr><th>#</th><th>");
	H(L("インシデント", "Incident"));
	strbuf_addstr(out, "</th><th>");
	H(L("ステークホルダー", "Stakeholder"));
	strbuf_addstr(out, "</th><th>");
	H(L("評価（第1軸 × 第2軸）", "Rating (axis 1 × axis 2)"));
	strbuf_addstr(out, "</th><th>");
	H(L("カテゴリ", "Category"));
	strbuf_addstr(out, "</th><th>");
	H(L("対応", "Treatment"));
	strbuf_addstr(out, "</th><th>");
	H(L("対策後", "After measures"));
	strbuf_addstr(out, "</th></tr></thead><tbody>");
	for (size_t k = 0; k < a->npositions; k++) {
		const struct iot_position *p = &a->positions[k];
		const struct iot_incident *inc = &m->incidents[p->incident];
		const struct iot_rating *r = &inc->ratings[p->rating];
		strbuf_addf(out, "<tr><td class=\"c\">%zu</td><td><b>", p->incident + 1);
		H(inc->id);
		strbuf_addstr(out, "</b><br>");
		T(&inc->what);
		if (inc->consequence.ja || inc->consequence.en) {
			strbuf_addstr(out, "<br><small>");
			H(L("結果: ", "Consequence: "));
			T(&inc->consequence);
			strbuf_addstr(out, "</small>");
		}
		strbuf_addstr(out, "<br><small>");
		for (size_t d = 0; d < inc->ndevices; d++) {
			if (d)
				strbuf_addstr(out, ", ");
			T(&m->devices[inc->devices[d]].name);
		}
		strbuf_addstr(out, "</small></td><td>");
		T(&m->stakeholders[p->stakeholder].name);
		strbuf_addstr(out, "</td><td>");
		rating_text(out, cat, r->axis1, r->axis2, lang);
		strbuf_addstr(out, "</td><td>");
		H(cat_label(cat, p->category, lang));
		if (p->above) {
			strbuf_addstr(out, "<br><b class=\"bad\">");
			H(L("目標超過", "above target"));
			strbuf_addstr(out, "</b>");
		}
		strbuf_addstr(out, "</td><td class=\"nw\">");
		H(p->decision ? iot_treatment_label(p->decision->treatment, lang)
		  : L("未決定", "no decision"));
		strbuf_addstr(out, "</td><td>");
		if (p->state == IOT_RES_ELIMINATED) {
			H(L("回避済", "avoided"));
		} else if (p->decision && p->decision->has_residual) {
			rating_text(out, cat, p->decision->res_axis1,
				    p->decision->res_axis2, lang);
			strbuf_addstr(out, " (");
			H(p->state == IOT_RES_ACHIEVED ? L("実装済", "implemented")
			  : L("対策未完了のため未達", "not reached: measures pending"));
			strbuf_addstr(out, ")");
		} else {
			H(L("効果の記載なし", "no effect stated"));
		}
		strbuf_addstr(out, "<br>");
		H(cat_label(cat, p->eff_category, lang));
		strbuf_addf(out, " <b class=\"%s\">", p->eff_above ? "bad" : "ok");
		H(p->eff_above ? L("目標超過", "above target")
		  : L("目標内", "within target"));
		strbuf_addstr(out, "</b></td></tr>");
	}
	strbuf_addstr(out, "</tbody></table>");
}

static void section_matrix(const struct iot_assessment *a, enum iot_lang lang,
			   struct strbuf *out)
{
	const struct iot_model *m = a->model;
	const struct iot_catalog *cat = m->cat;

	strbuf_addstr(out, "<h2>");
	H(L("機器ごとの脅威", "Threats per device"));
	strbuf_addstr(out, "</h2><p>");
	H(L("● 想定される脅威。網掛け太字は、目標を超えるインシデントにつながる主要な脅威。",
	    "● a threat to the device. Shaded bold: a principal threat, one that leads to an incident above target."));
	strbuf_addstr(out, "</p><table><thead><tr><th>");
	H(L("機器・システム", "Device / system"));
	strbuf_addstr(out, "</th><th>");
	H(L("分類", "Class"));
	strbuf_addstr(out, "</th>");
	for (size_t t = 0; t < cat->nthreats; t++) {
		strbuf_addstr(out, "<th>");
		T(&cat->threats[t].name);
		strbuf_addstr(out, "</th>");
	}
	strbuf_addstr(out, "</tr></thead><tbody>");
	for (size_t d = 0; d < m->ndevices; d++) {
		const struct iot_device *dv = &m->devices[d];
		strbuf_addstr(out, "<tr><td><b>");
		T(&dv->name);
		strbuf_addstr(out, "</b><br><small>");
		H(dv->id);
		if (dv->owner != IOT_NONE) {
			strbuf_addstr(out, " · ");
			T(&m->stakeholders[dv->owner].name);
		}
		strbuf_addstr(out, "</small></td><td>");
		T(&cat->classes[dv->cls].name);
		strbuf_addstr(out, "</td>");
		for (size_t t = 0; t < cat->nthreats; t++) {
			const struct iot_cell *c = iot_cell_at(a, d, t);
			strbuf_addf(out, "<td class=\"c%s\">%s</td>",
				    c->principal ? " principal" : "",
				    c->typical || c->principal ? "●" : "");
		}
		strbuf_addstr(out, "</tr>");
	}
	strbuf_addstr(out, "</tbody></table>");
}

static void section_requirements(const struct iot_assessment *a,
				 enum iot_lang lang, struct strbuf *out)
{
	const struct iot_model *m = a->model;
	const struct iot_catalog *cat = m->cat;

	strbuf_addstr(out, "<h2>");
	H(L("求められるセキュリティ・セーフティ要求（第3軸）",
	    "Security and safety requirements (axis 3)"));
	strbuf_addstr(out, "</h2><p>");
	H(L("強さはシステムのカテゴリ（", "Strength follows the system category ("));
	H(cat_label(cat, a->system_category, lang));
	H(L("）による。状況は意思決定で選ばれた対策による。",
	    "); status follows the measures chosen in the decisions."));
	strbuf_addstr(out, "</p>");
	for (size_t p = 0; p < cat->nperspectives; p++) {
		strbuf_addstr(out, "<h3>");
		T(&cat->perspectives[p].name);
		strbuf_addstr(out, "</h3><table><thead><tr><th>ID</th><th>");
		H(L("実装先", "Target"));
		strbuf_addstr(out, "</th><th>");
		H(L("対策要件", "Requirement"));
		strbuf_addstr(out, "</th><th>");
		H(L("強さ", "Strength"));
		strbuf_addstr(out, "</th><th>");
		H(L("状況", "Status"));
		strbuf_addstr(out, "</th><th>");
		H(L("選ばれた対策 / 対策例", "Chosen measures / example measures"));
		strbuf_addstr(out, "</th><th>CPSF</th></tr></thead><tbody>");
		for (size_t r = 0; r < cat->nrequirements; r++) {
			const struct iot_requirement *q = &cat->requirements[r];
			if (q->perspective != p)
				continue;
			strbuf_addstr(out, "<tr><td class=\"nw\">");
			H(q->id);
			strbuf_addstr(out, "</td><td class=\"nw\">");
			T(&cat->targets[q->target].name);
			strbuf_addstr(out, "</td><td>");
			T(&q->title);
			strbuf_addstr(out, "</td><td>");
			strength_tag(out, a->reqs[r].strength, lang);
			strbuf_addstr(out, "</td><td>");
			status_tag(out, a->reqs[r].status, lang);
			strbuf_addstr(out, "</td><td>");
			bool any = false;
			for (size_t i = 0; i < m->ndecisions; i++)
				for (size_t j = 0; j < m->decisions[i].nmeasures; j++) {
					const struct iot_measure *ms = &m->decisions[i].measures[j];
					if (ms->requirement != r)
						continue;
					strbuf_addstr(out, any ? "<br>" : "");
					T(&ms->text);
					strbuf_addstr(out, " ");
					status_tag(out, ms->status, lang);
					any = true;
				}
			if (!any && q->nmeasures) {
				strbuf_addstr(out, "<small>");
				H(L("例: ", "e.g. "));
				T(&q->measures[0]);
				strbuf_addstr(out, "</small>");
			}
			strbuf_addstr(out, "</td><td class=\"nw\">");
			for (size_t i = 0; i < q->ncpsf; i++) {
				strbuf_addstr(out, i ? "<br>" : "");
				H(q->cpsf[i]);
			}
			strbuf_addstr(out, "</td></tr>");
		}
		strbuf_addstr(out, "</tbody></table>");
	}
}

static void section_decisions(const struct iot_assessment *a,
			      enum iot_lang lang, struct strbuf *out)
{
	const struct iot_model *m = a->model;
	const struct iot_catalog *cat = m->cat;

	strbuf_addstr(out, "<h2>");
	H(L("対策に対する意思決定", "Decisions on the measures"));
	strbuf_addstr(out, "</h2>");
	if (!m->ndecisions) {
		strbuf_addstr(out, "<p>");
		H(L("意思決定が記録されていない。", "No decision is recorded."));
		strbuf_addstr(out, "</p>");
		return;
	}
	strbuf_addstr(out, "<table><thead><tr><th>");
	H(L("インシデント / ステークホルダー", "Incident / stakeholder"));
	strbuf_addstr(out, "</th><th>");
	H(L("対応と方針", "Treatment and policy"));
	strbuf_addstr(out, "</th><th>");
	H(L("対策（対策要件）", "Measures (requirement)"));
	strbuf_addstr(out, "</th><th>");
	H(L("対策後の評価", "Residual rating"));
	strbuf_addstr(out, "</th></tr></thead><tbody>");
	for (size_t i = 0; i < m->ndecisions; i++) {
		const struct iot_decision *d = &m->decisions[i];
		strbuf_addstr(out, "<tr><td><b>");
		H(m->incidents[d->incident].id);
		strbuf_addstr(out, "</b><br>");
		if (d->stakeholder == IOT_NONE)
			H(L("評価した全ステークホルダー", "every rated stakeholder"));
		else
			T(&m->stakeholders[d->stakeholder].name);
		strbuf_addstr(out, "</td><td><b>");
		H(iot_treatment_label(d->treatment, lang));
		strbuf_addstr(out, "</b>");
		if (d->policy.ja || d->policy.en) {
			strbuf_addstr(out, "<br>");
			T(&d->policy);
		}
		if (d->rationale.ja || d->rationale.en) {
			strbuf_addstr(out, "<br><small>");
			T(&d->rationale);
			strbuf_addstr(out, "</small>");
		}
		strbuf_addstr(out, "</td><td>");
		for (size_t j = 0; j < d->nmeasures; j++) {
			const struct iot_measure *ms = &d->measures[j];
			const struct iot_requirement *q = &cat->requirements[ms->requirement];
			strbuf_addstr(out, j ? "<br>" : "");
			T(&ms->text);
			strbuf_addstr(out, " <small>(");
			H(q->id);
			strbuf_addstr(out, " ");
			T(&q->title);
			if (ms->owner != IOT_NONE) {
				strbuf_addstr(out, "; ");
				T(&m->stakeholders[ms->owner].name);
			}
			strbuf_addstr(out, ")</small> ");
			status_tag(out, ms->status, lang);
		}
		strbuf_addstr(out, "</td><td>");
		if (d->has_residual)
			rating_text(out, cat, d->res_axis1, d->res_axis2, lang);
		else
			H("-");
		strbuf_addstr(out, "</td></tr>");
	}
	strbuf_addstr(out, "</tbody></table>");
}

static void section_gaps(const struct iot_assessment *a, enum iot_lang lang,
			 struct strbuf *out)
{
	const struct iot_model *m = a->model;
	const struct iot_catalog *cat = m->cat;

	strbuf_addstr(out, "<h2>");
	H(L("ギャップ（優先順）", "Gaps, most urgent first"));
	strbuf_addstr(out, "</h2>");
	if (!a->ngaps) {
		strbuf_addstr(out, "<p class=\"ok\">");
		H(L("目標を超えるインシデントも未実装の必須要件もない。",
		    "Nothing is above target and every required requirement is implemented."));
		strbuf_addstr(out, "</p>");
		return;
	}
	strbuf_addstr(out, "<ol class=\"gaps\">");
	for (size_t g = 0; g < a->ngaps; g++) {
		const struct iot_gap *gp = &a->gaps[g];
		strbuf_addstr(out, "<li>");
		if (gp->kind == IOT_GAP_INCIDENT) {
			const struct iot_position *p = &a->positions[gp->index];
			strbuf_addstr(out, "<b class=\"bad\">");
			H(L("目標超過", "Above target"));
			strbuf_addstr(out, "</b> ");
			H(m->incidents[p->incident].id);
			strbuf_addstr(out, " — ");
			T(&m->stakeholders[p->stakeholder].name);
			strbuf_addstr(out, ": ");
			H(cat_label(cat, p->eff_category, lang));
			strbuf_addstr(out, " &gt; ");
			H(cat_label(cat, m->stakeholders[p->stakeholder].target, lang));
			strbuf_addstr(out, " (");
			H(!p->decision ? L("意思決定なし", "no decision")
			  : p->decision->treatment == IOT_TREAT_ACCEPT
			  ? L("保有（受容）", "accepted")
			  : p->state == IOT_RES_PENDING
			  ? L("対策未完了", "measures not all implemented")
			  : p->state == IOT_RES_NONE
			  ? L("対策の効果の記載なし", "effect of the measures not stated")
			  : L("対策後も目標超過", "still above target after measures"));
			strbuf_addstr(out, ")");
		} else {
			const struct iot_requirement *q = &cat->requirements[gp->index];
			strength_tag(out, a->reqs[gp->index].strength, lang);
			strbuf_addstr(out, " ");
			status_tag(out, a->reqs[gp->index].status, lang);
			strbuf_addstr(out, " ");
			H(q->id);
			strbuf_addstr(out, " ");
			T(&q->title);
		}
		strbuf_addstr(out, "</li>");
	}
	strbuf_addstr(out, "</ol>");
}

enum mamori_err iot_render_html(const struct iot_assessment *a,
				enum iot_lang lang, struct strbuf *out)
{
	const struct iot_model *m = a->model;
	const struct iot_catalog *cat = m->cat;

	strbuf_addf(out, "<!DOCTYPE html>\n<html lang=\"%s\"><head>"
		    "<meta charset=\"utf-8\"><meta name=\"viewport\" "
		    "content=\"width=device-width,initial-scale=1\">"
		    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
		    "'none'; style-src 'unsafe-inline'; img-src data:\"><title>",
		    lang == IOT_LANG_JA ? "ja" : "en");
	T(&m->title);
	strbuf_addstr(out, " — IoT-SSF</title><style>");
	strbuf_addstr(out, css);
	strbuf_addstr(out, "</style></head><body><header><h1>");
	T(&m->title);
	strbuf_addstr(out, "</h1><div class=\"meta\">");
	H(L("IoTセキュリティ・セーフティ・フレームワークに基づく評価", "Assessment under the IoT Security-Safety Framework"));
	strbuf_addstr(out, " · ");
	H(m->id);
	strbuf_addstr(out, " · ");
	H(L("カタログ ", "catalogue "));
	H(cat->version);
	strbuf_addstr(out, "</div></header>");

	strbuf_addstr(out, "<div class=\"cards\"><div class=\"card\">");
	H(L("システムのカテゴリ", "System category"));
	strbuf_addstr(out, "<b>");
	H(cat_label(cat, a->system_category, lang));
	strbuf_addf(out, "</b></div><div class=\"card\">");
	H(L("目標超過（対策前）", "Above target (inherent)"));
	strbuf_addf(out, "<b class=\"%s\">%zu</b></div><div class=\"card\">",
		    a->above_inherent ? "bad" : "ok", a->above_inherent);
	H(L("目標超過（対策後）", "Above target (after measures)"));
	strbuf_addf(out, "<b class=\"%s\">%zu</b></div><div class=\"card\">",
		    a->above_after ? "bad" : "ok", a->above_after);
	H(L("未実装の必須要件", "Required, not implemented"));
	strbuf_addf(out, "<b class=\"%s\">%zu</b></div></div>",
		    a->required_open ? "bad" : "ok", a->required_open);

	if (m->overview.ja || m->overview.en) {
		strbuf_addstr(out, "<h2>");
		H(L("対象ソリューションの概要", "Overview of the solution"));
		strbuf_addstr(out, "</h2><p>");
		T(&m->overview);
		strbuf_addstr(out, "</p>");
	}
	strbuf_addstr(out, "<h2>");
	H(L("ステークホルダーと目標とするリスクの水準", "Stakeholders and target risk levels"));
	strbuf_addstr(out, "</h2><table><thead><tr><th>");
	H(L("ステークホルダー", "Stakeholder"));
	strbuf_addstr(out, "</th><th>");
	H(L("役割", "Role"));
	strbuf_addstr(out, "</th><th>");
	H(L("目標", "Target"));
	strbuf_addstr(out, "</th><th>");
	H(L("対策前", "Inherent"));
	strbuf_addstr(out, "</th><th>");
	H(L("対策後", "After measures"));
	strbuf_addstr(out, "</th></tr></thead><tbody>");
	for (size_t s = 0; s < m->nstakeholders; s++) {
		const struct iot_stakeholder *st = &m->stakeholders[s];
		size_t c = a->stake_category[s], e = a->stake_eff_category[s];
		strbuf_addf(out, "<tr><td><span class=\"dot\" style=\"background:%s\">"
			    "</span> <b>", palette[s % NPALETTE]);
		T(&st->name);
		strbuf_addstr(out, "</b>");
		if (st->desc.ja || st->desc.en) {
			strbuf_addstr(out, "<br><small>");
			T(&st->desc);
			strbuf_addstr(out, "</small>");
		}
		if (st->criteria.ja || st->criteria.en) {
			strbuf_addstr(out, "<br><small>");
			H(L("リスク基準: ", "Risk criteria: "));
			T(&st->criteria);
			strbuf_addstr(out, "</small>");
		}
		strbuf_addstr(out, "</td><td>");
		H(iot_role_label(st->role, lang));
		strbuf_addstr(out, "</td><td>");
		H(cat_label(cat, st->target, lang));
		strbuf_addf(out, "</td><td class=\"%s\">",
			    c != IOT_NONE && c > st->target ? "bad" : "");
		H(cat_label(cat, c, lang));
		strbuf_addf(out, "</td><td class=\"%s\">",
			    e != IOT_NONE && e > st->target ? "bad" : "ok");
		H(cat_label(cat, e, lang));
		strbuf_addstr(out, "</td></tr>");
	}
	strbuf_addstr(out, "</tbody></table>");

	strbuf_addstr(out, "<h2>");
	H(L("リスクのマッピング（第1軸・第2軸）", "Risk mapping (axes 1 and 2)"));
	strbuf_addstr(out, "</h2><div class=\"grid\">");
	svg_grid(a, lang, out);
	strbuf_addstr(out, "</div>");

	section_positions(a, lang, out);
	section_matrix(a, lang, out);
	section_requirements(a, lang, out);
	section_decisions(a, lang, out);
	section_gaps(a, lang, out);

	strbuf_addstr(out, "<footer>");
	T(&cat->rule_note);
	strbuf_addstr(out, "</footer></body></html>\n");
	return out->err;
}
