/*
 * load.h - helpers shared by the catalogue and model loaders (internal to
 * the iotssf layer): typed reads from a located YAML tree that report
 * "file:line:col: message" and keep going, so one run lists every problem.
 * Must never be included outside src/iotssf/ and tests.
 */
#ifndef MAMORI_IOTSSF_LOAD_H
#define MAMORI_IOTSSF_LOAD_H

#include "iotssf/iotssf.h"
#include "util/ydoc.h"

struct ld {
	const struct ydoc *doc;
	struct arena *arena;		/* where results are copied */
	struct strbuf *err;
	int nerr;			/* problems reported so far */
	bool oom;
};

void ld_error(struct ld *l, const struct ydoc_node *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Checks kind; reports "WHAT must be KIND, not KIND" and returns false. */
bool ld_kind(struct ld *l, const struct ydoc_node *n, enum ydoc_kind k,
	     const char *what);
/* A required key of map; reports "WHAT: missing key 'KEY'" when absent. */
const struct ydoc_node *ld_need(struct ld *l, const struct ydoc_node *map,
				const char *key, const char *what);
/* A scalar string (borrowed from the document, which outlives the load
 * only when copied: use ld_strdup). NULL after reporting. */
const char *ld_str(struct ld *l, const struct ydoc_node *n, const char *what);
/* An identifier: [a-z0-9][a-z0-9._-]* up to 64 bytes, copied to the arena. */
const char *ld_id(struct ld *l, const struct ydoc_node *n, const char *what);
/* A text: a scalar (both languages) or {ja: , en: } (at least one). */
bool ld_text(struct ld *l, const struct ydoc_node *n, const char *what,
	     struct iot_text *out);
/* Optional text under key; leaves out zeroed when absent. */
void ld_opt_text(struct ld *l, const struct ydoc_node *map, const char *key,
		 const char *what, struct iot_text *out);
/* An integer in [lo, hi]. */
bool ld_int(struct ld *l, const struct ydoc_node *n, long lo, long hi,
	    const char *what, int *out);
/* One of names[0..n) (NULL entries skipped); returns the index or -1. */
int ld_enum(struct ld *l, const struct ydoc_node *n,
	    const char *const *names, size_t count, const char *what);
/* Arena allocation that records OOM. */
void *ld_calloc(struct ld *l, size_t n, size_t size);
const char *ld_strdup(struct ld *l, const char *s);
/* ydoc_check_keys that counts into l->nerr. */
void ld_keys(struct ld *l, const struct ydoc_node *map,
	     const char *const *allowed, const char *what);
/* A list node (a single scalar is not accepted); returns n or 0. */
size_t ld_list(struct ld *l, const struct ydoc_node *n, const char *what);
/* "what" strings are built here: returns an arena copy of the format. */
const char *ld_what(struct ld *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
