#!/bin/sh
# export.sh - "mamori export": the national tables of a small demo
# campaign as CSV (the same numbers as "mamori analysis --json", every
# row with its denominator), JSON (the analysis result) and XLSX.
. "$(dirname "$0")/../lib.sh"
DB=$TMP/e.db
m() { "$MAMORI" "$@" --db "$DB"; }

check "init" "$MAMORI" init --db "$DB"
check "demo" m demo generate --hospitals 500 --respondents 400 --seed 11 --no-others
m analysis 1 --json > "$TMP/a.json"
check "csv" sh -c "'$MAMORI' export 1 --format csv --lang en --db '$DB' > '$TMP/t.csv'"
check_out "csv header" "section,group,id,number,label,key,key_label,count,denominator,share,value" \
	sh -c "head -1 '$TMP/t.csv' | tr -d '\r'"
check "csv rows agree with the analysis" python3 -c '
import csv, json, sys
a = json.load(open(sys.argv[1]))
rows = list(csv.DictReader(open(sys.argv[2], encoding="utf-8", newline="")))
bad = 0
seen = 0
for r in rows:
    if r["group"]:
        continue
    if r["section"] == "indicators":
        i = a["indicators"][r["id"]]
        bad += int(r["count"]) != i["met"] or int(r["denominator"]) != i["population"]
        seen += 1
    elif r["section"] == "items" and r["key"] in a["items"][r["id"]].get("counts", {}):
        i = a["items"][r["id"]]
        bad += int(r["count"]) != i["counts"][r["key"]] or int(r["denominator"]) != i["population"]
        seen += 1
    elif r["section"] == "findings":
        bad += int(r["count"]) != a["findings"][r["id"]]
        seen += 1
print(seen, bad)
sys.exit(1 if bad or seen < 50 else 0)' "$TMP/a.json" "$TMP/t.csv"
check_grep "csv by group" "^items,13,q5_ehr," m export 1 --format csv --by prefecture
check_out "json is the analysis" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["indicators"]["ehr_in_use"])' "$TMP/a.json")" \
	sh -c "'$MAMORI' export 1 --format json --db '$DB' | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"indicators\"][\"ehr_in_use\"])'"
check "xlsx" m export 1 --format xlsx -o "$TMP/t.xlsx" --by size_band
check_out "xlsx: the sheets" "summary indicators findings items prefectures responses q11_vpn_devices" python3 -c '
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print(" ".join(re.findall(r"<sheet name=\"([a-z0-9_]+)\"", z.read("xl/workbook.xml").decode())))' "$TMP/t.xlsx"
# a second 2022 campaign of the same instrument (3; 2 is the 2023 round):
# the trend table between two campaigns of one version
check "a second campaign" m demo generate --hospitals 500 --respondents 300 --seed 12 --no-others
check "trend --compare" sh -c "'$MAMORI' analysis 3 --compare 1 --json --db '$DB' > '$TMP/t.json'"
m analysis 3 --json > "$TMP/a2.json"
check "trend: before and after are the two analyses" python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))["trend"]
a1, a2 = json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
ok = t["campaigns"] == [1, 3] and t["changed"] == {} and t["added"] == [] and t["removed"] == []
for k, v in t["indicators"].items():
    ok = ok and abs(v["before"] - a1["indicators"][k]["share"]) < 1e-9
    ok = ok and abs(v["after"] - a2["indicators"][k]["share"]) < 1e-9
    ok = ok and v["population_after"] == a2["indicators"][k]["population"]
ok = ok and t["items"]["q5_ehr"]["after"]["population"] == 300
sys.exit(0 if ok else 1)' "$TMP/t.json" "$TMP/a.json" "$TMP/a2.json"
check_grep "trend in text" "^Trend (campaign 1 -> 3, versions 2022.1 -> 2022.1)" m analysis 3 --compare 1
check_exit 2 "xlsx needs a file" m export 1 --format xlsx
check_exit 2 "unknown format" m export 1 --format pdf
finish
