/*
 * test_audit.c - each detector at its thresholds, allow-list lines,
 * malformed input accounting, streaming of plain/gzip/several files, the
 * JSON shape, that memory follows accounts and sources, not events, and
 * that one file read by several threads gives the one-thread result byte
 * for byte. argv[1] is tests/data/evidence.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>
#include <zlib.h>

#include "evidence/audit.h"
#include "evidence/etime.h"

/* 2024-03-04 (a Monday) 00:00 +09:00 */
#define MON (etime_days_from_civil(2024, 3, 4) * 86400 - 9 * 3600)

static void ev(struct audit *a, int64_t t, enum vpn_outcome o,
	       const char *user, const char *ip)
{
	struct vpn_event e;
	memset(&e, 0, sizeof(e));
	e.time = t;
	e.outcome = o;
	e.user = slice_from_cstr(user);
	e.device = SLICE_LIT("gw1");
	if (ip) {
		assert_true(netaddr_parse(slice_from_cstr(ip), &e.src));
		e.has_src = true;
	}
	audit_event(a, &e);
}

static size_t count_kind(const struct audit *a, enum finding_kind k)
{
	size_t n = 0;
	for (size_t i = 0; i < a->nfind; i++)
		n += a->find[i].kind == k;
	return n;
}

static const struct finding *first_of(const struct audit *a,
				      enum finding_kind k)
{
	for (size_t i = 0; i < a->nfind; i++)
		if (a->find[i].kind == k)
			return &a->find[i];
	return NULL;
}

static void brute_force(void **state)
{
	struct audit_opts o;
	struct audit a;
	(void)state;
	audit_opts_init(&o);
	audit_init(&a, &o);
	for (int i = 0; i < 9; i++)
		ev(&a, MON + i * 30, VPN_FAILURE, "admin", "203.0.113.9");
	assert_int_equal(count_kind(&a, FIND_BRUTE_FORCE), 0);
	ev(&a, MON + 9 * 30, VPN_FAILURE, "admin", "203.0.113.9");
	const struct finding *f = first_of(&a, FIND_BRUTE_FORCE);
	assert_non_null(f);
	assert_int_equal(f->count, 10);
	assert_int_equal(f->first, MON);
	assert_int_equal(f->sev, ASEV_HIGH);
	ev(&a, MON + 300, VPN_FAILURE, "root", "203.0.113.9");
	assert_int_equal(count_kind(&a, FIND_BRUTE_FORCE), 1);
	assert_int_equal(first_of(&a, FIND_BRUTE_FORCE)->count, 11);
	/* slow failures: one a minute never reach 10 in 5 minutes */
	for (int i = 0; i < 30; i++)
		ev(&a, MON + 86400 + i * 60, VPN_FAILURE, "admin", "203.0.113.10");
	assert_int_equal(count_kind(&a, FIND_BRUTE_FORCE), 1);
	audit_release(&a);
}

static void spray(void **state)
{
	struct audit_opts o;
	struct audit a;
	char u[16];
	(void)state;
	audit_opts_init(&o);
	audit_init(&a, &o);
	for (int i = 0; i < 10; i++) {
		snprintf(u, sizeof(u), "user%02d", i);
		ev(&a, MON + i * 170, VPN_FAILURE, u, "203.0.113.7");
	}
	/* the same account again is not a new one */
	ev(&a, MON + 1750, VPN_FAILURE, "user00", "203.0.113.7");
	assert_int_equal(count_kind(&a, FIND_PASSWORD_SPRAY), 0);
	ev(&a, MON + 1760, VPN_FAILURE, "user10", "203.0.113.7");
	const struct finding *f = first_of(&a, FIND_PASSWORD_SPRAY);
	assert_non_null(f);
	assert_int_equal(f->aux, 11);
	assert_int_equal(count_kind(&a, FIND_BRUTE_FORCE), 0);
	audit_release(&a);
}

