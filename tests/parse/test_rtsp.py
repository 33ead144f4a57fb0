"""RTSP responses and SDP, from byte fixtures (responses of a real Axis camera, Kane610/axis test data)."""

from __future__ import annotations

import pytest

from camscan.parse import ParseError
from camscan.parse.rtsp import parse_rtsp_response, rtsp_observations, rtsp_reader, rtsp_response_from_message

UNAUTHORIZED = (
    b"RTSP/1.0 401 Unauthorized\r\nCSeq: 1\r\n"
    b'WWW-Authenticate: Digest realm="AXIS_ACCC8E012345", nonce="0000eb57Y1462133062b37999f0cd530f02755fa37b8df1", '
    b"stale=FALSE\r\nServer: GStreamer RTSP server\r\nDate: Sat, 12 Dec 2020 10:44:25 GMT\r\n\r\n"
)
SDP = b"v=0\r\no=- 1 1 IN IP4 host\r\ns=Session streamed with GStreamer\r\na=tool:GStreamer\r\n"
DESCRIBE = (
    b"RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Type: application/sdp\r\nServer: GStreamer RTSP server\r\n"
    + f"Content-Length: {len(SDP)}\r\n\r\n".encode()
    + SDP
)


def test_unauthorized() -> None:
    findings = rtsp_observations(parse_rtsp_response(UNAUTHORIZED))
    assert ("rtsp_server", "GStreamer RTSP server") in findings
    assert any(k == "rtsp_www_authenticate" and "AXIS_ACCC8E012345" in v for k, v in findings)


def test_describe_sdp() -> None:
    findings = dict(rtsp_observations(parse_rtsp_response(DESCRIBE)))
    assert findings["sdp"] == SDP.decode()


def test_no_content_length_means_no_body() -> None:
    reader = rtsp_reader()
    messages = reader.feed(UNAUTHORIZED + DESCRIBE)
    assert len(messages) == 2 and messages[0].body == b""


def test_interleaved_frames_are_skipped() -> None:
    reader = rtsp_reader()
    messages = reader.feed(b"$\x00\x00\x05abcde" + DESCRIBE + b"$\x01\x00\x02xy")
    assert [rtsp_response_from_message(m).status for m in messages] == [200] and reader.in_interleaved


def test_http_is_not_rtsp() -> None:
    with pytest.raises(ParseError):
        parse_rtsp_response(b"HTTP/1.1 200 OK\r\n\r\n")
