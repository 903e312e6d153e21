/*
 * test_vpnlog.c - every fixture line of tests/data/evidence/<format>.log
 * parsed field by field, both by auto detection and by naming the format.
 * argv[1] is the fixture directory; argv[3] this directory (nps.log).
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "evidence/etime.h"
#include "evidence/vpnlog.h"

static const char *data_dir = "tests/data/evidence";
static const char *here_dir = "tests/unit/evidence";

#define S VPN_SUCCESS
#define F VPN_FAILURE
#define L VPN_LOGOUT
#define EV VPN_EVENT
#define IG VPN_IGNORED
#define NM VPN_NOT_MINE
#define BAD VPN_MALFORMED

struct want {
	enum vpn_parse r;
	enum vpn_outcome outcome;
	const char *user, *src, *time, *device, *session, *reason;
};

struct fixture {
	const char *file;
	enum vpn_format fmt;
	struct want lines[12];
	size_t n;
	bool here;		/* in this directory, not data_dir */
};

static const struct fixture fixtures[] = {
	{ "fortigate.log", VPN_FMT_FORTIGATE, {
		{ EV, F, "admin", "203.0.113.45", "2024-05-10T02:14:07+09:00", "hp-fgt60e", "", "sslvpn_login_permission_denied" },
		{ EV, S, "vendor-maint", "198.51.100.7", "2024-05-10T09:02:55+09:00", "hp-fgt60e", "1187", "" },
		{ EV, L, "vendor-maint", "198.51.100.7", "2024-05-10T11:30:00+09:00", "hp-fgt60e", "1187", "" },
		{ EV, F, "yamada \\\"taro\\\"", "2001:db8:10::45", "2024-05-10T02:20:00+09:00", "hp-fgt60e", "", "sslvpn_login_unknown_user" },
		{ EV, S, "sato", "192.0.2.10", "2024-05-10T09:13:19+09:00", "hp-fgt60e", "2001", "" },
		{ IG, 0, NULL, NULL, NULL, NULL, NULL, NULL },
		{ IG, 0, NULL, NULL, NULL, NULL, NULL, NULL },
		{ EV, F, "suzuki", "203.0.113.46", "2024-05-11T02:05:00+09:00", "hp-fgt60e", "", "sslvpn_login_permission_denied" },
		{ BAD, 0, NULL, NULL, NULL, NULL, NULL, NULL },
	}, 9, false },
	{ "asa.log", VPN_FMT_ASA, {
		{ EV, F, "*****", "203.0.113.45", "2024-05-10T02:14:09+09:00", "asa01", "", "Invalid password" },
		{ EV, S, "vendor-maint", "198.51.100.7", "2024-05-10T09:03:12+09:00", "asa01", "", "" },
		{ IG, 0, NULL, NULL, NULL, NULL, NULL, NULL },
		{ IG, 0, NULL, NULL, NULL, NULL, NULL, NULL },
		{ EV, S, "tanaka", "2001:db8:20::7", "2024-05-10T10:00:00+09:00", "asa01", "", "" },
		{ EV, L, "vendor-maint", "198.51.100.7", "2024-05-10T11:45:30+09:00", "asa01", "", "User Requested" },
		{ EV, F, "kato", "203.0.113.50", "2024-05-10T12:00:00+09:00", "asa01", "", "AAA failure" },
		{ IG, 0, NULL, NULL, NULL, NULL, NULL, NULL },
		{ BAD, 0, NULL, NULL, NULL, NULL, NULL, NULL },
	}, 9, false },
	{ "pulse.log", VPN_FMT_PULSE, {
		{ EV, F, "admin", "203.0.113.45", "2024-05-10T02:14:09+09:00", "ive", "", "" },
		{ EV, F, "admin", "203.0.113.45", "2024-05-10T02:14:10+09:00", "ive", "", "Failed" },
		{ IG, 0, NULL, NULL, NULL, NULL, NULL, NULL },
		{ EV, S, "vendor-maint", "198.51.100.7", "2024-05-10T09:03:01+09:00", "ive", "5f3a9c01", "" },
		{ EV, S, "suzuki", "2001:db8:30::9", "2024-05-10T10:00:00+09:00", "ics22", "00000000", "" },
		{ EV, L, "vendor-maint", "198.51.100.7", "2024-05-10T11:00:00+09:00", "ive", "5f3a9c01", "" },
		{ IG, 0, NULL, NULL, NULL, NULL, NULL, NULL },
		{ BAD, 0, NULL, NULL, NULL, NULL, NULL, NULL },
	}, 8, false },
	{ "globalprotect.log", VPN_FMT_GLOBALPROTECT, {
		{ EV, F, "admin", "203.0.113.45", "2024-05-10T02:14:09+09:00", "012801000001", "", "Authentication failed: Invalid username or password" },
		{ EV, S, "vendor-maint", "198.51.100.7", "2024-05-10T09:03:11+09:00", "012801000001", "", "" },
		{ IG, 0, NULL, NULL, NULL, NULL, NULL, NULL },
		{ EV, S, "ito, k", "2001:db8:40::2", "2024-05-10T10:00:00+09:00", "012801000001", "", "" },
		{ EV, L, "vendor-maint", "198.51.100.7", "2024-05-10T11:30:00+09:00", "012801000001", "", "client logout" },
		{ BAD, 0, NULL, NULL, NULL, NULL, NULL, NULL },
	}, 6, false },
	{ "sonicwall.log", VPN_FMT_SONICWALL, {
		{ EV, F, "admin", "203.0.113.45", "2024-05-10T02:14:09+09:00", "0017C5000001", "", "User login failed" },
		{ EV, S, "vendor-maint", "198.51.100.7", "2024-05-10T09:03:12+09:00", "0017C5000001", "", "" },
		{ EV, L, "vendor-maint", "198.51.100.7", "2024-05-10T11:00:00+09:00", "0017C5000001", "", "" },
		{ EV, S, "watanabe", "2001:db8:50::3", "2024-05-10T12:00:00+09:00", "0017C5000001", "", "" },
		{ IG, 0, NULL, NULL, NULL, NULL, NULL, NULL },
		{ BAD, 0, NULL, NULL, NULL, NULL, NULL, NULL },
	}, 6, false },
	{ "netscaler.log", VPN_FMT_NETSCALER, {
		{ EV, F, "admin", "203.0.113.45", "2024-05-10T11:14:09+09:00", "ns01", "", "Invalid credentials" },
		{ EV, S, "vendor-maint", "198.51.100.7", "2024-05-10T09:03:12+09:00", "ns01", "1001", "" },
		{ EV, L, "vendor-maint", "198.51.100.7", "2024-05-10T11:00:00+09:00", "ns01", "1001", "" },
		{ EV, S, "kobayashi", "2001:db8:60::4", "2024-05-10T10:00:00+09:00", "ns01", "1002", "" },
		{ NM, 0, NULL, NULL, NULL, NULL, NULL, NULL },
		{ BAD, 0, NULL, NULL, NULL, NULL, NULL, NULL },
	}, 6, false },
	{ "openvpn.log", VPN_FMT_OPENVPN, {
		{ NM, 0, NULL, NULL, NULL, NULL, NULL, NULL },
		{ EV, F, "", "203.0.113.45", "2024-05-10T02:14:10+09:00", "", "", "AUTH_FAILED" },
		{ EV, S, "vendor-maint", "198.51.100.7", "2024-05-10T09:03:12+09:00", "", "", "" },
		{ NM, 0, NULL, NULL, NULL, NULL, NULL, NULL },
		{ EV, L, "vendor-maint", "198.51.100.7", "2024-05-10T11:00:00+09:00", "", "", NULL },
		{ EV, S, "nakamura", "2001:db8:70::8", "2024-05-10T12:00:00+09:00", "vpn01", "", "" },
		{ EV, F, "nakamura", "2001:db8:70::8", "2024-05-10T12:30:00+09:00", "", "", "AUTH_FAILED" },
		{ BAD, 0, NULL, NULL, NULL, NULL, NULL, NULL },
	}, 8, false },
	{ "nps.log", VPN_FMT_NPS, {
		{ EV, S, "HOSP\\vendor-maint", "198.51.100.7", "2024-05-10T09:02:55+09:00", "hp-rras01", "", "" },
		{ EV, F, "admin", "203.0.113.45", "2024-05-10T02:14:07+09:00", "hp-rras01", "", "16" },
		{ IG, 0, NULL, NULL, NULL, NULL, NULL, NULL },
		{ IG, 0, NULL, NULL, NULL, NULL, NULL, NULL },
		{ EV, L, "HOSP\\vendor-maint", "198.51.100.7", "2024-05-10T11:30:00+09:00", "hp-rras01", "43", "" },
		{ EV, F, "suzuki", "2001:db8:10::45", "2024-05-10T02:20:00+09:00", "NPS01", "", "8" },
		{ EV, S, "sato", NULL, "2024-05-10T10:00:00+09:00", "wifi-ap3", "", "" },
		{ IG, 0, NULL, NULL, NULL, NULL, NULL, NULL },
		{ BAD, 0, NULL, NULL, NULL, NULL, NULL, NULL },
		{ BAD, 0, NULL, NULL, NULL, NULL, NULL, NULL },
	}, 10, true },
	{ "strongswan.log", VPN_FMT_STRONGSWAN, {
		{ EV, F, "", "203.0.113.45", "2024-05-10T02:14:09+09:00", "vpn02", "", NULL },
		{ NM, 0, NULL, NULL, NULL, NULL, NULL, NULL },
		{ EV, S, "vendor-maint@vendor.example.jp", "198.51.100.7", "2024-05-10T09:03:12+09:00", "vpn02", "rw-eap[3]", "" },
		{ EV, L, "vendor-maint@vendor.example.jp", "198.51.100.7", "2024-05-10T11:00:00+09:00", "vpn02", "rw-eap[3]", "" },
		{ EV, S, "yoshida", "2001:db8:80::9", "2024-05-10T21:00:00+09:00", "vpn02", "rw-eap[4]", "" },
		{ EV, F, "branch-office", NULL, "2024-05-10T12:30:00+09:00", "vpn02", "", NULL },
		{ BAD, 0, NULL, NULL, NULL, NULL, NULL, NULL },
	}, 7, false },
};

