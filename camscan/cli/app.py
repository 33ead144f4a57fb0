"""The camscan command line (typer): parse options, call one function, render the result.

Exit codes (CONTRACT): 0 ok, 1 a problem `check` was asked to report, 2 bad usage or input, 3 partial failure.
"""

from __future__ import annotations

import csv
import json
import signal
import sys
from pathlib import Path
from typing import Annotated, Any

import click
import typer
from rich.table import Table
from typer.core import TyperGroup

from camscan import __version__
from camscan.cli.reports import register as _register_reports
from camscan.console import err, out, safe
from camscan.errors import CamscanError, UsageError

EXIT_OK, EXIT_FOUND, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3

#: The order `camscan --help` lists the commands in: the main job first, then reading and reporting.
COMMAND_ORDER = (
    "scan",
    "pcap",
    "import-nmap",
    "identify",
    "devices",
    "concerns",
    "export",
    "report",
    "diff",
    "check",
    "merge",
    "demo",
    "lab",
    "signatures",
    "datasette-metadata",
)


class _OrderedGroup(TyperGroup):
    def list_commands(self, ctx: click.Context) -> list[str]:
        names = super().list_commands(ctx)
        rank = {name: i for i, name in enumerate(COMMAND_ORDER)}
        return sorted(names, key=lambda n: (rank.get(n, len(rank)), n))


app = typer.Typer(
    cls=_OrderedGroup,
    name="camscan",
    help="Inventory and fingerprint your own CCTV estate: who really made each camera, on what firmware, "
    "and which carry a recorded concern.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)
signatures_app = typer.Typer(help="Work with the signature data in vendor_signatures/.", no_args_is_help=True)
app.add_typer(signatures_app, name="signatures")


def _lab_app() -> typer.Typer:
    from camscan.lab.cli import app as lab_app

    return lab_app


app.add_typer(
    _lab_app(), name="lab", help="The emulated camera estate: serve it (up) or clean up after it (down)."
)
_register_reports(app)

# readable=False: Store.open reports an unreadable database in one line (click would print a usage block).
DbOption = Annotated[
    Path, typer.Option("--db", help="The inventory database.", envvar="CAMSCAN_DB", readable=False)
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Machine-readable JSON on stdout, nothing else there.")
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress or informational messages.")]
ConcernsOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--concerns", help="An extra concerns register (YAML, same format); merged by id. Repeatable."
    ),
]
DEFAULT_DB = Path("inventory.db")


def _engine(extra_concerns: list[Path] | None = None) -> Any:
    from camscan.identify.engine import get_engine

    return get_engine(extra_concerns=tuple(extra_concerns or ()))


def _emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str, indent=None) + "\n")


def _version_callback(value: bool) -> None:
    if not value:
        return
    from camscan.identify.knowledge import load_knowledge

    try:
        data = load_knowledge().version
    except CamscanError as exc:
        data = f"data not loadable: {exc}"
    out.print(f"camscan {__version__} (data: {safe(data)})")
    raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version_callback, is_eager=True, help="Show versions and exit."),
    ] = False,
) -> None:
    """camscan: inventory and fingerprint your own CCTV estate."""


# -- identify --------------------------------------------------------------------------------------


@app.command()
def identify(concerns: ConcernsOption = None) -> None:
    """Read observations as JSON lines on stdin; print one identity per line.

    Each input line is one observation {"kind": K, "value": V} or one host {"observations": [...]}.
    A line that cannot be read gives {"error": ..., "line": N} in its place and exit code 3.

    Example: printf '{"kind":"http_server","value":"App-webs/"}\\n' | camscan identify
    """
    from camscan.identify.stream import identify_lines

    engine = _engine(concerns)
    failed = 0
    for result in identify_lines(sys.stdin, engine):
        if result.error is not None:
            failed += 1
            err.print(f"line {result.line}: {safe(result.error)}")
            _emit_json({"error": result.error, "line": result.line})
        else:
            _emit_json(result.output)
        sys.stdout.flush()
    if failed:
        raise typer.Exit(EXIT_PARTIAL)


