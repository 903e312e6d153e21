#!/bin/sh
# results.sh - a campaign's results on the web, against the real server on
# 127.0.0.1 with a small hand-made campaign (tests/data/analysis/tiny.yaml,
# four hospitals in three prefectures, three of them submitted): the
# regulator's national summary and one prefecture's tables with the right
# numbers, the dashboard's tile map, respondents kept out of them; the
# results published and withdrawn (web form with its CSRF token, and the
# command line), audited; before publication a respondent's feedback page
# is 404, after it its own report and never another organisation's; no
# inline style or script anywhere (the server's CSP allows none); the
# analyses the server keeps between pages follow every submission,
# amendment and organisation moved, and the feedback page is the command
# line's report.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/serve.sh"
DB=$TMP/r.db
INS=$SRC/tests/data/analysis/tiny.yaml
m() { "$MAMORI" "$@" --db "$DB"; }

m init >/dev/null 2>&1
printf 'id,name,kind,prefecture,beds\nH001,Alpha Hospital,hospital,13,120\nH002,Beta Clinic,hospital,27,30\nH003,Gamma,hospital,01,50\nH004,Delta,hospital,13,80\nB001,Bank,bank,13,\n' > "$TMP/orgs.csv"
m org import "$TMP/orgs.csv" >/dev/null
m campaign create --instrument "$INS" --title "Tiny 2022" \
	--opens 2020-01-01 --closes 2099-12-31 --target "kind = 'hospital'" >/dev/null
m campaign create --instrument "$INS" --title "Other" \
	--opens 2020-01-01 --closes 2099-12-31 --target "id = 'H002'" >/dev/null
m campaign invite 1 --out "$TMP/inv1.csv" >/dev/null 2>&1
m campaign invite 2 --out "$TMP/inv2.csv" >/dev/null 2>&1
code() { tr -d '\r' < "$TMP/inv$1.csv" | awk -F, -v o="$2" '$1 == o { print $4 }'; }
C1=$(code 1 H001); C2=$(code 1 H002); C3=$(code 1 H003); C22=$(code 2 H002)
printf 'regulator pass 1\n' | m user add bob --role regulator >/dev/null
printf 'admin password 2\n' | m user add alice --role admin >/dev/null
# Tokyo: H001 yes/yes, H004 no; Osaka: H002 yes/no; Hokkaido: H003 none
echo '{"q1":"yes","q2":"yes","staff":3}' > "$TMP/a1.json"
echo '{"q1":"yes","q2":"no","staff":1}' > "$TMP/a2.json"
echo '{"q1":"no","staff":2}' > "$TMP/a4.json"
check "H001 submits" m response submit 1 H001 "$TMP/a1.json"
check "H002 submits" m response submit 1 H002 "$TMP/a2.json"
check "H004 submits" m response submit 1 H004 "$TMP/a4.json"

serve_start
stop() { kill -TERM "$PID" 2>/dev/null; }
trap 'stop; rm -rf "$TMP"' EXIT
check "the server answers" curl -sf -o /dev/null "$B/login"

J='Content-Type: application/json'
F='Content-Type: application/x-www-form-urlencoded'
login() {	# JAR JSON -> status; csrf in JAR.csrf
	s=$(st "$TMP/login" "$1" POST /api/v1/login -H "$J" -d "$2")
	sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p' "$TMP/login" > "$1.csrf"
	echo "$s"
}
tok() { cat "$1.csrf"; }
is() { name=$1; want=$2; got=$3
	if [ "$got" = "$want" ]; then _ok "$name"; else _notok "$name" "status $got, wanted $want"; fi; }
has() { check_grep "$1" "$2" cat "$TMP/o"; }
hasnt() { check_exit 1 "$1" grep -q -- "$2" "$TMP/o"; }
# the page holds no inline style or script (the CSP would block them)
csp_clean() { check_exit 1 "$1: no inline style or script" grep -Eq '<style|style=|<script' "$TMP/o"; }

