#!/bin/sh
# reports.sh - more than one response per organisation on the web, on
# 127.0.0.1 with its own database: an always-open campaign of incident
# reports (each a new report, numbered 1, 2, ...) and a checklist campaign
# with vendor forms beside the facility form. Two organisations create,
# save, submit and amend their own through the JSON API and the pages;
# refused: another organisation's number, a number not created yet, a
# closed campaign, a missing CSRF token, a stale revision. The regulator
# sees every report and vendor form with its revisions.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/serve.sh"
DB=$TMP/m.db
INC=$SRC/instruments/mhlw/incident-report.yaml
FAC=$SRC/instruments/mhlw/medical-checklist-2025.yaml
VEN=$SRC/instruments/mhlw/medical-checklist-2025-vendor.yaml
EX=$SRC/tests/data/bundled
m() { "$MAMORI" "$@" --db "$DB"; }

m init >/dev/null 2>&1
printf 'id,name,kind,prefecture,beds\nH001,Alpha,hospital,13,120\nH002,Beta,hospital,27,30\nH003,Gamma,hospital,01,50\n' > "$TMP/orgs.csv"
m org import "$TMP/orgs.csv" >/dev/null
m campaign create --instrument "$INC" --title "Incidents" --opens 2020-01-01 \
	--always-open --repeatable --target "kind = 'hospital'" >/dev/null
m campaign create --instrument "$FAC" --forms "$VEN" --title "Checklist" \
	--opens 2020-01-01 --closes 2099-12-31 --target "kind = 'hospital'" >/dev/null
m campaign create --instrument "$INC" --title "Incidents (closing)" \
	--opens 2020-01-01 --closes 2099-12-31 --repeatable --target "kind = 'hospital'" >/dev/null
for c in 1 2 3; do m campaign invite $c --out "$TMP/inv$c.csv" >/dev/null 2>&1; done
code() { tr -d '\r' < "$TMP/inv$1.csv" | awk -F, -v o="$2" '$1 == o { print $4 }'; }
printf 'regulator pass 1\n' | m user add bob --role regulator >/dev/null

serve_start
trap 'kill -TERM "$PID" 2>/dev/null; rm -rf "$TMP"' EXIT
check "the server answers" curl -sf -o /dev/null "$B/login"

J='Content-Type: application/json'
F='Content-Type: application/x-www-form-urlencoded'
login() {	# JAR CAMPAIGN ORG -> status; csrf in JAR.csrf
	s=$(st "$TMP/login" "$1" POST /api/v1/login -H "$J" \
		-d "{\"organisation\":\"$3\",\"access_code\":\"$(code "$2" "$3")\"}")
	sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p' "$TMP/login" > "$1.csrf"
	echo "$s"
}
is() { name=$1; want=$2; got=$3
	if [ "$got" = "$want" ]; then _ok "$name"; else _notok "$name" "status $got, wanted $want"; fi; }
loc() { sed -n 's/^Location: \([^\r]*\).*/\1/p' "$TMP/o.h"; }
body() { cat "$TMP/o"; }

is "H001 signs in to the incident reports" 200 "$(login "$TMP/a1" 1 H001)"
is "H002 signs in to the incident reports" 200 "$(login "$TMP/b1" 1 H002)"
is "H001 signs in to the checklist" 200 "$(login "$TMP/a2" 2 H001)"
is "H002 signs in to the checklist" 200 "$(login "$TMP/b2" 2 H002)"
is "H001 signs in to the closing campaign" 200 "$(login "$TMP/a3" 3 H001)"
is "the regulator signs in" 200 "$(st "$TMP/o" "$TMP/reg" POST /api/v1/login -H "$J" -d '{"user":"bob","password":"regulator pass 1"}')"
TR=$(sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p' "$TMP/o")
TA1=$(cat "$TMP/a1.csrf"); TB1=$(cat "$TMP/b1.csrf")
TA2=$(cat "$TMP/a2.csrf"); TB2=$(cat "$TMP/b2.csrf"); TA3=$(cat "$TMP/a3.csrf")
INCIDENT=$(python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1])), ensure_ascii=False))' "$EX/incident-report/example.json")
VENDOR=$(python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1])), ensure_ascii=False))' "$EX/medical-checklist-2025-vendor/example.json")

