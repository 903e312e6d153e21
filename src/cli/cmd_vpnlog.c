/*
 * cmd_vpnlog.c - "mamori vpnlog audit": options to an audit, the audit
 * to text, JSON or HTML. Must never hold detection logic (evidence/).
 */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "evidence/audit.h"
#include "evidence/etime.h"
#include "util/num.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const char audit_usage[] =
"usage: mamori vpnlog audit [options] FILE...   ('-' = stdin, .gz read as is)\n"
"  --format F          auto (default), fortigate, asa, pulse, globalprotect,\n"
"                      sonicwall, netscaler, openvpn, strongswan, nps\n"
"  --allow CIDR        a maintenance vendor's address or prefix (repeatable)\n"
"  --allow-file FILE   lines 'CIDR [HH:MM-HH:MM] [Mon-Fri] [# label]'\n"
"  --hours 'HH:MM-HH:MM [DAYS]'  maintenance hours for entries without their own\n"
"  --tz ZONE           zone of log times without one (default +09:00, Asia/Tokyo)\n"
"  --year N            year of syslog stamps without one (default: this year)\n"
"  --baseline FILE     earlier audit --json, or lines 'user,address'\n"
"  --bf-count N --bf-window DUR         brute force (10 in 5m)\n"
"  --saf-count N --saf-window DUR       success after failures (5 in 15m)\n"
"  --spray-users N --spray-window DUR   password spray (more than 10 in 30m)\n"
"  --max-gap DUR       log gap (24h)     --session-max DUR  (12h)\n"
"  --shared-names LIST comma-separated patterns (admin,test*,vendor*,...)\n"
"  --min-severity S    info, low, medium, high, critical (default info)\n"
"  --max-line N        longer lines are malformed (default 65536)\n"
"  --jobs N            threads parsing one file (default: one per CPU; the\n"
"                      result is the same for every N)\n"
"  --json | --html     machine-readable output, or a self-contained page\n"
"exit: 0 nothing found, 1 findings, 2 bad usage or unreadable input\n";

enum {
	OPT_FORMAT = 256, OPT_ALLOW, OPT_ALLOW_FILE, OPT_HOURS, OPT_TZ,
	OPT_YEAR, OPT_BASELINE, OPT_BF_COUNT, OPT_BF_WINDOW, OPT_SAF_COUNT,
	OPT_SAF_WINDOW, OPT_SPRAY_USERS, OPT_SPRAY_WINDOW, OPT_MAX_GAP,
	OPT_SESSION_MAX, OPT_SHARED, OPT_MIN_SEV, OPT_MAX_LINE, OPT_JOBS,
	OPT_JSON, OPT_HTML,
};

static const struct option audit_options[] = {
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "jobs", required_argument, NULL, OPT_JOBS },
	{ "allow", required_argument, NULL, OPT_ALLOW },
	{ "allow-file", required_argument, NULL, OPT_ALLOW_FILE },
	{ "hours", required_argument, NULL, OPT_HOURS },
	{ "tz", required_argument, NULL, OPT_TZ },
	{ "year", required_argument, NULL, OPT_YEAR },
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "bf-count", required_argument, NULL, OPT_BF_COUNT },
	{ "bf-window", required_argument, NULL, OPT_BF_WINDOW },
	{ "saf-count", required_argument, NULL, OPT_SAF_COUNT },
	{ "saf-window", required_argument, NULL, OPT_SAF_WINDOW },
	{ "spray-users", required_argument, NULL, OPT_SPRAY_USERS },
	{ "spray-window", required_argument, NULL, OPT_SPRAY_WINDOW },
	{ "max-gap", required_argument, NULL, OPT_MAX_GAP },
	{ "session-max", required_argument, NULL, OPT_SESSION_MAX },
	{ "shared-names", required_argument, NULL, OPT_SHARED },
	{ "min-severity", required_argument, NULL, OPT_MIN_SEV },
	{ "max-line", required_argument, NULL, OPT_MAX_LINE },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "html", no_argument, NULL, OPT_HTML },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* "90", "90s", "5m", "24h", "7d" -> seconds. */
static bool parse_duration(const char *s, unsigned *out)
{
	struct slice sl = slice_from_cstr(s);
	int64_t v, mul = 1;
	if (sl.len && strchr("smhd", sl.p[sl.len - 1])) {
		char u = sl.p[sl.len - 1];
		mul = u == 's' ? 1 : u == 'm' ? 60 : u == 'h' ? 3600 : 86400;
		sl.len--;
	}
	if (num_parse_range(sl, 1, 100000000, &v) || v * mul > 0x7fffffff)
		return false;
	*out = (unsigned)(v * mul);
	return true;
}

