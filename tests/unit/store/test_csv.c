/*
 * test_csv.c - the RFC 4180 reader: records, quoting, line numbers,
 * errors and limits, from memory and through the read callback.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/csv.h"
#include "util/strbuf.h"

struct csv_case {
	const char *name;
	const char *in;
	size_t len;		/* 0: strlen(in) */
	/* records as "line:f1|f2\n"; or the error message */
	const char *want;
	enum mamori_err err;
};

static const struct csv_case cases[] = {
	{ "simple", "a,b,c\n1,2,3\n", 0, "1:a|b|c\n2:1|2|3\n", MAMORI_OK },
	{ "crlf and no final newline", "a,b\r\n1,2", 0, "1:a|b\n2:1|2\n",
	  MAMORI_OK },
	{ "quoted comma", "x,\"a,b\"\n", 0, "1:x|a,b\n", MAMORI_OK },
	{ "doubled quote", "\"say \"\"hi\"\"\",z\n", 0, "1:say \"hi\"|z\n",
	  MAMORI_OK },
	{ "newline in quotes keeps counting lines",
	  "a,\"line1\nline2\"\nb,c\n", 0, "1:a|line1\nline2\n3:b|c\n",
	  MAMORI_OK },
	{ "empty fields", ",,\n", 0, "1:||\n", MAMORI_OK },
	{ "empty lines skipped", "a\n\n\r\nb\n", 0, "1:a\n4:b\n", MAMORI_OK },
	{ "trailing comma", "a,\n", 0, "1:a|\n", MAMORI_OK },
	{ "empty quoted", "\"\",x\n", 0, "1:|x\n", MAMORI_OK },
	{ "bare CR is data", "a\rb,c\n", 0, "1:a\rb|c\n", MAMORI_OK },
	{ "UTF-8 kept as bytes", "東京都,病院\n", 0, "1:東京都|病院\n",
	  MAMORI_OK },
	{ "empty input", "", 0, "", MAMORI_OK },
	{ "quote in unquoted field", "a,b\"c\n", 0,
	  "line 1: quote inside an unquoted field", MAMORI_EPARSE },
	{ "text after closing quote", "x\n\"a\"b,c\n", 0,
	  "line 2: text after a closing quote", MAMORI_EPARSE },
	{ "unterminated quote names its line", "a\nb,\"open\n\nmore", 0,
	  "line 2: quoted field not closed", MAMORI_EPARSE },
};

static void render(struct strbuf *out, const struct csv_record *r)
{
	strbuf_addf(out, "%lu:", r->line);
	for (size_t i = 0; i < r->nfields; i++) {
		if (i)
			strbuf_addch(out, '|');
		strbuf_addslice(out, r->fields[i]);
		/* every field is NUL-terminated too */
		assert_int_equal(r->fields[i].p[r->fields[i].len], '\0');
	}
	strbuf_addch(out, '\n');
}

struct chunked {
	const char *p;
	size_t len, off, step;
};

static long read_chunk(void *ud, char *buf, size_t n)
{
	struct chunked *c = ud;
	size_t k = c->len - c->off;

	if (k > c->step)
		k = c->step;
	if (k > n)
		k = n;
	memcpy(buf, c->p + c->off, k);
	c->off += k;
	return (long)k;
}

static void run_case(const struct csv_case *tc, int chunked_step)
{
	struct csv c;
	struct csv_record r;
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	struct chunked ch;
	size_t len = tc->len ? tc->len : strlen(tc->in);
	enum mamori_err e;

	if (chunked_step) {
		ch = (struct chunked){ tc->in, len, 0, (size_t)chunked_step };
		csv_init(&c, read_chunk, &ch, NULL);
	} else {
		csv_init_mem(&c, tc->in, len, NULL);
	}
	while ((e = csv_next(&c, &r, &err)) == MAMORI_OK)
		render(&out, &r);
	if (tc->err == MAMORI_OK) {
		if (e != MAMORI_ENOENT)
			fail_msg("%s: %s", tc->name, err.buf);
		assert_string_equal(out.buf, tc->want);
	} else {
		assert_int_equal(e, tc->err);
		assert_string_equal(err.buf, tc->want);
	}
	csv_release(&c);
	strbuf_release(&out);
	strbuf_release(&err);
}

static void table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run_case(&cases[i], 0);
		run_case(&cases[i], 1);	/* byte by byte through read() */
		run_case(&cases[i], 7);
	}
}

static void limits(void **state)
{
	struct csv_limits lim = { .max_field = 4, .max_record = 8,
				  .max_fields = 3 };
	struct csv c;
	struct csv_record r;
	struct strbuf err = STRBUF_INIT;
	(void)state;

	csv_init_mem(&c, "ok,abcd\nabcde\n", 14, &lim);
	assert_int_equal(csv_next(&c, &r, &err), MAMORI_OK);
	assert_int_equal(csv_next(&c, &r, &err), MAMORI_ETOOBIG);
	assert_string_equal(err.buf, "line 2: field longer than the limit");
	csv_release(&c);

	strbuf_reset(&err);
	csv_init_mem(&c, "a,b,c,d\n", 8, &lim);
	assert_int_equal(csv_next(&c, &r, &err), MAMORI_ETOOBIG);
	assert_string_equal(err.buf, "line 1: more fields than the limit");
	csv_release(&c);

	strbuf_reset(&err);
	csv_init_mem(&c, "abc,abc,abc\n", 12, &lim);
	assert_int_equal(csv_next(&c, &r, &err), MAMORI_ETOOBIG);
	assert_string_equal(err.buf, "line 1: record longer than the limit");
	csv_release(&c);
	strbuf_release(&err);
}

static long read_fails(void *ud, char *buf, size_t n)
{
	(void)ud;
	(void)buf;
	(void)n;
	return -1;
}

static void read_error(void **state)
{
	struct csv c;
	struct csv_record r;
	(void)state;
	csv_init(&c, read_fails, NULL, NULL);
	assert_int_equal(csv_next(&c, &r, NULL), MAMORI_EIO);
	csv_release(&c);
}

static void nul_bytes_kept(void **state)
{
	struct csv c;
	struct csv_record r;
	(void)state;
	csv_init_mem(&c, "a\0b,c\n", 6, NULL);
	assert_int_equal(csv_next(&c, &r, NULL), MAMORI_OK);
	assert_int_equal(r.nfields, 2);
	assert_int_equal(r.fields[0].len, 3);
	assert_memory_equal(r.fields[0].p, "a\0b", 3);
	csv_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table),
		cmocka_unit_test(limits),
		cmocka_unit_test(read_error),
		cmocka_unit_test(nul_bytes_kept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
