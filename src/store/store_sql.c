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
	[STMT_MEMBER_COUNT] =
	"SELECT count(*) FROM campaign_member WHERE campaign_id = ?1",
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
	"SELECT subject, campaign_id, hash, id FROM credential"
	" WHERE kind = 'access_code' AND selector = ?1 AND revoked_at IS NULL",

	/* ?N instance: unbound (NULL) is the organisation's one response */
	[STMT_RESPONSE_GET] =
	"SELECT status, revision, submitted_revision, updated_at FROM response"
	" WHERE campaign_id = ?1 AND org_id = ?2 AND instance = coalesce(?3, 0)",
	[STMT_RESPONSE_PUT] =
	"INSERT INTO response(campaign_id, org_id, status, revision,"
	" submitted_revision, updated_at, instance)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, coalesce(?7, 0))"
	" ON CONFLICT(campaign_id, org_id, instance) DO UPDATE SET"
	" status = excluded.status, revision = excluded.revision,"
	" submitted_revision = excluded.submitted_revision,"
	" updated_at = excluded.updated_at",

	[STMT_REVISION_INSERT] =
	"INSERT INTO response_revision(campaign_id, org_id, revision, kind,"
	" valid, body, normalised, who, from_addr, at, instance)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, coalesce(?11, 0))",
	[STMT_REVISION_GET] =
	"SELECT revision, kind, valid, body, normalised, who, from_addr, at"
	" FROM response_revision"
	" WHERE campaign_id = ?1 AND org_id = ?2 AND revision = ?3"
	" AND instance = coalesce(?4, 0)",
	[STMT_REVISION_LATEST] =
	"SELECT revision, kind, valid, body, normalised, who, from_addr, at"
	" FROM response_revision WHERE campaign_id = ?1 AND org_id = ?2"
	" AND instance = coalesce(?3, 0) ORDER BY revision DESC LIMIT 1",
	[STMT_REVISION_LIST] =
	"SELECT revision, kind, valid, body, normalised, who, from_addr, at"
	" FROM response_revision WHERE campaign_id = ?1 AND org_id = ?2"
	" AND instance = coalesce(?3, 0) ORDER BY revision",

	[STMT_EXPORT_ROWS] =
	"SELECT r.org_id, o.pref_code, r.status, rv.revision, rv.kind,"
	" coalesce(rv.normalised, rv.body), rv.at"
	" FROM response r JOIN organisation o ON o.id = r.org_id"
	" JOIN response_revision rv ON rv.campaign_id = r.campaign_id"
	" AND rv.org_id = r.org_id AND rv.instance = r.instance"
	" AND rv.revision = coalesce(r.submitted_revision, r.revision)"
	" WHERE r.campaign_id = ?1 AND (?2 OR r.submitted_revision IS NOT NULL)"
	" AND (r.instance = 0) = NOT (SELECT repeatable FROM campaign"
	"  WHERE id = ?1)"
	" ORDER BY r.org_id, r.instance",
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
	"  AND r.org_id = m.org_id AND r.instance = 0"
	" WHERE m.campaign_id = ?1 GROUP BY o.pref_code ORDER BY o.pref_code",

	[STMT_CAMPAIGN_PUBLISHED] =
	"SELECT published_at, published_by FROM campaign WHERE id = ?1",
	[STMT_CAMPAIGN_SET_PUBLISHED] =
	"UPDATE campaign SET published_at = ?2, published_by = ?3"
	" WHERE id = ?1",

	/* sessions: id is the SHA-256 of the token (session.c) */
	[STMT_SESSION_INSERT] =
	"INSERT INTO session(id, credential_id, created_at, expires_at, csrf,"
	" from_addr, last_seen) SELECT ?1, id, ?3, ?4, ?5, ?6, ?3"
	" FROM credential WHERE id = ?2 AND revoked_at IS NULL",
	[STMT_SESSION_FIND] =
	"SELECT s.credential_id, c.kind, c.subject, c.campaign_id, c.role,"
	" s.csrf, s.created_at, coalesce(s.last_seen, s.created_at),"
	" s.expires_at FROM session s JOIN credential c"
	" ON c.id = s.credential_id"
	" WHERE s.id = ?1 AND s.ended_at IS NULL AND c.revoked_at IS NULL",
	[STMT_SESSION_TOUCH] =
	"UPDATE session SET last_seen = ?2 WHERE id = ?1 AND ended_at IS NULL",
	[STMT_SESSION_END] =
	"UPDATE session SET ended_at = ?2 WHERE id = ?1 AND ended_at IS NULL",
	[STMT_SESSION_END_USER] =
	"UPDATE session SET ended_at = ?2 WHERE ended_at IS NULL"
	" AND credential_id IN (SELECT id FROM credential"
	" WHERE kind = 'password' AND subject = ?1 AND revoked_at IS NULL)",
	[STMT_SESSION_END_CODE] =
	"UPDATE session SET ended_at = ?3 WHERE ended_at IS NULL"
	" AND credential_id IN (SELECT id FROM credential"
	" WHERE kind = 'access_code' AND campaign_id = ?1 AND subject = ?2"
	" AND revoked_at IS NULL)",

	/* staff accounts (user.c) */
	[STMT_USER_REVOKE] =
	"UPDATE credential SET revoked_at = ?2 WHERE kind = 'password'"
	" AND subject = ?1 AND revoked_at IS NULL",
	[STMT_USER_INSERT] =
	"INSERT INTO credential(kind, subject, campaign_id, selector, role,"
	" hash, created_at) VALUES ('password', ?1, NULL, NULL, ?2, ?3, ?4)",
	[STMT_USER_FIND] =
	"SELECT id, role, hash FROM credential WHERE kind = 'password'"
	" AND subject = ?1 AND revoked_at IS NULL ORDER BY id DESC LIMIT 1",
	[STMT_USER_LIST] =
	"SELECT c.subject, c.role, c.created_at, c.revoked_at FROM credential c"
	" WHERE c.campaign_id IS NULL AND c.kind = 'password'"
	" AND c.id = (SELECT max(d.id) FROM credential d"
	"  WHERE d.campaign_id IS NULL AND d.subject = c.subject"
	"  AND d.kind = 'password')"
	" ORDER BY c.subject",
	[STMT_CODE_REVOKE_ORG] =
	"UPDATE credential SET revoked_at = ?3 WHERE kind = 'access_code'"
	" AND campaign_id = ?1 AND subject = ?2 AND revoked_at IS NULL",

	/* the audit page (audit.c): newest first, below an id */
	[STMT_AUDIT_PAGE] =
	"SELECT id, at, who, from_addr, action, object, detail FROM audit_event"
	" WHERE id < ?1 AND (?2 IS NULL OR action = ?2)"
	" ORDER BY id DESC LIMIT ?3",

	/* schema 4 */
	[STMT_CAMPAIGN_FLAGS_SET] =
	"UPDATE campaign SET always_open = ?2, repeatable = ?3,"
	" form_sha256 = ?4 WHERE id = ?1",
	[STMT_CAMPAIGN_FLAGS_GET] =
	"SELECT c.always_open, c.repeatable, c.form_sha256, i.id"
	" FROM campaign c LEFT JOIN instrument i ON i.sha256 = c.form_sha256"
	" WHERE c.id = ?1",
	[STMT_FORM_INSTRUMENT_GET] =
	"SELECT i.sha256, i.body, i.name FROM campaign c"
	" JOIN instrument i ON i.sha256 = c.form_sha256"
	" WHERE c.id = ?1",
	[STMT_FORM_NEXT] =
	"SELECT coalesce(max(instance), 0) + 1 FROM response"
	" WHERE campaign_id = ?1 AND org_id = ?2",
	[STMT_FORM_LIST] =
	"SELECT instance, status, revision, submitted_revision, updated_at"
	" FROM response WHERE campaign_id = ?1 AND org_id = ?2"
	" ORDER BY instance",
	/* a repeatable campaign: an organisation has submitted when any of
	 * its reports is submitted, has a draft when it has reports and
	 * none is submitted */
	[STMT_STATUS_REPORTS] =
	"SELECT o.pref_code, count(*),"
	" sum(EXISTS (SELECT 1 FROM credential c WHERE c.kind = 'access_code'"
	"  AND c.campaign_id = m.campaign_id AND c.subject = m.org_id"
	"  AND c.revoked_at IS NULL)),"
	" sum(EXISTS (SELECT 1 FROM response r WHERE r.campaign_id ="
	"  m.campaign_id AND r.org_id = m.org_id) AND NOT EXISTS (SELECT 1"
	"  FROM response r WHERE r.campaign_id = m.campaign_id"
	"  AND r.org_id = m.org_id AND r.submitted_revision IS NOT NULL)),"
	" sum(EXISTS (SELECT 1 FROM response r WHERE r.campaign_id ="
	"  m.campaign_id AND r.org_id = m.org_id"
	"  AND r.submitted_revision IS NOT NULL)),"
	" sum(EXISTS (SELECT 1 FROM response r WHERE r.campaign_id ="
	"  m.campaign_id AND r.org_id = m.org_id AND r.status = 'reopened'))"
	" FROM campaign_member m JOIN organisation o ON o.id = m.org_id"
	" WHERE m.campaign_id = ?1 GROUP BY o.pref_code ORDER BY o.pref_code",
	/* ?2: the JSON path of the count item ("$.vendor_count"), checked
	 * by the caller to be an item id */
	[STMT_FORMS_MISSING] =
	"SELECT org_id, expected, submitted FROM (SELECT r.org_id,"
	" CAST(json_extract(coalesce(rv.normalised, rv.body), ?2) AS INTEGER)"
	"  AS expected,"
	" (SELECT count(*) FROM response f WHERE f.campaign_id = r.campaign_id"
	"  AND f.org_id = r.org_id AND f.instance > 0"
	"  AND f.submitted_revision IS NOT NULL) AS submitted"
	" FROM response r JOIN response_revision rv"
	"  ON rv.campaign_id = r.campaign_id AND rv.org_id = r.org_id"
	"  AND rv.instance = r.instance AND rv.revision = r.submitted_revision"
	" WHERE r.campaign_id = ?1 AND r.instance = 0)"
	" WHERE expected > submitted ORDER BY org_id",
	[STMT_EVIDENCE_LIST] =
	"SELECT id, kind, name, sha256, summary, body, who, from_addr, at"
	" FROM evidence WHERE campaign_id = ?1 AND org_id = ?2 ORDER BY id",
};
