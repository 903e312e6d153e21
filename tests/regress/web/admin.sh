#!/bin/sh
# admin.sh - administration in the web against the real server on
# 127.0.0.1, with its own database: an administrator creates a regulator
# who can sign in, a regulator cannot create accounts, closing and
# extending a campaign as the respondent sees it, re-issuing an access
# code (the old one and its session end), disabling an account, sessions
# kept in the database across a restart and ended by logout, and the
# audit page listing all of it.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/serve.sh"
DB=$TMP/m.db
INS=$SRC/instruments/mhlw/hospital-backup-vpn-2022.yaml
m() { "$MAMORI" "$@" --db "$DB"; }

m init >/dev/null 2>&1
printf 'id,name,kind,prefecture,beds\nH001,Alpha,hospital,13,120\nH002,Beta,hospital,27,30\nB001,Bank,bank,13,\n' > "$TMP/orgs.csv"
m org import "$TMP/orgs.csv" >/dev/null
m campaign create --instrument "$INS" --title "Backup 2022" \
	--opens 2020-01-01 --closes 2099-12-31 --target "kind = 'hospital'" >/dev/null
m campaign invite 1 --out "$TMP/inv.csv" >/dev/null 2>&1
code() { tr -d '\r' < "$TMP/inv.csv" | awk -F, -v o="$1" '$1 == o { print $4 }'; }
C1=$(code H001); C2=$(code H002)
printf 'admin password 1\n' | m user add alice --role admin >/dev/null
check_grep "user add --role admin (password on stdin) is unchanged" '^user bob: regulator$' \
	sh -c "printf 'bob password 1\n' | '$MAMORI' user add bob --role regulator --db '$DB'"

PID=
stop() {
	[ -n "$PID" ] || return 0
	kill -TERM "$PID" 2>/dev/null
	wait "$PID" 2>/dev/null
	PID=
}
trap 'stop; rm -rf "$TMP"' EXIT
serve_start
check "the server answers" curl -sf -o /dev/null "$B/login"

J='Content-Type: application/json'
F='Content-Type: application/x-www-form-urlencoded'
is() { name=$1; want=$2; got=$3
	if [ "$got" = "$want" ]; then _ok "$name"; else _notok "$name" "status $got, wanted $want"; fi; }
loc() { sed -n 's/^Location: \([^\r]*\).*/\1/p' "$1.h"; }
# the CSRF token of a page's forms
csrf_of() { sed -n 's/.*name="csrf" value="\([0-9a-f]\{64\}\)".*/\1/p' "$1" | head -n 1; }
staff_login() {	# JAR USER PASSWORD -> status; the page's token in JAR.csrf
	s=$(st "$TMP/sl" "$1" POST /staff/login -H "$F" --data-urlencode "user=$2" --data-urlencode "password=$3")
	st "$TMP/slp" "$1" GET /campaigns >/dev/null
	csrf_of "$TMP/slp" > "$1.csrf"
	echo "$s"
}
org_login() {	# JAR ORG CODE -> status; token in JAR.csrf
	s=$(st "$TMP/ol" "$1" POST /api/v1/login -H "$J" -d "{\"organisation\":\"$2\",\"access_code\":\"$3\"}")
	sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p' "$TMP/ol" > "$1.csrf"
	echo "$s"
}
tok() { cat "$1.csrf"; }

