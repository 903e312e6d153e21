#!/bin/sh
# demo.sh - "mamori demo generate" into a fresh database, then
# "mamori analysis" of its 2022 and 2023 campaigns against every
# published national figure of the MHLW 2022 and 2023 surveys, to one
# decimal, computed from the stored responses through the analysis
# engine; the trend between the two in JSON, text and the summary page.
. "$(dirname "$0")/../lib.sh"
DB=$TMP/demo.db
m() { "$MAMORI" "$@" --db "$DB"; }

check "init" "$MAMORI" init --db "$DB"
check_out "generate" "8252 hospitals, 8252 invited, 6216 submitted, 165 drafts; campaign 1 (closed)
2023: 8252 invited, 6602 submitted, 165 drafts; campaign 2 (closed)" \
	m demo generate --seed 2022 --no-others
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

# ---- the 2023 round: campaign 2, the same instrument id
m analysis 2 --json > "$TMP/a23.json"
ind23() { python3 -c '
import json, sys
i = json.load(open(sys.argv[1]))["indicators"][sys.argv[2]]
print("%.1f" % round(100 * i["met"] / i["population"], 1))' "$TMP/a23.json" "$1"; }
val23() { python3 -c '
import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v = v[k]
print(v)' "$TMP/a23.json" "$1"; }
check_out "2023: the same instrument id" "mhlw-hospital-backup-vpn 2023.1" \
	sh -c "python3 -c 'import json,sys; i=json.load(open(sys.argv[1]))[\"instrument\"]; print(i[\"id\"], i[\"version\"])' '$TMP/a23.json'"
check_out "2023: every hospital asked" "8252" val23 invited
check_out "2023: EHR in use 71.0 % of respondents" "71.0" ind23 ehr_in_use
check_out "2023: EHR over every respondent" "6602" val23 indicators.ehr_in_use.population
check_out "2023: backups made 98.0 % of EHR users" "98.0" ind23 makes_backups
check_out "2023: offline backup 49.0 % of EHR users" "49.0" ind23 offline_backup
check_out "2023: generations kept 78.0 % of EHR users" "78.0" ind23 keeps_generations
check_out "2023: leak protection 65.0 % of EHR users" "65.0" ind23 leak_protection
check_out "2023: EHR users are the backup denominator" \
	"$(val23 indicators.ehr_in_use.met)" val23 indicators.offline_backup.population
check_out "2023: connection points managed 44.0 %" "44.0" ind23 connection_points_managed
check_out "2023: log review 35.0 %" "35.0" ind23 log_review
check_out "2023: cyber BCP 23.0 %" "23.0" ind23 cyber_bcp
check_out "2023: Q16 asked of every respondent" "6602" val23 items.q16_cyber_bcp.population
m analysis 2 --json --by size_band > "$TMP/b23.json"
bcp() { python3 -c '
import json, sys
i = json.load(open(sys.argv[1]))["groups"][sys.argv[2]]["indicators"]["cyber_bcp"]
print("%.1f %.0f" % (round(100 * i["met"] / i["population"], 1), 100 * i["met"] / i["population"]))' "$TMP/b23.json" "$1"; }
check_out "2023: cyber BCP 14.0 % with 20-99 beds" "14.0 14" bcp 20-99
bcp_pct() { bcp "$1" | cut -d' ' -f2; }
check_out "2023: cyber BCP 45 % with 500 beds or more (published to the percent)" "45" bcp_pct 500+
check "2023: larger hospitals keep generations and write a BCP more often" python3 -c '
import json, sys
g = json.load(open(sys.argv[1]))["groups"]
ok = True
for k in ("keeps_generations", "cyber_bcp"):
    s = [g[b]["indicators"][k]["share"] for b in ("20-99", "100-199", "200-399", "500+")]
    ok = ok and s == sorted(s) and s[0] < s[-1]
sys.exit(0 if ok else 1)' "$TMP/b23.json"

# ---- the trend 2022 -> 2023
m analysis 2 --compare previous --json > "$TMP/t.json"
check "trend: campaign 1 found as the previous one, shares and changes" python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))["trend"]
assert t["campaigns"] == [1, 2] and t["versions"] == ["2022.1", "2023.1"], t["campaigns"]
e = t["indicators"]["ehr_in_use"]
assert (round(100 * e["before"], 1), round(100 * e["after"], 1)) == (64.7, 71.0), e
assert round(e["change_points"], 1) == 6.3 and e["population_before"] == 6216 and e["population_after"] == 6602, e
g = t["indicators"]["keeps_generations"]
assert (round(100 * g["before"], 1), round(100 * g["after"], 1)) == (80.7, 78.0), g
l = t["indicators"]["leak_protection"]
assert round(100 * l["after"], 1) == 65.0 and round(l["change_points"], 1) == 12.6, l
assert "offline_backup" in t["indicators_added"] and "backups_not_isolated" in t["indicators_removed"]
assert sorted(t["added"]) == ["q14_connection_points", "q15_log_review", "q16_cyber_bcp", "q8_offline_backup"], t["added"]
assert sorted(t["removed"]) == ["q14_vpn_log_review", "q8_isolated_storage"], t["removed"]
assert t["changed"] == {} and t["items"]["q5_ehr"]["after"]["counts"]["yes"] == 4687
assert t["items"]["q5_ehr"]["before"]["counts"]["yes"] == 4020' "$TMP/t.json"
check_grep "trend text: the versions" "^Trend (campaign 1 -> 2, versions 2022.1 -> 2023.1)" m analysis 2 --compare 1
check_grep "trend text: EHR with numerators, denominators and the change" \
	"64.7 % (4020/6216) ->  71.0 % (4687/6602)   +6.3  Uses an EHR system" m analysis 2 --compare 1
check_grep "trend text: items no longer asked" "^    q14_vpn_log_review  " m analysis 2 --compare 1
check_grep "trend text in Japanese" "経年比較（キャンペーン 1 → 2、版 2022.1 → 2023.1）" m analysis 2 --compare 1 --lang ja
check_exit 2 "trend: no campaign before the first" m analysis 1 --compare previous
check "summary 2023 (previous campaign found)" sh -c "'$MAMORI' report summary 2 --lang en -o '$TMP/s2.html' --db '$DB'"
check_grep "summary: trend section" "Trend</h2>" cat "$TMP/s2.html"
check_grep "summary: the two campaigns and versions" "Campaign 1 (version 2022.1) → campaign 2 (version 2023.1)" cat "$TMP/s2.html"
check_grep "summary: a paired bar chart" '<svg class="trend"' cat "$TMP/s2.html"
check_grep "summary: EHR before and after" "64.7 % (4020 / 6216)</td><td class=\"num\">71.0 % (4687 / 6602)</td><td class=\"num\">+6.3" cat "$TMP/s2.html"
check_grep "summary: changed items listed" "<code>q8_offline_backup</code>" cat "$TMP/s2.html"
check_grep "summary: removed items listed" "<code>q14_vpn_log_review</code>" cat "$TMP/s2.html"
check_out "summary of 2022: nothing before it, no trend" "0" sh -c "'$MAMORI' report summary 1 --lang en --db '$DB' | grep -c 'Trend</h2>'"
check_out "summary --compare none: no trend" "0" sh -c "'$MAMORI' report summary 2 --compare none --lang en --db '$DB' | grep -c 'Trend</h2>'"
check_grep "summary --compare 1 in Japanese" "経年比較</h2>" m report summary 2 --compare 1 --lang ja

check_exit 2 "unknown campaign" m analysis 9
check_exit 2 "respondents above hospitals" m demo generate --hospitals 10 --respondents 11
finish
