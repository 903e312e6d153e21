/*
 * tilemap.h - a tile map of Japan's 47 prefectures as inline SVG: one
 * square per prefecture, laid out roughly as on a map (Hokkaido top
 * right, Okinawa bottom left), each with its short name and its value
 * printed, coloured by a share 0..1 on a five-class sequential scale whose
 * lightness steps stay distinct in greyscale, with a legend; tiles without
 * data are white with a dashed border and a dash. The SVG has role="img",
 * a <title> and an aria-label summing it up in words; tilemap_table()
 * writes the same values as a table for readers that cannot see it.
 *
 * Pure functions: they write markup into a strbuf, every text through the
 * escaping writer (util/html.h), and use neither style attributes nor
 * style elements, so a page under a strict Content-Security-Policy can
 * show them.
 */
#ifndef MAMORI_TILEMAP_H
#define MAMORI_TILEMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "instrument/instrument.h"
#include "store/store.h"
#include "util/err.h"
#include "util/strbuf.h"

#define TILEMAP_COLS 13
#define TILEMAP_ROWS 10
#define TILEMAP_CLASSES 5

/* Tile-map position of a prefecture: JIS code, column, row (0 = top). */
struct tile {
	const char *code;
	int x, y;
};

/* In JIS order: tilemap_tiles[i] is prefectures[i] (store.h). */
extern const struct tile tilemap_tiles[PREFECTURE_COUNT];

/*
 * One prefecture's value: share in 0..1 (clamped), or no data when has is
 * false. num and den, when den > 0, are written beside the share
 * ("67.0 % (2 / 3)").
 */
struct tilemap_value {
	bool has;
	double share;
	size_t num, den;
};

/* num of den; no data when den is 0. */
static inline struct tilemap_value tilemap_ratio(size_t num, size_t den)
{
	struct tilemap_value v = { den > 0, den ? (double)num / (double)den : 0,
				   num, den };
	return v;
}

struct tilemap_opts {
	const char *caption;	/* what the share is ("Response rate") */
	enum lang lang;		/* names and words */
	/*
	 * tilemap_table only, optional: each prefecture's name links to
	 * href_base + code + href_end (say "/campaigns/1/results/
	 * prefecture?pref=" and "&lang=en"); both are escaped.
	 */
	const char *href_base, *href_end;
};

/* The colour class of a share: 0 (lowest) .. TILEMAP_CLASSES - 1. */
unsigned tilemap_class(double share);

/*
 * The map for v[i] = the value of prefectures[i], appended to out as one
 * <svg class="tilemap">. Returns out->err (MAMORI_ENOMEM, MAMORI_ETOOBIG).
 */
enum mamori_err tilemap_svg(const struct tilemap_value v[PREFECTURE_COUNT],
			    const struct tilemap_opts *o, struct strbuf *out);

/*
 * The same values as a <table class="tilemap-table"> with the caption:
 * prefecture, share and num / den, in JIS order, "–" for no data.
 */
enum mamori_err tilemap_table(const struct tilemap_value v[PREFECTURE_COUNT],
			      const struct tilemap_opts *o,
			      struct strbuf *out);

#endif
