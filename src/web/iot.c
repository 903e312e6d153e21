/*
 * iot.c - the IoT-SSF page (/iot): a signed-in organisation or regulator
 * pastes a system model; the iotssf layer loads it against the server's
 * catalogue and either lists every located problem next to the text or
 * renders the assessment, which the page embeds. Stateless: the model is
 * never stored, logged or audited. Must never hold assessment logic or
 * write report markup of its own (src/iotssf/ does both).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iotssf/iotssf.h"
#include "util/html.h"
#include "util/xalloc.h"
#include "web/web_int.h"
#include "util/banned.h"

/* The largest model accepted, in bytes. Below the form parser's limit on
 * one field (form_default_limits, 64 KiB), so that a model too large is
 * answered here, with the text kept, rather than by a bare 413. */
#define IOT_MODEL_MAX (48 * 1024)

/* What the report and its messages call the pasted text. */
#define IOT_MODEL_NAME "model"

enum iot_msg {
	I_TITLE, I_INTRO, I_STATELESS, I_MODEL, I_MODEL_HELP, I_REPORT_LANG,
	I_ASSESS, I_PROBLEMS, I_EMPTY, I_TOO_BIG, I_ANOTHER, I_EDIT,
	I__MAX
};

static const char *const iot_msgs[I__MAX][LANG__MAX] = {
	[I_TITLE] = { "IoT-SSF リスク評価", "IoT-SSF risk assessment" },
	[I_INTRO] = { "IoTセキュリティ・セーフティ・フレームワーク（IoT-SSF）に基づき、システムモデル（YAML）のインシデントをステークホルダーごとにリスクの格子に置き、対策要件と残る課題を示します。",
		      "Places the incidents of a system model (YAML) on the grid of the IoT Security-Safety Framework (IoT-SSF) for each stakeholder, and shows the requirements that apply and the gaps that remain." },
	[I_STATELESS] = { "入力されたモデルと評価結果はサーバーに保存されません。必要な場合は手元に保存してください。",
			  "Nothing is stored: the model and its assessment are not kept on the server. Keep your own copy." },
	[I_MODEL] = { "システムモデル（YAML）", "System model (YAML)" },
	[I_MODEL_HELP] = { "ひな形から始めてください。各キーの意味はひな形のコメントにあります。上限は %u KiB です。",
			   "Start from the template: its comments explain every key. At most %u KiB." },
	[I_REPORT_LANG] = { "評価結果の言語", "Language of the assessment" },
	[I_ASSESS] = { "評価する", "Assess" },
	[I_PROBLEMS] = { "モデルに %z 件の問題があります（行:桁: 内容）", "Problems in the model: %z (line:column: message)" },
	[I_EMPTY] = { "モデルを入力してください。", "Paste a model first." },
	[I_TOO_BIG] = { "モデルが大きすぎます（%z バイト）。上限は %u バイトです。",
			"The model is too large (%z bytes): at most %u bytes are accepted." },
	[I_ANOTHER] = { "別のモデルを評価する", "Assess another model" },
	[I_EDIT] = { "モデルを修正して再評価する", "Change the model and assess again" },
};

static const char *TI(const struct req *r, enum iot_msg m)
{
	return iot_msgs[m][r->lang];
}

static const char *iot_lang_q(const struct req *r)
{
	return r->lang == LANG_EN ? "?lang=en" : "";
}

/* The form: the text (kept as sent), the report language, and the
 * problems of the last attempt, each a "line:col: message" (n of them);
 * flagged: the page shows a problem with the text as a whole
 * (#iot-problem). */
