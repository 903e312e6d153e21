#!/bin/sh
# forms.sh - schema 4 from the command line: an always-open campaign
# taking repeated reports (each with its number and revisions, counted by
# the analysis), and a campaign with a form instrument: a facility form,
# vendor forms beside it, and the facilities still owing vendor forms.
. "$(dirname "$0")/../lib.sh"
DB=$TMP/m.db
D=$SRC/tests/data/store
m() { "$MAMORI" "$@" --db "$DB"; }

check "init" "$MAMORI" init --db "$DB"
printf 'id,name,kind,prefecture,beds\nH001,A,hospital,13,120\nH002,B,hospital,27,30\nH003,C,hospital,13,400\n' > "$TMP/orgs.csv"
check "import" m org import "$TMP/orgs.csv"
export MAMORI_NOW=2024-04-10T10:00
check_out "an always-open repeatable campaign" "3 organisations targeted, open; campaign 1" \
	m campaign create --instrument "$D/tiny.yaml" --title reports \
	--opens 2024-04-01 --target "kind = 'hospital'" --always-open --repeatable
check_grep "listed as always open, taking reports" "(always open) (reports)" m campaign list
export MAMORI_NOW=2027-01-01T10:00
check_out "a new report, years later" "submitted: campaign 1, H001, report 1, revision 1" \
	m response report 1 H001 "$D/valid.json"
check_out "another" "submitted: campaign 1, H001, report 2, revision 1" \
	m response report 1 H001 "$D/valid-no.json"
check_out "a draft report" "saved: campaign 1, H002, report 1, revision 1" \
	m response report 1 H002 "$D/invalid.json" --draft
check_exit 1 "an invalid report is refused" m response report 1 H002 "$D/invalid.json" --number 1
check_out "report 1 of H002 submitted as its revision 2" "submitted: campaign 1, H002, report 1, revision 2" \
	m response report 1 H002 "$D/valid.json" --number 1 --base 1
check_exit 2 "no report 9" m response report 1 H001 "$D/valid.json" --number 9
check_grep "an ordinary submission is refused" "takes reports" m response submit 1 H003 "$D/valid.json"
check_out "reports of H001" "1	submitted	revision 1	2027-01-01T10:00:00+09:00
2	submitted	revision 1	2027-01-01T10:00:00+09:00" m response reports 1 H001
check_out "reopen one report" "reopened: campaign 1, H001, report 2, revision 2" \
	m response report 1 H001 --number 2 --reopen
check_grep "status: organisations with a submitted report" \
	"^population 3, invited 0, drafts 0, submitted 2" m campaign status 1
m analysis 1 --json > "$TMP/a.json"
check_out "analysis: 2 of 3 organisations submitted, 3 reports" "2 3 3" python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))
print(a["submitted"], a["reports"], a["invited"])' "$TMP/a.json"
check_grep "audit: the report's number in the object" "campaign:1/H001/2" m audit

export MAMORI_NOW=2025-06-10T10:00
check_out "a campaign with vendor forms" "3 organisations targeted, open; campaign 2" \
	m campaign create --instrument "$D/tiny-facility.yaml" --forms "$D/tiny-form.yaml" \
	--title checklist --opens 2025-06-01 --closes 2025-12-26 --target "kind = 'hospital'"
check_out "facility form of H001: 2 vendors" "submitted: campaign 2, H001, revision 1" \
	m response submit 2 H001 "$D/facility-2.json"
check_out "facility form of H003: 2 vendors" "submitted: campaign 2, H003, revision 1" \
	m response submit 2 H003 "$D/facility-2.json"
check_out "a vendor form" "submitted: campaign 2, H001, form 1, revision 1" \
	m response report 2 H001 "$D/vendor-a.json"
check_exit 1 "a vendor form is checked against the form instrument" \
	m response report 2 H003 "$D/facility-2.json"
check_out "missing vendor forms" "H001	1 of 2 forms submitted
H003	0 of 2 forms submitted" m campaign missing-forms 2
check_exit 1 "exit 1 while any is missing" m campaign missing-forms 2
check_out "json" "H001 1 2" sh -c "'$MAMORI' campaign missing-forms 2 --json --db '$DB' | python3 -c '
import json, sys
d = json.load(sys.stdin)[0]
print(d[\"organisation\"], d[\"submitted\"], d[\"expected\"])'"

# the same list for the regulator in the web
printf 'regulator pass 1\n' | m user add bob --role regulator >/dev/null
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$MAMORI" serve --db "$DB" --listen "127.0.0.1:$PORT" 2> "$TMP/server.log" &
PID=$!
trap 'kill -TERM "$PID" 2>/dev/null; rm -rf "$TMP"' EXIT
B=http://127.0.0.1:$PORT
i=0
until curl -s -o /dev/null "$B/login" || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
curl -s -o /dev/null -c "$TMP/jar" -H 'Content-Type: application/json' \
	-d '{"user":"bob","password":"regulator pass 1"}' "$B/api/v1/login"
check_out "web: the regulator's missing vendor forms CSV" "organisation,expected,submitted
\"H001\",2,1
\"H003\",2,0" sh -c "curl -sf -b '$TMP/jar' '$B/campaigns/2/missing-forms.csv' | tr -d '\r'"
check_out "web: a campaign without vendor forms has no such list" "404" \
	curl -s -o /dev/null -w '%{http_code}' -b "$TMP/jar" "$B/campaigns/1/missing-forms.csv"
check_grep "web: the dashboard links the list" 'missing-forms.csv' \
	curl -s -b "$TMP/jar" "$B/campaigns/2/dashboard"
check_out "web: not without signing in" "401" sh -c "curl -s -o /dev/null -w '%{http_code}' '$B/campaigns/2/missing-forms.csv' | sed 's/^30[0-9]$/401/'"
kill -TERM "$PID"; wait "$PID" 2>/dev/null

m response report 2 H001 "$D/vendor-a.json" >/dev/null
m response report 2 H003 "$D/vendor-a.json" >/dev/null
m response report 2 H003 "$D/vendor-a.json" >/dev/null
check_out "none missing" "" m campaign missing-forms 2
check_exit 2 "a campaign without forms" m campaign missing-forms 1
check_grep "analysis reads the facility forms" '"submitted": 2' m analysis 2 --json
check_out "closes with its window" "closed" sh -c "MAMORI_NOW=2026-01-10 '$MAMORI' campaign list --json --db '$DB' | python3 -c '
import json, sys
print([c for c in json.load(sys.stdin) if c[\"id\"] == 2][0][\"state\"])'"
check "db check" m db check
finish