# ---- accounts ------------------------------------------------------------
is "admin signs in" 303 "$(staff_login "$TMP/adm" alice 'admin password 1')"
TA=$(tok "$TMP/adm")
is "accounts page" 200 "$(st "$TMP/o" "$TMP/adm" GET '/admin/users?lang=en')"
check_grep "... lists the accounts" '<th scope="row">bob</th><td>regulator</td><td>enabled</td>' cat "$TMP/o"
check_grep "... with a labelled create form in a fieldset" '<fieldset><legend>Create an account</legend><p><label for="user">User name</label><input id="user"' cat "$TMP/o"
check_grep "Japanese by default" '<legend>アカウントの作成</legend>' curl -s -b "$TMP/adm" "$B/admin/users"
check_grep "the campaigns page links the accounts" 'href="/admin/users"' curl -s -b "$TMP/adm" "$B/campaigns"
is "create without the CSRF token: 403" 403 "$(st "$TMP/o" "$TMP/adm" POST /admin/users -H "$F" -d 'user=carol&role=regulator&password=carol+password+1&password2=carol+password+1')"
is "create: passwords differ: 400" 400 "$(st "$TMP/o" "$TMP/adm" POST '/admin/users?lang=en' -H "$F" -d "csrf=$TA&user=carol&role=regulator&password=carol+password+1&password2=carol+password+2")"
check_grep "... says so" 'role="alert">The password must have 10 to 1024 bytes and match' cat "$TMP/o"
is "create: a short password: 400" 400 "$(st "$TMP/o" "$TMP/adm" POST /admin/users -H "$F" -d "csrf=$TA&user=carol&role=regulator&password=short&password2=short")"
is "create: no role: 400" 400 "$(st "$TMP/o" "$TMP/adm" POST /admin/users -H "$F" -d "csrf=$TA&user=carol&role=root&password=carol+password+1&password2=carol+password+1")"
is "create: a bad name: 400" 400 "$(st "$TMP/o" "$TMP/adm" POST /admin/users -H "$F" -d "csrf=$TA&user=9carol&role=regulator&password=carol+password+1&password2=carol+password+1")"
is "create: an existing account: 409" 409 "$(st "$TMP/o" "$TMP/adm" POST /admin/users -H "$F" -d "csrf=$TA&user=bob&role=admin&password=bob+password+2&password2=bob+password+2")"
is "... and bob keeps his password" 303 "$(staff_login "$TMP/bob" bob 'bob password 1')"
is "admin creates regulator carol" 303 "$(st "$TMP/o" "$TMP/adm" POST /admin/users -H "$F" -d "csrf=$TA&user=carol&role=regulator&password=carol+password+1&password2=carol+password+1")"
check_grep "... and is sent back to the accounts" '^/admin/users?done=created$' loc "$TMP/o"
st "$TMP/o" "$TMP/adm" GET '/admin/users?done=created&lang=en' >/dev/null
check_grep "... which say so" 'role="status">The account was created.' cat "$TMP/o"
check_grep "... and list carol" '<th scope="row">carol</th><td>regulator</td><td>enabled</td>' cat "$TMP/o"
check_exit 1 "... showing no password" grep -q 'carol password' "$TMP/o"
is "carol signs in" 303 "$(staff_login "$TMP/car" carol 'carol password 1')"
TC=$(tok "$TMP/car")
check_grep "... to the campaigns" '^/campaigns$' loc "$TMP/sl"
is "a regulator cannot create accounts: 403" 403 "$(st "$TMP/o" "$TMP/car" POST /admin/users -H "$F" -d "csrf=$TC&user=eve&role=admin&password=eve+password+1&password2=eve+password+1")"
is "... nor see them: 403" 403 "$(st "$TMP/o" "$TMP/car" GET /admin/users)"
is "... nor disable them: 403" 403 "$(st "$TMP/o" "$TMP/car" POST /admin/users/disable -H "$F" -d "csrf=$TC&user=alice")"
is "eve was not created" 401 "$(st "$TMP/o" "$TMP/x" POST /api/v1/login -H "$J" -d '{"user":"eve","password":"eve password 1"}')"

