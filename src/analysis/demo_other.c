/*
 * demo_other.c - the financial registry and the demonstration campaigns
 * of the other bundled instruments (demo_other.h). Published figures are
 * exact counts assigned by a seeded weighted draw; it must never adjust
 * answers after looking at the analysis, nor store answers the
 * instrument engine has not accepted.
 *
 * The generator (splitmix64) and the weighted draw without replacement
 * (Efraimidis-Spirakis) are the same as demo.c's, which keeps its own
 * static; they are a few lines each.
 */
#include "analysis/demo_other.h"
#include "analysis/demo_rng.h"

#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "instrument/instrument.h"
#include "store/iterate.h"
#include "util/banned.h"

#define FSA_FILE "fsa/cyber-self-assessment.yaml"

const char *const demo_other_dirs[] = {
	MAMORI_DEMO_INSTRUMENTS_INSTALLED,
	MAMORI_DEMO_INSTRUMENTS_SOURCE,
	"instruments",
	NULL,
};

/* ---- what is reproduced ------------------------------------------------ */

/*
 * The FSA and the Bank of Japan's results of the July-August 2022 round
 * (published 2023-04-18), over the 498 responding institutions.
 */
#define FSA_PLAN 0.769
#define FSA_RISK 0.827
#define FSA_SENIOR 0.430
#define FSA_LACKS_STAFF 0.717

const struct demo_target demo_fsa_targets[] = {
	{ "plan_with_top_management", FSA_PLAN, "respondents" },
	{ "periodic_risk_assessment", FSA_RISK, "respondents" },
	{ "senior_management_decides", FSA_SENIOR, "respondents" },
	{ "lacks_new_tech_staff", FSA_LACKS_STAFF, "respondents" },
};
const size_t demo_fsa_ntargets =
	sizeof(demo_fsa_targets) / sizeof(demo_fsa_targets[0]);

/*
 * mamori's assumptions (nothing published in these terms): "more than
 * half" with third-party gaps is drawn as 55 %; patching of Internet-
 * facing and internal systems follows the 2023 round's "about 90 %" and
 * "just over 30 %"; response shares of the small campaigns; every other
 * answer comes from the institution's preparedness (below) through the
 * instrument's own choices and scores.
 */
#define FSA_THIRD_PARTY_GAPS 0.55
#define FSA_PATCH_EXTERNAL 0.90
#define FSA_PATCH_INTERNAL 0.32

/* ---- the registry ------------------------------------------------------ */

enum fkind { K_REGIONAL, K_SHINKIN, K_COOP, K__MAX };

/* Id prefixes sort after the hospitals' "G": lists of organisations in
 * id order (invitation files) start with hospitals as before. */

static const struct {
	const char *kind, *prefix, *suffix;
	size_t count;
	double assets_lo, assets_hi;	/* 100 million yen, log-uniform */
	double quality;			/* mean preparedness */
} kinds[K__MAX] = {
	[K_REGIONAL] = { "regional_bank", "RB", "銀行", 99, 5000, 150000,
			 0.62 },
	[K_SHINKIN] = { "shinkin", "SK", "信用金庫", 254, 400, 40000, 0.50 },
	[K_COOP] = { "cooperative", "KU", "信用組合", 145, 100, 8000, 0.40 },
};

/* Population in 10,000s (2020 census, rounded), JIS order. */
static const unsigned pref_pop[PREFECTURE_COUNT] = {
	522, 124, 121, 230, 96, 107, 183, 287, 193, 194, 734, 628, 1405,
	924, 220, 103, 113, 77, 81, 205, 198, 363, 754, 177, 141, 258, 884,
	547, 132, 92, 55, 67, 189, 280, 134, 72, 95, 133, 69, 514, 81, 131,
	174, 112, 107, 159, 147,
};

static const char *const name_mid[] = {
	"あおば", "さくら", "ひかり", "みどり", "やまなみ", "かわせ",
	"うみかぜ", "ほし", "はなみずき", "ときわ", "こだま", "あさひ",
};
#define NMID (sizeof(name_mid) / sizeof(name_mid[0]))

struct inst {
	char id[12];
	enum fkind kind;
	int pref;
	double assets;
};

static double clamp01(double x)
{
	return x < 0.02 ? 0.02 : x > 0.98 ? 0.98 : x;
}

static size_t round_count(double x)
{
	return (size_t)floor(x + 0.5);
}

