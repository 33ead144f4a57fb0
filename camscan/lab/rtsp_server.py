"""A generic RTSP/1.0 server that answers OPTIONS and DESCRIBE as a profile's camera does.

CSeq is echoed (where the device puts it: first or last); DESCRIBE returns the profile's SDP, behind the
profile's Basic/Digest challenge. The lab never streams: SETUP is refused with 461, PLAY without a session 454.
"""

from __future__ import annotations

import asyncio

from camscan.lab import hostile
from camscan.lab.auth import check_authorization
from camscan.lab.conn import BODY_TIMEOUT_S, IDLE_TIMEOUT_S, MAX_REQUESTS_PER_CONNECTION, peer_of
from camscan.lab.device import Device
from camscan.lab.httpmsg import ParseError, Request, build_response, merge_headers, parse_head, read_head
from camscan.lab.records import RequestLog, RequestRecord
from camscan.lab.spec import RtspSpec
from camscan.lab.template import render, request_vars

RTSP = "RTSP/1.0"
WRITE_METHODS = frozenset({"ANNOUNCE", "RECORD", "SET_PARAMETER", "REDIRECT"})


def _path_matches(paths: tuple[str, ...] | None, path: str) -> bool:
    if paths is None:
        return True
    wanted = path.rstrip("/").lower()
    return any(p.rstrip("/").lower() == wanted for p in paths)


class RtspService:
    """One device's RTSP server on one port."""

    def __init__(self, device: Device, spec: RtspSpec, port: int, log: RequestLog) -> None:
        self.device = device
        self.spec = spec
        self.port = port
        self.log = log

    def _record(self, method: str, target: str, credentials: bool, peer: str) -> None:
        self.log.add(
            RequestRecord(
                device=self.device.name,
                ip=self.device.ip,
                protocol="rtsp",
                port=self.port,
                method=method,
                path=target,
                credentials=credentials,
                peer=peer,
            )
        )

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.spec.on_connect is not None:
            self._record("CONNECT", "", False, peer_of(writer))
            await hostile.run(
                self.spec.on_connect,
                reader,
                writer,
                b"",
                self.device.vars,
                status_line=b"RTSP/1.0 200 OK\r\n",
            )
            return
        for _ in range(MAX_REQUESTS_PER_CONNECTION):
            try:
                head = await asyncio.wait_for(read_head(reader), IDLE_TIMEOUT_S)
            except ParseError:
                return  # the client sent half a head and left, or an oversized one
            if not head:
                return
            try:
                request = parse_head(head, ("RTSP/", "HTTP/"))
                length = request.content_length
            except ParseError:
                self._record("INVALID", "", False, peer_of(writer))
                writer.write(build_response(RTSP, 400, [("Content-Length", "0")]))
                await writer.drain()
                return
            if length:
                request.body = await asyncio.wait_for(reader.readexactly(length), BODY_TIMEOUT_S)
            if not await self.respond(request, reader, writer):
                return

    def _answer(
        self, request: Request, variables: dict[str, str]
    ) -> tuple[int, list[tuple[str, str | None]], str]:
        """Status, method-specific headers and body for an authorised (or open) request."""
        spec = self.spec
        method = request.method
        if method == "OPTIONS":
            return 200, [("Public", spec.public), *merge_headers((), spec.options_headers)], ""
        if method == "DESCRIBE":
            if not _path_matches(spec.paths, request.path):
                return 404, [], ""
            return 200, list(spec.describe_headers), render(spec.sdp, variables).replace("\n", "\r\n")
        if method == "GET_PARAMETER":
            return 200, [], ""
        if method == "SETUP":
            return 461, [], ""
        if method in {"PLAY", "PAUSE", "TEARDOWN"}:
            return 454, [], ""
        if method in WRITE_METHODS:
            return 405, [("Allow", spec.public)], ""
        return 501, [], ""

    async def respond(
        self, request: Request, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        spec, device = self.spec, self.device
        authorization = request.header("Authorization")
        self._record(request.method, request.target, bool(authorization), peer_of(writer))
        cseq = request.header("CSeq")
        if cseq is None and spec.missing_cseq == "zero":
            cseq = "0"
        variables = {
            **device.vars,
            **request_vars(device.clock_offset_s, request_path=request.path, request_target=request.target),
        }
        variables["cseq"] = cseq or ""
        if spec.auth is not None:
            variables["realm"] = render(spec.auth.realm, variables)
        needs_auth = spec.auth is not None and request.method in spec.auth_methods
        if (
            needs_auth
            and spec.auth is not None
            and not check_authorization(
                authorization, spec.auth.schemes, request.method, device.credentials, variables["realm"]
            )
        ):
            status, reason = spec.auth.status, spec.auth.reason
            method_headers: list[tuple[str, str | None]] = list(spec.auth.headers)
            challenges: list[tuple[str, str | None]] = [("WWW-Authenticate", c) for c in spec.auth.challenges]
            body = render(spec.auth.body, variables)
        else:
            reason, challenges = None, []
            status, method_headers, body = self._answer(request, variables)
        if spec.common_first:
            headers = merge_headers(spec.headers, tuple(method_headers))
        else:
            headers = merge_headers(tuple(method_headers), spec.headers)
        first = spec.auth is not None and spec.auth.challenge_first
        headers = challenges + headers if first else headers + challenges
        has_slot = any(n.lower() == "cseq" for n, _ in headers)  # the profile placed CSeq itself
        if cseq is None:
            headers = [(n, v) for n, v in headers if n.lower() != "cseq"]
        elif not has_slot:
            headers = [("CSeq", cseq), *headers] if spec.cseq == "first" else [*headers, ("CSeq", cseq)]
        payload_body = body.encode("utf-8")
        variables["content_length"] = str(len(payload_body))
        rendered = [(n, render(v, variables)) for n, v in headers if v is not None]
        if payload_body and not any(n.lower() == "content-length" for n, _ in rendered):
            rendered.append(("Content-Length", str(len(payload_body))))
        payload = build_response(RTSP, status, rendered, payload_body, reason)
        if spec.behavior is not None:
            await hostile.run(
                spec.behavior, reader, writer, payload, variables, status_line=b"RTSP/1.0 200 OK\r\n"
            )
            return False
        writer.write(payload)
        await writer.drain()
        return True
