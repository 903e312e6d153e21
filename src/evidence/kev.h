/*
 * kev.h - the catalogue of known-exploited VPN appliance vulnerabilities
 * (data/vpn-kev.yaml) and the firmware check against it.
 *
 * The check never answers "not affected" by default: only a version that
 * parses in its product's scheme and lies outside every range is
 * not_affected; an unknown product, an unparseable version or a
 * vulnerability without version data gives "unknown".
 *
 * Ownership: everything a catalogue holds lives in its arena and is freed
 * by kev_release().
 */
#ifndef MAMORI_EVIDENCE_KEV_H
#define MAMORI_EVIDENCE_KEV_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "evidence/version.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/strbuf.h"

struct kev_range {
	const char *from, *to, *before;	/* text, NULL when absent */
	const char *fixed;		/* NULL: see fixed_unknown */
	bool fixed_unknown;		/* "fixed: unknown": a fix is (or may
					 * be) out, its version is not known;
					 * else NULL fixed: no fix on the line */
	struct version vfrom, vto, vbefore;
};

/* What KEV says of use in ransomware campaigns. */
enum kev_ransomware {
	KEV_RW_UNKNOWN = -1,	/* the catalogue does not know */
	KEV_RW_NOT_KNOWN = 0,	/* KEV: "Unknown" (not known to CISA) */
	KEV_RW_KNOWN = 1,	/* KEV: "Known" */
};

struct kev_vuln {
	const char *cve, *title, *condition;	/* may be NULL */
	const char *date_added;		/* YYYY-MM-DD; NULL: unknown */
	enum kev_ransomware ransomware;
	size_t product;			/* index into products */
	struct kev_range *ranges;
	size_t nranges;
};

struct kev_product {
	const char *id, *name, *vendor;
	enum version_scheme scheme;
	const char **match, **models, **kev_product;
	size_t nmatch, nmodels, nkev_product;
	bool require_model;
};

struct kev_catalog {
	struct arena arena;
	const char *updated;
	struct kev_product *products;
	size_t nproducts;
	struct kev_vuln *vulns;
	size_t nvulns;
};

/*
 * The catalogue to use when none is named: $MAMORI_KEV_CATALOG, else the
 * installed data/vpn-kev.yaml, else the one in the source tree.
 */
const char *kev_default_path(void);

void kev_init(struct kev_catalog *c);
void kev_release(struct kev_catalog *c);
/* Loads and checks a catalogue; errors are "file:line:col: what". */
enum mamori_err kev_load(struct kev_catalog *c, const char *path,
			 struct strbuf *err);
enum mamori_err kev_parse(struct kev_catalog *c, const char *name,
			  const char *buf, size_t len, struct strbuf *err);

/* The product a device's maker and model name, or -1. */
long kev_find_product(const struct kev_catalog *c, const char *vendor,
		      const char *model);

enum fw_status { FW_AFFECTED, FW_NOT_AFFECTED, FW_UNKNOWN, FW__MAX };
const char *fw_status_name(enum fw_status s);

enum { FW_MAX_HITS = 32 };

struct fw_hit {
	const struct kev_vuln *vuln;
	const struct kev_range *range;	/* NULL: no version data */
};

struct fw_result {
	enum fw_status status;
	long product;			/* -1 when not recognised */
	const char *reason;		/* for unknown; static storage */
	struct fw_hit hits[FW_MAX_HITS];
	size_t nhits;
};

void kev_check(const struct kev_catalog *c, const char *vendor,
	       const char *model, const char *version, struct fw_result *out);

/* The catalogue as YAML (the format of data/vpn-kev.yaml). */
void kev_write_yaml(const struct kev_catalog *c, FILE *f);

/*
 * Refreshes c from a KEV catalogue (JSON) and CVE JSON 5 records: dates,
 * ransomware use and names from KEV, version ranges from the records.
 * What could not be used is explained, one line each, in notes.
 */
enum mamori_err kev_update(struct kev_catalog *c, json_t *kev,
			   json_t *const *records, size_t nrecords,
			   struct strbuf *notes);

#endif
