/*
 * store_bench.c - the store's throughput on a national campaign: import
 * N hospitals from CSV, create the 2022 hospital survey campaign, issue
 * access codes, submit one valid response per hospital through
 * store_response_submit() (each its own durable transaction), then an
 * amended one each through store_response_submit_batch() (group commit:
 * 64 submissions share one durable transaction), export as CSV. Prints one line per phase: seconds, and rate where it means
 * something. Used by bench/store, which also times the baseline.
 *
 * usage: store_bench DB ORGS.csv INSTRUMENT.yaml EXPORT.csv
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store.h"
#include "util/strbuf.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb = STRBUF_INIT;
	char buf[65536];
	size_t n;

	if (!f) {
		perror(path);
		exit(2);
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(f);
	return strbuf_detach(&sb, len);
}

static void die(const char *what, struct strbuf *err)
{
	fprintf(stderr, "%s: %s\n", what, err->buf);
	exit(1);
}

struct codes {
	char (*org)[16];
	size_t n;
};

static int keep(void *ud, const struct store_org *o, const char *code)
{
	struct codes *c = ud;
	(void)code;
	snprintf(c->org[c->n++], sizeof(c->org[0]), "%s", o->id);
	return 0;
}

/* A valid answer set, varied by i like the 2022 results (65% EHR ...). */
static void answers(struct strbuf *sb, size_t i)
{
	static const char *const q2[] = { "appointed_separate",
		"appointed_combined", "not_appointed" };
	static const char *const q3[] = { "guideline_and_tools",
		"guideline_only", "tools_only", "neither" };
	static const char *const q4[] = { "documented_trained",
		"documented_not_trained", "none" };
	static const char *const q6[] = { "made_restore_tested",
		"made_restore_untested", "not_made" };
	static const char *const yn[] = { "yes", "no" };
	static const char *const ynu[] = { "yes", "no", "unknown" };
	unsigned h = (unsigned)(i * 2654435761u);

	strbuf_reset(sb);
	strbuf_addf(sb, "{\"respondent_name\":\"担当 %zu\","
		    "\"respondent_department\":\"情報システム課\","
		    "\"respondent_phone\":\"03-1234-%04zu\","
		    "\"respondent_email\":\"it%zu@hospital.example.jp\","
		    "\"q2_security_officer\":\"%s\",\"q3_guideline\":\"%s\","
		    "\"q4_emergency_procedure\":\"%s\"",
		    i, i % 10000, i, q2[h % 3], q3[(h >> 2) % 4],
		    q4[(h >> 4) % 3]);
	if ((h >> 6) % 100 < 65)
		strbuf_addf(sb, ",\"q5_ehr\":\"yes\",\"q6_backup\":\"%s\","
			    "\"q7_generations\":\"%s\","
			    "\"q8_isolated_storage\":\"%s\","
			    "\"q9_leak_protection\":\"%s\"",
			    q6[(h >> 8) % 3], yn[(h >> 10) % 5 == 0],
			    yn[(h >> 12) % 2], yn[(h >> 13) % 2]);
	else
		strbuf_addstr(sb, ",\"q5_ehr\":\"no\"");
	if ((h >> 14) % 100 < 40)
		strbuf_addf(sb, ",\"q10_vpn\":\"yes\",\"q11_vpn_devices\":["
			    "{\"maker\":\"Fortinet\",\"model\":\"FortiGate 60E\","
			    "\"units\":%u,\"firmware\":\"FortiOS 6.4.9\"}],"
			    "\"q12_vpn_updated\":\"%s\","
			    "\"q13_vpn_restricted\":\"%s\","
			    "\"q14_vpn_log_review\":\"%s\"",
			    (h >> 16) % 3 + 1, ynu[(h >> 18) % 3],
			    ynu[(h >> 20) % 3], yn[(h >> 22) % 5 < 3]);
	else
		strbuf_addstr(sb, ",\"q10_vpn\":\"no\"");
	strbuf_addch(sb, '}');
}

