"""Issue 11 item 2: the type of non-cameras comes from the product line (model prefixes the maker documents) and
from the kind a device names in its product name; none of these rules makes anything a camera, and a camera word the
device states is never overridden by a non-video kind word (look-alikes below)."""

from __future__ import annotations

import pytest

from camscan.model import Observation


def upnp(maker: str, model: str) -> list[Observation]:
    return [Observation("upnp_device", {"manufacturer": maker, "modelName": model})]


@pytest.mark.parametrize(
    ("maker", "model", "device_type"),
    [
        # invented descriptions holding real model names of the makers' product pages (product_lines.yaml sources)
        ("Yamaha Corporation", "RX-V685", "av_receiver"),
        ("Yamaha Corporation", "RX-A880", "av_receiver"),
        ("Yamaha Corporation", "TSR-700", "av_receiver"),
        ("Yamaha Corporation", "RTX1220", "router"),
        ("Yamaha Corporation", "WLX222", "access_point"),
        ("Denon", "AVR-S960H", "av_receiver"),
        ("Denon", "Denon AVC-X6800H", "av_receiver"),
        ("Marantz", "SR8015", "av_receiver"),
        ("Marantz", "Marantz NR1200", "av_receiver"),
        ("Marantz", "Cinema 40", "av_receiver"),
    ],
)
def test_receivers_routers_by_product_line(engine, maker, model, device_type):
    ident = engine.identify(upnp(maker, model))
    assert ident.device_type == device_type
    assert ident.is_camera is False


def test_yamaha_nvr_routers_are_no_video_recorders(engine):
    """Yamaha's NVR510 / NVR700W are broadband VoIP routers: the NVR kind word in the model must not make a recorder."""
    for model in ("NVR510", "NVR700W"):
        ident = engine.identify(upnp("Yamaha Corporation", model))
        assert ident.device_type == "router", model
        assert ident.is_camera is False


@pytest.mark.parametrize("model", ["R-N803", "YAS-209", "CX-A5200", "RX-Vintage"])
def test_other_yamaha_models_get_no_receiver_line(engine, model):
    # stereo network receivers, sound bars and processors are not typed by the AV-receiver line (invented last one)
    ident = engine.identify(upnp("Yamaha Corporation", model))
    assert ident.device_type != "av_receiver"
    assert ident.is_camera is False


def test_a_receiver_maker_alone_types_nothing(engine):
    for maker in ("Denon", "Marantz", "Yamaha Corporation"):
        ident = engine.identify([Observation("upnp_device", {"manufacturer": maker})])
        assert ident.device_type is None and ident.is_camera is False


# ----------------------------------------------------------------------------- kinds named in product names
# (kind_words.yaml: light, print_server, printer, tv, game_console, nas, ups — after `camera` in `order`). Invented
# values; none is a corpus value.


def one(engine, kind: str, value):
    return engine.identify([Observation(kind, value)])


@pytest.mark.parametrize(
    ("kind", "value", "device_type"),
    [
        ("html_title", "Key Light Air Settings", "light"),
        (
            "upnp_device",
            {"manufacturer": "Quux", "modelName": "QS-1", "modelDescription": "RGB LED Light Strip"},
            "light",
        ),
        ("dhcp_vendor_class", "AcmePrinter", "printer"),
        ("html_title", "Imprimante laser - état", "printer"),
        ("html_title", "Network Print Server", "print_server"),
        ("upnp_device", {"manufacturer": "Quux", "modelName": "Q65", "modelDescription": "OLED TV"}, "tv"),
        ("dhcp_vendor_class", "PS5", "game_console"),
        ("http_server", "Xbox/3", "game_console"),
        ("html_title", "TeraStation Web Admin", "nas"),
        ("html_title", "Back-UPS Pro Status", "ups"),
        ("dhcp_vendor_class", "WIRELESS-AP:AP3935", "access_point"),
        ("html_title", "Wireless Access Point Configuration", "access_point"),
    ],
)
def test_a_product_name_types_a_non_camera(engine, kind, value, device_type):
    ident = one(engine, kind, value)
    assert ident.device_type == device_type
    assert ident.is_camera is False


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        # a camera floodlight is a camera: the camera word ranks first, the light word never overrides it
        ("html_title", "Floodlight Camera Pro"),
        (
            "upnp_device",
            {
                "manufacturer": "Quux",
                "modelName": "QF-2",
                "modelDescription": "Spotlight Camera with LED Light Strip",
            },
        ),
        # "TV" inside "CCTV" names no TV
        ("html_title", "CCTV Network Camera"),
    ],
)
def test_a_camera_word_is_never_overridden_by_a_non_video_kind(engine, kind, value):
    ident = one(engine, kind, value)
    assert ident.device_type == "camera" and ident.is_camera


@pytest.mark.parametrize(
    ("kind", "value", "never"),
    [
        ("html_title", "Floodlight", "light"),  # a bare "light" word (a camera floodlight may say only this)
        (
            "html_title",
            "Ring Light Settings",
            "light",
        ),  # Ring, the camera maker; Elgato's Ring Light is its product line
        ("html_title", "Hue Lightstrip App", "light"),
        ("html_title", "Creality 3D Printer Webcam", "printer"),
        ("html_title", "OctoPrint", "printer"),
        ("http_server", "CUPS/2.4 IPP/2.1", "printer"),
        ("html_title", "Smart TV Box", "tv"),
        ("html_title", "Fire TV Stick", "tv"),
        ("http_server", "CCTV Web Server", "tv"),
        ("html_title", "PS4 Remote Play", "game_console"),
        ("html_title", "Xbox Wireless Adapter", "game_console"),
        ("html_title", "PS/2 Keyboard", "game_console"),
        ("html_title", "RADIUS NAS Clients", "nas"),
        ("html_title", "UPS Tracking", "ups"),
        ("html_title", "Rack PDU Network Management Card", "ups"),
        ("html_title", "GNSS Receiver", "av_receiver"),
        ("html_title", "Access Point Name (APN) Settings", "access_point"),  # a cellular setting
        ("html_title", "Smart Plug - Access Point Mode", "access_point"),  # a setup network of another device
    ],
)
def test_look_alikes_of_non_video_kinds(engine, kind, value, never):
    ident = one(engine, kind, value)
    assert ident.device_type != never
    assert ident.is_camera is False


def test_a_product_name_key_never_makes_a_camera(engine):
    """productName is read for the non-video kinds only: a camera word there is for the makers' signatures."""
    body = '{"productName": "Quux 4K Network Camera", "firmwareVersion": "1.2.3"}'
    ident = one(engine, "http_path", {"path": "/info", "status": 200, "headers": {}, "body": body})
    assert ident.device_type is None and not ident.is_camera
    body = '{"productName": "Quux Key Light", "firmwareVersion": "1.2.3"}'
    ident = one(engine, "http_path", {"path": "/info", "status": 200, "headers": {}, "body": body})
    assert ident.device_type == "light" and not ident.is_camera


def test_a_3d_printer_is_no_office_printer(engine):
    ident = one(engine, "html_title", "Prusa 3D printer camera")
    assert ident.device_type == "printer_3d" and not ident.is_camera
