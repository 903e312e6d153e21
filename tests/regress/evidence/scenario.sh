#!/bin/sh
# scenario.sh - a synthetic month of a hospital's gateway log: the clean
# month has no findings; each planted attack of the other is found.
. "$(dirname "$0")/../lib.sh"
G="python3 $SRC/tests/regress/evidence/genmonth.py"
jq_() { python3 -c "import json,sys; d=json.load(sys.stdin); $1"; }

$G clean "$TMP/clean.log" "$TMP/allow.txt"
$G attack "$TMP/attack.log"
A="$MAMORI vpnlog audit --allow-file $TMP/allow.txt"

check_exit 0 "clean month: nothing found" $A "$TMP/clean.log"
check_grep "clean month: says so" "nothing found" $A "$TMP/clean.log"
$A --json "$TMP/clean.log" > "$TMP/clean.json"
check "clean month: no findings, events read" jq_ "
assert d['findings'] == [], d['findings']
assert d['events'] > 100 and d['malformed'] == 0
" < "$TMP/clean.json"

check_exit 1 "attack month: findings" $A "$TMP/attack.log"
$A --json "$TMP/attack.log" > "$TMP/attack.json"
check "brute force from 203.0.113.66 on 03-12" jq_ "
f = [x for x in d['findings'] if x['kind'] == 'brute_force']
assert len(f) == 1 and f[0]['source'] == '203.0.113.66' and f[0]['count'] == 30, f
assert f[0]['first'] == '2024-03-12T02:10:00+09:00', f
" < "$TMP/attack.json"
check "password spray from 203.0.113.77" jq_ "
f = [x for x in d['findings'] if x['kind'] == 'password_spray']
assert len(f) == 1 and f[0]['source'] == '203.0.113.77' and f[0]['severity'] == 'high', f
" < "$TMP/attack.json"
check "success from outside the allow-list at 03:00" jq_ "
f = [x for x in d['findings'] if x['kind'] == 'outside_allowlist' and x['severity'] == 'critical']
assert len(f) == 1, f
assert f[0]['source'] == '203.0.113.99' and f[0]['user'] == 'fj-sato', f
assert f[0]['first'] == '2024-03-22T03:00:12+09:00', f
" < "$TMP/attack.json"
check "success after failures of dr-yamada" jq_ "
f = [x for x in d['findings'] if x['kind'] == 'success_after_failures']
assert len(f) == 1 and f[0]['user'] == 'dr-yamada' and f[0]['source'] == '192.0.2.50', f
" < "$TMP/attack.json"
check "log gap over 03-25 .. 03-27" jq_ "
f = [x for x in d['findings'] if x['kind'] == 'log_gap']
assert len(f) == 1, f
assert f[0]['first'] < '2024-03-25' and f[0]['last'] > '2024-03-27T12', f
" < "$TMP/attack.json"
check "critical first in the text summary" sh -c "$A '$TMP/attack.log' | grep -A1 'Look at first' | grep -q 'critical'"

# off-hours: the vendor's address at 03:00 is outside 09:00-18:00
printf '198.51.100.0/28 09:00-18:00 Mon-Fri\n192.0.2.0/24\n' > "$TMP/allow2.txt"
sed 's/remip=203.0.113.99/remip=198.51.100.9/' "$TMP/attack.log" > "$TMP/offhours.log"
$MAMORI vpnlog audit --allow-file "$TMP/allow2.txt" --json "$TMP/offhours.log" > "$TMP/off.json"
check "off-hours login of the vendor at 03:00" jq_ "
f = [x for x in d['findings'] if x['kind'] == 'off_hours']
assert len(f) == 1 and f[0]['source'] == '198.51.100.9' and f[0]['first'] == '2024-03-22T03:00:12+09:00', f
" < "$TMP/off.json"

# baseline: last month's audit makes the new source a first sighting
$A --json --baseline "$TMP/clean.json" "$TMP/attack.log" > "$TMP/base.json"
check "first-seen source against a baseline" jq_ "
f = [x for x in d['findings'] if x['kind'] == 'first_seen_source']
assert [(x['user'], x['source']) for x in f] == [('fj-sato', '203.0.113.99')], f
" < "$TMP/base.json"
printf 'fj-sato,198.51.100.5\nfj-sato,203.0.113.99\n' > "$TMP/base.txt"
$A --json --baseline "$TMP/base.txt" --shared-names '' "$TMP/clean.log" > "$TMP/b2.json"
check "baseline list: only unlisted pairs" jq_ "
f = [x for x in d['findings'] if x['kind'] == 'first_seen_source']
assert all(x['user'] != 'fj-sato' for x in f) and len(f) >= 1, f
" < "$TMP/b2.json"
finish
