"""Passive mode reads a recorder's channel lists in a capture (issue 14): an administrator's session with a
Hikvision DVR and a Dahua NVR gives the same cameras a scan with credentials would, with no password kept."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from camscan.passive.pcap_import import PcapResult
from camscan.passive.pcap_writer import PcapWriter, ethernet_ipv4_tcp, ethernet_ipv4_udp
from camscan.store import Store
from tests.parse.test_recorders import DAHUA_REMOTE, HIK_CHANNELS, HIK_INPUTS

ZERO = "00:00:00:00:00:00"
ADMIN = "127.150.9.1"
HIK, DAHUA = "127.150.9.10", "127.150.9.20"
SADP_DVR = (
    b'<?xml version="1.0" encoding="UTF-8"?><ProbeMatch><Uuid>3F7B0E2A-0000-0000-0000-000000000010</Uuid>'
    b"<Types>inquiry</Types><DeviceType>8214</DeviceType><DeviceDescription>DS-7208HUHI-K2</DeviceDescription>"
    b"<DeviceSN>DS-7208HUHI-K20820210827CCRRF00000010</DeviceSN><CommandPort>8000</CommandPort>"
    b"<MAC>c0-56-e3-00-00-10</MAC><IPv4Address>127.150.9.10</IPv4Address><AnalogChannelNum>3</AnalogChannelNum>"
    b"<DigitalChannelNum>2</DigitalChannelNum><SoftwareVersion>V4.30.100build 210827</SoftwareVersion></ProbeMatch>"
)  # invented values in the SADP reply layout


def http_exchange(
    out: PcapWriter, t: float, port: int, server: str, path: str, *, body: str, ctype: str
) -> None:
    client, srv = (ZERO, ADMIN, port), (ZERO, server, 80)
    request = (
        f'GET {path} HTTP/1.1\r\nHost: {server}\r\nAuthorization: Digest username="admin"\r\n\r\n'.encode()
    )
    data = body.encode()
    reply = f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {len(data)}\r\n\r\n".encode() + data
    out.write(t, ethernet_ipv4_tcp(client, srv, seq=100, ack=0, flags=0x02))
    out.write(t + 0.01, ethernet_ipv4_tcp(srv, client, seq=900, ack=101, flags=0x12))
    out.write(t + 0.02, ethernet_ipv4_tcp(client, srv, request, seq=101, ack=901, flags=0x18))
    out.write(t + 0.03, ethernet_ipv4_tcp(srv, client, reply, seq=901, ack=101 + len(request), flags=0x18))
    out.write(t + 0.04, ethernet_ipv4_tcp(srv, client, seq=901 + len(reply), ack=0, flags=0x11))


def capture(path: Path) -> None:
    with PcapWriter(path) as out:
        out.write(1.0, ethernet_ipv4_udp((ZERO, ADMIN, 40000), (ZERO, HIK, 37020), b"<Probe/>"))
        out.write(1.1, ethernet_ipv4_udp((ZERO, HIK, 37020), (ZERO, ADMIN, 40000), SADP_DVR))
        xml = 'application/xml; charset="UTF-8"'
        http_exchange(
            out, 2.0, 50001, HIK, "/ISAPI/ContentMgmt/InputProxy/channels", body=HIK_CHANNELS, ctype=xml
        )
        http_exchange(out, 3.0, 50002, HIK, "/ISAPI/System/Video/inputs/channels", body=HIK_INPUTS, ctype=xml)
        http_exchange(
            out, 4.0, 50003, DAHUA, "/cgi-bin/configManager.cgi?action=getConfig&name=RemoteDevice",
            body=DAHUA_REMOTE, ctype="text/plain;charset=utf-8",
        )  # fmt: skip


def test_a_capture_of_channel_lists_gives_the_cameras_behind_the_recorders(
    tmp_path: Path, run_pcap: Callable[..., PcapResult], store: Store
) -> None:
    path = tmp_path / "admin.pcap"
    capture(path)
    result = run_pcap(path)
    assert result.problems == []
    rows = [dict(r) for r in store.db.query("SELECT * FROM devices")]
    by_ip = {r["ip"]: r for r in rows if r["ip"]}
    dvr = by_ip[HIK]
    assert (dvr["model"], dvr["device_type"]) == ("DS-7208HUHI-K2", "dvr")
    hik_children = {r["channel"]: r for r in rows if r["parent"] == dvr["key"] and r["channel_input"] == "ip"}
    # IP channels 1 and 2 (with the model, serial and firmware the DVR states), analogue input 2 (the one with a
    # signal): exactly what the DVR said, nothing more
    assert sorted((r["channel"], r["channel_input"]) for r in rows if r["parent"] == dvr["key"]) == [
        (1, "ip"),
        (2, "analog"),
        (2, "ip"),
    ]  # this DVR numbers its analogue and IP channels alike: three cameras, not two
    assert (
        hik_children[1]["model"] == "DS-2CD2366G2-ISU/SL" and hik_children[1]["manufacturer"] == "Hikvision"
    )
    nvr = by_ip[DAHUA]
    dahua_children = sorted((r["channel"], r["model"]) for r in rows if r["parent"] == nvr["key"])
    assert dahua_children == [(1, "IPC-HDW1230S"), (2, "DS-2CD1143G0-I")]
    assert all("via_nvr" in r["discovered_by"] for r in rows if r["parent"])
    summary = dvr["recorder"]
    assert '"channels": 5' in summary or '"channels":5' in summary  # SADP: 3 analogue + 2 digital
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with sqlite3.connect(store.path) as conn:
        values = [r[0] for r in conn.execute("SELECT value FROM observations")]
    assert not any("cam-secret-1" in v or "do-not-keep" in v for v in values)
