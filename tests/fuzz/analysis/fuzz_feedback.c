/*
 * fuzz_feedback.c - libFuzzer target: any bytes as the answers of a draft
 * to the bundled 2022 hospital survey, counted by the analysis engine
 * (JSON and text results) and rendered as a feedback page; the page must
 * never hold a '<' that the code did not write (every data '<' escaped).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "report/feedback.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct instrument *ins;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct strbuf err = STRBUF_INIT;
	(void)argc;
	(void)argv;
	if (instrument_load_file(SOURCE_ROOT "/instruments/mhlw/hospital-backup-vpn-2022.yaml",
				 &ins, &err)) {
		fprintf(stderr, "%s", err.buf);
		abort();
	}
	strbuf_release(&err);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct analysis_opts po = { .by = "prefecture", .today = "2022-02-01" },
			     pe = { .by = "kind,size_band",
				    .today = "2022-02-01" };
	struct analysis *a = NULL, *b = NULL;
	struct strbuf out = STRBUF_INIT;
	json_t *j = json_loadb((const char *)data, size, 0, NULL), *res;
	json_t *org = json_pack("{s:s, s:s, s:s, s:i}", "id", "F1", "kind",
				"hospital", "prefecture", "13", "beds", 120);

	if (!j || !json_is_object(j) || !org)
		goto out;
	if (analysis_new(ins, &po, &a, NULL) || analysis_new(ins, &pe, &b, NULL))
		abort();
	analysis_add_invited(a, org);
	analysis_add_invited(b, org);
	if (analysis_add_draft(a, org, j) || analysis_add(b, org, j))
		goto out;
	if (analysis_result_json(a, 0, &res) == MAMORI_OK) {
		analysis_result_text(ins, res, size & 1 ? LANG_EN : LANG_JA,
				     &out);
		json_decref(res);
	}
	strbuf_reset(&out);
	struct feedback_in in = { .ins = ins, .campaign = 1, .org = org,
				  .answers = j, .by_pref = a, .by_peer = b,
				  .lang = size & 1 ? LANG_EN : LANG_JA };
	if (feedback_html(&in, &out) == MAMORI_OK) {
		/* data can only appear inside text: "<script" never */
		if (strstr(out.buf, "<script"))
			abort();
	}
out:
	strbuf_release(&out);
	analysis_free(a);
	analysis_free(b);
	json_decref(org);
	json_decref(j);
	return 0;
}
