"""The fused pcap fast path and the generic record path decode the same things."""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import pytest

from camscan.passive.capture import CaptureStats, open_capture
from camscan.passive.decoder import PacketDecoder
from camscan.passive.hosts import HostTable

from .conftest import PCAPS


def groups(decoder: PacketDecoder) -> list[tuple[object, ...]]:
    decoder.finish()
    return [
        (g.ip, g.mac, tuple((o.kind, o.port, repr(o.value), round(o.time, 6)) for o in g.observations))
        for g in decoder.table.groups()
    ]


def both(path: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]], CaptureStats, CaptureStats]:
    fast, slow = PacketDecoder(HostTable()), PacketDecoder(HostTable())
    with open_capture(path) as capture:
        assert capture.fast_walk() is not None
    with open_capture(path) as capture:
        fast.run_capture(capture)
        fast_stats = capture.stats
    with open_capture(path) as capture:
        slow.run(capture.records())
        slow_stats = capture.stats
    return groups(fast), groups(slow), fast_stats, slow_stats


@pytest.mark.parametrize(
    "path", sorted(p for p in PCAPS.glob("*.pcap") if p.name != "unknown_linktype.pcap"), ids=lambda p: p.name
)
def test_fast_path_equals_generic_path(path: Path) -> None:
    fast, slow, fast_stats, slow_stats = both(path)
    assert fast == slow
    for field in ("packets", "first", "last", "problem"):
        assert getattr(fast_stats, field) == getattr(slow_stats, field), field


def test_nanosecond_pcap_fast_path(tmp_path: Path) -> None:
    data = (PCAPS / "vendor_discovery_vlan.pcap").read_bytes()
    out, pos = bytearray(struct.pack("<IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, 65535, 1)), 24
    while pos < len(data):
        sec, usec, incl, orig = struct.unpack_from("<IIII", data, pos)
        out += struct.pack("<IIII", sec, usec * 1000, incl, orig) + data[pos + 16 : pos + 16 + incl]
        pos += 16 + incl
    path = tmp_path / "ns.pcap"
    path.write_bytes(bytes(out))
    fast, slow, fast_stats, _ = both(path)
    assert fast == slow and fast_stats.first == pytest.approx(1767225600.0, abs=1.0)


def test_compressed_files_take_the_generic_path(tmp_path: Path) -> None:
    path = tmp_path / "x.pcap.gz"
    path.write_bytes(gzip.compress((PCAPS / "http_segmented.pcap").read_bytes()))
    with open_capture(path) as capture:
        assert capture.fast_walk() is None