# ---- the window: close, extend -------------------------------------------
is "respondent H001 signs in" 200 "$(org_login "$TMP/h1" H001 "$C1")"
T1=$(tok "$TMP/h1")
is "H001 saves a draft" 200 "$(st "$TMP/o" "$TMP/h1" PUT /api/v1/campaigns/1/response -H "$J" -H "X-CSRF-Token: $T1" -d '{"revision":0,"answers":{"respondent_name":"Taro"}}')"
check_grep "the dashboard links the survey's management" 'href="/campaigns/1/manage"' curl -s -b "$TMP/car" "$B/campaigns/1/dashboard"
is "manage page for a regulator" 200 "$(st "$TMP/o" "$TMP/car" GET '/campaigns/1/manage?lang=en')"
check_grep "... shows the state" '<p class="meta">Backup 2022 &middot; open</p>' cat "$TMP/o"
check_grep "... the windows" '<td>2020-01-01T00:00:00+09:00</td><td>2099-12-31T23:59:59+09:00</td>' cat "$TMP/o"
check_grep "... a labelled date to extend" '<label for="closes">New closing date</label><input id="closes" name="closes" type="date" required aria-describedby="h_closes">' cat "$TMP/o"
is "manage: unknown campaign: 404" 404 "$(st "$TMP/o" "$TMP/car" GET /campaigns/9/manage)"
is "respondent cannot manage: 403" 403 "$(st "$TMP/o" "$TMP/h1" GET /campaigns/1/manage)"
is "respondent cannot close: 403" 403 "$(st "$TMP/o" "$TMP/h1" POST /campaigns/1/window -H "$F" -d "csrf=$T1&action=close")"
is "close without the token: 403" 403 "$(st "$TMP/o" "$TMP/car" POST /campaigns/1/window -H "$F" -d "action=close")"
is "close with another session's token: 403" 403 "$(st "$TMP/o" "$TMP/car" POST /campaigns/1/window -H "$F" -d "csrf=$TA&action=close")"
is "unknown action: 400" 400 "$(st "$TMP/o" "$TMP/car" POST /campaigns/1/window -H "$F" -d "csrf=$TC&action=explode")"
is "carol closes the campaign" 303 "$(st "$TMP/o" "$TMP/car" POST /campaigns/1/window -H "$F" -d "csrf=$TC&action=close")"
check_grep "... back to the manage page" '^/campaigns/1/manage?done=close$' loc "$TMP/o"
check_grep "... which says it is closed" 'role="status">締め切りました。' curl -s -b "$TMP/car" "$B/campaigns/1/manage?done=close"
st "$TMP/o" "$TMP/h1" GET '/campaigns/1/form?lang=en' >/dev/null
check_grep "the respondent sees the closed notice" 'This survey is closed' cat "$TMP/o"
is "... and a save gets 409" 409 "$(st "$TMP/o" "$TMP/h1" PUT /api/v1/campaigns/1/response -H "$J" -H "X-CSRF-Token: $T1" -d '{"revision":1,"answers":{"respondent_name":"Jiro"}}')"
check_grep "... closed" '"error":"closed"' cat "$TMP/o"
is "extend: not a date: 400" 400 "$(st "$TMP/o" "$TMP/car" POST /campaigns/1/window -H "$F" -d "csrf=$TC&action=extend&closes=soon")"
is "extend: before the window opens: 400" 400 "$(st "$TMP/o" "$TMP/car" POST /campaigns/1/window -H "$F" -d "csrf=$TC&action=extend&closes=2019-12-31")"
is "carol extends to 2100-03-31" 303 "$(st "$TMP/o" "$TMP/car" POST /campaigns/1/window -H "$F" -d "csrf=$TC&action=extend&closes=2100-03-31")"
st "$TMP/o" "$TMP/car" GET '/campaigns/1/manage?lang=en' >/dev/null
check_grep "... the campaign is open again" '<p class="meta">Backup 2022 &middot; open</p>' cat "$TMP/o"
check_grep "... until the new date" '<td>2100-03-31T23:59:59+09:00</td>' cat "$TMP/o"
is "... and the respondent saves again" 200 "$(st "$TMP/o" "$TMP/h1" PUT /api/v1/campaigns/1/response -H "$J" -H "X-CSRF-Token: $T1" -d '{"revision":1,"answers":{"respondent_name":"Jiro"}}')"

