"""Fixtures for the reliability tests that scan a lab. Their labs live on 127.86.0.0/16 and 127.87.0.0/16
(outside traps 127.254.86-87.x), addresses no other test folder uses, so they can run beside the others."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from camscan.lab import Lab
from camscan.testing import cannot_bind_privileged

from .support import Run, run_measured

#: The campaign lab: every non-hostile profile once, then every hostile one, all answering to these credentials.
CAMPAIGN_BASE = "127.87.0.1"
CAMPAIGN_OUTSIDE = "127.254.87.1"
USER = "rel-auditor"
#: Distinctive, so a grep can find it anywhere it leaks.
PASSWORD = "Quokka-Zebra-7731-camscan-secret"
#: --timeout for the campaign scan: the host deadline is then 10 s (at least 10 s, eight times the timeout).
TIMEOUT_S = 1.0
#: The whole mixed estate must be scanned within this (host deadline 10 s; nmap, start-up, writer: a few s).
TIME_BOUND_S = 30.0


def _cannot_bind_here() -> str | None:
    return cannot_bind_privileged("127.86.255.254")


@pytest.fixture(scope="session")
def loopback_lab() -> None:
    reason = _cannot_bind_here()
    if reason:
        pytest.skip(reason)


def ip_range(devices: list[dict[str, Any]]) -> str:
    return f"{devices[0]['ip']}-{devices[-1]['ip']}"


@dataclass(slots=True)
class Campaign:
    """One lab with every profile, scanned twice into one database (see `campaign`)."""

    lab_devices: list[dict[str, Any]]
    db: Path
    tmp: Path
    mixed: Run  # the whole lab, hostile devices included, --json, credentials from the environment
    estate: Run  # the non-hostile devices only, human output, credentials from a --credentials file
    requests: list[dict[str, Any]]  # everything the lab received during the mixed scan
    writes: list[dict[str, Any]]
    trap_hits: list[dict[str, Any]]
    canary: str

    def devices(self, category: str | None = None) -> list[dict[str, Any]]:
        return [
            d
            for d in self.lab_devices
            if category is None or (d["category"] == "hostile") == (category == "hostile")
        ]

    def device(self, profile: str) -> dict[str, Any]:
        return next(d for d in self.lab_devices if d["profile"] == profile)


@pytest.fixture(scope="session")
def campaign(loopback_lab: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Campaign]:
    """The mixed estate: a scan of every profile (hostile ones too) with credentials, then a scan of the
    normal devices alone into the same database (a second complete scan, for `diff`, and the reference the
    mixed scan's identities are compared with)."""
    tmp = tmp_path_factory.mktemp("campaign")
    db = tmp / "inventory.db"
    with Lab(
        profiles=["estate", "hostile"],
        base=CAMPAIGN_BASE,
        outside_host=CAMPAIGN_OUTSIDE,
        credentials=(USER, PASSWORD),
        cert_dir=tmp_path_factory.mktemp("certs"),
    ) as lab:
        everything = lab.devices
        normal = [d for d in everything if d["category"] != "hostile"]
        assert normal == everything[: len(normal)], "the normal devices come first"
        mixed = run_measured(
            ["scan", ip_range(everything), "--db", str(db), "--json", "--timeout", str(TIMEOUT_S),
             "--rate", "500"],
            env={"CAMSCAN_USERNAME": USER, "CAMSCAN_PASSWORD": PASSWORD},
            timeout=120,
        )  # fmt: skip
        requests, writes, trap = lab.requests, lab.writes(), lab.trap_hits
        creds = tmp / "credentials.yaml"
        creds.write_text(
            yaml.safe_dump([{"targets": ip_range(normal), "username": USER, "password": PASSWORD}])
        )
        estate = run_measured(
            ["scan", ip_range(normal), "--db", str(db), "--credentials", str(creds), "--timeout", "2"],
            timeout=120,
        )
        yield Campaign(everything, db, tmp, mixed, estate, requests, writes, trap, lab.canary_secret)


@pytest.fixture(scope="session")
def inventory_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An inventory holding one complete import of 40 devices (one file: camscan leaves no -wal behind)."""
    from tests.conftest import run_camscan

    from .support import write_capture

    tmp = tmp_path_factory.mktemp("inventory")
    db = tmp / "inventory.db"
    result = run_camscan("pcap", str(write_capture(tmp / "first.pcap", hosts=40)), "--db", str(db), "-q")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp.glob("inventory.db*")) == ["inventory.db"]
    return db


@pytest.fixture
def stored_db(inventory_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of `inventory_template` for one test."""
    db = tmp_path / "inventory.db"
    shutil.copyfile(inventory_template, db)
    return db
