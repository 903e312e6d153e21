#!/bin/sh
# e2e.sh - the web pages end to end in headless Chromium (/usr/bin/chromium,
# driven by playwright-core from tests/e2e/node_modules, checked with
# axe-core): a hospital signs in, answers the 2022 survey with its skip
# logic, adds VPN rows, saves, submits and sees its receipt; the regulator
# sees the count move. In an always-open campaign of incident reports it
# creates, saves, submits and lists numbered reports; in the checklist
# campaign it adds a vendor form beside the facility form; the regulator
# reads a report with its revisions. The server runs on 127.0.0.1 (a free
# port) with a fresh database and is stopped at the end. Prints TAP
# (e2e.mjs).
# usage: e2e.sh path/to/mamori
# Screenshots go to $MESON_BUILD_ROOT/e2e-screenshots/ (printed).
# Without the npm packages (npm unreachable when "make test" installed
# them) the test is skipped, except under CI where it must run.
set -u
MAMORI=${1:?usage: $0 path/to/mamori}
case $MAMORI in /*) ;; *) MAMORI=$(pwd)/$MAMORI ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=${MESON_SOURCE_ROOT:-$(cd "$HERE/../.." && pwd)}
OUT=${MESON_BUILD_ROOT:-$(pwd)}/e2e-screenshots
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

missing=
[ -f "$HERE/node_modules/playwright-core/package.json" ] ||
	missing="playwright-core is not installed in tests/e2e/node_modules"
[ -f "$HERE/node_modules/axe-core/axe.min.js" ] ||
	missing="${missing:-axe-core is not installed in tests/e2e/node_modules}"
command -v node >/dev/null 2>&1 || missing="node is not installed"
[ -x "$CHROMIUM" ] || missing="$CHROMIUM is not installed"
if [ -n "$missing" ]; then
	if [ -n "${CI:-}" ]; then
		echo "1..1"
		echo "not ok 1 - the browser tests can run ($missing; run scripts/deps.sh test)"
		exit 1
	fi
	echo "1..0 # SKIP $missing (npm unreachable? run scripts/deps.sh test)"
	exit 0
fi

TMP=$(mktemp -d)
PID=
stop() {
	[ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	rm -rf "$TMP"
}
trap stop EXIT
trap 'exit 1' INT TERM
fail() { echo "1..1"; echo "not ok 1 - $1"; [ -f "$TMP/server.log" ] && sed 's/^/# /' "$TMP/server.log"; exit 1; }

DB=$TMP/m.db
m() { "$MAMORI" "$@" --db "$DB"; }
m init >/dev/null 2>&1 || fail "mamori init"
printf 'id,name,kind,prefecture,beds\nH001,Alpha Hospital,hospital,13,120\nH002,Beta Hospital,hospital,27,30\nH003,Gamma Hospital,hospital,01,50\n' > "$TMP/orgs.csv"
m org import "$TMP/orgs.csv" >/dev/null 2>&1 || fail "org import"
m campaign create --instrument "$SRC/instruments/mhlw/hospital-backup-vpn-2022.yaml" \
	--title "Backup 2022" --opens 2020-01-01 --closes 2099-12-31 \
	--target "kind = 'hospital'" >/dev/null 2>&1 || fail "campaign create"
# 2: incident reports, numbered 1, 2, ...; 3: vendor forms beside the
# facility form
m campaign create --instrument "$SRC/instruments/mhlw/incident-report.yaml" \
	--title "Incidents" --opens 2020-01-01 --always-open --repeatable \
	--target "kind = 'hospital'" >/dev/null 2>&1 || fail "campaign create (reports)"
m campaign create --instrument "$SRC/instruments/mhlw/medical-checklist-2025.yaml" \
	--forms "$SRC/instruments/mhlw/medical-checklist-2025-vendor.yaml" \
	--title "Checklist 2025" --opens 2020-01-01 --closes 2099-12-31 \
	--target "kind = 'hospital'" >/dev/null 2>&1 || fail "campaign create (forms)"
code() {	# CAMPAIGN: H001's access code to it
	m campaign invite "$1" --out "$TMP/inv$1.csv" >/dev/null 2>&1 || return 1
	tr -d '\r' < "$TMP/inv$1.csv" | awk -F, '$1 == "H001" { print $4 }'
}
CODE=$(code 1); CODE2=$(code 2); CODE3=$(code 3)
[ -n "$CODE" ] && [ -n "$CODE2" ] && [ -n "$CODE3" ] ||
	fail "access codes for H001 (campaigns 1, 2, 3)"
PASS=e2e-regulator-pass-1
printf '%s\n%s\n' "$PASS" "$PASS" | m user add bob --role regulator >/dev/null 2>&1 ||
	fail "user add"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT
"$MAMORI" serve --db "$DB" --listen "127.0.0.1:$PORT" 2> "$TMP/server.log" &
PID=$!
i=0
until curl -s -o /dev/null "$BASE/login" || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
curl -s -o /dev/null "$BASE/login" || fail "the server answers on $BASE"

mkdir -p "$OUT"
rm -f "$OUT"/*.png
echo "# screenshots: $OUT"
E2E_BASE=$BASE E2E_ORG=H001 E2E_CODE=$CODE E2E_USER=bob E2E_PASS=$PASS \
E2E_REPORTS=2 E2E_REPORTS_CODE=$CODE2 E2E_FORMS=3 E2E_FORMS_CODE=$CODE3 \
E2E_OUT=$OUT E2E_CHROMIUM=$CHROMIUM E2E_PROFILE=$TMP/profile \
	timeout 420 node "$HERE/e2e.mjs"
rc=$?
[ $rc = 124 ] && echo "# e2e.mjs did not finish within 420 s"
exit $rc
