"""`camscan scan TARGET...`: discover and fingerprint your cameras, into the inventory.

A thin typer command over `camscan.scan.runner.run_scan`; `register(app)` adds it to the main app
(camscan/cli.py). Exit codes (CONTRACT): 0 ok, 2 bad usage or input (one line on stderr: a public target without
--allow-public, a bad range, nmap missing, an unreadable credentials file), 3 some hosts or address blocks could
not be processed (everything else was stored), 130 interrupted (Ctrl-C / SIGTERM; what was gathered is stored
and the scan is marked `interrupted`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from camscan.console import err, progress_enabled, safe
from camscan.scan.limits import DEFAULT_RATE, DEFAULT_TIMEOUT_S

DEFAULT_DB = Path("inventory.db")


def _emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


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
    site: Annotated[str | None, typer.Option("--site", help="Site name recorded with the devices.")] = None,
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
    db: Annotated[
        Path, typer.Option("--db", help="The inventory database.", envvar="CAMSCAN_DB", readable=False)
    ] = DEFAULT_DB,
    json_out: Annotated[
        bool,
        typer.Option(
            "--json", help="The scan summary and its devices as JSON on stdout, nothing else there."
        ),
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress or informational messages.")
    ] = False,
) -> None:
    """Discover and fingerprint the cameras at TARGET..., into the inventory.

    Finds live hosts with nmap (camera ports), WS-Discovery and SSDP (unicast to every live host), and on local
    networks that are among the targets also multicast WS-Discovery, Hikvision SADP, Dahua and XiongMai
    discovery and ARP. Then fingerprints each host, unauthenticated first: HTTP(S) banners, titles and
    favicon, TLS certificate, RTSP OPTIONS/DESCRIBE, ONVIF PRE_AUTH calls (and the camera's clock skew), vendor
    endpoints that answer without login; with your credentials also ONVIF GetDeviceInformation and the vendors'
    device-information APIs. Read-only: only GET, HEAD, OPTIONS, DESCRIBE and ONVIF read calls.

    Each device is identified (brand vs real manufacturer, model, firmware) and stored as the scan goes;
    Ctrl-C keeps everything found so far. Public addresses are refused unless --allow-public.

    Example: camscan scan 192.168.10.0/24 --exclude 192.168.10.1 --site hq
    """
    from camscan.scan.options import ScanOptions, parse_ports
    from camscan.scan.runner import run_scan

    options = ScanOptions(
        targets=list(targets),
        exclude=list(exclude or []),
        ports=parse_ports(ports),
        site=site,
        credentials_file=credentials,
        rate=rate if rate is not None else DEFAULT_RATE,
        rate_given=rate is not None,
        timeout_s=timeout,
        allow_public=allow_public,
        interfaces=list(interface or []),
        db=db,
    )

    def note(line: str) -> None:
        if not quiet:
            err.print(f"scan: {safe(line)}")

    result = run_scan(options, note=note, progress=progress_enabled(json_out, quiet))
    if json_out:
        _emit_json(result.summary())
    else:
        _report(result, quiet)
    if result.exit_code:
        raise typer.Exit(result.exit_code)


def _report(result: Any, quiet: bool) -> None:
    from camscan.cli.app import render_devices

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
    render_devices(result.devices)


def register(app: typer.Typer) -> None:
    """Add `scan` to the camscan app."""
    app.command("scan")(scan)
