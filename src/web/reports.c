/*
 * reports.c - more than one response per organisation on the web
 * (docs/api.md, "Reports and vendor forms"): in a repeatable campaign an
 * organisation's reports, numbered 1, 2, ...; in a campaign with a form
 * instrument its additional (vendor) forms beside its main response.
 * The list on the campaigns page with "new", the numbered response's
 * form, review, submission and receipt (pages.c's handlers, given the
 * number), their JSON API, and the regulator's read-only view with each
 * response's revisions. Must never reach another organisation's
 * response: a respondent's organisation is always its session's, and a
 * number it has not created is not found.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "util/html.h"
#include "util/num.h"
#include "web/web_int.h"
#include "util/banned.h"

/* ---- words --------------------------------------------------------------- */

enum rmsg {
	R_REPORTS, R_REPORTS_HELP, R_FORMS, R_FORMS_HELP, R_REPORT, R_FORM,
	R_NEW_REPORT, R_NEW_FORM, R_NUMBER, R_STATE, R_UPDATED, R_OPEN,
	R_NONE_YET, R_HISTORY, R_KIND, R_VALID, R_WHO, R_AT, R_YES, R_NO,
	R_BACK, R_MAIN, R_CLOSED, R_REPORTS_OF, R_OTHERS, R_RETURN,
	R_RETURN_HELP, R_RETURN_BUTTON,
	R__MAX
};

static const char *const rmsgs[R__MAX][LANG__MAX] = {
	[R_REPORTS] = { "報告一覧", "Reports" },
	[R_REPORTS_HELP] = { "報告ごとに「新しい報告を作成」から作成し、提出してください。提出した報告も、受付中は修正して再提出できます。",
			     "Create each report with \"New report\" and submit it. A submitted report may be corrected and submitted again while the survey is open." },
	[R_FORMS] = { "委託先様式", "Vendor forms" },
	[R_FORMS_HELP] = { "契約している委託先ごとに様式を1件追加し、提出してください。",
			   "Add and submit one form per contracted vendor." },
	[R_REPORT] = { "報告", "Report" },
	[R_FORM] = { "委託先様式", "Vendor form" },
	[R_NEW_REPORT] = { "新しい報告を作成", "New report" },
	[R_NEW_FORM] = { "委託先様式を追加", "Add a vendor form" },
	[R_NUMBER] = { "番号", "No." },
	[R_STATE] = { "状態", "State" },
	[R_UPDATED] = { "最終保存・提出", "Last saved or submitted" },
	[R_OPEN] = { "開く", "Open" },
	[R_NONE_YET] = { "まだありません。", "None yet." },
	[R_HISTORY] = { "版の履歴", "Revisions" },
	[R_KIND] = { "種別", "Kind" },
	[R_VALID] = { "検証", "Valid" },
	[R_WHO] = { "操作者", "By" },
	[R_AT] = { "日時", "At" },
	[R_YES] = { "適合", "yes" },
	[R_NO] = { "不適合", "no" },
	[R_BACK] = { "調査一覧に戻る", "Back to the surveys" },
	[R_MAIN] = { "施設の様式", "Facility form" },
	[R_CLOSED] = { "この調査は回答期間外のため、作成できません。",
		       "This survey is closed: nothing can be created." },
	[R_REPORTS_OF] = { "報告", "Reports" },
	[R_OTHERS] = { "この機関の回答", "This organisation's responses" },
	[R_RETURN] = { "差し戻し", "Return for correction" },
	[R_RETURN_HELP] = { "差し戻すと、この機関は回答期間の終了後であっても回答を修正して再提出できます。再提出されるまでは、提出済みの回答が集計に使われます。",
			    "Once returned, the organisation can change its answers and submit them again, even after the survey has closed. Until then its submitted answers are the ones counted." },
	[R_RETURN_BUTTON] = { "この回答を差し戻す", "Return this response" },
};

