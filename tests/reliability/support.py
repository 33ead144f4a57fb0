"""Helpers for the reliability tests: captures of any size, written fast without scapy; the real camscan run
in a subprocess and measured (wall time, peak RSS, open descriptors); read-only looks at a database."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from camscan.passive.pcap_writer import PcapWriter, ethernet_ipv4_udp

SSDP_GROUP = ("01:00:5e:7f:ff:fa", "239.255.255.250", 1900)


def ssdp_notify(n: int) -> bytes:
    return (
        "NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nCACHE-CONTROL: max-age=1800\r\n"
        f"LOCATION: http://10.99.{n >> 8 & 255}.{n & 255}:80/upnp.xml\r\nNT: upnp:rootdevice\r\n"
        "NTS: ssdp:alive\r\nSERVER: Linux/3.10 UPnP/1.0 Axis/1.0\r\n"
        f"USN: uuid:00000000-0000-0000-0000-{n:012x}::upnp:rootdevice\r\n\r\n"
    ).encode()


def write_capture(path: Path, *, hosts: int, background: int = 0, host_every: int = 1) -> Path:
    """`hosts` devices announcing themselves over SSDP, interleaved with `background` bulk UDP packets.

    Each device has its own Hikvision-prefix MAC and private address, so it becomes its own stored device.
    """
    ts = 1_767_225_600
    noise = ethernet_ipv4_udp(
        ("02:00:00:00:00:01", "10.98.0.1", 40000), ("01:00:5e:7f:ff:fa", "10.98.0.2", 9999), b"\xaa" * 1000
    )
    with PcapWriter(path) as pcap:
        written_hosts = 0
        total = max(hosts * host_every, background + hosts)
        for i in range(total):
            if written_hosts < hosts and i % host_every == 0:
                n = written_hosts
                mac = f"c4:2f:90:{n >> 16 & 255:02x}:{n >> 8 & 255:02x}:{n & 255:02x}"
                frame = ethernet_ipv4_udp(
                    (mac, f"10.99.{n >> 8 & 255}.{n & 255}", 1900), SSDP_GROUP, ssdp_notify(n)
                )
                written_hosts += 1
            else:
                frame = noise
            pcap.write(ts + i // 1000 + (i % 1000) / 1000, frame)
    return path


# -- running the real camscan and measuring it -------------------------------------------------------------------

CAMSCAN = Path(sys.executable).parent / "camscan"
ROOT = Path(__file__).resolve().parents[2]


@dataclass(slots=True)
class Run:
    """A finished camscan process: exit code, output, wall time, peak RSS and its open file descriptors."""

    returncode: int
    stdout: str
    stderr: str
    elapsed: float
    peak_rss_kb: int  # the process's own peak RSS (or its largest waited-for child's): see `run_measured`
    fd_peak: int = 0  # most descriptors seen open in /proc/<pid>/fd while it ran (0: not sampled)
    fd_last: int = 0  # the last sample, taken near its end

    def json(self) -> Any:
        return json.loads(self.stdout)


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment without the caller's CAMSCAN_* settings, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAMSCAN_")}
    env.update(extra or {})
    return env


def fd_count(pid: int) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return 0


def rss_kb(pid: int) -> tuple[int, int]:
    """(current RSS, peak RSS) of a running process in KiB, from /proc/<pid>/status."""
    values = {"VmRSS": 0, "VmHWM": 0}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in values:
            values[key] = int(rest.split()[0])
    return values["VmRSS"], values["VmHWM"]


def children(pid: int) -> list[int]:
    """The direct children of a running process."""
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            out += [int(p) for p in (task / "children").read_text().split()]
    return out


def running(pid: int) -> bool:
    """True while the process exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def start(
    args: list[str], *, env: dict[str, str] | None = None, stderr: IO[bytes] | None = None
) -> subprocess.Popen[bytes]:
    """`camscan ARGS` started in the background with a clean environment (stdout discarded; stderr to the
    given file, else discarded)."""
    return subprocess.Popen(
        [str(CAMSCAN), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL if stderr is None else stderr,
        env=clean_env(env),
        cwd=ROOT,
    )


def run_measured(
    args: list[str],
    *,
    env: dict[str, str] | None = None,
    timeout: float = 300,
    sample_fds: bool = False,
    prefix: list[str] | None = None,
) -> Run:
    """Run `camscan ARGS` to the end, measuring wall time and peak RSS, optionally sampling its fds.

    The peak is the process's VmHWM, sampled every 20 ms (per address space, so reset by exec), unless wait4's
    ru_maxrss is larger than this test process was when it started camscan: wait4 alone cannot be trusted, since
    exec records the forking process's high-water mark in the child's, so a child of a pytest run that has grown
    to 430 MB reports 430 MB however little it used itself (bench/soak.py measures the same way)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        parent_peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        hwm_kb = 0
        started = time.monotonic()
        proc = subprocess.Popen(
            [*(prefix or []), str(CAMSCAN), *args], stdout=out, stderr=err, env=clean_env(env), cwd=ROOT
        )
        fd_peak = fd_last = 0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > timeout:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                proc.returncode = os.waitstatus_to_exitcode(status)
                raise AssertionError(f"camscan {' '.join(args)} did not end within {timeout} s")
            if sample_fds:
                n = fd_count(proc.pid)
                if n:
                    fd_peak, fd_last = max(fd_peak, n), n
            with contextlib.suppress(OSError, ValueError):
                hwm_kb = max(hwm_kb, rss_kb(proc.pid)[1])
            time.sleep(0.02)
        elapsed = time.monotonic() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            proc.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            elapsed,
            max(hwm_kb, usage.ru_maxrss if usage.ru_maxrss > parent_peak_kb else 0),
            fd_peak,
            fd_last,
        )


# -- reading a database -----------------------------------------------------------------------------------------


def integrity(db: Path) -> str:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


def query(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows from a read-only connection (never writes, never creates the file)."""
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)) as conn:
        return list(conn.execute(sql, params))


def count(db: Path, sql: str, params: tuple[Any, ...] = ()) -> int:
    return int(query(db, sql, params)[0][0])


def database_bytes(db: Path) -> bytes:
    """The database file and its -wal/-shm/-journal companions, as stored on disk."""
    return b"".join(p.read_bytes() for p in sorted(db.parent.glob(db.name + "*")) if p.is_file())


def wait_for(predicate: Callable[[], bool], timeout: float = 60.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(sqlite3.Error):
            if predicate():
                return
        time.sleep(0.05)
    raise AssertionError(f"{what} not reached within {timeout} s")
