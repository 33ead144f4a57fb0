"""Replay of real captures from shared/reference/devices (IoT Sentinel; nDPI) — skipped when ../shared is absent.

IoT Sentinel (andypitcher/IoT_Sentinel, Miettinen et al., ICDCS 2017): device set-up captures, the device's MAC
in _iotdevice-mac.txt. nDPI's captures are non-camera controls (VLC RTSP server, Windows WS-Discovery probes,
SSDP M-SEARCH requests): nothing in them may be identified as a camera.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from camscan.passive.pcap_import import PcapResult
from camscan.store import Store

from .conftest import SHARED

DEVICES = SHARED / "reference" / "devices"
SENTINEL = DEVICES / "IoT_Sentinel"
Run = Callable[..., PcapResult]


def capture(name: str) -> tuple[Path, str]:
    folder = SENTINEL / name
    if not folder.is_dir():
        pytest.skip(f"{folder} is not available")
    return folder / f"{name}-Setup-A-1-STA.pcap", (folder / "_iotdevice-mac.txt").read_text().strip().lower()


def device(result: PcapResult, mac: str) -> dict[str, Any]:
    [found] = [d for d in result.devices if d["mac"] == mac]
    return found


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "D-LinkCam",
            {
                "brand": "D-Link",
                "manufacturer": "D-Link",
                "model": "DCS-935L",
                "firmware": "1.06",
                "ip": "10.10.10.37",
            },
        ),
        (
            "D-LinkDayCam",
            {"brand": "D-Link", "manufacturer": "D-Link", "model": "DCS-930L", "ip": "10.10.10.58"},
        ),
        ("EdimaxCam1", {"manufacturer": "Edimax", "model": "IC-3115W", "ip": "10.10.10.51"}),
        ("EdimaxCam2", {"manufacturer": "Edimax", "model": "IC-3115W", "ip": "10.10.10.227"}),
    ],
)
def test_cameras(run_pcap: Run, name: str, expected: dict[str, str]) -> None:
    path, mac = capture(name)
    result = run_pcap(path)
    assert result.problems == []
    found = device(result, mac)
    assert found["is_camera"] and found["device_type"] == "camera"
    for key, value in expected.items():
        assert found[key] == value, key


def test_dlink_hnap_evidence(run_pcap: Run, store: Store) -> None:
    """The DCS-935L is identified from its HNAP GetDeviceSettings answer (a POST /HNAP1/ reassembled from two
    segments, paired with its request path) as well as from discovery and its MAC."""
    path, mac = capture("D-LinkCam")
    run_pcap(path)
    [(evidence,)] = store.db.execute("SELECT evidence FROM devices WHERE mac = ?", [mac]).fetchall()
    signatures = {e["signature"] for e in json.loads(evidence)}
    assert {
        "dlink.http_path.hnap_settings",
        "dlink.mdns.hnap_dcs_model",
        "dlink.upnp_server.dcs_model",
    } <= signatures


@pytest.mark.parametrize("name", ["EdnetCam1", "EdnetCam2"])
def test_ednet_is_named_by_its_mac_alone(run_pcap: Run, store: Store, name: str) -> None:
    """The Ednet captures hold nothing identifying but the camera's MAC: block 3C4937 is registered to
    "ASSMANN Electronic GmbH" (IEEE registry, docs/oui.md), an open-world maker that names no device type."""
    path, mac = capture(name)
    result = run_pcap(path)
    found = device(result, mac)
    assert (found["brand"], found["manufacturer"], found["model"], found["device_type"]) == (
        None,
        "ASSMANN Electronic",
        None,
        None,
    )
    [(evidence,)] = store.db.execute("SELECT evidence FROM devices WHERE mac = ?", [mac]).fetchall()
    evidence = json.loads(evidence)
    # besides the MAC, only what it runs: its DHCP client is BusyBox's udhcpc (an OS names no maker or type)
    assert {e["signature"] for e in evidence if set(e["asserts"]) - {"os", "os_version"}} == {"mac.oui"}
    assert found["os"] == "BusyBox Linux"
    assert not any(d["is_camera"] for d in result.devices)


@pytest.mark.parametrize("name", ["rtsp.pcap", "upnp.pcap", "ssdp-m-search.pcap"])
def test_ndpi_controls_are_not_cameras(run_pcap: Run, name: str) -> None:
    path = DEVICES / "nDPI" / name
    if not path.exists():
        pytest.skip(f"{path} is not available")
    result = run_pcap(path)
    assert result.problems == [] and not any(d["is_camera"] for d in result.devices)


def test_vlc_server_is_seen(run_pcap: Run) -> None:
    path = DEVICES / "nDPI" / "rtsp.pcap"
    if not path.exists():
        pytest.skip(f"{path} is not available")
    result = run_pcap(path)
    [server] = [d for d in result.devices if d["ip"] == "10.2.2.2"]
    assert server["device_type"] != "camera"


def test_all_together(run_pcap: Run) -> None:
    """All captures in one run: each camera found once, nothing else taken for a camera."""
    if not SENTINEL.is_dir():
        pytest.skip(f"{SENTINEL} is not available")
    paths = sorted(SENTINEL.glob("*/*.pcap")) + sorted((DEVICES / "nDPI").glob("*.pcap"))
    result = run_pcap(*paths)
    cameras = sorted((d["manufacturer"], d["model"]) for d in result.devices if d["is_camera"])
    assert cameras == [
        ("D-Link", "DCS-930L"),
        ("D-Link", "DCS-935L"),
        ("Edimax", "IC-3115W"),
        ("Edimax", "IC-3115W"),
    ]
