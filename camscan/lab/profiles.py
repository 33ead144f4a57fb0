"""Load and validate device profiles (`camscan/lab/profiles/*.yaml`).

A profile is data: what one real device answers on each protocol. This module turns the YAML into frozen
dataclasses the generic servers read, and refuses a profile that is incomplete, uses an unknown placeholder, a
port twice, or a behaviour the servers do not implement. The format is described in `docs/lab.md`.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from camscan.datafile import YamlProblem, read_yaml
from camscan.lab.spec import (
    BEHAVIOR_TYPES,
    CATEGORIES,
    DEFAULT_OPEN_OPERATIONS,
    DEFAULT_PUBLIC,
    DEFAULT_RTSP_AUTH_METHODS,
    DEFAULT_SOAP_CONTENT_TYPE,
    DISCOVERY_PROTOCOLS,
    TCP_MODES,
    TRUTH_FIELDS,
    AuthSpec,
    Behavior,
    DiscoverySpec,
    DvripSpec,
    Headers,
    HttpSite,
    Identity,
    OnvifSpec,
    Profile,
    ProfileError,
    Route,
    RtspSpec,
    TcpSpec,
    TlsSpec,
)
from camscan.lab.template import unknown_names

PROFILE_DIR = Path(__file__).resolve().parent / "profiles"

__all__ = [
    "BEHAVIOR_TYPES",
    "CATEGORIES",
    "DEFAULT_OPEN_OPERATIONS",
    "DEFAULT_PUBLIC",
    "DEFAULT_RTSP_AUTH_METHODS",
    "DEFAULT_SOAP_CONTENT_TYPE",
    "DISCOVERY_PROTOCOLS",
    "PROFILE_DIR",
    "TCP_MODES",
    "TRUTH_FIELDS",
    "AuthSpec",
    "Behavior",
    "DiscoverySpec",
    "DvripSpec",
    "Headers",
    "HttpSite",
    "Identity",
    "OnvifSpec",
    "Profile",
    "ProfileError",
    "Route",
    "RtspSpec",
    "TcpSpec",
    "TlsSpec",
    "list_profiles",
    "load_all",
    "load_profile",
]

# ----------------------------------------------------------------------------------------------- loading


def list_profiles(directory: Path = PROFILE_DIR) -> list[str]:
    """Names of the profiles shipped in `directory`, sorted."""
    return sorted(p.stem for p in directory.glob("*.yaml"))


@functools.lru_cache(maxsize=256)
def load_profile(name: str, directory: Path = PROFILE_DIR) -> Profile:
    """Load and validate one profile by name (file stem) or by path."""
    path = Path(name) if name.endswith(".yaml") else directory / f"{name}.yaml"
    if not path.is_file():
        known = ", ".join(list_profiles(directory))
        raise ProfileError(path, None, f"no such profile (known: {known})")
    raw = _resolve(path, directory, ())
    return _build(raw, path)


def load_all(directory: Path = PROFILE_DIR, category: str | None = None) -> list[Profile]:
    """Every profile in `directory`, optionally only one category."""
    profiles = [load_profile(n, directory) for n in list_profiles(directory)]
    return [p for p in profiles if category is None or p.category == category]


def _read(path: Path) -> dict[str, Any]:
    try:
        data = read_yaml(path)
    except YamlProblem as exc:
        where = f" (line {exc.line})" if exc.line else ""
        raise ProfileError(path, None, f"cannot read: {exc.detail}{where}") from exc
    if not isinstance(data, dict):
        raise ProfileError(path, None, "top level must be a mapping")
    return data


def _resolve(path: Path, directory: Path, seen: tuple[str, ...]) -> dict[str, Any]:
    """Read a profile and apply `extends:` (the child's top-level keys replace the parent's)."""
    data = _read(path)
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if parent in seen or parent == path.stem:
        raise ProfileError(path, "extends", f"circular extends via {parent!r}")
    parent_path = directory / f"{parent}.yaml"
    if not parent_path.is_file():
        raise ProfileError(path, "extends", f"unknown parent profile {parent!r}")
    merged = _resolve(parent_path, directory, (*seen, path.stem))
    if "vars" in data and "vars" in merged:
        data["vars"] = {**merged["vars"], **data["vars"]}
    merged.update(data)
    return merged


# ------------------------------------------------------------------------------------------ validation


class _Ctx:
    """Where we are in the file, for error messages."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.templates: list[str] = []

    def fail(self, entry: str, message: str) -> ProfileError:
        return ProfileError(self.path, entry, message)

    def text(self, value: Any, entry: str, *, template: bool = True, required: bool = False) -> str:
        if value is None:
            if required:
                raise self.fail(entry, "is required")
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.fail(entry, f"must be text, got {type(value).__name__}")
        text = str(value)
        if template:
            self.templates.append(text)
        return text

    def mapping(self, value: Any, entry: str) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(entry, "must be a mapping")
        return value

    def items(self, value: Any, entry: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(entry, "must be a list")
        return value

    def port(self, value: Any, entry: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 65535:
            raise self.fail(entry, f"not a port: {value!r}")
        return value

    def ports(self, value: Any, entry: str) -> tuple[int, ...]:
        if isinstance(value, int):
            value = [value]
        return tuple(self.port(v, f"{entry}[{i}]") for i, v in enumerate(self.items(value, entry)))

    def check_keys(self, data: Mapping[str, Any], allowed: Iterable[str], entry: str) -> None:
        extra = set(data) - set(allowed)
        if extra:
            raise self.fail(entry, f"unknown keys: {', '.join(sorted(extra))}")


def _headers(ctx: _Ctx, value: Any, entry: str) -> Headers:
    """Headers as an ordered list of [name, value] pairs (or a mapping); a null value removes a header."""
    pairs: list[tuple[str, str | None]] = []
    if isinstance(value, dict):
        value = [[k, v] for k, v in value.items()]
    for i, item in enumerate(ctx.items(value, entry)):
        if not isinstance(item, list) or len(item) != 2 or not isinstance(item[0], str):
            raise ctx.fail(f"{entry}[{i}]", "a header is a [name, value] pair")
        pairs.append((item[0], None if item[1] is None else ctx.text(item[1], f"{entry}[{i}]")))
    return tuple(pairs)


def _body(ctx: _Ctx, data: Mapping[str, Any], entry: str) -> tuple[str, bytes | None]:
    if "body_b64" in data:
        try:
            return "", base64.b64decode(str(data["body_b64"]), validate=True)
        except ValueError as exc:
            raise ctx.fail(f"{entry}.body_b64", f"not base64: {exc}") from exc
    return ctx.text(data.get("body"), f"{entry}.body"), None


def _raw_bytes(ctx: _Ctx, data: Mapping[str, Any], key: str, entry: str) -> bytes:
    """A byte string given as `<key>` (text) or `<key>_hex`."""
    if f"{key}_hex" in data:
        try:
            return bytes.fromhex(str(data[f"{key}_hex"]))
        except ValueError as exc:
            raise ctx.fail(f"{entry}.{key}_hex", f"not hex: {exc}") from exc
    return ctx.text(data.get(key), f"{entry}.{key}", template=False).encode("latin-1")


def _behavior(ctx: _Ctx, value: Any, entry: str) -> Behavior | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = {"type": value}
    data = ctx.mapping(value, entry)
    ctx.check_keys(
        data,
        {"type", "interval_s", "size", "seed", "declared_length", "send", "max_s", "payload", "payload_hex"},
        entry,
    )
    kind = data.get("type")
    if kind not in BEHAVIOR_TYPES:
        raise ctx.fail(
            f"{entry}.type", f"unknown behaviour {kind!r} (known: {', '.join(sorted(BEHAVIOR_TYPES))})"
        )
    payload_bytes = _raw_bytes(ctx, data, "payload", entry) if "payload_hex" in data else None
    return Behavior(
        type=kind,
        interval_s=float(data.get("interval_s", 2.0)),
        size=int(data.get("size", 0)),
        seed=int(data.get("seed", 1)),
        declared_length=int(data.get("declared_length", 0)),
        send=int(data.get("send", 0)),
        max_s=float(data.get("max_s", 300.0)),
        payload=ctx.text(data["payload"], f"{entry}.payload") if "payload" in data else None,
        payload_bytes=payload_bytes,
    )


def _auth(ctx: _Ctx, value: Any, entry: str) -> AuthSpec | None:
    if value is None:
        return None
    data = ctx.mapping(value, entry)
    ctx.check_keys(
        data,
        {
            "schemes",
            "realm",
            "challenges",
            "status",
            "reason",
            "headers",
            "body",
            "challenge_first",
            "cookie",
        },
        entry,
    )
    schemes = tuple(str(s).lower() for s in ctx.items(data.get("schemes"), f"{entry}.schemes"))
    if not schemes or set(schemes) - {"basic", "digest", "session"}:
        raise ctx.fail(f"{entry}.schemes", "list one or more of basic, digest, session")
    challenges = tuple(
        ctx.text(c, f"{entry}.challenges[{i}]")
        for i, c in enumerate(ctx.items(data.get("challenges"), entry))
    )
    if not challenges and set(schemes) != {"session"}:
        raise ctx.fail(f"{entry}.challenges", "at least one WWW-Authenticate value is required")
    return AuthSpec(
        schemes=schemes,
        realm=ctx.text(data.get("realm"), f"{entry}.realm", required=set(schemes) != {"session"}),
        cookie=ctx.text(data.get("cookie", "TOKEN"), f"{entry}.cookie", template=False),
        challenges=challenges,
        status=int(data.get("status", 401)),
        reason=data.get("reason"),
        headers=_headers(ctx, data.get("headers"), f"{entry}.headers"),
        body=ctx.text(data.get("body"), f"{entry}.body"),
        challenge_first=bool(data.get("challenge_first", False)),
    )


def _query(ctx: _Ctx, query: str, entry: str) -> tuple[tuple[str, str], ...]:
    try:
        return tuple(sorted(parse_qsl(query, keep_blank_values=True, strict_parsing=True)))
    except ValueError as exc:
        raise ctx.fail(entry, f"bad query {query!r}: {exc}") from exc


def _route(ctx: _Ctx, value: Any, entry: str) -> Route:
    data = ctx.mapping(value, entry)
    ctx.check_keys(
        data,
        {
            "path",
            "methods",
            "status",
            "reason",
            "headers",
            "body",
            "body_b64",
            "auth",
            "behavior",
            "onvif",
            "action",
            "login",
        },
        entry,
    )
    target = ctx.text(data.get("path"), f"{entry}.path", template=False, required=True)
    path, _, query = target.partition("?")
    if not path.startswith("/") and path != "*":
        raise ctx.fail(f"{entry}.path", "must start with /")
    onvif = bool(data.get("onvif", False))
    default_methods = ["POST"] if onvif else ["GET", "HEAD"]
    methods = frozenset(str(m).upper() for m in ctx.items(data.get("methods", default_methods), entry))
    body, body_bytes = _body(ctx, data, entry)
    return Route(
        path=path,
        query=_query(ctx, query, f"{entry}.path") if query else None,
        methods=methods,
        status=int(data.get("status", 200)),
        reason=data.get("reason"),
        headers=_headers(ctx, data.get("headers"), f"{entry}.headers"),
        body=body,
        body_bytes=body_bytes,
        auth=bool(data.get("auth", False)),
        behavior=_behavior(ctx, data.get("behavior"), f"{entry}.behavior"),
        onvif=onvif,
        action=str(data["action"]) if data.get("action") else None,
        login=bool(data.get("login", False)),
    )


def _site(ctx: _Ctx, value: Any, entry: str) -> HttpSite:
    data = ctx.mapping(value, entry)
    ctx.check_keys(
        data,
        {
            "ports",
            "tls_ports",
            "version",
            "headers",
            "content_length",
            "keep_alive",
            "auth",
            "routes",
            "not_found",
            "on_connect",
        },
        entry,
    )
    version = str(data.get("version", "echo"))
    if version not in {"echo", "1.0", "1.1"}:
        raise ctx.fail(f"{entry}.version", "one of echo, 1.0, 1.1")
    routes = tuple(
        _route(ctx, r, f"{entry}.routes[{i}]") for i, r in enumerate(ctx.items(data.get("routes"), entry))
    )
    auth = _auth(ctx, data.get("auth"), f"{entry}.auth")
    if any(r.auth for r in routes) and auth is None:
        raise ctx.fail(f"{entry}.auth", "a route has auth: true but the site has no auth section")
    not_found = (
        _route(
            ctx, {"path": "*", **ctx.mapping(data["not_found"], f"{entry}.not_found")}, f"{entry}.not_found"
        )
        if "not_found" in data
        else Route(path="*", status=404, body="Not Found")
    )
    site = HttpSite(
        ports=ctx.ports(data.get("ports"), f"{entry}.ports"),
        tls_ports=ctx.ports(data.get("tls_ports"), f"{entry}.tls_ports"),
        version=version,
        headers=_headers(ctx, data.get("headers"), f"{entry}.headers"),
        content_length=bool(data.get("content_length", True)),
        keep_alive=bool(data.get("keep_alive", True)),
        auth=auth,
        routes=routes,
        not_found=not_found,
        on_connect=_behavior(ctx, data.get("on_connect"), f"{entry}.on_connect"),
    )
    if not site.ports and not site.tls_ports:
        raise ctx.fail(f"{entry}.ports", "a site needs ports or tls_ports")
    return site


def _rtsp(ctx: _Ctx, value: Any) -> RtspSpec | None:
    if value is None:
        return None
    data = ctx.mapping(value, "rtsp")
    ctx.check_keys(
        data,
        {
            "ports",
            "headers",
            "cseq",
            "missing_cseq",
            "public",
            "options_headers",
            "auth",
            "auth_methods",
            "paths",
            "describe_headers",
            "sdp",
            "behavior",
            "on_connect",
            "common_first",
        },
        "rtsp",
    )
    if data.get("cseq", "first") not in {"first", "last"}:
        raise ctx.fail("rtsp.cseq", "first or last")
    if data.get("missing_cseq", "omit") not in {"omit", "zero"}:
        raise ctx.fail("rtsp.missing_cseq", "omit or zero")
    paths = data.get("paths")
    return RtspSpec(
        ports=ctx.ports(data.get("ports", [554]), "rtsp.ports"),
        headers=_headers(ctx, data.get("headers"), "rtsp.headers"),
        cseq=str(data.get("cseq", "first")),
        missing_cseq=str(data.get("missing_cseq", "omit")),
        public=ctx.text(data.get("public", DEFAULT_PUBLIC), "rtsp.public"),
        options_headers=_headers(ctx, data.get("options_headers"), "rtsp.options_headers"),
        auth=_auth(ctx, data.get("auth"), "rtsp.auth"),
        auth_methods=frozenset(
            str(m).upper()
            for m in ctx.items(data.get("auth_methods", sorted(DEFAULT_RTSP_AUTH_METHODS)), "rtsp")
        ),
        paths=None if paths is None else tuple(str(p) for p in ctx.items(paths, "rtsp.paths")),
        describe_headers=_headers(
            ctx, data.get("describe_headers", [["Content-Type", "application/sdp"]]), "rtsp.describe_headers"
        ),
        sdp=ctx.text(data.get("sdp"), "rtsp.sdp"),
        behavior=_behavior(ctx, data.get("behavior"), "rtsp.behavior"),
        on_connect=_behavior(ctx, data.get("on_connect"), "rtsp.on_connect"),
        common_first=bool(data.get("common_first", True)),
    )


def _onvif(ctx: _Ctx, value: Any) -> OnvifSpec | None:
    if value is None:
        return None
    data = ctx.mapping(value, "onvif")
    ctx.check_keys(
        data,
        {
            "envelope",
            "env_prefix",
            "content_type",
            "auth",
            "open_operations",
            "created_window_s",
            "fault_status",
            "accept_password_text",
            "responses",
            "raw_document",
        },
        "onvif",
    )
    envelope = ctx.text(data.get("envelope"), "onvif.envelope", required=True)
    if "{{body}}" not in envelope.replace(" ", ""):
        raise ctx.fail("onvif.envelope", "must contain {{body}}")
    auth = str(data.get("auth", "wsse"))
    if auth not in {"wsse", "none"}:
        raise ctx.fail("onvif.auth", "wsse or none")
    responses = {
        str(k): ctx.text(v, f"onvif.responses.{k}")
        for k, v in ctx.mapping(data.get("responses"), "onvif").items()
    }
    open_ops = data.get("open_operations")
    return OnvifSpec(
        envelope=envelope,
        env_prefix=str(data.get("env_prefix", "SOAP-ENV")),
        content_type=str(data.get("content_type", DEFAULT_SOAP_CONTENT_TYPE)),
        auth=auth,
        open_operations=DEFAULT_OPEN_OPERATIONS
        if open_ops is None
        else frozenset(str(o) for o in ctx.items(open_ops, "onvif.open_operations")),
        created_window_s=float(data.get("created_window_s", 300.0)),
        fault_status=int(data.get("fault_status", 400)),
        accept_password_text=bool(data.get("accept_password_text", True)),
        responses=responses,
        raw_document=ctx.text(data["raw_document"], "onvif.raw_document") if "raw_document" in data else None,
    )


def _discovery(ctx: _Ctx, value: Any) -> tuple[DiscoverySpec, ...]:
    specs: list[DiscoverySpec] = []
    for i, item in enumerate(ctx.items(value, "discovery")):
        entry = f"discovery[{i}]"
        data = ctx.mapping(item, entry)
        ctx.check_keys(data, {"protocol", "port", "document", "types", "match", "behavior"}, entry)
        protocol = data.get("protocol")
        if protocol not in DISCOVERY_PROTOCOLS:
            raise ctx.fail(f"{entry}.protocol", f"one of {', '.join(DISCOVERY_PROTOCOLS)}")
        match = str(data.get("match", "types"))
        if match not in {"types", "any"}:
            raise ctx.fail(f"{entry}.match", "types or any")
        spec = DiscoverySpec(
            protocol=protocol,
            port=ctx.port(data.get("port", DISCOVERY_PROTOCOLS[protocol]), f"{entry}.port"),
            document=ctx.text(data.get("document"), f"{entry}.document"),
            types=tuple(str(t) for t in ctx.items(data.get("types"), f"{entry}.types")),
            match=match,
            behavior=_behavior(ctx, data.get("behavior"), f"{entry}.behavior"),
        )
        if not spec.document and spec.behavior is None:
            raise ctx.fail(f"{entry}.document", "a discovery responder needs a document or a behavior")
        specs.append(spec)
    return tuple(specs)


def _dvrip(ctx: _Ctx, value: Any, entry: str) -> DvripSpec:
    data = ctx.mapping(value, entry)
    ctx.check_keys(data, {"login_reply", "login_failed_reply", "replies"}, entry)
    replies: dict[str, tuple[int, str]] = {}
    for key, item in ctx.mapping(data.get("replies"), f"{entry}.replies").items():
        reply = ctx.mapping(item, f"{entry}.replies.{key}")
        replies[str(key)] = (int(reply["msg"]), ctx.text(reply.get("body"), f"{entry}.replies.{key}.body"))
    return DvripSpec(
        login_reply=ctx.text(data.get("login_reply"), f"{entry}.login_reply", required=True),
        login_failed_reply=ctx.text(
            data.get("login_failed_reply", '{ "Ret" : 203, "SessionID" : "0x00000000" }'),
            f"{entry}.login_failed_reply",
        ),
        replies=replies,
    )


def _tcp(ctx: _Ctx, value: Any) -> tuple[TcpSpec, ...]:
    specs: list[TcpSpec] = []
    for i, item in enumerate(ctx.items(value, "tcp")):
        entry = f"tcp[{i}]"
        data = ctx.mapping(item, entry)
        ctx.check_keys(
            data, {"port", "mode", "banner", "banner_hex", "reply", "reply_hex", "behavior", "dvrip"}, entry
        )
        mode = str(data.get("mode", "silent"))
        if mode not in TCP_MODES:
            raise ctx.fail(f"{entry}.mode", f"one of {', '.join(sorted(TCP_MODES))}")
        if mode == "dvrip" and "dvrip" not in data:
            raise ctx.fail(f"{entry}.dvrip", "mode dvrip needs a dvrip section")
        specs.append(
            TcpSpec(
                port=ctx.port(data.get("port"), f"{entry}.port"),
                mode=mode,
                banner=_raw_bytes(ctx, data, "banner", entry),
                reply=_raw_bytes(ctx, data, "reply", entry),
                behavior=_behavior(ctx, data.get("behavior"), f"{entry}.behavior"),
                dvrip=_dvrip(ctx, data["dvrip"], f"{entry}.dvrip") if "dvrip" in data else None,
            )
        )
    return tuple(specs)


def _tls(ctx: _Ctx, value: Any) -> TlsSpec | None:
    if value is None:
        return None
    data = ctx.mapping(value, "tls")
    ctx.check_keys(data, {"subject", "days"}, "tls")
    subject: list[tuple[str, str]] = []
    for i, item in enumerate(ctx.items(data.get("subject"), "tls.subject")):
        if not isinstance(item, list) or len(item) != 2:
            raise ctx.fail(
                f"tls.subject[{i}]", "a subject part is an [attribute, value] pair, e.g. [CN, name]"
            )
        attr = str(item[0])
        if attr not in {"C", "ST", "L", "O", "OU", "CN", "emailAddress"}:
            raise ctx.fail(f"tls.subject[{i}]", f"unsupported attribute {attr!r}")
        subject.append((attr, ctx.text(item[1], f"tls.subject[{i}]")))
    if not subject:
        raise ctx.fail("tls.subject", "is required")
    return TlsSpec(subject=tuple(subject), days=int(data.get("days", 3650)))


def _truth(ctx: _Ctx, value: Any) -> dict[str, Any]:
    data = ctx.mapping(value, "truth")
    missing = [f for f in TRUTH_FIELDS if f not in data]
    if missing:
        raise ctx.fail("truth", f"missing {', '.join(missing)} (use null when the device does not reveal it)")
    for key, item in data.items():
        if isinstance(item, str):
            ctx.text(item, f"truth.{key}")
    return dict(data)


TOP_KEYS = {
    "name",
    "title",
    "category",
    "source",
    "truth",
    "identity",
    "credentials",
    "clock_offset_s",
    "vars",
    "http",
    "rtsp",
    "onvif",
    "discovery",
    "tcp",
    "tls",
}


def _build(data: dict[str, Any], path: Path) -> Profile:
    ctx = _Ctx(path)
    ctx.check_keys(data, TOP_KEYS, "profile")
    name = str(data.get("name", ""))
    if name != path.stem:
        raise ctx.fail("name", f"must equal the file name {path.stem!r}, got {name!r}")
    category = data.get("category")
    if category not in CATEGORIES:
        raise ctx.fail("category", f"one of {', '.join(sorted(CATEGORIES))}")
    source = ctx.text(data.get("source"), "source", template=False, required=True)
    identity_data = ctx.mapping(data.get("identity"), "identity")
    ctx.check_keys(identity_data, {"mac", "serial", "uuid"}, "identity")
    mac = str(identity_data.get("mac", "")).lower()
    parts = mac.split(":")
    if len(parts) != 6 or not all(len(p) == 2 and all(c in "0123456789abcdef" for c in p) for p in parts):
        raise ctx.fail("identity.mac", f"not a MAC address: {mac!r}")
    identity = Identity(
        mac=mac,
        serial=ctx.text(identity_data.get("serial"), "identity.serial", template=False),
        uuid=ctx.text(identity_data["uuid"], "identity.uuid") if identity_data.get("uuid") else None,
    )
    creds = ctx.mapping(data.get("credentials"), "credentials")
    credentials = (str(creds["username"]), str(creds["password"])) if creds else None
    variables = {str(k): ctx.text(v, f"vars.{k}") for k, v in ctx.mapping(data.get("vars"), "vars").items()}
    profile = Profile(
        name=name,
        title=ctx.text(data.get("title"), "title", template=False, required=True),
        category=category,
        source=source,
        truth=_truth(ctx, data.get("truth")),
        identity=identity,
        credentials=credentials,
        clock_offset_s=float(data.get("clock_offset_s", 0)),
        vars=variables,
        http=tuple(_site(ctx, s, f"http[{i}]") for i, s in enumerate(ctx.items(data.get("http"), "http"))),
        rtsp=_rtsp(ctx, data.get("rtsp")),
        onvif=_onvif(ctx, data.get("onvif")),
        discovery=_discovery(ctx, data.get("discovery")),
        tcp=_tcp(ctx, data.get("tcp")),
        tls=_tls(ctx, data.get("tls")),
        path=path,
    )
    _check_consistency(ctx, profile)
    return profile


def _check_consistency(ctx: _Ctx, profile: Profile) -> None:
    tcp = profile.tcp_ports()
    dupes = sorted({p for p in tcp if tcp.count(p) > 1})
    if dupes:
        raise ctx.fail("ports", f"TCP port used twice: {dupes}")
    udp = profile.udp_ports()
    if len(set(udp)) != len(udp):
        raise ctx.fail("discovery", "UDP port used twice")
    if any(s.tls_ports for s in profile.http) and profile.tls is None:
        raise ctx.fail("tls", "a site has tls_ports but the profile has no tls section")
    has_onvif_route = any(r.onvif for s in profile.http for r in s.routes)
    if has_onvif_route and profile.onvif is None:
        raise ctx.fail("onvif", "a route has onvif: true but there is no onvif section")
    if profile.onvif and not has_onvif_route:
        raise ctx.fail("onvif", "an onvif section needs a route with onvif: true")
    unknown = unknown_names(ctx.templates, [*profile.vars, "body"])
    if unknown:
        raise ctx.fail("templates", f"unknown placeholders: {', '.join(sorted(unknown))}")
