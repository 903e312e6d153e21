/*
 * demo.c - the synthetic national registry and the 2022 and 2023
 * campaigns of "mamori demo generate" (demo.h). Published figures are exact counts
 * assigned by a seeded size-weighted draw; it must never adjust answers
 * after looking at the analysis.
 */
#include "analysis/demo.h"
#include "analysis/demo_rng.h"

#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "util/banned.h"

/* ---- what is reproduced ------------------------------------------------ */

/* The published EHR count and its base: 4,020 of 6,216 respondents. */
#define EHR_PUBLISHED 4020
#define RESP_PUBLISHED 6216

const struct demo_target demo_targets[] = {
	{ "ehr_in_use", 4020.0 / 6216.0, "respondents" },
	{ "makes_backups", 0.959, "EHR users" },
	{ "keeps_generations", 0.807, "EHR users" },
	{ "no_leak_protection", 0.476, "EHR users" },
	{ "backups_not_isolated", 0.525, "EHR users" },
	{ "vpn_log_not_reviewed", 0.60, "hospitals with a VPN device" },
};
const size_t demo_ntargets = sizeof(demo_targets) / sizeof(demo_targets[0]);

const char *const demo_instrument_paths[] = {
	MAMORI_DEMO_INSTRUMENT_INSTALLED,
	MAMORI_DEMO_INSTRUMENT_SOURCE,
	"instruments/mhlw/hospital-backup-vpn-2022.yaml",
	NULL,
};

/*
 * The published 2023 figures (integer percents; denominators as the
 * 2023 instrument's indicators read them). The BCP figure is also
 * reproduced in the two published size bands.
 */
#define SHARE23_EHR 0.71
#define SHARE23_BACKUPS 0.98
#define SHARE23_OFFLINE 0.49
#define SHARE23_GENERATIONS 0.78
#define SHARE23_LEAK_PROTECTION 0.65
#define SHARE23_CONNECTION_POINTS 0.44
#define SHARE23_LOG_REVIEW 0.35
#define SHARE23_BCP 0.23
#define SHARE23_BCP_20_99 0.14
#define SHARE23_BCP_500 0.45
/* Not published: who answered in 2023 (mamori's assumption). */
#define RESP23_SHARE 0.80

const struct demo_target demo_targets_2023[] = {
	{ "ehr_in_use", SHARE23_EHR, "respondents" },
	{ "makes_backups", SHARE23_BACKUPS, "EHR users" },
	{ "offline_backup", SHARE23_OFFLINE, "EHR users" },
	{ "keeps_generations", SHARE23_GENERATIONS, "EHR users" },
	{ "leak_protection", SHARE23_LEAK_PROTECTION, "EHR users" },
	{ "connection_points_managed", SHARE23_CONNECTION_POINTS,
	  "respondents" },
	{ "log_review", SHARE23_LOG_REVIEW, "respondents" },
	{ "cyber_bcp", SHARE23_BCP, "respondents" },
};
const size_t demo_ntargets_2023 =
	sizeof(demo_targets_2023) / sizeof(demo_targets_2023[0]);

const char *const demo_instrument_2023_paths[] = {
	MAMORI_DEMO_INSTRUMENT_2023_INSTALLED,
	MAMORI_DEMO_INSTRUMENT_2023_SOURCE,
	"instruments/mhlw/hospital-backup-vpn-2023.yaml",
	NULL,
};

/*
 * mamori's assumptions (nothing published): shares of VPN holders, of
 * restore tests among backup makers, and the choices of Q2-Q4, Q12, Q13,
 * Q11's makers and models. Ordered best first.
 */
#define VPN_SHARE 0.45
#define RESTORE_TESTED_SHARE 0.60
static const double q2_shares[] = { 0.35, 0.45, 0.20 };
static const double q3_shares[] = { 0.30, 0.30, 0.10, 0.30 };
static const double q4_shares[] = { 0.25, 0.40, 0.35 };
static const double q12_shares[] = { 0.70, 0.10, 0.20 };	/* yes no ? */
static const double q13_shares[] = { 0.65, 0.15, 0.20 };
static const char *const q2_values[] = { "appointed_separate",
					  "appointed_combined",
					  "not_appointed" };
static const char *const q3_values[] = { "guideline_and_tools",
					  "guideline_only", "tools_only",
					  "neither" };
static const char *const q4_values[] = { "documented_trained",
					  "documented_not_trained", "none" };
static const char *const q6_values[] = { "made_restore_tested",
					  "made_restore_untested",
					  "not_made" };
static const char *const ynu_values[] = { "yes", "no", "unknown" };

/* ---- the registry ------------------------------------------------------ */

/* Population in 10,000s (2020 census, rounded), JIS order. */
static const unsigned pref_pop[47] = {
	522, 124, 121, 230, 96, 107, 183, 287, 193, 194, 734, 628, 1405,
	924, 220, 103, 113, 77, 81, 205, 198, 363, 754, 177, 141, 258, 884,
	547, 132, 92, 55, 67, 189, 280, 134, 72, 95, 133, 69, 514, 81, 131,
	174, 112, 107, 159, 147,
};

