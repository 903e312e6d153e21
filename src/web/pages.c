/*
 * pages.c - the HTML pages: sign-in, the campaigns, the respondent's
 * form (sections, numbered questions, skip logic and validation from
 * the engine, repeat rows added and removed by the server, the answers
 * attached evidence proposes, with accept and override), its live check
 * for the script (web/static/mamori.js), the review, the receipt, and
 * the regulator's dashboard and view of a response. Work without
 * JavaScript: every item is rendered, the ones that do not apply hidden
 * and their fields nameless and disabled, so that the script can show
 * them when the engine says they apply. Every outside string goes
 * through html_addf's escaping; must never decide validity or relevance
 * itself (the engine does), nor propose an answer (evidence/propose.h
 * does).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "evidence/propose.h"
#include "store/commit.h"
#include "store/evidence.h"
#include "store/session.h"
#include "store/user.h"
#include "util/num.h"
#include "util/html.h"
#include "web/cache.h"
#include "web/web_int.h"
#include "util/banned.h"

#define REPEAT_ROWS_MAX 200

/* ---- words of the pages, in each language ------------------------------- */

enum msg {
	M_TITLE, M_SIGN_IN, M_ORG_ID, M_ACCESS_CODE, M_SIGN_IN_HELP,
	M_WRONG, M_THROTTLED, M_SIGN_OUT, M_CAMPAIGNS, M_OPEN_FORM,
	M_STATE, M_SAVE, M_REVIEW, M_ADD_ROW, M_REMOVE_ROW, M_ROW,
	M_PROGRESS, M_GUIDE, M_CLOSED, M_SAVED, M_STALE, M_ERRORS,
	M_SUBMIT, M_NO_ERRORS, M_FIX, M_RECEIPT, M_SUBMITTED_AT,
	M_REVISION, M_BACK_TO_FORM, M_NOT_ANSWERED, M_STAFF_SIGN_IN,
	M_USER, M_PASSWORD, M_DASHBOARD, M_POPULATION, M_INVITED,
	M_DRAFTS, M_SUBMITTED, M_PREFECTURE, M_MISSING_CSV, M_BAD_FORM,
	M_SUBMIT_FIRST, M_RESPONSE_OF, M_NONE,
	M_EV_TITLE, M_EV_PROPOSED, M_EV_ACCEPT, M_EV_OVERRIDE, M_EV_REASON,
	M_EV_NEED_REASON, M_EV_SAME, M_EV_AGREES, M_EV_KEPT, M_EV_BACKED,
	M_EV_OVERRIDDEN, M_EV_ACCEPTED, M_EV_RECORDED, M_TOTAL, M_CLOSES,
	M__MAX
};

static const char *const msgs[M__MAX][LANG__MAX] = {
	[M_TITLE] = { "mamori 調査回答", "mamori survey" },
	[M_SIGN_IN] = { "ログイン", "Sign in" },
	[M_ORG_ID] = { "医療機関ID", "Organisation ID" },
	[M_ACCESS_CODE] = { "アクセスコード", "Access code" },
	[M_SIGN_IN_HELP] = { "案内状に記載の医療機関IDとアクセスコードを入力してください。",
			     "Enter the organisation ID and access code from your invitation." },
	[M_WRONG] = { "医療機関IDまたはアクセスコードが正しくありません。",
		      "The ID or the code is not right." },
	[M_THROTTLED] = { "ログインの失敗が続いたため、15分間ログインできません。",
			  "Too many failed sign-ins: wait 15 minutes." },
	[M_SIGN_OUT] = { "ログアウト", "Sign out" },
	[M_CAMPAIGNS] = { "調査一覧", "Surveys" },
	[M_OPEN_FORM] = { "回答する", "Answer" },
	[M_STATE] = { "状態", "State" },
	[M_SAVE] = { "一時保存", "Save draft" },
	[M_REVIEW] = { "確認画面へ", "Review and submit" },
	[M_ADD_ROW] = { "行を追加", "Add a row" },
	/* the row's number comes before (ja) or after (en): remove_row() */
	[M_REMOVE_ROW] = { "行目を削除", "Remove row" },
	[M_ROW] = { "行", "Row" },
	[M_GUIDE] = { "回答要領", "Answer guide" },
	[M_CLOSED] = { "この調査は回答期間外のため、回答を変更できません。",
		       "This survey is closed: answers cannot be changed." },
	[M_SAVED] = { "保存しました。", "Saved." },
	[M_STALE] = { "この回答は他の画面で更新されました。最新の内容を表示しています。もう一度入力してください。",
		      "The response was changed elsewhere. The newest version is shown: make your changes again." },
	[M_ERRORS] = { "入力内容を確認してください", "Please check these answers" },
	[M_SUBMIT] = { "提出する", "Submit" },
	[M_NO_ERRORS] = { "入力内容に誤りはありません。", "No problems found." },
	[M_FIX] = { "回答画面に戻って修正する", "Back to the form to correct them" },
	[M_RECEIPT] = { "提出を受け付けました", "Submission received" },
	[M_SUBMITTED_AT] = { "提出日時", "Submitted at" },
	[M_REVISION] = { "版", "Revision" },
	[M_BACK_TO_FORM] = { "回答画面に戻る", "Back to the form" },
	[M_NOT_ANSWERED] = { "未回答", "Not answered" },
	[M_STAFF_SIGN_IN] = { "職員ログイン", "Staff sign-in" },
	[M_USER] = { "ユーザー名", "User name" },
	[M_PASSWORD] = { "パスワード", "Password" },
	[M_DASHBOARD] = { "回答状況", "Progress" },
	[M_POPULATION] = { "対象", "Population" },
	[M_INVITED] = { "案内済み", "Invited" },
	[M_DRAFTS] = { "一時保存", "Drafts" },
	[M_SUBMITTED] = { "提出済み", "Submitted" },
	[M_PREFECTURE] = { "都道府県", "Prefecture" },
	[M_MISSING_CSV] = { "未提出の医療機関 (CSV)", "Organisations that have not submitted (CSV)" },
	[M_BAD_FORM] = { "入力を読み取れませんでした。", "The form could not be read." },
	[M_SUBMIT_FIRST] = { "まだ提出されていません。", "Not submitted yet." },
	[M_RESPONSE_OF] = { "回答", "Response" },
	[M_NONE] = { "なし", "none" },
	[M_EV_TITLE] = { "証拠あり", "Evidence available" },
	[M_EV_PROPOSED] = { "証拠から提案される回答", "Answer the evidence proposes" },
	[M_EV_ACCEPT] = { "提案を採用する", "Accept" },
	[M_EV_OVERRIDE] = { "自分の回答を維持する", "Override: keep my answer" },
	[M_EV_REASON] = { "自分の回答を維持する理由（必須）",
			  "Why you keep your own answer (required)" },
	[M_EV_NEED_REASON] = { "自分の回答を維持する場合は理由を記入してください。",
			       "Give a reason to keep your own answer." },
	[M_EV_SAME] = { "回答は証拠の提案と同じです。", "Your answer is the one the evidence proposes." },
	[M_EV_AGREES] = { "回答は証拠の提案と一致しています。",
			  "Your answer agrees with the evidence." },
	[M_EV_KEPT] = { "証拠の提案とは異なる回答を維持しています。理由", "You keep your own answer. Reason" },
	[M_EV_BACKED] = { "証拠に基づく", "evidence-backed" },
	[M_EV_OVERRIDDEN] = { "証拠と異なる回答（理由）", "overridden (reason)" },
	[M_EV_ACCEPTED] = { "証拠の提案を採用しました。", "The evidence's answer was accepted." },
	[M_EV_RECORDED] = { "理由を記録しました。", "Your reason was recorded." },
	[M_TOTAL] = { "合計", "Total" },
	[M_CLOSES] = { "締切", "closes" },
};

/* A campaign's state and a response's status, as the pages say them (the
 * store's names, campaign_state_name() and response_status_name(), stay
 * those of the API and the CSV files). */
static const char *const state_words[CAMPAIGN__MAX][LANG__MAX] = {
	[CAMPAIGN_SCHEDULED] = { "受付開始前", "not open yet" },
	[CAMPAIGN_OPEN] = { "受付中", "open" },
	[CAMPAIGN_CLOSED] = { "受付終了", "closed" },
};

static const char *const status_words[RESPONSE__MAX][LANG__MAX] = {
	[RESPONSE_NONE] = { "未着手", "not started" },
	[RESPONSE_DRAFT] = { "一時保存", "draft" },
	[RESPONSE_SUBMITTED] = { "提出済み", "submitted" },
	[RESPONSE_REOPENED] = { "差し戻し", "reopened" },
};

static const char *T(const struct req *r, enum msg m)
{
	return msgs[m][r->lang];
}

static const char *state_word(const struct req *r, enum campaign_state s)
{
	return (unsigned)s < CAMPAIGN__MAX ? state_words[s][r->lang] : "?";
}

const char *status_word(const struct req *r, enum response_status s)
{
	return (unsigned)s < RESPONSE__MAX ? status_words[s][r->lang] : "?";
}

static const char *lang_q(const struct req *r)
{
	return r->lang == LANG_EN ? "?lang=en" : "";
}

/* ---- the frame of every page ------------------------------------------- */

struct strbuf *page_begin(struct req *r, const char *title)
{
	struct strbuf *sb = &r->reply.body;

	strbuf_reset(sb);
	strbuf_grow(sb, 32 * 1024);	/* most pages: no copy as it grows */
	r->reply.status = 200;
	r->reply.type = "text/html; charset=utf-8";
	html_addf(sb, "<!doctype html>\n<html lang=\"%s\"><head>"
		  "<meta charset=\"utf-8\"><meta name=\"viewport\" "
		  "content=\"width=device-width, initial-scale=1\">"
		  "<title>%s</title><link rel=\"stylesheet\" "
		  "href=\"/static/mamori.css\"></head><body>\n"
		  "<header class=\"site\"><p class=\"brand\"><a href=\"/%s\">"
		  "mamori</a></p><nav><a href=\"%s?%slang=%s\" lang=\"%s\">%s</a>",
		  lang_name(r->lang), title, lang_q(r), r->path, resp_numq(r),
		  r->lang == LANG_EN ? "ja" : "en",
		  r->lang == LANG_EN ? "ja" : "en",
		  r->lang == LANG_EN ? "日本語" : "English");
	if (r->signed_in)
		html_addf(sb, "<form method=\"post\" action=\"/logout\" "
			  "class=\"inline\"><input type=\"hidden\" "
			  "name=\"csrf\" value=\"%s\"><button "
			  "class=\"link\">%s</button></form>", r->sess.csrf,
			  T(r, M_SIGN_OUT));
	html_addf(sb, "</nav></header>\n<main>\n");
	return sb;
}

void page_end(struct req *r)
{
	html_addf(&r->reply.body, "</main></body></html>\n");
}

static void notice(struct strbuf *sb, const char *cls, const char *text)
{
	html_addf(sb, "<p class=\"notice %s\" role=\"status\">%s</p>\n", cls,
		  text);
}

static void redirect_lang(struct req *r, const char *fmt, int64_t campaign,
			  const char *extra)
{
	char buf[160];
	snprintf(buf, sizeof(buf), fmt, (long long)campaign);
	if (r->lang == LANG_EN || extra) {
		size_t n = strlen(buf);
		snprintf(buf + n, sizeof(buf) - n, "?%s%s%s",
			 r->lang == LANG_EN ? "lang=en" : "",
			 r->lang == LANG_EN && extra ? "&" : "",
			 extra ? extra : "");
	}
	reply_redirect(r, buf);
}

