/*
 * tilemap.c - the 47-prefecture tile map and its table (tilemap.h).
 * Writes markup only through html.h; must never emit a style attribute,
 * a style element, a script or a URL the map itself would fetch.
 */
#include "report/tilemap.h"

#include <string.h>

#include "util/html.h"
#include "util/banned.h"

/* Column and row of each prefecture, JIS order, on a 13 x 10 grid. */
const struct tile tilemap_tiles[PREFECTURE_COUNT] = {
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

#define CELL 42			/* grid step, px */
#define TILE 40			/* tile side, px */
#define NAME_FIT 35		/* longest name width before it is squeezed */

/*
 * One hue, five lightness steps (CIE L* 90, 74, 58, 42, 26): distinct when
 * printed in grey. Ink chosen for a contrast of at least 4.5:1.
 */
static const char *const fills[TILEMAP_CLASSES] = {
	"#d4e4f9", "#95b9e3", "#4a90cd", "#0069ad", "#004482",
};
static const char *const inks[TILEMAP_CLASSES] = {
	"#1a1a1c", "#1a1a1c", "#1a1a1c", "#ffffff", "#ffffff",
};
static const char *const class_labels[TILEMAP_CLASSES] = {
	"0–19 %", "20–39 %", "40–59 %", "60–79 %", "80–100 %",
};

enum word { W_NO_DATA, W_LEGEND, W_PREF, W_SHARE, W_COUNT, W__MAX };

static const char *const words[W__MAX][LANG__MAX] = {
	[W_NO_DATA] = { "データなし", "no data" },
	[W_LEGEND] = { "凡例", "Legend" },
	[W_PREF] = { "都道府県", "Prefecture" },
	[W_SHARE] = { "割合", "Share" },
	[W_COUNT] = { "該当 / 分母", "Count / denominator" },
};

static const char *word(const struct tilemap_opts *o, enum word w)
{
	return words[w][(unsigned)o->lang < LANG__MAX ? o->lang : LANG_JA];
}

static const char *pref_name(const struct tilemap_opts *o, size_t i)
{
	return o->lang == LANG_EN ? prefectures[i].en : prefectures[i].ja;
}

/* The percentage printed in a tile; its class follows it. */
static int percent(double share)
{
	if (!(share > 0))
		return 0;
	if (share > 1)
		return 100;
	return (int)(share * 100 + 0.5);
}

unsigned tilemap_class(double share)
{
	int p = percent(share);
	return p >= 80 ? TILEMAP_CLASSES - 1 : (unsigned)p / 20;
}

static double clamp(double s)
{
	return s > 0 ? (s < 1 ? s : 1) : 0;
}

/* "東京" for 東京都, "神奈川" for 神奈川県; 北海道 stays. */
static void short_name(struct strbuf *out, const struct tilemap_opts *o,
		       size_t i)
{
	static const char *const suffixes[] = { "都", "府", "県" };
	const char *n = pref_name(o, i);
	size_t len = strlen(n);

	if (o->lang != LANG_EN)
		for (size_t k = 0; k < 3; k++) {
			size_t sl = strlen(suffixes[k]);
			if (len > sl && !memcmp(n + len - sl, suffixes[k], sl)) {
				len -= sl;
				break;
			}
		}
	html_textn(out, n, len);
}

static void share_text(struct strbuf *out, const struct tilemap_value *v)
{
	html_textf(out, "%.1f %%", 100 * clamp(v->share));
	if (v->den)
		html_textf(out, " (%zu / %zu)", v->num, v->den);
}

/* The aria-label: what the map shows, in words. */
static void summary_words(struct strbuf *out,
			  const struct tilemap_value v[PREFECTURE_COUNT],
			  const struct tilemap_opts *o)
{
	bool ja = o->lang != LANG_EN;
	size_t n = 0, hi = 0, lo = 0;

	for (size_t i = 0; i < PREFECTURE_COUNT; i++) {
		if (!v[i].has)
			continue;
		if (!n || clamp(v[i].share) > clamp(v[hi].share))
			hi = i;
		if (!n || clamp(v[i].share) < clamp(v[lo].share))
			lo = i;
		n++;
	}
	html_text(out, o->caption ? o->caption : "");
	html_text(out, ja ? "（47都道府県のタイル地図）："
			  : ", tile map of the 47 prefectures: ");
	if (!n) {
		html_text(out, ja ? "データなし" : "no data");
		return;
	}
	html_textf(out, ja ? "データあり %zu、最高 " : "%zu with data; highest ",
		   n);
	html_text(out, pref_name(o, hi));
	html_textf(out, " %.1f %%", 100 * clamp(v[hi].share));
	html_text(out, ja ? "、最低 " : ", lowest ");
	html_text(out, pref_name(o, lo));
	html_textf(out, " %.1f %%", 100 * clamp(v[lo].share));
}

static void legend(struct strbuf *out, const struct tilemap_opts *o)
{
	html_addf(out, "<g class=\"legend\"><text x=\"2\" y=\"14\" "
		  "font-size=\"11\" font-weight=\"bold\" fill=\"#1a1a1c\">%s"
		  "</text>", word(o, W_LEGEND));
	for (unsigned c = 0; c <= TILEMAP_CLASSES; c++) {
		int y = 22 + 19 * (int)c;
		if (c < TILEMAP_CLASSES)
			html_addf(out, "<rect x=\"2\" y=\"%d\" width=\"15\" "
				  "height=\"15\" fill=\"%s\" stroke=\"#5c5c5c\""
				  " stroke-width=\"0.75\"/>", y, fills[c]);
		else
			html_addf(out, "<rect x=\"2\" y=\"%d\" width=\"15\" "
				  "height=\"15\" fill=\"#ffffff\" stroke="
				  "\"#5c5c5c\" stroke-dasharray=\"3 2\"/>", y);
		html_addf(out, "<text x=\"24\" y=\"%d\" font-size=\"11\" "
			  "fill=\"#1a1a1c\">%s</text>", y + 12,
			  c < TILEMAP_CLASSES ? class_labels[c]
					      : word(o, W_NO_DATA));
	}
	html_raw(out, "</g>");
}

enum mamori_err tilemap_svg(const struct tilemap_value v[PREFECTURE_COUNT],
			    const struct tilemap_opts *o, struct strbuf *out)
{
	const int w = TILEMAP_COLS * CELL, h = TILEMAP_ROWS * CELL;

	html_addf(out, "<svg class=\"tilemap\" width=\"%d\" height=\"%d\" "
		  "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", w, h, w,
		  h);
	summary_words(out, v, o);
	html_addf(out, "\"><title>%s</title>", o->caption ? o->caption : "");
	legend(out, o);
	for (size_t i = 0; i < PREFECTURE_COUNT; i++) {
		const struct tile *t = &tilemap_tiles[i];
		int x = t->x * CELL + 1, y = t->y * CELL + 1;
		unsigned c = v[i].has ? tilemap_class(v[i].share) : 0;
		const char *ink = v[i].has ? inks[c] : "#1a1a1c";
		size_t nlen = strlen(pref_name(o, i));

		html_addf(out, "<g><title>%s: ", pref_name(o, i));
		if (v[i].has)
			share_text(out, &v[i]);
		else
			html_text(out, word(o, W_NO_DATA));
		html_raw(out, "</title>");
		if (v[i].has)
			html_addf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" "
				  "height=\"%d\" rx=\"3\" fill=\"%s\" stroke="
				  "\"#5c5c5c\" stroke-width=\"0.75\"/>", x, y,
				  TILE, TILE, fills[c]);
		else
			html_addf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" "
				  "height=\"%d\" rx=\"3\" fill=\"#ffffff\" "
				  "stroke=\"#5c5c5c\" stroke-dasharray=\"3 2\""
				  "/>", x, y, TILE, TILE);
		html_addf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
			  "font-size=\"%s\" fill=\"%s\"", x + TILE / 2, y + 15,
			  o->lang == LANG_EN ? "9" : "11", ink);
		if (o->lang == LANG_EN && nlen > 7)
			html_addf(out, " textLength=\"%d\" lengthAdjust="
				  "\"spacingAndGlyphs\"", NAME_FIT);
		html_raw(out, ">");
		short_name(out, o, i);
		html_addf(out, "</text><text x=\"%d\" y=\"%d\" text-anchor="
			  "\"middle\" font-size=\"14\" font-weight=\"bold\" "
			  "fill=\"%s\">", x + TILE / 2, y + 33, ink);
		if (v[i].has)
			html_textf(out, "%d", percent(v[i].share));
		else
			html_text(out, "–");
		html_raw(out, "</text></g>");
	}
	html_raw(out, "</svg>");
	return out->err;
}

