#!/bin/sh
# evidence.sh - answers backed by evidence, counted apart: a small
# hand-made campaign of the 2022 survey whose responses carry real audit
# and firmware results ("mamori evidence attach"); "mamori analysis"
# counts, for Q12-Q14, the answers for which the evidence proposes one
# (not "unknown") and those equal to it, in JSON, text and the summary.
. "$(dirname "$0")/../lib.sh"
DB=$TMP/e.db
H=$SRC/tests/data/instrument/hospital-2022
D=$SRC/tests/data/evidence
m() { "$MAMORI" "$@" --db "$DB"; }

check "init" "$MAMORI" init --db "$DB"
printf 'id,name,kind,prefecture,beds\nH001,A,hospital,13,120\nH002,B,hospital,13,300\nH003,C,hospital,27,40\nH004,D,hospital,27,60\n' > "$TMP/orgs.csv"
check "import" m org import "$TMP/orgs.csv"
export MAMORI_NOW=2022-02-01T10:00
check "campaign" m campaign create --instrument "$SRC/instruments/mhlw/hospital-backup-vpn-2022.yaml" \
	--title "2022" --opens 2022-01-27 --closes 2022-02-14 --target "kind = 'hospital'"

# evidence: an audit (proposes Q14 yes, Q12 and Q13 unknown), a check of
# an affected firmware (Q12 no) and of a fixed one (Q12 yes)
"$MAMORI" vpnlog audit --year 2024 --json "$D/fortigate.log" > "$TMP/audit.json"
"$MAMORI" firmware check --catalog "$SRC/data/vpn-kev.yaml" --json \
	--vendor Fortinet --product "FortiGate 60E" --version 6.0.4 > "$TMP/old.json"
"$MAMORI" firmware check --catalog "$SRC/data/vpn-kev.yaml" --json \
	--vendor Fortinet --product "FortiGate 60F" --version 7.4.7 > "$TMP/new.json"
check_grep "the fixed firmware proposes Q12 yes" "q12_vpn_updated: yes" "$MAMORI" evidence propose --lang en "$TMP/new.json"

# H001: Q12 unknown (evidence: no), Q14 no (evidence: yes) -> neither backed
check "H001 submits" m response submit 1 H001 "$H/complete.json"
check "H001: audit" m evidence attach 1 H001 "$TMP/audit.json"
check "H001: firmware" m evidence attach 1 H001 "$TMP/old.json"
# H002: Q12 yes, Q14 yes, as its evidence says -> both backed
python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))
a["q12_vpn_updated"] = "yes"; a["q14_vpn_log_review"] = "yes"
json.dump(a, open(sys.argv[2], "w"), ensure_ascii=False)' "$H/complete.json" "$TMP/h2.json"
check "H002 submits" m response submit 1 H002 "$TMP/h2.json"
check "H002: an older affected check, then the fixed one (the newest counts)" \
	sh -c "'$MAMORI' evidence attach 1 H002 '$TMP/old.json' --db '$DB' && '$MAMORI' evidence attach 1 H002 '$TMP/new.json' --db '$DB'"
check "H002: audit" m evidence attach 1 H002 "$TMP/audit.json"
# H003: no VPN; the audit's Q14 does not apply to it
check "H003 submits (no VPN)" m response submit 1 H003 "$H/no-vpn.json"
check "H003: audit" m evidence attach 1 H003 "$TMP/audit.json"
# H004: evidence but only a draft: not counted
check "H004 saves a draft" m response save 1 H004 "$TMP/h2.json"
check "H004: firmware" m evidence attach 1 H004 "$TMP/new.json"
unset MAMORI_NOW

m analysis 1 --json > "$TMP/a.json"
ev() { python3 -c '
import json, sys
i = json.load(open(sys.argv[1]))["items"][sys.argv[2]]
print(i["evidence_backed"], i["evidence_proposed"], i["answered"])' "$TMP/a.json" "$1"; }
check_out "Q12: 1 of the 2 answers with a proposal is backed (of 2 answered)" "1 2 2" ev q12_vpn_updated
check_out "Q13: evidence only says unknown: nothing counted" "0 0 2" ev q13_vpn_restricted
check_out "Q14: not relevant to H003, H001 disagrees" "1 2 2" ev q14_vpn_log_review
check "other items carry no evidence counts" python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))["items"]
sys.exit(1 if "evidence_backed" in a["q5_ehr"] or "evidence_backed" in a["units"] else 0)' "$TMP/a.json"
m analysis 1 --json --include-drafts > "$TMP/d.json"
check_out "drafts with evidence are not counted (--include-drafts: still 1 of 2)" "1 2" python3 -c '
import json, sys
i = json.load(open(sys.argv[1]))["items"]["q12_vpn_updated"]
print(i["evidence_backed"], i["evidence_proposed"])' "$TMP/d.json"
m analysis 1 --json --by prefecture > "$TMP/p.json"
check_out "by prefecture: Tokyo has both" "1 2" python3 -c '
import json, sys
i = json.load(open(sys.argv[1]))["groups"]["13"]["items"]["q14_vpn_log_review"]
print(i["evidence_backed"], i["evidence_proposed"])' "$TMP/p.json"
check_grep "text: the evidence line" \
	"evidence-backed: 1 of the 2 answers for which attached evidence proposes one" m analysis 1 --lang en
check_grep "text in Japanese" "証跡の裏付け：証跡が回答を示した 2 件のうち 1 件が証跡どおり" m analysis 1 --lang ja
check_grep "summary: the evidence line" \
	"Evidence-backed: 1 of the 2 answers for which attached evidence proposes one" m report summary 1 --lang en
check_out "a campaign without evidence: zero of zero" "0 0" sh -c "
	'$MAMORI' campaign create --instrument '$SRC/instruments/mhlw/hospital-backup-vpn-2022.yaml' --title x \
		--opens 2030-01-01 --closes 2030-02-01 --target \"kind = 'hospital'\" --db '$DB' >/dev/null &&
	'$MAMORI' analysis 2 --json --db '$DB' | python3 -c '
import json, sys
i = json.load(sys.stdin)[\"items\"][\"q12_vpn_updated\"]
print(i[\"evidence_backed\"], i[\"evidence_proposed\"])'"
finish
