"""nmap's service-probe database (`nmap-service-probes`) as banner knowledge for banners camscan read itself.

nmap ships about 11,700 `match` lines: a regex over a service's answer to one probe, and what the answer says
(p/ product, v/ version, i/ info, d/ device type, o/ OS, h/ host, cpe:/h|o|a:vendor:product). camscan reads the
file of the installed nmap (docs/identify.md, "nmap's service-probe database") and applies the lines of the probe
that produced a kind of banner, in nmap's order, first match wins, to a response rebuilt from the observation:
an HTTP `Server:` header (with the port's `WWW-Authenticate` and title) to the `GetRequest` lines, an RTSP
`Server:` to the `RTSPRequest` lines, an FTP, telnet or SSH greeting to the `NULL` probe's lines of that service.

What a match may say (the engine turns it into banner-tier Evidence below camscan's own signatures):
- the maker from `cpe:/h:<vendor>` only, or `cpe:/o:<vendor>` when vendors.yaml lists it and it is no
  operating-system publisher (`os_not_makers`); never from `cpe:/a` (an application's vendor is no device maker);
- the model from the `cpe:/h` product;
- the device type from `d/` through vendor_signatures/nmap_device_types.yaml.

Absent file (nmap not installed): the feature is off and `camscan signatures` says so. `$CAMSCAN_NMAP_SERVICE_PROBES`
names another file, or `off`. Parsed lines are cached (camscan/datacache.py) under the file's sha256 and what the
prefilters are computed from (`cache_format`), each with a prefilter: a fixed text every match of its regex contains
(found in the regex's parse tree, `needles`) and a 4-character piece of it that keys an index. A response is tried only against the lines whose piece it contains,
still in nmap's order, and a line's regex is compiled when a response first passes its prefilter; a line the
prefilter skips cannot match, so the first match is the one every line tried in turn would find (tests prove it:
tests/identify/test_nmap_probes_prefilter.py). Results are memoised per (kind, text).
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import time
import warnings
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal, NamedTuple

from camscan import datacache
from camscan.errors import DataError
from camscan.identify.device_types import DeviceTypes, load_device_types

try:  # Python's own regex parser: where the prefilters come from (private; without it every line is tried)
    # typeshed describes no private module of `re`: both are Any to the type checker
    from re import _constants as _sre  # type: ignore[attr-defined]
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - a Python without them
    _sre = _sre_parse = None

ENV = "CAMSCAN_NMAP_SERVICE_PROBES"
#: Where installed nmaps keep the file (Debian/Ubuntu/Fedora, /usr/local builds, Homebrew, Windows installer).
DEFAULT_PATHS = (
    "/usr/share/nmap/nmap-service-probes",
    "/usr/local/share/nmap/nmap-service-probes",
    "/opt/homebrew/share/nmap/nmap-service-probes",
    "C:/Program Files (x86)/Nmap/nmap-service-probes",
    "C:/Program Files/Nmap/nmap-service-probes",
)
#: Evidence signatures start with this (the engine ranks such values below camscan's own).
SIGNATURE_PREFIX = "nmap-service-probes"
#: Below STRONG (engine): a statement of nmap's never outranks another tier, and camscan's own wins ties.
WEIGHT = 0.45
#: Parsed-file cache format (bumped when the parser or the prefilters change what it stores; the prefilters come
#: from this Python's regex parser).
CACHE_FORMAT = f"nmap-service-probes 3 (python {sys.version_info[0]}.{sys.version_info[1]})"
#: Length of the pieces of fixed text the candidate index is keyed by.
GRAM = 4
MEMO_SIZE = 8192
#: Longest piece of a device's answer (a header value, the page title, a greeting) put into a rebuilt response.
#: nmap's regexes were written for PCRE with nmap's match limits; Python's `re` has none, and some lines are
#: quadratic in a hostile header (the Tridium Niagara line took 4.2 s on a 32 KiB `Server:` value built from its own
#: pieces, about 4.5 min at the scan's 256 KiB cap). Real values are far shorter (the corpus's longest is well under
#: 1 KiB); cut at 2 KiB, the slowest line takes about 0.02 s (docs/benchmarks.md, "Regex worst cases").
MAX_PART = 2048

#: Observation kind → (probe name, services whose lines apply).
KIND_PROBES: dict[str, tuple[str, tuple[str, ...]]] = {
    "http_server": ("GetRequest", ("http",)),
    "rtsp_server": ("RTSPRequest", ("rtsp",)),
    "ftp_banner": ("NULL", ("ftp",)),
    "telnet_banner": ("NULL", ("telnet",)),
    "ssh_banner": ("NULL", ("ssh",)),
}
#: How the rebuilt responses of a kind can start (`response`); a line whose regex is anchored at a literal that fits
#: none of them (`^HTTP/1\.1 302`) can never match and is not tried. Kinds not listed: every line is tried.
STARTS: dict[str, tuple[str, ...]] = {
    "http_server": tuple(f"HTTP/1.{v} {s}\r\n" for v in "01" for s in ("200 OK", "401 Unauthorized")),
    "rtsp_server": ("RTSP/1.0 200 OK\r\nCSeq: 1\r\n", "RTSP/1.0 401 Unauthorized\r\nCSeq: 1\r\n"),
}
#: Kinds that join an HTTP or RTSP response of their port (with its Server: header) rather than stand alone.
HEADER_KINDS = {"http_www_authenticate": "http", "html_title": "http", "rtsp_www_authenticate": "rtsp"}

_PROBE = re.compile(r"^Probe (TCP|UDP) (\S+) ")
_POSIX = {
    "[:alpha:]": "a-zA-Z",
    "[:digit:]": "0-9",
    "[:alnum:]": "a-zA-Z0-9",
    "[:upper:]": "A-Z",
    "[:lower:]": "a-z",
    "[:space:]": r"\s",
    "[:xdigit:]": "0-9A-Fa-f",
    "[:print:]": r"\x20-\x7e",
    "[:punct:]": r"!-/:-@\[-`{-~",
    "[:cntrl:]": r"\x00-\x1f\x7f",
    "[:graph:]": r"\x21-\x7e",
    "[:word:]": r"\w",
    "[:blank:]": r" \t",
}
_SUBST = re.compile(r'\$(?:(\d)|P\((\d)\)|SUBST\((\d),"([^"]*)","([^"]*)"\)|I\((\d),"[<>]"\))')


@dataclass(frozen=True, slots=True)
class Line:
    """One `match` line of one probe."""

    number: int
    probe: str
    service: str
    pattern: str
    flags: str
    info: dict[str, str]  # p v i h o d → template
    cpes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Hit:
    """What one line says about one response (templates filled in)."""

    line: int
    service: str
    info: dict[str, str]
    cpes: tuple[tuple[str, str, str, str], ...]  # (part, vendor, product, the model it names as spelt)

    @property
    def label(self) -> str:
        shown = " ".join(f"{k}/{v}/" for k, v in self.info.items() if k in ("p", "d") and v)
        where = f"{SIGNATURE_PREFIX} line {self.line}" if self.line else f"{SIGNATURE_PREFIX} via nmap -sV"
        return where + (f": {shown}" if shown else "")


def parse(text: str) -> tuple[list[Line], int]:
    """The `match` lines of every probe (file order) and how many lines could not be read."""
    lines: list[Line] = []
    bad = 0
    probe = ""
    for number, raw in enumerate(text.splitlines(), 1):
        if raw.startswith("Probe "):
            m = _PROBE.match(raw)
            probe = f"{m.group(1)}:{m.group(2)}" if m else ""
            continue
        if not raw.startswith("match "):
            continue  # softmatch lines name a service only; comments, ports, rarity …
        try:
            lines.append(_parse_line(number, probe, raw))
        except (ValueError, IndexError):
            bad += 1
    return lines, bad


def _parse_line(number: int, probe: str, raw: str) -> Line:
    _, service, rest = raw.split(" ", 2)
    if not rest.startswith("m"):
        raise ValueError("no m")
    delim = rest[1]
    end = rest.index(delim, 2)
    pattern = rest[2:end]
    i = end + 1
    flags = ""
    while i < len(rest) and rest[i] in "is":
        flags += rest[i]
        i += 1
    info: dict[str, str] = {}
    cpes: list[str] = []
    while i < len(rest):
        if rest[i] == " ":
            i += 1
            continue
        if rest.startswith("cpe:", i):
            d = rest[i + 4]
            stop = rest.index(d, i + 5)
            cpes.append(rest[i + 5 : stop])
            i = stop + 1
            if i < len(rest) and rest[i] == "a":
                i += 1
            continue
        key, d = rest[i], rest[i + 1]
        stop = rest.index(d, i + 2)
        info[key] = rest[i + 2 : stop]
        i = stop + 1
    return Line(number, probe, service, pattern, flags, info, tuple(cpes))


def to_python(pattern: str) -> str:
    """PCRE spellings Python's `re` reads differently (POSIX classes, `\\z`)."""
    for posix, py in _POSIX.items():
        pattern = pattern.replace(posix, py)
    return pattern.replace(r"\z", r"\Z")


