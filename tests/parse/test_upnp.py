"""SSDP datagrams and UPnP descriptions (AXIS M1014 description and libupnp SERVER string, upnp.yaml examples)."""

from __future__ import annotations

import pytest

from camscan.parse import ParseError
from camscan.parse.content import content_observations
from camscan.parse.http import parse_http_response
from camscan.parse.upnp import parse_description, parse_ssdp, ssdp_observations, upnp_observations

SERVER = "Linux/4.9.94-axis5, UPnP/1.0, Portable SDK for UPnP devices/1.6.22"
NOTIFY = (
    "NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nLOCATION: http://192.168.1.68:49152/rootdesc1.xml\r\n"
    f"NT: upnp:rootdevice\r\nNTS: ssdp:alive\r\nSERVER: {SERVER}\r\n\r\n"
).encode()
DESCRIPTION = (
    b'<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><specVersion><major>1</major></specVersion>'
    b"<device><deviceType>urn:schemas-upnp-org:device:Basic:1</deviceType><friendlyName>AXIS M1014 - ACCC8E270AD8"
    b"</friendlyName><manufacturer>AXIS</manufacturer><modelName>AXIS M1014</modelName><modelNumber>M1014"
    b"</modelNumber><serialNumber>ACCC8E270AD8</serialNumber><deviceList><device><manufacturer>Other</manufacturer>"
    b"</device></deviceList></device></root>"
)


def test_notify_and_search_reply() -> None:
    message = parse_ssdp(NOTIFY)
    assert message.kind == "notify" and message.location == "http://192.168.1.68:49152/rootdesc1.xml"
    assert ssdp_observations(message) == [("upnp_server", SERVER)]
    reply = parse_ssdp(b"HTTP/1.1 200 OK\r\nST: upnp:rootdevice\r\nServer: Cellvision UPnP/1.0\r\n\r\n")
    assert ssdp_observations(reply) == [("upnp_server", "Cellvision UPnP/1.0")]


def test_search_describes_nobody() -> None:
    search = (
        b'M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nST: ssdp:all\r\n\r\n'
    )
    assert ssdp_observations(parse_ssdp(search)) == []


def test_description_root_device_only() -> None:
    assert upnp_observations(parse_description(DESCRIPTION)) == [
        (
            "upnp_device",
            {
                "deviceType": "urn:schemas-upnp-org:device:Basic:1",
                "friendlyName": "AXIS M1014 - ACCC8E270AD8",
                "manufacturer": "AXIS",
                "modelName": "AXIS M1014",
                "modelNumber": "M1014",
                "serialNumber": "ACCC8E270AD8",
            },
        )
    ]


def test_description_through_http_content() -> None:
    response = parse_http_response(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n\r\n" + DESCRIPTION)
    assert content_observations(response).findings[0][0] == "upnp_device"


@pytest.mark.parametrize("data", [b"hello", b"", b"GET / HTTP/1.1\r\n\r\n"])
def test_not_ssdp(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_ssdp(data)


def test_not_a_description() -> None:
    with pytest.raises(ParseError):
        parse_description(b"<scpd><actionList/></scpd>")


# Belkin WeMo Insight (F7029V2) setup.xml as quoted by a public WeMo emulator script whose author recorded it from a
# real device with Wireshark; trimmed to the device fields (serial, UDN and service list left out, name emptied).
WEMO = (
    b'<?xml version="1.0"?><root xmlns="urn:Belkin:device-1-0"><specVersion><major>1</major><minor>0</minor>'
    b"</specVersion><device><deviceType>urn:Belkin:device:insight:1</deviceType><friendlyName></friendlyName>"
    b"<manufacturer>Belkin International Inc.</manufacturer><manufacturerURL>http://www.belkin.com</manufacturerURL>"
    b"<modelDescription>Belkin Insight 1.0</modelDescription><modelName>Insight</modelName>"
    b"<modelNumber>1.0</modelNumber><modelURL>http://www.belkin.com/plugin/</modelURL></device></root>"
)


def test_description_keeps_what_says_what_the_device_is() -> None:
    """deviceType, manufacturerURL, modelDescription and modelURL are kept; empty fields are left out."""
    assert parse_description(WEMO) == {
        "deviceType": "urn:Belkin:device:insight:1",
        "manufacturer": "Belkin International Inc.",
        "manufacturerURL": "http://www.belkin.com",
        "modelDescription": "Belkin Insight 1.0",
        "modelName": "Insight",
        "modelNumber": "1.0",
        "modelURL": "http://www.belkin.com/plugin/",
    }
