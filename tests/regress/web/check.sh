#!/bin/sh
# check.sh - the respondent's form on a live server (127.0.0.1): the live
# check the form's script asks for (the engine's relevance, messages and
# progress for posted answers, nothing saved; respondents of their own
# campaign only, with the CSRF token), the form rendering every item with
# the ones that do not apply hidden, the script itself, and evidence
# beside Q12-Q14 (accept, override with a reason, the regulator's marks).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/serve.sh"
DB=$TMP/m.db
INS=$SRC/instruments/mhlw/hospital-backup-vpn-2022.yaml
D=$SRC/tests/data/evidence
m() { "$MAMORI" "$@" --db "$DB"; }
py() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); $1" "$2"; }

m init >/dev/null 2>&1
printf 'id,name,kind,prefecture,beds\nH001,Alpha,hospital,13,120\nH002,Beta,hospital,27,30\n' > "$TMP/orgs.csv"
m org import "$TMP/orgs.csv" >/dev/null
m campaign create --instrument "$INS" --title "Backup 2022" \
	--opens 2020-01-01 --closes 2099-12-31 --target "kind = 'hospital'" >/dev/null
m campaign create --instrument "$INS" --title "Other" \
	--opens 2020-01-01 --closes 2099-12-31 --target "id = 'H001'" >/dev/null
m campaign invite 1 --out "$TMP/inv1.csv" >/dev/null 2>&1
code() { tr -d '\r' < "$TMP/inv$1.csv" | awk -F, -v o="$2" '$1 == o { print $4 }'; }
C1=$(code 1 H001); C2=$(code 1 H002)
printf 'regulator pass 1\n' | m user add bob --role regulator >/dev/null

# evidence for H001: an audit with the vendor's allow-list (two outside
# sources connected: q13 "no"; records read: q14 "yes") and a firmware
# check of an affected version (q12 "no")
"$MAMORI" vpnlog audit --year 2024 --allow 10.0.0.0/8 --json "$D/fortigate.log" > "$TMP/audit.json"
"$MAMORI" firmware check --catalog "$SRC/data/vpn-kev.yaml" --json \
	--vendor Fortinet --product "FortiGate 60E" --version 6.0.4 > "$TMP/fw.json"
m evidence attach 1 H001 "$TMP/audit.json" >/dev/null
m evidence attach 1 H001 "$TMP/fw.json" >/dev/null
AH=$(python3 -c "import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],'rb').read()).hexdigest())" "$TMP/audit.json")
FH=$(python3 -c "import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],'rb').read()).hexdigest())" "$TMP/fw.json")

serve_start
trap 'kill -TERM "$PID" 2>/dev/null; rm -rf "$TMP"' EXIT
check "the server answers" curl -sf -o /dev/null "$B/login"

J='Content-Type: application/json'
F='Content-Type: application/x-www-form-urlencoded'
login() {	# JAR JSON -> status; csrf in JAR.csrf
	s=$(st "$TMP/login" "$1" POST /api/v1/login -H "$J" -d "$2")
	sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p' "$TMP/login" > "$1.csrf"
	echo "$s"
}
is() { name=$1; want=$2; got=$3
	if [ "$got" = "$want" ]; then _ok "$name"; else _notok "$name" "status $got, wanted $want"; fi; }
rev() {	# JAR -> the newest revision of the signed-in respondent
	curl -s -b "$1" "$B/api/v1/campaigns/1/response" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["revision"])'
}

: > "$TMP/nobody"
is "H002 signs in" 200 "$(login "$TMP/h2" "{\"organisation\":\"H002\",\"access_code\":\"$C2\"}")"
is "H001 signs in" 200 "$(login "$TMP/h1" "{\"organisation\":\"H001\",\"access_code\":\"$C1\"}")"
is "the regulator signs in" 200 "$(login "$TMP/reg" '{"user":"bob","password":"regulator pass 1"}')"
T2=$(cat "$TMP/h2.csrf"); T1=$(cat "$TMP/h1.csrf"); TR=$(cat "$TMP/reg.csrf")

