/*
 * test_report.c - the escaping writer (every special character, control
 * bytes, invalid UTF-8) and the feedback page built from hand-made
 * analyses of tests/data/analysis/tiny.yaml: findings worst first, the
 * organisation's standing, national / prefecture / peer shares with
 * their denominators, answers in words, escaping of data; indicator
 * polarity (good / needs attention, what to do first) and a repeatable
 * campaign's summary.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "report/feedback.h"
#include "util/html.h"
#include "report/summary.h"
#include "report/tilemap.h"
#include "report/tables.h"

#define TINY SOURCE_ROOT "/tests/data/analysis/tiny.yaml"

static void escaping(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "plain", "plain" },
		{ "<b>&\"'", "&lt;b&gt;&amp;&quot;&#39;" },
		{ "a\x01" "b\x7f" "c", "abc" },
		{ "tab\tnl\n", "tab\tnl\n" },
		{ "病院", "病院" },
		{ "bad\xff" "x", "bad\xef\xbf\xbd" "x" },
		{ "over\xc0\xaf", "over\xef\xbf\xbd\xef\xbf\xbd" },
		{ "cut\xe7\x97", "cut\xef\xbf\xbd\xef\xbf\xbd" },
		{ "sur\xed\xa0\x80", "sur\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf sb = STRBUF_INIT;
		html_text(&sb, cases[i].in);
		assert_string_equal(sb.buf, cases[i].out);
		strbuf_release(&sb);
	}
	struct strbuf sb = STRBUF_INIT;
	html_textf(&sb, "%d <%s>", 3, "x&y");
	assert_string_equal(sb.buf, "3 &lt;x&amp;y&gt;");
	strbuf_reset(&sb);
	html_lines(&sb, "one\n<two>\n");
	assert_string_equal(sb.buf, "one<br>&lt;two&gt;");
	strbuf_release(&sb);
}

static int atoi_checked(const char *s)
{
	int v = 0;
	for (; *s; s++) {
		assert_true(*s >= '0' && *s <= '9');
		v = v * 10 + (*s - '0');
	}
	return v;
}

struct fx {
	struct instrument *ins;
	struct analysis *by_pref, *by_peer;
};

static json_t *parse(const char *s)
{
	json_t *j = json_loads(s, 0, NULL);
	assert_non_null(j);
	return j;
}

/* Four respondents; two in prefecture 13 with 50 beds (peers of the
 * organisation shown), one in 13 with 300, one in 27 with 60. */