/* Hospitals by beds (share of all hospitals, roughly as in Japan). */
static const struct {
	int lo, hi;
	double share;
} bed_classes[] = {
	{ 20, 49, 0.110 }, { 50, 99, 0.260 }, { 100, 149, 0.170 },
	{ 150, 199, 0.160 }, { 200, 299, 0.130 }, { 300, 399, 0.080 },
	{ 400, 499, 0.040 }, { 500, 599, 0.020 }, { 600, 699, 0.014 },
	{ 700, 899, 0.010 }, { 900, 1200, 0.006 },
};
#define NCLASSES (sizeof(bed_classes) / sizeof(bed_classes[0]))

enum { F_NATIONAL, F_PUBLIC, F_SOCIAL, F_MEDCORP, F_INDIVIDUAL, F_OTHER,
       F__MAX };
static const char *const founder_names[F__MAX] = {
	"national", "public", "social_insurance", "medical_corporation",
	"individual", "other",
};
/* Founder shares (percent) for < 200, 200-399 and 400+ beds. */
static const double founder_pct[3][F__MAX] = {
	{ 2.0, 10.0, 0.5, 77.0, 2.5, 8.0 },
	{ 6.0, 22.0, 1.0, 55.0, 0.5, 15.5 },
	{ 14.0, 45.0, 2.0, 14.0, 0.0, 25.0 },
};

static const char *const name_a[] = {
	"中央", "記念", "総合", "市民", "協立", "共済", "第一", "平和",
	"緑ヶ丘", "桜", "青葉", "港", "山手", "南", "北", "東", "西", "城山",
};
static const char *const name_b[] = {
	"病院", "総合病院", "医療センター", "記念病院", "中央病院",
};
static const char *const surnames[] = {
	"佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村",
	"小林", "加藤", "吉田", "山田",
};
static const char *const given[] = {
	"太郎", "花子", "健一", "裕子", "誠", "直美", "大輔", "恵",
};
static const char *const departments[] = {
	"事務部 情報システム課", "医療情報管理室", "総務課", "医事課",
	"情報管理部", "経営企画室",
};

/* VPN makers and models (Q11) with their weights. */
static const struct {
	const char *maker, *models[3];
	unsigned weight;
} vpn_makers[] = {
	{ "Fortinet", { "FortiGate 60E", "FortiGate 60F", "FortiGate 40F" }, 35 },
	{ "ヤマハ", { "RTX1210", "RTX830", "RTX1220" }, 20 },
	{ "Cisco", { "ISR 1100", "ASA 5506-X", "RV340" }, 15 },
	{ "NEC", { "UNIVERGE IX2106", "UNIVERGE IX2215", "UNIVERGE IX3110" }, 10 },
	{ "Palo Alto Networks", { "PA-220", "PA-440", "PA-820" }, 6 },
	{ "SonicWall", { "TZ370", "TZ470", "NSa 2700" }, 6 },
	{ "Pulse Secure", { "PSA300", "PSA3000", "PSA5000" }, 4 },
	{ "アライドテレシス", { "AR4050S", "AR3050S", "AR2050V" }, 4 },
};
#define NMAKERS (sizeof(vpn_makers) / sizeof(vpn_makers[0]))

struct hosp {
	char id[16];
	int pref;		/* 0..46 */
	int beds;
	int founder;
	bool respondent, draft;
	/* answers: indices into the value tables above */
	int q2, q3, q4, q6, q12, q13;
	bool ehr, q7, q8, q9, vpn, q14;
	bool conn, logrev, bcp;		/* 2023 only (q8: offline copy) */
	int rows;
};

/* ---- exact, size-weighted draws ------------------------------------- */

/* The size factor: beds / 100. */
static double size_z(const struct hosp *h)
{
	return (double)h->beds / 100.0;
}

struct keyed {
	double key;
	size_t i;
};

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? 1 : -1;	/* descending */
	return (x->i > y->i) - (x->i < y->i);
}

/*
 * Draw exactly k of the n hospitals idx[] without replacement, each with
 * weight z^alpha (Efraimidis-Spirakis: the k largest u^(1/w)); mark[i]
 * is set for the drawn. scratch holds n entries.
 */
static void draw(struct rng *r, struct hosp *h, const size_t *idx, size_t n,
		 size_t k, double alpha, bool *mark, struct keyed *scratch)
{
	for (size_t j = 0; j < n; j++) {
		double w = pow(size_z(&h[idx[j]]), alpha);
		scratch[j].key = log(rng_unit(r)) / w;
		scratch[j].i = idx[j];
	}
	qsort(scratch, n, sizeof(*scratch), cmp_keyed);
	for (size_t j = 0; j < n; j++)
		mark[scratch[j].i] = j < k;
}

static size_t round_count(double x)
{
	return (size_t)floor(x + 0.5);
}

