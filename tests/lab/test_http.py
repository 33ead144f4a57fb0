"""The web servers answer as the real devices do: headers, titles, realms, vendor endpoints, TLS subjects."""

from __future__ import annotations

import json
import re
import socket
import ssl
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
from lxml import etree

from camscan.lab import Lab

from .support import device

NMAP_PROBES = Path("/usr/share/nmap/nmap-service-probes")


def get(url: str, **kwargs: Any) -> httpx.Response:
    return httpx.get(url, timeout=5, **kwargs)


def title(text: str) -> str | None:
    match = re.search(r"<title>(.*?)</title>", text, re.S | re.I)
    return match.group(1).strip() if match else None


def raw_request(ip: str, port: int, request: bytes) -> bytes:
    with socket.create_connection((ip, port), timeout=5) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
            if len(data) > 200_000:
                break
    return data


def nmap_matches(product: str, response: bytes) -> bool:
    """Whether one of nmap's own match lines for `product` accepts the response (an independent judge)."""
    if not NMAP_PROBES.exists():
        pytest.skip("nmap-service-probes is not installed")
    patterns = []
    for line in NMAP_PROBES.read_text(encoding="latin-1").splitlines():
        if line.startswith("match ") and f" p/{product}/" in line:
            body = line.split(" ", 2)[2]
            delimiter = body[1]
            pattern, _, rest = body[2:].partition(delimiter)
            patterns.append(re.compile(pattern.encode("latin-1"), re.S if rest.startswith("s") else 0))
    if not patterns:
        pytest.skip(f"no nmap match line for {product}")
    return any(p.search(response) for p in patterns)


@pytest.mark.parametrize(
    ("profile", "product"),
    [
        ("hikvision-camera", "Hikvision IP camera httpd"),
        ("hikvision-nvr", "Hikvision Network Video Recorder http admin"),
        ("rebadged-hikvision-camera", "Hikvision IP camera httpd"),
        ("dahua-camera", "Dahua webcam httpd"),
    ],
)
def test_nmap_signature_matches_http(estate: Lab, profile: str, product: str) -> None:
    ip = device(estate, profile)["ip"]
    response = raw_request(ip, 80, b"GET / HTTP/1.0\r\n\r\n")  # nmap's GetRequest probe
    assert nmap_matches(product, response), response[:300]


@pytest.mark.parametrize(
    ("profile", "server", "page_title"),
    [
        ("hikvision-camera", "App-webs/", ""),
        ("hikvision-nvr", "DNVRS-Webs", ""),
        ("dahua-camera", None, "WEB SERVICE"),
        ("rebadged-dahua-lorex", None, "web service"),
        ("xiongmai-camera", None, "NETSurveillance WEB"),
        ("axis-camera", None, "AXIS"),
        ("linux-web-server", "nginx/1.22.1", "Welcome to nginx!"),
        ("router", None, "RouterOS router configuration page"),
    ],
)
def test_front_page(estate: Lab, profile: str, server: str | None, page_title: str) -> None:
    response = get(f"http://{device(estate, profile)['ip']}/")
    assert response.status_code == 200
    assert response.headers.get("server") == server
    assert title(response.text) == page_title


def test_xiongmai_speaks_http10_without_length(estate: Lab) -> None:
    raw = raw_request(device(estate, "xiongmai-camera")["ip"], 80, b"OPTIONS / HTTP/1.0\r\n\r\n")
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert head == b"HTTP/1.0 200 OK\r\nContent-type: text/html\r\nExpires: 0"
    assert b"<title>NETSurveillance WEB</title>" in raw


def test_xiongmai_onvif_port_ignores_plain_get(estate: Lab) -> None:
    assert raw_request(device(estate, "xiongmai-camera")["ip"], 8899, b"GET / HTTP/1.0\r\n\r\n") == b""


