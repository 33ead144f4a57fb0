"""`camscan pcap` as a user runs it: exit codes, one-line messages, --json, --quiet."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_camscan

from .conftest import PCAPS


def test_json_summary(tmp_path: Path) -> None:
    db = tmp_path / "inv.db"
    proc = run_camscan(
        "pcap", "--db", str(db), "--json", "--site", "lab", str(PCAPS / "vendor_discovery_vlan.pcap")
    )
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert set(summary) >= {"scan_id", "files", "packets", "hosts", "devices", "capture_start", "capture_end"}
    assert summary["packets"] == 6 and summary["files"][0]["packets"] == 6
    makers = sorted(d["manufacturer"] for d in summary["devices"] if d["manufacturer"])
    assert makers == ["Dahua", "Hikvision", "XiongMai"]
    assert all(d["site"] == "lab" and d["discovered_by"] == ["pcap"] for d in summary["devices"])
    devices = json.loads(run_camscan("devices", "--db", str(db), "--json").stdout)
    assert sorted(d["ip"] for d in devices) == sorted(d["ip"] for d in summary["devices"])


def test_table_and_quiet(tmp_path: Path) -> None:
    db = tmp_path / "inv.db"
    proc = run_camscan("pcap", "--db", str(db), str(PCAPS / "ssdp_upnp.pcap"))
    assert proc.returncode == 0 and "M1014" in proc.stdout and "packets" in proc.stderr
    proc = run_camscan("pcap", "--db", str(db), "--quiet", str(PCAPS / "ssdp_upnp.pcap"))
    assert proc.returncode == 0 and proc.stderr == ""


def test_partial_failure_exit_3(tmp_path: Path) -> None:
    proc = run_camscan(
        "pcap",
        "--db",
        str(tmp_path / "inv.db"),
        str(PCAPS / "truncated.pcap"),
        str(PCAPS / "not_a_capture.txt"),
    )
    assert proc.returncode == 3
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2 and "Traceback" not in proc.stderr
    assert "not a pcap or pcapng capture" in errors[0] and "truncated" in errors[1]
    assert "Hikvision" in proc.stdout


def test_no_capture_exit_2(tmp_path: Path) -> None:
    proc = run_camscan(
        "pcap", "--db", str(tmp_path / "inv.db"), str(PCAPS / "not_a_capture.txt"), str(tmp_path / "nope")
    )
    assert proc.returncode == 2 and proc.stdout == ""
    assert [line.split(":")[0] for line in proc.stderr.splitlines()] == ["error", "error"]


def test_help() -> None:
    proc = run_camscan("pcap", "--help")
    assert proc.returncode == 0 and "--site" in proc.stdout and "pcapng" in proc.stdout
