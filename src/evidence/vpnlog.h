/*
 * vpnlog.h - VPN gateway log lines to access events.
 *
 * One parser per vendor format turns one line into a struct vpn_event
 * whose slices point into the line: no allocation, no copy, no regular
 * expression. "auto" recognises the format of each line by cheap markers
 * (mixed syslog streams are normal). A parser must never read outside
 * the line, whatever bytes it holds.
 */
#ifndef MAMORI_EVIDENCE_VPNLOG_H
#define MAMORI_EVIDENCE_VPNLOG_H

#include <stdbool.h>
#include <stdint.h>

#include "evidence/netaddr.h"
#include "util/slice.h"

enum vpn_format {
	VPN_FMT_FORTIGATE,
	VPN_FMT_ASA,
	VPN_FMT_PULSE,
	VPN_FMT_GLOBALPROTECT,
	VPN_FMT_SONICWALL,
	VPN_FMT_NETSCALER,
	VPN_FMT_OPENVPN,
	VPN_FMT_STRONGSWAN,
	VPN_FMT_NPS,
	VPN_FMT__MAX,
	VPN_FMT_AUTO = VPN_FMT__MAX
};

enum vpn_outcome {
	VPN_SUCCESS,
	VPN_FAILURE,
	VPN_LOGOUT,
	VPN_OUTCOME__MAX
};

/* What a parser made of a line. */
enum vpn_parse {
	VPN_NOT_MINE,	/* not this format (or, for auto, no known format) */
	VPN_IGNORED,	/* this format, but not an access event */
	VPN_EVENT,	/* *ev filled */
	VPN_MALFORMED,	/* this format, but a needed field is broken */
	VPN_PARSE__MAX
};

struct vpn_event {
	int64_t time;			/* UTC seconds */
	struct slice device;		/* may be empty */
	struct slice user;		/* may be empty (unknown) */
	struct slice session;		/* may be empty */
	struct slice reason;		/* may be empty */
	struct netaddr src;		/* valid when has_src */
	bool has_src;
	enum vpn_outcome outcome;
	enum vpn_format format;
};

struct vpnlog_opts {
	int tz_min;		/* zone of timestamps that carry none */
	int year;		/* year of syslog stamps that carry none */
};

/* "fortigate", "asa", ... ; NULL for VPN_FMT_AUTO or out of range. */
const char *vpn_format_name(enum vpn_format f);
/* The format named s, VPN_FMT_AUTO for "auto", -1 when unknown. */
int vpn_format_parse(const char *s);
const char *vpn_outcome_name(enum vpn_outcome o);

/*
 * Parses one line (without its newline) as format fmt, or by detection
 * when fmt is VPN_FMT_AUTO: the first format in enum order whose parser
 * takes the line. *hint (may be NULL) holds the format of the previous
 * line and is tried first; it saves work and never changes the answer.
 * On VPN_EVENT, *ev is filled and
 * ev->format tells which parser took it; on VPN_IGNORED and
 * VPN_MALFORMED too, ev->format names the format recognised.
 */
enum vpn_parse vpnlog_parse_line(const struct vpnlog_opts *o,
				 enum vpn_format fmt, struct slice line,
				 struct vpn_event *ev, enum vpn_format *hint);

/* One format's parser, for tests and fuzzing. */
enum vpn_parse vpnlog_parse_as(const struct vpnlog_opts *o,
			       enum vpn_format fmt, struct slice line,
			       struct vpn_event *ev);

#endif
