"""Axis without credentials (issue 11, items 4 and 8): AXIS OS answers one JSON-RPC read without a login,
basicdeviceinfo getAllUnrestrictedProperties, with its product number, type, firmware and serial. The scanner asks
it (a POST whose body is a `get…` method, vendor_signatures/probes.yaml) of Axis devices only, and of nobody else.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from camscan.lab import Lab

from .support import by_ip, scan, target_range


@pytest.fixture(scope="module")
def lab(loopback_lab_ok: None) -> Iterator[Lab]:
    with Lab(
        profiles=["axis-camera", "hikvision-camera"], base="127.91.0.1", outside_host="127.254.91.1"
    ) as lab:
        yield lab


def _device(lab: Lab, profile: str) -> dict[str, Any]:
    return next(d for d in lab.devices if d["profile"] == profile)


def test_axis_is_identified_from_its_unrestricted_properties(lab: Lab, tmp_path: Path) -> None:
    lab.clear_requests()
    result, summary = scan(target_range(lab), "--db", str(tmp_path / "inventory.db"))
    assert result.returncode in (0, 3), result.stderr
    axis = _device(lab, "axis-camera")
    got, truth = by_ip(summary)[axis["ip"]], axis["truth"]
    assert (got["manufacturer"], got["model"], got["firmware"]) == (
        truth["manufacturer"],
        truth["model"],
        truth["firmware"],
    )
    assert got["serial"] and got["device_type"] == "camera"
    posts = [r for r in lab.requests_for(axis["ip"]) if r["path"] == "/axis-cgi/basicdeviceinfo.cgi"]
    assert [r["action"] for r in posts] == ["getAllUnrestrictedProperties"]
    assert not any(r["credentials"] for r in posts)
    hik = _device(lab, "hikvision-camera")
    assert not [r for r in lab.requests_for(hik["ip"]) if r["path"].startswith("/axis-cgi/")]
    assert lab.writes() == []
