#!/bin/sh
# attach.sh - "mamori evidence attach" and "evidence list": real audit and
# firmware results stored on a response with their hashes, listed with the
# answers to q12-q14 each supports; bad input and unknown organisations.
. "$(dirname "$0")/../lib.sh"
DB=$TMP/m.db
D=$SRC/tests/data/evidence
m() { "$MAMORI" "$@" --db "$DB"; }
jq_() { python3 -c "import json,sys; d=json.load(sys.stdin); $1"; }
sha() { python3 -c "import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],'rb').read()).hexdigest())" "$1"; }

check "init" "$MAMORI" init --db "$DB"
printf 'id,name,kind,prefecture,beds\nH001,A,hospital,13,120\nH002,B,hospital,27,30\nB001,C,bank,13,\n' > "$TMP/orgs.csv"
check "import" m org import "$TMP/orgs.csv"
export MAMORI_NOW=2022-02-01T10:00
check "campaign" m campaign create --instrument "$SRC/tests/data/store/tiny.yaml" \
	--title "2022" --opens 2022-01-27 --closes 2022-02-14 --target "kind = 'hospital'"

# real results: an audit of a fixture (it has findings: exit 1) and a check
"$MAMORI" vpnlog audit --year 2024 --json "$D/fortigate.log" > "$TMP/audit.json"
check_exit 1 "the audit found something" sh -c "'$MAMORI' vpnlog audit --year 2024 '$D/fortigate.log' >/dev/null"
"$MAMORI" firmware check --catalog "$SRC/data/vpn-kev.yaml" --json \
	--vendor Fortinet --product "FortiGate 60E" --version 6.0.4 > "$TMP/fw.json"
AH=$(sha "$TMP/audit.json")
FH=$(sha "$TMP/fw.json")

check_out "attach an audit (kind from the content)" \
	"attached: campaign 1, H001, evidence 1 (vpnlog_audit) sha256 $AH" \
	m evidence attach 1 H001 "$TMP/audit.json"
export MAMORI_NOW=2022-03-01T09:00	# after the close: evidence may come late
check_out "attach a firmware check after the close" \
	"attached: campaign 1, H001, evidence 2 (firmware_check) sha256 $FH" \
	m evidence attach 1 H001 "$TMP/fw.json" --kind firmware_check

m evidence list 1 H001 --json > "$TMP/list.json"
check "list --json: both, in order, hashes, the document, the answers" jq_ "
import hashlib
e = d['evidence']
assert d['campaign'] == 1 and d['organisation'] == 'H001', d
assert [x['id'] for x in e] == [1, 2] and [x['kind'] for x in e] == ['vpnlog_audit', 'firmware_check'], e
assert e[0]['sha256'] == '$AH' and e[1]['sha256'] == '$FH'
assert e[0]['result'] == json.load(open('$TMP/audit.json')) and e[1]['result'] == json.load(open('$TMP/fw.json'))
assert e[0]['at'] == '2022-02-01T10:00:00+09:00' and e[1]['at'] == '2022-03-01T09:00:00+09:00', e
assert e[0]['from'] == 'local' and e[0]['who'].startswith('cli:')
a = e[0]['proposed']['response']; f = e[1]['proposed']['response']
assert a['q12_vpn_updated'] == 'unknown' and a['q14_vpn_log_review'] == 'yes', a
assert f['q12_vpn_updated'] == 'no' and f['q13_vpn_restricted'] == 'unknown', f
assert all(x['ja'] and x['en'] for i in e for x in i['proposed']['answers'])
" < "$TMP/list.json"
check_grep "list: the firmware item's q12 reason" "^  q12_vpn_updated: no — " m evidence list 1 H001 --lang en
check_grep "list: one line per item" "^2	firmware_check	$FH	2022-03-01T09:00:00+09:00	cli:" m evidence list 1 H001
check_out "list: nothing yet for H002" "# no evidence attached to H002 in campaign 1" m evidence list 1 H002
check_grep "audited" "evidence.attach	campaign:1/H001" m audit

# bad input: exit 2, nothing stored
check_exit 2 "not JSON" m evidence attach 1 H001 "$TMP/orgs.csv"
check_exit 2 "neither kind: answers that list devices" m evidence attach 1 H001 "$SRC/tests/data/store/valid.json"
check_exit 2 "wrong --kind for the content" m evidence attach 1 H001 "$TMP/fw.json" --kind vpnlog_audit
check_grep "wrong --kind: says what it looks like" "it looks like a firmware check" m evidence attach 1 H001 "$TMP/fw.json" --kind vpnlog_audit
check_exit 2 "unknown --kind" m evidence attach 1 H001 "$TMP/fw.json" --kind iot
check_exit 2 "missing file" m evidence attach 1 H001 "$TMP/nonexistent.json"
check_exit 2 "not a campaign id" m evidence attach x H001 "$TMP/fw.json"
check_exit 2 "too few arguments" m evidence attach 1 "$TMP/fw.json"
# unknown organisations
check_exit 2 "unknown organisation" m evidence attach 1 X999 "$TMP/fw.json"
check_out "unknown organisation: named" "mamori: no organisation 'X999'" m evidence attach 1 X999 "$TMP/fw.json"
check_out "outside the population" "mamori: organisation 'B001' is not in campaign 1's population" \
	m evidence attach 1 B001 "$TMP/fw.json"
check_exit 2 "no such campaign" m evidence attach 9 H001 "$TMP/fw.json"
check_exit 2 "list: unknown organisation" m evidence list 1 X999
check_out "nothing was stored by the refusals" "2" sh -c "'$MAMORI' evidence list 1 H001 --db '$DB' | grep -c '^[0-9]'"
check_out "the database checks" "$DB: ok" m db check
check_grep "propose still works" "q12_vpn_updated: no" $MAMORI evidence propose --lang en "$TMP/fw.json"
finish
