/*
 * csv.c - streaming RFC 4180 reader. Must never read past its input,
 * grow past its limits, or hand out a field that is not NUL-terminated.
 */
#include "csv.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define CSV_CHUNK 65536
#define CSV_EOF (-1)
#define CSV_ERR (-2)

static void init_common(struct csv *c, const struct csv_limits *lim)
{
	memset(c, 0, sizeof(*c));
	c->lim.max_field = lim && lim->max_field ? lim->max_field
						 : CSV_DEFAULT_MAX_FIELD;
	c->lim.max_record = lim && lim->max_record ? lim->max_record
						   : CSV_DEFAULT_MAX_RECORD;
	c->lim.max_fields = lim && lim->max_fields ? lim->max_fields
						   : CSV_DEFAULT_MAX_FIELDS;
	c->line = 1;
	/* field bytes plus one NUL per field */
	strbuf_init(&c->data, c->lim.max_record + c->lim.max_fields + 1);
}

void csv_init(struct csv *c, csv_read_fn read, void *ud,
	      const struct csv_limits *lim)
{
	init_common(c, lim);
	c->read = read;
	c->ud = ud;
}

void csv_init_mem(struct csv *c, const char *p, size_t len,
		  const struct csv_limits *lim)
{
	init_common(c, lim);
	c->mem = p;
	c->mem_len = len;
}

void csv_release(struct csv *c)
{
	free(c->chunk);
	free(c->ends);
	free(c->fields);
	strbuf_release(&c->data);
	c->chunk = NULL;
	c->ends = NULL;
	c->fields = NULL;
}

static int fill(struct csv *c)
{
	long n;

	if (c->eof)
		return CSV_EOF;
	if (!c->chunk) {
		c->chunk = malloc(CSV_CHUNK);
		if (!c->chunk)
			return CSV_ERR;
	}
	n = c->read(c->ud, c->chunk, CSV_CHUNK);
	if (n < 0)
		return CSV_ERR;
	if (n == 0) {
		c->eof = 1;
		return CSV_EOF;
	}
	c->chunk_len = (size_t)n;
	c->chunk_off = 0;
	return 0;
}

/* The next byte, CSV_EOF, or CSV_ERR (read failed or no memory). */
static int next_byte(struct csv *c)
{
	if (c->mem || !c->read) {
		if (c->mem_off >= c->mem_len)
			return CSV_EOF;
		return (unsigned char)c->mem[c->mem_off++];
	}
	if (c->chunk_off >= c->chunk_len) {
		int r = fill(c);
		if (r)
			return r;
	}
	return (unsigned char)c->chunk[c->chunk_off++];
}

static int peek_byte(struct csv *c)
{
	if (c->mem || !c->read) {
		if (c->mem_off >= c->mem_len)
			return CSV_EOF;
		return (unsigned char)c->mem[c->mem_off];
	}
	if (c->chunk_off >= c->chunk_len) {
		int r = fill(c);
		if (r)
			return r;
	}
	return (unsigned char)c->chunk[c->chunk_off];
}

static enum mamori_err fail(struct csv *c, struct strbuf *err,
			    enum mamori_err code, unsigned long line,
			    const char *msg)
{
	(void)c;
	if (err)
		strbuf_addf(err, "%sline %lu: %s", err->len ? "\n" : "", line,
			    msg);
	return code;
}

static enum mamori_err end_field(struct csv *c, unsigned long line,
				 size_t start, struct strbuf *err)
{
	if (c->data.len - start > c->lim.max_field)
		return fail(c, err, MAMORI_ETOOBIG, line,
			    "field longer than the limit");
	if (c->nfields >= c->lim.max_fields)
		return fail(c, err, MAMORI_ETOOBIG, line,
			    "more fields than the limit");
	if (c->nfields == c->afields) {
		size_t n = c->afields ? c->afields * 2 : 16;
		size_t *e = realloc(c->ends, n * sizeof(*e));
		if (!e)
			return MAMORI_ENOMEM;
		c->ends = e;
		c->afields = n;
	}
	c->ends[c->nfields++] = c->data.len;
	if (strbuf_addch(&c->data, '\0'))
		return c->data.err == MAMORI_ETOOBIG
			       ? fail(c, err, MAMORI_ETOOBIG, line,
				      "record longer than the limit")
			       : MAMORI_ENOMEM;
	return MAMORI_OK;
}

