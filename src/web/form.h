/*
 * form.h - application/x-www-form-urlencoded bodies and query strings:
 * outside input, parsed with limits on the number of fields and their
 * sizes, into NUL-terminated copies in the request's arena. Decoded
 * names and values are valid UTF-8 without control characters (tab, CR
 * and LF are allowed in values). Never allocates outside the arena.
 */
#ifndef MAMORI_WEB_FORM_H
#define MAMORI_WEB_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"
#include "util/err.h"
#include "util/slice.h"

struct form_limits {
	size_t max_fields;	/* pairs */
	size_t max_name;	/* bytes of a decoded name */
	size_t max_value;	/* bytes of a decoded value */
};

/* 2000 fields, names of 128 bytes, values of 64 KiB. */
extern const struct form_limits form_default_limits;

struct form_field {
	const char *name;	/* in the arena, NUL-terminated */
	const char *value;	/* in the arena, NUL-terminated */
	size_t name_len, value_len;
};

struct form {
	size_t n;
	struct form_field *fields;	/* in the arena */
};

/*
 * Parse body (len bytes; NULs in it are an error). MAMORI_EPARSE for a
 * malformed escape, invalid UTF-8, a control character or an empty name;
 * MAMORI_ETOOBIG when a limit is passed; MAMORI_ENOMEM. On failure *out
 * is empty.
 */
enum mamori_err form_parse(struct arena *a, const char *body, size_t len,
			   const struct form_limits *lim, struct form *out);

/* The first value of name, or NULL. */
const char *form_get(const struct form *f, const char *name);
/* How many fields are named name. */
size_t form_count(const struct form *f, const char *name);

/* ---- fields declared once, with their validators ------------------- */

enum field_kind {
	FIELD_TEXT,		/* any (already UTF-8 checked) text */
	FIELD_ID,		/* [A-Za-z0-9._-]+ */
	FIELD_INT,		/* [0-9]+ */
	FIELD_CODE,		/* access-code symbols, spaces and dashes */
	FIELD__MAX
};

struct field_spec {
	const char *name;
	enum field_kind kind;
	size_t max;		/* bytes */
	bool required;
};

/* Whether value (len bytes) is a valid value of kind. */
bool field_valid(enum field_kind kind, const char *value, size_t len);

/*
 * Fetch every field of specs (n of them) from f into out[i] (NULL when
 * absent and optional). MAMORI_EINVAL names the first bad field in
 * *bad.
 */
enum mamori_err form_fetch(const struct form *f, const struct field_spec *specs,
			   size_t n, const char **out, const char **bad);

#endif