static const char *const kind_words[REV__MAX][LANG__MAX] = {
	[REV_DRAFT] = { "一時保存", "draft" },
	[REV_SUBMIT] = { "提出", "submission" },
	[REV_REOPEN] = { "差し戻し", "reopened" },
};

static const char *RT(const struct req *r, enum rmsg m)
{
	return rmsgs[m][r->lang];
}

/* "Report" or "Vendor form", as the campaign numbers its responses. */
static const char *one_word(const struct req *r,
			    const struct store_campaign *c)
{
	return RT(r, c->repeatable ? R_REPORT : R_FORM);
}

/* ---- URLs ---------------------------------------------------------------- */

/* base, then number=N (when not 0), lang=en and extra as the query; in
 * the request's arena. */
static const char *url_of(struct req *r, const char *base, int64_t number,
			  const char *extra)
{
	struct strbuf sb = STRBUF_INIT;
	char sep = '?';
	const char *out;

	strbuf_addstr(&sb, base);
	if (number) {
		strbuf_addf(&sb, "?number=%lld", (long long)number);
		sep = '&';
	}
	if (r->lang == LANG_EN) {
		strbuf_addch(&sb, sep);
		strbuf_addstr(&sb, "lang=en");
		sep = '&';
	}
	if (extra) {
		strbuf_addch(&sb, sep);
		strbuf_addstr(&sb, extra);
	}
	out = sb.err ? NULL : arena_strdup(&r->arena, sb.buf);
	strbuf_release(&sb);
	return out ? out : "/";
}

const char *resp_url(struct req *r, const char *page, const char *extra)
{
	char base[160];

	snprintf(base, sizeof(base), r->number ? "/campaigns/%lld/reports/%s"
					       : "/campaigns/%lld/%s",
		 (long long)r->campaign, page);
	return url_of(r, base, r->number, extra);
}

const char *resp_numq(struct req *r)
{
	char buf[40];
	const char *out;

	if (!r->number)
		return "";
	snprintf(buf, sizeof(buf), "number=%lld&", (long long)r->number);
	out = arena_strdup(&r->arena, buf);
	return out ? out : "";
}

/* ---- the number ---------------------------------------------------------- */

/* r->number from ?number=N (1 or more), or a 404 reply and false. */
static bool report_number(struct req *r)
{
	const char *q = req_query(r, "number");
	int64_t n;

	if (!q || strlen(q) > 18 || !field_valid(FIELD_INT, q, strlen(q)) ||
	    num_parse_range(slice_from_cstr(q), 1, INT64_MAX, &n)) {
		reply_error(r, 404, "not_found", "no such report or form");
		return false;
	}
	r->number = n;
	return true;
}

enum mamori_err resp_put_form(struct req *r, bool submit, const char *json,
			      size_t len, int64_t base, int64_t *revision,
			      struct strbuf *err)
{
	struct store_actor a;
	int64_t n = r->number;

	enum mamori_err e;

	if (n < 1)
		return MAMORI_EINVAL;
	req_actor(r, &a);
	e = store_response_put_form(r->st, &a, r->campaign, r->sess.who, &n,
				    submit, json, len, base, revision, err);
	/* a campaign of one response per organisation has no number n */
	return e == MAMORI_EINVAL ? MAMORI_ENOENT : e;
}

/* A new response of the signed-in organisation (answers: JSON text),
 * its number in r->number. */
static enum mamori_err create(struct req *r, const char *json,
			      struct strbuf *err)
{
	struct store_actor a;
	int64_t n = STORE_FORM_NEW, revision = 0;
	enum mamori_err e;

	req_actor(r, &a);
	e = store_response_put_form(r->st, &a, r->campaign, r->sess.who, &n,
				    false, json, strlen(json), 0, &revision,
				    err);
	if (!e)
		r->number = n;
	return e;
}

/* ---- the respondent's pages ---------------------------------------------- */

