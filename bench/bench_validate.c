/*
 * bench_validate.c - responses/s of the engine on the bundled 2022
 * hospital survey, one core, against a named baseline in the same run:
 * jansson parsing the same bytes (the least any validator must do).
 *
 * usage: bench_validate INSTRUMENT [N] [SEED]
 * Prints one line per measurement and the ratios. Not a test: it asserts
 * nothing about time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "instrument/instrument.h"

static unsigned long long rng_state;

static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((rng_state >> 33) % n);
}

static const char *pick(const char *const *v, unsigned n)
{
	return v[rnd(n)];
}

/* A plausible hospital's answers; about 1 in 50 has a mistake. */
static json_t *make_response(void)
{
	static const char *const yn[] = { "yes", "no" };
	static const char *const ynu[] = { "yes", "no", "unknown" };
	static const char *const q2[] = { "appointed_separate", "appointed_combined", "not_appointed" };
	static const char *const q3[] = { "guideline_and_tools", "guideline_only", "tools_only", "neither" };
	static const char *const q4[] = { "documented_trained", "documented_not_trained", "none" };
	static const char *const q6[] = { "made_restore_tested", "made_restore_untested", "not_made" };
	static const char *const makers[] = { "Fortinet", "Cisco", "Palo Alto Networks", "ヤマハ", "SonicWall" };
	json_t *o = json_object();

	json_object_set_new(o, "respondent_name", json_string("医療 太郎"));
	json_object_set_new(o, "respondent_department", json_string("情報システム課"));
	json_object_set_new(o, "respondent_phone", json_string("03-1234-5678"));
	json_object_set_new(o, "respondent_email",
			    json_string(rnd(50) ? "it@hospital.example.jp" : "broken"));
	json_object_set_new(o, "q2_security_officer", json_string(pick(q2, 3)));
	json_object_set_new(o, "q3_guideline", json_string(pick(q3, 4)));
	json_object_set_new(o, "q4_emergency_procedure", json_string(pick(q4, 3)));
	const char *ehr = rnd(100) < 65 ? "yes" : "no";
	json_object_set_new(o, "q5_ehr", json_string(ehr));
	if (!strcmp(ehr, "yes")) {
		json_object_set_new(o, "q6_backup", json_string(pick(q6, 3)));
		json_object_set_new(o, "q7_generations", json_string(pick(yn, 2)));
		json_object_set_new(o, "q8_isolated_storage", json_string(pick(yn, 2)));
		json_object_set_new(o, "q9_leak_protection", json_string(pick(yn, 2)));
	}
	const char *vpn = rnd(100) < 70 ? "yes" : "no";
	json_object_set_new(o, "q10_vpn", json_string(vpn));
	if (!strcmp(vpn, "yes")) {
		json_t *rows = json_array();
		unsigned n = 1 + rnd(3);
		for (unsigned i = 0; i < n; i++) {
			json_t *r = json_object();
			json_object_set_new(r, "maker", json_string(pick(makers, 5)));
			json_object_set_new(r, "model", json_string("Model-100"));
			json_object_set_new(r, "units", json_integer(1 + rnd(3)));
			if (rnd(2))
				json_object_set_new(r, "firmware", json_string("7.0.12"));
			json_array_append_new(rows, r);
		}
		json_object_set_new(o, "q11_vpn_devices", rows);
		json_object_set_new(o, "q12_vpn_updated", json_string(pick(ynu, 3)));
		json_object_set_new(o, "q13_vpn_restricted", json_string(pick(ynu, 3)));
		json_object_set_new(o, "q14_vpn_log_review", json_string(pick(yn, 2)));
	}
	return o;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct instrument *ins;
	struct strbuf err = STRBUF_INIT;
	size_t n = argc > 2 ? strtoul(argv[2], NULL, 10) : 200000;
	rng_state = argc > 3 ? strtoull(argv[3], NULL, 10) : 42;
	struct vopts o = { .lang = LANG_JA, .today = "2022-02-01" };

	if (argc < 2 || n == 0) {
		fprintf(stderr, "usage: bench_validate INSTRUMENT [N] [SEED]\n");
		return 2;
	}
	if (instrument_load_file(argv[1], &ins, &err)) {
		fputs(err.buf, stderr);
		return 2;
	}
	/* inputs: N distinct responses as JSON text, and parsed */
	char **text = malloc(n * sizeof(*text));
	size_t *len = malloc(n * sizeof(*len));
	json_t **parsed = malloc(n * sizeof(*parsed));
	size_t bytes = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *r = make_response();
		text[i] = json_dumps(r, JSON_COMPACT);
		len[i] = strlen(text[i]);
		bytes += len[i];
		parsed[i] = r;
	}
	struct validator *v = validator_new(ins);
	const struct vresult *res;
	size_t valid = 0;

	/* baseline: parse only */
	double t0 = now();
	for (size_t i = 0; i < n; i++) {
		json_t *j = json_loadb(text[i], len[i], 0, NULL);
		json_decref(j);
	}
	double t_parse = now() - t0;

	/* validate already-parsed responses */
	t0 = now();
	for (size_t i = 0; i < n; i++) {
		instrument_validate(v, parsed[i], &o, &res);
		valid += res->valid;
	}
	double t_val = now() - t0;

	/* parse + validate: what a submission costs */
	t0 = now();
	for (size_t i = 0; i < n; i++) {
		json_t *j = json_loadb(text[i], len[i], 0, NULL);
		instrument_validate(v, j, &o, &res);
		json_decref(j);
	}
	double t_both = now() - t0;

	printf("responses            %zu (%.0f bytes each, %zu valid)\n", n,
	       (double)bytes / (double)n, valid);
	printf("baseline jansson parse      %10.0f responses/s\n", (double)n / t_parse);
	printf("mamori validate (parsed)    %10.0f responses/s  (target >= 200000)\n",
	       (double)n / t_val);
	printf("mamori parse + validate     %10.0f responses/s\n", (double)n / t_both);
	printf("ratio validate / parse time  %.2f\n", t_val / t_parse);
	printf("national campaign of 8,300: %.1f ms to validate\n",
	       8300.0 * t_both / (double)n * 1000);
	for (size_t i = 0; i < n; i++) {
		free(text[i]);
		json_decref(parsed[i]);
	}
	free(text);
	free(len);
	free(parsed);
	validator_free(v);
	instrument_free(ins);
	return 0;
}
