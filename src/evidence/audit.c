/*
 * audit.c - the detectors of the VPN access audit (see audit.h and
 * docs/vpnlog.md). Every table here is keyed by an account, a source, a
 * pair of them or a device: memory never grows with the number of
 * events. Must never keep a pointer into an event's line.
 */
#include "evidence/audit.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "evidence/etime.h"
#include "util/banned.h"

static const char *const kind_names[FIND__MAX] = {
	[FIND_OUTSIDE_ALLOWLIST] = "outside_allowlist",
	[FIND_OFF_HOURS] = "off_hours",
	[FIND_BRUTE_FORCE] = "brute_force",
	[FIND_SUCCESS_AFTER_FAILURES] = "success_after_failures",
	[FIND_PASSWORD_SPRAY] = "password_spray",
	[FIND_CONCURRENT_SESSIONS] = "concurrent_sessions",
	[FIND_FIRST_SEEN_SOURCE] = "first_seen_source",
	[FIND_LOG_GAP] = "log_gap",
	[FIND_SHARED_ACCOUNT] = "shared_account",
};

static const char *const sev_names[ASEV__MAX] = {
	[ASEV_INFO] = "info", [ASEV_LOW] = "low", [ASEV_MEDIUM] = "medium",
	[ASEV_HIGH] = "high", [ASEV_CRITICAL] = "critical",
};

const char *audit_kind_name(enum finding_kind k)
{
	return (unsigned)k < FIND__MAX ? kind_names[k] : "?";
}

const char *audit_sev_name(enum audit_sev s)
{
	return (unsigned)s < ASEV__MAX ? sev_names[s] : "?";
}

int audit_sev_parse(const char *s)
{
	for (int i = 0; i < ASEV__MAX; i++)
		if (!strcmp(s, sev_names[i]))
			return i;
	return -1;
}

const char *const audit_default_shared[] = {
	"admin", "administrator", "root", "test*", "guest", "vendor*",
	"maint*", "support", "user", "demo", "temp*", "operator", "service",
	"*-shared", "shared*", "common", "vpn", "vpnuser", NULL
};

void audit_opts_init(struct audit_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->log.tz_min = 540;
	o->log.year = 1970;
	o->format = VPN_FMT_AUTO;
	o->default_hours.from = o->default_hours.to = -1;
	o->default_hours.days = 0x7f;
	o->bf_count = 10;
	o->bf_window = 300;
	o->saf_count = 5;
	o->saf_window = 900;
	o->spray_users = 10;
	o->spray_window = 1800;
	o->max_gap = 86400;
	o->session_max = 12 * 3600;
	o->shared = audit_default_shared;
	for (o->nshared = 0; audit_default_shared[o->nshared]; o->nshared++)
		;
	o->min_severity = ASEV_INFO;
	o->max_line = 65536;
	o->max_findings = 10000;
}

/* ---- allow-list lines ------------------------------------------------ */

static int day_index(struct slice s)
{
	static const char names[] = "sunmontuewedthufrisat";
	if (s.len != 3)
		return -1;
	for (int i = 0; i < 7; i++) {
		int j = 0;
		while (j < 3 && (s.p[j] | 0x20) == names[3 * i + j])
			j++;
		if (j == 3)
			return i;
	}
	return -1;
}

bool hours_parse_days(struct slice s, uint8_t *days)
{
	uint8_t d = 0;
	while (s.len) {
		struct slice item;
		s = slice_cut(s, ',', &item);
		struct slice a, b = slice_cut(item, '-', &a);
		int x = day_index(a), y = b.p ? day_index(b) : x;
		if (x < 0 || y < 0)
			return false;
		for (int i = x;; i = (i + 1) % 7) {
			d |= (uint8_t)(1u << i);
			if (i == y)
				break;
		}
		if (!s.p)
			break;
	}
	if (!d)
		return false;
	*days = d;
	return true;
}

static bool hhmm(struct slice s, int *out)
{
	unsigned h, m;
	if (s.len == 4 && s.p[1] == ':') {
		if (!etime_digits(s.p, 1, &h) || !etime_digits(s.p + 2, 2, &m))
			return false;
	} else if (s.len != 5 || s.p[2] != ':' ||
		   !etime_digits(s.p, 2, &h) ||
		   !etime_digits(s.p + 3, 2, &m)) {
		return false;
	}
	if (h > 24 || m > 59 || (h == 24 && m))
		return false;
	*out = (int)(h * 60 + m);
	return true;
}

bool hours_parse_range(struct slice s, struct hours *h)
{
	struct slice a, b = slice_cut(s, '-', &a);
	int from, to;
	if (!b.p || !hhmm(a, &from) || !hhmm(b, &to) || from == to)
		return false;
	h->from = from;
	h->to = to;
	return true;
}

enum mamori_err allow_parse_line(struct slice line, struct allow_entry *e,
				 struct strbuf *err)
{
	struct slice head, comment = slice_cut(line, '#', &head);
	struct slice s = slice_trim(head), tok;
	int n = 0;

