/*
 * audit_out.c - an audit's result as JSON (the stable schema of
 * docs/vpnlog.md), as text for a person, and as one self-contained HTML
 * page. Must never print a string from a log without escaping it for the
 * output's syntax.
 */
#include "evidence/audit.h"

#include <stdlib.h>
#include <string.h>

#include "evidence/etime.h"
#include "util/html.h"
#include "util/banned.h"

static const char *dev_name(const struct audit *a, int32_t di)
{
	return di >= 0 && a->dev[di].name.len ? a->dev[di].name.p : "(unnamed)";
}

void audit_finding_detail(const struct audit *a, const struct finding *f,
			  struct strbuf *sb)
{
	const struct audit_opts *o = a->opts;
	char ip[NETADDR_STRLEN] = "", other[NETADDR_STRLEN] = "";
	const char *user = f->acct >= 0 ? a->acct[f->acct].name.p : "";

	if (f->src >= 0)
		netaddr_format(&a->src[f->src].addr, ip);
	if (f->other >= 0 && f->kind == FIND_CONCURRENT_SESSIONS)
		netaddr_format(&a->src[f->other].addr, other);
	switch (f->kind) {
	case FIND_OUTSIDE_ALLOWLIST:
		if (f->sev >= ASEV_CRITICAL)
			strbuf_addf(sb, "%llu successful login(s) of %s from %s, which is not in the allow-list",
				    (unsigned long long)f->count, user, ip);
		else
			strbuf_addf(sb, "%llu failed login(s) from %s, which is not in the allow-list",
				    (unsigned long long)f->count, ip);
		break;
	case FIND_OFF_HOURS:
		strbuf_addf(sb, "%llu successful login(s) of %s from %s outside the agreed maintenance hours",
			    (unsigned long long)f->count, user,
			    *ip ? ip : "an unknown address");
		break;
	case FIND_BRUTE_FORCE:
		strbuf_addf(sb, "%llu failed logins from %s (threshold: %u within %u s)",
			    (unsigned long long)f->count, ip, o->bf_count,
			    o->bf_window);
		break;
	case FIND_SUCCESS_AFTER_FAILURES:
		strbuf_addf(sb, "%s logged in from %s after %llu failed attempts (threshold: %u within %u s)",
			    user, ip, (unsigned long long)f->count,
			    o->saf_count, o->saf_window);
		break;
	case FIND_PASSWORD_SPRAY:
		strbuf_addf(sb, "failed logins for %u distinct accounts from %s within %u s (threshold: more than %u)",
			    f->aux, ip, o->spray_window, o->spray_users);
		break;
	case FIND_CONCURRENT_SESSIONS:
		strbuf_addf(sb, "%s logged in from %s while a session from %s was open (%llu time(s))",
			    user, ip, other, (unsigned long long)f->count);
		break;
	case FIND_FIRST_SEEN_SOURCE:
		strbuf_addf(sb, "%s logged in from %s, not seen for this account in the baseline (%llu login(s))",
			    user, ip, (unsigned long long)f->count);
		break;
	case FIND_LOG_GAP: {
		int64_t gap = f->last - f->first;
		strbuf_addf(sb, "no events from %s for %lldh%02lldm (limit %u s)",
			    dev_name(a, f->other), (long long)(gap / 3600),
			    (long long)(gap / 60 % 60), o->max_gap);
		break;
	}
	case FIND_SHARED_ACCOUNT:
		strbuf_addf(sb, "%llu successful login(s) with the shared or generic account name %s",
			    (unsigned long long)f->count, user);
		break;
	default:
		break;
	}
}

/* The sources of each account's successes: pair indices bucketed by
 * account (a counting sort), so that output is linear in pairs. */
struct by_acct {
	size_t *start;		/* nacct + 1 offsets into idx */
	uint32_t *idx;
};

static bool by_acct_build(const struct audit *a, struct by_acct *b)
{
	b->start = calloc(a->nacct + 1, sizeof(*b->start));
	b->idx = malloc((a->npair ? a->npair : 1) * sizeof(*b->idx));
	if (!b->start || !b->idx)
		return false;
	for (size_t i = 0; i < a->npair; i++)
		b->start[a->pair[i].acct + 1]++;
	for (size_t i = 0; i < a->nacct; i++)
		b->start[i + 1] += b->start[i];
	size_t *fill = calloc(a->nacct + 1, sizeof(*fill));
	if (!fill)
		return false;
	for (size_t i = 0; i < a->npair; i++) {
		size_t ac = (size_t)a->pair[i].acct;
		b->idx[b->start[ac] + fill[ac]++] = (uint32_t)i;
	}
	free(fill);
	return true;
}

