"""Matching an identity to advisories (camscan/risk/match.py), over the shipped advisories.yaml."""

from __future__ import annotations

from typing import Any

import pytest

from camscan.identify.knowledge import load_knowledge
from camscan.lab.profiles import load_all
from camscan.risk.match import Subject, match, normalise_model

KB = load_knowledge()
ADV = KB.advisories


def statuses(subject: Subject) -> dict[str, str]:
    return {m.id: m.status for m in match(ADV, subject)}


def subject_of_truth(truth: dict[str, Any]) -> Subject:
    build = truth.get("firmware_build")
    parts = KB.firmware.parse(truth["firmware"]) if truth.get("firmware") else None
    return Subject(
        manufacturer=truth.get("manufacturer"),
        brand=truth.get("brand"),
        model=truth.get("model"),
        device_type=truth.get("device_type"),
        firmware=parts.version if parts else None,
        firmware_build=(build or (parts.build if parts else None)),
        firmware_date=parts.build_date if parts else None,
    )


#: What each lab device's maker, model and firmware call for (the issue's "done when").
LAB_EXPECTED: dict[str, dict[str, str]] = {
    # DS-2CD2385G1-I on V5.6.2 build 190701: built before the CVE-2021-36260 fix; not a CVE-2017-7921 series.
    "hikvision-camera": {"CVE-2021-36260": "affected"},
    # An NVR model no Hikvision advisory here lists.
    "hikvision-nvr": {},
    # Rebadged Hikvision: inherits; firmware after every listed 7921 range, 36260's range is uncertain.
    "rebadged-hikvision-camera": {"CVE-2021-36260": "possibly_affected", "CVE-2017-7921": "not_affected"},
    # IPC-HDW1431T1 is the HX1 series: not named by CVE-2021-33044/33045.
    "dahua-camera": {},
    # XVR5 recorder (CVE-2021-33045 names XVR4/5/7 before December 2019): no build date reported, so possibly.
    "dahua-xvr": {"CVE-2021-33045": "possibly_affected"},
    # A hybrid DVR model no Hikvision advisory here lists.
    "hikvision-dvr-hybrid": {},
    # Rebadged Dahua (Lorex): inherits, model not in Dahua's lists, no build date: possibly.
    "rebadged-dahua-lorex": {"CVE-2021-33044": "possibly_affected", "CVE-2021-33045": "possibly_affected"},
    # M1065-LW on 9.10.1: after the 8.20.1 fix (10662's range is uncertain here).
    "axis-camera": {
        "CVE-2018-10660": "not_affected",
        "CVE-2018-10661": "not_affected",
        "CVE-2018-10662": "possibly_affected",
    },
    # uc-httpd advisories publish no range.
    "xiongmai-camera": {"CVE-2017-7577": "possibly_affected", "CVE-2018-10088": "possibly_affected"},
    # D-Link DCS-935L is not a KEV model.
    "dlink-dcs-camera": {},
    "hanwha-camera": {},
    "uniview-camera": {},
    # Uniview NVR301 (ONVIF recorder, issue 14): no advisory here names it.
    "onvif-nvr": {},
    # UniFi OS console (UNVR, issue 14): no advisory here names Ubiquiti.
    "unifi-console": {},
    "generic-onvif-camera": {},
    # Non-cameras get none.
    "onvif-decoder": {},
    "nas": {},
    "printer": {},
    "router": {},
    "linux-web-server": {},
    "windows-host": {},
    "vlc-rtsp-server": {},
}


@pytest.mark.parametrize(
    "profile", [p for p in load_all() if not p.name.startswith("hostile")], ids=lambda p: p.name
)
def test_lab_devices_get_what_their_maker_model_and_firmware_call_for(profile):
    assert profile.name in LAB_EXPECTED, f"add {profile.name} to LAB_EXPECTED"
    assert statuses(subject_of_truth(profile.truth)) == LAB_EXPECTED[profile.name]


def test_cameras_behind_lab_recorders():
    # Channel cameras a recorder lists (issue 14) are devices like any other: a Hikvision DS-2CD camera whose
    # firmware comes without a build date is possibly affected by CVE-2021-36260 (a build-date range).
    behind = {
        p.name: p.truth.get("behind") or {}
        for p in load_all()
        if p.name in ("dahua-xvr", "hikvision-dvr-hybrid")
    }
    cam = behind["dahua-xvr"]["10"]
    got = statuses(subject_of_truth({**cam, "brand": cam["manufacturer"], "device_type": "camera"}))
    assert got == {"CVE-2021-36260": "possibly_affected"}
    cam = behind["dahua-xvr"]["9"]
    assert statuses(subject_of_truth({**cam, "brand": cam["manufacturer"], "device_type": "camera"})) == {}


def test_rebadged_unit_inherits_at_lower_confidence_and_says_so():
    found = match(ADV, Subject("Hikvision", "Northwind", "NW-4MP-TB", "camera", "V5.7.3", "220112"))
    assert found and all(m.inherited for m in found)
    assert all(m.confidence == "low" for m in found)
    assert all("made by Hikvision, sold as Northwind" in m.reason for m in found)


