"""The lab's sans-io pieces against published test vectors and malformed input."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from camscan.lab.auth import (
    UsernameToken,
    check_digest,
    parse_auth_params,
    verify_username_token,
    wsse_digest,
)
from camscan.lab.httpmsg import ParseError, merge_headers, parse_head
from camscan.lab.records import RequestRecord, is_read_only
from camscan.lab.wire import parse_dhip, parse_dvrip, parse_sadp_probe, parse_wsd_probe, sofia_hash

from .clients import dhdiscover_request, dvrip, sadp_probe, wsd_probe


def test_rfc2617_digest_vector() -> None:
    header = (
        'Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", '
        'uri="/dir/index.html", qop=auth, nc=00000001, cnonce="0a4f113b", '
        'response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41"'
    )
    assert check_digest(header, "GET", "Mufasa", "Circle Of Life", "testrealm@host.com")
    assert not check_digest(header, "GET", "Mufasa", "Circle Of Life", "otherrealm")
    assert not check_digest(header, "POST", "Mufasa", "Circle Of Life", "testrealm@host.com")
    assert parse_auth_params('realm="a, b", nonce=x')["realm"] == "a, b"


def test_onvif_programmers_guide_wsse_vector() -> None:
    nonce = base64.b64decode("LKqI6G/AikKCQrN0zqZFlg==")
    assert wsse_digest(nonce, "2010-09-16T07:50:45Z", "userpassword") == "tuOSpGlFlIXsozq4HFNeeGeFLEI="


def test_username_token_checks_the_device_clock() -> None:
    token = UsernameToken(
        "admin", "tuOSpGlFlIXsozq4HFNeeGeFLEI=", "…#PasswordDigest", "LKqI6G/AikKCQrN0zqZFlg==",
        "2010-09-16T07:50:45Z",
    )  # fmt: skip
    then = datetime(2010, 9, 16, 7, 52, tzinfo=UTC)
    assert verify_username_token(token, ("admin", "userpassword"), then, 300) is None
    assert "clock" in (verify_username_token(token, ("admin", "userpassword"), datetime.now(UTC), 300) or "")
    assert verify_username_token(token, ("admin", "other"), then, 300) == "wrong password digest"


@pytest.mark.parametrize(
    "head",
    [
        b"",
        b"GET /\r\n\r\n",
        b"GET / HTTP/1.1\r\nno colon\r\n\r\n",
        b"G\xe9T / HTTP/1.1\r\n\r\n",
        b" / HTTP/1.1\r\n\r\n",
    ],
)
def test_malformed_heads_are_refused(head: bytes) -> None:
    with pytest.raises(ParseError):
        parse_head(head)


def test_head_parsing() -> None:
    request = parse_head(b"DESCRIBE rtsp://h/a?b=1 RTSP/1.0\r\nCSeq: 3\r\n\r\n", ("RTSP/",))
    assert (request.method, request.path, request.header("cseq")) == ("DESCRIBE", "/a", "3")
    assert parse_head(b"GET /x?b=2&a=1 HTTP/1.0\n\n").query == (("a", "1"), ("b", "2"))


def test_merge_headers_replaces_in_place_and_removes() -> None:
    merged = merge_headers((("Date", "d"), ("Server", "s")), (("server", "t"), ("Date", None), ("X", "y")))
    assert merged == [("server", "t"), ("X", "y")]


def test_discovery_parsers() -> None:
    message_id, probe = wsd_probe()
    parsed = parse_wsd_probe(probe)
    assert parsed is not None and parsed.action == "Probe" and parsed.message_id == message_id
    assert parsed.types == ("NetworkVideoTransmitter",)
    assert parse_wsd_probe(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>') is None
    assert parse_wsd_probe(b"\x00\xff") is None
    probe_uuid, sadp = sadp_probe()
    sadp_parsed = parse_sadp_probe(sadp)
    assert sadp_parsed is not None and (sadp_parsed.uuid, sadp_parsed.types) == (probe_uuid, "inquiry")
    assert (parse_dhip(dhdiscover_request()) or {})["method"] == "DHDiscover.search"
    frame = parse_dvrip(dvrip(1000, b'{"UserName": "admin"}'))
    assert frame is not None and frame.message_id == 1000 and frame.json() == {"UserName": "admin"}
    assert sofia_hash("") == "tlJwpbo6"


def test_read_only_classification() -> None:
    def rec(protocol: str, method: str, path: str = "", action: str = "") -> RequestRecord:
        return RequestRecord("d", "127.0.0.1", protocol, 80, method, path, action)

    assert is_read_only(rec("http", "GET", "/ISAPI/System/deviceInfo"))
    assert not is_read_only(rec("http", "PUT", "/ISAPI/System/deviceInfo"))
    assert is_read_only(rec("http", "POST", "/onvif/device_service", "GetDeviceInformation"))
    assert not is_read_only(rec("http", "POST", "/onvif/device_service", "SetSystemDateAndTime"))
    assert not is_read_only(rec("http", "POST", "/onvif/device_service", "SystemReboot"))
    assert is_read_only(rec("http", "POST", "/HNAP1/", "GetDeviceSettings"))
    assert not is_read_only(rec("http", "POST", "/HNAP1/", "SetDeviceSettings"))
    assert not is_read_only(rec("rtsp", "PLAY"))
    assert is_read_only(rec("sadp", "DATAGRAM", action="inquiry"))
    assert not is_read_only(rec("sadp", "DATAGRAM", action="update"))
    assert not is_read_only(rec("dvrip", "MESSAGE", action="1040"))
