/*
 * fuzz_validate_text.c - libFuzzer target, differential: any bytes as a
 * response's JSON text, validated from the text
 * (instrument_validate_text) and from json_loadb()'s document
 * (instrument_validate) against the bundled 2022 hospital survey, the
 * incident report and a small instrument with every item type; aborts
 * on any difference (validate_same.h).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "instrument/instrument.h"
#include "validate_same.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define NINS 3
static struct instrument *ins[NINS];
static struct validator *tv[NINS], *dv[NINS];
static json_t *org;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const files[] = {
		SOURCE_ROOT "/instruments/mhlw/hospital-backup-vpn-2022.yaml",
		SOURCE_ROOT "/instruments/mhlw/incident-report.yaml",
	};
	struct strbuf err = STRBUF_INIT;
	(void)argc;
	(void)argv;
	for (int k = 0; k < NINS; k++) {
		enum mamori_err e =
			k < 2 ? instrument_load_file(files[k], &ins[k], &err)
			      : instrument_load_mem("every", same_every_type,
						    sizeof(same_every_type) - 1,
						    &ins[k], &err);
		if (e) {
			fprintf(stderr, "%s", err.buf);
			abort();
		}
		tv[k] = validator_new(ins[k]);
		dv[k] = validator_new(ins[k]);
		if (!tv[k] || !dv[k])
			abort();
	}
	strbuf_release(&err);
	org = json_pack("{s:s,s:i}", "kind", "hospital", "beds", 120);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vopts o = { .lang = size & 1 ? LANG_EN : LANG_JA,
			   .today = "2022-02-01", .normalise = true,
			   .org = size & 2 ? org : NULL,
			   .counts_only = (size & 4) != 0 };

	for (int k = 0; k < NINS; k++) {
		struct same_run t, d;
		same_validate(tv[k], dv[k], (const char *)data, size, &o, &t,
			      &d);
		const char *why = same_diff(ins[k], tv[k], &t, dv[k], &d);
		if (why) {
			fprintf(stderr, "instrument %s: text and document "
				"differ: %s\n", ins[k]->id, why);
			abort();
		}
	}
	return 0;
}
