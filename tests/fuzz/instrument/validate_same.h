/*
 * validate_same.h - what must be the same when one response is validated
 * from its JSON text (instrument_validate_text) and from jansson's
 * document of it (instrument_validate): the return code, every error and
 * warning (item, code, message, in order), every cell (relevance and
 * value of every item in every row, the rows of every repeat), the
 * indicators, findings, scores, progress and the normalised response.
 * Shared by tests/fuzz/instrument/fuzz_validate_text.c and
 * tests/unit/instrument/test_validate_text.c.
 */
#ifndef MAMORI_TESTS_VALIDATE_SAME_H
#define MAMORI_TESTS_VALIDATE_SAME_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "instrument/instrument.h"

/* An instrument with every item type, a repeat with every answerable
 * type, a scored group, ${org.kind}, indicators and findings. */
static const char same_every_type[] =
	"id: every\nversion: '1'\ntitle: Every\nissuer: X\nrespondent: any\n"
	"languages: [ja, en]\n"
	"choices:\n"
	"  c: [{value: a, label: A, score: 1}, {value: b, label: B, score: 2},\n"
	"      {value: '3', label: Three}, {value: e.x, label: E}]\n"
	"items:\n"
	"  - {id: t, type: text, label: T}\n"
	"  - {id: i, type: integer, label: I, constraint: \". > -5\"}\n"
	"  - {id: d, type: decimal, label: D}\n"
	"  - {id: dt, type: date, label: DT}\n"
	"  - {id: tm, type: datetime, label: TM}\n"
	"  - {id: s, type: select_one c, label: S}\n"
	"  - {id: m, type: select_multiple c, label: M, relevant: \"${s} != 'b'\"}\n"
	"  - {id: n1, type: note, label: N}\n"
	"  - {id: c1, type: calculate, calculate: \"${i} + ${d}\"}\n"
	"  - id: g\n    type: group\n    label: G\n    score: mean\n"
	"    relevant: \"${org.kind} = 'hospital' or ${i} > 2\"\n"
	"    items:\n"
	"      - {id: gi, type: integer, label: GI, required: true}\n"
	"      - {id: gs, type: select_one c, label: GS}\n"
	"  - id: r\n    type: repeat\n    label: R\n    max_rows: 5\n"
	"    relevant: \"${s} = 'a' or ${s} = '3' or ${s} = ''\"\n"
	"    items:\n"
	"      - {id: rt, type: text, label: RT}\n"
	"      - {id: ri, type: integer, label: RI, constraint: \". < 100\"}\n"
	"      - {id: rd, type: decimal, label: RD}\n"
	"      - {id: rs, type: select_one c, label: RS}\n"
	"      - {id: rm, type: select_multiple c, label: RM}\n"
	"      - {id: rc, type: calculate, calculate: \"${ri} * 2\"}\n"
	"      - {id: rdt, type: date, label: RDT, relevant: \"${ri} > 1\"}\n"
	"  - {id: total, type: calculate, calculate: \"sum(${ri})\"}\n"
	"indicators:\n"
	"  - {id: k1, label: K1, population: \"${s} != ''\", met: \"${s} = 'a'\"}\n"
	"  - {id: k2, label: K2, met: \"count(${r}) > 1\"}\n"
	"findings:\n"
	"  - {id: f1, severity: high, title: F1, advice: A, when: \"${d} > 1.5\"}\n"
	"  - {id: f2, severity: low, title: F2, advice: A, when: \"selected(${m}, 'b')\"}\n";

struct same_run {
	enum mamori_err e;
	const struct vresult *r;
};

/* Validate js[0..len) both ways, with a validator for each (tv for the
 * text, dv for the document) so both results can be compared. */
static void same_validate(struct validator *tv, struct validator *dv,
			  const char *js, size_t len, const struct vopts *o,
			  struct same_run *text, struct same_run *doc)
{
	json_error_t je;
	json_t *j = json_loadb(js, len, 0, &je);

