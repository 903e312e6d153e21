/*
 * fuzz_org_import.c - libFuzzer target for the organisation import
 * (encoding detection, CP932 conversion, header mapping, typed
 * attributes) into an in-memory store. A rejected file must leave the
 * organisations as they were.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count(void *ud, const struct store_org *o)
{
	(void)o;
	(*(size_t *)ud)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct store *st;
	static const struct store_actor who = { "fuzz", "local" };
	struct store_open_opts o = { .create = true };
	struct store_import_stats s;
	struct strbuf err = STRBUF_INIT;
	size_t before = 0, after = 0;
	enum store_encoding enc;
	enum mamori_err e;

	if (!st && store_open(":memory:", &o, &st, NULL))
		abort();
	if (size < 1)
		return 0;
	enc = (enum store_encoding)(data[0] % STORE_ENC__MAX);
	store_org_list(st, NULL, count, &before, NULL);
	e = store_org_import_csv(st, &who, (const char *)data + 1, size - 1,
				 enc, &s, &err);
	store_org_list(st, NULL, count, &after, NULL);
	if (e != MAMORI_OK && after != before)
		abort();
	if (e == MAMORI_OK && s.created + s.updated + s.unchanged != s.rows)
		abort();
	strbuf_release(&err);
	return 0;
}
