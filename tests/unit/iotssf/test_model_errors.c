/*
 * test_model_errors.c - broken models give exact "file:line:col: message"
 * lines: unknown device, level out of range, unknown requirement, unknown
 * key, YAML syntax, and the other checks of model.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "helpers.h"

/* Line numbers below count from 1 at "id: e". */
static const char head[] =
	"id: e\n"					/* 1 */
	"title: E\n"					/* 2 */
	"stakeholders:\n"				/* 3 */
	"  - {id: op, name: Op, role: applying-party, target: c2}\n" /* 4 */
	"  - {id: mk, name: Mk, role: manufacturer, target: c3}\n" /* 5 */
	"devices:\n"					/* 6 */
	"  - {id: plc, name: PLC, class: controller}\n"	/* 7 */
	"  - {id: sw, name: SW, class: network-device}\n"; /* 8 */

struct bad {
	const char *tail;	/* appended to head */
	const char *msg;	/* the whole error text */
	enum mamori_err code;
};

static const struct bad cases[] = {
	/* unknown device in an incident */
	{ "incidents:\n"
	  "  - id: stop\n"
	  "    what: Stop\n"
	  "    devices: [plc, swx]\n"
	  "    threats: [malware]\n"
	  "    ratings: [{stakeholder: op, axis1: 2, axis2: 2}]\n",
	  "t.yaml:12:20: incident 'stop': unknown device 'swx' (did you mean 'sw'?)\n",
	  MAMORI_ESCHEMA },
	/* level out of range */
	{ "incidents:\n"
	  "  - id: stop\n"
	  "    what: Stop\n"
	  "    devices: [plc]\n"
	  "    threats: [malware]\n"
	  "    ratings: [{stakeholder: op, axis1: 4, axis2: 0}]\n",
	  "t.yaml:14:40: incident 'stop': axis1 must be from 1 to 3, not 4\n"
	  "t.yaml:14:50: incident 'stop': axis2 must be from 1 to 3, not 0\n",
	  MAMORI_ESCHEMA },
	/* a level that is not a number */
	{ "incidents:\n"
	  "  - id: stop\n"
	  "    what: Stop\n"
	  "    devices: [plc]\n"
	  "    threats: [malware]\n"
	  "    ratings: [{stakeholder: op, axis1: high, axis2: '2'}]\n",
	  "t.yaml:14:40: incident 'stop': axis1 must be a whole number from 1 to 3, not 'high'\n"
	  "t.yaml:14:53: incident 'stop': axis2 must be a whole number from 1 to 3, not '2'\n",
	  MAMORI_ESCHEMA },
	/* unknown requirement id */
	{ "incidents:\n"
	  "  - id: stop\n"
	  "    what: Stop\n"
	  "    devices: [plc]\n"
	  "    threats: [malware]\n"
	  "    ratings: [{stakeholder: op, axis1: 2, axis2: 2}]\n"
	  "decisions:\n"
	  "  - incident: stop\n"
	  "    treatment: reduce\n"
	  "    measures:\n"
	  "      - {requirement: p1-sys-99, measure: M, status: planned}\n",
	  "t.yaml:19:23: decision on 'stop': measure 1: unknown requirement 'p1-sys-99' (did you mean 'p1-sys-09'?)\n",
	  MAMORI_ESCHEMA },
	{ "incidents:\n"
	  "  - id: stop\n"
	  "    what: Stop\n"
	  "    devices: [plc]\n"
	  "    threats: [malware]\n"
	  "    ratings: [{stakeholder: op, axis1: 2, axis2: 2}]\n"
	  "decisions:\n"
	  "  - incident: stop\n"
	  "    treatment: reduce\n"
	  "    measures:\n"
	  "      - {requirement: firewall, measure: M, status: done}\n",
	  "t.yaml:19:23: decision on 'stop': measure 1: unknown requirement 'firewall'\n"
	  "t.yaml:19:53: decision on 'stop': measure 1: status 'done' is not one of: missing, planned, implemented\n",
	  MAMORI_ESCHEMA },
	/* unknown key */
	{ "incidents:\n"
	  "  - id: stop\n"
	  "    what: Stop\n"
	  "    devicez: [plc]\n"
	  "    threats: [malware]\n"
	  "    ratings: [{stakeholder: op, axis1: 2, axis2: 2}]\n",
	  "t.yaml:12:5: incident 'stop': unknown key 'devicez' (did you mean 'devices'?)\n"
	  "t.yaml:10:5: incident 'stop': missing key 'devices'\n",
	  MAMORI_ESCHEMA },
	{ "incidents: []\nowner: x\n",
	  "t.yaml:10:1: the model: unknown key 'owner'\n"
	  "t.yaml:9:12: incidents: list at least one incident\n",
	  MAMORI_ESCHEMA },
	/* YAML syntax error */
	{ "incidents:\n"
	  "  - id: stop\n"
	  "    what: [Stop\n",
	  "t.yaml:12:1: YAML syntax: did not find expected ',' or ']' while parsing a flow sequence\n",
	  MAMORI_EPARSE },
	/* unknown stakeholder, rated twice, unknown threat */
	{ "incidents:\n"
	  "  - id: stop\n"
	  "    what: Stop\n"
	  "    devices: [plc]\n"
	  "    threats: [malwar]\n"
	  "    ratings:\n"
	  "      - {stakeholder: ops, axis1: 1, axis2: 1}\n"
	  "      - {stakeholder: mk, axis1: 1, axis2: 1}\n"
	  "      - {stakeholder: mk, axis1: 2, axis2: 1}\n",
	  "t.yaml:13:15: incident 'stop': unknown threat 'malwar' (did you mean 'malware'?)\n"
	  "t.yaml:15:23: incident 'stop': unknown stakeholder 'ops' (did you mean 'op'?)\n"
	  "t.yaml:17:23: incident 'stop': stakeholder 'mk' is rated twice\n",
	  MAMORI_ESCHEMA },
	/* decisions: residual above the rating, accept without rationale,
	 * a second decision for the same stakeholder, not rated */
	{ "incidents:\n"
	  "  - id: stop\n"
	  "    what: Stop\n"
	  "    devices: [plc]\n"
	  "    threats: [malware]\n"
	  "    ratings: [{stakeholder: op, axis1: 2, axis2: 1}]\n"
	  "decisions:\n"
	  "  - incident: stop\n"
	  "    treatment: reduce\n"
	  "    measures: [{requirement: p1-sys-12, measure: M, status: planned}]\n"
	  "    residual: {axis1: 1, axis2: 2}\n"
	  "  - {incident: stop, stakeholder: op, treatment: accept}\n"
	  "  - {incident: stop, stakeholder: mk, treatment: accept, rationale: R}\n",
	  "t.yaml:19:15: decision on 'stop': residual rating (1, 2) is above the rating (2, 1) for stakeholder 'op'\n"
	  "t.yaml:20:5: decision on 'stop': accepting a risk needs a 'rationale'\n"
	  "t.yaml:20:5: decision on 'stop': stakeholder 'op' already has a decision on this incident\n"
	  "t.yaml:21:35: decision on 'stop': the incident is not rated for stakeholder 'mk'\n",
	  MAMORI_ESCHEMA },
	/* a device with an unknown class, a duplicate id, a bad connection */
	{ "  - {id: plc, name: PLC2, class: plcs, connects: [plc, nowhere]}\n"
	  "incidents:\n"
	  "  - id: stop\n"
	  "    what: Stop\n"
	  "    devices: [plc]\n"
	  "    threats: [malware]\n"
	  "    ratings: [{stakeholder: op, axis1: 2, axis2: 1}]\n",
	  "t.yaml:9:10: duplicate device id 'plc'\n"
	  "t.yaml:9:34: device 'plc': unknown device class 'plcs'\n"
	  "t.yaml:9:56: device 'plc': unknown device 'nowhere'\n",
	  MAMORI_ESCHEMA },
	/* self-connection, unknown target category, treatments' rules */
	{ "  - {id: gw, name: GW, class: gateway, connects: [gw]}\n"
	  "incidents:\n"
	  "  - id: stop\n"
	  "    what: Stop\n"
	  "    devices: [plc]\n"
	  "    threats: [malware]\n"
	  "    ratings: [{stakeholder: op, axis1: 2, axis2: 1}, {stakeholder: mk, axis1: 1, axis2: 1}]\n"
	  "decisions:\n"
	  "  - {incident: stop, stakeholder: op, treatment: reduce}\n"
	  "  - {incident: stop, stakeholder: mk, treatment: accept, rationale: R,\n"
	  "     measures: [{requirement: p1-sys-01, measure: M, status: planned}]}\n",
	  "t.yaml:9:50: device 'gw': a device cannot connect to itself\n"
	  "t.yaml:17:5: decision on 'stop': 'reduce' needs at least one measure\n"
	  "t.yaml:19:16: decision on 'stop': an accepted risk takes no measures\n",
	  MAMORI_ESCHEMA },
	{ "incidents:\n"
	  "  - id: stop\n"
	  "    what: Stop\n"
	  "    devices: [plc]\n"
	  "    threats: [malware]\n"
	  "    ratings: [{stakeholder: op, axis1: 2, axis2: 1}]\n"
	  "decisions:\n"
	  "  - incident: stop\n"
	  "    treatment: avoid\n"
	  "    measures: [{requirement: p1-sys-12, measure: M, status: planned}]\n"
	  "    residual: {axis1: 1, axis2: 1}\n"
	  "  - {incident: stop, treatment: ignore}\n",
	  "t.yaml:19:15: decision on 'stop': a residual rating applies to 'reduce' and 'transfer' only\n"
	  "t.yaml:20:33: decision on 'stop': treatment 'ignore' is not one of: reduce, accept, transfer, avoid\n",
	  MAMORI_ESCHEMA },
};