static void success_after_failures(void **state)
{
	struct audit_opts o;
	struct audit a;
	(void)state;
	audit_opts_init(&o);
	audit_init(&a, &o);
	for (int i = 0; i < 4; i++)
		ev(&a, MON + i * 10, VPN_FAILURE, "alice", "192.0.2.5");
	ev(&a, MON + 60, VPN_SUCCESS, "alice", "192.0.2.5");
	assert_int_equal(count_kind(&a, FIND_SUCCESS_AFTER_FAILURES), 0);
	for (int i = 0; i < 5; i++)
		ev(&a, MON + 3600 + i * 10, VPN_FAILURE, "bob", "192.0.2.6");
	/* another account's success from the same source does not count */
	ev(&a, MON + 3660, VPN_SUCCESS, "carol", "192.0.2.6");
	assert_int_equal(count_kind(&a, FIND_SUCCESS_AFTER_FAILURES), 0);
	ev(&a, MON + 3670, VPN_SUCCESS, "bob", "192.0.2.6");
	const struct finding *f = first_of(&a, FIND_SUCCESS_AFTER_FAILURES);
	assert_non_null(f);
	assert_string_equal(a.acct[f->acct].name.p, "bob");
	assert_int_equal(f->count, 5);
	/* masked user names (ASA "*****") count for the source */
	for (int i = 0; i < 5; i++)
		ev(&a, MON + 7200 + i * 10, VPN_FAILURE, "*****", "192.0.2.8");
	ev(&a, MON + 7300, VPN_SUCCESS, "dave", "192.0.2.8");
	assert_int_equal(count_kind(&a, FIND_SUCCESS_AFTER_FAILURES), 2);
	/* too old: outside the window */
	for (int i = 0; i < 5; i++)
		ev(&a, MON + 10000 + i, VPN_FAILURE, "erin", "192.0.2.9");
	ev(&a, MON + 10000 + 901 + 5, VPN_SUCCESS, "erin", "192.0.2.9");
	assert_int_equal(count_kind(&a, FIND_SUCCESS_AFTER_FAILURES), 2);
	audit_release(&a);
}

static void allow_list_and_hours(void **state)
{
	struct audit_opts o;
	struct audit a;
	struct allow_entry e[2];
	struct strbuf err = STRBUF_INIT;
	(void)state;
	audit_opts_init(&o);
	assert_int_equal(allow_parse_line(SLICE_LIT("198.51.100.0/28 09:00-18:00 Mon-Fri # vendor"), &e[0], &err), MAMORI_OK);
	assert_string_equal(e[0].label, "vendor");
	assert_int_equal(allow_parse_line(SLICE_LIT("2001:db8:1::/48"), &e[1], &err), MAMORI_OK);
	o.allow = e;
	o.nallow = 2;
	o.has_allow = true;
	audit_init(&a, &o);
	ev(&a, MON + 10 * 3600, VPN_SUCCESS, "fj-sato", "198.51.100.3");	/* Mon 10:00 */
	ev(&a, MON + 10 * 3600, VPN_SUCCESS, "staff", "2001:db8:1::5");
	assert_int_equal(a.nfind, 0);
	ev(&a, MON + 5 * 86400 + 10 * 3600, VPN_SUCCESS, "vendor1", "198.51.100.3");	/* Sat */
	assert_int_equal(count_kind(&a, FIND_OFF_HOURS), 1);
	ev(&a, MON + 8 * 3600 + 59 * 60, VPN_SUCCESS, "vendor2", "198.51.100.4");	/* 08:59 */
	ev(&a, MON + 18 * 3600, VPN_SUCCESS, "vendor3", "198.51.100.5");		/* 18:00 */
	assert_int_equal(count_kind(&a, FIND_OFF_HOURS), 3);
	ev(&a, MON + 3 * 3600, VPN_SUCCESS, "vendor1", "198.51.100.16");	/* outside, 03:00 */
	const struct finding *f = first_of(&a, FIND_OUTSIDE_ALLOWLIST);
	assert_non_null(f);
	assert_int_equal(f->sev, ASEV_CRITICAL);
	ev(&a, MON + 4 * 3600, VPN_FAILURE, "x", "203.0.113.1");
	size_t low = 0;
	for (size_t i = 0; i < a.nfind; i++)
		low += a.find[i].kind == FIND_OUTSIDE_ALLOWLIST && a.find[i].sev == ASEV_LOW;
	assert_int_equal(low, 1);
	audit_release(&a);

	/* allow-file lines */
	assert_int_equal(allow_parse_line(SLICE_LIT("  # just a comment"), &e[0], &err), MAMORI_ENOENT);
	assert_int_equal(allow_parse_line(SLICE_LIT("10.0.0.0/8 Sat,Sun"), &e[0], &err), MAMORI_OK);
	assert_int_equal(e[0].hours.days, 0x41);
	assert_int_equal(allow_parse_line(SLICE_LIT("10.0.0.0/8 22:00-06:00 Fri-Mon"), &e[0], &err), MAMORI_OK);
	assert_int_equal(e[0].hours.days, 0x63);	/* Fri Sat Sun Mon */
	assert_int_equal(e[0].hours.from, 22 * 60);
	strbuf_reset(&err);
	assert_int_equal(allow_parse_line(SLICE_LIT("10.0.0.0/33"), &e[0], &err), MAMORI_EPARSE);
	assert_non_null(strstr(err.buf, "10.0.0.0/33"));
	assert_int_equal(allow_parse_line(SLICE_LIT("10.0.0.0/8 25:00-26:00"), &e[0], &err), MAMORI_EPARSE);
	assert_int_equal(allow_parse_line(SLICE_LIT("10.0.0.0/8 Mon-Fri Sat"), &e[0], &err), MAMORI_EPARSE);
	strbuf_release(&err);
}

