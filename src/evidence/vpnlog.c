/*
 * vpnlog.c - one parser per VPN gateway log format (see vpnlog.h and
 * docs/vpnlog.md). Parsers work on slices with memchr/memmem and fixed
 * offsets; they never allocate and never read outside the line.
 */
#include "evidence/vpnlog.h"

#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "evidence/etime.h"
#include "util/num.h"
#include "util/banned.h"

static const char *const format_names[VPN_FMT__MAX] = {
	[VPN_FMT_FORTIGATE] = "fortigate",
	[VPN_FMT_ASA] = "asa",
	[VPN_FMT_PULSE] = "pulse",
	[VPN_FMT_GLOBALPROTECT] = "globalprotect",
	[VPN_FMT_SONICWALL] = "sonicwall",
	[VPN_FMT_NETSCALER] = "netscaler",
	[VPN_FMT_OPENVPN] = "openvpn",
	[VPN_FMT_STRONGSWAN] = "strongswan",
	[VPN_FMT_NPS] = "nps",
};

static const char *const outcome_names[VPN_OUTCOME__MAX] = {
	[VPN_SUCCESS] = "success",
	[VPN_FAILURE] = "failure",
	[VPN_LOGOUT] = "logout",
};

const char *vpn_format_name(enum vpn_format f)
{
	return (unsigned)f < VPN_FMT__MAX ? format_names[f] : NULL;
}

int vpn_format_parse(const char *s)
{
	if (!strcmp(s, "auto"))
		return VPN_FMT_AUTO;
	for (int i = 0; i < VPN_FMT__MAX; i++)
		if (!strcmp(s, format_names[i]))
			return i;
	return -1;
}

const char *vpn_outcome_name(enum vpn_outcome o)
{
	return (unsigned)o < VPN_OUTCOME__MAX ? outcome_names[o] : "?";
}

/* ---- small slice helpers ---------------------------------------- */

static const char *find(struct slice s, const char *lit)
{
	size_t n = strlen(lit);
	if (s.len < n)
		return NULL;
	return memmem(s.p, s.len, lit, n);
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c | 0x20 : c;
}

/* Case-insensitive search for a lower-case literal. */
static bool find_ci(struct slice s, const char *lit)
{
	size_t n = strlen(lit);
	for (size_t i = 0; i + n <= s.len; i++) {
		size_t j = 0;
		while (j < n && lower((unsigned char)s.p[i + j]) == lit[j])
			j++;
		if (j == n)
			return true;
	}
	return false;
}

static struct slice from_to(const char *a, const char *b)
{
	return slice_make(a, (size_t)(b - a));
}

/* One past the last byte; NULL for the empty slice without storage. */
static const char *end_of(struct slice s)
{
	return s.p ? s.p + s.len : NULL;
}

/* The text after lit up to the first byte in stops (or the end). */
static struct slice field_after(struct slice s, const char *lit,
				const char *stops)
{
	const char *p = find(s, lit), *e = end_of(s), *q;
	if (!p)
		return slice_make(NULL, 0);
	p += strlen(lit);
	for (q = p; q < e && !strchr(stops, *q); q++)
		;
	return from_to(p, q);
}

/* The text after lit up to the literal stop (or the end). */
static struct slice field_until(struct slice s, const char *lit,
				const char *stop)
{
	const char *p = find(s, lit), *q;
	if (!p)
		return slice_make(NULL, 0);
	p += strlen(lit);
	q = find(from_to(p, end_of(s)), stop);
	return from_to(p, q ? q : end_of(s));
}

/* "text in quotes" ... -> text in quotes; word ... -> word */
static struct slice quoted_or_word(struct slice s)
{
	struct slice head;
	s = slice_trim(s);
	if (s.len && s.p[0] == '"') {
		slice_cut(slice_make(s.p + 1, s.len - 1), '"', &head);
		return head;
	}
	slice_cut(s, ' ', &head);
	return head;
}

/* "ip:port" or "[ip]:port" or "ip" (IPv6 with a trailing :port too). */
static bool addr_port(struct slice s, struct netaddr *out)
{
	if (s.len && s.p[0] == '[') {
		struct slice head;
		slice_cut(slice_make(s.p + 1, s.len - 1), ']', &head);
		return netaddr_parse(head, out);
	}
	if (netaddr_parse(s, out) && netaddr_is_v4(out))
		return true;
	for (size_t i = s.len; i > 0; i--)
		if (s.p[i - 1] == ':')
			return netaddr_parse(slice_make(s.p, i - 1), out) ||
			       netaddr_parse(s, out);
	return netaddr_parse(s, out);
}

/* ---- syslog header ------------------------------------------------ */

struct syshead {
	int64_t time;
	bool has_time;
	struct slice host;	/* may be empty */
	struct slice rest;	/* after the header */
};

static struct slice skip_pri(struct slice s)
{
	if (s.len > 2 && s.p[0] == '<') {
		size_t i = 1;
		while (i < s.len && i < 5 && s.p[i] >= '0' && s.p[i] <= '9')
			i++;
		if (i > 1 && i < s.len && s.p[i] == '>') {
			s.p += i + 1;
			s.len -= i + 1;
			if (s.len > 2 && s.p[0] == '1' && s.p[1] == ' ') {
				s.p += 2;	/* RFC 5424 version */
				s.len -= 2;
			}
		}
	}
	return s;
}

/* "Mmm dd [yyyy ]hh:mm:ss"; returns bytes consumed or 0. */
static size_t bsd_time(const struct vpnlog_opts *o, struct slice s,
		       int64_t *t)
{
	unsigned mo, d, y, h, mi, se;
	size_t i;

	if (s.len < 15 || !(mo = etime_month(s.p)) || s.p[3] != ' ')
		return 0;
	if (s.p[4] == ' ') {
		if (!etime_digits(s.p + 5, 1, &d))
			return 0;
	} else if (!etime_digits(s.p + 4, 2, &d)) {
		return 0;
	}
	i = 6;
	if (s.p[i] != ' ')
		return 0;
	i++;
	y = (unsigned)o->year;
	if (s.len >= i + 13 && etime_digits(s.p + i, 4, &y) &&
	    s.p[i + 4] == ' ')
		i += 5;
	else
		y = (unsigned)o->year;
	if (s.len < i + 8 || !etime_digits(s.p + i, 2, &h) ||
	    s.p[i + 2] != ':' || !etime_digits(s.p + i + 3, 2, &mi) ||
	    s.p[i + 5] != ':' || !etime_digits(s.p + i + 6, 2, &se))
		return 0;
	i += 8;
	if (!etime_make(y, mo, d, h, mi, se, t))
		return 0;
	*t -= (int64_t)o->tz_min * 60;
	return i;
}

static bool is_word(char c)
{
	return c != ' ' && c != ':' && c != '\t';
}

static void syslog_head(const struct vpnlog_opts *o, struct slice line,
			struct syshead *h)
{
	struct slice s = skip_pri(line);
	size_t n;

	h->has_time = false;
	h->host = slice_make(NULL, 0);
	h->rest = s;
	n = etime_parse_iso(s, o->tz_min, &h->time);
	if (!n)
		n = bsd_time(o, s, &h->time);
	if (!n)
		return;
	h->has_time = true;
	if (n < s.len && s.p[n] == ':')
		n++;
	while (n < s.len && s.p[n] == ' ')
		n++;
	size_t hs = n;
	while (n < s.len && is_word(s.p[n]))
		n++;
	h->host = slice_make(s.p + hs, n - hs);
	while (n < s.len && (s.p[n] == ' ' || s.p[n] == ':'))
		n++;
	h->rest = slice_make(s.p + n, s.len - n);
}

/* ---- key=value lines (FortiGate, SonicWall) ----------------------- */

struct kv_iter {
	const char *p, *end;
	bool truncated;		/* a quoted value had no closing quote */
};

/*
 * Token ends: the first byte equal to a or b, sixteen bytes at a time
 * with SSE2, then eight at a time (little-endian machines), then byte by
 * byte; never reading past end. A word's lowest byte found by the
 * zero-byte test is exact, so the position is too.
 */
#define SWAR_ONES 0x0101010101010101ull
#define SWAR_HIGH 0x8080808080808080ull

static inline uint64_t swar_zero(uint64_t v)
{
	return (v - SWAR_ONES) & ~v & SWAR_HIGH;
}

