"""MAC addresses a device states about itself: vendor discovery replies and ONVIF GetNetworkInterfaces answers.

A Hikvision SADP reply carries `<MAC>`, a Dahua DHDiscover reply `mac`, a XiongMai 34569 reply `MAC`, an ONVIF
GetNetworkInterfaces answer `HwAddress`. The active probes record these as `mac` observations
(`camscan/probe/vendor_udp.py`, `camscan/probe/onvif.py`); passive mode records the same from the same answers,
so a capture whose frames carry no device MAC (taken beyond a router, or on Linux `lo`, where every MAC is zero)
still gives the device's MAC and its OUI evidence, as the live scan does. A frame's source MAC, when there is
one, is seen first and stays the device's MAC (`camscan.pipeline.host_mac` takes the earliest).
"""

from __future__ import annotations

from typing import Any

from camscan.parse.base import Finding, ParseError
from camscan.parse.http import HttpResponse
from camscan.parse.xmlsafe import first_text, iter_local, local, parse_xml

#: The field of each `vendor_discovery` reply (by its `protocol`) that carries the device's own MAC.
DISCOVERY_MAC_FIELDS = {"sadp": "MAC", "dahua": "mac", "xm": "MAC"}
_HEX = set("0123456789abcdef")
_NETWORK_INTERFACES = b"GetNetworkInterfacesResponse"


def normal_mac(value: Any) -> str | None:
    """`aa:bb:cc:dd:ee:ff` from `AA-BB-CC-DD-EE-FF` or `aa:bb:…`; None for anything else, zero or broadcast."""
    if not isinstance(value, str):
        return None
    mac = value.strip().lower().replace("-", ":")
    parts = mac.split(":")
    if len(parts) != 6 or not all(len(p) == 2 and set(p) <= _HEX for p in parts):
        return None
    if mac in ("00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff"):
        return None
    return mac


def discovery_macs(findings: list[Finding]) -> list[Finding]:
    """`mac` findings for the vendor discovery replies among `findings` that state the device's MAC."""
    out: list[Finding] = []
    for kind, value in findings:
        if kind != "vendor_discovery" or not isinstance(value, dict):
            continue
        field = DISCOVERY_MAC_FIELDS.get(str(value.get("protocol")))
        mac = normal_mac(value.get(field)) if field else None
        if mac:
            out.append(("mac", mac))
    return out


def onvif_network_mac(response: HttpResponse) -> str | None:
    """The `HwAddress` of an ONVIF GetNetworkInterfaces answer (the first interface), else None."""
    body = response.body
    if response.status >= 300 or not body or _NETWORK_INTERFACES not in body:
        return None
    try:
        root = parse_xml(body)
    except ParseError:
        return None
    envelope_body = next(iter_local(root, "Body"), None) if local(root.tag) == "Envelope" else None
    if envelope_body is None:
        return None
    operation = next((local(child.tag) for child in envelope_body if local(child.tag)), "")
    if operation != "GetNetworkInterfacesResponse":
        return None
    return normal_mac(first_text(envelope_body, "HwAddress"))
