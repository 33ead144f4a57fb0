"""What an ONVIF device offers, end to end on the lab: a `camscan scan` of an ONVIF display device (a decoder,
lab profile `onvif-decoder`, invented answers in the ONVIF formats) beside a camera. The scan asks nothing new (the
same ONVIF read calls), keeps each GetServices/GetCapabilities answer as an `onvif_services` observation, and the
decoder is typed `decoder`, not a camera: its Display service without Media sets the weak ONVIF camera prior aside.
Addresses: 127.170.0.0/16."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from camscan.lab import Lab

from .support import by_ip, credentials_file, rows, scan, target_range, writes

BASE = "127.170.0.1"
PROFILES = ["onvif-decoder", "dahua-camera"]


@pytest.fixture(scope="module")
def lab(loopback_lab_ok: None) -> Iterator[Lab]:
    with Lab(profiles=PROFILES, base=BASE, outside_host="127.171.254.1") as lab:
        yield lab


@pytest.fixture(scope="module")
def scanned(lab: Lab, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    tmp = tmp_path_factory.mktemp("onvif-services")
    db = tmp / "inventory.db"
    lab.clear_requests()
    result, summary = scan(
        target_range(lab), "--db", str(db), "--timeout", "2",
        "--credentials", str(credentials_file(lab, tmp / "credentials.yaml")),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert writes(lab) == []
    return summary, db


def _device(lab: Lab, profile: str) -> dict[str, Any]:
    return next(d for d in lab.devices if d["profile"] == profile)


def test_the_decoder_is_a_decoder_not_a_camera(lab: Lab, scanned: tuple[dict[str, Any], Path]) -> None:
    summary, _db = scanned
    decoder = _device(lab, "onvif-decoder")
    got = by_ip(summary)[decoder["ip"]]
    truth = decoder["truth"]
    assert (got["device_type"], got["is_camera"]) == (truth["device_type"], False)
    assert (got["manufacturer"], got["model"]) == (truth["manufacturer"], truth["model"])


def test_the_camera_stays_a_camera(lab: Lab, scanned: tuple[dict[str, Any], Path]) -> None:
    summary, _db = scanned
    camera = _device(lab, "dahua-camera")
    got = by_ip(summary)[camera["ip"]]
    assert (got["device_type"], got["is_camera"]) == ("camera", True)


def test_what_each_device_offers_is_stored(lab: Lab, scanned: tuple[dict[str, Any], Path]) -> None:
    _summary, db = scanned
    decoder, camera = _device(lab, "onvif-decoder"), _device(lab, "dahua-camera")
    stored = rows(db, "SELECT ip, value FROM observations WHERE kind = 'onvif_services'")
    offered: dict[str, dict[str, set[str]]] = {}
    for ip, value in stored:
        item = json.loads(value)
        offered.setdefault(ip, {})[item["answer"]] = set(item["services"])
    assert offered[decoder["ip"]] == {
        "GetCapabilities": {"device", "deviceio", "display", "events", "receiver"},
        "GetServices": {"device", "deviceio", "display", "events", "receiver"},
    }
    assert "media" in offered[camera["ip"]]["GetCapabilities"]


def test_no_new_question_was_asked(lab: Lab, scanned: tuple[dict[str, Any], Path]) -> None:
    """The ONVIF calls made of the decoder are the scanner's usual reads (no GetServiceCapabilities)."""
    decoder = _device(lab, "onvif-decoder")
    actions = {r["action"] for r in lab.requests_for(decoder["name"]) if r["method"] == "POST"}
    assert actions <= {
        "GetSystemDateAndTime", "GetCapabilities", "GetServices", "GetHostname",
        "GetScopes", "GetDeviceInformation", "GetNetworkInterfaces",
    }, actions  # fmt: skip
    assert {"GetCapabilities", "GetServices"} <= actions