/*
 * Ordered categories, best first: exact counts round(n * share) for all
 * but the last, which takes the rest; each drawn among those left with
 * weight z^alpha, so larger hospitals land in better categories. out[i]
 * gets the category of hospital i.
 */
static void assign_ordered(struct rng *r, struct hosp *h, size_t *idx,
			   size_t n, const double *shares, size_t ncat,
			   double alpha, int *out, size_t stride, bool *mark,
			   struct keyed *scratch)
{
	size_t left = n;

	for (size_t c = 0; c + 1 < ncat; c++) {
		size_t k = round_count(shares[c] * (double)n);
		if (k > left)
			k = left;
		draw(r, h, idx, left, k, alpha, mark, scratch);
		size_t w = 0;
		for (size_t j = 0; j < left; j++) {
			size_t i = idx[j];
			if (mark[i])
				*(int *)((char *)out + i * stride) = (int)c;
			else
				idx[w++] = i;
		}
		left = w;
	}
	for (size_t j = 0; j < left; j++)
		*(int *)((char *)out + idx[j] * stride) = (int)(ncat - 1);
}

/* ---- the registry ------------------------------------------------------- */

static void make_registry(struct rng *r, struct hosp *h, size_t n)
{
	size_t per[47], total = 0, serial[47] = { 0 };
	double rem[47], sum = 0;

	/* hospitals per prefecture by population, largest remainder */
	for (int p = 0; p < 47; p++)
		sum += pref_pop[p];
	for (int p = 0; p < 47; p++) {
		double q = (double)n * pref_pop[p] / sum;
		per[p] = (size_t)floor(q);
		rem[p] = q - floor(q);
		total += per[p];
	}
	while (total < n) {
		int best = 0;
		for (int p = 1; p < 47; p++)
			if (rem[p] > rem[best])
				best = p;
		per[best]++;
		rem[best] = -1;
		total++;
	}
	size_t i = 0;
	for (int p = 0; p < 47; p++) {
		for (size_t k = 0; k < per[p]; k++, i++) {
			struct hosp *x = &h[i];
			double u = rng_unit(r), acc = 0;
			size_t c = 0;
			memset(x, 0, sizeof(*x));
			x->pref = p;
			for (c = 0; c + 1 < NCLASSES; c++) {
				acc += bed_classes[c].share;
				if (u < acc)
					break;
			}
			x->beds = bed_classes[c].lo +
				  (int)rng_below(r, (size_t)(bed_classes[c].hi -
							     bed_classes[c].lo +
							     1));
			int band = x->beds < 200 ? 0 : x->beds < 400 ? 1 : 2;
			u = rng_unit(r) * 100.0;
			acc = 0;
			for (x->founder = 0; x->founder + 1 < F__MAX;
			     x->founder++) {
				acc += founder_pct[band][x->founder];
				if (u < acc)
					break;
			}
			snprintf(x->id, sizeof(x->id), "G%02d%05zu", p + 1,
				 ++serial[p]);
		}
	}
}

static void pref_short(int p, struct strbuf *out)
{
	const char *ja = prefectures[p].ja;
	size_t n = strlen(ja);
	/* 都, 道, 府, 県 are one 3-byte character; 北海道 stays whole */
	if (p != 0 && n > 3)
		n -= 3;
	strbuf_add(out, ja, n);
}

static void registry_csv(struct rng *r, const struct hosp *h, size_t n,
			 struct strbuf *csv)
{
	strbuf_addstr(csv, "id,name,kind,prefecture,beds,founder\n");
	for (size_t i = 0; i < n; i++) {
		strbuf_addf(csv, "%s,", h[i].id);
		pref_short(h[i].pref, csv);
		strbuf_addf(csv, "%s%s,hospital,%s,%d,%s\n",
			    name_a[rng_below(r, sizeof(name_a) /
						    sizeof(name_a[0]))],
			    name_b[rng_below(r, sizeof(name_b) /
						    sizeof(name_b[0]))],
			    prefectures[h[i].pref].code, h[i].beds,
			    founder_names[h[i].founder]);
	}
}

/* ---- answers ------------------------------------------------------------ */

/* idx[] = the hospitals (of all n) for which sel(h) holds; count. */
static size_t select_idx(const struct hosp *h, size_t n, size_t *idx,
			 bool (*sel)(const struct hosp *))
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (sel(&h[i]))
			idx[k++] = i;
	return k;
}

static bool is_resp(const struct hosp *x) { return x->respondent; }
static bool is_ehr(const struct hosp *x) { return x->respondent && x->ehr; }
static bool is_maker(const struct hosp *x)
{
	return x->respondent && x->ehr && x->q6 != 2;
}
static bool is_vpn(const struct hosp *x) { return x->respondent && x->vpn; }
static bool is_silent(const struct hosp *x) { return !x->respondent; }

/* Among the EHR users, exactly total "bad" answers (q7/q8/q9 false):
 * every hospital that makes no backup, then the rest among the makers
 * drawn towards the smaller ones. */