static void overnight_hours(void **state)
{
	struct audit_opts o;
	struct audit a;
	struct allow_entry e;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	audit_opts_init(&o);
	assert_int_equal(allow_parse_line(SLICE_LIT("192.0.2.0/24 22:00-06:00 Mon"), &e, &err), MAMORI_OK);
	o.allow = &e;
	o.nallow = 1;
	o.has_allow = true;
	audit_init(&a, &o);
	ev(&a, MON + 23 * 3600, VPN_SUCCESS, "u", "192.0.2.1");		/* Mon 23:00 */
	ev(&a, MON + 86400 + 5 * 3600, VPN_SUCCESS, "u", "192.0.2.1");	/* Tue 05:00 */
	assert_int_equal(count_kind(&a, FIND_OFF_HOURS), 0);
	ev(&a, MON + 5 * 3600, VPN_SUCCESS, "v", "192.0.2.2");		/* Mon 05:00 (Sunday night) */
	assert_int_equal(count_kind(&a, FIND_OFF_HOURS), 1);
	audit_release(&a);
	strbuf_release(&err);
}

static void concurrent_sessions(void **state)
{
	struct audit_opts o;
	struct audit a;
	(void)state;
	audit_opts_init(&o);
	audit_init(&a, &o);
	ev(&a, MON, VPN_SUCCESS, "alice", "192.0.2.5");
	ev(&a, MON + 600, VPN_LOGOUT, "alice", "192.0.2.5");
	ev(&a, MON + 700, VPN_SUCCESS, "alice", "198.51.100.9");
	assert_int_equal(count_kind(&a, FIND_CONCURRENT_SESSIONS), 0);
	ev(&a, MON + 800, VPN_SUCCESS, "alice", "203.0.113.30");
	const struct finding *f = first_of(&a, FIND_CONCURRENT_SESSIONS);
	assert_non_null(f);
	char ip[NETADDR_STRLEN];
	netaddr_format(&a.src[f->other].addr, ip);
	assert_string_equal(ip, "198.51.100.9");
	/* a session without logout ends after session_max */
	ev(&a, MON + 86400, VPN_SUCCESS, "bob", "192.0.2.5");
	ev(&a, MON + 86400 + 13 * 3600, VPN_SUCCESS, "bob", "192.0.2.6");
	assert_int_equal(count_kind(&a, FIND_CONCURRENT_SESSIONS), 1);
	audit_release(&a);
}

