"""Making device-supplied strings safe for the places reports put them."""

from __future__ import annotations

import re

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def spreadsheet_safe(value: str) -> str:
    """Neutralise spreadsheet formulas (CSV/XLSX injection): a leading =, +, -, @ … gets a quote prefix."""
    text = _CONTROL.sub("", value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text
