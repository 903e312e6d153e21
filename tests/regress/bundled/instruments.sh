#!/bin/sh
# instruments.sh - the bundled instruments against the real binary: every
# instrument loads; every example response in tests/data/bundled validates
# (or fails with exactly the expected codes and item paths); one check per
# skip-logic rule and per important constraint; the FSA scores per area
# and overall equal the numbers computed by hand (see the README.md of
# each data directory).
. "$(dirname "$0")/../lib.sh"
cd "$SRC" || exit 1
DATA=tests/data/bundled
TODAY=2025-12-01

# jrun OUT INSTRUMENT RESPONSE [options]: response check --json into OUT
jrun() {
	out=$1; shift
	"$MAMORI" response check "$@" --json --today "$TODAY" > "$out" 2>"$out.err"
	echo $? > "$out.rc"
}
# pycheck NAME OUT CODE: python assertions over OUT; in CODE, o is the whole
# output, errs/warns the sorted (item, code) pairs, fnd the finding ids in
# order, r the normalised response, sc the scores, ind the indicators, rc
# the exit status.
pycheck() {
	name=$1; file=$2; code=$3
	check "$name" python3 -c "
import json, sys
o = json.load(open(sys.argv[1]))
rc = int(open(sys.argv[1] + '.rc').read())
errs = sorted((e['item'], e['code']) for e in o['errors'])
warns = sorted((e['item'], e['code']) for e in o['warnings'])
fnd = [f['id'] for f in o['findings']]
r = o['response']
sc = o['scores']
ind = o['indicators']
def near(a, b):
    return a is not None and abs(a - b) < 1e-9
$code" "$file"
}

# ---- every bundled instrument loads
for f in $(find instruments/fsa instruments/mic instruments/mhlw -name '*.yaml' | sort); do
	check_exit 0 "instrument check $f" "$MAMORI" instrument check "$f"
done
check_grep "show: checklist sections only with an information system" \
	"→ only if Q0 is 'Yes'" "$MAMORI" instrument show instruments/mhlw/medical-checklist-2025.yaml --lang en
check_grep "show: checklist target date only for No" \
	"→ only if Q2-⑦ is 'No'" "$MAMORI" instrument show instruments/mhlw/medical-checklist-2025.yaml --lang en
check_grep "show: cloud IaaS question only when IaaS is in use" \
	"→ only if Q0 includes 'IaaS" "$MAMORI" instrument show instruments/mic/cloud-settings-user.yaml --lang en
check_grep "show --all: FSA indicators listed" \
	"senior_management_decides" "$MAMORI" instrument show instruments/fsa/cyber-self-assessment.yaml --all --lang en

# ---- FSA cybersecurity self-assessment
FSA=instruments/fsa/cyber-self-assessment.yaml
D=$DATA/cyber-self-assessment
REG='{"kind": "regional_bank"}'
SHK='{"kind": "shinkin"}'
COOP='{"kind": "cooperative"}'

jrun "$TMP/fsa-reg.json" "$FSA" "$D/example.json" --org "$REG"
pycheck "fsa: regional bank example is valid" "$TMP/fsa-reg.json" '
assert rc == 0 and o["valid"] is True and errs == [] and warns == [], (errs, warns)
assert r["id5_tlpt"] == "m0" and "tp4_shared_center" not in r'
pycheck "fsa: regional bank scores per area and overall (by hand)" "$TMP/fsa-reg.json" '
want = {"governance": 8/5, "identify": 8/5, "protect": 9/5, "detect": 3/2,
        "respond": 7/3, "recover": 1.0, "third_party": 1.0}
for k, v in want.items():
    assert near(sc[k], v), (k, sc[k], v)