# ---- the live check: the form's body ------------------------------------
is "check the form: Q5 no" 200 "$(st "$TMP/o" "$TMP/h2" POST '/campaigns/1/form/check?lang=en' -H "$F" -d "csrf=$T2&revision=0&q5_ehr=no")"
check_grep "the answer is JSON" 'Content-Type: application/json' cat "$TMP/o.h"
check "Q5 no: Q6-Q9 do not apply, Q5 and Q10 do" py "
it = d['items']
assert [it[q]['relevant'] for q in ('q6_backup', 'q7_generations', 'q8_isolated_storage', 'q9_leak_protection')] == [False] * 4, it
assert it['q5_ehr']['relevant'] and it['q10_vpn']['relevant'], it
assert not it['q11_vpn_devices']['relevant'] and not it['q12_vpn_updated']['relevant'], it
" "$TMP/o"
check "progress counts what applies" py "
p = d['progress']
assert (p['answered'], p['applicable']) == (1, 9), p
assert p['text'] == '1 of 9 answered', p
" "$TMP/o"
is "check the form: Q5 yes" 200 "$(st "$TMP/o" "$TMP/h2" POST '/campaigns/1/form/check?lang=en' -H "$F" -d "csrf=$T2&revision=0&q5_ehr=yes&respondent_phone=12")"
check "Q5 yes: Q6-Q9 apply" py "
it = d['items']
assert all(it[q]['relevant'] for q in ('q6_backup', 'q7_generations', 'q8_isolated_storage', 'q9_leak_protection')), it
" "$TMP/o"
check "the engine's messages per item" py "
it = d['items']
assert [x['code'] for x in it['respondent_phone']['messages']] == ['constraint'], it['respondent_phone']
assert [x['code'] for x in it['q6_backup']['messages']] == ['required'], it['q6_backup']
assert it['q5_ehr']['messages'] == [], it['q5_ehr']
assert d['valid'] is False and d['revision'] == 0
" "$TMP/o"
is "Japanese by default" 200 "$(st "$TMP/o" "$TMP/h2" POST /campaigns/1/form/check -H "$F" -d "csrf=$T2&q5_ehr=no")"
check_grep "... progress in Japanese" '"text":"9 問中 1 問回答済み"' cat "$TMP/o"
is "repeat rows are checked per row" 200 "$(st "$TMP/o" "$TMP/h2" POST '/campaigns/1/form/check?lang=en' -H "$F" -d "csrf=$T2&q10_vpn=yes&q11_vpn_devices.rows=2&q11_vpn_devices.0.maker=Fortinet&q11_vpn_devices.1.units=x")"
check "... with the engine's paths" py "
it = d['items']
assert it['q11_vpn_devices[1].maker']['relevant'] and it['q11_vpn_devices[2].units']['relevant'], sorted(it)
assert it['q11_vpn_devices[1].maker']['messages'] == [], it
assert [x['code'] for x in it['q11_vpn_devices[2].maker']['messages']] == ['required'], it
assert [x['code'] for x in it['q11_vpn_devices[2].units']['messages']] == ['wrong_type'], it
" "$TMP/o"

# ---- the live check: the JSON API ------------------------------------------
is "check JSON answers" 200 "$(st "$TMP/o" "$TMP/h2" POST '/api/v1/campaigns/1/response/check?lang=en' -H "$J" -H "X-CSRF-Token: $T2" -d '{"answers":{"q5_ehr":"no"}}')"
check "... the same verdict" py "
it = d['items']
assert not it['q6_backup']['relevant'] and it['q5_ehr']['relevant'], it
assert d['progress']['answered'] == 1
" "$TMP/o"
is "check JSON: answers not an object: 400" 400 "$(st "$TMP/o" "$TMP/h2" POST /api/v1/campaigns/1/response/check -H "$J" -H "X-CSRF-Token: $T2" -d '{"answers":[1]}')"
is "check JSON: an unknown member: 400" 400 "$(st "$TMP/o" "$TMP/h2" POST /api/v1/campaigns/1/response/check -H "$J" -H "X-CSRF-Token: $T2" -d '{"answer":{}}')"

