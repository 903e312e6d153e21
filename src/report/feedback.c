/*
 * feedback.c - one organisation's feedback page (feedback.h) and the
 * campaign set the pages are drawn from. Writes HTML only through html.h;
 * must never emit a URL that the page would fetch (no external CSS,
 * fonts, scripts or images).
 */
#include "report/feedback.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/analysis_store.h"
#include "instrument/expr.h"
#include "util/html.h"
#include "store/iterate.h"
#include "util/banned.h"

/* ---- words ------------------------------------------------------------- */

enum word {
	W_TITLE, W_ORG, W_PREF, W_KIND, W_BAND, W_CAMPAIGN,
	W_GENERATED, W_FIRST, W_FIRST_NONE, W_FINDINGS, W_FINDINGS_NONE,
	W_ADVICE, W_REFS, W_INDICATORS, W_INDICATORS_NOTE, W_IND, W_YOU,
	W_NATIONAL, W_PREFECTURE, W_PEERS, W_PEERS_KIND, W_MET, W_NOT_MET, W_NA,
	W_ANSWERS, W_NOT_ANSWERED, W_NOT_ASKED, W_SEVERITY, W_RESPONDENTS,
	W_OF, W_STAND_MET, W_STAND_NOT, W_STAND_NA, W_PEERS_ARE, W_NO_DATA,
	W_GOOD, W_ATTN, W_STAND_MET_GOOD, W_STAND_MET_BAD, W_STAND_NOT_GOOD,
	W_STAND_NOT_BAD, W_POLARITY_NOTE, W_IND_BADGE,
	W__MAX
};

static const char *const words[W__MAX][LANG__MAX] = {
	[W_TITLE] = { "フィードバック報告書", "Feedback report" },
	[W_ORG] = { "組織", "Organisation" },
	[W_PREF] = { "都道府県", "Prefecture" },
	[W_KIND] = { "種別", "Kind" },
	[W_BAND] = { "規模区分", "Size band" },
	[W_CAMPAIGN] = { "調査", "Survey" },
	[W_GENERATED] = { "作成日", "Generated" },
	[W_FIRST] = { "まず取り組むこと", "What to do first" },
	[W_FIRST_NONE] = { "回答から、直ちに対応が必要な所見は見つかりませんでした。",
			   "No finding in the answers calls for action." },
	[W_FINDINGS] = { "所見（重大なものから）", "Findings, worst first" },
	[W_FINDINGS_NONE] = { "該当する所見はありません。",
			      "No finding fired." },
	[W_ADVICE] = { "対応", "What to do" },
	[W_REFS] = { "参考", "References" },
	[W_INDICATORS] = { "他の回答機関との比較", "Compared with other respondents" },
	[W_INDICATORS_NOTE] = {
		"割合は、各指標の対象となる回答機関（分母、nで表示）のうち、その指標に該当する機関の割合です。",
		"Each share is over the respondents to which the indicator applies (the denominator, shown as n)." },
	[W_IND] = { "指標", "Indicator" },
	[W_YOU] = { "貴機関", "You" },
	[W_NATIONAL] = { "全国", "National" },
	[W_PREFECTURE] = { "同じ都道府県", "Same prefecture" },
	[W_PEERS] = { "同種・同規模", "Same kind and size" },
	[W_PEERS_KIND] = { "同種", "Same kind" },
	[W_MET] = { "該当", "Yes" },
	[W_NOT_MET] = { "非該当", "No" },
	[W_NA] = { "対象外", "Not applicable" },
	[W_ANSWERS] = { "回答内容", "Your answers" },
	[W_NOT_ANSWERED] = { "（無回答）", "(not answered)" },
	[W_NOT_ASKED] = { "（対象外）", "(not asked)" },
	[W_SEVERITY] = { "重大度", "Severity" },
	[W_RESPONDENTS] = { "回答機関", "respondents" },
	[W_OF] = { "のうち", "of" },
	[W_STAND_MET] = { "貴機関は該当します。", "You meet it." },
	[W_STAND_NOT] = { "貴機関は該当しません。", "You do not meet it." },
	[W_STAND_NA] = { "貴機関には適用されません。", "It does not apply to you." },
	[W_PEERS_ARE] = { "比較対象：", "Peers: " },
	[W_NO_DATA] = { "データなし", "no data" },
	[W_GOOD] = { "良好", "Good" },
	[W_ATTN] = { "要対応", "Needs attention" },
	/* met / not met, by the indicator's polarity (good: meeting it is
	 * good; bad: meeting it is a risk) */
	[W_STAND_MET_GOOD] = { "貴機関は該当します（良好）。",
			       "You meet it: good." },
	[W_STAND_MET_BAD] = { "貴機関は該当します（要対応）。",
			      "You meet it: this needs attention." },
	[W_STAND_NOT_GOOD] = { "貴機関は該当しません（要対応）。",
			       "You do not meet it: this needs attention." },
	[W_STAND_NOT_BAD] = { "貴機関は該当しません（良好）。",
			      "You do not meet it: good." },
	[W_POLARITY_NOTE] = {
		"「良好」「要対応」は、指標に該当することが望ましい（対策）か、リスクを示すかによります。どちらでもない指標には付きません。",
		"“Good” and “Needs attention” follow whether meeting the indicator is desirable (a measure) or a risk; indicators that are neither carry no such mark." },
	[W_IND_BADGE] = { "指標", "indicator" },
};

