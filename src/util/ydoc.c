/*
 * ydoc.c - YAML text to a located tree (libyaml events). Must never
 * expand aliases, recurse without bound or crash on any input.
 */
#include "ydoc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "banned.h"

struct builder {
	struct ydoc *doc;
	yaml_parser_t parser;
	struct strbuf *err;
	int depth;
	int failed;
};

static const char *const kind_names[YDOC__MAX] = {
	[YDOC_SCALAR] = "a single value",
	[YDOC_SEQ] = "a list",
	[YDOC_MAP] = "a mapping (key: value)",
};

const char *ydoc_kind_name(enum ydoc_kind kind)
{
	return (unsigned)kind < YDOC__MAX ? kind_names[kind] : "?";
}

void ydoc_errorf(const struct ydoc *doc, const struct ydoc_node *node,
		 struct strbuf *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	if (node)
		strbuf_addf(err, "%s:%u:%u: ", doc->name ? doc->name : "-",
			    node->line, node->col);
	else
		strbuf_addf(err, "%s: ", doc->name ? doc->name : "-");
	va_start(ap, fmt);
	strbuf_vaddf(err, fmt, ap);
	va_end(ap);
	strbuf_addch(err, '\n');
}

static void located(struct builder *b, size_t line0, size_t col0,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void located(struct builder *b, size_t line0, size_t col0,
		    const char *fmt, ...)
{
	va_list ap;

	b->failed = 1;
	if (!b->err)
		return;
	strbuf_addf(b->err, "%s:%zu:%zu: ", b->doc->name, line0 + 1, col0 + 1);
	va_start(ap, fmt);
	strbuf_vaddf(b->err, fmt, ap);
	va_end(ap);
	strbuf_addch(b->err, '\n');
}

static struct ydoc_node *new_node(struct builder *b, enum ydoc_kind kind,
				  const yaml_mark_t *m)
{
	struct ydoc_node *n = arena_calloc(&b->doc->arena, 1, sizeof(*n));
	if (!n)
		return NULL;
	n->kind = kind;
	n->line = (unsigned)m->line + 1;
	n->col = (unsigned)m->column + 1;
	return n;
}

/* Growable pointer list in malloc memory while building. */
struct vec {
	void *v;
	size_t n, cap, elem;
};

static int vec_push(struct vec *v, const void *x)
{
	if (v->n == v->cap) {
		size_t nc = v->cap ? v->cap * 2 : 8;
		void *p = realloc(v->v, nc * v->elem);
		if (!p)
			return -1;
		v->v = p;
		v->cap = nc;
	}
	memcpy((char *)v->v + v->n * v->elem, x, v->elem);
	v->n++;
	return 0;
}

static enum mamori_err next_event(struct builder *b, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&b->parser, ev)) {
		const char *what = b->parser.problem ? b->parser.problem
						     : "malformed YAML";
		located(b, b->parser.problem_mark.line,
			b->parser.problem_mark.column, "YAML syntax: %s%s%s",
			what, b->parser.context ? " " : "",
			b->parser.context ? b->parser.context : "");
		return MAMORI_EPARSE;
	}
	return MAMORI_OK;
}

static enum mamori_err parse_node(struct builder *b, yaml_event_t *ev,
				  struct ydoc_node **out);

