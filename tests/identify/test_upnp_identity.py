"""UPnP descriptions say what a device is (deviceType, modelDescription) and whose site its maker is
(manufacturerURL): the parser keeps those fields and the engine uses them (issue 11, items 1 and 2)."""

from __future__ import annotations

import pytest

from camscan.identify.engine import MAKER_URL_WEIGHT
from camscan.model import Observation
from camscan.parse.upnp import parse_description, upnp_observations

# Axis M1014 description as quoted in a public test of a UPnP library (deviceType Basic, modelDescription
# "AXIS M1014 Fixed Network Camera"); the UDN and service list are left out.
AXIS = (
    b'<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><specVersion><major>1</major>'
    b"<minor>0</minor></specVersion><device><deviceType>urn:schemas-upnp-org:device:Basic:1</deviceType>"
    b"<friendlyName>AXIS M1014 - ACCC8E270AD8</friendlyName><manufacturer>AXIS</manufacturer>"
    b"<manufacturerURL>http://www.axis.com/</manufacturerURL><modelDescription>AXIS M1014 Fixed Network Camera"
    b"</modelDescription><modelName>AXIS M1014</modelName><modelNumber>M1014</modelNumber>"
    b"<modelURL>http://www.axis.com/</modelURL><serialNumber>ACCC8E270AD8</serialNumber></device></root>"
)


def upnp(value: dict[str, str]) -> Observation:
    return Observation(kind="upnp_device", value=value)


def test_a_described_camera_is_a_camera(engine):
    [(kind, value)] = upnp_observations(parse_description(AXIS))
    ident = engine.identify([Observation(kind=kind, value=value)])
    assert (ident.manufacturer, ident.model, ident.device_type) == ("Axis", "M1014", "camera")
    assert ident.is_camera


@pytest.mark.parametrize(
    ("device_type", "expected"),
    [
        ("urn:schemas-upnp-org:device:InternetGatewayDevice:1", "router"),
        ("urn:schemas-upnp-org:device:MediaRenderer:1", "media_player"),
        ("urn:schemas-upnp-org:device:ZonePlayer:1", "speaker"),
        ("urn:Belkin:device:controllee:1", "plug"),
        ("urn:schemas-upnp-org:device:DigitalSecurityCamera:1", "camera"),
        ("urn:schemas-upnp-org:device:Basic:1", None),
    ],
)
def test_device_type_urn_gives_the_type(engine, device_type, expected):
    ident = engine.identify([upnp({"deviceType": device_type, "friendlyName": "Living room"})])
    assert ident.device_type == expected
    assert ident.is_camera == (expected == "camera")


def test_a_photo_camera_is_not_a_network_camera(engine):
    """A Canon EOS Rebel T6 describes itself as 'Canon Digital Camera' on a Basic device: no surveillance camera."""
    ident = engine.identify(
        [
            upnp(
                {
                    "deviceType": "urn:schemas-upnp-org:device:Basic:1",
                    "manufacturer": "Canon",
                    "manufacturerURL": "http://www.canon.com/",
                    "modelDescription": "Canon Digital Camera",
                    "modelName": "Canon EOS Rebel T6",
                }
            )
        ]
    )
    assert ident.manufacturer == "Canon" and not ident.is_camera


def test_the_maker_url_names_the_label(engine):
    """manufacturerURL alone names the brand at a weak weight; with the manufacturer field it is one vote."""
    alone = engine.identify([upnp({"manufacturerURL": "http://www.belkin.com", "modelName": "Insight"})])
    assert alone.brand == "Belkin" and alone.manufacturer == "Belkin"
    assert alone.field_confidence["brand"] == pytest.approx(MAKER_URL_WEIGHT)
    both = engine.identify(
        [upnp({"manufacturer": "Belkin International Inc.", "manufacturerURL": "http://www.belkin.com"})]
    )
    assert both.brand == "Belkin" and "brand" not in both.conflicts
    nobody = engine.identify([upnp({"manufacturerURL": "http://192.168.1.10/", "modelName": "X1"})])
    assert nobody.brand is None and nobody.manufacturer is None


@pytest.mark.parametrize(
    ("url", "vendor"),
    [
        ("http://www.dlink.com", "D-Link"),
        ("https://us.dlink.com/en/consumer", "D-Link"),
        ("http://www.tp-link.com/", "TP-Link"),
        ("www.sony.co.jp", "Sony"),
        ("http://www.example.com", None),
        ("http://10.0.0.1:8080/", None),
        ("", None),
        ("not a url", None),
    ],
)
def test_resolve_url(engine, url, vendor):
    assert engine.vendors.resolve_url(url) == vendor


def test_listed_domains_win_and_ambiguous_labels_name_nobody():
    from camscan.identify.vendors import Vendor, VendorRegistry

    reg = VendorRegistry(
        {
            "Acme Vision": Vendor("Acme Vision", "manufacturer", True, domains=["acme-cctv.example"]),
            "Foo": Vendor("Foo", "manufacturer", False, aliases=["F-O-O"]),
            "F.O.O.": Vendor("F.O.O.", "manufacturer", False),
        },
        {},
        "test",
    )
    assert reg.resolve_url("http://www.acme-cctv.example/products") == "Acme Vision"
    assert reg.resolve_url("https://support.acme-cctv.example") == "Acme Vision"
    assert reg.resolve_url("http://foo.com") is None  # "foo" spells two vendors


@pytest.mark.parametrize(
    ("txt", "expected"),
    [
        (["c#=1", "ff=1", "id=0A:0B:0C:0D:0E:0F", "md=Example", "pv=1.1", "s#=1", "sf=1", "ci=17"], "camera"),
        (["c#=1", "id=0A:0B:0C:0D:0E:0F", "md=Example", "ci=18"], "camera"),
        ({"c#": "4", "ci": "7", "md": "Example"}, "plug"),
        (["c#=1", "id=0A:0B:0C:0D:0E:0F", "md=Example", "ci=1"], None),
        (["c#=1", "id=0A:0B:0C:0D:0E:0F", "md=Example", "ci=170"], None),
    ],
)
def test_homekit_category_gives_the_type(engine, txt, expected):
    """A HomeKit accessory declares its category (HAP `ci`): 17 IP camera, 18 video doorbell, 7 outlet, 1 other."""
    ident = engine.identify(
        [Observation(kind="mdns", value={"name": "Example", "type": "_hap._tcp", "txt": txt})]
    )
    assert ident.device_type == expected
    assert ident.is_camera == (expected == "camera")
