"""UPnP, sans-io: SSDP datagrams (UDP 1900) → `upnp_server`; device description XML → `upnp_device`.

SSDP messages are HTTP-shaped heads without a body: a device's NOTIFY (alive/byebye) and its unicast reply to an
M-SEARCH (`HTTP/1.1 200 OK`) carry SERVER and LOCATION (where the description is); a client's M-SEARCH carries
nothing about the device searched for. The description (fetched from LOCATION) names the manufacturer and model, and its deviceType says what kind
of device it is (urn:schemas-upnp-org:device:MediaRenderer:1, urn:Belkin:device:controllee:1 ...).
"""

from __future__ import annotations

from dataclasses import dataclass

from camscan.parse.base import Finding, ParseError, one_line
from camscan.parse.message import Head, find_head_end, parse_head
from camscan.parse.xmlsafe import local, parse_xml

MAX_SSDP = 8 * 1024
#: The root device's fields kept in `upnp_device`: who made it, what it is (deviceType URN, modelDescription), and
#: where its maker is on the web (manufacturerURL, modelURL), besides the model and serial; and the firmware, which
#: UPnP leaves to vendor extensions of the root device: `firmwareVersion` (Belkin WeMo's setup.xml), `softwareVersion`
#: (Sonos' device_description.xml). Other elements (`hardwareVersion`, `hwVersion`) say nothing of the firmware.
DESCRIPTION_FIELDS = (
    "deviceType",
    "manufacturer",
    "manufacturerURL",
    "modelDescription",
    "modelName",
    "modelNumber",
    "modelURL",
    "serialNumber",
    "friendlyName",
    "firmwareVersion",
    "softwareVersion",
)


@dataclass(frozen=True, slots=True)
class SsdpMessage:
    kind: str  # "notify" | "response" | "search"
    head: Head

    @property
    def server(self) -> str | None:
        return self.head.get("SERVER")

    @property
    def location(self) -> str | None:
        return self.head.get("LOCATION")


def parse_ssdp(data: bytes) -> SsdpMessage:
    data = data[:MAX_SSDP]
    end = find_head_end(data, 0, MAX_SSDP) or len(data)
    head = parse_head(data[:end])
    start = head.start.upper()
    if start.startswith("NOTIFY "):
        kind = "notify"
    elif start.startswith("M-SEARCH "):
        kind = "search"
    elif start.startswith("HTTP/1."):
        kind = "response"
    else:
        raise ParseError("not an SSDP message")
    return SsdpMessage(kind, head)


def ssdp_observations(message: SsdpMessage) -> list[Finding]:
    """`upnp_server` from a device's NOTIFY or search reply (never from a client's M-SEARCH)."""
    if message.kind == "search":
        return []
    server = one_line(message.server or "")
    return [("upnp_server", server)] if server else []


def is_description(data: bytes) -> bool:
    """A cheap test for a UPnP device description document."""
    head = data[:1024]
    return b"urn:schemas-upnp-org:device-1-0" in head or (b"<root" in head and b"<device" in data[:8192])


def parse_description(data: bytes) -> dict[str, str]:
    """The root device's identifying fields (those of DESCRIPTION_FIELDS that are present)."""
    root = parse_xml(data)
    if local(root.tag) != "root":
        raise ParseError("not a UPnP description (root element is not <root>)")
    device = next((child for child in root if local(child.tag) == "device"), None)
    if device is None:
        raise ParseError("UPnP description without a <device>")
    found: dict[str, str] = {}
    for child in device:
        name = local(child.tag)
        if name in DESCRIPTION_FIELDS and name not in found:
            text = one_line(child.text or "", 256)
            if text:
                found[name] = text
    return found


def upnp_observations(description: dict[str, str]) -> list[Finding]:
    if not any(description.values()):
        return []
    return [("upnp_device", dict(description))]