/* Per-organisation noise that does not depend on the order of draws. */
static double id_noise(const char *id)
{
	uint64_t h = 1469598103934665603ull;
	for (const char *p = id; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	struct rng r = { h };
	return rng_unit(&r) - 0.5;
}

/* ---- exact weighted draws ------------------------------------------- */

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
 * Mark exactly k of n with weights exp(alpha * q[i]) (the k largest
 * log(u) / w): alpha > 0 favours the better prepared.
 */
static void draw(struct rng *r, const double *q, size_t n, size_t k,
		 double alpha, bool *mark, struct keyed *scratch)
{
	for (size_t i = 0; i < n; i++) {
		scratch[i].key = log(rng_unit(r)) / exp(alpha * q[i]);
		scratch[i].i = i;
	}
	qsort(scratch, n, sizeof(*scratch), cmp_keyed);
	for (size_t j = 0; j < n; j++)
		mark[scratch[j].i] = j < k;
}

/* ---- the registry ---------------------------------------------------- */

static void spread(size_t n, size_t floor_each, size_t *per)
{
	double rem[PREFECTURE_COUNT], sum = 0;
	size_t total = 0;

	for (int p = 0; p < PREFECTURE_COUNT; p++)
		sum += pref_pop[p];
	for (int p = 0; p < PREFECTURE_COUNT; p++) {
		double x = (double)(n - floor_each * PREFECTURE_COUNT) *
			   pref_pop[p] / sum;
		per[p] = floor_each + (size_t)floor(x);
		rem[p] = x - floor(x);
		total += per[p];
	}
	while (total < n) {
		int best = 0;
		for (int p = 1; p < PREFECTURE_COUNT; p++)
			if (rem[p] > rem[best])
				best = p;
		per[best]++;
		rem[best] = -1;
		total++;
	}
}

static void pref_short(int p, struct strbuf *out)
{
	const char *ja = prefectures[p].ja;
	size_t n = strlen(ja);
	if (p != 0 && n > 3)	/* 都, 道, 府, 県: one 3-byte character */
		n -= 3;
	strbuf_add(out, ja, n);
}

static size_t make_registry(struct rng *r, struct inst *v, struct strbuf *csv)
{
	static const size_t floor_each[K__MAX] = { 2, 1, 1 };
	size_t n = 0;

	strbuf_addstr(csv, "id,name,kind,prefecture,assets_oku_yen,branches\n");
	for (int k = 0; k < K__MAX; k++) {
		size_t per[PREFECTURE_COUNT], serial = 0;
		spread(kinds[k].count, floor_each[k], per);
		for (int p = 0; p < PREFECTURE_COUNT; p++) {
			for (size_t j = 0; j < per[p]; j++) {
				struct inst *x = &v[n++];
				double u = rng_unit(r);
				x->kind = (enum fkind)k;
				x->pref = p;
				x->assets = floor(kinds[k].assets_lo *
						  pow(kinds[k].assets_hi /
						      kinds[k].assets_lo, u));
				snprintf(x->id, sizeof(x->id), "%s%03zu",
					 kinds[k].prefix, ++serial);
				strbuf_addf(csv, "%s,", x->id);
				pref_short(p, csv);
				strbuf_addf(csv, "%s%s%s,%s,%s,%.0f,%zu\n",
					    name_mid[j % NMID],
					    j >= NMID ? "中央" : "",
					    kinds[k].suffix, kinds[k].kind,
					    prefectures[p].code, x->assets,
					    3 + (size_t)(x->assets / 400.0) +
						    rng_below(r, 5));
			}
		}
	}
	return n;
}

/* ---- dates ----------------------------------------------------------- */

/* "YYYY-MM-DD" of t in Japan into out (11 bytes). */
static void date_of(int64_t t, char *out)
{
	char buf[40];
	store_time_format(t, buf, sizeof(buf));
	memcpy(out, buf, 10);
	out[10] = '\0';
}

static int64_t date_shift(const char *date, int days)
{
	int64_t t = 0;
	if (store_time_parse(date, false, &t))
		return 0;
	return t + (int64_t)days * 86400 + 43200;	/* noon */
}

/* ---- answers from the instrument ------------------------------------- */

struct fill {
	struct rng *r;
	const struct instrument *ins;
	double q;		/* the organisation's preparedness */
	const char *date;	/* "YYYY-MM-DD": the day it answers */
	json_t *top;		/* the answers so far (for ${ref} dates) */
};

/* A choice of a list: the better the organisation, the better the
 * choice (by score; a list without scores is ordered best first). */
static const char *pick_one(struct fill *f, const struct choice_list *l)
{
	const struct choice *scored[32];
	size_t ns = 0, nother = 0;
	const struct choice *other[32];

	for (size_t i = 0; i < l->n && i < 32; i++) {
		if (l->choices[i].has_score)
			scored[ns++] = &l->choices[i];
		else
			other[nother++] = &l->choices[i];
	}
	if (!ns) {
		double t = clamp01(f->q + (rng_unit(f->r) - 0.5) * 0.7);
		size_t i = (size_t)floor((1.0 - t) * (double)l->n);
		return l->choices[i < l->n ? i : l->n - 1].value;
	}
	if (nother && rng_unit(f->r) < 0.03)
		return other[rng_below(f->r, nother)]->value;
	/* best first (insertion sort: lists are short) */
	for (size_t i = 1; i < ns; i++)
		for (size_t j = i; j && scored[j]->score > scored[j - 1]->score;
		     j--) {
			const struct choice *t = scored[j];
			scored[j] = scored[j - 1];
			scored[j - 1] = t;
		}
	double t = clamp01(f->q + (rng_unit(f->r) - 0.5) * 0.7);
	size_t i = (size_t)floor((1.0 - t) * (double)ns);
	return scored[i < ns ? i : ns - 1]->value;
}

/* One to three choices, never a "none..." choice beside others. */
static json_t *pick_many(struct fill *f, const struct choice_list *l)
{
	json_t *a = json_array();
	size_t want = 1 + rng_below(f->r, 3), tries = 0;

	if (!a)
		return NULL;
	while (json_array_size(a) < want && tries++ < 20) {
		const struct choice *c = &l->choices[rng_below(f->r, l->n)];
		bool dup = false;
		size_t i;
		json_t *v;
		if (!strncmp(c->value, "none", 4))
			continue;
		json_array_foreach(a, i, v)
			if (!strcmp(json_string_value(v), c->value))
				dup = true;
		if (!dup)
			json_array_append_new(a, json_string(c->value));
	}
	if (!json_array_size(a))
		json_array_append_new(a, json_string(l->choices[0].value));
	return a;
}

/*
 * A date: the answering day, or for a date bound to an earlier one
 * (". >= ${x}" / ". <= ${x}") a month after or a few days before it.
 */
static json_t *pick_date(struct fill *f, const struct item *it)
{
	const char *c = it->constraint_src, *ref;
	char out[11];
	int days = 0;

	if (c && (ref = strstr(c, "${")) != NULL) {
		const char *end = strchr(ref, '}');
		char name[64];
		size_t n = end ? (size_t)(end - ref - 2) : 0;
		if (n && n < sizeof(name)) {
			memcpy(name, ref + 2, n);
			name[n] = '\0';
			const char *base = json_string_value(
				json_object_get(f->top, name));
			days = strstr(c, ">= ${") ? 20 + (int)rng_below(f->r, 40)
						  : -(int)rng_below(f->r, 4);
			if (base) {
				date_of(date_shift(base, days), out);
				return json_string(out);
			}
		}
	}
	date_of(date_shift(f->date, 0), out);
	return json_string(out);
}

static json_t *fill_items(struct fill *f, const size_t *idx, size_t n,
			  json_t *obj);

static json_t *fill_value(struct fill *f, const struct item *it)
{
	switch (it->type) {
	case ITEM_TEXT:
		return json_string("（デモ）記入例");
	case ITEM_INTEGER:
		return json_integer(1 + (json_int_t)rng_below(f->r, 12));
	case ITEM_DECIMAL:
		return json_real(1.0 + (double)rng_below(f->r, 90) / 10.0);
	case ITEM_DATE:
		return pick_date(f, it);
	case ITEM_SELECT_ONE:
		return json_string(pick_one(f, it->list));
	case ITEM_SELECT_MULTIPLE:
		return pick_many(f, it->list);
	case ITEM_REPEAT: {
		json_t *rows = json_array();
		size_t nr = it->min_rows ? it->min_rows : 1;
		for (size_t k = 0; rows && k < nr; k++) {
			json_t *row = json_object();
			if (!row || !fill_items(f, it->children, it->nchildren,
						row)) {
				json_decref(row);
				json_decref(rows);
				return NULL;
			}
			json_array_append_new(rows, row);
		}
		return rows;
	}
	default:
		return NULL;
	}
}

/* Answers for items idx[0..n) into obj (groups flattened). */
static json_t *fill_items(struct fill *f, const size_t *idx, size_t n,
			  json_t *obj)
{
	for (size_t k = 0; k < n; k++) {
		const struct item *it = &f->ins->items[idx[k]];
		if (it->type == ITEM_GROUP) {
			if (!fill_items(f, it->children, it->nchildren, obj))
				return NULL;
			continue;
		}
		if (it->type == ITEM_NOTE || it->type == ITEM_CALCULATE ||
		    it->read_only)
			continue;
		json_t *v = fill_value(f, it);
		if (!v)
			return NULL;
		json_object_set_new(obj, it->id, v);
	}
	return obj;
}

static json_t *fill_answers(struct fill *f)
{
	const struct instrument *ins = f->ins;
	size_t *top = calloc(ins->nitems ? ins->nitems : 1, sizeof(*top));
	size_t n = 0;
	json_t *o = json_object();

	if (!top || !o) {
		free(top);
		json_decref(o);
		return NULL;
	}
	for (size_t i = 0; i < ins->nitems; i++)
		if (ins->items[i].parent < 0)
			top[n++] = i;
	f->top = o;
	if (!fill_items(f, top, n, o)) {
		json_decref(o);
		o = NULL;
	}
	free(top);
	return o;
}

static void set_str(json_t *o, const char *k, const char *v)
{
	json_object_set_new(o, k, json_string(v));
}

/* ---- the campaigns -------------------------------------------------- */

struct member {
	char *id;		/* owned */
	json_t *org;		/* owned */
	double q;
	bool respondent;
	int64_t at;		/* submission time */
	json_t *answers;	/* owned */
};

struct spec;

struct run {
	struct store *st;
	const struct store_actor *who;
	struct rng r;
	const struct spec *sp;
	const struct instrument *ins;
	struct member *m;
	size_t n;
	bool *mark;
	struct keyed *scratch;
	double *q;
};

struct spec {
	const char *key, *file, *title, *target;
	const char *opens, *closes;	/* one window */
	double respond;			/* share of the population */
	bool always_open, repeatable;
	double again;			/* repeatable: share with a 2nd report */
	const char *forms_file;		/* the form instrument, or NULL */
	const char *count_item;		/* its count in the main form */
	double forms_missing;		/* share of organisations one short */
	void (*forms_tweak)(struct run *run, struct member *m, json_t *a,
			    size_t k);
	/* per respondent, after the generic answers */
	void (*tweak)(struct run *run, struct member *m, json_t *a);
	/* over all respondents (exact counts) */
	void (*shape)(struct run *run);
};

static double member_quality(const json_t *org)
{
	const char *id = json_string_value(json_object_get(org, "id"));
	const char *kind = json_string_value(json_object_get(org, "kind"));
	double beds = json_number_value(json_object_get(org, "beds"));
	double noise = id ? id_noise(id) : 0;

	for (int k = 0; kind && k < K__MAX; k++)
		if (!strcmp(kind, kinds[k].kind)) {
			double a = json_number_value(json_object_get(
				org, "assets_oku_yen"));
			double s = a > 0 ? log10(a / kinds[k].assets_lo) /
					   log10(kinds[k].assets_hi /
						 kinds[k].assets_lo)
					 : 0.5;
			return clamp01(kinds[k].quality + 0.25 * (s - 0.5) +
				       0.5 * noise);
		}
	if (beds > 0)
		return clamp01(0.35 + 0.12 * log2(beds / 100.0) + 0.5 * noise);
	return clamp01(0.5 + 0.5 * noise);
}

/* Respondents' qualities into run->q (same order as their indices). */
static size_t respondents(struct run *run, size_t *idx)
{
	size_t k = 0;
	for (size_t i = 0; i < run->n; i++)
		if (run->m[i].respondent) {
			idx[k] = i;
			run->q[k] = run->m[i].q;
			k++;
		}
	return k;
}

/*
 * Among the respondents, exactly round(share * n) get one of good[]
 * (the better prepared more likely) and the others one of bad[]; within
 * each, the better choice for the better prepared.
 */
static void exact_choice(struct run *run, const char *item, double share,
			 const char *const *good, size_t ngood,
			 const char *const *bad, size_t nbad)
{
	size_t *idx = calloc(run->n ? run->n : 1, sizeof(*idx));
	size_t n;

	if (!idx)
		return;
	n = respondents(run, idx);
	draw(&run->r, run->q, n, round_count(share * (double)n), 2.5,
	     run->mark, run->scratch);
	for (size_t j = 0; j < n; j++) {
		struct member *m = &run->m[idx[j]];
		const char *const *set = run->mark[j] ? good : bad;
		size_t ns = run->mark[j] ? ngood : nbad;
		double t = clamp01(m->q + (rng_unit(&run->r) - 0.5) * 0.5);
		size_t c = (size_t)floor((1.0 - t) * (double)ns);
		set_str(m->answers, item, set[c < ns ? c : ns - 1]);
	}
	free(idx);
}

static void fsa_shape(struct run *run)
{
	static const char *const plan_good[] = { "mgmt_involved_reviewed",
						  "mgmt_involved" };
	static const char *const plan_bad[] = { "it_only", "none" };
	static const char *const risk_good[] = { "periodic_and_on_change",
						  "periodic" };
	static const char *const risk_bad[] = { "adhoc", "none" };
	static const char *const dec_good[] = { "senior_management" };
	static const char *const dec_bad[] = { "officer", "it_division",
						"undecided" };
	/* "lacks staff" is the outcome drawn, so the worse prepared */
	static const char *const staff_lack[] = { "insufficient", "none" };
	static const char *const staff_ok[] = { "sufficient_with_plan",
						 "sufficient" };
	static const char *const patch_good[] = { "all_timely", "most" };
	static const char *const patch_bad[] = { "some", "none" };
	static const char *const tp_ok[] = { "m3", "m2" };
	static const char *const tp_items[] = { "tp1_inventory",
						 "tp2_due_diligence",
						 "tp3_monitoring" };
	size_t *idx, n;

	exact_choice(run, "gv1_plan", FSA_PLAN, plan_good, 2, plan_bad, 2);
	exact_choice(run, "id2_risk_assessment", FSA_RISK, risk_good, 2,
		     risk_bad, 2);
	exact_choice(run, "gv2_policy_decider", FSA_SENIOR, dec_good, 1,
		     dec_bad, 3);
	/* draw the ones with enough staff: 1 - 71.7 % */
	exact_choice(run, "gv4_new_tech_staff",
		     1.0 - FSA_LACKS_STAFF, staff_ok, 2, staff_lack, 2);
	exact_choice(run, "pr2_patch_external", FSA_PATCH_EXTERNAL,
		     patch_good, 2, patch_bad, 2);
	exact_choice(run, "pr3_patch_internal", FSA_PATCH_INTERNAL,
		     patch_good, 2, patch_bad, 2);

	/* third parties: every TP-1..3 at 2 or more for those drawn without
	 * gaps; the others have one of them at 1 (0 for the least ready) */
	if (!(idx = calloc(run->n ? run->n : 1, sizeof(*idx))))
		return;
	n = respondents(run, idx);
	draw(&run->r, run->q, n,
	     round_count((1.0 - FSA_THIRD_PARTY_GAPS) * (double)n), 2.5,
	     run->mark, run->scratch);
	for (size_t j = 0; j < n; j++) {
		struct member *m = &run->m[idx[j]];
		for (size_t t = 0; t < 3; t++)
			set_str(m->answers, tp_items[t],
				tp_ok[rng_unit(&run->r) < m->q ? 0 : 1]);
		if (!run->mark[j])
			set_str(m->answers, tp_items[rng_below(&run->r, 3)],
				m->q < 0.2 ? "m0" : "m1");
	}
	free(idx);
}

static void fsa_tweak(struct run *run, struct member *m, json_t *a)
{
	(void)run;
	char d[11];
	date_of(m->at, d);
	set_str(a, "assessment_date", d);
}

static void checklist_tweak(struct run *run, struct member *m, json_t *a)
{
	(void)m;
	set_str(a, "has_mis", "yes");
	json_object_set_new(a, "vendor_count",
			    json_integer(1 + (json_int_t)rng_below(&run->r,
								   4)));
}

static void vendor_tweak(struct run *run, struct member *m, json_t *a,
			 size_t k)
{
	static const char *const vendors[] = {
		"みなと医療システム株式会社", "さくら情報サービス株式会社",
		"ひかりメディカルネット株式会社", "あおばシステムズ株式会社",
	};
	static const char *const systems[] = {
		"電子カルテ（版 7.2）", "オーダリング（版 5.0）",
		"医事会計システム（版 12）", "PACS（版 3.1）",
	};
	(void)run;
	set_str(a, "vendor_name", vendors[k % 4]);
	set_str(a, "facility_name", json_string_value(json_object_get(
						 m->org, "name")));
	set_str(a, "system_names", systems[k % 4]);
}

static void cashless_tweak(struct run *run, struct member *m, json_t *a)
{
	if (rng_unit(&run->r) < 0.9)
		set_str(a, "q0_linked", "yes");
	json_object_set_new(a, "q0_services",
			    json_integer(3 + (json_int_t)(m->q * 40) +
					 (json_int_t)rng_below(&run->r, 20)));
}

static void cloud_tweak(struct run *run, struct member *m, json_t *a)
{
	static const char *const mixes[][3] = {
		{ "saas", NULL, NULL }, { "saas", "iaas", NULL },
		{ "saas", "paas", NULL }, { "saas", "iaas", "paas" },
	};
	size_t k = rng_below(&run->r, 4);
	json_t *arr = json_array();
	(void)m;
	for (size_t i = 0; arr && i < 3 && mixes[k][i]; i++)
		json_array_append_new(arr, json_string(mixes[k][i]));
	json_object_set_new(a, "q0_models", arr);
	set_str(a, "q0_services", "Microsoft 365, 勘定系周辺のクラウド基盤");
}

static void incident_tweak(struct run *run, struct member *m, json_t *a)
{
	static const char *const summaries[] = {
		"電子カルテのサーバが暗号化され、脅迫文が表示された。",
		"職員のメールアカウントが不正に利用され、迷惑メールが送信された。",
		"VPN装置経由で不審な接続があり、端末にマルウェアが見つかった。",
		"患者情報を含むUSBメモリを紛失した。",
	};
	char d[11];
	date_of(m->at - 86400 * (int64_t)rng_below(&run->r, 3), d);
	set_str(a, "detected_date", d);
	set_str(a, "reporter_phone", "03-5555-0123");
	set_str(a, "reporter_name", "医療情報管理室 担当者");
	set_str(a, "detected_time", rng_unit(&run->r) < 0.5 ? "08:45"
							    : "21:10");
	set_str(a, "summary", summaries[rng_below(&run->r, 4)]);
	json_object_del(a, "occurred_date");
	json_object_del(a, "ppc_report_date");
	json_object_del(a, "recovered_date");
	/* dates that follow the detection, when they apply */
	date_of(m->at, d);
	set_str(a, "ppc_report_date", d);
	set_str(a, "recovered_date", d);
	json_object_set_new(a, "people_affected",
			    json_integer((json_int_t)rng_below(&run->r, 3000)));
}

static const struct spec specs[] = {
	{ .key = "fsa-2022", .file = FSA_FILE,
	  .title = "地域金融機関におけるサイバーセキュリティセルフアセスメント"
		   "（2022年、デモ）",
	  .target = "kind = 'regional_bank' or kind = 'shinkin' or "
		    "kind = 'cooperative'",
	  .opens = "2022-07-01", .closes = "2022-08-31", .respond = 1.0,
	  .tweak = fsa_tweak, .shape = fsa_shape },
	{ .key = "cashless", .file = "fsa/cashless-authentication.yaml",
	  .title = "キャッシュレス決済サービスの認証に関する確認（2024年、デモ）",
	  .target = "kind = 'regional_bank'",
	  .opens = "2024-10-01", .closes = "2024-11-29", .respond = 0.9,
	  .tweak = cashless_tweak },
	{ .key = "cloud-user", .file = "mic/cloud-settings-user.yaml",
	  .title = "クラウドサービス利用者の設定に関する確認（2024年、デモ）",
	  .target = "kind = 'regional_bank' or kind = 'shinkin'",
	  .opens = "2024-12-02", .closes = "2025-01-31", .respond = 0.75,
	  .tweak = cloud_tweak },
	{ .key = "medical-checklist", .file = "mhlw/medical-checklist-2025.yaml",
	  .title = "医療機関におけるサイバーセキュリティ対策チェックリスト"
		   "（令和7年度、500床以上、デモ）",
	  .target = "kind = 'hospital' and beds >= 500",
	  .opens = "2025-06-02", .closes = "2025-12-26", .respond = 0.85,
	  .tweak = checklist_tweak,
	  .forms_file = "mhlw/medical-checklist-2025-vendor.yaml",
	  .count_item = "vendor_count", .forms_missing = 0.12,
	  .forms_tweak = vendor_tweak },
	{ .key = "incident-report", .file = "mhlw/incident-report.yaml",
	  .title = "医療機関のサイバー攻撃等の報告（東京都、デモ）",
	  .target = "kind = 'hospital' and prefecture = '13'",
	  .opens = "2024-04-01", .closes = "2026-03-31", .respond = 0.012,
	  .always_open = true, .repeatable = true, .again = 0.35,
	  .tweak = incident_tweak },
};
#define NSPECS (sizeof(specs) / sizeof(specs[0]))

static int collect(void *ud, const struct store_iter_row *row)
{
	struct run *run = ud;
	struct member *m = &run->m[run->n];

	if (row->repeat)
		return 0;
	m->id = strdup(row->org_id);
	m->org = json_deep_copy(row->org);
	if (!m->id || !m->org) {
		free(m->id);
		json_decref(m->org);
		return 1;
	}
	m->q = member_quality(m->org);
	run->n++;
	return 0;
}

static void members_free(struct run *run)
{
	for (size_t i = 0; i < run->n; i++) {
		free(run->m[i].id);
		json_decref(run->m[i].org);
		json_decref(run->m[i].answers);
	}
	free(run->m);
	free(run->mark);
	free(run->scratch);
	free(run->q);
	run->m = NULL;
	run->n = 0;
}

static int ignore_code(void *ud, const struct store_org *org,
		       const char *code)
{
	(void)ud;
	(void)org;
	(void)code;
	return 0;
}

/* Check with the engine and leave out the answers that do not apply. */
static enum mamori_err check_answers(struct validator *v, const json_t *org,
				     json_t *answers, const char *key,
				     const char *id, struct strbuf *err)
{
	struct vopts vo = { .lang = LANG_EN, .org = org };
	const struct vresult *res;
	enum mamori_err e = instrument_validate(v, answers, &vo, &res);

	if (e)
		return e;
	if (!res->valid) {
		strbuf_addf(err, "demo %s: the answers made for '%s' do not "
			    "validate:", key, id);
		for (size_t i = 0; i < res->nerrors; i++)
			strbuf_addf(err, "\n  %s: %s", res->errors[i].item,
				    res->errors[i].message);
		return MAMORI_EINVALID;
	}
	for (size_t i = 0; i < res->nwarnings; i++)
		if (!strchr(res->warnings[i].item, '['))
			json_object_del(answers, res->warnings[i].item);
	return MAMORI_OK;
}

#define BATCH 128

/* One submission to make: a main response, a report or a form. */
struct sub_item {
	const char *org;	/* the member's */
	json_t *answers;	/* owned */
	int64_t at;
	int64_t number;		/* 0, or STORE_FORM_NEW */
};

struct sub_list {
	struct sub_item *v;
	size_t n, alloc;
};

static enum mamori_err sub_add(struct sub_list *l, const char *org,
			       json_t *answers, int64_t at, int64_t number)
{
	if (l->n == l->alloc) {
		size_t na = l->alloc ? l->alloc * 2 : 64;
		struct sub_item *nv = realloc(l->v, na * sizeof(*nv));
		if (!nv) {
			json_decref(answers);
			return MAMORI_ENOMEM;
		}
		l->v = nv;
		l->alloc = na;
	}
	l->v[l->n++] = (struct sub_item){ org, answers, at, number };
	return MAMORI_OK;
}

static void sub_release(struct sub_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		json_decref(l->v[i].answers);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int cmp_sub(const void *a, const void *b)
{
	const struct sub_item *x = a, *y = b;
	return (x->at > y->at) - (x->at < y->at);
}

/* Everything in l, in time order, in group commits. */
static enum mamori_err submit(struct run *run, int64_t campaign,
			      struct sub_list *l, size_t *accepted_all,
			      struct strbuf *err)
{
	struct store_submission sub[BATCH];
	char *bodies[BATCH];
	enum mamori_err e = MAMORI_OK;

	qsort(l->v, l->n, sizeof(*l->v), cmp_sub);
	*accepted_all = 0;
	for (size_t s = 0; s < l->n && !e; s += BATCH) {
		size_t nb = l->n - s < BATCH ? l->n - s : BATCH, accepted = 0;
		memset(sub, 0, sizeof(sub));
		store_set_clock(run->st, l->v[s + nb - 1].at);
		for (size_t j = 0; j < nb; j++) {
			const struct sub_item *it = &l->v[s + j];
			bodies[j] = json_dumps(it->answers, JSON_COMPACT);
			if (!bodies[j]) {
				for (size_t k = 0; k < j; k++)
					free(bodies[k]);
				return MAMORI_ENOMEM;
			}
			sub[j] = (struct store_submission){
				.campaign = campaign, .org = it->org,
				.json = bodies[j], .len = strlen(bodies[j]),
				.base = STORE_REV_ANY, .number = it->number,
			};
			strbuf_init(&sub[j].err, 0);
		}
		e = store_response_submit_batch(run->st, run->who, sub, nb,
						&accepted, err);
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

/* Answers for m from ins, made on the day of at; NULL: no memory. */
static json_t *make_answers(struct run *run, const struct member *m,
			    const struct instrument *ins, int64_t at)
{
	char day[11];
	struct fill f = { .r = &run->r, .ins = ins, .q = m->q, .date = day };

	date_of(at, day);
	return fill_answers(&f);
}

/*
 * The further reports of a repeatable campaign (a share of the
 * respondents report again, weeks later) or the additional forms of a
 * campaign with a form instrument (as many as the main form counts, one
 * short for a share of them), into l.
 */
static enum mamori_err more(struct run *run, const struct store_window *w,
			    const struct instrument *fins,
			    struct sub_list *l, struct strbuf *err)
{
	const struct spec *sp = run->sp;
	const struct instrument *ins = fins ? fins : run->ins;
	struct validator *v = validator_new(ins);
	enum mamori_err e = MAMORI_OK;

	if (!v)
		return MAMORI_ENOMEM;
	for (size_t i = 0; i < run->n && !e; i++) {
		struct member *m = &run->m[i];
		size_t k = 0;
		if (!m->respondent)
			continue;
		if (fins) {
			json_int_t want = json_integer_value(json_object_get(
				m->answers, sp->count_item));
			k = want > 0 ? (size_t)want : 0;
			if (k && rng_unit(&run->r) < sp->forms_missing)
				k--;
		} else if (rng_unit(&run->r) < sp->again) {
			k = 1;
		}
		for (size_t j = 0; j < k && !e; j++) {
			int64_t at = m->at + 86400 * (int64_t)(1 + j * 3 +
					     rng_below(&run->r, fins ? 20 : 90));
			json_t *a;
			if (at > w->closes - 3600)
				at = w->closes - 3600;
			if (!(a = make_answers(run, m, ins, at))) {
				e = MAMORI_ENOMEM;
				break;
			}
			struct member again = *m;
			again.at = at;
			if (fins && sp->forms_tweak)
				sp->forms_tweak(run, &again, a, j);
			else if (sp->tweak)
				sp->tweak(run, &again, a);
			if ((e = check_answers(v, m->org, a, sp->key, m->id,
					       err))) {
				json_decref(a);
				break;
			}
			e = sub_add(l, m->id, a, at, STORE_FORM_NEW);
		}
	}
	validator_free(v);
	return e;
}

static enum mamori_err run_campaign(struct run *run, const char *dir,
				    struct demo_other_campaign *out,
				    struct strbuf *err)
{
	const struct spec *sp = run->sp;
	struct strbuf path = STRBUF_INIT, yaml = STRBUF_INIT;
	struct strbuf fpath = STRBUF_INIT, fyaml = STRBUF_INIT;
	struct store_campaign_new cn = { 0 };
	struct store_campaign c;
	struct validator *v = NULL;
	struct instrument *fins = NULL;
	struct sub_list l = { 0 };
	size_t invited, nresp;
	enum mamori_err e;

	strbuf_init(&yaml, 16u << 20);
	strbuf_init(&fyaml, 16u << 20);
	strbuf_addf(&path, "%s/%s", dir, sp->file);
	if (path.err) {
		e = path.err;
		goto out;
	}
	if ((e = strbuf_read_file(&yaml, path.buf, err)))
		goto out;
	if (sp->forms_file) {
		strbuf_addf(&fpath, "%s/%s", dir, sp->forms_file);
		if ((e = fpath.err) ||
		    (e = strbuf_read_file(&fyaml, fpath.buf, err)) ||
		    (e = instrument_load_mem(fpath.buf, fyaml.buf, fyaml.len,
					     &fins, err)))
			goto out;
		cn.form_instrument_name = fpath.buf;
		cn.form_instrument = fyaml.buf;
		cn.form_instrument_len = fyaml.len;
	}
	cn.always_open = sp->always_open;
	cn.repeatable = sp->repeatable;
	cn.title = sp->title;
	cn.instrument_name = path.buf;
	cn.instrument = yaml.buf;
	cn.instrument_len = yaml.len;
	cn.target = sp->target;
	cn.nwindows = 1;
	if ((e = store_time_parse(sp->opens, false, &cn.windows[0].opens)) ||
	    (e = store_time_parse(sp->closes, true, &cn.windows[0].closes)))
		goto out;
	store_set_clock(run->st, cn.windows[0].opens - 7 * 86400);
	if ((e = store_campaign_create(run->st, run->who, &cn, &out->id,
				       err)))
		goto out;
	out->key = sp->key;
	if ((e = store_campaign_get(run->st, out->id, &c, err)))
		goto out;
	out->population = c.population;
	store_campaign_release(&c);
	if ((e = store_campaign_invite(run->st, run->who, out->id,
				       ignore_code, NULL, &invited, err)))
		goto out;
	if ((e = store_campaign_instrument(run->st, out->id, &run->ins, err)))
		goto out;

	size_t cap = out->population ? out->population : 1;
	run->m = calloc(cap, sizeof(*run->m));
	run->mark = calloc(cap, sizeof(*run->mark));
	run->scratch = calloc(cap, sizeof(*run->scratch));
	run->q = calloc(cap, sizeof(*run->q));
	if (!run->m || !run->mark || !run->scratch || !run->q) {
		e = MAMORI_ENOMEM;
		goto out;
	}
	run->n = 0;
	if ((e = store_campaign_iterate(run->st, out->id, false, collect, run,
					NULL, err)))
		goto out;
	if (run->n != out->population) {
		e = MAMORI_ENOMEM;
		goto out;
	}

	/* who answers, and when: the better prepared a little more often
	 * and earlier */
	for (size_t i = 0; i < run->n; i++)
		run->q[i] = run->m[i].q;
	nresp = round_count(sp->respond * (double)run->n);
	if (sp->respond > 0 && !nresp && run->n)
		nresp = 1;
	draw(&run->r, run->q, run->n, nresp, 1.0, run->mark, run->scratch);
	{
		double span = (double)(cn.windows[0].closes -
				       cn.windows[0].opens - 3600);
		for (size_t i = 0; i < run->n; i++) {
			struct member *m = &run->m[i];
			double u = rng_unit(&run->r);
			m->respondent = run->mark[i];
			m->at = cn.windows[0].opens + 3600 +
				(int64_t)(span * pow(u, 0.6 + m->q));
		}
	}
	if (!(v = validator_new(run->ins))) {
		e = MAMORI_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < run->n; i++) {
		struct member *m = &run->m[i];
		char day[11];
		struct fill f = { .r = &run->r, .ins = run->ins, .q = m->q,
				  .date = day };
		if (!m->respondent)
			continue;
		date_of(m->at, day);
		if (!(m->answers = fill_answers(&f))) {
			e = MAMORI_ENOMEM;
			goto out;
		}
		if (sp->tweak)
			sp->tweak(run, m, m->answers);
	}
	if (sp->shape)
		sp->shape(run);
	for (size_t i = 0; i < run->n; i++) {
		struct member *m = &run->m[i];
		if (!m->respondent)
			continue;
		if ((e = check_answers(v, m->org, m->answers, sp->key, m->id,
				       err)) ||
		    (e = sub_add(&l, m->id, json_incref(m->answers), m->at,
				 sp->repeatable ? STORE_FORM_NEW : 0)))
			goto out;
	}
	if ((sp->repeatable || fins) &&
	    (e = more(run, &cn.windows[0], fins, &l, err)))
		goto out;
	e = submit(run, out->id, &l, &out->submitted, err);
out:
	sub_release(&l);
	validator_free(v);
	instrument_free(fins);
	members_free(run);
	strbuf_release(&path);
	strbuf_release(&yaml);
	strbuf_release(&fpath);
	strbuf_release(&fyaml);
	return e;
}

static const char *find_dir(const struct demo_other_opts *opts,
			    struct strbuf *scratch)
{
	if (opts && opts->instruments_dir)
		return opts->instruments_dir;
	for (size_t i = 0; demo_other_dirs[i]; i++) {
		strbuf_reset(scratch);
		strbuf_addf(scratch, "%s/%s", demo_other_dirs[i], FSA_FILE);
		if (scratch->err)
			return NULL;
		if (!access(scratch->buf, R_OK))
			return demo_other_dirs[i];
	}
	return NULL;
}

enum mamori_err demo_other_generate(struct store *st,
				    const struct store_actor *who,
				    const struct demo_other_opts *opts,
				    struct demo_other_stats *out,
				    struct strbuf *err)
{
	struct run run = { .st = st, .who = who };
	struct strbuf csv = STRBUF_INIT, scratch = STRBUF_INIT;
	struct store_import_stats is;
	struct inst *v = NULL;
	const char *dir;
	enum mamori_err e;
	size_t total = 0;

	memset(out, 0, sizeof(*out));
	run.r.s = opts && opts->seed ? opts->seed : 2022;
	if (!(dir = find_dir(opts, &scratch))) {
		strbuf_addf(err, "demo: the bundled instruments (%s) were not "
			    "found", FSA_FILE);
		e = MAMORI_ENOENT;
		goto out;
	}
	for (int k = 0; k < K__MAX; k++)
		total += kinds[k].count;
	if (!(v = calloc(total, sizeof(*v)))) {
		e = MAMORI_ENOMEM;
		goto out;
	}
	out->institutions = make_registry(&run.r, v, &csv);
	if (csv.err) {
		e = csv.err;
		goto out;
	}
	store_set_clock(st, 1654041600);	/* 2022-06-01T09:00+09:00 */
	if ((e = store_org_import_csv(st, who, csv.buf, csv.len,
				      STORE_ENC_UTF8, &is, err)))
		goto out;
	for (size_t i = 0; i < NSPECS && i < DEMO_OTHER_MAX; i++) {
		run.sp = &specs[i];
		if ((e = run_campaign(&run, dir, &out->campaigns[i], err)))
			goto out;
		out->ncampaigns++;
	}
out:
	store_set_clock(st, 0);
	strbuf_release(&csv);
	strbuf_release(&scratch);
	free(v);
	return e;
}
