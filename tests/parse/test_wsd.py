"""WS-Discovery messages: ProbeMatches and Hello give scopes and XAddrs; probes and hostile XML give nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from camscan.parse import ParseError
from camscan.parse.wsd import parse_wsd, wsd_observations

HELLO = b"""<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing"
 xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><env:Header>
<a:MessageID>urn:uuid:1</a:MessageID><a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Hello</a:Action>
</env:Header><env:Body><d:Hello><a:EndpointReference><a:Address>urn:uuid:aa85c000-6324-11b3-819e-5850ed1fe385</a:Address>
</a:EndpointReference><d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types>
<d:Scopes>onvif://www.onvif.org/hardware/DS-2CD2385G1-I onvif://www.onvif.org/name/HIKVISION%20DS-2CD2385G1-I</d:Scopes>
<d:XAddrs>http://192.168.1.64/onvif/device_service http://[fe80::1]/onvif/device_service</d:XAddrs>
<d:MetadataVersion>10</d:MetadataVersion></d:Hello></env:Body></env:Envelope>"""

PROBE = b"""<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"
 xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery">
<s:Header><a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action></s:Header>
<s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body></s:Envelope>"""


def test_hello() -> None:
    message = parse_wsd(HELLO)
    assert message.action == "Hello" and message.announces
    [endpoint] = message.endpoints
    assert endpoint.address == "urn:uuid:aa85c000-6324-11b3-819e-5850ed1fe385"
    assert endpoint.types == ("dn:NetworkVideoTransmitter", "tds:Device")
    assert endpoint.xaddrs[0] == "http://192.168.1.64/onvif/device_service"
    assert wsd_observations(message) == [
        (
            "onvif_scopes",
            [
                "onvif://www.onvif.org/hardware/DS-2CD2385G1-I",
                "onvif://www.onvif.org/name/HIKVISION%20DS-2CD2385G1-I",
            ],
        )
    ]


def test_probe_describes_nobody() -> None:
    message = parse_wsd(PROBE)
    assert message.action == "Probe" and wsd_observations(message) == []


def test_real_probe_match(shared_devices: Path) -> None:
    """The ProbeMatches python-ws-discovery captured from a real camera (no <Types> element)."""
    message = parse_wsd((shared_devices / "python-ws-discovery" / "probe_response.xml").read_bytes())
    assert message.action == "ProbeMatches"
    assert message.endpoints[0].xaddrs == ("http://192.168.1.104:80/onvif/device_service",)
    [(kind, scopes)] = wsd_observations(message)
    assert kind == "onvif_scopes" and "onvif://www.onvif.org/Model/631GA" in scopes


def test_printer_scopes_are_not_onvif() -> None:
    printer = HELLO.replace(b"onvif://www.onvif.org/hardware/DS-2CD2385G1-I", b"http://schemas.example/print")
    printer = printer.replace(b"onvif://www.onvif.org/name/HIKVISION%20DS-2CD2385G1-I", b"urn:x")
    assert wsd_observations(parse_wsd(printer)) == []


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><x>&lol2;</x>',
        b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Envelope>&e;</Envelope>',
        b"<Envelope><Body></Body></Envelope>",
        b"not xml at all",
        b"<unclosed",
        b"",
    ],
)
def test_refused(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_wsd(data)
