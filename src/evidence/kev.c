/*
 * kev.c - load, check, write and refresh the VPN known-exploited
 * vulnerability catalogue. Must never report "not affected" for a device
 * whose product or version it cannot read.
 */
#include "evidence/kev.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/ydoc.h"
#include "util/banned.h"

static const char *const status_names[FW__MAX] = {
	[FW_AFFECTED] = "affected",
	[FW_NOT_AFFECTED] = "not_affected",
	[FW_UNKNOWN] = "unknown",
};

const char *fw_status_name(enum fw_status s)
{
	return (unsigned)s < FW__MAX ? status_names[s] : "?";
}

#ifndef MAMORI_KEV_INSTALLED
#define MAMORI_KEV_INSTALLED "/usr/local/share/mamori/vpn-kev.yaml"
#endif
#ifndef MAMORI_KEV_SOURCE
#define MAMORI_KEV_SOURCE "data/vpn-kev.yaml"
#endif

const char *kev_default_path(void)
{
	const char *env = getenv("MAMORI_KEV_CATALOG");
	if (env && *env)
		return env;
	if (!access(MAMORI_KEV_INSTALLED, R_OK))
		return MAMORI_KEV_INSTALLED;
	return MAMORI_KEV_SOURCE;
}

void kev_init(struct kev_catalog *c)
{
	memset(c, 0, sizeof(*c));
	arena_init(&c->arena, 16 * 1024);
}

void kev_release(struct kev_catalog *c)
{
	arena_release(&c->arena);
	memset(c, 0, sizeof(*c));
}

/* ---- loading ---------------------------------------------------------- */

struct loader {
	struct kev_catalog *c;
	struct ydoc *doc;
	struct strbuf *err;
	int errors;
};

static const char *scalar(struct loader *l, const struct ydoc_node *map,
			  const char *key, bool required)
{
	const struct ydoc_node *n = ydoc_get(map, key);
	if (!n) {
		if (required) {
			ydoc_errorf(l->doc, map, l->err, "'%s' is missing", key);
			l->errors++;
		}
		return NULL;
	}
	if (n->kind != YDOC_SCALAR) {
		ydoc_errorf(l->doc, n, l->err, "'%s' must be %s, not %s", key,
			    ydoc_kind_name(YDOC_SCALAR), ydoc_kind_name(n->kind));
		l->errors++;
		return NULL;
	}
	return arena_strdup(&l->c->arena, n->str.p);
}

static const char **str_list(struct loader *l, const struct ydoc_node *map,
			     const char *key, size_t *n)
{
	const struct ydoc_node *v = ydoc_get(map, key);
	const char **out;

	*n = 0;
	if (!v)
		return NULL;
	if (v->kind == YDOC_SCALAR) {
		out = arena_alloc(&l->c->arena, sizeof(*out));
		if (!out)
			return NULL;
		out[0] = arena_strdup(&l->c->arena, v->str.p);
		*n = 1;
		return out;
	}
	if (v->kind != YDOC_SEQ) {
		ydoc_errorf(l->doc, v, l->err, "'%s' must be a list", key);
		l->errors++;
		return NULL;
	}
	out = arena_calloc(&l->c->arena, v->n ? v->n : 1, sizeof(*out));
	if (!out)
		return NULL;
	for (size_t i = 0; i < v->n; i++) {
		if (v->items[i]->kind != YDOC_SCALAR) {
			ydoc_errorf(l->doc, v->items[i], l->err,
				    "'%s' items must be scalars", key);
			l->errors++;
			continue;
		}
		out[(*n)++] = arena_strdup(&l->c->arena, v->items[i]->str.p);
	}
	return out;
}

/* "YYYY-MM-DD" */
static bool is_date(const char *s)
{
	for (int i = 0; i < 10; i++) {
		bool dash = i == 4 || i == 7;
		if (dash ? s[i] != '-' : !(s[i] >= '0' && s[i] <= '9'))
			return false;
	}
	return s[10] == '\0';
}

