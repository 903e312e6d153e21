/*
 * results.c - a campaign's results on the web: for staff the national
 * summary, one prefecture's tables, the response-rate tile map on the
 * dashboard, and publishing the results; for a respondent, once they are
 * published, its own feedback report. The reports are report/'s
 * (summary.h, feedback.h, tilemap.h): the body of the page they make is
 * set inside the site's frame and their inline stylesheet is left out
 * (the server's CSP allows no inline style; the same rules are in
 * web/static/mamori.css under .report). Must never show an organisation
 * another's report: whose report it is comes from the session, never
 * from the URL.
 */
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "analysis/analysis_store.h"
#include "report/feedback.h"
#include "report/summary.h"
#include "report/tilemap.h"
#include "util/html.h"
#include "util/xalloc.h"
#include "web/rcache.h"
#include "web/web_int.h"
#include "util/banned.h"

enum rword {
	R_RESULTS, R_SUMMARY, R_BY_PREF, R_RATE, R_PICK, R_PUBLISHED,
	R_BY, R_NOT_PUBLISHED, R_PUBLISH, R_UNPUBLISH, R_PUBLISH_HELP,
	R_FEEDBACK, R_NOT_YET, R_NO_RESPONSE, R_NO_ORGS, R_BACK, R_AS_TABLE,
	R_NO_PREF,
	R__MAX
};

static const char *const rwords[R__MAX][LANG__MAX] = {
	[R_RESULTS] = { "結果", "Results" },
	[R_SUMMARY] = { "全国集計", "National summary" },
	[R_BY_PREF] = { "都道府県別の集計", "Results by prefecture" },
	[R_RATE] = { "回答率", "Response rate" },
	[R_PICK] = { "都道府県名を選ぶと、その都道府県の集計を表示します。",
		     "Choose a prefecture to see its tables." },
	[R_PUBLISHED] = { "結果を各機関に公開しています。公開日時：",
			  "The results are published to the organisations. "
			  "Published at " },
	[R_BY] = { "、公開者：", " by " },
	[R_NOT_PUBLISHED] = { "結果はまだ各機関に公開していません。",
			      "The results are not published to the "
			      "organisations." },
	[R_PUBLISH] = { "結果を公開する", "Publish the results" },
	[R_UNPUBLISH] = { "公開を取り下げる", "Withdraw the results" },
	[R_PUBLISH_HELP] = { "公開すると、各機関は自機関のフィードバック報告書"
			     "だけを閲覧できます。",
			     "Once published, each organisation sees its own "
			     "feedback report and no other." },
	[R_FEEDBACK] = { "結果（フィードバック報告書）",
			 "Results (feedback report)" },
	[R_NOT_YET] = { "この調査の結果はまだ公開されていません。",
			"The results of this survey are not published yet." },
	[R_NO_RESPONSE] = { "貴機関の提出済みの回答がないため、報告書は"
			    "ありません。",
			    "Your organisation submitted no response, so "
			    "there is no report." },
	[R_NO_ORGS] = { "この都道府県の機関は調査の対象に含まれていません。",
			"No organisation of this prefecture is in the "
			"campaign." },
	[R_BACK] = { "回答状況に戻る", "Back to the progress page" },
	[R_AS_TABLE] = { "表で見る", "As a table" },
	[R_NO_PREF] = { "都道府県コードが正しくありません。",
			"No such prefecture." },
};

static const char *RW(const struct req *r, enum rword w)
{
	return rwords[w][r->lang];
}

static const char *lang_q(const struct req *r)
{
	return r->lang == LANG_EN ? "?lang=en" : "";
}

static void today(char *buf, size_t len)
{
	time_t now = (time_t)web_now();
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(buf, len, "%Y-%m-%d", &tm);
}

/* See web_int.h. */
bool web_report_body(const struct strbuf *html, const char **p,
		     size_t *len)
{
	static const char open[] = "<body>", close[] = "</body>";
	const char *b = strstr(html->buf, open), *e = NULL;

	if (!b)
		return false;
	b += sizeof(open) - 1;
	for (const char *q = b; (q = strstr(q, close)) != NULL; q++)
		e = q;
	if (!e)
		return false;
	*p = b;
	*len = (size_t)(e - b);
	return true;
}