static void log_gap(void **state)
{
	struct audit_opts o;
	struct audit a;
	(void)state;
	audit_opts_init(&o);
	audit_init(&a, &o);
	ev(&a, MON, VPN_SUCCESS, "u", "192.0.2.1");
	ev(&a, MON + 86400, VPN_SUCCESS, "u", "192.0.2.1");
	assert_int_equal(count_kind(&a, FIND_LOG_GAP), 0);
	ev(&a, MON + 2 * 86400 + 1, VPN_SUCCESS, "u", "192.0.2.1");
	const struct finding *f = first_of(&a, FIND_LOG_GAP);
	assert_non_null(f);
	assert_int_equal(f->first, MON + 86400);
	assert_int_equal(f->last, MON + 2 * 86400 + 1);
	audit_release(&a);
}

static void shared_and_first_seen(void **state)
{
	struct audit_opts o;
	struct audit a;
	struct netaddr ad;
	(void)state;
	audit_opts_init(&o);
	audit_init(&a, &o);
	ev(&a, MON, VPN_FAILURE, "admin", "192.0.2.1");
	assert_int_equal(count_kind(&a, FIND_SHARED_ACCOUNT), 0);
	ev(&a, MON + 1, VPN_SUCCESS, "Admin", "192.0.2.1");
	ev(&a, MON + 2, VPN_SUCCESS, "vendor01", "192.0.2.1");
	ev(&a, MON + 3, VPN_SUCCESS, "yamada", "192.0.2.1");
	assert_int_equal(count_kind(&a, FIND_SHARED_ACCOUNT), 2);
	assert_int_equal(count_kind(&a, FIND_FIRST_SEEN_SOURCE), 0);
	audit_release(&a);

	audit_init(&a, &o);
	assert_true(netaddr_parse(SLICE_LIT("192.0.2.1"), &ad));
	assert_int_equal(audit_baseline_add(&a, SLICE_LIT("yamada"), &ad), MAMORI_OK);
	ev(&a, MON, VPN_SUCCESS, "yamada", "192.0.2.1");
	assert_int_equal(count_kind(&a, FIND_FIRST_SEEN_SOURCE), 0);
	ev(&a, MON + 5, VPN_SUCCESS, "yamada", "192.0.2.2");
	ev(&a, MON + 6, VPN_SUCCESS, "yamada", "192.0.2.2");
	assert_int_equal(count_kind(&a, FIND_FIRST_SEEN_SOURCE), 1);
	assert_int_equal(first_of(&a, FIND_FIRST_SEEN_SOURCE)->count, 2);
	audit_release(&a);
}

static const char FG_FAIL[] =
	"date=2024-03-04 time=10:00:00 devname=gw logid=0101039426 type=event subtype=vpn "
	"action=ssl-login-fail remip=203.0.113.5 user=u reason=x\n";

static void malformed_input(void **state)
{
	struct audit_opts o;
	struct audit a;
	struct strbuf sb = STRBUF_INIT;
	(void)state;
	audit_opts_init(&o);
	o.max_line = 1024;
	audit_init(&a, &o);
	strbuf_addstr(&sb, FG_FAIL);
	strbuf_add(&sb, "date=2024\0binary\n", 17);			/* line 2 */
	for (int i = 0; i < 5000; i++)					/* line 3 */
		strbuf_addch(&sb, 'x');
	strbuf_addch(&sb, '\n');
	strbuf_addstr(&sb, "just some other syslog line\n");		/* line 4 */
	strbuf_addstr(&sb, "date=2024-99-99 time=10:00:00 devname=gw logid=0101039426 type=event subtype=vpn action=ssl-login-fail remip=1.2.3.4\n");
	strbuf_addstr(&sb, FG_FAIL);					/* line 6 */
	strbuf_addstr(&sb, "date=2024-03-04 time=10:00:01 devname=gw logid=0101039426 type=event subtype=vpn action=ssl-login-fail remip=203.0.113.5 user=\"trunc");
	audit_feed_buffer(&a, "mem", sb.buf, sb.len);
	assert_int_equal(a.lines, 7);
	assert_int_equal(a.events, 3);
	assert_int_equal(a.malformed, 3);
	assert_int_equal(a.other, 1);
	assert_int_equal(a.nsamples, 3);
	assert_int_equal(a.samples[0].line, 2);
	assert_string_equal(a.samples[0].why, "binary data");
	assert_int_equal(a.samples[1].line, 3);
	assert_string_equal(a.samples[1].why, "line too long");
	assert_int_equal(a.samples[2].line, 5);
	audit_release(&a);
	strbuf_release(&sb);
}

