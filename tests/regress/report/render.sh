#!/bin/sh
# render.sh - the reports as a reader sees them: "mamori report summary"
# of the demo campaign and "mamori report feedback" of one hospital,
# printed to PDF by headless Chromium and turned into PNG pages by
# pdftoppm. Checks A4 pages, sane page counts (a feedback report 1-6
# pages), PNG pages that exist, are A4-shaped and carry ink (no blank
# page but possibly the last). Also the feedback report of one
# organisation of each other demo campaign that "mamori demo generate"
# makes (one per kind of organisation: regional bank, shinkin, credit
# cooperative), skipped with a reason where that demo is absent.
# The PDFs and PNGs stay in the build's meson-logs/report-renders/.
. "$(dirname "$0")/../lib.sh"
DB=$TMP/r.db
m() { "$MAMORI" "$@" --db "$DB"; }
skip() { T_N=$((T_N + 1)); echo "ok $T_N # SKIP $1"; }
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ] || ! command -v pdftoppm >/dev/null 2>&1; then
	[ -n "${CI:-}" ] && { _notok "chromium and pdftoppm are installed (scripts/deps.sh test)"; finish; exit 1; }
	echo "1..0 # SKIP $CHROMIUM or pdftoppm (poppler-utils) is not installed"
	exit 0
fi
OUT=${MESON_BUILD_ROOT:-$(pwd)}/meson-logs/report-renders
mkdir -p "$OUT"
rm -f "$OUT"/*.pdf "$OUT"/*.png
echo "# renders: $OUT"

check "init" "$MAMORI" init --db "$DB"
check "demo" m demo generate --hospitals 600 --respondents 450 --seed 7

# pages PDF: "N WIDTHxHEIGHT" in points, from pdfinfo
pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { n = $2 } /^Page size:/ { w = $3; h = $5 } END { print n + 0, w "x" h }'; }

# render NAME HTML MIN MAX: print, check, turn into NAME-N.png
render() {
	rname=$1; html=$2; min=$3; max=$4
	pdf=$OUT/$rname.pdf
	prof=$(mktemp -d)
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
		--no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --disable-quic \
		--user-data-dir="$prof" --no-pdf-header-footer \
		--print-to-pdf="$pdf" "file://$html" >/dev/null 2>&1
	rm -rf "$prof"
	if ! check "$rname: printed to PDF" test -s "$pdf"; then
		return
	fi
	set -- $(pages "$pdf")
	n=$1; size=$2
	check "$rname: A4 pages (${size} pt)" python3 -c '
import sys
w, h = map(float, sys.argv[1].split("x"))
sys.exit(0 if abs(w - 595.3) < 2 and abs(h - 841.9) < 2 else 1)' "$size"
	check "$rname: $n pages, from $min to $max" test "$n" -ge "$min" -a "$n" -le "$max"
	pdftoppm -r 72 -png "$pdf" "$OUT/$rname"
	check_out "$rname: one PNG per page" "$n" sh -c "ls '$OUT' | grep -c '^$rname-[0-9]*\\.png\$'"
	# ink per page from a small grey rendering; A4 shape of each PNG
	pdftoppm -r 24 -gray "$pdf" "$TMP/ink"
	check "$rname: every page A4-shaped and inked (the last may be short)" python3 -c '
import glob, struct, sys
out, name, tmp = sys.argv[1:4]
bad = []
pngs = sorted(glob.glob("%s/%s-*.png" % (out, name)), key=lambda p: int(p.rsplit("-", 1)[1][:-4]))
for p in pngs:
    w, h = struct.unpack(">II", open(p, "rb").read(24)[16:24])
    if abs(h / w - 1.414) > 0.02:
        bad.append("%s: %dx%d is not A4" % (p, w, h))
pgms = sorted(glob.glob(tmp + "/ink-*.pgm"), key=lambda p: int(p.rsplit("-", 1)[1][:-4]))
for i, p in enumerate(pgms):
    data = open(p, "rb").read()
    parts = data.split(maxsplit=4)		# P5 W H MAX pixels
    px = parts[4]
    ink = sum(1 for b in px if b < 200) / len(px)
    least = 0.002 if i == len(pgms) - 1 else 0.01
    print("# page %d: %.1f %% ink" % (i + 1, 100 * ink))
    if ink < least:
        bad.append("page %d is nearly blank (%.2f %% ink)" % (i + 1, 100 * ink))
print("\n".join(bad))
sys.exit(1 if bad or not pngs or len(pngs) != len(pgms) else 0)' "$OUT" "$rname" "$TMP"
	rm -f "$TMP"/ink-*.pgm
	echo "# $rname: $n pages: $OUT/$rname-*.png"
}

# the national summary of the demo campaign
m report summary 1 -o "$TMP/summary.html"
render summary "$TMP/summary.html" 2 40

# submitted organisations of CAMPAIGN, one per kind: "ORG KIND" lines
respondents() {
	m response export "$1" --format csv > "$TMP/export.csv" 2>/dev/null
	m org list --json > "$TMP/orgs.json"
	python3 -c '
import csv, json, sys
kinds = {o["id"]: o.get("kind", "") for o in json.load(open(sys.argv[2]))}
seen = {}
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")):
    if r.get("status") != "submitted":
        continue
    k = kinds.get(r["organisation"], "")
    if k not in seen:
        seen[k] = r["organisation"]
for k, o in list(seen.items())[:int(sys.argv[3])]:
    print(o, k)' "$TMP/export.csv" "$TMP/orgs.json" "$2"
}

# one hospital of the 2022 survey, one that has VPN devices
m response export 1 --format csv > "$TMP/export.csv"
H=$(python3 -c '
import csv, sys
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")):
    if r["status"] == "submitted" and r.get("q10_vpn") == "yes" and r.get("q5_ehr") == "yes":
        print(r["organisation"]); break' "$TMP/export.csv")
check "a hospital that answered with an EHR and VPN devices" test -n "$H"
m report feedback 1 "$H" -o "$TMP/feedback.html"
render "feedback-hospital-2022-$H" "$TMP/feedback.html" 1 6

# the other demo campaigns: instrument id, how many kinds to show
m campaign list --json > "$TMP/campaigns.json"
for want in fsa-cyber-self-assessment:3 mhlw-medical-checklist-facility:1 \
	mic-cloud-settings-user:1; do
	ins=${want%:*}; kinds=${want#*:}
	c=$(python3 -c '
import json, sys
for c in json.load(open(sys.argv[1])):
    if c["instrument"]["id"] == sys.argv[2]:
        print(c["id"]); break' "$TMP/campaigns.json" "$ins")
	if [ -z "$c" ]; then
		skip "$ins: \"mamori demo generate\" makes no campaign of it"
		continue
	fi
	respondents "$c" "$kinds" > "$TMP/who"
	if [ ! -s "$TMP/who" ]; then
		_notok "$ins: campaign $c has a submitted response"
		continue
	fi
	while read -r org kind; do
		if m report feedback "$c" "$org" -o "$TMP/f.html" > "$TMP/err" 2>&1; then
			render "feedback-$ins-${kind:-org}-$org" "$TMP/f.html" 1 6
		else
			_notok "$ins: feedback report of $org ($kind)" "$(cat "$TMP/err")"
		fi
	done < "$TMP/who"
done
finish
