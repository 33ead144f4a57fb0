"""What every command shares: the common options (CONTRACT), the default inventory, exit codes, JSON output."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from camscan.api import DEFAULT_DB
from camscan.console import err

__all__ = [
    "DEFAULT_DB",
    "ConcernsOption",
    "DbOption",
    "JsonOption",
    "QuietOption",
    "RecordSiteOption",
    "ScanOption",
    "SiteOption",
    "TableOption",
    "emit_json",
    "info",
]

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
SiteOption = Annotated[str | None, typer.Option("--site", help="Only devices of this site.")]
RecordSiteOption = Annotated[str | None, typer.Option("--site", help="Site name recorded with the devices.")]
ScanOption = Annotated[
    int | None, typer.Option("--scan", help="Devices as this scan saw them (default: the current inventory).")
]
TableOption = Annotated[
    bool | None,
    typer.Option(
        "--table/--no-table",
        help="Print every device found (default: only when there are at most 25; `camscan devices` lists them).",
    ),
]


def emit_json(data: Any) -> None:
    """One JSON document on stdout (the only thing there with --json)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def info(quiet: bool, message: str) -> None:
    """An informational line on stderr, unless --quiet."""
    if not quiet:
        err.print(message)
