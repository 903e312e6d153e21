#!/bin/sh
# demo_other.sh - the demonstration campaigns of the other bundled
# instruments: "mamori demo generate" (a small hospital registry), then
# every published 2022 figure of the FSA self-assessment to one decimal
# through "mamori analysis --json" and "mamori report summary", the
# financial registry by kind, and one feedback report per campaign for
# one respondent of each kind of organisation.
. "$(dirname "$0")/../lib.sh"
DB=$TMP/demo.db
m() { "$MAMORI" "$@" --db "$DB"; }

check "init" "$MAMORI" init --db "$DB"
# 8,252 hospitals keep every 500-bed hospital and the Tokyo ones of the
# full demonstration; 100 respondents keep the hospital part quick
check "generate" m demo generate --seed 2022 --respondents 100
m campaign list --json > "$TMP/list.json"
# the campaign of an instrument id
cid() { python3 -c '
import json, sys
for c in json.load(open(sys.argv[1])):
    if c["instrument"]["id"] == sys.argv[2]:
        print(c["id"]); break' "$TMP/list.json" "$1"; }
FSA=$(cid fsa-cyber-self-assessment)
check "the FSA campaign exists" test -n "$FSA"

check_out "498 institutions" "498" sh -c "'$MAMORI' org list --json --db '$DB' | python3 -c '
import json, sys
print(sum(o[\"kind\"] in (\"regional_bank\", \"shinkin\", \"cooperative\") for o in json.load(sys.stdin)))'"
for k in "regional_bank 99" "shinkin 254" "cooperative 145"; do
	set -- $k
	check_out "$1: $2" "$2" sh -c "'$MAMORI' org list --kind $1 --json --db '$DB' | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))'"
done
check_out "every prefecture has a regional bank" "47" sh -c "'$MAMORI' org list --kind regional_bank --json --db '$DB' | python3 -c '
import json, sys
print(len({o[\"prefecture\"] for o in json.load(sys.stdin)}))'"

m analysis "$FSA" --json > "$TMP/fsa.json"
val() { python3 -c '
import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v = v[k]
print(v)' "$TMP/fsa.json" "$1"; }
ind() { python3 -c '
import json, sys
i = json.load(open(sys.argv[1]))["indicators"][sys.argv[2]]
print("%.1f" % round(100 * i["met"] / i["population"], 1))' "$TMP/fsa.json" "$1"; }
check_out "invited: the 498 institutions" "498" val invited
check_out "submitted: all 498" "498" val submitted
check_out "plan with top management: 76.9 %" "76.9" ind plan_with_top_management
check_out "periodic risk assessment: 82.7 %" "82.7" ind periodic_risk_assessment
check_out "senior management decides: 43.0 %" "43.0" ind senior_management_decides
check_out "lacks staff for new technology: 71.7 %" "71.7" ind lacks_new_tech_staff
check "third-party gaps: more than half" python3 -c '
import json, sys
i = json.load(open(sys.argv[1]))["indicators"]["third_party_gaps"]
sys.exit(0 if 2 * i["met"] > i["population"] == 498 else 1)' "$TMP/fsa.json"
check_out "plan: over every respondent" "383/498" python3 -c '
import json, sys
i = json.load(open(sys.argv[1]))["indicators"]["plan_with_top_management"]
print("%d/%d" % (i["met"], i["population"]))' "$TMP/fsa.json"
check_out "TLPT asked of regional banks only" "99" val items.id5_tlpt.population
check_out "the shared centre asked of the others" "399" val items.tp4_shared_center.population
m analysis "$FSA" --json --by kind > "$TMP/kind.json"
check "regional banks better prepared than cooperatives" python3 -c '
import json, sys
g = json.load(open(sys.argv[1]))["groups"]
s = lambda k: g[k]["indicators"]["periodic_risk_assessment"]["share"]
sys.exit(0 if s("regional_bank") > s("cooperative") else 1)' "$TMP/kind.json"

# the summary report states the same figures
check "summary report" sh -c "'$MAMORI' report summary '$FSA' --lang en -o '$TMP/s.html' --db '$DB'"
for p in "76.9 383" "82.7 412" "43.0 214" "71.7 357"; do
	set -- $p
	check_grep "summary: $1 % ($2 of 498)" \
		"<td class=\"num\">$1 %</td><td class=\"num\">$2 / 498</td>" \
		cat "$TMP/s.html"
done

# every campaign: some answers, and a feedback report for one
# respondent of each kind
for ins in fsa-cyber-self-assessment fsa-cashless-authentication \
	mic-cloud-settings-user mhlw-medical-checklist-facility \
	mhlw-incident-report; do
	c=$(cid $ins)
	check "$ins: a campaign" test -n "$c"
	m response export "$c" --format json > "$TMP/$ins.json"
	orgs=$(python3 -c '
import json, sys
seen = {}
for r in json.load(open(sys.argv[1]))["responses"]:
    o = r["organisation"]
    k = o[:2] if o[:2] in ("RB", "SK", "KU") else "hospital"
    seen.setdefault(k, o)
print(" ".join(sorted(seen.values())))' "$TMP/$ins.json")
	check "$ins: responses submitted" test -n "$orgs"
	for o in $orgs; do
		check "$ins: feedback for $o" sh -c "'$MAMORI' report feedback '$c' '$o' --lang en -o '$TMP/f.html' --db '$DB' && grep -q '</html>' '$TMP/f.html'"
	done
done
# incident reports: always open, some hospitals report more than once,
# the analysis counts reports, the response rate hospitals that reported
INC=$(cid mhlw-incident-report)
check_out "incident reports: always open" "open" python3 -c '
import json, sys
print([c for c in json.load(open(sys.argv[1])) if c["id"] == int(sys.argv[2])][0]["state"])' "$TMP/list.json" "$INC"
m analysis "$INC" --json > "$TMP/inc.json"
check "incident reports: more reports than reporting hospitals" python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))
rows = json.load(open(sys.argv[2]))["responses"]
orgs = {r["organisation"] for r in rows}
sys.exit(0 if a["reports"] == len(rows) > len(orgs) == a["submitted"] > 0 and a["invited"] == 919
         and abs(a["response_rate"] - len(orgs) / 919) < 1e-9 else 1)' \
	"$TMP/inc.json" "$TMP/mhlw-incident-report.json"
two=$(python3 -c '
import json, sys, collections
c = collections.Counter(r["organisation"] for r in json.load(open(sys.argv[1]))["responses"])
print([o for o, n in c.items() if n > 1][0])' "$TMP/mhlw-incident-report.json")
check_grep "incident reports: a hospital's second report" "^2	submitted" m response reports "$INC" "$two"

# the medical checklist carries the vendor form; some are missing
CL=$(cid mhlw-medical-checklist-facility)
check_out "checklist: the vendor form is its form instrument" "mhlw-medical-checklist-vendor" python3 -c '
import json, sys
print([c for c in json.load(open(sys.argv[1])) if c["id"] == int(sys.argv[2])][0]["form_instrument"])' "$TMP/list.json" "$CL"
check_exit 1 "checklist: facilities with vendor forms missing" m campaign missing-forms "$CL"
check "checklist: each one form short" sh -c "'$MAMORI' campaign missing-forms '$CL' --json --db '$DB' | python3 -c '
import json, sys
d = json.load(sys.stdin)
sys.exit(0 if d and all(x[\"expected\"] - x[\"submitted\"] == 1 for x in d) else 1)'"
first=$(m campaign missing-forms "$CL" | head -1 | cut -f1)
check_grep "checklist: its vendor forms are numbered" "^1	submitted" m response reports "$CL" "$first"
m response export "$CL" --format csv --forms --out "$TMP/forms.csv" 2>/dev/null
check "checklist: the vendor forms as CSV, one row per form as in the JSON, in the vendor form's columns" python3 -c '
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
forms = json.load(open(sys.argv[2]))["forms"]
want = sorted((f["organisation"], str(f["number"]), f["answers"].get("vendor_name", "")) for f in forms)
got = sorted((r["organisation"], r["number"], r["vendor_name"]) for r in rows)
sys.exit(0 if rows and got == want and "vendor_count" not in rows[0] else 1)' "$TMP/forms.csv" "$TMP/mhlw-medical-checklist-facility.json"
check_exit 2 "--forms: a campaign without additional forms" m response export "$INC" --format csv --forms
check_exit 2 "--forms: not with JSON (it lists them already)" m response export "$CL" --format json --forms

check "--no-others: hospitals only" sh -c "
	'$MAMORI' init --db '$TMP/h.db' >/dev/null &&
	'$MAMORI' demo generate --hospitals 50 --respondents 10 --no-others --db '$TMP/h.db' >/dev/null &&
	'$MAMORI' campaign list --json --db '$TMP/h.db' | python3 -c '
import json, sys
c = json.load(sys.stdin)
sys.exit(0 if c and all(x[\"instrument\"][\"id\"] == \"mhlw-hospital-backup-vpn\" for x in c) else 1)' &&
	test \"\$('$MAMORI' org list --kind shinkin --json --db '$TMP/h.db')\" = '[]'"
finish
