"""HTTP framing, body decoding and findings, from byte fixtures."""

from __future__ import annotations

import gzip
import zlib

import pytest

from camscan.parse import ParseError
from camscan.parse.framing import MessageReader
from camscan.parse.http import (
    body_text,
    decode_body,
    html_title,
    http_observations,
    mask_cookies,
    parse_http_request,
    parse_http_response,
    textual_head,
)

PAGE = b"<html><head><title> Network &amp; Camera\n Login </title></head><body>hello</body></html>"


def response(headers: str, body: bytes = b"") -> bytes:
    return b"HTTP/1.1 200 OK\r\n" + headers.replace("\n", "\r\n").encode() + b"\r\n" + body


def test_content_length_body() -> None:
    r = parse_http_response(response(f"Server: App-webs/\nContent-Length: {len(PAGE)}\n", PAGE + b"NEXT"))
    assert r.status == 200 and r.reason == "OK" and r.version == "HTTP/1.1"
    assert r.body == PAGE and r.complete and not r.body_truncated
    assert r.header("server") == "App-webs/"


def test_chunked_with_extensions_and_trailers() -> None:
    body = b"5;name=x\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: 1\r\n\r\n"
    r = parse_http_response(response("Transfer-Encoding: chunked\n", body))
    assert r.body == b"hello world" and r.complete


def test_gzip_and_deflate_bodies() -> None:
    r = parse_http_response(response("Content-Encoding: gzip\n", gzip.compress(PAGE)))
    assert r.body == PAGE
    raw = zlib.compressobj(9, zlib.DEFLATED, -15)
    deflated = raw.compress(PAGE) + raw.flush()
    assert decode_body(deflated, "deflate")[0] == PAGE  # raw deflate, as some servers send it
    assert decode_body(zlib.compress(PAGE), "deflate")[0] == PAGE  # zlib-wrapped, as the RFC says


def test_gzip_bomb_is_capped() -> None:
    bomb = gzip.compress(b"A" * 50_000_000)
    body, truncated = decode_body(bomb, "gzip", max_body=1000)
    assert len(body) == 1000 and truncated


