"""`camscan scan TARGET...`: discover and fingerprint your cameras, into the inventory.

A thin typer command over `camscan.api.scan`; `register(app)` adds it to the main app (camscan/cli/app.py).
It ends with the scan's summary (`camscan.report.summary`), and the device table only when it is short or
--table is given: `camscan devices` lists them all. Exit codes (CONTRACT): 0 ok, 2 bad usage or input (one line on stderr: a public target without
--allow-public, a bad range, nmap missing, an unreadable credentials file), 3 some hosts or address blocks could
not be processed (everything else was stored), 130 interrupted (Ctrl-C / SIGTERM; what was gathered is stored
and the scan is marked `interrupted`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from camscan import api
from camscan.cli.options import DEFAULT_DB, DbOption, QuietOption, RecordSiteOption, TableOption, emit_json
from camscan.cli.render import render_found
from camscan.console import err, progress_enabled, safe
from camscan.probe.limits import DEFAULT_RATE, DEFAULT_TIMEOUT_S


def scan(
    targets: Annotated[
        list[str],
        typer.Argument(
            help="What to scan: an address, a CIDR block (10.0.0.0/24), a range (10.0.0.5-40) or @file "
            "(one target per line).",
            show_default=False,
        ),
    ],
    *,
    ports: Annotated[
        str | None,
        typer.Option(
            "--ports",
            "-p",
            help="TCP ports to look for, e.g. 80,443,554,8000-8010 (default: the camera ports 80, 443, 554, "
            "2020, 5000, 7001, 8000, 8080, 8443, 8554, 8899, 34567, 37777).",
        ),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option("--exclude", "-x", help="Leave these out (same forms as TARGET). Repeatable."),
    ] = None,
    site: RecordSiteOption = None,
    credentials: Annotated[
        Path | None,
        typer.Option(
            "--credentials",
            help="YAML list of {targets, username, password}: credentials for your own devices, per range. "
            "CAMSCAN_USERNAME / CAMSCAN_PASSWORD in the environment apply to every target. Never guessed, "
            "stored or logged.",
        ),
    ] = None,
    rate: Annotated[
        float | None,
        typer.Option(
            "--rate",
            help=f"New connections and discovery datagrams per second, at most (default {DEFAULT_RATE}); when "
            "given, nmap's packets too (--max-rate). Lower it for fragile recorders.",
        ),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            help="Seconds to wait for a connection or a read; one exchange may take twice that and one host "
            "eight times (at least 10 s), whatever the device does.",
        ),
    ] = DEFAULT_TIMEOUT_S,
    allow_public: Annotated[
        bool,
        typer.Option(
            "--allow-public", help="Allow targets outside private and loopback ranges (only your own)."
        ),
    ] = False,
    interface: Annotated[
        list[str] | None,
        typer.Option(
            "--interface",
            "-i",
            help="Use multicast/broadcast discovery and ARP on this interface (its network must overlap the "
            "targets). Without it, only on interfaces whose whole network is among the targets. Repeatable.",
        ),
    ] = None,
    db: DbOption = DEFAULT_DB,
    json_out: Annotated[
        bool,
        typer.Option(
            "--json", help="The scan summary and its devices as JSON on stdout, nothing else there."
        ),
    ] = False,
    quiet: QuietOption = False,
    table: TableOption = None,
) -> None:
    """Discover and fingerprint the cameras at TARGET..., into the inventory.

    Finds live hosts with nmap (camera ports), WS-Discovery and SSDP (unicast to every live host), and on local
    networks that are among the targets also multicast WS-Discovery, Hikvision SADP, Dahua and XiongMai
    discovery and ARP. Then fingerprints each host, unauthenticated first: HTTP(S) banners, titles and
    favicon, TLS certificate, RTSP OPTIONS/DESCRIBE, ONVIF PRE_AUTH calls (and the camera's clock skew), vendor
    endpoints that answer without login; with your credentials also ONVIF GetDeviceInformation and the vendors'
    device-information APIs, and from a recorder (NVR/DVR, or a UniFi OS console running Protect) the cameras
    on its channels, each a device of its own (docs/recorders.md). Read-only: only GET, HEAD, OPTIONS, DESCRIBE
    and ONVIF read calls, JSON-RPC reads whose method is get... (Axis's unrestricted device properties, a POST),
    plus a UniFi OS session login (a POST that changes nothing) when you gave the console's credentials.

    Each device is identified (brand vs real manufacturer, model, firmware) and stored as the scan goes;
    Ctrl-C keeps everything found so far. Public addresses are refused unless --allow-public.

    Example: camscan scan 192.168.10.0/24 --exclude 192.168.10.1 --site hq
    """

    def note(line: str) -> None:
        if not quiet:
            err.print(f"scan: {safe(line)}")

    result = api.scan(
        targets,
        db=db,
        exclude=exclude or (),
        ports=ports,
        site=site,
        credentials=credentials,
        rate=rate,
        timeout=timeout,
        allow_public=allow_public,
        interfaces=interface or (),
        note=note,
        progress=progress_enabled(json_out, quiet),
    )
    if json_out:
        emit_json(result.summary())
    else:
        _report(result, quiet, table, db)
    if result.exit_code:
        raise typer.Exit(result.exit_code)


def _report(result: Any, quiet: bool, table: bool | None, db: Path) -> None:
    c = result.counters
    if not quiet:
        line = (
            f"scan {result.scan_id} {result.status}: {c.addresses_scanned:,}/{c.addresses:,} addresses, "
            f"{c.found} hosts found, {c.fingerprinted} fingerprinted, {c.identified} identified"
        )
        if c.failed:
            line += f", {c.failed} failed"
        err.print(f"{line} in {result.elapsed_s:.1f} s")
        for failure in c.failures[:10]:
            err.print(f"  failed {safe(failure['ip'])}: {safe(failure['error'])}")
        for problem in result.problems[:10]:
            err.print(f"  problem: {safe(problem)}")
    render_found(result.devices, api.scan_summary(db, result.scan_id), table=table, db=db)


def register(app: typer.Typer) -> None:
    """Add `scan` to the camscan app."""
    app.command("scan")(scan)
