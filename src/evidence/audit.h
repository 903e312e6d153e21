/*
 * audit.h - the VPN access audit: events in, findings and per-account /
 * per-source summaries out.
 *
 * audit_event() must be fed events in (roughly) time order; its memory
 * grows with the number of distinct accounts, sources and devices, never
 * with the number of events. audit_run() streams files (plain or gzip)
 * through the parsers, one reader thread per file, merging the streams
 * by time. Output (JSON, text, HTML) lives in audit_out.c.
 */
#ifndef MAMORI_EVIDENCE_AUDIT_H
#define MAMORI_EVIDENCE_AUDIT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "evidence/netaddr.h"
#include "evidence/vpnlog.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/strbuf.h"

enum finding_kind {
	FIND_OUTSIDE_ALLOWLIST,
	FIND_OFF_HOURS,
	FIND_BRUTE_FORCE,
	FIND_SUCCESS_AFTER_FAILURES,
	FIND_PASSWORD_SPRAY,
	FIND_CONCURRENT_SESSIONS,
	FIND_FIRST_SEEN_SOURCE,
	FIND_LOG_GAP,
	FIND_SHARED_ACCOUNT,
	FIND__MAX
};

enum audit_sev { ASEV_INFO, ASEV_LOW, ASEV_MEDIUM, ASEV_HIGH, ASEV_CRITICAL,
		ASEV__MAX };

const char *audit_kind_name(enum finding_kind k);
const char *audit_sev_name(enum audit_sev s);
/* -1 when unknown. */
int audit_sev_parse(const char *s);

/* Maintenance hours: minutes since local midnight, [from, to). */
struct hours {
	int from, to;		/* from == to == -1: any time */
	uint8_t days;		/* bit 0 = Sunday ... bit 6 = Saturday */
};

struct allow_entry {
	struct netprefix pfx;
	struct hours hours;	/* hours.from < 0 and !has_hours: any */
	bool has_hours;
	char label[64];		/* the comment of the entry, may be "" */
};

struct audit_opts {
	struct vpnlog_opts log;		/* tz_min, year */
	enum vpn_format format;		/* VPN_FMT_AUTO by default */
	const struct allow_entry *allow;	/* borrowed */
	size_t nallow;
	bool has_allow;			/* an allow-list was given */
	struct hours default_hours;	/* --hours; has_default_hours */
	bool has_default_hours;
	unsigned bf_count, bf_window;		/* brute force */
	unsigned saf_count, saf_window;		/* success after failures */
	unsigned spray_users, spray_window;	/* password spraying (>) */
	unsigned max_gap;			/* log gap, seconds */
	unsigned session_max;			/* session without logout */
	const char *const *shared;	/* shared-account name patterns */
	size_t nshared;
	enum audit_sev min_severity;	/* findings below are not reported */
	size_t max_line;		/* longer lines are malformed */
	size_t max_findings;
	unsigned jobs;			/* threads for one input; 0: one per
					 * CPU this process may run on */
	size_t block;			/* bytes a thread reads at once;
					 * 0: 4 MiB */
};

/* The reference defaults (docs/vpnlog.md). */
void audit_opts_init(struct audit_opts *o);
/* The default shared-account patterns (NULL-terminated). */
extern const char *const audit_default_shared[];

/* "[Mon-Fri,Sat] HH:MM-HH:MM" parts: see docs/vpnlog.md. */
bool hours_parse_days(struct slice s, uint8_t *days);
bool hours_parse_range(struct slice s, struct hours *h);
/*
 * One allow-file line: "CIDR [HH:MM-HH:MM] [DAYS] [# label]"; returns
 * MAMORI_OK, MAMORI_ENOENT for a blank or comment line, or MAMORI_EPARSE
 * with the reason in err.
 */
enum mamori_err allow_parse_line(struct slice line, struct allow_entry *e,
				 struct strbuf *err);

struct finding {
	enum finding_kind kind;
	enum audit_sev sev;
	int32_t src;		/* index into sources, -1 none */
	int32_t acct;		/* index into accounts, -1 none */
	int32_t other;		/* concurrent: other source; gap: device */
	uint64_t count;
	int64_t first, last;
	uint32_t aux;		/* spray: distinct users at the peak */
};

struct ring {			/* last cap timestamps */
	int64_t *t;
	uint32_t cap, n, head;
};

struct account {
	struct slice name;	/* arena copy */
	int64_t first, last;
	uint64_t successes, failures, logouts;
	int32_t sess_src[8];	/* open sessions: source, -1 free */
	int64_t sess_start[8];
	bool shared;
};

