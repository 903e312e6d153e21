/*
 * audit_out.c - an audit's result as JSON (the stable schema of
 * docs/vpnlog.md), as text for a person, and as one self-contained HTML
 * page. Must never print a string from a log without escaping it for the
 * output's syntax.
 */
#include "evidence/audit.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "evidence/etime.h"
#include "util/html.h"
#include "util/banned.h"

static json_t *jtime(const struct audit *a, int64_t t)
{
	char buf[ETIME_ISOLEN];
	if (t == INT64_MAX || t == INT64_MIN)
		return json_null();
	etime_format_iso(t, a->opts->log.tz_min, buf);
	return json_string(buf);
}

static json_t *jaddr(const struct audit *a, int32_t si)
{
	char buf[NETADDR_STRLEN];
	if (si < 0)
		return json_null();
	netaddr_format(&a->src[si].addr, buf);
	return json_string(buf);
}

static json_t *jstr_safe(struct slice s)
{
	json_t *j = json_stringn(s.p, s.len);
	if (j)
		return j;
	/* replace bytes that are not UTF-8 */
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.p[i];
		strbuf_addch(&sb, c < 0x80 ? (char)c : '?');
	}
	j = json_stringn(sb.buf, sb.len);
	strbuf_release(&sb);
	return j ? j : json_null();
}

static json_t *jacct(const struct audit *a, int32_t ai)
{
	return ai < 0 ? json_null() : jstr_safe(a->acct[ai].name);
}

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

static json_t *account_sources(const struct audit *a, const struct by_acct *b,
			       size_t ai)
{
	json_t *arr = json_array();
	for (size_t k = b->start[ai]; k < b->start[ai + 1]; k++) {
		const struct pair *p = &a->pair[b->idx[k]];
		if (p->successes)
			json_array_append_new(arr, jaddr(a, p->src));
	}
	return arr;
}

