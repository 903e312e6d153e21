/*
 * export.h - whole campaigns read out of the store in one pass, for
 * exports and analyses (export.c): every evidence item attached in a
 * campaign. Part of the store's interface (store.h, evidence.h).
 */
#ifndef MAMORI_STORE_EXPORT_H
#define MAMORI_STORE_EXPORT_H

#include <stdint.h>

#include "store/evidence.h"
#include "store/store.h"

/*
 * Calls fn(ud, org, e) for every evidence item attached to any response
 * of campaign, ordered by organisation id, then oldest first; e and org
 * are valid only during the call (e->summary, e->who and e->from are not
 * read: NULL). fn returns non-zero to stop. One read transaction.
 * MAMORI_ENOENT when the campaign does not exist.
 */
enum mamori_err store_evidence_campaign(struct store *st, int64_t campaign,
					int (*fn)(void *ud, const char *org,
						  const struct store_evidence *e),
					void *ud, struct strbuf *err);

#endif