is "regulator signs in" 200 "$(login "$TMP/reg" '{"user":"bob","password":"regulator pass 1"}')"
is "admin signs in" 200 "$(login "$TMP/adm" '{"user":"alice","password":"admin password 2"}')"
is "H001 signs in" 200 "$(login "$TMP/h1" "{\"organisation\":\"H001\",\"access_code\":\"$C1\"}")"
is "H002 signs in" 200 "$(login "$TMP/h2" "{\"organisation\":\"H002\",\"access_code\":\"$C2\"}")"
is "H003 signs in" 200 "$(login "$TMP/h3" "{\"organisation\":\"H003\",\"access_code\":\"$C3\"}")"
is "H002 signs in to campaign 2" 200 "$(login "$TMP/h22" "{\"organisation\":\"H002\",\"access_code\":\"$C22\"}")"
: > "$TMP/nobody"

# ---- the national summary ----------------------------------------------------
is "regulator: national summary" 200 "$(st "$TMP/o" "$TMP/reg" GET '/campaigns/1/results?lang=en')"
has "... in the site's frame" '<header class="site">'
has "... with the site's stylesheet" 'href="/static/mamori.css"'
has "... the report inside" '<div class="report report-summary" lang="en"><h1>National summary</h1>'
has "... invited 4, submitted 3" 'Invited 4, submitted 3 (response rate 75.0 %)'
has "... has_ehr 2 of 3" '66.7 %</td><td class="num">2 / 3</td>'
has "... backs_up 1 of 2 (its own population)" '50.0 %</td><td class="num">1 / 2</td>'
has "... finding no_backup 1 of 3" 'No backup</td><td class="num">1 / 3</td>'
has "... tile map: Tokyo 2 of 2" '<title>Tokyo: 100.0 % (2 / 2)</title>'
has "... tile map: Hokkaido 0 of 1" '<title>Hokkaido: 0.0 % (0 / 1)</title>'
has "... tile map: Aomori no data" '<title>Aomori: no data</title>'
has "... the maps are images with words" 'role="img" aria-label="Response rate, tile map of the 47 prefectures: 3 with data; highest Tokyo 100.0 %, lowest Hokkaido 0.0 %"'
has "... and tables" '<table class="tilemap-table"><caption>Response rate</caption>'
check_out "... one map for the response rate and one per indicator" 3 sh -c "grep -o '<svg class=\"tilemap\"' '$TMP/o' | wc -l | tr -d ' '"
csp_clean "summary"
is "regulator: in Japanese" 200 "$(st "$TMP/o" "$TMP/reg" GET /campaigns/1/results)"
has "... 全国集計" '<h1>全国集計</h1>'
has "... 東京都" '<title>東京都: 100.0 % (2 / 2)</title>'
is "admin: national summary" 200 "$(st "$TMP/o" "$TMP/adm" GET /campaigns/1/results)"
is "no such campaign: 404" 404 "$(st "$TMP/o" "$TMP/reg" GET /campaigns/9/results)"