assert near(sc["overall"], sum(want.values()) / 7), sc["overall"]
assert near(sc["overall"], 32.5 / 21)'
pycheck "fsa: regional bank indicators and findings" "$TMP/fsa-reg.json" '
assert ind["plan_with_top_management"] == {"in_population": True, "met": True}
assert ind["periodic_risk_assessment"] == {"in_population": True, "met": True}
assert ind["senior_management_decides"] == {"in_population": True, "met": False}
assert ind["lacks_new_tech_staff"] == {"in_population": True, "met": True}
assert ind["third_party_gaps"] == {"in_population": True, "met": True}
assert ind["patches_internal"] == {"in_population": True, "met": False}
assert ind["tlpt_done"] == {"in_population": True, "met": False}
assert fnd == ["patch_internal_gap"], fnd'

jrun "$TMP/fsa-shk.json" "$FSA" "$D/shinkin.json" --org "$SHK"
pycheck "fsa: shinkin example is valid, TP-4 asked, ID-5 not" "$TMP/fsa-shk.json" '
assert rc == 0 and o["valid"] is True and errs == [] and warns == [], (errs, warns)
assert r["tp4_shared_center"] == "m2" and "id5_tlpt" not in r'
pycheck "fsa: shinkin scores; not_applicable does not count" "$TMP/fsa-shk.json" '
want = {"governance": 3/5, "identify": 4/4, "protect": 5/4, "detect": 1/2,
        "respond": 3/3, "recover": 1/3, "third_party": 2/4}
for k, v in want.items():
    assert near(sc[k], v), (k, sc[k], v)
assert near(sc["overall"], sum(want.values()) / 7), sc["overall"]
assert ind["patches_internet_facing"] == {"in_population": False, "met": False}
assert ind["tlpt_done"]["in_population"] is False'
pycheck "fsa: shinkin findings, worst first" "$TMP/fsa-shk.json" '
assert fnd[0] == "backups_exposed", fnd
assert set(fnd) == {"backups_exposed", "no_management_plan", "no_periodic_risk_assessment",
    "third_party_not_listed", "policy_not_by_management", "no_new_tech_staff", "no_exercises"}, fnd'

jrun "$TMP/fsa-coop.json" "$FSA" "$D/cooperative.json" --org "$COOP"
pycheck "fsa: credit cooperative example: valid, every area 3" "$TMP/fsa-coop.json" '
assert rc == 0 and o["valid"] is True and errs == [] and warns == []
assert all(near(v, 3.0) for v in sc.values()) and len(sc) == 8, sc
assert "id5_tlpt" not in r and r["tp4_shared_center"] == "m3" and fnd == []'

jrun "$TMP/fsa-skip.json" "$FSA" "$D/shinkin-answers-tlpt.json" --org "$SHK"
pycheck "fsa skip: ID-5 answered by a shinkin bank is dropped" "$TMP/fsa-skip.json" '
assert rc == 0 and errs == [] and warns == [("id5_tlpt", "not_relevant")], warns
assert "id5_tlpt" not in r'
jrun "$TMP/fsa-req.json" "$FSA" "$D/regional-missing-tlpt.json" --org "$REG"
pycheck "fsa skip: ID-5 required of a regional bank" "$TMP/fsa-req.json" '
assert rc == 1 and errs == [("id5_tlpt", "required")], errs'
jrun "$TMP/fsa-nokind.json" "$FSA" "$D/example.json"
pycheck "fsa skip: kind unknown, neither ID-5 nor TP-4 applies" "$TMP/fsa-nokind.json" '
assert rc == 0 and warns == [("id5_tlpt", "not_relevant")], warns
assert "id5_tlpt" not in r and "tp4_shared_center" not in r'
jrun "$TMP/fsa-bad.json" "$FSA" "$D/bad-values.json" --org "$REG"
pycheck "fsa: future assessment date and unknown choice" "$TMP/fsa-bad.json" '
assert rc == 1 and errs == [("assessment_date", "constraint"), ("gv2_policy_decider", "not_in_list")], errs'

