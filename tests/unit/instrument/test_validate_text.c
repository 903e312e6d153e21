/*
 * test_validate_text.c - a response validated from its JSON text
 * (instrument_validate_text) gives what validating jansson's document of
 * it gives, for hand-made responses: every item type, repeats, escapes,
 * Unicode, numbers (integers, reals, exponents, negative zero), booleans,
 * null, lists and objects where a single answer is expected, unknown and
 * repeated keys, text that is not JSON. Each case also says whether the
 * text reader takes it itself or leaves it to jansson, and a few say
 * what the cells must hold.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* the engine's statics: text_response() says who read the text */
#include "instrument/validate.c"

#include "../../fuzz/instrument/validate_same.h"

#define SURVEY SOURCE_ROOT "/instruments/mhlw/hospital-backup-vpn-2022.yaml"
#define DATA SOURCE_ROOT "/tests/data/instrument/hospital-2022/"

enum reader { TEXT, JANSSON };

struct tcase {
	const char *name;
	const char *json;
	enum reader by;		/* who reads it */
	/* optional: "item=value" or "item[row]=value" cells to check */
	const char *cells[4];
};

static const struct tcase every_cases[] = {
	{ "every type", "{\"t\":\"x\",\"i\":3,\"d\":2.5,\"dt\":\"2024-02-29\","
	  "\"tm\":\"2026-04-01T09:30+09:00\",\"s\":\"a\",\"m\":[\"a\",\"b\"],"
	  "\"c1\":5.5,\"gi\":1,\"gs\":\"b\",\"r\":[{\"rt\":\"maker\",\"ri\":2,"
	  "\"rd\":0.5,\"rs\":\"3\",\"rm\":\"a 3\",\"rc\":4,\"rdt\":\"2020-01-01\"},"
	  "{\"ri\":\"7\",\"rm\":[]}],\"total\":9}", TEXT,
	  { "m=a b", "rm[0]=a 3", "ri[1]=7", "tm=2026-04-01T09:30+09:00" } },
	{ "integers", "{\"i\":-0,\"gi\":-12,\"r\":[{\"ri\":9007199254740993},"
	  "{\"ri\":-9223372036854775808}]}", TEXT,
	  { "i=0", "gi=", "ri[0]=9007199254740993",
	    "ri[1]=-9223372036854775808" } },
	{ "reals as integers", "{\"i\":1e2,\"gi\":-3.0,\"r\":[{\"ri\":2E1},"
	  "{\"ri\":1.5}]}", TEXT, { "i=100", "gi=-3", "ri[0]=20" } },
	{ "decimals", "{\"d\":-0.0,\"r\":[{\"rd\":1E-3},{\"rd\":0.1e+1},"
	  "{\"rd\":123456789012345678},{\"rd\":1e15}]}", TEXT,
	  { "d=0", "rd[0]=0.001", "rd[1]=1", "rd[3]=1000000000000000" } },
	{ "negative zero and tiny", "{\"d\":-0,\"r\":[{\"rd\":-1e-320},"
	  "{\"rd\":5e-324}]}", TEXT, { "d=0" } },
	{ "numbers as text", "{\"i\":\" 12 \",\"d\":\" 2.50 \",\"s\":3,"
	  "\"r\":[{\"ri\":\"-4\",\"rd\":\"1e3\"}]}", TEXT,
	  { "i=12", "d=2.5", "s=3", "rd[0]=1000" } },
	{ "escapes", "{\"t\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\te\",\"s\":\"\\u0061\","
	  "\"m\":\"a\\u0020b\",\"r\":[{\"rt\":\"\\u30e1\\u30fc\\u30ab\\u30fc\"}]}",
	  TEXT, { "t=a\"b\\c/d\b\f\n\r\te", "s=a", "m=a b",
		  "rt[0]=メーカー" } },
	{ "surrogate pair", "{\"t\":\"\\ud83d\\ude00 \\u00e9\"}", TEXT,
	  { "t=😀 é" } },
	{ "unicode", "{\"t\":\"病院 é 😀\",\"s\":\"3\",\"m\":[\"e.x\",\"a\"],"
	  "\"r\":[{\"rs\":\"é\",\"rt\":\"メーカー\"}]}", TEXT,
	  { "t=病院 é 😀", "m=e.x a", "rt[0]=メーカー" } },
	{ "wrong types", "{\"t\":5,\"i\":true,\"d\":\"x\",\"dt\":3,\"tm\":false,"
	  "\"s\":1.5,\"m\":[1,\"a\"],\"gi\":{},\"gs\":[],\"r\":[{\"ri\":[1],"
	  "\"rd\":{\"a\":[1,{\"b\":null}]},\"rs\":false,\"rm\":{},"
	  "\"rt\":[\"x\"],\"rdt\":2}]}", TEXT, { NULL } },
	{ "not in the list", "{\"s\":\"z\",\"m\":[\"a\",\"a\",\"q\"],"
	  "\"r\":[{\"rm\":\"a zz a\"}]}", TEXT, { NULL } },
	{ "null and empty", "{\"t\":null,\"r\":null,\"m\":null,\"s\":\"\","
	  "\"i\":\"\",\"dt\":\" \"}", TEXT, { "t=", "s=" } },
	{ "empty rows", "{\"s\":\"a\",\"r\":[{},{}]}", TEXT, { NULL } },
	{ "too many rows", "{\"s\":\"a\",\"r\":[{},{},{},{},{},{},{}]}", TEXT,
	  { NULL } },
	{ "whitespace", " \n\t{ \"t\" : \"x\" , \"r\" : [ { \"ri\" : 2 } , "
	  "{ } ] } \r\n", TEXT, { "t=x", "ri[0]=2" } },
	{ "deep value of a calculation", "{\"c1\":[[[[[[[[1]]]]]]]],\"t\":\"x\"}",
	  TEXT, { "t=x" } },
	{ "empty object", "{}", TEXT, { NULL } },
	/* what the text reader leaves to jansson */
	{ "a note answered", "{\"t\":\"x\",\"n1\":\"hi\"}", JANSSON, { NULL } },
	{ "unknown key", "{\"zz\":1,\"t\":\"x\"}", JANSSON, { NULL } },
	{ "key of a repeat at the top", "{\"ri\":2,\"t\":\"x\"}", JANSSON,
	  { NULL } },
	{ "key from outside the repeat", "{\"s\":\"a\",\"r\":[{\"t\":\"x\"}]}",
	  JANSSON, { NULL } },
	{ "repeated key", "{\"t\":\"x\",\"t\":\"y\"}", JANSSON, { "t=y" } },
	{ "repeated key in a row", "{\"s\":\"a\",\"r\":[{\"ri\":1,\"ri\":2}]}",
	  JANSSON, { "ri[0]=2" } },
	{ "repeated key after a repeat", "{\"t\":\"x\",\"r\":[{\"ri\":1}],"
	  "\"t\":\"y\"}", JANSSON, { "t=y" } },
	{ "escaped key", "{\"\\u0074\":\"x\"}", JANSSON, { "t=x" } },
	{ "rows that are not objects", "{\"s\":\"a\",\"r\":[5,{\"ri\":1}]}",
	  JANSSON, { NULL } },
	{ "repeat not a list", "{\"r\":{\"ri\":1}}", JANSSON, { NULL } },
	{ "too deep", "{\"c1\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]"
	  "]]]]]]]]]]]]]]]]]]]]]]]]}", JANSSON, { NULL } },
	{ "top-level list", "[{\"t\":\"x\"}]", JANSSON, { NULL } },
	/* not JSON: both refuse it */
	{ "trailing comma", "{\"t\":\"x\",}", JANSSON, { NULL } },
	{ "trailing text", "{\"t\":\"x\"} x", JANSSON, { NULL } },
	{ "\\u0000", "{\"t\":\"a\\u0000b\"}", JANSSON, { NULL } },
	{ "lone surrogate", "{\"t\":\"\\ud800\"}", JANSSON, { NULL } },
	{ "lone low surrogate", "{\"t\":\"\\udc00x\"}", JANSSON, { NULL } },
	{ "integer too big", "{\"i\":99999999999999999999}", JANSSON, { NULL } },
	{ "real too big", "{\"d\":1e999}", JANSSON, { NULL } },
	{ "leading zero", "{\"i\":012}", JANSSON, { NULL } },
	{ "invalid UTF-8", "{\"t\":\"\xff\"}", JANSSON, { NULL } },
	{ "overlong UTF-8", "{\"t\":\"\xc0\xaf\"}", JANSSON, { NULL } },
	{ "control character", "{\"t\":\"a\tb\"}", JANSSON, { NULL } },
	{ "bad escape", "{\"t\":\"\\x\"}", JANSSON, { NULL } },
	{ "unterminated", "{\"t\":\"x", JANSSON, { NULL } },
	{ "empty text", "", JANSSON, { NULL } },
};

