/*
 * firmware.c - device lists in, one check per device, JSON out. Must
 * never turn a device it cannot read into "not affected".
 */
#include "evidence/firmware.h"

#include <stdlib.h>
#include <string.h>

#include "util/num.h"
#include "util/banned.h"

void fw_devices_init(struct fw_devices *l)
{
	memset(l, 0, sizeof(*l));
	arena_init(&l->arena, 4096);
}

void fw_devices_release(struct fw_devices *l)
{
	arena_release(&l->arena);
	free(l->d);
	memset(l, 0, sizeof(*l));
}

enum mamori_err fw_devices_add(struct fw_devices *l, const char *vendor,
			       const char *product, const char *version,
			       long count, unsigned line)
{
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 16;
		struct fw_device *p = realloc(l->d, ncap * sizeof(*p));
		if (!p)
			return MAMORI_ENOMEM;
		l->d = p;
		l->cap = ncap;
	}
	struct fw_device *d = &l->d[l->n];
	d->vendor = arena_strdup(&l->arena, vendor ? vendor : "");
	d->product = arena_strdup(&l->arena, product ? product : "");
	d->version = version && *version ? arena_strdup(&l->arena, version) : NULL;
	d->count = count;
	d->line = line;
	if (!d->vendor || !d->product || (version && *version && !d->version))
		return MAMORI_ENOMEM;
	l->n++;
	return MAMORI_OK;
}

/* ---- CSV ------------------------------------------------------------------ */

enum { CSV_FIELDS = 8, CSV_FIELD_MAX = 512 };

/* One record of RFC 4180 CSV from *p; false at the end of input. */
static bool csv_record(const char **p, const char *end,
		       char f[CSV_FIELDS][CSV_FIELD_MAX], int *nf, bool *bad)
{
	const char *s = *p;
	int n = 0;
	size_t k = 0;
	bool quoted = false, any = false;

	*bad = false;
	if (s >= end)
		return false;
	memset(f, 0, CSV_FIELDS * CSV_FIELD_MAX);
	for (; s < end; s++) {
		char c = *s;
		any = true;
		if (quoted) {
			if (c == '"') {
				if (s + 1 < end && s[1] == '"') {
					s++;
				} else {
					quoted = false;
					continue;
				}
			}
		} else if (c == '"') {
			quoted = true;
			continue;
		} else if (c == ',') {
			if (n < CSV_FIELDS)
				f[n][k] = '\0';
			n++;
			k = 0;
			continue;
		} else if (c == '\n') {
			s++;
			break;
		} else if (c == '\r') {
			continue;
		}
		if (n < CSV_FIELDS && k + 1 < CSV_FIELD_MAX)
			f[n][k++] = c;
		else
			*bad = true;
	}
	if (quoted)
		*bad = true;
	if (n < CSV_FIELDS)
		f[n][k] = '\0';
	*nf = any ? n + 1 : 0;
	*p = s;
	return true;
}

static void trim(char *s)
{
	size_t n = strlen(s), i = 0;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	memmove(s, s + i, n - i + 1);
}

static enum mamori_err parse_csv(struct fw_devices *l, const char *name,
				 const char *buf, size_t len,
				 struct strbuf *err)
{
	static char f[CSV_FIELDS][CSV_FIELD_MAX];
	const char *p = buf, *end = buf + len;
	unsigned line = 0;
	int nf;
	bool bad;

	if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	while (csv_record(&p, end, f, &nf, &bad)) {
		line++;
		if (!nf || (nf == 1 && !f[0][0]) || f[0][0] == '#')
			continue;
		for (int i = 0; i < CSV_FIELDS; i++)
			trim(f[i]);
		if (line == 1 && (!strcasecmp(f[0], "maker") ||
				  !strcasecmp(f[0], "vendor")))
			continue;
		if (bad || nf < 3 || nf > 4) {
			strbuf_addf(err, "%s:%u: want maker,model,version[,count]\n",
				    name, line);
			return MAMORI_EPARSE;
		}
		int64_t count = 1;
		if (nf == 4 && f[3][0] &&
		    num_parse_range(slice_from_cstr(f[3]), 1, 1000000, &count)) {
			strbuf_addf(err, "%s:%u: count '%s' is not a number from 1\n",
				    name, line, f[3]);
			return MAMORI_EPARSE;
		}
		enum mamori_err e = fw_devices_add(l, f[0], f[1], f[2],
						   (long)count, line);
		if (e)
			return e;
	}
	return MAMORI_OK;
}