static bool version_at(struct loader *l, const struct ydoc_node *map,
		       const char *key, enum version_scheme sc,
		       const char **text, struct version *v)
{
	const struct ydoc_node *n = ydoc_get(map, key);
	*text = NULL;
	if (!n)
		return false;
	if (n->kind != YDOC_SCALAR) {
		ydoc_errorf(l->doc, n, l->err, "'%s' must be a version", key);
		l->errors++;
		return false;
	}
	if (!strcmp(key, "fixed") && (!strcmp(n->str.p, "none") ||
				       !strcmp(n->str.p, "unknown")))
		return false;
	if (!version_parse(sc, n->str, v)) {
		ydoc_errorf(l->doc, n, l->err,
			    "'%s' is not a %s version", n->str.p,
			    version_scheme_name(sc));
		l->errors++;
		return false;
	}
	*text = arena_strdup(&l->c->arena, n->str.p);
	return true;
}

static const char *const product_keys[] = {
	"id", "name", "vendor", "scheme", "match", "models", "kev_product",
	"require_model", NULL
};
static const char *const vuln_keys[] = {
	"cve", "product", "title", "kev_date_added", "ransomware", "condition",
	"affected", NULL
};
static const char *const range_keys[] = {
	"from", "to", "before", "fixed", NULL
};
static const char *const top_keys[] = {
	"schema", "updated", "products", "vulnerabilities", NULL
};

static void load_product(struct loader *l, const struct ydoc_node *n,
			 struct kev_product *p)
{
	const char *scheme, *rm;
	int sc;

	memset(p, 0, sizeof(*p));
	if (n->kind != YDOC_MAP) {
		ydoc_errorf(l->doc, n, l->err, "a product must be a mapping");
		l->errors++;
		return;
	}
	l->errors += ydoc_check_keys(l->doc, n, product_keys, "a product",
				     l->err);
	p->id = scalar(l, n, "id", true);
	p->name = scalar(l, n, "name", true);
	p->vendor = scalar(l, n, "vendor", true);
	scheme = scalar(l, n, "scheme", true);
	if (scheme && (sc = version_scheme_parse(scheme)) < 0) {
		ydoc_errorf(l->doc, ydoc_get(n, "scheme"), l->err,
			    "unknown version scheme '%s'", scheme);
		l->errors++;
	} else if (scheme) {
		p->scheme = sc;
	}
	p->match = str_list(l, n, "match", &p->nmatch);
	p->models = str_list(l, n, "models", &p->nmodels);
	p->kev_product = str_list(l, n, "kev_product", &p->nkev_product);
	rm = scalar(l, n, "require_model", false);
	p->require_model = rm && !strcmp(rm, "true");
	if (!p->nmatch) {
		ydoc_errorf(l->doc, n, l->err, "'match' needs at least one name");
		l->errors++;
	}
}

static void load_vuln(struct loader *l, const struct ydoc_node *n,
		      struct kev_vuln *v)
{
	const char *prod, *rw;
	const struct ydoc_node *aff;
	struct kev_catalog *c = l->c;

