"""The command line through a real subprocess: contract behaviours (exit codes, clean stdout)."""

from __future__ import annotations

import csv
import io
import json
import os

import pytest

from tests.conftest import run_camscan


def test_version_names_program_and_data():
    result = run_camscan("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("camscan ")
    assert "signatures" in result.stdout and "concerns" in result.stdout


CONTRACT_COMMANDS = (
    "scan",
    "pcap",
    "import-nmap",
    "identify",
    "devices",
    "export",
    "report",
    "diff",
    "check",
    "concerns",
    "merge",
    "demo",
    "lab",
)


def test_help_lists_every_contract_command_in_order():
    result = run_camscan("--help")
    listed = [line.split()[0] for line in result.stdout.split("Commands:")[1].splitlines() if line.strip()]
    assert listed[:3] == ["scan", "pcap", "import-nmap"]
    assert set(CONTRACT_COMMANDS) <= set(listed)


@pytest.mark.parametrize("command", CONTRACT_COMMANDS)
def test_every_command_has_help_and_docs(command):
    from tests.conftest import ROOT

    result = run_camscan(command, "--help")
    assert result.returncode == 0 and "Usage:" in result.stdout
    docs = "\n".join(p.read_text() for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))])
    assert f"camscan {command}" in docs


def test_identify_rejects_bad_lines_but_answers_the_rest():
    result = run_camscan(
        "identify",
        input='{"kind":"rtsp_server","value":"Dahua Rtsp Server"}\n{"kind":"nope","value":1}\n'
        '{"observations":[{"kind":"html_title","value":"AXIS"}]}\n',
    )
    assert result.returncode == 3
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[0]["manufacturer"] == "Dahua"
    assert lines[1] == {"error": "unknown observation kind 'nope'", "line": 2}
    assert lines[2]["brand"] == "Axis"
    assert "line 2: unknown observation kind 'nope'" in result.stderr


def test_identify_refuses_deeply_nested_json_as_one_bad_line():
    """JSON nested past Python's recursion limit (in the reader) or a few hundred levels (in the engine reading an
    `onvif_services` or `http_path` value) ended the command with a RecursionError traceback; now such a line is one
    error line (exit 3) and the lines around it are answered."""
    nest = "[" * 500 + '"display"' + "]" * 500
    result = run_camscan(
        "identify",
        input='{"kind":"rtsp_server","value":"Dahua Rtsp Server"}\n'
        + "[" * 200_000
        + "]" * 200_000
        + "\n"
        + '{"kind":"onvif_services","value":{"answer":"GetServices","services":'
        + nest
        + "}}\n"
        + '{"observations":[{"kind":"onvif_services","value":{"services":["display"]}},'
        + '{"kind":"onvif_services","value":{"services":'
        + nest
        + "}}]}\n"
        + '{"kind":"onvif_services","value":{"answer":"GetServices","services":[[["display"]]]}}\n',
    )
    assert result.returncode == 3 and "Traceback" not in result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[0]["manufacturer"] == "Dahua"
    assert lines[1:4] == [{"error": "JSON nested more than 64 levels deep", "line": n} for n in (2, 3, 4)]
    assert lines[4]["device_type"] == "decoder"  # a few levels are read as before


def test_concerns_json_and_unknown_vendor():
    result = run_camscan("concerns", "--json")
    assert result.returncode == 0
    register = json.loads(result.stdout)
    assert len(register["concerns"]) >= 40 and register["responses"]
    bad = run_camscan("concerns", "NoSuchVendor")
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert "unknown vendor 'NoSuchVendor'" in bad.stderr