/* ---- a response (JSON) ------------------------------------------------------ */

static json_t *find_repeat(json_t *j, int depth)
{
	json_t *v;
	const char *k;
	size_t i;

	if (depth > 8)
		return NULL;
	if (json_is_object(j)) {
		if ((v = json_object_get(j, "q11_vpn_devices")) && json_is_array(v))
			return v;
		json_object_foreach(j, k, v) {
			json_t *r = find_repeat(v, depth + 1);
			if (r)
				return r;
		}
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v) {
			json_t *r = find_repeat(v, depth + 1);
			if (r)
				return r;
		}
	}
	return NULL;
}

static const char *text_of(json_t *v, char *buf, size_t cap)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, cap, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	return NULL;
}

static enum mamori_err parse_json(struct fw_devices *l, const char *name,
				  const char *buf, size_t len,
				  struct strbuf *err)
{
	json_error_t je;
	json_t *root = json_loadb(buf, len, 0, &je), *rows, *row;
	size_t i;
	enum mamori_err rc = MAMORI_OK;

	if (!root) {
		strbuf_addf(err, "%s:%d:%d: %s\n", name, je.line, je.column,
			    je.text);
		return MAMORI_EPARSE;
	}
	rows = find_repeat(root, 0);
	if (!rows) {
		strbuf_addf(err, "%s: no q11_vpn_devices list in this response\n",
			    name);
		json_decref(root);
		return MAMORI_ESCHEMA;
	}
	json_array_foreach(rows, i, row) {
		char nb[32];
		const char *maker = text_of(json_object_get(row, "maker"), nb, sizeof(nb));
		const char *model = json_string_value(json_object_get(row, "model"));
		const char *fw = json_string_value(json_object_get(row, "firmware"));
		json_t *u = json_object_get(row, "units");
		long count = 1;
		if (json_is_integer(u))
			count = (long)json_integer_value(u);
		else if (json_is_string(u)) {
			int64_t c;
			if (!num_parse_range(slice_from_cstr(json_string_value(u)),
					     1, 1000000, &c))
				count = (long)c;
		}
		if (!json_is_object(row)) {
			strbuf_addf(err, "%s: q11_vpn_devices row %zu is not an object\n",
				    name, i + 1);
			rc = MAMORI_ESCHEMA;
			break;
		}
		if ((rc = fw_devices_add(l, maker, model, fw, count,
					 (unsigned)i + 1)))
			break;
	}
	json_decref(root);
	return rc;
}

enum mamori_err fw_devices_parse(struct fw_devices *l, const char *name,
				 const char *buf, size_t len,
				 struct strbuf *err)
{
	size_t i = 0;
	while (i < len && (buf[i] == ' ' || buf[i] == '\n' || buf[i] == '\r' ||
			   buf[i] == '\t'))
		i++;
	if (i < len && buf[i] == '{')
		return parse_json(l, name, buf, len, err);
	return parse_csv(l, name, buf, len, err);
}

/* ---- the check ------------------------------------------------------------------ */