/* ---- sign-in ------------------------------------------------------------ */

void page_root(struct req *r)
{
	if (!r->signed_in)
		redirect_lang(r, "/login", 0, NULL);
	else
		redirect_lang(r, "/campaigns", 0, NULL);
}

static void login_form(struct req *r, unsigned status, enum msg problem)
{
	struct strbuf *sb = page_begin(r, T(r, M_SIGN_IN));

	r->reply.status = status;
	html_addf(sb, "<h1>%s</h1>\n", T(r, M_TITLE));
	if (problem != M__MAX)
		html_addf(sb, "<p class=\"notice error\" role=\"alert\">%s</p>\n",
			  T(r, problem));
	html_addf(sb, "<form method=\"post\" action=\"/login%s\" "
		  "class=\"signin\"><h2>%s</h2><p>%s</p>"
		  "<label for=\"organisation\">%s</label>"
		  "<input id=\"organisation\" name=\"organisation\" "
		  "autocomplete=\"username\" required maxlength=\"64\">"
		  "<label for=\"access_code\">%s</label>"
		  "<input id=\"access_code\" name=\"access_code\" "
		  "type=\"password\" autocomplete=\"current-password\" "
		  "required maxlength=\"64\">"
		  "<button type=\"submit\">%s</button></form>\n"
		  "<p><a href=\"/staff/login%s\">%s</a></p>\n",
		  lang_q(r), T(r, M_SIGN_IN), T(r, M_SIGN_IN_HELP),
		  T(r, M_ORG_ID), T(r, M_ACCESS_CODE), T(r, M_SIGN_IN),
		  lang_q(r), T(r, M_STAFF_SIGN_IN));
	page_end(r);
}

void page_login(struct req *r)
{
	login_form(r, 200, M__MAX);
}

static const struct field_spec login_fields[] = {
	{ .name = "organisation", .kind = FIELD_ID, .max = WEB_ID_MAX,
	  .required = true },
	{ .name = "access_code", .kind = FIELD_CODE, .max = 64,
	  .required = true },
};

void page_login_post(struct req *r)
{
	const char *v[2], *bad = NULL;
	unsigned s;

	if (form_fetch(&r->form, login_fields, 2, v, &bad)) {
		login_form(r, 401, M_WRONG);
		return;
	}
	s = login_respondent(r, v[0], v[1]);
	if (s == 200)
		redirect_lang(r, "/campaigns", 0, NULL);
	else if (s == 429)
		login_form(r, 429, M_THROTTLED);
	else if (s == 401)
		login_form(r, 401, M_WRONG);
	else
		reply_error(r, 500, "internal", "sign-in failed");
}

static void staff_form(struct req *r, unsigned status, enum msg problem)
{
	struct strbuf *sb = page_begin(r, T(r, M_STAFF_SIGN_IN));

	r->reply.status = status;
	html_addf(sb, "<h1>%s</h1>\n", T(r, M_STAFF_SIGN_IN));
	if (problem != M__MAX)
		html_addf(sb, "<p class=\"notice error\" role=\"alert\">%s</p>\n",
			  T(r, problem));
	html_addf(sb, "<form method=\"post\" action=\"/staff/login%s\" "
		  "class=\"signin\"><label for=\"user\">%s</label>"
		  "<input id=\"user\" name=\"user\" autocomplete=\"username\" "
		  "required maxlength=\"64\"><label for=\"password\">%s</label>"
		  "<input id=\"password\" name=\"password\" type=\"password\" "
		  "autocomplete=\"current-password\" required>"
		  "<button type=\"submit\">%s</button></form>\n",
		  lang_q(r), T(r, M_USER), T(r, M_PASSWORD), T(r, M_SIGN_IN));
	page_end(r);
}

void page_staff_login(struct req *r)
{
	staff_form(r, 200, M__MAX);
}

static const struct field_spec staff_fields[] = {
	{ .name = "user", .kind = FIELD_ID, .max = USER_NAME_MAX,
	  .required = true },
	{ .name = "password", .kind = FIELD_TEXT, .max = USER_PASSWORD_MAX,
	  .required = true },
};

void page_staff_login_post(struct req *r)
{
	const char *v[2], *bad = NULL;
	unsigned s;

	if (form_fetch(&r->form, staff_fields, 2, v, &bad)) {
		staff_form(r, 401, M_WRONG);
		return;
	}
	s = login_staff(r, v[0], v[1], strlen(v[1]));
	if (s == 200)
		redirect_lang(r, "/campaigns", 0, NULL);
	else if (s == 429)
		staff_form(r, 429, M_THROTTLED);
	else if (s == 401)
		staff_form(r, 401, M_WRONG);
	else
		reply_error(r, 500, "internal", "sign-in failed");
}

void page_logout(struct req *r)
{
	session_end(r);
	redirect_lang(r, "/login", 0, NULL);
}

/* ---- campaigns ---------------------------------------------------------- */

/*
 * Time t (Unix seconds) as a <time> element: the machine-readable value
 * of store_time_format() in its datetime, read as "2026年11月27日 18:05
 * JST" or "27 Nov 2026 18:05 JST" (Japan has no summer time).
 */
void time_element(const struct req *r, struct strbuf *sb, int64_t t)
{
	static const char *const months[12] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
	};
	time_t jst = (time_t)(t + 9 * 3600);
	char iso[40], text[64];
	struct tm tm;

	store_time_format(t, iso, sizeof(iso));
	if (!gmtime_r(&jst, &tm))
		snprintf(text, sizeof(text), "%s", iso);
	else if (r->lang == LANG_EN)
		snprintf(text, sizeof(text), "%d %s %d %02d:%02d JST",
			 tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900,
			 tm.tm_hour, tm.tm_min);
	else
		snprintf(text, sizeof(text), "%d年%d月%d日 %02d:%02d JST",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			 tm.tm_hour, tm.tm_min);
	html_addf(sb, "<time datetime=\"%s\">%s</time>", iso, text);
}


static void campaign_row(struct req *r, struct strbuf *sb,
			 const struct store_campaign *c)
{
	html_addf(sb, "<li><h2>%s</h2><p>%s: %s", c->title, T(r, M_STATE),
		  state_word(r, c->state));
	if (c->nwindows && !c->always_open) {
		html_addf(sb, " &middot; %s ", T(r, M_CLOSES));
		time_element(r, sb, c->windows[c->nwindows - 1].closes);
	}
	html_addf(sb, "</p>");
	if (r->sess.role == ROLE_RESPONDENT) {
		if (!c->repeatable)	/* a campaign of reports: none of its own */
			html_addf(sb, "<p><a class=\"button\" href=\"/campaigns/"
				  "%L/form%s\">%s</a></p>", c->id, lang_q(r),
				  T(r, M_OPEN_FORM));
		reports_section(r, sb, c);	/* reports.c */
		results_link(r, sb, c->id);
	} else
		html_addf(sb, "<p><a class=\"button\" href=\"/campaigns/%L/"
			  "dashboard%s\">%s</a></p>", c->id, lang_q(r),
			  T(r, M_DASHBOARD));
	html_addf(sb, "</li>\n");
}

struct camp_ctx {
	struct req *r;
	struct strbuf *sb;
};

static int camp_one(void *ud, const struct store_campaign *c)
{
	struct camp_ctx *x = ud;
	campaign_row(x->r, x->sb, c);
	return 0;
}

void page_campaigns(struct req *r)
{
	struct strbuf err = STRBUF_INIT;
	struct strbuf *sb = page_begin(r, T(r, M_CAMPAIGNS));
	enum mamori_err e;

	html_addf(sb, "<h1>%s</h1>\n<ul class=\"campaigns\">\n",
		  T(r, M_CAMPAIGNS));
	if (r->sess.role == ROLE_RESPONDENT) {
		struct store_campaign c = { 0 };
		e = store_campaign_get(r->st, r->sess.campaign, &c, &err);
		if (!e)
			campaign_row(r, sb, &c);
		store_campaign_release(&c);
	} else {
		struct camp_ctx x = { r, sb };
		e = store_campaign_list(r->st, camp_one, &x, &err);
	}
	strbuf_release(&err);
	if (e) {
		reply_error(r, 500, "internal", "cannot list the surveys");
		return;
	}
	html_addf(sb, "</ul>\n");
	html_addf(sb, "<p><a href=\"/iot%s\">%s</a></p>\n", lang_q(r),
		  r->lang == LANG_EN
			  ? "Assess an IoT system (IoT-SSF)"
			  : "IoT機器・システムの評価（IoT-SSF）");
	if (r->sess.role != ROLE_RESPONDENT)	/* administration (admin.c) */
		html_addf(sb, "<p><a href=\"/admin/audit%s\">%s</a></p>\n",
			  lang_q(r), r->lang == LANG_EN ? "Audit log"
							: "監査ログ");
	if (r->sess.role == ROLE_ADMIN)
		html_addf(sb, "<p><a href=\"/admin/users%s\">%s</a></p>\n",
			  lang_q(r), r->lang == LANG_EN ? "Accounts"
							: "アカウント管理");
	page_end(r);
}

/* ---- the form ----------------------------------------------------------- */

static bool own_campaign_page(struct req *r)
{
	if (r->sess.campaign == r->campaign)
		return true;
	reply_error(r, 404, "not_found", "no such survey");
	return false;
}

static bool answerable(const struct item *it)
{
	return it->type != ITEM_NOTE && it->type != ITEM_GROUP &&
	       it->type != ITEM_REPEAT && it->type != ITEM_CALCULATE;
}

/* s into buf, cut to len - 1 bytes as snprintf(buf, len, "%s", s) would,
 * without its cost (a form page makes a few hundred names and ids).
 * Returns the length copied. */
static size_t copy_cut(char *buf, size_t len, const char *s)
{
	size_t n = strlen(s);

	if (n > len - 1)
		n = len - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return n;
}

/* The form field name of item it (in row, when inside a repeat) into
 * buf; returns its length. */
static size_t field_name(char *buf, size_t len, const struct instrument *ins,
			 const struct item *it, size_t row)
{
	int n;

	if (it->repeat < 0)
		return copy_cut(buf, len, it->id);
	n = snprintf(buf, len, "%s.%zu.%s", ins->items[it->repeat].id, row,
		     it->id);
	return n < 0 ? 0 : (size_t)n < len ? (size_t)n : len - 1;
}

static const struct verror *error_of(const struct vresult *res,
				     const char *path)
{
	for (size_t i = 0; i < res->nerrors; i++)
		if (strcmp(res->errors[i].item, path) == 0)
			return &res->errors[i];
	return NULL;
}

static bool value_has(const char *value, size_t vlen, const char *choice)
{
	size_t n = strlen(choice);
	const char *p = value, *end = value + vlen;

	while (p < end) {
		const char *sp = memchr(p, ' ', (size_t)(end - p));
		size_t k = sp ? (size_t)(sp - p) : (size_t)(end - p);
		if (k == n && memcmp(p, choice, n) == 0)
			return true;
		p += k + 1;
	}
	return false;
}

/* ---- evidence: the answers attached results propose --------------------- */

#define EV_ITEMS_MAX 16
#define EV_REASON_MAX 1000

