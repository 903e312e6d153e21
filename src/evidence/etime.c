/*
 * etime.c - calendar arithmetic (Howard Hinnant's days_from_civil).
 * Must never call the C library's time zone functions.
 */
#include "evidence/etime.h"

#include <stdio.h>
#include <string.h>

#include "util/banned.h"

int64_t etime_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void etime_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static const unsigned char mdays[13] = { 0, 31, 29, 31, 30, 31, 30, 31, 31,
					 30, 31, 30, 31 };

bool etime_make(int64_t y, unsigned mo, unsigned d, unsigned h, unsigned mi,
		unsigned s, int64_t *out)
{
	if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
	    d > mdays[mo] || h > 23 || mi > 59 || s > 60)
		return false;
	if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100) || y % 400 == 0))
		return false;
	*out = etime_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
	return true;
}

unsigned etime_weekday(int64_t days)
{
	return (unsigned)(((days % 7) + 11) % 7);
}

bool etime_digits(const char *p, unsigned n, unsigned *out)
{
	unsigned v = 0;
	for (unsigned i = 0; i < n; i++) {
		unsigned c = (unsigned char)p[i] - '0';
		if (c > 9)
			return false;
		v = v * 10 + c;
	}
	*out = v;
	return true;
}

unsigned etime_month(const char *p)
{
	static const char names[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	char m[3];
	for (int i = 0; i < 3; i++)
		m[i] = (char)(p[i] | 0x20);
	for (unsigned i = 0; i < 12; i++)
		if (!memcmp(names + 3 * i, m, 3))
			return i + 1;
	return 0;
}

bool etime_parse_zone(struct slice s, int *minutes)
{
	unsigned h, m = 0;
	int sign;

	if (s.len == 1 && (s.p[0] == 'Z' || s.p[0] == 'z')) {
		*minutes = 0;
		return true;
	}
	if (slice_eq_cstr(s, "UTC") || slice_eq_cstr(s, "GMT")) {
		*minutes = 0;
		return true;
	}
	if (slice_eq_cstr(s, "JST")) {
		*minutes = 540;
		return true;
	}
	if (s.len < 3 || (s.p[0] != '+' && s.p[0] != '-'))
		return false;
	sign = s.p[0] == '-' ? -1 : 1;
	if (!etime_digits(s.p + 1, 2, &h))
		return false;
	if (s.len == 5) {
		if (!etime_digits(s.p + 3, 2, &m))
			return false;
	} else if (s.len == 6 && s.p[3] == ':') {
		if (!etime_digits(s.p + 4, 2, &m))
			return false;
	} else if (s.len != 3) {
		return false;
	}
	if (h > 14 || m > 59)
		return false;
	*minutes = sign * (int)(h * 60 + m);
	return true;
}

void etime_format_iso(int64_t t, int offset_min, char buf[ETIME_ISOLEN])
{
	/* keep the zone sane so that the text always fits */
	if (offset_min < -24 * 60 || offset_min > 24 * 60)
		offset_min = 0;
	int64_t lt = t + (int64_t)offset_min * 60, y;
	int64_t days = lt >= 0 ? lt / 86400 : (lt - 86399) / 86400;
	int64_t sec = lt - days * 86400;
	unsigned mo, d;
	int off = offset_min < 0 ? -offset_min : offset_min;

	etime_civil_from_days(days, &y, &mo, &d);
	if (offset_min == 0)
		snprintf(buf, ETIME_ISOLEN, "%04lld-%02u-%02uT%02d:%02d:%02dZ",
			 (long long)y, mo, d, (int)(sec / 3600),
			 (int)(sec / 60 % 60), (int)(sec % 60));
	else
		snprintf(buf, ETIME_ISOLEN,
			 "%04lld-%02u-%02uT%02d:%02d:%02d%c%02d:%02d",
			 (long long)y, mo, d, (int)(sec / 3600),
			 (int)(sec / 60 % 60), (int)(sec % 60),
			 offset_min < 0 ? '-' : '+', off / 60, off % 60);
}

size_t etime_parse_iso(struct slice s, int default_off, int64_t *out)
{
	unsigned y, mo, d, h, mi, se;
	size_t i;
	int64_t t;
	int off = default_off;

	if (s.len < 19 || !etime_digits(s.p, 4, &y) || s.p[4] != '-' ||
	    !etime_digits(s.p + 5, 2, &mo) || s.p[7] != '-' ||
	    !etime_digits(s.p + 8, 2, &d) ||
	    (s.p[10] != 'T' && s.p[10] != ' ') ||
	    !etime_digits(s.p + 11, 2, &h) || s.p[13] != ':' ||
	    !etime_digits(s.p + 14, 2, &mi) || s.p[16] != ':' ||
	    !etime_digits(s.p + 17, 2, &se))
		return 0;
	i = 19;
	if (i < s.len && s.p[i] == '.') {
		i++;
		while (i < s.len && s.p[i] >= '0' && s.p[i] <= '9')
			i++;
	}
	if (i < s.len && (s.p[i] == 'Z' || s.p[i] == 'z')) {
		off = 0;
		i++;
	} else if (i + 6 <= s.len && (s.p[i] == '+' || s.p[i] == '-') &&
		   etime_parse_zone(slice_make(s.p + i, 6), &off)) {
		i += 6;
	} else if (i + 5 <= s.len && (s.p[i] == '+' || s.p[i] == '-') &&
		   etime_parse_zone(slice_make(s.p + i, 5), &off)) {
		i += 5;
	}
	if (!etime_make(y, mo, d, h, mi, se, &t))
		return 0;
	*out = t - (int64_t)off * 60;
	return i;
}
