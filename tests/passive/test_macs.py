"""MACs a device states about itself, and hosts told apart by address when every frame MAC is zero (Linux `lo`)."""

from __future__ import annotations

import json
import struct
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from camscan.parse.http import HttpResponse
from camscan.parse.message import Head
from camscan.passive.datagrams import handle_udp
from camscan.passive.hosts import HostTable
from camscan.passive.macs import discovery_macs, normal_mac, onvif_network_mac
from camscan.passive.pcap_import import PcapResult
from camscan.passive.pcap_writer import PcapWriter, ethernet_ipv4_tcp, ethernet_ipv4_udp
from camscan.probe.onvif import network_mac
from camscan.probe.vendor_udp import normal_mac as probe_normal_mac

ZERO = "00:00:00:00:00:00"
SCANNER = "127.0.0.1"
SADP_REPLY = (
    b'<?xml version="1.0" encoding="UTF-8"?><ProbeMatch><Uuid>3F7B0E2A-0000-0000-0000-000000000001</Uuid>'
    b"<Types>inquiry</Types><DeviceType>141945</DeviceType><DeviceDescription>DS-2CD2385G1-I</DeviceDescription>"
    b"<DeviceSN>DS-2CD2385G1-I20200414AAWRE33842150</DeviceSN><CommandPort>8000</CommandPort>"
    b"<MAC>58-50-ed-1f-e3-85</MAC><IPv4Address>127.79.0.6</IPv4Address>"
    b"<SoftwareVersion>V5.6.2build 190701</SoftwareVersion></ProbeMatch>"
)
NETWORK_INTERFACES = (
    b'<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" '
    b'xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema"><env:Body>'
    b'<tds:GetNetworkInterfacesResponse><tds:NetworkInterfaces token="eth0"><tt:Enabled>true</tt:Enabled>'
    b"<tt:Info><tt:Name>eth0</tt:Name><tt:HwAddress>AC:CC:8E:01:23:45</tt:HwAddress><tt:MTU>1500</tt:MTU>"
    b"</tt:Info></tds:NetworkInterfaces></tds:GetNetworkInterfacesResponse></env:Body></env:Envelope>"
)


def dhip(message: Mapping[str, object]) -> bytes:
    body = json.dumps(message).encode()
    return struct.pack("<I4sIIIIII", 0x20, b"DHIP", 0, 0, len(body), 0, len(body), 0) + body


def dvrip(message: Mapping[str, object]) -> bytes:
    body = json.dumps(message).encode()
    return struct.pack("<BB2xII2xHI", 0xFF, 1, 0, 0, 1531, len(body)) + body


def response(body: bytes, status: int = 200) -> HttpResponse:
    head = Head(f"HTTP/1.1 {status} X", (("Content-Type", "application/soap+xml"),))
    return HttpResponse("HTTP/1.1", status, "X", head, body)


@pytest.mark.parametrize(
    "value",
    ["58-50-ED-1F-E3-85", "58:50:ed:1f:e3:85", " ac:cc:8e:01:23:45 ", ZERO, "ff:ff:ff:ff:ff:ff", "5850ed1fe385",
     "58:50:ed:1f:e3", "58:50:ed:1f:e3:zz", "", None, 42],
)  # fmt: skip
def test_same_normalisation_as_the_active_probe(value: object) -> None:
    assert normal_mac(value) == probe_normal_mac(value)


def test_vendor_discovery_replies_state_the_mac() -> None:
    table = HostTable()
    dahua = {"mac": "08:ED:ED:87:42:7A", "params": {"deviceInfo": {"DeviceType": "IPC-HDW1431T1-S4"}}}
    xm = {"NetWork.NetCommon": {"MAC": "00:12:41:cb:dd:1d", "HostName": "NVT"}, "Ret": 100}
    assert handle_udp(table, "127.79.0.6", SADP_REPLY, 1.0, sport=37020, dport=40000, src_mac=None)
    assert handle_udp(table, "127.79.0.2", dhip(dahua), 1.0, sport=37810, dport=40001, src_mac=None)
    assert handle_udp(table, "127.79.0.17", dvrip(xm), 1.0, sport=34569, dport=40002, src_mac=None)
    macs = {g.ip: [o.value for o in g.observations if o.kind == "mac"] for g in table.groups()}
    assert macs == {
        "127.79.0.6": ["58:50:ed:1f:e3:85"],
        "127.79.0.2": ["08:ed:ed:87:42:7a"],
        "127.79.0.17": ["00:12:41:cb:dd:1d"],
    }
    # Address-keyed: a stated MAC is evidence about the host, not a binding that merges hosts.
    assert all(g.mac is None for g in table.groups())