/* ---- JSON --------------------------------------------------------------------
 *
 * Written as it goes (an audit of a large log has tens of thousands of
 * accounts, sources and findings): two-space indentation, keys in a fixed
 * order, strings escaped as RFC 8259 wants; bytes that are not UTF-8 make
 * every non-ASCII byte of that string a '?'.
 */

struct jw {
	FILE *f;
	int depth;
	bool first[8];		/* nothing written yet at this depth */
};

static void jw_indent(struct jw *w, int depth)
{
	static const char sp[] = "                ";
	fputc('\n', w->f);
	fwrite(sp, 1, (size_t)depth * 2, w->f);
}

/* Before a member or an element. */
static void jw_next(struct jw *w)
{
	if (!w->first[w->depth])
		fputc(',', w->f);
	w->first[w->depth] = false;
	jw_indent(w, w->depth);
}

static void jw_open(struct jw *w, char c)
{
	fputc(c, w->f);
	w->first[++w->depth] = true;
}

static void jw_close(struct jw *w, char c)
{
	if (!w->first[w->depth])
		jw_indent(w, w->depth - 1);
	w->depth--;
	fputc(c, w->f);
}

/* Length of the UTF-8 sequence at p (at most n bytes), 0 if invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	uint32_t c = p[0], min;
	size_t k;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		k = 2, c &= 0x1f, min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		k = 3, c &= 0x0f, min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		k = 4, c &= 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < k)
		return 0;
	for (size_t i = 1; i < k; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return k;
}

static bool utf8_valid(struct slice s)
{
	const unsigned char *p = (const unsigned char *)s.p;
	for (size_t i = 0, k; i < s.len; i += k)
		if (!(k = utf8_len(p + i, s.len - i)))
			return false;
	return true;
}

static void jw_string(struct jw *w, struct slice s)
{
	bool ok = utf8_valid(s);
	size_t run = 0;

	fputc('"', w->f);
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.p[i];
		const char *esc = NULL;
		char u[8];

		if (c >= 0x20 && c != '"' && c != '\\' && (ok || c < 0x80))
			continue;
		fwrite(s.p + run, 1, i - run, w->f);
		run = i + 1;
		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default:
			if (c >= 0x80) {
				esc = "?";
			} else {
				snprintf(u, sizeof(u), "\\u%04X", c);
				esc = u;
			}
		}
		fputs(esc, w->f);
	}
	fwrite(s.p + run, 1, s.len - run, w->f);
	fputc('"', w->f);
}

static void jw_key(struct jw *w, const char *k)
{
	jw_next(w);
	fputc('"', w->f);
	fputs(k, w->f);
	fputs("\": ", w->f);
}

static void jw_str(struct jw *w, const char *k, struct slice s)
{
	jw_key(w, k);
	jw_string(w, s);
}

static void jw_int(struct jw *w, const char *k, uint64_t v)
{
	char buf[24], *p = buf + sizeof(buf);
	long long x = (long long)v;
	unsigned long long u = x < 0 ? 0 - (unsigned long long)x :
			       (unsigned long long)x;

	jw_key(w, k);
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (x < 0)
		*--p = '-';
	fwrite(p, 1, (size_t)(buf + sizeof(buf) - p), w->f);
}

static void jw_lit(struct jw *w, const char *k, const char *lit)
{
	jw_key(w, k);
	fputs(lit, w->f);
}

static void jw_time(struct jw *w, const struct audit *a, const char *k,
		    int64_t t)
{
	char buf[ETIME_ISOLEN];
	if (t == INT64_MAX || t == INT64_MIN) {
		jw_lit(w, k, "null");
		return;
	}
	etime_format_iso(t, a->opts->log.tz_min, buf);
	jw_str(w, k, slice_from_cstr(buf));
}

/* An address, or null; k NULL: an array element. */
static void jw_addr(struct jw *w, const struct audit *a, const char *k,
		    int32_t si)
{
	char buf[NETADDR_STRLEN];
	if (k)
		jw_key(w, k);
	else
		jw_next(w);
	if (si < 0) {
		fputs("null", w->f);
		return;
	}
	netaddr_format(&a->src[si].addr, buf);
	jw_string(w, slice_from_cstr(buf));
}

