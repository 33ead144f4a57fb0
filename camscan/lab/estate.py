"""The lab's Python API: `Lab` starts an emulated estate and tells you where everything is.

    async with Lab(profiles=["hikvision-camera", "axis-camera"], base="127.77.0.1") as lab:
        lab.devices          # [{name, profile, ip, mac, ports, credentials, clock_offset_s, truth, ...}]
        ...                  # scan lab.devices' addresses
        lab.requests         # every request the devices received
        lab.writes()         # the ones that could have changed a real device (should be empty)

    with Lab(count=1000) as lab:  # the same, served from a background thread
        ...

`start()` returns once every listener is bound. In loopback mode each device has its own 127.x.y.z address and
the real device's ports; in namespace mode (`netns=True`, root only) each device is a network namespace on a
bridge, and the scanner runs in `lab.scanner_namespace` (see `camscan.lab.netns`).
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import logging
import os
import secrets
import socket
import tempfile
import threading
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any, Self

from camscan.errors import CamscanError
from camscan.lab import netns as ns
from camscan.lab.catalog import demo_profiles, expand
from camscan.lab.conn import guarded, peer_of
from camscan.lab.device import Device, instance_mac
from camscan.lab.http_server import HttpService
from camscan.lab.profiles import Profile
from camscan.lab.records import RequestLog, RequestRecord
from camscan.lab.rtsp_server import RtspService
from camscan.lab.sockets import raise_nofile_limit, tcp_listener, udp_socket
from camscan.lab.tcp_services import TcpService
from camscan.lab.template import render
from camscan.lab.tls import CertFactory
from camscan.lab.udp_discovery import MULTICAST_GROUPS, DiscoveryProtocol

log = logging.getLogger("camscan.lab")

LOOPBACK_BASE = "127.77.0.1"
LOOPBACK_NETWORK = ipaddress.IPv4Network("127.0.0.0/8")
NETNS_SUBNET = ipaddress.IPv4Network("10.231.0.0/16")
NETNS_BASE = "10.231.1.1"
NETNS_SCANNER_IP = "10.231.0.2"
LOOPBACK_OUTSIDE = "127.254.254.254"
NETNS_OUTSIDE = "10.232.0.1"  # outside the lab subnet and unroutable from the scanner namespace
STOP_TIMEOUT_S = 10.0


class LabError(CamscanError):
    """The lab could not start as asked."""


def allocate(
    base: str, count: int, network: ipaddress.IPv4Network, reserved: Iterable[str] = ()
) -> list[str]:
    """`count` addresses from `base` upwards inside `network`, skipping .0, .255 and reserved ones."""
    start = ipaddress.IPv4Address(base)
    if start not in network:
        raise LabError(f"base address {base} is outside {network}")
    taken = set(reserved)
    out: list[str] = []
    current = int(start)
    last = int(network.broadcast_address)
    while len(out) < count:
        if current >= last:
            raise LabError(f"{count} devices do not fit in {network} from {base}")
        address = ipaddress.IPv4Address(current)
        if address.packed[3] not in (0, 255) and str(address) not in taken:
            out.append(str(address))
        current += 1
    return out


class Lab:
    """An emulated camera estate: start it, scan it, read what it received, stop it."""

    def __init__(
        self,
        profiles: Iterable[str | Profile] | None = None,
        count: int | None = None,
        base: str | None = None,
        netns: bool = False,
        *,
        lab_id: str = "",
        credentials: tuple[str, str] | None = None,
        clock_offsets: Mapping[str, float] | None = None,
        canary_path: str | os.PathLike[str] | None = None,
        outside_host: str | None = None,
        trap: bool = True,
        record_limit: int = 100_000,
        requests_file: IO[str] | None = None,
        cert_dir: Path | None = None,
    ) -> None:
        self.profiles = expand(profiles if profiles is not None else demo_profiles())
        if not self.profiles:
            raise LabError("no profiles selected")
        if count is not None and count < 1:
            raise LabError("count must be at least 1")
        self.count = count if count is not None else len(self.profiles)
        self.netns = netns
        self.names = ns.Names(lab_id)
        self.network = NETNS_SUBNET if netns else LOOPBACK_NETWORK
        self.base = base or (NETNS_BASE if netns else LOOPBACK_BASE)
        self.scanner_ip = NETNS_SCANNER_IP if netns else None
        self.outside_host = outside_host or (NETNS_OUTSIDE if netns else LOOPBACK_OUTSIDE)
        self.credentials = credentials
        self.clock_offsets = dict(clock_offsets or {})
        self.trap = trap and not netns
        self.log = RequestLog(record_limit, requests_file)
        self.trap_log = RequestLog(1000)
        self.cert_dir = cert_dir
        self._own_canary = canary_path is None
        self.canary_secret = f"CAMSCAN-LAB-CANARY-{secrets.token_hex(8)}"
        self.canary_path = str(canary_path) if canary_path else ""
        self._devices: list[Device] = []
        self._servers: list[asyncio.base_events.Server] = []
        self._transports: list[asyncio.BaseTransport] = []
        self._connections: set[asyncio.Task[Any]] = set()
        self._started = False
        self._created_namespaces: list[str] = []
        self.stats: dict[str, float] = {}
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_event: asyncio.Event | None = None

    # ------------------------------------------------------------------------------------ description

    @property
    def devices(self) -> list[dict[str, Any]]:
        """The devices: name, profile, category, ip, mac, ports, credentials, clock_offset_s, netns, truth."""
        return [d.describe() for d in self._devices]

    @property
    def requests(self) -> list[dict[str, Any]]:
        """Every request received so far (bounded by `record_limit`), oldest first."""
        return [r.to_dict() for r in self.log.records()]

    def requests_for(self, device: str) -> list[dict[str, Any]]:
        """Requests one device received (by name or address)."""
        return [r.to_dict() for r in self.log.records(device)]

    def writes(self) -> list[dict[str, Any]]:
        """Requests that could change a real device (a read-only scanner leaves this empty)."""
        return [r.to_dict() for r in self.log.writes()]

    def clear_requests(self) -> None:
        self.log.clear()

    @property
    def trap_hits(self) -> list[dict[str, Any]]:
        """Requests that reached the outside address the hostile redirects point to (should be none)."""
        return [r.to_dict() for r in self.trap_log.records()]

    @property
    def scanner_namespace(self) -> str | None:
        return self.names.scanner if self.netns else None

    def scanner_command(self, argv: list[str]) -> list[str]:
        """`argv` wrapped to run inside the scanner namespace (namespace mode only)."""
        if not self.netns:
            raise LabError("the scanner namespace exists only in namespace mode")
        return ["ip", "netns", "exec", self.names.scanner, *argv]

    def capture_command(self, path: str | os.PathLike[str]) -> list[str]:
        """The tcpdump command that records this lab's traffic to a pcap file (run it as root).

        Namespace mode captures on the lab bridge inside the lab namespace (every device and the scanner);
        loopback mode captures on `lo`, filtered to the devices' addresses.
        """
        if self.netns:
            return ["ip", "netns", "exec", self.names.lab, "tcpdump", "-i", ns.BRIDGE, "-U", "-w", str(path)]
        hosts = " or ".join(f"host {d.ip}" for d in self._devices[:200]) or "host 127.77.0.1"
        return ["tcpdump", "-i", "lo", "-U", "-w", str(path), hosts]

    def info(self) -> dict[str, Any]:
        """The lab as the ready file shows it."""
        return {
            "mode": "netns" if self.netns else "loopback",
            "base": self.base,
            "network": str(self.network),
            "scanner_namespace": self.scanner_namespace,
            "scanner_ip": self.scanner_ip,
            "outside_host": self.outside_host,
            "canary_path": self.canary_path,
            "pid": os.getpid(),
            "stats": self.stats,
            "devices": self.devices,
        }

    def write_ready_file(self, path: str | os.PathLike[str]) -> None:
        """Write `info()` as JSON, atomically (readers never see a half-written file)."""
        target = Path(path)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(self.info(), indent=2))
        os.replace(tmp, target)

    # ------------------------------------------------------------------------------------- planning

    def _plan(self) -> list[Device]:
        reserved = [self.scanner_ip] if self.scanner_ip else []
        addresses = allocate(self.base, self.count, self.network, reserved)
        taken_macs: set[str] = set()
        per_profile: dict[str, int] = {}
        devices = []
        for i, address in enumerate(addresses):
            profile = self.profiles[i % len(self.profiles)]
            n = per_profile[profile.name] = per_profile.get(profile.name, 0) + 1
            name = f"{profile.name}-{n}"
            offset = self.clock_offsets.get(
                name, self.clock_offsets.get(profile.name, profile.clock_offset_s)
            )
            devices.append(
                Device(
                    name=name,
                    profile=profile,
                    instance=n,
                    ip=address,
                    mac=instance_mac(profile.identity.mac, n, taken_macs),
                    network=self.network,
                    credentials=self.credentials or profile.credentials,
                    clock_offset_s=float(offset),
                    canary_path=self.canary_path,
                    outside_host=self.outside_host,
                    netns=self.names.device(i + 1) if self.netns else None,
                )
            )
        return devices

    # ------------------------------------------------------------------------------------- lifecycle

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def __enter__(self) -> Self:
        return self.start_in_thread()

    def __exit__(self, *exc: object) -> None:
        self.stop_thread()

    async def start(self) -> None:
        """Bind every listener; returns when the whole estate is ready. Raises on any failure (and cleans up)."""
        if self._started:
            raise LabError("this lab is already started")
        self._started = True
        began = time.monotonic()
        try:
            if self._own_canary:
                handle, path = tempfile.mkstemp(prefix="camscan-lab-canary-", suffix=".txt")
                with os.fdopen(handle, "w") as f:
                    f.write(self.canary_secret + "\n")
                self.canary_path = path
            elif Path(self.canary_path).is_file():
                self.canary_secret = Path(self.canary_path).read_text().strip()
            self._devices = self._plan()
            sockets_needed = sum(
                len(d.profile.tcp_ports()) + len(d.profile.udp_ports()) for d in self._devices
            )
            self.stats["nofile_limit"] = raise_nofile_limit(sockets_needed * 2 + 1024)
            contexts = await asyncio.to_thread(self._tls_contexts)
            self.stats["tls_s"] = round(time.monotonic() - began, 3)
            if self.netns:
                await self._start_netns(contexts)
            else:
                await self._start_loopback(contexts)
            self.stats["listeners"] = len(self._servers) + len(self._transports)
            self.stats["devices"] = len(self._devices)
            self.stats["start_s"] = round(time.monotonic() - began, 3)
        except BaseException:
            await self.stop()
            raise

    def _tls_contexts(self) -> dict[str, Any]:
        """SSL contexts per device name (made before binding; `openssl` runs in a worker thread)."""
        wanted = [
            d for d in self._devices if d.profile.tls is not None and any(s.tls_ports for s in d.profile.http)
        ]
        if not wanted:
            return {}
        factory = CertFactory(self.cert_dir)
        out = {}
        for device in wanted:
            spec = device.profile.tls
            assert spec is not None
            subject = tuple((attr, render(value, device.vars)) for attr, value in spec.subject)
            out[device.name] = factory.context(subject, spec.days)
        self.stats["certs_generated"] = factory.generated
        return out

    def _tracked(self, name: str, handler: Any) -> Any:
        inner = guarded(name, handler)

        async def run(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            task = asyncio.current_task()
            if task is not None:
                self._connections.add(task)
            try:
                await inner(reader, writer)
            finally:
                if task is not None:
                    self._connections.discard(task)

        return run

    def _tcp_plan(self, device: Device, contexts: dict[str, Any]) -> list[tuple[int, Any, Any]]:
        """(port, handler, ssl context) for each TCP listener of a device."""
        plan: list[tuple[int, Any, Any]] = []
        for site in device.profile.http:
            for port in site.ports:
                plan.append((port, HttpService(device, site, port, False, self.log).handle, None))
            for port in site.tls_ports:
                plan.append(
                    (port, HttpService(device, site, port, True, self.log).handle, contexts[device.name])
                )
        rtsp = device.profile.rtsp
        if rtsp is not None:
            for port in rtsp.ports:
                plan.append((port, RtspService(device, rtsp, port, self.log).handle, None))
        for spec in device.profile.tcp:
            plan.append((spec.port, TcpService(device, spec, self.log).handle, None))
        return plan

    async def _serve_socket(self, device: Device, sock: socket.socket, handler: Any, ctx: Any) -> None:
        server = await asyncio.start_server(
            self._tracked(device.name, handler), sock=sock, ssl=ctx, ssl_handshake_timeout=10 if ctx else None
        )
        self._servers.append(server)

    async def _serve_datagram(self, device: Device, sock: socket.socket, spec: Any) -> None:
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(
            lambda: DiscoveryProtocol(device, spec, self.log), sock=sock
        )
        self._transports.append(transport)

    async def _start_loopback(self, contexts: dict[str, Any]) -> None:
        for device in self._devices:
            for port, handler, ctx in self._tcp_plan(device, contexts):
                try:
                    sock = tcp_listener(device.ip, port)
                except OSError as exc:
                    raise LabError(
                        f"{device.name}: cannot bind {device.ip}:{port}/tcp: {exc.strerror}"
                    ) from exc
                await self._serve_socket(device, sock, handler, ctx)
            for spec in device.profile.discovery:
                try:
                    sock = udp_socket(device.ip, spec.port)
                except OSError as exc:
                    raise LabError(
                        f"{device.name}: cannot bind {device.ip}:{spec.port}/udp: {exc.strerror}"
                    ) from exc
                await self._serve_datagram(device, sock, spec)
        if self.trap:
            await self._start_trap()

    async def _start_trap(self) -> None:
        """Listen on the outside address so a scanner that follows a redirect there is caught."""

        async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            data = await asyncio.wait_for(reader.read(4096), 10)
            line = data.split(b"\r\n", 1)[0].decode("latin-1", errors="replace")
            method, _, rest = line.partition(" ")
            self.trap_log.add(
                RequestRecord(
                    "outside-trap",
                    self.outside_host,
                    "http",
                    80,
                    method,
                    rest.split(" ")[0],
                    peer=peer_of(writer),
                )
            )
            writer.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            await writer.drain()

        try:
            sock = tcp_listener(self.outside_host, 80)
        except OSError as exc:
            log.warning("lab: outside trap %s:80 not bound (%s)", self.outside_host, exc.strerror)
            return
        server = await asyncio.start_server(self._tracked("outside-trap", handler), sock=sock)
        self._servers.append(server)

    async def _start_netns(self, contexts: dict[str, Any]) -> None:
        reason = ns.unavailable_reason()
        if reason:
            raise LabError(f"namespace mode: {reason}")
        members = [ns.Member(d.netns or "", d.ip, d.mac) for d in self._devices]
        scanner = ns.Member(self.names.scanner, self.scanner_ip or NETNS_SCANNER_IP, ns.SCANNER_MAC)
        wanted = [self.names.lab, scanner.namespace, *(m.namespace for m in members)]
        clash = sorted(set(wanted) & set(await asyncio.to_thread(ns.list_namespaces)))
        if clash:  # another lab (or a crashed one) owns these names: never touch them
            raise LabError(
                f"namespaces already exist: {', '.join(clash[:3])}; use another lab_id or `camscan lab down`"
            )
        self._created_namespaces = wanted
        began = time.monotonic()
        await asyncio.to_thread(ns.create, self.names, members, scanner, self.network.prefixlen)
        self.stats["netns_s"] = round(time.monotonic() - began, 3)
        plans = {d.name: self._tcp_plan(d, contexts) for d in self._devices}

        def factory(device: Device) -> Any:
            def make() -> tuple[list[socket.socket], list[socket.socket]]:
                tcp = [tcp_listener("0.0.0.0", port) for port, _, _ in plans[device.name]]
                udp = [
                    udp_socket("0.0.0.0", spec.port, MULTICAST_GROUPS.get(spec.protocol), device.ip)
                    for spec in device.profile.discovery
                ]
                return tcp, udp

            return make

        made = await asyncio.to_thread(
            ns.run_in_namespaces, [(d.netns or "", factory(d)) for d in self._devices]
        )
        for device, (tcp_socks, udp_socks) in zip(self._devices, made, strict=True):
            for (_, handler, ctx), sock in zip(plans[device.name], tcp_socks, strict=True):
                await self._serve_socket(device, sock, handler, ctx)
            for spec, sock in zip(device.profile.discovery, udp_socks, strict=True):
                await self._serve_datagram(device, sock, spec)

    async def stop(self) -> None:
        """Close every listener and connection, delete the namespaces and the lab's own canary file."""
        for server in self._servers:
            server.close()
        for transport in self._transports:
            transport.close()
        for task in list(self._connections):
            task.cancel()
        if self._connections:
            await asyncio.wait(list(self._connections), timeout=STOP_TIMEOUT_S)
        for server in self._servers:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(server.wait_closed(), STOP_TIMEOUT_S)
        self._servers.clear()
        self._transports.clear()
        if self._created_namespaces:
            try:
                await asyncio.to_thread(ns.destroy, self._created_namespaces)
            except ns.NetnsError as exc:
                log.warning("lab: namespace cleanup failed (%s); run `camscan lab down`", exc)
            self._created_namespaces = []
        if self._own_canary and self.canary_path:
            with contextlib.suppress(OSError):
                Path(self.canary_path).unlink()

    # --------------------------------------------------------------------------------- thread mode

    def start_in_thread(self, timeout: float = 600.0) -> Self:
        """Run the lab on its own event loop in a daemon thread; returns when every listener is bound."""
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self.start())
            except BaseException as exc:  # reported to the starting thread
                failure.append(exc)
                ready.set()
                loop.close()
                return
            self._stop_event = asyncio.Event()
            ready.set()
            try:
                loop.run_until_complete(self._stop_event.wait())
                loop.run_until_complete(self.stop())
            finally:
                loop.close()

        self._thread = threading.Thread(target=run, name="camscan-lab", daemon=True)
        self._thread.start()
        if not ready.wait(timeout):
            raise LabError(f"the lab did not start within {timeout} s")
        if failure:
            raise failure[0]
        return self

    def stop_thread(self, timeout: float = 60.0) -> None:
        """Stop a lab started with `start_in_thread` and wait for its thread."""
        if self._thread is None or self._loop is None or self._stop_event is None:
            return
        if not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._stop_event.set)
        self._thread.join(timeout)
        self._thread = None
