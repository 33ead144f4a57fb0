"""`camscan diff`: new, gone and changed devices between two scans, from device_scans."""

from __future__ import annotations

import json

from camscan.store import Store
from tests.conftest import run_camscan

from . import support


def test_default_is_last_two_complete_scans(two_scan_db):
    r = run_camscan("diff", "--db", str(two_scan_db), "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert (data["from"]["id"], data["to"]["id"]) == (1, 2)
    assert data["summary"] == {
        "new": 1, "gone": 1, "changed": 2, "firmware": 1, "identity": 0, "address": 1, "unchanged": 9,
        "swapped": 0,
    }  # fmt: skip
    assert [d["model"] for d in data["new"]] == ["DS-2CD2143G0-I"]
    assert [d["manufacturer"] for d in data["gone"]] == ["Axis"]
    by_ip = {c["ip"]: c for c in data["changed"]}
    fw = by_ip["127.10.0.1"]
    assert fw["categories"] == ["firmware"]
    assert {"field": "firmware", "category": "firmware", "old": "V5.4.5", "new": "V5.5.0"} in fw["changes"]
    assert by_ip["127.10.0.33"]["changes"] == [
        {"field": "ip", "category": "address", "old": "127.10.0.3", "new": "127.10.0.33"}
    ]


def test_explicit_scans_and_reverse(two_scan_db):
    data = json.loads(run_camscan("diff", "2", "1", "--db", str(two_scan_db), "--json").stdout)
    assert [d["manufacturer"] for d in data["new"]] == ["Axis"]
    assert data["summary"]["gone"] == 1


def test_interrupted_scans_are_not_the_default(two_scan_db, engine):
    with Store.open(two_scan_db) as store:
        support.scan(store, engine, support.example_hosts()[:2], status="interrupted")
    data = json.loads(run_camscan("diff", "--db", str(two_scan_db), "--json").stdout)
    assert (data["from"]["id"], data["to"]["id"]) == (1, 2)


def test_default_pair_stays_within_a_site(tmp_path, engine):
    db = tmp_path / "inv.db"
    hosts = support.example_hosts()
    with Store.open(db) as store:
        support.scan(store, engine, hosts[:4], site="north")
        support.scan(store, engine, hosts[4:], site="south")
        support.scan(store, engine, hosts[:3], site="north")
    data = json.loads(run_camscan("diff", "--db", str(db), "--json").stdout)
    assert (data["from"]["id"], data["to"]["id"]) == (1, 3)
    assert data["summary"]["gone"] == 1 and data["summary"]["new"] == 0


def test_human_output(two_scan_db):
    r = run_camscan("diff", "--db", str(two_scan_db))
    assert r.returncode == 0
    assert "1 new, 1 gone, 2 changed" in r.stdout
    assert "firmware: V5.4.5 → V5.5.0" in r.stdout


def test_errors(example_db, tmp_path):
    r = run_camscan("diff", "--db", str(example_db))
    assert r.returncode == 2 and "diff needs two complete scans" in r.stderr and r.stdout == ""
    r = run_camscan("diff", "1", "9", "--db", str(example_db), "--json")
    assert r.returncode == 2 and r.stdout == "" and "no scan 9" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    r = run_camscan("diff", "1", "--db", str(example_db))
    assert r.returncode == 2 and "give two scan ids" in r.stderr
    r = run_camscan("diff", "1", "1", "--db", str(example_db))
    assert r.returncode == 2 and "the same scan" in r.stderr
