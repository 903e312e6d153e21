/*
 * audit_run.c - streams log files into an audit (zlib reads plain and
 * gzip input alike). Several files: a reader thread per file turns lines
 * into compact event records in fixed-size batches; the calling thread
 * merges the streams by time and runs the detectors. One file: read in
 * blocks of whole lines that up to opts->jobs threads parse at once; the
 * events of each block reach the detectors in file order, one block at a
 * time, so the result is the one-thread result byte for byte. Memory is
 * a few batches or blocks per thread, never the file. Must never
 * allocate per line.
 */
#include "evidence/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include <jansson.h>

#include "util/banned.h"

enum {
	BATCH_EV = 2048,
	BATCH_BYTES = 128 * 1024,
	QUEUE_DEPTH = 4,
	READ_CHUNK = 256 * 1024,
	MAX_STREAMS = 64,
};

struct bev {
	int64_t time;
	struct netaddr src;
	uint32_t off[4];	/* device, user, session, reason in bytes */
	uint16_t len[4];
	uint8_t has_src, outcome, format;
};

struct batch {
	struct batch *next;
	size_t n, used;
	struct bev ev[BATCH_EV];
	char bytes[BATCH_BYTES];
};

/* Per-file counters, kept by the reader and summed by the merger. */
struct counts {
	uint64_t lines, events, ignored, other, malformed;
	uint64_t formats[VPN_FMT__MAX];
	struct malformed_line samples[AUDIT_MALFORMED_SAMPLES];
	size_t nsamples;
};

static void note_malformed(struct counts *c, const char *file,
			   uint64_t line, const char *why)
{
	c->malformed++;
	if (c->nsamples >= AUDIT_MALFORMED_SAMPLES)
		return;
	struct malformed_line *m = &c->samples[c->nsamples++];
	snprintf(m->file, sizeof(m->file), "%s", file);
	m->line = line;
	snprintf(m->why, sizeof(m->why), "%s", why);
}

/* ---- lines of one input -------------------------------------------------- */

struct linesink {
	const struct audit_opts *o;
	const char *name;
	struct counts c;
	struct vpnlog_state st;		/* the parsers' memory of the lines */
	void (*emit)(struct linesink *, const struct vpn_event *);
	void (*flush)(struct linesink *);	/* NULL, or before the
						 * lines' bytes are reused */
	void *ctx;
};

/* One line; nul: it holds a NUL byte. */
static void one_line(struct linesink *ls, const char *p, size_t len, bool nul)
{
	struct vpn_event ev;

	ls->c.lines++;
	if (len && p[len - 1] == '\r')
		len--;
	if (!len)
		return;
	if (nul) {
		note_malformed(&ls->c, ls->name, ls->c.lines, "binary data");
		return;
	}
	switch (vpnlog_parse_next(&ls->o->log, ls->o->format,
				  slice_make(p, len), &ev, &ls->st)) {
	case VPN_EVENT:
		ls->c.events++;
		ls->c.formats[ev.format]++;
		ls->emit(ls, &ev);
		break;
	case VPN_IGNORED:
		ls->c.ignored++;
		ls->c.formats[ev.format]++;
		break;
	case VPN_MALFORMED:
		note_malformed(&ls->c, ls->name, ls->c.lines,
			       vpn_format_name(ev.format));
		break;
	default:
		ls->c.other++;
		break;
	}
}

/*
 * Splits buf into lines; returns the bytes consumed (a trailing partial
 * line is left unless final). *skipping: inside an over-long line.
 */
