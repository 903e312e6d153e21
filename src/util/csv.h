/*
 * csv.h - a streaming RFC 4180 reader: records of fields, with the line
 * each record starts on, for importers that must report "line N: ...".
 *
 * Accepts CRLF or LF line ends, quoted fields holding commas, quotes
 * ("" inside quotes) and line breaks; skips lines that are entirely
 * empty. Refuses with a located error (MAMORI_EPARSE): a quote inside an
 * unquoted field, text after a closing quote, an unterminated quote.
 * Field, record and field-count limits are enforced (MAMORI_ETOOBIG), so
 * a hostile file cannot make it allocate without bound. It never
 * interprets the bytes (no encoding, no trimming).
 *
 * Ownership: the reader owns its buffers; a record's field slices point
 * into them and stay valid only until the next csv_next() or
 * csv_release(). Input comes from a read callback or a memory block the
 * caller keeps alive.
 */
#ifndef MAMORI_CSV_H
#define MAMORI_CSV_H

#include <stddef.h>

#include "err.h"
#include "slice.h"
#include "strbuf.h"

#define CSV_DEFAULT_MAX_FIELD (64u << 10)
#define CSV_DEFAULT_MAX_RECORD (1u << 20)
#define CSV_DEFAULT_MAX_FIELDS 4096u

struct csv_limits {
	size_t max_field;	/* bytes in one field; 0: default */
	size_t max_record;	/* bytes in one record; 0: default */
	size_t max_fields;	/* fields in one record; 0: default */
};

/* Reads up to n bytes into buf; returns the count, 0 at end, -1 on error. */
typedef long (*csv_read_fn)(void *ud, char *buf, size_t n);

struct csv {
	/* input */
	csv_read_fn read;
	void *ud;
	const char *mem;	/* memory input, borrowed */
	size_t mem_len, mem_off;
	char *chunk;		/* owned: read buffer */
	size_t chunk_len, chunk_off;
	int eof;
	struct csv_limits lim;
	unsigned long line;	/* current physical line, 1-based */
	/* the record being built */
	struct strbuf data;	/* owned: field bytes, NUL after each */
	size_t *ends;		/* owned: end offset of each field in data */
	struct slice *fields;	/* owned: handed out */
	size_t nfields, afields;
};

struct csv_record {
	unsigned long line;	/* where the record starts */
	size_t nfields;
	const struct slice *fields;	/* each NUL-terminated too */
};

/* Set up to read from a callback. lim may be NULL (defaults). */
void csv_init(struct csv *c, csv_read_fn read, void *ud,
	      const struct csv_limits *lim);
/* Set up to read len bytes at p (borrowed until csv_release). */
void csv_init_mem(struct csv *c, const char *p, size_t len,
		  const struct csv_limits *lim);
void csv_release(struct csv *c);

/*
 * The next record into *rec: MAMORI_OK; MAMORI_ENOENT at the end of
 * input; MAMORI_EPARSE or MAMORI_ETOOBIG with "line N: message" appended
 * to err (err may be NULL); MAMORI_EIO when read failed; MAMORI_ENOMEM.
 * After an error the reader cannot continue.
 */
enum mamori_err csv_next(struct csv *c, struct csv_record *rec,
			 struct strbuf *err);

#endif
