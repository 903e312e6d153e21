/*
 * version.c - strict grammars for appliance firmware versions. Must never
 * accept a partial match: "7.2" is not a FortiOS version, "latest" is not
 * anything.
 */
#include "evidence/version.h"

#include <string.h>

#include "util/banned.h"

static const char *const scheme_names[VS__MAX] = {
	[VS_FORTIOS] = "fortios",
	[VS_IVANTI] = "ivanti",
	[VS_PANOS] = "panos",
	[VS_NETSCALER] = "netscaler",
	[VS_SONICOS] = "sonicos",
	[VS_ASA] = "asa",
};

const char *version_scheme_name(enum version_scheme s)
{
	return (unsigned)s < VS__MAX ? scheme_names[s] : "?";
}

int version_scheme_parse(const char *s)
{
	for (int i = 0; i < VS__MAX; i++)
		if (!strcmp(s, scheme_names[i]))
			return i;
	return -1;
}

struct scan {
	const char *p, *end;
};

static bool num(struct scan *s, uint32_t *out)
{
	uint64_t v = 0;
	const char *st = s->p;
	while (s->p < s->end && *s->p >= '0' && *s->p <= '9') {
		v = v * 10 + (uint64_t)(*s->p - '0');
		if (v > 99999999)
			return false;
		s->p++;
	}
	if (s->p == st)
		return false;
	*out = (uint32_t)v;
	return true;
}

static bool lit(struct scan *s, char c)
{
	if (s->p < s->end && *s->p == c) {
		s->p++;
		return true;
	}
	return false;
}

static bool lit_ci(struct scan *s, const char *w)
{
	size_t n = strlen(w);
	if ((size_t)(s->end - s->p) < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((s->p[i] | 0x20) != w[i])
			return false;
	s->p += n;
	return true;
}

static void spaces(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t'))
		s->p++;
}

static bool at_end(struct scan *s)
{
	spaces(s);
	return s->p == s->end;
}

/* ", build1575", " build 1575", " (build 1575)", "(GA)": ignored tails */
static void build_tail(struct scan *s)
{
	struct scan t = *s;
	uint32_t b;
	spaces(&t);
	lit(&t, ',');
	spaces(&t);
	bool paren = lit(&t, '(');
	spaces(&t);
	if (lit_ci(&t, "build")) {
		spaces(&t);
		if (num(&t, &b)) {
			spaces(&t);
			if (!paren || lit(&t, ')')) {
				*s = t;
				spaces(s);
			}
		}
	}
	t = *s;
	spaces(&t);
	if (lit(&t, '(')) {
		const char *c = memchr(t.p, ')', (size_t)(t.end - t.p));
		if (c && c + 1 == t.end) {
			/* "(GA)", "(Feature)", "(Mature)" */
			*s = t;
			s->p = t.end;
		}
	}
}

static bool parse_fortios(struct scan *s, struct version *v)
{
	if (!lit(s, 'v'))
		lit(s, 'V');
	if (!num(s, &v->part[0]) || !lit(s, '.') || !num(s, &v->part[1]) ||
	    !lit(s, '.') || !num(s, &v->part[2]))
		return false;
	build_tail(s);
	return at_end(s);
}

static bool parse_ivanti(struct scan *s, struct version *v)
{
	if (!num(s, &v->part[0]) || !lit(s, '.') || !num(s, &v->part[1]) ||
	    !(lit(s, 'R') || lit(s, 'r')) || !num(s, &v->part[2]))
		return false;
	if (lit(s, '.') && !num(s, &v->part[3]))
		return false;
	build_tail(s);
	return at_end(s);
}

static bool parse_panos(struct scan *s, struct version *v)
{
	if (!num(s, &v->part[0]) || !lit(s, '.') || !num(s, &v->part[1]) ||
	    !lit(s, '.') || !num(s, &v->part[2]))
		return false;
	if (lit(s, '-')) {
		if (!(lit(s, 'h') || lit(s, 'H')) || !num(s, &v->part[3]))
			return false;
	}
	return at_end(s);
}

static bool parse_netscaler(struct scan *s, struct version *v)
{
	lit_ci(s, "ns");
	if (!num(s, &v->part[0]) || !lit(s, '.') || !num(s, &v->part[1]))
		return false;
	if (!lit(s, '-') && !lit(s, '.')) {
		/* "13.1 Build 49.13" or "13.1: Build 49.13.nc" */
		lit(s, ':');
		spaces(s);
		if (!lit_ci(s, "build"))
			return false;
		spaces(s);
	}
	if (!num(s, &v->part[2]) || !lit(s, '.') || !num(s, &v->part[3]))
		return false;
	if (s->p < s->end && *s->p == '.') {
		/* ".nc", ".fips": the build flavour */
		s->p++;
		while (s->p < s->end && ((*s->p | 0x20) >= 'a' &&
					 (*s->p | 0x20) <= 'z'))
			s->p++;
	}
	return at_end(s);
}

static bool parse_sonicos(struct scan *s, struct version *v)
{
	int n = 0;
	if (!num(s, &v->part[n++]))
		return false;
	while (n < 4 && lit(s, '.'))
		if (!num(s, &v->part[n++]))
			return false;
	if (n < 3)
		return false;
	if (!lit(s, '-') || !num(s, &v->part[4]))
		return false;
	size_t k = 0;
	while (s->p < s->end && ((*s->p | 0x20) >= 'a' && (*s->p | 0x20) <= 'z')) {
		if (k + 1 >= sizeof(v->suffix))
			return false;
		v->suffix[k++] = (char)(*s->p | 0x20);
		s->p++;
	}
	v->suffix[k] = '\0';
	return at_end(s);
}

static bool parse_asa(struct scan *s, struct version *v)
{
	if (!num(s, &v->part[0]) || !lit(s, '.') || !num(s, &v->part[1]))
		return false;
	if (lit(s, '(')) {
		/* 9.8(4)20 */
		if (!num(s, &v->part[2]) || !lit(s, ')'))
			return false;
		num(s, &v->part[3]);
		return at_end(s);
	}
	if (!lit(s, '.') || !num(s, &v->part[2]))
		return false;
	if (lit(s, '.') && !num(s, &v->part[3]))
		return false;
	return at_end(s);
}

bool version_parse(enum version_scheme sc, struct slice text,
		   struct version *out)
{
	struct version v;
	struct slice t = slice_trim(text);
	struct scan s = { t.p, t.p + t.len };
	bool ok;

	memset(&v, 0, sizeof(v));
	if (!t.len)
		return false;
	switch (sc) {
	case VS_FORTIOS: ok = parse_fortios(&s, &v); break;
	case VS_IVANTI: ok = parse_ivanti(&s, &v); break;
	case VS_PANOS: ok = parse_panos(&s, &v); break;
	case VS_NETSCALER: ok = parse_netscaler(&s, &v); break;
	case VS_SONICOS: ok = parse_sonicos(&s, &v); break;
	case VS_ASA: ok = parse_asa(&s, &v); break;
	default: ok = false;
	}
	if (ok)
		*out = v;
	return ok;
}

int version_cmp(const struct version *a, const struct version *b)
{
	for (int i = 0; i < VERSION_PARTS; i++)
		if (a->part[i] != b->part[i])
			return a->part[i] < b->part[i] ? -1 : 1;
	return strcmp(a->suffix, b->suffix);
}
