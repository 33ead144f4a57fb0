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
names another file, or `off`. Parsed lines are cached (camscan/datacache.py) under the file's sha256; the regexes
of one probe are compiled when a banner of its kind is first seen; results are memoised per (kind, text).
"""

from __future__ import annotations

import hashlib
import os
import re
import time
import warnings
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from camscan import datacache
from camscan.errors import DataError
from camscan.identify.device_types import DeviceTypes, load_device_types

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
#: Parsed-file cache format (bumped when the parser changes what it stores).
CACHE_FORMAT = "nmap-service-probes 1"
MEMO_SIZE = 8192

#: Observation kind → (probe name, services whose lines apply).
KIND_PROBES: dict[str, tuple[str, tuple[str, ...]]] = {
    "http_server": ("GetRequest", ("http",)),
    "rtsp_server": ("RTSPRequest", ("rtsp",)),
    "ftp_banner": ("NULL", ("ftp",)),
    "telnet_banner": ("NULL", ("telnet",)),
    "ssh_banner": ("NULL", ("ssh",)),
}
#: How the rebuilt responses of a kind can start (`response`); a line whose regex starts with a literal that fits
#: none of them (`^HTTP/1\.1 302`) can never match and is not compiled. Kinds not listed: every line is compiled.
STARTS: dict[str, tuple[str, ...]] = {
    "http_server": tuple(f"HTTP/1.{v} {s}\r\n" for v in "01" for s in ("200 OK", "401 Unauthorized")),
    "rtsp_server": ("RTSP/1.0 200 OK\r\nCSeq: 1\r\n", "RTSP/1.0 401 Unauthorized\r\nCSeq: 1\r\n"),
}
#: Kinds that join an HTTP or RTSP response of their port (with its Server: header) rather than stand alone.
HEADER_KINDS = {"http_www_authenticate": "http", "html_title": "http", "rtsp_www_authenticate": "rtsp"}

_PROBE = re.compile(r"^Probe (TCP|UDP) (\S+) ")
_POSIX = {
    "[:alpha:]": "a-zA-Z", "[:digit:]": "0-9", "[:alnum:]": "a-zA-Z0-9", "[:upper:]": "A-Z", "[:lower:]": "a-z",
    "[:space:]": r"\s", "[:xdigit:]": "0-9A-Fa-f", "[:print:]": r"\x20-\x7e", "[:punct:]": r"!-/:-@\[-`{-~",
    "[:cntrl:]": r"\x00-\x1f\x7f", "[:graph:]": r"\x21-\x7e", "[:word:]": r"\w", "[:blank:]": r" \t",
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


def can_start(pattern: str, flags: str, starts: tuple[str, ...]) -> bool:
    """Whether a match line could match a response that starts with one of `starts`."""
    lit = literal_start(pattern)
    if not lit:
        return True
    if "i" in flags:
        lit = lit.casefold()
        starts = tuple(s.casefold() for s in starts)
    return any(s.startswith(lit) or lit.startswith(s) for s in starts)


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


@dataclass(slots=True)
class _Compiled:
    lines: list[tuple[Line, re.Pattern[str], int]]  # (line, regex, which rebuilt response it reads: 0 or 1)
    failed: int


@dataclass(slots=True, eq=False)
class ProbeDatabase:
    """The match lines of one nmap-service-probes file, compiled per probe on first use."""

    path: Path
    sha256: str
    lines: list[Line]
    unreadable: int
    load_seconds: float = 0.0
    _compiled: dict[tuple[str, tuple[str, ...]], _Compiled] = field(default_factory=dict)
    _memo: dict[tuple[str, str], Hit | None] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return f"{self.path} (sha256 {self.sha256[:12]}, {len(self.lines)} match lines)"

    def _group(self, kind: str) -> _Compiled:
        probe, services = KIND_PROBES[kind]
        key = (probe, services)
        found = self._compiled.get(key)
        if found is not None:
            return found
        out: list[tuple[Line, re.Pattern[str], int]] = []
        failed = 0
        starts = STARTS.get(kind)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for line in self.lines:
                if line.probe != f"TCP:{probe}" or line.service.split("-")[0] not in services:
                    continue
                if starts is not None and not can_start(line.pattern, line.flags, starts):
                    continue  # can never match a rebuilt response (another status line)
                flags = (re.I if "i" in line.flags else 0) | (re.S if "s" in line.flags else 0)
                variant = int(kind == "http_server" and (literal_start(line.pattern) or "").startswith("HTTP/1.1"))
                try:
                    out.append((line, re.compile(to_python(line.pattern), flags), variant))
                except (re.error, OverflowError, RecursionError):
                    failed += 1
        found = self._compiled[key] = _Compiled(out, failed)
        return found

    def skipped(self) -> int:
        """Lines of the probes camscan uses that Python's `re` cannot compile (counted in `camscan signatures`)."""
        return sum(self._group(kind).failed for kind in KIND_PROBES)

    def used_lines(self) -> int:
        """Lines compiled for the probes camscan uses (those that can match a rebuilt response)."""
        return sum(len(self._group(kind).lines) for kind in KIND_PROBES)

    def match(self, kind: str, response: str) -> Hit | None:
        """The first line (nmap's order) of the kind's probe that matches the response, memoised. An HTTP response
        is read as HTTP/1.1 by the lines that expect 1.1 (the banner does not say which version the device
        answered with)."""
        key = (kind, response)
        try:
            return self._memo[key]
        except KeyError:
            pass
        hit = None
        subject = response.encode("utf-8", "replace").decode("latin-1")
        subjects = (subject, "HTTP/1.1 " + subject[9:] if subject.startswith("HTTP/1.0 ") else subject)
        for line, regex, variant in self._group(kind).lines:
            m = regex.search(subjects[variant])
            if m is not None:
                hit = _hit(line, m)
                break
        if len(self._memo) >= MEMO_SIZE:
            self._memo.clear()
        self._memo[key] = hit
        return hit


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