/* One item the evidence proposes an answer for. */
struct ev_item {
	const struct item *it;
	const char *value;		/* proposed; in ev_state.prop */
	const char *reason[LANG__MAX];	/* in ev_state.prop */
	const char *sha256;		/* of the document(s) it comes from */
	/* the newest decision about this very proposal */
	bool overridden;
	const char *why;		/* its reason, in the request's arena */
};

struct ev_state {
	json_t *prop;			/* owned: evidence_propose() */
	size_t n;
	struct ev_item items[EV_ITEMS_MAX];
	int64_t since;			/* the first attachment's time */
};

/* The newest document of each kind, as stored (copied: the store's
 * strings live only during the callback). */
struct ev_docs {
	struct strbuf audit, fw;
	char audit_sha[65], fw_sha[65];
	int64_t first_at;
};

static int ev_doc(void *ud, const struct store_evidence *e)
{
	struct ev_docs *d = ud;
	bool audit = strcmp(e->kind, STORE_EVIDENCE_AUDIT) == 0;

	if (!audit && strcmp(e->kind, STORE_EVIDENCE_FIRMWARE) != 0)
		return 0;
	strbuf_reset(audit ? &d->audit : &d->fw);
	strbuf_add(audit ? &d->audit : &d->fw, e->json, e->len);
	snprintf(audit ? d->audit_sha : d->fw_sha, 65, "%s",
		 e->sha256 ? e->sha256 : "");
	if (!d->first_at || e->at < d->first_at)
		d->first_at = e->at;
	return 0;
}

/* The value evidence_propose() gives item from p, or NULL. */
static const char *prop_value(json_t *p, const char *item)
{
	return json_string_value(json_object_get(json_object_get(p,
							"response"), item));
}

struct ev_decisions {
	struct req *r;
	struct ev_state *ev;
};

/* A decision recorded by ev_record(): it counts for the proposal it was
 * about, the newest one winning. */
static int ev_decision(void *ud, const struct store_audit_event *e)
{
	struct req *r = ((struct ev_decisions *)ud)->r;
	struct ev_state *ev = ((struct ev_decisions *)ud)->ev;
	json_t *d = e->detail ? json_loads(e->detail, 0, NULL) : NULL;
	const char *item = json_string_value(json_object_get(d, "item"));
	const char *proposed = json_string_value(json_object_get(d,
								 "proposed"));
	const char *why = json_string_value(json_object_get(d, "reason"));

	for (size_t i = 0; item && proposed && i < ev->n; i++) {
		struct ev_item *x = &ev->items[i];
		if (strcmp(x->it->id, item) || strcmp(x->value, proposed))
			continue;
		x->overridden = strcmp(e->action, "evidence.override") == 0;
		x->why = x->overridden && why ? arena_strdup(&r->arena, why)
					      : NULL;
	}
	json_decref(d);
	return 0;
}

/*
 * What the evidence attached to org's response proposes for the items of
 * the campaign's instrument (the newest audit and the newest firmware
 * check together, as "mamori evidence propose" takes them), with the
 * newest decision about each proposal. Only proposals that are one of
 * the item's choices and not "unknown" count. Release with ev_release.
 */
static enum mamori_err ev_load(struct req *r, const char *org,
			       const struct instrument *ins,
			       struct ev_state *ev)
{
	struct strbuf err = STRBUF_INIT;
	struct ev_docs d = { STRBUF_INIT, STRBUF_INIT, "", "", 0 };
	json_t *audit = NULL, *fw = NULL, *only_a = NULL, *only_f = NULL;
	json_t *a;
	size_t i;
	enum mamori_err e;

	memset(ev, 0, sizeof(*ev));
	e = store_evidence_list(r->st, r->campaign, org, ev_doc, &d, &err);
	if (e)
		goto out;
	if (d.audit.len)
		audit = json_loadb(d.audit.buf, d.audit.len, 0, NULL);
	if (d.fw.len)
		fw = json_loadb(d.fw.buf, d.fw.len, 0, NULL);
	if (!audit && !fw)
		goto out;
	ev->since = d.first_at;
	ev->prop = evidence_propose(audit, fw);
	if (audit && fw) {	/* which document each answer comes from */
		only_a = evidence_propose(audit, NULL);
		only_f = evidence_propose(NULL, fw);
	}
	json_array_foreach(json_object_get(ev->prop, "answers"), i, a) {
		const char *item = json_string_value(json_object_get(a, "item"));
		const char *value = json_string_value(json_object_get(a,
								      "value"));
		const struct item *it = item ? instrument_find(ins, item,
							       strlen(item))
					     : NULL;
		struct ev_item *x;
		const char *va, *vf;

		if (!it || !value || it->repeat >= 0 || !it->list ||
		    strcmp(value, "unknown") == 0 ||
		    !item_find_choice(it, value, strlen(value)) ||
		    ev->n == EV_ITEMS_MAX)
			continue;
		x = &ev->items[ev->n++];
		x->it = it;
		x->value = value;
		x->reason[LANG_JA] = json_string_value(json_object_get(a, "ja"));
		x->reason[LANG_EN] = json_string_value(json_object_get(a, "en"));
		va = only_a ? prop_value(only_a, item) : NULL;
		vf = only_f ? prop_value(only_f, item) : NULL;
		if (!audit || (vf && strcmp(vf, value) == 0 &&
			       (!va || strcmp(va, value))))
			x->sha256 = arena_strdup(&r->arena, d.fw_sha);
		else if (!fw || (va && strcmp(va, value) == 0 &&
				 (!vf || strcmp(vf, value))))
			x->sha256 = arena_strdup(&r->arena, d.audit_sha);
		else {	/* both documents together */
			size_t n = sizeof(d.audit_sha) * 2 + 1;
			char *both = arena_alloc(&r->arena, n);
			if (both)
				snprintf(both, n, "%s %s", d.audit_sha,
					 d.fw_sha);
			x->sha256 = both;
		}
		if (!x->sha256)
			x->sha256 = "";
	}
	if (ev->n) {
		struct ev_decisions ud = { r, ev };
		e = store_org_audit_list(r->st, r->campaign, org, ev->since,
					 ev_decision, &ud, &err);
	}
out:
	if (e)
		fprintf(stderr, "mamori: %s: evidence: %s\n", r->path,
			err.len ? err.buf : mamori_strerror(e));
	json_decref(audit);
	json_decref(fw);
	json_decref(only_a);
	json_decref(only_f);
	strbuf_release(&d.audit);
	strbuf_release(&d.fw);
	strbuf_release(&err);
	return e;
}

static void ev_release(struct ev_state *ev)
{
	json_decref(ev->prop);
	memset(ev, 0, sizeof(*ev));
}

static const struct ev_item *ev_find(const struct ev_state *ev,
				     const struct item *it)
{
	for (size_t i = 0; ev && i < ev->n; i++)
		if (ev->items[i].it == it)
			return &ev->items[i];
	return NULL;
}

/* The label of choice value of it, in the page's language. */
static const char *choice_label(const struct req *r, const struct item *it,
				const char *value)
{
	const struct choice *c = item_find_choice(it, value, strlen(value));
	return c ? i18n_get(&c->label, r->lang) : value;
}

struct render {
	struct req *r;
	struct strbuf *sb;
	const struct instrument *ins;
	const struct resp_view *v;
	bool editable;
	bool show_errors;	/* once something was saved */
	unsigned hidden;	/* inside this many items that do not apply */
	const struct ev_state *ev;	/* NULL: no evidence shown */
	const struct item *ev_bad;	/* the box whose decision was refused */
	enum msg ev_problem;
	const struct form_text *ft;	/* texts escaped once, or NULL */
};

static void render_item(struct render *x, size_t idx, size_t row);

/* The escaped texts of it kept in the form cache (cache.h), or NULL. */
static const struct form_item_text *cached_text(const struct render *x,
						const struct item *it)
{
	return x->ft ? &x->ft->items[it->index] : NULL;
}

/* The text as escaped once (cached, len bytes), else raw escaped now. */
static void add_text(struct strbuf *sb, const char *cached, size_t len,
		     const char *raw)
{
	if (cached)
		strbuf_add(sb, cached, len);
	else
		html_text(sb, raw);
}

/*
 * A field's name or an id made of it (item ids, row numbers, "h_", "e_",
 * spaces), len bytes. With the texts cached, every item id of the
 * instrument was found to need no escaping (cache.c checks each against
 * its escaped form), so such an id is copied as it is; without, it is
 * escaped.
 */
static void add_id(const struct render *x, const char *id, size_t len)
{
	if (x->ft)
		strbuf_add(x->sb, id, len);
	else
		html_textn(x->sb, id, len);
}

/* A question's error message (the engine's text: escaped) under its id. */
static void render_error(const struct render *x, const char *err_id,
			 size_t err_len, const char *message)
{
	html_raw(x->sb, "<p class=\"error\" id=\"");
	add_id(x, err_id, err_len);
	html_raw(x->sb, "\">");
	html_text(x->sb, message);
	html_raw(x->sb, "</p>");
}

static void render_label_parts(struct render *x, const struct item *it,
			       const char *hint_id)
{
	const struct form_item_text *t = cached_text(x, it);

	/* cached outside a repeat, with the hint id a question gives it */
	if (t && t->parts)
		strbuf_add(x->sb, t->parts, t->parts_len);
	else
		form_text_parts(x->sb, it, x->r->lang, hint_id,
				T(x->r, M_GUIDE));
}

/*
 * A question's hint's or error's id: c ('h' or 'e'), '_' and its name
 * (len bytes) into buf, which has room for them (the name comes from a
 * buffer smaller by more than 3). Returns its length.
 */
static size_t prefixed_id(char *buf, char c, const char *name, size_t len)
{
	buf[0] = c;
	buf[1] = '_';
	memcpy(buf + 2, name, len);
	buf[2 + len] = '\0';
	return 2 + len;
}

/* aria-describedby with the ids of the hint and the error (NULL when
 * there is none), when there is one of them. */
static void render_described(const struct render *x, const char *hint_id,
			     size_t hint_len, const char *err_id,
			     size_t err_len)
{
	if (!hint_id && !err_id)
		return;
	html_raw(x->sb, " aria-describedby=\"");
	if (hint_id)
		add_id(x, hint_id, hint_len);
	if (hint_id && err_id)
		strbuf_addch(x->sb, ' ');
	if (err_id)
		add_id(x, err_id, err_len);
	strbuf_addch(x->sb, '"');
}

/* A question's number, label and required mark (cache.h: title). */
static void render_title(struct render *x, const struct item *it,
			 const struct form_item_text *t)
{
	const char *num = it->number ? it->number : "";

	if (t) {
		strbuf_add(x->sb, t->title, t->title_len);
		return;
	}
	if (*num) {
		html_raw(x->sb, "<span class=\"num\">");
		html_text(x->sb, num);
		html_raw(x->sb, ".</span> ");
	}
	html_text(x->sb, i18n_get(&it->label, x->r->lang));
	if (it->required)
		html_raw(x->sb, " <span class=\"req\">*</span>");
}

/*
 * The answer as it was saved, when the engine keeps no value for it (an
 * answer of the wrong type, such as "abc" for an integer): shown again
 * so that the respondent can correct it. "" when there is none.
 */
