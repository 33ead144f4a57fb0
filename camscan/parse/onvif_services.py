"""What an ONVIF device offers, sans-io: the services its GetServices or GetCapabilities answer lists.

One `onvif_services` finding per answer (docs/data-format.md, "Observation kinds camscan adds"):

    {"answer": "GetServices" | "GetCapabilities",
     "services": ["device", "deviceio", "display", "events", "receiver", ...],   # sorted ONVIF service names
     "namespaces": ["http://www.onvif.org/ver10/display/wsdl", ...],            # GetServices only, verbatim
     "video_sources": 0, "video_outputs": 1, "audio_sources": 0, "audio_outputs": 0, "relay_outputs": 0,
     "digital_inputs": 0}                                                         # only the counts the device states

`services` holds the ONVIF names of what is offered: from GetServices each service namespace
`http://www.onvif.org/ver<NN>/<name>/wsdl` gives `<name>` lowercased (`ver20/media` is ONVIF's Media2 service and
gives `media2`); from GetCapabilities each capability category of the ONVIF schema namespace (`tt:Media`,
`tt:Extension/tt:Receiver` ...) gives its name lowercased. Vendor namespaces are kept in `namespaces` only, and a
category element of another namespace (`vendor:Media`) is not ONVIF's. The counts are the DeviceIO ones:
GetCapabilities `Extension/DeviceIO/VideoSources` ... (ONVIF schema `DeviceIOCapabilities`), or the DeviceIO
service's capabilities in a GetServices answer asked with `IncludeCapability` (attributes `VideoSources` ...).

The engine reads a host's answers as one statement (`merge_services`): the union of what they list, and the
largest count each states.
"""

from __future__ import annotations

import re
from typing import Any

from camscan.parse.base import Finding, one_line
from camscan.parse.xmlsafe import local

KIND = "onvif_services"
#: The ONVIF schema namespace: GetCapabilities categories are its elements.
SCHEMA_NS = "http://www.onvif.org/ver10/schema"
DEVICEIO_NS_NAME = "deviceio"
MAX_NAMESPACES = 64
#: At most this many service names are kept (ONVIF defines about thirty services; a hostile list is cut).
MAX_SERVICES = 64
_ONVIF_NS = re.compile(r"^https?://www\.onvif\.org/ver(\d\d)/([A-Za-z]+)/wsdl/?$")
#: GetCapabilities categories (ONVIF schema `Capabilities` and `CapabilitiesExtension`) and their service names.
CAPABILITY_CATEGORIES = {
    "Analytics": "analytics",
    "Device": "device",
    "Events": "events",
    "Imaging": "imaging",
    "Media": "media",
    "PTZ": "ptz",
    "DeviceIO": "deviceio",
    "Display": "display",
    "Recording": "recording",
    "Search": "search",
    "Replay": "replay",
    "Receiver": "receiver",
    "AnalyticsDevice": "analyticsdevice",
}
#: DeviceIO counts: the element (GetCapabilities) or attribute (GetServices capabilities) and the key kept.
COUNTS = {
    "VideoSources": "video_sources",
    "VideoOutputs": "video_outputs",
    "AudioSources": "audio_sources",
    "AudioOutputs": "audio_outputs",
    "RelayOutputs": "relay_outputs",
    "DigitalInputs": "digital_inputs",
}
MAX_COUNT = 100_000


def service_name(namespace: str) -> str | None:
    """`http://www.onvif.org/ver10/receiver/wsdl` → `receiver`; `ver20/media` → `media2`; None for others."""
    m = _ONVIF_NS.match(namespace.strip())
    if not m:
        return None
    name = m.group(2).lower()
    return "media2" if name == "media" and m.group(1) == "20" else name


def _count(text: str | None) -> int | None:
    text = (text or "").strip()
    # ASCII digits only: str.isdigit() also accepts superscripts ('²'), which int() refuses with a ValueError.
    if not (text.isascii() and text.isdigit()) or len(text) > 6:
        return None
    value = int(text)
    return value if value <= MAX_COUNT else None


