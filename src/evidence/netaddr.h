/*
 * netaddr.h - IPv4/IPv6 addresses and CIDR prefixes for the evidence
 * layer. Addresses are kept as 16 bytes (IPv4 as ::ffff:a.b.c.d) so one
 * comparison serves both families. Must never read past a slice.
 */
#ifndef MAMORI_EVIDENCE_NETADDR_H
#define MAMORI_EVIDENCE_NETADDR_H

#include <stdbool.h>
#include <stdint.h>

#include "util/slice.h"

#define NETADDR_STRLEN 46	/* INET6_ADDRSTRLEN */

struct netaddr {
	uint8_t b[16];
};

struct netprefix {
	struct netaddr addr;
	unsigned bits;		/* prefix length over the 128-bit form */
};

/* Parses a bare address (no port, no brackets); false when not one. */
bool netaddr_parse(struct slice s, struct netaddr *out);
bool netaddr_is_v4(const struct netaddr *a);
/* Writes the canonical text (IPv4 dotted, IPv6 RFC 5952) into buf. */
void netaddr_format(const struct netaddr *a, char buf[NETADDR_STRLEN]);
/* "a.b.c.d/n", "x::/n" or a bare address (full length). */
bool netprefix_parse(struct slice s, struct netprefix *out);
bool netprefix_contains(const struct netprefix *p, const struct netaddr *a);

#endif