	memset(e, 0, sizeof(*e));
	e->hours.from = e->hours.to = -1;
	e->hours.days = 0x7f;
	if (comment.p) {
		comment = slice_trim(comment);
		size_t l = comment.len < sizeof(e->label) - 1 ?
			comment.len : sizeof(e->label) - 1;
		memcpy(e->label, comment.p, l);
	}
	if (!s.len)
		return MAMORI_ENOENT;
	bool have_days = false;
	while (s.len) {
		s = slice_cut(s, ' ', &tok);
		tok = slice_trim(tok);
		if (!s.p)
			s = slice_make(NULL, 0);
		s = slice_trim(s);
		if (!tok.len)
			continue;
		if (n++ == 0) {
			if (!netprefix_parse(tok, &e->pfx)) {
				strbuf_addf(err, "'%.*s' is not an address or CIDR prefix",
					    (int)tok.len, tok.p);
				return MAMORI_EPARSE;
			}
		} else if (tok.len >= 9 && tok.p[0] >= '0' && tok.p[0] <= '9') {
			if (!hours_parse_range(tok, &e->hours)) {
				strbuf_addf(err, "'%.*s' is not HH:MM-HH:MM",
					    (int)tok.len, tok.p);
				return MAMORI_EPARSE;
			}
			e->has_hours = true;
		} else if (!have_days && hours_parse_days(tok, &e->hours.days)) {
			have_days = true;
			e->has_hours = true;
		} else {
			strbuf_addf(err, "unexpected '%.*s' (want CIDR [HH:MM-HH:MM] [Mon-Fri] [# label])",
				    (int)tok.len, tok.p);
			return MAMORI_EPARSE;
		}
	}
	return MAMORI_OK;
}

/* ---- hash tables of indices -------------------------------------------- */

/* FNV-1a, then MurmurHash3's finaliser so that the low bits (the
 * table index) depend on every byte. Part of the baseline's keys. */
static uint32_t hash_bytes(const void *p, size_t n, uint32_t h)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

/*
 * Tables of a megabyte or more are read at random, a cache line or two
 * per event: they are mapped on their own, aligned to 2 MiB, and the
 * system is asked to back them with 2 MiB pages (madvise), which saves
 * most of the TLB misses and of the page faults. Only a hint: nothing
 * changes when the system says no. Smaller tables come from malloc.
 * Either way the memory is zeroed; table_free() needs the same size.
 */
enum { TABLE_BIG = 1 << 20 };
#define TABLE_PAGE ((size_t)2 << 20)

static size_t table_len(size_t bytes)
{
	return (bytes + TABLE_PAGE - 1) & ~(TABLE_PAGE - 1);
}

static void *table_alloc(size_t bytes)
{
#if defined(MADV_HUGEPAGE) && defined(MAP_ANONYMOUS)
	if (bytes >= TABLE_BIG) {
		size_t len = table_len(bytes);
		char *p = mmap(NULL, len + TABLE_PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return NULL;
		uintptr_t u = ((uintptr_t)p + TABLE_PAGE - 1) & ~(TABLE_PAGE - 1);
		char *q = (char *)u;
		if (q > p)
			munmap(p, (size_t)(q - p));
		if (p + len + TABLE_PAGE > q + len)
			munmap(q + len, (size_t)(p + len + TABLE_PAGE - (q + len)));
		madvise(q, len, MADV_HUGEPAGE);
		return q;
	}
#endif
	return calloc(1, bytes ? bytes : 1);
}

static void table_free(void *p, size_t bytes)
{
	if (!p)
		return;
#if defined(MADV_HUGEPAGE) && defined(MAP_ANONYMOUS)
	if (bytes >= TABLE_BIG) {
		munmap(p, table_len(bytes));
		return;
	}
#endif
	free(p);
}

/*
 * The table hashes: eight bytes a step (murmur3's block step), then
 * murmur3's 64-bit finaliser, whose low bits (the table index) depend
 * on every byte. Nothing printed depends on a hash value.
 */
static inline uint64_t hash_step(uint64_t h, uint64_t w)
{
	w *= 0x87c37b91114253d5ull;
	w = (w << 31) | (w >> 33);
	h ^= w * 0x4cf5ad432745937full;
	return ((h << 27) | (h >> 37)) * 5 + 0x52dce729;
}

static inline uint32_t hash_fin(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return (uint32_t)h;
}

static uint32_t hash_key(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = n, w;

	for (; n >= 8; b += 8, n -= 8) {
		memcpy(&w, b, 8);
		h = hash_step(h, w);
	}
	if (n) {
		w = 0;
		memcpy(&w, b, n);
		h = hash_step(h, w);
	}
	return hash_fin(h);
}

typedef bool (*idx_eq)(const struct audit *a, uint32_t idx, const void *key);

static bool idxmap_grow(struct idxmap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 64;
	struct idxslot *e = table_alloc(ncap * sizeof(*e));
	if (!e)
		return false;
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->e[i].idx)
			continue;
		size_t j = m->e[i].hash & (ncap - 1);
		while (e[j].idx)
			j = (j + 1) & (ncap - 1);
		e[j] = m->e[i];
	}
	table_free(m->e, m->cap * sizeof(*m->e));
	m->e = e;
	m->cap = ncap;
	return true;
}

/* The index for key, or -1; *pos gets the free slot for an insert. */
static long idxmap_find(const struct audit *a, const struct idxmap *m,
			uint32_t h, idx_eq eq, const void *key, size_t *pos)
{
	if (!m->cap) {
		*pos = 0;
		return -1;
	}
	size_t j = h & (m->cap - 1);
	while (m->e[j].idx) {
		if (m->e[j].hash == h && eq(a, m->e[j].idx - 1, key))
			return (long)m->e[j].idx - 1;
		j = (j + 1) & (m->cap - 1);
	}
	*pos = j;
	return -1;
}

static bool idxmap_put(struct idxmap *m, uint32_t h, uint32_t idx)
{
	if ((m->n + 1) * 2 > m->cap && !idxmap_grow(m))
		return false;
	size_t j = h & (m->cap - 1);
	while (m->e[j].idx)
		j = (j + 1) & (m->cap - 1);
	m->e[j].idx = idx + 1;
	m->e[j].hash = h;
	m->n++;
	return true;
}

