"""The shape of a device profile: frozen dataclasses the generic servers read (no I/O here).

`camscan.lab.profiles` turns YAML into these; docs/lab.md describes the YAML.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from camscan.errors import DataError

#: `recorder`: an NVR/DVR/console with cameras on its channels (issue 14). Its own group, left out of `all` and
#: `estate`: scanned with its credentials it yields more inventory devices than the lab has devices.
CATEGORIES = frozenset({"camera", "non-camera", "hostile", "recorder"})
BEHAVIOR_TYPES = frozenset(
    {"drip", "endless_headers", "huge_header", "garbage", "truncated", "reset", "close", "silent", "raw"}
)
DISCOVERY_PROTOCOLS: dict[str, int] = {
    "wsd": 3702,
    "sadp": 37020,
    "dhdiscover": 37810,
    "xm": 34569,
    "ssdp": 1900,
}
TCP_MODES = frozenset({"banner", "silent", "reply", "dvrip"})
TRUTH_FIELDS = ("brand", "manufacturer", "model", "firmware", "serial", "device_type")
#: ONVIF operations a device answers without authentication unless the profile says otherwise
#: (the spec's PRE_AUTH set, plus GetScopes which most cameras answer openly).
DEFAULT_OPEN_OPERATIONS = frozenset(
    {
        "GetSystemDateAndTime",
        "GetCapabilities",
        "GetServices",
        "GetServiceCapabilities",
        "GetWsdlUrl",
        "GetHostname",
        "GetEndpointReference",
        "GetScopes",
    }
)

Headers = tuple[tuple[str, str | None], ...]

DEFAULT_PUBLIC = "OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER"
DEFAULT_RTSP_AUTH_METHODS = frozenset({"DESCRIBE", "SETUP", "PLAY", "PAUSE", "TEARDOWN"})
DEFAULT_SOAP_CONTENT_TYPE = "application/soap+xml; charset=utf-8"


class ProfileError(DataError):
    """A profile file is broken; the message names the file and the entry."""


@dataclass(frozen=True, slots=True)
class Behavior:
    """A hostile or unusual way of answering (see docs/lab.md, "Hostile behaviours")."""

    type: str
    interval_s: float = 2.0
    size: int = 0
    seed: int = 1
    declared_length: int = 0
    send: int = 0
    max_s: float = 300.0
    payload: str | None = None
    payload_bytes: bytes | None = None


@dataclass(frozen=True, slots=True)
class AuthSpec:
    """How a service challenges: accepted schemes, the realm checked, and the exact 401 it sends."""

    schemes: tuple[str, ...]
    realm: str
    challenges: tuple[str, ...]
    status: int = 401
    reason: str | None = None
    headers: Headers = ()
    body: str = ""
    challenge_first: bool = False
    #: `session` scheme (UniFi OS): the cookie a `login` route sets and the guarded routes require.
    cookie: str = "TOKEN"


@dataclass(frozen=True, slots=True)
class Route:
    """One HTTP path (optionally with an exact query) and what the device answers there."""

    path: str
    query: tuple[tuple[str, str], ...] | None = None
    methods: frozenset[str] = frozenset({"GET", "HEAD"})
    status: int = 200
    reason: str | None = None
    headers: Headers = ()
    body: str = ""
    body_bytes: bytes | None = None
    auth: bool = False
    behavior: Behavior | None = None
    onvif: bool = False
    action: str | None = None
    #: A session login (`session` scheme): a JSON POST {username, password}; with the device's credentials it
    #: answers 200 with the session cookie and an X-CSRF-Token header, else the site's auth status.
    login: bool = False


@dataclass(frozen=True, slots=True)
class HttpSite:
    """A web server on one or more ports: common headers, the version it speaks, its routes."""

    ports: tuple[int, ...]
    tls_ports: tuple[int, ...] = ()
    version: str = "echo"
    headers: Headers = ()
    content_length: bool = True
    keep_alive: bool = True
    auth: AuthSpec | None = None
    routes: tuple[Route, ...] = ()
    not_found: Route = field(default_factory=lambda: Route(path="*", status=404, body="Not Found"))
    on_connect: Behavior | None = None


@dataclass(frozen=True, slots=True)
class RtspSpec:
    """An RTSP server: headers, auth challenge, the SDP DESCRIBE returns."""

    ports: tuple[int, ...]
    headers: Headers = ()
    cseq: str = "first"
    missing_cseq: str = "omit"
    public: str = DEFAULT_PUBLIC
    options_headers: Headers = ()
    auth: AuthSpec | None = None
    auth_methods: frozenset[str] = DEFAULT_RTSP_AUTH_METHODS
    paths: tuple[str, ...] | None = None
    describe_headers: Headers = (("Content-Type", "application/sdp"),)
    sdp: str = ""
    behavior: Behavior | None = None
    on_connect: Behavior | None = None
    common_first: bool = True


@dataclass(frozen=True, slots=True)
class OnvifSpec:
    """The ONVIF device service: envelope, responses per operation, which need WS-Security."""

    envelope: str
    env_prefix: str = "SOAP-ENV"
    content_type: str = DEFAULT_SOAP_CONTENT_TYPE
    auth: str = "wsse"
    open_operations: frozenset[str] = DEFAULT_OPEN_OPERATIONS
    created_window_s: float = 300.0
    fault_status: int = 400
    accept_password_text: bool = True
    responses: Mapping[str, str] = field(default_factory=dict)
    raw_document: str | None = None


@dataclass(frozen=True, slots=True)
class DiscoverySpec:
    """A UDP discovery responder (WS-Discovery, SADP, DHDiscover, XiongMai, SSDP)."""

    protocol: str
    port: int
    document: str = ""
    types: tuple[str, ...] = ()
    match: str = "types"
    behavior: Behavior | None = None


@dataclass(frozen=True, slots=True)
class DvripSpec:
    """XiongMai DVRIP/Sofia on TCP 34567: the login reply and replies per (message id, Name)."""

    login_reply: str
    login_failed_reply: str
    replies: Mapping[str, tuple[int, str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TcpSpec:
    """Any other TCP port: a banner, a fixed reply, silence, or DVRIP."""

    port: int
    mode: str = "silent"
    banner: bytes = b""
    reply: bytes = b""
    behavior: Behavior | None = None
    dvrip: DvripSpec | None = None


@dataclass(frozen=True, slots=True)
class TlsSpec:
    """The self-signed certificate's subject (distinguished-name order, C first) and lifetime."""

    subject: tuple[tuple[str, str], ...]
    days: int = 3650


@dataclass(frozen=True, slots=True)
class Identity:
    """The first instance's MAC, serial and WS-Discovery UUID; later instances derive theirs."""

    mac: str
    serial: str = ""
    uuid: str | None = None


@dataclass(frozen=True, slots=True)
class Profile:
    """One device model, as data."""

    name: str
    title: str
    category: str
    source: str
    truth: Mapping[str, Any]
    identity: Identity
    credentials: tuple[str, str] | None
    clock_offset_s: float
    vars: Mapping[str, str]
    http: tuple[HttpSite, ...]
    rtsp: RtspSpec | None
    onvif: OnvifSpec | None
    discovery: tuple[DiscoverySpec, ...]
    tcp: tuple[TcpSpec, ...]
    tls: TlsSpec | None
    path: Path

    def tcp_ports(self) -> list[int]:
        """Every TCP port the device listens on."""
        ports: list[int] = []
        for site in self.http:
            ports += [*site.ports, *site.tls_ports]
        if self.rtsp:
            ports += list(self.rtsp.ports)
        ports += [t.port for t in self.tcp]
        return ports

    def udp_ports(self) -> list[int]:
        """Every UDP port the device listens on."""
        return [d.port for d in self.discovery]
