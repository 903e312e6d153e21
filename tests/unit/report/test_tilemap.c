/*
 * test_tilemap.c - the 47-prefecture tile map: the layout (every
 * prefecture once, no two on one square, Hokkaido top right, Okinawa
 * bottom left), one tile per prefecture in the SVG at its square, the
 * colour classes and their legend, tiles without data, the words of the
 * aria-label, escaping of every text, no style attribute, and the table
 * fallback with its links.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "report/tilemap.h"
#include "util/html.h"

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

static int code_of(const char *s)
{
	assert_true(s[0] >= '0' && s[0] <= '9' && s[1] >= '0' &&
		    s[1] <= '9' && s[2] == '\0');
	return (s[0] - '0') * 10 + (s[1] - '0');
}

static void layout(void **state)
{
	bool seen_pos[TILEMAP_COLS][TILEMAP_ROWS] = { { false } };
	int maxx = 0, maxy = 0;

	(void)state;
	for (size_t i = 0; i < PREFECTURE_COUNT; i++) {
		const struct tile *t = &tilemap_tiles[i];
		/* JIS order, the same codes as the store's table */
		assert_int_equal(code_of(t->code), (int)i + 1);
		assert_string_equal(t->code, prefectures[i].code);
		assert_true(t->x >= 0 && t->x < TILEMAP_COLS);
		assert_true(t->y >= 0 && t->y < TILEMAP_ROWS);
		assert_false(seen_pos[t->x][t->y]);
		seen_pos[t->x][t->y] = true;
		if (t->x > maxx)
			maxx = t->x;
		if (t->y > maxy)
			maxy = t->y;
	}
	/* Hokkaido top right, Okinawa bottom left, Tokyo south of Saitama */
	assert_int_equal(tilemap_tiles[0].x, maxx);
	assert_int_equal(tilemap_tiles[0].y, 0);
	assert_int_equal(tilemap_tiles[46].x, 0);
	assert_int_equal(tilemap_tiles[46].y, maxy);
	assert_int_equal(tilemap_tiles[12].x, tilemap_tiles[10].x);
	assert_int_equal(tilemap_tiles[12].y, tilemap_tiles[10].y + 1);
	/* Kyushu west of Shikoku, Shikoku west of Kinki */
	assert_true(tilemap_tiles[39].x < tilemap_tiles[37].x);
	assert_true(tilemap_tiles[37].x < tilemap_tiles[26].x);
}

