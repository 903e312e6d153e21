/*
 * test_user_session.c - staff accounts in the role column (new ones and
 * ones written before schema 3), creating and disabling them, sessions in
 * the database (only a hash of the token kept, idle and absolute expiry,
 * ended by logout and by every revocation of their credential),
 * re-issuing one organisation's access code, and the audit log read a
 * page at a time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sodium.h>
#include <sqlite3.h>

#include "store/audit.h"
#include "store/session.h"
#include "store/store.h"
#include "store/user.h"
#include "util/strbuf.h"

#ifndef SOURCE_ROOT
#define SOURCE_ROOT "."
#endif

static const struct store_actor who = { "admin:alice", "192.0.2.7" };

struct fx {
	char dir[64];
	char db[128];
	struct store *st;
	struct strbuf err;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct store_open_opts o = { .create = true };

	assert_non_null(fx);
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/mamori-session-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->db, sizeof(fx->db), "%s/m.db", fx->dir);
	strbuf_init(&fx->err, 0);
	assert_int_equal(store_open(fx->db, &o, &fx->st, &fx->err), MAMORI_OK);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	static const char *const files[] = { "m.db", "m.db-wal", "m.db-shm",
					     "old.db", "old.db-wal",
					     "old.db-shm" };
	struct fx *fx = *state;
	char path[160];

	store_free(fx->st);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", fx->dir, files[i]);
		unlink(path);
	}
	rmdir(fx->dir);
	strbuf_release(&fx->err);
	free(fx);
	return 0;
}

/* The first column of the first row of sql on a connection of its own,
 * as text into out ("" when no row or NULL). */