/*
 * The kinds of organisation that the registries and demo campaigns use
 * (store.h organisation.kind), with the word for such an organisation and
 * the attribute that gives its size. A kind not listed reads as itself,
 * an organisation in general, with no size line.
 */
static const struct kind_words {
	const char *kind;
	const char *name[LANG__MAX];
	const char *org[LANG__MAX];
	const char *size_attr;		/* NULL: none shown */
	const char *size[LANG__MAX];
} kind_table[] = {
	{ "hospital", { "病院", "Hospital" },
	  { "医療機関", "Medical institution" },
	  "beds", { "病床数", "Beds" } },
	{ "regional_bank", { "地方銀行", "Regional bank" },
	  { "金融機関", "Financial institution" },
	  "assets_oku_yen",
	  { "総資産（億円）", "Total assets (100 million yen)" } },
	{ "bank", { "銀行", "Bank" },
	  { "金融機関", "Financial institution" },
	  "assets_oku_yen",
	  { "総資産（億円）", "Total assets (100 million yen)" } },
	{ "shinkin", { "信用金庫", "Shinkin bank" },
	  { "金融機関", "Financial institution" },
	  "assets_oku_yen",
	  { "総資産（億円）", "Total assets (100 million yen)" } },
	{ "cooperative", { "信用組合", "Credit cooperative" },
	  { "金融機関", "Financial institution" },
	  "assets_oku_yen",
	  { "総資産（億円）", "Total assets (100 million yen)" } },
};

static const struct kind_words *kind_find(const char *kind)
{
	for (size_t i = 0; i < sizeof(kind_table) / sizeof(kind_table[0]); i++)
		if (kind && !strcmp(kind_table[i].kind, kind))
			return &kind_table[i];
	return NULL;
}

static const char *const sev_words[SEV__MAX][LANG__MAX] = {
	[SEV_INFO] = { "情報", "info" },
	[SEV_LOW] = { "低", "low" },
	[SEV_MEDIUM] = { "中", "medium" },
	[SEV_HIGH] = { "高", "high" },
	[SEV_CRITICAL] = { "重大", "critical" },
};

#define W(w) (words[(w)][in->lang])

/* ---- style: inline, A4, no external resource --------------------------- */

static const char css[] =
	"@page{size:A4;margin:14mm}"
	"*{box-sizing:border-box}"
	"body{font-family:'Noto Sans CJK JP','Noto Sans JP','Hiragino Sans',"
	"'Yu Gothic',Meiryo,sans-serif;color:#1a1a1c;margin:0 auto;"
	"max-width:190mm;padding:8mm;font-size:10.5pt;line-height:1.6}"
	"h1{font-size:17pt;margin:0 0 2mm;color:#00118f}"
	"h2{font-size:13pt;border-bottom:2px solid #00118f;padding-bottom:1mm;"
	"margin:7mm 0 3mm;break-after:avoid}"
	"h3{font-size:11pt;margin:0 0 1mm}"
	".meta{display:grid;grid-template-columns:auto 1fr auto 1fr;gap:1mm 4mm;"
	"font-size:9.5pt;margin:3mm 0}"
	".meta dt{color:#555;font-weight:bold}.meta dd{margin:0}"
	".first{background:#f1f5ff;border:1px solid #c5d3ff;padding:3mm 5mm;"
	"border-radius:2mm}.first ol{margin:0;padding-left:6mm}"
	".finding{border-left:5px solid #888;padding:1mm 0 1mm 4mm;"
	"margin:0 0 4mm;break-inside:avoid}"
	".sev-critical{border-color:#c00}.sev-high{border-color:#e65c00}"
	".sev-medium{border-color:#d9a400}.sev-low{border-color:#4a8}"
	".sev-info{border-color:#789}"
	".badge{display:inline-block;font-size:8.5pt;padding:0 2mm;"
	"border-radius:1mm;color:#fff;background:#789;margin-right:2mm}"
	".b-critical{background:#c00}.b-high{background:#c74700}"
	".b-medium{background:#927200}.b-low{background:#197a4b}"
	".refs{font-size:9pt;color:#444;margin:1mm 0 0;padding-left:5mm}"
	"table{border-collapse:collapse;width:100%;font-size:9.5pt}"
	"th,td{border-bottom:1px solid #ddd;padding:1.2mm 1.5mm;text-align:left;"
	"vertical-align:top}"
	"th{background:#f3f3f5;word-break:keep-all;overflow-wrap:normal}"
	"tr,thead{break-inside:avoid}thead{break-after:avoid}"
	"h2,h3{break-inside:avoid}h2+p{break-inside:avoid;break-after:avoid}"
	/* met and not met alike: meeting an indicator is not always good;
	 * its polarity (instrument-format.md) adds a word, good or needs
	 * attention, in colour and in a box that reads in black and white */
	".you-met,.you-not{color:#3d3d45;font-weight:bold}"
	".pol{display:inline-block;font-size:8.5pt;font-weight:bold;"
	"padding:0 1.5mm;border-radius:1mm;margin-top:0.5mm}"
	".pol-good{color:#197a4b;border:1px dotted #197a4b}"
	".pol-attn{color:#b00020;border:2px solid #b00020}"
	".b-ind{background:#3d3d45}"
	"td.you{white-space:nowrap}td.ind{width:34%}"
	".first a{color:inherit;text-decoration:none}"
	".you-na{color:#6b6b6b;white-space:nowrap}"
	"tbody tr:first-child{break-before:avoid}"
	".note{font-size:9pt;color:#555}"
	"svg{display:block}"
	".num,.nowrap{white-space:nowrap}"
	"@media print{body{padding:0;max-width:none}a{color:inherit}}";

