/*
 * fuzz_load.c - libFuzzer target: any bytes as an instrument file.
 * The loader must reject or accept, never crash or leak.
 */
#include <stddef.h>
#include <stdint.h>

#include "instrument/instrument.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct instrument *ins = NULL;
	struct strbuf err = STRBUF_INIT;

	if (instrument_load_mem("fuzz.yaml", (const char *)data, size, &ins,
				&err) == MAMORI_OK) {
		/* a loaded instrument must validate an empty response */
		struct validator *v = validator_new(ins);
		json_t *empty = json_object();
		const struct vresult *r;
		struct vopts o = { .lang = LANG_EN, .today = "2025-01-01",
				   .normalise = true };
		if (v && empty && !instrument_validate(v, empty, &o, &r))
			json_decref(r->normalised);
		json_decref(empty);
		validator_free(v);
		instrument_free(ins);
	}
	strbuf_release(&err);
	return 0;
}
