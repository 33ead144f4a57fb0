"""Makers stated by key inside a device's identity object (vendor_signatures/identity_objects.yaml `manufacturer`,
`brand`, `product`; camscan/identify/engine.py `_identity_object_makers`). Every value here is invented unless a
comment says where it is from; none is a corpus value."""

from __future__ import annotations

import json

import pytest

from camscan.identify.engine import IDENTITY_OBJECT, get_engine
from camscan.model import Evidence, Identity, Observation


@pytest.fixture(scope="module")
def engine():
    return get_engine()


def _body(doc: object) -> Observation:
    return Observation("http_body", doc if isinstance(doc, str) else json.dumps(doc))


def _maker_evidence(ident: Identity) -> list[Evidence]:
    return [
        ev
        for ev in ident.evidence
        if ev.signature.startswith(IDENTITY_OBJECT + ".")
        and ev.signature.rsplit(".", 1)[-1] in ("manufacturer", "brand")
    ]


# ------------------------------------------------------------------------------------------------ read as makers
@pytest.mark.parametrize(
    ("doc", "maker"),
    [
        # a key naming the maker beside the model and type, nested once (the shape of a camera API's device info)
        (
            {
                "device_info": {
                    "basic_info": {
                        "device_model": "QC-20",
                        "device_type": "QX.CAMERA",
                        "manufacturer_name": "TP-LINK",
                    }
                }
            },
            "TP-Link",
        ),
        # upper case and a legal form fold to the listed maker
        (
            {"model": "QX-7", "mac": "0A1B2C3D4E5F", "manufacturer": "VIVOTEK INC."},
            "Vivotek",
        ),
        ({"deviceModel": "QX-8", "serialNumber": "QX80000001", "vendor": "axis"}, "Axis"),
        # an unlisted maker is reported as spelled, less its legal form (open world)
        ({"model": "QZ-1", "mac": "0A1B2C3D4E5F", "make": "Quuxcam Vision Co., Ltd."}, "Quuxcam Vision"),
        # key=value lines and XML elements
        ("model=QC-3\nmanufacturer=Zorblyx\nmacaddr=0A:1B:2C:3D:4E:5F\n", "Zorblyx"),
        ("<info><serialNumber>QS0042</serialNumber><vendorName>Zorblyx</vendorName></info>", "Zorblyx"),
    ],
)
def test_a_maker_key_in_the_identity_object_names_the_manufacturer(engine, doc, maker):
    ident = engine.identify([_body(doc)])
    assert ident.manufacturer == maker
    assert [ev.asserts for ev in _maker_evidence(ident)] == [{"manufacturer": maker}]


def test_a_brand_key_names_the_label_and_the_maker_stands_in_through_vendors_yaml(engine):
    ident = engine.identify([_body({"model": "QC-5", "mac": "0A1B2C3D4E5F", "brand": "tapo"})])
    assert ident.brand == "Tapo"
    assert ident.manufacturer == "TP-Link"  # vendors.yaml: Tapo made_by TP-Link (documented)


def test_brand_and_manufacturer_stated_apart_are_kept_apart(engine):
    doc = {
        "deviceModel": "QV-2",
        "serialNumber": "QV20000001",
        "brand": "Quuxview",
        "manufacturer": "Zorblyx",
    }
    ident = engine.identify([_body(doc)])
    assert (ident.brand, ident.manufacturer) == ("Quuxview", "Zorblyx")


def test_a_product_name_names_the_listed_maker_it_starts_with(engine):
    ident = engine.identify(
        [_body({"device_model": "QH-9", "device_type": "QX.HUB", "product_name": "Tapo Quux Hub"})]
    )
    assert (ident.brand, ident.manufacturer) == ("Tapo", "TP-Link")


def test_a_maker_key_outranks_a_product_name(engine):
    doc = {"model": "QC-9", "mac": "0A1B2C3D4E5F", "productName": "Tapo Quux Cam", "manufacturer": "Zorblyx"}
    assert engine.identify([_body(doc)]).manufacturer == "Zorblyx"