static void classes(void **state)
{
	static const struct {
		double share;
		unsigned cls;
	} cases[] = {
		{ 0.0, 0 },   { 0.194, 0 }, { 0.195, 1 }, { 0.2, 1 },
		{ 0.394, 1 }, { 0.395, 2 }, { 0.6, 3 },  { 0.7949, 3 },
		{ 0.795, 4 }, { 0.8, 4 },   { 1.0, 4 },   { 1.5, 4 },
		{ -0.3, 0 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(tilemap_class(cases[i].share), cases[i].cls);
}

/* Tokyo 3 of 3, Osaka 1 of 2, Hokkaido 0 of 4, Okinawa no data, ... */
static void values(struct tilemap_value v[PREFECTURE_COUNT])
{
	for (size_t i = 0; i < PREFECTURE_COUNT; i++)
		v[i] = tilemap_ratio(i % 5, 4);	/* 0, 25, 50, 75, 100 % */
	v[12] = tilemap_ratio(3, 3);
	v[26] = tilemap_ratio(1, 2);
	v[0] = tilemap_ratio(0, 4);
	v[46] = tilemap_ratio(0, 0);
	v[45] = (struct tilemap_value){ .has = false };
}

static void assert_prefix(const char *s, const char *prefix)
{
	if (strncmp(s, prefix, strlen(prefix)))
		fail_msg("%.*s does not start with %s", (int)strlen(prefix),
			 s, prefix);
}

/* The tile of the prefecture named name: its <g>, once in the map. */
static const char *tile_of(const char *svg, const char *name)
{
	char key[64];
	snprintf(key, sizeof(key), "<g><title>%s: ", name);
	const char *p = strstr(svg, key);
	assert_non_null(p);
	assert_null(strstr(p + 1, key));	/* once */
	return p;
}

/* needle is inside the tile that starts at t */
static void assert_in_tile(const char *t, const char *needle)
{
	const char *end = strstr(t, "</g>"), *p = strstr(t, needle);
	if (!p || !end || p > end)
		fail_msg("%s not in the tile %.*s", needle,
			 end ? (int)(end - t) : 80, t);
}

/* The tile's rect is at its grid square: x = col * 42 + 1, y = row * 42 + 1. */
static void assert_at(const char *svg, size_t i)
{
	char want[64];
	const char *p = tile_of(svg, prefectures[i].en);
	const char *end = strstr(p, "</g>");
	snprintf(want, sizeof(want), "<rect x=\"%d\" y=\"%d\" width=\"40\"",
		 tilemap_tiles[i].x * 42 + 1, tilemap_tiles[i].y * 42 + 1);
	const char *r = strstr(p, want);
	assert_non_null(r);
	assert_true(r < end);
}

static void svg_map(void **state)
{
	struct tilemap_value v[PREFECTURE_COUNT];
	struct tilemap_opts o = { .caption = "Response rate", .lang = LANG_EN };
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	values(v);
	assert_int_equal(tilemap_svg(v, &o, &sb), MAMORI_OK);
	/* one svg, an image with its title and words */
	assert_int_equal(count(sb.buf, "<svg "), 1);
	assert_true(strncmp(sb.buf, "<svg class=\"tilemap\"", 20) == 0);
	assert_non_null(strstr(sb.buf, "role=\"img\""));
	assert_non_null(strstr(sb.buf, "<title>Response rate</title>"));
	assert_non_null(strstr(sb.buf, "aria-label=\"Response rate, tile map "
				       "of the 47 prefectures: 45 with data; "
				       "highest Akita 100.0 %, lowest Hokkaido "
				       "0.0 %\""));
	/* 47 tiles, each with its title; where they are */
	assert_int_equal(count(sb.buf, "<g><title>"), 47);
	assert_int_equal(count(sb.buf, "width=\"40\""), 47);
	assert_at(sb.buf, 0);	/* Hokkaido */
	assert_at(sb.buf, 12);	/* Tokyo */
	assert_at(sb.buf, 26);	/* Osaka */
	assert_at(sb.buf, 46);	/* Okinawa */
	assert_non_null(strstr(sb.buf, "x=\"505\" y=\"1\" width=\"40\""));
	assert_non_null(strstr(sb.buf, "x=\"1\" y=\"379\" width=\"40\""));
	/* values printed, with the tooltip's numbers */
	const char *t = tile_of(sb.buf, "Tokyo");
	assert_prefix(t, "<g><title>Tokyo: 100.0 % "
			    "(3 / 3)</title>");
	assert_in_tile(t, ">100</text></g>");
	assert_in_tile(t, "fill=\"#004482\"");
	t = tile_of(sb.buf, "Osaka");
	assert_prefix(t, "<g><title>Osaka: 50.0 % "
			    "(1 / 2)</title>");
	assert_in_tile(t, "fill=\"#4a90cd\"");
	/* no data: dashed white tile with a dash, its own tooltip */
	t = tile_of(sb.buf, "Okinawa");
	assert_prefix(t, "<g><title>Okinawa: no data"
			    "</title><rect");
	assert_in_tile(t, "stroke-dasharray");
	assert_in_tile(t, ">–</text></g>");
	/* 2 tiles without data and the legend's swatch */
	assert_int_equal(count(sb.buf, "stroke-dasharray"), 3);
	/* the legend: five classes and no data */
	assert_non_null(strstr(sb.buf, ">0–19 %</text>"));
	assert_non_null(strstr(sb.buf, ">80–100 %</text>"));
	assert_non_null(strstr(sb.buf, ">no data</text>"));
	/* long names are fitted into the tile */
	assert_in_tile(tile_of(sb.buf, "Kagoshima"), "textLength=\"35\"");
	/* nothing a strict CSP would block */
	assert_null(strstr(sb.buf, "style"));
	assert_null(strstr(sb.buf, "<script"));
	assert_null(strstr(sb.buf, "href"));
	strbuf_release(&sb);
}

static void japanese(void **state)
{
	struct tilemap_value v[PREFECTURE_COUNT];
	struct tilemap_opts o = { .caption = "回答率", .lang = LANG_JA };
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	for (size_t i = 0; i < PREFECTURE_COUNT; i++)
		v[i] = (struct tilemap_value){ .has = false };
	v[12] = tilemap_ratio(2, 3);
	assert_int_equal(tilemap_svg(v, &o, &sb), MAMORI_OK);
	/* short names: the 都/府/県 goes, 北海道 stays */
	assert_in_tile(tile_of(sb.buf, "東京都"), ">東京</text>");
	assert_in_tile(tile_of(sb.buf, "神奈川県"), ">神奈川</text>");
	assert_in_tile(tile_of(sb.buf, "京都府"), ">京都</text>");
	assert_in_tile(tile_of(sb.buf, "北海道"), ">北海道</text>");
	assert_non_null(strstr(sb.buf, "<title>東京都: 66.7 % (2 / 3)</title>"));
	assert_non_null(strstr(sb.buf, "<title>大阪府: データなし</title>"));
	assert_non_null(strstr(sb.buf, "aria-label=\"回答率（47都道府県のタイル"
				       "地図）：データあり 1、最高 東京都 "
				       "66.7 %、最低 東京都 66.7 %\""));
	assert_int_equal(count(sb.buf, "stroke-dasharray"), 47);
	strbuf_reset(&sb);
	/* nothing at all */
	v[12].has = false;
	assert_int_equal(tilemap_svg(v, &o, &sb), MAMORI_OK);
	assert_non_null(strstr(sb.buf, "：データなし\""));
	strbuf_release(&sb);
}

static void escaping(void **state)
{
	struct tilemap_value v[PREFECTURE_COUNT] = { { 0 } };
	struct tilemap_opts o = {
		.caption = "<b>\"x\" & 'y'</b>", .lang = LANG_EN,
		.href_base = "/r?a=1&pref=", .href_end = "\"><script>",
	};
	struct strbuf sb = STRBUF_INIT;
	const char *esc = "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;";

	(void)state;
	v[0] = tilemap_ratio(1, 1);
	assert_int_equal(tilemap_svg(v, &o, &sb), MAMORI_OK);
	assert_null(strstr(sb.buf, "<b>"));
	assert_null(strstr(sb.buf, "'y'"));
	assert_int_equal(count(sb.buf, esc), 2);	/* title, aria-label */
	strbuf_reset(&sb);
	assert_int_equal(tilemap_table(v, &o, &sb), MAMORI_OK);
	assert_null(strstr(sb.buf, "<b>"));
	assert_null(strstr(sb.buf, "<script>"));
	assert_int_equal(count(sb.buf, esc), 1);	/* caption */
	assert_non_null(strstr(sb.buf, "<a href=\"/r?a=1&amp;pref=01&quot;&gt;"
				       "&lt;script&gt;\">Hokkaido</a>"));
	strbuf_release(&sb);
}

static void table(void **state)
{
	struct tilemap_value v[PREFECTURE_COUNT];
	struct tilemap_opts o = { .caption = "Rate", .lang = LANG_EN };
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	values(v);
	v[2] = (struct tilemap_value){ .has = true, .share = 0.5 };
	assert_int_equal(tilemap_table(v, &o, &sb), MAMORI_OK);
	assert_int_equal(count(sb.buf, "<tr><th scope=\"row\">"), 47);
	assert_null(strstr(sb.buf, "href"));
	assert_non_null(strstr(sb.buf, "<caption>Rate</caption>"));
	assert_non_null(strstr(sb.buf, "<tr><th scope=\"row\">Tokyo</th><td "
				       "class=\"num\">100.0 %</td><td class="
				       "\"num\">3 / 3</td></tr>"));
	assert_non_null(strstr(sb.buf, "<tr><th scope=\"row\">Okinawa</th><td "
				       "class=\"num\">no data</td><td class="
				       "\"num\">–</td></tr>"));
	/* a share without counts */
	assert_non_null(strstr(sb.buf, "<tr><th scope=\"row\">Iwate</th><td "
				       "class=\"num\">50.0 %</td><td class="
				       "\"num\">–</td></tr>"));
	/* JIS order */
	assert_true(strstr(sb.buf, ">Hokkaido<") < strstr(sb.buf, ">Aomori<"));
	assert_true(strstr(sb.buf, ">Kagoshima<") < strstr(sb.buf, ">Okinawa<"));
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(layout),
		cmocka_unit_test(classes),
		cmocka_unit_test(svg_map),
		cmocka_unit_test(japanese),
		cmocka_unit_test(escaping),
		cmocka_unit_test(table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