/* ---- helpers ------------------------------------------------------------- */

static const char *attr_str(const json_t *o, const char *k, char *buf,
			    size_t len)
{
	const json_t *v = json_object_get(o, k);
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	if (json_is_real(v)) {
		snprintf(buf, len, "%g", json_real_value(v));
		return buf;
	}
	return "";
}

static void item_number(struct strbuf *out, const struct item *it,
			enum lang lang)
{
	if (it->number)
		html_textf(out, "%s%s", lang == LANG_JA ? "問" : "Q",
			   it->number);
}

struct fired {
	size_t k;
	enum severity sev;
};

/* An indicator on whose bad side the organisation is while most of its
 * peers are on the good side: pm of its peers (share_permille()) are. */
struct lagging {
	size_t k, pop;
	long pm;
};

static int cmp_lagging(const void *a, const void *b)
{
	const struct lagging *x = a, *y = b;
	if (x->pm != y->pm)
		return x->pm > y->pm ? -1 : 1;
	return (x->k > y->k) - (x->k < y->k);
}

/* The items (and organisation attributes) a and b read, in set[]; 0 when
 * more than cap. */
static size_t refs_of(const struct expr *a, const struct expr *b, int *set,
		      size_t cap)
{
	const struct expr *ex[2] = { a, b };
	size_t n = 0;

	for (int k = 0; k < 2; k++) {
		const int *r;
		size_t nr = ex[k] ? expr_refs(ex[k], &r) : 0;
		for (size_t i = 0; i < nr; i++) {
			size_t j = 0;
			while (j < n && set[j] != r[i])
				j++;
			if (j < n)
				continue;
			if (n == cap)
				return 0;
			set[n++] = r[i];
		}
	}
	return n;
}

/* Do the two sets hold the same references (both non-empty)? */
static bool same_set(const int *a, size_t na, const int *b, size_t nb)
{
	if (!na || na != nb)
		return false;
	for (size_t i = 0; i < na; i++) {
		size_t j = 0;
		while (j < nb && b[j] != a[i])
			j++;
		if (j == nb)
			return false;
	}
	return true;
}

/*
 * Is indicator k about what an entry already in "what to do first" is
 * about: does it read (population and met) exactly the items that one of
 * the findings shown reads, or that an indicator listed before it reads?
 * Such pairs (a risk and its complement, a measure and the finding that
 * fires without it) would say one thing twice.
 */
static bool said_already(const struct instrument *ins,
			 const struct fired *fired, size_t nshown,
			 const struct lagging *lag, size_t j)
{
	int mine[32], other[32];
	const struct indicator *ind = &ins->indicators[lag[j].k];
	size_t n = refs_of(ind->population, ind->met, mine, 32), m;

	for (size_t f = 0; f < nshown; f++) {
		m = refs_of(ins->findings[fired[f].k].when, NULL, other, 32);
		if (same_set(mine, n, other, m))
			return true;
	}
	for (size_t i = 0; i < j; i++) {
		const struct indicator *o = &ins->indicators[lag[i].k];
		m = refs_of(o->population, o->met, other, 32);
		if (same_set(mine, n, other, m))
			return true;
	}
	return false;
}

static int cmp_fired(const void *a, const void *b)
{
	const struct fired *x = a, *y = b;
	if (x->sev != y->sev)
		return x->sev > y->sev ? -1 : 1;
	return (x->k > y->k) - (x->k < y->k);
}

/* n with thousands separators: "6,216". */
static void count_text(struct strbuf *out, size_t n)
{
	char digits[32], grouped[48];
	size_t len, j = 0;

	snprintf(digits, sizeof(digits), "%zu", n);
	len = strlen(digits);
	for (size_t i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			grouped[j++] = ',';
		grouped[j++] = digits[i];
	}
	grouped[j] = '\0';
	html_text(out, grouped);
}

/*
 * met of pop in tenths of a per cent, rounded half up: the one rounding
 * of every share the page prints (table, bars, notes); -1 without pop.
 */
static long share_permille(size_t met, size_t pop)
{
	if (!pop)
		return -1;
	return (long)((met * 2000 + pop) / (2 * pop));
}

/* "62.3 %" of share_permille(). */
static void share_text(struct strbuf *out, long pm)
{
	html_textf(out, "%ld.%ld %%", pm / 10, pm % 10);
}

/* "62.3 %" over "n = 1,463". */
static void share_cell(struct strbuf *out, const struct analysis *a,
		       const char *group, size_t k, enum lang lang,
		       long *share)
{
	size_t pop = 0, met = 0;
	analysis_indicator(a, group, k, &pop, &met);
	*share = share_permille(met, pop);
	html_raw(out, "<td class=\"num\">");
	if (pop)
		share_text(out, *share);
	else
		html_text(out, words[W_NO_DATA][lang]);
	html_raw(out, "<br><small>n = ");
	count_text(out, pop);
	html_raw(out, "</small></td>");
}

/* Three horizontal bars: national, prefecture, peers (share_permille(),
 * < 0: none). */
static void bars_svg(struct strbuf *out, const long share[3], bool band,
		     enum lang lang)
{
	static const char *const fill[3] = { "#9aa3b5", "#4f6bd8", "#00118f" };
	const enum word names[3] = { W_NATIONAL, W_PREFECTURE,
				     band ? W_PEERS : W_PEERS_KIND };

