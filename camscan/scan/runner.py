"""`camscan scan`: discover and fingerprint the hosts of a scope, streaming everything into the store.

    result = run_scan(ScanOptions(targets=["192.168.10.0/24"], site="hq"))

What runs at once, on one asyncio loop:
- nmap (`camscan.discover.nmap.NmapRunner`, its own worker process) sweeps the scope in growing blocks (16, 64,
  then 256 addresses); each live host is handed to fingerprinting as soon as its block ends;
- local-segment discovery (multicast WS-Discovery, SADP, DHDiscover, SSDP, XiongMai broadcast, and ARP) on the
  interfaces the scope allows (`camscan.discover.interfaces`), repeated a few times;
- fingerprinting of each live host (`camscan.scan.fingerprint`), at most `hosts_in_flight` at a time, within
  the scan's socket, per-host, rate, timeout and byte limits (`camscan.probe.limits`);
- one writer task (`camscan.scan.store_writer`) that hands each batch to the store's writer thread
  (`camscan.store_thread`), which writes it in one transaction off the event loop.

Ctrl-C or SIGTERM cancels the work; everything gathered until then is identified and stored, and the scan is
marked `interrupted`. A host that fails is data (an observation with its error), counted in the summary.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from camscan.credentials import CredentialStore, load_credentials
from camscan.discover import interfaces as local
from camscan.discover.nmap import BLOCK_SIZES, NmapBlockResult, NmapRunner
from camscan.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_PARTIAL, StoreError
from camscan.identify import nmap_probes
from camscan.identify.engine import Engine, get_engine
from camscan.model import Observation
from camscan.probe import ssdp, vendor_udp, wsd
from camscan.probe.endpoints import load_endpoints
from camscan.probe.limits import Limits
from camscan.probe.onvif import warm_up
from camscan.probe.udp import DatagramHub, Reply
from camscan.scan.fingerprint import Context, fingerprint
from camscan.scan.options import ScanOptions
from camscan.scan.progress import ScanProgress
from camscan.scan.state import HostState
from camscan.scan.store_writer import Counters, Writer
from camscan.scope import Scope
from camscan.store import ScanRun, Store
from camscan.store_thread import StoreThread

REPLY_PORTS = {wsd.PORT: "wsd", ssdp.PORT: "ssdp", **{port: p for p, (port, _g) in vendor_udp.PORTS.items()}}
Note = Callable[[str], None]


def growing_blocks(addresses: Iterator[Any]) -> Iterator[list[str]]:
    """Addresses in blocks of 16, then 64, then 256: the first hosts reach fingerprinting within a second."""
    n = 0
    block: list[str] = []
    for addr in addresses:
        block.append(str(addr))
        if len(block) >= BLOCK_SIZES[min(n, len(BLOCK_SIZES) - 1)]:
            yield block
            block = []
            n += 1
    if block:
        yield block


@dataclass(slots=True)
class Prepared:
    """Everything checked before the database is touched (bad input fails here, with exit code 2)."""

    options: ScanOptions
    scope: Scope
    credentials: CredentialStore
    limits: Limits
    nmap: NmapRunner


def prepare(options: ScanOptions) -> Prepared:
    scope = Scope.build(options.targets, options.exclude, allow_public=options.allow_public)
    credentials = load_credentials(options.credentials_file)
    settings = options.limits()
    load_endpoints()
    nmap = NmapRunner(
        options.ports,
        host_timeout_s=max(5, int(10 * options.timeout_s)),
        rate=int(options.rate) if options.rate and options.rate_given else None,
    )
    return Prepared(options, scope, credentials, Limits(settings), nmap)


@dataclass(slots=True)
class ScanResult:
    scan_id: int
    status: str
    counters: Counters
    devices: list[dict[str, Any]]
    elapsed_s: float
    methods: list[str]
    problems: list[str] = field(default_factory=list)
    stopped_by: str | None = None

    @property
    def exit_code(self) -> int:
        if self.status == "interrupted":
            return EXIT_INTERRUPTED
        if self.counters.failed or self.problems:
            return EXIT_PARTIAL
        return EXIT_OK

    def summary(self) -> dict[str, Any]:
        c = self.counters
        return {
            "scan_id": self.scan_id,
            "status": self.status,
            "addresses": c.addresses,
            "addresses_scanned": c.addresses_scanned,
            "hosts_found": c.found,
            "hosts_fingerprinted": c.fingerprinted,
            "hosts_identified": c.identified,
            "hosts_failed": c.failed,
            "devices_seen": len(self.devices),
            "failures": c.failures,
            "problems": self.problems,
            "methods": self.methods,
            "elapsed_s": round(self.elapsed_s, 3),
            "first_identified_s": None if c.first_identified_at is None else round(c.first_identified_at, 3),
            "stopped_by": self.stopped_by,
            "devices": self.devices,
        }


class Scan:
    def __init__(self, prepared: Prepared, store: Store, engine: Engine, note: Note, progress: bool) -> None:
        self.p = prepared
        self.options = prepared.options
        self.scope = prepared.scope
        self.store = store
        self.engine = engine
        self.note = note
        self.counters = Counters(addresses=prepared.scope.size)
        self.progress = ScanProgress(self.counters, progress)
        self.hosts: dict[str, HostState] = {}
        self.tasks: set[asyncio.Task[None]] = set()
        self.problems: list[str] = []
        self.stopped_by: str | None = None
        self.hub = DatagramHub(prepared.limits, self._unsolicited)
        self.host_slots = asyncio.Semaphore(self.options.hosts_in_flight)
        self.nets, notes = local.select_networks(self.scope, self.options.interfaces)
        for line in notes:
            self.note(line)
        self.methods = ["nmap", "http", "rtsp", "onvif", "tls", "wsd", "ssdp", "vendor-endpoints"]
        if self.nets:
            self.methods += ["wsd-multicast", "sadp", "dhdiscover", "xm-broadcast", "ssdp-multicast", "arp"]
        self.scan_id = 0
        self.blocks: Iterator[list[str]] = growing_blocks(self.scope.addresses())
        self.first_block: tuple[list[str], asyncio.Task[NmapBlockResult] | None] = ([], None)
        self.writer: Writer | None = None
        self.ctx: Context | None = None

    # ------------------------------------------------------------------------------------ hosts

    def in_scope(self, ip: str) -> bool:
        return ip in self.scope

    def host(self, ip: str) -> HostState | None:
        """The state of a host found by any method (created on first sight); None once it is done or out of scope."""
        state = self.hosts.get(ip)
        if state is not None:
            return state
        assert self.writer is not None
        if ip in self.writer.done_ips or not self.in_scope(ip):
            return None
        state = self.hosts[ip] = HostState(ip)
        self.counters.found += 1
        return state

    def emit(self, state: HostState, found: list[Observation]) -> None:
        state.add(found)
        if state.dirty and self.writer is not None:
            self.writer.notify(state)

    def schedule(self, state: HostState) -> None:
        if state.scheduled or state.probed:
            return
        state.scheduled = True
        task = asyncio.create_task(self._fingerprint(state))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _fingerprint(self, state: HostState) -> None:
        assert self.ctx is not None and self.writer is not None
        async with self.host_slots:
            waiting = await fingerprint(self.ctx, state)
        state.probed = True
        state.busy += len(waiting)
        for task in waiting:
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)
            task.add_done_callback(lambda _t: self._late(state))
        self.counters.fingerprinted += 1
        self.writer.notify(state)

    def _late(self, state: HostState) -> None:
        """A datagram probe of an already stored host ended: store it again if it learned something."""
        state.busy -= 1
        if self.writer is not None:
            self.writer.notify(state)

    # ------------------------------------------------------------------------------------ discovery

    async def _blocks(self) -> AsyncIterator[tuple[list[str], NmapBlockResult]]:
        first, pending = self.first_block
        if pending is not None:
            yield first, await pending
        for n, block in enumerate(self.blocks, 1):
            yield block, await self.p.nmap.scan_block(block, n)

    async def _nmap(self) -> None:
        async for block, result in self._blocks():
            self.counters.addresses_scanned += len(block)
            if result.error:
                self.problems.append(f"nmap, addresses {block[0]}-{block[-1]}: {result.error}")
            for found in result.hosts:
                open_tcp = found.open_tcp
                if not open_tcp and not found.mac:
                    continue
                state = self.host(found.ip)
                if state is None:
                    continue
                state.found_by("nmap")
                state.open_ports = sorted(set(state.open_ports) | set(open_tcp))
                state.services = [
                    (p.port, p.proto, p.name, p.product) for p in found.ports if p.state == "open"
                ]
                if found.mac:
                    self.emit(state, [Observation("mac", found.mac, host=found.ip, source="nmap")])
                self.schedule(state)
            self.progress.update()

    def _reply(self, protocol: str, ip: str, data: bytes, method: str) -> None:
        """A discovery reply from `ip` (multicast, broadcast or a late unicast one)."""
        state = self.host(ip)
        if state is None:
            return  # outside the scope, or already stored and released
        if protocol == "wsd":
            found, xaddrs = wsd.read_reply(data, ip, source=method)
            state.xaddrs += [x for x in xaddrs if x not in state.xaddrs]
        elif protocol == "ssdp":
            found, location = ssdp.read_reply(data, ip, source=method)
            if location and self.ctx is not None:
                task = asyncio.create_task(self._description(state, location))
                self.tasks.add(task)
                task.add_done_callback(self.tasks.discard)
        else:
            found = vendor_udp.read_reply(protocol, data, ip, source=method)
        if any(o.error is None for o in found):
            state.found_by(method)
        self.emit(state, found)

    async def _description(self, state: HostState, location: str) -> None:
        found = await ssdp.fetch_description(location, state.ip, self.p.limits, self.in_scope)
        self.emit(state, found)

    def _unsolicited(self, reply: Reply) -> None:
        ip, port, data = reply
        protocol = REPLY_PORTS.get(port)
        if protocol is not None:
            self._reply(protocol, ip, data, protocol)

    def _multicast_reply(self, protocol: str, ip: str, data: bytes) -> None:
        method = (
            "xm-broadcast"
            if protocol == "xm"
            else protocol
            if protocol in ("sadp", "dhdiscover")
            else f"{protocol}-multicast"
        )
        self._reply(protocol, ip, data, method)

    async def _arp(self) -> None:
        from camscan.discover import arp

        reason = arp.can_arp()
        if reason:
            self.note(reason)
            return
        for net in self.nets:
            targets = arp.arp_targets(net, self.in_scope)
            try:
                answers = await asyncio.to_thread(arp.arp_scan, net, targets)
            except Exception as exc:  # scapy reports many things as plain exceptions
                self.problems.append(f"ARP on {net.name}: {str(exc)[:120]}")
                continue
            for ip, mac in answers:
                state = self.host(ip)
                if state is not None:
                    state.found_by("arp")
                    self.emit(state, [Observation("mac", mac, host=ip, source="arp")])

    async def _local(self) -> None:
        """Multicast/broadcast rounds and ARP on the allowed segments; then discovery has settled."""
        from camscan.discover import multicast

        assert self.writer is not None
        if self.nets:
            o = self.options
            problems, _ = await asyncio.gather(
                multicast.discover(
                    self.nets,
                    self._multicast_reply,
                    rounds=o.multicast_rounds,
                    interval=o.multicast_interval_s,
                    listen=o.multicast_listen_s,
                ),
                self._arp(),
            )
            self.problems += problems
        self.writer.discovery_settled = True
        for state in list(self.hosts.values()):
            if state.probed:
                self.writer.notify(state)

    # ------------------------------------------------------------------------------------ the run

    async def _work(self) -> None:
        assert self.writer is not None
        await self.hub.start()
        local_task = asyncio.create_task(self._local())
        await self._nmap()
        await local_task
        while self.tasks:
            await asyncio.gather(*list(self.tasks))
        for state in list(self.hosts.values()):
            if not state.scheduled:  # found by local discovery only: nothing open to fingerprint
                state.probed = True
                self.writer.notify(state)

    async def run(self) -> ScanResult:
        started = time.monotonic()
        with self.store.scan(
            "active",
            knowledge=self.engine.knowledge,
            site=self.options.site,
            targets=self.options.targets,
            methods=self.methods,
        ) as run:
            self.scan_id = run.id
            await self._run(run, started)
        devices = self._devices()
        return ScanResult(
            self.scan_id,
            run.status,
            self.counters,
            devices,
            time.monotonic() - started,
            self.methods,
            self.problems,
            self.stopped_by,
        )

    async def _run(self, run: ScanRun, started: float) -> None:
        """Probe, write and shut down; `run` (the store's scan lifecycle) finishes the scan row."""
        thread = StoreThread(self.store.path)
        await asyncio.get_running_loop().run_in_executor(None, thread.start)
        self.writer = Writer(
            thread,
            self.engine,
            scan_id=self.scan_id,
            site=self.options.site,
            hosts=self.hosts,
            counters=self.counters,
            on_change=self.progress.update,
        )
        self.ctx = Context(
            limits=self.p.limits,
            engine=self.engine,
            endpoints=load_endpoints().endpoints,
            credentials=self.p.credentials,
            hub=self.hub,
            in_scope=self.in_scope,
            emit=self.emit,
        )
        loop = asyncio.get_running_loop()
        self.writer.wake_on_error(loop)
        work = asyncio.create_task(self._work())
        writer_task = asyncio.create_task(self.writer.run())

        def stop(name: str) -> None:
            if self.stopped_by is None:
                self.stopped_by = name
                work.cancel()

        def writer_ended(task: asyncio.Task[None]) -> None:
            # The store failed (locked past the busy timeout, disk full): stop probing at once; the error is
            # raised by _shutdown and becomes the command's one-line message (exit 2).
            if not task.cancelled() and task.exception() is not None:
                stop("store error")

        writer_task.add_done_callback(writer_ended)

        installed = []
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, stop, sig.name)
                installed.append(sig)
        self.progress.start()
        status = "complete"
        try:
            try:
                await work
            except asyncio.CancelledError:
                if self.stopped_by is None:
                    raise
                status = "interrupted"
            except BaseException:
                status = run.status = "failed"
                raise
        finally:
            try:
                await self._shutdown(writer_task)
            except StoreError:
                run.status, run.extra = "interrupted", {"details": self._details(started)}
                raise
            finally:
                self.progress.stop()
                for sig in installed:
                    loop.remove_signal_handler(sig)
            run.status = status
            run.errors = self.counters.failed + len(self.problems)
            run.extra = {"details": self._details(started)}

    async def _shutdown(self, writer_task: asyncio.Task[None]) -> None:
        """Stop every probe and nmap, then store everything still held (each host with what it has)."""
        self.p.nmap.terminate()
        for task in list(self.tasks):
            task.cancel()
        if self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)
        self.hub.close()
        assert self.writer is not None
        try:
            if not writer_task.done():
                self.writer.stop()
            try:
                await writer_task  # a writer that failed earlier raises its error here
            except Exception:
                writer_task.cancel()
                raise
            await self.writer.flush_all()
        finally:
            await (
                self.writer.thread.aclose()
            )  # the store's writer thread ends before the scan row is finished
        with contextlib.suppress(Exception):
            await self.p.nmap.close()

    def _details(self, started: float) -> dict[str, Any]:
        c, o = self.counters, self.options
        return {
            "ports": list(o.ports),
            "rate": o.rate,
            "timeout_s": o.timeout_s,
            "exclude": o.exclude,
            "interfaces": [f"{n.name} {n.network}" for n in self.nets],
            "credentials": "given" if self.p.credentials else None,
            "hosts_found": c.found,
            "hosts_fingerprinted": c.fingerprinted,
            "hosts_identified": c.identified,
            "hosts_failed": c.failed,
            "failures": c.failures,
            "problems": self.problems,
            "connections": self.p.limits.connections,
            "elapsed_s": round(time.monotonic() - started, 3),
            "first_identified_s": None if c.first_identified_at is None else round(c.first_identified_at, 3),
        }

    def _devices(self) -> list[dict[str, Any]]:
        return self.store.devices(scan_id=self.scan_id)


