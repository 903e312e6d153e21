#!/bin/sh
# crash.sh - kill a process that submits responses in a loop (SIGKILL, at
# random moments, many times); after each kill every submission it
# acknowledged is in the database and the database passes its check.
# Then the same with 8 threads submitting through the group commit.
# usage: crash.sh path/to/mamori path/to/crash_child
. "$(dirname "$0")/../lib.sh"
CHILD=${2:?usage: $0 mamori crash_child}
KILLS=${CRASH_KILLS:-50}
BUDGET=${CRASH_SECONDS:-150}
DB=$TMP/crash.db
NORGS=40

check "init" "$MAMORI" init --db "$DB"
{
	echo "id,name,kind,prefecture,beds"
	i=1
	while [ $i -le $NORGS ]; do
		printf 'H%04d,Hospital %d,hospital,%d,%d\n' $i $i $(( (i % 47) + 1 )) $((i * 10))
		i=$((i + 1))
	done
} > "$TMP/orgs.csv"
check "import" "$MAMORI" org import "$TMP/orgs.csv" --db "$DB"
out=$("$MAMORI" campaign create --db "$DB" \
	--instrument "$SRC/tests/data/store/tiny.yaml" --title crash \
	--opens 2000-01-01 --closes 2099-12-31 --target "kind = 'hospital'" 2>&1)
CAMPAIGN=${out##* }
check_out "campaign" "1" echo "$CAMPAIGN"

# a random delay of 20..400 ms
pause() {
	ms=$(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 380 + 20 ))
	sleep "$(printf '0.%03d' "$ms")"
}

# two writers at once: both keep going (busy_timeout, BEGIN IMMEDIATE)
"$CHILD" submit "$DB" "$CAMPAIGN" $NORGS 1 > "$TMP/acks.a" 2> "$TMP/err.a" &
a=$!
"$CHILD" submit "$DB" "$CAMPAIGN" $NORGS 7 > "$TMP/acks.b" 2> "$TMP/err.b" &
b=$!
sleep 2
kill -9 $a $b 2>/dev/null
wait $a $b 2>/dev/null
check_out "two writers: no errors" "" cat "$TMP/err.a" "$TMP/err.b"
check_grep "two writers: both submitted" "^H" sh -c "head -n 1 '$TMP/acks.a' && head -n 1 '$TMP/acks.b'"
cat "$TMP/acks.a" "$TMP/acks.b" > "$TMP/acks"
check_grep "two writers: every acknowledgement present" " 0 missing" \
	sh -c "'$CHILD' verify '$DB' '$CAMPAIGN' < '$TMP/acks'"

start=$(date +%s)
k=0
survived=0
while [ $k -lt "$KILLS" ]; do
	k=$((k + 1))
	"$CHILD" submit "$DB" "$CAMPAIGN" $NORGS $((k * 100000)) \
		> "$TMP/acks.$k" 2> "$TMP/child.err" &
	pid=$!
	pause
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	cat "$TMP/acks.$k" >> "$TMP/acks"
	# every acknowledgement so far, and the check, after the restart
	if res=$("$CHILD" verify "$DB" "$CAMPAIGN" < "$TMP/acks" 2>&1) &&
	   chk=$("$MAMORI" db check --db "$DB" 2>&1); then
		survived=$((survived + 1))
		_ok "kill $k: $(printf '%s\n' "$res" | tail -n 1)"
	else
		_notok "kill $k" "$res
$chk
$(cat "$TMP/child.err")"
	fi
	if [ $(( $(date +%s) - start )) -gt "$BUDGET" ]; then
		echo "# time budget of ${BUDGET}s spent after $k kills"
		break
	fi
done
acked=$(wc -l < "$TMP/acks")
echo "# kills survived: $survived of $k; $acked submissions acknowledged"
check_grep "some submissions were acknowledged" "^[1-9]" echo "$acked"

# the group commit: 8 threads submitting at once through one writer,
# each acknowledgement printed once its batch is durable, killed likewise
GKILLS=${CRASH_GROUP_KILLS:-15}
start=$(date +%s)
k=0
survived=0
: > "$TMP/gacks"
while [ $k -lt "$GKILLS" ]; do
	k=$((k + 1))
	"$CHILD" group "$DB" "$CAMPAIGN" $NORGS $((k * 100000 + 7)) 8 \
		> "$TMP/gacks.$k" 2> "$TMP/child.err" &
	pid=$!
	pause; pause; pause	# 8 connections to open first
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	cat "$TMP/gacks.$k" >> "$TMP/gacks"
	if res=$("$CHILD" verify "$DB" "$CAMPAIGN" < "$TMP/gacks" 2>&1) &&
	   chk=$("$MAMORI" db check --db "$DB" 2>&1); then
		survived=$((survived + 1))
		_ok "group kill $k: $(printf '%s\n' "$res" | tail -n 1)"
	else
		_notok "group kill $k" "$res
$chk
$(cat "$TMP/child.err")"
	fi
	if [ $(( $(date +%s) - start )) -gt "${CRASH_GROUP_SECONDS:-60}" ]; then
		echo "# group commit: time budget spent after $k kills"
		break
	fi
done
gacked=$(wc -l < "$TMP/gacks")
echo "# group commit: kills survived: $survived of $k; $gacked submissions acknowledged"
check_grep "group commit: some submissions were acknowledged" "^[1-9]" echo "$gacked"
finish