static enum mamori_err add_byte(struct csv *c, unsigned long line, int ch,
				size_t start, struct strbuf *err)
{
	if (c->data.len - start >= c->lim.max_field)
		return fail(c, err, MAMORI_ETOOBIG, line,
			    "field longer than the limit");
	/* data holds one NUL per finished field */
	if (c->data.len - c->nfields >= c->lim.max_record)
		return fail(c, err, MAMORI_ETOOBIG, line,
			    "record longer than the limit");
	if (strbuf_addch(&c->data, (char)ch))
		return c->data.err == MAMORI_ETOOBIG
			       ? fail(c, err, MAMORI_ETOOBIG, line,
				      "record longer than the limit")
			       : MAMORI_ENOMEM;
	return MAMORI_OK;
}

static enum mamori_err publish(struct csv *c, unsigned long line,
			       struct csv_record *rec)
{
	struct slice *f;
	size_t start = 0;

	f = realloc(c->fields, (c->nfields ? c->nfields : 1) * sizeof(*f));
	if (!f)
		return MAMORI_ENOMEM;
	c->fields = f;
	for (size_t i = 0; i < c->nfields; i++) {
		f[i] = slice_make(c->data.buf + start, c->ends[i] - start);
		start = c->ends[i] + 1;
	}
	rec->line = line;
	rec->nfields = c->nfields;
	rec->fields = f;
	return MAMORI_OK;
}

enum mamori_err csv_next(struct csv *c, struct csv_record *rec,
			 struct strbuf *err)
{
	enum mamori_err e;
	unsigned long line;
	size_t start;
	int ch;

	if (c->data.err == MAMORI_ENOMEM)
		return MAMORI_ENOMEM;
again:
	strbuf_reset(&c->data);
	c->nfields = 0;
	line = c->line;
	ch = next_byte(c);
	if (ch == CSV_EOF)
		return MAMORI_ENOENT;
	if (ch == CSV_ERR)
		return c->eof || c->chunk ? MAMORI_EIO : MAMORI_ENOMEM;
	/* an empty line: skipped */
	if (ch == '\n' || (ch == '\r' && peek_byte(c) == '\n')) {
		if (ch == '\r')
			next_byte(c);
		c->line++;
		goto again;
	}
	for (;;) {
		start = c->data.len;
		if (ch == '"') {
			unsigned long qline = c->line;
			for (;;) {
				ch = next_byte(c);
				if (ch == CSV_ERR)
					return MAMORI_EIO;
				if (ch == CSV_EOF)
					return fail(c, err, MAMORI_EPARSE, qline,
						    "quoted field not closed");
				if (ch == '"') {
					if (peek_byte(c) != '"')
						break;
					next_byte(c);
				} else if (ch == '\n') {
					c->line++;
				}
				if ((e = add_byte(c, line, ch, start, err)))
					return e;
			}
			ch = next_byte(c);
			if (ch != ',' && ch != '\n' && ch != CSV_EOF &&
			    !(ch == '\r' && peek_byte(c) == '\n')) {
				if (ch == CSV_ERR)
					return MAMORI_EIO;
				return fail(c, err, MAMORI_EPARSE, c->line,
					    "text after a closing quote");
			}
		} else {
			while (ch != ',' && ch != '\n' && ch != CSV_EOF &&
			       !(ch == '\r' && peek_byte(c) == '\n')) {
				if (ch == CSV_ERR)
					return MAMORI_EIO;
				if (ch == '"')
					return fail(c, err, MAMORI_EPARSE,
						    c->line,
						    "quote inside an unquoted field");
				if ((e = add_byte(c, line, ch, start, err)))
					return e;
				ch = next_byte(c);
			}
		}
		if ((e = end_field(c, line, start, err)))
			return e;
		if (ch == ',') {
			ch = next_byte(c);
			if (ch == CSV_ERR)
				return MAMORI_EIO;
			continue;
		}
		if (ch == '\r')
			next_byte(c);	/* the \n of CRLF */
		if (ch != CSV_EOF)
			c->line++;
		return publish(c, line, rec);
	}
}
