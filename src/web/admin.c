/*
 * admin.c - the staff's administration pages: accounts (administrators
 * create regulators and administrators, and disable them), a campaign's
 * answering window (open, close, back to the windows, extend), re-issuing
 * one organisation's access code, and the audit log. Which role may use
 * which page is the route table's business (routes.c), not this file's.
 * Every change is a POST carrying the CSRF token (checked by the server)
 * and is audited by the store with who and from where. Must never show a
 * password, nor an access code anywhere but the one answer that issued
 * it; every outside string goes through html_addf's escaping.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "store/audit.h"
#include "store/user.h"
#include "util/html.h"
#include "util/num.h"
#include "web/web_int.h"
#include "util/banned.h"

#define AUDIT_PAGE 50
#define ACTION_MAX 64

enum amsg {
	A_ACCOUNTS, A_NEW_ACCOUNT, A_USER, A_ROLE, A_ROLE_REGULATOR,
	A_ROLE_ADMIN, A_PASSWORD, A_PASSWORD_AGAIN, A_CREATE, A_CREATED,
	A_DISABLE, A_DISABLED, A_STATE, A_ENABLED, A_DISABLED_STATE,
	A_CREATED_AT, A_EXISTS, A_BAD_NAME, A_BAD_PASSWORD, A_BAD_ROLE,
	A_SELF, A_NO_ACCOUNT, A_NO_ACCOUNTS, A_MANAGE, A_WINDOWS, A_OPENS,
	A_CLOSES, A_OVERRIDE, A_OVERRIDE_NONE, A_OVERRIDE_OPEN,
	A_OVERRIDE_CLOSED, A_OPEN_CLOSE, A_OPEN_NOW, A_CLOSE_NOW, A_FOLLOW,
	A_EXTEND, A_NEW_CLOSE, A_EXTEND_HINT, A_EXTEND_BUTTON, A_REISSUE,
	A_ORG, A_CONFIRM, A_REISSUE_BUTTON, A_NEW_CODE, A_CODE_ONCE,
	A_NEED_CONFIRM, A_NOT_MEMBER, A_BAD_DATE, A_BAD_ACTION, A_DONE_OPEN,
	A_DONE_CLOSE, A_DONE_SCHEDULE, A_DONE_EXTEND, A_AUDIT, A_AT, A_WHO,
	A_FROM, A_ACTION, A_OBJECT, A_DETAIL, A_FILTER, A_ACTION_HINT,
	A_OLDER, A_NEWEST, A_NO_EVENTS, A_DASHBOARD, A_CAMPAIGN,
	A__MAX
};

/* Japanese first, then English, as everywhere in the pages. */
static const char *const amsgs[A__MAX][LANG__MAX] = {
	[A_ACCOUNTS] = { "アカウント管理", "Accounts" },
	[A_NEW_ACCOUNT] = { "アカウントの作成", "Create an account" },
	[A_USER] = { "ユーザー名", "User name" },
	[A_ROLE] = { "役割", "Role" },
	[A_ROLE_REGULATOR] = { "所管省庁の担当者（regulator）", "Regulator" },
	[A_ROLE_ADMIN] = { "管理者（admin）", "Administrator (admin)" },
	[A_PASSWORD] = { "初期パスワード（10バイト以上）",
			 "Initial password (10 bytes or more)" },
	[A_PASSWORD_AGAIN] = { "初期パスワード（確認）", "Initial password again" },
	[A_CREATE] = { "作成する", "Create" },
	[A_CREATED] = { "アカウントを作成しました。", "The account was created." },
	[A_DISABLE] = { "無効にする", "Disable" },
	[A_DISABLED] = { "アカウントを無効にしました。ログイン中のセッションも終了しました。",
			 "The account was disabled; its sessions ended." },
	[A_STATE] = { "状態", "State" },
	[A_ENABLED] = { "有効", "enabled" },
	[A_DISABLED_STATE] = { "無効", "disabled" },
	[A_CREATED_AT] = { "パスワード設定日時", "Password set at" },
	[A_EXISTS] = { "このユーザー名は既に使われています。", "That user name is taken." },
	[A_BAD_NAME] = { "ユーザー名は英字で始まる64文字以内の英数字・「.」「_」「-」です。",
			 "A user name is up to 64 letters, digits, '.', '_' or '-', starting with a letter." },
	[A_BAD_PASSWORD] = { "パスワードは10〜1024バイトで、確認欄と同じにしてください。",
			     "The password must have 10 to 1024 bytes and match its confirmation." },
	[A_BAD_ROLE] = { "役割を選んでください。", "Choose a role." },
	[A_SELF] = { "自分のアカウントは無効にできません。", "You cannot disable your own account." },
	[A_NO_ACCOUNT] = { "有効なアカウントがありません。", "There is no such enabled account." },
	[A_NO_ACCOUNTS] = { "アカウントはまだありません。", "No accounts yet." },
	[A_MANAGE] = { "調査の管理", "Manage the survey" },
	[A_WINDOWS] = { "回答期間", "Answering windows" },
	[A_OPENS] = { "受付開始", "Opens" },
	[A_CLOSES] = { "締切", "Closes" },
	[A_OVERRIDE] = { "手動の設定", "Set by hand" },
	[A_OVERRIDE_NONE] = { "なし（回答期間どおり）", "none (the windows decide)" },
	[A_OVERRIDE_OPEN] = { "受付中に固定", "held open" },
	[A_OVERRIDE_CLOSED] = { "締切に固定", "held closed" },
	[A_OPEN_CLOSE] = { "受付の開始・締切", "Open or close" },
	[A_OPEN_NOW] = { "今すぐ受付を開始する", "Open now" },
	[A_CLOSE_NOW] = { "今すぐ締め切る", "Close now" },
	[A_FOLLOW] = { "回答期間どおりに戻す", "Follow the windows" },
	[A_EXTEND] = { "締切の延長", "Extend the deadline" },
	[A_NEW_CLOSE] = { "新しい締切日", "New closing date" },
	[A_EXTEND_HINT] = { "最後の回答期間がこの日の23時59分59秒（日本時間）に締め切られます。手動の設定は解除されます。",
			    "The last window closes at 23:59:59 (Japan time) that day; what was set by hand is lifted." },
	[A_EXTEND_BUTTON] = { "延長する", "Extend" },
	[A_REISSUE] = { "アクセスコードの再発行", "Re-issue an access code" },
	[A_ORG] = { "機関ID", "Organisation ID" },
	[A_CONFIRM] = { "旧コードが使えなくなり、そのコードのセッションが終了することを確認しました。",
			"I understand that the old code stops working and its sessions end." },
	[A_REISSUE_BUTTON] = { "再発行する", "Re-issue" },
	[A_NEW_CODE] = { "新しいアクセスコード", "New access code" },
	[A_CODE_ONCE] = { "このコードが表示されるのはこの画面だけです。控えを取り、安全な方法で機関に伝えてください。",
			  "This is the only time the code is shown: note it and pass it to the organisation safely." },
	[A_NEED_CONFIRM] = { "確認欄にチェックを入れてください。", "Tick the confirmation." },
	[A_NOT_MEMBER] = { "この調査の対象機関ではありません。", "That organisation is not in this survey." },
	[A_BAD_DATE] = { "締切日は YYYY-MM-DD の形で、受付開始より後の日にしてください。",
			 "Give the date as YYYY-MM-DD, after the window opens." },
	[A_BAD_ACTION] = { "操作を選んでください。", "Choose what to do." },
	[A_DONE_OPEN] = { "受付を開始しました。", "The survey is open." },
	[A_DONE_CLOSE] = { "締め切りました。", "The survey is closed." },
	[A_DONE_SCHEDULE] = { "回答期間どおりに戻しました。", "The survey follows its windows again." },
	[A_DONE_EXTEND] = { "締切を延長しました。", "The deadline was extended." },
	[A_AUDIT] = { "監査ログ", "Audit log" },
	[A_AT] = { "日時", "Time" },
	[A_WHO] = { "実行者", "Who" },
	[A_FROM] = { "接続元", "From" },
	[A_ACTION] = { "操作", "Action" },
	[A_OBJECT] = { "対象", "Object" },
	[A_DETAIL] = { "詳細", "Detail" },
	[A_FILTER] = { "絞り込む", "Filter" },
	[A_ACTION_HINT] = { "例: campaign.close、code.reissue、user.add（空欄ですべて）",
			    "For example campaign.close, code.reissue, user.add (empty: all)" },
	[A_OLDER] = { "さらに古い記録", "Older events" },
	[A_NEWEST] = { "最新の記録", "Newest events" },
	[A_NO_EVENTS] = { "該当する記録はありません。", "No events." },
	[A_DASHBOARD] = { "回答状況", "Progress" },
	[A_CAMPAIGN] = { "調査", "Survey" },
};

