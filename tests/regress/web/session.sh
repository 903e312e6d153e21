#!/bin/sh
# session.sh - a session on the pages that only read (the form, the
# review, the receipt: found in the page's own read snapshot): each page
# moves the session's last_seen once it was a minute old, and that write
# stays (it is not rolled back with the snapshot); a session idle for more
# than an hour, or whose access code another process revoked, sends its
# browser to sign in on the next of those pages.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/serve.sh"
DB=$TMP/m.db
INS=$SRC/instruments/mhlw/hospital-backup-vpn-2022.yaml
m() { "$MAMORI" "$@" --db "$DB"; }

m init >/dev/null 2>&1
printf 'id,name,kind,prefecture,beds\nH001,Hospital 1,hospital,13,100\nH002,Hospital 2,hospital,13,100\n' \
	> "$TMP/orgs.csv"
m org import "$TMP/orgs.csv" >/dev/null
m campaign create --instrument "$INS" --title "Sessions" \
	--opens 2020-01-01 --closes 2099-12-31 --target "kind = 'hospital'" >/dev/null
m campaign invite 1 --out "$TMP/inv.csv" >/dev/null 2>&1
code() { tr -d '\r' < "$TMP/inv.csv" | awk -F, -v o="$1" '$1 == o { print $4 }'; }

serve_start
trap 'kill -9 "$PID" 2>/dev/null; rm -rf "$TMP"' EXIT
check "the server answers" curl -sf -o /dev/null "$B/login"

J='Content-Type: application/json'
for o in H001 H002; do
	curl -s -o /dev/null -c "$TMP/$o.jar" -H "$J" \
		-d "{\"organisation\":\"$o\",\"access_code\":\"$(code $o)\"}" \
		"$B/api/v1/login"
done
status() { curl -s -o "$TMP/page" -w '%{http_code}' -b "$TMP/$1.jar" "$B$2"; }
q() { sqlite3 -cmd '.timeout 5000' "$DB" "$1"; }
# ORG SQL-EXPR: set the last_seen of ORG's live session
seen_set() {
	q "UPDATE session SET last_seen = $2 WHERE ended_at IS NULL AND
	   credential_id IN (SELECT id FROM credential WHERE subject = '$1')"
}
seen_age() {
	q "SELECT strftime('%s', 'now') - last_seen FROM session WHERE
	   ended_at IS NULL AND credential_id IN
	   (SELECT id FROM credential WHERE subject = '$1')"
}

for p in form review receipt; do
	check_out "H001 reads its $p" "200" status H001 "/campaigns/1/$p"
	[ "$p" = receipt ] ||	# nothing submitted: no organisation named
		check_grep "the $p page is H001's" "H001" cat "$TMP/page"
	# used two minutes ago: this page writes last_seen, after its snapshot
	seen_set H001 "strftime('%s', 'now') - 120"
	check_out "H001's $p again" "200" status H001 "/campaigns/1/$p"
	check_grep "the $p page moved last_seen to now" '^[1-5]\?[0-9]$' \
		seen_age H001
done
# half a minute ago: not written again within the minute
seen_set H001 "strftime('%s', 'now') - 30"
status H001 /campaigns/1/form >/dev/null
check_grep "last_seen is written at most once a minute" '^3[0-9]$' seen_age H001

# idle for more than an hour: signed out on the next page that only reads
seen_set H001 "strftime('%s', 'now') - 3700"
check_out "an idle session's form sends H001 to sign in" "303" \
	status H001 /campaigns/1/form
check_out "and so does its review" "303" status H001 /campaigns/1/review

# a new invitation round (another process) ends H002's session
check_out "H002 reads its form" "200" status H002 /campaigns/1/form
m campaign invite 1 --out "$TMP/inv2.csv" >/dev/null 2>&1
check_out "revoked: the form sends H002 to sign in" "303" \
	status H002 /campaigns/1/form
check_out "revoked: the receipt too" "303" status H002 /campaigns/1/receipt

kill -TERM "$PID"
wait "$PID" 2>/dev/null
check "no error in the server's log" sh -c "! grep -i 'error\|fail' '$TMP/server.log'"
finish
