"""HTTP-shaped message heads (HTTP/1.x, RTSP/1.0, SSDP): a start line, header lines, a blank line.

`find_head_end` tells whether a head is complete; `parse_head` splits it. Both accept the bare-LF line ends some
embedded servers send, fold obsolete continuation lines, and bound the head's size and header count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from camscan.parse.base import ParseError, one_line

MAX_HEAD = 64 * 1024
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")  # RFC 9110 field-name
MAX_HEADERS = 128
MAX_HEADER_VALUE = 8192


@dataclass(frozen=True, slots=True)
class Head:
    """A parsed head: the start line and the headers in the order sent (names as sent)."""

    start: str
    headers: tuple[tuple[str, str], ...]

    def get(self, name: str) -> str | None:
        """The first value of a header (case-insensitive name), or None."""
        folded = name.lower()
        for key, value in self.headers:
            if key.lower() == folded:
                return value
        return None

    def get_all(self, name: str) -> list[str]:
        folded = name.lower()
        return [value for key, value in self.headers if key.lower() == folded]

    def as_dict(self) -> dict[str, str]:
        """Headers as one mapping; a repeated header's values are joined with ", " (RFC 9110 5.3)."""
        out: dict[str, str] = {}
        index: dict[str, str] = {}
        for key, value in self.headers:
            folded = key.lower()
            if folded in index:
                first = index[folded]
                out[first] = f"{out[first]}, {value}"
            else:
                index[folded] = key
                out[key] = value
        return out


def find_head_end(data: bytes | bytearray, start: int = 0, limit: int = MAX_HEAD) -> int | None:
    """Offset just past the blank line that ends the head, or None while it is incomplete.

    `start` is where to resume searching (a caller that appends data passes its previous length). Raises
    ParseError when no head end is found within `limit` bytes.
    """
    begin = max(0, start - 3)
    crlf = data.find(b"\r\n\r\n", begin)
    lf = data.find(b"\n\n", begin)
    ends = [e for e in ((crlf + 4) if crlf >= 0 else -1, (lf + 2) if lf >= 0 else -1) if e >= 0]
    if ends:
        end = min(ends)
        if end > limit:
            raise ParseError(f"message head longer than {limit} bytes")
        return end
    if len(data) > limit:
        raise ParseError(f"message head longer than {limit} bytes")
    return None


def parse_head(data: bytes | bytearray) -> Head:
    """Split a complete head (start line, headers, blank line) into a `Head`."""
    if len(data) > MAX_HEAD:
        raise ParseError(f"message head longer than {MAX_HEAD} bytes")
    lines = bytes(data).decode("latin-1").replace("\r\n", "\n").split("\n")
    while lines and lines[-1] == "":
        lines.pop()
    if not lines or not lines[0].strip():
        raise ParseError("empty message head")
    start = one_line(lines[0], 1024)
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        if line[:1] in (" ", "\t") and headers:  # obsolete line folding
            name, value = headers[-1]
            headers[-1] = (name, one_line(f"{value} {line.strip()}", MAX_HEADER_VALUE))
            continue
        name, sep, value = line.partition(":")
        name = name.strip()
        if not sep or not _TOKEN.match(name):
            continue  # a malformed line: skipped, as browsers do
        headers.append((name, one_line(value, MAX_HEADER_VALUE)))
        if len(headers) > MAX_HEADERS:
            raise ParseError(f"more than {MAX_HEADERS} header lines")
    return Head(start, tuple(headers))
