#!/bin/sh
# vpnlog.sh - "mamori vpnlog audit": exit codes, --json shape, gzip and
# stdin input, malformed lines, several files, HTML escaping.
. "$(dirname "$0")/../lib.sh"
D=$SRC/tests/data/evidence
A="$MAMORI vpnlog audit --year 2024"

# a small checker for --json: python3 is part of the run dependencies
jq_() { python3 -c "import json,sys; d=json.load(sys.stdin); $1"; }

check_exit 2 "no file is a usage error" $MAMORI vpnlog audit
check_exit 2 "unknown option" $A --frobnicate $D/fortigate.log
check_exit 2 "unknown format" $A --format cisco $D/asa.log
check_exit 2 "bad --allow" $A --allow 10.0.0.0/33 $D/fortigate.log
check_exit 2 "bad --tz" $A --tz Mars/Olympus $D/fortigate.log
check_exit 2 "missing file" $A /nonexistent.log
check_exit 0 "--help" $MAMORI vpnlog audit --help
check_grep "missing file is named" "nonexistent.log" $A /nonexistent.log

# the fixtures have no findings that need an allow-list ... except shared names
check_exit 0 "openvpn fixture: nothing found" $A --shared-names '' $D/openvpn.log
check_exit 1 "fortigate fixture: shared account 'vendor-maint'" $A $D/fortigate.log

$A --json $D/fortigate.log > "$TMP/fg.json"
check "json: required keys" jq_ "
for k in ('events','malformed','formats','findings','accounts','sources'): assert k in d, k
assert d['events'] == 6 and d['malformed'] == 1 and d['formats'] == {'fortigate': 8}, d
f = [x for x in d['findings'] if x['kind'] == 'shared_account'][0]
assert set(f) >= {'kind','severity','source','user','count','first','last','detail'}
assert f['user'] == 'vendor-maint' and f['severity'] == 'medium'
assert d['malformed_lines'][0]['line'] == 9
" < "$TMP/fg.json"

