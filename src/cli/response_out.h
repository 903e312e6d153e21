/*
 * response_out.h - a validation result as JSON (the stable shape of
 * `mamori response check --json`) and as text for people. Shared by
 * every command that validates.
 */
#ifndef MAMORI_CLI_RESPONSE_OUT_H
#define MAMORI_CLI_RESPONSE_OUT_H

#include <jansson.h>
#include <stdio.h>

#include "instrument/instrument.h"

/*
 * {"valid", "errors": [{"item","code","message"}], "warnings": [...],
 *  "findings": [{"id","severity"}], "indicators": {ID: {"in_population",
 *  "met"}}, "scores": {...}, "progress": {"answered","applicable"},
 *  "response": normalised}. Caller owns the result (json_decref);
 * aborts on allocation failure (faces only).
 */
json_t *response_result_json(const struct instrument *ins,
			     const struct vresult *res);
void response_result_print(FILE *f, const struct instrument *ins,
			   const struct vresult *res, enum lang lang);

#endif