static void iot_form(struct req *r, struct strbuf *sb, const char *text,
		     enum iot_lang rlang, bool flagged,
		     const char *const *problems, size_t n)
{
	static const char *const lang_ids[IOT_LANG__MAX] = { "ja", "en" };
	static const char *const lang_words[IOT_LANG__MAX] = { "日本語",
							       "English" };

	if (n) {
		html_addf(sb, "<div class=\"notice error\" role=\"alert\" "
			  "id=\"iot-errors\"><p>");
		html_addf(sb, TI(r, I_PROBLEMS), n);
		html_addf(sb, "</p><ol class=\"located\">");
		for (size_t i = 0; i < n; i++)
			html_addf(sb, "<li><code>%s</code></li>", problems[i]);
		html_addf(sb, "</ol></div>\n");
	}
	html_addf(sb, "<form method=\"post\" action=\"/iot%s\" class=\"iot\">"
		  "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
		  "<label for=\"model\">%s</label><p class=\"hint\" "
		  "id=\"iot-help\">", iot_lang_q(r), r->sess.csrf,
		  TI(r, I_MODEL));
	html_addf(sb, TI(r, I_MODEL_HELP), (unsigned)(IOT_MODEL_MAX / 1024));
	/* HTML drops one newline right after <textarea>: the one written
	 * here keeps a text that starts with a newline intact. */
	html_addf(sb, "</p><textarea id=\"model\" name=\"model\" rows=\"30\" "
		  "cols=\"80\" spellcheck=\"false\" autocapitalize=\"off\" "
		  "required aria-describedby=\"iot-help%s%s\"",
		  flagged ? " iot-problem" : "", n ? " iot-errors" : "");
	if (n || flagged)
		html_raw(sb, " aria-invalid=\"true\"");
	html_addf(sb, ">\n%s</textarea>\n<fieldset class=\"choices\"><legend>"
		  "%s</legend>", text, TI(r, I_REPORT_LANG));
	for (int l = 0; l < IOT_LANG__MAX; l++)
		html_addf(sb, "<label class=\"choice\"><input type=\"radio\" "
			  "name=\"report\" value=\"%s\"%s> %s</label>",
			  lang_ids[l], (int)rlang == l ? " checked" : "",
			  lang_words[l]);
	html_addf(sb, "</fieldset><p><button type=\"submit\">%s</button></p>"
		  "</form>\n", TI(r, I_ASSESS));
}

/* The page with the form; problem (I__MAX for none) is shown above it,
 * with size as its first number (I_TOO_BIG). */
static void iot_page(struct req *r, unsigned status, const char *text,
		     enum iot_lang rlang, enum iot_msg problem, size_t size,
		     const char *const *problems, size_t n)
{
	struct strbuf *sb = page_begin(r, TI(r, I_TITLE));

	r->reply.status = status;
	html_addf(sb, "<h1>%s</h1>\n<p>%s</p>\n<p class=\"notice ok\" "
		  "role=\"note\">%s</p>\n", TI(r, I_TITLE), TI(r, I_INTRO),
		  TI(r, I_STATELESS));
	if (problem != I__MAX) {
		html_addf(sb, "<p class=\"notice error\" role=\"alert\" "
			  "id=\"iot-problem\">");
		html_addf(sb, TI(r, problem), size, (unsigned)IOT_MODEL_MAX);
		html_addf(sb, "</p>\n");
	}
	iot_form(r, sb, text, rlang, problem != I__MAX, problems, n);
	page_end(r);
}

static enum iot_lang default_report_lang(const struct req *r)
{
	return r->lang == LANG_EN ? IOT_LANG_EN : IOT_LANG_JA;
}

void page_iot(struct req *r)
{
	iot_page(r, 200, iot_model_template, default_report_lang(r), I__MAX,
		 0, NULL, 0);
}

/*
 * The catalogue directory, as the command line chooses it: the
 * environment's MAMORI_DATA, else data/iot-ssf under the server's
 * working directory. Freed by the request's arena.
 */
static const char *catalog_dir(struct req *r)
{
	const char *data = getenv("MAMORI_DATA");
	char buf[4096];

	if (!data || !*data)
		return "data/iot-ssf";
	if ((size_t)snprintf(buf, sizeof(buf), "%s/iot-ssf", data) >= sizeof(buf))
		return NULL;
	return arena_strdup(&r->arena, buf);
}

/* A copy of text without the CR of each CRLF (browsers send textareas
 * with CRLF), so that columns and sizes match the file the user has. */
static char *drop_cr(struct req *r, const char *text, size_t *len)
{
	size_t n = strlen(text), k = 0;
	char *out = arena_alloc(&r->arena, n + 1);

	if (!out)
		xcheck_oom(MAMORI_ENOMEM);
	for (size_t i = 0; i < n; i++)
		if (!(text[i] == '\r' && text[i + 1] == '\n'))
			out[k++] = text[i];
	out[k] = '\0';
	*len = k;
	return out;
}

/*
 * The loader's messages, one "name:line:col: message" a line, as
 * "line:col: message" (the name is always IOT_MODEL_NAME); a line in
 * another form is kept whole. Strings and array in the request's arena.
 */
static const char **split_problems(struct req *r, const char *err, size_t *n)
{
	static const char prefix[] = IOT_MODEL_NAME ":";
	size_t max = 1, k = 0;
	const char **out;

	for (const char *p = err; *p; p++)
		max += *p == '\n';
	out = arena_calloc(&r->arena, max, sizeof(*out));
	if (!out)
		xcheck_oom(MAMORI_ENOMEM);
	for (const char *p = err; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		const char *s = p;
		if (len >= sizeof(prefix) - 1 &&
		    !memcmp(s, prefix, sizeof(prefix) - 1)) {
			s += sizeof(prefix) - 1;
			len -= sizeof(prefix) - 1;
		}
		if (len) {
			out[k] = arena_strndup(&r->arena, s, len);
			if (!out[k])
				xcheck_oom(MAMORI_ENOMEM);
			k++;
		}
		p = nl ? nl + 1 : p + strlen(p);
	}
	*n = k;
	return out;
}