static size_t split_lines(struct linesink *ls, const char *buf, size_t len,
			  bool final, bool *skipping)
{
	size_t pos = 0;
	/* the first NUL at or after pos: one scan of the buffer instead of
	 * one per line, as logs seldom hold any */
	const char *nul = memchr(buf, '\0', len);

	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		if (nul && nul < buf + pos)
			nul = memchr(buf + pos, '\0', len - pos);
		if (!nl) {
			if (final) {
				if (!*skipping)
					one_line(ls, buf + pos, len - pos,
						 nul != NULL);
				return len;
			}
			if (len - pos > ls->o->max_line && !*skipping) {
				ls->c.lines++;
				note_malformed(&ls->c, ls->name, ls->c.lines,
					       "line too long");
				*skipping = true;
			}
			return *skipping ? len : pos;
		}
		size_t l = (size_t)(nl - (buf + pos));
		if (*skipping) {
			*skipping = false;
		} else if (l > ls->o->max_line) {
			ls->c.lines++;
			note_malformed(&ls->c, ls->name, ls->c.lines,
				       "line too long");
		} else {
			one_line(ls, buf + pos, l, nul && nul < nl);
		}
		pos += l + 1;
	}
	return pos;
}

/* Reads a whole input through split_lines; false on a read error. */
static bool read_input(struct linesink *ls, gzFile gz, struct strbuf *errs)
{
	size_t cap = READ_CHUNK + ls->o->max_line + 1, have = 0;
	char *buf = malloc(cap);
	bool skipping = false, ok = true;

	if (!buf)
		return false;
	for (;;) {
		int n = gzread(gz, buf + have, (unsigned)(cap - have));
		if (n < 0) {
			int zerr;
			const char *msg = gzerror(gz, &zerr);
			strbuf_addf(errs, "%s: %s\n", ls->name, msg);
			ok = false;
			n = 0;
		}
		have += (size_t)n;
		bool final = n == 0;
		size_t used = split_lines(ls, buf, have, final, &skipping);
		if (ls->flush)
			ls->flush(ls);
		memmove(buf, buf + used, have - used);
		have -= used;
		if (final)
			break;
	}
	free(buf);
	return ok;
}

/* ---- one reader thread per file ------------------------------------------ */

struct stream {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch *queue, *qtail;	/* full batches, oldest first */
	size_t qlen;
	struct batch *free;		/* recycled batches */
	struct batch *cur;		/* being filled by the reader */
	bool live, done, failed, oom;
	gzFile gz;
	struct linesink ls;
	struct strbuf errs;
	/* merger side */
	struct batch *head;
	size_t pos;
};

static struct batch *batch_new(struct stream *st)
{
	struct batch *b;
	pthread_mutex_lock(&st->mu);
	b = st->free;
	if (b)
		st->free = b->next;
	pthread_mutex_unlock(&st->mu);
	if (!b && !(b = malloc(sizeof(*b))))
		return NULL;
	b->next = NULL;
	b->n = b->used = 0;
	return b;
}

static void push(struct stream *st, struct batch *b)
{
	pthread_mutex_lock(&st->mu);
	while (st->qlen >= QUEUE_DEPTH)
		pthread_cond_wait(&st->cv, &st->mu);
	if (st->qtail)
		st->qtail->next = b;
	else
		st->queue = b;
	st->qtail = b;
	st->qlen++;
	pthread_cond_broadcast(&st->cv);
	pthread_mutex_unlock(&st->mu);
}

static uint32_t keep(struct batch *b, struct slice s, uint16_t *len)
{
	size_t n = s.len > 1024 ? 1024 : s.len;
	uint32_t off = (uint32_t)b->used;
	if (n)
		memcpy(b->bytes + b->used, s.p, n);
	b->used += n;
	*len = (uint16_t)n;
	return off;
}

static void emit_batch(struct linesink *ls, const struct vpn_event *ev)
{
	struct stream *st = ls->ctx;
	struct batch *b = st->cur;

	if (st->oom)
		return;
	if (b && (b->n == BATCH_EV || b->used + 4 * 1024 > BATCH_BYTES)) {
		push(st, b);
		b = st->cur = NULL;
	}
	if (!b && !(b = st->cur = batch_new(st))) {
		st->oom = true;
		return;
	}
	struct bev *e = &b->ev[b->n++];
	e->time = ev->time;
	e->src = ev->src;
	e->has_src = ev->has_src;
	e->outcome = (uint8_t)ev->outcome;
	e->format = (uint8_t)ev->format;
	e->off[0] = keep(b, ev->device, &e->len[0]);
	e->off[1] = keep(b, ev->user, &e->len[1]);
	e->off[2] = keep(b, ev->session, &e->len[2]);
	e->off[3] = keep(b, ev->reason, &e->len[3]);
}

