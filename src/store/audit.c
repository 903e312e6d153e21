/*
 * audit.c - the audit log read a page at a time, newest first, filtered
 * by action (store/audit.h). Reads only; must never write or change an
 * event (the table refuses it anyway, from schema 2 on).
 */
#include <sqlite3.h>

#include "store/audit.h"
#include "store/store_int.h"
#include "util/banned.h"

enum mamori_err store_audit_page(struct store *st, const char *action,
				 int64_t before, size_t limit,
				 int (*fn)(void *ud,
					   const struct store_audit_event *e),
				 void *ud, bool *more, struct strbuf *err)
{
	sqlite3_stmt *s;
	size_t n = 0;
	int rc;

	*more = false;
	if (limit == 0 || limit > STORE_AUDIT_PAGE_MAX || before < 0)
		return MAMORI_EINVAL;
	if (!(s = store_stmt(st, STMT_AUDIT_PAGE, err)))
		return MAMORI_EDB;
	sqlite3_bind_int64(s, 1, before > 0 ? before : INT64_MAX);
	store_bind_text(s, 2, action);
	/* one more than asked: whether an older page exists */
	sqlite3_bind_int64(s, 3, (sqlite3_int64)limit + 1);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_audit_event ev = {
			.id = sqlite3_column_int64(s, 0),
			.at = sqlite3_column_int64(s, 1),
			.who = (const char *)sqlite3_column_text(s, 2),
			.from = (const char *)sqlite3_column_text(s, 3),
			.action = (const char *)sqlite3_column_text(s, 4),
			.object = (const char *)sqlite3_column_text(s, 5),
			.detail = (const char *)sqlite3_column_text(s, 6),
		};
		if (n == limit) {
			*more = true;
			break;
		}
		n++;
		if (fn(ud, &ev))
			break;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_err(st, err, "reading the audit log");
	return MAMORI_OK;
}
