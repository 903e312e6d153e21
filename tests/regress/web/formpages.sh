#!/bin/sh
# formpages.sh - the respondent's form page, byte for byte: the pages of
# the bundled instruments in every state a form can be in (empty, partly
# answered with errors and items that do not apply, answered with repeat
# rows and several choices, with evidence beside its questions, after a
# save or a stale save, submitted, in a closed campaign), in Japanese and
# English, against the pages kept in formpages/ (gzip); formpages.yaml
# adds choices inside a repeat and texts that need escaping. The session's
# CSRF token, the one part that differs per sign-in, is replaced by
# "CSRF" before comparing.
#   FORMPAGES_WRITE=1 formpages.sh MAMORI   writes formpages/ anew
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/serve.sh"
DB=$TMP/m.db
G=$SRC/tests/regress/web/formpages
I=$SRC/instruments/mhlw
D=$SRC/tests/data/evidence
m() { "$MAMORI" "$@" --db "$DB"; }

m init >/dev/null 2>&1
{
	echo "id,name,kind,prefecture,beds"
	for o in H001 H002 H003 H004 H005; do echo "$o,\"Hospital <$o> & \"\"Co\"\"\",hospital,13,100"; done
} > "$TMP/orgs.csv"
m org import "$TMP/orgs.csv" >/dev/null
open() {	# INSTRUMENT TITLE
	m campaign create --instrument "$1" --title "$2" \
		--opens 2020-01-01 --closes 2099-12-31 --target "kind = 'hospital'" >/dev/null
}
open "$I/hospital-backup-vpn-2022.yaml" "Backup <2022> & VPN"
open "$I/incident-report.yaml" "Incidents"
open "$I/medical-checklist-2025.yaml" "Checklist 2025"
open "$I/hospital-backup-vpn-2022.yaml" "Closed"
open "$SRC/tests/regress/web/formpages.yaml" "Escapes <&>"
open "$SRC/tests/regress/web/formpages.yaml" "Escapes, closed"
for c in 1 2 3 4 5 6; do m campaign invite $c --out "$TMP/inv$c.csv" >/dev/null 2>&1; done
code() { tr -d '\r' < "$TMP/inv$1.csv" | awk -F, -v o="$2" '$1 == o { print $4 }'; }

# evidence for H004 in campaign 1 (as check.sh makes it)
"$MAMORI" vpnlog audit --year 2024 --allow 10.0.0.0/8 --json "$D/fortigate.log" > "$TMP/audit.json"
"$MAMORI" firmware check --catalog "$SRC/data/vpn-kev.yaml" --json \
	--vendor Fortinet --product "FortiGate 60E" --version 6.0.4 > "$TMP/fw.json"
m evidence attach 1 H004 "$TMP/audit.json" >/dev/null
m evidence attach 1 H004 "$TMP/fw.json" >/dev/null

serve_start
trap 'kill -TERM "$PID" 2>/dev/null; rm -rf "$TMP"' EXIT
check "the server answers" curl -sf -o /dev/null "$B/login"

J='Content-Type: application/json'
login() {	# CAMPAIGN ORG: jar $TMP/CAMPAIGN-ORG, its token in .csrf
	curl -s -c "$TMP/$1-$2" -H "$J" \
		-d "{\"organisation\":\"$2\",\"access_code\":\"$(code "$1" "$2")\"}" \
		"$B/api/v1/login" | sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p' > "$TMP/$1-$2.csrf"
}
save() {	# CAMPAIGN ORG REVISION ANSWERS: the status
	curl -s -o "$TMP/save.out" -w '%{http_code}' -b "$TMP/$1-$2" -X PUT -H "$J" \
		-H "X-CSRF-Token: $(cat "$TMP/$1-$2.csrf")" \
		-d "{\"revision\":$3,\"answers\":$4}" "$B/api/v1/campaigns/$1/response"
}
is() { name=$1; want=$2; got=$3
	if [ "$got" = "$want" ]; then _ok "$name"; else _notok "$name" "got $got, wanted $want"; fi; }

for c in 1 2 3 4 5 6; do for o in H001 H002 H003 H004 H005; do login $c $o; done; done
check_out "every respondent signed in" "30" sh -c "cat '$TMP'/*.csrf | grep -c '^[0-9a-f]\{64\}$'"

# campaign 1: H001 empty; H002 partly, with errors and items that do not
# apply; H003 with repeat rows; H004 with evidence; H005 submitted
is "H002 saves a part with errors" 200 "$(save 1 H002 0 '{"respondent_name":"<b>山田</b> & \"x\"","respondent_phone":"12","q5_ehr":"no","q10_vpn":"yes","q11_vpn_devices":[{"maker":"A","units":"x"},{"model":"M<1>","units":0}]}')"
FULL='"respondent_name":"山田 太郎","respondent_department":"情報システム課","respondent_phone":"03-1234-5678","respondent_email":"it@example.jp","q2_security_officer":"appointed_separate","q3_guideline":"guideline_and_tools","q4_emergency_procedure":"documented_trained","q5_ehr":"yes","q6_backup":"made_restore_tested","q7_generations":"yes","q8_isolated_storage":"no","q9_leak_protection":"yes","q10_vpn":"yes","q12_vpn_updated":"yes","q13_vpn_restricted":"unknown","q14_vpn_log_review":"no"'
ROWS='"q11_vpn_devices":[{"maker":"Fortinet","model":"FortiGate 60E","units":2,"firmware":"6.0.4"},{"maker":"Yamaha","model":"RTX1210","units":1},{"maker":"NEC","model":"UNIVERGE IX","units":3,"firmware":"10.2"}]'
is "H003 saves repeat rows" 200 "$(save 1 H003 0 "{$FULL,$ROWS}")"
is "H003 saves again" 200 "$(save 1 H003 1 "{$FULL,$ROWS}")"
is "H004 saves a part" 200 "$(save 1 H004 0 '{"q10_vpn":"yes","q12_vpn_updated":"yes"}')"
is "H005 saves all" 200 "$(save 1 H005 0 "{$FULL,$ROWS}")"
is "H005 submits" 200 "$(curl -s -o "$TMP/sub.out" -w '%{http_code}' -b "$TMP/1-H005" -X POST -H "$J" \
	-H "X-CSRF-Token: $(cat "$TMP/1-H005.csrf")" -d '{"revision":1}' "$B/api/v1/campaigns/1/response/submit")"
