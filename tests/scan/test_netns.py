"""The namespace estate (root and `ip netns` only): ARP, multicast and broadcast discovery on a real segment.

The lab builds its own namespaces (a bridge, one namespace per device, one for the scanner); camscan runs inside
the scanner namespace, so nothing is sent on the machine's own networks.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from camscan.lab import Lab
from camscan.lab.netns import unavailable_reason

from .support import ROOT

pytestmark = pytest.mark.root
PROFILES = ["hikvision-camera", "dahua-camera", "xiongmai-camera", "dlink-dcs-camera", "axis-camera"]


@pytest.fixture(scope="module")
def ns_scan(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    reason = unavailable_reason()
    if reason:
        pytest.skip(f"namespace mode: {reason}")
    db = tmp_path_factory.mktemp("netns") / "inventory.db"
    with Lab(profiles=PROFILES, netns=True, lab_id=f"s{os.getpid() % 100000}") as lab:
        ips = [d["ip"] for d in lab.devices]
        command = lab.scanner_command(
            [sys.executable, "-m", "camscan", "scan", f"{ips[0]}-{ips[-1]}", "--interface", "eth0",
             "--db", str(db), "--json", "--timeout", "2"]
        )  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)
        summary = json.loads(result.stdout) if result.stdout.strip() else {}
        yield {"lab": lab, "result": result, "summary": summary, "db": db, "writes": lab.writes()}


def found(ns_scan: dict[str, Any], profile: str) -> dict[str, Any]:
    lab: Lab = ns_scan["lab"]
    ip = next(d["ip"] for d in lab.devices if d["profile"] == profile)
    return next(d for d in ns_scan["summary"]["devices"] if d["ip"] == ip)


def test_scan_in_the_scanner_namespace_completes(ns_scan: dict[str, Any]) -> None:
    assert ns_scan["result"].returncode == 0, ns_scan["result"].stderr
    assert ns_scan["summary"]["hosts_identified"] == len(PROFILES)
    assert "arp" in ns_scan["summary"]["methods"]


def test_arp_gives_every_mac(ns_scan: dict[str, Any]) -> None:
    for d in ns_scan["lab"].devices:
        got = found(ns_scan, d["profile"])
        assert got["mac"] == d["mac"]
        assert "arp" in got["discovered_by"]


@pytest.mark.parametrize(
    ("profile", "method"),
    [
        ("hikvision-camera", "wsd-multicast"),
        ("hikvision-camera", "sadp"),
        ("dahua-camera", "dhdiscover"),
        ("xiongmai-camera", "xm-broadcast"),
        ("dlink-dcs-camera", "ssdp-multicast"),
    ],
)
def test_multicast_and_broadcast_discovery(ns_scan: dict[str, Any], profile: str, method: str) -> None:
    assert method in found(ns_scan, profile)["discovered_by"]


def test_identified_on_the_segment(ns_scan: dict[str, Any]) -> None:
    for d in ns_scan["lab"].devices:
        got = found(ns_scan, d["profile"])
        assert (got["manufacturer"], got["model"]) == (d["truth"]["manufacturer"], d["truth"]["model"])


def test_read_only(ns_scan: dict[str, Any]) -> None:
    assert [w for w in ns_scan["writes"] if w["method"] != "CONNECT"] == []


def test_loopback_targets_never_use_the_machines_interfaces(tmp_path: Path) -> None:
    import ipaddress

    from camscan.discover.interfaces import LocalNet, select_networks
    from camscan.scope import Scope

    real = [LocalNet("eth0", "192.0.2.2", ipaddress.IPv4Network("192.0.2.0/24"))]
    nets, notes = select_networks(Scope.build(["127.0.0.0/12"]), available=real)
    assert nets == [] and notes == []
    nets, notes = select_networks(Scope.build(["127.90.0.0/24"]), ["eth0"], available=real)
    assert nets == [] and "outside the targets" in notes[0]
