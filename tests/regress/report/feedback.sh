#!/bin/sh
# feedback.sh - "mamori report feedback" on a small demo campaign: the
# page holds exactly the organisation's findings (as "response check"
# computes them from its stored answers), worst first, and the shares of
# all respondents and of its peers (as "analysis" computes them); it is
# self-contained (no request to anywhere) and escapes what it shows.
# Also the national summary page ("report summary"). With /usr/bin/chromium, the page is also rendered to a PNG in the
# build's test output folder (meson-logs/report-feedback.png).
. "$(dirname "$0")/../lib.sh"
DB=$TMP/f.db
SURVEY=$SRC/instruments/mhlw/hospital-backup-vpn-2022.yaml
m() { "$MAMORI" "$@" --db "$DB"; }

check "init" "$MAMORI" init --db "$DB"
check "demo" m demo generate --hospitals 600 --respondents 450 --seed 7

# the first respondent with at least two findings
ORG=
for o in $(m org list | cut -f1); do
	m response show 1 "$o" 2>/dev/null | sed 1d > "$TMP/ans.json" || continue
	[ -s "$TMP/ans.json" ] || continue
	n=$("$MAMORI" response check "$SURVEY" "$TMP/ans.json" --json |
		python3 -c 'import json,sys; print(len(json.load(sys.stdin)["findings"]))')
	if [ "$n" -ge 2 ]; then ORG=$o; break; fi
done
check "an organisation with findings" test -n "$ORG"
"$MAMORI" response check "$SURVEY" "$TMP/ans.json" --json > "$TMP/check.json"

check "feedback -o FILE" m report feedback 1 "$ORG" --lang en -o "$TMP/f.html"
check_out "the findings of its answers, worst first" \
	"$(python3 -c '
import json, sys
order = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
f = json.load(open(sys.argv[1]))["findings"]
print(" ".join(x["id"] for x in sorted(f, key=lambda x: order[x["severity"]])))' "$TMP/check.json")" \
	sh -c "grep -o 'id=\"finding-[a-z_]*\"' '$TMP/f.html' | sed 's/id=\"finding-//; s/\"//' | tr '\n' ' ' | sed 's/ \$//'"

m analysis 1 --json --by kind,size_band > "$TMP/peer.json"
check "national and peer shares with their denominators" python3 -c '
import json, re, subprocess, sys
html = open(sys.argv[1], encoding="utf-8").read()
a = json.load(open(sys.argv[2]))
org = sys.argv[3]
beds = None
for line in subprocess.run(sys.argv[4:], capture_output=True, text=True).stdout.splitlines():
    f = line.split("\t")
    if f[0] == org:
        beds = json.loads(f[4])["beds"]
bands = [20, 100, 200, 400, 500]
k = max(i for i, b in enumerate(bands) if beds >= b) if beds >= 20 else None
band = "<20" if k is None else ("%d+" % bands[k] if k == len(bands) - 1 else "%d-%d" % (bands[k], bands[k + 1] - 1))
peer = a["groups"]["hospital/" + band]
row = re.search(r"<tr id=\"indicator-keeps_generations\">(.*?)</tr>", html).group(1)
want = []
for g in (a, peer):
    i = g["indicators"]["keeps_generations"]
    pm = (i["met"] * 2000 + i["population"]) // (2 * i["population"])	# tenths of %, half up
    want.append("%d.%d %%<br><small>n = %s</small>" % (pm // 10, pm % 10, format(i["population"], ",")))
missing = [w for w in want if w not in row]
print(missing)
sys.exit(1 if missing else 0)' "$TMP/f.html" "$TMP/peer.json" "$ORG" "$MAMORI" org list --db "$DB"
check_grep "what to do first" "What to do first" cat "$TMP/f.html"
check_grep "its answers" "Your answers" cat "$TMP/f.html"
check_grep "Japanese by default" '<html lang="ja">' m report feedback 1 "$ORG"
check_out "self-contained: nothing fetched" "" sh -c \
	"grep -o -i -E '(src|href|action|poster|data)=\"[a-z]+:|url\\(|@import|<link|<script|<img|<iframe' '$TMP/f.html'"
check_out "A4 print style" "1" sh -c "grep -c '@page{size:A4' '$TMP/f.html'"

if [ -x /usr/bin/chromium ]; then
	OUT=${MESON_BUILD_ROOT:-$(pwd)}/meson-logs
	mkdir -p "$OUT"
	U=$(mktemp -d)
	m report feedback 1 "$ORG" --lang ja -o "$TMP/ja.html"
	timeout 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu \
		--disable-quic --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --user-data-dir="$U" \
		--screenshot="$OUT/report-feedback.png" --window-size=1000,2000 \
		"file://$TMP/ja.html" >/dev/null 2>&1
	rm -rf "$U"
	check "rendered to PNG" test -s "$OUT/report-feedback.png"
fi

# organisation data is escaped
printf 'id,name,kind,prefecture,beds\n%s,"<script>alert(1)</script>&",hospital,01,150\n' "$ORG" > "$TMP/rename.csv"
check "rename through the import" m org import "$TMP/rename.csv"
check_grep "names are escaped" "&lt;script&gt;alert(1)&lt;/script&gt;&amp;" m report feedback 1 "$ORG"
check_out "no raw markup from data" "0" sh -c "'$MAMORI' report feedback 1 '$ORG' --db '$DB' | grep -c '<script>'"

# the national summary
check "summary -o FILE" m report summary 1 --lang en -o "$TMP/s.html"
check_grep "summary: response rate with its denominator" \
	"Invited 600, submitted 450 (response rate 75.0 %)" cat "$TMP/s.html"
check_out "summary: a tile per prefecture on every map" "$((47 * 17))" \
	sh -c "grep -o '<g><title>' '$TMP/s.html' | wc -l"
check_out "summary: self-contained" "" sh -c \
	"grep -o -i -E '(src|href|action|poster|data)=\"[a-z]+:|url\\(|@import|<link|<script|<img|<iframe' '$TMP/s.html'"
check_out "summary: the EHR figure of the analysis" "1" sh -c "grep -c \"$(m analysis 1 --json | python3 -c '
import json, sys
i = json.load(sys.stdin)["indicators"]["ehr_in_use"]
print("%.1f %%</td><td class=\\\"num\\\">%s / %s</td>" % (100 * i["share"], format(i["met"], ","), format(i["population"], ",")))')\" '$TMP/s.html'"

check_out "--all: one page per respondent" "450 feedback reports in $TMP/all" \
	m report feedback 1 --all "$TMP/all"
check_out "--all: the files" "450" sh -c "ls '$TMP/all' | grep -c '\\.html\$'"
check_exit 2 "no response: refused" m report feedback 1 NOSUCH
check_exit 2 "usage" m report feedback 1

finish
