"""Capture formats and damage: pcap (µs, ns, both byte orders), pcapng (sections, resolutions), gzip, and bad files."""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import pytest
from scapy.utils import RawPcapReader

from camscan.passive.capture import CaptureStats, NotACapture, open_capture
from camscan.passive.pcap_writer import PcapWriter

from .conftest import PCAPS

FRAME = bytes(12) + b"\x08\x06" + bytes(28)


def read(path: Path) -> tuple[list[tuple[float, int, bytes]], CaptureStats]:
    with open_capture(path) as capture:
        records = [(ts, lt, bytes(buf[off : off + n])) for ts, lt, buf, off, n in capture.records()]
        return records, capture.stats


@pytest.mark.parametrize("path", sorted(p for p in PCAPS.iterdir() if p.name.endswith((".pcap", ".pcapng"))))
def test_same_records_as_scapy(path: Path) -> None:
    """Every committed capture: the records camscan reads are those scapy's RawPcapReader reads."""
    records, stats = read(path)
    expected = []
    try:
        for data, _meta in RawPcapReader(str(path)):
            expected.append(bytes(data))
    except Exception:
        pass
    if path.name in ("truncated.pcap", "corrupt_record.pcap", "unknown_linktype.pcap"):
        assert stats.problem
        expected = expected[: len(records)] if path.name != "unknown_linktype.pcap" else []
    assert [r[2] for r in records] == expected


def pcap_bytes(order: str, magic: int, records: list[tuple[int, int, bytes]], linktype: int = 1) -> bytes:
    out = struct.pack(order + "IHHiIII", magic, 2, 4, 0, 0, 65535, linktype)
    for sec, frac, data in records:
        out += struct.pack(order + "IIII", sec, frac, len(data), len(data)) + data
    return out


@pytest.mark.parametrize(
    ("order", "magic", "frac", "ts"),
    [
        ("<", 0xA1B2C3D4, 250000, 1000.25),
        (">", 0xA1B2C3D4, 250000, 1000.25),
        ("<", 0xA1B23C4D, 5, 1000.000000005),
    ],
)
def test_pcap_variants(tmp_path: Path, order: str, magic: int, frac: int, ts: float) -> None:
    path = tmp_path / "x.pcap"
    path.write_bytes(pcap_bytes(order, magic, [(1000, frac, FRAME)]))
    [(got_ts, lt, data)], stats = read(path)
    assert got_ts == pytest.approx(ts, abs=1e-9) and lt == 1 and data == FRAME and stats.problem is None


def block(order: str, btype: int, body: bytes) -> bytes:
    body += bytes(-len(body) % 4)
    total = len(body) + 12
    return struct.pack(order + "II", btype, total) + body + struct.pack(order + "I", total)


def pcapng_section(
    order: str, interfaces: list[tuple[int, bytes]], packets: list[tuple[int, int, bytes]]
) -> bytes:
    shb = struct.pack(order + "IHHq", 0x1A2B3C4D, 1, 0, -1)
    out = block(order, 0x0A0D0D0A, shb)
    for linktype, options in interfaces:
        out += block(order, 1, struct.pack(order + "HHI", linktype, 0, 0) + options)
    for iface, stamp, data in packets:
        epb = (
            struct.pack(order + "IIIII", iface, stamp >> 32, stamp & 0xFFFFFFFF, len(data), len(data)) + data
        )
        out += block(order, 6, epb)
    return out


def test_pcapng_sections_orders_and_resolutions(tmp_path: Path) -> None:
    nano = struct.pack("<HH", 9, 1) + b"\x09\x00\x00\x00" + struct.pack("<HH", 0, 0)  # if_tsresol = 10^-9
    data = pcapng_section("<", [(1, b""), (1, nano)], [(0, 2_000_000, FRAME), (1, 3_000_000_000, FRAME)])
    data += pcapng_section(">", [(113, b"")], [(0, 4_000_000, bytes(16) + FRAME[14:])])
    data += block(">", 0x0BAD, b"abcd")  # an unknown block type is skipped
    path = tmp_path / "x.pcapng"
    path.write_bytes(data)
    records, stats = read(path)
    assert [(r[0], r[1]) for r in records] == [(2.0, 1), (3.0, 1), (4.0, 113)]
    assert stats.problem is None and stats.packets == 3


