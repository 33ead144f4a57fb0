"""The soak, short: bench/soak.py's own code on a small estate (51 devices, 3 scans, then a firmware change).

The full run (1,000 devices, 20 scans) is `bench/soak.py`; its figures are in docs/reliability.md.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEVICES, SCANS = 51, 3


def load_soak() -> ModuleType:
    spec = importlib.util.spec_from_file_location("camscan_bench_soak", ROOT / "bench" / "soak.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def soaked(loopback_lab: None, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    soak = load_soak()
    return dict(soak.soak(DEVICES, SCANS, "127.87.1.1", tmp_path_factory.mktemp("soak")))


def test_nothing_grows_but_the_data(soaked: dict[str, Any]) -> None:
    assert soaked["problems"] == []


def test_every_scan_adds_the_same_rows_and_no_duplicate_devices(soaked: dict[str, Any]) -> None:
    scans = soaked["scans"]
    assert len(scans) == SCANS
    profiles = soaked["lab_profiles"]
    assert sum(profiles.values()) == DEVICES
    # the estate's Windows hosts answer nothing that identifies a device (by design): every other lab device is one;
    # counted from the estate the lab served, since the count moves whenever a profile joins the estate
    assert profiles.get("windows-host", 0) >= 1
    assert soaked["expected_devices"] == DEVICES - profiles["windows-host"]
    for r in [*scans, soaked["change"]]:
        assert r["exit"] == 0 and r["status"] == "complete", r["stderr"]
        assert r["devices"] == r["device_ips"] == soaked["expected_devices"]
        assert r["rows"]["device_scans"] == soaked["expected_devices"]
        assert r["rows"]["hosts"] == scans[0]["rows"]["hosts"]
    assert [r["rows"]["device_history"] for r in scans] == [0] * SCANS


def test_the_firmware_change_is_exactly_what_history_records(soaked: dict[str, Any]) -> None:
    expected = sorted(map(tuple, soaked["expected_change"]))
    assert len(expected) == 3  # the three Hikvision cameras
    assert sorted(soaked["change_history"]) == expected
    assert soaked["change"]["rows"]["device_history"] == len(expected)


def test_lab_descriptors_return_and_scan_memory_is_bounded(soaked: dict[str, Any]) -> None:
    start = soaked["lab_start"]["fds"]
    assert [r["lab_after"]["fds"] for r in soaked["scans"]] == [start] * SCANS
    assert max(r["peak_rss_mb"] for r in soaked["scans"]) < 250
