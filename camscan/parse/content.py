"""What an HTTP response's body says beyond the HTTP findings: ONVIF SOAP answers and UPnP descriptions.

A probe knows what it asked for and may call `camscan.parse.onvif` or `camscan.parse.upnp` directly; the pcap
reader only sees the answer, so it asks this module to recognise the body. Either way the same parsers run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from camscan.parse import onvif, upnp
from camscan.parse.base import Finding, ParseError
from camscan.parse.http import HttpResponse, is_textual


@dataclass(frozen=True, slots=True)
class ContentFacts:
    findings: list[Finding] = field(default_factory=list)
    #: The device's own clock (Unix seconds) from an ONVIF GetSystemDateAndTime answer, for clock skew.
    device_time: float | None = None


def content_observations(response: HttpResponse) -> ContentFacts:
    body = response.body
    if not body or not is_textual(response) or response.status >= 300:
        return ContentFacts()
    try:
        if onvif.is_soap(body):
            answer = onvif.parse_onvif_response(body)
            return ContentFacts(onvif.onvif_observations(answer), answer.utc_time)
        if upnp.is_description(body):
            return ContentFacts(upnp.upnp_observations(upnp.parse_description(body)))
    except ParseError:
        return ContentFacts()
    return ContentFacts()
