/*
 * evidence.c - attaching audit and firmware results to a response, and
 * listing them (evidence.h), in the schema's evidence table: kind, name,
 * sha256, summary (a few counts), body (the bytes as attached), who,
 * from_addr, at. The insert is a constant here, the list a statement of
 * the store's table (store_sql.c), both with bound parameters; must
 * never assemble SQL at run time, nor update or delete an evidence row.
 */
#include "store/evidence.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "util/banned.h"

static const char sql_insert[] =
	"INSERT INTO evidence(campaign_id, org_id, kind, name, sha256,"
	" summary, body, who, from_addr, at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

struct kind_shape {
	const char *name;
	const char *schema;	/* the prefix of its "schema" member */
};

enum { KIND_AUDIT, KIND_FIRMWARE, KIND__MAX };

static const struct kind_shape kinds[KIND__MAX] = {
	[KIND_AUDIT] = { STORE_EVIDENCE_AUDIT, "mamori.vpnlog.audit/" },
	[KIND_FIRMWARE] = { STORE_EVIDENCE_FIRMWARE, "mamori.firmware.check/" },
};

/* True when every element of a is an object with a string member key. */
static bool all_have(const json_t *a, const char *key)
{
	const json_t *v;
	size_t i;

	json_array_foreach(a, i, v)
		if (!json_is_string(json_object_get(v, key)))
			return false;
	return true;
}

/*
 * The kind j's shape says it is, or -1. An answers document may well
 * have a "devices" list too (the survey asks about them), so the items
 * are looked at: every finding has a "kind", every device a "status";
 * an empty device list is a firmware check only when "schema" says so.
 */
static int shape_of(const json_t *j)
{
	const json_t *schema = json_object_get(j, "schema");
	const json_t *findings = json_object_get(j, "findings");
	const json_t *devices = json_object_get(j, "devices");
	int k = -1;

	if (!json_is_object(j))
		return -1;
	if (json_is_array(findings) && json_is_integer(json_object_get(j,
								       "events")) &&
	    all_have(findings, "kind"))
		k = KIND_AUDIT;
	else if (!findings && json_is_array(devices) &&
		 all_have(devices, "status") &&
		 (json_array_size(devices) || schema))
		k = KIND_FIRMWARE;
	if (k >= 0 && schema &&
	    (!json_is_string(schema) ||
	     strncmp(json_string_value(schema), kinds[k].schema,
		     strlen(kinds[k].schema))))
		return -1;
	return k;
}

static int kind_parse(const char *s)
{
	for (int i = 0; i < KIND__MAX; i++)
		if (s && !strcmp(s, kinds[i].name))
			return i;
	return -1;
}

const char *store_evidence_detect(const char *json, size_t len)
{
	json_t *j = json_loadb(json, len, 0, NULL);
	int k = shape_of(j);

	json_decref(j);
	return k < 0 ? NULL : kinds[k].name;
}

