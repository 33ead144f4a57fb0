"""Incremental framing of HTTP/1.x and RTSP/1.0 message streams, sans-io.

A `MessageReader` is fed the bytes of one direction of a connection, in order, in pieces of any size (as a
socket or a TCP reassembler delivers them), and returns each message once its framing is complete:
Content-Length bodies, chunked bodies (with trailers), bodies delimited by the end of the stream, RTSP
interleaved binary frames (skipped) and pipelined or keep-alive sequences of messages. Memory is bounded: a head
is at most `MAX_HEAD` bytes, a kept body at most `max_body` bytes (the rest is counted and dropped), so a reader
can follow a multi-gigabyte download at constant cost.

On bytes that are not a message stream the reader stops: `error` says why and later feeds return nothing.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from camscan.parse.base import ParseError
from camscan.parse.message import MAX_HEAD, Head, find_head_end, parse_head

MAX_BODY = 256 * 1024
MAX_CHUNK_LINE = 1024
_METHOD_CHARS = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ_-")

_HEAD, _LENGTH, _CHUNK_SIZE, _CHUNK_DATA, _CHUNK_END, _TRAILERS, _CLOSE, _SKIP = range(8)


@dataclass(frozen=True, slots=True)
class RawMessage:
    """One framed message: its head and (a bounded prefix of) its body as sent (still chunk-decoded only).

    `complete` is False when the stream ended before the message did; `body_truncated` when the body kept is
    a prefix of what was sent (cut at `max_body`, or by the end of the stream).
    """

    head: Head
    body: bytes
    complete: bool
    body_truncated: bool
    body_size: int


class MessageReader:
    """Frames one direction of an HTTP or RTSP connection.

    `keep_body(head)`, when given, decides per message whether its body is kept at all (a probe or the pcap
    reader need not hold a JPEG). `responses=True` reads responses (the server's side), else requests. For
    responses, append the method of
    each request sent to `methods` (in order) so that the reply to a HEAD is known to have no body; when it is
    empty a body is assumed wherever the status allows one. `close_delimited=False` (RTSP) means a response
    without Content-Length has no body. `interleaved=True` skips RTSP `$`-framed binary data between messages.
    """

    def __init__(
        self,
        *,
        responses: bool,
        protocol: bytes = b"HTTP/",
        max_body: int = MAX_BODY,
        close_delimited: bool = True,
        interleaved: bool = False,
        keep_body: Callable[[Head], bool] | None = None,
    ) -> None:
        self.responses = responses
        self.keep_body = keep_body
        self.protocol = protocol
        self.max_body = max_body
        self.close_delimited = close_delimited
        self.interleaved = interleaved
        self.methods: deque[str] = deque(maxlen=256)
        self.error: str | None = None
        self.messages = 0
        self._buf = bytearray()
        self._scan_from = 0
        self._state = _HEAD
        self._head: Head | None = None
        self._body = bytearray()
        self._body_size = 0
        self._remaining = 0
        self._frames = 0
        self._limit = max_body

    @property
    def idle(self) -> bool:
        """True between messages (nothing of a next message buffered yet)."""
        return self._state == _HEAD and not self._buf

    @property
    def buffered(self) -> int:
        return len(self._buf) + len(self._body)

    @property
    def body_full(self) -> bool:
        """True while inside a body whose kept prefix has reached `max_body` (the rest would be dropped)."""
        return self._head is not None and self._body_size >= self._limit > 0

    @property
    def in_interleaved(self) -> bool:
        """True once an RTSP interleaved binary frame has been met (media is flowing)."""
        return self._frames > 0

    def feed(self, data: bytes | bytearray | memoryview) -> list[RawMessage]:
        """Add bytes; return the messages they complete (possibly none)."""
        if self.error is not None:
            return []
        if self._state in (_LENGTH, _CHUNK_DATA, _CLOSE, _SKIP) and not self._buf:
            data = self._take_direct(data)
            if not data and self._state != _HEAD:
                return self._finish_if_done([])
        self._buf += data
        out: list[RawMessage] = []
        try:
            while self._step(out):
                pass
        except ParseError as exc:
            self.error = str(exc)
            self._buf.clear()
            self._body.clear()
        return out

    def close(self) -> list[RawMessage]:
        """The stream ended: return a message delimited by the close, or one cut short (`complete=False`)."""
        if self.error is not None or self._head is None:
            self._buf.clear()
            return []
        complete = self._state == _CLOSE
        message = self._emit(complete=complete)
        self._buf.clear()
        return [message]

    # -- internals ------------------------------------------------------------------------------------

    def _take_direct(self, data: bytes | bytearray | memoryview) -> bytes | bytearray | memoryview:
        """Fast path for body bytes: consume without copying into the head buffer."""
        if self._state == _CLOSE:
            self._keep(data)
            return b""
        n = min(self._remaining, len(data))
        if self._state != _SKIP:
            self._keep(data[:n])
        self._remaining -= n
        if self._remaining == 0:
            self._state = {_LENGTH: _LENGTH, _CHUNK_DATA: _CHUNK_END, _SKIP: _HEAD}[self._state]
        return data[n:]

    def _finish_if_done(self, out: list[RawMessage]) -> list[RawMessage]:
        if self._state == _LENGTH and self._remaining == 0:
            out.append(self._emit(complete=True))
        return out

    def _keep(self, data: bytes | bytearray | memoryview) -> None:
        self._body_size += len(data)
        room = self._limit - len(self._body)
        if room > 0:
            self._body += data[:room]

    def _emit(self, *, complete: bool) -> RawMessage:
        assert self._head is not None
        message = RawMessage(
            head=self._head,
            body=bytes(self._body),
            complete=complete,
            body_truncated=(not complete and self._state != _CLOSE) or self._body_size > len(self._body),
            body_size=self._body_size,
        )
        self._head = None
        self._body = bytearray()
        self._body_size = 0
        self._remaining = 0
        self._state = _HEAD
        self._scan_from = 0
        self.messages += 1
        return message

    def _step(self, out: list[RawMessage]) -> bool:
        """Advance the state machine once; False when more bytes are needed."""
        state, buf = self._state, self._buf
        if state == _HEAD:
            return self._step_head(out)
        if state in (_LENGTH, _CHUNK_DATA, _SKIP):
            if self._remaining and not buf:
                return False
            n = min(self._remaining, len(buf))
            if state != _SKIP:
                self._keep(buf[:n])
            del buf[:n]
            self._remaining -= n
            if self._remaining:
                return False
            if state == _LENGTH:
                out.append(self._emit(complete=True))
            else:
                self._state = _CHUNK_END if state == _CHUNK_DATA else _HEAD
            return True
        if state == _CHUNK_SIZE:
            end = buf.find(b"\n", 0, MAX_CHUNK_LINE)
            if end < 0:
                if len(buf) >= MAX_CHUNK_LINE:
                    raise ParseError("chunk size line too long")
                return False
            line = bytes(buf[:end]).split(b";", 1)[0].strip()
            del buf[: end + 1]
            try:
                size = int(line, 16)
            except ValueError:
                raise ParseError(f"bad chunk size {line[:20]!r}") from None
            if size < 0:
                raise ParseError("negative chunk size")
            if size == 0:
                self._state = _TRAILERS
            else:
                self._state, self._remaining = _CHUNK_DATA, size
            return True
        if state == _CHUNK_END:
            if buf[:2] == b"\r\n":
                del buf[:2]
            elif buf[:1] == b"\n":
                del buf[:1]
            elif len(buf) < 2:
                return False
            else:
                raise ParseError("chunk data not followed by a line end")
            self._state = _CHUNK_SIZE
            return True
        if state == _TRAILERS:
            if buf[:2] == b"\r\n" or buf[:1] == b"\n":
                del buf[: 2 if buf[:1] == b"\r" else 1]
                out.append(self._emit(complete=True))
                return True
            trailers_end = find_head_end(buf, 0, MAX_HEAD)
            if trailers_end is None:
                return False
            del buf[:trailers_end]
            out.append(self._emit(complete=True))
            return True
        if state == _CLOSE:
            self._keep(buf)
            buf.clear()
            return False
        raise AssertionError(state)

    def _step_head(self, out: list[RawMessage]) -> bool:
        buf = self._buf
        # Stray line ends between messages are allowed (RFC 9112 2.2).
        while buf[:2] == b"\r\n" or buf[:1] == b"\n":
            del buf[: 2 if buf[:1] == b"\r" else 1]
            self._scan_from = 0
        if not buf:
            return False
        if self.interleaved and buf[0] == 0x24:  # RTSP interleaved frame: $, channel, 16-bit length
            if len(buf) < 4:
                return False
            self._state, self._remaining = _SKIP, 4 + int.from_bytes(buf[2:4], "big")
            self._frames += 1
            return True
        self._check_start(buf)
        end = find_head_end(buf, self._scan_from, MAX_HEAD)
        if end is None:
            self._scan_from = len(buf)
            return False
        head = parse_head(buf[:end])
        del buf[:end]
        self._scan_from = 0
        self._head = head
        self._limit = self.max_body if self.keep_body is None or self.keep_body(head) else 0
        length = self._body_framing(head)
        if length == 0:
            out.append(self._emit(complete=True))
        elif length == -1:
            self._state = _CHUNK_SIZE
        elif length == -2:
            self._state = _CLOSE
        else:
            self._state, self._remaining = _LENGTH, length
        return True

    def _check_start(self, buf: bytearray) -> None:
        if self.responses:
            prefix = self.protocol
            if not buf.startswith(prefix[: len(buf)]):
                raise ParseError(f"not a {prefix.decode().rstrip('/')} response")
            return
        head = bytes(buf[:24])
        space = head.find(b" ")
        if space < 0:
            if len(head) >= 24 or not all(c in _METHOD_CHARS for c in head):
                raise ParseError("not a request line")
            return
        if space == 0 or not all(c in _METHOD_CHARS for c in head[:space]):
            raise ParseError("not a request line")

    def _body_framing(self, head: Head) -> int:
        """Body length: n > 0, 0 none, -1 chunked, -2 until the stream closes."""
        if self.responses:
            parts = head.start.split(" ", 2)
            if not parts[0].startswith(self.protocol.decode()):
                raise ParseError("bad status line")
            try:
                status = int(parts[1]) if len(parts) > 1 else -1
            except ValueError:
                status = -1
            if not 100 <= status <= 999:
                raise ParseError(f"bad status line {head.start[:60]!r}")
            method = self.methods.popleft() if self.methods else None
            if method == "HEAD" or 100 <= status < 200 or status in (204, 304):
                return 0
        else:
            method = head.start.split(" ", 1)[0]
            if self.protocol == b"HTTP/" and method == "CONNECT":
                raise ParseError("CONNECT tunnels are not followed")
        te = (head.get("Transfer-Encoding") or "").lower()
        if te and te.rsplit(",", 1)[-1].strip() == "chunked":
            return -1
        cl = head.get("Content-Length")
        if cl is not None:
            try:
                length = int(cl.split(",")[0].strip())
            except ValueError:
                raise ParseError(f"bad Content-Length {cl[:20]!r}") from None
            if length < 0:
                raise ParseError("negative Content-Length")
            return length
        if self.responses and self.close_delimited:
            return -2
        return 0


__all__ = ["MAX_BODY", "MAX_HEAD", "MessageReader", "RawMessage"]