static void idxmap_release(struct idxmap *m)
{
	table_free(m->e, m->cap * sizeof(*m->e));
	memset(m, 0, sizeof(*m));
}

static bool grow(void **arr, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return true;
	size_t ncap = *cap ? *cap * 2 : 16;
	void *p = table_alloc(ncap * size);
	if (!p)
		return false;
	if (*cap)
		memcpy(p, *arr, *cap * size);
	table_free(*arr, *cap * size);
	*arr = p;
	*cap = ncap;
	return true;
}

/* ---- set-up --------------------------------------------------------------- */

void audit_init(struct audit *a, const struct audit_opts *o)
{
	memset(a, 0, sizeof(*a));
	a->opts = o;
	arena_init(&a->arena, 64 * 1024);
	strbuf_init(&a->read_errors, 0);
	a->first = INT64_MAX;
	a->last = INT64_MIN;
	a->last_dev = -1;
}

void audit_release(struct audit *a)
{
	arena_release(&a->arena);
	table_free(a->acct, a->acct_cap * sizeof(*a->acct));
	table_free(a->src, a->src_cap * sizeof(*a->src));
	table_free(a->pair, a->pair_cap * sizeof(*a->pair));
	table_free(a->acct_key, a->acct_key_cap * sizeof(*a->acct_key));
	table_free(a->src_key, a->src_key_cap * sizeof(*a->src_key));
	table_free(a->pair_key, a->pair_key_cap * sizeof(*a->pair_key));
	table_free(a->dev, a->dev_cap * sizeof(*a->dev));
	table_free(a->find, a->find_cap * sizeof(*a->find));
	free(a->baseline_keys);
	idxmap_release(&a->acct_map);
	idxmap_release(&a->src_map);
	idxmap_release(&a->pair_map);
	idxmap_release(&a->dev_map);
	idxmap_release(&a->find_map);
	idxmap_release(&a->baseline_map);
	strbuf_release(&a->read_errors);
	memset(a, 0, sizeof(*a));
}

static bool ring_init(struct audit *a, struct ring *r, uint32_t cap)
{
	r->cap = cap ? cap : 1;
	r->n = r->head = 0;
	r->t = arena_calloc(&a->arena, r->cap, sizeof(*r->t));
	return r->t != NULL;
}

static void ring_push(struct ring *r, int64_t t)
{
	r->t[r->head] = t;
	r->head = (r->head + 1) % r->cap;
	if (r->n < r->cap)
		r->n++;
}

/* Entries no older than t - window. */
static uint32_t ring_within(const struct ring *r, int64_t t, int64_t window)
{
	uint32_t k = 0;
	for (uint32_t i = 0; i < r->n; i++)
		if (t - r->t[i] <= window)
			k++;
	return k;
}

static int64_t ring_oldest(const struct ring *r)
{
	return r->n < r->cap ? r->t[0] : r->t[r->head];
}

/* ---- tables ---------------------------------------------------------------- */

static bool glob_match(const char *pat, struct slice s)
{
	size_t pl = strlen(pat);
	bool lead = pl && pat[0] == '*', trail = pl > 1 && pat[pl - 1] == '*';
	const char *core = pat + lead;
	size_t cl = pl - lead - trail;
	char low[256];

	if (s.len >= sizeof(low))
		return false;
	for (size_t i = 0; i < s.len; i++)
		low[i] = (char)(s.p[i] >= 'A' && s.p[i] <= 'Z' ? s.p[i] | 0x20 : s.p[i]);
	if (pl == 1 && lead)
		return true;
	if (!lead && !trail)
		return s.len == cl && !memcmp(low, core, cl);
	if (lead && trail)
		return cl <= s.len && memmem(low, s.len, core, cl);
	if (trail)
		return s.len >= cl && !memcmp(low, core, cl);
	return s.len >= cl && !memcmp(low + s.len - cl, core, cl);
}

static bool acct_eq(const struct audit *a, uint32_t i, const void *key)
{
	const struct slice *k = key;
	const struct acct_key *ak = &a->acct_key[i];
	if (ak->len != k->len)
		return false;
	if (k->len <= sizeof(ak->s))
		return vpnlog_same(ak->s, k->p, k->len);
	return slice_eq(a->acct[i].name, *k);
}

static uint32_t account_hash(struct slice name)
{
	return hash_key(name.p, name.len);
}

static int32_t account_get(struct audit *a, struct slice name, uint32_t h)
{
	size_t pos;
	long i = idxmap_find(a, &a->acct_map, h, acct_eq, &name, &pos);
	if (i >= 0)
		return (int32_t)i;
	if (!grow((void **)&a->acct, &a->acct_cap, a->nacct, sizeof(*a->acct)) ||
	    !grow((void **)&a->acct_key, &a->acct_key_cap, a->nacct,
		  sizeof(*a->acct_key)))
		return -1;
	struct acct_key *ak = &a->acct_key[a->nacct];
	memset(ak, 0, sizeof(*ak));
	ak->len = (uint32_t)name.len;
	if (name.len <= sizeof(ak->s) && name.len)
		memcpy(ak->s, name.p, name.len);
	struct account *ac = &a->acct[a->nacct];
	memset(ac, 0, sizeof(*ac));
	ac->name = arena_slice_dup(&a->arena, name);
	if (!ac->name.p || !idxmap_put(&a->acct_map, h, (uint32_t)a->nacct))
		return -1;
	ac->first = INT64_MAX;
	ac->last = INT64_MIN;
	for (int k = 0; k < 8; k++)
		ac->sess_src[k] = -1;
	for (size_t k = 0; k < a->opts->nshared; k++)
		if (glob_match(a->opts->shared[k], name))
			ac->shared = true;
	return (int32_t)a->nacct++;
}