static const char *raw_answer(struct render *x, const struct item *it,
			      size_t row)
{
	const json_t *a = x->v->answers, *val;
	char buf[64];

	if (it->repeat >= 0) {
		a = json_object_get(a, x->ins->items[it->repeat].id);
		a = json_array_get(a, row);
	}
	val = json_object_get(a, it->id);
	if (json_is_string(val))
		return json_string_value(val);
	if (json_is_integer(val)) {
		snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
			 json_integer_value(val));
		return arena_strdup(&x->r->arena, buf);
	}
	if (json_is_real(val)) {
		snprintf(buf, sizeof(buf), "%.17g", json_real_value(val));
		return arena_strdup(&x->r->arena, buf);
	}
	return "";
}

/*
 * The box beside a question the evidence proposes an answer for: the
 * proposal and its reason, how the answer stands to it, and (on an
 * editable form) Accept and Override, which post the form.
 */
static void render_evidence(struct render *x, const struct item *it,
			    const char *value)
{
	const struct ev_item *e = ev_find(x->ev, it);
	struct req *r = x->r;
	const char *dis = x->hidden ? " disabled" : "";
	const char *nm = x->hidden ? "data-field" : "name";
	bool agrees, bad;
	const char *reason;

	if (!e)
		return;
	agrees = value && strcmp(value, e->value) == 0;
	bad = x->ev_bad == it;
	reason = e->reason[r->lang] ? e->reason[r->lang] : "";
	html_addf(x->sb, "<div class=\"evidence\" id=\"ev_%s\" role=\"group\" "
		  "aria-labelledby=\"evt_%s\"><p class=\"evidence-title\" "
		  "id=\"evt_%s\">%s</p><p>%s: <strong>%s</strong></p>"
		  "<p class=\"reason\">%s</p>", it->id, it->id, it->id,
		  T(r, M_EV_TITLE), T(r, M_EV_PROPOSED),
		  choice_label(r, it, e->value), reason);
	if (agrees)
		html_addf(x->sb, "<p class=\"evidence-state agrees\">%s</p>",
			  T(r, M_EV_AGREES));
	else if (e->overridden)
		html_addf(x->sb, "<p class=\"evidence-state kept\">%s: %s</p>",
			  T(r, M_EV_KEPT), e->why ? e->why : "");
	if (bad)
		html_addf(x->sb, "<p class=\"error\" id=\"eve_%s\" "
			  "role=\"alert\">%s</p>", it->id, T(r, x->ev_problem));
	if (x->editable && (!agrees || bad)) {
		const char *prefill;
		char key[160];
		snprintf(key, sizeof(key), "evidence_reason.%s", it->id);
		prefill = form_get(&r->form, key);
		if (!prefill && e->overridden && e->why)
			prefill = e->why;
		html_addf(x->sb, "<div class=\"evidence-actions\"><button "
			  "type=\"submit\" %s=\"action\" value=\"evidence-"
			  "accept:%s\"%s>%s</button><label for=\"evr_%s\">%s"
			  "</label><textarea id=\"evr_%s\" %s=\"%s\" rows=\"2\" "
			  "maxlength=\"%d\"%s", nm, it->id, dis,
			  T(r, M_EV_ACCEPT), it->id, T(r, M_EV_REASON), it->id,
			  nm, key, EV_REASON_MAX, dis);
		if (bad)
			html_addf(x->sb, " aria-describedby=\"eve_%s\" "
				  "aria-invalid=\"true\"", it->id);
		html_addf(x->sb, ">%s</textarea><button type=\"submit\" "
			  "%s=\"action\" value=\"evidence-override:%s\" "
			  "class=\"secondary\"%s>%s</button></div>",
			  prefill ? prefill : "", nm, it->id, dis,
			  T(r, M_EV_OVERRIDE));
	}
	html_addf(x->sb, "</div>");
}

/* Is choice ch of a select question (several when multi) answered? */
static bool choice_on(const struct choice *ch, const char *value,
		      size_t vlen, bool multi)
{
	return multi ? value_has(value, vlen, ch->value)
		     : strcmp(value, ch->value) == 0;
}

/* The choices of it as the form cache keeps them written, with
 * " checked" put in after each one answered. */
static void render_kept_choices(struct render *x, const struct item *it,
				const struct form_choices *fc,
				const char *value, size_t vlen, bool multi)
{
	size_t from = 0;

	for (size_t c = 0; c < it->list->n; c++) {
		if (!choice_on(&it->list->choices[c], value, vlen, multi))
			continue;
		strbuf_add(x->sb, fc->html + from, fc->at[c] - from);
		html_raw(x->sb, " checked");
		from = fc->at[c];
	}
	strbuf_add(x->sb, fc->html + from, fc->len - from);
}

/*
 * The choices of it one by one (inside a repeat, or without the form
 * cache): the field's name is name (name_len bytes), the answer value
 * (vlen bytes).
 */
static void render_each_choice(struct render *x, const struct item *it,
			       const char *name, size_t name_len,
			       const char *value, size_t vlen, bool multi)
{
	const struct form_item_text *t = cached_text(x, it);
	bool disabled = !x->editable || x->hidden;
	/* the fields of a question that does not apply have no name (it is
	 * in data-field): they are not sent, and the script names them when
	 * it shows them */
	const char *nm = x->hidden ? "data-field" : "name";

	for (size_t c = 0, p0 = 0, plen = 0; it->list && c < it->list->n;
	     c++) {
		const struct choice *ch = &it->list->choices[c];
		/* the same start for every choice: escaped once, then
		 * copied (grown first: the copy is of sb) */
		if (c == 0) {
			p0 = x->sb->len;
			if (multi)
				html_raw(x->sb, "<label class=\"choice\">"
					 "<input type=\"checkbox\" ");
			else
				html_raw(x->sb, "<label class=\"choice\">"
					 "<input type=\"radio\" ");
			strbuf_addstr(x->sb, nm);
			html_raw(x->sb, "=\"");
			add_id(x, name, name_len);
			html_raw(x->sb, "\" value=\"");
			plen = x->sb->len - p0;
		} else if (strbuf_grow(x->sb, plen) == MAMORI_OK) {
			strbuf_add(x->sb, x->sb->buf + p0, plen);
		}
		add_text(x->sb, t ? t->choice_value[c] : NULL,
			 t ? t->choice_value_len[c] : 0, ch->value);
		if (choice_on(ch, value, vlen, multi))
			html_raw(x->sb, "\" checked");
		else
			strbuf_addch(x->sb, '"');
		if (disabled)
			html_raw(x->sb, " disabled> ");
		else
			html_raw(x->sb, "> ");
		add_text(x->sb, t ? t->choice_label[c] : NULL,
			 t ? t->choice_label_len[c] : 0,
			 i18n_get(&ch->label, x->r->lang));
		html_raw(x->sb, "</label>");
	}
}

static void render_question(struct render *x, const struct item *it,
			    size_t row)
{
	enum lang l = x->r->lang;
	char name[200], path[200], hint_id[220], err_id[220];
	size_t name_len, hint_len, err_len;
	const struct verror *ve = NULL;
	size_t vlen = 0;
	const char *value = validator_value(x->v->v, it->index, row, &vlen);
	bool disabled = !x->editable || x->hidden;
	/* as render_each_choice() writes them */
	enum form_choices_way way = x->hidden ? FORM_CHOICES_HIDDEN
				    : disabled ? FORM_CHOICES_CLOSED
					       : FORM_CHOICES_OPEN;
	bool has_hint = *i18n_get(&it->hint, l) != '\0';
	const struct form_item_text *t = cached_text(x, it);
	const char *described_hint, *described_err;

	_Static_assert(sizeof(hint_id) > sizeof(name) + 2 &&
		       sizeof(err_id) > sizeof(name) + 2, "room for h_, e_");
	name_len = field_name(name, sizeof(name), x->ins, it, row);
	hint_len = prefixed_id(hint_id, 'h', name, name_len);
	err_len = prefixed_id(err_id, 'e', name, name_len);
	if (x->show_errors) {
		web_item_path(path, sizeof(path), x->ins, it, row);
		ve = error_of(x->v->res, path);
	}
	described_hint = has_hint ? hint_id : NULL;
	described_err = ve ? err_id : NULL;
	if (!value)
		value = "";
	/* name and the ids made of it: ids and row numbers (add_id) */
	if (ve)
		html_raw(x->sb, "<div class=\"q invalid\" id=\"q_");
	else
		html_raw(x->sb, "<div class=\"q\" id=\"q_");
	add_id(x, name, name_len);
	if (x->hidden)
		html_raw(x->sb, "\" hidden>");
	else
		html_raw(x->sb, "\">");
	if (it->type == ITEM_SELECT_ONE || it->type == ITEM_SELECT_MULTIPLE) {
		bool multi = it->type == ITEM_SELECT_MULTIPLE;
		html_raw(x->sb, "<fieldset class=\"choices\"");
		render_described(x, described_hint, hint_len, described_err,
				 err_len);
		html_raw(x->sb, "><legend>");
		render_title(x, it, t);
		html_raw(x->sb, "</legend>");
		render_label_parts(x, it, hint_id);
		if (t && t->choices[way].html)
			render_kept_choices(x, it, &t->choices[way], value,
					    vlen, multi);
		else
			render_each_choice(x, it, name, name_len, value, vlen,
					   multi);
		if (ve)
			render_error(x, err_id, err_len, ve->message);
		html_raw(x->sb, "</fieldset>");
		if (row == 0 && it->repeat < 0)
			render_evidence(x, it, value);
		html_raw(x->sb, "</div>\n");
		return;
	}
	html_raw(x->sb, "<label for=\"f_");
	add_id(x, name, name_len);
	html_raw(x->sb, "\">");
	render_title(x, it, t);
	html_raw(x->sb, "</label>");
	render_label_parts(x, it, hint_id);
	if (!*value)
		value = raw_answer(x, it, row);
	html_raw(x->sb, "<input id=\"f_");
	add_id(x, name, name_len);
	/* no name for a question that does not apply (render_each_choice) */
	strbuf_addstr(x->sb, x->hidden ? "\" data-field=\"" : "\" name=\"");
	add_id(x, name, name_len);
	html_raw(x->sb, "\" value=\"");
	html_text(x->sb, value);	/* an answer: always escaped */
	if (it->type == ITEM_DATE)
		html_raw(x->sb, "\" type=\"date\"");
	else
		html_raw(x->sb, "\" type=\"text\"");
	if (it->type == ITEM_INTEGER)
		html_raw(x->sb, " inputmode=\"numeric\"");
	else if (it->type == ITEM_DECIMAL)
		html_raw(x->sb, " inputmode=\"decimal\"");
	if (disabled)
		html_raw(x->sb, " disabled");
	render_described(x, described_hint, hint_len, described_err, err_len);
	if (ve)
		html_raw(x->sb, " aria-invalid=\"true\"");
	strbuf_addch(x->sb, '>');
	if (ve)
		render_error(x, err_id, err_len, ve->message);
	html_raw(x->sb, "</div>\n");
}

static void render_children(struct render *x, const struct item *it,
			    size_t row)
{
	for (size_t i = 0; i < it->nchildren; i++)
		render_item(x, it->children[i], row);
}

/* The button that removes row r of repeat it: "2 行目を削除", "Remove
 * row 2", a name of its own for each row. */
static void remove_row(struct render *x, const struct item *it, size_t r,
		       const char *nm, const char *dis)
{
	html_addf(x->sb, "<button type=\"submit\" %s=\"action\" "
		  "class=\"secondary\" value=\"remove:%s:%z\"%s>", nm, it->id,
		  r, dis);
	if (x->r->lang == LANG_EN)
		html_addf(x->sb, "%s %z", T(x->r, M_REMOVE_ROW), r + 1);
	else
		html_addf(x->sb, "%z %s", r + 1, T(x->r, M_REMOVE_ROW));
	html_addf(x->sb, "</button>");
}