void report_new(struct req *r)
{
	struct strbuf err = STRBUF_INIT;
	enum mamori_err e;

	if (!own_campaign(r))
		return;
	e = create(r, "{}", &err);
	if (e == MAMORI_OK)
		reply_redirect(r, resp_url(r, "form", NULL));
	else if (e == MAMORI_EINVAL || e == MAMORI_ENOENT)
		reply_error(r, 404, "not_found",
			    "this survey takes one response per organisation");
	else if (e == MAMORI_ECLOSED)
		reply_error(r, 409, "closed", RT(r, R_CLOSED));
	else
		reply_error(r, 500, "internal", "nothing was created");
	strbuf_release(&err);
}

void report_form(struct req *r)
{
	if (report_number(r))
		page_form(r);
}

void report_form_post(struct req *r)
{
	if (report_number(r))
		page_form_post(r);
}

void report_form_check(struct req *r)
{
	r->api = true;	/* the script's JSON, errors included */
	if (report_number(r))
		page_form_check(r);
}

void report_review(struct req *r)
{
	if (report_number(r))
		page_review(r);
}

void report_submit(struct req *r)
{
	if (report_number(r))
		page_submit(r);
}

void report_receipt(struct req *r)
{
	if (report_number(r))
		page_receipt(r);
}

void report_meta(struct req *r, struct strbuf *sb,
		 const struct store_campaign *c)
{
	struct strbuf err = STRBUF_INIT;
	struct store_campaign own = { 0 };

	if (!r->number)
		return;
	if (!c) {	/* the page has not read it */
		if (store_campaign_get(r->st, r->campaign, &own, &err) == 0)
			c = &own;
		strbuf_release(&err);
	}
	html_addf(sb, "<p class=\"meta\"><strong>%s %L</strong>",
		  c ? one_word(r, c) : RT(r, R_NUMBER), r->number);
	store_campaign_release(&own);
	if (r->sess.role == ROLE_RESPONDENT)
		html_addf(sb, " &middot; <a href=\"%s\">%s</a>",
			  url_of(r, "/campaigns", 0, NULL), RT(r, R_BACK));
	html_addf(sb, "</p>\n");
}

/* ---- lists --------------------------------------------------------------- */

struct list_ctx {
	struct req *r;
	const char *org;	/* staff's links to it; NULL: the respondent */
	struct strbuf rows;	/* HTML, when a is NULL */
	json_t *a;		/* the API's list */
	bool main_too;		/* list number 0 as well */
	size_t n;
};

static int list_row(void *ud, int64_t number, const struct store_response *st)
{
	struct list_ctx *x = ud;
	struct req *r = x->r;
	char base[200];
	char at[40];

	if (number == 0 && !x->main_too)
		return 0;
	x->n++;
	if (x->a) {
		json_t *o = json_pack("{s:I,s:s,s:I,s:I}",
			"number", (json_int_t)number,
			"state", response_status_name(st->status),
			"revision", (json_int_t)st->revision,
			"submitted_revision",
			(json_int_t)st->submitted_revision);
		if (o && st->updated_at > 0) {
			store_time_format(st->updated_at, at, sizeof(at));
			json_object_set_new(o, "updated_at", json_string(at));
		}
		json_array_append_new(x->a, o);
		return 0;
	}
	if (x->org)
		snprintf(base, sizeof(base), number
			 ? "/campaigns/%lld/responses/%s/reports"
			 : "/campaigns/%lld/responses/%s",
			 (long long)r->campaign, x->org);
	else
		snprintf(base, sizeof(base), "/campaigns/%lld/reports/form",
			 (long long)r->campaign);
	if (number == r->number && x->org)	/* the one shown above */
		html_addf(&x->rows, "<tr class=\"current\"><th scope=\"row\">");
	else
		html_addf(&x->rows, "<tr><th scope=\"row\">");
	if (number)
		html_addf(&x->rows, "%L", number);
	else
		html_addf(&x->rows, "%s", RT(r, R_MAIN));
	html_addf(&x->rows, "</th><td>%s</td><td>",
		  status_word(r, st->status));
	if (st->updated_at > 0)
		time_element(r, &x->rows, st->updated_at);
	html_addf(&x->rows, "</td><td><a href=\"%s\">%s</a></td></tr>\n",
		  url_of(r, base, number, NULL), RT(r, R_OPEN));
	return 0;
}

