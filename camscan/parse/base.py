"""What every parser shares: the one error type, the finding shape, text helpers and limits."""

from __future__ import annotations

import re
from typing import Any

#: An observation before it knows its host: (kind, value) with a CONTRACT.md kind and value shape.
Finding = tuple[str, Any]

#: Longest banner or header value kept, in characters.
MAX_TEXT = 4096

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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
    return _CONTROL.sub("", decoded)[:limit]


def one_line(value: str, limit: int = MAX_TEXT) -> str:
    """A header-like value: control characters and line breaks removed, surrounding space stripped."""
    return _CONTROL.sub("", value).replace("\r", " ").replace("\n", " ").strip()[:limit]
