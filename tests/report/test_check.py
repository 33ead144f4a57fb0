"""`camscan check`: the CI gate."""

from __future__ import annotations

import json

import pytest

from camscan.errors import UsageError
from camscan.model import Identity
from camscan.report.check import parse_fail_on
from camscan.store import Store
from tests.conftest import run_camscan

from . import support


def check(db, *args):
    return run_camscan("check", "--db", str(db), *args)


def test_concern_is_the_default_and_fails_with_one_line_per_device(example_db):
    r = check(example_db)
    assert r.returncode == 1
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 5
    assert all(line.startswith("concern: ") for line in lines)
    assert any("127.10.0.6" in line and "(sold as LTS)" in line and "ndaa-s889" in line for line in lines)
    assert "check failed: 5 of 12 devices" in r.stderr


def test_unknown_and_both(example_db):
    r = check(example_db, "--fail-on", "unknown")
    assert r.returncode == 1
    assert r.stdout.strip().splitlines() == [
        "unknown: 127.10.0.9 site hq (maker unknown) 631GA: unidentified camera: camera with no known "
        "manufacturer"
    ]
    both = check(example_db, "--fail-on", "concern,unknown")
    repeated = check(example_db, "--fail-on", "concern", "--fail-on", "unknown")
    assert both.stdout == repeated.stdout
    assert len(both.stdout.strip().splitlines()) == 6


def test_passes_with_exit_0(tmp_path, engine):
    db = tmp_path / "inv.db"
    axis = dict(support.example_hosts())["127.10.0.4"]
    with Store.open(db) as store:
        support.scan(store, engine, [("127.10.0.4", axis)])
    r = check(db, "--fail-on", "concern,unknown")
    assert r.returncode == 0, r.stdout
    assert r.stdout == ""
    assert "check passed" in r.stderr


def test_json(example_db):
    r = check(example_db, "--json", "--fail-on", "unknown")
    assert r.returncode == 1
    data = json.loads(r.stdout)
    assert data["failed"] is True and data["fail_on"] == ["unknown"]
    assert data["findings"][0]["device"]["ip"] == "127.10.0.9"


def test_no_identity_device_with_camera_port_is_unknown(tmp_path, engine):
    """A device nothing identified (an unregistered MAC) is an unidentified camera when it speaks RTSP or
    exposes a camera port; a device with no identity and no camera signal is not."""
    db = tmp_path / "inv.db"
    with Store.open(db) as store:
        sid = support.scan(store, engine, [])
        mystery = [
            {"kind": "mac", "value": "02:00:00:00:01:01"},
            {"kind": "rtsp_server", "value": "MysteryStream/1.0"},
        ]
        support.ingest(store, engine, sid, "10.1.0.1", mystery, site="hq")
        support.ingest(
            store, engine, sid, "10.1.0.2", [{"kind": "mac", "value": "02:00:00:00:01:02"}], site="hq"
        )
        store.add_services(sid, "10.1.0.2", [(8554, "tcp", "rtsp-alt", None)])
        support.ingest(
            store, engine, sid, "10.1.0.3", [{"kind": "mac", "value": "02:00:00:00:01:03"}], site="hq"
        )
        store.add_services(sid, "10.1.0.3", [(22, "tcp", "ssh", None)])
    r = check(db, "--fail-on", "unknown")
    assert r.returncode == 1
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 2
    assert "10.1.0.1" in lines[0] and "answered rtsp_server" in lines[0]
    assert "10.1.0.2" in lines[1] and "port 8554/tcp" in lines[1]


def test_terminal_output_has_no_control_characters(tmp_path, engine):
    db = tmp_path / "inv.db"
    with Store.open(db) as store:
        sid = support.scan(store, engine, support.hostile_hosts())
        ident = Identity(manufacturer="Hikvision", model=support.ANSI + support.C1_CSI, device_type="camera",
                         concerns=["ndaa-s889"])  # fmt: skip
        support.add_raw_device(store, sid, "127.66.0.2", ident, mac="c4:2f:90:66:00:02")
    r = check(db)
    assert r.returncode == 1
    assert "\x1b" not in r.stdout and "\x9b" not in r.stdout and "\u202e" not in r.stdout
    assert "[31mRED" in r.stdout  # the text is kept, the escape character is not


