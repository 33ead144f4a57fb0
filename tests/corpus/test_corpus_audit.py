"""The corpus's annotations follow its README's rules (issue 11 audit, 2026-12-05).

These are the mechanical parts of the audit, checked on every case of both splits without running the engine:
a claim that a bare MAC supports the maker must match the MAC's IEEE registrant (read from the registry the
`pymanuf` package ships, independently of camscan's own OUI code); a generic DHCP client string never supports a
maker; a label (vendors.yaml `role: brand`) is a case's `brand`, not its `manufacturer`; a case's category follows
its device type; no device is counted twice; `is_camera` is supported only on camera-side cases with more than a MAC.
"""

from __future__ import annotations

import importlib.util
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from camscan.identify.corpus import CATEGORIES, Case, load_corpus
from camscan.model import Observation

from ..conftest import ROOT

CORPUS = ROOT / "tests" / "fixtures" / "real"
VENDORS = ROOT / "vendor_signatures" / "vendors.yaml"
#: DHCP client strings of generic client software: they name the DHCP client, never the device's maker.
GENERIC_DHCP = re.compile(
    r"^\s*(udhcpc?\b|dhcpcd\b|dhcpcd-|dhclient\b|isc-dhclient|android-dhcp|msft \d)", re.IGNORECASE
)
#: device types that are corpus categories of their own; any other type is filed as non_camera or lookalike
TYPE_CATEGORIES = {"camera", "nvr", "dvr", "encoder", "vms", "intercom", "access_control"}
#: the categories whose cases may list `is_camera` in `supports` (README, "`is_camera` in `supports`")
CAMERA_SIDE = {"camera", "nvr", "dvr", "encoder"}
_FOLD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    return _FOLD.sub("", text.casefold())


@lru_cache(maxsize=1)
def ieee_registry() -> dict[str, str]:
    """Prefix (hex, 6/7/9 digits) → registrant, from pymanuf's manuf.txt (read as a file: importing pymanuf fetches)."""
    spec = importlib.util.find_spec("pymanuf")
    assert spec is not None and spec.submodule_search_locations, (
        "pymanuf (a dependency) ships the IEEE registry"
    )
    path = Path(next(iter(spec.submodule_search_locations))) / "manuf.txt"
    table: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        registrant = (
            parts[2] if len(parts) > 2 and parts[2].strip() else parts[1] if len(parts) > 1 else ""
        ).strip()
        address, _, bits = parts[0].partition("/")
        digits = (int(bits) if bits else 24) // 4
        table[address.replace(":", "").upper()[:digits]] = registrant
    return table


def registrant(mac: str) -> str | None:
    hexes = re.sub(r"[^0-9A-Fa-f]", "", mac).upper()
    table = ieee_registry()
    for digits in (9, 7, 6):  # MA-S, MA-M, MA-L: the longest assignment wins
        if hexes[:digits] in table:
            return table[hexes[:digits]]
    return None


@lru_cache(maxsize=1)
def vendor_index() -> dict[str, dict[str, Any]]:
    """Folded name / legal name / alias → the vendors.yaml entry."""
    index: dict[str, dict[str, Any]] = {}
    for vendor in yaml.safe_load(VENDORS.read_text(encoding="utf-8"))["vendors"]:
        for name in [vendor["name"], *(vendor.get("legal_names") or []), *(vendor.get("aliases") or [])]:
            index.setdefault(fold(str(name)), vendor)
    return index


def names_of(label: str) -> tuple[dict[str, Any] | None, set[str]]:
    vendor = vendor_index().get(fold(label))
    if vendor is None:
        return None, {fold(label)}
    names = [vendor["name"], *(vendor.get("legal_names") or []), *(vendor.get("aliases") or [])]
    return vendor, {fold(str(n)) for n in names}


def _value_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def mac_only(case: Case) -> bool:
    """Nothing but MACs and generic DHCP client strings: nothing in the case names a maker but a MAC prefix."""
    return all(
        o.kind == "mac" or (o.kind == "dhcp_vendor_class" and GENERIC_DHCP.match(_value_text(o.value)))
        for o in case.observations
    )


def misplaced_is_camera(cases: list[Case]) -> list[tuple[str, str]]:
    """Cases listing `is_camera` in `supports` where the README's rule cannot hold: a category that is not
    camera-side (camera, nvr, dvr, encoder), or observations that are only MACs (and generic DHCP client strings),
    which name a registrant, never what the device is."""
    wrong: list[tuple[str, str]] = []
    for case in cases:
        if "is_camera" not in case.supports:
            continue
        if case.category not in CAMERA_SIDE:
            wrong.append((case.id, f"category {case.category}"))
        if mac_only(case):
            wrong.append((case.id, "only MACs"))
    return wrong


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return load_corpus(CORPUS)


@pytest.fixture(scope="module")
def raw_cases() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for path in sorted(CORPUS.glob("*.yaml")):
        out.extend(yaml.safe_load(path.read_text(encoding="utf-8"))["cases"])
    return out


@pytest.mark.parametrize(
    "text",
    [
        "udhcp 1.15.2",
        "udhcp 1.21.1--LSDK-10.2-00082-4",
        "dhcpcd-5.2.10:Linux-3.8.13:armv7l:MV88DE3108",
        "dhclient",
        "android-dhcp-9",
        "MSFT 5.0",
    ],
)
def test_generic_dhcp_client_strings_are_recognised(text):
    assert GENERIC_DHCP.match(text)


