"""Hostile ways to answer a TCP request: slow, huge, endless, truncated, garbage, reset.

Each behaviour writes to one connection and returns when it is done or the client has gone; none may take the
lab down. `apply_to_response` changes a normal response's bytes (huge header, truncation) and `run` performs
the behaviour on the connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import socket
import struct
import time

from camscan.lab.spec import Behavior
from camscan.lab.template import render

CLIENT_GONE = (ConnectionError, asyncio.IncompleteReadError, OSError)
PAD_LINE = "X-Lab-Pad-{i}: " + "a" * 96 + "\r\n"


def garbage(size: int, seed: int) -> bytes:
    """Deterministic binary noise (no CR LF pairs, so it never looks like a protocol head)."""
    data = bytearray(random.Random(seed).randbytes(size or 4096))
    return bytes(b if b not in (10, 13) else 0xFF for b in data)


def with_huge_header(response: bytes, size: int) -> bytes:
    """Insert one header line of `size` bytes after the status line."""
    status, sep, rest = response.partition(b"\r\n")
    return status + sep + b"X-Lab-Huge: " + b"A" * (size or 1024 * 1024) + b"\r\n" + rest


def truncated(response: bytes, declared_length: int, send: int) -> bytes:
    """The response with a Content-Length larger than the body actually sent."""
    head, sep, body = response.partition(b"\r\n\r\n")
    lines = [ln for ln in head.split(b"\r\n") if not ln.lower().startswith(b"content-length:")]
    keep = send if send else max(1, len(body) // 2)
    declared = declared_length or max(len(body) * 4, keep + 1000)
    lines.insert(1, b"Content-Length: " + str(declared).encode())
    return b"\r\n".join(lines) + sep + body[:keep]


def apply_to_response(behavior: Behavior | None, response: bytes, variables: dict[str, str]) -> bytes:
    """The bytes a behaviour sends in place of `response` (for the behaviours that are a changed response)."""
    if behavior is None:
        return response
    if behavior.payload_bytes is not None:
        return behavior.payload_bytes
    if behavior.payload is not None:
        return render(behavior.payload, variables).encode("utf-8")
    if behavior.type == "huge_header":
        return with_huge_header(response, behavior.size)
    if behavior.type == "truncated":
        return truncated(response, behavior.declared_length, behavior.send)
    if behavior.type == "garbage":
        return garbage(behavior.size, behavior.seed)
    return response


def reset(writer: asyncio.StreamWriter) -> None:
    """Abort the connection with a TCP RST (SO_LINGER 0)."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def _drip(writer: asyncio.StreamWriter, data: bytes, interval: float, max_s: float) -> None:
    deadline = time.monotonic() + max_s
    for i in range(len(data)):
        if writer.is_closing() or time.monotonic() > deadline:
            return
        writer.write(data[i : i + 1])
        await writer.drain()
        await asyncio.sleep(interval)


async def _endless_headers(writer: asyncio.StreamWriter, start: bytes, interval: float, max_s: float) -> None:
    deadline = time.monotonic() + max_s
    writer.write(start)
    i = 0
    while not writer.is_closing() and time.monotonic() < deadline:
        writer.write("".join(PAD_LINE.format(i=i + k) for k in range(32)).encode())
        i += 32
        await writer.drain()
        await asyncio.sleep(interval)


async def _silent(reader: asyncio.StreamReader, max_s: float) -> None:
    deadline = time.monotonic() + max_s
    while time.monotonic() < deadline:
        try:
            chunk = await asyncio.wait_for(reader.read(4096), timeout=max(0.1, deadline - time.monotonic()))
        except TimeoutError:
            return
        if not chunk:
            return


async def run(
    behavior: Behavior,
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    response: bytes,
    variables: dict[str, str],
    *,
    status_line: bytes = b"HTTP/1.1 200 OK\r\n",
) -> None:
    """Perform `behavior` on the connection instead of sending `response`, then leave it closed."""
    try:
        kind = behavior.type
        if kind == "reset":
            reset(writer)
            return
        if kind == "close":
            return
        if kind == "silent":
            await _silent(reader, behavior.max_s)
            return
        if kind == "endless_headers":
            await _endless_headers(writer, status_line, behavior.interval_s or 0.05, behavior.max_s)
            return
        data = apply_to_response(behavior, response, variables)
        if kind == "drip":
            await _drip(writer, data, behavior.interval_s, behavior.max_s)
            return
        writer.write(data)
        await writer.drain()
    except CLIENT_GONE:
        return
    finally:
        if not writer.is_closing():
            writer.close()
