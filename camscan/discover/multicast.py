"""Multicast and broadcast discovery on local segments: WS-Discovery, Hikvision SADP, Dahua DHDiscover, SSDP
(multicast, TTL 1: never beyond the segment) and XiongMai (directed broadcast), each sent a few times because
UDP is lost and cameras miss single probes. Replies arrive on the socket that sent the probe and are handed to
`on_reply(protocol, source ip, data)`; the caller keeps only those from inside the scope.

Used only on the interfaces `camscan.discover.interfaces.select_networks` allows.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Callable
from typing import Any

from camscan.discover.interfaces import LocalNet
from camscan.probe import ssdp, vendor_udp, wsd

#: A reply's protocol, by the port it came from.
PROTOCOL_BY_PORT = {
    wsd.PORT: "wsd",
    ssdp.PORT: "ssdp",
    **{port: p for p, (port, _g) in vendor_udp.PORTS.items()},
}

OnReply = Callable[[str, str, bytes], None]


def probes(net: LocalNet) -> list[tuple[str, tuple[str, int], bytes]]:
    """(protocol, destination, payload) of one discovery round on `net`."""
    out: list[tuple[str, tuple[str, int], bytes]] = [
        ("wsd", (wsd.GROUP, wsd.PORT), wsd.probe_message()),
        ("ssdp", (ssdp.GROUP, ssdp.PORT), ssdp.msearch()),
    ]
    for protocol, (port, group) in vendor_udp.PORTS.items():
        out.append((protocol, (group or net.broadcast, port), vendor_udp.PAYLOADS[protocol]()))
    return out


class _Protocol(asyncio.DatagramProtocol):
    def __init__(self, on_reply: OnReply) -> None:
        self.on_reply = on_reply

    def datagram_received(self, data: bytes, addr: tuple[Any, ...]) -> None:
        protocol = PROTOCOL_BY_PORT.get(int(addr[1]))
        if protocol is not None:
            self.on_reply(protocol, str(addr[0]), data)

    def error_received(self, exc: Exception) -> None:
        pass


def _socket(net: LocalNet) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(net.ip))
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 * 1024 * 1024)
        sock.bind((net.ip, 0))
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock


async def discover(
    nets: list[LocalNet], on_reply: OnReply, *, rounds: int = 3, interval: float = 0.7, listen: float = 2.0
) -> list[str]:
    """Run the discovery rounds on every network; returns problems (one line each) instead of raising."""
    loop = asyncio.get_running_loop()
    problems: list[str] = []
    transports: list[tuple[LocalNet, asyncio.DatagramTransport]] = []
    for net in nets:
        try:
            transport, _ = await loop.create_datagram_endpoint(lambda: _Protocol(on_reply), sock=_socket(net))
        except OSError as exc:
            problems.append(f"multicast on {net.name}: {exc.strerror or exc}")
            continue
        transports.append((net, transport))
    try:
        for n in range(rounds):
            for net, transport in transports:
                for _protocol, destination, payload in probes(net):
                    try:
                        transport.sendto(payload, destination)
                    except OSError as exc:
                        problems.append(f"multicast on {net.name} to {destination[0]}: {exc.strerror or exc}")
            if n < rounds - 1:
                await asyncio.sleep(interval)
        await asyncio.sleep(listen)
    finally:
        for _net, transport in transports:
            transport.close()
    return sorted(set(problems))