static bool src_eq(const struct audit *a, uint32_t i, const void *key)
{
	uint64_t x[2], y[2];
	memcpy(x, a->src_key[i].b, 16);
	memcpy(y, key, 16);
	return x[0] == y[0] && x[1] == y[1];
}

static int8_t allowed_addr(const struct audit *a, const struct netaddr *ad)
{
	if (!a->opts->has_allow)
		return -1;
	for (size_t i = 0; i < a->opts->nallow; i++)
		if (netprefix_contains(&a->opts->allow[i].pfx, ad))
			return 1;
	return 0;
}

static uint32_t source_hash(const struct netaddr *ad)
{
	return hash_key(ad->b, 16);
}

static int32_t source_get(struct audit *a, const struct netaddr *ad,
			  uint32_t h)
{
	size_t pos;
	long i = idxmap_find(a, &a->src_map, h, src_eq, ad, &pos);
	if (i >= 0)
		return (int32_t)i;
	if (!grow((void **)&a->src, &a->src_cap, a->nsrc, sizeof(*a->src)) ||
	    !grow((void **)&a->src_key, &a->src_key_cap, a->nsrc,
		  sizeof(*a->src_key)))
		return -1;
	a->src_key[a->nsrc] = *ad;
	struct source *s = &a->src[a->nsrc];
	const struct audit_opts *o = a->opts;
	memset(s, 0, sizeof(*s));
	s->addr = *ad;
	s->first = INT64_MAX;
	s->last = INT64_MIN;
	s->allowed = allowed_addr(a, ad);
	s->spray_acct = arena_calloc(&a->arena, o->spray_users + 1,
				     sizeof(*s->spray_acct));
	s->spray_t = arena_calloc(&a->arena, o->spray_users + 1,
				  sizeof(*s->spray_t));
	if (!ring_init(a, &s->fails, o->bf_count) ||
	    !ring_init(a, &s->anon, o->saf_count) || !s->spray_acct ||
	    !s->spray_t || !idxmap_put(&a->src_map, h, (uint32_t)a->nsrc))
		return -1;
	return (int32_t)a->nsrc++;
}

static bool pair_eq(const struct audit *a, uint32_t i, const void *key)
{
	const struct pair_key *k = key;
	return a->pair_key[i].acct == k->acct && a->pair_key[i].src == k->src;
}

static uint32_t pair_hash(int32_t acct, int32_t src)
{
	return hash_fin(hash_step(8, (uint64_t)(uint32_t)acct << 32 |
				     (uint32_t)src));
}

static int32_t pair_get(struct audit *a, int32_t acct, int32_t src)
{
	struct pair_key k = { acct, src };
	uint32_t h = pair_hash(acct, src);
	size_t pos;
	long i = idxmap_find(a, &a->pair_map, h, pair_eq, &k, &pos);
	if (i >= 0)
		return (int32_t)i;
	if (!grow((void **)&a->pair, &a->pair_cap, a->npair, sizeof(*a->pair)) ||
	    !grow((void **)&a->pair_key, &a->pair_key_cap, a->npair,
		  sizeof(*a->pair_key)))
		return -1;
	a->pair_key[a->npair] = k;
	struct pair *p = &a->pair[a->npair];
	memset(p, 0, sizeof(*p));
	p->acct = acct;
	p->src = src;
	p->first = INT64_MAX;
	p->last = INT64_MIN;
	/* the failure ring is made on the pair's first failure */
	if (!idxmap_put(&a->pair_map, h, (uint32_t)a->npair))
		return -1;
	return (int32_t)a->npair++;
}

static bool dev_eq(const struct audit *a, uint32_t i, const void *key)
{
	return slice_eq(a->dev[i].name, *(const struct slice *)key);
}

static int32_t device_get(struct audit *a, struct slice name)
{
	uint32_t h = hash_key(name.p, name.len);
	size_t pos;
	long i = idxmap_find(a, &a->dev_map, h, dev_eq, &name, &pos);
	if (i >= 0)
		return (int32_t)i;
	if (!grow((void **)&a->dev, &a->dev_cap, a->ndev, sizeof(*a->dev)))
		return -1;
	struct device *d = &a->dev[a->ndev];
	memset(d, 0, sizeof(*d));
	d->name = arena_slice_dup(&a->arena, name);
	d->first = INT64_MAX;
	d->last = INT64_MIN;
	if (!d->name.p || !idxmap_put(&a->dev_map, h, (uint32_t)a->ndev))
		return -1;
	return (int32_t)a->ndev++;
}

/* ---- baseline ---------------------------------------------------------------- */

enum { BKEY = 20 };

static void baseline_key(struct slice user, const struct netaddr *src,
			 uint8_t key[BKEY])
{
	uint32_t h = hash_bytes(user.p, user.len, 2166136261u);
	memcpy(key, &h, 4);
	memcpy(key + 4, src->b, 16);
}

static bool base_eq(const struct audit *a, uint32_t i, const void *key)
{
	return !memcmp(a->baseline_keys + (size_t)i * BKEY, key, BKEY);
}

static bool baseline_has(const struct audit *a, struct slice user,
			 const struct netaddr *src)
{
	uint8_t key[BKEY];
	size_t pos;
	baseline_key(user, src, key);
	return idxmap_find(a, &a->baseline_map, hash_bytes(key, BKEY, 1),
			   base_eq, key, &pos) >= 0;
}

