#!/bin/sh
# server.sh - the web server end to end on 127.0.0.1 (a free port), with
# its own database: sign-in, throttling, CSRF, the whole route x role
# matrix from the route table, one organisation against another's
# response, body limits, malformed forms, stale revisions, invalid and
# closed submissions, the form pages with skip logic and repeat rows,
# security headers, the access log and a graceful stop.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/serve.sh"
DB=$TMP/m.db
INS=$SRC/instruments/mhlw/hospital-backup-vpn-2022.yaml
m() { "$MAMORI" "$@" --db "$DB"; }

m init >/dev/null 2>&1
printf 'id,name,kind,prefecture,beds\nH001,Alpha,hospital,13,120\nH002,Beta,hospital,27,30\nH003,Gamma,hospital,01,50\nH004,Delta,hospital,13,80\nB001,Bank,bank,13,\n' > "$TMP/orgs.csv"
m org import "$TMP/orgs.csv" >/dev/null
m campaign create --instrument "$INS" --title "Backup 2022" \
	--opens 2020-01-01 --closes 2099-12-31 --target "kind = 'hospital'" >/dev/null
m campaign create --instrument "$INS" --title "Other" \
	--opens 2020-01-01 --closes 2099-12-31 --target "id = 'H002'" >/dev/null
m campaign invite 1 --out "$TMP/inv1.csv" >/dev/null 2>&1
m campaign invite 2 --out "$TMP/inv2.csv" >/dev/null 2>&1
code() { tr -d '\r' < "$TMP/inv$1.csv" | awk -F, -v o="$2" '$1 == o { print $4 }'; }
C1=$(code 1 H001); C2=$(code 1 H002); C3=$(code 1 H003); C4=$(code 1 H004)
C22=$(code 2 H002)
printf 'regulator pass 1\n' | m user add bob --role regulator >/dev/null
printf 'admin password 2\n' | m user add alice --role admin >/dev/null
check_exit 2 "user add: a short password is refused" sh -c "printf 'short\n' | '$MAMORI' user add eve --role regulator --db '$DB'"

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

# ---- sign-in, throttling, sessions --------------------------------------
is "respondent signs in" 200 "$(login "$TMP/h1" "{\"organisation\":\"H001\",\"access_code\":\"$C1\"}")"
check_grep "the answer names the role" '"role":"respondent"' cat "$TMP/login"
check_grep "session cookie: HttpOnly, SameSite=Strict" 'Set-Cookie: mamori_session=[0-9a-f]\{64\}; Path=/; HttpOnly; SameSite=Strict' cat "$TMP/login.h"
is "wrong access code: 401" 401 "$(login "$TMP/x" "{\"organisation\":\"H002\",\"access_code\":\"AAAA-BBBB-CCCC-DDDD-EEEE\"}")"
is "another organisation's code: 401" 401 "$(login "$TMP/x" "{\"organisation\":\"H002\",\"access_code\":\"$C1\"}")"
is "second respondent signs in" 200 "$(login "$TMP/h2" "{\"organisation\":\"H002\",\"access_code\":\"$C2\"}")"
is "code of campaign 2" 200 "$(login "$TMP/h22" "{\"organisation\":\"H002\",\"access_code\":\"$C22\"}")"
for n in 1 2 3 4 5; do
	login "$TMP/x" "{\"organisation\":\"H004\",\"access_code\":\"WRNG-WRNG-WRNG-WRNG-WRNG\"}" >/dev/null
