/*
 * test_org.c - one organisation as expressions read it (store_org_get,
 * store_validation_context): typed attributes and the prefecture's
 * names; a validation with that context judges a response exactly as
 * the store's own submission check does (${org.beds} decides which
 * question applies); and the decisions about a response in the audit
 * log (store_org_audit, store_org_audit_list): only the two evidence
 * actions, a JSON object as detail, members of the population only,
 * listed per response and from a time on.
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
#include <jansson.h>

#include "instrument/instrument.h"
#include "store/store.h"
#include "util/strbuf.h"

static const struct store_actor who = { "test:alice", "192.0.2.7" };

static const char orgs_csv[] =
	"id,name,kind,prefecture,beds,founder\n"
	"H001,Tsurugi town hospital,hospital,36,120,municipal\n"
	"H002,Small clinic hospital,hospital,13,30,private\n"
	"B001,Bank one,bank,27,,\n";

/* q2 applies (and is required) only to hospitals of more than 100 beds. */
static const char instrument_yaml[] =
	"id: org-test\n"
	"version: \"1\"\n"
	"title: {ja: 属性試験, en: Attribute test}\n"
	"issuer: TEST\n"
	"respondent: hospital\n"
	"languages: [ja, en]\n"
	"choices:\n"
	"  yes_no:\n"
	"    - {value: 'yes', label: {ja: はい, en: 'Yes'}}\n"
	"    - {value: 'no', label: {ja: いいえ, en: 'No'}}\n"
	"items:\n"
	"  - id: q1\n"
	"    type: select_one yes_no\n"
	"    required: true\n"
	"    label: {ja: 質問1, en: Question 1}\n"
	"  - id: q2\n"
	"    type: select_one yes_no\n"
	"    required: true\n"
	"    relevant: \"${org.beds} > 100 and ${campaign.closes} = '2022-02-14'\"\n"
	"    label: {ja: 大病院, en: Large hospitals}\n";

struct fx {
	char dir[64];
	char db[128];
	struct store *st;
	struct strbuf err;
	int64_t campaign;
};

static int64_t T(const char *s)
{
	int64_t t;
	assert_int_equal(store_time_parse(s, false, &t), MAMORI_OK);
	return t;
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct store_open_opts o = { .create = true };
	struct store_import_stats s;

	assert_non_null(fx);
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/mamori-org-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->db, sizeof(fx->db), "%s/m.db", fx->dir);
	strbuf_init(&fx->err, 0);
	assert_int_equal(store_open(fx->db, &o, &fx->st, &fx->err), MAMORI_OK);
	assert_int_equal(store_org_import_csv(fx->st, &who, orgs_csv,
					      strlen(orgs_csv), STORE_ENC_AUTO,
					      &s, &fx->err),
			 MAMORI_OK);
	struct store_campaign_new cn = {
		.title = "org test",
		.instrument_name = "org.yaml",
		.instrument = instrument_yaml,
		.instrument_len = strlen(instrument_yaml),
		.target = "kind = 'hospital'",
		.nwindows = 1,
		.windows = { { T("2022-01-27"), T("2022-02-14T23:59:59") } },
	};
	store_set_clock(fx->st, T("2022-02-01T10:00"));
	if (store_campaign_create(fx->st, &who, &cn, &fx->campaign, &fx->err))
		fail_msg("%s", fx->err.buf);
	strbuf_reset(&fx->err);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	char cmd[200];

	store_free(fx->st);
	strbuf_release(&fx->err);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		return -1;
	free(fx);
	return 0;
}

static void org_get_has_typed_attributes(void **state)
{
	struct fx *fx = *state;
	json_t *o = NULL;

	assert_int_equal(store_org_get(fx->st, "H001", &o, &fx->err),
			 MAMORI_OK);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "id")),
			    "H001");
	assert_string_equal(json_string_value(json_object_get(o, "name")),
			    "Tsurugi town hospital");
	assert_string_equal(json_string_value(json_object_get(o, "kind")),
			    "hospital");
	assert_string_equal(json_string_value(json_object_get(o,
						"prefecture")), "36");
	assert_string_equal(json_string_value(json_object_get(o,
						"prefecture_name")), "徳島県");
	assert_true(json_is_string(json_object_get(o, "region")));
	/* a number in the CSV is a number; text is text */
	assert_true(json_is_integer(json_object_get(o, "beds")));
	assert_int_equal(json_integer_value(json_object_get(o, "beds")), 120);
	assert_string_equal(json_string_value(json_object_get(o, "founder")),
			    "municipal");
	json_decref(o);

	/* an empty cell is left out */
	assert_int_equal(store_org_get(fx->st, "B001", &o, &fx->err),
			 MAMORI_OK);
	assert_null(json_object_get(o, "beds"));
	json_decref(o);
}

