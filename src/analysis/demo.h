/*
 * demo.h - demonstration data: a synthetic national registry of
 * hospitals, a closed 2022 campaign of the bundled MHLW survey whose
 * submitted responses reproduce the published national figures, and a
 * closed 2023 campaign of its 2023 round (the same instrument id) that
 * reproduces the published 2023 figures, so that trends show.
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
 *
 * Campaigns of the other bundled instruments are demo_other.h's: the
 * command line calls demo_other_generate() after demo_generate(), over
 * the same store.
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
	/* the 2023 round's YAML bytes; NULL: no 2023 campaign */
	const char *instrument_2023;
	size_t instrument_2023_len;
	const char *instrument_2023_name;
	size_t respondents_2023;	/* 0: 80 % of the hospitals */
};

struct demo_stats {
	size_t hospitals, respondents, drafts, invited;
	int64_t campaign;
	/* the 2023 campaign (0 when none was made) */
	size_t respondents_2023, drafts_2023, invited_2023;
	int64_t campaign_2023;
};

/* The published 2022 figures the demo reproduces (name, share). */
struct demo_target {
	const char *indicator;	/* id in the bundled survey */
	double share;		/* published, 0..1 */
	const char *denominator;	/* in words */
};

extern const struct demo_target demo_targets[];
extern const size_t demo_ntargets;
/* The published 2023 figures the 2023 campaign reproduces. */
extern const struct demo_target demo_targets_2023[];
extern const size_t demo_ntargets_2023;

/* Where the bundled 2022 survey is looked for, in order (NULL ends). */
extern const char *const demo_instrument_paths[];
/* Where the bundled 2023 round is looked for, in order (NULL ends). */
extern const char *const demo_instrument_2023_paths[];

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