static const char *const orgs[4] = {
	("{\"id\":\"A\",\"name\":\"<A&B> 病院\",\"kind\":\"hospital\","
	 "\"prefecture\":\"13\",\"beds\":50}"),
	"{\"id\":\"B\",\"kind\":\"hospital\",\"prefecture\":\"13\",\"beds\":80}",
	"{\"id\":\"C\",\"kind\":\"hospital\",\"prefecture\":\"13\",\"beds\":300}",
	"{\"id\":\"D\",\"kind\":\"hospital\",\"prefecture\":\"27\",\"beds\":60}",
};
static const char *const answers[4] = {
	("{\"q1\":\"yes\",\"q2\":\"no\",\"q3\":[\"edr\"],"
	 "\"devices\":[{\"maker\":\"<Forti>\",\"units\":2}]}"),
	"{\"q1\":\"yes\",\"q2\":\"yes\"}",
	"{\"q1\":\"yes\",\"q2\":\"yes\"}",
	"{\"q1\":\"no\"}",
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct analysis_opts po = { .by = "prefecture" },
			     pe = { .by = "kind,size_band" };
	struct strbuf err = STRBUF_INIT;
	int bad = instrument_load_file(TINY, &f->ins, &err) != MAMORI_OK;
	strbuf_release(&err);
	if (bad ||
	    analysis_new(f->ins, &po, &f->by_pref, NULL) ||
	    analysis_new(f->ins, &pe, &f->by_peer, NULL))
		return -1;
	for (int i = 0; i < 4; i++) {
		json_t *o = parse(orgs[i]), *a = parse(answers[i]);
		analysis_add_invited(f->by_pref, o);
		analysis_add_invited(f->by_peer, o);
		analysis_add(f->by_pref, o, a);
		analysis_add(f->by_peer, o, a);
		json_decref(o);
		json_decref(a);
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	analysis_free(f->by_pref);
	analysis_free(f->by_peer);
	instrument_free(f->ins);
	free(f);
	return 0;
}

static void render(struct fx *f, int which, enum lang lang,
		   struct strbuf *out)
{
	json_t *o = parse(orgs[which]), *a = parse(answers[which]);
	struct feedback_in in = {
		.ins = f->ins, .campaign_title = "Test <campaign>",
		.campaign = 7, .org = o, .answers = a,
		.by_pref = f->by_pref, .by_peer = f->by_peer, .lang = lang,
		.generated = "2022-04-01",
	};
	assert_int_equal(feedback_html(&in, out), MAMORI_OK);
	json_decref(o);
	json_decref(a);
}

/* The text between the opening of the row with this id and its end. */
static char *row(const char *html, const char *id)
{
	char key[128];
	snprintf(key, sizeof(key), "<tr id=\"indicator-%s\">", id);
	const char *p = strstr(html, key);
	assert_non_null(p);
	const char *e = strstr(p, "</tr>");
	assert_non_null(e);
	return strndup(p, (size_t)(e - p));
}

static void page_for_a(void **state)
{
	struct fx *f = *state;
	struct strbuf out = STRBUF_INIT;

	render(f, 0, LANG_EN, &out);
	/* its one finding, in "what to do first" and with its advice */
	assert_non_null(strstr(out.buf, "id=\"finding-no_backup\""));
	assert_non_null(strstr(out.buf, "href=\"#finding-no_backup\""));
	assert_non_null(strstr(out.buf, "Make backups."));
	/* backs_up: A does not meet it. National 2 of 3 (A, B, C asked q2);
	 * prefecture 13 the same three; peers hospital/20-99: A and B ->
	 * 1 of 2 */
	char *r = row(out.buf, "backs_up");
	assert_non_null(strstr(r, "you-not"));
	assert_non_null(strstr(r, "You do not meet it. 50.0 % of your peers "
				  "meet it (n = 2)."));
	assert_non_null(strstr(r, "66.7 %<br><small>n = 3</small></td>"
				  "<td class=\"num\">66.7 %<br><small>n = 3"
				  "</small></td><td class=\"num\">50.0 %<br>"
				  "<small>n = 2</small>"));
	free(r);
	/* has_ehr: met; national 3 of 4; prefecture 13 (A, B, C): 3 of 3;
	 * peers hospital/20-99 are A, B and D (in 27, but of the same kind
	 * and size), D answered no: 2 of 3 */
	r = row(out.buf, "has_ehr");
	assert_non_null(strstr(r, "you-met"));
	assert_non_null(strstr(r, "75.0 %<br><small>n = 4</small></td>"
				  "<td class=\"num\">100.0 %<br><small>n = 3"
				  "</small></td><td class=\"num\">66.7 %<br>"
				  "<small>n = 3</small>"));
	free(r);
	/* answers in words, data escaped */
	assert_non_null(strstr(out.buf, "<td>Yes</td>"));
	assert_non_null(strstr(out.buf, "&lt;Forti&gt;"));
	assert_non_null(strstr(out.buf, "&lt;A&amp;B&gt; 病院"));
	assert_non_null(strstr(out.buf, "Test &lt;campaign&gt;"));
	assert_null(strstr(out.buf, "<A&B>"));
	assert_null(strstr(out.buf, "<Forti>"));
	assert_non_null(strstr(out.buf, "Size band 20-99"));
	strbuf_release(&out);
}

static void page_for_d(void **state)
{
	struct fx *f = *state;
	struct strbuf out = STRBUF_INIT;

	render(f, 3, LANG_JA, &out);
	assert_non_null(strstr(out.buf, "<html lang=\"ja\">"));
	/* no finding; q2 was not asked of D */
	assert_null(strstr(out.buf, "id=\"finding-"));
	assert_non_null(strstr(out.buf, "回答から、直ちに対応が必要な所見は"));
	char *r = row(out.buf, "backs_up");
	assert_non_null(strstr(r, "you-na"));
	/* prefecture 27: D only, backs_up does not apply -> no data */
	assert_non_null(strstr(r, "データなし<br><small>n = 0</small>"));
	free(r);
	assert_non_null(strstr(out.buf, "（対象外）"));
	strbuf_release(&out);
}

static void csv_tables(void **state)
{
	struct fx *f = *state;
	struct analysis_opts o = { .by = "kind" };
	struct analysis *a = NULL;
	struct strbuf out = STRBUF_INIT;
	json_t *res = NULL;
	json_t *org = parse("{\"kind\":\"=HYPERLINK(\\\"x\\\")\"}");
	json_t *ans = parse("{\"q1\":\"yes\",\"q2\":\"no\"}");

	assert_int_equal(analysis_new(f->ins, &o, &a, NULL), MAMORI_OK);
	analysis_add_invited(a, org);
	assert_int_equal(analysis_add(a, org, ans), MAMORI_OK);
	assert_int_equal(analysis_result_json(a, 0, &res), MAMORI_OK);
	assert_int_equal(tables_csv(f->ins, res, LANG_EN, &out), MAMORI_OK);
	/* the indicator over its population, with its share */
	assert_non_null(strstr(out.buf, "\r\nindicators,,backs_up,,Backs up,,,0,1,0,\r\n"));
	/* the choice rows of q2: yes 0 of 1, no 1 of 1 */
	assert_non_null(strstr(out.buf, "items,,q2,2,Backs it up?,no,No,1,1,1,\r\n"));
	/* a group value that a spreadsheet would run is made inert */
	assert_non_null(strstr(out.buf, "\r\nindicators,\"'=HYPERLINK(\"\"x\"\")\","));
	assert_null(strstr(out.buf, ",=HYPERLINK"));
	strbuf_release(&out);
	json_decref(res);
	json_decref(org);
	json_decref(ans);
	analysis_free(a);
}

static void tile_map_layout(void **state)
{
	(void)state;
	/* every prefecture once, no two on one tile, inside 13 x 10 */
	bool seen_code[48] = { false }, seen_pos[13][10] = { { false } };
	for (size_t i = 0; i < 47; i++) {
		const struct tile *t = &tilemap_tiles[i];
		int code = atoi_checked(t->code);
		assert_true(code >= 1 && code <= 47);
		assert_false(seen_code[code]);
		seen_code[code] = true;
		assert_true(t->x >= 0 && t->x < 13 && t->y >= 0 && t->y < 10);
		assert_false(seen_pos[t->x][t->y]);
		seen_pos[t->x][t->y] = true;
	}
}

static void summary_page(void **state)
{
	struct fx *f = *state;
	struct strbuf out = STRBUF_INIT;
	json_t *res = NULL;

	assert_int_equal(analysis_result_json(f->by_pref, 0, &res), MAMORI_OK);
	assert_int_equal(summary_html(f->ins, res, "T <1>", LANG_EN,
				      "2022-04-01", &out), MAMORI_OK);
	/* 4 invited, 4 submitted; backs_up 2 of 3 */
	assert_non_null(strstr(out.buf, "Invited 4, submitted 4 (response rate 100.0 %)"));
	assert_non_null(strstr(out.buf, "66.7 %</td><td class=\"num\">2 / 3</td>"));
	assert_non_null(strstr(out.buf, "T &lt;1&gt;"));
	/* tile of Tokyo on the response-rate map: 3 of 3 */
	assert_non_null(strstr(out.buf, "Tokyo: 100.0 % (3 / 3)"));
	assert_non_null(strstr(out.buf, "Osaka: 100.0 % (1 / 1)"));
	assert_non_null(strstr(out.buf, "Hokkaido: no data"));
	/* q2: denominator written out */
	assert_non_null(strstr(out.buf, "Denominator: 3 responses to which it applied (1 not applicable)"));
	strbuf_release(&out);
	json_decref(res);
}

/*
 * Indicators with a polarity: tiny.yaml with backs_up marked good and a
 * risk indicator added (q2 = 'no', among q1 = 'yes', bad), over the four
 * respondents above and E (13, 70 beds, q1 yes, q2 yes). A's peers
 * (hospital, 20-99 beds) are A, B, D and E; q1 = yes among A, B, E:
 * backs_up met by B and E, so 2 of 3 peers (66.7 %) are on its good side
 * and A (not met) needs attention; the risk is met by A only, so again
 * 2 of 3 peers are on the good side and A needs attention; both read
 * q1 and q2, so "what to do first" lists backs_up only. has_ehr stays
 * neutral: no mark.
 */
static void polarity_marks(void **state)
{
	struct instrument *ins = NULL;
	struct analysis *by_pref = NULL, *by_peer = NULL;
	struct analysis_opts po = { .by = "prefecture" },
			     pe = { .by = "kind,size_band" };
	struct strbuf yaml = STRBUF_INIT, out = STRBUF_INIT;
	FILE *fp = fopen(TINY, "r");
	char buf[4096];
	size_t n;
	const char *e_org = "{\"id\":\"E\",\"kind\":\"hospital\","
			    "\"prefecture\":\"13\",\"beds\":70}";
	const char *e_ans = "{\"q1\":\"yes\",\"q2\":\"yes\"}";
	(void)state;

	assert_non_null(fp);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		strbuf_add(&yaml, buf, n);
	fclose(fp);
	char *p = strstr(yaml.buf, "met: \"${q2} = 'yes'\"}");
	assert_non_null(p);
	struct strbuf y2 = STRBUF_INIT;
	strbuf_add(&y2, yaml.buf, (size_t)(p - yaml.buf));
	strbuf_addstr(&y2, "met: \"${q2} = 'yes'\", polarity: good}\n"
		      "  - {id: no_backup_risk, label: No backups, population: "
		      "\"${q1} = 'yes'\", met: \"${q2} = 'no'\", polarity: bad}");
	strbuf_addstr(&y2, p + strlen("met: \"${q2} = 'yes'\"}"));
	assert_int_equal(instrument_load_mem("tiny.yaml", y2.buf, y2.len, &ins,
					     NULL), MAMORI_OK);
	assert_int_equal(analysis_new(ins, &po, &by_pref, NULL), MAMORI_OK);
	assert_int_equal(analysis_new(ins, &pe, &by_peer, NULL), MAMORI_OK);
	for (int i = 0; i < 5; i++) {
		json_t *o = parse(i < 4 ? orgs[i] : e_org),
		       *a = parse(i < 4 ? answers[i] : e_ans);
		analysis_add_invited(by_pref, o);
		analysis_add_invited(by_peer, o);
		assert_int_equal(analysis_add(by_pref, o, a), MAMORI_OK);
		assert_int_equal(analysis_add(by_peer, o, a), MAMORI_OK);
		json_decref(o);
		json_decref(a);
	}
	for (int who = 0; who < 2; who++) {
		json_t *o = parse(orgs[who]), *a = parse(answers[who]);
		struct feedback_in in = {
			.ins = ins, .campaign = 7, .org = o, .answers = a,
			.by_pref = by_pref, .by_peer = by_peer,
			.lang = who ? LANG_EN : LANG_JA,
		};
		strbuf_reset(&out);
		assert_int_equal(feedback_html(&in, &out), MAMORI_OK);
		json_decref(o);
		json_decref(a);
		char *r = row(out.buf, "has_ehr");
		assert_null(strstr(r, "pol-"));
		free(r);
		if (who == 0) {
			/* A: both need attention */
			r = row(out.buf, "backs_up");
			assert_non_null(strstr(r, "<span class=\"pol pol-attn\">要対応</span>"));
			assert_non_null(strstr(r, "貴機関は該当しません（要対応）。"));
			free(r);
			r = row(out.buf, "no_backup_risk");
			assert_non_null(strstr(r, "<span class=\"pol pol-attn\">要対応</span>"));
			assert_non_null(strstr(r, "貴機関は該当します（要対応）。"));
			free(r);
			const char *first = strstr(out.buf, "<section class=\"first\">");
			const char *end = first ? strstr(first, "</section>") : NULL;
			assert_non_null(end);
			char *sec = strndup(first, (size_t)(end - first));
			assert_non_null(strstr(sec, "href=\"#finding-no_backup\""));
			assert_non_null(strstr(sec, "href=\"#indicator-backs_up\""));
			/* the risk reads what backs_up reads (q1, q2): said
			 * once */
			assert_null(strstr(sec, "href=\"#indicator-no_backup_risk\""));
			assert_non_null(strstr(sec, "同種・同規模の機関の 66.7 %（n = 3）は良好です。"));
			assert_null(strstr(sec, "#indicator-has_ehr"));
			free(sec);
			assert_non_null(strstr(out.buf, "「良好」「要対応」は"));
		} else {
			/* B: good on both; nothing to do first */
			r = row(out.buf, "backs_up");
			assert_non_null(strstr(r, "<span class=\"pol pol-good\">Good</span>"));
			assert_non_null(strstr(r, "You meet it: good."));
			free(r);
			r = row(out.buf, "no_backup_risk");
			assert_non_null(strstr(r, "<span class=\"pol pol-good\">Good</span>"));
			assert_non_null(strstr(r, "You do not meet it: good."));
			free(r);
			assert_null(strstr(out.buf, "pol pol-attn"));
			assert_non_null(strstr(out.buf, "No finding in the answers calls for action."));
		}
	}
	/* the summary says which way is better */
	json_t *res = NULL;
	assert_int_equal(analysis_result_json(by_pref, 0, &res), MAMORI_OK);
	strbuf_reset(&out);
	assert_int_equal(summary_html(ins, res, "T", LANG_EN, "2022-04-01",
				      &out), MAMORI_OK);
	assert_non_null(strstr(out.buf, "Backs up<br><span class=\"note\">a measure (higher is better)</span>"));
	assert_non_null(strstr(out.buf, "No backups<br><span class=\"note\">a risk (lower is better)</span>"));
	assert_non_null(strstr(out.buf, "Has an EHR</td>"));
	json_decref(res);
	strbuf_release(&out);
	strbuf_release(&yaml);
	strbuf_release(&y2);
	analysis_free(by_pref);
	analysis_free(by_peer);
	instrument_free(ins);
}

/* A repeatable campaign's summary: organisations and reports apart. */
static void summary_reports(void **state)
{
	struct fx *f = *state;
	struct strbuf out = STRBUF_INIT;
	struct analysis *a = NULL;
	json_t *res = NULL, *o = parse(orgs[0]), *o2 = parse(orgs[1]),
	       *ans = parse(answers[1]);

	/* A: three reports; B: none. 1 of 2 organisations, 3 reports */
	assert_int_equal(analysis_new(f->ins, NULL, &a, NULL), MAMORI_OK);
	analysis_add_invited(a, o);
	for (int i = 0; i < 3; i++)
		assert_int_equal(analysis_add(a, o, ans), MAMORI_OK);
	analysis_add_invited(a, o2);
	assert_int_equal(analysis_result_json(a, 0, &res), MAMORI_OK);
	assert_int_equal(summary_html(f->ins, res, "R", LANG_EN, "2024-04-01",
				      &out), MAMORI_OK);
	assert_non_null(strstr(out.buf, "Invited 2, submitted 1 (response rate 50.0 %), reports 3</p>"));
	strbuf_reset(&out);
	assert_int_equal(summary_html(f->ins, res, "R", LANG_JA, "2024-04-01",
				      &out), MAMORI_OK);
	assert_non_null(strstr(out.buf, "対象 2、回答 1（回答率 50.0 %）、報告 3 件</p>"));
	strbuf_release(&out);
	json_decref(res);
	json_decref(o);
	json_decref(o2);
	json_decref(ans);
	analysis_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escaping),
		cmocka_unit_test_setup_teardown(page_for_a, setup, teardown),
		cmocka_unit_test_setup_teardown(page_for_d, setup, teardown),
		cmocka_unit_test_setup_teardown(csv_tables, setup, teardown),
		cmocka_unit_test(tile_map_layout),
		cmocka_unit_test_setup_teardown(summary_page, setup, teardown),
		cmocka_unit_test(polarity_marks),
		cmocka_unit_test_setup_teardown(summary_reports, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