static inline __attribute__((always_inline))
const char *scan_to(const char *p, const char *end, char a, char b)
{
#if defined(__SSE2__)
	const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b);
	while (end - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
			_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)));
		if (m)
			return p + __builtin_ctz(m);
		p += 16;
	}
#endif
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t ma = SWAR_ONES * (unsigned char)a,
		       mb = SWAR_ONES * (unsigned char)b;
	while (end - p >= 8) {
		uint64_t v;
		memcpy(&v, p, 8);
		uint64_t m = swar_zero(v ^ ma) | swar_zero(v ^ mb);
		if (m)
			return p + (__builtin_ctzll(m) >> 3);
		p += 8;
	}
#endif
	while (p < end && *p != a && *p != b)
		p++;
	return p;
}

/* The value at *pp (just after '='): "quoted" (with \" inside) or up to
 * a space; *pp moves past it. */
static inline __attribute__((always_inline))
struct slice kv_value(const char **pp, const char *end, bool *truncated)
{
	const char *p = *pp;
	struct slice v;

	if (p < end && *p == '"') {
		const char *vs = ++p;
		for (;;) {
			const char *q = scan_to(p, end, '"', '"');
			if (q >= end) {
				v = from_to(vs, end);
				p = end;
				*truncated = true;
				break;
			}
			if (q[-1] == '\\' && q > vs) {
				p = q + 1;
				continue;
			}
			v = from_to(vs, q);
			p = q + 1;
			break;
		}
	} else {
		const char *vs = p;
		p = scan_to(p, end, ' ', ' ');
		v = from_to(vs, p);
	}
	*pp = p;
	return v;
}

static inline __attribute__((always_inline))
bool kv_next(struct kv_iter *it, struct slice *k, struct slice *v)
{
	const char *p = it->p, *end = it->end;

	for (;;) {
		while (p < end && *p == ' ')
			p++;
		if (p >= end)
			break;
		const char *ks = p;
		p = scan_to(p, end, '=', ' ');
		if (p >= end)
			break;
		if (*p == ' ')
			continue;	/* a bare word: syslog header */
		*k = from_to(ks, p);
		p++;
		*v = kv_value(&p, end, &it->truncated);
		it->p = p;
		return true;
	}
	it->p = end;
	return false;
}

static bool kv_is(struct slice k, const char *lit, size_t n)
{
	return k.len == n && !memcmp(k.p, lit, n);
}
#define KV_IS(k, lit) kv_is((k), (lit), sizeof(lit) - 1)

/* ---- FortiGate ------------------------------------------------------ */

/* The fields an access event needs; 0 for the keys it does not use. */
enum fg_field {
	FGF_NONE, FGF_DATE, FGF_TIME, FGF_DEVNAME, FGF_LOGID, FGF_SUBTYPE,
	FGF_EVENTTIME, FGF_TZ, FGF_ACTION, FGF_TUNNELID, FGF_REMIP, FGF_USER,
	FGF_REASON, FGF_XAUTH
};

#define FG_BIT(f) (1u << ((f) - 1))
enum {
	FG_DATE = FG_BIT(FGF_DATE), FG_TIME = FG_BIT(FGF_TIME),
	FG_DEVNAME = FG_BIT(FGF_DEVNAME), FG_LOGID = FG_BIT(FGF_LOGID),
	FG_SUBTYPE = FG_BIT(FGF_SUBTYPE), FG_EVENTTIME = FG_BIT(FGF_EVENTTIME),
	FG_TZ = FG_BIT(FGF_TZ), FG_ACTION = FG_BIT(FGF_ACTION),
	FG_TUNNELID = FG_BIT(FGF_TUNNELID), FG_REMIP = FG_BIT(FGF_REMIP),
	FG_USER = FG_BIT(FGF_USER), FG_REASON = FG_BIT(FGF_REASON),
	FG_XAUTH = FG_BIT(FGF_XAUTH),
};

static unsigned fg_field(struct slice k)
{
	switch (k.len) {
	case 2:
		return KV_IS(k, "tz") ? FGF_TZ : FGF_NONE;
	case 4:
		return KV_IS(k, "date") ? FGF_DATE : KV_IS(k, "time") ? FGF_TIME :
		       KV_IS(k, "user") ? FGF_USER : FGF_NONE;
	case 5:
		return KV_IS(k, "logid") ? FGF_LOGID :
		       KV_IS(k, "remip") ? FGF_REMIP : FGF_NONE;
	case 6:
		return KV_IS(k, "action") ? FGF_ACTION :
		       KV_IS(k, "reason") ? FGF_REASON : FGF_NONE;
	case 7:
		return KV_IS(k, "devname") ? FGF_DEVNAME :
		       KV_IS(k, "subtype") ? FGF_SUBTYPE : FGF_NONE;
	case 8:
		return KV_IS(k, "tunnelid") ? FGF_TUNNELID : FGF_NONE;
	case 9:
		return KV_IS(k, "eventtime") ? FGF_EVENTTIME :
		       KV_IS(k, "xauthuser") ? FGF_XAUTH : FGF_NONE;
	default:
		return FGF_NONE;
	}
}

enum { FGF__MAX = FGF_XAUTH + 1 };

/* The bit of each field in "seen" and "need"; none for FGF_NONE. */
static const unsigned fg_bits[FGF__MAX] = {
	[FGF_DATE] = FG_DATE, [FGF_TIME] = FG_TIME, [FGF_DEVNAME] = FG_DEVNAME,
	[FGF_LOGID] = FG_LOGID, [FGF_SUBTYPE] = FG_SUBTYPE,
	[FGF_EVENTTIME] = FG_EVENTTIME, [FGF_TZ] = FG_TZ,
	[FGF_ACTION] = FG_ACTION, [FGF_TUNNELID] = FG_TUNNELID,
	[FGF_REMIP] = FG_REMIP, [FGF_USER] = FG_USER,
	[FGF_REASON] = FG_REASON, [FGF_XAUTH] = FG_XAUTH,
};

/*
 * Layouts (struct vpnlog_state): a pair is compared with the pair at
 * the same place in the last line of the same message id. Written the
 * same way (key, value and the byte that ended it), it is the same
 * pair: the scan of kv_value() reads nothing but those bytes. With the
 * same "key=", only the value is scanned. Otherwise the key is scanned
 * as kv_next() does. Either way the pairs, and so the event, are the
 * ones kv_next() gives.
 */

#define FG_NEVER (1ull << 32)	/* a mask bit no comparison sets */

/* Bit i set when p[i] == b[i], i < 32; p must have 32 bytes. */
static inline uint32_t eq_mask32(const char *p, const uint8_t *b)
{
#if defined(__SSE2__)
	__m128i p0 = _mm_loadu_si128((const __m128i *)(const void *)p),
		p1 = _mm_loadu_si128((const __m128i *)(const void *)(p + 16)),
		b0 = _mm_loadu_si128((const __m128i *)(const void *)b),
		b1 = _mm_loadu_si128((const __m128i *)(const void *)(b + 16));
	return (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(p0, b0)) |
	       (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(p1, b1)) << 16;
#else
	uint32_t m = 0;
	for (unsigned i = 0; i < 32; i++)
		m |= (uint32_t)((uint8_t)p[i] == b[i]) << i;
	return m;
#endif
}

/* Bit i set when p[i] == b[i], i < 64; p must have 64 bytes. */
static inline uint64_t eq_mask64(const char *p, const uint8_t *b)
{
	return (uint64_t)eq_mask32(p, b) |
	       (uint64_t)eq_mask32(p + 32, b + 32) << 32;
}

/*
 * Makes the runs of layout l again from its pairs: from each pair, the
 * pairs that follow it and were taken whole on the last line, as long
 * as they fit in 64 bytes, up to a logid (whose value changes from line
 * to line, and the pairs after it are another layout's). A line that
 * has a run's bytes has each of its pairs written as that pair was.
 */
