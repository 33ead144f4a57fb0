"""ARP on directly attached segments (scapy): which in-scope addresses are alive, and their MAC (→ OUI).

Runs in a worker thread (scapy is synchronous) and needs raw sockets (root). Only addresses inside the scope and
on the interface's own subnet are asked, at most `MAX_ADDRESSES` per interface. scapy lives in the main process
only; the nmap worker never imports it (docs/licensing.md).
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable

from camscan.discover.interfaces import LocalNet

MAX_ADDRESSES = 4096


def arp_targets(net: LocalNet, in_scope: Callable[[str], bool]) -> list[str]:
    out = []
    for addr in net.network.hosts():
        text = str(addr)
        if text != net.ip and in_scope(text):
            out.append(text)
            if len(out) >= MAX_ADDRESSES:
                break
    return out


def can_arp() -> str | None:
    """None when ARP can be sent, else why not."""
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        return "ARP needs root (raw sockets); skipped"
    return None


def arp_scan(net: LocalNet, targets: list[str], timeout: float = 2.0) -> list[tuple[str, str]]:
    """(ip, mac) of every target that answered on `net`'s interface. Blocking: call from a thread."""
    if not targets:
        return []
    from scapy.config import conf
    from scapy.layers.l2 import ARP, Ether
    from scapy.sendrecv import srp

    conf.verb = 0
    packets = Ether(dst="ff:ff:ff:ff:ff:ff") / ARP(pdst=targets, psrc=net.ip)
    answered, _ = srp(packets, iface=net.name, timeout=timeout, retry=1, verbose=0)
    out: list[tuple[str, str]] = []
    for _sent, received in answered:
        ip, mac = received[ARP].psrc, received[ARP].hwsrc.lower()
        if ipaddress.ip_address(ip) in net.network:
            out.append((ip, mac))
    return out