enum mamori_err audit_baseline_add(struct audit *a, struct slice user,
				   const struct netaddr *src)
{
	uint8_t key[BKEY];
	a->has_baseline = true;
	if (baseline_has(a, user, src))
		return MAMORI_OK;
	baseline_key(user, src, key);
	if (a->nbaseline == a->baseline_cap) {
		size_t ncap = a->baseline_cap ? a->baseline_cap * 2 : 64;
		uint8_t *p = realloc(a->baseline_keys, ncap * BKEY);
		if (!p)
			return MAMORI_ENOMEM;
		a->baseline_keys = p;
		a->baseline_cap = ncap;
	}
	memcpy(a->baseline_keys + a->nbaseline * BKEY, key, BKEY);
	if (!idxmap_put(&a->baseline_map, hash_bytes(key, BKEY, 1),
			(uint32_t)a->nbaseline))
		return MAMORI_ENOMEM;
	a->nbaseline++;
	return MAMORI_OK;
}

/* ---- findings -------------------------------------------------------------------- */

struct find_key {
	int32_t kind, src, acct;
};

static bool find_eq(const struct audit *a, uint32_t i, const void *key)
{
	const struct find_key *k = key;
	const struct finding *f = &a->find[i];
	return (int32_t)f->kind == k->kind && f->src == k->src &&
	       f->acct == k->acct;
}

static int64_t episode_window(const struct audit *a, enum finding_kind k)
{
	switch (k) {
	case FIND_BRUTE_FORCE:
		return a->opts->bf_window;
	case FIND_PASSWORD_SPRAY:
		return a->opts->spray_window;
	case FIND_SUCCESS_AFTER_FAILURES:
		return a->opts->saf_window;
	default:
		return INT64_MAX;
	}
}

static uint32_t find_hash(enum finding_kind kind, int32_t src, int32_t acct)
{
	return hash_fin(hash_step(hash_step(12, (uint32_t)kind),
				  (uint64_t)(uint32_t)src << 32 |
				  (uint32_t)acct));
}

/*
 * The finding of this kind for (src, acct): the current episode when the
 * last one ended within the kind's window, else a new one. NULL when the
 * table is full (counted in find_dropped) or memory ran out.
 */
static struct finding *finding_at(struct audit *a, enum finding_kind kind,
				  enum audit_sev sev, int32_t src, int32_t acct,
				  int64_t t, bool *fresh)
{
	struct find_key k = { (int32_t)kind, src, acct };
	uint32_t h = find_hash(kind, src, acct);
	size_t pos;
	long i = kind == FIND_LOG_GAP ? -1 :
		idxmap_find(a, &a->find_map, h, find_eq, &k, &pos);

	*fresh = false;
	if (i >= 0) {
		struct finding *f = &a->find[i];
		int64_t w = episode_window(a, kind);
		if (w == INT64_MAX || t - f->last <= w) {
			if (t > f->last)
				f->last = t;
			if (t < f->first)
				f->first = t;
			if (sev > f->sev)
				f->sev = sev;
			return f;
		}
		/* a new episode: the old one stays, the key moves on */
	}
	if (a->nfind >= a->opts->max_findings) {
		a->find_dropped++;
		return NULL;
	}
	if (!grow((void **)&a->find, &a->find_cap, a->nfind, sizeof(*a->find))) {
		a->err = MAMORI_ENOMEM;
		return NULL;
	}
	struct finding *f = &a->find[a->nfind];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->sev = sev;
	f->src = src;
	f->acct = acct;
	f->other = -1;
	f->first = f->last = t;
	if (kind != FIND_LOG_GAP) {
		if (i >= 0) {
			/* repoint the key's slot at the new episode */
			size_t j = h & (a->find_map.cap - 1);
			while (a->find_map.e[j].idx != (uint32_t)i + 1)
				j = (j + 1) & (a->find_map.cap - 1);
			a->find_map.e[j].idx = (uint32_t)a->nfind + 1;
		} else if (!idxmap_put(&a->find_map, h, (uint32_t)a->nfind)) {
			a->err = MAMORI_ENOMEM;
			return NULL;
		}
	}
	a->nfind++;
	*fresh = true;
	return f;
}

/* ---- the detectors --------------------------------------------------------------- */

static bool in_hours(const struct audit *a, const struct hours *h, int64_t t)
{
	int64_t lt = t + (int64_t)a->opts->log.tz_min * 60;
	int64_t days = lt >= 0 ? lt / 86400 : (lt - 86399) / 86400;
	int min = (int)((lt - days * 86400) / 60);
	unsigned wd = etime_weekday(days);

	if (h->from < 0)
		return (h->days >> wd) & 1;
	if (h->from < h->to)
		return ((h->days >> wd) & 1) && min >= h->from && min < h->to;
	/* overnight window, e.g. 22:00-06:00: the day is the start's */
	if (min >= h->from)
		return (h->days >> wd) & 1;
	if (min < h->to)
		return (h->days >> ((wd + 6) % 7)) & 1;
	return false;
}

/* true when a success at t from ad is outside every agreed window. */
static bool off_hours(const struct audit *a, const struct netaddr *ad,
		      int64_t t)
{
	const struct audit_opts *o = a->opts;
	bool matched = false;

	for (size_t i = 0; i < o->nallow; i++) {
		const struct allow_entry *e = &o->allow[i];
		if (!netprefix_contains(&e->pfx, ad))
			continue;
		matched = true;
		if (e->has_hours) {
			if (in_hours(a, &e->hours, t))
				return false;
		} else if (!o->has_default_hours ||
			   in_hours(a, &o->default_hours, t)) {
			return false;
		}
	}
	if (matched)
		return true;
	return o->has_default_hours && !in_hours(a, &o->default_hours, t);
}

