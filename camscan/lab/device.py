"""One emulated device: a profile placed at an address, with its own MAC, serial and variables."""

from __future__ import annotations

import ipaddress
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from camscan.lab.spec import Profile
from camscan.lab.template import render

SERIAL_SUFFIX = 4


def instance_mac(base_mac: str, instance: int, taken: set[str]) -> str:
    """The MAC of a profile's n-th instance: the profile's OUI, NIC part counted up from the real device's."""
    parts = base_mac.split(":")
    oui, nic = parts[:3], int("".join(parts[3:]), 16)
    step = 0
    while True:
        value = (nic + instance - 1 + step) % (1 << 24)
        mac = ":".join([*oui, f"{value >> 16:02x}", f"{(value >> 8) & 0xFF:02x}", f"{value & 0xFF:02x}"])
        if mac not in taken:
            taken.add(mac)
            return mac
        step += 7919  # a prime stride: another profile with the same OUI took this one


def instance_serial(base_serial: str, instance: int) -> str:
    """The first instance keeps the real serial; the n-th replaces its last characters by the number."""
    if instance == 1 or not base_serial:
        return base_serial
    width = min(SERIAL_SUFFIX, len(base_serial))
    return base_serial[:-width] + f"{instance:0{width}d}"[-width:]


def _hex_le(address: str) -> str:
    """An IPv4 address as XiongMai writes it: little-endian hex, `0x6700A8C0` for 192.168.0.103."""
    packed = ipaddress.IPv4Address(address).packed
    return "0x" + packed[::-1].hex().upper()


@dataclass(slots=True)
class Device:
    """A profile instance: where it listens and what it says about itself."""

    name: str
    profile: Profile
    instance: int
    ip: str
    mac: str
    network: ipaddress.IPv4Network
    credentials: tuple[str, str] | None
    clock_offset_s: float
    canary_path: str = ""
    outside_host: str = "127.254.254.254"
    netns: str | None = None
    vars: dict[str, str] = field(default_factory=dict)
    app_seq: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self.vars = self._build_vars()

    @property
    def serial(self) -> str:
        return instance_serial(self.profile.identity.serial, self.instance)

    def next_app_seq(self) -> int:
        with self._lock:
            self.app_seq += 1
            return self.app_seq

    def _build_vars(self) -> dict[str, str]:
        p = self.profile
        hexmac = self.mac.replace(":", "")
        http_ports = [port for site in p.http for port in site.ports]
        https_ports = [port for site in p.http for port in site.tls_ports]
        onvif_port = next(
            (port for site in p.http if any(r.onvif for r in site.routes) for port in site.ports), 80
        )
        onvif_path = next(
            (r.path for site in p.http for r in site.routes if r.onvif), "/onvif/device_service"
        )
        host = self.ip if onvif_port == 80 else f"{self.ip}:{onvif_port}"
        gateway = str(next(self.network.hosts()))
        boot = datetime.now(UTC) + timedelta(seconds=self.clock_offset_s) - timedelta(days=3, hours=7)
        values: dict[str, str] = {
            "name": self.name,
            "profile": p.name,
            "index": str(self.instance),
            "ip": self.ip,
            "ip_hex_le": _hex_le(self.ip),
            "netmask": str(self.network.netmask),
            "netmask_hex_le": _hex_le(str(self.network.netmask)),
            "prefix_len": str(self.network.prefixlen),
            "gateway": gateway,
            "gateway_hex_le": _hex_le(gateway),
            "mac": self.mac,
            "mac_upper": self.mac.upper(),
            "mac_dash": self.mac.replace(":", "-"),
            "mac_dash_upper": self.mac.replace(":", "-").upper(),
            "mac_hex": hexmac,
            "mac_hex_upper": hexmac.upper(),
            "mac_last2": hexmac[-4:],
            "serial": self.serial,
            "username": self.credentials[0] if self.credentials else "admin",
            "http_port": str(http_ports[0] if http_ports else 80),
            "https_port": str(https_ports[0] if https_ports else 443),
            "rtsp_port": str(p.rtsp.ports[0] if p.rtsp else 554),
            "onvif_port": str(onvif_port),
            "onvif_xaddr": f"http://{host}{onvif_path}",
            "canary_path": self.canary_path,
            "outside_host": self.outside_host,
            "outside_url": f"http://{self.outside_host}/",
            "boot_time": boot.strftime("%Y-%m-%d %H:%M:%S"),
        }
        values["uuid"] = render(p.identity.uuid, values) if p.identity.uuid else _uuid_from_mac(hexmac)
        # Profile vars may use the built-ins and each other (in file order).
        for key, text in p.vars.items():
            values[key] = render(text, values)
        return values

    def truth(self) -> dict[str, Any]:
        """What a correct identification must find, rendered for this instance."""
        out: dict[str, Any] = {}
        for key, value in self.profile.truth.items():
            out[key] = render(value, self.vars) if isinstance(value, str) else value
        return out

    def ports(self) -> dict[str, list[int]]:
        return {"tcp": sorted(self.profile.tcp_ports()), "udp": sorted(self.profile.udp_ports())}

    def describe(self) -> dict[str, Any]:
        """The device as the lab's device list shows it (JSON-friendly)."""
        return {
            "name": self.name,
            "profile": self.profile.name,
            "category": self.profile.category,
            "ip": self.ip,
            "mac": self.mac,
            "ports": self.ports(),
            "credentials": None
            if self.credentials is None
            else {"username": self.credentials[0], "password": self.credentials[1]},
            "clock_offset_s": self.clock_offset_s,
            "netns": self.netns,
            "truth": self.truth(),
        }


def _uuid_from_mac(hexmac: str) -> str:
    """A stable WS-Discovery endpoint UUID ending in the MAC, as many cameras build theirs."""
    return f"6a3f0000-0000-1000-8000-{hexmac}"