# ---- one prefecture -----------------------------------------------------------
is "regulator: Tokyo" 200 "$(st "$TMP/o" "$TMP/reg" GET '/campaigns/1/results/prefecture?pref=13&lang=en')"
has "... named" '<h1>Summary for Tokyo</h1>'
has "... invited 2, submitted 2" 'Invited 2, submitted 2 (response rate 100.0 %)'
has "... has_ehr 1 of 2" '50.0 %</td><td class="num">1 / 2</td>'
has "... backs_up 1 of 1" '100.0 %</td><td class="num">1 / 1</td>'
has "... no finding in Tokyo" 'No backup</td><td class="num">0 / 2</td>'
hasnt "... no national figures" 'Invited 4'
hasnt "... no maps inside one prefecture" '<svg class="tilemap"'
csp_clean "Tokyo"
is "regulator: Osaka" 200 "$(st "$TMP/o" "$TMP/reg" GET '/campaigns/1/results/prefecture?pref=27&lang=en')"
has "... backs_up 0 of 1" '0.0 %</td><td class="num">0 / 1</td>'
has "... finding no_backup 1 of 1" 'No backup</td><td class="num">1 / 1</td>'
is "regulator: Hokkaido (nobody submitted)" 200 "$(st "$TMP/o" "$TMP/reg" GET '/campaigns/1/results/prefecture?pref=01&lang=en')"
has "... invited 1, submitted 0" 'Invited 1, submitted 0 (response rate 0.0 %)'
is "regulator: Aomori (nobody invited)" 200 "$(st "$TMP/o" "$TMP/reg" GET '/campaigns/1/results/prefecture?pref=02&lang=en')"
has "... says so" 'No organisation of this prefecture is in the campaign.'
is "pref=99: 404" 404 "$(st "$TMP/o" "$TMP/reg" GET '/campaigns/1/results/prefecture?pref=99')"
is "pref=1 (not two digits): 404" 404 "$(st "$TMP/o" "$TMP/reg" GET '/campaigns/1/results/prefecture?pref=1')"
is "pref=Tokyo (a name): 404" 404 "$(st "$TMP/o" "$TMP/reg" GET '/campaigns/1/results/prefecture?pref=Tokyo')"
is "the prefectures, to choose from" 200 "$(st "$TMP/o" "$TMP/reg" GET '/campaigns/1/results/prefecture?lang=en')"
has "... each links to its tables" '<a href="/campaigns/1/results/prefecture?pref=13&amp;lang=en">Tokyo</a>'
has "... the table of rates" '<th scope="row"><a href="/campaigns/1/results/prefecture?pref=27&amp;lang=en">Osaka</a></th><td class="num">100.0 %</td><td class="num">1 / 1</td>'

# ---- the dashboard -----------------------------------------------------------
is "regulator: dashboard" 200 "$(st "$TMP/o" "$TMP/reg" GET '/campaigns/1/dashboard?lang=en')"
has "... its tile map of response rates" '<title>Tokyo: 100.0 % (2 / 2)</title>'
has "... links to the summary" 'href="/campaigns/1/results?lang=en"'
has "... says the results are not published" 'The results are not published'
has "... offers to publish them, with the token" "action=\"/campaigns/1/publish?lang=en\"><input type=\"hidden\" name=\"csrf\" value=\"$(tok "$TMP/reg")\">"
csp_clean "dashboard"

# ---- respondents are kept out of the staff pages -----------------------------
is "H001: summary 403" 403 "$(st "$TMP/o" "$TMP/h1" GET /campaigns/1/results)"
is "H001: Tokyo 403" 403 "$(st "$TMP/o" "$TMP/h1" GET '/campaigns/1/results/prefecture?pref=13')"
is "H001: dashboard 403" 403 "$(st "$TMP/o" "$TMP/h1" GET /campaigns/1/dashboard)"
is "H001: publish 403" 403 "$(st "$TMP/o" "$TMP/h1" POST /campaigns/1/publish -H "$F" -d "csrf=$(tok "$TMP/h1")")"
is "nobody: summary goes to sign-in" 303 "$(st "$TMP/o" "$TMP/nobody" GET /campaigns/1/results)"
is "regulator: no feedback page of its own: 403" 403 "$(st "$TMP/o" "$TMP/reg" GET /campaigns/1/feedback)"

# ---- before publication -------------------------------------------------------
is "H001: feedback before publication: 404" 404 "$(st "$TMP/o" "$TMP/h1" GET '/campaigns/1/feedback?lang=en')"
has "... says why" 'not published yet'
hasnt "... shows nothing of its answers" 'Alpha Hospital'
st "$TMP/o" "$TMP/h1" GET '/campaigns?lang=en' >/dev/null
hasnt "campaigns page: no results link yet" '/campaigns/1/feedback'

