"""Local interfaces on which camscan may use multicast, broadcast and ARP discovery.

Those reach every device on a segment, so they are used only where the user asked for that segment: by default
on an interface whose whole subnet is inside the scope; with `--interface IF`, on IF when its subnet overlaps
the scope (the user named the interface). Loopback interfaces are never used, and the machine's other networks
are never touched when the targets are elsewhere (for example a loopback lab). Replies from addresses outside
the scope are ignored wherever they come from.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from camscan.scope import Scope


@dataclass(frozen=True, slots=True)
class LocalNet:
    name: str
    ip: str
    network: ipaddress.IPv4Network

    @property
    def broadcast(self) -> str:
        return str(self.network.broadcast_address)


def adapters() -> list[LocalNet]:
    """Every IPv4 address of every non-loopback interface (ifaddr: no netifaces, no root needed)."""
    import ifaddr

    out = []
    for adapter in ifaddr.get_adapters():
        for entry in adapter.ips:
            if not isinstance(entry.ip, str):
                continue  # IPv6
            try:
                iface = ipaddress.IPv4Interface(f"{entry.ip}/{entry.network_prefix}")
            except ValueError:
                continue
            if iface.ip.is_loopback or iface.network.prefixlen >= 31:
                continue
            out.append(LocalNet(adapter.nice_name, str(iface.ip), iface.network))
    return out


def _hosts_range(network: ipaddress.IPv4Network) -> tuple[int, int]:
    first, last = int(network.network_address), int(network.broadcast_address)
    return (first + 1, last - 1) if network.prefixlen < 31 else (first, last)


def inside(network: ipaddress.IPv4Network, scope: Scope) -> bool:
    lo, hi = _hosts_range(network)
    return any(r.first.version == 4 and int(r.first) <= lo and hi <= int(r.last) for r in scope.ranges)


def overlaps(network: ipaddress.IPv4Network, scope: Scope) -> bool:
    lo, hi = _hosts_range(network)
    return any(r.first.version == 4 and int(r.first) <= hi and lo <= int(r.last) for r in scope.ranges)


def select_networks(
    scope: Scope, requested: Sequence[str] = (), available: Iterable[LocalNet] | None = None
) -> tuple[list[LocalNet], list[str]]:
    """(networks to use, notes for the user about requested interfaces that cannot be used)."""
    nets = list(adapters() if available is None else available)
    notes: list[str] = []
    if requested:
        chosen = []
        for name in requested:
            mine = [n for n in nets if n.name == name]
            if not mine:
                notes.append(f"interface {name}: not found, or it has no IPv4 address")
                continue
            usable = [n for n in mine if overlaps(n.network, scope)]
            if not usable:
                notes.append(
                    f"interface {name} ({', '.join(str(n.network) for n in mine)}) is outside the targets; "
                    "no multicast or ARP there"
                )
            chosen += usable
        return chosen, notes
    return [n for n in nets if inside(n.network, scope)], notes