# ---- re-issuing an access code ---------------------------------------------
is "H002 signs in" 200 "$(org_login "$TMP/h2" H002 "$C2")"
is "re-issue without the confirmation: 400" 400 "$(st "$TMP/o" "$TMP/car" POST '/campaigns/1/code?lang=en' -H "$F" -d "csrf=$TC&organisation=H001")"
check_grep "... asks for it" 'role="alert">Tick the confirmation.' cat "$TMP/o"
is "re-issue: not in the campaign: 404" 404 "$(st "$TMP/o" "$TMP/car" POST /campaigns/1/code -H "$F" -d "csrf=$TC&organisation=B001&confirm=yes")"
is "re-issue: unknown organisation: 404" 404 "$(st "$TMP/o" "$TMP/car" POST /campaigns/1/code -H "$F" -d "csrf=$TC&organisation=NOPE&confirm=yes")"
is "the old code still works before" 200 "$(org_login "$TMP/x" H001 "$C1")"
is "carol re-issues H001's code" 200 "$(st "$TMP/o" "$TMP/car" POST '/campaigns/1/code?lang=en' -H "$F" -d "csrf=$TC&organisation=H001&confirm=yes")"
NEW=$(sed -n 's/.*<p class="code"><code>\([A-Z2-9-]*\)<\/code>.*/\1/p' "$TMP/o")
check "... the new code is on the page" test "${#NEW}" -eq 24
check_grep "... shown once, and said so" 'This is the only time the code is shown' cat "$TMP/o"
check_grep "... never cached" 'Cache-Control: no-store' cat "$TMP/o.h"
is "the old code fails" 401 "$(org_login "$TMP/x" H001 "$C1")"
is "the old code's session ended" 401 "$(st "$TMP/o" "$TMP/h1" GET /api/v1/campaigns)"
is "... for pages too: to the sign-in" 303 "$(st "$TMP/o" "$TMP/h1" GET /campaigns/1/form)"
is "another organisation's session goes on" 200 "$(st "$TMP/o" "$TMP/h2" GET /api/v1/campaigns)"
is "the new code works" 200 "$(org_login "$TMP/h1" H001 "$NEW")"
is "... to the same response" 200 "$(st "$TMP/o" "$TMP/h1" GET /api/v1/campaigns/1/response)"
check_grep "... with its answers" '"respondent_name":"Jiro"' cat "$TMP/o"

# ---- disabling an account ---------------------------------------------------
is "an admin cannot disable itself: 400" 400 "$(st "$TMP/o" "$TMP/adm" POST /admin/users/disable -H "$F" -d "csrf=$TA&user=alice")"
is "disable an unknown account: 404" 404 "$(st "$TMP/o" "$TMP/adm" POST /admin/users/disable -H "$F" -d "csrf=$TA&user=nobody")"
is "alice disables bob" 303 "$(st "$TMP/o" "$TMP/adm" POST /admin/users/disable -H "$F" -d "csrf=$TA&user=bob")"
is "bob's session ended" 303 "$(st "$TMP/o" "$TMP/bob" GET /campaigns/1/dashboard)"
check_grep "... to the sign-in" '^/login$' loc "$TMP/o"
is "bob cannot sign in" 401 "$(staff_login "$TMP/x" bob 'bob password 1')"
check_grep "the accounts say bob is disabled" '<th scope="row">bob</th><td>regulator</td><td>disabled</td>' curl -s -b "$TMP/adm" "$B/admin/users?lang=en"

# ---- sessions in the database -----------------------------------------------
TOKEN=$(awk '$6 == "mamori_session" { print $7 }' "$TMP/adm")
check "a session cookie is 64 hex digits" sh -c "printf '%s' '$TOKEN' | grep -qx '[0-9a-f]\{64\}'"
check "the database keeps no session token, only its hash" python3 - "$DB" "$TOKEN" <<'PY'
import hashlib, sqlite3, sys
db, token = sys.argv[1], sys.argv[2]
c = sqlite3.connect(db)
ids = [r[0] for r in c.execute("SELECT id FROM session")]
assert hashlib.sha256(bytes.fromhex(token)).hexdigest() in ids, "no hash"
for t in c.execute("SELECT name FROM sqlite_schema WHERE type = 'table'"):
    for row in c.execute("SELECT * FROM %s" % t[0]):
        assert token not in repr(row), t[0]