static void raw_text(const char *db, const char *sql, char *out, size_t len)
{
	sqlite3 *h;
	sqlite3_stmt *s;

	out[0] = '\0';
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		snprintf(out, len, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(h);
}

static void raw_exec(const char *db, const char *sql)
{
	sqlite3 *h;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(h);
}

static enum mamori_err verify(struct store *st, const char *name,
			      const char *pw, enum user_role *role,
			      int64_t *cred)
{
	return store_user_verify(st, name, pw, strlen(pw), role, cred, NULL);
}

static void add(struct fx *fx, const char *name, enum user_role role,
		const char *pw)
{
	strbuf_reset(&fx->err);
	if (store_user_add(fx->st, &who, name, role, pw, strlen(pw), &fx->err))
		fail_msg("%s", fx->err.buf);
}

/* ---- the role column ----------------------------------------------- */

static void role_in_its_column(void **state)
{
	struct fx *fx = *state;
	enum user_role role = USER_ROLE__MAX;
	int64_t cred = 0;
	char out[64], sql[128];

	add(fx, "bob", USER_REGULATOR, "regulator pass 1");
	raw_text(fx->db, "SELECT role FROM credential WHERE subject = 'bob'",
		 out, sizeof(out));
	assert_string_equal(out, "regulator");
	raw_text(fx->db, "SELECT coalesce(selector, 'none') FROM credential"
		 " WHERE subject = 'bob'", out, sizeof(out));
	assert_string_equal(out, "none");
	assert_int_equal(verify(fx->st, "bob", "regulator pass 1", &role,
				&cred), MAMORI_OK);
	assert_int_equal(role, USER_REGULATOR);
	snprintf(sql, sizeof(sql), "SELECT subject FROM credential WHERE id = "
		 "%lld", (long long)cred);
	raw_text(fx->db, sql, out, sizeof(out));
	assert_string_equal(out, "bob");
	/* the role column decides, not the selector */
	raw_exec(fx->db, "UPDATE credential SET selector = 'role:admin'"
		 " WHERE subject = 'bob'");
	assert_int_equal(verify(fx->st, "bob", "regulator pass 1", &role,
				NULL), MAMORI_OK);
	assert_int_equal(role, USER_REGULATOR);
	/* a password row without a role is nobody's */
	raw_exec(fx->db, "UPDATE credential SET role = NULL"
		 " WHERE subject = 'bob'");
	assert_int_equal(verify(fx->st, "bob", "regulator pass 1", &role,
				NULL), MAMORI_EDENIED);
}

static void account_from_schema_2(void **state)
{
	struct fx *fx = *state;
	struct store_open_opts v2 = { .create = true, .upto_version = 2 };
	struct store_open_opts latest = { .create = true };
	struct store *st = NULL;
	enum user_role role = USER_ROLE__MAX;
	char hash[crypto_pwhash_STRBYTES], sql[512], path[160];
	int64_t cred = 0;

	snprintf(path, sizeof(path), "%s/old.db", fx->dir);
	assert_int_equal(store_open(path, &v2, &st, &fx->err), MAMORI_OK);
	store_free(st);
	/* what "mamori user add carol --role admin" of schema 2 wrote */
	assert_int_equal(crypto_pwhash_str(hash, "old admin pass", 14,
					   crypto_pwhash_OPSLIMIT_MIN,
					   crypto_pwhash_MEMLIMIT_MIN), 0);
	snprintf(sql, sizeof(sql), "INSERT INTO credential(kind, subject,"
		 " campaign_id, selector, hash, created_at) VALUES"
		 " ('password', 'carol', NULL, 'role:admin', '%s', 1)", hash);
	raw_exec(path, sql);
	assert_int_equal(store_open(path, &latest, &st, &fx->err), MAMORI_OK);
	assert_int_equal(verify(st, "carol", "old admin pass", &role, &cred),
			 MAMORI_OK);
	assert_int_equal(role, USER_ADMIN);
	assert_int_equal(cred, 1);
	store_free(st);
}

static int list_user(void *ud, const struct store_user *u)
{
	struct strbuf *sb = ud;
	strbuf_addf(sb, "%s:%s:%s;", u->name, user_role_name(u->role),
		    u->disabled_at ? "disabled" : "enabled");
	return 0;
}

static void create_disable_list(void **state)
{
	struct fx *fx = *state;
	struct strbuf out = STRBUF_INIT;
	enum user_role role;

	assert_int_equal(store_user_create(fx->st, &who, "dave", USER_ADMIN,
					   "first password", 14, &fx->err),
			 MAMORI_OK);
	/* create never replaces an enabled account's password */
	strbuf_reset(&fx->err);
	assert_int_equal(store_user_create(fx->st, &who, "dave",
					   USER_REGULATOR, "second password",
					   15, &fx->err), MAMORI_ECONFLICT);
	assert_non_null(strstr(fx->err.buf, "exists"));
	assert_int_equal(verify(fx->st, "dave", "first password", &role, NULL),
			 MAMORI_OK);
	assert_int_equal(role, USER_ADMIN);
	add(fx, "erin", USER_REGULATOR, "erin's password");
	assert_int_equal(store_user_disable(fx->st, &who, "dave", &fx->err),
			 MAMORI_OK);
	assert_int_equal(verify(fx->st, "dave", "first password", &role, NULL),
			 MAMORI_EDENIED);
	assert_int_equal(store_user_disable(fx->st, &who, "dave", NULL),
			 MAMORI_ENOENT);
	assert_int_equal(store_user_disable(fx->st, &who, "nobody", NULL),
			 MAMORI_ENOENT);
	assert_int_equal(store_user_list(fx->st, list_user, &out, &fx->err),
			 MAMORI_OK);
	assert_string_equal(out.buf, "dave:admin:disabled;"
				     "erin:regulator:enabled;");
	/* a disabled name may be created again, with a new password */
	assert_int_equal(store_user_create(fx->st, &who, "dave",
					   USER_REGULATOR, "second password",
					   15, &fx->err), MAMORI_OK);
	assert_int_equal(verify(fx->st, "dave", "second password", &role,
				NULL), MAMORI_OK);
	assert_int_equal(role, USER_REGULATOR);
	strbuf_release(&out);
}

/* ---- sessions ------------------------------------------------------ */

static int64_t staff_credential(struct fx *fx, const char *name)
{
	enum user_role role;
	int64_t cred = 0;
	char pw[64];

	snprintf(pw, sizeof(pw), "%s's password", name);
	add(fx, name, USER_ADMIN, pw);
	assert_int_equal(verify(fx->st, name, pw, &role, &cred), MAMORI_OK);
	return cred;
}

static void session_keeps_only_a_hash(void **state)
{
	struct fx *fx = *state;
	struct store_session s, f;
	char token[STORE_SESSION_HEX], sql[256], out[128], want[65];
	unsigned char raw[32], h[32];
	size_t got = 0;
	int64_t cred = staff_credential(fx, "alice");

	assert_int_equal(store_session_start(fx->st, cred, "192.0.2.9", 3600,
					     token, &s, &fx->err), MAMORI_OK);
	assert_int_equal(strlen(token), 64);
	assert_false(s.organisation);
	assert_int_equal(s.role, USER_ADMIN);
	assert_string_equal(s.subject, "alice");
	assert_int_equal(s.credential, cred);
	assert_int_equal(strlen(s.csrf), 64);
	assert_string_not_equal(s.csrf, token);
	/* the key is the token's SHA-256; the token is nowhere */
	assert_int_equal(sodium_hex2bin(raw, sizeof(raw), token, 64, NULL,
					&got, NULL), 0);
	crypto_hash_sha256(h, raw, sizeof(raw));
	sodium_bin2hex(want, sizeof(want), h, sizeof(h));
	assert_string_equal(s.id, want);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM session WHERE"
		 " id = '%s' AND csrf = '%s' AND from_addr = '192.0.2.9'",
		 want, s.csrf);
	raw_text(fx->db, sql, out, sizeof(out));
	assert_string_equal(out, "1");
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM session WHERE"
		 " instr(id || csrf || from_addr, '%s') > 0", token);
	raw_text(fx->db, sql, out, sizeof(out));
	assert_string_equal(out, "0");
	/* the database's key is not a token: it finds nothing */
	assert_int_equal(store_session_find(fx->st, want, 3600, &f, NULL),
			 MAMORI_ENOENT);
	assert_int_equal(store_session_find(fx->st, token, 3600, &f, NULL),
			 MAMORI_OK);
	assert_string_equal(f.csrf, s.csrf);
	assert_string_equal(f.subject, "alice");
	/* malformed tokens */
	assert_int_equal(store_session_find(fx->st, "abc", 3600, &f, NULL),
			 MAMORI_ENOENT);
	assert_int_equal(store_session_find(fx->st, NULL, 3600, &f, NULL),
			 MAMORI_ENOENT);
	token[0] = token[0] == 'a' ? 'b' : 'a';
	assert_int_equal(store_session_find(fx->st, token, 3600, &f, NULL),
			 MAMORI_ENOENT);
	token[0] = 'z';
	assert_int_equal(store_session_find(fx->st, token, 3600, &f, NULL),
			 MAMORI_ENOENT);
	/* a credential that is not current opens nothing */
	assert_int_equal(store_session_start(fx->st, 999, "x", 3600, token, &f,
					     NULL), MAMORI_ENOENT);
	assert_int_equal(token[0], '\0');
}