# ---- publish --------------------------------------------------------------------
is "publish without the token: 403" 403 "$(st "$TMP/o" "$TMP/reg" POST /campaigns/1/publish -H "$F" -d 'csrf=0')"
is "... still not published" 404 "$(st "$TMP/o" "$TMP/h1" GET /campaigns/1/feedback)"
is "publish from another site: 403" 403 "$(st "$TMP/o" "$TMP/reg" POST /campaigns/1/publish -H "$F" -H 'Origin: http://evil.example' -d "csrf=$(tok "$TMP/reg")")"
is "publish" 303 "$(st "$TMP/o" "$TMP/reg" POST '/campaigns/1/publish?lang=en' -H "$F" -d "csrf=$(tok "$TMP/reg")")"
check_grep "... back to the dashboard" 'Location: /campaigns/1/dashboard?lang=en' cat "$TMP/o.h"
check_grep "... audited, by the regulator from its address" "regulator:bob	127.0.0.1	campaign.publish	campaign:1" m audit
is "publish a campaign that does not exist: 404" 404 "$(st "$TMP/o" "$TMP/reg" POST /campaigns/9/publish -H "$F" -d "csrf=$(tok "$TMP/reg")")"
is "dashboard after publishing" 200 "$(st "$TMP/o" "$TMP/reg" GET '/campaigns/1/dashboard?lang=en')"
has "... says when and by whom" 'The results are published to the organisations. Published at 20[0-9-]*T[0-9:]*+09:00 by regulator:bob'
has "... offers to withdraw them" 'action="/campaigns/1/unpublish?lang=en"'

st "$TMP/o" "$TMP/h1" GET '/campaigns?lang=en' >/dev/null
has "campaigns page: the results link" '<a href="/campaigns/1/feedback?lang=en">Results</a>'
st "$TMP/o" "$TMP/h1" GET '/campaigns' >/dev/null
has "... 結果 in Japanese" '<a href="/campaigns/1/feedback">結果</a>'
is "H001: its feedback report" 200 "$(st "$TMP/o" "$TMP/h1" GET '/campaigns/1/feedback?lang=en')"
has "... in the site's frame" '<header class="site">'
has "... the report inside" '<div class="report report-feedback" lang="en">'
has "... its own organisation" 'Alpha Hospital (H001)'
has "... its prefecture" 'Tokyo'
hasnt "... not another organisation" 'Beta Clinic'
hasnt "... nor its id" 'H002'
csp_clean "feedback"
is "H002: its feedback report" 200 "$(st "$TMP/o" "$TMP/h2" GET '/campaigns/1/feedback?lang=en')"
has "... its own organisation" 'Beta Clinic (H002)'
has "... with its finding" 'No backup'
hasnt "... not H001" 'Alpha Hospital'
hasnt "... nor its id" 'H001'
is "H001 in Japanese" 200 "$(st "$TMP/o" "$TMP/h1" GET /campaigns/1/feedback)"
has "... its own organisation" 'Alpha Hospital (H001)'
is "H003 (did not submit): 404" 404 "$(st "$TMP/o" "$TMP/h3" GET '/campaigns/1/feedback?lang=en')"
has "... says why" 'submitted no response'
hasnt "... shows no one else's" 'Alpha Hospital'
is "H002 signed in to campaign 2, asking for campaign 1: 404" 404 "$(st "$TMP/o" "$TMP/h22" GET /campaigns/1/feedback)"
hasnt "... shows nothing of it" 'Beta Clinic'
is "H002, campaign 2 (not published): 404" 404 "$(st "$TMP/o" "$TMP/h22" GET /campaigns/2/feedback)"
is "H001, a campaign that does not exist: 404" 404 "$(st "$TMP/o" "$TMP/h1" GET /campaigns/9/feedback)"
is "H001: an organisation in the URL changes nothing" 200 "$(st "$TMP/o" "$TMP/h1" GET '/campaigns/1/feedback?org=H002&lang=en')"
has "... still its own" 'Alpha Hospital (H001)'
hasnt "... not H002's" 'Beta Clinic'
is "nobody: feedback goes to sign-in" 303 "$(st "$TMP/o" "$TMP/nobody" GET /campaigns/1/feedback)"

