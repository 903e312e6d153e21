/*
 * fuzz_version.c - the version grammars and comparator. The first byte
 * picks the scheme; the rest is split at the first newline into two
 * versions. Comparison must be a total order on what parses.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "evidence/version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct version a, b;

	if (size < 1)
		return 0;
	enum version_scheme s = data[0] % VS__MAX;
	char *text = malloc(size - 1 ? size - 1 : 1);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	struct slice all = slice_make(text, size - 1), x;
	struct slice y = slice_cut(all, '\n', &x);
	bool pa = version_parse(s, x, &a);
	bool pb = y.p && version_parse(s, y, &b);
	if (pa && version_cmp(&a, &a))
		abort();
	if (pa && pb && sign(version_cmp(&a, &b)) != -sign(version_cmp(&b, &a)))
		abort();
	free(text);
	return 0;
}