# ---- MHLW medical checklist, facility form
CL=instruments/mhlw/medical-checklist-2025.yaml
D=$DATA/medical-checklist-2025
jrun "$TMP/cl.json" "$CL" "$D/example.json"
pycheck "checklist: example is valid" "$TMP/cl.json" '
assert rc == 0 and o["valid"] is True and errs == [] and warns == [], (errs, warns)
assert r["open_items"] == 5, r["open_items"]
assert ind["all_items_met"] == {"in_population": True, "met": False}
assert ind["has_information_system"]["met"] is True'
pycheck "checklist skip: target date only for No" "$TMP/cl.json" '
assert "k1_01_target" not in r and "k2_04_target" not in r
assert r["k2_07_target"] == "2026-01-31"'
pycheck "checklist: target on the last day of the fiscal year is accepted" "$TMP/cl.json" '
assert r["k1_02_checked"] == "2025-10-15" and r["k1_02_target"] == "2026-03-31"'
pycheck "checklist: two-factor target may run to FY2027" "$TMP/cl.json" '
assert r["k2_12_target"] == "2027-12-31"'
pycheck "checklist: findings of the example" "$TMP/cl.json" '
assert fnd == ["weak_passwords", "no_two_factor", "external_media_open", "no_cyber_bcp"], fnd'

jrun "$TMP/cl-gate.json" "$CL" "$D/gate-no.json"
pycheck "checklist skip: no information system, nothing else applies" "$TMP/cl-gate.json" '
assert rc == 0 and errs == [] and warns == []
assert r == {"has_mis": "no"}, r
assert ind["all_items_met"]["in_population"] is False and fnd == []'
jrun "$TMP/cl-gate2.json" "$CL" "$D/gate-no-with-answers.json"
pycheck "checklist skip: answers after gate No are dropped" "$TMP/cl-gate2.json" '
assert rc == 0 and errs == []
assert warns == sorted([("k1_01_answer", "not_relevant"), ("k1_01_checked", "not_relevant"),
    ("k2_04_answer", "not_relevant"), ("k2_04_checked", "not_relevant"),
    ("k2_04_target", "not_relevant")]), warns
assert r == {"has_mis": "no"}, r'
jrun "$TMP/cl-fy.json" "$CL" "$D/target-outside-fy.json"
pycheck "checklist constraint: target after the fiscal year, or before the check" "$TMP/cl-fy.json" '
assert rc == 1 and errs == [("k2_07_target", "constraint"), ("k3_03_target", "constraint")], errs'
jrun "$TMP/cl-miss.json" "$CL" "$D/target-missing.json"
pycheck "checklist: No without a target date" "$TMP/cl-miss.json" '
assert rc == 1 and errs == [("k2_04_target", "required")], errs'
jrun "$TMP/cl-2fa.json" "$CL" "$D/twofactor-after-fy2027.json"
pycheck "checklist constraint: two-factor target after FY2027" "$TMP/cl-2fa.json" '
assert rc == 1 and errs == [("k2_12_target", "constraint")], errs'
jrun "$TMP/cl-fut.json" "$CL" "$D/checked-in-future.json"
pycheck "checklist constraint: date checked in the future" "$TMP/cl-fut.json" '
assert rc == 1 and errs == [("k1_01_checked", "constraint")], errs'
check_exit 0 "checklist: the same date checked is valid a day later" \
	"$MAMORI" response check "$CL" "$D/checked-in-future.json" --today 2025-12-02