def test_a_probe_or_a_reply_without_a_mac_states_none() -> None:
    assert discovery_macs([("vendor_discovery", {"protocol": "sadp", "MAC": "00-00-00-00-00-00"})]) == []
    assert discovery_macs([("vendor_discovery", {"protocol": "dahua"})]) == []
    assert discovery_macs([("vendor_discovery", {"protocol": "unknown", "mac": "58:50:ed:1f:e3:85"})]) == []
    table = HostTable()
    probe = dhip({"method": "DHDiscover.search", "params": {"mac": "", "uni": 1}})
    handle_udp(table, SCANNER, probe, 1.0, sport=40001, dport=37810, src_mac=None)
    assert list(table.groups()) == []


def test_onvif_network_interfaces_answer_states_the_mac() -> None:
    assert onvif_network_mac(response(NETWORK_INTERFACES)) == "ac:cc:8e:01:23:45"
    assert network_mac(NETWORK_INTERFACES) == "ac:cc:8e:01:23:45"  # what the live probe reads from it
    assert onvif_network_mac(response(NETWORK_INTERFACES, 401)) is None
    other = NETWORK_INTERFACES.replace(b"GetNetworkInterfacesResponse", b"GetDNSResponse")
    assert onvif_network_mac(response(other)) is None
    mentions = other.replace(b"<tt:Name>eth0", b"<tt:Name>GetNetworkInterfacesResponse")
    assert onvif_network_mac(response(mentions)) is None
    assert onvif_network_mac(response(b"GetNetworkInterfacesResponse <not xml")) is None


def loopback_capture(path: Path) -> None:
    """What tcpdump -i lo writes: Ethernet frames with zero MACs; two devices and the scanner on 127/8."""
    hik, axis = ("127.79.0.6", 80), ("127.79.0.1", 80)
    with PcapWriter(path) as out:
        out.write(1.0, ethernet_ipv4_udp((ZERO, SCANNER, 40000), (ZERO, hik[0], 37020), b"<Probe/>"))
        out.write(1.1, ethernet_ipv4_udp((ZERO, hik[0], 37020), (ZERO, SCANNER, 40000), SADP_REPLY))
        for n, ((ip, port), body, server) in enumerate(
            [(hik, b"", "App-webs/"), (axis, NETWORK_INTERFACES, "GStreamer")], start=1
        ):
            client = (ZERO, SCANNER, 50000 + n)
            srv = (ZERO, ip, port)
            request = (
                f"POST /onvif/device_service HTTP/1.1\r\nHost: {ip}\r\nContent-Length: 0\r\n\r\n".encode()
            )
            reply = (
                f"HTTP/1.1 200 OK\r\nServer: {server}\r\nContent-Type: application/soap+xml\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode() + body
            t = 2.0 + n
            out.write(t, ethernet_ipv4_tcp(client, srv, seq=100, ack=0, flags=0x02))
            out.write(t + 0.01, ethernet_ipv4_tcp(srv, client, seq=900, ack=101, flags=0x12))
            out.write(t + 0.02, ethernet_ipv4_tcp(client, srv, request, seq=101, ack=901, flags=0x18))
            out.write(
                t + 0.03, ethernet_ipv4_tcp(srv, client, reply, seq=901, ack=101 + len(request), flags=0x18)
            )
            out.write(t + 0.04, ethernet_ipv4_tcp(srv, client, seq=901 + len(reply), ack=0, flags=0x11))


def test_zero_mac_frames_keep_hosts_apart_by_address(
    tmp_path: Path, run_pcap: Callable[..., PcapResult]
) -> None:
    path = tmp_path / "lo.pcap"
    loopback_capture(path)
    result = run_pcap(path)
    assert result.problems == []
    devices = {d["ip"]: d for d in result.devices}
    assert set(devices) == {"127.79.0.6", "127.79.0.1"}  # the scanner (127.0.0.1) said nothing about itself
    assert devices["127.79.0.6"]["mac"] == "58:50:ed:1f:e3:85"  # from its SADP reply, not from a frame
    assert devices["127.79.0.6"]["manufacturer"] == "Hikvision"
    assert devices["127.79.0.1"]["mac"] == "ac:cc:8e:01:23:45"  # from its ONVIF answer
    assert devices["127.79.0.1"]["manufacturer"] == "Axis"  # the OUI, as in a live scan


def test_a_frame_mac_stays_the_device_mac(tmp_path: Path, run_pcap: Callable[..., PcapResult]) -> None:
    """On a real segment the frame's source MAC is seen first and stays the device's MAC."""
    path = tmp_path / "lan.pcap"
    frame_mac = "02:00:00:00:00:06"
    with PcapWriter(path) as out:
        reply = ethernet_ipv4_udp((frame_mac, "192.168.1.64", 37020), ("02:00:00:00:00:01", "192.168.1.2", 40000),
                                  SADP_REPLY)  # fmt: skip
        out.write(1.0, reply)
    [device] = run_pcap(path).devices
    assert device["ip"] == "192.168.1.64" and device["mac"] == frame_mac
