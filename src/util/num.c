/*
 * num.c - strict number parsing. Must never read past the slice or
 * accept partial input.
 */
#include "num.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

enum mamori_err num_parse_u64(struct slice s, uint64_t *out)
{
	uint64_t v = 0;

	if (s.len == 0)
		return MAMORI_EPARSE;
	for (size_t i = 0; i < s.len; i++) {
		unsigned d = (unsigned char)s.p[i] - '0';
		if (d > 9)
			return MAMORI_EPARSE;
		if (v > (UINT64_MAX - d) / 10)
			return MAMORI_ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	return MAMORI_OK;
}

enum mamori_err num_parse_i64(struct slice s, int64_t *out)
{
	int neg = 0;
	uint64_t u;
	enum mamori_err e;

	if (s.len && (s.p[0] == '-' || s.p[0] == '+')) {
		neg = s.p[0] == '-';
		s.p++;
		s.len--;
	}
	e = num_parse_u64(s, &u);
	if (e)
		return e;
	if (neg) {
		if (u > (uint64_t)INT64_MAX + 1)
			return MAMORI_ERANGE;
		*out = u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u;
	} else {
		if (u > INT64_MAX)
			return MAMORI_ERANGE;
		*out = (int64_t)u;
	}
	return MAMORI_OK;
}

enum mamori_err num_parse_range(struct slice s, int64_t min, int64_t max,
				int64_t *out)
{
	int64_t v;
	enum mamori_err e = num_parse_i64(s, &v);
	if (e)
		return e;
	if (v < min || v > max)
		return MAMORI_ERANGE;
	*out = v;
	return MAMORI_OK;
}

/* Length of a well-formed decimal at the start of s, 0 if none. */
static size_t scan_decimal(struct slice s)
{
	size_t i = 0, digits = 0;

	if (i < s.len && (s.p[i] == '-' || s.p[i] == '+'))
		i++;
	while (i < s.len && s.p[i] >= '0' && s.p[i] <= '9') {
		i++;
		digits++;
	}
	if (i < s.len && s.p[i] == '.') {
		i++;
		while (i < s.len && s.p[i] >= '0' && s.p[i] <= '9') {
			i++;
			digits++;
		}
	}
	if (!digits)
		return 0;
	if (i < s.len && (s.p[i] == 'e' || s.p[i] == 'E')) {
		size_t j = i + 1, ed = 0;
		if (j < s.len && (s.p[j] == '-' || s.p[j] == '+'))
			j++;
		while (j < s.len && s.p[j] >= '0' && s.p[j] <= '9') {
			j++;
			ed++;
		}
		if (!ed)
			return 0;
		i = j;
	}
	return i;
}

int num_is_number(struct slice s)
{
	return s.len && scan_decimal(s) == s.len;
}

enum mamori_err num_parse_double(struct slice s, double *out)
{
	char tmp[64];
	char *end;
	double v;

	if (!num_is_number(s))
		return MAMORI_EPARSE;
	/* Fast path: a plain integer of up to 15 digits is exact. */
	if (s.len <= 16) {
		size_t i = 0;
		int neg = 0;
		int64_t iv = 0;
		if (s.p[0] == '-' || s.p[0] == '+') {
			neg = s.p[0] == '-';
			i = 1;
		}
		if (s.len - i <= 15) {
			for (; i < s.len; i++) {
				if (s.p[i] < '0' || s.p[i] > '9')
					break;
				iv = iv * 10 + (s.p[i] - '0');
			}
			if (i == s.len) {
				*out = neg ? -(double)iv : (double)iv;
				return MAMORI_OK;
			}
		}
	}
	if (s.len >= sizeof(tmp)) {
		char *heap = malloc(s.len + 1);
		if (!heap)
			return MAMORI_ENOMEM;
		memcpy(heap, s.p, s.len);
		heap[s.len] = '\0';
		errno = 0;
		v = strtod(heap, &end);
		free(heap);
	} else {
		memcpy(tmp, s.p, s.len);
		tmp[s.len] = '\0';
		errno = 0;
		v = strtod(tmp, &end);
	}
	if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL))
		return MAMORI_ERANGE;
	if (!isfinite(v))
		return MAMORI_ERANGE;
	*out = v;
	return MAMORI_OK;
}
