"""A database another process holds locked during a scan stalls no probe and loses nothing (issue 12, item 4):
the store's writes run on their own thread (camscan/store_thread.py), so while it waits for the lock the event
loop goes on probing, and everything found is written once the lock goes. Lab on 127.160.1.x (this file's own
range; the outside trap is 127.160.250.1)."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from camscan.lab import Lab

from .conftest import ip_range
from .support import count, integrity, run_measured, wait_for

#: Cameras that answer at once, and slow-drip devices that keep the scan busy for the host deadline.
PROFILES = ["hikvision-camera", "dahua-camera", "axis-camera", "hostile-slow-drip"]
#: The lock is held until the lab has received no request for this long (longer than the scan's --timeout and
#: than the gap between its discovery and fingerprint phases), at most LOCK_MAX_S. A fixed window would measure
#: the machine's speed: under a loaded CI a scan outlasts any fixed window while probing as it should.
QUIET_S = 5.0
LOCK_MAX_S = 90.0


@pytest.fixture(scope="module")
def lab(loopback_lab: None) -> Iterator[Lab]:
    with Lab(profiles=PROFILES, count=16, base="127.160.1.1", outside_host="127.160.250.1") as lab:
        yield lab


def test_a_locked_database_stalls_no_probe_and_loses_nothing(lab: Lab, tmp_path: Path) -> None:
    db = tmp_path / "inventory.db"
    window: list[float] = []

    def lock_once_writing() -> None:
        wait_for(lambda: _running_scans(db) > 0, 60, "the scan started")  # before any probe has answered
        holder = sqlite3.connect(db, isolation_level=None)
        try:
            holder.execute("BEGIN EXCLUSIVE")
            window.append(time.time())
            _wait_until_quiet(lab, window[0] + LOCK_MAX_S)
            window.append(time.time())
            holder.execute("ROLLBACK")
        finally:
            holder.close()

    locker = threading.Thread(target=lock_once_writing)
    lab.clear_requests()
    locker.start()
    run = run_measured(
        ["scan", ip_range(lab.devices), "--db", str(db), "--json", "--timeout", "2"],
        env={"CAMSCAN_BUSY_TIMEOUT_MS": str(int((LOCK_MAX_S + 30) * 1000))},  # the writer outwaits the lock
        timeout=180,
    )
    locker.join()
    assert run.returncode in (0, 3), run.stderr  # 3: the slow-drip devices time out (partial), as designed
    assert len(window) == 2, "the lock was taken during the scan"
    # The probes went on while the database was locked: had a write stalled the event loop, the lab would have
    # gone quiet after the first write, the lock would have been let go, and the probing would have gone on after.
    # Requests sent before the lock was taken (the scan's first discovery packets can beat the locker by a few
    # milliseconds on a loaded machine) say nothing either way and are only required to be a minority.
    start, end = window
    requests = lab.requests
    during = [r for r in requests if start <= r["time"] < end]
    after = [r for r in requests if r["time"] >= end]
    assert end - start < LOCK_MAX_S, "the lab never went quiet while the database was locked"
    assert len(during) >= 0.5 * len(requests), f"only {len(during)} of {len(requests)} requests while locked"
    assert len(during) >= 0.95 * (len(during) + len(after)), (
        f"{len(after)} requests after the lock went, {len(during)} while it was held (lock held {end - start:.1f} s)"
    )
    # Nothing was lost: every lab device has its host row, every camera its device row, in a complete scan.
    assert integrity(db) == "ok"
    assert count(db, "SELECT count(*) FROM hosts WHERE scan_id = 1") == len(lab.devices)
    cameras = [d for d in lab.devices if d["category"] == "camera"]
    stored = {r for (r,) in sqlite3.connect(db).execute("SELECT ip FROM devices WHERE is_camera = 1")}
    assert {d["ip"] for d in cameras} <= stored
    assert run.json()["status"] == "complete"


def _wait_until_quiet(lab: Lab, deadline: float) -> None:
    """Return once the lab has received no request for QUIET_S (after at least one), or at the deadline."""
    while time.time() < deadline:
        times = [r["time"] for r in lab.requests]
        if times and time.time() - max(times) >= QUIET_S:
            return
        time.sleep(0.1)


def _running_scans(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        return count(db, "SELECT count(*) FROM scans WHERE status = 'running'")
    except sqlite3.Error:
        return 0
