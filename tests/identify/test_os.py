"""The `os` identity field: what a device runs, chosen by the one engine, never its maker or its type."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from camscan.errors import DataError
from camscan.identify.corpus import load_corpus
from camscan.identify.engine import Engine
from camscan.identify.signatures import SignatureSet, compile_signature
from camscan.model import Identity, Observation

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "real"
#: What each generic client string says a device runs (values from os.yaml's sources; see its examples).
GENERIC = [
    ("dhcp_vendor_class", "android-dhcp-13", "Android", "13"),
    ("dhcp_vendor_class", "dhcpcd-9.4.1:Linux-5.10.103-v8+:aarch64:Generic", "Linux", "5.10.103"),
    ("dhcp_vendor_class", "udhcp 1.36.1", "BusyBox Linux", None),
    ("dhcp_vendor_class", "MSFT 5.0", "Windows", None),
    ("dhcp_vendor_class", "AAPLBSDPC/arm64/Mac14,2", "macOS", None),
    ("ssh_banner", "SSH-2.0-OpenSSH_8.4p1 Debian-5+deb11u1", "Debian Linux", None),
    ("ssh_banner", "SSH-2.0-OpenSSH_for_Windows_8.1", "Windows", None),
    ("http_server", "Microsoft-IIS/10.0", "Windows", None),
]  # invented values in the documented shapes


HIKVISION_INFO = {
    "manufacturer": "HIKVISION",
    "model": "DS-2CD2032-I",
    "firmware_version": "V5.4.5 build 170124",
    "serial_number": "DS-2CD2032-I20160101AAWR000000000",
    "hardware_id": "88",
}  # invented, in the shape of GetDeviceInformation


def _obs(kind: str, value: object) -> Observation:
    return Observation(kind, value, host="127.9.0.1")


@pytest.mark.parametrize(("kind", "value", "name", "version"), GENERIC)
def test_a_generic_client_names_what_the_device_runs_and_nothing_else(engine, kind, value, name, version):
    ident = engine.identify([_obs(kind, value)])
    assert (ident.os, ident.os_version) == (name, version)
    assert ident.field_confidence["os"] > 0
    stated = [e for e in ident.evidence if "os" in e.asserts]
    assert stated  # an evidence line says why
    assert all(set(e.asserts) <= {"os", "os_version"} for e in stated)  # and says nothing else
    assert ident.manufacturer is None and ident.brand is None and ident.model is None
    # other signatures may type the device from the same string (MSFT 5.0: a computer; IIS: a server), never the OS
    assert not ident.is_camera
    assert ident.to_dict()["os"] == name and ident.to_dict()["os_version"] == version


def test_a_camera_running_busybox_stays_the_camera_it_is(engine):
    camera = [
        _obs("http_server", "App-webs/"),
        _obs("onvif_device_info", HIKVISION_INFO),
    ]
    without = engine.identify(camera)
    with_os = engine.identify(
        [
            *camera,
            _obs("dhcp_vendor_class", "udhcp 1.19.4"),
            _obs("snmp_sysdescr", "Linux cam 3.10.0 #1 armv7l"),
        ]
    )
    assert with_os.os == "BusyBox Linux"
    for name in (
        "manufacturer",
        "brand",
        "model",
        "firmware",
        "device_type",
        "serial",
        "concerns",
        "confidence",
    ):
        assert getattr(with_os, name) == getattr(without, name), name
    assert with_os.is_camera


def test_os_knowledge_never_changes_any_other_field_of_real_cases(engine):
    """Every dev case of the real-device corpus, with OS statements added, is identified as the same engine
    without the OS signatures identifies it: the OS changes nothing but `os` and `os_version`."""
    kb = engine.knowledge
    without_os = Engine(
        replace(kb, signatures=SignatureSet([s for s in kb.signatures if s.file != "os.yaml"], kb.vendors))
    )
    assert len(without_os.signatures) < len(engine.signatures)
    cases = [c for c in load_corpus(CORPUS) if c.split == "dev"]
    assert len(cases) > 100
    extra = [_obs(kind, value) for kind, value, _name, _version in GENERIC]
    fields = ("manufacturer", "brand", "model", "firmware", "serial", "device_type", "is_camera", "concerns")
    for case in cases:
        observations = [*case.observations, *extra]
        after, before = engine.identify(observations), without_os.identify(observations)
        assert {f: getattr(after, f) for f in fields} == {f: getattr(before, f) for f in fields}, case.id
        assert round(after.confidence, 6) == round(before.confidence, 6), case.id
        assert after.os is not None and before.os is None


def test_a_specific_name_refines_the_general_one_without_a_conflict(engine):
    ident = engine.identify(
        [_obs("dhcp_vendor_class", "udhcp 1.19.4"), _obs("snmp_sysdescr", "Linux cam 3.10.0 #1 armv7l")]
    )
    assert ident.os == "BusyBox Linux"
    assert ident.os_version is None  # the kernel's version is not BusyBox Linux's version
    assert "os" not in ident.conflicts


def test_the_version_follows_the_winning_name_and_rivals_stay_visible(engine):
    ident = engine.identify(
        [_obs("dhcp_vendor_class", "android-dhcp-12"), _obs("http_server", "Microsoft-IIS/10.0")]
    )
    assert (ident.os, ident.os_version) == ("Android", "12")
    assert ident.conflicts["os"] == ["Windows"]


def test_nothing_said_about_the_os_leaves_it_empty(engine):
    ident = engine.identify([_obs("rtsp_server", "Dahua Rtsp Server")])
    assert ident.os is None and ident.os_version is None
    assert Identity().to_dict()["os"] is None


@pytest.mark.parametrize(
    ("asserts", "message"),
    [
        ({"os": "Linux", "manufacturer": "Axis"}, "gives only os and os_version"),
        ({"os": "Linux", "device_type": "camera"}, "gives only os and os_version"),
        ({"os_version": "1"}, "without os"),
    ],
)
def test_an_os_signature_that_says_more_does_not_load(engine, asserts, message):
    raw = {"id": "t.os", "kind": "dhcp_vendor_class", "pattern": "^x$", "asserts": asserts, "weight": 0.5,
           "source": "test", "examples": [{"value": "x"}]}  # fmt: skip
    with pytest.raises(DataError, match=message):
        compile_signature(Path("os.yaml"), raw, engine.vendors)