static char *read_all(const struct fixture *fx, size_t *len)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", fx->here ? here_dir : data_dir,
		 fx->file);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = malloc(1 << 16);
	assert_non_null(buf);
	*len = fread(buf, 1, (1 << 16) - 1, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static void check_slice(struct slice got, const char *want, const char *what,
			size_t line, const char *file)
{
	if (!want)
		return;
	if (!slice_eq_cstr(got, want))
		fail_msg("%s:%zu: %s is '%.*s', wanted '%s'", file, line, what,
			 (int)got.len, got.p ? got.p : "", want);
}

static void check_fixture(const struct fixture *fx, bool auto_detect)
{
	struct vpnlog_opts o = { .tz_min = 540, .year = 2024 };
	size_t len, n = 0;
	char *buf = read_all(fx, &len);
	struct slice rest = slice_make(buf, len);
	enum vpn_format hint = VPN_FMT_FORTIGATE;

	while (rest.p && rest.len) {
		struct slice line;
		struct vpn_event ev;
		rest = slice_cut(rest, '\n', &line);
		if (!line.len)
			continue;
		assert_true(n < fx->n);
		const struct want *w = &fx->lines[n++];
		enum vpn_parse r = auto_detect ?
			vpnlog_parse_line(&o, VPN_FMT_AUTO, line, &ev, &hint) :
			vpnlog_parse_as(&o, fx->fmt, line, &ev);
		if (r != w->r)
			fail_msg("%s:%zu: result %d, wanted %d", fx->file, n, r, w->r);
		if (r != VPN_EVENT) {
			if (r == VPN_IGNORED || r == VPN_MALFORMED)
				assert_int_equal(ev.format, fx->fmt);
			continue;
		}
		assert_int_equal(ev.format, fx->fmt);
		if (ev.outcome != w->outcome)
			fail_msg("%s:%zu: outcome %s, wanted %s", fx->file, n,
				 vpn_outcome_name(ev.outcome),
				 vpn_outcome_name(w->outcome));
		check_slice(ev.user, w->user, "user", n, fx->file);
		check_slice(ev.device, w->device, "device", n, fx->file);
		check_slice(ev.session, w->session, "session", n, fx->file);
		check_slice(ev.reason, w->reason, "reason", n, fx->file);
		if (w->src) {
			char ip[NETADDR_STRLEN];
			assert_true(ev.has_src);
			netaddr_format(&ev.src, ip);
			if (strcmp(ip, w->src))
				fail_msg("%s:%zu: source %s, wanted %s", fx->file, n, ip, w->src);
		} else {
			assert_false(ev.has_src);
		}
		char t[ETIME_ISOLEN];
		etime_format_iso(ev.time, 540, t);
		if (strcmp(t, w->time))
			fail_msg("%s:%zu: time %s, wanted %s", fx->file, n, t, w->time);
	}
	assert_int_equal(n, fx->n);
	free(buf);
}

static void fixtures_by_name(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++)
		check_fixture(&fixtures[i], false);
}