def test_fail_on_parsing():
    assert parse_fail_on([]) == ["concern"]
    assert parse_fail_on(["unknown, concern", "unknown"]) == ["unknown", "concern"]
    with pytest.raises(UsageError, match="choose from concern, unknown"):
        parse_fail_on(["vendor"])


def test_errors(tmp_path, example_db):
    r = check(example_db, "--fail-on", "bogus")
    assert r.returncode == 2 and "choose from concern, unknown" in r.stderr and r.stdout == ""
    r = check(tmp_path / "none.db")
    assert r.returncode == 2 and "no such inventory" in r.stderr
    Store.open(tmp_path / "empty.db").close()
    r = check(tmp_path / "empty.db")
    assert r.returncode == 2 and "no devices yet" in r.stderr


def _recorder_db(tmp_path, engine, channels):
    from tests.test_recorder_channels import NVR, nvr_observations, scan

    db = tmp_path / "inv.db"
    with Store.open(db) as store:
        scan(store, engine, [(NVR, nvr_observations(channels))])
    return db


def test_analogue_cameras_behind_recorders_do_not_fail_unknown(tmp_path, engine):
    """Issue 14, the lead's decision: an analogue camera on a recorder's coax input (maker unknown, coax carries no
    identity) is not an unidentified camera for the gate; it is counted apart. An IP channel whose identity the
    recorder did not give still fails `unknown`."""
    from tests.test_recorder_channels import ANALOG, HIK_CAM

    second_analog = {**ANALOG, "channel": 4, "name": "Camera 04"}
    bare_ip = {"api": "hikvision_isapi", "channel": 5, "input": "ip", "address": "192.168.254.9"}
    db = _recorder_db(tmp_path, engine, [HIK_CAM, ANALOG, second_analog, bare_ip])
    # the analogue cameras are still unidentified cameras in the database view (the reports count them)
    with Store.open(db) as store:
        in_view = store.db.execute("SELECT count(*) FROM unidentified_cameras").fetchone()[0]
    assert in_view == 3
    r = check(db, "--fail-on", "unknown")
    assert r.returncode == 1, r.stderr
    (line,) = r.stdout.strip().splitlines()
    assert line.startswith("unknown: ") and "ch 5 (IP, 192.168.254.9)" in line
    assert "2 analogue cameras behind recorders (maker cannot be read over the network)" in r.stderr
    assert "check failed: 1 of 5 devices" in r.stderr
    data = json.loads(check(db, "--fail-on", "unknown", "--json").stdout)
    assert data["analog_cameras"] == 2 and data["failed"] is True
    assert [f["device"]["channel"] for f in data["findings"]] == [5]


def test_only_analogue_cameras_unknown_passes(tmp_path, engine):
    from tests.test_recorder_channels import ANALOG, HIK_CAM

    db = _recorder_db(tmp_path, engine, [HIK_CAM, ANALOG])
    r = check(db, "--fail-on", "unknown")
    assert r.returncode == 0, r.stdout
    assert r.stdout == ""
    assert "1 analogue camera behind recorders (maker cannot be read" in r.stderr
    assert "check passed" in r.stderr
    data = json.loads(check(db, "--fail-on", "unknown", "--json").stdout)
    assert data == {**data, "failed": False, "findings": [], "analog_cameras": 1}
    # an analogue camera whose maker the recorder does say is an identified camera, not counted apart
    named = {**ANALOG, "manufacturer": "HIKVISION", "model": "DS-2CE16D0T-IRF"}
    (tmp_path / "named").mkdir()
    db2 = _recorder_db(tmp_path / "named", engine, [HIK_CAM, named])
    data = json.loads(check(db2, "--fail-on", "unknown", "--json").stdout)
    assert data["analog_cameras"] == 0 and data["failed"] is False
