"""`camscan demo`: a first look at camscan with no cameras at hand.

Until the emulated lab is wired in, the demo identifies a set of recorded example hosts
(`camscan/data/example_hosts.jsonl`, built from real devices' banners and discovery replies) through the same
pipeline a scan uses, stores them in the inventory and prints the device table and the vendor summary.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from camscan.identify.engine import Engine
from camscan.identify.stream import parse_line
from camscan.model import Observation
from camscan.pipeline import ingest_host
from camscan.store import Store

EXAMPLE_HOSTS = Path(__file__).parent / "data" / "example_hosts.jsonl"


@dataclass(slots=True)
class DemoResult:
    scan_id: int
    hosts: int
    devices: list[dict[str, object]]


def run_examples(db_path: Path, engine: Engine, site: str = "demo") -> DemoResult:
    with Store.open(db_path) as store:
        store.load_reference(engine.knowledge)
        scan_id = store.start_scan(
            "demo",
            site=site,
            files=[EXAMPLE_HOSTS.name],
            methods=["recorded"],
            data_version=engine.knowledge.version,
        )
        hosts = 0
        for line in EXAMPLE_HOSTS.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            ip = json.loads(line).get("host")
            observations = [
                Observation(o.kind, o.value, host=ip, source="recorded") for o in parse_line(line)
            ]
            ingest_host(store, engine, scan_id, ip, observations, site=site, discovered_by=["recorded"])
            hosts += 1
        store.finish_scan(scan_id, "complete")
        devices = [d for d in store.devices() if d["site"] == site]
    return DemoResult(scan_id, hosts, devices)


def vendor_summary(devices: list[dict[str, object]]) -> list[tuple[str, int, int, list[str]]]:
    """(manufacturer, devices, cameras, concern ids) sorted by count."""
    counts: Counter[str] = Counter()
    cameras: Counter[str] = Counter()
    concerns: dict[str, set[str]] = {}
    for d in devices:
        maker = str(d["manufacturer"] or "(unknown)")
        counts[maker] += 1
        cameras[maker] += int(bool(d["is_camera"]))
        concerns.setdefault(maker, set()).update(d["concerns"])  # type: ignore[arg-type]
    return [(m, n, cameras[m], sorted(concerns[m])) for m, n in counts.most_common()]