static void fixtures_auto(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++)
		check_fixture(&fixtures[i], true);
}

/* A line of one format is never taken by another format's parser. */
static void formats_do_not_overlap(void **state)
{
	struct vpnlog_opts o = { .tz_min = 540, .year = 2024 };
	(void)state;
	for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		size_t len;
		char *buf = read_all(&fixtures[i], &len);
		struct slice rest = slice_make(buf, len);
		while (rest.p && rest.len) {
			struct slice line;
			struct vpn_event ev;
			rest = slice_cut(rest, '\n', &line);
			for (int f = 0; f < VPN_FMT__MAX; f++) {
				if (f == (int)fixtures[i].fmt)
					continue;
				enum vpn_parse r = vpnlog_parse_as(&o, f, line, &ev);
				if (r == VPN_EVENT)
					fail_msg("%s: '%.40s' taken as %s", fixtures[i].file,
						 line.p, vpn_format_name(f));
			}
		}
		free(buf);
	}
}

static void eventtime_units(void **state)
{
	struct vpnlog_opts o = { .tz_min = 540, .year = 2024 };
	static const char *const units[] = { "1715274847", "1715274847123",
		"1715274847123456", "1715274847123456789" };
	char line[512];
	struct vpn_event ev;
	(void)state;
	for (size_t i = 0; i < 4; i++) {
		snprintf(line, sizeof(line),
			 "date=2001-01-01 time=00:00:00 devname=x logid=0101039426 type=event subtype=vpn eventtime=%s action=ssl-login-fail remip=192.0.2.1 user=u",
			 units[i]);
		assert_int_equal(vpnlog_parse_as(&o, VPN_FMT_FORTIGATE,
						 slice_from_cstr(line), &ev), VPN_EVENT);
		assert_int_equal(ev.time, 1715274847);
	}
}

