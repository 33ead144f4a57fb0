"""Helpers for the scanner tests: run the real `camscan scan` against a lab, read what it stored."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from camscan.lab import Lab

ROOT = Path(__file__).resolve().parents[2]
CAMSCAN = Path(sys.executable).parent / "camscan"
#: The lab's hostile devices record a connection they never read a request from as method CONNECT.
CONNECTION_ONLY = "CONNECT"


def target_range(lab: Lab) -> str:
    ips = [d["ip"] for d in lab.devices]
    return f"{ips[0]}-{ips[-1]}"


def credentials_file(lab: Lab, path: Path) -> Path:
    """A --credentials file giving each lab device its own credentials (as a site's would)."""
    entries = [{"targets": d["ip"], **d["credentials"]} for d in lab.devices if d["credentials"]]
    path.write_text(yaml.safe_dump(entries))
    return path


def scan(
    *args: str, env: dict[str, str] | None = None, timeout: float = 180
) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    """`camscan scan ... --json` in a subprocess; (the process, the parsed summary or {})."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CAMSCAN_")}
    full_env.update(env or {})
    result = subprocess.run(
        [str(CAMSCAN), "scan", *args, "--json"],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=ROOT,
        timeout=timeout,
        check=False,
    )
    try:
        summary = json.loads(result.stdout) if result.stdout.strip() else {}
    except json.JSONDecodeError:
        summary = {}
    return result, summary


def by_ip(summary: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["ip"]: d for d in summary.get("devices", [])}


def writes(lab: Lab) -> list[dict[str, Any]]:
    """Requests that could change a device, leaving out the lab's connection-only records."""
    return [w for w in lab.writes() if w["method"] != CONNECTION_ONLY]


def rows(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute(sql, params))