static void *reader_main(void *arg)
{
	struct stream *st = arg;

	if (!read_input(&st->ls, st->gz, &st->errs))
		st->failed = true;
	gzclose(st->gz);
	st->gz = NULL;
	if (st->cur && st->cur->n)
		push(st, st->cur);
	else
		free(st->cur);
	st->cur = NULL;
	pthread_mutex_lock(&st->mu);
	st->done = true;
	pthread_cond_broadcast(&st->cv);
	pthread_mutex_unlock(&st->mu);
	return NULL;
}

/* The merger's next event of st, waiting for the reader; NULL at end. */
static struct bev *peek(struct stream *st)
{
	if (st->head && st->pos < st->head->n)
		return &st->head->ev[st->pos];
	pthread_mutex_lock(&st->mu);
	if (st->head) {
		st->head->next = st->free;
		st->free = st->head;
		st->head = NULL;
	}
	while (!st->queue && !st->done)
		pthread_cond_wait(&st->cv, &st->mu);
	if (st->queue) {
		st->head = st->queue;
		st->queue = st->head->next;
		if (!st->queue)
			st->qtail = NULL;
		st->qlen--;
		st->pos = 0;
		pthread_cond_broadcast(&st->cv);
	}
	pthread_mutex_unlock(&st->mu);
	return st->head ? &st->head->ev[0] : NULL;
}

static void to_event(const struct batch *b, const struct bev *e,
		     struct vpn_event *ev)
{
	ev->time = e->time;
	ev->src = e->src;
	ev->has_src = e->has_src;
	ev->outcome = e->outcome;
	ev->format = e->format;
	ev->device = slice_make(b->bytes + e->off[0], e->len[0]);
	ev->user = slice_make(b->bytes + e->off[1], e->len[1]);
	ev->session = slice_make(b->bytes + e->off[2], e->len[2]);
	ev->reason = slice_make(b->bytes + e->off[3], e->len[3]);
}

static void add_counts(struct audit *a, const struct counts *c)
{
	a->lines += c->lines;
	a->events += c->events;
	a->ignored += c->ignored;
	a->other += c->other;
	a->malformed += c->malformed;
	for (int f = 0; f < VPN_FMT__MAX; f++)
		a->formats[f] += c->formats[f];
	for (size_t i = 0; i < c->nsamples &&
	     a->nsamples < AUDIT_MALFORMED_SAMPLES; i++)
		a->samples[a->nsamples++] = c->samples[i];
}

static gzFile open_input(const char *path, struct strbuf *errs)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : dup(0);
	gzFile gz;

	if (fd < 0) {
		strbuf_addf(errs, "%s: %s\n", path, strerror(errno));
		return NULL;
	}
	gz = gzdopen(fd, "rb");
	if (!gz) {
		close(fd);
		strbuf_addf(errs, "%s: cannot read\n", path);
		return NULL;
	}
	gzbuffer(gz, 128 * 1024);
	return gz;
}

