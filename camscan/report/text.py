"""Text that came from a device, cleaned for the place a report puts it.

Every string a device reported is hostile. The renderers use these helpers, never the raw value:
`plain` (one line, no control or bidirectional-override characters: terminals and text files),
`cell` (a spreadsheet cell: `plain`, then formula prefixes neutralised) and, for HTML, `html.escape`.
"""

from __future__ import annotations

import re
from typing import Any

from camscan.report.safe import spreadsheet_safe

# C0 and C1 control characters (ESC starts ANSI sequences, 0x9b is a one-byte CSI) and the Unicode
# bidirectional overrides and isolates that can make text display in another order than it is stored.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"\s+")


def text(value: Any) -> str:
    """A report value as text: None → "", lists joined with "; ", booleans as yes/no."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return "; ".join(text(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def plain(value: Any) -> str:
    """One clean line: control characters removed, runs of whitespace collapsed."""
    cleaned = _CONTROL.sub(lambda m: " " if m.group() in "\t\n\r" else "", text(value))
    return _SPACES.sub(" ", cleaned).strip()


def cell(value: Any) -> Any:
    """A spreadsheet cell: numbers stay numbers; text is `plain` with formula prefixes neutralised."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return spreadsheet_safe(plain(value))