static json_t *jstr_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *fw_check_all(const struct kev_catalog *c, const struct fw_devices *l,
		     size_t counts[FW__MAX])
{
	json_t *root = json_object(), *devs = json_array();

	for (int s = 0; s < FW__MAX; s++)
		counts[s] = 0;
	json_object_set_new(root, "schema", json_string("mamori.firmware.check/1"));
	json_object_set_new(root, "catalogue_updated", jstr_or_null(c->updated));
	for (size_t i = 0; i < l->n; i++) {
		const struct fw_device *d = &l->d[i];
		struct fw_result r;
		json_t *o = json_object(), *vs = json_array();

		kev_check(c, d->vendor, d->product, d->version, &r);
		counts[r.status]++;
		json_object_set_new(o, "vendor", json_string(d->vendor));
		json_object_set_new(o, "product", json_string(d->product));
		json_object_set_new(o, "version", jstr_or_null(d->version));
		json_object_set_new(o, "count", json_integer(d->count));
		json_object_set_new(o, "status", json_string(fw_status_name(r.status)));
		json_object_set_new(o, "catalogue_product", r.product >= 0 ?
			json_string(c->products[r.product].id) : json_null());
		json_object_set_new(o, "reason", jstr_or_null(r.reason));
		for (size_t h = 0; h < r.nhits; h++) {
			const struct fw_hit *hit = &r.hits[h];
			json_t *v = json_object();
			json_object_set_new(v, "cve", json_string(hit->vuln->cve));
			json_object_set_new(v, "title", jstr_or_null(hit->vuln->title));
			json_object_set_new(v, "fixed_in", jstr_or_null(hit->range ?
						hit->range->fixed : NULL));
			json_object_set_new(v, "no_fix", json_boolean(hit->range &&
				!hit->range->fixed && !hit->range->fixed_unknown));
			json_object_set_new(v, "kev_date_added",
					    jstr_or_null(hit->vuln->date_added));
			json_object_set_new(v, "ransomware",
				hit->vuln->ransomware == KEV_RW_UNKNOWN ? json_null() :
				json_boolean(hit->vuln->ransomware == KEV_RW_KNOWN));
			json_object_set_new(v, "condition",
					    jstr_or_null(hit->vuln->condition));
			json_object_set_new(v, "version_data", json_boolean(hit->range));
			json_array_append_new(vs, v);
		}
		json_object_set_new(o, "vulnerabilities", vs);
		json_array_append_new(devs, o);
	}
	json_object_set_new(root, "devices", devs);
	json_object_set_new(root, "summary", json_pack("{s:I,s:I,s:I}",
		"affected", (json_int_t)counts[FW_AFFECTED],
		"not_affected", (json_int_t)counts[FW_NOT_AFFECTED],
		"unknown", (json_int_t)counts[FW_UNKNOWN]));
	return root;
}

static const char *s_or(json_t *o, const char *k, const char *dflt)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : dflt;
}

void fw_write_text(json_t *result, FILE *f)
{
	json_t *devs = json_object_get(result, "devices"), *d, *v;
	size_t i, j;

	json_array_foreach(devs, i, d) {
		const char *st = s_or(d, "status", "?");
		fprintf(f, "%s %s %s (x%lld): %s", s_or(d, "vendor", ""),
			s_or(d, "product", ""), s_or(d, "version", "(no version)"),
			(long long)json_integer_value(json_object_get(d, "count")),
			!strcmp(st, "affected") ? "AFFECTED" :
			!strcmp(st, "unknown") ? "cannot tell" : "not affected");
		/* "cannot tell" always has a reason; "affected" has one when
		 * only a cautious reading of a range makes it so */
		if (!strcmp(st, "unknown") || json_string_value(
			    json_object_get(d, "reason")))
			fprintf(f, " - %s", s_or(d, "reason", ""));
		fputc('\n', f);
		json_array_foreach(json_object_get(d, "vulnerabilities"), j, v) {
			fprintf(f, "  %s %s; fixed in %s; in KEV since %s%s\n",
				s_or(v, "cve", "?"), s_or(v, "title", ""),
				s_or(v, "fixed_in", json_is_true(json_object_get(v, "no_fix")) ?
				     "none on this release line (migrate)" : "? (not known)"),
				s_or(v, "kev_date_added", "? (not known)"),
				json_is_true(json_object_get(v, "ransomware")) ?
				"; used by ransomware campaigns" : "");
			if (json_string_value(json_object_get(v, "condition")))
				fprintf(f, "    (%s)\n", s_or(v, "condition", ""));
		}
	}
	json_t *s = json_object_get(result, "summary");
	fprintf(f, "%lld affected, %lld not affected, %lld cannot tell\n",
		(long long)json_integer_value(json_object_get(s, "affected")),
		(long long)json_integer_value(json_object_get(s, "not_affected")),
		(long long)json_integer_value(json_object_get(s, "unknown")));
}
