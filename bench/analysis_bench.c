/*
 * analysis_bench.c - the driver of bench/analysis: times the analysis of
 * a stored campaign, (1) from the store (read, parse, validate, count)
 * and (2) the engine alone on responses already in memory, and prints
 * tab-separated "what<TAB>seconds" lines. With "store-only", only (1),
 * the peak resident set size ("peak RSS MB") and the CPU time. THREADS:
 * the workers of (1) (analysis_feed_campaign_threads; default 0, one per
 * processor).
 * usage: analysis_bench DB CAMPAIGN [ROUNDS [store-only|all [THREADS]]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "analysis/analysis.h"
#include "analysis/analysis_store.h"
#include "store/iterate.h"
#include "util/num.h"

struct rec {
	json_t *org, *answers;
};

struct keep {
	struct rec *v;
	size_t n, alloc;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int count_row(void *ud, const struct store_iter_row *r)
{
	(void)r;
	(*(size_t *)ud)++;
	return 0;
}

static int keep_row(void *ud, const struct store_iter_row *r)
{
	struct keep *k = ud;
	if (k->n == k->alloc) {
		k->alloc = k->alloc ? k->alloc * 2 : 1024;
		k->v = realloc(k->v, k->alloc * sizeof(*k->v));
		if (!k->v)
			return 1;
	}
	k->v[k->n].org = json_deep_copy(r->org);
	k->v[k->n].answers = r->answers && r->submitted
				     ? json_deep_copy(r->answers) : NULL;
	k->n++;
	return 0;
}

int main(int argc, char **argv)
{
	struct store_open_opts oo = { 0 };
	struct strbuf err = STRBUF_INIT;
	const struct instrument *ins;
	struct store *st;
	int64_t id;
	int rounds = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 5;
	unsigned threads = argc > 5 ? (unsigned)strtoul(argv[5], NULL, 10)
				    : 0;
	double best_store = 1e9, best_engine = 1e9, best_by = 1e9;
	struct keep k = { 0 };

	if (argc < 3 || num_parse_i64(slice_from_cstr(argv[2]), &id)) {
		fprintf(stderr, "usage: analysis_bench DB CAMPAIGN [ROUNDS]\n");
		return 2;
	}
	if (store_open(argv[1], &oo, &st, &err) ||
	    store_campaign_instrument(st, id, &ins, &err)) {
		fprintf(stderr, "%s\n", err.buf);
		return 1;
	}
	for (int r = 0; r < rounds; r++) {
		struct analysis *a;
		json_t *res;
		double t0 = now();
		struct analysis_opts o = {
			.evidence_items = analysis_evidence_items() };
		if (analysis_new(ins, &o, &a, &err) ||
		    analysis_feed_campaign_threads(st, id, false, &a, 1,
						   threads, &err) ||
		    analysis_result_json(a, 0, &res)) {
			fprintf(stderr, "%s\n", err.buf);
			return 1;
		}
		double t = now() - t0;
		if (t < best_store)
			best_store = t;
		json_decref(res);
		analysis_free(a);
	}
	if (argc > 4 && !strcmp(argv[4], "store-only")) {
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		printf("store+engine\t%.4f\npeak RSS MB\t%.1f\n"
		       "cpu seconds (user+sys, whole run)\t%.4f\n", best_store,
		       (double)ru.ru_maxrss / 1024.0,
		       (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
			       (double)ru.ru_stime.tv_sec +
			       ru.ru_stime.tv_usec / 1e6);
		store_free(st);
		strbuf_release(&err);
		return 0;
	}
	double best_read = 1e9;
	for (int r = 0; r < rounds; r++) {
		size_t n = 0;
		double t0 = now();
		store_campaign_iterate(st, id, false, count_row, &n, NULL, &err);
		double t = now() - t0;
		if (t < best_read)
			best_read = t;
	}
	if (store_campaign_iterate(st, id, false, keep_row, &k, NULL, &err)) {
		fprintf(stderr, "%s\n", err.buf);
		return 1;
	}
	size_t submitted = 0;
	for (int r = 0; r < rounds; r++) {
		for (int by = 0; by < 2; by++) {
			struct analysis_opts o = { .by = by ? "prefecture"
							    : NULL };
			struct analysis *a;
			json_t *res;
			double t0 = now();
			analysis_new(ins, &o, &a, NULL);
			submitted = 0;
			for (size_t i = 0; i < k.n; i++) {
				analysis_add_invited(a, k.v[i].org);
				if (k.v[i].answers) {
					analysis_add(a, k.v[i].org,
						     k.v[i].answers);
					submitted++;
				}
			}
			analysis_result_json(a, 0, &res);
			double t = now() - t0;
			if (by && t < best_by)
				best_by = t;
			if (!by && t < best_engine)
				best_engine = t;
			json_decref(res);
			analysis_free(a);
		}
	}
	printf("organisations\t%zu\nsubmitted\t%zu\n", k.n, submitted);
	printf("store read (rows, parse)\t%.4f\n", best_read);
	printf("store+engine\t%.4f\n", best_store);
	printf("engine\t%.4f\n", best_engine);
	printf("engine --by prefecture\t%.4f\n", best_by);
	for (size_t i = 0; i < k.n; i++) {
		json_decref(k.v[i].org);
		json_decref(k.v[i].answers);
	}
	free(k.v);
	store_free(st);
	strbuf_release(&err);
	return 0;
}