static enum mamori_err run_group(struct audit *a, char *const *paths,
				 size_t n)
{
	struct stream *st = calloc(n, sizeof(*st));
	enum mamori_err rc = MAMORI_OK;

	if (!st)
		return MAMORI_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct stream *s = &st[i];
		strbuf_init(&s->errs, 0);
		s->ls.o = a->opts;
		s->ls.name = strcmp(paths[i], "-") ? paths[i] : "(stdin)";
		vpnlog_state_init(&s->ls.st);
		s->ls.emit = emit_batch;
		s->ls.ctx = s;
		s->gz = open_input(paths[i], &a->read_errors);
		if (!s->gz) {
			rc = MAMORI_EIO;
			continue;
		}
		pthread_mutex_init(&s->mu, NULL);
		pthread_cond_init(&s->cv, NULL);
		if (pthread_create(&s->thread, NULL, reader_main, s)) {
			gzclose(s->gz);
			pthread_mutex_destroy(&s->mu);
			pthread_cond_destroy(&s->cv);
			strbuf_addf(&a->read_errors,
				    "%s: cannot start a reader\n", paths[i]);
			rc = MAMORI_EIO;
			continue;
		}
		s->live = true;
	}
	/* merge: always the stream whose next event is earliest */
	for (;;) {
		struct stream *best = NULL;
		struct bev *be = NULL;
		for (size_t i = 0; i < n; i++) {
			struct bev *e = st[i].live ? peek(&st[i]) : NULL;
			if (e && (!be || e->time < be->time)) {
				be = e;
				best = &st[i];
			}
		}
		if (!best)
			break;
		struct vpn_event ev;
		to_event(best->head, be, &ev);
		audit_event(a, &ev);
		best->pos++;
	}
	for (size_t i = 0; i < n; i++) {
		struct stream *s = &st[i];
		if (s->live) {
			pthread_join(s->thread, NULL);
			add_counts(a, &s->ls.c);
			if (s->failed)
				rc = MAMORI_EIO;
			if (s->oom)
				a->err = MAMORI_ENOMEM;
			strbuf_addslice(&a->read_errors, strbuf_slice(&s->errs));
			free(s->head);
			while (s->free) {
				struct batch *b = s->free;
				s->free = b->next;
				free(b);
			}
			pthread_mutex_destroy(&s->mu);
			pthread_cond_destroy(&s->cv);
		}
		strbuf_release(&s->errs);
	}
	free(st);
	return a->err ? a->err : rc;
}

/* ---- one input, parsed by several threads, applied in file order ----- */

enum { BLOCK = 4 << 20, MAX_JOBS = 8 };

struct blockrun;

struct worker {
	struct blockrun *br;
	pthread_t thread;
	char *buf;			/* owned: the block being parsed */
	size_t cap;
	struct vpn_event *ev;		/* owned: its events (into buf) */
	size_t nev, ev_cap;
	struct linesink ls;		/* counts of this block */
	bool oom;
};

struct blockrun {
	struct audit *a;
	gzFile gz;
	size_t block;
	/* reading, under rd: blocks are numbered as they are read */
	pthread_mutex_t rd;
	char *carry;			/* owned: a partial line (<= max_line) */
	size_t ncarry;
	bool skipping, eof, failed;
	uint64_t seq;
	struct strbuf errs;
	/* applying, in turn: block number next, then next + 1, ... */
	pthread_mutex_t ap;
	pthread_cond_t turn;
	uint64_t next;
	struct counts total;		/* of the blocks applied */
	bool oom;
};

static void emit_store(struct linesink *ls, const struct vpn_event *ev)
{
	struct worker *w = ls->ctx;

	if (w->nev == w->ev_cap) {
		size_t ncap = w->ev_cap ? w->ev_cap * 2 : 4096;
		struct vpn_event *p = realloc(w->ev, ncap * sizeof(*p));
		if (!p) {
			w->oom = true;
			return;
		}
		w->ev = p;
		w->ev_cap = ncap;
	}
	w->ev[w->nev++] = *ev;
}

/*
 * Reads the next block into w->buf: the carried partial line, then input
 * until at least br->block bytes and a line end (or the end of input).
 * The partial line after the last line end is carried to the next block,
 * unless it is already longer than max_line: the parser of this block
 * counts it as too long and the reader drops the rest of it. Returns
 * false at the end of input; *len, *eof and *seq describe the block.
 */