/* eventtime as one checked number: digits only, any length that fits
 * 64 bits, else the line's date and time (here 2001-01-01 00:00 +09:00). */
static void eventtime_edges(void **state)
{
	struct vpnlog_opts o = { .tz_min = 540, .year = 2024 };
	static const struct {
		const char *et;
		int64_t t;
	} cases[] = {
		{ "0", 0 },
		{ "1", 1 },
		{ "9999999999999999999", 9999999999 },		/* 19 digits */
		{ "00001715274847", 1715274 },		/* ms by its digits */
		{ "18446744073709551615", 18446744073 },	/* 20, fits */
		{ "18446744073709551616", 978274800 },		/* 20, does not */
		{ "171527484712345678901", 978274800 },		/* 21 */
		{ "1715274847x", 978274800 },
		{ "+1715274847", 978274800 },
		{ "", 978274800 },
		{ "253402300799", 253402300 },		/* ms: 1978 */
		{ "253402300799000", 253402300 },		/* us */
		{ "2534023008", 2534023008 },
	};
	char line[512];
	struct vpn_event ev;
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(line, sizeof(line),
			 "date=2001-01-01 time=00:00:00 devname=x logid=0101039426 type=event subtype=vpn eventtime=%s action=ssl-login-fail remip=192.0.2.1 user=u",
			 cases[i].et);
		assert_int_equal(vpnlog_parse_as(&o, VPN_FMT_FORTIGATE,
						 slice_from_cstr(line), &ev), VPN_EVENT);
		if (ev.time != cases[i].t)
			fail_msg("eventtime=%s: %lld, wanted %lld", cases[i].et,
				 (long long)ev.time, (long long)cases[i].t);
	}
}

/*
 * Auto detection right after a FortiGate line (the hint): the answer is
 * the one without a hint, whatever the letters before "logid=".
 */