	memset(v, 0, sizeof(*v));
	if (n->kind != YDOC_MAP) {
		ydoc_errorf(l->doc, n, l->err, "a vulnerability must be a mapping");
		l->errors++;
		return;
	}
	l->errors += ydoc_check_keys(l->doc, n, vuln_keys, "a vulnerability",
				     l->err);
	v->cve = scalar(l, n, "cve", true);
	v->title = scalar(l, n, "title", false);
	v->date_added = scalar(l, n, "kev_date_added", false);
	if (v->date_added && !strcmp(v->date_added, "unknown")) {
		v->date_added = NULL;
	} else if (v->date_added && !is_date(v->date_added)) {
		ydoc_errorf(l->doc, ydoc_get(n, "kev_date_added"), l->err,
			    "'kev_date_added' must be YYYY-MM-DD or unknown");
		l->errors++;
	}
	v->condition = scalar(l, n, "condition", false);
	/* absent: the catalogue does not know */
	rw = scalar(l, n, "ransomware", false);
	v->ransomware = !rw || !strcmp(rw, "unknown") ? KEV_RW_UNKNOWN :
			!strcmp(rw, "true") ? KEV_RW_KNOWN : KEV_RW_NOT_KNOWN;
	if (rw && strcmp(rw, "true") && strcmp(rw, "false") &&
	    strcmp(rw, "unknown")) {
		ydoc_errorf(l->doc, ydoc_get(n, "ransomware"), l->err,
			    "'ransomware' must be true, false or unknown");
		l->errors++;
	}
	prod = scalar(l, n, "product", true);
	v->product = c->nproducts;
	for (size_t i = 0; prod && i < c->nproducts; i++)
		if (c->products[i].id && !strcmp(c->products[i].id, prod))
			v->product = i;
	if (prod && v->product == c->nproducts) {
		ydoc_errorf(l->doc, ydoc_get(n, "product"), l->err,
			    "unknown product '%s'", prod);
		l->errors++;
		return;
	}
	if (!prod)
		return;
	enum version_scheme sc = c->products[v->product].scheme;
	aff = ydoc_get(n, "affected");
	if (!aff)
		return;
	if (aff->kind != YDOC_SEQ) {
		ydoc_errorf(l->doc, aff, l->err, "'affected' must be a list");
		l->errors++;
		return;
	}
	v->ranges = arena_calloc(&c->arena, aff->n ? aff->n : 1,
				 sizeof(*v->ranges));
	if (!v->ranges)
		return;
	for (size_t i = 0; i < aff->n; i++) {
		const struct ydoc_node *r = aff->items[i];
		struct kev_range *kr = &v->ranges[v->nranges];
		if (r->kind != YDOC_MAP) {
			ydoc_errorf(l->doc, r, l->err, "a range must be a mapping");
			l->errors++;
			continue;
		}
		l->errors += ydoc_check_keys(l->doc, r, range_keys, "a range",
					     l->err);
		version_at(l, r, "from", sc, &kr->from, &kr->vfrom);
		version_at(l, r, "to", sc, &kr->to, &kr->vto);
		version_at(l, r, "before", sc, &kr->before, &kr->vbefore);
		version_at(l, r, "fixed", sc, &kr->fixed, &(struct version){ 0 });
		const struct ydoc_node *fx = ydoc_get(r, "fixed");
		if (!fx) {
			ydoc_errorf(l->doc, r, l->err,
				    "'fixed' is missing (write 'fixed: none' when there is no fix, 'fixed: unknown' when its version is not known)");
			l->errors++;
		} else if (fx->kind == YDOC_SCALAR &&
			   !strcmp(fx->str.p, "unknown")) {
			kr->fixed_unknown = true;
		}
		if (!!kr->to == !!kr->before) {
			ydoc_errorf(l->doc, r, l->err,
				    "a range needs exactly one of 'to' and 'before'");
			l->errors++;
			continue;
		}
		v->nranges++;
	}
}

enum mamori_err kev_parse(struct kev_catalog *c, const char *name,
			  const char *buf, size_t len, struct strbuf *err)
{
	struct ydoc doc;
	struct loader l = { c, &doc, err, 0 };
	enum mamori_err rc = ydoc_parse(&doc, name, buf, len, err);
	const struct ydoc_node *root, *prods, *vulns;

	if (rc) {
		ydoc_release(&doc);
		return rc;
	}
	root = doc.root;
	if (!root || root->kind != YDOC_MAP) {
		ydoc_errorf(&doc, root, err, "the catalogue must be a mapping");
		ydoc_release(&doc);
		return MAMORI_ESCHEMA;
	}
	l.errors += ydoc_check_keys(&doc, root, top_keys, "the catalogue", err);
	const char *schema = scalar(&l, root, "schema", true);
	if (schema && strcmp(schema, "mamori.vpn-kev/1")) {
		ydoc_errorf(&doc, ydoc_get(root, "schema"), err,
			    "unknown schema '%s' (want mamori.vpn-kev/1)", schema);
		l.errors++;
	}
	const char *upd = scalar(&l, root, "updated", false);
	c->updated = upd ? arena_strdup(&c->arena, upd) : NULL;
	prods = ydoc_get(root, "products");
	vulns = ydoc_get(root, "vulnerabilities");
	if (!prods || prods->kind != YDOC_SEQ || !vulns ||
	    vulns->kind != YDOC_SEQ) {
		ydoc_errorf(&doc, root, err,
			    "'products' and 'vulnerabilities' must be lists");
		ydoc_release(&doc);
		return MAMORI_ESCHEMA;
	}
	c->products = arena_calloc(&c->arena, prods->n + 1, sizeof(*c->products));
	c->vulns = arena_calloc(&c->arena, vulns->n + 1, sizeof(*c->vulns));
	if (!c->products || !c->vulns) {
		ydoc_release(&doc);
		return MAMORI_ENOMEM;
	}
	for (size_t i = 0; i < prods->n; i++)
		load_product(&l, prods->items[i], &c->products[c->nproducts++]);
	for (size_t i = 0; i < c->nproducts; i++)
		for (size_t j = 0; j < i; j++)
			if (c->products[i].id && c->products[j].id &&
			    !strcmp(c->products[i].id, c->products[j].id)) {
				ydoc_errorf(&doc, prods->items[i], err,
					    "duplicate product id '%s'",
					    c->products[i].id);
				l.errors++;
			}
	for (size_t i = 0; i < vulns->n; i++)
		load_vuln(&l, vulns->items[i], &c->vulns[c->nvulns++]);
	ydoc_release(&doc);
	return l.errors ? MAMORI_ESCHEMA : MAMORI_OK;
}