def test_concerns_through_alias_and_parent():
    result = run_camscan("concerns", "Hangzhou Ezviz Software Co.,Ltd.", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["vendor"] == "EZVIZ"
    via = {c["id"]: c["via"] for c in report["concerns"]}
    assert via["ndaa-s889"]["vendor"] == "Hikvision" and via["ndaa-s889"]["relation"] == "subsidiary"


def test_demo_then_devices_in_every_format(tmp_path):
    db = tmp_path / "inv.db"
    demo = run_camscan("demo", "--recorded", "--db", str(db))
    assert demo.returncode == 0, demo.stderr
    assert "Vendor summary" in demo.stdout and "Hikvision" in demo.stdout
    as_json = run_camscan("devices", "--db", str(db), "--json")
    devices = json.loads(as_json.stdout)
    assert len(devices) >= 11
    required = {
        "ip",
        "mac",
        "brand",
        "manufacturer",
        "model",
        "firmware",
        "serial",
        "device_type",
        "is_camera",
        "confidence",
        "concerns",
        "discovered_by",
        "site",
        "first_seen",
        "last_seen",
    }
    assert all(required <= set(d) for d in devices)
    lts = next(d for d in devices if d["brand"] == "LTS")
    assert lts["manufacturer"] == "Hikvision" and "ndaa-s889" in lts["concerns"]
    as_csv = run_camscan("devices", "--db", str(db), "--csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert len(rows) == len(devices)
    concern_only = json.loads(run_camscan("devices", "--db", str(db), "--json", "--concern").stdout)
    assert concern_only and all(d["concerns"] for d in concern_only)
    axis = json.loads(run_camscan("devices", "--db", str(db), "--json", "--vendor", "AXIS").stdout)
    assert [d["manufacturer"] for d in axis] == ["Axis"]
    table = run_camscan("devices", "--db", str(db))
    assert "sold under another brand" in table.stdout


def test_devices_without_database_is_exit_2(tmp_path):
    result = run_camscan("devices", "--db", str(tmp_path / "none.db"))
    assert result.returncode == 2
    assert "no such inventory" in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_devices_on_foreign_file_is_exit_2_and_untouched(tmp_path):
    path = tmp_path / "photo.db"
    path.write_bytes(b"\x89PNG" + b"\0" * 200)
    result = run_camscan("devices", "--db", str(path))
    assert result.returncode == 2
    assert "not a SQLite database" in result.stderr
    assert path.read_bytes() == b"\x89PNG" + b"\0" * 200


def test_csv_neutralises_formulas(tmp_path):
    from camscan.identify.engine import get_engine
    from camscan.model import Observation
    from camscan.pipeline import ingest_host
    from camscan.store import Store

    db = tmp_path / "inv.db"
    with Store.open(db) as store:
        sid = store.start_scan("identify")
        ingest_host(
            store,
            get_engine(),
            sid,
            "127.0.0.9",
            [Observation("onvif_device_info", {"manufacturer": '=HYPERLINK("x")', "model": "@SUM(1)"})],
        )
    out = run_camscan("devices", "--db", str(db), "--csv").stdout
    row = next(csv.DictReader(io.StringIO(out)))
    assert row["brand"].startswith("'=") and row["model"].startswith("'@")


@pytest.mark.skipif(os.geteuid() != 0, reason="the lab's devices listen on ports below 1024 (root)")
def test_demo_scans_the_lab_and_finds_every_device_truth(tmp_path):
    from camscan.lab import Lab, demo_profiles

    with Lab(profiles=demo_profiles(), base="127.77.0.1", count=None) as probe_lab:
        truth = {d["ip"]: d["truth"] for d in probe_lab.devices}
    db = tmp_path / "inv.db"
    result = run_camscan("demo", "--db", str(db), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["mode"] == "lab" and report["scan"]["status"] == "complete"
    found = {d["ip"]: d for d in report["devices"]}
    assert set(found) == set(truth)
    for ip, want in truth.items():
        for key in ("manufacturer", "model", "device_type"):
            if want.get(key):
                assert found[ip][key] == want[key], (ip, key, found[ip][key], want[key])
    rebadged = [
        d for d in found.values() if d["brand"] and d["manufacturer"] and d["brand"] != d["manufacturer"]
    ]
    assert {d["manufacturer"] for d in rebadged} == {"Hikvision", "Dahua"}
    table = run_camscan("devices", "--db", str(db))
    assert "Northwind" in table.stdout and "Lorex" in table.stdout