/* The table of org's numbered responses (with number 0 when main_too),
 * or "none yet", into sb; the store's error when they cannot be read. */
static enum mamori_err list_table(struct req *r, struct strbuf *sb,
				  const char *org, bool staff, bool main_too,
				  const char *caption)
{
	struct strbuf err = STRBUF_INIT;
	struct list_ctx x = { r, staff ? org : NULL, STRBUF_INIT, NULL,
			      main_too, 0 };
	enum mamori_err e;

	e = store_response_forms(r->st, r->campaign, org, list_row, &x, &err);
	if (e)
		fprintf(stderr, "mamori: %s: listing responses: %s\n", r->path,
			err.len ? err.buf : mamori_strerror(e));
	else if (x.rows.err)
		e = x.rows.err;
	else if (x.n == 0)
		html_addf(sb, "<p>%s</p>\n", RT(r, R_NONE_YET));
	else {
		html_addf(sb, "<table class=\"reports\">");
		/* none where a heading right above names the table */
		if (caption)
			html_addf(sb, "<caption>%s</caption>", caption);
		html_addf(sb, "<thead><tr><th scope=\"col\">%s</th>"
			  "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			  "<th scope=\"col\">"
			  "<span class=\"visually-hidden\">%s</span></th></tr>"
			  "</thead><tbody>\n", RT(r, R_NUMBER),
			  RT(r, R_STATE), RT(r, R_UPDATED), RT(r, R_OPEN));
		strbuf_add(sb, x.rows.buf, x.rows.len);
		html_addf(sb, "</tbody></table>\n");
	}
	strbuf_release(&x.rows);
	strbuf_release(&err);
	return e;
}

void reports_section(struct req *r, struct strbuf *sb,
		     const struct store_campaign *c)
{
	int64_t campaign = r->campaign;
	bool reports = c->repeatable;

	if (!c->repeatable && !c->form_instrument_id)
		return;
	r->campaign = c->id;	/* the campaigns page binds none */
	html_addf(sb, "<section class=\"reports\" aria-labelledby=\"reports-"
		  "%L\"><h3 id=\"reports-%L\">%s</h3><p>%s</p>\n", c->id, c->id,
		  RT(r, reports ? R_REPORTS : R_FORMS),
		  RT(r, reports ? R_REPORTS_HELP : R_FORMS_HELP));
	if (list_table(r, sb, r->sess.who, false, false, NULL))
		html_addf(sb, "<p class=\"notice error\">%s</p>\n",
			  r->lang == LANG_EN ? "The list cannot be read."
					     : "一覧を読み込めませんでした。");
	if (c->state == CAMPAIGN_OPEN) {
		char base[80];
		snprintf(base, sizeof(base), "/campaigns/%lld/reports",
			 (long long)c->id);
		html_addf(sb, "<form method=\"post\" action=\"%s\"><input "
			  "type=\"hidden\" name=\"csrf\" value=\"%s\"><button "
			  "type=\"submit\">%s</button></form>\n",
			  url_of(r, base, 0, NULL), r->sess.csrf,
			  RT(r, reports ? R_NEW_REPORT : R_NEW_FORM));
	}
	html_addf(sb, "</section>\n");
	r->campaign = campaign;
}

/* ---- the regulator's view ------------------------------------------------ */

