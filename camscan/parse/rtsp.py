"""RTSP/1.0 responses, sans-io: `rtsp_server`, `rtsp_www_authenticate` and the DESCRIBE body (`sdp`).

RTSP has HTTP/1.1's shape, so framing is `MessageReader(protocol=b"RTSP/", close_delimited=False,
interleaved=True)`: a response without Content-Length has no body, and `$`-framed RTP between messages is skipped.
"""

from __future__ import annotations

from camscan.parse.base import Finding, ParseError, one_line, text
from camscan.parse.framing import MessageReader, RawMessage
from camscan.parse.http import HttpResponse, response_from_message

SDP_LIMIT = 16 * 1024
MAX_RTSP_BODY = 64 * 1024


def rtsp_reader(*, responses: bool = True) -> MessageReader:
    """A framer for one direction of an RTSP connection."""
    return MessageReader(
        responses=responses,
        protocol=b"RTSP/",
        max_body=MAX_RTSP_BODY,
        close_delimited=False,
        interleaved=True,
    )


def rtsp_response_from_message(message: RawMessage) -> HttpResponse:
    response = response_from_message(message, max_body=MAX_RTSP_BODY)
    if not response.version.startswith("RTSP/"):
        raise ParseError("not an RTSP response")
    return response


def parse_rtsp_response(data: bytes) -> HttpResponse:
    """The first RTSP response in `data`; its body is the SDP of a DESCRIBE reply."""
    reader = rtsp_reader()
    messages = reader.feed(data) or reader.close()
    if not messages:
        raise ParseError(reader.error or "incomplete RTSP response")
    return rtsp_response_from_message(messages[0])


def is_sdp(response: HttpResponse) -> bool:
    return response.content_type == "application/sdp" or response.body.lstrip()[:2] == b"v="


def rtsp_observations(response: HttpResponse) -> list[Finding]:
    findings: list[Finding] = []
    for value in response.head.get_all("Server"):
        if one_line(value):
            findings.append(("rtsp_server", one_line(value)))
    for value in response.head.get_all("WWW-Authenticate"):
        if one_line(value):
            findings.append(("rtsp_www_authenticate", one_line(value)))
    if response.body and is_sdp(response):
        sdp = text(response.body, SDP_LIMIT)
        if sdp.strip():
            findings.append(("sdp", sdp))
    return findings