struct fixture {
	struct instrument *ins;
	struct validator *tv, *dv;
	json_t *org;
};

static int setup_with(void **state, const char *file)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct strbuf err = STRBUF_INIT;
	enum mamori_err e;

	if (!f)
		return -1;
	e = file ? instrument_load_file(file, &f->ins, &err)
		 : instrument_load_mem("every", same_every_type,
				       sizeof(same_every_type) - 1, &f->ins,
				       &err);
	if (e) {
		fprintf(stderr, "%s", err.buf);
		strbuf_release(&err);
		free(f);
		return -1;
	}
	strbuf_release(&err);
	f->tv = validator_new(f->ins);
	f->dv = validator_new(f->ins);
	f->org = json_pack("{s:s,s:i}", "kind", "clinic", "beds", 19);
	*state = f;
	return f->tv && f->dv && f->org ? 0 : -1;
}

static int setup_every(void **state)
{
	return setup_with(state, NULL);
}

static int setup_survey(void **state)
{
	return setup_with(state, SURVEY);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	validator_free(f->tv);
	validator_free(f->dv);
	instrument_free(f->ins);
	json_decref(f->org);
	free(f);
	return 0;
}

/* "item=value" or "item[row]=value" against the text's validator. */
static void check_cell_text(struct fixture *f, const char *name,
			    const char *spec)
{
	const char *eq = strchr(spec, '='), *br = strchr(spec, '[');
	size_t row = 0, idlen = (size_t)((br && br < eq ? br : eq) - spec);
	const struct item *it = instrument_find(f->ins, spec, idlen);
	size_t len;

	if (br && br < eq)
		row = strtoul(br + 1, NULL, 10);
	if (!it)
		fail_msg("%s: no item in '%s'", name, spec);
	const char *v = validator_value(f->tv, it->index, row, &len);
	if (len != strlen(eq + 1) || memcmp(v, eq + 1, len))
		fail_msg("%s: %s is '%.*s'", name, spec, (int)len, v);
}