bool reports_staff_only(struct req *r)
{
	struct strbuf err = STRBUF_INIT;
	struct store_campaign c = { 0 };
	struct strbuf *sb;
	enum mamori_err e;

	if (r->number)
		return false;
	if ((e = store_campaign_get(r->st, r->campaign, &c, &err)) ||
	    !c.repeatable) {
		store_campaign_release(&c);
		strbuf_release(&err);
		return false;	/* the response's view says what is wrong */
	}
	strbuf_release(&err);
	sb = page_begin(r, RT(r, R_REPORTS_OF));
	html_addf(sb, "<h1>%s: %s</h1>\n<p class=\"meta\">%s</p>\n",
		  RT(r, R_REPORTS_OF), r->org, c.title);
	e = list_table(r, sb, r->org, true, false, RT(r, R_REPORTS));
	store_campaign_release(&c);
	if (e == MAMORI_ENOENT)
		reply_error(r, 404, "not_found", "no such response");
	else if (e)
		reply_error(r, 500, "internal", "cannot list the reports");
	else
		page_end(r);
	return true;
}

struct hist_ctx {
	struct req *r;
	struct strbuf *sb;
	json_t *a;		/* the API's list; NULL: HTML rows */
};

static int hist_row(void *ud, const struct store_revision *rev)
{
	struct hist_ctx *x = ud;
	struct req *r = x->r;
	const char *kind = (unsigned)rev->kind < REV__MAX
			   ? kind_words[rev->kind][r->lang] : "?";
	char at[40];

	if (x->a) {
		store_time_format(rev->at, at, sizeof(at));
		json_array_append_new(x->a, json_pack("{s:I,s:s,s:b,s:s,s:s}",
			"revision", (json_int_t)rev->revision,
			"kind", revision_kind_name(rev->kind),
			"valid", rev->valid, "by", rev->who ? rev->who : "",
			"at", at));
		return 0;
	}
	html_addf(x->sb, "<tr><th scope=\"row\">%L</th><td>%s</td><td>%s</td>"
		  "<td>%s</td><td>", rev->revision, kind,
		  RT(r, rev->valid ? R_YES : R_NO), rev->who);
	time_element(r, x->sb, rev->at);
	html_addf(x->sb, "</td></tr>\n");
	return 0;
}

void reports_staff_after(struct req *r, struct strbuf *sb,
			 const struct resp_view *v)
{
	struct strbuf err = STRBUF_INIT;
	struct hist_ctx h = { r, sb, NULL };
	enum mamori_err e;

	html_addf(sb, "<section class=\"history\"><h2>%s</h2><table><thead>"
		  "<tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		  "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		  "<th scope=\"col\">%s</th></tr></thead><tbody>\n",
		  RT(r, R_HISTORY), "#", RT(r, R_KIND), RT(r, R_VALID),
		  RT(r, R_WHO), RT(r, R_AT));
	e = store_response_history_form(r->st, r->campaign, r->org,
					v->number, hist_row, &h, &err);
	html_addf(sb, "</tbody></table></section>\n");
	if (e)
		fprintf(stderr, "mamori: %s: revisions: %s\n", r->path,
			err.len ? err.buf : mamori_strerror(e));
	strbuf_release(&err);
	if (v->state.status == RESPONSE_SUBMITTED) {
		char base[160];
		snprintf(base, sizeof(base), "/campaigns/%lld/responses/%s/reopen",
			 (long long)r->campaign, r->org);
		html_addf(sb, "<section class=\"reopen\"><h2>%s</h2><form "
			  "method=\"post\" action=\"%s\"><input type=\"hidden\" "
			  "name=\"csrf\" value=\"%s\"><p class=\"hint\">%s</p>"
			  "<button class=\"secondary\">%s</button></form>"
			  "</section>\n", RT(r, R_RETURN),
			  url_of(r, base, v->number, NULL), r->sess.csrf,
			  RT(r, R_RETURN_HELP), RT(r, R_RETURN_BUTTON));
	}
	if (!v->camp.repeatable && !v->camp.form_instrument_id)
		return;
	html_addf(sb, "<section class=\"reports\"><h2>%s</h2>\n",
		  RT(r, R_OTHERS));
	list_table(r, sb, r->org, true, !v->camp.repeatable,
		   RT(r, v->camp.repeatable ? R_REPORTS : R_FORMS));
	html_addf(sb, "</section>\n");
}