static void spray_note(struct audit *a, int32_t si, int32_t ai, int64_t t)
{
	struct source *s = &a->src[si];
	const struct audit_opts *o = a->opts;
	uint32_t n = 0;

	/* drop old entries and this account's previous entry */
	for (uint32_t i = 0; i < s->spray_n; i++)
		if (t - s->spray_t[i] <= o->spray_window &&
		    s->spray_acct[i] != ai) {
			s->spray_acct[n] = s->spray_acct[i];
			s->spray_t[n++] = s->spray_t[i];
		}
	if (n == o->spray_users + 1) {
		/* full: forget the oldest to make room */
		memmove(s->spray_acct, s->spray_acct + 1, (n - 1) * sizeof(int32_t));
		memmove(s->spray_t, s->spray_t + 1, (n - 1) * sizeof(int64_t));
		n--;
	}
	s->spray_acct[n] = ai;
	s->spray_t[n++] = t;
	s->spray_n = n;
	if (n > o->spray_users) {
		bool fresh;
		struct finding *f = finding_at(a, FIND_PASSWORD_SPRAY, ASEV_HIGH,
					       si, -1, t, &fresh);
		if (f) {
			if (fresh) {
				f->first = s->spray_t[0];
				f->count = n;
			} else {
				f->count++;
			}
			if (n > f->aux)
				f->aux = n;
		}
	}
}

static void session_open(struct audit *a, int32_t ai, int32_t si, int64_t t)
{
	struct account *ac = &a->acct[ai];
	int freeslot = -1, oldest = 0;

	for (int k = 0; k < 8; k++) {
		if (ac->sess_src[k] >= 0 &&
		    t - ac->sess_start[k] > (int64_t)a->opts->session_max)
			ac->sess_src[k] = -1;
		if (ac->sess_src[k] < 0) {
			if (freeslot < 0)
				freeslot = k;
			continue;
		}
		if (ac->sess_start[k] < ac->sess_start[oldest])
			oldest = k;
		if (ac->sess_src[k] == si) {
			ac->sess_start[k] = t;
			return;
		}
	}
	for (int k = 0; k < 8; k++) {
		if (ac->sess_src[k] < 0 || ac->sess_src[k] == si)
			continue;
		bool fresh;
		struct finding *f = finding_at(a, FIND_CONCURRENT_SESSIONS,
					       ASEV_MEDIUM, si, ai, t, &fresh);
		if (f) {
			f->count++;
			if (fresh) {
				f->other = ac->sess_src[k];
				f->first = ac->sess_start[k];
			}
		}
		break;
	}
	int slot = freeslot >= 0 ? freeslot : oldest;
	ac->sess_src[slot] = si;
	ac->sess_start[slot] = t;
}

static void session_close(struct audit *a, int32_t ai, int32_t si)
{
	struct account *ac = &a->acct[ai];
	for (int k = 0; k < 8; k++)
		if (ac->sess_src[k] >= 0 && (si < 0 || ac->sess_src[k] == si)) {
			ac->sess_src[k] = -1;
			return;
		}
}

static bool masked_user(struct slice u)
{
	if (!u.len)
		return true;
	for (size_t i = 0; i < u.len; i++)
		if (u.p[i] != '*')
			return false;
	return true;
}

static void touch(int64_t *first, int64_t *last, int64_t t)
{
	if (t < *first)
		*first = t;
	if (t > *last)
		*last = t;
}

/*
 * What can be looked up before an event's turn: the hashes of its keys
 * and the indices of the account and source when they exist already
 * (-1: absent or none). Tables only grow, so an index found stays valid.
 */
struct pre {
	uint32_t ha, hs, hp, hf;
	int32_t ai, si, pi;
	bool acct, src;		/* the event has an account, a source */
	bool success;		/* a success: its account's sessions may be
				 * concurrent (hf: that finding's hash) */
};

static void pre_hash(const struct audit *a, const struct vpn_event *ev,
		     struct pre *p)
{
	p->acct = !masked_user(ev->user);
	p->src = ev->has_src;
	p->success = ev->outcome == VPN_SUCCESS;
	p->ai = p->si = p->pi = -1;
	if (p->acct) {
		p->ha = account_hash(ev->user);
		if (a->acct_map.cap)
			__builtin_prefetch(&a->acct_map.e[p->ha &
						(a->acct_map.cap - 1)]);
	}
	if (p->src) {
		p->hs = source_hash(&ev->src);
		if (a->src_map.cap)
			__builtin_prefetch(&a->src_map.e[p->hs &
						(a->src_map.cap - 1)]);
	}
}

/* Every cache line of size bytes at p (records are not aligned to
 * lines: one of 64 bytes spans two). */
static inline void prefetch_range(const void *p, size_t size)
{
	uintptr_t a = (uintptr_t)p & ~(uintptr_t)63, e = (uintptr_t)p + size;
	for (; a < e; a += 64)
		__builtin_prefetch((const void *)a);
}

/* The entry the slot of hash h most likely names: fetch its key and
 * record into the cache. */
