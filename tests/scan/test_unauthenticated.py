"""Identity without credentials (issue 11, item 8): ONVIF identity calls are asked without a login first.

Most auditors are given no camera passwords. A camera that answers GetDeviceInformation unauthenticated tells its
maker, model, firmware and serial with no login; one that refuses leaves a "needs credentials" finding; with
credentials, only what was refused is asked again.

The "open" variant of the Dahua profile is a lab policy, not a recorded fact: it is the same profile with
GetDeviceInformation and GetNetworkInterfaces added to the operations answered without a login (as many real
cameras are configured; which ones is per firmware and setting).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from camscan.lab import Lab
from camscan.lab.profiles import load_profile

from .support import by_ip, rows, scan, target_range

USER, PASSWORD = "camscan-audit", "Unauth-Test-Pw-1"
OPEN = ("GetDeviceInformation", "GetNetworkInterfaces")


def _open_variant(name: str):
    profile = load_profile(name)
    assert profile.onvif is not None
    onvif = dataclasses.replace(profile.onvif, open_operations=profile.onvif.open_operations | set(OPEN))
    return dataclasses.replace(profile, name=f"{name}-open-onvif", onvif=onvif)


@pytest.fixture(scope="module")
def lab(loopback_lab_ok: None) -> Iterator[Lab]:
    with Lab(
        profiles=[_open_variant("dahua-camera"), "hikvision-camera"],
        base="127.93.0.1",
        outside_host="127.254.93.1",
        credentials=(USER, PASSWORD),
    ) as lab:
        yield lab


def _device(lab: Lab, profile_prefix: str) -> dict[str, Any]:
    return next(d for d in lab.devices if d["profile"].startswith(profile_prefix))


def test_an_open_camera_is_identified_without_credentials(lab: Lab, tmp_path: Path) -> None:
    db = tmp_path / "inventory.db"
    lab.clear_requests()
    result, summary = scan(target_range(lab), "--db", str(db))
    assert result.returncode in (0, 3), result.stderr
    dahua = _device(lab, "dahua-camera")
    got = by_ip(summary)[dahua["ip"]]
    truth = dahua["truth"]
    assert (got["manufacturer"], got["model"], got["firmware"]) == (
        truth["manufacturer"],
        truth["model"],
        truth["firmware"],
    )
    asked = [r for r in lab.requests_for(dahua["ip"]) if r["action"] == "GetDeviceInformation"]
    assert asked and not any(r["credentials"] for r in asked)


def test_a_refusal_is_recorded_as_a_finding(lab: Lab, tmp_path: Path) -> None:
    db = tmp_path / "inventory.db"
    result, summary = scan(target_range(lab), "--db", str(db))
    assert result.returncode in (0, 3), result.stderr
    hik = _device(lab, "hikvision-camera")
    assert (
        by_ip(summary)[hik["ip"]]["manufacturer"] == "Hikvision"
    )  # the maker, from what answers unauthenticated
    errors = [
        e
        for (e,) in rows(
            db, "SELECT error FROM observations WHERE ip = ? AND error IS NOT NULL", (hik["ip"],)
        )
    ]
    assert any(e.startswith("GetDeviceInformation needs credentials") for e in errors), errors


def test_with_credentials_only_what_was_refused_is_asked_again(lab: Lab, tmp_path: Path) -> None:
    db = tmp_path / "inventory.db"
    lab.clear_requests()
    result, summary = scan(
        target_range(lab), "--db", str(db), env={"CAMSCAN_USERNAME": USER, "CAMSCAN_PASSWORD": PASSWORD}
    )
    assert result.returncode in (0, 3), result.stderr
    dahua, hik = _device(lab, "dahua-camera"), _device(lab, "hikvision-camera")
    signed = lambda ip: [  # noqa: E731
        r["action"] for r in lab.requests_for(ip) if r["path"] == "/onvif/device_service" and r["credentials"]
    ]
    assert "GetDeviceInformation" not in signed(dahua["ip"])
    assert "GetDeviceInformation" in signed(hik["ip"])
    got = by_ip(summary)[hik["ip"]]
    assert (got["model"], got["firmware"]) == (hik["truth"]["model"], hik["truth"]["firmware"])
    errors = [
        e
        for (e,) in rows(
            db, "SELECT error FROM observations WHERE ip = ? AND error IS NOT NULL", (hik["ip"],)
        )
    ]
    assert not any("needs credentials" in e for e in errors), errors
