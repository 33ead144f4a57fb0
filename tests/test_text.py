"""One set of rules for device text: every place that shows it removes the same characters (camscan/text.py)."""

from __future__ import annotations

import csv
import io
import sys

import pytest

from camscan.console import safe
from camscan.parse.base import one_line, text
from camscan.report.safe import spreadsheet_safe
from camscan.report.text import plain
from camscan.text import device_text, single_line, visible

HOSTILE = {
    "ansi": "\x1b[31mRED\x1b[0m",
    "c1-csi": "\x9b31mC1",
    "bidi-override": "abc\u202edcba",
    "bidi-isolate": "x\u2066y\u2069z",
    "rlm": "a\u200fb",
    "arabic-mark": "a\u061cb",
    "nul-del": "a\x00b\x7fc",
}
UNSAFE = [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))] + [
    "\u061c", "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A)),
]  # fmt: skip


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_every_surface_removes_the_same_characters(name: str) -> None:
    value = HOSTILE[name]
    for shown in (safe(value), plain(value), spreadsheet_safe(value), visible(value)):
        assert not any(ch in shown for ch in UNSAFE), (name, shown)


def test_layout_is_kept_where_it_belongs() -> None:
    assert visible("a\tb\nc\rd") == "a\tb\nc\rd"
    assert safe("a\tb\nc\rd") == "a\tb\ncd"  # a carriage return would overwrite the terminal line
    assert plain("a\tb\nc\rd") == "a b c d"


def test_parsers_keep_what_identification_needs() -> None:
    """Parsers only drop C0 controls and DEL: identification sees C1 and bidi characters as sent."""
    assert device_text("a\x00b\x9bc\u202ed\te") == "ab\x9bc\u202ed\te"
    assert text(b"Server\x00: x\xc2\x9b") == "Server: x\x9b"
    assert one_line("a\r\nb\x01") == "a  b"


def test_devices_csv_strips_bidi_like_the_questionnaire(monkeypatch: pytest.MonkeyPatch) -> None:
    """`devices --csv` used to keep bidirectional overrides that the questionnaire removed."""
    from camscan.cli.inventory import write_csv
    from camscan.model import DEVICE_COLUMNS

    row = dict.fromkeys(DEVICE_COLUMNS) | {"model": "DS-\u202e2CD", "concerns": [], "discovered_by": []}
    buffer = io.StringIO()
    monkeypatch.setattr(sys, "stdout", buffer)
    write_csv([row])
    (_header, line) = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert line[DEVICE_COLUMNS.index("model")] == "DS-2CD" == plain("DS-\u202e2CD")


def test_identity_values_are_one_line() -> None:
    from camscan.identify.signatures import clean_value

    assert single_line("a\x00\x01b\tc\r\n\x7fd") == "a b c d"
    assert clean_value("  DS-2CD2043G0-I\r\n\x00 ") == "DS-2CD2043G0-I"