static void auto_after_fortigate(void **state)
{
	struct vpnlog_opts o = { .tz_min = 540, .year = 2024 };
	static const char *const lines[] = {
		/* an 'l' before logid= */
		"date=2024-03-01 time=00:00:01 devname=\"lab-fgt\" level=alert logid=\"0101039426\" type=\"event\" subtype=\"vpn\" action=\"ssl-login-fail\" remip=192.0.2.7 user=\"a\"",
		/* devname but no logid=: not marked as FortiGate */
		"date=2024-03-01 time=00:00:02 devname=\"fgt\" action=\"tunnel-up\" remip=192.0.2.8 user=\"b\"",
		/* logid= inside a value still marks the line */
		"date=2024-03-01 time=00:00:03 devname=\"fgt\" msg=\"logid=1\" action=\"tunnel-up\" remip=192.0.2.9 user=\"c\"",
		/* another format right after FortiGate */
		"<134>id=firewall sn=0017C5000001 time=\"2024-03-01 00:00:04\" fw=192.0.2.1 pri=1 c=32 m=1110 msg=\"User login failed\" src=203.0.113.5:51234:X1 dst=192.0.2.1:4433:X1 usr=\"d\"",
		"date=2024-03-01 time=00:00:05 devname=\"fgt\" logid=\"0101039947\" type=\"event\" subtype=\"vpn\" action=\"tunnel-up\" remip=192.0.2.10 user=\"e\"",
		"nothing at all, l and = here",
		"",
	};
	enum vpn_format hint = VPN_FMT_FORTIGATE;
	(void)state;
	for (int round = 0; round < 2; round++)
		for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
			struct vpn_event a, b;
			struct slice l = slice_from_cstr(lines[i]);
			enum vpn_parse ra, rb;
			if (round)	/* every line after a FortiGate line */
				hint = VPN_FMT_FORTIGATE;
			ra = vpnlog_parse_line(&o, VPN_FMT_AUTO, l, &a, &hint);
			rb = vpnlog_parse_line(&o, VPN_FMT_AUTO, l, &b, NULL);
			if (ra != rb || (ra != VPN_NOT_MINE && a.format != b.format))
				fail_msg("line %zu: %d (%d) with the hint, %d (%d) without",
					 i, ra, (int)a.format, rb, (int)b.format);
			if (ra == VPN_EVENT &&
			    (a.time != b.time || !slice_eq(a.user, b.user)))
				fail_msg("line %zu: another event with the hint", i);
		}
	assert_int_equal(vpnlog_parse_line(&o, VPN_FMT_AUTO,
					   slice_from_cstr(lines[1]), &(struct vpn_event){ 0 },
					   &hint), VPN_NOT_MINE);
}

static void zones(void **state)
{
	int m;
	int64_t t;
	(void)state;
	assert_true(etime_parse_zone(SLICE_LIT("+0900"), &m));
	assert_int_equal(m, 540);
	assert_true(etime_parse_zone(SLICE_LIT("-05:30"), &m));
	assert_int_equal(m, -330);
	assert_true(etime_parse_zone(SLICE_LIT("Z"), &m));
	assert_int_equal(m, 0);
	assert_false(etime_parse_zone(SLICE_LIT("+9"), &m));
	assert_false(etime_parse_zone(SLICE_LIT("+2500"), &m));
	assert_int_equal(etime_parse_iso(SLICE_LIT("2024-02-29T23:59:59+09:00"), 0, &t), 25);
	assert_int_equal(t, 1709218799);
	assert_int_equal(etime_parse_iso(SLICE_LIT("2023-02-29 00:00:00"), 0, &t), 0);
	char buf[ETIME_ISOLEN];
	etime_format_iso(0, 0, buf);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	etime_format_iso(1709218799, -300, buf);
	assert_string_equal(buf, "2024-02-29T09:59:59-05:00");
	assert_int_equal(etime_weekday(0), 4);	/* Thursday */
	assert_int_equal(etime_weekday(etime_days_from_civil(2024, 3, 22)), 5);
}

static void addresses(void **state)
{
	struct netaddr a;
	struct netprefix p;
	char buf[NETADDR_STRLEN];
	(void)state;
	assert_true(netaddr_parse(SLICE_LIT("198.51.100.7"), &a));
	assert_true(netaddr_is_v4(&a));
	assert_true(netprefix_parse(SLICE_LIT("198.51.100.0/28"), &p));
	assert_true(netprefix_contains(&p, &a));
	assert_true(netaddr_parse(SLICE_LIT("198.51.100.16"), &a));
	assert_false(netprefix_contains(&p, &a));
	assert_true(netaddr_parse(SLICE_LIT("2001:DB8::1"), &a));
	netaddr_format(&a, buf);
	assert_string_equal(buf, "2001:db8::1");
	assert_true(netprefix_parse(SLICE_LIT("2001:db8::/32"), &p));
	assert_true(netprefix_contains(&p, &a));
	assert_true(netaddr_parse(SLICE_LIT("::ffff:198.51.100.7"), &a));
	assert_true(netaddr_is_v4(&a));
	assert_false(netaddr_parse(SLICE_LIT("198.51.100"), &a));
	assert_false(netaddr_parse(SLICE_LIT("198.51.100.7 "), &a));
	assert_false(netprefix_parse(SLICE_LIT("10.0.0.0/33"), &p));
	assert_false(netprefix_parse(SLICE_LIT("10.0.0.0/"), &p));
	assert_true(netprefix_parse(SLICE_LIT("0.0.0.0/0"), &p));
	assert_true(netaddr_parse(SLICE_LIT("2001:db8::1"), &a));
	assert_false(netprefix_contains(&p, &a));	/* v4 /0 is not v6 */
}

