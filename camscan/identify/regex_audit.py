"""Every regex camscan searches a device's answer with, and the adversarial texts that show a slow one.

A hostile device may answer anything up to the scan's byte cap (256 KiB) in any field. A regex that backtracks
on such a text stalls identification of the whole scan (each answer is read by every signature of its kind), so
every regex is audited on texts built from its own fixed pieces: `hostile_texts`. The regexes are found, not
listed (`all_patterns`): every signature's pattern and field patterns (identity keys and the other readers of
keys are signatures), the readers in code that search whole answers (kind words, dotted legal forms, the stream
description reader), and every module-level pattern of the parsers of raw answers (camscan.parse). Patterns that
only ever see a value a signature already cut to 200 characters, or one word, are not here (product lines,
firmware schemes: their own test, advisories, maker-word tokens). nmap's service-probe regexes are nmap's own
(read from the installed nmap, compiled when first needed, behind literal prefilters): `nmap_patterns` lists them
apart, and `worst` puts a hostile text where a device puts it — the rebuilt response's `Server:` value or greeting,
cut as camscan cuts it (`nmap_probes.MAX_PART`).

Used by tests/identify/test_regex_worst_case.py (every pattern at a size CI affords, the rewritten ones at the cap)
and bench/bench_regex_worst_case.py (the sweep with its numbers: docs/benchmarks.md, docs/reliability.md).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import time
from collections.abc import Callable, Iterator
from re import _parser as sre_parse  # type: ignore[attr-defined]  # Python's own regex parser
from typing import Any

#: The scan's byte cap: the longest answer a field can hold.
CAP = 256 * 1024


def literals(pattern: re.Pattern[str]) -> list[str]:
    """The fixed texts of a pattern (runs of literal characters anywhere in its parse tree), longest first (six)."""
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            out.append("".join(run))
            run.clear()

    def walk(items: Any) -> None:
        for op, av in items:
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


def hostile_texts(pattern: re.Pattern[str], size: int = CAP) -> Iterator[tuple[str, str]]:
    """(what, text) pairs of about `size` characters built from the pattern's own pieces: runs of blanks,
    newlines and digits, markup left open, and each fixed text repeated, then blanks, then `A1` or `-A1` runs, one
    per line, and as `key=value` lines."""
    yield "blanks", " " * size
    yield "newlines", "\n" * size
    yield "digits", "1" * size
    yield "element then blanks", "<a>" + " " * size + "x"
    yield "open tags", "<a " * (size // 3)
    found = literals(pattern)
    for text in found:
        yield f"{text!r} repeated", text * (size // len(text))
        yield f"{text!r} then blanks", text + " " * size + "x"
        yield f"{text!r} then A1", text + "A1" * (size // 2)
        yield f"{text!r} then -A1", text + "-A1" * (size // 3)
        yield f"{text!r} lines", (text + "\n") * (size // (len(text) + 1))
        yield f"{text!r}= lines", (text + "=" + "a" * 30 + " \n") * (size // (len(text) + 33))
    if len(found) >= 2:
        pair = f"{found[0]} {found[1]} "
        yield "pairs", pair * (size // len(pair))


#: Names of nmap's lines start with this (`nmap_patterns`): `nmap-service-probes line 7790 (http_server)`.
NMAP_PREFIX = "nmap-service-probes line "


def nmap_patterns(database: Any) -> list[tuple[str, re.Pattern[str]]]:
    """(name, pattern) for every distinct regex of nmap's service probes camscan tries (the lines of the probes
    of `nmap_probes.KIND_PROBES` Python's `re` compiles), named `nmap-service-probes line N (kind)`."""
    from camscan.identify import nmap_probes

    seen: set[tuple[str, int]] = set()
    out: list[tuple[str, re.Pattern[str]]] = []
    for kind in nmap_probes.KIND_PROBES:
        group = database._compile_all(kind)
        for line, regex in zip(group.lines, group.regexes, strict=True):
            if regex and _key(regex) not in seen:
                seen.add(_key(regex))
                out.append((f"{NMAP_PREFIX}{line.number} ({kind})", regex))
    return out


