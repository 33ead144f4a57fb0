"""Report, export and import commands: `export questionnaire`, `report`, `diff`, `check`, `import-nmap`,
`merge`, `datasette-metadata`. Each is a few lines over `camscan.api`; `register(app)` adds them to the main
app (camscan/cli/app.py).

Exit codes (CONTRACT): 0 ok, 1 `check` found what it was asked to report, 2 bad usage or input (one line on
stderr), 3 partial failure (some files could not be processed; everything else was stored).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from camscan import api
from camscan.cli.options import (
    DEFAULT_DB,
    ConcernsOption,
    DbOption,
    JsonOption,
    QuietOption,
    RecordSiteOption,
    ScanOption,
    SiteOption,
    emit_json,
    info,
)
from camscan.cli.render import render_diff
from camscan.console import err, safe

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
    and listed; the cameras found behind recorders (NVRs, DVRs), and recorders that could not list theirs; the
    concerns that apply with authority, date and source; the scans behind the numbers; and a
    per-device table with the FAR 52.204-25 fields (supplier, brand, model number, item description).

    CSV holds every table one after the other (or one with --table); XLSX has one sheet per table and a notes
    sheet (needs -o). Device strings are neutralised for spreadsheets (a leading = + - @ gets a quote).
    """
    written = api.export(fmt, db=db, output=output, site=site, scan=scan, table=table)
    if written.output is None:
        sys.stdout.write(written.text or "")
        return
    info(
        quiet,
        f"questionnaire ({written.format}, {written.devices} devices, {safe(written.scope)}) written to {safe(output)}",
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
    written = api.report(output, db=db, site=site, scan=scan)
    info(quiet, f"report ({written.devices} devices, {safe(written.scope)}) written to {safe(output)}")


# -- diff ------------------------------------------------------------------------------------------


def diff(
    scan_a: Annotated[int | None, typer.Argument(help="The earlier scan id.", show_default=False)] = None,
    scan_b: Annotated[int | None, typer.Argument(help="The later scan id.", show_default=False)] = None,
    site: SiteOption = None,
    db: DbOption = DEFAULT_DB,
    json_out: JsonOption = False,
) -> None:
    """Changes between two scans: new devices, gone devices, and devices whose firmware, identity (maker,
    brand, model, type, serial) or address (IP, MAC, hostname) changed, and cameras swapped on a recorder's
    channel. Without scan ids: the last complete scan and the complete scan before it (of the same site).
    """
    result = api.diff(scan_a, scan_b, db=db, site=site)
    if json_out:
        emit_json(result.to_dict())
        return
    render_diff(result)


# -- check -----------------------------------------------------------------------------------------


def check(
    fail_on: Annotated[
        list[str] | None,
        typer.Option(
            "--fail-on",
            help="concern, unknown, kev and/or affected; repeatable or comma-separated (default: concern).",
        ),
    ] = None,
    site: SiteOption = None,
    db: DbOption = DEFAULT_DB,
    json_out: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """A CI gate: exit 1 and print one line per offending device when devices of concern (`concern`),
    unidentified cameras (`unknown`), devices that may carry a known-exploited vulnerability (`kev`: a CISA KEV
    advisory affected, end of life or possibly affected) or devices affected by any advisory (`affected`) are
    present; exit 0 otherwise.

    An unidentified camera is a device with no known manufacturer that either has a camera device type
    (camera, NVR, DVR, encoder) or has no identity at all but exposed a camera port (RTSP 554/8554/10554,
    ONVIF 3702, vendor ports) or answered a camera protocol (RTSP, ONVIF, a vendor discovery protocol).
    An analogue camera on a recorder's coax input whose maker the recorder does not say is not one (no network
    scan can name it): it is counted apart (`analog_cameras` in --json, a line on stderr).
    """
    result = api.check(fail_on or [], db=db, site=site)
    if json_out:
        emit_json(result.to_dict())
    else:
        from camscan.report.text import plain

        for finding in result.findings:  # plain text: one line each, control characters removed
            sys.stdout.write(plain(finding.line()) + "\n")
    rules = result.fail_on
    for note in result.notes:
        info(quiet, note)
    if result.failed:
        info(quiet, f"check failed: {len(result.findings)} of {result.devices} devices ({', '.join(rules)})")
        raise typer.Exit(result.exit_code)
    info(quiet, f"check passed: {result.devices} devices, none fails {' or '.join(rules)}")


# -- import-nmap -----------------------------------------------------------------------------------


def import_nmap(
    files: Annotated[list[Path], typer.Argument(help="nmap XML files (-oX), ideally from nmap -sV.")],
    *,
    site: RecordSiteOption = None,
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

    def done(file: dict[str, Any]) -> None:
        if file.get("error"):
            err.print(f"error: {safe(file['error'])}")
        if file["status"] == "not imported":
            return
        info(
            quiet or json_out,
            f"{safe(file['file'])}: {file['hosts']} hosts, {file['devices']} devices ({file['cameras']} cameras, "
            f"{file['identified']} with a known manufacturer) → scan {file['scan_id']} ({file['status']})",
        )

    outcome = api.import_nmap(files, db=db, site=site, concerns=concerns or (), on_file=done)
    if json_out:
        emit_json(outcome.to_dict())
    if outcome.exit_code:
        raise typer.Exit(outcome.exit_code)


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
    result = api.merge(sources, output, force=force)
    if json_out:
        emit_json(result.to_dict())
        return
    info(
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

    api.open_inventory(db).close()  # exists, is an inventory, and has the current views
    with api.writing(output or db):
        target = write_metadata(db, output)
    info(quiet, f"metadata written to {safe(target)}; run: datasette {safe(db)} -m {safe(target)}")


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