# ---- who may check -----------------------------------------------------------
is "form check without the CSRF token: 403" 403 "$(st "$TMP/o" "$TMP/h2" POST /campaigns/1/form/check -H "$F" -H "X-CSRF-Token: $T2" -d 'q5_ehr=no')"
is "form check with another session's token: 403" 403 "$(st "$TMP/o" "$TMP/h2" POST /campaigns/1/form/check -H "$F" -d "csrf=$T1&q5_ehr=no")"
is "JSON check without X-CSRF-Token: 403" 403 "$(st "$TMP/o" "$TMP/h2" POST /api/v1/campaigns/1/response/check -H "$J" -d '{"answers":{}}')"
is "another campaign (not admitted): 404" 404 "$(st "$TMP/o" "$TMP/h2" POST /campaigns/2/form/check -H "$F" -d "csrf=$T2&q5_ehr=no")"
check_grep "... a JSON error" '"error":"not_found"' cat "$TMP/o"
is "another campaign by the API: 404" 404 "$(st "$TMP/o" "$TMP/h2" POST /api/v1/campaigns/2/response/check -H "$J" -H "X-CSRF-Token: $T2" -d '{}')"
is "the regulator may not: 403" 403 "$(st "$TMP/o" "$TMP/reg" POST /campaigns/1/form/check -H "$F" -d "csrf=$TR&q5_ehr=no")"
is "nobody is sent to sign in" 303 "$(st "$TMP/o" "$TMP/nobody" POST /campaigns/1/form/check -H "$F" -d 'q5_ehr=no')"
is "nobody by the API: 401" 401 "$(st "$TMP/o" "$TMP/nobody" POST /api/v1/campaigns/1/response/check -H "$J" -d '{}')"
is "nothing was saved: revision 0" 0 "$(rev "$TMP/h2")"
check_exit 1 "... and no save in the audit log" sh -c "'$MAMORI' audit --db '$DB' | grep -q 'response.save	campaign:1/H002'"
"$MAMORI" serve --routes > "$TMP/routes"
check_grep "the route table: the form check is the respondent's, with CSRF" '^POST /campaigns/{campaign}/form/check respondent csrf$' cat "$TMP/routes"
check_grep "the route table: the JSON check too" '^POST /api/v1/campaigns/{campaign}/response/check respondent csrf$' cat "$TMP/routes"

# ---- the form page and its script ---------------------------------------------
is "the form page" 200 "$(st "$TMP/o" "$TMP/h2" GET '/campaigns/1/form?lang=en')"
check_grep "items that do not apply are there, hidden" '<div class="q" id="q_q6_backup" hidden>' cat "$TMP/o"
check_grep "... their fields nameless and disabled" 'data-field="q6_backup" value="made_restore_tested" disabled>' cat "$TMP/o"
check_exit 1 "... so that they are never sent" grep -q 'name="q6_backup"' "$TMP/o"
check_grep "hidden sections and repeats too" '<fieldset class="repeat" id="r_q11_vpn_devices" hidden>' cat "$TMP/o"
check_grep "items that apply are not hidden" '<div class="q" id="q_q5_ehr">' cat "$TMP/o"
check_grep "the form names its check" '<form method="post" action="/campaigns/1/form?lang=en" novalidate id="answers" data-check="/campaigns/1/form/check?lang=en">' cat "$TMP/o"
check_grep "progress ids for the script" '<p class="progress" id="progress"><span id="progress-text" aria-live="polite">0 of 9 answered</span> <progress id="progress-bar"' cat "$TMP/o"
check_grep "the script, deferred, by version" '<script src="/static/mamori.js?v=[0-9a-f]\{16\}" defer></script>' cat "$TMP/o"
check_exit 1 "no inline script" grep -q '<script>' "$TMP/o"
curl -s -D "$TMP/hdr" -o /dev/null -b "$TMP/h2" "$B/campaigns/1/form"
check_grep "CSP: scripts only from the server" "Content-Security-Policy: default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; connect-src 'self';" cat "$TMP/hdr"
is "the script is served" 200 "$(st "$TMP/o" "$TMP/nobody" GET /static/mamori.js)"
check_grep "... as JavaScript" 'Content-Type: text/javascript' cat "$TMP/o.h"
check_grep "... cached for long" 'Cache-Control: public, max-age=31536000, immutable' cat "$TMP/o.h"
check_grep "... asking the server" 'data-check' cat "$TMP/o"
check_exit 1 "... without eval" grep -Eq 'eval\(|new Function' "$TMP/o"
check "... a few KB" test "$(wc -c < "$TMP/o")" -lt 12000
check "the form page under 100 KB" sh -c "curl -s -b '$TMP/h2' '$B/campaigns/1/form' | test \$(wc -c) -lt 102400"
is "without the script: save Q5 yes" 303 "$(st "$TMP/o" "$TMP/h2" POST /campaigns/1/form -H "$F" -d "csrf=$T2&revision=0&q5_ehr=yes&action=save")"
st "$TMP/o" "$TMP/h2" GET '/campaigns/1/form?lang=en' >/dev/null
check_grep "... the server shows Q6" '<div class="q invalid" id="q_q6_backup">' cat "$TMP/o"
check_grep "... with its field named" ' name="q6_backup" value="made_restore_tested">' cat "$TMP/o"

