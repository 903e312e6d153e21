#!/bin/sh
# mhlw.sh - the 2022 hospital survey through the store: the bundled
# instrument, a complete answer set with VPN devices, its export.
. "$(dirname "$0")/../lib.sh"
DB=$TMP/m.db
I=$SRC/instruments/mhlw/hospital-backup-vpn-2022.yaml
R=$SRC/tests/data/instrument/hospital-2022
m() { "$MAMORI" "$@" --db "$DB"; }
export MAMORI_NOW=2022-03-10T09:00

check "init" "$MAMORI" init --db "$DB"
printf 'id,name,kind,prefecture,beds\nG0000001,つるぎ町立半田病院,hospital,徳島県,120\nG0000002,B病院,hospital,13,300\n' > "$TMP/h.csv"
check "import" m org import "$TMP/h.csv"
check_out "campaign, second window open" "2 organisations targeted, open; campaign 1" \
	m campaign create --instrument "$I" --title "2022" --opens 2022-01-27 \
	--closes 2022-02-14 --also-open 2022-03-08..2022-03-24 --target "kind = 'hospital'"
check_out "complete answers" "submitted: campaign 1, G0000001, revision 1" \
	m response submit 1 G0000001 "$R/complete.json"
check_exit 1 "missing required answer refused" m response submit 1 G0000002 "$R/missing-required.json"
check_out "no EHR, no VPN" "submitted: campaign 1, G0000002, revision 1" \
	m response submit 1 G0000002 "$R/no-vpn.json"
out=$(m response export 1 --format csv | tr -d '\r')
check_grep "export: VPN devices flattened" "q11_vpn_devices.1.maker,q11_vpn_devices.1.model" echo "$out"
check_grep "export: the calculation kept" ",vpn_units_total," echo "$out"
check_out "export: one row per hospital" "3" sh -c "printf '%s\n' \"\$1\" | wc -l" sh "$out"
check_grep "the instrument is kept by content" '"sha256": "[0-9a-f]\{64\}"' m campaign list --json
finish
