#!/bin/sh
# iot.sh - the IoT-SSF page (/iot) end to end on 127.0.0.1 (a free port),
# with its own database: the form with the template, the AGV model's
# report inside the page, a broken model's located errors (the same lines
# as the command line's), CSRF, sign-in, the size limit, no external
# URLs, escaping, and that nothing is stored.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/serve.sh"
DB=$TMP/m.db
INS=$SRC/instruments/mhlw/hospital-backup-vpn-2022.yaml
AGV=$SRC/instruments/meti/iot-ssf/agv-warehouse.yaml
BAD=$SRC/tests/data/iotssf/bad-unknown-device.yaml
m() { "$MAMORI" "$@" --db "$DB"; }

m init >/dev/null 2>&1
printf 'id,name,kind,prefecture,beds\nH001,Alpha,hospital,13,120\n' > "$TMP/orgs.csv"
m org import "$TMP/orgs.csv" >/dev/null
m campaign create --instrument "$INS" --title "Backup 2022" \
	--opens 2020-01-01 --closes 2099-12-31 --target "kind = 'hospital'" >/dev/null
m campaign invite 1 --out "$TMP/inv1.csv" >/dev/null 2>&1
C1=$(tr -d '\r' < "$TMP/inv1.csv" | awk -F, '$1 == "H001" { print $4 }')
printf 'regulator pass 1\n' | m user add bob --role regulator >/dev/null

serve_start MAMORI_DATA="$SRC/data"
trap 'kill -TERM "$PID" 2>/dev/null; rm -rf "$TMP"' EXIT
check "the server answers" curl -sf -o /dev/null "$B/login"

J='Content-Type: application/json'
F='Content-Type: application/x-www-form-urlencoded'
login() {	# JAR JSON -> status; csrf in JAR.csrf
	s=$(st "$TMP/login" "$1" POST /api/v1/login -H "$J" -d "$2")
	sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p' "$TMP/login" > "$1.csrf"
	echo "$s"
}
is() { name=$1; want=$2; got=$3
	if [ "$got" = "$want" ]; then _ok "$name"; else _notok "$name" "status $got, wanted $want"; fi; }
# post JAR FILE [curl args...]: POST /iot with the model in FILE
post() {
	jar=$1; file=$2; shift 2
	st "$TMP/o" "$jar" POST "/iot$QS" -H "$F" --data-urlencode "csrf=$(cat "$jar.csrf")" \
		--data-urlencode "model@$file" "$@"
}
# the located problems listed on the page, unescaped, one a line
problems() {
	python3 -c 'import html, re, sys
t = open(sys.argv[1], encoding="utf-8").read()
ol = re.search(r"<ol class=\"located\">(.*?)</ol>", t, re.S)
for li in re.findall(r"<li><code>(.*?)</code></li>", ol.group(1) if ol else "", re.S):
    print(html.unescape(li))' "$1"
}
# every URL the page would load or go to that leaves the server
external() {
	grep -Eo '(src|href|action|xlink:href)="[^"]*"|url\([^)]*\)|@import[^;]*' "$1" |
		grep -Ev '="(/[^/]|/"|#|\?)|^url\(#' || true
}

is "respondent signs in" 200 "$(login "$TMP/h1" "{\"organisation\":\"H001\",\"access_code\":\"$C1\"}")"
is "regulator signs in" 200 "$(login "$TMP/reg" '{"user":"bob","password":"regulator pass 1"}')"
"$MAMORI" serve --routes > "$TMP/routes"
check_grep "route table: GET /iot for the signed-in" '^GET /iot respondent regulator admin$' cat "$TMP/routes"
check_grep "route table: POST /iot needs the CSRF token" '^POST /iot respondent regulator admin csrf$' cat "$TMP/routes"
m audit > "$TMP/audit.before"

# ---- the form ------------------------------------------------------------------
is "the campaigns page (respondent)" 200 "$(st "$TMP/o" "$TMP/h1" GET /campaigns)"
check_grep "it links to the IoT-SSF page" 'href="/iot"' cat "$TMP/o"
is "GET /iot as a respondent" 200 "$(st "$TMP/o" "$TMP/h1" GET /iot)"
check_grep "the form carries the CSRF token" "<input type=\"hidden\" name=\"csrf\" value=\"$(cat "$TMP/h1.csrf")\">" cat "$TMP/o"
check_grep "the textarea holds the template" '^id: my-system$' cat "$TMP/o"
check_grep "the template is escaped text" 'title: {ja: 対象システムの名称, en: Name of the system}' cat "$TMP/o"
check_grep "a language choice for the report" 'name="report" value="en"' cat "$TMP/o"
check_grep "the page says nothing is stored" 'サーバーに保存されません' cat "$TMP/o"
check_out "the form page has no external URL" "" external "$TMP/o"
is "GET /iot as a regulator, in English" 200 "$(st "$TMP/o" "$TMP/reg" GET '/iot?lang=en')"
check_grep "... says nothing is stored" 'Nothing is stored' cat "$TMP/o"
check_grep "... posts back in English" 'action="/iot?lang=en"' cat "$TMP/o"
check_grep "... and the report defaults to English" 'value="en" checked' cat "$TMP/o"