static const char *A(const struct req *r, enum amsg m)
{
	return amsgs[m][r->lang];
}

static const char *lang_q(const struct req *r)
{
	return r->lang == LANG_EN ? "?lang=en" : "";
}

/* "&lang=en" to follow a query that has a first argument already. */
static const char *lang_amp(const struct req *r)
{
	return r->lang == LANG_EN ? "&lang=en" : "";
}

static void alert(struct strbuf *sb, const char *text)
{
	html_addf(sb, "<p class=\"notice error\" role=\"alert\">%s</p>\n",
		  text);
}

static void done_notice(struct strbuf *sb, const char *text)
{
	html_addf(sb, "<p class=\"notice ok\" role=\"status\">%s</p>\n", text);
}

static void csrf_input(struct req *r, struct strbuf *sb)
{
	html_addf(sb, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">",
		  r->sess.csrf);
}

/* 303 to path (a literal with one %lld for the campaign, or none) with
 * done=what and the language. */
static void redirect_done(struct req *r, const char *path, const char *what)
{
	char buf[160];

	snprintf(buf, sizeof(buf), "%s?done=%s%s", path, what, lang_amp(r));
	reply_redirect(r, buf);
}

static void log_failure(struct req *r, const char *what, enum mamori_err e,
			const struct strbuf *err)
{
	fprintf(stderr, "mamori: %s %s: %s: %s\n", method_name(r->method),
		r->path, what, err && err->len ? err->buf
						: mamori_strerror(e));
}

