/*
 * expr.c - compile and evaluate the XLSForm/XPath expression subset.
 *
 * Compiling builds a small tree in the caller's arena (regex literals are
 * compiled there too, through a PCRE2 context that allocates from the
 * arena). Evaluating walks the tree; it must never allocate, never
 * recurse deeper than the parser allowed, and never crash on any value.
 */
#include "instrument/expr.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <math.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/num.h"
#include "util/banned.h"

#define EXPR_MAX_LEN 4096
#define EXPR_MAX_DEPTH 64
#define EXPR_MAX_ARGS 16

enum op {
	OP_STR,
	OP_NUM,
	OP_REF,
	OP_DOT,
	OP_OR,
	OP_AND,
	OP_EQ,
	OP_NE,
	OP_LT,
	OP_LE,
	OP_GT,
	OP_GE,
	OP_ADD,
	OP_SUB,
	OP_MUL,
	OP_DIV,
	OP_MOD,
	OP_NEG,
	OP_CALL,
	OP__MAX
};

enum fn {
	FN_IF,
	FN_COALESCE,
	FN_NOT,
	FN_TRUE,
	FN_FALSE,
	FN_BOOLEAN,
	FN_BOOLEAN_FROM_STRING,
	FN_SELECTED,
	FN_COUNT_SELECTED,
	FN_SELECTED_AT,
	FN_REGEX,
	FN_CONTAINS,
	FN_STARTS_WITH,
	FN_ENDS_WITH,
	FN_SUBSTR,
	FN_SUBSTRING_BEFORE,
	FN_SUBSTRING_AFTER,
	FN_STRING_LENGTH,
	FN_CONCAT,
	FN_NORMALIZE_SPACE,
	FN_STRING,
	FN_NUMBER,
	FN_INT,
	FN_ROUND,
	FN_FLOOR,
	FN_CEILING,
	FN_ABS,
	FN_COUNT,
	FN_COUNT_NON_EMPTY,
	FN_SUM,
	FN_MIN,
	FN_MAX,
	FN_TODAY,
	FN_DATE,
	FN_FY_START,
	FN_FY_END,
	FN__MAX
};

struct fn_def {
	const char *name;
	unsigned char min, max;	/* argument counts */
};

static const struct fn_def fns[FN__MAX] = {
	[FN_IF] = { "if", 3, 3 },
	[FN_COALESCE] = { "coalesce", 2, 2 },
	[FN_NOT] = { "not", 1, 1 },
	[FN_TRUE] = { "true", 0, 0 },
	[FN_FALSE] = { "false", 0, 0 },
	[FN_BOOLEAN] = { "boolean", 1, 1 },
	[FN_BOOLEAN_FROM_STRING] = { "boolean-from-string", 1, 1 },
	[FN_SELECTED] = { "selected", 2, 2 },
	[FN_COUNT_SELECTED] = { "count-selected", 1, 1 },
	[FN_SELECTED_AT] = { "selected-at", 2, 2 },
	[FN_REGEX] = { "regex", 2, 2 },
	[FN_CONTAINS] = { "contains", 2, 2 },
	[FN_STARTS_WITH] = { "starts-with", 2, 2 },
	[FN_ENDS_WITH] = { "ends-with", 2, 2 },
	[FN_SUBSTR] = { "substr", 2, 3 },
	[FN_SUBSTRING_BEFORE] = { "substring-before", 2, 2 },
	[FN_SUBSTRING_AFTER] = { "substring-after", 2, 2 },
	[FN_STRING_LENGTH] = { "string-length", 1, 1 },
	[FN_CONCAT] = { "concat", 1, EXPR_MAX_ARGS },
	[FN_NORMALIZE_SPACE] = { "normalize-space", 1, 1 },
	[FN_STRING] = { "string", 1, 1 },
	[FN_NUMBER] = { "number", 1, 1 },
	[FN_INT] = { "int", 1, 1 },
	[FN_ROUND] = { "round", 1, 2 },
	[FN_FLOOR] = { "floor", 1, 1 },
	[FN_CEILING] = { "ceiling", 1, 1 },
	[FN_ABS] = { "abs", 1, 1 },
	[FN_COUNT] = { "count", 1, 1 },
	[FN_COUNT_NON_EMPTY] = { "count-non-empty", 1, 1 },
	[FN_SUM] = { "sum", 1, 1 },
	[FN_MIN] = { "min", 1, EXPR_MAX_ARGS },
	[FN_MAX] = { "max", 1, EXPR_MAX_ARGS },
	[FN_TODAY] = { "today", 0, 0 },
	[FN_DATE] = { "date", 1, 1 },
	[FN_FY_START] = { "fiscal-year-start", 1, 1 },
	[FN_FY_END] = { "fiscal-year-end", 1, 1 },
};

struct node {
	enum op op;
	unsigned col;
	bool ref_eq_text;	/* OP_EQ/NE of ${ref} and a non-numeric text:
				   a plain comparison of bytes (the hot case) */
	union {
		struct slice str;	/* OP_STR */
		double num;		/* OP_NUM */
		struct {
			int id;
			enum expr_ref_kind kind;
		} ref;			/* OP_REF */
		struct {
			const struct node *a, *b;
		} bin;			/* binary and OP_NEG (a) */
		struct {
			enum fn fn;
			unsigned argc;
			const struct node **argv;
			pcre2_code *re;	/* FN_REGEX with a literal pattern */
		} call;
	} u;
};

struct expr {
	const struct node *root;
	int *refs;
	size_t nrefs;
	bool clock;
};

/* ---- lexer ---------------------------------------------------------- */

enum tok {
	T_END,
	T_REF,		/* ${name}: text is the name */
	T_NAME,		/* identifier or function name */
	T_STR,		/* 'x' or "x": text is the content */
	T_NUM,
	T_DOT,
	T_LPAREN,
	T_RPAREN,
	T_COMMA,
	T_EQ,
	T_NE,
	T_LT,
	T_LE,
	T_GT,
	T_GE,
	T_PLUS,
	T_MINUS,
	T_STAR,
	T_ERR,
};

struct parser {
	const char *src;
	size_t len, pos;
	enum tok tok;
	struct slice text;
	double num;
	unsigned col;		/* 1-based column of the current token */
	int depth;
	struct arena *arena;
	const struct expr_env *env;
	struct strbuf *err;
	int failed;
	enum mamori_err code;
	/* collected references */
	int refs[256];
	size_t nrefs;
	bool clock;
	pcre2_general_context *gctx;
	pcre2_compile_context *cctx;
};