	html_raw(out, "<svg width=\"160\" "
		      "height=\"54\" viewBox=\"0 0 160 54\" role=\"img\"><title>");
	for (int i = 0; i < 3; i++) {
		html_text(out, words[names[i]][lang]);
		html_text(out, " ");
		if (share[i] >= 0)
			share_text(out, share[i]);
		else
			html_text(out, words[W_NO_DATA][lang]);
		html_text(out, i < 2 ? ", " : "");
	}
	html_raw(out, "</title>");
	for (int i = 0; i < 3; i++) {
		int y = 2 + i * 17;
		double w = share[i] >= 0 ? 0.11 * (double)share[i] : 0;
		strbuf_addf(out, "<rect x=\"0\" y=\"%d\" width=\"110\" "
			    "height=\"13\" fill=\"#eceef3\"/>", y);
		strbuf_addf(out, "<rect x=\"0\" y=\"%d\" width=\"%.1f\" "
			    "height=\"13\" fill=\"%s\"/>", y, w, fill[i]);
		strbuf_addf(out, "<text x=\"114\" y=\"%d\" font-size=\"10\" "
			    "fill=\"#333\">", y + 11);
		if (share[i] >= 0)
			share_text(out, share[i]);
		else
			html_text(out, "–");
		html_raw(out, "</text>");
	}
	html_raw(out, "</svg>");
}

/* The answer of item i (row) in words. */
static void answer_text(struct strbuf *out, const struct validator *v,
			const struct item *it, size_t row, enum lang lang)
{
	size_t len;
	const char *p;

	if (!validator_relevant(v, it->index, row)) {
		html_raw(out, "<span class=\"you-na\">");
		html_text(out, words[W_NOT_ASKED][lang]);
		html_raw(out, "</span>");
		return;
	}
	p = validator_value(v, it->index, row, &len);
	if (!len) {
		html_raw(out, "<span class=\"you-na\">");
		html_text(out, words[W_NOT_ANSWERED][lang]);
		html_raw(out, "</span>");
		return;
	}
	if (it->type == ITEM_SELECT_ONE || it->type == ITEM_SELECT_MULTIPLE) {
		struct slice rest = slice_make(p, len), one;
		bool first = true;
		while (rest.p) {
			rest = slice_cut(rest, ' ', &one);
			if (!one.len)
				continue;
			const struct choice *c = item_find_choice(it, one.p,
								  one.len);
			if (!first)
				html_text(out, lang == LANG_JA ? "、" : "; ");
			first = false;
			if (c)
				html_text(out, i18n_get(&c->label, lang));
			else
				html_textn(out, one.p, one.len);
		}
		return;
	}
	if (it->type == ITEM_DATE || it->type == ITEM_INTEGER ||
	    it->type == ITEM_DECIMAL) {
		html_raw(out, "<span class=\"nowrap\">");
		html_textn(out, p, len);
		html_raw(out, "</span>");
		return;
	}
	html_textn(out, p, len);
}

static void answers_section(struct strbuf *out, const struct feedback_in *in,
			    const struct validator *v)
{
	const struct instrument *ins = in->ins;

	html_raw(out, "<h2>");
	html_text(out, W(W_ANSWERS));
	html_raw(out, "</h2><table>");
	for (size_t i = 0; i < ins->nitems; i++) {
		const struct item *it = &ins->items[i];
		if (it->type == ITEM_NOTE || it->type == ITEM_CALCULATE ||
		    it->repeat >= 0)
			continue;
		if (it->type == ITEM_GROUP) {
			html_raw(out, "<tr><th colspan=\"3\">");
			item_number(out, it, in->lang);
			html_text(out, " ");
			html_text(out, i18n_get(&it->label, in->lang));
			html_raw(out, "</th></tr>");
			continue;
		}
		html_raw(out, "<tr><td class=\"num\">");
		item_number(out, it, in->lang);
		html_raw(out, "</td><td>");
		html_text(out, i18n_get(&it->label, in->lang));
		html_raw(out, "</td><td>");
		if (it->type == ITEM_REPEAT) {
			size_t rows = validator_rows(v, i);
			if (!validator_relevant(v, i, 0) || !rows) {
				answer_text(out, v, it, 0, in->lang);
			} else {
				html_raw(out, "<table><tr>");
				for (size_t c = 0; c < it->nchildren; c++) {
					html_raw(out, "<th>");
					html_text(out, i18n_get(&ins->items[
						it->children[c]].label, in->lang));
					html_raw(out, "</th>");
				}
				html_raw(out, "</tr>");
				for (size_t r = 0; r < rows; r++) {
					html_raw(out, "<tr>");
					for (size_t c = 0; c < it->nchildren;
					     c++) {
						html_raw(out, "<td>");
						answer_text(out, v,
							&ins->items[it->children[c]],
							r, in->lang);
						html_raw(out, "</td>");
					}
					html_raw(out, "</tr>");
				}
				html_raw(out, "</table>");
			}
		} else {
			answer_text(out, v, it, 0, in->lang);
		}
		html_raw(out, "</td></tr>");
	}
	html_raw(out, "</table>");
}

/*
 * Which side of an indicator the organisation is on: 1 the good side,
 * -1 the side that needs attention, 0 neither (a neutral indicator, or
 * one that does not apply).
 */
static int standing(const struct indicator *ind, bool applies, bool met)
{
	if (!applies || ind->polarity == POLARITY_NEUTRAL)
		return 0;
	return met == (ind->polarity == POLARITY_GOOD) ? 1 : -1;
}