static void exact_messages(void **state)
{
	struct iot_catalog cat;
	int bad = 0;
	(void)state;
	load_catalog(&cat);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct iot_model m;
		struct strbuf y = STRBUF_INIT, err = STRBUF_INIT;
		strbuf_addstr(&y, head);
		strbuf_addstr(&y, cases[i].tail);
		enum mamori_err e = parse_model(&m, &cat, y.buf, &err);
		if (e != cases[i].code || strcmp(err.buf, cases[i].msg)) {
			print_error("case %zu: code %d\ngot:\n%swanted:\n%s", i, e,
				    err.buf, cases[i].msg);
			bad++;
		}
		iot_model_release(&m);
		strbuf_release(&y);
		strbuf_release(&err);
	}
	iot_catalog_release(&cat);
	assert_int_equal(bad, 0);
}

/* The committed broken-model files of tests/data/iotssf give the same
 * lines "mamori iot check" prints. */
static void fixture_files(void **state)
{
	static const struct { const char *file, *msg; } files[] = {
		{ "bad-unknown-device.yaml",
		  "bad-unknown-device.yaml:17:9: incident 'overheat': unknown device 'heater' (did you mean 'heaters'?)\n" },
		{ "bad-level.yaml",
		  "bad-level.yaml:20:47: incident 'overheat': axis2 must be from 1 to 3, not 5\n" },
	};
	struct iot_catalog cat;
	(void)state;
	load_catalog(&cat);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[512], buf[8192];
		snprintf(path, sizeof(path), "%s/tests/data/iotssf/%s", SOURCE_ROOT,
			 files[i].file);
		FILE *f = fopen(path, "rb");
		assert_non_null(f);
		size_t n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		struct iot_model m;
		struct strbuf err = STRBUF_INIT;
		iot_model_init(&m, &cat);
		assert_int_equal(iot_model_parse(&m, files[i].file, buf, n, &err),
				 MAMORI_ESCHEMA);
		assert_string_equal(err.buf, files[i].msg);
		iot_model_release(&m);
		strbuf_release(&err);
	}
	iot_catalog_release(&cat);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exact_messages),
		cmocka_unit_test(fixture_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