static void session_end_and_expiry(void **state)
{
	struct fx *fx = *state;
	struct store_session s, f;
	char token[STORE_SESSION_HEX], other[STORE_SESSION_HEX], out[64];
	int64_t cred = staff_credential(fx, "alice"), t0 = 1700000000;

	store_set_clock(fx->st, t0);
	assert_int_equal(store_session_start(fx->st, cred, "local", 300, token,
					     &s, &fx->err), MAMORI_OK);
	assert_int_equal(s.expires_at, t0 + 300);
	assert_int_equal(store_session_start(fx->st, cred, "local", 300, other,
					     &f, &fx->err), MAMORI_OK);
	/* used every 90 s: kept alive by last_seen, idle limit 100 s */
	for (int64_t t = 90; t < 300; t += 90) {
		store_set_clock(fx->st, t0 + t);
		assert_int_equal(store_session_find(fx->st, token, 100, &f,
						    NULL), MAMORI_OK);
		assert_int_equal(f.last_seen, t0 + t);
	}
	/* the other one was idle for more than 100 s */
	assert_int_equal(store_session_find(fx->st, other, 100, &f, NULL),
			 MAMORI_ENOENT);
	/* last_seen is written at most once a minute */
	store_set_clock(fx->st, t0 + 290);
	assert_int_equal(store_session_find(fx->st, token, 100, &f, NULL),
			 MAMORI_OK);
	assert_int_equal(f.last_seen, t0 + 270);
	/* and after its absolute expiry it is gone, however busy */
	store_set_clock(fx->st, t0 + 300);
	assert_int_equal(store_session_find(fx->st, token, 100, &f, NULL),
			 MAMORI_ENOENT);
	/* logout: ended_at set, audited, never found again */
	store_set_clock(fx->st, t0 + 400);
	assert_int_equal(store_session_start(fx->st, cred, "local", 300, token,
					     &s, &fx->err), MAMORI_OK);
	assert_int_equal(store_session_end(fx->st, &who, s.id, &fx->err),
			 MAMORI_OK);
	assert_int_equal(store_session_find(fx->st, token, 100, &f, NULL),
			 MAMORI_ENOENT);
	raw_text(fx->db, "SELECT count(*) FROM session WHERE ended_at = "
		 "1700000400", out, sizeof(out));
	assert_string_equal(out, "1");
	raw_text(fx->db, "SELECT who || ' ' || from_addr FROM audit_event"
		 " WHERE action = 'session.end'", out, sizeof(out));
	assert_string_equal(out, "admin:alice 192.0.2.7");
	assert_int_equal(store_session_end(fx->st, &who, "short", NULL),
			 MAMORI_EINVAL);
}

