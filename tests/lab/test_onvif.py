"""ONVIF: open operations answer without credentials, protected ones need a WS-Security digest checked
against the device's own (possibly skewed) clock, and the answers carry the device's identity."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from lxml import etree

from camscan.lab import Lab

from .clients import skewed, soap, wsse_header
from .support import device

ONVIF_CAMERAS = [
    "hikvision-camera", "hikvision-nvr", "rebadged-hikvision-camera", "dahua-camera", "rebadged-dahua-lorex",
    "axis-camera", "hanwha-camera", "uniview-camera", "xiongmai-camera", "generic-onvif-camera",
]  # fmt: skip
NS = {
    "tds": "http://www.onvif.org/ver10/device/wsdl",
    "tt": "http://www.onvif.org/ver10/schema",
    "env": "http://www.w3.org/2003/05/soap-envelope",
}


def endpoint(d: dict[str, object]) -> str:
    port = 8899 if d["profile"] == "xiongmai-camera" else 80
    return f"http://{d['ip']}:{port}/onvif/device_service"


def call(d: dict[str, object], operation: str, security: str = "") -> tuple[int, etree._Element]:
    response = httpx.post(
        endpoint(d), content=soap(operation, security),
        headers={"Content-Type": "application/soap+xml; charset=utf-8"}, timeout=5,
    )  # fmt: skip
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return response.status_code, etree.fromstring(response.content, parser)


def device_time(root: etree._Element) -> datetime:
    utc = root.find(".//tt:UTCDateTime", NS)
    assert utc is not None

    def part(path: str) -> int:
        return int(utc.findtext(path, namespaces=NS) or "0")

    return datetime(
        part("tt:Date/tt:Year"), part("tt:Date/tt:Month"), part("tt:Date/tt:Day"),
        part("tt:Time/tt:Hour"), part("tt:Time/tt:Minute"), part("tt:Time/tt:Second"), tzinfo=UTC,
    )  # fmt: skip


def fault_subcode(root: etree._Element) -> str:
    return root.findtext(".//env:Fault/env:Code/env:Subcode/env:Value", namespaces=NS) or ""


def creds(d: dict[str, object]) -> tuple[str, str]:
    c = d["credentials"]
    assert isinstance(c, dict)
    return c["username"], c["password"]


@pytest.mark.parametrize("profile", ONVIF_CAMERAS)
def test_open_operations_and_identity(estate: Lab, profile: str) -> None:
    d = device(estate, profile)
    status, root = call(d, "GetSystemDateAndTime")
    assert status == 200
    offset = float(d["clock_offset_s"])
    assert abs((device_time(root) - datetime.now(UTC)).total_seconds() - offset) < 5
    for operation in ("GetCapabilities", "GetServices", "GetScopes", "GetHostname"):
        status, _ = call(d, operation)
        assert status == 200, operation

    status, root = call(d, "GetDeviceInformation")
    assert status == 400
    assert fault_subcode(root) == "ter:NotAuthorized"

    user, password = creds(d)
    status, root = call(d, "GetDeviceInformation", wsse_header(user, password, skewed(offset)))
    assert status == 200
    truth = d["truth"]
    assert isinstance(truth, dict)
    info = root.find(".//tds:GetDeviceInformationResponse", NS)
    assert info is not None
    assert info.findtext("tds:Model", namespaces=NS) == truth["model"]
    assert info.findtext("tds:SerialNumber", namespaces=NS) == truth["serial"]
    assert truth["firmware"] in (info.findtext("tds:FirmwareVersion", namespaces=NS) or "")

    status, root = call(d, "GetNetworkInterfaces", wsse_header(user, password, skewed(offset)))
    assert status == 200
    assert root.findtext(".//tt:HwAddress", namespaces=NS) == d["mac"]


def test_manufacturer_strings(estate: Lab) -> None:
    expected = {
        "hikvision-camera": "HIKVISION",
        "rebadged-hikvision-camera": "Northwind",
        "dahua-camera": "Dahua",
        "rebadged-dahua-lorex": "LOREX",
        "axis-camera": "AXIS",
        "xiongmai-camera": "H264",
    }
    for profile, manufacturer in expected.items():
        d = device(estate, profile)
        user, password = creds(d)
        _, root = call(
            d, "GetDeviceInformation", wsse_header(user, password, skewed(float(d["clock_offset_s"])))
        )
        assert root.findtext(".//tds:Manufacturer", namespaces=NS) == manufacturer, profile


def test_scopes_name_the_hardware(estate: Lab) -> None:
    d = device(estate, "hikvision-camera")
    _, root = call(d, "GetScopes")
    scopes = [s.text for s in root.iterfind(".//tt:ScopeItem", NS)]
    assert "onvif://www.onvif.org/hardware/DS-2CD2385G1-I" in scopes
    assert "onvif://www.onvif.org/name/HIKVISION%20DS-2CD2385G1-I" in scopes


def test_clock_skew_breaks_naive_signatures(estate: Lab) -> None:
    nvr = device(estate, "hikvision-nvr")
    assert nvr["clock_offset_s"] == -5400
    user, password = creds(nvr)
    status, root = call(nvr, "GetDeviceInformation", wsse_header(user, password))  # signed with our clock
    assert status == 400 and fault_subcode(root) == "ter:NotAuthorized"
    _, root = call(nvr, "GetSystemDateAndTime")
    skew = (device_time(root) - datetime.now(UTC)).total_seconds()
    status, _ = call(nvr, "GetDeviceInformation", wsse_header(user, password, skewed(skew)))
    assert status == 200


def test_wrong_password_and_unknown_operation(estate: Lab) -> None:
    d = device(estate, "axis-camera")
    status, root = call(d, "GetDeviceInformation", wsse_header("root", "not-the-password"))
    assert status == 400 and fault_subcode(root) == "ter:NotAuthorized"
    status, root = call(d, "GetGeoLocation")
    assert status == 500 and fault_subcode(root) == "ter:ActionNotSupported"


def test_requests_with_a_dtd_are_refused(estate: Lab) -> None:
    d = device(estate, "dahua-camera")
    body = (
        b'<?xml version="1.0"?><!DOCTYPE e [<!ENTITY x "y">]><s:Envelope '
        b'xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>'
        b'<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>'
    )
    response = httpx.post(endpoint(d), content=body, timeout=5)
    assert response.status_code == 400
    assert b"ter:WellFormed" in response.content


def test_onvif_requests_are_recorded_with_their_operation(estate: Lab) -> None:
    d = device(estate, "uniview-camera")
    call(d, "GetHostname")
    record = [r for r in estate.requests_for(d["name"]) if r["path"] == "/onvif/device_service"][-1]
    assert record["method"] == "POST" and record["action"] == "GetHostname" and not record["credentials"]


def test_onvif_zeep_async_reads_the_lab(estate: Lab) -> None:
    """camscan's own ONVIF client library (onvif-zeep-async) talks to the lab like to a camera; the skewed NVR
    needs its time adjustment, as a real one does."""
    onvif = pytest.importorskip("onvif")

    async def read(
        d: dict[str, Any], adjust: bool
    ) -> Any:  # onvif-zeep-async is untyped: its answers are Any
        user, password = creds(d)
        port = 8899 if d["profile"] == "xiongmai-camera" else 80
        camera = onvif.ONVIFCamera(d["ip"], port, user, password, adjust_time=adjust)
        try:
            await camera.update_xaddrs()
            service = await camera.create_devicemgmt_service()
            return await service.GetDeviceInformation()
        finally:
            await camera.close()

    for profile in ("hikvision-nvr", "xiongmai-camera", "axis-camera"):
        d = device(estate, profile)
        info = asyncio.run(read(d, adjust=True))
        truth = d["truth"]
        assert isinstance(truth, dict)
        assert (info.Model, info.SerialNumber) == (truth["model"], truth["serial"])