/* The opening of a note's, a group's or a repeat's element: up to its
 * id's prefix in open, then the item's id, then hidden when it does not
 * apply, then rest. */
static void render_open(struct render *x, const struct item *it,
			const struct form_item_text *t, const char *open,
			const char *rest)
{
	strbuf_addstr(x->sb, open);
	add_text(x->sb, t ? t->id : NULL, t ? t->id_len : 0, it->id);
	if (x->hidden)
		html_raw(x->sb, "\" hidden");
	else
		strbuf_addch(x->sb, '"');
	strbuf_addstr(x->sb, rest);
}

static void render_item(struct render *x, size_t idx, size_t row)
{
	const struct item *it = &x->ins->items[idx];
	enum lang l = x->r->lang;
	bool applies = validator_relevant(x->v->v, idx, row);
	const struct form_item_text *t = cached_text(x, it);
	const char *label = t ? t->label : NULL;
	size_t label_len = t ? t->label_len : 0;

	if (it->type == ITEM_CALCULATE)
		return;
	/* an item that does not apply is there, hidden, for the script */
	x->hidden += !applies;
	switch (it->type) {
	case ITEM_NOTE:
		render_open(x, it, t, "<div class=\"note\" id=\"n_", "><p>");
		add_text(x->sb, label, label_len, i18n_get(&it->label, l));
		html_raw(x->sb, "</p>");
		render_label_parts(x, it, "");
		html_raw(x->sb, "</div>\n");
		break;
	case ITEM_GROUP:
		render_open(x, it, t, "<fieldset class=\"section\" id=\"s_",
			    "><legend>");
		add_text(x->sb, label, label_len, i18n_get(&it->label, l));
		html_raw(x->sb, "</legend>\n");
		render_label_parts(x, it, "");
		render_children(x, it, row);
		html_raw(x->sb, "</fieldset>\n");
		break;
	case ITEM_REPEAT: {
		size_t rows = validator_rows(x->v->v, idx);
		char path[100];
		const struct verror *ve = NULL;
		const char *nm = x->hidden ? "data-field" : "name";
		const char *dis = x->hidden ? " disabled" : "";
		if (x->show_errors) {
			copy_cut(path, sizeof(path), it->id);
			ve = error_of(x->v->res, path);
		}
		render_open(x, it, t, "<fieldset class=\"repeat\" id=\"r_",
			    "><legend>");
		if (it->number) {
			html_raw(x->sb, "<span class=\"num\">");
			add_text(x->sb, t ? t->number : NULL,
				 t ? t->number_len : 0, it->number);
			html_raw(x->sb, ".</span> ");
		}
		add_text(x->sb, label, label_len, i18n_get(&it->label, l));
		html_raw(x->sb, "</legend>\n");
		render_label_parts(x, it, "");
		if (ve)
			html_addf(x->sb, "<p class=\"error\">%s</p>",
				  ve->message);
		for (size_t r = 0; r < rows; r++) {
			html_addf(x->sb, "<fieldset class=\"row\"><legend>%s "
				  "%z</legend>\n", T(x->r, M_ROW), r + 1);
			render_children(x, it, r);
			if (x->editable)
				remove_row(x, it, r, nm, dis);
			html_raw(x->sb, "</fieldset>\n");
		}
		/* nm and dis: literals that need no escaping */
		html_raw(x->sb, "<input type=\"hidden\" ");
		strbuf_addstr(x->sb, nm);
		html_raw(x->sb, "=\"");
		add_text(x->sb, t ? t->id : NULL, t ? t->id_len : 0, it->id);
		html_raw(x->sb, ".rows\" value=\"");
		strbuf_addu(x->sb, rows);
		strbuf_addch(x->sb, '"');
		strbuf_addstr(x->sb, dis);
		strbuf_addch(x->sb, '>');
		if (x->editable) {
			html_raw(x->sb, "<button type=\"submit\" ");
			strbuf_addstr(x->sb, nm);
			html_raw(x->sb, "=\"action\" class=\"secondary\" "
				 "value=\"add:");
			add_text(x->sb, t ? t->id : NULL, t ? t->id_len : 0,
				 it->id);
			strbuf_addch(x->sb, '"');
			strbuf_addstr(x->sb, dis);
			strbuf_addch(x->sb, '>');
			html_text(x->sb, T(x->r, M_ADD_ROW));
			html_raw(x->sb, "</button>");
		}
		html_raw(x->sb, "</fieldset>\n");
		break;
	}
	default:
		render_question(x, it, row);
	}
	x->hidden -= !applies;
}

static bool can_edit(const struct resp_view *v)
{
	return v->camp.state == CAMPAIGN_OPEN ||
	       v->state.status == RESPONSE_REOPENED;
}

/* "3 of 9 answered" / "9 問中 3 問回答済み" into buf. */
static void progress_text(const struct req *r, size_t answered,
			  size_t applicable, char *buf, size_t len)
{
	if (r->lang == LANG_EN)
		snprintf(buf, len, "%zu of %zu answered", answered, applicable);
	else
		snprintf(buf, len, "%zu 問中 %zu 問回答済み", applicable,
			 answered);
}

/* The progress line; its ids are the script's (docs/api.md). */
static void progress(struct req *r, struct strbuf *sb,
		     const struct resp_view *v)
{
	char text[96];

	progress_text(r, v->res->answered, v->res->applicable, text,
		      sizeof(text));
	html_addf(sb, "<p class=\"progress\" id=\"progress\"><span "
		  "id=\"progress-text\" aria-live=\"polite\">%s</span> "
		  "<progress id=\"progress-bar\" max=\"%z\" value=\"%z\">"
		  "</progress></p>\n", text,
		  v->res->applicable ? v->res->applicable : 1,
		  v->res->answered);
}

/* The script's version in its URL, so that it may be cached for long. */
uint64_t web_js_version(void)
{
	uint64_t h = 14695981039346656037ull;

	for (unsigned long i = 0; i < web_js_len; i++)
		h = (h ^ (unsigned char)web_js[i]) * 1099511628211ull;
	return h;
}

static void render_form(struct req *r, const struct resp_view *v,
			const struct ev_state *ev, enum msg flash,
			const struct item *ev_bad, enum msg ev_problem)
{
	const struct instrument *ins = v->ins;
	struct strbuf *sb = page_begin(r, i18n_get(&ins->title, r->lang));
	struct render x = { r, sb, ins, v, can_edit(v),
			    v->state.revision > 0 || ev_bad, 0, ev, ev_bad,
			    ev_problem, NULL };

	/* the instrument's texts escaped once per process and language;
	 * the key is the content of the instrument v->ins was loaded from,
	 * and the cache checks the entry against v->ins */
	x.ft = form_cache_get(r->w->forms, v->number && v->camp.form_instrument_id
			      ? v->camp.form_instrument_sha256
			      : v->camp.instrument_sha256, ins, r->lang,
			      T(r, M_GUIDE));

	html_raw(sb, "<h1>");
	add_text(sb, x.ft ? x.ft->title : NULL, x.ft ? x.ft->title_len : 0,
		 i18n_get(&ins->title, r->lang));
	html_addf(sb, "</h1>\n<p class=\"meta\">%s &middot; %s %L</p>\n",
		  r->sess.who, T(r, M_REVISION), v->state.revision);
	report_meta(r, sb, &v->camp);
	if (!x.editable)
		notice(sb, "closed", T(r, M_CLOSED));
	if (flash != M__MAX)
		notice(sb, flash == M_STALE ? "error" : "ok", T(r, flash));
	if (v->state.status == RESPONSE_SUBMITTED)
		html_addf(sb, "<p class=\"notice ok\"><a href=\"%s\">%s</a></p>\n",
			  resp_url(r, "receipt", NULL), T(r, M_RECEIPT));
	progress(r, sb, v);
	if (*i18n_get(&ins->description, r->lang)) {
		html_raw(sb, "<p>");
		add_text(sb, x.ft ? x.ft->description : NULL,
			 x.ft ? x.ft->description_len : 0,
			 i18n_get(&ins->description, r->lang));
		html_raw(sb, "</p>\n");
	}
	html_addf(sb, "<form method=\"post\" action=\"%s\" novalidate",
		  resp_url(r, "form", NULL));
	if (x.editable)
		html_addf(sb, " id=\"answers\" data-check=\"%s\"",
			  resp_url(r, "form/check", NULL));
	html_addf(sb, ">\n<input type=\"hidden\" name=\"csrf\" "
		  "value=\"%s\"><input type=\"hidden\" name=\"revision\" "
		  "value=\"%L\">\n", r->sess.csrf, v->state.revision);
	/* Enter in a field saves (a form without an action saves): the
	 * first submit button is the default, and would otherwise be a
	 * row's removal or an evidence decision */
	if (x.editable)
		html_addf(sb, "<button type=\"submit\" class=\"default-action\" "
			  "tabindex=\"-1\" aria-hidden=\"true\">%s</button>\n",
			  T(r, M_SAVE));
	for (size_t i = 0; i < ins->nitems; i++)
		if (ins->items[i].parent < 0)
			render_item(&x, i, 0);
	if (x.editable)
		html_addf(sb, "<div class=\"actions\"><button type=\"submit\" "
			  "name=\"action\" value=\"save\" class=\"secondary\">"
			  "%s</button><button type=\"submit\" name=\"action\" "
			  "value=\"review\">%s</button></div>\n",
			  T(r, M_SAVE), T(r, M_REVIEW));
	html_addf(sb, "</form>\n");
	if (x.editable) {
		char ver[20];
		snprintf(ver, sizeof(ver), "%016llx",
			 (unsigned long long)(r->w->js_version
					       ? r->w->js_version
					       : web_js_version()));
		html_addf(sb, "<script src=\"/static/mamori.js?v=%s\" defer>"
			  "</script>\n", ver);
	}
	page_end(r);
	form_cache_put(r->w->forms, x.ft);
}

void page_form(struct req *r)
{
	struct resp_view v;
	struct ev_state ev;
	unsigned s;
	const char *flag = req_query(r, "saved");
	const char *stale = req_query(r, "stale");
	const char *evq = req_query(r, "evidence");
	enum msg flash = stale ? M_STALE : flag ? M_SAVED : M__MAX;
	bool snap;

	if (!own_campaign_page(r))
		return;
	/* the response's and the evidence's reads in one snapshot, the file
	 * locks taken once */
	snap = store_session_read_begin(r->st, NULL) == MAMORI_OK;
	s = resp_load_page(r, r->sess.who, r->number, &v);
	if (s) {
		if (snap)
			store_session_read_end(r->st);
		reply_error(r, s, "error", "the response cannot be read");
		return;
	}
	if (!stale && evq && strcmp(evq, "accepted") == 0)
		flash = M_EV_ACCEPTED;
	else if (!stale && evq && strcmp(evq, "overridden") == 0)
		flash = M_EV_RECORDED;
	/* without the evidence the form still works: the box is left out;
	 * evidence is the organisation's one response's */
	if (r->number)
		memset(&ev, 0, sizeof(ev));
	else
		ev_load(r, r->sess.who, v.ins, &ev);
	if (snap)
		store_session_read_end(r->st);
	render_form(r, &v, &ev, flash, NULL, M__MAX);
	ev_release(&ev);
	resp_view_release(&v);
}