static bool parse_count(const char *s, unsigned min, unsigned max,
			unsigned *out)
{
	int64_t v;
	if (num_parse_range(slice_from_cstr(s), min, max, &v))
		return false;
	*out = (unsigned)v;
	return true;
}

struct allow_list {
	struct allow_entry *e;
	size_t n, cap;
};

static void allow_push(struct allow_list *l, const struct allow_entry *e)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->e = xrealloc(l->e, l->cap * sizeof(*l->e));
	}
	l->e[l->n++] = *e;
}

static int load_allow_file(struct allow_list *l, const char *path)
{
	size_t len;
	char *buf = cli_read_file(path, &len, 4u << 20);
	struct slice rest;
	unsigned no = 0;

	if (!buf)
		return cli_usage_error("%s: %s", path, strerror(errno));
	rest = slice_make(buf, len);
	while (rest.p && rest.len) {
		struct slice line;
		struct allow_entry e;
		struct strbuf err = STRBUF_INIT;
		rest = slice_cut(rest, '\n', &line);
		no++;
		enum mamori_err rc = allow_parse_line(line, &e, &err);
		if (rc == MAMORI_ENOENT)
			continue;
		if (rc) {
			cli_usage_error("%s:%u: %s", path, no, err.buf);
			strbuf_release(&err);
			free(buf);
			return EXIT_USAGE;
		}
		allow_push(l, &e);
	}
	free(buf);
	return EXIT_OK;
}

static bool parse_hours_opt(const char *s, struct hours *h)
{
	struct slice rest = slice_trim(slice_from_cstr(s)), range;
	h->from = h->to = -1;
	h->days = 0x7f;
	rest = slice_cut(rest, ' ', &range);
	if (!hours_parse_range(slice_trim(range), h))
		return false;
	if (rest.p && slice_trim(rest).len &&
	    !hours_parse_days(slice_trim(rest), &h->days))
		return false;
	return true;
}