static void fg_runs(struct vpnlog_fg_layout *l)
{
	for (unsigned i = 0; i < VPNLOG_FG_PAIRS; i++) {
		struct vpnlog_fg_pair *r = &l->pair[i];
		unsigned len = 0, cnt = 0, nf = 0;
		uint32_t bits = 0;
		bool plain = true;

		for (unsigned k = i; k < VPNLOG_FG_PAIRS; k++) {
			const struct vpnlog_fg_pair *e = &l->pair[k];
			if (!e->whole || e->field == FGF_LOGID ||
			    len + e->n > sizeof(r->rb) ||
			    (e->field && nf == sizeof(r->rf)))
				break;
			memcpy(r->rb + len, e->b, e->n);
			if (e->field) {
				struct slice v = slice_make(
					(const char *)e->b + e->voff, e->vlen);
				r->rf[nf] = e->field;
				r->rvoff[nf] = (uint8_t)(len + e->voff);
				r->rvlen[nf++] = e->vlen;
				bits |= fg_bits[e->field];
				/* as fg_take() sees them */
				if (e->field == FGF_SUBTYPE &&
				    !slice_eq_cstr(v, "vpn"))
					plain = false;
				if (e->field == FGF_ACTION &&
				    !slice_eq_cstr(v, "ssl-login-fail") &&
				    !slice_eq_cstr(v, "tunnel-up") &&
				    !slice_eq_cstr(v, "tunnel-down"))
					plain = false;
			}
			len += e->n;
			cnt++;
		}
		r->rcnt = cnt >= 2 ? (uint8_t)cnt : 0;
		r->rlen = (uint8_t)len;
		r->rplain = plain;
		r->nf = (uint8_t)nf;
		r->rbits = bits;
		r->rmask = len >= 64 ? ~0ull : (1ull << len) - 1;
	}
}

/*
 * Remembers the pair at ps (32 bytes readable): its key of klen bytes,
 * value v, and p, where the scan of the value stopped. The space after
 * the pair is taken with it: for an unquoted value it is what ended
 * the value; a value ended by the end of the line or cut off is never
 * taken whole.
 */
static inline void fg_learn(struct vpnlog_fg_pair *e, const char *ps,
			    size_t klen, unsigned field, struct slice v,
			    const char *p, const char *end, bool truncated)
{
	size_t n = (size_t)(p - ps);

	memcpy(e->b, ps, sizeof(e->b));
	e->klen = (uint8_t)klen;
	e->kmask = klen < 32 ? (2ull << klen) - 1 : FG_NEVER;
	e->field = (uint8_t)field;
	if (p < end && *p == ' ')
		n++;
	else if (truncated || v.p != ps + klen + 2)	/* not quoted */
		n = 33;
	e->full = n <= 32 ? (1ull << n) - 1 : FG_NEVER;
	e->n = (uint8_t)n;
	e->voff = (uint8_t)(v.p - ps);
	e->vlen = (uint8_t)v.len;
}

/* Makes the layout of the message id the current one (unchanged for
 * an id too long to be one). */
static void fg_layout(struct vpnlog_state *st, struct slice id)
{
	struct vpnlog_fg_layout *l = &st->fg[st->cur];

	if (!id.len || id.len > sizeof(l->tag))
		return;
	if (l->tag_len == id.len && vpnlog_same(l->tag, id.p, id.len))
		return;
	for (unsigned j = 0; j < VPNLOG_FG_LAYOUTS; j++) {
		l = &st->fg[j];
		if (l->tag_len == id.len && vpnlog_same(l->tag, id.p, id.len)) {
			st->cur = j;
			return;
		}
	}
	/* a new id takes the oldest layout: its pairs are guesses that the
	 * comparisons check */
	st->cur = st->next;
	st->next = (st->next + 1) % VPNLOG_FG_LAYOUTS;
	l = &st->fg[st->cur];
	memcpy(l->tag, id.p, id.len);
	l->tag_len = (uint8_t)id.len;
}

/*
 * Eight digits at p as one number (Lemire's word-at-a-time parse);
 * false when a byte is not a digit.
 */
static inline bool digits8(const char *p, uint64_t *out)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t w;
	memcpy(&w, p, 8);
	if (((w + 0x4646464646464646ull) | (w - 0x3030303030303030ull)) &
	    0x8080808080808080ull)
		return false;
	w -= 0x3030303030303030ull;
	w = w * 10 + (w >> 8);
	w = ((w & 0x000000ff000000ffull) * 0x000f424000000064ull +
	     ((w >> 16) & 0x000000ff000000ffull) * 0x0000271000000001ull) >> 32;
	*out = w;
	return true;
#else
	uint64_t u = 0;
	for (unsigned i = 0; i < 8; i++) {
		unsigned d = (unsigned char)p[i] - '0';
		if (d > 9)
			return false;
		u = u * 10 + d;
	}
	*out = u;
	return true;
#endif
}

static bool fg_eventtime(struct slice v, int64_t *t)
{
	uint64_t u = 0;

	if (v.len && v.len <= 19) {
		/* nineteen digits cannot overflow: no checks but the digits
		 * (num_parse_u64 takes the longer ones) */
		size_t i = 0;
		for (; i + 8 <= v.len; i += 8) {
			uint64_t d;
			if (!digits8(v.p + i, &d))
				return false;
			u = u * 100000000u + d;
		}
		for (; i < v.len; i++) {
			unsigned d = (unsigned char)v.p[i] - '0';
			if (d > 9)
				return false;
			u = u * 10 + d;
		}
	} else if (num_parse_u64(v, &u)) {
		return false;
	}
	if (v.len >= 18)
		u /= 1000000000u;
	else if (v.len >= 15)
		u /= 1000000u;
	else if (v.len >= 12)
		u /= 1000u;
	if (u > 253402300799u)
		return false;
	*t = (int64_t)u;
	return true;
}

enum { FG_MORE, FG_ALL_IN, FG_NOT_LOGIN };

/*
 * Takes one pair into val (the value of each field), *seen and *need:
 * FG_ALL_IN once every field the line needs is in, FG_NOT_LOGIN for a
 * line that cannot be an access event.
 */
static inline __attribute__((always_inline))
int fg_take(struct slice *val, unsigned *seen, unsigned *need,
	    unsigned field, struct slice v)
{
	unsigned bit = fg_bits[field];

	val[field] = v;
	*seen |= bit;
	if (bit & (FG_SUBTYPE | FG_ACTION)) {
		if (!(*seen & (FG_LOGID | FG_DEVNAME))) {
			/* not known to be FortiGate's yet */
		} else if (bit == FG_SUBTYPE ? !slice_eq_cstr(v, "vpn") :
			   /* most lines are not logins: stop early */
			   !slice_eq_cstr(v, "ssl-login-fail") &&
			   !slice_eq_cstr(v, "tunnel-up") &&
			   !slice_eq_cstr(v, "tunnel-down")) {
			return FG_NOT_LOGIN;
		}
	}
	/* checked as soon as the last needed key is in, not after reading
	 * one more pair */
	if ((*seen & *need) == *need) {
		if (slice_eq_cstr(val[FGF_ACTION], "ssl-login-fail"))
			*need |= FG_REASON;
		if (slice_eq_cstr(val[FGF_USER], "N/A"))
			*need |= FG_XAUTH;
		if ((*seen & *need) == *need)
			return FG_ALL_IN;
	}
	return FG_MORE;
}

/*
 * The pairs of a line with the layouts of st, as kv_next() reads them.
 * A pair is learnt when its key was not the one expected; a pair whose
 * key was expected is not learnt again (its value changes from line to
 * line, or it would have been the same pair).
 */
static int fg_scan_layouts(struct slice *val, unsigned *seen, unsigned need,
			   const char *p, const char *end, bool *truncated,
			   struct vpnlog_state *st)
{
	struct vpnlog_fg_pair *pairs = st->fg[st->cur].pair, *e = NULL;
	unsigned i = 0, sn = 0;
	int r = FG_MORE;

