/*
 * fuzz_kevupdate.c - "firmware update-catalog" on outside files: the input
 * is a KEV catalogue and up to three CVE records, JSON texts separated by
 * NUL bytes, applied to the bundled catalogue. Whatever the update makes
 * must be written and read back by the catalogue's own loader, or the
 * next "firmware check" could not start: that is checked (abort).
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence/kev.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *base;
	static size_t base_len;
	json_t *doc[4] = { NULL, NULL, NULL, NULL };
	size_t n = 0, at = 0;
	struct kev_catalog c, back;
	struct strbuf notes = STRBUF_INIT, err = STRBUF_INIT;
	char *out = NULL;
	size_t out_len = 0;
	FILE *f;

	if (!base) {	/* the bundled catalogue, as text, read once */
		struct kev_catalog b;
		kev_init(&b);
		if (kev_load(&b, kev_default_path(), &err))
			abort();
		f = open_memstream(&base, &base_len);
		if (!f)
			abort();
		kev_write_yaml(&b, f);
		fclose(f);
		kev_release(&b);
	}
	while (at <= size && n < 4) {
		const uint8_t *z = memchr(data + at, 0, size - at);
		size_t len = z ? (size_t)(z - (data + at)) : size - at;
		doc[n] = json_loadb((const char *)data + at, len, 0, NULL);
		if (!doc[n])
			break;
		n++;
		at += len + 1;
	}
	if (!n)
		goto out;
	kev_init(&c);
	if (kev_parse(&c, "bundled", base, base_len, &err))
		abort();	/* it was written by kev_write_yaml */
	if (kev_update(&c, doc[0], doc + 1, n - 1, &notes) == MAMORI_OK) {
		if (!(f = open_memstream(&out, &out_len)))
			abort();
		kev_write_yaml(&c, f);
		fclose(f);
		kev_init(&back);
		strbuf_reset(&err);
		if (kev_parse(&back, "updated", out, out_len, &err)) {
			fprintf(stderr, "the updated catalogue does not load: "
					"%s\n", err.buf);
			abort();
		}
		kev_release(&back);
		free(out);
	}
	kev_release(&c);
out:
	for (size_t i = 0; i < n; i++)
		json_decref(doc[i]);
	strbuf_release(&notes);
	strbuf_release(&err);
	return 0;
}
