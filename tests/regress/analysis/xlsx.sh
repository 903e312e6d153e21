#!/bin/sh
# xlsx.sh - "mamori export --format xlsx" of a small hand-made campaign
# (three hospitals, two answers of the 2022 survey), read back with a
# real reader (zipfile + the sheet XML and the shared strings): the sheets,
# the raw responses one row per organisation with Japanese intact and
# numbers typed as numbers, one row per VPN device, the prefecture table;
# and the CSV with a byte-order mark. Then a repeatable campaign (reports
# told apart by their number; the response rate over organisations) and
# one with vendor forms (a sheet of forms, one row per form).
. "$(dirname "$0")/../lib.sh"
DB=$TMP/x.db
H=$SRC/tests/data/instrument/hospital-2022
m() { "$MAMORI" "$@" --db "$DB"; }

check "init" "$MAMORI" init --db "$DB"
printf 'id,name,kind,prefecture,beds\nH001,中央記念病院,hospital,13,120\nH002,港総合病院,hospital,27,30\nH003,北病院,hospital,01,600\n' > "$TMP/orgs.csv"
check "import" m org import "$TMP/orgs.csv"
export MAMORI_NOW=2022-02-01T10:00
check "campaign" m campaign create --instrument "$SRC/instruments/mhlw/hospital-backup-vpn-2022.yaml" \
	--title "2022 小規模" --opens 2022-01-27 --closes 2022-02-14 --target "kind = 'hospital'"
check "H001 submits (two VPN models)" m response submit 1 H001 "$H/complete.json"
export MAMORI_NOW=2022-02-03T15:30
check "H002 submits (no VPN)" m response submit 1 H002 "$H/no-vpn.json"
unset MAMORI_NOW
check "export xlsx" m export 1 --format xlsx -o "$TMP/c.xlsx" --lang ja

# cells NAME FILE: the sheet as {ref: (type, value)}, shared strings resolved
cat > "$TMP/read.py" <<'PY'
import re, sys, zipfile
import xml.etree.ElementTree as ET
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
z = zipfile.ZipFile(sys.argv[1])
wb = ET.fromstring(z.read("xl/workbook.xml"))
rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
target = {r.get("Id"): r.get("Target") for r in rels}
sheets = {s.get("name"): "xl/" + target[s.get(REL)] for s in wb.find("m:sheets", NS)}
order = [s.get("name") for s in wb.find("m:sheets", NS)]
shared = []
if "xl/sharedStrings.xml" in z.namelist():
    for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
        shared.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
def cells(name):
    out = {}
    for c in ET.fromstring(z.read(sheets[name])).iter("{%s}c" % NS["m"]):
        v = c.find("m:v", NS)
        if v is None:
            continue
        t = c.get("t", "n")
        if c.find("m:f", NS) is not None:
            raise SystemExit("a formula in " + name)
        out[c.get("r")] = (t, shared[int(v.text)] if t == "s" else float(v.text) if t == "n" else v.text)
    return out
def col(cs, header):
    for ref, (t, v) in cs.items():
        if re.fullmatch(r"[A-Z]+1", ref) and v == header:
            return ref[:-1]
    raise SystemExit("no column " + header)
