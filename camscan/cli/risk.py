"""Firmware risk commands (issue 13): `risk` and `advisories update`. Thin: each calls one `camscan.api` function."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from camscan import api
from camscan.cli.options import DEFAULT_DB, DbOption, JsonOption, QuietOption, SiteOption, emit_json
from camscan.console import out, safe

STATUS_LABEL = {
    "affected": "AFFECTED",
    "no_fix": "NO FIX",
    "possibly_affected": "possibly",
    "not_affected": "not affected",
}


def risk(
    *,
    kev_only: Annotated[
        bool,
        typer.Option(
            "--kev-only", help="Only advisories listed in CISA's Known Exploited Vulnerabilities catalog."
        ),
    ] = False,
    all_rows: Annotated[
        bool,
        typer.Option("--all", help="Also list advisories a device is not affected by (with the reason)."),
    ] = False,
    site: SiteOption = None,
    db: DbOption = DEFAULT_DB,
    json_out: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Which devices run firmware named by a published advisory, and what to do: one row per device and
    advisory (KEV first; affected, no fix, possibly affected), with the reason and the action (upgrade to X,
    replace). Offline: matched from the maker, model and firmware camscan identified, against the bundled
    vendor_signatures/advisories.yaml; a rebadged device inherits its manufacturer's advisories. Version matching
    is not a penetration test (docs/risk.md). Use `camscan check --fail-on kev,affected` to gate CI.
    """
    result = api.risk(db, kev_only=kev_only, site=site, include_not_affected=all_rows)
    if json_out:
        emit_json(result.to_dict())
        return
    if not result.rows:
        if not quiet:
            out.print(f"No advisory applies to the {result.devices} devices ({safe(result.advisories)}).")
        return
    table = Table(show_lines=False)
    for name in ("KEV", "status", "advisory", "device", "firmware", "action", "reason"):
        table.add_column(name, overflow="fold")
    for row in result.rows:
        a, d = row.advisory, row.device
        where = d.ip or d.mac or d.key
        firmware = " ".join(x for x in (d.firmware, d.firmware_build) if x) or "(unknown)"
        table.add_row(
            "KEV" if a.get("kev") else "",
            STATUS_LABEL.get(a.get("status", ""), a.get("status", "")),
            safe(a.get("id", "")),
            safe(f"{where} {row.label()}" + (f" [{d.site}]" if d.site else "")),
            safe(firmware),
            safe(a.get("action", "")),
            safe(a.get("reason", "")),
        )
    out.print(table)
    if not quiet:
        counts = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in sorted(result.counts.items()) if n)
        out.print(
            f"{result.devices_at_risk} of {result.devices} devices need action ({counts}); {safe(result.advisories)}"
        )


advisories_app = typer.Typer(
    help="Work with the firmware advisories (vendor_signatures/advisories.yaml).", no_args_is_help=True
)


@advisories_app.command("update")
def advisories_update(
    *,
    kev: Annotated[
        Path,
        typer.Option(
            "--kev",
            metavar="FILE",
            help="A copy of CISA's Known Exploited Vulnerabilities catalog you downloaded (JSON or CSV).",
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write the updated advisories.yaml here (default: the data directory's)."
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
    json_out: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Refresh the KEV fields of the advisories from a KEV catalog file; nothing is downloaded.

    Validates the catalog (required fields; for JSON, `count` must equal the entries), updates only the KEV
    fields (date added, ransomware use) of advisories already in the file, records the catalog's version and
    sha256, and lists KEV entries from camera makers that have no curated range yet (to be written by hand, with
    sources). Entries the catalog lacks are kept. Point CAMSCAN_DATA at a copy of the data directory (or use
    --output) when camscan is installed read-only.
    """
    result = api.advisories_update(kev, output=output, dry_run=dry_run)
    if json_out:
        emit_json(result.to_dict())
        return
    c = result.catalog
    out.print(
        safe(
            f"KEV catalog {c.version or '(version unknown)'} ({c.format}, {c.count} entries, sha256 {c.sha256[:16]}…)"
        )
    )
    for w in result.warnings:
        out.print(safe(f"warning: {w}"))
    for ch in result.changed:
        out.print(safe(f"changed {ch['id']}: {ch['old']} -> {ch['new']}"))
    out.print(
        f"{result.listed} advisories "
        f"in the catalog, {len(result.changed)} changed, {len(result.absent)} not in it (kept)"
    )
    if result.uncurated:
        out.print(f"{len(result.uncurated)} KEV entries from camera makers have no curated range yet:")
        for e in result.uncurated:
            out.print(safe(f"  {e['cveID']}  {e['dateAdded']}  {e['vendorProject']}: {e['product']}"))
    if not quiet:
        where = "nothing written (--dry-run)" if not result.written else f"written to {result.target}"
        out.print(safe(where))


def register(app: typer.Typer) -> None:
    """Add `risk` and `advisories` to the camscan app."""
    app.command("risk")(risk)
    app.add_typer(advisories_app, name="advisories")
