"""What a capture taught about each host: observations, MAC bindings and clock readings, bounded.

Findings are attributed to the address that sent them (a server's response, a device's announcement) and, for
DHCP, to the client's MAC. MAC ↔ IP bindings come from ARP and DHCP (authoritative) and from the frames
themselves (a host's source MAC). A MAC that also sends packets from public addresses, or from many addresses,
is a router forwarding other hosts' traffic: its frame bindings are ignored.

At the end `groups()` merges each MAC's addresses into one host (a camera that changed address by DHCP is one
device) and yields one `HostGroup` per device for `camscan.pipeline.ingest_host`.
"""

from __future__ import annotations

import functools
import ipaddress
import json
import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from camscan.model import Observation
from camscan.parse.base import Finding

SOURCE = "pcap"
#: Distinct observations kept per host and kind (first seen first); http_path also at most PER_PATH per path.
KIND_CAPS: dict[str, int] = {"http_path": 64, "mdns": 64, "http_body": 16, "html_title": 16}
DEFAULT_CAP = 16
PER_PATH = 4
MAX_HOSTS = 200_000
MAX_BINDINGS = 1_000_000
#: A MAC seen sending from more addresses than this is forwarding for others (a router).
ROUTER_ADDRESSES = 16


def mac_text(raw: bytes) -> str | None:
    """`aa:bb:cc:dd:ee:ff` for a unicast MAC; None for multicast, broadcast and all-zero addresses."""
    if len(raw) != 6 or raw[0] & 1 or raw == b"\x00\x00\x00\x00\x00\x00":
        return None
    return raw.hex(":")