def test_hikvision_isapi_needs_digest(estate: Lab) -> None:
    d = device(estate, "hikvision-camera")
    url = f"http://{d['ip']}/ISAPI/System/deviceInfo"
    denied = get(url)
    assert denied.status_code == 401
    assert denied.headers["www-authenticate"].startswith("Digest realm=")
    assert 'qop="auth"' in denied.headers["www-authenticate"]
    assert "<statusString>Unauthorized</statusString>" in denied.text
    assert get(url, auth=httpx.DigestAuth("admin", "wrong")).status_code == 401
    ok = get(url, auth=httpx.DigestAuth(d["credentials"]["username"], d["credentials"]["password"]))
    assert ok.status_code == 200
    info = etree.fromstring(ok.content)
    ns = {"h": "http://www.hikvision.com/ver20/XMLSchema"}
    assert info.findtext("h:model", namespaces=ns) == d["truth"]["model"]
    assert info.findtext("h:serialNumber", namespaces=ns) == d["truth"]["serial"]
    assert info.findtext("h:firmwareVersion", namespaces=ns) == d["truth"]["firmware"]
    assert info.findtext("h:macAddress", namespaces=ns) == d["mac"]


@pytest.mark.parametrize("profile", ["hikvision-camera", "rebadged-hikvision-camera"])
def test_hikvision_open_endpoints(estate: Lab, profile: str) -> None:
    d = device(estate, profile)
    assert get(f"http://{d['ip']}/SDK/webLanguage").status_code == 200
    login = get(f"http://{d['ip']}/doc/page/login.asp")
    assert login.status_code == 200
    marker = "Hikvision Digital Technology" if profile == "hikvision-camera" else "Northwind"
    assert marker in login.text
    missing = get(f"http://{d['ip']}/no/such/page")
    assert missing.status_code == 404 and "Document Error" in missing.text


def test_dahua_rpc2_login_challenge(estate: Lab) -> None:
    d = device(estate, "dahua-camera")
    request = {"method": "global.login", "params": {"userName": "admin", "password": "", "clientType": "Web3.0"},
               "id": 10000}  # fmt: skip
    response = httpx.post(f"http://{d['ip']}/RPC2_Login", json=request, timeout=5)
    body = response.json()
    assert body["error"]["code"] == 268632079
    assert body["params"]["realm"] == f"Login to {d['truth']['serial']}"
    assert body["id"] == 10000
    assert response.headers["connection"] == "close"


@pytest.mark.parametrize("profile", ["dahua-camera", "rebadged-dahua-lorex"])
def test_dahua_magicbox_with_digest(estate: Lab, profile: str) -> None:
    d = device(estate, profile)
    url = f"http://{d['ip']}/cgi-bin/magicBox.cgi?action=getSystemInfo"
    denied = get(url)
    assert denied.status_code == 401
    assert f'realm="Login to {d["truth"]["serial"]}"' in denied.headers["www-authenticate"]
    auth = httpx.DigestAuth(d["credentials"]["username"], d["credentials"]["password"])
    lines = dict(line.split("=", 1) for line in get(url, auth=auth).text.split())
    assert lines["serialNumber"] == d["truth"]["serial"]
    assert lines["deviceType"] == d["truth"]["model"]
    version = get(f"http://{d['ip']}/cgi-bin/magicBox.cgi?action=getSoftwareVersion", auth=auth).text
    assert version.startswith(f"version={d['truth']['firmware']},build:")


def test_lorex_web_page_names_lorex(estate: Lab) -> None:
    assert "lorex" in get(f"http://{device(estate, 'rebadged-dahua-lorex')['ip']}/").text.lower()


def test_axis_vapix(estate: Lab) -> None:
    d = device(estate, "axis-camera")
    serial = d["truth"]["serial"]
    url = f"http://{d['ip']}/axis-cgi/param.cgi?action=list&group=Brand,Properties"
    denied = get(url)
    assert denied.status_code == 401
    assert f'realm="AXIS_{serial}"' in denied.headers["www-authenticate"]
    text = get(url, auth=httpx.DigestAuth("root", d["credentials"]["password"])).text
    params = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
    assert params["root.Brand.ProdNbr"] == "M1065-LW"
    assert params["root.Properties.Firmware.Version"] == "9.10.1"
    assert params["root.Properties.System.SerialNumber"] == serial
    info = httpx.post(f"http://{d['ip']}/axis-cgi/basicdeviceinfo.cgi",
                      json={"apiVersion": "1.0", "method": "getAllUnrestrictedProperties"}, timeout=5)  # fmt: skip
    assert info.json()["data"]["propertyList"]["SerialNumber"] == serial
    viewer = get(f"http://{d['ip']}/view/viewer_index.shtml")
    assert "live view  - axis" in viewer.text.lower()


