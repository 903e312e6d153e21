/*
 * cache.c - the form's texts escaped once per process (cache.h): built on
 * first use of an instrument in a language, then shared read-only by every
 * request that renders a form of it. Must never hold anything of a
 * respondent, and never hand out texts of another instrument than the one
 * asked for (every entry is checked against the instrument it serves).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/html.h"
#include "web/cache.h"
#include "util/banned.h"

struct form_cache_entry {
	struct form_text t;		/* first: &e->t is what callers hold */
	struct arena mem;		/* owns every text and array of t */
	const char *ins_id, *ins_version;	/* in mem */
	unsigned refs;			/* under the cache's lock */
	unsigned long long used;	/* tick of the last get */
};

void form_cache_init(struct form_cache *c)
{
	memset(c, 0, sizeof(*c));
	pthread_mutex_init(&c->lock, NULL);
}

static void entry_free(struct form_cache_entry *e)
{
	if (!e)
		return;
	arena_release(&e->mem);
	free(e);
}

void form_cache_release(struct form_cache *c)
{
	for (size_t i = 0; i < c->n; i++)
		entry_free(c->e[i]);
	pthread_mutex_destroy(&c->lock);
	memset(c, 0, sizeof(*c));
}

void form_text_parts(struct strbuf *sb, const struct item *it,
		     enum lang lang, const char *hint_id, const char *guide)
{
	const char *hint = i18n_get(&it->hint, lang);
	const char *text = i18n_get(&it->guidance, lang);
	const char *p, *q;

	if (*hint && *hint_id)
		html_addf(sb, "<p class=\"hint\" id=\"%s\">%s</p>", hint_id,
			  hint);
	else if (*hint)	/* nothing refers to it: no empty id */
		html_addf(sb, "<p class=\"hint\">%s</p>", hint);
	if (!*text)
		return;
	html_addf(sb, "<details class=\"guide\"><summary>%s</summary>", guide);
	/* paragraphs of the guide, escaped, blank-line separated */
	html_addf(sb, "<p>");
	for (p = text; (q = strstr(p, "\n\n")); ) {
		html_textn(sb, p, (size_t)(q - p));
		html_addf(sb, "</p><p>");
		for (p = q; *p == '\n'; p++)
			;
	}
	html_text(sb, p);
	html_addf(sb, "</p></details>");
}

/* s escaped into a, through tmp, its length in *len; NULL without
 * memory. */
static const char *escaped(struct arena *a, struct strbuf *tmp, const char *s,
			   size_t *len)
{
	strbuf_reset(tmp);
	html_text(tmp, s ? s : "");
	if (tmp->err)
		return NULL;
	*len = tmp->len;
	return arena_strndup(a, tmp->buf, tmp->len);
}

/* The title of a question (cache.h) into tmp, from its escaped texts. */
static void question_title(struct strbuf *tmp, const struct item *it,
			   const struct form_item_text *ft)
{
	strbuf_reset(tmp);
	if (it->number && *it->number) {	/* as render_question() asks */
		html_raw(tmp, "<span class=\"num\">");
		strbuf_add(tmp, ft->number, ft->number_len);
		html_raw(tmp, ".</span> ");
	}
	strbuf_add(tmp, ft->label, ft->label_len);
	if (it->required)
		html_raw(tmp, " <span class=\"req\">*</span>");
}

/*
 * The choices of select question it in way (cache.h) into fc, from its
 * escaped texts, through tmp: the bytes render_question() writes choice
 * by choice. False without memory.
 */
static bool choices_html(struct arena *a, struct strbuf *tmp,
			 const struct item *it, const struct form_item_text *ft,
			 enum form_choices_way way, struct form_choices *fc)
{
	bool multi = it->type == ITEM_SELECT_MULTIPLE;

