/*
 * err.c - messages for enum mamori_err. Must never allocate.
 */
#include "err.h"

#include "banned.h"

static const char *const messages[MAMORI_E__MAX] = {
	[MAMORI_OK] = "success",
	[MAMORI_ENOMEM] = "out of memory",
	[MAMORI_EINVAL] = "invalid argument",
	[MAMORI_EIO] = "input/output error",
	[MAMORI_ENOENT] = "not found",
	[MAMORI_EPARSE] = "malformed input",
	[MAMORI_ESCHEMA] = "input does not match the expected structure",
	[MAMORI_ERANGE] = "number out of range",
	[MAMORI_EEVAL] = "expression evaluation failed",
	[MAMORI_EINVALID] = "validation failed",
	[MAMORI_ECONFLICT] = "conflict",
	[MAMORI_ECLOSED] = "campaign is not open",
	[MAMORI_EDENIED] = "permission denied",
	[MAMORI_EDB] = "database error",
	[MAMORI_EVERSION] = "written by a newer version of mamori",
	[MAMORI_ETOOBIG] = "input too large",
};

const char *mamori_strerror(enum mamori_err code)
{
	if ((unsigned)code >= MAMORI_E__MAX || !messages[code])
		return "unknown error";
	return messages[code];
}
