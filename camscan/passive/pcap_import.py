"""`camscan pcap`: identify devices from recorded traffic, into the inventory, through the one pipeline.

    result = import_pcaps(store, engine, [Path("site-a.pcapng.gz")], site="site-a")

Every file is read as a stream (`camscan.passive.capture`), decoded (`camscan.passive.decoder`) into per-host
observations (`camscan.passive.hosts`), and each host goes through `camscan.pipeline.ingest_host`, exactly as
an active scan's hosts do. The scan row (kind `pcap`) records the file names, the packets read, the captured
time range (`capture_start`, `capture_end`) and per-file details (`pcap_files`, JSON).

Bad input never stops the run: a file that is not a capture is reported and skipped; a file damaged part-way
(truncated, corrupt record, broken compression) keeps everything read before the damage. `NoCaptures` (exit 2)
is raised only when no given file is a capture at all; otherwise `PcapResult.problems` lists what went wrong
and `exit_code` is 3 when anything did.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from camscan.errors import EXIT_OK, EXIT_PARTIAL, UsageError
from camscan.identify.engine import Engine
from camscan.passive.capture import SUPPORTED_LINKTYPES, CaptureStats, NotACapture, open_capture
from camscan.passive.decoder import PacketDecoder
from camscan.passive.hosts import HostTable
from camscan.pipeline import ingest_host
from camscan.store import Store

#: progress(bytes done over all files, bytes in all files, the file being read)
Progress = Callable[[int, int, str], None]
#: Hosts stored per transaction.
INGEST_BATCH = 500


class NoCaptures(UsageError):
    """None of the files given is a capture. `problems` has one line per file."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            problems[0]
            if len(problems) == 1
            else f"none of the {len(problems)} files is a pcap or pcapng capture"
        )


@dataclass(slots=True)
class PcapResult:
    scan_id: int
    files: list[CaptureStats]
    packets: int
    hosts: int
    devices: list[dict[str, Any]]
    problems: list[str] = field(default_factory=list)
    public_hosts_skipped: int = 0
    status: str = "complete"

    @property
    def exit_code(self) -> int:
        return EXIT_PARTIAL if self.problems else EXIT_OK

    def summary(self) -> dict[str, Any]:
        """The `camscan pcap --json` document."""
        starts = [f.first for f in self.files if f.first is not None]
        ends = [f.last for f in self.files if f.last is not None]
        return {
            "scan_id": self.scan_id,
            "status": self.status,
            "files": [file_summary(f) for f in self.files],
            "packets": self.packets,
            "capture_start": iso(min(starts)) if starts else None,
            "capture_end": iso(max(ends)) if ends else None,
            "hosts": self.hosts,
            "public_hosts_skipped": self.public_hosts_skipped,
            "devices": self.devices,
            "problems": self.problems,
        }


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="microseconds")


def file_summary(stats: CaptureStats) -> dict[str, Any]:
    return {
        "path": stats.path,
        "format": stats.format,
        "bytes": stats.size,
        "packets": stats.packets,
        "first": iso(stats.first) if stats.first is not None else None,
        "last": iso(stats.last) if stats.last is not None else None,
        "link_types": {SUPPORTED_LINKTYPES.get(k, str(k)): v for k, v in sorted(stats.linktypes.items())},
        "problem": stats.problem,
    }


def import_pcaps(
    store: Store,
    engine: Engine,
    paths: Sequence[Path],
    *,
    site: str | None = None,
    allow_public: bool = False,
    progress: Progress | None = None,
) -> PcapResult:
    """Read every capture, identify every host seen, store them as one scan. See the module docstring."""
    problems: list[str] = []
    readable: list[Path] = []
    for path in paths:
        try:
            open_capture(path).close()
        except NotACapture as exc:
            problems.append(str(exc))
        else:
            readable.append(path)
    if not readable:
        raise NoCaptures(problems)
    table = HostTable()
    decoder = PacketDecoder(table)
    files: list[CaptureStats] = []
    status = "complete"
    with store.scan(
        "pcap", knowledge=engine.knowledge, site=site, files=[str(p) for p in paths], methods=["pcap"]
    ) as run:
        scan_id = run.id
        try:
            _read_all(decoder, readable, files, problems, progress)
        except KeyboardInterrupt:
            status = run.status = "interrupted"
            raise
        finally:
            decoder.finish()
            hosts, devices, skipped = _ingest(
                store, engine, scan_id, table, site=site, allow_public=allow_public
            )
            starts = [f.first for f in files if f.first is not None]
            ends = [f.last for f in files if f.last is not None]
            run.errors = len(problems)
            run.extra = {
                "capture_start": iso(min(starts)) if starts else None,
                "capture_end": iso(max(ends)) if ends else None,
                "packets": sum(f.packets for f in files),
                "pcap_files": [file_summary(f) for f in files],
            }
    return PcapResult(
        scan_id=scan_id,
        files=files,
        packets=sum(f.packets for f in files),
        hosts=hosts,
        devices=devices,
        problems=problems,
        public_hosts_skipped=skipped,
        status=status,
    )


def _read_all(
    decoder: PacketDecoder,
    paths: list[Path],
    files: list[CaptureStats],
    problems: list[str],
    progress: Progress | None,
) -> None:
    total = 0
    for path in paths:
        with contextlib.suppress(OSError):
            total += path.stat().st_size
    done = 0
    for path in paths:
        try:
            capture = open_capture(path)
        except NotACapture as exc:  # vanished or changed since it was checked
            problems.append(str(exc))
            continue
        files.append(capture.stats)
        with capture:
            tick = None
            if progress is not None:
                name = str(path)
                base = done

                def tick(position: int, base: int = base, name: str = name) -> None:
                    progress(base + position, total, name)

            decoder.run_capture(capture, tick)
        stats = capture.stats
        if stats.problem:
            problems.append(f"{path}: {stats.problem}")
        skipped = {k: v for k, v in stats.unsupported.items() if v}
        if skipped and not stats.problem:
            kinds = ", ".join(f"link type {k} ({v} packets)" for k, v in sorted(skipped.items()))
            problems.append(f"{path}: packets of an unsupported {kinds} were skipped")
        done += stats.size
        if progress is not None:
            progress(done, total, str(path))


def _ingest(
    store: Store, engine: Engine, scan_id: int, table: HostTable, *, site: str | None, allow_public: bool
) -> tuple[int, list[dict[str, Any]], int]:
    keys: list[str] = []
    hosts = 0
    groups = [g for g in table.groups(allow_public=allow_public) if g.observations]
    for start in range(0, len(groups), INGEST_BATCH):  # one transaction per batch of hosts, not per host
        with store.batch():
            for group in groups[start : start + INGEST_BATCH]:
                key, _identity = ingest_host(
                    store,
                    engine,
                    scan_id,
                    group.ip,
                    group.observations,
                    site=site,
                    discovered_by=["pcap"],
                    clock_skew_s=group.clock_skew_s,
                )
                hosts += 1
                if key is not None:
                    keys.append(key)
    wanted = set(keys)
    devices = [d for d in store.devices() if d.get("key") in wanted]
    skipped = 0 if allow_public else table.public_hosts()
    return hosts, devices, skipped
