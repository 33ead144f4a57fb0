"""MAC blocks of radio/network chip and module makers (issue 11, "wrong makers named"): vendors.yaml
`network_parts`, camscan/identify/engine.py (`Engine._network_part`). docs/oui.md, "Chip and module makers".

The prefixes are real IEEE assignments (IEEE MA-L registry as shipped by pymanuf 2026.10.1, manuf.txt; each line
below names its registrant as listed there). The NIC halves (last three octets) are invented unless a source is
given, and every other value marked invented is too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from camscan.errors import DataError
from camscan.identify import oui
from camscan.identify.engine import CONTRACT_MANUFACTURER, NETWORK_PART_NOTE, get_engine
from camscan.identify.knowledge import load_knowledge
from camscan.identify.vendors import VendorRegistry
from camscan.model import Observation

DATA = Path(__file__).resolve().parents[2] / "vendor_signatures"

#: (MAC, registrant as the IEEE registry lists it, the vendor it maps to, chip or module)
PARTS = [
    ("c4:be:84:00:00:01", "Texas Instruments", "Texas Instruments", "chip"),  # MA-L C4BE84
    ("00:0c:43:00:00:01", "MediaTek Inc", "MediaTek", "chip"),  # MA-L 000C43 (Ralink's former block)
    ("00:03:7f:00:00:01", "Atheros Communications, Inc.", "Qualcomm", "chip"),  # MA-L 00037F
    ("24:0a:c4:00:00:01", "Espressif Inc.", "Espressif", "chip"),  # MA-L 240AC4
    ("00:e0:4c:00:00:01", "Realtek Semiconductor Corp.", "Realtek", "chip"),  # MA-L 00E04C
    ("00:15:af:00:00:01", "AzureWave Technology Inc.", "AzureWave", "module"),  # MA-L 0015AF
    ("00:22:f4:00:00:01", "AMPAK Technology, Inc.", "AMPAK", "module"),  # MA-L 0022F4
    ("00:0e:6d:00:00:01", "Murata Manufacturing Co., Ltd.", "Murata", "module"),  # MA-L 000E6D
    ("00:14:a4:00:00:01", "Hon Hai Precision Ind. Co.,Ltd.", "Hon Hai", "module"),  # MA-L 0014A4
    ("00:22:5f:00:00:01", "Liteon Technology Corporation", "Lite-On", "module"),  # MA-L 00225F
    ("00:10:c6:00:00:01", "Universal Global Scientific Industrial., Ltd", "USI", "module"),  # MA-L 0010C6
    ("ac:cf:23:00:00:01", "Hi-flying electronics technology Co.,Ltd", "High-Flying", "module"),  # MA-L ACCF23
    # a C.H.I.P. computer's MAC as its README shows it (roccomuso/WhereIsMyChip): MA-L CC79CF
    ("cc:79:cf:24:d4:f5", "Shenzhen Rf-Link Technology Co.,Ltd.", "RF-Link", "module"),
    (
        "08:ea:40:00:00:01",
        "Shenzhen Bilian Electronic Co.，Ltd",
        "Shenzhen Bilian Electronic",
        "module",
    ),  # MA-L 08EA40
    (
        "54:9c:6a:00:00:01",
        "Shenzhen Bilian Electronic Co.,Ltd",
        "Shenzhen Bilian Electronic",
        "module",
    ),  # MA-L 549C6A
    ("0c:9a:42:00:00:01", "Fn-Link Technology Limited", "Fn-Link", "module"),  # MA-L 0C9A42
    ("0c:a2:80:00:00:01", "FN-LINK TECHNOLOGY Ltd.", "Fn-Link", "module"),  # MA-L 0CA280
    ("10:bb:f3:00:00:01", "Hunan Fn-Link Technology Limited", "Fn-Link", "module"),  # MA-L 10BBF3
]


@pytest.fixture(scope="module")
def engine():
    return get_engine()


@pytest.mark.parametrize(("mac", "registrant", "vendor", "kind"), PARTS)
def test_the_registry_lists_these_blocks_under_these_registrants(mac, registrant, vendor, kind):
    entry = oui.lookup(mac)
    assert entry is not None and entry.registrant == registrant
    parts = load_knowledge().vendors.network_parts(vendor)
    assert parts is not None and parts.kind == kind


@pytest.mark.parametrize(("mac", "registrant", "vendor", "kind"), PARTS)
def test_a_part_makers_block_names_the_network_part_not_the_maker(engine, mac, registrant, vendor, kind):
    ident = engine.identify([Observation("mac", mac)])
    assert ident.manufacturer is None and ident.brand is None and ident.platform is None
    assert "manufacturer" not in ident.conflicts
    (ev,) = ident.evidence
    assert (ev.kind, ev.signature, ev.asserts) == ("mac", "mac.oui", {})
    assert ev.ignored == {"manufacturer": vendor}  # kept: the device has this company's radio
    assert ev.note.startswith(NETWORK_PART_NOTE) and vendor in ev.note and registrant in ev.note
    assert f"network {kind}" in ev.note
    assert ev.to_dict()["ignored"] == {"manufacturer": vendor}


def test_other_registrants_still_name_the_maker(engine):
    # Hikvision: SADP reply of a DS-2CD2385G1-I (Haicam/Haicam@307e0a37 golang/discovery.go), OUI 5850ED
    ident = engine.identify([Observation("mac", "58:50:ed:1f:e3:85")])
    assert ident.manufacturer == "Hikvision"
    # Lorex's own block 001F54 (a brand): still the label, as before
    assert engine.identify([Observation("mac", "00:1f:54:0a:1b:2c")]).brand == "Lorex"


def test_a_stronger_statement_of_another_maker_has_no_rival(engine):
    """A Wi-Fi camera with a Texas Instruments radio that says who made it: the maker it states, no conflict."""
    ident = engine.identify(
        [
            Observation("mac", "c4:be:84:00:00:01"),
            Observation("onvif_device_info", {"manufacturer": "Hikvision", "model": "DS-2CD2xx"}),  # invented
        ]
    )
    assert ident.manufacturer == "Hikvision"
    assert "manufacturer" not in ident.conflicts
    assert [e.ignored for e in ident.evidence if e.kind == "mac"] == [{"manufacturer": "Texas Instruments"}]


def test_the_part_makers_own_statement_still_names_it(engine):
    """A module maker's own device (its UPnP description names it) keeps its block as an ordinary OUI statement,
    which then supports the maker the device states."""
    observations = [
        Observation("mac", "ac:cf:23:00:00:01"),
        Observation("upnp_device", {"manufacturer": "Hi-flying", "modelName": "HF-LPB100"}),  # invented
    ]
    ident = engine.identify(observations)
    assert ident.manufacturer == "High-Flying"
    (mac,) = [e for e in ident.evidence if e.kind == "mac"]
    assert mac.asserts == {"manufacturer": "High-Flying"} and not mac.ignored and mac.note is None
    alone = engine.identify(observations[1:])
    assert ident.field_confidence["manufacturer"] >= alone.field_confidence["manufacturer"]


def test_a_part_makers_name_in_free_text_names_no_maker(engine):
    """The same marking stops the name in free text (maker_words): a module maker's name in a page title is an SDK
    or module string, not the device's maker."""
    for title in ("RF-Link Setup", "Hon Hai Viewer", "High-Flying Config"):  # invented
        assert engine.identify([Observation("html_title", title)]).manufacturer is None, title


