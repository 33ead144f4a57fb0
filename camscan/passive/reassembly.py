"""TCP reassembly of one direction of a connection: segments in, contiguous bytes out, in order.

Retransmissions and overlaps are trimmed to the bytes not yet delivered; segments that arrive early (out of
order) wait, bounded in number and bytes, until the gap before them is filled. A gap that never fills (the
capture lost a segment) ends the stream: the sink is told with `end`, so a half-received message can still be
reported. Sequence numbers wrap modulo 2**32.
"""

from __future__ import annotations

from typing import Protocol

MASK = 0xFFFFFFFF
HALF = 0x80000000
MAX_PENDING_SEGMENTS = 64
MAX_PENDING_BYTES = 256 * 1024


class StreamSink(Protocol):
    """What consumes a reassembled direction. `data` returns False when it wants nothing more."""

    def data(self, chunk: bytes, ts: float) -> bool: ...

    def end(self, ts: float) -> None: ...

    def buffered(self) -> int: ...


def distance(seq: int, ref: int) -> int:
    """Signed distance from `ref` to `seq` in sequence space."""
    d = (seq - ref) & MASK
    return d - 0x100000000 if d >= HALF else d


class HalfStream:
    """One direction of a TCP connection, delivering bytes to `sink` in sequence order."""

    __slots__ = ("fin_seq", "finished", "last", "next_seq", "pending", "pending_bytes", "sink")

    def __init__(self, sink: StreamSink, isn: int | None, ts: float) -> None:
        self.sink = sink
        self.next_seq: int | None = None if isn is None else (isn + 1) & MASK
        self.pending: dict[int, bytes] = {}
        self.pending_bytes = 0
        self.finished = False
        self.fin_seq: int | None = None
        self.last = ts

    def buffered(self) -> int:
        return self.pending_bytes + self.sink.buffered()

    def segment(self, seq: int, payload: bytes, fin: bool, ts: float) -> None:
        if self.finished:
            return
        self.last = ts
        if payload:
            if self.next_seq is None:
                self.next_seq = seq
            d = distance(seq, self.next_seq)
            if d <= 0:
                if -d < len(payload):
                    self._deliver(payload[-d:] if d else payload, ts)
                    if self.pending and not self.finished:
                        self._drain(ts)
            elif (
                len(self.pending) >= MAX_PENDING_SEGMENTS
                or self.pending_bytes + len(payload) > MAX_PENDING_BYTES
            ):
                self.close(ts)  # a hole that is not going to be filled
                return
            else:
                old = self.pending.get(seq)
                if old is None or len(old) < len(payload):
                    self.pending_bytes += len(payload) - (len(old) if old else 0)
                    self.pending[seq] = payload
        if fin:
            self.fin_seq = (seq + len(payload)) & MASK
        if self.fin_seq is not None and self.next_seq == self.fin_seq and not self.finished:
            self.close(ts)

    def close(self, ts: float) -> None:
        """The direction ended (FIN, RST, idle expiry, end of capture): deliver what is in order, then end."""
        if self.finished:
            return
        if self.pending:
            self._drain(ts)
        self.finished = True
        self.pending.clear()
        self.pending_bytes = 0
        self.sink.end(ts)

    def _deliver(self, chunk: bytes, ts: float) -> None:
        assert self.next_seq is not None
        self.next_seq = (self.next_seq + len(chunk)) & MASK
        if not self.sink.data(chunk, ts):
            self.finished = True
            self.pending.clear()
            self.pending_bytes = 0

    def _drain(self, ts: float) -> None:
        progress = True
        while progress and self.pending and not self.finished:
            progress = False
            assert self.next_seq is not None
            for seq in list(self.pending):
                d = distance(seq, self.next_seq)
                if d > 0:
                    continue
                data = self.pending.pop(seq)
                self.pending_bytes -= len(data)
                if -d < len(data):
                    self._deliver(data[-d:] if d else data, ts)
                progress = True
                break