/* found inside a read snapshot: last_seen is written after it, not
 * rolled back with it */
static void session_touch_after_snapshot(void **state)
{
	struct fx *fx = *state;
	struct store_session s, f;
	char token[STORE_SESSION_HEX], out[64];
	int64_t cred = staff_credential(fx, "alice"), t0 = 1700000000;

	store_set_clock(fx->st, t0);
	assert_int_equal(store_session_start(fx->st, cred, "local", 3600,
					     token, &s, &fx->err), MAMORI_OK);
	store_set_clock(fx->st, t0 + 90);
	assert_int_equal(store_session_read_begin(fx->st, &fx->err),
			 MAMORI_OK);
	assert_int_equal(store_session_find(fx->st, token, 100, &f, NULL),
			 MAMORI_OK);
	assert_int_equal(f.last_seen, t0);
	/* nothing is written while the snapshot is open */
	store_session_touch(fx->st, f.id, &f.last_seen);
	assert_int_equal(f.last_seen, t0);
	store_session_read_end(fx->st);
	store_session_touch(fx->st, f.id, &f.last_seen);
	assert_int_equal(f.last_seen, t0 + 90);
	raw_text(fx->db, "SELECT last_seen FROM session WHERE ended_at IS NULL",
		 out, sizeof(out));
	assert_string_equal(out, "1700000090");
	/* kept alive by it: 180 s after the start, 90 after the touch */
	store_set_clock(fx->st, t0 + 180);
	assert_int_equal(store_session_find(fx->st, token, 100, &f, NULL),
			 MAMORI_OK);
	/* a second touch within the minute writes nothing */
	f.last_seen = t0 + 150;
	store_session_touch(fx->st, f.id, &f.last_seen);
	assert_int_equal(f.last_seen, t0 + 150);
}

static void revocation_ends_sessions(void **state)
{
	struct fx *fx = *state;
	struct store_session s, f;
	char t1[STORE_SESSION_HEX], t2[STORE_SESSION_HEX], out[64];
	int64_t cred = staff_credential(fx, "alice");
	int64_t cred2 = staff_credential(fx, "bob");

	assert_int_equal(store_session_start(fx->st, cred, "l", 3600, t1, &s,
					     NULL), MAMORI_OK);
	assert_int_equal(store_session_start(fx->st, cred2, "l", 3600, t2, &s,
					     NULL), MAMORI_OK);
	/* a new password for alice ends her sessions, not bob's */
	add(fx, "alice", USER_ADMIN, "a new password");
	assert_int_equal(store_session_find(fx->st, t1, 3600, &f, NULL),
			 MAMORI_ENOENT);
	assert_int_equal(store_session_find(fx->st, t2, 3600, &f, NULL),
			 MAMORI_OK);
	/* disabling bob ends his */
	assert_int_equal(store_user_disable(fx->st, &who, "bob", &fx->err),
			 MAMORI_OK);
	assert_int_equal(store_session_find(fx->st, t2, 3600, &f, NULL),
			 MAMORI_ENOENT);
	raw_text(fx->db, "SELECT count(*) FROM session WHERE ended_at IS NULL",
		 out, sizeof(out));
	assert_string_equal(out, "0");
	/* even a revocation that does not mark the sessions ends them */
	cred = staff_credential(fx, "carol");
	assert_int_equal(store_session_start(fx->st, cred, "l", 3600, t1, &s,
					     NULL), MAMORI_OK);
	raw_exec(fx->db, "UPDATE credential SET revoked_at = 1"
		 " WHERE subject = 'carol'");
	assert_int_equal(store_session_find(fx->st, t1, 3600, &f, NULL),
			 MAMORI_ENOENT);
}