PY
stop
check "... nor does its log" sh -c "! grep -q '$TOKEN' '$TMP/server.log'"
serve_start
is "after a restart the admin is still signed in" 200 "$(st "$TMP/o" "$TMP/adm" GET /admin/users)"
is "... and so is the respondent" 200 "$(st "$TMP/o" "$TMP/h1" GET /api/v1/campaigns/1/response)"
is "... with the same CSRF token" 303 "$(st "$TMP/o" "$TMP/car" POST /campaigns/1/window -H "$F" -d "csrf=$TC&action=schedule")"

# ---- the audit page ----------------------------------------------------------
is "audit page for a regulator" 200 "$(st "$TMP/o" "$TMP/car" GET '/admin/audit?lang=en')"
for a in user.add user.disable campaign.close campaign.extend campaign.schedule code.reissue session.start; do
	check_grep "audit lists $a" "<td><a href=\"/admin/audit?action=$a&amp;lang=en\">$a</a></td>" cat "$TMP/o"
done
check_grep "... who and from where" '<td>regulator:carol</td><td>127.0.0.1</td><td><a href="/admin/audit?action=code.reissue&amp;lang=en">code.reissue</a></td><td>campaign:1/H001</td>' cat "$TMP/o"
check_grep "... the admin's new account" '<td>admin:alice</td><td>127.0.0.1</td><td><a href="/admin/audit?action=user.add&amp;lang=en">user.add</a></td><td>user:carol</td>' cat "$TMP/o"
check_exit 1 "... no access code in it" grep -q "$NEW" "$TMP/o"
check_out "... newest first" "schedule schedule extend close invite create" sh -c "grep -o 'action=campaign\.[a-z]*&amp;lang=en\">campaign' '$TMP/o' | sed 's/action=campaign\.//; s/&.*//' | tr '\n' ' ' | sed 's/ $//'"
st "$TMP/o" "$TMP/car" GET '/admin/audit?action=code.reissue' >/dev/null
check_grep "filter by action" 'campaign:1/H001' cat "$TMP/o"
check_exit 1 "... nothing else" grep -q 'action=user.add' "$TMP/o"
is "filter: a bad action: 400" 400 "$(st "$TMP/o" "$TMP/car" GET '/admin/audit?action=a%20b')"
i=0; while [ $i -lt 52 ]; do m campaign schedule 1 >/dev/null; i=$((i + 1)); done
st "$TMP/o" "$TMP/car" GET '/admin/audit?action=campaign.schedule&lang=en' >/dev/null
check_out "paging: 50 events a page" 50 sh -c "grep -c '^<tr><td>' '$TMP/o'"
OLDER=$(sed -n 's/.*<a href="\(\/admin\/audit?action=campaign.schedule&amp;before=[0-9]*&amp;lang=en\)">Older events<\/a>.*/\1/p' "$TMP/o" | sed 's/&amp;/\&/g')
check "... and a link to the older ones" test -n "$OLDER"
st "$TMP/o" "$TMP/car" GET "$OLDER" >/dev/null
check_out "... which has the rest (52 + 2 before)" 4 sh -c "grep -c '^<tr><td>' '$TMP/o'"
check_exit 1 "... and no older link" grep -q 'Older events' "$TMP/o"
check_grep "... but one to the newest" '>Newest events</a>' cat "$TMP/o"
is "paging: older than the first event: empty" 200 "$(st "$TMP/o" "$TMP/car" GET '/admin/audit?before=1&lang=en')"
check_grep "... says so" '<p>No events.</p>' cat "$TMP/o"
is "a respondent cannot read the audit log: 403" 403 "$(st "$TMP/o" "$TMP/h1" GET /admin/audit)"
is "nobody: to the sign-in" 303 "$(st "$TMP/o" "$TMP/nobody" GET /admin/audit)"

# ---- logout -----------------------------------------------------------------
is "the admin signs out" 303 "$(st "$TMP/o" "$TMP/adm" POST /logout -H "$F" -d "csrf=$TA")"
is "the old cookie no longer works" 401 "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: mamori_session=$TOKEN" "$B/api/v1/campaigns")"
stop
serve_start
is "... not even after a restart" 401 "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: mamori_session=$TOKEN" "$B/api/v1/campaigns")"
check_grep "the sign-out is in the audit log" 'admin:alice	127.0.0.1	session.end' m audit
stop
finish