_ESCAPES = {"r": "\r", "n": "\n", "t": "\t"}


def literal_start(pattern: str) -> str | None:
    """The fixed text every match of a `^`-anchored regex starts with (None when not anchored)."""
    if not pattern.startswith("^"):
        return None
    out: list[str] = []
    i = 1
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            nxt = pattern[i + 1 : i + 2]
            if nxt in _ESCAPES:
                ch = _ESCAPES[nxt]
            elif nxt and not nxt.isalnum():
                ch = nxt
            else:
                break  # \d, \w, \x41, \0 …: a class or a code; stop (conservative)
            step = 2
        elif ch in ".^$*+?{}[]()|":
            break
        else:
            step = 1
        if pattern[i + step : i + step + 1] in ("?", "*", "{"):
            break  # an optional last character is not required
        out.append(ch)
        i += step
    return "".join(out)


def can_start(start: str | None, folded: bool, starts: tuple[str, ...]) -> bool:
    """Whether a regex whose matches all start with `start` (`Needles.start`; None: not anchored) could match a
    response that starts with one of `starts`."""
    if not start:
        return True
    if folded:
        start = start.lower()
        starts = tuple(s.lower() for s in starts)
    return any(s.startswith(start) or start.startswith(s) for s in starts)


def _re_flags(flags: str) -> int:
    return (re.I if "i" in flags else 0) | (re.S if "s" in flags else 0)


