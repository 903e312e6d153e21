/*
 * fuzz_propose.c - proposed answers from attached evidence: the input is
 * an audit's JSON and a firmware check's JSON (either may be missing or
 * anything at all: "evidence attach" stores what an organisation gives),
 * separated by a NUL byte. The proposal must always be an object whose
 * every value is "yes", "no" or "unknown" (abort otherwise).
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "evidence/propose.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *z = memchr(data, 0, size);
	size_t la = z ? (size_t)(z - data) : size;
	json_t *audit = json_loadb((const char *)data, la, 0, NULL);
	json_t *fw = z ? json_loadb((const char *)z + 1, size - la - 1, 0,
				    NULL)
		       : NULL;
	json_t *p, *resp, *v;
	const char *k;

	if (!audit && !fw)
		return 0;
	p = evidence_propose(audit, fw);
	resp = json_object_get(p, "response");
	if (!json_is_object(resp) ||
	    !json_is_array(json_object_get(p, "answers")))
		abort();
	json_object_foreach(resp, k, v) {
		const char *s = json_string_value(v);
		if (!s || (strcmp(s, "yes") && strcmp(s, "no") &&
			   strcmp(s, "unknown")))
			abort();
	}
	json_decref(p);
	json_decref(audit);
	json_decref(fw);
	return 0;
}
