#!/bin/sh
# run-main.sh - the main job of "make run": check the bundled instruments,
# build a fresh demonstration database (a national registry, the closed
# 2022 campaign, an open campaign to answer now), and serve it on
# 127.0.0.1. Prints a regulator account and a few access codes.
set -eu
mamori=${1:-build/release/src/cli/mamori}
listen=${MAMORI_LISTEN:-127.0.0.1:8080}
dir=var/demo
db=$dir/mamori.db

echo "== checking the bundled instruments"
# shellcheck disable=SC2046
"$mamori" instrument check $(find instruments -name '*.yaml' -not -path '*/iot-ssf/*' | sort)

echo "== a fresh demonstration database: $db"
rm -rf "$dir"
mkdir -p "$dir"
"$mamori" init --db "$db" >/dev/null
"$mamori" demo generate --db "$db"

opens=$(date +%Y-%m-%d)
closes=$(date -d '+60 days' +%Y-%m-%d)
out=$("$mamori" campaign create --db "$db" \
	--instrument instruments/mhlw/hospital-backup-vpn-2022.yaml \
	--title "デモ: 病院における医療情報システムのバックアップ等に係る調査（回答受付中）" \
	--opens "$opens" --closes "$closes" --target "kind = 'hospital' and prefecture = '13'")
echo "$out"
campaign=${out##* }
"$mamori" campaign invite "$campaign" --db "$db" --out "$dir/invites.csv" >/dev/null

password=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '%s\n%s\n' "$password" "$password" |
	"$mamori" user add regulator --role regulator --db "$db" >/dev/null

cat <<TXT

== mamori is serving the demonstration on http://$listen/
   regulator:   user "regulator", password "$password"
   respondents: organisation id and access code (campaign $campaign, all in $dir/invites.csv):
TXT
sed -n '2,4p' "$dir/invites.csv" | tr -d '\r' | awk -F, '{ printf "                %s  %s  (%s)\n", $1, $4, $2 }'
echo "   Stop with Ctrl-C."
echo
exec "$mamori" serve --db "$db" --listen "$listen"