void audit_write_json(const struct audit *a, FILE *f)
{
	struct jw w = { .f = f };
	struct strbuf sb = STRBUF_INIT;
	char tz[16];
	int off = a->opts->log.tz_min, aoff = off < 0 ? -off : off;

	aoff %= 24 * 60;
	snprintf(tz, sizeof(tz), "%c%02d:%02d", off < 0 ? '-' : '+', aoff / 60,
		 aoff % 60);
	jw_open(&w, '{');
	jw_str(&w, "schema", SLICE_LIT("mamori.vpnlog.audit/1"));
	jw_str(&w, "tz", slice_from_cstr(tz));
	jw_int(&w, "lines", a->lines);
	jw_int(&w, "events", a->events);
	jw_int(&w, "ignored", a->ignored);
	jw_int(&w, "other", a->other);
	jw_int(&w, "malformed", a->malformed);
	jw_key(&w, "malformed_lines");
	jw_open(&w, '[');
	for (size_t i = 0; i < a->nsamples; i++) {
		const struct malformed_line *m = &a->samples[i];
		jw_next(&w);
		jw_open(&w, '{');
		jw_str(&w, "file", slice_from_cstr(m->file));
		jw_int(&w, "line", m->line);
		jw_str(&w, "reason", slice_from_cstr(m->why));
		jw_close(&w, '}');
	}
	jw_close(&w, ']');
	jw_key(&w, "formats");
	jw_open(&w, '{');
	for (int i = 0; i < VPN_FMT__MAX; i++)
		if (a->formats[i])
			jw_int(&w, vpn_format_name(i), a->formats[i]);
	jw_close(&w, '}');
	jw_key(&w, "outcomes");
	jw_open(&w, '{');
	jw_int(&w, "success", a->outcomes[VPN_SUCCESS]);
	jw_int(&w, "failure", a->outcomes[VPN_FAILURE]);
	jw_int(&w, "logout", a->outcomes[VPN_LOGOUT]);
	jw_close(&w, '}');
	jw_time(&w, a, "first", a->first);
	jw_time(&w, a, "last", a->last);
	jw_lit(&w, "allow_list", a->opts->has_allow ? "true" : "false");
	jw_lit(&w, "baseline", a->has_baseline ? "true" : "false");

	jw_key(&w, "findings");
	jw_open(&w, '[');
	for (size_t i = 0; i < a->nfind; i++) {
		const struct finding *fd = &a->find[i];
		if (fd->sev < a->opts->min_severity)
			continue;
		strbuf_reset(&sb);
		audit_finding_detail(a, fd, &sb);
		jw_next(&w);
		jw_open(&w, '{');
		jw_str(&w, "kind", slice_from_cstr(audit_kind_name(fd->kind)));
		jw_str(&w, "severity", slice_from_cstr(audit_sev_name(fd->sev)));
		jw_addr(&w, a, "source", fd->src);
		if (fd->acct < 0)
			jw_lit(&w, "user", "null");
		else
			jw_str(&w, "user", a->acct[fd->acct].name);
		jw_int(&w, "count", fd->count);
		jw_time(&w, a, "first", fd->first);
		jw_time(&w, a, "last", fd->last);
		jw_str(&w, "detail", strbuf_slice(&sb));
		if (fd->kind == FIND_LOG_GAP)
			jw_str(&w, "device", slice_from_cstr(dev_name(a, fd->other)));
		if (fd->kind == FIND_CONCURRENT_SESSIONS && fd->other >= 0)
			jw_addr(&w, a, "other_source", fd->other);
		jw_close(&w, '}');
	}
	jw_close(&w, ']');
	jw_int(&w, "findings_dropped", a->find_dropped);

	struct by_acct ba = { NULL, NULL };
	bool have_ba = by_acct_build(a, &ba);
	jw_key(&w, "accounts");
	jw_open(&w, '[');
	for (size_t i = 0; i < a->nacct; i++) {
		const struct account *ac = &a->acct[i];
		jw_next(&w);
		jw_open(&w, '{');
		jw_str(&w, "user", ac->name);
		jw_time(&w, a, "first", ac->first);
		jw_time(&w, a, "last", ac->last);
		jw_int(&w, "successes", ac->successes);
		jw_int(&w, "failures", ac->failures);
		jw_int(&w, "logouts", ac->logouts);
		jw_key(&w, "sources");
		jw_open(&w, '[');
		for (size_t k = have_ba ? ba.start[i] : 0;
		     have_ba && k < ba.start[i + 1]; k++) {
			const struct pair *p = &a->pair[ba.idx[k]];
			if (p->successes)
				jw_addr(&w, a, NULL, p->src);
		}
		jw_close(&w, ']');
		jw_close(&w, '}');
	}
	jw_close(&w, ']');
	free(ba.start);
	free(ba.idx);

	jw_key(&w, "sources");
	jw_open(&w, '[');
	for (size_t i = 0; i < a->nsrc; i++) {
		const struct source *s = &a->src[i];
		jw_next(&w);
		jw_open(&w, '{');
		jw_addr(&w, a, "source", (int32_t)i);
		jw_time(&w, a, "first", s->first);
		jw_time(&w, a, "last", s->last);
		jw_int(&w, "successes", s->successes);
		jw_int(&w, "failures", s->failures);
		jw_int(&w, "users", s->users);
		jw_lit(&w, "allowed", s->allowed < 0 ? "null" :
		       s->allowed ? "true" : "false");
		jw_close(&w, '}');
	}
	jw_close(&w, ']');

	jw_key(&w, "devices");
	jw_open(&w, '[');
	for (size_t i = 0; i < a->ndev; i++) {
		const struct device *d = &a->dev[i];
		jw_next(&w);
		jw_open(&w, '{');
		jw_str(&w, "device", d->name);
		jw_time(&w, a, "first", d->first);
		jw_time(&w, a, "last", d->last);
		jw_int(&w, "events", d->events);
		jw_close(&w, '}');
	}
	jw_close(&w, ']');

	jw_key(&w, "read_errors");
	jw_open(&w, '[');
	struct slice e = strbuf_slice(&a->read_errors);
	while (e.len) {
		struct slice l;
		e = slice_cut(e, '\n', &l);
		if (l.len) {
			jw_next(&w);
			jw_string(&w, l);
		}
		if (!e.p)
			break;
	}
	jw_close(&w, ']');
	jw_close(&w, '}');
	fputc('\n', f);
	strbuf_release(&sb);
}

