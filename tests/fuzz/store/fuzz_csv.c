/*
 * fuzz_csv.c - libFuzzer target for the CSV reader (util/csv.h): any
 * bytes, read whole and in small chunks, must give the same records or
 * the same error, within the limits, with every field NUL-terminated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/csv.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct chunks {
	const uint8_t *p;
	size_t len, off, step;
};

static long read_chunk(void *ud, char *buf, size_t n)
{
	struct chunks *c = ud;
	size_t k = c->len - c->off;

	if (k > c->step)
		k = c->step;
	if (k > n)
		k = n;
	memcpy(buf, c->p + c->off, k);
	c->off += k;
	return (long)k;
}

/* All records as one string, then the error code and message. */
static void run(struct csv *c, const struct csv_limits *lim,
		struct strbuf *out)
{
	struct csv_record r;
	struct strbuf err = STRBUF_INIT;
	enum mamori_err e;
	unsigned long last = 0;

	while ((e = csv_next(c, &r, &err)) == MAMORI_OK) {
		if (r.line < last || r.nfields == 0 ||
		    r.nfields > lim->max_fields)
			abort();
		last = r.line;
		strbuf_addf(out, "%lu:", r.line);
		for (size_t i = 0; i < r.nfields; i++) {
			if (r.fields[i].len > lim->max_field ||
			    r.fields[i].p[r.fields[i].len] != '\0')
				abort();
			strbuf_addf(out, "%zu,", r.fields[i].len);
			strbuf_addslice(out, r.fields[i]);
		}
		strbuf_addch(out, '\n');
	}
	strbuf_addf(out, "=%d:%s", (int)e, err.buf);
	strbuf_release(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct csv_limits lim = { .max_field = 64, .max_record = 256,
					.max_fields = 16 };
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	struct chunks ch = { data, size, 0, size ? (size_t)data[0] % 7 + 1 : 1 };
	struct csv c;

	csv_init_mem(&c, (const char *)data, size, &lim);
	run(&c, &lim, &a);
	csv_release(&c);
	csv_init(&c, read_chunk, &ch, &lim);
	run(&c, &lim, &b);
	csv_release(&c);
	if (a.len != b.len || memcmp(a.buf, b.buf, a.len))
		abort();
	strbuf_release(&a);
	strbuf_release(&b);
	return 0;
}