static int vpnlog_audit(int argc, char **argv)
{
	struct audit_opts o;
	struct allow_list allow = { 0 };
	const char *baseline = NULL;
	const char **shared = NULL;
	char *shared_buf = NULL;
	bool json = false, html = false;
	int c, rc = EXIT_USAGE;
	time_t now = time(NULL);
	struct tm tm;

	audit_opts_init(&o);
	gmtime_r(&now, &tm);
	o.log.year = tm.tm_year + 1900;
	while ((c = getopt_long(argc, argv, "h", audit_options, NULL)) != -1) {
		switch (c) {
		case OPT_FORMAT: {
			int f = vpn_format_parse(optarg);
			if (f < 0) {
				cli_usage_error("unknown format '%s'", optarg);
				goto out;
			}
			o.format = f;
			break;
		}
		case OPT_ALLOW: {
			struct allow_entry e;
			struct strbuf err = STRBUF_INIT;
			if (allow_parse_line(slice_from_cstr(optarg), &e, &err)) {
				cli_usage_error("--allow %s: %s", optarg,
						err.len ? err.buf : "empty");
				strbuf_release(&err);
				goto out;
			}
			allow_push(&allow, &e);
			o.has_allow = true;
			break;
		}
		case OPT_ALLOW_FILE:
			if (load_allow_file(&allow, optarg))
				goto out;
			o.has_allow = true;
			break;
		case OPT_HOURS:
			if (!parse_hours_opt(optarg, &o.default_hours)) {
				cli_usage_error("--hours wants 'HH:MM-HH:MM [Mon-Fri]', not '%s'", optarg);
				goto out;
			}
			o.has_default_hours = true;
			break;
		case OPT_TZ:
			if (!strcmp(optarg, "Asia/Tokyo"))
				o.log.tz_min = 540;
			else if (!etime_parse_zone(slice_from_cstr(optarg),
						   &o.log.tz_min)) {
				cli_usage_error("--tz wants Asia/Tokyo, UTC or +HH:MM, not '%s'", optarg);
				goto out;
			}
			break;
		case OPT_YEAR: {
			unsigned y;
			if (!parse_count(optarg, 1970, 9999, &y)) {
				cli_usage_error("--year: bad year '%s'", optarg);
				goto out;
			}
			o.log.year = (int)y;
			break;
		}
		case OPT_BASELINE:
			baseline = optarg;
			break;
		case OPT_BF_COUNT:
		case OPT_SAF_COUNT:
		case OPT_SPRAY_USERS: {
			unsigned *p = c == OPT_BF_COUNT ? &o.bf_count :
				      c == OPT_SAF_COUNT ? &o.saf_count :
				      &o.spray_users;
			if (!parse_count(optarg, 1, 100000, p)) {
				cli_usage_error("bad count '%s' (1..100000)", optarg);
				goto out;
			}
			break;
		}
		case OPT_BF_WINDOW:
		case OPT_SAF_WINDOW:
		case OPT_SPRAY_WINDOW:
		case OPT_MAX_GAP:
		case OPT_SESSION_MAX: {
			unsigned *p = c == OPT_BF_WINDOW ? &o.bf_window :
				      c == OPT_SAF_WINDOW ? &o.saf_window :
				      c == OPT_SPRAY_WINDOW ? &o.spray_window :
				      c == OPT_MAX_GAP ? &o.max_gap :
				      &o.session_max;
			if (!parse_duration(optarg, p)) {
				cli_usage_error("bad duration '%s' (e.g. 90s, 5m, 24h, 7d)", optarg);
				goto out;
			}
			break;
		}
		case OPT_SHARED: {
			size_t n = 1;
			free(shared_buf);
			free(shared);
			shared_buf = xstrdup(optarg);
			for (const char *p = shared_buf; *p; p++)
				n += *p == ',';
			shared = xcalloc(n + 1, sizeof(*shared));
			o.nshared = 0;
			for (char *p = shared_buf, *q; p; p = q) {
				q = strchr(p, ',');
				if (q)
					*q++ = '\0';
				for (char *l = p; *l; l++)
					if (*l >= 'A' && *l <= 'Z')
						*l |= 0x20;
				if (*p)
					shared[o.nshared++] = p;
			}
			o.shared = shared;
			break;
		}
		case OPT_MIN_SEV: {
			int s = audit_sev_parse(optarg);
			if (s < 0) {
				cli_usage_error("unknown severity '%s'", optarg);
				goto out;
			}
			o.min_severity = s;
			break;
		}
		case OPT_MAX_LINE: {
			unsigned n;
			if (!parse_count(optarg, 64, 16u << 20, &n)) {
				cli_usage_error("--max-line: 64..16777216");
				goto out;
			}
			o.max_line = n;
			break;
		}
		case OPT_JOBS: {
			unsigned n;
			if (!parse_count(optarg, 1, 64, &n)) {
				cli_usage_error("--jobs: 1..64");
				goto out;
			}
			o.jobs = n;
			break;
		}
		case OPT_JSON:
			json = true;
			break;
		case OPT_HTML:
			html = true;
			break;
		case 'h':
			fputs(audit_usage, stdout);
			rc = EXIT_OK;
			goto out;
		default:
			fputs(audit_usage, stderr);
			goto out;
		}
	}
	if (json && html) {
		cli_usage_error("--json and --html exclude each other");
		goto out;
	}
	if (optind >= argc) {
		fputs(audit_usage, stderr);
		goto out;
	}
	o.allow = allow.e;
	o.nallow = allow.n;

	struct audit a;
	audit_init(&a, &o);
	if (baseline) {
		struct strbuf err = STRBUF_INIT;
		if (audit_baseline_load(&a, baseline, &err)) {
			fputs("mamori: ", stderr);
			fputs(err.buf, stderr);
			strbuf_release(&err);
			xcheck_oom(a.err);
			audit_release(&a);
			goto out;
		}
	}
	enum mamori_err e = audit_run(&a, argv + optind, (size_t)(argc - optind));
	xcheck_oom(e == MAMORI_ENOMEM ? e : a.err);
	audit_finish(&a);
	if (json)
		audit_write_json(&a, stdout);
	else if (html)
		audit_write_html(&a, stdout);
	else
		audit_write_text(&a, stdout);
	if (a.read_errors.len)
		fprintf(stderr, "mamori: %s", a.read_errors.buf);
	rc = e ? EXIT_USAGE : audit_reported(&a) ? EXIT_FINDINGS : EXIT_OK;
	if (fflush(stdout) || ferror(stdout))
		rc = EXIT_USAGE;
	audit_release(&a);
out:
	free(allow.e);
	free(shared);
	free(shared_buf);
	return rc;
}

static const struct cli_cmd vpnlog_cmds[] = {
	{ .name = "audit", .fn = vpnlog_audit,
	  .summary = "audit gateway logs: findings, accounts, sources" },
	{ .name = NULL },
};

int cmd_vpnlog(int argc, char **argv)
{
	return cli_dispatch(vpnlog_cmds, "mamori vpnlog", argc - 1, argv + 1);
}