	strbuf_reset(tmp);
	if (!(fc->at = arena_calloc(a, ft->nchoices + 1, sizeof(*fc->at))))
		return false;
	for (size_t c = 0; c < ft->nchoices; c++) {
		if (multi)
			html_raw(tmp, "<label class=\"choice\"><input "
				 "type=\"checkbox\" ");
		else
			html_raw(tmp, "<label class=\"choice\"><input "
				 "type=\"radio\" ");
		if (way == FORM_CHOICES_HIDDEN)
			html_raw(tmp, "data-field=\"");
		else
			html_raw(tmp, "name=\"");
		/* the id: the entry is used only where it needs no escaping */
		strbuf_add(tmp, ft->id, ft->id_len);
		html_raw(tmp, "\" value=\"");
		strbuf_add(tmp, ft->choice_value[c], ft->choice_value_len[c]);
		strbuf_addch(tmp, '"');
		fc->at[c] = tmp->len;
		if (way == FORM_CHOICES_OPEN)
			html_raw(tmp, "> ");
		else
			html_raw(tmp, " disabled> ");
		strbuf_add(tmp, ft->choice_label[c], ft->choice_label_len[c]);
		html_raw(tmp, "</label>");
	}
	if (tmp->err || !(fc->html = arena_strndup(a, tmp->buf, tmp->len)))
		return false;
	fc->len = tmp->len;
	return true;
}

static bool item_text(struct form_cache_entry *e, struct strbuf *tmp,
		      const struct item *it, struct form_item_text *ft,
		      const char *guide)
{
	enum lang l = e->t.lang;
	struct arena *a = &e->mem;
	bool question = it->type != ITEM_NOTE && it->type != ITEM_GROUP &&
			it->type != ITEM_REPEAT;

	if (!(ft->id = escaped(a, tmp, it->id, &ft->id_len)) ||
	    !(ft->number = escaped(a, tmp, it->number, &ft->number_len)) ||
	    !(ft->label = escaped(a, tmp, i18n_get(&it->label, l),
				  &ft->label_len)))
		return false;
	ft->title = "";
	if (question) {
		question_title(tmp, it, ft);
		if (tmp->err ||
		    !(ft->title = arena_strndup(a, tmp->buf, tmp->len)))
			return false;
		ft->title_len = tmp->len;
	}
	if (it->repeat < 0) {
		char hint_id[200] = "";
		if (question)
			snprintf(hint_id, sizeof(hint_id), "h_%s", it->id);
		strbuf_reset(tmp);
		form_text_parts(tmp, it, l, hint_id, guide);
		if (tmp->err ||
		    !(ft->parts = arena_strndup(a, tmp->buf, tmp->len)))
			return false;
		ft->parts_len = tmp->len;
	}
	if (!it->list)
		return true;
	ft->choice_value = arena_calloc(a, it->list->n + 1,
					sizeof(*ft->choice_value));
	ft->choice_label = arena_calloc(a, it->list->n + 1,
					sizeof(*ft->choice_label));
	ft->choice_value_len = arena_calloc(a, it->list->n + 1,
					    sizeof(*ft->choice_value_len));
	ft->choice_label_len = arena_calloc(a, it->list->n + 1,
					    sizeof(*ft->choice_label_len));
	if (!ft->choice_value || !ft->choice_label || !ft->choice_value_len ||
	    !ft->choice_label_len)
		return false;
	ft->nchoices = it->list->n;
	for (size_t c = 0; c < it->list->n; c++) {
		const struct choice *ch = &it->list->choices[c];
		if (!(ft->choice_value[c] = escaped(a, tmp, ch->value,
						    &ft->choice_value_len[c])) ||
		    !(ft->choice_label[c] = escaped(a, tmp,
						    i18n_get(&ch->label, l),
						    &ft->choice_label_len[c])))
			return false;
	}
	if ((it->type != ITEM_SELECT_ONE && it->type != ITEM_SELECT_MULTIPLE) ||
	    it->repeat >= 0)
		return true;
	for (int w = 0; w < FORM_CHOICES__MAX; w++)
		if (!choices_html(a, tmp, it, ft, (enum form_choices_way)w,
				  &ft->choices[w]))
			return false;
	return true;
}

/* A new entry of ins in lang; NULL without memory. */
static struct form_cache_entry *entry_build(const char *sha256,
					    const struct instrument *ins,
					    enum lang lang, const char *guide)
{
	struct form_cache_entry *e = calloc(1, sizeof(*e));
	struct strbuf tmp = STRBUF_INIT;
	bool ok;

