"""A generic HTTP(S) server that answers as a profile's web server does.

Routes, headers, the HTTP version, Basic/Digest challenges and hostile behaviours all come from the profile's
`http` site. ONVIF routes are handed to `onvif_server.handle_soap`.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import secrets
import uuid
from http.cookies import CookieError, SimpleCookie

from camscan.lab import hostile
from camscan.lab.auth import check_authorization
from camscan.lab.conn import BODY_TIMEOUT_S, IDLE_TIMEOUT_S, MAX_REQUESTS_PER_CONNECTION, peer_of
from camscan.lab.device import Device
from camscan.lab.httpmsg import ParseError, Request, build_response, merge_headers, parse_head, read_head
from camscan.lab.onvif_server import handle_soap
from camscan.lab.records import RequestLog, RequestRecord
from camscan.lab.spec import HttpSite, Route
from camscan.lab.template import render, request_vars

BAD_REQUEST = b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


def find_route(
    site: HttpSite, method: str, path: str, query: tuple[tuple[str, str], ...], action: str = ""
) -> Route:
    """The route for a request: exact path and query first, then the path with any query, then a prefix
    route (`/x/*`), else the site's not-found route. Routes that name an `action` (a SOAPAction or JSON-RPC
    method) match only that action, and win over routes that do not. A method the route does not list is not
    found."""
    candidates = [r for r in site.routes if r.path == path and r.query == query and r.query is not None]
    candidates += [r for r in site.routes if r.path == path and r.query is None]
    candidates += sorted(
        (r for r in site.routes if r.path.endswith("*") and path.startswith(r.path[:-1])),
        key=lambda r: -len(r.path),
    )
    candidates = [r for r in candidates if r.action is None or r.action == action]
    candidates.sort(key=lambda r: r.action is None)  # stable: keeps the order above among equals
    for route in candidates:
        if method in route.methods:
            return route
    return site.not_found


def json_id(body: bytes) -> str:
    """The `id` of a JSON-RPC request body (echoed by Dahua's RPC2 endpoints), or "0"."""
    if body[:1] != b"{":
        return "0"
    try:
        value = json.loads(body).get("id", 0)
    except (ValueError, AttributeError):
        return "0"
    return str(value) if isinstance(value, int) else "0"


def request_action(request: Request) -> str:
    """The operation a POST asks for: a SOAPAction's last part, or a JSON-RPC method."""
    soap_action = request.header("SOAPAction")
    if soap_action:
        return soap_action.strip('"').rstrip("/").rsplit("/", 1)[-1]
    if request.body[:1] == b"{":
        try:
            method = json.loads(request.body).get("method")
        except (ValueError, AttributeError):
            return ""
        return str(method) if method else ""
    return ""


class HttpService:
    """One device's web server on one port."""

    def __init__(self, device: Device, site: HttpSite, port: int, tls: bool, log: RequestLog) -> None:
        self.device = device
        self.site = site
        self.port = port
        self.tls = tls
        self.log = log
        self.sessions: set[str] = set()  # session cookies this server issued (`session` auth scheme)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        variables = self.device.vars
        if self.site.on_connect is not None:
            self._record("CONNECT", "", "", False, peer_of(writer))
            await hostile.run(self.site.on_connect, reader, writer, b"", variables)
            return
        for _ in range(MAX_REQUESTS_PER_CONNECTION):
            try:
                head = await asyncio.wait_for(read_head(reader), IDLE_TIMEOUT_S)
            except ParseError:
                return  # the client sent half a head and left, or an oversized one
            if not head:
                return
            try:
                request = parse_head(head)
                length = request.content_length
            except ParseError:
                self._record("INVALID", "", "", False, peer_of(writer))
                writer.write(BAD_REQUEST)
                await writer.drain()
                return
            if length:
                request.body = await asyncio.wait_for(reader.readexactly(length), BODY_TIMEOUT_S)
            if not await self.respond(request, reader, writer):
                return

    def _record(self, method: str, target: str, action: str, credentials: bool, peer: str) -> None:
        self.log.add(
            RequestRecord(
                device=self.device.name,
                ip=self.device.ip,
                protocol="https" if self.tls else "http",
                port=self.port,
                method=method,
                path=target,
                action=action,
                credentials=credentials,
                peer=peer,
            )
        )

    def _session(self, request: Request) -> bool:
        """A request carrying a session cookie this server issued (`session` scheme)."""
        auth = self.site.auth
        if auth is None or "session" not in auth.schemes:
            return False
        cookies = SimpleCookie()
        try:
            cookies.load(request.header("Cookie") or "")
        except CookieError:
            return False
        morsel = cookies.get(auth.cookie)
        return morsel is not None and morsel.value in self.sessions

    def _login(
        self, request: Request, route: Route, variables: dict[str, str]
    ) -> tuple[int, str | None, bytes, list[tuple[str, str]]]:
        """A UniFi OS-style login: JSON {username, password} checked against the device's credentials."""
        auth = self.site.auth
        assert auth is not None
        try:
            given = json.loads(request.body or b"{}")
            user, password = str(given.get("username", "")), str(given.get("password", ""))
        except (ValueError, AttributeError):
            user = password = ""
        wanted = self.device.credentials
        if wanted is None or not (
            hmac.compare_digest(user.encode(), wanted[0].encode())
            and hmac.compare_digest(password.encode(), wanted[1].encode())
        ):
            return auth.status, auth.reason, render(auth.body, variables).encode("utf-8"), []
        token = secrets.token_hex(24)
        self.sessions.add(token)
        route_body = render(route.body, variables).encode("utf-8")
        issued = [
            ("Set-Cookie", f"{auth.cookie}={token}; path=/; samesite=strict; secure; httponly"),
            ("X-CSRF-Token", str(uuid.uuid4())),
        ]
        return 200, None, route_body, issued

    async def respond(
        self, request: Request, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        """Answer one request; True when the connection stays open for another."""
        site, device = self.site, self.device
        http10 = request.version.upper() == "HTTP/1.0"
        version = ("HTTP/1.0" if http10 else "HTTP/1.1") if site.version == "echo" else f"HTTP/{site.version}"
        keep = site.keep_alive and not http10 and (request.header("Connection") or "").lower() != "close"
        variables = {
            **device.vars,
            **request_vars(
                device.clock_offset_s,
                request_path=request.path,
                request_target=request.target,
                connection="keep-alive" if keep else "close",
            ),
        }
        if site.auth is not None:
            variables["realm"] = render(site.auth.realm, variables)
        variables["json_id"] = json_id(request.body)
        action = request_action(request)
        route = find_route(site, request.method, request.path, request.query, action)
        authorization = request.header("Authorization")
        session = self._session(request)
        credentials = bool(authorization) or session
        status, reason, body = route.status, route.reason, b""
        headers = merge_headers(site.headers, route.headers)
        challenge: list[tuple[str, str]] = []

        if route.login and site.auth is not None:
            credentials = True
            status, reason, body, issued = self._login(request, route, variables)
            headers = merge_headers(site.headers, route.headers if status == 200 else site.auth.headers)
            headers = merge_headers(tuple(headers), tuple(issued))
        elif (
            route.auth
            and site.auth is not None
            and not session
            and not check_authorization(
                authorization, site.auth.schemes, request.method, device.credentials, variables["realm"]
            )
        ):
            status, reason = site.auth.status, site.auth.reason
            headers = merge_headers(site.headers, site.auth.headers)
            body = render(site.auth.body, variables).encode("utf-8")
            challenge = [("WWW-Authenticate", render(c, variables)) for c in site.auth.challenges]
        elif route.onvif and device.profile.onvif is not None:
            result = handle_soap(device, device.profile.onvif, request.body, variables)
            status, body, action = result.status, result.body, result.operation
            credentials = credentials or result.token_present
            headers = merge_headers(tuple(headers), (("Content-Type", result.content_type),))
        else:
            body = (
                route.body_bytes
                if route.body_bytes is not None
                else render(route.body, variables).encode("utf-8")
            )

        self._record(request.method, request.target, action, credentials, peer_of(writer))
        variables["content_length"] = str(len(body))
        rendered = [(name, render(value, variables)) for name, value in headers if value is not None]
        if site.auth is not None and site.auth.challenge_first:
            rendered = challenge + rendered
        else:
            rendered += challenge
        if site.content_length and not any(n.lower() == "content-length" for n, _ in rendered):
            rendered.append(("Content-Length", str(len(body))))
        if any(n.lower() == "connection" and v.lower() == "close" for n, v in rendered):
            keep = False
        if not site.content_length:
            keep = False  # the body ends when the connection does, as on HTTP/1.0 devices
        payload = build_response(version, status, rendered, b"" if request.method == "HEAD" else body, reason)
        if route.behavior is not None:
            status_line = f"{version} {status} OK\r\n".encode()
            await hostile.run(route.behavior, reader, writer, payload, variables, status_line=status_line)
            return False
        writer.write(payload)
        await writer.drain()
        return keep