/* ---- an organisation's access code --------------------------------- */

struct codes {
	size_t n;
	char org[4][16];
	char code[4][STORE_CODE_LEN + 1];
};

static int keep_code(void *ud, const struct store_org *o, const char *code)
{
	struct codes *c = ud;
	assert_true(c->n < 4);
	snprintf(c->code[c->n], sizeof(c->code[0]), "%s", code);
	snprintf(c->org[c->n], sizeof(c->org[0]), "%s", o->id);
	c->n++;
	return 0;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static int64_t campaign_with_codes(struct fx *fx, struct codes *c)
{
	static const char orgs[] = "id,name,kind,prefecture\n"
				   "H001,Alpha,hospital,13\n"
				   "H002,Beta,hospital,27\n"
				   "B001,Bank,bank,13\n";
	struct store_import_stats is;
	size_t len, issued = 0;
	char *yaml = slurp(SOURCE_ROOT "/tests/data/store/tiny.yaml", &len);
	struct store_campaign_new cn = {
		.title = "codes", .instrument_name = "tiny.yaml",
		.instrument = yaml, .instrument_len = len,
		.target = "kind = 'hospital'", .nwindows = 1,
		.windows = { { 1000000000, 4000000000 } },
	};
	int64_t id = 0;

	assert_int_equal(store_org_import_csv(fx->st, &who, orgs, strlen(orgs),
					      STORE_ENC_AUTO, &is, &fx->err),
			 MAMORI_OK);
	if (store_campaign_create(fx->st, &who, &cn, &id, &fx->err))
		fail_msg("%s", fx->err.buf);
	free(yaml);
	assert_int_equal(store_campaign_invite(fx->st, &who, id, keep_code, c,
					       &issued, &fx->err), MAMORI_OK);
	assert_int_equal(issued, 2);
	return id;
}

static int64_t org_session(struct fx *fx, const char *code, const char *org,
			   char *token)
{
	struct strbuf o = STRBUF_INIT;
	struct store_session s;
	int64_t camp = 0, cred = 0;

	assert_int_equal(store_verify_access_code(fx->st, code, &camp, &o,
						  &cred, NULL), MAMORI_OK);
	assert_string_equal(o.buf, org);
	assert_true(cred > 0);
	assert_int_equal(store_session_start(fx->st, cred, "198.51.100.1",
					     3600, token, &s, NULL), MAMORI_OK);
	assert_true(s.organisation);
	assert_string_equal(s.subject, org);
	assert_int_equal(s.campaign, camp);
	strbuf_release(&o);
	return camp;
}

static void reissue_code(void **state)
{
	struct fx *fx = *state;
	struct codes c = { 0 };
	struct store_session f;
	struct strbuf o = STRBUF_INIT;
	char t1[STORE_SESSION_HEX], t2[STORE_SESSION_HEX], t3[STORE_SESSION_HEX];
	char code[STORE_CODE_LEN + 1], sql[256], out[128];
	int64_t id = campaign_with_codes(fx, &c), camp = 0;

	assert_string_equal(c.org[0], "H001");
	assert_int_equal(org_session(fx, c.code[0], "H001", t1), id);
	assert_int_equal(org_session(fx, c.code[1], "H002", t2), id);
	assert_int_equal(store_access_code_reissue(fx->st, &who, id, "H001",
						   code, &fx->err), MAMORI_OK);
	assert_int_equal(strlen(code), STORE_CODE_LEN);
	assert_string_not_equal(code, c.code[0]);
	/* the old code and its session are gone; H002 is untouched */
	assert_int_equal(store_verify_access_code(fx->st, c.code[0], &camp, &o,
						  NULL, NULL), MAMORI_EDENIED);
	assert_int_equal(store_session_find(fx->st, t1, 3600, &f, NULL),
			 MAMORI_ENOENT);
	assert_int_equal(store_session_find(fx->st, t2, 3600, &f, NULL),
			 MAMORI_OK);
	assert_int_equal(org_session(fx, code, "H001", t3), id);
	/* audited with who and from where, never with the code */
	snprintf(sql, sizeof(sql), "SELECT who || ' ' || from_addr || ' ' ||"
		 " object || ' ' || detail FROM audit_event"
		 " WHERE action = 'code.reissue'");
	raw_text(fx->db, sql, out, sizeof(out));
	snprintf(sql, sizeof(sql), "admin:alice 192.0.2.7 campaign:%lld/H001 "
		 "{\"revoked\":1}", (long long)id);
	assert_string_equal(out, sql);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit_event WHERE"
		 " instr(detail || object, '%.4s') > 0", code);
	raw_text(fx->db, sql, out, sizeof(out));
	assert_string_equal(out, "0");
	/* not in the population, no such campaign */
	assert_int_equal(store_access_code_reissue(fx->st, &who, id, "B001",
						   code, NULL), MAMORI_ENOENT);
	assert_int_equal(code[0], '\0');
	assert_int_equal(store_access_code_reissue(fx->st, &who, id + 1, "H001",
						   code, NULL), MAMORI_ENOENT);
	/* a new invitation round revokes every code, and so ends t3 */
	c.n = 0;
	assert_int_equal(store_session_find(fx->st, t3, 3600, &f, NULL),
			 MAMORI_OK);
	{
		size_t issued;
		assert_int_equal(store_campaign_invite(fx->st, &who, id,
						       keep_code, &c, &issued,
						       NULL), MAMORI_OK);
	}
	assert_int_equal(store_session_find(fx->st, t3, 3600, &f, NULL),
			 MAMORI_ENOENT);
	strbuf_release(&o);
}