/* Of pop respondents, met meet the indicator: how many are on its good
 * side (0 for a neutral one). */
static size_t good_side(const struct indicator *ind, size_t pop, size_t met)
{
	switch (ind->polarity) {
	case POLARITY_GOOD:
		return met;
	case POLARITY_BAD:
		return pop - met;
	default:
		return 0;
	}
}

/* The word for a standing: a box, green "good" or red "needs attention". */
static void standing_mark(struct strbuf *out, const struct feedback_in *in,
			  int side)
{
	if (!side)
		return;
	if (side > 0)
		html_raw(out, "<br><span class=\"pol pol-good\">");
	else
		html_raw(out, "<br><span class=\"pol pol-attn\">");
	html_text(out, W(side > 0 ? W_GOOD : W_ATTN));
	html_raw(out, "</span>");
}

/* Where the organisation stands, in words, under the indicator's label:
 * "You do not meet it; 78.7 % of your peers do (n = 1,355)." */
static void stand_note(struct strbuf *out, const struct feedback_in *in,
		       const char *peer_key, bool band, size_t k, bool applies,
		       bool met)
{
	const struct indicator *ind = &in->ins->indicators[k];
	size_t pop = 0, n = 0;
	bool ja = in->lang == LANG_JA;
	enum word w;

	analysis_indicator(in->by_peer, peer_key, k, &pop, &n);
	html_raw(out, "<br><span class=\"note\">");
	if (!applies) {
		html_text(out, W(W_STAND_NA));
	} else {
		if (ind->polarity == POLARITY_GOOD)
			w = met ? W_STAND_MET_GOOD : W_STAND_NOT_GOOD;
		else if (ind->polarity == POLARITY_BAD)
			w = met ? W_STAND_MET_BAD : W_STAND_NOT_BAD;
		else
			w = met ? W_STAND_MET : W_STAND_NOT;
		html_text(out, W(w));
		if (pop) {
			html_text(out, ja ? (band ? "同種・同規模の機関の "
						  : "同種の機関の ")
					  : " ");
			/* Japanese has no space to break at but these */
			if (ja)
				html_raw(out, "<span class=\"nowrap\">");
			share_text(out, share_permille(n, pop));
			html_textf(out, ja ? "（n = %zu）" : " of your peers meet "
				   "it (n = %zu).", pop);
			if (ja)
				html_raw(out, "</span>");
			html_text(out, ja ? "が該当します。" : "");
		}
	}
	html_raw(out, "</span>");
}

/* ---- the page ------------------------------------------------------------ */

enum mamori_err feedback_html(const struct feedback_in *in,
			      struct strbuf *out)
{
	const struct instrument *ins = in->ins;
	struct strbuf pref_key = STRBUF_INIT, peer_key = STRBUF_INIT,
		      band = STRBUF_INIT;
	struct vopts vo = { .lang = in->lang, .org = in->org,
			    .campaign = in->campaign_attrs };
	const struct vresult *r = NULL;
	struct validator *v = NULL;
	struct fired *fired = NULL;
	struct lagging *lag = NULL;
	size_t nfired = 0, nlag = 0;
	bool polar = false;
	enum mamori_err e;
	char b1[64], b2[64], b3[64], b4[64];

	if (!json_is_object(in->answers))
		return MAMORI_EINVAL;
	if (in->campaign_attrs)
		vo.today = json_string_value(json_object_get(in->campaign_attrs,
							     "closes"));
	if (!(v = validator_new(ins)) ||
	    !(fired = calloc(ins->nfindings + 1, sizeof(*fired))) ||
	    !(lag = calloc(ins->nindicators + 1, sizeof(*lag)))) {
		e = MAMORI_ENOMEM;
		goto out;
	}
	if ((e = instrument_validate(v, in->answers, &vo, &r)))
		goto out;
	if ((e = analysis_group_key(in->by_pref, in->org, &pref_key)) ||
	    (e = analysis_group_key(in->by_peer, in->org, &peer_key)) ||
	    (e = analysis_size_band(in->by_peer, in->org, &band)))
		goto out;
	for (size_t k = 0; k < ins->nfindings; k++)
		if (r->fired[k])
			fired[nfired++] = (struct fired){
				k, ins->findings[k].severity };
	qsort(fired, nfired, sizeof(*fired), cmp_fired);
	/* indicators where the organisation needs attention while more
	 * than half of its peers (itself included) are on the good side */
	for (size_t k = 0; k < ins->nindicators; k++) {
		const struct indicator *ind = &ins->indicators[k];
		size_t pop = 0, met = 0, good;
		if (ind->polarity != POLARITY_NEUTRAL)
			polar = true;
		if (standing(ind, r->in_population[k], r->met[k]) >= 0)
			continue;
		analysis_indicator(in->by_peer, peer_key.buf, k, &pop, &met);
		good = good_side(ind, pop, met);
		if (pop && 2 * good > pop)
			lag[nlag++] = (struct lagging){
				k, pop, share_permille(good, pop) };
	}
	qsort(lag, nlag, sizeof(*lag), cmp_lagging);

	const char *name = attr_str(in->org, "name", b1, sizeof(b1));
	const char *code = attr_str(in->org, "prefecture", b2, sizeof(b2));
	const struct prefecture *pf = prefecture_find(slice_from_cstr(code));
	const char *kind = attr_str(in->org, "kind", b3, sizeof(b3));
	const struct kind_words *kw = kind_find(kind);
	const char *kind_name = kw ? kw->name[in->lang] : kind;
	const char *size = kw && kw->size_attr
				   ? attr_str(in->org, kw->size_attr, b4,
					      sizeof(b4))
				   : "";
	bool has_band = band.len && strcmp(band.buf, "unknown");

