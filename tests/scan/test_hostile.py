"""A mixed estate with every hostile profile: the scan ends within its bounds and still identifies the rest."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from camscan.lab import Lab

from .support import by_ip, rows, scan, target_range, writes

NORMAL = ["hikvision-camera", "dahua-camera", "axis-camera", "rebadged-hikvision-camera"]
TIMEOUT_S = 1.0
#: The host deadline at --timeout 1 is 10 s; nmap, start-up and the writer add a few seconds.
TIME_BOUND_S = 30.0


@pytest.fixture(scope="module")
def hostile(loopback_lab_ok: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    db = tmp_path_factory.mktemp("hostile") / "inventory.db"
    with Lab(profiles=["hostile", *NORMAL], base="127.94.0.1", outside_host="127.254.94.1") as lab:
        started = time.monotonic()
        result, summary = scan(
            target_range(lab), "--db", str(db), "--timeout", str(TIMEOUT_S), "--rate", "500",
            env={"CAMSCAN_USERNAME": "admin", "CAMSCAN_PASSWORD": "camscan-lab"},
        )  # fmt: skip
        yield {
            "lab": lab,
            "result": result,
            "summary": summary,
            "elapsed": time.monotonic() - started,
            "db": db,
            "canary": lab.canary_secret,
            "trap": lab.trap_hits,
            "writes": writes(lab),
        }


def test_completes_within_its_time_bound(hostile: dict[str, Any]) -> None:
    assert hostile["summary"]["status"] == "complete", hostile["result"].stderr
    assert hostile["elapsed"] < TIME_BOUND_S


def test_failed_hosts_counted_and_exit_code_partial(hostile: dict[str, Any]) -> None:
    summary = hostile["summary"]
    assert hostile["result"].returncode == 3
    assert summary["hosts_failed"] >= 4
    failed = {f["ip"] for f in summary["failures"]}
    lab: Lab = hostile["lab"]
    for profile in ("hostile-slow-drip", "hostile-endless-headers", "hostile-huge-header", "hostile-reset"):
        assert next(d["ip"] for d in lab.devices if d["profile"] == profile) in failed, profile


def test_normal_devices_still_identified(hostile: dict[str, Any]) -> None:
    found = by_ip(hostile["summary"])
    for d in hostile["lab"].devices:
        if d["profile"] in NORMAL:
            got = found[d["ip"]]
            assert (got["brand"], got["manufacturer"], got["model"]) == (
                d["truth"]["brand"],
                d["truth"]["manufacturer"],
                d["truth"]["model"],
            ), d["name"]


def test_failures_are_stored_as_observations_with_errors(hostile: dict[str, Any]) -> None:
    lab: Lab = hostile["lab"]
    drip = next(d["ip"] for d in lab.devices if d["profile"] == "hostile-slow-drip")
    errors = rows(hostile["db"], "SELECT error FROM observations WHERE ip = ? AND error IS NOT NULL", (drip,))
    assert errors and any("cut" in e or "timeout" in e for (e,) in errors)
    truncated = next(d["ip"] for d in lab.devices if d["profile"] == "hostile-truncated")
    errors = rows(
        hostile["db"], "SELECT error FROM observations WHERE ip = ? AND error IS NOT NULL", (truncated,)
    )
    assert any("incomplete" in e for (e,) in errors)


def test_xxe_canary_never_reaches_the_store(hostile: dict[str, Any]) -> None:
    db: Path = hostile["db"]
    data = b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))
    assert hostile["canary"].encode() not in data
    assert hostile["canary"] not in hostile["result"].stdout + hostile["result"].stderr


def test_redirects_outside_the_scope_not_followed(hostile: dict[str, Any]) -> None:
    assert hostile["trap"] == []


def test_no_write_requests(hostile: dict[str, Any]) -> None:
    assert hostile["writes"] == []