static void assign_bad(struct rng *r, struct hosp *h, size_t n, size_t *idx,
		       size_t total, size_t offset, bool *mark,
		       struct keyed *scratch)
{
	size_t nmak = select_idx(h, n, idx, is_maker), none = 0;

	for (size_t i = 0; i < n; i++)
		if (is_ehr(&h[i]) && h[i].q6 == 2) {
			*(bool *)((char *)&h[i] + offset) = false;
			none++;
		}
	size_t k = total > none ? total - none : 0;
	if (k > nmak)
		k = nmak;
	draw(r, h, idx, nmak, k, -0.7, mark, scratch);
	for (size_t j = 0; j < nmak; j++)
		*(bool *)((char *)&h[idx[j]] + offset) = !mark[idx[j]];
}

static void make_vpn(struct rng *r, struct hosp *h, size_t n, size_t *idx,
		     bool *mark, struct keyed *scratch);

static void make_answers(struct rng *r, struct hosp *h, size_t n,
			 size_t nresp, size_t *idx, bool *mark,
			 struct keyed *scratch)
{
	size_t k, m;

	/* who answers: larger hospitals a little more often */
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	draw(r, h, idx, n, nresp, 0.3, mark, scratch);
	for (size_t i = 0; i < n; i++)
		h[i].respondent = mark[i];

	/* Q5: exactly the published share of EHR users */
	m = select_idx(h, n, idx, is_resp);
	k = round_count((double)nresp * EHR_PUBLISHED / RESP_PUBLISHED);
	draw(r, h, idx, m, k, 1.0, mark, scratch);
	for (size_t j = 0; j < m; j++)
		h[idx[j]].ehr = mark[idx[j]];

	/* Q2-Q4 over every respondent */
	m = select_idx(h, n, idx, is_resp);
	assign_ordered(r, h, idx, m, q2_shares, 3, 0.7, &h[0].q2,
		       sizeof(*h), mark, scratch);
	m = select_idx(h, n, idx, is_resp);
	assign_ordered(r, h, idx, m, q3_shares, 4, 0.5, &h[0].q3,
		       sizeof(*h), mark, scratch);
	m = select_idx(h, n, idx, is_resp);
	assign_ordered(r, h, idx, m, q4_shares, 3, 0.7, &h[0].q4,
		       sizeof(*h), mark, scratch);

	/* Q6: makers = round(95.9 % of EHR users); of them 60 % test */
	size_t e = select_idx(h, n, idx, is_ehr);
	size_t makers = round_count(0.959 * (double)e);
	size_t tested = round_count(RESTORE_TESTED_SHARE * (double)makers);
	double q6_shares[3] = { e ? (double)tested / (double)e : 0,
				e ? (double)(makers - tested) / (double)e : 0,
				0 };
	assign_ordered(r, h, idx, e, q6_shares, 3, 0.7, &h[0].q6, sizeof(*h),
		       mark, scratch);

	/* Q7: generations kept by round(80.7 %) of EHR users, all makers */
	size_t nm = select_idx(h, n, idx, is_maker);
	k = round_count(0.807 * (double)e);
	draw(r, h, idx, nm, k > nm ? nm : k, 0.7, mark, scratch);
	for (size_t i = 0; i < n; i++)
		if (is_ehr(&h[i]))
			h[i].q7 = is_maker(&h[i]) && mark[i];
	/* Q8, Q9: "no" for exactly the published shares */
	assign_bad(r, h, n, idx, round_count(0.525 * (double)e),
		   offsetof(struct hosp, q8), mark, scratch);
	assign_bad(r, h, n, idx, round_count(0.476 * (double)e),
		   offsetof(struct hosp, q9), mark, scratch);

	make_vpn(r, h, n, idx, mark, scratch);
}

/* Q10-Q14 over the respondents: the same draws in 2022 and 2023. */
static void make_vpn(struct rng *r, struct hosp *h, size_t n, size_t *idx,
		     bool *mark, struct keyed *scratch)
{
	size_t k, m;

	/* Q10: VPN devices (assumed share), more often with an EHR */
	m = select_idx(h, n, idx, is_resp);
	for (size_t j = 0; j < m; j++) {
		double w = pow(size_z(&h[idx[j]]), 0.5) *
			   (h[idx[j]].ehr ? 3.0 : 1.0);
		scratch[j].key = log(rng_unit(r)) / w;
		scratch[j].i = idx[j];
	}
	qsort(scratch, m, sizeof(*scratch), cmp_keyed);
	k = round_count(VPN_SHARE * (double)m);
	for (size_t j = 0; j < m; j++)
		h[scratch[j].i].vpn = j < k;

	/* Q14: "no" for exactly 60 % of VPN holders, smaller ones first */
	size_t v = select_idx(h, n, idx, is_vpn);
	k = round_count(0.60 * (double)v);
	draw(r, h, idx, v, k, -0.7, mark, scratch);
	for (size_t j = 0; j < v; j++)
		h[idx[j]].q14 = !mark[idx[j]];
	/* Q12, Q13 */
	v = select_idx(h, n, idx, is_vpn);
	assign_ordered(r, h, idx, v, q12_shares, 3, 0.7, &h[0].q12,
		       sizeof(*h), mark, scratch);
	v = select_idx(h, n, idx, is_vpn);
	assign_ordered(r, h, idx, v, q13_shares, 3, 0.7, &h[0].q13,
		       sizeof(*h), mark, scratch);
	/* Q11: one row per model; larger hospitals have more */
	for (size_t i = 0; i < n; i++) {
		if (!is_vpn(&h[i]))
			continue;
		double u = rng_unit(r);
		h[i].rows = u < (h[i].beds >= 300 ? 0.55 : 0.75) ? 1
			    : u < 0.95 ? 2 : 3;
	}
}

