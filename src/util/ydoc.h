/*
 * ydoc.h - a YAML document read whole into a tree that remembers where
 * every node stood (line and column), for loaders that must report
 * file:line:col errors (instruments, IoT-SSF models, catalogues).
 *
 * Built on libyaml's event parser. Refused on purpose, with a located
 * error: aliases and anchors (no expansion bombs), more than one
 * document, duplicate keys in one mapping, non-scalar keys, nesting
 * deeper than YDOC_MAX_DEPTH.
 *
 * Ownership: every node and string lives in doc->arena and is freed by
 * ydoc_release(). Strings are NUL-terminated copies in UTF-8.
 */
#ifndef MAMORI_YDOC_H
#define MAMORI_YDOC_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "err.h"
#include "slice.h"
#include "strbuf.h"

#define YDOC_MAX_DEPTH 64
#define YDOC_MAX_BYTES (16u << 20)

enum ydoc_kind { YDOC_SCALAR, YDOC_SEQ, YDOC_MAP, YDOC__MAX };

struct ydoc_pair;

struct ydoc_node {
	enum ydoc_kind kind;
	unsigned line, col;		/* 1-based, of the node's start */
	struct slice str;		/* SCALAR: the text (NUL-terminated) */
	bool plain;			/* SCALAR: written without quotes */
	size_t n;			/* SEQ: items; MAP: pairs */
	struct ydoc_node **items;	/* SEQ */
	struct ydoc_pair *pairs;	/* MAP, in document order */
};

struct ydoc_pair {
	struct ydoc_node *key;		/* always a SCALAR */
	struct ydoc_node *value;
};

struct ydoc {
	struct arena arena;		/* owns every node */
	const char *name;		/* file name for messages (arena copy) */
	struct ydoc_node *root;		/* NULL for an empty document */
};

/*
 * Parse len bytes of buf. name is used in messages only. On failure the
 * message "name:line:col: what" is appended to err and doc holds nothing
 * that needs freeing beyond ydoc_release().
 */
enum mamori_err ydoc_parse(struct ydoc *doc, const char *name,
			   const char *buf, size_t len, struct strbuf *err);
/* Reads a whole file (at most YDOC_MAX_BYTES) and parses it. */
enum mamori_err ydoc_load_file(struct ydoc *doc, const char *path,
			       struct strbuf *err);
void ydoc_release(struct ydoc *doc);

/* The value under key in a MAP, or NULL (also when map is not a MAP). */
const struct ydoc_node *ydoc_get(const struct ydoc_node *map, const char *key);
/* The key node of the pair holding key, for locating messages. */
const struct ydoc_node *ydoc_get_key(const struct ydoc_node *map,
				     const char *key);

/*
 * Appends "name:line:col: " for node (or name only when node is NULL),
 * then the printf-formatted message and a newline.
 */
void ydoc_errorf(const struct ydoc *doc, const struct ydoc_node *node,
		 struct strbuf *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * Checks that every key of map is one of allowed (NULL-terminated list);
 * each unknown key is reported (with a "did you mean" suggestion when one
 * allowed key is close) and counted. Returns the number of unknown keys.
 * what names the object in messages ("item q5", "the header").
 */
int ydoc_check_keys(const struct ydoc *doc, const struct ydoc_node *map,
		    const char *const *allowed, const char *what,
		    struct strbuf *err);

/* Name of a kind for messages: "a scalar", "a list", "a mapping". */
const char *ydoc_kind_name(enum ydoc_kind kind);

/* Levenshtein distance, capped at cap+1 (for suggestions). */
size_t ydoc_edit_distance(const char *a, const char *b, size_t cap);

#endif