def test_every_marked_vendor_has_a_registered_block_and_a_source():
    """Each `network_parts` vendor's legal names include a registrant of the installed registry (the marking
    works through the MAC look-up), and the marking carries its public source."""
    kb = load_knowledge()
    registrants = {" ".join(r.casefold().split()) for r in oui.registry().table.values()}
    marked = [v for v in kb.vendors.vendors.values() if v.network_parts is not None]
    assert {v.name for v in marked} >= {p[2] for p in PARTS}
    for v in marked:
        assert v.network_parts is not None
        assert v.network_parts.kind in ("chip", "module", CONTRACT_MANUFACTURER)
        assert len(v.network_parts.source) > 40, v.name
        assert any(" ".join(n.casefold().split()) in registrants for n in v.legal_names), v.name
        assert not v.camera_vendor and not v.video_only, v.name


def test_a_bad_kind_is_refused(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    path = data / "vendors.yaml"
    text = path.read_text(encoding="utf-8")
    assert "    network_parts:\n      kind: module\n" in text
    path.write_text(
        text.replace(
            "    network_parts:\n      kind: module\n", "    network_parts:\n      kind: antenna\n", 1
        )
    )
    with pytest.raises(DataError, match="chip"):
        VendorRegistry.load(path)


#: Contract manufacturers (EMS/ODM): (MAC, registrant as the IEEE registry lists it, the vendor it maps to). The
#: prefixes are real assignments (pymanuf 2026.10.1 manuf.txt); the NIC halves are invented.
CONTRACT = [
    ("70:b0:35:00:00:01", "Shenzhen Zowee Technology Co., Ltd", "Zowee"),  # MA-L 70B035
    ("80:c5:48:00:00:01", "Shenzhen Zowee Technology Co.,Ltd", "Zowee"),  # MA-L 80C548
    ("10:e8:40:00:00:01", "Zowee Technology(Heyuan) Co., Ltd.", "Zowee"),  # MA-L 10E840
    ("4c:81:25:00:00:01", "ZOWEE TECHNOLOGY(HEYUAN)Co.,Ltd", "Zowee"),  # MA-L 4C8125
]


@pytest.mark.parametrize(("mac", "registrant", "vendor"), CONTRACT)
def test_a_contract_manufacturers_block_names_the_factory_not_the_maker(engine, mac, registrant, vendor):
    """An ODM's block sits in devices sold under its customers' brands: it states no maker (issue 11, wrong makers:
    a YI camera of the MonIoTr lab answered with a Zowee block), and the evidence keeps the factory and says why."""
    entry = oui.lookup(mac)
    assert entry is not None and entry.registrant == registrant
    ident = engine.identify([Observation("mac", mac)])
    assert ident.manufacturer is None and ident.brand is None and not ident.is_camera
    (ev,) = ident.evidence
    assert ev.asserts == {} and ev.ignored == {"manufacturer": vendor}
    assert (
        ev.note.startswith(NETWORK_PART_NOTE) and "contract manufacturer" in ev.note and registrant in ev.note
    )


def test_a_contract_manufacturer_is_no_rival_to_the_brand_the_device_states(engine):
    """The brand a device states is its maker; the ODM's block neither outvotes it nor stands as a conflict."""
    ident = engine.identify(
        [
            Observation("mac", "70:b0:35:00:00:01"),
            Observation("upnp_device", {"manufacturer": "Xiaomi", "modelName": "MJSXJ02CM"}),  # invented
        ]
    )
    assert ident.manufacturer == "Xiaomi" and "manufacturer" not in ident.conflicts


def test_look_alike_registrants_are_not_contract_manufacturers(engine):
    """Only the marked factory's blocks: a camera maker's own block, and a registrant whose name merely shares a
    word with a marked one, still name their registrant."""
    # Hikvision's own block 5850ED (a real SADP reply's MAC, Haicam/Haicam@307e0a37 golang/discovery.go)
    assert engine.identify([Observation("mac", "58:50:ed:1f:e3:85")]).manufacturer == "Hikvision"
    # an unmarked Shenzhen registrant (Shenzhen Trolink Technology, MA-L 304A26): still named (no source found yet)
    assert (
        engine.identify([Observation("mac", "30:4a:26:00:00:01")]).manufacturer
        == "Shenzhen Trolink Technology"
    )
    kb = load_knowledge()
    assert kb.vendors.network_parts("Shenzhen Trolink Technology") is None
    assert kb.vendors.network_parts("Hikvision") is None