	while (r == FG_MORE) {
		struct slice v;
		unsigned field;

		while (p < end && *p == ' ')
			p++;
		if (p >= end)
			break;
		bool learn = i < VPNLOG_FG_PAIRS && end - p >= 32;
		if (learn) {
			e = &pairs[i];
			if (e->rcnt && end - p >= 64 &&
			    !(~eq_mask64(p, e->rb) & e->rmask)) {
				/* a run of pairs as last time: each is
				 * taken as below, without a comparison */
				if (e->rplain &&
				    ((sn | e->rbits) & need) != need) {
					/* fg_take() would only note them */
					for (unsigned j = 0; j < e->nf; j++)
						val[e->rf[j]] = slice_make(
							p + e->rvoff[j],
							e->rvlen[j]);
					sn |= e->rbits;
					p += e->rlen;
					i += e->rcnt;
					continue;
				}
				unsigned last = i + e->rcnt;
				do {
					const struct vpnlog_fg_pair *f =
						&pairs[i++];
					field = f->field;
					v = slice_make(p + f->voff, f->vlen);
					p += f->n;
					if (field)
						r = fg_take(val, &sn, &need,
							    field, v);
				} while (i < last && r == FG_MORE);
				continue;
			}
			uint64_t ne = ~(uint64_t)eq_mask32(p, e->b);
			if (!(ne & e->full)) {
				/* the same pair as last time */
				if (!e->whole && e->field != FGF_LOGID) {
					e->whole = 1;
					st->stale |= 1u << st->cur;
				}
				field = e->field;
				v = slice_make(p + e->voff, e->vlen);
				p += e->n;
				goto take;
			}
			if (!(ne & e->kmask)) {
				/* the same key */
				if (e->whole) {
					e->whole = 0;
					st->stale |= 1u << st->cur;
				}
				field = e->field;
				p += e->klen + 1;
				v = kv_value(&p, end, truncated);
				goto take;
			}
		}
		const char *ks = p;
		p = scan_to(p, end, '=', ' ');
		if (p >= end)
			break;
		if (*p == ' ')
			continue;	/* a bare word: syslog header */
		struct slice k = from_to(ks, p);
		p++;
		v = kv_value(&p, end, truncated);
		field = fg_field(k);
		if (learn) {
			fg_learn(e, ks, k.len, field, v, p, end, *truncated);
			e->whole = 0;
			st->stale |= 1u << st->cur;
		}
take:
		i++;
		if (!field)
			continue;
		r = fg_take(val, &sn, &need, field, v);
		if (field == FGF_LOGID) {
			/* the rest of the line is the message id's */
			fg_layout(st, v);
			pairs = st->fg[st->cur].pair;
		}
	}
	*seen = sn;
	while (st->stale) {
		unsigned j = (unsigned)__builtin_ctz(st->stale);
		fg_runs(&st->fg[j]);
		st->stale &= st->stale - 1;
	}
	return r;
}

/* The same without layouts. */
static int fg_scan_plain(struct slice *val, unsigned *seen, unsigned need,
			 const char *p, const char *end, bool *truncated)
{
	struct kv_iter it = { p, end, false };
	struct slice k, v;
	unsigned sn = 0;
	int r = FG_MORE;

	while (r == FG_MORE && kv_next(&it, &k, &v)) {
		unsigned field = fg_field(k);
		if (field)
			r = fg_take(val, &sn, &need, field, v);
	}
	*seen = sn;
	*truncated = it.truncated;
	return r;
}

/*
 * One FortiGate line; st (may be NULL) holds the layouts. Pairs are
 * taken in order; once every field the line needs is in, the rest of
 * the line (group, msg, counters) is not read.
 */
static enum vpn_parse parse_fortigate_st(const struct vpnlog_opts *o,
					 struct slice line,
					 struct vpn_event *ev,
					 struct vpnlog_state *st)
{
	struct slice body = skip_pri(line), val[FGF__MAX];
	bool truncated = false;
	unsigned seen;
	int r;
	/* the fields a login line needs; once all are read, the rest of the
	 * line (group, msg, counters) is not scanned */
	const unsigned need = FG_DATE | FG_TIME | FG_DEVNAME | FG_LOGID |
			      FG_SUBTYPE | FG_ACTION | FG_REMIP | FG_USER |
			      FG_TUNNELID | FG_EVENTTIME | FG_TZ;

	memset(val, 0, sizeof(val));
	ev->format = VPN_FMT_FORTIGATE;
	if (st)
		r = fg_scan_layouts(val, &seen, need, body.p, end_of(body),
				    &truncated, st);
	else
		r = fg_scan_plain(val, &seen, need, body.p, end_of(body),
				  &truncated);
	ev->device = val[FGF_DEVNAME];
	ev->user = val[FGF_USER];
	ev->session = val[FGF_TUNNELID];
	ev->reason = val[FGF_REASON];
	if (r == FG_NOT_LOGIN)
		return VPN_IGNORED;
	if (!(seen & (FG_LOGID | FG_DEVNAME)))
		return VPN_NOT_MINE;
	struct slice action = val[FGF_ACTION], logid = val[FGF_LOGID];
	if ((seen & FG_SUBTYPE) && !slice_eq_cstr(val[FGF_SUBTYPE], "vpn"))
		return VPN_IGNORED;
	if (slice_eq_cstr(action, "ssl-login-fail"))
		ev->outcome = VPN_FAILURE;
	else if (slice_eq_cstr(action, "tunnel-up"))
		ev->outcome = VPN_SUCCESS;
	else if (slice_eq_cstr(action, "tunnel-down"))
		ev->outcome = VPN_LOGOUT;
	else if (!(seen & FG_ACTION) && slice_eq_cstr(logid, "0101039426"))
		ev->outcome = VPN_FAILURE;
	else if (!(seen & FG_ACTION) && (slice_eq_cstr(logid, "0101039424") ||
					  slice_eq_cstr(logid, "0101039947")))
		ev->outcome = VPN_SUCCESS;
	else if (!(seen & FG_ACTION) && (slice_eq_cstr(logid, "0101039425") ||
					  slice_eq_cstr(logid, "0101039948")))
		ev->outcome = VPN_LOGOUT;
	else
		return VPN_IGNORED;

	if (!((seen & FG_EVENTTIME) &&
	      fg_eventtime(val[FGF_EVENTTIME], &ev->time))) {
		struct slice date = val[FGF_DATE], time = val[FGF_TIME],
			     tz = val[FGF_TZ];
		int off = o->tz_min;
		int64_t t;
		if (date.len != 10 || time.len != 8)
			return VPN_MALFORMED;
		char buf[19];
		memcpy(buf, date.p, 10);
		buf[10] = ' ';
		memcpy(buf + 11, time.p, 8);
		if (tz.len && !etime_parse_zone(tz, &off))
			return VPN_MALFORMED;
		if (etime_parse_iso(slice_make(buf, 19), off, &t) != 19)
			return VPN_MALFORMED;
		ev->time = t;
	}
	ev->has_src = false;
	if (val[FGF_REMIP].len) {
		if (!netaddr_parse(val[FGF_REMIP], &ev->src))
			return VPN_MALFORMED;
		ev->has_src = true;
	}
	if (slice_eq_cstr(ev->user, "N/A"))
		ev->user = slice_make(NULL, 0);
	if (!ev->user.len && val[FGF_XAUTH].len &&
	    !slice_eq_cstr(val[FGF_XAUTH], "N/A"))
		ev->user = val[FGF_XAUTH];
	if (slice_eq_cstr(ev->session, "0"))
		ev->session = slice_make(NULL, 0);
	if (truncated && !(seen & FG_REMIP))
		return VPN_MALFORMED;
	return VPN_EVENT;
}

static enum vpn_parse parse_fortigate(const struct vpnlog_opts *o,
				      struct slice line, struct vpn_event *ev)
{
	return parse_fortigate_st(o, line, ev, NULL);
}

/* ---- Cisco ASA / FTD ------------------------------------------------ */

/* The text between "<" and ">" after lit. */
static struct slice angle(struct slice s, const char *lit)
{
	return field_after(s, lit, ">");
}

static enum vpn_parse parse_asa(const struct vpnlog_opts *o,
				struct slice line, struct vpn_event *ev)
{
	const char *m = find(line, "%ASA-");
	struct syshead h;
	uint64_t id;

