/*
 * fuzz_expr.c - libFuzzer target: any text as an expression, compiled
 * against a few names (values and a set) and evaluated when it compiles.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "instrument/expr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = { "a", "b", "n", "m", "d", "org.kind" };
static const char *const values[] = { "yes", "", "12", "x y z", "2025-03-31",
				      "hospital" };
static const char *const rows[] = { "1", "", "3.5" };

static int resolve(void *ud, struct slice name, enum expr_ref_kind *kind)
{
	(void)ud;
	*kind = EXPR_REF_VALUE;
	if (slice_eq_cstr(name, "rows")) {
		*kind = EXPR_REF_SET;
		return 99;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (slice_eq_cstr(name, names[i]))
			return (int)i;
	return -1;
}

static void get(void *ud, int ref, struct slice *out)
{
	(void)ud;
	*out = slice_from_cstr(ref >= 0 && ref < 6 ? values[ref] : "");
}

static size_t set_len(void *ud, int ref)
{
	(void)ud;
	return ref == 99 ? 3 : 0;
}

static void set_item(void *ud, int ref, size_t i, struct slice *out)
{
	(void)ud;
	*out = slice_from_cstr(ref == 99 && i < 3 ? rows[i] : "");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *src = malloc(size + 1);
	struct arena a;
	struct strbuf err = STRBUF_INIT;
	struct expr *e;
	struct expr_env env = { .resolve = resolve, .allow_dot = true };
	static char scratch[8192];

	if (!src)
		return 0;
	memcpy(src, data, size);
	src[size] = '\0';
	arena_init(&a, 4096);
	if (expr_compile(&a, src, &env, &e, &err) == MAMORI_OK) {
		struct expr_ctx ctx = { .get = get, .set_len = set_len,
					.set_item = set_item,
					.dot = SLICE_LIT("7"),
					.today = "2025-06-15",
					.scratch = scratch,
					.scratch_len = sizeof(scratch) };
		struct expr_value v;
		char buf[40];
		if (expr_eval(e, &ctx, &v) == MAMORI_OK) {
			(void)expr_to_bool(&ctx, &v);
			(void)expr_to_num(&ctx, &v);
			(void)expr_to_str(&ctx, &v, buf, sizeof(buf));
		}
	}
	arena_release(&a);
	strbuf_release(&err);
	free(src);
	return 0;
}