/*
 * The report inside the page: only its body (web_report_body); the
 * renderer's inline stylesheet is left out because the server's CSP
 * allows no inline style, so the same rules are in web/static/mamori.css
 * under .iot-report.
 */
static void iot_report(struct req *r, const char *text,
		       const struct iot_assessment *a, enum iot_lang rlang)
{
	static const char *const lang_ids[IOT_LANG__MAX] = { "ja", "en" };
	struct strbuf html = STRBUF_INIT;
	struct strbuf *sb;
	const char *body;
	size_t len;

	xcheck_oom(iot_render_html(a, rlang, &html));
	if (!web_report_body(&html, &body, &len)) {
		strbuf_release(&html);
		reply_error(r, 500, "internal", "the report could not be made");
		return;
	}
	sb = page_begin(r, TI(r, I_TITLE));
	html_addf(sb, "<p class=\"notice ok\" role=\"note\">%s</p>\n"
		  "<p class=\"iot-nav\"><a href=\"/iot%s\">%s</a> &middot; "
		  "<a href=\"#model\">"
		  "%s</a></p>\n<div class=\"iot-report\" lang=\"%s\">",
		  TI(r, I_STATELESS), iot_lang_q(r), TI(r, I_ANOTHER),
		  TI(r, I_EDIT), lang_ids[rlang]);
	/* markup of the iotssf renderer, which escapes every text it holds */
	strbuf_add(sb, body, len);
	html_addf(sb, "</div>\n<h2 class=\"iot-edit\">%s</h2>\n",
		  TI(r, I_EDIT));
	iot_form(r, sb, text, rlang, false, NULL, 0);
	page_end(r);
	strbuf_release(&html);
}

static const struct field_spec iot_fields[] = {
	{ .name = "model", .kind = FIELD_TEXT, .max = IOT_MODEL_MAX,
	  .required = true },
	{ .name = "report", .kind = FIELD_ID, .max = 2, .required = false },
};

void page_iot_post(struct req *r)
{
	const char *v[2] = { NULL, NULL }, *bad = NULL, *dir;
	struct strbuf err = STRBUF_INIT;
	enum iot_lang rlang = default_report_lang(r);
	struct iot_catalog cat;
	struct iot_model m;
	struct iot_assessment a;
	enum mamori_err e;
	char *text;
	size_t len;

	if (form_fetch(&r->form, iot_fields, 2, v, &bad)) {
		const char *model = form_get(&r->form, "model");
		if (strcmp(bad, "model") != 0) {
			reply_error(r, 400, "bad_form",
				    "the form could not be read");
		} else if (!model || !*model) {
			iot_page(r, 200, "", rlang, I_EMPTY, 0, NULL, 0);
		} else if (form_count(&r->form, "model") > 1) {
			reply_error(r, 400, "bad_form",
				    "the form could not be read");
		} else {
			iot_page(r, 413, model, rlang, I_TOO_BIG,
				 strlen(model), NULL, 0);
		}
		return;
	}
	if (v[1]) {
		if (!strcmp(v[1], "ja"))
			rlang = IOT_LANG_JA;
		else if (!strcmp(v[1], "en"))
			rlang = IOT_LANG_EN;
		else {
			reply_error(r, 400, "bad_form",
				    "the report language is ja or en");
			return;
		}
	}
	text = drop_cr(r, v[0], &len);
	dir = catalog_dir(r);
	iot_catalog_init(&cat);
	iot_model_init(&m, &cat);
	e = dir ? iot_catalog_load_dir(&cat, dir, &err) : MAMORI_EINVAL;
	xcheck_oom(e);
	if (e) {
		fprintf(stderr, "mamori: the IoT-SSF catalogue in %s is not "
			"usable:\n%s", dir ? dir : "$MAMORI_DATA/iot-ssf",
			err.buf);
		reply_error(r, 500, "internal",
			    "the IoT-SSF catalogue is not available on this server");
		goto out;
	}
	strbuf_reset(&err);
	e = iot_model_parse(&m, IOT_MODEL_NAME, text, len, &err);
	xcheck_oom(e);
	if (e) {
		size_t n;
		const char **problems = split_problems(r, err.buf, &n);
		iot_page(r, 200, text, rlang, I__MAX, 0, problems, n);
		goto out;
	}
	xcheck_oom(iot_assess(&a, &m));
	iot_report(r, text, &a, rlang);
	iot_assessment_release(&a);
out:
	iot_model_release(&m);
	iot_catalog_release(&cat);
	strbuf_release(&err);
}