int main(int argc, char **argv)
{
	const struct store_actor who = { "bench", "local" };
	struct store_open_opts oo = { .create = true };
	struct strbuf err = STRBUF_INIT, body = STRBUF_INIT;
	struct store_import_stats is;
	struct store_export_opts xo = { .format = EXPORT_CSV };
	struct store *st;
	struct codes codes;
	size_t len, ylen, issued, rows;
	char *csv, *yaml;
	double t0, t_imp, t_camp, t_inv, t_sub, t_batch, t_exp;
	int64_t id, t;
	FILE *out;

	if (argc != 5) {
		fprintf(stderr, "usage: store_bench DB ORGS.csv INSTRUMENT "
				"EXPORT.csv\n");
		return 2;
	}
	csv = slurp(argv[2], &len);
	yaml = slurp(argv[3], &ylen);
	if (store_open(argv[1], &oo, &st, &err))
		die("open", &err);
	store_time_parse("2022-01-27T09:00", false, &t);
	store_set_clock(st, t);

	t0 = now();
	if (store_org_import_csv(st, &who, csv, len, STORE_ENC_AUTO, &is,
				 &err))
		die("import", &err);
	t_imp = now() - t0;

	struct store_campaign_new cn = {
		.title = "病院における医療情報システムのバックアップ等の調査 2022",
		.instrument_name = argv[3], .instrument = yaml,
		.instrument_len = ylen, .target = "kind = 'hospital'",
		.nwindows = 2,
	};
	store_time_parse("2022-01-27", false, &cn.windows[0].opens);
	store_time_parse("2022-02-14", true, &cn.windows[0].closes);
	store_time_parse("2022-03-08", false, &cn.windows[1].opens);
	store_time_parse("2022-03-24", true, &cn.windows[1].closes);
	t0 = now();
	if (store_campaign_create(st, &who, &cn, &id, &err))
		die("campaign", &err);
	t_camp = now() - t0;

	codes.org = calloc(is.rows + 1, sizeof(*codes.org));
	codes.n = 0;
	t0 = now();
	if (store_campaign_invite(st, &who, id, keep, &codes, &issued, &err))
		die("invite", &err);
	t_inv = now() - t0;

	t0 = now();
	for (size_t i = 0; i < codes.n; i++) {
		int64_t rev;
		answers(&body, i);
		if (store_response_submit(st, &who, id, codes.org[i], body.buf,
					  body.len, 0, &rev, &err))
			die(codes.org[i], &err);
	}
	t_sub = now() - t0;

	/* the same again, amended, through the group commit: batches of 64 */
	size_t batch = 64, ok_total = 0;
	struct store_submission *v = calloc(batch, sizeof(*v));
	struct strbuf *bodies = calloc(batch, sizeof(*bodies));
	for (size_t k = 0; k < batch; k++) {
		strbuf_init(&v[k].err, 0);
		strbuf_init(&bodies[k], 0);
	}
	t0 = now();
	for (size_t i = 0; i < codes.n; i += batch) {
		size_t m = codes.n - i < batch ? codes.n - i : batch, ok;
		for (size_t k = 0; k < m; k++) {
			answers(&bodies[k], i + k + 1);
			v[k].campaign = id;
			v[k].org = codes.org[i + k];
			v[k].json = bodies[k].buf;
			v[k].len = bodies[k].len;
			v[k].base = STORE_REV_ANY;
		}
		if (store_response_submit_batch(st, &who, v, m, &ok, &err))
			die("batch", &err);
		if (ok != m)
			die(v[0].err.len ? v[0].err.buf : "batch refused", &err);
		ok_total += ok;
	}
	t_batch = now() - t0;
	for (size_t k = 0; k < batch; k++) {
		strbuf_release(&v[k].err);
		strbuf_release(&bodies[k]);
	}
	free(v);
	free(bodies);

	out = fopen(argv[4], "wb");
	t0 = now();
	if (store_response_export(st, id, &xo, out, &rows, &err))
		die("export", &err);
	fclose(out);
	t_exp = now() - t0;

	printf("import\t%zu organisations\t%.3f s\n", is.rows, t_imp);
	printf("campaign\t%zu in population (target evaluated)\t%.3f s\n",
	       issued, t_camp);
	printf("invite\t%zu access codes (argon2id)\t%.3f s\n", issued, t_inv);
	printf("import+invite\t\t%.3f s\n", t_imp + t_inv);
	printf("submit\t%zu durable submissions\t%.3f s\t%.0f /s\n", codes.n,
	       t_sub, (double)codes.n / t_sub);
	printf("submit-batch\t%zu durable submissions, group commit of %zu\t"
	       "%.3f s\t%.0f /s\n", ok_total, batch, t_batch,
	       (double)ok_total / t_batch);
	printf("export\t%zu rows (CSV)\t%.3f s\n", rows, t_exp);
	strbuf_release(&body);
	strbuf_release(&err);
	free(codes.org);
	free(csv);
	free(yaml);
	store_free(st);
	return 0;
}
