/*
 * analysis_text.c - an analysis result as readable tables (every share
 * with its denominator written out), and the trend table of two
 * campaigns of one instrument. Reads only the result JSON and the
 * instrument; must never count anything itself.
 */
#include "analysis/analysis.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/banned.h"

static size_t jsz(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);
	return json_is_integer(v) ? (size_t)json_integer_value(v) : 0;
}

static void pct(struct strbuf *out, size_t n, size_t d)
{
	if (d)
		strbuf_addf(out, "%5.1f %%", 100.0 * (double)n / (double)d);
	else
		strbuf_addstr(out, "    - %");
}

static const char *item_name(const struct item *it, enum lang lang,
			     char *buf, size_t len)
{
	if (it->number)
		snprintf(buf, len, "%s%s", lang == LANG_JA ? "問" : "Q",
			 it->number);
	else
		snprintf(buf, len, "%s", it->id);
	return buf;
}

static void text_block(const struct instrument *ins, const json_t *res,
		       enum lang lang, struct strbuf *out)
{
	bool ja = lang == LANG_JA;
	size_t responses = jsz(res, "responses");
	const json_t *items = json_object_get(res, "items");
	char nb[96];

	strbuf_addf(out, ja ? "対象 %zu、回答 %zu（提出 %zu、下書き %zu）"
			    : "invited %zu, responses %zu (submitted %zu, "
			      "drafts %zu)",
		    jsz(res, "invited"), responses, jsz(res, "submitted"),
		    jsz(res, "drafts"));
	if (jsz(res, "invited")) {
		strbuf_addstr(out, ja ? "、回答率 " : ", response rate ");
		pct(out, jsz(res, "submitted"), jsz(res, "invited"));
	}
	/* a repeatable campaign: submitted counts organisations, the
	 * items below count their reports */
	if (jsz(res, "reports") != jsz(res, "submitted"))
		strbuf_addf(out, ja ? "、提出された報告 %zu 件"
				    : ", submitted reports %zu",
			    jsz(res, "reports"));
	strbuf_addch(out, '\n');

	strbuf_addstr(out, ja ? "\n指標（分母は各指標の対象）\n"
			      : "\nIndicators (each over its own population)\n");
	for (size_t k = 0; k < ins->nindicators; k++) {
		const struct indicator *ind = &ins->indicators[k];
		const json_t *j = json_object_get(
			json_object_get(res, "indicators"), ind->id);
		size_t p = jsz(j, "population"), m = jsz(j, "met");
		strbuf_addstr(out, "  ");
		pct(out, m, p);
		strbuf_addf(out, ja ? "  %zu / %zu  %s\n" : "  %zu of %zu  %s\n",
			    m, p, i18n_get(&ind->label, lang));
	}

	strbuf_addstr(out, ja ? "\n所見（該当した回答の数）\n"
			      : "\nFindings (responses where each fired)\n");
	for (size_t k = 0; k < ins->nfindings; k++) {
		const struct finding *f = &ins->findings[k];
		size_t n = jsz(json_object_get(res, "findings"), f->id);
		strbuf_addstr(out, "  ");
		pct(out, n, responses);
		strbuf_addf(out, ja ? "  %zu / %zu  [%s] %s\n"
				    : "  %zu of %zu  [%s] %s\n",
			    n, responses, severity_name(f->severity),
			    i18n_get(&f->title, lang));
	}

