"""The scan's store writer: what the probes found goes to the database through one writer thread.

Probes add observations to a host's `HostState` and put the host on the writer's asyncio queue. The writer task
takes whatever is queued (a batch) and, on the event loop, takes a snapshot of each host: the observations not yet
written and, for a host whose fingerprinting has finished, everything needed to identify it. The snapshots go to
the store's writer thread (`camscan.store_thread.StoreThread`), which writes them in one transaction: new
observations as they arrived, and for each finished host `camscan.pipeline.ingest_host`, the one path from
observations to a stored device. SQLite never runs on the event loop, so a database another process has locked
makes the writer thread wait, not the probes; while it waits, hosts that change are merged into the next batch,
and at most `MAX_PENDING` batches queue up (backpressure).

A host ingested early and changed later (a late multicast reply) is snapshotted again with all its observations;
observations already written are not written twice. Once discovery has settled, a finished host is dropped from
memory once its snapshot is taken, so memory stays flat however many hosts the scope holds.

The thread-side bookkeeping (`StoreSide`: device keys, counts of identified and failed hosts) is touched only by
the writer thread; the counters it updates are read by the progress display.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from camscan.identify.engine import Engine
from camscan.model import Observation
from camscan.pipeline import ingest_host
from camscan.scan.state import HostState
from camscan.store import Store
from camscan.store_thread import StoreThread

BATCH_WINDOW_S = 0.05
MAX_FAILURES_LISTED = 50
#: Queued on the writer's queue when the writer thread fails: wakes the writer task to raise the error.
_FAILED = ""


@dataclass(slots=True)
class Counters:
    addresses: int = 0
    addresses_scanned: int = 0
    found: int = 0
    fingerprinted: int = 0
    identified: int = 0
    devices: int = 0
    failed: int = 0
    discovery_errors: list[str] = field(default_factory=list)
    failures: list[dict[str, str]] = field(default_factory=list)
    first_identified_at: float | None = None


@dataclass(frozen=True, slots=True)
class HostSnapshot:
    """What the writer thread needs of one host, taken on the event loop (the thread never reads a HostState)."""

    ip: str
    observations: tuple[Observation, ...]  # all of them (identification needs every one)
    new: tuple[Observation, ...]  # those not written yet
    ingest: bool  # identify and store the device (fingerprinting finished, or the end of the scan)
    discovered_by: tuple[str, ...] = ()
    clock_skew_s: float | None = None
    services: tuple[tuple[int, str, str | None, str | None], ...] = ()
    failed: bool = False
    first_error: str | None = None


def snapshot(state: HostState, *, ingest: bool) -> HostSnapshot:
    """Take a host's snapshot and mark what it carries as written (the writer thread writes it in order)."""
    new = tuple(state.unstored)
    state.stored.update(id(o) for o in new)
    if ingest:
        state.ingested = True
        state.dirty = False
    return HostSnapshot(
        state.ip,
        tuple(state.observations) if ingest else (),
        new,
        ingest,
        tuple(sorted(state.discovered_by)),
        state.clock_skew_s,
        tuple(state.services),
        state.failed,
        state.first_error(),
    )


class StoreSide:
    """The writer thread's part: writes snapshots and keeps the device bookkeeping (only that thread uses it)."""

    def __init__(self, engine: Engine, *, scan_id: int, site: str | None, counters: Counters) -> None:
        self.engine = engine
        self.scan_id = scan_id
        self.site = site
        self.counters = counters
        self.device_keys: set[str] = set()
        self.keys: dict[str, str] = {}  # ip → the key it was last stored under
        self.ingested: set[str] = set()
        self.identified: set[str] = set()
        self.started = time.monotonic()

    def write(self, store: Store, hosts: list[HostSnapshot]) -> None:
        """Store the snapshots (the caller runs this in one transaction)."""
        for host in hosts:
            if host.ingest:
                self._ingest(store, host)
            elif host.new:
                store.add_observations(self.scan_id, host.new)

    def _ingest(self, store: Store, host: HostSnapshot) -> None:
        key, identity = ingest_host(
            store,
            self.engine,
            self.scan_id,
            host.ip,
            host.observations,
            new=host.new,
            site=self.site,
            discovered_by=host.discovered_by,
            clock_skew_s=host.clock_skew_s,
        )
        if host.services:
            store.add_services(self.scan_id, host.ip, list(host.services))
        first_time = host.ip not in self.ingested
        self.ingested.add(host.ip)
        c = self.counters
        if key is not None:
            before = self.keys.get(host.ip)
            if before is not None and before != key:
                # stored before under a weaker key (its IP); a late reply gave its MAC or serial: one device
                store.supersede_device(self.scan_id, before, key)
                self.device_keys.discard(before)
            self.keys[host.ip] = key
            self.device_keys.add(key)
            c.devices = len(self.device_keys)
        if identity.identified and host.ip not in self.identified:
            self.identified.add(host.ip)
            c.identified += 1
            if c.first_identified_at is None:
                c.first_identified_at = time.monotonic() - self.started
        if first_time and host.failed:
            c.failed += 1
            if len(c.failures) < MAX_FAILURES_LISTED:
                c.failures.append({"ip": host.ip, "error": host.first_error or "failed"})


