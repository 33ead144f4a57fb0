"""Hostile devices do what they promise, and the lab survives its clients (and itself)."""

from __future__ import annotations

import re
import socket
import time
from pathlib import Path

import defusedxml.ElementTree
import httpx
import pytest
from defusedxml import DTDForbidden, EntitiesForbidden
from lxml import etree

from camscan.lab import Lab

from .clients import parse_message, read_message, sadp_probe, soap, udp_query, wsd_probe
from .support import base, device, wait_for


def onvif_raw(ip: str, port: int = 80) -> bytes:
    response = httpx.post(f"http://{ip}:{port}/onvif/device_service", content=soap("GetDeviceInformation"),
                          timeout=5)  # fmt: skip
    return response.content


def test_billion_laughs_in_soap_and_wsd(estate: Lab) -> None:
    ip = device(estate, "hostile-xml-bomb")["ip"]
    for payload in (onvif_raw(ip), udp_query(ip, 3702, wsd_probe()[1])[0]):
        assert b'<!ENTITY lol9 "&lol8;' in payload and b"&lol9;" in payload
        assert len(payload) < 10_000  # small on the wire, ~3 GB expanded
        with pytest.raises((EntitiesForbidden, DTDForbidden)):
            defusedxml.ElementTree.fromstring(payload)
        # a safe lxml parser either leaves the entities alone (and stays small) or refuses the amplification
        try:
            root = etree.fromstring(payload, etree.XMLParser(resolve_entities=False, huge_tree=False))
        except etree.XMLSyntaxError as exc:
            assert "amplification" in str(exc)
        else:
            assert len(etree.tostring(root)) < 10_000


def test_xxe_points_at_the_canary_the_test_made(loopback_ok: None, tmp_path: Path) -> None:
    canary = tmp_path / "canary.txt"
    secret = "TEST-CANARY-7f3c1e"
    canary.write_text(secret)
    with Lab(profiles=["hostile-xxe"], base=base(10), canary_path=canary, trap=False) as lab:
        ip = lab.devices[0]["ip"]
        payloads = [
            onvif_raw(ip),
            udp_query(ip, 3702, wsd_probe()[1])[0],
            udp_query(ip, 37020, sadp_probe()[1])[0],
        ]
    for payload in payloads:
        assert f'SYSTEM "file://{canary}"'.encode() in payload
        assert secret.encode() not in payload
        safe = etree.fromstring(
            payload, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        )
        assert secret not in etree.tostring(safe).decode()
    # The payload works: a careless parser that resolves entities reads the canary.
    careless = etree.fromstring(payloads[0], etree.XMLParser(resolve_entities=True, no_network=True))
    assert secret in etree.tostring(careless).decode()
    assert b'SYSTEM "http://127.254.254.254/xxe.dtd"' in payloads[2]


def test_huge_header(estate: Lab) -> None:
    ip = device(estate, "hostile-huge-header")["ip"]
    with socket.create_connection((ip, 80), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        raw = read_message(sock, limit=4 << 20)
    status, headers, _ = parse_message(raw)
    assert status == 200
    assert len(dict(headers)["X-Lab-Huge"]) == 1 << 20
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"http://{ip}/", timeout=5)  # h11 refuses a header this large
    with socket.create_connection((ip, 554), timeout=5) as sock:
        sock.sendall(b"OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n\r\n")
        assert len(read_message(sock, limit=4 << 20)) > 1 << 20


def test_endless_headers_never_end(estate: Lab) -> None:
    ip = device(estate, "hostile-endless-headers")["ip"]
    with socket.create_connection((ip, 80), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        data = b""
        while len(data) < 200_000:
            data += sock.recv(65536)
    assert data.startswith(b"HTTP/1.1 200 OK\r\nX-Lab-Pad-0: ")
    assert b"\r\n\r\n" not in data


def test_slow_drip_and_client_disconnect(estate: Lab) -> None:
    ip = device(estate, "hostile-slow-drip")["ip"]
    with socket.create_connection((ip, 80), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        started = time.monotonic()
        first = sock.recv(100)
        second = sock.recv(100)
        gap = time.monotonic() - started
    assert (first, second) == (b"H", b"T")
    assert gap >= 1.5
    # the client left mid-drip: the device and its neighbours still answer
    assert httpx.get(f"http://{device(estate, 'hikvision-camera')['ip']}/", timeout=5).status_code == 200
    with socket.create_connection((ip, 80), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        assert sock.recv(1) == b"H"


def test_garbage(estate: Lab) -> None:
    ip = device(estate, "hostile-garbage")["ip"]
    for port in (80, 554, 8000):
        with socket.create_connection((ip, port), timeout=5) as sock:
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        assert len(data) == 4096 and not data.startswith((b"HTTP", b"RTSP"))
    wsd = udp_query(ip, 3702, wsd_probe()[1])[0]
    assert len(wsd) == 1024 and b"<" not in wsd[:1]
    assert len(udp_query(ip, 37020, sadp_probe()[1])[0]) == 1024


def test_truncated_responses(estate: Lab) -> None:
    ip = device(estate, "hostile-truncated")["ip"]
    for path in ("/", "/onvif/device_service"):
        method = b"POST" if "onvif" in path else b"GET"
        body = soap("GetDeviceInformation") if method == b"POST" else b""
        request = b"%s %s HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s" % (method, path.encode(), len(body),
                                                                                 body)  # fmt: skip
        with socket.create_connection((ip, 80), timeout=5) as sock:
            sock.sendall(request)
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        head, _, payload = data.partition(b"\r\n\r\n")
        length = re.search(rb"Content-Length: (\d+)", head)
        assert length is not None, head
        declared = int(length.group(1))
        assert declared > len(payload) > 0
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(f"http://{ip}/", timeout=5)


def test_connection_reset(estate: Lab) -> None:
    ip = device(estate, "hostile-reset")["ip"]
    for port in (80, 554, 8000):
        # on loopback the RST can even beat connect() returning
        with pytest.raises(ConnectionResetError), socket.create_connection((ip, port), timeout=5) as sock:
            time.sleep(0.05)
            sock.sendall(b"GET / HTTP/1.0\r\n\r\n")
            sock.recv(10)


def test_redirect_loop(estate: Lab) -> None:
    ip = device(estate, "hostile-redirect-loop")["ip"]
    with (
        httpx.Client(follow_redirects=True, max_redirects=6, timeout=5) as client,
        pytest.raises(httpx.TooManyRedirects),
    ):
        client.get(f"http://{ip}/")
    response = httpx.get(f"http://{ip}/self", timeout=5)
    assert response.status_code == 301 and response.headers["location"] == "/self"


def test_redirect_outside_and_the_trap(estate: Lab) -> None:
    ip = device(estate, "hostile-redirect-outside")["ip"]
    response = httpx.get(f"http://{ip}/", timeout=5)
    assert response.status_code == 302
    assert response.headers["location"] == f"http://{estate.outside_host}/"
    assert estate.trap_hits == []  # not following a redirect never reaches the trap
    httpx.get(response.headers["location"], timeout=5)  # what a careless scanner would do
    assert wait_for(lambda: len(estate.trap_hits) == 1)
    assert estate.trap_hits[0]["path"] == "/"


def test_lab_is_still_healthy_after_the_abuse(estate: Lab) -> None:
    for profile in ("hikvision-camera", "axis-camera", "xiongmai-camera"):
        assert httpx.get(f"http://{device(estate, profile)['ip']}/", timeout=5).status_code == 200
    assert estate.requests  # everything above was recorded
