/*
 * fuzz_response.c - libFuzzer target: any bytes as a response JSON to the
 * bundled 2022 hospital survey.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "instrument/instrument.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct instrument *ins;
static struct validator *val;

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
	val = validator_new(ins);
	if (!val)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t jerr;
	json_t *j = json_loadb((const char *)data, size, 0, &jerr);
	const struct vresult *r;
	struct vopts o = { .lang = size & 1 ? LANG_EN : LANG_JA,
			   .today = "2022-02-01", .normalise = true };

	if (!j)
		return 0;
	if (instrument_validate(val, j, &o, &r) == MAMORI_OK)
		json_decref(r->normalised);
	json_decref(j);
	return 0;
}