# every format in one stream: auto detection per line
cat $D/*.log > "$TMP/all.log"
$A --json "$TMP/all.log" > "$TMP/all.json"
check "auto: all eight formats counted" jq_ "
assert sorted(d['formats']) == ['asa','fortigate','globalprotect','netscaler','openvpn','pulse','sonicwall','strongswan'], d['formats']
assert d['events'] == 38, d['events']
assert d['malformed'] == 8, d['malformed']
" < "$TMP/all.json"

# gzip and stdin give the same counts as the plain file
gzip -c "$TMP/all.log" > "$TMP/all.log.gz"
$A --json "$TMP/all.log.gz" > "$TMP/gz.json"
check "gzip input: same events" jq_ "assert d['events'] == 38 and d['malformed'] == 8" < "$TMP/gz.json"
$A --json - < "$TMP/all.log.gz" > "$TMP/stdin.json"
check "gzip on stdin: same events" jq_ "assert d['events'] == 38" < "$TMP/stdin.json"

# several files (read in parallel) equal their concatenation
$A --json $D/*.log > "$TMP/many.json"
check "several files = one concatenated" jq_ "
a = json.load(open('$TMP/all.json'))
assert d['events'] == a['events'] and d['malformed'] == a['malformed'], (d['events'], a['events'])
assert len(d['accounts']) == len(a['accounts']) and len(d['sources']) == len(a['sources'])
" < "$TMP/many.json"

# garbage: binary, enormous and truncated lines are counted, never fatal
{
	cat $D/fortigate.log
	python3 -c "print('date=' + 'x' * 200000)"
	printf 'logid=\000\001\377\376 binary\n\377\376\375\n'
	printf 'date=2024-05-10 time=02:14:07 devname="hp'
} > "$TMP/junk.log"
$A --json --max-line 65536 "$TMP/junk.log" > "$TMP/junk.json"
rc=$?
check "junk: exit 1 (findings), not a crash" test "$rc" = 1
check "junk: long line and binary counted" jq_ "
assert d['events'] == 6, d['events']
assert d['malformed'] >= 3, d['malformed']
whys = [m['reason'] for m in d['malformed_lines']]
assert 'line too long' in whys and 'binary data' in whys, whys
assert [m['line'] for m in d['malformed_lines']] == [9, 10, 11], d['malformed_lines']
" < "$TMP/junk.json"
head -c 200000 /dev/urandom > "$TMP/random.bin"
check_exit 0 "pure binary input: nothing found, exit 0" $A "$TMP/random.bin"

# HTML: self-contained, log text escaped
sed 's/user="admin"/user="<script>alert(1)<\/script>"/' $D/fortigate.log > "$TMP/xss.log"
$A --html --shared-names '<script>*' "$TMP/xss.log" > "$TMP/r.html"
check "html: escaped" grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$TMP/r.html"
check_exit 1 "html: no raw script" grep -q '<script>' "$TMP/r.html"
check_exit 1 "html: no external requests" grep -Eq '(src|href)=|@import|url\(' "$TMP/r.html"

# Windows NPS (IAS "DTS" XML): RADIUS accepts, rejects and accounting stops
N=$SRC/tests/unit/evidence/nps.log
$A --json $N > "$TMP/nps.json"
check "nps: accepts, rejects, stops" jq_ "
assert d['formats'] == {'nps': 8} and d['events'] == 5 and d['malformed'] == 2, d
assert d['outcomes'] == {'success': 2, 'failure': 2, 'logout': 1}, d['outcomes']
assert sorted(x['device'] for x in d['devices']) == ['NPS01', 'hp-rras01', 'wifi-ap3'], d['devices']
" < "$TMP/nps.json"
check_exit 0 "nps: --format nps, nothing found without an allow-list" $A --format nps $N
check_grep "nps: rejects from outside the allow-list" "failed login(s) from 203.0.113.45" $A --format nps --allow 198.51.100.0/24 $N

# thresholds are options
check_exit 2 "bad duration" $A --bf-window 5x $D/fortigate.log
check_exit 2 "bad --jobs" $A --jobs 0 $D/fortigate.log
check_exit 0 "--min-severity high hides medium findings" $A --min-severity high $D/fortigate.log

# One file is parsed by as many threads as there are CPUs to run on; the
# result must be the one-CPU result byte for byte (taskset gives one).
if command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then
	python3 "$SRC/bench/vpnlog-gen.py" fortigate "$TMP/gen.log" 9
	python3 "$SRC/bench/vpnlog-gen.py" mixed "$TMP/mixed.log" 5
	python3 "$SRC/tests/regress/evidence/genmonth.py" attack "$TMP/month.log"
	gzip -c "$TMP/gen.log" > "$TMP/gen.log.gz"
	for f in all.log month.log gen.log gen.log.gz mixed.log; do
		taskset -c 0 $A --json "$TMP/$f" > "$TMP/one.json"
		$A --json "$TMP/$f" > "$TMP/two.json"
		check "$f: all CPUs give the one-CPU JSON" cmp "$TMP/one.json" "$TMP/two.json"
	done
	# --jobs sets the thread count, on any number of CPUs
	$A --json --jobs 1 "$TMP/gen.log" > "$TMP/j1.json"
	$A --json --jobs 3 "$TMP/gen.log" > "$TMP/j3.json"
	check "gen.log: --jobs 3 gives the --jobs 1 JSON" cmp "$TMP/j1.json" "$TMP/j3.json"
	taskset -c 0 $A --json "$TMP/gen.log" > "$TMP/one.json"
	check "gen.log: --jobs 1 gives the one-CPU JSON" cmp "$TMP/j1.json" "$TMP/one.json"
	# blocks are 4 MiB: the generated log is three
	check "gen.log spans several read blocks" test "$(wc -c < "$TMP/gen.log")" -gt 8388608
else
	_ok "all CPUs give the one-CPU JSON # SKIP one CPU or no taskset"
fi
finish
