"""What every parser shares: the one error type, the finding shape, text helpers and limits."""

from __future__ import annotations

from typing import Any

from camscan.text import device_text

#: An observation before it knows its host: (kind, value) with a CONTRACT.md kind and value shape.
Finding = tuple[str, Any]

#: Longest banner or header value kept, in characters.
MAX_TEXT = 4096


class ParseError(ValueError):
    """The bytes are not (a complete, well-formed) message of the expected protocol."""


def text(data: bytes, limit: int = MAX_TEXT) -> str:
    """Bytes a device sent as text: UTF-8 when valid, else Latin-1; NUL and control characters (other than tab,
    CR and LF) removed; at most `limit` characters."""
    raw = data[: limit * 4]
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        decoded = raw.decode("latin-1")
    return device_text(decoded)[:limit]


def one_line(value: str, limit: int = MAX_TEXT) -> str:
    """A header-like value: control characters and line breaks removed, surrounding space stripped."""
    return device_text(value).replace("\r", " ").replace("\n", " ").strip()[:limit]
