"""Vendor discovery requests (Hikvision SADP, Dahua DHDiscover, XiongMai 1530) and their replies, read with the
shared sans-io parsers (`camscan.parse.discovery`). Each request is read-only: an inquiry every vendor tool sends.
"""

from __future__ import annotations

import json
import struct
import uuid
from collections.abc import Callable
from typing import Any

from camscan.model import Observation
from camscan.parse.base import ParseError
from camscan.parse.discovery import discovery_observations, parse_dahua, parse_sadp, parse_xm
from camscan.probe.findings import failure, observations

DHIP_HEADER = struct.Struct("<I4sIIIIII")
DVRIP_HEADER = struct.Struct("<BB2xII2xHI")
XM_DISCOVERY_REQUEST = 1530

#: protocol → (UDP port, multicast group or None for broadcast)
PORTS: dict[str, tuple[int, str | None]] = {
    "sadp": (37020, "239.255.255.250"),
    "dhdiscover": (37810, "239.255.255.251"),
    "xm": (34569, None),
}
#: The field of each reply that carries the device's MAC address.
MAC_FIELDS = {"sadp": "MAC", "dhdiscover": "mac", "xm": "MAC"}


def sadp_inquiry() -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><Probe><Uuid>'
        + str(uuid.uuid4()).upper()
        + "</Uuid><Types>inquiry</Types></Probe>"
    ).encode("utf-8")


def dhdiscover_search() -> bytes:
    body = json.dumps({"method": "DHDiscover.search", "params": {"mac": "", "uni": 1}}).encode() + b"\n"
    return DHIP_HEADER.pack(0x20, b"DHIP", 0, 0, len(body), 0, len(body), 0) + body


def xm_search() -> bytes:
    return DVRIP_HEADER.pack(0xFF, 0, 0, 0, XM_DISCOVERY_REQUEST, 0)


PAYLOADS: dict[str, Callable[[], bytes]] = {
    "sadp": sadp_inquiry,
    "dhdiscover": dhdiscover_search,
    "xm": xm_search,
}
PARSERS: dict[str, Callable[[bytes], dict[str, Any]]] = {
    "sadp": parse_sadp,
    "dhdiscover": parse_dahua,
    "xm": parse_xm,
}


def normal_mac(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    mac = value.strip().lower().replace("-", ":")
    parts = mac.split(":")
    if len(parts) != 6 or not all(len(p) == 2 and all(c in "0123456789abcdef" for c in p) for p in parts):
        return None
    if mac in ("00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff"):
        return None
    return mac


def read_reply(protocol: str, data: bytes, host: str, source: str | None = None) -> list[Observation]:
    port = PORTS[protocol][0]
    source = source or protocol
    try:
        reply = PARSERS[protocol](data)
    except ParseError as exc:
        return [
            failure("vendor_discovery", host, port, source, f"unreadable {protocol} reply: {exc}", value={})
        ]
    found = observations(discovery_observations(reply), host, port, source)
    mac = normal_mac(reply.get(MAC_FIELDS[protocol]))
    if mac:
        found.append(Observation("mac", mac, host=host, port=port, source=source))
    return found