static char *tmpfile_with(const char *body, size_t len, bool gz)
{
	char *path = strdup("/tmp/mamori-test-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	if (gz) {
		gzFile g = gzdopen(fd, "wb");
		assert_int_equal(gzwrite(g, body, (unsigned)len), (int)len);
		gzclose(g);
	} else {
		assert_int_equal(write(fd, body, len), (ssize_t)len);
		close(fd);
	}
	return path;
}

static void streams(void **state)
{
	struct audit_opts o;
	struct audit a1, a2, a3;
	struct strbuf sb = STRBUF_INIT, sb2 = STRBUF_INIT;
	(void)state;
	/* two files: the first with an early brute force, the second later */
	for (int i = 0; i < 40000; i++)
		strbuf_addf(&sb, "date=2024-03-04 time=%02d:%02d:%02d devname=gw1 logid=0101039426 type=event subtype=vpn action=ssl-login-fail remip=203.0.113.%d user=u%d\n",
			    i / 3600 % 24, i / 60 % 60, i % 60, i % 200, i % 50);
	for (int i = 0; i < 30000; i++)
		strbuf_addf(&sb2, "date=2024-03-05 time=%02d:%02d:%02d devname=gw2 logid=0101039947 type=event subtype=vpn action=tunnel-up remip=192.0.2.%d user=s%d tunnelid=%d\n",
			    i / 3600 % 24, i / 60 % 60, i % 60, i % 10, i % 10, i);
	char *p1 = tmpfile_with(sb.buf, sb.len, false);
	char *p2 = tmpfile_with(sb2.buf, sb2.len, true);
	char *paths[2] = { p1, p2 };
	audit_opts_init(&o);
	audit_init(&a1, &o);
	audit_init(&a2, &o);
	audit_init(&a3, &o);
	assert_int_equal(audit_run(&a1, paths, 2), MAMORI_OK);
	audit_feed_buffer(&a2, "a", sb.buf, sb.len);
	audit_feed_buffer(&a2, "b", sb2.buf, sb2.len);
	assert_int_equal(a1.events, 70000);
	assert_int_equal(a1.events, a2.events);
	assert_int_equal(a1.nacct, a2.nacct);
	assert_int_equal(a1.nsrc, a2.nsrc);
	assert_int_equal(a1.nfind, a2.nfind);
	assert_int_equal(a1.formats[VPN_FMT_FORTIGATE], 70000);
	/* memory follows accounts and sources */
	assert_int_equal(a1.nacct, 60);
	assert_int_equal(a1.nsrc, 210);
	assert_true(a1.npair <= 50 * 200 + 10);
	/* a missing file is named and the others are still read */
	char *bad[2] = { "/nonexistent/x.log", p2 };
	assert_int_equal(audit_run(&a3, bad, 2), MAMORI_EIO);
	assert_non_null(strstr(a3.read_errors.buf, "/nonexistent/x.log"));
	assert_int_equal(a3.events, 30000);
	audit_release(&a1);
	audit_release(&a2);
	audit_release(&a3);
	unlink(p1);
	unlink(p2);
	free(p1);
	free(p2);
	strbuf_release(&sb);
	strbuf_release(&sb2);
}

