"""How hard a scan may push: a global socket cap, a per-host cap, a rate of new connections, timeouts, byte caps.

One `Limits` object is shared by every probe of a scan. `slot(host)` is held for the life of one connection:
it waits for a free per-host slot, then a global one, then for the rate limiter's next start time, so a fragile
DVR never sees more than `per_host` connections at once and the network never more than `rate` new
connections per second.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

DEFAULT_TIMEOUT_S = 3.0
DEFAULT_RATE = 2000
DEFAULT_MAX_SOCKETS = 256
DEFAULT_PER_HOST = 4
#: Most bytes kept from any one response (head and body together); the rest is never read.
DEFAULT_MAX_BYTES = 256 * 1024
#: Most bytes kept from a recorder's list of the cameras it holds, asked with the credentials the user gave (a
#: UniFi Protect console describes each camera in 10-20 KB of JSON, so 256 KiB held only about 15 of them).
#: The recorder parsers accept the same (`camscan.parse.recorders.MAX_ANSWER`).
DEFAULT_MAX_LIST_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class LimitSettings:
    timeout_s: float = DEFAULT_TIMEOUT_S
    rate: float | None = DEFAULT_RATE
    max_sockets: int = DEFAULT_MAX_SOCKETS
    per_host: int = DEFAULT_PER_HOST
    max_bytes: int = DEFAULT_MAX_BYTES
    max_list_bytes: int = DEFAULT_MAX_LIST_BYTES

    @property
    def connect_timeout(self) -> float:
        return self.timeout_s

    @property
    def read_timeout(self) -> float:
        return self.timeout_s

    @property
    def probe_deadline(self) -> float:
        """Longest one request/response exchange may take, however the peer drips its bytes."""
        return 2.0 * self.timeout_s

    @property
    def host_deadline(self) -> float:
        """Longest all probes of one host may take together."""
        return max(10.0, 8.0 * self.timeout_s)


class RateLimiter:
    """Spaces events `1/rate` seconds apart (no burst beyond what the caller's concurrency allows)."""

    def __init__(self, rate: float | None) -> None:
        self.interval = 1.0 / rate if rate else 0.0
        self._next = 0.0

    async def wait(self) -> None:
        if not self.interval:
            return
        now = time.monotonic()
        start = max(now, self._next)
        self._next = start + self.interval
        if start > now:
            await asyncio.sleep(start - now)


class Limits:
    def __init__(self, settings: LimitSettings | None = None) -> None:
        self.settings = settings or LimitSettings()
        self._global = asyncio.Semaphore(self.settings.max_sockets)
        self._hosts: dict[str, tuple[asyncio.Semaphore, int]] = {}
        self._rate = RateLimiter(self.settings.rate)
        self.connections = 0

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        sem, users = self._hosts.get(host) or (asyncio.Semaphore(self.settings.per_host), 0)
        self._hosts[host] = (sem, users + 1)
        try:
            async with sem, self._global:
                await self._rate.wait()
                self.connections += 1
                yield
        finally:
            sem, users = self._hosts[host]
            if users <= 1:
                del self._hosts[host]
            else:
                self._hosts[host] = (sem, users - 1)

    async def pace(self) -> None:
        """Wait for the rate limiter alone (datagrams: no socket is held)."""
        await self._rate.wait()