def test_rebadged_unit_with_a_listed_model_is_judged_on_its_firmware():
    found = {
        m.id: m
        for m in match(ADV, Subject("Hikvision", "Annke", "DS-2CD2032F-I", "camera", "V5.3.0", "150327"))
    }
    assert found["CVE-2017-7921"].status == "affected" and found["CVE-2017-7921"].inherited
    assert found["CVE-2017-7921"].confidence == "medium"


def test_same_maker_and_brand_is_not_inherited():
    found = match(ADV, Subject("Hikvision", "Hikvision", "DS-2CD2032F-I", "camera", "V5.3.0", "150327"))
    assert found and not any(m.inherited for m in found)


def test_unknown_firmware_is_possibly_affected_never_not_affected():
    for model in ("DS-2CD2032F-I", "M1065-LW", "PT30X-SDI", "IP2M-841"):
        vendor = {"DS": "Hikvision", "M1": "Axis", "PT": "PTZOptics", "IP": "Amcrest"}[model[:2]]
        found = match(ADV, Subject(vendor, vendor, model, "camera", None))
        assert found, model
        assert {m.status for m in found} == {"possibly_affected"}, model


def test_unknown_model_of_a_camera_maker_is_possibly_affected():
    found = match(ADV, Subject("Hikvision", None, None, "camera", None))
    assert {m.id for m in found} == {"CVE-2017-7921", "CVE-2021-36260"}
    assert {m.status for m in found} == {"possibly_affected"}


def test_non_cameras_of_a_camera_maker_get_none_unless_targeted():
    assert match(ADV, Subject("Hikvision", None, None, "router", None)) == []
    assert match(ADV, Subject("QNAP", "QNAP", "TS-453D", "nas", "5.1.0")) == []
    assert statuses(Subject("QNAP", "QNAP", "VS-2108L", "nvr", "4.1.3")) == {"CVE-2023-47565": "affected"}


def test_end_of_life_is_no_fix_and_says_replace():
    (m,) = match(ADV, Subject("Edimax", "Edimax", "IC-7100", "camera", "1.03"))
    assert m.status == "no_fix" and m.action.startswith("replace")
    assert m.kev and m.kev_date_added == "2025-03-19"


def test_affected_says_what_to_upgrade_to():
    (m,) = match(ADV, Subject("D-Link", "D-Link", "DCS-930L", "camera", "2.04"))
    assert m.status == "affected" and m.fixed_in == "2.12"
    assert m.action.startswith("upgrade to 2.12 or later") and "end of life" in m.action


def test_brand_advisory_applies_directly_to_an_oem_unit():
    # An Amcrest camera made by Dahua: Amcrest's own advisory applies directly; Dahua's (none listed for this
    # model) would be inherited.
    found = {
        m.id: m
        for m in match(ADV, Subject("Dahua", "Amcrest", "IP2M-841", "camera", "V2.420.AC00.17.R.20190815"))
    }
    assert found["CVE-2020-5735"].status == "affected" and not found["CVE-2020-5735"].inherited
    assert found["CVE-2020-5735"].fixed_in == "V2.420.AC00.18.R.20200217"


def test_kev_and_affected_come_first():
    found = match(ADV, Subject("Axis", "Axis", "M1065-LW", "camera", "8.10.1"))
    assert [m.status for m in found][:2] == ["affected", "affected"]
    assert found[-1].id == "CVE-2018-10662"


def test_model_normalisation():
    assert normalise_model("AXIS M1065-LW", ["Axis"]) == "M1065-LW"
    assert normalise_model("xm530_50x50-wg_8m") == "XM530 50X50-WG 8M"
    assert normalise_model("Axis", ["Axis"]) == "AXIS"


def test_to_dict_has_the_contract_keys():
    (m, *_) = match(ADV, Subject("Edimax", "Edimax", "IC-7100", "camera", "1.03"))
    d = m.to_dict()
    for key in ("id", "status", "kev", "reason", "fixed_in"):
        assert key in d


def test_identify_output_carries_advisories(engine):
    from camscan.model import Observation

    ident = engine.identify(
        [
            Observation(
                "onvif_device_info",
                {
                    "manufacturer": "HIKVISION",
                    "model": "DS-2CD2032F-I",
                    "firmware_version": "V5.3.0 build 150327",
                },
            ),
        ]
    )
    data = ident.to_dict()
    ids = {a["id"]: a["status"] for a in data["advisories"]}
    assert ids.get("CVE-2017-7921") == "affected", data["advisories"]


def test_identity_of_a_non_camera_has_no_advisories(engine):
    from camscan.model import Observation

    ident = engine.identify([Observation("snmp_sysdescr", "HP ETHERNET MULTI-ENVIRONMENT")])
    assert ident.to_dict()["advisories"] == []