static void json_shape(void **state)
{
	struct audit_opts o;
	struct audit a;
	char buf[1 << 16];
	(void)state;
	audit_opts_init(&o);
	audit_init(&a, &o);
	for (int i = 0; i < 12; i++)
		ev(&a, MON + i, VPN_FAILURE, "admin", "2001:db8::66");
	ev(&a, MON + 20, VPN_SUCCESS, "<script>", "192.0.2.1");
	ev(&a, MON + 30, VPN_SUCCESS, "admin", "192.0.2.1");
	a.events = 14;
	a.formats[VPN_FMT_FORTIGATE] = 14;
	audit_finish(&a);
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	audit_write_json(&a, f);
	fclose(f);
	json_error_t je;
	json_t *j = json_loads(buf, 0, &je);
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(j, "events")), 14);
	assert_int_equal(json_integer_value(json_object_get(j, "malformed")), 0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "formats"), "fortigate")), 14);
	json_t *fs = json_object_get(j, "findings");
	assert_true(json_array_size(fs) >= 2);
	json_t *bf = json_array_get(fs, 0);
	assert_string_equal(json_string_value(json_object_get(bf, "kind")), "brute_force");
	assert_string_equal(json_string_value(json_object_get(bf, "severity")), "high");
	assert_string_equal(json_string_value(json_object_get(bf, "source")), "2001:db8::66");
	assert_true(json_is_null(json_object_get(bf, "user")));
	assert_int_equal(json_integer_value(json_object_get(bf, "count")), 12);
	assert_string_equal(json_string_value(json_object_get(bf, "first")), "2024-03-04T00:00:00+09:00");
	assert_non_null(json_string_value(json_object_get(bf, "detail")));
	assert_int_equal(json_array_size(json_object_get(j, "accounts")), 2);
	assert_int_equal(json_array_size(json_object_get(j, "sources")), 2);
	json_decref(j);
	/* HTML escapes log text */
	f = fmemopen(buf, sizeof(buf), "w");
	audit_write_html(&a, f);
	fclose(f);
	assert_null(strstr(buf, "<script>"));
	assert_non_null(strstr(buf, "&lt;script&gt;"));
	assert_null(strstr(buf, "http://"));
	assert_null(strstr(buf, "https://"));
	audit_release(&a);
}

static const char *data_dir = "tests/data/evidence";

/* The --json of an audit of paths; malloc'd, the caller frees. */
static char *audit_json(const struct audit_opts *o, char **paths, size_t n,
			size_t *len, enum mamori_err *rc)
{
	struct audit a;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	assert_non_null(f);
	audit_init(&a, o);
	*rc = audit_run(&a, paths, n);
	audit_finish(&a);
	audit_write_json(&a, f);
	fclose(f);
	audit_release(&a);
	return buf;
}

static void same_json(const struct audit_opts *o, char *path,
		      const char *ref, size_t ref_len)
{
	static const size_t blocks[] = { 1, 64, 333, 4096, 0 };
	for (unsigned jobs = 2; jobs <= 3; jobs++)
		for (size_t b = 0; b < sizeof(blocks) / sizeof(blocks[0]); b++) {
			struct audit_opts o2 = *o;
			size_t len;
			enum mamori_err rc;
			o2.jobs = jobs;
			o2.block = blocks[b];
			char *out = audit_json(&o2, &path, 1, &len, &rc);
			assert_int_equal(rc, MAMORI_OK);
			if (len != ref_len || memcmp(out, ref, len))
				fail_msg("%s: --jobs %u, blocks of %zu bytes: the JSON differs from one thread's",
					 path, jobs, blocks[b]);
			free(out);
		}
}

