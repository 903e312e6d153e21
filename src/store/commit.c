/*
 * commit.c - the group commit (commit.h): a queue of prepared saves, one
 * writer thread with its own connection that writes every save waiting in
 * one transaction, and callers woken after the commit returned; and a
 * checkpointer thread with a connection of its own that copies the log
 * into the database file beside the writer, so that no batch waits for
 * it. Must never wake a caller with MAMORI_OK before its save is
 * durable, nor let one save's refusal or failure take the others of its
 * batch with it.
 */
#include <pthread.h>
#include <semaphore.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "store/commit.h"
#include "store/store_int.h"
#include "util/banned.h"

/*
 * One save queued. A caller of put waits on its stack until done is
 * posted; once the writer took it from the queue it is the writer's alone
 * (no lock) until the post, which wakes only its caller: the callers of a
 * batch do not queue up for the committer's lock on their way out. A save
 * of submit (fn set) is allocated, and freed by the writer after fn.
 */
struct waiter {
	struct store_pending *p;	/* owned by the writer once queued */
	enum mamori_err result;
	int64_t revision;
	struct strbuf msg;		/* written by the writer only */
	sem_t done;			/* put: posted when result is final */
	store_committed_fn fn;		/* submit: called instead */
	void *arg;
	struct store_written written;	/* submit: when result is OK */
	struct waiter *next;
};

struct store_committer {
	struct store *st;		/* owned: the writer's connection */
	size_t max_batch;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t work;		/* the writer waits for saves */
	struct waiter *head, **tail;	/* the queue, under lock */
	bool stopping;			/* under lock */
	uint64_t batches, saves;	/* under lock */
	bool joined;			/* the writer and checkpointer ended */
	/* the checkpointer */
	struct store *ck;		/* owned: its connection */
	pthread_t ck_thread;
	pthread_cond_t ck_work;		/* it waits for a long log */
	bool ck_wanted;			/* under lock */
	uint64_t checkpoints;		/* under lock: complete ones */
	int log_pages;			/* under lock: the log after a commit */
	int ck_pages;			/* under lock: CHECKPOINT_PAGES */
	/* held by the writer for each transaction: the checkpointer's last
	 * short pass holds it so that it sees the log whole */
	pthread_mutex_t tx;
};

/*
 * Pages in the log from which the checkpointer copies it into the
 * database (SQLite's own automatic checkpoint starts at 1,000), and up
 * to which its last pass may hold the writer back to finish.
 */
#define CHECKPOINT_PAGES 1000
#define CHECKPOINT_CATCH_UP 256
/* A log this many times CHECKPOINT_PAGES long was copied but could not
 * start again (readers kept to it): the checkpointer then waits for them
 * with the writer held back, so that the log stays bounded. */
#define CHECKPOINT_RESTART 4

/* Write one save alone in its own transaction. */
static void write_alone(struct store *st, struct waiter *w)
{
	struct strbuf *m = &w->msg;

	strbuf_reset(m);
	w->revision = 0;
	if ((w->result = store_begin(st, m)))
		return;
	w->result = store_pending_write(st, w->p, &w->revision, m);
	if (w->result) {
		store_rollback(st);
		w->revision = 0;
	} else if ((w->result = store_commit(st, m))) {
		w->revision = 0;
	}
}

/*
 * Write the n saves of list in one transaction. A refusal (stale, closed)
 * writes nothing and the others go on; a failure of the database or of
 * memory rolls the whole batch back and each save is then written alone,
 * so that its result is its own. Returns the saves committed.
 */