	strbuf_addstr(out, ja ? "\n設問\n" : "\nItems\n");
	for (size_t i = 0; i < ins->nitems; i++) {
		const struct item *it = &ins->items[i];
		const json_t *j = json_object_get(items, it->id);
		if (!j || it->type == ITEM_CALCULATE)
			continue;
		size_t p = jsz(j, "population");
		bool rows = it->repeat >= 0;
		strbuf_addf(out, "\n%s %s\n", item_name(it, lang, nb, sizeof(nb)),
			    i18n_get(&it->label, lang));
		if (rows)
			strbuf_addf(out, ja ? "  分母：この設問が該当した行 %zu"
					    : "  denominator: %zu rows to which "
					      "it applied",
				    p);
		else
			strbuf_addf(out, ja ? "  分母：この設問が該当した回答 %zu"
					      "（非該当 %zu）"
					    : "  denominator: %zu responses to "
					      "which it applied (%zu not "
					      "applicable)",
				    p, jsz(j, "not_applicable"));
		strbuf_addf(out, ja ? "、無回答 %zu\n" : ", %zu not answered\n",
			    jsz(j, "not_answered"));
		if (json_object_get(j, "evidence_proposed"))
			strbuf_addf(out, ja ? "  証跡の裏付け：証跡が回答を示した %zu 件の"
					      "うち %zu 件が証跡どおり\n"
					    : "  evidence-backed: %2$zu of the %1$zu "
					      "answers for which attached evidence "
					      "proposes one\n",
				    jsz(j, "evidence_proposed"),
				    jsz(j, "evidence_backed"));
		if (it->list) {
			for (size_t k = 0; k < it->list->n; k++) {
				const struct choice *c = &it->list->choices[k];
				size_t n = jsz(json_object_get(j, "counts"),
					       c->value);
				strbuf_addstr(out, "    ");
				pct(out, n, p);
				strbuf_addf(out, "  %6zu  %s\n", n,
					    i18n_get(&c->label, lang));
			}
			size_t na = jsz(j, "not_answered");
			strbuf_addstr(out, "    ");
			pct(out, na, p);
			strbuf_addf(out, "  %6zu  %s\n", na,
				    ja ? "（無回答）" : "(not answered)");
		} else if (json_object_get(j, "counts")) {
			const char *key;
			const json_t *v;
			json_object_foreach((json_t *)json_object_get(j,
								      "counts"),
					    key, v) {
				size_t n = (size_t)json_integer_value(v);
				strbuf_addstr(out, "    ");
				pct(out, n, p);
				strbuf_addf(out, "  %6zu  %s\n", n, key);
			}
		}
		const json_t *num = json_object_get(j, "numeric");
		if (num) {
			strbuf_addf(out,
				    ja ? "    n %zu、平均 %.2f、第1四分位 %.2f、"
					 "中央値 %.2f、第3四分位 %.2f\n"
				       : "    n %zu, mean %.2f, q1 %.2f, "
					 "median %.2f, q3 %.2f\n",
				    jsz(num, "n"),
				    json_number_value(json_object_get(num, "mean")),
				    json_number_value(json_object_get(num, "q1")),
				    json_number_value(json_object_get(num,
								      "median")),
				    json_number_value(json_object_get(num, "q3")));
		}
		if (it->type == ITEM_REPEAT)
			strbuf_addf(out, ja ? "    行の合計 %zu\n"
					    : "    rows in all %zu\n",
				    jsz(j, "rows"));
	}
}

enum mamori_err analysis_result_text(const struct instrument *ins,
				     const json_t *result, enum lang lang,
				     struct strbuf *out)
{
	const json_t *groups = json_object_get(result, "groups");
	bool ja = lang == LANG_JA;

	strbuf_addf(out, "%s %s\n", ins->id, ins->version ? ins->version : "");
	strbuf_addf(out, "%s\n", i18n_get(&ins->title, lang));
	text_block(ins, result, lang, out);
	if (json_is_object(groups)) {
		const char **keys;
		size_t n = json_object_size(groups), k = 0;
		const char *key;
		const json_t *g;
		/* sorted group keys */
		keys = calloc(n ? n : 1, sizeof(*keys));
		if (!keys)
			return MAMORI_ENOMEM;
		json_object_foreach((json_t *)groups, key, g)
			keys[k++] = key;
		for (size_t i = 1; i < n; i++)
			for (size_t j = i; j > 0 && strcmp(keys[j - 1],
							   keys[j]) > 0; j--) {
				const char *t = keys[j];
				keys[j] = keys[j - 1];
				keys[j - 1] = t;
			}
		for (size_t i = 0; i < n; i++) {
			strbuf_addf(out, ja ? "\n==== %s = %s ====\n"
					    : "\n==== %s = %s ====\n",
				    json_string_value(json_object_get(result,
								      "by")),
				    keys[i]);
			text_block(ins, json_object_get(groups, keys[i]), lang,
				   out);
		}
		free(keys);
	}
	return out->err;
}

