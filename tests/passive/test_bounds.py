"""Memory stays flat: bounded flow table, bounded followed streams and buffers, idle streams expire."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from camscan.passive import decoder as decoder_module
from camscan.passive.capture import open_capture
from camscan.passive.decoder import PacketDecoder
from camscan.passive.hosts import HostTable
from camscan.passive.pcap_writer import PcapWriter, ethernet_ipv4_tcp

CLIENT_MAC, SERVER_MAC = "02:00:00:00:00:0c", "02:00:00:00:01:01"
ACK, PSH_ACK, SYN = 0x10, 0x18, 0x02


def http_flows(
    path: Path,
    flows: int,
    *,
    body: int,
    chunk: int = 1400,
    finish: bool = False,
    t0: float = 0.0,
    net: int = 1,
) -> None:
    """`flows` parallel connections, each a request and a response announcing `body` bytes, sent in full only
    with `finish`; otherwise 4 KiB of body and then silence."""
    with PcapWriter(path) as out:
        t = t0
        for n in range(flows):
            client = (CLIENT_MAC, f"10.{net}.{n >> 8 & 255}.{n & 255}", 40000 + n % 20000)
            server = (SERVER_MAC, "10.0.0.1", 80)
            out.write(t, ethernet_ipv4_tcp(client, server, seq=0, ack=0, flags=SYN))
            out.write(
                t,
                ethernet_ipv4_tcp(client, server, b"GET /big HTTP/1.1\r\n\r\n", seq=1, ack=1, flags=PSH_ACK),
            )
            head = f"HTTP/1.1 200 OK\r\nServer: App-webs/\r\nContent-Length: {body}\r\n\r\n".encode()
            out.write(t, ethernet_ipv4_tcp(server, client, head, seq=1, ack=22, flags=PSH_ACK))
            seq, left = 1 + len(head), body if finish else min(body, 4096)
            while left > 0:
                size = min(chunk, left)
                out.write(t, ethernet_ipv4_tcp(server, client, b"x" * size, seq=seq, ack=22, flags=ACK))
                seq += size
                left -= size
            t += 0.001


def decode(path: Path) -> PacketDecoder:
    decoder = PacketDecoder(HostTable())
    with open_capture(path) as capture:
        decoder.run(capture.records())
    return decoder


def test_flow_table_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(decoder_module, "MAX_FLOWS", 500)
    monkeypatch.setattr(decoder_module, "MAINTAIN_EVERY", 64)
    path = tmp_path / "many.pcap"
    with PcapWriter(path) as out:
        for n in range(5000):  # bulk, uninteresting connections
            src = (CLIENT_MAC, f"10.2.{n >> 8 & 255}.{n & 255}", 1024 + n)
            dst = (SERVER_MAC, "10.0.0.2", 445)
            out.write(n, ethernet_ipv4_tcp(src, dst, b"\x00SMB" * 100, seq=5, ack=1, flags=ACK))
            out.write(n, ethernet_ipv4_tcp(dst, src, seq=1, ack=405, flags=ACK))
    decoder = decode(path)
    assert len(decoder.flows) <= 500 + 2 * 64 and not decoder.active


def test_large_bodies_stop_being_followed(tmp_path: Path) -> None:
    """A 50 MB download: the head and the first 128 KiB are kept and reported, the rest costs a look-up."""
    path = tmp_path / "download.pcap"
    http_flows(path, 1, body=50 * 1024 * 1024, chunk=65000, finish=True)
    tracemalloc.start()
    decoder = decode(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    decoder.finish()
    assert peak < 16 * 1024 * 1024
    [group] = [g for g in decoder.table.groups() if g.ip == "10.0.0.1"]
    assert ("http_server", "App-webs/") in [(o.kind, o.value) for o in group.observations]


def test_idle_streams_expire(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(decoder_module, "MAINTAIN_EVERY", 16)
    path = tmp_path / "idle.pcap"
    http_flows(path, 40, body=100_000, t0=0.0)
    decoder = PacketDecoder(HostTable())
    with open_capture(path) as capture:
        decoder.run(capture.records())
    assert len(decoder.active) == 80  # both directions of each, waiting for the rest of the body
    later = tmp_path / "later.pcap"
    http_flows(later, 40, body=10, finish=True, t0=decoder_module.IDLE_TIMEOUT + 100, net=9)
    with open_capture(later) as capture:
        decoder.run(capture.records())
    assert decoder.stats.expired >= 80 and len(decoder.active) <= 80


def test_active_streams_and_buffers_are_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(decoder_module, "MAINTAIN_EVERY", 16)
    monkeypatch.setattr(decoder_module, "MAX_ACTIVE", 50)
    monkeypatch.setattr(decoder_module, "BUFFER_BUDGET", 64 * 1024)
    path = tmp_path / "parallel.pcap"
    http_flows(path, 400, body=1_000_000)
    decoder = decode(path)
    assert len(decoder.active) <= 50 + 16
    assert sum(s.buffered() for s in decoder.active.values()) <= 64 * 1024 + 16 * 5000
    assert decoder.stats.expired > 0
