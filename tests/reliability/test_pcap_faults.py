"""Faults around a pcap import: kill -9, SIGTERM, a full disk, a locked database, two writers at once.

Afterwards the database opens, passes `PRAGMA integrity_check`, holds everything committed before the fault,
and the interrupted import is marked so.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_camscan
from tests.reliability.support import write_capture

CAMSCAN = str(Path(sys.executable).parent / "camscan")


def integrity(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def wait_for(predicate, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except sqlite3.Error:
            pass
        time.sleep(0.05)
    raise AssertionError("condition not reached")


@pytest.fixture
def committed_db(tmp_path: Path) -> Path:
    """A database that already holds one complete import of 40 devices."""
    db = tmp_path / "inv.db"
    result = run_camscan(
        "pcap", str(write_capture(tmp_path / "first.pcap", hosts=40)), "--db", str(db), "--quiet"
    )
    assert result.returncode == 0, result.stderr
    return db


def assert_consistent(db: Path, scan_id: int) -> None:
    """Batches are atomic: every device the scan stored has its observations, and every host its device."""
    devices = {r[0] for r in query(db, f"SELECT ip FROM device_scans WHERE scan_id = {scan_id}")}
    observed = {r[0] for r in query(db, f"SELECT DISTINCT ip FROM observations WHERE scan_id = {scan_id}")}
    assert devices == observed


def test_kill_9_during_import_keeps_committed_data(committed_db, tmp_path):
    big = write_capture(tmp_path / "big.pcap", hosts=20000)
    proc = subprocess.Popen(
        [CAMSCAN, "pcap", str(big), "--db", str(committed_db), "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for(lambda: query(committed_db, "SELECT count(*) FROM observations WHERE scan_id = 2")[0][0] > 0)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert integrity(committed_db) == "ok"
    assert query(committed_db, "SELECT count(*) FROM device_scans WHERE scan_id = 1")[0][0] == 40
    assert_consistent(committed_db, 1)
    assert_consistent(committed_db, 2)
    stored = query(committed_db, "SELECT count(*) FROM device_scans WHERE scan_id = 2")[0][0]
    assert 0 < stored < 20000
    assert query(committed_db, "SELECT status FROM scans WHERE id = 2")[0][0] == "running"
    after = run_camscan(
        "pcap", str(write_capture(tmp_path / "next.pcap", hosts=3)), "--db", str(committed_db), "-q"
    )
    assert after.returncode == 0, after.stderr
    assert query(committed_db, "SELECT status FROM scans WHERE id = 2")[0][0] == "interrupted"


def test_sigterm_during_import_stops_and_marks_interrupted(committed_db, tmp_path):
    big = write_capture(tmp_path / "big.pcap", hosts=20000)
    proc = subprocess.Popen(
        [CAMSCAN, "pcap", str(big), "--db", str(committed_db), "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_for(lambda: query(committed_db, "SELECT count(*) FROM observations WHERE scan_id = 2")[0][0] > 0)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert "Traceback" not in stderr
    assert integrity(committed_db) == "ok"
    assert_consistent(committed_db, 2)
    run_camscan("pcap", str(write_capture(tmp_path / "next.pcap", hosts=1)), "--db", str(committed_db), "-q")
    assert query(committed_db, "SELECT status FROM scans WHERE id = 2")[0][0] == "interrupted"
    assert query(committed_db, "SELECT count(*) FROM device_scans WHERE scan_id = 1")[0][0] == 40


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small tmpfs needs root")
def test_disk_full_is_a_clear_error_and_keeps_what_was_stored(tmp_path):
    mount = tmp_path / "small"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1200k", "tmpfs", str(mount)], check=True)
    try:
        db = mount / "inv.db"
        first = run_camscan("pcap", str(write_capture(tmp_path / "a.pcap", hosts=20)), "--db", str(db), "-q")
        assert first.returncode == 0, first.stderr
        full = run_camscan("pcap", str(write_capture(tmp_path / "b.pcap", hosts=6000)), "--db", str(db), "-q")
        assert full.returncode == 2, full.stderr
        assert "disk is full" in full.stderr
        assert full.stderr.strip().count("\n") == 0 and "Traceback" not in full.stderr
        assert integrity(db) == "ok"
        assert query(db, "SELECT count(*) FROM device_scans WHERE scan_id = 1")[0][0] == 20
        assert query(db, "SELECT status FROM scans WHERE id = 1")[0][0] == "complete"
    finally:
        subprocess.run(["umount", "--lazy", str(mount)], check=False)


def test_locked_database_is_exit_2_and_untouched(committed_db, tmp_path):
    before = query(committed_db, "SELECT count(*) FROM observations")[0][0]
    holder = sqlite3.connect(committed_db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = run_camscan(
            "pcap",
            str(write_capture(tmp_path / "c.pcap", hosts=5)),
            "--db",
            str(committed_db),
            env={"CAMSCAN_BUSY_TIMEOUT_MS": "300"},
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 2
    assert "locked by another process" in result.stderr and "Traceback" not in result.stderr
    assert query(committed_db, "SELECT count(*) FROM observations")[0][0] == before
    assert integrity(committed_db) == "ok"


def test_two_imports_into_one_database_at_once(committed_db, tmp_path):
    a = write_capture(tmp_path / "a.pcap", hosts=1500)
    b_path = tmp_path / "b.pcap"
    write_capture(b_path, hosts=1500)
    # the second capture's devices are other devices: shift their MACs and addresses
    data = bytearray(b_path.read_bytes()).replace(b"\xc4\x2f\x90\x00", b"\xc4\x2f\x90\x07")
    b_path.write_bytes(bytes(data).replace(b"\x0a\x63", b"\x0a\x64"))
    procs = [
        subprocess.Popen(
            [CAMSCAN, "pcap", str(p), "--db", str(committed_db), "--quiet"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for p in (a, b_path)
    ]
    # communicate(), not wait() then read(): a child that fills the stderr pipe would block, and wait() with it
    errors = [p.communicate(timeout=300)[1] for p in procs]
    results = [(p.returncode, err) for p, err in zip(procs, errors, strict=True)]
    assert [code for code, _ in results] == [0, 0], results
    assert integrity(committed_db) == "ok"
    statuses = query(committed_db, "SELECT status FROM scans ORDER BY id")
    assert statuses == [("complete",)] * 3
    assert query(committed_db, "SELECT count(*) FROM devices")[0][0] >= 40 + 1500