void report_view(struct req *r)
{
	if (report_number(r))
		page_response_view(r);
}

/* ---- the regulator returns a submitted response --------------------------- */

/*
 * Reopen response r->number (0 without ?number=) of r->org: 0 and its
 * new revision in *revision; 1 when a bad number was answered already;
 * else the status the caller answers with (404 no such response, 409
 * not submitted, 500).
 */
static unsigned reopen(struct req *r, int64_t *revision)
{
	struct strbuf err = STRBUF_INIT;
	struct store_response st;
	struct store_actor a;
	enum mamori_err e;

	r->number = 0;
	if (req_query(r, "number") && !report_number(r))
		return 1;
	e = store_response_state_form(r->st, r->campaign, r->org, r->number,
				      &st, &err);
	/* a number not created is no response; number 0 always is one */
	if (e == MAMORI_ENOENT || e == MAMORI_EINVAL ||
	    (!e && r->number && st.status == RESPONSE_NONE)) {
		strbuf_release(&err);
		return 404;
	}
	if (!e && st.status != RESPONSE_SUBMITTED) {
		strbuf_release(&err);
		return 409;
	}
	if (!e) {
		req_actor(r, &a);
		e = store_response_reopen_form(r->st, &a, r->campaign, r->org,
					       r->number, revision, &err);
	}
	if (e)
		fprintf(stderr, "mamori: %s: reopen: %s\n", r->path,
			err.len ? err.buf : mamori_strerror(e));
	strbuf_release(&err);
	return e == MAMORI_EINVAL ? 409 : e == MAMORI_ENOENT ? 404 : e ? 500
									 : 0;
}

static void reopen_failed(struct req *r, unsigned s)
{
	if (s == 1)
		return;
	if (s == 404)
		reply_error(r, 404, "not_found", "no such response");
	else if (s == 409)
		reply_error(r, 409, "conflict",
			    "only a submitted response can be returned");
	else
		reply_error(r, 500, "internal", "the change was not saved");
}

/* The form on the regulator's view: back to that view, now "reopened". */
void report_reopen(struct req *r)
{
	char base[160];
	int64_t rev = 0;
	unsigned s = reopen(r, &rev);

	if (s) {
		reopen_failed(r, s);
		return;
	}
	snprintf(base, sizeof(base), r->number
		 ? "/campaigns/%lld/responses/%s/reports"
		 : "/campaigns/%lld/responses/%s",
		 (long long)r->campaign, r->org);
	reply_redirect(r, url_of(r, base, r->number, NULL));
}

/* {"campaign", "organisation", "number", "state": "reopened",
 * "revision"} */
void api_reopen(struct req *r)
{
	int64_t rev = 0;
	unsigned s = reopen(r, &rev);

	if (s) {
		reopen_failed(r, s);
		return;
	}
	reply_json(r, 200, json_pack("{s:I,s:s,s:I,s:s,s:I}",
		"campaign", (json_int_t)r->campaign, "organisation", r->org,
		"number", (json_int_t)r->number, "state",
		response_status_name(RESPONSE_REOPENED),
		"revision", (json_int_t)rev));
}

/* ---- the JSON API -------------------------------------------------------- */