static bool read_block(struct blockrun *br, struct worker *w, size_t *len,
		       bool *eof, uint64_t *seq)
{
	size_t have, maxl = br->a->opts->max_line;

	pthread_mutex_lock(&br->rd);
	if (br->eof) {
		pthread_mutex_unlock(&br->rd);
		return false;
	}
	*seq = br->seq++;
	memcpy(w->buf, br->carry, br->ncarry);
	have = br->ncarry;
	br->ncarry = 0;
	for (;;) {
		int n = gzread(br->gz, w->buf + have, (unsigned)(w->cap - have));
		if (n < 0) {
			int zerr;
			strbuf_addf(&br->errs, "%s: %s\n", w->ls.name,
				    gzerror(br->gz, &zerr));
			br->failed = true;
			n = 0;
		}
		if (n == 0) {
			br->eof = true;
			break;
		}
		if (br->skipping) {
			/* the rest of an over-long line, counted already */
			char *nl = memchr(w->buf + have, '\n', (size_t)n);
			if (!nl)
				continue;
			size_t drop = (size_t)(nl + 1 - (w->buf + have));
			memmove(w->buf + have, nl + 1, (size_t)n - drop);
			n -= (int)drop;
			br->skipping = false;
		}
		have += (size_t)n;
		if (have >= br->block &&
		    (have > maxl || memrchr(w->buf, '\n', have)))
			break;
	}
	*eof = br->eof;
	if (!br->eof) {
		const char *nl = memrchr(w->buf, '\n', have);
		size_t rest = nl ? have - (size_t)(nl + 1 - w->buf) : have;
		if (rest > maxl) {
			br->skipping = true;
		} else {
			memcpy(br->carry, w->buf + have - rest, rest);
			br->ncarry = rest;
		}
	}
	pthread_mutex_unlock(&br->rd);
	*len = have;
	return true;
}

/* Adds a block's counts; its line numbers follow the lines before it. */
static void add_block_counts(struct counts *t, const struct counts *c)
{
	for (size_t i = 0; i < c->nsamples &&
	     t->nsamples < AUDIT_MALFORMED_SAMPLES; i++) {
		t->samples[t->nsamples] = c->samples[i];
		t->samples[t->nsamples++].line += t->lines;
	}
	t->lines += c->lines;
	t->events += c->events;
	t->ignored += c->ignored;
	t->other += c->other;
	t->malformed += c->malformed;
	for (int f = 0; f < VPN_FMT__MAX; f++)
		t->formats[f] += c->formats[f];
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct blockrun *br = w->br;
	size_t len;
	bool eof;
	uint64_t seq;

	while (read_block(br, w, &len, &eof, &seq)) {
		bool skip = false;
		memset(&w->ls.c, 0, sizeof(w->ls.c));
		w->nev = 0;
		size_t used = split_lines(&w->ls, w->buf, len, false, &skip);
		if (eof && used < len && !skip)
			one_line(&w->ls, w->buf + used, len - used,
				 memchr(w->buf + used, '\0', len - used) != NULL);

		pthread_mutex_lock(&br->ap);
		while (br->next != seq)
			pthread_cond_wait(&br->turn, &br->ap);
		pthread_mutex_unlock(&br->ap);
		/* our turn: no other thread touches the audit now */
		audit_events(br->a, w->ev, w->nev);
		add_block_counts(&br->total, &w->ls.c);
		if (w->oom)
			br->oom = true;
		pthread_mutex_lock(&br->ap);
		br->next++;
		pthread_cond_broadcast(&br->turn);
		pthread_mutex_unlock(&br->ap);
	}
	return NULL;
}

static unsigned cpus_available(void)
{
	cpu_set_t set;
	int n;

	if (sched_getaffinity(0, sizeof(set), &set))
		return 1;
	n = CPU_COUNT(&set);
	return n > 0 ? (unsigned)n : 1;
}

