"""Text that came from a device, cleaned for the place a report puts it.

Every string a device reported is hostile. The renderers use these helpers, never the raw value:
`plain` (one line, no control or bidirectional-override characters: terminals and text files),
`cell` (a spreadsheet cell: `plain`, then formula prefixes neutralised) and, for HTML, `html.escape`.
"""

from __future__ import annotations

import re
from typing import Any

from camscan.report.safe import spreadsheet_safe
from camscan.text import visible

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
    return _SPACES.sub(" ", visible(text(value))).strip()


def cell(value: Any) -> Any:
    """A spreadsheet cell: numbers stay numbers; text is `plain` with formula prefixes neutralised."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return spreadsheet_safe(plain(value))