	html_raw(out, "<!DOCTYPE html>\n<html lang=\"");
	html_text(out, lang_name(in->lang));
	html_raw(out, "\"><head><meta charset=\"utf-8\">"
		      "<meta name=\"viewport\" content=\"width=device-width,"
		      "initial-scale=1\"><title>");
	html_text(out, W(W_TITLE));
	html_text(out, " - ");
	html_text(out, name);
	html_raw(out, "</title><style>");
	strbuf_add(out, css, sizeof(css) - 1);	/* the code's own markup */
	html_raw(out, "</style></head><body><header><h1>");
	html_text(out, W(W_TITLE));
	html_raw(out, "</h1><div>");
	html_text(out, in->campaign_title ? in->campaign_title
					  : i18n_get(&ins->title, in->lang));
	html_raw(out, "</div><dl class=\"meta\"><dt>");
	html_text(out, kw ? kw->org[in->lang] : W(W_ORG));
	html_raw(out, "</dt><dd>");
	html_text(out, name);
	html_text(out, " (");
	html_text(out, attr_str(in->org, "id", b1, sizeof(b1)));
	html_text(out, ")");
	html_raw(out, "</dd><dt>");
	html_text(out, W(W_PREF));
	html_raw(out, "</dt><dd>");
	html_text(out, pf ? (in->lang == LANG_JA ? pf->ja : pf->en) : code);
	html_raw(out, "</dd><dt>");
	html_text(out, W(W_KIND));
	html_raw(out, "</dt><dd>");
	html_text(out, kind_name);
	html_raw(out, "</dd>");
	if (*size) {
		html_raw(out, "<dt>");
		html_text(out, kw->size[in->lang]);
		html_raw(out, "</dt><dd>");
		html_text(out, size);
		if (has_band) {
			html_text(out, " (");
			html_text(out, W(W_BAND));
			html_text(out, " ");
			html_text(out, band.buf);
			html_text(out, ")");
		}
		html_raw(out, "</dd>");
	} else if (has_band) {
		html_raw(out, "<dt>");
		html_text(out, W(W_BAND));
		html_raw(out, "</dt><dd>");
		html_text(out, band.buf);
		html_raw(out, "</dd>");
	}
	html_raw(out, "<dt>");
	html_text(out, W(W_CAMPAIGN));
	html_raw(out, "</dt><dd>");
	html_textf(out, "%lld, %s %s", (long long)in->campaign, ins->id,
		   ins->version ? ins->version : "");
	html_raw(out, "</dd><dt>");
	html_text(out, W(W_GENERATED));
	html_raw(out, "</dt><dd>");
	html_text(out, in->generated ? in->generated : "");
	html_raw(out, "</dd></dl></header>");

	/* what to do first: the worst findings, at most five */
	html_raw(out, "<section class=\"first\"><h2>");
	html_text(out, W(W_FIRST));
	html_raw(out, "</h2>");
	if (!nfired && !nlag) {
		html_raw(out, "<p>");
		html_text(out, W(W_FIRST_NONE));
		html_raw(out, "</p>");
	} else {
		html_raw(out, "<ol>");
		for (size_t j = 0; j < nfired && j < 5; j++) {
			const struct finding *f = &ins->findings[fired[j].k];
			const char *adv = i18n_get(&f->advice, in->lang);
			const char *nl = strchr(adv, '\n');
			html_raw(out, "<li><a href=\"#finding-");
			html_text(out, f->id);
			html_raw(out, "\"><span class=\"badge b-");
			html_text(out, severity_name(f->severity));
			html_raw(out, "\">");
			html_text(out, sev_words[f->severity][in->lang]);
			html_raw(out, "</span><strong>");
			html_text(out, i18n_get(&f->title, in->lang));
			html_raw(out, "</strong></a><br><span class=\"note\">");
			html_textn(out, adv, nl ? (size_t)(nl - adv)
						: strlen(adv));
			html_raw(out, "</span></li>");
		}
		/* then at most three indicators where most peers do better,
		 * each about something not said above */
		for (size_t j = 0, shown = 0; j < nlag && shown < 3; j++) {
			const struct indicator *ind = &ins->indicators[lag[j].k];
			bool ja = in->lang == LANG_JA;
			if (said_already(ins, fired, nfired < 5 ? nfired : 5,
					 lag, j))
				continue;
			shown++;
			html_raw(out, "<li><a href=\"#indicator-");
			html_text(out, ind->id);
			html_raw(out, "\"><span class=\"badge b-ind\">");
			html_text(out, W(W_IND_BADGE));
			html_raw(out, "</span><strong>");
			html_text(out, i18n_get(&ind->label, in->lang));
			html_raw(out, "</strong></a><br><span class=\"note\">");
			html_text(out, ja ? "貴機関は要対応です。"
					    : "Yours needs attention; ");
			html_text(out, ja ? (has_band ? "同種・同規模の機関の "
						      : "同種の機関の ")
					  : "");
			share_text(out, lag[j].pm);
			html_textf(out, ja ? "（n = %zu）は良好です。"
					   : " of your peers are on the good "
					     "side (n = %zu).", lag[j].pop);
			html_raw(out, "</span></li>");
		}
		html_raw(out, "</ol>");
	}
	html_raw(out, "</section>");

