"""Secrets and scope: the scan's password appears nowhere camscan writes, public targets are refused before
anything starts, and (test_hostile_campaign.py) nothing but read requests reach a device."""

from __future__ import annotations

import base64
import io
import urllib.parse
import zipfile
from pathlib import Path

import pytest

from tests.conftest import run_camscan

from .conftest import PASSWORD, USER, Campaign
from .support import count, database_bytes, query

NEEDLES = [
    PASSWORD.encode(),
    urllib.parse.quote(PASSWORD).encode(),
    base64.b64encode(f"{USER}:{PASSWORD}".encode()),  # a Basic Authorization token
    base64.b64encode(PASSWORD.encode()),
]


def leaks(name: str, data: bytes | str) -> list[str]:
    raw = data.encode() if isinstance(data, str) else data
    if raw[:2] == b"PK":  # xlsx: a zip of XML parts, grepped uncompressed
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            raw = b"".join(z.read(n) for n in z.namelist())
    return [f"{name}: {needle!r}" for needle in NEEDLES if needle in raw]


def test_the_scans_used_the_credentials(campaign: Campaign) -> None:
    assert any(r["credentials"] for r in campaign.requests)
    details = query(campaign.db, "SELECT details FROM scans WHERE id = 2")[0][0]
    assert '"credentials": "given"' in details  # recorded that they were given, nothing more


def test_password_nowhere_in_the_database(campaign: Campaign) -> None:
    files = sorted(campaign.db.parent.glob(campaign.db.name + "*"))
    assert files
    found = [leak for f in files for leak in leaks(f.name, f.read_bytes())]
    assert found == []


def test_password_nowhere_in_the_scans_output(campaign: Campaign) -> None:
    found = []
    for name, run in (("scan --json", campaign.mixed), ("scan (text)", campaign.estate)):
        assert run.stdout.strip(), name
        found += leaks(f"{name} stdout", run.stdout) + leaks(f"{name} stderr", run.stderr)
    assert found == []


def test_password_nowhere_in_reports_or_exports(campaign: Campaign, tmp_path: Path) -> None:
    db = str(campaign.db)
    outputs: dict[str, bytes | str] = {}
    commands: dict[str, list[str]] = {
        "report": ["report", "-o", str(tmp_path / "report.html")],
        "devices": ["devices"],
        "devices --json": ["devices", "--json"],
        "devices --csv": ["devices", "--csv"],
        "diff": ["diff"],
        "diff --json": ["diff", "--json"],
        "check --json": ["check", "--json", "--fail-on", "concern,unknown"],
    }
    for fmt in ("csv", "json", "md", "xlsx"):
        commands[f"questionnaire {fmt} file"] = [
            "export", "questionnaire", "--format", fmt, "-o", str(tmp_path / f"q.{fmt}"),
        ]  # fmt: skip
        if fmt != "xlsx":
            commands[f"questionnaire {fmt}"] = ["export", "questionnaire", "--format", fmt]
    for name, args in commands.items():
        result = run_camscan(*args, "--db", db)
        assert result.returncode in (0, 1), (name, result.stderr)
        outputs[f"{name} stdout"] = result.stdout
        outputs[f"{name} stderr"] = result.stderr
    for path in tmp_path.iterdir():
        outputs[path.name] = path.read_bytes()
    assert {"report.html", "q.csv", "q.json", "q.md", "q.xlsx"} <= {p.name for p in tmp_path.iterdir()}
    assert len(outputs["devices --json stdout"]) > 1000  # real content was grepped
    found = [leak for name, data in outputs.items() for leak in leaks(name, data)]
    assert found == []
    canary = campaign.canary.encode()
    assert [
        name
        for name, data in outputs.items()
        if canary in (data if isinstance(data, bytes) else data.encode())
    ] == []


@pytest.mark.parametrize(
    "targets",
    [
        ["8.8.8.8"],
        ["127.86.9.1", "192.0.2.1-192.0.2.9"],  # one public range spoils the whole list
        ["203.0.113.0/28"],
        ["@public"],
    ],
    ids=["address", "mixed-list", "cidr", "target-file"],
)
def test_public_targets_refused_before_anything_starts(
    targets: list[str], stored_db: Path, tmp_path: Path
) -> None:
    listed = tmp_path / "targets.txt"
    listed.write_text("# one private, one public\n127.86.9.1\n8.8.4.4\n")
    args = [f"@{listed}" if t == "@public" else t for t in targets]
    scans = count(stored_db, "SELECT count(*) FROM scans")
    before = database_bytes(stored_db)
    result = run_camscan("scan", *args, "--db", str(stored_db), "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "public addresses" in lines[0] and "--allow-public" in lines[0]
    assert "Traceback" not in result.stderr
    assert count(stored_db, "SELECT count(*) FROM scans") == scans  # the scan never started
    assert database_bytes(stored_db) == before
    fresh = tmp_path / "fresh.db"
    assert run_camscan("scan", *args, "--db", str(fresh)).returncode == 2
    assert not fresh.exists()