/* Both ways, under every option that changes what is read or said. */
static void run_case(struct fixture *f, const struct tcase *c)
{
	for (int k = 0; k < 8; k++) {
		struct vopts o = { .lang = k & 1 ? LANG_EN : LANG_JA,
				   .today = "2022-02-01",
				   .normalise = (k & 2) != 0,
				   .org = k & 4 ? f->org : NULL,
				   .counts_only = k == 7 };
		struct same_run t, d;
		const char *why;

		same_validate(f->tv, f->dv, c->json, strlen(c->json), &o, &t,
			      &d);
		for (int i = 0; i < 4 && c->cells[i] && t.e == MAMORI_OK; i++)
			check_cell_text(f, c->name, c->cells[i]);
		if ((why = same_diff(f->ins, f->tv, &t, f->dv, &d)))
			fail_msg("%s (options %d): text and document differ: "
				 "%s", c->name, k, why);
		/* who read it: the text reader alone, or jansson */
		begin(f->tv, &o);
		int rc = text_response(f->tv, c->json, strlen(c->json));
		if ((rc == 0) != (c->by == TEXT))
			fail_msg("%s: read by %s, expected %s", c->name,
				 rc == 0 ? "the text reader" : "jansson",
				 c->by == TEXT ? "the text reader" : "jansson");
	}
}