	/* findings with advice */
	html_raw(out, "<section><h2>");
	html_text(out, W(W_FINDINGS));
	html_raw(out, "</h2>");
	if (!nfired) {
		html_raw(out, "<p>");
		html_text(out, W(W_FINDINGS_NONE));
		html_raw(out, "</p>");
	}
	for (size_t j = 0; j < nfired; j++) {
		const struct finding *f = &ins->findings[fired[j].k];
		html_raw(out, "<article class=\"finding sev-");
		html_text(out, severity_name(f->severity));
		html_raw(out, "\" id=\"finding-");
		html_text(out, f->id);
		html_raw(out, "\"><h3><span class=\"badge b-");
		html_text(out, severity_name(f->severity));
		html_raw(out, "\">");
		html_text(out, sev_words[f->severity][in->lang]);
		html_raw(out, "</span>");
		html_text(out, i18n_get(&f->title, in->lang));
		html_raw(out, "</h3><p>");
		html_lines(out, i18n_get(&f->advice, in->lang));
		html_raw(out, "</p>");
		if (f->nreferences) {
			html_raw(out, "<div class=\"note\">");
			html_text(out, W(W_REFS));
			html_raw(out, "</div><ul class=\"refs\">");
			for (size_t q = 0; q < f->nreferences; q++) {
				html_raw(out, "<li>");
				html_text(out, i18n_get(&f->references[q],
							in->lang));
				html_raw(out, "</li>");
			}
			html_raw(out, "</ul>");
		}
		html_raw(out, "</article>");
	}
	html_raw(out, "</section>");

	/* indicators against all, the prefecture, the peers */
	html_raw(out, "<section><h2>");
	html_text(out, W(W_INDICATORS));
	html_raw(out, "</h2><p class=\"note\">");
	html_text(out, W(W_INDICATORS_NOTE));
	html_text(out, " ");
	if (polar) {
		html_text(out, W(W_POLARITY_NOTE));
		html_text(out, " ");
	}
	html_text(out, W(W_PEERS_ARE));
	html_text(out, W(W_KIND));
	html_raw(out, " <span class=\"nowrap\">");
	html_text(out, kind_name);
	html_raw(out, "</span>");
	if (has_band) {
		html_text(out, in->lang == LANG_JA ? "・" : ", ");
		html_text(out, W(W_BAND));
		html_text(out, " ");
		html_text(out, band.buf);
	}
	html_raw(out, "</p><table><thead><tr><th>");
	html_text(out, W(W_IND));
	html_raw(out, "</th><th>");
	html_text(out, W(W_YOU));
	html_raw(out, "</th><th>");
	html_text(out, W(W_NATIONAL));
	html_raw(out, "</th><th>");
	html_text(out, W(W_PREFECTURE));
	html_raw(out, "</th><th>");
	html_text(out, W(has_band ? W_PEERS : W_PEERS_KIND));
	html_raw(out, "</th><th></th></tr></thead><tbody>");
	for (size_t k = 0; k < ins->nindicators; k++) {
		const struct indicator *ind = &ins->indicators[k];
		long sh[3];
		html_raw(out, "<tr id=\"indicator-");
		html_text(out, ind->id);
		html_raw(out, "\"><td class=\"ind\">");
		html_text(out, i18n_get(&ind->label, in->lang));
		stand_note(out, in, peer_key.buf, has_band, k,
			   r->in_population[k], r->met[k]);
		html_raw(out, "</td><td class=\"you\">");
		if (!r->in_population[k]) {
			html_raw(out, "<span class=\"you-na\" title=\"");
			html_text(out, W(W_STAND_NA));
			html_raw(out, "\">");
			html_text(out, W(W_NA));
		} else if (r->met[k]) {
			html_raw(out, "<span class=\"you-met\" title=\"");
			html_text(out, W(W_STAND_MET));
			html_raw(out, "\">");
			html_text(out, W(W_MET));
		} else {
			html_raw(out, "<span class=\"you-not\" title=\"");
			html_text(out, W(W_STAND_NOT));
			html_raw(out, "\">");
			html_text(out, W(W_NOT_MET));
		}
		html_raw(out, "</span>");
		standing_mark(out, in, standing(ind, r->in_population[k],
						r->met[k]));
		html_raw(out, "</td>");
		share_cell(out, in->by_pref, NULL, k, in->lang, &sh[0]);
		share_cell(out, in->by_pref, pref_key.buf, k, in->lang, &sh[1]);
		share_cell(out, in->by_peer, peer_key.buf, k, in->lang, &sh[2]);
		html_raw(out, "<td>");
		bars_svg(out, sh, has_band, in->lang);
		html_raw(out, "</td></tr>");
	}
	html_raw(out, "</tbody></table></section>");

	answers_section(out, in, v);
	html_raw(out, "<footer class=\"note\"><p>mamori</p></footer>"
		      "</body></html>\n");
	e = out->err;
out:
	strbuf_release(&pref_key);
	strbuf_release(&peer_key);
	strbuf_release(&band);
	free(fired);
	free(lag);
	validator_free(v);
	return e;
}

/* ---- the campaign set ----------------------------------------------------- */

struct respondent {
	char *id;		/* owned */
	json_t *org, *answers;	/* owned */
};

struct feedback_set {
	struct store_campaign camp;	/* owned */
	const struct instrument *ins;	/* owned by the store */
	json_t *campaign_attrs;		/* owned */
	struct analysis *by_pref, *by_peer;	/* owned */
	struct respondent *v;		/* owned */
	size_t n, alloc;
	const char *only;
	bool none;			/* keep no respondent */
	enum mamori_err e;
};

