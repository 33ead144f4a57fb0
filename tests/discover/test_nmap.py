"""The nmap adapter against real nmap on loopback (a listener this test starts)."""

from __future__ import annotations

import asyncio
import shutil
import socket
import threading

import pytest

from camscan.discover.nmap import NmapHost, NmapMissing, NmapRunner, block_sizes

pytestmark = pytest.mark.skipif(shutil.which("nmap") is None, reason="nmap not installed")


@pytest.fixture
def listener():
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.31.0.9", 0))
    sock.listen()
    stop = threading.Event()

    def accept() -> None:
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
                conn.close()
            except OSError:
                continue

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    yield sock.getsockname()
    stop.set()
    t.join()
    sock.close()


def test_block_sizes_grow():
    addrs = [f"10.0.{i // 256}.{i % 256}" for i in range(600)]
    assert [len(b) for b in block_sizes(addrs)] == [16, 64, 256, 256, 8]


def test_finds_open_port_on_loopback(listener):
    ip, port = listener

    async def run() -> list[NmapHost]:
        runner = NmapRunner([port, 1])
        found = []
        async for block in runner.scan([f"127.31.0.{i}" for i in range(1, 21)]):
            assert block.error is None
            found.extend(block.hosts)
        await runner.close()
        return found

    hosts = asyncio.run(run())
    assert [(h.ip, h.open_tcp) for h in hosts] == [(ip, [port])]


def test_missing_nmap_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(NmapMissing, match="apt-get install nmap"):
        NmapRunner([80])
