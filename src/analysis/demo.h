/*
 * demo.h - demonstration data: a synthetic national registry of
 * hospitals and a closed 2022 campaign of the bundled MHLW survey whose
 * submitted responses reproduce the published national figures.
 *
 * Every published share is drawn as an exact count (e.g. the published
 * 4,020 EHR users of 6,216 respondents, scaled to the number of
 * respondents asked for) and assigned to hospitals by a seeded,
 * size-weighted draw without replacement, so the figures hold by
 * construction and larger hospitals come out better prepared. Answers
 * the ministry did not publish are mamori's assumptions (demo.c lists
 * them); docs/analysis.md says which is which.
 *
 * Everything is written through the store's interface (store.h): the
 * registry by CSV import, the campaign, invitations, submissions in
 * group commits, a few drafts. Nothing here knows SQL.
 */
#ifndef MAMORI_DEMO_H
#define MAMORI_DEMO_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/err.h"
#include "util/strbuf.h"

struct demo_opts {
	size_t hospitals;	/* the registry; default 8,252 */
	size_t respondents;	/* who submit; default 6,216 */
	uint64_t seed;		/* default 2022 */
	const char *instrument;	/* the 2022 survey's YAML bytes */
	size_t instrument_len;
	const char *instrument_name;	/* for messages */
};

struct demo_stats {
	size_t hospitals, respondents, drafts, invited;
	int64_t campaign;
};

/* The published 2022 figures the demo reproduces (name, share). */
struct demo_target {
	const char *indicator;	/* id in the bundled survey */
	double share;		/* published, 0..1 */
	const char *denominator;	/* in words */
};

extern const struct demo_target demo_targets[];
extern const size_t demo_ntargets;

/* Where the bundled 2022 survey is looked for, in order (NULL ends). */
extern const char *const demo_instrument_paths[];

/*
 * Generate into st (which should hold no other hospitals: the campaign
 * targets every organisation of kind hospital). MAMORI_EINVAL when
 * respondents > hospitals or either is 0; store errors as the store
 * reports them. The store's clock is left at the system clock.
 */
enum mamori_err demo_generate(struct store *st, const struct store_actor *who,
			      const struct demo_opts *opts,
			      struct demo_stats *out, struct strbuf *err);

#endif
