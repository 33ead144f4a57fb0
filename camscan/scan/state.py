"""What the scan knows about one host while it is being scanned (shared by the probes and the writer, both on
the one event loop, so no locks).

Observations are de-duplicated as the pcap reader does (kind, port, value): a banner seen on five responses is
one piece of evidence, not five votes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from camscan.model import Observation


def _value_key(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


@dataclass(slots=True)
class HostState:
    ip: str
    discovered_by: set[str] = field(default_factory=set)
    open_ports: list[int] = field(default_factory=list)
    services: list[tuple[int, str, str | None, str | None]] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    xaddrs: list[str] = field(default_factory=list)
    clock_skew_s: float | None = None
    stored: set[int] = field(default_factory=set)  # id() of observations already written
    scheduled: bool = False  # a fingerprinting task was started
    probed: bool = False  # fingerprinting finished (or was never possible)
    busy: int = 0  # datagram probes still waiting for a reply after `probed`
    ingested: bool = False  # identified and stored at least once
    dirty: bool = False  # something changed since it was last ingested
    identified: bool = False
    device_key: str | None = None  # the key it was last stored under
    _keys: set[tuple[str, int | None, str, str | None]] = field(default_factory=set)

    def add(self, found: list[Observation]) -> int:
        """Keep the observations not already known; returns how many were new."""
        new = 0
        for obs in found:
            key = (obs.kind, obs.port, _value_key(obs.value), obs.error)
            if key in self._keys:
                continue
            self._keys.add(key)
            self.observations.append(obs)
            new += 1
        if new:
            self.dirty = True
        return new

    def found_by(self, method: str) -> None:
        """Record a discovery method; the host is stored again if it is new (`discovered_by` changed)."""
        if method not in self.discovered_by:
            self.discovered_by.add(method)
            self.dirty = True

    @property
    def unstored(self) -> list[Observation]:
        return [o for o in self.observations if id(o) not in self.stored]

    @property
    def errors(self) -> list[Observation]:
        return [o for o in self.observations if o.error is not None]

    @property
    def failed(self) -> bool:
        """Probes failed and none answered usefully: the host could not be processed."""
        return bool(self.errors) and not any(o.error is None for o in self.observations)

    def first_error(self) -> str | None:
        for o in self.observations:
            if o.error is not None:
                return f"{o.source} port {o.port}: {o.error}" if o.port else f"{o.source}: {o.error}"
        return None
