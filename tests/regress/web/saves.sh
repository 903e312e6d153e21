#!/bin/sh
# saves.sh - draft saves from many respondents at once through the
# server's group commit: 6 organisations each saving 12 times in a row
# (every save based on the revision the previous one returned), all at
# the same time; every acknowledged revision is then there with its
# answers, in order. 6 saves of one organisation racing from the same
# revision: exactly one is taken, the others are told it is stale (409).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/serve.sh"
DB=$TMP/m.db
INS=$SRC/instruments/mhlw/hospital-backup-vpn-2022.yaml
ORGS="H001 H002 H003 H004 H005 H006"
N=12
m() { "$MAMORI" "$@" --db "$DB"; }

m init >/dev/null 2>&1
{
	echo "id,name,kind,prefecture,beds"
	for o in $ORGS H007; do echo "$o,Hospital $o,hospital,13,100"; done
} > "$TMP/orgs.csv"
m org import "$TMP/orgs.csv" >/dev/null
m campaign create --instrument "$INS" --title "Saves" \
	--opens 2020-01-01 --closes 2099-12-31 --target "kind = 'hospital'" >/dev/null
m campaign invite 1 --out "$TMP/inv.csv" >/dev/null 2>&1
code() { tr -d '\r' < "$TMP/inv.csv" | awk -F, -v o="$1" '$1 == o { print $4 }'; }

serve_start
trap 'kill -TERM "$PID" 2>/dev/null; rm -rf "$TMP"' EXIT
check "the server answers" curl -sf -o /dev/null "$B/login"

J='Content-Type: application/json'
for o in $ORGS H007; do
	curl -s -c "$TMP/$o.jar" -H "$J" -d "{\"organisation\":\"$o\",\"access_code\":\"$(code $o)\"}" \
		"$B/api/v1/login" | sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p' > "$TMP/$o.csrf"
done
check_grep "every respondent signed in" "^7$" sh -c "cat '$TMP'/*.csrf | grep -c '^[0-9a-f]\{64\}$'"

# put ORG BASE TEXT OUT: the status; the answer in OUT
put() {
	curl -s -o "$4" -w '%{http_code}' -b "$TMP/$1.jar" -X PUT -H "$J" \
		-H "X-CSRF-Token: $(cat "$TMP/$1.csrf")" \
		-d "{\"revision\":$2,\"answers\":{\"respondent_name\":\"$3\",\"q10_vpn\":\"yes\"}}" \
		"$B/api/v1/campaigns/1/response"
}
# N saves in a row; prints "STATUS REVISION" for each
saver() {
	rev=0; k=1
	while [ $k -le $N ]; do
		s=$(put "$1" "$rev" "$1-$k" "$TMP/$1.out")
		got=$(sed -n 's/.*"revision":\([0-9]*\).*/\1/p' "$TMP/$1.out" | head -n 1)
		echo "$s $got"
		[ "$s" = 200 ] && rev=$got
		k=$((k + 1))
	done
}
pids=
for o in $ORGS; do saver "$o" > "$TMP/$o.acks" & pids="$pids $!"; done
wait $pids	# not the server
for o in $ORGS; do
	check_out "$o: $N saves acknowledged, revisions 1..$N" \
		"$(i=1; while [ $i -le $N ]; do echo "200 $i"; i=$((i + 1)); done)" cat "$TMP/$o.acks"
	curl -s -b "$TMP/$o.jar" "$B/api/v1/campaigns/1/response" > "$TMP/$o.get"
	check_grep "$o: the newest revision is $N" "\"revision\":$N," cat "$TMP/$o.get"
	check_grep "$o: with the answers of the last save" "\"respondent_name\":\"$o-$N\"" cat "$TMP/$o.get"
done

# racing from the same revision
check_out "H007: a first save" "200" put H007 0 first "$TMP/first.out"
k=1
pids=
while [ $k -le 6 ]; do
	echo "$(put H007 1 "race-$k" "$TMP/race.$k.out")" > "$TMP/race.$k" &
	pids="$pids $!"
	k=$((k + 1))
done
wait $pids
check_out "six saves from revision 1: one taken" "1" sh -c "cat '$TMP'/race.? | grep -c '^200$'"
check_out "the other five are stale (409)" "5" sh -c "cat '$TMP'/race.? | grep -c '^409$'"
check_grep "a stale save says what changed" "changed since you opened it" sh -c "cat '$TMP'/race.*.out"
curl -s -b "$TMP/H007.jar" "$B/api/v1/campaigns/1/response" > "$TMP/H007.get"
check_grep "H007: revision 2 is the one taken" '"revision":2,' cat "$TMP/H007.get"

check_out "every revision stored: 6 x $N + 2" "$((6 * N + 2))" \
	sqlite3 "$DB" "SELECT count(*) FROM response_revision"
check_out "one audit event each" "$((6 * N + 2))" \
	sqlite3 "$DB" "SELECT count(*) FROM audit_event WHERE action = 'response.save'"

# the stop while saves wait for their commit: each save acknowledged
# before the server went away is stored
flood() {	# ORG: saves in a row until the server is gone; "REVISION" per 200
	rev=$N
	while :; do
		s=$(put "$1" "$rev" "$1-flood" "$TMP/$1.fl") || break
		[ "$s" = 200 ] || break
		rev=$(sed -n 's/.*"revision":\([0-9]*\).*/\1/p' "$TMP/$1.fl" | head -n 1)
		echo "$rev"
	done
}
pids=
for o in $ORGS; do flood "$o" > "$TMP/$o.flood" & pids="$pids $!"; done
sleep 1	# some saves acknowledged, even on a slow machine
kill -TERM "$PID"
wait "$PID"
check_out "the server stops cleanly, with saves in flight" "0" echo $?
wait $pids
acked=0
lost=
for o in $ORGS; do
	last=$(tail -n 1 "$TMP/$o.flood")
	[ -n "$last" ] || last=$N
	acked=$((acked + $(wc -l < "$TMP/$o.flood")))
	stored=$(sqlite3 "$DB" "SELECT max(revision) FROM response_revision WHERE org_id = '$o'" 2>/dev/null)
	[ "$stored" -ge "$last" ] 2>/dev/null || lost="$lost $o:$last>$stored"
done
check_out "every acknowledged save is stored" "" echo "$lost"
check "saves were made up to the stop ($acked acknowledged)" test "$acked" -gt 0
check_grep "the database checks" ": ok" m db check
finish
