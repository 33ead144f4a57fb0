"""Making device-supplied strings safe for the places reports put them."""

from __future__ import annotations

from camscan.text import visible

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_safe(value: str) -> str:
    """Neutralise spreadsheet formulas (CSV/XLSX injection): a leading =, +, -, @ … gets a quote prefix; control
    and bidirectional formatting characters are removed (`camscan.text.visible`)."""
    text = visible(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text
