"""UDP discovery: WS-Discovery ProbeMatches, Hikvision SADP, Dahua DHDiscover, XiongMai 34569, SSDP."""

from __future__ import annotations

import json
import struct

import pytest
from lxml import etree

from camscan.lab import Lab

from .clients import dhdiscover_request, sadp_probe, udp_query, wsd_probe, xm_search
from .support import device

WSA = "http://schemas.xmlsoap.org/ws/2004/08/addressing"
WSDD = "http://schemas.xmlsoap.org/ws/2005/04/discovery"


def safe_xml(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))


@pytest.mark.parametrize(
    ("profile", "scope"),
    [
        ("hikvision-camera", "onvif://www.onvif.org/name/HIKVISION%20DS-2CD2385G1-I"),
        ("rebadged-hikvision-camera", "onvif://www.onvif.org/name/Northwind%20NW-4MP-TB"),
        ("dahua-camera", "onvif://www.onvif.org/hardware/IPC-HDW1431T1-S4"),
        ("axis-camera", "onvif://www.onvif.org/hardware/M1065-LW"),
        ("xiongmai-camera", "onvif://www.onvif.org/hardware/XM530_50X50-WG_8M"),
        ("generic-onvif-camera", "onvif://www.onvif.org/Model/631GA"),
    ],
)
def test_unicast_probe_gets_probe_matches(estate: Lab, profile: str, scope: str) -> None:
    d = device(estate, profile)
    message_id, probe = wsd_probe()
    replies = udp_query(d["ip"], 3702, probe)
    assert len(replies) == 1
    root = safe_xml(replies[0])
    assert root.findtext(f".//{{{WSA}}}RelatesTo") == message_id
    assert (root.findtext(f".//{{{WSA}}}Action") or "").endswith("/ProbeMatches")
    scopes = (root.findtext(f".//{{{WSDD}}}Scopes") or "").split()
    assert scope in scopes
    assert d["ip"] in (root.findtext(f".//{{{WSDD}}}XAddrs") or "")


def test_generic_camera_match_has_no_types(estate: Lab) -> None:
    _, probe = wsd_probe()
    root = safe_xml(udp_query(device(estate, "generic-onvif-camera")["ip"], 3702, probe)[0])
    assert root.find(f".//{{{WSDD}}}Types") is None  # the real capture has no <Types>


def test_printer_and_windows_answer_only_their_own_types(estate: Lab) -> None:
    for profile in ("printer", "windows-host"):
        ip = device(estate, profile)["ip"]
        assert udp_query(ip, 3702, wsd_probe()[1], timeout=0.5) == []
        untyped = udp_query(ip, 3702, wsd_probe(types=None)[1])
        assert len(untyped) == 1 and b"NetworkVideoTransmitter" not in untyped[0]


def test_sadp_inquiry(estate: Lab) -> None:
    d = device(estate, "hikvision-camera")
    probe_uuid, probe = sadp_probe()
    root = safe_xml(udp_query(d["ip"], 37020, probe)[0])
    assert root.tag == "ProbeMatch"
    assert root.findtext("Uuid") == probe_uuid
    assert root.findtext("DeviceDescription") == "DS-2CD2385G1-I"
    assert root.findtext("DeviceSN") == d["truth"]["serial"]
    assert root.findtext("SoftwareVersion") == "V5.6.2build 190701"
    assert root.findtext("MAC") == d["mac"].replace(":", "-")
    assert root.findtext("IPv4Address") == d["ip"]
    assert root.findtext("CommandPort") == "8000"


def test_sadp_update_is_ignored_and_flagged(estate: Lab) -> None:
    d = device(estate, "rebadged-hikvision-camera")
    _, probe = sadp_probe(kind="update")
    assert udp_query(d["ip"], 37020, probe, timeout=0.5) == []
    assert any(r["device"] == d["name"] and r["action"] == "update" for r in estate.writes())


@pytest.mark.parametrize("profile", ["dahua-camera", "rebadged-dahua-lorex"])
def test_dhdiscover(estate: Lab, profile: str) -> None:
    d = device(estate, profile)
    reply = udp_query(d["ip"], 37810, dhdiscover_request())[0]
    assert reply[4:8] == b"DHIP"
    length = struct.unpack_from("<I", reply, 16)[0]
    body = json.loads(reply[32 : 32 + length].rstrip(b"\x00\n"))
    info = body["params"]["deviceInfo"]
    assert body["method"] == "client.notifyDevInfo"
    assert body["mac"] == d["mac"]
    assert info["DeviceType"] == d["truth"]["model"]
    assert info["SerialNo"] == d["truth"]["serial"]
    assert info["Version"] == d["truth"]["firmware"]
    assert info["IPv4Address"]["IPAddress"] == d["ip"]
    assert info["Port"] == 37777


def test_xiongmai_search(estate: Lab) -> None:
    d = device(estate, "xiongmai-camera")
    reply = udp_query(d["ip"], 34569, xm_search())[0]
    head, _, _, _, _, _, message, length = struct.unpack("BBHIIHHI", reply[:20])
    assert head == 0xFF and message == 1531
    common = json.loads(reply[20 : 20 + length].replace(b"\x00", b""))["NetWork.NetCommon"]
    assert common["MAC"] == d["mac"] and common["SN"] == d["truth"]["serial"]
    assert common["TCPPort"] == 34567 and common["HttpPort"] == 80
    packed = bytes(reversed(bytes.fromhex(common["HostIP"][2:])))
    assert ".".join(str(b) for b in packed) == d["ip"]


def test_ssdp_msearch(estate: Lab) -> None:
    d = device(estate, "dlink-dcs-camera")
    search = b'M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n'
    reply = udp_query(d["ip"], 1900, search)[0].decode()
    assert reply.startswith("HTTP/1.1 200 OK\r\n")
    assert "SERVER: Linux,    UPnP/1.0 DCS-935L/1.0\r\n" in reply
    assert f"LOCATION: http://{d['ip']}:50510/" in reply
    assert reply.endswith("\r\n\r\n") and "\n\n" not in reply.replace("\r\n", "")


def test_junk_datagrams_are_survived(estate: Lab) -> None:
    d = device(estate, "hikvision-camera")
    for port in (3702, 37020):
        assert udp_query(d["ip"], port, b"\x00\xff garbage <<<", timeout=0.3) == []
    assert len(udp_query(d["ip"], 37020, sadp_probe()[1])) == 1