def test_corrupt_gzip_keeps_what_decompressed() -> None:
    page = b"".join(f"<p>line {i} {i * 7919 % 10007}</p>".encode() for i in range(3000))
    data = gzip.compress(page)
    body, truncated = decode_body(data[: len(data) // 2] + b"\x00garbage" * 10, "gzip")
    assert truncated and len(body) > len(page) // 3 and body[:20000] == page[:20000]


def test_unsupported_encoding_gives_no_body() -> None:
    assert decode_body(b"\x8b\x00", "br") == (b"", True)


def test_head_and_no_body_statuses() -> None:
    r = parse_http_response(response("Content-Length: 1234\n"), method="HEAD")
    assert r.body == b"" and r.complete
    r = parse_http_response(b"HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n")
    assert r.complete and r.body == b""


def test_close_delimited_and_cut_short() -> None:
    r = parse_http_response(response("", PAGE))
    assert r.body == PAGE and r.complete  # the body ends with the connection
    r = parse_http_response(response("Content-Length: 1000\n", PAGE))
    assert r.body == PAGE and not r.complete and r.body_truncated


def test_bare_lf_and_folded_headers() -> None:
    r = parse_http_response(b'HTTP/1.0 401 Unauthorized\nWWW-Authenticate: Basic\n realm="cam"\n\n')
    assert r.status == 401 and r.header("WWW-Authenticate") == 'Basic realm="cam"'


@pytest.mark.parametrize(
    "data",
    [b"", b"HTTP/1.1 200 OK\r\n", b"GET / HTTP/1.1\r\n\r\n", b"HTTP/1.1 abc OK\r\n\r\n", b"\x16\x03\x01\x00"],
)
def test_not_a_response(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_http_response(data)


def test_request() -> None:
    req = parse_http_request(
        b"GET http://user:pw@cam/ISAPI/System/deviceInfo?x=1 HTTP/1.1\r\nHost: cam\r\n\r\n"
    )
    assert req.method == "GET" and req.path == "/ISAPI/System/deviceInfo?x=1"


def test_reader_byte_by_byte_keep_alive() -> None:
    """Two pipelined responses fed one byte at a time give the same messages as one feed."""
    stream = response(f"Content-Length: {len(PAGE)}\n", PAGE) + response(
        "Transfer-Encoding: chunked\n", b"3\r\nabc\r\n0\r\n\r\n"
    )
    reader = MessageReader(responses=True)
    messages = []
    for i in range(len(stream)):
        messages += reader.feed(stream[i : i + 1])
    assert [m.body for m in messages] == [PAGE, b"abc"] and reader.error is None and reader.idle


def test_reader_body_cap_counts_the_rest() -> None:
    reader = MessageReader(responses=True, max_body=10)
    [message] = reader.feed(response("Content-Length: 100000\n", b"x" * 100000))
    assert message.body == b"x" * 10 and message.body_truncated and message.body_size == 100000


def test_reader_keeps_only_wanted_bodies() -> None:
    reader = MessageReader(responses=True, keep_body=textual_head)
    jpeg = response("Content-Type: image/jpeg\nContent-Length: 5\n", b"\xff\xd8\xff\xe0\x00")
    page = response(f"Content-Type: text/html\nContent-Length: {len(PAGE)}\n", PAGE)
    first, second = reader.feed(jpeg + page)
    assert (first.body, first.body_size) == (b"", 5) and second.body == PAGE


def test_reader_stops_on_garbage() -> None:
    reader = MessageReader(responses=True)
    assert reader.feed(b"SSH-2.0-dropbear\r\n") == [] and reader.error
    assert reader.feed(response("Content-Length: 0\n")) == []


def test_request_reader_skips_bodies() -> None:
    reader = MessageReader(responses=False, max_body=0)
    msgs = reader.feed(b"POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET /b HTTP/1.1\r\n\r\n")
    assert [m.head.start for m in msgs] == ["POST /a HTTP/1.1", "GET /b HTTP/1.1"] and msgs[0].body == b""


def test_findings() -> None:
    r = parse_http_response(
        response(
            'Server: App-webs/\nWWW-Authenticate: Digest realm="x"\nContent-Type: text/html\n'
            f"Set-Cookie: a=b\nContent-Length: {len(PAGE)}\n",
            PAGE,
        )
    )
    findings = dict(http_observations("/doc/page/login.asp", r))
    assert findings["http_server"] == "App-webs/"
    assert findings["http_www_authenticate"] == 'Digest realm="x"'
    assert findings["html_title"] == "Network & Camera Login"
    assert findings["http_body"] == PAGE.decode()
    path = findings["http_path"]
    assert (
        path["path"] == "/doc/page/login.asp"
        and path["status"] == 200
        and path["headers"]["Server"] == "App-webs/"
    )
    assert path["headers"]["Set-Cookie"] == "a=***"
    assert "http_path" not in dict(http_observations(None, r))


def test_binary_bodies_are_not_text() -> None:
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(100)
    r = parse_http_response(response(f"Content-Type: image/jpeg\nContent-Length: {len(jpeg)}\n", jpeg))
    assert body_text(r) == "" and "http_body" not in dict(http_observations("/snap.jpg", r))


def test_cookie_values_are_masked() -> None:
    assert mask_cookies("DHLangCookie=English; path=/, sid=abc123; HttpOnly") == (
        "DHLangCookie=***; path=/, sid=***; HttpOnly"
    )


def test_title_edge_cases() -> None:
    assert html_title("<TITLE></TITLE>") is None
    assert html_title("<title lang=en>a\tb</title >") == "a b"
    assert html_title("no title") is None