def test_hanwha_and_uniview_apis(estate: Lab) -> None:
    hanwha = device(estate, "hanwha-camera")
    url = f"http://{hanwha['ip']}/stw-cgi/system.cgi?msubmenu=deviceinfo&action=view"
    assert get(url).status_code == 401
    text = get(url, auth=httpx.DigestAuth("admin", hanwha["credentials"]["password"])).text
    assert f"Model={hanwha['truth']['model']}" in text
    uniview = device(estate, "uniview-camera")
    url = f"http://{uniview['ip']}/LAPI/V1.0/System/DeviceBasicInfo"
    assert get(url).status_code == 401
    data = get(url, auth=httpx.DigestAuth("admin", uniview["credentials"]["password"])).json()
    assert data["Response"]["Data"]["DeviceModel"] == uniview["truth"]["model"]


def test_dlink_hnap_and_realm(estate: Lab) -> None:
    d = device(estate, "dlink-dcs-camera")
    root = get(f"http://{d['ip']}/")
    assert root.status_code == 401 and root.headers["www-authenticate"] == 'Basic realm="DCS-935L"'
    settings = etree.fromstring(get(f"http://{d['ip']}/HNAP1/").content)
    ns = {"h": "http://purenetworks.com/HNAP1/"}
    assert settings.findtext(".//h:ModelName", namespaces=ns) == "DCS-935L"
    assert settings.findtext(".//h:FirmwareVersion", namespaces=ns) == "1.06"
    assert settings.findtext(".//h:VendorName", namespaces=ns) == "D-Link"
    login = httpx.post(f"http://{d['ip']}/HNAP1/", headers={"SOAPAction": '"http://purenetworks.com/HNAP1/Login"'},
                       content=b"<x/>", timeout=5)  # fmt: skip
    assert b"<Challenge>" in login.content


def test_generic_camera_realm(estate: Lab) -> None:
    response = get(f"http://{device(estate, 'generic-onvif-camera')['ip']}/")
    assert response.headers["www-authenticate"] == 'Basic realm="IPCamera Login"'


def test_keep_alive_and_head(estate: Lab) -> None:
    ip = device(estate, "hikvision-camera")["ip"]
    with httpx.Client(timeout=5) as client:
        first = client.get(f"http://{ip}/")
        second = client.head(f"http://{ip}/")
    assert first.status_code == second.status_code == 200
    assert second.content == b"" and second.headers["content-length"] == first.headers["content-length"]


def _subject(ip: str, port: int) -> str:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with socket.create_connection((ip, port), timeout=5) as sock, context.wrap_socket(sock) as tls:
        der = tls.getpeercert(binary_form=True)
    assert der is not None
    pem = ssl.DER_cert_to_PEM_cert(der)
    out = subprocess.run(
        ["openssl", "x509", "-noout", "-subject", "-issuer", "-nameopt", "RFC2253"],
        input=pem, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return out.stdout


@pytest.mark.parametrize(
    ("profile", "port", "expected"),
    [
        ("hikvision-camera", 443, "CN=www.hikvision.com,OU=DVRNVR,O=HIKVISION,L=HangZhou,ST=ZheJiang,C=CN"),
        ("axis-camera", 443, "CN=axis-{mac},O=Axis Communications AB"),
        ("nas", 5001, "CN=synology,O=Synology Inc.,L=Taipei,C=TW"),
    ],
)
def test_tls_subject_is_the_vendors(estate: Lab, profile: str, port: int, expected: str) -> None:
    d = device(estate, profile)
    subject = expected.format(mac=d["mac"].replace(":", ""))
    out = _subject(d["ip"], port)
    assert f"subject={subject}" in out
    assert f"issuer={subject}" in out  # self-signed, as on the devices


def test_https_serves_the_same_site(estate: Lab) -> None:
    d = device(estate, "hikvision-camera")
    with httpx.Client(verify=False, timeout=5) as client:
        response = client.get(f"https://{d['ip']}/SDK/webLanguage")
    assert response.status_code == 200 and response.headers["server"] == "App-webs/"
    records = [r for r in estate.requests_for(d["name"]) if r["protocol"] == "https"]
    assert records and records[-1]["path"] == "/SDK/webLanguage"


def test_printer_header_names_the_model(estate: Lab) -> None:
    response = get(f"http://{device(estate, 'printer')['ip']}/hp/device/start")
    assert response.headers["server"].startswith("HP HTTP Server; HP LaserJet Pro M404dn")
    assert json.dumps(device(estate, "printer")["truth"]["is_camera"]) == "false"
