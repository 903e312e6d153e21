#!/bin/sh
# firmware.sh - "mamori firmware check" and "update-catalog".
. "$(dirname "$0")/../lib.sh"
F="$MAMORI firmware"
C="--catalog $SRC/data/vpn-kev.yaml"
jq_() { python3 -c "import json,sys; d=json.load(sys.stdin); $1"; }

check_exit 1 "FortiOS 6.0.4 is affected" $F check $C --vendor Fortinet --product "FortiGate 60E" --version 6.0.4
check_exit 0 "FortiOS 7.4.3 is not affected" $F check $C --vendor Fortinet --product "FortiGate 60E" --version 7.4.3
check_exit 1 "unreadable version: cannot tell" $F check $C --vendor Fortinet --product "FortiGate 60E" --version latest
check_grep "unknown product: cannot tell" "cannot tell" $F check $C --vendor Yamaha --product RTX1210 --version 14.01.42
check_exit 2 "no device: usage" $F check $C
check_exit 2 "bad catalogue path" $F check --catalog /nonexistent.yaml --vendor a --product b --version 1
printf 'schema: mamori.vpn-kev/1\nproducts: []\nvulnerabilities:\n  - {cve: X, product: nope}\n' > "$TMP/bad.yaml"
check_grep "catalogue errors are located" "bad.yaml:4:" $F check --catalog "$TMP/bad.yaml" --vendor a --product b --version 1

$F check $C --json --vendor Fortinet --product "FortiGate 60E" --version 6.0.4 > "$TMP/one.json"
check "json shape" jq_ "
dv = d['devices'][0]
assert set(dv) >= {'vendor','product','version','status','vulnerabilities'}
assert dv['status'] == 'affected'
v = [x for x in dv['vulnerabilities'] if x['cve'] == 'CVE-2018-13379'][0]
assert v == {**v, 'fixed_in': '6.0.5', 'kev_date_added': '2021-11-03', 'ransomware': True}, v
" < "$TMP/one.json"

cat > "$TMP/devs.csv" <<'CSV'
maker,model,version,count
Fortinet,FortiGate 60E,6.0.4,1
"Palo Alto Networks","PA-440",11.1.2-h3,2
Citrix,NetScaler ADC VPX,13.1-49.12,1
Yamaha,RTX1210,14.01.42,1
CSV
$F check $C --json --file "$TMP/devs.csv" > "$TMP/devs.json"
check "csv: statuses per device" jq_ "
assert [x['status'] for x in d['devices']] == ['affected','not_affected','affected','unknown'], d
" < "$TMP/devs.json"
cat > "$TMP/resp.json" <<'JSON'
{"q10_vpn": "yes", "q11_vpn_devices": [
 {"maker": "Fortinet", "model": "FortiGate 60E", "units": 1, "firmware": "6.0.4"},
 {"maker": "SonicWall", "model": "TZ470", "units": 2, "firmware": "7.0.1-5035"}]}
JSON
$F check $C --json --file "$TMP/resp.json" > "$TMP/resp.out"
check "response json: q11_vpn_devices rows" jq_ "
assert [(x['vendor'], x['status'], x['count']) for x in d['devices']] == [('Fortinet','affected',1),('SonicWall','affected',2)], d
" < "$TMP/resp.out"

cat > "$TMP/kev.json" <<'JSON'
{"title": "CISA Catalog of Known Exploited Vulnerabilities", "catalogVersion": "2099.01.01",
 "dateReleased": "2099-01-01T00:00:00.000Z", "count": 1, "vulnerabilities": [
 {"cveID": "CVE-2099-1111", "vendorProject": "Palo Alto Networks", "product": "PAN-OS",
  "vulnerabilityName": "PAN-OS test flaw", "dateAdded": "2099-01-01",
  "shortDescription": "x", "requiredAction": "x", "dueDate": "2099-01-21",
  "knownRansomwareCampaignUse": "Known", "notes": "", "cwes": []}]}
JSON
cat > "$TMP/cve.json" <<'JSON'
{"dataType": "CVE_RECORD", "dataVersion": "5.1", "cveMetadata": {"cveId": "CVE-2099-1111"},
 "containers": {"cna": {"affected": [{"vendor": "Palo Alto Networks", "product": "PAN-OS",
  "defaultStatus": "unaffected", "versions": [
   {"version": "11.2.0", "lessThan": "11.2.3-h1", "status": "affected", "versionType": "custom"}]}]}}}
JSON
check "update-catalog writes a catalogue" $F update-catalog $C -o "$TMP/new.yaml" "$TMP/kev.json" "$TMP/cve.json"
check_exit 1 "the new catalogue is used" $F check --catalog "$TMP/new.yaml" --vendor "Palo Alto Networks" --product PA-440 --version 11.2.3
check_exit 0 "fixed build after refresh" $F check --catalog "$TMP/new.yaml" --vendor "Palo Alto Networks" --product PA-440 --version 11.2.3-h1
check_exit 2 "update-catalog: bad JSON" $F update-catalog $C "$TMP/devs.csv"
finish
