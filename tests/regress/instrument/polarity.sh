#!/bin/sh
# polarity.sh - indicator polarity (good / bad / neutral) end to end: every
# indicator of every bundled instrument declares one; "instrument show"
# says what meeting it means; a wrong value is a located load error; the
# analysis JSON carries it; a feedback report marks where a hospital needs
# attention and puts, under "what to do first", the indicators where most
# of its peers are on the good side.
. "$(dirname "$0")/../lib.sh"
DB=$TMP/p.db
S=$SRC/instruments/mhlw/hospital-backup-vpn-2022.yaml
H=$SRC/tests/data/instrument/hospital-2022
m() { "$MAMORI" "$@" --db "$DB"; }

check "every indicator of every bundled instrument declares its polarity" python3 -c '
import glob, re, sys
bad = []
for f in sorted(glob.glob(sys.argv[1] + "/instruments/*/*.yaml")):
    inside, cur, seen = False, None, {}
    for ln in open(f, encoding="utf-8"):
        if re.match(r"^indicators:", ln):
            inside = True
            continue
        if re.match(r"^[a-z]", ln):
            inside = False
        m = re.match(r"^  - id: (\w+)", ln)
        if inside and m:
            cur = m.group(1)
            seen[cur] = None
        m = re.match(r"^    polarity: (good|bad|neutral)\s*$", ln)
        if inside and m and cur:
            seen[cur] = m.group(1)
    bad += ["%s: %s" % (f, k) for k, v in seen.items() if v is None]
    if not seen and "indicators:" in open(f, encoding="utf-8").read():
        bad.append(f + ": no indicator read")
if bad:
    sys.exit("\n".join(bad))' "$SRC"
for f in "$SRC"/instruments/*/*.yaml; do
	check "instrument check $(basename "$f")" "$MAMORI" instrument check "$f"
done

"$MAMORI" instrument show "$S" --all --lang en > "$TMP/show.txt"
check_out "show: a risk indicator" "      meeting it is: a risk (needs attention)" \
	sh -c "grep -A4 '(vpn_log_not_reviewed)' '$TMP/show.txt' | grep 'meeting it is'"
check_out "show: a measure" "      meeting it is: good (a measure)" \
	sh -c "grep -A4 '(keeps_generations)' '$TMP/show.txt' | grep 'meeting it is'"
check_out "show: a neutral one says nothing" "" \
	sh -c "grep -A3 '(ehr_in_use)' '$TMP/show.txt' | grep 'meeting it is'"
check_grep "show in Japanese" "該当すると: 要対応（リスク）" "$MAMORI" instrument show "$S" --all

sed 's/^    polarity: bad$/    polarity: risky/' "$S" > "$TMP/bad.yaml"
check_exit 1 "a wrong polarity is refused" "$MAMORI" instrument check "$TMP/bad.yaml"
line=$(grep -n '^    polarity: risky$' "$TMP/bad.yaml" | head -1 | cut -d: -f1)
check_grep "located, naming the indicator" \
	"bad.yaml:$line:15: indicator no_leak_protection: 'polarity' must be 'good', 'bad' or 'neutral', not 'risky'" \
	"$MAMORI" instrument check "$TMP/bad.yaml"

# three hospitals of the 2022 survey: H001 answers with an EHR and VPN
# devices (backups online only, emergency procedures not trained), H002
# and H003 without a VPN (backups stored apart, procedures trained)
check "init" "$MAMORI" init --db "$DB"
printf 'id,name,kind,prefecture,beds\nH001,中央病院,hospital,13,120\nH002,港病院,hospital,13,150\nH003,北病院,hospital,13,130\n' > "$TMP/o.csv"
check "import" m org import "$TMP/o.csv"
export MAMORI_NOW=2022-02-01T10:00
check "campaign" m campaign create --instrument "$S" --title t --opens 2022-01-27 \
	--closes 2022-02-14 --target "kind = 'hospital'"
check "H001" m response submit 1 H001 "$H/complete.json"
check "H002" m response submit 1 H002 "$H/no-vpn.json"
check "H003" m response submit 1 H003 "$H/no-vpn.json"
unset MAMORI_NOW
check_out "analysis json: the polarity of each indicator" "good bad neutral" sh -c "
	'$MAMORI' analysis 1 --json --db '$DB' | python3 -c '
import json, sys
i = json.load(sys.stdin)[\"indicators\"]
print(i[\"keeps_generations\"][\"polarity\"], i[\"vpn_log_not_reviewed\"][\"polarity\"], i[\"ehr_in_use\"][\"polarity\"])'"
check "feedback report of H001" m report feedback 1 H001 --lang en -o "$TMP/f.html"
row() { python3 -c '
import re, sys
h = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"<tr id=\"indicator-%s\">.*?</tr>" % sys.argv[2], h)
print(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<svg.*?</svg>", "", m.group(0)))).strip())' "$TMP/f.html" "$1"; }
check_grep "a risk met: needs attention" "You meet it: this needs attention. 33.3 % of your peers meet it (n = 3). Yes Needs attention" \
	row backups_not_isolated
check_grep "a measure met: good" "You meet it: good.*Yes Good" row keeps_generations
check_grep "a neutral indicator: no word" "^Uses an EHR system You meet it. 100.0 % of your peers meet it (n = 3). Yes 100.0 %" \
	row ehr_in_use
# of the three where 2 of 3 peers are on the good side, backups_isolated
# reads what backups_not_isolated reads (q5, q8) and emergency procedures
# (q4) what a finding shown above reads: each said once
check_out "what to do first: the indicators where most peers are on the good side, each said once" \
	"backups_not_isolated" python3 -c '
import re, sys
h = open(sys.argv[1], encoding="utf-8").read()
s = h[h.index("<section class=\"first\">"):]
s = s[:s.index("</section>")]
print(" ".join(re.findall(r"href=\"#indicator-(\w+)\"", s)))' "$TMP/f.html"
check_grep "what to do first: the peers' share in words" \
	"Yours needs attention; 66.7 % of your peers are on the good side (n = 3)." cat "$TMP/f.html"
check "feedback report of H002, in Japanese" m report feedback 1 H002 -o "$TMP/f2.html"
check_grep "良好 in a box" '<span class="pol pol-good">良好</span>' cat "$TMP/f2.html"
finish
