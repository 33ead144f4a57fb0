"""One notion of "not the device itself" (identity_objects.yaml `not_under`: a child device, an accessory, a paired
device, a part, an update), read by the identity-object reader and the kind words alike; and a product family's
name that holds a class noun ("Nintendo Switch") types no network switch. All answers invented."""

from __future__ import annotations

import json

import pytest

from camscan.identify.identity_objects import names_other, values_of_others
from camscan.model import Observation


def _body(doc: object) -> Observation:
    return Observation("http_body", json.dumps(doc))


def _tapo_hub(**more: object) -> dict[str, object]:
    return {"device_info": {"basic_info": {"device_type": "SMART.TAPOHUB", "device_model": "QX-H1"}}, **more}


# ---------------------------------------------------------------- a stated class is read in one place only
def test_no_regex_signature_reads_a_tapo_class_any_more(engine):
    # the identity-object reader (type_identifiers) is the one path for SMART.<family>
    ids = [s.id for s in engine.knowledge.signatures if "smart_class" in s.id]
    assert ids == []


@pytest.mark.parametrize(
    "children",
    [
        {
            "child_device_list": [
                {"device_type": "SMART.TAPODOORBELL", "model": "QX-D1", "mac": "0A1B2C3D4E62"}
            ]
        },
        {"child_device_list": [{"type": "SMART.IPCAMERA", "model": "QX-C1", "mac": "0A1B2C3D4E63"}]},
        {"child": {"device_type": "SMART.TAPODOORBELL", "device_model": "QX-D2"}},
        {"children": [{"device_type": "SMART.IPCAMERA", "name": "Front door camera"}]},
        {"paired_devices": [{"type": "SMART.TAPODOORBELL", "name": "Doorbell"}]},
    ],
)
def test_a_hubs_answer_with_a_doorbell_or_camera_child_is_a_hub(engine, children):
    ident = engine.identify([_body(_tapo_hub(**children))])
    assert (ident.device_type, ident.is_camera, ident.manufacturer) == ("hub", False, "TP-Link")


def test_a_doorbells_own_class_still_makes_a_camera(engine):
    doc = {"device_info": {"basic_info": {"device_type": "SMART.TAPODOORBELL", "device_model": "QX-D1"}}}
    ident = engine.identify([_body(doc)])
    assert (ident.device_type, ident.is_camera) == ("camera", True)


# ------------------------------------------------------------------------ kind words skip what is not the device
@pytest.mark.parametrize(
    "doc",
    [
        {
            "model": "QH-1",
            "mac": "0A1B2C3D4E5F",
            "child_device_list": [{"type": "SMART.IPCAMERA", "model": "C997"}],
        },
        {"model": "QH-1", "mac": "0A1B2C3D4E5F", "child": {"type": "SMART.IPCAMERA", "model": "C997"}},
        {"model": "QH-1", "mac": "0A1B2C3D4E5F", "children": [{"name": "Front door camera"}]},
        {"model": "QR-1", "mac": "0A1B2C3D4E5F", "channels": [{"name": "IP Camera 1"}]},
        {"model": "QH-1", "mac": "0A1B2C3D4E5F", "accessory": {"device_type": "IPCamera"}},
        {"model": "QH-1", "mac": "0A1B2C3D4E5F", "subDeviceList": [{"deviceType": "Network Camera"}]},
        {"model": "QH-1", "mac": "0A1B2C3D4E5F", "update": {"description": "Network camera firmware"}},
    ],
)
def test_a_kind_word_of_a_child_accessory_or_part_never_makes_the_parent_a_camera(engine, doc):
    ident = engine.identify([_body(doc)])
    assert not ident.is_camera, doc
    assert not any(ev.signature.startswith("engine.kind_words") for ev in ident.evidence)


def test_a_kind_word_of_a_child_element_in_xml_is_not_read(engine):
    xml = "<root><deviceName>QH</deviceName><childList><child><deviceType>IPCamera</deviceType></child></childList></root>"
    assert not engine.identify([Observation("http_body", xml)]).is_camera


@pytest.mark.parametrize(
    "observation",
    [
        _body({"model": "QC-1", "mac": "0A1B2C3D4E5F", "device_type": "IPCamera"}),
        _body(
            {"device": {"deviceType": "Network Camera", "serial": "QC000001"}, "child": {"name": "QX siren"}}
        ),
        Observation(
            "http_body",
            "<root><deviceType>IPCamera</deviceType><childList><child><name>siren</name></child></childList></root>",
        ),
    ],
)
def test_the_devices_own_kind_word_is_still_read(engine, observation):
    assert engine.identify([observation]).is_camera


def test_the_notion_is_the_identity_objects_one(engine):
    not_device = engine.identity_objects.not_device
    assert engine.kind_words.not_device == not_device
    assert {"child", "accessory", "update", "lens"} <= not_device
    assert names_other("child_device_list", not_device) and names_other("channelList", not_device)
    assert not names_other("device_info", not_device) and not names_other("list", not_device)
    assert values_of_others('{"a": {"child": {"type": "x"}}, "type": "y"}', not_device) == {("type", "x")}
    assert values_of_others("not json {", not_device) == set()


# --------------------------------------------------------------------- a product family's name is not its class
@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("html_title", "Nintendo Switch"),
        ("html_title", "Nintendo Switch Lite"),
        ("snmp_sysdescr", "Nintendo Switch 2"),
        ("dhcp_hostname", "Nintendo-Switch"),
    ],
)
def test_a_console_named_switch_is_no_network_switch(engine, kind, text):
    ident = engine.identify([Observation(kind, text)])
    assert ident.device_type == "game_console" and ident.manufacturer == "Nintendo"


@pytest.mark.parametrize(
    ("text", "device_type"),
    [
        ("Cisco Switch", "switch"),
        ("Cisco Catalyst 2960 Switch", "switch"),
        ("Netgear GS108 Smart Switch", "switch"),
        ("Dlink DES-3018 Fast Ethernet Switch", "switch"),
    ],
)
def test_a_makers_switch_is_still_a_switch(engine, text, device_type):
    assert engine.identify([Observation("snmp_sysdescr", text)]).device_type == device_type


@pytest.mark.parametrize(
    ("doc", "device_type", "manufacturer", "model"),
    [
        # a list named after a child device or an accessory (`childDeviceList`, `accessoryList`), even as an object
        (
            {
                "device_info": {"device_type": "SMART.TAPOHUB", "device_model": "QX-H1"},
                "childDeviceList": {"device": {"device_type": "SMART.IPCAMERA", "device_model": "QX-C1"}},
            },
            "hub",
            "TP-Link",
            None,
        ),
        (
            {
                "model": "QH-1",
                "mac": "0A1B2C3D4E5F",
                "accessoryList": {"cam": {"manufacturer": "Quuxcam", "model": "QC-9"}},
            },
            None,
            None,
            "QH-1",
        ),
    ],
)
def test_the_identity_object_reader_skips_a_list_named_after_another_thing(
    engine, doc, device_type, manufacturer, model
):
    ident = engine.identify([_body(doc)])
    assert (ident.device_type, ident.manufacturer, ident.model, ident.is_camera) == (
        device_type,
        manufacturer,
        model,
        False,
    )
