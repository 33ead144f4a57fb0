"""WS-Discovery (SOAP over UDP 3702), sans-io: Hello, ProbeMatches and ResolveMatches → scopes and XAddrs.

A camera announces itself with Hello and answers a Probe with ProbeMatches; each match carries its endpoint
reference, types, scopes (`onvif://www.onvif.org/hardware/...`, `.../name/...`) and XAddrs (the ONVIF device
service URLs). Parsed with entities off and no network (`camscan.parse.xmlsafe`).
"""

from __future__ import annotations

from dataclasses import dataclass

from camscan.parse.base import Finding, ParseError, one_line
from camscan.parse.xmlsafe import first_text, iter_local, local, parse_xml

MAX_SCOPES = 64
MAX_MATCHES = 16
_MATCH_ELEMENTS = ("ProbeMatch", "ResolveMatch", "Hello", "Bye")


@dataclass(frozen=True, slots=True)
class WsdEndpoint:
    address: str | None
    types: tuple[str, ...]
    scopes: tuple[str, ...]
    xaddrs: tuple[str, ...]
    metadata_version: str | None


@dataclass(frozen=True, slots=True)
class WsdMessage:
    """`action` is the last part of the WS-Addressing Action (Hello, ProbeMatches, Probe, ...)."""

    action: str
    message_id: str | None
    relates_to: str | None
    endpoints: tuple[WsdEndpoint, ...]

    @property
    def announces(self) -> bool:
        """True for messages in which a device describes itself (not a probe asking others)."""
        return self.action in ("Hello", "ProbeMatches", "ResolveMatches")


def _words(value: str | None, limit: int) -> tuple[str, ...]:
    return tuple(w[:512] for w in (value or "").split()[:limit])


def parse_wsd(data: bytes) -> WsdMessage:
    root = parse_xml(data)
    if local(root.tag) != "Envelope":
        raise ParseError("not a SOAP envelope")
    action = first_text(root, "Action") or ""
    action = action.rsplit("/", 1)[-1]
    endpoints: list[WsdEndpoint] = []
    for element in root.iter():
        name = local(element.tag)
        if name not in _MATCH_ELEMENTS:
            continue
        if not action:
            action = (
                "ProbeMatches"
                if name == "ProbeMatch"
                else "ResolveMatches"
                if name == "ResolveMatch"
                else name
            )
        endpoints.append(
            WsdEndpoint(
                address=first_text(element, "Address"),
                types=_words(first_text(element, "Types", 4096), MAX_SCOPES),
                scopes=_words(first_text(element, "Scopes", 32768), MAX_SCOPES),
                xaddrs=_words(first_text(element, "XAddrs", 8192), MAX_SCOPES),
                metadata_version=first_text(element, "MetadataVersion"),
            )
        )
        if len(endpoints) >= MAX_MATCHES:
            break
    if not action:
        for name in ("Probe", "Resolve"):
            if next(iter_local(root, name), None) is not None:
                action = name
                break
    if not action:
        raise ParseError("not a WS-Discovery message")
    return WsdMessage(
        action=one_line(action, 64),
        message_id=first_text(root, "MessageID"),
        relates_to=first_text(root, "RelatesTo"),
        endpoints=tuple(endpoints),
    )


def wsd_observations(message: WsdMessage) -> list[Finding]:
    """`onvif_scopes` for every announcing endpoint that has ONVIF scopes (printers and PCs also use
    WS-Discovery; their scopes are not ONVIF's and are left out)."""
    if not message.announces:
        return []
    findings: list[Finding] = []
    for endpoint in message.endpoints:
        if any(s.lower().startswith("onvif://") for s in endpoint.scopes):
            findings.append(("onvif_scopes", list(endpoint.scopes)))
    return findings
