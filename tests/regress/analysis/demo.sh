#!/bin/sh
# demo.sh - "mamori demo generate" into a fresh database, then
# "mamori analysis" of its 2022 campaign against every published national
# figure of the MHLW 2022 survey, to one decimal, computed from the
# stored responses through the analysis engine.
. "$(dirname "$0")/../lib.sh"
DB=$TMP/demo.db
m() { "$MAMORI" "$@" --db "$DB"; }

check "init" "$MAMORI" init --db "$DB"
check_out "generate" "8252 hospitals, 8252 invited, 6216 submitted, 165 drafts; campaign 1 (closed)" \
	m demo generate --seed 2022
check "analysis --json" sh -c "'$MAMORI' analysis 1 --json --db '$DB' > '$TMP/a.json'"

# share (one decimal, percent), met, population of an indicator
ind() { python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))
i = a["indicators"][sys.argv[2]]
print("%.1f %d/%d" % (round(100 * i["met"] / i["population"], 1), i["met"], i["population"]))
' "$TMP/a.json" "$1" | cut -d' ' -f"${2:-1}"; }
pop() { ind "$1" 2 | cut -d/ -f2; }
val() { python3 -c '
import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v = v[k]
print(v)' "$TMP/a.json" "$1"; }

check_out "invited: every hospital asked" "8252" val invited
check_out "submitted: 6,216 answered" "6216" val submitted
check_out "drafts do not count" "0" val drafts
check_out "EHR in use: 64.7 % of 6,216" "64.7" ind ehr_in_use
check_out "EHR in use: 4,020 hospitals" "4020/6216" ind ehr_in_use 2
check_out "EHR users are the next denominator" "4020" pop makes_backups
check_out "makes backups: 95.9 % of EHR users" "95.9" ind makes_backups
check_out "keeps generations: 80.7 % of EHR users" "80.7" ind keeps_generations
check_out "no leak protection: 47.6 % of EHR users" "47.6" ind no_leak_protection
check_out "not isolated: 52.5 % of EHR users" "52.5" ind backups_not_isolated
check_out "VPN records not reviewed: about 60 % of VPN holders" "60.0" ind vpn_log_not_reviewed
check_out "VPN denominator: the hospitals with a VPN device" \
	"$(val indicators.vpn_present.met)" pop vpn_log_not_reviewed
check_out "Q6 asked only of EHR users" "4020" val items.q6_backup.population
check_out "Q6 not applicable to the others" "2196" val items.q6_backup.not_applicable
check_out "Q14 asked only of VPN holders" "$(val indicators.vpn_present.met)" val items.q14_vpn_log_review.population

# larger hospitals are better prepared
m analysis 1 --json --by size_band > "$TMP/b.json"
check "larger hospitals keep generations more often" python3 -c '
import json, sys
g = json.load(open(sys.argv[1]))["groups"]
s = [g[b]["indicators"]["keeps_generations"]["share"] for b in ("20-99", "100-199", "200-399", "500+")]
sys.exit(0 if s == sorted(s) and s[0] < s[-1] else 1)' "$TMP/b.json"
m analysis 1 --json --by prefecture > "$TMP/p.json"
check "47 prefectures, adding up to 8,252" python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))
g = a["groups"]
ok = len(g) == 47 and sum(v["invited"] for v in g.values()) == 8252 \
    and sum(v["indicators"]["ehr_in_use"]["met"] for v in g.values()) == 4020
sys.exit(0 if ok else 1)' "$TMP/p.json"
check_grep "drafts on request" '"drafts": 165' m analysis 1 --json --include-drafts
check_grep "text: the denominator written out" \
	"95.9 %  3855 of 4020  Makes EHR backups" m analysis 1
check_grep "text: skip logic in words" \
	"denominator: 4020 responses to which it applied (2196 not applicable)" m analysis 1
check_exit 2 "unknown campaign" m analysis 9
check_exit 2 "respondents above hospitals" m demo generate --hospitals 10 --respondents 11
finish
