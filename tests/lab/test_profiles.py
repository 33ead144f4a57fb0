"""The profiles are valid data, say where they come from, and state the truth a scan must find."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from camscan.lab import demo_profiles, list_profiles, load_profile
from camscan.lab.device import instance_mac, instance_serial
from camscan.lab.estate import LabError, allocate
from camscan.lab.profiles import ProfileError, load_all
from camscan.lab.template import render

from .support import REFERENCE

REQUIRED = {
    "hikvision-camera", "hikvision-nvr", "dahua-camera", "axis-camera", "hanwha-camera", "uniview-camera",
    "xiongmai-camera", "generic-onvif-camera", "dlink-dcs-camera", "rebadged-hikvision-camera",
    "rebadged-dahua-lorex", "linux-web-server", "printer", "nas", "router", "windows-host",
    "hostile-xml-bomb", "hostile-xxe", "hostile-huge-header", "hostile-endless-headers", "hostile-slow-drip",
    "hostile-garbage", "hostile-truncated", "hostile-reset", "hostile-redirect-loop", "hostile-redirect-outside",
}  # fmt: skip

OUI_OWNERS = {
    "hikvision-camera": "Hikvision",
    "hikvision-nvr": "Hikvision",
    "rebadged-hikvision-camera": "Hikvision",
    "dahua-camera": "Dahua",
    "rebadged-dahua-lorex": "Dahua",
    "axis-camera": "Axis Communications",
    "hanwha-camera": "SAMSUNG TECHWIN",
    "uniview-camera": "Uniview",
}


def test_required_profiles_exist() -> None:
    assert set(list_profiles()) >= REQUIRED


@pytest.mark.parametrize("name", list_profiles())
def test_profile_is_complete(name: str) -> None:
    profile = load_profile(name)
    assert profile.source.strip(), "every profile says what is real and what is composed"
    assert {"brand", "manufacturer", "model", "firmware", "serial", "device_type"} <= set(profile.truth)
    assert profile.tcp_ports() or profile.udp_ports()
    if profile.category == "camera":
        assert profile.truth["is_camera"] is True
        assert profile.truth["device_type"] in {"camera", "nvr", "dvr", "encoder"}
        assert profile.truth["manufacturer"] or name == "generic-onvif-camera", "cameras name their maker"
    if profile.category == "non-camera":
        assert profile.truth["is_camera"] is False
    if profile.category != "hostile":
        assert "REAL" in profile.source or "COMPOSED" in profile.source


def test_demo_profiles_are_a_dozen_mixed_devices() -> None:
    names = demo_profiles()
    assert len(names) == 12
    categories = {load_profile(n).category for n in names}
    assert categories == {"camera", "non-camera"}
    assert "rebadged-hikvision-camera" in names and "rebadged-dahua-lorex" in names


def test_rebadged_profiles_separate_brand_and_manufacturer() -> None:
    hik = load_profile("rebadged-hikvision-camera")
    assert (hik.truth["brand"], hik.truth["manufacturer"]) == ("Northwind", "Hikvision")
    assert hik.vars["onvif_manufacturer"] == "Northwind"
    assert any(d.protocol == "sadp" for d in hik.discovery)
    lorex = load_profile("rebadged-dahua-lorex")
    assert (lorex.truth["brand"], lorex.truth["manufacturer"]) == ("Lorex", "Dahua")
    assert any(d.protocol == "dhdiscover" for d in lorex.discovery)


@pytest.mark.parametrize(("name", "owner"), sorted(OUI_OWNERS.items()))
def test_mac_has_the_makers_oui(name: str, owner: str) -> None:
    ouis = REFERENCE / "concerns" / "oui_camera_vendors.txt"
    if not ouis.exists():
        pytest.skip("../shared/reference is not available")
    prefix = load_profile(name).identity.mac.replace(":", "")[:6].upper()
    registry = dict(line.split("\t", 1) for line in ouis.read_text().splitlines() if "\t" in line)
    assert owner.lower() in registry.get(prefix, "").lower(), f"{prefix} is not registered to {owner}"


def test_render_leaves_unknown_braces_alone() -> None:
    text = "var a = {b: 1}; {{ip}} {{unknown}} {{ serial }}"
    assert render(text, {"ip": "127.0.0.1", "serial": "X"}) == "var a = {b: 1}; 127.0.0.1 {{unknown}} X"


def test_instance_identities_are_unique_and_keep_the_oui() -> None:
    taken: set[str] = set()
    macs = [instance_mac("58:50:ed:ff:ff:fe", n, taken) for n in range(1, 50)]
    assert len(set(macs)) == 49
    assert all(m.startswith("58:50:ed:") for m in macs)
    assert instance_serial("DS-2CD2385G1-I20200414AAWRE33842150", 1).endswith("42150")
    assert instance_serial("DS-2CD2385G1-I20200414AAWRE33842150", 7).endswith("0007")


def test_allocate_skips_network_and_broadcast_octets() -> None:
    addresses = allocate("127.77.0.254", 4, ipaddress.IPv4Network("127.0.0.0/8"))
    assert addresses == ["127.77.0.254", "127.77.1.1", "127.77.1.2", "127.77.1.3"]
    with pytest.raises(LabError):
        allocate("10.0.0.1", 1, ipaddress.IPv4Network("10.231.0.0/16"))


def _write(directory: Path, name: str, text: str) -> None:
    (directory / f"{name}.yaml").write_text(text)


MINIMAL = """name: {name}
title: t
category: camera
source: composed
truth: {{brand: X, manufacturer: X, model: M, firmware: F, serial: S, device_type: camera, is_camera: true}}
identity: {{mac: "02:00:00:00:00:01"}}
"""


def test_bad_profiles_are_refused(tmp_path: Path) -> None:
    _write(tmp_path, "unknown-var", MINIMAL.format(name="unknown-var") + "http:\n  - ports: [80]\n"
           "    routes:\n      - {path: /, body: '{{no_such_var}}'}\n")  # fmt: skip
    _write(tmp_path, "twice", MINIMAL.format(name="twice") + "http:\n  - ports: [80]\ntcp:\n  - port: 80\n")
    _write(tmp_path, "loop-a", MINIMAL.format(name="loop-a") + "extends: loop-b\n")
    _write(tmp_path, "loop-b", MINIMAL.format(name="loop-b") + "extends: loop-a\n")
    _write(tmp_path, "bad-behavior", MINIMAL.format(name="bad-behavior") + "http:\n  - ports: [80]\n"
           "    on_connect: explode\n")  # fmt: skip
    with pytest.raises(ProfileError, match="no_such_var"):
        load_profile("unknown-var", tmp_path)
    with pytest.raises(ProfileError, match="TCP port used twice"):
        load_profile("twice", tmp_path)
    with pytest.raises(ProfileError, match="circular"):
        load_profile("loop-a", tmp_path)
    with pytest.raises(ProfileError, match="unknown behaviour"):
        load_profile("bad-behavior", tmp_path)


def test_every_profile_loads_in_a_group() -> None:
    assert len(load_all()) == len(list_profiles())
    assert {p.category for p in load_all(category="hostile")} == {"hostile"}
