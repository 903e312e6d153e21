/*
 * jsonread.h - a fast reader of the JSON the store wrote itself (answers,
 * organisation attributes): the same jansson document json_loadb() makes,
 * in a fraction of its time, for reading whole campaigns.
 *
 * It takes strict RFC 8259 JSON whose top level is an object or an array,
 * as json_loadb(p, len, 0, ...) does, and gives up (NULL) on anything it
 * does not take or cannot be sure of (a \u0000 escape, a number out of
 * range, nesting deeper than STORE_JSON_MAX_DEPTH, invalid UTF-8, out of
 * memory). A caller that needs the reason or jansson's exact verdict on
 * such input falls back to json_loadb(): whenever this reader returns a
 * document, json_loadb() returns an equal one (tests/fuzz/store/
 * fuzz_jsonread.c checks this).
 */
#ifndef MAMORI_STORE_JSONREAD_H
#define MAMORI_STORE_JSONREAD_H

#include <jansson.h>
#include <stddef.h>

#define STORE_JSON_MAX_DEPTH 64

/* The document in p[0..len), or NULL (see above). Caller json_decref()s. */
json_t *store_json_read(const char *p, size_t len);

/* store_json_read(), else json_loadb(p, len, 0, je): the document, or NULL
 * with jansson's message in *je (je may be NULL). Caller json_decref()s. */
json_t *store_json_load(const char *p, size_t len, json_error_t *je);

#endif
