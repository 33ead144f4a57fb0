"""ONVIF SOAP answers (agsh/onvif mock responses and a Hikvision-shaped body)."""

from __future__ import annotations

from pathlib import Path

import pytest

from camscan.parse import ParseError
from camscan.parse.content import content_observations
from camscan.parse.http import parse_http_response
from camscan.parse.onvif import onvif_observations, parse_onvif_response

ENV = (
    '<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" '
    'xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema">'
    "<env:Body>{}</env:Body></env:Envelope>"
)
INFO = ENV.format(
    "<tds:GetDeviceInformationResponse><tds:Manufacturer>HIKVISION</tds:Manufacturer><tds:Model>DS-2CD2385G1-I"
    "</tds:Model><tds:FirmwareVersion>V5.6.2 build 190701</tds:FirmwareVersion><tds:SerialNumber>"
    "DS-2CD2385G1-I20200414AAWRE33842150</tds:SerialNumber><tds:HardwareId>88</tds:HardwareId>"
    "</tds:GetDeviceInformationResponse>"
).encode()
SCOPES = ENV.format(
    "<tds:GetScopesResponse><tds:Scopes><tt:ScopeDef>Fixed</tt:ScopeDef><tt:ScopeItem>onvif://www.onvif.org/"
    "hardware/DS-2CD2385G1-I</tt:ScopeItem></tds:Scopes><tds:Scopes><tt:ScopeDef>Configurable</tt:ScopeDef>"
    "<tt:ScopeItem>onvif://www.onvif.org/name/HIKVISION</tt:ScopeItem></tds:Scopes></tds:GetScopesResponse>"
).encode()
TIME = ENV.format(
    "<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:UTCDateTime><tt:Time><tt:Hour>1</tt:Hour>"
    "<tt:Minute>2</tt:Minute><tt:Second>3</tt:Second></tt:Time><tt:Date><tt:Year>2026</tt:Year><tt:Month>1"
    "</tt:Month><tt:Day>2</tt:Day></tt:Date></tt:UTCDateTime></tds:SystemDateAndTime>"
    "</tds:GetSystemDateAndTimeResponse>"
).encode()


def test_device_information() -> None:
    answer = parse_onvif_response(INFO)
    assert onvif_observations(answer) == [
        (
            "onvif_device_info",
            {
                "manufacturer": "HIKVISION",
                "model": "DS-2CD2385G1-I",
                "firmware_version": "V5.6.2 build 190701",
                "serial_number": "DS-2CD2385G1-I20200414AAWRE33842150",
                "hardware_id": "88",
            },
        )
    ]


def test_scopes_and_time() -> None:
    assert onvif_observations(parse_onvif_response(SCOPES)) == [
        (
            "onvif_scopes",
            ["onvif://www.onvif.org/hardware/DS-2CD2385G1-I", "onvif://www.onvif.org/name/HIKVISION"],
        )
    ]
    assert parse_onvif_response(TIME).utc_time == 1767315723.0  # 2026-01-02T01:02:03Z


def test_fault_and_other_operations() -> None:
    fault = ENV.format(
        "<env:Fault><env:Reason><env:Text>Sender not Authorized</env:Text></env:Reason></env:Fault>"
    )
    answer = parse_onvif_response(fault.encode())
    assert (
        answer.operation == "Fault"
        and answer.fault == "Sender not Authorized"
        and onvif_observations(answer) == []
    )
    assert onvif_observations(parse_onvif_response(ENV.format("<tds:GetHostnameResponse/>").encode())) == []


def test_bad_clock_is_ignored() -> None:
    assert parse_onvif_response(TIME.replace(b">2026<", b">1900<")).utc_time is None


def test_through_http_content() -> None:
    response = parse_http_response(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml\r\n"
        + f"Content-Length: {len(TIME)}\r\n\r\n".encode()
        + TIME
    )
    facts = content_observations(response)
    assert facts.findings == [] and facts.device_time == 1767315723.0


@pytest.mark.parametrize("name", ["GetDeviceInformation.xml", "GetScopes.xml", "GetSystemDateAndTime.xml"])
def test_agsh_mock_responses(shared_devices: Path, name: str) -> None:
    answer = parse_onvif_response((shared_devices / "agsh-onvif" / name).read_bytes())
    assert answer.device_info or answer.scopes or answer.utc_time


def test_not_soap() -> None:
    with pytest.raises(ParseError):
        parse_onvif_response(b"<root><device/></root>")
