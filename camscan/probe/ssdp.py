"""SSDP/UPnP: the M-SEARCH camscan sends and the device description it fetches from LOCATION — only when that
address is the replying device itself and inside the scope. Read with the shared parsers (`camscan.parse.upnp`).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from camscan.model import Observation
from camscan.parse.base import ParseError
from camscan.parse.upnp import parse_description, parse_ssdp, ssdp_observations, upnp_observations
from camscan.probe.findings import failure, observations
from camscan.probe.http import fetch
from camscan.probe.limits import Limits
from camscan.probe.net import ProbeError

PORT = 1900
GROUP = "239.255.255.250"
SOURCE = "ssdp"


def msearch(target: str = GROUP) -> bytes:
    return (
        "M-SEARCH * HTTP/1.1\r\n"
        f"HOST: {target}:{PORT}\r\n"
        'MAN: "ssdp:discover"\r\n'
        "MX: 1\r\n"
        "ST: upnp:rootdevice\r\n"
        "USER-AGENT: camscan UPnP/1.1 inventory\r\n\r\n"
    ).encode("ascii")


def read_reply(data: bytes, host: str, source: str = SOURCE) -> tuple[list[Observation], str | None]:
    """(observations, LOCATION) from a search reply or NOTIFY."""
    try:
        message = parse_ssdp(data)
    except ParseError as exc:
        return [failure("upnp_server", host, PORT, source, f"unreadable SSDP reply: {exc}")], None
    return observations(ssdp_observations(message), host, PORT, source), message.location


async def fetch_description(
    location: str, host: str, limits: Limits, in_scope: Callable[[str], bool]
) -> list[Observation]:
    """GET the description at LOCATION when it is on `host` and in scope; nothing otherwise."""
    try:
        parts = urlsplit(location.strip())
        port = parts.port or 80
    except ValueError:
        return []
    if parts.scheme != "http" or parts.hostname != host or not in_scope(host):
        return []
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        fetched = await fetch(host, port, path, limits)
    except ProbeError as exc:
        return [failure("upnp_device", host, port, "upnp", str(exc))]
    try:
        description = parse_description(fetched.response.body)
    except ParseError as exc:
        return [failure("upnp_device", host, port, "upnp", f"unreadable UPnP description: {exc}")]
    return observations(upnp_observations(description), host, port, "upnp")
