/*
 * pages.c - the HTML pages: sign-in, the campaigns, the respondent's
 * form (sections, numbered questions, skip logic and validation from
 * the engine, repeat rows added and removed by the server), the review,
 * the receipt, and the regulator's dashboard. Work without JavaScript.
 * Every outside string goes through html_addf's escaping; must never
 * decide validity or relevance itself (the engine does).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "store/user.h"
#include "util/num.h"
#include "util/html.h"
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
	[M_REMOVE_ROW] = { "この行を削除", "Remove this row" },
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
};

static const char *T(const struct req *r, enum msg m)
{
	return msgs[m][r->lang];
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
	r->reply.status = 200;
	r->reply.type = "text/html; charset=utf-8";
	html_addf(sb, "<!doctype html>\n<html lang=\"%s\"><head>"
		  "<meta charset=\"utf-8\"><meta name=\"viewport\" "
		  "content=\"width=device-width, initial-scale=1\">"
		  "<title>%s</title><link rel=\"stylesheet\" "
		  "href=\"/static/mamori.css\"></head><body>\n"
		  "<header class=\"site\"><p class=\"brand\"><a href=\"/%s\">"
		  "mamori</a></p><nav><a href=\"%s?lang=%s\" lang=\"%s\">%s</a>",
		  lang_name(r->lang), title, lang_q(r), r->path,
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

static void campaign_row(struct req *r, struct strbuf *sb,
			 const struct store_campaign *c)
{
	char closes[40] = "";

	if (c->nwindows)
		store_time_format(c->windows[c->nwindows - 1].closes, closes,
				  sizeof(closes));
	html_addf(sb, "<li><h2>%s</h2><p>%s: %s &middot; %s</p>", c->title,
		  T(r, M_STATE), campaign_state_name(c->state), closes);
	if (r->sess.role == ROLE_RESPONDENT)
		html_addf(sb, "<p><a class=\"button\" href=\"/campaigns/%L/"
			  "form%s\">%s</a></p>", c->id, lang_q(r),
			  T(r, M_OPEN_FORM));
	else
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

/* The form field name of item it (in row, when inside a repeat). */
static void field_name(char *buf, size_t len, const struct instrument *ins,
		       const struct item *it, size_t row)
{
	if (it->repeat >= 0)
		snprintf(buf, len, "%s.%zu.%s", ins->items[it->repeat].id, row,
			 it->id);
	else
		snprintf(buf, len, "%s", it->id);
}