/* The values of one answerable item from the form, into o under its id. */
static void collect(json_t *o, const struct form *f, const struct item *it,
		    const char *name)
{
	if (it->type == ITEM_SELECT_MULTIPLE) {
		json_t *a = json_array();
		for (size_t i = 0; a && i < f->n; i++)
			if (strcmp(f->fields[i].name, name) == 0 &&
			    f->fields[i].value_len)
				json_array_append_new(a,
					json_string(f->fields[i].value));
		if (a && json_array_size(a))
			json_object_set_new(o, it->id, a);
		else
			json_decref(a);
		return;
	}
	const char *v = form_get(f, name);
	if (v && *v)
		json_object_set_new(o, it->id, json_string(v));
}

/*
 * The answers the form posts, as the engine's JSON. Repeat rows come
 * from "ID.rows", minus a removed row, plus an added one. Returns NULL
 * when the form is not one this instrument could have produced.
 */
static json_t *form_answers(struct req *r, const struct instrument *ins,
			    const char *action)
{
	const struct form *f = &r->form;
	json_t *o = json_object();
	char name[200];

	for (size_t i = 0; o && i < ins->nitems; i++) {
		const struct item *it = &ins->items[i];
		if (it->type == ITEM_REPEAT) {
			json_t *rows = json_array();
			const char *n;
			int64_t nrows = 0, remove = -1;
			char key[120];
			snprintf(key, sizeof(key), "%s.rows", it->id);
			n = form_get(f, key);
			if (n && num_parse_range(slice_from_cstr(n), 0,
						 REPEAT_ROWS_MAX, &nrows)) {
				json_decref(rows);
				json_decref(o);
				return NULL;
			}
			snprintf(key, sizeof(key), "remove:%s:", it->id);
			if (action && strncmp(action, key, strlen(key)) == 0 &&
			    num_parse_range(slice_from_cstr(action +
					    strlen(key)), 0,
					    REPEAT_ROWS_MAX, &remove))
				remove = -1;
			for (int64_t row = 0; rows && row < nrows; row++) {
				json_t *ro;
				if (row == remove)
					continue;
				ro = json_object();
				for (size_t c = 0; ro && c < it->nchildren; c++) {
					const struct item *ch =
						&ins->items[it->children[c]];
					if (!answerable(ch))
						continue;
					field_name(name, sizeof(name), ins, ch,
						   (size_t)row);
					collect(ro, f, ch, name);
				}
				json_array_append_new(rows, ro);
			}
			snprintf(key, sizeof(key), "add:%s", it->id);
			if (action && strcmp(action, key) == 0 && rows &&
			    json_array_size(rows) < REPEAT_ROWS_MAX)
				json_array_append_new(rows, json_object());
			if (rows && json_array_size(rows))
				json_object_set_new(o, it->id, rows);
			else
				json_decref(rows);
			continue;
		}
		if (!answerable(it) || it->repeat >= 0)
			continue;
		field_name(name, sizeof(name), ins, it, 0);
		collect(o, f, it, name);
	}
	return o;
}

static const struct field_spec form_post_fields[] = {
	{ .name = "revision", .kind = FIELD_INT, .max = 18, .required = true },
	{ .name = "action", .kind = FIELD_TEXT, .max = 200, .required = false },
};

/* An evidence decision the form posts: "evidence-accept:ITEM" or
 * "evidence-override:ITEM"; NULL for any other action. */
static const char *ev_action(const char *action, bool *accept)
{
	static const char acc[] = "evidence-accept:";
	static const char ovr[] = "evidence-override:";

	if (strncmp(action, acc, sizeof(acc) - 1) == 0) {
		*accept = true;
		return action + sizeof(acc) - 1;
	}
	if (strncmp(action, ovr, sizeof(ovr) - 1) == 0) {
		*accept = false;
		return action + sizeof(ovr) - 1;
	}
	return NULL;
}

/* The override's reason from the form, trimmed; NULL when empty or too
 * long. In the request's arena. */
static const char *ev_reason(struct req *r, const struct item *it)
{
	char key[160];
	const char *v, *end;

	snprintf(key, sizeof(key), "evidence_reason.%s", it->id);
	v = form_get(&r->form, key);
	if (!v || strlen(v) > EV_REASON_MAX)
		return NULL;
	while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
		v++;
	end = v + strlen(v);
	while (end > v && (end[-1] == ' ' || end[-1] == '\t' ||
			   end[-1] == '\r' || end[-1] == '\n'))
		end--;
	if (end == v)
		return NULL;
	char *out = arena_alloc(&r->arena, (size_t)(end - v) + 1);
	if (out) {
		memcpy(out, v, (size_t)(end - v));
		out[end - v] = '\0';
	}
	return out;
}

/* The audit event of a decision, after the answers were saved. */
static enum mamori_err ev_record(struct req *r, const struct ev_item *e,
				 bool accept, json_t *answers,
				 const char *reason, int64_t revision)
{
	struct strbuf err = STRBUF_INIT;
	struct store_actor a;
	json_t *ans = json_object_get(answers, e->it->id);
	json_t *d = json_pack("{s:s,s:s,s:O?,s:s,s:s,s:I}",
			      "item", e->it->id, "proposed", e->value,
			      "answer", json_is_string(ans) ? ans : NULL,
			      "reason", reason, "sha256", e->sha256,
			      "revision", (json_int_t)revision);
	char *text = d ? json_dumps(d, JSON_COMPACT) : NULL;
	enum mamori_err x;

	json_decref(d);
	if (!text)
		return MAMORI_ENOMEM;
	req_actor(r, &a);
	x = store_org_audit(r->st, &a, r->campaign, r->sess.who,
			    accept ? "evidence.accept" : "evidence.override",
			    text, &err);
	if (x)
		fprintf(stderr, "mamori: %s: recording a decision: %s\n",
			r->path, err.len ? err.buf : mamori_strerror(x));
	free(text);
	strbuf_release(&err);
	return x;
}

/* Where a save of the form leaves the respondent: e the store's answer;
 * review when the form was posted to go to its review. */
static void form_saved_reply(struct req *r, enum mamori_err e, bool review)
{
	if (e == MAMORI_ECONFLICT)
		reply_redirect(r, resp_url(r, "form", "stale=1"));
	else if (e == MAMORI_ECLOSED)
		reply_redirect(r, resp_url(r, "form", NULL));
	else if (e)
		reply_error(r, 500, "internal", "the answers were not saved");
	else if (review)
		reply_redirect(r, resp_url(r, "review", NULL));
	else
		reply_redirect(r, resp_url(r, "form", "saved=1"));
}

/* The end of a save of the form (req_save_then); ctx: the form's action
 * (in the request's arena). */
static void form_saved(struct req *r, void *ctx, enum mamori_err e,
		       int64_t revision, const struct store_written *w,
		       struct strbuf *err)
{
	(void)revision;
	(void)w;
	(void)err;
	form_saved_reply(r, e, strcmp(ctx, "review") == 0);
}

void page_form_post(struct req *r)
{
	struct strbuf err = STRBUF_INIT;
	struct store_actor a;
	struct resp_view v;
	struct ev_state ev = { 0 };
	const struct ev_item *dec = NULL;
	const char *val[2], *bad = NULL, *action, *item, *reason = NULL;
	json_t *answers;
	char *text = NULL;
	char extra[120];
	int64_t base = 0, revision = 0;
	bool accept = false;
	unsigned s;
	enum mamori_err e;

	if (!own_campaign_page(r))
		return;
	if (form_fetch(&r->form, form_post_fields, 2, val, &bad) ||
	    num_parse_range(slice_from_cstr(val[0]), 0, INT64_MAX, &base)) {
		reply_error(r, 400, "bad_form", T(r, M_BAD_FORM));
		return;
	}
	action = val[1] ? val[1] : "save";
	/* a decision on evidence is recorded after its save, and a report's
	 * save waits for its commit: on a worker, not the polling thread */
	if (r->can_wait && (r->number || ev_action(action, &accept))) {
		req_to_worker(r);
		return;
	}
	if ((s = resp_load_form(r, r->sess.who, r->number, &v))) {
		reply_error(r, s, "error", "the response cannot be read");
		return;
	}
	answers = form_answers(r, v.ins, action);
	if (!answers) {
		reply_error(r, 400, "bad_form", T(r, M_BAD_FORM));
		goto out;
	}
	if (r->number == 0 && (item = ev_action(action, &accept))) {
		const struct item *it = instrument_find(v.ins, item,
							strlen(item));
		if (base != v.state.revision) {	/* decided on an old page */
			reply_redirect(r, resp_url(r, "form", "stale=1"));
			goto out;
		}
		if (ev_load(r, r->sess.who, v.ins, &ev) == MAMORI_OK)
			dec = it ? ev_find(&ev, it) : NULL;
		if (!dec) {
			reply_error(r, 400, "bad_form", T(r, M_BAD_FORM));
			goto out;
		}
		if (accept) {
			json_object_set_new(answers, it->id,
					    json_string(dec->value));
			reason = dec->reason[r->lang] ? dec->reason[r->lang]
						      : "";
		} else {
			const char *own = json_string_value(
				json_object_get(answers, it->id));
			enum msg problem = M__MAX;
			if (!(reason = ev_reason(r, it)))
				problem = M_EV_NEED_REASON;
			else if (own && strcmp(own, dec->value) == 0)
				problem = M_EV_SAME;
			if (problem != M__MAX) {
				/* refused: the form again, as posted,
				 * nothing saved or recorded */
				if ((s = resp_revalidate(r, &v, answers))) {
					answers = NULL;
					reply_error(r, s, "internal",
						    "cannot check the answers");
					goto out;
				}
				answers = NULL;	/* v owns them now */
				render_form(r, &v, &ev, M__MAX, it, problem);
				r->reply.status = 422;
				goto out;
			}
		}
	}
	text = json_dumps(answers, JSON_COMPACT);
	if (!text) {
		reply_error(r, 500, "internal", "out of memory");
		goto out;
	}
	req_actor(r, &a);
	if (!r->number && !dec) {
		/* nothing of v needed after the save: given back before it,
		 * so that the connection can wait without a thread */
		resp_view_release(&v);
		e = req_save_then(r, REV_DRAFT, &a, r->campaign, r->sess.who,
				  text, strlen(text), base, NULL, form_saved,
				  (void *)action, &err);
		if (e)
			form_saved_reply(r, e, strcmp(action, "review") == 0);
		goto out;
	}
	/* v is held: the group commit on this same connection */
	e = r->number ? resp_put_form(r, false, text, strlen(text), base,
				      &revision, &err)
		      : store_committer_save(r->w->committer, r->st,
					     REV_DRAFT, &a, r->campaign,
					     r->sess.who, text, strlen(text),
					     base, &revision, &err);
	if (!e && dec && ev_record(r, dec, accept, answers, reason, revision)) {
		reply_error(r, 500, "internal", "the decision was not recorded");
		goto out;
	}
	if (!e && dec) {
		snprintf(extra, sizeof(extra), "evidence=%s#q_%s",
			 accept ? "accepted" : "overridden", dec->it->id);
		redirect_lang(r, "/campaigns/%lld/form", r->campaign, extra);
	} else {
		form_saved_reply(r, e, strcmp(action, "review") == 0);
	}
out:
	free(text);
	json_decref(answers);
	ev_release(&ev);
	resp_view_release(&v);
	strbuf_release(&err);
}

