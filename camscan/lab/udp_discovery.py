"""UDP discovery responders: WS-Discovery, Hikvision SADP, Dahua DHDiscover, XiongMai 34569, SSDP.

Each device gets one `DiscoveryProtocol` per discovery port. Replies go to the sender, unicast, which is what a
scanner listening on its ephemeral port needs; in namespace mode the same sockets also receive the multicast
and broadcast probes (see `MULTICAST_GROUPS`).
"""

from __future__ import annotations

import asyncio
import logging

from camscan.lab import hostile
from camscan.lab.device import Device
from camscan.lab.records import RequestLog, RequestRecord
from camscan.lab.spec import DiscoverySpec
from camscan.lab.template import render, request_vars
from camscan.lab.wire import (
    XM_DISCOVERY_REPLY,
    XM_DISCOVERY_REQUEST,
    build_dhip,
    build_dvrip,
    parse_dhip,
    parse_dvrip,
    parse_msearch,
    parse_sadp_probe,
    parse_wsd_probe,
    wsd_types_match,
)

log = logging.getLogger("camscan.lab")

#: The multicast group each protocol's probes are sent to (XiongMai uses broadcast instead).
MULTICAST_GROUPS: dict[str, str | None] = {
    "wsd": "239.255.255.250",
    "sadp": "239.255.255.250",
    "dhdiscover": "239.255.255.251",
    "ssdp": "239.255.255.250",
    "xm": None,
}


def answer(device: Device, spec: DiscoverySpec, data: bytes) -> tuple[str, bytes | None]:
    """(what was asked, the reply or None) for one datagram. Sans-io."""
    variables = {**device.vars, **request_vars(device.clock_offset_s)}
    action, reply_text = "unknown", None
    if spec.protocol == "wsd":
        probe = parse_wsd_probe(data)
        if probe is not None:
            action = probe.action or "unknown"
            if probe.action == "Probe" and (spec.match == "any" or wsd_types_match(probe.types, spec.types)):
                variables["relates_to"] = probe.message_id
                variables["app_seq"] = str(device.next_app_seq())
                reply_text = spec.document
    elif spec.protocol == "sadp":
        sadp = parse_sadp_probe(data)
        if sadp is not None:
            action = sadp.types or "unknown"
            if sadp.types == "inquiry":
                variables["probe_uuid"] = sadp.uuid
                reply_text = spec.document
    elif spec.protocol == "dhdiscover":
        message = parse_dhip(data)
        if message is not None:
            action = str(message.get("method", "unknown"))
            if action == "DHDiscover.search":
                body = render(spec.document, variables).encode("utf-8") + b"\n\x00"
                return action, _maybe_hostile(spec, build_dhip(body), variables)
    elif spec.protocol == "xm":
        frame = parse_dvrip(data)
        if frame is not None:
            action = str(frame.message_id)
            if frame.message_id == XM_DISCOVERY_REQUEST:
                body = render(spec.document, variables).encode("utf-8")
                return action, _maybe_hostile(spec, build_dvrip(XM_DISCOVERY_REPLY, body), variables)
    elif spec.protocol == "ssdp":
        target = parse_msearch(data)
        if target is not None:
            action = "M-SEARCH"
            if target in {"ssdp:all", "upnp:rootdevice"} or target in spec.document:
                reply_text = spec.document
    if reply_text is None:
        return action, None
    rendered = render(reply_text, variables)
    if spec.protocol == "ssdp":
        rendered = rendered.replace("\r\n", "\n").rstrip("\n").replace("\n", "\r\n") + "\r\n\r\n"
    return action, _maybe_hostile(spec, rendered.encode("utf-8"), variables)


def _maybe_hostile(spec: DiscoverySpec, reply: bytes, variables: dict[str, str]) -> bytes:
    if spec.behavior is None:
        return reply
    return hostile.apply_to_response(spec.behavior, reply, variables)[:65000]


class DiscoveryProtocol(asyncio.DatagramProtocol):
    """One device's responder on one UDP port."""

    def __init__(self, device: Device, spec: DiscoverySpec, log_: RequestLog) -> None:
        self.device = device
        self.spec = spec
        self.log = log_
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: tuple[str | object, ...]) -> None:
        try:
            action, reply = answer(self.device, self.spec, data)
        except Exception:  # a bad datagram or a profile bug must not stop the lab
            log.exception("lab device %s: %s responder error", self.device.name, self.spec.protocol)
            return
        self.log.add(
            RequestRecord(
                device=self.device.name,
                ip=self.device.ip,
                protocol=self.spec.protocol,
                port=self.spec.port,
                method="DATAGRAM",
                action=action,
                peer=f"{addr[0]}:{addr[1]}",
            )
        )
        if reply is not None and self.transport is not None:
            try:
                self.transport.sendto(reply, addr)
            except OSError:
                log.debug("lab device %s: reply to %s failed", self.device.name, addr)

    def error_received(self, exc: Exception) -> None:
        log.debug("lab device %s: UDP error %s", self.device.name, exc)