/* ---- accounts (administrators) ------------------------------------- */

struct users_ctx {
	struct req *r;
	struct strbuf *sb;
	size_t n;
};

static int user_row(void *ud, const struct store_user *u)
{
	struct users_ctx *x = ud;
	struct req *r = x->r;
	char at[40];

	if (x->n++ == 0)
		html_addf(x->sb, "<table class=\"admin\"><caption>%s</caption>"
			  "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">"
			  "%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s"
			  "</th><th scope=\"col\"><span class=\"visually-hidden\">"
			  "%s</span></th></tr></thead><tbody>\n",
			  A(r, A_ACCOUNTS), A(r, A_USER), A(r, A_ROLE),
			  A(r, A_STATE), A(r, A_CREATED_AT), A(r, A_DISABLE));
	store_time_format(u->created_at, at, sizeof(at));
	html_addf(x->sb, "<tr><th scope=\"row\">%s</th><td>%s</td><td>%s</td>"
		  "<td>%s</td><td>", u->name, user_role_name(u->role),
		  A(r, u->disabled_at ? A_DISABLED_STATE : A_ENABLED), at);
	if (!u->disabled_at && strcmp(u->name, r->sess.who) != 0) {
		html_addf(x->sb, "<form method=\"post\" action=\"/admin/users/"
			  "disable%s\" class=\"inline\">", lang_q(r));
		csrf_input(r, x->sb);
		html_addf(x->sb, "<input type=\"hidden\" name=\"user\" "
			  "value=\"%s\"><button class=\"secondary\" "
			  "aria-label=\"%s: %s\">%s</button></form>",
			  u->name, A(r, A_DISABLE), u->name, A(r, A_DISABLE));
	}
	html_addf(x->sb, "</td></tr>\n");
	return 0;
}

/* The accounts page with its create form; problem (or A__MAX) is shown
 * as an alert, name (may be NULL) is kept in the form. */
