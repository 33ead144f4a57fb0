"""Replay every hand-made edge case (tests/fixtures/pcaps, see its README.md) and check what is identified."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from camscan.passive.pcap_import import NoCaptures, PcapResult
from camscan.store import Store

from .conftest import PCAPS, by_ip, observations

Run = Callable[..., PcapResult]

#: file → {ip: expected identity fields}
EXPECTED: dict[str, dict[str, dict[str, Any]]] = {
    "http_segmented.pcap": {
        "192.168.10.64": {"manufacturer": "Hikvision", "model": "DS-2CD7A47FWD-XZS", "firmware": "V5.6.1"}
    },
    "http_chunked_gzip.pcap": {"192.168.10.65": {"manufacturer": "XiongMai", "device_type": "camera"}},
    "vendor_discovery_vlan.pcap": {
        "192.168.20.40": {"manufacturer": "Hikvision", "model": "DS-2CD2385G1-I", "firmware": "V5.6.2"},
        "192.168.20.17": {"manufacturer": "Dahua", "model": "IPC-HDW1431T1-S4", "serial": "6C01E93PAG69A7D"},
        "192.168.20.103": {"manufacturer": "XiongMai", "firmware": "V5.00.R02.00030747.10010.349f17"},
    },
    "wsd_probematch_fragments.pcap": {"192.168.10.104": {"model": "631GA", "device_type": "camera"}},
    "ipv6_wsd_probematch.pcap": {"fe80::7aa5:ddff:fe0f:9593": {"model": "631GA", "device_type": "camera"}},
    "tls12_certificate.pcap": {"192.168.10.67": {"manufacturer": "Hikvision"}},
    "ssdp_upnp.pcap": {
        "192.168.10.68": {"brand": "Axis", "manufacturer": "Axis", "model": "M1014", "serial": "ACCC8E270AD8"}
    },
    "onvif_soap.pcap": {
        "192.168.10.69": {
            "brand": "Hikvision",
            "model": "DS-2CD2385G1-I",
            "serial": "DS-2CD2385G1-I20200414AAWRE33842150",
        }
    },
    "dhcp_mdns_arp.pcap": {
        "192.168.10.37": {"brand": "D-Link", "model": "DCS-935L", "device_type": "camera"}
    },
    "banners_snmp.pcap": {
        "192.168.10.70": {"manufacturer": "Hikvision"},
        "192.168.10.71": {"manufacturer": "Axis", "model": "P1346", "firmware": "5.50beta3"},
        "192.168.10.73": {"manufacturer": "Panasonic", "model": "WJ-HD300", "device_type": "dvr"},
        "192.168.10.72": {"manufacturer": None},
    },
    "rtsp_axis.pcapng": {"192.168.10.66": {"brand": "Axis", "serial": "ACCC8E012345"}},
    "rtsp_axis.pcapng.gz": {"192.168.10.66": {"brand": "Axis", "serial": "ACCC8E012345"}},
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_identified(run_pcap: Run, name: str) -> None:
    result = run_pcap(PCAPS / name)
    assert result.problems == [] and result.exit_code == 0
    devices = by_ip(result)
    for ip, fields in EXPECTED[name].items():
        assert ip in devices, f"{ip} not found in {name}: {sorted(devices)}"
        for key, value in fields.items():
            assert devices[ip][key] == value, (name, ip, key)


def test_scanner_is_not_identified(run_pcap: Run) -> None:
    """Probes sent by a scanner describe nothing: the scanner's host has only its MAC."""
    result = run_pcap(PCAPS / "vendor_discovery_vlan.pcap")
    scanner = by_ip(result)["192.168.20.5"]
    assert scanner["manufacturer"] is None and scanner["device_type"] is None


def test_reassembly_keeps_the_exact_body(run_pcap: Run, store: Store) -> None:
    """Out of order, duplicated and overlapping segments give back the response byte for byte, paired with its
    request path; the keep-alive HEAD reply has no body although it announces a Content-Length."""
    run_pcap(PCAPS / "http_segmented.pcap")
    paths = {p["path"]: p for p in observations(store, "192.168.10.64", "http_path")}
    info = paths["/ISAPI/System/deviceInfo"]
    assert (
        info["status"] == 200
        and info["body"].endswith("</DeviceInfo>")
        and "<model>DS-2CD7A47FWD-XZS" in info["body"]
    )
    assert paths["/"]["body"] == "" and paths["/"]["headers"]["Content-Length"] == "1234"


