"""Sans-io HTTP/RTSP message handling for the lab's servers: parse a request head, build a response.

RTSP/1.0 has HTTP/1.1's shape, so both servers share this. Nothing here touches a socket; the servers feed it
bytes they read with limits, and write the bytes it returns.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from http import HTTPStatus
from urllib.parse import parse_qsl, unquote, urlsplit

MAX_HEAD = 64 * 1024
MAX_HEADERS = 100
MAX_BODY = 1024 * 1024

RTSP_REASONS = {
    451: "Parameter Not Understood",
    454: "Session Not Found",
    455: "Method Not Valid in This State",
    457: "Invalid Range",
    459: "Aggregate Operation Not Allowed",
    461: "Unsupported Transport",
}


class ParseError(ValueError):
    """The peer sent something that is not a request we can answer."""


@dataclass(slots=True)
class Request:
    """A parsed HTTP or RTSP request."""

    method: str
    target: str
    version: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        for key, value in self.headers:
            if key.lower() == lowered:
                return value
        return None

    @property
    def path(self) -> str:
        """The path without query; for RTSP's absolute URLs, the URL's path."""
        parts = urlsplit(self.target)
        return unquote(parts.path) or "/"

    @property
    def query(self) -> tuple[tuple[str, str], ...]:
        return tuple(sorted(parse_qsl(urlsplit(self.target).query, keep_blank_values=True)))

    @property
    def content_length(self) -> int:
        raw = self.header("Content-Length")
        if raw is None:
            return 0
        try:
            length = int(raw.strip())
        except ValueError as exc:
            raise ParseError(f"bad Content-Length {raw!r}") from exc
        if length < 0 or length > MAX_BODY:
            raise ParseError(f"Content-Length out of range: {length}")
        return length


def parse_head(head: bytes, protocols: tuple[str, ...] = ("HTTP/",)) -> Request:
    """Parse a request line and headers (the bytes up to and including the blank line)."""
    text = head.decode("latin-1")
    lines = text.replace("\r\n", "\n").split("\n")
    while lines and lines[-1] == "":
        lines.pop()
    if not lines:
        raise ParseError("empty request")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith(protocols):
        raise ParseError(f"bad request line {lines[0][:80]!r}")
    method, target, version = parts
    if not method.isascii() or not method.replace("_", "").isalpha():
        raise ParseError(f"bad method {method[:20]!r}")
    headers: list[tuple[str, str]] = []
    for line in lines[1 : MAX_HEADERS + 1]:
        name, sep, value = line.partition(":")
        if not sep or not name or name != name.strip():
            raise ParseError(f"bad header line {line[:80]!r}")
        headers.append((name, value.strip()))
    if len(lines) > MAX_HEADERS + 1:
        raise ParseError("too many headers")
    return Request(method=method.upper(), target=target, version=version, headers=headers)


async def read_head(reader: asyncio.StreamReader, limit: int = MAX_HEAD) -> bytes:
    """Read up to the blank line that ends a head (CRLF or bare LF), at most `limit` bytes.

    Returns b"" when the peer closed before sending anything.
    """
    chunks: list[bytes] = []
    size = 0
    while True:
        try:
            line = await reader.readline()
        except ValueError as exc:  # one line longer than the stream limit (64 KiB)
            raise ParseError("header line too long") from exc
        if not line:
            if chunks:
                raise ParseError("connection closed inside the head")
            return b""
        size += len(line)
        if size > limit:
            raise ParseError("head too large")
        if line in (b"\r\n", b"\n"):
            if not chunks:
                continue  # tolerate blank lines between pipelined requests
            chunks.append(line)
            return b"".join(chunks)
        chunks.append(line)


def reason_for(status: int, reason: str | None = None) -> str:
    if reason:
        return reason
    if status in RTSP_REASONS:
        return RTSP_REASONS[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def build_response(
    version: str, status: int, headers: list[tuple[str, str]], body: bytes = b"", reason: str | None = None
) -> bytes:
    """Serialise a status line, headers in the given order, the blank line and the body."""
    lines = [f"{version} {status} {reason_for(status, reason)}"]
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", errors="replace") + body


def merge_headers(
    base: tuple[tuple[str, str | None], ...], extra: tuple[tuple[str, str | None], ...]
) -> list[tuple[str, str | None]]:
    """`base` then `extra`; an `extra` header replaces a base header of the same name in place, and a None
    value removes it."""
    out: list[tuple[str, str | None]] = list(base)
    for name, value in extra:
        idx = next((i for i, (n, _) in enumerate(out) if n.lower() == name.lower()), None)
        if idx is None:
            if value is not None:
                out.append((name, value))
        elif value is None:
            out.pop(idx)
        else:
            out[idx] = (name, value)
    return out
