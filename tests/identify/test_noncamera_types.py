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