def test_gzip(tmp_path: Path) -> None:
    path = tmp_path / "x.pcap.gz"
    path.write_bytes(gzip.compress((PCAPS / "vendor_discovery_vlan.pcap").read_bytes()))
    records, stats = read(path)
    assert len(records) == 6 and stats.format == "pcap+gzip" and stats.compressed


def test_damaged_gzip_keeps_what_came_before(tmp_path: Path) -> None:
    whole = gzip.compress(
        pcap_bytes("<", 0xA1B2C3D4, [(i, 0, FRAME + bytes([i % 256]) * 200) for i in range(2000)])
    )
    path = tmp_path / "x.pcap.gz"
    path.write_bytes(whole[: len(whole) // 2])
    records, stats = read(path)
    assert 0 < len(records) < 2000 and "compressed data" in (stats.problem or "")


def test_many_windows(tmp_path: Path) -> None:
    """More than one read window (a gzip stream is read 4 MiB at a time): no record is lost at a boundary."""
    path = tmp_path / "big.pcap"
    with PcapWriter(path) as out:
        for i in range(12000):
            out.write(i, FRAME + bytes(i % 1400))
    raw = path.read_bytes()
    (tmp_path / "big.pcap.gz").write_bytes(gzip.compress(raw, compresslevel=1))
    plain, _ = read(path)
    packed, _ = read(tmp_path / "big.pcap.gz")
    assert len(plain) == len(packed) == 12000 and plain[-1] == packed[-1]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"hello world, this is text\n", "starts with text"),
        (b"\x00\x01\x02\x03\x04\x05\x06\x07\x08", "starts with bytes 00 01"),
        (b"\xd4\xc3\xb2\xa1\x02\x00", "cut short inside its 24-byte header"),
        (gzip.compress(b"just text inside gzip"), "not a pcap or pcapng capture"),
        (b"\x1f\x8bnot really gzip at all", "gzip"),
    ],
)
def test_not_a_capture(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad"
    path.write_bytes(content)
    with pytest.raises(NotACapture, match=message):
        open_capture(path)


def test_missing_and_directory(tmp_path: Path) -> None:
    with pytest.raises(NotACapture, match="no such file"):
        open_capture(tmp_path / "missing.pcap")
    with pytest.raises(NotACapture, match="directory"):
        open_capture(tmp_path)


@pytest.mark.parametrize(
    ("name", "expected", "message"),
    [
        ("truncated.pcap", 5, "truncated: record 6 is cut short"),
        ("corrupt_record.pcap", 4, "corrupt record 5"),
        ("unknown_linktype.pcap", 0, "link type 147 is not supported"),
    ],
)
def test_damage_is_one_line(name: str, expected: int, message: str) -> None:
    records, stats = read(PCAPS / name)
    assert len(records) == expected and message in (stats.problem or "") and "\n" not in (stats.problem or "")


def test_pcapng_damage(tmp_path: Path) -> None:
    good = pcapng_section("<", [(1, b"")], [(0, i * 1_000_000, FRAME) for i in range(5)])
    bad = bytearray(good)
    bad[-4:] = b"\x00\x00\x00\x00"  # the last block's trailing length disagrees
    (tmp_path / "a.pcapng").write_bytes(bytes(bad))
    (tmp_path / "b.pcapng").write_bytes(good[:-20])
    records, stats = read(tmp_path / "a.pcapng")
    assert len(records) == 4 and "lengths differ" in (stats.problem or "")
    records, stats = read(tmp_path / "b.pcapng")
    assert len(records) == 4 and "truncated" in (stats.problem or "")