/* A report inside the site's frame; nav (markup of this file) above it. */
static void report_page(struct req *r, const char *title,
			const struct strbuf *html, const char *cls,
			const struct strbuf *nav)
{
	const char *body;
	size_t len;
	struct strbuf *sb;

	if (!web_report_body(html, &body, &len)) {
		reply_error(r, 500, "internal", "the report could not be made");
		return;
	}
	sb = page_begin(r, title);
	if (nav)
		strbuf_add(sb, nav->buf, nav->len);
	html_addf(sb, "<div class=\"report %s\" lang=\"%s\">", cls,
		  lang_name(r->lang));
	/* markup of the report layer, which escapes every text it holds */
	strbuf_add(sb, body, len);
	html_addf(sb, "</div>\n");
	page_end(r);
}

/* A page with one notice, answered with status. */
static void notice_page(struct req *r, unsigned status, const char *title,
			const char *text, const char *cls)
{
	struct strbuf *sb = page_begin(r, title);

	html_addf(sb, "<h1>%s</h1>\n<p class=\"notice %s\" role=\"status\">%s"
		  "</p>\n", title, cls, text);
	page_end(r);
	r->reply.status = status;
}

static void staff_nav(struct req *r, struct strbuf *nav, bool to_index)
{
	html_addf(nav, "<p class=\"report-nav\"><a href=\"/campaigns/%L/"
		  "dashboard%s\">%s</a>", r->campaign, lang_q(r),
		  RW(r, R_BACK));
	if (to_index)
		html_addf(nav, " &middot; <a href=\"/campaigns/%L/results/"
			  "prefecture%s\">%s</a>", r->campaign, lang_q(r),
			  RW(r, R_BY_PREF));
	else
		html_addf(nav, " &middot; <a href=\"/campaigns/%L/results%s\">"
			  "%s</a>", r->campaign, lang_q(r), RW(r, R_SUMMARY));
	html_addf(nav, "</p>\n");
}

/* The server's cache of analyses, made on first use. */
static struct rcache *cache(struct req *r)
{
	struct rcache *c;

	pthread_mutex_lock(&r->w->lock);
	if (!r->w->rcache)
		r->w->rcache = rcache_new(r->w->db);
	c = r->w->rcache;
	pthread_mutex_unlock(&r->w->lock);
	return c;
}

/*
 * The analysis by prefecture (summary.h's input), from the cache: read
 * only, until rcache_put(*ref); 0 or the status.
 */
static unsigned analyse(struct req *r, const struct instrument **ins,
			const json_t **res, struct rcache_entry **ref)
{
	struct strbuf err = STRBUF_INIT;
	enum mamori_err e = rcache_result(cache(r), r->st, r->campaign, res,
					  ref, &err);

	if (!e &&
	    (e = store_campaign_instrument(r->st, r->campaign, ins, &err))) {
		rcache_put(r->w->rcache, *ref);
		*ref = NULL;
	}
	strbuf_release(&err);
	if (e == MAMORI_ENOENT)
		return 404;
	xcheck_oom((int)e);
	return e ? 500 : 0;
}

/* ---- staff: the national summary, one prefecture ------------------------ */

void page_results(struct req *r)
{
	const struct instrument *ins = NULL;
	struct strbuf html = STRBUF_INIT, nav = STRBUF_INIT;
	const json_t *res = NULL;
	struct rcache_entry *ref = NULL;
	char day[16];
	unsigned s = analyse(r, &ins, &res, &ref);

	if (s) {
		reply_error(r, s, s == 404 ? "not_found" : "internal",
			    s == 404 ? "no such campaign"
				     : "the results could not be computed");
		return;
	}
	today(day, sizeof(day));
	xcheck_oom(summary_html(ins, res, json_string_value(json_object_get(
					       res, "title")),
				r->lang, day, &html));
	staff_nav(r, &nav, true);
	xcheck_oom(nav.err);
	report_page(r, RW(r, R_SUMMARY), &html, "report-summary", &nav);
	strbuf_release(&nav);
	strbuf_release(&html);
	rcache_put(r->w->rcache, ref);
}

