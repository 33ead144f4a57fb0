"""RTSP: CSeq echoed, challenges and Server headers as on the devices, DESCRIBE with Digest returns the SDP."""

from __future__ import annotations

import pytest

from camscan.lab import Lab

from .clients import digest_authorization, header, headers_all, parse_message, rtsp_exchange
from .support import device
from .test_http import nmap_matches


def describe(ip: str, port: int, path: str, cseq: int, authorization: str | None = None) -> bytes:
    extra = f"Authorization: {authorization}\r\n" if authorization else ""
    request = f"DESCRIBE rtsp://{ip}:{port}{path} RTSP/1.0\r\nCSeq: {cseq}\r\nAccept: application/sdp\r\n{extra}\r\n"
    return rtsp_exchange(ip, port, request)


@pytest.mark.parametrize(
    ("profile", "product"),
    [
        ("dahua-camera", "Dahua IP camera rtspd"),
        ("xiongmai-camera", "H264DVR rtspd"),
        ("hikvision-nvr", "Hikvision DVR rtspd"),
    ],
)
def test_nmap_signature_matches_rtsp(estate: Lab, profile: str, product: str) -> None:
    d = device(estate, profile)
    response = rtsp_exchange(d["ip"], 554, "OPTIONS / RTSP/1.0\r\n\r\n")  # nmap's RTSPRequest probe
    assert nmap_matches(product, response), response


@pytest.mark.parametrize(
    ("profile", "port", "path", "server", "realm"),
    [
        ("hikvision-camera", 554, "/Streaming/Channels/101", None, "Hikvision"),
        ("hikvision-nvr", 554, "/Streaming/Channels/101", None, "Hikvision"),
        ("rebadged-hikvision-camera", 554, "/Streaming/Channels/101", None, "Hikvision"),
        ("dahua-camera", 554, "/cam/realmonitor?channel=1&subtype=0", "Dahua Rtsp Server", None),
        (
            "rebadged-dahua-lorex",
            554,
            "/cam/realmonitor?channel=1&subtype=0",
            "Dahua Rtsp Server",
            "Login to",
        ),
        ("axis-camera", 554, "/axis-media/media.amp", "GStreamer RTSP server", "AXIS_"),
        ("hanwha-camera", 554, "/profile2/media.smp", None, "iPOLiS"),
        ("uniview-camera", 554, "/media/video1", None, ""),
        ("xiongmai-camera", 554, "/user=admin&password=&channel=1&stream=0.sdp", "H264DVR 1.0", "H264DVR"),
        ("generic-onvif-camera", 554, "/live/ch00_0", None, "RtspServer"),
    ],
)
def test_describe_challenge_then_sdp(  # noqa: PLR0917 (pytest parameters)
    estate: Lab, profile: str, port: int, path: str, server: str | None, realm: str | None
) -> None:
    d = device(estate, profile)
    status, headers, _ = parse_message(describe(d["ip"], port, path, 41))
    assert status == 401
    assert header(headers, "CSeq") == "41"
    assert header(headers, "Server") == server
    challenges = headers_all(headers, "WWW-Authenticate")
    digest = next((c for c in challenges if c.startswith("Digest")), None)
    if realm is None:  # this Dahua firmware offers Basic only (nmap's "Dahua IP camera rtspd" shape)
        assert challenges == ['Basic realm="device"']
        return
    assert digest is not None and f'realm="{realm}' in digest
    uri = f"rtsp://{d['ip']}:{port}{path}"
    user, password = d["credentials"]["username"], d["credentials"]["password"]
    authorization = digest_authorization("DESCRIBE", uri, user, password, digest)
    status, headers, body = parse_message(describe(d["ip"], port, path, 42, authorization))
    assert status == 200, body
    assert header(headers, "CSeq") == "42"
    assert header(headers, "Content-Type") == "application/sdp"
    assert body.startswith(b"v=0\r\n") and b"\r\nm=" in body
    assert int(header(headers, "Content-Length") or 0) == len(body)


def test_basic_auth_on_dahua(estate: Lab) -> None:
    import base64

    d = device(estate, "dahua-camera")
    token = base64.b64encode(f"admin:{d['credentials']['password']}".encode()).decode()
    status, _, body = parse_message(describe(d["ip"], 554, "/cam/realmonitor", 5, f"Basic {token}"))
    assert status == 200 and b"a=packetization-supported:DH" in body


def test_options_public_and_cseq(estate: Lab) -> None:
    d = device(estate, "axis-camera")
    status, headers, _ = parse_message(rtsp_exchange(d["ip"], 554, "OPTIONS * RTSP/1.0\r\nCSeq: 0\r\n\r\n"))
    assert status == 200
    names = [n for n, _ in headers]
    assert names[:4] == ["CSeq", "Public", "Server", "Date"]  # the order of the real camera's answer
    assert "RECORD" in (header(headers, "Public") or "")


def test_hanwha_answers_missing_cseq_with_zero(estate: Lab) -> None:
    d = device(estate, "hanwha-camera")
    status, headers, _ = parse_message(rtsp_exchange(d["ip"], 554, "OPTIONS / RTSP/1.0\r\n\r\n"))
    assert status == 401
    assert [n for n, _ in headers][:4] == ["CSeq", "Date", "Expires", "Cache-Control"]
    assert header(headers, "CSeq") == "0"


def test_vlc_is_open_and_not_a_camera(estate: Lab) -> None:
    d = device(estate, "vlc-rtsp-server")
    status, headers, body = parse_message(describe(d["ip"], 8554, "/", 3))
    assert status == 200 and header(headers, "Server") == "VLC/3.0.12"
    assert header(headers, "Cseq") == "3" and b"a=tool:vlc" in body


def test_lab_never_streams(estate: Lab) -> None:
    d = device(estate, "vlc-rtsp-server")
    setup = "SETUP rtsp://{ip}:8554/trackID=0 RTSP/1.0\r\nCSeq: 4\r\nTransport: RTP/AVP;unicast;client_port=5000-5001\r\n\r\n"
    status, _, _ = parse_message(rtsp_exchange(d["ip"], 8554, setup.format(ip=d["ip"])))
    assert status == 461
    writes = [r for r in estate.writes() if r["device"] == d["name"]]
    assert writes and writes[-1]["method"] == "SETUP"