static void every_item_type(void **state)
{
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(every_cases) / sizeof(every_cases[0]);
	     i++)
		run_case(f, &every_cases[i]);
}

/* The errors a wrong type gives are the same, and read from the text. */
static void wrong_type_errors(void **state)
{
	struct fixture *f = *state;
	struct vopts o = { .lang = LANG_EN, .today = "2022-02-01" };
	const struct vresult *r;
	static const char js[] = "{\"t\":5,\"i\":true,\"s\":1.5,\"m\":[1,\"a\"],"
				 "\"r\":[{\"ri\":[1]}]}";
	char buf[512] = "";
	size_t off = 0;

	assert_int_equal(instrument_validate_text(f->tv, js, strlen(js), &o,
						  &r, NULL), MAMORI_OK);
	for (size_t i = 0; i < r->nerrors; i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s:%s",
					i ? "," : "", r->errors[i].item,
					verr_code_name(r->errors[i].code));
	/* the group of gi does not apply: no org.kind, no usable i */
	assert_string_equal(buf, "t:wrong_type,i:wrong_type,s:wrong_type,"
				 "m:wrong_type,r[1].ri:wrong_type");
	assert_null(f->tv->doc);	/* no document was made */
}

/* Text that is not JSON: jansson's message, MAMORI_EPARSE. */
static void not_json(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT;
	const struct vresult *r;

	assert_int_equal(instrument_validate_text(f->tv, "{\"t\":", 5, NULL,
						  &r, &err), MAMORI_EPARSE);
	assert_true(err.len > 0);
	strbuf_release(&err);
	assert_int_equal(instrument_validate_text(f->tv, "[1]", 3, NULL, &r,
						  NULL), MAMORI_EINVAL);
	assert_int_equal(instrument_validate_text(f->tv, NULL, 0, NULL, &r,
						  NULL), MAMORI_EPARSE);
}

/* The bundled survey's own test responses, and one a store holds. */
static void survey_responses(void **state)
{
	struct fixture *f = *state;
	static const char *const files[] = {
		"complete.json", "no-ehr.json", "no-vpn.json",
		"answers-skipped.json", "bad-constraint.json",
		"missing-required.json", "wrong-types.json",
	};
	static const struct tcase stored = {
		"stored", "{\"respondent_name\":\"高橋 直美\","
		"\"respondent_phone\":\"08-0371-0650\",\"q2_security_officer\":"
		"\"not_appointed\",\"q5_ehr\":\"yes\",\"q6_backup\":"
		"\"made_restore_tested\",\"q10_vpn\":\"yes\",\"q11_vpn_devices\":"
		"[{\"maker\":\"Fortinet\",\"units\":2},{\"maker\":\"ヤマハ\","
		"\"units\":1}],\"q12_vpn_updated\":\"no\"}", TEXT,
		{ "units[0]=2", "maker[1]=ヤマハ", NULL, NULL } };

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[512];
		snprintf(path, sizeof(path), DATA "%s", files[i]);
		FILE *fp = fopen(path, "rb");
		assert_non_null(fp);
		static char buf[65536];
		size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
		fclose(fp);
		buf[n] = '\0';
		struct tcase c = { files[i], buf, TEXT, { NULL } };
		/* hand-written files: jansson when they name what the
		 * text reader leaves to it */
		struct vopts o = { .today = "2022-02-01" };
		begin(f->tv, &o);
		c.by = text_response(f->tv, buf, n) ? JANSSON : TEXT;
		run_case(f, &c);
	}
	run_case(f, &stored);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(every_item_type, setup_every,
						teardown),
		cmocka_unit_test_setup_teardown(wrong_type_errors, setup_every,
						teardown),
		cmocka_unit_test_setup_teardown(not_json, setup_every,
						teardown),
		cmocka_unit_test_setup_teardown(survey_responses, setup_survey,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
