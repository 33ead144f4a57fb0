"""Firmware risk commands (issue 13): `risk` and `advisories update`. Thin: each calls one `camscan.api` function."""

from __future__ import annotations

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


def register(app: typer.Typer) -> None:
    """Add `risk` to the camscan app."""
    app.command("risk")(risk)
