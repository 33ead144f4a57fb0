"""Makers named in free text (issue 11, "closed world"): vendor_signatures/maker_words.yaml and
camscan/identify/maker_words.py. Every value here is invented (no device produced it) unless it says otherwise."""

from __future__ import annotations

from dataclasses import replace

import pytest

from camscan.identify import maker_words as mw
from camscan.identify import oui
from camscan.identify.engine import MAKER_WORDS, Engine
from camscan.identify.knowledge import load_knowledge
from camscan.identify.maker_words import MakerWords, build_index
from camscan.model import Observation

#: An invented registry: two invented companies, a chip maker and a software maker, and a word two companies share.
REGISTRY = {
    "0CAAAA": "Quuxcam Vision Co., Ltd.",  # invented
    "0CAAAB": "Shenzhen Zorbly Digital Technology Co.,Ltd",  # invented
    "0CAAAC": "Realtek Semiconductor Corp.",
    "0CAAAD": "Gstreamer Labs Inc.",  # invented
    "0CAAAE": "Integrated Widgets Inc.",  # invented: "Integrated" is used by two companies
    "0CAAAF": "Integrated Gadgets Ltd.",  # invented
}


@pytest.fixture
def knowledge(monkeypatch):
    monkeypatch.setenv("CAMSCAN_NO_CACHE", "1")
    monkeypatch.setattr(oui, "registry", lambda: oui.OuiRegistry(dict(REGISTRY), "invented"))
    mw._index.cache_clear()
    yield load_knowledge()
    mw._index.cache_clear()


@pytest.fixture
def engine(knowledge):
    return Engine(knowledge)


@pytest.fixture
def index(knowledge):
    return build_index(knowledge.maker_words, knowledge.vendors)


def makers(engine: Engine, *observations: Observation) -> list[tuple[str, str]]:
    ident = engine.identify(observations)
    return [
        (ev.kind, ev.asserts["manufacturer"]) for ev in ident.evidence if ev.signature.startswith(MAKER_WORDS)
    ]


def test_a_registrant_word_in_a_page_title_names_the_maker(engine):
    ident = engine.identify([Observation("html_title", "QUUXCAM Remote Viewer")])  # invented
    assert ident.manufacturer == "Quuxcam Vision"
    ev = next(e for e in ident.evidence if e.signature == f"{MAKER_WORDS}.html_title")
    assert ev.note == "names 'quuxcam' (IEEE registrant Quuxcam Vision Co., Ltd.)"
    assert ev.to_dict()["note"] == ev.note
    assert ident.field_confidence["manufacturer"] == pytest.approx(engine.maker_words.weight)


def test_a_place_led_registrant_is_found_by_its_name(engine):
    assert (
        engine.identify([Observation("html_title", "Zorbly NVR Login")]).manufacturer
        == "Shenzhen Zorbly Digital Technology"
    )  # invented


def test_a_vendor_name_leading_a_dhcp_vendor_class_names_the_maker(engine):
    assert makers(engine, Observation("dhcp_vendor_class", "Zmodo ZP-Z9")) == [
        ("dhcp_vendor_class", "Zmodo")
    ]  # invented


def test_registrants_and_later_words_do_not_count_in_a_dhcp_vendor_class(engine):
    """maker_words.yaml: in a vendor class only a leading vendors.yaml name counts (registry: false, leading)."""
    assert makers(engine, Observation("dhcp_vendor_class", "Quuxcam Z9")) == []  # invented
    assert makers(engine, Observation("dhcp_vendor_class", "Z9 Zmodo")) == []  # invented


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("dhcp_vendor_class", "dhcpcd-9.9.9:Linux-9.9.9:armv7l:Ambarella"),  # invented
        ("dhcp_vendor_class", "dhcpcd-9.9.9:Linux-9.9.9:armv7l:Realtek RTD9999"),  # invented
        ("html_title", "Realtek Wireless Setup"),  # invented: a chip maker
        ("html_title", "GStreamer Labs Viewer"),  # invented: software
        ("upnp_server", "Linux/9.9 UPnP/1.0 Portable SDK for UPnP devices/9.9"),  # invented
        ("html_title", "Integrated Web Client"),  # invented: a word two companies use
        ("html_title", "Welcome - Web Client Login"),  # invented: generic words
        ("html_title", "Microsoft Windows Web Server"),  # invented: an OS and its maker
    ],
)
def test_chip_os_and_software_words_name_no_maker(engine, kind, value):
    assert makers(engine, Observation(kind, value)) == []