static void users_page(struct req *r, unsigned status, enum amsg problem,
		       const char *name, int role)
{
	struct strbuf err = STRBUF_INIT;
	struct users_ctx x = { r, NULL, 0 };
	const char *done = req_query(r, "done");
	struct strbuf *sb;
	enum mamori_err e;

	sb = page_begin(r, A(r, A_ACCOUNTS));
	x.sb = sb;
	r->reply.status = status;
	html_addf(sb, "<h1>%s</h1>\n", A(r, A_ACCOUNTS));
	if (problem != A__MAX)
		alert(sb, A(r, problem));
	else if (done && strcmp(done, "created") == 0)
		done_notice(sb, A(r, A_CREATED));
	else if (done && strcmp(done, "disabled") == 0)
		done_notice(sb, A(r, A_DISABLED));
	if ((e = store_user_list(r->st, user_row, &x, &err))) {
		log_failure(r, "listing the accounts", e, &err);
		strbuf_release(&err);
		reply_error(r, 500, "internal", "cannot list the accounts");
		return;
	}
	strbuf_release(&err);
	if (x.n)
		html_addf(sb, "</tbody></table>\n");
	else
		html_addf(sb, "<p>%s</p>\n", A(r, A_NO_ACCOUNTS));
	html_addf(sb, "<form method=\"post\" action=\"/admin/users%s\" "
		  "class=\"admin\" autocomplete=\"off\">", lang_q(r));
	csrf_input(r, sb);
	html_addf(sb, "<fieldset><legend>%s</legend>"
		  "<p><label for=\"user\">%s</label><input id=\"user\" "
		  "name=\"user\" required maxlength=\"64\" value=\"%s\" "
		  "autocomplete=\"off\"></p>"
		  "<fieldset class=\"choices\"><legend>%s</legend>"
		  "<label class=\"choice\"><input type=\"radio\" name=\"role\" "
		  "value=\"regulator\" required%s> %s</label>"
		  "<label class=\"choice\"><input type=\"radio\" name=\"role\" "
		  "value=\"admin\"%s> %s</label></fieldset>"
		  "<p><label for=\"password\">%s</label><input id=\"password\" "
		  "name=\"password\" type=\"password\" required minlength=\"%d\" "
		  "autocomplete=\"new-password\"></p>"
		  "<p><label for=\"password2\">%s</label><input id=\"password2\" "
		  "name=\"password2\" type=\"password\" required minlength=\"%d\" "
		  "autocomplete=\"new-password\"></p>"
		  "<button type=\"submit\">%s</button></fieldset></form>\n",
		  A(r, A_NEW_ACCOUNT), A(r, A_USER), name ? name : "",
		  A(r, A_ROLE), role == USER_REGULATOR ? " checked" : "",
		  A(r, A_ROLE_REGULATOR), role == USER_ADMIN ? " checked" : "",
		  A(r, A_ROLE_ADMIN), A(r, A_PASSWORD), USER_PASSWORD_MIN,
		  A(r, A_PASSWORD_AGAIN), USER_PASSWORD_MIN, A(r, A_CREATE));
	html_addf(sb, "<p><a href=\"/admin/audit%s\">%s</a></p>\n", lang_q(r),
		  A(r, A_AUDIT));
	page_end(r);
}

void admin_users(struct req *r)
{
	users_page(r, 200, A__MAX, NULL, -1);
}

static const struct field_spec create_fields[] = {
	{ .name = "user", .kind = FIELD_ID, .max = USER_NAME_MAX,
	  .required = true },
	{ .name = "role", .kind = FIELD_ID, .max = 16, .required = true },
	{ .name = "password", .kind = FIELD_TEXT, .max = USER_PASSWORD_MAX,
	  .required = true },
	{ .name = "password2", .kind = FIELD_TEXT, .max = USER_PASSWORD_MAX,
	  .required = true },
};

void admin_user_create(struct req *r)
{
	struct strbuf err = STRBUF_INIT;
	const char *v[4], *bad = NULL;
	struct store_actor a;
	size_t n1, n2;
	enum mamori_err e;
	int role;

	if (form_fetch(&r->form, create_fields, 4, v, &bad)) {
		enum amsg m = strcmp(bad, "user") == 0 ? A_BAD_NAME
			      : strcmp(bad, "role") == 0 ? A_BAD_ROLE
			      : A_BAD_PASSWORD;
		const char *u = form_get(&r->form, "user");
		users_page(r, 400, m, u && user_name_valid(u, strlen(u)) ? u
								  : NULL,
			   user_role_parse(form_get(&r->form, "role")));
		return;
	}
	role = user_role_parse(v[1]);
	if (!user_name_valid(v[0], strlen(v[0]))) {
		users_page(r, 400, A_BAD_NAME, NULL, role);
		return;
	}
	if (role < 0) {
		users_page(r, 400, A_BAD_ROLE, v[0], role);
		return;
	}
	n1 = strlen(v[2]);
	n2 = strlen(v[3]);
	if (n1 < USER_PASSWORD_MIN || n1 != n2 ||
	    sodium_memcmp(v[2], v[3], n1) != 0) {
		users_page(r, 400, A_BAD_PASSWORD, v[0], role);
		return;
	}
	req_actor(r, &a);
	e = store_user_create(r->st, &a, v[0], (enum user_role)role, v[2], n1,
			      &err);
	if (e == MAMORI_ECONFLICT) {
		users_page(r, 409, A_EXISTS, v[0], role);
	} else if (e == MAMORI_EINVAL) {
		users_page(r, 400, A_BAD_PASSWORD, v[0], role);
	} else if (e) {
		log_failure(r, "creating an account", e, &err);
		reply_error(r, 500, "internal", "the account was not created");
	} else {
		redirect_done(r, "/admin/users", "created");
	}
	strbuf_release(&err);
}

