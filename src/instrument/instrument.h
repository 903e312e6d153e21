/*
 * instrument.h - the instrument engine: load an instrument (YAML) into a
 * read-only model, and validate responses against it.
 *
 * Every other part of mamori reads instruments through this header. The
 * engine knows nothing of storage or HTTP; it never prints, never exits.
 *
 * Ownership: a struct instrument owns everything reachable from it (one
 * arena) and is immutable after loading, so any number of threads may
 * read it and validate against it at once, each with its own
 * struct validator.
 */
#ifndef MAMORI_INSTRUMENT_H
#define MAMORI_INSTRUMENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"
#include "util/strbuf.h"

struct expr;

enum lang { LANG_JA, LANG_EN, LANG__MAX };

/* "ja" / "en" → lang; returns -1 for anything else. */
int lang_parse(const char *s);
const char *lang_name(enum lang lang);

/* A text in every language; a missing language is NULL. */
struct i18n {
	const char *text[LANG__MAX];
};

/* The text in lang, else in the other language, else "" (never NULL). */
const char *i18n_get(const struct i18n *t, enum lang lang);

enum item_type {
	ITEM_NOTE,
	ITEM_TEXT,
	ITEM_INTEGER,
	ITEM_DECIMAL,
	ITEM_DATE,
	ITEM_DATETIME,	/* "YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]" */
	ITEM_SELECT_ONE,
	ITEM_SELECT_MULTIPLE,
	ITEM_CALCULATE,
	ITEM_GROUP,
	ITEM_REPEAT,
	ITEM__MAX
};

const char *item_type_name(enum item_type t);

enum score_method { SCORE_NONE, SCORE_SUM, SCORE_MEAN, SCORE__MAX };

enum severity {
	SEV_INFO,
	SEV_LOW,
	SEV_MEDIUM,
	SEV_HIGH,
	SEV_CRITICAL,
	SEV__MAX
};

const char *severity_name(enum severity s);

/* FSA-style measure tier: 基本的な対応事項 / 対応が望ましい事項. */
enum item_tier { TIER_NONE, TIER_BASIC, TIER_DESIRABLE, TIER__MAX };

/* "basic" / "desirable"; "" for TIER_NONE. */
const char *item_tier_name(enum item_tier t);

struct choice {
	const char *value;
	struct i18n label;
	double score;
	bool has_score;
};

struct choice_list {
	const char *name;
	size_t n;
	const struct choice *choices;
};

struct item {
	const char *id;
	enum item_type type;
	size_t index;		/* in instrument->items: document order */
	int parent;		/* enclosing group/repeat, -1 at top level */
	int repeat;		/* enclosing repeat, -1 if none */
	unsigned depth;		/* 0 at top level */
	const char *number;	/* display number ("5", "11"), may be NULL */
	struct i18n label, hint, guidance, constraint_message;
	const struct choice_list *list;	/* select_one / select_multiple */
	bool required;		/* required: true (or an expression) */
	bool read_only;
	const struct expr *required_if;	/* required: EXPR, else NULL */
	const struct expr *relevant;	/* NULL: always relevant */
	const struct expr *constraint;
	const struct expr *calculate;
	const struct expr *default_expr;
	const char *relevant_src, *constraint_src, *calculate_src;
	const struct i18n *references;	/* nreferences texts */
	size_t nreferences;
	size_t nchildren;	/* group/repeat: direct children */
	const size_t *children;	/* their indices in instrument->items */
	unsigned min_rows, max_rows;	/* repeat; max_rows 0 = no limit */
	enum score_method score;	/* group: how its items combine */
	double weight;		/* in the enclosing score; default 1 */
	enum item_tier tier;	/* tier: basic | desirable; TIER_NONE if absent */
	unsigned line, col;	/* where the item starts in the file */
};

/*
 * What meeting an indicator means for the organisation: good (it is a
 * protective measure), bad (it counts a risk, e.g. a VPN not updated) or
 * neither (a fact such as "uses an EHR"). POLARITY_NEUTRAL is the default.
 */
enum indicator_polarity {
	POLARITY_NEUTRAL,
	POLARITY_GOOD,
	POLARITY_BAD,
	POLARITY__MAX
};

/* "neutral" / "good" / "bad" (load.c). */
const char *indicator_polarity_name(enum indicator_polarity p);

struct indicator {
	const char *id;
	struct i18n label, description;
	const struct expr *population;	/* NULL: every respondent */
	const struct expr *met;
	const char *population_src, *met_src;
	enum indicator_polarity polarity;	/* polarity: good | bad | neutral */
	size_t index;
};

struct finding {
	const char *id;
	enum severity severity;
	struct i18n title, advice;
	const struct expr *when;
	const char *when_src;
	const struct i18n *references;	/* nreferences texts */
	size_t nreferences;
	size_t index;
};

struct instrument {
	const char *file;	/* as given to the loader */
	const char *id, *version, *issuer, *respondent;
	struct i18n title, description;
	unsigned languages;	/* bit (1 << lang) per declared language */
	size_t nitems;
	const struct item *items;	/* every item, document order */
	size_t nlists;
	const struct choice_list *lists;
	size_t nindicators;
	const struct indicator *indicators;
	size_t nfindings;
	const struct finding *findings;
	enum score_method score;	/* overall score over scored groups */
	struct instrument_private *priv;	/* engine internals */
};

/*
 * Load an instrument from YAML text. name is used in messages
 * ("file:line:col: item: message", one per line, appended to err, every
 * problem found, not only the first; err may be NULL when the messages
 * are not wanted). On success *out is a new
 * instrument the caller frees with instrument_free().
 * Returns MAMORI_EPARSE (not YAML), MAMORI_ESCHEMA (YAML, but not a valid
 * instrument), MAMORI_ENOMEM, MAMORI_ETOOBIG.
 */