enum mamori_err kev_load(struct kev_catalog *c, const char *path,
			 struct strbuf *err)
{
	struct strbuf sb;
	enum mamori_err rc;

	strbuf_init(&sb, YDOC_MAX_BYTES);
	rc = strbuf_read_file(&sb, path, err);
	if (!rc)
		rc = kev_parse(c, path, sb.buf, sb.len, err);
	strbuf_release(&sb);
	return rc;
}

/* ---- matching a device ----------------------------------------------- */

/* Lower-case letters and digits only: "Palo Alto Networks" -> "paloaltonetworks". */
static void norm(const char *s, char *out, size_t cap)
{
	size_t k = 0;
	for (; s && *s && k + 1 < cap; s++) {
		char ch = *s;
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch | 0x20);
		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
			out[k++] = ch;
	}
	out[k] = '\0';
}

static bool any_in(const char *const *list, size_t n, const char *text)
{
	char pat[128];
	for (size_t i = 0; i < n; i++) {
		norm(list[i], pat, sizeof(pat));
		if (*pat && strstr(text, pat))
			return true;
	}
	return false;
}

long kev_find_product(const struct kev_catalog *c, const char *vendor,
		      const char *model)
{
	char v[256], m[256];
	long weak = -1;

	norm(vendor, v, sizeof(v));
	norm(model, m, sizeof(m));
	for (size_t i = 0; i < c->nproducts; i++) {
		const struct kev_product *p = &c->products[i];
		char id[128];
		norm(p->id, id, sizeof(id));
		if (!*v && *m && !strcmp(m, id))
			return (long)i;
		if (!any_in(p->match, p->nmatch, v) &&
		    !any_in(p->match, p->nmatch, m))
			continue;
		if (p->nmodels && any_in(p->models, p->nmodels, m))
			return (long)i;
		if (!p->require_model && weak < 0)
			weak = (long)i;
	}
	return weak;
}

/*
 * A last affected version that names an Ivanti release without a build
 * ("22.6R2", not "22.6R2.1"). The CVE records of CVE-2023-46805 and
 * CVE-2024-21887 end with "<= 22.6R2"; Ivanti ships a release as builds
 * 22.6R2, 22.6R2.1, ... and the records give no fixed build on that
 * line, so the bound is read as the whole release: every 22.6R2.x build
 * is affected. Read literally, 22.6R2.1 would be "not affected" on
 * nothing but a missing build number (docs/firmware.md).
 */
static bool release_bound(enum version_scheme sc, const char *to)
{
	const char *r;

	if (sc != VS_IVANTI || !to)
		return false;
	r = strpbrk(to, "Rr");
	return r && !strchr(r, '.');
}

static const char release_reason[] =
	"an affected range ends at a release named without a build (as the "
	"records' \"<= 22.6R2\"): every build of that release (as 22.6R2.x) "
	"is counted as affected, since no fixed build on that line is known";

/* *whole: v is in r only because r's end is a whole release. */
static bool in_range(enum version_scheme sc, const struct kev_range *r,
		     const struct version *v, bool *whole)
{
	*whole = false;
	if (r->from && version_cmp(v, &r->vfrom) < 0)
		return false;
	if (r->to && release_bound(sc, r->to)) {
		/* the release's number only: its builds compare equal */
		struct version rel = *v;
		for (int i = 3; i < VERSION_PARTS; i++)
			rel.part[i] = r->vto.part[i];
		if (version_cmp(&rel, &r->vto) > 0)
			return false;
		*whole = version_cmp(v, &r->vto) > 0;
		return true;
	}
	if (r->to)
		return version_cmp(v, &r->vto) <= 0;
	return version_cmp(v, &r->vbefore) < 0;
}

