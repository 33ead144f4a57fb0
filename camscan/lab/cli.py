"""`camscan lab up|down|profiles`: a thin command line over `camscan.lab.estate.Lab`.

The lead mounts `app` as `camscan lab`; `python -m camscan.lab` runs it on its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import sys
from pathlib import Path
from typing import Annotated

import typer

from camscan.errors import CamscanError
from camscan.lab import netns as ns
from camscan.lab.catalog import demo_profiles
from camscan.lab.estate import Lab
from camscan.lab.profiles import load_all

app = typer.Typer(
    help="The emulated camera estate: serve it (up), remove leftovers (down), list profiles.",
    no_args_is_help=True,
    add_completion=False,
)


def _fail(message: str) -> None:
    typer.echo(f"camscan lab: {message}", err=True)
    raise typer.Exit(2)


@app.command()
def up(
    *,
    profiles: Annotated[
        list[str] | None,
        typer.Option(
            "--profiles",
            "-p",
            help="Profile names or groups (all, estate, cameras, non-cameras, hostile, demo); comma list or "
            "repeated. Default: the demo estate.",
        ),
    ] = None,
    count: Annotated[
        int | None, typer.Option("--count", "-n", help="Devices in all, cycling the profiles.")
    ] = None,
    base: Annotated[
        str | None, typer.Option("--base", help="First device address (127.77.0.1; 10.231.1.1 with --netns).")
    ] = None,
    netns: Annotated[bool, typer.Option("--netns", help="One network namespace per device (root).")] = False,
    ready_file: Annotated[
        Path | None,
        typer.Option("--ready-file", help="Write the device list as JSON once every listener is bound."),
    ] = None,
    requests_file: Annotated[
        Path | None, typer.Option("--requests-file", help="Append every request received as JSON lines.")
    ] = None,
    lab_id: Annotated[
        str, typer.Option("--lab-id", help="Namespace name infix, to run two labs at once.")
    ] = "",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary on stderr.")] = False,
) -> None:
    """Serve the emulated estate in the foreground until SIGINT or SIGTERM, then clean up."""
    sink = requests_file.open("a", encoding="utf-8") if requests_file else None
    try:
        lab = Lab(
            profiles=profiles or demo_profiles(),
            count=count,
            base=base,
            netns=netns,
            lab_id=lab_id,
            requests_file=sink,
        )
        asyncio.run(_serve(lab, ready_file, quiet))
    except CamscanError as exc:
        _fail(str(exc))
    finally:
        if sink:
            sink.close()


async def _serve(lab: Lab, ready_file: Path | None, quiet: bool) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await lab.start()
        if ready_file:
            lab.write_ready_file(ready_file)
        if not quiet:
            _summary(lab)
        await stop.wait()
    finally:
        await lab.stop()
        if ready_file:
            with contextlib.suppress(OSError):
                ready_file.unlink()


def _summary(lab: Lab) -> None:
    devices = lab.devices
    where = f"namespaces, scanner: ip netns exec {lab.scanner_namespace} …" if lab.netns else "loopback"
    print(
        f"camscan lab: {len(devices)} devices up in {lab.stats.get('start_s')} s ({where}); Ctrl-C to stop",
        file=sys.stderr,
    )
    for device in devices[:40]:
        print(f"  {device['ip']:<15} {device['mac']}  {device['name']}", file=sys.stderr)
    if len(devices) > 40:
        print(f"  … and {len(devices) - 40} more", file=sys.stderr)


@app.command()
def down(
    lab_id: Annotated[
        str,
        typer.Option("--lab-id", help="Only this lab's namespaces (csl-ID-*); default: every csl-* name."),
    ] = "",
) -> None:
    """Remove the network namespaces and links (csl-*) a crashed `up --netns` left behind."""
    reason = ns.unavailable_reason()
    if reason:
        _fail(f"nothing to clean up here: {reason}")
    try:
        removed = ns.cleanup_all(f"{ns.PREFIX}{lab_id}-" if lab_id else ns.PREFIX)
    except ns.NetnsError as exc:
        _fail(str(exc))
        return
    typer.echo(f"removed {len(removed)}: {', '.join(removed)}" if removed else "nothing to remove", err=True)


@app.command("profiles")
def list_cmd(as_json: Annotated[bool, typer.Option("--json", help="Machine output.")] = False) -> None:
    """List the device profiles."""
    rows = [
        {"name": p.name, "category": p.category, "title": p.title, "truth": dict(p.truth)} for p in load_all()
    ]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        typer.echo(f"{row['name']:<30} {row['category']:<11} {row['title']}")