/* "01" .. "47" exactly; NULL for anything else. */
static const struct prefecture *pref_arg(const char *code)
{
	const struct prefecture *p;

	if (!code || strlen(code) != 2 || code[0] < '0' || code[0] > '9' ||
	    code[1] < '0' || code[1] > '9')
		return NULL;
	p = prefecture_find(slice_from_cstr(code));
	return p && strcmp(p->code, code) == 0 ? p : NULL;
}

/* The response rate of every prefecture, from the status counts. */
static void rates(const struct store_campaign_status *cs,
		  struct tilemap_value v[PREFECTURE_COUNT])
{
	for (size_t i = 0; i < PREFECTURE_COUNT; i++)
		v[i] = tilemap_ratio(cs->by_pref[i].submitted,
				     cs->by_pref[i].population);
}

/* The tile map of response rates, its table linking to each prefecture. */
static void rate_map(struct req *r, struct strbuf *sb,
		     const struct store_campaign_status *cs)
{
	struct tilemap_value v[PREFECTURE_COUNT];
	char base[96];
	char caption[128];
	struct tilemap_opts o = {
		.caption = caption, .lang = r->lang, .href_base = base,
		.href_end = r->lang == LANG_EN ? "&lang=en" : NULL,
	};

	snprintf(base, sizeof(base), "/campaigns/%lld/results/prefecture?"
		 "pref=", (long long)r->campaign);
	snprintf(caption, sizeof(caption), "%s%s", RW(r, R_RATE),
		 r->lang == LANG_EN ? " by prefecture" : "（都道府県別）");
	rates(cs, v);
	html_addf(sb, "<div class=\"report-map\"><h3>%s</h3>\n", caption);
	xcheck_oom(tilemap_svg(v, &o, sb));
	html_addf(sb, "\n<details><summary>%s</summary>", RW(r, R_AS_TABLE));
	xcheck_oom(tilemap_table(v, &o, sb));
	html_addf(sb, "</details></div>\n");
}

static void prefecture_index(struct req *r)
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
	sb = page_begin(r, RW(r, R_BY_PREF));
	staff_nav(r, sb, false);
	html_addf(sb, "<h1>%s</h1>\n<p class=\"meta\">%s</p>\n<p>%s</p>\n",
		  RW(r, R_BY_PREF), c.title, RW(r, R_PICK));
	rate_map(r, sb, &cs);
	store_campaign_release(&c);
	page_end(r);
}

void page_results_prefecture(struct req *r)
{
	const char *code = req_query(r, "pref");
	const struct prefecture *p;
	const struct instrument *ins = NULL;
	struct strbuf html = STRBUF_INIT, nav = STRBUF_INIT;
	const json_t *res = NULL;
	json_t *g = NULL;
	struct rcache_entry *ref = NULL;
	char day[16];
	unsigned s;

	if (!code) {
		prefecture_index(r);
		return;
	}
	if (!(p = pref_arg(code))) {
		reply_error(r, 404, "not_found", RW(r, R_NO_PREF));
		return;
	}
	if ((s = analyse(r, &ins, &res, &ref))) {
		reply_error(r, s, s == 404 ? "not_found" : "internal",
			    s == 404 ? "no such campaign"
				     : "the results could not be computed");
		return;
	}
	staff_nav(r, &nav, true);
	xcheck_oom(nav.err);
	g = json_object_get(json_object_get(res, "groups"), p->code);
	if (!g) {
		struct strbuf *sb = page_begin(r, RW(r, R_BY_PREF));
		strbuf_add(sb, nav.buf, nav.len);
		html_addf(sb, "<h1>%s</h1>\n<p class=\"notice closed\" "
			  "role=\"status\">%s</p>\n",
			  r->lang == LANG_EN ? p->en : p->ja,
			  RW(r, R_NO_ORGS));
		page_end(r);
		goto out;
	}
	/* the engine's group, named for summary.h's heading: a copy, as the
	 * cached result is only read */
	if (!(g = json_copy(g)) ||
	    json_object_set_new(g, "prefecture", json_string(p->code)))
		xcheck_oom(MAMORI_ENOMEM);
	today(day, sizeof(day));
	xcheck_oom(summary_html(ins, g, json_string_value(json_object_get(
					     res, "title")),
				r->lang, day, &html));
	report_page(r, r->lang == LANG_EN ? p->en : p->ja, &html,
		    "report-summary", &nav);
	json_decref(g);
out:
	strbuf_release(&nav);
	strbuf_release(&html);
	rcache_put(r->w->rcache, ref);
}

