/*
 * fuzz_firmware.c - the catalogue loader (first byte even) or a device
 * list, CSV or response JSON (odd), then a check of what was read.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence/firmware.h"
#include "evidence/kev.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf err = STRBUF_INIT;

	if (size < 1)
		return 0;
	if (data[0] % 2 == 0) {
		struct kev_catalog c;
		kev_init(&c);
		if (!kev_parse(&c, "fuzz.yaml", (const char *)data + 1, size - 1,
			       &err)) {
			struct fw_result r;
			for (size_t i = 0; i < c.nproducts; i++)
				kev_check(&c, c.products[i].vendor,
					  c.products[i].name, "7.0.1-5035", &r);
			FILE *f = fopen("/dev/null", "w");
			if (f) {
				kev_write_yaml(&c, f);
				fclose(f);
			}
		}
		kev_release(&c);
	} else {
		struct fw_devices l;
		struct kev_catalog c;
		static const char cat[] =
			"schema: mamori.vpn-kev/1\n"
			"products:\n"
			"  - {id: fortios, name: FortiOS, vendor: Fortinet, scheme: fortios, match: [fortinet]}\n"
			"vulnerabilities:\n"
			"  - {cve: CVE-2018-13379, product: fortios, affected: [{from: 6.0.0, to: 6.0.4, fixed: 6.0.5}]}\n";
		size_t counts[FW__MAX];
		kev_init(&c);
		if (kev_parse(&c, "cat", cat, sizeof(cat) - 1, &err))
			abort();
		fw_devices_init(&l);
		if (!fw_devices_parse(&l, "fuzz", (const char *)data + 1,
				      size - 1, &err)) {
			json_t *j = fw_check_all(&c, &l, counts);
			json_decref(j);
		}
		fw_devices_release(&l);
		kev_release(&c);
	}
	strbuf_release(&err);
	return 0;
}