# ---- sign-in and CSRF -------------------------------------------------------------
: > "$TMP/nobody"; echo 0 > "$TMP/nobody.csrf"
is "not signed in: GET redirected" 303 "$(st "$TMP/o" "$TMP/nobody" GET /iot)"
check_grep "... to the sign-in" '^Location: /login' cat "$TMP/o.h"
is "not signed in: POST redirected" 303 "$(QS= post "$TMP/nobody" "$AGV")"
check_grep "... to the sign-in" '^Location: /login' cat "$TMP/o.h"
is "POST without the CSRF token: 403" 403 "$(st "$TMP/o" "$TMP/h1" POST /iot -H "$F" --data-urlencode "model@$AGV")"
is "POST with another session's token: 403" 403 "$(st "$TMP/o" "$TMP/h1" POST /iot -H "$F" --data-urlencode "csrf=$(cat "$TMP/reg.csrf")" --data-urlencode "model@$AGV")"

# ---- the AGV model -------------------------------------------------------------------
QS='?lang=en'
is "POST the AGV model" 200 "$(post "$TMP/h1" "$AGV" --data-urlencode report=en)"
cp "$TMP/o" "$TMP/agv.html"
for s in 'Logistics company' 'System integrator' 'AGV manufacturer'; do
	check_grep "the report shows the stakeholder $s" "<b>$s</b>" cat "$TMP/agv.html"
done
check_grep "the report draws the grid" '<div class="grid"><svg ' cat "$TMP/agv.html"
check_grep "the report is inside the page frame" '<header class="site">' cat "$TMP/agv.html"
check_grep "... in its own block, in its language" '<div class="iot-report" lang="en"><header><h1>' cat "$TMP/agv.html"
check_grep "the report's ranked gaps are there" '<ol class="gaps">' cat "$TMP/agv.html"
check_out "one document: one <html>, one <body>" "1 1" sh -c "printf '%s %s' \$(grep -o '<html' '$TMP/agv.html' | wc -l) \$(grep -o '<body' '$TMP/agv.html' | wc -l)"
check_exit 1 "no inline <style> (the CSP forbids it)" grep -q '<style' "$TMP/agv.html"
check_exit 1 "no <script>" grep -q '<script' "$TMP/agv.html"
check_exit 1 "no <meta> CSP of the report's own inside the page" grep -q 'http-equiv' "$TMP/agv.html"
check_out "the report page has no external URL" "" external "$TMP/agv.html"
check_grep "the report's rules are in the served stylesheet" '^\.iot-report \.grid svg' curl -s "$B/static/mamori.css"
check_grep "the stakeholder colours too" 'tr:nth-child(8n+1) .dot { background: #0050b3; }' curl -s "$B/static/mamori.css"
check_grep "the model stays in the form below the report" '^id: agv-warehouse$' cat "$TMP/agv.html"
curl -s -D "$TMP/hdr" -o /dev/null -b "$TMP/h1" "$B/iot"
check_grep "the CSP is the server's, unchanged" "Content-Security-Policy: default-src 'none'; style-src 'self'; img-src 'self';" cat "$TMP/hdr"
QS=
is "the same model as a regulator, in Japanese" 200 "$(post "$TMP/reg" "$AGV")"
check_grep "... names the stakeholders in Japanese" '<b>物流事業者</b>' cat "$TMP/o"
check_grep "... headings in Japanese" 'ステークホルダーと目標とするリスクの水準' cat "$TMP/o"
is "CRLF line ends (as browsers send) are read" 200 "$(sed 's/$/\r/' "$AGV" > "$TMP/agv-crlf.yaml"; post "$TMP/h1" "$TMP/agv-crlf.yaml")"
check_grep "... and give the report" '<div class="grid"><svg ' cat "$TMP/o"

