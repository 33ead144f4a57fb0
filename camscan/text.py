"""Text a device sent, cleaned by one set of rules (issue 12: five cleaners had drifted apart).

Two sets, defined once:

- `device_text`: what a parser removes from a device's text before it becomes an observation — NUL and the C0
  controls other than tab, LF and CR, and DEL. Nothing else: identification sees the text as the device sent it.
- `visible`: what every place that *shows* text removes — the C0 controls (tab, LF, CR kept unless `keep` says
  otherwise), DEL, the C1 controls (0x9b is a one-byte CSI) and the Unicode bidirectional marks, embeddings,
  overrides and isolates that make text display in another order than it is stored (CVE-2021-42574). The
  terminal (`camscan.console.safe`), plain text (`camscan.report.text.plain`) and spreadsheet cells
  (`camscan.report.safe.spreadsheet_safe`, so `devices --csv` too) all use it.
- `single_line`: what a signature's extracted value goes through before it is an identity field
  (`camscan.identify.signatures.clean_value`): every control run, line breaks included, becomes one space.

And one way to read words written in camel case (`split_camel`), which the kind words and the maker words share.
"""

from __future__ import annotations

import re
from functools import cache

#: Bidirectional formatting characters: ALM, LRM, RLM, LRE..RLO, LRI..PDI.
BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_C0_BUT_LAYOUT = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
_DEVICE = re.compile(f"[{_C0_BUT_LAYOUT}]")
LAYOUT = "\t\n\r"


_LINE = re.compile(f"[{_C0_BUT_LAYOUT}{LAYOUT}]+")


def single_line(value: str) -> str:
    """One line for an identity value: every run of C0 controls (tab, LF and CR too) and DEL becomes one space."""
    return _LINE.sub(" ", value)


def device_text(value: str) -> str:
    """Device text as a parser keeps it: NUL, C0 controls other than tab/LF/CR, and DEL removed."""
    return _DEVICE.sub("", value)


@cache
def _unsafe(keep: str) -> re.Pattern[str]:
    dropped = "".join(re.escape(c) for c in LAYOUT if c not in keep)
    return re.compile(f"[{_C0_BUT_LAYOUT}{dropped}\x80-\x9f{BIDI}]")


def visible(value: str, *, keep: str = LAYOUT) -> str:
    """Text safe to show: every control and bidirectional formatting character removed, except the layout
    characters in `keep` (tab, LF, CR by default)."""
    return _unsafe(keep).sub("", value)


#: Lower-to-upper and acronym-to-word boundaries of camel case ("IPCamera" → "IP Camera", "RicohPrinter" →
#: "Ricoh Printer", "TPLink" → "TP Link"; "TiVo" → "Ti Vo").
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def split_camel(text: str) -> str:
    """The text with a blank at each camel-case word boundary (ASCII letters only)."""
    return _CAMEL.sub(" ", text)