def _engine() -> Engine:
    """The engine, with nmap's service-probe lines loaded and indexed before the first banner needs them (off the loop)."""
    engine = get_engine()
    if engine.nmap_rules.types:
        nmap_probes.warm()
    return engine


async def _main(prepared: Prepared, note: Note, progress: bool) -> ScanResult:
    # The first nmap block, the WSDL and the signatures load at the same time: the first devices reach the
    # store about a second after the start.
    blocks = growing_blocks(prepared.scope.addresses())
    first = next(blocks, [])
    first_result = asyncio.create_task(prepared.nmap.scan_block(first, 0)) if first else None
    warm = asyncio.create_task(warm_up())
    try:
        engine = await asyncio.to_thread(_engine)
        with Store.open(prepared.options.db) as store:
            scan = Scan(prepared, store, engine, note, progress)
            scan.first_block = (first, first_result)
            scan.blocks = blocks
            return await scan.run()
    finally:
        # The scan may end before it used these (the store refused the scan: locked, read-only): stop the first
        # nmap block with its worker, and let the warm-up (no network I/O, well under a second) finish and
        # close its HTTP session, so nothing is left running and nothing but the error is printed.
        if first_result is not None and not first_result.done():
            prepared.nmap.terminate()
            first_result.cancel()
        for task in (warm, first_result):
            if task is not None:
                with contextlib.suppress(BaseException):
                    await task


def run_scan(options: ScanOptions, *, note: Note | None = None, progress: bool = False) -> ScanResult:
    """Check the options, open the store, scan. Bad input raises a UsageError before the store is touched."""
    prepared = prepare(options)
    Store.open(options.db).close()  # an unusable database is bad input too: fail before scanning
    return asyncio.run(_main(prepared, note or (lambda _line: None), progress))