# ---- evidence beside Q12-Q14 ------------------------------------------------------
st "$TMP/o" "$TMP/h1" GET '/campaigns/1/form?lang=en' >/dev/null
check_grep "Q13: evidence available, with its reason" '<div class="evidence" id="ev_q13_vpn_restricted" role="group" aria-labelledby="evt_q13_vpn_restricted"><p class="evidence-title" id="evt_q13_vpn_restricted">Evidence available</p><p>Answer the evidence proposes: <strong>No</strong></p><p class="reason">no — 2 source(s) outside the allow-list connected successfully.</p>' cat "$TMP/o"
check_grep "Q12: from the firmware check" '<p class="reason">no — 1 device(s) run firmware with known-exploited vulnerabilities' cat "$TMP/o"
check_grep "Q14: from the audit" 'id="ev_q14_vpn_log_review"' cat "$TMP/o"
check_grep "accept and override buttons" 'value="evidence-accept:q13_vpn_restricted"' cat "$TMP/o"
check_exit 1 "no box where the evidence cannot tell" grep -q 'id="ev_q5_ehr"' "$TMP/o"
st "$TMP/o" "$TMP/h1" GET /campaigns/1/form >/dev/null
check_grep "in Japanese: 証拠あり" '>証拠あり</p>' cat "$TMP/o"
check_grep "... with the Japanese reason" 'いいえ — 許可リスト外の 2 件の接続元からのログインが成功しています。' cat "$TMP/o"

R1=$(rev "$TMP/h1")
is "accept Q13" 303 "$(st "$TMP/o" "$TMP/h1" POST '/campaigns/1/form?lang=en' -H "$F" -d "csrf=$T1&revision=$R1&q5_ehr=no&q10_vpn=yes&q12_vpn_updated=yes&action=evidence-accept%3Aq13_vpn_restricted")"
check_grep "... back to the question" 'Location: /campaigns/1/form?lang=en&evidence=accepted#q_q13_vpn_restricted' cat "$TMP/o.h"
curl -s -b "$TMP/h1" "$B/api/v1/campaigns/1/response" > "$TMP/resp"
check "... the answer is set, the others kept" py "
a = d['answers']
assert a['q13_vpn_restricted'] == 'no' and a['q12_vpn_updated'] == 'yes' and a['q10_vpn'] == 'yes', a
assert d['revision'] == $R1 + 1, d['revision']
" "$TMP/resp"
m audit > "$TMP/audit"
check "... recorded: item, proposal, answer, reason, the audit's hash" python3 -c "
import json, sys
rows = [l.split('\t') for l in open('$TMP/audit') if '\tevidence.accept\t' in l]
assert len(rows) == 1, rows
r = rows[0]
assert r[1].startswith('org:H001') or 'org:H001' in r, r
assert 'campaign:1/H001' in r, r
d = json.loads(r[-1])
assert (d['item'], d['proposed'], d['answer']) == ('q13_vpn_restricted', 'no', 'no'), d
assert d['sha256'] == '$AH' and d['reason'].startswith('no — 2 source'), d
assert d['revision'] == $R1 + 1, d
"
st "$TMP/o" "$TMP/h1" GET '/campaigns/1/form?lang=en&evidence=accepted' >/dev/null
check_grep "the form says it agrees now" 'Your answer agrees with the evidence.' cat "$TMP/o"
check_grep "... and that it was accepted" 'The evidence&#39;s answer was accepted.' cat "$TMP/o"

