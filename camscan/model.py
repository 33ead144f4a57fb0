"""The shared language of camscan: every source yields Observations; one engine makes Identities.

Active probes, pcap files and imported nmap XML all produce the same `Observation`. The identification
engine turns the observations of one host into an `Identity`; the store keeps one device row per physical
device, read back as a `Device` (an identity with where and when it was seen) by everything that reports.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
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
    "nmap_service": "object",  # {"port", "proto", "name", "product", "version", "extrainfo", "devicetype", "ostype", "cpe", ...}
    # Additive (issue 14): what a recorder (NVR/DVR/console) says about the cameras on its channels. `host` is the
    # recorder; the value describes ANOTHER device (the camera), which the pipeline makes a device of its own.
    "recorder_channel": "object",  # CHANNEL_FIELDS
    # Additive (issue 14): what a recorder says about its channels as a whole (counts; whether they were listed).
    "recorder_summary": "object",  # {"api", "channels", "ip_channels", "analog_channels", "listed", "note"}
    # Additive: what an ONVIF device offers, from its GetServices or GetCapabilities answer (camscan.parse.onvif_services).
    "onvif_services": "object",  # {"answer", "services", "namespaces", "video_sources", "video_outputs", ...}
}

#: Observation kinds that describe another device than the host that answered (a camera behind a recorder):
#: the engine leaves them out of the host's own identity (`Engine.identify`).
CHANNEL_KINDS: frozenset[str] = frozenset({"recorder_channel"})
#: The fields of a `recorder_channel` value (docs/recorders.md). Only `api`, `channel` and `input` are required;
#: the camera's identity fields are what the recorder reports, never filled in by camscan.
CHANNEL_FIELDS: tuple[str, ...] = (
    "api",  # hikvision_isapi | dahua_cgi | onvif | unifi_protect: the recorder API that answered
    "channel",  # the recorder's channel number (int, as the recorder numbers it)
    "input",  # "ip" (a network camera the recorder added) | "analog" (a coax/CVBS/HD-TVI/HD-CVI input)
    "name",  # the channel title the recorder shows
    "address",  # the camera's address on the recorder's (often private, PoE) segment
    "port",  # the port the recorder uses to reach it
    "protocol",  # how the recorder talks to it (ONVIF, HIKVISION, Private ...)
    "status",  # online | offline | unknown
    "manufacturer",
    "model",
    "firmware",
    "serial",
    "mac",
)
#: How a device found through a recorder is marked in `discovered_by`.
VIA_RECORDER = "via_nvr"

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
    "os",  # what the device runs (Android, Windows, BusyBox Linux ...): never its maker or its type
    "os_version",
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
    #: Why, in words, where a signature id alone does not say ("names 'polycom' (IEEE registrant Polycom, Inc.)").
    note: str | None = None

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
        if self.note:
            out["note"] = self.note
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
    #: The operating system the device runs and its version (docs/identify.md, "Operating system"). Never a
    #: maker or a device type: many cameras run BusyBox Linux, and so do routers and plugs.
    os: str | None = None
    os_version: str | None = None
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
    #: Firmware advisories that concern the device (camscan.risk.match.AdvisoryMatch), most urgent first.
    advisories: list[Any] = field(default_factory=list)

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
            "os": self.os,
            "os_version": self.os_version,
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
            "advisories": [a.to_dict() for a in self.advisories],
        }


#: How a missing manufacturer or model is shown and grouped, and a device with no site.
UNKNOWN = "(unknown)"
NO_SITE = "(none)"
#: A device clock this far (seconds, either way) from the scanner's is a finding (reports and the views).
SKEW_THRESHOLD_S = 60.0
#: The CONTRACT's device columns, in the order `devices --csv` writes them.
DEVICE_COLUMNS: tuple[str, ...] = (
    "ip",
    "mac",
    "brand",
    "manufacturer",
    "model",
    "firmware",
    "serial",
    "device_type",
    "is_camera",
    "confidence",
    "concerns",
    "discovered_by",
    "site",
    "first_seen",
    "last_seen",
)
#: FAR 52.204-25(d)(2)(i) "item description" for each device type.
ITEM_DESCRIPTIONS = {
    "camera": "IP video surveillance camera",
    "nvr": "network video recorder",
    "dvr": "digital video recorder",
    "encoder": "video encoder",
    "vms": "video management system",
    "intercom": "video intercom",
    "access_control": "access control device",
}


def os_label(name: str | None, version: str | None) -> str:
    """What a device runs, as shown in tables: `Android 13`, `BusyBox Linux`, or "" when it did not say."""
    if not name:
        return ""
    return f"{name} {version}" if version else name


def loads_json(text: str | None, default: Any) -> Any:
    """A JSON column's value, or `default` when it is empty or not JSON."""
    if not text:
        return default
    try:
        return json.loads(text)
    except ValueError:
        return default