# -- concerns --------------------------------------------------------------------------------------


@app.command("concerns")
def concerns_cmd(
    vendor: Annotated[
        str | None, typer.Argument(help="Show only what applies to this vendor (any alias).")
    ] = None,
    json_out: JsonOption = False,
    concerns: ConcernsOption = None,
) -> None:
    """The concerns register, with the public source behind every entry.

    With VENDOR, the concerns that apply to a device made or sold by that vendor, including those that
    reach it through a parent company, and the vendor's recorded responses.
    """
    from camscan.concerns_view import concerns_report

    engine = _engine(concerns)
    report = concerns_report(engine.knowledge, vendor)
    if json_out:
        _emit_json(report)
        return
    from camscan.concerns_view import render_concerns

    render_concerns(report, out)


# -- signatures ------------------------------------------------------------------------------------


@signatures_app.command("test")
def signatures_test(json_out: JsonOption = False) -> None:
    """Run every signature's examples and not_examples, and the shadowing check."""
    from camscan.identify.selftest import run

    count, examples, failures = run(_engine().knowledge)
    if json_out:
        _emit_json({"signatures": count, "examples": examples, "failures": [str(f) for f in failures]})
    else:
        for f in failures:
            out.print(f"FAIL {safe(f)}")
        out.print(f"{count} signatures, {examples} examples: {len(failures)} failures")
    if failures:
        raise typer.Exit(EXIT_FOUND)


@signatures_app.command("list")
def signatures_list(
    kind: Annotated[str | None, typer.Option(help="Only this observation kind.")] = None,
    json_out: JsonOption = False,
) -> None:
    """List the loaded signatures (id, kind, what they assert, source)."""
    sigs = [s for s in _engine().knowledge.signatures if kind is None or s.kind == kind]
    rows = [
        {
            "id": s.id,
            "kind": s.kind,
            "asserts": s.asserts,
            "weight": s.weight,
            "file": s.file,
            "source": s.source,
        }
        for s in sigs
    ]
    if json_out:
        _emit_json(rows)
        return
    table = Table("id", "kind", "asserts", "weight", "file")
    for r in rows:
        table.add_row(r["id"], r["kind"], safe(json.dumps(r["asserts"])), f"{r['weight']:.2f}", r["file"])
    out.print(table)


# -- devices ---------------------------------------------------------------------------------------

DEVICE_COLUMNS = (
    "ip",
    "mac",
    "brand",
    "manufacturer",
    "model",
    "firmware",
    "serial",
    "device_type",
    "is_camera",
    "confidence",
    "concerns",
    "discovered_by",
    "site",
    "first_seen",
    "last_seen",
)


@app.command()
def devices(
    db: DbOption = DEFAULT_DB,
    json_out: JsonOption = False,
    csv_out: Annotated[bool, typer.Option("--csv", help="CSV on stdout.")] = False,
    concern: Annotated[bool, typer.Option("--concern", help="Only devices with a recorded concern.")] = False,
    vendor: Annotated[str | None, typer.Option("--vendor", help="Only this manufacturer or brand.")] = None,
) -> None:
    """The current inventory: one row per device."""
    from camscan.store import Store

    if not db.exists():
        raise UsageError(f"{db}: no such inventory; run a scan first, or pass --db")
    with Store.open(db) as store:
        if vendor:
            vendor = _engine().vendors.resolve(vendor) or vendor
        rows = store.devices(concern_only=concern, vendor=vendor)
    if json_out:
        _emit_json(rows)
    elif csv_out:
        from camscan.report.safe import spreadsheet_safe

        writer = csv.writer(sys.stdout)
        writer.writerow(DEVICE_COLUMNS)
        for r in rows:
            writer.writerow([spreadsheet_safe(_cell(r[c])) for c in DEVICE_COLUMNS])
    else:
        render_devices(rows)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def render_devices(rows: list[dict[str, Any]]) -> None:
    from camscan.concerns_view import headline

    kb = _engine().knowledge
    table = Table(title=f"{len(rows)} devices", title_justify="left")
    for col in ("ip", "brand", "manufacturer", "model", "firmware", "type", "conf.", "concerns"):
        table.add_column(col)
    for r in rows:
        brand = r["brand"] or ""
        maker = r["manufacturer"] or "(unknown)"
        table.add_row(
            safe(r["ip"]),
            safe(brand),
            safe(maker) + (" *" if brand and r["manufacturer"] and brand != r["manufacturer"] else ""),
            safe(r["model"]),
            safe(r["firmware"]),
            safe(r["device_type"]),
            f"{r['confidence']:.2f}" if r["confidence"] is not None else "",
            safe(headline(r["concerns"], kb)),
        )
    out.print(table)
    if any(r["brand"] and r["manufacturer"] and r["brand"] != r["manufacturer"] for r in rows):
        out.print("* sold under another brand: the manufacturer is who really made it.")
    if any(r["concerns"] for r in rows):
        out.print(
            "concerns: count and formal listings first; `camscan concerns VENDOR` shows every one with sources."
        )


