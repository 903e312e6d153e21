/*
 * fuzz_form.c - libFuzzer target: any bytes as an urlencoded body (and
 * so as a query string), parsed with the server's limits and with tight
 * ones; every field it accepts must be NUL-terminated text of the length
 * it claims, and the declared-field fetch must hold on it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct form_limits tight = { .max_fields = 8, .max_name = 16,
					  .max_value = 32 };

static const struct field_spec specs[] = {
	{ .name = "organisation", .kind = FIELD_ID, .max = 64,
	  .required = true },
	{ .name = "access_code", .kind = FIELD_CODE, .max = 64 },
	{ .name = "revision", .kind = FIELD_INT, .max = 18 },
	{ .name = "action", .kind = FIELD_TEXT, .max = 200 },
};

static void check(const struct form *f, const struct form_limits *lim)
{
	const char *out[4], *bad = NULL;

	if (f->n > lim->max_fields)
		abort();
	for (size_t i = 0; i < f->n; i++) {
		const struct form_field *x = &f->fields[i];
		if (strlen(x->name) != x->name_len || x->name_len == 0 ||
		    x->name_len > lim->max_name ||
		    strlen(x->value) != x->value_len ||
		    x->value_len > lim->max_value)
			abort();
		if (form_get(f, x->name) == NULL || form_count(f, x->name) == 0)
			abort();
	}
	if (form_fetch(f, specs, 4, out, &bad) == MAMORI_OK) {
		for (size_t i = 0; i < 4; i++)
			if (out[i] && !field_valid(specs[i].kind, out[i],
						   strlen(out[i])))
				abort();
	} else if (!bad) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct form_limits *lims[] = { &form_default_limits, &tight };

	for (size_t k = 0; k < 2; k++) {
		struct arena a;
		struct form f;
		enum mamori_err e;

		arena_init(&a, 1024);
		e = form_parse(&a, (const char *)data, size, lims[k], &f);
		if (e == MAMORI_OK)
			check(&f, lims[k]);
		else if (f.n != 0 || f.fields != NULL)
			abort();
		arena_release(&a);
	}
	return 0;
}
