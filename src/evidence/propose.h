/*
 * propose.h - proposed answers to the MHLW hospital survey's questions
 * 12-14 (q12_vpn_updated, q13_vpn_restricted, q14_vpn_log_review) from an
 * audit's --json and/or a firmware check's --json. A pure function: it
 * reads two JSON documents and returns one; it stores nothing.
 */
#ifndef MAMORI_EVIDENCE_PROPOSE_H
#define MAMORI_EVIDENCE_PROPOSE_H

#include <jansson.h>

/*
 * audit and firmware may each be NULL (not both). Returns a new object
 * {"response": {item: value}, "answers": [{item, value, ja, en}]} where
 * value is "yes", "no" or "unknown"; the caller decrefs it.
 */
json_t *evidence_propose(json_t *audit, json_t *firmware);

#endif
