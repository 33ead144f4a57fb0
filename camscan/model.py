"""The shared language of camscan: every source yields Observations; one engine makes Identities.

Active probes, pcap files and imported nmap XML all produce the same `Observation`. The identification
engine turns the observations of one host into an `Identity`; the store keeps a `Device` (an identity with
where and when it was seen) per physical device and a `Scan` per run.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

#: Observation kinds, exactly as in CONTRACT.md. The value type is a string unless noted.
OBSERVATION_KINDS: dict[str, str] = {
    "http_server": "str",
    "http_www_authenticate": "str",
    "html_title": "str",
    "http_body": "str",
    "http_path": "object",  # {"path", "status", "headers", "body"}
    "rtsp_server": "str",
    "rtsp_www_authenticate": "str",
    "sdp": "str",
    "onvif_scopes": "list",
    "onvif_device_info": "object",  # {"manufacturer", "model", "firmware_version", "serial_number", "hardware_id"}
    "upnp_server": "str",
    "upnp_device": "object",  # manufacturer, modelName, modelNumber, serialNumber, friendlyName
    "snmp_sysdescr": "str",
    "ftp_banner": "str",
    "telnet_banner": "str",
    "ssh_banner": "str",
    "mac": "str",
    "dhcp_vendor_class": "str",
    "dhcp_hostname": "str",
    "mdns": "object",  # {"name", "type", "txt"}
    "tls_subject": "str",
    "vendor_discovery": "object",  # {"protocol": "sadp"|"dahua"|"xm", ...fields}
    # Additive (not in CONTRACT.md's first list): what nmap -sV concluded about a port, from imported XML.
    "nmap_service": "object",  # {"port", "proto", "name", "product", "version", "extrainfo", "devicetype", "cpe", ...}
}

#: Device types that count as video surveillance (CONTRACT: `is_camera`).
CAMERA_TYPES: frozenset[str] = frozenset({"camera", "nvr", "dvr", "encoder"})

#: Identity fields a signature may assert or extract.
IDENTITY_FIELDS: tuple[str, ...] = (
    "brand",
    "manufacturer",
    "model",
    "firmware",
    "firmware_build",
    "serial",
    "hardware",
    "device_type",
    "hostname",
)


class ObservationError(ValueError):
    """An observation whose kind or value does not fit the contract."""


@dataclass(frozen=True, slots=True)
class Observation:
    """One thing learned about one host, from any source.

    `host` is the IP address (or None for a free-standing observation such as `camscan identify` input),
    `port` the service port when there is one, `source` how it was learned (``http``, ``rtsp``, ``onvif``,
    ``wsd``, ``sadp``, ``arp``, ``pcap``, ``nmap`` …) and `time` a Unix timestamp. `error` carries what went
    wrong when a probe failed: a failing host is data, not an exception.
    """

    kind: str
    value: Any
    host: str | None = None
    port: int | None = None
    source: str = "input"
    time: float = field(default_factory=time.time)
    error: str | None = None

    def __post_init__(self) -> None:
        expected = OBSERVATION_KINDS.get(self.kind)
        if expected is None:
            raise ObservationError(f"unknown observation kind {self.kind!r}")
        if self.error is not None:
            return
        ok = {
            "str": isinstance(self.value, str),
            "object": isinstance(self.value, dict),
            "list": isinstance(self.value, list) and all(isinstance(v, str) for v in self.value),
        }[expected]
        if not ok:
            raise ObservationError(
                f"observation {self.kind!r} needs a {'string' if expected == 'str' else expected} value, "
                f"got {type(self.value).__name__}"
            )

    @classmethod
    def from_dict(cls, data: dict[str, Any], **defaults: Any) -> Observation:
        """Build from a JSON object such as ``{"kind": ..., "value": ...}``; unknown keys are ignored."""
        if not isinstance(data, dict):
            raise ObservationError("an observation must be a JSON object with 'kind' and 'value'")
        if "kind" not in data or "value" not in data:
            raise ObservationError("an observation needs both 'kind' and 'value'")
        args = {**defaults}
        for key in ("host", "port", "source", "time", "error"):
            if key in data and data[key] is not None:
                args[key] = data[key]
        return cls(kind=data["kind"], value=data["value"], **args)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Evidence:
    """Why the engine believes something: one signature that matched one observation."""

    kind: str
    signature: str
    asserts: dict[str, Any]
    weight: float = 0.0
    port: int | None = None
    source: str | None = None
    #: Precedence of the statement (higher wins per field): see camscan.identify.tiers.
    tier: int = 0
    #: Values the signature extracted that are placeholders (`Camera`, `H264` ...), dropped before voting.
    ignored: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "kind": self.kind,
            "signature": self.signature,
            "asserts": self.asserts,
            "weight": self.weight,
            "port": self.port,
            "source": self.source,
            "tier": self.tier,
        }
        if self.ignored:
            out["ignored"] = self.ignored
        return out


@dataclass(slots=True)
class ConcernLink:
    """A concern that applies to a device, and the vendor relationship it came through."""

    id: str
    vendor: str  # the vendor the concern names
    via: str  # the device's vendor through which it applies (itself, or a subsidiary/brand of `vendor`)
    relation: str  # "self", "subsidiary", "oem", ...
    confidence: str = "documented"  # documented | secondary | uncertain

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Identity:
    """What the engine concluded about one host (CONTRACT: `identify` output)."""

    brand: str | None = None
    manufacturer: str | None = None
    model: str | None = None
    firmware: str | None = None
    firmware_build: str | None = None
    serial: str | None = None
    hardware: str | None = None
    device_type: str | None = None
    hostname: str | None = None
    platform: str | None = None  # chip maker's reference firmware the device runs (not its maker)
    firmware_date: str | None = None  # ISO build date, when the firmware scheme carries one
    firmware_scheme: str | None = None  # the vendor scheme that split the firmware string
    #: Vendor fields whose value the device stated but vendors.yaml does not list (open world).
    unlisted: list[str] = field(default_factory=list)
    #: Per field, each rival value with its score and the signatures behind it.
    conflict_details: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    confidence: float = 0.0
    field_confidence: dict[str, float] = field(default_factory=dict)
    concerns: list[str] = field(default_factory=list)
    concern_links: list[ConcernLink] = field(default_factory=list)
    possible_manufacturers: list[dict[str, Any]] = field(default_factory=list)
    conflicts: dict[str, list[str]] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def is_camera(self) -> bool:
        return self.device_type in CAMERA_TYPES

    @property
    def identified(self) -> bool:
        return bool(self.manufacturer or self.brand or self.device_type)

    def to_dict(self) -> dict[str, Any]:
        """The CONTRACT's `identify` object, plus additive keys."""
        return {
            "brand": self.brand,
            "manufacturer": self.manufacturer,
            "model": self.model,
            "firmware": self.firmware,
            "firmware_build": self.firmware_build,
            "serial": self.serial,
            "hardware": self.hardware,
            "device_type": self.device_type,
            "hostname": self.hostname,
            "platform": self.platform,
            "firmware_date": self.firmware_date,
            "firmware_scheme": self.firmware_scheme,
            "unlisted": list(self.unlisted),
            "is_camera": self.is_camera,
            "confidence": round(self.confidence, 3),
            "field_confidence": {k: round(v, 3) for k, v in self.field_confidence.items()},
            "concerns": list(self.concerns),
            "concern_links": [c.to_dict() for c in self.concern_links],
            "possible_manufacturers": list(self.possible_manufacturers),
            "conflicts": dict(self.conflicts),
            "conflict_details": dict(self.conflict_details),
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(slots=True)
class Device:
    """A device in the inventory: an identity plus where and when it was seen."""

    key: str
    ip: str | None
    mac: str | None
    site: str | None
    identity: Identity
    discovered_by: list[str] = field(default_factory=list)
    first_seen: str | None = None
    last_seen: str | None = None
    clock_skew_s: float | None = None


@dataclass(slots=True)
class Scan:
    """One run that produced observations: an active scan, a pcap import or an nmap import."""

    id: int | None
    kind: str  # "active" | "pcap" | "nmap" | "identify"
    started: str
    status: str = "running"  # running | complete | interrupted | failed
    finished: str | None = None
    site: str | None = None
    targets: list[str] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    errors: int = 0