# ---- MHLW medical checklist, vendor form
VF=instruments/mhlw/medical-checklist-2025-vendor.yaml
D=$DATA/medical-checklist-2025-vendor
jrun "$TMP/vf.json" "$VF" "$D/example.json"
pycheck "vendor form: example is valid" "$TMP/vf.json" '
assert rc == 0 and errs == [] and warns == [], (errs, warns)
assert r["open_items"] == 3 and r["system_kinds"] == ["ehr", "receipt", "network"]
assert fnd == ["vendor_sources_unrestricted"], fnd'
jrun "$TMP/vf-nonet.json" "$VF" "$D/no-network-devices.json"
pycheck "vendor form skip: 2-⑬ only for vendors managing network devices" "$TMP/vf-nonet.json" '
assert rc == 0 and errs == [] and warns == [], (errs, warns)
assert not any(k.startswith("v2_13") for k in r), sorted(r)
assert r["open_items"] == 2 and r["system_kinds"] == ["ehr", "receipt"]
assert ind["vendor_sources_restricted"]["in_population"] is False'
jrun "$TMP/vf-skip.json" "$VF" "$D/network-answers-skipped.json"
pycheck "vendor form skip: 2-⑬ answers dropped when no network devices" "$TMP/vf-skip.json" '
assert rc == 0 and errs == []
assert warns == [("v2_13_answer", "not_relevant"), ("v2_13_checked", "not_relevant"), ("v2_13_target", "not_relevant")], warns'
jrun "$TMP/vf-fy.json" "$VF" "$D/target-outside-fy.json"
pycheck "vendor form constraint: target after the fiscal year" "$TMP/vf-fy.json" '
assert rc == 1 and errs == [("v2_07_target", "constraint")], errs'

# ---- MIC cloud settings, users
CU=instruments/mic/cloud-settings-user.yaml
D=$DATA/cloud-settings-user
jrun "$TMP/cu.json" "$CU" "$D/example.json"
pycheck "cloud user: example with all three models is valid" "$TMP/cu.json" '
assert rc == 0 and errs == [] and warns == [], (errs, warns)
assert all(k in r for k in ("c4_iaas_network", "c5_iaas_patching", "c6_storage_public",
    "c7_paas_secrets", "c8_saas_sharing", "c9_saas_admin_mfa"))
assert fnd == ["storage_exposed"], fnd'
jrun "$TMP/cu-saas.json" "$CU" "$D/saas-only.json"
pycheck "cloud user skip: SaaS only, no IaaS/PaaS questions" "$TMP/cu-saas.json" '
assert rc == 0 and errs == [] and warns == [], (errs, warns)
assert r["q0_models"] == ["saas"]
assert not any(k in r for k in ("c4_iaas_network", "c5_iaas_patching", "c6_storage_public", "c7_paas_secrets"))
assert ind["storage_protected"]["in_population"] is False
assert fnd == ["saas_admin_weak", "no_periodic_check"], fnd'
jrun "$TMP/cu-iaas.json" "$CU" "$D/iaas-only-answers-others.json"
pycheck "cloud user skip: IaaS only drops PaaS and SaaS answers" "$TMP/cu-iaas.json" '
assert rc == 0 and errs == []
assert warns == [("c7_paas_secrets", "not_relevant"), ("c8_saas_sharing", "not_relevant"), ("c9_saas_admin_mfa", "not_relevant")], warns
assert "c6_storage_public" in r'
jrun "$TMP/cu-paas.json" "$CU" "$D/paas-missing.json"
pycheck "cloud user: PaaS questions required when PaaS is in use" "$TMP/cu-paas.json" '
assert rc == 1 and errs == [("c6_storage_public", "required"), ("c7_paas_secrets", "required")], errs'
jrun "$TMP/cu-bad.json" "$CU" "$D/bad-models.json"
pycheck "cloud user: a model selected twice, an unknown frequency" "$TMP/cu-bad.json" '
assert rc == 1 and errs == [("c2_periodic_check", "not_in_list"), ("q0_models", "not_in_list")], errs'

# ---- MIC cloud settings, providers
CP=instruments/mic/cloud-settings-provider.yaml
D=$DATA/cloud-settings-provider
jrun "$TMP/cp.json" "$CP" "$D/example.json"
pycheck "cloud provider: SaaS on another cloud is valid" "$TMP/cp.json" '
assert rc == 0 and errs == [] and warns == [], (errs, warns)
assert "c3_saas_sharing_default" in r and "c4_own_settings" in r and "d3_templates" not in r
assert fnd == ["own_platform_unchecked"], fnd'
jrun "$TMP/cp-own.json" "$CP" "$D/iaas-own-platform.json"
pycheck "cloud provider skip: IaaS/PaaS on own platform" "$TMP/cp-own.json" '
assert rc == 0 and errs == [] and warns == [], (errs, warns)
assert "c3_saas_sharing_default" not in r and "c4_own_settings" not in r and r["d3_templates"] == "done"
assert ind["checks_own_platform"]["in_population"] is False
assert fnd == ["unsafe_defaults", "no_settings_tool"], fnd'
jrun "$TMP/cp-miss.json" "$CP" "$D/own-settings-missing.json"
pycheck "cloud provider: C-4 required when built on another cloud" "$TMP/cp-miss.json" '
assert rc == 1 and errs == [("c4_own_settings", "required")], errs'

