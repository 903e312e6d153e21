/*
 * audit_run.c - streams log files into an audit: a reader thread per file
 * (zlib reads plain and gzip input alike) turns lines into compact event
 * records in fixed-size batches; the calling thread merges the streams by
 * time and runs the detectors. Memory is a few batches per file, never
 * the file. Must never allocate per line.
 */
#include "evidence/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
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
	enum vpn_format hint;
	void (*emit)(struct linesink *, const struct vpn_event *);
	void *ctx;
};

static void one_line(struct linesink *ls, const char *p, size_t len)
{
	struct vpn_event ev;

	ls->c.lines++;
	if (len && p[len - 1] == '\r')
		len--;
	if (!len)
		return;
	if (memchr(p, '\0', len)) {
		note_malformed(&ls->c, ls->name, ls->c.lines, "binary data");
		return;
	}
	switch (vpnlog_parse_line(&ls->o->log, ls->o->format,
				  slice_make(p, len), &ev, &ls->hint)) {
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
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		if (!nl) {
			if (final) {
				if (!*skipping)
					one_line(ls, buf + pos, len - pos);
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
			one_line(ls, buf + pos, l);
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
		s->ls.hint = VPN_FMT_FORTIGATE;
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

enum mamori_err audit_run(struct audit *a, char *const *paths, size_t n)
{
	enum mamori_err rc = MAMORI_OK, e;

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

static void emit_direct(struct linesink *ls, const struct vpn_event *ev)
{
	audit_event(ls->ctx, ev);
}

void audit_feed_buffer(struct audit *a, const char *name, const char *buf,
		       size_t len)
{
	struct linesink ls = { .o = a->opts, .name = name,
			       .hint = VPN_FMT_FORTIGATE, .emit = emit_direct,
			       .ctx = a };
	bool skipping = false;
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