/* ---- staff: the dashboard's results section, publishing ------------------ */

void results_dashboard(struct req *r, struct strbuf *sb,
		       const struct store_campaign_status *cs)
{
	struct strbuf err = STRBUF_INIT, by = STRBUF_INIT;
	int64_t at = 0;
	char when[40];

	html_addf(sb, "<section class=\"results\" aria-labelledby=\"results-h\">"
		  "<h2 id=\"results-h\">%s</h2>\n<p><a class=\"button\" "
		  "href=\"/campaigns/%L/results%s\">%s</a><a class=\"button\" "
		  "href=\"/campaigns/%L/results/prefecture%s\">%s</a></p>\n",
		  RW(r, R_RESULTS), r->campaign, lang_q(r), RW(r, R_SUMMARY),
		  r->campaign, lang_q(r), RW(r, R_BY_PREF));
	if (store_campaign_published(r->st, r->campaign, &at, &by, &err) ==
	    MAMORI_OK) {
		if (at)
			html_addf(sb, "<p class=\"notice ok\" role=\"status\">"
				  "%s%s%s%s</p>\n", RW(r, R_PUBLISHED),
				  store_time_format(at, when, sizeof(when)),
				  RW(r, R_BY), by.buf);
		else
			html_addf(sb, "<p class=\"notice closed\" role="
				  "\"status\">%s</p>\n",
				  RW(r, R_NOT_PUBLISHED));
		html_addf(sb, "<form method=\"post\" action=\"/campaigns/%L/"
			  "%s%s\"><input type=\"hidden\" name=\"csrf\" "
			  "value=\"%s\"><p class=\"hint\">%s</p><button%s>%s"
			  "</button></form>\n", r->campaign,
			  at ? "unpublish" : "publish", lang_q(r),
			  r->sess.csrf, RW(r, R_PUBLISH_HELP),
			  at ? " class=\"secondary\"" : "",
			  RW(r, at ? R_UNPUBLISH : R_PUBLISH));
	}
	strbuf_release(&by);
	strbuf_release(&err);
	rate_map(r, sb, cs);
	html_addf(sb, "</section>\n");
}

static void set_published(struct req *r, bool publish)
{
	struct strbuf err = STRBUF_INIT;
	struct store_actor a;
	char to[96];
	enum mamori_err e;

	req_actor(r, &a);
	e = store_campaign_publish(r->st, &a, r->campaign, publish, &err);
	strbuf_release(&err);
	if (e == MAMORI_ENOENT) {
		reply_error(r, 404, "not_found", "no such campaign");
		return;
	}
	if (e) {
		reply_error(r, 500, "internal", "the change was not saved");
		return;
	}
	snprintf(to, sizeof(to), "/campaigns/%lld/dashboard%s",
		 (long long)r->campaign, lang_q(r));
	reply_redirect(r, to);
}

void page_results_publish(struct req *r)
{
	set_published(r, true);
}

void page_results_unpublish(struct req *r)
{
	set_published(r, false);
}

/* ---- respondents: its own feedback report ------------------------------ */

void results_link(struct req *r, struct strbuf *sb, int64_t campaign)
{
	int64_t at = 0;

	if (store_campaign_published(r->st, campaign, &at, NULL, NULL) ||
	    !at)
		return;
	html_addf(sb, "<p><a href=\"/campaigns/%L/feedback%s\">%s</a></p>",
		  campaign, lang_q(r), RW(r, R_RESULTS));
}