static size_t write_batch(struct store *st, struct waiter *list, size_t n)
{
	struct strbuf m = STRBUF_INIT;
	size_t ok = 0;
	enum mamori_err e;

	if (n == 1)
		goto alone;
	if ((e = store_begin(st, &m))) {
		/* the lock was not had (another process): all fail alike */
		for (struct waiter *w = list; w; w = w->next) {
			strbuf_reset(&w->msg);
			strbuf_addstr(&w->msg, m.buf);
			w->result = e;
			w->revision = 0;
		}
		strbuf_release(&m);
		return 0;
	}
	for (struct waiter *w = list; w; w = w->next) {
		strbuf_reset(&w->msg);
		w->result = store_pending_write(st, w->p, &w->revision,
						&w->msg);
		if (w->result == MAMORI_EDB || w->result == MAMORI_ENOMEM) {
			store_rollback(st);
			goto alone;
		}
		if (w->result)
			w->revision = 0;
		else
			ok++;
	}
	if ((e = store_commit(st, &m)) == MAMORI_OK) {
		strbuf_release(&m);
		return ok;
	}
alone:
	/* nothing of the batch was stored: no save may look acknowledged */
	strbuf_release(&m);
	ok = 0;
	for (struct waiter *w = list; w; w = w->next) {
		write_alone(st, w);
		if (!w->result)
			ok++;
	}
	return ok;
}

/* Tell w's caller its result: w is not touched afterwards. */
static void answer(struct waiter *w)
{
	if (!w->fn) {
		sem_post(&w->done);
		return;
	}
	w->fn(w->arg, w->result, w->result ? NULL : &w->written,
	      w->msg.len ? w->msg.buf : "");
	strbuf_release(&w->msg);
	free(w);
}

