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
#include <string.h>

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

/*
 * a[0..n) == b[0..n) for the short keys of the evidence layer (account
 * names, devices, message ids), in a few word compares instead of a
 * call; reads nothing outside either.
 */
static inline bool vpnlog_same(const char *a, const char *b, size_t n)
{
	uint64_t x, y;
	uint32_t u, w;

	if (n >= 8) {
		for (size_t i = 0; i + 8 < n; i += 8) {
			memcpy(&x, a + i, 8);
			memcpy(&y, b + i, 8);
			if (x != y)
				return false;
		}
		memcpy(&x, a + n - 8, 8);
		memcpy(&y, b + n - 8, 8);
		return x == y;
	}
	if (n >= 4) {
		memcpy(&u, a, 4);
		memcpy(&w, b, 4);
		if (u != w)
			return false;
		memcpy(&u, a + n - 4, 4);
		memcpy(&w, b + n - 4, 4);
		return u == w;
	}
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* "fortigate", "asa", ... ; NULL for VPN_FMT_AUTO or out of range. */
const char *vpn_format_name(enum vpn_format f);
/* The format named s, VPN_FMT_AUTO for "auto", -1 when unknown. */
int vpn_format_parse(const char *s);
const char *vpn_outcome_name(enum vpn_outcome o);

/*
 * What parsing one stream remembers between its lines, so that the next
 * line costs less; it never changes an answer. The layouts are private
 * to vpnlog.c: each is the key=value pairs of the last FortiGate line
 * with one message id (logid), each pair as it was written, so that a
 * pair written the same way again is taken by one comparison and a pair
 * with the same key by one comparison of the key. A run of such pairs
 * (up to 64 bytes) is taken by one comparison of the run.
 */
enum { VPNLOG_FG_PAIRS = 32, VPNLOG_FG_LAYOUTS = 8 };

struct vpnlog_fg_pair {
	uint8_t b[32];		/* the pair's bytes when last seen */
	uint64_t kmask;		/* bits of b that hold "key=" (bit 32
				 * for a key too long to compare) */
	uint64_t full;		/* bits of the whole pair and its end;
				 * bit 32 (never equal) when it cannot be
				 * taken whole */
	uint8_t n;		/* bytes of the whole pair taken */
	uint8_t voff, vlen;	/* the value in b */
	uint8_t klen;
	uint8_t field;		/* what the parser makes of the key */
	uint8_t whole;		/* taken whole on the last line */
	uint8_t rcnt;		/* pairs in the run from this one, 0 for
				 * none: pairs taken whole on the last
				 * line, one after the other in rb */
	uint8_t rlen;		/* bytes of the run */
	uint8_t rplain;		/* no subtype or action that ends a scan */
	uint8_t nf;		/* fields the parser uses in the run: */
	uint8_t rf[8];		/* each field, */
	uint8_t rvoff[8], rvlen[8];	/* its value in rb */
	uint32_t rbits;		/* the bits of those fields */
	uint64_t rmask;		/* bits of rb that hold the run */
	uint8_t rb[64];		/* the run's bytes */
};

struct vpnlog_fg_layout {
	char tag[16];		/* the logid value, tag_len bytes */
	uint8_t tag_len;
	struct vpnlog_fg_pair pair[VPNLOG_FG_PAIRS];
};

struct vpnlog_state {
	enum vpn_format hint;		/* the previous line's format */
	unsigned cur, next;		/* layout in use; next to replace */
	unsigned stale;			/* layouts whose runs are to be
					 * made again, one bit each */
	struct vpnlog_fg_layout fg[VPNLOG_FG_LAYOUTS];
};

/* An empty state: no layout, the hint FortiGate. */
void vpnlog_state_init(struct vpnlog_state *st);

/*
 * vpnlog_parse_line() for the next line of the stream st remembers:
 * the same answer and event, at a lower cost when the lines look alike.
 */
enum vpn_parse vpnlog_parse_next(const struct vpnlog_opts *o,
				 enum vpn_format fmt, struct slice line,
				 struct vpn_event *ev, struct vpnlog_state *st);

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