void kev_check(const struct kev_catalog *c, const char *vendor,
	       const char *model, const char *version, struct fw_result *out)
{
	struct version v;
	bool nodata = false;

	memset(out, 0, sizeof(*out));
	out->status = FW_UNKNOWN;
	out->product = kev_find_product(c, vendor, model);
	if (out->product < 0) {
		out->reason = "product not in the catalogue";
		return;
	}
	const struct kev_product *p = &c->products[out->product];
	if (!version || !version_parse(p->scheme, slice_from_cstr(version), &v)) {
		out->reason = "version not readable in the product's scheme";
		return;
	}
	for (size_t i = 0; i < c->nvulns; i++) {
		const struct kev_vuln *kv = &c->vulns[i];
		if (kv->product != (size_t)out->product)
			continue;
		if (!kv->nranges) {
			nodata = true;
			if (out->nhits < FW_MAX_HITS)
				out->hits[out->nhits++] =
					(struct fw_hit){ kv, NULL };
			continue;
		}
		for (size_t j = 0; j < kv->nranges; j++) {
			bool whole;
			if (!in_range(p->scheme, &kv->ranges[j], &v, &whole))
				continue;
			if (whole)
				out->reason = release_reason;
			if (out->nhits < FW_MAX_HITS)
				out->hits[out->nhits++] =
					(struct fw_hit){ kv, &kv->ranges[j] };
			out->status = FW_AFFECTED;
			break;
		}
	}
	if (out->status == FW_AFFECTED) {
		/* drop the "no data" entries: the device is affected anyway */
		size_t k = 0;
		for (size_t i = 0; i < out->nhits; i++)
			if (out->hits[i].range)
				out->hits[k++] = out->hits[i];
		out->nhits = k;
		return;
	}
	if (nodata) {
		out->reason = "a listed vulnerability has no version data";
		return;
	}
	out->status = FW_NOT_AFFECTED;
	out->nhits = 0;
}

/* ---- writing YAML ------------------------------------------------------ */

static void yq(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\x%02x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

static void ylist(FILE *f, const char *key, const char *const *l, size_t n)
{
	if (!n)
		return;
	fprintf(f, "    %s: [", key);
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputs(", ", f);
		yq(f, l[i]);
	}
	fputs("]\n", f);
}

void kev_write_yaml(const struct kev_catalog *c, FILE *f)
{
	fputs("# vpn-kev.yaml - known-exploited vulnerabilities of VPN appliances, for\n"
	      "# \"mamori firmware check\". Written by \"mamori firmware update-catalog\"\n"
	      "# from CISA's KEV catalogue and CVE JSON 5 records. Format: docs/firmware.md.\n"
	      "schema: mamori.vpn-kev/1\n", f);
	if (c->updated) {
		fputs("updated: ", f);
		yq(f, c->updated);
		fputc('\n', f);
	}
	fputs("\nproducts:\n", f);
	for (size_t i = 0; i < c->nproducts; i++) {
		const struct kev_product *p = &c->products[i];
		fputs("  - id: ", f);
		yq(f, p->id);
		fputs("\n    name: ", f);
		yq(f, p->name);
		fputs("\n    vendor: ", f);
		yq(f, p->vendor);
		fprintf(f, "\n    scheme: %s\n", version_scheme_name(p->scheme));
		ylist(f, "match", p->match, p->nmatch);
		ylist(f, "models", p->models, p->nmodels);
		if (p->require_model)
			fputs("    require_model: true\n", f);
		ylist(f, "kev_product", p->kev_product, p->nkev_product);
	}
	fputs("\nvulnerabilities:\n", f);
	for (size_t i = 0; i < c->nvulns; i++) {
		const struct kev_vuln *v = &c->vulns[i];
		fputs("  - cve: ", f);
		yq(f, v->cve);
		fputs("\n    product: ", f);
		yq(f, c->products[v->product].id);
		fputc('\n', f);
		if (v->title) {
			fputs("    title: ", f);
			yq(f, v->title);
			fputc('\n', f);
		}
		fputs("    kev_date_added: ", f);
		if (v->date_added)
			yq(f, v->date_added);
		else
			fputs("unknown", f);
		fputc('\n', f);
		fprintf(f, "    ransomware: %s\n",
			v->ransomware == KEV_RW_KNOWN ? "true" :
			v->ransomware == KEV_RW_NOT_KNOWN ? "false" : "unknown");
		if (v->condition) {
			fputs("    condition: ", f);
			yq(f, v->condition);
			fputc('\n', f);
		}
		fputs(v->nranges ? "    affected:\n" : "    affected: []\n", f);
		for (size_t j = 0; j < v->nranges; j++) {
			const struct kev_range *r = &v->ranges[j];
			fputs("      - {", f);
			if (r->from) {
				fputs("from: ", f);
				yq(f, r->from);
				fputs(", ", f);
			}
			fputs(r->to ? "to: " : "before: ", f);
			yq(f, r->to ? r->to : r->before);
			fputs(", fixed: ", f);
			if (r->fixed)
				yq(f, r->fixed);
			else
				fputs(r->fixed_unknown ? "unknown" : "none", f);
			fputs("}\n", f);
		}
	}
}