/* ---- text ------------------------------------------------------------------ */

static void ptime(const struct audit *a, int64_t t, char buf[ETIME_ISOLEN])
{
	if (t == INT64_MAX || t == INT64_MIN)
		snprintf(buf, ETIME_ISOLEN, "-");
	else
		etime_format_iso(t, a->opts->log.tz_min, buf);
}

/* Printable ASCII and UTF-8 pass; control bytes become '?'. */
static void put_clean(FILE *f, struct slice s)
{
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.p[i];
		fputc(c < 0x20 || c == 0x7f ? '?' : c, f);
	}
}

void audit_write_text(const struct audit *a, FILE *f)
{
	struct strbuf sb = STRBUF_INIT;
	char t1[ETIME_ISOLEN], t2[ETIME_ISOLEN], ip[NETADDR_STRLEN];
	size_t nrep = audit_reported(a);

	ptime(a, a->first, t1);
	ptime(a, a->last, t2);
	fprintf(f, "VPN access audit: %llu lines, %llu access events (%llu success, %llu failure, %llu logout), %s .. %s\n",
		(unsigned long long)a->lines, (unsigned long long)a->events,
		(unsigned long long)a->outcomes[VPN_SUCCESS],
		(unsigned long long)a->outcomes[VPN_FAILURE],
		(unsigned long long)a->outcomes[VPN_LOGOUT], t1, t2);
	fprintf(f, "formats:");
	for (int i = 0; i < VPN_FMT__MAX; i++)
		if (a->formats[i])
			fprintf(f, " %s=%llu", vpn_format_name(i),
				(unsigned long long)a->formats[i]);
	fprintf(f, "%s\n", a->events || a->ignored ? "" : " none recognised");
	fprintf(f, "other lines: %llu, malformed lines: %llu\n",
		(unsigned long long)a->other, (unsigned long long)a->malformed);
	for (size_t i = 0; i < a->nsamples; i++) {
		fputs("  malformed: ", f);
		put_clean(f, slice_from_cstr(a->samples[i].file));
		fprintf(f, ":%llu: %s\n", (unsigned long long)a->samples[i].line,
			a->samples[i].why);
	}
	if (a->read_errors.len) {
		fputs("read errors:\n", f);
		put_clean(f, strbuf_slice(&a->read_errors));
		fputc('\n', f);
	}
	if (!a->opts->has_allow)
		fputs("no allow-list given: sources are not checked against the maintenance vendor's addresses\n", f);

	fprintf(f, "\nLook at first (%zu finding%s):\n", nrep, nrep == 1 ? "" : "s");
	if (!nrep)
		fputs("  nothing found\n", f);
	for (size_t i = 0; i < a->nfind; i++) {
		const struct finding *fd = &a->find[i];
		if (fd->sev < a->opts->min_severity)
			continue;
		strbuf_reset(&sb);
		audit_finding_detail(a, fd, &sb);
		ptime(a, fd->first, t1);
		ptime(a, fd->last, t2);
		fprintf(f, "  [%-8s] %-22s %s .. %s  ", audit_sev_name(fd->sev),
			audit_kind_name(fd->kind), t1, t2);
		put_clean(f, strbuf_slice(&sb));
		fputc('\n', f);
	}
	if (a->find_dropped)
		fprintf(f, "  (%llu more findings not kept)\n",
			(unsigned long long)a->find_dropped);

	fprintf(f, "\nAccounts (%zu):\n  %-24s %-25s %-25s %9s %9s\n", a->nacct,
		"user", "first seen", "last seen", "successes", "failures");
	for (size_t i = 0; i < a->nacct; i++) {
		const struct account *ac = &a->acct[i];
		ptime(a, ac->first, t1);
		ptime(a, ac->last, t2);
		fputs("  ", f);
		put_clean(f, ac->name);
		fprintf(f, "%*s %-25s %-25s %9llu %9llu\n",
			ac->name.len < 24 ? (int)(24 - ac->name.len) : 0, "",
			t1, t2, (unsigned long long)ac->successes,
			(unsigned long long)ac->failures);
	}
	fprintf(f, "\nSources (%zu):\n  %-39s %-25s %-25s %9s %9s %s\n", a->nsrc,
		"address", "first seen", "last seen", "successes", "failures",
		"allow-list");
	for (size_t i = 0; i < a->nsrc; i++) {
		const struct source *s = &a->src[i];
		netaddr_format(&s->addr, ip);
		ptime(a, s->first, t1);
		ptime(a, s->last, t2);
		fprintf(f, "  %-39s %-25s %-25s %9llu %9llu %s\n", ip, t1, t2,
			(unsigned long long)s->successes,
			(unsigned long long)s->failures,
			s->allowed < 0 ? "-" : s->allowed ? "inside" : "OUTSIDE");
	}
	strbuf_release(&sb);
}