	if (!e)
		return NULL;
	arena_init(&e->mem, 16 * 1024);
	snprintf(e->t.sha256, sizeof(e->t.sha256), "%s", sha256);
	e->t.lang = lang;
	e->t.nitems = ins->nitems;
	e->ins_id = arena_strdup(&e->mem, ins->id ? ins->id : "");
	e->ins_version = arena_strdup(&e->mem, ins->version ? ins->version
							  : "");
	e->t.items = arena_calloc(&e->mem, ins->nitems + 1,
				  sizeof(*e->t.items));
	ok = e->ins_id && e->ins_version && e->t.items;
	ok = ok && (e->t.title = escaped(&e->mem, &tmp,
					 i18n_get(&ins->title, lang),
					 &e->t.title_len));
	ok = ok && (e->t.description = escaped(&e->mem, &tmp,
					       i18n_get(&ins->description,
							lang),
					       &e->t.description_len));
	for (size_t i = 0; ok && i < ins->nitems; i++)
		ok = item_text(e, &tmp, &ins->items[i], &e->t.items[i], guide);
	strbuf_release(&tmp);
	if (!ok) {
		entry_free(e);
		return NULL;
	}
	return e;
}

static bool nulleq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Does e hold the texts of ins? Its id, version and every item's id. */
static bool entry_matches(const struct form_cache_entry *e,
			  const struct instrument *ins)
{
	if (e->t.nitems != ins->nitems || !nulleq(e->ins_id, ins->id) ||
	    !nulleq(e->ins_version, ins->version))
		return false;
	for (size_t i = 0; i < ins->nitems; i++) {
		const struct item *it = &ins->items[i];
		const struct form_item_text *ft = &e->t.items[i];
		/* the ids need no escaping ([a-z0-9_]); if one did, the
		 * escaped form differs and the entry is not used */
		if (strcmp(ft->id, it->id) ||
		    ft->nchoices != (it->list ? it->list->n : 0))
			return false;
	}
	return true;
}

/* The entry of (sha256, lang) in c, or NULL; under c->lock. */
static struct form_cache_entry *find(struct form_cache *c, const char *sha256,
				     enum lang lang)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->e[i]->t.lang == lang &&
		    strcmp(c->e[i]->t.sha256, sha256) == 0)
			return c->e[i];
	return NULL;
}

const struct form_text *form_cache_get(struct form_cache *c,
				       const char *sha256,
				       const struct instrument *ins,
				       enum lang lang, const char *guide)
{
	struct form_cache_entry *e, *built;

	if (!c || !sha256 || !*sha256 || !ins ||
	    strlen(sha256) >= sizeof(e->t.sha256))
		return NULL;
	pthread_mutex_lock(&c->lock);
	e = find(c, sha256, lang);
	if (e)
		e->refs++;
	pthread_mutex_unlock(&c->lock);
	if (!e) {
		/* built outside the lock: other forms go on meanwhile */
		if (!(built = entry_build(sha256, ins, lang, guide)))
			return NULL;
		pthread_mutex_lock(&c->lock);
		e = find(c, sha256, lang);	/* another thread was faster */
		if (!e && c->n == FORM_CACHE_MAX) {
			size_t old = FORM_CACHE_MAX;
			for (size_t i = 0; i < c->n; i++)
				if (!c->e[i]->refs &&
				    (old == FORM_CACHE_MAX ||
				     c->e[i]->used < c->e[old]->used))
					old = i;
			if (old < FORM_CACHE_MAX) {
				entry_free(c->e[old]);
				c->e[old] = c->e[--c->n];
			}
		}
		if (!e && c->n < FORM_CACHE_MAX) {
			c->e[c->n++] = built;
			e = built;
			built = NULL;
		}
		if (e)
			e->refs++;
		pthread_mutex_unlock(&c->lock);
		/* found after all, or every entry in use (then escaped
		 * by the caller, this once) */
		entry_free(built);
		if (!e)
			return NULL;
	}
	pthread_mutex_lock(&c->lock);
	e->used = ++c->tick;
	pthread_mutex_unlock(&c->lock);
	/* held: nobody frees it while it is checked */
	if (!entry_matches(e, ins)) {
		form_cache_put(c, &e->t);
		return NULL;
	}
	return &e->t;
}

void form_cache_put(struct form_cache *c, const struct form_text *t)
{
	/* t is the first member of its entry */
	struct form_cache_entry *e = (struct form_cache_entry *)(void *)t;

	if (!c || !t)
		return;
	pthread_mutex_lock(&c->lock);
	e->refs--;
	pthread_mutex_unlock(&c->lock);
}