def _namespace(tag: object) -> str:
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def _capabilities(service: Any) -> list[Any]:
    """A `Service`'s `Capabilities` and the service's own `Capabilities` element inside it, where the ONVIF schema
    puts them (`tds:Service/tds:Capabilities/tmd:Capabilities`). Not its whole subtree: a hostile answer of
    Services nested in Services (libxml2 allows 256 levels) would be walked once per level, ~1.6 s of CPU for one
    answer of the byte cap."""
    found = []
    for child in service:
        if local(child.tag) == "Capabilities":
            found.append(child)
            found.extend(grandchild for grandchild in child if local(grandchild.tag) == "Capabilities")
    return found


def from_services(body: Any) -> list[Finding]:
    """A `GetServicesResponse` body: one `onvif_services` finding (none when it lists no service)."""
    services: set[str] = set()
    namespaces: list[str] = []
    counts: dict[str, int] = {}
    for service in body.iter():
        if not isinstance(service.tag, str) or local(service.tag) != "Service":
            continue
        namespace = next((one_line(c.text or "", 256) for c in service if local(c.tag) == "Namespace"), "")
        if not namespace:
            continue
        if namespace not in namespaces and len(namespaces) < MAX_NAMESPACES:
            namespaces.append(namespace)
        name = service_name(namespace)
        if name is None or (name not in services and len(services) >= MAX_SERVICES):
            continue
        services.add(name)
        if name == DEVICEIO_NS_NAME:
            for element in _capabilities(service):
                for attribute, key in COUNTS.items():
                    value = _count(element.get(attribute))
                    if value is not None:
                        counts[key] = max(counts.get(key, 0), value)
    if not namespaces:
        return []
    return [
        (KIND, {"answer": "GetServices", "services": sorted(services), "namespaces": namespaces, **counts})
    ]


def from_capabilities(body: Any) -> list[Finding]:
    """A `GetCapabilitiesResponse` body: one `onvif_services` finding (none when it names no category)."""
    capabilities = next(
        (e for e in body.iter() if isinstance(e.tag, str) and local(e.tag) == "Capabilities"), None
    )
    if capabilities is None:
        return []
    services: set[str] = set()
    counts: dict[str, int] = {}
    categories = list(capabilities)
    for element in list(categories):
        if local(element.tag) == "Extension" and _namespace(element.tag) == SCHEMA_NS:
            categories.extend(element)
    for element in categories:
        name = CAPABILITY_CATEGORIES.get(local(element.tag))
        if name is None or _namespace(element.tag) != SCHEMA_NS:
            continue
        services.add(name)
        if name == DEVICEIO_NS_NAME:
            for child in element:
                key = COUNTS.get(local(child.tag))
                value = _count(child.text) if key else None
                if key and value is not None:
                    counts[key] = value
    if not services:
        return []
    return [(KIND, {"answer": "GetCapabilities", "services": sorted(services), **counts})]


def _items(value: Any) -> list[Any]:
    """A list field of a value given to `camscan identify` (any JSON): its items; a lone string as one item;
    anything else (a number, an object) as none."""
    if isinstance(value, list):
        return value
    return [value] if isinstance(value, str) else []


def merge_services(values: list[dict[str, Any]]) -> dict[str, Any]:
    """A host's `onvif_services` values as one: the union of the services and namespaces they list (in order),
    the largest count each states, and which answers they came from."""
    services: set[str] = set()
    namespaces: list[str] = []
    answers: list[str] = []
    counts: dict[str, int] = {}
    for value in values:
        answer = value.get("answer")
        if isinstance(answer, str) and answer not in answers:
            answers.append(answer)
        for service in _items(value.get("services")):
            if isinstance(service, str) and (service in services or len(services) < MAX_SERVICES):
                services.add(service)
        for namespace in _items(value.get("namespaces")):
            if (
                isinstance(namespace, str)
                and namespace not in namespaces
                and len(namespaces) < MAX_NAMESPACES
            ):
                namespaces.append(namespace)
        for key in COUNTS.values():
            count = value.get(key)
            # a count as the parser gives it: a negative one would otherwise be merged into a stated 0
            if isinstance(count, int) and not isinstance(count, bool) and 0 <= count <= MAX_COUNT:
                counts[key] = max(counts.get(key, 0), count)
    merged: dict[str, Any] = {"answer": "+".join(answers), "services": sorted(services)}
    if namespaces:
        merged["namespaces"] = namespaces
    return {**merged, **counts}
