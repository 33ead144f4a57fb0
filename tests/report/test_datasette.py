"""Datasette reads the inventory well: views, descriptions and facets."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from tests.conftest import run_camscan

datasette_app = pytest.importorskip("datasette.app")

VIEWS = (
    "vendor_counts",
    "devices_of_concern",
    "cameras",
    "unidentified_cameras",
    "camera_signals",
    "firmware_spread",
    "devices_by_site",
    "clock_skew",
    "scan_summary",
    "device_changes",
)


def test_metadata_command_and_views_in_datasette(two_scan_db):
    r = run_camscan("datasette-metadata", "--db", str(two_scan_db))
    assert r.returncode == 0, r.stderr
    meta_path = two_scan_db.with_name("inventory.metadata.json")
    meta = json.loads(meta_path.read_text())
    tables = meta["databases"]["inventory"]["tables"]
    assert "manufacturer" in tables["devices"]["columns"]
    assert all(v in tables for v in VIEWS)

    async def fetch() -> dict[str, dict[str, Any]]:
        ds = datasette_app.Datasette([str(two_scan_db)], metadata=meta)
        await ds.invoke_startup()
        out = {}
        for view in VIEWS:
            response = await ds.client.get(f"/inventory/{view}.json?_shape=objects")
            assert response.status_code == 200, (view, response.text[:300])
            out[view] = response.json()
        page = await ds.client.get("/inventory/devices")
        assert page.status_code == 200
        assert tables["devices"]["description"][:40] in page.text
        return out

    results = asyncio.run(fetch())
    counts = {r["manufacturer"]: r["devices"] for r in results["vendor_counts"]["rows"]}
    assert counts["Hikvision"] == 4 and counts["(unknown)"] == 3
    assert {r["ip"] for r in results["unidentified_cameras"]["rows"]} == {"127.10.0.9"}
    assert len(results["devices_of_concern"]["rows"]) == 6
    assert any(r["field"] == "firmware" for r in results["device_changes"]["rows"])
    assert [r["devices_seen"] for r in results["scan_summary"]["rows"]] == [12, 12]
    assert results["devices_by_site"]["rows"][0]["site"] == "hq"


def test_metadata_needs_an_inventory(tmp_path):
    r = run_camscan("datasette-metadata", "--db", str(tmp_path / "none.db"))
    assert r.returncode == 2 and "no such inventory" in r.stderr