PY
py() { python3 -c "exec(open('$TMP/read.py').read())
$1" "$TMP/c.xlsx"; }

check_out "sheets" "summary indicators findings items prefectures responses q11_vpn_devices" \
	py 'print(" ".join(order))'
check "responses: one row per organisation that answered, in id order" py '
c = cells("responses")
assert c["A1"] == ("s", "organisation") and c["B1"] == ("s", "name"), (c["A1"], c["B1"])
assert c["A2"] == ("s", "H001") and c["A3"] == ("s", "H002"), (c["A2"], c["A3"])
assert not any(re.fullmatch(r"[A-Z]+4", r) for r in c), "a third row"'
check "responses: Japanese intact (name, department, prefecture code, kind)" py '
c = cells("responses")
assert c["B2"] == ("s", "中央記念病院") and c["B3"] == ("s", "港総合病院"), (c["B2"], c["B3"])
assert c["C2"] == ("s", "13") and c["C3"] == ("s", "27") and c["D2"] == ("s", "hospital")
d = col(c, "respondent_department")
assert c[d + "2"] == ("s", "事務部 情報システム課"), c[d + "2"]'
check "responses: status and submitted time" py '
c = cells("responses")
assert c["E2"] == ("s", "submitted") and c["F1"] == ("s", "submitted_at")
assert c["F2"] == ("s", "2022-02-01T10:00:00+09:00") and c["F3"] == ("s", "2022-02-03T15:30:00+09:00"), (c["F2"], c["F3"])'
check "responses: choices as their values; skipped items empty" py '
c = cells("responses")
assert c[col(c, "q5_ehr") + "2"] == ("s", "yes")
assert c[col(c, "q14_vpn_log_review") + "2"] == ("s", "no")
assert c[col(c, "q12_vpn_updated") + "2"] == ("s", "unknown")
assert col(c, "q14_vpn_log_review") + "3" not in c, "H002 has no VPN"'
check "responses: a calculation is a number" py '
c = cells("responses")
assert c[col(c, "vpn_units_total") + "2"] == ("n", 3.0), c.get(col(c, "vpn_units_total") + "2")'
check "repeat rows: one per VPN model, numbers typed as numbers" py '
c = cells("q11_vpn_devices")
assert [c[x][1] for x in ("A1", "B1", "C1", "D1", "E1", "F1")] == ["organisation", "row", "maker", "model", "units", "firmware"]
assert c["A2"] == ("s", "H001") and c["B2"] == ("n", 1.0) and c["C2"] == ("s", "Fortinet")
assert c["E2"] == ("n", 1.0) and c["F2"] == ("s", "FortiOS 6.0.4")
assert c["A3"] == ("s", "H001") and c["B3"] == ("n", 2.0) and c["C3"] == ("s", "ヤマハ") and c["E3"] == ("n", 2.0)
assert not any(re.fullmatch(r"[A-Z]+4", r) for r in c), "two rows only"'
check "summary: counts as numbers" py '
c = cells("summary")
rows = {c["A%d" % i][1]: c.get("B%d" % i) for i in range(1, 8)}
assert rows["invited"] == ("n", 3.0) and rows["submitted"] == ("n", 2.0), rows
assert rows["title"] == ("s", "2022 小規模"), rows["title"]'
check "prefectures: 47 rows, names in Japanese, Tokyo counted" py '
c = cells("prefectures")
assert c["A1"] == ("s", "prefecture") and c["A48"] == ("s", "47") and "A49" not in c
assert c["A14"] == ("s", "13") and c["B14"] == ("s", "東京都") and c["C14"] == ("n", 1.0) and c["D14"] == ("n", 1.0)
assert c["B2"] == ("s", "北海道") and c["C2"] == ("n", 1.0) and c["D2"] == ("n", 0.0)
e = col(c, "ehr_in_use.met")
assert c[e + "14"] == ("n", 1.0)'
check "summary: each indicator with its polarity" py '
c = cells("summary")
rows = {c["A%d" % i][1]: c.get("F%d" % i) for i in range(1, 60) if ("A%d" % i) in c}
assert rows["indicator"] == ("s", "polarity"), rows.get("indicator")
assert rows["keeps_generations"] == ("s", "good") and rows["vpn_log_not_reviewed"] == ("s", "bad")
assert rows["ehr_in_use"] == ("s", "neutral"), rows["ehr_in_use"]'
check "items sheet: Q5 yes counted over both" py '
c = cells("items")
rows = {}
for ref, (t, v) in c.items():
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    rows.setdefault(int(m.group(2)), {})[m.group(1)] = v
hit = [r for r in rows.values() if r.get("B") == "q5_ehr" and r.get("E") == "yes"]
assert len(hit) == 1 and hit[0]["G"] == 2.0 and hit[0]["H"] == 2.0, hit'
check "csv --bom: a byte-order mark, then the header" sh -c "
	'$MAMORI' export 1 --format csv --bom --db '$DB' | head -c 10 | od -An -tx1 | tr -d ' \n' | grep -qx 'efbbbf73656374696f6e'"
check "csv without --bom: no mark" sh -c "
	'$MAMORI' export 1 --format csv --db '$DB' | head -c 7 | grep -qx 'section'"

# ---- a repeatable campaign: 4 invited; H001 two reports, H003 one,
# H002 a draft only, H004 nothing. Organisations with a submitted report:
# 2 of 4 = 0.5 (not 3 reports / 4); reports 3.
DB=$TMP/r.db
D=$SRC/tests/data/store
check "repeatable: init" "$MAMORI" init --db "$DB"
printf 'id,name,kind,prefecture,beds\nH001,東病院,hospital,13,120\nH002,西病院,hospital,27,30\nH003,南病院,hospital,13,400\nH004,北病院,hospital,01,50\n' > "$TMP/orgs4.csv"
check "repeatable: import" m org import "$TMP/orgs4.csv"
export MAMORI_NOW=2024-04-10T10:00
check "repeatable: campaign" m campaign create --instrument "$D/tiny.yaml" --title 報告 \
	--opens 2024-04-01 --target "kind = 'hospital'" --always-open --repeatable
check "repeatable: H001 report 1" m response report 1 H001 "$D/valid.json"
check "repeatable: H001 report 2" m response report 1 H001 "$D/valid-no.json"
check "repeatable: H002 a draft" m response report 1 H002 "$D/valid-no.json" --draft
check "repeatable: H003 report 1" m response report 1 H003 "$D/valid-no.json"
unset MAMORI_NOW
m analysis 1 --json > "$TMP/r.json"
check_out "repeatable: 2 of 4 organisations submitted, 3 reports, rate 0.5" "4 2 3 0 0.5" python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))
print(a["invited"], a["submitted"], a["reports"], a["drafts"], a["response_rate"])' "$TMP/r.json"
check_out "repeatable: by prefecture, Tokyo 2 of 2 with 3 reports, Osaka 0 of 1" "2 2 3 1.0 1 0 0" sh -c "
	'$MAMORI' analysis 1 --json --by prefecture --db '$DB' | python3 -c '