enum mamori_err tilemap_table(const struct tilemap_value v[PREFECTURE_COUNT],
			      const struct tilemap_opts *o,
			      struct strbuf *out)
{
	html_addf(out, "<table class=\"tilemap-table\"><caption>%s</caption>"
		  "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\" "
		  "class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s"
		  "</th></tr></thead><tbody>",
		  o->caption ? o->caption : "", word(o, W_PREF),
		  word(o, W_SHARE), word(o, W_COUNT));
	for (size_t i = 0; i < PREFECTURE_COUNT; i++) {
		html_raw(out, "<tr><th scope=\"row\">");
		if (o->href_base)
			html_addf(out, "<a href=\"%s%s%s\">%s</a>",
				  o->href_base, prefectures[i].code,
				  o->href_end ? o->href_end : "",
				  pref_name(o, i));
		else
			html_text(out, pref_name(o, i));
		html_raw(out, "</th><td class=\"num\">");
		if (v[i].has)
			html_textf(out, "%.1f %%", 100 * clamp(v[i].share));
		else
			html_text(out, word(o, W_NO_DATA));
		html_raw(out, "</td><td class=\"num\">");
		if (v[i].has && v[i].den)
			html_textf(out, "%zu / %zu", v[i].num, v[i].den);
		else
			html_text(out, "–");
		html_raw(out, "</td></tr>");
	}
	html_raw(out, "</tbody></table>");
	return out->err;
}
