"""Fixtures for the lab tests: one estate of every profile, served from a background thread.

The tests talk to it with independent clients (httpx, raw sockets, lxml, hashlib, openssl, nmap), never with
the lab's own parsers, so a lab bug cannot hide behind a matching client bug.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from camscan.lab import Lab
from camscan.testing import cannot_bind_privileged

from .support import ESTATE_BASE, ESTATE_OUTSIDE, OCTET


def _cannot_bind_privileged() -> str | None:
    return cannot_bind_privileged(f"127.{OCTET}.255.254")


@pytest.fixture(scope="session")
def loopback_ok() -> None:
    reason = _cannot_bind_privileged()
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="session")
def estate(loopback_ok: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """Every profile once (27 devices) on this run's 127.N.0.x, with the outside trap on 127.254.N.1."""
    lab = Lab(
        profiles=["all"],
        base=ESTATE_BASE,
        outside_host=ESTATE_OUTSIDE,
        cert_dir=tmp_path_factory.mktemp("certs"),
    )
    with lab:
        yield lab


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Slow lab tests run only when asked: `-m slow` or CAMSCAN_LAB_SLOW=1 (keeps the default run short)."""
    if "slow" in (config.getoption("markexpr", "") or "") or os.environ.get("CAMSCAN_LAB_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="slow: run with -m slow or CAMSCAN_LAB_SLOW=1")
    for item in items:
        if "slow" in item.keywords and "tests/lab/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(skip)
