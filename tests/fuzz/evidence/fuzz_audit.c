/*
 * fuzz_audit.c - a buffer of log lines through auto detection, every
 * detector (with an allow-list, hours and a baseline) and the JSON, text
 * and HTML writers.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence/audit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct audit_opts o;
	struct audit a;
	struct allow_entry e[2];
	struct strbuf err = STRBUF_INIT;
	struct netaddr ad;

	audit_opts_init(&o);
	o.log.year = 2024;
	o.max_line = 4096;
	o.bf_count = 3;
	o.spray_users = 2;
	o.saf_count = 2;
	o.max_gap = 3600;
	allow_parse_line(SLICE_LIT("198.51.100.0/28 09:00-18:00 Mon-Fri"), &e[0], &err);
	allow_parse_line(SLICE_LIT("2001:db8::/32 22:00-06:00 Sat,Sun"), &e[1], &err);
	o.allow = e;
	o.nallow = 2;
	o.has_allow = true;
	audit_init(&a, &o);
	netaddr_parse(SLICE_LIT("198.51.100.7"), &ad);
	audit_baseline_add(&a, SLICE_LIT("vendor-maint"), &ad);
	audit_feed_buffer(&a, "fuzz", (const char *)data, size);
	audit_finish(&a);
	FILE *f = fopen("/dev/null", "w");
	if (f) {
		audit_write_json(&a, f);
		audit_write_text(&a, f);
		audit_write_html(&a, f);
		fclose(f);
	}
	audit_release(&a);
	strbuf_release(&err);
	return 0;
}
