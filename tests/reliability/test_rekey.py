"""A host stored before a late reply gave its MAC is still one device (found when two scans shared the machine:
the Hikvision SADP and Dahua DHDiscover replies came after the TCP probes had ended)."""

from __future__ import annotations

from pathlib import Path

from camscan.identify.engine import get_engine
from camscan.model import Observation
from camscan.scan.state import HostState
from camscan.scan.store_writer import Counters, Writer
from camscan.store import Store
from camscan.store_thread import StoreThread

IP = "127.86.9.7"


def test_a_host_whose_key_improves_is_one_device(tmp_path: Path) -> None:
    with Store.open(tmp_path / "inventory.db") as store:
        scan_id = store.start_scan("active")
        state = HostState(IP, discovered_by={"nmap"})
        writer = Writer(
            StoreThread(store.path).start(), get_engine(), scan_id=scan_id, site=None, hosts={IP: state},
            counters=Counters(),
        )  # fmt: skip
        state.add([Observation("http_server", "App-webs/", host=IP, port=80, source="http")])
        state.probed = True
        writer.write({IP})
        writer.flush()
        assert [r["key"] for r in store.db.query("SELECT key FROM devices")] == [f"ip::{IP}"]
        state.add([Observation("mac", "58:50:ed:1f:e3:85", host=IP, source="sadp")])  # the late reply
        writer.write({IP})
        writer.thread.close()
        assert [r["key"] for r in store.db.query("SELECT key FROM devices")] == ["mac:58:50:ed:1f:e3:85"]
        sightings = list(store.db.query("SELECT device_key, scan_id FROM device_scans"))
        assert sightings == [{"device_key": "mac:58:50:ed:1f:e3:85", "scan_id": scan_id}]
        assert writer.counters.devices == 1


def test_a_device_known_from_an_earlier_scan_keeps_its_row(tmp_path: Path) -> None:
    with Store.open(tmp_path / "inventory.db") as store:
        first = store.start_scan("active")
        earlier = HostState(IP, discovered_by={"nmap"})
        earlier.add([Observation("http_server", "App-webs/", host=IP, port=80, source="http")])
        earlier.probed = True
        with StoreThread(store.path) as thread:
            Writer(
                thread, get_engine(), scan_id=first, site=None, hosts={IP: earlier}, counters=Counters()
            ).write({IP})
        second = store.start_scan("active")
        state = HostState(IP, discovered_by={"nmap"})
        with StoreThread(store.path) as thread:
            writer = Writer(
                thread, get_engine(), scan_id=second, site=None, hosts={IP: state}, counters=Counters()
            )
            state.add([Observation("http_server", "App-webs/", host=IP, port=80, source="http")])
            state.probed = True
            writer.write({IP})
            state.add([Observation("mac", "58:50:ed:1f:e3:85", host=IP, source="sadp")])
            writer.write({IP})
        keys = sorted(r["key"] for r in store.db.query("SELECT key FROM devices"))
        assert keys == [f"ip::{IP}", "mac:58:50:ed:1f:e3:85"]  # the first scan's sighting still names its row
        sightings = sorted(
            (r["device_key"], r["scan_id"]) for r in store.db.query("SELECT * FROM device_scans")
        )
        assert sightings == [(f"ip::{IP}", first), ("mac:58:50:ed:1f:e3:85", second)]
