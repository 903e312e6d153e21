#!/bin/sh
# cli.sh - the instrument commands against the real binary: exit codes,
# located errors, the questionnaire in words, response check in both
# output forms, and a scripted fill.
. "$(dirname "$0")/../lib.sh"
cd "$SRC" || exit 1
SURVEY=instruments/mhlw/hospital-backup-vpn-2022.yaml
DATA=tests/data/instrument/hospital-2022

check_exit 0 "--version" "$MAMORI" --version
check_grep "--help lists the nouns" "instrument" "$MAMORI" --help
check_exit 2 "no arguments is a usage error" "$MAMORI"
check_exit 2 "unknown noun" "$MAMORI" frobnicate

# instrument check
for f in $(find instruments -name '*.yaml' -path '*mhlw*' | sort); do
	check_exit 0 "bundled instrument $f is valid" "$MAMORI" instrument check "$f"
done
check_exit 1 "a broken instrument fails" "$MAMORI" instrument check tests/data/instrument/broken/typo.yaml
out=$("$MAMORI" instrument check tests/data/instrument/broken/typo.yaml 2>&1)
if [ "$out" = "$(cat tests/data/instrument/broken/typo.err)" ]; then
	_ok "every error of a broken instrument, located"
else
	_notok "every error of a broken instrument, located" "$out"
fi
check_exit 2 "a missing instrument is unreadable" "$MAMORI" instrument check /nonexistent.yaml
check_exit 1 "valid and broken together: still fails" "$MAMORI" instrument check "$SURVEY" tests/data/instrument/broken/typo.yaml

# instrument show: numbered, choices, skip logic in words
check_grep "show: Q6 only with an EHR (en)" "→ only if Q5 is 'Yes'" "$MAMORI" instrument show "$SURVEY" --lang en
check_grep "show: question 6 in Japanese" "問6" "$MAMORI" instrument show "$SURVEY"
check_grep "show: skip logic in Japanese" "回答する条件: 問10が「はい」" "$MAMORI" instrument show "$SURVEY"
check_grep "show --all lists findings" "vpn_not_updated" "$MAMORI" instrument show "$SURVEY" --all --lang en
check_exit 2 "show: bad --lang" "$MAMORI" instrument show "$SURVEY" --lang fr

# response check
check_exit 0 "complete response is valid" "$MAMORI" response check "$SURVEY" "$DATA/complete.json"
check_exit 0 "no EHR is valid" "$MAMORI" response check "$SURVEY" "$DATA/no-ehr.json"
check_exit 0 "no VPN is valid" "$MAMORI" response check "$SURVEY" "$DATA/no-vpn.json"
check_exit 0 "skipped answers are warnings" "$MAMORI" response check "$SURVEY" "$DATA/answers-skipped.json"
check_exit 1 "failed constraint is invalid" "$MAMORI" response check "$SURVEY" "$DATA/bad-constraint.json"
check_exit 1 "missing required is invalid" "$MAMORI" response check "$SURVEY" "$DATA/missing-required.json"
check_exit 1 "wrong types are invalid" "$MAMORI" response check "$SURVEY" "$DATA/wrong-types.json"
printf '{"q5_ehr": ' > "$TMP/bad.json"
check_exit 2 "malformed JSON is unreadable" "$MAMORI" response check "$SURVEY" "$TMP/bad.json"
check_grep "malformed JSON is located" "bad.json:1:" "$MAMORI" response check "$SURVEY" "$TMP/bad.json"
echo '[1, 2]' > "$TMP/arr.json"
check_exit 2 "a JSON array is not a response" "$MAMORI" response check "$SURVEY" "$TMP/arr.json"
check_exit 0 "response from stdin" sh -c "\"$MAMORI\" response check $SURVEY - < $DATA/complete.json"
check_grep "text output in Japanese" "回答が必要です" "$MAMORI" response check "$SURVEY" "$DATA/missing-required.json"

# --json: the documented shape
"$MAMORI" response check "$SURVEY" "$DATA/complete.json" --json > "$TMP/out.json"
check "json: fields and normalised response" python3 -c '
import json, sys
o = json.load(open(sys.argv[1]))
assert o["valid"] is True, o
assert o["errors"] == []
assert {"id": "vpn_logs_unreviewed", "severity": "high"} in o["findings"]
assert o["indicators"]["keeps_generations"] == {"in_population": True, "met": True}
assert o["response"]["vpn_units_total"] == 3
assert len(o["response"]["q11_vpn_devices"]) == 2
' "$TMP/out.json"
"$MAMORI" response check "$SURVEY" "$DATA/wrong-types.json" --json --lang en > "$TMP/bad.out"
check "json: every error with item, code and message" python3 -c '
import json, sys
o = json.load(open(sys.argv[1]))
assert o["valid"] is False
got = [(e["item"], e["code"]) for e in o["errors"]]
assert got == [("q11_vpn_devices[1].units", "wrong_type"), ("q12_vpn_updated", "not_in_list"), ("q15_comments", "unknown_item")], got
assert all(e["message"] for e in o["errors"])
' "$TMP/bad.out"
"$MAMORI" response check "$SURVEY" "$DATA/no-ehr.json" --json > "$TMP/noehr.json"
check "json: indicators outside their population" python3 -c '
import json, sys
o = json.load(open(sys.argv[1]))
assert o["indicators"]["keeps_generations"] == {"in_population": False, "met": False}
assert "q6_backup" not in o["response"]
' "$TMP/noehr.json"

# fill, scripted: no EHR, one VPN device, a rejected e-mail re-asked
printf '%s\n' "医療 太郎" "情報システム課" "03-1234-5678" "not-an-address" "taro@example.jp" \
	1 1 1 2 1 "" Fortinet "FortiGate 60E" 0 1 "FortiOS 6.0.4" n 2 1 2 \
	> "$TMP/answers.txt"
check_exit 0 "fill: scripted answers give a valid response" sh -c \
	"\"$MAMORI\" fill $SURVEY --lang en -o $TMP/filled.json < $TMP/answers.txt"
check "fill: the saved response" python3 -c '
import json, sys
o = json.load(open(sys.argv[1]))
assert o["q5_ehr"] == "no", o
assert "q6_backup" not in o
assert o["respondent_email"] == "taro@example.jp"
assert o["q11_vpn_devices"] == [{"maker": "Fortinet", "model": "FortiGate 60E", "units": 1, "firmware": "FortiOS 6.0.4"}], o
assert o["q12_vpn_updated"] == "no" and o["q13_vpn_restricted"] == "yes" and o["q14_vpn_log_review"] == "no"
' "$TMP/filled.json"
check_grep "fill: a failed constraint is re-asked" "^  ! .*e-mail" sh -c \
	"\"$MAMORI\" fill $SURVEY --lang en -o $TMP/f2.json < $TMP/answers.txt"
check_exit 0 "fill: the saved response passes response check" "$MAMORI" response check "$SURVEY" "$TMP/filled.json"
printf '%s\n' "医療 太郎" > "$TMP/short.txt"
check_exit 1 "fill: input that ends early saves an invalid response" sh -c \
	"\"$MAMORI\" fill $SURVEY -o $TMP/short.json < $TMP/short.txt"

finish