/* ---- the 2023 round ---------------------------------------------------- */

static bool is_resp_20_99(const struct hosp *x)
{
	return x->respondent && x->beds >= 20 && x->beds < 100;
}

static bool is_resp_500(const struct hosp *x)
{
	return x->respondent && x->beds >= 500;
}

static bool is_resp_other_beds(const struct hosp *x)
{
	return x->respondent && !is_resp_20_99(x) && !is_resp_500(x);
}

/*
 * Among the hospitals for which sel() holds, exactly k (at most all of
 * them) drawn with weight z^alpha get true in the bool at offset, the
 * others false. The number selected.
 */
static size_t set_drawn(struct rng *r, struct hosp *h, size_t n, size_t *idx,
			bool (*sel)(const struct hosp *), size_t k,
			double alpha, size_t offset, bool *mark,
			struct keyed *scratch)
{
	size_t m = select_idx(h, n, idx, sel);

	if (k > m)
		k = m;
	draw(r, h, idx, m, k, alpha, mark, scratch);
	for (size_t j = 0; j < m; j++)
		*(bool *)((char *)&h[idx[j]] + offset) = mark[idx[j]];
	return m;
}

/*
 * The 2023 answers of the same registry: who answers is drawn afresh;
 * every published 2023 share is an exact count drawn as in 2022; Q2-Q4
 * and the VPN questions keep the 2022 assumptions.
 */
static void make_answers_2023(struct rng *r, struct hosp *h, size_t n,
			      size_t nresp, size_t *idx, bool *mark,
			      struct keyed *scratch)
{
	size_t k, m;

	for (size_t i = 0; i < n; i++) {
		struct hosp keep = h[i];
		memset(&h[i], 0, sizeof(h[i]));
		memcpy(h[i].id, keep.id, sizeof(h[i].id));
		h[i].pref = keep.pref;
		h[i].beds = keep.beds;
		h[i].founder = keep.founder;
		idx[i] = i;
	}
	draw(r, h, idx, n, nresp, 0.3, mark, scratch);
	for (size_t i = 0; i < n; i++)
		h[i].respondent = mark[i];

	/* Q5: 71 % of the respondents */
	set_drawn(r, h, n, idx, is_resp,
		  round_count(SHARE23_EHR * (double)nresp), 1.0,
		  offsetof(struct hosp, ehr), mark, scratch);

	/* Q2-Q4 as in 2022 (not published) */
	m = select_idx(h, n, idx, is_resp);
	assign_ordered(r, h, idx, m, q2_shares, 3, 0.7, &h[0].q2,
		       sizeof(*h), mark, scratch);
	m = select_idx(h, n, idx, is_resp);
	assign_ordered(r, h, idx, m, q3_shares, 4, 0.5, &h[0].q3,
		       sizeof(*h), mark, scratch);
	m = select_idx(h, n, idx, is_resp);
	assign_ordered(r, h, idx, m, q4_shares, 3, 0.7, &h[0].q4,
		       sizeof(*h), mark, scratch);

	/* Q6: makers = round(98 % of EHR users); of them 60 % test */
	size_t e = select_idx(h, n, idx, is_ehr);
	size_t makers = round_count(SHARE23_BACKUPS * (double)e);
	size_t tested = round_count(RESTORE_TESTED_SHARE * (double)makers);
	double q6_shares[3] = { e ? (double)tested / (double)e : 0,
				e ? (double)(makers - tested) / (double)e : 0,
				0 };
	assign_ordered(r, h, idx, e, q6_shares, 3, 0.7, &h[0].q6, sizeof(*h),
		       mark, scratch);

	/* Q7: generations kept by round(78 %) of EHR users, all makers */
	size_t nm = select_idx(h, n, idx, is_maker);
	k = round_count(SHARE23_GENERATIONS * (double)e);
	draw(r, h, idx, nm, k > nm ? nm : k, 0.7, mark, scratch);
	for (size_t i = 0; i < n; i++)
		if (is_ehr(&h[i]))
			h[i].q7 = is_maker(&h[i]) && mark[i];
	/* Q8 (an offline copy), Q9: "yes" for exactly the published shares */
	assign_bad(r, h, n, idx, e - round_count(SHARE23_OFFLINE * (double)e),
		   offsetof(struct hosp, q8), mark, scratch);
	assign_bad(r, h, n, idx,
		   e - round_count(SHARE23_LEAK_PROTECTION * (double)e),
		   offsetof(struct hosp, q9), mark, scratch);