def test_chunked_gzip_body_is_decoded(run_pcap: Run, store: Store) -> None:
    run_pcap(PCAPS / "http_chunked_gzip.pcap")
    assert observations(store, "192.168.10.65", "html_title") == ["NETSurveillance WEB"]


def test_banner_stops_when_the_client_speaks(run_pcap: Run, store: Store) -> None:
    run_pcap(PCAPS / "banners_snmp.pcap")
    [banner] = observations(store, "192.168.10.70", "telnet_banner")
    assert banner.startswith("192.0.0.64 login:") and "admin" not in banner and "Password" not in banner
    assert observations(store, "192.168.10.72", "ssh_banner") == ["SSH-2.0-dropbear_2019.78"]
    assert observations(store, "192.168.10.5", "ssh_banner") == []  # the client's own banner is not a finding


def test_clock_skew(run_pcap: Run) -> None:
    device = by_ip(run_pcap(PCAPS / "onvif_soap.pcap"))["192.168.10.69"]
    assert device["clock_skew_s"] == pytest.approx(120, abs=1.5)


def test_ipv4_and_ipv6_of_one_device_are_one_host(run_pcap: Run) -> None:
    result = run_pcap(PCAPS / "wsd_probematch_fragments.pcap", PCAPS / "ipv6_wsd_probematch.pcap")
    [camera] = [d for d in result.devices if d["mac"] == "78:a5:dd:0f:95:93"]
    assert camera["ip"] == "192.168.10.104"


@pytest.mark.parametrize(
    ("name", "kept", "message"),
    [
        ("truncated.pcap", {"192.168.20.40", "192.168.20.17"}, "truncated: record 6 is cut short"),
        ("corrupt_record.pcap", {"192.168.20.40", "192.168.20.17"}, "corrupt record 5"),
    ],
)
def test_damage_keeps_what_came_before(
    run_pcap: Run, store: Store, name: str, kept: set[str], message: str
) -> None:
    result = run_pcap(PCAPS / name)
    assert result.exit_code == 3 and len(result.problems) == 1 and message in result.problems[0]
    identified = {d["ip"] for d in result.devices if d["manufacturer"]}
    assert identified == kept
    [scan] = store.scans()
    assert scan["status"] == "complete" and scan["errors"] == 1


def test_unknown_link_type_and_not_a_capture_with_good_files(run_pcap: Run) -> None:
    result = run_pcap(
        PCAPS / "not_a_capture.txt", PCAPS / "unknown_linktype.pcap", PCAPS / "tls12_certificate.pcap"
    )
    assert result.exit_code == 3 and len(result.problems) == 2
    assert "not a pcap or pcapng capture" in result.problems[0] and "link type 147" in result.problems[1]
    assert by_ip(result)["192.168.10.67"]["manufacturer"] == "Hikvision"


def test_no_capture_at_all(run_pcap: Run, store: Store) -> None:
    with pytest.raises(NoCaptures) as caught:
        run_pcap(PCAPS / "not_a_capture.txt", PCAPS / "missing.pcap")
    assert caught.value.exit_code == 2 and len(caught.value.problems) == 2
    assert store.scans() == []  # nothing was started


def test_scan_row_records_files_and_time_range(run_pcap: Run, store: Store) -> None:
    import json

    result = run_pcap(PCAPS / "onvif_soap.pcap", PCAPS / "rtsp_axis.pcapng.gz")
    [scan] = store.scans()
    assert scan["kind"] == "pcap" and scan["packets"] == result.packets == 24
    assert json.loads(scan["files"]) == [str(PCAPS / "onvif_soap.pcap"), str(PCAPS / "rtsp_axis.pcapng.gz")]
    assert scan["capture_start"] < scan["capture_end"] and scan["capture_start"].startswith(
        "2026-01-01T00:00:00"
    )
    details = json.loads(scan["pcap_files"])
    assert [d["format"] for d in details] == ["pcap", "pcapng+gzip"] and details[1]["packets"] == 14
