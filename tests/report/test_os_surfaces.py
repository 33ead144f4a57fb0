"""What a device runs (`os`) is stored once and shown the same way everywhere: `devices --json`, the device
table, the HTML report, a scan's snapshot and Datasette's column descriptions; older inventories are upgraded."""

from __future__ import annotations

import json
from pathlib import Path

import sqlite_utils

from camscan import api
from camscan.migrations import migrations
from camscan.report.datasette import metadata
from camscan.store import Store
from tests.conftest import run_camscan
from tests.report.support import example_hosts, scan

PHONE = (
    "127.21.0.7",
    [{"kind": "dhcp_vendor_class", "value": "android-dhcp-13"}],
)  # invented, documented shape
CAMERA_ON_BUSYBOX = (
    "127.21.0.8",
    [
        {"kind": "rtsp_server", "value": "Dahua Rtsp Server"},
        {"kind": "dhcp_vendor_class", "value": "udhcp 1.31.1"},  # invented
    ],
)


def _inventory(path: Path, engine) -> Path:
    with Store.open(path) as store:
        scan(store, engine, [*example_hosts(), PHONE, CAMERA_ON_BUSYBOX])
    return path


def test_os_is_stored_and_in_devices_json(tmp_path: Path, engine) -> None:
    db = _inventory(tmp_path / "inv.db", engine)
    by_ip = {d["ip"]: d for d in api.devices(db)}
    assert all("os" in d and "os_version" in d for d in by_ip.values())  # additive keys on every device
    phone = by_ip[PHONE[0]]
    assert (phone["os"], phone["os_version"]) == ("Android", "13")
    assert phone["manufacturer"] is None and phone["device_type"] is None and phone["is_camera"] is False
    camera = by_ip[CAMERA_ON_BUSYBOX[0]]
    assert (
        camera["os"] == "BusyBox Linux" and camera["manufacturer"] == "Dahua" and camera["is_camera"] is True
    )


def test_every_surface_shows_the_same_os(tmp_path: Path, engine) -> None:
    db = _inventory(tmp_path / "inv.db", engine)
    devices = api.devices(db)
    shown = {f"{d['os']} {d['os_version']}" if d["os_version"] else d["os"] for d in devices if d["os"]}
    assert shown >= {"Android 13", "BusyBox Linux"}

    html = tmp_path / "r.html"
    api.report(html, db=db)
    text = html.read_text(encoding="utf-8")
    assert "<th" in text and ">OS<" in text
    for label in shown:
        assert f"<td>{label}</td>" in text

    with Store.open(db) as store:  # the scan's snapshot (reports of an earlier scan, diff) keeps it too
        snapshot = [json.loads(r["identity"]) for r in store.db.query("select identity from device_scans")]
    assert {s["os"] for s in snapshot if s.get("os")} == {d["os"] for d in devices if d["os"]}

    table = run_camscan("devices", "--db", str(db), env={"COLUMNS": "250"})
    assert table.returncode == 0, table.stderr
    for label in shown:
        assert label in table.stdout

    columns = metadata(db)["databases"][db.stem]["tables"]["devices"]["columns"]
    assert "maker" in columns["os"] and columns["os_version"]


def test_an_estate_where_nothing_said_its_os_shows_no_os_column(tmp_path: Path, engine) -> None:
    with Store.open(tmp_path / "inv.db") as store:
        scan(store, engine, [("127.21.0.9", [{"kind": "rtsp_server", "value": "Dahua Rtsp Server"}])])
    html = tmp_path / "r.html"
    api.report(html, db=tmp_path / "inv.db")
    assert ">OS<" not in html.read_text(encoding="utf-8")


def test_an_older_inventory_gains_the_os_columns_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before="m011_device_os")
    db.table("devices").insert(
        {
            "key": "mac:aa",
            "ip": "10.0.0.1",
            "manufacturer": "Axis",
            "device_type": "camera",
            "is_camera": 1,
            "concerns": "[]",
            "discovered_by": "[]",
        }
    )
    assert "os" not in db["devices"].columns_dict
    db.close()
    with Store.open(path) as store:
        assert {"os", "os_version"} <= set(store.db["devices"].columns_dict)
        assert migrations.pending(store.db) == []
    (device,) = api.devices(path)
    assert (device["manufacturer"], device["is_camera"], device["os"], device["os_version"]) == (
        "Axis",
        True,
        None,
        None,
    )


def test_identify_prints_the_os() -> None:
    result = run_camscan("identify", input='{"kind": "dhcp_vendor_class", "value": "android-dhcp-13"}\n')
    assert result.returncode == 0, result.stderr
    (line,) = [json.loads(x) for x in result.stdout.splitlines()]
    assert (line["os"], line["os_version"], line["manufacturer"], line["is_camera"]) == (
        "Android",
        "13",
        None,
        False,
    )
