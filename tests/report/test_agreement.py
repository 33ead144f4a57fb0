"""One database, the same numbers everywhere: the report's aggregates, the questionnaire export, `devices --json`
and the SQL views a Datasette user opens (issue 12: each aggregate is defined once).

The inventory is the example estate scanned twice, plus a third, weaker sighting of two cameras (only their MAC
answered: no device type) and measured clocks on both sides of the 60 s threshold — the cases where the views
and the reports used to disagree (a camera's `is_camera` cleared while its type was kept; firmware rows for
devices with neither model nor firmware; every measured clock counted as skewed).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from camscan import api
from camscan.model import Identity
from camscan.report import queries as q
from camscan.store import DeviceRecord, Store
from tests.report.support import example_hosts, two_scan_store


@pytest.fixture()
def db(tmp_path: Path, engine) -> Path:
    path = two_scan_store(tmp_path / "inv.db", engine)
    with Store.open(path) as store:
        cams = [d for d in store.devices() if d["is_camera"] and d["mac"]][:2]
        assert len(cams) == 2
        scan_id = store.start_scan("demo", site="hq")
        for d in cams:  # a weaker sighting: the device answered, but nothing identified it
            store.upsert_device(scan_id, DeviceRecord(d["ip"], d["mac"], "hq", Identity(), ["arp"]))
        for n, skew in enumerate((30.0, -95.0, 400.0)):
            ident = Identity(manufacturer="Axis", model=f"M10{n}", device_type="camera")
            store.upsert_device(scan_id, DeviceRecord(f"127.20.0.{n}", None, "depot", ident, ["onvif"], skew))
        store.upsert_device(scan_id, DeviceRecord("127.20.0.9", None, "depot", Identity(), ["arp"]))
        store.finish_scan(scan_id, "complete")
    return path


def _view(db: Path, sql: str) -> list[dict[str, Any]]:
    with Store.open(db) as store:
        return list(store.db.query(sql))


def test_a_weaker_sighting_keeps_the_camera(db: Path) -> None:
    rows = _view(
        db,
        "SELECT key FROM devices WHERE device_type IN ('camera', 'nvr', 'dvr', 'encoder') AND is_camera = 0",
    )
    assert rows == []


def test_report_exports_and_views_agree(db: Path) -> None:
    estate = api.estate(db)
    totals = q.totals(estate)
    devices = api.devices(db)
    exported = json.loads(api.export("json", db=db).text or "")

    # the report and the export
    assert exported["totals"]["devices"] == totals.devices == len(devices)
    assert exported["totals"]["cameras"] == totals.cameras == sum(d["is_camera"] for d in devices)
    assert exported["totals"]["of_concern"] == totals.of_concern == sum(bool(d["concerns"]) for d in devices)
    assert totals.unknown_manufacturer == sum(d["manufacturer"] is None for d in devices)

    # the Datasette views
    makers = {m.manufacturer: (m.devices, m.cameras) for m in q.by_manufacturer(estate)}
    vendor_counts = {
        r["manufacturer"]: (r["devices"], r["cameras"]) for r in _view(db, "SELECT * FROM vendor_counts")
    }
    assert vendor_counts == makers
    sites = {s.site: (s.devices, s.cameras, s.of_concern, s.unknown_manufacturer) for s in q.by_site(estate)}
    by_site = {
        r["site"]: (r["devices"], r["cameras"], r["of_concern"], r["unknown_manufacturer"])
        for r in _view(db, "SELECT * FROM devices_by_site")
    }
    assert by_site == sites
    spread: Counter[tuple[str, str, str]] = Counter()
    for f in q.firmware_spread(estate):
        for firmware, n in f.versions:
            spread[(f.manufacturer, f.model, firmware)] += n
    firmware_spread = {
        (r["manufacturer"], r["model"], r["firmware"]): r["devices"]
        for r in _view(db, "SELECT * FROM firmware_spread")
    }
    assert firmware_spread == dict(spread)
    skewed = _view(db, "SELECT key FROM clock_skew WHERE skewed")
    assert len(skewed) == totals.skewed_clocks == 2
    assert len(_view(db, "SELECT key FROM clock_skew")) == q.clock_measured(estate) == 3
    assert len(_view(db, "SELECT key FROM devices_of_concern")) == totals.of_concern
    assert len(_view(db, "SELECT key FROM cameras")) == totals.cameras
    assert len(_view(db, "SELECT key FROM unidentified_cameras")) == totals.unidentified_cameras


def test_the_example_estate_is_not_trivial(db: Path) -> None:
    """The agreement above is over an estate with cameras, concerns, unknowns and several sites."""
    totals = q.totals(api.estate(db))
    assert totals.cameras >= 8 and totals.of_concern >= 3 and totals.unknown_manufacturer >= 1
    assert totals.sites == 2 and len(example_hosts()) >= 11