/* The engine's path of item it: "q6", "q11_vpn_devices[2].maker". */
static void error_path(char *buf, size_t len, const struct instrument *ins,
		       const struct item *it, size_t row)
{
	if (it->repeat >= 0)
		snprintf(buf, len, "%s[%zu].%s", ins->items[it->repeat].id,
			 row + 1, it->id);
	else
		snprintf(buf, len, "%s", it->id);
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

struct render {
	struct req *r;
	struct strbuf *sb;
	const struct instrument *ins;
	const struct resp_view *v;
	bool editable;
	bool show_errors;	/* once something was saved */
};

static void render_item(struct render *x, size_t idx, size_t row);

static void render_label_parts(struct render *x, const struct item *it,
			       const char *hint_id)
{
	enum lang l = x->r->lang;
	const char *hint = i18n_get(&it->hint, l);
	const char *guide = i18n_get(&it->guidance, l);

	if (*hint)
		html_addf(x->sb, "<p class=\"hint\" id=\"%s\">%s</p>", hint_id,
			  hint);
	if (*guide) {
		html_addf(x->sb, "<details class=\"guide\"><summary>%s"
			  "</summary>", T(x->r, M_GUIDE));
		/* paragraphs of the guide, escaped, blank-line separated */
		const char *p = guide;
		html_addf(x->sb, "<p>");
		for (; *p; p++) {
			if (p[0] == '\n' && p[1] == '\n') {
				html_addf(x->sb, "</p><p>");
				while (p[1] == '\n')
					p++;
			} else {
				char c[2] = { *p, 0 };
				html_text(x->sb, c);
			}
		}
		html_addf(x->sb, "</p></details>");
	}
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

static void render_question(struct render *x, const struct item *it,
			    size_t row)
{
	enum lang l = x->r->lang;
	char name[200], path[200], hint_id[220], err_id[220];
	const struct verror *ve;
	size_t vlen = 0;
	const char *value = validator_value(x->v->v, it->index, row, &vlen);
	const char *num = it->number ? it->number : "";
	const char *dis = x->editable ? "" : " disabled";
	char described[460] = "";
	bool has_hint = *i18n_get(&it->hint, l) != '\0';

	field_name(name, sizeof(name), x->ins, it, row);
	error_path(path, sizeof(path), x->ins, it, row);
	snprintf(hint_id, sizeof(hint_id), "h_%s", name);
	snprintf(err_id, sizeof(err_id), "e_%s", name);
	ve = x->show_errors ? error_of(x->v->res, path) : NULL;
	snprintf(described, sizeof(described), "%s%s%s",
		 has_hint ? hint_id : "", has_hint && ve ? " " : "",
		 ve ? err_id : "");
	if (!value)
		value = "";
	html_addf(x->sb, "<div class=\"q%s\" id=\"q_%s\">", ve ? " invalid" : "",
		  name);
	if (it->type == ITEM_SELECT_ONE || it->type == ITEM_SELECT_MULTIPLE) {
		bool multi = it->type == ITEM_SELECT_MULTIPLE;
		html_addf(x->sb, "<fieldset class=\"choices\"");
		if (*described)
			html_addf(x->sb, " aria-describedby=\"%s\"",
				  described);
		html_addf(x->sb, "><legend>");
		if (*num)
			html_addf(x->sb, "<span class=\"num\">%s.</span> ", num);
		html_addf(x->sb, "%s", i18n_get(&it->label, l));
		if (it->required)
			html_addf(x->sb, " <span class=\"req\">*</span>");
		html_addf(x->sb, "</legend>");
		render_label_parts(x, it, hint_id);
		for (size_t c = 0; it->list && c < it->list->n; c++) {
			const struct choice *ch = &it->list->choices[c];
			bool on = multi ? value_has(value, vlen, ch->value)
					: strcmp(value, ch->value) == 0;
			html_addf(x->sb, "<label class=\"choice\"><input type=\"%s\" "
				  "name=\"%s\" value=\"%s\"%s%s> %s</label>",
				  multi ? "checkbox" : "radio", name, ch->value,
				  on ? " checked" : "", dis,
				  i18n_get(&ch->label, l));
		}
		if (ve)
			html_addf(x->sb, "<p class=\"error\" id=\"%s\">%s</p>",
				  err_id, ve->message);
		html_addf(x->sb, "</fieldset></div>\n");
		return;
	}
	html_addf(x->sb, "<label for=\"f_%s\">", name);
	if (*num)
		html_addf(x->sb, "<span class=\"num\">%s.</span> ", num);
	html_addf(x->sb, "%s", i18n_get(&it->label, l));
	if (it->required)
		html_addf(x->sb, " <span class=\"req\">*</span>");
	html_addf(x->sb, "</label>");
	render_label_parts(x, it, hint_id);
	if (!*value)
		value = raw_answer(x, it, row);
	html_addf(x->sb, "<input id=\"f_%s\" name=\"%s\" value=\"%s\" "
		  "type=\"%s\"", name, name, value,
		  it->type == ITEM_DATE ? "date" : "text");
	if (it->type == ITEM_INTEGER)
		html_addf(x->sb, " inputmode=\"numeric\"");
	else if (it->type == ITEM_DECIMAL)
		html_addf(x->sb, " inputmode=\"decimal\"");
	if (!x->editable)
		html_addf(x->sb, " disabled");
	if (*described)
		html_addf(x->sb, " aria-describedby=\"%s\"", described);
	if (ve)
		html_addf(x->sb, " aria-invalid=\"true\"");
	html_addf(x->sb, ">");
	if (ve)
		html_addf(x->sb, "<p class=\"error\" id=\"%s\">%s</p>", err_id,
			  ve->message);
	html_addf(x->sb, "</div>\n");
}

static void render_children(struct render *x, const struct item *it,
			    size_t row)
{
	for (size_t i = 0; i < it->nchildren; i++)
		render_item(x, it->children[i], row);
}

static void render_item(struct render *x, size_t idx, size_t row)
{
	const struct item *it = &x->ins->items[idx];
	enum lang l = x->r->lang;

	if (!validator_relevant(x->v->v, idx, row))
		return;
	switch (it->type) {
	case ITEM_CALCULATE:
		return;
	case ITEM_NOTE:
		html_addf(x->sb, "<div class=\"note\"><p>%s</p>",
			  i18n_get(&it->label, l));
		render_label_parts(x, it, "");
		html_addf(x->sb, "</div>\n");
		return;
	case ITEM_GROUP:
		html_addf(x->sb, "<fieldset class=\"section\" id=\"s_%s\">"
			  "<legend>%s</legend>\n", it->id,
			  i18n_get(&it->label, l));
		render_label_parts(x, it, "");
		render_children(x, it, row);
		html_addf(x->sb, "</fieldset>\n");
		return;
	case ITEM_REPEAT: {
		size_t rows = validator_rows(x->v->v, idx);
		char path[100];
		const struct verror *ve;
		snprintf(path, sizeof(path), "%s", it->id);
		ve = x->show_errors ? error_of(x->v->res, path) : NULL;
		html_addf(x->sb, "<fieldset class=\"repeat\" id=\"r_%s\">"
			  "<legend>", it->id);
		if (it->number)
			html_addf(x->sb, "<span class=\"num\">%s.</span> ",
				  it->number);
		html_addf(x->sb, "%s</legend>\n", i18n_get(&it->label, l));
		render_label_parts(x, it, "");
		if (ve)
			html_addf(x->sb, "<p class=\"error\">%s</p>",
				  ve->message);
		for (size_t r = 0; r < rows; r++) {
			html_addf(x->sb, "<fieldset class=\"row\"><legend>%s "
				  "%z</legend>\n", T(x->r, M_ROW), r + 1);
			render_children(x, it, r);
			if (x->editable)
				html_addf(x->sb, "<button type=\"submit\" "
					  "name=\"action\" class=\"secondary\" "
					  "value=\"remove:%s:%z\">%s %z</button>",
					  it->id, r, T(x->r, M_REMOVE_ROW),
					  r + 1);
			html_addf(x->sb, "</fieldset>\n");
		}
		html_addf(x->sb, "<input type=\"hidden\" name=\"%s.rows\" "
			  "value=\"%z\">", it->id, rows);
		if (x->editable)
			html_addf(x->sb, "<button type=\"submit\" name=\"action\" "
				  "class=\"secondary\" value=\"add:%s\">%s"
				  "</button>", it->id, T(x->r, M_ADD_ROW));
		html_addf(x->sb, "</fieldset>\n");
		return;
	}
	default:
		render_question(x, it, row);
	}
}

static bool can_edit(const struct resp_view *v)
{
	return v->camp.state == CAMPAIGN_OPEN ||
	       v->state.status == RESPONSE_REOPENED;
}

static void progress(struct req *r, struct strbuf *sb,
		     const struct resp_view *v)
{
	html_addf(sb, "<p class=\"progress\">");
	if (r->lang == LANG_EN)
		html_addf(sb, "%z of %z answered", v->res->answered,
			  v->res->applicable);
	else
		html_addf(sb, "%z 問中 %z 問回答済み", v->res->applicable,
			  v->res->answered);
	html_addf(sb, " <progress max=\"%z\" value=\"%z\"></progress></p>\n",
		  v->res->applicable ? v->res->applicable : 1,
		  v->res->answered);
}

static void render_form(struct req *r, const struct resp_view *v,
			enum msg flash)
{
	const struct instrument *ins = v->ins;
	struct strbuf *sb = page_begin(r, i18n_get(&ins->title, r->lang));
	struct render x = { r, sb, ins, v, can_edit(v),
			    v->state.revision > 0 };

	html_addf(sb, "<h1>%s</h1>\n<p class=\"meta\">%s &middot; %s %L</p>\n",
		  i18n_get(&ins->title, r->lang), r->sess.who,
		  T(r, M_REVISION), v->state.revision);
	if (!x.editable)
		notice(sb, "closed", T(r, M_CLOSED));
	if (flash != M__MAX)
		notice(sb, flash == M_STALE ? "error" : "ok", T(r, flash));
	if (v->state.status == RESPONSE_SUBMITTED)
		html_addf(sb, "<p class=\"notice ok\"><a href=\"/campaigns/%L/"
			  "receipt%s\">%s</a></p>\n", r->campaign, lang_q(r),
			  T(r, M_RECEIPT));
	progress(r, sb, v);
	if (*i18n_get(&ins->description, r->lang))
		html_addf(sb, "<p>%s</p>\n",
			  i18n_get(&ins->description, r->lang));
	html_addf(sb, "<form method=\"post\" action=\"/campaigns/%L/form%s\" "
		  "novalidate>\n<input type=\"hidden\" name=\"csrf\" "
		  "value=\"%s\"><input type=\"hidden\" name=\"revision\" "
		  "value=\"%L\">\n", r->campaign, lang_q(r), r->sess.csrf,
		  v->state.revision);
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
	page_end(r);
}

void page_form(struct req *r)
{
	struct resp_view v;
	unsigned s;
	const char *flag = req_query(r, "saved");
	const char *stale = req_query(r, "stale");

	if (!own_campaign_page(r))
		return;
	if ((s = resp_load(r, r->sess.who, &v))) {
		reply_error(r, s, "error", "the response cannot be read");
		return;
	}
	render_form(r, &v, stale ? M_STALE : flag ? M_SAVED : M__MAX);
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

void page_form_post(struct req *r)
{
	struct strbuf err = STRBUF_INIT;
	struct store_actor a;
	struct resp_view v;
	const char *val[2], *bad = NULL, *action;
	json_t *answers;
	char *text;
	int64_t base = 0, revision = 0;
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
	if ((s = resp_load(r, r->sess.who, &v))) {
		reply_error(r, s, "error", "the response cannot be read");
		return;
	}
	answers = form_answers(r, v.ins, action);
	text = answers ? json_dumps(answers, JSON_COMPACT) : NULL;
	json_decref(answers);
	resp_view_release(&v);
	if (!text) {
		reply_error(r, 400, "bad_form", T(r, M_BAD_FORM));
		return;
	}
	req_actor(r, &a);
	e = store_response_save(r->st, &a, r->campaign, r->sess.who, text,
				strlen(text), base, &revision, &err);
	free(text);
	strbuf_release(&err);
	if (e == MAMORI_ECONFLICT) {
		redirect_lang(r, "/campaigns/%lld/form", r->campaign,
			      "stale=1");
	} else if (e == MAMORI_ECLOSED) {
		redirect_lang(r, "/campaigns/%lld/form", r->campaign, NULL);
	} else if (e) {
		reply_error(r, 500, "internal", "the answers were not saved");
	} else if (strcmp(action, "review") == 0) {
		redirect_lang(r, "/campaigns/%lld/review", r->campaign, NULL);
	} else {
		redirect_lang(r, "/campaigns/%lld/form", r->campaign,
			      "saved=1");
	}
}

/* ---- review, submit, receipt ------------------------------------------- */

static void review_item(struct render *x, size_t idx, size_t row)
{
	const struct item *it = &x->ins->items[idx];
	enum lang l = x->r->lang;

	if (!validator_relevant(x->v->v, idx, row))
		return;
	if (it->type == ITEM_GROUP || it->type == ITEM_REPEAT) {
		size_t rows = it->type == ITEM_REPEAT
			      ? validator_rows(x->v->v, idx) : 1;
		html_addf(x->sb, "<section><h2>%s</h2>\n",
			  i18n_get(&it->label, l));
		for (size_t r = 0; r < rows; r++) {
			if (it->type == ITEM_REPEAT)
				html_addf(x->sb, "<h3>%s %z</h3>",
					  T(x->r, M_ROW), r + 1);
			html_addf(x->sb, "<dl>");
			for (size_t c = 0; c < it->nchildren; c++)
				review_item(x, it->children[c],
					    it->type == ITEM_REPEAT ? r : row);
			html_addf(x->sb, "</dl>\n");
		}
		html_addf(x->sb, "</section>\n");
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
	html_addf(sb, "<li><a href=\"/campaigns/%L/form%s#q_%s\">%s%s%s",
		  r->campaign, lang_q(r), anchor, it->number ? it->number : "",
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
	if ((s = resp_load(r, r->sess.who, &v))) {
		reply_error(r, s, "error", "the response cannot be read");
		return;
	}
	struct render x = { .r = r, .ins = v.ins, .v = &v };
	sb = page_begin(r, T(r, M_REVIEW));
	x.sb = sb;
	html_addf(sb, "<h1>%s</h1>\n<p class=\"meta\">%s &middot; %s %L</p>\n",
		  i18n_get(&v.ins->title, r->lang), r->sess.who,
		  T(r, M_REVISION), v.state.revision);
	progress(r, sb, &v);
	if (!can_edit(&v))
		notice(sb, "closed", T(r, M_CLOSED));
	if (v.res->nerrors) {
		html_addf(sb, "<div class=\"notice error\" role=\"alert\"><h2>"
			  "%s</h2><ul>", T(r, M_ERRORS));
		for (size_t i = 0; i < v.res->nerrors; i++)
			review_error(r, sb, &v, &v.res->errors[i]);
		html_addf(sb, "</ul><p><a href=\"/campaigns/%L/form%s\">%s"
			  "</a></p></div>\n", r->campaign, lang_q(r),
			  T(r, M_FIX));
	} else {
		notice(sb, "ok", T(r, M_NO_ERRORS));
	}
	render_answers(&x);
	if (can_edit(&v) && v.res->nerrors == 0)
		html_addf(sb, "<form method=\"post\" action=\"/campaigns/%L/"
			  "submit%s\"><input type=\"hidden\" name=\"csrf\" "
			  "value=\"%s\"><input type=\"hidden\" name=\"revision\" "
			  "value=\"%L\"><button type=\"submit\">%s</button>"
			  "</form>\n", r->campaign, lang_q(r), r->sess.csrf,
			  v.state.revision, T(r, M_SUBMIT));
	html_addf(sb, "<p><a href=\"/campaigns/%L/form%s\">%s</a></p>\n",
		  r->campaign, lang_q(r), T(r, M_BACK_TO_FORM));
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
	if ((s = resp_load(r, r->sess.who, &v))) {
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
	e = store_response_submit(r->st, &a, r->campaign, r->sess.who, text,
				  strlen(text), base, &revision, &err);
	free(text);
	strbuf_release(&err);
	if (e == MAMORI_OK)
		redirect_lang(r, "/campaigns/%lld/receipt", r->campaign, NULL);
	else if (e == MAMORI_ECONFLICT)
		redirect_lang(r, "/campaigns/%lld/form", r->campaign,
			      "stale=1");
	else if (e == MAMORI_EINVALID || e == MAMORI_ECLOSED)
		redirect_lang(r, "/campaigns/%lld/review", r->campaign, NULL);
	else
		reply_error(r, 500, "internal", "the response was not submitted");
}

void page_receipt(struct req *r)
{
	struct strbuf err = STRBUF_INIT;
	struct store_response st;
	struct store_revision rev = { 0 };
	struct strbuf *sb;
	char at[40] = "";

	if (!own_campaign_page(r))
		return;
	if (store_response_state(r->st, r->campaign, r->sess.who, &st, &err) ||
	    (st.submitted_revision > 0 &&
	     store_response_get(r->st, r->campaign, r->sess.who,
				st.submitted_revision, &rev, &err))) {
		strbuf_release(&err);
		reply_error(r, 404, "not_found", "no such response");
		return;
	}
	strbuf_release(&err);
	sb = page_begin(r, T(r, M_RECEIPT));
	if (st.submitted_revision == 0) {
		html_addf(sb, "<h1>%s</h1><p>%s</p>", T(r, M_RECEIPT),
			  T(r, M_SUBMIT_FIRST));
	} else {
		store_time_format(rev.at, at, sizeof(at));
		html_addf(sb, "<h1>%s</h1>\n<dl class=\"receipt\"><dt>%s</dt>"
			  "<dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt>"
			  "<dd>%L</dd></dl>\n", T(r, M_RECEIPT),
			  T(r, M_ORG_ID), r->sess.who, T(r, M_SUBMITTED_AT),
			  at, T(r, M_REVISION), st.submitted_revision);
	}
	html_addf(sb, "<p><a href=\"/campaigns/%L/form%s\">%s</a></p>\n",
		  r->campaign, lang_q(r), T(r, M_BACK_TO_FORM));
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
		  "</thead><tbody><tr><th scope=\"row\">&mdash;</th><td>%z"
		  "</td><td>%z</td><td>%z</td><td>%z</td></tr>\n",
		  c.title, campaign_state_name(c.state), T(r, M_DASHBOARD),
		  T(r, M_PREFECTURE), T(r, M_POPULATION), T(r, M_INVITED),
		  T(r, M_DRAFTS), T(r, M_SUBMITTED), cs.population,
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

void page_response_view(struct req *r)
{
	struct resp_view v;
	struct strbuf *sb;
	unsigned s = resp_load(r, r->org, &v);

	if (s) {
		reply_error(r, s, "not_found", "no such response");
		return;
	}
	struct render x = { .r = r, .ins = v.ins, .v = &v };
	sb = page_begin(r, T(r, M_RESPONSE_OF));
	x.sb = sb;
	html_addf(sb, "<h1>%s: %s</h1>\n<p class=\"meta\">%s &middot; %s %L"
		  "</p>\n", T(r, M_RESPONSE_OF), r->org,
		  response_status_name(v.state.status), T(r, M_REVISION),
		  v.state.revision);
	progress(r, sb, &v);
	render_answers(&x);
	page_end(r);
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