# -------------------------------------------------------------------------------------------------- look-alikes
@pytest.mark.parametrize(
    "doc",
    [
        # placeholders (placeholders.yaml)
        {"model": "QC-1", "mac": "0A1B2C3D4E5F", "manufacturer": "Manufacturer"},
        {"model": "QC-1", "mac": "0A1B2C3D4E5F", "vendor": "Generic"},
        {"model": "QC-1", "mac": "0A1B2C3D4E5F", "brand": "NONE"},
        {"model": "QC-1", "mac": "0A1B2C3D4E5F", "manufacturer": "IPCamera"},
        # the maker of a network chip or module (vendors.yaml network_parts) is the part's
        {"model": "QC-1", "mac": "0A1B2C3D4E5F", "manufacturer": "Espressif"},
        # a part's, an accessory's, a child device's, a component's maker
        {
            "model": "QC-1",
            "mac": "0A1B2C3D4E5F",
            "lens": {"manufacturer": "Fujinon", "model": "QL-1", "serialNumber": "QL1"},
        },
        {"model": "QC-1", "mac": "0A1B2C3D4E5F", "sensor": {"vendor": "Sony", "model": "IMX307"}},
        {"model": "QC-1", "mac": "0A1B2C3D4E5F", "wifi": {"vendor": "Realtek", "model": "RTL8188"}},
        {
            "model": "QH-1",
            "mac": "0A1B2C3D4E5F",
            "child": {"manufacturer": "Aqara", "model": "QS-T1", "mac": "0A1B2C3D4E61"},
        },
        {"model": "QH-1", "mac": "0A1B2C3D4E5F", "children": [{"manufacturer": "Aqara", "model": "QS-T1"}]},
        {"model": "QC-1", "mac": "0A1B2C3D4E5F", "platform": {"vendor": "Ambarella", "model": "S2L"}},
        # a picture's metadata: the camera that took it (a photo frame's or an app's answer)
        {"model": "QF-1", "mac": "0A1B2C3D4E5F", "exif": {"Make": "Canon", "Model": "EOS 5D"}},
        {"deviceName": "frame", "serialNumber": "QF0001", "photo": {"make": "Nikon", "model": "D850"}},
        # a vendor key of a software component list, of an app, of an update offer
        {"model": "QC-1", "mac": "0A1B2C3D4E5F", "libraries": [{"name": "openssl", "vendor": "OpenSSL"}]},
        {"model": "QC-1", "mac": "0A1B2C3D4E5F", "app": {"vendor": "Hikvision", "name": "Hik-Connect"}},
        # a maker key in no identity object (a package manifest, a lone key)
        {"name": "qhttpd", "vendor": "Zorblyx", "version": "2.4.1"},
        {"manufacturer": "Zorblyx"},
        # a product name that does not start with a listed maker, or is the name alone
        {"model": "QC-1", "mac": "0A1B2C3D4E5F", "productName": "Camera for Hikvision NVR"},
        {"model": "QC-1", "mac": "0A1B2C3D4E5F", "productName": "Axis"},
        # a URL or an e-mail address is no maker's name
        {"model": "QC-1", "mac": "0A1B2C3D4E5F", "manufacturer": "https://www.example.com"},
        {"model": "QC-1", "mac": "0A1B2C3D4E5F", "vendor": "support@example.com"},
    ],
)
def test_look_alikes_name_no_maker(engine, doc):
    ident = engine.identify([_body(doc)])
    assert ident.manufacturer is None and ident.brand is None, ident.evidence


def test_two_answers_that_name_two_makers_name_none(engine):
    a = _body({"model": "QC-1", "mac": "0A1B2C3D4E5F", "manufacturer": "Zorblyx"})
    b = _body({"deviceModel": "QC-1", "serialNumber": "QC10000001", "manufacturer": "Quuxcam"})
    assert engine.identify([a, b]).manufacturer is None


def test_a_maker_any_signature_or_answer_states_wins(engine):
    onvif = Observation(
        "onvif_device_info", {"manufacturer": "Axis", "model": "M3045-V", "firmware_version": "9.80.1"}
    )
    ident = engine.identify(
        [onvif, _body({"model": "QC-1", "mac": "0A1B2C3D4E5F", "manufacturer": "Zorblyx"})]
    )
    assert ident.manufacturer == "Axis"
    assert _maker_evidence(ident) == []


def test_a_maker_read_by_key_never_types_the_device(engine):
    # Mobotix and Axis make video devices; a key naming them is no evidence of a camera
    for doc in (
        {"model": "QX-7", "mac": "0A1B2C3D4E5F", "manufacturer": "MOBOTIX AG"},
        {"model": "QC-1", "mac": "0A1B2C3D4E5F", "brand": "AXIS"},
        {"device_model": "QH-9", "device_type": "QX.HUB", "product_name": "Axis Quux Hub"},
    ):
        ident = engine.identify([_body(doc)])
        assert ident.manufacturer in ("Mobotix", "Axis")
        assert ident.device_type is None and not ident.is_camera, doc