# ---- FSA cashless payment authentication
CA=instruments/fsa/cashless-authentication.yaml
D=$DATA/cashless-authentication
jrun "$TMP/ca.json" "$CA" "$D/example.json"
pycheck "cashless: example is valid, scores by hand" "$TMP/ca.json" '
assert rc == 0 and errs == [] and warns == [], (errs, warns)
want = {"linking": 2.0, "authentication": 1.5, "monitoring": 1.5, "limits_notice": 2.5,
        "compensation_group": 2.0, "design": 1.0}
for k, v in want.items():
    assert near(sc[k], v), (k, sc[k])
assert near(sc["overall"], 1.75) and fnd == []'
jrun "$TMP/ca-no.json" "$CA" "$D/not-linked.json"
pycheck "cashless skip: no linked services, nothing else applies" "$TMP/ca-no.json" '
assert rc == 0 and errs == [] and warns == []
assert r == {"q0_linked": "no"}, r
assert sc["overall"] is None and ind["robust_linking"]["in_population"] is False'
jrun "$TMP/ca-no2.json" "$CA" "$D/not-linked-with-answers.json"
pycheck "cashless skip: answers without linked services are dropped" "$TMP/ca-no2.json" '
assert rc == 0 and warns == [("l1_auth", "not_relevant"), ("q0_services", "not_relevant")], warns
assert fnd == []'
jrun "$TMP/ca-pin.json" "$CA" "$D/pin-only.json"
pycheck "cashless: PIN-only linking is the worst finding" "$TMP/ca-pin.json" '
assert rc == 0 and fnd[0] == "pin_only_linking"
assert set(fnd) == {"pin_only_linking", "no_fraud_monitoring", "no_customer_notice", "no_compensation_policy"}, fnd'
jrun "$TMP/ca-bad.json" "$CA" "$D/bad-count.json"
pycheck "cashless constraint: at least one linked service" "$TMP/ca-bad.json" '
assert rc == 1 and errs == [("q0_services", "constraint")], errs'

# ---- MHLW incident report
IR=instruments/mhlw/incident-report.yaml
D=$DATA/incident-report
jrun "$TMP/ir.json" "$IR" "$D/example.json"
pycheck "incident: example is valid" "$TMP/ir.json" '
assert rc == 0 and errs == [] and warns == [], (errs, warns)
assert r["ransom_demand"] == "yes" and r["ppc_report_date"] == "2025-11-30"
assert r["incident_types"] == ["ransomware", "unauthorized_access"] and fnd == []'
jrun "$TMP/ir-fut.json" "$IR" "$D/detected-in-future.json"
pycheck "incident constraint: detection date in the future" "$TMP/ir-fut.json" '
assert rc == 1 and errs == [("detected_date", "constraint"), ("ppc_report_date", "constraint")], errs'
check_exit 0 "incident: the same dates are valid once they are past" \
	"$MAMORI" response check "$IR" "$D/detected-in-future.json" --today 2025-12-03
