/*
 * store_sql.c - every SQL statement the SQLite store runs, in one table,
 * so that a reader can check at a glance that all of them are constant
 * text with bound parameters. Must never hold SQL assembled at run time.
 */
#include "store/store_int.h"

#include "util/banned.h"

const char *const store_sql[STMT__MAX] = {
	[STMT_BEGIN] = "BEGIN IMMEDIATE",
	[STMT_BEGIN_READ] = "BEGIN DEFERRED",
	[STMT_COMMIT] = "COMMIT",
	[STMT_ROLLBACK] = "ROLLBACK",

	[STMT_AUDIT_ADD] =
	"INSERT INTO audit_event(at, who, from_addr, action, object, detail)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[STMT_AUDIT_LIST] =
	"SELECT id, at, who, from_addr, action, object, detail"
	" FROM audit_event WHERE at >= ?1 ORDER BY id",

	[STMT_ORG_GET] =
	"SELECT id, name, kind, pref_code, attrs FROM organisation"
	" WHERE id = ?1",
	[STMT_ORG_INSERT] =
	"INSERT INTO organisation(id, name, kind, pref_code, attrs,"
	" created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
	[STMT_ORG_UPDATE] =
	"UPDATE organisation SET name = ?2, kind = ?3, pref_code = ?4,"
	" attrs = ?5, updated_at = ?6 WHERE id = ?1",
	[STMT_ORG_LIST] =
	"SELECT id, name, kind, pref_code, attrs FROM organisation"
	" WHERE (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR pref_code = ?2)"
	" ORDER BY id",

	[STMT_INSTRUMENT_PUT] =
	"INSERT INTO instrument(sha256, id, version, name, body, stored_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(sha256) DO NOTHING",
	[STMT_INSTRUMENT_GET] =
	"SELECT i.sha256, i.body, i.name FROM campaign c"
	" JOIN instrument i ON i.sha256 = c.instrument_sha256"
	" WHERE c.id = ?1",

	[STMT_CAMPAIGN_INSERT] =
	"INSERT INTO campaign(title, instrument_sha256, target, opens, closes,"
	" created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[STMT_CAMPAIGN_GET] =
	"SELECT c.id, c.title, i.id, i.version, c.instrument_sha256, c.target,"
	" c.override, c.override_at, c.created_at,"
	" (SELECT count(*) FROM campaign_member m WHERE m.campaign_id = c.id)"
	" FROM campaign c JOIN instrument i ON i.sha256 = c.instrument_sha256"
	" WHERE c.id = ?1",
	[STMT_CAMPAIGN_GET_LIGHT] =
	"SELECT c.id, c.title, i.id, i.version, c.instrument_sha256, c.target,"
	" c.override, c.override_at, c.created_at, 0"
	" FROM campaign c JOIN instrument i ON i.sha256 = c.instrument_sha256"
	" WHERE c.id = ?1",
	[STMT_CAMPAIGN_LIST] = "SELECT id FROM campaign ORDER BY id DESC",
	[STMT_CAMPAIGN_SET_OVERRIDE] =
	"UPDATE campaign SET override = ?2, override_at = ?3 WHERE id = ?1",
	[STMT_CAMPAIGN_SET_CLOSES] =
	"UPDATE campaign SET closes = ?2 WHERE id = ?1",

	[STMT_WINDOW_INSERT] =
	"INSERT INTO campaign_window(campaign_id, seq, opens, closes)"
	" VALUES (?1, ?2, ?3, ?4)",
	[STMT_WINDOW_LIST] =
	"SELECT seq, opens, closes FROM campaign_window"
	" WHERE campaign_id = ?1 ORDER BY seq",
	[STMT_WINDOW_SET_CLOSES] =
	"UPDATE campaign_window SET closes = ?3"
	" WHERE campaign_id = ?1 AND seq = ?2",

	[STMT_MEMBER_INSERT] =
	"INSERT INTO campaign_member(campaign_id, org_id) VALUES (?1, ?2)",
	[STMT_MEMBER_IS] =
	"SELECT 1 FROM campaign_member WHERE campaign_id = ?1 AND org_id = ?2",
	[STMT_MEMBER_LIST] =
	"SELECT o.id, o.name, o.kind, o.pref_code, o.attrs"
	" FROM campaign_member m JOIN organisation o ON o.id = m.org_id"
	" WHERE m.campaign_id = ?1 ORDER BY o.id",

	[STMT_CODE_REVOKE] =
	"UPDATE credential SET revoked_at = ?2 WHERE kind = 'access_code'"
	" AND campaign_id = ?1 AND revoked_at IS NULL",
	[STMT_CODE_INSERT] =
	"INSERT INTO credential(kind, subject, campaign_id, selector, hash,"
	" created_at) VALUES ('access_code', ?1, ?2, ?3, ?4, ?5)",
	[STMT_CODE_FIND] =
	"SELECT subject, campaign_id, hash FROM credential"
	" WHERE kind = 'access_code' AND selector = ?1 AND revoked_at IS NULL",

	[STMT_RESPONSE_GET] =
	"SELECT status, revision, submitted_revision, updated_at FROM response"
	" WHERE campaign_id = ?1 AND org_id = ?2",
	[STMT_RESPONSE_PUT] =
	"INSERT INTO response(campaign_id, org_id, status, revision,"
	" submitted_revision, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
	" ON CONFLICT(campaign_id, org_id) DO UPDATE SET"
	" status = excluded.status, revision = excluded.revision,"
	" submitted_revision = excluded.submitted_revision,"
	" updated_at = excluded.updated_at",

	[STMT_REVISION_INSERT] =
	"INSERT INTO response_revision(campaign_id, org_id, revision, kind,"
	" valid, body, normalised, who, from_addr, at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[STMT_REVISION_GET] =
	"SELECT revision, kind, valid, body, normalised, who, from_addr, at"
	" FROM response_revision"
	" WHERE campaign_id = ?1 AND org_id = ?2 AND revision = ?3",
	[STMT_REVISION_LATEST] =
	"SELECT revision, kind, valid, body, normalised, who, from_addr, at"
	" FROM response_revision WHERE campaign_id = ?1 AND org_id = ?2"
	" ORDER BY revision DESC LIMIT 1",
	[STMT_REVISION_LIST] =
	"SELECT revision, kind, valid, body, normalised, who, from_addr, at"
	" FROM response_revision WHERE campaign_id = ?1 AND org_id = ?2"
	" ORDER BY revision",

	[STMT_EXPORT_ROWS] =
	"SELECT r.org_id, o.pref_code, r.status, rv.revision, rv.kind,"
	" coalesce(rv.normalised, rv.body), rv.at"
	" FROM response r JOIN organisation o ON o.id = r.org_id"
	" JOIN response_revision rv ON rv.campaign_id = r.campaign_id"
	" AND rv.org_id = r.org_id AND rv.revision = coalesce("
	"  r.submitted_revision, r.revision)"
	" WHERE r.campaign_id = ?1 AND (?2 OR r.submitted_revision IS NOT NULL)"
	" ORDER BY r.org_id",
	[STMT_STATUS_BY_PREF] =
	"SELECT o.pref_code, count(*),"
	" sum(EXISTS (SELECT 1 FROM credential c WHERE c.kind = 'access_code'"
	"  AND c.campaign_id = m.campaign_id AND c.subject = m.org_id"
	"  AND c.revoked_at IS NULL)),"
	" sum(r.status IS NOT NULL AND r.submitted_revision IS NULL),"
	" sum(r.submitted_revision IS NOT NULL),"
	" sum(coalesce(r.status = 'reopened', 0))"
	" FROM campaign_member m JOIN organisation o ON o.id = m.org_id"
	" LEFT JOIN response r ON r.campaign_id = m.campaign_id"
	"  AND r.org_id = m.org_id"
	" WHERE m.campaign_id = ?1 GROUP BY o.pref_code ORDER BY o.pref_code",
};
