/*
 * evidence.h - machine-produced evidence attached to an organisation's
 * response: the --json of "mamori vpnlog audit" (kind "vpnlog_audit") or
 * of "mamori firmware check" (kind "firmware_check"), kept byte for byte
 * with its SHA-256, who attached it, when and from where. Append-only:
 * nothing attached is ever changed or removed; attaching again adds a new
 * item. Never interprets the evidence beyond recognising its shape (the
 * answers it supports are evidence/propose.h's work).
 */
#ifndef MAMORI_STORE_EVIDENCE_H
#define MAMORI_STORE_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* The largest evidence document accepted (bytes). */
#define STORE_EVIDENCE_MAX (16u << 20)

/* "vpnlog_audit", "firmware_check". */
#define STORE_EVIDENCE_AUDIT "vpnlog_audit"
#define STORE_EVIDENCE_FIRMWARE "firmware_check"

/*
 * The kind json's shape says it is: an object with a number "events" and
 * a "findings" array (each finding with a "kind") is an audit; an object
 * with a "devices" array, each device with a "status", and no "findings"
 * is a firmware check (an audit lists devices too, and so may a
 * response's answers: hence the look at the items; an empty "devices"
 * needs a "schema"). A "schema" member, when present, must agree
 * ("mamori.vpnlog.audit/..." / "mamori.firmware.check/..."). NULL when
 * it is neither or does not parse. Static storage.
 */
const char *store_evidence_detect(const char *json, size_t len);

/*
 * Attach json (len bytes, kept exactly as given) of the given kind to
 * the response of org in campaign. The JSON must parse and have the
 * kind's shape (MAMORI_EPARSE / MAMORI_EINVAL otherwise, nothing stored);
 * kind must be one of the two above (MAMORI_EINVAL). The campaign must
 * exist and org be in its population (MAMORI_ENOENT, the message says
 * which). The campaign's state does not matter: evidence may come after
 * the close, and attaching never touches the answers themselves. Stores
 * the SHA-256 (lower-case hex) of the bytes, who, from where and the
 * store's time; writes the audit event "evidence.attach". *id gets the
 * new item's id; sha256, when not NULL (at least 65 bytes), its hash.
 */
enum mamori_err store_evidence_attach(struct store *st,
				      const struct store_actor *who,
				      int64_t campaign, const char *org,
				      const char *kind, const char *json,
				      size_t len, int64_t *id, char *sha256,
				      struct strbuf *err);

/* One attached item; every pointer is valid only during the callback. */
struct store_evidence {
	int64_t id;
	const char *kind;	/* "vpnlog_audit" / "firmware_check" */
	const char *name;	/* what was attached; today the kind */
	const char *sha256;	/* hex, of json's bytes */
	const char *summary;	/* JSON object: a few counts of json */
	const char *who, *from;
	int64_t at;
	const char *json;	/* the document as attached (len bytes) */
	size_t len;
};

/*
 * Calls fn for every item attached to org's response in campaign, oldest
 * first (by id); fn returns non-zero to stop. MAMORI_ENOENT when the
 * campaign does not exist or org is not in its population. Reads inside
 * the transaction open on st (store_session_read_begin(): the snapshot
 * of the page that lists them), else in a read transaction of its own.
 */
enum mamori_err store_evidence_list(struct store *st, int64_t campaign,
				    const char *org,
				    int (*fn)(void *ud,
					      const struct store_evidence *e),
				    void *ud, struct strbuf *err);

#endif