# ---- a broken model ----------------------------------------------------------------
is "POST a broken model: 200" 200 "$(post "$TMP/h1" "$BAD")"
cp "$TMP/o" "$TMP/bad.html"
"$MAMORI" iot check - --catalog "$SRC/data/iot-ssf" < "$BAD" 2>&1 | sed 's/^<stdin>://' > "$TMP/cli-errors"
check "the command line finds problems in it" test -s "$TMP/cli-errors"
check_out "the page lists the loader's located lines, exactly" "$(cat "$TMP/cli-errors")" problems "$TMP/bad.html"
check_grep "... such as the unknown device" "^17:9: incident 'overheat': unknown device 'heater' (did you mean 'heaters'?)$" problems "$TMP/bad.html"
check_grep "the textarea is described by the list" 'aria-describedby="iot-help iot-errors" aria-invalid="true">' cat "$TMP/bad.html"
check_grep "the list is announced" 'class="notice error" role="alert" id="iot-errors"' cat "$TMP/bad.html"
check_grep "the text is kept" '^      - heater$' cat "$TMP/bad.html"
check_exit 1 "no report for a broken model" grep -q 'class="iot-report"' "$TMP/bad.html"
printf 'id: x\ntitle: [a\n' > "$TMP/syntax.yaml"
is "a YAML syntax error: 200" 200 "$(post "$TMP/h1" "$TMP/syntax.yaml")"
check_grep "... located too" '^3:1: YAML syntax: ' problems "$TMP/o"
: > "$TMP/empty.yaml"
is "an empty model: 200" 200 "$(post "$TMP/h1" "$TMP/empty.yaml")"
check_grep "... asks for one" 'モデルを入力してください。' cat "$TMP/o"
is "a report language other than ja or en: 400" 400 "$(post "$TMP/h1" "$AGV" --data-urlencode report=fr)"

# ---- escaping ----------------------------------------------------------------------
sed 's/^title: .*/title: "<script>alert(1)<\/script> \&amp;"/' "$SRC/tests/data/iotssf/within-target.yaml" > "$TMP/xss.yaml"
check_grep "the model's title holds <script>" '^title: "<script>alert(1)</script> &amp;"$' cat "$TMP/xss.yaml"
is "a model whose title holds <script>" 200 "$(post "$TMP/h1" "$TMP/xss.yaml")"
check_grep "... is assessed" 'class="iot-report"' cat "$TMP/o"
check_grep "... with the title escaped" '<h1>&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp;</h1>' cat "$TMP/o"
check_exit 1 "... and never as markup" grep -q '<script' "$TMP/o"
printf 'id: x\ntitle: t\nfoo</textarea><script>x</script>: 1\n' > "$TMP/xss2.yaml"
is "a broken model that tries to close the textarea" 200 "$(post "$TMP/h1" "$TMP/xss2.yaml")"
check_exit 1 "... stays text" grep -q '</textarea><script' "$TMP/o"
check_grep "... escaped in the textarea" 'foo&lt;/textarea&gt;&lt;script&gt;x&lt;/script&gt;: 1' cat "$TMP/o"

# ---- the size limit -----------------------------------------------------------------
{ cat "$AGV"; i=0; while [ $i -lt 600 ]; do echo "# padding line $i .........................................."; i=$((i + 1)); done; } > "$TMP/big.yaml"
check "the padded model is over 48 KiB and under 64 KiB" test "$(wc -c < "$TMP/big.yaml")" -gt 49152 -a "$(wc -c < "$TMP/big.yaml")" -lt 65536
is "a model over 48 KiB: 413" 413 "$(post "$TMP/h1" "$TMP/big.yaml")"
check_grep "... says why, with the limit" "モデルが大きすぎます（$(wc -c < "$TMP/big.yaml") バイト）。上限は 49152 バイトです。" cat "$TMP/o"
check_grep "... tied to the textarea" 'aria-describedby="iot-help iot-problem" aria-invalid="true"' cat "$TMP/o"
check_exit 1 "... and assesses nothing" grep -q 'class="iot-report"' "$TMP/o"
head -c 49152 "$TMP/big.yaml" > "$TMP/limit.yaml"
is "a model of exactly 48 KiB is assessed" 200 "$(post "$TMP/h1" "$TMP/limit.yaml")"
check_grep "... into a report" 'class="iot-report"' cat "$TMP/o"
{ cat "$TMP/big.yaml" "$TMP/big.yaml"; } > "$TMP/bigger.yaml"
is "a model over the form's 64 KiB field limit: 413" 413 "$(post "$TMP/h1" "$TMP/bigger.yaml")"
check_grep "... says the form is too large" 'the form is too large' cat "$TMP/o"

# ---- nothing stored -------------------------------------------------------------------
m audit > "$TMP/audit.after"
check "nothing about the models reached the database" cmp -s "$TMP/audit.before" "$TMP/audit.after"
check_exit 1 "the log holds no model text" grep -q 'agv-warehouse\|heater' "$TMP/server.log"
i=0	# written within a second (in batches)
until grep -q 'method=POST path="/iot" status=200' "$TMP/server.log" || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
check_grep "the access log has the posts" 'method=POST path="/iot" status=200' cat "$TMP/server.log"
finish
