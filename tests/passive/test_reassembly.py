"""TCP reassembly of one direction: order, retransmissions, overlaps, wrap-around, holes and FIN."""

from __future__ import annotations

from camscan.passive.reassembly import MAX_PENDING_SEGMENTS, HalfStream


class Sink:
    """Collects what the stream delivers."""

    def __init__(self, stop_after: int | None = None) -> None:
        self.received = b""
        self.ended = False
        self.stop_after = stop_after

    def data(self, chunk: bytes, ts: float) -> bool:
        self.received += chunk
        return self.stop_after is None or len(self.received) < self.stop_after

    def end(self, ts: float) -> None:
        self.ended = True

    def buffered(self) -> int:
        return 0


def make(isn: int | None = 1000, stop_after: int | None = None) -> tuple[HalfStream, Sink]:
    sink = Sink(stop_after)
    return HalfStream(sink, isn, 0.0), sink


def got(sink: Sink) -> bytes:
    return sink.received


def test_in_order_and_fin() -> None:
    stream, sink = make()
    stream.segment(1001, b"hello ", False, 1.0)
    stream.segment(1007, b"world", True, 2.0)
    assert got(sink) == b"hello world" and sink.ended and stream.finished


def test_out_of_order_waits_for_the_gap() -> None:
    stream, sink = make()
    stream.segment(1007, b"world", False, 1.0)
    assert got(sink) == b""
    stream.segment(1001, b"hello ", False, 2.0)
    assert got(sink) == b"hello world"


def test_retransmission_and_overlap_are_trimmed() -> None:
    stream, sink = make()
    stream.segment(1001, b"abcdef", False, 1.0)
    stream.segment(1001, b"abcdef", False, 1.1)  # duplicate
    stream.segment(1004, b"defghi", False, 1.2)  # overlaps the end
    stream.segment(1010, b"jk", False, 1.3)
    stream.segment(1008, b"hijk", False, 1.4)  # old by now
    assert got(sink) == b"abcdefghijk"


def test_overlapping_pending_segments() -> None:
    stream, sink = make()
    stream.segment(1005, b"efgh", False, 1.0)
    stream.segment(1003, b"cdefghij", False, 1.1)  # a longer retransmission covering the first
    stream.segment(1001, b"ab", False, 1.2)
    assert got(sink) == b"abcdefghij"


def test_sequence_wrap_around() -> None:
    stream, sink = make(isn=0xFFFFFFFD)
    stream.segment(0xFFFFFFFE, b"ab", False, 1.0)
    stream.segment(0x00000000, b"cd", False, 1.1)
    assert got(sink) == b"abcd"


def test_no_handshake_starts_at_first_segment() -> None:
    stream, sink = make(isn=None)
    stream.segment(5, b"mid", False, 1.0)
    stream.segment(8, b"dle", False, 1.1)
    assert got(sink) == b"middle"


def test_hole_that_never_fills_ends_the_stream() -> None:
    stream, sink = make()
    stream.segment(1001, b"x", False, 1.0)
    for i in range(MAX_PENDING_SEGMENTS + 1):
        stream.segment(1100 + 10 * i, b"y", False, 2.0)
    assert stream.finished and sink.ended and got(sink) == b"x"


def test_sink_that_wants_no_more() -> None:
    stream, sink = make(stop_after=3)
    stream.segment(1001, b"abcd", False, 1.0)
    stream.segment(1005, b"efgh", False, 1.1)
    assert got(sink) == b"abcd" and stream.finished


def test_close_delivers_what_is_in_order() -> None:
    stream, sink = make()
    stream.segment(1004, b"def", False, 1.0)
    stream.segment(1001, b"abc", False, 1.1)
    stream.segment(1010, b"zzz", False, 1.2)  # beyond a hole
    stream.close(2.0)
    assert got(sink) == b"abcdef" and sink.ended
