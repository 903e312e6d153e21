/*
 * etime.h - the few calendar functions log parsing needs: civil time to a
 * UTC epoch and back, fixed-digit field readers and zone offsets. No
 * locale, no TZ database, no libc time functions (they are slow and
 * depend on the environment). Must never read past a slice.
 */
#ifndef MAMORI_EVIDENCE_ETIME_H
#define MAMORI_EVIDENCE_ETIME_H

#include <stdbool.h>
#include <stdint.h>

#include "util/slice.h"

#define ETIME_ISOLEN 32

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t etime_days_from_civil(int64_t y, unsigned m, unsigned d);
void etime_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);
/* Seconds since the epoch; false when a field is out of range. */
bool etime_make(int64_t y, unsigned mo, unsigned d, unsigned h, unsigned mi,
		unsigned s, int64_t *out);
/* 0 = Sunday. */
unsigned etime_weekday(int64_t days);
/* Reads exactly n digits at p (n <= 9); false if any is not a digit. */
bool etime_digits(const char *p, unsigned n, unsigned *out);
/* "Jan".."Dec" (case-insensitive) -> 1..12, else 0. */
unsigned etime_month(const char *p);
/*
 * A zone: "+0900", "+09:00", "-05", "Z", "UTC", "GMT" -> offset in
 * minutes east of UTC. false when s is not one.
 */
bool etime_parse_zone(struct slice s, int *minutes);
/* "YYYY-MM-DDThh:mm:ss+09:00" (or Z when offset is 0 and z is true). */
void etime_format_iso(int64_t t, int offset_min, char buf[ETIME_ISOLEN]);
/*
 * Parses an ISO 8601 date-time "YYYY-MM-DD[T ]hh:mm:ss[.frac][zone]";
 * without a zone, default_off applies. Returns the bytes consumed, 0 if
 * s does not start with one.
 */
size_t etime_parse_iso(struct slice s, int default_off, int64_t *out);

#endif
