/*
 * fuzz_jsonread.c - libFuzzer target for the stored-JSON reader
 * (store/jsonread.h): whatever store_json_read() accepts, json_loadb()
 * must accept too and give the same document, keys in the same order and
 * numbers of the same type and value; store_json_load() must agree with
 * json_loadb() on every input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/jsonread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The same document to the byte: dumped in its own key order. */
static void same(const json_t *a, const json_t *b)
{
	char *x, *y;

	if (!json_equal(a, b))
		abort();
	x = json_dumps(a, JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
	y = json_dumps(b, JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
	if (!x || !y || strcmp(x, y))
		abort();
	free(x);
	free(y);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	json_t *fast = store_json_read(p, size);
	json_t *ref = json_loadb(p, size, 0, NULL);
	json_t *load;

	if (fast) {
		if (!ref)
			abort();
		same(fast, ref);
	}
	load = store_json_load(p, size, NULL);
	if (!load != !ref)
		abort();
	if (load)
		same(load, ref);
	json_decref(load);
	json_decref(ref);
	json_decref(fast);
	return 0;
}
