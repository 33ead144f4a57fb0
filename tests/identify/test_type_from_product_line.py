"""Issue 11 item 2 on the shipped data: a maker's name never makes a device a camera; its product line does.

The makers the issue names sell plugs, hubs, sensors, speakers, intercoms and door controllers beside cameras;
the same UPnP statement (maker and model) gives each its own type."""

from __future__ import annotations

import pytest

from camscan.model import Observation


@pytest.mark.parametrize(
    ("maker", "model", "device_type"),
    [
        ("AXIS", "C1004-E", "speaker"),
        ("AXIS", "A8105-E", "intercom"),
        ("AXIS", "A1001", "access_control"),
        ("D-Link", "DSP-W215", "plug"),
        ("D-Link", "DCH-S150", "sensor"),
        ("Edimax", "SP-1101W", "plug"),
        ("TP-Link", "HS100", "plug"),
        ("Hikvision", "DS-PWA64-L-WE", "alarm_panel"),
        ("Edimax", "IC-3115W", "camera"),
        ("D-Link", "DCS-935L", "camera"),
        ("TP-Link", "Tapo C200", "camera"),
    ],
)
def test_the_product_line_not_the_maker_says_what_it_is(engine, maker, model, device_type):
    ident = engine.identify([Observation("upnp_device", {"manufacturer": maker, "modelName": model})])
    assert ident.device_type == device_type
    assert ident.is_camera == (device_type == "camera")


@pytest.mark.parametrize("maker", ["D-Link", "Edimax", "AXIS", "TP-Link", "Bosch", "Hikvision"])
def test_a_maker_alone_is_no_camera(engine, maker):
    ident = engine.identify([Observation("upnp_device", {"manufacturer": maker})])
    assert ident.manufacturer and not ident.is_camera and ident.device_type is None