/* One line through vpnlog_parse_next() (with the memory of the lines
 * before) and vpnlog_parse_line(): the same answer and event. */
static void same_as_plain(const struct vpnlog_opts *o, enum vpn_format fmt,
			  struct slice line, struct vpnlog_state *st,
			  enum vpn_format *hint, const char *what, size_t n)
{
	struct vpn_event a, b;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	enum vpn_parse ra = vpnlog_parse_next(o, fmt, line, &a, st);
	enum vpn_parse rb = vpnlog_parse_line(o, fmt, line, &b, hint);
	if (ra != rb || (ra != VPN_NOT_MINE && a.format != b.format))
		fail_msg("%s:%zu: %d (%d) with layouts, %d (%d) without", what,
			 n, ra, (int)a.format, rb, (int)b.format);
	if (ra != VPN_EVENT)
		return;
	if (a.time != b.time || a.outcome != b.outcome ||
	    a.has_src != b.has_src ||
	    (a.has_src && memcmp(&a.src, &b.src, sizeof(a.src))) ||
	    !slice_eq(a.user, b.user) || !slice_eq(a.device, b.device) ||
	    !slice_eq(a.session, b.session) || !slice_eq(a.reason, b.reason))
		fail_msg("%s:%zu: another event with layouts", what, n);
}

/*
 * The FortiGate layouts (pairs taken by comparison with the last line
 * of the same message id) change no answer: every fixture twice over,
 * then lines that differ from the one before in one pair each (a value,
 * its length, its quoting, an escaped quote, a pair added or cut off).
 */
static void layouts_same_events(void **state)
{
	struct vpnlog_opts o = { .tz_min = 540, .year = 2024 };
	static struct vpnlog_state st;
	static const char *const lines[] = {
		"date=2024-05-10 time=02:14:07 devname=\"fgt\" logid=\"0101039426\" type=\"event\" subtype=\"vpn\" eventtime=1715274847 action=\"ssl-login-fail\" tunnelid=0 remip=203.0.113.45 user=\"admin\" reason=\"bad\" msg=\"m\"",
		"date=2024-05-10 time=02:14:08 devname=\"fgt\" logid=\"0101039426\" type=\"event\" subtype=\"vpn\" eventtime=1715274848 action=\"ssl-login-fail\" tunnelid=0 remip=203.0.113.46 user=\"yamada \\\"taro\\\"\" reason=\"bad\" msg=\"m\"",
		"date=2024-05-10 time=02:14:08 devname=\"fgt\" logid=\"0101039426\" type=\"event\" subtype=\"vpn\" eventtime=1715274848 action=\"ssl-login-fail\" tunnelid=0 remip=203.0.113.46 user=\"yamada \\\"taro\\\"\" reason=\"bad\" msg=\"m\"",
		"date=2024-05-10 time=02:14:09 devname=\"fgt\" logid=\"0101039426\" type=\"event\" subtype=\"vpn\" eventtime=1715274849123456789 action=\"ssl-login-fail\" tunnelid=0 remip=2001:db8::45 user=admin reason=bad msg=\"m\"",
		"date=2024-05-10 time=02:14:09 devname=\"fgt\" logid=\"0101039426\" type=\"event\" subtype=\"vpn\" eventtime=1715274849123456789 action=\"ssl-login-fail\" tunnelid=0 remip=2001:db8::45 user=admin reason=\"bad\"",
		"date=2024-05-10 time=02:14:09 devname=\"fgt\" logid=\"0101039426\" type=\"event\" subtype=\"vpn\" eventtime=1715274849123456789 action=\"ssl-login-fail\" tunnelid=0 remip=2001:db8::45 user=admin reason=\"bad",
		"Mar  1 00:00:01 fgt01 date=2024-05-10 time=02:14:10 devname=\"fgt\" logid=\"0101039947\" subtype=\"vpn\" action=\"tunnel-up\" tunnelid=7 remip=192.0.2.1 user=\"N/A\" xauthuser=\"kato\"",
		"date=2024-05-10 time=02:14:10 devname=\"fgt\" logid=\"0101039947\" subtype=\"vpn\" action=\"tunnel-up\" tunnelid=7 remip=192.0.2.1 user=\"N/A\" xauthuser=\"kato\"",
		"date=2024-05-10 time=02:14:11 devname=\"fgt\" logid=\"0101039947\" subtype=\"vpn\" action=\"tunnel-up\" action=\"x\" tunnelid=7 remip=192.0.2.1 user=u",
		"date=2024-05-10 time=02:14:11 devname=\"fgt\" logid=\"0101039947\" subtype=\"vpn\" action=\"tunnel-up\"  tunnelid=7 remip=192.0.2.1 user=u",
		"date=2024-05-10 time=02:14:11 devname=\"fgt\" logid=\"0101039947\" subtype=\"vpn\" action=\"tunnel-up\" tunnelid=7 remip=192.0.2.1 user=u ",
		"date=2024-05-10 time=02:14:12 devname=fgt logid=0101039948 subtype=vpn action=tunnel-down tunnelid=7 remip=192.0.2.1 user=u",
		"date=2024-05-10 time=02:14:12 devname=fgt logid=0101039948 subtype=vpn action=tunnel-down tunnelid=7 remip=192.0.2.1 user=uu",
		"date=2024-05-10 time=02:14:13 devname=\"fgt\" logid=\"0000000013\" type=\"traffic\" subtype=\"forward\" action=\"accept\"",
		"date=2024-05-10 time=02:14:13 devname=\"fgt\" logid=\"0000000013\" type=\"traffic\" subtype=\"vpn\" action=\"accept\"",
		"averyveryveryveryveryverylongkeyname1=1 date=2024-05-10 time=02:14:14 devname=\"fgt\" logid=\"0101039426\" subtype=\"vpn\" action=\"ssl-login-fail\" remip=192.0.2.9 user=v reason=\"a value much longer than thirty-two bytes\"",
		"averyveryveryveryveryverylongkeyname1=1 date=2024-05-10 time=02:14:14 devname=\"fgt\" logid=\"0101039426\" subtype=\"vpn\" action=\"ssl-login-fail\" remip=192.0.2.9 user=v reason=\"a value much longer than thirty-two bytes\"",
		"logid=1 user=\"",
	};
	(void)state;
	for (int fmt = 0; fmt < 2; fmt++) {
		enum vpn_format f = fmt ? VPN_FMT_FORTIGATE : VPN_FMT_AUTO;
		enum vpn_format hint = VPN_FMT_FORTIGATE;
		vpnlog_state_init(&st);
		for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++)
			for (int round = 0; round < 2; round++) {
				size_t len, n = 0;
				char *buf = read_all(&fixtures[i], &len);
				struct slice rest = slice_make(buf, len), line;
				while (rest.p && rest.len) {
					rest = slice_cut(rest, '\n', &line);
					same_as_plain(&o, f, line, &st, &hint,
						      fixtures[i].file, ++n);
				}
				free(buf);
			}
		for (int round = 0; round < 2; round++)
			for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
				same_as_plain(&o, f, slice_from_cstr(lines[i]), &st,
					      &hint, "edge", i + 1);
	}
}

