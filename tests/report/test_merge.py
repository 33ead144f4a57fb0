"""`camscan merge`: per-site stores combined; sites kept, devices deduplicated, scans renumbered."""

from __future__ import annotations

import hashlib
import json

from camscan.store import Store
from tests.conftest import run_camscan

from . import support


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def site_stores(tmp_path, engine):
    """North saw the example estate twice; south saw some of the same devices (same MACs, or the same serial
    without a MAC) and one of its own; `legacy` was made without a site."""
    hosts = dict(support.example_hosts())
    north = tmp_path / "north.db"
    with Store.open(north) as store:
        support.scan(store, engine, support.example_hosts(), site="north")
        support.scan(store, engine, support.second_scan_hosts(), site="north")
    south = tmp_path / "south.db"
    dahua_no_mac = [o for o in hosts["127.10.0.3"] if o["kind"] != "mac"]  # same serial, seen across a router
    with Store.open(south) as store:
        support.scan(store, engine, [("10.2.0.1", hosts["127.10.0.2"]), ("10.2.0.3", dahua_no_mac),
                                     ("10.2.0.4", hosts["127.10.0.8"])], site="south")  # fmt: skip
    legacy = tmp_path / "legacy.db"
    with Store.open(legacy) as store:
        support.scan(store, engine, [("192.168.5.5", hosts["127.10.0.11"])], site=None)
    return north, south, legacy


def test_merge_dedups_renumbers_and_keeps_sites(tmp_path, engine):
    north, south, legacy = site_stores(tmp_path, engine)
    before = {p: digest(p) for p in (north, south, legacy)}
    estate = tmp_path / "estate.db"
    r = run_camscan("merge", str(north), str(south), str(legacy), "-o", str(estate), "--json")
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    assert result["scans"] == 4
    assert result["devices_in"] == 13 + 3 + 1
    assert result["duplicates_merged"] == 3  # NVR by MAC, D-Link camera by MAC, Dahua camera by serial
    assert result["devices"] == 14
    assert {p: digest(p) for p in before} == before  # sources are only read
    with Store.open(estate) as store:
        scans = store.scans()
        assert [s["id"] for s in scans] == [1, 2, 3, 4]
        assert [s["site"] for s in scans] == [
            "north",
            "north",
            "south",
            "legacy",
        ]  # in the order they started
        devs = {d["key"]: d for d in store.devices()}
        nvr = devs["mac:44:19:b6:70:02:02"]
        assert nvr["site"] == "south" and nvr["ip"] == "10.2.0.1"  # the latest sighting wins
        assert nvr["first_seen"] <= nvr["last_seen"]
        dahua = devs["mac:08:ed:ed:12:00:03"]  # the MAC key wins over the serial-only record
        assert "serial:dahua:5J03A1EPAZ12345" not in devs
        sightings = {r["scan_id"] for r in store.db.query(
            "SELECT scan_id FROM device_scans WHERE device_key = ?", [dahua["key"]])}  # fmt: skip
        assert sightings == {1, 2, 3}
        assert devs["ip:legacy:192.168.5.5"]["site"] == "legacy"
        history = list(store.db.query("SELECT * FROM device_history WHERE field = 'firmware'"))
        assert [(h["old"], h["new"], h["scan_id"]) for h in history] == [("V5.4.5", "V5.5.0", 2)]
        assert store.db.execute("SELECT count(*) FROM observations").fetchone()[0] > 50
        assert store.db.execute("SELECT count(*) FROM vendors").fetchone()[0] > 50
    # every report works on the result
    assert run_camscan("diff", "1", "2", "--db", str(estate), "--json").returncode == 0
    diff = json.loads(run_camscan("diff", "--db", str(estate), "--json").stdout)
    assert (diff["from"]["id"], diff["to"]["id"]) == (1, 2)  # the last two complete scans of one site
    sites = json.loads(run_camscan("export", "questionnaire", "--db", str(estate), "-f", "json").stdout)[
        "sites"
    ]
    assert {s["site"] for s in sites} == {"north", "south", "legacy"}
    assert run_camscan("report", "--db", str(estate), "-o", str(tmp_path / "r.html")).returncode == 0
    assert run_camscan("check", "--db", str(estate)).returncode == 1
    assert run_camscan("check", "--db", str(estate), "--site", "legacy").returncode == 0


def test_output_rules(tmp_path, engine, example_db):
    out = tmp_path / "estate.db"
    out.write_text("keep me")
    r = run_camscan("merge", str(example_db), "-o", str(out))
    assert r.returncode == 2 and "--force" in r.stderr and out.read_text() == "keep me"
    r = run_camscan("merge", str(example_db), "-o", str(out), "--force")
    assert r.returncode == 0, r.stderr
    with Store.open(out) as store:
        assert len(store.devices()) == 12
    r = run_camscan("merge", str(example_db), str(example_db), "-o", str(tmp_path / "x.db"))
    assert r.returncode == 2 and "given twice" in r.stderr
    r = run_camscan("merge", str(example_db), "-o", str(example_db))
    assert r.returncode == 2 and "cannot also be a source" in r.stderr
    r = run_camscan("merge", str(tmp_path / "missing.db"), "-o", str(tmp_path / "y.db"))
    assert r.returncode == 2 and "no such inventory" in r.stderr
    notdb = tmp_path / "notes.db"
    notdb.write_text("this is not sqlite")
    r = run_camscan("merge", str(notdb), "-o", str(tmp_path / "z.db"))
    assert r.returncode == 2 and "not a SQLite database" in r.stderr
    assert not (tmp_path / "z.db").exists()
    assert not list(tmp_path.glob(".*merge-partial*"))
