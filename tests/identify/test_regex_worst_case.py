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
    # 2026-12-06, second part: the serial and build-date key readers, Axis build dates, the scope readers, and
    # the Hikvision namespace rule that "<a " repeated made quadratic (257 s at the cap before its fix)
    "generic.http_path.xml_", "generic.http_path.json_", "axis.http_path.param_build_date",
    "axis.http_path.basicdeviceinfo_build_date", "generic.scopes.", "hikvision.http_path.isapi_namespace",
    # older line readers whose `(?m)^\s*` let a run of newlines make them quadratic (review2: 3.3-5.3 s at 32 KiB,
    # some 200-340 s at the cap) and whose lazy value before `\s*$` made a run of blanks quadratic
    "avtech.http_path.capability", "dahua.http_path.system_info_model", "dahua.http_path.system_info_serial",
    "dahua.http_path.system_info_hardware", "dahua.http_path.system_info_ipc", "dahua.http_path.device_type",
    "dahua.http_path.software_version", "dahua.http_path.serial_no", "dahua.http_path.vendor",
    "onvif.device_info.firmware",
    # found by review2, fixed by the lead: a lazy host name before a run of blanks or &nbsp; (Synology's title, 99+ s
    # at the cap) and a lazy model before trailing blanks (Dahua's updateSerial line, 99+ s at the cap)
    "synology.html_title.diskstation", "dahua.http_path.system_info_update_serial",
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
    # markup shapes: an element left open before a long run of blanks, and tags that never close
    yield "element then blanks", "<a>" + " " * SIZE + "x"
    yield "open tags", "<a " * (SIZE // 3)
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


# ------------------------------------------------------------------------------------------- readers in code
def _reader_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """The regexes of the readers that live in code, not in signatures and searched through whole texts: kind words
    (every field format) and dotted legal forms. (The written build dates, firmware._NUMERIC_DATE and _MONTH_DATE,
    are only fullmatched on one value: test_written_dates_are_fast; trailing legal forms: test_legal_forms_…)"""
    from camscan.identify import kind_words, vendors

    named = {
        f"kind_words.{name}": getattr(kind_words, name)
        for name in ("_XML_ELEMENT", "_JSON_PAIR", "_LINE_PAIR", "_REALM", "_RDN", "_SDP", "_SCOPES", "_UPNP_PRODUCT", "_URN", "_TOKEN")
    }  # fmt: skip
    named["vendors._DOTTED"] = vendors._DOTTED
    return sorted(named.items())


@pytest.mark.parametrize(
    ("name", "pattern"), _reader_patterns(), ids=[name for name, _ in _reader_patterns()]
)
def test_a_reader_regex_is_linear_at_the_byte_cap(name: str, pattern: re.Pattern[str]) -> None:
    """Every match is taken (the readers use finditer and sub), so a pattern that rescans the rest of the text from
    each start shows here too: kind_words' XML element reader took 425 s on "<a>" and 64 KiB of blanks, its
    key=value reader 45 s on 64 KiB of newlines, before their fix."""
    for what, text in _hostile(pattern):
        started = time.process_time()
        for _ in pattern.finditer(text):
            pass
        elapsed = time.process_time() - started
        assert elapsed < BOUND_S, f"{name} took {elapsed:.2f} s on {what} ({len(text)} characters)"


def _firmware_texts() -> Iterator[tuple[str, str, str]]:
    """(scheme, what, text): each scheme's examples followed by its own pieces, at the longest value a signature
    keeps (camscan.identify.signatures.MAX_FIELD_LEN), ending in a character no scheme takes."""
    from camscan.identify.signatures import MAX_FIELD_LEN

    for scheme in get_engine().knowledge.firmware.schemes:
        pieces = [*_literals(scheme.pattern), ".", " ", "_", "0"]
        for ex in scheme.examples:
            for piece in pieces:
                text = (str(ex["value"]) + piece * MAX_FIELD_LEN)[: MAX_FIELD_LEN - 1] + "!"
                yield scheme.id, f"{ex['value']!r} then {piece!r}", text


def test_every_firmware_scheme_is_fast_on_its_own_pieces() -> None:
    """A firmware string is whatever a device reports (up to MAX_FIELD_LEN characters) and every scheme is tried on
    every firmware: the XiongMai scheme's `(?:\\.+(?:[0-9A-F]*|…))*` took exponential time on a run of dots (1.2 s
    for 24 dots, four times longer for every two more) before it was made possessive."""
    schemes = {s.id: s.pattern for s in get_engine().knowledge.firmware.schemes}
    for scheme, what, text in _firmware_texts():
        started = time.process_time()
        schemes[scheme].fullmatch(text)
        elapsed = time.process_time() - started
        assert elapsed < BOUND_S, f"firmware scheme {scheme} took {elapsed:.2f} s on {what}"


def test_written_dates_are_fast() -> None:
    from camscan.identify import firmware

    for pattern in (firmware._NUMERIC_DATE, firmware._MONTH_DATE):
        for what, text in _hostile(pattern):
            started = time.process_time()
            firmware.written_date(text)
            elapsed = time.process_time() - started
            assert elapsed < BOUND_S, f"written_date took {elapsed:.2f} s on {what} ({len(text)} characters)"


@pytest.mark.parametrize(
    "name", ["Co. " * 16384 + "x", "Co. " * 16384, "S.A. " * 13107, " " * 65536, "Acme" + ", Ltd." * 10922]
)
def test_legal_forms_are_stripped_in_linear_time(name: str) -> None:
    """A maker's name of nothing but legal forms (a device's answer: any length before the signatures' cut) took
    exponential time in CompanyWords.display before one form at a time was stripped: 0.3 s for 16 "Co. ", four
    times longer for every two more (the 0.x regex `(?:[\\s,.;&]*(?<!\\w)(?:forms)\\.?)+\\s*$`)."""
    from camscan.identify.vendors import shipped_company_words

    started = time.process_time()
    shipped_company_words().display(name)
    elapsed = time.process_time() - started
    assert elapsed < BOUND_S, f"display took {elapsed:.2f} s on {name[:20]!r}… ({len(name)} characters)"
