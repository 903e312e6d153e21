#!/bin/sh
# tls.sh - "mamori serve --tls-cert --tls-key": HTTPS served directly on
# 127.0.0.1 with a throw-away self-signed certificate; the session cookie
# is Secure; bad or half-given TLS options are refused with exit 2 or a
# message, never a plain-HTTP server.
. "$(dirname "$0")/../lib.sh"
DB=$TMP/m.db
INS=$SRC/instruments/mhlw/hospital-backup-vpn-2022.yaml
m() { "$MAMORI" "$@" --db "$DB"; }

if ! command -v openssl >/dev/null 2>&1; then
	_ok "TLS # SKIP openssl not installed"
	finish
	exit 0
fi
m init >/dev/null 2>&1
printf 'id,name,kind,prefecture,beds\nH001,Alpha,hospital,13,120\n' > "$TMP/orgs.csv"
m org import "$TMP/orgs.csv" >/dev/null
m campaign create --instrument "$INS" --title "Backup 2022" \
	--opens 2020-01-01 --closes 2099-12-31 --target "kind = 'hospital'" >/dev/null
m campaign invite 1 --out "$TMP/inv.csv" >/dev/null 2>&1
C1=$(tr -d '\r' < "$TMP/inv.csv" | awk -F, '$1 == "H001" { print $4 }')
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	-keyout "$TMP/key.pem" -out "$TMP/cert.pem" >/dev/null 2>&1
check "a test certificate was made" test -s "$TMP/cert.pem"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
check_exit 2 "--tls-cert without --tls-key is refused" \
	m serve --listen 127.0.0.1:1 --tls-cert "$TMP/cert.pem"
printf 'not a key\n' > "$TMP/bad.pem"
check_exit 1 "a key that is not PEM is refused" timeout 20 "$MAMORI" serve \
	--db "$DB" --listen "127.0.0.1:$PORT" --tls-cert "$TMP/cert.pem" --tls-key "$TMP/bad.pem"
check_exit 1 "a missing certificate file is refused" timeout 20 "$MAMORI" serve \
	--db "$DB" --listen "127.0.0.1:$PORT" --tls-cert "$TMP/none.pem" --tls-key "$TMP/key.pem"

"$MAMORI" serve --db "$DB" --listen "127.0.0.1:$PORT" \
	--tls-cert "$TMP/cert.pem" --tls-key "$TMP/key.pem" 2> "$TMP/server.log" &
PID=$!
trap 'kill -TERM "$PID" 2>/dev/null; rm -rf "$TMP"' EXIT
B=https://127.0.0.1:$PORT
i=0
until curl -sk -o /dev/null "$B/login" || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
check "HTTPS answers with the given certificate" \
	curl -sf -o /dev/null --cacert "$TMP/cert.pem" "$B/login"
check_exit 0 "plain HTTP on the TLS port gets no page" \
	sh -c "! curl -sf -m 5 -o /dev/null http://127.0.0.1:$PORT/login"
curl -s --cacert "$TMP/cert.pem" -D "$TMP/h" -o "$TMP/body" \
	-H 'Content-Type: application/json' \
	-d "{\"organisation\":\"H001\",\"access_code\":\"$C1\"}" "$B/api/v1/login"
check_grep "signing in over TLS works" '"role":"respondent"' cat "$TMP/body"
check_grep "the session cookie is Secure under TLS" \
	'Set-Cookie: mamori_session=[0-9a-f]\{64\}; .*Secure' cat "$TMP/h"
check_grep "the log says https" 'listening on https://' cat "$TMP/server.log"
kill -TERM "$PID"
wait "$PID"
check_grep "a graceful stop" 'mamori: stopped' cat "$TMP/server.log"
finish
