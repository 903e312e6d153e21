/*
 * commit.h - the group commit of response saves, for a server where many
 * threads save at once. One writer (a thread with its own connection)
 * takes every save waiting, writes them in one transaction and syncs the
 * log once; each save is still checked on its own (a stale revision gets
 * MAMORI_ECONFLICT, the others commit) and its caller is woken only after
 * the commit is durable. Nothing is acknowledged that a crash could lose.
 *
 * A save is split in two: store_pending_prepare() does the expensive part
 * (parse, validate) on the caller's own connection, without a lock;
 * store_committer_put() hands it to the writer and waits. The caller may
 * give its connection back to a pool in between.
 *
 * Single-threaded programs (the command line) keep using
 * store_response_save() and store_response_submit(): one save, one
 * transaction.
 */
#ifndef MAMORI_STORE_COMMIT_H
#define MAMORI_STORE_COMMIT_H

#include "store/store.h"

struct store_committer;
struct store_pending;

/* Saves written in one transaction at most (0: the default, 128). */
#define STORE_COMMIT_BATCH 128

/*
 * Open a connection of its own to the database at path and start the
 * writer. *out is freed with store_committer_free().
 */
enum mamori_err store_committer_start(const char *path, size_t max_batch,
				      struct store_committer **out,
				      struct strbuf *err);
/*
 * Stop taking saves, write the ones waiting, stop the writer (as
 * store_committer_stop(), if not done yet), close its connection and
 * free c. Call when no thread can call put or submit any more.
 */
void store_committer_free(struct store_committer *c);

/*
 * The first half of a save (kind REV_DRAFT or REV_SUBMIT), on the
 * caller's connection st: the same checks and validation as
 * store_response_save() / store_response_submit() do before their
 * transaction, with the same errors. who, org and json are copied. On
 * success *out is the prepared save: give it to store_committer_put()
 * (which frees it) or free it with store_pending_free().
 */
enum mamori_err store_pending_prepare(struct store *st, enum revision_kind kind,
				      const struct store_actor *who,
				      int64_t campaign, const char *org,
				      const char *json, size_t len,
				      int64_t base, struct store_pending **out,
				      struct strbuf *err);
void store_pending_free(struct store_pending *p);

/*
 * The second half: queue p (taken over, freed) for the writer and wait
 * until its transaction committed or was refused. MAMORI_OK only when the
 * save is durable; *revision is its revision. A refusal of this save
 * alone (MAMORI_ECONFLICT, MAMORI_ECLOSED ...) has its message in err,
 * as store_response_save() would have it.
 */
enum mamori_err store_committer_put(struct store_committer *c,
				    struct store_pending *p, int64_t *revision,
				    struct strbuf *err);

/*
 * What the writer wrote for a save it committed: the response right
 * after it, and the campaign as the transaction saw it, so that the
 * caller can answer without reading them again.
 */
struct store_written {
	int64_t revision;
	enum response_status status;
	int64_t submitted_revision;		/* 0: none */
	int64_t updated_at;			/* the revision's time */
	enum campaign_state campaign_state;	/* at the commit */
	bool repeatable;
	int64_t campaign_created_at;
};

/*
 * The second half without waiting, for a caller that must not hold its
 * thread (a server's polling thread): p (taken over, freed) is queued and
 * done(arg, result, written, msg) is called once, on the writer's
 * thread, after its transaction committed or was refused: result as
 * store_committer_put() would return it; written what was written when
 * result is MAMORI_OK (else NULL), valid during the call only; msg the
 * message ("" when none; valid during the call only). done must be short
 * (the writer calls it between two batches) and must not call back into
 * c. When c is stopping, done is called before this returns, with
 * MAMORI_EIO.
 */
typedef void (*store_committed_fn)(void *arg, enum mamori_err result,
				   const struct store_written *written,
				   const char *msg);
void store_committer_submit(struct store_committer *c,
			    struct store_pending *p, store_committed_fn done,
			    void *arg);

/*
 * Stop taking saves (put and submit then refuse with MAMORI_EIO), write
 * the ones waiting and answer them, and stop the writer; c stays valid
 * until store_committer_free(). For a server that must know no callback
 * of submit can come any more.
 */
void store_committer_stop(struct store_committer *c);

/* Both halves in one call (the caller keeps st while waiting). */
enum mamori_err store_committer_save(struct store_committer *c,
				     struct store *st, enum revision_kind kind,
				     const struct store_actor *who,
				     int64_t campaign, const char *org,
				     const char *json, size_t len,
				     int64_t base, int64_t *revision,
				     struct strbuf *err);

/* Transactions committed and saves written by the writer so far. */
void store_committer_counts(struct store_committer *c, uint64_t *batches,
			    uint64_t *saves);

/*
 * The log (WAL): the writer's connection never checkpoints it inside a
 * commit. Once a commit leaves 1,000 pages or more in it, a checkpointer
 * thread (a connection of its own) copies it into the database file
 * while the writer goes on, holding the writer back only for a last
 * short pass, so that the log starts again from its beginning and stays
 * bounded. The server's other connections are opened with
 * store_open_opts.no_checkpoint. *checkpoints: the checkpoints that
 * copied the whole log so far; *log_pages: the log's pages after the
 * latest commit of the writer.
 */
void store_committer_log(struct store_committer *c, uint64_t *checkpoints,
			 int *log_pages);

/*
 * Inside the store only (commit.c; defined in response.c): check again
 * and append p's revision within the caller's open transaction, exactly
 * as a single save does. A refusal writes nothing; MAMORI_EDB or
 * MAMORI_ENOMEM mean the transaction must be rolled back.
 */
enum mamori_err store_pending_write(struct store *st,
				    struct store_pending *p,
				    int64_t *revision, struct strbuf *err);
/* What store_pending_write() wrote, once it returned MAMORI_OK. */
const struct store_written *store_pending_written(
	const struct store_pending *p);

#endif