# ------------------------------------------------------------------------ a maker protocol's type identifiers
def _tapo(family: str, model: str, **more: object) -> Observation:
    # invented, in the shape of a Tapo device's getDeviceInfo answer
    return _body({"device_info": {"basic_info": {"device_type": family, "device_model": model, **more}}})


@pytest.mark.parametrize(
    ("observation", "device_type", "brand"),
    [
        (_tapo("SMART.IPCAMERA", "C999"), "camera", None),
        (_tapo("SMART.TAPODOORBELL", "D999"), "camera", None),
        (
            _body({"system": {"type": "IOT.IPCAMERA", "model": "KC999(US)", "sw_ver": "1.0.0"}}),
            "camera",
            None,
        ),
        # the same protocol's plugs, hubs, chimes, bulbs, sensors: typed as such, never cameras
        (_tapo("SMART.TAPOHUB", "H999"), "hub", "Tapo"),
        (_tapo("SMART.KASAHUB", "KH999"), "hub", "Kasa"),
        (_body({"type": "SMART.TAPOCHIME", "model": "D999C", "fw_ver": "1.0.0"}), "chime", "Tapo"),
        (_body({"type": "SMART.TAPOPLUG", "model": "P999", "fw_ver": "1.0.0"}), "plug", "Tapo"),
        (_body({"type": "SMART.TAPOBULB", "model": "L999", "fw_ver": "1.0.0"}), "bulb", "Tapo"),
        (_body({"type": "SMART.TAPOSENSOR", "model": "T999", "mac": "0A1B2C3D4E5F"}), "sensor", "Tapo"),
        (_body({"mic_type": "IOT.SMARTBULB", "model": "LB999(EU)", "sw_ver": "1.0.0"}), "bulb", None),
        (_body({"type": "IOT.SMARTPLUGSWITCH", "model": "HS999(US)", "sw_ver": "1.0.0"}), None, None),
    ],
)
def test_a_type_identifier_names_the_family_and_the_maker(engine, observation, device_type, brand):
    ident = engine.identify([observation])
    assert ident.manufacturer == "TP-Link"
    assert ident.device_type == device_type
    assert ident.brand == brand
    assert ident.is_camera == (device_type == "camera")


@pytest.mark.parametrize(
    "observation",
    [
        # a hub's child device list, a paired camera under `child`, the cloud's family list: not the device's family
        _body({"child_device_list": [{"type": "SMART.IPCAMERA", "model": "C997", "mac": "0A1B2C3D4E62"}]}),
        _body(
            {
                "device_info": {"device_model": "Q1", "mac": "0A1B2C3D4E5F"},
                "child": {"device_type": "SMART.IPCAMERA", "device_model": "C998"},
            }
        ),
        _body({"index": 0, "deviceTypeList": ["SMART.IPCAMERA", "SMART.TAPODOORBELL"], "limit": 30}),
        # an identifier under no type key, alone, or a family no list names
        _body({"model": "Q1", "mac": "0A1B2C3D4E5F", "note": "SMART.IPCAMERA"}),
        _body({"type": "SMART.IPCAMERA"}),
        _body({"model": "Q1", "mac": "0A1B2C3D4E5F", "type": "SMART.QUUXCAM"}),
    ],
)
def test_look_alikes_of_a_type_identifier_are_not_read(engine, observation):
    # (the kind a type value spells, "…IPCAMERA", is kind_words.yaml's reading, a fallback of its own)
    ident = engine.identify([observation])
    assert not any(ev.signature.endswith(".type_id") for ev in ident.evidence)
    assert ident.manufacturer is None


def test_a_hub_answer_with_a_paired_camera_stays_a_hub(engine):
    doc = {
        "device_info": {"device_type": "SMART.TAPOHUB", "device_model": "H999"},
        "child": {"device_type": "SMART.IPCAMERA", "device_model": "C998"},
    }
    ident = engine.identify([_body(doc)])
    assert (ident.device_type, ident.is_camera) == ("hub", False)


def test_a_listed_familys_type_is_a_reportable_word_and_its_maker_a_listed_vendor(engine):
    types = engine.knowledge.device_types
    assert types is not None and engine.identity_objects.type_ids
    for meaning in engine.identity_objects.type_ids.values():
        assert meaning.manufacturer in engine.vendors, meaning
        assert meaning.device_type is None or types.reportable(meaning.device_type) == meaning.device_type, (
            meaning
        )