static enum mamori_err run_blocks(struct audit *a, const char *path,
				  gzFile gz, unsigned jobs)
{
	struct blockrun br = { .a = a, .gz = gz };
	struct worker w[MAX_JOBS];
	unsigned nw = 0;
	enum mamori_err rc = MAMORI_OK;

	memset(w, 0, sizeof(w));
	br.block = a->opts->block ? a->opts->block : BLOCK;
	strbuf_init(&br.errs, 0);
	pthread_mutex_init(&br.rd, NULL);
	pthread_mutex_init(&br.ap, NULL);
	pthread_cond_init(&br.turn, NULL);
	br.carry = malloc(a->opts->max_line + 1);
	if (!br.carry) {
		rc = MAMORI_ENOMEM;
		goto out;
	}
	for (unsigned i = 0; i < jobs; i++) {
		struct worker *wk = &w[i];
		wk->br = &br;
		wk->cap = br.block + a->opts->max_line + 1;
		wk->buf = malloc(wk->cap);
		wk->ls.o = a->opts;
		wk->ls.name = path;
		vpnlog_state_init(&wk->ls.st);
		wk->ls.emit = emit_store;
		wk->ls.ctx = wk;
		if (!wk->buf)
			break;
		/* worker 0 is the calling thread */
		if (i && pthread_create(&wk->thread, NULL, worker_main, wk)) {
			free(wk->buf);
			wk->buf = NULL;
			break;
		}
		nw++;
	}
	if (!nw) {
		rc = MAMORI_ENOMEM;
		goto out;
	}
	worker_main(&w[0]);
	for (unsigned i = 1; i < nw; i++)
		pthread_join(w[i].thread, NULL);
	add_counts(a, &br.total);
	if (br.oom)
		a->err = MAMORI_ENOMEM;
	if (br.failed)
		rc = MAMORI_EIO;
	strbuf_addslice(&a->read_errors, strbuf_slice(&br.errs));
out:
	for (unsigned i = 0; i < MAX_JOBS; i++) {
		free(w[i].buf);
		free(w[i].ev);
	}
	free(br.carry);
	strbuf_release(&br.errs);
	pthread_mutex_destroy(&br.rd);
	pthread_mutex_destroy(&br.ap);
	pthread_cond_destroy(&br.turn);
	return a->err ? a->err : rc;
}

/* One input in the calling thread: events to the audit a few at a time. */
enum { DIRECT_EV = 1024 };

struct direct {
	struct audit *a;
	size_t n;
	struct vpn_event ev[DIRECT_EV];	/* into the read buffer */
};

static void flush_direct(struct linesink *ls)
{
	struct direct *d = ls->ctx;
	audit_events(d->a, d->ev, d->n);
	d->n = 0;
}

static void emit_direct(struct linesink *ls, const struct vpn_event *ev)
{
	struct direct *d = ls->ctx;
	d->ev[d->n++] = *ev;
	if (d->n == DIRECT_EV)
		flush_direct(ls);
}

static enum mamori_err run_one(struct audit *a, const char *path)
{
	const char *name = strcmp(path, "-") ? path : "(stdin)";
	gzFile gz = open_input(path, &a->read_errors);
	unsigned jobs = a->opts->jobs ? a->opts->jobs : cpus_available();
	enum mamori_err rc = MAMORI_OK;

	if (!gz)
		return MAMORI_EIO;
	if (jobs > MAX_JOBS)
		jobs = MAX_JOBS;
	if (jobs > 1) {
		rc = run_blocks(a, name, gz, jobs);
	} else {
		struct direct *d = malloc(sizeof(*d));
		struct linesink ls = { .o = a->opts, .name = name,
				       .emit = emit_direct,
				       .flush = flush_direct, .ctx = d };
		struct strbuf errs = STRBUF_INIT;
		if (!d) {
			gzclose(gz);
			return MAMORI_ENOMEM;
		}
		d->a = a;
		d->n = 0;
		vpnlog_state_init(&ls.st);
		if (!read_input(&ls, gz, &errs))
			rc = MAMORI_EIO;
		free(d);
		add_counts(a, &ls.c);
		strbuf_addslice(&a->read_errors, strbuf_slice(&errs));
		strbuf_release(&errs);
		rc = a->err ? a->err : rc;
	}
	gzclose(gz);
	return rc;
}

