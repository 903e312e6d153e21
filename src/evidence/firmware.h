/*
 * firmware.h - device lists for "mamori firmware check" (CSV
 * maker,model,version,count or a survey response whose q11_vpn_devices
 * repeat holds maker, model, units, firmware) and the check's result as
 * JSON and text.
 *
 * Ownership: a device list's strings live in its arena, freed by
 * fw_devices_release().
 */
#ifndef MAMORI_EVIDENCE_FIRMWARE_H
#define MAMORI_EVIDENCE_FIRMWARE_H

#include <stdio.h>

#include <jansson.h>

#include "evidence/kev.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/strbuf.h"

struct fw_device {
	const char *vendor, *product, *version;	/* version may be NULL */
	long count;
	unsigned line;			/* CSV line or row number (1-based) */
};

struct fw_devices {
	struct arena arena;
	struct fw_device *d;		/* owned (malloc) */
	size_t n, cap;
};

void fw_devices_init(struct fw_devices *l);
void fw_devices_release(struct fw_devices *l);
enum mamori_err fw_devices_add(struct fw_devices *l, const char *vendor,
			       const char *product, const char *version,
			       long count, unsigned line);
/*
 * Reads a device list: JSON (a response with q11_vpn_devices) when the
 * text starts with '{', CSV otherwise. Errors name the file and line.
 */
enum mamori_err fw_devices_parse(struct fw_devices *l, const char *name,
				 const char *buf, size_t len,
				 struct strbuf *err);

/* Checks every device; the result's JSON (new reference, caller decrefs). */
json_t *fw_check_all(const struct kev_catalog *c, const struct fw_devices *l,
		     size_t counts[FW__MAX]);
/* The same result for a person. */
void fw_write_text(json_t *result, FILE *f);

#endif