R2=$(rev "$TMP/h1")
is "override Q12 without a reason: refused" 422 "$(st "$TMP/o" "$TMP/h1" POST '/campaigns/1/form?lang=en' -H "$F" -d "csrf=$T1&revision=$R2&q5_ehr=no&q10_vpn=yes&q12_vpn_updated=yes&q13_vpn_restricted=no&evidence_reason.q12_vpn_updated=+%0D%0A&action=evidence-override%3Aq12_vpn_updated")"
check_grep "... the box says why, tied to the field" '<p class="error" id="eve_q12_vpn_updated" role="alert">Give a reason to keep your own answer.</p>' cat "$TMP/o"
check_grep "... the posted answers shown again" 'name="q12_vpn_updated" value="yes" checked' cat "$TMP/o"
is "... nothing saved" "$R2" "$(rev "$TMP/h1")"
check_exit 1 "... nothing recorded" grep -q 'evidence.override' "$(m audit > "$TMP/audit"; echo "$TMP/audit")"
is "override with the proposal itself: refused" 422 "$(st "$TMP/o" "$TMP/h1" POST '/campaigns/1/form?lang=en' -H "$F" -d "csrf=$T1&revision=$R2&q10_vpn=yes&q12_vpn_updated=no&evidence_reason.q12_vpn_updated=because&action=evidence-override%3Aq12_vpn_updated")"
check_grep "... says so" 'Your answer is the one the evidence proposes.' cat "$TMP/o"
is "a decision about an item without a proposal: 400" 400 "$(st "$TMP/o" "$TMP/h1" POST /campaigns/1/form -H "$F" -d "csrf=$T1&revision=$R2&action=evidence-accept%3Aq5_ehr")"
is "a decision on a stale page" 303 "$(st "$TMP/o" "$TMP/h1" POST /campaigns/1/form -H "$F" -d "csrf=$T1&revision=0&q10_vpn=yes&action=evidence-accept%3Aq12_vpn_updated")"
check_grep "... goes back, marked stale" 'Location: /campaigns/1/form?stale=1' cat "$TMP/o.h"
is "override Q12 with a reason" 303 "$(st "$TMP/o" "$TMP/h1" POST '/campaigns/1/form?lang=en' -H "$F" -d "csrf=$T1&revision=$R2&q5_ehr=no&q10_vpn=yes&q12_vpn_updated=yes&q13_vpn_restricted=no&evidence_reason.q12_vpn_updated=+Updated+to+6.4.15+on+2024-06-01+&action=evidence-override%3Aq12_vpn_updated")"
check_grep "... back to the question" 'evidence=overridden#q_q12_vpn_updated' cat "$TMP/o.h"
is "... the answers saved" "$((R2 + 1))" "$(rev "$TMP/h1")"
m audit > "$TMP/audit"
check "... recorded with the reason (trimmed) and the firmware check's hash" python3 -c "
import json
rows = [l.rstrip('\n').split('\t') for l in open('$TMP/audit') if '\tevidence.override\t' in l]
assert len(rows) == 1, rows
d = json.loads(rows[0][-1])
assert (d['item'], d['proposed'], d['answer']) == ('q12_vpn_updated', 'no', 'yes'), d
assert d['reason'] == 'Updated to 6.4.15 on 2024-06-01' and d['sha256'] == '$FH', d
"
st "$TMP/o" "$TMP/h1" GET '/campaigns/1/form?lang=en' >/dev/null
check_grep "the form shows the reason kept" 'You keep your own answer. Reason: Updated to 6.4.15 on 2024-06-01' cat "$TMP/o"

is "the regulator's view" 200 "$(st "$TMP/o" "$TMP/reg" GET '/campaigns/1/responses/H001?lang=en')"
check_grep "Q13 evidence-backed" 'No <span class="evidence-mark backed">evidence-backed</span></dd>' cat "$TMP/o"
check_grep "Q12 overridden, with the reason" 'Yes <span class="evidence-mark overridden">overridden (reason): Updated to 6.4.15 on 2024-06-01 &mdash; Answer the evidence proposes No</span></dd>' cat "$TMP/o"
check_grep "Q10 plain" '>Yes</dd>' cat "$TMP/o"
check_exit 1 "... with no form to change them" sh -c "grep 'action=\"/campaigns' '$TMP/o' | grep -qv '/reopen'"
is "H002's view has no marks" 200 "$(st "$TMP/o" "$TMP/reg" GET '/campaigns/1/responses/H002?lang=en')"
check_exit 1 "... none" grep -q 'evidence-mark' "$TMP/o"

kill -TERM "$PID"
wait "$PID"
is "the server stops cleanly" 0 "$?"
finish