static void *writer_main(void *arg)
{
	struct store_committer *c = arg;

	/* its name in top -H, perf and /proc/PID/task/TID/comm */
	pthread_setname_np(pthread_self(), "mamori-writer");
	pthread_mutex_lock(&c->lock);
	for (;;) {
		struct waiter *list, **end;
		size_t n = 0, ok;

		while (!c->head && !c->stopping)
			pthread_cond_wait(&c->work, &c->lock);
		if (!c->head)
			break;	/* stopping, and nothing is waiting */
		/* take up to max_batch saves, oldest first */
		list = c->head;
		end = &c->head;
		while (*end && n < c->max_batch) {
			end = &(*end)->next;
			n++;
		}
		c->head = *end;
		*end = NULL;
		if (!c->head)
			c->tail = &c->head;
		pthread_mutex_unlock(&c->lock);

		pthread_mutex_lock(&c->tx);
		ok = write_batch(c->st, list, n);
		pthread_mutex_unlock(&c->tx);

		/* counted before anyone is answered: a caller that saw its
		 * save acknowledged also sees it in store_committer_counts */
		pthread_mutex_lock(&c->lock);
		c->batches++;
		c->saves += ok;
		pthread_mutex_unlock(&c->lock);
		for (struct waiter *w = list, *next; w; w = next) {
			next = w->next;	/* w may be gone once posted */
			if (w->fn && !w->result)
				w->written = *store_pending_written(w->p);
			store_pending_free(w->p);
			w->p = NULL;
			answer(w);
		}
		pthread_mutex_lock(&c->lock);
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

/*
 * After every commit of the writer's connection (SQLite's WAL hook, which
 * replaces its automatic checkpoint there): a log of CHECKPOINT_PAGES or
 * more wakes the checkpointer. The other connections of the server are
 * opened with no_checkpoint.
 */
static int wal_hook(void *ud, sqlite3 *db, const char *name, int pages)
{
	struct store_committer *c = ud;

	(void)db;
	(void)name;
	pthread_mutex_lock(&c->lock);
	c->log_pages = pages;
	if (pages >= c->ck_pages && !c->ck_wanted) {
		c->ck_wanted = true;
		pthread_cond_signal(&c->ck_work);
	}
	pthread_mutex_unlock(&c->lock);
	return SQLITE_OK;
}

/*
 * A passive checkpoint copies the log up to its end as it was when it
 * started, while the writer goes on appending; the log starts again
 * from its beginning (and stops growing) only once it was copied whole.
 * So when a pass leaves a short rest (the batches committed meanwhile),
 * a last pass copies that rest with the writer held back between two
 * transactions. A reader on an old snapshot may still keep a pass from
 * finishing, and a reader on the log when the writer begins keeps it
 * from starting again: the next commit then asks again, and a log
 * CHECKPOINT_RESTART times as long as it should be is copied with
 * SQLITE_CHECKPOINT_RESTART, which waits for the readers to leave it
 * (the writer held back meanwhile).
 */
static void *checkpointer_main(void *arg)
{
	struct store_committer *c = arg;
	sqlite3 *db = c->ck->db;

	pthread_setname_np(pthread_self(), "mamori-ckpt");
	pthread_mutex_lock(&c->lock);
	for (;;) {
		int log = 0, done = 0, rc, pages;
		bool whole;

		while (!c->ck_wanted && !c->stopping)
			pthread_cond_wait(&c->ck_work, &c->lock);
		if (c->stopping)
			break;
		pages = c->ck_pages;
		pthread_mutex_unlock(&c->lock);

		rc = sqlite3_wal_checkpoint_v2(db, NULL,
					       SQLITE_CHECKPOINT_PASSIVE,
					       &log, &done);
		if (rc == SQLITE_OK && done < log &&
		    log - done <= CHECKPOINT_CATCH_UP) {
			pthread_mutex_lock(&c->tx);
			rc = sqlite3_wal_checkpoint_v2(db, NULL,
						       SQLITE_CHECKPOINT_PASSIVE,
						       &log, &done);
			pthread_mutex_unlock(&c->tx);
		}
		if (rc == SQLITE_OK &&
		    log / CHECKPOINT_RESTART >= pages) {
			/* copied, maybe whole, but not started again: a
			 * reader was on the log each time the writer began */
			pthread_mutex_lock(&c->tx);
			rc = sqlite3_wal_checkpoint_v2(db, NULL,
						       SQLITE_CHECKPOINT_RESTART,
						       &log, &done);
			pthread_mutex_unlock(&c->tx);
		}
		whole = rc == SQLITE_OK && done == log;

		pthread_mutex_lock(&c->lock);
		if (whole)
			c->checkpoints++;
		/* asked again by the next commit while the log is long */
		c->ck_wanted = false;
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

/* Free c, its threads ended (or never started). */
static void destroy(struct store_committer *c)
{
	pthread_cond_destroy(&c->ck_work);
	pthread_cond_destroy(&c->work);
	pthread_mutex_destroy(&c->tx);
	pthread_mutex_destroy(&c->lock);
	store_free(c->ck);
	store_free(c->st);
	free(c);
}

enum mamori_err store_committer_start(const char *path, size_t max_batch,
				      struct store_committer **out,
				      struct strbuf *err)
{
	struct store_open_opts so = { .no_checkpoint = true };
	struct store_committer *c;
	enum mamori_err e;
	int rc;

	*out = NULL;
	if (!(c = calloc(1, sizeof(*c))))
		return MAMORI_ENOMEM;
	if ((e = store_open(path, &so, &c->st, err))) {
		free(c);
		return e;
	}
	if ((e = store_open(path, &so, &c->ck, err))) {
		store_free(c->st);
		free(c);
		return e;
	}
	c->max_batch = max_batch ? max_batch : STORE_COMMIT_BATCH;
	c->ck_pages = CHECKPOINT_PAGES;
	c->tail = &c->head;
	pthread_mutex_init(&c->lock, NULL);
	pthread_mutex_init(&c->tx, NULL);
	pthread_cond_init(&c->work, NULL);
	pthread_cond_init(&c->ck_work, NULL);
	if ((rc = pthread_create(&c->ck_thread, NULL, checkpointer_main, c))) {
		store_msg(err, "cannot start the checkpointer: %s",
			  strerror(rc));
		goto fail;
	}
	sqlite3_wal_hook(c->st->db, wal_hook, c);
	if ((rc = pthread_create(&c->thread, NULL, writer_main, c))) {
		store_msg(err, "cannot start the writer: %s", strerror(rc));
		pthread_mutex_lock(&c->lock);
		c->stopping = true;
		pthread_cond_signal(&c->ck_work);
		pthread_mutex_unlock(&c->lock);
		pthread_join(c->ck_thread, NULL);
		goto fail;
	}
	*out = c;
	return MAMORI_OK;
fail:
	destroy(c);
	return MAMORI_EIO;
}

void store_committer_stop(struct store_committer *c)
{
	if (!c || c->joined)
		return;
	pthread_mutex_lock(&c->lock);
	c->stopping = true;
	pthread_cond_signal(&c->work);
	pthread_cond_signal(&c->ck_work);
	pthread_mutex_unlock(&c->lock);
	pthread_join(c->thread, NULL);
	pthread_join(c->ck_thread, NULL);
	c->joined = true;
}

void store_committer_free(struct store_committer *c)
{
	if (!c)
		return;
	store_committer_stop(c);
	destroy(c);
}

enum mamori_err store_committer_put(struct store_committer *c,
				    struct store_pending *p, int64_t *revision,
				    struct strbuf *err)
{
	struct waiter w = { .p = p };
	enum mamori_err e;

	*revision = 0;
	strbuf_init(&w.msg, 0);
	pthread_mutex_lock(&c->lock);
	if (c->stopping) {
		pthread_mutex_unlock(&c->lock);
		strbuf_release(&w.msg);
		store_pending_free(p);
		store_msg(err, "the server is stopping: the answers were not "
			       "saved");
		return MAMORI_EIO;
	}
	sem_init(&w.done, 0, 0);
	*c->tail = &w;
	c->tail = &w.next;
	pthread_cond_signal(&c->work);
	pthread_mutex_unlock(&c->lock);
	while (sem_wait(&w.done) != 0)
		;	/* EINTR */
	sem_destroy(&w.done);
	e = w.result;
	if (!e)
		*revision = w.revision;
	if (w.msg.len)
		store_msg(err, "%s", w.msg.buf);
	strbuf_release(&w.msg);
	return e;
}

void store_committer_submit(struct store_committer *c,
			    struct store_pending *p, store_committed_fn done,
			    void *arg)
{
	struct waiter *w = calloc(1, sizeof(*w));

	if (!w) {
		store_pending_free(p);
		done(arg, MAMORI_ENOMEM, NULL, "out of memory: the answers "
					       "were not saved");
		return;
	}
	w->p = p;
	w->fn = done;
	w->arg = arg;
	strbuf_init(&w->msg, 0);
	pthread_mutex_lock(&c->lock);
	if (c->stopping) {
		pthread_mutex_unlock(&c->lock);
		store_pending_free(p);
		free(w);
		done(arg, MAMORI_EIO, NULL, "the server is stopping: the "
					    "answers were not saved");
		return;
	}
	*c->tail = w;
	c->tail = &w->next;
	pthread_cond_signal(&c->work);
	pthread_mutex_unlock(&c->lock);
}

enum mamori_err store_committer_save(struct store_committer *c,
				     struct store *st, enum revision_kind kind,
				     const struct store_actor *who,
				     int64_t campaign, const char *org,
				     const char *json, size_t len,
				     int64_t base, int64_t *revision,
				     struct strbuf *err)
{
	struct store_pending *p;
	enum mamori_err e;

	*revision = 0;
	if ((e = store_pending_prepare(st, kind, who, campaign, org, json, len,
				       base, &p, err)))
		return e;
	return store_committer_put(c, p, revision, err);
}

void store_committer_counts(struct store_committer *c, uint64_t *batches,
			    uint64_t *saves)
{
	pthread_mutex_lock(&c->lock);
	*batches = c->batches;
	*saves = c->saves;
	pthread_mutex_unlock(&c->lock);
}

void store_committer_log(struct store_committer *c, uint64_t *checkpoints,
			 int *log_pages)
{
	pthread_mutex_lock(&c->lock);
	*checkpoints = c->checkpoints;
	*log_pages = c->log_pages;
	pthread_mutex_unlock(&c->lock);
}