/*
 * The live check the script asks for: the form as it would be posted,
 * judged by the engine, nothing stored. JSON, errors included.
 */
void page_form_check(struct req *r)
{
	struct resp_view v;
	json_t *answers;
	unsigned s;

	r->api = true;
	if (!own_campaign_page(r))
		return;
	if ((s = resp_load_form(r, r->sess.who, r->number, &v))) {
		reply_error(r, s, s == 404 ? "not_found" : "internal",
			    "the response cannot be read");
		return;
	}
	answers = form_answers(r, v.ins, NULL);
	if (!answers)
		reply_error(r, 400, "bad_form", T(r, M_BAD_FORM));
	else if ((s = resp_revalidate(r, &v, answers)))
		reply_error(r, s, "internal", "the answers cannot be checked");
	else
		reply_json(r, 200, form_check_json(r, &v));
	resp_view_release(&v);
}

json_t *form_check_json(struct req *r, const struct resp_view *v)
{
	const struct instrument *ins = v->ins;
	const struct vresult *res = v->res;
	json_t *items = json_object(), *j;
	char path[200], text[96];

	for (size_t i = 0; items && i < ins->nitems; i++) {
		const struct item *it = &ins->items[i];
		size_t rows = it->repeat >= 0
			      ? validator_rows(v->v, (size_t)it->repeat) : 1;
		for (size_t row = 0; row < rows; row++) {
			web_item_path(path, sizeof(path), ins, it, row);
			json_object_set_new(items, path, json_pack(
				"{s:b,s:[]}", "relevant",
				validator_relevant(v->v, i, row), "messages"));
		}
	}
	for (size_t k = 0; items && k < res->nerrors + res->nwarnings; k++) {
		const struct verror *ve = k < res->nerrors
			? &res->errors[k] : &res->warnings[k - res->nerrors];
		json_t *list = json_object_get(json_object_get(items,
							ve->item), "messages");
		if (list)
			json_array_append_new(list, json_pack("{s:s,s:s}",
				"code", verr_code_name(ve->code), "message",
				ve->message ? ve->message : ""));
	}
	progress_text(r, res->answered, res->applicable, text, sizeof(text));
	j = json_pack("{s:I,s:b,s:o,s:{s:I,s:I,s:s},s:o}",
		      "revision", (json_int_t)v->state.revision,
		      "valid", res->valid, "items", items,
		      "progress", "answered", (json_int_t)res->answered,
		      "applicable", (json_int_t)res->applicable,
		      "text", text, "errors", errors_json(res));
	return j;
}

/* ---- review, submit, receipt ------------------------------------------- */

/* For the regulator: whether an answer is the evidence's proposal, or
 * the respondent kept another one (and why). Plain answers get nothing. */
static void review_mark(struct render *x, const struct item *it,
			const char *value)
{
	const struct ev_item *e = ev_find(x->ev, it);

	if (!e)
		return;
	if (value && strcmp(value, e->value) == 0)
		html_addf(x->sb, " <span class=\"evidence-mark backed\">%s"
			  "</span>", T(x->r, M_EV_BACKED));
	else if (e->overridden)
		html_addf(x->sb, " <span class=\"evidence-mark overridden\">"
			  "%s: %s &mdash; %s %s</span>", T(x->r, M_EV_OVERRIDDEN),
			  e->why ? e->why : "", T(x->r, M_EV_PROPOSED),
			  choice_label(x->r, it, e->value));
}

static void review_item(struct render *x, size_t idx, size_t row)
{
	const struct item *it = &x->ins->items[idx];
	enum lang l = x->r->lang;

	if (!validator_relevant(x->v->v, idx, row))
		return;
	if (it->type == ITEM_GROUP || it->type == ITEM_REPEAT) {
		bool repeat = it->type == ITEM_REPEAT;
		size_t rows = repeat ? validator_rows(x->v->v, idx) : 1;
		int h = 2;	/* a top section is an h2, one inside it h3 */

		for (int p = it->parent; p >= 0 && h < 5;
		     p = x->ins->items[p].parent)
			h++;
		/* a section inside a section's list closes the list: a <dl>
		 * holds only <dt> and <dd> */
		if (it->parent >= 0)
			html_addf(x->sb, "</dl>");
		/* a repeat is a question: its number, as on the form */
		if (repeat)
			html_addf(x->sb, "<section class=\"repeat\"><h%d>", h);
		else
			html_addf(x->sb, "<section><h%d>", h);
		if (repeat && it->number)
			html_addf(x->sb, "<span class=\"num\">%s.</span> ",
				  it->number);
		html_addf(x->sb, "%s</h%d>\n", i18n_get(&it->label, l), h);
		for (size_t r = 0; r < rows; r++) {
			if (repeat)
				html_addf(x->sb, "<h%d>%s %z</h%d>", h + 1,
					  T(x->r, M_ROW), r + 1, h + 1);
			html_addf(x->sb, "<dl>");
			for (size_t c = 0; c < it->nchildren; c++)
				review_item(x, it->children[c],
					    it->type == ITEM_REPEAT ? r : row);
			html_addf(x->sb, "</dl>\n");
		}
		html_addf(x->sb, "</section>\n");
		if (it->parent >= 0)
			html_addf(x->sb, "<dl>");
		return;
	}
	if (!answerable(it))
		return;
	size_t vlen = 0;
	const char *value = validator_value(x->v->v, idx, row, &vlen);
	html_addf(x->sb, "<dt>%s%s%s</dt><dd>", it->number ? it->number : "",
		  it->number ? ". " : "", i18n_get(&it->label, l));
	if (!value || !*value) {
		html_addf(x->sb, "<em>%s</em>", T(x->r, M_NOT_ANSWERED));
	} else if (it->list) {
		bool first = true;
		for (size_t c = 0; c < it->list->n; c++) {
			const struct choice *ch = &it->list->choices[c];
			if (!value_has(value, vlen, ch->value))
				continue;
			html_addf(x->sb, "%s%s", first ? "" : ", ",
				  i18n_get(&ch->label, l));
			first = false;
		}
	} else {
		html_addf(x->sb, "%s", value);
	}
	review_mark(x, it, value);
	html_addf(x->sb, "</dd>");
}

static void render_answers(struct render *x)
{
	html_addf(x->sb, "<div class=\"answers\">");
	for (size_t i = 0; i < x->ins->nitems; i++) {
		const struct item *it = &x->ins->items[i];
		bool section = it->type == ITEM_GROUP ||
			       it->type == ITEM_REPEAT;
		if (it->parent >= 0)
			continue;
		if (!section && !answerable(it))
			continue;
		if (!section)
			html_addf(x->sb, "<dl>");
		review_item(x, i, 0);
		if (!section)
			html_addf(x->sb, "</dl>");
	}
	html_addf(x->sb, "</div>\n");
}

/* One error of the review: the question's number and label (and row),
 * the engine's message, a link to the question on the form. */
static void review_error(struct req *r, struct strbuf *sb,
			 const struct resp_view *v, const struct verror *ve)
{
	const char *path = ve->item, *dot = strrchr(path, '.');
	const char *br = strchr(path, '[');
	const char *id = dot ? dot + 1 : path;
	size_t idlen = dot ? strlen(id) : br ? (size_t)(br - path)
					     : strlen(path);
	const struct item *it = instrument_find(v->ins, id, idlen);
	uint64_t row = 0;
	char anchor[200];

	if (br && dot) {
		const char *close = strchr(br, ']');
		if (!close || num_parse_u64(slice_make(br + 1, (size_t)
				(close - br - 1)), &row) || row == 0)
			row = 0;
	}
	if (!it) {
		html_addf(sb, "<li>%s: %s</li>", path, ve->message);
		return;
	}
	if (row)
		field_name(anchor, sizeof(anchor), v->ins, it, (size_t)row - 1);
	else
		snprintf(anchor, sizeof(anchor), "%s", it->id);
	html_addf(sb, "<li><a href=\"%s#q_%s\">%s%s%s",
		  resp_url(r, "form", NULL), anchor, it->number ? it->number : "",
		  it->number ? ". " : "", i18n_get(&it->label, r->lang));
	if (row)
		html_addf(sb, " (%s %L)", T(r, M_ROW), (int64_t)row);
	html_addf(sb, "</a>: %s</li>", ve->message);
}

void page_review(struct req *r)
{
	struct resp_view v;
	struct strbuf *sb;
	unsigned s;

	if (!own_campaign_page(r))
		return;
	if ((s = resp_load_form(r, r->sess.who, r->number, &v))) {
		reply_error(r, s, "error", "the response cannot be read");
		return;
	}
	struct render x = { .r = r, .ins = v.ins, .v = &v };
	sb = page_begin(r, T(r, M_REVIEW));
	x.sb = sb;
	html_addf(sb, "<h1>%s</h1>\n<p class=\"meta\">%s &middot; %s %L</p>\n",
		  i18n_get(&v.ins->title, r->lang), r->sess.who,
		  T(r, M_REVISION), v.state.revision);
	report_meta(r, sb, &v.camp);
	progress(r, sb, &v);
	if (!can_edit(&v))
		notice(sb, "closed", T(r, M_CLOSED));
	if (v.res->nerrors) {
		html_addf(sb, "<div class=\"notice error\" role=\"alert\"><h2>"
			  "%s</h2><ul>", T(r, M_ERRORS));
		for (size_t i = 0; i < v.res->nerrors; i++)
			review_error(r, sb, &v, &v.res->errors[i]);
		html_addf(sb, "</ul><p><a href=\"%s\">%s</a></p></div>\n",
			  resp_url(r, "form", NULL), T(r, M_FIX));
	} else {
		notice(sb, "ok", T(r, M_NO_ERRORS));
	}
	render_answers(&x);
	if (can_edit(&v) && v.res->nerrors == 0)
		html_addf(sb, "<form method=\"post\" action=\"%s\"><input "
			  "type=\"hidden\" name=\"csrf\" value=\"%s\"><input "
			  "type=\"hidden\" name=\"revision\" value=\"%L\">"
			  "<button type=\"submit\">%s</button></form>\n",
			  resp_url(r, "submit", NULL), r->sess.csrf,
			  v.state.revision, T(r, M_SUBMIT));
	html_addf(sb, "<p><a href=\"%s\">%s</a></p>\n",
		  resp_url(r, "form", NULL), T(r, M_BACK_TO_FORM));
	page_end(r);
	resp_view_release(&v);
}

static const struct field_spec submit_fields[] = {
	{ .name = "revision", .kind = FIELD_INT, .max = 18, .required = true },
};

void page_submit(struct req *r)
{
	struct strbuf err = STRBUF_INIT;
	struct store_actor a;
	struct resp_view v;
	const char *val[1], *bad = NULL;
	int64_t base = 0, revision = 0;
	char *text;
	unsigned s;
	enum mamori_err e;

	if (!own_campaign_page(r))
		return;
	if (form_fetch(&r->form, submit_fields, 1, val, &bad) ||
	    num_parse_range(slice_from_cstr(val[0]), 0, INT64_MAX, &base)) {
		reply_error(r, 400, "bad_form", T(r, M_BAD_FORM));
		return;
	}
	if ((s = resp_load_form(r, r->sess.who, r->number, &v))) {
		reply_error(r, s, "error", "the response cannot be read");
		return;
	}
	text = json_dumps(v.answers, JSON_COMPACT);
	resp_view_release(&v);
	if (!text) {
		reply_error(r, 500, "internal", "out of memory");
		return;
	}
	req_actor(r, &a);
	e = r->number ? resp_put_form(r, true, text, strlen(text), base,
				      &revision, &err)
		      : store_response_submit(r->st, &a, r->campaign,
					      r->sess.who, text, strlen(text),
					      base, &revision, &err);
	free(text);
	strbuf_release(&err);
	if (e == MAMORI_OK)
		reply_redirect(r, resp_url(r, "receipt", NULL));
	else if (e == MAMORI_ECONFLICT)
		reply_redirect(r, resp_url(r, "form", "stale=1"));
	else if (e == MAMORI_EINVALID || e == MAMORI_ECLOSED)
		reply_redirect(r, resp_url(r, "review", NULL));
	else
		reply_error(r, 500, "internal", "the response was not submitted");
}

