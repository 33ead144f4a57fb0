"""TCP plumbing every TCP probe shares: a bounded connection and a bounded read of one framed message.

Every connection is taken through `Limits.slot` (global and per-host caps, the rate limit) and opened within the
connect timeout. `read_message` feeds a sans-io `MessageReader` until one message is framed, and stops with a
`ProbeError` on a read timeout, at the probe's deadline (a peer that drips one byte a second is cut), or when the
head would pass the parser's limit (endless headers); a body longer than the byte cap is cut and the message
returned as truncated.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import time
import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from camscan.parse.framing import MessageReader, RawMessage
from camscan.probe.limits import Limits

READ_CHUNK = 65536


class ProbeError(Exception):
    """A probe that failed: the message is short and safe to store (`Observation.error`)."""


def tls_context() -> ssl.SSLContext:
    """Cameras' certificates are self-signed and their TLS old: verify nothing, accept what they speak.

    The certificate is read for identification only; nothing secret is sent over these connections except the
    user's own credentials for their own device, which would be sent in clear text over HTTP just the same.
    """
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with contextlib.suppress(ValueError, ssl.SSLError), warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # old TLS is what old cameras speak
        ctx.minimum_version = ssl.TLSVersion.TLSv1
    with contextlib.suppress(ssl.SSLError):
        ctx.set_ciphers("ALL:@SECLEVEL=0")
    return ctx


_TLS = tls_context()


def describe_os_error(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ConnectionResetError):
        return "connection reset"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error: {exc.reason or exc.__class__.__name__}"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return type(exc).__name__


@asynccontextmanager
async def connection(
    host: str, port: int, limits: Limits, *, tls: bool = False
) -> AsyncIterator[tuple[asyncio.StreamReader, asyncio.StreamWriter]]:
    """An open connection (TLS when asked), held within the scan's limits; closed (aborted) on exit."""
    settings = limits.settings
    async with limits.slot(host):
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(
                    host,
                    port,
                    ssl=_TLS if tls else None,
                    ssl_handshake_timeout=settings.connect_timeout if tls else None,
                    limit=READ_CHUNK,
                ),
                settings.connect_timeout,
            )
        except TimeoutError:
            raise ProbeError(f"no connection within {settings.connect_timeout:g} s") from None
        except (OSError, ssl.SSLError) as exc:
            raise ProbeError(describe_os_error(exc)) from None
        try:
            yield reader, writer
        finally:
            writer.transport.abort()


def peer_certificate(writer: asyncio.StreamWriter) -> bytes | None:
    """The DER certificate a TLS peer presented (None for plain TCP)."""
    obj: ssl.SSLObject | None = writer.get_extra_info("ssl_object")
    if obj is None:
        return None
    try:
        return obj.getpeercert(binary_form=True)
    except (ValueError, ssl.SSLError):
        return None


async def send(writer: asyncio.StreamWriter, data: bytes, limits: Limits) -> None:
    writer.write(data)
    try:
        await asyncio.wait_for(writer.drain(), limits.settings.read_timeout)
    except TimeoutError:
        raise ProbeError("the peer does not accept the request") from None
    except (OSError, ssl.SSLError) as exc:
        raise ProbeError(describe_os_error(exc)) from None


async def read_message(
    reader: asyncio.StreamReader,
    framer: MessageReader,
    limits: Limits,
    *,
    deadline: float | None = None,
    max_bytes: int | None = None,
) -> tuple[RawMessage, bool]:
    """Read until `framer` has one complete message (or a cut-short one at the end of the stream / byte cap).

    `max_bytes` replaces the scan's byte cap (`limits.settings.max_bytes`) for this one message. Returns
    (message, capped): `capped` is True when camscan stopped reading at its byte cap (the message is then
    incomplete by our choice, not the peer's)."""
    settings = limits.settings
    cap = max_bytes if max_bytes is not None else settings.max_bytes
    deadline = deadline if deadline is not None else time.monotonic() + settings.probe_deadline
    total = 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ProbeError(f"no complete response within {settings.probe_deadline:g} s (cut)")
        try:
            chunk = await asyncio.wait_for(reader.read(READ_CHUNK), min(settings.read_timeout, remaining))
        except TimeoutError:
            if remaining <= settings.read_timeout:
                raise ProbeError(f"no complete response within {settings.probe_deadline:g} s (cut)") from None
            raise ProbeError(f"read timeout ({settings.read_timeout:g} s)") from None
        except (OSError, ssl.SSLError) as exc:
            messages = framer.close()
            if messages and total:
                return messages[0], False
            raise ProbeError(describe_os_error(exc)) from None
        if not chunk:
            messages = framer.close()
            if messages:
                return messages[0], False
            raise ProbeError(
                framer.error or ("no response" if not total else "connection closed mid-response")
            )
        total += len(chunk)
        messages = framer.feed(chunk)
        if messages:
            return messages[0], False
        if framer.error:
            raise ProbeError(f"malformed response: {framer.error[:80]}")
        if total >= cap:
            messages = framer.close()
            if messages:
                return messages[0], True
            raise ProbeError(f"response head larger than {cap} bytes (cut)")