static void org_get_unknown(void **state)
{
	struct fx *fx = *state;
	json_t *o = (json_t *)1;

	assert_int_equal(store_org_get(fx->st, "X999", &o, &fx->err),
			 MAMORI_ENOENT);
	assert_null(o);
	assert_non_null(strstr(fx->err.buf, "X999"));
}

static void context_has_campaign(void **state)
{
	struct fx *fx = *state;
	json_t *o = NULL, *c = NULL;
	char id[24];

	assert_int_equal(store_validation_context(fx->st, fx->campaign,
						  "H002", &o, &c, &fx->err),
			 MAMORI_OK);
	assert_int_equal(json_integer_value(json_object_get(o, "beds")), 30);
	snprintf(id, sizeof(id), "%lld", (long long)fx->campaign);
	assert_string_equal(json_string_value(json_object_get(c, "id")), id);
	assert_string_equal(json_string_value(json_object_get(c, "title")),
			    "org test");
	assert_string_equal(json_string_value(json_object_get(c, "opens")),
			    "2022-01-27");
	assert_string_equal(json_string_value(json_object_get(c, "closes")),
			    "2022-02-14");
	json_decref(o);
	json_decref(c);

	o = c = (json_t *)1;
	assert_int_equal(store_validation_context(fx->st, 99, "H002", &o, &c,
						  &fx->err),
			 MAMORI_ENOENT);
	assert_null(o);
	assert_null(c);
	o = c = (json_t *)1;
	assert_int_equal(store_validation_context(fx->st, fx->campaign, "X1",
						  &o, &c, &fx->err),
			 MAMORI_ENOENT);
	assert_null(o);
	assert_null(c);
}

/* Valid by a validation with the context <=> the store accepts it. */
static void context_validates_as_the_store(void **state)
{
	static const struct {
		const char *org, *answers;
		bool valid;
	} rows[] = {
		{ "H001", "{\"q1\":\"yes\"}", false },	/* q2 applies */
		{ "H001", "{\"q1\":\"yes\",\"q2\":\"no\"}", true },
		{ "H002", "{\"q1\":\"yes\"}", true },	/* q2 does not */
	};
	struct fx *fx = *state;
	const struct instrument *ins;
	struct validator *v;

	assert_int_equal(store_campaign_instrument(fx->st, fx->campaign, &ins,
						   &fx->err),
			 MAMORI_OK);
	v = validator_new(ins);
	assert_non_null(v);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		json_t *o = NULL, *c = NULL;
		json_t *a = json_loads(rows[i].answers, 0, NULL);
		const struct vresult *res = NULL;
		int64_t rev = 0;
		enum mamori_err e;

		assert_int_equal(store_validation_context(fx->st, fx->campaign,
							  rows[i].org, &o, &c,
							  &fx->err),
				 MAMORI_OK);
		struct vopts vo = { .lang = LANG_EN, .org = o, .campaign = c };
		assert_int_equal(instrument_validate(v, a, &vo, &res),
				 MAMORI_OK);
		if (res->valid != rows[i].valid)
			fail_msg("row %zu: valid %d, wanted %d", i, res->valid,
				 rows[i].valid);
		assert_int_equal(validator_relevant(v, 1, 0),
				 strcmp(rows[i].org, "H001") == 0);
		e = store_response_submit(fx->st, &who, fx->campaign,
					  rows[i].org, rows[i].answers,
					  strlen(rows[i].answers),
					  STORE_REV_ANY, &rev, &fx->err);
		if ((e == MAMORI_OK) != rows[i].valid)
			fail_msg("row %zu: the store says %d", i, (int)e);
		json_decref(a);
		json_decref(o);
		json_decref(c);
	}
	validator_free(v);
}