/* ---- refreshing from KEV and CVE records ------------------------------------ */

static long kev_entry_product(const struct kev_catalog *c, const char *vendor,
			      const char *product)
{
	char v[256], p[256];
	norm(vendor, v, sizeof(v));
	norm(product, p, sizeof(p));
	for (size_t i = 0; i < c->nproducts; i++) {
		const struct kev_product *kp = &c->products[i];
		if (!any_in(kp->match, kp->nmatch, v))
			continue;
		if (any_in(kp->kev_product, kp->nkev_product, p))
			return (long)i;
	}
	return -1;
}

static const char *jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static const char *adup(struct kev_catalog *c, const char *s)
{
	return s ? arena_strdup(&c->arena, s) : NULL;
}

static bool set_version(struct kev_catalog *c, enum version_scheme sc,
			const char *text, const char **slot, struct version *v)
{
	if (!text || !version_parse(sc, slice_from_cstr(text), v))
		return false;
	*slot = adup(c, text);
	return *slot != NULL;
}

/* Ranges of one CVE record for product pi; returns how many were read. */
static size_t record_ranges(struct kev_catalog *c, json_t *rec, long pi,
			    struct kev_range **out, struct strbuf *notes)
{
	json_t *aff = json_object_get(json_object_get(json_object_get(rec,
				"containers"), "cna"), "affected");
	const char *cve = jstr(json_object_get(rec, "cveMetadata"), "cveId");
	enum version_scheme sc = c->products[pi].scheme;
	size_t i, j, cap = 0, n = 0;
	json_t *a, *ver;

	json_array_foreach(aff, i, a) {
		json_t *vs = json_object_get(a, "versions");
		if (kev_entry_product(c, jstr(a, "vendor"), jstr(a, "product")) != pi)
			continue;
		cap += json_array_size(vs);
	}
	*out = cap ? arena_calloc(&c->arena, cap, sizeof(**out)) : NULL;
	if (cap && !*out)
		return 0;
	json_array_foreach(aff, i, a) {
		if (kev_entry_product(c, jstr(a, "vendor"), jstr(a, "product")) != pi)
			continue;
		json_array_foreach(json_object_get(a, "versions"), j, ver) {
			const char *status = jstr(ver, "status");
			const char *from = jstr(ver, "version");
			const char *lt = jstr(ver, "lessThan");
			const char *le = jstr(ver, "lessThanOrEqual");
			struct kev_range *r = &(*out)[n];
			struct version scratch;
			if (!status || strcmp(status, "affected"))
				continue;
			memset(r, 0, sizeof(*r));
			bool ok;
			if (from && (!strcmp(from, "0") || !strcmp(from, "*")))
				from = NULL;
			if (from && !set_version(c, sc, from, &r->from, &r->vfrom)) {
				strbuf_addf(notes, "%s: version '%s' is not a %s version: range left out\n",
					    cve ? cve : "?", from, version_scheme_name(sc));
				continue;
			}
			if (lt) {
				ok = set_version(c, sc, lt, &r->before, &r->vbefore);
				if (ok)
					set_version(c, sc, lt, &r->fixed, &scratch);
			} else if (le) {
				ok = set_version(c, sc, le, &r->to, &r->vto);
			} else if (r->from) {
				ok = set_version(c, sc, from, &r->to, &r->vto);
			} else {
				ok = false;
			}
			json_t *ch;
			size_t k;
			json_array_foreach(json_object_get(ver, "changes"), k, ch) {
				const char *at = jstr(ch, "at");
				const char *st = jstr(ch, "status");
				if (!r->fixed && st && !strcmp(st, "unaffected"))
					set_version(c, sc, at, &r->fixed, &scratch);
			}
			/* a record that names no fixed version does not say
			 * there is none */
			r->fixed_unknown = !r->fixed;
			if (!ok) {
				strbuf_addf(notes, "%s: range at '%s' has no readable end: left out\n",
					    cve ? cve : "?", from ? from : "(any)");
				continue;
			}
			n++;
		}
	}
	return n;
}