/* ---- the audit log, a page at a time ------------------------------- */

struct page {
	struct strbuf ids;
	int64_t last;
};

static int keep_event(void *ud, const struct store_audit_event *e)
{
	struct page *p = ud;
	strbuf_addf(&p->ids, "%s,", e->object);
	p->last = e->id;
	return 0;
}

static void audit_pages(void **state)
{
	struct fx *fx = *state;
	struct page p = { STRBUF_INIT, 0 };
	bool more = false;
	char name[16];

	for (int i = 1; i <= 5; i++) {
		snprintf(name, sizeof(name), "user%d", i);
		add(fx, name, USER_REGULATOR, "a long password");
		if (i % 2 == 0)
			assert_int_equal(store_user_disable(fx->st, &who, name,
							    NULL), MAMORI_OK);
	}
	/* newest first */
	assert_int_equal(store_audit_page(fx->st, NULL, 0, 3, keep_event, &p,
					  &more, &fx->err), MAMORI_OK);
	assert_string_equal(p.ids.buf, "user:user5,user:user4,user:user4,");
	assert_true(more);
	/* the next page starts below the last one shown */
	strbuf_reset(&p.ids);
	assert_int_equal(store_audit_page(fx->st, NULL, p.last, 3, keep_event,
					  &p, &more, &fx->err), MAMORI_OK);
	assert_string_equal(p.ids.buf, "user:user3,user:user2,user:user2,");
	assert_true(more);
	strbuf_reset(&p.ids);
	assert_int_equal(store_audit_page(fx->st, NULL, p.last, 3, keep_event,
					  &p, &more, &fx->err), MAMORI_OK);
	assert_string_equal(p.ids.buf, "user:user1,");
	assert_false(more);
	/* by action */
	strbuf_reset(&p.ids);
	assert_int_equal(store_audit_page(fx->st, "user.disable", 0, 10,
					  keep_event, &p, &more, &fx->err),
			 MAMORI_OK);
	assert_string_equal(p.ids.buf, "user:user4,user:user2,");
	assert_false(more);
	strbuf_reset(&p.ids);
	assert_int_equal(store_audit_page(fx->st, "nothing", 0, 10, keep_event,
					  &p, &more, &fx->err), MAMORI_OK);
	assert_string_equal(p.ids.buf, "");
	assert_int_equal(store_audit_page(fx->st, NULL, 0, 0, keep_event, &p,
					  &more, NULL), MAMORI_EINVAL);
	assert_int_equal(store_audit_page(fx->st, NULL, 0,
					  STORE_AUDIT_PAGE_MAX + 1, keep_event,
					  &p, &more, NULL), MAMORI_EINVAL);
	strbuf_release(&p.ids);
}

#define T_(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_(role_in_its_column),
		T_(account_from_schema_2),
		T_(create_disable_list),
		T_(session_keeps_only_a_hash),
		T_(session_end_and_expiry),
		T_(session_touch_after_snapshot),
		T_(revocation_ends_sessions),
		T_(reissue_code),
		T_(audit_pages),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
