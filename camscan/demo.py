"""`camscan demo`: a first look at camscan with no cameras at hand.

The demo starts the built-in lab (`camscan.lab`: a dozen emulated devices answering with real devices'
responses — Hikvision camera and NVR, Dahua, Axis, Hanwha, Uniview, XiongMai, a generic ONVIF camera, a
Hikvision sold under another label, a Dahua sold as Lorex, a printer and a Linux server) on loopback addresses,
scans it with `camscan scan` (credentials of the lab's devices given, as an owner would), writes the inventory
and stops the lab. The lab's devices listen on their real ports (80, 554, …), which needs root; without root
the demo falls back to identifying recorded example hosts (`camscan/data/example_hosts.jsonl`) through the same
pipeline, and says so.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from camscan.identify.engine import Engine
from camscan.identify.stream import parse_line
from camscan.model import Observation
from camscan.pipeline import ingest_host
from camscan.store import Store

EXAMPLE_HOSTS = Path(__file__).parent / "data" / "example_hosts.jsonl"
LAB_BASE = "127.77.0.1"


@dataclass(slots=True)
class DemoResult:
    mode: str  # "lab" or "recorded"
    scan_id: int
    hosts: int
    devices: list[dict[str, Any]]
    lab_devices: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    exit_code: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The `camscan demo --json` document."""
        return {
            "mode": self.mode,
            "scan_id": self.scan_id,
            "hosts": self.hosts,
            "devices": self.devices,
            "scan": self.summary,
        }


def can_run_lab() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def run_lab(db_path: Path, *, progress: bool = False, site: str = "demo-lab") -> DemoResult:
    """Start the lab, scan it for real, stop it."""
    from camscan.lab import Lab, demo_profiles
    from camscan.scan.options import ScanOptions
    from camscan.scan.runner import run_scan

    with Lab(profiles=demo_profiles(), base=LAB_BASE) as lab, tempfile.TemporaryDirectory() as tmp:
        credentials = [
            {
                "targets": d["ip"],
                "username": d["credentials"]["username"],
                "password": d["credentials"]["password"],
            }
            for d in lab.devices
            if d.get("credentials")
        ]
        cred_file = Path(tmp) / "credentials.yaml"
        cred_file.touch(mode=0o600)
        cred_file.write_text(yaml.safe_dump(credentials), encoding="utf-8")
        options = ScanOptions(
            targets=[d["ip"] for d in lab.devices], site=site, credentials_file=cred_file, db=db_path
        )
        result = run_scan(options, progress=progress)
        lab_devices = [{k: d[k] for k in ("ip", "profile", "truth")} for d in lab.devices]
    return DemoResult("lab", result.scan_id, len(lab_devices), result.devices, lab_devices, result.summary())


def run_examples(db_path: Path, engine: Engine, site: str = "demo") -> DemoResult:
    """Identify the recorded example hosts through the pipeline a scan uses."""
    with Store.open(db_path) as store:
        hosts = 0
        with store.scan(
            "demo", knowledge=engine.knowledge, site=site, files=[EXAMPLE_HOSTS.name], methods=["recorded"]
        ) as run:
            scan_id = run.id
            for line in EXAMPLE_HOSTS.read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                ip = json.loads(line).get("host")
                observations = [
                    Observation(o.kind, o.value, host=ip, source="recorded") for o in parse_line(line)
                ]
                ingest_host(store, engine, scan_id, ip, observations, site=site, discovered_by=["recorded"])
                hosts += 1
        devices = [d for d in store.devices() if d["site"] == site]
    return DemoResult("recorded", scan_id, hosts, devices)


def vendor_summary(devices: list[dict[str, Any]]) -> list[tuple[str, int, int, list[str]]]:
    """(manufacturer, devices, cameras, concern ids) sorted by count."""
    counts: Counter[str] = Counter()
    cameras: Counter[str] = Counter()
    concerns: dict[str, set[str]] = {}
    for d in devices:
        maker = str(d["manufacturer"] or "(unknown)")
        counts[maker] += 1
        cameras[maker] += int(bool(d["is_camera"]))
        concerns.setdefault(maker, set()).update(d["concerns"])
    return [(m, n, cameras[m], sorted(concerns[m])) for m, n in counts.most_common()]