def test_a_signatures_maker_wins_and_the_rule_stays_silent(engine):
    observations = [
        Observation("html_title", "Quuxcam Remote Viewer"),  # invented
        Observation(
            "rtsp_server", "Dahua Rtsp Server"
        ),  # the lab's Dahua camera (camscan/data/example_hosts.jsonl)
    ]
    ident = engine.identify(observations)
    assert ident.manufacturer == "Dahua"
    assert not [e for e in ident.evidence if e.signature.startswith(MAKER_WORDS)]


def test_the_text_outranks_an_oui_but_not_a_statement(engine, knowledge):
    """A MAC's OUI does not silence the rule: a banner-tier name at the rule's weight outranks it. A block of a Wi-Fi
    chip maker (Realtek, vendors.yaml network_parts) is no rival at all: it names the network part, not the maker."""
    ident = engine.identify(
        [Observation("mac", "0c:aa:ab:00:00:01"), Observation("html_title", "Quuxcam Viewer")]
    )  # invented
    assert ident.manufacturer == "Quuxcam Vision"
    assert ident.conflicts["manufacturer"] == ["Shenzhen Zorbly Digital Technology"]
    ident = engine.identify(
        [Observation("mac", "0c:aa:ac:00:00:01"), Observation("html_title", "Quuxcam Viewer")]
    )  # invented
    assert ident.manufacturer == "Quuxcam Vision"
    assert "manufacturer" not in ident.conflicts
    assert [e.ignored for e in ident.evidence if e.kind == "mac"] == [{"manufacturer": "Realtek"}]


def test_a_maker_from_text_never_types_a_device(engine):
    """XiongMai sells only video devices (vendors.yaml video_only), yet a title naming it types nothing."""
    ident = engine.identify([Observation("html_title", "XiongMai Net Surveillance")])  # invented
    assert ident.manufacturer == "XiongMai"
    assert ident.device_type is None and not ident.is_camera


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("String theory", []),  # invented: no Ring inside String
        ("Ring Doorbell", ["Ring"]),  # invented
        ("RING-doorbell", ["Ring"]),  # invented: case folded, punctuation separates
        ("Quuxcamera", []),  # invented: no name inside a longer word
        ("quuxcam_v2", ["Quuxcam Vision"]),  # invented: `_` separates words
        ("TP-LINK HTTPD", ["TP-Link"]),  # invented: a two-word vendors.yaml name
        ("Texas Instruments and Quuxcam", ["Quuxcam Vision"]),  # invented
    ],
)
def test_names_are_whole_words(index, text, found):
    assert [h.maker for h in index.find(text)] == found


def test_two_makers_in_one_text_name_none(engine):
    assert makers(engine, Observation("html_title", "Quuxcam to Zorbly bridge")) == []  # invented


def test_sdp_reads_only_session_level_fields(knowledge):
    rules = knowledge.maker_words
    sdp = "v=0\r\no=quuxcam 1 1 IN IP4 0.0.0.0\r\ns=Zorbly Live\r\ni=-\r\na=tool:Tool X\r\nm=video 0 RTP/AVP 96\r\ni=Other\r\n"  # invented
    assert rules.texts("sdp", sdp) == ["quuxcam", "Zorbly Live", "Tool X"]
    assert rules.texts("http_server", "Quuxcam") == []  # a kind not read


def test_the_files_examples(engine, knowledge):
    for ex in knowledge.maker_words.examples:
        got = makers(engine, Observation(ex["kind"], ex["value"]))
        assert [m for _, m in got] == ([ex["maker"]] if ex["maker"] else []), ex


def test_without_the_file_no_maker_is_read_from_text(knowledge):
    bare = Engine(replace(knowledge, maker_words=MakerWords.empty()))
    assert (
        bare.identify([Observation("html_title", "Quuxcam Remote Viewer")]).manufacturer is None
    )  # invented


