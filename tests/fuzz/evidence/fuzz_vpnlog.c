/*
 * fuzz_vpnlog.c - one line through one parser: the first byte picks the
 * format (VPN_FMT__MAX: auto detection), the rest is the line. A parser
 * must never read outside it, and an event must hold slices inside it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "evidence/vpnlog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void inside(struct slice s, const char *p, size_t n)
{
	if (s.len && (s.p < p || s.p + s.len > p + n))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vpnlog_opts o = { .tz_min = 540, .year = 2024 };
	struct vpn_event ev;
	enum vpn_format hint = VPN_FMT_FORTIGATE;

	if (size < 1)
		return 0;
	enum vpn_format f = data[0] % (VPN_FMT__MAX + 1);
	/* an exact-size copy, so that ASan sees any over-read */
	char *line = malloc(size - 1 ? size - 1 : 1);
	if (!line)
		return 0;
	memcpy(line, data + 1, size - 1);
	enum vpn_parse r = vpnlog_parse_line(&o, f, slice_make(line, size - 1),
					     &ev, &hint);
	if (r == VPN_EVENT) {
		inside(ev.user, line, size - 1);
		inside(ev.device, line, size - 1);
		inside(ev.session, line, size - 1);
		inside(ev.reason, line, size - 1);
		if ((unsigned)ev.outcome >= VPN_OUTCOME__MAX ||
		    (unsigned)ev.format >= VPN_FMT__MAX)
			abort();
	}
	free(line);
	return 0;
}