/*
 * Runs of pairs written as on the line before are taken by one
 * comparison: a line like the one before but for one byte inside such a
 * run (a value that makes the line no login, a pair the parser skips, a
 * field it keeps, the line cut inside the run) gives the plain scan's
 * answer, and so does the line after it.
 */
static void layout_runs(void **state)
{
	struct vpnlog_opts o = { .tz_min = 540, .year = 2024 };
	static struct vpnlog_state st;
	static const char base[] =
		"<190>date=2024-03-01 time=00:00:01 devname=\"hp-fgt60e\" devid=\"FGT60E0000000001\" logid=\"0101039426\" type=\"event\" subtype=\"vpn\" level=\"alert\" vd=\"root\" eventtime=1709218801 tz=\"+0900\" logdesc=\"SSL VPN login fail\" action=\"ssl-login-fail\" tunneltype=\"ssl-web\" tunnelid=0 remip=192.0.2.213 user=\"user2424\" group=\"N/A\" reason=\"sslvpn_login_permission_denied\" msg=\"SSL user failed to logged in\"";
	static const struct {
		const char *from, *to;
	} edits[] = {
		{ "subtype=\"vpn\"", "subtype=\"vpm\"" },
		{ "subtype=\"vpn\"", "subtype=\"vpn\"x" },
		{ "action=\"ssl-login-fail\"", "action=\"ssl-login-faik\"" },
		{ "action=\"ssl-login-fail\"", "action=\"tunnel-up\"" },
		{ "vd=\"root\"", "vd=\"rooT\"" },
		{ "vd=\"root\" ", "vd=\"root\"  " },
		{ "level=\"alert\"", "level=\"alerts\"" },
		{ "devname=\"hp-fgt60e\"", "devname=\"hp-fgt60f\"" },
		{ "devid=\"FGT60E0000000001\"", "devid=\"FGT60E0000000002\"" },
		{ "tz=\"+0900\"", "tz=\"+0800\"" },
		{ "tz=\"+0900\"", "tz=+0900" },
		{ "logdesc=\"SSL VPN login fail\"", "logdesc=\"SSL VPN login fail2\"" },
		{ "tunneltype=\"ssl-web\" tunnelid=0", "tunneltype=\"ssl-web\" tunnelid=7" },
		{ "group=\"N/A\"", "group=\"N/B\"" },
		{ " vd=\"root\"", "" },
		{ "type=\"event\" subtype=\"vpn\" level=\"alert\" vd=\"root\" eventtime=1709218801 tz=\"+0900\" logdesc=\"SSL VPN login fail\" action=\"ssl-login-fail\" tunneltype=\"ssl-web\" tunnelid=0 remip=192.0.2.213 user=\"user2424\" group=\"N/A\" reason=\"sslvpn_login_permission_denied\" msg=\"SSL user failed to logged in\"",
		  "type=\"event\" subtype=\"vpn\" level=\"alert\" vd=\"ro" },
		{ "logdesc=\"SSL VPN login fail\" action=\"ssl-login-fail\" tunneltype=\"ssl-web\" tunnelid=0 remip=192.0.2.213 user=\"user2424\" group=\"N/A\" reason=\"sslvpn_login_permission_denied\" msg=\"SSL user failed to logged in\"",
		  "logdesc=\"SSL VPN login fail\" action=\"ssl-login-fail\" tunneltype=\"ss" },
	};
	enum vpn_format hint = VPN_FMT_FORTIGATE;
	char buf[1024];

	(void)state;
	vpnlog_state_init(&st);
	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		const char *at = strstr(base, edits[i].from);
		size_t pre, from = strlen(edits[i].from), to = strlen(edits[i].to);
		assert_non_null(at);
		pre = (size_t)(at - base);
		assert_true(sizeof(base) - from + to < sizeof(buf));
		memcpy(buf, base, pre);
		memcpy(buf + pre, edits[i].to, to);
		memcpy(buf + pre + to, at + from, sizeof(base) - pre - from);
		for (int k = 0; k < 3; k++)
			same_as_plain(&o, VPN_FMT_FORTIGATE,
				      slice_from_cstr(base), &st, &hint,
				      "base", i + 1);
		for (int k = 0; k < 2; k++)
			same_as_plain(&o, VPN_FMT_FORTIGATE,
				      slice_from_cstr(buf), &st, &hint,
				      "edited", i + 1);
		same_as_plain(&o, VPN_FMT_FORTIGATE, slice_from_cstr(base),
			      &st, &hint, "after", i + 1);
	}
}