class Needles(NamedTuple):
    """What a regex's parse tree says every match contains."""

    folded: bool  # the regex ignores case (compare lower-cased texts)
    runs: tuple[str, ...]  # fixed texts every match contains
    start: (
        str | None
    )  # the fixed text every match starts with, when the regex is anchored at the start (`^`, `\A`)


def needles(pattern: str, flags: str) -> Needles | None:
    """The fixed texts every match of a regex (Python's spelling, `to_python`) contains; None when Python's parser
    cannot read it (such a line is always tried, and fails to compile when first tried).

    Read from the parse tree: a run of literal characters in the regex's top-level sequence, continued through
    groups that are matched exactly once, and the runs inside a part repeated at least once. Anything else (a
    class, `.`, an alternation, an optional or starred part, an assertion, a back-reference, a group with its own
    flags, a character beyond Latin-1) ends a run and contributes nothing: the texts may be fewer than the regex
    requires, never more. A top-level alternation (`^a|b`) is no sequence: no runs, no start."""
    if _sre_parse is None:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = _sre_parse.parse(pattern, _re_flags(flags))
    except (re.error, OverflowError, RecursionError):
        return None
    runs: list[str] = []
    current: list[str] = []
    _runs(tree.data, runs, current)
    if current:
        runs.append("".join(current))
    start = None
    items = list(tree.data)
    if (
        items
        and items[0][0] is _sre.AT
        and (
            items[0][1] is _sre.AT_BEGINNING_STRING
            or (items[0][1] is _sre.AT_BEGINNING and not tree.state.flags & re.MULTILINE)
        )
    ):
        prefix: list[str] = []
        _prefix(items[1:], prefix)
        start = "".join(prefix)
    return Needles(bool(tree.state.flags & re.IGNORECASE), tuple(dict.fromkeys(runs)), start)


def _runs(items: Any, runs: list[str], current: list[str]) -> None:
    for op, av in items:
        if op is _sre.LITERAL and av <= 0xFF:
            current.append(
                chr(av)
            )  # responses are Latin-1: a wider character matches none of theirs but by case
            continue
        if op is _sre.SUBPATTERN and not av[1] and not av[2]:
            _runs(av[3], runs, current)  # (group, add flags, del flags, items): matched once, in sequence
            continue
        if current:
            runs.append("".join(current))
            current.clear()
        if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)) and av[0] >= 1:
            _runs(av[2], runs, current)  # (min, max, items): matched at least once
            if current:
                runs.append("".join(current))
                current.clear()