def test_the_cached_index_follows_legal_names_and_company_words(knowledge, monkeypatch, tmp_path):
    """The on-disk index is keyed by everything it is built from: a vendor's legal names decide which vendor a
    registrant names, and the company words decide how names fold, so editing either is a miss, not a stale hit."""
    from camscan.identify.vendors import VendorRegistry

    monkeypatch.setenv("CAMSCAN_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("CAMSCAN_NO_CACHE")
    vendors = knowledge.vendors
    before = build_index(knowledge.maker_words, vendors).names.get("quuxcam")
    assert before is not None and before[0] != "Hikvision"
    hik = vendors.vendors["Hikvision"]
    adopted = replace(hik, legal_names=[*hik.legal_names, "Quuxcam Vision Co., Ltd."])  # invented legal name
    edited = VendorRegistry(
        {**vendors.vendors, "Hikvision": adopted}, vendors.ouis, vendors.version, vendors.words
    )
    mw._index.cache_clear()
    after = build_index(knowledge.maker_words, edited).names.get("quuxcam")
    assert after is not None and after[0] == "Hikvision"
    registrants = sorted(REGISTRY.values())
    words = replace(vendors.words, descriptors=vendors.words.descriptors | {"quuxcam"})
    reworded = VendorRegistry(vendors.vendors, vendors.ouis, vendors.version, words)
    assert mw.index_key(knowledge.maker_words, reworded, registrants) != mw.index_key(
        knowledge.maker_words, vendors, registrants
    )


# ── DHCP host names in the firmware-default shape <name>-<MAC digits> (maker_words.yaml `shape`). Values invented.
@pytest.mark.parametrize(
    ("hostname", "maker"),
    [
        ("Roku-5c3a1b", "Roku"),
        ("SYNOLOGY_0011321A2B3C", "Synology"),
        ("TP-LINK_9A8B7C", "TP-Link"),
        ("Sonos-00:0e:58:aa:bb:cc", "Sonos"),
    ],
)
def test_a_default_host_name_names_its_maker(hostname, maker):
    from camscan.identify.engine import get_engine

    ident = get_engine().identify([Observation("dhcp_hostname", hostname)])
    assert ident.manufacturer == maker
    assert [ev.signature for ev in ident.evidence] == [f"{MAKER_WORDS}.dhcp_hostname"]
    assert not ident.is_camera and ident.device_type is None  # a maker's name never types a device


@pytest.mark.parametrize(
    "hostname",
    [
        "Roku-Living-Room",  # a user's name: no MAC digits
        "roku",  # the name alone
        "DESKTOP-1A2B3C4",  # Windows' default: not a maker's name
        "android-0123456789abcdef",  # an operating system
        "tasmota-1A2B3C",  # a firmware project, not a maker
        "ESP_1A2B3C",  # a chip SDK's default (Espressif is a chip maker)
        "Realtek-1a2b3c",  # a chip maker's name
        "office-decade",  # hex letters, no digit: a word
        "Living-Room-Roku-1a2b3c",  # the maker's name not first
        "Quuxcam-1a2b3c",  # a name no vendors.yaml entry lists (registrants are not read here)
    ],
)
def test_host_names_of_other_shapes_name_no_maker(hostname):
    from camscan.identify.engine import get_engine

    assert get_engine().identify([Observation("dhcp_hostname", hostname)]).manufacturer is None, hostname


def test_a_shape_reads_only_its_name_part():
    from camscan.identify.engine import get_engine

    words = get_engine().maker_words
    assert words.texts("dhcp_hostname", "Roku-5c3a1b") == ["Roku"]
    assert words.texts("dhcp_hostname", "roku-living-room") == []
    assert "dhcp_hostname" in words.shapes and "html_title" not in words.shapes


# ------------------------------------------------------------ a DHCP vendor class read with camel case split
@pytest.mark.parametrize(
    ("value", "maker"),
    [
        ("KyoceraPrinter", "Kyocera"),  # invented
        ("LGSmartTV", "LG"),  # invented: an acronym name glued to the next word
        ("Kyocera Printer", "Kyocera"),  # invented: as before, spaced
        ("MyKyoceraPrinter", None),  # invented: not the leading name
        ("AndroidDhcpClient", None),  # invented: an operating system (not_makers)
        ("PrinterKyocera", None),  # invented: the name not first
    ],
)
def test_a_dhcp_vendor_class_is_read_with_camel_case_split(engine, value, maker):
    ident = engine.identify([Observation("dhcp_vendor_class", value)])
    assert ident.manufacturer == maker
