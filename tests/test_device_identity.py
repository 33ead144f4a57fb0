"""Which hosts are one device (issue 11, item 6): a layer-2 MAC > a serial > a MAC the device states > its address.

Real estates hold many cheap cameras that all report one factory-default MAC in ONVIF GetNetworkInterfaces
(in a 396-device estate, 44 units with 44 serials once became one inventory row). Hosts at different addresses in
one scan are never merged through what they state; a shared value is a finding on both.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from camscan.identify.engine import get_engine
from camscan.model import Observation
from camscan.pipeline import host_macs, ingest_host
from camscan.store import Store

FACTORY_MAC = "00:12:31:00:00:01"  # invented: one default MAC stated by every unit


def onvif_host(ip: str, serial: str | None, mac: str = FACTORY_MAC) -> list[Observation]:
    info = {"manufacturer": "H264", "model": "XM530_50X50-WG_8M", "firmware_version": "V5.00.R02"}
    if serial:
        info["serial_number"] = serial
    return [
        Observation("onvif_device_info", info, host=ip, port=8899, source="onvif"),
        Observation("mac", mac, host=ip, port=8899, source="onvif"),  # stated in GetNetworkInterfaces
    ]


def scan_of(db: Path, hosts: dict[str, list[Observation]]) -> list[dict[str, Any]]:
    engine = get_engine()
    with Store.open(db) as st:
        st.load_reference(engine.knowledge)
        scan_id = st.start_scan("active")
        for ip, observations in hosts.items():
            ingest_host(st, engine, scan_id, ip, observations)
        st.finish_scan(scan_id, "complete")
        return st.devices()


def test_a_stated_mac_is_weaker_than_a_layer2_one():
    stated = [Observation("mac", "aa:aa:aa:00:00:01", port=8899, source="onvif")]
    seen = [Observation("mac", "bb:bb:bb:00:00:02", source="arp")]
    assert host_macs(stated) == ("aa:aa:aa:00:00:01", True)
    assert host_macs(stated + seen) == ("bb:bb:bb:00:00:02", False)


def test_units_sharing_a_default_mac_with_their_own_serials_stay_apart(tmp_path):
    devices = scan_of(
        tmp_path / "inv.db", {f"127.0.9.{n}": onvif_host(f"127.0.9.{n}", f"SN000{n}") for n in range(1, 4)}
    )
    assert sorted(d["ip"] for d in devices) == ["127.0.9.1", "127.0.9.2", "127.0.9.3"]
    assert sorted(d["serial"] for d in devices) == ["SN0001", "SN0002", "SN0003"]
    assert {d["key"].split(":")[0] for d in devices} == {"serial"}


def test_units_sharing_a_default_mac_without_serials_stay_apart_with_a_finding(tmp_path):
    devices = scan_of(
        tmp_path / "inv.db", {f"127.0.9.{n}": onvif_host(f"127.0.9.{n}", None) for n in range(1, 4)}
    )
    assert len(devices) == 3
    keyed_by_mac = [d for d in devices if d["key"] == f"mac:{FACTORY_MAC}"]
    assert len(keyed_by_mac) == 1  # the first keeps the MAC key; the others fall back to their address
    for d in devices:
        assert any(FACTORY_MAC in f and "separate devices" in f for f in d["findings"]), d


def test_a_shared_serial_is_a_finding_not_a_merge(tmp_path):
    devices = scan_of(
        tmp_path / "inv.db",
        {
            "127.0.9.1": onvif_host("127.0.9.1", "SAME", "02:00:00:00:00:01"),
            "127.0.9.2": onvif_host("127.0.9.2", "SAME", "02:00:00:00:00:02"),
        },
    )
    assert len(devices) == 2
    assert all(any("serial SAME" in f for f in d["findings"]) for d in devices)


def test_one_interface_at_two_addresses_is_one_device_and_says_so(tmp_path):
    def host(ip: str) -> list[Observation]:
        return [
            Observation("http_server", "App-webs/", host=ip, port=80, source="http"),
            Observation("mac", "c4:2f:90:00:00:05", host=ip, source="arp"),
        ]

    devices = scan_of(tmp_path / "inv.db", {"127.0.9.1": host("127.0.9.1"), "127.0.9.2": host("127.0.9.2")})
    assert len(devices) == 1
    assert any("one interface" in f for f in devices[0]["findings"])


def test_the_same_device_in_two_scans_keeps_its_key(tmp_path):
    db = tmp_path / "inv.db"
    first = scan_of(db, {"127.0.9.1": onvif_host("127.0.9.1", "SN1")})
    second = scan_of(db, {"127.0.9.1": onvif_host("127.0.9.1", "SN1")})
    assert [d["key"] for d in first] == [d["key"] for d in second]
    assert second[0]["findings"] == []
