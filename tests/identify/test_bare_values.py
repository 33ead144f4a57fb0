"""Bare models and company names that lead a DHCP vendor class (camscan/identify/bare_values.py; docs/identify.md,
"Bare models and makers that lead a vendor class").

The model numbers below are real products from their makers' public catalogues (TP-Link TL-SG105E and Archer C6,
Netgear GS308 and GS110TP, Linksys BEFSR41, D-Link DGS-1100-08, Hikvision DS-2CD2043G2-I, Synology DS220+); that
a device sends one as its whole vendor class or sysDescr is the field family's documented shape (FingerBank
dhcp_fingerprints.conf lists bare-model vendor classes: `MTA6328R`, `S24AP`), so the values are composed for the
test (invented), none is a corpus value. Company names in the leading-company tests are invented.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from camscan.identify import bare_values
from camscan.model import CAMERA_TYPES, Observation


def _one(engine, kind: str, value: str):
    return engine.identify([Observation(kind, value)])


@pytest.mark.parametrize(
    ("kind", "value", "maker", "device_type"),
    [
        ("dhcp_vendor_class", "TL-SG105E", "TP-Link", "switch"),
        ("dhcp_vendor_class", "Archer C6", "TP-Link", "router"),
        ("dhcp_vendor_class", "GS308", "Netgear", None),
        ("snmp_sysdescr", "GS110TP", "Netgear", None),
        ("snmp_sysdescr", "BEFSR41", "Linksys", None),
        ("snmp_sysdescr", "DGS-1100-08", "D-Link", None),
        ("dhcp_vendor_class", "DS220+", "Synology", None),
    ],
)
def test_a_bare_model_names_its_maker_through_its_numbering(engine, kind, value, maker, device_type) -> None:
    ident = _one(engine, kind, value)
    assert ident.model == value
    assert ident.manufacturer == maker
    if device_type is not None:
        assert ident.device_type == device_type
    assert not ident.is_camera


@pytest.mark.parametrize("value", ["DS-2CD2043G2-I", "DS-7608NI-K2"])
def test_a_bare_camera_model_names_its_maker_but_never_makes_a_camera(engine, value) -> None:
    ident = _one(engine, "dhcp_vendor_class", value)
    assert ident.manufacturer == "Hikvision"
    assert ident.device_type not in CAMERA_TYPES
    assert not ident.is_camera


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        # generic DHCP clients and operating systems (dhcpcd(8), BusyBox udhcpc, Android, Windows)
        ("dhcp_vendor_class", "udhcp 1.36.1"),
        ("dhcp_vendor_class", "udhcp1.36.1"),  # the version glued to the client's name
        ("dhcp_vendor_class", "dhcpcd-10.0.6"),
        ("dhcp_vendor_class", "dhcpcd-9.4.1:Linux-6.1.21-v8+:aarch64:Raspberry Pi 4 Model B Rev 1.5"),
        ("dhcp_vendor_class", "android-dhcp-14"),
        ("dhcp_vendor_class", "MSFT 5.0"),
        ("dhcp_vendor_class", "Linux5"),
        # a version, a MAC, an address, a host name, a code no maker's numbering claims
        ("dhcp_vendor_class", "5.2.1"),
        ("dhcp_vendor_class", "v2.4"),
        ("dhcp_vendor_class", "a4:83:e7:12:34:56"),
        ("snmp_sysdescr", "192.168.1.20"),
        ("snmp_sysdescr", "core-sw01"),
        ("dhcp_vendor_class", "XYZ123"),
        ("dhcp_vendor_class", "EAP225"),  # EAP + 3 digits is not TP-Link's alone (numbering6 left it out)
        # a bare value of a kind no device fills with its model alone
        ("http_server", "GS308"),
        ("dhcp_hostname", "GS308"),
    ],
)
def test_look_alikes_of_a_bare_model_name_nothing(engine, kind, value) -> None:
    ident = _one(engine, kind, value)
    assert not ident.is_camera
    assert not any(ev.signature.startswith("engine.bare_model.") for ev in ident.evidence)
    assert not any(ev.signature.startswith("model_maker.") for ev in ident.evidence)
    assert not any(ev.signature == "engine.maker_words.leading_company" for ev in ident.evidence)


def test_a_bare_model_is_a_fallback_that_other_evidence_outranks(engine) -> None:
    ident = engine.identify(
        [
            Observation("dhcp_vendor_class", "GS308"),
            Observation("upnp_device", {"manufacturer": "NETGEAR", "modelName": "GS308E"}),
        ]
    )
    assert ident.model == "GS308E"
    assert not any(ev.signature.startswith("engine.bare_model.") for ev in ident.evidence)


def test_a_bare_model_that_another_stated_maker_contradicts_is_not_read(engine) -> None:
    # an invented pairing: a device that states another maker in its own answers keeps that maker
    ident = engine.identify(
        [
            Observation("dhcp_vendor_class", "GS308"),
            Observation("http_server", "Boa/0.94.14rc21"),
            Observation("html_title", "Hikvision Web Client"),
        ]
    )
    assert ident.manufacturer != "Netgear"


@pytest.mark.parametrize(
    ("value", "maker", "model"),
    [
        ("Quillon Access Systems QX_200", "Quillon Access Systems", "QX_200"),  # invented
        ("Brennwald Instruments BI4010", "Brennwald Instruments", "BI4010"),  # invented
        ("Northgate Widgets, Inc.", "Northgate Widgets", None),  # invented
        ("Hollis & Marr Co., Ltd.", "Hollis & Marr", None),  # invented
        ("Oberland Messtechnik GmbH", "Oberland Messtechnik", None),  # invented
    ],
)
def test_a_company_that_leads_a_vendor_class_is_named_open_world(engine, value, maker, model) -> None:
    ident = _one(engine, "dhcp_vendor_class", value)
    assert ident.manufacturer == maker
    assert "manufacturer" in ident.unlisted  # open world: no vendors.yaml entry
    assert ident.model == model
    assert ident.device_type is None  # a maker named in free text never types a device
    assert not ident.is_camera


@pytest.mark.parametrize(
    "value",
    [
        "LifeSize Room LS_RM5",  # a product first: Lifesize's (a listed maker), not a company "LifeSize Room"
        "Galaxy Tab S9",  # a product line alone
        "Fire TV Stick4K",
        "Smart Home Hub2",  # ordinary words
        "Network Camera NC2000",  # a device class
        "Secure Access Point AP300",  # a device class inside the name
        "Video Door Phone VDP2",
        "Linux Kernel 6",  # an operating system
        "Mac OS X",
        "PXEClient:Arch:00007:UNDI:003016",
        "udhcp 1.36.1",
        "Northgate",  # one word and no code: a product as likely as a company
        "Northgate Widgets",  # no code and no legal form
        "Northgate Widgets rev",  # no digit in the code
        "Inc.",
        "Co., Ltd.",
        # companies whose names name no device maker (maker_words.yaml not_makers, vendors.yaml roles and
        # network_parts): an OS and software publisher, chip makers, a module maker and contract manufacturer
        "Microsoft Corporation",
        "Texas Instruments Inc.",
        "Realtek Semiconductor Corp.",
        "Espressif Systems (Shanghai) Co., Ltd.",
        "Hon Hai Precision Ind. Co.,Ltd.",
    ],
)
def test_look_alikes_of_a_leading_company_name_nobody(engine, value) -> None:
    ident = _one(engine, "dhcp_vendor_class", value)
    assert not any(ev.signature == "engine.maker_words.leading_company" for ev in ident.evidence)
    # a camera only through the kind words' own reading ("Network Camera"), never through a company named here
    assert not ident.is_camera or value.startswith("Network Camera")


def test_a_listed_maker_that_leads_is_read_as_listed_not_as_a_new_company(engine) -> None:
    ident = _one(engine, "dhcp_vendor_class", "Grandstream Networks GXP2170")
    assert ident.manufacturer == "Grandstream"
    assert not any(ev.signature == "engine.maker_words.leading_company" for ev in ident.evidence)


def test_a_leading_company_is_a_fallback(engine) -> None:
    ident = engine.identify(
        [
            Observation("dhcp_vendor_class", "Quillon Access Systems QX_200"),
            Observation("upnp_device", {"manufacturer": "Axis", "modelName": "AXIS A1601"}),
        ]
    )
    assert ident.manufacturer == "Axis"


@pytest.mark.parametrize(
    ("value", "want"),
    [
        ("TL-SG105E", "TL-SG105E"),
        ("Archer C6", "Archer C6"),
        (" GS308 ", "GS308"),
        ("udhcp 1.36.1", None),
        ("udhcp1.36.1", None),
        ("Linux5", None),
        ("dhcpcd-10.0.6", None),
        ("1.2.3", None),
        ("ABCDEF", None),
        ("a b c 1", None),
        ("X" * 40 + "1", None),
    ],
)
def test_bare_model_shape(engine, value, want) -> None:
    rules = engine.maker_words
    assert bare_values.bare_model("dhcp_vendor_class", value, rules) == want
    assert bare_values.bare_model("html_title", value, rules) is None


@pytest.mark.parametrize(
    "value",
    [
        "A" + "+" * 31,  # a run of `+`: a `+` is never inside a piece, so no text matches two ways
        "A" + "+" * 254,
        "Ab " * 85,  # "AB" is a legal form (Swedish aktiebolag): stripped one at a time
        "Co. " * 63,
        "Ab-Cd " * 42 + "1",
        "Aa " * 80 + "Inc.",
        "Ab Cd " + "X_" * 124 + "1",
        "1" * 255,
    ],
)
def test_hostile_values_are_read_in_linear_time(engine, value) -> None:
    engine.identify([Observation("dhcp_vendor_class", "warm up")])
    start = time.perf_counter()
    for kind in ("dhcp_vendor_class", "snmp_sysdescr"):
        engine.identify([Observation(kind, value)])
    assert time.perf_counter() - start < 0.5


def test_a_vendor_class_longer_than_a_dhcp_option_is_not_read_for_a_company(engine) -> None:
    value = "Quillon Access Systems " + "Q" * 300 + "1"
    assert (
        bare_values.leading_company(
            "dhcp_vendor_class",
            value,
            engine.maker_words,
            stop=frozenset(),
            strip_forms=str,
            names_nobody=lambda p: False,
        )
        is None
    )


def test_a_upnp_model_name_without_a_manufacturer_names_its_maker_as_before(engine) -> None:
    # the UPnP field for the model (0.6) is no bare value: it names its maker and types through the product line
    ident = engine.identify([Observation("upnp_device", {"modelName": "TL-SG105E"})])
    assert (ident.manufacturer, ident.device_type) == ("TP-Link", "switch")
    assert not any(ev.signature.startswith("engine.bare_model.") for ev in ident.evidence)


# --- the word lists these readers stop live in data, each word once (maker_words.yaml, device_types.yaml) ---


@pytest.mark.parametrize(
    "value",
    [
        # DHCP clients of maker_words.yaml not_makers `dhcp_clients` (dhcpcd(8), dhclient.conf(5),
        # systemd.network(5), RFC 4578, Red Hat's inst.dhcpclass: "anaconda-$(uname -srm)"); invented versions
        "dhclient-4.4.3",
        "isc-dhclient-4.2.5",
        "systemd-networkd-255",
        "networkd2",
        "PXEClient7",
        "anaconda-Linux 5.14",
        # an operating system of the `operating_systems` group (client_names), glued to its version
        "Tizen-7.0",
        "webOS6",
    ],
)
def test_values_an_os_or_dhcp_client_leads_are_no_bare_model(engine, value) -> None:
    assert bare_values.bare_model("dhcp_vendor_class", value, engine.maker_words) is None
    assert engine.maker_words.names_client(value)


@pytest.mark.parametrize("value", ["Dhclient Widgets X100", "Anaconda Systems AX100", "Systemd Labs S100"])
def test_a_dhcp_client_that_leads_a_vendor_class_is_no_company(engine, value) -> None:
    # invented look-alikes: a client's name first is the client's string, not a company's
    ident = _one(engine, "dhcp_vendor_class", value)
    assert ident.manufacturer is None
    assert not any(ev.signature == "engine.maker_words.leading_company" for ev in ident.evidence)


@pytest.mark.parametrize(
    "value",
    [
        "Northgate Echo X100",  # a product word of maker_words.yaml product_words, not the first word
        "Northgate Kit X100",
        "Northgate Doorbell D1",
        "Northgate Hub X2",  # a device class of device_types.yaml (not repeated in product_words)
        "Northgate TV X2",
        "Northgate VoIP X2",
    ],
)
def test_a_product_or_class_word_anywhere_makes_no_company(engine, value) -> None:
    ident = _one(engine, "dhcp_vendor_class", value)
    assert ident.manufacturer is None


@pytest.mark.parametrize(
    "value", ["Shenzhen Widgets X100", "Hong Kong Widgets X100", "Hongkong Widgets X100"]
)
def test_a_place_that_leads_a_vendor_class_names_no_company(engine, value) -> None:
    # invented: the places that lead registrants' names are company_words.yaml `places`, read from there (not a copy
    # in maker_words.yaml generic); "Hong Kong" is the words hong and kong there
    assert _one(engine, "dhcp_vendor_class", value).manufacturer is None


@pytest.mark.parametrize("kind", ["html_title", "snmp_sysdescr"])
def test_a_room_name_names_no_company(engine, kind) -> None:
    # product words name no one in the index either: a meeting room's display titled "Board Room" is not the IEEE
    # registrant "The Board Room Inc." (before product_words joined the index's stop words, it was)
    ident = _one(engine, kind, "Board Room")
    assert ident.manufacturer is None


def test_each_stop_word_is_listed_once(engine) -> None:
    import yaml

    from camscan.identify.maker_words import words_of

    path = Path(__file__).resolve().parents[2] / "vendor_signatures" / "maker_words.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    lists = {
        f"not_makers.{g['group']}": [" ".join(words_of(w)) for w in g["words"]] for g in doc["not_makers"]
    }
    lists["generic"] = [" ".join(words_of(w)) for w in doc["generic"]["words"]]
    lists["product_words"] = [" ".join(words_of(w)) for w in doc["product_words"]["words"]]
    seen: dict[str, str] = {}
    for name, words in lists.items():
        for w in words:
            assert w not in seen, f"{w!r} is listed in {seen[w]} and {name}"
            seen[w] = name
    types = engine.knowledge.device_types
    assert not [w for w in lists["product_words"] if types.canonical(w) is not None]  # device_types.yaml's