	if (!m)
		m = find(line, "%FTD-");
	if (!m)
		return VPN_NOT_MINE;
	ev->format = VPN_FMT_ASA;
	ev->device = ev->user = ev->session = ev->reason = slice_make(NULL, 0);
	ev->has_src = false;
	struct slice tail = from_to(m + 5, end_of(line)), ids;
	/* "6-113015: text" */
	if (tail.len < 3 || tail.p[1] != '-')
		return VPN_MALFORMED;
	struct slice msg = slice_cut(slice_make(tail.p + 2, tail.len - 2), ':',
				     &ids);
	if (!msg.p || num_parse_u64(ids, &id))
		return VPN_MALFORMED;
	msg = slice_trim(msg);
	switch (id) {
	case 113005:
	case 113015: {
		ev->outcome = VPN_FAILURE;
		ev->reason = slice_trim(field_until(msg, "reason = ", " :"));
		ev->user = slice_trim(field_until(msg, "user = ", " :"));
		struct slice ip = slice_trim(field_until(msg, "user IP = ", " :"));
		if (ip.len) {
			if (!netaddr_parse(ip, &ev->src))
				return VPN_MALFORMED;
			ev->has_src = true;
		}
		break;
	}
	case 113039:
	case 716001: {
		ev->outcome = VPN_SUCCESS;
		ev->user = angle(msg, "User <");
		struct slice ip = angle(msg, "IP <");
		if (!ip.p || !netaddr_parse(ip, &ev->src))
			return VPN_MALFORMED;
		ev->has_src = true;
		break;
	}
	case 113019: {
		ev->outcome = VPN_LOGOUT;
		ev->user = slice_trim(field_after(msg, "Username = ", ","));
		struct slice ip = slice_trim(field_after(msg, "IP = ", ","));
		if (ip.len) {
			if (!netaddr_parse(ip, &ev->src))
				return VPN_MALFORMED;
			ev->has_src = true;
		}
		ev->reason = slice_trim(field_after(msg, "Reason: ", ""));
		break;
	}
	default:
		return VPN_IGNORED;
	}
	syslog_head(o, from_to(line.p, m), &h);
	if (!h.has_time)
		return VPN_MALFORMED;
	ev->time = h.time;
	ev->device = h.host;
	return VPN_EVENT;
}

/* ---- Pulse Secure / Ivanti Connect Secure ---------------------------- */

static struct slice pulse_user(struct slice tok)
{
	struct slice head;
	if (!tok.len)
		return slice_make(NULL, 0);
	slice_cut(tok, '(', &head);
	/* "Default Network::alice" -> "alice" */
	for (size_t i = head.len; i >= 2; i--)
		if (head.p[i - 1] == ':' && head.p[i - 2] == ':')
			return slice_make(head.p + i, head.len - i);
	return head;
}

static enum vpn_parse parse_pulse(const struct vpnlog_opts *o,
				  struct slice line, struct vpn_event *ev)
{
	const char *b = find(line, " - ["), *e = end_of(line);
	struct syshead h;

	if (!b)
		return VPN_NOT_MINE;
	const char *ip = b + 4, *ipe = memchr(ip, ']', (size_t)(e - ip));
	if (!ipe || ipe + 1 >= e || ipe[1] != ' ')
		return VPN_NOT_MINE;
	const char *ut = ipe + 2;
	const char *um = find(from_to(ut, e), " - ");
	if (!um)
		return VPN_NOT_MINE;
	struct slice utok = from_to(ut, um);
	if (!memchr(utok.p, '(', utok.len))
		return VPN_NOT_MINE;
	ev->format = VPN_FMT_PULSE;
	ev->device = ev->user = ev->session = ev->reason = slice_make(NULL, 0);
	struct slice msg = from_to(um + 3, e);
	if (find(msg, "Login succeeded") || find(msg, "login succeeded"))
		ev->outcome = VPN_SUCCESS;
	else if (find(msg, "authentication failed") ||
		 find(msg, "Login failed"))
		ev->outcome = VPN_FAILURE;
	else if (find(msg, "Logout from") || find(msg, "Session timed out") ||
		 find(msg, "Max session timeout"))
		ev->outcome = VPN_LOGOUT;
	else
		return VPN_IGNORED;
	ev->user = pulse_user(utok);
	if (!ev->user.len) {
		/* "Primary authentication failed for alice/Users from ..." */
		struct slice u = field_after(msg, " for ", "/ ");
		ev->user = pulse_user(u);
	}
	ev->session = field_after(msg, "(session:", ")");
	ev->reason = field_after(msg, "Reason: ", "");
	if (!netaddr_parse(from_to(ip, ipe), &ev->src))
		return VPN_MALFORMED;
	ev->has_src = true;
	/* "2024-05-10 02:14:09 - node - [" : the device's local time */
	const char *d = NULL;
	for (const char *p = b; p > line.p + 2; p--)
		if (p[-1] == ' ' && p[-2] == '-' && p - 3 >= line.p &&
		    p[-3] == ' ') {
			d = p - 3;
			break;
		}
	if (d && d - line.p >= 19 &&
	    etime_parse_iso(from_to(d - 19, d), o->tz_min, &ev->time) == 19) {
		ev->device = from_to(d + 3, b);
		return VPN_EVENT;
	}
	syslog_head(o, line, &h);
	if (!h.has_time)
		return VPN_MALFORMED;
	ev->time = h.time;
	ev->device = h.host;
	return VPN_EVENT;
}

/* ---- Palo Alto GlobalProtect (CSV) ------------------------------------ */

enum { GP_FIELDS = 34 };

static enum vpn_parse parse_globalprotect(const struct vpnlog_opts *o,
					  struct slice line,
					  struct vpn_event *ev)
{
	const char *g = find(line, ",GLOBALPROTECT,");
	struct slice f[GP_FIELDS];
	unsigned n = 0;

	if (!g)
		return VPN_NOT_MINE;
	ev->format = VPN_FMT_GLOBALPROTECT;
	ev->device = ev->user = ev->session = ev->reason = slice_make(NULL, 0);
	ev->has_src = false;
	/* walk back over Serial, Receive Time and the first field */
	size_t ci = (size_t)(g - line.p);	/* the comma before the type */
	for (int back = 0; back < 3 && ci > 0; back++) {
		do
			ci--;
		while (ci > 0 && line.p[ci] != ',' &&
		       !(back == 2 && line.p[ci] == ' '));
	}
	if (line.p[ci] == ',' || line.p[ci] == ' ')
		ci++;	/* the first field starts after its separator */
	const char *p = line.p + ci, *e = end_of(line);
	while (n < GP_FIELDS && p <= e) {
		if (p < e && *p == '"') {
			const char *s = ++p;
			while (p < e && !(*p == '"' && (p + 1 == e || p[1] != '"')))
				p += *p == '"' ? 2 : 1;
			f[n++] = from_to(s, p < e ? p : e);
			p = p < e ? p + 1 : e;
			if (p < e && *p != ',')
				return VPN_MALFORMED;
		} else {
			const char *s = p;
			const char *q = memchr(p, ',', (size_t)(e - p));
			f[n++] = from_to(s, q ? q : e);
			p = q ? q : e;
		}
		if (p >= e)
			break;
		p++;
	}
	if (n < 4 || !slice_eq_cstr(f[3], "GLOBALPROTECT"))
		return VPN_MALFORMED;
	if (n < 29)
		return VPN_MALFORMED;
	struct slice eid = f[8], status = f[28];
	if (slice_eq_cstr(eid, "portal-auth") ||
	    slice_eq_cstr(eid, "gateway-auth")) {
		if (slice_eq_cstr(status, "success"))
			ev->outcome = VPN_SUCCESS;
		else if (slice_eq_cstr(status, "failure"))
			ev->outcome = VPN_FAILURE;
		else
			return VPN_MALFORMED;
	} else if (slice_eq_cstr(eid, "gateway-logout") ||
		   slice_eq_cstr(eid, "portal-logout")) {
		ev->outcome = VPN_LOGOUT;
	} else {
		return VPN_IGNORED;
	}
	struct slice t = f[6].len ? f[6] : f[1];
	char buf[19];
	if (t.len != 19)
		return VPN_MALFORMED;
	memcpy(buf, t.p, 19);
	buf[4] = buf[7] = '-';
	if (etime_parse_iso(slice_make(buf, 19), o->tz_min, &ev->time) != 19)
		return VPN_MALFORMED;
	ev->device = f[2];
	ev->user = f[12];
	if (f[15].len && !slice_eq_cstr(f[15], "0.0.0.0")) {
		if (!netaddr_parse(f[15], &ev->src))
			return VPN_MALFORMED;
		ev->has_src = true;
	} else if (f[16].len && !slice_eq_cstr(f[16], "::")) {
		if (!netaddr_parse(f[16], &ev->src))
			return VPN_MALFORMED;
		ev->has_src = true;
	}
	ev->reason = f[26].len ? f[26] : f[25];
	return VPN_EVENT;
}

/* ---- SonicWall --------------------------------------------------------- */