@pytest.mark.parametrize(
    "text", ["Withings00", "SAMSUNG Network Printer", "BrightSign HS124", "dhcp-maker-x"]
)
def test_maker_dhcp_vendor_classes_are_not_generic(text):
    assert not GENERIC_DHCP.match(text)


def test_the_registry_names_known_registrants():
    """The check below is only as good as its registry: two assignments whose registrants are well known."""
    assert fold(registrant("00:0c:43:20:32:bb") or "") == fold("MediaTek Inc")
    assert "espressif" in fold(registrant("5c:cf:7f:06:d9:02") or "")


def test_a_bare_mac_supports_only_the_maker_it_is_registered_to(cases):
    """A MAC-only case (MACs and generic DHCP strings) may claim `manufacturer` only when a MAC's IEEE registrant is
    that maker (its name or a legal name/alias in vendors.yaml), and `brand` only when the registrant is the label's
    own company (a `role: brand` vendor). A Wi-Fi module maker (Espressif, Realtek, Bilian, Texas Instruments...) or a
    generic DHCP client string never names the device's maker."""
    wrong: list[tuple[str, str, list[str | None]]] = []
    for case in cases:
        if not mac_only(case):
            continue
        registrants = [registrant(str(o.value)) for o in case.observations if o.kind == "mac"]
        folded = {fold(r) for r in registrants if r}
        if "manufacturer" in case.supports:
            _, names = names_of(str(case.truth["manufacturer"]))
            if not folded & names:
                wrong.append((case.id, "manufacturer", registrants))
        if "brand" in case.supports:
            vendor, names = names_of(str(case.truth["brand"]))
            if vendor is None or vendor.get("role") != "brand" or not folded & names:
                wrong.append((case.id, "brand", registrants))
        if case.supports and not {"manufacturer", "brand"} >= set(case.supports):
            wrong.append((case.id, "a bare MAC carries no model, firmware or serial", registrants))
    assert wrong == []


def test_is_camera_is_supported_only_on_camera_side_cases_with_more_than_a_mac(cases):
    assert misplaced_is_camera(cases) == []
    assert any("is_camera" in c.supports for c in cases), "the corpus's cases are annotated for is_camera"


def _case(cid: str, category: str, observations: list[dict[str, Any]], is_camera: bool) -> Case:
    truth = {"device_type": "camera" if is_camera else "plug", "is_camera": is_camera}
    return Case(
        id=cid,
        file="synthetic.yaml",
        category=category,
        observations=tuple(Observation.from_dict(o, source="corpus") for o in observations),
        truth=truth,
        supports=("is_camera",),
        where="synthetic",
        source="synthetic",
    )


def test_the_is_camera_check_catches_a_misplaced_claim():
    """The check above is not vacuous: invented cases (never corpus cases) that break each half of the rule."""
    banner = {"kind": "http_server", "value": "IP Camera"}
    mac = {"kind": "mac", "value": "00:11:22:33:44:55"}
    dhcp = {"kind": "dhcp_vendor_class", "value": "udhcp 1.21.1"}
    assert misplaced_is_camera([_case("ok", "camera", [banner, mac], True)]) == []
    assert misplaced_is_camera([_case("plug", "non_camera", [banner], False)]) == [
        ("plug", "category non_camera")
    ]
    assert misplaced_is_camera([_case("mac", "camera", [mac, dhcp], True)]) == [("mac", "only MACs")]


def test_a_label_is_a_brand_not_a_manufacturer(cases):
    """vendors.yaml `role: brand` names a label (Amcrest, Wyze, Lorex...): the case's `brand`, since the sources that
    name the label do not say who built the device."""
    labels = [
        (c.id, c.truth["manufacturer"])
        for c in cases
        if "manufacturer" in c.truth
        and (names_of(str(c.truth["manufacturer"]))[0] or {}).get("role") == "brand"
    ]
    assert labels == []


def test_the_category_follows_the_device_type(cases):
    wrong = []
    for c in cases:
        kind = c.truth["device_type"]
        expected = {kind} if kind in TYPE_CATEGORIES else {"non_camera", "lookalike"}
        if c.category not in expected:
            wrong.append((c.id, c.category, kind))
    assert wrong == []
    assert TYPE_CATEGORIES | {"non_camera", "lookalike"} == set(CATEGORIES)


def test_no_device_is_counted_twice(cases):
    """The same observations with the same truth are one device, whichever file holds them (distinct units that
    happen to answer alike, e.g. two plugs of different models, differ in their truth)."""
    seen: dict[str, str] = {}
    twice = []
    for c in cases:
        key = json.dumps(
            [
                sorted((o.kind, _value_text(o.value)) for o in c.observations),
                [c.truth.get(f) for f in ("manufacturer", "brand", "model", "firmware", "device_type")],
            ],
        )
        if key in seen:
            twice.append((seen[key], c.id))
        seen.setdefault(key, c.id)
    assert twice == []


def test_audit_records_are_text(raw_cases):
    bad = [
        c["id"]
        for c in raw_cases
        if "audit" in c and not (isinstance(c["audit"], str) and c["audit"].strip())
    ]
    assert bad == []
    assert sum("audit" in c for c in raw_cases) >= 30, (
        "the 2026-12-05 audit's changes are recorded in their cases"
    )
