/*
 * audit.h - reading the audit log a page at a time, newest first, for
 * the staff's audit page. Reading only: events are written by the calls
 * that change data (store_audit, inside their transactions).
 */
#ifndef MAMORI_STORE_AUDIT_H
#define MAMORI_STORE_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define STORE_AUDIT_PAGE_MAX 500

/*
 * The newest events with an id below before (0: from the newest), only
 * those whose action is action when it is not NULL, at most limit
 * (1 .. STORE_AUDIT_PAGE_MAX) of them, newest first; fn returns non-zero
 * to stop. *more says whether older events (of that action) remain, so
 * the next page starts below the last id shown.
 */
enum mamori_err store_audit_page(struct store *st, const char *action,
				 int64_t before, size_t limit,
				 int (*fn)(void *ud,
					   const struct store_audit_event *e),
				 void *ud, bool *more, struct strbuf *err);

#endif