static const struct field_spec disable_fields[] = {
	{ .name = "user", .kind = FIELD_ID, .max = USER_NAME_MAX,
	  .required = true },
};

void admin_user_disable(struct req *r)
{
	struct strbuf err = STRBUF_INIT;
	const char *v[1], *bad = NULL;
	struct store_actor a;
	enum mamori_err e;

	if (form_fetch(&r->form, disable_fields, 1, v, &bad)) {
		users_page(r, 400, A_NO_ACCOUNT, NULL, -1);
		return;
	}
	if (strcmp(v[0], r->sess.who) == 0) {
		users_page(r, 400, A_SELF, NULL, -1);
		return;
	}
	req_actor(r, &a);
	e = store_user_disable(r->st, &a, v[0], &err);
	if (e == MAMORI_ENOENT) {
		users_page(r, 404, A_NO_ACCOUNT, NULL, -1);
	} else if (e) {
		log_failure(r, "disabling an account", e, &err);
		reply_error(r, 500, "internal", "the account was not disabled");
	} else {
		redirect_done(r, "/admin/users", "disabled");
	}
	strbuf_release(&err);
}

/* ---- a campaign: its window and access codes (staff) ----------------- */

static const struct {
	const char *action;
	enum amsg done;
} done_names[] = {
	{ "open", A_DONE_OPEN },
	{ "close", A_DONE_CLOSE },
	{ "schedule", A_DONE_SCHEDULE },
	{ "extend", A_DONE_EXTEND },
};

/* The manage page of r->campaign. problem (or A__MAX) as an alert; org
 * (may be NULL) kept in the re-issue form. */
