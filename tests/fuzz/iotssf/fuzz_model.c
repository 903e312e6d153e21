/*
 * fuzz_model.c - libFuzzer target of the IoT-SSF model loader: any bytes
 * as a model against the real catalogue; a model that loads is assessed
 * and rendered in every format and language, so the whole path from file
 * to report is exercised. The catalogue is loaded once (libFuzzer's
 * initializer), the only state kept between runs.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "iotssf/iotssf.h"

static struct iot_catalog catalog;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct strbuf err = STRBUF_INIT;

	(void)argc;
	(void)argv;
	iot_catalog_init(&catalog);
	if (iot_catalog_load_dir(&catalog, SOURCE_ROOT "/data/iot-ssf", &err)) {
		fputs(err.buf, stderr);
		abort();
	}
	strbuf_release(&err);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct iot_model m;
	struct strbuf err = STRBUF_INIT;

	iot_model_init(&m, &catalog);
	enum mamori_err e = iot_model_parse(&m, "fuzz.yaml", (const char *)data,
					    size, &err);
	if (e == MAMORI_OK) {
		struct iot_assessment a;
		if (iot_assess(&a, &m) == MAMORI_OK) {
			for (int f = 0; f < IOT_FMT__MAX; f++)
				for (int l = 0; l < IOT_LANG__MAX; l++) {
					struct strbuf out = STRBUF_INIT;
					iot_render(&a, (enum iot_format)f,
						   (enum iot_lang)l, &out);
					strbuf_release(&out);
				}
			iot_assessment_release(&a);
		}
	} else if (err.len == 0 && e != MAMORI_ENOMEM) {
		abort();	/* a refused model must say why */
	}
	iot_model_release(&m);
	strbuf_release(&err);
	return 0;
}