done
is "throttled after 5 failures, even with the right code: 429" 429 "$(login "$TMP/x" "{\"organisation\":\"H004\",\"access_code\":\"$C4\"}")"
check_grep "429 says when to retry" 'Retry-After: 900' cat "$TMP/login.h"
is "throttling is per account" 200 "$(login "$TMP/h3" "{\"organisation\":\"H003\",\"access_code\":\"$C3\"}")"
is "regulator signs in" 200 "$(login "$TMP/reg" '{"user":"bob","password":"regulator pass 1"}')"
is "admin signs in" 200 "$(login "$TMP/adm" '{"user":"alice","password":"admin password 2"}')"
is "wrong password: 401" 401 "$(login "$TMP/x" '{"user":"bob","password":"regulator pass 2"}')"
is "unknown user: 401" 401 "$(login "$TMP/x" '{"user":"mallory","password":"whatever123"}')"
is "login: not JSON: 400" 400 "$(st "$TMP/o" "$TMP/x" POST /api/v1/login -H "$J" -d 'organisation=H001')"
is "login: a form body to the API: 415" 415 "$(st "$TMP/o" "$TMP/x" POST /api/v1/login -H "$F" -d "{\"organisation\":\"H001\",\"access_code\":\"$C1\"}")"
is "a forged session cookie is nobody" 401 "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: mamori_session=$(printf '%064d' 0)" "$B/api/v1/campaigns")"

# ---- CSRF and origin -------------------------------------------------------
is "PUT without X-CSRF-Token: 403" 403 "$(st "$TMP/o" "$TMP/h1" PUT /api/v1/campaigns/1/response -H "$J" -d '{"revision":0,"answers":{}}')"
is "PUT with a wrong token: 403" 403 "$(st "$TMP/o" "$TMP/h1" PUT /api/v1/campaigns/1/response -H "$J" -H "X-CSRF-Token: $(tok "$TMP/h2")" -d '{"revision":0,"answers":{}}')"
is "submit without the token: 403" 403 "$(st "$TMP/o" "$TMP/h1" POST /api/v1/campaigns/1/response/submit)"
is "form post without the token: 403" 403 "$(st "$TMP/o" "$TMP/h1" POST /campaigns/1/form -H "$F" -d 'revision=0&action=save')"
is "cross-site Origin: 403" 403 "$(st "$TMP/o" "$TMP/h1" PUT /api/v1/campaigns/1/response -H "$J" -H "X-CSRF-Token: $(tok "$TMP/h1")" -H 'Origin: http://evil.example' -d '{"revision":0,"answers":{}}')"

