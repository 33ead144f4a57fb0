"""`camscan import-nmap`: an existing nmap XML file (ideally with -sV) loaded as observations.

The file is read as a stream, one `<host>` at a time (lxml `iterparse`, entities not resolved, no network,
no huge-tree mode), so a large scan needs little memory and a truncated file keeps every host before the
damage. A file that declares entities or a DTD is refused before lxml sees it
(`camscan.parse.xmlsafe.refuse_declarations_in_file`; nmap writes only a bare `<!DOCTYPE nmaprun>`), with the
same message whichever lxml release is installed. Each host's observations go through
`camscan.pipeline.ingest_host`, the same path every source uses.

python-nmap is deliberately not used here: it is GPL-3.0 and must never be imported into the main process
(docs/licensing.md). The XML format is simple and documented (nmap.dtd); this module reads it directly.

Mapping (docs/reports.md has the table): `<address addrtype="mac">` → `mac`; each open port's `<service>` →
`nmap_service`; script output `http-server-header` → `http_server`, `http-title` → `html_title`, `http-auth`
→ `http_www_authenticate`, `ssl-cert` subject → `tls_subject`, `banner` → `ftp_banner`/`telnet_banner`/
`ssh_banner`, `snmp-sysdescr` → `snmp_sysdescr`; `Server:`, `WWW-Authenticate:` and `<title>` found in the
responses nmap recorded (`servicefp`, `fingerprint-strings`, `rtsp-methods`) → the HTTP or RTSP kinds.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from camscan.errors import EXIT_PARTIAL, CamscanError, UsageError
from camscan.identify.engine import Engine
from camscan.model import Observation
from camscan.parse.base import ParseError
from camscan.parse.tls import canonical_subject
from camscan.parse.xmlsafe import refuse_declarations_in_file
from camscan.pipeline import ingest_host
from camscan.store import Store

SOURCE = "nmap"
#: Longest text kept from any one attribute or script output.
MAX_TEXT = 4096
_SSL_FIELDS = (
    ("commonName", "CN"),
    ("organizationalUnitName", "OU"),
    ("organizationName", "O"),
    ("localityName", "L"),
    ("stateOrProvinceName", "ST"),
    ("countryName", "C"),
)
_NO_TITLE = ("Site doesn't have a title", "Did not follow redirect", "Request failed", "ERROR:")
#: The `<service>` attributes an `nmap_service` value carries (absent ones are ""); `ostype` names the OS.
NMAP_SERVICE_KEYS = ("name", "product", "version", "extrainfo", "devicetype", "hostname", "tunnel", "ostype")
_BANNER_KINDS = {"ftp": "ftp_banner", "telnet": "telnet_banner", "ssh": "ssh_banner"}
_FP_RESPONSE = re.compile(r'r\((\w+),([0-9A-Fa-f]+),"((?:[^"\\]|\\.)*)"\)', re.S)
_FP_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|.)", re.S)
_FP_SIMPLE = {"r": "\r", "n": "\n", "t": "\t", "0": "\0"}
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)


class PartialImport(CamscanError):
    """The file was damaged part-way: the hosts before the damage were stored (exit code 3)."""

    exit_code = EXIT_PARTIAL


@dataclass(slots=True)
class ParsedHost:
    ip: str | None
    mac: str | None
    observations: list[Observation] = field(default_factory=list)
    services: list[tuple[int, str, str | None, str | None]] = field(default_factory=list)


@dataclass(slots=True)
class ImportResult:
    scan_id: int
    file: str
    status: str
    hosts: int = 0
    devices: int = 0
    cameras: int = 0
    identified: int = 0
    error: str | None = None
    nmap: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scan_id": self.scan_id,
            "file": self.file,
            "status": self.status,
            "hosts": self.hosts,
            "devices": self.devices,
            "cameras": self.cameras,
            "identified": self.identified,
            "error": self.error,
            "nmap": self.nmap,
        }


# -- sans-io parsing -------------------------------------------------------------------------------


def _bounded(text: str | None) -> str:
    return (text or "").strip()[:MAX_TEXT]


def unescape_fingerprint(text: str) -> str:
    """nmap's escaping in `servicefp` responses: \\xHH, \\r, \\n, \\t, \\0, and a backslash before punctuation."""

    def one(m: re.Match[str]) -> str:
        esc = m.group(1)
        if esc.startswith("x") and len(esc) == 3:
            return chr(int(esc[1:], 16))
        return _FP_SIMPLE.get(esc, esc)

    return _FP_ESCAPE.sub(one, text)


def fingerprint_responses(servicefp: str) -> list[str]:
    """The raw responses an unrecognised service gave to nmap's probes, unescaped."""
    joined = servicefp.replace("\nSF:", "").replace("\nSF-", "")
    return [unescape_fingerprint(m.group(3)) for m in _FP_RESPONSE.finditer(joined)]