static void perr(struct parser *p, unsigned col, enum mamori_err code,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void perr(struct parser *p, unsigned col, enum mamori_err code,
		 const char *fmt, ...)
{
	va_list ap;

	if (p->failed)
		return;
	p->failed = 1;
	p->code = code;
	va_start(ap, fmt);
	strbuf_vaddf(p->err, fmt, ap);
	va_end(ap);
	strbuf_addf(p->err, " (col %u)", col);
}

static bool is_name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_name_char(char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' ||
	       c == '.' || c == ':';
}

static void lex(struct parser *p)
{
	const char *s = p->src;

	while (p->pos < p->len && (s[p->pos] == ' ' || s[p->pos] == '\t' ||
				   s[p->pos] == '\n' || s[p->pos] == '\r'))
		p->pos++;
	p->col = (unsigned)p->pos + 1;
	if (p->pos >= p->len) {
		p->tok = T_END;
		return;
	}
	char c = s[p->pos];
	switch (c) {
	case '$':
		if (p->pos + 1 < p->len && s[p->pos + 1] == '{') {
			size_t start = p->pos + 2, i = start;
			while (i < p->len && s[i] != '}')
				i++;
			if (i >= p->len) {
				perr(p, p->col, MAMORI_EPARSE,
				     "'${' without its closing '}'");
				p->tok = T_ERR;
				return;
			}
			p->text = slice_make(s + start, i - start);
			p->pos = i + 1;
			p->tok = T_REF;
			return;
		}
		break;
	case '\'':
	case '"': {
		size_t start = p->pos + 1, i = start;
		while (i < p->len && s[i] != c)
			i++;
		if (i >= p->len) {
			perr(p, p->col, MAMORI_EPARSE,
			     "a string that is never closed (missing %c)", c);
			p->tok = T_ERR;
			return;
		}
		p->text = slice_make(s + start, i - start);
		p->pos = i + 1;
		p->tok = T_STR;
		return;
	}
	case '(':
		p->pos++;
		p->tok = T_LPAREN;
		return;
	case ')':
		p->pos++;
		p->tok = T_RPAREN;
		return;
	case ',':
		p->pos++;
		p->tok = T_COMMA;
		return;
	case '=':
		p->pos++;
		p->tok = T_EQ;
		return;
	case '!':
		if (p->pos + 1 < p->len && s[p->pos + 1] == '=') {
			p->pos += 2;
			p->tok = T_NE;
			return;
		}
		break;
	case '<':
	case '>':
		if (p->pos + 1 < p->len && s[p->pos + 1] == '=') {
			p->pos += 2;
			p->tok = c == '<' ? T_LE : T_GE;
		} else {
			p->pos++;
			p->tok = c == '<' ? T_LT : T_GT;
		}
		return;
	case '+':
		p->pos++;
		p->tok = T_PLUS;
		return;
	case '-':
		p->pos++;
		p->tok = T_MINUS;
		return;
	case '*':
		p->pos++;
		p->tok = T_STAR;
		return;
	default:
		break;
	}
	if ((c >= '0' && c <= '9') ||
	    (c == '.' && p->pos + 1 < p->len && s[p->pos + 1] >= '0' &&
	     s[p->pos + 1] <= '9')) {
		size_t i = p->pos;
		while (i < p->len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i < p->len && s[i] == '.') {
			i++;
			while (i < p->len && s[i] >= '0' && s[i] <= '9')
				i++;
		}
		p->text = slice_make(s + p->pos, i - p->pos);
		if (num_parse_double(p->text, &p->num)) {
			perr(p, p->col, MAMORI_EPARSE, "bad number '%.*s'",
			     (int)p->text.len, p->text.p);
			p->tok = T_ERR;
			return;
		}
		p->pos = i;
		p->tok = T_NUM;
		return;
	}
	if (c == '.') {
		p->pos++;
		p->tok = T_DOT;
		return;
	}
	if (is_name_start(c)) {
		size_t i = p->pos + 1;
		while (i < p->len && is_name_char(s[i]))
			i++;
		p->text = slice_make(s + p->pos, i - p->pos);
		p->pos = i;
		p->tok = T_NAME;
		return;
	}
	perr(p, p->col, MAMORI_EPARSE, "unexpected character '%c'",
	     (c >= 32 && c < 127) ? c : '?');
	p->tok = T_ERR;
}

/* ---- parser: precedence climbing ----------------------------------- */

static struct node *new_node(struct parser *p, enum op op, unsigned col)
{
	struct node *n = arena_calloc(p->arena, 1, sizeof(*n));
	if (!n) {
		if (!p->failed) {
			p->failed = 1;
			p->code = MAMORI_ENOMEM;
		}
		return NULL;
	}
	n->op = op;
	n->col = col;
	return n;
}

static struct node *parse_or(struct parser *p);

static int add_ref(struct parser *p, int id)
{
	for (size_t i = 0; i < p->nrefs; i++)
		if (p->refs[i] == id)
			return 0;
	if (p->nrefs >= sizeof(p->refs) / sizeof(p->refs[0])) {
		perr(p, p->col, MAMORI_EPARSE, "too many references");
		return -1;
	}
	p->refs[p->nrefs++] = id;
	return 0;
}

static struct node *make_ref(struct parser *p, struct slice name, unsigned col)
{
	enum expr_ref_kind kind = EXPR_REF_VALUE;
	int id;
	struct node *n;

	if (name.len == 0) {
		perr(p, col, MAMORI_EPARSE, "empty reference '${}'");
		return NULL;
	}
	id = p->env && p->env->resolve ? p->env->resolve(p->env->ud, name, &kind)
				       : -1;
	if (id < 0) {
		perr(p, col, MAMORI_ENOENT, "unknown item '%.*s'",
		     (int)name.len, name.p);
		return NULL;
	}
	if (add_ref(p, id))
		return NULL;
	n = new_node(p, OP_REF, col);
	if (n) {
		n->u.ref.id = id;
		n->u.ref.kind = kind;
	}
	return n;
}

static void *arena_pcre_malloc(PCRE2_SIZE size, void *ud)
{
	return arena_alloc(ud, size);
}

static void arena_pcre_free(void *ptr, void *ud)
{
	(void)ptr;
	(void)ud;
}

static void free_regex(void *re)
{
	pcre2_code_free(re);
}

static pcre2_code *compile_regex(struct parser *p, struct slice pat,
				 unsigned col)
{
	int ecode;
	PCRE2_SIZE eoff;
	pcre2_code *re;

	if (!p->gctx) {
		p->gctx = pcre2_general_context_create(arena_pcre_malloc,
						       arena_pcre_free,
						       p->arena);
		p->cctx = p->gctx ? pcre2_compile_context_create(p->gctx)
				  : NULL;
		if (!p->cctx) {
			p->failed = 1;
			p->code = MAMORI_ENOMEM;
			return NULL;
		}
	}
	re = pcre2_compile((PCRE2_SPTR)pat.p, pat.len, PCRE2_UTF, &ecode,
			   &eoff, p->cctx);
	if (re) {
		/*
		 * JIT where the platform has it (several times faster);
		 * its executable memory is not in the arena, so free the
		 * code when the arena goes.
		 */
		(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
		if (arena_defer(p->arena, free_regex, re)) {
			p->failed = 1;
			p->code = MAMORI_ENOMEM;
			return NULL;
		}
	} else {
		PCRE2_UCHAR msg[160];
		pcre2_get_error_message(ecode, msg, sizeof(msg));
		perr(p, col, MAMORI_EPARSE,
		     "bad regular expression '%.*s': %s at offset %zu",
		     (int)pat.len, pat.p, (const char *)msg, (size_t)eoff);
	}
	return re;
}

static struct node *parse_primary(struct parser *p)
{
	struct node *n = NULL;
	unsigned col = p->col;

	if (p->failed)
		return NULL;
	if (++p->depth > EXPR_MAX_DEPTH) {
		perr(p, col, MAMORI_EPARSE, "expression nested too deeply");
		return NULL;
	}
	switch (p->tok) {
	case T_STR:
		n = new_node(p, OP_STR, col);
		if (n)
			n->u.str = arena_slice_dup(p->arena, p->text);
		lex(p);
		break;
	case T_NUM:
		n = new_node(p, OP_NUM, col);
		if (n)
			n->u.num = p->num;
		lex(p);
		break;
	case T_REF:
		n = make_ref(p, p->text, col);
		lex(p);
		break;
	case T_DOT:
		if (!p->env || !p->env->allow_dot) {
			perr(p, col, MAMORI_EPARSE,
			     "'.' (the current answer) is only allowed in a constraint");
			return NULL;
		}
		n = new_node(p, OP_DOT, col);
		lex(p);
		break;
	case T_LPAREN:
		lex(p);
		n = parse_or(p);
		if (p->failed)
			return NULL;
		if (p->tok != T_RPAREN) {
			perr(p, p->col, MAMORI_EPARSE, "missing ')'");
			return NULL;
		}
		lex(p);
		break;
	case T_MINUS:
		lex(p);
		n = new_node(p, OP_NEG, col);
		if (n)
			n->u.bin.a = parse_primary(p);
		break;
	case T_NAME: {
		struct slice name = p->text;
		size_t save = p->pos;
		lex(p);
		if (p->tok != T_LPAREN) {
			if (p->env && p->env->allow_bare_names) {
				n = make_ref(p, name, col);
				break;
			}
			(void)save;
			perr(p, col, MAMORI_EPARSE,
			     "'%.*s' is not a function call or a ${reference}; "
			     "write ${%.*s} for an item, or quote a text",
			     (int)name.len, name.p, (int)name.len, name.p);
			return NULL;
		}
		enum fn f;
		for (f = 0; f < FN__MAX; f++)
			if (slice_eq_cstr(name, fns[f].name))
				break;
		if (f == FN__MAX) {
			perr(p, col, MAMORI_EPARSE, "unknown function '%.*s'",
			     (int)name.len, name.p);
			return NULL;
		}
		const struct node *args[EXPR_MAX_ARGS];
		unsigned argc = 0;
		lex(p);
		if (p->tok != T_RPAREN) {
			for (;;) {
				if (argc == EXPR_MAX_ARGS) {
					perr(p, p->col, MAMORI_EPARSE,
					     "too many arguments to %s()",
					     fns[f].name);
					return NULL;
				}
				args[argc++] = parse_or(p);
				if (p->failed)
					return NULL;
				if (p->tok == T_COMMA) {
					lex(p);
					continue;
				}
				if (p->tok == T_RPAREN)
					break;
				perr(p, p->col, MAMORI_EPARSE,
				     "expected ',' or ')' in the arguments of %s()",
				     fns[f].name);
				return NULL;
			}
		}
		lex(p);
		if (argc < fns[f].min || argc > fns[f].max) {
			if (fns[f].min == fns[f].max)
				perr(p, col, MAMORI_EPARSE,
				     "%s() takes %u argument%s, not %u",
				     fns[f].name, fns[f].min,
				     fns[f].min == 1 ? "" : "s", argc);
			else
				perr(p, col, MAMORI_EPARSE,
				     "%s() takes %u to %u arguments, not %u",
				     fns[f].name, fns[f].min, fns[f].max, argc);
			return NULL;
		}
		n = new_node(p, OP_CALL, col);
		if (!n)
			return NULL;
		n->u.call.fn = f;
		n->u.call.argc = argc;
		n->u.call.argv = arena_alloc(p->arena,
					     (argc ? argc : 1) * sizeof(*args));
		if (!n->u.call.argv) {
			p->failed = 1;
			p->code = MAMORI_ENOMEM;
			return NULL;
		}
		memcpy(n->u.call.argv, args, argc * sizeof(*args));
		if (f == FN_TODAY)
			p->clock = true;
		if (f == FN_REGEX && args[1]->op == OP_STR)
			n->u.call.re = compile_regex(p, args[1]->u.str,
						     args[1]->col);
		break;
	}
	case T_END:
		perr(p, col, MAMORI_EPARSE, "the expression ends too early");
		return NULL;
	case T_ERR:
		return NULL;
	default:
		perr(p, col, MAMORI_EPARSE, "unexpected '%.*s'",
		     (int)(p->pos - (col - 1)), p->src + col - 1);
		return NULL;
	}
	p->depth--;
	return p->failed ? NULL : n;
}

/* Binary levels, loosest first. */
enum level { L_OR, L_AND, L_EQ, L_REL, L_ADD, L_MUL, L__MAX };

static enum op binop_at(struct parser *p, enum level lv)
{
	switch (lv) {
	case L_OR:
		return p->tok == T_NAME && slice_eq_cstr(p->text, "or") ? OP_OR
									: OP__MAX;
	case L_AND:
		return p->tok == T_NAME && slice_eq_cstr(p->text, "and")
			       ? OP_AND
			       : OP__MAX;
	case L_EQ:
		return p->tok == T_EQ ? OP_EQ : p->tok == T_NE ? OP_NE : OP__MAX;
	case L_REL:
		switch (p->tok) {
		case T_LT:
			return OP_LT;
		case T_LE:
			return OP_LE;
		case T_GT:
			return OP_GT;
		case T_GE:
			return OP_GE;
		default:
			return OP__MAX;
		}
	case L_ADD:
		return p->tok == T_PLUS ? OP_ADD : p->tok == T_MINUS ? OP_SUB
								      : OP__MAX;
	case L_MUL:
		if (p->tok == T_STAR)
			return OP_MUL;
		if (p->tok == T_NAME && slice_eq_cstr(p->text, "div"))
			return OP_DIV;
		if (p->tok == T_NAME && slice_eq_cstr(p->text, "mod"))
			return OP_MOD;
		return OP__MAX;
	default:
		return OP__MAX;
	}
}

static struct node *parse_level(struct parser *p, enum level lv)
{
	struct node *left;

	if (lv == L__MAX)
		return parse_primary(p);
	left = parse_level(p, lv + 1);
	while (!p->failed) {
		enum op op = binop_at(p, lv);
		unsigned col = p->col;
		if (op == OP__MAX)
			break;
		lex(p);
		struct node *right = parse_level(p, lv + 1);
		if (p->failed)
			return NULL;
		struct node *n = new_node(p, op, col);
		if (!n)
			return NULL;
		if ((op == OP_EQ || op == OP_NE) && left->op == OP_STR &&
		    right->op == OP_REF) {
			struct node *t = left;	/* ${ref} first */
			left = right;
			right = t;
		}
		n->u.bin.a = left;
		n->u.bin.b = right;
		n->ref_eq_text = (op == OP_EQ || op == OP_NE) &&
				 left->op == OP_REF &&
				 left->u.ref.kind == EXPR_REF_VALUE &&
				 right->op == OP_STR &&
				 !num_is_number(slice_trim(right->u.str));
		left = n;
	}
	return p->failed ? NULL : left;
}

static struct node *parse_or(struct parser *p)
{
	return parse_level(p, L_OR);
}

enum mamori_err expr_compile(struct arena *a, const char *src,
			     const struct expr_env *env, struct expr **out,
			     struct strbuf *err)
{
	struct parser p = { 0 };
	struct node *root;
	struct expr *e;

	p.src = src;
	p.len = strlen(src);
	p.arena = a;
	p.env = env;
	p.err = err;
	if (p.len > EXPR_MAX_LEN) {
		strbuf_addf(err, "expression longer than %d bytes",
			    EXPR_MAX_LEN);
		return MAMORI_ETOOBIG;
	}
	lex(&p);
	root = p.failed ? NULL : parse_or(&p);
	if (!p.failed && p.tok != T_END)
		perr(&p, p.col, MAMORI_EPARSE,
		     "unexpected '%.*s' after the end of the expression",
		     (int)(p.len - (p.col - 1) > 20 ? 20 : p.len - (p.col - 1)),
		     src + p.col - 1);
	if (p.failed) {
		if (p.code == MAMORI_ENOMEM && err->len == 0)
			strbuf_addstr(err, "out of memory");
		return p.code ? p.code : MAMORI_EPARSE;
	}
	e = arena_calloc(a, 1, sizeof(*e));
	if (!e)
		return MAMORI_ENOMEM;
	e->root = root;
	e->clock = p.clock;
	e->nrefs = p.nrefs;
	e->refs = arena_alloc(a, (p.nrefs ? p.nrefs : 1) * sizeof(int));
	if (!e->refs)
		return MAMORI_ENOMEM;
	memcpy(e->refs, p.refs, p.nrefs * sizeof(int));
	*out = e;
	return MAMORI_OK;
}

size_t expr_refs(const struct expr *e, const int **refs)
{
	*refs = e->refs;
	return e->nrefs;
}

bool expr_uses_clock(const struct expr *e)
{
	return e->clock;
}

/* ---- values --------------------------------------------------------- */

static struct slice set_first(const struct expr_ctx *ctx, int ref)
{
	struct slice s = { "", 0 };
	if (ctx->set_len && ctx->set_len(ctx->ud, ref) > 0)
		ctx->set_item(ctx->ud, ref, 0, &s);
	return s;
}

static double str_to_num(struct slice s)
{
	double d;
	s = slice_trim(s);
	if (num_parse_double(s, &d))
		return NAN;
	return d;
}

double expr_to_num(const struct expr_ctx *ctx, const struct expr_value *v)
{
	switch (v->kind) {
	case EXPR_NUM:
		return v->num;
	case EXPR_BOOL:
		return v->b ? 1 : 0;
	case EXPR_STR:
		return str_to_num(v->str);
	case EXPR_SET:
		return str_to_num(set_first(ctx, v->ref));
	}
	return NAN;
}

bool expr_to_bool(const struct expr_ctx *ctx, const struct expr_value *v)
{
	switch (v->kind) {
	case EXPR_NUM:
		return v->num != 0 && !isnan(v->num);
	case EXPR_BOOL:
		return v->b;
	case EXPR_STR:
		return v->str.len > 0;
	case EXPR_SET:
		return ctx->set_len && ctx->set_len(ctx->ud, v->ref) > 0;
	}
	return false;
}

static int format_num(double d, char *buf, size_t len)
{
	if (isnan(d))
		return snprintf(buf, len, "NaN");
	if (isinf(d))
		return snprintf(buf, len, d > 0 ? "Infinity" : "-Infinity");
	if (d == floor(d) && fabs(d) < 1e15 && len >= 24) {
		char tmp[24], *p = tmp + sizeof(tmp);
		long long x = (long long)d;
		unsigned long long u = x < 0 ? 0ULL - (unsigned long long)x
					     : (unsigned long long)x;
		do {
			*--p = (char)('0' + u % 10);
			u /= 10;
		} while (u);
		if (x < 0)
			*--p = '-';
		int n = (int)(tmp + sizeof(tmp) - p);
		memcpy(buf, p, (size_t)n);
		buf[n] = '\0';
		return n;
	}
	return snprintf(buf, len, "%.15g", d);
}

struct slice expr_to_str(const struct expr_ctx *ctx, const struct expr_value *v,
			 char *buf, size_t len)
{
	int n;

	switch (v->kind) {
	case EXPR_STR:
		return v->str;
	case EXPR_BOOL:
		return v->b ? SLICE_LIT("true") : SLICE_LIT("false");
	case EXPR_SET:
		return set_first(ctx, v->ref);
	case EXPR_NUM:
		n = format_num(v->num, buf, len);
		if (n < 0)
			n = 0;
		if ((size_t)n >= len)
			n = (int)len - 1;
		return slice_make(buf, (size_t)n);
	}
	return SLICE_LIT("");
}

/* ---- evaluation ----------------------------------------------------- */

static enum mamori_err fail(struct expr_ctx *ctx, const char *why)
{
	if (!ctx->error)
		ctx->error = why;
	return MAMORI_EEVAL;
}

static void set_num(struct expr_value *v, double d)
{
	v->kind = EXPR_NUM;
	v->num = d;
}

static void set_bool(struct expr_value *v, bool b)
{
	v->kind = EXPR_BOOL;
	v->b = b;
}

static void set_str(struct expr_value *v, struct slice s)
{
	v->kind = EXPR_STR;
	v->str = s;
}

/* Reserve n bytes of scratch; NULL when it is exhausted. */
static char *scratch(struct expr_ctx *ctx, size_t n)
{
	if (!ctx->scratch || ctx->scratch_len - ctx->scratch_used < n)
		return NULL;
	char *p = ctx->scratch + ctx->scratch_used;
	ctx->scratch_used += n;
	return p;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A real calendar date YYYY-MM-DD; *y, *m, *d when not NULL. */
static bool parse_date(struct slice s, int *y, int *m, int *d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31 };
	if (s.len != 10 || s.p[4] != '-' || s.p[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !is_digit(s.p[i]))
			return false;
	int yy = (s.p[0] - '0') * 1000 + (s.p[1] - '0') * 100 +
		 (s.p[2] - '0') * 10 + (s.p[3] - '0');
	int mm = (s.p[5] - '0') * 10 + (s.p[6] - '0');
	int dd = (s.p[8] - '0') * 10 + (s.p[9] - '0');
	if (mm < 1 || mm > 12 || dd < 1 || yy < 1)
		return false;
	int lim = mdays[mm - 1];
	if (mm == 2 && ((yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0))
		lim = 29;
	if (dd > lim)
		return false;
	if (y)
		*y = yy;
	if (m)
		*m = mm;
	if (d)
		*d = dd;
	return true;
}

bool expr_is_date(struct slice s)
{
	return parse_date(s, NULL, NULL, NULL);
}

/* Two digits at p as a number from 0 to max, else -1. */
static int two_digits(const char *p, int max)
{
	if (!is_digit(p[0]) || !is_digit(p[1]))
		return -1;
	int v = (p[0] - '0') * 10 + (p[1] - '0');
	return v <= max ? v : -1;
}

bool expr_is_datetime(struct slice s)
{
	size_t i;

	if (s.len < 16 || s.p[10] != 'T' ||
	    !parse_date(slice_make(s.p, 10), NULL, NULL, NULL))
		return false;
	if (two_digits(s.p + 11, 23) < 0 || s.p[13] != ':' ||
	    two_digits(s.p + 14, 59) < 0)
		return false;
	i = 16;
	if (i < s.len && s.p[i] == ':') {
		if (s.len < i + 3 || two_digits(s.p + i + 1, 59) < 0)
			return false;
		i += 3;
	}
	if (i == s.len)
		return true;
	if (s.p[i] == 'Z')
		return i + 1 == s.len;
	if (s.p[i] != '+' && s.p[i] != '-')
		return false;
	return s.len == i + 6 && two_digits(s.p + i + 1, 23) >= 0 &&
	       s.p[i + 3] == ':' && two_digits(s.p + i + 4, 59) >= 0;
}

static enum mamori_err eval(const struct node *n, struct expr_ctx *ctx,
			    struct expr_value *out);

/* Compare a and b for = (ne: for !=), XPath 1.0 with XLSForm's numbers. */
static bool values_equal(struct expr_ctx *ctx, const struct expr_value *a,
			 const struct expr_value *b)
{
	char ba[32], bb[32];

	if (a->kind == EXPR_SET || b->kind == EXPR_SET) {
		const struct expr_value *set = a->kind == EXPR_SET ? a : b;
		const struct expr_value *other = set == a ? b : a;
		size_t n = ctx->set_len ? ctx->set_len(ctx->ud, set->ref) : 0;
		if (other->kind == EXPR_BOOL)
			return (n > 0) == other->b;
		for (size_t i = 0; i < n; i++) {
			struct expr_value m;
			m.kind = EXPR_STR;
			ctx->set_item(ctx->ud, set->ref, i, &m.str);
			if (other->kind == EXPR_SET) {
				/* set = set: any pair equal */
				size_t k = ctx->set_len(ctx->ud, other->ref);
				for (size_t j = 0; j < k; j++) {
					struct expr_value o;
					o.kind = EXPR_STR;
					ctx->set_item(ctx->ud, other->ref, j,
						      &o.str);
					if (values_equal(ctx, &m, &o))
						return true;
				}
			} else if (values_equal(ctx, &m, other)) {
				return true;
			}
		}
		return false;
	}
	if (a->kind == EXPR_BOOL || b->kind == EXPR_BOOL)
		return expr_to_bool(ctx, a) == expr_to_bool(ctx, b);
	if (a->kind == EXPR_NUM || b->kind == EXPR_NUM)
		return expr_to_num(ctx, a) == expr_to_num(ctx, b);
	/* two strings: as numbers when both read as numbers */
	struct slice sa = expr_to_str(ctx, a, ba, sizeof(ba));
	struct slice sb = expr_to_str(ctx, b, bb, sizeof(bb));
	if (slice_eq(sa, sb))
		return true;	/* the same text is the same number too */
	if (num_is_number(sa) && num_is_number(sb))
		return str_to_num(sa) == str_to_num(sb);
	return false;
}

static bool values_relate(struct expr_ctx *ctx, enum op op,
			  const struct expr_value *a,
			  const struct expr_value *b)
{
	char ba[32], bb[32];
	struct slice sa = expr_to_str(ctx, a, ba, sizeof(ba));
	struct slice sb = expr_to_str(ctx, b, bb, sizeof(bb));
	int c;

	/*
	 * Dates and date-times compare as text: chronological for values
	 * written in the same zone (a date sorts before its own times).
	 */
	if (a->kind != EXPR_NUM && b->kind != EXPR_NUM &&
	    (parse_date(sa, NULL, NULL, NULL) || expr_is_datetime(sa)) &&
	    (parse_date(sb, NULL, NULL, NULL) || expr_is_datetime(sb))) {
		c = slice_cmp(sa, sb);
	} else {
		double x = expr_to_num(ctx, a), y = expr_to_num(ctx, b);
		if (isnan(x) || isnan(y))
			return false;
		c = x < y ? -1 : x > y;
	}
	switch (op) {
	case OP_LT:
		return c < 0;
	case OP_LE:
		return c <= 0;
	case OP_GT:
		return c > 0;
	case OP_GE:
		return c >= 0;
	default:
		return false;
	}
}

/* Evaluate argument i of call n to a string (numbers into buf). */
static enum mamori_err arg_str(const struct node *n, unsigned i,
			       struct expr_ctx *ctx, char *buf, size_t len,
			       struct slice *out)
{
	struct expr_value v;
	enum mamori_err e = eval(n->u.call.argv[i], ctx, &v);
	if (e)
		return e;
	struct slice s = expr_to_str(ctx, &v, buf, len);
	if (v.kind == EXPR_NUM) {
		/* copy out of the caller's small buffer into scratch */
		char *p = scratch(ctx, s.len ? s.len : 1);
		if (!p)
			return fail(ctx, "out of scratch space for strings");
		memcpy(p, s.p, s.len);
		s.p = p;
	}
	*out = s;
	return MAMORI_OK;
}

static enum mamori_err arg_num(const struct node *n, unsigned i,
			       struct expr_ctx *ctx, double *out)
{
	struct expr_value v;
	enum mamori_err e = eval(n->u.call.argv[i], ctx, &v);
	if (e)
		return e;
	*out = expr_to_num(ctx, &v);
	return MAMORI_OK;
}

/* Next space-separated token of s from *pos; false at the end. */
static bool next_token(struct slice s, size_t *pos, struct slice *tok)
{
	size_t i = *pos;
	while (i < s.len && (s.p[i] == ' ' || s.p[i] == '\t' || s.p[i] == '\n'))
		i++;
	if (i >= s.len) {
		*pos = i;
		return false;
	}
	size_t start = i;
	while (i < s.len && s.p[i] != ' ' && s.p[i] != '\t' && s.p[i] != '\n')
		i++;
	*tok = slice_make(s.p + start, i - start);
	*pos = i;
	return true;
}

static size_t utf8_len(struct slice s)
{
	size_t n = 0;
	for (size_t i = 0; i < s.len; i++)
		if (((unsigned char)s.p[i] & 0xC0) != 0x80)
			n++;
	return n;
}

/* Byte offset of character index ci (clamped to the end). */
static size_t utf8_offset(struct slice s, size_t ci)
{
	size_t n = 0;
	for (size_t i = 0; i < s.len; i++) {
		if (((unsigned char)s.p[i] & 0xC0) != 0x80) {
			if (n == ci)
				return i;
			n++;
		}
	}
	return s.len;
}

/* Visit every numeric member of argument values (sets expanded). */
struct agg {
	double sum, min, max;
	size_t n;
};

static enum mamori_err aggregate(const struct node *n, struct expr_ctx *ctx,
				 struct agg *ag)
{
	ag->sum = 0;
	ag->min = INFINITY;
	ag->max = -INFINITY;
	ag->n = 0;
	for (unsigned i = 0; i < n->u.call.argc; i++) {
		struct expr_value v;
		enum mamori_err e = eval(n->u.call.argv[i], ctx, &v);
		if (e)
			return e;
		size_t cnt = 1;
		if (v.kind == EXPR_SET)
			cnt = ctx->set_len ? ctx->set_len(ctx->ud, v.ref) : 0;
		for (size_t k = 0; k < cnt; k++) {
			double d;
			if (v.kind == EXPR_SET) {
				struct slice s;
				ctx->set_item(ctx->ud, v.ref, k, &s);
				s = slice_trim(s);
				if (s.len == 0)
					continue;	/* empty members skipped */
				d = str_to_num(s);
			} else if (v.kind == EXPR_STR &&
				   slice_trim(v.str).len == 0) {
				continue;
			} else {
				d = expr_to_num(ctx, &v);
			}
			ag->sum += d;
			if (d < ag->min || isnan(d))
				ag->min = d;
			if (d > ag->max || isnan(d))
				ag->max = d;
			ag->n++;
		}
	}
	return MAMORI_OK;
}

static enum mamori_err fiscal(struct expr_ctx *ctx, struct slice d, bool end,
			      struct expr_value *out)
{
	int y, m;
	if (!parse_date(d, &y, &m, NULL)) {
		set_str(out, SLICE_LIT(""));
		return MAMORI_OK;
	}
	int fy = m >= 4 ? y : y - 1;
	char *p = scratch(ctx, 11);
	if (!p)
		return fail(ctx, "out of scratch space for strings");
	snprintf(p, 11, end ? "%04d-03-31" : "%04d-04-01", end ? fy + 1 : fy);
	set_str(out, slice_make(p, 10));
	return MAMORI_OK;
}

static enum mamori_err call(const struct node *n, struct expr_ctx *ctx,
			    struct expr_value *out)
{
	char b1[32], b2[32];
	struct slice s, t;
	struct expr_value v;
	double x, y;
	enum mamori_err e = MAMORI_OK;
	const struct node *const *a = n->u.call.argv;

	switch (n->u.call.fn) {
	case FN_IF:
		if ((e = eval(a[0], ctx, &v)))
			return e;
		return eval(expr_to_bool(ctx, &v) ? a[1] : a[2], ctx, out);
	case FN_COALESCE:
		if ((e = eval(a[0], ctx, out)))
			return e;
		s = expr_to_str(ctx, out, b1, sizeof(b1));
		if (s.len)
			return out->kind == EXPR_NUM ? MAMORI_OK
						     : (set_str(out, s), MAMORI_OK);
		return eval(a[1], ctx, out);
	case FN_NOT:
	case FN_BOOLEAN:
		if ((e = eval(a[0], ctx, &v)))
			return e;
		set_bool(out, expr_to_bool(ctx, &v) ^ (n->u.call.fn == FN_NOT));
		return MAMORI_OK;
	case FN_TRUE:
	case FN_FALSE:
		set_bool(out, n->u.call.fn == FN_TRUE);
		return MAMORI_OK;
	case FN_BOOLEAN_FROM_STRING:
		if ((e = arg_str(n, 0, ctx, b1, sizeof(b1), &s)))
			return e;
		s = slice_trim(s);
		set_bool(out, slice_eq_cstr(s, "true") || slice_eq_cstr(s, "1"));
		return MAMORI_OK;
	case FN_SELECTED: {
		if ((e = arg_str(n, 0, ctx, b1, sizeof(b1), &s)) ||
		    (e = arg_str(n, 1, ctx, b2, sizeof(b2), &t)))
			return e;
		size_t pos = 0;
		struct slice tok;
		t = slice_trim(t);
		bool found = false;
		while (!found && next_token(s, &pos, &tok))
			found = slice_eq(tok, t);
		set_bool(out, found);
		return MAMORI_OK;
	}
	case FN_COUNT_SELECTED: {
		if ((e = arg_str(n, 0, ctx, b1, sizeof(b1), &s)))
			return e;
		size_t pos = 0, cnt = 0;
		struct slice tok;
		while (next_token(s, &pos, &tok))
			cnt++;
		set_num(out, (double)cnt);
		return MAMORI_OK;
	}
	case FN_SELECTED_AT: {
		if ((e = arg_str(n, 0, ctx, b1, sizeof(b1), &s)) ||
		    (e = arg_num(n, 1, ctx, &x)))
			return e;
		size_t pos = 0;
		struct slice tok = { "", 0 };
		double k = 0;
		bool hit = false;
		if (!isnan(x) && x >= 0) {
			while (next_token(s, &pos, &tok)) {
				if (k == floor(x)) {
					hit = true;
					break;
				}
				k++;
			}
		}
		set_str(out, hit ? tok : SLICE_LIT(""));
		return MAMORI_OK;
	}
	case FN_REGEX: {
		pcre2_code *re = n->u.call.re;
		if ((e = arg_str(n, 0, ctx, b1, sizeof(b1), &s)))
			return e;
		if (!re) {
			/*
			 * A pattern computed at run time: compiled here, with
			 * the system allocator, and freed before returning.
			 */
			int ecode;
			PCRE2_SIZE eoff;
			if ((e = arg_str(n, 1, ctx, b2, sizeof(b2), &t)))
				return e;
			re = pcre2_compile((PCRE2_SPTR)t.p, t.len, PCRE2_UTF,
					   &ecode, &eoff, NULL);
			if (!re)
				return fail(ctx, "bad regular expression");
		}
		pcre2_match_data *md = ctx->match_data;
		pcre2_match_data *own = NULL;
		if (!md) {
			own = pcre2_match_data_create(1, NULL);
			md = own;
		}
		int rc = md ? pcre2_match(re, (PCRE2_SPTR)(s.p ? s.p : ""),
					  s.len, 0, 0, md, NULL)
			    : PCRE2_ERROR_NOMEMORY;
		if (own)
			pcre2_match_data_free(own);
		if (re != n->u.call.re)
			pcre2_code_free(re);
		if (rc == PCRE2_ERROR_UTF8_ERR1 || (rc < -1 && rc >= -21))
			return fail(ctx, "text is not valid UTF-8 for regex()");
		if (rc < 0 && rc != PCRE2_ERROR_NOMATCH)
			return fail(ctx, "regex() failed (match limit)");
		set_bool(out, rc >= 0);
		return MAMORI_OK;
	}
	case FN_CONTAINS:
	case FN_STARTS_WITH:
	case FN_ENDS_WITH:
	case FN_SUBSTRING_BEFORE:
	case FN_SUBSTRING_AFTER: {
		if ((e = arg_str(n, 0, ctx, b1, sizeof(b1), &s)) ||
		    (e = arg_str(n, 1, ctx, b2, sizeof(b2), &t)))
			return e;
		long at;
		switch (n->u.call.fn) {
		case FN_CONTAINS:
			set_bool(out, slice_find(s, t) >= 0);
			break;
		case FN_STARTS_WITH:
			set_bool(out, slice_starts_with(s, t));
			break;
		case FN_ENDS_WITH:
			set_bool(out, slice_ends_with(s, t));
			break;
		case FN_SUBSTRING_BEFORE:
			at = slice_find(s, t);
			set_str(out, at < 0 ? SLICE_LIT("")
					    : slice_make(s.p, (size_t)at));
			break;
		default:
			at = slice_find(s, t);
			set_str(out, at < 0 ? SLICE_LIT("")
					    : slice_make(s.p + at + t.len,
							 s.len - (size_t)at - t.len));
			break;
		}
		return MAMORI_OK;
	}
	case FN_SUBSTR: {
		if ((e = arg_str(n, 0, ctx, b1, sizeof(b1), &s)) ||
		    (e = arg_num(n, 1, ctx, &x)))
			return e;
		size_t chars = utf8_len(s);
		y = (double)chars;
		if (n->u.call.argc == 3 && (e = arg_num(n, 2, ctx, &y)))
			return e;
		if (isnan(x) || isnan(y)) {
			set_str(out, SLICE_LIT(""));
			return MAMORI_OK;
		}
		x = x < 0 ? 0 : floor(x);
		y = y > (double)chars ? (double)chars : floor(y);
		if (y <= x) {
			set_str(out, SLICE_LIT(""));
			return MAMORI_OK;
		}
		size_t from = utf8_offset(s, (size_t)x);
		size_t to = utf8_offset(s, (size_t)y);
		set_str(out, slice_make(s.p + from, to - from));
		return MAMORI_OK;
	}
	case FN_STRING_LENGTH:
		if ((e = arg_str(n, 0, ctx, b1, sizeof(b1), &s)))
			return e;
		set_num(out, (double)utf8_len(s));
		return MAMORI_OK;
	case FN_CONCAT: {
		/* Arguments first (they may use scratch), then one copy. */
		struct slice parts[EXPR_MAX_ARGS];
		char nb[EXPR_MAX_ARGS][32];
		size_t total = 0;
		for (unsigned i = 0; i < n->u.call.argc; i++) {
			if ((e = eval(a[i], ctx, &v)))
				return e;
			parts[i] = expr_to_str(ctx, &v, nb[i], sizeof(nb[i]));
			total += parts[i].len;
		}
		char *p = scratch(ctx, total ? total : 1);
		if (!p)
			return fail(ctx, "out of scratch space for strings");
		size_t off = 0;
		for (unsigned i = 0; i < n->u.call.argc; i++) {
			if (parts[i].len)
				memcpy(p + off, parts[i].p, parts[i].len);
			off += parts[i].len;
		}
		set_str(out, slice_make(p, total));
		return MAMORI_OK;
	}
	case FN_NORMALIZE_SPACE: {
		if ((e = arg_str(n, 0, ctx, b1, sizeof(b1), &s)))
			return e;
		char *p = scratch(ctx, s.len ? s.len : 1);
		if (!p)
			return fail(ctx, "out of scratch space for strings");
		size_t pos = 0, off = 0;
		struct slice tok;
		while (next_token(s, &pos, &tok)) {
			if (off)
				p[off++] = ' ';
			memcpy(p + off, tok.p, tok.len);
			off += tok.len;
		}
		set_str(out, slice_make(p, off));
		return MAMORI_OK;
	}
	case FN_STRING:
		if ((e = arg_str(n, 0, ctx, b1, sizeof(b1), &s)))
			return e;
		set_str(out, s);
		return MAMORI_OK;
	case FN_NUMBER:
	case FN_INT:
	case FN_FLOOR:
	case FN_CEILING:
	case FN_ABS:
		if ((e = arg_num(n, 0, ctx, &x)))
			return e;
		switch (n->u.call.fn) {
		case FN_INT:
			x = trunc(x);
			break;
		case FN_FLOOR:
			x = floor(x);
			break;
		case FN_CEILING:
			x = ceil(x);
			break;
		case FN_ABS:
			x = fabs(x);
			break;
		default:
			break;
		}
		set_num(out, x);
		return MAMORI_OK;
	case FN_ROUND: {
		if ((e = arg_num(n, 0, ctx, &x)))
			return e;
		y = 0;
		if (n->u.call.argc == 2 && (e = arg_num(n, 1, ctx, &y)))
			return e;
		if (isnan(y) || y > 15 || y < -15) {
			set_num(out, NAN);
			return MAMORI_OK;
		}
		double f = pow(10, trunc(y));
		set_num(out, floor(x * f + 0.5) / f);
		return MAMORI_OK;
	}
	case FN_COUNT:
	case FN_COUNT_NON_EMPTY:
		if ((e = eval(a[0], ctx, &v)))
			return e;
		if (v.kind != EXPR_SET) {
			s = expr_to_str(ctx, &v, b1, sizeof(b1));
			set_num(out, n->u.call.fn == FN_COUNT ? 1
							      : (s.len ? 1 : 0));
			return MAMORI_OK;
		}
		{
			size_t len = ctx->set_len ? ctx->set_len(ctx->ud, v.ref)
						  : 0, cnt = 0;
			if (n->u.call.fn == FN_COUNT) {
				cnt = len;
			} else {
				for (size_t i = 0; i < len; i++) {
					ctx->set_item(ctx->ud, v.ref, i, &s);
					cnt += s.len > 0;
				}
			}
			set_num(out, (double)cnt);
		}
		return MAMORI_OK;
	case FN_SUM:
	case FN_MIN:
	case FN_MAX: {
		struct agg ag;
		if ((e = aggregate(n, ctx, &ag)))
			return e;
		if (n->u.call.fn == FN_SUM)
			set_num(out, ag.sum);
		else if (ag.n == 0)
			set_num(out, NAN);
		else
			set_num(out, n->u.call.fn == FN_MIN ? ag.min : ag.max);
		return MAMORI_OK;
	}
	case FN_TODAY:
		if (!ctx->today)
			return fail(ctx, "today() has no date to give");
		set_str(out, slice_from_cstr(ctx->today));
		return MAMORI_OK;
	case FN_DATE:
		if ((e = arg_str(n, 0, ctx, b1, sizeof(b1), &s)))
			return e;
		s = slice_trim(s);
		set_str(out, parse_date(s, NULL, NULL, NULL) ? s
							     : SLICE_LIT(""));
		return MAMORI_OK;
	case FN_FY_START:
	case FN_FY_END:
		if ((e = arg_str(n, 0, ctx, b1, sizeof(b1), &s)))
			return e;
		return fiscal(ctx, slice_trim(s), n->u.call.fn == FN_FY_END,
			      out);
	case FN__MAX:
		break;
	}
	return fail(ctx, "unknown function");
}

static enum mamori_err eval(const struct node *n, struct expr_ctx *ctx,
			    struct expr_value *out)
{
	struct expr_value a, b;
	enum mamori_err e;
	double x, y;

	switch (n->op) {
	case OP_STR:
		set_str(out, n->u.str);
		return MAMORI_OK;
	case OP_NUM:
		set_num(out, n->u.num);
		return MAMORI_OK;
	case OP_REF:
		if (n->u.ref.kind == EXPR_REF_SET) {
			out->kind = EXPR_SET;
			out->ref = n->u.ref.id;
			return MAMORI_OK;
		}
		out->kind = EXPR_STR;
		out->str = SLICE_LIT("");
		if (ctx->get)
			ctx->get(ctx->ud, n->u.ref.id, &out->str);
		return MAMORI_OK;
	case OP_DOT:
		set_str(out, ctx->dot);
		return MAMORI_OK;
	case OP_OR:
	case OP_AND:
		if ((e = eval(n->u.bin.a, ctx, &a)))
			return e;
		if (expr_to_bool(ctx, &a) == (n->op == OP_OR)) {
			set_bool(out, n->op == OP_OR);
			return MAMORI_OK;
		}
		if ((e = eval(n->u.bin.b, ctx, &b)))
			return e;
		set_bool(out, expr_to_bool(ctx, &b));
		return MAMORI_OK;
	case OP_NEG:
		if ((e = eval(n->u.bin.a, ctx, &a)))
			return e;
		set_num(out, -expr_to_num(ctx, &a));
		return MAMORI_OK;
	case OP_CALL:
		return call(n, ctx, out);
	case OP_EQ:
	case OP_NE:
		if (n->ref_eq_text) {
			/*
			 * A text that is not a number equals only the same
			 * bytes (values_equal's rules, without their cost).
			 */
			struct slice v = SLICE_LIT("");
			if (ctx->get)
				ctx->get(ctx->ud, n->u.bin.a->u.ref.id, &v);
			set_bool(out, slice_eq(v, n->u.bin.b->u.str) ==
					      (n->op == OP_EQ));
			return MAMORI_OK;
		}
		break;
	default:
		break;
	}
	if ((e = eval(n->u.bin.a, ctx, &a)) || (e = eval(n->u.bin.b, ctx, &b)))
		return e;
	switch (n->op) {
	case OP_EQ:
		set_bool(out, values_equal(ctx, &a, &b));
		return MAMORI_OK;
	case OP_NE:
		set_bool(out, !values_equal(ctx, &a, &b));
		return MAMORI_OK;
	case OP_LT:
	case OP_LE:
	case OP_GT:
	case OP_GE:
		set_bool(out, values_relate(ctx, n->op, &a, &b));
		return MAMORI_OK;
	default:
		break;
	}
	x = expr_to_num(ctx, &a);
	y = expr_to_num(ctx, &b);
	switch (n->op) {
	case OP_ADD:
		set_num(out, x + y);
		return MAMORI_OK;
	case OP_SUB:
		set_num(out, x - y);
		return MAMORI_OK;
	case OP_MUL:
		set_num(out, x * y);
		return MAMORI_OK;
	case OP_DIV:
		if (y == 0)
			return fail(ctx, "division by zero");
		set_num(out, x / y);
		return MAMORI_OK;
	case OP_MOD:
		if (y == 0)
			return fail(ctx, "division by zero (mod)");
		set_num(out, fmod(x, y));
		return MAMORI_OK;
	default:
		break;
	}
	return fail(ctx, "bad expression");
}

enum mamori_err expr_eval(const struct expr *e, struct expr_ctx *ctx,
			  struct expr_value *out)
{
	ctx->error = NULL;
	return eval(e->root, ctx, out);
}

/* ---- describing ----------------------------------------------------- */

static void describe(const struct node *n, const struct expr_words *w,
		     struct strbuf *out, int parent_prec);

static int prec_of(enum op op)
{
	switch (op) {
	case OP_OR:
		return 1;
	case OP_AND:
		return 2;
	default:
		return 3;
	}
}

static void describe_operand(const struct node *n, const struct expr_words *w,
			     struct strbuf *out)
{
	char buf[40];

	switch (n->op) {
	case OP_REF:
		strbuf_addstr(out, w->ref_name(w->ud, n->u.ref.id));
		return;
	case OP_STR:
		strbuf_addstr(out, w->ja ? "「" : "'");
		strbuf_addslice(out, n->u.str);
		strbuf_addstr(out, w->ja ? "」" : "'");
		return;
	case OP_NUM:
		format_num(n->u.num, buf, sizeof(buf));
		strbuf_addstr(out, buf);
		return;
	case OP_DOT:
		strbuf_addstr(out, w->ja ? "回答" : "the answer");
		return;
	default:
		describe(n, w, out, 3);
		return;
	}
}

/* ${ref} = 'value' with the choice's label when there is one. */
static bool describe_choice(const struct node *ref, const struct node *val,
			    const struct expr_words *w, struct strbuf *out,
			    bool negate, bool selected)
{
	const char *label;

	if (ref->op != OP_REF || val->op != OP_STR)
		return false;
	label = w->value_label ? w->value_label(w->ud, ref->u.ref.id, val->u.str)
			       : NULL;
	const char *name = w->ref_name(w->ud, ref->u.ref.id);
	if (w->ja) {
		strbuf_addf(out, selected ? "%sで「" : "%sが「", name);
		if (label)
			strbuf_addstr(out, label);
		else
			strbuf_addslice(out, val->u.str);
		strbuf_addstr(out, selected ? (negate ? "」を選んでいない"
						      : "」を選んだ")
					    : (negate ? "」以外" : "」"));
	} else {
		strbuf_addf(out, "%s %s '", name,
			    selected ? (negate ? "does not include"
					       : "includes")
				     : (negate ? "is not" : "is"));
		if (label)
			strbuf_addstr(out, label);
		else
			strbuf_addslice(out, val->u.str);
		strbuf_addch(out, '\'');
	}
	return true;
}

static void describe(const struct node *n, const struct expr_words *w,
		     struct strbuf *out, int parent_prec)
{
	static const char *const rel[] = {
		[OP_LT] = "<", [OP_LE] = "≤", [OP_GT] = ">", [OP_GE] = "≥",
		[OP_EQ] = "=", [OP_NE] = "≠",
	};
	int prec = prec_of(n->op);

	switch (n->op) {
	case OP_OR:
	case OP_AND: {
		bool paren = prec < parent_prec;
		if (paren)
			strbuf_addstr(out, w->ja ? "（" : "(");
		describe(n->u.bin.a, w, out, prec);
		if (n->op == OP_AND)
			strbuf_addstr(out, w->ja ? "、かつ" : " and ");
		else
			strbuf_addstr(out, w->ja ? "、または" : " or ");
		describe(n->u.bin.b, w, out, prec);
		if (paren)
			strbuf_addstr(out, w->ja ? "）" : ")");
		return;
	}
	case OP_EQ:
	case OP_NE:
		if (describe_choice(n->u.bin.a, n->u.bin.b, w, out,
				    n->op == OP_NE, false) ||
		    describe_choice(n->u.bin.b, n->u.bin.a, w, out,
				    n->op == OP_NE, false))
			return;
		/* fall through */
	case OP_LT:
	case OP_LE:
	case OP_GT:
	case OP_GE:
		describe_operand(n->u.bin.a, w, out);
		strbuf_addf(out, " %s ", rel[n->op]);
		describe_operand(n->u.bin.b, w, out);
		return;
	case OP_CALL:
		if (n->u.call.fn == FN_SELECTED &&
		    describe_choice(n->u.call.argv[0], n->u.call.argv[1], w,
				    out, false, true))
			return;
		if (n->u.call.fn == FN_NOT &&
		    n->u.call.argv[0]->op == OP_CALL &&
		    n->u.call.argv[0]->u.call.fn == FN_SELECTED &&
		    describe_choice(n->u.call.argv[0]->u.call.argv[0],
				    n->u.call.argv[0]->u.call.argv[1], w, out,
				    true, true))
			return;
		strbuf_addf(out, "%s(", fns[n->u.call.fn].name);
		for (unsigned i = 0; i < n->u.call.argc; i++) {
			if (i)
				strbuf_addstr(out, ", ");
			describe_operand(n->u.call.argv[i], w, out);
		}
		strbuf_addch(out, ')');
		return;
	case OP_ADD:
	case OP_SUB:
	case OP_MUL:
	case OP_DIV:
	case OP_MOD: {
		static const char *const ar[] = { [OP_ADD] = "+", [OP_SUB] = "-",
						  [OP_MUL] = "×", [OP_DIV] = "÷",
						  [OP_MOD] = "mod" };
		strbuf_addch(out, '(');
		describe_operand(n->u.bin.a, w, out);
		strbuf_addf(out, " %s ", ar[n->op]);
		describe_operand(n->u.bin.b, w, out);
		strbuf_addch(out, ')');
		return;
	}
	case OP_NEG:
		strbuf_addch(out, '-');
		describe_operand(n->u.bin.a, w, out);
		return;
	case OP_REF:
		describe_operand(n, w, out);
		strbuf_addstr(out, w->ja ? "に回答がある" : " is answered");
		return;
	default:
		describe_operand(n, w, out);
		return;
	}
}

void expr_describe(const struct expr *e, const struct expr_words *w,
		   struct strbuf *out)
{
	describe(e->root, w, out, 0);
}

/* ---- attribute filters ---------------------------------------------- */

struct attr_expr {
	struct arena arena;
	struct expr *expr;
	size_t nnames;
	struct slice names[64];
};

static int attr_resolve(void *ud, struct slice name, enum expr_ref_kind *kind)
{
	struct attr_expr *ae = ud;

	*kind = EXPR_REF_VALUE;
	if (slice_starts_with(name, SLICE_LIT("org.")))
		name = slice_make(name.p + 4, name.len - 4);
	for (size_t i = 0; i < ae->nnames; i++)
		if (slice_eq(ae->names[i], name))
			return (int)i;
	if (ae->nnames == sizeof(ae->names) / sizeof(ae->names[0]))
		return -1;
	ae->names[ae->nnames] = arena_slice_dup(&ae->arena, name);
	if (!ae->names[ae->nnames].p)
		return -1;
	return (int)ae->nnames++;
}

enum mamori_err attr_expr_compile(const char *src, struct attr_expr **out,
				  struct strbuf *err)
{
	struct attr_expr *ae = calloc(1, sizeof(*ae));
	struct expr_env env = { .resolve = attr_resolve,
				.allow_bare_names = true };
	enum mamori_err e;

	if (!ae)
		return MAMORI_ENOMEM;
	arena_init(&ae->arena, 4096);
	env.ud = ae;
	e = expr_compile(&ae->arena, src, &env, &ae->expr, err);
	if (e) {
		attr_expr_free(ae);
		return e;
	}
	*out = ae;
	return MAMORI_OK;
}

struct attr_eval {
	const struct attr_expr *ae;
	const json_t *attrs;
	char nums[64][32];
};

static void attr_get(void *ud, int ref, struct slice *out)
{
	struct attr_eval *ev = ud;
	const json_t *v;
	char name[256];
	struct slice n = ev->ae->names[ref];

	*out = SLICE_LIT("");
	if (n.len >= sizeof(name) || !json_is_object(ev->attrs))
		return;
	memcpy(name, n.p, n.len);
	name[n.len] = '\0';
	v = json_object_get(ev->attrs, name);
	if (json_is_string(v)) {
		*out = slice_make(json_string_value(v), json_string_length(v));
	} else if (json_is_integer(v)) {
		int k = snprintf(ev->nums[ref], sizeof(ev->nums[ref]), "%lld",
				 (long long)json_integer_value(v));
		*out = slice_make(ev->nums[ref], (size_t)k);
	} else if (json_is_real(v)) {
		int k = format_num(json_real_value(v), ev->nums[ref],
				   sizeof(ev->nums[ref]));
		*out = slice_make(ev->nums[ref], (size_t)k);
	} else if (json_is_boolean(v)) {
		*out = json_is_true(v) ? SLICE_LIT("true") : SLICE_LIT("false");
	}
}

enum mamori_err attr_expr_eval(const struct attr_expr *ae, const json_t *attrs,
			       bool *out, struct strbuf *err)
{
	struct attr_eval ev = { .ae = ae, .attrs = attrs };
	char buf[4096];
	struct expr_ctx ctx = { .get = attr_get, .ud = &ev, .scratch = buf,
				.scratch_len = sizeof(buf) };
	struct expr_value v;
	char today[11];
	time_t now = time(NULL);
	struct tm tm;

	if (gmtime_r(&now, &tm) &&
	    strftime(today, sizeof(today), "%Y-%m-%d", &tm) == 10)
		ctx.today = today;
	if (expr_eval(ae->expr, &ctx, &v)) {
		strbuf_addstr(err, ctx.error ? ctx.error : "evaluation failed");
		return MAMORI_EEVAL;
	}
	*out = expr_to_bool(&ctx, &v);
	return MAMORI_OK;
}

void attr_expr_free(struct attr_expr *ae)
{
	if (!ae)
		return;
	arena_release(&ae->arena);
	free(ae);
}
