#!/bin/sh
# propose.sh - "mamori evidence propose" from real audit and firmware output.
. "$(dirname "$0")/../lib.sh"
G="python3 $SRC/tests/regress/evidence/genmonth.py"
jq_() { python3 -c "import json,sys; d=json.load(sys.stdin); $1"; }

$G attack "$TMP/attack.log" "$TMP/allow.txt"
$MAMORI vpnlog audit --allow-file "$TMP/allow.txt" --json "$TMP/attack.log" > "$TMP/audit.json"
$MAMORI firmware check --catalog "$SRC/data/vpn-kev.yaml" --json --vendor Fortinet --product "FortiGate 60E" --version 6.0.4 > "$TMP/fw.json"

check_grep "q13 in English" "q13_vpn_restricted: no — 1 source(s) outside the allow-list connected successfully." \
	$MAMORI evidence propose --lang en "$TMP/audit.json" "$TMP/fw.json"
check_grep "q12 in Japanese" "q12_vpn_updated: いいえ" $MAMORI evidence propose "$TMP/audit.json" "$TMP/fw.json"
$MAMORI evidence propose --json "$TMP/fw.json" "$TMP/audit.json" > "$TMP/p.json"
check "json: the three answers (files in any order)" jq_ "
r = d['response']
assert r == {'q12_vpn_updated': 'no', 'q13_vpn_restricted': 'no', 'q14_vpn_log_review': 'yes'}, r
assert all(a['ja'] and a['en'] for a in d['answers'])
" < "$TMP/p.json"
check_grep "audit alone: q12 unknown" "q12_vpn_updated: unknown" $MAMORI evidence propose --lang en "$TMP/audit.json"
check_exit 2 "not evidence" $MAMORI evidence propose "$TMP/allow.txt"
check_exit 2 "bad --lang" $MAMORI evidence propose --lang fr "$TMP/audit.json"
check_exit 2 "attach without campaign and organisation is a usage error" $MAMORI evidence attach "$TMP/audit.json"
finish