static enum vpn_parse parse_sonicwall(const struct vpnlog_opts *o,
				      struct slice line, struct vpn_event *ev)
{
	struct slice body = skip_pri(line);
	struct kv_iter it = { body.p, end_of(body), false };
	struct slice k, v, time = { 0 }, msg = { 0 }, src = { 0 }, sn = { 0 },
		     m = { 0 }, usr = { 0 };
	bool has_id = false;

	if (!find(line, " sn=") || !find(line, " m="))
		return VPN_NOT_MINE;
	while (kv_next(&it, &k, &v)) {
		if (KV_IS(k, "id"))
			has_id = true;
		else if (KV_IS(k, "sn"))
			sn = v;
		else if (KV_IS(k, "time"))
			time = v;
		else if (KV_IS(k, "m"))
			m = v;
		else if (KV_IS(k, "msg"))
			msg = v;
		else if (KV_IS(k, "src"))
			src = v;
		else if (KV_IS(k, "usr") || KV_IS(k, "user"))
			usr = v;
	}
	if (!has_id || !m.len)
		return VPN_NOT_MINE;
	ev->format = VPN_FMT_SONICWALL;
	ev->device = sn;
	ev->user = usr;
	ev->session = slice_make(NULL, 0);
	ev->reason = slice_make(NULL, 0);
	ev->has_src = false;
	if (find_ci(msg, "login failed") || find_ci(msg, "login denied") ||
	    find_ci(msg, "authentication failed") ||
	    find_ci(msg, "failed to log"))
		ev->outcome = VPN_FAILURE;
	else if (find_ci(msg, "logged out") || find_ci(msg, "logout"))
		ev->outcome = VPN_LOGOUT;
	else if (find_ci(msg, "login allowed") ||
		 find_ci(msg, "logged in") ||
		 find_ci(msg, "login success"))
		ev->outcome = VPN_SUCCESS;
	else
		return VPN_IGNORED;
	if (ev->outcome == VPN_FAILURE)
		ev->reason = msg;
	int off = o->tz_min;
	if (time.len > 19) {
		if (!etime_parse_zone(slice_trim(slice_make(time.p + 19,
							    time.len - 19)),
				      &off))
			return VPN_MALFORMED;
		time.len = 19;
	}
	if (time.len != 19 || etime_parse_iso(time, off, &ev->time) != 19)
		return VPN_MALFORMED;
	if (src.len) {
		/* ip, ip:port or ip:port:interface */
		struct slice a = src;
		for (int i = 0; i < 3 && !ev->has_src; i++) {
			if (netaddr_parse(a, &ev->src)) {
				ev->has_src = true;
				break;
			}
			const char *c = NULL;
			for (size_t j = a.len; j > 0; j--)
				if (a.p[j - 1] == ':') {
					c = a.p + j - 1;
					break;
				}
			if (!c)
				break;
			a = from_to(a.p, c);
		}
		if (!ev->has_src)
			return VPN_MALFORMED;
	}
	return VPN_EVENT;
}

/* ---- Citrix NetScaler --------------------------------------------------- */

static enum vpn_parse parse_netscaler(const struct vpnlog_opts *o,
				      struct slice line, struct vpn_event *ev)
{
	const char *m;
	unsigned mo, d, y, hh, mi, se;

	if ((m = find(line, " SSLVPN LOGIN ")))
		ev->outcome = VPN_SUCCESS;
	else if ((m = find(line, " SSLVPN LOGOUT ")))
		ev->outcome = VPN_LOGOUT;
	else if ((m = find(line, " AAA LOGIN_FAILED ")))
		ev->outcome = VPN_FAILURE;
	else
		return VPN_NOT_MINE;
	ev->format = VPN_FMT_NETSCALER;
	ev->device = ev->user = ev->session = ev->reason = slice_make(NULL, 0);
	ev->has_src = false;
	/* MM/DD/YYYY:hh:mm:ss [GMT] host */
	const char *t = NULL;
	for (const char *p = line.p; p + 19 <= m; p++)
		if (p[2] == '/' && p[5] == '/' && p[10] == ':' &&
		    p[13] == ':' && p[16] == ':') {
			t = p;
			break;
		}
	if (!t || !etime_digits(t, 2, &mo) || !etime_digits(t + 3, 2, &d) ||
	    !etime_digits(t + 6, 4, &y) || !etime_digits(t + 11, 2, &hh) ||
	    !etime_digits(t + 14, 2, &mi) || !etime_digits(t + 17, 2, &se) ||
	    !etime_make(y, mo, d, hh, mi, se, &ev->time))
		return VPN_MALFORMED;
	const char *p = t + 19;
	int off = o->tz_min;
	while (p < m && *p == ' ')
		p++;
	if (m - p >= 3 && (!memcmp(p, "GMT", 3) || !memcmp(p, "UTC", 3))) {
		off = 0;
		p += 3;
	}
	ev->time -= (int64_t)off * 60;
	while (p < m && *p == ' ')
		p++;
	const char *hs = p;
	while (p < m && *p != ' ')
		p++;
	ev->device = from_to(hs, p);
	struct slice body = from_to(m, end_of(line));
	ev->user = slice_trim(field_until(body, "User ", " - "));
	struct slice ip = slice_trim(field_after(body, "Client_ip ", " "));
	if (ip.len) {
		if (!netaddr_parse(ip, &ev->src))
			return VPN_MALFORMED;
		ev->has_src = true;
	}
	ev->session = field_after(body, "SessionId: ", " -");
	if (ev->outcome == VPN_FAILURE)
		ev->reason = quoted_or_word(field_after(body, "Failure_reason ", ""));
	return VPN_EVENT;
}

/* ---- OpenVPN ------------------------------------------------------------- */

/* "openvpn[812]:" or "charon:" - a syslog program tag. */
static bool is_tag(struct slice tok)
{
	return tok.len >= 2 && tok.p[tok.len - 1] == ':' &&
	       ((tok.p[0] | 0x20) >= 'a' && (tok.p[0] | 0x20) <= 'z') &&
	       (tok.p[tok.len - 2] == ']' || !memchr(tok.p, '[', tok.len)) &&
	       !memchr(tok.p, '/', tok.len) && !memchr(tok.p, '.', tok.len);
}

static struct slice next_tok(struct slice s, struct slice *rest)
{
	struct slice tok;
	struct slice r = slice_cut(s, ' ', &tok);
	*rest = r.p ? r : slice_make(end_of(s), 0);
	return tok;
}

/* After the time: "[host] [tag:] message". */
static void host_and_tag(struct slice s, bool may_host, struct slice *host,
			 struct slice *rest)
{
	struct slice r1, r2, t1 = next_tok(s, &r1), t2;
	*host = slice_make(NULL, 0);
	*rest = s;
	if (is_tag(t1)) {
		*rest = r1;
		return;
	}
	if (!may_host)
		return;
	t2 = next_tok(r1, &r2);
	if (is_tag(t2)) {
		*host = t1;
		*rest = r2;
	}
}

/* A timestamp at the start: ISO, ctime ("Fri May 10 02:14:09 2024") or
 * syslog; the message after it (and after "openvpn[pid]: "). */
static bool text_time(const struct vpnlog_opts *o, struct slice line,
		      int64_t *t, struct slice *host, struct slice *rest)
{
	struct slice s = skip_pri(line);
	size_t n = etime_parse_iso(s, o->tz_min, t);
	*host = slice_make(NULL, 0);
	if (n) {
		while (n < s.len && s.p[n] == ' ')
			n++;
		host_and_tag(slice_make(s.p + n, s.len - n), true, host, rest);
		return true;
	}
	/* ctime: "Fri May 10 02:14:09 2024 message" */
	if (s.len > 24 && s.p[3] == ' ' && s.p[7] == ' ' && s.p[10] == ' ' &&
	    s.p[19] == ' ' && etime_month(s.p + 4)) {
		char buf[20];
		memcpy(buf, s.p + 4, 7);	/* "May 10 " */
		memcpy(buf + 7, s.p + 20, 4);	/* "2024" */
		buf[11] = ' ';
		memcpy(buf + 12, s.p + 11, 8);	/* "02:14:09" */
		if (bsd_time(o, slice_make(buf, 20), t) == 20) {
			*rest = slice_trim(slice_make(s.p + 24, s.len - 24));
			return true;
		}
	}
	struct syshead h;
	syslog_head(o, line, &h);
	if (!h.has_time)
		return false;
	*t = h.time;
	*host = h.host;
	host_and_tag(h.rest, false, &h.host, rest);
	return true;
}