	make_vpn(r, h, n, idx, mark, scratch);

	/* Q14, Q15 over every respondent */
	set_drawn(r, h, n, idx, is_resp,
		  round_count(SHARE23_CONNECTION_POINTS * (double)nresp), 0.7,
		  offsetof(struct hosp, conn), mark, scratch);
	set_drawn(r, h, n, idx, is_resp,
		  round_count(SHARE23_LOG_REVIEW * (double)nresp), 0.7,
		  offsetof(struct hosp, logrev), mark, scratch);

	/* Q16: 14 % of 20-99 beds, 45 % of 500+, the rest of the national
	 * 23 % among the others, larger ones first */
	size_t small = select_idx(h, n, idx, is_resp_20_99);
	size_t large = select_idx(h, n, idx, is_resp_500);
	size_t ks = round_count(SHARE23_BCP_20_99 * (double)small);
	size_t kl = round_count(SHARE23_BCP_500 * (double)large);
	size_t kt = round_count(SHARE23_BCP * (double)nresp);
	set_drawn(r, h, n, idx, is_resp_20_99, ks, 0.7,
		  offsetof(struct hosp, bcp), mark, scratch);
	set_drawn(r, h, n, idx, is_resp_500, kl, 0.7,
		  offsetof(struct hosp, bcp), mark, scratch);
	set_drawn(r, h, n, idx, is_resp_other_beds,
		  kt > ks + kl ? kt - ks - kl : 0, 1.0,
		  offsetof(struct hosp, bcp), mark, scratch);
}

static json_t *answers_json(struct rng *r, const struct hosp *x, int year)
{
	char phone[32], email[64];
	json_t *o;

	snprintf(phone, sizeof(phone), "0%d-%04u-%04u",
		 3 + (int)rng_below(r, 7), (unsigned)rng_below(r, 10000),
		 (unsigned)rng_below(r, 10000));
	snprintf(email, sizeof(email), "it-%s@hospital.example.jp", x->id);
	for (char *p = email; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	char name[64];
	snprintf(name, sizeof(name), "%s %s",
		 surnames[rng_below(r, sizeof(surnames) / sizeof(*surnames))],
		 given[rng_below(r, sizeof(given) / sizeof(*given))]);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
		      "respondent_name", name,
		      "respondent_department",
		      departments[rng_below(r, sizeof(departments) /
						  sizeof(*departments))],
		      "respondent_phone", phone, "respondent_email", email,
		      "q2_security_officer", q2_values[x->q2],
		      "q3_guideline", q3_values[x->q3],
		      "q4_emergency_procedure", q4_values[x->q4],
		      "q5_ehr", x->ehr ? "yes" : "no",
		      "q10_vpn", x->vpn ? "yes" : "no");
	if (!o)
		return NULL;
	if (x->ehr) {
		json_object_set_new(o, "q6_backup", json_string(q6_values[x->q6]));
		json_object_set_new(o, "q7_generations",
				    json_string(x->q7 ? "yes" : "no"));
		json_object_set_new(o, year == 2023 ? "q8_offline_backup"
						    : "q8_isolated_storage",
				    json_string(x->q8 ? "yes" : "no"));
		json_object_set_new(o, "q9_leak_protection",
				    json_string(x->q9 ? "yes" : "no"));
	}
	if (x->vpn) {
		json_t *rows = json_array();
		unsigned total = 0;
		for (unsigned k = 0; k < NMAKERS; k++)
			total += vpn_makers[k].weight;
		for (int k = 0; rows && k < x->rows; k++) {
			unsigned u = (unsigned)rng_below(r, total), mk = 0;
			while (u >= vpn_makers[mk].weight) {
				u -= vpn_makers[mk].weight;
				mk++;
			}
			json_t *row = json_pack("{s:s, s:s, s:i}", "maker",
				vpn_makers[mk].maker, "model",
				vpn_makers[mk].models[rng_below(r, 3)], "units",
				1 + (x->beds >= 400) + (int)rng_below(r, 2));
			json_array_append_new(rows, row);
		}
		json_object_set_new(o, "q11_vpn_devices", rows);
		json_object_set_new(o, "q12_vpn_updated",
				    json_string(ynu_values[x->q12]));
		json_object_set_new(o, "q13_vpn_restricted",
				    json_string(ynu_values[x->q13]));
		if (year != 2023)
			json_object_set_new(o, "q14_vpn_log_review",
					    json_string(x->q14 ? "yes" : "no"));
	}
	if (year == 2023) {
		json_object_set_new(o, "q14_connection_points",
				    json_string(x->conn ? "yes" : "no"));
		json_object_set_new(o, "q15_log_review",
				    json_string(x->logrev ? "yes" : "no"));
		json_object_set_new(o, "q16_cyber_bcp",
				    json_string(x->bcp ? "yes" : "no"));
	}
	return o;
}

