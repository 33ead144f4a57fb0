"""DHCP (BOOTP, UDP 67/68), sans-io: the client's host name (option 12) and vendor class (option 60).

The client's hardware address (`chaddr`) ties a message to a device even before it has an address; a server's
ACK binds that MAC to the address leased (`yiaddr`).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from camscan.parse.base import Finding, ParseError, text

MAGIC = b"\x63\x82\x53\x63"
_FIXED = 236
MESSAGE_TYPES = {
    1: "discover",
    2: "offer",
    3: "request",
    4: "decline",
    5: "ack",
    6: "nak",
    7: "release",
    8: "inform",
}


@dataclass(frozen=True, slots=True)
class DhcpMessage:
    op: int  # 1 BOOTREQUEST (client), 2 BOOTREPLY (server)
    message_type: str | None
    client_mac: str | None
    client_ip: str | None  # ciaddr
    your_ip: str | None  # yiaddr
    requested_ip: str | None  # option 50
    hostname: str | None  # option 12
    vendor_class: str | None  # option 60

    @property
    def from_client(self) -> bool:
        return self.op == 1


def _ip(raw: bytes) -> str | None:
    return None if raw == b"\x00\x00\x00\x00" else str(ipaddress.IPv4Address(raw))


def parse_dhcp(data: bytes) -> DhcpMessage:
    if len(data) < _FIXED + 4:
        raise ParseError("DHCP message cut short")
    op, htype, hlen = data[0], data[1], data[2]
    if op not in (1, 2):
        raise ParseError("not a BOOTP message")
    if data[_FIXED : _FIXED + 4] != MAGIC:
        raise ParseError("no DHCP magic cookie")
    mac = None
    if htype == 1 and hlen == 6:
        mac = ":".join(f"{b:02x}" for b in data[28:34])
    options: dict[int, bytes] = {}
    pos = _FIXED + 4
    while pos < len(data):
        code = data[pos]
        if code == 0:
            pos += 1
            continue
        if code == 255 or pos + 1 >= len(data):
            break
        length = data[pos + 1]
        value = data[pos + 2 : pos + 2 + length]
        options[code] = options.get(code, b"") + value  # RFC 3396: repeated options concatenate
        pos += 2 + length
    mtype = options.get(53, b"")
    requested = options.get(50, b"")
    hostname = text(options[12], 255).strip() if 12 in options else None
    vendor = text(options[60], 255).strip() if 60 in options else None
    return DhcpMessage(
        op=op,
        message_type=MESSAGE_TYPES.get(mtype[0]) if len(mtype) == 1 else None,
        client_mac=mac,
        client_ip=_ip(data[12:16]),
        your_ip=_ip(data[16:20]),
        requested_ip=_ip(requested) if len(requested) == 4 else None,
        hostname=hostname or None,
        vendor_class=vendor or None,
    )


def dhcp_observations(message: DhcpMessage) -> list[Finding]:
    """Options 12 and 60 of a client's message (a server's reply describes the server's view, not the client)."""
    if not message.from_client:
        return []
    findings: list[Finding] = []
    if message.hostname:
        findings.append(("dhcp_hostname", message.hostname))
    if message.vendor_class:
        findings.append(("dhcp_vendor_class", message.vendor_class))
    return findings
