/*
 * cache.h - the form's texts, escaped once per process: an instrument's
 * labels, numbers, hints, guides and choice labels are the same for every
 * respondent, so the form page escapes them once per instrument and
 * language and afterwards only copies them, filling in per request what
 * differs (answers, errors, what applies). Nothing of a respondent, a
 * session or an answer is ever kept here.
 *
 * An entry is keyed by the instrument's SHA-256 (its content: an edited
 * instrument is a new entry) and the language, and checked against the
 * instrument it is used with (id, version, every item's id), so that a
 * wrong key renders the texts again instead of another instrument's.
 */
#ifndef MAMORI_WEB_CACHE_H
#define MAMORI_WEB_CACHE_H

#include <pthread.h>
#include <stddef.h>

#include "instrument/instrument.h"
#include "util/strbuf.h"

/* Instruments (x languages) kept at most; the oldest unused one goes. */
#define FORM_CACHE_MAX 8

/* How a form shows a question's choices (render_question in pages.c). */
enum form_choices_way {
	FORM_CHOICES_OPEN,	/* name="…", answerable */
	FORM_CHOICES_CLOSED,	/* name="…" disabled: a form not open */
	FORM_CHOICES_HIDDEN,	/* data-field="…" disabled: does not apply */
	FORM_CHOICES__MAX
};

/*
 * The choices of a select question outside a repeat as the form page
 * writes them, none checked: from the first <label class="choice"> to
 * the last </label>. at[c] is the offset just after choice c's
 * value="VALUE" (its closing quote), where " checked" goes in.
 */
struct form_choices {
	const char *html;
	size_t len;
	size_t *at;		/* nchoices */
};

/* One item's texts in one language, escaped for HTML (never NULL). */
struct form_item_text {
	const char *id;		/* the item's id */
	const char *number;	/* its display number, "" for none */
	const char *label;
	/* the hint and the guide as form_text_parts() writes them for the
	 * item outside a repeat (the hint's id "h_ID" for a question, none
	 * for a note, group or repeat); NULL inside a repeat, whose hint
	 * ids change with the row */
	const char *parts;
	size_t nchoices;		/* it->list->n, 0 without a list */
	const char **choice_value;	/* nchoices */
	const char **choice_label;
	/* the lengths of the texts above, so that copying them needs no
	 * strlen (parts_len 0 where parts is NULL) */
	size_t id_len, number_len, label_len, parts_len;
	size_t *choice_value_len;	/* nchoices */
	size_t *choice_label_len;
	/* a question's title as its <label> or <legend> holds it: the
	 * number as <span class="num">NUMBER.</span> and a space when it
	 * has one, the label, and " <span class="req">*</span>" when it is
	 * required; "" for a note, group or repeat */
	const char *title;
	size_t title_len;
	/* html NULL but for a select question outside a repeat */
	struct form_choices choices[FORM_CHOICES__MAX];
};

/* An instrument's texts in one language. */
struct form_text {
	char sha256[65];
	enum lang lang;
	size_t nitems;
	struct form_item_text *items;	/* nitems, indexed as ins->items */
	/* the instrument's title and description, escaped */
	const char *title, *description;
	size_t title_len, description_len;
};

struct form_cache_entry;

/* The cache of a server; shared by its threads (a mutex inside). */
struct form_cache {
	pthread_mutex_t lock;
	struct form_cache_entry *e[FORM_CACHE_MAX];	/* owned */
	size_t n;
	unsigned long long tick;	/* uses, for the oldest one */
};

void form_cache_init(struct form_cache *c);
/* Free every entry: only when no thread holds one. */
void form_cache_release(struct form_cache *c);

/*
 * The texts of ins (whose content has the SHA-256 sha256, hex) in lang,
 * escaped once and kept; guide is the summary line of an item's guide in
 * lang ("回答の手引き"). NULL when sha256 is NULL or empty, ins does not
 * match what is kept under the key, or without memory: the caller then
 * escapes the texts itself. A non-NULL result is held until given back
 * with form_cache_put().
 */
const struct form_text *form_cache_get(struct form_cache *c,
				       const char *sha256,
				       const struct instrument *ins,
				       enum lang lang, const char *guide);
void form_cache_put(struct form_cache *c, const struct form_text *t);

/*
 * An item's hint and guide in lang, escaped, into sb: the hint as
 * <p class="hint" id="HINT_ID"> (no id when HINT_ID is ""), the guide as
 * a <details> whose summary is guide, its blank-line separated
 * paragraphs each a <p>. The one writer of these parts, cached or not.
 */
void form_text_parts(struct strbuf *sb, const struct item *it,
		     enum lang lang, const char *hint_id, const char *guide);

#endif