/* Dotted quads are read exactly as inet_pton(AF_INET) reads them. */
static void dotted_quads(void **state)
{
	static const char *const cases[] = {
		"0.0.0.0", "255.255.255.255", "256.1.1.1", "1.256.1.1",
		"1.1.1.256", "01.1.1.1", "1.1.1.01", "1.1.1.00", "1.0.0.1",
		"1.1.1.1.", "1..1.1", "1.1.1", "1.1.1.1.1", "1000.1.1.1",
		"1.2.3.4a", ".1.2.3", "1.2.3.0", "10.212.134.200", "9.99.199.249",
		"1.2.3.-4", "1.2.3.+4", "1 .2.3.4", "1.2.3.4 ", "12", "1.2.3.1000",
		"123.45.67.89", "999.0.0.0", "0.0.0.09",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct netaddr a;
		uint8_t want[4];
		bool ok = inet_pton(AF_INET, cases[i], want) == 1;
		if (netaddr_parse(slice_from_cstr(cases[i]), &a) != ok)
			fail_msg("'%s': %s, inet_pton says %s", cases[i],
				 ok ? "refused" : "taken", ok ? "yes" : "no");
		if (ok && memcmp(a.b + 12, want, 4))
			fail_msg("'%s': another address", cases[i]);
	}
}

int main(int argc, char **argv)
{
	if (argc > 1)
		data_dir = argv[1];
	if (argc > 3)
		here_dir = argv[3];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fixtures_by_name),
		cmocka_unit_test(fixtures_auto),
		cmocka_unit_test(formats_do_not_overlap),
		cmocka_unit_test(eventtime_units),
		cmocka_unit_test(eventtime_edges),
		cmocka_unit_test(auto_after_fortigate),
		cmocka_unit_test(zones),
		cmocka_unit_test(addresses),
		cmocka_unit_test(layouts_same_events),
		cmocka_unit_test(layout_runs),
		cmocka_unit_test(dotted_quads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
