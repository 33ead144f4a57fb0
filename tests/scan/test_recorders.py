"""Cameras behind recorders (issue 14), on the lab: a Hikvision hybrid DVR (analogue and IP channels), a Dahua XVR
and an ONVIF (Profile G) NVR; the first two each have a camera that is also on the network directly (the lab's
hikvision-camera and dahua-camera).

With the recorders' credentials every camera behind every recorder is in the inventory, with what the recorder
says of it, linked to its recorder, and counted once; without them the recorders are still identified with the
channel count they give without a login, and say their cameras could not be listed."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from camscan.lab import Lab

from .support import credentials_file, scan, target_range, writes

BASE = "127.150.0.1"
PROFILES = ["hikvision-dvr-hybrid", "dahua-xvr", "onvif-nvr", "hikvision-camera", "dahua-camera"]
CAMERA_SECRET = "lab-camera-secret"  # the password Dahua's RemoteDevice table carries for each camera


@pytest.fixture(scope="module")
def lab(loopback_lab_ok: None) -> Iterator[Lab]:
    with Lab(profiles=PROFILES, base=BASE, outside_host="127.151.254.1") as lab:
        yield lab


def run(lab: Lab, tmp: Path, *, credentials: bool) -> tuple[dict[str, Any], Path]:
    db = tmp / "inventory.db"
    args = [target_range(lab), "--db", str(db), "--timeout", "2"]
    if credentials:
        args += ["--credentials", str(credentials_file(lab, tmp / "credentials.yaml"))]
    lab.clear_requests()
    result, summary = scan(*args)
    assert result.returncode == 0, result.stderr
    assert writes(lab) == []  # every recorder call is a read
    return summary, db


@pytest.fixture(scope="module")
def with_credentials(lab: Lab, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    return run(lab, tmp_path_factory.mktemp("recorders-credentials"), credentials=True)


@pytest.fixture(scope="module")
def without_credentials(lab: Lab, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    return run(lab, tmp_path_factory.mktemp("recorders-anonymous"), credentials=False)


def recorders(lab: Lab) -> list[dict[str, Any]]:
    return [d for d in lab.devices if d["category"] == "recorder"]


def test_every_camera_behind_every_recorder_is_in_the_inventory(lab: Lab, with_credentials) -> None:
    summary, _db = with_credentials
    devices = summary["devices"]
    by_ip = {d["ip"]: d for d in devices if d["ip"]}
    expected_children = 0
    for recorder in recorders(lab):
        stored = by_ip[recorder["ip"]]
        truth = recorder["truth"]
        assert (stored["manufacturer"], stored["model"], stored["device_type"]) == (
            truth["manufacturer"],
            truth["model"],
            truth["device_type"],
        )
        assert stored["recorder"]["listed"] is True and stored["recorder"]["channels"] == truth["channels"]
        children = {d["channel"]: d for d in devices if d["parent"] == stored["key"]}
        assert sorted(children) == sorted(int(c) for c in truth["behind"]), recorder["name"]
        for channel, want in truth["behind"].items():
            got = children[int(channel)]
            assert got["channel_input"] == want["input"] and got["is_camera"], (recorder["name"], channel)
            assert "via_nvr" in got["discovered_by"]
            for field in ("manufacturer", "model", "serial", "firmware"):
                assert got[field] == want.get(field), (recorder["name"], channel, field)
            if want["input"] == "analog":  # maker unknown: nothing invented
                assert (got["brand"], got["model"], got["serial"]) == (None, None, None)
        expected_children += len(truth["behind"])
    # counted once: the recorders, their cameras, and nothing else (the two cameras also reached directly are
    # the same devices as on their channels)
    assert len(devices) == len(recorders(lab)) + expected_children


def test_a_camera_reached_directly_and_through_its_recorder_is_one_device(lab: Lab, with_credentials) -> None:
    summary, _db = with_credentials
    for name in ("hikvision-camera", "dahua-camera"):
        (camera,) = [d for d in lab.devices if d["name"].startswith(name)]
        (stored,) = [d for d in summary["devices"] if d["serial"] == camera["truth"]["serial"]]
        assert stored["ip"] == camera["ip"]
        assert stored["parent"] is not None and stored["channel"] == 9
        assert {"via_nvr", "nmap"} <= set(stored["discovered_by"])


def test_recorder_answers_are_kept_without_the_cameras_passwords(with_credentials) -> None:
    _summary, db = with_credentials
    with sqlite3.connect(db) as conn:
        bodies = [r[0] for r in conn.execute("SELECT value FROM observations WHERE kind = 'http_path'")]
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert any("RemoteDevice" in b for b in bodies)
    assert not any(CAMERA_SECRET in b for b in bodies)
    assert CAMERA_SECRET.encode() not in db.read_bytes()


def test_without_credentials_the_recorders_say_how_many_channels_and_that_nothing_was_listed(
    lab: Lab, without_credentials
) -> None:
    summary, _db = without_credentials
    devices = summary["devices"]
    assert not any("via_nvr" in d["discovered_by"] for d in devices)
    by_ip = {d["ip"]: d for d in devices}
    for recorder in recorders(lab):
        stored = by_ip[recorder["ip"]]
        # identified (the ONVIF NVR names no maker without a login: its model and type identify it)
        assert (stored["model"], stored["device_type"]) == (
            recorder["truth"]["model"],
            recorder["truth"]["device_type"],
        )
        assert stored["manufacturer"] in (recorder["truth"]["manufacturer"], None)
        said = stored["recorder"]
        assert said["listed"] is False
        assert said["channels"] == recorder["truth"]["channels"]  # from SADP / DHDiscover, no login
        assert "no credentials" in said["note"]


def test_devices_json_carries_the_tree(with_credentials) -> None:
    summary, db = with_credentials
    from tests.conftest import run_camscan

    result = run_camscan("devices", "--db", str(db), "--json")
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    keys = {d["key"] for d in listed}
    children = [d for d in listed if d["parent"]]
    assert len(children) == sum(1 for d in summary["devices"] if d["parent"])
    assert all(c["parent"] in keys for c in children)