static void manage_page(struct req *r, unsigned status, enum amsg problem,
			const char *org)
{
	static const enum amsg overrides[OVERRIDE__MAX] = {
		[OVERRIDE_NONE] = A_OVERRIDE_NONE,
		[OVERRIDE_OPEN] = A_OVERRIDE_OPEN,
		[OVERRIDE_CLOSED] = A_OVERRIDE_CLOSED,
	};
	struct strbuf err = STRBUF_INIT;
	struct store_campaign c = { 0 };
	const char *done = req_query(r, "done");
	struct strbuf *sb;

	if (store_campaign_get(r->st, r->campaign, &c, &err)) {
		strbuf_release(&err);
		store_campaign_release(&c);
		reply_error(r, 404, "not_found", "no such campaign");
		return;
	}
	strbuf_release(&err);
	sb = page_begin(r, A(r, A_MANAGE));
	r->reply.status = status;
	html_addf(sb, "<h1>%s</h1>\n<p class=\"meta\">%s &middot; %s</p>\n",
		  A(r, A_MANAGE), c.title, campaign_state_name(c.state));
	if (problem != A__MAX) {
		alert(sb, A(r, problem));
	} else if (done) {
		for (size_t i = 0; i < sizeof(done_names) /
				       sizeof(done_names[0]); i++)
			if (strcmp(done, done_names[i].action) == 0)
				done_notice(sb, A(r, done_names[i].done));
	}
	html_addf(sb, "<table class=\"admin\"><caption>%s</caption><thead><tr>"
		  "<th scope=\"col\">#</th><th scope=\"col\">%s</th>"
		  "<th scope=\"col\">%s</th></tr></thead><tbody>\n",
		  A(r, A_WINDOWS), A(r, A_OPENS), A(r, A_CLOSES));
	for (size_t i = 0; i < c.nwindows; i++) {
		char o[40], cl[40];
		store_time_format(c.windows[i].opens, o, sizeof(o));
		store_time_format(c.windows[i].closes, cl, sizeof(cl));
		html_addf(sb, "<tr><th scope=\"row\">%z</th><td>%s</td>"
			  "<td>%s</td></tr>\n", i + 1, o, cl);
	}
	html_addf(sb, "</tbody></table>\n<dl><dt>%s</dt><dd>%s</dd></dl>\n",
		  A(r, A_OVERRIDE),
		  A(r, (unsigned)c.override < OVERRIDE__MAX
			       ? overrides[c.override] : A_OVERRIDE_NONE));
	/* open, close, back to the windows: one form, the button decides */
	html_addf(sb, "<form method=\"post\" action=\"/campaigns/%L/window%s\" "
		  "class=\"admin\">", c.id, lang_q(r));
	csrf_input(r, sb);
	html_addf(sb, "<fieldset><legend>%s</legend>"
		  "<button name=\"action\" value=\"open\">%s</button>"
		  "<button name=\"action\" value=\"close\">%s</button>"
		  "<button name=\"action\" value=\"schedule\" "
		  "class=\"secondary\">%s</button></fieldset></form>\n",
		  A(r, A_OPEN_CLOSE), A(r, A_OPEN_NOW), A(r, A_CLOSE_NOW),
		  A(r, A_FOLLOW));
	html_addf(sb, "<form method=\"post\" action=\"/campaigns/%L/window%s\" "
		  "class=\"admin\">", c.id, lang_q(r));
	csrf_input(r, sb);
	html_addf(sb, "<fieldset><legend>%s</legend>"
		  "<p><label for=\"closes\">%s</label>"
		  "<input id=\"closes\" name=\"closes\" type=\"date\" required "
		  "aria-describedby=\"h_closes\"></p>"
		  "<p class=\"hint\" id=\"h_closes\">%s</p>"
		  "<button name=\"action\" value=\"extend\">%s</button>"
		  "</fieldset></form>\n",
		  A(r, A_EXTEND), A(r, A_NEW_CLOSE), A(r, A_EXTEND_HINT),
		  A(r, A_EXTEND_BUTTON));
	html_addf(sb, "<form method=\"post\" action=\"/campaigns/%L/code%s\" "
		  "class=\"admin\" autocomplete=\"off\">", c.id, lang_q(r));
	csrf_input(r, sb);
	html_addf(sb, "<fieldset><legend>%s</legend>"
		  "<p><label for=\"organisation\">%s</label>"
		  "<input id=\"organisation\" name=\"organisation\" required "
		  "maxlength=\"64\" value=\"%s\"></p>"
		  "<p><label class=\"choice\"><input type=\"checkbox\" "
		  "name=\"confirm\" value=\"yes\" required> %s</label></p>"
		  "<button>%s</button></fieldset></form>\n",
		  A(r, A_REISSUE), A(r, A_ORG), org ? org : "",
		  A(r, A_CONFIRM), A(r, A_REISSUE_BUTTON));
	html_addf(sb, "<p><a href=\"/campaigns/%L/dashboard%s\">%s</a> &middot; "
		  "<a href=\"/admin/audit%s\">%s</a></p>\n", c.id, lang_q(r),
		  A(r, A_DASHBOARD), lang_q(r), A(r, A_AUDIT));
	store_campaign_release(&c);
	page_end(r);
}

void admin_manage(struct req *r)
{
	manage_page(r, 200, A__MAX, NULL);
}

static const struct field_spec window_fields[] = {
	{ .name = "action", .kind = FIELD_ID, .max = 16, .required = true },
	{ .name = "closes", .kind = FIELD_TEXT, .max = 32 },
};

/* The status for a store error of a campaign change; 0 for none. */
static unsigned change_failed(struct req *r, const char *what,
			      enum mamori_err e, const struct strbuf *err)
{
	if (!e)
		return 0;
	if (e == MAMORI_ENOENT) {
		reply_error(r, 404, "not_found", "no such campaign");
		return 404;
	}
	log_failure(r, what, e, err);
	reply_error(r, 500, "internal", "the campaign was not changed");
	return 500;
}