enum mamori_err audit_run(struct audit *a, char *const *paths, size_t n)
{
	enum mamori_err rc = MAMORI_OK, e;

	if (n == 1)
		return run_one(a, paths[0]);
	for (size_t i = 0; i < n; i += MAX_STREAMS) {
		size_t k = n - i < MAX_STREAMS ? n - i : MAX_STREAMS;
		e = run_group(a, paths + i, k);
		if (e == MAMORI_ENOMEM)
			return e;
		if (e)
			rc = e;
	}
	return rc;
}

/* ---- a buffer, in the calling thread --------------------------------------- */

static void emit_one(struct linesink *ls, const struct vpn_event *ev)
{
	audit_event(ls->ctx, ev);
}

void audit_feed_buffer(struct audit *a, const char *name, const char *buf,
		       size_t len)
{
	struct linesink ls = { .o = a->opts, .name = name,
			       .emit = emit_one, .ctx = a };
	bool skipping = false;

	vpnlog_state_init(&ls.st);
	split_lines(&ls, buf, len, true, &skipping);
	add_counts(a, &ls.c);
}

/* ---- baseline files ---------------------------------------------------------- */

static enum mamori_err baseline_json(struct audit *a, const char *path,
				     json_t *root, struct strbuf *err)
{
	json_t *accts = json_object_get(root, "accounts"), *ac;
	size_t i, j;

	if (!json_is_array(accts)) {
		strbuf_addf(err, "%s: no \"accounts\" list (not an audit's --json)\n",
			    path);
		return MAMORI_ESCHEMA;
	}
	json_array_foreach(accts, i, ac) {
		const char *user = json_string_value(json_object_get(ac, "user"));
		json_t *srcs = json_object_get(ac, "sources"), *sv;
		if (!user || !json_is_array(srcs))
			continue;
		json_array_foreach(srcs, j, sv) {
			struct netaddr ad;
			const char *s = json_string_value(sv);
			if (!s || !netaddr_parse(slice_from_cstr(s), &ad))
				continue;
			if (audit_baseline_add(a, slice_from_cstr(user), &ad))
				return MAMORI_ENOMEM;
		}
	}
	a->has_baseline = true;
	return MAMORI_OK;
}

enum mamori_err audit_baseline_load(struct audit *a, const char *path,
				    struct strbuf *err)
{
	FILE *f = fopen(path, "rb");
	char line[4096];
	unsigned long no = 0;
	enum mamori_err rc = MAMORI_OK;

	if (!f) {
		strbuf_addf(err, "%s: %s\n", path, strerror(errno));
		return MAMORI_EIO;
	}
	int c = fgetc(f);
	while (c == ' ' || c == '\n' || c == '\t' || c == '\r')
		c = fgetc(f);
	if (c == '{') {
		ungetc(c, f);
		json_error_t je;
		json_t *root = json_loadf(f, 0, &je);
		fclose(f);
		if (!root) {
			strbuf_addf(err, "%s:%d:%d: %s\n", path, je.line,
				    je.column, je.text);
			return MAMORI_EPARSE;
		}
		rc = baseline_json(a, path, root, err);
		json_decref(root);
		return rc;
	}
	if (c != EOF)
		ungetc(c, f);
	a->has_baseline = true;
	while (fgets(line, sizeof(line), f)) {
		no++;
		struct slice s = slice_trim(slice_from_cstr(line)), user;
		if (!s.len || s.p[0] == '#')
			continue;
		struct slice ip = slice_trim(slice_cut(s, ',', &user));
		struct netaddr ad;
		if (!ip.p || !netaddr_parse(ip, &ad)) {
			strbuf_addf(err, "%s:%lu: want \"user,address\"\n", path,
				    no);
			rc = MAMORI_EPARSE;
			break;
		}
		if ((rc = audit_baseline_add(a, slice_trim(user), &ad)))
			break;
	}
	fclose(f);
	return rc;
}