/* A few counts of the document, as JSON text; the caller frees it. */
static char *summary_of(const json_t *j, int kind)
{
	json_t *s;
	char *text;

	if (kind == KIND_AUDIT)
		s = json_pack("{s:I,s:I}", "events",
			      json_integer_value(json_object_get(j, "events")),
			      "findings",
			      (json_int_t)json_array_size(
				      json_object_get(j, "findings")));
	else
		s = json_pack("{s:I,s:O?}", "devices",
			      (json_int_t)json_array_size(
				      json_object_get(j, "devices")),
			      "summary", json_object_get(j, "summary"));
	text = s ? json_dumps(s, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(s);
	return text;
}

/* ENOENT with a message when org is unknown or not in the population. */
static enum mamori_err check_member(struct store *st, int64_t campaign,
				    const char *org, struct strbuf *err)
{
	struct store_campaign c = { 0 };
	sqlite3_stmt *s;
	enum mamori_err e;
	int rc;

	/* a member's campaign exists (campaign_member references it): the
	 * campaign is read only to say why org is not one */
	if (!(s = store_stmt(st, STMT_MEMBER_IS, err)))
		return MAMORI_EDB;
	sqlite3_bind_int64(s, 1, campaign);
	store_bind_text(s, 2, org);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return MAMORI_OK;
	if (rc != SQLITE_DONE)
		return store_db_err(st, err, "reading the population");
	if ((e = store_campaign_state(st, campaign, &c, err)))
		return e;
	store_campaign_release(&c);
	if (!(s = store_stmt(st, STMT_ORG_GET, err)))
		return MAMORI_EDB;
	store_bind_text(s, 1, org);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		store_msg(err, "no organisation '%s'", org);
	else if (rc == SQLITE_ROW)
		store_msg(err, "organisation '%s' is not in campaign %lld's "
			       "population", org, (long long)campaign);
	else
		return store_db_err(st, err, "reading an organisation");
	return MAMORI_ENOENT;
}

enum mamori_err store_evidence_attach(struct store *st,
				      const struct store_actor *who,
				      int64_t campaign, const char *org,
				      const char *kind, const char *json,
				      size_t len, int64_t *id, char *sha256,
				      struct strbuf *err)
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	char hex[crypto_hash_sha256_BYTES * 2 + 1];
	struct strbuf obj = STRBUF_INIT, detail = STRBUF_INIT;
	sqlite3_stmt *s = NULL;
	char *summary = NULL;
	json_error_t je;
	json_t *j = NULL;
	enum mamori_err e;
	int k = kind_parse(kind), got;
	int64_t newid;

	if (k < 0) {
		store_msg(err, "evidence kind is %s or %s, not '%s'",
			  STORE_EVIDENCE_AUDIT, STORE_EVIDENCE_FIRMWARE,
			  kind ? kind : "");
		return MAMORI_EINVAL;
	}
	if (!org || !*org) {
		store_msg(err, "no organisation given");
		return MAMORI_EINVAL;
	}
	if (len > STORE_EVIDENCE_MAX) {
		store_msg(err, "evidence of %zu bytes is larger than the %u "
			       "allowed", len, STORE_EVIDENCE_MAX);
		return MAMORI_ETOOBIG;
	}
	if (!(j = json_loadb(json, len, 0, &je))) {
		store_msg(err, "evidence is not JSON: line %d, column %d: %s",
			  je.line, je.column, je.text);
		return MAMORI_EPARSE;
	}
	if ((got = shape_of(j)) != k) {
		store_msg(err, "this is not a %s result (%s): %s", kind,
			  k == KIND_AUDIT ? "an object with a number of "
					    "\"events\" and a list of "
					    "\"findings\", from 'mamori vpnlog "
					    "audit --json'"
					  : "an object with a list of "
					    "\"devices\", each with a "
					    "\"status\", from 'mamori "
					    "firmware check --json'",
			  got < 0 ? "it is neither kind"
				  : got == KIND_AUDIT ? "it looks like an audit"
						      : "it looks like a "
							"firmware check");
		json_decref(j);
		return MAMORI_EINVAL;
	}
	summary = summary_of(j, k);
	json_decref(j);
	if (!summary)
		return MAMORI_ENOMEM;
	crypto_hash_sha256(digest, (const unsigned char *)json, len);
	sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));

	if ((e = store_begin(st, err)))
		goto out;
	if ((e = check_member(st, campaign, org, err)))
		goto fail;
	if (sqlite3_prepare_v2(st->db, sql_insert, -1, &s, NULL) != SQLITE_OK) {
		s = NULL;
		e = store_db_err(st, err, "preparing a statement");
		goto fail;
	}
	sqlite3_bind_int64(s, 1, campaign);
	store_bind_text(s, 2, org);
	store_bind_text(s, 3, kinds[k].name);
	store_bind_text(s, 4, kinds[k].name);
	store_bind_text(s, 5, hex);
	store_bind_text(s, 6, summary);
	sqlite3_bind_blob64(s, 7, len ? json : "", len, SQLITE_STATIC);
	store_bind_text(s, 8, who->who);
	store_bind_text(s, 9, who->from);
	sqlite3_bind_int64(s, 10, store_now(st));
	if (sqlite3_step(s) != SQLITE_DONE) {
		e = store_db_err(st, err, "storing the evidence");
		goto fail;
	}
	newid = sqlite3_last_insert_rowid(st->db);
	strbuf_addf(&obj, "campaign:%lld/%s", (long long)campaign, org);
	strbuf_addf(&detail, "{\"evidence\":%lld,\"kind\":\"%s\","
			     "\"sha256\":\"%s\",\"bytes\":%zu}",
		    (long long)newid, kinds[k].name, hex, len);
	if ((e = obj.err ? obj.err : detail.err))
		goto fail;
	if ((e = store_audit(st, who, "evidence.attach", obj.buf, detail.buf,
			     err)))
		goto fail;
	if ((e = store_commit(st, err)))
		goto out;
	if (id)
		*id = newid;
	if (sha256)
		memcpy(sha256, hex, sizeof(hex));
	goto out;
fail:
	store_rollback(st);
out:
	sqlite3_finalize(s);
	strbuf_release(&obj);
	strbuf_release(&detail);
	free(summary);
	return e;
}

enum mamori_err store_evidence_list(struct store *st, int64_t campaign,
				    const char *org,
				    int (*fn)(void *ud,
					      const struct store_evidence *e),
				    void *ud, struct strbuf *err)
{
	sqlite3_stmt *s = NULL, *b;
	enum mamori_err e;
	/* inside the caller's transaction (a page's read snapshot) when
	 * one is open, else in a read transaction of its own */
	bool own = sqlite3_get_autocommit(st->db) != 0;
	int rc;

	if (own && (!(b = store_stmt(st, STMT_BEGIN_READ, err)) ||
		    sqlite3_step(b) != SQLITE_DONE))
		return store_db_err(st, err, "reading evidence");
	if ((e = check_member(st, campaign, org, err)))
		goto out;
	if (!(s = store_stmt(st, STMT_EVIDENCE_LIST, err))) {
		e = MAMORI_EDB;
		goto out;
	}
	sqlite3_bind_int64(s, 1, campaign);
	store_bind_text(s, 2, org);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_evidence ev = {
			.id = sqlite3_column_int64(s, 0),
			.kind = (const char *)sqlite3_column_text(s, 1),
			.name = (const char *)sqlite3_column_text(s, 2),
			.sha256 = (const char *)sqlite3_column_text(s, 3),
			.summary = (const char *)sqlite3_column_text(s, 4),
			.json = sqlite3_column_blob(s, 5),
			.len = (size_t)sqlite3_column_bytes(s, 5),
			.who = (const char *)sqlite3_column_text(s, 6),
			.from = (const char *)sqlite3_column_text(s, 7),
			.at = sqlite3_column_int64(s, 8),
		};
		if (!ev.json)
			ev.json = "";
		if (fn(ud, &ev))
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		e = store_db_err(st, err, "reading evidence");
out:
	if (s)
		sqlite3_reset(s);	/* kept prepared for the next list */
	if (own)
		store_rollback(st);	/* read only: ends the snapshot */
	return e;
}
