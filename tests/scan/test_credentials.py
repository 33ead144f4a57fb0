"""Credentials from the environment and from a file: used for their hosts only, never stored, never printed."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from camscan.lab import Lab

from .support import by_ip, scan, target_range, writes

USER = "camscan-audit"
PASSWORD = f"Pw-{secrets.token_hex(12)}"


@pytest.fixture(scope="module")
def lab(loopback_lab_ok: None) -> Iterator[Lab]:
    with Lab(
        profiles=["hikvision-camera", "dahua-camera", "hanwha-camera", "uniview-camera"],
        base="127.95.0.1",
        outside_host="127.254.95.1",
        credentials=(USER, PASSWORD),
    ) as lab:
        yield lab


def leaks(*texts: str | bytes) -> list[str]:
    """Where the password (or a Basic token carrying it) appears."""
    needles = [PASSWORD.encode(), base64.b64encode(f"{USER}:{PASSWORD}".encode())]
    found = []
    for n, text in enumerate(texts):
        data = text.encode() if isinstance(text, str) else text
        found += [f"text {n}: {needle!r}" for needle in needles if needle in data]
    return found


def database_bytes(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))


def check_identified(lab: Lab, summary: dict[str, Any]) -> None:
    found = by_ip(summary)
    for d in lab.devices:
        got = found[d["ip"]]
        assert (got["manufacturer"], got["model"], got["firmware"]) == (
            d["truth"]["manufacturer"],
            d["truth"]["model"],
            d["truth"]["firmware"],
        ), d["name"]


def test_credentials_from_the_environment(lab: Lab, tmp_path: Path) -> None:
    db = tmp_path / "inventory.db"
    lab.clear_requests()
    result, summary = scan(
        target_range(lab), "--db", str(db), "--timeout", "2",
        env={"CAMSCAN_USERNAME": USER, "CAMSCAN_PASSWORD": PASSWORD},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    check_identified(lab, summary)
    assert any(r["credentials"] for r in lab.requests)
    assert writes(lab) == []
    assert leaks(result.stdout, result.stderr, database_bytes(db)) == []


def test_credentials_from_a_file_per_range(lab: Lab, tmp_path: Path) -> None:
    db = tmp_path / "inventory.db"
    creds = tmp_path / "creds.yaml"
    creds.write_text(yaml.safe_dump([{"targets": "127.95.0.0/24", "username": USER, "password": PASSWORD}]))
    result, summary = scan(target_range(lab), "--db", str(db), "--credentials", str(creds), "--timeout", "2")
    assert result.returncode == 0, result.stderr
    check_identified(lab, summary)
    assert leaks(result.stdout, result.stderr, database_bytes(db)) == []


def test_credentials_only_for_their_range(lab: Lab, tmp_path: Path) -> None:
    first = lab.devices[0]["ip"]
    creds = tmp_path / "creds.yaml"
    creds.write_text(yaml.safe_dump([{"targets": first, "username": USER, "password": PASSWORD}]))
    lab.clear_requests()
    result, _summary = scan(target_range(lab), "--db", str(tmp_path / "i.db"), "--credentials", str(creds))
    assert result.returncode == 0, result.stderr
    with_credentials = {r["ip"] for r in lab.requests if r["credentials"]}
    assert with_credentials == {first}


def test_wrong_password_is_data_not_a_crash(lab: Lab, tmp_path: Path) -> None:
    result, summary = scan(
        target_range(lab), "--db", str(tmp_path / "i.db"),
        env={"CAMSCAN_USERNAME": USER, "CAMSCAN_PASSWORD": "not-the-password"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    hik = by_ip(summary)[lab.devices[0]["ip"]]
    assert hik["manufacturer"] == "Hikvision"  # the unauthenticated tiers still identify it


def test_half_set_environment_is_a_usage_error(tmp_path: Path) -> None:
    result, _ = scan("127.95.1.1", "--db", str(tmp_path / "i.db"), env={"CAMSCAN_USERNAME": "x"})
    assert result.returncode == 2
    assert "CAMSCAN_PASSWORD" in result.stderr
    assert "Traceback" not in result.stderr