enum mamori_err instrument_load_mem(const char *name, const char *buf,
				    size_t len, struct instrument **out,
				    struct strbuf *err);
/* Same, from a file ("-" = stdin); MAMORI_ENOENT / MAMORI_EIO if unreadable. */
enum mamori_err instrument_load_file(const char *path,
				     struct instrument **out,
				     struct strbuf *err);
void instrument_free(struct instrument *ins);

/* The item with this id, or NULL. O(1). */
const struct item *instrument_find(const struct instrument *ins,
				   const char *id, size_t len);
/*
 * The name behind a reference number of a compiled expression: an item's
 * id, or "org.NAME" / "campaign.NAME" for the context it reads; NULL for
 * a number that is neither.
 */
const char *instrument_ref_name(const struct instrument *ins, int ref);
/* A choice of item's list by value, or NULL. */
const struct choice *item_find_choice(const struct item *it, const char *value,
				      size_t len);

/* ---- validation ---------------------------------------------------- */

enum verr_code {
	VERR_UNKNOWN_ITEM,	/* no such item (or not an answerable one) */
	VERR_WRONG_TYPE,	/* not a number, not a date, not a list ... */
	VERR_NOT_IN_LIST,	/* a choice value the list does not have */
	VERR_REQUIRED,		/* relevant, required, and empty */
	VERR_CONSTRAINT,	/* constraint false */
	VERR_NOT_RELEVANT,	/* answered but not relevant: a warning */
	VERR_ROWS,		/* repeat has too few or too many rows */
	VERR_EVAL,		/* an expression could not be evaluated */
	VERR_READ_ONLY,		/* an answer to a read-only or computed item */
	VERR__MAX
};

/* "unknown_item", "wrong_type", ... as in the JSON output. */
const char *verr_code_name(enum verr_code c);

struct verror {
	const char *item;	/* path: "q6", "q11_vpn_devices[2].maker" */
	enum verr_code code;
	const char *message;	/* in the language asked for */
};

/* Context an expression may read as ${org.NAME} and ${campaign.NAME}. */
struct vopts {
	enum lang lang;
	const json_t *org;	/* object of attributes, or NULL */
	const json_t *campaign;	/* object of attributes, or NULL */
	const char *today;	/* "YYYY-MM-DD"; NULL = the system's date */
	bool normalise;		/* build result->normalised */
	/* leave out the checks that only report (required, constraints,
	 * numbers of rows, answers that do not apply): errors then list
	 * only what reading the answers found; relevance, values,
	 * indicators, findings and scores are the same (for counting) */
	bool counts_only;
};

/*
 * The outcome of one validation. Everything in it is owned by the
 * validator and valid until the next instrument_validate() on it or
 * validator_free(), except normalised, which the caller owns (json_decref)
 * when it is not NULL.
 */
struct vresult {
	bool valid;		/* no error (warnings allowed) */
	size_t nerrors;
	const struct verror *errors;
	size_t nwarnings;	/* VERR_NOT_RELEVANT answers, dropped */
	const struct verror *warnings;
	json_t *normalised;	/* relevant answers + relevant calculations */
	const bool *in_population;	/* per indicator */
	const bool *met;		/* per indicator (false outside population) */
	const bool *fired;		/* per finding */
	const double *scores;	/* per item (groups with score), NaN if none */
	double overall_score;	/* NaN when the instrument has no score */
	size_t answered, applicable;	/* relevant answerable items: progress */
};

struct validator;

/* A reusable validation context; NULL on allocation failure. */
struct validator *validator_new(const struct instrument *ins);
void validator_free(struct validator *v);

/*
 * Validate response (a JSON object: item id -> value) against the
 * validator's instrument. Never stops at the first problem. Returns
 * MAMORI_OK whenever a result was produced (valid or not; see
 * result->valid); MAMORI_EINVAL if response is not a JSON object;
 * MAMORI_ENOMEM.
 */
enum mamori_err instrument_validate(struct validator *v, const json_t *response,
				    const struct vopts *opts,
				    const struct vresult **result);

/*
 * instrument_validate() on the response's JSON text json[0..len), for
 * reading many stored responses: plain text (the store's own) is read
 * straight into the validator's cells, with no jansson document; for
 * anything else (escaped keys, unknown or repeated keys, numbers out of
 * range, invalid UTF-8, deep nesting) the text is parsed with
 * json_loadb(json, len, 0) and validated as a document. Either way the
 * result, errors included, is the one instrument_validate() gives for
 * json_loadb()'s document. Values read by validator_value() may point
 * into json, which must stay unchanged until the next validation on v.
 * MAMORI_EPARSE (jansson's message appended to err, which may be NULL)
 * when the text is not JSON; otherwise as instrument_validate().
 */
enum mamori_err instrument_validate_text(struct validator *v,
					 const char *json, size_t len,
					 const struct vopts *opts,
					 const struct vresult **result,
					 struct strbuf *err);

/*
 * Per-item state of the last validation, for renderers and analysis:
 * whether the item applied (was relevant) and its value as text ("" when
 * unanswered; select_multiple values space-separated). For an item
 * inside a repeat, row picks the row (0-based); rows gives their count.
 */
bool validator_relevant(const struct validator *v, size_t item, size_t row);
const char *validator_value(const struct validator *v, size_t item,
			    size_t row, size_t *len);
size_t validator_rows(const struct validator *v, size_t repeat_item);

#endif
