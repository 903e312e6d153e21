/*
 * words.h - instrument items and conditions in words, for people:
 * "Q5", "問5", "only if Q5 is 'Yes'". Shared by the command line's
 * show, fill and response output.
 */
#ifndef MAMORI_CLI_WORDS_H
#define MAMORI_CLI_WORDS_H

#include <stddef.h>

#include "instrument/expr.h"
#include "instrument/instrument.h"
#include "util/strbuf.h"

/* "問5" / "Q5" from the item's number, else its id. */
void words_item_name(const struct instrument *ins, const struct item *it,
		     enum lang lang, char *buf, size_t len);
/* The condition e (compiled against ins) in words. */
void words_condition(const struct instrument *ins, const struct expr *e,
		     enum lang lang, struct strbuf *out);

#endif