void admin_window(struct req *r)
{
	static const struct {
		const char *action;
		enum campaign_override o;
	} overrides[] = {
		{ "open", OVERRIDE_OPEN },
		{ "close", OVERRIDE_CLOSED },
		{ "schedule", OVERRIDE_NONE },
	};
	struct strbuf err = STRBUF_INIT;
	struct store_campaign c = { 0 };
	const char *v[2], *bad = NULL;
	struct store_actor a;
	char path[64];
	enum mamori_err e;
	int64_t closes;

	snprintf(path, sizeof(path), "/campaigns/%lld/manage",
		 (long long)r->campaign);
	if (form_fetch(&r->form, window_fields, 2, v, &bad)) {
		manage_page(r, 400, A_BAD_ACTION, NULL);
		return;
	}
	req_actor(r, &a);
	for (size_t i = 0; i < sizeof(overrides) / sizeof(overrides[0]); i++) {
		if (strcmp(v[0], overrides[i].action) != 0)
			continue;
		e = store_campaign_set_override(r->st, &a, r->campaign,
						overrides[i].o, &err);
		if (!change_failed(r, "changing the campaign", e, &err))
			redirect_done(r, path, v[0]);
		strbuf_release(&err);
		return;
	}
	if (strcmp(v[0], "extend") != 0) {
		manage_page(r, 400, A_BAD_ACTION, NULL);
		return;
	}
	if (!v[1] || store_time_parse(v[1], true, &closes)) {
		manage_page(r, 400, A_BAD_DATE, NULL);
		return;
	}
	e = store_campaign_extend(r->st, &a, r->campaign, closes, &err);
	if (e == MAMORI_EINVAL) {
		strbuf_release(&err);
		manage_page(r, 400, A_BAD_DATE, NULL);
		return;
	}
	if (change_failed(r, "extending the campaign", e, &err))
		goto out;
	/* an extension reopens what was closed by hand: back to the windows */
	e = store_campaign_get(r->st, r->campaign, &c, &err);
	if (!e && c.override != OVERRIDE_NONE)
		e = store_campaign_set_override(r->st, &a, r->campaign,
						OVERRIDE_NONE, &err);
	store_campaign_release(&c);
	if (!change_failed(r, "returning the campaign to its windows", e,
			   &err))
		redirect_done(r, path, "extend");
out:
	strbuf_release(&err);
}

static const struct field_spec code_fields[] = {
	{ .name = "organisation", .kind = FIELD_ID, .max = WEB_ID_MAX,
	  .required = true },
	{ .name = "confirm", .kind = FIELD_ID, .max = 8 },
};

void admin_code(struct req *r)
{
	struct strbuf err = STRBUF_INIT;
	struct store_campaign c = { 0 };
	const char *v[2], *bad = NULL;
	char code[STORE_CODE_LEN + 1];
	struct store_actor a;
	struct strbuf *sb;
	enum mamori_err e;

	if (form_fetch(&r->form, code_fields, 2, v, &bad)) {
		manage_page(r, 400, A_NOT_MEMBER, NULL);
		return;
	}
	if (!v[1] || strcmp(v[1], "yes") != 0) {
		manage_page(r, 400, A_NEED_CONFIRM, v[0]);
		return;
	}
	if (store_campaign_get(r->st, r->campaign, &c, &err)) {
		strbuf_release(&err);
		reply_error(r, 404, "not_found", "no such campaign");
		return;
	}
	req_actor(r, &a);
	e = store_access_code_reissue(r->st, &a, r->campaign, v[0], code, &err);
	if (e == MAMORI_ENOENT) {
		manage_page(r, 404, A_NOT_MEMBER, v[0]);
		goto out;
	}
	if (e) {
		log_failure(r, "re-issuing an access code", e, &err);
		reply_error(r, 500, "internal", "no code was issued");
		goto out;
	}
	sb = page_begin(r, A(r, A_NEW_CODE));
	html_addf(sb, "<h1>%s</h1>\n<dl><dt>%s</dt><dd>%s</dd><dt>%s</dt>"
		  "<dd>%s</dd><dt>%s</dt><dd><p class=\"code\"><code>%s</code>"
		  "</p></dd></dl>\n<p class=\"notice closed\" role=\"status\">"
		  "%s</p>\n<p><a href=\"/campaigns/%L/manage%s\">%s</a></p>\n",
		  A(r, A_NEW_CODE), A(r, A_CAMPAIGN), c.title, A(r, A_ORG),
		  v[0], A(r, A_NEW_CODE), code, A(r, A_CODE_ONCE), c.id,
		  lang_q(r), A(r, A_MANAGE));
	page_end(r);
	sodium_memzero(code, sizeof(code));
out:
	store_campaign_release(&c);
	strbuf_release(&err);
}

/* ---- the audit log (staff) ------------------------------------------ */

struct audit_ctx {
	struct req *r;
	struct strbuf *sb;
	size_t n;
	int64_t last;
};

