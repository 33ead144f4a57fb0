"""Replays of the lab recordings: each capture's passive inventory equals what the live scan found.

`tests/fixtures/pcaps/record_lab.py` recorded `camscan scan` of every non-hostile lab profile with tcpdump on
`lo` and wrote `lab_expected.json`: per capture (one device), the live scan's `devices --json` fields. Here
each capture is only replayed — CI never records. A field whose live value the capture cannot show is listed in
the expected file under `not_visible_passively` with the reason (and, under `passive_instead`, what the capture
shows for it); every other field must be equal.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from camscan.lab.catalog import expand
from camscan.passive.capture import LINKTYPE_ETHERNET, open_capture
from camscan.passive.pcap_import import PcapResult
from tests.conftest import run_camscan

from .conftest import PCAPS

EXPECTED = json.loads((PCAPS / "lab_expected.json").read_text())
CAPTURES: dict[str, dict[str, Any]] = EXPECTED["captures"]
FIELDS: list[str] = EXPECTED["fields"]
Run = Callable[..., PcapResult]


def wanted(entry: dict[str, Any]) -> dict[str, Any]:
    """The fields the replay must give: the live scan's, except those a capture cannot show."""
    want = {f: v for f, v in entry["live"].items() if f not in entry["not_visible_passively"]}
    return {**want, **entry["passive_instead"]}


def check(devices: list[dict[str, Any]], entry: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """(replayed, expected) for every field that differs; a device where the scan stored none is a difference."""
    here = [d for d in devices if d["ip"] == entry["ip"]]
    if entry["live"] is None:
        return {"device": (here[0]["key"], None)} if here else {}
    if len(here) != 1:
        return {"device": (len(here), 1)}
    return {f: (here[0][f], v) for f, v in wanted(entry).items() if here[0][f] != v}


def test_every_lab_profile_is_recorded() -> None:
    profiles = {p.name for p in expand(["estate"])}  # cameras, the NVR, the rebadged ones and the non-cameras
    assert {e["profile"] for e in CAPTURES.values()} == profiles
    assert sorted(CAPTURES) == sorted(f"lab_{p}.pcap" for p in profiles)
    assert sorted(p.name for p in PCAPS.glob("lab_*.pcap")) == sorted(CAPTURES)
    assert set(FIELDS) >= {"brand", "manufacturer", "model", "firmware", "serial", "device_type"}


def test_recordings_stay_small() -> None:
    total = sum((PCAPS / name).stat().st_size for name in CAPTURES)
    assert total < 2_000_000, total


def test_expected_file_explains_what_it_leaves_out() -> None:
    for name, entry in CAPTURES.items():
        assert set(entry["not_visible_passively"]) <= set(FIELDS), name
        assert all(len(reason) > 20 for reason in entry["not_visible_passively"].values()), name
        assert set(entry["passive_instead"]) <= set(entry["not_visible_passively"]), name
    identified = [e for e in CAPTURES.values() if e["live"] and e["live"]["manufacturer"]]
    assert len(identified) >= 12  # the recording is of a scan that worked, not of an empty one


@pytest.mark.parametrize("name", sorted(CAPTURES))
def test_capture_is_loopback_ethernet_with_zero_macs(name: str) -> None:
    """What tcpdump writes on Linux `lo`: DLT_EN10MB frames whose MACs are all zero, 127.0.0.0/8 only."""
    entry = CAPTURES[name]
    with open_capture(PCAPS / name) as capture:
        records = [(lt, bytes(buf[off : off + n])) for _ts, lt, buf, off, n in capture.records()]
        assert capture.stats.problem is None
    assert records and {lt for lt, _ in records} == {LINKTYPE_ETHERNET}
    for _lt, frame in records:
        assert frame[:12] == bytes(12) and frame[12:14] == b"\x08\x00"
        src, dst = (ipaddress.ip_address(frame[i : i + 4]) for i in (26, 30))
        assert entry["ip"] in (str(src), str(dst))
        assert src in ipaddress.ip_network("127.0.0.0/8") and dst in ipaddress.ip_network("127.0.0.0/8")


@pytest.mark.parametrize("name", sorted(CAPTURES))
def test_replay_equals_live_scan(run_pcap: Run, name: str) -> None:
    entry = CAPTURES[name]
    result = run_pcap(PCAPS / name)
    assert result.problems == [] and result.exit_code == 0
    assert check(result.devices, entry) == {}
    # Hosts are told apart by address (the MACs are zero): only the recorded device, never the scanner.
    assert {d["ip"] for d in result.devices} <= {entry["ip"]}
    assert all(d["discovered_by"] == ["pcap"] for d in result.devices)


@pytest.mark.parametrize(
    "name", sorted(n for n, e in CAPTURES.items() if e["live"] and e["live"]["mac"]), ids=str
)
def test_mac_comes_from_what_the_device_said(run_pcap: Run, name: str) -> None:
    """No frame carries a MAC on `lo`: the device's own statement (SADP, DHDiscover, XiongMai discovery, ONVIF
    GetNetworkInterfaces) gives it, as in the live scan, with its OUI evidence."""
    entry = CAPTURES[name]
    result = run_pcap(PCAPS / name)
    [device] = [d for d in result.devices if d["ip"] == entry["ip"]]
    assert device["mac"] == entry["live"]["mac"] == entry["truth"]["mac"]


def test_all_recordings_at_once_through_the_command(tmp_path: Path) -> None:
    """`camscan pcap` over every recording in one scan: the devices do not bleed into each other."""
    paths = [str(PCAPS / name) for name in sorted(CAPTURES)]
    proc = run_camscan("pcap", "--db", str(tmp_path / "inv.db"), "--json", *paths)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["problems"] == [] and len(summary["files"]) == len(CAPTURES)
    wrong = {name: diff for name, entry in CAPTURES.items() if (diff := check(summary["devices"], entry))}
    assert wrong == {}
    recorded = {e["ip"] for e in CAPTURES.values() if e["live"]}
    assert {d["ip"] for d in summary["devices"]} == recorded
