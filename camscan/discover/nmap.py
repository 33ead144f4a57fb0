"""Host and port discovery with nmap, run block by block in a worker process (see nmap_worker.py).

Blocks start small so the first hosts reach the fingerprinting stage within a second, then grow; results of
each block stream on while the rest of the range is scanned.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import sys
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field

from camscan.errors import CamscanError

#: TCP ports where cameras, recorders and their SDKs listen (CONTRACT, DESIGN §3).
CAMERA_PORTS = (80, 443, 554, 2020, 5000, 7001, 8000, 8080, 8443, 8554, 8899, 34567, 37777)
BLOCK_SIZES = (16, 64, 256)


class NmapMissing(CamscanError):
    exit_code = 2


@dataclass(slots=True)
class NmapPort:
    port: int
    proto: str
    state: str
    name: str | None = None
    product: str | None = None
    version: str | None = None


@dataclass(slots=True)
class NmapHost:
    ip: str
    mac: str | None
    ports: list[NmapPort] = field(default_factory=list)

    @property
    def open_tcp(self) -> list[int]:
        return [p.port for p in self.ports if p.proto == "tcp" and p.state == "open"]


@dataclass(slots=True)
class NmapBlockResult:
    hosts: list[NmapHost]
    addresses: int
    error: str | None
    elapsed: float


def nmap_path() -> str:
    path = shutil.which("nmap")
    if path is None:
        raise NmapMissing(
            "nmap is not installed; install it with `sudo apt-get install nmap` (or run `bash setup.sh install`)"
        )
    return path


def nmap_arguments(*, privileged: bool, host_timeout_s: int, rate: int | None) -> str:
    args = ["-n", "--open", "-T4", "--max-retries", "1", f"--host-timeout {host_timeout_s}s"]
    args.append("-sS" if privileged else "-sT")
    if rate:
        args.append(f"--max-rate {rate}")
    return " ".join(args)


def block_sizes(addresses: list[str]) -> Iterable[list[str]]:
    """Split a list of addresses into growing blocks: 16, 64, then 256 at a time."""
    i, n = 0, 0
    while i < len(addresses):
        size = BLOCK_SIZES[min(n, len(BLOCK_SIZES) - 1)]
        yield addresses[i : i + size]
        i += size
        n += 1


class NmapRunner:
    """One worker process; blocks are scanned one after another, results yielded as each block ends."""

    def __init__(self, ports: Iterable[int], *, host_timeout_s: int = 30, rate: int | None = None) -> None:
        nmap_path()
        self.ports = ",".join(str(p) for p in sorted(set(ports)))
        self.arguments = nmap_arguments(
            privileged=hasattr(os, "geteuid") and os.geteuid() == 0, host_timeout_s=host_timeout_s, rate=rate
        )
        self.block_timeout = host_timeout_s * 4 + 60
        self._proc: asyncio.subprocess.Process | None = None

    async def _start(self) -> asyncio.subprocess.Process:
        if self._proc is None or self._proc.returncode is not None:
            self._proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "camscan.discover.nmap_worker",
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                limit=64 * 1024 * 1024,
                start_new_session=True,  # its own process group: `terminate()` stops it and its nmap together
            )
        return self._proc

    async def scan(self, addresses: list[str]) -> AsyncIterator[NmapBlockResult]:
        for n, block in enumerate(block_sizes(addresses)):
            yield await self.scan_block(block, n)

    async def scan_block(self, block: list[str], block_id: int = 0) -> NmapBlockResult:
        proc = await self._start()
        assert proc.stdin is not None and proc.stdout is not None
        request = {
            "id": block_id,
            "hosts": block,
            "ports": self.ports,
            "arguments": self.arguments,
            "timeout": self.block_timeout,
        }
        proc.stdin.write((json.dumps(request) + "\n").encode())
        await proc.stdin.drain()
        line = await proc.stdout.readline()
        if not line:
            return NmapBlockResult([], len(block), "the nmap worker stopped unexpectedly", 0.0)
        data = json.loads(line)
        hosts = [
            NmapHost(
                ip=h["ip"],
                mac=h.get("mac"),
                ports=[
                    NmapPort(
                        p["port"], p["proto"], p["state"], p.get("name"), p.get("product"), p.get("version")
                    )
                    for p in h["ports"]
                ],
            )
            for h in data["hosts"]
        ]
        return NmapBlockResult(hosts, len(block), data.get("error"), float(data.get("elapsed") or 0.0))

    def terminate(self) -> None:
        """Stop the worker and the nmap it is running at once (Ctrl-C, SIGTERM): the whole process group."""
        if self._proc is not None and self._proc.returncode is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self._proc.pid, signal.SIGKILL)

    async def close(self) -> None:
        if self._proc is not None and self._proc.returncode is None:
            assert self._proc.stdin is not None
            self._proc.stdin.close()
            try:
                await asyncio.wait_for(self._proc.wait(), 5)
            except TimeoutError:
                self._proc.kill()
                await self._proc.wait()