def _value_key(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


@functools.lru_cache(maxsize=65536)
def is_public(ip: str) -> bool:
    addr = ipaddress.ip_address(ip)
    if addr.version == 6 and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return addr.is_global and not addr.is_multicast


@functools.lru_cache(maxsize=65536)
def usable_host(ip: str) -> bool:
    """Addresses that can be a host's own: not unspecified, multicast or broadcast."""
    addr = ipaddress.ip_address(ip)
    if addr.is_unspecified or addr.is_multicast:
        return False
    return not (addr.version == 4 and (ip == "255.255.255.255" or ip.endswith(".255")))


@dataclass(slots=True)
class _Host:
    observations: dict[tuple[str, int | None, str], Observation] = field(default_factory=dict)
    per_kind: dict[str, int] = field(default_factory=dict)
    per_path: dict[str, int] = field(default_factory=dict)
    skews: list[float] = field(default_factory=list)
    last: float = 0.0


@dataclass(slots=True)
class HostGroup:
    """One device as the capture saw it: its current address, MAC, observations and clock skew."""

    ip: str | None
    mac: str | None
    addresses: list[str]
    observations: list[Observation]
    clock_skew_s: float | None


class HostTable:
    def __init__(self) -> None:
        self.hosts: dict[str, _Host] = {}  # by IP, or by "mac:<mac>" for MAC-only findings (DHCP)
        self.strong: dict[str, tuple[str, float]] = {}  # ip → (mac, time) from ARP / DHCP
        self.weak: dict[str, dict[str, float]] = {}  # mac → {ip: last time} from frames
        self.mac_seen: dict[str, float] = {}  # every unicast source MAC → first time
        self.dropped = 0
        self._bindings = 0

    # -- recording ------------------------------------------------------------------------------------

    def add(
        self, ip: str | None, port: int | None, findings: list[Finding], ts: float, mac: str | None = None
    ) -> None:
        """Record findings about the host at `ip` (or, with no usable address, the host with `mac`)."""
        if not findings:
            return
        if ip is not None and not usable_host(ip):
            ip = None
        key = ip if ip is not None else (f"mac:{mac}" if mac else None)
        if key is None:
            return
        host = self.hosts.get(key)
        if host is None:
            if len(self.hosts) >= MAX_HOSTS:
                self.dropped += len(findings)
                return
            host = self.hosts[key] = _Host()
        host.last = max(host.last, ts)
        for kind, value in findings:
            if kind == "mdns" and isinstance(value, dict):
                dedup = (kind, port, _value_key([value.get("name"), value.get("type")]))
                old = host.observations.get(dedup)
                if old is not None:
                    host.observations[dedup] = _merge_mdns(old, value)
                    continue
            else:
                dedup = (kind, port, _value_key(value))
            if dedup in host.observations:
                continue
            count = host.per_kind.get(kind, 0)
            if count >= KIND_CAPS.get(kind, DEFAULT_CAP):
                self.dropped += 1
                continue
            if kind == "http_path":
                path = str(value.get("path"))
                if host.per_path.get(path, 0) >= PER_PATH:
                    self.dropped += 1
                    continue
                host.per_path[path] = host.per_path.get(path, 0) + 1
            host.per_kind[kind] = count + 1
            host.observations[dedup] = Observation(kind, value, host=ip, port=port, source=SOURCE, time=ts)

    def clock(self, ip: str, device_time: float, ts: float) -> None:
        """A device's own clock read at capture time `ts` (ONVIF GetSystemDateAndTime)."""
        host = self.hosts.get(ip)
        if host is None:
            host = self.hosts[ip] = _Host(last=ts)
        if len(host.skews) < 64:
            host.skews.append(device_time - ts)

    def see_mac(self, mac: str, ts: float) -> None:
        if mac not in self.mac_seen and len(self.mac_seen) < MAX_BINDINGS:
            self.mac_seen[mac] = ts

    def bind(self, mac: str | None, ip: str | None, ts: float, *, strong: bool = False) -> None:
        """`ip` belongs to the interface with `mac`: authoritative (ARP, DHCP) or seen in a frame."""
        if mac is None or ip is None:
            return
        self.see_mac(mac, ts)
        if not usable_host(ip):
            return
        if strong:
            if ip in self.strong or len(self.strong) < MAX_BINDINGS:
                self.strong[ip] = (mac, ts)
            return
        ips = self.weak.get(mac)
        if ips is None:
            if self._bindings >= MAX_BINDINGS:
                return
            ips = self.weak[mac] = {}
        if ip not in ips:
            if len(ips) > ROUTER_ADDRESSES:
                ips["*"] = ts  # marks a router; no more addresses kept
                return
            self._bindings += 1
        ips[ip] = ts

    # -- results --------------------------------------------------------------------------------------

    def _routers(self) -> set[str]:
        routers = set()
        for mac, ips in self.weak.items():
            if "*" in ips or any(ip != "*" and ":" not in ip and is_public(ip) for ip in ips):
                routers.add(mac)
        return routers

    def _owners(self) -> dict[str, tuple[str, float]]:
        """ip → (mac, time of the binding): authoritative bindings first, then frames from non-routers.

        When frames tie an address to several MACs (a router forwarding between private subnets, or an address
        that moved), the MAC seen with the fewest addresses wins, then the most recent."""
        routers = self._routers()
        owners: dict[str, tuple[str, float]] = {}
        rank: dict[str, tuple[int, float]] = {}
        for mac, ips in self.weak.items():
            if mac in routers:
                continue
            for ip, ts in ips.items():
                if ip == "*":
                    continue
                if ":" in ip and not _local_v6(ip, mac):
                    continue
                score = (-len(ips), ts)
                if ip not in rank or rank[ip] < score:
                    rank[ip] = score
                    owners[ip] = (mac, ts)
        for ip, (mac, ts) in self.strong.items():
            owners[ip] = (mac, ts)
        return owners

    def groups(self, *, allow_public: bool = False) -> Iterator[HostGroup]:
        """One group per device: MACs with every address they used, then addresses with no known MAC."""
        owners = self._owners()
        by_mac: dict[str, list[str]] = {}
        for ip, (mac, _ts) in owners.items():
            by_mac.setdefault(mac, []).append(ip)
        for mac in self.mac_seen:
            by_mac.setdefault(mac, [])
        for key in self.hosts:
            if key.startswith("mac:"):
                by_mac.setdefault(key[4:], [])
        claimed: set[str] = set()
        for mac, ips in sorted(by_mac.items()):
            if not allow_public:
                ips = [ip for ip in ips if not is_public(ip)]
            claimed.update(ips)
            yield self._group(mac, ips, owners)
        for key in sorted(self.hosts):
            if key.startswith("mac:") or key in claimed:
                continue
            if not allow_public and is_public(key):
                continue
            yield self._group(None, [key], owners)

    def public_hosts(self) -> int:
        owners = self._owners()
        return sum(1 for k in self.hosts if not k.startswith("mac:") and k not in owners and is_public(k))

    def _group(self, mac: str | None, ips: list[str], owners: dict[str, tuple[str, float]]) -> HostGroup:
        members = [self.hosts[ip] for ip in ips if ip in self.hosts]
        if mac is not None and f"mac:{mac}" in self.hosts:
            members.append(self.hosts[f"mac:{mac}"])

        def recency(ip: str) -> tuple[int, float]:
            seen = max(owners.get(ip, ("", 0.0))[1], self.hosts[ip].last if ip in self.hosts else 0.0)
            return (1 if ":" not in ip else 0, seen)

        current = max(ips, key=recency) if ips else None
        observations: list[Observation] = []
        if mac is not None:
            first = self.mac_seen.get(mac) or min(
                (o.time for m in members for o in m.observations.values()), default=0.0
            )
            observations.append(Observation("mac", mac, host=current, source=SOURCE, time=first))
        skews: list[float] = []
        for member in members:
            for obs in member.observations.values():
                observations.append(obs if obs.host is not None else replace(obs, host=current))
            skews.extend(member.skews)
        observations.sort(key=lambda o: o.time)
        skew = round(statistics.median(skews), 1) if skews else None
        return HostGroup(current, mac, sorted(ips), observations, skew)


def _merge_mdns(old: Observation, new: dict[str, Any]) -> Observation:
    """One service instance announced over several packets: keep the fullest TXT record and the host name."""
    value = dict(old.value)
    if new.get("txt") and len(value_text(new["txt"])) > len(value_text(value.get("txt"))):
        value["txt"] = new["txt"]
    if new.get("host") and not value.get("host"):
        value["host"] = new["host"]
    return old if value == old.value else replace(old, value=value)


def value_text(txt: Any) -> str:
    return " ".join(txt) if isinstance(txt, list) else str(txt or "")


def _local_v6(ip: str, mac: str) -> bool:
    """An IPv6 address that can be tied to a MAC from a frame: link-local, unique-local, or EUI-64 of it."""
    addr = ipaddress.IPv6Address(ip)
    if addr.is_link_local or addr.is_private:
        return True
    raw = bytes.fromhex(mac.replace(":", ""))
    eui = bytes([raw[0] ^ 2]) + raw[1:3] + b"\xff\xfe" + raw[3:]
    return addr.packed[8:] == eui