static enum mamori_err parse_children(struct builder *b, struct ydoc_node *n,
				      yaml_event_type_t end)
{
	struct vec v = { NULL, 0, 0, 0 };
	enum mamori_err e = MAMORI_OK;
	yaml_event_t ev;

	v.elem = n->kind == YDOC_SEQ ? sizeof(struct ydoc_node *)
				     : sizeof(struct ydoc_pair);
	for (;;) {
		struct ydoc_node *key = NULL, *val = NULL;

		e = next_event(b, &ev);
		if (e)
			goto out;
		if (ev.type == end) {
			yaml_event_delete(&ev);
			break;
		}
		e = parse_node(b, &ev, n->kind == YDOC_SEQ ? &val : &key);
		if (e)
			goto out;
		if (n->kind == YDOC_MAP) {
			if (key->kind != YDOC_SCALAR) {
				located(b, key->line - 1, key->col - 1,
					"a key must be a single value, not %s",
					ydoc_kind_name(key->kind));
				e = MAMORI_ESCHEMA;
				goto out;
			}
			for (size_t i = 0; i < v.n; i++) {
				struct ydoc_pair *p =
					&((struct ydoc_pair *)v.v)[i];
				if (slice_eq(p->key->str, key->str)) {
					located(b, key->line - 1,
						key->col - 1,
						"duplicate key '%s' (first at line %u)",
						key->str.p, p->key->line);
					e = MAMORI_ESCHEMA;
					goto out;
				}
			}
			e = next_event(b, &ev);
			if (e)
				goto out;
			e = parse_node(b, &ev, &val);
			if (e)
				goto out;
			struct ydoc_pair pair = { key, val };
			if (vec_push(&v, &pair)) {
				e = MAMORI_ENOMEM;
				goto out;
			}
		} else if (vec_push(&v, &val)) {
			e = MAMORI_ENOMEM;
			goto out;
		}
	}
	n->n = v.n;
	if (v.n) {
		void *dst = arena_alloc(&b->doc->arena, v.n * v.elem);
		if (!dst) {
			e = MAMORI_ENOMEM;
			goto out;
		}
		memcpy(dst, v.v, v.n * v.elem);
		if (n->kind == YDOC_SEQ)
			n->items = dst;
		else
			n->pairs = dst;
	}
out:
	free(v.v);
	return e;
}

/* Consumes ev (always deleted). */
static enum mamori_err parse_node(struct builder *b, yaml_event_t *ev,
				  struct ydoc_node **out)
{
	enum mamori_err e = MAMORI_OK;
	struct ydoc_node *n = NULL;

	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		located(b, ev->start_mark.line, ev->start_mark.column,
			"aliases (*name) are not supported; write the value out");
		e = MAMORI_ESCHEMA;
		break;
	case YAML_SCALAR_EVENT:
		if (ev->data.scalar.anchor) {
			located(b, ev->start_mark.line, ev->start_mark.column,
				"anchors (&name) are not supported");
			e = MAMORI_ESCHEMA;
			break;
		}
		n = new_node(b, YDOC_SCALAR, &ev->start_mark);
		if (!n) {
			e = MAMORI_ENOMEM;
			break;
		}
		n->str = arena_slice_dup(&b->doc->arena,
					 slice_make((const char *)ev->data.scalar.value,
						    ev->data.scalar.length));
		if (!n->str.p) {
			e = MAMORI_ENOMEM;
			break;
		}
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		int seq = ev->type == YAML_SEQUENCE_START_EVENT;
		yaml_char_t *anchor = seq ? ev->data.sequence_start.anchor
					  : ev->data.mapping_start.anchor;
		if (anchor) {
			located(b, ev->start_mark.line, ev->start_mark.column,
				"anchors (&name) are not supported");
			e = MAMORI_ESCHEMA;
			break;
		}
		if (b->depth >= YDOC_MAX_DEPTH) {
			located(b, ev->start_mark.line, ev->start_mark.column,
				"nested deeper than %d levels", YDOC_MAX_DEPTH);
			e = MAMORI_ESCHEMA;
			break;
		}
		n = new_node(b, seq ? YDOC_SEQ : YDOC_MAP, &ev->start_mark);
		if (!n) {
			e = MAMORI_ENOMEM;
			break;
		}
		b->depth++;
		e = parse_children(b, n, seq ? YAML_SEQUENCE_END_EVENT
					     : YAML_MAPPING_END_EVENT);
		b->depth--;
		break;
	}
	default:
		located(b, ev->start_mark.line, ev->start_mark.column,
			"unexpected YAML structure");
		e = MAMORI_EPARSE;
		break;
	}
	yaml_event_delete(ev);
	if (!e)
		*out = n;
	return e;
}

