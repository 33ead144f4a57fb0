"""Repeated scans: a firmware change between two scans is history; an identical rescan adds none."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from camscan.lab import Lab
from camscan.lab.profiles import Profile, load_profile

from .support import by_ip, rows, scan

BASE = "127.97.0.1"


def hikvision(firmware: str) -> Profile:
    profile = load_profile("hikvision-camera")
    return dataclasses.replace(profile, vars={**profile.vars, "firmware": firmware})


def test_firmware_change_is_recorded_and_identical_rescan_is_not(
    loopback_lab_ok: None, tmp_path: Path
) -> None:
    db = tmp_path / "inventory.db"
    creds = {"CAMSCAN_USERNAME": "admin", "CAMSCAN_PASSWORD": "camscan-lab"}
    with Lab(profiles=[hikvision("V5.6.2"), "dahua-camera"], base=BASE, trap=False) as lab:
        ip = lab.devices[0]["ip"]
        result, first = scan(f"{BASE}-2", "--db", str(db), env=creds)
        assert result.returncode == 0, result.stderr
        assert by_ip(first)[ip]["firmware"] == "V5.6.2"
    with Lab(profiles=[hikvision("V5.7.0"), "dahua-camera"], base=BASE, trap=False):
        result, second = scan(f"{BASE}-2", "--db", str(db), env=creds)
        assert result.returncode == 0, result.stderr
        result, third = scan(f"{BASE}-2", "--db", str(db), env=creds)
        assert result.returncode == 0, result.stderr
    assert by_ip(second)[ip]["firmware"] == "V5.7.0"
    assert by_ip(second)[ip]["first_seen"] == by_ip(first)[ip]["first_seen"]  # the same device (same key)
    history = rows(db, "SELECT scan_id, field, old, new FROM device_history WHERE field = 'firmware'")
    assert (second["scan_id"], "firmware", "V5.6.2", "V5.7.0") in history
    assert rows(db, "SELECT * FROM device_history WHERE scan_id = ?", (third["scan_id"],)) == []
    assert len(rows(db, "SELECT * FROM devices")) == 2