is "the campaigns of H001's session" 200 "$(st "$TMP/o" "$TMP/a1" GET /api/v1/campaigns)"
check_grep "... say it takes reports" '"numbered":"reports"' body
st "$TMP/o" "$TMP/a2" GET /api/v1/campaigns >/dev/null
check_grep "... and the checklist additional forms" '"numbered":"forms"' body

# ---- reports through the API --------------------------------------------------
is "no reports yet" 200 "$(st "$TMP/o" "$TMP/a1" GET /api/v1/campaigns/1/reports)"
check_grep "... an empty list of reports" '"kind":"report".*"reports":\[\]' body
is "a new report: 201" 201 "$(st "$TMP/o" "$TMP/a1" POST /api/v1/campaigns/1/reports -H "X-CSRF-Token: $TA1")"
check_grep "... numbered 1, a draft at revision 1" '"number":1' body
check_grep "... a draft" '"state":"draft"' body
is "save report 1" 200 "$(st "$TMP/o" "$TMP/a1" PUT '/api/v1/campaigns/1/reports?number=1' -H "$J" -H "X-CSRF-Token: $TA1" -d '{"revision":1,"answers":{"reporter_name":"Secret-Alpha-Reporter"}}')"
check_grep "... revision 2" '"revision":2' body
check_grep "... checked against the incident report (its errors)" '"item":"report_kind","code":"required"' body
is "stale save of report 1: 409" 409 "$(st "$TMP/o" "$TMP/a1" PUT '/api/v1/campaigns/1/reports?number=1' -H "$J" -H "X-CSRF-Token: $TA1" -d '{"revision":1,"answers":{}}')"
check_grep "... says stale" '"error":"stale"' body
is "submit report 1 invalid: 422" 422 "$(st "$TMP/o" "$TMP/a1" POST '/api/v1/campaigns/1/reports/submit?number=1' -H "X-CSRF-Token: $TA1")"
check_grep "... with the engine's errors" '"item":"report_kind"' body
is "submit report 1 with answers" 200 "$(st "$TMP/o" "$TMP/a1" POST '/api/v1/campaigns/1/reports/submit?number=1' -H "$J" -H "X-CSRF-Token: $TA1" -d "{\"revision\":2,\"answers\":$INCIDENT}")"
check_grep "... submitted, revision 3" '"state":"submitted","revision":3,"submitted_revision":3' body
is "check answers of report 1 without saving" 200 "$(st "$TMP/o" "$TMP/a1" POST '/api/v1/campaigns/1/reports/check?number=1' -H "$J" -H "X-CSRF-Token: $TA1" -d '{"answers":{}}')"
check_grep "... the engine's verdict" '"valid":false' body
is "a second report" 201 "$(st "$TMP/o" "$TMP/a1" POST /api/v1/campaigns/1/reports -H "$J" -H "X-CSRF-Token: $TA1" -d '{"revision":0,"answers":{"reporter_name":"Second"}}')"
check_grep "... numbered 2" '"number":2' body
is "amend report 1 after its submission" 200 "$(st "$TMP/o" "$TMP/a1" PUT '/api/v1/campaigns/1/reports?number=1' -H "$J" -H "X-CSRF-Token: $TA1" -d "{\"revision\":3,\"answers\":$(echo "$INCIDENT" | sed 's/"people_affected": 85000/"people_affected": 91234/')}")"
check_grep "... still submitted (revision 3 counts) with a new draft" '"state":"submitted","revision":4,"submitted_revision":3' body
is "... and submit the amendment" 200 "$(st "$TMP/o" "$TMP/a1" POST '/api/v1/campaigns/1/reports/submit?number=1' -H "X-CSRF-Token: $TA1")"
check_grep "... now revision 5 counts" '"submitted_revision":5' body
is "the list of H001's reports" 200 "$(st "$TMP/o" "$TMP/a1" GET /api/v1/campaigns/1/reports)"
check_grep "... report 1 submitted, report 2 a draft" '"number":1,.*"state":"submitted".*"number":2,.*"state":"draft"' body
is "read report 2" 200 "$(st "$TMP/o" "$TMP/a1" GET '/api/v1/campaigns/1/reports?number=2')"
check_grep "... its own answers" '"reporter_name":"Second"' body
is "no response 0 in a campaign of reports" 404 "$(st "$TMP/o" "$TMP/a1" GET /api/v1/campaigns/1/response)"

