"""IP fragment reassembly for the datagrams camscan decodes (a WS-Discovery ProbeMatch or a UPnP NOTIFY can
exceed one Ethernet frame). Bounded: at most MAX_DATAGRAMS in flight, each at most 64 KiB, dropped after
TIMEOUT seconds of capture time or when newer ones need the room.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_DATAGRAMS = 256
MAX_SIZE = 65535
TIMEOUT = 30.0


@dataclass(slots=True)
class _Partial:
    first: float
    parts: dict[int, bytes] = field(default_factory=dict)
    total: int | None = None
    size: int = 0


class Defragmenter:
    def __init__(self) -> None:
        self.pending: dict[bytes, _Partial] = {}

    def add(self, key: bytes, offset: int, more: bool, data: bytes, ts: float) -> bytes | None:
        """Add a fragment (payload at byte `offset`); returns the whole datagram once every part is in."""
        if offset + len(data) > MAX_SIZE:
            self.pending.pop(key, None)
            return None
        partial = self.pending.get(key)
        if partial is None or ts - partial.first > TIMEOUT:
            if len(self.pending) >= MAX_DATAGRAMS:
                del self.pending[next(iter(self.pending))]
            partial = self.pending[key] = _Partial(ts)
        if offset not in partial.parts:
            partial.size += len(data)
            if partial.size > MAX_SIZE:
                del self.pending[key]
                return None
        partial.parts[offset] = data
        if not more:
            partial.total = offset + len(data)
        if partial.total is None:
            return None
        out = bytearray()
        for start in sorted(partial.parts):
            if start > len(out):
                return None  # a hole: wait for the missing fragment
            out += partial.parts[start][len(out) - start :]
        if len(out) < partial.total:
            return None
        del self.pending[key]
        return bytes(out[: partial.total])
