"""A maker named at the start of a stated product name (maker_words.yaml `product_names`; engine
`_makers_in_product_names`): "<maker> <product>" in a JSON productName, a UPnP modelName, an XML or ONVIF model.

Every value here is invented (marked), in the shapes of the real answers the rule's source cites (a Roku device
description's modelName "Roku Ultra", Sonos speakers' "Sonos One", Elgato's accessory-info productName).
"""

from __future__ import annotations

import json

import pytest

from camscan.identify.engine import MAKER_WORDS, get_engine
from camscan.model import Observation

RULE = f"{MAKER_WORDS}.product_name"


@pytest.fixture(scope="module")
def engine():
    return get_engine()


def _accessory_info(product: str) -> Observation:
    body = json.dumps(
        {"productName": product, "firmwareVersion": "9.9.9", "serialNumber": "XX00000000"}
    )  # invented
    return Observation(
        "http_path", {"path": "/elgato/accessory-info", "status": 200, "headers": {}, "body": body}
    )


def _makers(ident) -> list[str]:
    return [ev.asserts["manufacturer"] for ev in ident.evidence if ev.signature == RULE]


@pytest.mark.parametrize(
    ("observation", "maker"),
    [
        (_accessory_info("Elgato Ring Light Pro"), "Elgato"),  # invented product
        (Observation("upnp_device", {"modelName": "Roku Streambar 9"}), "Roku"),  # invented
        (Observation("upnp_device", {"modelName": "Sonos Era 900"}), "Sonos"),  # invented
    ],
)
def test_a_product_name_that_starts_with_a_maker_names_it(engine, observation, maker):
    ident = engine.identify([observation])
    assert ident.manufacturer == maker and _makers(ident) == [maker]
    (ev,) = [e for e in ident.evidence if e.signature == RULE]
    assert ev.weight == engine.maker_words.weight and "product name" in (ev.note or "")
    assert not ident.is_camera  # a maker's name never types a device by itself


@pytest.mark.parametrize(
    "observation",
    [
        _accessory_info("Key Light by Elgato"),  # the name not first
        _accessory_info("Elgato"),  # the name alone: a name field, no product after it
        _accessory_info("Linux Media Server 2"),  # an operating system (not_makers)
        _accessory_info("Realtek Embedded UPnP Render"),  # a chip maker's reference firmware
        _accessory_info("ESP32-CAM Board"),  # a chip, not a maker in vendors.yaml
        _accessory_info("Ultra Light Panel"),  # registrants' words alone never count here
        Observation(
            "upnp_device", {"modelName": "Windows Media Connect compatible (minidlna)"}
        ),  # MiniDLNA's default
        Observation("upnp_device", {"modelName": "Generic"}),  # a placeholder
    ],
)
def test_look_alikes_name_no_maker(engine, observation):
    ident = engine.identify([observation])
    assert _makers(ident) == [] and ident.manufacturer is None, ident.manufacturer


def test_a_maker_the_device_states_outranks_its_product_name(engine):
    """The rule is a fallback: a device description that names its manufacturer keeps that maker (a lighting brand
    sold under another company's name: the product name is the label, the manufacturer field the maker)."""
    ident = engine.identify(
        [Observation("upnp_device", {"manufacturer": "Signify", "modelName": "Philips hue bridge 2099"})]
    )  # invented
    assert _makers(ident) == [] and ident.manufacturer != "Philips"


def test_two_product_names_naming_two_makers_name_none(engine):
    ident = engine.identify(
        [
            _accessory_info("Elgato Key Light Zero"),
            Observation("upnp_device", {"modelName": "Roku Streambar 9"}),
        ]
    )  # invented
    assert _makers(ident) == []


def test_kinds_the_rule_does_not_read(engine):
    """A model a banner rule read (not a device-information field) is not re-read: an HTML title goes through the
    maker words of its own kind."""
    assert "html_title" not in engine.maker_words.product_name_kinds
    assert {
        "upnp_device",
        "http_path",
        "http_body",
        "onvif_device_info",
    } <= engine.maker_words.product_name_kinds


@pytest.mark.parametrize(
    ("value", "maker", "model"),
    [
        ("Mod=Kyocera ECOSYS M2040dn", "Kyocera", "Kyocera ECOSYS M2040dn"),  # invented: the model key alone
        ("Typ=MFP;Mod=Brother MFC-L2710DW", "Brother", "Brother MFC-L2710DW"),  # invented: after the type key
        ("mfg=Kyocera", "Kyocera", None),  # invented: the maker key alone, lower-case key
        (
            "Typ=MFP;Mod=Office Printer 9000",
            None,
            "Office Printer 9000",
        ),  # invented: a model naming no maker, nor following a maker's numbering, names none
        (
            "Typ=MFP;Mod=AltaLink C8130",
            "Xerox",
            "AltaLink C8130",
        ),  # invented: no maker's name, but Xerox's numbering (product_lines.yaml model_makers) names Xerox
        ("Typ=MFP;Mod=Lexmark", None, "Lexmark"),  # Satori's shape: a maker's name alone is no product name
    ],
)
def test_ieee1284_keys_in_a_dhcp_vendor_class(engine, value, maker, model):
    """The IEEE 1284 device-ID keys printers put in their DHCP vendor class, read one by one (Satori lists them
    alone and out of order: 'Mfg=Xerox', 'Mod=WorkCentre 7125'); the model key's value names its maker only when it
    starts with a maker's name and a product follows."""
    ident = engine.identify([Observation("dhcp_vendor_class", value)])
    assert ident.manufacturer == maker and ident.model == model
    assert not ident.is_camera


def test_the_full_ieee1284_form_is_one_statement(engine):
    """The full "Mfg=…;Typ=…;Mod=…" form is read by the printer reader alone: the key readers add no second statement
    of the same facts (issue 11 item 3)."""
    ident = engine.identify(
        [Observation("dhcp_vendor_class", "Mfg=Brother;Typ=MFP;Mod=Brother MFC-L2710DW;Ser=X0")]
    )  # invented
    statements = [ev.signature for ev in ident.evidence if not ev.signature.startswith("product_line.")]
    assert statements == ["generic.dhcp_vendor_class.ieee1284_printer"]
    # Brother's MFC family (product_lines.yaml brother.multifunction) refines the reader's printer, as Typ=MFP says
    assert ident.manufacturer == "Brother" and ident.device_type == "multifunction"


@pytest.mark.parametrize("piece", ["; ", "a  ;", " ", "Mfg=x;", "Mod=a ", "1a:", "a1", "-1a"])
def test_the_new_readers_are_linear_on_hostile_input(engine, piece):
    """The IEEE 1284 key readers and the host-name shape at the byte cap, on repeated pieces of their own syntax (a
    nested `(?:[^;]*;\\s*)*` was exponential on '; ; ; …' before it was written `(?:[^;]*;)*\\s*`)."""
    import time

    from camscan.identify.signatures import MAX_FIELD_LEN

    text = (piece * MAX_FIELD_LEN)[: MAX_FIELD_LEN - 1] + "="
    started = time.perf_counter()
    for kind in ("dhcp_vendor_class", "dhcp_hostname"):
        engine.identify([Observation(kind, text)])
    assert time.perf_counter() - started < 5.0