# ---- refusals ---------------------------------------------------------------------
is "number not created yet: read 404" 404 "$(st "$TMP/o" "$TMP/a1" GET '/api/v1/campaigns/1/reports?number=3')"
is "number not created yet: save 404" 404 "$(st "$TMP/o" "$TMP/a1" PUT '/api/v1/campaigns/1/reports?number=3' -H "$J" -H "X-CSRF-Token: $TA1" -d '{"revision":0,"answers":{}}')"
is "number not created yet: submit 404" 404 "$(st "$TMP/o" "$TMP/a1" POST '/api/v1/campaigns/1/reports/submit?number=3' -H "$J" -H "X-CSRF-Token: $TA1" -d "{\"revision\":0,\"answers\":$INCIDENT}")"
is "number 0: 404" 404 "$(st "$TMP/o" "$TMP/a1" GET '/api/v1/campaigns/1/reports?number=0')"
is "number not a number: 404" 404 "$(st "$TMP/o" "$TMP/a1" GET '/api/v1/campaigns/1/reports?number=1x')"
is "save without a number: 404" 404 "$(st "$TMP/o" "$TMP/a1" PUT /api/v1/campaigns/1/reports -H "$J" -H "X-CSRF-Token: $TA1" -d '{"revision":0,"answers":{}}')"
is "create without the CSRF token: 403" 403 "$(st "$TMP/o" "$TMP/a1" POST /api/v1/campaigns/1/reports)"
is "save without the CSRF token: 403" 403 "$(st "$TMP/o" "$TMP/a1" PUT '/api/v1/campaigns/1/reports?number=2' -H "$J" -d '{"revision":1,"answers":{}}')"
is "submit with another session's token: 403" 403 "$(st "$TMP/o" "$TMP/a1" POST '/api/v1/campaigns/1/reports/submit?number=2' -H "X-CSRF-Token: $TB1")"
is "the page's new report without the token: 403" 403 "$(st "$TMP/o" "$TMP/a1" POST /campaigns/1/reports -H "$F" -d 'x=1')"
is "create with a revision: 400" 400 "$(st "$TMP/o" "$TMP/a1" POST /api/v1/campaigns/1/reports -H "$J" -H "X-CSRF-Token: $TA1" -d '{"revision":3,"answers":{}}')"
is "reports of another campaign: 404" 404 "$(st "$TMP/o" "$TMP/a1" GET /api/v1/campaigns/2/reports)"
is "create in another campaign: 404" 404 "$(st "$TMP/o" "$TMP/a1" POST /api/v1/campaigns/2/reports -H "X-CSRF-Token: $TA1")"
is "reports of a campaign of one response: 404" 404 "$(st "$TMP/o" "$TMP/a2" GET '/api/v1/campaigns/2/reports?number=1')"