void page_receipt(struct req *r)
{
	struct strbuf err = STRBUF_INIT;
	struct store_response st;
	struct store_revision rev = { 0 };
	struct strbuf *sb;

	if (!own_campaign_page(r))
		return;
	if (store_response_state_form(r->st, r->campaign, r->sess.who,
				      r->number, &st, &err) ||
	    (r->number && st.status == RESPONSE_NONE) ||
	    (st.submitted_revision > 0 &&
	     store_response_get_form(r->st, r->campaign, r->sess.who,
				     r->number, st.submitted_revision, &rev,
				     &err))) {
		strbuf_release(&err);
		reply_error(r, 404, "not_found", "no such response");
		return;
	}
	strbuf_release(&err);
	sb = page_begin(r, T(r, M_RECEIPT));
	html_addf(sb, "<h1>%s</h1>\n", T(r, M_RECEIPT));
	report_meta(r, sb, NULL);	/* which report or form, as on the form */
	if (st.submitted_revision == 0) {
		html_addf(sb, "<p>%s</p>", T(r, M_SUBMIT_FIRST));
	} else {
		html_addf(sb, "<dl class=\"receipt\"><dt>%s</dt><dd>%s</dd>"
			  "<dt>%s</dt><dd>", T(r, M_ORG_ID), r->sess.who,
			  T(r, M_SUBMITTED_AT));
		time_element(r, sb, rev.at);
		html_addf(sb, "</dd><dt>%s</dt><dd>%L</dd></dl>\n",
			  T(r, M_REVISION), st.submitted_revision);
	}
	html_addf(sb, "<p><a href=\"%s\">%s</a></p>\n",
		  resp_url(r, "form", NULL), T(r, M_BACK_TO_FORM));
	store_revision_release(&rev);
	page_end(r);
}

/* ---- the regulator ------------------------------------------------------ */

void page_dashboard(struct req *r)
{
	struct strbuf err = STRBUF_INIT;
	struct store_campaign c = { 0 };
	struct store_campaign_status cs;
	struct strbuf *sb;

	if (store_campaign_get(r->st, r->campaign, &c, &err) ||
	    store_campaign_status(r->st, r->campaign, &cs, &err)) {
		strbuf_release(&err);
		store_campaign_release(&c);
		reply_error(r, 404, "not_found", "no such campaign");
		return;
	}
	strbuf_release(&err);
	sb = page_begin(r, T(r, M_DASHBOARD));
	html_addf(sb, "<h1>%s</h1>\n<p class=\"meta\">%s</p>\n<table>"
		  "<caption>%s</caption><thead><tr><th scope=\"col\">%s</th>"
		  "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		  "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr>"
		  "</thead><tbody><tr class=\"total\"><th scope=\"row\">%s</th>"
		  "<td>%z</td><td>%z</td><td>%z</td><td>%z</td></tr>\n",
		  c.title, state_word(r, c.state), T(r, M_DASHBOARD),
		  T(r, M_PREFECTURE), T(r, M_POPULATION), T(r, M_INVITED),
		  T(r, M_DRAFTS), T(r, M_SUBMITTED), T(r, M_TOTAL), cs.population,
		  cs.invited, cs.drafts, cs.submitted);
	for (size_t i = 0; i < PREFECTURE_COUNT; i++) {
		const struct store_pref_count *p = &cs.by_pref[i];
		const struct prefecture *pf;
		if (p->population == 0)
			continue;
		pf = prefecture_find(slice_from_cstr(p->code));
		html_addf(sb, "<tr><th scope=\"row\">%s</th><td>%z</td>"
			  "<td>%z</td><td>%z</td><td>%z</td></tr>\n",
			  pf ? (r->lang == LANG_EN ? pf->en : pf->ja) : p->code,
			  p->population, p->invited, p->drafts, p->submitted);
	}
	html_addf(sb, "</tbody></table>\n<p><a class=\"button\" "
		  "href=\"/campaigns/%L/missing.csv\">%s</a></p>\n", c.id,
		  T(r, M_MISSING_CSV));
	if (c.form_instrument_id)
		html_addf(sb, "<p><a href=\"/campaigns/%L/missing-forms.csv\">"
			  "%s</a></p>\n", c.id, r->lang == LANG_EN
			  ? "Facilities missing vendor forms (CSV)"
			  : "委託先の様式が不足している医療機関 (CSV)");
	/* administration (admin.c) */
	html_addf(sb, "<p><a href=\"/campaigns/%L/manage%s\">%s</a> &middot; "
		  "<a href=\"/admin/audit%s\">%s</a></p>\n", c.id, lang_q(r),
		  r->lang == LANG_EN
			  ? "Manage: open, close, extend, access codes"
			  : "調査の管理（受付・締切・延長・アクセスコード）",
		  lang_q(r), r->lang == LANG_EN ? "Audit log" : "監査ログ");
	results_dashboard(r, sb, &cs);	/* results.c */
	store_campaign_release(&c);
	page_end(r);
}

struct missing_ctx {
	struct req *r;
	struct strbuf *sb;
	enum mamori_err e;
};

static void csv_cell(struct strbuf *sb, const char *s)
{
	/* quoted; a leading = + - @ is neutralised against formula
	 * injection when the file is opened in a spreadsheet */
	strbuf_addch(sb, '"');
	if (s && (*s == '=' || *s == '+' || *s == '-' || *s == '@'))
		strbuf_addch(sb, '\'');
	for (; s && *s; s++) {
		if (*s == '"')
			strbuf_addch(sb, '"');
		strbuf_addch(sb, *s);
	}
	strbuf_addch(sb, '"');
}

static int missing_one(void *ud, const struct store_org *org)
{
	struct missing_ctx *x = ud;
	struct store_response st;
	enum mamori_err e = store_response_state(x->r->st, x->r->campaign,
						 org->id, &st, NULL);

	if (e == MAMORI_ENOENT)
		return 0;	/* not in the campaign's population */
	if (e) {
		x->e = e;
		return 1;
	}
	if (st.submitted_revision > 0)
		return 0;
	csv_cell(x->sb, org->id);
	strbuf_addch(x->sb, ',');
	csv_cell(x->sb, org->name);
	strbuf_addch(x->sb, ',');
	csv_cell(x->sb, org->pref_code);
	strbuf_addch(x->sb, ',');
	csv_cell(x->sb, response_status_name(st.status));
	strbuf_addstr(x->sb, "\r\n");
	return 0;
}

void page_missing_csv(struct req *r)
{
	struct strbuf err = STRBUF_INIT;
	struct store_campaign c = { 0 };
	struct missing_ctx x = { r, &r->reply.body, MAMORI_OK };
	enum mamori_err e;

	if (store_campaign_get(r->st, r->campaign, &c, &err)) {
		strbuf_release(&err);
		reply_error(r, 404, "not_found", "no such campaign");
		return;
	}
	store_campaign_release(&c);
	strbuf_reset(&r->reply.body);
	strbuf_addstr(&r->reply.body,
		      "organisation,name,prefecture,status\r\n");
	e = store_org_list(r->st, NULL, missing_one, &x, &err);
	strbuf_release(&err);
	if (e || x.e) {
		reply_error(r, 500, "internal", "cannot list organisations");
		return;
	}
	r->reply.status = 200;
	r->reply.type = "text/csv; charset=utf-8";
	reply_header(r, "Content-Disposition",
		     "attachment; filename=\"not-submitted.csv\"");
}

/* One facility short of additional (vendor) forms, as a CSV row. */
static int due_row(void *ud, const struct store_forms_due *d)
{
	struct strbuf *sb = ud;

	csv_cell(sb, d->org_id);
	strbuf_addf(sb, ",%lld,%lld\r\n", (long long)d->expected,
		    (long long)d->submitted);
	return 0;
}

/*
 * The facilities whose facility form declares more vendors
 * (vendor_count) than vendor forms they have submitted: the regulator's
 * list for reminders, as "campaign missing-forms" gives it. 404 for a
 * campaign without additional forms.
 */
void page_missing_forms_csv(struct req *r)
{
	struct strbuf err = STRBUF_INIT;
	enum mamori_err e;

	strbuf_reset(&r->reply.body);
	strbuf_addstr(&r->reply.body, "organisation,expected,submitted\r\n");
	e = store_campaign_forms_missing(r->st, r->campaign, "vendor_count",
					 due_row, &r->reply.body, &err);
	strbuf_release(&err);
	if (e == MAMORI_EINVAL || e == MAMORI_ENOENT) {
		reply_error(r, 404, "not_found",
			    "this campaign has no vendor forms");
		return;
	}
	if (e) {
		reply_error(r, 500, "internal", "cannot list missing forms");
		return;
	}
	r->reply.status = 200;
	r->reply.type = "text/csv; charset=utf-8";
	reply_header(r, "Content-Disposition",
		     "attachment; filename=\"missing-vendor-forms.csv\"");
}

void page_response_view(struct req *r)
{
	struct resp_view v;
	struct ev_state ev;
	struct strbuf *sb;
	unsigned s;

	if (reports_staff_only(r))	/* a campaign of reports: the list */
		return;
	if ((s = resp_load_form(r, r->org, r->number, &v))) {
		reply_error(r, s, "not_found", "no such response");
		return;
	}
	if (r->number)
		memset(&ev, 0, sizeof(ev));
	else
		ev_load(r, r->org, v.ins, &ev);
	struct render x = { .r = r, .ins = v.ins, .v = &v, .ev = &ev };
	sb = page_begin(r, T(r, M_RESPONSE_OF));
	x.sb = sb;
	html_addf(sb, "<h1>%s: %s</h1>\n<p class=\"meta\">%s &middot; %s %L"
		  "</p>\n", T(r, M_RESPONSE_OF), r->org,
		  status_word(r, v.state.status), T(r, M_REVISION),
		  v.state.revision);
	report_meta(r, sb, &v.camp);
	progress(r, sb, &v);
	render_answers(&x);
	reports_staff_after(r, sb, &v);	/* revisions, other responses */
	page_end(r);
	ev_release(&ev);
	resp_view_release(&v);
}

/* ---- static assets -------------------------------------------------------- */

void page_static_css(struct req *r)
{
	strbuf_reset(&r->reply.body);
	strbuf_add(&r->reply.body, web_css, web_css_len);
	r->reply.status = 200;
	r->reply.type = "text/css; charset=utf-8";
}

/* The form's script; pages ask for it with its version in the URL. */
void page_static_js(struct req *r)
{
	strbuf_reset(&r->reply.body);
	strbuf_add(&r->reply.body, web_js, web_js_len);
	r->reply.status = 200;
	r->reply.type = "text/javascript; charset=utf-8";
	r->reply.cache = "public, max-age=31536000, immutable";
}
