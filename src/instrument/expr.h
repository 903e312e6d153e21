/*
 * expr.h - the expression language (the XLSForm/XPath subset of
 * docs/instrument-format.md): one implementation, used by the engine,
 * the web's live skip logic and campaign target filters.
 *
 * An expression is compiled once (into an arena) and evaluated many times
 * without allocating: strings made during evaluation (concat, substr ...)
 * go to a scratch buffer owned by the evaluation context.
 *
 * Ownership: a compiled struct expr lives in the arena given to
 * expr_compile() and must not outlive it.
 */
#ifndef MAMORI_EXPR_H
#define MAMORI_EXPR_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"
#include "util/err.h"
#include "util/slice.h"
#include "util/strbuf.h"

struct expr;

/* ---- compiling ------------------------------------------------------ */

enum expr_ref_kind {
	EXPR_REF_VALUE,	/* one value */
	EXPR_REF_SET,	/* every row of a repeat: a node-set */
};

/*
 * How names are resolved at compile time. resolve() gets the text inside
 * ${...} (or a bare name when allow_bare_names) and returns a reference
 * number >= 0 that eval will hand back to its getter, or -1 when the name
 * is unknown (a compile error naming it). *kind says whether the
 * reference is a single value or a node-set.
 */
struct expr_env {
	int (*resolve)(void *ud, struct slice name, enum expr_ref_kind *kind);
	void *ud;
	bool allow_dot;		/* '.' (the current value) is allowed */
	bool allow_bare_names;	/* kind = 'hospital' without ${} */
};

/*
 * Compile src. On error appends one line "col N: message" (1-based
 * column within src) to err and returns MAMORI_EPARSE (syntax, unknown
 * function, wrong argument count, bad regex literal) or MAMORI_ENOENT
 * (unknown reference).
 */
enum mamori_err expr_compile(struct arena *a, const char *src,
			     const struct expr_env *env, struct expr **out,
			     struct strbuf *err);

/* The references an expression reads, for dependency ordering. */
size_t expr_refs(const struct expr *e, const int **refs);
/* True when the expression calls today() or now(). */
bool expr_uses_clock(const struct expr *e);

/* ---- evaluating ----------------------------------------------------- */

enum expr_kind { EXPR_STR, EXPR_NUM, EXPR_BOOL, EXPR_SET };

struct expr_value {
	enum expr_kind kind;
	double num;		/* EXPR_NUM */
	bool b;			/* EXPR_BOOL */
	struct slice str;	/* EXPR_STR (borrowed) */
	int ref;		/* EXPR_SET: the reference */
};

/*
 * How values are fetched at evaluation time.
 * get(ud, ref, out): the value of a single-value reference (a string; ""
 *   when unanswered or not relevant).
 * set_len(ud, ref) / set_item(ud, ref, i): the members of a node-set.
 */
struct expr_ctx {
	void (*get)(void *ud, int ref, struct slice *out);
	size_t (*set_len)(void *ud, int ref);
	void (*set_item)(void *ud, int ref, size_t i, struct slice *out);
	void *ud;
	struct slice dot;	/* the current value, for '.' */
	const char *today;	/* "YYYY-MM-DD" */
	char *scratch;		/* for strings made while evaluating */
	size_t scratch_len, scratch_used;
	const char *error;	/* set when evaluation fails (static text) */
	void *match_data;	/* pcre2_match_data for regex(), or NULL to
				   allocate one per call */
};

/*
 * Evaluate. Returns MAMORI_OK, or MAMORI_EEVAL with ctx->error set
 * (division by zero, bad regex, scratch space exhausted ...). Never
 * allocates. out->str may point into ctx->scratch or into answers.
 */
enum mamori_err expr_eval(const struct expr *e, struct expr_ctx *ctx,
			  struct expr_value *out);
/* XPath boolean()/number()/string() of a value. */
bool expr_to_bool(const struct expr_ctx *ctx, const struct expr_value *v);
double expr_to_num(const struct expr_ctx *ctx, const struct expr_value *v);
/* The string value; numbers are formatted into buf (at least 32 bytes). */
struct slice expr_to_str(const struct expr_ctx *ctx,
			 const struct expr_value *v, char *buf, size_t len);

/* ---- describing ------------------------------------------------------ */

/*
 * Writing a condition in words for people ("only if Q5 is 'Yes'"):
 * ref_name(ud, ref) names a reference ("Q5", "問5"); value_label(ud, ref,
 * value) gives the label of a choice value of that item, or NULL.
 */
struct expr_words {
	const char *(*ref_name)(void *ud, int ref);
	const char *(*value_label)(void *ud, int ref, struct slice value);
	void *ud;
	int ja;			/* Japanese phrasing */
};

/* Appends the words for e to out; falls back to the expression text. */
void expr_describe(const struct expr *e, const struct expr_words *w,
		   struct strbuf *out);

/* True for a real calendar date "YYYY-MM-DD". */
bool expr_is_date(struct slice s);
/*
 * True for a real local date-time "YYYY-MM-DDTHH:MM", optional ":SS",
 * optional zone "Z" or "+HH:MM" / "-HH:MM" (ISO 8601).
 */
bool expr_is_datetime(struct slice s);

/* ---- attribute filters (campaign targets) --------------------------- */

/*
 * A boolean expression over the attributes of one record, e.g.
 * "kind = 'hospital' and beds >= 20" or "${prefecture} = '13'". Names may
 * be bare or in ${}; any name is accepted and reads the attribute of that
 * name (missing: ""). The owner frees it with attr_expr_free().
 */
struct attr_expr;
enum mamori_err attr_expr_compile(const char *src, struct attr_expr **out,
				  struct strbuf *err);
/* attrs: a JSON object; strings, numbers and booleans are read as text. */
enum mamori_err attr_expr_eval(const struct attr_expr *e, const json_t *attrs,
			       bool *out, struct strbuf *err);
void attr_expr_free(struct attr_expr *e);

#endif
