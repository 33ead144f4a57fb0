"""Worst-case time of signature regexes on adversarial input of the scan's byte cap (256 KiB).

Each pattern is searched in strings built from its own fixed text (read from Python's parse tree of the regex):
the text repeated to the cap, followed by a long run of blanks, of letters and digits, of `-A1` pieces, as
`key=value` lines, one per line, and plain runs of blanks, newlines and digits. A pattern that backtracks
catastrophically on its own pieces shows it here. The rules with a dedicated hostile test (the ISAPI event-trigger
rule: tests/identify/test_structural_type.py; the key readers at 4 MiB: tests/identify/test_identity_keys.py) are
covered here as well. Add a signature's id prefix to CHECKED when a new regex reads whole answers.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from re import _parser as sre_parse  # type: ignore[attr-defined]  # Python's own regex parser, as nmap_probes reads it

import pytest

from camscan.identify.engine import get_engine

SIZE = 256 * 1024
#: Signature id prefixes checked: the readers of whole answers added in the 2026-12-06 session.
CHECKED = (
    "vivotek.http_body.getparam_", "vivotek.http_path.getparam_", "vivotek.http_body.vvtk_firmware",
    "vivotek.http_path.vvtk_firmware", "huawei.snmp_sysdescr.vrp_model", "generic.http_path.line_",
    "generic.http_body.line_", "hikvision.http_path.event_triggers_one_video_input", "onvif.services.",
)  # fmt: skip
#: Measured worst on this machine: 79 ms (onvif.services.receiver_without_consumer on a 256 KiB services text).
BOUND_S = 1.0


def _literals(pattern: re.Pattern[str]) -> list[str]:
    """The fixed texts of a pattern (runs of literal characters anywhere in its parse tree), longest first."""
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            out.append("".join(run))
            run.clear()

    def walk(items: object) -> None:
        for op, av in items:  # type: ignore[attr-defined]
            name = str(op)
            if name == "LITERAL":
                run.append(chr(av))
                continue
            flush()
            if name == "SUBPATTERN":
                walk(av[-1])
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                walk(av[2])
            elif name == "BRANCH":
                for branch in av[1]:
                    walk(branch)
                    flush()
            elif name in ("ASSERT", "ASSERT_NOT"):
                walk(av[1])
            elif name == "ATOMIC_GROUP":
                walk(av)
        flush()

    walk(sre_parse.parse(pattern.pattern, pattern.flags))
    return sorted({text for text in out if text.strip()}, key=len, reverse=True)[:6]


def _hostile(pattern: re.Pattern[str]) -> Iterator[tuple[str, str]]:
    yield "blanks", " " * SIZE
    yield "newlines", "\n" * SIZE
    yield "digits", "1" * SIZE
    literals = _literals(pattern)
    for text in literals:
        yield f"{text!r} repeated", text * (SIZE // len(text))
        yield f"{text!r} then blanks", text + " " * SIZE + "x"
        yield f"{text!r} then A1", text + "A1" * (SIZE // 2)
        yield f"{text!r} then -A1", text + "-A1" * (SIZE // 3)
        yield f"{text!r} lines", (text + "\n") * (SIZE // (len(text) + 1))
        yield f"{text!r}= lines", (text + "=" + "a" * 30 + " \n") * (SIZE // (len(text) + 33))
    if len(literals) >= 2:
        pair = f"{literals[0]} {literals[1]} "
        yield "pairs", pair * (SIZE // len(pair))


def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    found = []
    for sig in get_engine().signatures:
        if sig.id.startswith(CHECKED):
            found += [(f"{sig.id}:{name}", p) for name, p in sig.fields]
            found += [(sig.id, sig.pattern)] if sig.pattern is not None else []
    return found


def test_every_checked_prefix_names_signatures() -> None:
    ids = [name for name, _ in _patterns()]
    assert all(any(i.startswith(prefix) for i in ids) for prefix in CHECKED)


@pytest.mark.parametrize(("name", "pattern"), _patterns(), ids=[name for name, _ in _patterns()])
def test_regex_is_fast_on_its_own_pieces_at_the_byte_cap(name: str, pattern: re.Pattern[str]) -> None:
    for what, text in _hostile(pattern):
        started = time.process_time()
        pattern.search(text)
        elapsed = time.process_time() - started
        assert elapsed < BOUND_S, f"{name} took {elapsed:.2f} s on {what} ({len(text)} characters)"