def nmap_subject(name: str, text: str, cut: bool = True) -> str:
    """The text an nmap line reads when a device puts `text` in its `Server:` value (HTTP, RTSP) or greeting
    (FTP, telnet, SSH): the rebuilt response (`nmap_probes.response`), cut to MAX_PART unless `cut` is False."""
    from camscan.identify import nmap_probes

    kind = name.rsplit("(", 1)[1].rstrip(")")
    rebuilt = nmap_probes.response(kind, text, max_part=nmap_probes.MAX_PART if cut else None)
    return nmap_probes.latin1(rebuilt or "")


def uses_search(name: str) -> bool:
    """Signatures are searched (their first match decides); the readers in code take every match."""
    return not name.startswith("camscan.")


def worst(
    name: str,
    pattern: re.Pattern[str],
    size: int,
    clock: Callable[[], float] = time.perf_counter,
    cut: bool = True,
) -> tuple[float, str]:
    """The longest time any hostile text of `size` took, and that text's description. An nmap line
    (`nmap_patterns`) reads the text inside the response camscan rebuilds (`nmap_subject`; `cut` False: uncut)."""
    longest, which = 0.0, ""
    search = uses_search(name)
    nmap = name.startswith(NMAP_PREFIX)
    for what, text in hostile_texts(pattern, size):
        if nmap:
            text = nmap_subject(name, text, cut)
        started = clock()
        if search:
            pattern.search(text)
        else:
            for _ in pattern.finditer(text):
                pass
        elapsed = clock() - started
        if elapsed > longest:
            longest, which = elapsed, what
    return longest, which


def _key(pattern: re.Pattern[str]) -> tuple[str, int]:
    return (pattern.pattern, pattern.flags)


#: Readers in code that search a whole answer (every match taken: finditer, sub, findall), by module and name.
#: Other patterns of the knowledge (product lines, firmware schemes, advisories, maker-word tokens) and of the
#: identify modules are matched on values a signature already cut to MAX_FIELD_LEN (200 characters), or on
#: single words, or on camscan's own files; the firmware schemes and written dates have their own tests.
CODE_READERS = (
    "camscan.identify.kind_words._XML_ELEMENT",
    "camscan.identify.kind_words._JSON_PAIR",
    "camscan.identify.kind_words._LINE_PAIR",
    "camscan.identify.kind_words._REALM",
    "camscan.identify.kind_words._RDN",
    "camscan.identify.kind_words._SCOPES",
    "camscan.identify.kind_words._UPNP_PRODUCT",
    "camscan.identify.kind_words._URN",
    "camscan.identify.kind_words._TOKEN",
    "camscan.identify.vendors._DOTTED",
    "camscan.identify.video_sources._RANGE",
)


def all_patterns(engine: Any) -> list[tuple[str, re.Pattern[str]]]:
    """(name, pattern) for every distinct regex camscan searches a whole answer with: every signature's pattern
    and field patterns (named by signature id, `:field` for a field), the readers in code (`CODE_READERS`), and
    every module-level pattern of camscan.parse (the parsers of raw answers), named by module and attribute."""
    seen: set[tuple[str, int]] = set()
    out: list[tuple[str, re.Pattern[str]]] = []

    def add(name: str, pattern: re.Pattern[str]) -> None:
        if _key(pattern) not in seen:
            seen.add(_key(pattern))
            out.append((name, pattern))

    for sig in engine.signatures:
        if sig.pattern is not None:
            add(sig.id, sig.pattern)
        for field, pattern in sig.fields:
            add(f"{sig.id}:{field}", pattern)
    for name in CODE_READERS:
        module_name, attr = name.rsplit(".", 1)
        add(name, getattr(importlib.import_module(module_name), attr))
    for path, pattern in sorted(_module_patterns("camscan.parse"), key=lambda item: item[0]):
        add(path, pattern)
    return out


def _module_patterns(package_name: str) -> Iterator[tuple[str, re.Pattern[str]]]:
    """Module-level patterns of every module of a package."""
    package = importlib.import_module(package_name)
    for info in pkgutil.iter_modules(package.__path__, prefix=f"{package_name}."):
        module = importlib.import_module(info.name)
        for attr, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                yield f"{info.name}.{attr}", value