class Writer:
    """The writer task on the event loop: batches hosts, snapshots them, hands them to the writer thread."""

    def __init__(
        self,
        thread: StoreThread,
        engine: Engine,
        *,
        scan_id: int,
        site: str | None,
        hosts: dict[str, HostState],
        counters: Counters,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        self.thread = thread
        self.side = StoreSide(engine, scan_id=scan_id, site=site, counters=counters)
        self.hosts = hosts
        self.counters = counters
        self.on_change = on_change
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()
        self.discovery_settled = False
        self.done_ips: set[str] = set()

    @property
    def device_keys(self) -> set[str]:
        return self.side.device_keys

    def wake_on_error(self, loop: asyncio.AbstractEventLoop) -> None:
        """When the writer thread fails, wake the writer task at once (it raises the error)."""

        def wake(_exc: BaseException) -> None:
            loop.call_soon_threadsafe(self.queue.put_nowait, _FAILED)

        self.thread.on_error = wake

    def notify(self, state: HostState) -> None:
        self.queue.put_nowait(state.ip)

    async def run(self) -> None:
        """Write batches until `None` is queued (everything pending is then handed over)."""
        while True:
            first = await self.queue.get()
            batch = {first}
            await asyncio.sleep(BATCH_WINDOW_S)
            while not self.queue.empty():
                batch.add(self.queue.get_nowait())
            self.thread.check()  # a failed write stops the writer (its error ends the scan)
            stop = None in batch
            await self.awrite({ip for ip in batch if ip})
            if stop:
                return

    def stop(self) -> None:
        self.queue.put_nowait(None)

    def _states(self, ips: set[str]) -> Iterator[HostState]:
        for ip in sorted(ips):
            state = self.hosts.get(ip)
            if state is not None:
                yield state

    def take(self, ips: set[str], *, final: bool = False) -> list[HostSnapshot]:
        """Snapshots of these hosts: new observations, and the finished hosts to identify; finished hosts whose
        discovery is over leave memory."""
        out = []
        for state in list(self._states(ips)):
            if state.probed or final:
                if state.dirty or not state.ingested or final:
                    out.append(snapshot(state, ingest=True))
            elif state.unstored:
                out.append(snapshot(state, ingest=False))
            if final or (state.probed and state.busy <= 0 and self.discovery_settled):
                self.release(state)
        return out

    def _job(self, hosts: list[HostSnapshot]) -> Callable[[Store], None]:
        side = self.side
        return lambda store: side.write(store, hosts)

    async def awrite(self, ips: set[str], *, final: bool = False) -> None:
        """Hand these hosts to the writer thread (waits for room when it is behind, never blocks the loop)."""
        hosts = self.take(ips, final=final)
        if hosts:
            await self.thread.aput(self._job(hosts))
        if self.on_change is not None:
            self.on_change()

    def write(self, ips: set[str], *, final: bool = False) -> None:
        """`awrite` for callers outside the event loop (tests, tools); `flush` waits until it is stored."""
        hosts = self.take(ips, final=final)
        if hosts:
            self.thread.put(self._job(hosts))

    def flush(self) -> None:
        self.thread.flush()

    def release(self, state: HostState) -> None:
        """Forget a finished host (its snapshot is taken)."""
        self.hosts.pop(state.ip, None)
        self.done_ips.add(state.ip)

    async def flush_all(self) -> None:
        """Store everything still held (end of scan, or interrupted: each host with what it has so far) and wait
        until the writer thread has written it."""
        self.discovery_settled = True
        while not self.queue.empty():
            self.queue.get_nowait()
        await self.awrite(set(self.hosts), final=True)
        await self.thread.aflush()
