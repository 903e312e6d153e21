/*
 * demo_other.h - demonstration campaigns of the other bundled
 * instruments, beside the hospital survey of demo.h: a synthetic
 * registry of the 498 regional financial institutions (99 regional
 * banks, 254 shinkin banks, 145 credit cooperatives) with a closed 2022
 * round of the FSA / Bank of Japan self-assessment whose responses
 * reproduce the published 2022 figures, and small campaigns of the
 * cashless-payment authentication checklist, the MIC cloud-settings
 * checklist (users), the MHLW medical-institution checklist (facility
 * form for hospitals of 500 beds or more, with the vendor form as the
 * campaign's form instrument and a vendor form per contracted vendor,
 * a few missing) and the MHLW incident report (always open, repeatable:
 * some hospitals report twice).
 *
 * Published shares are exact counts of the respondents (round(n *
 * share)) assigned by a seeded draw weighted towards the institutions
 * the model calls better prepared (larger ones); everything else is
 * mamori's assumption (demo_other.c lists it; docs/instruments.md says
 * which is which). Answers the figures do not fix are filled in from the
 * instrument itself (its items, choices and scores), then checked by
 * the instrument engine, so a change to a bundled instrument cannot make
 * the demonstration store answers that do not validate.
 *
 * Written through the store's interface only (store.h): the registry by
 * CSV import, campaigns, invitations, submissions in group commits.
 */
#ifndef MAMORI_DEMO_OTHER_H
#define MAMORI_DEMO_OTHER_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/demo.h"
#include "store/store.h"
#include "util/err.h"
#include "util/strbuf.h"

/* The published 2022 FSA figures reproduced (share of all respondents). */
extern const struct demo_target demo_fsa_targets[];
extern const size_t demo_fsa_ntargets;

/* Where the bundled instruments folder is looked for, in order. */
extern const char *const demo_other_dirs[];

#define DEMO_OTHER_MAX 8

struct demo_other_opts {
	const char *instruments_dir;	/* NULL: the first of demo_other_dirs
					 * that holds the FSA instrument */
	uint64_t seed;			/* 0: 2022 */
};

struct demo_other_campaign {
	const char *key;	/* "fsa-2022", "cashless", ... (static) */
	int64_t id;
	size_t population, submitted;
};

struct demo_other_stats {
	size_t institutions;	/* financial institutions imported */
	size_t ncampaigns;
	struct demo_other_campaign campaigns[DEMO_OTHER_MAX];
};

/*
 * Import the financial registry and create, invite and answer every
 * campaign above into st. The medical-checklist and incident-report
 * campaigns target hospitals already in st (demo_generate()); with none
 * they are created with an empty population. The store's clock is left
 * at the system clock. MAMORI_ENOENT when the instruments are not found.
 */
enum mamori_err demo_other_generate(struct store *st,
				    const struct store_actor *who,
				    const struct demo_other_opts *opts,
				    struct demo_other_stats *out,
				    struct strbuf *err);

#endif