# ---- one organisation against another ----------------------------------------------
is "H002 has no reports" 200 "$(st "$TMP/o" "$TMP/b1" GET /api/v1/campaigns/1/reports)"
check_grep "... an empty list" '"reports":\[\]' body
is "H002 cannot read report 1 (H001's)" 404 "$(st "$TMP/o" "$TMP/b1" GET '/api/v1/campaigns/1/reports?number=1')"
is "H002 cannot write report 2 (H001's)" 404 "$(st "$TMP/o" "$TMP/b1" PUT '/api/v1/campaigns/1/reports?number=2' -H "$J" -H "X-CSRF-Token: $TB1" -d '{"revision":1,"answers":{"reporter_name":"Intruder"}}')"
is "H002 cannot submit report 1 (H001's)" 404 "$(st "$TMP/o" "$TMP/b1" POST '/api/v1/campaigns/1/reports/submit?number=1' -H "X-CSRF-Token: $TB1")"
is "H002's own first report" 201 "$(st "$TMP/o" "$TMP/b1" POST /api/v1/campaigns/1/reports -H "X-CSRF-Token: $TB1")"
check_grep "... numbered 1 for H002" '"number":1' body
st "$TMP/o" "$TMP/b1" GET '/api/v1/campaigns/1/reports?number=1' >/dev/null
check_exit 1 "... and never shows H001's answers" grep -q Secret-Alpha "$TMP/o"
st "$TMP/o" "$TMP/a1" GET '/api/v1/campaigns/1/reports?number=2' >/dev/null
check_exit 1 "H002's attempt did not touch H001's report 2" grep -q Intruder "$TMP/o"
# every numbered route, as H002, at a number only H001 has
"$MAMORI" serve --routes > "$TMP/routes"
WALK_BAD=0; WALK_N=0
while read -r meth pat rest; do
	case $pat in */reports*) ;; *) continue ;; esac
	case " $rest " in *" respondent "*) ;; *) continue ;; esac
	[ "$pat" = /campaigns/{campaign}/reports ] && continue	# creates
	[ "$pat" = /api/v1/campaigns/{campaign}/reports ] && [ "$meth" = POST ] && continue
	path=$(printf '%s' "$pat" | sed 's/{campaign}/1/')
	case $pat in
	/api/*) set -- -H "$J" -H "X-CSRF-Token: $TB1" -d '{"revision":1,"answers":{"reporter_name":"Intruder"}}' ;;
	*) set -- -H "$F" -d "csrf=$TB1&revision=1&reporter_name=Intruder&action=save" ;;
	esac
	[ "$meth" = GET ] && set --
	s=$(st "$TMP/o" "$TMP/b1" "$meth" "$path?number=2" "$@")
	WALK_N=$((WALK_N + 1))
	if [ "$s" != 404 ] || grep -q Secret-Alpha "$TMP/o"; then
		WALK_BAD=$((WALK_BAD + 1)); echo "# walk: $meth $path?number=2 -> $s"
	fi
done < "$TMP/routes"
is "every numbered route refuses H002 at H001's number ($WALK_N routes)" 0 "$WALK_BAD"
check "... and the walk covered the pages and the API" test "$WALK_N" -ge 9
st "$TMP/o" "$TMP/a1" GET '/api/v1/campaigns/1/reports?number=2' >/dev/null
check_exit 1 "... which wrote nothing into H001's report" grep -q Intruder "$TMP/o"

# ---- reports on the pages ----------------------------------------------------------
is "the campaigns page" 200 "$(st "$TMP/o" "$TMP/a1" GET '/campaigns?lang=en')"
check_grep "... lists the reports" '<h3 id="reports-1">Reports</h3>' body
check_grep "... report 1, submitted, with its time and link" '<tr><th scope="row">1</th><td>submitted</td><td><time datetime="20[0-9-]*T[0-9:]*+09:00">.*</time></td><td><a href="/campaigns/1/reports/form?number=1&amp;lang=en">Open</a>' body
check_grep "... offers a new report (POST, CSRF)" "<form method=\"post\" action=\"/campaigns/1/reports?lang=en\"><input type=\"hidden\" name=\"csrf\" value=\"$TA1\"><button type=\"submit\">New report</button>" body
check_exit 1 "... and no form of its own" grep -q 'href="/campaigns/1/form' "$TMP/o"
check_exit 1 "... nor a close date (always open)" grep -q 'closes' "$TMP/o"
is "new report from the page" 303 "$(st "$TMP/o" "$TMP/a1" POST '/campaigns/1/reports?lang=en' -H "$F" -d "csrf=$TA1")"
is "... opens the form of report 3" "/campaigns/1/reports/form?number=3&lang=en" "$(loc)"
is "the form of report 3" 200 "$(st "$TMP/o" "$TMP/a1" GET '/campaigns/1/reports/form?number=3&lang=en')"
check_grep "... says which report" '<strong>Report 3</strong>' body
check_grep "... posts to its own number" 'action="/campaigns/1/reports/form?number=3&amp;lang=en"' body
check_grep "... its live check too" 'data-check="/campaigns/1/reports/form/check?number=3&amp;lang=en"' body
check_grep "... the language switch keeps the number" 'href="/campaigns/1/reports/form?number=3&amp;lang=ja"' body
check_grep "... the incident report's questions" 'name="reporter_name"' body
is "save report 3 from the page" 303 "$(st "$TMP/o" "$TMP/a1" POST '/campaigns/1/reports/form?number=3' -H "$F" -d "csrf=$TA1&revision=1&reporter_name=Paged&action=save")"
is "... back to its form" "/campaigns/1/reports/form?number=3&saved=1" "$(loc)"
is "stale page save: 303" 303 "$(st "$TMP/o" "$TMP/a1" POST '/campaigns/1/reports/form?number=3' -H "$F" -d "csrf=$TA1&revision=1&reporter_name=Old&action=save")"
is "... marked stale" "/campaigns/1/reports/form?number=3&stale=1" "$(loc)"
is "page save without the token: 403" 403 "$(st "$TMP/o" "$TMP/a1" POST '/campaigns/1/reports/form?number=3' -H "$F" -d "revision=2&reporter_name=X&action=save")"
is "the live check of report 3" 200 "$(st "$TMP/o" "$TMP/a1" POST '/campaigns/1/reports/form/check?number=3' -H "$F" -d "csrf=$TA1&reporter_name=Y")"
check_grep "... JSON for the script" '"items":' body
is "the review of report 3 (invalid)" 200 "$(st "$TMP/o" "$TMP/a1" GET '/campaigns/1/reports/review?number=3')"
check_exit 1 "... offers no submission" grep -q 'action="/campaigns/1/reports/submit' "$TMP/o"
check_grep "... links errors to its form" '<li><a href="/campaigns/1/reports/form?number=3#q_' body
st "$TMP/o" "$TMP/a1" PUT '/api/v1/campaigns/1/reports?number=3' -H "$J" -H "X-CSRF-Token: $TA1" -d "{\"revision\":2,\"answers\":$INCIDENT}" >/dev/null
is "the review of report 3 (valid)" 200 "$(st "$TMP/o" "$TMP/a1" GET '/campaigns/1/reports/review?number=3')"
check_grep "... offers its submission" 'action="/campaigns/1/reports/submit?number=3"' body
is "submit report 3 from the page" 303 "$(st "$TMP/o" "$TMP/a1" POST '/campaigns/1/reports/submit?number=3' -H "$F" -d "csrf=$TA1&revision=3")"
is "... to its receipt" "/campaigns/1/reports/receipt?number=3" "$(loc)"
is "the receipt of report 3" 200 "$(st "$TMP/o" "$TMP/a1" GET '/campaigns/1/reports/receipt?number=3&lang=en')"
check_grep "... with time and revision" '<dt>Submitted at</dt><dd><time datetime="[^"]*">[^<]*</time></dd><dt>Revision</dt><dd>4</dd>' body
check_grep "... naming the report" '<strong>Report 3</strong>' body
check_grep "... and Japanese by default" '<dt>提出日時</dt>' curl -s -b "$TMP/a1" "$B/campaigns/1/reports/receipt?number=3"
is "stale page submission: 303" 303 "$(st "$TMP/o" "$TMP/a1" POST '/campaigns/1/reports/submit?number=3' -H "$F" -d "csrf=$TA1&revision=2")"
is "... back to the form, marked stale" "/campaigns/1/reports/form?number=3&stale=1" "$(loc)"
is "H002: the form of H001's report 3: 404" 404 "$(st "$TMP/o" "$TMP/b1" GET '/campaigns/1/reports/form?number=3')"
is "H002: its own report 1's form" 200 "$(st "$TMP/o" "$TMP/b1" GET '/campaigns/1/reports/form?number=1')"
check_exit 1 "... shows nothing of H001" grep -q 'Secret-Alpha\|Paged' "$TMP/o"
is "the page of a number not created: 404" 404 "$(st "$TMP/o" "$TMP/a1" GET '/campaigns/1/reports/form?number=99')"
is "the one form of a campaign of reports: 404" 404 "$(st "$TMP/o" "$TMP/a1" GET /campaigns/1/form)"

# ---- vendor forms beside the facility form ---------------------------------------------
is "the checklist on the campaigns page" 200 "$(st "$TMP/o" "$TMP/a2" GET '/campaigns?lang=en')"
check_grep "... the facility form at its usual place" 'href="/campaigns/2/form?lang=en"' body
check_grep "... vendor forms beside it" '<h3 id="reports-2">Vendor forms</h3>' body
check_grep "... none yet" 'None yet.' body
check_grep "... with a button to add one" '<button type="submit">Add a vendor form</button>' body
check_grep "... which shows the close date" 'closes' body
is "the facility form saves as before" 200 "$(st "$TMP/o" "$TMP/a2" PUT /api/v1/campaigns/2/response -H "$J" -H "X-CSRF-Token: $TA2" -d '{"revision":0,"answers":{"has_mis":"yes","vendor_count":2}}')"
is "add a vendor form from the page" 303 "$(st "$TMP/o" "$TMP/a2" POST /campaigns/2/reports -H "$F" -d "csrf=$TA2")"
is "... its form" "/campaigns/2/reports/form?number=1" "$(loc)"
is "the vendor form's page" 200 "$(st "$TMP/o" "$TMP/a2" GET '/campaigns/2/reports/form?number=1&lang=en')"
check_grep "... names it" '<strong>Vendor form 1</strong>' body
check_grep "... the vendor form's questions" 'name="vendor_name"' body
check_exit 1 "... not the facility's" grep -q 'name="vendor_count"' "$TMP/o"
is "save the vendor form with the facility's answers" 200 "$(st "$TMP/o" "$TMP/a2" PUT '/api/v1/campaigns/2/reports?number=1' -H "$J" -H "X-CSRF-Token: $TA2" -d '{"revision":1,"answers":{"vendor_name":"Secret-Vendor-Alpha"}}')"
is "submit it incomplete: 422" 422 "$(st "$TMP/o" "$TMP/a2" POST '/api/v1/campaigns/2/reports/submit?number=1' -H "X-CSRF-Token: $TA2")"
check_grep "... validated against the vendor form" '"item":"facility_name","code":"required"' body
is "submit the vendor form" 200 "$(st "$TMP/o" "$TMP/a2" POST '/api/v1/campaigns/2/reports/submit?number=1' -H "$J" -H "X-CSRF-Token: $TA2" -d "{\"revision\":2,\"answers\":$VENDOR}")"
check_grep "... submitted" '"state":"submitted"' body
is "a second vendor form (API)" 201 "$(st "$TMP/o" "$TMP/a2" POST /api/v1/campaigns/2/reports -H "X-CSRF-Token: $TA2")"
check_grep "... numbered 2" '"number":2' body
is "H002 cannot read H001's vendor form" 404 "$(st "$TMP/o" "$TMP/b2" GET '/api/v1/campaigns/2/reports?number=1')"
is "H002 cannot open its page" 404 "$(st "$TMP/o" "$TMP/b2" GET '/campaigns/2/reports/form?number=1')"
is "H002 cannot write it" 404 "$(st "$TMP/o" "$TMP/b2" POST '/campaigns/2/reports/form?number=2' -H "$F" -d "csrf=$TB2&revision=1&vendor_name=Intruder&action=save")"
is "H002's list of vendor forms" 200 "$(st "$TMP/o" "$TMP/b2" GET /api/v1/campaigns/2/reports)"
check_grep "... is its own (empty)" '"kind":"form".*"reports":\[\]' body

# ---- the regulator ---------------------------------------------------------------------
is "H001 cannot use the regulator's view" 403 "$(st "$TMP/o" "$TMP/a1" GET '/campaigns/1/responses/H001/reports?number=1')"
is "H001 cannot use the regulator's API" 403 "$(st "$TMP/o" "$TMP/a1" GET /api/v1/campaigns/1/responses/H001/reports)"
is "the regulator: H001's reports" 200 "$(st "$TMP/o" "$TMP/reg" GET '/campaigns/1/responses/H001?lang=en')"
check_grep "... each with a link" 'href="/campaigns/1/responses/H001/reports?number=3&amp;lang=en"' body
is "the regulator: report 1 of H001" 200 "$(st "$TMP/o" "$TMP/reg" GET '/campaigns/1/responses/H001/reports?number=1&lang=en')"
check_grep "... its answers, amended" '<dd>91234</dd>' body
check_grep "... read-only" '<strong>Report 1</strong>' body
check_exit 1 "... no form to change its answers" sh -c "grep 'action=\"/campaigns' '$TMP/o' | grep -qv '/reopen'"
check_grep "... but one to return it" '<form method="post" action="/campaigns/1/responses/H001/reopen?number=1&amp;lang=en"><input type="hidden" name="csrf"' body
check_grep "... its revisions" '<h2>Revisions</h2>' body
check_grep "... the amendment's submission among them" '<tr><th scope="row">5</th><td>submission</td><td>yes</td><td>org:H001</td>' body
check_grep "... and the organisation's other reports" '<tr class="current"><th scope="row">1</th>' body
is "the regulator: report 9 of H001: 404" 404 "$(st "$TMP/o" "$TMP/reg" GET '/campaigns/1/responses/H001/reports?number=9')"
is "the regulator's API: H001's reports" 200 "$(st "$TMP/o" "$TMP/reg" GET /api/v1/campaigns/1/responses/H001/reports)"
check_grep "... three" '"number":3' body
is "the regulator's API: report 1 with its history" 200 "$(st "$TMP/o" "$TMP/reg" GET '/api/v1/campaigns/1/responses/H001/reports?number=1')"
check_grep "... five revisions" '"history":\[{"revision":1,.*{"revision":5,"kind":"submit"' body
is "the regulator: H001's checklist" 200 "$(st "$TMP/o" "$TMP/reg" GET '/campaigns/2/responses/H001?lang=en')"
check_grep "... lists the facility form and the vendor forms" '<th scope="row">Facility form</th>.*<th scope="row">1</th><td>submitted</td>' sh -c "tr -d '\n' < '$TMP/o'"
is "the regulator: vendor form 1" 200 "$(st "$TMP/o" "$TMP/reg" GET '/campaigns/2/responses/H001/reports?number=1&lang=en')"
check_grep "... the vendor's answers" '株式会社メディカルシステム例' body

# ---- feedback in a campaign of reports: the latest submitted report ----------------------------
m campaign publish 1 >/dev/null
is "H001's feedback in the incident reports" 200 "$(st "$TMP/o" "$TMP/a1" GET '/campaigns/1/feedback?lang=en')"
check_grep "... the report inside" '<div class="report report-feedback" lang="en">' body
cp "$TMP/o" "$TMP/fb1.html"
m report feedback 1 H001 --lang en -o "$TMP/cli-fb1.html"
check "... the command line's report of H001 inside it, byte for byte" python3 -c '
import sys
page, cli = open(sys.argv[1], encoding="utf-8").read(), open(sys.argv[2], encoding="utf-8").read()
body = cli[cli.index("<body>") + 6:cli.rindex("</body>")]
sys.exit(0 if body.strip() and body in page else 1)' "$TMP/fb1.html" "$TMP/cli-fb1.html"
is "H003 signs in to the incident reports" 200 "$(login "$TMP/c1" 1 H003)"
is "H003 (no report submitted): 404" 404 "$(st "$TMP/o" "$TMP/c1" GET '/campaigns/1/feedback?lang=en')"

# ---- a closed campaign -------------------------------------------------------------------
is "a report in the closing campaign" 201 "$(st "$TMP/o" "$TMP/a3" POST /api/v1/campaigns/3/reports -H "X-CSRF-Token: $TA3")"
is "... submitted before the close" 200 "$(st "$TMP/o" "$TMP/a3" POST '/api/v1/campaigns/3/reports/submit?number=1' -H "$J" -H "X-CSRF-Token: $TA3" -d "{\"revision\":1,\"answers\":$INCIDENT}")"
m campaign close 3 >/dev/null
is "closed: no new report: 409" 409 "$(st "$TMP/o" "$TMP/a3" POST /api/v1/campaigns/3/reports -H "X-CSRF-Token: $TA3")"
check_grep "... says closed" '"error":"closed"' body
is "closed: no new report from the page: 409" 409 "$(st "$TMP/o" "$TMP/a3" POST /campaigns/3/reports -H "$F" -d "csrf=$TA3")"
is "closed: no save: 409" 409 "$(st "$TMP/o" "$TMP/a3" PUT '/api/v1/campaigns/3/reports?number=1' -H "$J" -H "X-CSRF-Token: $TA3" -d '{"revision":1,"answers":{}}')"
is "closed: no submission: 409" 409 "$(st "$TMP/o" "$TMP/a3" POST '/api/v1/campaigns/3/reports/submit?number=1' -H "$J" -H "X-CSRF-Token: $TA3" -d "{\"revision\":1,\"answers\":$INCIDENT}")"
is "closed: the report's form still opens" 200 "$(st "$TMP/o" "$TMP/a3" GET '/campaigns/3/reports/form?number=1&lang=en')"
check_grep "... saying it is closed" 'This survey is closed' body
check_exit 1 "... with no save" grep -q 'value="save"' "$TMP/o"
st "$TMP/o" "$TMP/a3" GET '/campaigns?lang=en' >/dev/null
check_exit 1 "closed: the campaigns page offers no new report" grep -q "<button type=\"submit\">New report</button>" "$TMP/o"


# ---- the regulator returns a submitted report ----------------------------------------------
is "H001 cannot return its own report" 403 "$(st "$TMP/o" "$TMP/a3" POST '/api/v1/campaigns/3/responses/H001/reopen?number=1' -H "X-CSRF-Token: $TA3")"
is "the regulator: no token, no return" 403 "$(st "$TMP/o" "$TMP/reg" POST '/api/v1/campaigns/3/responses/H001/reopen?number=1')"
is "the regulator: a report not created: 404" 404 "$(st "$TMP/o" "$TMP/reg" POST '/api/v1/campaigns/3/responses/H001/reopen?number=7' -H "X-CSRF-Token: $TR")"
is "... nor of an organisation not in the campaign" 404 "$(st "$TMP/o" "$TMP/reg" POST '/api/v1/campaigns/3/responses/NOPE99/reopen?number=1' -H "X-CSRF-Token: $TR")"
is "... a bad number: 404" 404 "$(st "$TMP/o" "$TMP/reg" POST '/api/v1/campaigns/3/responses/H001/reopen?number=x' -H "X-CSRF-Token: $TR")"
is "the regulator returns report 1 of the closed campaign" 200 "$(st "$TMP/o" "$TMP/reg" POST '/api/v1/campaigns/3/responses/H001/reopen?number=1' -H "X-CSRF-Token: $TR")"
check_grep "... now reopened, a new revision" '"number":1,"state":"reopened","revision":3' body
is "... twice: 409, it is no longer submitted" 409 "$(st "$TMP/o" "$TMP/reg" POST '/api/v1/campaigns/3/responses/H001/reopen?number=1' -H "X-CSRF-Token: $TR")"
is "closed, but returned: H001 saves" 200 "$(st "$TMP/o" "$TMP/a3" PUT '/api/v1/campaigns/3/reports?number=1' -H "$J" -H "X-CSRF-Token: $TA3" -d "{\"revision\":3,\"answers\":$INCIDENT}")"
is "... and submits again" 200 "$(st "$TMP/o" "$TMP/a3" POST '/api/v1/campaigns/3/reports/submit?number=1' -H "$J" -H "X-CSRF-Token: $TA3" -d "{\"revision\":4,\"answers\":$INCIDENT}")"
check_grep "... submitted" '"state":"submitted"' body
is "... then closed for it again: no save" 409 "$(st "$TMP/o" "$TMP/a3" PUT '/api/v1/campaigns/3/reports?number=1' -H "$J" -H "X-CSRF-Token: $TA3" -d "{\"revision\":5,\"answers\":$INCIDENT}")"
is "the page's return button: 303" 303 "$(st "$TMP/o" "$TMP/reg" POST '/campaigns/3/responses/H001/reopen?number=1&lang=en' -H "$F" -d "csrf=$TR")"
is "... back to the report's view" "/campaigns/3/responses/H001/reports?number=1&lang=en" "$(loc)"
is "which says reopened" 200 "$(st "$TMP/o" "$TMP/reg" GET '/campaigns/3/responses/H001/reports?number=1&lang=en')"
check_grep "... in its revisions" '<tr><th scope="row">6</th><td>reopened</td>' body
check_exit 1 "... with no return button now" grep -q '/reopen' "$TMP/o"
is "the page without its token: 403" 403 "$(st "$TMP/o" "$TMP/reg" POST '/campaigns/1/responses/H001/reopen?number=2' -H "$F" -d "csrf=0")"
is "a draft cannot be returned: 409" 409 "$(st "$TMP/o" "$TMP/reg" POST '/api/v1/campaigns/2/responses/H001/reopen?number=2' -H "X-CSRF-Token: $TR")"
is "the facility form (number 0) of the checklist: not submitted, 409" 409 "$(st "$TMP/o" "$TMP/reg" POST /api/v1/campaigns/2/responses/H001/reopen -H "X-CSRF-Token: $TR")"
check_grep "audit: the return names the report" 'response.reopen.*campaign:3/H001/1' m audit
check_grep "audit: the report's number in the object" 'campaign:1/H001/3' m audit
kill -TERM "$PID"
wait "$PID"; rc=$?
is "the server stops with status 0 (nothing leaked)" 0 "$rc"
finish
