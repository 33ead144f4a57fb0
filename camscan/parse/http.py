"""HTTP/1.x requests and responses, sans-io: parse, decode bodies (chunked, gzip, deflate), and turn a response
into findings (`http_server`, `http_www_authenticate`, `html_title`, `http_body`, `http_path`).

Probes call `parse_http_response(bytes_read, method=...)`; the pcap reader frames reassembled streams with
`camscan.parse.framing.MessageReader` and converts each message with `response_from_message`. Both end in the
same `http_observations`.
"""

from __future__ import annotations

import html
import re
import zlib
from dataclasses import dataclass
from urllib.parse import urlsplit

from camscan.parse.base import Finding, ParseError, one_line, text
from camscan.parse.framing import MAX_BODY, MessageReader, RawMessage
from camscan.parse.message import Head
from camscan.parse.recorders import recorder_findings, redact

#: Characters of a body kept in `http_body` and in `http_path`'s body.
BODY_TEXT_LIMIT = 32 * 1024
TITLE_LIMIT = 256
#: `<title …>` … `</title>`: the first opening tag, its first `>`, and the first closing tag after it (what the
#: regex `<title[^>]*>(.*?)</title\s*>` matched), found in linear time: that regex rescanned the rest of the body
#: from every "<title" with no `>` after it (0.33 s on 32 KiB of "<title", quadratic). See `html_title`.
_TITLE_OPEN = re.compile(r"<title", re.IGNORECASE)
_TITLE_CLOSE = re.compile(r"</title\s*>", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_TEXT_TYPES = ("text/", "application/xml", "application/json", "application/javascript", "application/soap")
_TEXT_SUFFIXES = ("+xml", "+json")
_VERSION = re.compile(r"^(?:HTTP|RTSP)/\d\.\d$")


@dataclass(frozen=True, slots=True)
class HttpRequest:
    method: str
    target: str
    version: str
    head: Head
    body: bytes = b""

    @property
    def path(self) -> str:
        """The request target in origin form (path and query), also for absolute-form targets."""
        if self.target.startswith(("http://", "https://", "rtsp://", "rtsps://")):
            parts = urlsplit(self.target)
            return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        return self.target

    def header(self, name: str) -> str | None:
        return self.head.get(name)


@dataclass(frozen=True, slots=True)
class HttpResponse:
    """A response with its body decoded (de-chunked and decompressed), at most `max_body` bytes of it."""

    version: str
    status: int
    reason: str
    head: Head
    body: bytes = b""
    complete: bool = True
    body_truncated: bool = False

    def header(self, name: str) -> str | None:
        return self.head.get(name)

    @property
    def headers(self) -> dict[str, str]:
        return self.head.as_dict()

    @property
    def content_type(self) -> str:
        return (self.header("Content-Type") or "").split(";", 1)[0].strip().lower()


def request_from_message(message: RawMessage) -> HttpRequest:
    parts = message.head.start.split(" ")
    if len(parts) != 3 or not _VERSION.match(parts[2]):
        raise ParseError(f"bad request line {message.head.start[:60]!r}")
    return HttpRequest(parts[0], parts[1], parts[2], message.head, message.body)


def response_from_message(message: RawMessage, *, max_body: int = MAX_BODY) -> HttpResponse:
    """Build a response from a framed message: status line checked, body decompressed."""
    parts = message.head.start.split(" ", 2)
    if len(parts) < 2 or not _VERSION.match(parts[0]) or not parts[1].isdigit():
        raise ParseError(f"bad status line {message.head.start[:60]!r}")
    body, truncated = decode_body(message.body, message.head.get("Content-Encoding"), max_body)
    return HttpResponse(
        version=parts[0],
        status=int(parts[1]),
        reason=parts[2] if len(parts) > 2 else "",
        head=message.head,
        body=body,
        complete=message.complete,
        body_truncated=message.body_truncated or truncated,
    )


def decode_body(raw: bytes, encoding: str | None, max_body: int = MAX_BODY) -> tuple[bytes, bool]:
    """(decoded body, truncated) for a Content-Encoding of gzip, x-gzip, deflate or none.

    Output is capped at `max_body` bytes (a compression bomb costs nothing); a corrupt or cut-short stream yields
    what decompressed before the damage. Unsupported encodings (br, zstd) give an empty body.
    """
    codings = [c.strip().lower() for c in (encoding or "").split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if not codings:
        return raw[:max_body], len(raw) > max_body
    if len(codings) > 1 or codings[0] not in ("gzip", "x-gzip", "deflate"):
        return b"", True
    out, truncated = _inflate(raw, 47, max_body)  # 32 + 15: a gzip or zlib header, detected
    if not out and codings[0] == "deflate":
        out, truncated = _inflate(raw, -15, max_body)  # raw deflate, as some servers send it
    return out, truncated


def _inflate(raw: bytes, wbits: int, max_body: int) -> tuple[bytes, bool]:
    inflater = zlib.decompressobj(wbits)
    out = bytearray()
    for start in range(0, len(raw), 4096):
        piece = raw[start : start + 4096]
        saved = inflater.copy()
        try:
            out += inflater.decompress(piece, max_body - len(out))
        except zlib.error:
            # Damage in this piece: replay it in small steps to keep what decompressed before the damage.
            inflater = saved
            try:
                for i in range(0, len(piece), 16):
                    out += inflater.decompress(piece[i : i + 16], max_body - len(out))
            except zlib.error:
                pass
            return bytes(out[:max_body]), True
        if len(out) >= max_body:
            return bytes(out[:max_body]), True
        if inflater.eof:
            break
    return bytes(out), not inflater.eof


def _parse_one(data: bytes, *, responses: bool, method: str | None, max_body: int) -> RawMessage:
    reader = MessageReader(responses=responses, max_body=max_body)
    if method:
        reader.methods.append(method.upper())
    messages = reader.feed(data)
    if not messages:
        messages = reader.close()
    if not messages:
        raise ParseError(reader.error or "incomplete message head")
    return messages[0]


def parse_http_response(data: bytes, *, method: str | None = None, max_body: int = MAX_BODY) -> HttpResponse:
    """The first HTTP response in `data` (what a probe read until the peer closed or a limit was reached).

    `method` is the request's method (a reply to HEAD has no body). A body cut short by the data is returned as
    far as it goes with `complete=False`.
    """
    return response_from_message(
        _parse_one(data, responses=True, method=method, max_body=max_body), max_body=max_body
    )


def parse_http_request(data: bytes) -> HttpRequest:
    """The first HTTP request in `data`."""
    return request_from_message(_parse_one(data, responses=False, method=None, max_body=64 * 1024))


def textual_type(content_type: str | None) -> bool:
    """Whether a Content-Type names text worth matching (markup, scripts, XML, JSON); no type counts as text."""
    ctype = (content_type or "").split(";", 1)[0].strip().lower()
    return not ctype or ctype.startswith(_TEXT_TYPES) or ctype.endswith(_TEXT_SUFFIXES)


def textual_head(head: Head) -> bool:
    """`MessageReader(keep_body=textual_head)`: keep only bodies that can be matched as text."""
    return textual_type(head.get("Content-Type"))


def is_textual(response: HttpResponse) -> bool:
    """Whether the body is text worth matching (markup, scripts, XML, JSON, plain text), not media."""
    return textual_type(response.content_type) and b"\x00" not in response.body[:1024]


def body_text(response: HttpResponse, limit: int = BODY_TEXT_LIMIT) -> str:
    """The body as text for matching ('' for media or binary bodies), at most `limit` characters."""
    if not response.body or not is_textual(response):
        return ""
    return text(response.body, limit)


def html_title(body: str) -> str | None:
    """The text of the first <title> element, entities decoded and white space collapsed; None when absent
    or empty."""
    opening = _TITLE_OPEN.search(body)
    if not opening:
        return None
    # the first `>` after the first "<title": had it none, or no closing tag after it, no later "<title" would
    # have one either (each later tag's `>` and closing tag lie after this one's)
    end = body.find(">", opening.end())
    closing = _TITLE_CLOSE.search(body, end + 1) if end >= 0 else None
    if closing is None:
        return None
    title = _SPACE.sub(" ", html.unescape(body[end + 1 : closing.start()])).strip()
    return title[:TITLE_LIMIT] or None


def http_observations(path: str | None, response: HttpResponse) -> list[Finding]:
    """Findings from one response. `path` is the request target that was answered (None when unknown, e.g.
    in a capture that missed the request): only then is `http_path` left out."""
    findings: list[Finding] = []
    for value in response.head.get_all("Server"):
        if one_line(value):
            findings.append(("http_server", one_line(value)))
    for value in response.head.get_all("WWW-Authenticate"):
        if one_line(value):
            findings.append(("http_www_authenticate", one_line(value)))
    body = redact(path, body_text(response))
    if body:
        title = html_title(body)
        if title:
            findings.append(("html_title", title))
        findings.append(("http_body", body))
    if path is not None:
        headers = response.headers
        for name in [k for k in headers if k.lower() == "set-cookie"]:
            headers[name] = mask_cookies(headers[name])
        findings.append(
            ("http_path", {"path": path, "status": response.status, "headers": headers, "body": body})
        )
        # a recorder's channel list (issue 14): the cameras behind it, from the whole answer
        findings += recorder_findings(path, response.status, response.body)
    return findings


def mask_cookies(value: str) -> str:
    """Set-Cookie with the cookie values masked (`sid=***; path=/`): names and attributes identify a web
    server; session values are secrets that have no place in an inventory."""
    out = []
    for cookie in value.split(", "):
        parts = cookie.split(";")
        name, sep, _secret = parts[0].partition("=")
        out.append(";".join([f"{name}{sep}***" if sep else parts[0], *parts[1:]]))
    return ", ".join(out)
