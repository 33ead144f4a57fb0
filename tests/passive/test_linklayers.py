"""One HTTP exchange (a Hikvision `Server: App-webs/` reply) over every link layer and network layer decoded."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from scapy.layers.inet import IP, TCP
from scapy.layers.inet6 import IPv6
from scapy.layers.l2 import CookedLinux, CookedLinuxV2, Dot1AD, Dot1Q, Ether, Loopback
from scapy.packet import Packet, Raw
from scapy.utils import wrpcap

from camscan.passive.pcap_import import PcapResult

from .conftest import by_ip

CLIENT, CAMERA = ("02:00:00:00:00:0c", 50000), ("02:00:00:00:01:64", 80)
REQUEST = b"GET / HTTP/1.1\r\nHost: cam\r\n\r\n"
RESPONSE = b"HTTP/1.1 200 OK\r\nServer: App-webs/\r\nContent-Length: 2\r\n\r\nok"


def exchange(v6: bool) -> list[tuple[bool, Packet]]:
    """(from the camera?, IP packet) for handshake, request, response."""
    client, camera = ("fd00::5", "fd00::64") if v6 else ("192.168.30.5", "192.168.30.100")
    ip = IPv6 if v6 else IP

    def pkt(from_camera: bool, flags: str, seq: int, ack: int, data: bytes = b"") -> tuple[bool, Packet]:
        src, dst = (camera, client) if from_camera else (client, camera)
        sport, dport = (CAMERA[1], CLIENT[1]) if from_camera else (CLIENT[1], CAMERA[1])
        p = ip(src=src, dst=dst) / TCP(sport=sport, dport=dport, flags=flags, seq=seq, ack=ack)
        return from_camera, (p / Raw(data) if data else p)

    return [
        pkt(False, "S", 100, 0),
        pkt(True, "SA", 900, 101),
        pkt(False, "PA", 101, 901, REQUEST),
        pkt(True, "PA", 901, 101 + len(REQUEST), RESPONSE),
    ]


def ether(from_camera: bool, p: Packet) -> Packet:
    return Ether(src=CAMERA[0] if from_camera else CLIENT[0], dst=CLIENT[0] if from_camera else CAMERA[0]) / p


FRAMINGS: dict[str, tuple[int | None, Callable[[bool, Packet], Packet]]] = {
    "ethernet": (None, ether),
    "802.1q": (
        None,
        lambda c, p: Ether(src=CAMERA[0] if c else CLIENT[0], dst="02:00:00:00:00:ff") / Dot1Q(vlan=7) / p,
    ),
    "802.1ad+802.1q": (
        None,
        lambda c, p: (
            Ether(src=CAMERA[0] if c else CLIENT[0], dst="02:00:00:00:00:ff")
            / Dot1AD(vlan=100)
            / Dot1Q(vlan=7)
            / p
        ),
    ),
    "linux-sll": (
        113,
        lambda c, p: (
            CookedLinux(
                pkttype=0,
                lladdrtype=1,
                lladdrlen=6,
                src=bytes.fromhex((CAMERA[0] if c else CLIENT[0]).replace(":", "")) + b"\0\0",
            )
            / p
        ),
    ),
    "linux-sll2": (
        276,
        lambda c, p: (
            CookedLinuxV2(
                pkttype=0,
                lladdrtype=1,
                lladdrlen=6,
                src=bytes.fromhex((CAMERA[0] if c else CLIENT[0]).replace(":", "")) + b"\0\0",
            )
            / p
        ),
    ),
    "raw-ip": (101, lambda c, p: p),
    "bsd-loopback": (0, lambda c, p: Loopback(type=24 if p.haslayer(IPv6) else 2) / p),
}


@pytest.mark.parametrize("v6", [False, True], ids=["ipv4", "ipv6"])
@pytest.mark.parametrize("framing", sorted(FRAMINGS))
def test_http_over(tmp_path: Path, run_pcap: Callable[..., PcapResult], framing: str, v6: bool) -> None:
    linktype, frame = FRAMINGS[framing]
    packets = [frame(c, p) for c, p in exchange(v6)]
    for i, p in enumerate(packets):
        p.time = 1767225600 + i
    path = tmp_path / f"{framing}.pcap"
    wrpcap(str(path), packets, linktype=linktype)
    result = run_pcap(path)
    camera = by_ip(result)["fd00::64" if v6 else "192.168.30.100"]
    assert camera["manufacturer"] == "Hikvision"
    has_mac = framing not in ("raw-ip", "bsd-loopback")
    assert camera["mac"] == (CAMERA[0] if has_mac else None)