# ---- unpublish ------------------------------------------------------------------
is "unpublish without the token: 403" 403 "$(st "$TMP/o" "$TMP/reg" POST /campaigns/1/unpublish -H "$F")"
is "H001: still published" 200 "$(st "$TMP/o" "$TMP/h1" GET /campaigns/1/feedback)"
is "unpublish (admin)" 303 "$(st "$TMP/o" "$TMP/adm" POST /campaigns/1/unpublish -H "$F" -d "csrf=$(tok "$TMP/adm")")"
check_grep "... audited" "admin:alice	127.0.0.1	campaign.unpublish	campaign:1" m audit
is "H001: hidden again: 404" 404 "$(st "$TMP/o" "$TMP/h1" GET /campaigns/1/feedback)"
st "$TMP/o" "$TMP/h1" GET /campaigns >/dev/null
hasnt "campaigns page: the link is gone" '/campaigns/1/feedback'

# ---- the command line -------------------------------------------------------------
check_grep "mamori campaign publish" '^campaign 1: results published at ' m campaign publish 1
is "H002: published again" 200 "$(st "$TMP/o" "$TMP/h2" GET '/campaigns/1/feedback?lang=en')"
has "... its own" 'Beta Clinic (H002)'
check_grep "... audited as the command line's user" "	cli:[^	]*	local	campaign.publish	campaign:1" m audit
check_out "mamori campaign unpublish" 'campaign 1: results not published' m campaign unpublish 1
is "H002: hidden again" 404 "$(st "$TMP/o" "$TMP/h2" GET /campaigns/1/feedback)"
check_exit 2 "publish: no such campaign" m campaign publish 9
check_exit 2 "publish: no campaign given" m campaign publish

# ---- the server keeps its analyses, but never past a change -----------------
# (rcache.h: every page below is read at least twice, so that the second
# comes from the cache, and each change must show on the next page)
# body_in CLI_HTML: the command line's page is the one inside the site's
body_in() {	# frame (the same report, the same numbers)
	python3 -c '
import sys
cli = open(sys.argv[1], encoding="utf-8").read()
web = open(sys.argv[2], encoding="utf-8").read()
body = cli[cli.index("<body>") + 6:cli.rindex("</body>")]
sys.exit(0 if body in web else 1)' "$1" "$TMP/o"
}
st "$TMP/o" "$TMP/reg" GET '/campaigns/1/results?lang=en' >/dev/null
is "summary, again" 200 "$(st "$TMP/o" "$TMP/reg" GET '/campaigns/1/results?lang=en')"
has "... invited 4, submitted 3" 'Invited 4, submitted 3 (response rate 75.0 %)'
st "$TMP/o" "$TMP/reg" GET '/campaigns/1/results/prefecture?pref=01&lang=en' >/dev/null
is "Hokkaido, again" 200 "$(st "$TMP/o" "$TMP/reg" GET '/campaigns/1/results/prefecture?pref=01&lang=en')"
has "... submitted 0" 'Invited 1, submitted 0 (response rate 0.0 %)'
check "published for the pages below" m campaign publish 1
st "$TMP/o" "$TMP/h1" GET '/campaigns/1/feedback?lang=en' >/dev/null
is "H001: feedback, again" 200 "$(st "$TMP/o" "$TMP/h1" GET '/campaigns/1/feedback?lang=en')"
m report feedback 1 H001 --lang en -o "$TMP/cli1.html"
check "... the command line's report of H001" body_in "$TMP/cli1.html"
is "H002: feedback, from the same analyses" 200 "$(st "$TMP/o" "$TMP/h2" GET '/campaigns/1/feedback?lang=en')"
m report feedback 1 H002 --lang en -o "$TMP/cli2.html"
check "... the command line's report of H002" body_in "$TMP/cli2.html"
hasnt "... nothing of H001" 'Alpha Hospital'

