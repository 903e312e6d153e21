/*
 * instrument.c - small shared pieces of the engine: languages, names of
 * enums, lookups, freeing. Must never change a loaded instrument.
 */
#include "instrument/internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/ydoc.h"
#include "util/banned.h"

static const char *const lang_names[LANG__MAX] = {
	[LANG_JA] = "ja",
	[LANG_EN] = "en",
};

int lang_parse(const char *s)
{
	for (int i = 0; i < LANG__MAX; i++)
		if (s && !strcmp(s, lang_names[i]))
			return i;
	return -1;
}

const char *lang_name(enum lang lang)
{
	return (unsigned)lang < LANG__MAX ? lang_names[lang] : "?";
}

const char *i18n_get(const struct i18n *t, enum lang lang)
{
	if ((unsigned)lang < LANG__MAX && t->text[lang])
		return t->text[lang];
	for (int i = 0; i < LANG__MAX; i++)
		if (t->text[i])
			return t->text[i];
	return "";
}

static const char *const type_names[ITEM__MAX] = {
	[ITEM_NOTE] = "note",
	[ITEM_TEXT] = "text",
	[ITEM_INTEGER] = "integer",
	[ITEM_DECIMAL] = "decimal",
	[ITEM_DATE] = "date",
	[ITEM_SELECT_ONE] = "select_one",
	[ITEM_SELECT_MULTIPLE] = "select_multiple",
	[ITEM_CALCULATE] = "calculate",
	[ITEM_GROUP] = "group",
	[ITEM_REPEAT] = "repeat",
	[ITEM_DATETIME] = "datetime",
};

const char *item_type_name(enum item_type t)
{
	return (unsigned)t < ITEM__MAX ? type_names[t] : "?";
}

static const char *const severity_names[SEV__MAX] = {
	[SEV_INFO] = "info",
	[SEV_LOW] = "low",
	[SEV_MEDIUM] = "medium",
	[SEV_HIGH] = "high",
	[SEV_CRITICAL] = "critical",
};

const char *severity_name(enum severity s)
{
	return (unsigned)s < SEV__MAX ? severity_names[s] : "?";
}

static const char *const tier_names[TIER__MAX] = {
	[TIER_NONE] = "",
	[TIER_BASIC] = "basic",
	[TIER_DESIRABLE] = "desirable",
};

const char *item_tier_name(enum item_tier t)
{
	return (unsigned)t < TIER__MAX ? tier_names[t] : "?";
}

static const char *const verr_names[VERR__MAX] = {
	[VERR_UNKNOWN_ITEM] = "unknown_item",
	[VERR_WRONG_TYPE] = "wrong_type",
	[VERR_NOT_IN_LIST] = "not_in_list",
	[VERR_REQUIRED] = "required",
	[VERR_CONSTRAINT] = "constraint",
	[VERR_NOT_RELEVANT] = "not_relevant",
	[VERR_ROWS] = "rows",
	[VERR_EVAL] = "eval",
	[VERR_READ_ONLY] = "read_only",
};

const char *verr_code_name(enum verr_code c)
{
	return (unsigned)c < VERR__MAX ? verr_names[c] : "?";
}

uint32_t instrument_hash(const char *p, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)p[i];
		h *= 16777619u;
	}
	return h;
}

const struct item *instrument_find(const struct instrument *ins,
				   const char *id, size_t len)
{
	const struct instrument_private *pv = ins->priv;
	size_t i = instrument_hash(id, len) & pv->hmask;

	for (;;) {
		uint32_t slot = pv->htab[i];
		if (!slot)
			return NULL;
		const struct item *it = &ins->items[slot - 1];
		if (strlen(it->id) == len && !memcmp(it->id, id, len))
			return it;
		i = (i + 1) & pv->hmask;
	}
}

const char *instrument_ref_name(const struct instrument *ins, int ref)
{
	if (ref < 0)
		return NULL;
	if ((size_t)ref < ins->nitems)
		return ins->items[ref].id;
	if ((size_t)ref - ins->nitems < ins->priv->nctx)
		return ins->priv->ctx_names[(size_t)ref - ins->nitems];
	return NULL;
}

const struct choice *item_find_choice(const struct item *it, const char *value,
				      size_t len)
{
	if (!it->list)
		return NULL;
	for (size_t i = 0; i < it->list->n; i++) {
		const char *v = it->list->choices[i].value;
		if (strlen(v) == len && !memcmp(v, value, len))
			return &it->list->choices[i];
	}
	return NULL;
}

void instrument_free(struct instrument *ins)
{
	if (!ins)
		return;
	/* The instrument itself lives in its own arena. */
	struct arena a = ins->priv->arena;
	arena_release(&a);
}

static enum mamori_err load_file(const char *path, struct instrument **out,
				 struct strbuf *err);

enum mamori_err instrument_load_file(const char *path,
				     struct instrument **out,
				     struct strbuf *err)
{
	struct strbuf none = STRBUF_INIT;
	enum mamori_err e;

	if (!err) {	/* the caller does not want the messages */
		e = instrument_load_file(path, out, &none);
		strbuf_release(&none);
		return e;
	}
	return load_file(path, out, err);
}

static enum mamori_err load_file(const char *path, struct instrument **out,
				 struct strbuf *err)
{
	struct strbuf sb;
	enum mamori_err e;

	strbuf_init(&sb, YDOC_MAX_BYTES);
	e = strbuf_read_file(&sb, path, err);
	if (!e)
		e = instrument_load_mem(path, sb.buf, sb.len, out, err);
	strbuf_release(&sb);
	return e;
}
