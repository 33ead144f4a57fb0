"""Helpers for the report tests: inventories filled through the real pipeline (`ingest_host`)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from camscan.demo import EXAMPLE_HOSTS
from camscan.identify.engine import Engine
from camscan.identify.stream import parse_line
from camscan.model import Identity, Observation
from camscan.pipeline import ingest_host
from camscan.store import DeviceRecord, Store

#: Strings a hostile device could report (spreadsheet formula, script tag, ANSI and C1 escapes, bidi override).
FORMULA = "=cmd|' /C calc'!A0"
SCRIPT = "<script>alert(1)</script>"
ANSI = "\x1b[31mRED\x1b[0m"
C1_CSI = "\x9b31mC1"
BIDI = "abc\u202edcba"


def example_hosts() -> list[tuple[str, list[dict[str, Any]]]]:
    """(ip, observation dicts) of the recorded example hosts shipped with camscan."""
    out = []
    for line in EXAMPLE_HOSTS.read_text(encoding="utf-8").splitlines():
        if line.strip():
            data = json.loads(line)
            out.append((data["host"], data["observations"]))
    return out


def observations(ip: str, items: Iterable[dict[str, Any]], source: str = "recorded") -> list[Observation]:
    return [
        Observation(o.kind, o.value, host=ip, source=source)
        for o in parse_line(json.dumps({"observations": list(items)}))
    ]


def ingest(
    store: Store, engine: Engine, scan_id: int, ip: str, items: Iterable[dict[str, Any]], *, site: str | None
) -> str | None:
    key, _identity = ingest_host(
        store, engine, scan_id, ip, observations(ip, items), site=site, discovered_by=["recorded"]
    )
    return key


def scan(
    store: Store,
    engine: Engine,
    hosts: Iterable[tuple[str, list[dict[str, Any]]]],
    *,
    site: str | None = "hq",
    status: str = "complete",
    kind: str = "demo",
) -> int:
    """One scan of `hosts` through the pipeline; returns the scan id."""
    store.load_reference(engine.knowledge)
    scan_id = store.start_scan(kind, site=site, methods=["recorded"], files=["example_hosts.jsonl"])
    for ip, items in hosts:
        ingest(store, engine, scan_id, ip, items, site=site)
    store.finish_scan(scan_id, status)
    return scan_id


def example_store(path: Path, engine: Engine, site: str | None = "hq") -> Path:
    with Store.open(path) as store:
        scan(store, engine, example_hosts(), site=site)
    return path


def replace_value(items: list[dict[str, Any]], kind: str, value: Any) -> list[dict[str, Any]]:
    return [{"kind": o["kind"], "value": value if o["kind"] == kind else o["value"]} for o in items]


def second_scan_hosts() -> list[tuple[str, list[dict[str, Any]]]]:
    """The example estate a month later: one Hikvision camera upgraded, the Axis camera gone, the Dahua camera
    moved to another address, and a new Hikvision camera."""
    hosts = dict(example_hosts())
    hik = hosts.pop("127.10.0.1")
    sadp = next(o for o in hik if o["kind"] == "vendor_discovery")
    upgraded = replace_value(
        hik, "vendor_discovery", {**sadp["value"], "SoftwareVersion": "V5.5.0build 180123"}
    )
    hosts.pop("127.10.0.4")  # the Axis camera is gone
    dahua = hosts.pop("127.10.0.3")
    new_cam: list[dict[str, Any]] = [
        {"kind": "http_server", "value": "App-webs/"},
        {"kind": "mac", "value": "c4:2f:90:3a:11:99"},
        {"kind": "vendor_discovery", "value": {"protocol": "sadp", "DeviceDescription": "DS-2CD2143G0-I",
                                               "SoftwareVersion": "V5.6.3build 190923"}},
    ]  # fmt: skip
    return [("127.10.0.1", upgraded), ("127.10.0.33", dahua), *hosts.items(), ("127.10.0.50", new_cam)]


def two_scan_store(path: Path, engine: Engine) -> Path:
    with Store.open(path) as store:
        scan(store, engine, example_hosts())
        scan(store, engine, second_scan_hosts())
    return path


def hostile_hosts() -> list[tuple[str, list[dict[str, Any]]]]:
    """A camera whose ONVIF answer carries a script tag, a spreadsheet formula and terminal escapes."""
    info = {
        "manufacturer": SCRIPT,
        "model": FORMULA,
        "firmware_version": "V1.0" + C1_CSI,
        "serial_number": "@SUM(1+1)",
        "hardware_id": BIDI,
    }
    return [
        (
            "127.66.0.1",
            [{"kind": "onvif_device_info", "value": info}, {"kind": "mac", "value": "c4:2f:90:66:00:01"}],
        )
    ]


def add_raw_device(
    store: Store, scan_id: int, ip: str, identity: Identity, *, site: str = "hq", mac: str | None = None
) -> str:
    """A device stored straight through the store API (as another tool or an older camscan might have)."""
    return store.upsert_device(scan_id, DeviceRecord(ip, mac, site, identity, ["recorded"]))