def response_facts(response: str) -> list[tuple[str, str]]:
    """(kind, value) pairs in one HTTP or RTSP response: Server, WWW-Authenticate and an HTML <title>."""
    lines = re.split(r"\r?\n", response.strip())
    if not lines:
        return []
    status = lines[0].strip()
    proto = "rtsp" if status.startswith("RTSP/") else "http" if status.startswith("HTTP/") else None
    if proto is None:
        return []
    out: list[tuple[str, str]] = []
    for line in lines[1:]:
        if not line.strip():
            break
        name, _, value = line.partition(":")
        name, value = name.strip().lower(), _bounded(value)
        if not value:
            continue
        if name == "server":
            out.append((f"{proto}_server", value))
        elif name == "www-authenticate":
            out.append((f"{proto}_www_authenticate", value))
    if proto == "http":
        m = _TITLE.search(response)
        if m and m.group(1).strip():
            out.append(("html_title", _bounded(re.sub(r"\s+", " ", m.group(1)))))
    return out


def _script_lines_facts(output: str) -> list[tuple[str, str]]:
    """Responses as nmap's fingerprint-strings / rtsp-methods print them (indented, one header per line)."""
    facts: list[tuple[str, str]] = []
    block: list[str] = []
    for raw in [*output.splitlines(), ""]:
        line = raw.strip()
        if line.startswith(("HTTP/", "RTSP/")) or not line:
            if block:
                facts += response_facts("\r\n".join(block))
            block = [line] if line else []
        elif block:
            block.append(line)
    return facts


def _elems(script: Any, key: str | None = None) -> list[str]:
    found = []
    for elem in script.iter("elem"):
        if elem.get("key") == key:
            found.append(_bounded(elem.text))
    return [f for f in found if f]


def _ssl_subject(script: Any) -> str | None:
    for table in script.iter("table"):
        if table.get("key") == "subject":
            values = {e.get("key"): _bounded(e.text) for e in table.iter("elem")}
            parts = [f"{short}={values[name]}" for name, short in _SSL_FIELDS if values.get(name)]
            return ",".join(parts) or None
    m = re.search(r"Subject: (.*)", script.get("output") or "")
    if m:  # nmap's printed `commonName=…/organizationName=…`: the one reader of printed subjects
        return canonical_subject(m.group(1)) or None
    return None


def _http_auth(script: Any) -> list[str]:
    out = []
    for table in script.iter("table"):
        scheme = table.get("key")
        realm = next((_bounded(e.text) for e in table.iter("elem") if e.get("key") == "realm"), "")
        if scheme and realm:
            out.append(f'{scheme} realm="{realm}"')
    if not out:
        for m in re.finditer(
            r"^\s*(Basic|Digest)\s+.*?realm=(.+?)(?:\s+\w+=|$)", script.get("output") or "", re.M
        ):
            out.append(f'{m.group(1)} realm="{m.group(2).strip()}"')
    return out


def script_facts(script: Any, service_name: str) -> list[tuple[str, str]]:
    """(kind, value) pairs from one `<script>` element."""
    sid = script.get("id") or ""
    output = script.get("output") or ""
    if output.startswith("ERROR:"):
        return []
    if sid == "http-server-header":
        return [("http_server", v) for v in (_elems(script) or [_bounded(output)]) if v]
    if sid == "http-title":
        titles = _elems(script, "title") or ([_bounded(output)] if not output.startswith(_NO_TITLE) else [])
        return [("html_title", t) for t in titles if t]
    if sid == "http-auth":
        return [("http_www_authenticate", v) for v in _http_auth(script)]
    if sid == "ssl-cert":
        subject = _ssl_subject(script)
        return [("tls_subject", subject)] if subject else []
    if sid == "banner" and service_name in _BANNER_KINDS:
        return [(_BANNER_KINDS[service_name], _bounded(output))] if output.strip() else []
    if sid == "snmp-sysdescr":
        return [("snmp_sysdescr", _bounded(output.split("\n")[0]))] if output.strip() else []
    if sid in ("fingerprint-strings", "rtsp-methods") or "Server:" in output:
        return _script_lines_facts(output)
    return []