/* ---- trends ------------------------------------------------------------ */

static bool same_src(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Why an item differs between two instruments, or NULL. */
static const char *item_change(const struct item *a, const struct item *b)
{
	if (a->type != b->type)
		return "type";
	if (!same_src(a->relevant_src, b->relevant_src))
		return "relevant";
	if ((a->list == NULL) != (b->list == NULL))
		return "choices";
	if (a->list) {
		if (a->list->n != b->list->n)
			return "choices";
		for (size_t k = 0; k < a->list->n; k++)
			if (strcmp(a->list->choices[k].value,
				   b->list->choices[k].value))
				return "choices";
	}
	return NULL;
}

static json_t *share_of(const json_t *ind)
{
	const json_t *s = json_object_get(ind, "share");
	return json_is_number(s) ? json_real(json_number_value(s)) : json_null();
}

enum mamori_err analysis_compare(const struct instrument *older_ins,
				 const json_t *older,
				 const struct instrument *newer_ins,
				 const json_t *newer, json_t **out,
				 struct strbuf *err)
{
	json_t *o, *inds, *items, *added, *removed, *changed, *iadded,
	       *iremoved;

	*out = NULL;
	if (strcmp(older_ins->id, newer_ins->id)) {
		if (err)
			strbuf_addf(err, "the campaigns use different "
				    "instruments ('%s' and '%s'): no trend",
				    older_ins->id, newer_ins->id);
		return MAMORI_EINVAL;
	}
	o = json_object();
	inds = json_object();
	items = json_object();
	added = json_array();
	removed = json_array();
	changed = json_object();
	iadded = json_array();
	iremoved = json_array();
	if (!o || !inds || !items || !added || !removed || !changed ||
	    !iadded || !iremoved)
		goto nomem;
	json_object_set_new(o, "instrument", json_string(newer_ins->id));
	json_object_set_new(o, "versions",
		json_pack("[s,s]", older_ins->version ? older_ins->version : "",
			  newer_ins->version ? newer_ins->version : ""));
	for (size_t k = 0; k < newer_ins->nindicators; k++) {
		const struct indicator *nb = &newer_ins->indicators[k];
		const json_t *jn = json_object_get(
			json_object_get(newer, "indicators"), nb->id);
		const json_t *jo = json_object_get(
			json_object_get(older, "indicators"), nb->id);
		json_t *row;
		if (!jo) {
			json_array_append_new(iadded, json_string(nb->id));
			continue;
		}
		row = json_object();
		if (!row)
			goto nomem;
		json_object_set_new(row, "before", share_of(jo));
		json_object_set_new(row, "after", share_of(jn));
		json_object_set_new(row, "population_before",
			json_incref(json_object_get(jo, "population")));
		json_object_set_new(row, "population_after",
			json_incref(json_object_get(jn, "population")));
		json_object_set_new(row, "met_before",
			json_incref(json_object_get(jo, "met")));
		json_object_set_new(row, "met_after",
			json_incref(json_object_get(jn, "met")));
		if (json_is_number(json_object_get(jo, "share")) &&
		    json_is_number(json_object_get(jn, "share")))
			json_object_set_new(row, "change_points", json_real(
				100.0 * (json_number_value(json_object_get(jn,
								"share")) -
					 json_number_value(json_object_get(jo,
								"share")))));
		/* a different population expression changes the meaning */
		for (size_t m = 0; m < older_ins->nindicators; m++)
			if (!strcmp(older_ins->indicators[m].id, nb->id) &&
			    (!same_src(older_ins->indicators[m].population_src,
				       nb->population_src) ||
			     !same_src(older_ins->indicators[m].met_src,
				       nb->met_src)))
				json_object_set_new(row, "changed",
						    json_true());
		json_object_set_new(inds, nb->id, row);
	}
	for (size_t i = 0; i < newer_ins->nitems; i++) {
		const struct item *b = &newer_ins->items[i];
		const struct item *a = instrument_find(older_ins, b->id,
						       strlen(b->id));
		if (b->type == ITEM_NOTE || b->type == ITEM_GROUP)
			continue;
		if (!a) {
			json_array_append_new(added, json_string(b->id));
			continue;
		}
		const char *why = item_change(a, b);
		if (why) {
			json_object_set_new(changed, b->id, json_string(why));
			continue;
		}
		json_t *ja = json_object_get(json_object_get(older, "items"),
					     b->id);
		json_t *jb = json_object_get(json_object_get(newer, "items"),
					     b->id);
		json_t *row = json_object();
		if (!row)
			goto nomem;
		json_object_set_new(row, "before", json_incref(ja));
		json_object_set_new(row, "after", json_incref(jb));
		json_object_set_new(items, b->id, row);
	}
	for (size_t i = 0; i < older_ins->nitems; i++) {
		const struct item *a = &older_ins->items[i];
		if (a->type == ITEM_NOTE || a->type == ITEM_GROUP)
			continue;
		if (!instrument_find(newer_ins, a->id, strlen(a->id)))
			json_array_append_new(removed, json_string(a->id));
	}
	for (size_t k = 0; k < older_ins->nindicators; k++) {
		const char *id = older_ins->indicators[k].id;
		if (!json_object_get(json_object_get(newer, "indicators"), id))
			json_array_append_new(iremoved, json_string(id));
	}
	json_object_set_new(o, "indicators", inds);
	json_object_set_new(o, "indicators_added", iadded);
	json_object_set_new(o, "indicators_removed", iremoved);
	json_object_set_new(o, "items", items);
	json_object_set_new(o, "added", added);
	json_object_set_new(o, "removed", removed);
	json_object_set_new(o, "changed", changed);
	*out = o;
	return MAMORI_OK;
nomem:
	json_decref(o);
	json_decref(inds);
	json_decref(items);
	json_decref(added);
	json_decref(removed);
	json_decref(changed);
	json_decref(iadded);
	json_decref(iremoved);
	return MAMORI_ENOMEM;
}

/* The label of item or indicator id in ins, else the id itself. */
static const char *label_of(const struct instrument *ins, const char *id,
			    bool indicator, enum lang lang)
{
	if (indicator) {
		for (size_t k = 0; k < ins->nindicators; k++)
			if (!strcmp(ins->indicators[k].id, id))
				return i18n_get(&ins->indicators[k].label, lang);
		return id;
	}
	const struct item *it = instrument_find(ins, id, strlen(id));
	return it ? i18n_get(&it->label, lang) : id;
}

static void id_list(struct strbuf *out, const json_t *arr,
		    const struct instrument *ins, bool indicator,
		    enum lang lang)
{
	size_t i;
	const json_t *v;

	json_array_foreach((json_t *)arr, i, v) {
		const char *id = json_string_value(v);
		if (!id)
			continue;
		strbuf_addf(out, "    %s  %s\n", id,
			    label_of(ins, id, indicator, lang));
	}
}

enum mamori_err analysis_trend_text(const struct instrument *older_ins,
				    const struct instrument *newer_ins,
				    const json_t *trend, enum lang lang,
				    struct strbuf *out)
{
	bool ja = lang == LANG_JA;
	const json_t *camps = json_object_get(trend, "campaigns"),
		     *vers = json_object_get(trend, "versions"),
		     *changed = json_object_get(trend, "changed");

	const char *vb = json_string_value(json_array_get(vers, 0)),
		   *va = json_string_value(json_array_get(vers, 1));
	strbuf_addf(out, ja ? "\n経年比較（キャンペーン %lld → %lld、版 %s → %s）\n"
			    : "\nTrend (campaign %lld -> %lld, versions %s -> "
			      "%s)\n",
		    (long long)json_integer_value(json_array_get(camps, 0)),
		    (long long)json_integer_value(json_array_get(camps, 1)),
		    vb ? vb : "", va ? va : "");
	strbuf_addstr(out, ja ? "  指標（同じIDで比較、変化はポイント）\n"
			      : "  Indicators matched by id (change in "
				"percentage points)\n");
	for (size_t k = 0; k < newer_ins->nindicators; k++) {
		const struct indicator *ind = &newer_ins->indicators[k];
		const json_t *v = json_object_get(
			json_object_get(trend, "indicators"), ind->id);
		if (!v)
			continue;
		size_t pb = jsz(v, "population_before"),
		       pa = jsz(v, "population_after");
		strbuf_addstr(out, "  ");
		pct(out, jsz(v, "met_before"), pb);
		strbuf_addf(out, " (%zu/%zu) -> ", jsz(v, "met_before"), pb);
		pct(out, jsz(v, "met_after"), pa);
		strbuf_addf(out, " (%zu/%zu)", jsz(v, "met_after"), pa);
		if (json_is_number(json_object_get(v, "change_points"))) {
			double cp = json_number_value(
				json_object_get(v, "change_points"));
			strbuf_addf(out, "  %+5.1f", fabs(cp) < 0.05 ? 0.0 : cp);
		}
		else
			strbuf_addstr(out, "      -");
		strbuf_addf(out, "  %s%s\n", i18n_get(&ind->label, lang),
			    json_is_true(json_object_get(v, "changed"))
				    ? (ja ? "  ［定義が変更］"
					  : "  [definition changed]")
				    : "");
	}
	if (json_array_size(json_object_get(trend, "indicators_added"))) {
		strbuf_addstr(out, ja ? "  新しい指標（比較なし）\n"
				      : "  Indicators new in this version "
					"(no comparison)\n");
		id_list(out, json_object_get(trend, "indicators_added"),
			newer_ins, true, lang);
	}
	if (json_array_size(json_object_get(trend, "indicators_removed"))) {
		strbuf_addstr(out, ja ? "  廃止された指標\n"
				      : "  Indicators no longer measured\n");
		id_list(out, json_object_get(trend, "indicators_removed"),
			older_ins, true, lang);
	}
	strbuf_addf(out, ja ? "  設問：%zu問を同じIDで比較\n"
			    : "  Items: %zu compared by id\n",
		    json_object_size(json_object_get(trend, "items")));
	if (json_object_size(changed)) {
		const char *k;
		const json_t *v;
		strbuf_addstr(out, ja ? "  同じIDで内容が変わった設問（比較しない）\n"
				      : "  Items changed under the same id "
					"(not compared)\n");
		json_object_foreach((json_t *)changed, k, v)
			strbuf_addf(out, ja ? "    %s  %s（%s）\n"
					    : "    %s  %s (%s)\n", k,
				    label_of(newer_ins, k, false, lang),
				    json_string_value(v));
	}
	if (json_array_size(json_object_get(trend, "added"))) {
		strbuf_addstr(out, ja ? "  新しい設問（新しいID）\n"
				      : "  Items new in this version (new ids)\n");
		id_list(out, json_object_get(trend, "added"), newer_ins, false,
			lang);
	}
	if (json_array_size(json_object_get(trend, "removed"))) {
		strbuf_addstr(out, ja ? "  なくなった設問\n"
				      : "  Items no longer asked\n");
		id_list(out, json_object_get(trend, "removed"), older_ins,
			false, lang);
	}
	return out->err;
}