@dataclass(slots=True)
class Device:
    """A device as the inventory holds it (current state, or as one scan saw it): the one read model.

    `Device.from_row` reads a `devices` row; `to_json` is the CONTRACT's `devices --json` element. The store,
    the reports, the exports and `check` all read devices through this class.
    """

    key: str
    ip: str | None
    mac: str | None
    site: str | None
    brand: str | None
    manufacturer: str | None
    model: str | None
    firmware: str | None
    firmware_build: str | None
    serial: str | None
    hardware: str | None
    device_type: str | None
    hostname: str | None
    platform: str | None
    confidence: float | None
    concerns: list[str]
    concern_links: list[dict[str, Any]]
    evidence: list[dict[str, Any]]
    discovered_by: list[str]
    first_seen: str | None
    last_seen: str | None
    clock_skew_s: float | None
    last_scan_id: int | None
    #: What the store noticed about the device's identity (a MAC or serial other devices share, ...).
    findings: list[dict[str, Any]] = field(default_factory=list)
    #: A camera found through a recorder (issue 14): the recorder's device key, the channel, the camera's address
    #: on the recorder's segment, and the input kind ("ip" or "analog"). None for devices found directly.
    parent: str | None = None
    channel: int | None = None
    private_address: str | None = None
    channel_input: str | None = None
    channel_name: str | None = None
    channel_status: str | None = None
    #: A recorder: what it said about its channels (`recorder_summary`: counts, listed or not, why not).
    recorder: dict[str, Any] | None = None
    #: Firmware advisories that concern the device (issue 13): AdvisoryMatch dicts, most urgent first.
    advisories: list[dict[str, Any]] = field(default_factory=list)
    #: What the device runs (Identity.os): never its maker or type.
    os: str | None = None
    os_version: str | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Device:
        return cls(
            key=row["key"],
            ip=row["ip"],
            mac=row["mac"],
            site=row["site"],
            brand=row["brand"],
            manufacturer=row["manufacturer"],
            model=row["model"],
            firmware=row["firmware"],
            firmware_build=row["firmware_build"],
            serial=row["serial"],
            hardware=row["hardware"],
            device_type=row["device_type"],
            hostname=row["hostname"],
            platform=row.get("platform"),
            confidence=row["confidence"],
            concerns=list(loads_json(row["concerns"], [])),
            concern_links=list(loads_json(row.get("concern_details"), [])),
            evidence=list(loads_json(row["evidence"], [])),
            discovered_by=list(loads_json(row["discovered_by"], [])),
            first_seen=row["first_seen"],
            last_seen=row["last_seen"],
            clock_skew_s=row.get("clock_skew_s"),
            last_scan_id=row.get("last_scan_id"),
            findings=list(loads_json(row.get("findings"), [])),
            parent=row.get("parent"),
            channel=row.get("channel"),
            private_address=row.get("private_address"),
            channel_input=row.get("channel_input"),
            channel_name=row.get("channel_name"),
            channel_status=row.get("channel_status"),
            recorder=loads_json(row.get("recorder"), None),
            advisories=list(loads_json(row.get("advisories"), [])),
            os=row.get("os"),
            os_version=row.get("os_version"),
        )

    @property
    def is_camera(self) -> bool:
        return self.device_type in CAMERA_TYPES

    @property
    def maker(self) -> str:
        return self.manufacturer or UNKNOWN

    @property
    def site_name(self) -> str:
        return self.site or NO_SITE

    @property
    def of_concern(self) -> bool:
        return bool(self.concerns)

    @property
    def clock_skewed(self) -> bool:
        return self.clock_skew_s is not None and abs(self.clock_skew_s) > SKEW_THRESHOLD_S

    @property
    def item_description(self) -> str:
        if not self.device_type:
            return "network device (type not identified)"
        return ITEM_DESCRIPTIONS.get(self.device_type, self.device_type.replace("_", " "))

    @property
    def behind_recorder(self) -> bool:
        """Found through a recorder's channel list (it may also be reachable directly)."""
        return self.parent is not None

    @property
    def os_label(self) -> str:
        return os_label(self.os, self.os_version)

    @property
    def rebadged(self) -> bool:
        return bool(self.brand and self.manufacturer and self.brand != self.manufacturer)

    def to_json(self) -> dict[str, Any]:
        """The CONTRACT's `devices --json` element (and the device in `check --json`)."""
        return {
            "ip": self.ip,
            "mac": self.mac,
            **{name: getattr(self, name) for name in IDENTITY_FIELDS},
            "is_camera": self.is_camera,
            "confidence": self.confidence,
            "concerns": list(self.concerns),
            "discovered_by": list(self.discovered_by),
            "site": self.site,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "clock_skew_s": self.clock_skew_s,
            "key": self.key,
            "findings": list(self.findings),
            # additive (issue 14): the recorder a camera was found behind, and the recorder's channel summary
            "parent": self.parent,
            "channel": self.channel,
            "private_address": self.private_address,
            "channel_input": self.channel_input,
            "channel_name": self.channel_name,
            "channel_status": self.channel_status,
            "recorder": self.recorder,
            # additive (issue 13): firmware advisories, most urgent first (docs/risk.md)
            "advisories": list(self.advisories),
        }

    to_dict = to_json
