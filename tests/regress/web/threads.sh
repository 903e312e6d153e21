#!/bin/sh
# threads.sh - the server's two ways of running requests give the same
# answers: the default (a few threads polling with epoll; a request that
# writes is handed to a worker while its connection waits) and
# MAMORI_WEB_THREADS=0 (a thread per connection). In each: sign-ins, saves
# of several respondents at once, each form showing its own organisation's
# answers with the labels of its own campaign's instrument (two versions
# of one instrument: the form's texts are kept per content), a revocation
# by another process ending a session at its next request, and a stop
# with saves in flight that loses no acknowledged save.
. "$(dirname "$0")/../lib.sh"
INS=$SRC/instruments/mhlw/hospital-backup-vpn-2022.yaml
ORGS="H001 H002 H003"
N=8
J='Content-Type: application/json'

# the same instrument with other labels for Q1-1
sed 's/label: {ja: 氏名, en: Name}/label: {ja: 氏名（フルネーム）, en: Full name}/' "$INS" > "$TMP/v2.yaml"
check "the second version differs" sh -c "! cmp -s '$INS' '$TMP/v2.yaml'"

code() { tr -d '\r' < "$1" | awk -F, -v o="$2" '$1 == o { print $4 }'; }
# put MODE ORG BASE TEXT OUT: the status; the answer in OUT
put() {
	curl -s -o "$5" -w '%{http_code}' -b "$TMP/$1.$2.jar" -X PUT -H "$J" \
		-H "X-CSRF-Token: $(cat "$TMP/$1.$2.csrf")" \
		-d "{\"revision\":$3,\"answers\":{\"respondent_name\":\"$4\",\"q10_vpn\":\"yes\"}}" \
		"$B/api/v1/campaigns/1/response"
}
# MODE ORG [REVISION]: N saves in a row from REVISION (0); prints
# "STATUS REVISION" for each
saver() {
	rev=${3:-0}; k=1
	while [ $k -le $N ]; do
		rm -f "$TMP/$1.$2.out"
		s=$(put "$1" "$2" "$rev" "$2-$k" "$TMP/$1.$2.out")
		got=$(sed -n 's/.*"revision":\([0-9]*\).*/\1/p' "$TMP/$1.$2.out" 2>/dev/null | head -n 1)
		echo "$s $got"
		[ "$s" = 200 ] && rev=$got
		k=$((k + 1))
	done
}
login() {	# MODE JAR-NAME ORG CODE: the CSRF token into MODE.JAR-NAME.csrf
	curl -s -c "$TMP/$1.$2.jar" -H "$J" -d "{\"organisation\":\"$3\",\"access_code\":\"$4\"}" \
		"$B/api/v1/login" | sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p' > "$TMP/$1.$2.csrf"
}
status() {	# JAR PATH: the HTTP status
	curl -s -o /dev/null -w '%{http_code}' -b "$1" "$B$2"
}