static enum vpn_parse parse_openvpn(const struct vpnlog_opts *o,
				    struct slice line, struct vpn_event *ev)
{
	const char *m;
	struct slice rest, host;

	if ((m = find(line, " Peer Connection Initiated with ")))
		ev->outcome = VPN_SUCCESS;
	else if ((m = find(line, "'AUTH_FAILED'")))
		ev->outcome = VPN_FAILURE;
	else if ((m = find(line, "client-instance exiting")))
		ev->outcome = VPN_LOGOUT;
	else
		return VPN_NOT_MINE;
	ev->format = VPN_FMT_OPENVPN;
	ev->device = ev->user = ev->session = ev->reason = slice_make(NULL, 0);
	ev->has_src = false;
	if (!text_time(o, line, &ev->time, &host, &rest))
		return VPN_MALFORMED;
	ev->device = host;
	/* the client: "cn/ip:port" or "ip:port" */
	struct slice tok;
	slice_cut(rest, ' ', &tok);
	struct slice who = tok, addr = tok;
	const char *sl = tok.len ? memchr(tok.p, '/', tok.len) : NULL;
	if (sl) {
		who = from_to(tok.p, sl);
		addr = from_to(sl + 1, end_of(tok));
	} else {
		who = slice_make(NULL, 0);
	}
	if (addr.len > 10 && !memcmp(addr.p, "[AF_INET", 8)) {
		const char *rb = memchr(addr.p, ']', addr.len);
		addr = rb ? from_to(rb + 1, end_of(addr)) : slice_make(NULL, 0);
	}
	if (addr_port(addr, &ev->src))
		ev->has_src = true;
	if (ev->outcome == VPN_SUCCESS) {
		/* "ip:port [cn] Peer Connection Initiated" */
		struct slice cn = field_after(rest, " [", "]");
		ev->user = cn.p && cn.p < m ? cn : who;
		if (!ev->has_src) {
			struct slice a = field_after(from_to(m, end_of(line)),
						     "]", " ");
			if (!addr_port(a, &ev->src))
				return VPN_MALFORMED;
			ev->has_src = true;
		}
	} else if (ev->outcome == VPN_FAILURE) {
		struct slice cn = field_after(rest, "SENT CONTROL [", "]");
		ev->user = cn.len && !slice_eq_cstr(cn, "UNDEF") ? cn : who;
		ev->reason = slice_make(m + 1, 11);	/* AUTH_FAILED */
	} else {
		ev->user = who;
		struct slice sig;
		slice_cut(rest, ' ', &sig);
		ev->reason = field_after(rest, " ", " ");
		(void)sig;
	}
	if (slice_eq_cstr(ev->user, "UNDEF"))
		ev->user = slice_make(NULL, 0);
	return VPN_EVENT;
}

/* ---- strongSwan (charon) -------------------------------------------------- */

/* "ip[id]" -> address and identity */
static bool ike_peer(struct slice s, struct netaddr *a, struct slice *id)
{
	const char *lb = memchr(s.p, '[', s.len);
	if (!lb)
		return false;
	const char *rb = memchr(lb, ']', (size_t)(end_of(s) - lb));
	if (!rb)
		return false;
	*id = from_to(lb + 1, rb);
	return netaddr_parse(from_to(s.p, lb), a);
}

static enum vpn_parse parse_strongswan(const struct vpnlog_opts *o,
				       struct slice line, struct vpn_event *ev)
{
	const char *m;
	struct slice rest, host;

	if ((m = find(line, " established between ")) && find(line, "IKE_SA "))
		ev->outcome = VPN_SUCCESS;
	else if ((m = find(line, "deleting IKE_SA ")))
		ev->outcome = VPN_LOGOUT;
	else if ((m = find(line, "received AUTH_FAILED notify")) ||
		 (m = find(line, "sending AUTH_FAILED notify")) ||
		 ((m = find(line, "EAP method ")) && find(line, " failed for peer ")) ||
		 (m = find(line, "but MAC mismatched")))
		ev->outcome = VPN_FAILURE;
	else
		return VPN_NOT_MINE;
	ev->format = VPN_FMT_STRONGSWAN;
	ev->device = ev->user = ev->session = ev->reason = slice_make(NULL, 0);
	ev->has_src = false;
	if (!text_time(o, line, &ev->time, &host, &rest))
		return VPN_MALFORMED;
	ev->device = host;
	struct slice tail = from_to(m, end_of(line));
	if (ev->outcome == VPN_SUCCESS || ev->outcome == VPN_LOGOUT) {
		/* "IKE_SA name[n] established between L[lid]...R[rid]" */
		const char *sa = find(line, "IKE_SA ");
		struct slice name = field_after(from_to(sa, end_of(line)),
						"IKE_SA ", " ");
		ev->session = name;
		const char *dots = find(tail, "...");
		if (!dots)
			return VPN_MALFORMED;
		struct slice peer = from_to(dots + 3, end_of(line)), id;
		const char *sp = memchr(peer.p, ' ', peer.len);
		if (sp)
			peer = from_to(peer.p, sp);
		if (!ike_peer(peer, &ev->src, &id))
			return VPN_MALFORMED;
		ev->has_src = true;
		ev->user = id;
		if (slice_eq_cstr(ev->user, "%any"))
			ev->user = slice_make(NULL, 0);
	} else {
		struct slice ip = field_after(tail, " failed for peer ", " ");
		if (ip.len) {
			if (!netaddr_parse(ip, &ev->src))
				return VPN_MALFORMED;
			ev->has_src = true;
		}
		/* "tried 1 shared key for 'gw' - 'alice', but MAC mismatched" */
		struct slice q = field_after(line, "' - '", "'");
		if (q.len)
			ev->user = q;
		ev->reason = slice_trim(from_to(m, end_of(line)));
	}
	return VPN_EVENT;
}

/* ---- Windows NPS (IAS "DTS" XML, one <Event> a line) ---------------------- */

/* The text of <name ...>text</name> in the line; empty without storage
 * when there is no such element. Entities (&amp;) are kept as written. */
static struct slice xml_field(struct slice line, const char *name)
{
	size_t n = strlen(name);
	const char *p = line.p, *e = end_of(line);

	while (p && e - p >= (ptrdiff_t)(n + 2)) {
		const char *lt = memchr(p, '<', (size_t)(e - p));
		if (!lt || e - lt < (ptrdiff_t)(n + 2))
			break;
		if (!memcmp(lt + 1, name, n) &&
		    (lt[n + 1] == '>' || lt[n + 1] == ' ')) {
			const char *gt = memchr(lt + n + 1, '>',
						(size_t)(e - (lt + n + 1)));
			if (!gt)
				break;
			const char *ve = memchr(gt + 1, '<',
						(size_t)(e - (gt + 1)));
			if (!ve)
				break;
			return from_to(gt + 1, ve);
		}
		p = lt + 1;
	}
	return slice_make(NULL, 0);
}

/* "MM/DD/YYYY hh:mm:ss[.fff]", local time of the NPS server. */
static bool nps_time(const struct vpnlog_opts *o, struct slice s, int64_t *t)
{
	unsigned mo, d, y, h, mi, se;

	if (s.len < 19 || s.p[2] != '/' || s.p[5] != '/' || s.p[10] != ' ' ||
	    s.p[13] != ':' || s.p[16] != ':' || !etime_digits(s.p, 2, &mo) ||
	    !etime_digits(s.p + 3, 2, &d) || !etime_digits(s.p + 6, 4, &y) ||
	    !etime_digits(s.p + 11, 2, &h) || !etime_digits(s.p + 14, 2, &mi) ||
	    !etime_digits(s.p + 17, 2, &se) ||
	    !etime_make(y, mo, d, h, mi, se, t))
		return false;
	*t -= (int64_t)o->tz_min * 60;
	return true;
}

static enum vpn_parse parse_nps(const struct vpnlog_opts *o,
				struct slice line, struct vpn_event *ev)
{
	struct slice pt, ts, v;
	uint64_t type;

