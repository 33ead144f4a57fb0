"""Which vendor endpoints to ask for, as data: load and validate `vendor_signatures/probes.yaml`.

`load_endpoints()` reads the file once (errors name the file and the entry); `select(endpoints, ...)` picks the
endpoints of one tier whose `when` matches a host's partial identity or open ports. Only GET and HEAD are
accepted for HTTP: the scanner never sends anything that could change a device.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from camscan.datafile import load_yaml
from camscan.errors import DataError
from camscan.identify.knowledge import data_dir
from camscan.model import Identity

PROBES_FILE = "probes.yaml"
TIERS = ("b", "c")
PROTOCOLS = ("http", "udp")
HTTP_METHODS = ("GET", "HEAD")
UDP_PAYLOADS = ("sadp", "dhdiscover", "xm")
WHEN_KEYS = ("manufacturer", "brand", "evidence", "open_ports", "device_type")
KEYS = {"id", "tier", "protocol", "method", "path", "auth", "ports", "payload", "when", "reads", "source"}


@dataclass(frozen=True, slots=True)
class When:
    manufacturer: frozenset[str] = frozenset()
    brand: frozenset[str] = frozenset()
    evidence: tuple[str, ...] = ()
    open_ports: frozenset[int] = frozenset()
    #: When given, also required (and): the partial identity's device type is one of these (recorders' calls).
    device_type: frozenset[str] = frozenset()

    def matches(self, identity: Identity | None, open_ports: Iterable[int]) -> bool:
        if self.device_type and (identity is None or (identity.device_type or "") not in self.device_type):
            return False
        if identity is not None:
            if identity.manufacturer and identity.manufacturer.casefold() in self.manufacturer:
                return True
            if identity.brand and identity.brand.casefold() in self.brand:
                return True
            if self.evidence and any(e.signature.startswith(self.evidence) for e in identity.evidence):
                return True
        return bool(self.open_ports.intersection(open_ports))


@dataclass(frozen=True, slots=True)
class Endpoint:
    id: str
    tier: str
    protocol: str
    when: When
    method: str = "GET"
    path: str = "/"
    auth: str = "none"
    ports: tuple[int, ...] = ()
    payload: str | None = None
    reads: tuple[str, ...] = ()
    source: str = ""

    @property
    def needs_credentials(self) -> bool:
        return self.auth == "required"


@dataclass(frozen=True, slots=True)
class EndpointSet:
    endpoints: tuple[Endpoint, ...]
    path: str = ""
    ids: frozenset[str] = field(default_factory=frozenset)


def _fail(path: Path, entry: str | None, message: str) -> DataError:
    return DataError(path, entry, message)


def _str_list(path: Path, entry: str, key: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _fail(path, entry, f"`{key}` must be a list of non-empty strings")
    return value


def _int_list(path: Path, entry: str, key: str, value: Any) -> list[int]:
    if not isinstance(value, list) or not all(isinstance(v, int) and 0 < v < 65536 for v in value):
        raise _fail(path, entry, f"`{key}` must be a list of port numbers")
    return value


def parse_endpoint(path: Path, index: int, raw: Any) -> Endpoint:
    entry = f"endpoints[{index}]"
    if not isinstance(raw, dict):
        raise _fail(path, entry, "each endpoint must be a mapping")
    ident = raw.get("id")
    if not isinstance(ident, str) or "." not in ident:
        raise _fail(path, entry, "`id` must be a string like vendor.what")
    entry = ident
    unknown = set(raw) - KEYS
    if unknown:
        raise _fail(path, entry, f"unknown key(s): {', '.join(sorted(unknown))}")
    tier, protocol = raw.get("tier"), raw.get("protocol")
    if tier not in TIERS:
        raise _fail(path, entry, f"`tier` must be one of {', '.join(TIERS)}")
    if protocol not in PROTOCOLS:
        raise _fail(path, entry, f"`protocol` must be one of {', '.join(PROTOCOLS)}")
    auth = raw.get("auth", "none")
    if auth not in ("none", "required"):
        raise _fail(path, entry, "`auth` must be none or required")
    if auth == "required" and tier != "c":
        raise _fail(path, entry, "an endpoint that needs credentials belongs to tier c")
    if not isinstance(raw.get("source"), str) or not raw["source"].strip():
        raise _fail(path, entry, "`source` is required: where is this endpoint documented?")
    when_raw = raw.get("when")
    if not isinstance(when_raw, dict) or not when_raw:
        raise _fail(path, entry, "`when` must say which identities or open ports trigger the endpoint")
    bad = set(when_raw) - set(WHEN_KEYS)
    if bad:
        raise _fail(path, entry, f"`when` has unknown key(s): {', '.join(sorted(bad))}")
    when = When(
        manufacturer=frozenset(
            v.casefold() for v in _str_list(path, entry, "manufacturer", when_raw.get("manufacturer", []))
        ),
        brand=frozenset(v.casefold() for v in _str_list(path, entry, "brand", when_raw.get("brand", []))),
        evidence=tuple(_str_list(path, entry, "evidence", when_raw.get("evidence", []))),
        open_ports=frozenset(_int_list(path, entry, "open_ports", when_raw.get("open_ports", []))),
        device_type=frozenset(_str_list(path, entry, "device_type", when_raw.get("device_type", []))),
    )
    if when.device_type and not (when.manufacturer or when.brand or when.evidence or when.open_ports):
        raise _fail(path, entry, "`when: device_type` narrows another condition; it cannot stand alone")
    ports = tuple(_int_list(path, entry, "ports", raw.get("ports", [])))
    reads = tuple(_str_list(path, entry, "reads", raw.get("reads", [])))
    if protocol == "http":
        method = str(raw.get("method", "GET")).upper()
        if method not in HTTP_METHODS:
            raise _fail(path, entry, "HTTP endpoints may only use GET or HEAD (camscan is read-only)")
        target = raw.get("path")
        if not isinstance(target, str) or not target.startswith("/") or any(c in target for c in " \r\n"):
            raise _fail(path, entry, "`path` must be a request target starting with /")
        return Endpoint(ident, tier, protocol, when, method, target, auth, ports, None, reads, raw["source"])
    payload = raw.get("payload")
    if payload not in UDP_PAYLOADS:
        raise _fail(path, entry, f"`payload` must be one of {', '.join(UDP_PAYLOADS)}")
    if len(ports) != 1:
        raise _fail(path, entry, "a UDP endpoint names exactly one port")
    if auth != "none":
        raise _fail(path, entry, "UDP discovery endpoints never carry credentials")
    return Endpoint(ident, tier, protocol, when, "DATAGRAM", "", auth, ports, payload, reads, raw["source"])


def parse_endpoints(path: Path, data: Any) -> EndpointSet:
    if not isinstance(data, dict) or not isinstance(data.get("endpoints"), list):
        raise _fail(path, None, "expected a mapping with an `endpoints` list")
    if data.get("version") != 1:
        raise _fail(path, None, "`version: 1` is the only format this camscan reads")
    endpoints = [parse_endpoint(path, i, raw) for i, raw in enumerate(data["endpoints"])]
    seen: set[str] = set()
    for e in endpoints:
        if e.id in seen:
            raise _fail(path, e.id, "duplicate id")
        seen.add(e.id)
    return EndpointSet(tuple(endpoints), str(path), frozenset(seen))


@lru_cache(maxsize=4)
def load_endpoints(directory: Path | None = None) -> EndpointSet:
    """The endpoints of `<data dir>/probes.yaml` (parsed and validated once per process)."""
    path = (directory or data_dir()) / PROBES_FILE
    return parse_endpoints(path, load_yaml(path))


def select(
    endpoints: Sequence[Endpoint],
    tier: str,
    identity: Identity | None,
    open_ports: Iterable[int],
    *,
    done: Iterable[str] = (),
    credentials: bool = False,
) -> list[Endpoint]:
    """The endpoints of `tier` triggered by this partial identity or these open ports, not yet tried."""
    ports = set(open_ports)
    skip = set(done)
    out = []
    for e in endpoints:
        if e.tier != tier or e.id in skip:
            continue
        if e.needs_credentials and not credentials:
            continue
        if e.when.matches(identity, ports):
            out.append(e)
    return out