void audit_write_json(const struct audit *a, FILE *f)
{
	json_t *root = json_object(), *fmts = json_object(), *arr;
	struct strbuf sb = STRBUF_INIT;
	char tz[16];
	int off = a->opts->log.tz_min, aoff = off < 0 ? -off : off;

	aoff %= 24 * 60;

	snprintf(tz, sizeof(tz), "%c%02d:%02d", off < 0 ? '-' : '+', aoff / 60,
		 aoff % 60);
	json_object_set_new(root, "schema", json_string("mamori.vpnlog.audit/1"));
	json_object_set_new(root, "tz", json_string(tz));
	json_object_set_new(root, "lines", json_integer((json_int_t)a->lines));
	json_object_set_new(root, "events", json_integer((json_int_t)a->events));
	json_object_set_new(root, "ignored", json_integer((json_int_t)a->ignored));
	json_object_set_new(root, "other", json_integer((json_int_t)a->other));
	json_object_set_new(root, "malformed", json_integer((json_int_t)a->malformed));
	arr = json_array();
	for (size_t i = 0; i < a->nsamples; i++) {
		const struct malformed_line *m = &a->samples[i];
		json_array_append_new(arr, json_pack("{s:o,s:I,s:s}", "file",
			jstr_safe(slice_from_cstr(m->file)), "line",
			(json_int_t)m->line, "reason", m->why));
	}
	json_object_set_new(root, "malformed_lines", arr);
	for (int i = 0; i < VPN_FMT__MAX; i++)
		if (a->formats[i])
			json_object_set_new(fmts, vpn_format_name(i),
					    json_integer((json_int_t)a->formats[i]));
	json_object_set_new(root, "formats", fmts);
	json_object_set_new(root, "outcomes", json_pack("{s:I,s:I,s:I}",
		"success", (json_int_t)a->outcomes[VPN_SUCCESS],
		"failure", (json_int_t)a->outcomes[VPN_FAILURE],
		"logout", (json_int_t)a->outcomes[VPN_LOGOUT]));
	json_object_set_new(root, "first", jtime(a, a->first));
	json_object_set_new(root, "last", jtime(a, a->last));
	json_object_set_new(root, "allow_list", json_boolean(a->opts->has_allow));
	json_object_set_new(root, "baseline", json_boolean(a->has_baseline));

	arr = json_array();
	for (size_t i = 0; i < a->nfind; i++) {
		const struct finding *fd = &a->find[i];
		if (fd->sev < a->opts->min_severity)
			continue;
		strbuf_reset(&sb);
		audit_finding_detail(a, fd, &sb);
		json_t *o = json_object();
		json_object_set_new(o, "kind", json_string(audit_kind_name(fd->kind)));
		json_object_set_new(o, "severity", json_string(audit_sev_name(fd->sev)));
		json_object_set_new(o, "source", jaddr(a, fd->src));
		json_object_set_new(o, "user", jacct(a, fd->acct));
		json_object_set_new(o, "count", json_integer((json_int_t)fd->count));
		json_object_set_new(o, "first", jtime(a, fd->first));
		json_object_set_new(o, "last", jtime(a, fd->last));
		json_object_set_new(o, "detail", jstr_safe(strbuf_slice(&sb)));
		if (fd->kind == FIND_LOG_GAP)
			json_object_set_new(o, "device",
				jstr_safe(slice_from_cstr(dev_name(a, fd->other))));
		if (fd->kind == FIND_CONCURRENT_SESSIONS && fd->other >= 0)
			json_object_set_new(o, "other_source", jaddr(a, fd->other));
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "findings", arr);
	json_object_set_new(root, "findings_dropped",
			    json_integer((json_int_t)a->find_dropped));

	struct by_acct ba = { NULL, NULL };
	bool have_ba = by_acct_build(a, &ba);
	arr = json_array();
	for (size_t i = 0; i < a->nacct; i++) {
		const struct account *ac = &a->acct[i];
		json_t *o = json_object();
		json_object_set_new(o, "user", jstr_safe(ac->name));
		json_object_set_new(o, "first", jtime(a, ac->first));
		json_object_set_new(o, "last", jtime(a, ac->last));
		json_object_set_new(o, "successes", json_integer((json_int_t)ac->successes));
		json_object_set_new(o, "failures", json_integer((json_int_t)ac->failures));
		json_object_set_new(o, "logouts", json_integer((json_int_t)ac->logouts));
		json_object_set_new(o, "sources", have_ba ?
				    account_sources(a, &ba, i) : json_array());
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "accounts", arr);
	free(ba.start);
	free(ba.idx);

	arr = json_array();
	for (size_t i = 0; i < a->nsrc; i++) {
		const struct source *s = &a->src[i];
		json_t *o = json_object();
		json_object_set_new(o, "source", jaddr(a, (int32_t)i));
		json_object_set_new(o, "first", jtime(a, s->first));
		json_object_set_new(o, "last", jtime(a, s->last));
		json_object_set_new(o, "successes", json_integer((json_int_t)s->successes));
		json_object_set_new(o, "failures", json_integer((json_int_t)s->failures));
		json_object_set_new(o, "users", json_integer((json_int_t)s->users));
		json_object_set_new(o, "allowed", s->allowed < 0 ? json_null() :
				    json_boolean(s->allowed));
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "sources", arr);

	arr = json_array();
	for (size_t i = 0; i < a->ndev; i++) {
		const struct device *d = &a->dev[i];
		json_array_append_new(arr, json_pack("{s:o,s:o,s:o,s:I}",
			"device", jstr_safe(d->name), "first", jtime(a, d->first),
			"last", jtime(a, d->last), "events", (json_int_t)d->events));
	}
	json_object_set_new(root, "devices", arr);
	{
		struct slice e = strbuf_slice(&a->read_errors);
		json_t *errs = json_array();
		while (e.len) {
			struct slice l;
			e = slice_cut(e, '\n', &l);
			if (l.len)
				json_array_append_new(errs, jstr_safe(l));
			if (!e.p)
				break;
		}
		json_object_set_new(root, "read_errors", errs);
	}
	json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', f);
	json_decref(root);
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