struct source {
	struct netaddr addr;
	int64_t first, last;
	uint64_t successes, failures, logouts;
	uint32_t users;		/* distinct accounts seen */
	struct ring fails;	/* brute force */
	struct ring anon;	/* failures without a user */
	int32_t *spray_acct;	/* recent failed accounts */
	int64_t *spray_t;
	uint32_t spray_n;
	int8_t allowed;		/* -1 no allow-list, 0 outside, 1 inside */
};

struct pair {
	int32_t acct, src;
	uint64_t successes, failures;
	int64_t first, last;
	struct ring fails;	/* success after failures */
};

struct device {
	struct slice name;
	int64_t first, last;
	uint64_t events;
};

/* Compact copies of the table keys, so that a lookup reads a few
 * small arrays and not the large records. */
struct acct_key {
	uint32_t len;
	char s[28];		/* the name when len <= 28 */
};

struct pair_key {
	int32_t acct, src;
};

struct idxslot {
	uint32_t idx;		/* index + 1; 0 empty */
	uint32_t hash;
};

struct idxmap {			/* open addressing: hash -> index */
	struct idxslot *e;	/* owned; at most half full */
	size_t cap, n;
};

struct malformed_line {
	char file[128];
	uint64_t line;
	char why[48];
};
#define AUDIT_MALFORMED_SAMPLES 8

struct audit {
	const struct audit_opts *opts;	/* borrowed */
	struct arena arena;		/* names, rings */
	struct account *acct;		/* owned arrays */
	size_t nacct, acct_cap;
	struct source *src;
	size_t nsrc, src_cap;
	struct pair *pair;
	size_t npair, pair_cap;
	struct device *dev;
	size_t ndev, dev_cap;
	struct acct_key *acct_key;	/* owned: nacct of them */
	struct netaddr *src_key;	/* owned: nsrc */
	struct pair_key *pair_key;	/* owned: npair */
	size_t acct_key_cap, src_key_cap, pair_key_cap;
	struct finding *find;
	size_t nfind, find_cap;
	uint64_t find_dropped;
	struct idxmap acct_map, src_map, pair_map, dev_map, find_map,
		baseline_map;
	uint8_t *baseline_keys;		/* owned: 20-byte keys */
	size_t nbaseline, baseline_cap;
	bool has_baseline;
	/* counters */
	uint64_t lines, events, ignored, other, malformed;
	uint64_t formats[VPN_FMT__MAX];
	uint64_t outcomes[VPN_OUTCOME__MAX];
	struct malformed_line samples[AUDIT_MALFORMED_SAMPLES];
	size_t nsamples;
	int64_t first, last;		/* of all events; first > last: none */
	struct strbuf read_errors;	/* one line per unreadable input */
	enum mamori_err err;		/* sticky ENOMEM */
	int32_t last_dev;		/* the previous event's device, or -1 */
};

void audit_init(struct audit *a, const struct audit_opts *o);
void audit_release(struct audit *a);
/* Adds one (user, source) pair to the first-seen baseline. */
enum mamori_err audit_baseline_add(struct audit *a, struct slice user,
				   const struct netaddr *src);
/*
 * Loads a baseline: a previous audit's JSON (accounts[].sources) or lines
 * "user,source". Errors name the file and line in err.
 */
enum mamori_err audit_baseline_load(struct audit *a, const char *path,
				    struct strbuf *err);
/* Feeds one event; strings are copied when kept. */
void audit_event(struct audit *a, const struct vpn_event *ev);
/* Feeds n events in order, the same as n audit_event() calls (faster:
 * the table lookups of the next events overlap). */
void audit_events(struct audit *a, const struct vpn_event *ev, size_t n);
/* Ends the audit (open sessions, sorting of findings). */
void audit_finish(struct audit *a);
/* Findings reported at or above min_severity. */
size_t audit_reported(const struct audit *a);

/*
 * Streams each path ("-" = stdin; gzip read transparently) through the
 * parsers into a: one reader thread per file, merged by time. A single
 * input is read in blocks that opts->jobs threads parse at once, the
 * events of each block going to the detectors in file order, so the
 * result is exactly that of one thread. A file that
 * cannot be opened or read is named in a->read_errors and the others are
 * still audited; returns MAMORI_EIO then (MAMORI_ENOMEM on allocation
 * failure).
 */
enum mamori_err audit_run(struct audit *a, char *const *paths, size_t n);
/* One buffer of log text (no threads); for tests and fuzzing. */
void audit_feed_buffer(struct audit *a, const char *name, const char *buf,
		       size_t len);

/* Output (audit_out.c). tz_min: zone of printed times. */
void audit_write_json(const struct audit *a, FILE *f);
void audit_write_text(const struct audit *a, FILE *f);
void audit_write_html(const struct audit *a, FILE *f);
/* One finding's explanation in English (appended to sb). */
void audit_finding_detail(const struct audit *a, const struct finding *f,
			  struct strbuf *sb);

#endif