void feedback_set_free(struct feedback_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].id);
		json_decref(s->v[i].org);
		json_decref(s->v[i].answers);
	}
	free(s->v);
	analysis_free(s->by_pref);
	analysis_free(s->by_peer);
	json_decref(s->campaign_attrs);
	store_campaign_release(&s->camp);
	free(s);
}

static int keep_row(void *ud, const struct store_iter_row *r)
{
	struct feedback_set *s = ud;

	if (!r->repeat &&
	    ((s->e = analysis_add_invited(s->by_pref, r->org)) ||
	     (s->e = analysis_add_invited(s->by_peer, r->org))))
		return 1;
	if (!r->answers || !r->submitted)
		return 0;
	if ((s->e = analysis_add(s->by_pref, r->org, r->answers)) ||
	    (s->e = analysis_add(s->by_peer, r->org, r->answers)))
		return 1;
	if (s->none || (s->only && strcmp(s->only, r->org_id)))
		return 0;
	/* a repeatable campaign: the page shows an organisation's latest
	 * report (rows come in report order) */
	if (r->repeat && s->n && !strcmp(s->v[s->n - 1].id, r->org_id)) {
		json_t *a = json_deep_copy(r->answers);
		if (!a) {
			s->e = MAMORI_ENOMEM;
			return 1;
		}
		json_decref(s->v[s->n - 1].answers);
		s->v[s->n - 1].answers = a;
		return 0;
	}
	if (s->n == s->alloc) {
		size_t na = s->alloc ? s->alloc * 2 : 64;
		struct respondent *nv = realloc(s->v, na * sizeof(*nv));
		if (!nv) {
			s->e = MAMORI_ENOMEM;
			return 1;
		}
		s->v = nv;
		s->alloc = na;
	}
	struct respondent *p = &s->v[s->n];
	p->id = strdup(r->org_id);
	p->org = json_deep_copy(r->org);
	p->answers = json_deep_copy(r->answers);
	s->n++;
	if (!p->id || !p->org || !p->answers) {
		s->e = MAMORI_ENOMEM;
		return 1;
	}
	return 0;
}

static enum mamori_err set_load(struct store *st, int64_t campaign,
				const char *org_id, bool none,
				struct feedback_set **out, struct strbuf *err)
{
	struct feedback_set *s = calloc(1, sizeof(*s));
	struct analysis_opts po = { .by = "prefecture" },
			     peer = { .by = "kind,size_band" };
	enum mamori_err e;

	*out = NULL;
	if (!s)
		return MAMORI_ENOMEM;
	s->only = org_id;
	s->none = none;
	if ((e = store_campaign_get(st, campaign, &s->camp, err)))
		goto fail;
	if (!(s->campaign_attrs = analysis_campaign_json(&s->camp))) {
		e = MAMORI_ENOMEM;
		goto fail;
	}
	po.campaign = peer.campaign = s->campaign_attrs;
	po.today = peer.today = json_string_value(
		json_object_get(s->campaign_attrs, "closes"));
	if ((e = store_campaign_instrument(st, campaign, &s->ins, err)) ||
	    (e = analysis_new(s->ins, &po, &s->by_pref, err)) ||
	    (e = analysis_new(s->ins, &peer, &s->by_peer, err)))
		goto fail;
	e = store_campaign_iterate(st, campaign, false, keep_row, s, NULL, err);
	if (!e && s->e)
		e = s->e;
	if (e)
		goto fail;
	if (org_id && !s->n) {
		if (err)
			strbuf_addf(err, "'%s' has no submitted response in "
				    "campaign %lld", org_id,
				    (long long)campaign);
		e = MAMORI_ENOENT;
		goto fail;
	}
	*out = s;
	return MAMORI_OK;
fail:
	feedback_set_free(s);
	return e;
}

enum mamori_err feedback_set_load(struct store *st, int64_t campaign,
				  const char *org_id,
				  struct feedback_set **out,
				  struct strbuf *err)
{
	return set_load(st, campaign, org_id, false, out, err);
}

enum mamori_err feedback_set_load_analyses(struct store *st,
					   int64_t campaign,
					   struct feedback_set **out,
					   struct strbuf *err)
{
	return set_load(st, campaign, NULL, true, out, err);
}

size_t feedback_set_count(const struct feedback_set *s)
{
	return s->n;
}

const char *feedback_set_org(const struct feedback_set *s, size_t i)
{
	return i < s->n ? s->v[i].id : NULL;
}

enum mamori_err feedback_set_render(const struct feedback_set *s, size_t i,
				    enum lang lang, const char *generated,
				    struct strbuf *out)
{
	if (i >= s->n)
		return MAMORI_EINVAL;
	return feedback_set_render_org(s, s->v[i].org, s->v[i].answers, lang,
				       generated, out);
}

enum mamori_err feedback_set_render_org(const struct feedback_set *s,
					const json_t *org,
					const json_t *answers, enum lang lang,
					const char *generated,
					struct strbuf *out)
{
	struct feedback_in in = {
		.ins = s->ins,
		.campaign_title = s->camp.title,
		.campaign = s->camp.id,
		.campaign_attrs = s->campaign_attrs,
		.org = org,
		.answers = answers,
		.by_pref = s->by_pref,
		.by_peer = s->by_peer,
		.lang = lang,
		.generated = generated,
	};
	return feedback_html(&in, out);
}
