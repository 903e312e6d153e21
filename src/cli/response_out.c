/*
 * response_out.c - validation results for programs (JSON) and people.
 */
#include "cli/response_out.h"

#include <math.h>
#include <stdlib.h>

#include "util/err.h"
#include "util/xalloc.h"
#include "util/banned.h"

static json_t *checked(json_t *j)
{
	if (!j)
		xcheck_oom(MAMORI_ENOMEM);
	return j;
}

static json_t *errors_json(const struct verror *e, size_t n)
{
	json_t *a = checked(json_array());
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, checked(json_pack(
			"{s:s, s:s, s:s}", "item", e[i].item, "code",
			verr_code_name(e[i].code), "message", e[i].message)));
	return a;
}

json_t *response_result_json(const struct instrument *ins,
			     const struct vresult *res)
{
	json_t *o = checked(json_object());
	json_t *fd = checked(json_array());
	json_t *ind = checked(json_object());
	json_t *sc = checked(json_object());

	json_object_set_new(o, "valid", json_boolean(res->valid));
	json_object_set_new(o, "errors", errors_json(res->errors, res->nerrors));
	json_object_set_new(o, "warnings",
			    errors_json(res->warnings, res->nwarnings));
	/* findings worst first, then in instrument order */
	for (int sev = SEV__MAX - 1; sev >= 0; sev--)
		for (size_t i = 0; i < ins->nfindings; i++)
			if (res->fired[i] &&
			    (int)ins->findings[i].severity == sev)
				json_array_append_new(fd, checked(json_pack(
					"{s:s, s:s}", "id", ins->findings[i].id,
					"severity", severity_name(sev))));
	json_object_set_new(o, "findings", fd);
	for (size_t i = 0; i < ins->nindicators; i++)
		json_object_set_new(ind, ins->indicators[i].id,
				    checked(json_pack("{s:b, s:b}",
						      "in_population",
						      res->in_population[i],
						      "met", res->met[i])));
	json_object_set_new(o, "indicators", ind);
	for (size_t i = 0; i < ins->nitems; i++)
		if (ins->items[i].score != SCORE_NONE)
			json_object_set_new(sc, ins->items[i].id,
					    isnan(res->scores[i])
						    ? json_null()
						    : json_real(res->scores[i]));
	if (ins->score != SCORE_NONE)
		json_object_set_new(sc, "overall",
				    isnan(res->overall_score)
					    ? json_null()
					    : json_real(res->overall_score));
	json_object_set_new(o, "scores", sc);
	json_object_set_new(o, "progress",
			    checked(json_pack("{s:I, s:I}", "answered",
					      (json_int_t)res->answered,
					      "applicable",
					      (json_int_t)res->applicable)));
	json_object_set(o, "response",
			res->normalised ? res->normalised : json_null());
	return o;
}

void response_result_print(FILE *f, const struct instrument *ins,
			   const struct vresult *res, enum lang lang)
{
	int ja = lang == LANG_JA;

	fprintf(f, "%s (%zu/%zu %s)\n",
		res->valid ? (ja ? "有効な回答です" : "valid")
			   : (ja ? "回答に問題があります" : "invalid"),
		res->answered, res->applicable, ja ? "問回答済み" : "answered");
	for (size_t i = 0; i < res->nerrors; i++)
		fprintf(f, "  %s: %s: %s\n", ja ? "エラー" : "error",
			res->errors[i].item, res->errors[i].message);
	for (size_t i = 0; i < res->nwarnings; i++)
		fprintf(f, "  %s: %s: %s\n", ja ? "注意" : "warning",
			res->warnings[i].item, res->warnings[i].message);
	int any = 0;
	for (int sev = SEV__MAX - 1; sev >= 0; sev--)
		for (size_t i = 0; i < ins->nfindings; i++) {
			const struct finding *fd = &ins->findings[i];
			if (!res->fired[i] || (int)fd->severity != sev)
				continue;
			if (!any++)
				fprintf(f, "%s\n", ja ? "指摘事項:" : "findings:");
			fprintf(f, "  [%s] %s\n", severity_name(fd->severity),
				i18n_get(&fd->title, lang));
		}
	if (ins->score != SCORE_NONE && !isnan(res->overall_score))
		fprintf(f, "%s: %.2f\n", ja ? "総合スコア" : "overall score",
			res->overall_score);
}
