#!/bin/sh
# checkpoint.sh - the server's log (WAL) is copied into the database by
# the group commit's checkpointer, beside the writer: with 6 respondents
# saving large drafts at once (far more pages than the 1,000 from which
# it is checkpointed) the log starts again from its beginning instead of
# holding them all, and a kill -9 in the middle of saves loses none that
# was acknowledged.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/serve.sh"
DB=$TMP/m.db
INS=$SRC/instruments/mhlw/hospital-backup-vpn-2022.yaml
ORGS="H001 H002 H003 H004 H005 H006"
N=120
m() { "$MAMORI" "$@" --db "$DB"; }

m init >/dev/null 2>&1
{
	echo "id,name,kind,prefecture,beds"
	for o in $ORGS; do echo "$o,Hospital $o,hospital,13,100"; done
} > "$TMP/orgs.csv"
m org import "$TMP/orgs.csv" >/dev/null
m campaign create --instrument "$INS" --title "Checkpoints" \
	--opens 2020-01-01 --closes 2099-12-31 --target "kind = 'hospital'" >/dev/null
m campaign invite 1 --out "$TMP/inv.csv" >/dev/null 2>&1
code() { tr -d '\r' < "$TMP/inv.csv" | awk -F, -v o="$1" '$1 == o { print $4 }'; }

serve_start
trap 'kill -9 "$PID" 2>/dev/null; rm -rf "$TMP"' EXIT
check "the server answers" curl -sf -o /dev/null "$B/login"

J='Content-Type: application/json'
for o in $ORGS; do
	curl -s -c "$TMP/$o.jar" -H "$J" -d "{\"organisation\":\"$o\",\"access_code\":\"$(code $o)\"}" \
		"$B/api/v1/login" | sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p' > "$TMP/$o.csrf"
done
check_grep "every respondent signed in" "^6$" sh -c "cat '$TMP'/*.csrf | grep -c '^[0-9a-f]\{64\}$'"

# a note of 12,000 bytes: each revision takes three pages of its own
NOTE=$(awk 'BEGIN { for (i = 0; i < 1200; i++) printf "0123456789" }')
put() {	# ORG BASE K OUT: the status; the answer in OUT
	curl -s -o "$4" -w '%{http_code}' -b "$TMP/$1.jar" -X PUT -H "$J" \
		-H "X-CSRF-Token: $(cat "$TMP/$1.csrf")" \
		-d "{\"revision\":$2,\"answers\":{\"respondent_name\":\"$1-$3 $NOTE\"}}" \
		"$B/api/v1/campaigns/1/response"
}
saver() {	# ORG COUNT: saves in a row; "STATUS REVISION" each
	rev=0; k=1
	while [ "$k" -le "$2" ]; do
		s=$(put "$1" "$rev" "$k" "$TMP/$1.out")
		got=$(sed -n 's/.*"revision":\([0-9]*\).*/\1/p' "$TMP/$1.out" | head -n 1)
		echo "$s $got"
		[ "$s" = 000 ] && break	# the server is gone
		[ "$s" = 200 ] && rev=$got
		k=$((k + 1))
	done
}
pids=
for o in $ORGS; do saver "$o" "$N" > "$TMP/$o.acks" & pids="$pids $!"; done
wait $pids
for o in $ORGS; do
	check_out "$o: $N saves acknowledged" "$N" sh -c "grep -c '^200 ' '$TMP/$o.acks'"
done
# frames in the log since it last started again (sqlite3 reads the log
# as it is; the server keeps it open)
log=$(sqlite3 "$DB" "PRAGMA wal_checkpoint(PASSIVE)" 2>/dev/null | cut -d'|' -f2)
check "the log was started again (${log:-?} pages, not every save's)" \
	test "${log:-99999}" -lt 1500
check "the saves wrote more than that: $(sqlite3 "$DB" "SELECT sum(length(body)) / 4096 FROM response_revision") pages of answers alone" \
	test "$(sqlite3 "$DB" "SELECT sum(length(body)) / 4096 FROM response_revision")" -gt 1500

# kill -9 while saves go on: every acknowledged one is kept
pids=
for o in $ORGS; do saver "$o" 1000 > "$TMP/$o.more" 2>/dev/null & pids="$pids $!"; done
sleep 2
kill -9 "$PID"
wait "$PID" 2>/dev/null
wait $pids
for o in $ORGS; do
	last=$(grep '^200 ' "$TMP/$o.more" | tail -n 1 | cut -d' ' -f2)
	check_out "$o: the last acknowledged revision (${last:-none}) is stored" "1" \
		sqlite3 "$DB" "SELECT count(*) FROM response_revision WHERE org_id = '$o' AND revision = ${last:-$N}"
done
check_grep "the database checks after kill -9" ": ok" m db check
finish
