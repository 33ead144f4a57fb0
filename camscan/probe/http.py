"""HTTP(S) probes: the page at `/` (redirects followed only inside the scope), the favicon hash, the TLS
certificate subject, and vendor endpoints (GET/HEAD only), with the user's credentials when an endpoint needs
them.

Raw asyncio streams and the shared sans-io parser (`camscan.parse.http`): every byte read is counted, the head
is bounded by the parser, the body by the byte cap, and every exchange by the probe deadline, so a device that
drips, floods or never finishes its headers costs at most a few seconds. Active and passive mode read responses
with the same code, so they agree. (docs/scanning.md, "Why raw sockets and not httpx".)
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from camscan import __version__
from camscan.credentials import Credential
from camscan.model import Observation
from camscan.parse.base import ParseError
from camscan.parse.framing import MessageReader
from camscan.parse.http import HttpResponse, http_observations, response_from_message
from camscan.parse.recorders import is_recorder_path
from camscan.parse.tls import tls_observations
from camscan.probe.auth import authorization
from camscan.probe.findings import failure, observations
from camscan.probe.limits import Limits
from camscan.probe.net import ProbeError, connection, peer_certificate, read_message, send

try:  # optional: the favicon hash (Shodan's mmh3 of the base64 body)
    import mmh3

    HAVE_MMH3 = True
except ImportError:  # pragma: no cover - mmh3 is a declared dependency
    HAVE_MMH3 = False

USER_AGENT = f"camscan/{__version__} (inventory scanner; read-only)"
TLS_PORTS = frozenset({443, 8443, 5001, 7443, 4443, 10443})
MAX_REDIRECTS = 3
FAVICON_MAX = 64 * 1024


@dataclass(frozen=True, slots=True)
class Fetched:
    path: str
    response: HttpResponse
    certificate: bytes | None
    capped: bool = False


def source_of(tls: bool) -> str:
    return "https" if tls else "http"


def request_bytes(
    method: str,
    path: str,
    host: str,
    port: int,
    *,
    tls: bool,
    auth: str | None,
    headers: Sequence[tuple[str, str]] = (),
    body: bytes = b"",
) -> bytes:
    """One request. `headers` and `body` serve session logins (UniFi OS: a JSON POST, then a cookie)."""
    default = 443 if tls else 80
    host_header = host if port == default else f"{host}:{port}"
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: {host_header}",
        f"User-Agent: {USER_AGENT}",
        "Accept: */*",
        "Accept-Encoding: gzip, deflate",
        "Connection: close",
    ]
    if auth:
        lines.append(f"Authorization: {auth}")
    lines += [f"{name}: {value}" for name, value in headers]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def fetch(
    host: str,
    port: int,
    path: str,
    limits: Limits,
    *,
    tls: bool = False,
    method: str = "GET",
    auth: str | None = None,
    headers: Sequence[tuple[str, str]] = (),
    body: bytes = b"",
    max_bytes: int | None = None,
) -> Fetched:
    """One request on its own connection; the response head and at most the byte cap of its body (`max_bytes`,
    by default the scan's cap; a recorder's camera list passes `limits.settings.max_list_bytes`)."""
    cap = max_bytes if max_bytes is not None else limits.settings.max_bytes
    request = request_bytes(method, path, host, port, tls=tls, auth=auth, headers=headers, body=body)
    async with connection(host, port, limits, tls=tls) as (reader, writer):
        cert = peer_certificate(writer) if tls else None
        await send(writer, request, limits)
        framer = MessageReader(responses=True, max_body=cap)
        framer.methods.append(method)
        deadline = time.monotonic() + limits.settings.probe_deadline
        message, capped = await read_message(reader, framer, limits, deadline=deadline, max_bytes=cap)
    try:
        response = response_from_message(message, max_body=cap)
    except ParseError as exc:
        raise ProbeError(f"not an HTTP response: {str(exc)[:80]}") from None
    return Fetched(path, response, cert, capped)


def redirect_target(location: str, host: str, port: int, tls: bool) -> tuple[str, int, bool, str] | None:
    """(host, port, tls, path) a Location header points to, or None for what cannot be followed safely."""
    location = location.strip()
    if not location:
        return None
    if location.startswith("/") and not location.startswith("//"):
        return host, port, tls, location
    try:
        parts = urlsplit(location if "://" in location else f"{'https' if tls else 'http'}:{location}")
        target_port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    target_tls = parts.scheme == "https"
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.hostname, target_port or (443 if target_tls else 80), target_tls, path


def response_observations(fetched: Fetched, host: str, port: int, tls: bool) -> list[Observation]:
    """Observations from one response. A response cut short (the peer closed before the length it promised)
    keeps its headers but not half a document: its body is reported as an error instead."""
    response = fetched.response
    findings = http_observations(fetched.path, response)
    cut_short = not response.complete and not fetched.capped
    if cut_short:
        findings = [(k, v) for k, v in findings if k in ("http_server", "http_www_authenticate")]
    found = observations(findings, host, port, source_of(tls))
    if cut_short:
        found.append(
            failure(
                "http_path",
                host,
                port,
                source_of(tls),
                "incomplete response (the connection closed before the promised body)",
                value={"path": fetched.path, "status": response.status},
            )
        )
    if fetched.certificate:
        try:
            found += observations(tls_observations([fetched.certificate]), host, port, "tls")
        except ParseError as exc:
            found.append(failure("tls_subject", host, port, "tls", f"unreadable certificate: {exc}"))
    return found


async def probe_root(
    host: str, port: int, limits: Limits, in_scope: Callable[[str], bool], *, tls: bool = False
) -> list[Observation]:
    """GET / and follow up to three redirects that stay on this device and inside the scope (never to a name,
    another host or an outside address); each response becomes observations."""
    found: list[Observation] = []
    seen: set[tuple[str, int, bool, str]] = set()
    target = (host, port, tls, "/")
    for _hop in range(MAX_REDIRECTS + 1):
        seen.add(target)
        t_host, t_port, t_tls, t_path = target
        try:
            fetched = await fetch(t_host, t_port, t_path, limits, tls=t_tls)
        except ProbeError as exc:
            found.append(failure("http_path", host, port, source_of(t_tls), str(exc), value={"path": t_path}))
            break
        found += response_observations(fetched, t_host, t_port, t_tls)
        response = fetched.response
        location = response.header("Location")
        if response.status not in (301, 302, 303, 307, 308) or not location:
            break
        nxt = redirect_target(location, t_host, t_port, t_tls)
        # Only the same device, and only inside the scope: another in-scope host is scanned in its own right.
        if nxt is None or nxt in seen or nxt[0] != host or not in_scope(nxt[0]):
            break
        target = nxt
    return found


async def probe_favicon(host: str, port: int, limits: Limits, *, tls: bool = False) -> list[Observation]:
    """`/favicon.ico` hashed as Shodan does (mmh3 of the base64 body), as an `http_path` with `favicon_mmh3`."""
    if not HAVE_MMH3:
        return []
    try:
        fetched = await fetch(host, port, "/favicon.ico", limits, tls=tls)
    except ProbeError:
        return []  # no favicon is not a failure of the host
    response = fetched.response
    body = response.body
    if (
        response.status != 200
        or not body
        or len(body) > FAVICON_MAX
        or response.content_type.startswith("text/")
    ):
        return []
    value = {
        "path": "/favicon.ico",
        "status": 200,
        "headers": response.headers,
        "body": "",
        "favicon_mmh3": int(mmh3.hash(base64.encodebytes(body))),
    }
    return [Observation("http_path", value, host=host, port=port, source=source_of(tls))]


async def fetch_with_credentials(
    host: str,
    port: int,
    path: str,
    limits: Limits,
    credential: Credential | None,
    *,
    tls: bool = False,
    method: str = "GET",
    body: bytes = b"",
) -> list[Fetched]:
    """GET `path`; when it answers 401 and the user gave credentials for this host, answer the challenge once.
    A recorder's channel list is read up to `limits.settings.max_list_bytes` rather than the scan's byte cap.
    A `body` (a JSON-RPC read POSTed, probes.yaml) is sent as JSON."""
    cap = limits.settings.max_list_bytes if is_recorder_path(path) else None
    headers = [("Content-Type", "application/json")] if body else []
    first = await fetch(
        host, port, path, limits, tls=tls, method=method, headers=headers, body=body, max_bytes=cap
    )
    if first.response.status != 401 or credential is None:
        return [first]
    challenges = first.response.head.get_all("WWW-Authenticate")
    header = authorization(challenges, method, path, credential)
    if header is None:
        return [first]
    second = await fetch(
        host,
        port,
        path,
        limits,
        tls=tls,
        method=method,
        auth=header,
        headers=headers,
        body=body,
        max_bytes=cap,
    )
    return [first, second]


async def probe_endpoint(
    host: str,
    port: int,
    path: str,
    limits: Limits,
    credential: Credential | None,
    *,
    tls: bool = False,
    method: str = "GET",
    body: bytes = b"",
) -> list[Observation]:
    try:
        responses = await fetch_with_credentials(
            host, port, path, limits, credential, tls=tls, method=method, body=body
        )
    except ProbeError as exc:
        return [failure("http_path", host, port, source_of(tls), str(exc), value={"path": path})]
    found: list[Observation] = []
    for fetched in responses:
        found += response_observations(fetched, host, port, tls)
    return found
