"""One UDP socket for all unicast discovery requests of a scan (WS-Discovery, SSDP, SADP, DHDiscover, XM).

`request(ip, port, payload)` sends a datagram (paced by the scan's rate limit) and waits for the first reply
from that address and port, resending once if the first is lost. Replies nobody waits for (a second reply, a
late one) go to `unsolicited`, so nothing a device says is lost. The socket is bounded: datagrams are read at
most 64 KiB at a time, by the event loop, never queued without limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Callable
from typing import Any

from camscan.probe.limits import Limits

Reply = tuple[str, int, bytes]  # (source ip, source port, data)


class _Protocol(asyncio.DatagramProtocol):
    def __init__(self, hub: DatagramHub) -> None:
        self.hub = hub

    def datagram_received(self, data: bytes, addr: tuple[Any, ...]) -> None:
        self.hub._received(str(addr[0]), int(addr[1]), data)

    def error_received(self, exc: Exception) -> None:  # ICMP unreachable and the like: the waiter times out
        pass


class DatagramHub:
    def __init__(self, limits: Limits, unsolicited: Callable[[Reply], None] | None = None) -> None:
        self.limits = limits
        self.unsolicited = unsolicited
        self._transport: asyncio.DatagramTransport | None = None
        self._waiters: dict[tuple[str, int], list[asyncio.Future[bytes]]] = {}
        self.sent = 0
        self.received = 0

    async def start(self, bind: str = "0.0.0.0") -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 * 1024 * 1024)
        sock.bind((bind, 0))
        sock.setblocking(False)
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(lambda: _Protocol(self), sock=sock)
        self._transport = transport

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()
        for waiters in self._waiters.values():
            for future in waiters:
                future.cancel()
        self._waiters.clear()

    def _received(self, ip: str, port: int, data: bytes) -> None:
        self.received += 1
        waiters = self._waiters.get((ip, port))
        while waiters:
            future = waiters.pop(0)
            if not future.done():
                future.set_result(data)
                return
        if self.unsolicited is not None:
            self.unsolicited((ip, port, data))

    async def _send(self, ip: str, port: int, payload: bytes) -> None:
        await self.limits.pace()
        if self._transport is not None and not self._transport.is_closing():
            with contextlib.suppress(OSError):
                self._transport.sendto(payload, (ip, port))
                self.sent += 1

    async def request(
        self, ip: str, port: int, payload: bytes, *, timeout: float, tries: int = 2
    ) -> bytes | None:
        """The first reply from (ip, port) to `payload`, or None."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[bytes] = loop.create_future()
        key = (ip, port)
        self._waiters.setdefault(key, []).append(future)
        try:
            for _attempt in range(max(1, tries)):
                await self._send(ip, port, payload)
                with contextlib.suppress(TimeoutError):
                    return await asyncio.wait_for(asyncio.shield(future), timeout / max(1, tries))
            return None
        finally:
            waiters = self._waiters.get(key)
            if waiters is not None:
                with contextlib.suppress(ValueError):
                    waiters.remove(future)
                if not waiters:
                    del self._waiters[key]
            if not future.done():
                future.cancel()