static void jobs_same_result(void **state)
{
	static const char *const fixtures[] = {
		"fortigate.log", "asa.log", "pulse.log", "globalprotect.log",
		"sonicwall.log", "netscaler.log", "openvpn.log", "strongswan.log",
	};
	struct strbuf sb = STRBUF_INIT, err = STRBUF_INIT;
	struct audit_opts o;
	char path[4096];
	(void)state;
	for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", data_dir, fixtures[i]);
		if (strbuf_read_file(&sb, path, &err))
			fail_msg("%s", err.buf);
	}
	/* failures in bursts (brute force, spraying), sessions from two
	 * places, a quiet day, CRLF, NUL bytes, lines too long for one
	 * read, and a last line without its newline */
	for (int i = 0; i < 3000; i++) {
		int day = 1 + i / 1000 + (i >= 2000), sec = i % 1000 * 2;
		const char *act = i % 5 < 3 ? "ssl-login-fail" :
				  i % 5 == 3 ? "tunnel-up" : "tunnel-down";
		strbuf_addf(&sb, "<190>date=2024-03-%02d time=%02d:%02d:%02d devname=\"gw%d\" logid=\"0101039426\" type=\"event\" subtype=\"vpn\" action=\"%s\" remip=%s.%d user=\"u%d\"%s\n",
			    day, sec / 3600, sec / 60 % 60, sec % 60, i % 2, act,
			    i % 3 ? "203.0.113" : "198.51.100", i % 3 ? i % 4 : i % 7, i % 23,
			    i % 11 ? "" : "\r");
		if (i % 97 == 0) {
			for (int k = 0; k < 2100 + i; k++)
				strbuf_addch(&sb, 'x');
			strbuf_addch(&sb, '\n');
		}
		if (i % 89 == 0)
			strbuf_add(&sb, "date=\0x logid=1\n", 16);
	}
	strbuf_addstr(&sb, "date=2024-03-05 time=01:02:03 devname=gw0 logid=0101039947 subtype=vpn action=tunnel-up remip=192.0.2.9 user=last");
	char *plain = tmpfile_with(sb.buf, sb.len, false);
	char *gz = tmpfile_with(sb.buf, sb.len, true);

	audit_opts_init(&o);
	o.log.year = 2024;
	o.max_line = 2000;
	o.jobs = 1;
	size_t len;
	enum mamori_err rc;
	char *ref = audit_json(&o, &plain, 1, &len, &rc);
	assert_int_equal(rc, MAMORI_OK);
	/* one thread reading the file (events a few at a time, their
	 * lookups overlapped) = the buffer fed one event at a time */
	{
		struct audit a;
		char *buf = NULL;
		size_t blen;
		FILE *f = open_memstream(&buf, &blen);
		audit_init(&a, &o);
		audit_feed_buffer(&a, plain, sb.buf, sb.len);
		audit_finish(&a);
		audit_write_json(&a, f);
		fclose(f);
		audit_release(&a);
		if (blen != len || memcmp(buf, ref, len))
			fail_msg("reading %s differs from feeding it", plain);
		free(buf);
	}
	/* the input exercises what it should */
	assert_non_null(strstr(ref, "\"brute_force\""));
	assert_non_null(strstr(ref, "\"concurrent_sessions\""));
	assert_non_null(strstr(ref, "\"log_gap\""));
	assert_non_null(strstr(ref, "\"openvpn\""));
	json_error_t je;
	json_t *j = json_loads(ref, 0, &je);
	assert_non_null(j);
	/* 8 in the fixtures, 31 too long, 34 with a NUL byte */
	assert_int_equal(json_integer_value(json_object_get(j, "malformed")), 73);
	json_decref(j);
	same_json(&o, plain, ref, len);
	free(ref);
	ref = audit_json(&o, &gz, 1, &len, &rc);
	assert_int_equal(rc, MAMORI_OK);
	same_json(&o, gz, ref, len);
	free(ref);
	unlink(plain);
	unlink(gz);
	free(plain);
	free(gz);
	strbuf_release(&sb);
	strbuf_release(&err);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		data_dir = argv[1];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(brute_force),
		cmocka_unit_test(spray),
		cmocka_unit_test(success_after_failures),
		cmocka_unit_test(allow_list_and_hours),
		cmocka_unit_test(overnight_hours),
		cmocka_unit_test(concurrent_sessions),
		cmocka_unit_test(log_gap),
		cmocka_unit_test(shared_and_first_seen),
		cmocka_unit_test(malformed_input),
		cmocka_unit_test(streams),
		cmocka_unit_test(json_shape),
		cmocka_unit_test(jobs_same_result),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