static int audit_row(void *ud, const struct store_audit_event *ev)
{
	struct audit_ctx *x = ud;
	struct req *r = x->r;
	char at[40];

	if (x->n++ == 0)
		html_addf(x->sb, "<table class=\"audit\"><caption>%s</caption>"
			  "<thead><tr><th scope=\"col\">%s</th>"
			  "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			  "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			  "<th scope=\"col\">%s</th></tr></thead><tbody>\n",
			  A(r, A_AUDIT), A(r, A_AT), A(r, A_WHO), A(r, A_FROM),
			  A(r, A_ACTION), A(r, A_OBJECT), A(r, A_DETAIL));
	store_time_format(ev->at, at, sizeof(at));
	html_addf(x->sb, "<tr><td>%s</td><td>%s</td><td>%s</td>", at, ev->who,
		  ev->from);
	if (ev->action && strlen(ev->action) <= ACTION_MAX &&
	    field_valid(FIELD_ID, ev->action, strlen(ev->action)))
		html_addf(x->sb, "<td><a href=\"/admin/audit?action=%s%s\">%s"
			  "</a></td>", ev->action, lang_amp(r), ev->action);
	else
		html_addf(x->sb, "<td>%s</td>", ev->action);
	html_addf(x->sb, "<td>%s</td><td><code>%s</code></td></tr>\n",
		  ev->object, ev->detail);
	x->last = ev->id;
	return 0;
}

void admin_audit(struct req *r)
{
	struct strbuf err = STRBUF_INIT;
	const char *action = req_query(r, "action");
	const char *before_s = req_query(r, "before");
	struct audit_ctx x = { r, NULL, 0, 0 };
	int64_t before = 0;
	struct strbuf *sb;
	enum mamori_err e;
	bool more = false;

	if (action && !*action)
		action = NULL;
	if (action && (strlen(action) > ACTION_MAX ||
		       !field_valid(FIELD_ID, action, strlen(action)))) {
		reply_error(r, 400, "bad_request", "action: letters, digits, "
			    "'.', '_' or '-'");
		return;
	}
	if (before_s && (!field_valid(FIELD_INT, before_s, strlen(before_s)) ||
			 num_parse_range(slice_from_cstr(before_s), 1,
					 INT64_MAX, &before))) {
		reply_error(r, 400, "bad_request", "before: an event id");
		return;
	}
	sb = page_begin(r, A(r, A_AUDIT));
	x.sb = sb;
	html_addf(sb, "<h1>%s</h1>\n<form method=\"get\" action=\"/admin/audit\""
		  " class=\"admin\"><p><label for=\"action\">%s</label>"
		  "<input id=\"action\" name=\"action\" maxlength=\"64\" "
		  "value=\"%s\" aria-describedby=\"h_action\"></p>"
		  "<p class=\"hint\" id=\"h_action\">%s</p>", A(r, A_AUDIT),
		  A(r, A_ACTION), action ? action : "", A(r, A_ACTION_HINT));
	if (r->lang == LANG_EN)
		html_addf(sb, "<input type=\"hidden\" name=\"lang\" "
			  "value=\"en\">");
	html_addf(sb, "<button>%s</button></form>\n", A(r, A_FILTER));
	e = store_audit_page(r->st, action, before, AUDIT_PAGE, audit_row, &x,
			     &more, &err);
	if (e) {
		log_failure(r, "reading the audit log", e, &err);
		strbuf_release(&err);
		reply_error(r, 500, "internal", "cannot read the audit log");
		return;
	}
	strbuf_release(&err);
	if (x.n)
		html_addf(sb, "</tbody></table>\n");
	else
		html_addf(sb, "<p>%s</p>\n", A(r, A_NO_EVENTS));
	if (before || more)
		html_addf(sb, "<nav class=\"pager\" aria-label=\"%s\">",
			  A(r, A_AUDIT));
	if (before)
		html_addf(sb, "<a href=\"/admin/audit?action=%s%s\">%s</a> ",
			  action ? action : "", lang_amp(r), A(r, A_NEWEST));
	if (more)
		html_addf(sb, "<a href=\"/admin/audit?action=%s&amp;before=%L"
			  "%s\">%s</a>", action ? action : "", x.last,
			  lang_amp(r), A(r, A_OLDER));
	if (before || more)
		html_addf(sb, "</nav>\n");
	page_end(r);
}
