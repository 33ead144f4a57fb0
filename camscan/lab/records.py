"""What the lab received: one record per request, so tests can prove a scanner only reads.

Every server appends a `RequestRecord`. `is_read_only` says whether a request could change a real device;
`RequestLog.writes()` lists the ones that could.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import IO, Any

READ_ONLY_HTTP_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READ_ONLY_RTSP_METHODS = frozenset({"OPTIONS", "DESCRIBE", "GET_PARAMETER", "TEARDOWN"})
#: POST endpoints whose operation is a read (the operation is recorded as `action`).
#: A login (Dahua RPC2_Login, UniFi OS /api/auth/login) opens a session and changes nothing on the device.
READ_ONLY_POST_PATHS = (
    "/onvif/",
    "/RPC2_Login",
    "/HNAP1",
    "/axis-cgi/basicdeviceinfo.cgi",
    "/api/auth/login",
)
WRITE_PREFIXES = (
    "Set",
    "Create",
    "Delete",
    "Add",
    "Remove",
    "Reboot",
    "SystemReboot",
    "Upgrade",
    "Start",
    "Stop",
)
READ_ONLY_HNAP = ("Get", "Login")
READ_ONLY_DISCOVERY = frozenset(
    {"Probe", "Resolve", "inquiry", "DHDiscover.search", "1530", "M-SEARCH", "unknown"}
)
READ_ONLY_DVRIP = frozenset({"1000", "1006", "1020", "1042"})


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One request a device received."""

    device: str
    ip: str
    protocol: str  # http, https, rtsp, onvif, wsd, sadp, dhdiscover, xm, ssdp, dvrip, tcp
    port: int
    method: str
    path: str = ""
    action: str = ""
    credentials: bool = False  # the request carried credentials (Authorization, WS-Security, login)
    peer: str = ""
    time: float = field(default_factory=time.time)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


#: The method of a record for a connection on which no request was read (a hostile device that answers on
#: connect, a banner port); such a record carries no path.
CONNECTION_ONLY = "CONNECT"


def is_connection_only(record: RequestRecord) -> bool:
    """A connection the device recorded without reading a request from it (not an HTTP CONNECT request,
    which names a target)."""
    return record.method == CONNECTION_ONLY and not record.path


def is_read_only(record: RequestRecord) -> bool:
    """True when the request cannot change a real device's configuration or state (a connection on which no
    request was read cannot)."""
    if is_connection_only(record):
        return True
    if record.protocol == "onvif":
        return not record.action.startswith(WRITE_PREFIXES)
    if record.protocol in {"http", "https"}:
        if record.method in READ_ONLY_HTTP_METHODS:
            return True
        if record.method == "POST" and record.path.startswith(READ_ONLY_POST_PATHS):
            if "HNAP1" in record.path:
                return record.action.startswith(READ_ONLY_HNAP)
            return not record.action.startswith(WRITE_PREFIXES)
        return False
    if record.protocol == "rtsp":
        return record.method in READ_ONLY_RTSP_METHODS
    if record.protocol in {"wsd", "sadp", "dhdiscover", "xm", "ssdp"}:
        return record.action in READ_ONLY_DISCOVERY
    if record.protocol == "dvrip":
        return record.action in READ_ONLY_DVRIP
    return True  # plain TCP connects and banners


class RequestLog:
    """A bounded, thread-safe list of requests, optionally mirrored to a JSON-lines stream."""

    def __init__(self, limit: int = 100_000, sink: IO[str] | None = None) -> None:
        self._records: deque[RequestRecord] = deque(maxlen=limit)
        self._lock = threading.Lock()
        self._sink = sink
        self.total = 0
        self._listeners: list[Callable[[RequestRecord], None]] = []

    def add(self, record: RequestRecord) -> None:
        with self._lock:
            self._records.append(record)
            self.total += 1
            if self._sink is not None:
                self._sink.write(json.dumps(record.to_dict()) + "\n")
                self._sink.flush()
        for listener in self._listeners:
            listener(record)

    def subscribe(self, listener: Callable[[RequestRecord], None]) -> None:
        self._listeners.append(listener)

    def records(self, device: str | None = None) -> list[RequestRecord]:
        with self._lock:
            items = list(self._records)
        return [r for r in items if device is None or device in (r.device, r.ip)]

    def writes(self) -> list[RequestRecord]:
        """Requests that could have changed a real device."""
        return [r for r in self.records() if not is_read_only(r)]

    def clear(self) -> None:
        with self._lock:
            self._records.clear()

    def extend(self, records: Iterable[RequestRecord]) -> None:
        for record in records:
            self.add(record)
