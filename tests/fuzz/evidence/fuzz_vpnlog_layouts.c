/*
 * fuzz_vpnlog_layouts.c - the lines of a buffer through the parsers
 * twice: with the memory of the lines before (vpnlog_parse_next(), whose
 * FortiGate layouts take pairs written as before by comparison) and
 * without it (vpnlog_parse_line()). Both must give the same answer and
 * the same event, field by field. The first byte picks FortiGate or auto
 * detection; each line is an exact-size copy, so that ASan sees any read
 * past it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "evidence/vpnlog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same_slice(struct slice a, struct slice b)
{
	if (a.len != b.len || (a.len && a.p != b.p))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vpnlog_opts o = { .tz_min = 540, .year = 2024 };
	static struct vpnlog_state st;
	enum vpn_format hint = VPN_FMT_FORTIGATE;

	if (size < 1)
		return 0;
	enum vpn_format f = data[0] & 1 ? VPN_FMT_AUTO : VPN_FMT_FORTIGATE;
	const char *p = (const char *)data + 1, *end = (const char *)data + size;
	vpnlog_state_init(&st);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);
		char *line = malloc(n ? n : 1);
		struct vpn_event a, b;

		if (!line)
			return 0;
		memcpy(line, p, n);
		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		enum vpn_parse ra = vpnlog_parse_next(&o, f, slice_make(line, n),
						      &a, &st);
		enum vpn_parse rb = vpnlog_parse_line(&o, f, slice_make(line, n),
						      &b, &hint);
		if (ra != rb)
			abort();
		if (ra != VPN_NOT_MINE && a.format != b.format)
			abort();
		if (ra == VPN_EVENT) {
			same_slice(a.device, b.device);
			same_slice(a.user, b.user);
			same_slice(a.session, b.session);
			same_slice(a.reason, b.reason);
			if (a.time != b.time || a.outcome != b.outcome ||
			    a.has_src != b.has_src ||
			    (a.has_src && memcmp(&a.src, &b.src, sizeof(a.src))))
				abort();
		}
		free(line);
		p += n + 1;
	}
	return 0;
}