static void pre_guess(const struct idxmap *m, uint32_t h, const void *key,
		      size_t key_size, const void *rec, size_t rec_size)
{
	if (!m->cap)
		return;
	for (size_t j = h & (m->cap - 1); m->e[j].idx;
	     j = (j + 1) & (m->cap - 1))
		if (m->e[j].hash == h) {
			size_t i = m->e[j].idx - 1;
			__builtin_prefetch((const char *)key + i * key_size);
			prefetch_range((const char *)rec + i * rec_size, rec_size);
			return;
		}
}

static void pre_slots(const struct audit *a, const struct pre *p)
{
	if (p->acct)
		pre_guess(&a->acct_map, p->ha, a->acct_key,
			  sizeof(*a->acct_key), a->acct, sizeof(*a->acct));
	if (p->src)
		pre_guess(&a->src_map, p->hs, a->src_key, sizeof(*a->src_key),
			  a->src, sizeof(*a->src));
}

static void pre_find(const struct audit *a, const struct vpn_event *ev,
		     struct pre *p)
{
	size_t pos;

	if (p->acct) {
		p->ai = (int32_t)idxmap_find(a, &a->acct_map, p->ha, acct_eq,
					     &ev->user, &pos);
		if (p->ai >= 0)
			prefetch_range(&a->acct[p->ai], sizeof(*a->acct));
	}
	if (p->src) {
		p->si = (int32_t)idxmap_find(a, &a->src_map, p->hs, src_eq,
					     &ev->src, &pos);
		if (p->si >= 0) {
			const struct source *s = &a->src[p->si];
			prefetch_range(s, sizeof(*s));
		}
	}
	if (p->ai >= 0 && p->si >= 0) {
		p->hp = pair_hash(p->ai, p->si);
		if (a->pair_map.cap)
			__builtin_prefetch(&a->pair_map.e[p->hp &
						  (a->pair_map.cap - 1)]);
	}
}

/* The pair the slot most likely names: its key and record. */
static void pre_pair_slot(const struct audit *a, struct pre *p)
{
	if (p->ai < 0 || p->si < 0)
		return;
	pre_guess(&a->pair_map, p->hp, a->pair_key, sizeof(*a->pair_key),
		  a->pair, sizeof(*a->pair));
	/* the slot of the concurrent-session finding a success may update */
	p->success = p->success && a->find_map.cap;
	if (p->success) {
		p->hf = find_hash(FIND_CONCURRENT_SESSIONS, p->si, p->ai);
		__builtin_prefetch(&a->find_map.e[p->hf &
						  (a->find_map.cap - 1)]);
	}
}

static void pre_pair(const struct audit *a, struct pre *p)
{
	size_t pos;

	if (p->si >= 0) {
		const struct source *s = &a->src[p->si];
		__builtin_prefetch(s->fails.t);
		__builtin_prefetch(s->spray_t);
		__builtin_prefetch(s->anon.t);
	}
	if (p->ai < 0 || p->si < 0)
		return;
	if (p->success)
		pre_guess(&a->find_map, p->hf, a->find, sizeof(*a->find),
			  a->find, sizeof(*a->find));
	struct pair_key k = { p->ai, p->si };
	p->pi = (int32_t)idxmap_find(a, &a->pair_map, p->hp, pair_eq, &k,
				     &pos);
	if (p->pi >= 0 && a->pair[p->pi].fails.t)
		__builtin_prefetch(a->pair[p->pi].fails.t);
}

static void event_pre(struct audit *a, const struct vpn_event *ev,
		      const struct pre *pr);

void audit_event(struct audit *a, const struct vpn_event *ev)
{
	struct pre p;
	pre_hash(a, ev, &p);
	event_pre(a, ev, &p);
}

void audit_events(struct audit *a, const struct vpn_event *ev, size_t n)
{
	enum { D = 4, RING = 32 };
	struct pre p[RING];

	/* hash event i + 5D's keys and fetch their slots, fetch the
	 * entries the slots of i + 4D name, find i + 3D's account and
	 * source and fetch their pair's slot, fetch the pair that slot of
	 * i + 2D names, find i + D's pair and fetch its failures, while
	 * event i is counted: the cache misses of tables larger than the
	 * cache overlap */
	for (size_t i = 0; i < n + 5 * D; i++) {
		if (i < n)
			pre_hash(a, &ev[i], &p[i % RING]);
		if (i >= D && i - D < n)
			pre_slots(a, &p[(i - D) % RING]);
		if (i >= 2 * D && i - 2 * D < n)
			pre_find(a, &ev[i - 2 * D], &p[(i - 2 * D) % RING]);
		if (i >= 3 * D && i - 3 * D < n)
			pre_pair_slot(a, &p[(i - 3 * D) % RING]);
		if (i >= 4 * D && i - 4 * D < n)
			pre_pair(a, &p[(i - 4 * D) % RING]);
		if (i >= 5 * D)
			event_pre(a, &ev[i - 5 * D], &p[(i - 5 * D) % RING]);
	}
}

