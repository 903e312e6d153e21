/*
 * helpers.h - shared fixtures of the iotssf unit tests: the real catalogue
 * from the source tree and models parsed from strings.
 */
#ifndef IOTSSF_TEST_HELPERS_H
#define IOTSSF_TEST_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iotssf/iotssf.h"

#define CATALOG_DIR SOURCE_ROOT "/data/iot-ssf"

static inline void load_catalog(struct iot_catalog *cat)
{
	struct strbuf err = STRBUF_INIT;

	iot_catalog_init(cat);
	if (iot_catalog_load_dir(cat, CATALOG_DIR, &err) != MAMORI_OK) {
		fprintf(stderr, "%s", err.buf);
		abort();
	}
	strbuf_release(&err);
}

/* Parses text as "t.yaml"; err receives the messages. */
static inline enum mamori_err parse_model(struct iot_model *m,
				   const struct iot_catalog *cat,
				   const char *text, struct strbuf *err)
{
	iot_model_init(m, cat);
	return iot_model_parse(m, "t.yaml", text, strlen(text), err);
}

static inline size_t dev_index(const struct iot_model *m, const char *id)
{
	for (size_t i = 0; i < m->ndevices; i++)
		if (!strcmp(m->devices[i].id, id))
			return i;
	return IOT_NONE;
}

static inline size_t stake_index(const struct iot_model *m, const char *id)
{
	for (size_t i = 0; i < m->nstakeholders; i++)
		if (!strcmp(m->stakeholders[i].id, id))
			return i;
	return IOT_NONE;
}

static inline size_t incident_index(const struct iot_model *m, const char *id)
{
	for (size_t i = 0; i < m->nincidents; i++)
		if (!strcmp(m->incidents[i].id, id))
			return i;
	return IOT_NONE;
}

/* The position of incident inc for stakeholder s. */
static inline const struct iot_position *position(const struct iot_assessment *a,
					   const char *inc, const char *s)
{
	size_t i = incident_index(a->model, inc), k = stake_index(a->model, s);

	for (size_t p = 0; p < a->npositions; p++)
		if (a->positions[p].incident == i && a->positions[p].stakeholder == k)
			return &a->positions[p];
	return NULL;
}

static inline const char *cat_name(const struct iot_catalog *cat, size_t c)
{
	return c == IOT_NONE ? "none" : cat->categories[c].id;
}

#endif
