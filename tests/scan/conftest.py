"""Fixtures for the scanner tests: labs on loopback addresses the other test folders do not use (127.90-99.x),
started by the tests themselves, and scans of them shared by the tests that read the results."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from camscan.lab import Lab
from camscan.testing import cannot_bind_privileged

from .support import credentials_file, scan, target_range

ESTATE_BASE = "127.90.0.1"
ESTATE_OUTSIDE = "127.254.90.1"


def _cannot_bind_privileged() -> str | None:
    return cannot_bind_privileged("127.90.255.254")


@pytest.fixture(scope="session")
def loopback_lab_ok() -> None:
    reason = _cannot_bind_privileged()
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="session")
def estate(loopback_lab_ok: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """Every non-hostile profile once (cameras of eight makers, two rebadged, and non-cameras)."""
    with Lab(
        profiles=["estate"],
        base=ESTATE_BASE,
        outside_host=ESTATE_OUTSIDE,
        cert_dir=tmp_path_factory.mktemp("certs"),
    ) as lab:
        yield lab


@pytest.fixture(scope="session")
def credentialed_scan(estate: Lab, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One scan of the estate with a --credentials file (each device's own credentials)."""
    tmp = tmp_path_factory.mktemp("credentialed")
    db = tmp / "inventory.db"
    estate.clear_requests()
    creds = credentials_file(estate, tmp / "credentials.yaml")
    result, summary = scan(
        target_range(estate),
        "--db",
        str(db),
        "--credentials",
        str(creds),
        "--timeout",
        "2",
        "--site",
        "lab-estate",
    )
    return {
        "result": result,
        "summary": summary,
        "db": db,
        "requests": estate.requests,
        "writes": estate.writes(),
    }


@pytest.fixture(scope="session")
def anonymous_scan(
    estate: Lab, tmp_path_factory: pytest.TempPathFactory, credentialed_scan: Any
) -> dict[str, Any]:
    """One scan of the estate without credentials."""
    db: Path = tmp_path_factory.mktemp("anonymous") / "inventory.db"
    estate.clear_requests()
    result, summary = scan(target_range(estate), "--db", str(db), "--timeout", "2")
    return {"result": result, "summary": summary, "db": db, "requests": estate.requests}