static void event_pre(struct audit *a, const struct vpn_event *ev,
		      const struct pre *pr)
{
	const struct audit_opts *o = a->opts;
	int64_t t = ev->time;
	int32_t ai = -1, si = -1, pi = -1, di;
	bool fresh;
	struct finding *f;

	if (a->err)
		return;
	a->outcomes[ev->outcome]++;
	touch(&a->first, &a->last, t);

	/* a log holds one or a few devices: try the previous one first */
	if (a->last_dev >= 0 &&
	    a->dev[a->last_dev].name.len == ev->device.len &&
	    vpnlog_same(a->dev[a->last_dev].name.p, ev->device.p,
			ev->device.len))
		di = a->last_dev;
	else if ((di = device_get(a, ev->device)) < 0)
		goto oom;
	a->last_dev = di;
	struct device *d = &a->dev[di];
	if (d->events && t - d->last > (int64_t)o->max_gap) {
		f = finding_at(a, FIND_LOG_GAP, ASEV_MEDIUM, -1, -1, t, &fresh);
		if (f) {
			f->first = d->last;
			f->last = t;
			f->count = 1;
			f->other = di;
		}
	}
	d->events++;
	touch(&d->first, &d->last, t);

	if (pr->acct && (ai = pr->ai >= 0 ? pr->ai :
			 account_get(a, ev->user, pr->ha)) < 0)
		goto oom;
	if (pr->src && (si = pr->si >= 0 ? pr->si :
			source_get(a, &ev->src, pr->hs)) < 0)
		goto oom;
	if (ai >= 0 && si >= 0 && (pi = pr->pi >= 0 ? pr->pi :
				   pair_get(a, ai, si)) < 0)
		goto oom;

	struct account *ac = ai >= 0 ? &a->acct[ai] : NULL;
	struct source *s = si >= 0 ? &a->src[si] : NULL;
	struct pair *p = pi >= 0 ? &a->pair[pi] : NULL;
	if (ac)
		touch(&ac->first, &ac->last, t);
	if (s)
		touch(&s->first, &s->last, t);
	if (p) {
		if (!p->successes && !p->failures && s)
			s->users++;
		touch(&p->first, &p->last, t);
	}

	switch (ev->outcome) {
	case VPN_FAILURE:
		if (ac)
			ac->failures++;
		if (p)
			p->failures++;
		if (!s)
			break;
		s->failures++;
		if (p && !p->fails.t && !ring_init(a, &p->fails, o->saf_count))
			goto oom;
		if (p)
			ring_push(&p->fails, t);
		else
			ring_push(&s->anon, t);
		ring_push(&s->fails, t);
		if (s->fails.n >= o->bf_count &&
		    t - ring_oldest(&s->fails) <= (int64_t)o->bf_window) {
			f = finding_at(a, FIND_BRUTE_FORCE, ASEV_HIGH, si, -1, t,
				       &fresh);
			if (f) {
				if (fresh) {
					f->first = ring_oldest(&s->fails);
					f->count = o->bf_count;
				} else {
					f->count++;
				}
			}
		}
		if (ai >= 0)
			spray_note(a, si, ai, t);
		if (s->allowed == 0) {
			f = finding_at(a, FIND_OUTSIDE_ALLOWLIST, ASEV_LOW, si, -1,
				       t, &fresh);
			if (f)
				f->count++;
		}
		break;
	case VPN_SUCCESS:
		if (ac)
			ac->successes++;
		if (p)
			p->successes++;
		if (s)
			s->successes++;
		if (p) {
			uint32_t n = (p->fails.t ? ring_within(&p->fails, t,
							       o->saf_window) : 0) +
				     ring_within(&s->anon, t, o->saf_window);
			if (n >= o->saf_count) {
				f = finding_at(a, FIND_SUCCESS_AFTER_FAILURES,
					       ASEV_HIGH, si, ai, t, &fresh);
				if (f)
					f->count += n;
				p->fails.n = p->fails.head = 0;
				s->anon.n = s->anon.head = 0;
			}
		}
		if (s && s->allowed == 0) {
			f = finding_at(a, FIND_OUTSIDE_ALLOWLIST, ASEV_CRITICAL,
				       si, ai, t, &fresh);
			if (f)
				f->count++;
		}
		if (s && off_hours(a, &s->addr, t)) {
			f = finding_at(a, FIND_OFF_HOURS, ASEV_MEDIUM, si, ai, t,
				       &fresh);
			if (f)
				f->count++;
		} else if (!s && o->has_default_hours &&
			   !in_hours(a, &o->default_hours, t)) {
			f = finding_at(a, FIND_OFF_HOURS, ASEV_MEDIUM, -1, ai, t,
				       &fresh);
			if (f)
				f->count++;
		}
		if (ac && ac->shared) {
			f = finding_at(a, FIND_SHARED_ACCOUNT, ASEV_MEDIUM, -1, ai,
				       t, &fresh);
			if (f)
				f->count++;
		}
		if (p && a->has_baseline &&
		    !baseline_has(a, ac->name, &s->addr)) {
			f = finding_at(a, FIND_FIRST_SEEN_SOURCE, ASEV_MEDIUM, si,
				       ai, t, &fresh);
			if (f)
				f->count++;
		}
		if (ac && s)
			session_open(a, ai, si, t);
		break;
	case VPN_LOGOUT:
		if (ac)
			ac->logouts++;
		if (s)
			s->logouts++;
		if (ac)
			session_close(a, ai, si);
		break;
	default:
		break;
	}
	return;
oom:
	a->err = MAMORI_ENOMEM;
}

static int find_cmp(const void *x, const void *y)
{
	const struct finding *a = x, *b = y;
	if (a->sev != b->sev)
		return a->sev > b->sev ? -1 : 1;
	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->src != b->src)
		return a->src < b->src ? -1 : 1;
	return a->acct < b->acct ? -1 : a->acct > b->acct;
}

void audit_finish(struct audit *a)
{
	if (a->nfind)
		qsort(a->find, a->nfind, sizeof(*a->find), find_cmp);
	/* the key map points at pre-sort positions: it is no longer valid */
	idxmap_release(&a->find_map);
}

size_t audit_reported(const struct audit *a)
{
	size_t n = 0;
	for (size_t i = 0; i < a->nfind; i++)
		if (a->find[i].sev >= a->opts->min_severity)
			n++;
	return n;
}
