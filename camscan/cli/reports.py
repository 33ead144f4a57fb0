"""Report, export and import commands: `export questionnaire`, `report`, `diff`, `check`, `import-nmap`,
`merge`, `datasette-metadata`. Thin typer commands over `camscan.report`, `camscan.importers` and
`camscan.merge`; `register(app)` adds them to the main app (camscan/cli.py).

Exit codes (CONTRACT): 0 ok, 1 `check` found what it was asked to report, 2 bad usage or input (one line on
stderr), 3 partial failure (some files could not be processed; everything else was stored).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from camscan.console import err, out, safe
from camscan.errors import UsageError

if TYPE_CHECKING:  # imported lazily at run time: `camscan --help` stays fast
    from camscan.report.diff import ScanDiff
    from camscan.report.queries import Estate
    from camscan.store import Store

EXIT_OK, EXIT_FOUND, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3
DEFAULT_DB = Path("inventory.db")

# readable=False: Store.open reports an unreadable database in one line (click would print a usage block).
DbOption = Annotated[
    Path, typer.Option("--db", help="The inventory database.", envvar="CAMSCAN_DB", readable=False)
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Machine-readable JSON on stdout, nothing else there.")
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress or informational messages.")]
SiteOption = Annotated[str | None, typer.Option("--site", help="Only devices of this site.")]
ScanOption = Annotated[
    int | None, typer.Option("--scan", help="Devices as this scan saw them (default: the current inventory).")
]
ConcernsOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--concerns", help="An extra concerns register (YAML, same format); merged by id. Repeatable."
    ),
]


def _emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")


def _store(db: Path) -> Store:
    """An existing inventory (commands that only read must not create an empty file)."""
    from camscan.store import Store

    if not db.exists():
        raise UsageError(f"{db}: no such inventory; run a scan or an import first, or pass --db")
    return Store.open(db)


def _estate(db: Path, site: str | None, scan: int | None) -> Estate:
    from camscan.report.queries import load_estate

    with _store(db) as store:
        return load_estate(store, site=site, scan_id=scan)


@contextmanager
def _writing(path: Path) -> Iterator[None]:
    """An output file that cannot be written is bad input: one line, exit 2."""
    try:
        yield
    except OSError as exc:
        raise UsageError(f"{path}: cannot write ({exc.strerror or exc})") from None


def _info(quiet: bool, message: str) -> None:
    if not quiet:
        err.print(message)


# -- export questionnaire --------------------------------------------------------------------------


def export_questionnaire(
    *,
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help="csv, xlsx, json or md (default: from the -o suffix)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here (default: stdout).")
    ] = None,
    site: SiteOption = None,
    scan: ScanOption = None,
    table: Annotated[
        str | None, typer.Option("--table", help="Only this table (e.g. manufacturers, devices, concerns).")
    ] = None,
    db: DbOption = DEFAULT_DB,
    quiet: QuietOption = False,
) -> None:
    """The commissioner's questionnaire: device counts by manufacturer (after OEM resolution) with the brands
    sold under it, by model and firmware, by type and by site; devices with an unknown manufacturer counted
    and listed; the concerns that apply with authority, date and source; the scans behind the numbers; and a
    per-device table with the FAR 52.204-25 fields (supplier, brand, model number, item description).

    CSV holds every table one after the other (or one with --table); XLSX has one sheet per table and a notes
    sheet (needs -o). Device strings are neutralised for spreadsheets (a leading = + - @ gets a quote).
    """
    from camscan.report import questionnaire

    if fmt is None and output is not None and output.suffix.lstrip(".").lower() in questionnaire.FORMATS:
        fmt = output.suffix.lstrip(".").lower()
    if fmt is None:
        raise UsageError("choose --format csv, xlsx, json or md")
    fmt = fmt.lower()
    if fmt not in questionnaire.FORMATS:
        raise UsageError(f"--format {fmt!r}: choose csv, xlsx, json or md")
    if table is not None and table not in questionnaire.TABLE_NAMES:
        raise UsageError(f"--table {table!r}: choose one of {', '.join(questionnaire.TABLE_NAMES)}")
    if fmt == "xlsx" and output is None:
        raise UsageError("xlsx is a binary format: give -o FILE.xlsx")
    estate = _estate(db, site, scan)
    if output is None:
        sys.stdout.write(questionnaire.render(estate, fmt, None, table) or "")
        return
    with _writing(output):
        text = questionnaire.render(estate, fmt, output, table)
        if text is not None:
            output.write_text(text, encoding="utf-8", newline="")
    _info(
        quiet,
        f"questionnaire ({fmt}, {len(estate.devices)} devices, {safe(estate.scope_text)}) written to {safe(output)}",
    )


# -- report ----------------------------------------------------------------------------------------


def report(
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")],
    site: SiteOption = None,
    scan: ScanOption = None,
    db: DbOption = DEFAULT_DB,
    quiet: QuietOption = False,
) -> None:
    """A self-contained HTML report for managers: estate summary, charts by manufacturer and by concern, a
    sortable device table, firmware spread per model, devices of concern with their evidence, clock findings,
    changes since the previous scan, and method and sources. One file, no external assets: it works offline.
    """
    from camscan.report import html
    from camscan.report.diff import previous_changes
    from camscan.report.queries import load_estate

    with _store(db) as store:
        estate = load_estate(store, site=site, scan_id=scan)
        changes = previous_changes(store, site, scan)
    with _writing(output):
        output.write_text(html.render(estate, changes), encoding="utf-8")
    _info(
        quiet, f"report ({len(estate.devices)} devices, {safe(estate.scope_text)}) written to {safe(output)}"
    )


# -- diff ------------------------------------------------------------------------------------------


def diff(
    scan_a: Annotated[int | None, typer.Argument(help="The earlier scan id.", show_default=False)] = None,
    scan_b: Annotated[int | None, typer.Argument(help="The later scan id.", show_default=False)] = None,
    site: SiteOption = None,
    db: DbOption = DEFAULT_DB,
    json_out: JsonOption = False,
) -> None:
    """Changes between two scans: new devices, gone devices, and devices whose firmware, identity (maker,
    brand, model, type, serial) or address (IP, MAC, hostname) changed. Without scan ids: the last complete
    scan and the complete scan before it (of the same site).
    """
    from camscan.report.diff import scan_diff

    with _store(db) as store:
        result = scan_diff(store, scan_a, scan_b, site=site)
    if json_out:
        _emit_json(result.to_dict())
        return
    render_diff(result)


def render_diff(result: ScanDiff) -> None:
    s = result.summary()
    b, a = result.before, result.after
    out.print(
        f"scan {b.id} ({safe(b.kind)}, {safe(b.started)}) → scan {a.id} ({safe(a.kind)}, {safe(a.started)}): "
        f"{s['new']} new, {s['gone']} gone, {s['changed']} changed "
        f"(firmware {s['firmware']}, identity {s['identity']}, address {s['address']}), {s['unchanged']} unchanged"
    )
    if not (result.new or result.gone or result.changed):
        return
    table = Table("", "ip", "site", "manufacturer", "model", "change", title_justify="left", box=None)
    for mark, items in (("+", result.new), ("-", result.gone)):
        for sighting in items:
            i = sighting.identity
            table.add_row(
                mark,
                safe(i.get("ip")),
                safe(sighting.site),
                safe(i.get("manufacturer") or "(unknown)"),
                safe(i.get("model")),
                "new" if mark == "+" else "gone",
            )
    for change in result.changed:
        i = change.after.identity
        what = "; ".join(f"{c.field}: {safe(c.old)} → {safe(c.new)}" for c in change.changes)
        table.add_row(
            "~", safe(i.get("ip")), safe(change.after.site), safe(i.get("manufacturer") or "(unknown)"),
            safe(i.get("model")), what,
        )  # fmt: skip
    out.print(table)


# -- check -----------------------------------------------------------------------------------------


def check(
    fail_on: Annotated[
        list[str] | None,
        typer.Option(
            "--fail-on",
            help="concern and/or unknown; repeatable or comma-separated (default: concern).",
        ),
    ] = None,
    site: SiteOption = None,
    db: DbOption = DEFAULT_DB,
    json_out: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """A CI gate: exit 1 and print one line per offending device when devices of concern (`concern`) or
    unidentified cameras (`unknown`) are present; exit 0 otherwise.

    An unidentified camera is a device with no known manufacturer that either has a camera device type
    (camera, NVR, DVR, encoder) or has no identity at all but exposed a camera port (RTSP 554/8554/10554,
    ONVIF 3702, vendor ports) or answered a camera protocol (RTSP, ONVIF, a vendor discovery protocol).
    """
    from camscan.report.check import check as run_check
    from camscan.report.check import parse_fail_on

    rules = parse_fail_on(fail_on or [])
    estate = _estate(db, site, None)
    findings = run_check(estate, rules)
    if json_out:
        _emit_json(
            {
                "fail_on": rules,
                "devices": len(estate.devices),
                "failed": bool(findings),
                "findings": [f.to_dict() for f in findings],
            }
        )
    else:
        from camscan.report.text import plain

        for finding in findings:  # plain text: one line each, control characters removed
            sys.stdout.write(plain(finding.line()) + "\n")
    if findings:
        _info(quiet, f"check failed: {len(findings)} of {len(estate.devices)} devices ({', '.join(rules)})")
        raise typer.Exit(EXIT_FOUND)
    _info(quiet, f"check passed: {len(estate.devices)} devices, none fails {' or '.join(rules)}")


# -- import-nmap -----------------------------------------------------------------------------------


def import_nmap(
    files: Annotated[list[Path], typer.Argument(help="nmap XML files (-oX), ideally from nmap -sV.")],
    *,
    site: Annotated[str | None, typer.Option("--site", help="Site name recorded with the devices.")] = None,
    db: DbOption = DEFAULT_DB,
    json_out: JsonOption = False,
    quiet: QuietOption = False,
    concerns: ConcernsOption = None,
) -> None:
    """Load existing nmap XML scans as observations and identify them with the same engine as a live scan.

    Each file becomes a scan of kind `nmap` (its name recorded). Service versions, MAC addresses and script
    output (http-server-header, http-title, http-auth, ssl-cert, banner) are used. A file damaged part-way
    (e.g. nmap was interrupted) keeps every host before the damage and exits 3.
    """
    from camscan.identify.engine import get_engine
    from camscan.importers.nmap_xml import import_nmap as run_import
    from camscan.store import Store

    engine = get_engine(extra_concerns=tuple(concerns or ()))
    results, failures = [], 0
    with Store.open(db) as store:
        for path in files:
            try:
                result = run_import(store, engine, path, site=site)
            except UsageError as exc:
                if len(files) == 1:
                    raise
                failures += 1
                err.print(f"error: {safe(exc)}")
                results.append({"file": str(path), "status": "not imported", "error": str(exc)})
                continue
            results.append(result.to_dict())
            if result.error:
                failures += 1
                err.print(f"error: {safe(result.error)}")
            _info(
                quiet or json_out,
                f"{safe(path)}: {result.hosts} hosts, {result.devices} devices ({result.cameras} cameras, "
                f"{result.identified} with a known manufacturer) → scan {result.scan_id} ({result.status})",
            )
    if json_out:
        _emit_json(results)
    if failures:
        raise typer.Exit(EXIT_PARTIAL)


# -- merge -----------------------------------------------------------------------------------------


def merge(
    sources: Annotated[list[Path], typer.Argument(help="Per-site inventories to combine.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The estate database to create.")],
    force: Annotated[bool, typer.Option("--force", help="Replace OUTPUT if it exists.")] = False,
    json_out: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Combine per-site inventories into one: sites kept (a store without sites takes its file name), devices
    deduplicated by MAC and serial, scans renumbered in time order with their hosts, observations, sightings
    and history. The sources are only read. Every report works on the result.
    """
    from camscan.merge import merge_stores

    result = merge_stores(sources, output, force=force)
    if json_out:
        _emit_json(result.to_dict())
        return
    _info(
        quiet,
        f"merged {len(result.sources)} inventories ({result.scans} scans, {result.devices_in} device records) "
        f"into {safe(output)}: {result.devices} devices, {result.duplicates} duplicates merged",
    )


# -- datasette -------------------------------------------------------------------------------------


def datasette_metadata(
    db: DbOption = DEFAULT_DB,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Default: DB_STEM.metadata.json next to the database."),
    ] = None,
    quiet: QuietOption = False,
) -> None:
    """Write Datasette metadata (table, view and column descriptions, facets) for the inventory.

    Then: datasette inventory.db -m inventory.metadata.json
    """
    from camscan.report.datasette import write_metadata

    _store(db).close()  # exists, is an inventory, and has the current views
    with _writing(output or db):
        target = write_metadata(db, output)
    _info(quiet, f"metadata written to {safe(target)}; run: datasette {safe(db)} -m {safe(target)}")


def register(app: typer.Typer) -> None:
    """Add the report, export and import commands to the camscan app."""
    export_app = typer.Typer(help="Export the inventory in the shape others ask for.", no_args_is_help=True)
    export_app.command("questionnaire")(export_questionnaire)
    app.add_typer(export_app, name="export")
    app.command("report")(report)
    app.command("diff")(diff)
    app.command("check")(check)
    app.command("import-nmap")(import_nmap)
    app.command("merge")(merge)
    app.command("datasette-metadata")(datasette_metadata)
