#!/bin/sh
# assess.sh - "mamori iot" against the real binary: every bundled model in
# every format and language, check, template, exact error lines of broken
# models, exit statuses, the catalogue lookup, and (when chromium is
# installed) the AGV report rendered to PNG for a person to look at.
. "$(dirname "$0")/../lib.sh"
case $MAMORI in /*) ;; *) MAMORI=$PWD/$MAMORI ;; esac

MODELS="$SRC/instruments/meti/iot-ssf"
DATA="$SRC/tests/data/iotssf"
OUT=${MESON_BUILD_ROOT:-$TMP}/test-output/iotssf
mkdir -p "$OUT"
cd "$SRC" || exit 1

for m in "$MODELS"/*.yaml; do
	b=$(basename "$m" .yaml)
	check "check $b" "$MAMORI" iot check "$m"
	for fmt in text json html; do
		for lang in ja en; do
			check_exit 1 "assess $b $fmt $lang (gaps remain)" \
				"$MAMORI" iot assess "$m" --format "$fmt" --lang "$lang" \
				-o "$OUT/$b.$lang.$fmt"
			if [ -s "$OUT/$b.$lang.$fmt" ]; then _ok "$b.$lang.$fmt written"
			else _notok "$b.$lang.$fmt written"; fi
		done
	done
	check_grep "$b json schema" '"schema": "mamori.iotssf.assessment/1"' \
		cat "$OUT/$b.en.json"
	check_grep "$b html self-contained" '<svg xmlns' cat "$OUT/$b.en.html"
	if grep -q -e 'src=' -e 'href=' -e '@import' "$OUT/$b.en.html"; then
		_notok "$b html fetches nothing"
	else
		_ok "$b html fetches nothing"
	fi
done

check_grep "AGV: logistics above target" \
	'logistics        物流事業者 (適用主体) 目標=c2 現状=c4' \
	"$MAMORI" iot assess "$MODELS/agv-warehouse.yaml"
check_grep "AGV: principal threat on the WMS" \
	'wms              \*unauthorized-access \*denial-of-service \*malware' \
	"$MAMORI" iot assess "$MODELS/agv-warehouse.yaml" --lang en

check_exit 0 "within target exits 0" "$MAMORI" iot assess "$DATA/within-target.yaml"
check_grep "within target: no gaps" '"gaps": 0' \
	"$MAMORI" iot assess "$DATA/within-target.yaml" --format json

# The template is a valid model, read from stdin.
"$MAMORI" iot template > "$TMP/template.yaml"
check "template checks" "$MAMORI" iot check "$TMP/template.yaml"
check_out "template from stdin" "-: ok (2 stakeholders, 3 devices, 1 incidents, 2 decisions)" \
	sh -c "'$MAMORI' iot template | '$MAMORI' iot check -"

# Broken models: exact lines, exit 2.
cd "$SRC/tests/data/iotssf" || exit 1
check_exit 2 "unknown device: exit 2" "$MAMORI" iot check --catalog "$SRC/data/iot-ssf" bad-unknown-device.yaml
check_out "unknown device" \
	"bad-unknown-device.yaml:17:9: incident 'overheat': unknown device 'heater' (did you mean 'heaters'?)" \
	"$MAMORI" iot check --catalog "$SRC/data/iot-ssf" bad-unknown-device.yaml
check_out "level out of range" \
	"bad-level.yaml:20:47: incident 'overheat': axis2 must be from 1 to 3, not 5" \
	"$MAMORI" iot assess --catalog "$SRC/data/iot-ssf" bad-level.yaml
check_out "unknown requirement" \
	"bad-requirement.yaml:18:23: decision on 'wrong-reading': measure 1: unknown requirement 'p2-sys-07' (did you mean 'p1-sys-07'?)" \
	"$MAMORI" iot check --catalog "$SRC/data/iot-ssf" bad-requirement.yaml
check_out "unknown key" \
	"bad-unknown-key.yaml:8:5: stakeholder 'office': unknown key 'taget' (did you mean 'target'?)
bad-unknown-key.yaml:5:5: stakeholder 'office': missing key 'target'" \
	"$MAMORI" iot check --catalog "$SRC/data/iot-ssf" bad-unknown-key.yaml
check_out "YAML syntax" \
	"bad-syntax.yaml:5:8: YAML syntax: did not find expected ',' or '}' while parsing a flow mapping" \
	"$MAMORI" iot check --catalog "$SRC/data/iot-ssf" bad-syntax.yaml
check_exit 2 "YAML syntax: exit 2" "$MAMORI" iot assess --catalog "$SRC/data/iot-ssf" bad-syntax.yaml

# The catalogue: --catalog, MAMORI_DATA, else ./data/iot-ssf.
check_exit 2 "no catalogue here" "$MAMORI" iot check within-target.yaml
check_grep "missing catalogue is named" "data/iot-ssf/framework.yaml: cannot open" \
	"$MAMORI" iot check within-target.yaml
check "MAMORI_DATA" env MAMORI_DATA="$SRC/data" "$MAMORI" iot check within-target.yaml
check_exit 2 "bad --format" "$MAMORI" iot assess --format pdf within-target.yaml
check_exit 2 "bad --lang" "$MAMORI" iot assess --lang fr within-target.yaml
check_exit 2 "two models" "$MAMORI" iot check a.yaml b.yaml
check_exit 2 "unreadable model" env MAMORI_DATA="$SRC/data" "$MAMORI" iot check nowhere.yaml
cd "$SRC" || exit 1

# The AGV report as a picture, for a person to look at.
if [ -x /usr/bin/chromium ]; then
	prof=$(mktemp -d)
	rm -f "$OUT/agv-warehouse.png"
	timeout 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu \
		--disable-quic --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --user-data-dir="$prof" \
		--screenshot="$OUT/agv-warehouse.png" --window-size=1200,2400 \
		"file://$OUT/agv-warehouse.ja.html" >/dev/null 2>&1
	rm -rf "$prof"
	if [ -s "$OUT/agv-warehouse.png" ]; then _ok "AGV report rendered to $OUT/agv-warehouse.png"
	else _notok "AGV report rendered to PNG"; fi
else
	echo "# chromium not installed: PNG rendering skipped"
fi
finish
