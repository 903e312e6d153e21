/*
 * test_reply_json.c - reply_json() writes the JSON of a reply itself, not
 * through json_dumps(); its bytes must be json_dumps(JSON_COMPACT)'s and
 * a newline, for every value a reply can hold: strings with every
 * control character, quotes, backslashes and UTF-8 of each length,
 * members in their order, integers at their limits, reals, and a few
 * thousand random trees; and where json_dumps fails (a string that is
 * not UTF-8, a NaN, a bare scalar) the reply is the 500 it was.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "web/web_int.h"

/* reply_json(j) against json_dumps(j); takes j. */
static void same_as_jansson(json_t *j)
{
	struct req r;
	char *want = json_dumps(j, JSON_COMPACT);

	memset(&r, 0, sizeof(r));
	strbuf_init(&r.reply.body, 0);
	reply_json(&r, 201, j);	/* takes j */
	if (!want) {
		assert_int_equal(r.reply.status, 500);
	} else {
		assert_int_equal(r.reply.status, 201);
		assert_int_equal(r.reply.body.len, strlen(want) + 1);
		assert_memory_equal(r.reply.body.buf, want, strlen(want));
		assert_int_equal(r.reply.body.buf[strlen(want)], '\n');
	}
	assert_string_equal(r.reply.type, "application/json");
	free(want);
	strbuf_release(&r.reply.body);
}

static void strings(void **state)
{
	static const char *const texts[] = {
		"", "plain", "quote \" backslash \\ slash /", "\x7f del",
		"日本語の回答", "é ü ß", "emoji 😀 and 𝄞", "tab\tnl\ncr\r",
		"\b\f", "mixed \"日本\"\n\\end",
	};
	char ctl[40];
	json_t *o = json_object();

	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		json_t *a = json_array();
		json_array_append_new(a, json_string(texts[i]));
		json_object_set_new(o, texts[i], json_string(texts[i]));
		same_as_jansson(a);
	}
	/* every control character, NUL included */
	for (int c = 0; c < 0x20; c++)
		ctl[c] = (char)c;
	memcpy(ctl + 0x20, "\"\\x", 3);
	json_object_set_new(o, "ctl", json_stringn(ctl, 0x23));
	same_as_jansson(o);
	/* a key with a NUL in it */
	o = json_object();
	json_object_setn_new(o, "a\0b", 3, json_true());
	same_as_jansson(o);
}

static void numbers_and_order(void **state)
{
	static const double reals[] = {
		0.0, -0.0, 1.0, -1.5, 0.1, 1e300, -1e-300, 5e-324, 1e21,
		123456789012345678.0, 1e-7, 2.5e10, 3.14159, 1e100, 100.0,
	};
	json_t *a = json_array();
	json_t *o = json_pack("{s:i,s:s,s:n,s:b,s:b,s:[],s:{},s:[{}]}",
			      "z", 1, "a", "x", "m", "t", 1, "f", 0, "e", "o",
			      "ea");

	(void)state;
	json_array_append_new(a, json_integer(INT64_MIN));
	json_array_append_new(a, json_integer(INT64_MAX));
	json_array_append_new(a, json_integer(0));
	json_array_append_new(a, json_integer(-42));
	for (size_t i = 0; i < sizeof(reals) / sizeof(reals[0]); i++)
		json_array_append_new(a, json_real(reals[i]));
	json_object_set_new(o, "numbers", a);
	same_as_jansson(o);
	same_as_jansson(json_object());
	same_as_jansson(json_array());
}

static void failures(void **state)
{
	json_t *o;

	(void)state;
	o = json_object();	/* not UTF-8 */
	json_object_set_new(o, "bad", json_stringn_nocheck("\xff\xfe", 2));
	same_as_jansson(o);
	o = json_array();	/* an overlong sequence and a surrogate */
	json_array_append_new(o, json_stringn_nocheck("\xc0\xaf", 2));
	same_as_jansson(o);
	o = json_array();
	json_array_append_new(o, json_stringn_nocheck("\xed\xa0\x80", 3));
	same_as_jansson(o);
	o = json_array();	/* cut short */
	json_array_append_new(o, json_stringn_nocheck("ab\xe6\x97", 4));
	same_as_jansson(o);
	same_as_jansson(json_string("bare"));	/* no JSON_ENCODE_ANY */
	same_as_jansson(json_integer(3));
	same_as_jansson(NULL);
}

/* ---- random trees ------------------------------------------------------ */

static uint64_t rnd_state = 88172645463325252ull;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static json_t *rnd_string(void)
{
	static const char *const pieces[] = {
		"a", "Z", " ", "\"", "\\", "/", "\n", "\t", "\x01", "\x1f",
		"\x7f", "é", "日", "本", "😀", "0", "{", "]", ":", ",",
	};
	char buf[64];
	size_t n = 0, k = rnd() % 8;

	for (size_t i = 0; i < k; i++) {
		const char *p = pieces[rnd() % (sizeof(pieces) /
						sizeof(pieces[0]))];
		size_t l = strlen(p);
		if (n + l >= sizeof(buf))
			break;
		memcpy(buf + n, p, l);
		n += l;
	}
	return json_stringn(buf, n);
}

static json_t *rnd_value(int depth)
{
	switch (rnd() % (depth > 4 ? 6 : 8)) {
	case 0: return rnd_string();
	case 1: return json_integer((json_int_t)(rnd() >> (1 + rnd() % 63)) *
				    (rnd() % 2 ? 1 : -1));
	case 2: {
		uint64_t bits = rnd();
		double d;
		memcpy(&d, &bits, sizeof(d));
		if (!isfinite(d))
			d = (double)(int64_t)bits / 1e9;
		return json_real(d);
	}
	case 3: return json_true();
	case 4: return json_false();
	case 5: return json_null();
	case 6: {
		json_t *a = json_array();
		for (uint64_t i = rnd() % 5; i > 0; i--)
			json_array_append_new(a, rnd_value(depth + 1));
		return a;
	}
	default: {
		json_t *o = json_object();
		for (uint64_t i = rnd() % 5; i > 0; i--) {
			json_t *k = rnd_string();
			json_object_set_new(o, json_string_value(k),
					    rnd_value(depth + 1));
			json_decref(k);
		}
		return o;
	}
	}
}

static void random_trees(void **state)
{
	(void)state;
	for (int i = 0; i < 3000; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "v", rnd_value(0));
		same_as_jansson(o);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(strings),
		cmocka_unit_test(numbers_and_order),
		cmocka_unit_test(failures),
		cmocka_unit_test(random_trees),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