enum mamori_err kev_update(struct kev_catalog *c, json_t *kev,
			   json_t *const *records, size_t nrecords,
			   struct strbuf *notes)
{
	json_t *vulns = json_object_get(kev, "vulnerabilities"), *e;
	size_t i, cap;

	if (!json_is_array(vulns)) {
		strbuf_addstr(notes, "the KEV file has no 'vulnerabilities' list\n");
		return MAMORI_ESCHEMA;
	}
	cap = c->nvulns + json_array_size(vulns);
	struct kev_vuln *nv = arena_calloc(&c->arena, cap ? cap : 1, sizeof(*nv));
	if (!nv)
		return MAMORI_ENOMEM;
	memcpy(nv, c->vulns, c->nvulns * sizeof(*nv));
	c->vulns = nv;
	const char *rel = jstr(kev, "dateReleased");
	if (rel)
		c->updated = arena_strndup(&c->arena, rel, strlen(rel) >= 10 ? 10 : strlen(rel));
	json_array_foreach(vulns, i, e) {
		const char *cve = jstr(e, "cveID");
		long pi = kev_entry_product(c, jstr(e, "vendorProject"),
					    jstr(e, "product"));
		if (!cve || pi < 0)
			continue;
		struct kev_vuln *v = NULL;
		for (size_t k = 0; k < c->nvulns; k++)
			if (c->vulns[k].cve && !strcmp(c->vulns[k].cve, cve))
				v = &c->vulns[k];
		if (!v) {
			v = &c->vulns[c->nvulns++];
			memset(v, 0, sizeof(*v));
			v->ransomware = KEV_RW_UNKNOWN;
			v->cve = adup(c, cve);
			v->product = (size_t)pi;
			v->title = adup(c, jstr(e, "vulnerabilityName"));
		}
		/* the catalogue takes YYYY-MM-DD only: anything else would be
		 * written and then refused by the next load */
		const char *da = jstr(e, "dateAdded");
		if (da && is_date(da))
			v->date_added = adup(c, da);
		else if (da)
			strbuf_addf(notes, "%s: dateAdded '%s' is not YYYY-MM-DD; "
					   "the date is left %s\n", cve, da,
				    v->date_added ? "as it was" : "unknown");
		const char *rw = jstr(e, "knownRansomwareCampaignUse");
		if (rw)
			v->ransomware = !strcmp(rw, "Known") ? KEV_RW_KNOWN :
					!strcmp(rw, "Unknown") ?
					KEV_RW_NOT_KNOWN : KEV_RW_UNKNOWN;
		bool found = false;
		for (size_t r = 0; r < nrecords; r++) {
			const char *id = jstr(json_object_get(records[r],
						"cveMetadata"), "cveId");
			if (!id || strcmp(id, cve))
				continue;
			found = true;
			struct kev_range *rs;
			size_t n = record_ranges(c, records[r], pi, &rs, notes);
			if (n) {
				v->ranges = rs;
				v->nranges = n;
			} else {
				strbuf_addf(notes, "%s: the CVE record has no usable version range%s\n",
					    cve, v->nranges ? "; the catalogue's ranges are kept" :
					    "; devices of this product will be 'unknown'");
			}
		}
		if (!found && !v->nranges)
			strbuf_addf(notes, "%s: no CVE record given and no ranges known; devices of this product will be 'unknown'\n",
				    cve);
	}
	return MAMORI_OK;
}