jrun "$TMP/ir-ppc.json" "$IR" "$D/ppc-not-reported.json"
pycheck "incident: possible leak not told to the Commission is critical" "$TMP/ir-ppc.json" '
assert rc == 0 and errs == []
assert o["findings"][0] == {"id": "ppc_not_reported", "severity": "critical"}, o["findings"]
assert ind["ppc_told"] == {"in_population": True, "met": False}'
jrun "$TMP/ir-plan.json" "$IR" "$D/ppc-plan-missing.json"
pycheck "incident: not reported needs the reason and a date" "$TMP/ir-plan.json" '
assert rc == 1 and errs == [("ppc_plan", "required")], errs'
jrun "$TMP/ir-noleak.json" "$IR" "$D/no-leak.json"
pycheck "incident skip: no leak, no care impact, no ransomware" "$TMP/ir-noleak.json" '
assert rc == 0 and errs == [] and warns == [], (errs, warns)
for k in ("people_affected", "ppc_reported", "ppc_report_date", "ppc_plan",
          "care_impact_detail", "paper_operation", "ransom_demand"):
    assert k not in r, k
assert r["recovered_date"] == "2025-10-06"
assert ind["ppc_told"]["in_population"] is False and fnd == ["police_not_informed"], fnd'
jrun "$TMP/ir-bad.json" "$IR" "$D/bad-dates.json"
pycheck "incident constraints: time, start after detection, recovery before it, exclusive choice" "$TMP/ir-bad.json" '
assert rc == 1 and errs == [("data_affected", "constraint"), ("detected_time", "constraint"),
    ("occurred_date", "constraint"), ("recovered_date", "constraint")], errs'

# ---- MHLW hospital survey, 2023 round (same instrument id as 2022)
H23=instruments/mhlw/hospital-backup-vpn-2023.yaml
D=$DATA/hospital-backup-vpn-2023
check_grep "hospital 2023: same id as 2022, version 2023.1" \
	"ok: mhlw-hospital-backup-vpn 2023.1" "$MAMORI" instrument check "$H23"
jrun "$TMP/h23.json" "$H23" "$D/example.json"
pycheck "hospital 2023: example is valid, its findings in order" "$TMP/h23.json" '
assert rc == 0 and errs == [] and warns == [], (errs, warns)
assert fnd == ["backups_online_only", "logs_not_reviewed", "no_cyber_bcp"], fnd
assert ind["offline_backup"] == {"in_population": True, "met": False}
assert ind["connection_points_managed"] == {"in_population": True, "met": True}
assert ind["cyber_bcp"]["met"] is False and ind["log_review"]["met"] is False'
jrun "$TMP/h23-old.json" "$H23" "$D/no-ehr-2022-answers.json"
pycheck "hospital 2023: the 2022 ids of changed items are unknown; Q14-Q16 asked of all" "$TMP/h23-old.json" '
assert rc == 1 and errs == [("q14_vpn_log_review", "unknown_item"), ("q8_isolated_storage", "unknown_item")], errs
assert warns == [("q6_backup", "not_relevant")], warns
assert ind["connection_points_managed"]["in_population"] is True and ind["makes_backups"]["in_population"] is False'

# ---- METI IoT-SSF self-assessment (the campaign form of an IoT-SSF assessment)
IOT=instruments/meti/iot-ssf-self-assessment.yaml
D=tests/data/bundled/iot-ssf-self-assessment
check_exit 0 "iot-ssf self-assessment: instrument check" "$MAMORI" instrument check "$IOT"
jrun "$TMP/iot-ex.json" "$IOT" "$D/example.json"
pycheck "iot-ssf self-assessment: the AGV report is valid, its findings fire" "$TMP/iot-ex.json" '
assert rc == 0 and errs == [], errs
assert fnd == ["above_target_remains", "required_missing"], fnd
assert ind["within_target"] == {"in_population": True, "met": False}
assert ind["decisions_for_all"] == {"in_population": True, "met": True}'
jrun "$TMP/iot-bad.json" "$IOT" "$D/bad.json"
pycheck "iot-ssf self-assessment: hash, counts, dates and the decision checked" "$TMP/iot-bad.json" '
assert rc == 1 and errs == [("above_target_after", "constraint"), ("decisions_recorded", "required"),
    ("model_sha256", "constraint"), ("next_review", "constraint")], errs'

finish