@app.command()
def demo(
    db: DbOption = DEFAULT_DB,
    json_out: JsonOption = False,
    recorded: Annotated[
        bool, typer.Option("--recorded", help="Identify recorded example hosts instead of scanning the lab.")
    ] = False,
    quiet: QuietOption = False,
) -> None:
    """Start the built-in camera lab, scan it, and show the inventory; needs no cameras.

    The lab is a dozen emulated devices answering with real devices' responses (Hikvision camera and NVR,
    Dahua, Axis, Hanwha, Uniview, XiongMai, a generic ONVIF camera, a Hikvision and a Dahua sold under other
    brands, a printer, a Linux server) on loopback addresses 127.77.0.x. The devices listen on their real ports,
    which needs root; without root (or with --recorded) the demo identifies recorded example hosts instead.
    """
    from camscan.concerns_view import headline
    from camscan.console import progress_enabled
    from camscan.demo import can_run_lab, run_examples, run_lab, vendor_summary

    engine = _engine()
    if recorded or not can_run_lab():
        if not recorded and not quiet:
            err.print(
                "demo: the lab's devices listen on ports below 1024, which needs root; "
                "identifying recorded example hosts instead (sudo camscan demo scans the lab)"
            )
        result = run_examples(db, engine)
    else:
        if not quiet and not json_out:
            err.print(
                f"demo: starting the lab (12 emulated devices on 127.77.0.1-12) and scanning it into {db}"
            )
        result = run_lab(db, progress=progress_enabled(json_out, quiet))
    if json_out:
        _emit_json(
            {
                "mode": result.mode,
                "scan_id": result.scan_id,
                "hosts": result.hosts,
                "devices": result.devices,
                "scan": result.summary,
            }
        )
        return
    if not quiet:
        how = "scanned" if result.mode == "lab" else "identified recorded"
        err.print(f"demo: {how} {result.hosts} hosts into {db} (scan {result.scan_id})")
    render_devices(result.devices)
    table = Table(
        "manufacturer", "devices", "cameras", "concerns", title="Vendor summary", title_justify="left"
    )
    for maker, count, cams, concern_ids in vendor_summary(result.devices):
        table.add_row(
            safe(maker), str(count), str(cams), safe(headline(concern_ids, engine.knowledge, most=3))
        )
    out.print(table)
    out.print(f"Next: camscan report -o estate.html --db {db}   ·   camscan concerns Hikvision")


from camscan.cli.pcap import register as _register_pcap  # noqa: E402 - added after the core commands
from camscan.cli.scan import register as _register_scan  # noqa: E402

_register_pcap(app)
_register_scan(app)


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    """Console entry point: every CamscanError becomes one line on stderr and its exit code.

    SIGTERM is treated like Ctrl-C, so a stopped scan or import is marked `interrupted` with what it gathered.
    """
    signal.signal(signal.SIGTERM, _terminate)
    try:
        app()
    except CamscanError as exc:
        err.print(f"error: {safe(exc)}")
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
