"""The store: schema migrations, history, sightings, and clear errors for bad database files."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from camscan import store as store_mod
from camscan.errors import StoreError
from camscan.migrations import migrations
from camscan.model import Observation
from camscan.pipeline import ingest_host
from camscan.store import Store


def hik_observations(firmware: str) -> list[Observation]:
    return [
        Observation("http_server", "App-webs/", host="127.0.0.5", port=80, source="http"),
        Observation("mac", "c4:2f:90:00:00:05", host="127.0.0.5", source="arp"),
        Observation(
            "vendor_discovery",
            {"protocol": "sadp", "DeviceDescription": "DS-2CD2032-I", "SoftwareVersion": firmware},
            host="127.0.0.5",
            source="sadp",
        ),
    ]


def test_new_database_has_schema_wal_and_views(tmp_path):
    with Store.open(tmp_path / "inv.db") as st:
        names = set(st.db.table_names())
        assert {
            "scans",
            "hosts",
            "services",
            "observations",
            "devices",
            "device_history",
            "device_scans",
            "vendors",
            "concerns",
            "vendor_concerns",
        } <= names
        assert {"vendor_counts", "devices_of_concern", "cameras"} <= set(st.db.view_names())
        assert st.db.journal_mode == "wal"
        assert [m.name for m in migrations.pending(st.db)] == []


def test_older_schema_is_migrated_on_open_and_keeps_data(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before="m002_sightings_skew_views")
    db.table("scans").insert({"kind": "active", "status": "complete", "started": "2025-01-01T00:00:00+00:00"})
    db.table("devices").insert(
        {
            "key": "mac:aa",
            "ip": "10.0.0.1",
            "manufacturer": "Axis",
            "is_camera": 1,
            "concerns": "[]",
            "discovered_by": "[]",
        }
    )
    assert "clock_skew_s" not in db["devices"].columns_dict
    db.close()
    with Store.open(path) as st:
        assert "clock_skew_s" in st.db["devices"].columns_dict
        assert st.db.table("devices").get("mac:aa")["manufacturer"] == "Axis"
        assert [r["manufacturer"] for r in st.db.query("select * from vendor_counts")] == ["Axis"]
        applied = [m.name for m in migrations.applied(st.db)]
        assert applied[:2] == ["m001_initial", "m002_sightings_skew_views"]
        assert migrations.pending(st.db) == []


def test_history_records_firmware_change_between_scans(tmp_path, fixture_engine):
    with Store.open(tmp_path / "inv.db") as st:
        s1 = st.start_scan("active")
        key1, _ = ingest_host(st, fixture_engine, s1, "127.0.0.5", hik_observations("V5.4.5 build 170124"))
        st.finish_scan(s1, "complete")
        s2 = st.start_scan("active")
        key2, _ = ingest_host(st, fixture_engine, s2, "127.0.0.5", hik_observations("V5.6.2build 190701"))
        st.finish_scan(s2, "complete")
        assert key1 == key2 == "mac:c4:2f:90:00:00:05"
        device = st.db.table("devices").get(key1)
        assert (device["firmware"], device["firmware_build"]) == ("V5.6.2", "190701")
        changes = {(r["field"], r["old"], r["new"], r["scan_id"]) for r in st.db["device_history"].rows}
        assert ("firmware", "V5.4.5", "V5.6.2", s2) in changes
        assert ("firmware_build", "170124", "190701", s2) in changes
        sightings = list(st.db.query("select scan_id from device_scans where device_key = ?", [key1]))
        assert [r["scan_id"] for r in sightings] == [s1, s2]
        assert st.db.execute("select count(*) from observations").fetchone()[0] == 6
        assert json.loads(device["concerns"]) == ["fac-xinjiang-primary-camera-tech", "ndaa-s889"]
        assert device["first_seen"] <= device["last_seen"]


def test_weaker_later_scan_does_not_erase_known_fields(tmp_path, fixture_engine):
    with Store.open(tmp_path / "inv.db") as st:
        s1 = st.start_scan("active")
        key, _ = ingest_host(st, fixture_engine, s1, "127.0.0.5", hik_observations("V5.4.5"))
        s2 = st.start_scan("active")
        ingest_host(st, fixture_engine, s2, "127.0.0.5", hik_observations("V5.4.5")[:2])
        assert key is not None
        assert st.db.table("devices").get(key)["model"] == "DS-2CD2032-I"


def test_reference_tables_loaded_with_links(tmp_path, fixture_engine):
    with Store.open(tmp_path / "inv.db") as st:
        st.load_reference(fixture_engine.knowledge)
        links = {(r["vendor"], r["concern_id"], r["relation"]) for r in st.db["vendor_concerns"].rows}
        assert ("EZVIZ", "ndaa-s889", "subsidiary") in links
        assert ("EZVIZ", "fac-xinjiang-primary-camera-tech", "subsidiary") not in links
        assert st.db["concerns"].count == 2
        st.load_reference(fixture_engine.knowledge)  # same version: nothing to do, still consistent
        assert st.db["concerns"].count == 2


def test_abandoned_running_scan_is_marked_interrupted_but_a_live_one_is_not(tmp_path):
    import subprocess

    dead = subprocess.Popen(["true"])
    dead.wait()
    with Store.open(tmp_path / "inv.db") as st:
        live = st.start_scan("active")  # this process: alive
        gone = st.start_scan("active")
        st.db.table("scans").update(gone, {"owner_pid": dead.pid})
    with Store.open(tmp_path / "inv.db") as st:
        assert st.mark_abandoned_scans() == 1
        assert st.db.table("scans").get(gone)["status"] == "interrupted"
        assert st.db.table("scans").get(live)["status"] == "running"
        st.start_scan("pcap")  # every new scan first tidies up after dead ones
        assert st.db.table("scans").get(live)["status"] == "running"


def test_foreign_file_is_a_clear_error(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match="not a SQLite database"):
        Store.open(path)


def test_foreign_sqlite_database_is_refused_and_untouched(tmp_path):
    path = tmp_path / "other.db"
    db = sqlite_utils.Database(path)
    db.table("invoices").insert({"id": 1, "total": 5})
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a camscan inventory"):
        Store.open(path)
    assert path.read_bytes() == before


def test_locked_database_is_a_clear_error_and_loses_nothing(tmp_path, monkeypatch, fixture_engine):
    path = tmp_path / "inv.db"
    with Store.open(path) as st:
        sid = st.start_scan("active")
        ingest_host(st, fixture_engine, sid, "127.0.0.5", hik_observations("V5.4.5"))
    monkeypatch.setattr(store_mod, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with (
            Store.open(path, migrate=False) as st,
            pytest.raises(StoreError, match="locked by another process"),
        ):
            st.start_scan("active")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with Store.open(path) as st:
        assert st.db["devices"].count == 1
        assert st.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_unwritable_location_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="cannot open the database file"):
        Store.open(Path(tmp_path) / "missing-dir" / "inv.db")


def test_merge_goes_only_through_documented_store_methods() -> None:
    """camscan/merge.py writes no SQL of its own and imports no private helper (issue 12, item 4)."""
    import ast

    import camscan.merge

    tree = ast.parse(Path(camscan.merge.__file__).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert not any(a.name.startswith("_") for a in node.names), ast.unparse(node)
        if isinstance(node, ast.Import):
            assert all(a.name != "sqlite3" for a in node.names)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            words = node.value.upper().split()
            assert not {"SELECT", "INSERT", "UPDATE", "DELETE", "PRAGMA", "ATTACH"} & set(words), node.value
        if isinstance(node, ast.Attribute):
            assert node.attr not in ("db", "conn", "execute"), ast.unparse(node)
