/*
 * crash_child.c - the process the crash test kills. "submit" submits
 * responses in a loop through store.h and prints "ORG REVISION Q2" only
 * after each submission returned (its commit done); "group" does the same
 * from THREADS threads at once through the group commit (store/commit.h),
 * each line printed once its batch is durable; "verify" reads such lines
 * and checks each acknowledged submission is in the database.
 *
 *   crash_child submit DB CAMPAIGN NORGS SEED
 *   crash_child group DB CAMPAIGN NORGS SEED THREADS
 *   crash_child verify DB CAMPAIGN < acks
 */
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/commit.h"
#include "store/store.h"
#include "util/num.h"
#include "util/strbuf.h"

static int64_t arg_i64(const char *s)
{
	int64_t v;
	if (num_parse_i64(slice_from_cstr(s), &v)) {
		fprintf(stderr, "not a number: %s\n", s);
		exit(2);
	}
	return v;
}

static int submit(struct store *st, int64_t campaign, int64_t norgs,
		  int64_t seed)
{
	const struct store_actor who = { "test:crash", "local" };
	struct strbuf err = STRBUF_INIT;
	char org[32], body[128];

	for (int64_t i = seed;; i++) {
		int64_t rev;
		snprintf(org, sizeof(org), "H%04lld",
			 (long long)(i % norgs) + 1);
		snprintf(body, sizeof(body),
			 "{\"q1\":\"yes\",\"q2\":%lld,\"q3\":[\"edr\"]}",
			 (long long)i);
		strbuf_reset(&err);
		if (store_response_submit(st, &who, campaign, org, body,
					  strlen(body), STORE_REV_ANY, &rev,
					  &err)) {
			fprintf(stderr, "submit %s: %s\n", org, err.buf);
			return 1;
		}
		printf("%s %lld %lld\n", org, (long long)rev, (long long)i);
		fflush(stdout);
	}
}

struct grouped {
	const char *db;
	struct store_committer *c;
	pthread_mutex_t *out;		/* one line at a time on stdout */
	int64_t campaign, norgs, seed, step;
};

static void *group_thread(void *arg)
{
	const struct store_actor who = { "test:crash", "local" };
	struct grouped *g = arg;
	struct strbuf err = STRBUF_INIT;
	struct store *st;
	char org[32], body[128];

	if (store_open(g->db, NULL, &st, &err)) {
		fprintf(stderr, "%s\n", err.buf);
		exit(2);
	}
	for (int64_t i = g->seed;; i += g->step) {
		int64_t rev;
		snprintf(org, sizeof(org), "H%04lld",
			 (long long)(i % g->norgs) + 1);
		snprintf(body, sizeof(body),
			 "{\"q1\":\"yes\",\"q2\":%lld,\"q3\":[\"edr\"]}",
			 (long long)i);
		strbuf_reset(&err);
		if (store_committer_save(g->c, st, REV_SUBMIT, &who,
					 g->campaign, org, body, strlen(body),
					 STORE_REV_ANY, &rev, &err)) {
			fprintf(stderr, "group submit %s: %s\n", org, err.buf);
			exit(1);
		}
		pthread_mutex_lock(g->out);
		printf("%s %lld %lld\n", org, (long long)rev, (long long)i);
		fflush(stdout);
		pthread_mutex_unlock(g->out);
	}
	return NULL;
}

/* Runs until killed. */
static int group(const char *db, int64_t campaign, int64_t norgs,
		 int64_t seed, int64_t threads)
{
	struct strbuf err = STRBUF_INIT;
	pthread_mutex_t out = PTHREAD_MUTEX_INITIALIZER;
	struct grouped g[64];
	pthread_t t[64];
	struct store_committer *c;

	if (threads < 1 || threads > 64) {
		fprintf(stderr, "THREADS: 1 to 64\n");
		return 2;
	}
	if (store_committer_start(db, 0, &c, &err)) {
		fprintf(stderr, "%s\n", err.buf);
		return 2;
	}
	for (int64_t k = 0; k < threads; k++) {
		g[k] = (struct grouped){ db, c, &out, campaign, norgs,
					 seed + k, threads };
		if (pthread_create(&t[k], NULL, group_thread, &g[k]))
			return 2;
	}
	for (int64_t k = 0; k < threads; k++)
		pthread_join(t[k], NULL);
	store_committer_free(c);
	return 0;
}

static int verify(struct store *st, int64_t campaign)
{
	struct strbuf err = STRBUF_INIT;
	char line[128];
	long n = 0, bad = 0;

	while (fgets(line, sizeof(line), stdin)) {
		char org[32];
		long long rev, q2;
		struct store_revision r;
		size_t len = strlen(line);
		if (!len || line[len - 1] != '\n')
			break;	/* cut by the kill: never acknowledged */
		if (sscanf(line, "%31s %lld %lld", org, &rev, &q2) != 3)
			continue;
		n++;
		strbuf_reset(&err);
		if (store_response_get(st, campaign, org, rev, &r, &err)) {
			printf("missing: %s revision %lld: %s\n", org, rev,
			       err.buf);
			bad++;
			continue;
		}
		json_t *b = json_loads(r.body, 0, NULL);
		if (r.kind != REV_SUBMIT ||
		    json_integer_value(json_object_get(b, "q2")) != q2) {
			printf("wrong: %s revision %lld\n", org, rev);
			bad++;
		}
		json_decref(b);
		store_revision_release(&r);
	}
	strbuf_release(&err);
	printf("%ld acknowledged submissions present, %ld missing or wrong\n",
	       n - bad, bad);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct strbuf err = STRBUF_INIT;
	struct store *st;
	int rc;

	if (argc < 4 || (strcmp(argv[1], "submit") && strcmp(argv[1], "verify") &&
			 strcmp(argv[1], "group"))) {
		fprintf(stderr, "usage: crash_child submit DB CAMPAIGN NORGS SEED"
				" | group DB CAMPAIGN NORGS SEED THREADS"
				" | verify DB CAMPAIGN\n");
		return 2;
	}
	if (!strcmp(argv[1], "group"))
		return argc == 7 ? group(argv[2], arg_i64(argv[3]),
					 arg_i64(argv[4]), arg_i64(argv[5]),
					 arg_i64(argv[6]))
				 : 2;
	if (store_open(argv[2], NULL, &st, &err)) {
		fprintf(stderr, "%s\n", err.buf);
		return 2;
	}
	strbuf_release(&err);
	if (!strcmp(argv[1], "submit") && argc == 6)
		rc = submit(st, arg_i64(argv[3]), arg_i64(argv[4]),
			    arg_i64(argv[5]));
	else
		rc = verify(st, arg_i64(argv[3]));
	store_free(st);
	return rc;
}