import json, sys
g = json.load(sys.stdin)[\"groups\"]
t, o = g[\"13\"], g[\"27\"]
print(t[\"invited\"], t[\"submitted\"], t[\"reports\"], t[\"response_rate\"], o[\"invited\"], o[\"submitted\"], o[\"reports\"])'"
check_out "repeatable: response export csv numbers each report" "organisation,number,prefecture,status
H001,1,13,submitted
H001,2,13,submitted
H003,1,13,submitted" sh -c "'$MAMORI' response export 1 --format csv --db '$DB' | tr -d '\r' | cut -d, -f1-4"
check_out "repeatable: response export json" "True [['H001', 1], ['H001', 2], ['H003', 1]]" sh -c "
	'$MAMORI' response export 1 --format json --db '$DB' | python3 -c '
import json, sys
x = json.load(sys.stdin)
print(x[\"repeatable\"], [[r[\"organisation\"], r[\"number\"]] for r in x[\"responses\"]])'"
check "repeatable: export xlsx" m export 1 --format xlsx -o "$TMP/r.xlsx" --lang ja
pyr() { python3 -c "exec(open('$TMP/read.py').read())
$1" "$TMP/r.xlsx"; }
check "repeatable: responses, one row per report with its number" pyr '
c = cells("responses")
assert [c[x][1] for x in ("A1", "B1", "C1", "F1", "G1")] == ["organisation", "number", "name", "status", "submitted_at"], c
rows = [(c["A%d" % i][1], c["B%d" % i]) for i in (2, 3, 4)]
assert rows == [("H001", ("n", 1.0)), ("H001", ("n", 2.0)), ("H003", ("n", 1.0))], rows
assert c["C2"] == ("s", "東病院") and not any(re.fullmatch(r"[A-Z]+5", r) for r in c)
assert c[col(c, "q1") + "2"] == ("s", "yes") and c[col(c, "q1") + "3"] == ("s", "no")'
check "repeatable: repeat rows carry the report number" pyr '
c = cells("devices")
assert [c[x][1] for x in ("A1", "B1", "C1", "D1")] == ["organisation", "number", "row", "maker"], c
assert c["A2"] == ("s", "H001") and c["B2"] == ("n", 1.0) and c["C2"] == ("n", 1.0) and c["D2"] == ("s", "Fortinet, Inc.")
assert c["B3"] == ("n", 1.0) and c["C3"] == ("n", 2.0) and "A4" not in c'
check "repeatable: summary counts organisations and reports apart" pyr '
c = cells("summary")
rows = {c["A%d" % i][1]: c.get("B%d" % i) for i in range(1, 10)}
assert rows["invited"] == ("n", 4.0) and rows["submitted"] == ("n", 2.0), rows
assert rows["reports"] == ("n", 3.0) and rows["response_rate"] == ("n", 0.5), rows'
check_grep "repeatable: summary page shows the reports" "回答 2（回答率 50.0 %）、報告 3 件" \
	m report summary 1 --lang ja

# ---- a campaign with vendor forms: H001 a facility form and two vendor
# forms, H003 a facility form only
export MAMORI_NOW=2025-06-10T10:00
check "forms: campaign" m campaign create --instrument "$D/tiny-facility.yaml" --forms "$D/tiny-form.yaml" \
	--title checklist --opens 2025-06-01 --closes 2025-12-26 --target "kind = 'hospital'"
check "forms: H001 facility" m response submit 2 H001 "$D/facility-2.json"
check "forms: H003 facility" m response submit 2 H003 "$D/facility-2.json"
check "forms: H001 vendor 1" m response report 2 H001 "$D/vendor-a.json"
printf '{"vendor_name":"ベンダーB","patched":"no"}' > "$TMP/vendor-b.json"
check "forms: H001 vendor 2" m response report 2 H001 "$TMP/vendor-b.json"
unset MAMORI_NOW
check_out "forms: json export lists the forms with their numbers" "store-test-form [['H001', 1, 'A'], ['H001', 2, 'ベンダーB']] [0, 0]" sh -c "
	'$MAMORI' response export 2 --format json --db '$DB' | python3 -c '
import json, sys
x = json.load(sys.stdin)
print(x[\"form_instrument\"][\"id\"], [[r[\"organisation\"], r[\"number\"], r[\"answers\"][\"vendor_name\"]] for r in x[\"forms\"]], [r[\"number\"] for r in x[\"responses\"]])'"
check "forms: export xlsx" m export 2 --format xlsx -o "$TMP/f.xlsx" --lang ja
pyf() { python3 -c "exec(open('$TMP/read.py').read())
$1" "$TMP/f.xlsx"; }
check_out "forms: a sheet for the vendor forms" "summary indicators findings items prefectures responses store-test-form" \
	pyf 'print(" ".join(order))'
check "forms: facility forms one row per organisation, no number" pyf '
c = cells("responses")
assert c["A1"] == ("s", "organisation") and c["B1"] == ("s", "name"), (c["A1"], c["B1"])
assert c["A2"] == ("s", "H001") and c["A3"] == ("s", "H003") and "A4" not in c
assert c[col(c, "vendor_count") + "2"] == ("n", 2.0)'
check "forms: one row per vendor form with organisation and number" pyf '
c = cells("store-test-form")
assert [c[x][1] for x in ("A1", "B1", "C1")] == ["organisation", "number", "name"], c
assert c["A2"] == ("s", "H001") and c["B2"] == ("n", 1.0) and c["C2"] == ("s", "東病院")
assert c["A3"] == ("s", "H001") and c["B3"] == ("n", 2.0) and "A4" not in c
v, p = col(c, "vendor_name"), col(c, "patched")
assert c[v + "2"] == ("s", "A") and c[p + "2"] == ("s", "yes")
assert c[v + "3"] == ("s", "ベンダーB") and c[p + "3"] == ("s", "no")'
finish
