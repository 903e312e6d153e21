/*
 * err.h - the one error enum of mamori and its messages.
 *
 * Values are part of the stable interface: never renumber, only append
 * before MAMORI_E__MAX. Details (file:line:col, item id) travel in a
 * caller-supplied struct strbuf, never in the code itself.
 */
#ifndef MAMORI_ERR_H
#define MAMORI_ERR_H

enum mamori_err {
	MAMORI_OK = 0,
	MAMORI_ENOMEM = 1,	/* allocation failed */
	MAMORI_EINVAL = 2,	/* bad argument from the caller */
	MAMORI_EIO = 3,		/* read/write failed (errno kept by caller) */
	MAMORI_ENOENT = 4,	/* file, item or record not found */
	MAMORI_EPARSE = 5,	/* input is not well formed */
	MAMORI_ESCHEMA = 6,	/* well formed, but not what was expected */
	MAMORI_ERANGE = 7,	/* number out of range */
	MAMORI_EEVAL = 8,	/* expression evaluation failed */
	MAMORI_EINVALID = 9,	/* a response or record failed validation */
	MAMORI_ECONFLICT = 10,	/* stale revision, duplicate id */
	MAMORI_ECLOSED = 11,	/* campaign not open */
	MAMORI_EDENIED = 12,	/* not allowed */
	MAMORI_EDB = 13,	/* the database reported an error */
	MAMORI_EVERSION = 14,	/* written by a newer mamori */
	MAMORI_ETOOBIG = 15,	/* input exceeds a declared limit */
	MAMORI_E__MAX
};

/* A short English phrase for code; never NULL, static storage. */
const char *mamori_strerror(enum mamori_err code);

#endif