	text->r = doc->r = NULL;
	text->e = instrument_validate_text(tv, js, len, o, &text->r, NULL);
	doc->e = j ? instrument_validate(dv, j, o, &doc->r) : MAMORI_EPARSE;
	/* the document's cells may point into it: keep it until the next */
	static json_t *keep;
	json_decref(keep);
	keep = j;
}

static int same_double(double a, double b)
{
	return (isnan(a) && isnan(b)) || !memcmp(&a, &b, sizeof(a));
}

static int same_errors(const struct verror *a, size_t na,
		       const struct verror *b, size_t nb)
{
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (a[i].code != b[i].code || strcmp(a[i].item, b[i].item) ||
		    strcmp(a[i].message, b[i].message))
			return 0;
	return 1;
}

static char *same_dump(const json_t *j)
{
	return j ? json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY |
				      JSON_REAL_PRECISION(17))
		 : NULL;
}

/* NULL when the two runs agree, else what differs (a static text). Frees
 * both normalised documents. */
static const char *same_diff(const struct instrument *ins,
			     const struct validator *tv,
			     const struct same_run *t,
			     const struct validator *dv,
			     const struct same_run *d)
{
	static char why[256];
	const struct vresult *a = t->r, *b = d->r;
	const char *bad = NULL;

	if (t->e != d->e) {
		snprintf(why, sizeof(why), "code %d vs %d", t->e, d->e);
		bad = why;
	}
	if (bad || t->e != MAMORI_OK)
		goto out;
	if (a->valid != b->valid ||
	    !same_errors(a->errors, a->nerrors, b->errors, b->nerrors))
		bad = "errors";
	else if (!same_errors(a->warnings, a->nwarnings, b->warnings,
			      b->nwarnings))
		bad = "warnings";
	else if (a->answered != b->answered || a->applicable != b->applicable)
		bad = "progress";
	else if (!same_double(a->overall_score, b->overall_score))
		bad = "overall score";
	if (bad)
		goto out;
	for (size_t k = 0; k < ins->nindicators && !bad; k++)
		if (a->in_population[k] != b->in_population[k] ||
		    a->met[k] != b->met[k])
			bad = "indicators";
	for (size_t k = 0; k < ins->nfindings && !bad; k++)
		if (a->fired[k] != b->fired[k])
			bad = "findings";
	for (size_t i = 0; i < ins->nitems && !bad; i++) {
		const struct item *it = &ins->items[i];
		size_t rows = 1;
		if (!same_double(a->scores[i], b->scores[i])) {
			bad = "scores";
			break;
		}
		if (it->type == ITEM_REPEAT) {
			if (validator_rows(tv, i) != validator_rows(dv, i))
				bad = "rows";
			rows = 1;
		} else if (it->repeat >= 0) {
			rows = validator_rows(tv, (size_t)it->repeat);
		}
		for (size_t r = 0; r < rows && !bad; r++) {
			size_t la, lb;
			const char *va = validator_value(tv, i, r, &la),
				   *vb = validator_value(dv, i, r, &lb);
			if (validator_relevant(tv, i, r) !=
			    validator_relevant(dv, i, r)) {
				snprintf(why, sizeof(why), "relevance of %s[%zu]",
					 it->id, r);
				bad = why;
			} else if (la != lb || (la && memcmp(va, vb, la))) {
				snprintf(why, sizeof(why), "value of %s[%zu]: "
					 "'%.*s' vs '%.*s'", it->id, r,
					 (int)(la > 60 ? 60 : la), va,
					 (int)(lb > 60 ? 60 : lb), vb);
				bad = why;
			}
		}
	}
	if (!bad) {
		char *x = same_dump(a->normalised), *y = same_dump(b->normalised);
		if ((x || y) && (!x || !y || strcmp(x, y)))
			bad = "normalised";
		free(x);
		free(y);
	}
out:
	if (t->e == MAMORI_OK)
		json_decref(a->normalised);
	if (d->e == MAMORI_OK)
		json_decref(b->normalised);
	return bad;
}

#endif
