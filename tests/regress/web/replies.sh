#!/bin/sh
# replies.sh - the answer to a draft save (PUT /api/v1/campaigns/1/response)
# is the response as GET returns it right after, byte for byte: answers
# as stored, the engine's errors in the request's language (ja, and en
# with ?lang=en), progress, state, revision, time, campaign and its
# population; the same after a stale save was refused and for answers
# of the wrong type. The form page shows the evidence attached, read in
# the page's snapshot, the same on every view.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/serve.sh"
DB=$TMP/m.db
INS=$SRC/instruments/mhlw/hospital-backup-vpn-2022.yaml
m() { "$MAMORI" "$@" --db "$DB"; }

m init >/dev/null 2>&1
printf 'id,name,kind,prefecture,beds\nH001,病院1,hospital,01,100\nH002,病院2,hospital,13,300\nH003,病院3,hospital,13,50\n' \
	> "$TMP/orgs.csv"
m org import "$TMP/orgs.csv" >/dev/null
m campaign create --instrument "$INS" --title "Replies" \
	--opens 2020-01-01 --closes 2099-12-31 --target "kind = 'hospital'" >/dev/null
m campaign invite 1 --out "$TMP/inv.csv" >/dev/null 2>&1
CODE=$(tr -d '\r' < "$TMP/inv.csv" | awk -F, '$1 == "H001" { print $4 }')
"$MAMORI" vpnlog audit --year 2024 --allow 10.0.0.0/8 --json \
	"$SRC/tests/data/evidence/fortigate.log" > "$TMP/audit.json" || true
m evidence attach 1 H001 "$TMP/audit.json" >/dev/null

serve_start
trap 'kill -TERM "$PID" 2>/dev/null; rm -rf "$TMP"' EXIT
check "the server answers" curl -sf -o /dev/null "$B/login"

J='Content-Type: application/json'
CSRF=$(curl -s -c "$TMP/jar" -H "$J" \
	-d "{\"organisation\":\"H001\",\"access_code\":\"$CODE\"}" \
	"$B/api/v1/login" | sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p')
R=$B/api/v1/campaigns/1/response

# put QUERY BODY OUT: the status; the reply in OUT
put() {
	curl -s -o "$3" -w '%{http_code}' -b "$TMP/jar" -X PUT -H "$J" \
		-H "X-CSRF-Token: $CSRF" -d "$2" "$R$1"
}
get() { curl -s -o "$2" -b "$TMP/jar" "$R$1"; }

check_out "a first draft is saved" 200 put "" \
	'{"revision":0,"answers":{"respondent_name":"山田 \"花子\"","q5_ehr":"yes","q10_vpn":"yes","q11_vpn_devices":[{"maker":"A","units":2}]}}' \
	"$TMP/put1"
get "" "$TMP/get1"
check "its reply is the response as read after it" cmp "$TMP/put1" "$TMP/get1"
check_grep "with the engine's messages in Japanese" '"回答が必要です"' cat "$TMP/put1"
check_grep "and the campaign's population" '"population":3' cat "$TMP/put1"
check_grep "and the time it was saved" '"saved_at":"20' cat "$TMP/put1"

check_out "a draft saved with lang=en" 200 put "?lang=en" \
	'{"revision":1,"answers":{"respondent_name":"<b>Y</b>","q5_ehr":"no","q10_vpn":"yes","q11_vpn_devices":[{"maker":"A","units":2},{"maker":"B","units":-1}],"x_other":1.5}}' \
	"$TMP/put2"
get "?lang=en" "$TMP/get2"
check "its reply is the response as read in English" cmp "$TMP/put2" "$TMP/get2"
check_grep "with the engine's messages in English" '"an answer is required"' cat "$TMP/put2"
check_grep "with its repeat rows' errors" 'q11_vpn_devices\[2\]' cat "$TMP/put2"

check_out "a stale save is refused" 409 put "" '{"revision":1,"answers":{}}' "$TMP/stale"
check_out "answers of the wrong type are saved as a draft" 200 put "" \
	'{"revision":2,"answers":{"respondent_name":1e3,"q5_ehr":"maybe"}}' "$TMP/put3"
get "" "$TMP/get3"
check "their reply is the response as read after it" cmp "$TMP/put3" "$TMP/get3"
check_grep "with the errors of the saved answers" '"wrong_type".*"not_in_list"' cat "$TMP/put3"
check_grep "at the revision after the refusal" '"revision":3,' cat "$TMP/put3"

# the form page: the evidence in the page's snapshot, the same twice
curl -s -b "$TMP/jar" -o "$TMP/form1" "$B/campaigns/1/form"
curl -s -b "$TMP/jar" -o "$TMP/form2" "$B/campaigns/1/form"
check_grep "the form shows what the evidence proposes" 'class="evidence"' cat "$TMP/form1"
check "the form is the same on the next view" cmp "$TMP/form1" "$TMP/form2"
check_grep "the form shows the saved answers" 'name="respondent_name" value="1000"' cat "$TMP/form1"
check_out "nothing went wrong in the server" "" \
	sh -c "grep -v 'listening on' '$TMP/server.log' | grep 'mamori: ' || true"
finish
