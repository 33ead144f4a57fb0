"""`camscan pcap FILE... [--site NAME]`: passive identification from recorded traffic.

A thin typer command over `camscan.api.import_pcaps`; `register(app)` adds it to the main app
(camscan/cli/app.py). Exit codes (CONTRACT): 0 ok, 2 no given file is a capture (one line per file on stderr),
3 part of a file, or a whole file, could not be read (everything read was stored).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from camscan import api
from camscan.cli.options import (
    DEFAULT_DB,
    ConcernsOption,
    DbOption,
    QuietOption,
    RecordSiteOption,
    TableOption,
    emit_json,
)
from camscan.cli.render import render_found
from camscan.console import err, progress_enabled, safe
from camscan.errors import EXIT_PARTIAL


def pcap(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Capture files: pcap or pcapng, plain or gzip-compressed (.gz).",
            show_default=False,
            metavar="FILE",
        ),
    ],
    *,
    site: RecordSiteOption = None,
    db: DbOption = DEFAULT_DB,
    json_out: Annotated[
        bool, typer.Option("--json", help="A JSON summary on stdout (scan, files, packets, hosts, devices).")
    ] = False,
    quiet: QuietOption = False,
    allow_public: Annotated[
        bool,
        typer.Option(
            "--allow-public",
            help="Also record hosts with public (internet) addresses; by default only private, link-local and "
            "loopback hosts are inventoried.",
        ),
    ] = False,
    concerns: ConcernsOption = None,
    table: TableOption = None,
) -> None:
    """Identify devices from recorded traffic (tcpdump, Wireshark, a SPAN port).

    Reads every file as a stream, whatever its size, and decodes only what can identify a device: MAC
    addresses and ARP, DHCP, mDNS, SSDP and UPnP descriptions, WS-Discovery, Hikvision SADP, Dahua and
    XiongMai discovery replies, HTTP responses with their request path, RTSP and SDP, ONVIF answers, TLS
    server certificates (TLS 1.2 and earlier), SNMP sysDescr, telnet, FTP and SSH banners. Each host goes
    through the same identification as a live scan and is stored as one scan of kind `pcap`.

    A file that is not a capture is reported and skipped; a damaged file keeps everything before the damage.
    Exit 2 when no file is a capture, 3 when part of any file could not be read.

    Example: camscan pcap site-a.pcapng.gz --site site-a
    """
    from camscan.passive.pcap_import import NoCaptures

    try:
        with _progress(progress_enabled(json_out, quiet)) as progress:
            result = api.import_pcaps(
                files, db=db, site=site, allow_public=allow_public, concerns=concerns or (), progress=progress
            )
    except NoCaptures as exc:
        for problem in exc.problems[:-1]:
            err.print(f"error: {safe(problem)}")
        raise type(exc)(exc.problems[-1:]) from None
    for problem in result.problems:
        err.print(f"error: {safe(problem)}")
    if json_out:
        emit_json(result.summary())
    else:
        _report(result, quiet, table, db)
    if result.exit_code:
        raise typer.Exit(EXIT_PARTIAL)


def _report(result: Any, quiet: bool, table: bool | None, db: Path) -> None:
    summary = result.summary()
    if not quiet:
        span = ""
        if summary["capture_start"]:
            span = f", captured {summary['capture_start'][:19]}Z to {summary['capture_end'][:19]}Z"
        cameras = sum(1 for d in result.devices if d["is_camera"])
        err.print(
            f"pcap: {result.packets} packets in {len(result.files)} file(s){span}: {result.hosts} hosts, "
            f"{len(result.devices)} devices ({cameras} cameras) → scan {result.scan_id} ({result.status})"
        )
        if result.public_hosts_skipped:
            err.print(
                f"pcap: {result.public_hosts_skipped} hosts with public addresses not recorded (--allow-public)"
            )
    if result.devices:
        render_found(result.devices, api.scan_summary(db, result.scan_id), table=table, db=db)


class _progress:
    """A rich progress bar on stderr (bytes read over all files), or nothing when not interactive."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> Any:
        if not self.enabled:
            return None
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=err,
            transient=True,
        )
        self.bar.__enter__()
        self.task = self.bar.add_task("reading", total=None)
        return self.update

    def update(self, done: int, total: int, name: str) -> None:
        self.bar.update(self.task, completed=done, total=total or None, description=safe(Path(name).name))

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def register(app: typer.Typer) -> None:
    """Add `camscan pcap` to the camscan app."""
    app.command("pcap")(pcap)