# ---- the route x role matrix, from the route table ------------------------
"$MAMORI" serve --routes > "$TMP/routes"
check_grep "the route table lists the API" '^GET /api/v1/campaigns/{campaign}/responses/{org} regulator admin$' cat "$TMP/routes"
check_grep "... numbered reports and forms: the respondent's own" '^PUT /api/v1/campaigns/{campaign}/reports respondent csrf$' cat "$TMP/routes"
check_grep "... and the staff's view of them" '^GET /campaigns/{campaign}/responses/{org}/reports regulator admin$' cat "$TMP/routes"
: > "$TMP/nobody"	# an empty cookie jar
echo 0 > "$TMP/nobody.csrf"
MATRIX_BAD=0; MATRIX_N=0
while read -r meth pat rest; do
	path=$(printf '%s' "$pat" | sed 's/{campaign}/1/; s/{org}/H002/')
	case $pat in */logout) continue ;; esac	# walked below, it ends sessions
	for role in nobody respondent regulator admin; do
		case $role in
		nobody) jar=$TMP/nobody ;; respondent) jar=$TMP/h1 ;;
		regulator) jar=$TMP/reg ;; admin) jar=$TMP/adm ;;
		esac
		cp "$jar" "$jar.m"; cp "$jar.csrf" "$jar.m.csrf"
		set -- -H "X-CSRF-Token: $(tok "$jar")"
		case $pat in /api/*) set -- "$@" -H "$J" ;; *) set -- "$@" -H "$F" -d "csrf=$(tok "$jar")" ;; esac
		s=$(st "$TMP/o" "$jar.m" "$meth" "$path" "$@")
		loc=$(sed -n 's/^Location: \([^\r]*\).*/\1/p' "$TMP/o.h")
		allowed=no
		case " $rest " in *" $role "*) allowed=yes ;; esac
		verdict=ok
		if [ $allowed = yes ]; then
			case $s in 403) verdict=bad ;; 401) case $pat in */login) ;; *) verdict=bad ;; esac ;; esac
			[ "$loc" = /login ] && [ "$pat" != / ] && verdict=bad
		else
			case $role:$pat in
			nobody:/api/*) [ "$s" = 401 ] || verdict=bad ;;
			nobody:*) { [ "$s" = 303 ] && [ "$loc" = /login ]; } || verdict=bad ;;
			*) [ "$s" = 403 ] || verdict=bad ;;
			esac
		fi
		MATRIX_N=$((MATRIX_N + 1))
		if [ $verdict = bad ]; then
			MATRIX_BAD=$((MATRIX_BAD + 1))
			echo "# matrix: $role $meth $path -> $s $loc (allowed: $allowed)"
		fi
	done
done < "$TMP/routes"
is "route x role matrix: $MATRIX_N calls as the table says" 0 "$MATRIX_BAD"
check "the matrix covered every route and role" test "$MATRIX_N" -ge $(( ($(wc -l < "$TMP/routes") - 2) * 4 ))
for role in h1 reg adm; do
	login "$TMP/lo" "$(case $role in h1) echo "{\"organisation\":\"H001\",\"access_code\":\"$C1\"}" ;; reg) echo '{"user":"bob","password":"regulator pass 1"}' ;; adm) echo '{"user":"alice","password":"admin password 2"}' ;; esac)" >/dev/null
	is "logout as $role" 200 "$(st "$TMP/o" "$TMP/lo" POST /api/v1/logout -H "X-CSRF-Token: $(tok "$TMP/lo")")"
	is "after logout the session is gone ($role)" 401 "$(st "$TMP/o" "$TMP/lo" GET /api/v1/campaigns)"
done
is "logout as nobody: 401" 401 "$(st "$TMP/o" "$TMP/nobody" POST /api/v1/logout)"

# ---- one organisation against another --------------------------------------
T1=$(tok "$TMP/h1"); T2=$(tok "$TMP/h2")
is "H001 saves a draft" 200 "$(st "$TMP/o" "$TMP/h1" PUT /api/v1/campaigns/1/response -H "$J" -H "X-CSRF-Token: $T1" -d '{"revision":0,"answers":{"respondent_name":"Secret-Alpha-Name"}}')"
check_grep "the draft has revision 1" '"revision":1' cat "$TMP/o"
is "H002 reads its own response" 200 "$(st "$TMP/o" "$TMP/h2" GET /api/v1/campaigns/1/response)"
check_exit 1 "... and never sees H001's answers" grep -q Secret-Alpha "$TMP/o"
is "H002 cannot read H001 by the regulator's path: 403" 403 "$(st "$TMP/o" "$TMP/h2" GET /api/v1/campaigns/1/responses/H001)"
is "H001 cannot read itself by the regulator's path: 403" 403 "$(st "$TMP/o" "$TMP/h1" GET /api/v1/campaigns/1/responses/H001)"
is "H001 cannot read campaign 2 (not admitted): 404" 404 "$(st "$TMP/o" "$TMP/h1" GET /api/v1/campaigns/2/response)"
is "H001 cannot write campaign 2: 404" 404 "$(st "$TMP/o" "$TMP/h1" PUT /api/v1/campaigns/2/response -H "$J" -H "X-CSRF-Token: $T1" -d '{"revision":0,"answers":{}}')"
is "H001 cannot submit in campaign 2: 404" 404 "$(st "$TMP/o" "$TMP/h1" POST /api/v1/campaigns/2/response/submit -H "X-CSRF-Token: $T1")"
is "H001 cannot open campaign 2's form: 404" 404 "$(st "$TMP/o" "$TMP/h1" GET /campaigns/2/form)"
is "H001's session sees only its campaign" 200 "$(st "$TMP/o" "$TMP/h1" GET /api/v1/campaigns)"
check_exit 1 "... not campaign 2" grep -q '"Other"' "$TMP/o"
is "H002 cannot read a numbered response of H001: 404" 404 "$(st "$TMP/o" "$TMP/h2" GET '/api/v1/campaigns/1/reports?number=1')"
is "H002 cannot write one: 404" 404 "$(st "$TMP/o" "$TMP/h2" POST '/campaigns/1/reports/form?number=1' -H "$F" -d "csrf=$T2&revision=0&action=save")"
is "... nor through the API: 404" 404 "$(st "$TMP/o" "$TMP/h2" PUT '/api/v1/campaigns/1/reports?number=1' -H "$J" -H "X-CSRF-Token: $T2" -d '{"revision":0,"answers":{}}')"
is "H002 writes its own response" 200 "$(st "$TMP/o" "$TMP/h2" PUT /api/v1/campaigns/1/response -H "$J" -H "X-CSRF-Token: $T2" -d '{"revision":0,"answers":{"respondent_name":"Beta"}}')"
is "regulator reads H001" 200 "$(st "$TMP/o" "$TMP/reg" GET /api/v1/campaigns/1/responses/H001)"
check_grep "... and sees its answers" Secret-Alpha-Name cat "$TMP/o"
check_grep "H001's answer is still its own" '"respondent_name":"Secret-Alpha-Name"' cat "$TMP/o"
is "regulator: unknown organisation: 404" 404 "$(st "$TMP/o" "$TMP/reg" GET /api/v1/campaigns/1/responses/NOPE)"
is "regulator: organisation outside the campaign: 404" 404 "$(st "$TMP/o" "$TMP/reg" GET /api/v1/campaigns/1/responses/B001)"

# ---- limits and malformed input --------------------------------------------
head -c 1100000 /dev/zero | tr '\0' 'a' > "$TMP/big"
is "body over 1 MiB: 413" 413 "$(st "$TMP/o" "$TMP/h1" PUT /api/v1/campaigns/1/response -H "$J" -H "X-CSRF-Token: $T1" --data-binary @"$TMP/big")"
is "chunked body over 1 MiB: 413" 413 "$(st "$TMP/o" "$TMP/h1" POST /campaigns/1/form -H "$F" -H 'Transfer-Encoding: chunked' --data-binary @"$TMP/big")"
is "bad percent escape: 400" 400 "$(st "$TMP/o" "$TMP/h1" POST /campaigns/1/form -H "$F" -d "csrf=$T1&revision=1&respondent_name=%zz")"
is "truncated escape: 400" 400 "$(st "$TMP/o" "$TMP/h1" POST /campaigns/1/form -H "$F" -d "csrf=$T1&revision=1&a=%4")"
is "invalid UTF-8: 400" 400 "$(st "$TMP/o" "$TMP/h1" POST /campaigns/1/form -H "$F" -d "csrf=$T1&revision=1&respondent_name=%ff%fe")"
is "a NUL byte: 400" 400 "$(st "$TMP/o" "$TMP/h1" POST /campaigns/1/form -H "$F" -d "csrf=$T1&revision=1&respondent_name=a%00b")"
is "an empty field name: 400" 400 "$(st "$TMP/o" "$TMP/h1" POST /campaigns/1/form -H "$F" -d "csrf=$T1&=x")"
python3 -c 'import sys; sys.stdout.write("&".join("f%d=1" % i for i in range(3000)))' > "$TMP/many"
is "too many fields: 413" 413 "$(st "$TMP/o" "$TMP/h1" POST /campaigns/1/form -H "$F" --data-binary @"$TMP/many")"
is "a form as JSON: 415" 415 "$(st "$TMP/o" "$TMP/h1" POST /campaigns/1/form -H "$J" -d "csrf=$T1")"
is "revision not a number: 400" 400 "$(st "$TMP/o" "$TMP/h1" POST /campaigns/1/form -H "$F" -d "csrf=$T1&revision=1x&action=save")"
is "repeat rows out of bounds: 400" 400 "$(st "$TMP/o" "$TMP/h1" POST /campaigns/1/form -H "$F" -d "csrf=$T1&revision=1&q11_vpn_devices.rows=99999")"
is "JSON: answers not an object: 400" 400 "$(st "$TMP/o" "$TMP/h1" PUT /api/v1/campaigns/1/response -H "$J" -H "X-CSRF-Token: $T1" -d '{"revision":1,"answers":[1]}')"
is "JSON: duplicate keys: 400" 400 "$(st "$TMP/o" "$TMP/h1" PUT /api/v1/campaigns/1/response -H "$J" -H "X-CSRF-Token: $T1" -d '{"revision":1,"revision":1,"answers":{}}')"
is "unknown method: 405" 405 "$(st "$TMP/o" "$TMP/h1" DELETE /api/v1/campaigns/1/response)"
is "unknown path: 404" 404 "$(st "$TMP/o" "$TMP/h1" GET /api/v1/nothing)"
is "campaign id not a number: 404" 404 "$(st "$TMP/o" "$TMP/h1" GET /api/v1/campaigns/1x/response)"

# ---- revisions, submission --------------------------------------------------
is "stale revision: 409" 409 "$(st "$TMP/o" "$TMP/h1" PUT /api/v1/campaigns/1/response -H "$J" -H "X-CSRF-Token: $T1" -d '{"revision":0,"answers":{"respondent_name":"X"}}')"
check_grep "409 says stale" '"error":"stale"' cat "$TMP/o"
is "submit invalid: 422" 422 "$(st "$TMP/o" "$TMP/h1" POST /api/v1/campaigns/1/response/submit -H "X-CSRF-Token: $T1")"
check_grep "422 lists the engine's errors by item" '"item":"q5_ehr","code":"required"' cat "$TMP/o"
VALID='{"respondent_name":"Taro","respondent_department":"IT","respondent_phone":"03-1234-5678","respondent_email":"it@example.jp","q2_security_officer":"appointed_separate","q3_guideline":"guideline_only","q4_emergency_procedure":"none","q5_ehr":"no","q10_vpn":"no"}'
is "submit with answers" 200 "$(st "$TMP/o" "$TMP/h1" POST /api/v1/campaigns/1/response/submit -H "$J" -H "X-CSRF-Token: $T1" -d "{\"revision\":1,\"answers\":$VALID}")"
check_grep "state submitted" '"state":"submitted"' cat "$TMP/o"
check_grep "submitted revision 2" '"submitted_revision":2' cat "$TMP/o"
is "regulator: campaign status" 200 "$(st "$TMP/o" "$TMP/reg" GET /api/v1/campaigns/1/status)"
check_grep "status counts the submission" '"submitted":1' cat "$TMP/o"
is "regulator: not-submitted CSV" 200 "$(st "$TMP/o" "$TMP/reg" GET /campaigns/1/missing.csv)"
check_grep "... lists H003" '^"H003","Gamma","01"' cat "$TMP/o"
check_exit 1 "... not H001, which submitted" grep -q '"H001"' "$TMP/o"
is "regulator: dashboard page" 200 "$(st "$TMP/o" "$TMP/reg" GET '/campaigns/1/dashboard?lang=en')"
check_grep "dashboard by prefecture" '<th scope="row">Tokyo</th>' cat "$TMP/o"

is "regulator: read-only view of a response" 200 "$(st "$TMP/o" "$TMP/reg" GET '/campaigns/1/responses/H001?lang=en')"
check_grep "... shows its answers" '<dt>1-1. Name</dt><dd>Taro</dd>' cat "$TMP/o"
check_exit 1 "... with no form to change them" sh -c "grep 'action=\"/campaigns' '$TMP/o' | grep -qv '/reopen'"
check_grep "... but a button to return it, with the token" 'action="/campaigns/1/responses/H001/reopen?lang=en"><input type="hidden" name="csrf" value="[0-9a-f]' cat "$TMP/o"
is "staff sign-in page" 303 "$(st "$TMP/o" "$TMP/staff" POST /staff/login -H "$F" -d 'user=bob&password=regulator+pass+1')"
check_grep "... leads to the campaigns" 'Location: /campaigns' cat "$TMP/o.h"
check_grep "... which link the dashboard" 'href="/campaigns/1/dashboard"' curl -s -b "$TMP/staff" "$B/campaigns"
is "respondent sign-in page: wrong code" 401 "$(st "$TMP/o" "$TMP/x" POST /login -H "$F" -d 'organisation=H002&access_code=AAAA-BBBB')"
check_grep "... says so" 'role="alert"' cat "$TMP/o"
is "respondent sign-in page" 303 "$(st "$TMP/o" "$TMP/h2p" POST /login -H "$F" -d "organisation=H002&access_code=$C2")"
check_grep "... lists its one campaign" 'href="/campaigns/1/form"' curl -s -b "$TMP/h2p" "$B/campaigns"

# ---- the form pages ---------------------------------------------------------
T3=$(tok "$TMP/h3")
is "form page" 200 "$(st "$TMP/o" "$TMP/h3" GET '/campaigns/1/form?lang=en')"
check_grep "sections are fieldsets with legends" '<fieldset class="section" id="s_backup"><legend>' cat "$TMP/o"
check_grep "progress" '0 of 9 answered' cat "$TMP/o"
check_grep "Japanese by default" '<html lang="ja">' curl -s -b "$TMP/h3" "$B/campaigns/1/form"
check_exit 1 "skip logic: q6 hidden before q5 is answered" grep -q 'name="q6_backup"' "$TMP/o"
check "form page under 100 KB" test "$(wc -c < "$TMP/o")" -lt 102400
is "save q5 = yes" 303 "$(st "$TMP/o" "$TMP/h3" POST '/campaigns/1/form?lang=en' -H "$F" -d "csrf=$T3&revision=0&q5_ehr=yes&respondent_phone=12&action=save")"
check_grep "redirect back to the form" 'Location: /campaigns/1/form?lang=en&saved=1' cat "$TMP/o.h"
is "a save from the page of revision 0 again: stale" 303 "$(st "$TMP/o" "$TMP/h3" POST '/campaigns/1/form?lang=en' -H "$F" -d "csrf=$T3&revision=0&q5_ehr=no&action=save")"
check_grep "... back to the form, marked stale" 'Location: /campaigns/1/form?lang=en&stale=1' cat "$TMP/o.h"
st "$TMP/o" "$TMP/h3" GET '/campaigns/1/form?lang=en&saved=1' >/dev/null
check_grep "skip logic: q6 shown after q5 = yes" 'name="q6_backup"' cat "$TMP/o"
check_grep "the answer is kept" 'name="q5_ehr" value="yes" checked' cat "$TMP/o"
check_grep "inline error tied with aria-describedby" 'aria-describedby="h_respondent_phone e_respondent_phone" aria-invalid="true"><p class="error" id="e_respondent_phone">' cat "$TMP/o"
check_grep "answer guide on demand" '<details class="guide"><summary>Answer guide</summary>' cat "$TMP/o"
is "q10 = yes, add a VPN row" 303 "$(st "$TMP/o" "$TMP/h3" POST /campaigns/1/form -H "$F" -d "csrf=$T3&revision=1&q5_ehr=yes&q10_vpn=yes&action=add%3Aq11_vpn_devices")"
st "$TMP/o" "$TMP/h3" GET /campaigns/1/form >/dev/null
check_grep "the repeat has row 1" 'name="q11_vpn_devices.0.maker"' cat "$TMP/o"
is "fill row 1, add row 2" 303 "$(st "$TMP/o" "$TMP/h3" POST /campaigns/1/form -H "$F" -d "csrf=$T3&revision=2&q5_ehr=yes&q10_vpn=yes&q11_vpn_devices.rows=1&q11_vpn_devices.0.maker=Fortinet&q11_vpn_devices.0.units=zwei&action=add%3Aq11_vpn_devices")"
st "$TMP/o" "$TMP/h3" GET /campaigns/1/form >/dev/null
check_grep "row 2 is there" 'name="q11_vpn_devices.1.maker"' cat "$TMP/o"
check_grep "row 1 kept its maker" 'name="q11_vpn_devices.0.maker" value="Fortinet"' cat "$TMP/o"
check_grep "a wrong-type answer is shown again to be corrected" 'name="q11_vpn_devices.0.units" value="zwei" type="text" inputmode="numeric" aria-describedby="e_q11_vpn_devices.0.units" aria-invalid="true"><p class="error" id="e_q11_vpn_devices.0.units">' cat "$TMP/o"
is "remove row 1" 303 "$(st "$TMP/o" "$TMP/h3" POST /campaigns/1/form -H "$F" -d "csrf=$T3&revision=3&q5_ehr=yes&q10_vpn=yes&q11_vpn_devices.rows=2&q11_vpn_devices.0.maker=Fortinet&q11_vpn_devices.1.maker=Cisco&action=remove%3Aq11_vpn_devices%3A0")"
st "$TMP/o" "$TMP/h3" GET /campaigns/1/form >/dev/null
check_grep "the other row moved up" 'name="q11_vpn_devices.0.maker" value="Cisco"' cat "$TMP/o"
check_exit 1 "one row left" grep -q 'name="q11_vpn_devices.1.maker"' "$TMP/o"
is "stale form save redirects with a notice" 303 "$(st "$TMP/o" "$TMP/h3" POST /campaigns/1/form -H "$F" -d "csrf=$T3&revision=1&q5_ehr=no&action=save")"
check_grep "... to the form, marked stale" 'Location: /campaigns/1/form?stale=1' cat "$TMP/o.h"
is "review page" 200 "$(st "$TMP/o" "$TMP/h3" GET /campaigns/1/review)"
check_exit 1 "no submit button while invalid" grep -q 'action="/campaigns/1/submit' "$TMP/o"
check_grep "review: each error names its question and links to it" '<li><a href="/campaigns/1/form#q_respondent_name">1-1. ' cat "$TMP/o"
check_grep "HTML escapes answers" 'x&lt;script&gt;' sh -c "
	curl -s -o /dev/null -b '$TMP/h3' -c '$TMP/h3' -H '$F' -d 'csrf=$T3&revision=4&respondent_name=x%3Cscript%3E&action=save' '$B/campaigns/1/form'
	curl -s -b '$TMP/h3' '$B/campaigns/1/form'"
FORM_VALID="respondent_name=Hanako&respondent_department=IT&respondent_phone=03-1234-5678&respondent_email=a%40example.jp&q2_security_officer=not_appointed&q3_guideline=neither&q4_emergency_procedure=none&q5_ehr=no&q10_vpn=no"
is "valid answers saved from the form" 303 "$(st "$TMP/o" "$TMP/h3" POST /campaigns/1/form -H "$F" -d "csrf=$T3&revision=5&$FORM_VALID&action=review")"
check_grep "review goes to the review page" 'Location: /campaigns/1/review' cat "$TMP/o.h"
st "$TMP/o" "$TMP/h3" GET /campaigns/1/review >/dev/null
check_grep "review offers the submission" 'action="/campaigns/1/submit' cat "$TMP/o"
is "submit from the review" 303 "$(st "$TMP/o" "$TMP/h3" POST /campaigns/1/submit -H "$F" -d "csrf=$T3&revision=6")"
st "$TMP/o" "$TMP/h3" GET '/campaigns/1/receipt?lang=en' >/dev/null
check_grep "receipt with time and revision" '<dt>Submitted at</dt><dd><time datetime="20[0-9-]*T[0-9:]*+09:00">[0-9]* [A-Z][a-z][a-z] 20[0-9][0-9] [0-2][0-9]:[0-5][0-9] JST</time></dd><dt>Revision</dt><dd>7</dd>' cat "$TMP/o"
st "$TMP/o" "$TMP/h3" GET /campaigns/1/receipt >/dev/null
check_grep "... in Japanese" '<dt>提出日時</dt><dd><time datetime="20[0-9-]*T[0-9:]*+09:00">20[0-9][0-9]年[0-9]*月[0-9]*日 [0-2][0-9]:[0-5][0-9] JST</time></dd>' cat "$TMP/o"

# ---- headers -----------------------------------------------------------------
curl -s -D "$TMP/hdr" -o /dev/null -b "$TMP/h1" "$B/campaigns/1/form"
check_grep "CSP: no inline script, no framing" "Content-Security-Policy: default-src 'none'; style-src 'self'.*frame-ancestors 'none'" cat "$TMP/hdr"
check_grep "nosniff" 'X-Content-Type-Options: nosniff' cat "$TMP/hdr"
check_grep "no referrer to other sites" 'Referrer-Policy: same-origin' cat "$TMP/hdr"
check_grep "stylesheet from the binary" 'font-family' curl -s "$B/static/mamori.css"

# ---- closed campaign ---------------------------------------------------------
m campaign close 1 >/dev/null
is "closed: save refused: 409" 409 "$(st "$TMP/o" "$TMP/h2" PUT /api/v1/campaigns/1/response -H "$J" -H "X-CSRF-Token: $T2" -d '{"revision":1,"answers":{}}')"
check_grep "409 says closed" '"error":"closed"' cat "$TMP/o"
is "closed: submit refused: 409" 409 "$(st "$TMP/o" "$TMP/h2" POST /api/v1/campaigns/1/response/submit -H "$J" -H "X-CSRF-Token: $T2" -d "{\"revision\":1,\"answers\":$VALID}")"
st "$TMP/o" "$TMP/h2" GET '/campaigns/1/form?lang=en' >/dev/null
check_grep "the form says it is closed" 'This survey is closed' cat "$TMP/o"
check_exit 1 "... and offers no save" grep -q 'value="save"' "$TMP/o"

check_grep "audit: a respondent's sign-in, from its address" "org:H001	127.0.0.1	session.start" m audit
check_grep "audit: a refused sign-in" "org:H002	127.0.0.1	session.refused" m audit
check_grep "audit: a regulator's sign-in" "regulator:bob	127.0.0.1	session.start" m audit
check_grep "audit: saves are the organisation's, from its address" "org:H001	127.0.0.1	response.save" m audit
check_exit 1 "audit: no access code in it" sh -c "'$MAMORI' audit --db '$DB' | grep -q '$C1'"

# ---- the log and the stop ------------------------------------------------------
# the access log is written in batches, at least once a second
curl -s -o /dev/null "$B/log-probe-early"
i=0
until grep -q 'path="/log-probe-early"' "$TMP/server.log" || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
check_grep "a request's log line is written while the server runs" 'path="/log-probe-early" status=404' cat "$TMP/server.log"
check_grep "access log line" '^time=[0-9T:Z-]* addr=127.0.0.1 method=PUT path="/api/v1/campaigns/1/response" status=200 bytes=[0-9]* ms=[0-9.]* role=respondent$' cat "$TMP/server.log"
check_exit 1 "the log has no access code" grep -q "$C1" "$TMP/server.log"
check_exit 1 "the log has no answers" grep -q 'Secret-Alpha' "$TMP/server.log"
check_exit 1 "the log has no CSRF token" grep -q "$T1" "$TMP/server.log"
# lines still waiting at the stop are written before it ends
for i in $(seq 1 40); do echo "url = \"$B/log-probe-$i\""; done > "$TMP/probes"
curl -s -K "$TMP/probes" >/dev/null
kill -TERM "$PID"
i=0
while kill -0 "$PID" 2>/dev/null && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
check_exit 1 "SIGTERM stops the server" kill -0 "$PID"
wait "$PID"; rc=$?
is "... with status 0" 0 "$rc"
check_grep "... after finishing the requests in flight" '^mamori: stopped$' cat "$TMP/server.log"
is "... every request's log line written before it stopped" 40 "$(grep -c 'path="/log-probe-[0-9]*" status=404' "$TMP/server.log")"
is "... each line whole, none after the stop" "mamori: stopped" "$(tail -n 1 "$TMP/server.log")"
check_exit 1 "... no line broken into another" grep -q 'role=[a-z]*time=' "$TMP/server.log"
finish