	if (!find(line, "<Event>"))
		return VPN_NOT_MINE;
	pt = xml_field(line, "Packet-Type");
	ts = xml_field(line, "Timestamp");
	if (!pt.p || !ts.p)
		return VPN_NOT_MINE;
	ev->format = VPN_FMT_NPS;
	ev->device = ev->user = ev->session = ev->reason = slice_make(NULL, 0);
	ev->has_src = false;
	if (num_parse_u64(pt, &type))
		return VPN_MALFORMED;
	switch (type) {
	case 2:		/* Access-Accept */
		ev->outcome = VPN_SUCCESS;
		break;
	case 3:		/* Access-Reject */
		ev->outcome = VPN_FAILURE;
		ev->reason = xml_field(line, "Reason-Code");
		break;
	case 4:		/* Accounting-Request: Stop ends the session */
		if (!slice_eq_cstr(xml_field(line, "Acct-Status-Type"), "2"))
			return VPN_IGNORED;
		ev->outcome = VPN_LOGOUT;
		break;
	default:	/* Access-Request, -Challenge, ... */
		return VPN_IGNORED;
	}
	if (!nps_time(o, ts, &ev->time))
		return VPN_MALFORMED;
	ev->device = xml_field(line, "Client-Friendly-Name");
	if (!ev->device.len)
		ev->device = xml_field(line, "Computer-Name");
	ev->user = xml_field(line, "SAM-Account-Name");
	if (!ev->user.len)
		ev->user = xml_field(line, "User-Name");
	ev->session = xml_field(line, "Acct-Session-Id");
	/* the client's public address: the tunnel end point, else the
	 * calling station when it is an address (it may be a MAC) */
	v = slice_trim(xml_field(line, "Tunnel-Client-Endpt"));
	if (v.len) {
		if (!netaddr_parse(v, &ev->src))
			return VPN_MALFORMED;
		ev->has_src = true;
	} else if (netaddr_parse(slice_trim(xml_field(line,
					"Calling-Station-Id")), &ev->src)) {
		ev->has_src = true;
	}
	return VPN_EVENT;
}

/* ---- dispatch ------------------------------------------------------------ */

typedef enum vpn_parse (*parse_fn)(const struct vpnlog_opts *, struct slice,
				   struct vpn_event *);

static const parse_fn parsers[VPN_FMT__MAX] = {
	[VPN_FMT_FORTIGATE] = parse_fortigate,
	[VPN_FMT_ASA] = parse_asa,
	[VPN_FMT_PULSE] = parse_pulse,
	[VPN_FMT_GLOBALPROTECT] = parse_globalprotect,
	[VPN_FMT_SONICWALL] = parse_sonicwall,
	[VPN_FMT_NETSCALER] = parse_netscaler,
	[VPN_FMT_OPENVPN] = parse_openvpn,
	[VPN_FMT_STRONGSWAN] = parse_strongswan,
	[VPN_FMT_NPS] = parse_nps,
};

/*
 * lit in s, scanning with memchr (a vector scan) for lit[k], a byte that
 * is rare in other formats' lines, and checking the rest around it.
 */
static bool has_lit(struct slice s, const char *lit, size_t k)
{
	size_t n = strlen(lit);
	const char *p = s.p, *e = end_of(s);

	if (s.len < n)
		return false;
	p += k;
	e -= n - k - 1;		/* lit[k] can stand no later than this */
	while (p < e) {
		const char *q = memchr(p, lit[k], (size_t)(e - p));
		if (!q)
			return false;
		if (!memcmp(q - k, lit, n))
			return true;
		p = q + 1;
	}
	return false;
}

/* Cheap markers: a line that lacks its format's marker is never that
 * format, so auto detection runs a few vector scans per format at most. */
static bool has_marker(enum vpn_format f, struct slice l)
{
	switch (f) {
	case VPN_FMT_FORTIGATE:
		return has_lit(l, "logid=", 2);
	case VPN_FMT_ASA:
		return has_lit(l, "%ASA-", 0) || has_lit(l, "%FTD-", 0);
	case VPN_FMT_PULSE:
		return has_lit(l, " - [", 3);
	case VPN_FMT_GLOBALPROTECT:
		return has_lit(l, ",GLOBALPROTECT,", 1);
	case VPN_FMT_SONICWALL:
		return has_lit(l, " sn=", 3);
	case VPN_FMT_NETSCALER:
		return has_lit(l, " SSLVPN ", 4) || has_lit(l, " AAA LOGIN", 7);
	case VPN_FMT_OPENVPN:
		return has_lit(l, " Peer Connection Initiated", 1) ||
		       has_lit(l, "AUTH_FAILED'", 4) ||
		       has_lit(l, "client-instance exiting", 6);
	case VPN_FMT_STRONGSWAN:
		/* charon tags every line it logs with its group: "09[IKE]" */
		return has_lit(l, "[IKE]", 2);
	case VPN_FMT_NPS:
		return has_lit(l, "<Packet-Type", 1);
	default:
		return false;
	}
}

enum vpn_parse vpnlog_parse_as(const struct vpnlog_opts *o,
			       enum vpn_format fmt, struct slice line,
			       struct vpn_event *ev)
{
	if ((unsigned)fmt >= VPN_FMT__MAX)
		return VPN_NOT_MINE;
	return parsers[fmt](o, line, ev);
}

/* vpnlog_parse_line(); st (may be NULL) holds the FortiGate layouts. */
static enum vpn_parse parse_line(const struct vpnlog_opts *o,
				 enum vpn_format fmt, struct slice line,
				 struct vpn_event *ev, enum vpn_format *hint,
				 struct vpnlog_state *st)
{
	enum vpn_parse r;

	if (fmt == VPN_FMT_FORTIGATE)
		return parse_fortigate_st(o, line, ev, st);
	if (fmt != VPN_FMT_AUTO)
		return vpnlog_parse_as(o, fmt, line, ev);
	/*
	 * The line is the first format's, in table order, that takes it:
	 * the hint only saves work. When the previous line's format takes
	 * it and no earlier format's marker is there, no earlier format
	 * could, so the answer never depends on the lines before.
	 */
	int first = 0;
	if (hint && *hint == VPN_FMT_FORTIGATE) {
		/* FortiGate after FortiGate: "logid=" is usually the first
		 * 'l' of the line, while '=' comes a few times before it;
		 * the answer is has_marker()'s. FortiGate, first in the
		 * table, is then settled either way. */
		if (has_lit(line, "logid=", 0)) {
			r = parse_fortigate_st(o, line, ev, st);
			if (r != VPN_NOT_MINE)
				return r;
		}
		first = VPN_FMT_FORTIGATE + 1;
	} else if (hint && (unsigned)*hint < VPN_FMT__MAX &&
	    has_marker(*hint, line)) {
		r = parsers[*hint](o, line, ev);
		if (r != VPN_NOT_MINE) {
			int f = 0;
			while (f < (int)*hint && !has_marker(f, line))
				f++;
			if (f == (int)*hint)
				return r;
		}
	}
	for (int f = first; f < VPN_FMT__MAX; f++) {
		if (!has_marker(f, line))
			continue;
		r = f == VPN_FMT_FORTIGATE ? parse_fortigate_st(o, line, ev, st) :
		    parsers[f](o, line, ev);
		if (r != VPN_NOT_MINE) {
			if (hint)
				*hint = f;
			return r;
		}
	}
	return VPN_NOT_MINE;
}

enum vpn_parse vpnlog_parse_line(const struct vpnlog_opts *o,
				 enum vpn_format fmt, struct slice line,
				 struct vpn_event *ev, enum vpn_format *hint)
{
	return parse_line(o, fmt, line, ev, hint, NULL);
}

void vpnlog_state_init(struct vpnlog_state *st)
{
	memset(st, 0, sizeof(*st));
	st->hint = VPN_FMT_FORTIGATE;
	for (unsigned j = 0; j < VPNLOG_FG_LAYOUTS; j++)
		for (unsigned i = 0; i < VPNLOG_FG_PAIRS; i++)
			st->fg[j].pair[i].kmask = st->fg[j].pair[i].full =
				FG_NEVER;
}

enum vpn_parse vpnlog_parse_next(const struct vpnlog_opts *o,
				 enum vpn_format fmt, struct slice line,
				 struct vpn_event *ev, struct vpnlog_state *st)
{
	return parse_line(o, fmt, line, ev, &st->hint, st);
}