struct events {
	struct strbuf out;
	size_t n;
};

static int collect(void *ud, const struct store_audit_event *e)
{
	struct events *x = ud;
	strbuf_addf(&x->out, "%s|%s|%s|%s|%s\n", e->who, e->from, e->action,
		    e->object, e->detail);
	x->n++;
	return 0;
}

static void audit_decisions(void **state)
{
	struct fx *fx = *state;
	struct events ev = { STRBUF_INIT, 0 };
	const char *d = "{\"item\":\"q1\",\"proposed\":\"no\",\"answer\":\"no\"}";
	char obj[64];

	assert_int_equal(store_org_audit(fx->st, &who, fx->campaign, "H001",
					 "evidence.accept", d, &fx->err),
			 MAMORI_OK);
	store_set_clock(fx->st, T("2022-02-03T10:00"));
	assert_int_equal(store_org_audit(fx->st, &who, fx->campaign, "H001",
					 "evidence.override",
					 "{\"item\":\"q1\",\"reason\":\"r\"}",
					 &fx->err),
			 MAMORI_OK);
	assert_int_equal(store_org_audit(fx->st, &who, fx->campaign, "H002",
					 "evidence.accept", d, &fx->err),
			 MAMORI_OK);

	/* refused: other actions, a detail that is not an object, outsiders */
	assert_int_equal(store_org_audit(fx->st, &who, fx->campaign, "H001",
					 "response.submit", d, &fx->err),
			 MAMORI_EINVAL);
	assert_int_equal(store_org_audit(fx->st, &who, fx->campaign, "H001",
					 "evidence.accept", "[1]", &fx->err),
			 MAMORI_EINVAL);
	assert_int_equal(store_org_audit(fx->st, &who, fx->campaign, "H001",
					 "evidence.accept", "{", &fx->err),
			 MAMORI_EINVAL);
	assert_int_equal(store_org_audit(fx->st, &who, fx->campaign, "B001",
					 "evidence.accept", d, &fx->err),
			 MAMORI_ENOENT);
	assert_int_equal(store_org_audit(fx->st, &who, 99, "H001",
					 "evidence.accept", d, &fx->err),
			 MAMORI_ENOENT);

	/* a save of the same response is audited too, but is no decision */
	int64_t rev = 0;
	assert_int_equal(store_response_save(fx->st, &who, fx->campaign,
					     "H001", "{}", 2, 0, &rev,
					     &fx->err),
			 MAMORI_OK);
	/* H001's two, in order, and not H002's */
	assert_int_equal(store_org_audit_list(fx->st, fx->campaign, "H001", 0,
					      collect, &ev, &fx->err),
			 MAMORI_OK);
	assert_int_equal(ev.n, 2);
	snprintf(obj, sizeof(obj), "campaign:%lld/H001",
		 (long long)fx->campaign);
	assert_non_null(strstr(ev.out.buf, obj));
	char *second = strchr(ev.out.buf, '\n') + 1;
	assert_non_null(strstr(ev.out.buf, "test:alice|192.0.2.7|"
					   "evidence.accept|"));
	assert_int_equal(strncmp(second, "test:alice|192.0.2.7|"
					 "evidence.override|", 39), 0);
	assert_non_null(strstr(second, "\"reason\":\"r\""));
	/* from a time on */
	strbuf_reset(&ev.out);
	ev.n = 0;
	assert_int_equal(store_org_audit_list(fx->st, fx->campaign, "H001",
					      T("2022-02-02"), collect, &ev,
					      &fx->err),
			 MAMORI_OK);
	assert_int_equal(ev.n, 1);
	assert_non_null(strstr(ev.out.buf, "evidence.override"));
	assert_null(strstr(ev.out.buf, "response.save"));
	strbuf_release(&ev.out);
}

int main(void)
{
#define T_(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T_(org_get_has_typed_attributes),
		T_(org_get_unknown),
		T_(context_has_campaign),
		T_(context_validates_as_the_store),
		T_(audit_decisions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