run_mode() {	# MODE (default or 0)
	mode=$1
	DB=$TMP/$mode.db
	m() { "$MAMORI" "$@" --db "$DB"; }
	m init >/dev/null 2>&1
	{
		echo "id,name,kind,prefecture,beds"
		for o in $ORGS; do echo "$o,Hospital $o,hospital,13,100"; done
	} > "$TMP/orgs.csv"
	m org import "$TMP/orgs.csv" >/dev/null
	m campaign create --instrument "$INS" --title "v1" --opens 2020-01-01 \
		--closes 2099-12-31 --target "kind = 'hospital'" >/dev/null
	m campaign create --instrument "$TMP/v2.yaml" --title "v2" --opens 2020-01-01 \
		--closes 2099-12-31 --target "kind = 'hospital'" >/dev/null
	m campaign invite 1 --out "$TMP/$mode.inv1.csv" >/dev/null 2>&1
	m campaign invite 2 --out "$TMP/$mode.inv2.csv" >/dev/null 2>&1

	PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	B=http://127.0.0.1:$PORT
	if [ "$mode" = default ]; then
		env -u MAMORI_WEB_THREADS "$MAMORI" serve --db "$DB" \
			--listen "127.0.0.1:$PORT" 2> "$TMP/$mode.log" &
	else
		MAMORI_WEB_THREADS=$mode "$MAMORI" serve --db "$DB" \
			--listen "127.0.0.1:$PORT" 2> "$TMP/$mode.log" &
	fi
	PID=$!
	i=0
	until curl -s -o /dev/null "$B/login" || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
	if [ "$mode" = default ]; then
		check_grep "$mode: polling threads and workers" "threads, epoll, [0-9]* workers" cat "$TMP/$mode.log"
	else
		check "$mode: a thread per connection" sh -c "! grep -q epoll '$TMP/$mode.log'"
	fi

	for o in $ORGS; do login "$mode" "$o" "$o" "$(code "$TMP/$mode.inv1.csv" "$o")"; done
	login "$mode" H001v2 H001 "$(code "$TMP/$mode.inv2.csv" H001)"
	check_out "$mode: every sign-in gives a CSRF token" "4" \
		sh -c "cat '$TMP'/$mode.*.csrf | grep -c '^[0-9a-f]\{64\}$'"

	pids=
	for o in $ORGS; do saver "$mode" "$o" > "$TMP/$mode.$o.acks" & pids="$pids $!"; done
	wait $pids	# not the server
	for o in $ORGS; do
		check_out "$mode: $o: $N saves at once with the others, revisions 1..$N" \
			"$(i=1; while [ $i -le $N ]; do echo "200 $i"; i=$((i + 1)); done)" \
			cat "$TMP/$mode.$o.acks"
		curl -s -b "$TMP/$mode.$o.jar" "$B/campaigns/1/form" > "$TMP/$mode.$o.html"
		check_grep "$mode: $o: its form shows its own last answer" \
			"value=\"$o-$N\"" cat "$TMP/$mode.$o.html"
	done
	check "$mode: and no other organisation's" sh -c \
		"! grep -q 'value=\"H002-' '$TMP/$mode.H001.html' && ! grep -q 'value=\"H001-' '$TMP/$mode.H002.html'"

	# each campaign's form with its own instrument's labels, twice
	for k in 1 2; do
		curl -s -b "$TMP/$mode.H001.jar" "$B/campaigns/1/form" > "$TMP/$mode.c1.html"
		curl -s -b "$TMP/$mode.H001v2.jar" "$B/campaigns/2/form" > "$TMP/$mode.c2.html"
		check "$mode: version 1's label in campaign 1 ($k)" sh -c \
			"grep -q '</span> 氏名 <span class=\"req\">' '$TMP/$mode.c1.html' && ! grep -q 'フルネーム' '$TMP/$mode.c1.html'"
		check_grep "$mode: version 2's label in campaign 2 ($k)" \
			'</span> 氏名（フルネーム） <span class="req">' cat "$TMP/$mode.c2.html"
	done
	curl -s -b "$TMP/$mode.H001v2.jar" "$B/campaigns/2/form?lang=en" > "$TMP/$mode.c2en.html"
	curl -s -b "$TMP/$mode.H001.jar" "$B/campaigns/1/form?lang=en" > "$TMP/$mode.c1en.html"
	check_grep "$mode: in English too (version 2)" '</span> Full name <span' cat "$TMP/$mode.c2en.html"
	check_grep "$mode: in English too (version 1)" '</span> Name <span' cat "$TMP/$mode.c1en.html"

	# a new invitation round (another process) ends the old codes' sessions
	is_page=$(status "$TMP/$mode.H002.jar" /campaigns/1/form)
	check_out "$mode: H002 reads its form" "200" echo "$is_page"
	m campaign invite 1 --out "$TMP/$mode.inv1b.csv" >/dev/null 2>&1
	check_out "$mode: revoked: the next page sends H002 to sign in" "303" \
		status "$TMP/$mode.H002.jar" /campaigns/1/form
	check_out "$mode: revoked: the API says sign in first" "401" \
		status "$TMP/$mode.H002.jar" /api/v1/campaigns/1/response

	# a stop while saves are in flight: acknowledged means stored
	login "$mode" H003b H003 "$(code "$TMP/$mode.inv1b.csv" H003)"
	saver "$mode" H003b "$N" > "$TMP/$mode.stop.acks" &
	spid=$!
	i=0	# stopped once the first save is answered, the next on its way
	until [ -s "$TMP/$mode.stop.acks" ] || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
	kill -TERM "$PID"
	wait "$PID"
	check_out "$mode: the server stops cleanly with saves in flight" "0" echo $?
	wait "$spid"
	last=$(awk '$1 == 200 { r = $2 } END { print r + 0 }' "$TMP/$mode.stop.acks")
	stored=$(sqlite3 "$DB" "SELECT coalesce(max(revision), 0) FROM response_revision WHERE org_id = 'H003' AND campaign_id = 1")
	check "$mode: a save was acknowledged before the stop" test "$last" -gt "$N"
	check "$mode: every acknowledged save is stored ($last <= $stored)" \
		test "$last" -le "$stored"
	check_grep "$mode: the database checks" ": ok" m db check
}

run_mode default
run_mode 0
finish