def parse_host(host: Any, default_time: float) -> ParsedHost | None:
    """One `<host>` element as observations; None for a host that is not up."""
    status = host.find("status")
    if status is not None and status.get("state") not in (None, "up"):
        return None
    ip = mac = None
    for addr in host.findall("address"):
        kind = addr.get("addrtype")
        if kind in ("ipv4", "ipv6") and ip is None:
            ip = addr.get("addr")
        elif kind == "mac" and addr.get("addr"):
            mac = addr.get("addr").lower()
    try:
        seen = float(host.get("starttime") or default_time)
    except ValueError:
        seen = default_time
    parsed = ParsedHost(ip, mac)
    facts: list[tuple[int | None, str, Any]] = []
    if mac:
        facts.append((None, "mac", mac))
    for port in host.iterfind("ports/port"):
        state = port.find("state")
        if state is None or state.get("state") != "open":
            continue
        try:
            number = int(port.get("portid") or "")
        except ValueError:
            continue
        proto = port.get("protocol") or "tcp"
        service = port.find("service")
        name = service.get("name") if service is not None else None
        product = service.get("product") if service is not None else None
        parsed.services.append((number, proto, name, product))
        if service is not None:
            value = {
                "port": number,
                "proto": proto,
                **{key: _bounded(service.get(key)) for key in NMAP_SERVICE_KEYS},
                "cpe": " ".join(_bounded(c.text) for c in service.iter("cpe") if c.text),
            }
            facts.append((number, "nmap_service", value))
            for response in fingerprint_responses(service.get("servicefp") or ""):
                facts += [(number, k, v) for k, v in response_facts(response)]
        for script in port.iter("script"):
            facts += [(number, k, v) for k, v in script_facts(script, name or "")]
    seen_facts: set[tuple[int | None, str, str]] = set()
    for fact_port, kind, value in facts:
        key = (fact_port, kind, repr(value))
        if key in seen_facts:
            continue
        seen_facts.add(key)
        parsed.observations.append(
            Observation(kind, value, host=ip, port=fact_port, source=SOURCE, time=seen)
        )
    return parsed


# -- streaming the file ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Run:
    info: dict[str, Any] = field(default_factory=dict)
    events: Iterator[tuple[str, Any]] | None = None


def _open_run(path: Path) -> _Run:
    """Start parsing; check the root element is <nmaprun> before anything is stored."""
    try:
        refuse_declarations_in_file(path)
    except ParseError as exc:
        raise UsageError(f"{path}: {exc}") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    events = etree.iterparse(
        str(path),
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        _event, root = next(events)
    except StopIteration:
        raise UsageError(f"{path}: empty file, not an nmap XML scan") from None
    except etree.XMLSyntaxError as exc:
        raise UsageError(f"{path}: not an nmap XML file ({exc.msg})") from None
    if root.tag != "nmaprun":
        raise UsageError(f"{path}: not an nmap XML file (root element <{root.tag!s}>, expected <nmaprun>)")
    info = {k: root.get(k) for k in ("args", "version", "start", "startstr", "scanner") if root.get(k)}
    return _Run(info, events)


def import_nmap(store: Store, engine: Engine, path: Path, *, site: str | None = None) -> ImportResult:
    """Import one nmap XML file as a scan of kind `nmap`. Raises UsageError before storing anything if the
    file is not nmap XML; a file damaged part-way is stored up to the damage (status `interrupted`)."""
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    run = _open_run(path)
    assert run.events is not None
    try:
        start = float(run.info.get("start") or time.time())
    except ValueError:
        start = time.time()
    with store.scan(
        "nmap", knowledge=engine.knowledge, site=site, methods=[SOURCE], files=[path.name]
    ) as scan_run:
        scan_id = scan_run.id
        scan_run.errors, scan_run.extra = 1, {"details": {**run.info, "file": str(path)}}  # if stopped
        result = ImportResult(scan_id, str(path), "running", nmap=dict(run.info))
        finished: dict[str, Any] = {}
        try:
            for event, elem in run.events:
                if event != "end":
                    continue
                if elem.tag == "host":
                    _ingest(store, engine, scan_id, parse_host(elem, start), site=site, result=result)
                    elem.clear(keep_tail=False)
                    parent = elem.getparent()
                    while parent is not None and elem.getprevious() is not None:
                        del parent[0]
                elif elem.tag == "finished":
                    finished = {
                        k: elem.get(k) for k in ("time", "exit", "errormsg", "summary") if elem.get(k)
                    }
        except etree.XMLSyntaxError as exc:
            result.status = "interrupted"
            result.error = f"{path}: XML damaged at line {exc.lineno} ({exc.msg}); {result.hosts} hosts before it were imported"
        else:
            if finished.get("exit") == "error":
                result.status = "interrupted"
                result.error = f"{path}: nmap reported an error: {finished.get('errormsg') or 'unknown'}"
            else:
                result.status = "complete"
        result.nmap.update({f"finished_{k}": v for k, v in finished.items()})
        scan_run.status = result.status
        scan_run.errors = 0 if result.status == "complete" else 1
        scan_run.extra = {"details": {**result.nmap, "file": str(path.resolve())}}
    return result


def _ingest(
    store: Store,
    engine: Engine,
    scan_id: int,
    parsed: ParsedHost | None,
    *,
    site: str | None,
    result: ImportResult,
) -> None:
    if parsed is None:
        return
    result.hosts += 1
    with store.batch():
        key, identity = ingest_host(
            store, engine, scan_id, parsed.ip, parsed.observations, site=site, discovered_by=[SOURCE]
        )
        if parsed.ip and parsed.services:
            store.add_services(scan_id, parsed.ip, parsed.services)
    if key:
        result.devices += 1
        result.cameras += int(identity.is_camera)
        result.identified += int(identity.manufacturer is not None)