/* The newest submitted report: the highest number with a submission. */
static int latest_submitted(void *ud, int64_t number,
			    const struct store_response *rs)
{
	int64_t *v = ud;

	if (number > 0 && rs->submitted_revision > 0) {
		v[0] = number;
		v[1] = rs->submitted_revision;
	}
	return 0;
}

/*
 * The organisation's attributes and the answers of revision of its
 * response number, as store_campaign_iterate() hands them to a feedback
 * set. Caller json_decref()s both.
 */
static enum mamori_err own_answers(struct req *r, int64_t number,
				   int64_t revision, json_t **org,
				   json_t **answers, struct strbuf *err)
{
	struct store_revision rev;
	const char *text;
	enum mamori_err e;

	*answers = NULL;
	if ((e = store_org_get(r->st, r->sess.who, org, err)) ||
	    (e = store_response_get_form(r->st, r->campaign, r->sess.who,
					 number, revision, &rev, err)))
		return e;
	text = rev.normalised ? rev.normalised : rev.body;
	if (!text || !(*answers = json_loads(text, 0, NULL)))
		e = MAMORI_EINVAL;
	store_revision_release(&rev);
	return e;
}

void page_feedback(struct req *r)
{
	struct strbuf err = STRBUF_INIT, html = STRBUF_INIT;
	const struct feedback_set *cset = NULL;
	struct rcache_entry *ref = NULL;
	struct store_campaign camp = { 0 };
	json_t *org = NULL, *answers = NULL;
	int64_t at = 0, counted[2] = { 0, 0 };	/* number, revision */
	enum mamori_err e;
	char day[16];

	/* the campaign the session's code admits, the session's own
	 * organisation: nothing here comes from the URL but the campaign,
	 * and another campaign is as absent as one that does not exist */
	if (r->sess.role != ROLE_RESPONDENT ||
	    r->sess.campaign != r->campaign) {
		reply_error(r, 404, "not_found", "no such survey");
		return;
	}
	e = store_campaign_published(r->st, r->campaign, &at, NULL, &err);
	if (e == MAMORI_ENOENT || (!e && !at)) {
		notice_page(r, 404, RW(r, R_FEEDBACK), RW(r, R_NOT_YET),
			    "closed");
		goto out;
	}
	if (!e)
		e = store_campaign_get(r->st, r->campaign, &camp, &err);
	if (!e && camp.repeatable) {
		/* its latest submitted report, as a feedback set picks it */
		e = store_response_forms(r->st, r->campaign, r->sess.who,
					 latest_submitted, counted, &err);
	} else if (!e) {
		struct store_response rs;
		e = store_response_state(r->st, r->campaign, r->sess.who, &rs,
					 &err);
		counted[1] = e ? 0 : rs.submitted_revision;
	}
	/* nothing submitted: say so before reading the campaign */
	if (!e && counted[1] == 0)
		e = MAMORI_ENOENT;
	/* its own answers against the campaign's cached analyses */
	if (!e)
		e = own_answers(r, counted[0], counted[1], &org, &answers,
				&err);
	if (!e)
		e = rcache_feedback(cache(r), r->st, r->campaign, &cset, &ref,
				    &err);
	if (e == MAMORI_ENOENT) {
		notice_page(r, 404, RW(r, R_FEEDBACK), RW(r, R_NO_RESPONSE),
			    "closed");
		goto out;
	}
	if (e) {
		xcheck_oom((int)e);
		reply_error(r, 500, "internal", "the report could not be made");
		goto out;
	}
	today(day, sizeof(day));
	xcheck_oom(feedback_set_render_org(cset, org, answers, r->lang, day,
					   &html));
	report_page(r, RW(r, R_FEEDBACK), &html, "report-feedback", NULL);
out:
	rcache_put(r->w->rcache, ref);
	json_decref(answers);
	json_decref(org);
	store_campaign_release(&camp);
	strbuf_release(&html);
	strbuf_release(&err);
}
