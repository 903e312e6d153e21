/*
 * netaddr.c - address parsing and prefix matching. Must never read past
 * the slice or accept a partial address.
 */
#include "evidence/netaddr.h"

#include <arpa/inet.h>
#include <string.h>

#include "util/num.h"
#include "util/banned.h"

static const uint8_t v4_mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
				       0xff, 0xff };

bool netaddr_is_v4(const struct netaddr *a)
{
	return !memcmp(a->b, v4_mapped, 12);
}

/* Dotted quad as inet_pton(AF_INET) takes it: four decimal numbers up to
 * 255, no leading zeros, nothing else (without a copy and a NUL). */
static bool parse_v4(struct slice s, uint8_t v4[4])
{
	const char *p = s.p, *e = s.p + s.len;

	for (int k = 0; k < 4; k++) {
		if (p >= e)
			return false;
		unsigned cur = (unsigned char)*p++ - '0';
		if (cur > 9)
			return false;
		if (cur) {	/* a leading 0 is the whole number */
			for (int j = 0; j < 2 && p < e; j++, p++) {
				unsigned d = (unsigned char)*p - '0';
				if (d > 9)
					break;
				cur = cur * 10 + d;
			}
			if (cur > 255)
				return false;
		}
		v4[k] = (uint8_t)cur;
		if (k < 3 && (p >= e || *p++ != '.'))
			return false;
	}
	return p == e;
}

bool netaddr_parse(struct slice s, struct netaddr *out)
{
	char tmp[NETADDR_STRLEN];
	uint8_t v4[4];

	if (s.len < 2 || s.len >= sizeof(tmp))
		return false;
	if (parse_v4(s, v4)) {
		memcpy(out->b, v4_mapped, 12);
		memcpy(out->b + 12, v4, 4);
		return true;
	}
	if (!memchr(s.p, ':', s.len))
		return false;	/* not a dotted quad, and no IPv6 */
	for (size_t i = 0; i < s.len; i++) {
		char c = s.p[i];
		if (!(c == ':' || (c >= '0' && c <= '9') || c == '.' ||
		      (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return false;
	}
	memcpy(tmp, s.p, s.len);
	tmp[s.len] = '\0';
	return inet_pton(AF_INET6, tmp, out->b) == 1;
}

void netaddr_format(const struct netaddr *a, char buf[NETADDR_STRLEN])
{
	if (netaddr_is_v4(a))
		inet_ntop(AF_INET, a->b + 12, buf, NETADDR_STRLEN);
	else
		inet_ntop(AF_INET6, a->b, buf, NETADDR_STRLEN);
}

bool netprefix_parse(struct slice s, struct netprefix *out)
{
	struct slice head, rest = slice_cut(s, '/', &head);
	int64_t bits;

	if (!netaddr_parse(head, &out->addr))
		return false;
	unsigned max = netaddr_is_v4(&out->addr) ? 32 : 128;
	if (!rest.p) {
		out->bits = 128;
		return true;
	}
	if (num_parse_range(rest, 0, max, &bits))
		return false;
	out->bits = (unsigned)bits + (max == 32 ? 96 : 0);
	/* clear host bits so that contains() is a plain masked compare */
	for (unsigned i = out->bits; i < 128; i++)
		out->addr.b[i / 8] &= (uint8_t)~(0x80u >> (i % 8));
	return true;
}

bool netprefix_contains(const struct netprefix *p, const struct netaddr *a)
{
	unsigned full = p->bits / 8, rem = p->bits % 8;

	if (memcmp(p->addr.b, a->b, full))
		return false;
	if (!rem)
		return true;
	uint8_t mask = (uint8_t)(0xff00u >> rem);
	return (p->addr.b[full] & mask) == (a->b[full] & mask);
}
