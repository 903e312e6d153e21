/*
 * version.h - firmware version numbers of VPN appliances, one grammar and
 * comparator per vendor scheme. A text that does not follow its scheme
 * is refused (the caller then says "cannot tell"), never guessed at.
 */
#ifndef MAMORI_EVIDENCE_VERSION_H
#define MAMORI_EVIDENCE_VERSION_H

#include <stdbool.h>
#include <stdint.h>

#include "util/slice.h"

enum version_scheme {
	VS_FORTIOS,	/* 7.2.3 (also v7.2.3, "7.2.3 build1575") */
	VS_IVANTI,	/* 9.1R18.3, 22.5R1.1, 9.1R18 */
	VS_PANOS,	/* 10.2.9-h1, 11.1.2 */
	VS_NETSCALER,	/* 13.1-49.13, 13.0.47.24, "13.1 Build 49.13" */
	VS_SONICOS,	/* 7.0.1-5035, 6.5.4.14-109n, 10.2.0.5-29sv */
	VS_ASA,		/* 9.8.4.20, 9.8(4)20 */
	VS__MAX
};

enum { VERSION_PARTS = 6 };

struct version {
	uint32_t part[VERSION_PARTS];	/* the scheme's fields, 0 when absent */
	char suffix[4];			/* SonicOS letters ("n", "sv"), else "" */
};

const char *version_scheme_name(enum version_scheme s);
/* -1 when unknown. */
int version_scheme_parse(const char *s);
/* true when s follows the scheme; *out is then its normal form. */
bool version_parse(enum version_scheme s, struct slice text,
		   struct version *out);
/* <0, 0, >0 like strcmp. Both must come from the same scheme. */
int version_cmp(const struct version *a, const struct version *b);

#endif
