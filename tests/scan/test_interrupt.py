"""Ctrl-C and SIGTERM: a real `camscan scan` stops cleanly, the scan is `interrupted`, what it found is kept."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from camscan.lab import Lab

from .support import CAMSCAN, ROOT, target_range


@pytest.fixture(scope="module")
def busy_lab(loopback_lab_ok: None) -> Iterator[Lab]:
    """Cameras that answer at once, and slow-drip devices that keep the scan busy for tens of seconds."""
    profiles = ["hikvision-camera", "dahua-camera", "hostile-slow-drip", "axis-camera", "hostile-slow-drip"]
    with Lab(profiles=profiles, count=20, base="127.96.0.1", outside_host="127.254.96.1") as lab:
        yield lab


def observations(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM observations").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signal_leaves_an_interrupted_usable_scan(busy_lab: Lab, tmp_path: Path, sig: signal.Signals) -> None:
    db = tmp_path / "inventory.db"
    proc = subprocess.Popen(
        [str(CAMSCAN), "scan", target_range(busy_lab), "--db", str(db), "--timeout", "5", "--quiet"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while observations(db) < 20 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
        assert proc.poll() is None, "the scan ended before it could be interrupted"
        seen = observations(db)
        assert seen >= 20
        proc.send_signal(sig)
        _out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        status, finished = conn.execute("SELECT status, finished FROM scans ORDER BY id DESC").fetchone()
        assert status == "interrupted" and finished
        assert conn.execute("SELECT count(*) FROM observations").fetchone()[0] >= seen
        devices = conn.execute("SELECT count(*) FROM devices WHERE manufacturer IS NOT NULL").fetchone()[0]
        assert devices >= 1
    # no nmap or worker left behind
    left = subprocess.run(
        ["pgrep", "-f", f"nmap.*{busy_lab.devices[0]['ip']}"], capture_output=True, text=True, check=False
    )
    assert left.stdout.strip() == ""
