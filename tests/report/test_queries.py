"""The shared query layer: what every report counts."""

from __future__ import annotations

import pytest

from camscan.errors import UsageError
from camscan.model import UNKNOWN
from camscan.report import queries as q
from camscan.store import Store

from . import support


def estate(path, **kw) -> q.Estate:
    with Store.open(path) as store:
        return q.load_estate(store, **kw)


def test_counts_by_manufacturer_after_oem_resolution(example_db):
    e = estate(example_db)
    makers = {m.manufacturer: m for m in q.by_manufacturer(e)}
    assert makers["Hikvision"].devices == 3
    assert "LTS" in makers["Hikvision"].brands  # the rebadged LTS camera counts under its maker
    assert makers["Dahua"].devices == 2
    assert "Lorex" in makers["Dahua"].brands
    assert makers["Hikvision"].country == "CN"
    assert "ndaa-s889" in makers["Hikvision"].concerns
    assert not makers["Axis"].concerns
    # unknown manufacturers are counted, not dropped, and sort last
    assert makers[UNKNOWN].devices == 3
    assert q.by_manufacturer(e)[-1].manufacturer == UNKNOWN
    assert sum(m.devices for m in makers.values()) == len(e.devices) == 12
    assert sum(m.devices_pct for m in makers.values()) == pytest.approx(100, abs=0.5)


def test_totals_and_unidentified_cameras(example_db):
    e = estate(example_db)
    t = q.totals(e)
    assert (t.devices, t.cameras, t.of_concern, t.unknown_manufacturer) == (12, 9, 5, 3)
    assert t.unidentified_cameras == 1  # the camera whose maker is unknown; the web server and PC are not
    assert list(e.unidentified.values()) == ["camera with no known manufacturer"]
    assert t.to_dict()["cameras_of_concern_pct"] == pytest.approx(55.6)


def test_concerns_carry_authority_date_and_source(example_db):
    e = estate(example_db)
    apps = {(a.manufacturer, a.concern.id): a for a in q.concerns_by_manufacturer(e)}
    ndaa = apps[("Hikvision", "ndaa-s889")]
    assert ndaa.devices == 3
    assert ndaa.concern.authority == "United States Congress"
    assert ndaa.concern.date == "2018-08-13"
    assert ndaa.concern.source_document.startswith("FAR 52.204-25")
    assert ndaa.concern.source_url == "https://www.acquisition.gov/far/52.204-25"
    assert any("(self)" in v for v in ndaa.via)


def test_firmware_spread_and_models(example_db):
    e = estate(example_db)
    spread = {(f.manufacturer, f.model): f for f in q.firmware_spread(e)}
    assert spread[("Hikvision", "DS-2CD2032-I")].versions == [("V5.4.5", 1)]
    models = {(m.manufacturer, m.model): m for m in q.by_model(e)}
    assert models[("Dahua", "LNB4321B")].brands == ["Lorex"]


def test_site_filter_and_scan_snapshot(two_scan_db):
    with Store.open(two_scan_db) as store:
        first = q.load_estate(store, scan_id=1)
        second = q.load_estate(store, scan_id=2)
        current = q.load_estate(store)
    hik_then = next(d for d in first.devices if d.key == "mac:c4:2f:90:3a:11:01")
    hik_now = next(d for d in current.devices if d.key == "mac:c4:2f:90:3a:11:01")
    assert (hik_then.firmware, hik_now.firmware) == ("V5.4.5", "V5.5.0")
    assert len(first.devices) == 12 and len(second.devices) == 12 and len(current.devices) == 13
    assert [s.id for s in first.scans] == [1]
    assert [s.id for s in current.scans] == [1, 2]
    assert estate(two_scan_db, site="hq").site == "hq"


def test_devices_sorted_by_address(example_db):
    ips = [d.ip for d in estate(example_db).devices]
    assert ips.index("127.10.0.9") < ips.index("127.10.0.10")


def test_clear_errors(tmp_path, example_db):
    with Store.open(example_db) as store:
        with pytest.raises(UsageError, match=r"no scan 42 in .* \(it holds scans 1–1\)"):
            q.load_estate(store, scan_id=42)
        with pytest.raises(UsageError, match=r"no devices at site 'nowhere' \(sites: hq\)"):
            q.load_estate(store, site="nowhere")
    with Store.open(tmp_path / "empty.db") as store, pytest.raises(UsageError, match="no devices yet"):
        q.load_estate(store)


def test_snapshot_takes_concerns_of_the_identity_then(tmp_path, engine):
    """A device identified as Hikvision in scan 1 and as Axis in scan 2 has Hikvision's concerns in scan 1's view."""
    path = tmp_path / "inv.db"
    mac = {"kind": "mac", "value": "02:00:00:00:00:01"}
    with Store.open(path) as store:
        support.scan(store, engine, [("10.0.0.1", [mac, {"kind": "http_server", "value": "App-webs/"}])])
        support.scan(store, engine, [("10.0.0.1", [mac, {"kind": "tls_subject", "value": "CN=axis-00408c000001,O=Axis Communications AB"}])])  # fmt: skip
        then = q.load_estate(store, scan_id=1).devices[0]
        now = q.load_estate(store).devices[0]
    assert then.manufacturer == "Hikvision" and "ndaa-s889" in then.concerns
    assert now.manufacturer == "Axis" and now.concerns == []