# campaign 2: choices of several (select_multiple)
is "incident: H002 saves choices of several" 200 "$(save 2 H002 0 '{"report_kind":"first","incident_types":"ransomware dos other","systems_affected":"ehr vpn"}')"
is "incident: H003 saves a wrong choice" 200 "$(save 2 H003 0 '{"report_kind":"nonsense","incident_types":"ransomware bogus"}')"
# campaign 3: the largest form
is "checklist: H002 saves a part" 200 "$(save 3 H002 0 '{}')"
# campaign 4: answered, then closed
is "closed: H002 saves" 200 "$(save 4 H002 0 "{$FULL,$ROWS}")"
is "closed: H003 saves with errors" 200 "$(save 4 H003 0 '{"respondent_phone":"12","q10_vpn":"yes","q11_vpn_devices":[{"units":"x"}]}')"
# campaigns 5 and 6: choices inside a repeat, then closed
ROWS5='"uses":"yes","since":"2024-04-01","share":0.25,"systems":[{"kind":"edr waf","managed":"no","count":2},{"kind":"siem","count":1},{"kind":"waf"}]'
is "escapes: H002 saves repeat rows with choices" 200 "$(save 5 H002 0 "{$ROWS5}")"
is "escapes: H003 saves errors in rows" 200 "$(save 5 H003 0 '{"uses":"yes","share":2,"systems":[{"kind":"bogus","managed":"maybe","count":0},{}]}')"
is "escapes: H004 saves what does not apply" 200 "$(save 5 H004 0 '{"uses":"no","systems":[{"kind":"edr"}]}')"
is "escapes, closed: H002 saves" 200 "$(save 6 H002 0 "{$ROWS5}")"
m campaign close 4 >/dev/null
m campaign close 6 >/dev/null

# the pages: NAME CAMPAIGN ORG QUERY
pages() {
	for c in 1 2 3 4 5 6; do for o in H001 H002 H003 H004 H005; do
		echo "c$c-$o-ja $c $o"
		echo "c$c-$o-en $c $o lang=en"
	done; done
	echo "c1-H002-saved-en 1 H002 lang=en&saved=1"
	echo "c1-H002-stale-ja 1 H002 stale=1"
	echo "c1-H004-accepted-ja 1 H004 evidence=accepted"
	echo "c1-H004-overridden-en 1 H004 lang=en&evidence=overridden"
}
[ -n "${FORMPAGES_WRITE:-}" ] && mkdir -p "$G"
pages | while read -r name c o q; do
	curl -s -b "$TMP/$c-$o" "$B/campaigns/$c/form?$q" |
		sed "s/$(cat "$TMP/$c-$o.csrf")/CSRF/g" > "$TMP/$name.html"
	if [ -n "${FORMPAGES_WRITE:-}" ]; then
		gzip -n -9 < "$TMP/$name.html" > "$G/$name.html.gz"
		_ok "$name: written"
	elif [ ! -f "$G/$name.html.gz" ]; then
		_notok "$name: the same page" "no $G/$name.html.gz"
	elif gzip -dc "$G/$name.html.gz" | cmp -s - "$TMP/$name.html"; then
		_ok "$name: the same page ($(wc -c < "$TMP/$name.html") bytes)"
	else
		_notok "$name: the same page" "$(gzip -dc "$G/$name.html.gz" |
			diff - "$TMP/$name.html" | head -n 20)"
	fi
	echo "$T_N $T_FAIL" > "$TMP/counts"
done
# the loop ran in a subshell: its counts
read -r T_N T_FAIL < "$TMP/counts"
check_grep "a page has its form" '<form method="post"' cat "$TMP/c1-H001-ja.html"
check_grep "the closed campaign's page says so" 'notice closed' cat "$TMP/c4-H002-en.html"
check_grep "the errors are shown" 'class="q invalid"' cat "$TMP/c1-H002-en.html"
check_grep "the repeat rows are there" 'q11_vpn_devices.2.maker' cat "$TMP/c1-H003-ja.html"
check_grep "the evidence box is there" 'class="evidence"' cat "$TMP/c1-H004-ja.html"
check_grep "the submitted response has its receipt" '/receipt' cat "$TMP/c1-H005-en.html"
check_grep "choices of several are checked" 'value="dos" checked' cat "$TMP/c2-H002-en.html"
check_grep "choices in a repeat row are checked" 'name="systems.0.kind" value="waf" checked' cat "$TMP/c5-H002-en.html"
check_grep "... and closed, disabled" 'name="systems.1.kind" value="siem" checked disabled' cat "$TMP/c6-H002-ja.html"
check_grep "a repeat's hint is there" '<p class="hint">' cat "$TMP/c1-H001-ja.html"
check_exit 1 "no page has an empty id" sh -c "cat '$TMP'/c*.html | grep -q 'id=\"\"'"
finish
