"""The IEEE MAC registry (camscan/identify/oui.py) and how its registrants become makers.

Real MACs come from public material, each with its source; NIC halves marked "invented" are made up on a real
registered prefix.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from camscan.errors import DataError
from camscan.identify import oui
from camscan.identify.knowledge import load_knowledge
from camscan.identify.signatures import compile_signature
from camscan.identify.vendors import normalise_name
from tests.conftest import SHARED, run_camscan

KB = load_knowledge()
REGISTRY = oui.registry()
DEVICES = SHARED / "reference" / "devices"

# (MAC, maker, where the MAC was published)
REAL_MACS = [
    (
        "58:50:ed:1f:e3:85",
        "Hikvision",
        "Haicam/Haicam@307e0a37 golang/discovery.go: SADP reply of a DS-2CD2385G1-I",
    ),
    (
        "08:ed:ed:87:42:7a",
        "Dahua",
        "Haicam/Haicam@307e0a37 golang/discovery.go: DHDiscover reply, IPC-HDW1431T1-S4",
    ),
    (
        "b0:c5:54:25:5b:0e",
        "D-Link",
        "andypitcher/IoT_Sentinel@f66baead D-LinkCam/_iotdevice-mac.txt (DCS-935L)",
    ),
    (
        "b0:c5:54:1c:71:85",
        "D-Link",
        "andypitcher/IoT_Sentinel@f66baead D-LinkDayCam/_iotdevice-mac.txt (DCS-930L)",
    ),
    (
        "74:da:38:80:7a:08",
        "Edimax",
        "andypitcher/IoT_Sentinel@f66baead EdimaxCam1/_iotdevice-mac.txt (IC-3115W)",
    ),
    ("74:da:38:80:79:fc", "Edimax", "andypitcher/IoT_Sentinel@f66baead EdimaxCam2/_iotdevice-mac.txt"),
    # Ednet camera: block 3C4937 is registered to "ASSMANN Electronic GmbH", which vendors.yaml does not list
    (
        "3c:49:37:03:17:db",
        "ASSMANN Electronic",
        "andypitcher/IoT_Sentinel@f66baead EdnetCam1/_iotdevice-mac.txt",
    ),
    (
        "3c:49:37:03:17:f0",
        "ASSMANN Electronic",
        "andypitcher/IoT_Sentinel@f66baead EdnetCam2/_iotdevice-mac.txt",
    ),
]

#: Hikvision blocks in the IEEE registry that the hand-copied list (73 prefixes, until issue 11) did not have.
HIKVISION_NOT_IN_THE_OLD_LIST = ["00BC99", "04EECD", "083BC1", "40B570", "48785B", "849459", "88DE39",
                                 "8C22D2", "A44BD9", "B0FF0D", "CC13F3"]  # fmt: skip


@pytest.mark.parametrize(("mac", "maker", "source"), REAL_MACS, ids=[m for m, _, _ in REAL_MACS])
def test_real_device_macs_name_their_maker(mac: str, maker: str, source: str) -> None:
    assert KB.vendors.lookup_mac(mac) == maker, source


@pytest.mark.skipif(not DEVICES.is_dir(), reason="../shared/reference/devices not present")
def test_iot_sentinel_mac_labels_all_name_a_maker() -> None:
    files = sorted(DEVICES.glob("IoT_Sentinel/*/_iotdevice-mac.txt"))
    assert files
    for path in files:
        for mac in path.read_text().split():
            assert KB.vendors.lookup_mac(mac), f"{path.parent.name}: {mac}"


@pytest.mark.parametrize("prefix", HIKVISION_NOT_IN_THE_OLD_LIST)
def test_hikvision_blocks_beyond_the_old_hand_list(prefix: str) -> None:
    mac = ":".join([prefix[0:2], prefix[2:4], prefix[4:6], "12", "34", "56"])  # NIC half invented
    entry = oui.lookup(mac)
    assert entry is not None and entry.block == "MA-L" and entry.prefix == prefix
    assert entry.registrant.startswith("Hangzhou Hikvision Digital Technology")
    assert KB.vendors.lookup_mac(mac) == "Hikvision"


def test_registry_covers_all_block_sizes() -> None:
    sizes = {n: sum(1 for p in REGISTRY.table if len(p) == n) for n in (6, 7, 9)}
    assert sizes[6] > 35000 and sizes[7] > 5000 and sizes[9] > 10000, sizes
    hikvision = [
        p for p, r in REGISTRY.table.items() if r.startswith("Hangzhou Hikvision Digital Technology")
    ]
    assert len(hikvision) > 73  # more than the hand-copied list held


def test_longest_match_ma_m_and_iab() -> None:
    # 40:2C:76 is split into MA-M blocks: /28 402C761 is the scale maker, not Dahua (IEEE registry)
    scale = oui.lookup("40:2c:76:1a:bc:de")
    assert scale is not None and (scale.prefix, scale.block, scale.bits) == ("402C761", "MA-M", 28)
    assert scale.registrant == "Shanghai Dahua Scale Factory"
    assert KB.vendors.lookup_mac("40:2c:76:1a:bc:de") == "Shanghai Dahua Scale Factory"
    neighbour = oui.lookup("40:2c:76:0a:bc:de")
    assert (
        neighbour is not None and neighbour.prefix == "402C760" and neighbour.registrant != scale.registrant
    )
    # Arecont Vision's IAB 0050C23B6, a /36 inside 00:50:C2 (NIC part invented)
    arecont = oui.lookup("00:50:c2:3b:6a:01")
    assert arecont is not None and (arecont.prefix, arecont.block, arecont.bits) == ("0050C23B6", "IAB", 36)
    assert KB.vendors.lookup_mac("00:50:c2:3b:6a:01") == "Arecont Vision"


def test_longest_match_ma_s() -> None:
    # an MA-S /36 inside 70:B3:D5, whose /24 is the registry's own parent block
    entry = oui.lookup("70:b3:d5:98:71:00")
    assert entry is not None and (entry.prefix, entry.block) == ("70B3D5987", "MA-S")
    assert entry.registrant.casefold() == "axis corporation"
    parent = REGISTRY.table.get("70B3D5")
    assert parent is None or oui.maker_name(parent, KB.vendors) is None


def test_a_registrant_maps_to_a_vendor_only_through_its_legal_names() -> None:
    # "Axis Corporation" folds to the same key as the vendor "Axis", but it is no legal name of Axis
    # Communications: the maker stays the registrant
    assert KB.vendors.lookup_mac("70:b3:d5:98:71:00") == "Axis Corporation"
    assert KB.vendors.lookup_mac("ac:cc:8e:01:23:45") == "Axis"  # "Axis Communications AB"


@pytest.mark.parametrize(
    "mac",
    [
        "02:42:ac:11:00:02",  # Docker bridge: locally administered
        "5a:50:ed:1f:e3:85",  # Hikvision's prefix with the local bit set
        "01:00:5e:00:00:fb",  # IPv4 multicast (mDNS)
        "33:33:00:00:00:01",  # IPv6 multicast
        "ff:ff:ff:ff:ff:ff",
        "00:00:00:00:00:00",
    ],
)
def test_local_multicast_and_zero_addresses_name_nobody(mac: str) -> None:
    assert oui.lookup(mac) is None
    assert KB.vendors.lookup_mac(mac) is None


@pytest.mark.parametrize(
    "value",
    ["", "zz:zz:zz:zz:zz:zz", "58:50:ed:1f:e3", "58:50:ed:1f:e3:85:00", "58:50-ed:1f:e3:85", "58:50:ed:1f:e3:8g",
     "5850ed1fe38", " " * 40, "58:50:ed:1f:e3:85" * 1000, None, 42, b"\x58\x50\xed\x1f\xe3\x85", ["58:50:ed"],
     {"mac": "58:50:ed:1f:e3:85"}],
)  # fmt: skip
def test_bad_input_returns_none(value: object) -> None:
    assert oui.lookup(value) is None


@pytest.mark.parametrize("mac", ["58:50:ED:1F:E3:85", "58-50-ed-1f-e3-85", "5850.ed1f.e385", "5850ed1fe385",
                                 " 58:50:ed:1f:e3:85 ", "58:50:ed:1f:e3:85"])  # fmt: skip
def test_usual_spellings_are_read(mac: str) -> None:
    entry = oui.lookup(mac)
    assert entry is not None and entry.prefix == "5850ED"


def test_unpadded_groups_are_padded() -> None:
    assert oui.mac_digits("0:1b:2:3:4:5") == "001B02030405"


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=40), st.binary(max_size=20), st.integers(), st.none()))
def test_lookup_never_raises(value: object) -> None:
    entry = oui.lookup(value)
    assert entry is None or isinstance(entry, oui.OuiEntry)


@pytest.mark.parametrize(
    ("registrant", "shown"),
    [
        ("Espressif Inc.", "Espressif"),
        ("ASSMANN Electronic GmbH", "ASSMANN Electronic"),
        ("Hangzhou Hikvision Digital Technology Co.,Ltd.", "Hangzhou Hikvision Digital Technology"),
        ("Cisco Systems, Inc", "Cisco Systems"),
        ("Axis Communications AB", "Axis Communications"),
        ("Xiaomi Communications Co Ltd", "Xiaomi Communications"),
        ("Raspberry Pi (Trading) Ltd", "Raspberry Pi (Trading)"),
        ("Bosch Security Systems B.V.", "Bosch Security Systems"),
        ("  Sichuan  AI-Link   Technology Co., Ltd. ", "Sichuan AI-Link Technology"),
        ("Intel Corporate", "Intel"),  # the IEEE's spelling of Intel's registrant
        ("Phoenix Contact GmbH & Co. KG", "Phoenix Contact"),
        ("Swann Communications Pty Ltd", "Swann Communications"),
        ("a2i marketing center", "a2i marketing center"),
        ("Ltd.", "Ltd."),  # nothing but a company form: kept
    ],
)
def test_display_name(registrant: str, shown: str) -> None:
    assert oui.display_name(registrant) == shown


def test_open_world_and_non_maker_registrants() -> None:
    assert oui.maker_name("ASSMANN Electronic GmbH", KB.vendors) == "ASSMANN Electronic"
    assert oui.maker_name("Private", KB.vendors) is None
    assert oui.maker_name("IEEE Registration Authority", KB.vendors) is None
    # a registrant spelled in capitals (as the IEEE publishes some) resolves like its legal name
    assert oui.maker_name("ZHEJIANG DAHUA TECHNOLOGYCO.,LTD", KB.vendors) == "Dahua"


@pytest.mark.skipif(not (SHARED / "reference").is_dir(), reason="../shared/reference not present")
def test_every_prefix_of_the_old_reference_list_still_names_its_vendor() -> None:
    """The hand-copied list (arp-scan's IEEE extract of 2025-01-29) against today's registry: wherever the
    registrant is unchanged, the vendor must be the same; a block the IEEE has since re-registered to another
    company (Bosch's A41894 and 001C44 by 2026-10) follows the registry."""
    lines = (SHARED / "reference" / "concerns" / "oui_camera_vendors.txt").read_text().splitlines()
    listed = [line.split("\t") for line in lines if "\t" in line and not line.startswith("#")]
    assert len(listed) > 200
    wrong, moved = [], []
    for prefix, registrant in listed:
        mac = (prefix + "000000")[:12]
        entry = oui.lookup(mac)
        assert entry is not None, prefix
        if normalise_name(entry.registrant) != normalise_name(registrant):
            moved.append((prefix, registrant, entry.registrant))
            continue
        vendor = KB.vendors.resolve(registrant)
        if vendor is None or KB.vendors.lookup_mac(mac) != vendor:
            wrong.append((prefix, registrant, KB.vendors.lookup_mac(mac)))
    assert not wrong
    assert len(moved) <= len(listed) // 20, moved


def test_registry_version_is_recorded() -> None:
    assert REGISTRY.source == oui.registry_version()
    assert REGISTRY.source.startswith(("pymanuf ", "scapy "))
    assert f"OUI registry {REGISTRY.source}" in KB.version
    found = oui.lookup("58:50:ed:1f:e3:85")
    assert found is not None and found.registry == REGISTRY.source


def test_fallback_to_scapys_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(oui, "_pymanuf_file", lambda: None)
    fallback = oui.registry.__wrapped__()
    assert fallback.source.startswith("scapy ") and len(fallback) > 40000
    entry = fallback.lookup("58:50:ed:1f:e3:85")
    assert entry is not None and entry.registrant.startswith("Hangzhou Hikvision")


def test_unreadable_primary_falls_back(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    empty = tmp_path / "manuf.txt"
    empty.write_text("# nothing here\n")
    monkeypatch.setattr(oui, "_pymanuf_file", lambda: empty)
    assert oui.registry.__wrapped__().source.startswith("scapy ")


def test_manuf_format_parsing() -> None:
    text = "\n".join(
        [
            "# comment",
            "00:00:0C\t\tCisco Systems, Inc",  # pymanuf: empty short-name column
            "58:50:ED         \tHikvisionDig\tHangzhou Hikvision Digital Technology Co.,Ltd.",  # Wireshark
            "40:2C:76:10/28   \tDahuaScaleFa\tShanghai Dahua Scale Factory",
            "00:50:C2:3B:60:00/36\tArecontVisio\tArecont Vision",
            "not a line",
            "12:34\tShort\tToo short a prefix",
            "ZZ:ZZ:ZZ\tBad\tNot hex",
            "00:11:22/20\tOdd\tUnknown mask",
            "",
        ]
    )
    reg = oui.OuiRegistry.from_manuf(text, "test")
    assert reg.table == {
        "00000C": "Cisco Systems, Inc",
        "5850ED": "Hangzhou Hikvision Digital Technology Co.,Ltd.",
        "402C761": "Shanghai Dahua Scale Factory",
        "0050C23B6": "Arecont Vision",
    }


def test_mac_signatures_never_assert_a_device_type() -> None:
    assert all("device_type" not in s.asserts for s in KB.signatures if s.kind == "mac")
    raw = {"id": "x.mac", "kind": "mac", "oui": True, "asserts": {"manufacturer": "{vendor}", "device_type": "camera"},
           "weight": 0.5, "source": "test", "examples": [{"value": "58:50:ed:1f:e3:85"}]}  # fmt: skip
    with pytest.raises(DataError, match="cannot assert device_type"):
        compile_signature(Path("mac.yaml"), raw, KB.vendors)


def test_identify_names_an_open_world_maker_from_a_mac_alone() -> None:
    line = json.dumps({"observations": [{"kind": "mac", "value": "3c:49:37:03:17:db"}]})
    result = run_camscan("identify", input=line + "\n")
    assert result.returncode == 0, result.stderr
    ident = json.loads(result.stdout)
    assert ident["manufacturer"] == "ASSMANN Electronic"
    assert ident["device_type"] is None and ident["is_camera"] is False
    assert [e["signature"] for e in ident["evidence"]] == ["mac.oui"]
