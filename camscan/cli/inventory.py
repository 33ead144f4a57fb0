"""Reading what camscan knows: `identify`, `devices`, `concerns`, `signatures test|list`, `demo`.

Each command is a few lines over `camscan.api`; rendering is in `camscan.cli.render`.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from camscan import api
from camscan.cli.options import (
    DEFAULT_DB,
    ConcernsOption,
    DbOption,
    JsonOption,
    QuietOption,
    emit_json,
)
from camscan.cli.render import render_devices, render_vendor_summary
from camscan.console import err, out, safe
from camscan.errors import EXIT_FOUND, EXIT_PARTIAL, UsageError

signatures_app = typer.Typer(help="Work with the signature data in vendor_signatures/.", no_args_is_help=True)


def identify(concerns: ConcernsOption = None) -> None:
    """Read observations as JSON lines on stdin; print one identity per line.

    Each input line is one observation {"kind": K, "value": V} or one host {"observations": [...]}.
    A line that cannot be read gives {"error": ..., "line": N} in its place and exit code 3.

    Example: printf '{"kind":"http_server","value":"App-webs/"}\\n' | camscan identify
    """
    failed = 0
    for result in api.identify_lines(sys.stdin, concerns=concerns or ()):
        if result.error is not None:
            failed += 1
            err.print(f"line {result.line}: {safe(result.error)}")
            emit_json({"error": result.error, "line": result.line})
        else:
            emit_json(result.output)
    if failed:
        raise typer.Exit(EXIT_PARTIAL)


def concerns_cmd(
    vendor: Annotated[
        str | None, typer.Argument(help="Show only what applies to this vendor (any alias).")
    ] = None,
    json_out: JsonOption = False,
    concerns: ConcernsOption = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE",
            help="Only entries added to or changed in the register on or after DATE (YYYY-MM-DD), "
            "with what changed: for re-answering a questionnaire answered earlier.",
        ),
    ] = None,
) -> None:
    """The concerns register, with the public source behind every entry.

    With VENDOR, the concerns that apply to a device made or sold by that vendor, including those that
    reach it through a parent company, and the vendor's recorded responses. Every entry shows its status
    (in force, under appeal, stayed, proposed, superseded, ended, or a past event) and the register's
    version and date.
    """
    from camscan.concerns_view import render_concerns

    report = api.concerns(vendor, extra=concerns or (), since=since)
    if json_out:
        emit_json(report)
    else:
        render_concerns(report, out)


@signatures_app.command("test")
def signatures_test(
    json_out: JsonOption = False,
    corpus: Annotated[
        bool,
        typer.Option(
            "--corpus", help="Also score the engine on the real-device corpus (tests/fixtures/real)."
        ),
    ] = False,
    corpus_dir: Annotated[
        Path | None, typer.Option("--corpus-dir", help="Score this corpus folder instead (implies --corpus).")
    ] = None,
    misses: Annotated[int, typer.Option("--misses", help="How many corpus misses to list.")] = 20,
    held_out_misses: Annotated[
        bool,
        typer.Option(
            "--held-out-misses",
            help="Also list the held-out split's misses (hidden by default: whoever writes signatures must not "
            "see them, or the held-out figures stop measuring generalisation).",
        ),
    ] = False,
) -> None:
    """Run every signature's and product line's examples and not_examples, the shadowing check, and every
    firmware advisory's examples (model + firmware -> status, vendor_signatures/advisories.yaml). Also says
    whether nmap's service-probe database is in use (docs/identify.md; $CAMSCAN_NMAP_SERVICE_PROBES).

    With --corpus, also run the real-device corpus through the engine and print maker, model, firmware and type
    accuracy, camera recall and precision (method: docs/accuracy.md). Exit 1 when an example fails, or when the
    corpus does worse than its recorded floor (bench/accuracy_floor.json: a figure below it, or more non-cameras
    called cameras or wrong makers than recorded); a --corpus-dir has no floor, so there any non-camera called a
    camera fails.
    """
    from camscan.identify import nmap_probes
    from camscan.identify.selftest import run

    engine = api.engine()
    count, examples, failures = run(engine.knowledge)
    summary = None
    regressions: list[str] = []
    if corpus or corpus_dir is not None:
        from camscan.identify.corpus import (
            Scorer,
            below_floor,
            default_corpus_dir,
            default_floor_file,
            load_corpus,
            summarise,
        )

        folder = corpus_dir or default_corpus_dir()
        if folder is None:
            raise UsageError(
                "no corpus here: pass --corpus-dir (the corpus lives in a checkout's tests/fixtures/real)"
            )
        summary = summarise(Scorer(engine).run(load_corpus(folder, engine.knowledge.device_types)))
        floor_file = default_floor_file()
        floor = json.loads(floor_file.read_text()) if corpus_dir is None and floor_file.is_file() else {}
        regressions = below_floor(summary, floor)
    if json_out:
        data: dict[str, Any] = {
            "signatures": count,
            "product_lines": len(engine.knowledge.product_lines),
            "advisories": len(engine.knowledge.advisories),
            "examples": examples,
            "failures": [str(f) for f in failures],
            "nmap_service_probes": nmap_probes.status(),
        }
        if summary is not None:
            data["corpus"] = summary.to_dict()
            data["below_floor"] = regressions
        emit_json(data)
    else:
        for f in failures:
            out.print(f"FAIL {safe(f)}")
        lines = len(engine.knowledge.product_lines)
        advisories = len(engine.knowledge.advisories)
        out.print(
            f"{count} signatures, {lines} product lines, {advisories} advisories, {examples} examples: "
            f"{len(failures)} failures"
        )
        out.print(safe(nmap_probes.status()))
        if summary is not None:
            from camscan.identify.corpus import summary_lines

            for line in summary_lines(summary, misses, held_out_misses=held_out_misses):
                out.print(safe(line))
            for line in regressions:
                out.print(f"BELOW FLOOR {safe(line)}")
    if failures or regressions:
        raise typer.Exit(EXIT_FOUND)


@signatures_app.command("list")
def signatures_list(
    kind: Annotated[str | None, typer.Option(help="Only this observation kind.")] = None,
    json_out: JsonOption = False,
) -> None:
    """List the loaded signatures (id, kind, what they assert, source)."""
    sigs = [s for s in api.engine().knowledge.signatures if kind is None or s.kind == kind]
    rows: list[dict[str, Any]] = [
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
        emit_json(rows)
        return
    table = Table("id", "kind", "asserts", "weight", "file")
    for r in rows:
        table.add_row(r["id"], r["kind"], safe(json.dumps(r["asserts"])), f"{r['weight']:.2f}", r["file"])
    out.print(table)


def devices(
    db: DbOption = DEFAULT_DB,
    json_out: JsonOption = False,
    csv_out: Annotated[bool, typer.Option("--csv", help="CSV on stdout.")] = False,
    concern: Annotated[bool, typer.Option("--concern", help="Only devices with a recorded concern.")] = False,
    vendor: Annotated[str | None, typer.Option("--vendor", help="Only this manufacturer or brand.")] = None,
) -> None:
    """The current inventory: one row per device; each recorder (NVR, DVR) with the cameras found on its
    channels under it, and what it said when they could not be listed (docs/recorders.md)."""
    rows = api.devices(db, concern=concern, vendor=vendor)
    if json_out:
        emit_json(rows)
    elif csv_out:
        write_csv(rows)
    else:
        render_devices(rows)


def write_csv(rows: list[dict[str, Any]]) -> None:
    from camscan.model import DEVICE_COLUMNS
    from camscan.report.safe import spreadsheet_safe

    writer = csv.writer(sys.stdout)
    writer.writerow(DEVICE_COLUMNS)
    for r in rows:
        writer.writerow([spreadsheet_safe(_cell(r[c])) for c in DEVICE_COLUMNS])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


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
    from camscan.console import progress_enabled
    from camscan.demo import can_run_lab

    if not quiet and not recorded and not can_run_lab():
        err.print(
            "demo: the lab's devices listen on ports below 1024, which needs root; "
            "identifying recorded example hosts instead (sudo camscan demo scans the lab)"
        )
    elif not quiet and not json_out and not recorded:
        err.print(f"demo: starting the lab (12 emulated devices on 127.77.0.1-12) and scanning it into {db}")
    result = api.demo(db, recorded=recorded, progress=progress_enabled(json_out, quiet))
    if json_out:
        emit_json(result.to_dict())
        return
    if not quiet:
        how = "scanned" if result.mode == "lab" else "identified recorded"
        err.print(f"demo: {how} {result.hosts} hosts into {db} (scan {result.scan_id})")
    render_devices(result.devices)
    render_vendor_summary(result.devices)
    out.print(f"Next: camscan report -o estate.html --db {db}   ·   camscan concerns Hikvision")


def register(app: typer.Typer) -> None:
    """Add the inventory commands to the camscan app."""
    app.command("identify")(identify)
    app.command("devices")(devices)
    app.command("concerns")(concerns_cmd)
    app.command("demo")(demo)
    app.add_typer(signatures_app, name="signatures")