enum mamori_err ydoc_parse(struct ydoc *doc, const char *name,
			   const char *buf, size_t len, struct strbuf *err)
{
	struct builder b = { .doc = doc, .err = err };
	yaml_event_t ev;
	enum mamori_err e;

	arena_init(&doc->arena, 32768);
	doc->root = NULL;
	doc->name = arena_strdup(&doc->arena, name ? name : "-");
	if (!doc->name)
		return MAMORI_ENOMEM;
	if (len > YDOC_MAX_BYTES) {
		ydoc_errorf(doc, NULL, err, "file is larger than %u bytes",
			    YDOC_MAX_BYTES);
		return MAMORI_ETOOBIG;
	}
	if (!yaml_parser_initialize(&b.parser))
		return MAMORI_ENOMEM;
	yaml_parser_set_input_string(&b.parser, (const unsigned char *)buf,
				     len);
	/* STREAM-START, then DOCUMENT-START or STREAM-END. */
	e = next_event(&b, &ev);
	if (e)
		goto out;
	yaml_event_delete(&ev);
	e = next_event(&b, &ev);
	if (e)
		goto out;
	if (ev.type == YAML_STREAM_END_EVENT) {
		yaml_event_delete(&ev);
		goto out;
	}
	yaml_event_delete(&ev);
	e = next_event(&b, &ev);
	if (e)
		goto out;
	e = parse_node(&b, &ev, &doc->root);
	if (e)
		goto out;
	e = next_event(&b, &ev);	/* DOCUMENT-END */
	if (e)
		goto out;
	yaml_event_delete(&ev);
	e = next_event(&b, &ev);
	if (e)
		goto out;
	if (ev.type != YAML_STREAM_END_EVENT) {
		located(&b, ev.start_mark.line, ev.start_mark.column,
			"only one YAML document per file (remove this '---')");
		e = MAMORI_ESCHEMA;
	}
	yaml_event_delete(&ev);
out:
	yaml_parser_delete(&b.parser);
	return e;
}

enum mamori_err ydoc_load_file(struct ydoc *doc, const char *path,
			       struct strbuf *err)
{
	struct strbuf sb;
	enum mamori_err e;

	strbuf_init(&sb, YDOC_MAX_BYTES);
	e = strbuf_read_file(&sb, path, err);
	if (e) {
		arena_init(&doc->arena, 0);
		doc->root = NULL;
		doc->name = NULL;
	} else {
		e = ydoc_parse(doc, path, sb.buf, sb.len, err);
	}
	strbuf_release(&sb);
	return e;
}

void ydoc_release(struct ydoc *doc)
{
	arena_release(&doc->arena);
	doc->root = NULL;
	doc->name = NULL;
}

const struct ydoc_node *ydoc_get_key(const struct ydoc_node *map,
				     const char *key)
{
	if (!map || map->kind != YDOC_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (slice_eq_cstr(map->pairs[i].key->str, key))
			return map->pairs[i].key;
	return NULL;
}

const struct ydoc_node *ydoc_get(const struct ydoc_node *map, const char *key)
{
	if (!map || map->kind != YDOC_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (slice_eq_cstr(map->pairs[i].key->str, key))
			return map->pairs[i].value;
	return NULL;
}

size_t ydoc_edit_distance(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t row[64];

	if (lb >= 63 || la >= 63)
		return cap + 1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t prev = row[0], best;
		row[0] = i;
		best = row[0];
		for (size_t j = 1; j <= lb; j++) {
			size_t cur = row[j];
			size_t sub = prev + (a[i - 1] != b[j - 1]);
			size_t del = row[j] + 1, ins = row[j - 1] + 1;
			row[j] = sub < del ? (sub < ins ? sub : ins)
					   : (del < ins ? del : ins);
			if (row[j] < best)
				best = row[j];
			prev = cur;
		}
		if (best > cap)
			return cap + 1;
	}
	return row[lb];
}

int ydoc_check_keys(const struct ydoc *doc, const struct ydoc_node *map,
		    const char *const *allowed, const char *what,
		    struct strbuf *err)
{
	int bad = 0;

	if (!map || map->kind != YDOC_MAP)
		return 0;
	for (size_t i = 0; i < map->n; i++) {
		const struct ydoc_node *k = map->pairs[i].key;
		const char *best = NULL;
		size_t bestd = 3;
		int known = 0;

		for (const char *const *a = allowed; *a; a++) {
			if (slice_eq_cstr(k->str, *a)) {
				known = 1;
				break;
			}
			size_t d = ydoc_edit_distance(k->str.p, *a, 2);
			if (d < bestd) {
				bestd = d;
				best = *a;
			}
		}
		if (known)
			continue;
		bad++;
		if (best)
			ydoc_errorf(doc, k, err,
				    "%s: unknown key '%s' (did you mean '%s'?)",
				    what, k->str.p, best);
		else
			ydoc_errorf(doc, k, err, "%s: unknown key '%s'", what,
				    k->str.p);
	}
	return bad;
}
