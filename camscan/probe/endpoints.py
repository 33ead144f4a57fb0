"""Which vendor endpoints to ask for, as data: load and validate `vendor_signatures/probes.yaml`.

`load_endpoints()` reads the file once (errors name the file and the entry); `select(endpoints, ...)` picks the
endpoints of one tier whose `when` matches a host's partial identity or open ports. Only GET and HEAD are
accepted for HTTP, and POST with a JSON-RPC read as its body: the scanner never sends anything that could change
a device.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from camscan.datafile import check, load_yaml
from camscan.errors import DataError
from camscan.identify.device_types import load_device_types
from camscan.identify.knowledge import data_dir
from camscan.model import Identity

PROBES_FILE = "probes.yaml"


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
    body: str | None = None  # POST only: the JSON text of a read request (a JSON-RPC `get…` method)

    @property
    def needs_credentials(self) -> bool:
        return self.auth == "required"


@dataclass(frozen=True, slots=True)
class EndpointSet:
    endpoints: tuple[Endpoint, ...]
    path: str = ""
    ids: frozenset[str] = field(default_factory=frozenset)


def _endpoint(raw: dict[str, Any]) -> Endpoint:
    """One schema-checked endpoint (vendor_signatures/schema/probes.schema.json says what is allowed)."""
    when_raw = raw["when"]
    when = When(
        manufacturer=frozenset(v.casefold() for v in when_raw.get("manufacturer", [])),
        brand=frozenset(v.casefold() for v in when_raw.get("brand", [])),
        evidence=tuple(when_raw.get("evidence", [])),
        open_ports=frozenset(when_raw.get("open_ports", [])),
        device_type=frozenset(when_raw.get("device_type", [])),
    )
    ident, tier, protocol, auth = raw["id"], raw["tier"], raw["protocol"], raw.get("auth", "none")
    ports, reads = tuple(raw.get("ports", [])), tuple(raw.get("reads", []))
    if protocol == "http":
        method = str(raw.get("method", "GET")).upper()
        body = raw.get("body")
        return Endpoint(
            ident, tier, protocol, when, method, raw["path"], auth, ports, None, reads, raw["source"], body
        )
    return Endpoint(
        ident, tier, protocol, when, "DATAGRAM", "", auth, ports, raw["payload"], reads, raw["source"]
    )


def _read_only_problem(e: Endpoint) -> str | None:
    """Why an HTTP endpoint could change a device, or None. GET and HEAD read; a POST only when its body is a
    JSON-RPC read: a JSON object whose `method` starts with `get` (Axis basicdeviceinfo getAllUnrestrictedProperties)."""
    if e.protocol != "http":
        return None
    if e.method != "POST":
        return "`body` is sent with POST only" if e.body is not None else None
    try:
        request = json.loads(e.body) if e.body is not None else None
    except ValueError:
        request = None
    method = request.get("method") if isinstance(request, dict) else None
    if not isinstance(method, str) or not re.match(r"get[A-Z]", method):
        return "POST only for a JSON-RPC read: `body` must be a JSON object whose `method` is get…"
    return None


def _build(path: Path, data: dict[str, Any]) -> EndpointSet:
    vocabulary = load_device_types(Path(path).parent)
    endpoints = []
    seen: set[str] = set()
    for e in (_endpoint(raw) for raw in data["endpoints"]):
        if e.id in seen:
            raise DataError(path, f"endpoint {e.id!r}", "duplicate id")
        seen.add(e.id)
        problem = _read_only_problem(e)
        if problem:
            raise DataError(path, f"endpoint {e.id!r}", problem)
        # `when: device_type` compares with the engine's answer: words of the vocabulary, synonyms read as their word
        words = frozenset(
            vocabulary.check(path, f"endpoint {e.id!r}", w, "when device_type") for w in e.when.device_type
        )
        endpoints.append(replace(e, when=replace(e.when, device_type=words)))
    return EndpointSet(tuple(endpoints), str(path), frozenset(seen))


def parse_endpoints(path: Path, data: Any) -> EndpointSet:
    """Endpoints from an in-memory document, checked against the probes schema first."""
    check(path, data, "probes")
    return _build(path, data)


@lru_cache(maxsize=4)
def load_endpoints(directory: Path | None = None) -> EndpointSet:
    """The endpoints of `<data dir>/probes.yaml` (parsed and validated once per process)."""
    path = (directory or data_dir()) / PROBES_FILE
    return _build(path, load_yaml(path, "probes"))


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