# a sign-in changes nothing
is "H002 signs in again" 200 "$(login "$TMP/h2b" "{\"organisation\":\"H002\",\"access_code\":\"$C2\"}")"
is "summary after a sign-in" 200 "$(st "$TMP/o" "$TMP/reg" GET '/campaigns/1/results?lang=en')"
has "... the same numbers" 'Invited 4, submitted 3 (response rate 75.0 %)'

# a new submission (H003, Hokkaido: yes, backs up)
echo '{"q1":"yes","q2":"yes","staff":2}' > "$TMP/a3.json"
check "H003 submits" m response submit 1 H003 "$TMP/a3.json"
is "summary after the submission" 200 "$(st "$TMP/o" "$TMP/reg" GET '/campaigns/1/results?lang=en')"
has "... invited 4, submitted 4" 'Invited 4, submitted 4 (response rate 100.0 %)'
has "... has_ehr 3 of 4" '75.0 %</td><td class="num">3 / 4</td>'
has "... backs_up 2 of 3" '66.7 %</td><td class="num">2 / 3</td>'
is "Hokkaido after the submission" 200 "$(st "$TMP/o" "$TMP/reg" GET '/campaigns/1/results/prefecture?pref=01&lang=en')"
has "... submitted 1" 'Invited 1, submitted 1 (response rate 100.0 %)'
is "H001: feedback after the submission" 200 "$(st "$TMP/o" "$TMP/h1" GET '/campaigns/1/feedback?lang=en')"
m report feedback 1 H001 --lang en -o "$TMP/cli1b.html"
check "... its national figures moved" test "$(grep -c 'n = 4' "$TMP/cli1b.html")" -gt 0
check "... the command line's new report of H001" body_in "$TMP/cli1b.html"

# an amended submission: the same counts, other answers (H002 now backs up)
echo '{"q1":"yes","q2":"yes","staff":1}' > "$TMP/a2b.json"
check "H002 submits again" m response submit 1 H002 "$TMP/a2b.json"
is "summary after the amendment" 200 "$(st "$TMP/o" "$TMP/reg" GET '/campaigns/1/results?lang=en')"
has "... backs_up 3 of 3" '100.0 %</td><td class="num">3 / 3</td>'
has "... no finding left" 'No backup</td><td class="num">0 / 4</td>'
is "Osaka after the amendment" 200 "$(st "$TMP/o" "$TMP/reg" GET '/campaigns/1/results/prefecture?pref=27&lang=en')"
has "... backs_up 1 of 1" '100.0 %</td><td class="num">1 / 1</td>'
is "H002: feedback after its amendment" 200 "$(st "$TMP/o" "$TMP/h2" GET '/campaigns/1/feedback?lang=en')"
hasnt "... its finding gone" 'No backup'
m report feedback 1 H002 --lang en -o "$TMP/cli2b.html"
check "... the command line's new report of H002" body_in "$TMP/cli2b.html"

# an organisation moved to another prefecture (H004: Tokyo to Osaka)
printf 'id,name,kind,prefecture,beds\nH004,Delta,hospital,27,80\n' > "$TMP/move.csv"
check "H004 moves to Osaka" m org import "$TMP/move.csv"
is "Osaka after the move" 200 "$(st "$TMP/o" "$TMP/reg" GET '/campaigns/1/results/prefecture?pref=27&lang=en')"
has "... invited 2, submitted 2" 'Invited 2, submitted 2 (response rate 100.0 %)'
is "Tokyo after the move" 200 "$(st "$TMP/o" "$TMP/reg" GET '/campaigns/1/results/prefecture?pref=13&lang=en')"
has "... invited 1, submitted 1" 'Invited 1, submitted 1 (response rate 100.0 %)'
check_out "mamori campaign unpublish, again" 'campaign 1: results not published' m campaign unpublish 1

stop
finish
