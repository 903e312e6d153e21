/*
 * num.h - the one checked way to turn text into numbers.
 *
 * Every parser is strict: the whole slice must be the number (no leading
 * or trailing space, no trailing garbage), otherwise MAMORI_EPARSE;
 * a value that does not fit gives MAMORI_ERANGE. *out is written only on
 * success.
 */
#ifndef MAMORI_NUM_H
#define MAMORI_NUM_H

#include <stdint.h>

#include "err.h"
#include "slice.h"

/* [+-]?[0-9]+ */
enum mamori_err num_parse_i64(struct slice s, int64_t *out);
/* [0-9]+ */
enum mamori_err num_parse_u64(struct slice s, uint64_t *out);
/*
 * A decimal as XPath's number() reads it: [+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)
 * with an optional exponent [eE][+-]?[0-9]+. No hex, inf or nan.
 */
enum mamori_err num_parse_double(struct slice s, double *out);
/* Like num_parse_i64, within [min, max]. */
enum mamori_err num_parse_range(struct slice s, int64_t min, int64_t max,
				int64_t *out);
/* true when num_parse_double would succeed. */
int num_is_number(struct slice s);

#endif