def response(kind: str, value: str | None, headers: dict[str, str] | None = None) -> str | None:
    """The answer nmap would have read, rebuilt from a banner and its port's other headers (HTTP: the
    `WWW-Authenticate` challenge and the page title; RTSP: the challenge). `value` None: no Server header."""
    headers = {k: v.strip() for k, v in (headers or {}).items()}
    server = f"Server: {value.strip()}\r\n" if value else ""
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
    value = value.strip()
    if kind == "ftp_banner":
        return (value if value[:3].isdigit() else f"220 {value}") + "\r\n"
    if kind in ("telnet_banner", "ssh_banner"):
        return value + "\r\n"
    return None


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
    info = {k: str(value.get(f) or "") for k, f in (("p", "product"), ("i", "extrainfo"), ("d", "devicetype"))}
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
    """Compile the lines of every probe camscan uses now (0.6-0.7 s), so a scan's event loop never pays it on the
    first banner it identifies. Does nothing when the feature is off."""
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


@cache
def _load(path: Path) -> ProbeDatabase | None:
    start = time.perf_counter()
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    sha = hashlib.sha256(raw).hexdigest()
    key = datacache.key(raw, CACHE_FORMAT)
    doc: Any = datacache.get(key)
    if doc is datacache.MISS:
        lines, bad = parse(raw.decode("latin-1"))
        doc = {
            "unreadable": bad,
            "lines": [[ln.number, ln.probe, ln.service, ln.pattern, ln.flags, ln.info, list(ln.cpes)] for ln in lines],
        }
        datacache.put(key, doc)
    else:
        lines = [Line(n, p, s, pat, f, dict(i), tuple(c)) for n, p, s, pat, f, i, c in doc["lines"]]
    return ProbeDatabase(path, sha, lines, int(doc["unreadable"]), time.perf_counter() - start)


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
                        (re.compile(r["pattern"]), vocabulary.check(path, f"{entry} refine", r["device_type"]))
                        for r in raw.get("refine") or ()
                    ),
                )
            except re.error as exc:
                raise DataError(path, f"device type {name!r}", f"not a valid regular expression: {exc}") from None
        return cls(types, frozenset(v.lower() for v in doc.get("os_not_makers") or ()), str(doc.get("version")))

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