/* ---- HTML -------------------------------------------------------------------- */

/* Escaped through the project's one writer (util/html.h), then written. */
static void html_esc(FILE *f, struct slice s)
{
	struct strbuf t = STRBUF_INIT;

	html_textn(&t, s.p, s.len);
	fwrite(t.buf, 1, t.len, f);
	strbuf_release(&t);
}

static void html_cstr(FILE *f, const char *s)
{
	html_esc(f, slice_from_cstr(s));
}

void audit_write_html(const struct audit *a, FILE *f)
{
	struct strbuf sb = STRBUF_INIT;
	char t1[ETIME_ISOLEN], t2[ETIME_ISOLEN], ip[NETADDR_STRLEN];
	size_t nrep = audit_reported(a);

	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
	      "<title>VPN access audit</title>\n<style>\n"
	      "body{font-family:system-ui,sans-serif;margin:2rem;color:#1a1a1a}"
	      "table{border-collapse:collapse;margin:1rem 0}"
	      "th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;font-size:.9rem}"
	      "th{background:#f2f2f2}.critical{background:#fdd}.high{background:#fec}"
	      ".medium{background:#ffe}.low,.info{background:#f7f7f7}"
	      "td.n{text-align:right}.outside{color:#b00;font-weight:bold}\n"
	      "</style></head><body>\n<h1>VPN access audit</h1>\n", f);
	ptime(a, a->first, t1);
	ptime(a, a->last, t2);
	fprintf(f, "<p>%llu lines, %llu access events (%llu success, %llu failure, %llu logout) from %s to %s; %llu malformed, %llu other lines.</p>\n",
		(unsigned long long)a->lines, (unsigned long long)a->events,
		(unsigned long long)a->outcomes[VPN_SUCCESS],
		(unsigned long long)a->outcomes[VPN_FAILURE],
		(unsigned long long)a->outcomes[VPN_LOGOUT], t1, t2,
		(unsigned long long)a->malformed, (unsigned long long)a->other);
	if (!a->opts->has_allow)
		fputs("<p>No allow-list was given: sources were not checked against the maintenance vendor's addresses.</p>\n", f);
	fprintf(f, "<h2>Look at first (%zu)</h2>\n", nrep);
	if (!nrep)
		fputs("<p>Nothing found.</p>\n", f);
	else
		fputs("<table><tr><th>severity</th><th>finding</th><th>source</th><th>user</th><th>count</th><th>first</th><th>last</th><th>detail</th></tr>\n", f);
	for (size_t i = 0; i < a->nfind; i++) {
		const struct finding *fd = &a->find[i];
		if (fd->sev < a->opts->min_severity)
			continue;
		strbuf_reset(&sb);
		audit_finding_detail(a, fd, &sb);
		ptime(a, fd->first, t1);
		ptime(a, fd->last, t2);
		if (fd->src >= 0)
			netaddr_format(&a->src[fd->src].addr, ip);
		else
			snprintf(ip, sizeof(ip), "-");
		fprintf(f, "<tr class=\"%s\"><td>%s</td><td>%s</td><td>%s</td><td>",
			audit_sev_name(fd->sev), audit_sev_name(fd->sev),
			audit_kind_name(fd->kind), ip);
		html_esc(f, fd->acct >= 0 ? a->acct[fd->acct].name : SLICE_LIT("-"));
		fprintf(f, "</td><td class=\"n\">%llu</td><td>%s</td><td>%s</td><td>",
			(unsigned long long)fd->count, t1, t2);
		html_esc(f, strbuf_slice(&sb));
		fputs("</td></tr>\n", f);
	}
	if (nrep)
		fputs("</table>\n", f);
	fputs("<h2>Accounts</h2>\n<table><tr><th>user</th><th>first seen</th><th>last seen</th><th>successes</th><th>failures</th></tr>\n", f);
	for (size_t i = 0; i < a->nacct; i++) {
		const struct account *ac = &a->acct[i];
		ptime(a, ac->first, t1);
		ptime(a, ac->last, t2);
		fputs("<tr><td>", f);
		html_esc(f, ac->name);
		fprintf(f, "</td><td>%s</td><td>%s</td><td class=\"n\">%llu</td><td class=\"n\">%llu</td></tr>\n",
			t1, t2, (unsigned long long)ac->successes,
			(unsigned long long)ac->failures);
	}
	fputs("</table>\n<h2>Sources</h2>\n<table><tr><th>address</th><th>first seen</th><th>last seen</th><th>successes</th><th>failures</th><th>allow-list</th></tr>\n", f);
	for (size_t i = 0; i < a->nsrc; i++) {
		const struct source *s = &a->src[i];
		netaddr_format(&s->addr, ip);
		ptime(a, s->first, t1);
		ptime(a, s->last, t2);
		fprintf(f, "<tr><td>%s</td><td>%s</td><td>%s</td><td class=\"n\">%llu</td><td class=\"n\">%llu</td><td%s>%s</td></tr>\n",
			ip, t1, t2, (unsigned long long)s->successes,
			(unsigned long long)s->failures,
			s->allowed == 0 ? " class=\"outside\"" : "",
			s->allowed < 0 ? "-" : s->allowed ? "inside" : "outside");
	}
	fputs("</table>\n", f);
	if (a->nsamples) {
		fputs("<h2>Malformed lines</h2>\n<ul>\n", f);
		for (size_t i = 0; i < a->nsamples; i++) {
			fputs("<li>", f);
			html_cstr(f, a->samples[i].file);
			fprintf(f, ":%llu: ", (unsigned long long)a->samples[i].line);
			html_cstr(f, a->samples[i].why);
			fputs("</li>\n", f);
		}
		fputs("</ul>\n", f);
	}
	fputs("</body></html>\n", f);
	strbuf_release(&sb);
}