def _prefix(items: Any, out: list[str]) -> bool:
    """The literal characters a sequence starts with (through plain groups); False once something else comes."""
    for op, av in items:
        if op is _sre.LITERAL and av <= 0xFF:
            out.append(chr(av))
        elif not (op is _sre.SUBPATTERN and not av[1] and not av[2] and _prefix(av[3], out)):
            return False
    return True


class Prefilter(NamedTuple):
    """How camscan finds the lines a response can reach (cached with the parsed file)."""

    check: str  # the line's rarest fixed text ("" none), lower-cased when `folded`
    folded: bool  # the regex ignores case: compare `check` with the lower-cased response
    gram: str  # the GRAM-character piece of its fixed texts (lower-cased) that keys it ("": tried for every response)
    variant: int  # which rebuilt response the line reads: 0, or 1 (HTTP/1.1, `_variant`)


def _of_probe(line: Line, probe: str, services: tuple[str, ...]) -> bool:
    """Whether a match line belongs to a kind's probe (`KIND_PROBES`): its TCP probe, one of its services."""
    return line.probe == f"TCP:{probe}" and line.service.split("-")[0] in services


def prefilters(lines: list[Line]) -> list[Prefilter | None]:
    """Per line (aligned with `lines`): its Prefilter when camscan tries it (a line of a probe camscan uses that
    can match a rebuilt response), else None. The piece keying a line is the one the fewest lines of its probe
    share, so a response gathers few candidates."""
    out: list[Prefilter | None] = [None] * len(lines)
    for kind, (probe, services) in KIND_PROBES.items():
        starts = STARTS.get(kind)
        found: dict[int, Needles] = {}
        run_count: dict[str, int] = {}
        gram_count: dict[str, int] = {}
        for n, line in enumerate(lines):
            if not _of_probe(line, probe, services):
                continue
            need = needles(to_python(line.pattern), line.flags) or Needles(False, (), None)
            if starts is not None and not can_start(need.start, need.folded, starts):
                continue  # can never match a rebuilt response (another status line)
            found[n] = need
            for run in {r.lower() if need.folded else r for r in need.runs}:
                run_count[run] = run_count.get(run, 0) + 1
            for gram in _grams(r.lower() for r in need.runs):
                gram_count[gram] = gram_count.get(gram, 0) + 1
        for n, need in found.items():
            checks = [r.lower() if need.folded else r for r in need.runs]
            check = min(checks, key=lambda r: (run_count[r], -len(r), r)) if checks else ""
            grams = _grams(r.lower() for r in need.runs)
            gram = min(grams, key=lambda g: (gram_count[g], g)) if grams else ""
            out[n] = Prefilter(check, need.folded, gram, _variant(kind, lines[n]))
    return out


def _grams(texts: Any) -> set[str]:
    return {t[i : i + GRAM] for t in texts for i in range(len(t) - GRAM + 1)}


def _fill(template: str, m: re.Match[str]) -> str:
    def one(s: re.Match[str]) -> str:
        n = s.group(1) or s.group(2) or s.group(3) or s.group(6)
        if s.group(6):
            return ""  # $I: an integer unpacked from bytes; not a banner text
        try:
            value = m.group(int(n)) or ""
        except IndexError:
            return ""
        if s.group(2):
            value = "".join(ch for ch in value if " " <= ch <= "~")
        if s.group(3):
            value = value.replace(s.group(4), s.group(5))
        return value

    return _bytes_text(_SUBST.sub(one, template)).strip()


