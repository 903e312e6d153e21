/*
 * words.c - names and conditions in words (see words.h). Holds per-call
 * buffers only; must never keep state between calls.
 */
#include "cli/words.h"

#include <stdio.h>
#include <string.h>

#include "util/banned.h"

void words_item_name(const struct instrument *ins, const struct item *it,
		     enum lang lang, char *buf, size_t len)
{
	(void)ins;
	if (it->number && it->number[0] >= '0' && it->number[0] <= '9')
		snprintf(buf, len, lang == LANG_JA ? "問%s" : "Q%s", it->number);
	else if (it->number)
		snprintf(buf, len, "%s", it->number);	/* "GV-1", "A-1" */
	else if (it->type == ITEM_GROUP || it->type == ITEM_REPEAT ||
		 it->type == ITEM_NOTE)
		snprintf(buf, len, "%s", i18n_get(&it->label, lang));
	else
		snprintf(buf, len, "%s", it->id);
}

struct wctx {
	const struct instrument *ins;
	enum lang lang;
	char names[8][128];
	unsigned next;
};

static const char *ref_name(void *ud, int ref)
{
	struct wctx *w = ud;
	char *buf = w->names[w->next++ % 8];

	if (ref >= 0 && (size_t)ref < w->ins->nitems) {
		const struct item *it = &w->ins->items[ref];
		if (it->number || it->type == ITEM_REPEAT ||
		    it->type == ITEM_GROUP) {
			words_item_name(w->ins, it, w->lang, buf, 128);
		} else {
			/* a sub-question: its label is clearer than its id */
			snprintf(buf, 128, w->lang == LANG_JA ? "「%s」" : "'%s'",
				 i18n_get(&it->label, w->lang));
		}
		return buf;
	}
	const char *name = instrument_ref_name(w->ins, ref);
	if (name && !strncmp(name, "org.", 4))
		snprintf(buf, 128, w->lang == LANG_JA ? "組織の %s" : "the organisation's %s",
			 name + 4);
	else if (name && !strncmp(name, "campaign.", 9))
		snprintf(buf, 128, w->lang == LANG_JA ? "調査の %s" : "the campaign's %s",
			 name + 9);
	else
		snprintf(buf, 128, "%s", name ? name : "?");
	return buf;
}

static const char *value_label(void *ud, int ref, struct slice value)
{
	struct wctx *w = ud;
	const struct choice *c;

	if (ref < 0 || (size_t)ref >= w->ins->nitems)
		return NULL;
	c = item_find_choice(&w->ins->items[ref], value.p, value.len);
	return c ? i18n_get(&c->label, w->lang) : NULL;
}

void words_condition(const struct instrument *ins, const struct expr *e,
		     enum lang lang, struct strbuf *out)
{
	struct wctx w = { .ins = ins, .lang = lang };
	struct expr_words ew = { .ref_name = ref_name,
				 .value_label = value_label,
				 .ud = &w,
				 .ja = lang == LANG_JA };
	expr_describe(e, &ew, out);
}
