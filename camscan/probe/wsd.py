"""WS-Discovery: the Probe camscan sends (unicast to each live host, and multicast on local segments) and what
a reply teaches (ONVIF scopes, and the XAddrs where the device service listens), read with the shared parser.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from camscan.model import Observation
from camscan.parse.base import ParseError
from camscan.parse.wsd import parse_wsd, wsd_observations
from camscan.probe.findings import failure, observations

PORT = 3702
GROUP = "239.255.255.250"
SOURCE = "wsd"

_PROBE = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" '
    'xmlns:w="http://schemas.xmlsoap.org/ws/2004/08/addressing" '
    'xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" '
    'xmlns:dn="http://www.onvif.org/ver10/network/wsdl">'
    "<e:Header><w:MessageID>urn:uuid:{message_id}</w:MessageID>"
    '<w:To e:mustUnderstand="true">urn:schemas-xmlsoap-org:ws:2005:04:discovery</w:To>'
    '<w:Action e:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</w:Action>'
    "</e:Header><e:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></e:Body></e:Envelope>"
)


def probe_message() -> bytes:
    """A Probe for ONVIF network video transmitters (cameras, encoders, recorders)."""
    return _PROBE.format(message_id=uuid.uuid4()).encode("utf-8")


def read_reply(data: bytes, host: str, source: str = SOURCE) -> tuple[list[Observation], list[str]]:
    """(observations, XAddrs) from a ProbeMatches reply; a reply that is not one becomes an error observation."""
    try:
        message = parse_wsd(data)
    except ParseError as exc:
        return [
            failure("onvif_scopes", host, PORT, source, f"unreadable WS-Discovery reply: {exc}", value=[])
        ], []
    xaddrs = [x for endpoint in message.endpoints for x in endpoint.xaddrs] if message.announces else []
    return observations(wsd_observations(message), host, PORT, source), xaddrs


def device_service(xaddrs: list[str], host: str) -> list[tuple[int, bool, str]]:
    """(port, tls, path) of the XAddrs that point at `host` itself (never another address)."""
    out: list[tuple[int, bool, str]] = []
    for xaddr in xaddrs:
        try:
            parts = urlsplit(xaddr)
            port = parts.port
        except ValueError:
            continue
        if parts.scheme not in ("http", "https") or parts.hostname != host:
            continue
        tls = parts.scheme == "https"
        out.append((port or (443 if tls else 80), tls, parts.path or "/onvif/device_service"))
    return out