/* ---- into the store --------------------------------------------------- */

static int ignore_code(void *ud, const struct store_org *org,
		       const char *code)
{
	(void)ud;
	(void)org;
	(void)code;
	return 0;
}

static int cmp_time(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	return (x->key > y->key) - (x->key < y->key);
}

#define BATCH 256

static enum mamori_err submit_all(struct store *st,
				  const struct store_actor *who,
				  struct rng *r, struct hosp *h, size_t n,
				  int64_t campaign, int year,
				  const struct store_window *w, size_t nw,
				  struct keyed *order, size_t *accepted_all,
				  struct strbuf *err)
{
	struct store_submission sub[BATCH];
	char *bodies[BATCH];
	size_t m = 0;
	enum mamori_err e = MAMORI_OK;

	/* a submission time each: 85 % in the first window */
	for (size_t i = 0; i < n; i++) {
		if (!h[i].respondent)
			continue;
		double u = rng_unit(r);
		const struct store_window *win = nw < 2 || u < 0.85 ? &w[0]
								    : &w[1];
		order[m].key = (double)win->opens +
			       rng_unit(r) * (double)(win->closes - win->opens -
						      60);
		order[m].i = i;
		m++;
	}
	qsort(order, m, sizeof(*order), cmp_time);
	*accepted_all = 0;
	for (size_t s = 0; s < m && !e; s += BATCH) {
		size_t nb = m - s < BATCH ? m - s : BATCH, accepted = 0;
		memset(sub, 0, sizeof(sub));
		store_set_clock(st, (int64_t)order[s + nb - 1].key);
		for (size_t j = 0; j < nb; j++) {
			json_t *a = answers_json(r, &h[order[s + j].i], year);
			bodies[j] = a ? json_dumps(a, JSON_COMPACT) : NULL;
			json_decref(a);
			if (!bodies[j]) {
				for (size_t q = 0; q < j; q++)
					free(bodies[q]);
				return MAMORI_ENOMEM;
			}
			sub[j] = (struct store_submission){
				.campaign = campaign,
				.org = h[order[s + j].i].id,
				.json = bodies[j],
				.len = strlen(bodies[j]),
				.base = STORE_REV_ANY,
			};
			strbuf_init(&sub[j].err, 0);
		}
		e = store_response_submit_batch(st, who, sub, nb, &accepted,
						err);
		for (size_t j = 0; j < nb; j++) {
			if (!e && sub[j].result) {
				strbuf_addf(err, "%s: %s", sub[j].org,
					    sub[j].err.buf);
				e = sub[j].result;
			}
			strbuf_release(&sub[j].err);
			free(bodies[j]);
		}
		*accepted_all += accepted;
	}
	return e;
}

/* A few hospitals that never submitted leave a draft: Q2-Q5 only. */
static enum mamori_err save_drafts(struct store *st,
				   const struct store_actor *who,
				   struct rng *r, struct hosp *h, size_t n,
				   size_t *idx, size_t ndrafts,
				   const struct store_window *last,
				   int64_t campaign,
				   size_t *saved, struct strbuf *err)
{
	size_t m = select_idx(h, n, idx, is_silent);
	enum mamori_err e = MAMORI_OK;

	*saved = 0;
	for (size_t k = 0; k < ndrafts && k < m && !e; k++) {
		size_t j = k + rng_below(r, m - k), t = idx[k];
		idx[k] = idx[j];
		idx[j] = t;
		struct hosp *x = &h[idx[k]];
		json_t *a = json_pack("{s:s, s:s, s:s}", "q2_security_officer",
				      q2_values[rng_below(r, 3)],
				      "q3_guideline", q3_values[rng_below(r, 4)],
				      "q5_ehr", rng_unit(r) < 0.5 ? "yes" : "no");
		char *body = a ? json_dumps(a, JSON_COMPACT) : NULL;
		int64_t rev;
		json_decref(a);
		if (!body)
			return MAMORI_ENOMEM;
		store_set_clock(st, last->opens + (last->closes - last->opens) *
					    (int64_t)(k + 1) /
					    (int64_t)(ndrafts + 1));
		e = store_response_save(st, who, campaign, x->id, body,
					strlen(body), STORE_REV_ANY, &rev, err);
		free(body);
		if (!e) {
			x->draft = true;
			(*saved)++;
		}
	}
	return e;
}

/*
 * The closed 2023 campaign over the registry already imported: the same
 * instrument id, its own answers (make_answers_2023).
 */
static enum mamori_err generate_2023(struct store *st,
				     const struct store_actor *who,
				     const struct demo_opts *opts,
				     struct rng *r, struct hosp *h, size_t n,
				     size_t *idx, bool *mark,
				     struct keyed *scratch,
				     struct demo_stats *out, struct strbuf *err)
{
	struct store_campaign_new cn = { 0 };
	size_t nresp = opts->respondents_2023
			       ? opts->respondents_2023
			       : round_count(RESP23_SHARE * (double)n);
	enum mamori_err e;

