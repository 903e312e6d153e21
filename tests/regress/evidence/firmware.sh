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
assert v == {**v, 'fixed_in': '6.0.5', 'no_fix': False, 'kev_date_added': None, 'ransomware': None}, v
" < "$TMP/one.json"

# The reference table gives no KEV dates and no ransomware flags: every
# entry says unknown (null), and fixes that the reference leaves open
# are unknown, not "none".
cat > "$TMP/every.csv" <<'CSV'
maker,model,version
Fortinet,FortiGate 60E,6.0.4
Fortinet,FortiGate 60E,7.0.6
Fortinet,FortiGate 60E,6.0.17
Pulse Secure,PSA3000,9.0R3.3
Ivanti,Connect Secure,22.6R2
Ivanti,Connect Secure,9.0R6
Citrix,NetScaler ADC VPX,13.0-47.23
Citrix,NetScaler ADC VPX,13.1-49.12
Palo Alto Networks,PA-440,11.1.2-h2
SonicWall,SMA 210,10.2.0.5-28sv
SonicWall,TZ470,7.0.1-5035
Cisco,ASA 5506-X,9.8.4.19
CSV
$F check $C --json --file "$TMP/every.csv" > "$TMP/every.json"
check "every catalogue entry: KEV date and ransomware use unknown" jq_ "
seen = {v['cve']: v for dv in d['devices'] for v in dv['vulnerabilities']}
want = {'CVE-2018-13379','CVE-2022-40684','CVE-2022-42475','CVE-2023-27997','CVE-2024-21762',
        'CVE-2019-11510','CVE-2023-46805','CVE-2024-21887','CVE-2019-19781','CVE-2023-3519',
        'CVE-2023-4966','CVE-2024-3400','CVE-2021-20016','CVE-2024-40766','CVE-2020-3452'}
assert set(seen) == want, set(seen) ^ want
for v in seen.values():
    assert v['kev_date_added'] is None and v['ransomware'] is None, v
" < "$TMP/every.json"
check "SonicOS CVE-2024-40766: fixed in later builds, version unknown" jq_ "
v = [v for dv in d['devices'] if dv['version'] == '7.0.1-5035' for v in dv['vulnerabilities']][0]
assert v['fixed_in'] is None and v['no_fix'] is False, v
" < "$TMP/every.json"
check "Ivanti lines without a listed fix: unknown, not none" jq_ "
for ver in ('22.6R2', '9.0R6'):
    for v in [v for dv in d['devices'] if dv['version'] == ver for v in dv['vulnerabilities']]:
        assert v['fixed_in'] is None and v['no_fix'] is False, (ver, v)
" < "$TMP/every.json"
# The records' "<= 22.6R2" is the whole 22.6R2 release: its later builds
# are affected too, and the answer says why; 22.6R3 is past it.
$F check $C --json --vendor Ivanti --product "Connect Secure" --version 22.6R2.1 > "$TMP/iv1.json" || true
$F check $C --json --vendor Ivanti --product "Connect Secure" --version 22.6R3 > "$TMP/iv2.json" || true
check "Ivanti 22.6R2.1: affected through the 22.6R2 release, with the reason" jq_ "
dv = d['devices'][0]
assert dv['status'] == 'affected', dv
assert {v['cve'] for v in dv['vulnerabilities']} == {'CVE-2023-46805', 'CVE-2024-21887'}, dv
assert '22.6R2.x' in dv['reason'], dv
" < "$TMP/iv1.json"
check_grep "Ivanti 22.6R2.1: the text answer gives the reason too" "AFFECTED - .*22.6R2.x" \
	$F check $C --vendor Ivanti --product "Connect Secure" --version 22.6R2.1
check "Ivanti 22.6R3: past the release, not affected" jq_ "
dv = d['devices'][0]
assert dv['status'] == 'not_affected' and dv['reason'] is None, dv
" < "$TMP/iv2.json"
check "FortiOS 6.0 and CVE-2024-21762: no fix on the line" jq_ "
v = [v for dv in d['devices'] if dv['version'] == '6.0.17' for v in dv['vulnerabilities'] if v['cve'] == 'CVE-2024-21762'][0]
assert v['fixed_in'] is None and v['no_fix'] is True, v
" < "$TMP/every.json"
check_grep "text: an unknown fix is not called none" "fixed in ? (not known)" $F check $C --vendor SonicWall --product TZ470 --version 7.0.1-5035

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
$F check --catalog "$TMP/new.yaml" --json --vendor "Palo Alto Networks" --product PA-440 --version 11.2.3 > "$TMP/refreshed.json"
check "refresh: date and ransomware use from KEV" jq_ "
v = [v for v in d['devices'][0]['vulnerabilities'] if v['cve'] == 'CVE-2099-1111'][0]
assert v['kev_date_added'] == '2099-01-01' and v['ransomware'] is True, v
" < "$TMP/refreshed.json"
check_grep "refresh: entries not in the KEV file stay unknown" "kev_date_added: unknown" cat "$TMP/new.yaml"
check_exit 2 "update-catalog: bad JSON" $F update-catalog $C "$TMP/devs.csv"
finish
