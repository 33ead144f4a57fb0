"""The one task that owns the Store during a scan.

Probes add observations to a host's `HostState` and put the host on the writer's asyncio queue. The writer takes
whatever is queued (a batch), and in one transaction writes every new observation as it arrived and, for each
host whose fingerprinting has finished, calls `camscan.pipeline.ingest_host` — the one path from observations to
a stored device. A host ingested early and changed later (a late multicast reply) is ingested again with all its
observations; observations already written are not written twice (`HostStoreView`). Once discovery has settled,
a finished host is dropped from memory, so memory stays flat however many hosts the scope holds.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, cast

from camscan.identify.engine import Engine
from camscan.model import Observation
from camscan.pipeline import ingest_host
from camscan.scan.state import HostState
from camscan.store import DeviceRecord, Store

BATCH_WINDOW_S = 0.05
MAX_FAILURES_LISTED = 50


class HostStoreView:
    """The store as `ingest_host` sees it for one host: observations already written are skipped."""

    def __init__(self, store: Store, state: HostState) -> None:
        self.store = store
        self.state = state

    def batch(self) -> AbstractContextManager[None]:
        return self.store.batch()

    def add_observations(self, scan_id: int, observations: Sequence[Observation]) -> int:
        new = [o for o in observations if id(o) not in self.state.stored]
        self.state.stored.update(id(o) for o in new)
        return self.store.add_observations(scan_id, new)

    def add_host(self, scan_id: int, ip: str, **kwargs: Any) -> None:
        self.store.add_host(scan_id, ip, **kwargs)

    def upsert_device(self, scan_id: int, record: DeviceRecord) -> str:
        return self.store.upsert_device(scan_id, record)


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


class Writer:
    def __init__(
        self,
        store: Store,
        engine: Engine,
        *,
        scan_id: int,
        site: str | None,
        hosts: dict[str, HostState],
        counters: Counters,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        self.store = store
        self.engine = engine
        self.scan_id = scan_id
        self.site = site
        self.hosts = hosts
        self.counters = counters
        self.on_change = on_change
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()
        self.discovery_settled = False
        self.done_ips: set[str] = set()
        self.device_keys: set[str] = set()
        self.started = time.monotonic()

    def notify(self, state: HostState) -> None:
        self.queue.put_nowait(state.ip)

    async def run(self) -> None:
        """Write batches until `None` is queued (then everything pending is written)."""
        while True:
            first = await self.queue.get()
            batch = {first}
            await asyncio.sleep(BATCH_WINDOW_S)
            while not self.queue.empty():
                batch.add(self.queue.get_nowait())
            stop = None in batch
            batch.discard(None)
            self.write(cast(set[str], batch))
            if stop:
                return

    def stop(self) -> None:
        self.queue.put_nowait(None)

    def _states(self, ips: set[str]) -> Iterator[HostState]:
        for ip in sorted(ips):
            state = self.hosts.get(ip)
            if state is not None:
                yield state

    def write(self, ips: set[str], *, final: bool = False) -> None:
        """One transaction: new observations of these hosts, and the finished ones identified and stored."""
        states = list(self._states(ips))
        if not states:
            return
        with self.store.batch():
            for state in states:
                view = HostStoreView(self.store, state)
                if state.probed or final:
                    if state.dirty or not state.ingested or final:
                        self._ingest(view, state)
                elif state.unstored:
                    view.add_observations(self.scan_id, state.unstored)
        for state in states:
            if final or (state.probed and state.busy <= 0 and self.discovery_settled):
                self.release(state)
        if self.on_change is not None:
            self.on_change()

    def _ingest(self, view: HostStoreView, state: HostState) -> None:
        first_time = not state.ingested
        key, identity = ingest_host(
            cast(Store, view),
            self.engine,
            self.scan_id,
            state.ip,
            state.observations,
            site=self.site,
            discovered_by=sorted(state.discovered_by),
            clock_skew_s=state.clock_skew_s,
        )
        if state.services:
            self.store.add_services(self.scan_id, state.ip, state.services)
        state.ingested = True
        state.dirty = False
        if key is not None:
            if state.device_key is not None and state.device_key != key:
                # stored before under a weaker key (its IP); a late reply gave its MAC or serial: one device
                self.store.supersede_device(self.scan_id, state.device_key, key)
                self.device_keys.discard(state.device_key)
            state.device_key = key
            self.device_keys.add(key)
            self.counters.devices = len(self.device_keys)
        if identity.identified and not state.identified:
            state.identified = True
            self.counters.identified += 1
            if self.counters.first_identified_at is None:
                self.counters.first_identified_at = time.monotonic() - self.started
        if first_time and state.failed:
            self.counters.failed += 1
            if len(self.counters.failures) < MAX_FAILURES_LISTED:
                self.counters.failures.append({"ip": state.ip, "error": state.first_error() or "failed"})

    def release(self, state: HostState) -> None:
        """Forget a finished host (it is in the store)."""
        self.hosts.pop(state.ip, None)
        self.done_ips.add(state.ip)

    def settle(self) -> None:
        """Discovery is over: no late reply can come; finished hosts may leave memory."""
        self.discovery_settled = True
        finished = {ip for ip, s in self.hosts.items() if s.probed}
        self.write(finished)

    def flush_all(self) -> None:
        """Store everything still held (end of scan, or interrupted: each host with what it has so far)."""
        self.discovery_settled = True
        while not self.queue.empty():
            self.queue.get_nowait()
        self.write(set(self.hosts), final=True)