	if (!nresp)
		nresp = 1;
	if (nresp > n) {
		strbuf_addf(err, "demo: 2023 respondents (%zu) above "
			    "hospitals (%zu)", nresp, n);
		return MAMORI_EINVAL;
	}
	make_answers_2023(r, h, n, nresp, idx, mark, scratch);
	store_set_clock(st, 1684972800);	/* 2023-05-25 */
	cn.title = "病院における医療情報システムのバックアップデータ及び"
		   "リモートゲートウェイ装置に係る調査（2023年、デモ）";
	cn.instrument_name = opts->instrument_2023_name;
	cn.instrument = opts->instrument_2023;
	cn.instrument_len = opts->instrument_2023_len;
	cn.target = "kind = 'hospital'";
	cn.nwindows = 1;
	if ((e = store_time_parse("2023-06-01", false, &cn.windows[0].opens)) ||
	    (e = store_time_parse("2023-06-30", true, &cn.windows[0].closes)))
		return e;
	if ((e = store_campaign_create(st, who, &cn, &out->campaign_2023,
				       err)) ||
	    (e = store_campaign_invite(st, who, out->campaign_2023,
				       ignore_code, NULL, &out->invited_2023,
				       err)) ||
	    (e = submit_all(st, who, r, h, n, out->campaign_2023, 2023,
			    cn.windows, cn.nwindows, scratch,
			    &out->respondents_2023, err)))
		return e;
	return save_drafts(st, who, r, h, n, idx, n / 50, &cn.windows[0],
			   out->campaign_2023, &out->drafts_2023, err);
}

enum mamori_err demo_generate(struct store *st, const struct store_actor *who,
			      const struct demo_opts *opts,
			      struct demo_stats *out, struct strbuf *err)
{
	size_t n = opts->hospitals ? opts->hospitals : 8252;
	size_t nresp = opts->respondents ? opts->respondents : 6216;
	struct rng r = { opts->seed ? opts->seed : 2022 };
	struct store_import_stats is;
	struct strbuf csv = STRBUF_INIT;
	struct store_campaign_new cn = { 0 };
	struct hosp *h = NULL;
	size_t *idx = NULL;
	bool *mark = NULL;
	struct keyed *scratch = NULL;
	enum mamori_err e;

	memset(out, 0, sizeof(*out));
	if (!n || !nresp || nresp > n || n > 1000000) {
		strbuf_addf(err, "demo: need 1 <= respondents (%zu) <= "
			    "hospitals (%zu) <= 1000000", nresp, n);
		return MAMORI_EINVAL;
	}
	h = calloc(n, sizeof(*h));
	idx = calloc(n, sizeof(*idx));
	mark = calloc(n, sizeof(*mark));
	scratch = calloc(n, sizeof(*scratch));
	if (!h || !idx || !mark || !scratch) {
		e = MAMORI_ENOMEM;
		goto out;
	}
	make_registry(&r, h, n);
	registry_csv(&r, h, n, &csv);
	if (csv.err) {
		e = csv.err;
		goto out;
	}
	make_answers(&r, h, n, nresp, idx, mark, scratch);

	store_set_clock(st, 1642665600);	/* 2022-01-20T17:00+09:00 */
	if ((e = store_org_import_csv(st, who, csv.buf, csv.len,
				      STORE_ENC_UTF8, &is, err)))
		goto out;
	cn.title = "病院における医療情報システムのバックアップデータ及び"
		   "リモートゲートウェイ装置に係る調査（2022年、デモ）";
	cn.instrument_name = opts->instrument_name;
	cn.instrument = opts->instrument;
	cn.instrument_len = opts->instrument_len;
	cn.target = "kind = 'hospital'";
	cn.nwindows = 2;
	if ((e = store_time_parse("2022-01-27", false, &cn.windows[0].opens)) ||
	    (e = store_time_parse("2022-02-14", true, &cn.windows[0].closes)) ||
	    (e = store_time_parse("2022-03-08", false, &cn.windows[1].opens)) ||
	    (e = store_time_parse("2022-03-24", true, &cn.windows[1].closes)))
		goto out;
	if ((e = store_campaign_create(st, who, &cn, &out->campaign, err)))
		goto out;
	if ((e = store_campaign_invite(st, who, out->campaign, ignore_code,
				       NULL, &out->invited, err)))
		goto out;
	if ((e = submit_all(st, who, &r, h, n, out->campaign, 2022,
			    cn.windows, cn.nwindows, scratch, &out->respondents,
			    err)))
		goto out;
	if ((e = save_drafts(st, who, &r, h, n, idx, n / 50, &cn.windows[1],
			     out->campaign, &out->drafts, err)))
		goto out;
	out->hospitals = n;
	if (opts->instrument_2023 &&
	    (e = generate_2023(st, who, opts, &r, h, n, idx, mark, scratch,
			       out, err)))
		goto out;
out:
	store_set_clock(st, 0);
	strbuf_release(&csv);
	free(h);
	free(idx);
	free(mark);
	free(scratch);
	return e;
}
