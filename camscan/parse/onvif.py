"""ONVIF SOAP responses, sans-io: GetDeviceInformation, GetScopes and GetSystemDateAndTime.

`parse_onvif_response` reads any SOAP envelope and names the operation answered (the first child of the Body);
`onvif_observations` gives `onvif_device_info` and `onvif_scopes`, and `onvif_services` (what the device offers)
from GetServices and GetCapabilities (`camscan.parse.onvif_services`); `OnvifResponse.utc_time` is the device's
clock (seconds since the epoch) from GetSystemDateAndTime, for clock skew.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from typing import Any

from camscan.parse import onvif_services
from camscan.parse.base import Finding, ParseError, one_line
from camscan.parse.recorders import ONVIF_READERS
from camscan.parse.xmlsafe import first_text, iter_local, local, parse_xml

_DEVICE_INFO_FIELDS = (
    ("Manufacturer", "manufacturer"),
    ("Model", "model"),
    ("FirmwareVersion", "firmware_version"),
    ("SerialNumber", "serial_number"),
    ("HardwareId", "hardware_id"),
)
MAX_SCOPES = 64
#: Answers that list what the device offers (`onvif_services`).
SERVICE_READERS = {
    "GetServicesResponse": onvif_services.from_services,
    "GetCapabilitiesResponse": onvif_services.from_capabilities,
}


@dataclass(frozen=True, slots=True)
class OnvifResponse:
    operation: str  # e.g. "GetDeviceInformationResponse", or "Fault"
    device_info: dict[str, str] | None = None
    scopes: tuple[str, ...] = ()
    utc_time: float | None = None
    fault: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def is_soap(data: bytes) -> bool:
    """A cheap test: does this body look like a SOAP envelope?"""
    head = data[:512]
    return b"Envelope" in head and b"<" in head


def parse_onvif_response(data: bytes) -> OnvifResponse:
    root = parse_xml(data)
    if local(root.tag) != "Envelope":
        raise ParseError("not a SOAP envelope")
    body = next(iter_local(root, "Body"), None)
    if body is None:
        raise ParseError("SOAP envelope without a Body")
    operation = next((local(child.tag) for child in body if local(child.tag)), "")
    if not operation:
        raise ParseError("empty SOAP Body")
    if operation == "Fault":
        reason = first_text(body, "Text") or first_text(body, "faultstring") or first_text(body, "Value")
        return OnvifResponse("Fault", fault=reason)
    if operation == "GetDeviceInformationResponse":
        info: dict[str, str] = {}
        for element_name, key in _DEVICE_INFO_FIELDS:
            element = next(iter_local(body, element_name), None)
            if element is not None:
                info[key] = one_line(element.text or "", 256)
        return OnvifResponse(operation, device_info=info)
    if operation == "GetScopesResponse":
        items = [one_line(e.text or "", 512) for e in iter_local(body, "ScopeItem")]
        return OnvifResponse(operation, scopes=tuple(s for s in items if s)[:MAX_SCOPES])
    if operation == "GetSystemDateAndTimeResponse":
        return OnvifResponse(operation, utc_time=_utc_time(body))
    extra: dict[str, Any] = {}
    if operation in ONVIF_READERS:  # a recorder's channels (issue 14, camscan.parse.recorders)
        extra["recorder"] = ONVIF_READERS[operation](body)
    if operation in SERVICE_READERS:  # what the device offers
        extra["services"] = SERVICE_READERS[operation](body)
    return OnvifResponse(operation, extra=extra)


def _utc_time(body: Any) -> float | None:
    utc = next(iter_local(body, "UTCDateTime"), None)
    if utc is None:
        return None
    try:
        year, month, day = (int(first_text(utc, n) or "") for n in ("Year", "Month", "Day"))
        hour, minute, second = (int(first_text(utc, n) or "") for n in ("Hour", "Minute", "Second"))
    except ValueError:
        return None
    if not (1970 <= year <= 9999 and 1 <= month <= 12 and 1 <= day <= 31):
        return None
    if not (0 <= hour <= 23 and 0 <= minute <= 59 and 0 <= second <= 60):
        return None
    return float(calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0)))


def onvif_observations(response: OnvifResponse) -> list[Finding]:
    findings: list[Finding] = []
    if response.device_info and any(response.device_info.values()):
        findings.append(("onvif_device_info", dict(response.device_info)))
    if response.scopes:
        findings.append(("onvif_scopes", list(response.scopes)))
    findings += response.extra.get("services", [])
    findings += response.extra.get("recorder", [])
    return findings
