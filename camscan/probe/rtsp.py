"""RTSP probe: OPTIONS then DESCRIBE on one connection (read-only; no SETUP or PLAY, no media), and DESCRIBE
once more with the user's credentials when the device asks for them. Responses are read with the shared
sans-io RTSP parser (`camscan.parse.rtsp`).
"""

from __future__ import annotations

import asyncio
import time

from camscan import __version__
from camscan.credentials import Credential
from camscan.model import Observation
from camscan.parse.base import ParseError
from camscan.parse.http import HttpResponse
from camscan.parse.rtsp import rtsp_observations, rtsp_reader, rtsp_response_from_message
from camscan.probe.auth import authorization
from camscan.probe.findings import failure, observations
from camscan.probe.limits import Limits
from camscan.probe.net import ProbeError, connection, read_message, send

SOURCE = "rtsp"
USER_AGENT = f"camscan/{__version__}"


def request_bytes(method: str, url: str, cseq: int, auth: str | None = None) -> bytes:
    lines = [f"{method} {url} RTSP/1.0", f"CSeq: {cseq}", f"User-Agent: {USER_AGENT}"]
    if method == "DESCRIBE":
        lines.append("Accept: application/sdp")
    if auth:
        lines.append(f"Authorization: {auth}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, data: bytes, limits: Limits
) -> HttpResponse:
    await send(writer, data, limits)
    message, _capped = await read_message(
        reader, rtsp_reader(), limits, deadline=time.monotonic() + limits.settings.probe_deadline
    )
    try:
        return rtsp_response_from_message(message)
    except ParseError as exc:
        raise ProbeError(f"not an RTSP response: {str(exc)[:80]}") from None


async def probe_rtsp(
    host: str, port: int, limits: Limits, credential: Credential | None = None
) -> list[Observation]:
    url = f"rtsp://{host}:{port}/"
    found: list[Observation] = []
    try:
        async with connection(host, port, limits) as (reader, writer):
            options = await _exchange(reader, writer, request_bytes("OPTIONS", url, 1), limits)
            found += observations(rtsp_observations(options), host, port, SOURCE)
            describe = await _exchange(reader, writer, request_bytes("DESCRIBE", url, 2), limits)
            found += observations(rtsp_observations(describe), host, port, SOURCE)
            if describe.status == 401 and credential is not None:
                header = authorization(describe.head.get_all("WWW-Authenticate"), "DESCRIBE", url, credential)
                if header:
                    described = await _exchange(
                        reader, writer, request_bytes("DESCRIBE", url, 3, header), limits
                    )
                    found += observations(rtsp_observations(described), host, port, SOURCE)
    except ProbeError as exc:
        found.append(failure("rtsp_server", host, port, SOURCE, str(exc)))
    return found