/* {"campaign", "kind", "reports": [...]}: org's numbered responses. */
static void reply_list(struct req *r, const char *org)
{
	struct strbuf err = STRBUF_INIT;
	struct store_campaign c = { 0 };
	struct list_ctx x = { r, org, STRBUF_INIT, json_array(), false, 0 };
	enum mamori_err e = store_campaign_get(r->st, r->campaign, &c, &err);

	if (!e && !c.repeatable && !c.form_instrument_id)
		e = MAMORI_EINVAL;
	if (!e)
		e = store_response_forms(r->st, r->campaign, org, list_row, &x,
					 &err);
	if (e == MAMORI_ENOENT || e == MAMORI_EINVAL)
		reply_error(r, 404, "not_found", e == MAMORI_EINVAL
			    ? "one response per organisation in this campaign"
			    : "no such campaign or organisation");
	else if (e || !x.a)
		reply_error(r, 500, "internal", "cannot list the responses");
	else
		reply_json(r, 200, json_pack("{s:I,s:s,s:s,s:O}",
			"campaign", (json_int_t)r->campaign,
			"organisation", org,
			"kind", c.repeatable ? "report" : "form",
			"reports", x.a));
	json_decref(x.a);
	store_campaign_release(&c);
	strbuf_release(&err);
}

void api_reports_get(struct req *r)
{
	if (!own_campaign(r))
		return;
	if (!req_query(r, "number"))
		reply_list(r, r->sess.who);
	else if (report_number(r))
		api_response_get(r);
}

void api_reports_put(struct req *r)
{
	if (report_number(r))
		api_response_put(r);
}

void api_reports_submit(struct req *r)
{
	if (report_number(r))
		api_response_submit(r);
}

void api_reports_check(struct req *r)
{
	if (report_number(r))
		api_response_check(r);
}

/* Optional {"revision": 0, "answers": {...}}: a new response, 201 with
 * it as GET gives it. */
void api_reports_create(struct req *r)
{
	struct strbuf err = STRBUF_INIT;
	struct resp_view v;
	json_t *j, *answers = NULL;
	int64_t base = 0;
	char *text = NULL;
	unsigned s;
	enum mamori_err e;

	if (!own_campaign(r) || !(j = body_object(r, true)))
		return;
	if (json_object_size(j) &&
	    !read_save_body(r, j, false, &base, &answers))
		goto out;
	if (base != 0) {
		reply_error(r, 400, "bad_request",
			    "revision: 0 for a new response");
		goto out;
	}
	if (answers && !(text = json_dumps(answers, JSON_COMPACT))) {
		reply_error(r, 500, "internal", "out of memory");
		goto out;
	}
	e = create(r, text ? text : "{}", &err);
	if (e == MAMORI_EINVAL || e == MAMORI_ENOENT)
		reply_error(r, 404, "not_found",
			    "this campaign takes one response per organisation");
	else if (e)
		store_refusal(r, e, &err);
	else if ((s = resp_load_form(r, r->sess.who, r->number, &v)))
		reply_error(r, s, "internal", "created, but cannot read it");
	else {
		reply_json(r, 201, view_json(r, &v, NULL));
		resp_view_release(&v);
	}
out:
	free(text);
	json_decref(j);
	strbuf_release(&err);
}

/* The regulator: an organisation's list, or ?number=N with its
 * revisions. */
void api_reports_org(struct req *r)
{
	struct strbuf err = STRBUF_INIT;
	struct resp_view v;
	struct hist_ctx h = { r, NULL, NULL };
	json_t *j;
	unsigned s;
	enum mamori_err e;

	if (!req_query(r, "number")) {
		reply_list(r, r->org);
		return;
	}
	if (!report_number(r))
		return;
	if ((s = resp_load_form(r, r->org, r->number, &v))) {
		reply_error(r, s, s == 404 ? "not_found" : "internal",
			    s == 404 ? "no such response" : "cannot read it");
		return;
	}
	j = view_json(r, &v, r->org);
	h.a = json_array();
	e = store_response_history_form(r->st, r->campaign, r->org, r->number,
					hist_row, &h, &err);
	if (e || !j || !h.a) {
		json_decref(j);
		json_decref(h.a);
		reply_error(r, 500, "internal", "cannot read the revisions");
	} else {
		json_object_set_new(j, "history", h.a);
		reply_json(r, 200, j);
	}
	resp_view_release(&v);
	strbuf_release(&err);
}