def _bytes_text(text: str) -> str:
    """The file and the responses are matched as bytes (latin-1 text); what a device said was UTF-8."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


@dataclass(slots=True, eq=False)
class _Group:
    """The lines of one probe that can match a kind's rebuilt responses, in nmap's order, with their prefilters."""

    lines: list[Line]
    variants: list[int]  # which rebuilt response a line reads: 0, or 1 (the HTTP/1.1 spelling)
    checks: list[
        tuple[str, bool]
    ]  # (a fixed text every match contains or "", compared with the folded response)
    regexes: list[
        re.Pattern[str] | Literal[False] | None
    ]  # compiled on first use; False: Python's re cannot compile it
    by_gram: dict[str, list[int]]  # piece of fixed text (folded) → the lines keyed by it
    always: list[int]  # lines with no such piece: tried for every response

    def regex(self, n: int) -> re.Pattern[str] | None:
        found = self.regexes[n]
        if found is None:
            line = self.lines[n]
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    found = re.compile(to_python(line.pattern), _re_flags(line.flags))
            except (re.error, OverflowError, RecursionError):
                found = False
            self.regexes[n] = found
        return found or None

    def candidates(self, folded: tuple[str, str]) -> list[int]:
        """The lines (nmap's order) whose piece of fixed text a response contains, and those with none."""
        text, as_11 = folded
        grams = {text[i : i + GRAM] for i in range(len(text) - GRAM + 1)}
        if as_11 != text:  # differs from `text` in its first 9 characters only (`_subjects`)
            grams.update(as_11[i : i + GRAM] for i in range(min(9, len(as_11) - GRAM + 1)))
        found = list(self.always)
        for gram in self.by_gram.keys() & grams:
            found.extend(self.by_gram[gram])
        found.sort()
        return found


@dataclass(slots=True, eq=False)
class ProbeDatabase:
    """The match lines of one nmap-service-probes file, indexed per probe on first use."""

    path: Path
    sha256: str
    lines: list[Line]
    unreadable: int
    load_seconds: float = 0.0
    prefilters: list[Prefilter | None] = field(default_factory=list)  # aligned with `lines`
    _groups: dict[tuple[str, tuple[str, ...]], _Group] = field(default_factory=dict)
    _memo: dict[tuple[str, str], Hit | None] = field(default_factory=dict)
    _every: dict[str, list[tuple[Line, re.Pattern[str], int]]] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return f"{self.path} (sha256 {self.sha256[:12]}, {len(self.lines)} match lines)"

    def _group(self, kind: str) -> _Group:
        probe, services = KIND_PROBES[kind]
        key = (probe, services)
        found = self._groups.get(key)
        if found is not None:
            return found
        if len(self.prefilters) != len(self.lines):
            self.prefilters = prefilters(self.lines)  # a database built without them (tests, other callers)
        found = _Group([], [], [], [], {}, [])
        for line, pre in zip(self.lines, self.prefilters, strict=True):
            if pre is None or not _of_probe(line, probe, services):
                continue  # not tried: another probe or service, or a status line no rebuilt response has
            at = len(found.lines)
            found.lines.append(line)
            found.variants.append(pre.variant)
            found.checks.append((pre.check, pre.folded))
            found.regexes.append(None)
            if pre.gram:
                found.by_gram.setdefault(pre.gram, []).append(at)
            else:
                found.always.append(at)
        self._groups[key] = found
        return found

    def _compile_all(self, kind: str) -> _Group:
        group = self._group(kind)
        for n in range(len(group.lines)):
            group.regex(n)
        return group

    def skipped(self) -> int:
        """Lines of the probes camscan uses that Python's `re` cannot compile (counted in `camscan signatures`;
        compiles every line)."""
        return sum(self._compile_all(kind).regexes.count(False) for kind in KIND_PROBES)

    def used_lines(self) -> int:
        """Lines of the probes camscan uses that can match a rebuilt response and Python's `re` compiles."""
        return sum(len(g.lines) - g.regexes.count(False) for g in map(self._compile_all, KIND_PROBES))

    def match(self, kind: str, response: str) -> Hit | None:
        """The first line (nmap's order) of the kind's probe that matches the response, memoised. An HTTP response
        is read as HTTP/1.1 by the lines that expect 1.1 (the banner does not say which version the device
        answered with)."""
        key = (kind, response)
        try:
            return self._memo[key]
        except KeyError:
            pass
        hit = self.first(kind, latin1(response))
        if len(self._memo) >= MEMO_SIZE:
            self._memo.clear()
        self._memo[key] = hit
        return hit

    def first(self, kind: str, subject: str) -> Hit | None:
        """The first line that matches a subject (a response as nmap's Latin-1 text, `latin1`), trying only the
        lines whose prefilter it passes (the module's docstring), in nmap's order."""
        group = self._group(kind)
        subjects = _subjects(subject)
        folded = (subjects[0].lower(), subjects[1].lower())
        for n in group.candidates(folded):
            check, fold = group.checks[n]
            variant = group.variants[n]
            if check and check not in (folded if fold else subjects)[variant]:
                continue
            regex = group.regex(n)
            m = regex.search(subjects[variant]) if regex is not None else None
            if m is not None:
                return _hit(group.lines[n], m)
        return None

    def first_every_line(self, kind: str, subject: str) -> Hit | None:
        """The straightforward reading `first` must equal for a subject of the kind's shape (one that starts as
        `response` starts them, `STARTS`): every line of the kind's probe and services in nmap's order, compiled
        and tried in turn, first match wins; no status-line pruning, no prefilter (tests and
        bench/bench_nmap_probes.py compare the two)."""
        probe, services = KIND_PROBES[kind]
        every = self._every.get(kind)
        if every is None:
            every = self._every[kind] = []
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for line in self.lines:
                    if not _of_probe(line, probe, services):
                        continue
                    try:
                        regex = re.compile(to_python(line.pattern), _re_flags(line.flags))
                    except (re.error, OverflowError, RecursionError):
                        continue
                    every.append((line, regex, _variant(kind, line)))
        subjects = _subjects(subject)
        for line, regex, variant in every:
            m = regex.search(subjects[variant])
            if m is not None:
                return _hit(line, m)
        return None


def _variant(kind: str, line: Line) -> int:
    """1 for the GetRequest lines that expect HTTP/1.1 (they read the response spelt that way), else 0."""
    return int(kind == "http_server" and (literal_start(line.pattern) or "").startswith("HTTP/1.1"))


def latin1(response: str) -> str:
    """A response as nmap reads it: its UTF-8 bytes, one character per byte."""
    return response.encode("utf-8", "replace").decode("latin-1")


def _subjects(subject: str) -> tuple[str, str]:
    """The subject, and spelt as HTTP/1.1 for the lines that expect 1.1."""
    return subject, ("HTTP/1.1 " + subject[9:] if subject.startswith("HTTP/1.0 ") else subject)


def _hit(line: Line, m: re.Match[str]) -> Hit:
    info = {k: _fill(v, m) for k, v in line.info.items()}
    cpes = []
    for cpe in line.cpes:
        parts = cpe.split(":")
        if len(parts) < 2:
            continue
        part, vendor = parts[0], parts[1]
        template = parts[2] if len(parts) > 2 else ""
        product = _fill(template, m)
        cpes.append((part, vendor.lower(), product.lower(), _model(template, m, info.get("p", ""))))
    return Hit(line.number, line.service, {k: v for k, v in info.items() if v}, tuple(cpes))


def _model(template: str, m: re.Match[str], product: str) -> str:
    """The model a `cpe:/h` product names, spelt as the device spelt it: `$1` alone is the captured text;
    `laserjet_$1` keeps its leading family word; a trailing literal type (`$1_network_camera`) is dropped; a
    literal product is spelt as in the `p/` text when it appears there (`dcs-900` → `DCS-900`)."""
    subs = list(_SUBST.finditer(template))
    if subs:
        template = template[: subs[-1].end()]
    text = _fill(template, m).replace("_", " ").strip()
    if not text:
        return ""
    at = product.casefold().find(text.casefold())
    return product[at : at + len(text)] if at >= 0 else text


def response(
    kind: str, value: str | None, headers: dict[str, str] | None = None, max_part: int | None = MAX_PART
) -> str | None:
    """The answer nmap would have read, rebuilt from a banner and its port's other headers (HTTP: the
    `WWW-Authenticate` challenge and the page title; RTSP: the challenge), each cut to MAX_PART characters.
    `value` None: no Server header. (`max_part` None: uncut, for bench/bench_regex_worst_case.py --uncut.)"""
    headers = {k: _part(v, max_part) for k, v in (headers or {}).items()}
    server = f"Server: {_part(value, max_part)}\r\n" if value else ""
    if kind == "http_server":
        auth = headers.get("http_www_authenticate")
        title = headers.get("html_title")
        status = "401 Unauthorized" if auth else "200 OK"
        out = f"HTTP/1.0 {status}\r\n{server}"
        if auth:
            out += f"WWW-Authenticate: {auth}\r\n"
        out += "Content-Type: text/html\r\n\r\n"
        if title:
            out += f"<html><head><title>{title}</title></head></html>"
        return out
    if kind == "rtsp_server":
        auth = headers.get("rtsp_www_authenticate")
        if auth:
            return f"RTSP/1.0 401 Unauthorized\r\nCSeq: 1\r\n{server}WWW-Authenticate: {auth}\r\n\r\n"
        return f"RTSP/1.0 200 OK\r\nCSeq: 1\r\n{server}\r\n"
    if value is None:
        return None
    value = _part(value, max_part)
    if kind == "ftp_banner":
        return (value if value[:3].isdigit() else f"220 {value}") + "\r\n"
    if kind in ("telnet_banner", "ssh_banner"):
        return value + "\r\n"
    return None


def _part(text: str, max_part: int | None) -> str:
    """A piece of the device's answer as the rebuilt response holds it: stripped and cut to `max_part`."""
    return text.strip()[:max_part].strip()


def hit_of_service(value: dict[str, Any]) -> Hit | None:
    """An `nmap_service` observation (nmap -sV's own conclusion, imported from its XML) read the same way as a
    match: its devicetype and CPEs (product names are left to vendor_signatures/signatures/nmap.yaml)."""
    cpes = []
    for cpe in str(value.get("cpe") or "").split():
        parts = cpe.removeprefix("cpe:/").split(":")
        if len(parts) >= 2 and parts[0] in ("h", "o", "a"):
            product = parts[2] if len(parts) > 2 else ""
            model = product.replace("_", " ")
            at = str(value.get("product") or "").casefold().find(model.casefold())
            if model and at >= 0:
                model = str(value["product"])[at : at + len(model)]
            cpes.append((parts[0], parts[1].lower(), product.lower(), model))
    info = {
        k: str(value.get(f) or "") for k, f in (("p", "product"), ("i", "extrainfo"), ("d", "devicetype"))
    }
    if not cpes and not info["d"]:
        return None
    hit = Hit(0, str(value.get("name") or ""), {k: v for k, v in info.items() if v}, tuple(cpes))
    return hit


def spelt_as_in(name: str, text: str) -> str:
    """`hikvision` as `text` spells it (`Hikvision DVR`), else title-cased: an unlisted maker's display."""
    fold = re.sub(r"[^0-9a-z]", "", name.casefold())
    words = text.split()
    for n in range(1, min(4, len(words)) + 1):
        candidate = " ".join(words[:n])
        if re.sub(r"[^0-9a-z]", "", candidate.casefold()) == fold:
            return candidate
    return name.title()


# ------------------------------------------------------------------------------------------------ locating


def locate() -> Path | None:
    """The file camscan reads: $CAMSCAN_NMAP_SERVICE_PROBES (`off` turns the feature off), else an installed nmap's."""
    env = os.environ.get(ENV)
    if env is not None:
        if env.strip().lower() in ("", "off", "0", "none"):
            return None
        return Path(env)
    return _installed()


@cache
def _installed() -> Path | None:
    """The installed nmap's file (looked for once per process)."""
    for candidate in DEFAULT_PATHS:
        path = Path(candidate)
        if path.is_file():
            return path
    return None


def database() -> ProbeDatabase | None:
    """The process-wide database of the located file, or None (absent or unreadable: the feature is off)."""
    path = locate()
    return _load(path) if path is not None else None


def warm() -> None:
    """Index the lines of every probe camscan uses now, so a scan's event loop never pays it on the first banner it
    identifies (regexes are compiled when a response first reaches them). Does nothing when the feature is off."""
    db = database()
    if db is not None:
        for kind in KIND_PROBES:
            db._group(kind)


def status() -> str:
    """One line for `camscan signatures`: what nmap knowledge is in use, or why none."""
    path = locate()
    if path is None:
        if os.environ.get(ENV) is not None:
            return f"nmap service probes: off (${ENV}={os.environ[ENV]!r})"
        return "nmap service probes: off (nmap-service-probes not found; install nmap or set $" + ENV + ")"
    db = _load(path)
    if db is None:
        return f"nmap service probes: off ({path} cannot be read)"
    return (
        f"nmap service probes: {db.version}; {db.used_lines()} lines of the HTTP/RTSP/FTP/telnet/SSH probes in use, "
        f"{db.skipped()} skipped (not valid for Python's re), loaded in {db.load_seconds:.2f} s"
    )


def cache_format() -> str:
    """What the cached entry of a file depends on besides its bytes: CACHE_FORMAT and everything the stored
    prefilters are computed from (which lines each kind tries, `KIND_PROBES`; the status lines, `STARTS`; `GRAM`),
    so editing any of them is a miss, never stale prefilters."""
    inputs = repr((sorted(KIND_PROBES.items()), sorted(STARTS.items()), GRAM)).encode()
    return f"{CACHE_FORMAT} {hashlib.sha256(inputs).hexdigest()[:16]}"


@cache
def _load(path: Path) -> ProbeDatabase | None:
    start = time.perf_counter()
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    sha = hashlib.sha256(raw).hexdigest()
    key = datacache.key(raw, cache_format())
    cached = _from_cache(datacache.get(key))
    if cached is not None:
        lines, pre, bad = cached
    else:
        lines, bad = parse(raw.decode("latin-1"))
        pre = prefilters(lines)
        doc = {
            "unreadable": bad,
            "lines": [
                [ln.number, ln.probe, ln.service, ln.pattern, ln.flags, ln.info, list(ln.cpes)]
                for ln in lines
            ],
            "prefilters": [list(p) if p is not None else None for p in pre],
        }
        datacache.put(key, doc)
    return ProbeDatabase(path, sha, lines, bad, time.perf_counter() - start, pre)


def _from_cache(doc: Any) -> tuple[list[Line], list[Prefilter | None], int] | None:
    """The lines, prefilters and unreadable count of a cache entry; None for MISS or an entry of another shape."""
    if doc is datacache.MISS:
        return None
    try:
        lines = [Line(n, p, s, pat, f, dict(i), tuple(c)) for n, p, s, pat, f, i, c in doc["lines"]]
        pre = [
            None if p is None else Prefilter(str(p[0]), bool(p[1]), str(p[2]), int(p[3]))
            for p in doc["prefilters"]
        ]
        bad = int(doc["unreadable"])
    except (TypeError, KeyError, IndexError, ValueError):
        return None
    return (lines, pre, bad) if len(pre) == len(lines) else None


# ------------------------------------------------------------------------------------------------ device types


@dataclass(frozen=True, slots=True)
class TypeRule:
    device_type: str
    requires: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None
    refine: tuple[tuple[re.Pattern[str], str], ...] = ()


@dataclass(frozen=True, slots=True, eq=False)
class NmapRules:
    """vendor_signatures/nmap_device_types.yaml: nmap's device types in camscan's words, and OS-only CPE vendors."""

    types: dict[str, TypeRule] = field(default_factory=dict)
    os_not_makers: frozenset[str] = frozenset()
    version: str = "none"

    @classmethod
    def empty(cls) -> NmapRules:
        return cls()

    @classmethod
    def load(cls, path: Path, device_types: DeviceTypes | None = None) -> NmapRules:
        """Load and validate; camscan's words are read through the device-type vocabulary."""
        from camscan.datafile import load_yaml

        if not path.exists():
            return cls.empty()
        doc = load_yaml(path, "nmap_device_types")  # vendor_signatures/schema/nmap_device_types.schema.json
        vocabulary = device_types if device_types is not None else load_device_types(Path(path).parent)
        types: dict[str, TypeRule] = {}
        for name, raw in doc["device_types"].items():
            entry = f"device type {name!r}"
            try:
                types[name] = TypeRule(
                    vocabulary.check(path, entry, raw["device_type"]),
                    re.compile(raw["requires"]) if raw.get("requires") else None,
                    re.compile(raw["unless"]) if raw.get("unless") else None,
                    tuple(
                        (
                            re.compile(r["pattern"]),
                            vocabulary.check(path, f"{entry} refine", r["device_type"]),
                        )
                        for r in raw.get("refine") or ()
                    ),
                )
            except re.error as exc:
                raise DataError(
                    path, f"device type {name!r}", f"not a valid regular expression: {exc}"
                ) from None
        return cls(
            types, frozenset(v.lower() for v in doc.get("os_not_makers") or ()), str(doc.get("version"))
        )

    def device_type(self, hit: Hit) -> tuple[str | None, str | None]:
        """(type, withheld type): the type nmap's `d/` gives, or the one withheld because the product does not
        name what the type needs (a `d/webcam/` recorder or box with no camera in its name)."""
        nmap_type = hit.info.get("d")
        rule = self.types.get(nmap_type or "")
        if rule is None:
            return None, None
        text = " ".join(hit.info.get(k, "") for k in ("p", "i"))
        for pattern, refined in rule.refine:
            if pattern.search(text):
                return refined, None
        if (rule.requires is not None and not rule.requires.search(text)) or (
            rule.unless is not None and rule.unless.search(text)
        ):
            return None, rule.device_type
        return rule.device_type, None
